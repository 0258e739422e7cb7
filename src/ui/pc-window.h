/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pc-action-runner.h"
#include "pc-batch-reinvite-dialog.h"
#include "pc-booking-loader.h"
#include "pc-reinvite-dialog.h"
#include "pc-reason-drafts.h"
#include "pc-session.h"
#include "pc-reinviter.h"
#include "pc-types.h"

G_BEGIN_DECLS

#define PC_TYPE_WINDOW (pc_window_get_type ())
G_DECLARE_FINAL_TYPE (PcWindow, pc_window, PC, WINDOW, AdwApplicationWindow)

PcWindow        *pc_window_new                  (GtkApplication  *application,
                                                 PcBookingLoader *loader,
                                                 GSettings       *settings) G_GNUC_WARN_UNUSED_RESULT;
PcBookingLoader *pc_window_get_loader           (PcWindow        *self);
PcBooking       *pc_window_get_selected_booking (PcWindow        *self);
void             pc_window_show_booking         (PcWindow        *self,
                                                 gint64           booking_id);
void             pc_window_add_toast            (PcWindow        *self,
                                                 AdwToast        *toast);
PcReinviter     *pc_window_get_reinviter        (PcWindow        *self);
void             pc_window_set_reinviter        (PcWindow        *self,
                                                 PcReinviter     *reinviter);
void             pc_window_set_drafts           (PcWindow        *self,
                                                 PcReasonDrafts  *drafts);
void             pc_window_set_session          (PcWindow        *self,
                                                 PcSession       *session);
void             pc_window_reinvite_booking     (PcWindow        *self,
                                                 gint64           booking_id);
PcReinviteDialog *pc_window_get_reinvite_dialog (PcWindow        *self);
PcBatchReinviteDialog *pc_window_get_batch_dialog (PcWindow      *self);
gboolean         pc_window_get_selection_mode   (PcWindow        *self);
void             pc_window_refresh_times        (PcWindow        *self);
AdwDialog       *pc_window_get_action_dialog    (PcWindow        *self);
PcActionRunner  *pc_window_get_action_runner    (PcWindow        *self);
guint            pc_window_get_view_count       (PcWindow        *self,
                                                 const char      *view);

G_END_DECLS
