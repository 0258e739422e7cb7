/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pc-types.h"

G_BEGIN_DECLS

#define PC_TYPE_BOOKING (pc_booking_get_type ())
G_DECLARE_FINAL_TYPE (PcBooking, pc_booking, PC, BOOKING, GObject)

PcBooking        *pc_booking_new                       (void) G_GNUC_WARN_UNUSED_RESULT;
PcBooking        *pc_booking_copy                      (PcBooking  *self) G_GNUC_WARN_UNUSED_RESULT;

gint64            pc_booking_get_booking_id            (PcBooking  *self);
gint              pc_booking_get_duration              (PcBooking  *self);
gint64            pc_booking_get_credits               (PcBooking  *self);
PcBookingStatus   pc_booking_get_status                (PcBooking  *self);
const char       *pc_booking_get_status_text           (PcBooking  *self);
PcCallMethod      pc_booking_get_method                (PcBooking  *self);
gint              pc_booking_get_method_code           (PcBooking  *self);
const char       *pc_booking_get_phone_number          (PcBooking  *self);
const char       *pc_booking_get_skype_name            (PcBooking  *self);
GDateTime        *pc_booking_dup_create_date           (PcBooking  *self);
GDateTime        *pc_booking_dup_session_date          (PcBooking  *self);
GDateTime        *pc_booking_dup_accept_by             (PcBooking  *self);
GDateTime        *pc_booking_dup_accepted_date         (PcBooking  *self);
GDateTime        *pc_booking_dup_confirmed_date        (PcBooking  *self);
GDateTime        *pc_booking_dup_cancelled_date        (PcBooking  *self);
const char       *pc_booking_get_cancelled_reason      (PcBooking  *self);
const char       *pc_booking_get_cancelled_by          (PcBooking  *self);
const char       *pc_booking_get_rejected_reason       (PcBooking  *self);
GDateTime        *pc_booking_dup_last_updated          (PcBooking  *self);
const char       *pc_booking_get_comments              (PcBooking  *self);
const char       *pc_booking_get_action_candidate      (PcBooking  *self);
PcClient         *pc_booking_get_client                (PcBooking  *self);

/* The dates as Unix time in µs (PC_BOOKING_NO_DATE for null), with no allocation: for
 * loops over many bookings. */
#define PC_BOOKING_NO_DATE G_MININT64
gint64            pc_booking_get_create_date_usec      (PcBooking  *self);
gint64            pc_booking_get_session_date_usec     (PcBooking  *self);
gint64            pc_booking_get_accept_by_usec        (PcBooking  *self);
gint64            pc_booking_get_last_updated_usec     (PcBooking  *self);

PcClock          *pc_booking_get_clock                 (PcBooking  *self);
void              pc_booking_set_clock                 (PcBooking  *self,
                                                        PcClock    *clock);
gboolean          pc_booking_get_can_reinvite          (PcBooking  *self);
gboolean          pc_booking_get_outcome_unknown       (PcBooking  *self);
void              pc_booking_set_outcome_unknown       (PcBooking  *self,
                                                        gboolean    outcome_unknown);
gboolean          pc_booking_get_is_expired            (PcBooking  *self);
PcReinviteBlocker pc_booking_get_reinvite_blocker      (PcBooking  *self);
const char       *pc_booking_get_reinvite_blocker_text (PcBooking  *self);
GDateTime        *pc_booking_dup_reinvite_available_at (PcBooking  *self);
gint64            pc_booking_get_reinvite_available_at_usec (PcBooking *self);
gboolean          pc_booking_get_can_accept            (PcBooking  *self);
gboolean          pc_booking_get_can_reject            (PcBooking  *self);
gboolean          pc_booking_get_can_cancel            (PcBooking  *self);
gboolean          pc_booking_get_can_delete            (PcBooking  *self);
gboolean          pc_booking_can_do                    (PcBooking  *self,
                                                        PcBookingAction action);
const char       *pc_booking_get_action_blocker_text   (PcBooking  *self,
                                                        PcBookingAction action);
gboolean          pc_booking_status_is_finished        (PcBookingStatus status);
gboolean          pc_booking_refresh_time              (PcBooking  *self,
                                                        GDateTime  *now);

gboolean          pc_booking_equal                     (PcBooking  *a,
                                                        PcBooking  *b);
gboolean          pc_booking_update_from               (PcBooking  *self,
                                                        PcBooking  *other);

const char       *pc_booking_status_get_label          (PcBookingStatus status);
const char       *pc_call_method_get_label             (PcCallMethod    method);

G_END_DECLS
