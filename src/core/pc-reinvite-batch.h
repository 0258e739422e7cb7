/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pc-types.h"

G_BEGIN_DECLS

/**
 * PcReinviteOutcome:
 * @PC_REINVITE_OUTCOME_SUCCEEDED: the booking was rejected and its client invited again
 * @PC_REINVITE_OUTCOME_FAILED: the request failed (the error says why; this includes
 *   %PC_API_ERROR_OUTCOME_UNKNOWN)
 * @PC_REINVITE_OUTCOME_SKIPPED: not sent: the booking could not be re-invited (the message
 *   is its reinvite-blocker-text) or a re-invite of it was already in flight
 * @PC_REINVITE_OUTCOME_CANCELLED: cancelled, and the booking was not re-invited
 */
typedef enum
{
  PC_REINVITE_OUTCOME_SUCCEEDED,
  PC_REINVITE_OUTCOME_FAILED,
  PC_REINVITE_OUTCOME_SKIPPED,
  PC_REINVITE_OUTCOME_CANCELLED,
} PcReinviteOutcome;

#define PC_TYPE_REINVITE_OUTCOME (pc_reinvite_outcome_get_type ())
GType pc_reinvite_outcome_get_type (void);

/**
 * PcReinviteBatch:
 *
 * The immutable result of a batch re-invite: one entry per distinct booking, in the
 * order the bookings were given. A reference-counted boxed type.
 */
typedef struct _PcReinviteBatch PcReinviteBatch;

#define PC_TYPE_REINVITE_BATCH (pc_reinvite_batch_get_type ())
GType              pc_reinvite_batch_get_type       (void);
/* For front ends and tests that build a result themselves. A batch that PcReinviter
 * emits is complete: never append to it. */
PcReinviteBatch   *pc_reinvite_batch_new            (const char      *reason)
                                                    G_GNUC_WARN_UNUSED_RESULT;
guint              pc_reinvite_batch_append         (PcReinviteBatch *self,
                                                     gint64           booking_id,
                                                     const char      *nickname,
                                                     PcReinviteOutcome outcome,
                                                     const char      *message,
                                                     const GError    *error);
PcReinviteBatch   *pc_reinvite_batch_ref            (PcReinviteBatch *self);
void               pc_reinvite_batch_unref          (PcReinviteBatch *self);
const char        *pc_reinvite_batch_get_reason     (PcReinviteBatch *self);
guint              pc_reinvite_batch_get_n_items    (PcReinviteBatch *self);
guint              pc_reinvite_batch_count          (PcReinviteBatch *self,
                                                     PcReinviteOutcome outcome);
char              *pc_reinvite_batch_dup_summary    (PcReinviteBatch *self);
gint64             pc_reinvite_batch_get_booking_id (PcReinviteBatch *self,
                                                     guint            index);
const char        *pc_reinvite_batch_get_nickname   (PcReinviteBatch *self,
                                                     guint            index);
PcReinviteOutcome  pc_reinvite_batch_get_outcome    (PcReinviteBatch *self,
                                                     guint            index);
const char        *pc_reinvite_batch_get_message    (PcReinviteBatch *self,
                                                     guint            index);
const GError      *pc_reinvite_batch_get_error      (PcReinviteBatch *self,
                                                     guint            index);
gint               pc_reinvite_batch_find           (PcReinviteBatch *self,
                                                     gint64           booking_id);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PcReinviteBatch, pc_reinvite_batch_unref)

G_END_DECLS
