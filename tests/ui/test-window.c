/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>
#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>

#include "pc-api.h"
#include "pc-booking.h"
#include "pc-booking-loader.h"
#include "pc-booking-page.h"
#include "pc-booking-row.h"
#include "pc-booking-store.h"
#include "pc-client.h"
#include "pc-clock.h"
#include "pc-clock-format-monitor.h"
#include "pc-format.h"
#include "pc-json.h"
#include "pc-reinvite-dialog.h"
#include "pc-sandbox.h"
#include "pc-window.h"
#include "pc-ui-test-utils.h"
#include "test-utils.h"

/* The sandbox serves tests/ui/data/bookings.json (session dates in the API's zone,
 * Europe/London); the clock stands still at 2025-06-15 12:00 UTC; TZ=UTC, so the local
 * zone is UTC. Newest session first:
 *
 *   4815502 Accepted  2025-06-16 21:00Z quiet_caller  upcoming
 *   4820001 Pending   2025-06-15 17:00Z early_bird    upcoming, re-invite in 5 hours
 *   4817263 Pending   2025-06-14 20:30Z NightOwl_77   can be re-invited
 *   4809911 Confirmed 2025-06-03 18:00Z Brummie_Bob
 *   4805555 Rejected  2025-06-01 19:00Z LondonLad_88
 *   4801234 Cancelled 2025-05-30 19:00Z late_lark
 */
#define N_BOOKINGS 6

typedef struct
{
  const char *file;          /* NULL: bookings.json */
  gboolean    empty;         /* a sandbox without bookings */
  gboolean    unreachable;   /* an API that points at a closed port */
  gboolean    signed_out;    /* no API at all */
  guint       status;        /* the list endpoint answers this from the start */
  guint       per_page;
  guint       latency_ms;
  int         width;
  gboolean    settings;      /* keep the window's state in (memory) GSettings */
  guint       generated;     /* serve this many generated bookings instead */
} Options;

typedef struct
{
  PcClock         *clock;
  PcSandbox       *sandbox;
  SoupSession     *session;
  PcApi           *api;
  PcBookingStore  *store;
  PcBookingLoader *loader;
  GSettings       *settings;
  PcWindow        *window;
} Fixture;

static const char *
list_path (void)
{
  return pc_api_endpoint_get_path (PC_API_ENDPOINT_RECEIVED_BOOKINGS);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  const Options *options = data;
  g_autoptr(GDateTime) now = pc_test_utc (2025, 6, 15, 12, 0, 0);
  g_autoptr(GTimeZone) zone = pc_json_get_default_zone ();
  g_autoptr(GError) error = NULL;
  const char *url = "http://127.0.0.1:1";

  pc_ui_forget_outcomes ();
  f->clock = pc_clock_new_fixed (now);
  f->store = pc_booking_store_new (f->clock);

  if (!options->signed_out)
    {
      if (!options->unreachable)
        {
          g_autofree char *path = g_build_filename (TEST_UI_DATA_DIR,
                                                    options->file ? options->file : "bookings.json",
                                                    NULL);

          f->sandbox = pc_sandbox_new (f->clock, NULL);
          if (options->generated != 0)
            pc_sandbox_load_generated (f->sandbox, options->generated);
          else if (!options->empty)
            {
              pc_sandbox_load_file (f->sandbox, path, &error);
              g_assert_no_error (error);
            }
          if (options->status != 0)
            pc_sandbox_set_path_status (f->sandbox, list_path (), options->status);
          if (options->latency_ms != 0)
            pc_sandbox_set_latency (f->sandbox, options->latency_ms);
          pc_sandbox_listen (f->sandbox, 0, &error);
          g_assert_no_error (error);
          url = pc_sandbox_get_url (f->sandbox);
        }

      f->session = soup_session_new ();
      f->api = pc_api_new (f->session, url, &error);
      g_assert_no_error (error);
      pc_api_set_token (f->api, PC_SANDBOX_DEFAULT_TOKEN);
      pc_api_set_zone (f->api, zone);
    }

  f->loader = pc_booking_loader_new (f->api, f->store);
  if (options->per_page != 0)
    pc_booking_loader_set_bookings_per_page (f->loader, options->per_page);

  if (options->settings)
    f->settings = g_settings_new (APP_ID);
  f->window = g_object_ref_sink (pc_window_new (NULL, f->loader, f->settings));
  gtk_window_set_default_size (GTK_WINDOW (f->window), options->width ? options->width : 1000, 700);
  gtk_window_present (GTK_WINDOW (f->window));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_object (&f->window);
  g_clear_object (&f->settings);
  while (g_main_context_iteration (NULL, FALSE));

  pc_booking_loader_cancel (f->loader);
  g_clear_object (&f->loader);
  g_clear_object (&f->store);
  g_clear_object (&f->api);
  g_clear_object (&f->session);
  while (g_main_context_iteration (NULL, FALSE));

  if (f->sandbox != NULL)
    pc_sandbox_stop (f->sandbox);
  g_clear_object (&f->sandbox);
  g_clear_object (&f->clock);
}

/* Helpers */

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

/* The details' heading: the client's name. */
static GtkLabel *
heading (Fixture *f)
{
  GtkLabel *label = pc_ui_find_label_by_class (page (f), "title-1");

  g_assert_nonnull (label);
  return label;
}

/* The status badge beside it. */
static GtkLabel *
badge (Fixture *f)
{
  GtkLabel *label = pc_ui_find_label_by_class (page (f), "status-badge");

  g_assert_nonnull (label);
  return label;
}

static GListModel *
list_model (Fixture *f)
{
  return G_LIST_MODEL (gtk_list_view_get_model (window_child (f, "list_view")));
}

static guint
n_rows (Fixture *f)
{
  return g_list_model_get_n_items (list_model (f));
}

static const char *
stack_page (Fixture    *f,
            const char *stack)
{
  return gtk_stack_get_visible_child_name (window_child (f, stack));
}

static gboolean
is_loading (Fixture *f)
{
  return pc_booking_loader_get_loading (f->loader);
}

static void
wait_for_bookings (Fixture *f)
{
  PC_TEST_WAIT_UNTIL (pc_booking_loader_get_loaded (f->loader) && !is_loading (f));
  PC_TEST_WAIT_UNTIL (n_rows (f) == N_BOOKINGS);
}

static guint
find_row (Fixture *f,
          gint64   booking_id)
{
  GListModel *model = list_model (f);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(PcBooking) booking = g_list_model_get_item (model, i);

      if (pc_booking_get_booking_id (booking) == booking_id)
        return i;
    }

  return GTK_INVALID_LIST_POSITION;
}

/* Selects the row as a click would: through the list view's selection model. */
static PcBooking *
select_row (Fixture *f,
            gint64   booking_id)
{
  guint position = find_row (f, booking_id);

  g_assert_cmpuint (position, !=, GTK_INVALID_LIST_POSITION);
  gtk_selection_model_select_item (GTK_SELECTION_MODEL (list_model (f)), position, TRUE);
  g_assert_nonnull (pc_window_get_selected_booking (f->window));
  g_assert_cmpint (pc_booking_get_booking_id (pc_window_get_selected_booking (f->window)), ==, booking_id);

  return pc_window_get_selected_booking (f->window);
}

static gboolean
reinvite_enabled (Fixture *f)
{
  return g_action_group_get_action_enabled (G_ACTION_GROUP (f->window), "reinvite");
}

static void
set_filter (Fixture    *f,
            const char *filter)
{
  g_action_group_change_action_state (G_ACTION_GROUP (f->window), "filter",
                                      g_variant_new_string (filter));
}

/* Tests */

static void
test_fill (Fixture       *f,
           gconstpointer  data)
{
  static const gint64 order[N_BOOKINGS] = {
    4815502, 4820001, 4817263, 4809911, 4805555, 4801234,
  };

  /* The window is up before any booking. */
  g_assert_cmpstr (stack_page (f, "main_stack"), ==, "status");

  wait_for_bookings (f);

  g_assert_cmpstr (stack_page (f, "main_stack"), ==, "bookings");
  g_assert_cmpstr (stack_page (f, "list_stack"), ==, "list");
  g_assert_cmpstr (adw_window_title_get_subtitle (window_child (f, "sidebar_title")), ==,
                   "Updated 12:00");
  g_assert_false (adw_banner_get_revealed (window_child (f, "refresh_banner")));

  for (guint i = 0; i < N_BOOKINGS; i++)
    {
      g_autoptr(PcBooking) booking = g_list_model_get_item (list_model (f), i);

      g_assert_cmpint (pc_booking_get_booking_id (booking), ==, order[i]);
    }

  /* Nothing is selected at first, so the page invites to select. */
  g_assert_null (pc_window_get_selected_booking (f->window));
  g_assert_nonnull (pc_ui_find_label (page (f), "No Booking Selected", NULL));
}

static void
test_details (Fixture       *f,
              gconstpointer  data)
{
  GdkContentProvider *content;
  g_auto(GValue) value = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;

  wait_for_bookings (f);
  select_row (f, 4817263);

  g_assert_null (pc_ui_find_label (page (f), "No Booking Selected", NULL));
  g_assert_cmpstr (gtk_label_get_text (heading (f)), ==, "NightOwl_77");
  g_assert_cmpstr (gtk_label_get_text (badge (f)), ==, "Pending");
  /* A wrapped nickname gets no inserted hyphens. */
  {
    PangoAttrList *attrs = gtk_label_get_attributes (heading (f));
    g_autoptr(PangoAttrIterator) iter = NULL;
    PangoAttrInt *hyphens;

    g_assert_nonnull (attrs);
    iter = pango_attr_list_get_iterator (attrs);
    hyphens = (PangoAttrInt *) pango_attr_iterator_get (iter, PANGO_ATTR_INSERT_HYPHENS);
    g_assert_nonnull (hyphens);
    g_assert_false (hyphens->value);
  }
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (badge (f)), "pending"));
  g_assert_nonnull (pc_ui_find_label (page (f), "Booking 4817263 · Sat 14 Jun 2025, 20:30", NULL));
  g_assert_nonnull (pc_ui_find_label_prefix (page (f), "The session time has passed"));
  g_assert_null (pc_ui_find_label_prefix (page (f), "Re-inviting becomes possible"));

  /* Session */
  g_assert_cmpstr (pc_ui_row_value (page (f), "Session", "Date and time"), ==, "Sat 14 Jun 2025, 20:30 · 15 hours ago");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (pc_ui_find_row (page (f), "Session", "Date and time"))), ==,
                   "Saturday 14 June 2025 at 20:30 UTC");
  g_assert_cmpstr (pc_ui_row_value (page (f), "Session", "Duration"), ==, "10 minutes");
  g_assert_cmpstr (pc_ui_row_value (page (f), "Session", "Credits"), ==, "15.00 credits");
  g_assert_cmpstr (pc_ui_row_value (page (f), "Session", "Status"), ==, "Pending");
  g_assert_cmpstr (pc_ui_row_value (page (f), "Session", "Booking number"), ==, "4817263");

  /* Contact */
  g_assert_cmpstr (pc_ui_row_value (page (f), "Contact", "Call method"), ==, "You call the client");
  g_assert_true ((pc_ui_find_row (page (f), "Contact", "Phone number") != NULL));
  g_assert_cmpstr (pc_ui_row_value (page (f), "Contact", "Phone number"), ==, "07700900123");
  g_assert_false ((pc_ui_find_row (page (f), "Contact", "Skype name") != NULL));

  /* Deadlines */
  g_assert_cmpstr (pc_ui_row_value (page (f), "Deadlines", "Accept by"), ==, "Sat 14 Jun 2025, 19:00 · 17 hours ago");
  g_assert_nonnull (pc_ui_find_label (GTK_WIDGET (pc_ui_find_row (page (f), "Deadlines", "Accept by")),
                                      "Passed", NULL));
  g_assert_false ((pc_ui_find_row (page (f), "Deadlines", "Re-invite possible from") != NULL));

  /* History: only what happened */
  g_assert_cmpstr (pc_ui_row_value (page (f), "History", "Created"), ==, "Fri 13 Jun 2025, 17:02 · 1 day ago");
  g_assert_true ((pc_ui_find_row (page (f), "History", "Created") != NULL));
  g_assert_false ((pc_ui_find_row (page (f), "History", "Accepted") != NULL));
  g_assert_false ((pc_ui_find_row (page (f), "History", "Confirmed") != NULL));
  g_assert_false ((pc_ui_find_row (page (f), "History", "Cancelled") != NULL));
  g_assert_false ((pc_ui_find_row (page (f), "History", "Cancelled by") != NULL));
  g_assert_false ((pc_ui_find_row (page (f), "History", "Reason for cancelling") != NULL));
  g_assert_false ((pc_ui_find_row (page (f), "History", "Reason for rejecting") != NULL));
  g_assert_cmpstr (pc_ui_row_value (page (f), "History", "Last updated"), ==, "Fri 13 Jun 2025, 17:02 · 1 day ago");

  /* Comments, hint, client */
  g_assert_nonnull (pc_ui_find_label (GTK_WIDGET (pc_ui_find_group (page (f), "Client’s Comments")), "Hi, free after 9pm - hope that time suits you.", NULL));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (pc_ui_find_type (GTK_WIDGET (pc_ui_find_group (page (f), "Next Step")), ADW_TYPE_ACTION_ROW))), ==,
                   "The session time has passed. You can re-invite the client.");
  g_assert_cmpstr (pc_ui_row_value (page (f), "Client", "Nickname"), ==, "NightOwl_77");
  g_assert_cmpstr (pc_ui_row_value (page (f), "Client", "Client number"), ==, "2938471");
  g_assert_cmpstr (pc_ui_row_value (page (f), "Client", "Ratings"), ==, "11 positive · 1 neutral · 0 negative");
  g_assert_cmpstr (pc_ui_row_value (page (f), "Client", "Number of ratings"), ==, "12");
  g_assert_cmpstr (pc_ui_row_value (page (f), "Client", "Ratings total"), ==, "12");
  g_assert_cmpstr (pc_ui_row_value (page (f), "Client", "Disputes"), ==, "0");
  /* The client's number is the booking's: not shown twice. */
  g_assert_false ((pc_ui_find_row (page (f), "Client", "Phone number") != NULL));

  /* Copying the number puts it on the clipboard. */
  g_assert_true (gtk_widget_activate_action (window_child (f, "booking_page"),
                                             "booking-page.copy", "s", "phone"));
  content = gdk_clipboard_get_content (gtk_widget_get_clipboard (GTK_WIDGET (f->window)));
  g_assert_nonnull (content);
  g_value_init (&value, G_TYPE_STRING);
  g_assert_true (gdk_content_provider_get_value (content, &value, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (g_value_get_string (&value), ==, "07700900123");

  /* Another booking: Skype, a pending one whose session is ahead. */
  select_row (f, 4820001);
  g_assert_cmpstr (gtk_label_get_text (heading (f)), ==, "early_bird");
  g_assert_cmpstr (pc_ui_row_value (page (f), "Contact", "Call method"), ==, "Skype");
  g_assert_false ((pc_ui_find_row (page (f), "Contact", "Phone number") != NULL));
  g_assert_true ((pc_ui_find_row (page (f), "Contact", "Skype name") != NULL));
  g_assert_cmpstr (pc_ui_row_value (page (f), "Contact", "Skype name"), ==, "early.bird.example");
  g_assert_cmpstr (pc_ui_row_value (page (f), "Session", "Credits"), ==, "42.25 credits");
  g_assert_nonnull (pc_ui_find_label (GTK_WIDGET (pc_ui_find_row (page (f), "Deadlines", "Accept by")),
                                      "3 h 00 min 00 s left", NULL));
  g_assert_true ((pc_ui_find_row (page (f), "Deadlines", "Re-invite possible from") != NULL));
  g_assert_cmpstr (pc_ui_row_value (page (f), "Deadlines", "Re-invite possible from"), ==, "Sun 15 Jun 2025, 17:00 · in 5 hours");
  g_assert_nonnull (pc_ui_find_label (GTK_WIDGET (pc_ui_find_row (page (f), "Deadlines", "Re-invite possible from")),
                                      "5 h 00 min 00 s left", NULL));
  g_assert_nonnull (pc_ui_find_label (GTK_WIDGET (pc_ui_find_group (page (f), "Client’s Comments")), "Evening call if you can & thanks <3", NULL));
  g_assert_cmpstr (pc_ui_row_value (page (f), "Client", "Disputes"), ==, "1");

  /* A rejected one shows why. */
  select_row (f, 4805555);
  g_assert_true ((pc_ui_find_row (page (f), "History", "Reason for rejecting") != NULL));
  g_assert_cmpstr (pc_ui_row_value (page (f), "History", "Reason for rejecting"), ==, "Fully booked that evening, sorry!");
  g_assert_null (pc_ui_find_group (page (f), "Client’s Comments"));
  g_assert_null (pc_ui_find_group (page (f), "Next Step"));
  /* No countdown for a booking that is no longer pending. */
  g_assert_null (pc_ui_find_label (GTK_WIDGET (pc_ui_find_row (page (f), "Deadlines", "Accept by")),
                                   "Passed", NULL));

  /* A cancelled one says when, by whom and why. */
  select_row (f, 4801234);
  g_assert_true ((pc_ui_find_row (page (f), "History", "Cancelled") != NULL));
  g_assert_true ((pc_ui_find_row (page (f), "History", "Cancelled by") != NULL));
  g_assert_true ((pc_ui_find_row (page (f), "History", "Reason for cancelling") != NULL));
}

/* Another booking's details start at the top, not where the previous one was scrolled. */
static void
test_details_scroll (Fixture       *f,
                     gconstpointer  data)
{
  GtkScrolledWindow *scrolled;
  GtkAdjustment *adjustment;

  wait_for_bookings (f);
  select_row (f, 4817263);

  scrolled = GTK_SCROLLED_WINDOW (pc_ui_find_type (page (f), GTK_TYPE_SCROLLED_WINDOW));
  g_assert_nonnull (scrolled);
  adjustment = gtk_scrolled_window_get_vadjustment (scrolled);
  PC_TEST_WAIT_UNTIL (gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment) > 100);

  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), >, 100);

  select_row (f, 4815502);
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), ==, gtk_adjustment_get_lower (adjustment));
}

static void
test_update_in_place (Fixture       *f,
                      gconstpointer  data)
{
  PcBooking *booking;
  g_autoptr(PcBooking) newer = NULL;

  wait_for_bookings (f);
  booking = select_row (f, 4817263);
  g_assert_true (reinvite_enabled (f));

  /* A newer server copy: rejected, with a reason and a new comment. */
  newer = pc_booking_copy (booking);
  g_object_set (newer,
                "status-text", "Rejected",
                "rejected-reason", "Re-invited <again> & later",
                "comments", "Changed my mind",
                NULL);
  g_assert_true (pc_booking_update_from (booking, newer));

  g_assert_cmpstr (gtk_label_get_text (badge (f)), ==, "Rejected");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (badge (f)), "rejected"));
  g_assert_cmpstr (pc_ui_row_value (page (f), "Session", "Status"), ==, "Rejected");
  g_assert_true ((pc_ui_find_row (page (f), "History", "Reason for rejecting") != NULL));
  g_assert_cmpstr (pc_ui_row_value (page (f), "History", "Reason for rejecting"), ==, "Re-invited <again> & later");
  g_assert_nonnull (pc_ui_find_label (GTK_WIDGET (pc_ui_find_group (page (f), "Client’s Comments")), "Changed my mind", NULL));
  g_assert_false (reinvite_enabled (f));
  g_assert_nonnull (pc_ui_find_label_prefix (page (f), "This booking has already been rejected."));

  /* The Needs Action view follows the change without a refresh. */
  set_filter (f, "needs-action");
  g_assert_cmpuint (n_rows (f), ==, 1);
}

static void
test_row (void)
{
  g_autoptr(GBytes) bytes = pc_test_load_data ("received-booking.json");
  g_autoptr(GDateTime) now = pc_test_utc (2025, 6, 15, 12, 0, 0);
  g_autoptr(PcClock) clock = pc_clock_new_fixed (now);
  g_autoptr(PcBookingStore) store = pc_booking_store_new (clock);
  g_autoptr(GTimeZone) zone = pc_json_get_default_zone ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PcBooking) parsed = pc_json_booking_from_bytes (bytes, zone, &error);
  g_autoptr(PcBooking) newer = NULL;
  GtkWidget *row = g_object_ref_sink (pc_booking_row_new ());
  PcBooking *booking;

#define ROW_LABEL(name) \
  gtk_label_get_text (GTK_LABEL (gtk_widget_get_template_child (row, PC_TYPE_BOOKING_ROW, name)))
#define ROW_VISIBLE(name) \
  gtk_widget_get_visible (GTK_WIDGET (gtk_widget_get_template_child (row, PC_TYPE_BOOKING_ROW, name)))

  g_assert_no_error (error);
  booking = pc_booking_store_merge_one (store, parsed);
  pc_booking_row_set_booking (PC_BOOKING_ROW (row), booking);

  g_assert_cmpstr (ROW_LABEL ("nickname_label"), ==, pc_client_get_nickname (pc_booking_get_client (booking)));
  g_assert_cmpstr (ROW_LABEL ("status_label"), ==, "Pending");
  g_assert_cmpstr (ROW_LABEL ("amount_label"), ==, "10 minutes · 15.00 credits");
  g_assert_true (ROW_VISIBLE ("reinvite_badge"));

  /* The session's full date is the label's accessible description, and its tooltip,
   * written when GTK asks for it: there is one only while the row shows a booking. */
  {
    GtkWidget *session_label = GTK_WIDGET (gtk_widget_get_template_child (row, PC_TYPE_BOOKING_ROW,
                                                                           "session_label"));
    g_autoptr(GDateTime) session = pc_booking_dup_session_date (booking);
    g_autofree char *full = pc_format_date_time_full (session);
    g_autoptr(GtkTooltip) tooltip = g_object_new (GTK_TYPE_TOOLTIP, NULL);
    gboolean shown = FALSE;

    g_assert_nonnull (full);
    gtk_test_accessible_assert_property (GTK_ACCESSIBLE (session_label),
                                         GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, full);
    g_assert_true (gtk_widget_get_has_tooltip (session_label));
    g_signal_emit_by_name (session_label, "query-tooltip", 1, 1, FALSE, tooltip, &shown);
    g_assert_true (shown);

    pc_booking_row_set_booking (PC_BOOKING_ROW (row), NULL);
    g_signal_emit_by_name (session_label, "query-tooltip", 1, 1, FALSE, tooltip, &shown);
    g_assert_false (shown);
    pc_booking_row_set_booking (PC_BOOKING_ROW (row), booking);
  }

  newer = pc_booking_copy (booking);
  {
    g_autoptr(GDateTime) session = pc_booking_dup_session_date (booking);
    g_autoptr(GDateTime) later = g_date_time_add_days (session, 1);

    g_object_set (newer, "status-text", "Rejected", "duration", 20, "session-date", later, NULL);
  }
  pc_booking_update_from (booking, newer);
  g_assert_cmpstr (ROW_LABEL ("status_label"), ==, "Rejected");
  g_assert_cmpstr (ROW_LABEL ("amount_label"), ==, "20 minutes · 15.00 credits");
  g_assert_false (ROW_VISIBLE ("reinvite_badge"));
  {
    g_autoptr(GDateTime) session = pc_booking_dup_session_date (booking);
    g_autofree char *full = pc_format_date_time_full (session);

    gtk_test_accessible_assert_property (GTK_ACCESSIBLE (gtk_widget_get_template_child (row, PC_TYPE_BOOKING_ROW, "session_label")),
                                         GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, full);
  }

#undef ROW_LABEL
#undef ROW_VISIBLE

  g_object_unref (row);
}

static void
test_filters (Fixture       *f,
              gconstpointer  data)
{
  static const struct {
    const char *filter;
    gint64      ids[N_BOOKINGS];   /* in the order shown, 0-terminated */
  } cases[] = {
    /* Pending and acceptable, or re-invitable. */
    { "needs-action", { 4820001, 4817263 } },
    /* Accepted or confirmed, session ahead, what comes next first. */
    { "upcoming", { 4815502 } },
    /* The rest, a confirmed session that is over too. */
    { "history", { 4809911, 4805555, 4801234 } },
    { "all", { 4815502, 4820001, 4817263, 4809911, 4805555, 4801234 } },
  };
  AdwToggleGroup *group = window_child (f, "filter_group");

  wait_for_bookings (f);

  /* The count beside each view, whatever the view shown. */
  PC_TEST_WAIT_UNTIL (pc_window_get_view_count (f->window, "all") == N_BOOKINGS);
  g_assert_cmpuint (pc_window_get_view_count (f->window, "needs-action"), ==, 2);
  g_assert_cmpuint (pc_window_get_view_count (f->window, "upcoming"), ==, 1);
  g_assert_cmpuint (pc_window_get_view_count (f->window, "history"), ==, 3);
  g_assert_cmpstr (gtk_label_get_text (window_child (f, "needs_action_count")), ==, "2");
  g_assert_cmpstr (gtk_label_get_text (window_child (f, "history_count")), ==, "3");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      guint n = 0;

      set_filter (f, cases[i].filter);
      while (n < N_BOOKINGS && cases[i].ids[n] != 0)
        n++;
      g_assert_cmpuint (n_rows (f), ==, n);
      for (guint j = 0; j < n; j++)
        {
          g_autoptr(PcBooking) booking = g_list_model_get_item (list_model (f), j);

          g_assert_cmpint (pc_booking_get_booking_id (booking), ==, cases[i].ids[j]);
        }
      g_assert_cmpstr (adw_toggle_group_get_active_name (group), ==, cases[i].filter);
    }

  /* The toggles drive the same action, however often they change (under
   * LeakSanitizer each change would show a leaked state if the window lost one). */
  for (guint round = 0; round < 20; round++)
    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_autoptr(GVariant) state = NULL;

        adw_toggle_group_set_active_name (group, cases[i].filter);
        state = g_action_group_get_action_state (G_ACTION_GROUP (f->window), "filter");
        g_assert_cmpstr (g_variant_get_string (state, NULL), ==, cases[i].filter);
      }

  adw_toggle_group_set_active_name (group, "needs-action");
  {
    g_autoptr(GVariant) state = g_action_group_get_action_state (G_ACTION_GROUP (f->window),
                                                                 "filter");

    g_assert_cmpstr (g_variant_get_string (state, NULL), ==, "needs-action");
  }
  g_assert_cmpuint (n_rows (f), ==, 2);

  /* Time passes: quiet_caller's accepted session is over, so it is history now. The
   * lists and the counts follow without a refresh. */
  {
    g_autoptr(GDateTime) later = pc_test_utc (2025, 6, 16, 23, 0, 0);

    pc_clock_set_now (f->clock, later);
  }
  set_filter (f, "upcoming");
  PC_TEST_WAIT_UNTIL (n_rows (f) == 0);
  PC_TEST_WAIT_UNTIL (pc_window_get_view_count (f->window, "history") == 4);
  g_assert_cmpuint (pc_window_get_view_count (f->window, "upcoming"), ==, 0);
  g_assert_cmpuint (pc_window_get_view_count (f->window, "needs-action"), ==, 2);
}

static gboolean
focus_within (Fixture   *f,
              GtkWidget *widget)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (f->window));

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

static void
test_search (Fixture       *f,
             gconstpointer  data)
{
  GtkEditable *entry = window_child (f, "search_entry");

  wait_for_bookings (f);

  g_action_group_activate_action (G_ACTION_GROUP (f->window), "search", NULL);
  g_assert_true (gtk_search_bar_get_search_mode (window_child (f, "search_bar")));

  gtk_editable_set_text (entry, "owl");
  g_assert_cmpuint (n_rows (f), ==, 1);
  gtk_editable_set_text (entry, "BOB");
  g_assert_cmpuint (n_rows (f), ==, 1);
  gtk_editable_set_text (entry, "L");
  g_assert_cmpuint (n_rows (f), ==, 5);

  /* Search and filter combine. */
  set_filter (f, "needs-action");
  g_assert_cmpuint (n_rows (f), ==, 2);
  gtk_editable_set_text (entry, "nobody");
  g_assert_cmpuint (n_rows (f), ==, 0);
  PC_TEST_WAIT_UNTIL (g_strcmp0 (stack_page (f, "list_stack"), "no-results") == 0);

  /* The way forward from no results, from the keyboard: the focus moves to the list. */
  PC_TEST_WAIT_UNTIL (gtk_widget_get_mapped (window_child (f, "no_results_page")));
  g_assert_true (gtk_widget_child_focus (window_child (f, "no_results_page"), GTK_DIR_TAB_FORWARD));
  g_action_group_activate_action (G_ACTION_GROUP (f->window), "show-all", NULL);
  g_assert_cmpuint (n_rows (f), ==, N_BOOKINGS);
  g_assert_cmpstr (gtk_editable_get_text (entry), ==, "");
  g_assert_cmpstr (stack_page (f, "list_stack"), ==, "list");
  g_assert_true (focus_within (f, window_child (f, "list_view")));

  /* Escape in the search entry closes the bar; the list gets the focus. */
  g_action_group_activate_action (G_ACTION_GROUP (f->window), "search", NULL);
  g_assert_true (focus_within (f, window_child (f, "search_entry")));
  g_signal_emit_by_name (window_child (f, "search_entry"), "stop-search");
  g_assert_false (gtk_search_bar_get_search_mode (window_child (f, "search_bar")));
  g_assert_true (focus_within (f, window_child (f, "list_view")));
}

static void
test_error (Fixture       *f,
            gconstpointer  data)
{
  GtkWidget *error_page = window_child (f, "error_page");

  PC_TEST_WAIT_UNTIL (pc_booking_loader_get_error (f->loader) != NULL && !is_loading (f));
  g_assert_cmpstr (stack_page (f, "main_stack"), ==, "status");
  g_assert_cmpstr (stack_page (f, "status_stack"), ==, "error");
  PC_TEST_WAIT_UNTIL (gtk_widget_get_mapped (error_page));
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (error_page)), ==, "Could Not Load Bookings");
  g_assert_true (g_str_has_prefix (adw_status_page_get_description (ADW_STATUS_PAGE (error_page)),
                                   "The server had a problem."));

  /* Retry, the way forward, loads once the server is back. */
  pc_sandbox_set_path_status (f->sandbox, list_path (), 0);
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (f->window), "refresh"));
  g_action_group_activate_action (G_ACTION_GROUP (f->window), "refresh", NULL);
  wait_for_bookings (f);
  g_assert_cmpstr (stack_page (f, "main_stack"), ==, "bookings");
  g_assert_null (pc_booking_loader_get_error (f->loader));
}

static void
test_failed_refresh_keeps_rows (Fixture       *f,
                                gconstpointer  data)
{
  AdwBanner *banner = window_child (f, "refresh_banner");

  wait_for_bookings (f);
  select_row (f, 4817263);

  pc_sandbox_set_path_status (f->sandbox, list_path (), 500);
  g_action_group_activate_action (G_ACTION_GROUP (f->window), "refresh", NULL);
  g_assert_true (is_loading (f));
  PC_TEST_WAIT_UNTIL (!is_loading (f));

  g_assert_nonnull (pc_booking_loader_get_error (f->loader));
  g_assert_cmpuint (n_rows (f), ==, N_BOOKINGS);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->store)), ==, N_BOOKINGS);
  g_assert_cmpstr (stack_page (f, "main_stack"), ==, "bookings");
  g_assert_true (adw_banner_get_revealed (banner));
  g_assert_true (g_str_has_prefix (adw_banner_get_title (banner),
                                   "Could not refresh — showing bookings from "));
  g_assert_false (adw_banner_get_use_markup (banner));
  /* The selection and its details stay too. */
  g_assert_nonnull (pc_window_get_selected_booking (f->window));
  g_assert_cmpstr (gtk_label_get_text (heading (f)), ==, "NightOwl_77");

  /* A good refresh clears the banner. */
  pc_sandbox_set_path_status (f->sandbox, list_path (), 0);
  g_action_group_activate_action (G_ACTION_GROUP (f->window), "refresh", NULL);
  PC_TEST_WAIT_UNTIL (!is_loading (f));
  g_assert_null (pc_booking_loader_get_error (f->loader));
  g_assert_false (adw_banner_get_revealed (banner));
}

static void
test_offline (Fixture       *f,
              gconstpointer  data)
{
  AdwStatusPage *page = window_child (f, "offline_page");

  PC_TEST_WAIT_UNTIL (pc_booking_loader_get_error (f->loader) != NULL && !is_loading (f));
  g_assert_true (g_error_matches (pc_booking_loader_get_error (f->loader),
                                  PC_API_ERROR, PC_API_ERROR_CANNOT_CONNECT));
  g_assert_cmpstr (stack_page (f, "status_stack"), ==, "offline");
  PC_TEST_WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (page)));
  g_assert_cmpstr (adw_status_page_get_title (page), ==, "Cannot Connect");
}

static void
test_empty (Fixture       *f,
            gconstpointer  data)
{
  PC_TEST_WAIT_UNTIL (pc_booking_loader_get_loaded (f->loader));
  g_assert_cmpuint (n_rows (f), ==, 0);
  g_assert_cmpstr (stack_page (f, "main_stack"), ==, "status");
  g_assert_cmpstr (stack_page (f, "status_stack"), ==, "empty");
  /* Nothing to search or select: the menu hides "Search" and "Select Bookings". */
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (f->window), "search"));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (f->window), "selection-mode"));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (f->window), "refresh"));
}

static void
test_signed_out (Fixture       *f,
                 gconstpointer  data)
{
  g_assert_cmpstr (stack_page (f, "main_stack"), ==, "status");
  g_assert_cmpstr (stack_page (f, "status_stack"), ==, "signed-out");
  PC_TEST_WAIT_UNTIL (gtk_widget_get_mapped (window_child (f, "signed_out_page")));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (f->window), "refresh"));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (f->window), "search"));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (f->window), "selection-mode"));
}

static void
test_progressive (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GBytes) smaller = pc_test_load_data ("received-bookings-page.json");
  g_autoptr(GError) error = NULL;

  /* Two per page with latency: the first rows show while later pages are on their way. */
  PC_TEST_WAIT_UNTIL (n_rows (f) >= 2 && is_loading (f));
  g_assert_cmpuint (n_rows (f), <, N_BOOKINGS);
  g_assert_cmpstr (stack_page (f, "main_stack"), ==, "bookings");

  wait_for_bookings (f);
  g_assert_cmpuint (pc_sandbox_count_requests (f->sandbox, "GET", list_path ()), ==, 3);

  /* A full refresh drops the bookings that are gone from the server. */
  g_assert_true (pc_sandbox_load_bytes (f->sandbox, smaller, &error));
  g_assert_no_error (error);
  g_action_group_activate_action (G_ACTION_GROUP (f->window), "refresh", NULL);
  PC_TEST_WAIT_UNTIL (!is_loading (f));
  g_assert_cmpuint (n_rows (f), ==, 4);
  g_assert_null (pc_booking_store_lookup (f->store, 4820001));
  g_assert_nonnull (pc_booking_store_lookup (f->store, 4817263));
}

typedef struct
{
  Fixture *f;
  guint    merges;
  guint    merged_while_loading;
  guint    first_added;
  guint    n_when_loaded;
} Paced;

static void
paced_items_changed_cb (GListModel *store,
                        guint       position,
                        guint       removed,
                        guint       added,
                        Paced      *paced)
{
  if (added == 0)
    return;
  if (paced->merges++ == 0)
    paced->first_added = added;
  if (is_loading (paced->f))
    paced->merged_while_loading++;
}

static void
paced_loading_cb (PcBookingLoader *loader,
                  GParamSpec      *pspec,
                  Paced           *paced)
{
  if (!pc_booking_loader_get_loading (loader))
    paced->n_when_loaded = g_list_model_get_n_items (G_LIST_MODEL (paced->f->store));
}

#define N_GENERATED 600

/* Pages that arrive faster than frames wait in the loader, and the window merges them
 * frame by frame: the rows come in several steps while loading, a few first, and the
 * refresh ends with every booking merged. */
static void
test_progressive_paced (Fixture       *f,
                        gconstpointer  data)
{
  Paced paced = { .f = f };
  gulong items_id = g_signal_connect (f->store, "items-changed",
                                      G_CALLBACK (paced_items_changed_cb), &paced);
  gulong loading_id = g_signal_connect (f->loader, "notify::loading",
                                        G_CALLBACK (paced_loading_cb), &paced);

  PC_TEST_WAIT_UNTIL (pc_booking_loader_get_loaded (f->loader) && !is_loading (f));
  g_signal_handler_disconnect (f->store, items_id);
  g_signal_handler_disconnect (f->loader, loading_id);

  g_assert_cmpuint (paced.n_when_loaded, ==, N_GENERATED);
  g_assert_cmpuint (n_rows (f), ==, N_GENERATED);
  g_assert_cmpuint (paced.merges, >, 1);
  g_assert_cmpuint (paced.merged_while_loading, ==, paced.merges);
  /* The first rows are a few: the list builds a row for each of its first items. */
  g_assert_cmpuint (paced.first_added, <, 50);
}

/* A loader without a window merges at once, or, paced, when told to. */
static void
test_loader_paced (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(PcBookingStore) store = pc_booking_store_new (f->clock);
  g_autoptr(PcBookingLoader) loader = pc_booking_loader_new (f->api, store);

  wait_for_bookings (f);

  pc_booking_loader_set_paced (loader, TRUE);
  pc_booking_loader_set_bookings_per_page (loader, 2);
  pc_booking_loader_refresh (loader);
  PC_TEST_WAIT_UNTIL (pc_booking_loader_get_n_pending (loader) == N_BOOKINGS);
  g_assert_true (pc_booking_loader_get_loading (loader));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);

  /* Part of a page, then the rest; the refresh completes with the last of them. */
  g_assert_cmpuint (pc_booking_loader_merge_pending (loader, 3), ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 3);
  g_assert_cmpuint (pc_booking_loader_get_n_pending (loader), ==, N_BOOKINGS - 3);
  g_assert_true (pc_booking_loader_get_loading (loader));
  PC_TEST_WAIT_UNTIL ((pc_booking_loader_merge_pending (loader, 0),
                       !pc_booking_loader_get_loading (loader)));
  g_assert_true (pc_booking_loader_get_loaded (loader));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, N_BOOKINGS);

  /* Not paced: pages are merged as they come, and what waited is merged at once. */
  pc_booking_loader_refresh (loader);
  PC_TEST_WAIT_UNTIL (pc_booking_loader_get_n_pending (loader) > 0);
  pc_booking_loader_set_paced (loader, FALSE);
  g_assert_cmpuint (pc_booking_loader_get_n_pending (loader), ==, 0);
  PC_TEST_WAIT_UNTIL (!pc_booking_loader_get_loading (loader));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, N_BOOKINGS);
}

static void
test_reinvite_action (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GDateTime) later = pc_test_utc (2025, 6, 15, 17, 30, 0);

  wait_for_bookings (f);
  g_assert_false (reinvite_enabled (f));

  select_row (f, 4817263);              /* pending, session passed */
  g_assert_true (reinvite_enabled (f));
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (pc_ui_find_button (page (f), "Re-invite…"))));

  select_row (f, 4815502);              /* accepted */
  g_assert_false (reinvite_enabled (f));
  g_assert_nonnull (pc_ui_find_label (page (f),
                                      "This booking has been accepted. Only pending bookings can be re-invited.",
                                      NULL));

  select_row (f, 4820001);              /* pending, session ahead */
  g_assert_false (reinvite_enabled (f));
  g_assert_nonnull (pc_ui_find_label (page (f),
                                      "Re-inviting becomes possible on Sun 15 Jun 2025, 17:00 (in 5 hours).",
                                      NULL));

  /* Its session passes while it is selected: the action follows by notify. */
  pc_clock_set_now (f->clock, later);
  PC_TEST_WAIT_UNTIL (reinvite_enabled (f));
  g_assert_null (pc_ui_find_label_prefix (page (f), "Re-inviting becomes possible"));

  /* The action opens the re-invite dialog for the selected booking, once. This window has
   * no reinviter (tests/ui/test-reinvite.c has the application's), so it cannot send. */
  g_assert_null (pc_window_get_reinvite_dialog (f->window));
  g_action_group_activate_action (G_ACTION_GROUP (f->window), "reinvite", NULL);
  g_assert_nonnull (pc_window_get_reinvite_dialog (f->window));
  g_assert_true (pc_reinvite_dialog_get_booking (pc_window_get_reinvite_dialog (f->window)) ==
                 pc_window_get_selected_booking (f->window));
  {
    PcReinviteDialog *dialog = pc_window_get_reinvite_dialog (f->window);

    g_action_group_activate_action (G_ACTION_GROUP (f->window), "reinvite", NULL);
    g_assert_true (pc_window_get_reinvite_dialog (f->window) == dialog);
    g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (dialog), PC_TYPE_REINVITE_DIALOG, "send_button"))));
    adw_dialog_close (ADW_DIALOG (dialog));
    g_assert_null (pc_window_get_reinvite_dialog (f->window));
  }

  gtk_selection_model_unselect_item (GTK_SELECTION_MODEL (list_model (f)), find_row (f, 4820001));
  g_assert_null (pc_window_get_selected_booking (f->window));
  g_assert_false (reinvite_enabled (f));
}

static void
test_show_booking (Fixture       *f,
                   gconstpointer  data)
{
  /* Asked for before it has loaded: shown when it arrives. */
  pc_window_show_booking (f->window, 4805555);
  wait_for_bookings (f);
  PC_TEST_WAIT_UNTIL (pc_window_get_selected_booking (f->window) != NULL);
  g_assert_cmpint (pc_booking_get_booking_id (pc_window_get_selected_booking (f->window)), ==, 4805555);

  /* Hidden by the filter: the filter gives way. */
  set_filter (f, "needs-action");
  pc_window_show_booking (f->window, 4809911);
  g_assert_cmpint (pc_booking_get_booking_id (pc_window_get_selected_booking (f->window)), ==, 4809911);
  g_assert_cmpuint (n_rows (f), ==, N_BOOKINGS);
}

static void
test_narrow (Fixture       *f,
             gconstpointer  data)
{
  AdwNavigationSplitView *split_view = window_child (f, "split_view");

  wait_for_bookings (f);
  PC_TEST_WAIT_UNTIL (adw_navigation_split_view_get_collapsed (split_view));
  g_assert_false (adw_navigation_split_view_get_show_content (split_view));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (f->window)), <=, 360);

  /* Selecting opens the details; back returns to the list and clears the selection, so
   * that the same booking can be opened again. */
  g_assert_true (gtk_widget_grab_focus (window_child (f, "list_view")));
  select_row (f, 4817263);
  g_assert_true (adw_navigation_split_view_get_show_content (split_view));
  /* The keyboard goes along: to the details, then back to the list. */
  g_assert_true (focus_within (f, window_child (f, "content")));
  g_action_group_activate_action (G_ACTION_GROUP (f->window), "back", NULL);
  PC_TEST_WAIT_UNTIL (!adw_navigation_split_view_get_show_content (split_view));
  g_assert_null (pc_window_get_selected_booking (f->window));
  g_assert_true (focus_within (f, window_child (f, "list_view")));

  /* Widening shows both panes again. */
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1000, 700);
  PC_TEST_WAIT_UNTIL (!adw_navigation_split_view_get_collapsed (split_view));
}

/* The size is written as it changes, so that every way out keeps it: the close button,
 * but also app.quit (Ctrl+Q) and the session ending, which never ask the window to
 * close. */
static void
test_size_kept (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(PcWindow) next = NULL;
  int width, height;

  gtk_window_set_default_size (GTK_WINDOW (f->window), 777, 555);
  g_assert_cmpint (g_settings_get_int (f->settings, "window-width"), ==, 777);
  g_assert_cmpint (g_settings_get_int (f->settings, "window-height"), ==, 555);
  g_assert_false (g_settings_get_boolean (f->settings, "window-maximized"));

  /* The next window, as after a restart, opens at that size. */
  next = g_object_ref_sink (pc_window_new (NULL, f->loader, f->settings));
  gtk_window_get_default_size (GTK_WINDOW (next), &width, &height);
  g_assert_cmpint (width, ==, 777);
  g_assert_cmpint (height, ==, 555);
  gtk_window_destroy (GTK_WINDOW (next));
}

/* Selection mode says how many are selected, with Cancel in place of the other header
 * buttons. */
static void
test_selection_title (Fixture       *f,
                      gconstpointer  data)
{
  AdwWindowTitle *title = window_child (f, "sidebar_title");

  wait_for_bookings (f);
  g_action_group_change_action_state (G_ACTION_GROUP (f->window), "selection-mode",
                                      g_variant_new_boolean (TRUE));
  g_assert_true (pc_window_get_selection_mode (f->window));
  g_assert_cmpstr (adw_window_title_get_title (title), ==, "Select Bookings");
  g_assert_true (gtk_widget_get_visible (window_child (f, "cancel_selection_button")));
  g_assert_false (gtk_widget_get_visible (window_child (f, "refresh_button")));
  g_assert_false (gtk_widget_get_visible (window_child (f, "menu_button")));

  gtk_selection_model_select_item (GTK_SELECTION_MODEL (list_model (f)), 0, FALSE);
  gtk_selection_model_select_item (GTK_SELECTION_MODEL (list_model (f)), 2, FALSE);
  g_assert_cmpstr (adw_window_title_get_title (title), ==, "2 Selected");

  g_signal_emit_by_name (window_child (f, "cancel_selection_button"), "clicked");
  g_assert_false (pc_window_get_selection_mode (f->window));
  g_assert_cmpstr (adw_window_title_get_title (title), ==, "Bookings");
  g_assert_true (gtk_widget_get_visible (window_child (f, "refresh_button")));
  g_assert_false (gtk_widget_get_visible (window_child (f, "cancel_selection_button")));
}

/* What a screen reader says for the filter control (GTK_A11Y=test keeps the properties). */
static void
test_filter_accessible (Fixture       *f,
                        gconstpointer  data)
{
  GtkAccessible *group = window_child (f, "filter_group");

  gtk_test_accessible_assert_property (group, GTK_ACCESSIBLE_PROPERTY_LABEL, "Show bookings");
}

/* Every icon the sources name exists in the icon theme or in the application's own
 * resources: none draws as "image missing". The theme may drop icons (Adwaita 48 no
 * longer has emblem-ok-symbolic), so the application ships the ones it cannot count on. */
static void
test_icons (void)
{
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gdk_display_get_default ());
  g_autofree char *dir = g_build_filename (g_test_get_dir (G_TEST_DIST), "..", "src", "ui", NULL);
  g_autoptr(GRegex) regex = g_regex_new ("[a-z][a-z0-9-]*-symbolic", 0, 0, NULL);
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GDir) listing = NULL;
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  const char *file;
  gpointer name;

  /* What GtkApplication does for its resource base path. */
  gtk_icon_theme_add_resource_path (theme, "/com/example/PhoneChat/icons");

  listing = g_dir_open (dir, 0, &error);
  g_assert_no_error (error);
  while ((file = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, file, NULL);
      g_autofree char *text = NULL;
      g_autoptr(GMatchInfo) match = NULL;

      if (!g_str_has_suffix (file, ".ui") && !g_str_has_suffix (file, ".c"))
        continue;

      g_file_get_contents (path, &text, NULL, &error);
      g_assert_no_error (error);
      for (g_regex_match (regex, text, 0, &match); g_match_info_matches (match);
           g_match_info_next (match, NULL))
        g_hash_table_add (names, g_match_info_fetch (match, 0));
    }

  /* The sources name a dozen or more: a scan that found nothing proves nothing. */
  g_assert_cmpuint (g_hash_table_size (names), >=, 10);
  g_hash_table_iter_init (&iter, names);
  while (g_hash_table_iter_next (&iter, &name, NULL))
    {
      if (!gtk_icon_theme_has_icon (theme, name))
        g_error ("No icon “%s” in the theme or the application’s resources", (char *) name);
    }
  g_assert_true (gtk_icon_theme_has_icon (theme, APP_ID));
}

/* Times follow the desktop's clock-format setting, and its changes. */
static void
test_clock_format (void)
{
  g_autoptr(GSettingsSchemaSource) source = NULL;
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettingsBackend) backend = g_memory_settings_backend_new ();
  g_autoptr(GSettings) desktop = NULL;
  g_autoptr(PcClockFormatMonitor) monitor = NULL;
  g_autoptr(GDateTime) when = pc_test_utc (2025, 6, 14, 20, 30, 0);
  g_autoptr(GError) error = NULL;
  g_autofree char *twelve = NULL;
  g_autofree char *twenty_four = NULL;
  g_autofree char *date = NULL;

  source = g_settings_schema_source_new_from_directory ("/usr/share/glib-2.0/schemas", NULL,
                                                        FALSE, &error);
  g_assert_no_error (error);
  schema = g_settings_schema_source_lookup (source, "org.gnome.desktop.interface", FALSE);
  g_assert_nonnull (schema);
  desktop = g_settings_new_full (schema, backend, NULL);

  g_settings_set_string (desktop, "clock-format", "12h");
  monitor = pc_clock_format_monitor_new (desktop);
  g_assert_cmpint (pc_clock_format_monitor_get_format (monitor), ==, PC_CLOCK_FORMAT_12H);
  twelve = pc_format_time (when);
  date = pc_format_date_time (when);
  g_assert_cmpstr (twelve, ==, "8:30 PM");
  g_assert_cmpstr (date, ==, "Sat 14 Jun 2025, 8:30 PM");

  g_settings_set_string (desktop, "clock-format", "24h");
  g_assert_cmpint (pc_clock_format_monitor_get_format (monitor), ==, PC_CLOCK_FORMAT_24H);
  twenty_four = pc_format_time (when);
  g_assert_cmpstr (twenty_four, ==, "20:30");
}

/* The focus chain from the list onwards, as Tab walks it once the details are laid out
 * (Tab follows the widgets' places): the list, then the details' name and actions first,
 * before any detail row. */
static void
test_tab_order (Fixture       *f,
                gconstpointer  data)
{
  GtkWidget *details = page (f);
  GtkWidget *list = window_child (f, "list_view");
  guint in_page = 0;
  gboolean reached_reinvite = FALSE;

  wait_for_bookings (f);
  select_row (f, 4817263);
  /* Tab follows the widgets' places on screen: wait until the details have theirs. */
  PC_TEST_WAIT_UNTIL (gtk_widget_get_height (GTK_WIDGET (pc_ui_find_button (details, "Re-invite…"))) > 0);
  g_assert_true (gtk_widget_grab_focus (list));

  for (guint i = 0; i < 60; i++)
    {
      GtkWidget *focus;

      gtk_widget_child_focus (GTK_WIDGET (f->window), GTK_DIR_TAB_FORWARD);
      focus = gtk_root_get_focus (GTK_ROOT (f->window));
      if (focus == NULL)
        break;
      if (g_test_verbose ())
        g_test_message ("tab %u: %s in %s, %s", i, G_OBJECT_TYPE_NAME (focus),
                        G_OBJECT_TYPE_NAME (gtk_widget_get_parent (focus)),
                        gtk_widget_get_tooltip_text (focus));
      if (!gtk_widget_is_ancestor (focus, details))
        {
          if (in_page > 0)
            break;
          continue;
        }
      in_page++;
      if (focus == GTK_WIDGET (pc_ui_find_button (details, "Re-invite…")))
        {
          reached_reinvite = TRUE;
          break;
        }
      g_assert_false (ADW_IS_PREFERENCES_ROW (focus));
    }

  g_assert_true (reached_reinvite);
  g_assert_cmpuint (in_page, <=, 4);
}

/* A label under @widget that shows @text. */
static GtkLabel *
find_label (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return GTK_LABEL (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *label = find_label (child, text);

      if (label != NULL)
        return label;
    }

  return NULL;
}

/* After the desktop's clock format changes, every time on screen is written again. */
static void
test_refresh_times (Fixture       *f,
                    gconstpointer  data)
{
  wait_for_bookings (f);
  select_row (f, 4817263);
  g_assert_true (g_str_has_prefix (pc_ui_row_value (page (f), "Session", "Date and time"), "Sat 14 Jun 2025, 20:30 · "));
  g_assert_nonnull (find_label (window_child (f, "list_view"), "Sat 14 Jun 2025, 20:30"));

  pc_clock_format_set (PC_CLOCK_FORMAT_12H);
  pc_window_refresh_times (f->window);
  g_assert_true (g_str_has_prefix (pc_ui_row_value (page (f), "Session", "Date and time"), "Sat 14 Jun 2025, 8:30 PM · "));
  g_assert_true (g_str_has_suffix (adw_window_title_get_subtitle (window_child (f, "sidebar_title")), "M"));
  g_assert_nonnull (find_label (window_child (f, "list_view"), "Sat 14 Jun 2025, 8:30 PM"));
  g_assert_null (find_label (window_child (f, "list_view"), "Sat 14 Jun 2025, 20:30"));

  pc_clock_format_set (PC_CLOCK_FORMAT_24H);
  pc_window_refresh_times (f->window);
  g_assert_true (g_str_has_prefix (pc_ui_row_value (page (f), "Session", "Date and time"), "Sat 14 Jun 2025, 20:30 · "));
}

static const Options default_options = { 0 };
static const Options error_options = { .status = 500 };
static const Options unreachable_options = { .unreachable = TRUE };
/* The views' names are not cut short on the narrowest window, even with the counts of a
 * large account (six digits): each count goes under its name. */
static void
test_view_names_fit (Fixture       *f,
                     gconstpointer  data)
{
  static const struct {
    const char *view;
    const char *count;
  } views[] = {
    { "needs-action", "needs_action_count" },
    { "upcoming", "upcoming_count" },
    { "history", "history_count" },
    { "all", "all_count" },
  };
  AdwToggleGroup *group = window_child (f, "filter_group");
  GtkWidget *last_count = window_child (f, views[G_N_ELEMENTS (views) - 1].count);
  int natural = 0;

  wait_for_bookings (f);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (f->window)), <=, 360);

  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    gtk_label_set_text (window_child (f, views[i].count), "100000");
  gtk_widget_measure (last_count, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
  PC_TEST_WAIT_UNTIL (gtk_widget_get_width (last_count) >= natural);

  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    {
      AdwToggle *toggle = adw_toggle_group_get_toggle_by_name (group, views[i].view);
      GtkWidget *name = gtk_widget_get_first_child (adw_toggle_get_child (toggle));

      g_assert_true (GTK_IS_LABEL (name));
      g_assert_cmpuint (gtk_label_get_ellipsize (GTK_LABEL (name)), ==, PANGO_ELLIPSIZE_END);
      if (pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (name))))
        g_error ("The view name “%s” is cut short", gtk_label_get_text (GTK_LABEL (name)));
    }
}

static const Options empty_options = { .empty = TRUE };
static const Options signed_out_options = { .signed_out = TRUE };
static const Options progressive_options = { .per_page = 2, .latency_ms = 150 };
static const Options narrow_options = { .width = 360 };
static const Options generated_options = { .generated = N_GENERATED, .per_page = 50 };
static const Options settings_options = { .settings = TRUE };

#define ADD(path, options, func) \
  g_test_add (path, Fixture, &options, fixture_setup, func, fixture_teardown)

/* The window in German, as a user with LC_ALL=de_DE.UTF-8 sees it (PC_TEST_GERMAN): the
 * catalogue from the build folder, the locale generated there (tests/ui/meson.build). The
 * expected texts are written out, so that an English word or date pattern fails. */
static void
test_german (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GDateTime) session = pc_test_utc (2025, 6, 14, 20, 30, 0);
  g_autofree char *date = NULL;
  PcBookingRow *row;
  GtkWidget *list_item;
  GtkButton *reinvite;

  wait_for_bookings (f);

  /* The list's title and the dates as GLib formats them with the German patterns. */
  g_assert_cmpstr (adw_window_title_get_title (window_child (f, "sidebar_title")), ==,
                   "Buchungen");
  g_assert_cmpstr (adw_window_title_get_subtitle (window_child (f, "sidebar_title")), ==,
                   "Aktualisiert um 12:00");
  date = pc_format_date_time (session);
  g_assert_cmpstr (date, ==, "Sa, 14. Jun 2025, 20:30");

  /* A row as a screen reader names it. */
  row = pc_ui_find_booking_row (window_child (f, "list_view"), 4817263);
  g_assert_nonnull (row);
  list_item = gtk_widget_get_parent (GTK_WIDGET (row));
  gtk_test_accessible_assert_role (list_item, GTK_ACCESSIBLE_ROLE_LIST_ITEM);
  gtk_test_accessible_assert_property (list_item, GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "NightOwl_77, Sa, 14. Jun 2025, 20:30, Ausstehend, "
                                       "kann erneut eingeladen werden");

  /* The booking's page: its status, the server's next step in German, the button. */
  select_row (f, 4817263);
  g_assert_cmpstr (gtk_label_get_text (badge (f)), ==, "Ausstehend");
  g_assert_nonnull (pc_ui_find_label (page (f), "Buchung 4817263 · Sa, 14. Jun 2025, 20:30", NULL));
  g_assert_nonnull (pc_ui_find_row (page (f), "Nächster Schritt",
                                    "Der Termin ist verstrichen. Sie können den Kunden "
                                    "erneut einladen."));
  reinvite = pc_ui_find_button (page (f), "Erneut einladen …");
  g_assert_nonnull (reinvite);
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (reinvite)));

  /* A next step PhoneChat does not know stays as the server wrote it. */
  select_row (f, 4820001);
  g_assert_nonnull (pc_ui_find_row (page (f), "Nächster Schritt",
                                    "Accept or reject the booking before the deadline."));
}

int
main (int   argc,
      char *argv[])
{
  gboolean german = g_strcmp0 (g_getenv ("PC_TEST_GERMAN"), "1") == 0;

  if (german)
    {
      /* As the application does (main.c), with the catalogue of the build folder. */
      if (setlocale (LC_ALL, "") == NULL || !g_str_has_prefix (setlocale (LC_ALL, NULL), "de_DE"))
        g_error ("The de_DE.UTF-8 locale is missing: LOCPATH=%s LC_ALL=%s",
                 g_getenv ("LOCPATH"), g_getenv ("LC_ALL"));
      bindtextdomain (GETTEXT_PACKAGE, TEST_LOCALEDIR);
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      textdomain (GETTEXT_PACKAGE);
    }
  else
    setlocale (LC_ALL, "C.UTF-8");
  /* Not G_TEST_OPTION_ISOLATE_DIRS: it hides XDG_DATA_DIRS, and with it the icon
   * theme. Settings live in memory (GSETTINGS_BACKEND=memory). */
  g_test_init (&argc, &argv, NULL);
  pc_test_init_logging ();
  gtk_init ();
  adw_init ();
  /* Transitions only make tests slower and their timing vary; libadwaita 1.7 also warns
   * about snapshotting an unallocated gizmo when a split view's page transition and a
   * resize overlap, which no user sees. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  if (german)
    {
      ADD ("/window/locale/de", default_options, test_german);
      return g_test_run ();
    }

  ADD ("/window/fill", default_options, test_fill);
  ADD ("/window/details", default_options, test_details);
  ADD ("/window/details/scroll", default_options, test_details_scroll);
  ADD ("/window/update-in-place", default_options, test_update_in_place);
  ADD ("/window/filters", default_options, test_filters);
  ADD ("/window/search", default_options, test_search);
  ADD ("/window/error", error_options, test_error);
  ADD ("/window/failed-refresh-keeps-rows", default_options, test_failed_refresh_keeps_rows);
  ADD ("/window/offline", unreachable_options, test_offline);
  ADD ("/window/empty", empty_options, test_empty);
  ADD ("/window/signed-out", signed_out_options, test_signed_out);
  ADD ("/window/progressive", progressive_options, test_progressive);
  ADD ("/window/progressive/paced", generated_options, test_progressive_paced);
  ADD ("/loader/paced", default_options, test_loader_paced);
  ADD ("/window/reinvite-action", default_options, test_reinvite_action);
  ADD ("/window/show-booking", default_options, test_show_booking);
  ADD ("/window/narrow", narrow_options, test_narrow);
  ADD ("/window/narrow/view-names", narrow_options, test_view_names_fit);
  ADD ("/window/size/kept-without-close", settings_options, test_size_kept);
  ADD ("/window/selection/title", default_options, test_selection_title);
  ADD ("/window/keyboard/tab-order", default_options, test_tab_order);
  ADD ("/window/filters/accessible-name", default_options, test_filter_accessible);
  g_test_add_func ("/window/icons/all-present", test_icons);
  g_test_add_func ("/window/clock-format/follows-desktop", test_clock_format);
  ADD ("/window/clock-format/refresh", default_options, test_refresh_times);
  g_test_add_func ("/row/bind", test_row);

  return g_test_run ();
}
