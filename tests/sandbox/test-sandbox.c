/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "pc-booking.h"
#include "pc-client.h"
#include "pc-clock.h"
#include "pc-json.h"
#include "pc-oauth.h"
#include "pc-sandbox-private.h"
#include "pc-values.h"
#include "test-utils.h"

/* PcSandbox in process, spoken to over HTTP by a plain SoupSession that shares the test's
 * main context: every rule is checked on the wire, as the app and other processes see it. */

#define TOKEN PC_SANDBOX_DEFAULT_TOKEN
#define BASE_PATH "/v1/PhoneChat/"
#define DEFAULT_REASON "The performer was not available at the requested time."

typedef struct
{
  PcClock     *clock;
  PcSandbox   *sandbox;
  SoupSession *session;
  GTimeZone   *zone;
} Fixture;

typedef struct
{
  guint    status;
  GBytes  *body;
  GError  *error;
  char    *content_type;
  char    *allow;
  char    *location;
  char    *retry_after;
  gint64   elapsed_us;
} Reply;

static void
reply_free (Reply *reply)
{
  g_clear_pointer (&reply->body, g_bytes_unref);
  g_clear_error (&reply->error);
  g_free (reply->content_type);
  g_free (reply->allow);
  g_free (reply->location);
  g_free (reply->retry_after);
  g_free (reply);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reply, reply_free)

static GDateTime *
fixed_now (void)
{
  /* A Sunday in June: London is on BST (UTC+1). */
  return pc_test_utc (2025, 6, 15, 12, 0, 0);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GDateTime) now = fixed_now ();
  g_autoptr(GError) error = NULL;

  fixture->clock = pc_clock_new_fixed (now);
  fixture->sandbox = pc_sandbox_new (fixture->clock, NULL);
  fixture->zone = pc_json_get_default_zone ();
  pc_sandbox_load_demo (fixture->sandbox);
  pc_sandbox_listen (fixture->sandbox, 0, &error);
  g_assert_no_error (error);
  fixture->session = soup_session_new ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_clear_object (&fixture->session);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  pc_sandbox_stop (fixture->sandbox);
  g_assert_finalize_object (fixture->sandbox);
  g_clear_object (&fixture->clock);
  g_clear_pointer (&fixture->zone, g_time_zone_unref);
}

static void
send_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* Sends a request and waits for the whole answer, without following redirects.
 * @authorization NULL sends no Authorization. */
static Reply *
request_with_type (Fixture    *fixture,
                   const char *method,
                   const char *path_and_query,
                   const char *content_type_sent,
                   const char *body,
                   const char *authorization)
{
  g_autofree char *url = g_strconcat (pc_sandbox_get_url (fixture->sandbox), path_and_query, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GAsyncResult) result = NULL;
  Reply *reply = g_new0 (Reply, 1);
  gint64 start = g_get_monotonic_time ();
  const char *content_type;
  const char *allow;

  g_assert_nonnull (msg);
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  if (authorization != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                  authorization);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, content_type_sent, bytes);
    }

  soup_session_send_and_read_async (fixture->session, msg, G_PRIORITY_DEFAULT, NULL,
                                    send_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  reply->elapsed_us = g_get_monotonic_time () - start;
  reply->body = soup_session_send_and_read_finish (fixture->session, result, &reply->error);
  reply->status = soup_message_get_status (msg);
  content_type = soup_message_headers_get_content_type (soup_message_get_response_headers (msg),
                                                        NULL);
  reply->content_type = g_strdup (content_type);
  allow = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Allow");
  reply->allow = g_strdup (allow);
  reply->location = g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                           "Location"));
  reply->retry_after = g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                              "Retry-After"));
  return reply;
}

static Reply *
request (Fixture    *fixture,
         const char *method,
         const char *path_and_query,
         const char *body,
         const char *authorization)
{
  return request_with_type (fixture, method, path_and_query, "application/json", body,
                            authorization);
}

static Reply *
api_get (Fixture    *fixture,
         const char *path_and_query)
{
  return request (fixture, "GET", path_and_query, NULL, "bearer " TOKEN);
}

static Reply *
api_reinvite (Fixture    *fixture,
              const char *body)
{
  return request (fixture, "POST", BASE_PATH "ReInvite", body, "bearer " TOKEN);
}

static JsonNode *
reply_json (Reply *reply)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  g_assert_no_error (reply->error);
  node = pc_json_parse_bytes (reply->body, &error);
  g_assert_no_error (error);
  return node;
}

/* Asserts an error answer: @status, a JSON content type and a non-empty Message. Returns
 * the message. */
static char *
assert_error_reply (Reply *reply,
                    guint  status)
{
  g_autofree char *message = NULL;

  g_assert_no_error (reply->error);
  g_assert_cmpuint (reply->status, ==, status);
  g_assert_cmpstr (reply->content_type, ==, "application/json");
  message = pc_json_error_message_from_body (reply->body);
  g_assert_nonnull (message);
  g_assert_cmpstr (message, !=, "");
  return g_steal_pointer (&message);
}

static PcBooking *
reply_booking_with_status (Fixture *fixture,
                           Reply   *reply,
                           guint    status)
{
  g_autoptr(GError) error = NULL;
  PcBooking *booking;

  g_assert_no_error (reply->error);
  g_assert_cmpuint (reply->status, ==, status);
  booking = pc_json_booking_from_bytes (reply->body, fixture->zone, &error);
  g_assert_no_error (error);
  return booking;
}

static PcBooking *
reply_booking (Fixture *fixture,
               Reply   *reply)
{
  return reply_booking_with_status (fixture, reply, SOUP_STATUS_OK);
}

static PcReceivedPage *
reply_page (Fixture *fixture,
            Reply   *reply)
{
  g_autoptr(GError) error = NULL;
  PcReceivedPage *page;

  g_assert_no_error (reply->error);
  g_assert_cmpuint (reply->status, ==, SOUP_STATUS_OK);
  page = pc_json_page_from_bytes (reply->body, fixture->zone, &error);
  g_assert_no_error (error);
  return page;
}

/* The first demo booking that matches. */
static PcBooking *
find_booking (Fixture         *fixture,
              PcBookingStatus  status,
              gboolean         session_passed)
{
  GPtrArray *bookings = pc_sandbox_get_bookings (fixture->sandbox);
  g_autoptr(GDateTime) now = pc_clock_get_now (fixture->clock);

  for (guint i = 0; i < bookings->len; i++)
    {
      PcBooking *booking = g_ptr_array_index (bookings, i);
      gboolean passed = g_date_time_compare (pc_test_booking_date (booking, "session-date"), now) <= 0;

      if (pc_booking_get_status (booking) == status && passed == session_passed)
        return booking;
    }

  g_assert_not_reached ();
}

static char *
reinvite_body (gint64      id,
               const char *reason_json)
{
  if (reason_json == NULL)
    return g_strdup_printf ("{\"BookingID\": %" G_GINT64_FORMAT "}", id);

  return g_strdup_printf ("{\"BookingID\": %" G_GINT64_FORMAT ", \"Reason\": %s}", id, reason_json);
}

/* Auth and routing --------------------------------------------------------------------- */

static void
test_auth_missing (Fixture       *fixture,
                   gconstpointer  user_data)
{
  static const char *paths[] = {
    "/v1/account/verifyCredentials",
    BASE_PATH "ReceivedBookings",
    BASE_PATH "ReceivedBookingDetails?BookingID=4817263",
  };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(Reply) reply = request (fixture, "GET", paths[i], NULL, NULL);
      g_autofree char *message = assert_error_reply (reply, SOUP_STATUS_UNAUTHORIZED);

      g_assert_cmpstr (message, ==, "Authorization has been denied for this request.");
    }

  {
    g_autoptr(Reply) reply = request (fixture, "POST", BASE_PATH "ReInvite",
                                      "{\"BookingID\": 4817263}", NULL);
    g_autofree char *message = assert_error_reply (reply, SOUP_STATUS_UNAUTHORIZED);

    g_assert_cmpstr (message, ==, "Authorization has been denied for this request.");
    /* Refused before anything happened. */
    g_assert_cmpint (pc_booking_get_status (pc_sandbox_lookup (fixture->sandbox, 4817263)), ==,
                     PC_BOOKING_STATUS_PENDING);
  }
}

static void
test_auth_wrong (Fixture       *fixture,
                 gconstpointer  user_data)
{
  static const char *headers[] = {
    "bearer wrong-token",
    "bearer",
    "bearer ",
    "Basic ZGVtbzpkZW1v",
    "demo-token",
    "bearerdemo-token",
    "bearer demo-token-and-more",
  };

  for (guint i = 0; i < G_N_ELEMENTS (headers); i++)
    {
      g_autoptr(Reply) reply = request (fixture, "GET", "/v1/account/verifyCredentials", NULL,
                                        headers[i]);
      g_autofree char *message = assert_error_reply (reply, SOUP_STATUS_UNAUTHORIZED);

      g_assert_cmpstr (message, ==, "Authorization has been denied for this request.");
    }
}

static void
test_auth_scheme_case (Fixture       *fixture,
                       gconstpointer  user_data)
{
  static const char *headers[] = {
    "bearer demo-token", "Bearer demo-token", "BEARER  demo-token ",
  };

  for (guint i = 0; i < G_N_ELEMENTS (headers); i++)
    {
      g_autoptr(Reply) reply = request (fixture, "GET", "/v1/account/verifyCredentials", NULL,
                                        headers[i]);

      g_assert_no_error (reply->error);
      g_assert_cmpuint (reply->status, ==, SOUP_STATUS_OK);
    }
}

static void
test_auth_custom_token (void)
{
  g_autoptr(PcSandbox) sandbox = pc_sandbox_new (NULL, "s3cret");

  g_assert_cmpstr (pc_sandbox_get_token (sandbox), ==, "s3cret");
  g_assert_nonnull (pc_sandbox_get_clock (sandbox));
  g_assert_false (pc_clock_is_fixed (pc_sandbox_get_clock (sandbox)));
  g_assert_null (pc_sandbox_get_url (sandbox));
  g_assert_cmpuint (pc_sandbox_get_port (sandbox), ==, 0);
}

static void
test_verify_credentials (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autoptr(Reply) reply = api_get (fixture, "/v1/account/verifyCredentials");
  g_autoptr(JsonNode) root = reply_json (reply);

  g_assert_cmpuint (reply->status, ==, SOUP_STATUS_OK);
  g_assert_cmpstr (reply->content_type, ==, "application/json");
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (root), "UserID"), ==, 3402918);
}

static void
test_routing_unknown_path (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autoptr(Reply) reply = api_get (fixture, "/v1/PhoneChat/NoSuchThing");
  g_autoptr(Reply) root = api_get (fixture, "/");
  g_autoptr(Reply) control = request (fixture, "GET", "/_sandbox/nothing", NULL, NULL);
  g_autofree char *m1 = assert_error_reply (reply, SOUP_STATUS_NOT_FOUND);
  g_autofree char *m2 = assert_error_reply (root, SOUP_STATUS_NOT_FOUND);
  g_autofree char *m3 = assert_error_reply (control, SOUP_STATUS_NOT_FOUND);

  /* Each names what was asked for. */
  g_assert_nonnull (strstr (m1, "/v1/PhoneChat/NoSuchThing"));
  g_assert_nonnull (strstr (m2, "'/'"));
  g_assert_nonnull (strstr (m3, "/_sandbox/nothing"));
}

static void
test_routing_wrong_method (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autoptr(Reply) post_list = request (fixture, "POST", BASE_PATH "ReceivedBookings", "{}",
                                        "bearer " TOKEN);
  g_autoptr(Reply) get_reinvite = api_get (fixture, BASE_PATH "ReInvite?BookingID=4817263");
  g_autoptr(Reply) delete_faults = request (fixture, "DELETE", "/_sandbox/faults", NULL, NULL);
  g_autofree char *m1 = assert_error_reply (post_list, SOUP_STATUS_METHOD_NOT_ALLOWED);
  g_autofree char *m2 = assert_error_reply (get_reinvite, SOUP_STATUS_METHOD_NOT_ALLOWED);
  g_autofree char *m3 = assert_error_reply (delete_faults, SOUP_STATUS_METHOD_NOT_ALLOWED);

  /* Each names the method refused. */
  g_assert_nonnull (strstr (m1, "'POST'"));
  g_assert_nonnull (strstr (m2, "'GET'"));
  g_assert_nonnull (strstr (m3, "'DELETE'"));
  g_assert_cmpstr (post_list->allow, ==, "GET");
  g_assert_cmpstr (get_reinvite->allow, ==, "POST");
  g_assert_cmpint (pc_booking_get_status (pc_sandbox_lookup (fixture->sandbox, 4817263)), ==,
                   PC_BOOKING_STATUS_PENDING);
}

static void
test_routing_case_insensitive (Fixture       *fixture,
                               gconstpointer  user_data)
{
  g_autoptr(Reply) list = api_get (fixture, "/v1/phonechat/receivedbookings?bookingsperpage=2");
  g_autoptr(Reply) account = api_get (fixture, "/v1/Account/VerifyCredentials");
  g_autoptr(PcReceivedPage) page = reply_page (fixture, list);

  g_assert_cmpint (page->bookings_per_page, ==, 2);
  g_assert_cmpuint (page->bookings->len, ==, 2);
  g_assert_cmpuint (account->status, ==, SOUP_STATUS_OK);
}

/* ReceivedBookings --------------------------------------------------------------------- */

static void
test_list_default (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(Reply) reply = api_get (fixture, BASE_PATH "ReceivedBookings");
  g_autoptr(PcReceivedPage) page = reply_page (fixture, reply);
  g_autoptr(JsonNode) root = reply_json (reply);
  JsonObject *object = json_node_get_object (root);

  /* Every envelope member is present, with the API's names. */
  g_assert_true (json_object_has_member (object, "PageCount"));
  g_assert_true (json_object_has_member (object, "PageNumber"));
  g_assert_true (json_object_has_member (object, "BookingsPerPage"));
  g_assert_true (json_object_has_member (object, "BookingsTotal"));
  g_assert_true (json_object_has_member (object, "Bookings"));

  g_assert_cmpint (page->page_count, ==, 1);
  g_assert_cmpint (page->page_number, ==, 1);
  g_assert_cmpint (page->bookings_per_page, ==, 50);
  g_assert_cmpint (page->bookings_total, ==, 12);
  g_assert_cmpuint (page->bookings->len, ==, 12);

  /* sessiondate-desc by default. */
  for (guint i = 1; i < page->bookings->len; i++)
    g_assert_cmpint (g_date_time_compare (
                       pc_test_booking_date (g_ptr_array_index (page->bookings, i - 1), "session-date"),
                       pc_test_booking_date (g_ptr_array_index (page->bookings, i), "session-date")),
                     >=, 0);

  /* What went over the wire is what the server holds. */
  for (guint i = 0; i < page->bookings->len; i++)
    {
      PcBooking *sent = g_ptr_array_index (page->bookings, i);
      PcBooking *held = pc_sandbox_lookup (fixture->sandbox, pc_booking_get_booking_id (sent));

      g_assert_nonnull (held);
      g_assert_true (pc_booking_equal (sent, held));
    }
}

static void
test_list_paging (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  for (guint number = 1; number <= 4; number++)
    {
      g_autofree char *path = g_strdup_printf (BASE_PATH "ReceivedBookings?PageNumber=%u"
                                               "&BookingsPerPage=5&OrderBy=date-asc", number);
      g_autoptr(Reply) reply = api_get (fixture, path);
      g_autoptr(PcReceivedPage) page = reply_page (fixture, reply);

      g_assert_cmpint (page->page_count, ==, 3);
      g_assert_cmpint (page->page_number, ==, number);
      g_assert_cmpint (page->bookings_per_page, ==, 5);
      g_assert_cmpint (page->bookings_total, ==, 12);
      g_assert_cmpuint (page->bookings->len, ==, number < 3 ? 5 : number == 3 ? 2 : 0);

      for (guint i = 0; i < page->bookings->len; i++)
        {
          gint64 id = pc_booking_get_booking_id (g_ptr_array_index (page->bookings, i));

          /* Pages never overlap. */
          g_assert_true (g_hash_table_add (seen, g_memdup2 (&id, sizeof id)));
        }
    }

  g_assert_cmpuint (g_hash_table_size (seen), ==, 12);
}

static int
compare_nicknames (PcBooking *a,
                   PcBooking *b)
{
  g_autofree char *na = g_utf8_casefold (pc_client_get_nickname (pc_booking_get_client (a)), -1);
  g_autofree char *nb = g_utf8_casefold (pc_client_get_nickname (pc_booking_get_client (b)), -1);

  return g_utf8_collate (na, nb);
}

static void
test_list_order (Fixture       *fixture,
                 gconstpointer  user_data)
{
  static const char *orders[] = {
    "sessiondate-desc", "sessiondate-asc", "date-desc", "date-asc", "nickname-asc",
    "nickname-desc", "SessionDate-Asc",
  };

  for (guint o = 0; o < G_N_ELEMENTS (orders); o++)
    {
      g_autofree char *path = g_strdup_printf (BASE_PATH "ReceivedBookings?OrderBy=%s", orders[o]);
      g_autoptr(Reply) reply = api_get (fixture, path);
      g_autoptr(PcReceivedPage) page = reply_page (fixture, reply);
      gboolean descending = g_str_has_suffix (orders[o], "desc");

      g_assert_cmpuint (page->bookings->len, ==, 12);
      for (guint i = 1; i < page->bookings->len; i++)
        {
          PcBooking *a = g_ptr_array_index (page->bookings, i - 1);
          PcBooking *b = g_ptr_array_index (page->bookings, i);
          int cmp;

          if (g_str_has_prefix (orders[o], "nickname"))
            cmp = compare_nicknames (a, b);
          else if (g_ascii_strncasecmp (orders[o], "sessiondate", 11) == 0)
            cmp = g_date_time_compare (pc_test_booking_date (a, "session-date"),
                                       pc_test_booking_date (b, "session-date"));
          else
            cmp = g_date_time_compare (pc_test_booking_date (a, "create-date"),
                                       pc_test_booking_date (b, "create-date"));

          if (descending)
            g_assert_cmpint (cmp, >=, 0);
          else
            g_assert_cmpint (cmp, <=, 0);
        }
    }
}

/* The order the API documents: by the key, ties broken by id, all reversed for -desc. */
static int
compare_in_order (PcBooking  *a,
                  PcBooking  *b,
                  const char *order)
{
  int result;

  if (g_str_has_prefix (order, "nickname"))
    result = compare_nicknames (a, b);
  else if (g_str_has_prefix (order, "sessiondate"))
    result = g_date_time_compare (pc_test_booking_date (a, "session-date"),
                                  pc_test_booking_date (b, "session-date"));
  else
    result = g_date_time_compare (pc_test_booking_date (a, "create-date"), pc_test_booking_date (b, "create-date"));

  if (result == 0)
    result = (pc_booking_get_booking_id (a) > pc_booking_get_booking_id (b)) -
             (pc_booking_get_booking_id (a) < pc_booking_get_booking_id (b));

  return g_str_has_suffix (order, "desc") ? -result : result;
}

/* Every booking of @order, fetched page by page. */
static GPtrArray *
fetch_all_pages (Fixture    *fixture,
                 const char *order,
                 guint       per_page)
{
  GPtrArray *all = g_ptr_array_new_with_free_func (g_object_unref);
  gint page_count = 1;

  for (gint number = 1; number <= page_count; number++)
    {
      g_autofree char *path = g_strdup_printf (BASE_PATH "ReceivedBookings?PageNumber=%d"
                                               "&BookingsPerPage=%u&OrderBy=%s",
                                               number, per_page, order);
      g_autoptr(Reply) reply = api_get (fixture, path);
      g_autoptr(PcReceivedPage) page = reply_page (fixture, reply);

      page_count = page->page_count;
      for (guint i = 0; i < page->bookings->len; i++)
        g_ptr_array_add (all, g_object_ref (g_ptr_array_index (page->bookings, i)));
    }

  return all;
}

/* Copies of the demo bookings with ids of their own. Dates and nicknames repeat, so that
 * the id often has to break the tie; nicknames differ in case only, too. */
static void
load_many (Fixture *fixture,
           guint    count)
{
  g_autoptr(GPtrArray) demo = g_ptr_array_copy (pc_sandbox_get_bookings (fixture->sandbox),
                                                (GCopyFunc) g_object_ref, NULL);
  g_autoptr(GDateTime) now = pc_clock_get_now (fixture->clock);

  g_ptr_array_set_free_func (demo, g_object_unref);
  pc_sandbox_remove_all (fixture->sandbox);
  for (guint i = 0; i < count; i++)
    {
      g_autoptr(PcBooking) booking = pc_booking_copy (g_ptr_array_index (demo, i % demo->len));
      g_autoptr(GDateTime) session = g_date_time_add_hours (now, (gint) (i * 7 % 10) - 5);
      g_autoptr(GDateTime) created = g_date_time_add_days (session, -(gint) (i % 3) - 1);
      g_autofree char *nickname = g_strdup_printf (i % 2 ? "Caller_%u" : "caller_%u", i % 9);

      /* Ids out of load order. */
      g_object_set (booking,
                    "booking-id", (gint64) 1000 + (i * 37 % count),
                    "session-date", session,
                    "create-date", created,
                    NULL);
      g_object_set (pc_booking_get_client (booking), "nickname", nickname, NULL);
      pc_sandbox_add_booking (fixture->sandbox, booking);
    }
}

/* Across pages, every order is complete, without overlap and in order. */
static void
test_list_paging_orders (Fixture       *fixture,
                         gconstpointer  user_data)
{
  static const char *orders[] = {
    "sessiondate-desc", "sessiondate-asc", "date-desc", "date-asc", "nickname-asc",
    "nickname-desc",
  };

  load_many (fixture, 250);
  for (guint o = 0; o < G_N_ELEMENTS (orders); o++)
    {
      g_autoptr(GPtrArray) all = fetch_all_pages (fixture, orders[o], 100);
      g_autoptr(GHashTable) seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                          NULL);

      g_test_message ("OrderBy=%s", orders[o]);
      g_assert_cmpuint (all->len, ==, 250);
      for (guint i = 0; i < all->len; i++)
        {
          gint64 id = pc_booking_get_booking_id (g_ptr_array_index (all, i));

          g_assert_true (g_hash_table_add (seen, g_memdup2 (&id, sizeof id)));
          if (i > 0)
            g_assert_cmpint (compare_in_order (g_ptr_array_index (all, i - 1),
                                               g_ptr_array_index (all, i), orders[o]), <, 0);
        }
    }
}

static gint64
first_id (Fixture    *fixture,
          const char *query)
{
  g_autofree char *path = g_strconcat (BASE_PATH "ReceivedBookings?BookingsPerPage=1&", query,
                                       NULL);
  g_autoptr(Reply) reply = api_get (fixture, path);
  g_autoptr(PcReceivedPage) page = reply_page (fixture, reply);

  g_assert_cmpuint (page->bookings->len, ==, 1);
  return pc_booking_get_booking_id (g_ptr_array_index (page->bookings, 0));
}

/* Paging does not sort again: the bookings are sorted once per order, and again only after
 * they change. */
static void
test_list_sorted_once (Fixture       *fixture,
                       gconstpointer  user_data)
{
  PcSandbox *sandbox = fixture->sandbox;
  guint sorts = _pc_sandbox_bookings_get_n_sorts (sandbox);

  for (guint number = 1; number <= 5; number++)
    {
      g_autofree char *path = g_strdup_printf (BASE_PATH "ReceivedBookings?PageNumber=%u"
                                               "&BookingsPerPage=3&OrderBy=sessiondate-asc",
                                               number);
      g_autoptr(Reply) reply = api_get (fixture, path);

      g_assert_cmpuint (reply->status, ==, SOUP_STATUS_OK);
    }
  g_assert_cmpuint (_pc_sandbox_bookings_get_n_sorts (sandbox), ==, sorts + 1);

  /* The reverse order reads the same sort backwards; StartDate selects from it. */
  first_id (fixture, "OrderBy=sessiondate-desc");
  first_id (fixture, "OrderBy=sessiondate-desc&StartDate=2025-06-13&PageNumber=1");
  first_id (fixture, "OrderBy=sessiondate-desc&StartDate=2025-06-13&PageNumber=2");
  g_assert_cmpuint (_pc_sandbox_bookings_get_n_sorts (sandbox), ==, sorts + 1);

  /* Another order is another sort, once. */
  first_id (fixture, "OrderBy=nickname-asc");
  first_id (fixture, "OrderBy=nickname-desc&PageNumber=2");
  g_assert_cmpuint (_pc_sandbox_bookings_get_n_sorts (sandbox), ==, sorts + 2);

  /* A re-invite changes nothing the bookings are sorted by. */
  {
    g_autoptr(Reply) reply = api_reinvite (fixture, "{\"BookingID\": 4817263}");

    g_assert_cmpuint (reply->status, ==, SOUP_STATUS_OK);
    first_id (fixture, "OrderBy=sessiondate-asc");
    g_assert_cmpuint (_pc_sandbox_bookings_get_n_sorts (sandbox), ==, sorts + 2);
  }

  /* A new SessionDate does. */
  {
    g_autoptr(GDateTime) earliest = g_date_time_new_utc (2020, 1, 1, 0, 0, 0);

    g_object_set (pc_sandbox_lookup (sandbox, 4814977), "session-date", earliest, NULL);
    g_assert_cmpint (first_id (fixture, "OrderBy=sessiondate-asc"), ==, 4814977);
    g_assert_cmpuint (_pc_sandbox_bookings_get_n_sorts (sandbox), ==, sorts + 3);
  }
}

/* Pages follow the bookings as they change, are added and are replaced. */
static void
test_list_follows_changes (Fixture       *fixture,
                           gconstpointer  user_data)
{
  PcSandbox *sandbox = fixture->sandbox;
  g_autoptr(GDateTime) early = g_date_time_new_utc (2020, 1, 1, 0, 0, 0);
  g_autoptr(GDateTime) earlier = g_date_time_new_utc (2019, 1, 1, 0, 0, 0);
  g_autoptr(GDateTime) late = g_date_time_new_utc (2030, 1, 1, 0, 0, 0);
  guint sorts;

  /* Each change comes after a page of the order it affects. */
  g_assert_cmpint (first_id (fixture, "OrderBy=sessiondate-asc"), !=, 4815502);
  g_object_set (pc_sandbox_lookup (sandbox, 4815502), "session-date", early, NULL);
  g_assert_cmpint (first_id (fixture, "OrderBy=sessiondate-asc"), ==, 4815502);

  g_assert_cmpint (first_id (fixture, "OrderBy=date-desc&StartDate=2020-01-01"), !=, 4810540);
  g_object_set (pc_sandbox_lookup (sandbox, 4810540), "create-date", late, NULL);
  g_assert_cmpint (first_id (fixture, "OrderBy=date-desc&StartDate=2020-01-01"), ==, 4810540);
  g_assert_cmpint (first_id (fixture, "OrderBy=date-desc"), ==, 4810540);

  /* The client is merged in place: its nickname changes under the booking. */
  g_assert_cmpint (first_id (fixture, "OrderBy=nickname-asc"), !=, 4812006);
  g_object_set (pc_booking_get_client (pc_sandbox_lookup (sandbox, 4812006)),
                "nickname", "AAA first", NULL);
  g_assert_cmpint (first_id (fixture, "OrderBy=nickname-asc"), ==, 4812006);

  /* An added booking, then a replaced one. */
  {
    g_autoptr(PcBooking) added = pc_booking_copy (pc_sandbox_lookup (sandbox, 4817263));
    g_autoptr(PcBooking) replaced = pc_booking_copy (pc_sandbox_lookup (sandbox, 4813350));
    g_autoptr(PcBooking) old = g_object_ref (pc_sandbox_lookup (sandbox, 4813350));

    g_object_set (added, "booking-id", (gint64) 1, "session-date", earlier, NULL);
    g_assert_cmpint (first_id (fixture, "OrderBy=sessiondate-asc"), ==, 4815502);
    pc_sandbox_add_booking (sandbox, added);
    g_assert_cmpint (first_id (fixture, "OrderBy=sessiondate-asc"), ==, 1);

    g_object_set (replaced, "session-date", late, NULL);
    g_assert_cmpint (first_id (fixture, "OrderBy=sessiondate-desc"), !=, 4813350);
    pc_sandbox_add_booking (sandbox, replaced);
    g_assert_cmpint (first_id (fixture, "OrderBy=sessiondate-desc"), ==, 4813350);

    /* The booking it replaced is no longer watched: changing it sorts nothing again. */
    sorts = _pc_sandbox_bookings_get_n_sorts (sandbox);
    g_object_set (old, "session-date", early, NULL);
    g_assert_cmpint (first_id (fixture, "OrderBy=sessiondate-desc"), ==, 4813350);
    g_assert_cmpuint (_pc_sandbox_bookings_get_n_sorts (sandbox), ==, sorts);
  }
}

static void
test_list_start_date (Fixture       *fixture,
                      gconstpointer  user_data)
{
  /* The fixed now is 2025-06-15 13:00 in London; the demo's oldest booking is ten days old. */
  g_autoptr(Reply) reply = api_get (fixture, BASE_PATH "ReceivedBookings?StartDate=2025-06-13");
  g_autoptr(PcReceivedPage) page = reply_page (fixture, reply);
  g_autoptr(GDateTime) start = g_date_time_new (fixture->zone, 2025, 6, 13, 0, 0, 0);
  g_autoptr(Reply) bad = api_get (fixture, BASE_PATH "ReceivedBookings?StartDate=13/06/2025");
  g_autofree char *message = assert_error_reply (bad, SOUP_STATUS_BAD_REQUEST);

  g_assert_nonnull (strstr (message, "StartDate"));
  g_assert_cmpuint (page->bookings->len, >, 0);
  g_assert_cmpuint (page->bookings->len, <, 12);
  g_assert_cmpint (page->bookings_total, ==, page->bookings->len);
  for (guint i = 0; i < page->bookings->len; i++)
    g_assert_cmpint (g_date_time_compare (
                       pc_test_booking_date (g_ptr_array_index (page->bookings, i), "create-date"), start),
                     >=, 0);
}

static void
test_list_bad_parameters (Fixture       *fixture,
                          gconstpointer  user_data)
{
  static const char *queries[] = {
    "BookingsPerPage=0",
    "BookingsPerPage=101",
    "BookingsPerPage=-1",
    "BookingsPerPage=ten",
    "BookingsPerPage=",
    "PageNumber=0",
    "PageNumber=-3",
    "PageNumber=1.5",
    "OrderBy=price-asc",
    "OrderBy=",
  };

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      g_autofree char *path = g_strconcat (BASE_PATH "ReceivedBookings?", queries[i], NULL);
      g_autoptr(Reply) reply = api_get (fixture, path);
      g_autofree char *message = assert_error_reply (reply, SOUP_STATUS_BAD_REQUEST);

      if (g_str_has_prefix (queries[i], "Bookings"))
        g_assert_nonnull (strstr (message, "BookingsPerPage"));
      else if (g_str_has_prefix (queries[i], "Page"))
        g_assert_nonnull (strstr (message, "PageNumber"));
      else
        g_assert_nonnull (strstr (message, "OrderBy"));
    }

  /* The range's ends are fine. */
  {
    g_autoptr(Reply) one = api_get (fixture, BASE_PATH "ReceivedBookings?BookingsPerPage=1");
    g_autoptr(Reply) hundred = api_get (fixture, BASE_PATH "ReceivedBookings?BookingsPerPage=100");
    g_autoptr(PcReceivedPage) page = reply_page (fixture, one);

    g_assert_cmpuint (hundred->status, ==, SOUP_STATUS_OK);
    g_assert_cmpint (page->page_count, ==, 12);
  }
}

/* ReceivedBookingDetails --------------------------------------------------------------- */

static void
test_details_found (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(Reply) reply = api_get (fixture, BASE_PATH "ReceivedBookingDetails?BookingID=4815502");
  g_autoptr(PcBooking) booking = reply_booking (fixture, reply);

  g_assert_cmpint (pc_booking_get_booking_id (booking), ==, 4815502);
  g_assert_true (pc_booking_equal (booking, pc_sandbox_lookup (fixture->sandbox, 4815502)));
}

static void
test_details_not_found (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(Reply) reply = api_get (fixture, BASE_PATH "ReceivedBookingDetails?BookingID=1");
  g_autofree char *message = assert_error_reply (reply, SOUP_STATUS_NOT_FOUND);

  g_assert_nonnull (strstr (message, "1"));
}

static void
test_details_bad_id (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(Reply) missing = api_get (fixture, BASE_PATH "ReceivedBookingDetails");
  g_autoptr(Reply) text = api_get (fixture, BASE_PATH "ReceivedBookingDetails?BookingID=abc");
  g_autofree char *m1 = assert_error_reply (missing, SOUP_STATUS_BAD_REQUEST);
  g_autofree char *m2 = assert_error_reply (text, SOUP_STATUS_BAD_REQUEST);

  g_assert_nonnull (strstr (m1, "BookingID"));
  g_assert_nonnull (strstr (m2, "BookingID"));
}

/* ReInvite ----------------------------------------------------------------------------- */

static void
assert_rejected (Fixture    *fixture,
                 Reply      *reply,
                 gint64      id,
                 const char *reason)
{
  g_autoptr(PcBooking) sent = reply_booking (fixture, reply);
  g_autoptr(GDateTime) now = pc_clock_get_now (fixture->clock);
  g_autoptr(JsonNode) root = reply_json (reply);
  PcBooking *held = pc_sandbox_lookup (fixture->sandbox, id);

  g_assert_cmpint (pc_booking_get_booking_id (sent), ==, id);
  g_assert_cmpint (pc_booking_get_status (sent), ==, PC_BOOKING_STATUS_REJECTED);
  g_assert_cmpstr (pc_booking_get_status_text (sent), ==, "Rejected");
  g_assert_cmpstr (pc_booking_get_rejected_reason (sent), ==, reason);
  g_assert_null (pc_booking_get_action_candidate (sent));
  g_assert_true (g_date_time_equal (pc_test_booking_date (sent, "last-updated"), now));
  /* The answer is the booking as the server now holds it. */
  g_assert_true (pc_booking_equal (sent, held));
  /* Every one of the API's 20 members, with null written out. */
  g_assert_cmpuint (json_object_get_size (json_node_get_object (root)), ==, 20);
  g_assert_true (json_object_get_null_member (json_node_get_object (root), "ActionCandidate"));
}

static void
test_reinvite_default_reason (Fixture       *fixture,
                              gconstpointer  user_data)
{
  static const char *reasons[] = { NULL, "null", "\"\"", "\"   \"" };
  GPtrArray *bookings = pc_sandbox_get_bookings (fixture->sandbox);
  guint used = 0;

  for (guint i = 0; i < bookings->len && used < G_N_ELEMENTS (reasons); i++)
    {
      PcBooking *booking = g_ptr_array_index (bookings, i);
      gint64 id = pc_booking_get_booking_id (booking);
      g_autofree char *body = NULL;
      g_autoptr(Reply) reply = NULL;

      if (!pc_booking_get_can_reinvite (booking))
        continue;

      body = reinvite_body (id, reasons[used++]);
      reply = api_reinvite (fixture, body);
      assert_rejected (fixture, reply, id, DEFAULT_REASON);
    }

  /* The demo has enough re-invitable bookings for every form of "no reason". */
  g_assert_cmpuint (used, ==, G_N_ELEMENTS (reasons));
}

static void
test_reinvite_given_reason (Fixture       *fixture,
                            gconstpointer  user_data)
{
  PcBooking *booking = find_booking (fixture, PC_BOOKING_STATUS_PENDING, TRUE);
  gint64 id = pc_booking_get_booking_id (booking);
  g_autofree char *body = reinvite_body (id, "\"I don't have time – sorry “again”\"");
  g_autoptr(Reply) reply = api_reinvite (fixture, body);

  assert_rejected (fixture, reply, id, "I don't have time – sorry “again”");
}

static void
test_reinvite_not_pending (Fixture       *fixture,
                           gconstpointer  user_data)
{
  static const PcBookingStatus statuses[] = {
    PC_BOOKING_STATUS_ACCEPTED, PC_BOOKING_STATUS_CONFIRMED, PC_BOOKING_STATUS_CANCELLED,
    PC_BOOKING_STATUS_REJECTED,
  };
  GPtrArray *bookings = pc_sandbox_get_bookings (fixture->sandbox);

  for (guint s = 0; s < G_N_ELEMENTS (statuses); s++)
    for (guint i = 0; i < bookings->len; i++)
      {
        PcBooking *booking = g_ptr_array_index (bookings, i);
        g_autoptr(PcBooking) before = NULL;
        g_autofree char *body = NULL;
        g_autofree char *message = NULL;
        g_autoptr(Reply) reply = NULL;

        if (pc_booking_get_status (booking) != statuses[s])
          continue;

        before = pc_booking_copy (booking);
        body = reinvite_body (pc_booking_get_booking_id (booking), "\"Sorry\"");
        reply = api_reinvite (fixture, body);
        message = assert_error_reply (reply, SOUP_STATUS_BAD_REQUEST);
        g_assert_nonnull (strstr (message, "Pending"));
        g_assert_nonnull (strstr (message, pc_booking_status_to_string (statuses[s])));
        g_assert_true (pc_booking_equal (booking, before));
        break;
      }

  /* A second re-invite of the same booking is refused: it is Rejected now. */
  {
    PcBooking *booking = find_booking (fixture, PC_BOOKING_STATUS_PENDING, TRUE);
    g_autofree char *body = reinvite_body (pc_booking_get_booking_id (booking), NULL);
    g_autoptr(Reply) first = api_reinvite (fixture, body);
    g_autoptr(Reply) second = api_reinvite (fixture, body);
    g_autofree char *message = assert_error_reply (second, SOUP_STATUS_BAD_REQUEST);

    g_assert_cmpuint (first->status, ==, SOUP_STATUS_OK);
    g_assert_nonnull (strstr (message, "Rejected"));
  }
}

static void
test_reinvite_future_session (Fixture       *fixture,
                              gconstpointer  user_data)
{
  PcBooking *booking = find_booking (fixture, PC_BOOKING_STATUS_PENDING, FALSE);
  gint64 id = pc_booking_get_booking_id (booking);
  g_autofree char *body = reinvite_body (id, NULL);
  g_autoptr(Reply) early = api_reinvite (fixture, body);
  g_autofree char *message = assert_error_reply (early, SOUP_STATUS_BAD_REQUEST);
  g_autoptr(Reply) on_time = NULL;

  g_assert_nonnull (strstr (message, "SessionDate"));
  g_assert_nonnull (strstr (message, "future"));
  g_assert_cmpint (pc_booking_get_status (booking), ==, PC_BOOKING_STATUS_PENDING);

  /* "Cannot be in the future": at the session time itself it is allowed. */
  pc_clock_set_now (fixture->clock, pc_test_booking_date (booking, "session-date"));
  on_time = api_reinvite (fixture, body);
  assert_rejected (fixture, on_time, id, DEFAULT_REASON);
}

static void
test_reinvite_unknown (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(Reply) reply = api_reinvite (fixture, "{\"BookingID\": 999, \"Reason\": \"x\"}");
  g_autofree char *message = assert_error_reply (reply, SOUP_STATUS_NOT_FOUND);

  g_assert_nonnull (strstr (message, "999"));
}

static void
test_reinvite_bad_body (Fixture       *fixture,
                        gconstpointer  user_data)
{
  static const struct
  {
    const char *body;
    const char *mentions;
  } cases[] = {
    { "", "JSON object" },
    { "BookingID=4817263", "JSON object" },
    { "[4817263]", "JSON object" },
    { "\"4817263\"", "JSON object" },
    { "{\"BookingID\": 4817263", "JSON object" },
    { "{}", "BookingID" },
    { "{\"Reason\": \"x\"}", "BookingID" },
    { "{\"BookingID\": null}", "BookingID" },
    { "{\"BookingID\": \"4817263\"}", "integer" },
    { "{\"BookingID\": 4817263.5}", "integer" },
    { "{\"BookingID\": true}", "integer" },
    { "{\"BookingID\": 4817263, \"Reason\": 5}", "Reason" },
    { "{\"BookingID\": 4817263, \"Reason\": [\"x\"]}", "Reason" },
    { "{\"BookingID\": 4817263, \"Reason\": {}}", "Reason" },
    /* Hostile bodies: no root at all (a GLib critical before), a comment around an
     * object, and nesting far past json-glib's limit. */
    { "/**/", "JSON object" },
    { "//\n", "JSON object" },
    { "/* x */ {\"BookingID\": 4817263}", "JSON object" },
  };
  g_autoptr(GString) deep = g_string_new ("/*\"*/");

  for (guint i = 0; i < 200000; i++)
    g_string_append_c (deep, '[');
  {
    g_autoptr(Reply) reply = api_reinvite (fixture, deep->str);
    g_autofree char *message = assert_error_reply (reply, SOUP_STATUS_BAD_REQUEST);

    g_assert_nonnull (strstr (message, "JSON object"));
  }

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(Reply) reply = api_reinvite (fixture, cases[i].body);
      g_autofree char *message = assert_error_reply (reply, SOUP_STATUS_BAD_REQUEST);

      g_test_message ("%s → %s", cases[i].body, message);
      g_assert_nonnull (strstr (message, cases[i].mentions));
    }

  g_assert_cmpint (pc_booking_get_status (pc_sandbox_lookup (fixture->sandbox, 4817263)), ==,
                   PC_BOOKING_STATUS_PENDING);
}

/* Accept, reject, cancel, delete -------------------------------------------------------- */

#define ACTION_ID 9000001

/* A booking of @status held by the sandbox, with AcceptBy and SessionDate that many
 * seconds from the sandbox's now, and Credits 15. */
static PcBooking *
add_action_booking (Fixture    *fixture,
                    gint64      id,
                    const char *status,
                    gint64      accept_by_s,
                    gint64      session_s)
{
  g_autoptr(GBytes) bytes = pc_test_load_data ("received-booking.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(PcBooking) booking = pc_json_booking_from_bytes (bytes, fixture->zone, &error);
  g_autoptr(GDateTime) now = pc_clock_get_now (fixture->clock);
  g_autoptr(GDateTime) accept_by = g_date_time_add_seconds (now, accept_by_s);
  g_autoptr(GDateTime) session = g_date_time_add_seconds (now, session_s);

  g_assert_no_error (error);
  g_object_set (booking,
                "booking-id", id,
                "status-text", status,
                "accept-by", accept_by,
                "session-date", session,
                NULL);
  pc_sandbox_add_booking (fixture->sandbox, booking);
  return pc_sandbox_lookup (fixture->sandbox, id);
}

static Reply *
api_post (Fixture    *fixture,
          const char *endpoint,
          const char *body)
{
  g_autofree char *path = g_strconcat (BASE_PATH, endpoint, NULL);

  return request (fixture, "POST", path, body, "bearer " TOKEN);
}

/* The answer is the booking as the sandbox now holds it, with @status. */
static PcBooking *
assert_action_done (Fixture         *fixture,
                    Reply           *reply,
                    gint64           id,
                    PcBookingStatus  status)
{
  PcBooking *sent = reply_booking (fixture, reply);
  g_autoptr(GDateTime) now = pc_clock_get_now (fixture->clock);

  g_assert_cmpint (pc_booking_get_booking_id (sent), ==, id);
  g_assert_cmpint (pc_booking_get_status (sent), ==, status);
  g_assert_null (pc_booking_get_action_candidate (sent));
  g_assert_true (g_date_time_equal (pc_test_booking_date (sent, "last-updated"), now));
  g_assert_true (pc_booking_equal (sent, pc_sandbox_lookup (fixture->sandbox, id)));
  return sent;
}

/* A refusal whose message mentions @mentions, leaving the booking as it was. */
static void
assert_refused (Fixture    *fixture,
                const char *endpoint,
                const char *body,
                gint64      id,
                guint       status,
                const char *mentions)
{
  PcBooking *held = pc_sandbox_lookup (fixture->sandbox, id);
  g_autoptr(PcBooking) before = held != NULL ? pc_booking_copy (held) : NULL;
  g_autoptr(Reply) reply = api_post (fixture, endpoint, body);
  g_autofree char *message = assert_error_reply (reply, status);

  g_test_message ("%s %s → %s", endpoint, body, message);
  if (strstr (message, mentions) == NULL)
    g_error ("%s %s: “%s” does not mention “%s”", endpoint, body, message, mentions);
  if (before != NULL)
    g_assert_true (pc_booking_equal (before, pc_sandbox_lookup (fixture->sandbox, id)));
}

static void
test_accept (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autoptr(Reply) reply = NULL;
  g_autoptr(PcBooking) sent = NULL;
  g_autoptr(GDateTime) now = pc_clock_get_now (fixture->clock);

  add_action_booking (fixture, ACTION_ID, "Pending", 60, 3600);

  /* The performer asks for another amount: it becomes the booking's. */
  reply = api_post (fixture, "AcceptReceivedBooking",
                    "{\"BookingID\": 9000001, \"Credits\": 12.5}");
  sent = assert_action_done (fixture, reply, ACTION_ID, PC_BOOKING_STATUS_ACCEPTED);
  g_assert_cmpint (pc_booking_get_credits (sent), ==, 125000);
  g_assert_true (g_date_time_equal (pc_test_booking_date (sent, "accepted-date"), now));

  /* Accepted once: not again. */
  assert_refused (fixture, "AcceptReceivedBooking", "{\"BookingID\": 9000001, \"Credits\": 15}",
                  ACTION_ID, SOUP_STATUS_BAD_REQUEST, "only Pending bookings can be accepted");
}

static void
test_accept_rules (Fixture       *fixture,
                   gconstpointer  user_data)
{
  static const char * const statuses[] = { "Accepted", "Rejected", "Confirmed", "Cancelled" };
  static const struct { const char *body; const char *mentions; } bad[] = {
    { "{\"BookingID\": 9000001}", "Credits is required" },
    { "{\"BookingID\": 9000001, \"Credits\": null}", "Credits is required" },
    { "{\"BookingID\": 9000001, \"Credits\": \"8\"}", "Credits must be" },
    { "{\"BookingID\": 9000001, \"Credits\": -1}", "Credits must be" },
    { "{\"BookingID\": 9000001, \"Credits\": 8.12345}", "Credits must be" },
    { "{\"Credits\": 8}", "BookingID is required" },
    { "[]", "JSON object" },
  };

  add_action_booking (fixture, ACTION_ID, "Pending", 60, 3600);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    assert_refused (fixture, "AcceptReceivedBooking", bad[i].body, ACTION_ID,
                    SOUP_STATUS_BAD_REQUEST, bad[i].mentions);

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      add_action_booking (fixture, ACTION_ID, statuses[i], 60, 3600);
      assert_refused (fixture, "AcceptReceivedBooking", "{\"BookingID\": 9000001, \"Credits\": 8}",
                      ACTION_ID, SOUP_STATUS_BAD_REQUEST, statuses[i]);
    }

  /* AcceptBy must be in the future: at its very second it is not. */
  add_action_booking (fixture, ACTION_ID, "Pending", 0, 3600);
  assert_refused (fixture, "AcceptReceivedBooking", "{\"BookingID\": 9000001, \"Credits\": 8}",
                  ACTION_ID, SOUP_STATUS_BAD_REQUEST, "AcceptBy");
  /* So must SessionDate, even with AcceptBy ahead. */
  add_action_booking (fixture, ACTION_ID, "Pending", 60, 0);
  assert_refused (fixture, "AcceptReceivedBooking", "{\"BookingID\": 9000001, \"Credits\": 8}",
                  ACTION_ID, SOUP_STATUS_BAD_REQUEST, "SessionDate");

  assert_refused (fixture, "AcceptReceivedBooking", "{\"BookingID\": 999, \"Credits\": 8}",
                  999, SOUP_STATUS_NOT_FOUND, "999");
}

static void
test_reject (Fixture       *fixture,
             gconstpointer  user_data)
{
  static const char * const no_reason[] = {
    "{\"BookingID\": 9000001}",
    "{\"BookingID\": 9000001, \"Reason\": null}",
    "{\"BookingID\": 9000001, \"Reason\": \"\"}",
    "{\"BookingID\": 9000001, \"Reason\": \"  \"}",
  };
  g_autoptr(Reply) reply = NULL;
  g_autoptr(PcBooking) sent = NULL;

  /* Pending, whatever the time: here with AcceptBy and the session passed. */
  add_action_booking (fixture, ACTION_ID, "Pending", -7200, -3600);

  /* Unlike ReInvite, a reason is required. */
  for (guint i = 0; i < G_N_ELEMENTS (no_reason); i++)
    assert_refused (fixture, "RejectReceivedBooking", no_reason[i], ACTION_ID,
                    SOUP_STATUS_BAD_REQUEST, "Reason is required");
  assert_refused (fixture, "RejectReceivedBooking", "{\"BookingID\": 9000001, \"Reason\": 5}",
                  ACTION_ID, SOUP_STATUS_BAD_REQUEST, "Reason must be a string");

  reply = api_post (fixture, "RejectReceivedBooking",
                    "{\"BookingID\": 9000001, \"Reason\": \" Fully booked that evening \"}");
  sent = assert_action_done (fixture, reply, ACTION_ID, PC_BOOKING_STATUS_REJECTED);
  g_assert_cmpstr (pc_booking_get_rejected_reason (sent), ==, "Fully booked that evening");

  assert_refused (fixture, "RejectReceivedBooking", "{\"BookingID\": 9000001, \"Reason\": \"x\"}",
                  ACTION_ID, SOUP_STATUS_BAD_REQUEST, "only Pending bookings can be rejected");
  add_action_booking (fixture, ACTION_ID, "Accepted", 60, 3600);
  assert_refused (fixture, "RejectReceivedBooking", "{\"BookingID\": 9000001, \"Reason\": \"x\"}",
                  ACTION_ID, SOUP_STATUS_BAD_REQUEST, "Accepted");
  assert_refused (fixture, "RejectReceivedBooking", "{\"BookingID\": 999, \"Reason\": \"x\"}",
                  999, SOUP_STATUS_NOT_FOUND, "999");
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autoptr(Reply) reply = NULL;
  g_autoptr(PcBooking) sent = NULL;
  g_autoptr(GDateTime) now = pc_clock_get_now (fixture->clock);

  add_action_booking (fixture, ACTION_ID, "Pending", 60, 3600);
  assert_refused (fixture, "CancelReceivedBooking", "{\"BookingID\": 9000001, \"Reason\": \"x\"}",
                  ACTION_ID, SOUP_STATUS_BAD_REQUEST, "only Accepted bookings can be cancelled");
  add_action_booking (fixture, ACTION_ID, "Confirmed", -60, 3600);
  assert_refused (fixture, "CancelReceivedBooking", "{\"BookingID\": 9000001, \"Reason\": \"x\"}",
                  ACTION_ID, SOUP_STATUS_BAD_REQUEST, "Confirmed");

  /* SessionDate in the past: refused. */
  add_action_booking (fixture, ACTION_ID, "Accepted", -7200, -1);
  assert_refused (fixture, "CancelReceivedBooking", "{\"BookingID\": 9000001, \"Reason\": \"x\"}",
                  ACTION_ID, SOUP_STATUS_BAD_REQUEST, "SessionDate");

  /* Not in the past: at its very second it still can. A reason is required. */
  add_action_booking (fixture, ACTION_ID, "Accepted", -7200, 0);
  assert_refused (fixture, "CancelReceivedBooking", "{\"BookingID\": 9000001, \"Reason\": \" \"}",
                  ACTION_ID, SOUP_STATUS_BAD_REQUEST, "Reason is required");
  reply = api_post (fixture, "CancelReceivedBooking",
                    "{\"BookingID\": 9000001, \"Reason\": \"Unwell today\"}");
  sent = assert_action_done (fixture, reply, ACTION_ID, PC_BOOKING_STATUS_CANCELLED);
  g_assert_cmpstr (pc_booking_get_cancelled_reason (sent), ==, "Unwell today");
  g_assert_cmpstr (pc_booking_get_cancelled_by (sent), !=, NULL);
  g_assert_true (g_date_time_equal (pc_test_booking_date (sent, "cancelled-date"), now));
}

static void
test_delete (Fixture       *fixture,
             gconstpointer  user_data)
{
  static const struct { const char *status; gboolean deleted; } held[] = {
    { "Rejected", TRUE },
    { "Pending", FALSE },
    { "Cancelled", TRUE },
    { "Accepted", FALSE },
    { "Confirmed", TRUE },
  };
  g_autoptr(Reply) reply = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  guint n_before;

  for (guint i = 0; i < G_N_ELEMENTS (held); i++)
    add_action_booking (fixture, ACTION_ID + i, held[i].status, -7200, -3600);
  n_before = pc_sandbox_get_bookings (fixture->sandbox)->len;

  /* Spaces around the ids are allowed; 999 is unknown. */
  reply = api_post (fixture, "DeleteReceivedBooking",
                    "{\"BookingIDs\": \"9000001,9000002, 9000003,9000004,9000005,999\"}");
  g_assert_no_error (reply->error);
  g_assert_cmpuint (reply->status, ==, SOUP_STATUS_OK);
  results = pc_json_delete_results_from_bytes (reply->body, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, G_N_ELEMENTS (held) + 1);

  for (guint i = 0; i < G_N_ELEMENTS (held); i++)
    {
      PcDeleteResult *r = g_ptr_array_index (results, i);

      g_assert_cmpint (r->booking_id, ==, ACTION_ID + i);
      g_assert_cmpint (r->deleted, ==, held[i].deleted);
      if (held[i].deleted)
        {
          g_assert_null (r->message);
          g_assert_null (pc_sandbox_lookup (fixture->sandbox, ACTION_ID + i));
        }
      else
        {
          g_assert_nonnull (strstr (r->message, "Rejected, Cancelled or Confirmed"));
          g_assert_nonnull (pc_sandbox_lookup (fixture->sandbox, ACTION_ID + i));
        }
    }
  {
    PcDeleteResult *r = g_ptr_array_index (results, G_N_ELEMENTS (held));

    g_assert_cmpint (r->booking_id, ==, 999);
    g_assert_false (r->deleted);
    g_assert_nonnull (strstr (r->message, "999"));
  }
  g_assert_cmpuint (pc_sandbox_get_bookings (fixture->sandbox)->len, ==, n_before - 3);

  /* A deleted booking is gone: its details and the list no longer have it. */
  {
    g_autoptr(Reply) details = api_get (fixture, BASE_PATH "ReceivedBookingDetails?BookingID=9000001");
    g_autofree char *message = assert_error_reply (details, SOUP_STATUS_NOT_FOUND);
    g_autoptr(Reply) list = api_get (fixture, BASE_PATH "ReceivedBookings?BookingsPerPage=100");
    g_autoptr(PcReceivedPage) page = reply_page (fixture, list);

    for (guint i = 0; i < page->bookings->len; i++)
      g_assert_cmpint (pc_booking_get_booking_id (g_ptr_array_index (page->bookings, i)), !=,
                       ACTION_ID);
  }

  /* The log names the first booking of the request. */
  g_assert_cmpuint (pc_sandbox_count_booking_requests (fixture->sandbox, "POST",
                                                       BASE_PATH "DeleteReceivedBooking",
                                                       ACTION_ID), ==, 1);
}

static void
test_delete_bad_body (Fixture       *fixture,
                      gconstpointer  user_data)
{
  static const struct { const char *body; const char *mentions; } cases[] = {
    { "", "BookingIDs is required" },
    { "{}", "BookingIDs is required" },
    { "{\"BookingIDs\": null}", "BookingIDs is required" },
    { "{\"BookingIDs\": 9000001}", "comma-separated" },
    { "{\"BookingIDs\": [9000001]}", "comma-separated" },
    { "{\"BookingIDs\": \"\"}", "comma-separated" },
    { "{\"BookingIDs\": \"9000001,\"}", "comma-separated" },
    { "{\"BookingIDs\": \"9000001;9000002\"}", "comma-separated" },
    { "{\"BookingIDs\": \"-1\"}", "comma-separated" },
  };

  add_action_booking (fixture, ACTION_ID, "Rejected", -7200, -3600);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_refused (fixture, "DeleteReceivedBooking", cases[i].body, ACTION_ID,
                    SOUP_STATUS_BAD_REQUEST, cases[i].mentions);
  g_assert_nonnull (pc_sandbox_lookup (fixture->sandbox, ACTION_ID));
}

/* Without the inferred endpoints, reject and cancel answer 404 as unknown paths do, and
 * the documented ones work on. */
static void
test_inferred_absent (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(Reply) accepted = NULL;
  g_autoptr(PcBooking) sent = NULL;

  add_action_booking (fixture, ACTION_ID, "Pending", 60, 3600);
  add_action_booking (fixture, ACTION_ID + 1, "Accepted", 60, 3600);
  pc_sandbox_set_inferred_endpoints (fixture->sandbox, FALSE);

  assert_refused (fixture, "RejectReceivedBooking", "{\"BookingID\": 9000001, \"Reason\": \"x\"}",
                  ACTION_ID, SOUP_STATUS_NOT_FOUND, "No HTTP resource was found");
  assert_refused (fixture, "CancelReceivedBooking", "{\"BookingID\": 9000002, \"Reason\": \"x\"}",
                  ACTION_ID + 1, SOUP_STATUS_NOT_FOUND, "No HTTP resource was found");
  /* Logged like any request, answered 404. */
  g_assert_cmpuint (pc_sandbox_count_booking_requests (fixture->sandbox, "POST",
                                                       BASE_PATH "RejectReceivedBooking",
                                                       ACTION_ID), ==, 1);

  accepted = api_post (fixture, "AcceptReceivedBooking", "{\"BookingID\": 9000001, \"Credits\": 15}");
  sent = assert_action_done (fixture, accepted, ACTION_ID, PC_BOOKING_STATUS_ACCEPTED);

  pc_sandbox_set_inferred_endpoints (fixture->sandbox, TRUE);
  {
    g_autoptr(Reply) cancelled = api_post (fixture, "CancelReceivedBooking",
                                           "{\"BookingID\": 9000002, \"Reason\": \"x\"}");
    g_autoptr(PcBooking) done = assert_action_done (fixture, cancelled, ACTION_ID + 1,
                                                    PC_BOOKING_STATUS_CANCELLED);
  }
}

/* Request log -------------------------------------------------------------------------- */

static void
test_requests_log (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(Reply) r1 = api_get (fixture, BASE_PATH "ReceivedBookings");
  g_autoptr(Reply) r2 = api_get (fixture, BASE_PATH "ReceivedBookingDetails?BookingID=4815502");
  g_autoptr(Reply) r3 = api_reinvite (fixture, "{\"BookingID\": 4817263}");
  g_autoptr(Reply) r4 = api_reinvite (fixture, "{\"BookingID\": 4817263}");
  g_autoptr(Reply) r5 = request (fixture, "GET", "/v1/account/verifyCredentials", NULL, NULL);
  g_autoptr(Reply) log = request (fixture, "GET", "/_sandbox/requests", NULL, NULL);
  g_autoptr(JsonNode) root = reply_json (log);
  g_autoptr(JsonNode) direct = pc_sandbox_get_requests_node (fixture->sandbox);
  Reply *replies[] = { r1, r2, r3, r4, r5 };
  PcSandbox *sandbox;
  JsonArray *array;
  static const struct
  {
    const char *method;
    const char *path;
    gint64      booking_id;
    guint       status;
  } expected[] = {
    { "GET", BASE_PATH "ReceivedBookings", 0, 200 },
    { "GET", BASE_PATH "ReceivedBookingDetails", 4815502, 200 },
    { "POST", BASE_PATH "ReInvite", 4817263, 200 },
    { "POST", BASE_PATH "ReInvite", 4817263, 400 },
    { "GET", "/v1/account/verifyCredentials", 0, 401 },
  };

  g_assert_cmpuint (log->status, ==, SOUP_STATUS_OK);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (root));
  array = json_node_get_array (root);
  g_assert_cmpuint (json_array_get_length (array), ==, G_N_ELEMENTS (expected));
  g_assert_true (json_node_equal (root, direct));

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      JsonObject *entry = json_array_get_object_element (array, i);

      g_assert_cmpstr (json_object_get_string_member (entry, "method"), ==, expected[i].method);
      g_assert_cmpstr (json_object_get_string_member (entry, "path"), ==, expected[i].path);
      if (expected[i].booking_id == 0)
        g_assert_true (json_object_get_null_member (entry, "BookingID"));
      else
        g_assert_cmpint (json_object_get_int_member (entry, "BookingID"), ==,
                         expected[i].booking_id);
      g_assert_cmpint (json_object_get_int_member (entry, "status"), ==, expected[i].status);
      g_assert_true (json_object_get_null_member (entry, "fault"));
      /* The log tells what the client saw. */
      g_assert_cmpuint (replies[i]->status, ==, expected[i].status);
    }

  sandbox = fixture->sandbox;
  g_assert_cmpuint (pc_sandbox_count_requests (sandbox, "POST", BASE_PATH "ReInvite"), ==, 2);
  g_assert_cmpuint (pc_sandbox_count_requests (sandbox, "post", "/v1/phonechat/reinvite"), ==, 2);
  g_assert_cmpuint (pc_sandbox_count_requests (sandbox, "GET", NULL), ==, 3);
  g_assert_cmpuint (pc_sandbox_count_requests (sandbox, NULL, NULL), ==, 5);
  g_assert_cmpuint (pc_sandbox_count_booking_requests (sandbox, "POST", NULL, 4817263), ==, 2);
  g_assert_cmpuint (pc_sandbox_count_booking_requests (sandbox, NULL, NULL, 4815502), ==, 1);

  /* DELETE forgets; sandbox endpoints are never logged themselves. */
  {
    g_autoptr(Reply) cleared = request (fixture, "DELETE", "/_sandbox/requests", NULL, NULL);

    g_assert_cmpuint (cleared->status, ==, SOUP_STATUS_OK);
    g_assert_cmpuint (pc_sandbox_count_requests (fixture->sandbox, NULL, NULL), ==, 0);
  }
}

/* Faults ------------------------------------------------------------------------------- */

/* The fault the sandbox logged for the last API request it received: NULL for none. */
static void
assert_last_fault (Fixture    *fixture,
                   const char *fault)
{
  g_autoptr(JsonNode) log = pc_sandbox_get_requests_node (fixture->sandbox);
  JsonArray *array = json_node_get_array (log);
  JsonObject *entry;

  g_assert_cmpuint (json_array_get_length (array), >, 0);
  entry = json_array_get_object_element (array, json_array_get_length (array) - 1);
  if (fault == NULL)
    g_assert_true (json_object_get_null_member (entry, "fault"));
  else
    g_assert_cmpstr (json_object_get_string_member (entry, "fault"), ==, fault);
}

static void
test_fault_latency (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(Reply) fast = api_get (fixture, "/v1/account/verifyCredentials");
  g_autoptr(Reply) slow = NULL;

  pc_sandbox_set_latency (fixture->sandbox, 150);
  slow = api_get (fixture, "/v1/account/verifyCredentials");

  g_assert_cmpuint (slow->status, ==, SOUP_STATUS_OK);
  g_assert_no_error (slow->error);
  /* A lower bound only: however busy the machine, the answer cannot come sooner. */
  g_assert_cmpint (slow->elapsed_us, >=, 150 * 1000);
  g_assert_cmpuint (g_bytes_get_size (slow->body), ==, g_bytes_get_size (fast->body));
  assert_last_fault (fixture, "latency");
}

/* Sandbox endpoints answer at once even while an API request waits on latency. */
static void
test_fault_latency_control (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autofree char *url = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(Reply) control = NULL;

  /* Far longer than the test could ever take. */
  pc_sandbox_set_latency (fixture->sandbox, 60 * 60 * 1000);
  url = g_strconcat (pc_sandbox_get_url (fixture->sandbox), "/v1/account/verifyCredentials",
                     NULL);
  msg = soup_message_new ("GET", url);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                "bearer " TOKEN);
  soup_session_send_and_read_async (fixture->session, msg, G_PRIORITY_DEFAULT, NULL, send_cb,
                                    &result);
  while (pc_sandbox_count_requests (fixture->sandbox, NULL, NULL) == 0)
    g_main_context_iteration (NULL, TRUE);

  control = request (fixture, "GET", "/_sandbox/faults", NULL, NULL);
  g_assert_cmpuint (control->status, ==, SOUP_STATUS_OK);
  /* The API request still waits, and the control request was not logged. */
  g_assert_null (result);
  g_assert_cmpuint (pc_sandbox_count_requests (fixture->sandbox, NULL, NULL), ==, 1);
  assert_last_fault (fixture, "latency");

  /* Stopping forgets the waiting request: its connection closes. */
  pc_sandbox_stop (fixture->sandbox);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  body = soup_session_send_and_read_finish (fixture->session, result, &error);
  g_assert_null (body);
  g_assert_nonnull (error);
}

static void
test_fault_status (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(Reply) faulted = NULL;
  g_autoptr(Reply) other = NULL;
  g_autoptr(Reply) cleared = NULL;
  g_autofree char *message = NULL;

  pc_sandbox_set_path_status (fixture->sandbox, BASE_PATH "ReInvite", 503);
  faulted = api_reinvite (fixture, "{\"BookingID\": 4817263}");
  other = api_get (fixture, BASE_PATH "ReceivedBookingDetails?BookingID=4817263");

  message = assert_error_reply (faulted, 503);
  g_assert_cmpstr (message, ==, "Injected fault");
  g_assert_cmpuint (other->status, ==, SOUP_STATUS_OK);
  /* The request was not processed. */
  g_assert_cmpint (pc_booking_get_status (pc_sandbox_lookup (fixture->sandbox, 4817263)), ==,
                   PC_BOOKING_STATUS_PENDING);

  pc_sandbox_set_path_status (fixture->sandbox, BASE_PATH "ReInvite", 0);
  cleared = api_reinvite (fixture, "{\"BookingID\": 4817263}");
  g_assert_cmpuint (cleared->status, ==, SOUP_STATUS_OK);
}

static void
assert_truncated (Reply *reply)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  if (reply->error != NULL)
    {
      g_test_message ("truncated: %s", reply->error->message);
      return;
    }

  g_assert_nonnull (reply->body);
  node = pc_json_parse_bytes (reply->body, &error);
  g_assert_null (node);
  g_assert_error (error, PC_JSON_ERROR, PC_JSON_ERROR_SYNTAX);
  g_test_message ("truncated: status %u, %s", reply->status, error->message);
}

static void
test_fault_truncate (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(Reply) reply = NULL;
  g_autoptr(JsonNode) log = NULL;
  JsonObject *entry;

  pc_sandbox_set_truncate_bodies (fixture->sandbox, TRUE);
  reply = api_reinvite (fixture, "{\"BookingID\": 4817263}");

  /* The client sees the connection end in the middle of the body. libsoup 3.2 reports
   * that as an error, or (for a Content-Length body) returns the bytes it got: then they
   * are half a JSON document that does not parse. */
  assert_truncated (reply);
  /* ...but the server did the work. */
  g_assert_cmpint (pc_booking_get_status (pc_sandbox_lookup (fixture->sandbox, 4817263)), ==,
                   PC_BOOKING_STATUS_REJECTED);

  log = pc_sandbox_get_requests_node (fixture->sandbox);
  entry = json_array_get_object_element (json_node_get_array (log), 0);
  g_assert_cmpint (json_object_get_int_member (entry, "status"), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (entry, "fault"), ==, "truncate");

  pc_sandbox_set_truncate_bodies (fixture->sandbox, FALSE);
  {
    g_autoptr(Reply) whole = api_get (fixture, "/v1/account/verifyCredentials");

    g_assert_no_error (whole->error);
    g_assert_cmpuint (whole->status, ==, SOUP_STATUS_OK);
  }
}

/* The truncated answer on the wire: full Content-Length, half the body, then EOF. */
static void
test_fault_truncate_raw (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GByteArray) received = g_byte_array_new ();
  g_autofree char *request_text = NULL;
  GInputStream *in;
  const char *separator;
  const char *length_header;
  gsize header_len;
  guint64 declared;
  gboolean done = FALSE;

  pc_sandbox_set_truncate_bodies (fixture->sandbox, TRUE);
  connection = g_socket_client_connect_to_host (client, "127.0.0.1",
                                                (guint16) pc_sandbox_get_port (fixture->sandbox),
                                                NULL, &error);
  g_assert_no_error (error);
  request_text = g_strdup ("GET /v1/account/verifyCredentials HTTP/1.1\r\n"
                           "Host: 127.0.0.1\r\nAuthorization: bearer " TOKEN "\r\n\r\n");
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                             request_text, strlen (request_text), NULL, NULL, &error);
  g_assert_no_error (error);

  /* Read until EOF while the server's side runs in this same main context. */
  in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  while (!done)
    {
      guint8 buffer[4096];
      gssize n;

      while (!g_pollable_input_stream_is_readable (G_POLLABLE_INPUT_STREAM (in)))
        g_main_context_iteration (NULL, TRUE);

      n = g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (in), buffer,
                                                    sizeof buffer, NULL, &error);
      if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        {
          g_clear_error (&error);
          continue;
        }
      g_assert_no_error (error);
      if (n == 0)
        done = TRUE;
      else
        g_byte_array_append (received, buffer, (guint) n);
    }

  g_byte_array_append (received, (const guint8 *) "", 1);
  separator = strstr ((const char *) received->data, "\r\n\r\n");
  g_assert_nonnull (separator);
  header_len = (gsize) (separator + 4 - (const char *) received->data);
  length_header = strstr ((const char *) received->data, "Content-Length: ");
  g_assert_nonnull (length_header);
  declared = g_ascii_strtoull (length_header + strlen ("Content-Length: "), NULL, 10);
  g_assert_cmpuint (declared, >, 0);
  g_assert_true (g_str_has_prefix ((const char *) received->data, "HTTP/1.1 200 OK\r\n"));
  /* received->len counts the NUL added above. */
  g_assert_cmpuint (received->len - 1 - header_len, ==, declared / 2);
}

static void
test_fault_drop (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(Reply) reply = NULL;
  g_autoptr(JsonNode) log = NULL;
  JsonObject *entry;

  pc_sandbox_set_drop_connections (fixture->sandbox, TRUE);
  reply = api_reinvite (fixture, "{\"BookingID\": 4817263}");

  g_assert_nonnull (reply->error);
  g_test_message ("dropped: %s", reply->error->message);
  /* Not processed. */
  g_assert_cmpint (pc_booking_get_status (pc_sandbox_lookup (fixture->sandbox, 4817263)), ==,
                   PC_BOOKING_STATUS_PENDING);

  log = pc_sandbox_get_requests_node (fixture->sandbox);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (log)), ==, 1);
  entry = json_array_get_object_element (json_node_get_array (log), 0);
  g_assert_cmpint (json_object_get_int_member (entry, "status"), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (entry, "fault"), ==, "drop");
  g_assert_cmpint (json_object_get_int_member (entry, "BookingID"), ==, 4817263);
}

static void
test_fault_limit (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(Reply) first = NULL;
  g_autoptr(Reply) second = NULL;
  g_autoptr(Reply) unaffected = NULL;

  pc_sandbox_set_path_status (fixture->sandbox, BASE_PATH "ReInvite", 500);
  pc_sandbox_set_fault_limit (fixture->sandbox, 1);

  /* A request no fault applies to does not use the allowance up. */
  unaffected = api_get (fixture, "/v1/account/verifyCredentials");
  first = api_reinvite (fixture, "{\"BookingID\": 4817263}");
  second = api_reinvite (fixture, "{\"BookingID\": 4817263}");

  g_assert_cmpuint (unaffected->status, ==, SOUP_STATUS_OK);
  g_assert_cmpuint (first->status, ==, 500);
  g_assert_cmpuint (second->status, ==, SOUP_STATUS_OK);
}

static void
test_fault_http_control (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autoptr(Reply) set = NULL;
  g_autoptr(Reply) faulted = NULL;
  g_autoptr(Reply) slow = NULL;
  g_autoptr(Reply) cleared = NULL;
  g_autoptr(Reply) normal = NULL;
  g_autoptr(Reply) dropped = NULL;
  g_autoptr(JsonNode) state = NULL;
  JsonObject *object;

  set = request (fixture, "POST", "/_sandbox/faults",
                 "{\"latency_ms\": 120, \"status\": {\"path\": \"/v1/PhoneChat/ReceivedBookings\","
                 " \"code\": 502}}", NULL);
  g_assert_cmpuint (set->status, ==, SOUP_STATUS_OK);
  state = reply_json (set);
  object = json_node_get_object (state);
  g_assert_cmpint (json_object_get_int_member (object, "latency_ms"), ==, 120);
  g_assert_false (json_object_get_boolean_member (object, "truncate"));
  g_assert_false (json_object_get_boolean_member (object, "drop"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "status")), ==, 1);

  faulted = api_get (fixture, BASE_PATH "ReceivedBookings");
  slow = api_get (fixture, "/v1/account/verifyCredentials");
  g_assert_cmpuint (faulted->status, ==, 502);
  g_assert_cmpuint (slow->status, ==, SOUP_STATUS_OK);
  g_assert_cmpint (slow->elapsed_us, >=, 120 * 1000);
  assert_last_fault (fixture, "latency");

  /* {} clears every fault. */
  cleared = request (fixture, "POST", "/_sandbox/faults", "{}", NULL);
  g_assert_cmpuint (cleared->status, ==, SOUP_STATUS_OK);
  normal = api_get (fixture, BASE_PATH "ReceivedBookings");
  g_assert_cmpuint (normal->status, ==, SOUP_STATUS_OK);
  assert_last_fault (fixture, NULL);

  /* drop and truncate over HTTP, limited to one request. */
  {
    g_autoptr(Reply) drop = request (fixture, "POST", "/_sandbox/faults",
                                     "{\"drop\": true, \"times\": 1}", NULL);

    g_assert_cmpuint (drop->status, ==, SOUP_STATUS_OK);
  }
  dropped = api_reinvite (fixture, "{\"BookingID\": 4817263}");
  g_assert_nonnull (dropped->error);
  {
    g_autoptr(Reply) after = api_reinvite (fixture, "{\"BookingID\": 4817263}");

    g_assert_cmpuint (after->status, ==, SOUP_STATUS_OK);
  }
  {
    g_autoptr(Reply) truncate = request (fixture, "POST", "/_sandbox/faults",
                                         "{\"truncate\": true}", NULL);
    g_autoptr(Reply) truncated = NULL;

    g_assert_cmpuint (truncate->status, ==, SOUP_STATUS_OK);
    truncated = api_get (fixture, BASE_PATH "ReceivedBookings");
    assert_truncated (truncated);
  }
}

/* Retry-After, canned bodies and resets, set over HTTP as another process does. */
static void
test_fault_http_control_more (Fixture       *fixture,
                              gconstpointer  user_data)
{
  g_autoptr(Reply) set = NULL;
  g_autoptr(Reply) html = NULL;
  g_autoptr(Reply) xml = NULL;
  g_autoptr(Reply) reset = NULL;
  g_autoptr(Reply) after = NULL;
  g_autoptr(JsonNode) state = NULL;
  JsonObject *object;
  JsonObject *status;

  set = request (fixture, "POST", "/_sandbox/faults",
                 "{\"status\": {\"path\": \"/v1/PhoneChat/ReceivedBookings\", \"code\": 503,"
                 " \"retry_after\": 30}, \"body\": \"html\"}", NULL);
  g_assert_cmpuint (set->status, ==, SOUP_STATUS_OK);
  state = reply_json (set);
  object = json_node_get_object (state);
  status = json_array_get_object_element (json_object_get_array_member (object, "status"), 0);
  g_assert_cmpint (json_object_get_int_member (status, "code"), ==, 503);
  g_assert_cmpint (json_object_get_int_member (status, "retry_after"), ==, 30);
  g_assert_cmpstr (json_object_get_string_member (object, "body"), ==, "html");
  g_assert_true (json_object_get_null_member (object, "reset"));

  /* The canned body goes with the status injected for the path, and its Retry-After. */
  html = api_get (fixture, BASE_PATH "ReceivedBookings");
  g_assert_cmpuint (html->status, ==, 503);
  g_assert_cmpstr (html->content_type, ==, "text/html");
  g_assert_cmpstr (html->retry_after, ==, "30");
  g_assert_true (g_str_has_prefix (g_bytes_get_data (html->body, NULL), "<!DOCTYPE html>"));
  assert_last_fault (fixture, "status+body");

  /* Elsewhere, with a 200. */
  {
    g_autoptr(Reply) body = request (fixture, "POST", "/_sandbox/faults", "{\"body\": \"xml\"}",
                                     NULL);

    g_assert_cmpuint (body->status, ==, SOUP_STATUS_OK);
  }
  xml = api_get (fixture, BASE_PATH "ReceivedBookingDetails?BookingID=4817263");
  g_assert_cmpuint (xml->status, ==, SOUP_STATUS_OK);
  g_assert_cmpstr (xml->content_type, ==, "application/xml");
  g_assert_null (xml->retry_after);
  assert_last_fault (fixture, "body");

  /* A reset before the headers: no answer, and the re-invite did not happen. */
  {
    g_autoptr(Reply) faults = request (fixture, "POST", "/_sandbox/faults",
                                       "{\"reset\": \"before-headers\", \"times\": 1}", NULL);

    g_assert_cmpuint (faults->status, ==, SOUP_STATUS_OK);
  }
  reset = api_reinvite (fixture, "{\"BookingID\": 4817263}");
  g_assert_nonnull (reset->error);
  assert_last_fault (fixture, "reset");
  g_assert_cmpint (pc_booking_get_status (pc_sandbox_lookup (fixture->sandbox, 4817263)), ==,
                   PC_BOOKING_STATUS_PENDING);

  /* "times": 1 cleared every fault. */
  after = request (fixture, "GET", "/_sandbox/faults", NULL, NULL);
  {
    g_autoptr(JsonNode) cleared = reply_json (after);

    g_assert_true (json_object_get_null_member (json_node_get_object (cleared), "reset"));
    g_assert_true (json_object_get_null_member (json_node_get_object (cleared), "body"));
  }
}

static void
test_fault_http_control_invalid (Fixture       *fixture,
                                 gconstpointer  user_data)
{
  static const char *bodies[] = {
    "",
    "not json",
    "[]",
    "{\"latency_ms\": -1}",
    "{\"latency_ms\": \"100\"}",
    "{\"truncate\": 1}",
    "{\"drop\": \"yes\"}",
    "{\"status\": 500}",
    "{\"status\": {\"path\": \"v1/x\", \"code\": 500}}",
    "{\"status\": {\"path\": \"/v1/x\", \"code\": 42}}",
    "{\"status\": [{\"path\": \"/v1/x\"}]}",
    "{\"latency\": 100}",
    "{\"reset\": true}",
    "{\"reset\": \"sometimes\"}",
    "{\"reset\": \"Mid-Body\"}",
    "{\"body\": 1}",
    "{\"body\": \"json\"}",
    "{\"body\": [\"html\"]}",
    "{\"status\": {\"path\": \"/v1/x\", \"code\": 503, \"retry_after\": -1}}",
    "{\"status\": {\"path\": \"/v1/x\", \"code\": 503, \"retry_after\": \"30\"}}",
    "{\"status\": {\"path\": \"/v1/x\", \"code\": 503, \"retry_after\": 86401}}",
    "{\"status\": {\"path\": \"/v1/x\", \"code\": 503, \"retryAfter\": 30}}",
    /* Hostile: no root, a comment, no token needed to send them. */
    "/**/",
    "{\"latency_ms\": 1} // more",
  };
  g_autoptr(GString) deep = g_string_new ("/*\"*/");

  for (guint i = 0; i < 200000; i++)
    g_string_append_c (deep, '[');

  pc_sandbox_set_latency (fixture->sandbox, 7);
  for (guint i = 0; i <= G_N_ELEMENTS (bodies); i++)
    {
      const char *body = i < G_N_ELEMENTS (bodies) ? bodies[i] : deep->str;
      g_autoptr(Reply) reply = request (fixture, "POST", "/_sandbox/faults", body, NULL);
      g_autofree char *message = assert_error_reply (reply, SOUP_STATUS_BAD_REQUEST);

      g_test_message ("%.40s → %s", body, message);
    }

  /* A refused body changes nothing. */
  {
    g_autoptr(Reply) state = request (fixture, "GET", "/_sandbox/faults", NULL, NULL);
    g_autoptr(JsonNode) root = reply_json (state);

    g_assert_cmpint (json_object_get_int_member (json_node_get_object (root), "latency_ms"), ==, 7);
  }
}

/* A request still waiting on latency when the sandbox stops is simply forgotten. */
static void
test_fault_stop_while_pending (void)
{
  g_autoptr(PcSandbox) sandbox = pc_sandbox_new (NULL, NULL);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  pc_sandbox_load_demo (sandbox);
  pc_sandbox_set_latency (sandbox, 60 * 1000);
  pc_sandbox_listen (sandbox, 0, &error);
  g_assert_no_error (error);

  url = g_strconcat (pc_sandbox_get_url (sandbox), "/v1/account/verifyCredentials", NULL);
  msg = soup_message_new ("GET", url);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                "bearer " TOKEN);
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, send_cb, &result);
  while (pc_sandbox_count_requests (sandbox, NULL, NULL) == 0)
    g_main_context_iteration (NULL, TRUE);

  pc_sandbox_stop (sandbox);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  body = soup_session_send_and_read_finish (session, result, &error);
  g_assert_null (body);
  g_assert_nonnull (error);
  g_clear_object (&session);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (g_steal_pointer (&sandbox));
}

/* Demo data ---------------------------------------------------------------------------- */

static void
test_demo_shape (Fixture       *fixture,
                 gconstpointer  user_data)
{
  GPtrArray *bookings = pc_sandbox_get_bookings (fixture->sandbox);
  g_autoptr(GDateTime) now = pc_clock_get_now (fixture->clock);
  g_autoptr(GHashTable) nicknames = g_hash_table_new (g_str_hash, g_str_equal);
  guint counts[PC_BOOKING_STATUS_CANCELLED + 1] = { 0, };
  guint reinvitable = 0;
  guint pending_ahead = 0;
  guint methods[4] = { 0, };

  g_assert_cmpuint (bookings->len, >=, 10);
  g_assert_cmpuint (bookings->len, <=, 12);

  for (guint i = 0; i < bookings->len; i++)
    {
      PcBooking *booking = g_ptr_array_index (bookings, i);
      PcClient *client = pc_booking_get_client (booking);
      PcBookingStatus status = pc_booking_get_status (booking);

      g_assert_cmpint (status, !=, PC_BOOKING_STATUS_UNKNOWN);
      counts[status]++;
      g_assert_true (pc_booking_get_clock (booking) == fixture->clock);

      if (pc_booking_get_can_reinvite (booking))
        reinvitable++;
      if (status == PC_BOOKING_STATUS_PENDING &&
          g_date_time_compare (pc_test_booking_date (booking, "session-date"), now) > 0)
        {
          GTimeSpan ahead = g_date_time_difference (pc_test_booking_date (booking, "session-date"), now);

          pending_ahead++;
          g_assert_cmpint (pc_booking_get_reinvite_blocker (booking), ==,
                           PC_REINVITE_BLOCKER_SESSION_AHEAD);
          g_assert_cmpint (ahead, >, G_TIME_SPAN_HOUR);
          g_assert_cmpint (ahead, <=, 3 * G_TIME_SPAN_HOUR);
        }

      /* Dates in order, and state members that fit the status. */
      g_assert_cmpint (g_date_time_compare (pc_test_booking_date (booking, "create-date"),
                                            pc_test_booking_date (booking, "session-date")), <, 0);
      g_assert_cmpint (g_date_time_compare (pc_test_booking_date (booking, "accept-by"),
                                            pc_test_booking_date (booking, "session-date")), <=, 0);
      g_assert_cmpint (g_date_time_compare (pc_test_booking_date (booking, "last-updated"), now), <=, 0);
      g_assert_cmpint (g_date_time_compare (pc_test_booking_date (booking, "last-updated"),
                                            pc_test_booking_date (booking, "create-date")), >=, 0);
      if (status == PC_BOOKING_STATUS_CANCELLED)
        {
          g_assert_nonnull (pc_test_booking_date (booking, "cancelled-date"));
          g_assert_nonnull (pc_booking_get_cancelled_reason (booking));
          g_assert_nonnull (pc_booking_get_cancelled_by (booking));
        }
      else
        g_assert_null (pc_test_booking_date (booking, "cancelled-date"));
      if (status == PC_BOOKING_STATUS_REJECTED)
        g_assert_nonnull (pc_booking_get_rejected_reason (booking));
      else
        g_assert_null (pc_booking_get_rejected_reason (booking));
      if (status == PC_BOOKING_STATUS_CONFIRMED)
        g_assert_nonnull (pc_test_booking_date (booking, "confirmed-date"));
      if (status == PC_BOOKING_STATUS_ACCEPTED || status == PC_BOOKING_STATUS_CONFIRMED)
        g_assert_nonnull (pc_test_booking_date (booking, "accepted-date"));
      if (pc_booking_get_can_reinvite (booking))
        g_assert_nonnull (pc_booking_get_action_candidate (booking));

      /* Method 1 carries a phone number in the drama range, 3 a Skype name, 2 neither. */
      methods[pc_booking_get_method (booking)]++;
      switch (pc_booking_get_method (booking))
        {
        case PC_CALL_METHOD_CALL_CLIENT:
          g_assert_true (g_str_has_prefix (pc_booking_get_phone_number (booking), "07700900"));
          g_assert_cmpuint (strlen (pc_booking_get_phone_number (booking)), ==, 11);
          g_assert_null (pc_booking_get_skype_name (booking));
          break;
        case PC_CALL_METHOD_SKYPE:
          g_assert_nonnull (pc_booking_get_skype_name (booking));
          g_assert_null (pc_booking_get_phone_number (booking));
          break;
        case PC_CALL_METHOD_CLIENT_CALLS:
          g_assert_null (pc_booking_get_phone_number (booking));
          g_assert_null (pc_booking_get_skype_name (booking));
          break;
        case PC_CALL_METHOD_UNKNOWN:
        default:
          g_assert_not_reached ();
        }

      g_assert_nonnull (pc_client_get_nickname (client));
      g_assert_true (g_hash_table_add (nicknames, (gpointer) pc_client_get_nickname (client)));
      g_assert_cmpint (pc_client_get_user_id (client), >, 0);
      g_assert_cmpint (pc_client_get_total (client), ==,
                       pc_client_get_positive (client) + pc_client_get_neutral (client) +
                       pc_client_get_negative (client));
      g_assert_cmpint (pc_booking_get_duration (booking), >, 0);
      g_assert_cmpint (pc_booking_get_credits (booking), >, 0);
    }

  g_assert_cmpuint (reinvitable, >=, 3);
  g_assert_cmpuint (pending_ahead, ==, 1);
  g_assert_cmpuint (counts[PC_BOOKING_STATUS_PENDING], ==, reinvitable + pending_ahead);
  g_assert_cmpuint (counts[PC_BOOKING_STATUS_ACCEPTED], >=, 1);
  g_assert_cmpuint (counts[PC_BOOKING_STATUS_CONFIRMED], >=, 1);
  g_assert_cmpuint (counts[PC_BOOKING_STATUS_CANCELLED], >=, 1);
  g_assert_cmpuint (counts[PC_BOOKING_STATUS_REJECTED], >=, 1);
  g_assert_cmpuint (methods[1], >=, 1);
  g_assert_cmpuint (methods[2], >=, 1);
  g_assert_cmpuint (methods[3], >=, 1);
  g_assert_true (g_hash_table_contains (nicknames, "NightOwl_77"));
}

/* The demo is relative to the clock: another now, the same shape. */
/* Generated bookings for load tests: as many as asked, ids in a row, every one valid,
 * and the same ones for the same count and clock. */
static void
test_generated (void)
{
  g_autoptr(GDateTime) now = pc_test_utc (2025, 6, 15, 12, 0, 0);
  g_autoptr(PcClock) clock = pc_clock_new_fixed (now);
  g_autoptr(PcSandbox) a = pc_sandbox_new (clock, NULL);
  g_autoptr(PcSandbox) b = pc_sandbox_new (clock, NULL);
  GPtrArray *bookings;

  pc_sandbox_load_generated (a, 500);
  pc_sandbox_load_generated (b, 500);
  bookings = pc_sandbox_get_bookings (a);
  g_assert_cmpuint (bookings->len, ==, 500);
  g_assert_cmpuint (pc_sandbox_get_bookings (b)->len, ==, 500);

  for (guint i = 0; i < 500; i++)
    {
      PcBooking *booking = pc_sandbox_lookup (a, PC_SANDBOX_GENERATED_FIRST_ID + i);

      g_assert_nonnull (booking);
      g_assert_nonnull (pc_test_booking_date (booking, "session-date"));
      g_assert_true (g_str_has_prefix (pc_client_get_nickname (pc_booking_get_client (booking)),
                                       "caller_"));
      g_assert_true (pc_booking_equal (booking,
                                       pc_sandbox_lookup (b, PC_SANDBOX_GENERATED_FIRST_ID + i)));
    }

  pc_sandbox_load_generated (a, 0);
  g_assert_cmpuint (pc_sandbox_get_bookings (a)->len, ==, 0);
}

static void
test_demo_relative (void)
{
  g_autoptr(GDateTime) winter = pc_test_utc (2026, 1, 10, 23, 50, 12.5);
  g_autoptr(PcClock) clock = pc_clock_new_fixed (winter);
  g_autoptr(PcSandbox) sandbox = pc_sandbox_new (clock, NULL);
  g_autoptr(GTimeZone) zone = pc_json_get_default_zone ();
  GPtrArray *bookings;
  guint reinvitable = 0;

  pc_sandbox_load_demo (sandbox);
  bookings = pc_sandbox_get_bookings (sandbox);
  for (guint i = 0; i < bookings->len; i++)
    {
      PcBooking *booking = g_ptr_array_index (bookings, i);
      g_autoptr(GDateTime) session = g_date_time_to_timezone (pc_test_booking_date (booking, "session-date"),
                                                              zone);

      reinvitable += pc_booking_get_can_reinvite (booking);
      /* Sessions start on the quarter hour, London time. */
      g_assert_cmpint (g_date_time_get_minute (session) % 15, ==, 0);
      g_assert_cmpint (g_date_time_get_second (session), ==, 0);
    }
  g_assert_cmpuint (reinvitable, >=, 3);

  /* Loading again replaces rather than adds. */
  pc_sandbox_load_demo (sandbox);
  g_assert_cmpuint (pc_sandbox_get_bookings (sandbox)->len, ==, bookings->len);
}

/* Loading ------------------------------------------------------------------------------ */

static void
test_load_file (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autofree char *path = g_build_filename (TEST_DATA_DIR, "received-bookings-page.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(Reply) reply = NULL;
  g_autoptr(PcReceivedPage) page = NULL;
  PcBooking *booking;

  g_assert_true (pc_sandbox_load_file (fixture->sandbox, path, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pc_sandbox_get_bookings (fixture->sandbox)->len, ==, 4);
  g_assert_null (pc_sandbox_lookup (fixture->sandbox, 4817422));

  booking = pc_sandbox_lookup (fixture->sandbox, 4817263);
  g_assert_nonnull (booking);
  g_assert_cmpstr (pc_client_get_nickname (pc_booking_get_client (booking)), ==, "NightOwl_77");
  g_assert_true (pc_booking_get_clock (booking) == fixture->clock);

  reply = api_get (fixture, BASE_PATH "ReceivedBookings?OrderBy=sessiondate-asc");
  page = reply_page (fixture, reply);
  g_assert_cmpint (page->bookings_total, ==, 4);
  for (guint i = 1; i < page->bookings->len; i++)
    g_assert_cmpint (g_date_time_compare (
                       pc_test_booking_date (g_ptr_array_index (page->bookings, i - 1), "session-date"),
                       pc_test_booking_date (g_ptr_array_index (page->bookings, i), "session-date")),
                     <=, 0);

  /* The file's session (2025-06-14 21:30 London) has passed at the fixed now. */
  {
    g_autoptr(Reply) done = api_reinvite (fixture,
                                          "{\"BookingID\": 4817263, \"Reason\": \"Sorry\"}");

    assert_rejected (fixture, done, 4817263, "Sorry");
  }
}

static void
test_load_bare_array (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(GBytes) single = pc_test_load_data ("received-booking.json");
  g_autofree char *array_text = g_strdup_printf ("[%.*s]", (int) g_bytes_get_size (single),
                                                 (const char *) g_bytes_get_data (single, NULL));
  g_autoptr(GBytes) array = g_bytes_new (array_text, strlen (array_text));
  g_autoptr(GError) error = NULL;

  g_assert_true (pc_sandbox_load_bytes (fixture->sandbox, array, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pc_sandbox_get_bookings (fixture->sandbox)->len, ==, 1);
  g_assert_nonnull (pc_sandbox_lookup (fixture->sandbox, 4817263));
}

static void
test_load_errors (Fixture       *fixture,
                  gconstpointer  user_data)
{
  static const struct
  {
    const char  *text;
    gint         code;
  } cases[] = {
    { "<html>Oops</html>", PC_JSON_ERROR_NOT_JSON },
    { "{\"PageCount\": 1", PC_JSON_ERROR_SYNTAX },
    { "{\"x\": 1}", PC_JSON_ERROR_MISSING_MEMBER },
    { "[{\"BookingID\": \"1\"}]", PC_JSON_ERROR_WRONG_TYPE },
    { "42", PC_JSON_ERROR_NOT_OBJECT },
  };
  guint before = pc_sandbox_get_bookings (fixture->sandbox)->len;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (cases[i].text, strlen (cases[i].text));
      g_autoptr(GError) error = NULL;

      g_assert_false (pc_sandbox_load_bytes (fixture->sandbox, bytes, &error));
      g_assert_error (error, PC_JSON_ERROR, cases[i].code);
    }

  /* Two bookings with one id. */
  {
    g_autoptr(GBytes) single = pc_test_load_data ("received-booking.json");
    g_autofree char *text = g_strdup_printf ("[%.*s, %.*s]",
                                             (int) g_bytes_get_size (single),
                                             (const char *) g_bytes_get_data (single, NULL),
                                             (int) g_bytes_get_size (single),
                                             (const char *) g_bytes_get_data (single, NULL));
    g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
    g_autoptr(GError) error = NULL;

    g_assert_false (pc_sandbox_load_bytes (fixture->sandbox, bytes, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
    g_assert_nonnull (strstr (error->message, "4817263"));
  }

  /* A missing file and a bad file name themselves. */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *bad = g_build_filename (TEST_DATA_DIR, "received-booking.xml", NULL);

    g_assert_false (pc_sandbox_load_file (fixture->sandbox, "/nonexistent/bookings.json", &error));
    g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
    g_clear_error (&error);

    g_assert_false (pc_sandbox_load_file (fixture->sandbox, bad, &error));
    g_assert_error (error, PC_JSON_ERROR, PC_JSON_ERROR_NOT_JSON);
    g_assert_nonnull (strstr (error->message, "received-booking.xml"));
  }

  /* Nothing changed. */
  g_assert_cmpuint (pc_sandbox_get_bookings (fixture->sandbox)->len, ==, before);
}

static void
test_add_booking_replaces (Fixture       *fixture,
                           gconstpointer  user_data)
{
  PcBooking *original = pc_sandbox_lookup (fixture->sandbox, 4817263);
  g_autoptr(PcBooking) copy = pc_booking_copy (original);
  guint count = pc_sandbox_get_bookings (fixture->sandbox)->len;
  g_autoptr(Reply) reply = NULL;
  g_autoptr(PcBooking) sent = NULL;

  g_object_set (copy, "comments", "Changed", NULL);
  pc_sandbox_add_booking (fixture->sandbox, copy);
  g_assert_cmpuint (pc_sandbox_get_bookings (fixture->sandbox)->len, ==, count);
  g_assert_true (pc_sandbox_lookup (fixture->sandbox, 4817263) == copy);

  reply = api_get (fixture, BASE_PATH "ReceivedBookingDetails?BookingID=4817263");
  sent = reply_booking (fixture, reply);
  g_assert_cmpstr (pc_booking_get_comments (sent), ==, "Changed");

  pc_sandbox_remove_all (fixture->sandbox);
  g_assert_cmpuint (pc_sandbox_get_bookings (fixture->sandbox)->len, ==, 0);
  {
    g_autoptr(Reply) empty = api_get (fixture, BASE_PATH "ReceivedBookings");
    g_autoptr(PcReceivedPage) page = reply_page (fixture, empty);

    g_assert_cmpint (page->bookings_total, ==, 0);
    g_assert_cmpuint (page->bookings->len, ==, 0);
  }
}

/* POST /_sandbox/bookings */

static PcBooking *
reply_new_booking (Fixture *fixture,
                   Reply   *reply)
{
  return reply_booking_with_status (fixture, reply, SOUP_STATUS_CREATED);
}

/* Whether the first page of 100 lists @booking_id. */
static gboolean
list_has (Fixture *fixture,
          gint64   booking_id)
{
  g_autoptr(Reply) reply = api_get (fixture, BASE_PATH "ReceivedBookings?BookingsPerPage=100");
  g_autoptr(PcReceivedPage) page = reply_page (fixture, reply);

  for (guint i = 0; i < page->bookings->len; i++)
    if (pc_booking_get_booking_id (g_ptr_array_index (page->bookings, i)) == booking_id)
      return TRUE;

  return FALSE;
}

static void
test_new_booking_made_up (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(GDateTime) now = pc_clock_get_now (fixture->clock);
  guint before = pc_sandbox_get_bookings (fixture->sandbox)->len;
  g_autoptr(Reply) reply = request (fixture, "POST", "/_sandbox/bookings", NULL, NULL);
  g_autoptr(PcBooking) booking = reply_new_booking (fixture, reply);
  g_autoptr(Reply) second_reply = NULL;
  g_autoptr(PcBooking) second = NULL;
  gint64 id = pc_booking_get_booking_id (booking);
  PcBooking *held;

  /* A client just made it: pending, the session ahead, accept-by between. */
  g_assert_cmpint (pc_booking_get_status (booking), ==, PC_BOOKING_STATUS_PENDING);
  g_assert_cmpint (g_date_time_compare (pc_test_booking_date (booking, "session-date"), now), >, 0);
  g_assert_cmpint (g_date_time_compare (pc_test_booking_date (booking, "accept-by"), now), >, 0);
  g_assert_cmpint (g_date_time_compare (pc_test_booking_date (booking, "accept-by"),
                                        pc_test_booking_date (booking, "session-date")), <, 0);
  g_assert_cmpint (g_date_time_compare (pc_test_booking_date (booking, "create-date"), now), <=, 0);
  g_assert_cmpint (pc_booking_get_duration (booking), >, 0);
  g_assert_cmpstr (pc_client_get_nickname (pc_booking_get_client (booking)), !=, "");

  /* Held and listed at once. */
  g_assert_cmpuint (pc_sandbox_get_bookings (fixture->sandbox)->len, ==, before + 1);
  held = pc_sandbox_lookup (fixture->sandbox, id);
  g_assert_nonnull (held);
  g_assert_true (list_has (fixture, id));

  /* Another one has another id. */
  second_reply = request (fixture, "POST", "/_sandbox/bookings", NULL, NULL);
  second = reply_new_booking (fixture, second_reply);
  g_assert_cmpint (pc_booking_get_booking_id (second), !=, id);
  g_assert_true (list_has (fixture, pc_booking_get_booking_id (second)));
  /* Not an API request: not logged. */
  g_assert_cmpuint (pc_sandbox_count_requests (fixture->sandbox, "POST", NULL), ==, 0);
}

static void
test_new_booking_fields (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autoptr(Reply) reply = NULL;
  g_autoptr(PcBooking) booking = NULL;
  g_autoptr(GDateTime) session = NULL;
  g_autofree char *message = NULL;

  reply = request (fixture, "POST", "/_sandbox/bookings",
                   "{\"BookingID\": 123, \"Duration\": 10, "
                   "\"SessionDate\": \"2025-06-16T10:00:00\", "
                   "\"AcceptBy\": \"2025-06-16T09:00:00\", "
                   "\"Client\": {\"Nickname\": \"shy_sam\"}}", NULL);
  booking = reply_new_booking (fixture, reply);
  g_assert_cmpint (pc_booking_get_booking_id (booking), ==, 123);
  g_assert_cmpint (pc_booking_get_duration (booking), ==, 10);
  g_assert_cmpstr (pc_client_get_nickname (pc_booking_get_client (booking)), ==, "shy_sam");
  session = g_date_time_new (fixture->zone, 2025, 6, 16, 10, 0, 0);
  g_assert_true (g_date_time_equal (pc_test_booking_date (booking, "session-date"), session));
  g_assert_cmpint (pc_booking_get_status (pc_sandbox_lookup (fixture->sandbox, 123)), ==,
                   PC_BOOKING_STATUS_PENDING);
  g_assert_true (list_has (fixture, 123));

  /* The same id again is a conflict, and changes nothing. */
  g_clear_pointer (&reply, reply_free);
  reply = request (fixture, "POST", "/_sandbox/bookings",
                   "{\"BookingID\": 123, \"Client\": {\"Nickname\": \"other\"}}", NULL);
  message = assert_error_reply (reply, SOUP_STATUS_CONFLICT);
  g_assert_nonnull (strstr (message, "123"));
  g_clear_pointer (&message, g_free);
  g_assert_cmpstr (pc_client_get_nickname (pc_booking_get_client (pc_sandbox_lookup (fixture->sandbox, 123))),
                   ==, "shy_sam");

  /* What the API could not send is refused, by the strict parser's words. */
  g_clear_pointer (&reply, reply_free);
  reply = request (fixture, "POST", "/_sandbox/bookings", "{\"Duration\": \"ten\"}", NULL);
  message = assert_error_reply (reply, SOUP_STATUS_BAD_REQUEST);
  g_assert_nonnull (strstr (message, "Duration"));
  g_clear_pointer (&message, g_free);

  g_clear_pointer (&reply, reply_free);
  reply = request (fixture, "POST", "/_sandbox/bookings", "[1, 2]", NULL);
  g_free (assert_error_reply (reply, SOUP_STATUS_BAD_REQUEST));

  g_clear_pointer (&reply, reply_free);
  reply = request (fixture, "GET", "/_sandbox/bookings", NULL, NULL);
  g_free (assert_error_reply (reply, SOUP_STATUS_METHOD_NOT_ALLOWED));
  g_assert_cmpstr (reply->allow, ==, "POST");
}

static void
test_new_booking_timer (Fixture       *fixture,
                        gconstpointer  user_data)
{
  GPtrArray *bookings = pc_sandbox_get_bookings (fixture->sandbox);
  guint before = bookings->len;
  gint64 last_id;

  pc_sandbox_set_new_booking_interval (fixture->sandbox, 1);
  PC_TEST_WAIT_UNTIL (bookings->len >= before + 2);
  pc_sandbox_set_new_booking_interval (fixture->sandbox, 0);

  last_id = pc_booking_get_booking_id (g_ptr_array_index (bookings, bookings->len - 1));
  g_assert_cmpint (pc_booking_get_status (g_ptr_array_index (bookings, before)), ==,
                   PC_BOOKING_STATUS_PENDING);
  g_assert_true (list_has (fixture, last_id));
}

static void
test_listen_loopback_only (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autofree char *expected = g_strdup_printf ("http://127.0.0.1:%u",
                                               pc_sandbox_get_port (fixture->sandbox));

  g_assert_cmpuint (pc_sandbox_get_port (fixture->sandbox), >, 0);
  g_assert_cmpstr (pc_sandbox_get_url (fixture->sandbox), ==, expected);

  /* Stop, then listen again on another free port. */
  pc_sandbox_stop (fixture->sandbox);
  g_assert_null (pc_sandbox_get_url (fixture->sandbox));
  {
    g_autoptr(GError) error = NULL;

    g_assert_true (pc_sandbox_listen (fixture->sandbox, 0, &error));
    g_assert_no_error (error);
    g_assert_true (g_str_has_prefix (pc_sandbox_get_url (fixture->sandbox), "http://127.0.0.1:"));
  }
}

/* Unified Login (OAuth 2.0) ---------------------------------------------------------------- */

#define REDIRECT_URI "http://127.0.0.1:47613/callback"
/* RFC 7636, appendix B. */
#define VERIFIER  "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
#define CHALLENGE "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"

static char *
authorize_path (const char *client_id,
                const char *redirect_uri,
                const char *challenge)
{
  g_autofree char *query = NULL;

  query = soup_form_encode ("response_type", "code",
                            "client_id", client_id,
                            "redirect_uri", redirect_uri,
                            "scope", PC_OAUTH_SCOPE,
                            "state", "state-1234",
                            challenge != NULL ? "code_challenge" : NULL, challenge,
                            "code_challenge_method", "S256",
                            NULL);
  return g_strconcat ("/OAuth/Authorize?", query, NULL);
}

static Reply *
authorize (Fixture    *fixture,
           const char *redirect_uri)
{
  g_autofree char *path = authorize_path (PC_SANDBOX_CLIENT_ID, redirect_uri, CHALLENGE);

  return request (fixture, "GET", path, NULL, NULL);
}

/* The query of a redirect's Location, decoded. */
static GHashTable *
location_query (Reply *reply)
{
  g_autoptr(GUri) uri = NULL;

  g_assert_no_error (reply->error);
  g_assert_cmpuint (reply->status, ==, SOUP_STATUS_FOUND);
  g_assert_nonnull (reply->location);
  uri = g_uri_parse (reply->location, G_URI_FLAGS_ENCODED_QUERY, NULL);
  g_assert_nonnull (uri);
  g_assert_nonnull (g_uri_get_query (uri));
  return soup_form_decode (g_uri_get_query (uri));
}

/* A code for REDIRECT_URI and CHALLENGE. */
static char *
authorize_code (Fixture *fixture)
{
  g_autoptr(Reply) reply = authorize (fixture, REDIRECT_URI);
  g_autoptr(GHashTable) query = location_query (reply);

  g_assert_true (g_str_has_prefix (reply->location, REDIRECT_URI "?"));
  g_assert_cmpstr (g_hash_table_lookup (query, "state"), ==, "state-1234");
  g_assert_nonnull (g_hash_table_lookup (query, "code"));
  g_assert_cmpstr (g_hash_table_lookup (query, "code"), !=, "");
  return g_strdup (g_hash_table_lookup (query, "code"));
}

/* POSTs a form to /OAuth/token: name, value, …, NULL (a NULL value leaves it out). */
static Reply *
token_request (Fixture    *fixture,
               const char *first_name,
               ...)
{
  GString *form = g_string_new (NULL);
  g_autofree char *body = NULL;
  va_list args;

  va_start (args, first_name);
  for (const char *name = first_name; name != NULL; name = va_arg (args, const char *))
    {
      const char *value = va_arg (args, const char *);

      if (value == NULL)
        continue;
      if (form->len > 0)
        g_string_append_c (form, '&');
      g_string_append_uri_escaped (form, name, NULL, FALSE);
      g_string_append_c (form, '=');
      g_string_append_uri_escaped (form, value, NULL, FALSE);
    }
  va_end (args);

  body = g_string_free (form, FALSE);
  return request_with_type (fixture, "POST", "/OAuth/token", "application/x-www-form-urlencoded",
                            body, NULL);
}

static Reply *
exchange_code (Fixture    *fixture,
               const char *code,
               const char *redirect_uri,
               const char *verifier)
{
  return token_request (fixture,
                        "grant_type", "authorization_code",
                        "client_id", PC_SANDBOX_CLIENT_ID,
                        "client_secret", PC_SANDBOX_CLIENT_SECRET,
                        "code", code,
                        "redirect_uri", redirect_uri,
                        "code_verifier", verifier,
                        NULL);
}

static Reply *
refresh (Fixture    *fixture,
         const char *refresh_token)
{
  return token_request (fixture,
                        "grant_type", "refresh_token",
                        "client_id", PC_SANDBOX_CLIENT_ID,
                        "client_secret", PC_SANDBOX_CLIENT_SECRET,
                        "refresh_token", refresh_token,
                        NULL);
}

static void
assert_oauth_error (Reply      *reply,
                    guint       status,
                    const char *code)
{
  g_autoptr(JsonNode) root = reply_json (reply);

  g_assert_cmpuint (reply->status, ==, status);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "error"), ==,
                   code);
}

/* Checks a token answer; returns its access token and stores its refresh token. */
static char *
assert_tokens (Reply  *reply,
               gint64  expires_in,
               char  **refresh_token)
{
  g_autoptr(JsonNode) root = reply_json (reply);
  JsonObject *object;

  g_assert_cmpuint (reply->status, ==, SOUP_STATUS_OK);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  object = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (object, "token_type"), ==, "bearer");
  g_assert_cmpint (json_object_get_int_member (object, "expires_in"), ==, expires_in);
  if (refresh_token != NULL)
    *refresh_token = g_strdup (json_object_get_string_member (object, "refresh_token"));
  return g_strdup (json_object_get_string_member (object, "access_token"));
}

static guint
verify_with (Fixture    *fixture,
             const char *access_token)
{
  g_autofree char *authorization = g_strconcat ("bearer ", access_token, NULL);
  g_autoptr(Reply) reply = request (fixture, "GET", "/v1/account/verifyCredentials", NULL,
                                    authorization);

  g_assert_no_error (reply->error);
  return reply->status;
}

static void
test_oauth_authorize (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autofree char *code = authorize_code (fixture);
  g_autofree char *other = authorize_code (fixture);

  /* Every sign-in gets its own code; the OAuth endpoints need no bearer token. */
  g_assert_cmpstr (code, !=, other);
  g_assert_cmpuint (pc_sandbox_count_requests (fixture->sandbox, "GET", "/OAuth/Authorize"), ==, 2);

  /* The user cancels at the login page: the reference's redirect. */
  pc_sandbox_set_authorize_cancels (fixture->sandbox, TRUE);
  {
    g_autoptr(Reply) reply = authorize (fixture, REDIRECT_URI);
    g_autoptr(GHashTable) query = location_query (reply);

    g_assert_cmpstr (g_hash_table_lookup (query, "code"), ==, "");
    g_assert_cmpstr (g_hash_table_lookup (query, "status"), ==, "cancelled");
    g_assert_cmpstr (g_hash_table_lookup (query, "state"), ==, "state-1234");
  }

  /* A response type other than code goes back with an error. */
  pc_sandbox_set_authorize_cancels (fixture->sandbox, FALSE);
  {
    g_autoptr(Reply) reply = request (fixture, "GET",
                                      "/OAuth/Authorize?response_type=token&client_id="
                                      PC_SANDBOX_CLIENT_ID "&redirect_uri="
                                      "http%3A%2F%2F127.0.0.1%3A5%2Fcb&state=s",
                                      NULL, NULL);
    g_autoptr(GHashTable) query = location_query (reply);

    g_assert_cmpstr (g_hash_table_lookup (query, "error"), ==, "unsupported_response_type");
    g_assert_cmpstr (g_hash_table_lookup (query, "state"), ==, "s");
  }
}

static void
test_oauth_redirect_loopback (Fixture       *fixture,
                              gconstpointer  user_data)
{
  static const char * const refused[] = {
    "https://example.com/callback",
    "http://example.com/callback",
    "http://192.168.1.2:47613/callback",
    "http://127.0.0.1:47613/callback#fragment",
    "http://user@127.0.0.1:47613/callback",
    "phonechat://callback",
    "",
  };
  static const char * const accepted[] = {
    "http://127.0.0.1:47613/callback",
    "http://127.0.0.1/callback",
    "http://localhost:1234/cb",
    "http://[::1]:1234/cb",
    "http://127.0.0.1:1234/cb?from=phonechat",
  };

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(Reply) reply = authorize (fixture, refused[i]);

      g_test_message ("redirect_uri %s", refused[i]);
      assert_oauth_error (reply, SOUP_STATUS_BAD_REQUEST, "invalid_request");
      g_assert_null (reply->location);
    }

  for (guint i = 0; i < G_N_ELEMENTS (accepted); i++)
    {
      g_autoptr(Reply) reply = authorize (fixture, accepted[i]);
      g_autoptr(GHashTable) query = location_query (reply);

      g_test_message ("redirect_uri %s", accepted[i]);
      g_assert_true (g_str_has_prefix (reply->location, accepted[i]));
      g_assert_nonnull (g_hash_table_lookup (query, "code"));
    }

  /* An unknown client is not sent anywhere either. */
  {
    g_autofree char *path = authorize_path ("someone-else", REDIRECT_URI, CHALLENGE);
    g_autoptr(Reply) reply = request (fixture, "GET", path, NULL, NULL);

    assert_oauth_error (reply, SOUP_STATUS_BAD_REQUEST, "invalid_request");
    g_assert_null (reply->location);
  }
}

static void
test_oauth_code_single_use (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autofree char *code = authorize_code (fixture);
  g_autofree char *access_token = NULL;

  {
    g_autoptr(Reply) reply = exchange_code (fixture, code, REDIRECT_URI, VERIFIER);

    access_token = assert_tokens (reply, 3600, NULL);
  }

  /* The same code again: refused, though everything else is right. */
  {
    g_autoptr(Reply) reply = exchange_code (fixture, code, REDIRECT_URI, VERIFIER);

    assert_oauth_error (reply, SOUP_STATUS_BAD_REQUEST, "invalid_grant");
  }

  /* The token it gave works on the API, like the fixed one. */
  g_assert_cmpuint (verify_with (fixture, access_token), ==, SOUP_STATUS_OK);
  g_assert_cmpuint (verify_with (fixture, TOKEN), ==, SOUP_STATUS_OK);
  g_assert_cmpuint (verify_with (fixture, "sandbox-access-made-up"), ==, SOUP_STATUS_UNAUTHORIZED);
}

static void
test_oauth_token_checks (Fixture       *fixture,
                         gconstpointer  user_data)
{
  /* Each failed attempt uses its code up. */
  {
    g_autofree char *code = authorize_code (fixture);
    g_autoptr(Reply) reply = exchange_code (fixture, code, "http://127.0.0.1:1/other", VERIFIER);

    assert_oauth_error (reply, SOUP_STATUS_BAD_REQUEST, "invalid_grant");
  }
  {
    g_autofree char *code = authorize_code (fixture);
    g_autoptr(Reply) reply = exchange_code (fixture, code, REDIRECT_URI,
                                            "a-wrong-verifier-that-is-long-enough-to-be-one-1234");

    assert_oauth_error (reply, SOUP_STATUS_BAD_REQUEST, "invalid_grant");
  }
  {
    g_autofree char *code = authorize_code (fixture);
    g_autoptr(Reply) reply = exchange_code (fixture, code, REDIRECT_URI, NULL);

    assert_oauth_error (reply, SOUP_STATUS_BAD_REQUEST, "invalid_grant");
  }
  {
    g_autofree char *code = authorize_code (fixture);
    g_autoptr(Reply) reply = token_request (fixture,
                                            "grant_type", "authorization_code",
                                            "client_id", PC_SANDBOX_CLIENT_ID,
                                            "client_secret", "not-the-secret",
                                            "code", code,
                                            "redirect_uri", REDIRECT_URI,
                                            "code_verifier", VERIFIER,
                                            NULL);

    assert_oauth_error (reply, SOUP_STATUS_UNAUTHORIZED, "invalid_client");
  }
  {
    g_autofree char *code = authorize_code (fixture);
    g_autoptr(Reply) reply = token_request (fixture,
                                            "grant_type", "authorization_code",
                                            "client_id", "someone-else",
                                            "code", code,
                                            "redirect_uri", REDIRECT_URI,
                                            "code_verifier", VERIFIER,
                                            NULL);

    assert_oauth_error (reply, SOUP_STATUS_UNAUTHORIZED, "invalid_client");
  }

  /* A public client (no secret) with PKCE is fine. */
  {
    g_autofree char *code = authorize_code (fixture);
    g_autoptr(Reply) reply = token_request (fixture,
                                            "grant_type", "authorization_code",
                                            "client_id", PC_SANDBOX_CLIENT_ID,
                                            "code", code,
                                            "redirect_uri", REDIRECT_URI,
                                            "code_verifier", VERIFIER,
                                            NULL);
    g_autofree char *access_token = assert_tokens (reply, 3600, NULL);

    g_assert_nonnull (access_token);
  }

  {
    g_autoptr(Reply) reply = token_request (fixture,
                                            "grant_type", "password",
                                            "client_id", PC_SANDBOX_CLIENT_ID,
                                            NULL);

    assert_oauth_error (reply, SOUP_STATUS_BAD_REQUEST, "unsupported_grant_type");
  }
  {
    g_autoptr(Reply) reply = request (fixture, "POST", "/OAuth/token",
                                      "{\"grant_type\": \"refresh_token\"}", NULL);

    assert_oauth_error (reply, SOUP_STATUS_BAD_REQUEST, "invalid_request");
  }
}

static void
test_oauth_refresh (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autofree char *code = authorize_code (fixture);
  g_autofree char *refresh_1 = NULL;
  g_autofree char *refresh_2 = NULL;
  g_autofree char *access_1 = NULL;
  g_autofree char *access_2 = NULL;
  g_autoptr(GDateTime) later = NULL;

  pc_sandbox_set_token_lifetimes (fixture->sandbox, 60, 600);
  {
    g_autoptr(Reply) reply = exchange_code (fixture, code, REDIRECT_URI, VERIFIER);

    access_1 = assert_tokens (reply, 60, &refresh_1);
  }

  /* Rotation: a new pair; the old refresh token stops working. */
  {
    g_autoptr(Reply) reply = refresh (fixture, refresh_1);

    access_2 = assert_tokens (reply, 60, &refresh_2);
    g_assert_cmpstr (access_2, !=, access_1);
    g_assert_cmpstr (refresh_2, !=, refresh_1);
  }
  {
    g_autoptr(Reply) reply = refresh (fixture, refresh_1);

    assert_oauth_error (reply, SOUP_STATUS_BAD_REQUEST, "invalid_grant");
  }
  g_assert_cmpuint (verify_with (fixture, access_2), ==, SOUP_STATUS_OK);

  /* Access tokens expire by the sandbox's clock; the fixed token does not. */
  later = pc_test_utc (2025, 6, 15, 12, 1, 0);
  pc_clock_set_now (fixture->clock, later);
  g_assert_cmpuint (verify_with (fixture, access_2), ==, SOUP_STATUS_UNAUTHORIZED);
  g_assert_cmpuint (verify_with (fixture, TOKEN), ==, SOUP_STATUS_OK);

  /* So do refresh tokens: the reference's answer, then the token is gone. */
  g_clear_pointer (&later, g_date_time_unref);
  later = pc_test_utc (2025, 6, 15, 12, 10, 0);
  pc_clock_set_now (fixture->clock, later);
  {
    g_autoptr(Reply) reply = refresh (fixture, refresh_2);

    assert_oauth_error (reply, SOUP_STATUS_UNAUTHORIZED, "refresh_token_has_expired");
  }
}

static void
test_oauth_expire_tokens (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autofree char *code = authorize_code (fixture);
  g_autofree char *refresh_token = NULL;
  g_autofree char *access_token = NULL;

  {
    g_autoptr(Reply) reply = exchange_code (fixture, code, REDIRECT_URI, VERIFIER);

    access_token = assert_tokens (reply, 3600, &refresh_token);
  }
  g_assert_cmpuint (verify_with (fixture, access_token), ==, SOUP_STATUS_OK);

  pc_sandbox_expire_tokens (fixture->sandbox);
  g_assert_cmpuint (verify_with (fixture, access_token), ==, SOUP_STATUS_UNAUTHORIZED);
  g_assert_cmpuint (verify_with (fixture, TOKEN), ==, SOUP_STATUS_OK);
  {
    g_autoptr(Reply) reply = refresh (fixture, refresh_token);

    assert_oauth_error (reply, SOUP_STATUS_UNAUTHORIZED, "refresh_token_has_expired");
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  pc_test_init_logging ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/sandbox/auth/missing", test_auth_missing);
  ADD ("/sandbox/auth/wrong", test_auth_wrong);
  ADD ("/sandbox/auth/scheme-case", test_auth_scheme_case);
  g_test_add_func ("/sandbox/auth/custom-token", test_auth_custom_token);
  ADD ("/sandbox/verify-credentials", test_verify_credentials);
  ADD ("/sandbox/routing/unknown-path", test_routing_unknown_path);
  ADD ("/sandbox/routing/wrong-method", test_routing_wrong_method);
  ADD ("/sandbox/routing/case-insensitive", test_routing_case_insensitive);
  ADD ("/sandbox/routing/loopback-only", test_listen_loopback_only);
  ADD ("/sandbox/list/default", test_list_default);
  ADD ("/sandbox/list/paging", test_list_paging);
  ADD ("/sandbox/list/order", test_list_order);
  ADD ("/sandbox/list/paging-orders", test_list_paging_orders);
  ADD ("/sandbox/list/sorted-once", test_list_sorted_once);
  ADD ("/sandbox/list/follows-changes", test_list_follows_changes);
  ADD ("/sandbox/list/start-date", test_list_start_date);
  ADD ("/sandbox/list/bad-parameters", test_list_bad_parameters);
  ADD ("/sandbox/details/found", test_details_found);
  ADD ("/sandbox/details/not-found", test_details_not_found);
  ADD ("/sandbox/details/bad-id", test_details_bad_id);
  ADD ("/sandbox/reinvite/default-reason", test_reinvite_default_reason);
  ADD ("/sandbox/reinvite/given-reason", test_reinvite_given_reason);
  ADD ("/sandbox/reinvite/not-pending", test_reinvite_not_pending);
  ADD ("/sandbox/reinvite/future-session", test_reinvite_future_session);
  ADD ("/sandbox/reinvite/unknown-id", test_reinvite_unknown);
  ADD ("/sandbox/reinvite/bad-body", test_reinvite_bad_body);
  ADD ("/sandbox/accept/pending", test_accept);
  ADD ("/sandbox/accept/rules", test_accept_rules);
  ADD ("/sandbox/reject/rules", test_reject);
  ADD ("/sandbox/cancel/rules", test_cancel);
  ADD ("/sandbox/delete/results", test_delete);
  ADD ("/sandbox/delete/bad-body", test_delete_bad_body);
  ADD ("/sandbox/inferred/absent", test_inferred_absent);
  ADD ("/sandbox/requests/log", test_requests_log);
  ADD ("/sandbox/fault/latency", test_fault_latency);
  ADD ("/sandbox/fault/latency-control", test_fault_latency_control);
  ADD ("/sandbox/fault/status", test_fault_status);
  ADD ("/sandbox/fault/truncate", test_fault_truncate);
  ADD ("/sandbox/fault/truncate-raw", test_fault_truncate_raw);
  ADD ("/sandbox/fault/drop", test_fault_drop);
  ADD ("/sandbox/fault/limit", test_fault_limit);
  ADD ("/sandbox/fault/http-control", test_fault_http_control);
  ADD ("/sandbox/fault/http-control-more", test_fault_http_control_more);
  ADD ("/sandbox/fault/http-control-invalid", test_fault_http_control_invalid);
  g_test_add_func ("/sandbox/fault/stop-while-pending", test_fault_stop_while_pending);
  ADD ("/sandbox/demo/shape", test_demo_shape);
  g_test_add_func ("/sandbox/demo/relative", test_demo_relative);
  g_test_add_func ("/sandbox/generated", test_generated);
  ADD ("/sandbox/load/file", test_load_file);
  ADD ("/sandbox/load/bare-array", test_load_bare_array);
  ADD ("/sandbox/load/errors", test_load_errors);
  ADD ("/sandbox/load/add-replaces", test_add_booking_replaces);
  ADD ("/sandbox/new-booking/made-up", test_new_booking_made_up);
  ADD ("/sandbox/new-booking/fields", test_new_booking_fields);
  ADD ("/sandbox/new-booking/timer", test_new_booking_timer);
  ADD ("/sandbox/oauth/authorize", test_oauth_authorize);
  ADD ("/sandbox/oauth/redirect-loopback", test_oauth_redirect_loopback);
  ADD ("/sandbox/oauth/code-single-use", test_oauth_code_single_use);
  ADD ("/sandbox/oauth/token-checks", test_oauth_token_checks);
  ADD ("/sandbox/oauth/refresh", test_oauth_refresh);
  ADD ("/sandbox/oauth/expire-tokens", test_oauth_expire_tokens);

#undef ADD

  return g_test_run ();
}
