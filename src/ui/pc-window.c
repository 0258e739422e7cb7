/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pc-window"

#include "config.h"

#include <glib/gi18n.h>

#include "pc-api.h"
#include "pc-batch-reinvite-dialog.h"
#include "pc-booking.h"
#include "pc-booking-loader.h"
#include "pc-booking-page.h"
#include "pc-booking-row.h"
#include "pc-booking-store.h"
#include "pc-client.h"
#include "pc-debug.h"
#include "pc-format.h"
#include "pc-reinvite-dialog.h"
#include "pc-reinviter.h"
#include "pc-window.h"

/**
 * PcWindow:
 *
 * The main window: received bookings on the left, one booking's details on the right,
 * in an #AdwLeaflet that folds to one pane (with a back button) on narrow screens.
 *
 * The list is the application's #PcBookingStore, filtered (category, nickname search),
 * sorted newest session first. The window starts the first load once its first frame
 * is drawn, never before, and shows loading, empty, offline, error and signed-out states
 * as status pages while there is nothing to list. A failed refresh never clears the
 * list: a banner says what went wrong instead.
 *
 * `win.reinvite` opens a #PcReinviteDialog for the selected booking. `win.selection-mode`
 * (the Select button; Escape leaves it) turns the list into a multiple selection with a
 * check button per row, and `win.reinvite-selected` opens a #PcBatchReinviteDialog for
 * the selected bookings. Both dialogs send through the window's #PcReinviter.
 */

typedef enum
{
  FILTER_REINVITABLE,
  FILTER_PENDING,
  FILTER_UPCOMING,
  FILTER_ALL,
  N_FILTERS
} FilterKind;

/* The order of the filter drop-down's items. */
static const char * const filter_names[N_FILTERS] = {
  "reinvitable", "pending", "upcoming", "all",
};

struct _PcWindow
{
  AdwApplicationWindow  parent_instance;

  PcBookingLoader      *loader;
  PcBookingStore       *store;
  GSettings            *settings;
  GCancellable         *cancellable;
  PcReinviter          *reinviter;
  PcReinviteDialog     *reinvite_dialog;    /* unowned; cleared on its destroy */
  PcBatchReinviteDialog *batch_dialog;      /* unowned; cleared on its destroy */

  PcBooking            *selected_booking;
  GBindingGroup        *selected_bindings;

  GtkCustomFilter      *category_filter;
  GtkStringFilter      *search_filter;
  GtkCustomSorter      *sorter;
  GtkFilterListModel   *filter_model;
  GtkSortListModel     *sort_model;
  GtkSingleSelection   *selection;
  GtkMultiSelection    *multi_selection;    /* selection mode */
  GtkListItemFactory   *list_factory;
  FilterKind            filter;
  gboolean              selection_mode;

  gint64                pending_show_id;
  gint64                pending_reinvite_id;
  guint                 refilter_id;
  gulong                after_paint_id;
  GdkFrameClock        *frame_clock;
  guint                 first_frame_done : 1;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  GtkStack             *status_stack;
  AdwStatusPage        *offline_page;
  AdwStatusPage        *error_page;
  AdwLeaflet           *leaflet;
  GtkWidget            *sidebar;
  GtkWidget            *content;
  AdwWindowTitle       *sidebar_title;
  GtkSpinner           *refresh_spinner;
  GtkSearchBar         *search_bar;
  GtkSearchEntry       *search_entry;
  GtkDropDown          *filter_dropdown;
  GtkInfoBar           *refresh_infobar;
  GtkLabel             *infobar_label;
  GtkStack             *list_stack;
  GtkListView          *list_view;
  GtkWidget            *back_button;
  PcBookingPage        *booking_page;
  GtkListItemFactory   *selection_factory;
  GtkActionBar         *selection_bar;
  GtkWidget            *batch_button;
  GtkLabel             *batch_label;
};

G_DEFINE_FINAL_TYPE (PcWindow, pc_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_LOADER,
  PROP_SETTINGS,
  PROP_SELECTED_BOOKING,
  PROP_REINVITER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GAction *
lookup_action (PcWindow   *self,
               const char *name)
{
  return g_action_map_lookup_action (G_ACTION_MAP (self), name);
}

static void
set_action_enabled (PcWindow   *self,
                    const char *name,
                    gboolean    enabled)
{
  g_simple_action_set_enabled (G_SIMPLE_ACTION (lookup_action (self, name)), enabled);
}

/* Error presentation. The API's own messages go to the debug log (the loader logs them);
 * people get these. */
static void
describe_error (const GError  *error,
                gboolean      *offline,
                const char   **title,
                const char   **description)
{
  *offline = FALSE;
  *title = _("Could Not Load Bookings");

  if (error->domain != PC_API_ERROR)
    {
      *description = _("Something went wrong while loading the bookings. Try again.");
      return;
    }

  switch ((PcApiError) error->code)
    {
    case PC_API_ERROR_CANNOT_CONNECT:
      *offline = TRUE;
      *title = _("Cannot Connect");
      *description = _("PhoneChat cannot reach the server. Check your internet connection, then try again.");
      break;
    case PC_API_ERROR_TIMED_OUT:
      *offline = TRUE;
      *title = _("No Answer");
      *description = _("The server did not answer in time. Try again in a moment.");
      break;
    case PC_API_ERROR_TLS:
      *offline = TRUE;
      *title = _("Insecure Connection");
      *description = _("The server’s identity could not be verified, so PhoneChat did not connect.");
      break;
    case PC_API_ERROR_UNAUTHORIZED:
      *title = _("Sign In Again");
      *description = _("The access token was refused or has expired. Set a new token in PHONECHAT_TOKEN and start PhoneChat again.");
      break;
    case PC_API_ERROR_FORBIDDEN:
      *title = _("Permission Missing");
      *description = _("The access token does not allow reading PhoneChat bookings. Create a token with the PhoneChat bookings permission.");
      break;
    case PC_API_ERROR_RATE_LIMITED:
      *description = _("The server received too many requests. Wait a minute, then try again.");
      break;
    case PC_API_ERROR_SERVER:
      *description = _("The server had a problem. Try again later.");
      break;
    case PC_API_ERROR_NOT_JSON:
    case PC_API_ERROR_MALFORMED:
    case PC_API_ERROR_TOO_LARGE:
      *description = _("The server sent an answer PhoneChat does not understand. Try again later.");
      break;
    case PC_API_ERROR_INSECURE:
      *description = _("PhoneChat refused to send the access token over an unencrypted connection. Use an https:// address.");
      break;
    case PC_API_ERROR_NO_TOKEN:
      *title = _("Sign In Required");
      *description = _("There is no access token.");
      break;
    case PC_API_ERROR_NOT_FOUND:
    case PC_API_ERROR_REJECTED:
    case PC_API_ERROR_HTTP:
    case PC_API_ERROR_OUTCOME_UNKNOWN:
    default:
      *description = _("The server refused the request. Try again later.");
      break;
    }
}

static gboolean
is_signed_out (PcWindow *self)
{
  return pc_booking_loader_get_api (self->loader) == NULL ||
         g_error_matches (pc_booking_loader_get_error (self->loader),
                          PC_API_ERROR, PC_API_ERROR_NO_TOKEN);
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

static void set_selection_mode (PcWindow *self,
                                gboolean  selection_mode);

static void
update_state (PcWindow *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  const GError *error = pc_booking_loader_get_error (self->loader);
  gboolean loading = pc_booking_loader_get_loading (self->loader);
  gboolean loaded = pc_booking_loader_get_loaded (self->loader);
  GDateTime *last_updated = pc_booking_loader_get_last_updated (self->loader);
  g_autofree char *subtitle = NULL;
  gboolean offline;
  const char *title;
  const char *description;

  if (n > 0)
    {
      gtk_stack_set_visible_child_name (self->main_stack, "bookings");

      /* Rows stay; the banner says the refresh failed. */
      if (error != NULL && !loading)
        {
          g_autofree char *text = NULL;

          describe_error (error, &offline, &title, &description);
          /* Translators: %s explains why, e.g. "The server had a problem. Try again later." */
          text = g_strdup_printf (_("Could not refresh the bookings. %s"), description);
          gtk_label_set_text (self->infobar_label, text);
          gtk_widget_set_tooltip_text (GTK_WIDGET (self->infobar_label), error->message);
          gtk_info_bar_set_revealed (self->refresh_infobar, TRUE);
        }
      else
        gtk_info_bar_set_revealed (self->refresh_infobar, FALSE);
    }
  else
    {
      gtk_stack_set_visible_child_name (self->main_stack, "status");
      gtk_info_bar_set_revealed (self->refresh_infobar, FALSE);

      if (is_signed_out (self))
        gtk_stack_set_visible_child_name (self->status_stack, "signed-out");
      else if (loading || (!loaded && error == NULL))
        gtk_stack_set_visible_child_name (self->status_stack, "loading");
      else if (error != NULL)
        {
          g_autofree char *escaped = NULL;
          AdwStatusPage *page;

          g_autofree char *escaped_details = NULL;
          g_autofree char *markup = NULL;

          describe_error (error, &offline, &title, &description);
          page = offline ? self->offline_page : self->error_page;
          /* Status page descriptions are Pango markup. The API's own message, a sentence
           * for people, follows as the details. */
          escaped = g_markup_escape_text (description, -1);
          escaped_details = g_markup_escape_text (error->message, -1);
          markup = g_strdup_printf ("%s\n\n<small>%s</small>", escaped, escaped_details);
          adw_status_page_set_title (page, title);
          adw_status_page_set_description (page, markup);
          gtk_stack_set_visible_child_name (self->status_stack, offline ? "offline" : "error");
        }
      else
        gtk_stack_set_visible_child_name (self->status_stack, "empty");
    }

  gtk_spinner_set_spinning (self->refresh_spinner, loading && n > 0);
  set_action_enabled (self, "refresh", !loading && pc_booking_loader_get_api (self->loader) != NULL);

  /* Search and selection need a list. The status pages share the main menu, whose
   * "Search" and "Select Bookings" would otherwise do nothing there. */
  set_action_enabled (self, "search", n > 0);
  set_action_enabled (self, "selection-mode", n > 0);
  if (n == 0)
    set_selection_mode (self, FALSE);

  if (loading)
    subtitle = g_strdup (_("Updating…"));
  else if (last_updated != NULL)
    {
      g_autofree char *time = pc_format_time (last_updated);

      /* Translators: %s is a time of day, e.g. "14:32" */
      subtitle = g_strdup_printf (_("Updated %s"), time);
    }
  adw_window_title_set_subtitle (self->sidebar_title, subtitle);
}

static gboolean
category_filter_func (gpointer item,
                      gpointer user_data)
{
  PcWindow *self = user_data;
  PcBooking *booking = item;

  switch (self->filter)
    {
    case FILTER_REINVITABLE:
      return pc_booking_get_can_reinvite (booking);
    case FILTER_PENDING:
      return pc_booking_get_status (booking) == PC_BOOKING_STATUS_PENDING;
    case FILTER_UPCOMING:
      return !pc_booking_get_is_expired (booking);
    case FILTER_ALL:
    case N_FILTERS:
    default:
      return TRUE;
    }
}

/* Newest session first; then the higher booking number first, so the order is total. */
static int
compare_bookings (gconstpointer a,
                  gconstpointer b,
                  gpointer      user_data)
{
  PcBooking *booking_a = (PcBooking *) a;
  PcBooking *booking_b = (PcBooking *) b;
  GDateTime *session_a = pc_booking_get_session_date (booking_a);
  GDateTime *session_b = pc_booking_get_session_date (booking_b);
  gint64 id_a, id_b;

  if (session_a != NULL && session_b != NULL)
    {
      int cmp = g_date_time_compare (session_b, session_a);

      if (cmp != 0)
        return cmp < 0 ? GTK_ORDERING_SMALLER : GTK_ORDERING_LARGER;
    }
  else if (session_a != session_b)
    return session_a != NULL ? GTK_ORDERING_SMALLER : GTK_ORDERING_LARGER;

  id_a = pc_booking_get_booking_id (booking_a);
  id_b = pc_booking_get_booking_id (booking_b);
  if (id_a == id_b)
    return GTK_ORDERING_EQUAL;
  return id_a > id_b ? GTK_ORDERING_SMALLER : GTK_ORDERING_LARGER;
}

static gboolean
refilter_cb (gpointer user_data)
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
    self->refilter_id = g_idle_add_full (G_PRIORITY_DEFAULT, refilter_cb, self, NULL);
}

static void
booking_notify_cb (PcWindow   *self,
                   GParamSpec *pspec,
                   GObject    *object)
{
  static const char * const watched[] = {
    "status", "can-reinvite", "is-expired", "session-date", "booking-id", "nickname",
  };

  for (guint i = 0; i < G_N_ELEMENTS (watched); i++)
    if (g_str_equal (pspec->name, watched[i]))
      {
        queue_refilter (self);
        return;
      }
}

static void
watch_booking (PcWindow  *self,
               PcBooking *booking)
{
  /* Handlers go away with the window; a booking that left the store only causes a
   * harmless refilter. */
  g_signal_connect_object (booking, "notify", G_CALLBACK (booking_notify_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (pc_booking_get_client (booking), "notify::nickname",
                           G_CALLBACK (booking_notify_cb), self, G_CONNECT_SWAPPED);
}

static void open_reinvite_dialog (PcWindow  *self,
                                  PcBooking *booking);

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
      open_reinvite_dialog (self, booking);
    }
}

static void
store_items_changed_cb (PcWindow   *self,
                        guint       position,
                        guint       removed,
                        guint       added,
                        GListModel *model)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(PcBooking) booking = g_list_model_get_item (model, i);

      watch_booking (self, booking);
    }

  try_show_pending (self);
  update_state (self);
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
    set_action_enabled (self, "reinvite", FALSE);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_BOOKING]);
}

static void
show_content (PcWindow *self)
{
  adw_leaflet_set_visible_child (self->leaflet, self->content);
}

static void
selection_changed_cb (PcWindow           *self,
                      GParamSpec         *pspec,
                      GtkSingleSelection *selection)
{
  PcBooking *booking = gtk_single_selection_get_selected_item (selection);

  set_selected_booking (self, booking);
  if (booking != NULL && adw_leaflet_get_folded (self->leaflet))
    show_content (self);
}

static void
loader_changed_cb (PcWindow        *self,
                   GParamSpec      *pspec,
                   PcBookingLoader *loader)
{
  update_state (self);
}

static void
on_leaflet_visible_child_cb (PcWindow *self)
{
  /* Back on the list of a folded leaflet: nothing is selected, so that tapping the
   * same booking opens it again. */
  if (adw_leaflet_get_folded (self->leaflet) &&
      adw_leaflet_get_visible_child (self->leaflet) == self->sidebar)
    gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
}

static void
on_leaflet_folded_cb (PcWindow *self)
{
  /* Folding while a booking is shown keeps it on screen. */
  if (adw_leaflet_get_folded (self->leaflet) && self->selected_booking != NULL)
    show_content (self);
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
on_filter_dropdown_selected_cb (PcWindow *self)
{
  guint selected = gtk_drop_down_get_selected (self->filter_dropdown);

  if (selected < N_FILTERS)
    g_action_group_change_action_state (G_ACTION_GROUP (self), "filter",
                                        g_variant_new_string (filter_names[selected]));
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
  if (adw_leaflet_get_folded (self->leaflet))
    show_content (self);
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

/* Re-invite */

/* After a dialog: the widget that opened it may be gone (the selection bar hides when a
 * batch starts) or insensitive (Re-invite… of a booking just re-invited). Keyboard users
 * would be left with no focus at all; the list, or the details when folded, takes it. */
static void
restore_focus (PcWindow  *self,
               GtkWidget *dialog)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  /* The closing dialog may still hold the focus: it loses it when it is removed. */
  if (focus != NULL && gtk_widget_is_sensitive (focus) && gtk_widget_get_mapped (focus) &&
      !gtk_widget_is_ancestor (focus, dialog))
    return;

  if (gtk_widget_get_mapped (GTK_WIDGET (self->list_view)) &&
      gtk_widget_grab_focus (GTK_WIDGET (self->list_view)))
    return;

  if (gtk_widget_get_mapped (GTK_WIDGET (self->booking_page)))
    gtk_widget_child_focus (GTK_WIDGET (self->booking_page), GTK_DIR_TAB_FORWARD);
}

static void
reinvite_dialog_closed_cb (PcWindow  *self,
                           GtkWidget *dialog)
{
  if ((GtkWidget *) self->reinvite_dialog == dialog)
    self->reinvite_dialog = NULL;
  if ((GtkWidget *) self->batch_dialog == dialog)
    self->batch_dialog = NULL;
  g_signal_handlers_disconnect_by_data (dialog, self);

  if (!gtk_widget_in_destruction (GTK_WIDGET (self)))
    restore_focus (self, dialog);
}

static void
open_reinvite_dialog (PcWindow  *self,
                      PcBooking *booking)
{
  PcReinviteDialog *dialog;

  if (self->reinvite_dialog != NULL)
    {
      /* One at a time: the same booking's (or one still sending) comes forward again. */
      if (pc_reinvite_dialog_get_booking (self->reinvite_dialog) == booking ||
          pc_reinvite_dialog_get_busy (self->reinvite_dialog))
        {
          adw_dialog_present (ADW_DIALOG (self->reinvite_dialog), GTK_WIDGET (self));
          return;
        }

      /* Its reason is already kept as the booking's draft. */
      adw_dialog_force_close (ADW_DIALOG (self->reinvite_dialog));
    }

  dialog = pc_reinvite_dialog_new (self->reinviter, booking);
  self->reinvite_dialog = dialog;
  g_signal_connect_object (dialog, "closed", G_CALLBACK (reinvite_dialog_closed_cb), self,
                           G_CONNECT_SWAPPED);
  adw_dialog_present (ADW_DIALOG (dialog), GTK_WIDGET (self));
}

static guint
count_checked (PcWindow *self)
{
  g_autoptr(GtkBitset) checked = NULL;

  checked = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->multi_selection));
  return (guint) gtk_bitset_get_size (checked);
}

static void
update_selection_bar (PcWindow *self)
{
  guint n = self->selection_mode ? count_checked (self) : 0;
  g_autofree char *label = NULL;

  if (n == 0)
    label = g_strdup (_("Re-invite Clients…"));
  else
    /* Translators: a button that opens the batch re-invite dialog */
    label = g_strdup_printf (ngettext ("Re-invite %u Client…", "Re-invite %u Clients…", n), n);
  gtk_label_set_text (self->batch_label, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->batch_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);

  set_action_enabled (self, "reinvite-selected", self->selection_mode && n > 0);
}

static void
set_selection_mode (PcWindow *self,
                    gboolean  selection_mode)
{
  if (self->selection_mode == selection_mode)
    return;

  self->selection_mode = selection_mode;
  g_simple_action_set_state (G_SIMPLE_ACTION (lookup_action (self, "selection-mode")),
                             g_variant_new_boolean (selection_mode));
  set_action_enabled (self, "cancel-selection", selection_mode);
  set_action_enabled (self, "select-reinvitable", selection_mode);

  /* Rows are rebuilt with the other factory: the selection mode one has check buttons
   * bound to the multiple selection. */
  gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->multi_selection));
  if (selection_mode)
    {
      gtk_list_view_set_factory (self->list_view, self->selection_factory);
      gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->multi_selection));
      if (adw_leaflet_get_folded (self->leaflet))
        adw_leaflet_set_visible_child (self->leaflet, self->sidebar);
    }
  else
    {
      gtk_list_view_set_factory (self->list_view, self->list_factory);
      gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
    }

  gtk_action_bar_set_revealed (self->selection_bar, selection_mode);
  update_selection_bar (self);
}

static void
multi_selection_changed_cb (PcWindow *self)
{
  update_selection_bar (self);
}

static void
reinviter_batch_running_cb (PcWindow    *self,
                            GParamSpec  *pspec,
                            PcReinviter *reinviter)
{
  /* The batch has its bookings: the selection has done its job. */
  if (pc_reinviter_get_batch_running (reinviter))
    set_selection_mode (self, FALSE);
}

/* Actions */

static void
refresh_action_cb (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  PcWindow *self = user_data;

  pc_booking_loader_refresh (self->loader);
}

static void
search_action_cb (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer      user_data)
{
  PcWindow *self = user_data;

  if (gtk_stack_get_visible_child (self->main_stack) != GTK_WIDGET (self->leaflet))
    return;

  adw_leaflet_set_visible_child (self->leaflet, self->sidebar);
  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
filter_change_state_cb (GSimpleAction *action,
                        GVariant      *state,
                        gpointer       user_data)
{
  PcWindow *self = user_data;
  const char *name = g_variant_get_string (state, NULL);
  FilterKind filter = N_FILTERS;

  for (guint i = 0; i < N_FILTERS; i++)
    if (g_str_equal (name, filter_names[i]))
      filter = i;

  if (filter == N_FILTERS)
    {
      g_debug ("Unknown filter “%s”", name);
      return;
    }

  g_simple_action_set_state (action, state);
  if (gtk_drop_down_get_selected (self->filter_dropdown) != filter)
    gtk_drop_down_set_selected (self->filter_dropdown, filter);

  if (self->filter != filter)
    {
      self->filter = filter;
      gtk_filter_changed (GTK_FILTER (self->category_filter), GTK_FILTER_CHANGE_DIFFERENT);
    }
}

static void
show_all_action_cb (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  PcWindow *self = user_data;

  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  g_action_group_change_action_state (G_ACTION_GROUP (self), "filter",
                                      g_variant_new_string (filter_names[FILTER_ALL]));
}

static void
reinvite_action_cb (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  PcWindow *self = user_data;

  g_return_if_fail (self->selected_booking != NULL);

  open_reinvite_dialog (self, self->selected_booking);
}

static void
selection_mode_change_state_cb (GSimpleAction *action,
                                GVariant      *state,
                                gpointer       user_data)
{
  PcWindow *self = user_data;

  /* Only with bookings to select from. */
  if (g_variant_get_boolean (state) &&
      gtk_stack_get_visible_child (self->main_stack) != GTK_WIDGET (self->leaflet))
    return;

  set_selection_mode (self, g_variant_get_boolean (state));
}

static void
cancel_selection_action_cb (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  set_selection_mode (PC_WINDOW (user_data), FALSE);
}

static void
select_reinvitable_action_cb (GSimpleAction *action,
                              GVariant      *parameter,
                              gpointer       user_data)
{
  PcWindow *self = user_data;
  GListModel *model = G_LIST_MODEL (self->multi_selection);
  guint n = g_list_model_get_n_items (model);
  g_autoptr(GtkBitset) wanted = gtk_bitset_new_empty ();
  g_autoptr(GtkBitset) mask = gtk_bitset_new_range (0, n);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PcBooking) booking = g_list_model_get_item (model, i);

      if (pc_booking_get_can_reinvite (booking))
        gtk_bitset_add (wanted, i);
    }

  gtk_selection_model_set_selection (GTK_SELECTION_MODEL (self->multi_selection), wanted, mask);
}

static void
reinvite_selected_action_cb (GSimpleAction *action,
                             GVariant      *parameter,
                             gpointer       user_data)
{
  PcWindow *self = user_data;
  GListModel *model = G_LIST_MODEL (self->multi_selection);
  g_autoptr(GtkBitset) checked = NULL;
  g_autoptr(GPtrArray) bookings = g_ptr_array_new_with_free_func (g_object_unref);
  GtkBitsetIter iter;
  guint position;
  PcBatchReinviteDialog *dialog;

  if (self->batch_dialog != NULL)
    {
      adw_dialog_present (ADW_DIALOG (self->batch_dialog), GTK_WIDGET (self));
      return;
    }

  checked = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->multi_selection));
  for (gboolean more = gtk_bitset_iter_init_first (&iter, checked, &position);
       more;
       more = gtk_bitset_iter_next (&iter, &position))
    g_ptr_array_add (bookings, g_list_model_get_item (model, position));

  if (bookings->len == 0)
    return;

  dialog = pc_batch_reinvite_dialog_new (self->reinviter, bookings);
  self->batch_dialog = dialog;
  g_signal_connect_object (dialog, "closed", G_CALLBACK (reinvite_dialog_closed_cb), self,
                           G_CONNECT_SWAPPED);
  adw_dialog_present (ADW_DIALOG (dialog), GTK_WIDGET (self));
}

static void
back_action_cb (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  PcWindow *self = user_data;

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static const GActionEntry win_actions[] = {
  { .name = "refresh", .activate = refresh_action_cb },
  { .name = "search", .activate = search_action_cb },
  { .name = "filter", .parameter_type = "s", .state = "'all'", .change_state = filter_change_state_cb },
  { .name = "show-all", .activate = show_all_action_cb },
  { .name = "reinvite", .activate = reinvite_action_cb },
  { .name = "back", .activate = back_action_cb },
  { .name = "selection-mode", .state = "false", .change_state = selection_mode_change_state_cb },
  { .name = "cancel-selection", .activate = cancel_selection_action_cb },
  { .name = "select-reinvitable", .activate = select_reinvitable_action_cb },
  { .name = "reinvite-selected", .activate = reinvite_selected_action_cb },
};

/* GObject */

static gboolean
pc_window_close_request (GtkWindow *window)
{
  PcWindow *self = PC_WINDOW (window);

  if (self->settings != NULL)
    {
      int width, height;

      gtk_window_get_default_size (window, &width, &height);
      g_settings_delay (self->settings);
      g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
      if (!gtk_window_is_maximized (window) && width > 0 && height > 0)
        {
          g_settings_set_int (self->settings, "window-width", width);
          g_settings_set_int (self->settings, "window-height", height);
        }
      g_settings_apply (self->settings);
    }

  return GTK_WINDOW_CLASS (pc_window_parent_class)->close_request (window);
}

static void
pc_window_map (GtkWidget *widget)
{
  PcWindow *self = PC_WINDOW (widget);

  GTK_WIDGET_CLASS (pc_window_parent_class)->map (widget);

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
  disconnect_after_paint (PC_WINDOW (widget));

  GTK_WIDGET_CLASS (pc_window_parent_class)->unmap (widget);
}

static void
pc_window_constructed (GObject *object)
{
  PcWindow *self = (PcWindow *) object;
  GtkExpression *nickname;
  GtkEveryFilter *every;
  PcClock *clock;
  guint n;

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
  self->sorter = gtk_custom_sorter_new (compare_bookings, NULL, NULL);
  self->sort_model = gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (self->filter_model)),
                                              g_object_ref (GTK_SORTER (self->sorter)));
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->sort_model)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
  self->multi_selection = gtk_multi_selection_new (g_object_ref (G_LIST_MODEL (self->sort_model)));
  g_signal_connect_object (self->multi_selection, "selection-changed",
                           G_CALLBACK (multi_selection_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->multi_selection, "items-changed",
                           G_CALLBACK (multi_selection_changed_cb), self, G_CONNECT_SWAPPED);

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

  n = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PcBooking) booking = g_list_model_get_item (G_LIST_MODEL (self->store), i);

      watch_booking (self, booking);
    }

  if (self->settings != NULL)
    {
      gtk_window_set_default_size (GTK_WINDOW (self),
                                   g_settings_get_int (self->settings, "window-width"),
                                   g_settings_get_int (self->settings, "window-height"));
      if (g_settings_get_boolean (self->settings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));
    }

  update_list_state (self);
  update_state (self);
}

static void
pc_window_dispose (GObject *object)
{
  PcWindow *self = (PcWindow *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->refilter_id, g_source_remove);
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
  g_clear_object (&self->reinviter);
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
  g_clear_object (&self->cancellable);

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
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = pc_window_constructed;
  object_class->dispose = pc_window_dispose;
  object_class->get_property = pc_window_get_property;
  object_class->set_property = pc_window_set_property;

  widget_class->map = pc_window_map;
  widget_class->unmap = pc_window_unmap;

  window_class->close_request = pc_window_close_request;

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
  gtk_widget_class_bind_template_child (widget_class, PcWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, PcWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, PcWindow, content);
  gtk_widget_class_bind_template_child (widget_class, PcWindow, sidebar_title);
  gtk_widget_class_bind_template_child (widget_class, PcWindow, refresh_spinner);
  gtk_widget_class_bind_template_child (widget_class, PcWindow, search_bar);
  gtk_widget_class_bind_template_child (widget_class, PcWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, PcWindow, filter_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PcWindow, refresh_infobar);
  gtk_widget_class_bind_template_child (widget_class, PcWindow, infobar_label);
  gtk_widget_class_bind_template_child (widget_class, PcWindow, list_stack);
  gtk_widget_class_bind_template_child (widget_class, PcWindow, list_view);
  gtk_widget_class_bind_template_child (widget_class, PcWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, PcWindow, booking_page);
  gtk_widget_class_bind_template_child (widget_class, PcWindow, selection_factory);
  gtk_widget_class_bind_template_child (widget_class, PcWindow, selection_bar);
  gtk_widget_class_bind_template_child (widget_class, PcWindow, batch_button);
  gtk_widget_class_bind_template_child (widget_class, PcWindow, batch_label);
  /* Reachable with gtk_widget_get_template_child(), for tests. */
  gtk_widget_class_bind_template_child_full (widget_class, "signed_out_page", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "empty_page", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "loading_page", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "no_results_page", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "refresh_button", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "search_button", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "selection_button", FALSE, 0);
  gtk_widget_class_bind_template_callback (widget_class, on_leaflet_visible_child_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_leaflet_folded_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_dropdown_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_mode_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_list_view_activate_cb);
}

static void
pc_window_init (PcWindow *self)
{
  self->cancellable = g_cancellable_new ();
  self->filter = FILTER_ALL;

  gtk_widget_init_template (GTK_WIDGET (self));

  g_action_map_add_action_entries (G_ACTION_MAP (self), win_actions,
                                   G_N_ELEMENTS (win_actions), self);
  gtk_drop_down_set_selected (self->filter_dropdown, FILTER_ALL);
  self->list_factory = g_object_ref (gtk_list_view_get_factory (self->list_view));
  set_action_enabled (self, "cancel-selection", FALSE);
  set_action_enabled (self, "select-reinvitable", FALSE);
  set_action_enabled (self, "reinvite-selected", FALSE);

  self->selected_bindings = g_binding_group_new ();
  g_binding_group_bind (self->selected_bindings, "can-reinvite",
                        lookup_action (self, "reinvite"), "enabled",
                        G_BINDING_SYNC_CREATE);
  set_action_enabled (self, "reinvite", FALSE);

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
  set_selection_mode (self, FALSE);

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
          refilter_cb (self);
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
  if (adw_leaflet_get_folded (self->leaflet))
    show_content (self);
}

/**
 * pc_window_add_toast:
 * @toast: (transfer full): a toast whose title is escaped markup
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
 * pc_window_get_cancellable:
 *
 * Returns: (transfer none): cancelled when the window goes away; for work started on
 *   its behalf
 */
GCancellable *
pc_window_get_cancellable (PcWindow *self)
{
  g_return_val_if_fail (PC_IS_WINDOW (self), NULL);

  return self->cancellable;
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
                             G_CALLBACK (reinviter_batch_running_cb), self, G_CONNECT_SWAPPED);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REINVITER]);
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
  open_reinvite_dialog (self, booking);
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
