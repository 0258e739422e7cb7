/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "pc-types.h"

G_BEGIN_DECLS

/* Human forms of the booking's values for the UI. Every function takes a date in any zone
 * and shows it in the local zone; all return newly allocated, translated strings. */

char *pc_format_date_time      (GDateTime *date_time);
char *pc_format_date_time_full (GDateTime *date_time);
char *pc_format_time           (GDateTime *date_time);
char *pc_format_relative       (GDateTime *date_time,
                                GDateTime *now);
char *pc_format_countdown      (GTimeSpan  remaining);
char *pc_format_duration       (int        minutes);
char *pc_format_credits        (gint64     credits);

/* The style classes of a status badge, e.g. { "status-badge", "pending", NULL }. */
char **pc_status_css_classes   (PcBookingStatus status);

G_END_DECLS
