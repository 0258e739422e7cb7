/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Credits are decimals on the wire ("8", "8.0000", "28.5"). We keep them as exact fixed
 * point: an integer count of 1/10000 credits, the precision the API's XML shows. */
#define PC_CREDITS_SCALE 10000

gboolean   pc_credits_from_double (double       value,
                                   gint64      *out_credits);
double     pc_credits_to_double   (gint64       credits);
char      *pc_credits_format      (gint64       credits,
                                   gboolean     localized);

/* API datetimes: YYYY-MM-DDTHH:MM:SS with 0-7 fractional digits and an optional Z or
 * ±HH:MM / ±HHMM offset. Without a zone, @default_zone (the API's zone) applies.
 * Returns NULL and sets @reason (a static English string) on bad input. */
GDateTime *pc_datetime_parse      (const char  *text,
                                   GTimeZone   *default_zone,
                                   const char **reason);
/* The API's form: no zone, seconds, and only as many fractional digits as needed. */
char      *pc_datetime_format     (GDateTime   *datetime,
                                   GTimeZone   *zone);

G_END_DECLS
