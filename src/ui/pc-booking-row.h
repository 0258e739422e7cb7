/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pc-types.h"

G_BEGIN_DECLS

#define PC_TYPE_BOOKING_ROW (pc_booking_row_get_type ())
G_DECLARE_FINAL_TYPE (PcBookingRow, pc_booking_row, PC, BOOKING_ROW, AdwBin)

GtkWidget *pc_booking_row_new                (void) G_GNUC_WARN_UNUSED_RESULT;
PcBooking *pc_booking_row_get_booking        (PcBookingRow *self);
void       pc_booking_row_set_booking        (PcBookingRow *self,
                                              PcBooking    *booking);
gboolean   pc_booking_row_get_selection_mode (PcBookingRow *self);
void       pc_booking_row_set_selection_mode (PcBookingRow *self,
                                              gboolean      selection_mode);
gboolean   pc_booking_row_get_selected       (PcBookingRow *self);
void       pc_booking_row_set_selected       (PcBookingRow *self,
                                              gboolean      selected);

G_END_DECLS
