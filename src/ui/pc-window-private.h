/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pc-action-runner.h"
#include "pc-booking-loader.h"
#include "pc-booking-page.h"
#include "pc-booking-store.h"
#include "pc-session.h"
#include "pc-window.h"

G_BEGIN_DECLS

/* What pc-window.c and pc-window-actions.c share. */

typedef enum
{
  FILTER_NEEDS_ACTION,
  FILTER_UPCOMING,
  FILTER_HISTORY,
  FILTER_ALL,
  N_FILTERS
} FilterKind;

/* The names of the filters: the states of win.filter and the toggles' names. */
extern const char * const _pc_window_filter_names[N_FILTERS];

struct _PcWindow
{
  AdwApplicationWindow  parent_instance;

  PcBookingLoader      *loader;
  PcBookingStore       *store;
  GSettings            *settings;
  PcReinviter          *reinviter;
  PcReasonDrafts       *drafts;
  PcSession            *session;   /* the signed-in account, for its states */
  PcReinviteDialog     *reinvite_dialog;    /* unowned; cleared when it closes */
  PcBatchReinviteDialog *batch_dialog;      /* unowned; cleared when it closes */
  PcActionRunner       *runner;             /* accept, reject, cancel, delete */
  GCancellable         *runner_cancellable;
  AdwDialog            *action_dialog;      /* unowned; cleared when it closes */
  guint                 counts[N_FILTERS];  /* bookings per view, whatever the search */
  guint                 counts_id;

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
  guint                 merge_tick_id;
  GdkFrameClock        *frame_clock;
  guint                 first_frame_done : 1;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  GtkStack             *status_stack;
  AdwStatusPage        *offline_page;
  AdwStatusPage        *error_page;
  AdwStatusPage        *signed_out_page;
  AdwNavigationSplitView *split_view;
  AdwNavigationPage    *sidebar;
  AdwNavigationPage    *content;
  AdwWindowTitle       *sidebar_title;
  GtkWidget            *refresh_button;
  GtkWidget            *refresh_spinner;
  GtkWidget            *search_button;
  AdwBreakpoint        *narrow_breakpoint;
  GtkWidget            *selection_button;
  GtkWidget            *menu_button;
  GtkWidget            *cancel_selection_button;
  GtkSearchBar         *search_bar;
  GtkSearchEntry       *search_entry;
  AdwToggleGroup       *filter_group;
  AdwBanner            *refresh_banner;
  GtkStack             *list_stack;
  GtkListView          *list_view;
  PcBookingPage        *booking_page;
  GtkListItemFactory   *selection_factory;
  GtkActionBar         *selection_bar;
  GtkWidget            *batch_button;
  GtkLabel             *batch_label;
  GtkLabel             *count_labels[N_FILTERS];
};

GAction  *_pc_window_lookup_action              (PcWindow     *self,
                                                 const char   *name);
void      _pc_window_set_action_enabled         (PcWindow     *self,
                                                 const char   *name,
                                                 gboolean      enabled);
void      _pc_window_install_actions            (PcWindow     *self);
void      _pc_window_update_title               (PcWindow     *self);
void      _pc_window_update_state               (PcWindow     *self);
gboolean  _pc_window_refilter_cb                (gpointer      user_data);
void      _pc_window_show_content               (PcWindow     *self);
void      _pc_window_open_reinvite_dialog       (PcWindow     *self,
                                                 PcBooking    *booking);
void      _pc_window_install_booking_actions    (PcWindow     *self);
void      _pc_window_update_booking_actions     (PcWindow     *self);
GPtrArray *_pc_window_get_checked               (PcWindow     *self,
                                                 PcBookingAction action);
void      _pc_window_update_header_buttons      (PcWindow     *self);
void      _pc_window_set_selection_mode         (PcWindow     *self,
                                                 gboolean      selection_mode);
void      _pc_window_multi_selection_changed_cb (PcWindow     *self);
void      _pc_window_reinviter_batch_running_cb (PcWindow     *self,
                                                 GParamSpec   *pspec,
                                                 PcReinviter  *reinviter);

G_END_DECLS
