/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pc-reinviter.h"
#include "pc-types.h"

G_BEGIN_DECLS

#define PC_TYPE_BATCH_REINVITE_DIALOG (pc_batch_reinvite_dialog_get_type ())
G_DECLARE_FINAL_TYPE (PcBatchReinviteDialog, pc_batch_reinvite_dialog,
                      PC, BATCH_REINVITE_DIALOG, AdwDialog)

PcBatchReinviteDialog *pc_batch_reinvite_dialog_new          (PcReinviter           *reinviter,
                                                              GPtrArray             *bookings) G_GNUC_WARN_UNUSED_RESULT;
PcReinviter           *pc_batch_reinvite_dialog_get_reinviter (PcBatchReinviteDialog *self);
guint                  pc_batch_reinvite_dialog_get_n_bookings (PcBatchReinviteDialog *self);
gboolean               pc_batch_reinvite_dialog_get_running   (PcBatchReinviteDialog *self);
PcReinviteBatch       *pc_batch_reinvite_dialog_get_result    (PcBatchReinviteDialog *self);
void                   pc_batch_reinvite_dialog_set_reason    (PcBatchReinviteDialog *self,
                                                               const char            *reason);
const char            *pc_batch_reinvite_dialog_get_row_status (PcBatchReinviteDialog *self,
                                                                gint64                 booking_id);
const char            *pc_batch_reinvite_dialog_get_row_details (PcBatchReinviteDialog *self,
                                                                 gint64                 booking_id);

G_END_DECLS
