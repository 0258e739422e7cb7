/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "pc-api.h"
#include "pc-booking.h"
#include "pc-booking-loader.h"
#include "pc-booking-store.h"
#include "pc-client.h"
#include "pc-clock.h"
#include "pc-enums.h"
#include "pc-json.h"
#include "pc-sandbox.h"
#include "pc-watcher.h"
#include "test-utils.h"

/* PcWatcher against the real sandbox on loopback. The schedule is checked by the delay
 * it chooses (PcWatcher:next-delay), never by waiting for it: the base interval is long,
 * and the tests ask for each read with pc_watcher_read_now(). The network is a
 * GNetworkMonitor whose availability the tests set (TestNetwork below). */

#define LIST_PATH "/v1/PhoneChat/ReceivedBookings"
#define BASE 10
#define MAX_DELAY 80

/* A GNetworkMonitor that says what the test tells it to, as GLib's monitors say what the
 * system does: "network-changed" and notify::network-available on each change. */
#define TEST_TYPE_NETWORK (test_network_get_type ())
G_DECLARE_FINAL_TYPE (TestNetwork, test_network, TEST, NETWORK, GObject)

struct _TestNetwork
{
  GObject  parent_instance;
  gboolean available;
};

enum {
  PROP_NETWORK_AVAILABLE = 1,
  PROP_NETWORK_METERED,
  PROP_CONNECTIVITY,
};

static void test_network_initable_iface_init (GInitableIface *iface);
static void test_network_monitor_iface_init (GNetworkMonitorInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestNetwork, test_network, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      test_network_initable_iface_init)
                               G_IMPLEMENT_INTERFACE (G_TYPE_NETWORK_MONITOR,
                                                      test_network_monitor_iface_init))

static gboolean
test_network_initable_init (GInitable     *initable,
                            GCancellable  *cancellable,
                            GError       **error)
{
  return TRUE;
}

static void
test_network_initable_iface_init (GInitableIface *iface)
{
  iface->init = test_network_initable_init;
}

static gboolean
test_network_can_reach (GNetworkMonitor     *monitor,
                        GSocketConnectable  *connectable,
                        GCancellable        *cancellable,
                        GError             **error)
{
  if (TEST_NETWORK (monitor)->available)
    return TRUE;

  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE, "Network down");
  return FALSE;
}

static void
test_network_monitor_iface_init (GNetworkMonitorInterface *iface)
{
  iface->can_reach = test_network_can_reach;
}

static void
test_network_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  TestNetwork *self = TEST_NETWORK (object);

  switch (prop_id)
    {
    case PROP_NETWORK_AVAILABLE:
      g_value_set_boolean (value, self->available);
      break;
    case PROP_NETWORK_METERED:
      g_value_set_boolean (value, FALSE);
      break;
    case PROP_CONNECTIVITY:
      g_value_set_enum (value, self->available ? G_NETWORK_CONNECTIVITY_FULL
                                               : G_NETWORK_CONNECTIVITY_LOCAL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
test_network_class_init (TestNetworkClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = test_network_get_property;
  g_object_class_override_property (object_class, PROP_NETWORK_AVAILABLE, "network-available");
  g_object_class_override_property (object_class, PROP_NETWORK_METERED, "network-metered");
  g_object_class_override_property (object_class, PROP_CONNECTIVITY, "connectivity");
}

static void
test_network_init (TestNetwork *self)
{
  self->available = TRUE;
}

static void
test_network_set_available (TestNetwork *self,
                            gboolean     available)
{
  if (self->available == available)
    return;

  self->available = available;
  g_object_notify (G_OBJECT (self), "network-available");
  g_signal_emit_by_name (self, "network-changed", available);
}

typedef struct
{
  PcClock         *clock;
  PcSandbox       *sandbox;
  SoupSession     *session;
  PcApi           *api;
  PcBookingStore  *store;
  PcBookingLoader *loader;
  GNetworkMonitor *monitor;
  PcWatcher       *watcher;

  guint            n_reads;
  GError          *last_error;
  GPtrArray       *added;     /* PcBooking */
  GArray          *changes;   /* Change */
  GArray          *removed;   /* gint64 */
} Fixture;

typedef struct
{
  gint64          booking_id;
  PcBookingStatus old_status;
  PcBookingStatus new_status;
} Change;

static void
read_finished_cb (PcWatcher    *watcher,
                  const GError *error,
                  Fixture      *f)
{
  f->n_reads++;
  g_clear_error (&f->last_error);
  if (error != NULL)
    f->last_error = g_error_copy (error);
}

static void
booking_added_cb (PcWatcher *watcher,
                  PcBooking *booking,
                  Fixture   *f)
{
  g_ptr_array_add (f->added, g_object_ref (booking));
}

static void
booking_changed_cb (PcWatcher       *watcher,
                    PcBooking       *booking,
                    PcBookingStatus  old_status,
                    PcBookingStatus  new_status,
                    Fixture         *f)
{
  Change change = { pc_booking_get_booking_id (booking), old_status, new_status };

  g_array_append_val (f->changes, change);
}

static void
booking_removed_cb (PcWatcher *watcher,
                    gint64     booking_id,
                    Fixture   *f)
{
  g_array_append_val (f->removed, booking_id);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  user_data)
{
  g_autoptr(GDateTime) now = pc_test_utc (2026, 11, 27, 8, 0, 0);
  g_autoptr(GError) error = NULL;

  f->clock = pc_clock_new_fixed (now);
  f->sandbox = pc_sandbox_new (f->clock, NULL);
  pc_sandbox_load_demo (f->sandbox);
  pc_sandbox_listen (f->sandbox, 0, &error);
  g_assert_no_error (error);

  f->session = pc_api_new_session ();
  f->api = pc_api_new (f->session, pc_sandbox_get_url (f->sandbox), &error);
  g_assert_no_error (error);
  pc_api_set_token (f->api, PC_SANDBOX_DEFAULT_TOKEN);

  f->store = pc_booking_store_new (f->clock);
  f->loader = pc_booking_loader_new (f->api, f->store);
  f->monitor = g_object_new (TEST_TYPE_NETWORK, NULL);
  g_assert_true (g_network_monitor_get_network_available (f->monitor));
  f->watcher = pc_watcher_new (f->loader, f->monitor);
  pc_watcher_set_base_interval (f->watcher, BASE);
  pc_watcher_set_max_interval (f->watcher, MAX_DELAY);

  f->added = g_ptr_array_new_with_free_func (g_object_unref);
  f->changes = g_array_new (FALSE, FALSE, sizeof (Change));
  f->removed = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_signal_connect (f->watcher, "read-finished", G_CALLBACK (read_finished_cb), f);
  g_signal_connect (f->watcher, "booking-added", G_CALLBACK (booking_added_cb), f);
  g_signal_connect (f->watcher, "booking-changed", G_CALLBACK (booking_changed_cb), f);
  g_signal_connect (f->watcher, "booking-removed", G_CALLBACK (booking_removed_cb), f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  user_data)
{
  pc_watcher_stop (f->watcher);
  g_assert_finalize_object (f->watcher);
  g_clear_object (&f->loader);
  g_clear_object (&f->store);
  g_clear_object (&f->api);
  g_clear_object (&f->session);
  g_clear_object (&f->monitor);
  pc_test_drain_main_context ();
  pc_sandbox_stop (f->sandbox);
  g_clear_object (&f->sandbox);
  g_clear_object (&f->clock);
  g_clear_error (&f->last_error);
  g_clear_pointer (&f->added, g_ptr_array_unref);
  g_clear_pointer (&f->changes, g_array_unref);
  g_clear_pointer (&f->removed, g_array_unref);
}

/* Waits for the read under way to end. */
static void
wait_read (Fixture *f)
{
  guint before = f->n_reads;

  PC_TEST_WAIT_UNTIL (f->n_reads > before);
}

static void
read_now (Fixture *f)
{
  pc_watcher_read_now (f->watcher);
  g_assert_true (pc_booking_loader_get_loading (f->loader));
  wait_read (f);
}

/* Starts, and waits for the first read: the baseline. */
static void
start (Fixture *f)
{
  pc_watcher_start (f->watcher);
  g_assert_true (pc_watcher_get_active (f->watcher));
  g_assert_true (pc_booking_loader_get_loading (f->loader));
  wait_read (f);
  g_assert_no_error (f->last_error);
  g_assert_cmpuint (f->added->len, ==, 0);
  g_assert_cmpuint (pc_watcher_get_next_delay (f->watcher), ==, BASE);
}

static void
set_network (Fixture  *f,
             gboolean  up)
{
  test_network_set_available (TEST_NETWORK (f->monitor), up);
  g_assert_true (pc_watcher_get_online (f->watcher) == up);
}

/* Reads in a row that find nothing new back off: twice as long each time, up to the
 * cap. */
static void
test_backoff (Fixture       *f,
              gconstpointer  user_data)
{
  static const guint expected[] = { 2 * BASE, 4 * BASE, MAX_DELAY, MAX_DELAY, MAX_DELAY };

  start (f);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      read_now (f);
      g_assert_no_error (f->last_error);
      g_assert_cmpuint (pc_watcher_get_next_delay (f->watcher), ==, expected[i]);
    }

  g_assert_cmpuint (f->added->len, ==, 0);
  g_assert_cmpuint (f->changes->len, ==, 0);
  g_assert_cmpuint (f->removed->len, ==, 0);
  g_assert_cmpuint (pc_sandbox_count_requests (f->sandbox, "GET", LIST_PATH), ==, 6);
}

/* A change brings the schedule back to the base interval. */
static void
test_reset_on_change (Fixture       *f,
                      gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  PcBooking *booking;

  start (f);
  read_now (f);
  read_now (f);
  g_assert_cmpuint (pc_watcher_get_next_delay (f->watcher), ==, 4 * BASE);

  booking = pc_sandbox_new_booking (f->sandbox, NULL, &error);
  g_assert_no_error (error);
  read_now (f);
  g_assert_cmpuint (f->added->len, ==, 1);
  g_assert_cmpint (pc_booking_get_booking_id (g_ptr_array_index (f->added, 0)), ==,
                   pc_booking_get_booking_id (booking));
  g_assert_cmpuint (pc_watcher_get_next_delay (f->watcher), ==, BASE);

  /* Then quiet again. */
  read_now (f);
  g_assert_cmpuint (pc_watcher_get_next_delay (f->watcher), ==, 2 * BASE);
}

/* A booking the server updated without a new status (here its comments) is a change for
 * the schedule too, though nothing is announced: the account is active. */
static void
test_reset_on_update (Fixture       *f,
                      gconstpointer  user_data)
{
  PcBooking *booking;
  g_autoptr(GDateTime) last = NULL;
  g_autoptr(GDateTime) updated = NULL;

  start (f);
  read_now (f);
  read_now (f);
  g_assert_cmpuint (pc_watcher_get_next_delay (f->watcher), ==, 4 * BASE);

  booking = pc_sandbox_lookup (f->sandbox, 4817422);
  last = pc_booking_dup_last_updated (booking);
  g_assert_nonnull (last);
  updated = g_date_time_add_minutes (last, 5);
  g_object_set (booking, "comments", "Can we make it ten minutes later?",
                "last-updated", updated, NULL);
  read_now (f);
  g_assert_cmpuint (f->added->len, ==, 0);
  g_assert_cmpuint (f->changes->len, ==, 0);
  g_assert_cmpuint (f->removed->len, ==, 0);
  g_assert_cmpuint (pc_watcher_get_next_delay (f->watcher), ==, BASE);

  /* Read again unchanged: quiet. */
  read_now (f);
  g_assert_cmpuint (pc_watcher_get_next_delay (f->watcher), ==, 2 * BASE);
}

/* Failures back off like quiet reads. */
static void
test_error_backoff (Fixture       *f,
                    gconstpointer  user_data)
{
  start (f);
  pc_sandbox_set_path_status (f->sandbox, LIST_PATH, SOUP_STATUS_INTERNAL_SERVER_ERROR);
  read_now (f);
  g_assert_error (f->last_error, PC_API_ERROR, PC_API_ERROR_SERVER);
  g_assert_cmpuint (pc_watcher_get_next_delay (f->watcher), ==, 2 * BASE);
  read_now (f);
  g_assert_error (f->last_error, PC_API_ERROR, PC_API_ERROR_SERVER);
  g_assert_cmpuint (pc_watcher_get_next_delay (f->watcher), ==, 4 * BASE);

  /* The server is back and something changed meanwhile: the base again. */
  pc_sandbox_clear_faults (f->sandbox);
  g_object_set (pc_sandbox_lookup (f->sandbox, 4817422), "status-text", "Accepted", NULL);
  read_now (f);
  g_assert_no_error (f->last_error);
  g_assert_cmpuint (f->changes->len, ==, 1);
  g_assert_cmpuint (pc_watcher_get_next_delay (f->watcher), ==, BASE);
}

/* 429 and 503 with Retry-After: not asked again before that; the back-off when it is
 * longer. */
static void
test_retry_after (Fixture       *f,
                  gconstpointer  user_data)
{
  start (f);

  /* 429 without Retry-After: a minute at least. */
  pc_sandbox_set_path_status_full (f->sandbox, LIST_PATH, 429, 0);
  read_now (f);
  g_assert_error (f->last_error, PC_API_ERROR, PC_API_ERROR_RATE_LIMITED);
  g_assert_cmpuint (pc_api_error_get_retry_after (f->last_error), ==, 0);
  g_assert_cmpuint (pc_watcher_get_next_delay (f->watcher), ==, PC_WATCHER_RATE_LIMITED_DELAY);

  pc_sandbox_set_path_status_full (f->sandbox, LIST_PATH, 429, 300);
  read_now (f);
  g_assert_error (f->last_error, PC_API_ERROR, PC_API_ERROR_RATE_LIMITED);
  g_assert_cmpuint (pc_api_error_get_retry_after (f->last_error), ==, 300);
  g_assert_cmpuint (pc_watcher_get_next_delay (f->watcher), ==, 300);

  /* Shorter than the back-off (now at the cap): the back-off. */
  pc_sandbox_set_path_status_full (f->sandbox, LIST_PATH, 429, 5);
  read_now (f);
  g_assert_cmpuint (pc_api_error_get_retry_after (f->last_error), ==, 5);
  g_assert_cmpuint (pc_watcher_get_next_delay (f->watcher), ==, MAX_DELAY);

  /* 503 with Retry-After, over the cap: honoured all the same. */
  pc_sandbox_set_path_status_full (f->sandbox, LIST_PATH, SOUP_STATUS_SERVICE_UNAVAILABLE, 600);
  read_now (f);
  g_assert_error (f->last_error, PC_API_ERROR, PC_API_ERROR_SERVER);
  g_assert_cmpuint (pc_watcher_get_next_delay (f->watcher), ==, 600);

  /* A 500's Retry-After means nothing. */
  pc_sandbox_set_path_status_full (f->sandbox, LIST_PATH, SOUP_STATUS_INTERNAL_SERVER_ERROR, 600);
  read_now (f);
  g_assert_cmpuint (pc_api_error_get_retry_after (f->last_error), ==, 0);
  g_assert_cmpuint (pc_watcher_get_next_delay (f->watcher), ==, MAX_DELAY);
}

/* Retry-After as an HTTP date, counted from the answer's own Date (here years from this
 * computer's clock): a SoupServer of the test's own answers 429 with both. */
static void
http_date_cb (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  const char *retry_after = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  static const char body[] = "{\"Message\": \"Slow down.\"}";

  soup_message_headers_replace (headers, "Date", "Sun, 06 Nov 2016 08:49:37 GMT");
  soup_message_headers_replace (headers, "Retry-After", retry_after);
  soup_server_message_set_status (msg, 429, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, body,
                                    sizeof body - 1);
}

static void
test_retry_after_http_date (void)
{
  static const struct {
    const char *retry_after;
    guint       seconds;
    guint       delay;
  } cases[] = {
    { "Sun, 06 Nov 2016 08:51:37 GMT", 120, 120 },
    { "Sunday, 06-Nov-16 08:59:37 GMT", 600, 600 },  /* RFC 850, obsolete but allowed */
    { "Sun, 06 Nov 2016 08:49:00 GMT", 0, PC_WATCHER_RATE_LIMITED_DELAY }, /* passed */
    { "soon", 0, PC_WATCHER_RATE_LIMITED_DELAY },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
      g_autoptr(GDateTime) now = pc_test_utc (2026, 11, 27, 8, 0, 0);
      g_autoptr(PcClock) clock = pc_clock_new_fixed (now);
      g_autoptr(SoupSession) session = pc_api_new_session ();
      g_autoptr(PcBookingStore) store = pc_booking_store_new (clock);
      g_autoptr(PcBookingLoader) loader = NULL;
      g_autoptr(PcWatcher) watcher = NULL;
      g_autoptr(PcApi) api = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GSList) uris = NULL;
      g_autofree char *url = NULL;
      Fixture f = { 0, };

      g_test_message ("Retry-After: %s", cases[i].retry_after);
      soup_server_add_handler (server, "/v1/PhoneChat/ReceivedBookings", http_date_cb,
                               (gpointer) cases[i].retry_after, NULL);
      soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
      g_assert_no_error (error);
      uris = soup_server_get_uris (server);
      url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
      g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);

      api = pc_api_new (session, url, &error);
      g_assert_no_error (error);
      pc_api_set_token (api, PC_SANDBOX_DEFAULT_TOKEN);
      loader = pc_booking_loader_new (api, store);
      watcher = pc_watcher_new (loader, NULL);
      pc_watcher_set_base_interval (watcher, 1);
      pc_watcher_set_max_interval (watcher, 1);
      g_signal_connect (watcher, "read-finished", G_CALLBACK (read_finished_cb), &f);

      pc_watcher_start (watcher);
      PC_TEST_WAIT_UNTIL (f.n_reads == 1);
      g_assert_error (f.last_error, PC_API_ERROR, PC_API_ERROR_RATE_LIMITED);
      g_assert_cmpuint (pc_api_error_get_retry_after (f.last_error), ==, cases[i].seconds);
      g_assert_cmpuint (pc_watcher_get_next_delay (watcher), ==, cases[i].delay);

      pc_watcher_stop (watcher);
      g_clear_error (&f.last_error);
      soup_server_disconnect (server);
    }
}

/* No reads while the network is down; one at once when it comes back. */
static void
test_network (Fixture       *f,
              gconstpointer  user_data)
{
  guint requests;

  start (f);
  set_network (f, FALSE);
  g_assert_false (pc_watcher_get_active (f->watcher));
  g_assert_cmpuint (pc_watcher_get_next_delay (f->watcher), ==, 0);
  requests = pc_sandbox_count_requests (f->sandbox, "GET", LIST_PATH);

  /* Asking does not read either. */
  pc_watcher_read_now (f->watcher);
  g_assert_false (pc_booking_loader_get_loading (f->loader));
  g_assert_cmpuint (pc_watcher_get_next_delay (f->watcher), ==, 0);

  set_network (f, TRUE);
  g_assert_true (pc_watcher_get_active (f->watcher));
  g_assert_true (pc_booking_loader_get_loading (f->loader));
  wait_read (f);
  g_assert_no_error (f->last_error);
  g_assert_cmpuint (pc_sandbox_count_requests (f->sandbox, "GET", LIST_PATH), ==, requests + 1);
  g_assert_cmpuint (pc_watcher_get_next_delay (f->watcher), >, 0);
}

/* Paused by the caller: no reads; resuming reads at once. */
static void
test_pause (Fixture       *f,
            gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  guint requests;

  start (f);
  pc_watcher_set_paused (f->watcher, TRUE);
  g_assert_true (pc_watcher_get_paused (f->watcher));
  g_assert_false (pc_watcher_get_active (f->watcher));
  g_assert_cmpuint (pc_watcher_get_next_delay (f->watcher), ==, 0);
  requests = pc_sandbox_count_requests (f->sandbox, "GET", LIST_PATH);

  pc_watcher_read_now (f->watcher);
  g_assert_false (pc_booking_loader_get_loading (f->loader));

  pc_sandbox_new_booking (f->sandbox, NULL, &error);
  g_assert_no_error (error);
  pc_watcher_set_paused (f->watcher, FALSE);
  g_assert_true (pc_watcher_get_active (f->watcher));
  g_assert_true (pc_booking_loader_get_loading (f->loader));
  wait_read (f);
  g_assert_cmpuint (pc_sandbox_count_requests (f->sandbox, "GET", LIST_PATH), ==, requests + 1);
  g_assert_cmpuint (f->added->len, ==, 1);
  g_assert_cmpuint (pc_watcher_get_next_delay (f->watcher), ==, BASE);

  /* Paused while offline, online again: still paused. */
  pc_watcher_set_paused (f->watcher, TRUE);
  set_network (f, FALSE);
  set_network (f, TRUE);
  g_assert_false (pc_booking_loader_get_loading (f->loader));
  g_assert_false (pc_watcher_get_active (f->watcher));
}

/* Added, changed and removed bookings, each said once; the store keeps its objects. */
static void
test_changes (Fixture       *f,
              gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(JsonObject) client = json_object_new ();
  g_autoptr(PcBooking) kept = NULL;
  g_autoptr(PcBooking) new_copy = NULL;
  PcBooking *pending;
  PcBooking *arrived;
  Change *change;

  start (f);
  pending = pc_booking_store_lookup (f->store, 4817422);
  g_assert_nonnull (pending);
  g_assert_cmpint (pc_booking_get_status (pending), ==, PC_BOOKING_STATUS_PENDING);

  json_object_set_string_member (client, "Nickname", "shy_sam");
  json_object_set_object_member (fields, "Client", g_steal_pointer (&client));
  arrived = pc_sandbox_new_booking (f->sandbox, fields, &error);
  g_assert_no_error (error);
  g_object_set (pc_sandbox_lookup (f->sandbox, 4817422), "status-text", "Accepted", NULL);
  read_now (f);

  g_assert_cmpuint (f->added->len, ==, 1);
  g_assert_cmpint (pc_booking_get_booking_id (g_ptr_array_index (f->added, 0)), ==,
                   pc_booking_get_booking_id (arrived));
  g_assert_cmpstr (pc_client_get_nickname (pc_booking_get_client (g_ptr_array_index (f->added, 0))),
                   ==, "shy_sam");
  /* What was announced is what the store holds. */
  g_assert_true (g_ptr_array_index (f->added, 0) ==
                 pc_booking_store_lookup (f->store, pc_booking_get_booking_id (arrived)));

  g_assert_cmpuint (f->changes->len, ==, 1);
  change = &g_array_index (f->changes, Change, 0);
  g_assert_cmpint (change->booking_id, ==, 4817422);
  g_assert_cmpint (change->old_status, ==, PC_BOOKING_STATUS_PENDING);
  g_assert_cmpint (change->new_status, ==, PC_BOOKING_STATUS_ACCEPTED);
  /* Merged in place: the same object, updated (a list keeps its selection). */
  g_assert_true (pc_booking_store_lookup (f->store, 4817422) == pending);
  g_assert_cmpint (pc_booking_get_status (pending), ==, PC_BOOKING_STATUS_ACCEPTED);

  /* Nothing new: nothing said. */
  read_now (f);
  g_assert_cmpuint (f->added->len, ==, 1);
  g_assert_cmpuint (f->changes->len, ==, 1);
  g_assert_cmpuint (f->removed->len, ==, 0);

  /* The new booking goes away… */
  new_copy = pc_booking_copy (pc_sandbox_lookup (f->sandbox, pc_booking_get_booking_id (arrived)));
  kept = pc_booking_copy (pc_sandbox_lookup (f->sandbox, 4817422));
  pc_sandbox_load_demo (f->sandbox);
  pc_sandbox_add_booking (f->sandbox, kept);
  read_now (f);
  g_assert_cmpuint (f->removed->len, ==, 1);
  g_assert_cmpint (g_array_index (f->removed, gint64, 0), ==, pc_booking_get_booking_id (new_copy));
  g_assert_null (pc_booking_store_lookup (f->store, pc_booking_get_booking_id (new_copy)));
  g_assert_cmpuint (pc_watcher_get_next_delay (f->watcher), ==, BASE);

  /* …and comes back: seen before, so not added again. */
  pc_sandbox_add_booking (f->sandbox, new_copy);
  read_now (f);
  g_assert_cmpuint (f->added->len, ==, 1);
  g_assert_cmpuint (f->changes->len, ==, 1);
  g_assert_nonnull (pc_booking_store_lookup (f->store, pc_booking_get_booking_id (new_copy)));
}

/* A refresh someone else starts (F5) counts as a read; a cancelled one changes nothing. */
static void
test_other_refresh (Fixture       *f,
                    gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  start (f);
  read_now (f);
  g_assert_cmpuint (pc_watcher_get_next_delay (f->watcher), ==, 2 * BASE);

  pc_sandbox_new_booking (f->sandbox, NULL, &error);
  g_assert_no_error (error);
  pc_booking_loader_refresh (f->loader);
  wait_read (f);
  g_assert_cmpuint (f->added->len, ==, 1);
  g_assert_cmpuint (pc_watcher_get_next_delay (f->watcher), ==, BASE);

  pc_booking_loader_refresh (f->loader);
  pc_booking_loader_cancel (f->loader);
  g_assert_cmpuint (f->n_reads, ==, 4);
  g_assert_error (f->last_error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (pc_watcher_get_next_delay (f->watcher), ==, BASE);
  g_assert_cmpuint (f->added->len, ==, 1);
}

/* A store loaded before the watcher starts is the baseline. */
static void
test_baseline_from_store (Fixture       *f,
                          gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  pc_booking_loader_refresh (f->loader);
  PC_TEST_WAIT_UNTIL (pc_booking_loader_get_loaded (f->loader));
  pc_sandbox_new_booking (f->sandbox, NULL, &error);
  g_assert_no_error (error);

  pc_watcher_start (f->watcher);
  wait_read (f);
  /* Only the booking that arrived after the store was loaded. */
  g_assert_cmpuint (f->added->len, ==, 1);
}

/* A baseline bigger than a slice is taken over several main-loop iterations from the
 * store as it was: a booking removed from the store meanwhile is still in it (the read
 * that brings it back announces nothing), and only what arrived on the server after the
 * load is announced. */
static void
test_baseline_large (Fixture       *f,
                     gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PcBooking) low = NULL;
  PcBooking *first;
  PcBookingStatus last_before;

  pc_sandbox_load_generated (f->sandbox, 2500);
  pc_booking_loader_set_bookings_per_page (f->loader, 100);
  pc_booking_loader_refresh (f->loader);
  PC_TEST_WAIT_UNTIL (pc_booking_loader_get_loaded (f->loader) &&
                      !pc_booking_loader_get_loading (f->loader));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->store)), ==, 2500);

  pc_watcher_start_scheduled (f->watcher);
  first = pc_booking_store_peek (f->store, 0);
  g_assert_true (pc_booking_store_remove (f->store, pc_booking_get_booking_id (first)));
  pc_sandbox_new_booking (f->sandbox, NULL, &error);
  g_assert_no_error (error);

  pc_watcher_read_now (f->watcher);
  wait_read (f);
  g_assert_no_error (f->last_error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->store)), ==, 2501);
  g_assert_cmpuint (f->added->len, ==, 1);
  g_assert_cmpuint (f->changes->len, ==, 0);
  g_assert_cmpuint (f->removed->len, ==, 0);

  /* A booking whose id comes before every other joins the record too (the record is
   * kept in id order); the next read follows it and the baseline's bookings alike. */
  low = pc_booking_copy (pc_sandbox_lookup (f->sandbox, PC_SANDBOX_GENERATED_FIRST_ID + 1250));
  g_object_set (low, "booking-id", (gint64) 1, "status-text", "Pending", NULL);
  pc_sandbox_add_booking (f->sandbox, low);
  read_now (f);
  g_assert_cmpuint (f->added->len, ==, 2);
  g_assert_cmpint (pc_booking_get_booking_id (g_ptr_array_index (f->added, 1)), ==, 1);

  last_before = pc_booking_get_status (pc_sandbox_lookup (f->sandbox,
                                                         PC_SANDBOX_GENERATED_FIRST_ID + 2499));
  g_assert_cmpint (last_before, !=, PC_BOOKING_STATUS_REJECTED);
  g_object_set (pc_sandbox_lookup (f->sandbox, 1), "status-text", "Rejected", NULL);
  g_object_set (pc_sandbox_lookup (f->sandbox, PC_SANDBOX_GENERATED_FIRST_ID + 2499),
                "status-text", "Rejected", NULL);
  read_now (f);
  g_assert_cmpuint (f->added->len, ==, 2);
  g_assert_cmpuint (f->changes->len, ==, 2);
  {
    /* Each of the two, once, in whatever order. */
    const gint64 expected[] = { 1, PC_SANDBOX_GENERATED_FIRST_ID + 2499 };
    const PcBookingStatus was[] = { PC_BOOKING_STATUS_PENDING, last_before };
    guint seen[G_N_ELEMENTS (expected)] = { 0 };

    for (guint i = 0; i < f->changes->len; i++)
      {
        Change *change = &g_array_index (f->changes, Change, i);

        for (guint j = 0; j < G_N_ELEMENTS (expected); j++)
          if (change->booking_id == expected[j])
            {
              seen[j]++;
              g_assert_cmpint (change->old_status, ==, was[j]);
            }
        g_assert_cmpint (change->new_status, ==, PC_BOOKING_STATUS_REJECTED);
      }
    for (guint j = 0; j < G_N_ELEMENTS (expected); j++)
      g_assert_cmpuint (seen[j], ==, 1);
  }
  g_assert_cmpuint (f->removed->len, ==, 0);
}

static void
start_when_loaded_cb (PcBookingLoader *loader,
                      GParamSpec      *pspec,
                      Fixture         *f)
{
  if (pc_booking_loader_get_loaded (loader))
    pc_watcher_start_scheduled (f->watcher);
}

/* Started as the first load ends (as the application does, on notify::loaded): that
 * load is the baseline, and its "refreshed" is a read that found nothing new, with the
 * next read base-interval later. */
static void
test_start_as_load_ends (Fixture       *f,
                         gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  g_signal_connect (f->loader, "notify::loaded", G_CALLBACK (start_when_loaded_cb), f);
  pc_booking_loader_refresh (f->loader);
  wait_read (f);
  g_assert_no_error (f->last_error);
  g_assert_cmpuint (f->added->len, ==, 0);
  g_assert_cmpuint (pc_watcher_get_next_delay (f->watcher), ==, BASE);

  pc_sandbox_new_booking (f->sandbox, NULL, &error);
  g_assert_no_error (error);
  pc_watcher_read_now (f->watcher);
  wait_read (f);
  g_assert_cmpuint (f->added->len, ==, 1);
  g_signal_handlers_disconnect_by_func (f->loader, start_when_loaded_cb, f);
}

/* Started on a store just loaded: no read at once, the first one base-interval later;
 * the loaded store is the baseline. Before a load it reads at once, as start does. */
static void
test_start_scheduled (Fixture       *f,
                      gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  guint loads;

  pc_booking_loader_refresh (f->loader);
  PC_TEST_WAIT_UNTIL (pc_booking_loader_get_loaded (f->loader) &&
                      !pc_booking_loader_get_loading (f->loader));
  loads = pc_sandbox_count_requests (f->sandbox, "GET", LIST_PATH);

  pc_watcher_start_scheduled (f->watcher);
  g_assert_true (pc_watcher_get_active (f->watcher));
  g_assert_false (pc_booking_loader_get_loading (f->loader));
  g_assert_cmpuint (pc_watcher_get_next_delay (f->watcher), ==, BASE);
  pc_test_drain_main_context ();
  g_assert_cmpuint (pc_sandbox_count_requests (f->sandbox, "GET", LIST_PATH), ==, loads);

  pc_sandbox_new_booking (f->sandbox, NULL, &error);
  g_assert_no_error (error);
  pc_watcher_read_now (f->watcher);
  wait_read (f);
  g_assert_cmpuint (f->added->len, ==, 1);
}

static void
test_start_scheduled_unloaded (Fixture       *f,
                               gconstpointer  user_data)
{
  pc_watcher_start_scheduled (f->watcher);
  g_assert_true (pc_booking_loader_get_loading (f->loader));
  wait_read (f);
  g_assert_no_error (f->last_error);
  g_assert_cmpuint (f->added->len, ==, 0);
}

/* The schedule runs by itself: with a one-second base, reads follow each other. */
static void
test_scheduled (Fixture       *f,
                gconstpointer  user_data)
{
  pc_watcher_set_base_interval (f->watcher, 1);
  pc_watcher_set_max_interval (f->watcher, 1);
  pc_watcher_start (f->watcher);
  PC_TEST_WAIT_UNTIL (f->n_reads >= 3);
  g_assert_no_error (f->last_error);
  g_assert_cmpuint (pc_sandbox_count_requests (f->sandbox, "GET", LIST_PATH), >=, 3);
  pc_watcher_stop (f->watcher);
  g_assert_false (pc_watcher_get_active (f->watcher));
  g_assert_cmpuint (pc_watcher_get_next_delay (f->watcher), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  pc_test_init_logging ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/watch/schedule/backoff", test_backoff);
  ADD ("/watch/schedule/reset-on-update", test_reset_on_update);
  ADD ("/watch/schedule/reset-on-change", test_reset_on_change);
  ADD ("/watch/schedule/error-backoff", test_error_backoff);
  ADD ("/watch/schedule/retry-after", test_retry_after);
  g_test_add_func ("/watch/schedule/retry-after-http-date", test_retry_after_http_date);
  ADD ("/watch/schedule/runs", test_scheduled);
  ADD ("/watch/network", test_network);
  ADD ("/watch/pause", test_pause);
  ADD ("/watch/changes", test_changes);
  ADD ("/watch/other-refresh", test_other_refresh);
  ADD ("/watch/baseline-from-store", test_baseline_from_store);
  ADD ("/watch/start-scheduled", test_start_scheduled);
  ADD ("/watch/start-scheduled/as-load-ends", test_start_as_load_ends);
  ADD ("/watch/baseline/large", test_baseline_large);
  ADD ("/watch/start-scheduled/unloaded", test_start_scheduled_unloaded);

#undef ADD

  return g_test_run ();
}
