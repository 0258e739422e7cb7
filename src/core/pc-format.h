/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "pc-types.h"

G_BEGIN_DECLS

/* Human forms of the booking's values, for everything that shows them to people: the
 * window, the dialogs, notifications and phonechat-cli. Every function takes a date in
 * any zone and shows it in the local zone, with times of day on the desktop's 12- or
 * 24-hour clock (pc-time-format.h); all return newly allocated, translated, plain-text
 * strings. */

char *pc_format_date_time         (GDateTime *date_time);
char *pc_format_date_time_brief   (GDateTime *date_time);
char *pc_format_date_time_full    (GDateTime *date_time);
char *pc_format_time              (GDateTime *date_time);
char *pc_format_relative          (GDateTime *date_time,
                                   GDateTime *now);
char *pc_format_countdown         (GTimeSpan  remaining);
char *pc_format_duration          (int        minutes);
char *pc_format_credits           (gint64     credits);
char *pc_format_amount            (int        duration,
                                   gint64     credits);
char *pc_format_session_summary   (GDateTime *session_date,
                                   int        duration,
                                   gint64     credits);
/* The server's ActionCandidate in the user's language where its meaning is known, else
 * as the server wrote it; NULL for NULL. */
char *pc_format_next_step         (const char *action_candidate);

/* The style classes of a status badge, e.g. { "status-badge", "pending", NULL }: plain
 * names, shared by the list's rows and the booking page. */
char **pc_status_css_classes      (PcBookingStatus status);

G_END_DECLS
