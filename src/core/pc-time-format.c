/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pc-time-format"

#include "config.h"

#include <glib/gi18n.h>

#include "pc-time-format.h"

static PcClockFormat clock_format = PC_CLOCK_FORMAT_24H;

/**
 * pc_clock_format_get:
 *
 * Returns: how this process writes times of day; 24-hour until told otherwise
 */
PcClockFormat
pc_clock_format_get (void)
{
  return g_atomic_int_get ((int *) &clock_format);
}

void
pc_clock_format_set (PcClockFormat format)
{
  g_return_if_fail (format == PC_CLOCK_FORMAT_24H || format == PC_CLOCK_FORMAT_12H);

  g_atomic_int_set ((int *) &clock_format, format);
}

/**
 * pc_clock_format_from_name:
 * @name: the desktop setting's value, "12h" or "24h"
 *
 * Returns: whether @name is one of the two
 */
gboolean
pc_clock_format_from_name (const char    *name,
                           PcClockFormat *format)
{
  if (g_strcmp0 (name, "12h") == 0)
    *format = PC_CLOCK_FORMAT_12H;
  else if (g_strcmp0 (name, "24h") == 0)
    *format = PC_CLOCK_FORMAT_24H;
  else
    return FALSE;

  return TRUE;
}

/**
 * pc_time_format_time:
 *
 * Returns: (nullable): the time of day, "21:30" or "9:30 PM"
 */
char *
pc_time_format_time (GDateTime *local)
{
  if (local == NULL)
    return NULL;

  if (pc_clock_format_get () == PC_CLOCK_FORMAT_12H)
    /* Translators: a time of day on a 12-hour clock, as in "9:30 PM"; see the
     * g_date_time_format() documentation for the conversions. */
    return g_date_time_format (local, _("%-l:%M %p"));

  /* Translators: a time of day on a 24-hour clock, as in "21:30" */
  return g_date_time_format (local, _("%H:%M"));
}

/**
 * pc_time_format_date_time:
 * @date_pattern: a g_date_time_format() pattern for the date alone, already translated
 *
 * Returns: (nullable): the date and the time of day in the clock format,
 *   e.g. "Sat 14 Jun 2025, 9:30 PM"
 */
char *
pc_time_format_date_time (GDateTime  *local,
                          const char *date_pattern)
{
  g_autofree char *date = NULL;
  g_autofree char *time = NULL;

  if (local == NULL)
    return NULL;

  date = g_date_time_format (local, date_pattern);
  time = pc_time_format_time (local);
  /* Translators: a date and a time of day, as in "Sat 14 Jun 2025, 21:30" */
  return g_strdup_printf (C_("date and time", "%s, %s"), date, time);
}
