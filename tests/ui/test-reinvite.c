/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "pc-api.h"
#include "pc-application.h"
#include "pc-batch-reinvite-dialog.h"
#include "pc-booking.h"
#include "pc-booking-loader.h"
#include "pc-booking-page.h"
#include "pc-booking-row.h"
#include "pc-booking-store.h"
#include "pc-client.h"
#include "pc-clock.h"
#include "pc-notifier.h"
#include "pc-reinvite-dialog.h"
#include "pc-reinviter.h"
#include "pc-sandbox.h"
#include "pc-test-notification-server.h"
#include "pc-window.h"
#include "pc-ui-test-utils.h"
#include "test-utils.h"

/* The re-invite UI end to end: the real PcApplication, registered on the session bus of
 * `dbus-run-session` (with a test id), its real windows and dialogs under Xvfb, the
 * in-process PcSandbox with the demo bookings behind it, a fixed clock, and a
 * notification server owned by this process that records what the application sends.
 *
 * The application tells results as toasts while its window is active and as desktop
 * notifications otherwise. Xvfb has no window manager, but GDK then focuses a presented
 * window itself (XSetInputFocus), so the tests make the window active or inactive for
 * real: by presenting it, or another window over it. Nothing is faked.
 *
 * The demo bookings, relative to the clock (2025-06-15 12:00 UTC):
 *   4817263 NightOwl_77   Pending, session 2 hours ago: can be re-invited
 *   4817301 late_lark     idem
 *   4817188 Brummie_Bob   idem
 *   4816020 shy_sam       idem
 *   4817422 velvet_voice  Pending, session in 3 hours
 *   4815502 quiet_caller  Accepted
 */

#define TEST_APP_ID   "com.example.PhoneChat.Test"
#define REINVITE_PATH "/v1/PhoneChat/ReInvite"
#define DETAILS_PATH  "/v1/PhoneChat/ReceivedBookingDetails"

#define NIGHT_OWL     4817263
#define LATE_LARK     4817301
#define BRUMMIE_BOB   4817188
#define SHY_SAM       4816020
#define VELVET_VOICE  4817422
#define QUIET_CALLER  4815502
#define OWL_TWIN      4900001 /* added by the batch test: a copy of NightOwl's booking */

#define N_DEMO_BOOKINGS 12
#define LATENCY_MS      300

typedef struct
{
  gboolean no_window;   /* register only: as a D-Bus-activated instance starts */
  gboolean extra;       /* one more re-invitable booking on the server (OWL_TWIN) */
  guint    latency_ms;
} Options;

typedef struct
{
  GDBusConnection          *bus;
  PcTestNotificationServer *server;
  PcClock                  *clock;
  PcSandbox                *sandbox;
  PcApplication            *app;
  PcWindow                 *window;  /* unowned: the application's */
  GtkWindow                *other;   /* another application's window, to take the focus */
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

static PcBooking *
lookup (Fixture *f,
        gint64   booking_id)
{
  PcBooking *booking = pc_booking_store_lookup (store (f), booking_id);

  g_assert_nonnull (booking);
  return booking;
}

static PcReinviter *
reinviter (Fixture *f)
{
  PcReinviter *reinviter = pc_application_get_reinviter (f->app);

  g_assert_nonnull (reinviter);
  return reinviter;
}

static void
wait_for_bookings (Fixture *f,
                   guint    n)
{
  PcBookingLoader *loader = pc_application_get_loader (f->app);

  PC_TEST_WAIT_UNTIL (pc_booking_loader_get_loaded (loader) &&
                      !pc_booking_loader_get_loading (loader) &&
                      g_list_model_get_n_items (G_LIST_MODEL (store (f))) == n);
}

static gpointer
window_child (Fixture    *f,
              const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (f->window), PC_TYPE_WINDOW, name);

  g_assert_nonnull (child);
  return child;
}

/* The details pane. */
static GtkWidget *
page (Fixture *f)
{
  return window_child (f, "booking_page");
}

static gint64
selected_id (Fixture *f)
{
  PcBooking *booking = pc_window_get_selected_booking (f->window);

  return booking != NULL ? pc_booking_get_booking_id (booking) : 0;
}

/* The name of the list item that holds the booking's row: "nickname, session, status". */
static void
assert_row_name (Fixture    *f,
                 gint64      booking_id,
                 const char *nickname,
                 const char *status)
{
  PcBookingRow *row = pc_ui_find_booking_row (window_child (f, "list_view"), booking_id);
  GtkWidget *list_item;
  GObject *session;
  g_autofree char *name = NULL;

  g_assert_nonnull (row);
  list_item = gtk_widget_get_parent (GTK_WIDGET (row));
  session = gtk_widget_get_template_child (GTK_WIDGET (row), PC_TYPE_BOOKING_ROW, "session_label");
  name = g_strdup_printf ("%s, %s, %s", nickname, gtk_label_get_text (GTK_LABEL (session)), status);

  gtk_test_accessible_assert_role (list_item, GTK_ACCESSIBLE_ROLE_LIST_ITEM);
  gtk_test_accessible_assert_property (list_item, GTK_ACCESSIBLE_PROPERTY_LABEL, name);
}

static const char *
row_status (Fixture *f,
            gint64   booking_id)
{
  PcBookingRow *row = pc_ui_find_booking_row (window_child (f, "list_view"), booking_id);
  GObject *label;

  g_assert_nonnull (row);
  label = gtk_widget_get_template_child (GTK_WIDGET (row), PC_TYPE_BOOKING_ROW, "status_label");
  return gtk_label_get_text (GTK_LABEL (label));
}

static gboolean
has_toast (Fixture    *f,
           const char *text)
{
  return pc_ui_find_label (window_child (f, "toast_overlay"), text, NULL) != NULL;
}

static PcReinviteDialog *
open_dialog (Fixture *f,
             gint64   booking_id)
{
  PcReinviteDialog *dialog;

  pc_window_show_booking (f->window, booking_id);
  g_assert_cmpint (selected_id (f), ==, booking_id);
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (f->window), "reinvite"));
  g_action_group_activate_action (G_ACTION_GROUP (f->window), "reinvite", NULL);

  dialog = pc_window_get_reinvite_dialog (f->window);
  g_assert_nonnull (dialog);
  g_assert_true (pc_booking_get_booking_id (pc_reinvite_dialog_get_booking (dialog)) == booking_id);
  /* An AdwDialog inside the window, on top of it. */
  g_assert_true (gtk_widget_get_root (GTK_WIDGET (dialog)) == GTK_ROOT (f->window));
  g_assert_true (adw_application_window_get_visible_dialog (ADW_APPLICATION_WINDOW (f->window)) ==
                 ADW_DIALOG (dialog));
  PC_TEST_WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (dialog)));

  return dialog;
}

static gpointer
dialog_child (PcReinviteDialog *dialog,
              const char       *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (dialog), PC_TYPE_REINVITE_DIALOG,
                                                  name);

  g_assert_nonnull (child);
  return child;
}

/* Whether the keyboard focus of the window of @window_or_dialog is @widget or inside it. */
static gboolean
has_focus_within (gpointer   window_or_dialog,
                  GtkWidget *widget)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (window_or_dialog));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

static gpointer
batch_child (PcBatchReinviteDialog *dialog,
             const char            *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (dialog),
                                                  PC_TYPE_BATCH_REINVITE_DIALOG, name);

  g_assert_nonnull (child);
  return child;
}

/* What a click ends with ("clicked" activates the button's action). */
static void
click (GtkWidget *button)
{
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static gboolean
send_enabled (PcReinviteDialog *dialog)
{
  return gtk_widget_get_sensitive (dialog_child (dialog, "send_button"));
}

/* Activates the dialog's Ctrl+Enter shortcut as its shortcut controller would. */
static void
press_ctrl_enter (GtkWidget *dialog)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (dialog);
  gboolean found = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && !found; i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;

      /* Capture phase: before the text view can turn it into a new line. */
      g_assert_cmpint (gtk_event_controller_get_propagation_phase (controller), ==,
                       GTK_PHASE_CAPTURE);

      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          g_autofree char *trigger = gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut));

          if (strstr (trigger, "<Control>Return") == NULL)
            continue;

          found = TRUE;
          gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, dialog, NULL);
        }
    }

  g_assert_true (found);
}

/* The user looks at the window: results are toasts in it. */
static void
make_window_active (Fixture *f)
{
  pc_ui_uncover_window (GTK_WINDOW (f->window), f->other);
}

/* The user looks at another program's window: results are desktop notifications. */
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

static void
wait_idle (Fixture *f)
{
  PC_TEST_WAIT_UNTIL (!pc_reinviter_get_busy (reinviter (f)));
}

static guint
count_posts (Fixture *f,
             gint64   booking_id)
{
  return pc_sandbox_count_booking_requests (f->sandbox, "POST", REINVITE_PATH, booking_id);
}

static void
assert_common (Fixture                  *f,
               const PcTestNotification *n)
{
  g_assert_cmpstr (pc_test_notification_get_hint_string (n, "desktop-entry"), ==, TEST_APP_ID);
  g_assert_cmpstr (n->sender, ==, g_dbus_connection_get_unique_name (f->bus));
}

/* The server no longer accepts a re-invite of it; the app does not know yet. */
static void
make_ineligible_on_server (Fixture *f,
                           gint64   booking_id)
{
  g_object_set (pc_sandbox_lookup (f->sandbox, booking_id), "status-text", "Accepted", NULL);
}

static void
move_clock (Fixture *f,
            int      minutes)
{
  g_autoptr(GDateTime) now = pc_clock_get_now (f->clock);
  g_autoptr(GDateTime) later = g_date_time_add_minutes (now, minutes);

  pc_clock_set_now (f->clock, later);
}

/* Fixture */

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  const Options *options = data;
  g_autoptr(GDateTime) now = pc_test_utc (2025, 6, 15, 12, 0, 0);
  g_autoptr(GError) error = NULL;
  GSettings *settings;

  pc_ui_forget_outcomes ();
  f->bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  f->server = pc_test_notification_server_new (f->bus);

  f->clock = pc_clock_new_fixed (now);
  f->sandbox = pc_sandbox_new (f->clock, NULL);
  pc_sandbox_load_demo (f->sandbox);
  if (options->extra)
    {
      g_autoptr(PcBooking) copy = pc_booking_copy (pc_sandbox_lookup (f->sandbox, NIGHT_OWL));

      g_object_set (copy, "booking-id", (gint64) OWL_TWIN, NULL);
      g_object_set (pc_booking_get_client (copy), "nickname", "Owl_Twin", NULL);
      pc_sandbox_add_booking (f->sandbox, copy);
    }
  if (options->latency_ms != 0)
    pc_sandbox_set_latency (f->sandbox, options->latency_ms);
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
  /* The server's sync orders against the application's calls only on one connection. */
  g_assert_true (g_application_get_dbus_connection (G_APPLICATION (f->app)) == f->bus);

  settings = pc_application_get_settings (f->app);
  g_assert_nonnull (settings);
  g_settings_reset (settings, "notify-reinvitable");

  pc_sandbox_clear_requests (f->sandbox);

  if (options->no_window)
    return;

  g_application_activate (G_APPLICATION (f->app));
  f->window = find_window (f);
  g_assert_nonnull (f->window);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1000, 700);
  wait_for_bookings (f, N_DEMO_BOOKINGS + (options->extra ? 1 : 0));
  make_window_active (f);
  pc_sandbox_clear_requests (f->sandbox);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  /* Nothing may be left in flight: it holds the application. */
  if (pc_application_get_reinviter (f->app) != NULL)
    wait_idle (f);

  /* The dialogs go with the window they are in. */
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

static void
test_success (Fixture       *f,
              gconstpointer  data)
{
  const char *reason = "Sorry I missed you & <you> — free tonight?";
  PcBooking *booking = lookup (f, NIGHT_OWL);
  PcReinviteDialog *dialog;

  /* As if the details page's Re-invite… button had been pressed. */
  pc_window_show_booking (f->window, NIGHT_OWL);
  g_assert_true (gtk_widget_grab_focus (GTK_WIDGET (pc_ui_find_button (page (f), "Re-invite…"))));
  dialog = open_dialog (f, NIGHT_OWL);

  /* It names the client and the session, and says what re-inviting does. */
  g_assert_cmpstr (gtk_label_get_text (dialog_child (dialog, "nickname_label")), ==, "NightOwl_77");
  g_assert_true (g_str_has_suffix (gtk_label_get_text (dialog_child (dialog, "session_label")),
                                   " · 10 minutes · 15.00 credits"));
  gtk_test_accessible_assert_role (dialog, GTK_ACCESSIBLE_ROLE_DIALOG);
  /* Before the re-invite, the list item says that it can be. */
  assert_row_name (f, NIGHT_OWL, "NightOwl_77", "Pending, can be re-invited");
  g_assert_cmpstr (gtk_label_get_text (dialog_child (dialog, "explanation_label")), ==,
                   "The booking will be rejected and NightOwl_77 invited to book again.");
  g_assert_true (send_enabled (dialog));

  pc_reinvite_dialog_set_reason (dialog, reason);
  /* Kept as the draft as it is typed. */
  g_assert_cmpstr (pc_reason_drafts_get (pc_application_get_drafts (f->app), NIGHT_OWL), ==, reason);

  click (dialog_child (dialog, "send_button"));
  g_assert_true (pc_reinvite_dialog_get_busy (dialog));
  g_assert_false (send_enabled (dialog));

  /* Success: the dialog closes, the booking changed in place, a toast confirms (the
   * window is active, so there is no notification). */
  PC_TEST_WAIT_UNTIL (pc_window_get_reinvite_dialog (f->window) == NULL);
  wait_idle (f);

  g_assert_cmpint (pc_booking_get_status (pc_sandbox_lookup (f->sandbox, NIGHT_OWL)), ==,
                   PC_BOOKING_STATUS_REJECTED);
  g_assert_cmpstr (pc_booking_get_rejected_reason (pc_sandbox_lookup (f->sandbox, NIGHT_OWL)), ==,
                   reason);
  g_assert_cmpuint (pc_sandbox_count_requests (f->sandbox, "POST", REINVITE_PATH), ==, 1);

  g_assert_true (lookup (f, NIGHT_OWL) == booking);
  g_assert_cmpint (pc_booking_get_status (booking), ==, PC_BOOKING_STATUS_REJECTED);
  g_assert_cmpstr (row_status (f, NIGHT_OWL), ==, "Rejected");
  /* Screen readers hear the list item's name, which follows the booking. */
  assert_row_name (f, NIGHT_OWL, "NightOwl_77", "Rejected");
  g_assert_nonnull (pc_ui_find_label (page (f), "Rejected", "status-badge"));
  g_assert_cmpstr (pc_ui_row_value (page (f), "History", "Reason for rejecting"), ==, reason);
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (f->window), "reinvite"));
  g_assert_true (has_toast (f, "NightOwl_77 was re-invited"));
  /* The Re-invite… button that had the focus is insensitive now: the list has it. */
  g_assert_true (has_focus_within (f->window, window_child (f, "list_view")));
  g_assert_null (pc_reason_drafts_get (pc_application_get_drafts (f->app), NIGHT_OWL));
  assert_no_notification (f);
}

static void
test_rejected (Fixture       *f,
               gconstpointer  data)
{
  const char *reason = "Can we try again?";
  PcReinviteDialog *dialog;
  const PcTestNotification *n;
  g_autofree char *kept = NULL;
  const char *error_text;

  make_ineligible_on_server (f, NIGHT_OWL);
  dialog = open_dialog (f, NIGHT_OWL);
  pc_reinvite_dialog_set_reason (dialog, reason);
  /* The user switches to another program while it is sent. */
  make_window_inactive (f);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "reinvite.send", NULL);
  wait_idle (f);

  /* The dialog stays, with the reason as typed and a message that says what to do. */
  g_assert_true (pc_window_get_reinvite_dialog (f->window) == dialog);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (dialog)));
  kept = pc_reinvite_dialog_dup_reason (dialog);
  g_assert_cmpstr (kept, ==, reason);
  error_text = pc_reinvite_dialog_get_error_text (dialog);
  g_assert_nonnull (error_text);
  g_assert_true (g_str_has_prefix (error_text, "The booking has changed on the server"));
  g_assert_nonnull (strstr (error_text, "Refresh the bookings"));
  g_assert_true (gtk_revealer_get_reveal_child (dialog_child (dialog, "message_revealer")));
  g_assert_false (pc_reinvite_dialog_get_busy (dialog));

  /* The booking was read again: the row and the details show why. */
  g_assert_cmpuint (pc_sandbox_count_requests (f->sandbox, "POST", REINVITE_PATH), ==, 1);
  g_assert_cmpuint (pc_sandbox_count_booking_requests (f->sandbox, "GET", DETAILS_PATH,
                                                       NIGHT_OWL), ==, 1);
  g_assert_cmpint (pc_booking_get_status (lookup (f, NIGHT_OWL)), ==, PC_BOOKING_STATUS_ACCEPTED);
  g_assert_cmpstr (row_status (f, NIGHT_OWL), ==, "Accepted");
  g_assert_nonnull (pc_ui_find_label (page (f), "Accepted", "status-badge"));
  /* Nothing more to send for it. */
  g_assert_false (send_enabled (dialog));
  g_assert_cmpstr (pc_reason_drafts_get (pc_application_get_drafts (f->app), NIGHT_OWL), ==, reason);

  /* One sentence, and the server's own words below it: not the same text twice. */
  g_assert_cmpstr (gtk_label_get_text (dialog_child (dialog, "message_label")), ==,
                   "The booking has changed on the server and was not re-invited. Refresh "
                   "the bookings to see its current state.");
  g_assert_nonnull (strstr (gtk_label_get_text (dialog_child (dialog, "details_label")),
                            "only Pending bookings can be re-invited"));

  /* The window is not active: the failure is notified too. */
  pc_test_notification_server_wait_for_notify (f->server, 1);
  n = pc_test_notification_server_get_last (f->server);
  g_assert_cmpstr (n->summary, ==, "Re-invite failed: NightOwl_77");
  g_assert_nonnull (strstr (n->body, "only Pending bookings can be re-invited"));
}

static void
test_network_error (Fixture       *f,
                    gconstpointer  data)
{
  const char *reason = "Missed you!";
  PcReinviteDialog *dialog;
  g_autofree char *kept = NULL;
  const PcTestNotification *n;

  dialog = open_dialog (f, NIGHT_OWL);
  pc_reinvite_dialog_set_reason (dialog, reason);
  pc_sandbox_stop (f->sandbox);
  make_window_inactive (f);

  gtk_widget_activate_action (GTK_WIDGET (dialog), "reinvite.send", NULL);
  wait_idle (f);

  g_assert_true (pc_window_get_reinvite_dialog (f->window) == dialog);
  kept = pc_reinvite_dialog_dup_reason (dialog);
  g_assert_cmpstr (kept, ==, reason);
  g_assert_true (g_str_has_prefix (pc_reinvite_dialog_get_error_text (dialog),
                                   "PhoneChat cannot reach the server, so the client was not "
                                   "re-invited. Check your internet connection, then try again."));
  g_assert_cmpint (pc_booking_get_status (lookup (f, NIGHT_OWL)), ==, PC_BOOKING_STATUS_PENDING);
  /* Try again is possible, from the keyboard too: the reason has the focus again. */
  g_assert_true (send_enabled (dialog));
  g_assert_true (has_focus_within (dialog, dialog_child (dialog, "reason_editor")));

  pc_test_notification_server_wait_for_notify (f->server, 1);
  n = pc_test_notification_server_get_last (f->server);
  g_assert_cmpstr (n->summary, ==, "Re-invite failed: NightOwl_77");
}

/* A 5xx: a short sentence as the heading, the API's message (status, what the server
 * said) as the details. */
static void
test_server_error (Fixture       *f,
                   gconstpointer  data)
{
  PcReinviteDialog *dialog;
  GtkLabel *message_label;
  GtkLabel *details_label;

  dialog = open_dialog (f, NIGHT_OWL);
  pc_sandbox_set_path_status (f->sandbox, REINVITE_PATH, 500);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "reinvite.send", NULL);
  wait_idle (f);

  g_assert_true (pc_window_get_reinvite_dialog (f->window) == dialog);
  message_label = dialog_child (dialog, "message_label");
  details_label = dialog_child (dialog, "details_label");
  g_assert_cmpstr (gtk_label_get_text (message_label), ==,
                   "The server had a problem with the re-invite. Try again later.");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (details_label)));
  g_assert_nonnull (strstr (gtk_label_get_text (details_label), "500"));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (details_label), "dim-label"));
  g_assert_true (send_enabled (dialog));

  /* The dialog says it: with the window active, no toast and no notification. */
  g_assert_false (has_toast (f, "Could not re-invite NightOwl_77"));
  assert_no_notification (f);
}

static void
test_double_submit (Fixture       *f,
                    gconstpointer  data)
{
  PcReinviteDialog *dialog = open_dialog (f, NIGHT_OWL);
  GtkWidget *send_button = dialog_child (dialog, "send_button");

  pc_reinvite_dialog_set_reason (dialog, "Only once, please");

  /* A double click, Ctrl+Enter, the window's action and the notification's action. */
  click (send_button);
  g_assert_false (gtk_widget_is_sensitive (send_button));
  g_signal_emit_by_name (send_button, "clicked");
  press_ctrl_enter (GTK_WIDGET (dialog));
  press_ctrl_enter (GTK_WIDGET (dialog));
  g_action_group_activate_action (G_ACTION_GROUP (f->window), "reinvite", NULL);
  g_action_group_activate_action (G_ACTION_GROUP (f->app), "reinvite-booking",
                                  g_variant_new_int64 (NIGHT_OWL));

  /* While in flight: progress, nothing to press again, still the same dialog. */
  g_assert_true (pc_window_get_reinvite_dialog (f->window) == dialog);
  g_assert_true (pc_reinvite_dialog_get_busy (dialog));
  g_assert_false (gtk_widget_get_sensitive (send_button));
  g_assert_true (gtk_widget_get_visible (dialog_child (dialog, "progress_box")));
  g_assert_true (ADW_IS_SPINNER (dialog_child (dialog, "spinner")));
  g_assert_true (gtk_widget_is_visible (dialog_child (dialog, "spinner")));
  /* It cannot be closed and lose track of the request. */
  g_assert_false (adw_dialog_get_can_close (ADW_DIALOG (dialog)));
  g_assert_cmpstr (gtk_label_get_text (dialog_child (dialog, "progress_label")), ==, "Re-inviting…");

  PC_TEST_WAIT_UNTIL (pc_window_get_reinvite_dialog (f->window) == NULL);
  wait_idle (f);
  pc_test_drain_main_context ();

  g_assert_cmpuint (pc_sandbox_count_requests (f->sandbox, "POST", REINVITE_PATH), ==, 1);
  g_assert_cmpint (pc_booking_get_status (lookup (f, NIGHT_OWL)), ==, PC_BOOKING_STATUS_REJECTED);
}

/* Quitting while a re-invite is on its way asks first: quitting would leave its outcome
 * unknown. Keep Running keeps everything, and the re-invite completes once. */
static void
test_quit_while_sending (Fixture       *f,
                         gconstpointer  data)
{
  PcReinviteDialog *dialog = open_dialog (f, NIGHT_OWL);
  AdwDialog *alert;

  click (dialog_child (dialog, "send_button"));
  g_assert_true (pc_reinviter_get_busy (reinviter (f)));

  g_action_group_activate_action (G_ACTION_GROUP (f->app), "quit", NULL);
  alert = adw_application_window_get_visible_dialog (ADW_APPLICATION_WINDOW (f->window));
  g_assert_true (ADW_IS_ALERT_DIALOG (alert));
  g_assert_cmpstr (adw_alert_dialog_get_heading (ADW_ALERT_DIALOG (alert)), ==,
                   "Quit While Re-inviting?");
  g_assert_cmpint (adw_alert_dialog_get_response_appearance (ADW_ALERT_DIALOG (alert), "quit"), ==,
                   ADW_RESPONSE_DESTRUCTIVE);
  g_assert_cmpstr (adw_alert_dialog_get_close_response (ADW_ALERT_DIALOG (alert)), ==, "cancel");

  /* Escape: keep running. */
  g_assert_true (adw_dialog_close (alert));
  PC_TEST_WAIT_UNTIL (pc_window_get_reinvite_dialog (f->window) == NULL);
  wait_idle (f);
  pc_test_drain_main_context ();
  g_assert_cmpuint (pc_sandbox_count_requests (f->sandbox, "POST", REINVITE_PATH), ==, 1);
  g_assert_cmpint (pc_booking_get_status (lookup (f, NIGHT_OWL)), ==, PC_BOOKING_STATUS_REJECTED);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->window)));
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  PcReinviteDialog *dialog = open_dialog (f, NIGHT_OWL);
  gboolean rejected;

  pc_reinvite_dialog_set_reason (dialog, "Changed my mind");
  gtk_widget_activate_action (GTK_WIDGET (dialog), "reinvite.send", NULL);

  /* The server has the request: Cancel (Escape) cannot take it back, only find out. */
  PC_TEST_WAIT_UNTIL (count_posts (f, NIGHT_OWL) == 1);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "reinvite.cancel", NULL);
  g_assert_true (pc_reinvite_dialog_get_busy (dialog));
  g_assert_cmpstr (gtk_label_get_text (dialog_child (dialog, "progress_label")), ==, "Cancelling…");
  g_assert_false (gtk_widget_get_sensitive (dialog_child (dialog, "cancel_button")));

  /* Whatever happened, the dialog closes and says so; the row shows the server's state. */
  PC_TEST_WAIT_UNTIL (pc_window_get_reinvite_dialog (f->window) == NULL);
  wait_idle (f);
  rejected = pc_booking_get_status (pc_sandbox_lookup (f->sandbox, NIGHT_OWL)) ==
             PC_BOOKING_STATUS_REJECTED;
  g_assert_cmpint (pc_booking_get_status (lookup (f, NIGHT_OWL)), ==,
                   pc_booking_get_status (pc_sandbox_lookup (f->sandbox, NIGHT_OWL)));
  if (rejected)
    g_assert_true (has_toast (f, "NightOwl_77 was re-invited"));
  else
    g_assert_true (has_toast (f, "Re-invite cancelled: NightOwl_77’s booking is still pending"));
  g_assert_cmpuint (count_posts (f, NIGHT_OWL), ==, 1);
}

static void
test_window_closed (Fixture       *f,
                    gconstpointer  data)
{
  PcReinviteDialog *dialog = open_dialog (f, NIGHT_OWL);
  const PcTestNotification *n;

  pc_reinvite_dialog_set_reason (dialog, "Closing on you");
  gtk_widget_activate_action (GTK_WIDGET (dialog), "reinvite.send", NULL);
  g_assert_true (pc_reinviter_get_busy (reinviter (f)));

  /* The window (and with it the dialog) goes while the request is in flight: the
   * application holds itself, and the result still arrives as a notification. */
  gtk_window_destroy (GTK_WINDOW (f->window));
  f->window = NULL;
  g_assert_null (find_window (f));
  g_assert_true (pc_reinviter_get_busy (reinviter (f)));
  g_assert_true (pc_application_get_holding (f->app));

  pc_test_notification_server_wait_for_notify (f->server, 1);
  n = pc_test_notification_server_get_last (f->server);
  g_assert_cmpstr (n->summary, ==, "NightOwl_77 re-invited");
  wait_idle (f);
  g_assert_cmpint (pc_booking_get_status (lookup (f, NIGHT_OWL)), ==, PC_BOOKING_STATUS_REJECTED);
  g_assert_cmpuint (pc_sandbox_count_requests (f->sandbox, "POST", REINVITE_PATH), ==, 1);
  g_assert_false (pc_application_get_holding (f->app));
}

static void
test_notification_action (Fixture       *f,
                          gconstpointer  data)
{
  PcReinviteDialog *dialog = open_dialog (f, NIGHT_OWL);
  const PcTestNotification *n;
  guint32 id;

  make_window_inactive (f);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "reinvite.send", NULL);
  wait_idle (f);
  pc_test_notification_server_wait_for_notify (f->server, 1);
  /* GLib can only close a notification whose id it has received. */
  pc_test_notification_server_sync (f->server);
  n = pc_test_notification_server_get_last (f->server);
  id = n->id;

  /* The user looks elsewhere, then clicks the notification. */
  pc_window_show_booking (f->window, QUIET_CALLER);
  g_assert_cmpuint (pc_test_notification_server_get_n_close_calls (f->server), ==, 0);
  pc_test_notification_server_invoke_action (f->server, id, "default");

  /* app.show-booking(4817263): the window shows it, and its notification is withdrawn. */
  PC_TEST_WAIT_UNTIL (selected_id (f) == NIGHT_OWL);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->window)));
  g_assert_nonnull (pc_ui_find_label (page (f), "NightOwl_77", "title-1"));
  pc_test_notification_server_wait_for_close (f->server, 1);
  g_assert_cmpuint (pc_test_notification_server_get_close_call (f->server, 0), ==, id);
}

static void
test_show_booking_fresh (Fixture       *f,
                         gconstpointer  data)
{
  /* A D-Bus-activated instance has no window when the action arrives. */
  g_assert_null (find_window (f));
  g_action_group_activate_action (G_ACTION_GROUP (f->app), "show-booking",
                                  g_variant_new_int64 (LATE_LARK));

  f->window = find_window (f);
  g_assert_nonnull (f->window);
  PC_TEST_WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (f->window)));
  wait_for_bookings (f, N_DEMO_BOOKINGS);
  PC_TEST_WAIT_UNTIL (selected_id (f) == LATE_LARK);
  g_assert_nonnull (pc_ui_find_label (page (f), "late_lark", "title-1"));

  /* app.reinvite-booking opens the dialog in the same window. */
  g_action_group_activate_action (G_ACTION_GROUP (f->app), "reinvite-booking",
                                  g_variant_new_int64 (SHY_SAM));
  g_assert_true (find_window (f) == f->window);
  g_assert_nonnull (pc_window_get_reinvite_dialog (f->window));
  g_assert_cmpint (pc_booking_get_booking_id (pc_reinvite_dialog_get_booking (pc_window_get_reinvite_dialog (f->window))), ==,
                   SHY_SAM);
  g_assert_cmpint (selected_id (f), ==, SHY_SAM);

  /* app.show-window just shows it. */
  g_action_group_activate_action (G_ACTION_GROUP (f->app), "show-window", NULL);
  g_assert_true (find_window (f) == f->window);
}

static void
test_reinvite_booking_fresh (Fixture       *f,
                             gconstpointer  data)
{
  PcReinviteDialog *dialog;

  /* From a notification's Re-invite… button, before anything has loaded. */
  g_action_group_activate_action (G_ACTION_GROUP (f->app), "reinvite-booking",
                                  g_variant_new_int64 (BRUMMIE_BOB));
  f->window = find_window (f);
  g_assert_nonnull (f->window);
  wait_for_bookings (f, N_DEMO_BOOKINGS);
  PC_TEST_WAIT_UNTIL (pc_window_get_reinvite_dialog (f->window) != NULL);
  dialog = pc_window_get_reinvite_dialog (f->window);
  g_assert_cmpint (pc_booking_get_booking_id (pc_reinvite_dialog_get_booking (dialog)), ==,
                   BRUMMIE_BOB);
  g_assert_cmpint (selected_id (f), ==, BRUMMIE_BOB);
}

static void
booking_became_reinvitable_cb (PcBookingStore *store_,
                               PcBooking      *booking,
                               guint          *count)
{
  (*count)++;
}

static void
test_became_reinvitable (Fixture       *f,
                         gconstpointer  data)
{
  const PcTestNotification *n;
  const char *button;
  PcReinviteDialog *dialog;
  guint became = 0;

  g_signal_connect (store (f), "booking-became-reinvitable",
                    G_CALLBACK (booking_became_reinvitable_cb), &became);
  make_window_inactive (f);

  /* velvet_voice's session passes while the app runs. */
  g_assert_false (pc_booking_get_can_reinvite (lookup (f, VELVET_VOICE)));
  move_clock (f, 3 * 60 + 1);
  g_assert_cmpuint (became, ==, 1);
  g_assert_true (pc_booking_get_can_reinvite (lookup (f, VELVET_VOICE)));

  pc_test_notification_server_wait_for_notify (f->server, 1);
  pc_test_notification_server_sync (f->server);
  g_assert_cmpuint (pc_test_notification_server_get_n_notify_calls (f->server), ==, 1);
  n = pc_test_notification_server_get_last (f->server);
  assert_common (f, n);
  g_assert_cmpstr (n->summary, ==, "velvet_voice can be re-invited");
  g_assert_true (g_str_has_prefix (n->body, "The session of booking 4817422 ("));
  button = pc_test_notification_find_action (n, "app.reinvite-booking");
  g_assert_cmpstr (button, ==, "app.reinvite-booking(int64 4817422)");
  g_assert_cmpstr (pc_test_notification_get_action_label (n, button), ==, "Re-invite…");

  /* Its button opens the dialog for it. */
  g_assert_null (pc_window_get_reinvite_dialog (f->window));
  pc_test_notification_server_invoke_action (f->server, n->id, button);
  PC_TEST_WAIT_UNTIL (pc_window_get_reinvite_dialog (f->window) != NULL);
  dialog = pc_window_get_reinvite_dialog (f->window);
  g_assert_cmpint (pc_booking_get_booking_id (pc_reinvite_dialog_get_booking (dialog)), ==,
                   VELVET_VOICE);
  g_assert_cmpint (selected_id (f), ==, VELVET_VOICE);
  g_assert_true (send_enabled (dialog));

  g_signal_handlers_disconnect_by_func (store (f), booking_became_reinvitable_cb, &became);
}

static void
test_became_reinvitable_off (Fixture       *f,
                             gconstpointer  data)
{
  GAction *action;
  guint became = 0;

  /* The switch is the app.notify-reinvitable action, a check item in the primary menu. */
  action = g_action_map_lookup_action (G_ACTION_MAP (f->app), "notify-reinvitable");
  g_assert_nonnull (action);
  g_assert_true (g_variant_get_boolean (g_action_get_state (action)));
  g_action_group_change_action_state (G_ACTION_GROUP (f->app), "notify-reinvitable",
                                      g_variant_new_boolean (FALSE));
  g_assert_false (g_settings_get_boolean (pc_application_get_settings (f->app),
                                          "notify-reinvitable"));

  g_signal_connect (store (f), "booking-became-reinvitable",
                    G_CALLBACK (booking_became_reinvitable_cb), &became);
  move_clock (f, 3 * 60 + 1);
  g_assert_cmpuint (became, ==, 1);

  pc_test_drain_main_context ();
  pc_test_notification_server_sync (f->server);
  g_assert_cmpuint (pc_test_notification_server_get_n_notify_calls (f->server), ==, 0);

  g_signal_handlers_disconnect_by_func (store (f), booking_became_reinvitable_cb, &became);
}

static void
select_position_of (Fixture *f,
                    gint64   booking_id)
{
  GListModel *model = G_LIST_MODEL (gtk_list_view_get_model (window_child (f, "list_view")));

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(PcBooking) booking = g_list_model_get_item (model, i);

      if (pc_booking_get_booking_id (booking) == booking_id)
        {
          g_assert_true (gtk_selection_model_select_item (GTK_SELECTION_MODEL (model), i, FALSE));
          return;
        }
    }

  g_assert_not_reached ();
}

static void
test_batch (Fixture       *f,
            gconstpointer  data)
{
  static const gint64 eligible[] = { NIGHT_OWL, LATE_LARK, BRUMMIE_BOB, SHY_SAM, OWL_TWIN };
  const char *reason = "Sorry, I missed our sessions.";
  GtkLabel *batch_label = window_child (f, "batch_label");
  PcBatchReinviteDialog *dialog;
  PcReinviteBatch *result;
  const PcTestNotification *n;
  const char *status;

  /* One will fail: the server has moved on, the app does not know yet. */
  make_ineligible_on_server (f, BRUMMIE_BOB);

  /* Selection mode, from the header's Select button. */
  g_assert_false (gtk_action_bar_get_revealed (window_child (f, "selection_bar")));
  click (window_child (f, "selection_button"));
  g_assert_true (pc_window_get_selection_mode (f->window));
  g_assert_true (gtk_action_bar_get_revealed (window_child (f, "selection_bar")));
  g_assert_true (GTK_IS_MULTI_SELECTION (gtk_list_view_get_model (window_child (f, "list_view"))));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (f->window), "reinvite-selected"));

  /* Escape leaves it. */
  g_action_group_activate_action (G_ACTION_GROUP (f->window), "cancel-selection", NULL);
  g_assert_false (pc_window_get_selection_mode (f->window));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (f->window), "cancel-selection"));
  g_action_group_change_action_state (G_ACTION_GROUP (f->window), "selection-mode",
                                      g_variant_new_boolean (TRUE));
  g_assert_true (pc_window_get_selection_mode (f->window));

  /* Rows show check buttons. */
  {
    PcBookingRow *row = pc_ui_find_booking_row (window_child (f, "list_view"), NIGHT_OWL);

    g_assert_nonnull (row);
    g_assert_true (pc_booking_row_get_selection_mode (row));
    g_assert_true (gtk_widget_get_visible (GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (row), PC_TYPE_BOOKING_ROW, "check_button"))));
  }

  select_position_of (f, NIGHT_OWL);
  g_assert_cmpstr (gtk_label_get_text (batch_label), ==, "Re-invite 1 Client…");
  for (guint i = 1; i < G_N_ELEMENTS (eligible); i++)
    select_position_of (f, eligible[i]);
  /* And one that cannot be re-invited: it is skipped, with the reason. */
  select_position_of (f, QUIET_CALLER);
  g_assert_cmpstr (gtk_label_get_text (batch_label), ==, "Re-invite 6 Clients…");
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (f->window), "reinvite-selected"));

  /* As if the selection bar's button had been pressed: it hides when the batch starts. */
  g_assert_true (gtk_widget_grab_focus (window_child (f, "batch_button")));
  g_action_group_activate_action (G_ACTION_GROUP (f->window), "reinvite-selected", NULL);
  dialog = pc_window_get_batch_dialog (f->window);
  g_assert_nonnull (dialog);
  PC_TEST_WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (dialog)));
  g_assert_cmpuint (pc_batch_reinvite_dialog_get_n_bookings (dialog), ==, 6);
  gtk_test_accessible_assert_role (dialog, GTK_ACCESSIBLE_ROLE_DIALOG);
  g_assert_true (g_str_has_prefix (pc_batch_reinvite_dialog_get_row_status (dialog, QUIET_CALLER),
                                   "Will be skipped: "));

  pc_batch_reinvite_dialog_set_reason (dialog, reason);
  /* The summary is a notification when the user looks elsewhere. */
  make_window_inactive (f);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "batch.send", NULL);
  g_assert_true (pc_batch_reinvite_dialog_get_running (dialog));
  g_assert_false (gtk_widget_get_sensitive (batch_child (dialog, "send_button")));
  g_assert_false (adw_dialog_get_can_close (ADW_DIALOG (dialog)));
  /* The batch has its bookings: the list is back to normal. */
  g_assert_false (pc_window_get_selection_mode (f->window));

  PC_TEST_WAIT_UNTIL (!pc_batch_reinvite_dialog_get_running (dialog));
  wait_idle (f);
  result = pc_batch_reinvite_dialog_get_result (dialog);
  g_assert_nonnull (result);
  g_assert_cmpuint (pc_reinvite_batch_count (result, PC_REINVITE_OUTCOME_SUCCEEDED), ==, 4);
  g_assert_cmpuint (pc_reinvite_batch_count (result, PC_REINVITE_OUTCOME_FAILED), ==, 1);
  g_assert_cmpuint (pc_reinvite_batch_count (result, PC_REINVITE_OUTCOME_SKIPPED), ==, 1);

  /* Exactly one POST per eligible booking, none for the other. */
  g_assert_cmpuint (pc_sandbox_count_requests (f->sandbox, "POST", REINVITE_PATH), ==,
                    G_N_ELEMENTS (eligible));
  for (guint i = 0; i < G_N_ELEMENTS (eligible); i++)
    g_assert_cmpuint (count_posts (f, eligible[i]), ==, 1);
  g_assert_cmpuint (count_posts (f, QUIET_CALLER), ==, 0);

  /* Progress and per-booking results. */
  g_assert_cmpstr (gtk_progress_bar_get_text (batch_child (dialog, "progress_bar")), ==, "5 of 5");
  g_assert_cmpfloat (gtk_progress_bar_get_fraction (batch_child (dialog, "progress_bar")), ==, 1.0);
  g_assert_cmpstr (pc_batch_reinvite_dialog_get_row_status (dialog, NIGHT_OWL), ==, "Re-invited");
  g_assert_cmpstr (pc_batch_reinvite_dialog_get_row_status (dialog, OWL_TWIN), ==, "Re-invited");
  /* A failure: one sentence, and the server's words below it. */
  status = pc_batch_reinvite_dialog_get_row_status (dialog, BRUMMIE_BOB);
  g_assert_cmpstr (status, ==, "The booking has changed on the server and was not re-invited. "
                               "Refresh the bookings to see its current state.");
  g_assert_true (g_str_has_prefix (pc_batch_reinvite_dialog_get_row_details (dialog, BRUMMIE_BOB),
                                   "Could not re-invite booking 4817188"));
  g_assert_null (pc_batch_reinvite_dialog_get_row_details (dialog, NIGHT_OWL));
  /* It was read again and is accepted now: nothing to retry. */
  g_assert_false (gtk_widget_get_visible (batch_child (dialog, "retry_button")));
  g_assert_cmpstr (pc_batch_reinvite_dialog_get_row_status (dialog, QUIET_CALLER), ==,
                   "Skipped: This booking has been accepted. Only pending bookings can be re-invited.");
  PC_TEST_WAIT_UNTIL (pc_ui_find_label (GTK_WIDGET (dialog), "4 clients re-invited, 1 failed", NULL) != NULL);
  g_assert_true (gtk_widget_get_visible (batch_child (dialog, "close_button")));
  g_assert_false (gtk_widget_get_visible (batch_child (dialog, "cancel_button")));

  /* The rows follow in place. */
  g_assert_cmpint (pc_booking_get_status (lookup (f, SHY_SAM)), ==, PC_BOOKING_STATUS_REJECTED);
  g_assert_cmpstr (pc_booking_get_rejected_reason (lookup (f, SHY_SAM)), ==, reason);
  g_assert_cmpint (pc_booking_get_status (lookup (f, BRUMMIE_BOB)), ==, PC_BOOKING_STATUS_ACCEPTED);

  /* One summary notification, and no notification per booking. */
  pc_test_notification_server_wait_for_notify (f->server, 1);
  pc_test_notification_server_sync (f->server);
  g_assert_cmpuint (pc_test_notification_server_get_n_notify_calls (f->server), ==, 1);
  n = pc_test_notification_server_get_last (f->server);
  assert_common (f, n);
  g_assert_cmpstr (n->summary, ==, "4 clients re-invited, 1 failed");
  g_assert_cmpstr (n->body, ==, "Failed: Brummie_Bob\nSkipped, not eligible: quiet_caller");

  /* Escape now closes it, and the keyboard is back on the list. */
  make_window_active (f);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "batch.cancel", NULL);
  PC_TEST_WAIT_UNTIL (pc_window_get_batch_dialog (f->window) == NULL);
  g_assert_true (has_focus_within (f->window, window_child (f, "list_view")));
}

static void
test_draft (Fixture       *f,
            gconstpointer  data)
{
  const char *reason = "Half-typed reas";
  PcReinviteDialog *dialog = open_dialog (f, LATE_LARK);
  g_autofree char *shown = NULL;

  pc_reinvite_dialog_set_reason (dialog, reason);

  /* Escape on an idle dialog closes it; the reason stays as the booking's draft. */
  gtk_widget_activate_action (GTK_WIDGET (dialog), "reinvite.cancel", NULL);
  PC_TEST_WAIT_UNTIL (pc_window_get_reinvite_dialog (f->window) == NULL);
  g_assert_cmpstr (pc_reason_drafts_get (pc_application_get_drafts (f->app), LATE_LARK), ==, reason);
  g_assert_cmpuint (pc_sandbox_count_requests (f->sandbox, "POST", NULL), ==, 0);

  dialog = open_dialog (f, LATE_LARK);
  shown = pc_reinvite_dialog_dup_reason (dialog);
  g_assert_cmpstr (shown, ==, reason);

  /* Another booking's dialog starts empty, and replaces this one. */
  {
    PcReinviteDialog *other;
    g_autofree char *empty = NULL;

    g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
    other = open_dialog (f, SHY_SAM);
    /* Gone once its closing animation has ended. */
    PC_TEST_WAIT_UNTIL (dialog == NULL);
    empty = pc_reinvite_dialog_dup_reason (other);
    g_assert_cmpstr (empty, ==, "");
    g_assert_cmpstr (pc_reason_drafts_get (pc_application_get_drafts (f->app), LATE_LARK), ==, reason);
  }

  /* Even with the main window closed: the application keeps it. Closing the window
   * closes the dialog in it first, as libadwaita does. */
  gtk_window_close (GTK_WINDOW (f->window));
  PC_TEST_WAIT_UNTIL (pc_window_get_reinvite_dialog (f->window) == NULL);
  g_assert_nonnull (find_window (f));
  gtk_window_close (GTK_WINDOW (f->window));
  pc_test_drain_main_context ();
  g_assert_null (find_window (f));
  g_action_group_activate_action (G_ACTION_GROUP (f->app), "reinvite-booking",
                                  g_variant_new_int64 (LATE_LARK));
  f->window = find_window (f);
  g_assert_nonnull (f->window);
  dialog = pc_window_get_reinvite_dialog (f->window);
  g_assert_nonnull (dialog);
  g_clear_pointer (&shown, g_free);
  shown = pc_reinvite_dialog_dup_reason (dialog);
  g_assert_cmpstr (shown, ==, reason);
}

/* Window active: a toast and no notification. Not active: a notification and no toast. */
static void
test_notify_inactive_only (Fixture       *f,
                           gconstpointer  data)
{
  PcReinviteDialog *dialog;
  const PcTestNotification *n;

  g_assert_true (gtk_window_is_active (GTK_WINDOW (f->window)));
  dialog = open_dialog (f, NIGHT_OWL);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "reinvite.send", NULL);
  PC_TEST_WAIT_UNTIL (pc_window_get_reinvite_dialog (f->window) == NULL);
  wait_idle (f);
  g_assert_true (has_toast (f, "NightOwl_77 was re-invited"));
  assert_no_notification (f);

  dialog = open_dialog (f, LATE_LARK);
  make_window_inactive (f);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "reinvite.send", NULL);
  PC_TEST_WAIT_UNTIL (pc_window_get_reinvite_dialog (f->window) == NULL);
  wait_idle (f);

  pc_test_notification_server_wait_for_notify (f->server, 1);
  pc_test_notification_server_sync (f->server);
  g_assert_cmpuint (pc_test_notification_server_get_n_notify_calls (f->server), ==, 1);
  n = pc_test_notification_server_get_last (f->server);
  assert_common (f, n);
  g_assert_cmpstr (n->summary, ==, "late_lark re-invited");
  g_assert_true (g_str_has_prefix (n->body, "Booking 4817301 ("));
  g_assert_true (g_str_has_suffix (n->body, ") was rejected and the client invited again."));
  g_assert_cmpuint (pc_test_notification_get_n_actions (n), ==, 1);
  g_assert_nonnull (pc_test_notification_get_action_label (n, "default"));
  g_assert_false (has_toast (f, "late_lark was re-invited"));
}

/* A failure notified while the user looked elsewhere is withdrawn by the success that
 * follows, also when that success is a toast. */
static void
test_notify_success_withdraws_failure (Fixture       *f,
                                       gconstpointer  data)
{
  PcReinviteDialog *dialog;
  const PcTestNotification *n;
  guint32 failure_id;

  dialog = open_dialog (f, NIGHT_OWL);
  pc_sandbox_set_path_status (f->sandbox, REINVITE_PATH, 503);
  make_window_inactive (f);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "reinvite.send", NULL);
  wait_idle (f);

  pc_test_notification_server_wait_for_notify (f->server, 1);
  /* GLib can only close a notification whose id it has received. */
  pc_test_notification_server_sync (f->server);
  n = pc_test_notification_server_get_last (f->server);
  g_assert_cmpstr (n->summary, ==, "Re-invite failed: NightOwl_77");
  failure_id = n->id;
  g_assert_true (pc_window_get_reinvite_dialog (f->window) == dialog);

  /* Back in the window, the user sends again from the dialog, which kept everything. */
  pc_sandbox_set_path_status (f->sandbox, REINVITE_PATH, 0);
  make_window_active (f);
  g_assert_true (send_enabled (dialog));
  gtk_widget_activate_action (GTK_WIDGET (dialog), "reinvite.send", NULL);
  PC_TEST_WAIT_UNTIL (pc_window_get_reinvite_dialog (f->window) == NULL);
  wait_idle (f);

  g_assert_true (has_toast (f, "NightOwl_77 was re-invited"));
  pc_test_notification_server_wait_for_close (f->server, 1);
  g_assert_cmpuint (pc_test_notification_server_get_close_call (f->server, 0), ==, failure_id);
  g_assert_cmpuint (pc_test_notification_server_get_n_open (f->server), ==, 0);
  /* The toast was the only news of the success. */
  g_assert_cmpuint (pc_test_notification_server_get_n_notify_calls (f->server), ==, 1);
  g_assert_cmpuint (count_posts (f, NIGHT_OWL), ==, 2);
}

static void
test_became_reinvitable_active (Fixture       *f,
                                gconstpointer  data)
{
  /* While the user looks at the window, a toast says it (with its own Re-invite…). */
  move_clock (f, 3 * 60 + 1);
  g_assert_true (pc_booking_get_can_reinvite (lookup (f, VELVET_VOICE)));
  g_assert_true (has_toast (f, "velvet_voice can be re-invited"));
  assert_no_notification (f);
}

/* Selects @ids in selection mode and opens the batch dialog for them. */
static PcBatchReinviteDialog *
open_batch_dialog (Fixture      *f,
                   const gint64 *ids,
                   guint         n_ids)
{
  PcBatchReinviteDialog *dialog;

  g_action_group_change_action_state (G_ACTION_GROUP (f->window), "selection-mode",
                                      g_variant_new_boolean (TRUE));
  for (guint i = 0; i < n_ids; i++)
    select_position_of (f, ids[i]);
  g_action_group_activate_action (G_ACTION_GROUP (f->window), "reinvite-selected", NULL);
  dialog = pc_window_get_batch_dialog (f->window);
  g_assert_nonnull (dialog);
  g_assert_true (adw_application_window_get_visible_dialog (ADW_APPLICATION_WINDOW (f->window)) ==
                 ADW_DIALOG (dialog));
  PC_TEST_WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (dialog)));
  g_assert_cmpuint (pc_batch_reinvite_dialog_get_n_bookings (dialog), ==, n_ids);

  return dialog;
}

static gboolean
batch_failed (PcReinviteBatch *result,
              gint64           booking_id)
{
  gint index = pc_reinvite_batch_find (result, booking_id);

  g_assert_cmpint (index, >=, 0);
  return pc_reinvite_batch_get_outcome (result, index) == PC_REINVITE_OUTCOME_FAILED;
}

static void
test_batch_retry_failed (Fixture       *f,
                         gconstpointer  data)
{
  static const gint64 ids[] = { NIGHT_OWL, LATE_LARK, BRUMMIE_BOB, SHY_SAM, OWL_TWIN,
                                QUIET_CALLER };
  static const gint64 eligible[] = { NIGHT_OWL, LATE_LARK, BRUMMIE_BOB, SHY_SAM, OWL_TWIN };
  PcBatchReinviteDialog *dialog;
  PcReinviteBatch *result;
  GtkWidget *retry_button;
  guint n_failed = 0;
  gint64 failed[G_N_ELEMENTS (eligible)];

  dialog = open_batch_dialog (f, ids, G_N_ELEMENTS (ids));
  retry_button = batch_child (dialog, "retry_button");
  g_assert_false (gtk_widget_get_visible (retry_button));

  /* The server fails the first two re-invites it receives, then works again. */
  pc_sandbox_set_path_status (f->sandbox, REINVITE_PATH, 500);
  pc_sandbox_set_fault_limit (f->sandbox, 2);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "batch.send", NULL);
  PC_TEST_WAIT_UNTIL (!pc_batch_reinvite_dialog_get_running (dialog));
  wait_idle (f);

  result = pc_batch_reinvite_dialog_get_result (dialog);
  g_assert_cmpuint (pc_reinvite_batch_count (result, PC_REINVITE_OUTCOME_FAILED), ==, 2);
  g_assert_cmpuint (pc_reinvite_batch_count (result, PC_REINVITE_OUTCOME_SUCCEEDED), ==, 3);
  g_assert_cmpuint (pc_reinvite_batch_count (result, PC_REINVITE_OUTCOME_SKIPPED), ==, 1);
  for (guint i = 0; i < G_N_ELEMENTS (eligible); i++)
    {
      g_assert_cmpuint (count_posts (f, eligible[i]), ==, 1);
      if (batch_failed (result, eligible[i]))
        {
          const char *details = pc_batch_reinvite_dialog_get_row_details (dialog, eligible[i]);

          failed[n_failed++] = eligible[i];
          g_assert_cmpstr (pc_batch_reinvite_dialog_get_row_status (dialog, eligible[i]), ==,
                           "The server had a problem with the re-invite. Try again later.");
          g_assert_nonnull (details);
          g_assert_nonnull (strstr (details, "500"));
        }
    }
  g_assert_cmpuint (n_failed, ==, 2);

  /* The dialog shows the summary (once its page is in view: a stack transition may still
   * run on a loaded machine): no toast, no notification. */
  PC_TEST_WAIT_UNTIL (pc_ui_find_label (GTK_WIDGET (dialog), "3 clients re-invited, 2 failed", NULL) != NULL);
  assert_no_notification (f);

  /* Retry Failed: one click, one more POST for each failed booking and none for the
   * others, whatever else is pressed while it runs. */
  g_assert_true (gtk_widget_get_visible (retry_button));
  pc_sandbox_clear_requests (f->sandbox);
  click (retry_button);
  g_assert_true (pc_batch_reinvite_dialog_get_running (dialog));
  g_assert_false (gtk_widget_is_sensitive (retry_button));
  g_signal_emit_by_name (retry_button, "clicked");
  gtk_widget_activate_action (GTK_WIDGET (dialog), "batch.retry-failed", NULL);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "batch.send", NULL);
  for (guint i = 0; i < n_failed; i++)
    g_assert_cmpstr (pc_batch_reinvite_dialog_get_row_status (dialog, failed[i]), ==, "Waiting…");
  g_assert_cmpstr (pc_batch_reinvite_dialog_get_row_status (dialog, QUIET_CALLER), ==,
                   "Skipped: This booking has been accepted. Only pending bookings can be re-invited.");

  PC_TEST_WAIT_UNTIL (!pc_batch_reinvite_dialog_get_running (dialog));
  wait_idle (f);
  pc_test_drain_main_context ();

  g_assert_cmpuint (pc_sandbox_count_requests (f->sandbox, "POST", REINVITE_PATH), ==, n_failed);
  for (guint i = 0; i < G_N_ELEMENTS (eligible); i++)
    {
      gboolean was_failed = eligible[i] == failed[0] || eligible[i] == failed[1];

      g_assert_cmpuint (count_posts (f, eligible[i]), ==, was_failed ? 1 : 0);
      g_assert_cmpstr (pc_batch_reinvite_dialog_get_row_status (dialog, eligible[i]), ==,
                       "Re-invited");
      g_assert_cmpint (pc_booking_get_status (lookup (f, eligible[i])), ==,
                       PC_BOOKING_STATUS_REJECTED);
    }
  g_assert_cmpuint (count_posts (f, QUIET_CALLER), ==, 0);

  /* The retry's own result, and nothing left to retry. */
  result = pc_batch_reinvite_dialog_get_result (dialog);
  g_assert_cmpuint (pc_reinvite_batch_get_n_items (result), ==, n_failed);
  g_assert_cmpuint (pc_reinvite_batch_count (result, PC_REINVITE_OUTCOME_SUCCEEDED), ==, n_failed);
  g_assert_false (gtk_widget_get_visible (retry_button));
  gtk_widget_activate_action (GTK_WIDGET (dialog), "batch.retry-failed", NULL);
  g_assert_false (pc_batch_reinvite_dialog_get_running (dialog));
  pc_test_drain_main_context ();
  g_assert_cmpuint (pc_sandbox_count_requests (f->sandbox, "POST", REINVITE_PATH), ==, n_failed);
}

/* Issue 11: the server is slower than PcApi's timeout and the booking still shows as
 * pending. The outcome is unknown: said so, shown on the row and the page, and no second
 * re-invite is offered until a refresh shows what happened. */
#define NEXT_STEP_REINVITE "The session time has passed. You can re-invite the client."

static void
test_outcome_unknown (Fixture       *f,
                      gconstpointer  data)
{
  PcApi *api = pc_reinviter_get_api (reinviter (f));
  GtkWidget *window = GTK_WIDGET (f->window);
  PcReinviteDialog *dialog;
  PcBooking *booking = lookup (f, NIGHT_OWL);
  const char *blocker;

  dialog = open_dialog (f, NIGHT_OWL);
  /* The server's own next step, shown until a re-invite may be under way. */
  g_assert_nonnull (pc_ui_find_label (window, NEXT_STEP_REINVITE, NULL));
  pc_sandbox_set_latency (f->sandbox, 60 * 60 * 1000);
  pc_sandbox_set_fault_limit (f->sandbox, 1);
  pc_api_set_timeout (api, pc_test_scale_seconds (1));

  gtk_widget_activate_action (GTK_WIDGET (dialog), "reinvite.send", NULL);
  wait_idle (f);

  g_assert_true (pc_window_get_reinvite_dialog (f->window) == dialog);
  g_assert_true (g_str_has_prefix (pc_reinvite_dialog_get_error_text (dialog),
                                   "It is not known yet whether the client was re-invited:"));
  g_assert_true (pc_booking_get_outcome_unknown (booking));
  g_assert_false (pc_booking_get_can_reinvite (booking));
  blocker = pc_booking_get_reinvite_blocker_text (booking);
  g_assert_cmpstr (blocker, ==, "The outcome of the last re-invite is not known yet: the "
                                "server may still carry it out. PhoneChat is waiting for the "
                                "booking to show what happened.");

  /* Nothing offers a second re-invite: not the dialog, not the window. */
  g_assert_false (send_enabled (dialog));
  gtk_widget_activate_action (GTK_WIDGET (dialog), "reinvite.send", NULL);
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (f->window), "reinvite"));
  pc_test_drain_main_context ();
  g_assert_cmpuint (count_posts (f, NIGHT_OWL), ==, 1);

  /* The row and the page say so. */
  adw_dialog_close (ADW_DIALOG (dialog));
  PC_TEST_WAIT_UNTIL (pc_window_get_reinvite_dialog (f->window) == NULL);
  g_assert_nonnull (pc_ui_find_label (window, "Outcome unknown", NULL));
  g_assert_nonnull (pc_ui_find_label (window, "Outcome of the last request unknown", NULL));
  g_assert_nonnull (pc_ui_find_label (window, blocker, NULL));
  g_assert_null (pc_ui_find_label (window, NEXT_STEP_REINVITE, NULL));

  /* The server carries it out after all; the next refresh shows it, and the mark goes. */
  pc_sandbox_release_held (f->sandbox);
  g_action_group_activate_action (G_ACTION_GROUP (f->window), "refresh", NULL);
  PC_TEST_WAIT_UNTIL (pc_booking_get_status (booking) == PC_BOOKING_STATUS_REJECTED);
  g_assert_false (pc_booking_get_outcome_unknown (booking));
  g_assert_null (pc_ui_find_label (window, "Outcome unknown", NULL));
  g_assert_null (pc_ui_find_label (window, "Outcome of the last request unknown", NULL));
  g_assert_cmpuint (count_posts (f, NIGHT_OWL), ==, 1);
}

/* A re-invite whose outcome is unknown is never sent again by Retry Failed. */
static void
test_batch_retry_not_unknown (Fixture       *f,
                              gconstpointer  data)
{
  static const gint64 ids[] = { NIGHT_OWL };
  PcBatchReinviteDialog *dialog;
  PcReinviteBatch *result;
  const GError *error;

  dialog = open_batch_dialog (f, ids, G_N_ELEMENTS (ids));
  gtk_widget_activate_action (GTK_WIDGET (dialog), "batch.send", NULL);

  /* Cancelled once the server has it, and the check afterwards fails: unknown. */
  PC_TEST_WAIT_UNTIL (count_posts (f, NIGHT_OWL) == 1);
  pc_sandbox_set_path_status (f->sandbox, DETAILS_PATH, 500);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "batch.cancel", NULL);
  PC_TEST_WAIT_UNTIL (!pc_batch_reinvite_dialog_get_running (dialog));
  wait_idle (f);

  result = pc_batch_reinvite_dialog_get_result (dialog);
  g_assert_cmpuint (pc_reinvite_batch_count (result, PC_REINVITE_OUTCOME_FAILED), ==, 1);
  error = pc_reinvite_batch_get_error (result, 0);
  g_assert_error (error, PC_API_ERROR, PC_API_ERROR_OUTCOME_UNKNOWN);
  g_assert_cmpstr (pc_batch_reinvite_dialog_get_row_status (dialog, NIGHT_OWL), ==,
                   "It is not known yet whether the client was re-invited: the server may still "
                   "do it. PhoneChat will not re-invite this booking again until it shows "
                   "what happened.");

  g_assert_false (gtk_widget_get_visible (batch_child (dialog, "retry_button")));
  gtk_widget_activate_action (GTK_WIDGET (dialog), "batch.retry-failed", NULL);
  pc_test_drain_main_context ();
  g_assert_false (pc_batch_reinvite_dialog_get_running (dialog));
  g_assert_cmpuint (count_posts (f, NIGHT_OWL), ==, 1);
}

/* The About dialog's troubleshooting text: what PhoneChat runs with, not the token. */
static void
test_about_debug_info (Fixture       *f,
                       gconstpointer  data)
{
  AdwDialog *visible;
  const char *info;
  g_autofree char *glib = NULL;
  g_autofree char *gtk = NULL;
  g_autofree char *adw = NULL;
  g_autofree char *soup = NULL;
  g_autofree char *url = NULL;

  g_action_group_activate_action (G_ACTION_GROUP (f->app), "about", NULL);
  visible = adw_application_window_get_visible_dialog (ADW_APPLICATION_WINDOW (f->window));
  g_assert_true (ADW_IS_ABOUT_DIALOG (visible));
  g_assert_cmpstr (adw_about_dialog_get_application_name (ADW_ABOUT_DIALOG (visible)), ==,
                   "PhoneChat");

  info = adw_about_dialog_get_debug_info (ADW_ABOUT_DIALOG (visible));
  g_assert_nonnull (info);
  g_test_message ("%s", info);

  glib = g_strdup_printf ("GLib: %u.%u.%u", glib_major_version, glib_minor_version,
                          glib_micro_version);
  gtk = g_strdup_printf ("GTK: %u.%u.%u", gtk_get_major_version (), gtk_get_minor_version (),
                         gtk_get_micro_version ());
  adw = g_strdup_printf ("libadwaita: %u.%u.%u", adw_get_major_version (),
                         adw_get_minor_version (), adw_get_micro_version ());
  soup = g_strdup_printf ("libsoup: %u.%u.%u", soup_get_major_version (),
                          soup_get_minor_version (), soup_get_micro_version ());
  url = g_strdup_printf ("API base URL: %s", pc_sandbox_get_url (f->sandbox));
  g_assert_nonnull (strstr (info, glib));
  g_assert_nonnull (strstr (info, gtk));
  g_assert_nonnull (strstr (info, adw));
  g_assert_nonnull (strstr (info, soup));
  g_assert_nonnull (strstr (info, "json-glib: 1."));
  g_assert_nonnull (strstr (info, url));
  g_assert_nonnull (strstr (info, "Demo: yes"));
  g_assert_null (strstr (info, pc_sandbox_get_token (f->sandbox)));
  g_assert_null (strstr (info, "token"));

  adw_dialog_force_close (visible);
}

static const Options default_options = { 0 };
static const Options slow_options = { .latency_ms = LATENCY_MS };
static const Options fresh_options = { .no_window = TRUE };
static const Options batch_options = { .extra = TRUE, .latency_ms = 50 };

#define ADD(path, options, func) \
  g_test_add (path, Fixture, &options, fixture_setup, func, fixture_teardown)

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
  /* Not G_TEST_OPTION_ISOLATE_DIRS: it hides XDG_DATA_DIRS, and with it the icon theme.
   * Settings live in memory (GSETTINGS_BACKEND=memory). */
  g_test_init (&argc, &argv, NULL);
  pc_test_init_logging ();
  gtk_init ();
  adw_init ();

  ADD ("/reinvite-ui/success", default_options, test_success);
  ADD ("/reinvite-ui/rejected", default_options, test_rejected);
  ADD ("/reinvite-ui/network-error", default_options, test_network_error);
  ADD ("/reinvite-ui/outcome-unknown", default_options, test_outcome_unknown);
  ADD ("/reinvite-ui/server-error", default_options, test_server_error);
  ADD ("/reinvite-ui/double-submit", slow_options, test_double_submit);
  ADD ("/reinvite-ui/cancel", slow_options, test_cancel);
  ADD ("/reinvite-ui/quit/while-sending-asks", slow_options, test_quit_while_sending);
  ADD ("/reinvite-ui/window-closed", slow_options, test_window_closed);
  ADD ("/reinvite-ui/notification-action", default_options, test_notification_action);
  ADD ("/reinvite-ui/show-booking-fresh", fresh_options, test_show_booking_fresh);
  ADD ("/reinvite-ui/reinvite-booking-fresh", fresh_options, test_reinvite_booking_fresh);
  ADD ("/reinvite-ui/became-reinvitable", default_options, test_became_reinvitable);
  ADD ("/reinvite-ui/became-reinvitable/setting-off", default_options, test_became_reinvitable_off);
  ADD ("/reinvite-ui/batch", batch_options, test_batch);
  ADD ("/reinvite-ui/draft", default_options, test_draft);
  ADD ("/reinvite-ui/notify/inactive-only", default_options, test_notify_inactive_only);
  ADD ("/reinvite-ui/notify/success-withdraws-failure", default_options,
       test_notify_success_withdraws_failure);
  ADD ("/reinvite-ui/became-reinvitable/window-active", default_options,
       test_became_reinvitable_active);
  ADD ("/reinvite-ui/batch/retry-failed", batch_options, test_batch_retry_failed);
  ADD ("/reinvite-ui/batch/retry-not-unknown", slow_options, test_batch_retry_not_unknown);
  ADD ("/reinvite-ui/about/debug-info", default_options, test_about_debug_info);

  return g_test_run ();
}
