/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "pc-api.h"
#include "pc-application.h"
#include "pc-booking.h"
#include "pc-booking-loader.h"
#include "pc-booking-store.h"
#include "pc-client.h"
#include "pc-clock.h"
#include "pc-notifier.h"
#include "pc-preferences-dialog.h"
#include "pc-sandbox.h"
#include "pc-test-notification-server.h"
#include "pc-watcher.h"
#include "pc-window.h"
#include "pc-window-private.h"
#include "pc-ui-test-utils.h"
#include "test-utils.h"

/* Live updates end to end: the real PcApplication on the session bus of
 * `dbus-run-session`, its real window under Xvfb, the in-process PcSandbox with the demo
 * bookings, a fixed clock (Fri 27 Nov 2026, 08:00 UTC; TZ=UTC, and London is on UTC
 * then) and a notification server in this process that records what the application
 * sends. Each read of the application's watcher is asked for with pc_watcher_read_now();
 * nothing waits for a duration.
 *
 * A client makes a booking on the sandbox (pc_sandbox_new_booking()): shy_sam, 10
 * minutes at 10:00, to be accepted by 09:00. */

#define TEST_APP_ID  "com.example.PhoneChat.Test"
#define LIST_PATH    "/v1/PhoneChat/ReceivedBookings"
#define ACCEPT_PATH  "/v1/PhoneChat/AcceptReceivedBooking"
#define QUIET_CALLER 4815502 /* Accepted in the demo data */

#define N_DEMO_BOOKINGS 12

typedef struct
{
  GDBusConnection          *bus;
  PcTestNotificationServer *server;
  PcClock                  *clock;
  PcSandbox                *sandbox;
  PcApplication            *app;
  PcWindow                 *window;  /* unowned: the application's */
  GtkWindow                *other;   /* another program's window, to take the focus */
  guint                     n_reads; /* the watcher's reads that ended */
} Fixture;

/* Helpers */

static PcWindow *
find_window (Fixture *f)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (f->app)); l != NULL; l = l->next)
    if (PC_IS_WINDOW (l->data))
      return l->data;

  return NULL;
}

static PcBookingStore *
store (Fixture *f)
{
  return pc_application_get_store (f->app);
}

static PcWatcher *
watcher (Fixture *f)
{
  PcWatcher *watcher = pc_application_get_watcher (f->app);

  g_assert_nonnull (watcher);
  return watcher;
}

static void
read_finished_cb (PcWatcher    *watcher,
                  const GError *error,
                  Fixture      *f)
{
  g_assert_no_error (error);
  f->n_reads++;
}

/* One read of the watcher, to its end. */
static void
read_now (Fixture *f)
{
  guint before = f->n_reads;

  g_assert_true (pc_watcher_get_active (watcher (f)));
  pc_watcher_read_now (watcher (f));
  PC_TEST_WAIT_UNTIL (f->n_reads > before);
}

/* A client books: shy_sam, 10 minutes at 10:00 today, to accept by 09:00. */
static gint64
client_books (Fixture *f)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  PcBooking *booking;

  json_parser_load_from_data (parser,
                              "{\"Duration\": 10, \"Credits\": 20,"
                              " \"SessionDate\": \"2026-11-27T10:00:00\","
                              " \"AcceptBy\": \"2026-11-27T09:00:00\","
                              " \"Client\": {\"Nickname\": \"shy_sam\"}}", -1, &error);
  g_assert_no_error (error);
  booking = pc_sandbox_new_booking (f->sandbox, json_node_get_object (json_parser_get_root (parser)),
                                    &error);
  g_assert_no_error (error);

  return pc_booking_get_booking_id (booking);
}

static void
set_clock (Fixture *f,
           int      hour,
           int      minute)
{
  g_autoptr(GDateTime) now = pc_test_utc (2026, 11, 27, hour, minute, 0);

  pc_clock_set_now (f->clock, now);
}

static gint64
selected_id (Fixture *f)
{
  PcBooking *booking = pc_window_get_selected_booking (f->window);

  return booking != NULL ? pc_booking_get_booking_id (booking) : 0;
}

static gboolean
has_toast (Fixture    *f,
           const char *text)
{
  GObject *overlay = gtk_widget_get_template_child (GTK_WIDGET (f->window), PC_TYPE_WINDOW,
                                                    "toast_overlay");

  return pc_ui_find_label (GTK_WIDGET (overlay), text, NULL) != NULL;
}

/* The user looks at another program's window: news comes as desktop notifications. */
static void
make_window_inactive (Fixture *f)
{
  pc_ui_cover_window (GTK_WINDOW (f->window), &f->other);
}

/* Gives the application's D-Bus calls time to arrive, then checks that none did. */
static void
assert_no_notification (Fixture *f)
{
  pc_test_drain_main_context ();
  pc_test_notification_server_sync (f->server);
  g_assert_cmpuint (pc_test_notification_server_get_n_notify_calls (f->server), ==, 0);
}

/* The last notification, once @n have arrived and GLib knows its id. */
static const PcTestNotification *
wait_for_notification (Fixture *f,
                       guint    n)
{
  const PcTestNotification *notification;

  pc_test_notification_server_wait_for_notify (f->server, n);
  pc_test_notification_server_sync (f->server);
  g_assert_cmpuint (pc_test_notification_server_get_n_notify_calls (f->server), ==, n);
  notification = pc_test_notification_server_get_last (f->server);
  g_assert_cmpstr (pc_test_notification_get_hint_string (notification, "desktop-entry"), ==,
                   TEST_APP_ID);

  return notification;
}

/* Fixture */

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GDateTime) now = pc_test_utc (2026, 11, 27, 8, 0, 0);
  g_autoptr(GError) error = NULL;
  GSettings *settings;
  const char * const keys[] = {
    "notify-new-booking", "notify-accept-by", "accept-by-lead-minutes",
    "notify-client-changes", "run-in-background",
  };

  pc_ui_forget_outcomes ();
  f->bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  f->server = pc_test_notification_server_new (f->bus);

  f->clock = pc_clock_new_fixed (now);
  f->sandbox = pc_sandbox_new (f->clock, NULL);
  pc_sandbox_load_demo (f->sandbox);
  pc_sandbox_listen (f->sandbox, 0, &error);
  g_assert_no_error (error);

  f->app = g_object_new (PC_TYPE_APPLICATION,
                         "application-id", TEST_APP_ID,
                         "flags", G_APPLICATION_NON_UNIQUE,
                         "resource-base-path", "/com/example/PhoneChat",
                         "clock", f->clock,
                         "sandbox", f->sandbox,
                         NULL);
  g_application_register (G_APPLICATION (f->app), NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_application_get_dbus_connection (G_APPLICATION (f->app)) == f->bus);

  settings = pc_application_get_settings (f->app);
  g_assert_nonnull (settings);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_settings_reset (settings, keys[i]);
  g_signal_connect (watcher (f), "read-finished", G_CALLBACK (read_finished_cb), f);

  g_application_activate (G_APPLICATION (f->app));
  f->window = find_window (f);
  g_assert_nonnull (f->window);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1000, 700);

  /* The list loaded is the baseline, and live updates begin. */
  PC_TEST_WAIT_UNTIL (pc_booking_loader_get_loaded (pc_application_get_loader (f->app)) &&
                      g_list_model_get_n_items (G_LIST_MODEL (store (f))) == N_DEMO_BOOKINGS &&
                      pc_watcher_get_active (watcher (f)));
  /* Scheduled, not at once: the list was just loaded. */
  g_assert_cmpuint (pc_watcher_get_next_delay (watcher (f)), >, 0);
  make_window_inactive (f);
  pc_sandbox_clear_requests (f->sandbox);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_signal_handlers_disconnect_by_data (watcher (f), f);
  if (f->other != NULL)
    gtk_window_destroy (g_steal_pointer (&f->other));
  pc_ui_destroy_windows (GTK_APPLICATION (f->app));
  f->window = NULL;

  /* Let GLib's Notify replies arrive, then take the server away while the application
   * is still there (see pc_test_notification_server_shutdown()). */
  pc_test_notification_server_sync (f->server);
  pc_test_notification_server_shutdown (f->server);
  g_assert_finalize_object (g_steal_pointer (&f->server));

  pc_ui_shut_down_application (G_APPLICATION (f->app));
  g_assert_finalize_object (g_steal_pointer (&f->app));
  pc_test_drain_main_context ();
  g_clear_object (&f->sandbox);
  g_clear_object (&f->clock);
  g_clear_object (&f->bus);
}

/* Tests */

/* A new booking while the window is in the background: one notification, whose Accept
 * sends one accept with the booking's credits; the list shows it accepted without being
 * read again, and the next read does not call that the client's change. */
static void
test_new_booking_accept (Fixture       *f,
                         gconstpointer  data)
{
  const PcTestNotification *n;
  const char *accept;
  gint64 booking_id = client_books (f);
  g_autofree char *title = NULL;
  PcBooking *booking;
  guint reads;

  read_now (f);
  n = wait_for_notification (f, 1);
  g_assert_cmpstr (n->summary, ==, "New booking from shy_sam");
  g_assert_cmpstr (n->body, ==, "shy_sam booked 10 minutes on Fri 27 Nov, 10:00 — accept by 09:00");
  g_assert_cmpstr (pc_test_notification_get_action_label (n, "default"), !=, NULL);
  accept = pc_test_notification_find_action (n, PC_NOTIFIER_ACTION_ACCEPT_BOOKING);
  g_assert_nonnull (accept);
  g_assert_cmpstr (pc_test_notification_get_action_label (n, accept), ==, "Accept");
  g_assert_nonnull (pc_test_notification_find_action (n, PC_NOTIFIER_ACTION_SHOW_BOOKING));

  /* The booking is in the list, pending; nothing has been sent for it. */
  booking = pc_booking_store_lookup (store (f), booking_id);
  g_assert_nonnull (booking);
  g_assert_cmpint (pc_booking_get_status (booking), ==, PC_BOOKING_STATUS_PENDING);
  reads = pc_sandbox_count_requests (f->sandbox, "GET", LIST_PATH);

  pc_test_notification_server_invoke_action (f->server, n->id, accept);
  PC_TEST_WAIT_UNTIL (pc_booking_get_status (booking) == PC_BOOKING_STATUS_ACCEPTED);
  g_assert_true (pc_booking_store_lookup (store (f), booking_id) == booking);
  g_assert_cmpuint (pc_sandbox_count_booking_requests (f->sandbox, "POST", ACCEPT_PATH,
                                                       booking_id), ==, 1);
  g_assert_cmpuint (pc_sandbox_count_requests (f->sandbox, "POST", NULL), ==, 1);
  /* Not read again: the answer was merged. */
  g_assert_cmpuint (pc_sandbox_count_requests (f->sandbox, "GET", LIST_PATH), ==, reads);
  g_assert_cmpstr (pc_booking_get_status_text (pc_sandbox_lookup (f->sandbox, booking_id)), ==,
                   "Accepted");

  /* The result, as a notification: the window is still in the background. */
  n = wait_for_notification (f, 2);
  g_assert_cmpstr (n->summary, ==, "shy_sam’s booking accepted");
  title = g_strdup_printf ("Booking %" G_GINT64_FORMAT " (Fri 27 Nov, 10:00) was accepted.",
                           booking_id);
  g_assert_cmpstr (n->body, ==, title);

  /* The next read sees Pending → Accepted: ours, not the client's. */
  pc_test_notification_server_clear_calls (f->server);
  read_now (f);
  assert_no_notification (f);
  g_assert_cmpuint (pc_sandbox_count_requests (f->sandbox, "POST", NULL), ==, 1);
}

/* Open shows the booking in the window, and the notification is withdrawn. */
static void
test_new_booking_open (Fixture       *f,
                       gconstpointer  data)
{
  const PcTestNotification *n;
  const char *open;
  gint64 booking_id = client_books (f);
  guint32 id;

  read_now (f);
  n = wait_for_notification (f, 1);
  id = n->id;
  open = pc_test_notification_find_action (n, PC_NOTIFIER_ACTION_SHOW_BOOKING);
  g_assert_nonnull (open);
  g_assert_cmpstr (pc_test_notification_get_action_label (n, open), ==, "Open");

  pc_test_notification_server_invoke_action (f->server, id, open);
  PC_TEST_WAIT_UNTIL (selected_id (f) == booking_id);
  PC_TEST_WAIT_UNTIL (gtk_window_is_active (GTK_WINDOW (f->window)));
  pc_test_notification_server_wait_for_close (f->server, 1);
  g_assert_cmpuint (pc_test_notification_server_get_close_call (f->server, 0), ==, id);
  g_assert_cmpuint (pc_sandbox_count_requests (f->sandbox, "POST", NULL), ==, 0);
}

/* Switched off in Preferences: the booking is listed, nobody is told. */
static void
test_new_booking_off (Fixture       *f,
                      gconstpointer  data)
{
  GSettings *settings = pc_application_get_settings (f->app);
  AdwDialog *dialog;
  AdwActionRow *row;
  gint64 booking_id;

  g_action_group_activate_action (G_ACTION_GROUP (f->app), "preferences", NULL);
  dialog = adw_application_window_get_visible_dialog (ADW_APPLICATION_WINDOW (f->window));
  g_assert_true (PC_IS_PREFERENCES_DIALOG (dialog));
  PC_TEST_WAIT_UNTIL ((row = pc_ui_find_row (GTK_WIDGET (dialog), "Notifications",
                                              "New Bookings")) != NULL);
  g_assert_true (ADW_IS_SWITCH_ROW (row));
  g_assert_true (adw_switch_row_get_active (ADW_SWITCH_ROW (row)));
  adw_switch_row_set_active (ADW_SWITCH_ROW (row), FALSE);
  g_assert_false (g_settings_get_boolean (settings, "notify-new-booking"));
  adw_dialog_force_close (dialog);

  make_window_inactive (f);
  booking_id = client_books (f);
  read_now (f);
  g_assert_nonnull (pc_booking_store_lookup (store (f), booking_id));
  assert_no_notification (f);
}

/* The lead time before accept-by (30 minutes by default): one reminder per booking. */
static void
test_accept_by (Fixture       *f,
                gconstpointer  data)
{
  GSettings *settings = pc_application_get_settings (f->app);
  const PcTestNotification *n;
  g_autofree char *body = NULL;
  gint64 booking_id;

  g_settings_set_boolean (settings, "notify-new-booking", FALSE);
  booking_id = client_books (f);
  read_now (f);

  /* 08:20: 40 minutes left. */
  set_clock (f, 8, 20);
  read_now (f);
  assert_no_notification (f);

  /* 08:31: 29 minutes left. */
  set_clock (f, 8, 31);
  read_now (f);
  n = wait_for_notification (f, 1);
  g_assert_cmpstr (n->summary, ==, "Accept shy_sam’s booking by 09:00");
  body = g_strdup_printf ("Booking %" G_GINT64_FORMAT " (Fri 27 Nov, 10:00) is still waiting "
                          "for you to accept it.", booking_id);
  g_assert_cmpstr (n->body, ==, body);
  g_assert_nonnull (pc_test_notification_find_action (n, PC_NOTIFIER_ACTION_ACCEPT_BOOKING));

  /* Once only. */
  set_clock (f, 8, 40);
  read_now (f);
  pc_test_notification_server_sync (f->server);
  g_assert_cmpuint (pc_test_notification_server_get_n_notify_calls (f->server), ==, 1);
}

/* A longer lead time set in Preferences reminds earlier; off, never. */
static void
test_accept_by_lead (Fixture       *f,
                     gconstpointer  data)
{
  GSettings *settings = pc_application_get_settings (f->app);

  g_settings_set_boolean (settings, "notify-new-booking", FALSE);
  g_settings_set_uint (settings, "accept-by-lead-minutes", 60);
  client_books (f);
  read_now (f);
  /* 08:00: 60 minutes left. */
  wait_for_notification (f, 1);

  pc_test_notification_server_clear_calls (f->server);
  g_settings_set_boolean (settings, "notify-accept-by", FALSE);
  client_books (f);
  read_now (f);
  assert_no_notification (f);
}

/* The client cancels: one notification, their reason as plain text. */
static void
test_client_cancel (Fixture       *f,
                    gconstpointer  data)
{
  PcBooking *booking = pc_sandbox_lookup (f->sandbox, QUIET_CALLER);
  const PcTestNotification *n;

  g_assert_nonnull (booking);
  g_assert_cmpstr (pc_booking_get_status_text (booking), ==, "Accepted");
  g_object_set (booking,
                "status-text", "Cancelled",
                "cancelled-by", "Client",
                "cancelled-reason", "<b>Sorry</b> & see you",
                NULL);

  read_now (f);
  n = wait_for_notification (f, 1);
  g_assert_cmpstr (n->summary, ==, "quiet_caller cancelled a booking");
  g_assert_nonnull (strstr (n->body, " is now Cancelled."));
  g_assert_nonnull (strstr (n->body, "\nReason: <b>Sorry</b> & see you"));
  g_assert_cmpint (pc_booking_get_status (pc_booking_store_lookup (store (f), QUIET_CALLER)), ==,
                   PC_BOOKING_STATUS_CANCELLED);

  /* Once: the next read finds nothing new. */
  read_now (f);
  pc_test_notification_server_sync (f->server);
  g_assert_cmpuint (pc_test_notification_server_get_n_notify_calls (f->server), ==, 1);
}

/* A notification's Accept whose answer is lost: the booking is marked like any action
 * of unknown outcome, and pressing Accept again sends nothing (the window opens on the
 * booking instead). */
static void
test_new_booking_accept_lost (Fixture       *f,
                              gconstpointer  data)
{
  const PcTestNotification *n;
  const char *accept;
  gint64 booking_id = client_books (f);
  PcBooking *booking;

  read_now (f);
  n = wait_for_notification (f, 1);
  accept = pc_test_notification_find_action (n, PC_NOTIFIER_ACTION_ACCEPT_BOOKING);
  g_assert_nonnull (accept);
  booking = pc_booking_store_lookup (store (f), booking_id);

  /* The connection closes once the POST is read: no answer, and the booking still
   * shows as pending when read again. */
  pc_sandbox_set_drop_connections (f->sandbox, TRUE);
  pc_sandbox_set_fault_limit (f->sandbox, 1);
  pc_test_notification_server_invoke_action (f->server, n->id, accept);
  PC_TEST_WAIT_UNTIL (pc_booking_get_outcome_unknown (booking));
  g_assert_cmpuint (pc_sandbox_count_booking_requests (f->sandbox, "POST", ACCEPT_PATH,
                                                       booking_id), ==, 1);

  /* Accept again (the notification went: as a copy of it still on screen would, or a
   * script calling the application's action). */
  g_action_group_activate_action (G_ACTION_GROUP (f->app), "accept-booking",
                                  g_variant_new_int64 (booking_id));
  PC_TEST_WAIT_UNTIL (selected_id (f) == booking_id);
  pc_test_drain_main_context ();
  g_assert_cmpuint (pc_sandbox_count_booking_requests (f->sandbox, "POST", ACCEPT_PATH,
                                                       booking_id), ==, 1);
}

/* A read that brings a new booking (listed above the selected one) and a change to
 * another merges in place: the list keeps the booking selected, the same object, and
 * the details stay on it. */
static void
test_merge_keeps_selection (Fixture       *f,
                            gconstpointer  data)
{
  PcBooking *quiet = pc_sandbox_lookup (f->sandbox, QUIET_CALLER);
  PcBooking *selected;
  gint64 selected_booking_id;
  guint position_before;
  gint64 new_id;

  /* The booking after the first row, so that the new one can come before it. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->window->selection)), >, 2);
  selected = g_list_model_get_item (G_LIST_MODEL (f->window->selection), 2);
  g_object_unref (selected);
  selected_booking_id = pc_booking_get_booking_id (selected);
  g_assert_cmpint (selected_booking_id, !=, QUIET_CALLER);
  pc_window_show_booking (f->window, selected_booking_id);
  PC_TEST_WAIT_UNTIL (gtk_single_selection_get_selected_item (f->window->selection) == selected);
  position_before = gtk_single_selection_get_selected (f->window->selection);

  new_id = client_books (f);
  g_object_set (quiet, "status-text", "Cancelled", "cancelled-by", "Client", NULL);
  read_now (f);
  PC_TEST_WAIT_UNTIL (pc_booking_store_lookup (store (f), new_id) != NULL);
  pc_test_drain_main_context ();

  g_assert_cmpint (pc_booking_get_status (pc_booking_store_lookup (store (f), QUIET_CALLER)), ==,
                   PC_BOOKING_STATUS_CANCELLED);
  g_assert_true (pc_booking_store_lookup (store (f), selected_booking_id) == selected);
  g_assert_true (gtk_single_selection_get_selected_item (f->window->selection) == selected);
  g_assert_true (pc_window_get_selected_booking (f->window) == selected);
  g_test_message ("selected at %u before the read, at %u after", position_before,
                  gtk_single_selection_get_selected (f->window->selection));
}

/* Our own cancel (through the application's API, as the window's Cancel does) is not
 * the client's change. */
static void
test_own_cancel (Fixture       *f,
                 gconstpointer  data)
{
  PcApi *api = pc_booking_loader_get_api (pc_application_get_loader (f->app));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(PcBooking) cancelled = NULL;
  g_autoptr(GError) error = NULL;

  pc_api_cancel_async (api, QUIET_CALLER, "Unwell today", NULL, pc_test_store_result_cb, &result);
  PC_TEST_WAIT_UNTIL (result != NULL);
  cancelled = pc_api_cancel_finish (api, result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pc_booking_get_status (cancelled), ==, PC_BOOKING_STATUS_CANCELLED);

  read_now (f);
  g_assert_cmpint (pc_booking_get_status (pc_booking_store_lookup (store (f), QUIET_CALLER)), ==,
                   PC_BOOKING_STATUS_CANCELLED);
  assert_no_notification (f);
}

/* While the user looks at the window, a new booking is a toast, not a notification. */
static void
test_window_active (Fixture       *f,
                    gconstpointer  data)
{
  pc_ui_uncover_window (GTK_WINDOW (f->window), f->other);

  client_books (f);
  read_now (f);
  assert_no_notification (f);
  g_assert_true (has_toast (f, "shy_sam booked 10 minutes on Fri 27 Nov, 10:00 — accept by 09:00"));
}

/* With the window closed and run-in-background on, the application keeps reading and
 * notifying. */
static void
test_background (Fixture       *f,
                 gconstpointer  data)
{
  GSettings *settings = pc_application_get_settings (f->app);
  const PcTestNotification *n;

  g_settings_set_boolean (settings, "run-in-background", TRUE);
  gtk_window_destroy (GTK_WINDOW (f->window));
  f->window = NULL;
  pc_test_drain_main_context ();
  g_assert_null (find_window (f));
  g_assert_true (g_application_get_is_registered (G_APPLICATION (f->app)));

  client_books (f);
  read_now (f);
  n = wait_for_notification (f, 1);
  g_assert_cmpstr (n->summary, ==, "New booking from shy_sam");
  g_settings_set_boolean (settings, "run-in-background", FALSE);
}

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

int
main (int   argc,
      char *argv[])
{
  /* Before anything can pick a notification backend. */
  g_setenv ("GNOTIFICATION_BACKEND", "freedesktop", TRUE);
  g_unsetenv ("GTK_USE_PORTAL");

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    {
      /* Not a skip: a skipped test would pass, and these tests must run. */
      printf ("Bail out! DBUS_SESSION_BUS_ADDRESS is unset: run the suite under "
              "`dbus-run-session -- meson test …`\n");
      return 1;
    }

  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);
  pc_test_init_logging ();
  gtk_init ();
  adw_init ();

  ADD ("/live/new-booking/accept", test_new_booking_accept);
  ADD ("/live/new-booking/accept-lost", test_new_booking_accept_lost);
  ADD ("/live/new-booking/open", test_new_booking_open);
  ADD ("/live/new-booking/setting-off", test_new_booking_off);
  ADD ("/live/accept-by", test_accept_by);
  ADD ("/live/accept-by/lead-time", test_accept_by_lead);
  ADD ("/live/client-change/cancel", test_client_cancel);
  ADD ("/live/client-change/own-cancel", test_own_cancel);
  ADD ("/live/merge/keeps-selection", test_merge_keeps_selection);
  ADD ("/live/window-active", test_window_active);
  ADD ("/live/background", test_background);

  return g_test_run ();
}
