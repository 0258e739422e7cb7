/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pc-format"

#include "config.h"

#include <glib/gi18n.h>

#include "pc-format.h"
#include "pc-time-format.h"
#include "pc-values.h"

static GDateTime *
to_local (GDateTime *date_time)
{
  return date_time != NULL ? g_date_time_to_local (date_time) : NULL;
}

/**
 * pc_format_date_time:
 *
 * Returns: (nullable): the date and time in the local zone, short form
 */
char *
pc_format_date_time (GDateTime *date_time)
{
  g_autoptr(GDateTime) local = to_local (date_time);

  /* Translators: a date as in "Sat 14 Jun 2025" (a time follows); see the
   * g_date_time_format() documentation for the conversions. */
  return pc_time_format_date_time (local, _("%a %-d %b %Y"));
}

/**
 * pc_format_date_time_brief:
 *
 * For notifications, which speak of sessions close to now: the year goes without saying.
 *
 * Returns: (nullable): the date without the year and the time in the local zone,
 *   "Sat 14 Jun, 21:30"
 */
char *
pc_format_date_time_brief (GDateTime *date_time)
{
  g_autoptr(GDateTime) local = to_local (date_time);

  /* Translators: a date without the year, as in "Sat 14 Jun" (a time follows); see the
   * g_date_time_format() documentation for the conversions. */
  return pc_time_format_date_time (local, _("%a %-d %b"));
}

/**
 * pc_format_date_time_full:
 *
 * Returns: (nullable): the date and time in the local zone with the zone's name, for
 *   tooltips and accessible descriptions
 */
char *
pc_format_date_time_full (GDateTime *date_time)
{
  g_autoptr(GDateTime) local = to_local (date_time);
  g_autofree char *date = NULL;
  g_autofree char *time = NULL;

  if (local == NULL)
    return NULL;

  /* Translators: a full date as in "Saturday 14 June 2025"; see the
   * g_date_time_format() documentation for the conversions. */
  date = g_date_time_format (local, _("%A %-d %B %Y"));
  time = pc_time_format_time (local);
  /* Translators: a full date, a time of day and the zone's abbreviation, as in
   * "Saturday 14 June 2025 at 21:30 BST" */
  return g_strdup_printf (_("%s at %s %s"), date, time, g_date_time_get_timezone_abbreviation (local));
}

/**
 * pc_format_time:
 *
 * Returns: (nullable): the time of day in the local zone, on the desktop's 12- or
 *   24-hour clock
 */
char *
pc_format_time (GDateTime *date_time)
{
  g_autoptr(GDateTime) local = to_local (date_time);

  return pc_time_format_time (local);
}

/**
 * pc_format_relative:
 * @date_time: (nullable): the moment
 * @now: the current time
 *
 * Returns: (nullable): "in 3 hours", "2 days ago", "just now"…
 */
char *
pc_format_relative (GDateTime *date_time,
                    GDateTime *now)
{
  GTimeSpan diff;
  gboolean future;
  guint64 seconds;
  guint64 n;

  if (date_time == NULL || now == NULL)
    return NULL;

  diff = g_date_time_difference (date_time, now);
  future = diff > 0;
  seconds = (guint64) ABS (diff) / G_USEC_PER_SEC;

  if (seconds < 60)
    return g_strdup (future ? _("in less than a minute") : _("just now"));

  if (seconds < 60 * 60)
    {
      n = seconds / 60;
      return g_strdup_printf (future ? ngettext ("in %u minute", "in %u minutes", n)
                                     : ngettext ("%u minute ago", "%u minutes ago", n),
                              (guint) n);
    }

  if (seconds < 24 * 60 * 60)
    {
      n = seconds / (60 * 60);
      return g_strdup_printf (future ? ngettext ("in %u hour", "in %u hours", n)
                                     : ngettext ("%u hour ago", "%u hours ago", n),
                              (guint) n);
    }

  if (seconds < 14 * 24 * 60 * 60)
    {
      n = seconds / (24 * 60 * 60);
      return g_strdup_printf (future ? ngettext ("in %u day", "in %u days", n)
                                     : ngettext ("%u day ago", "%u days ago", n),
                              (guint) n);
    }

  if (seconds < 60 * 24 * 60 * 60)
    {
      n = seconds / (7 * 24 * 60 * 60);
      return g_strdup_printf (future ? ngettext ("in %u week", "in %u weeks", n)
                                     : ngettext ("%u week ago", "%u weeks ago", n),
                              (guint) n);
    }

  if (seconds < 365 * 24 * 60 * 60)
    {
      n = seconds / (30 * 24 * 60 * 60);
      return g_strdup_printf (future ? ngettext ("in %u month", "in %u months", n)
                                     : ngettext ("%u month ago", "%u months ago", n),
                              (guint) n);
    }

  n = seconds / (365 * 24 * 60 * 60);
  return g_strdup_printf (future ? ngettext ("in %u year", "in %u years", n)
                                 : ngettext ("%u year ago", "%u years ago", n),
                          (guint) n);
}

/**
 * pc_format_countdown:
 * @remaining: the time left, in microseconds
 *
 * Returns: a ticking countdown such as "1 h 23 min 05 s"; seconds are dropped when a
 *   day or more is left. A negative span counts as zero.
 */
char *
pc_format_countdown (GTimeSpan remaining)
{
  guint64 seconds = remaining > 0 ? (guint64) remaining / G_USEC_PER_SEC : 0;
  guint days = seconds / (24 * 60 * 60);
  guint hours = (seconds / (60 * 60)) % 24;
  guint minutes = (seconds / 60) % 60;
  guint secs = seconds % 60;

  if (days > 0)
    /* Translators: a countdown: days, hours and minutes left */
    return g_strdup_printf (C_("countdown", "%u d %02u h %02u min"), days, hours, minutes);

  if (hours > 0)
    /* Translators: a countdown: hours, minutes and seconds left */
    return g_strdup_printf (C_("countdown", "%u h %02u min %02u s"), hours, minutes, secs);

  /* Translators: a countdown: minutes and seconds left */
  return g_strdup_printf (C_("countdown", "%u min %02u s"), minutes, secs);
}

char *
pc_format_duration (int minutes)
{
  return g_strdup_printf (ngettext ("%d minute", "%d minutes", minutes), minutes);
}

/**
 * pc_format_credits:
 * @credits: in 1/10000 credits
 *
 * Returns: the amount with the locale's decimal separator, e.g. "28.50 credits"
 */
char *
pc_format_credits (gint64 credits)
{
  g_autofree char *amount = pc_credits_format (credits, TRUE);

  /* Translators: %s is an amount of credits, e.g. "28.50" */
  return g_strdup_printf (_("%s credits"), amount);
}

/**
 * pc_format_amount:
 * @duration: in minutes
 * @credits: in 1/10000 credits
 *
 * Returns: the duration and price of a booking, "10 minutes · 15.00 credits"
 */
char *
pc_format_amount (int    duration,
                  gint64 credits)
{
  g_autofree char *minutes = pc_format_duration (duration);
  g_autofree char *amount = pc_format_credits (credits);

  /* Translators: the duration and price of a booking, e.g. "10 minutes · 15.00 credits" */
  return g_strdup_printf (_("%s · %s"), minutes, amount);
}

/**
 * pc_format_session_summary:
 * @session_date: (nullable): when the session is
 * @duration: in minutes
 * @credits: in 1/10000 credits
 *
 * Returns: the session's date and time, duration and price,
 *   "Sat 14 Jun 2025, 21:30 · 10 minutes · 15.00 credits", or only the duration and
 *   price without a date
 */
char *
pc_format_session_summary (GDateTime *session_date,
                           int        duration,
                           gint64     credits)
{
  g_autofree char *date = pc_format_date_time (session_date);
  g_autofree char *minutes = NULL;
  g_autofree char *amount = NULL;

  if (date == NULL)
    return pc_format_amount (duration, credits);

  minutes = pc_format_duration (duration);
  amount = pc_format_credits (credits);
  /* Translators: a session's date, duration and price, e.g.
   * "Sat 14 Jun 2025, 20:30 · 10 minutes · 15.00 credits" */
  return g_strdup_printf (_("%s · %s · %s"), date, minutes, amount);
}

/* The ActionCandidate texts the server is known to send. The server writes them in
 * English whatever the user's language; these are shown translated, any other text as
 * the server sent it. */
static const char *const known_next_steps[] = {
  /* Translators: what a booking asks of the performer next, as the server words it */
  N_("The session time has passed. You can re-invite the client."),
  N_("Accept or reject this booking before the accept-by time."),
  N_("Waiting for the client to confirm."),
  N_("Call the client at the session time."),
};

char *
pc_format_next_step (const char *action_candidate)
{
  if (action_candidate == NULL)
    return NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (known_next_steps); i++)
    if (g_str_equal (action_candidate, known_next_steps[i]))
      return g_strdup (_(known_next_steps[i]));

  return g_strdup (action_candidate);
}

char **
pc_status_css_classes (PcBookingStatus status)
{
  const char *name;
  char **classes;

  switch (status)
    {
    case PC_BOOKING_STATUS_PENDING: name = "pending"; break;
    case PC_BOOKING_STATUS_ACCEPTED: name = "accepted"; break;
    case PC_BOOKING_STATUS_REJECTED: name = "rejected"; break;
    case PC_BOOKING_STATUS_CONFIRMED: name = "confirmed"; break;
    case PC_BOOKING_STATUS_CANCELLED: name = "cancelled"; break;
    case PC_BOOKING_STATUS_UNKNOWN:
    default:
      name = "unknown";
      break;
    }

  classes = g_new0 (char *, 3);
  classes[0] = g_strdup ("status-badge");
  classes[1] = g_strdup (name);
  return classes;
}
