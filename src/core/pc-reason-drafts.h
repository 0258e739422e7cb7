/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pc-reinviter.h"

G_BEGIN_DECLS

#define PC_TYPE_REASON_DRAFTS (pc_reason_drafts_get_type ())
G_DECLARE_FINAL_TYPE (PcReasonDrafts, pc_reason_drafts, PC, REASON_DRAFTS, GObject)

PcReasonDrafts *pc_reason_drafts_new    (void) G_GNUC_WARN_UNUSED_RESULT;
void            pc_reason_drafts_follow (PcReasonDrafts *self,
                                         PcReinviter    *reinviter);
const char     *pc_reason_drafts_get    (PcReasonDrafts *self,
                                         gint64          booking_id);
void            pc_reason_drafts_set    (PcReasonDrafts *self,
                                         gint64          booking_id,
                                         const char     *draft);

G_END_DECLS
