/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pc-types.h"

G_BEGIN_DECLS

#define PC_TYPE_CLOCK (pc_clock_get_type ())
G_DECLARE_FINAL_TYPE (PcClock, pc_clock, PC, CLOCK, GObject)

PcClock   *pc_clock_new_system (void) G_GNUC_WARN_UNUSED_RESULT;
PcClock   *pc_clock_new_fixed  (GDateTime *now) G_GNUC_WARN_UNUSED_RESULT;
GDateTime *pc_clock_get_now    (PcClock   *self);
gboolean   pc_clock_is_fixed   (PcClock   *self);
void       pc_clock_set_now    (PcClock   *self,
                                GDateTime *now);

G_END_DECLS
