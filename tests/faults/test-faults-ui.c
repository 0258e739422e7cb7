/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <locale.h>
#include <string.h>

#include "fault-table.h"
#include "pc-api.h"
#include "pc-booking.h"
#include "pc-booking-loader.h"
#include "pc-booking-store.h"
#include "pc-clock.h"
#include "pc-json.h"
#include "pc-reason-drafts.h"
#include "pc-reinvite-dialog.h"
#include "pc-reinviter.h"
#include "pc-sandbox.h"
#include "pc-window.h"
#include "pc-ui-test-utils.h"
#include "test-utils.h"

/* The fault suite's faults, met by the window and the re-invite dialog: a real PcWindow
 * under Xvfb with its loader, a reinviter and the reason drafts (what PcApplication gives
 * it), the in-process PcSandbox behind them, a fixed clock.
 *
 * - /faults/window/FAULT: the bookings are loaded, then a refresh meets the fault: the
 *   rows stay, with the banner that says the refresh failed, and the loader's error has
 *   the fault's code.
 * - /faults/dialog/FAULT: a reason is typed in the re-invite dialog, then sending meets
 *   the fault: the dialog stays with the reason as typed and shows the error (or closes,
 *   where the re-invite happened after all), and exactly one ReInvite POST reached the
 *   server.
 *
 * One fault of each kind (ui_faults below). The sandbox serves tests/ui/data/bookings.json;
 * 4817263 (NightOwl_77) is pending with its session passed. */

#define N_BOOKINGS    6
#define NIGHT_OWL     4817263
#define REASON        "Sorry I missed you — free tonight?"
#define LIST_PATH     "/v1/PhoneChat/ReceivedBookings"
#define REINVITE_PATH "/v1/PhoneChat/ReInvite"

/* The window tests' fixture, with reason drafts. */
typedef struct
{
  PcUiWindowFixture w;
  PcReasonDrafts   *drafts;
} Fixture;

static gpointer
window_child (Fixture    *f,
              const char *name)
{
  return pc_ui_window_child (f->w.window, name);
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

static guint
n_rows (Fixture *f)
{
  GtkListView *list_view = window_child (f, "list_view");

  return g_list_model_get_n_items (G_LIST_MODEL (gtk_list_view_get_model (list_view)));
}

static gboolean
is_loading (Fixture *f)
{
  return pc_booking_loader_get_loading (f->w.loader);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  pc_ui_window_fixture_set_up (&f->w, N_BOOKINGS);
  f->drafts = pc_reason_drafts_new ();
  pc_window_set_drafts (f->w.window, f->drafts);

  PC_TEST_WAIT_UNTIL (n_rows (f) == N_BOOKINGS);
  g_assert_false (adw_banner_get_revealed (window_child (f, "refresh_banner")));
  pc_sandbox_clear_requests (f->w.sandbox);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  PC_TEST_WAIT_UNTIL (!pc_reinviter_get_busy (f->w.reinviter));

  pc_ui_window_fixture_tear_down (&f->w);
  g_clear_object (&f->drafts);
}

/* A refresh meets the fault: the window keeps its bookings and says so. */
static void
test_window (Fixture       *f,
             gconstpointer  data)
{
  const PcTestFault *fault = data;
  AdwBanner *banner = window_child (f, "refresh_banner");
  const GError *error;

  if (fault->latency_ms > 0)
    pc_api_set_timeout (f->w.api, pc_test_scale_seconds (PC_TEST_SHORT_TIMEOUT_S));
  pc_window_show_booking (f->w.window, NIGHT_OWL);
  /* Until the refresh has ended: libsoup sends a GET again, once, when a connection it
   * kept alive from the first load closes before any answer. */
  pc_test_fault_inject (f->w.sandbox, fault, LIST_PATH);
  pc_sandbox_set_fault_limit (f->w.sandbox, 0);

  g_action_group_activate_action (G_ACTION_GROUP (f->w.window), "refresh", NULL);
  g_assert_true (is_loading (f));
  PC_TEST_WAIT_UNTIL (!is_loading (f));
  pc_sandbox_clear_faults (f->w.sandbox);

  error = pc_booking_loader_get_error (f->w.loader);
  g_assert_nonnull (error);
  g_assert_error ((GError *) error, PC_API_ERROR, (int) fault->list_code);

  /* The rows and the selection stay; the banner says why they are not fresh. */
  g_assert_cmpuint (n_rows (f), ==, N_BOOKINGS);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->w.store)), ==, N_BOOKINGS);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window_child (f, "main_stack")), ==,
                   "bookings");
  g_assert_nonnull (pc_window_get_selected_booking (f->w.window));
  g_assert_cmpint (pc_booking_get_booking_id (pc_window_get_selected_booking (f->w.window)), ==,
                   NIGHT_OWL);
  g_assert_true (adw_banner_get_revealed (banner));
  g_assert_true (g_str_has_prefix (adw_banner_get_title (banner),
                                   "Could not refresh — showing bookings from "));
  g_assert_null (strchr (adw_banner_get_title (banner), '\n'));
  g_assert_false (adw_banner_get_use_markup (banner));

  /* One request, sent again only by libsoup, and only where no answer began. */
  g_assert_cmpuint (pc_sandbox_count_requests (f->w.sandbox, "GET", LIST_PATH), >=, 1);
  g_assert_cmpuint (pc_sandbox_count_requests (f->w.sandbox, "GET", LIST_PATH), <=,
                    fault->drop || fault->reset == PC_SANDBOX_RESET_BEFORE_HEADERS ? 2 : 1);
  g_assert_cmpuint (pc_sandbox_count_requests (f->w.sandbox, NULL, NULL), ==,
                    pc_sandbox_count_requests (f->w.sandbox, "GET", LIST_PATH));
}

/* Sending from the dialog meets the fault: the reason typed is kept, and the error shown. */
static void
test_dialog (Fixture       *f,
             gconstpointer  data)
{
  const PcTestFault *fault = data;
  PcReinviteDialog *dialog;
  g_autofree char *kept = NULL;
  const char *error_text;

  if (fault->latency_ms > 0)
    pc_api_set_timeout (f->w.api, pc_test_scale_seconds (PC_TEST_SHORT_TIMEOUT_S));

  pc_window_show_booking (f->w.window, NIGHT_OWL);
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (f->w.window), "reinvite"));
  g_action_group_activate_action (G_ACTION_GROUP (f->w.window), "reinvite", NULL);
  dialog = pc_window_get_reinvite_dialog (f->w.window);
  g_assert_nonnull (dialog);
  PC_TEST_WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (dialog)));
  pc_reinvite_dialog_set_reason (dialog, REASON);

  pc_test_fault_inject (f->w.sandbox, fault, REINVITE_PATH);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "reinvite.send", NULL);
  g_assert_true (pc_reinvite_dialog_get_busy (dialog));
  PC_TEST_WAIT_UNTIL (!pc_reinviter_get_busy (f->w.reinviter));

  /* One user action, one POST: never sent again, whatever happened. */
  g_assert_cmpuint (pc_sandbox_count_requests (f->w.sandbox, "POST", REINVITE_PATH), ==, 1);

  if (fault->reinvite_code == PC_TEST_SUCCEEDS)
    {
      /* The answer was lost, but the booking read again shows it happened. */
      PC_TEST_WAIT_UNTIL (pc_window_get_reinvite_dialog (f->w.window) == NULL);
      g_assert_cmpint (pc_booking_get_status (pc_booking_store_lookup (f->w.store, NIGHT_OWL)), ==,
                       PC_BOOKING_STATUS_REJECTED);
      return;
    }

  g_assert_true (pc_window_get_reinvite_dialog (f->w.window) == dialog);
  g_assert_false (pc_reinvite_dialog_get_busy (dialog));
  kept = pc_reinvite_dialog_dup_reason (dialog);
  g_assert_cmpstr (kept, ==, REASON);
  g_assert_cmpstr (pc_reason_drafts_get (f->drafts, NIGHT_OWL), ==, REASON);

  error_text = pc_reinvite_dialog_get_error_text (dialog);
  g_assert_nonnull (error_text);
  g_assert_true (gtk_revealer_get_reveal_child (dialog_child (dialog, "message_revealer")));
  g_assert_cmpstr (gtk_label_get_text (dialog_child (dialog, "message_label")), !=, "");
  g_assert_null (strchr (gtk_label_get_text (dialog_child (dialog, "message_label")), '\n'));
  g_assert_null (strstr (error_text, "NNNNNNNN"));
  g_assert_null (strstr (error_text, "<html"));
  g_assert_cmpuint (strlen (error_text), <, 2000);

  /* The server did not re-invite (but for a late answer, which never comes here). */
  g_assert_cmpint (pc_booking_get_status (pc_sandbox_lookup (f->w.sandbox, NIGHT_OWL)), ==,
                   PC_BOOKING_STATUS_PENDING);
}

/* One fault of each kind: a window costs half a second, so the statuses that only differ
 * in their number, covered by test-faults, are left to it. */
static const char * const ui_faults[] = {
  "latency-beyond-timeout",
  "status-429-retry-after",
  "status-502",
  "status-503",
  "drop-before-headers",
  "reset-before-headers",
  "reset-mid-body",
  "truncated-body",
  "body-over-cap",
  "html",
  "xml",
  "wrong-shape",
  "huge-nickname",
};

static const PcTestFault *
find_fault (const char *name)
{
  for (guint i = 0; i < pc_test_n_faults; i++)
    if (g_str_equal (pc_test_faults[i].name, name))
      return &pc_test_faults[i];

  g_error ("No fault named “%s” in the fault table", name);
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

  for (guint i = 0; i < G_N_ELEMENTS (ui_faults); i++)
    {
      const PcTestFault *fault = find_fault (ui_faults[i]);
      g_autofree char *window_path = g_strdup_printf ("/faults/window/%s", fault->name);
      g_autofree char *dialog_path = g_strdup_printf ("/faults/dialog/%s", fault->name);

      g_test_add (window_path, Fixture, fault, fixture_setup, test_window, fixture_teardown);
      g_test_add (dialog_path, Fixture, fault, fixture_setup, test_dialog, fixture_teardown);
    }

  return g_test_run ();
}
