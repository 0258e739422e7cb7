/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pc-outcome-log.h"
#include "pc-types.h"

G_BEGIN_DECLS

#define PC_TYPE_BOOKING_STORE (pc_booking_store_get_type ())
G_DECLARE_FINAL_TYPE (PcBookingStore, pc_booking_store, PC, BOOKING_STORE, GObject)

PcBookingStore *pc_booking_store_new             (PcClock        *clock) G_GNUC_WARN_UNUSED_RESULT;
PcClock        *pc_booking_store_get_clock       (PcBookingStore *self);
PcBooking      *pc_booking_store_lookup          (PcBookingStore *self,
                                                  gint64          booking_id);
PcBooking      *pc_booking_store_peek            (PcBookingStore *self,
                                                  guint           position);
PcBooking      *pc_booking_store_merge_one       (PcBookingStore *self,
                                                  PcBooking      *booking);
void            pc_booking_store_merge           (PcBookingStore *self,
                                                  GPtrArray      *bookings);
guint           pc_booking_store_retain          (PcBookingStore *self,
                                                  GHashTable     *booking_ids);
guint           pc_booking_store_replace_all     (PcBookingStore *self,
                                                  GPtrArray      *bookings);
gboolean        pc_booking_store_remove          (PcBookingStore *self,
                                                  gint64          booking_id);
void            pc_booking_store_remove_all      (PcBookingStore *self);
void            pc_booking_store_refresh_time    (PcBookingStore *self);
GDateTime      *pc_booking_store_next_change     (PcBookingStore *self);

void            pc_booking_store_set_outcome_log (PcBookingStore *self,
                                                  PcOutcomeLog   *log);
PcOutcomeLog   *pc_booking_store_get_outcome_log (PcBookingStore *self);
void            pc_booking_store_mark_outcome_unknown (PcBookingStore *self,
                                                       PcBooking      *booking,
                                                       GDateTime      *sent_at);
gboolean        pc_booking_store_is_outcome_unknown   (PcBookingStore *self,
                                                       PcBooking      *booking);

G_END_DECLS
