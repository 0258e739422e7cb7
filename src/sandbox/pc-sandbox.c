/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pc-sandbox"

#include "config.h"

#include <string.h>

#include "pc-booking.h"
#include "pc-clock.h"
#include "pc-json.h"
#include "pc-sandbox-private.h"
#include "pc-utils.h"

/**
 * PcSandbox:
 *
 * A loopback stand-in for the PhoneChat API. It answers the four endpoints the app uses
 * with the rules the reference documents (bearer token required, ReInvite only for a
 * Pending booking whose SessionDate is not in the future, errors as `{"Message": "…"}`),
 * keeps a log of what it was asked, and can misbehave on purpose (latency, an injected
 * status with or without Retry-After, truncated bodies, dropped or reset connections, and
 * canned bodies that are not the API's JSON).
 *
 * It also stands in for Unified Login (OAuth 2.0, pc-sandbox-oauth.c), whose access
 * tokens the endpoints accept until they expire.
 *
 * It speaks the server's language: its messages are English and not translated, as a
 * real server's would be.
 *
 * Routing follows what the reference infers about the real API: paths and query
 * parameter names compare case-insensitively.
 *
 * `/_sandbox/` endpoints control the sandbox from other processes; they need no token,
 * are never faulted and are not logged.
 *
 * This file holds the object, the server and the public API; the parts it is made of
 * live beside it in pc-sandbox-*.c and share its state through pc-sandbox-private.h.
 */

G_DEFINE_FINAL_TYPE (PcSandbox, pc_sandbox, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CLOCK,
  PROP_TOKEN,
  PROP_URL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Server ------------------------------------------------------------------------------ */

static void
server_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  PcSandbox *self = user_data;
  PcSandboxRequestEntry *entry;
  PcSandboxFaultPlan plan = { 0, };

  if (g_ascii_strncasecmp (path, "/_sandbox/", strlen ("/_sandbox/")) == 0)
    {
      _pc_sandbox_handle_control (self, msg, path);
      return;
    }

  entry = _pc_sandbox_log_request (self, msg, path);

  if (!_pc_sandbox_take_fault_plan (self, path, &plan, &entry->fault) ||
      !_pc_sandbox_fault_plan_defers (&plan))
    {
      _pc_sandbox_answer (self, msg, entry, &plan);
      return;
    }

  _pc_sandbox_defer_request (self, msg, entry, &plan);
}

static void
request_aborted_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  PcSandbox *self = user_data;

  _pc_sandbox_forget_pending (self, msg);
}

/* GObject ----------------------------------------------------------------------------- */

static void
pc_sandbox_dispose (GObject *object)
{
  PcSandbox *self = (PcSandbox *) object;

  g_clear_handle_id (&self->arrival_source_id, g_source_remove);
  pc_sandbox_stop (self);
  g_clear_object (&self->clock);

  G_OBJECT_CLASS (pc_sandbox_parent_class)->dispose (object);
}

static void
pc_sandbox_finalize (GObject *object)
{
  PcSandbox *self = (PcSandbox *) object;

  g_clear_pointer (&self->pending, g_hash_table_unref);
  _pc_sandbox_bookings_finalize (self);
  g_clear_pointer (&self->log, g_ptr_array_unref);
  g_clear_pointer (&self->path_status, g_hash_table_unref);
  g_clear_pointer (&self->oauth, _pc_sandbox_oauth_free);
  g_clear_pointer (&self->zone, g_time_zone_unref);
  g_clear_pointer (&self->token, g_free);
  g_clear_pointer (&self->url, g_free);

  G_OBJECT_CLASS (pc_sandbox_parent_class)->finalize (object);
}

static void
pc_sandbox_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  PcSandbox *self = PC_SANDBOX (object);

  switch (prop_id)
    {
    case PROP_CLOCK:
      g_value_set_object (value, self->clock);
      break;
    case PROP_TOKEN:
      g_value_set_string (value, self->token);
      break;
    case PROP_URL:
      g_value_set_string (value, self->url);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pc_sandbox_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  PcSandbox *self = PC_SANDBOX (object);

  switch (prop_id)
    {
    case PROP_CLOCK:
      g_set_object (&self->clock, g_value_get_object (value));
      break;
    case PROP_TOKEN:
      pc_set_str (&self->token, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pc_sandbox_constructed (GObject *object)
{
  PcSandbox *self = (PcSandbox *) object;

  G_OBJECT_CLASS (pc_sandbox_parent_class)->constructed (object);

  if (self->clock == NULL)
    self->clock = pc_clock_new_system ();
  if (self->token == NULL || *self->token == '\0')
    pc_set_str (&self->token, PC_SANDBOX_DEFAULT_TOKEN);
}

static void
pc_sandbox_class_init (PcSandboxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = pc_sandbox_constructed;
  object_class->dispose = pc_sandbox_dispose;
  object_class->finalize = pc_sandbox_finalize;
  object_class->get_property = pc_sandbox_get_property;
  object_class->set_property = pc_sandbox_set_property;

  properties[PROP_CLOCK] =
    g_param_spec_object ("clock", NULL, NULL, PC_TYPE_CLOCK,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOKEN] =
    g_param_spec_string ("token", NULL, NULL, PC_SANDBOX_DEFAULT_TOKEN,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_URL] =
    g_param_spec_string ("url", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pc_sandbox_init (PcSandbox *self)
{
  self->zone = pc_json_get_default_zone ();
  _pc_sandbox_bookings_init (self);
  self->log = g_ptr_array_new_with_free_func (_pc_sandbox_request_entry_release);
  self->pending = g_hash_table_new_full (NULL, NULL, _pc_sandbox_pending_request_free, NULL);
  self->path_status = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->oauth = _pc_sandbox_oauth_new ();
}

/* Public API -------------------------------------------------------------------------- */

/**
 * pc_sandbox_new:
 * @clock: (nullable): where "now" comes from; %NULL for the system clock
 * @token: (nullable): the access token the sandbox accepts; %NULL for "demo-token"
 *
 * The sandbox starts empty: load bookings with pc_sandbox_load_demo() or
 * pc_sandbox_load_file(), then pc_sandbox_listen().
 *
 * Returns: (transfer full): a new sandbox
 */
PcSandbox *
pc_sandbox_new (PcClock    *clock,
                const char *token)
{
  g_return_val_if_fail (clock == NULL || PC_IS_CLOCK (clock), NULL);

  return g_object_new (PC_TYPE_SANDBOX,
                       "clock", clock,
                       "token", token,
                       NULL);
}

PcClock *
pc_sandbox_get_clock (PcSandbox *self)
{
  g_return_val_if_fail (PC_IS_SANDBOX (self), NULL);

  return self->clock;
}

const char *
pc_sandbox_get_token (PcSandbox *self)
{
  g_return_val_if_fail (PC_IS_SANDBOX (self), NULL);

  return self->token;
}

/**
 * pc_sandbox_get_zone:
 *
 * Returns: (transfer none): the API's time zone the sandbox reads and writes dates in
 */
GTimeZone *
pc_sandbox_get_zone (PcSandbox *self)
{
  g_return_val_if_fail (PC_IS_SANDBOX (self), NULL);

  return self->zone;
}

guint
pc_sandbox_get_port (PcSandbox *self)
{
  g_return_val_if_fail (PC_IS_SANDBOX (self), 0);

  return self->port;
}

/**
 * pc_sandbox_remove_all:
 *
 * Forgets every booking.
 */
void
pc_sandbox_remove_all (PcSandbox *self)
{
  g_return_if_fail (PC_IS_SANDBOX (self));

  _pc_sandbox_bookings_remove_all (self);
}

/**
 * pc_sandbox_add_booking:
 * @booking: a booking; the sandbox takes a reference and sets its clock
 *
 * Adds @booking, replacing a booking with the same id in place.
 */
void
pc_sandbox_add_booking (PcSandbox *self,
                        PcBooking *booking)
{
  g_return_if_fail (PC_IS_SANDBOX (self));
  g_return_if_fail (PC_IS_BOOKING (booking));

  pc_booking_set_clock (booking, self->clock);
  _pc_sandbox_bookings_add (self, booking);
}

/**
 * pc_sandbox_load_demo:
 *
 * Replaces the bookings with the built-in demo set: twelve bookings whose dates are
 * relative to the clock's now. Four are Pending with the session passed (they can be
 * re-invited), one is Pending with the session three hours ahead, and the others are
 * Accepted, Confirmed, Cancelled and Rejected.
 */
void
pc_sandbox_load_demo (PcSandbox *self)
{
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GPtrArray) bookings = NULL;

  g_return_if_fail (PC_IS_SANDBOX (self));

  now = pc_clock_get_now (self->clock);
  bookings = _pc_sandbox_demo_new_bookings (now, self->zone);

  pc_sandbox_remove_all (self);
  for (guint i = 0; i < bookings->len; i++)
    pc_sandbox_add_booking (self, g_ptr_array_index (bookings, i));
}

/**
 * pc_sandbox_load_reinvitable:
 * @n_bookings: how many bookings
 *
 * Replaces the bookings with @n_bookings Pending bookings whose sessions have passed, so
 * that each can be re-invited once: ids %PC_SANDBOX_REINVITABLE_FIRST_ID,
 * %PC_SANDBOX_REINVITABLE_FIRST_ID + 1, …, nicknames "caller_1", "caller_2", …. For load
 * tests and demos of long lists.
 */
void
pc_sandbox_load_reinvitable (PcSandbox *self,
                             guint      n_bookings)
{
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GPtrArray) bookings = NULL;

  g_return_if_fail (PC_IS_SANDBOX (self));

  now = pc_clock_get_now (self->clock);
  bookings = _pc_sandbox_reinvitable_new_bookings (now, self->zone, n_bookings);

  pc_sandbox_remove_all (self);
  for (guint i = 0; i < bookings->len; i++)
    pc_sandbox_add_booking (self, g_ptr_array_index (bookings, i));
}

/**
 * pc_sandbox_load_generated:
 * @n_bookings: how many bookings
 *
 * Replaces the bookings with @n_bookings made from the demo set: every state, sessions
 * on quarter hours spread over half a year before and after the clock's now, ids
 * %PC_SANDBOX_GENERATED_FIRST_ID, %PC_SANDBOX_GENERATED_FIRST_ID + 1, …, and nicknames
 * "caller_" with eight hex digits. The same count and clock give the same bookings. For
 * load tests and benchmarks of long lists.
 */
void
pc_sandbox_load_generated (PcSandbox *self,
                           guint      n_bookings)
{
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GPtrArray) bookings = NULL;

  g_return_if_fail (PC_IS_SANDBOX (self));

  now = pc_clock_get_now (self->clock);
  bookings = _pc_sandbox_generated_new_bookings (now, self->zone, n_bookings);

  pc_sandbox_remove_all (self);
  for (guint i = 0; i < bookings->len; i++)
    pc_sandbox_add_booking (self, g_ptr_array_index (bookings, i));
}

/**
 * pc_sandbox_load_bytes:
 * @bytes: a page envelope or a bare JSON array of bookings
 *
 * Replaces the bookings with those in @bytes. Nothing changes on an error.
 *
 * Returns: %TRUE on success; %FALSE with a #PC_JSON_ERROR, or a %G_IO_ERROR_INVALID_DATA
 *   when two bookings share an id
 */
gboolean
pc_sandbox_load_bytes (PcSandbox  *self,
                       GBytes     *bytes,
                       GError    **error)
{
  g_autoptr(PcReceivedPage) page = NULL;
  g_autoptr(GHashTable) seen = NULL;

  g_return_val_if_fail (PC_IS_SANDBOX (self), FALSE);
  g_return_val_if_fail (bytes != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  page = pc_json_page_from_bytes (bytes, self->zone, error);
  if (page == NULL)
    return FALSE;

  /* Ids must be unique: ReceivedBookingDetails and ReInvite look bookings up by id. */
  seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  for (guint i = 0; i < page->bookings->len; i++)
    {
      gint64 id = pc_booking_get_booking_id (g_ptr_array_index (page->bookings, i));

      if (!g_hash_table_add (seen, g_memdup2 (&id, sizeof id)))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "Bookings[%u].BookingID: %" G_GINT64_FORMAT " appears more than once",
                       i, id);
          return FALSE;
        }
    }

  pc_sandbox_remove_all (self);
  for (guint i = 0; i < page->bookings->len; i++)
    pc_sandbox_add_booking (self, g_ptr_array_index (page->bookings, i));

  return TRUE;
}

/**
 * pc_sandbox_load_file:
 * @path: a JSON file: a page envelope or a bare array of bookings
 *
 * Replaces the bookings with those in @path. Nothing changes on an error, and the error
 * names the file.
 *
 * Returns: %TRUE on success
 */
gboolean
pc_sandbox_load_file (PcSandbox   *self,
                      const char  *path,
                      GError     **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *display = NULL;
  char *contents = NULL;
  gsize len = 0;

  g_return_val_if_fail (PC_IS_SANDBOX (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  display = g_filename_display_name (path);
  if (!g_file_get_contents (path, &contents, &len, error))
    return FALSE;

  bytes = g_bytes_new_take (contents, len);
  if (!pc_sandbox_load_bytes (self, bytes, error))
    {
      g_prefix_error (error, "%s: ", display);
      return FALSE;
    }

  return TRUE;
}

/**
 * pc_sandbox_listen:
 * @port: the port on 127.0.0.1, or 0 for any free port
 *
 * Starts serving on 127.0.0.1 only, in the thread-default main context.
 *
 * Returns: %TRUE when listening
 */
gboolean
pc_sandbox_listen (PcSandbox  *self,
                   guint       port,
                   GError    **error)
{
  g_autoptr(SoupServer) server = NULL;
  GSList *uris;

  g_return_val_if_fail (PC_IS_SANDBOX (self), FALSE);
  g_return_val_if_fail (self->server == NULL, FALSE);
  g_return_val_if_fail (port <= G_MAXUINT16, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  server = soup_server_new ("server-header", "PhoneChat-Sandbox ", NULL);
  soup_server_add_handler (server, NULL, server_cb, self, NULL);
  g_signal_connect_object (server, "request-aborted", G_CALLBACK (request_aborted_cb), self, 0);

  /* listen_local binds the loopback address only; IPV4_ONLY keeps it to 127.0.0.1. */
  if (!soup_server_listen_local (server, port, SOUP_SERVER_LISTEN_IPV4_ONLY, error))
    return FALSE;

  uris = soup_server_get_uris (server);
  g_assert (uris != NULL);
  self->port = (guint) g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  self->server = g_steal_pointer (&server);
  g_free (self->url);
  self->url = g_strdup_printf ("http://127.0.0.1:%u", self->port);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_URL]);

  return TRUE;
}

/**
 * pc_sandbox_get_url:
 *
 * Returns: (nullable): "http://127.0.0.1:PORT" while listening, else %NULL
 */
const char *
pc_sandbox_get_url (PcSandbox *self)
{
  g_return_val_if_fail (PC_IS_SANDBOX (self), NULL);

  return self->url;
}

/**
 * pc_sandbox_stop:
 *
 * Stops listening and closes every connection; requests waiting on a fault are
 * forgotten. The bookings and the request log stay.
 */
void
pc_sandbox_stop (PcSandbox *self)
{
  g_return_if_fail (PC_IS_SANDBOX (self));

  if (self->pending != NULL)
    g_hash_table_remove_all (self->pending);

  if (self->server != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->server, self);
      soup_server_disconnect (self->server);
      g_clear_object (&self->server);
    }

  self->port = 0;
  if (self->url != NULL)
    {
      g_clear_pointer (&self->url, g_free);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_URL]);
    }
}

/**
 * pc_sandbox_lookup:
 *
 * Returns: (transfer none) (nullable): the booking with @booking_id as the server holds
 *   it now
 */
PcBooking *
pc_sandbox_lookup (PcSandbox *self,
                   gint64     booking_id)
{
  g_return_val_if_fail (PC_IS_SANDBOX (self), NULL);

  return g_hash_table_lookup (self->by_id, &booking_id);
}

/**
 * pc_sandbox_get_bookings:
 *
 * Returns: (transfer none) (element-type PcBooking): every booking, in load order
 */
GPtrArray *
pc_sandbox_get_bookings (PcSandbox *self)
{
  g_return_val_if_fail (PC_IS_SANDBOX (self), NULL);

  return self->bookings;
}

/**
 * pc_sandbox_set_latency:
 * @milliseconds: how long to wait before answering each API request; 0 for none
 */
void
pc_sandbox_set_latency (PcSandbox *self,
                        guint      milliseconds)
{
  g_return_if_fail (PC_IS_SANDBOX (self));

  self->latency_ms = milliseconds;
}

/**
 * pc_sandbox_set_path_status:
 * @path: a request path such as "/v1/PhoneChat/ReInvite" (case-insensitive)
 * @status: the HTTP status to answer with `{"Message": "Injected fault"}`; 0 clears
 *
 * The request is not processed: nothing changes on the server.
 */
void
pc_sandbox_set_path_status (PcSandbox  *self,
                            const char *path,
                            guint       status)
{
  pc_sandbox_set_path_status_full (self, path, status, 0);
}

/**
 * pc_sandbox_set_path_status_full:
 * @retry_after: the seconds a `Retry-After` header sent with the status says; 0 for no
 *   such header
 *
 * Like pc_sandbox_set_path_status().
 */
void
pc_sandbox_set_path_status_full (PcSandbox  *self,
                                 const char *path,
                                 guint       status,
                                 guint       retry_after)
{
  PcSandboxStatusFault *fault;

  g_return_if_fail (PC_IS_SANDBOX (self));
  g_return_if_fail (path != NULL);
  g_return_if_fail (status == 0 || (status >= 100 && status <= 599));

  if (status == 0)
    {
      g_autofree char *key = g_ascii_strdown (path, -1);

      g_hash_table_remove (self->path_status, key);
      return;
    }

  fault = g_new0 (PcSandboxStatusFault, 1);
  fault->code = status;
  fault->retry_after = retry_after;
  g_hash_table_replace (self->path_status, g_ascii_strdown (path, -1), fault);
}

/**
 * pc_sandbox_set_truncate_bodies:
 *
 * When set, the request is processed (a re-invite happens), then the answer is sent with
 * its full Content-Length but only half of its body, and the connection is closed.
 */
void
pc_sandbox_set_truncate_bodies (PcSandbox *self,
                                gboolean   truncate)
{
  g_return_if_fail (PC_IS_SANDBOX (self));

  self->truncate = !!truncate;
}

/**
 * pc_sandbox_set_inferred_endpoints:
 * @offered: %FALSE to act like a server without the inferred endpoints
 *
 * RejectReceivedBooking and CancelReceivedBooking are not in the stored documentation;
 * their paths are inferred from the Webcam API. A server may well not have them: with
 * @offered %FALSE they answer 404 like any unknown path.
 */
void
pc_sandbox_set_inferred_endpoints (PcSandbox *self,
                                   gboolean   offered)
{
  g_return_if_fail (PC_IS_SANDBOX (self));

  self->no_inferred_endpoints = !offered;
}

/**
 * pc_sandbox_set_drop_connections:
 *
 * When set, each API request is read and its connection closed without an answer. The
 * request is not processed: nothing changes on the server.
 */
void
pc_sandbox_set_drop_connections (PcSandbox *self,
                                 gboolean   drop)
{
  g_return_if_fail (PC_IS_SANDBOX (self));

  self->drop = !!drop;
}

/**
 * pc_sandbox_set_reset:
 *
 * Resets (TCP RST) the connection of each API request, before its answer or in the middle
 * of its body; see #PcSandboxReset.
 */
void
pc_sandbox_set_reset (PcSandbox      *self,
                      PcSandboxReset  reset)
{
  g_return_if_fail (PC_IS_SANDBOX (self));
  g_return_if_fail (reset <= PC_SANDBOX_RESET_MID_BODY);

  self->reset = reset;
}

/**
 * pc_sandbox_set_canned_body:
 *
 * Answers each API request with @body instead of the endpoint's answer; see
 * #PcSandboxCannedBody.
 */
void
pc_sandbox_set_canned_body (PcSandbox           *self,
                            PcSandboxCannedBody  body)
{
  g_return_if_fail (PC_IS_SANDBOX (self));
  g_return_if_fail (body <= PC_SANDBOX_BODY_OVERSIZED);

  self->body = body;
}

void
pc_sandbox_set_fault_limit (PcSandbox *self,
                            guint      times)
{
  g_return_if_fail (PC_IS_SANDBOX (self));

  self->fault_limit = times;
}

/**
 * pc_sandbox_clear_faults:
 *
 * Turns every fault off; what `POST /_sandbox/faults {}` does.
 */
void
pc_sandbox_clear_faults (PcSandbox *self)
{
  g_return_if_fail (PC_IS_SANDBOX (self));

  self->latency_ms = 0;
  self->truncate = FALSE;
  self->drop = FALSE;
  self->reset = PC_SANDBOX_RESET_NONE;
  self->body = PC_SANDBOX_BODY_NONE;
  self->fault_limit = 0;
  g_hash_table_remove_all (self->path_status);
}

guint
pc_sandbox_count_requests (PcSandbox  *self,
                           const char *method,
                           const char *path)
{
  g_return_val_if_fail (PC_IS_SANDBOX (self), 0);

  return _pc_sandbox_log_count (self, method, path, TRUE, 0);
}

guint
pc_sandbox_count_booking_requests (PcSandbox  *self,
                                   const char *method,
                                   const char *path,
                                   gint64      booking_id)
{
  g_return_val_if_fail (PC_IS_SANDBOX (self), 0);

  return _pc_sandbox_log_count (self, method, path, FALSE, booking_id);
}

void
pc_sandbox_clear_requests (PcSandbox *self)
{
  g_return_if_fail (PC_IS_SANDBOX (self));

  g_ptr_array_set_size (self->log, 0);
}

/**
 * pc_sandbox_get_requests_node:
 *
 * Returns: (transfer full): a JSON array with one object per API request received, in
 *   order: `method`, `path`, `BookingID` (from the query or the JSON body; null when the
 *   request named none), `status` (0 while unanswered or when dropped) and `fault`
 *   (null, or which fault applied: "latency", "drop", "reset", "status", "body",
 *   "truncate", joined by +)
 */
JsonNode *
pc_sandbox_get_requests_node (PcSandbox *self)
{
  g_return_val_if_fail (PC_IS_SANDBOX (self), NULL);

  return _pc_sandbox_log_to_node (self);
}
