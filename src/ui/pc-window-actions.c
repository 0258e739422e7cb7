/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pc-window"

#include "config.h"

#include <glib/gi18n.h>

#include "pc-booking.h"
#include "pc-window-private.h"

/* The window's actions (win.*), its selection mode and the re-invite dialogs it opens.
 * The window itself (models, states, the list and the details) is in pc-window.c. */

/* Re-invite dialogs */

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

void
_pc_window_open_reinvite_dialog (PcWindow  *self,
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

  dialog = pc_reinvite_dialog_new (self->reinviter, self->drafts, booking);
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

  _pc_window_set_action_enabled (self, "reinvite-selected", self->selection_mode && n > 0);

  /* Batch accept and delete count only the checked bookings that allow them. */
  {
    g_autoptr(GPtrArray) acceptable = _pc_window_get_checked (self, PC_BOOKING_ACTION_ACCEPT);
    g_autoptr(GPtrArray) deletable = _pc_window_get_checked (self, PC_BOOKING_ACTION_DELETE);

    _pc_window_set_action_enabled (self, "accept-selected",
                                   self->selection_mode && self->runner != NULL && acceptable->len > 0);
    _pc_window_set_action_enabled (self, "delete-selected",
                                   self->selection_mode && self->runner != NULL && deletable->len > 0);
  }
  _pc_window_update_title (self);
}

void
_pc_window_set_selection_mode (PcWindow *self,
                               gboolean  selection_mode)
{
  if (self->selection_mode == selection_mode)
    return;

  self->selection_mode = selection_mode;
  g_simple_action_set_state (G_SIMPLE_ACTION (_pc_window_lookup_action (self, "selection-mode")),
                             g_variant_new_boolean (selection_mode));
  _pc_window_set_action_enabled (self, "cancel-selection", selection_mode);
  _pc_window_set_action_enabled (self, "select-reinvitable", selection_mode);

  /* Rows are rebuilt with the other factory: the selection mode one has check buttons
   * bound to the multiple selection. */
  gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->multi_selection));
  if (selection_mode)
    {
      gtk_list_view_set_factory (self->list_view, self->selection_factory);
      gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->multi_selection));
      adw_navigation_split_view_set_show_content (self->split_view, FALSE);
    }
  else
    {
      gtk_list_view_set_factory (self->list_view, self->list_factory);
      gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
    }

  /* The header bar of selection mode, as in other GNOME apps: how many are selected,
   * and Cancel in place of the buttons that do not apply while selecting. */
  _pc_window_update_header_buttons (self);
  gtk_widget_set_visible (self->selection_button, !selection_mode);
  gtk_widget_set_visible (self->menu_button, !selection_mode);
  gtk_widget_set_visible (self->cancel_selection_button, selection_mode);
  if (selection_mode)
    gtk_search_bar_set_search_mode (self->search_bar, FALSE);

  gtk_action_bar_set_revealed (self->selection_bar, selection_mode);
  update_selection_bar (self);
}

void
_pc_window_multi_selection_changed_cb (PcWindow *self)
{
  update_selection_bar (self);
}

void
_pc_window_reinviter_batch_running_cb (PcWindow    *self,
                                       GParamSpec  *pspec,
                                       PcReinviter *reinviter)
{
  /* The batch has its bookings: the selection has done its job. */
  if (pc_reinviter_get_batch_running (reinviter))
    _pc_window_set_selection_mode (self, FALSE);
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

  if (gtk_stack_get_visible_child (self->main_stack) != GTK_WIDGET (self->split_view))
    return;

  adw_navigation_split_view_set_show_content (self->split_view, FALSE);
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
    if (g_str_equal (name, _pc_window_filter_names[i]))
      filter = i;

  if (filter == N_FILTERS)
    {
      g_debug ("Unknown filter “%s”", name);
      return;
    }

  g_simple_action_set_state (action, state);
  if (g_strcmp0 (adw_toggle_group_get_active_name (self->filter_group), name) != 0)
    adw_toggle_group_set_active_name (self->filter_group, name);

  if (self->filter != filter)
    {
      self->filter = filter;
      gtk_filter_changed (GTK_FILTER (self->category_filter), GTK_FILTER_CHANGE_DIFFERENT);
      /* Upcoming sessions sort the other way round. */
      gtk_sorter_changed (GTK_SORTER (self->sorter), GTK_SORTER_CHANGE_DIFFERENT);
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
                                      g_variant_new_string (_pc_window_filter_names[FILTER_ALL]));
}

static void
reinvite_action_cb (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  PcWindow *self = user_data;

  g_return_if_fail (self->selected_booking != NULL);

  _pc_window_open_reinvite_dialog (self, self->selected_booking);
}

static void
selection_mode_change_state_cb (GSimpleAction *action,
                                GVariant      *state,
                                gpointer       user_data)
{
  PcWindow *self = user_data;

  /* Only with bookings to select from. */
  if (g_variant_get_boolean (state) &&
      gtk_stack_get_visible_child (self->main_stack) != GTK_WIDGET (self->split_view))
    return;

  _pc_window_set_selection_mode (self, g_variant_get_boolean (state));
}

static void
cancel_selection_action_cb (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  _pc_window_set_selection_mode (PC_WINDOW (user_data), FALSE);
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

  adw_navigation_split_view_set_show_content (self->split_view, FALSE);
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

void
_pc_window_install_actions (PcWindow *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self), win_actions,
                                   G_N_ELEMENTS (win_actions), self);
}
