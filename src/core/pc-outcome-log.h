/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pc-types.h"

G_BEGIN_DECLS

/* How long after a re-invite was sent a read that still shows the booking pending is
 * taken to mean that the request never arrived (see pc-outcome-log.c). */
#define PC_OUTCOME_LOG_SETTLE_SECONDS (10 * 60)

#define PC_TYPE_OUTCOME_LOG (pc_outcome_log_get_type ())
G_DECLARE_FINAL_TYPE (PcOutcomeLog, pc_outcome_log, PC, OUTCOME_LOG, GObject)

PcOutcomeLog *pc_outcome_log_new               (const char    *path,
                                                const char    *scope) G_GNUC_WARN_UNUSED_RESULT;
char         *pc_outcome_log_dup_default_path  (void);
const char   *pc_outcome_log_get_path          (PcOutcomeLog  *self);
const char   *pc_outcome_log_get_scope         (PcOutcomeLog  *self);

gboolean      pc_outcome_log_load              (PcOutcomeLog  *self,
                                                GError       **error);
gboolean      pc_outcome_log_save              (PcOutcomeLog  *self,
                                                GError       **error);
void          pc_outcome_log_set_autosave      (PcOutcomeLog  *self,
                                                gboolean       autosave);
gboolean      pc_outcome_log_get_loaded        (PcOutcomeLog  *self);
gboolean      pc_outcome_log_get_busy          (PcOutcomeLog  *self);

GDateTime    *pc_outcome_log_lookup            (PcOutcomeLog  *self,
                                                gint64         booking_id);
void          pc_outcome_log_mark              (PcOutcomeLog  *self,
                                                gint64         booking_id,
                                                GDateTime     *sent_at);
void          pc_outcome_log_mark_from         (PcOutcomeLog    *self,
                                                gint64           booking_id,
                                                GDateTime       *sent_at,
                                                PcBookingStatus  from);
void          pc_outcome_log_begin             (PcOutcomeLog  *self,
                                                gint64         booking_id,
                                                GDateTime     *sent_at);
void          pc_outcome_log_end               (PcOutcomeLog  *self,
                                                gint64         booking_id,
                                                gboolean       unknown);
gboolean      pc_outcome_log_clear             (PcOutcomeLog  *self,
                                                gint64         booking_id);
gboolean      pc_outcome_log_apply_read        (PcOutcomeLog  *self,
                                                PcBooking     *booking,
                                                GDateTime     *now);
void          pc_outcome_log_apply_marks       (PcOutcomeLog  *self,
                                                PcBooking     *booking);

G_END_DECLS
