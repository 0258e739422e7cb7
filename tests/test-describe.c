/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>

#include "pc-booking.h"
#include "pc-client.h"
#include "pc-describe.h"
#include "pc-time-format.h"
#include "test-utils.h"

/* The shared words for who a booking is from and when its session is. TZ=UTC in the
 * test environment: the local zone is UTC. */

/* Booking 4816020: 10 minutes for 15.00 credits on Saturday 14 June 2025 at 21:30 UTC. */
static PcBooking *
new_booking (const char *nickname,
             gboolean    with_session)
{
  g_autoptr(GDateTime) session = pc_test_utc (2025, 6, 14, 21, 30, 0);
  PcBooking *booking = pc_booking_new ();

  g_object_set (booking,
                "booking-id", (gint64) 4816020,
                "duration", 10,
                "credits", (gint64) 150000,
                "session-date", with_session ? session : NULL,
                NULL);
  g_object_set (pc_booking_get_client (booking), "nickname", nickname, NULL);
  return booking;
}

static void
test_client_nickname (void)
{
  g_autoptr(PcBooking) booking = new_booking ("shy_sam", TRUE);
  g_autofree char *who = pc_describe_client (booking);
  g_autofree char *name = pc_describe_client_name ("shy_sam", 4816020);

  g_assert_cmpstr (who, ==, "shy_sam");
  g_assert_cmpstr (name, ==, "shy_sam");
}

/* Nicknames are the client's own text, kept as they are: never markup. */
static void
test_client_plain_text (void)
{
  g_autoptr(PcBooking) booking = new_booking ("<b>sam</b> & co", TRUE);
  g_autofree char *who = pc_describe_client (booking);

  g_assert_cmpstr (who, ==, "<b>sam</b> & co");
}

static void
test_client_no_nickname (void)
{
  g_autoptr(PcBooking) none = new_booking (NULL, TRUE);
  g_autoptr(PcBooking) empty = new_booking ("", TRUE);
  g_autofree char *who_none = pc_describe_client (none);
  g_autofree char *who_empty = pc_describe_client (empty);
  g_autofree char *name = pc_describe_client_name (NULL, 42);

  g_assert_cmpstr (who_none, ==, "The client of booking 4816020");
  g_assert_cmpstr (who_empty, ==, "The client of booking 4816020");
  g_assert_cmpstr (name, ==, "The client of booking 42");
}

static void
test_session_24h (void)
{
  g_autoptr(PcBooking) booking = new_booking ("shy_sam", TRUE);
  g_autofree char *date_time = pc_describe_session (booking, PC_SESSION_FORM_DATE_TIME);
  g_autofree char *brief = pc_describe_session (booking, PC_SESSION_FORM_BRIEF);
  g_autofree char *summary = pc_describe_session (booking, PC_SESSION_FORM_SUMMARY);

  g_assert_cmpint (pc_clock_format_get (), ==, PC_CLOCK_FORMAT_24H);
  g_assert_cmpstr (date_time, ==, "Sat 14 Jun 2025, 21:30");
  g_assert_cmpstr (brief, ==, "Sat 14 Jun, 21:30");
  g_assert_cmpstr (summary, ==, "Sat 14 Jun 2025, 21:30 · 10 minutes · 15.00 credits");
}

/* On the desktop's 12-hour clock, every form of the session follows. */
static void
test_session_12h (void)
{
  g_autoptr(PcBooking) booking = new_booking ("shy_sam", TRUE);
  g_autofree char *date_time = NULL;
  g_autofree char *brief = NULL;
  g_autofree char *summary = NULL;

  pc_clock_format_set (PC_CLOCK_FORMAT_12H);
  date_time = pc_describe_session (booking, PC_SESSION_FORM_DATE_TIME);
  brief = pc_describe_session (booking, PC_SESSION_FORM_BRIEF);
  summary = pc_describe_session (booking, PC_SESSION_FORM_SUMMARY);
  pc_clock_format_set (PC_CLOCK_FORMAT_24H);

  g_assert_cmpstr (date_time, ==, "Sat 14 Jun 2025, 9:30 PM");
  g_assert_cmpstr (brief, ==, "Sat 14 Jun, 9:30 PM");
  g_assert_cmpstr (summary, ==, "Sat 14 Jun 2025, 9:30 PM · 10 minutes · 15.00 credits");
}

/* The session is shown in the local zone, whatever zone the booking's date is in. */
static void
test_session_local_zone (void)
{
  g_autoptr(PcBooking) booking = new_booking ("shy_sam", FALSE);
  g_autoptr(GTimeZone) london = g_time_zone_new_identifier ("Europe/London");
  g_autoptr(GDateTime) session = g_date_time_new (london, 2025, 6, 14, 21, 30, 0);
  g_autofree char *date_time = NULL;

  g_assert_nonnull (london);
  g_object_set (booking, "session-date", session, NULL);
  date_time = pc_describe_session (booking, PC_SESSION_FORM_DATE_TIME);

  /* 21:30 in London in summer (BST) is 20:30 UTC. */
  g_assert_cmpstr (date_time, ==, "Sat 14 Jun 2025, 20:30");
}

static void
test_session_no_date (void)
{
  g_autoptr(PcBooking) booking = new_booking ("shy_sam", FALSE);
  g_autofree char *date_time = pc_describe_session (booking, PC_SESSION_FORM_DATE_TIME);
  g_autofree char *brief = pc_describe_session (booking, PC_SESSION_FORM_BRIEF);
  g_autofree char *summary = pc_describe_session (booking, PC_SESSION_FORM_SUMMARY);

  g_assert_null (date_time);
  g_assert_null (brief);
  g_assert_cmpstr (summary, ==, "10 minutes · 15.00 credits");
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  pc_test_init_logging ();

  g_test_add_func ("/describe/client/nickname", test_client_nickname);
  g_test_add_func ("/describe/client/plain-text", test_client_plain_text);
  g_test_add_func ("/describe/client/no-nickname", test_client_no_nickname);
  g_test_add_func ("/describe/session/24h", test_session_24h);
  g_test_add_func ("/describe/session/12h", test_session_12h);
  g_test_add_func ("/describe/session/local-zone", test_session_local_zone);
  g_test_add_func ("/describe/session/no-date", test_session_no_date);

  return g_test_run ();
}
