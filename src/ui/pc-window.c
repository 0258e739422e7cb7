/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pc-window"

#include "config.h"

#include <glib/gi18n.h>

#include "pc-api.h"
#include "pc-batch-reinvite-dialog.h"
#include "pc-bench.h"
#include "pc-booking.h"
#include "pc-booking-loader.h"
#include "pc-booking-page.h"
#include "pc-booking-row.h"
#include "pc-booking-store.h"
#include "pc-client.h"
#include "pc-debug.h"
#include "pc-error.h"
#include "pc-format.h"
#include "pc-reinvite-dialog.h"
#include "pc-reinviter.h"
#include "pc-window.h"

/**
 * PcWindow:
 *
 * The main window: received bookings in the sidebar, one booking's details in the
 * content of an #AdwNavigationSplitView, which collapses to one pane at a time (with a
 * back button) on narrow screens.
 *
 * The list is the application's #PcBookingStore, filtered (category, nickname search)
 * and sorted: upcoming sessions soonest first, every other view newest session first.
 * Window actions live in pc-window-actions.c. The window starts the first load once its first frame
 * is drawn, never before, and shows loading, empty, offline, error and signed-out states
 * as status pages while there is nothing to list. A failed refresh never clears the
 * list: a banner says what went wrong instead.
 *
 * `win.reinvite` opens a #PcReinviteDialog for the selected booking. `win.selection-mode`
 * (the Select button; Escape leaves it) turns the list into a multiple selection with a
 * check button per row, and `win.reinvite-selected` opens a #PcBatchReinviteDialog for
 * the selected bookings. Both dialogs send through the window's #PcReinviter.
 *
 * The views (`win.filter`: needs-action, upcoming, history, all) show their counts,
 * kept as bookings arrive and change (pc_window_get_view_count()). Accept, reject,
 * cancel and delete (`win.accept`, …, `win.accept-selected`, `win.delete-selected`) are
 * in pc-window-booking-actions.c; they send through a #PcActionRunner on the
 * reinviter's API and store.
 */

#include "pc-window-private.h"

G_DEFINE_FINAL_TYPE (PcWindow, pc_window, ADW_TYPE_APPLICATION_WINDOW)

/* In the order of the filter toggles. */
const char * const _pc_window_filter_names[N_FILTERS] = {
  "needs-action", "upcoming", "history", "all",
};

enum {
  PROP_0,
  PROP_LOADER,
  PROP_SETTINGS,
  PROP_SELECTED_BOOKING,
  PROP_REINVITER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_FIRST_FRAME,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

GAction *
_pc_window_lookup_action (PcWindow   *self,
                          const char *name)
{
  return g_action_map_lookup_action (G_ACTION_MAP (self), name);
}

void
_pc_window_set_action_enabled (PcWindow   *self,
                               const char *name,
                               gboolean    enabled)
{
  g_simple_action_set_enabled (G_SIMPLE_ACTION (_pc_window_lookup_action (self, name)), enabled);
}

static PcSessionState
session_state (PcWindow *self)
{
  return self->session != NULL ? pc_session_get_state (self->session) : PC_SESSION_SIGNED_OUT;
}

/* Looking for the stored account: nothing to show yet, and it is not "signed out". */
static gboolean
is_restoring (PcWindow *self)
{
  return pc_booking_loader_get_api (self->loader) == NULL &&
         session_state (self) == PC_SESSION_RESTORING;
}

static gboolean
is_signed_out (PcWindow *self)
{
  return (pc_booking_loader_get_api (self->loader) == NULL && !is_restoring (self)) ||
         g_error_matches (pc_booking_loader_get_error (self->loader),
                          PC_API_ERROR, PC_API_ERROR_NO_TOKEN);
}

/* The bookings come from the account, whose sign-in the server no longer accepts. */
static gboolean
needs_sign_in (PcWindow *self)
{
  return session_state (self) == PC_SESSION_NEEDS_SIGN_IN &&
         pc_booking_loader_get_api (self->loader) != NULL &&
         pc_booking_loader_get_api (self->loader) == pc_session_get_api (self->session);
}

static gboolean
has_focus_within (PcWindow  *self,
                  GtkWidget *widget)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

static void
update_list_state (PcWindow *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->sort_model));

  /* GtkStack moves the focus from a page it hides to the one it shows. */
  gtk_stack_set_visible_child_name (self->list_stack, n > 0 ? "list" : "no-results");
}

void
_pc_window_update_state (PcWindow *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  const GError *error = pc_booking_loader_get_error (self->loader);
  gboolean loading = pc_booking_loader_get_loading (self->loader);
  gboolean loaded = pc_booking_loader_get_loaded (self->loader);
  GDateTime *last_updated = pc_booking_loader_get_last_updated (self->loader);

  if (n > 0)
    {
      gtk_stack_set_visible_child_name (self->main_stack, "bookings");

      /* Rows stay; the banner says the refresh failed, or that the sign-in has ended,
       * and how old they are. Why a refresh failed is in the debug log: the banner has
       * room for one short line. */
      if (needs_sign_in (self) || (error != NULL && !loading))
        {
          g_autofree char *text = NULL;
          g_autofree char *time = last_updated != NULL ? pc_format_time (last_updated) : NULL;

          if (needs_sign_in (self))
            {
              if (time != NULL)
                /* Translators: %s is a time of day, e.g. "14:32" or "2:32 PM" */
                text = g_strdup_printf (_("Sign in again to see new bookings — showing bookings from %s"), time);
              else
                text = g_strdup (_("Sign in again to see new bookings"));
              adw_banner_set_button_label (self->refresh_banner, _("_Sign In…"));
              gtk_actionable_set_action_name (GTK_ACTIONABLE (self->refresh_banner), "app.sign-in");
            }
          else
            {
              if (time != NULL)
                /* Translators: %s is a time of day, e.g. "14:32" or "2:32 PM" */
                text = g_strdup_printf (_("Could not refresh — showing bookings from %s"), time);
              else
                text = g_strdup (_("Could not refresh"));
              adw_banner_set_button_label (self->refresh_banner, _("_Retry"));
              gtk_actionable_set_action_name (GTK_ACTIONABLE (self->refresh_banner), "win.refresh");
            }
          adw_banner_set_title (self->refresh_banner, text);
          adw_banner_set_revealed (self->refresh_banner, TRUE);
        }
      else
        adw_banner_set_revealed (self->refresh_banner, FALSE);
    }
  else
    {
      gtk_stack_set_visible_child_name (self->main_stack, "status");
      adw_banner_set_revealed (self->refresh_banner, FALSE);

      if (is_signed_out (self) || needs_sign_in (self))
        {
          if (needs_sign_in (self))
            {
              adw_status_page_set_title (self->signed_out_page, _("Sign In Again"));
              adw_status_page_set_description (self->signed_out_page,
                                               _("The server no longer accepts your sign-in. Sign in again to see your bookings."));
            }
          else
            {
              adw_status_page_set_title (self->signed_out_page, _("Welcome to PhoneChat"));
              adw_status_page_set_description (self->signed_out_page,
                                               _("Sign in with your AdultWork account to see the PhoneChat bookings clients make with you, or try PhoneChat with demo bookings first."));
            }
          gtk_stack_set_visible_child_name (self->status_stack, "signed-out");
        }
      else if (is_restoring (self) || loading || (!loaded && error == NULL))
        gtk_stack_set_visible_child_name (self->status_stack, "loading");
      else if (error != NULL)
        {
          g_autofree char *title = NULL;
          g_autofree char *sentence = NULL;
          g_autofree char *details = NULL;
          g_autoptr(GString) markup = NULL;
          PcErrorKind kind;
          gboolean offline;
          AdwStatusPage *page;

          pc_error_describe (error, PC_ERROR_TASK_LOAD_BOOKINGS, &kind, &title, &sentence);
          details = pc_error_dup_details (error, sentence);
          offline = kind == PC_ERROR_KIND_OFFLINE;
          page = offline ? self->offline_page : self->error_page;
          /* Status page descriptions are Pango markup: what happened in one sentence,
           * then the technical part (the API's own message) smaller, below. */
          markup = g_string_new (NULL);
          {
            g_autofree char *escaped = g_markup_escape_text (sentence, -1);

            g_string_append (markup, escaped);
          }
          if (details != NULL)
            {
              g_autofree char *escaped_details = g_markup_escape_text (details, -1);

              g_string_append_printf (markup, "\n\n<small>%s</small>", escaped_details);
            }
          adw_status_page_set_title (page, title);
          adw_status_page_set_description (page, markup->str);
          gtk_stack_set_visible_child_name (self->status_stack, offline ? "offline" : "error");
        }
      else
        gtk_stack_set_visible_child_name (self->status_stack, "empty");
    }

  gtk_widget_set_visible (self->refresh_spinner, loading && n > 0);
  _pc_window_update_header_buttons (self);
  _pc_window_set_action_enabled (self, "refresh", !loading && pc_booking_loader_get_api (self->loader) != NULL);

  /* Search and selection need a list. The status pages share the main menu, whose
   * "Search" and "Select Bookings" would otherwise do nothing there. */
  _pc_window_set_action_enabled (self, "search", n > 0);
  _pc_window_set_action_enabled (self, "selection-mode", n > 0);
  if (n == 0)
    _pc_window_set_selection_mode (self, FALSE);

  _pc_window_update_title (self);
}

/* The sidebar's title: "Bookings" with how fresh they are, or what selection mode has
 * selected. */
void
_pc_window_update_title (PcWindow *self)
{
  g_autofree char *subtitle = NULL;

  if (self->selection_mode)
    {
      g_autoptr(GtkBitset) checked =
        gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->multi_selection));
      guint n = (guint) gtk_bitset_get_size (checked);
      g_autofree char *title = NULL;

      if (n == 0)
        title = g_strdup (_("Select Bookings"));
      else
        /* Translators: the title of the list in selection mode */
        title = g_strdup_printf (ngettext ("%u Selected", "%u Selected", n), n);
      adw_window_title_set_title (self->sidebar_title, title);
      adw_window_title_set_subtitle (self->sidebar_title, NULL);
      return;
    }

  adw_window_title_set_title (self->sidebar_title, _("Bookings"));
  if (pc_booking_loader_get_loading (self->loader))
    subtitle = g_strdup (_("Updating…"));
  else if (pc_booking_loader_get_last_updated (self->loader) != NULL)
    {
      g_autofree char *time = pc_format_time (pc_booking_loader_get_last_updated (self->loader));

      /* Translators: %s is a time of day, e.g. "14:32" or "2:32 PM" */
      subtitle = g_strdup_printf (_("Updated %s"), time);
    }
  adw_window_title_set_subtitle (self->sidebar_title, subtitle);
}

/* The view a booking belongs to: *Needs action* (pending and acceptable, or
 * re-invitable), *Upcoming* (accepted or confirmed, with the session still ahead), or
 * *History* (the rest: a confirmed session that is over is history too). */
/*
 * _pc_window_update_header_buttons:
 *
 * The list's header holds what fits in a 360 px wide window with the window's own
 * buttons: while bookings come in, the spinner takes the refresh button's place
 * (refreshing is off meanwhile); when narrow, search goes to the main menu and Ctrl+F,
 * where it also is. Selection mode shows Cancel in place of both.
 */
void
_pc_window_update_header_buttons (PcWindow *self)
{
  gboolean narrow = adw_application_window_get_current_breakpoint (ADW_APPLICATION_WINDOW (self)) ==
                    self->narrow_breakpoint;

  gtk_widget_set_visible (self->refresh_button,
                          !self->selection_mode && !gtk_widget_get_visible (self->refresh_spinner));
  gtk_widget_set_visible (self->search_button, !self->selection_mode && !narrow);
}

static void
narrow_changed_cb (PcWindow *self)
{
  _pc_window_update_header_buttons (self);
}

static FilterKind
view_of (PcBooking *booking)
{
  PcBookingStatus status = pc_booking_get_status (booking);

  if ((status == PC_BOOKING_STATUS_PENDING && pc_booking_get_can_accept (booking)) ||
      pc_booking_get_can_reinvite (booking))
    return FILTER_NEEDS_ACTION;
  if ((status == PC_BOOKING_STATUS_ACCEPTED || status == PC_BOOKING_STATUS_CONFIRMED) &&
      !pc_booking_get_is_expired (booking))
    return FILTER_UPCOMING;
  return FILTER_HISTORY;
}

static gboolean
category_filter_func (gpointer item,
                      gpointer user_data)
{
  PcWindow *self = user_data;

  return self->filter == FILTER_ALL || view_of (item) == self->filter;
}

static void
update_count_labels (PcWindow *self)
{
  for (guint i = 0; i < N_FILTERS; i++)
    {
      g_autofree char *text = g_strdup_printf ("%u", self->counts[i]);

      if (self->count_labels[i] != NULL)
        gtk_label_set_text (self->count_labels[i], text);
    }
}

/* Counts every view once: after bookings changed in place or left the store. */
static gboolean
recount_cb (gpointer user_data)
{
  PcWindow *self = user_data;
  GListModel *store = G_LIST_MODEL (self->store);
  guint n = g_list_model_get_n_items (store);

  self->counts_id = 0;
  memset (self->counts, 0, sizeof self->counts);
  for (guint i = 0; i < n; i++)
    {
      self->counts[view_of (pc_booking_store_peek (self->store, i))]++;
    }
  self->counts[FILTER_ALL] = n;
  update_count_labels (self);

  return G_SOURCE_REMOVE;
}

static void
queue_recount (PcWindow *self)
{
  if (self->counts_id == 0)
    self->counts_id = g_idle_add_full (G_PRIORITY_DEFAULT, recount_cb, self, NULL);
}

/* New bookings are counted as they come, so that loading stays linear; a removal
 * recounts. */
static void
count_added (PcWindow *self,
             guint     position,
             guint     removed,
             guint     added)
{
  GListModel *store = G_LIST_MODEL (self->store);

  if (removed > 0 || self->counts_id != 0)
    {
      queue_recount (self);
      return;
    }

  for (guint i = position; i < position + added; i++)
    {
      self->counts[view_of (pc_booking_store_peek (self->store, i))]++;
    }
  self->counts[FILTER_ALL] = g_list_model_get_n_items (store);
  update_count_labels (self);
}

/**
 * pc_window_get_view_count:
 * @view: a view's name: `needs-action`, `upcoming`, `history` or `all`
 *
 * Returns: how many bookings the view holds, whatever the search, as shown beside it
 */
guint
pc_window_get_view_count (PcWindow   *self,
                          const char *view)
{
  g_return_val_if_fail (PC_IS_WINDOW (self), 0);

  for (guint i = 0; i < N_FILTERS; i++)
    if (g_strcmp0 (view, _pc_window_filter_names[i]) == 0)
      return self->counts[i];
  g_return_val_if_reached (0);
}

/* Newest session first, or soonest first for upcoming sessions (what comes next is what
 * matters there); then by booking number in the same direction, so the order is total.
 * Bookings without a session date go last either way. */
static int
compare_bookings (gconstpointer a,
                  gconstpointer b,
                  gpointer      user_data)
{
  PcWindow *self = user_data;
  gboolean ascending = self->filter == FILTER_UPCOMING;
  PcBooking *booking_a = (PcBooking *) (ascending ? b : a);
  PcBooking *booking_b = (PcBooking *) (ascending ? a : b);
  gint64 session_a = pc_booking_get_session_date_usec (booking_a);
  gint64 session_b = pc_booking_get_session_date_usec (booking_b);
  gint64 id_a, id_b;

  if (session_a != PC_BOOKING_NO_DATE && session_b != PC_BOOKING_NO_DATE)
    {
      if (session_a != session_b)
        return session_b < session_a ? GTK_ORDERING_SMALLER : GTK_ORDERING_LARGER;
    }
  else if (session_a != session_b)
    {
      /* Undo the swap: a missing date is last in both directions. */
      gboolean a_last = ascending ? session_b == PC_BOOKING_NO_DATE : session_a == PC_BOOKING_NO_DATE;

      return a_last ? GTK_ORDERING_LARGER : GTK_ORDERING_SMALLER;
    }

  id_a = pc_booking_get_booking_id (booking_a);
  id_b = pc_booking_get_booking_id (booking_b);
  if (id_a == id_b)
    return GTK_ORDERING_EQUAL;
  return id_a > id_b ? GTK_ORDERING_SMALLER : GTK_ORDERING_LARGER;
}

gboolean
_pc_window_refilter_cb (gpointer user_data)
{
  PcWindow *self = user_data;

  self->refilter_id = 0;
  gtk_filter_changed (GTK_FILTER (self->category_filter), GTK_FILTER_CHANGE_DIFFERENT);
  gtk_sorter_changed (GTK_SORTER (self->sorter), GTK_SORTER_CHANGE_DIFFERENT);

  return G_SOURCE_REMOVE;
}

/* Filter and sort models do not watch their items: re-run them, once, after a booking
 * changed in a way that moves it or lets it in or out. */
static void
queue_refilter (PcWindow *self)
{
  if (self->refilter_id == 0)
    self->refilter_id = g_idle_add_full (G_PRIORITY_DEFAULT, _pc_window_refilter_cb, self, NULL);
}

/* One handler for every booking in the store, however many: a handler per booking would
 * cost as much memory as a booking. */
static void
booking_changed_cb (PcWindow       *self,
                    PcBooking      *booking,
                    GParamSpec     *pspec,
                    PcBookingStore *store)
{
  static const char * const watched[] = {
    "status", "can-reinvite", "can-accept", "is-expired", "session-date", "booking-id",
    "nickname",
  };

  if (booking == self->selected_booking && g_str_has_prefix (pspec->name, "can-"))
    _pc_window_update_booking_actions (self);

  for (guint i = 0; i < G_N_ELEMENTS (watched); i++)
    if (g_str_equal (pspec->name, watched[i]))
      {
        queue_refilter (self);
        queue_recount (self);
        return;
      }
}

static void
try_show_pending (PcWindow *self)
{
  PcBooking *booking;

  if (self->pending_show_id != 0 &&
      pc_booking_store_lookup (self->store, self->pending_show_id) != NULL)
    pc_window_show_booking (self, self->pending_show_id);

  if (self->pending_reinvite_id != 0 &&
      (booking = pc_booking_store_lookup (self->store, self->pending_reinvite_id)) != NULL)
    {
      self->pending_reinvite_id = 0;
      _pc_window_open_reinvite_dialog (self, booking);
    }
}

static void
store_items_changed_cb (PcWindow   *self,
                        guint       position,
                        guint       removed,
                        guint       added,
                        GListModel *model)
{
  count_added (self, position, removed, added);
  try_show_pending (self);
  _pc_window_update_state (self);
}

static void
sort_model_items_changed_cb (PcWindow   *self,
                             guint       position,
                             guint       removed,
                             guint       added,
                             GListModel *model)
{
  update_list_state (self);
}

static void
set_selected_booking (PcWindow  *self,
                      PcBooking *booking)
{
  if (!g_set_object (&self->selected_booking, booking))
    return;

  /* win.reinvite follows can-reinvite of whatever is selected. */
  g_binding_group_set_source (self->selected_bindings, booking);
  if (booking == NULL)
    _pc_window_set_action_enabled (self, "reinvite", FALSE);
  _pc_window_update_booking_actions (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_BOOKING]);
}

void
_pc_window_show_content (PcWindow *self)
{
  adw_navigation_split_view_set_show_content (self->split_view, TRUE);
}

static void
selection_changed_cb (PcWindow           *self,
                      GParamSpec         *pspec,
                      GtkSingleSelection *selection)
{
  PcBooking *booking = gtk_single_selection_get_selected_item (selection);

  set_selected_booking (self, booking);
  if (booking != NULL && adw_navigation_split_view_get_collapsed (self->split_view))
    _pc_window_show_content (self);
}

/* While the window is mapped, pages wait in the loader and are merged here, once a
 * frame, before the frame's layout: the main loop never merges more than what arrived
 * since the last frame, and the rows appear frame by frame. A list that has no size yet
 * makes a row for each of its first 200 items at once, and a row takes about a
 * few milliseconds to build: until the list holds that many, a frame merges a few bookings
 * only, and the list has its size long before. */
#define FIRST_ROWS 200
#define FIRST_ROWS_PER_FRAME 4
static gboolean
merge_tick_cb (GtkWidget     *widget,
               GdkFrameClock *frame_clock,
               gpointer       user_data)
{
  PcWindow *self = PC_WINDOW (widget);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  gint64 start = g_get_monotonic_time ();
  guint merged;

  merged = pc_booking_loader_merge_pending (self->loader, n < FIRST_ROWS ? FIRST_ROWS_PER_FRAME : 0);
  if (merged > 0)
    g_debug ("Merged %u bookings in %.1f ms", merged, (g_get_monotonic_time () - start) / 1000.0);
  if (pc_booking_loader_get_loading (self->loader))
    return G_SOURCE_CONTINUE;

  self->merge_tick_id = 0;
  return G_SOURCE_REMOVE;
}

static void
update_merge_tick (PcWindow *self)
{
  if (self->merge_tick_id == 0 && gtk_widget_get_mapped (GTK_WIDGET (self)) &&
      pc_booking_loader_get_loading (self->loader))
    self->merge_tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), merge_tick_cb,
                                                        NULL, NULL);
}

static void
loader_changed_cb (PcWindow        *self,
                   GParamSpec      *pspec,
                   PcBookingLoader *loader)
{
  update_merge_tick (self);
  _pc_window_update_state (self);
}

static void
on_split_view_show_content_cb (PcWindow *self)
{
  /* Back on the list of a collapsed split view: nothing is selected, so that tapping
   * the same booking opens it again. */
  if (adw_navigation_split_view_get_collapsed (self->split_view) &&
      !adw_navigation_split_view_get_show_content (self->split_view))
    gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
}

static void
on_split_view_collapsed_cb (PcWindow *self)
{
  /* Collapsing while a booking is shown keeps it on screen. */
  if (adw_navigation_split_view_get_collapsed (self->split_view) && self->selected_booking != NULL)
    _pc_window_show_content (self);
}

static void
on_search_mode_cb (PcWindow *self)
{
  /* Escape in the search entry closes the bar, which would leave the window without
   * focus: the list takes it, as in other GNOME apps. */
  if (!gtk_search_bar_get_search_mode (self->search_bar) &&
      has_focus_within (self, GTK_WIDGET (self->search_bar)) &&
      gtk_widget_get_mapped (GTK_WIDGET (self->list_view)))
    gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
}

static void
on_filter_group_active_cb (PcWindow       *self,
                           GParamSpec     *pspec,
                           AdwToggleGroup *group)
{
  const char *name = adw_toggle_group_get_active_name (group);
  g_autoptr(GVariant) state = NULL;

  if (name == NULL)
    return;

  /* Not floating: g_action_group_change_action_state() consumes a floating state only
   * when it reaches the action, and the template sets the toggles before the actions
   * are installed. */
  state = g_variant_ref_sink (g_variant_new_string (name));
  g_action_group_change_action_state (G_ACTION_GROUP (self), "filter", state);
}

static void
on_list_view_activate_cb (PcWindow *self,
                          guint     position)
{
  if (self->selection_mode)
    {
      /* Enter on a row adds it to the selection or removes it. */
      GtkSelectionModel *model = GTK_SELECTION_MODEL (self->multi_selection);

      if (gtk_selection_model_is_selected (model, position))
        gtk_selection_model_unselect_item (model, position);
      else
        gtk_selection_model_select_item (model, position, FALSE);
      return;
    }

  gtk_single_selection_set_selected (self->selection, position);
  if (adw_navigation_split_view_get_collapsed (self->split_view))
    _pc_window_show_content (self);
}

static void
start_initial_load (PcWindow *self)
{
  if (!pc_booking_loader_get_loaded (self->loader) &&
      !pc_booking_loader_get_loading (self->loader) &&
      pc_booking_loader_get_api (self->loader) != NULL)
    pc_booking_loader_refresh (self->loader);
}

static void
disconnect_after_paint (PcWindow *self)
{
  if (self->frame_clock != NULL)
    g_clear_signal_handler (&self->after_paint_id, self->frame_clock);
  g_clear_object (&self->frame_clock);
}

static void
after_paint_cb (PcWindow      *self,
                GdkFrameClock *frame_clock)
{
  if (!self->first_frame_done)
    {
      self->first_frame_done = TRUE;
      pc_debug_startup_mark ("first frame");
      pc_bench_first_frame (self);
      g_signal_emit (self, signals[SIGNAL_FIRST_FRAME], 0);

      /* The first frame never waits for the network: load only now. */
      start_initial_load (self);
    }

  if (!pc_debug_startup_enabled ())
    {
      disconnect_after_paint (self);
      return;
    }

  /* Startup measurement: the first frame that shows the outcome of the first load. */
  if (!pc_booking_loader_get_loading (self->loader) &&
      (pc_booking_loader_get_loaded (self->loader) ||
       pc_booking_loader_get_error (self->loader) != NULL ||
       pc_booking_loader_get_api (self->loader) == NULL))
    {
      g_autofree char *event =
        g_strdup_printf ("first loaded frame (%u bookings)",
                         g_list_model_get_n_items (G_LIST_MODEL (self->store)));

      pc_debug_startup_mark (event);
      disconnect_after_paint (self);
    }
}

/* GObject */

static void
pc_window_map (GtkWidget *widget)
{
  PcWindow *self = PC_WINDOW (widget);

  GTK_WIDGET_CLASS (pc_window_parent_class)->map (widget);

  pc_booking_loader_set_paced (self->loader, TRUE);
  update_merge_tick (self);

  if (self->after_paint_id == 0 && (!self->first_frame_done || pc_debug_startup_enabled ()))
    {
      self->frame_clock = g_object_ref (gtk_widget_get_frame_clock (widget));
      self->after_paint_id = g_signal_connect_object (self->frame_clock, "after-paint",
                                                      G_CALLBACK (after_paint_cb), self,
                                                      G_CONNECT_SWAPPED);
    }
}

static void
pc_window_unmap (GtkWidget *widget)
{
  PcWindow *self = PC_WINDOW (widget);

  disconnect_after_paint (self);

  /* No frames come while unmapped: pages are merged as they arrive again. */
  if (self->merge_tick_id != 0)
    gtk_widget_remove_tick_callback (widget, self->merge_tick_id);
  self->merge_tick_id = 0;
  pc_booking_loader_set_paced (self->loader, FALSE);

  GTK_WIDGET_CLASS (pc_window_parent_class)->unmap (widget);
}

static void
pc_window_constructed (GObject *object)
{
  PcWindow *self = (PcWindow *) object;
  GtkExpression *nickname;
  GtkEveryFilter *every;
  PcClock *clock;

  G_OBJECT_CLASS (pc_window_parent_class)->constructed (object);

  g_assert (PC_IS_BOOKING_LOADER (self->loader));
  self->store = g_object_ref (pc_booking_loader_get_store (self->loader));
  clock = pc_booking_store_get_clock (self->store);
  pc_booking_page_set_clock (self->booking_page, clock);

  /* store → filter (category and nickname) → sort (newest first) → selection */
  self->category_filter = gtk_custom_filter_new (category_filter_func, self, NULL);
  nickname = gtk_property_expression_new (PC_TYPE_CLIENT,
                                          gtk_property_expression_new (PC_TYPE_BOOKING, NULL, "client"),
                                          "nickname");
  self->search_filter = gtk_string_filter_new (nickname);
  gtk_string_filter_set_ignore_case (self->search_filter, TRUE);
  gtk_string_filter_set_match_mode (self->search_filter, GTK_STRING_FILTER_MATCH_MODE_SUBSTRING);
  every = gtk_every_filter_new ();
  gtk_multi_filter_append (GTK_MULTI_FILTER (every), g_object_ref (GTK_FILTER (self->category_filter)));
  gtk_multi_filter_append (GTK_MULTI_FILTER (every), g_object_ref (GTK_FILTER (self->search_filter)));
  self->filter_model = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->store)),
                                                  GTK_FILTER (every));
  self->sorter = gtk_custom_sorter_new (compare_bookings, self, NULL);
  self->sort_model = gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (self->filter_model)),
                                              g_object_ref (GTK_SORTER (self->sorter)));
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->sort_model)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
  self->multi_selection = gtk_multi_selection_new (g_object_ref (G_LIST_MODEL (self->sort_model)));
  g_signal_connect_object (self->multi_selection, "selection-changed",
                           G_CALLBACK (_pc_window_multi_selection_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->multi_selection, "items-changed",
                           G_CALLBACK (_pc_window_multi_selection_changed_cb), self, G_CONNECT_SWAPPED);

  g_object_bind_property (self->search_entry, "text", self->search_filter, "search",
                          G_BINDING_SYNC_CREATE);
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  gtk_search_bar_set_key_capture_widget (self->search_bar, GTK_WIDGET (self));

  g_signal_connect_object (self->selection, "notify::selected-item",
                           G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sort_model, "items-changed",
                           G_CALLBACK (sort_model_items_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "items-changed",
                           G_CALLBACK (store_items_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->loader, "notify",
                           G_CALLBACK (loader_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "booking-changed",
                           G_CALLBACK (booking_changed_cb), self, G_CONNECT_SWAPPED);

  /* Bound, not saved on close: app.quit (Ctrl+Q) and the session ending never run the
   * close handler, and the size must survive them too. GTK keeps the default size of
   * a maximized window as the size to restore, so it is the right value to keep. */
  if (self->settings != NULL)
    {
      g_settings_bind (self->settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (self->settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (self->settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);
    }

  update_list_state (self);
  recount_cb (self);
  _pc_window_update_state (self);
  pc_bench_watch (self);
}

static void
pc_window_dispose (GObject *object)
{
  PcWindow *self = (PcWindow *) object;

  g_clear_handle_id (&self->refilter_id, g_source_remove);
  g_clear_handle_id (&self->counts_id, g_source_remove);
  g_cancellable_cancel (self->runner_cancellable);
  disconnect_after_paint (self);
  if (self->category_filter != NULL)
    gtk_custom_filter_set_filter_func (self->category_filter, NULL, NULL, NULL);
  if (self->selected_bindings != NULL)
    g_binding_group_set_source (self->selected_bindings, NULL);

  gtk_widget_dispose_template (GTK_WIDGET (self), PC_TYPE_WINDOW);

  if (self->reinviter != NULL)
    g_signal_handlers_disconnect_by_data (self->reinviter, self);
  if (self->reinvite_dialog != NULL)
    g_signal_handlers_disconnect_by_data (self->reinvite_dialog, self);
  if (self->batch_dialog != NULL)
    g_signal_handlers_disconnect_by_data (self->batch_dialog, self);
  self->reinvite_dialog = NULL;
  self->batch_dialog = NULL;

  g_clear_object (&self->selection);
  g_clear_object (&self->multi_selection);
  g_clear_object (&self->list_factory);
  if (self->action_dialog != NULL)
    g_signal_handlers_disconnect_by_data (self->action_dialog, self);
  self->action_dialog = NULL;
  if (self->runner != NULL)
    g_signal_handlers_disconnect_by_data (self->runner, self);
  g_clear_object (&self->runner);
  g_clear_object (&self->runner_cancellable);
  g_clear_object (&self->reinviter);
  g_clear_object (&self->drafts);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  g_clear_object (&self->sort_model);
  g_clear_object (&self->filter_model);
  g_clear_object (&self->sorter);
  g_clear_object (&self->search_filter);
  g_clear_object (&self->category_filter);
  g_clear_object (&self->selected_bindings);
  g_clear_object (&self->selected_booking);
  g_clear_object (&self->store);
  g_clear_object (&self->loader);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (pc_window_parent_class)->dispose (object);
}

static void
pc_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  PcWindow *self = PC_WINDOW (object);

  switch (prop_id)
    {
    case PROP_LOADER:
      g_value_set_object (value, self->loader);
      break;
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    case PROP_SELECTED_BOOKING:
      g_value_set_object (value, self->selected_booking);
      break;
    case PROP_REINVITER:
      g_value_set_object (value, self->reinviter);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pc_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  PcWindow *self = PC_WINDOW (object);

  switch (prop_id)
    {
    case PROP_LOADER:
      self->loader = g_value_dup_object (value);
      break;
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    case PROP_REINVITER:
      pc_window_set_reinviter (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pc_window_class_init (PcWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = pc_window_constructed;
  object_class->dispose = pc_window_dispose;
  object_class->get_property = pc_window_get_property;
  object_class->set_property = pc_window_set_property;

  widget_class->map = pc_window_map;
  widget_class->unmap = pc_window_unmap;


  properties[PROP_LOADER] =
    g_param_spec_object ("loader", NULL, NULL, PC_TYPE_BOOKING_LOADER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SELECTED_BOOKING] =
    g_param_spec_object ("selected-booking", NULL, NULL, PC_TYPE_BOOKING,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * PcWindow:reinviter:
   *
   * What the re-invite dialogs send through; %NULL while signed out.
   */
  properties[PROP_REINVITER] =
    g_param_spec_object ("reinviter", NULL, NULL, PC_TYPE_REINVITER,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PcWindow::first-frame:
   *
   * Emitted once, when the window's first frame has been drawn: what is not needed to
   * draw it waits for this.
   */
  signals[SIGNAL_FIRST_FRAME] =
    g_signal_new ("first-frame",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  g_type_ensure (PC_TYPE_BOOKING);
  g_type_ensure (PC_TYPE_BOOKING_PAGE);
  g_type_ensure (PC_TYPE_BOOKING_ROW);
  g_type_ensure (PC_TYPE_REINVITER);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/PhoneChat/pc-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PcWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PcWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, PcWindow, status_stack);
  gtk_widget_class_bind_template_child (widget_class, PcWindow, offline_page);
  gtk_widget_class_bind_template_child (widget_class, PcWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, PcWindow, split_view);
  gtk_widget_class_bind_template_child (widget_class, PcWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, PcWindow, content);
  gtk_widget_class_bind_template_child (widget_class, PcWindow, sidebar_title);
  gtk_widget_class_bind_template_child (widget_class, PcWindow, refresh_button);
  gtk_widget_class_bind_template_child (widget_class, PcWindow, refresh_spinner);
  gtk_widget_class_bind_template_child (widget_class, PcWindow, search_button);
  gtk_widget_class_bind_template_child (widget_class, PcWindow, narrow_breakpoint);
  gtk_widget_class_bind_template_child (widget_class, PcWindow, selection_button);
  gtk_widget_class_bind_template_child (widget_class, PcWindow, menu_button);
  gtk_widget_class_bind_template_child (widget_class, PcWindow, cancel_selection_button);
  gtk_widget_class_bind_template_child (widget_class, PcWindow, search_bar);
  gtk_widget_class_bind_template_child (widget_class, PcWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, PcWindow, filter_group);
  gtk_widget_class_bind_template_child (widget_class, PcWindow, refresh_banner);
  gtk_widget_class_bind_template_child (widget_class, PcWindow, list_stack);
  gtk_widget_class_bind_template_child (widget_class, PcWindow, list_view);
  gtk_widget_class_bind_template_child (widget_class, PcWindow, booking_page);
  gtk_widget_class_bind_template_child (widget_class, PcWindow, selection_factory);
  gtk_widget_class_bind_template_child (widget_class, PcWindow, selection_bar);
  gtk_widget_class_bind_template_child (widget_class, PcWindow, batch_button);
  gtk_widget_class_bind_template_child (widget_class, PcWindow, batch_label);
  gtk_widget_class_bind_template_child_full (widget_class, "needs_action_count", FALSE,
                                             G_STRUCT_OFFSET (PcWindow, count_labels[FILTER_NEEDS_ACTION]));
  gtk_widget_class_bind_template_child_full (widget_class, "upcoming_count", FALSE,
                                             G_STRUCT_OFFSET (PcWindow, count_labels[FILTER_UPCOMING]));
  gtk_widget_class_bind_template_child_full (widget_class, "history_count", FALSE,
                                             G_STRUCT_OFFSET (PcWindow, count_labels[FILTER_HISTORY]));
  gtk_widget_class_bind_template_child_full (widget_class, "all_count", FALSE,
                                             G_STRUCT_OFFSET (PcWindow, count_labels[FILTER_ALL]));
  /* Reachable with gtk_widget_get_template_child(), for tests. */
  gtk_widget_class_bind_template_child (widget_class, PcWindow, signed_out_page);
  gtk_widget_class_bind_template_child_full (widget_class, "empty_page", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "loading_page", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "no_results_page", FALSE, 0);
  gtk_widget_class_bind_template_callback (widget_class, on_split_view_show_content_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_split_view_collapsed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_group_active_cb);
  gtk_widget_class_bind_template_callback (widget_class, narrow_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_mode_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_list_view_activate_cb);
}

static void
pc_window_init (PcWindow *self)
{
  self->filter = FILTER_ALL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->runner_cancellable = g_cancellable_new ();
  _pc_window_install_actions (self);
  _pc_window_install_booking_actions (self);
  self->list_factory = g_object_ref (gtk_list_view_get_factory (self->list_view));
  _pc_window_set_action_enabled (self, "cancel-selection", FALSE);
  _pc_window_set_action_enabled (self, "select-reinvitable", FALSE);
  _pc_window_set_action_enabled (self, "reinvite-selected", FALSE);

  self->selected_bindings = g_binding_group_new ();
  g_binding_group_bind (self->selected_bindings, "can-reinvite",
                        _pc_window_lookup_action (self, "reinvite"), "enabled",
                        G_BINDING_SYNC_CREATE);
  _pc_window_set_action_enabled (self, "reinvite", FALSE);

  if (g_str_has_suffix (APP_ID, ".Devel"))
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}

/**
 * pc_window_new:
 * @application: (nullable): the application
 * @loader: fills the store the window lists
 * @settings: (nullable): where the window's size is kept
 */
PcWindow *
pc_window_new (GtkApplication  *application,
               PcBookingLoader *loader,
               GSettings       *settings)
{
  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (PC_IS_BOOKING_LOADER (loader), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  return g_object_new (PC_TYPE_WINDOW,
                       "application", application,
                       "loader", loader,
                       "settings", settings,
                       NULL);
}

/**
 * pc_window_get_loader:
 *
 * Returns: (transfer none): the loader behind the list
 */
PcBookingLoader *
pc_window_get_loader (PcWindow *self)
{
  g_return_val_if_fail (PC_IS_WINDOW (self), NULL);

  return self->loader;
}

/**
 * pc_window_get_selected_booking:
 *
 * Returns: (transfer none) (nullable): the booking whose details are shown; what
 *   `win.reinvite` acts on
 */
PcBooking *
pc_window_get_selected_booking (PcWindow *self)
{
  g_return_val_if_fail (PC_IS_WINDOW (self), NULL);

  return self->selected_booking;
}

/**
 * pc_window_show_booking:
 * @booking_id: a BookingID
 *
 * Selects the booking and shows its details, showing all bookings if the current filter
 * or search hides it. If the booking has not been loaded yet, it is shown when it
 * arrives.
 */
void
pc_window_show_booking (PcWindow *self,
                        gint64    booking_id)
{
  PcBooking *booking;
  guint position = GTK_INVALID_LIST_POSITION;
  guint n;

  g_return_if_fail (PC_IS_WINDOW (self));

  /* The details follow the single selection, which selection mode hides. */
  _pc_window_set_selection_mode (self, FALSE);

  booking = pc_booking_store_lookup (self->store, booking_id);
  if (booking == NULL)
    {
      self->pending_show_id = booking_id;
      return;
    }
  self->pending_show_id = 0;

  for (guint pass = 0; pass < 2 && position == GTK_INVALID_LIST_POSITION; pass++)
    {
      if (pass == 1)
        {
          /* Hidden by the filter or the search: show everything. */
          g_action_group_activate_action (G_ACTION_GROUP (self), "show-all", NULL);
          g_clear_handle_id (&self->refilter_id, g_source_remove);
          _pc_window_refilter_cb (self);
        }

      n = g_list_model_get_n_items (G_LIST_MODEL (self->sort_model));
      for (guint i = 0; i < n && position == GTK_INVALID_LIST_POSITION; i++)
        {
          g_autoptr(PcBooking) item = g_list_model_get_item (G_LIST_MODEL (self->sort_model), i);

          if (item == booking)
            position = i;
        }
    }

  if (position == GTK_INVALID_LIST_POSITION)
    return;

  gtk_single_selection_set_selected (self->selection, position);
  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", position);
  if (adw_navigation_split_view_get_collapsed (self->split_view))
    _pc_window_show_content (self);
}

/**
 * pc_window_add_toast:
 * @toast: (transfer full): a toast; titles with server or client text have
 *   #AdwToast:use-markup off
 */
void
pc_window_add_toast (PcWindow *self,
                     AdwToast *toast)
{
  g_return_if_fail (PC_IS_WINDOW (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/**
 * pc_window_get_reinviter:
 *
 * Returns: (transfer none) (nullable): what the re-invite dialogs send through
 */
PcReinviter *
pc_window_get_reinviter (PcWindow *self)
{
  g_return_val_if_fail (PC_IS_WINDOW (self), NULL);

  return self->reinviter;
}

/**
 * pc_window_set_reinviter:
 * @reinviter: (nullable): the application's reinviter; %NULL while signed out
 */
void
pc_window_set_reinviter (PcWindow    *self,
                         PcReinviter *reinviter)
{
  g_return_if_fail (PC_IS_WINDOW (self));
  g_return_if_fail (reinviter == NULL || PC_IS_REINVITER (reinviter));

  if (self->reinviter == reinviter)
    return;

  if (self->reinviter != NULL)
    g_signal_handlers_disconnect_by_data (self->reinviter, self);
  g_set_object (&self->reinviter, reinviter);
  if (reinviter != NULL)
    g_signal_connect_object (reinviter, "notify::batch-running",
                             G_CALLBACK (_pc_window_reinviter_batch_running_cb), self, G_CONNECT_SWAPPED);

  /* Accepts, rejects, cancels and deletes go to the same server and store. */
  if (self->runner != NULL)
    g_signal_handlers_disconnect_by_data (self->runner, self);
  g_clear_object (&self->runner);
  if (reinviter != NULL)
    {
      self->runner = pc_action_runner_new (pc_reinviter_get_api (reinviter),
                                           pc_reinviter_get_store (reinviter));
      g_signal_connect_object (self->runner, "notify::busy",
                               G_CALLBACK (_pc_window_update_booking_actions), self,
                               G_CONNECT_SWAPPED);
    }
  _pc_window_update_booking_actions (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REINVITER]);
}

/**
 * pc_window_set_drafts:
 * @drafts: (nullable): where the re-invite dialog keeps the reason being typed
 */
void
pc_window_set_drafts (PcWindow       *self,
                      PcReasonDrafts *drafts)
{
  g_return_if_fail (PC_IS_WINDOW (self));
  g_return_if_fail (drafts == NULL || PC_IS_REASON_DRAFTS (drafts));

  g_set_object (&self->drafts, drafts);
}

static void
session_state_cb (PcWindow *self)
{
  _pc_window_update_state (self);
}

/**
 * pc_window_set_session:
 * @session: (nullable): the signed-in account, whose states the window shows (looking
 *   for it, signed out, sign in again)
 */
void
pc_window_set_session (PcWindow  *self,
                       PcSession *session)
{
  g_return_if_fail (PC_IS_WINDOW (self));
  g_return_if_fail (session == NULL || PC_IS_SESSION (session));

  if (self->session == session)
    return;

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);
  if (session != NULL)
    g_signal_connect_object (session, "notify::state", G_CALLBACK (session_state_cb), self,
                             G_CONNECT_SWAPPED);
  _pc_window_update_state (self);
}

/**
 * pc_window_reinvite_booking:
 * @booking_id: a BookingID
 *
 * Shows the booking and opens the re-invite dialog for it, once it has loaded if it has
 * not yet (e.g. in an application just started by a notification).
 */
void
pc_window_reinvite_booking (PcWindow *self,
                            gint64    booking_id)
{
  PcBooking *booking;

  g_return_if_fail (PC_IS_WINDOW (self));

  pc_window_show_booking (self, booking_id);

  booking = pc_booking_store_lookup (self->store, booking_id);
  if (booking == NULL)
    {
      self->pending_reinvite_id = booking_id;
      return;
    }

  self->pending_reinvite_id = 0;
  _pc_window_open_reinvite_dialog (self, booking);
}

/**
 * pc_window_get_reinvite_dialog:
 *
 * Returns: (transfer none) (nullable): the re-invite dialog, while it is open
 */
PcReinviteDialog *
pc_window_get_reinvite_dialog (PcWindow *self)
{
  g_return_val_if_fail (PC_IS_WINDOW (self), NULL);

  return self->reinvite_dialog;
}

/**
 * pc_window_get_batch_dialog:
 *
 * Returns: (transfer none) (nullable): the batch re-invite dialog, while it is open
 */
PcBatchReinviteDialog *
pc_window_get_batch_dialog (PcWindow *self)
{
  g_return_val_if_fail (PC_IS_WINDOW (self), NULL);

  return self->batch_dialog;
}

/**
 * pc_window_get_selection_mode:
 *
 * Returns: whether the list selects several bookings (`win.selection-mode`)
 */
gboolean
pc_window_get_selection_mode (PcWindow *self)
{
  g_return_val_if_fail (PC_IS_WINDOW (self), FALSE);

  return self->selection_mode;
}

/**
 * pc_window_refresh_times:
 *
 * Writes every time shown again, after the desktop's clock format changed: the rows,
 * the details and the title.
 */
void
pc_window_refresh_times (PcWindow *self)
{
  GtkListItemFactory *factory;
  g_autoptr(PcBooking) booking = NULL;

  g_return_if_fail (PC_IS_WINDOW (self));

  /* Rows and details format their times when bound: bind them again. */
  factory = g_object_ref (gtk_list_view_get_factory (self->list_view));
  gtk_list_view_set_factory (self->list_view, NULL);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);

  booking = self->selected_booking != NULL ? g_object_ref (self->selected_booking) : NULL;
  pc_booking_page_set_booking (self->booking_page, NULL);
  pc_booking_page_set_booking (self->booking_page, booking);

  _pc_window_update_state (self);
}
