/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "pc-api.h"
#include "pc-booking.h"
#include "pc-clock.h"
#include "pc-json.h"
#include "pc-sandbox.h"
#include "test-utils.h"

/* Every test talks to a real server on 127.0.0.1 that shares the test's main context, one
 * of two kinds:
 *
 * - PcSandbox, the project's stand-in for the API, for PcApi's behaviour against the faults
 *   it injects (a server that never answers, a dropped connection, a status on a path, an
 *   answer cut short) and for paging through real pages. Its request log tells what
 *   reached the server and what became of each request.
 * - A hand-made server answering from a small route table, for what the sandbox never
 *   sends; its section below says what that is.
 */

#define TEST_TOKEN "test-token-3f9a1c"
#define BOOKING_ID 4817263
#define USER_AGENT "PhoneChat/" PACKAGE_VERSION " (" APP_ID ")"
#define REINVITE_PATH "/v1/PhoneChat/ReInvite"
#define DETAILS_PATH "/v1/PhoneChat/ReceivedBookingDetails"
#define LIST_PATH "/v1/PhoneChat/ReceivedBookings"
#define VERIFY_PATH "/v1/account/verifyCredentials"
#define ACCEPT_PATH "/v1/PhoneChat/AcceptReceivedBooking"
#define REJECT_PATH "/v1/PhoneChat/RejectReceivedBooking"
#define CANCEL_PATH "/v1/PhoneChat/CancelReceivedBooking"
#define DELETE_PATH "/v1/PhoneChat/DeleteReceivedBooking"

/* A sandbox latency longer than any test runs: the server never answers. */
#define NEVER_MS (60 * 60 * 1000)

typedef struct
{
  /* A test has either a sandbox... */
  PcClock      *clock;
  PcSandbox    *sandbox;

  /* ...or the hand-made server. */
  SoupServer   *server;
  GPtrArray    *routes;
  GPtrArray    *requests;
  GPtrArray    *pages;

  SoupSession  *session;
  PcApi        *api;
  char         *base_url;
  GAsyncResult *result;
} Fixture;

static void
api_setup (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  /* The application's session: its connection policy is part of what is tested. */
  f->session = pc_api_new_session ();
  f->api = pc_api_new (f->session, f->base_url, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->api);
  pc_api_set_token (f->api, TEST_TOKEN);
}

/* The sandbox */

/* A copy of a booking in tests/data, read in the sandbox's zone. */
static PcBooking *
booking_from_data (Fixture    *f,
                   const char *data_file)
{
  g_autoptr(GBytes) bytes = pc_test_load_data (data_file);
  g_autoptr(GError) error = NULL;
  PcBooking *booking;

  booking = pc_json_booking_from_bytes (bytes, pc_sandbox_get_zone (f->sandbox), &error);
  g_assert_no_error (error);
  return booking;
}

/* The sandbox holds one booking, BOOKING_ID, pending and with its session passed: it can
 * be re-invited. */
static void
sandbox_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GDateTime) now = pc_test_utc (2025, 6, 15, 12, 0, 0);
  g_autoptr(PcBooking) booking = NULL;
  g_autoptr(GError) error = NULL;

  f->clock = pc_clock_new_fixed (now);
  f->sandbox = pc_sandbox_new (f->clock, TEST_TOKEN);
  booking = booking_from_data (f, "received-booking.json");
  pc_sandbox_add_booking (f->sandbox, booking);
  pc_sandbox_listen (f->sandbox, 0, &error);
  g_assert_no_error (error);
  f->base_url = g_strdup (pc_sandbox_get_url (f->sandbox));

  api_setup (f);
}

/* The sandbox's request log, a line per request: "METHOD PATH BOOKINGID STATUS FAULT",
 * where BOOKINGID is 0 for a request about no booking, STATUS 0 for a request never
 * answered and FAULT "-" when no fault applied. */
static char *
sandbox_log (Fixture *f)
{
  g_autoptr(JsonNode) node = pc_sandbox_get_requests_node (f->sandbox);
  JsonArray *entries = json_node_get_array (node);
  GString *log = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonObject *entry = json_array_get_object_element (entries, i);
      gint64 booking_id = 0;
      const char *fault = "-";

      if (!json_object_get_null_member (entry, "BookingID"))
        booking_id = json_object_get_int_member (entry, "BookingID");
      if (!json_object_get_null_member (entry, "fault"))
        fault = json_object_get_string_member (entry, "fault");

      g_string_append_printf (log, "%s %s %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %s\n",
                              json_object_get_string_member (entry, "method"),
                              json_object_get_string_member (entry, "path"),
                              booking_id, json_object_get_int_member (entry, "status"),
                              fault);
    }

  return g_string_free (log, FALSE);
}

#define assert_sandbox_log(f, expected)                  \
  G_STMT_START {                                         \
    g_autofree char *log_ = sandbox_log (f);             \
    g_assert_cmpstr (log_, ==, expected);                \
  } G_STMT_END

/* The hand-made server
 *
 * It answers from a route table and keeps every request whole: its headers, query and
 * body. Only the tests that need what PcSandbox cannot give run against it:
 *
 * - what PcApi sends, byte for byte: the sandbox's request log keeps no headers and no
 *   bodies;
 * - the API documentation's example answers in tests/data, served byte for byte, where
 *   the sandbox would write its own JSON;
 * - answers the sandbox never gives: HTML and XML pages, malformed JSON, comment-only
 *   bodies, error bodies of other shapes, Retry-After and Location headers, oversized
 *   chunked bodies, pages whose PageCount says more than there is, and a server that
 *   never runs out of pages;
 * - TLS.
 */

typedef enum
{
  REPLY_NORMAL,   /* status, headers and body at once */
  REPLY_CHUNKED,  /* the body in chunks, without a Content-Length */
  REPLY_ENDLESS,  /* the body in chunks, then nothing: the body never ends */
  REPLY_PAGES,    /* the page named by ?PageNumber= from Fixture.pages */
  REPLY_RUNAWAY,  /* always one more full page */
} Reply;

typedef struct
{
  char   *method;
  char   *path;
  Reply   reply;
  guint   status;
  char   *content_type;
  GBytes *body;
  char   *header_name;
  char   *header_value;
} Route;

typedef struct
{
  char               *method;
  char               *path;
  char               *query;
  SoupMessageHeaders *headers;
  GBytes             *body;
} Request;

static void
route_free (gpointer data)
{
  Route *route = data;

  g_free (route->method);
  g_free (route->path);
  g_free (route->content_type);
  g_clear_pointer (&route->body, g_bytes_unref);
  g_free (route->header_name);
  g_free (route->header_value);
  g_free (route);
}

static void
request_free (gpointer data)
{
  Request *request = data;

  g_free (request->method);
  g_free (request->path);
  g_free (request->query);
  g_clear_pointer (&request->headers, soup_message_headers_unref);
  g_clear_pointer (&request->body, g_bytes_unref);
  g_free (request);
}

static Route *
add_route (Fixture    *f,
           const char *method,
           const char *path,
           Reply       reply,
           guint       status,
           const char *content_type,
           GBytes     *body)
{
  Route *route = g_new0 (Route, 1);

  route->method = g_strdup (method);
  route->path = g_strdup (path);
  route->reply = reply;
  route->status = status;
  route->content_type = g_strdup (content_type);
  route->body = body;
  g_ptr_array_add (f->routes, route);
  return route;
}

static Route *
add_text_route (Fixture    *f,
                const char *method,
                const char *path,
                guint       status,
                const char *content_type,
                const char *text)
{
  return add_route (f, method, path, REPLY_NORMAL, status, content_type,
                    g_bytes_new (text, strlen (text)));
}

static Route *
add_data_route (Fixture    *f,
                const char *method,
                const char *path,
                guint       status,
                const char *data_file)
{
  return add_route (f, method, path, REPLY_NORMAL, status, "application/json",
                    pc_test_load_data (data_file));
}

static guint
count_requests (Fixture    *f,
                const char *method,
                const char *path)
{
  guint n = 0;

  for (guint i = 0; i < f->requests->len; i++)
    {
      Request *request = g_ptr_array_index (f->requests, i);

      if (g_str_equal (request->method, method) && g_str_equal (request->path, path))
        n++;
    }

  return n;
}

static Request *
get_request (Fixture *f,
             guint    index)
{
  g_assert_cmpuint (index, <, f->requests->len);
  return g_ptr_array_index (f->requests, index);
}

/* A page envelope whose bookings are copies of received-booking.json with other IDs. */
static GBytes *
make_page (guint         page_number,
           guint         page_count,
           guint         per_page,
           const gint64 *ids,
           guint         n_ids)
{
  g_autoptr(GBytes) one = pc_test_load_data ("received-booking.json");
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  JsonObject *envelope = json_object_new ();
  JsonArray *bookings = json_array_new ();
  g_autofree char *text = NULL;
  gsize len;

  for (guint i = 0; i < n_ids; i++)
    {
      g_autoptr(GError) error = NULL;
      JsonNode *booking = json_from_string (g_bytes_get_data (one, NULL), &error);

      g_assert_no_error (error);
      json_object_set_int_member (json_node_get_object (booking), "BookingID", ids[i]);
      json_array_add_element (bookings, booking);
    }

  json_object_set_int_member (envelope, "PageCount", page_count);
  json_object_set_int_member (envelope, "PageNumber", page_number);
  json_object_set_int_member (envelope, "BookingsPerPage", per_page);
  json_object_set_int_member (envelope, "BookingsTotal", (gint64) page_count * per_page);
  json_object_set_array_member (envelope, "Bookings", bookings);
  json_node_take_object (root, envelope);

  text = json_to_string (root, FALSE);
  len = strlen (text);
  return g_bytes_new_take (g_steal_pointer (&text), len);
}

static void
reply_chunked (SoupServerMessage *msg,
               Route             *route)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  gsize total = g_bytes_get_size (route->body);
  const gsize chunk = 256 * 1024;

  soup_server_message_set_status (msg, route->status, NULL);
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  soup_message_headers_set_content_type (headers, route->content_type, NULL);

  for (gsize offset = 0; offset < total; offset += chunk)
    {
      g_autoptr(GBytes) part = g_bytes_new_from_bytes (route->body, offset,
                                                       MIN (chunk, total - offset));
      soup_message_body_append_bytes (body, part);
    }
  if (route->reply != REPLY_ENDLESS)
    soup_message_body_complete (body);
}

static void
reply_page (Fixture           *f,
            SoupServerMessage *msg,
            GHashTable        *query,
            gboolean           runaway)
{
  const char *number = query != NULL ? g_hash_table_lookup (query, "PageNumber") : NULL;
  guint64 page_number = number != NULL ? g_ascii_strtoull (number, NULL, 10) : 0;
  g_autoptr(GBytes) body = NULL;

  if (runaway)
    {
      /* The same full page every time, built once: the test makes 1000 requests. */
      if (f->pages->len == 0)
        {
          gint64 id = 1000000;

          g_ptr_array_add (f->pages, make_page (1, 100000, 1, &id, 1));
        }
      body = g_bytes_ref (g_ptr_array_index (f->pages, 0));
    }
  else if (page_number >= 1 && page_number <= f->pages->len)
    body = g_bytes_ref (g_ptr_array_index (f->pages, page_number - 1));

  if (body == NULL)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                    g_bytes_get_data (body, NULL), g_bytes_get_size (body));
}

static void
server_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  Fixture *f = user_data;
  Request *request = g_new0 (Request, 1);
  const char *method = soup_server_message_get_method (msg);
  Route *route = NULL;

  request->method = g_strdup (method);
  request->path = g_strdup (path);
  request->query = g_strdup (g_uri_get_query (soup_server_message_get_uri (msg)));
  request->headers = soup_message_headers_ref (soup_server_message_get_request_headers (msg));
  request->body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_ptr_array_add (f->requests, request);

  for (guint i = 0; i < f->routes->len && route == NULL; i++)
    {
      Route *candidate = g_ptr_array_index (f->routes, i);

      if (g_str_equal (candidate->method, method) && g_str_equal (candidate->path, path))
        route = candidate;
    }

  if (route == NULL)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
      return;
    }

  switch (route->reply)
    {
    case REPLY_NORMAL:
      soup_server_message_set_status (msg, route->status, NULL);
      if (route->header_name != NULL)
        soup_message_headers_append (soup_server_message_get_response_headers (msg),
                                     route->header_name, route->header_value);
      if (route->body != NULL)
        soup_server_message_set_response (msg, route->content_type, SOUP_MEMORY_COPY,
                                          g_bytes_get_data (route->body, NULL),
                                          g_bytes_get_size (route->body));
      break;

    case REPLY_CHUNKED:
    case REPLY_ENDLESS:
      reply_chunked (msg, route);
      break;

    case REPLY_PAGES:
    case REPLY_RUNAWAY:
      reply_page (f, msg, query, route->reply == REPLY_RUNAWAY);
      break;

    default:
      g_assert_not_reached ();
    }
}

static char *
server_base_url (SoupServer *server,
                 const char *scheme)
{
  GSList *uris = soup_server_get_uris (server);
  char *url;

  g_assert_nonnull (uris);
  url = g_strdup_printf ("%s://127.0.0.1:%d", scheme, g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return url;
}

static void
server_setup (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->routes = g_ptr_array_new_with_free_func (route_free);
  f->requests = g_ptr_array_new_with_free_func (request_free);
  f->pages = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);

  f->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (f->server, NULL, server_cb, f, NULL);
  soup_server_listen_local (f->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  f->base_url = server_base_url (f->server, "http");

  api_setup (f);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->result);
  g_assert_finalize_object (f->api);
  g_clear_object (&f->session);
  while (g_main_context_iteration (NULL, FALSE))
    ;

  if (f->sandbox != NULL)
    {
      /* Requests still waiting on a fault are forgotten. */
      pc_sandbox_stop (f->sandbox);
      g_assert_finalize_object (f->sandbox);
      g_clear_object (&f->clock);
    }

  if (f->server != NULL)
    {
      soup_server_disconnect (f->server);
      g_clear_object (&f->server);
    }
  while (g_main_context_iteration (NULL, FALSE))
    ;

  g_clear_pointer (&f->pages, g_ptr_array_unref);
  g_clear_pointer (&f->requests, g_ptr_array_unref);
  g_clear_pointer (&f->routes, g_ptr_array_unref);
  g_clear_pointer (&f->base_url, g_free);
}

static GAsyncResult *
wait_result (Fixture *f)
{
  PC_TEST_WAIT_UNTIL (f->result != NULL);
  return f->result;
}

static PcBooking *
reinvite (Fixture      *f,
          const char   *reason,
          GCancellable *cancellable,
          GError      **error)
{
  PcBooking *booking;

  pc_api_reinvite_async (f->api, BOOKING_ID, reason, cancellable, pc_test_store_result_cb, &f->result);
  booking = pc_api_reinvite_finish (f->api, wait_result (f), error);
  g_clear_object (&f->result);
  return booking;
}

static PcReceivedPage *
list_page (Fixture  *f,
           guint     page_number,
           guint     per_page,
           GError  **error)
{
  PcReceivedPage *page;

  pc_api_list_bookings_async (f->api, page_number, per_page, NULL, pc_test_store_result_cb, &f->result);
  page = pc_api_list_bookings_finish (f->api, wait_result (f), error);
  g_clear_object (&f->result);
  return page;
}

static PcBooking *
get_booking (Fixture  *f,
             GError  **error)
{
  PcBooking *booking;

  pc_api_get_booking_async (f->api, BOOKING_ID, NULL, pc_test_store_result_cb, &f->result);
  booking = pc_api_get_booking_finish (f->api, wait_result (f), error);
  g_clear_object (&f->result);
  return booking;
}

/* A message for people: it says what was attempted, ends a sentence, never leaks the
 * token, and is more than a bare status line. */
static void
assert_human_message (const GError *error,
                      const char   *attempted)
{
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, attempted));
  g_assert_true (g_str_has_suffix (error->message, ".") ||
                 g_str_has_suffix (error->message, "”"));
  g_assert_null (strstr (error->message, TEST_TOKEN));
  g_assert_cmpuint (strlen (error->message), >, strlen (attempted) + 20);
}

static void
assert_json_body (Request    *request,
                  const char *expected)
{
  gsize len;
  const char *data = g_bytes_get_data (request->body, &len);
  g_autofree char *text = g_strndup (data, len);

  g_assert_cmpstr (text, ==, expected);
}

/* Construction */

static void
test_new_urls (void)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  static const struct {
    const char *url;
    const char *normalized;
  } good[] = {
    { PC_API_LIVE_URL, "https://api.adultwork.com" },
    { PC_API_SANDBOX_URL, "https://api-sandbox.adultwork.com" },
    { "https://api.adultwork.com/", "https://api.adultwork.com" },
    { "HTTPS://api.adultwork.com", "https://api.adultwork.com" },
    { "http://127.0.0.1:8080", "http://127.0.0.1:8080" },
    { "http://127.3.4.5:8080/", "http://127.3.4.5:8080" },
    { "http://localhost:1234/prefix/", "http://localhost:1234/prefix" },
    { "http://[::1]:8080", "http://[::1]:8080" },
  };
  static const char * const invalid[] = {
    "", "api.adultwork.com", "ftp://api.adultwork.com", "file:///etc/passwd", "https://",
    "https://user:secret@api.adultwork.com", "https://api.adultwork.com/?a=1",
    "https://api.adultwork.com/#top", "not a url at all", "https://exa mple.com",
  };
  static const char * const insecure[] = {
    "http://example.com", "http://api.adultwork.com", "http://10.0.0.1:8080",
    "http://127.0.0.1.example.com", "http://[::2]", "http://0.0.0.0:80",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PcApi) api = pc_api_new (session, good[i].url, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (pc_api_get_base_url (api), ==, good[i].normalized);
    }

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PcApi) api = pc_api_new (session, invalid[i], &error);

      g_test_message ("%s → %s", invalid[i], error != NULL ? error->message : "(accepted)");
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
      g_assert_null (api);
      g_assert_nonnull (strstr (error->message, "not a valid server address"));
    }

  for (guint i = 0; i < G_N_ELEMENTS (insecure); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PcApi) api = pc_api_new (session, insecure[i], &error);

      g_test_message ("%s → %s", insecure[i], error != NULL ? error->message : "(accepted)");
      g_assert_error (error, PC_API_ERROR, PC_API_ERROR_INSECURE);
      g_assert_null (api);
      g_assert_nonnull (strstr (error->message, "https://"));
    }
}

static void
test_endpoint_paths (void)
{
  g_assert_cmpstr (pc_api_endpoint_get_path (PC_API_ENDPOINT_VERIFY_CREDENTIALS), ==,
                   VERIFY_PATH);
  g_assert_cmpstr (pc_api_endpoint_get_path (PC_API_ENDPOINT_RECEIVED_BOOKINGS), ==,
                   LIST_PATH);
  g_assert_cmpstr (pc_api_endpoint_get_path (PC_API_ENDPOINT_RECEIVED_BOOKING_DETAILS), ==,
                   DETAILS_PATH);
  g_assert_cmpstr (pc_api_endpoint_get_path (PC_API_ENDPOINT_REINVITE), ==, REINVITE_PATH);
  g_assert_cmpstr (pc_api_endpoint_get_path (PC_API_ENDPOINT_ACCEPT), ==, ACCEPT_PATH);
  g_assert_cmpstr (pc_api_endpoint_get_path (PC_API_ENDPOINT_REJECT), ==, REJECT_PATH);
  g_assert_cmpstr (pc_api_endpoint_get_path (PC_API_ENDPOINT_CANCEL), ==, CANCEL_PATH);
  g_assert_cmpstr (pc_api_endpoint_get_path (PC_API_ENDPOINT_DELETE), ==, DELETE_PATH);

  /* The reference's tags: documented or inferred from sibling endpoints. */
  g_assert_false (pc_api_endpoint_is_inferred (PC_API_ENDPOINT_VERIFY_CREDENTIALS));
  g_assert_true (pc_api_endpoint_is_inferred (PC_API_ENDPOINT_RECEIVED_BOOKINGS));
  g_assert_true (pc_api_endpoint_is_inferred (PC_API_ENDPOINT_RECEIVED_BOOKING_DETAILS));
  g_assert_false (pc_api_endpoint_is_inferred (PC_API_ENDPOINT_REINVITE));
  g_assert_false (pc_api_endpoint_is_inferred (PC_API_ENDPOINT_ACCEPT));
  g_assert_true (pc_api_endpoint_is_inferred (PC_API_ENDPOINT_REJECT));
  g_assert_true (pc_api_endpoint_is_inferred (PC_API_ENDPOINT_CANCEL));
  g_assert_false (pc_api_endpoint_is_inferred (PC_API_ENDPOINT_DELETE));
}

static void
test_settings (void)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(PcApi) api = pc_api_new (session, PC_API_SANDBOX_URL, NULL);
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();

  g_assert_cmpuint (pc_api_get_timeout (api), ==, 30);
  g_assert_cmpuint (pc_api_get_max_body_size (api), ==, 8 * 1024 * 1024);
  g_assert_cmpstr (g_time_zone_get_identifier (pc_api_get_zone (api)), ==, "Europe/London");

  pc_api_set_timeout (api, 5);
  pc_api_set_max_body_size (api, 1024);
  pc_api_set_zone (api, utc);
  g_assert_cmpuint (pc_api_get_timeout (api), ==, 5);
  g_assert_cmpuint (pc_api_get_max_body_size (api), ==, 1024);
  g_assert_true (pc_api_get_zone (api) == utc);

  pc_api_set_zone (api, NULL);
  g_assert_cmpstr (g_time_zone_get_identifier (pc_api_get_zone (api)), ==, "Europe/London");
}

/* Requests as the server receives them */

static void
assert_common_headers (Request *request)
{
  SoupMessageHeaders *h = request->headers;

  g_assert_cmpstr (soup_message_headers_get_one (h, "Authorization"), ==, "bearer " TEST_TOKEN);
  g_assert_cmpstr (soup_message_headers_get_one (h, "Accept"), ==, "application/json");
  g_assert_cmpstr (soup_message_headers_get_one (h, "User-Agent"), ==, USER_AGENT);
}

static void
test_reinvite_success (Fixture       *f,
                       gconstpointer  data)
{
  const char *reason = "Sorry, I missed this one - please pick a new time.";
  g_autoptr(GError) error = NULL;
  g_autoptr(PcBooking) booking = NULL;
  Request *request;

  add_data_route (f, "POST", REINVITE_PATH, 200, "reinvite-response.json");

  booking = reinvite (f, reason, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pc_booking_get_booking_id (booking), ==, BOOKING_ID);
  g_assert_cmpint (pc_booking_get_status (booking), ==, PC_BOOKING_STATUS_REJECTED);
  g_assert_cmpstr (pc_booking_get_rejected_reason (booking), ==, reason);

  g_assert_cmpuint (f->requests->len, ==, 1);
  request = get_request (f, 0);
  g_assert_cmpstr (request->method, ==, "POST");
  g_assert_cmpstr (request->path, ==, REINVITE_PATH);
  g_assert_null (request->query);
  assert_common_headers (request);
  g_assert_cmpstr (soup_message_headers_get_content_type (request->headers, NULL), ==,
                   "application/json");
  assert_json_body (request, "{\"BookingID\":4817263,\"Reason\":\"Sorry, I missed this one - "
                             "please pick a new time.\"}");
}

static void
test_reinvite_reason_omitted (Fixture       *f,
                              gconstpointer  data)
{
  static const char * const blanks[] = { NULL, "", "   ", " \t\n " };

  add_data_route (f, "POST", REINVITE_PATH, 200, "reinvite-response.json");

  for (guint i = 0; i < G_N_ELEMENTS (blanks); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PcBooking) booking = reinvite (f, blanks[i], NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (booking);
      g_assert_cmpuint (f->requests->len, ==, i + 1);
      assert_json_body (get_request (f, i), "{\"BookingID\":4817263}");
    }
}

static void
test_reinvite_reason_encoded (Fixture       *f,
                              gconstpointer  data)
{
  const char *reason = "  He said \"later\"\\ – ok? ✓\nBye  ";
  g_autoptr(GError) error = NULL;
  g_autoptr(PcBooking) booking = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  Request *request;

  add_data_route (f, "POST", REINVITE_PATH, 200, "reinvite-response.json");

  booking = reinvite (f, reason, NULL, &error);
  g_assert_no_error (error);

  request = get_request (f, 0);
  root = pc_json_parse_bytes (request->body, &error);
  g_assert_no_error (error);
  object = json_node_get_object (root);
  g_assert_cmpuint (json_object_get_size (object), ==, 2);
  g_assert_cmpint (json_object_get_int_member (object, "BookingID"), ==, BOOKING_ID);
  /* Sent as typed, only without the surrounding blanks. */
  g_assert_cmpstr (json_object_get_string_member (object, "Reason"), ==,
                   "He said \"later\"\\ – ok? ✓\nBye");
}

static void
test_list_page (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PcReceivedPage) page = NULL;
  Request *request;

  add_data_route (f, "GET", LIST_PATH, 200, "received-bookings-page.json");

  page = list_page (f, 2, 25, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->bookings->len, ==, 4);
  g_assert_cmpint (page->page_count, ==, 1);
  g_assert_cmpint (pc_booking_get_booking_id (g_ptr_array_index (page->bookings, 0)), ==,
                   BOOKING_ID);

  g_assert_cmpuint (f->requests->len, ==, 1);
  request = get_request (f, 0);
  g_assert_cmpstr (request->method, ==, "GET");
  g_assert_cmpstr (request->path, ==, LIST_PATH);
  g_assert_cmpstr (request->query, ==, "PageNumber=2&BookingsPerPage=25&OrderBy=sessiondate-desc");
  assert_common_headers (request);
  g_assert_null (soup_message_headers_get_one (request->headers, "Content-Type"));
  g_assert_cmpuint (g_bytes_get_size (request->body), ==, 0);
}

static void
test_get_booking (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PcBooking) booking = NULL;
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) expected = pc_test_utc (2025, 6, 14, 21, 30, 0);
  Request *request;

  add_data_route (f, "GET", DETAILS_PATH, 200, "received-booking.json");

  /* Dates are read in the api's zone: with UTC, 21:30 stays 21:30. */
  pc_api_set_zone (f->api, utc);
  booking = get_booking (f, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pc_booking_get_status (booking), ==, PC_BOOKING_STATUS_PENDING);
  g_assert_true (g_date_time_equal (pc_test_booking_date (booking, "session-date"), expected));

  request = get_request (f, 0);
  g_assert_cmpstr (request->method, ==, "GET");
  g_assert_cmpstr (request->path, ==, DETAILS_PATH);
  g_assert_cmpstr (request->query, ==, "BookingID=4817263");
  assert_common_headers (request);
}

static void
test_verify_credentials (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 user_id = 0;

  add_data_route (f, "GET", VERIFY_PATH, 200, "verify-credentials.json");

  pc_api_verify_credentials_async (f->api, NULL, pc_test_store_result_cb, &f->result);
  g_assert_true (pc_api_verify_credentials_finish (f->api, wait_result (f), &user_id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (user_id, ==, 3402918);
  assert_common_headers (get_request (f, 0));
  g_clear_object (&f->result);

  /* A body without a UserID is malformed. */
  g_clear_pointer (&f->routes, g_ptr_array_unref);
  f->routes = g_ptr_array_new_with_free_func (route_free);
  add_text_route (f, "GET", VERIFY_PATH, 200, "application/json", "{\"UserID\": \"3402918\"}");

  pc_api_verify_credentials_async (f->api, NULL, pc_test_store_result_cb, &f->result);
  g_assert_false (pc_api_verify_credentials_finish (f->api, wait_result (f), &user_id, &error));
  g_assert_error (error, PC_API_ERROR, PC_API_ERROR_MALFORMED);
  assert_human_message (error, "Could not check your sign-in: ");
  g_assert_nonnull (strstr (error->message, "no valid user ID"));
}

/* Token handling */

static char *
counting_token_cb (gpointer user_data)
{
  guint *calls = user_data;

  (*calls)++;
  return g_strdup_printf (" token-%u\n", *calls);
}

static void
test_token_func (Fixture       *f,
                 gconstpointer  data)
{
  guint calls = 0;

  add_data_route (f, "GET", DETAILS_PATH, 200, "received-booking.json");
  pc_api_set_token_func (f->api, counting_token_cb, &calls, NULL);

  for (guint i = 1; i <= 2; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PcBooking) booking = get_booking (f, &error);
      g_autofree char *expected = g_strdup_printf ("bearer token-%u", i);

      g_assert_no_error (error);
      g_assert_nonnull (booking);
      g_assert_cmpuint (calls, ==, i);
      g_assert_cmpstr (soup_message_headers_get_one (get_request (f, i - 1)->headers,
                                                     "Authorization"), ==, expected);
    }
}

static char *
no_token_cb (gpointer user_data)
{
  return NULL;
}

static void
test_error_no_token (Fixture       *f,
                     gconstpointer  data)
{
  static const char * const unusable[] = { NULL, "", "  \n", "abc\r\nX-Evil: 1", "tök" };

  for (guint i = 0; i < G_N_ELEMENTS (unusable); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PcBooking) booking = NULL;

      pc_api_set_token (f->api, unusable[i]);
      booking = get_booking (f, &error);
      g_assert_error (error, PC_API_ERROR, PC_API_ERROR_NO_TOKEN);
      assert_human_message (error, "Could not load booking 4817263: ");
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(PcBooking) booking = NULL;

    pc_api_set_token_func (f->api, no_token_cb, NULL, NULL);
    booking = get_booking (f, &error);
    g_assert_error (error, PC_API_ERROR, PC_API_ERROR_NO_TOKEN);
    g_assert_nonnull (strstr (error->message, "Sign in"));
  }

  /* Refused before anything was sent. */
  g_assert_cmpuint (pc_sandbox_count_requests (f->sandbox, NULL, NULL), ==, 0);
}

/* HTTP errors */

static void
test_error_unauthorized (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PcBooking) booking = NULL;

  /* A token the server does not know. */
  pc_api_set_token (f->api, "expired-token");

  booking = reinvite (f, "x", NULL, &error);
  g_assert_null (booking);
  g_assert_error (error, PC_API_ERROR, PC_API_ERROR_UNAUTHORIZED);
  g_assert_cmpstr (error->message, ==,
                   "Could not re-invite booking 4817263: your session has expired or the "
                   "access token is wrong. Sign in again.");
  /* Refused means not done: never read again, never sent again. */
  assert_sandbox_log (f, "POST " REINVITE_PATH " 4817263 401 -\n");
}

static void
test_error_forbidden (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PcReceivedPage) page = NULL;

  /* The sandbox's message for an injected status is "Injected fault". */
  pc_sandbox_set_path_status (f->sandbox, LIST_PATH, 403);

  page = list_page (f, 1, 50, &error);
  g_assert_null (page);
  g_assert_error (error, PC_API_ERROR, PC_API_ERROR_FORBIDDEN);
  assert_human_message (error, "Could not load your bookings: ");
  g_assert_nonnull (strstr (error->message, "account_phonechat_bookings"));
  g_assert_nonnull (strstr (error->message, "The server said: “Injected fault”"));
}

static void
test_error_not_found (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) list_error = NULL;
  g_autoptr(PcBooking) booking = NULL;
  g_autoptr(PcReceivedPage) page = NULL;

  add_text_route (f, "GET", DETAILS_PATH, 404, "application/json", "{}");
  add_text_route (f, "GET", LIST_PATH, 404, "text/html",
                  "<html><head><title>404</title></head></html>");

  booking = get_booking (f, &error);
  g_assert_error (error, PC_API_ERROR, PC_API_ERROR_NOT_FOUND);
  assert_human_message (error, "Could not load booking 4817263: ");
  g_assert_nonnull (strstr (error->message, "does not know this booking"));

  /* For a list, the inferred path itself may be wrong: say which. */
  page = list_page (f, 3, 50, &list_error);
  g_assert_error (list_error, PC_API_ERROR, PC_API_ERROR_NOT_FOUND);
  assert_human_message (list_error, "Could not load page 3 of your bookings: ");
  g_assert_nonnull (strstr (list_error->message, LIST_PATH));
}

/* A web page with a 404 or 403 is not the API speaking: no "deleted", no "sign in". */
static void
test_error_web_page_status (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) list_error = NULL;
  g_autoptr(PcBooking) booking = NULL;
  g_autoptr(PcReceivedPage) page = NULL;

  add_text_route (f, "GET", DETAILS_PATH, 404, "text/html",
                  "<html><head><title>Not Found</title></head></html>");
  add_text_route (f, "GET", LIST_PATH, 403, "text/html; charset=UTF-8",
                  "<!DOCTYPE html><html><head><title>Just a moment...</title></head></html>");

  booking = get_booking (f, &error);
  g_assert_error (error, PC_API_ERROR, PC_API_ERROR_NOT_FOUND);
  assert_human_message (error, "Could not load booking 4817263: ");
  g_assert_null (strstr (error->message, "deleted"));
  g_assert_nonnull (strstr (error->message, DETAILS_PATH));

  page = list_page (f, 1, 50, &list_error);
  g_assert_error (list_error, PC_API_ERROR, PC_API_ERROR_HTTP);
  g_assert_cmpstr (list_error->message, ==,
                   "Could not load your bookings: the server sent an HTML page (“Just a "
                   "moment...”) instead of JSON data. Its status was HTTP 403 Forbidden: "
                   "something between PhoneChat and the API may be in the way. Try again "
                   "later.");
}

static void
test_error_rejected (Fixture       *f,
                     gconstpointer  data)
{
  static const guint statuses[] = { 400, 409, 422 };

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PcBooking) booking = NULL;

      g_ptr_array_set_size (f->routes, 0);
      add_text_route (f, "POST", REINVITE_PATH, statuses[i], "application/json; charset=utf-8",
                      "{\"Message\":\"The booking is not pending.\"}");

      booking = reinvite (f, NULL, NULL, &error);
      g_assert_error (error, PC_API_ERROR, PC_API_ERROR_REJECTED);
      g_assert_cmpstr (error->message, ==, "Could not re-invite booking 4817263: the server "
                                           "refused it: The booking is not pending.");
    }

  /* Without a Message, the reason still reads as a sentence; a server message without a
   * period gets one. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(PcBooking) booking = NULL;

    g_ptr_array_set_size (f->routes, 0);
    add_text_route (f, "POST", REINVITE_PATH, 400, "application/json", "{}");
    booking = reinvite (f, NULL, NULL, &error);
    g_assert_error (error, PC_API_ERROR, PC_API_ERROR_REJECTED);
    g_assert_cmpstr (error->message, ==, "Could not re-invite booking 4817263: the server "
                                         "refused it without saying why (HTTP 400 Bad "
                                         "Request).");
  }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(PcBooking) booking = NULL;

    g_ptr_array_set_size (f->routes, 0);
    add_text_route (f, "POST", REINVITE_PATH, 400, "application/json",
                    "{\"message\":\"SessionDate\\ncannot be in the future\"}");
    booking = reinvite (f, NULL, NULL, &error);
    g_assert_error (error, PC_API_ERROR, PC_API_ERROR_REJECTED);
    g_assert_cmpstr (error->message, ==, "Could not re-invite booking 4817263: the server "
                                         "refused it: SessionDate cannot be in the future.");
  }

  /* Refused means known: never re-read, never re-sent. */
  g_assert_cmpuint (count_requests (f, "POST", REINVITE_PATH), ==, 5);
  g_assert_cmpuint (count_requests (f, "GET", DETAILS_PATH), ==, 0);
}

static void
test_error_rate_limited (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) error2 = NULL;
  g_autoptr(PcBooking) booking = NULL;
  g_autoptr(PcBooking) booking2 = NULL;
  Route *route;

  route = add_text_route (f, "GET", DETAILS_PATH, 429, "text/plain", "slow down");
  route->header_name = g_strdup ("Retry-After");
  route->header_value = g_strdup ("120");

  booking = get_booking (f, &error);
  g_assert_error (error, PC_API_ERROR, PC_API_ERROR_RATE_LIMITED);
  assert_human_message (error, "Could not load booking 4817263: ");
  g_assert_nonnull (strstr (error->message, "Try again in 120 seconds"));

  g_clear_pointer (&route->header_name, g_free);
  booking2 = get_booking (f, &error2);
  g_assert_error (error2, PC_API_ERROR, PC_API_ERROR_RATE_LIMITED);
  g_assert_nonnull (strstr (error2->message, "Wait a minute"));
}

static void
test_error_server (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) error2 = NULL;
  g_autoptr(PcReceivedPage) page = NULL;
  g_autoptr(PcBooking) booking = NULL;

  add_text_route (f, "GET", LIST_PATH, 500, "application/json",
                  "{\"Message\":\"An error has occurred.\"}");
  add_text_route (f, "GET", DETAILS_PATH, 503, "text/html",
                  "<!DOCTYPE html><html><head><title>503 Service Unavailable</title></head>"
                  "<body>Down for maintenance</body></html>");

  page = list_page (f, 1, 50, &error);
  g_assert_error (error, PC_API_ERROR, PC_API_ERROR_SERVER);
  g_assert_cmpstr (error->message, ==,
                   "Could not load your bookings: the server had a problem (HTTP 500 Internal "
                   "Server Error). Try again later. The server said: “An error has occurred.”");

  booking = get_booking (f, &error2);
  g_assert_error (error2, PC_API_ERROR, PC_API_ERROR_SERVER);
  g_assert_cmpstr (error2->message, ==,
                   "Could not load booking 4817263: the server had a problem (HTTP 503 Service "
                   "Unavailable). Try again later.");
}

static void
test_error_unexpected_status (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) error2 = NULL;
  g_autoptr(PcReceivedPage) page = NULL;
  g_autoptr(PcBooking) booking = NULL;
  g_autofree char *elsewhere = g_strconcat (f->base_url, "/elsewhere", NULL);
  Route *route;

  /* A redirect is not followed: the token would go along. */
  route = add_text_route (f, "GET", LIST_PATH, 302, "text/plain", "moved");
  route->header_name = g_strdup ("Location");
  route->header_value = g_strdup (elsewhere);
  add_data_route (f, "GET", "/elsewhere", 200, "received-bookings-page.json");
  add_text_route (f, "GET", DETAILS_PATH, 418, "text/plain", "I'm a teapot");

  page = list_page (f, 1, 50, &error);
  g_assert_error (error, PC_API_ERROR, PC_API_ERROR_HTTP);
  assert_human_message (error, "Could not load your bookings: ");
  g_assert_nonnull (strstr (error->message, "does not follow"));
  g_assert_cmpuint (count_requests (f, "GET", "/elsewhere"), ==, 0);

  booking = get_booking (f, &error2);
  g_assert_error (error2, PC_API_ERROR, PC_API_ERROR_HTTP);
  assert_human_message (error2, "Could not load booking 4817263: ");
  g_assert_nonnull (strstr (error2->message, "unexpected answer (HTTP 418"));
}

/* Bodies */

static void
test_error_not_json_html (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PcReceivedPage) page = NULL;

  add_text_route (f, "GET", LIST_PATH, 200, "text/html; charset=UTF-8",
                  "<!DOCTYPE html>\n<html lang=\"en-US\"><head><title>Just a moment...</title>"
                  "</head><body>Checking your browser</body></html>");

  page = list_page (f, 1, 50, &error);
  g_assert_error (error, PC_API_ERROR, PC_API_ERROR_NOT_JSON);
  g_assert_cmpstr (error->message, ==,
                   "Could not load your bookings: the server sent an HTML page (“Just a "
                   "moment...”) instead of JSON data.");
}

static void
test_error_not_json_xml (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PcBooking) booking = NULL;

  add_route (f, "GET", DETAILS_PATH, REPLY_NORMAL, 200, "application/xml",
             pc_test_load_data ("received-booking.xml"));

  booking = get_booking (f, &error);
  g_assert_error (error, PC_API_ERROR, PC_API_ERROR_NOT_JSON);
  g_assert_cmpstr (error->message, ==, "Could not load booking 4817263: the server sent an XML "
                                       "document instead of JSON data.");
}

/* A comment is all some servers send where JSON was due (a JSONP guard with no call). */
#define COMMENT_BODY "/**/"
#define COMMENT_REASON "the server sent text that is not JSON data (“/**/”)."

static void
test_error_not_json_comment (Fixture       *f,
                             gconstpointer  data)
{
  add_text_route (f, "GET", LIST_PATH, 200, "application/json", COMMENT_BODY);
  add_text_route (f, "GET", DETAILS_PATH, 200, "application/json", COMMENT_BODY);
  add_text_route (f, "GET", VERIFY_PATH, 200, "application/json", COMMENT_BODY);

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(PcReceivedPage) page = list_page (f, 1, 50, &error);

    g_assert_null (page);
    g_assert_error (error, PC_API_ERROR, PC_API_ERROR_NOT_JSON);
    g_assert_cmpstr (error->message, ==, "Could not load your bookings: " COMMENT_REASON);
  }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(PcBooking) booking = get_booking (f, &error);

    g_assert_null (booking);
    g_assert_error (error, PC_API_ERROR, PC_API_ERROR_NOT_JSON);
    g_assert_cmpstr (error->message, ==, "Could not load booking 4817263: " COMMENT_REASON);
  }

  {
    g_autoptr(GError) error = NULL;
    gint64 user_id = 0;

    pc_api_verify_credentials_async (f->api, NULL, pc_test_store_result_cb, &f->result);
    g_assert_false (pc_api_verify_credentials_finish (f->api, wait_result (f), &user_id,
                                                      &error));
    g_clear_object (&f->result);
    g_assert_error (error, PC_API_ERROR, PC_API_ERROR_NOT_JSON);
    g_assert_cmpstr (error->message, ==, "Could not check your sign-in: " COMMENT_REASON);
    g_assert_cmpint (user_id, ==, 0);
  }

  g_assert_cmpuint (f->requests->len, ==, 3);
}

static void
test_error_malformed (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) error2 = NULL;
  g_autoptr(GBytes) good = pc_test_load_data ("received-bookings-page.json");
  g_autoptr(PcReceivedPage) page = NULL;
  g_autoptr(PcBooking) booking = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *bookings;
  JsonObject *client;
  g_autofree char *bad = NULL;

  /* The second booking's client has a string UserID. */
  root = pc_json_parse_bytes (good, &error);
  g_assert_no_error (error);
  bookings = json_object_get_array_member (json_node_get_object (root), "Bookings");
  client = json_object_get_object_member (json_array_get_object_element (bookings, 1), "Client");
  json_object_set_string_member (client, "UserID", "1187720");
  bad = json_to_string (root, FALSE);

  add_text_route (f, "GET", LIST_PATH, 200, "application/json", bad);
  add_text_route (f, "GET", DETAILS_PATH, 200, "application/json", "{\"BookingID\": 4817263, ");

  page = list_page (f, 1, 50, &error);
  g_assert_error (error, PC_API_ERROR, PC_API_ERROR_MALFORMED);
  assert_human_message (error, "Could not load your bookings: ");
  g_assert_nonnull (strstr (error->message, "Bookings[1].Client.UserID"));

  /* Truncated JSON is JSON gone wrong, not something else. */
  booking = get_booking (f, &error2);
  g_assert_error (error2, PC_API_ERROR, PC_API_ERROR_MALFORMED);
  assert_human_message (error2, "Could not load booking 4817263: ");
}

static GBytes *
big_body (gsize size)
{
  char *data = g_malloc (size);

  memset (data, ' ', size);
  data[0] = '[';
  return g_bytes_new_take (data, size);
}

static void
test_error_too_large (Fixture       *f,
                      gconstpointer  data)
{
  const gsize twenty_mb = 20 * 1024 * 1024;
  g_autoptr(GBytes) body = big_body (twenty_mb);

  pc_api_set_max_body_size (f->api, 1024 * 1024);

  /* Chunked: no length is declared, so the cap is enforced while reading. The body never
   * ends: a client that waited for its end would never get to the cap. */
  add_route (f, "GET", LIST_PATH, REPLY_ENDLESS, 200, "application/json",
             big_body (2 * 1024 * 1024));
  /* Declared: refused as soon as the headers arrive. */
  add_route (f, "GET", DETAILS_PATH, REPLY_NORMAL, 200, "application/json", g_bytes_ref (body));

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(PcReceivedPage) page = NULL;

    page = list_page (f, 1, 50, &error);
    g_assert_error (error, PC_API_ERROR, PC_API_ERROR_TOO_LARGE);
    g_assert_cmpstr (error->message, ==, "Could not load your bookings: the server's answer "
                                         "is larger than the limit of 1.0\xc2\xa0MB.");
  }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(PcBooking) booking = NULL;

    booking = get_booking (f, &error);
    g_assert_error (error, PC_API_ERROR, PC_API_ERROR_TOO_LARGE);
    assert_human_message (error, "Could not load booking 4817263: ");
  }
}

static void
test_error_body_huge_error_page (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PcReceivedPage) page = NULL;

  /* An error status stays the error; its oversized body is cut, not reported. */
  pc_api_set_max_body_size (f->api, 1024 * 1024);
  add_route (f, "GET", LIST_PATH, REPLY_CHUNKED, 500, "text/html", big_body (4 * 1024 * 1024));

  page = list_page (f, 1, 50, &error);
  g_assert_error (error, PC_API_ERROR, PC_API_ERROR_SERVER);
  assert_human_message (error, "Could not load your bookings: ");
}

/* Transport */

static void
test_error_timeout (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PcBooking) booking = NULL;

  pc_sandbox_set_latency (f->sandbox, NEVER_MS);
  pc_api_set_timeout (f->api, 1);

  /* Only PcApi's own timeout can end this wait, and its message names it. */
  booking = get_booking (f, &error);
  g_assert_error (error, PC_API_ERROR, PC_API_ERROR_TIMED_OUT);
  g_assert_cmpstr (error->message, ==, "Could not load booking 4817263: the server did not "
                                       "answer within 1 second.");
  assert_sandbox_log (f, "GET " DETAILS_PATH " 4817263 0 latency\n");
}

/* A port on which nothing listens: bound, read back and closed again. */
static guint16
closed_port (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) any = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  guint16 port;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  any = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  g_socket_bind (socket, any, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (socket, NULL);
  return port;
}

static void
use_closed_port (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", closed_port ());

  g_assert_finalize_object (f->api);
  f->api = pc_api_new (f->session, url, &error);
  g_assert_no_error (error);
  pc_api_set_token (f->api, TEST_TOKEN);
}

static void
test_error_cannot_connect (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PcReceivedPage) page = NULL;

  use_closed_port (f);

  page = list_page (f, 1, 50, &error);
  g_assert_error (error, PC_API_ERROR, PC_API_ERROR_CANNOT_CONNECT);
  assert_human_message (error, "Could not load your bookings: the server could not be "
                               "reached (");
  g_assert_nonnull (strstr (error->message, "refused"));
}

/* A self-signed certificate (P-256, valid until 2126) for the TLS test. */
static const char test_tls_pem[] =
  "-----BEGIN CERTIFICATE-----\n"
  "MIIBmTCCAT+gAwIBAgIUVkPT2VD5o7uOoFqxOtu/VbUouBUwCgYIKoZIzj0EAwIw\n"
  "ITEfMB0GA1UEAwwWcGhvbmVjaGF0LXRlc3QuaW52YWxpZDAgFw0yNjExMjcwOTM4\n"
  "MjRaGA8yMTI2MTEwMzA5MzgyNFowITEfMB0GA1UEAwwWcGhvbmVjaGF0LXRlc3Qu\n"
  "aW52YWxpZDBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABISakGMD9cpJldTHpzTS\n"
  "1hP9/3reM7oMTFO8DRrJmv7+nHsD6SBnScopXpktQLvuBv4dyGOvBBS4ums3g0FB\n"
  "gJSjUzBRMB0GA1UdDgQWBBSN7pVIZ9JecUIqR0bT2sdgXzFgrDAfBgNVHSMEGDAW\n"
  "gBSN7pVIZ9JecUIqR0bT2sdgXzFgrDAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49\n"
  "BAMCA0gAMEUCIDTN4VaMzXQHSUr/yyhUiFkg4V89FUUpzDPD0gNAMpbdAiEA9oEj\n"
  "JpcbzAF5222hxL1r6wK2Vn5O3XqQG+jiUshO7uk=\n"
  "-----END CERTIFICATE-----\n"
  "-----BEGIN PRIVATE KEY-----\n"
  "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgLkmNsZhKYI5dG7X5\n"
  "4xRBM1D8243gSx5Tg3n3Qf7Yh1ihRANCAASEmpBjA/XKSZXUx6c00tYT/f963jO6\n"
  "DExTvA0ayZr+/px7A+kgZ0nKKV6ZLUC77gb+HchjrwQUuLprN4NBQYCU\n"
  "-----END PRIVATE KEY-----\n";

/* libsoup 3.6 runs a server connection's TLS handshake with the connection as a callback
 * pointer it holds no reference on. soup_server_disconnect() frees the connection; a
 * handshake still running then calls back into freed memory, in whatever test runs the
 * main context next (a critical, or a crash with MALLOC_PERTURB_). The client gives up on
 * an untrusted certificate before the server's handshake has failed, so a TLS server is
 * only disconnected once every handshake it started has ended.
 *
 * Each connection starts with a message, before its handshake, that the connection keeps
 * until the handshake ends; a failed handshake drops it from its callback. The handshakes
 * of these tests always fail, so a message released is a handshake over. */
static void
tls_handshake_ended_cb (gpointer  user_data,
                        GObject  *where_the_message_was)
{
  guint *n_handshakes = user_data;

  g_assert_cmpuint (*n_handshakes, >, 0);
  (*n_handshakes)--;
}

static void
tls_handshake_started_cb (SoupServer        *server,
                          SoupServerMessage *msg,
                          gpointer           user_data)
{
  guint *n_handshakes = user_data;

  (*n_handshakes)++;
  g_object_weak_ref (G_OBJECT (msg), tls_handshake_ended_cb, n_handshakes);
}

static SoupServer *
tls_server_new (Fixture *f,
                guint   *n_handshakes)
{
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GError) error = NULL;
  SoupServer *server;

  certificate = g_tls_certificate_new_from_pem (test_tls_pem, -1, &error);
  g_assert_no_error (error);

  server = soup_server_new ("tls-certificate", certificate, NULL);
  soup_server_add_handler (server, NULL, server_cb, f, NULL);
  g_signal_connect (server, "request-started", G_CALLBACK (tls_handshake_started_cb),
                    n_handshakes);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY | SOUP_SERVER_LISTEN_HTTPS,
                            &error);
  g_assert_no_error (error);
  return server;
}

static void
tls_server_free (SoupServer *server,
                 guint      *n_handshakes)
{
  PC_TEST_WAIT_UNTIL (*n_handshakes == 0);
  soup_server_disconnect (server);
  g_assert_finalize_object (server);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
test_error_tls (void)
{
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PcApi) api = NULL;
  g_autoptr(PcBooking) booking = NULL;
  g_autofree char *url = NULL;
  guint n_handshakes = 0;
  Fixture f = { 0 };

  if (!g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      g_test_skip ("No TLS backend");
      return;
    }

  f.routes = g_ptr_array_new_with_free_func (route_free);
  f.requests = g_ptr_array_new_with_free_func (request_free);
  add_data_route (&f, "GET", DETAILS_PATH, 200, "received-booking.json");

  server = tls_server_new (&f, &n_handshakes);
  url = server_base_url (server, "https");

  api = pc_api_new (session, url, &error);
  g_assert_no_error (error);
  pc_api_set_token (api, TEST_TOKEN);

  pc_api_get_booking_async (api, BOOKING_ID, NULL, pc_test_store_result_cb, &f.result);
  booking = pc_api_get_booking_finish (api, wait_result (&f), &error);
  g_assert_error (error, PC_API_ERROR, PC_API_ERROR_TLS);
  assert_human_message (error, "Could not load booking 4817263: ");
  g_assert_nonnull (strstr (error->message, "certificate"));
  /* No request got through a connection that was not trusted. */
  g_assert_cmpuint (f.requests->len, ==, 0);

  g_clear_object (&f.result);
  g_clear_object (&api);
  g_clear_object (&session);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  tls_server_free (g_steal_pointer (&server), &n_handshakes);
  g_ptr_array_unref (f.routes);
  g_ptr_array_unref (f.requests);
}

/* The teardown above, made deterministic: a client that connects and goes away without a
 * handshake. Disconnecting the server before its handshake has failed makes that
 * handshake call back into the freed connection on every run. */
static void
test_error_tls_server_teardown (void)
{
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autoptr(GUri) uri = NULL;
  guint n_handshakes = 0;
  gint64 end;
  Fixture f = { 0 };

  if (!g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      g_test_skip ("No TLS backend");
      return;
    }

  f.routes = g_ptr_array_new_with_free_func (route_free);
  f.requests = g_ptr_array_new_with_free_func (request_free);
  server = tls_server_new (&f, &n_handshakes);
  url = server_base_url (server, "https");
  uri = g_uri_parse (url, G_URI_FLAGS_NONE, &error);
  g_assert_no_error (error);

  connection = g_socket_client_connect_to_host (client, "127.0.0.1", g_uri_get_port (uri), NULL,
                                                &error);
  g_assert_no_error (error);
  PC_TEST_WAIT_UNTIL (n_handshakes == 1);
  g_io_stream_close (G_IO_STREAM (connection), NULL, &error);
  g_assert_no_error (error);

  tls_server_free (g_steal_pointer (&server), &n_handshakes);

  /* A callback left behind would run here. */
  end = g_get_monotonic_time () + 200 * 1000;
  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_assert_cmpuint (f.requests->len, ==, 0);
  g_ptr_array_unref (f.routes);
  g_ptr_array_unref (f.requests);
}

static void
test_error_insecure (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PcApi) api = NULL;
  g_autofree char *lan_url = NULL;

  /* Refused when the api is made, so no request can ever carry the token. */
  api = pc_api_new (f->session, "http://example.com", &error);
  g_assert_null (api);
  g_assert_error (error, PC_API_ERROR, PC_API_ERROR_INSECURE);
  g_assert_cmpstr (error->message, ==,
                   "PhoneChat does not use “http://example.com”: your access token would "
                   "travel unencrypted. Use an https:// address (plain http:// is only allowed "
                   "to this computer).");
  g_clear_error (&error);

  /* The same port by a name that is not loopback: the listening server hears nothing. */
  lan_url = g_strdup_printf ("http://phonechat.example:%s", strrchr (f->base_url, ':') + 1);
  api = pc_api_new (f->session, lan_url, &error);
  g_assert_null (api);
  g_assert_error (error, PC_API_ERROR, PC_API_ERROR_INSECURE);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (pc_sandbox_count_requests (f->sandbox, NULL, NULL), ==, 0);
}

/* Cancellation */

static void
test_cancel_in_flight (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PcReceivedPage) page = NULL;

  /* Cancelled once the server has the request, which it never answers. */
  pc_sandbox_set_latency (f->sandbox, NEVER_MS);
  pc_api_list_bookings_async (f->api, 1, 50, cancellable, pc_test_store_result_cb, &f->result);
  PC_TEST_WAIT_UNTIL (pc_sandbox_count_requests (f->sandbox, NULL, NULL) == 1);
  g_cancellable_cancel (cancellable);

  page = pc_api_list_bookings_finish (f->api, wait_result (f), &error);
  g_assert_null (page);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  assert_sandbox_log (f, "GET " LIST_PATH " 0 0 latency\n");
}

static void
test_cancel_before (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PcBooking) booking = NULL;

  g_cancellable_cancel (cancellable);

  booking = reinvite (f, "x", cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (pc_sandbox_count_requests (f->sandbox, NULL, NULL), ==, 0);
}

static void
test_cancel_reinvite (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PcBooking) booking = NULL;

  pc_sandbox_set_latency (f->sandbox, NEVER_MS);
  pc_sandbox_set_fault_limit (f->sandbox, 1);
  pc_api_reinvite_async (f->api, BOOKING_ID, "x", cancellable, pc_test_store_result_cb, &f->result);
  PC_TEST_WAIT_UNTIL (pc_sandbox_count_requests (f->sandbox, NULL, NULL) == 1);
  g_cancellable_cancel (cancellable);

  booking = pc_api_reinvite_finish (f->api, wait_result (f), &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* Cancelled means stop: no re-read, no second POST. */
  assert_sandbox_log (f, "POST " REINVITE_PATH " 4817263 0 latency\n");
}

/* A re-invite whose answer is lost */

static void
test_reinvite_lost_rejected (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PcBooking) booking = NULL;

  /* The server re-invites, then its answer breaks off: the re-read shows it happened, with
   * the reason the POST carried. */
  pc_sandbox_set_truncate_bodies (f->sandbox, TRUE);
  pc_sandbox_set_fault_limit (f->sandbox, 1);

  booking = reinvite (f, "Sorry", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pc_booking_get_status (booking), ==, PC_BOOKING_STATUS_REJECTED);
  g_assert_cmpint (pc_booking_get_booking_id (booking), ==, BOOKING_ID);
  g_assert_cmpstr (pc_booking_get_rejected_reason (booking), ==, "Sorry");

  /* One POST, never sent again, then the GET that reads the booking. */
  assert_sandbox_log (f, "POST " REINVITE_PATH " 4817263 200 truncate\n"
                         "GET " DETAILS_PATH " 4817263 200 -\n");
}

static void
test_reinvite_lost_pending (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PcBooking) booking = NULL;

  /* The connection closes once the request is read, and the booking still shows as
   * pending: that does not tell whether the server will act on it, so the outcome is
   * unknown, never "most likely not re-invited" (which invites a second re-invite). */
  pc_sandbox_set_drop_connections (f->sandbox, TRUE);
  pc_sandbox_set_fault_limit (f->sandbox, 1);

  booking = reinvite (f, "Sorry", NULL, &error);
  g_assert_null (booking);
  g_assert_error (error, PC_API_ERROR, PC_API_ERROR_OUTCOME_UNKNOWN);
  assert_human_message (error, "Booking 4817263 may or may not have been re-invited: the "
                               "connection to the server was lost after the request was "
                               "sent (");
  g_assert_true (g_str_has_suffix (error->message,
                                   "It still showed as pending afterwards, and the server "
                                   "may yet act on the request."));
  g_assert_null (strstr (error->message, "most likely"));
  assert_sandbox_log (f, "POST " REINVITE_PATH " 4817263 0 drop\n"
                         "GET " DETAILS_PATH " 4817263 200 -\n");
}

/* Counts the connections the session opens for POSTs (a message that finds an idle
 * connection opens none). */
static void
network_event_cb (SoupMessage        *msg,
                  GSocketClientEvent  event,
                  GIOStream          *connection,
                  guint              *n_connected)
{
  if (event == G_SOCKET_CLIENT_CONNECTED &&
      g_str_equal (soup_message_get_method (msg), SOUP_METHOD_POST))
    (*n_connected)++;
}

static void
request_queued_cb (SoupSession *session,
                   SoupMessage *msg,
                   guint       *n_connected)
{
  g_signal_connect (msg, "network-event", G_CALLBACK (network_event_cb), n_connected);
}

static void
test_reinvite_connection_new_per_post (Fixture       *f,
                                       gconstpointer  data)
{
  guint n_connected = 0;

  /* Re-invites one after another each go out on a connection of their own, never on
   * one kept from before (pc-api.c, prepare_message(), says why), each sent once. */
  pc_sandbox_load_reinvitable (f->sandbox, 5);
  g_signal_connect (f->session, "request-queued", G_CALLBACK (request_queued_cb), &n_connected);

  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PcBooking) booking = NULL;

      pc_api_reinvite_async (f->api, PC_SANDBOX_REINVITABLE_FIRST_ID + i, "Sorry", NULL,
                             pc_test_store_result_cb, &f->result);
      booking = pc_api_reinvite_finish (f->api, wait_result (f), &error);
      g_clear_object (&f->result);
      g_assert_no_error (error);
      g_assert_cmpint (pc_booking_get_status (booking), ==, PC_BOOKING_STATUS_REJECTED);
    }

  g_assert_cmpuint (n_connected, ==, 5);
  g_assert_cmpuint (pc_sandbox_count_requests (f->sandbox, "POST", REINVITE_PATH), ==, 5);
}

static void
test_reinvite_lost_unknown (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PcBooking) booking = NULL;

  /* The connection closes once the request is read, and reading the booking again fails
   * too. The sandbox's faults apply to every path, so the drop gives way to a status for
   * the re-read as soon as the sandbox holds the POST: the client can only ask again
   * once the drop has happened. */
  pc_sandbox_set_drop_connections (f->sandbox, TRUE);
  pc_api_reinvite_async (f->api, BOOKING_ID, "Sorry", NULL, pc_test_store_result_cb, &f->result);
  PC_TEST_WAIT_UNTIL (pc_sandbox_count_requests (f->sandbox, NULL, NULL) == 1);
  pc_sandbox_clear_faults (f->sandbox);
  pc_sandbox_set_path_status (f->sandbox, DETAILS_PATH, 500);

  booking = pc_api_reinvite_finish (f->api, wait_result (f), &error);
  g_assert_null (booking);
  g_assert_error (error, PC_API_ERROR, PC_API_ERROR_OUTCOME_UNKNOWN);
  assert_human_message (error, "Booking 4817263 may or may not have been re-invited: the "
                               "connection to the server was lost");
  g_assert_nonnull (strstr (error->message, "Checking the booking afterwards failed too: the "
                                            "server had a problem (HTTP 500"));
  assert_sandbox_log (f, "POST " REINVITE_PATH " 4817263 0 drop\n"
                         "GET " DETAILS_PATH " 4817263 500 status\n");
}

static void
test_reinvite_lost_other_status (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PcBooking) booking = NULL;

  /* The client accepted the booking meanwhile. */
  g_object_set (pc_sandbox_lookup (f->sandbox, BOOKING_ID), "status-text", "Accepted", NULL);
  pc_sandbox_set_drop_connections (f->sandbox, TRUE);
  pc_sandbox_set_fault_limit (f->sandbox, 1);

  booking = reinvite (f, NULL, NULL, &error);
  g_assert_error (error, PC_API_ERROR, PC_API_ERROR_CANNOT_CONNECT);
  g_assert_true (g_str_has_suffix (error->message, "The booking is now “Accepted”, so it was "
                                                   "not re-invited."));
  assert_sandbox_log (f, "POST " REINVITE_PATH " 4817263 0 drop\n"
                         "GET " DETAILS_PATH " 4817263 200 -\n");
}

/* A timeout the POST must outlast on its way out, so that the server holds it: scaled as
 * the test setup slows the code down. Returns how PcApi's message names it. */
static char *
set_lost_timeout (Fixture *f)
{
  guint seconds = pc_test_scale_seconds (1);

  pc_api_set_timeout (f->api, seconds);
  return seconds == 1 ? g_strdup ("within 1 second") : g_strdup_printf ("within %u seconds", seconds);
}

static void
test_reinvite_lost_timeout (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PcBooking) booking = NULL;

  /* The server takes the POST and never answers; the re-read shows it happened. The
   * sandbox would carry out a request it holds back only once its latency is over, so
   * the server acting meanwhile is played here: the booking is rejected while the POST
   * waits for its answer. */
  pc_sandbox_set_latency (f->sandbox, NEVER_MS);
  pc_sandbox_set_fault_limit (f->sandbox, 1);
  g_free (set_lost_timeout (f));

  pc_api_reinvite_async (f->api, BOOKING_ID, "Sorry", NULL, pc_test_store_result_cb, &f->result);
  PC_TEST_WAIT_UNTIL (pc_sandbox_count_requests (f->sandbox, NULL, NULL) == 1);
  g_object_set (pc_sandbox_lookup (f->sandbox, BOOKING_ID),
                "status-text", "Rejected",
                "rejected-reason", "Sorry",
                NULL);

  booking = pc_api_reinvite_finish (f->api, wait_result (f), &error);
  g_assert_no_error (error);
  g_assert_cmpint (pc_booking_get_status (booking), ==, PC_BOOKING_STATUS_REJECTED);
  g_assert_cmpstr (pc_booking_get_rejected_reason (booking), ==, "Sorry");
  assert_sandbox_log (f, "POST " REINVITE_PATH " 4817263 0 latency\n"
                         "GET " DETAILS_PATH " 4817263 200 -\n");
}

static void
test_reinvite_lost_timeout_pending (Fixture       *f,
                                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PcBooking) booking = NULL;
  g_autofree char *within = NULL;
  g_autofree char *expected = NULL;

  /* The server holds the POST back without acting on it: the booking stays pending. */
  pc_sandbox_set_latency (f->sandbox, NEVER_MS);
  pc_sandbox_set_fault_limit (f->sandbox, 1);
  within = set_lost_timeout (f);
  expected = g_strdup_printf ("Booking 4817263 may or may not have been re-invited: the server "
                              "did not answer %s. It still showed as pending afterwards, and "
                              "the server may yet act on the request.", within);

  booking = reinvite (f, "Sorry", NULL, &error);
  g_assert_error (error, PC_API_ERROR, PC_API_ERROR_OUTCOME_UNKNOWN);
  g_assert_cmpstr (error->message, ==, expected);
  assert_sandbox_log (f, "POST " REINVITE_PATH " 4817263 0 latency\n"
                         "GET " DETAILS_PATH " 4817263 200 -\n");
}

static void
test_reinvite_lost_timeout_done_later (Fixture       *f,
                                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PcBooking) booking = NULL;
  g_autoptr(PcBooking) later = NULL;

  /* With a fault on the answer too: the sandbox has no connection left to cut it short
   * on once the client has gone (it took the aborted request's connection before). */
  if (GPOINTER_TO_INT (data))
    pc_sandbox_set_truncate_bodies (f->sandbox, TRUE);

  /* Issue 11: the server is slower than PcApi's timeout. The re-read still shows the
   * booking pending, so the outcome is unknown; then the server carries the POST out
   * although its client has gone. Reported as "not re-invited", a retry would have
   * re-invited the client twice. */
  pc_sandbox_set_latency (f->sandbox, NEVER_MS);
  pc_sandbox_set_fault_limit (f->sandbox, 1);
  g_free (set_lost_timeout (f));

  booking = reinvite (f, "Sorry", NULL, &error);
  g_assert_null (booking);
  g_assert_error (error, PC_API_ERROR, PC_API_ERROR_OUTCOME_UNKNOWN);
  g_assert_cmpint (pc_booking_get_status (pc_sandbox_lookup (f->sandbox, BOOKING_ID)), ==,
                   PC_BOOKING_STATUS_PENDING);

  /* The server's latency ends: it re-invites, answering nobody. */
  pc_sandbox_release_held (f->sandbox);
  g_assert_cmpint (pc_booking_get_status (pc_sandbox_lookup (f->sandbox, BOOKING_ID)), ==,
                   PC_BOOKING_STATUS_REJECTED);

  g_clear_error (&error);
  later = get_booking (f, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pc_booking_get_status (later), ==, PC_BOOKING_STATUS_REJECTED);
  g_assert_cmpstr (pc_booking_get_rejected_reason (later), ==, "Sorry");
  g_assert_cmpuint (pc_sandbox_count_requests (f->sandbox, "POST", REINVITE_PATH), ==, 1);
}

static void
test_reinvite_gateway_timeout (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PcBooking) booking = NULL;

  /* A proxy that gave up waiting may have passed the request on. */
  pc_sandbox_set_path_status (f->sandbox, REINVITE_PATH, 504);

  booking = reinvite (f, NULL, NULL, &error);
  g_assert_error (error, PC_API_ERROR, PC_API_ERROR_OUTCOME_UNKNOWN);
  assert_human_message (error, "Booking 4817263 may or may not have been re-invited: the server "
                               "had a problem (HTTP 504");
  g_assert_true (g_str_has_suffix (error->message, "It still showed as pending afterwards, and "
                                                   "the server may yet act on the request."));
  assert_sandbox_log (f, "POST " REINVITE_PATH " 4817263 504 status\n"
                         "GET " DETAILS_PATH " 4817263 200 -\n");
}

static void
test_reinvite_unreadable_answer (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PcBooking) booking = NULL;

  /* A 200 whose body we cannot read: it worked, so the re-read gives the booking. */
  add_text_route (f, "POST", REINVITE_PATH, 200, "text/html", "<html><body>OK</body></html>");
  add_data_route (f, "GET", DETAILS_PATH, 200, "reinvite-response.json");

  booking = reinvite (f, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pc_booking_get_status (booking), ==, PC_BOOKING_STATUS_REJECTED);
  g_assert_cmpuint (count_requests (f, "POST", REINVITE_PATH), ==, 1);
}

static void
test_reinvite_comment_answer (Fixture       *f,
                              gconstpointer  data)
{
  /* A 200 that is only a comment: the request may have worked, so the booking is read
   * again. Still pending: the outcome is unknown, said so with the first reason. */
  add_text_route (f, "POST", REINVITE_PATH, 200, "application/json", COMMENT_BODY);
  add_data_route (f, "GET", DETAILS_PATH, 200, "received-booking.json");

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(PcBooking) booking = reinvite (f, "Sorry", NULL, &error);

    g_assert_null (booking);
    g_assert_error (error, PC_API_ERROR, PC_API_ERROR_OUTCOME_UNKNOWN);
    g_assert_cmpstr (error->message, ==,
                     "Booking 4817263 may or may not have been re-invited: " COMMENT_REASON
                     " It still showed as pending afterwards, and the server may yet act on the "
                     "request.");
    g_assert_cmpuint (count_requests (f, "POST", REINVITE_PATH), ==, 1);
    g_assert_cmpuint (count_requests (f, "GET", DETAILS_PATH), ==, 1);
  }

  /* The re-read is only a comment too: the outcome is unknown, and nothing is resent. */
  g_ptr_array_set_size (f->routes, 0);
  g_ptr_array_set_size (f->requests, 0);
  add_text_route (f, "POST", REINVITE_PATH, 200, "application/json", COMMENT_BODY);
  add_text_route (f, "GET", DETAILS_PATH, 200, "application/json", COMMENT_BODY);

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(PcBooking) booking = reinvite (f, "Sorry", NULL, &error);

    g_assert_null (booking);
    g_assert_error (error, PC_API_ERROR, PC_API_ERROR_OUTCOME_UNKNOWN);
    g_assert_cmpstr (error->message, ==,
                     "Booking 4817263 may or may not have been re-invited: " COMMENT_REASON
                     " Checking the booking afterwards failed too: " COMMENT_REASON);
    g_assert_cmpuint (count_requests (f, "POST", REINVITE_PATH), ==, 1);
    g_assert_cmpuint (count_requests (f, "GET", DETAILS_PATH), ==, 1);
  }
}

static void
test_reinvite_not_sent (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PcBooking) booking = NULL;

  /* Nothing was sent, so nothing needs checking: no OUTCOME_UNKNOWN. */
  use_closed_port (f);

  booking = reinvite (f, "Sorry", NULL, &error);
  g_assert_error (error, PC_API_ERROR, PC_API_ERROR_CANNOT_CONNECT);
  assert_human_message (error, "Could not re-invite booking 4817263: the server could not be "
                               "reached (");
}

/* Accept, reject, cancel and delete
 *
 * Each goes through the re-invite's path: sent once, never again, and a lost answer is
 * followed by reading the booking. The sandbox's log shows every request that reached it. */

/* The sandbox's booking, put in @status with AcceptBy and SessionDate that many seconds
 * from the sandbox's now. */
static void
sandbox_put_booking (Fixture    *f,
                     const char *status,
                     gint64      accept_by_s,
                     gint64      session_s)
{
  g_autoptr(GDateTime) now = pc_clock_get_now (f->clock);
  g_autoptr(GDateTime) accept_by = g_date_time_add_seconds (now, accept_by_s);
  g_autoptr(GDateTime) session = g_date_time_add_seconds (now, session_s);

  g_object_set (pc_sandbox_lookup (f->sandbox, BOOKING_ID),
                "status-text", status,
                "accept-by", accept_by,
                "session-date", session,
                NULL);
}

static PcBooking *
accept_booking (Fixture  *f,
                gint64    credits,
                GError  **error)
{
  PcBooking *booking;

  pc_api_accept_async (f->api, BOOKING_ID, credits, NULL, pc_test_store_result_cb, &f->result);
  wait_result (f);
  g_assert_true (pc_api_action_was_sent (f->result));
  booking = pc_api_accept_finish (f->api, f->result, error);
  g_clear_object (&f->result);
  return booking;
}

static PcBooking *
reject_booking (Fixture     *f,
                gint64       booking_id,
                const char  *reason,
                GError     **error)
{
  PcBooking *booking;

  pc_api_reject_async (f->api, booking_id, reason, NULL, pc_test_store_result_cb, &f->result);
  booking = pc_api_reject_finish (f->api, wait_result (f), error);
  g_clear_object (&f->result);
  return booking;
}

static PcBooking *
cancel_booking (Fixture     *f,
                const char  *reason,
                GError     **error)
{
  PcBooking *booking;

  pc_api_cancel_async (f->api, BOOKING_ID, reason, NULL, pc_test_store_result_cb, &f->result);
  booking = pc_api_cancel_finish (f->api, wait_result (f), error);
  g_clear_object (&f->result);
  return booking;
}

static GPtrArray *
delete_bookings (Fixture       *f,
                 const gint64  *ids,
                 guint          n_ids,
                 GError       **error)
{
  GPtrArray *results;

  pc_api_delete_async (f->api, ids, n_ids, NULL, pc_test_store_result_cb, &f->result);
  results = pc_api_delete_finish (f->api, wait_result (f), error);
  g_clear_object (&f->result);
  return results;
}

/* What PcApi sends, byte for byte: Credits as the exact decimal, never a double's 17
 * digits; a reason stripped; BookingIDs as one string. */
static void
test_actions_bodies (Fixture       *f,
                     gconstpointer  data)
{
  static const gint64 ids[] = { 100, 101, 102 };
  g_autoptr(GError) error = NULL;
  g_autoptr(PcBooking) accepted = NULL;
  g_autoptr(PcBooking) rejected = NULL;
  g_autoptr(PcBooking) cancelled = NULL;
  g_autoptr(GPtrArray) results = NULL;

  add_data_route (f, "POST", ACCEPT_PATH, 200, "received-booking-accepted.json");
  add_data_route (f, "POST", REJECT_PATH, 200, "reinvite-response.json");
  add_data_route (f, "POST", CANCEL_PATH, 200, "received-booking-accepted.json");
  add_data_route (f, "POST", DELETE_PATH, 200, "delete-bookings-result.json");

  accepted = accept_booking (f, 81000, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pc_booking_get_status (accepted), ==, PC_BOOKING_STATUS_ACCEPTED);
  assert_json_body (get_request (f, 0), "{\"BookingID\":4817263,\"Credits\":8.10}");
  g_clear_object (&accepted);
  accepted = accept_booking (f, 150000, &error);
  g_assert_no_error (error);
  assert_json_body (get_request (f, 1), "{\"BookingID\":4817263,\"Credits\":15}");
  assert_common_headers (get_request (f, 1));

  rejected = reject_booking (f, BOOKING_ID, "  Fully “booked”\n", &error);
  g_assert_no_error (error);
  assert_json_body (get_request (f, 2), "{\"BookingID\":4817263,\"Reason\":\"Fully “booked”\"}");

  cancelled = cancel_booking (f, "Unwell", &error);
  g_assert_no_error (error);
  assert_json_body (get_request (f, 3), "{\"BookingID\":4817263,\"Reason\":\"Unwell\"}");

  results = delete_bookings (f, ids, G_N_ELEMENTS (ids), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, 3);
  g_assert_false (((PcDeleteResult *) g_ptr_array_index (results, 1))->deleted);
  assert_json_body (get_request (f, 4), "{\"BookingIDs\":\"100,101,102\"}");
  g_assert_cmpuint (f->requests->len, ==, 5);
}

/* A delete answer that does not account for each booking asked about is not trusted:
 * the bookings are read again instead. */
static void
test_delete_answer_incomplete (Fixture       *f,
                               gconstpointer  data)
{
  static const gint64 ids[] = { 100, 101, 102, 103 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) results = NULL;

  add_data_route (f, "POST", DELETE_PATH, 200, "delete-bookings-result.json");
  add_text_route (f, "GET", DETAILS_PATH, 500, "application/json", "{\"Message\": \"Down\"}");

  results = delete_bookings (f, ids, G_N_ELEMENTS (ids), &error);
  g_assert_null (results);
  g_assert_error (error, PC_API_ERROR, PC_API_ERROR_OUTCOME_UNKNOWN);
  g_assert_cmpstr (error->message, ==,
                   "Bookings 100, 101, 102, 103 may or may not have been deleted: the server's "
                   "answer does not say once what happened to booking 103. Reading the "
                   "bookings again did not show whether the server acted on the request.");
  g_assert_cmpuint (count_requests (f, "POST", DELETE_PATH), ==, 1);
  g_assert_cmpuint (count_requests (f, "GET", DETAILS_PATH), ==, 4);
}

static void
test_accept_success (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PcBooking) booking = NULL;

  sandbox_put_booking (f, "Pending", 60, 3600);
  booking = accept_booking (f, 81000, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pc_booking_get_status (booking), ==, PC_BOOKING_STATUS_ACCEPTED);
  g_assert_cmpint (pc_booking_get_credits (booking), ==, 81000);
  g_assert_nonnull (pc_test_booking_date (booking, "accepted-date"));
  assert_sandbox_log (f, "POST " ACCEPT_PATH " 4817263 200 -\n");
}

static void
test_accept_refused (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PcBooking) booking = NULL;

  /* The sandbox's booking: its session has passed. A refusal is an answer: no re-read. */
  booking = accept_booking (f, 150000, &error);
  g_assert_null (booking);
  g_assert_error (error, PC_API_ERROR, PC_API_ERROR_REJECTED);
  assert_human_message (error, "Could not accept booking 4817263: the server refused it: The "
                               "booking cannot be accepted: its AcceptBy");
  assert_sandbox_log (f, "POST " ACCEPT_PATH " 4817263 400 -\n");
}

static void
test_accept_lost_done (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PcBooking) booking = NULL;

  /* The server accepts, then its answer breaks off: the re-read shows it happened. */
  sandbox_put_booking (f, "Pending", 60, 3600);
  pc_sandbox_set_truncate_bodies (f->sandbox, TRUE);
  pc_sandbox_set_fault_limit (f->sandbox, 1);

  booking = accept_booking (f, 150000, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pc_booking_get_status (booking), ==, PC_BOOKING_STATUS_ACCEPTED);
  assert_sandbox_log (f, "POST " ACCEPT_PATH " 4817263 200 truncate\n"
                         "GET " DETAILS_PATH " 4817263 200 -\n");
}

static void
test_accept_lost_dropped (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PcBooking) booking = NULL;

  /* Dropped once read: the booking still shows as pending, which proves nothing. */
  sandbox_put_booking (f, "Pending", 60, 3600);
  pc_sandbox_set_drop_connections (f->sandbox, TRUE);
  pc_sandbox_set_fault_limit (f->sandbox, 1);

  booking = accept_booking (f, 150000, &error);
  g_assert_null (booking);
  g_assert_error (error, PC_API_ERROR, PC_API_ERROR_OUTCOME_UNKNOWN);
  assert_human_message (error, "Booking 4817263 may or may not have been accepted: the "
                               "connection to the server was lost after the request was "
                               "sent (");
  g_assert_true (g_str_has_suffix (error->message, "It still showed as pending afterwards, and "
                                                   "the server may yet act on the request."));
  assert_sandbox_log (f, "POST " ACCEPT_PATH " 4817263 0 drop\n"
                         "GET " DETAILS_PATH " 4817263 200 -\n");
}

static void
test_accept_lost_timeout (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PcBooking) booking = NULL;
  g_autofree char *within = NULL;
  g_autofree char *expected = NULL;

  /* The server holds the POST past PcApi's timeout, then carries it out, answering nobody:
   * unknown, and it was sent once. */
  sandbox_put_booking (f, "Pending", 60, 3600);
  pc_sandbox_set_latency (f->sandbox, NEVER_MS);
  pc_sandbox_set_fault_limit (f->sandbox, 1);
  within = set_lost_timeout (f);
  expected = g_strdup_printf ("Booking 4817263 may or may not have been accepted: the server "
                              "did not answer %s. It still showed as pending afterwards, and "
                              "the server may yet act on the request.", within);

  booking = accept_booking (f, 150000, &error);
  g_assert_null (booking);
  g_assert_error (error, PC_API_ERROR, PC_API_ERROR_OUTCOME_UNKNOWN);
  g_assert_cmpstr (error->message, ==, expected);
  assert_sandbox_log (f, "POST " ACCEPT_PATH " 4817263 0 latency\n"
                         "GET " DETAILS_PATH " 4817263 200 -\n");

  pc_sandbox_release_held (f->sandbox);
  g_assert_cmpint (pc_booking_get_status (pc_sandbox_lookup (f->sandbox, BOOKING_ID)), ==,
                   PC_BOOKING_STATUS_ACCEPTED);
  g_assert_cmpuint (pc_sandbox_count_requests (f->sandbox, "POST", ACCEPT_PATH), ==, 1);
}

static void
test_accept_server_error (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PcBooking) booking = NULL;

  /* A 500 is the server's own answer that it failed: not retried, not re-read. */
  sandbox_put_booking (f, "Pending", 60, 3600);
  pc_sandbox_set_path_status (f->sandbox, ACCEPT_PATH, 500);

  booking = accept_booking (f, 150000, &error);
  g_assert_error (error, PC_API_ERROR, PC_API_ERROR_SERVER);
  assert_human_message (error, "Could not accept booking 4817263: the server had a problem "
                               "(HTTP 500");
  assert_sandbox_log (f, "POST " ACCEPT_PATH " 4817263 500 status\n");
}

static void
test_accept_gateway_timeout (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PcBooking) booking = NULL;

  sandbox_put_booking (f, "Pending", 60, 3600);
  pc_sandbox_set_path_status (f->sandbox, ACCEPT_PATH, 504);

  booking = accept_booking (f, 150000, &error);
  g_assert_error (error, PC_API_ERROR, PC_API_ERROR_OUTCOME_UNKNOWN);
  assert_human_message (error, "Booking 4817263 may or may not have been accepted: the server "
                               "had a problem (HTTP 504");
  assert_sandbox_log (f, "POST " ACCEPT_PATH " 4817263 504 status\n"
                         "GET " DETAILS_PATH " 4817263 200 -\n");
}

static void
wrote_body_cb (SoupMessage *msg,
               gboolean    *wrote)
{
  *wrote = TRUE;
}

static void
watch_body_written_cb (SoupSession *session,
                       SoupMessage *msg,
                       gboolean    *wrote)
{
  g_signal_connect (msg, "wrote-body", G_CALLBACK (wrote_body_cb), wrote);
}

static void
test_accept_cancelled_in_flight (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PcBooking) booking = NULL;
  gboolean wrote = FALSE;

  /* Cancelled once the whole POST is written and the server holds it: stop, say it was
   * sent, read nothing. */
  sandbox_put_booking (f, "Pending", 60, 3600);
  pc_sandbox_set_latency (f->sandbox, NEVER_MS);
  pc_sandbox_set_fault_limit (f->sandbox, 1);
  g_signal_connect (f->session, "request-queued", G_CALLBACK (watch_body_written_cb), &wrote);
  pc_api_accept_async (f->api, BOOKING_ID, 150000, cancellable, pc_test_store_result_cb,
                       &f->result);
  PC_TEST_WAIT_UNTIL (wrote && pc_sandbox_count_requests (f->sandbox, NULL, NULL) == 1);
  g_signal_handlers_disconnect_by_func (f->session, watch_body_written_cb, &wrote);
  g_cancellable_cancel (cancellable);

  wait_result (f);
  g_assert_true (pc_api_action_was_sent (f->result));
  booking = pc_api_accept_finish (f->api, f->result, &error);
  g_clear_object (&f->result);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  assert_sandbox_log (f, "POST " ACCEPT_PATH " 4817263 0 latency\n");
}

/* The server requires a reason to reject or cancel: a blank one is a programming error,
 * refused before anything is sent. */
static void
test_reject_reason_required (Fixture       *f,
                             gconstpointer  data)
{
  static const char * const blanks[] = { "", "  \n" };

  for (guint i = 0; i < G_N_ELEMENTS (blanks); i++)
    {
      g_test_expect_message ("pc-api", G_LOG_LEVEL_CRITICAL, "*reason_is_given*");
      pc_api_reject_async (f->api, BOOKING_ID, blanks[i], NULL, pc_test_store_result_cb,
                           &f->result);
      g_test_assert_expected_messages ();
      g_test_expect_message ("pc-api", G_LOG_LEVEL_CRITICAL, "*reason_is_given*");
      pc_api_cancel_async (f->api, BOOKING_ID, blanks[i], NULL, pc_test_store_result_cb,
                           &f->result);
      g_test_assert_expected_messages ();
    }

  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (f->result);
  g_assert_cmpuint (pc_sandbox_count_requests (f->sandbox, NULL, NULL), ==, 0);
}

static void
test_reject_success (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PcBooking) booking = NULL;

  sandbox_put_booking (f, "Pending", 60, 3600);
  booking = reject_booking (f, BOOKING_ID, "Fully booked", &error);
  g_assert_no_error (error);
  g_assert_cmpint (pc_booking_get_status (booking), ==, PC_BOOKING_STATUS_REJECTED);
  g_assert_cmpstr (pc_booking_get_rejected_reason (booking), ==, "Fully booked");
  assert_sandbox_log (f, "POST " REJECT_PATH " 4817263 200 -\n");
}

static void
test_reject_lost_other_status (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PcBooking) booking = NULL;

  /* Dropped unprocessed, and the booking was cancelled meanwhile: it was not rejected. */
  sandbox_put_booking (f, "Cancelled", 60, 3600);
  pc_sandbox_set_drop_connections (f->sandbox, TRUE);
  pc_sandbox_set_fault_limit (f->sandbox, 1);

  booking = reject_booking (f, BOOKING_ID, "Fully booked", &error);
  g_assert_error (error, PC_API_ERROR, PC_API_ERROR_CANNOT_CONNECT);
  assert_human_message (error, "Could not reject booking 4817263: the connection to the server "
                               "was lost after the request was sent (");
  g_assert_true (g_str_has_suffix (error->message, "The booking is now “Cancelled”, so it was "
                                                   "not rejected."));
  assert_sandbox_log (f, "POST " REJECT_PATH " 4817263 0 drop\n"
                         "GET " DETAILS_PATH " 4817263 200 -\n");
}

static void
test_reject_not_offered (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PcBooking) booking = NULL;

  /* A server without the inferred path answers 404 as for any unknown path, while the
   * booking is there: that server does not offer rejecting. */
  pc_sandbox_set_inferred_endpoints (f->sandbox, FALSE);

  booking = reject_booking (f, BOOKING_ID, "Fully booked", &error);
  g_assert_null (booking);
  g_assert_error (error, PC_API_ERROR, PC_API_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "Could not reject booking 4817263: this server does not "
                                       "offer rejecting bookings: it has no "
                                       "/v1/PhoneChat/RejectReceivedBooking, while the booking "
                                       "is there. Reject it on the AdultWork website instead.");
  g_assert_null (strstr (error->message, "does not know this booking"));
  assert_sandbox_log (f, "POST " REJECT_PATH " 4817263 404 -\n"
                         "GET " DETAILS_PATH " 4817263 200 -\n");
  g_assert_cmpint (pc_booking_get_status (pc_sandbox_lookup (f->sandbox, BOOKING_ID)), ==,
                   PC_BOOKING_STATUS_PENDING);
}

static void
test_reject_unknown_booking (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PcBooking) booking = NULL;

  /* The path exists and the booking does not: the 404 is about the booking. */
  booking = reject_booking (f, 999, "Fully booked", &error);
  g_assert_error (error, PC_API_ERROR, PC_API_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "Could not reject booking 999: the server does not know "
                                       "this booking. It may have been deleted. The server "
                                       "said: “No booking with BookingID 999 was found.”");
  assert_sandbox_log (f, "POST " REJECT_PATH " 999 404 -\n"
                         "GET " DETAILS_PATH " 999 404 -\n");
}

static void
test_reject_not_offered_unreadable (Fixture       *f,
                                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PcBooking) booking = NULL;

  /* 404, and reading the booking to tell why fails: neither is claimed. */
  pc_sandbox_set_inferred_endpoints (f->sandbox, FALSE);
  pc_sandbox_set_path_status (f->sandbox, DETAILS_PATH, 503);

  booking = reject_booking (f, BOOKING_ID, "Fully booked", &error);
  g_assert_error (error, PC_API_ERROR, PC_API_ERROR_NOT_FOUND);
  assert_human_message (error, "Could not reject booking 4817263: the server answered “404 Not "
                               "Found”, which means that it does not offer this or that it does "
                               "not know the booking, and reading the booking to tell failed "
                               "too: the server had a problem (HTTP 503");
  g_assert_cmpuint (pc_sandbox_count_requests (f->sandbox, "POST", REJECT_PATH), ==, 1);
}

static void
test_cancel_success (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PcBooking) booking = NULL;

  sandbox_put_booking (f, "Accepted", -60, 3600);
  booking = cancel_booking (f, "Unwell today", &error);
  g_assert_no_error (error);
  g_assert_cmpint (pc_booking_get_status (booking), ==, PC_BOOKING_STATUS_CANCELLED);
  g_assert_cmpstr (pc_booking_get_cancelled_reason (booking), ==, "Unwell today");
  assert_sandbox_log (f, "POST " CANCEL_PATH " 4817263 200 -\n");
}

static void
test_cancel_lost (Fixture       *f,
                  gconstpointer  data)
{
  /* Carried out, answer cut short: the re-read shows it cancelled. */
  sandbox_put_booking (f, "Accepted", -60, 3600);
  pc_sandbox_set_truncate_bodies (f->sandbox, TRUE);
  pc_sandbox_set_fault_limit (f->sandbox, 1);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(PcBooking) booking = cancel_booking (f, "Unwell today", &error);

    g_assert_no_error (error);
    g_assert_cmpint (pc_booking_get_status (booking), ==, PC_BOOKING_STATUS_CANCELLED);
  }

  /* Dropped unprocessed: still accepted proves nothing. */
  sandbox_put_booking (f, "Accepted", -60, 3600);
  pc_sandbox_clear_requests (f->sandbox);
  pc_sandbox_set_drop_connections (f->sandbox, TRUE);
  pc_sandbox_set_fault_limit (f->sandbox, 1);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(PcBooking) booking = cancel_booking (f, "Unwell today", &error);

    g_assert_error (error, PC_API_ERROR, PC_API_ERROR_OUTCOME_UNKNOWN);
    assert_human_message (error, "Booking 4817263 may or may not have been cancelled: ");
    g_assert_true (g_str_has_suffix (error->message, "It still showed as accepted afterwards, "
                                                     "and the server may yet act on the "
                                                     "request."));
    assert_sandbox_log (f, "POST " CANCEL_PATH " 4817263 0 drop\n"
                           "GET " DETAILS_PATH " 4817263 200 -\n");
  }
}

static void
test_cancel_not_offered (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PcBooking) booking = NULL;

  sandbox_put_booking (f, "Accepted", -60, 3600);
  pc_sandbox_set_inferred_endpoints (f->sandbox, FALSE);

  booking = cancel_booking (f, "Unwell today", &error);
  g_assert_error (error, PC_API_ERROR, PC_API_ERROR_NOT_FOUND);
  assert_human_message (error, "Could not cancel booking 4817263: this server does not offer "
                               "cancelling bookings");
  assert_sandbox_log (f, "POST " CANCEL_PATH " 4817263 404 -\n"
                         "GET " DETAILS_PATH " 4817263 200 -\n");
}

/* The sandbox's booking and a second one, finished and not. */
#define SECOND_ID 4817264

static void
sandbox_add_second (Fixture    *f,
                    const char *status)
{
  g_autoptr(PcBooking) second = booking_from_data (f, "received-booking.json");

  g_object_set (second, "booking-id", (gint64) SECOND_ID, "status-text", status, NULL);
  pc_sandbox_add_booking (f->sandbox, second);
}

static void
test_delete_success (Fixture       *f,
                     gconstpointer  data)
{
  static const gint64 ids[] = { BOOKING_ID, SECOND_ID };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) results = NULL;
  PcDeleteResult *r;

  sandbox_put_booking (f, "Rejected", -7200, -3600);
  sandbox_add_second (f, "Pending");

  results = delete_bookings (f, ids, G_N_ELEMENTS (ids), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, 2);
  r = g_ptr_array_index (results, 0);
  g_assert_cmpint (r->booking_id, ==, BOOKING_ID);
  g_assert_true (r->deleted);
  r = g_ptr_array_index (results, 1);
  g_assert_cmpint (r->booking_id, ==, SECOND_ID);
  g_assert_false (r->deleted);
  g_assert_nonnull (r->message);
  g_assert_null (pc_sandbox_lookup (f->sandbox, BOOKING_ID));
  assert_sandbox_log (f, "POST " DELETE_PATH " 4817263 200 -\n");
}

static void
test_delete_lost_learnt (Fixture       *f,
                         gconstpointer  data)
{
  static const gint64 ids[] = { BOOKING_ID, SECOND_ID };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) results = NULL;
  PcDeleteResult *r;

  /* Carried out, answer cut short: each booking is read again. The deleted one is gone,
   * the pending one could not have been deleted. */
  sandbox_put_booking (f, "Cancelled", -7200, -3600);
  sandbox_add_second (f, "Pending");
  pc_sandbox_set_truncate_bodies (f->sandbox, TRUE);
  pc_sandbox_set_fault_limit (f->sandbox, 1);

  results = delete_bookings (f, ids, G_N_ELEMENTS (ids), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, 2);
  r = g_ptr_array_index (results, 0);
  g_assert_true (r->deleted);
  g_assert_null (r->message);
  r = g_ptr_array_index (results, 1);
  g_assert_false (r->deleted);
  g_assert_cmpstr (r->message, ==, "The booking is now “Pending”, so it was not deleted.");
  assert_sandbox_log (f, "POST " DELETE_PATH " 4817263 200 truncate\n"
                         "GET " DETAILS_PATH " 4817263 404 -\n"
                         "GET " DETAILS_PATH " 4817264 200 -\n");
}

static void
test_delete_lost_unknown (Fixture       *f,
                          gconstpointer  data)
{
  static const gint64 ids[] = { BOOKING_ID, SECOND_ID };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) results = NULL;

  /* Dropped unprocessed: the finished booking is still there, which proves nothing (the
   * server may yet delete it); the pending one was not deleted. */
  sandbox_put_booking (f, "Confirmed", -7200, -3600);
  sandbox_add_second (f, "Accepted");
  pc_sandbox_set_drop_connections (f->sandbox, TRUE);
  pc_sandbox_set_fault_limit (f->sandbox, 1);

  results = delete_bookings (f, ids, G_N_ELEMENTS (ids), &error);
  g_assert_null (results);
  g_assert_error (error, PC_API_ERROR, PC_API_ERROR_OUTCOME_UNKNOWN);
  assert_human_message (error, "Booking 4817263 may or may not have been deleted: the "
                               "connection to the server was lost after the request was "
                               "sent (");
  g_assert_true (g_str_has_suffix (error->message, "Reading the bookings again did not show "
                                                   "whether the server acted on the request."));
  assert_sandbox_log (f, "POST " DELETE_PATH " 4817263 0 drop\n"
                         "GET " DETAILS_PATH " 4817263 200 -\n"
                         "GET " DETAILS_PATH " 4817264 200 -\n");
}

static void
test_delete_server_error (Fixture       *f,
                          gconstpointer  data)
{
  static const gint64 ids[] = { BOOKING_ID, SECOND_ID };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) results = NULL;

  sandbox_add_second (f, "Rejected");
  pc_sandbox_set_path_status (f->sandbox, DELETE_PATH, 503);

  results = delete_bookings (f, ids, G_N_ELEMENTS (ids), &error);
  g_assert_error (error, PC_API_ERROR, PC_API_ERROR_SERVER);
  assert_human_message (error, "Could not delete bookings 4817263, 4817264: the server had a "
                               "problem (HTTP 503");
  assert_sandbox_log (f, "POST " DELETE_PATH " 4817263 503 status\n");
}

static void
test_delete_not_offered (Fixture       *f,
                         gconstpointer  data)
{
  static const gint64 ids[] = { BOOKING_ID };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) results = NULL;

  /* A server without the (documented) path: said so, nothing re-read. */
  pc_sandbox_set_path_status (f->sandbox, DELETE_PATH, 404);

  results = delete_bookings (f, ids, G_N_ELEMENTS (ids), &error);
  g_assert_error (error, PC_API_ERROR, PC_API_ERROR_NOT_FOUND);
  assert_human_message (error, "Could not delete booking 4817263: the server does not offer "
                               "/v1/PhoneChat/DeleteReceivedBooking (HTTP 404 Not Found).");
  assert_sandbox_log (f, "POST " DELETE_PATH " 4817263 404 status\n");
}

/* All pages */

typedef struct _PageLog PageLog;

struct _PageLog
{
  GPtrArray *page_numbers;
  guint      bookings_seen;

  /* Runs as each page arrives, before the next one is asked for: what the server holds
   * may change between two pages. */
  void     (*arrived) (PageLog        *log,
                       PcReceivedPage *page);
  Fixture   *f;
};

static void
log_page_cb (PcApi          *api,
             PcReceivedPage *page,
             gpointer        user_data)
{
  PageLog *log = user_data;

  g_assert_true (PC_IS_API (api));
  g_ptr_array_add (log->page_numbers, GINT_TO_POINTER (page->page_number));
  log->bookings_seen += page->bookings->len;

  if (log->arrived != NULL)
    log->arrived (log, page);
}

/* Adds a copy of the booking in received-booking.json as booking @id, its session @id
 * hours before 14 June 2025, 21:30: in the order PcApi asks for, the latest session first,
 * lower ids come first. */
static void
sandbox_add_listed_booking (Fixture *f,
                            gint64   id)
{
  g_autoptr(PcBooking) booking = booking_from_data (f, "received-booking.json");
  g_autoptr(GDateTime) session = g_date_time_add_hours (pc_test_booking_date (booking, "session-date"),
                                                        -id);

  g_object_set (booking,
                "booking-id", id,
                "session-date", session,
                NULL);
  pc_sandbox_add_booking (f->sandbox, booking);
}

static void
sandbox_set_listed_bookings (Fixture      *f,
                             const gint64 *ids,
                             guint         n_ids)
{
  pc_sandbox_remove_all (f->sandbox);
  for (guint i = 0; i < n_ids; i++)
    sandbox_add_listed_booking (f, ids[i]);
}

static GPtrArray *
list_all (Fixture  *f,
          guint     per_page,
          PageLog  *log,
          GError  **error)
{
  GPtrArray *bookings;

  pc_api_list_all_bookings_async (f->api, per_page, log != NULL ? log_page_cb : NULL, log,
                                  NULL, NULL, pc_test_store_result_cb, &f->result);
  bookings = pc_api_list_all_bookings_finish (f->api, wait_result (f), error);
  g_clear_object (&f->result);
  return bookings;
}

static void
test_list_all_three_pages (Fixture       *f,
                           gconstpointer  data)
{
  static const gint64 ids[] = { 501, 502, 503, 504, 505 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) bookings = NULL;
  g_autoptr(GPtrArray) numbers = g_ptr_array_new ();
  PageLog log = { .page_numbers = numbers };

  sandbox_set_listed_bookings (f, ids, G_N_ELEMENTS (ids));

  bookings = list_all (f, 2, &log, &error);
  g_assert_no_error (error);

  /* The sandbox numbers each page as it was asked for, and lists the bookings in the
   * order asked for: the pages and their order show what PcApi asked for. */
  g_assert_cmpuint (numbers->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpint (GPOINTER_TO_INT (g_ptr_array_index (numbers, i)), ==, i + 1);
  g_assert_cmpuint (log.bookings_seen, ==, 5);

  g_assert_cmpuint (bookings->len, ==, 5);
  for (guint i = 0; i < bookings->len; i++)
    g_assert_cmpint (pc_booking_get_booking_id (g_ptr_array_index (bookings, i)), ==, ids[i]);

  assert_sandbox_log (f, "GET " LIST_PATH " 0 200 -\n"
                         "GET " LIST_PATH " 0 200 -\n"
                         "GET " LIST_PATH " 0 200 -\n");
}

static void
test_list_all_stops_at_page_count (Fixture       *f,
                                   gconstpointer  data)
{
  static const gint64 ids[] = { 1, 2, 3, 4 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) bookings = NULL;

  /* Full pages, but PageCount says 2: a third page is never asked for. */
  sandbox_set_listed_bookings (f, ids, G_N_ELEMENTS (ids));

  bookings = list_all (f, 2, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bookings->len, ==, 4);
  g_assert_cmpuint (pc_sandbox_count_requests (f->sandbox, NULL, NULL), ==, 2);
}

static void
test_list_all_short_page_stops (Fixture       *f,
                                gconstpointer  data)
{
  static const gint64 ids[] = { 1, 2, 3 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) bookings = NULL;

  /* PageCount claims 5, but page 2 is short: that is the end. */
  g_ptr_array_add (f->pages, make_page (1, 5, 2, &ids[0], 2));
  g_ptr_array_add (f->pages, make_page (2, 5, 2, &ids[2], 1));
  add_route (f, "GET", LIST_PATH, REPLY_PAGES, 200, NULL, NULL);

  bookings = list_all (f, 2, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bookings->len, ==, 3);
  g_assert_cmpuint (f->requests->len, ==, 2);
}

static void
add_latest_after_first_page (PageLog        *log,
                             PcReceivedPage *page)
{
  if (page->page_number == 1)
    sandbox_add_listed_booking (log->f, 9);
}

static void
test_list_all_duplicates (Fixture       *f,
                          gconstpointer  data)
{
  static const gint64 ids[] = { 10, 11, 12 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) bookings = NULL;
  g_autoptr(GPtrArray) numbers = g_ptr_array_new ();
  PageLog log = { .page_numbers = numbers, .arrived = add_latest_after_first_page, .f = f };

  /* A booking that moved to the next page while paging appears once in the result: a
   * booking with a later session comes in after page 1 ({10, 11}), so page 2 is
   * {11, 12}. */
  sandbox_set_listed_bookings (f, ids, G_N_ELEMENTS (ids));

  bookings = list_all (f, 2, &log, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (log.bookings_seen, ==, 4);
  g_assert_cmpuint (bookings->len, ==, 3);
  g_assert_cmpint (pc_booking_get_booking_id (g_ptr_array_index (bookings, 2)), ==, 12);
}

static void
fail_after_first_page (PageLog        *log,
                       PcReceivedPage *page)
{
  if (page->page_number == 1)
    pc_sandbox_set_path_status (log->f->sandbox, LIST_PATH, 404);
}

static void
test_list_all_error_midway (Fixture       *f,
                            gconstpointer  data)
{
  static const gint64 ids[] = { 1, 2, 3, 4, 5 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) bookings = NULL;
  g_autoptr(GPtrArray) numbers = g_ptr_array_new ();
  PageLog log = { .page_numbers = numbers, .arrived = fail_after_first_page, .f = f };

  /* Page 2 of 3 is missing (404). */
  sandbox_set_listed_bookings (f, ids, G_N_ELEMENTS (ids));

  bookings = list_all (f, 2, &log, &error);
  g_assert_null (bookings);
  g_assert_error (error, PC_API_ERROR, PC_API_ERROR_NOT_FOUND);
  assert_human_message (error, "Could not load page 2 of your bookings: ");
  g_assert_cmpuint (numbers->len, ==, 1);
  assert_sandbox_log (f, "GET " LIST_PATH " 0 200 -\n"
                         "GET " LIST_PATH " 0 404 status\n");
}

static void
test_list_all_runaway (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) bookings = NULL;

  /* A server that always sends the same page again (announcing 100,000 of them) is
   * stopped once three full pages in a row brought nothing new. */
  add_route (f, "GET", LIST_PATH, REPLY_RUNAWAY, 200, NULL, NULL);

  bookings = list_all (f, 1, NULL, &error);
  g_assert_null (bookings);
  g_assert_error (error, PC_API_ERROR, PC_API_ERROR_MALFORMED);
  assert_human_message (error, "Could not load all your bookings: the server sent only "
                               "bookings it had sent already for 3 pages in a row");
  g_assert_cmpuint (f->requests->len, ==, 4);
}

/* More pages than any fixed cap would allow (the old one stopped at 1000): all loaded.
 * Then a server that goes on past the PageCount it announced is stopped there. */
static void
test_list_all_many_pages (Fixture       *f,
                          gconstpointer  data)
{
  const guint n_pages = 1050;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) bookings = NULL;

  for (guint i = 0; i < n_pages; i++)
    {
      gint64 id = 2000000 + i;

      g_ptr_array_add (f->pages, make_page (i + 1, n_pages, 1, &id, 1));
    }
  add_route (f, "GET", LIST_PATH, REPLY_PAGES, 200, NULL, NULL);

  bookings = list_all (f, 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bookings->len, ==, n_pages);
  g_assert_cmpuint (f->requests->len, ==, n_pages);
}

static void
test_list_all_beyond_page_count (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) bookings = NULL;

  /* Each full page, with new bookings, says there is one more: the first said 20. */
  for (guint i = 0; i < 50; i++)
    {
      gint64 id = 3000000 + i;

      g_ptr_array_add (f->pages, make_page (i + 1, i + 20, 1, &id, 1));
    }
  add_route (f, "GET", LIST_PATH, REPLY_PAGES, 200, NULL, NULL);

  bookings = list_all (f, 1, NULL, &error);
  g_assert_null (bookings);
  g_assert_error (error, PC_API_ERROR, PC_API_ERROR_MALFORMED);
  assert_human_message (error, "Could not load all your bookings: the server still had more "
                               "after 24 pages, though it said there were 20");
  g_assert_cmpuint (f->requests->len, ==, 24);
}

/* Debug log */

static GString *captured_stderr;

static void
capture_printerr (const char *text)
{
  g_string_append (captured_stderr, text);
}

static void
test_debug_redacts_token (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PcBooking) booking = NULL;
  GPrintFunc old_handler;

  captured_stderr = g_string_new (NULL);
  old_handler = g_set_printerr_handler (capture_printerr);
  pc_api_set_debug (f->api, TRUE);
  g_assert_nonnull (soup_session_get_feature (f->session, SOUP_TYPE_LOGGER));

  booking = reinvite (f, "Sorry", NULL, &error);

  /* libsoup keeps a feature alive while a message it saw is queued, and lets it go only
   * if the feature is still in the session when the message leaves the queue: let the
   * exchange finish closing before the logger is removed. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  pc_api_set_debug (f->api, FALSE);
  g_set_printerr_handler (old_handler);
  g_assert_no_error (error);

  g_test_message ("%s", captured_stderr->str);
  g_assert_nonnull (strstr (captured_stderr->str, "POST " REINVITE_PATH));
  g_assert_nonnull (strstr (captured_stderr->str, "Authorization: bearer [redacted]"));
  g_assert_null (strstr (captured_stderr->str, TEST_TOKEN));
  g_assert_null (soup_session_get_feature (f->session, SOUP_TYPE_LOGGER));
  g_string_free (captured_stderr, TRUE);
  captured_stderr = NULL;
}

/* Tests against the hand-made server, and against the sandbox. */
#define ADD_SERVER(path, func) \
  g_test_add (path, Fixture, NULL, server_setup, func, fixture_teardown)
#define ADD_SANDBOX(path, func) \
  g_test_add (path, Fixture, NULL, sandbox_setup, func, fixture_teardown)

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  pc_test_init_logging ();

  g_test_add_func ("/api/new/urls", test_new_urls);
  g_test_add_func ("/api/endpoints/paths", test_endpoint_paths);
  g_test_add_func ("/api/settings", test_settings);

  ADD_SERVER ("/api/reinvite/success", test_reinvite_success);
  ADD_SERVER ("/api/reinvite/reason-omitted", test_reinvite_reason_omitted);
  ADD_SERVER ("/api/reinvite/reason-encoded", test_reinvite_reason_encoded);
  ADD_SERVER ("/api/list/page", test_list_page);
  ADD_SERVER ("/api/get/success", test_get_booking);
  ADD_SERVER ("/api/verify/credentials", test_verify_credentials);
  ADD_SERVER ("/api/token/func", test_token_func);

  ADD_SANDBOX ("/api/error/no-token", test_error_no_token);
  ADD_SANDBOX ("/api/error/unauthorized", test_error_unauthorized);
  ADD_SANDBOX ("/api/error/forbidden", test_error_forbidden);
  ADD_SERVER ("/api/error/web-page-status", test_error_web_page_status);
  ADD_SERVER ("/api/error/not-found", test_error_not_found);
  ADD_SERVER ("/api/error/rejected", test_error_rejected);
  ADD_SERVER ("/api/error/rate-limited", test_error_rate_limited);
  ADD_SERVER ("/api/error/server", test_error_server);
  ADD_SERVER ("/api/error/unexpected-status", test_error_unexpected_status);
  ADD_SERVER ("/api/error/not-json-html", test_error_not_json_html);
  ADD_SERVER ("/api/error/not-json-xml", test_error_not_json_xml);
  ADD_SERVER ("/api/error/not-json-comment", test_error_not_json_comment);
  ADD_SERVER ("/api/error/malformed", test_error_malformed);
  ADD_SERVER ("/api/error/too-large", test_error_too_large);
  ADD_SERVER ("/api/error/huge-error-page", test_error_body_huge_error_page);
  ADD_SANDBOX ("/api/error/timeout", test_error_timeout);
  ADD_SANDBOX ("/api/error/cannot-connect", test_error_cannot_connect);
  g_test_add_func ("/api/error/tls", test_error_tls);
  g_test_add_func ("/api/error/tls-server-teardown", test_error_tls_server_teardown);
  ADD_SANDBOX ("/api/error/insecure", test_error_insecure);

  ADD_SANDBOX ("/api/cancel/in-flight", test_cancel_in_flight);
  ADD_SANDBOX ("/api/cancel/before", test_cancel_before);
  ADD_SANDBOX ("/api/cancel/reinvite", test_cancel_reinvite);

  ADD_SANDBOX ("/api/reinvite/lost/rejected", test_reinvite_lost_rejected);
  ADD_SANDBOX ("/api/reinvite/connection/new-per-post", test_reinvite_connection_new_per_post);
  ADD_SANDBOX ("/api/reinvite/lost/pending", test_reinvite_lost_pending);
  ADD_SANDBOX ("/api/reinvite/lost/unknown", test_reinvite_lost_unknown);
  ADD_SANDBOX ("/api/reinvite/lost/other-status", test_reinvite_lost_other_status);
  ADD_SANDBOX ("/api/reinvite/lost/timeout", test_reinvite_lost_timeout);
  ADD_SANDBOX ("/api/reinvite/lost/timeout-pending", test_reinvite_lost_timeout_pending);
  ADD_SANDBOX ("/api/reinvite/lost/timeout-done-later", test_reinvite_lost_timeout_done_later);
  g_test_add ("/api/reinvite/lost/timeout-done-later-truncated", Fixture, GINT_TO_POINTER (TRUE),
              sandbox_setup, test_reinvite_lost_timeout_done_later, fixture_teardown);
  ADD_SANDBOX ("/api/reinvite/gateway-timeout", test_reinvite_gateway_timeout);
  ADD_SERVER ("/api/reinvite/unreadable-answer", test_reinvite_unreadable_answer);
  ADD_SERVER ("/api/reinvite/comment-answer", test_reinvite_comment_answer);
  ADD_SANDBOX ("/api/reinvite/not-sent", test_reinvite_not_sent);

  ADD_SERVER ("/api/actions/bodies", test_actions_bodies);
  ADD_SERVER ("/api/delete/answer-incomplete", test_delete_answer_incomplete);
  ADD_SANDBOX ("/api/accept/success", test_accept_success);
  ADD_SANDBOX ("/api/accept/refused", test_accept_refused);
  ADD_SANDBOX ("/api/accept/lost/done", test_accept_lost_done);
  ADD_SANDBOX ("/api/accept/lost/dropped", test_accept_lost_dropped);
  ADD_SANDBOX ("/api/accept/lost/timeout", test_accept_lost_timeout);
  ADD_SANDBOX ("/api/accept/server-error", test_accept_server_error);
  ADD_SANDBOX ("/api/accept/gateway-timeout", test_accept_gateway_timeout);
  ADD_SANDBOX ("/api/accept/cancelled-in-flight", test_accept_cancelled_in_flight);
  ADD_SANDBOX ("/api/reject/reason-required", test_reject_reason_required);
  ADD_SANDBOX ("/api/reject/success", test_reject_success);
  ADD_SANDBOX ("/api/reject/lost/other-status", test_reject_lost_other_status);
  ADD_SANDBOX ("/api/reject/not-offered", test_reject_not_offered);
  ADD_SANDBOX ("/api/reject/unknown-booking", test_reject_unknown_booking);
  ADD_SANDBOX ("/api/reject/not-offered-unreadable", test_reject_not_offered_unreadable);
  ADD_SANDBOX ("/api/cancel/booking/success", test_cancel_success);
  ADD_SANDBOX ("/api/cancel/booking/lost", test_cancel_lost);
  ADD_SANDBOX ("/api/cancel/booking/not-offered", test_cancel_not_offered);
  ADD_SANDBOX ("/api/delete/success", test_delete_success);
  ADD_SANDBOX ("/api/delete/lost/learnt", test_delete_lost_learnt);
  ADD_SANDBOX ("/api/delete/lost/unknown", test_delete_lost_unknown);
  ADD_SANDBOX ("/api/delete/server-error", test_delete_server_error);
  ADD_SANDBOX ("/api/delete/not-offered", test_delete_not_offered);

  ADD_SANDBOX ("/api/list-all/three-pages", test_list_all_three_pages);
  ADD_SANDBOX ("/api/list-all/stops-at-page-count", test_list_all_stops_at_page_count);
  ADD_SERVER ("/api/list-all/short-page", test_list_all_short_page_stops);
  ADD_SANDBOX ("/api/list-all/duplicates", test_list_all_duplicates);
  ADD_SANDBOX ("/api/list-all/error-midway", test_list_all_error_midway);
  ADD_SERVER ("/api/list-all/runaway", test_list_all_runaway);
  ADD_SERVER ("/api/list-all/many-pages", test_list_all_many_pages);
  ADD_SERVER ("/api/list-all/beyond-page-count", test_list_all_beyond_page_count);

  ADD_SANDBOX ("/api/debug/redacts-token", test_debug_redacts_token);

  return g_test_run ();
}
