/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pc-types.h"

G_BEGIN_DECLS

#define PC_TYPE_BOOKING_PAGE (pc_booking_page_get_type ())
G_DECLARE_FINAL_TYPE (PcBookingPage, pc_booking_page, PC, BOOKING_PAGE, AdwBin)

GtkWidget *pc_booking_page_new         (void) G_GNUC_WARN_UNUSED_RESULT;
PcBooking *pc_booking_page_get_booking (PcBookingPage *self);
void       pc_booking_page_set_booking (PcBookingPage *self,
                                        PcBooking     *booking);
PcClock   *pc_booking_page_get_clock   (PcBookingPage *self);
void       pc_booking_page_set_clock   (PcBookingPage *self,
                                        PcClock       *clock);
GDateTime *pc_booking_page_get_now     (PcBookingPage *self);

G_END_DECLS
