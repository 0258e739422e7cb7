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

/* The four endpoints PhoneChat uses, with the rules the reference documents: a bearer
 * token, paths compared case-insensitively, errors as `{"Message": "…"}`, and ReInvite only
 * for a Pending booking whose SessionDate is not in the future. */

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

static void
handle_reinvite (PcSandbox         *self,
                 SoupServerMessage *msg,
                 PcSandboxResponse *response)
{
  g_autoptr(JsonNode) root = _pc_sandbox_parse_body_object (msg);
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *reason = NULL;
  JsonObject *object;
  JsonNode *id_node;
  JsonNode *reason_node;
  PcBooking *booking;
  gint64 id;

  if (root == NULL)
    {
      _pc_sandbox_response_set_error (response, SOUP_STATUS_BAD_REQUEST,
                                      "The request body must be a JSON object such as "
                                      "{\"BookingID\": 1, \"Reason\": \"…\"}.");
      return;
    }

  object = json_node_get_object (root);
  id_node = _pc_sandbox_get_member_nocase (object, "BookingID");
  if (id_node == NULL || JSON_NODE_HOLDS_NULL (id_node))
    {
      _pc_sandbox_response_set_error (response, SOUP_STATUS_BAD_REQUEST,
                                      "BookingID is required.");
      return;
    }
  if (!_pc_sandbox_node_is_integer (id_node))
    {
      _pc_sandbox_response_set_error (response, SOUP_STATUS_BAD_REQUEST,
                                      "BookingID must be an integer.");
      return;
    }
  id = json_node_get_int (id_node);

  reason_node = _pc_sandbox_get_member_nocase (object, "Reason");
  if (reason_node != NULL && !JSON_NODE_HOLDS_NULL (reason_node))
    {
      if (!JSON_NODE_HOLDS_VALUE (reason_node) ||
          json_node_get_value_type (reason_node) != G_TYPE_STRING)
        {
          _pc_sandbox_response_set_error (response, SOUP_STATUS_BAD_REQUEST,
                                          "Reason must be a string.");
          return;
        }
      reason = g_strstrip (g_strdup (json_node_get_string (reason_node)));
    }

  /* "If no reason is supplied, a default reason will be used." */
  if (reason == NULL || *reason == '\0')
    pc_set_str (&reason, PC_SANDBOX_DEFAULT_REJECTED_REASON);

  booking = pc_sandbox_lookup (self, id);
  if (booking == NULL)
    {
      _pc_sandbox_response_set_error (response, SOUP_STATUS_NOT_FOUND,
                                      "No booking with BookingID %" G_GINT64_FORMAT " was found.",
                                      id);
      return;
    }

  if (pc_booking_get_status (booking) != PC_BOOKING_STATUS_PENDING)
    {
      _pc_sandbox_response_set_error (response, SOUP_STATUS_BAD_REQUEST,
                                      "The booking cannot be re-invited: its Status is %s, and "
                                      "only Pending bookings can be re-invited.",
                                      pc_booking_get_status_text (booking));
      return;
    }

  now = now_in_milliseconds (self);
  if (pc_booking_get_session_date (booking) == NULL ||
      g_date_time_compare (pc_booking_get_session_date (booking), now) > 0)
    {
      g_autofree char *session = NULL;

      if (pc_booking_get_session_date (booking) != NULL)
        session = pc_datetime_format (pc_booking_get_session_date (booking), self->zone);
      _pc_sandbox_response_set_error (response, SOUP_STATUS_BAD_REQUEST,
                                      "The booking cannot be re-invited yet: its SessionDate (%s) "
                                      "is in the future.", session ? session : "none");
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

typedef void (*EndpointFunc) (PcSandbox         *self,
                              SoupServerMessage *msg,
                              PcSandboxResponse *response);

static const struct
{
  const char   *path;
  const char   *method;
  EndpointFunc  func;
  gboolean      no_token;
} endpoints[] = {
  { "/v1/account/verifyCredentials", "GET", handle_verify_credentials },
  { "/v1/PhoneChat/ReceivedBookings", "GET", handle_received_bookings },
  { "/v1/PhoneChat/ReceivedBookingDetails", "GET", handle_booking_details },
  { "/v1/PhoneChat/ReInvite", "POST", handle_reinvite },
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
