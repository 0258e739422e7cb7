/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pc-time-format.h"

G_BEGIN_DECLS

#define PC_TYPE_CLOCK_FORMAT_MONITOR (pc_clock_format_monitor_get_type ())
G_DECLARE_FINAL_TYPE (PcClockFormatMonitor, pc_clock_format_monitor, PC, CLOCK_FORMAT_MONITOR, GObject)

PcClockFormatMonitor *pc_clock_format_monitor_new        (GSettings            *interface_settings)
                                                          G_GNUC_WARN_UNUSED_RESULT;
PcClockFormat         pc_clock_format_monitor_get_format (PcClockFormatMonitor *self);

G_END_DECLS
