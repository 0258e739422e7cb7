/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pc-types.h"

G_BEGIN_DECLS

#define PC_TYPE_BOOKING_LOADER (pc_booking_loader_get_type ())
G_DECLARE_FINAL_TYPE (PcBookingLoader, pc_booking_loader, PC, BOOKING_LOADER, GObject)

PcBookingLoader *pc_booking_loader_new                   (PcApi           *api,
                                                          PcBookingStore  *store) G_GNUC_WARN_UNUSED_RESULT;
PcApi           *pc_booking_loader_get_api               (PcBookingLoader *self);
void             pc_booking_loader_set_api               (PcBookingLoader *self,
                                                          PcApi           *api);
PcBookingStore  *pc_booking_loader_get_store             (PcBookingLoader *self);
guint            pc_booking_loader_get_bookings_per_page (PcBookingLoader *self);
void             pc_booking_loader_set_bookings_per_page (PcBookingLoader *self,
                                                          guint            bookings_per_page);
gboolean         pc_booking_loader_get_loading           (PcBookingLoader *self);
gboolean         pc_booking_loader_get_loaded            (PcBookingLoader *self);
guint            pc_booking_loader_get_n_loads           (PcBookingLoader *self);
const GError    *pc_booking_loader_get_error             (PcBookingLoader *self);
GDateTime       *pc_booking_loader_get_last_updated      (PcBookingLoader *self);

void             pc_booking_loader_refresh               (PcBookingLoader *self);
void             pc_booking_loader_cancel                (PcBookingLoader *self);
void             pc_booking_loader_set_paced             (PcBookingLoader *self,
                                                          gboolean         paced);
guint            pc_booking_loader_get_n_pending         (PcBookingLoader *self);
guint            pc_booking_loader_merge_pending         (PcBookingLoader *self,
                                                          guint            max_bookings);

G_END_DECLS
