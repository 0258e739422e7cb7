/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pc-sandbox"

#include "config.h"

#include <stdio.h>

#include "pc-booking.h"
#include "pc-clock.h"
#include "pc-json.h"
#include "pc-sandbox-private.h"
#include "pc-utils.h"
#include "pc-values.h"

/* The endpoints PhoneChat uses, with the rules the reference documents: a bearer token,
 * paths compared case-insensitively, errors as `{"Message": "…"}`, ReInvite only for a
 * Pending booking whose SessionDate is not in the future, and the other actions' rules
 * below. */

static void
handle_verify_credentials (PcSandbox         *self,
                           SoupServerMessage *msg,
                           PcSandboxResponse *response)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_int_member (object, "UserID", PC_SANDBOX_USER_ID);
  json_object_set_string_member (object, "EmailAddress", "performer@example.com");
  json_object_set_boolean_member (object, "IsAgeVerified", TRUE);
  json_object_set_null_member (object, "GroupID");
  json_object_set_null_member (object, "GroupName");
  json_node_take_object (node, object);

  _pc_sandbox_response_take (response, SOUP_STATUS_OK, node);
}

typedef struct
{
  PcSandboxOrderKey key;
  gboolean          descending;
} Order;

static const struct
{
  const char *name;
  Order       order;
} orders[] = {
  { "sessiondate-desc", { PC_SANDBOX_ORDER_SESSION_DATE, TRUE } },
  { "sessiondate-asc", { PC_SANDBOX_ORDER_SESSION_DATE, FALSE } },
  { "date-desc", { PC_SANDBOX_ORDER_DATE, TRUE } },
  { "date-asc", { PC_SANDBOX_ORDER_DATE, FALSE } },
  { "nickname-asc", { PC_SANDBOX_ORDER_NICKNAME, FALSE } },
  { "nickname-desc", { PC_SANDBOX_ORDER_NICKNAME, TRUE } },
};

static gboolean
read_int_param (GHashTable *params,
                const char *name,
                gint64      min,
                gint64      max,
                gint64      fallback,
                gint64     *out)
{
  g_autofree char *key = g_ascii_strdown (name, -1);
  const char *text = g_hash_table_lookup (params, key);

  if (text == NULL)
    {
      *out = fallback;
      return TRUE;
    }

  return g_ascii_string_to_signed (text, 10, min, max, out, NULL);
}

static void
handle_received_bookings (PcSandbox         *self,
                          SoupServerMessage *msg,
                          PcSandboxResponse *response)
{
  g_autoptr(GHashTable) params = _pc_sandbox_parse_query (msg);
  g_autoptr(PcReceivedPage) page = NULL;
  g_autoptr(GDateTime) start = NULL;
  const char *order_text;
  const char *start_text;
  const Order *order = NULL;
  gint64 per_page;
  gint64 page_number;

  if (!read_int_param (params, "BookingsPerPage", 1, PC_SANDBOX_MAX_BOOKINGS_PER_PAGE,
                       PC_SANDBOX_DEFAULT_BOOKINGS_PER_PAGE, &per_page))
    {
      _pc_sandbox_response_set_error (response, SOUP_STATUS_BAD_REQUEST,
                                      "BookingsPerPage must be a whole number from 1 to %d.",
                                      PC_SANDBOX_MAX_BOOKINGS_PER_PAGE);
      return;
    }

  if (!read_int_param (params, "PageNumber", 1, G_MAXINT, 1, &page_number))
    {
      _pc_sandbox_response_set_error (response, SOUP_STATUS_BAD_REQUEST,
                                      "PageNumber must be a whole number of 1 or more.");
      return;
    }

  order_text = g_hash_table_lookup (params, "orderby");
  if (order_text == NULL)
    order_text = orders[0].name;
  for (guint i = 0; i < G_N_ELEMENTS (orders); i++)
    if (g_ascii_strcasecmp (order_text, orders[i].name) == 0)
      order = &orders[i].order;
  if (order == NULL)
    {
      _pc_sandbox_response_set_error (response, SOUP_STATUS_BAD_REQUEST,
                                      "OrderBy must be one of sessiondate-desc, sessiondate-asc, "
                                      "date-desc, date-asc, nickname-asc or nickname-desc.");
      return;
    }

  /* StartDate (yyyy-mm-dd): only bookings created on or after that day. */
  start_text = g_hash_table_lookup (params, "startdate");
  if (start_text != NULL)
    {
      int y, m, d;
      char end;

      if (sscanf (start_text, "%4d-%2d-%2d%c", &y, &m, &d, &end) != 3 ||
          !g_date_valid_dmy (d, m, y) ||
          (start = g_date_time_new (self->zone, y, m, d, 0, 0, 0)) == NULL)
        {
          _pc_sandbox_response_set_error (response, SOUP_STATUS_BAD_REQUEST,
                                          "StartDate must be a date written yyyy-mm-dd.");
          return;
        }
    }

  page = _pc_sandbox_bookings_get_page (self, order->key, order->descending, start,
                                        page_number, per_page);
  _pc_sandbox_response_take (response, SOUP_STATUS_OK, pc_json_page_to_node (page, self->zone));
}

static void
handle_booking_details (PcSandbox         *self,
                        SoupServerMessage *msg,
                        PcSandboxResponse *response)
{
  g_autoptr(GHashTable) params = _pc_sandbox_parse_query (msg);
  const char *text = g_hash_table_lookup (params, "bookingid");
  PcBooking *booking;
  gint64 id;

  if (text == NULL)
    {
      _pc_sandbox_response_set_error (response, SOUP_STATUS_BAD_REQUEST,
                                      "BookingID is required.");
      return;
    }

  if (!g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, &id, NULL))
    {
      _pc_sandbox_response_set_error (response, SOUP_STATUS_BAD_REQUEST,
                                      "BookingID must be an integer.");
      return;
    }

  booking = pc_sandbox_lookup (self, id);
  if (booking == NULL)
    {
      _pc_sandbox_response_set_error (response, SOUP_STATUS_NOT_FOUND,
                                      "No booking with BookingID %" G_GINT64_FORMAT " was found.",
                                      id);
      return;
    }

  _pc_sandbox_response_take (response, SOUP_STATUS_OK,
                             pc_json_booking_to_node (booking, self->zone));
}

/* The API's timestamps carry milliseconds at most. */
static GDateTime *
now_in_milliseconds (PcSandbox *self)
{
  g_autoptr(GDateTime) now = pc_clock_get_now (self->clock);

  return g_date_time_add (now, -(g_date_time_get_microsecond (now) % 1000));
}

/* The request's JSON object body (transfer full) and the BookingID it names, or NULL with
 * the error answered. @example shows the body the endpoint takes. */
static JsonNode *
read_action_body (SoupServerMessage *msg,
                  PcSandboxResponse *response,
                  const char        *example,
                  gint64            *id)
{
  g_autoptr(JsonNode) root = _pc_sandbox_parse_body_object (msg);
  JsonNode *id_node;

  if (root == NULL)
    {
      _pc_sandbox_response_set_error (response, SOUP_STATUS_BAD_REQUEST,
                                      "The request body must be a JSON object such as %s.",
                                      example);
      return NULL;
    }

  id_node = _pc_sandbox_get_member_nocase (json_node_get_object (root), "BookingID");
  if (id_node == NULL || JSON_NODE_HOLDS_NULL (id_node))
    {
      _pc_sandbox_response_set_error (response, SOUP_STATUS_BAD_REQUEST,
                                      "BookingID is required.");
      return NULL;
    }
  if (!_pc_sandbox_node_is_integer (id_node))
    {
      _pc_sandbox_response_set_error (response, SOUP_STATUS_BAD_REQUEST,
                                      "BookingID must be an integer.");
      return NULL;
    }

  *id = json_node_get_int (id_node);
  return g_steal_pointer (&root);
}

/* The body's Reason, stripped, or NULL when there is none; FALSE with the error answered
 * when it is not a string, or is missing or blank while @required. */
static gboolean
read_reason (JsonObject        *object,
             gboolean           required,
             PcSandboxResponse *response,
             char             **reason)
{
  JsonNode *node = _pc_sandbox_get_member_nocase (object, "Reason");

  *reason = NULL;
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        {
          _pc_sandbox_response_set_error (response, SOUP_STATUS_BAD_REQUEST,
                                          "Reason must be a string.");
          return FALSE;
        }
      *reason = g_strstrip (g_strdup (json_node_get_string (node)));
    }

  if (*reason != NULL && **reason == '\0')
    g_clear_pointer (reason, g_free);

  if (required && *reason == NULL)
    {
      _pc_sandbox_response_set_error (response, SOUP_STATUS_BAD_REQUEST, "Reason is required.");
      return FALSE;
    }

  return TRUE;
}

static PcBooking *
lookup_booking (PcSandbox         *self,
                gint64             id,
                PcSandboxResponse *response)
{
  PcBooking *booking = pc_sandbox_lookup (self, id);

  if (booking == NULL)
    _pc_sandbox_response_set_error (response, SOUP_STATUS_NOT_FOUND,
                                    "No booking with BookingID %" G_GINT64_FORMAT " was found.",
                                    id);
  return booking;
}

/* @date as the API writes it, or "none". */
static char *
format_date (PcSandbox *self,
             GDateTime *date)
{
  return date != NULL ? pc_datetime_format (date, self->zone) : g_strdup ("none");
}

static void
handle_reinvite (PcSandbox         *self,
                 SoupServerMessage *msg,
                 PcSandboxResponse *response)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) session_date = NULL;
  g_autofree char *reason = NULL;
  PcBooking *booking;
  gint64 id;

  root = read_action_body (msg, response, "{\"BookingID\": 1, \"Reason\": \"…\"}", &id);
  if (root == NULL || !read_reason (json_node_get_object (root), FALSE, response, &reason))
    return;

  /* "If no reason is supplied, a default reason will be used." */
  if (reason == NULL)
    reason = g_strdup (PC_SANDBOX_DEFAULT_REJECTED_REASON);

  booking = lookup_booking (self, id, response);
  if (booking == NULL)
    return;

  if (pc_booking_get_status (booking) != PC_BOOKING_STATUS_PENDING)
    {
      _pc_sandbox_response_set_error (response, SOUP_STATUS_BAD_REQUEST,
                                      "The booking cannot be re-invited: its Status is %s, and "
                                      "only Pending bookings can be re-invited.",
                                      pc_booking_get_status_text (booking));
      return;
    }

  now = now_in_milliseconds (self);
  session_date = pc_booking_dup_session_date (booking);
  if (session_date == NULL || g_date_time_compare (session_date, now) > 0)
    {
      g_autofree char *session = format_date (self, session_date);

      _pc_sandbox_response_set_error (response, SOUP_STATUS_BAD_REQUEST,
                                      "The booking cannot be re-invited yet: its SessionDate (%s) "
                                      "is in the future.", session);
      return;
    }

  g_object_set (booking,
                "status-text", "Rejected",
                "rejected-reason", reason,
                "last-updated", now,
                "action-candidate", NULL,
                NULL);

  _pc_sandbox_response_take (response, SOUP_STATUS_OK,
                             pc_json_booking_to_node (booking, self->zone));
}

/* Accept, reject, cancel and delete, with the rules of the reference: §5.3 (documented),
 * §5.4 and §5.5 (the Webcam twins' rules) and §5.7 (documented). */

/* The performer the sandbox's token belongs to, for CancelledBy. */
#define SANDBOX_PERFORMER_NICKNAME "SandboxPerformer"

/* Refuses, with the API's kind of message, an action the booking's status rules out. */
static gboolean
require_status (PcBooking         *booking,
                PcBookingStatus    status,
                const char        *verb,
                PcSandboxResponse *response)
{
  if (pc_booking_get_status (booking) == status)
    return TRUE;

  _pc_sandbox_response_set_error (response, SOUP_STATUS_BAD_REQUEST,
                                  "The booking cannot be %s: its Status is %s, and only %s "
                                  "bookings can be %s.", verb,
                                  pc_booking_get_status_text (booking),
                                  pc_booking_status_to_string (status), verb);
  return FALSE;
}

/* Refuses when @date (transfer full: the booking's, made for the call) is not after @now
 * (or, with @or_now, before it). */
static gboolean
require_ahead (PcSandbox         *self,
               GDateTime         *date,
               GDateTime         *now,
               gboolean           or_now,
               const char        *verb,
               const char        *member,
               PcSandboxResponse *response)
{
  g_autoptr(GDateTime) owned = date;
  g_autofree char *text = NULL;
  int cmp;

  cmp = date != NULL ? g_date_time_compare (date, now) : -1;
  if (cmp > 0 || (or_now && cmp == 0))
    return TRUE;

  text = format_date (self, date);
  _pc_sandbox_response_set_error (response, SOUP_STATUS_BAD_REQUEST,
                                  "The booking cannot be %s: its %s (%s) has passed.", verb,
                                  member, text);
  return FALSE;
}

static void
answer_booking (PcSandbox         *self,
                PcBooking         *booking,
                PcSandboxResponse *response)
{
  _pc_sandbox_response_take (response, SOUP_STATUS_OK,
                             pc_json_booking_to_node (booking, self->zone));
}

/* POST /v1/PhoneChat/AcceptReceivedBooking {BookingID, Credits}: Pending, AcceptBy and
 * SessionDate in the future. Credits is what the performer wants; it becomes the
 * booking's. */
static void
handle_accept (PcSandbox         *self,
               SoupServerMessage *msg,
               PcSandboxResponse *response)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GDateTime) now = NULL;
  JsonNode *credits_node;
  PcBooking *booking;
  gint64 credits;
  gint64 id;

  root = read_action_body (msg, response, "{\"BookingID\": 1, \"Credits\": 8}", &id);
  if (root == NULL)
    return;

  credits_node = _pc_sandbox_get_member_nocase (json_node_get_object (root), "Credits");
  if (credits_node == NULL || JSON_NODE_HOLDS_NULL (credits_node))
    {
      _pc_sandbox_response_set_error (response, SOUP_STATUS_BAD_REQUEST, "Credits is required.");
      return;
    }
  if (_pc_sandbox_node_is_integer (credits_node) && json_node_get_int (credits_node) >= 0 &&
      json_node_get_int (credits_node) <= G_MAXINT64 / PC_CREDITS_SCALE)
    credits = json_node_get_int (credits_node) * PC_CREDITS_SCALE;
  else if (!JSON_NODE_HOLDS_VALUE (credits_node) ||
           json_node_get_value_type (credits_node) != G_TYPE_DOUBLE ||
           json_node_get_double (credits_node) < 0 ||
           !pc_credits_from_double (json_node_get_double (credits_node), &credits))
    {
      _pc_sandbox_response_set_error (response, SOUP_STATUS_BAD_REQUEST,
                                      "Credits must be a decimal number of 0 or more.");
      return;
    }

  booking = lookup_booking (self, id, response);
  if (booking == NULL || !require_status (booking, PC_BOOKING_STATUS_PENDING, "accepted", response))
    return;

  now = now_in_milliseconds (self);
  if (!require_ahead (self, pc_booking_dup_accept_by (booking), now, FALSE, "accepted",
                      "AcceptBy", response) ||
      !require_ahead (self, pc_booking_dup_session_date (booking), now, FALSE, "accepted",
                      "SessionDate", response))
    return;

  g_object_set (booking,
                "status-text", "Accepted",
                "credits", credits,
                "accepted-date", now,
                "last-updated", now,
                "action-candidate", NULL,
                NULL);
  answer_booking (self, booking, response);
}

/* Reject and cancel: {BookingID, Reason} with a Reason required, for a booking in
 * @status. Returns the booking, or NULL with the error answered. */
static PcBooking *
read_reason_action (PcSandbox         *self,
                    SoupServerMessage *msg,
                    PcSandboxResponse *response,
                    PcBookingStatus    status,
                    const char        *verb,
                    char             **reason)
{
  g_autoptr(JsonNode) root = NULL;
  PcBooking *booking;
  gint64 id;

  root = read_action_body (msg, response, "{\"BookingID\": 1, \"Reason\": \"…\"}", &id);
  if (root == NULL || !read_reason (json_node_get_object (root), TRUE, response, reason))
    return NULL;

  booking = lookup_booking (self, id, response);
  if (booking == NULL || !require_status (booking, status, verb, response))
    return NULL;

  return booking;
}

/* POST /v1/PhoneChat/RejectReceivedBooking {BookingID, Reason}: Pending; Reason required. */
static void
handle_reject (PcSandbox         *self,
               SoupServerMessage *msg,
               PcSandboxResponse *response)
{
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *reason = NULL;
  PcBooking *booking;

  booking = read_reason_action (self, msg, response, PC_BOOKING_STATUS_PENDING, "rejected",
                                &reason);
  if (booking == NULL)
    return;

  now = now_in_milliseconds (self);
  g_object_set (booking,
                "status-text", "Rejected",
                "rejected-reason", reason,
                "last-updated", now,
                "action-candidate", NULL,
                NULL);
  answer_booking (self, booking, response);
}

/* POST /v1/PhoneChat/CancelReceivedBooking {BookingID, Reason}: Accepted, SessionDate not
 * in the past; Reason required. */
static void
handle_cancel (PcSandbox         *self,
               SoupServerMessage *msg,
               PcSandboxResponse *response)
{
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *reason = NULL;
  PcBooking *booking;

  booking = read_reason_action (self, msg, response, PC_BOOKING_STATUS_ACCEPTED, "cancelled",
                                &reason);
  if (booking == NULL)
    return;

  now = now_in_milliseconds (self);
  if (!require_ahead (self, pc_booking_dup_session_date (booking), now, TRUE, "cancelled",
                      "SessionDate", response))
    return;

  g_object_set (booking,
                "status-text", "Cancelled",
                "cancelled-date", now,
                "cancelled-reason", reason,
                "cancelled-by", SANDBOX_PERFORMER_NICKNAME,
                "last-updated", now,
                "action-candidate", NULL,
                NULL);
  answer_booking (self, booking, response);
}

/* BookingIDs: "100,101,102" (spaces allowed around each id). NULL when it is not that. */
static GArray *
parse_booking_ids (const char *text)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; parts[i] != NULL; i++)
    {
      gint64 id;

      if (!g_ascii_string_to_signed (g_strstrip (parts[i]), 10, 1, G_MAXINT64, &id, NULL))
        return NULL;
      g_array_append_val (ids, id);
    }

  return ids->len > 0 ? g_steal_pointer (&ids) : NULL;
}

/* POST /v1/PhoneChat/DeleteReceivedBooking {BookingIDs}: each booking is deleted when
 * Rejected, Cancelled or Confirmed; the answer is 200 with a result per requested id. */
static void
handle_delete (PcSandbox         *self,
               SoupServerMessage *msg,
               PcSandboxResponse *response)
{
  g_autoptr(JsonNode) root = _pc_sandbox_parse_body_object (msg);
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GPtrArray) results = NULL;
  JsonNode *node;

  node = root != NULL ? _pc_sandbox_get_member_nocase (json_node_get_object (root), "BookingIDs")
                      : NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      _pc_sandbox_response_set_error (response, SOUP_STATUS_BAD_REQUEST,
                                      "BookingIDs is required, e.g. {\"BookingIDs\": "
                                      "\"100,101,102\"}.");
      return;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING ||
      (ids = parse_booking_ids (json_node_get_string (node))) == NULL)
    {
      _pc_sandbox_response_set_error (response, SOUP_STATUS_BAD_REQUEST,
                                      "BookingIDs must be a string of comma-separated integers, "
                                      "such as \"100,101,102\".");
      return;
    }

  results = g_ptr_array_new_with_free_func ((GDestroyNotify) pc_delete_result_free);
  for (guint i = 0; i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);
      PcBooking *booking = pc_sandbox_lookup (self, id);
      g_autofree char *message = NULL;

      if (booking == NULL)
        message = g_strdup_printf ("No booking with BookingID %" G_GINT64_FORMAT " was found.",
                                   id);
      else if (!pc_booking_status_is_finished (pc_booking_get_status (booking)))
        message = g_strdup ("The booking cannot be deleted until it is Rejected, Cancelled or "
                            "Confirmed.");
      else
        _pc_sandbox_bookings_remove (self, id);

      g_ptr_array_add (results, pc_delete_result_new (id, message == NULL, message));
    }

  _pc_sandbox_response_take (response, SOUP_STATUS_OK, pc_json_delete_results_to_node (results));
}

typedef void (*EndpointFunc) (PcSandbox         *self,
                              SoupServerMessage *msg,
                              PcSandboxResponse *response);

static const struct
{
  const char   *path;
  const char   *method;
  EndpointFunc  func;
  gboolean      no_token;
  gboolean      inferred; /* absent with pc_sandbox_set_inferred_endpoints (FALSE) */
} endpoints[] = {
  { "/v1/account/verifyCredentials", "GET", handle_verify_credentials },
  { "/v1/PhoneChat/ReceivedBookings", "GET", handle_received_bookings },
  { "/v1/PhoneChat/ReceivedBookingDetails", "GET", handle_booking_details },
  { "/v1/PhoneChat/ReInvite", "POST", handle_reinvite },
  { "/v1/PhoneChat/AcceptReceivedBooking", "POST", handle_accept },
  { "/v1/PhoneChat/RejectReceivedBooking", "POST", handle_reject, FALSE, TRUE },
  { "/v1/PhoneChat/CancelReceivedBooking", "POST", handle_cancel, FALSE, TRUE },
  { "/v1/PhoneChat/DeleteReceivedBooking", "POST", handle_delete },
  { "/OAuth/Authorize", "GET", _pc_sandbox_handle_authorize, TRUE },
  { "/OAuth/token", "POST", _pc_sandbox_handle_token, TRUE },
};

static void
dispatch (PcSandbox         *self,
          SoupServerMessage *msg,
          PcSandboxResponse *response)
{
  const char *path = g_uri_get_path (soup_server_message_get_uri (msg));
  const char *method = soup_server_message_get_method (msg);

  for (guint i = 0; i < G_N_ELEMENTS (endpoints); i++)
    {
      if (g_ascii_strcasecmp (path, endpoints[i].path) != 0)
        continue;
      if (endpoints[i].inferred && self->no_inferred_endpoints)
        break;

      /* libsoup sends no body for HEAD itself. */
      if (g_strcmp0 (method, endpoints[i].method) != 0 &&
          !(method == SOUP_METHOD_HEAD && g_str_equal (endpoints[i].method, "GET")))
        {
          _pc_sandbox_response_set_error (response, SOUP_STATUS_METHOD_NOT_ALLOWED,
                                          "The requested resource does not support http method "
                                          "'%s'.", method);
          response->allow = g_strdup (endpoints[i].method);
          return;
        }

      if (!endpoints[i].no_token && !_pc_sandbox_is_authorized (self, msg))
        {
          _pc_sandbox_response_set_error (response, SOUP_STATUS_UNAUTHORIZED,
                                          "Authorization has been denied for this request.");
          return;
        }

      endpoints[i].func (self, msg, response);
      return;
    }

  _pc_sandbox_response_set_error (response, SOUP_STATUS_NOT_FOUND,
                                  "No HTTP resource was found that matches the request URI "
                                  "'%s'.", path);
}

/* Answers @msg now: a canned body, an injected status, or the endpoint's own answer. */
void
_pc_sandbox_answer (PcSandbox                *self,
                    SoupServerMessage        *msg,
                    PcSandboxRequestEntry    *entry,
                    const PcSandboxFaultPlan *plan)
{
  PcSandboxResponse response = { 0, };

  if (plan->body != PC_SANDBOX_BODY_NONE)
    _pc_sandbox_canned_response (self, msg, plan, &response);
  else if (plan->status != 0)
    _pc_sandbox_response_set_error (&response, plan->status, "Injected fault");
  else
    dispatch (self, msg, &response);

  if (plan->status != 0)
    response.retry_after = plan->retry_after;

  entry->status = response.status;

  if (plan->truncate)
    _pc_sandbox_response_send_truncated (&response, msg);
  else if (plan->reset == PC_SANDBOX_RESET_MID_BODY)
    _pc_sandbox_response_send_reset (&response, msg);
  else
    _pc_sandbox_response_apply (&response, msg);

  _pc_sandbox_response_clear (&response);
}
