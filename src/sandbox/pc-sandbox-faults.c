/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pc-sandbox"

#include "config.h"

#include <string.h>

#include "pc-booking.h"
#include "pc-client.h"
#include "pc-json.h"
#include "pc-sandbox-private.h"

/* Faults: which ones apply to a request (latency, a dropped or reset connection, an
 * injected status, a canned body, a truncated answer), the bodies they send, and the
 * requests that wait for their answer meanwhile. */

typedef struct
{
  PcSandbox             *self;
  SoupServerMessage     *msg;
  PcSandboxRequestEntry *entry;
  PcSandboxFaultPlan     plan;
  guint                  source_id;
  gboolean               client_gone; /* carried out all the same, answered to nobody */
} PendingRequest;

static const char * const reset_names[] = {
  [PC_SANDBOX_RESET_NONE] = NULL,
  [PC_SANDBOX_RESET_BEFORE_HEADERS] = "before-headers",
  [PC_SANDBOX_RESET_MID_BODY] = "mid-body",
};

static const char * const body_names[] = {
  [PC_SANDBOX_BODY_NONE] = NULL,
  [PC_SANDBOX_BODY_HTML] = "html",
  [PC_SANDBOX_BODY_XML] = "xml",
  [PC_SANDBOX_BODY_WRONG_SHAPE] = "wrong-shape",
  [PC_SANDBOX_BODY_HUGE_NICKNAME] = "huge-nickname",
  [PC_SANDBOX_BODY_OVERSIZED] = "oversized",
};

/* NULL for PC_SANDBOX_RESET_NONE. */
const char *
_pc_sandbox_reset_to_string (PcSandboxReset reset)
{
  g_return_val_if_fail (reset < G_N_ELEMENTS (reset_names), NULL);

  return reset_names[reset];
}

gboolean
_pc_sandbox_reset_from_string (const char     *text,
                               PcSandboxReset *reset)
{
  for (guint i = 1; i < G_N_ELEMENTS (reset_names); i++)
    if (g_strcmp0 (text, reset_names[i]) == 0)
      {
        *reset = i;
        return TRUE;
      }

  return FALSE;
}

/* NULL for PC_SANDBOX_BODY_NONE. */
const char *
_pc_sandbox_canned_body_to_string (PcSandboxCannedBody body)
{
  g_return_val_if_fail (body < G_N_ELEMENTS (body_names), NULL);

  return body_names[body];
}

gboolean
_pc_sandbox_canned_body_from_string (const char          *text,
                                     PcSandboxCannedBody *body)
{
  for (guint i = 1; i < G_N_ELEMENTS (body_names); i++)
    if (g_strcmp0 (text, body_names[i]) == 0)
      {
        *body = i;
        return TRUE;
      }

  return FALSE;
}

/* Fills @plan with the faults that apply to a request for @path and names them in
 * @fault_name ("latency+drop", …). Returns FALSE when none does. A request a fault applies
 * to uses up one of the fault limit's requests.
 *
 * What comes first: a drop, then a reset before the headers (nothing is answered), then an
 * injected status and a canned body (the request is not processed), then a truncated
 * answer or a reset in the middle of the body (the endpoint's own answer, cut short). */
gboolean
_pc_sandbox_take_fault_plan (PcSandbox           *self,
                             const char          *path,
                             PcSandboxFaultPlan  *plan,
                             char               **fault_name)
{
  g_autofree char *key = g_ascii_strdown (path, -1);
  PcSandboxStatusFault *status = g_hash_table_lookup (self->path_status, key);
  GPtrArray *names = g_ptr_array_new ();
  gboolean answered;
  gboolean own_answer;

  memset (plan, 0, sizeof *plan);
  plan->latency_ms = self->latency_ms;
  plan->drop = self->drop;
  answered = !plan->drop && self->reset != PC_SANDBOX_RESET_BEFORE_HEADERS;
  if (!plan->drop)
    plan->reset = self->reset == PC_SANDBOX_RESET_BEFORE_HEADERS ? self->reset : PC_SANDBOX_RESET_NONE;
  if (answered && status != NULL)
    {
      plan->status = status->code;
      plan->retry_after = status->retry_after;
    }
  if (answered)
    plan->body = self->body;
  own_answer = answered && plan->status == 0 && plan->body == PC_SANDBOX_BODY_NONE;
  plan->truncate = own_answer && self->truncate;
  if (own_answer && !plan->truncate && self->reset == PC_SANDBOX_RESET_MID_BODY)
    plan->reset = PC_SANDBOX_RESET_MID_BODY;

  if (plan->latency_ms > 0)
    g_ptr_array_add (names, (gpointer) "latency");
  if (plan->drop)
    g_ptr_array_add (names, (gpointer) "drop");
  if (plan->reset != PC_SANDBOX_RESET_NONE)
    g_ptr_array_add (names, (gpointer) "reset");
  if (plan->status != 0)
    g_ptr_array_add (names, (gpointer) "status");
  if (plan->body != PC_SANDBOX_BODY_NONE)
    g_ptr_array_add (names, (gpointer) "body");
  if (plan->truncate)
    g_ptr_array_add (names, (gpointer) "truncate");

  if (names->len == 0)
    {
      g_ptr_array_unref (names);
      *fault_name = NULL;
      return FALSE;
    }

  g_ptr_array_add (names, NULL);
  *fault_name = g_strjoinv ("+", (char **) names->pdata);
  g_ptr_array_unref (names);

  if (self->fault_limit > 0 && --self->fault_limit == 0)
    pc_sandbox_clear_faults (self);

  return TRUE;
}

/* Whether the request must wait, paused, to be answered (or its connection stolen) from a
 * timeout rather than from the server's own I/O callback. */
gboolean
_pc_sandbox_fault_plan_defers (const PcSandboxFaultPlan *plan)
{
  return plan->latency_ms > 0 || plan->drop || plan->truncate ||
         plan->reset != PC_SANDBOX_RESET_NONE;
}

/* Canned bodies */

static const char html_body[] =
  "<!DOCTYPE html>\n"
  "<html>\n"
  "<head><title>503 Service Temporarily Unavailable</title></head>\n"
  "<body>\n"
  "<h1>Service Temporarily Unavailable</h1>\n"
  "<p>The server is temporarily unable to service your request. Please try again "
  "later.</p>\n"
  "</body>\n"
  "</html>\n";

/* The reference's XML sample of a received booking (ReInvite.txt), shortened. */
static const char xml_body[] =
  "<ReceivedBooking xmlns:i=\"http://www.w3.org/2001/XMLSchema-instance\" "
  "xmlns=\"http://schemas.datacontract.org/2004/07/API.Models.PhoneChat.Bookings.Received\">"
  "<AcceptBy>2018-01-22T00:00:00</AcceptBy>"
  "<AcceptedDate i:nil=\"true\" />"
  "<BookingID>1</BookingID>"
  "<Client xmlns:d4p1=\"http://schemas.datacontract.org/2004/07/API.Models.PhoneChat.Bookings\">"
  "<d4p1:Nickname>sample string 1</d4p1:Nickname>"
  "<d4p1:UserID>1</d4p1:UserID>"
  "</Client>"
  "<SessionDate>2018-01-22T00:00:00</SessionDate>"
  "<Status>Pending</Status>"
  "</ReceivedBooking>";

static const char wrong_shape_body[] =
  "[{\"BookingID\": \"4817263\", \"Status\": \"Pending\"}]";

#define OVERSIZED_BODY_SIZE (9 * 1024 * 1024)

static GBytes *
huge_nickname_body (PcSandbox         *self,
                    SoupServerMessage *msg)
{
  const char *path = g_uri_get_path (soup_server_message_get_uri (msg));
  gint64 id = _pc_sandbox_request_booking_id (msg);
  PcBooking *booking = id > 0 ? pc_sandbox_lookup (self, id) : NULL;
  g_autoptr(PcBooking) copy = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *nickname = NULL;
  char *text;

  if (booking == NULL && self->bookings->len > 0)
    booking = g_ptr_array_index (self->bookings, 0);
  if (booking == NULL)
    return NULL;

  copy = pc_booking_copy (booking);
  nickname = g_malloc (PC_SANDBOX_HUGE_NICKNAME_SIZE + 1);
  memset (nickname, 'N', PC_SANDBOX_HUGE_NICKNAME_SIZE);
  nickname[PC_SANDBOX_HUGE_NICKNAME_SIZE] = '\0';
  g_object_set (pc_booking_get_client (copy), "nickname", nickname, NULL);

  if (g_ascii_strcasecmp (path, "/v1/PhoneChat/ReceivedBookings") == 0)
    {
      PcReceivedPage page = {
        .page_count = 1,
        .page_number = 1,
        .bookings_per_page = PC_SANDBOX_DEFAULT_BOOKINGS_PER_PAGE,
        .bookings_total = 1,
      };
      g_autoptr(GPtrArray) bookings = g_ptr_array_new ();

      g_ptr_array_add (bookings, copy);
      page.bookings = bookings;
      node = pc_json_page_to_node (&page, self->zone);
    }
  else
    node = pc_json_booking_to_node (copy, self->zone);

  text = pc_json_node_to_string (node, FALSE);
  return g_bytes_new_take (text, strlen (text));
}

static GBytes *
oversized_body (void)
{
  static const char head[] = "{\"Padding\": \"";
  static const char tail[] = "\"}";
  char *text = g_malloc (OVERSIZED_BODY_SIZE);

  memcpy (text, head, strlen (head));
  memset (text + strlen (head), 'x', OVERSIZED_BODY_SIZE - strlen (head) - strlen (tail));
  memcpy (text + OVERSIZED_BODY_SIZE - strlen (tail), tail, strlen (tail));
  return g_bytes_new_take (text, OVERSIZED_BODY_SIZE);
}

/* The answer of a canned body: with the status injected for the path, else 200. */
void
_pc_sandbox_canned_response (PcSandbox                *self,
                             SoupServerMessage        *msg,
                             const PcSandboxFaultPlan *plan,
                             PcSandboxResponse        *response)
{
  GBytes *raw = NULL;
  const char *content_type = PC_SANDBOX_JSON_CONTENT_TYPE;

  switch (plan->body)
    {
    case PC_SANDBOX_BODY_HTML:
      raw = g_bytes_new_static (html_body, strlen (html_body));
      content_type = "text/html; charset=utf-8";
      break;
    case PC_SANDBOX_BODY_XML:
      raw = g_bytes_new_static (xml_body, strlen (xml_body));
      content_type = "application/xml; charset=utf-8";
      break;
    case PC_SANDBOX_BODY_WRONG_SHAPE:
      raw = g_bytes_new_static (wrong_shape_body, strlen (wrong_shape_body));
      break;
    case PC_SANDBOX_BODY_HUGE_NICKNAME:
      raw = huge_nickname_body (self, msg);
      if (raw == NULL)
        {
          _pc_sandbox_response_set_error (response, SOUP_STATUS_INTERNAL_SERVER_ERROR,
                                          "The sandbox holds no booking to send with a huge "
                                          "nickname.");
          return;
        }
      break;
    case PC_SANDBOX_BODY_OVERSIZED:
      raw = oversized_body ();
      response->chunked = TRUE;
      break;
    case PC_SANDBOX_BODY_NONE:
    default:
      g_assert_not_reached ();
    }

  _pc_sandbox_response_take (response, plan->status != 0 ? plan->status : SOUP_STATUS_OK, NULL);
  response->raw_body = raw;
  response->content_type = content_type;
}

void
_pc_sandbox_pending_request_free (gpointer data)
{
  PendingRequest *pending = data;

  g_clear_handle_id (&pending->source_id, g_source_remove);
  g_clear_object (&pending->msg);
  g_clear_pointer (&pending->entry, _pc_sandbox_request_entry_release);
  g_free (pending);
}

static gboolean
pending_request_ready_cb (gpointer user_data)
{
  PendingRequest *pending = user_data;
  PcSandbox *self = pending->self;
  g_autoptr(SoupServerMessage) msg = g_object_ref (pending->msg);
  PcSandboxRequestEntry *entry = g_rc_box_acquire (pending->entry);
  PcSandboxFaultPlan plan = pending->plan;
  gboolean client_gone = pending->client_gone;

  pending->source_id = 0;
  g_hash_table_remove (self->pending, pending);

  if (client_gone)
    {
      /* Like a real server, which does not notice that the client gave up waiting: it
       * carries the request out, and its answer goes nowhere. There is no connection
       * left to cut short or reset. */
      plan.truncate = FALSE;
      plan.reset = PC_SANDBOX_RESET_NONE;
      _pc_sandbox_answer (self, msg, entry, &plan);
    }
  else if (plan.drop)
    _pc_sandbox_drop_connection (msg);
  else if (plan.reset == PC_SANDBOX_RESET_BEFORE_HEADERS)
    _pc_sandbox_reset_connection (msg);
  else
    {
      _pc_sandbox_answer (self, msg, entry, &plan);
      /* A truncated or reset answer took the connection. */
      if (!plan.truncate && plan.reset == PC_SANDBOX_RESET_NONE)
        soup_server_message_unpause (msg);
    }

  _pc_sandbox_request_entry_release (entry);
  return G_SOURCE_REMOVE;
}

/* Stealing the connection or answering later both happen outside the server's own I/O
 * callback, from a timeout, with the message paused meanwhile. */
void
_pc_sandbox_defer_request (PcSandbox                *self,
                           SoupServerMessage        *msg,
                           PcSandboxRequestEntry    *entry,
                           const PcSandboxFaultPlan *plan)
{
  PendingRequest *pending = g_new0 (PendingRequest, 1);

  pending->self = self;
  pending->msg = g_object_ref (msg);
  pending->entry = g_rc_box_acquire (entry);
  pending->plan = *plan;
  pending->source_id = g_timeout_add (plan->latency_ms, pending_request_ready_cb, pending);
  g_source_set_name_by_id (pending->source_id, "[pc-sandbox] pending request");
  g_hash_table_add (self->pending, pending);
  soup_server_message_pause (msg);
}

/* The client went away: forget its request, if it was waiting. */
void
_pc_sandbox_forget_pending (PcSandbox         *self,
                            SoupServerMessage *msg)
{
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, self->pending);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      PendingRequest *pending = key;

      if (pending->msg == msg)
        {
          /* A request that changes something is still carried out when its time comes
           * (a server does not undo what it received because the client left). */
          if (!pending->plan.drop && pending->plan.status == 0 &&
              pending->plan.reset != PC_SANDBOX_RESET_BEFORE_HEADERS &&
              pending->plan.body == PC_SANDBOX_BODY_NONE &&
              soup_server_message_get_method (msg) == SOUP_METHOD_POST)
            pending->client_gone = TRUE;
          else
            g_hash_table_iter_remove (&iter);
          break;
        }
    }
}

/* Ends the wait of every request held back by latency now, as if its latency were over.
 * A test uses it to let the server act on a request its client gave up on. */
void
pc_sandbox_release_held (PcSandbox *self)
{
  g_autoptr(GPtrArray) held = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  g_return_if_fail (PC_IS_SANDBOX (self));

  g_hash_table_iter_init (&iter, self->pending);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (held, key);

  for (guint i = 0; i < held->len; i++)
    {
      PendingRequest *pending = g_ptr_array_index (held, i);

      /* Answering one may have ended another. */
      if (!g_hash_table_contains (self->pending, pending))
        continue;

      g_clear_handle_id (&pending->source_id, g_source_remove);
      pending_request_ready_cb (pending);
    }
}
