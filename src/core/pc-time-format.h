/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* How times of day are written: the desktop's 12- or 24-hour clock setting
 * (org.gnome.desktop.interface clock-format). Like the locale, it belongs to the whole
 * session, so it is one setting per process; the application follows the desktop and
 * sets it, and every program that shows times (the window, notifications) asks here. */
typedef enum
{
  PC_CLOCK_FORMAT_24H,
  PC_CLOCK_FORMAT_12H,
} PcClockFormat;

PcClockFormat pc_clock_format_get       (void);
void          pc_clock_format_set       (PcClockFormat  format);
gboolean      pc_clock_format_from_name (const char    *name,
                                         PcClockFormat *format);

/* @local is shown as it is (convert it to the local zone first). All return newly
 * allocated, translated strings. */
char *pc_time_format_time      (GDateTime *local);
char *pc_time_format_date_time (GDateTime *local,
                                const char *date_pattern);

G_END_DECLS
