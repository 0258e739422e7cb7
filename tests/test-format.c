/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>

#include "pc-format.h"
#include "pc-time-format.h"
#include "test-utils.h"

static void
test_relative (void)
{
  g_autoptr(GDateTime) now = pc_test_utc (2025, 6, 15, 12, 0, 0);
  static const struct {
    double      seconds;
    const char *expected;
  } cases[] = {
    { 0, "just now" },
    { -59, "just now" },
    { 30, "in less than a minute" },
    { 60, "in 1 minute" },
    { -150, "2 minutes ago" },
    { 3 * 3600 + 59, "in 3 hours" },
    { -17 * 3600, "17 hours ago" },
    { 2 * 86400 + 10, "in 2 days" },
    { -86400, "1 day ago" },
    { 20 * 86400, "in 2 weeks" },
    { -90 * 86400, "3 months ago" },
    { 800 * 86400, "in 2 years" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GDateTime) when = g_date_time_add_seconds (now, cases[i].seconds);
      g_autofree char *text = pc_format_relative (when, now);

      g_assert_cmpstr (text, ==, cases[i].expected);
    }

  g_assert_null (pc_format_relative (NULL, now));
}

static void
test_countdown (void)
{
  static const struct {
    gint64      seconds;
    const char *expected;
  } cases[] = {
    { -5, "0 min 00 s" },
    { 0, "0 min 00 s" },
    { 65, "1 min 05 s" },
    { 3600 + 23 * 60 + 5, "1 h 23 min 05 s" },
    { 2 * 86400 + 3 * 3600 + 4 * 60 + 59, "2 d 03 h 04 min" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = pc_format_countdown (cases[i].seconds * G_USEC_PER_SEC);

      g_assert_cmpstr (text, ==, cases[i].expected);
    }
}

static void
test_dates (void)
{
  g_autoptr(GDateTime) when = pc_test_utc (2025, 6, 14, 20, 30, 0);
  g_autofree char *short_form = pc_format_date_time (when);
  g_autofree char *brief = pc_format_date_time_brief (when);
  g_autofree char *full = pc_format_date_time_full (when);
  g_autofree char *time = pc_format_time (when);

  /* TZ=UTC in the test environment: the local zone is UTC. */
  g_assert_cmpstr (short_form, ==, "Sat 14 Jun 2025, 20:30");
  g_assert_cmpstr (brief, ==, "Sat 14 Jun, 20:30");
  g_assert_cmpstr (full, ==, "Saturday 14 June 2025 at 20:30 UTC");
  g_assert_cmpstr (time, ==, "20:30");
  g_assert_null (pc_format_date_time (NULL));
  g_assert_null (pc_format_date_time_brief (NULL));
}

/* On the desktop's 12-hour clock, every time PhoneChat writes follows. */
static void
test_dates_12h (void)
{
  g_autoptr(GDateTime) evening = pc_test_utc (2025, 6, 14, 20, 30, 0);
  g_autoptr(GDateTime) morning = pc_test_utc (2025, 6, 14, 0, 5, 0);
  g_autofree char *short_form = NULL;
  g_autofree char *brief = NULL;
  g_autofree char *full = NULL;
  g_autofree char *time = NULL;
  g_autofree char *midnight = NULL;

  pc_clock_format_set (PC_CLOCK_FORMAT_12H);
  short_form = pc_format_date_time (evening);
  brief = pc_format_date_time_brief (evening);
  full = pc_format_date_time_full (evening);
  time = pc_format_time (evening);
  midnight = pc_format_time (morning);
  pc_clock_format_set (PC_CLOCK_FORMAT_24H);

  g_assert_cmpstr (short_form, ==, "Sat 14 Jun 2025, 8:30 PM");
  g_assert_cmpstr (brief, ==, "Sat 14 Jun, 8:30 PM");
  g_assert_cmpstr (full, ==, "Saturday 14 June 2025 at 8:30 PM UTC");
  g_assert_cmpstr (time, ==, "8:30 PM");
  g_assert_cmpstr (midnight, ==, "12:05 AM");
}

static void
test_amounts (void)
{
  g_autofree char *one = pc_format_duration (1);
  g_autofree char *ten = pc_format_duration (10);
  g_autofree char *credits = pc_format_credits (285000);
  g_autofree char *fraction = pc_format_credits (152525);
  g_autofree char *amount = pc_format_amount (10, 150000);
  g_auto(GStrv) classes = pc_status_css_classes (PC_BOOKING_STATUS_PENDING);

  g_assert_cmpstr (one, ==, "1 minute");
  g_assert_cmpstr (ten, ==, "10 minutes");
  g_assert_cmpstr (credits, ==, "28.50 credits");
  g_assert_cmpstr (fraction, ==, "15.2525 credits");
  g_assert_cmpstr (amount, ==, "10 minutes · 15.00 credits");
  g_assert_cmpuint (g_strv_length (classes), ==, 2);
  g_assert_cmpstr (classes[0], ==, "status-badge");
  g_assert_cmpstr (classes[1], ==, "pending");
}

/* Known texts come back through gettext (the same words without a catalogue), anything
 * else exactly as the server sent it, so that nothing is lost. */
static void
test_next_step (void)
{
  g_autofree char *known = NULL;
  g_autofree char *unknown = NULL;

  g_assert_null (pc_format_next_step (NULL));

  known = pc_format_next_step ("Waiting for the client to confirm.");
  g_assert_cmpstr (known, ==, "Waiting for the client to confirm.");

  unknown = pc_format_next_step ("Ring me <b>now</b> & then");
  g_assert_cmpstr (unknown, ==, "Ring me <b>now</b> & then");
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  pc_test_init_logging ();

  g_test_add_func ("/format/relative", test_relative);
  g_test_add_func ("/format/countdown", test_countdown);
  g_test_add_func ("/format/dates", test_dates);
  g_test_add_func ("/format/dates/12h", test_dates_12h);
  g_test_add_func ("/format/amounts", test_amounts);
  g_test_add_func ("/format/next-step", test_next_step);

  return g_test_run ();
}
