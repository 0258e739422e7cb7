/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pc-values"

#include "config.h"

#include <float.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#include "pc-values.h"

/* The largest credit amount whose 1/10000 count a double still holds exactly. */
#define MAX_EXACT_CREDITS (9007199254740992.0 / PC_CREDITS_SCALE)

gboolean
pc_credits_from_double (double  value,
                        gint64 *out_credits)
{
  double scaled;
  double rounded;

  g_return_val_if_fail (out_credits != NULL, FALSE);

  if (!isfinite (value) || fabs (value) >= MAX_EXACT_CREDITS)
    return FALSE;

  /* JSON decimals reach us as doubles; a value with at most four decimals rounds back to
   * its exact fixed-point form. More precision than that is not an amount of credits. */
  /* A decimal with at most four places lands within a few ulps of a whole number of
   * 1/10000 credits; anything further away had more places. */
  scaled = value * PC_CREDITS_SCALE;
  rounded = nearbyint (scaled);
  if (fabs (scaled - rounded) > MAX (1e-9, fabs (scaled) * 8 * DBL_EPSILON))
    return FALSE;

  *out_credits = (gint64) rounded;
  return TRUE;
}

double
pc_credits_to_double (gint64 credits)
{
  return (double) credits / PC_CREDITS_SCALE;
}

char *
pc_credits_format (gint64   credits,
                   gboolean localized)
{
  guint64 magnitude = credits < 0 ? (guint64) -(credits + 1) + 1 : (guint64) credits;
  guint64 whole = magnitude / PC_CREDITS_SCALE;
  guint frac = magnitude % PC_CREDITS_SCALE;
  const char *point = ".";
  GString *out = g_string_new (credits < 0 ? "-" : "");

  if (localized)
    {
      struct lconv *lc = localeconv ();

      if (lc != NULL && lc->decimal_point != NULL && lc->decimal_point[0] != '\0')
        point = lc->decimal_point;
    }

  g_string_append_printf (out, "%" G_GUINT64_FORMAT, whole);

  /* Display: two places at least (money), up to four when the value has them. */
  if (frac % 100 != 0)
    {
      g_string_append_printf (out, "%s%04u", point, frac);
      while (out->str[out->len - 1] == '0')
        g_string_truncate (out, out->len - 1);
    }
  else if (localized || frac != 0)
    g_string_append_printf (out, "%s%02u", point, frac / 100);

  return g_string_free (out, FALSE);
}

/**
 * pc_credits_parse:
 * @text: an amount as people and scripts write it: digits, optionally a point and up to
 *   four more digits ("8", "8.5", "12.3456"); no sign, no grouping, no locale
 *
 * Reads the amount exactly, without going through a double.
 *
 * Returns: whether @text is such an amount; *@out_credits is set only then
 */
gboolean
pc_credits_parse (const char *text,
                  gint64     *out_credits)
{
  gint64 whole = 0;
  gint64 frac = 0;
  guint n_frac = 0;
  const char *p = text;

  g_return_val_if_fail (out_credits != NULL, FALSE);

  if (text == NULL || !g_ascii_isdigit (*p))
    return FALSE;

  for (; g_ascii_isdigit (*p); p++)
    {
      if (whole > (G_MAXINT64 / PC_CREDITS_SCALE - 9) / 10)
        return FALSE;
      whole = whole * 10 + (*p - '0');
    }

  if (*p == '.')
    {
      for (p++; g_ascii_isdigit (*p); p++)
        {
          if (++n_frac > 4)
            return FALSE;
          frac = frac * 10 + (*p - '0');
        }
      if (n_frac == 0)
        return FALSE;
    }

  if (*p != '\0')
    return FALSE;

  for (guint i = n_frac; i < 4; i++)
    frac *= 10;

  *out_credits = whole * PC_CREDITS_SCALE + frac;
  return TRUE;
}

static gboolean
read_digits (const char **p,
             guint        count,
             int         *out)
{
  int value = 0;

  for (guint i = 0; i < count; i++)
    {
      char c = (*p)[i];

      if (c < '0' || c > '9')
        return FALSE;
      value = value * 10 + (c - '0');
    }

  *p += count;
  *out = value;
  return TRUE;
}

static gboolean
expect_char (const char **p,
             char         c)
{
  if (**p != c)
    return FALSE;
  (*p)++;
  return TRUE;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's civil algorithm). */
static gint64
days_from_civil (int year,
                 int month,
                 int day)
{
  gint64 y = year - (month <= 2);
  gint64 era = (y >= 0 ? y : y - 399) / 400;
  gint64 yoe = y - era * 400;
  gint64 doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  gint64 doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

  return era * 146097 + doe - 719468;
}

static gint32
offset_at_local (GTimeZone *zone,
                 gint64     local_seconds)
{
  gint64 t = local_seconds;
  int interval = g_time_zone_adjust_time (zone, G_TIME_TYPE_STANDARD, &t);

  return g_time_zone_get_offset (zone, interval);
}

void
pc_date_reader_init (PcDateReader *reader,
                     GTimeZone    *zone)
{
  g_return_if_fail (reader != NULL);
  g_return_if_fail (zone != NULL);

  memset (reader, 0, sizeof *reader);
  reader->zone = g_time_zone_ref (zone);
  for (guint i = 0; i < PC_DATE_READER_DAYS; i++)
    reader->days[i].day = G_MININT64;
}

void
pc_date_reader_clear (PcDateReader *reader)
{
  g_return_if_fail (reader != NULL);

  for (guint i = 0; i < reader->n_fixed; i++)
    g_time_zone_unref (reader->fixed[i].zone);
  reader->n_fixed = 0;
  g_clear_pointer (&reader->zone, g_time_zone_unref);
}

/* The reader's zone's offset all through local @day, remembered per day: %FALSE when the
 * day has two (the clocks change that day). */
static gboolean
day_offset (PcDateReader *reader,
            gint64        day,
            gint32       *offset)
{
  guint slot = (guint) (day & (PC_DATE_READER_DAYS - 1));

  if (reader->days[slot].day != day)
    {
      gint32 start = offset_at_local (reader->zone, day * 86400);
      gint32 end = offset_at_local (reader->zone, day * 86400 + 86399);

      reader->days[slot].day = day;
      reader->days[slot].offset = start;
      reader->days[slot].mixed = start != end;
    }

  *offset = reader->days[slot].offset;
  return !reader->days[slot].mixed;
}

/* The zone to build a local date of @day in: a fixed-offset zone when the whole day has
 * one offset, else the reader's zone itself (GLib resolves gaps and overlaps). */
static GTimeZone *
zone_for_day (PcDateReader *reader,
              gint64        day)
{
  gint32 offset;

  if (!day_offset (reader, day, &offset))
    return reader->zone;

  for (guint i = 0; i < reader->n_fixed; i++)
    if (reader->fixed[i].offset == offset)
      return reader->fixed[i].zone;

  if (reader->n_fixed == PC_DATE_READER_ZONES)
    return reader->zone;

  reader->fixed[reader->n_fixed].offset = offset;
  reader->fixed[reader->n_fixed].zone = g_time_zone_new_offset (offset);
  return reader->fixed[reader->n_fixed++].zone;
}

/* The zone a date's text names. */
typedef enum
{
  DATE_ZONE_READER,  /* none: the reader's zone */
  DATE_ZONE_UTC,     /* Z */
  DATE_ZONE_OFFSET,  /* ±HH:MM */
} DateZone;

/* A date's text, read and checked: its fields, and its offset when it names one. */
typedef struct
{
  int      year, month, day, hour, minute, second;
  int      micro;
  DateZone zone;
  gint32   offset;      /* seconds east of UTC, with DATE_ZONE_OFFSET */
} DateFields;

static gboolean
read_date_fields (const char  *text,
                  DateFields  *f,
                  const char **reason)
{
  const char *p = text;
  guint frac_digits = 0;

  memset (f, 0, sizeof *f);

  if (!read_digits (&p, 4, &f->year) || !expect_char (&p, '-') ||
      !read_digits (&p, 2, &f->month) || !expect_char (&p, '-') ||
      !read_digits (&p, 2, &f->day) || !expect_char (&p, 'T') ||
      !read_digits (&p, 2, &f->hour) || !expect_char (&p, ':') ||
      !read_digits (&p, 2, &f->minute) || !expect_char (&p, ':') ||
      !read_digits (&p, 2, &f->second))
    {
      *reason = "expected a date like 2025-06-14T21:30:00";
      return FALSE;
    }

  if (*p == '.')
    {
      int scale = 100000;

      p++;
      while (*p >= '0' && *p <= '9')
        {
          frac_digits++;
          if (frac_digits > 7)
            {
              *reason = "more than 7 fractional digits";
              return FALSE;
            }
          /* Microseconds: the seventh digit (100 ns) is below GDateTime's precision. */
          if (frac_digits <= 6)
            {
              f->micro += (*p - '0') * scale;
              scale /= 10;
            }
          p++;
        }
      if (frac_digits == 0)
        {
          *reason = "expected digits after the decimal point";
          return FALSE;
        }
    }

  if (*p == 'Z')
    {
      f->zone = DATE_ZONE_UTC;
      p++;
    }
  else if (*p == '+' || *p == '-')
    {
      int sign = *p == '-' ? -1 : 1;
      int off_h, off_m;

      p++;
      if (!read_digits (&p, 2, &off_h))
        {
          *reason = "bad time zone offset";
          return FALSE;
        }
      if (*p == ':')
        p++;
      if (!read_digits (&p, 2, &off_m) || off_h > 23 || off_m > 59)
        {
          *reason = "bad time zone offset";
          return FALSE;
        }
      f->zone = DATE_ZONE_OFFSET;
      f->offset = sign * (off_h * 3600 + off_m * 60);
    }

  if (*p != '\0')
    {
      *reason = "unexpected text after the date";
      return FALSE;
    }

  if (f->year < 1 || f->month < 1 || f->month > 12 || f->day < 1 ||
      f->day > g_date_get_days_in_month (f->month, f->year) ||
      f->hour > 23 || f->minute > 59 || f->second > 59)
    {
      *reason = "not a valid calendar date or time";
      return FALSE;
    }

  return TRUE;
}

static GDateTime *
date_time_from_fields (PcDateReader     *reader,
                       const DateFields *f,
                       const char      **reason)
{
  g_autoptr(GTimeZone) explicit_zone = NULL;
  GTimeZone *zone;
  GDateTime *dt;

  switch (f->zone)
    {
    case DATE_ZONE_UTC:
      zone = explicit_zone = g_time_zone_new_utc ();
      break;
    case DATE_ZONE_OFFSET:
      zone = explicit_zone = g_time_zone_new_offset (f->offset);
      break;
    case DATE_ZONE_READER:
    default:
      zone = zone_for_day (reader, days_from_civil (f->year, f->month, f->day));
      break;
    }

  /* GLib 2.74 rounds the fractional seconds to the exact microsecond (checked for every
   * microsecond value); one call, one allocation. */
  dt = g_date_time_new (zone, f->year, f->month, f->day, f->hour, f->minute,
                        f->second + f->micro / 1e6);
  if (dt == NULL)
    *reason = "not a valid calendar date or time";

  return dt;
}

GDateTime *
pc_date_reader_parse (PcDateReader  *reader,
                      const char    *text,
                      const char   **reason)
{
  DateFields f;

  g_return_val_if_fail (reader != NULL, NULL);
  g_return_val_if_fail (text != NULL, NULL);

  if (!read_date_fields (text, &f, reason))
    return NULL;

  return date_time_from_fields (reader, &f, reason);
}

/**
 * pc_date_reader_parse_usec:
 * @usec: (out): the date as Unix time in microseconds
 *
 * pc_date_reader_parse() without a #GDateTime: what a booking keeps. The same instant,
 * computed from the fields and the day's offset where the day has one offset (every day
 * but the two a year when the clocks change, and the first and last years GDateTime
 * holds, which go through GDateTime for its rules and its range).
 *
 * Returns: whether @text is a date; %FALSE with @reason set otherwise
 */
gboolean
pc_date_reader_parse_usec (PcDateReader  *reader,
                           const char    *text,
                           gint64        *usec,
                           const char   **reason)
{
  DateFields f;
  gint64 day;
  gint32 offset;
  g_autoptr(GDateTime) dt = NULL;

  g_return_val_if_fail (reader != NULL, FALSE);
  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (usec != NULL, FALSE);

  if (!read_date_fields (text, &f, reason))
    return FALSE;

  day = days_from_civil (f.year, f.month, f.day);
  if (f.year > 1 && f.year < 9999)
    {
      gboolean fixed = TRUE;

      if (f.zone == DATE_ZONE_READER)
        fixed = day_offset (reader, day, &offset);
      else
        offset = f.offset;  /* 0 for Z */

      if (fixed)
        {
          gint64 seconds = day * 86400 + f.hour * 3600 + f.minute * 60 + f.second - offset;

          *usec = seconds * G_USEC_PER_SEC + f.micro;
          return TRUE;
        }
    }

  dt = date_time_from_fields (reader, &f, reason);
  if (dt == NULL)
    return FALSE;
  *usec = g_date_time_to_unix_usec (dt);
  return TRUE;
}

GDateTime *
pc_datetime_parse (const char  *text,
                   GTimeZone   *default_zone,
                   const char **reason)
{
  PcDateReader reader;
  GDateTime *dt;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (default_zone != NULL, NULL);

  pc_date_reader_init (&reader, default_zone);
  dt = pc_date_reader_parse (&reader, text, reason);
  pc_date_reader_clear (&reader);

  return dt;
}

char *
pc_datetime_format (GDateTime *datetime,
                    GTimeZone *zone)
{
  g_autoptr(GDateTime) local = NULL;
  char buf[40];
  int micro;
  int len;

  g_return_val_if_fail (datetime != NULL, NULL);
  g_return_val_if_fail (zone != NULL, NULL);

  local = g_date_time_to_timezone (datetime, zone);
  len = g_snprintf (buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d",
                    g_date_time_get_year (local), g_date_time_get_month (local),
                    g_date_time_get_day_of_month (local), g_date_time_get_hour (local),
                    g_date_time_get_minute (local), g_date_time_get_second (local));
  micro = g_date_time_get_microsecond (local);
  if (micro != 0)
    {
      len += g_snprintf (buf + len, sizeof buf - len, ".%06d", micro);
      while (buf[len - 1] == '0')
        buf[--len] = '\0';
    }

  return g_strdup (buf);
}
