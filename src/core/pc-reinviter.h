/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pc-reinvite-batch.h"
#include "pc-types.h"

G_BEGIN_DECLS

/* At most this many re-invites of one batch are in flight at once. */
#define PC_REINVITER_MAX_IN_FLIGHT 4

#define PC_TYPE_REINVITER (pc_reinviter_get_type ())
G_DECLARE_FINAL_TYPE (PcReinviter, pc_reinviter, PC, REINVITER, GObject)

PcReinviter    *pc_reinviter_new                 (PcApi          *api,
                                                  PcBookingStore *store) G_GNUC_WARN_UNUSED_RESULT;
PcApi          *pc_reinviter_get_api             (PcReinviter    *self);
PcBookingStore *pc_reinviter_get_store           (PcReinviter    *self);

gboolean        pc_reinviter_start               (PcReinviter    *self,
                                                  PcBooking      *booking,
                                                  const char     *reason);
void            pc_reinviter_cancel              (PcReinviter    *self,
                                                  gint64          booking_id);
gboolean        pc_reinviter_get_busy            (PcReinviter    *self);
gboolean        pc_reinviter_is_busy_for         (PcReinviter    *self,
                                                  gint64          booking_id);

const char     *pc_reinviter_get_reason          (PcReinviter    *self,
                                                  gint64          booking_id);

gboolean        pc_reinviter_start_batch         (PcReinviter    *self,
                                                  GPtrArray      *bookings,
                                                  const char     *reason);
void            pc_reinviter_cancel_batch        (PcReinviter    *self);
gboolean        pc_reinviter_get_batch_running   (PcReinviter    *self);

G_END_DECLS
