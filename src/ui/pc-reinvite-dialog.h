/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pc-reason-drafts.h"
#include "pc-reinviter.h"
#include "pc-types.h"

G_BEGIN_DECLS

#define PC_TYPE_REINVITE_DIALOG (pc_reinvite_dialog_get_type ())
G_DECLARE_FINAL_TYPE (PcReinviteDialog, pc_reinvite_dialog, PC, REINVITE_DIALOG, AdwDialog)

PcReinviteDialog *pc_reinvite_dialog_new          (PcReinviter      *reinviter,
                                                   PcReasonDrafts   *drafts,
                                                   PcBooking        *booking) G_GNUC_WARN_UNUSED_RESULT;
PcReinviter      *pc_reinvite_dialog_get_reinviter (PcReinviteDialog *self);
PcBooking        *pc_reinvite_dialog_get_booking   (PcReinviteDialog *self);
gboolean          pc_reinvite_dialog_get_busy      (PcReinviteDialog *self);
char             *pc_reinvite_dialog_dup_reason    (PcReinviteDialog *self);
void              pc_reinvite_dialog_set_reason    (PcReinviteDialog *self,
                                                    const char       *reason);
const char       *pc_reinvite_dialog_get_error_text (PcReinviteDialog *self);

G_END_DECLS
