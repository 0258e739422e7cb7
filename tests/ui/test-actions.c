/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <locale.h>
#include <string.h>

#include "pc-action-runner.h"
#include "pc-api.h"
#include "pc-booking.h"
#include "pc-booking-loader.h"
#include "pc-booking-row.h"
#include "pc-booking-store.h"
#include "pc-clock.h"
#include "pc-json.h"
#include "pc-reinviter.h"
#include "pc-sandbox.h"
#include "pc-values.h"
#include "pc-window.h"
#include "pc-ui-test-utils.h"
#include "test-utils.h"

/* Accept, reject, cancel and delete from a real window under Xvfb, against the in-process
 * sandbox serving tests/ui/data/bookings.json, with the clock standing still at
 * 2025-06-15 12:00 UTC:
 *
 *   4815502 Accepted  session 2025-06-16 21:00Z quiet_caller   can be cancelled
 *   4820001 Pending   session 2025-06-15 17:00Z early_bird     can be accepted (until 15:00Z)
 *   4817263 Pending   session 2025-06-14 20:30Z NightOwl_77    can be rejected, not accepted
 *   4809911 Confirmed 2025-06-03               Brummie_Bob     can be deleted
 *   4805555 Rejected  2025-06-01               LondonLad_88    can be deleted
 *   4801234 Cancelled 2025-05-30               late_lark       can be deleted
 */

#define N_BOOKINGS   6
#define QUIET_CALLER 4815502
#define EARLY_BIRD   4820001
#define NIGHT_OWL    4817263
#define BRUMMIE_BOB  4809911
#define LONDON_LAD   4805555
#define LATE_LARK    4801234

typedef PcUiWindowFixture Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  pc_ui_window_fixture_set_up (f, N_BOOKINGS);
  pc_sandbox_clear_requests (f->sandbox);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  pc_ui_window_fixture_tear_down (f);
}

/* Helpers */

static gpointer
window_child (Fixture    *f,
              const char *name)
{
  return pc_ui_window_child (f->window, name);
}

static GtkWidget *
page (Fixture *f)
{
  return window_child (f, "booking_page");
}

static gboolean
enabled (Fixture    *f,
         const char *action)
{
  return g_action_group_get_action_enabled (G_ACTION_GROUP (f->window), action);
}

static const char *
post_path (PcApiEndpoint endpoint)
{
  return pc_api_endpoint_get_path (endpoint);
}

static guint
n_posts (Fixture       *f,
         PcApiEndpoint  endpoint)
{
  return pc_sandbox_count_requests (f->sandbox, "POST", post_path (endpoint));
}

static void
select_booking (Fixture *f,
                gint64   booking_id)
{
  pc_window_show_booking (f->window, booking_id);
  g_assert_nonnull (pc_window_get_selected_booking (f->window));
  g_assert_cmpint (pc_booking_get_booking_id (pc_window_get_selected_booking (f->window)), ==, booking_id);
}

/* Until @dialog is on screen: its sheet shows its contents once open. */
static void
wait_shown (AdwDialog  *dialog,
            const char *button)
{
  PC_TEST_WAIT_UNTIL (pc_ui_find_button (GTK_WIDGET (dialog), button) != NULL);
}

/* Opens the confirmation of @action for the selected booking, as its button does. */
static AdwAlertDialog *
open_dialog (Fixture    *f,
             const char *action)
{
  AdwDialog *dialog;

  g_assert_true (enabled (f, action));
  g_action_group_activate_action (G_ACTION_GROUP (f->window), action, NULL);
  dialog = pc_window_get_action_dialog (f->window);
  g_assert_true (ADW_IS_ALERT_DIALOG (dialog));
  wait_shown (dialog, "Keep");
  return ADW_ALERT_DIALOG (dialog);
}

/* Presses the dialog's button labelled @label, as a click does. */
static void
press (AdwAlertDialog *dialog,
       const char     *label)
{
  GtkButton *button = pc_ui_find_button (GTK_WIDGET (dialog), label);

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (button)));
  g_signal_emit_by_name (button, "clicked");
}

static gboolean
button_sensitive (AdwAlertDialog *dialog,
                  const char     *label)
{
  GtkButton *button = pc_ui_find_button (GTK_WIDGET (dialog), label);

  g_assert_nonnull (button);
  return gtk_widget_is_sensitive (GTK_WIDGET (button));
}

static gboolean
has_toast (Fixture    *f,
           const char *text)
{
  return pc_ui_find_label (window_child (f, "toast_overlay"), text, NULL) != NULL;
}

static const char *
row_status (Fixture *f,
            gint64   booking_id)
{
  PcBookingRow *row = pc_ui_find_booking_row (window_child (f, "list_view"), booking_id);

  g_assert_nonnull (row);
  return gtk_label_get_text (GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (row),
                                                                       PC_TYPE_BOOKING_ROW,
                                                                       "status_label")));
}

/* Tests */

/* Each action is enabled only when the booking allows it; the page says why not. */
static void
test_enabled (Fixture       *f,
              gconstpointer  data)
{
  static const struct {
    gint64   id;
    gboolean accept, reject, cancel, delete;
  } cases[] = {
    { EARLY_BIRD, TRUE, TRUE, FALSE, FALSE },
    { NIGHT_OWL, FALSE, TRUE, FALSE, FALSE },
    { QUIET_CALLER, FALSE, FALSE, TRUE, FALSE },
    { BRUMMIE_BOB, FALSE, FALSE, FALSE, TRUE },
    { LONDON_LAD, FALSE, FALSE, FALSE, TRUE },
    { LATE_LARK, FALSE, FALSE, FALSE, TRUE },
  };
  PcBooking *owl;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      select_booking (f, cases[i].id);
      g_assert_cmpint (enabled (f, "accept"), ==, cases[i].accept);
      g_assert_cmpint (enabled (f, "reject"), ==, cases[i].reject);
      g_assert_cmpint (enabled (f, "cancel-booking"), ==, cases[i].cancel);
      g_assert_cmpint (enabled (f, "delete"), ==, cases[i].delete);
    }

  /* The buttons the status offers are there, and follow the actions. */
  select_booking (f, EARLY_BIRD);
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (pc_ui_find_button (page (f), "Accept…"))));
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (pc_ui_find_button (page (f), "Reject…"))));
  g_assert_null (pc_ui_find_button (page (f), "Delete…"));

  /* The accept-by time has passed: Accept… stays, insensitive, with the reason. */
  select_booking (f, NIGHT_OWL);
  owl = pc_window_get_selected_booking (f->window);
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (pc_ui_find_button (page (f), "Accept…"))));
  g_assert_nonnull (pc_ui_find_label (page (f),
                                      pc_booking_get_action_blocker_text (owl, PC_BOOKING_ACTION_ACCEPT),
                                      NULL));

  /* Time passes: early_bird's accept-by time (15:00 UTC) goes by. */
  select_booking (f, EARLY_BIRD);
  {
    g_autoptr(GDateTime) later = pc_test_utc (2025, 6, 15, 15, 0, 0);

    pc_clock_set_now (f->clock, later);
  }
  PC_TEST_WAIT_UNTIL (!enabled (f, "accept"));
  g_assert_true (enabled (f, "reject"));
  g_assert_nonnull (pc_ui_find_label_prefix (page (f), "The accept-by time has passed."));
}

/* Accept from the page: the credits are shown, one POST, the row updates in place. */
static void
test_accept (Fixture       *f,
             gconstpointer  data)
{
  AdwAlertDialog *dialog;
  AdwSpinRow *credits;
  guint gets = pc_sandbox_count_requests (f->sandbox, "GET", NULL);

  g_assert_cmpuint (pc_window_get_view_count (f->window, "needs-action"), ==, 2);
  g_assert_cmpuint (pc_window_get_view_count (f->window, "upcoming"), ==, 1);

  select_booking (f, EARLY_BIRD);
  dialog = open_dialog (f, "accept");
  g_assert_nonnull (strstr (adw_alert_dialog_get_body (dialog), "early_bird"));
  credits = ADW_SPIN_ROW (pc_ui_find_type (GTK_WIDGET (dialog), ADW_TYPE_SPIN_ROW));
  g_assert_nonnull (credits);
  g_assert_cmpfloat (adw_spin_row_get_value (credits) * PC_CREDITS_SCALE, ==,
                     (double) pc_booking_get_credits (pc_window_get_selected_booking (f->window)));

  pc_sandbox_set_latency (f->sandbox, 200);
  press (dialog, "Accept");
  /* In flight: nothing more can be sent about it. */
  g_assert_false (enabled (f, "accept"));
  g_assert_false (enabled (f, "reject"));
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (pc_ui_find_button (page (f), "Reject…"))));

  PC_TEST_WAIT_UNTIL (!pc_action_runner_get_busy (pc_window_get_action_runner (f->window)));
  g_assert_cmpuint (n_posts (f, PC_API_ENDPOINT_ACCEPT), ==, 1);
  g_assert_cmpint (pc_booking_get_status (pc_booking_store_lookup (f->store, EARLY_BIRD)), ==,
                   PC_BOOKING_STATUS_ACCEPTED);
  g_assert_cmpstr (row_status (f, EARLY_BIRD), ==, "Accepted");
  g_assert_true (has_toast (f, "Accepted the booking of early_bird"));
  /* Without a refresh: no list read since. */
  g_assert_cmpuint (pc_sandbox_count_requests (f->sandbox, "GET",
                                               pc_api_endpoint_get_path (PC_API_ENDPOINT_RECEIVED_BOOKINGS)),
                    ==, 0);
  g_assert_cmpuint (pc_sandbox_count_requests (f->sandbox, "GET", NULL), ==, gets);
  /* It now can be cancelled, and the counts followed. */
  g_assert_true (enabled (f, "cancel-booking"));
  PC_TEST_WAIT_UNTIL (pc_window_get_view_count (f->window, "upcoming") == 2);
  g_assert_cmpuint (pc_window_get_view_count (f->window, "needs-action"), ==, 1);
}

typedef struct
{
  const char   *action;
  gint64        booking_id;
  const char   *nickname;
  const char   *session;      /* as the dialog says it */
  const char   *confirm;
  gboolean      reason;
  PcApiEndpoint endpoint;
} Destructive;

static const Destructive reject_case = {
  "reject", NIGHT_OWL, "NightOwl_77", "Sat 14 Jun 2025, 20:30", "Reject", TRUE,
  PC_API_ENDPOINT_REJECT,
};
static const Destructive cancel_case = {
  "cancel-booking", QUIET_CALLER, "quiet_caller", "Mon 16 Jun 2025, 21:00", "Cancel Booking", TRUE,
  PC_API_ENDPOINT_CANCEL,
};
static const Destructive delete_case = {
  "delete", LONDON_LAD, "LondonLad_88", "Sun 1 Jun 2025, 19:00", "Delete", FALSE,
  PC_API_ENDPOINT_DELETE,
};

/* A destructive action confirms, naming the client and the session, in plain text;
 * Keep sends nothing; confirming sends exactly one POST. */
static void
test_destructive (Fixture       *f,
                  gconstpointer  data)
{
  const Destructive *d = data;
  AdwAlertDialog *dialog;
  AdwEntryRow *reason = NULL;

  select_booking (f, d->booking_id);

  /* Keep: nothing is sent. */
  dialog = open_dialog (f, d->action);
  press (dialog, "Keep");
  PC_TEST_WAIT_UNTIL (pc_window_get_action_dialog (f->window) == NULL);
  pc_test_drain_main_context ();
  g_assert_cmpuint (n_posts (f, d->endpoint), ==, 0);

  dialog = open_dialog (f, d->action);
  g_assert_false (adw_alert_dialog_get_body_use_markup (dialog));
  g_assert_false (adw_alert_dialog_get_heading_use_markup (dialog));
  g_assert_nonnull (strstr (adw_alert_dialog_get_body (dialog), d->nickname));
  g_assert_nonnull (strstr (adw_alert_dialog_get_body (dialog), d->session));

  if (d->reason)
    {
      /* The reason is required. */
      reason = pc_ui_find_entry_row (GTK_WIDGET (dialog), "Reason (required)");
      g_assert_nonnull (reason);
      g_assert_false (button_sensitive (dialog, d->confirm));
      gtk_editable_set_text (GTK_EDITABLE (reason), "   ");
      g_assert_false (button_sensitive (dialog, d->confirm));
      gtk_editable_set_text (GTK_EDITABLE (reason), "Not available then, sorry");
    }

  press (dialog, d->confirm);
  PC_TEST_WAIT_UNTIL (!pc_action_runner_get_busy (pc_window_get_action_runner (f->window)));
  pc_test_drain_main_context ();
  g_assert_cmpuint (n_posts (f, d->endpoint), ==, 1);
  g_assert_cmpuint (pc_sandbox_count_requests (f->sandbox, "POST", NULL), ==, 1);

  if (d->endpoint == PC_API_ENDPOINT_DELETE)
    {
      g_assert_null (pc_booking_store_lookup (f->store, d->booking_id));
      g_assert_null (pc_window_get_selected_booking (f->window));
    }
  else
    {
      PcBookingStatus want = d->endpoint == PC_API_ENDPOINT_REJECT ? PC_BOOKING_STATUS_REJECTED
                                                                   : PC_BOOKING_STATUS_CANCELLED;

      g_assert_cmpint (pc_booking_get_status (pc_booking_store_lookup (f->store, d->booking_id)), ==, want);
      g_assert_false (enabled (f, d->action));
    }
}

/* A server without the inferred endpoints answers 404: the user reads that it does not
 * offer this, and the booking is unchanged. */
static void
test_not_offered (Fixture       *f,
                  gconstpointer  data)
{
  AdwAlertDialog *dialog;
  AdwDialog *failure;

  pc_sandbox_set_inferred_endpoints (f->sandbox, FALSE);
  select_booking (f, NIGHT_OWL);
  dialog = open_dialog (f, "reject");
  gtk_editable_set_text (GTK_EDITABLE (pc_ui_find_entry_row (GTK_WIDGET (dialog), "Reason (required)")),
                         "Busy");
  press (dialog, "Reject");

  PC_TEST_WAIT_UNTIL ((failure = pc_window_get_action_dialog (f->window)) != NULL &&
                      failure != ADW_DIALOG (dialog));
  g_assert_cmpuint (n_posts (f, PC_API_ENDPOINT_REJECT), ==, 1);
  g_assert_nonnull (strstr (adw_alert_dialog_get_body (ADW_ALERT_DIALOG (failure)),
                            "this server does not offer rejecting bookings"));
  g_assert_cmpint (pc_booking_get_status (pc_booking_store_lookup (f->store, NIGHT_OWL)), ==,
                   PC_BOOKING_STATUS_PENDING);
  /* Known not to have happened: it can be tried again. */
  g_assert_true (enabled (f, "reject"));
}

/* The answer to an accept is lost and the booking still reads pending: the user is told
 * plainly that it is unknown, and nothing more is sent about the booking. */
static void
test_outcome_unknown (Fixture       *f,
                      gconstpointer  data)
{
  AdwAlertDialog *dialog;
  AdwDialog *failure;
  PcBooking *booking;

  select_booking (f, EARLY_BIRD);
  booking = pc_window_get_selected_booking (f->window);
  dialog = open_dialog (f, "accept");
  pc_sandbox_set_drop_connections (f->sandbox, TRUE);
  pc_sandbox_set_fault_limit (f->sandbox, 1);
  press (dialog, "Accept");

  PC_TEST_WAIT_UNTIL ((failure = pc_window_get_action_dialog (f->window)) != NULL &&
                      failure != ADW_DIALOG (dialog));
  g_assert_cmpuint (n_posts (f, PC_API_ENDPOINT_ACCEPT), ==, 1);
  g_assert_cmpstr (adw_alert_dialog_get_heading (ADW_ALERT_DIALOG (failure)), ==, "Outcome Unknown");
  g_assert_true (pc_booking_get_outcome_unknown (booking));
  g_assert_false (enabled (f, "accept"));
  g_assert_false (enabled (f, "reject"));
  g_assert_nonnull (pc_ui_find_label_prefix (page (f), "The outcome of an earlier request"));
}

/* Batch delete from selection mode: only the finished bookings count, one POST, a result
 * per booking; the deleted ones leave the list. */
static void
test_batch_delete (Fixture       *f,
                   gconstpointer  data)
{
  GtkSelectionModel *model;
  AdwAlertDialog *dialog;
  AdwDialog *results;
  const char *body;
  guint n;

  g_action_group_change_action_state (G_ACTION_GROUP (f->window), "selection-mode",
                                      g_variant_new_boolean (TRUE));
  g_assert_false (enabled (f, "delete-selected"));
  model = GTK_SELECTION_MODEL (gtk_list_view_get_model (window_child (f, "list_view")));
  n = g_list_model_get_n_items (G_LIST_MODEL (model));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PcBooking) booking = g_list_model_get_item (G_LIST_MODEL (model), i);
      gint64 id = pc_booking_get_booking_id (booking);

      if (id == LONDON_LAD || id == LATE_LARK || id == NIGHT_OWL)
        gtk_selection_model_select_item (model, i, FALSE);
    }
  g_assert_true (enabled (f, "delete-selected"));
  g_assert_false (enabled (f, "accept-selected"));

  g_action_group_activate_action (G_ACTION_GROUP (f->window), "delete-selected", NULL);
  dialog = ADW_ALERT_DIALOG (pc_window_get_action_dialog (f->window));
  g_assert_nonnull (dialog);
  /* NightOwl_77's booking is pending: not counted. */
  g_assert_cmpstr (adw_alert_dialog_get_heading (dialog), ==, "Delete 2 Bookings?");
  g_assert_nonnull (strstr (adw_alert_dialog_get_body (dialog), "LondonLad_88"));
  g_assert_nonnull (strstr (adw_alert_dialog_get_body (dialog), "late_lark"));
  g_assert_null (strstr (adw_alert_dialog_get_body (dialog), "NightOwl_77"));
  wait_shown (ADW_DIALOG (dialog), "Keep");
  press (dialog, "Delete");

  PC_TEST_WAIT_UNTIL ((results = pc_window_get_action_dialog (f->window)) != NULL &&
                      results != ADW_DIALOG (dialog));
  g_assert_cmpuint (n_posts (f, PC_API_ENDPOINT_DELETE), ==, 1);
  g_assert_cmpstr (adw_alert_dialog_get_heading (ADW_ALERT_DIALOG (results)), ==,
                   "2 of 2 Bookings Deleted");
  body = adw_alert_dialog_get_body (ADW_ALERT_DIALOG (results));
  g_assert_nonnull (strstr (body, "LondonLad_88 — Deleted"));
  g_assert_nonnull (strstr (body, "late_lark — Deleted"));
  g_assert_null (pc_booking_store_lookup (f->store, LONDON_LAD));
  g_assert_null (pc_booking_store_lookup (f->store, LATE_LARK));
  g_assert_nonnull (pc_booking_store_lookup (f->store, NIGHT_OWL));
  PC_TEST_WAIT_UNTIL (pc_window_get_view_count (f->window, "history") == 1);
  g_assert_cmpuint (pc_window_get_view_count (f->window, "all"), ==, N_BOOKINGS - 2);
}

/* Batch accept: only the acceptable bookings count, each for its own credits. */
static void
test_batch_accept (Fixture       *f,
                   gconstpointer  data)
{
  GtkSelectionModel *model;
  AdwAlertDialog *dialog;
  AdwDialog *results;
  guint n;

  g_action_group_change_action_state (G_ACTION_GROUP (f->window), "selection-mode",
                                      g_variant_new_boolean (TRUE));
  model = GTK_SELECTION_MODEL (gtk_list_view_get_model (window_child (f, "list_view")));
  n = g_list_model_get_n_items (G_LIST_MODEL (model));
  gtk_selection_model_select_all (model);
  g_assert_cmpuint (n, ==, N_BOOKINGS);

  g_action_group_activate_action (G_ACTION_GROUP (f->window), "accept-selected", NULL);
  dialog = ADW_ALERT_DIALOG (pc_window_get_action_dialog (f->window));
  g_assert_cmpstr (adw_alert_dialog_get_heading (dialog), ==, "Accept 1 Booking?");
  wait_shown (ADW_DIALOG (dialog), "Keep");
  press (dialog, "Accept");

  PC_TEST_WAIT_UNTIL ((results = pc_window_get_action_dialog (f->window)) != NULL &&
                      results != ADW_DIALOG (dialog));
  g_assert_cmpuint (n_posts (f, PC_API_ENDPOINT_ACCEPT), ==, 1);
  g_assert_cmpuint (pc_sandbox_count_booking_requests (f->sandbox, "POST",
                                                       post_path (PC_API_ENDPOINT_ACCEPT),
                                                       EARLY_BIRD), ==, 1);
  g_assert_nonnull (strstr (adw_alert_dialog_get_body (ADW_ALERT_DIALOG (results)),
                            "early_bird — Accepted"));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);
  pc_test_init_logging ();
  gtk_init ();
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

#define ADD(path, func, data) \
  g_test_add (path, Fixture, data, fixture_setup, func, fixture_teardown)

  ADD ("/actions/enabled", test_enabled, NULL);
  ADD ("/actions/accept/page", test_accept, NULL);
  ADD ("/actions/reject/confirm", test_destructive, &reject_case);
  ADD ("/actions/cancel/confirm", test_destructive, &cancel_case);
  ADD ("/actions/delete/confirm", test_destructive, &delete_case);
  ADD ("/actions/reject/not-offered", test_not_offered, NULL);
  ADD ("/actions/accept/outcome-unknown", test_outcome_unknown, NULL);
  ADD ("/actions/batch/delete", test_batch_delete, NULL);
  ADD ("/actions/batch/accept", test_batch_accept, NULL);

  return g_test_run ();
}
