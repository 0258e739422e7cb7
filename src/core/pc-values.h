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
gboolean   pc_credits_parse       (const char  *text,
                                   gint64      *out_credits);

/* Reads many API datetimes in one zone quickly. GLib 2.74 finds a zone's offset for a
 * local time by a linear walk over all its transitions; the reader remembers, per local
 * day, the offset of days without a transition and builds dates in a fixed-offset zone.
 * Days with a transition take GLib's exact path. Stack-allocate, init, parse, clear. */
#define PC_DATE_READER_DAYS 16
#define PC_DATE_READER_ZONES 4

typedef struct
{
  GTimeZone *zone;
  struct {
    gint64 day;        /* days since 1970-01-01 in local terms, or G_MININT64 */
    gint32 offset;     /* seconds east of UTC, valid all day */
    gboolean mixed;    /* the day has a transition */
  } days[PC_DATE_READER_DAYS];
  struct {
    gint32     offset;
    GTimeZone *zone;
  } fixed[PC_DATE_READER_ZONES];
  guint n_fixed;
} PcDateReader;

void       pc_date_reader_init    (PcDateReader *reader,
                                   GTimeZone    *zone);
void       pc_date_reader_clear   (PcDateReader *reader);
GDateTime *pc_date_reader_parse   (PcDateReader *reader,
                                   const char   *text,
                                   const char  **reason);
gboolean   pc_date_reader_parse_usec (PcDateReader *reader,
                                      const char   *text,
                                      gint64       *usec,
                                      const char  **reason);

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
