/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "pc-api.h"
#include "pc-booking.h"
#include "pc-client.h"
#include "pc-describe.h"
#include "pc-error.h"
#include "pc-time-format.h"
#include "test-utils.h"

/* The shared words for who a booking is from, its status, when its session is and what
 * went wrong.
 * TZ=UTC in the test environment: the local zone is UTC. */

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
test_status_known (void)
{
  g_autoptr(PcBooking) booking = new_booking ("shy_sam", TRUE);
  g_autofree char *pending = NULL;
  g_autofree char *rejected = NULL;

  g_object_set (booking, "status-text", "Pending", NULL);
  pending = pc_describe_status (booking);
  g_object_set (booking, "status-text", "Rejected", NULL);
  rejected = pc_describe_status (booking);

  g_assert_cmpstr (pending, ==, "Pending");
  g_assert_cmpstr (rejected, ==, "Rejected");
}

/* A status PhoneChat does not know reads as the server wrote it, rather than "Unknown". */
static void
test_status_unknown (void)
{
  g_autoptr(PcBooking) booking = new_booking ("shy_sam", TRUE);
  g_autofree char *status = NULL;

  g_object_set (booking, "status-text", "On hold", NULL);
  g_assert_cmpint (pc_booking_get_status (booking), ==, PC_BOOKING_STATUS_UNKNOWN);
  status = pc_describe_status (booking);

  g_assert_cmpstr (status, ==, "On hold");
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

/* Errors -------------------------------------------------------------------------------- */

/* An API error's own message, with markup-like text that must come through untouched. */
#define MESSAGE "Could not do it: the server said “<b>no</b> & HTTP 500”."

typedef struct
{
  PcApiError   code;
  const char  *name;
  PcErrorKind  kind;
  const char  *list_title;      /* PC_ERROR_TASK_LOAD_BOOKINGS */
  const char  *booking_title;   /* PC_ERROR_TASK_LOAD_BOOKING */
  const char  *reinvite_title;  /* PC_ERROR_TASK_REINVITE */
  const char  *action_title;    /* PC_ERROR_TASK_BOOKING_ACTION */
} ErrorCase;

/* One per PC_API_ERROR code, in the order of the enumeration. */
static const ErrorCase error_cases[] = {
  { PC_API_ERROR_CANNOT_CONNECT, "cannot-connect", PC_ERROR_KIND_OFFLINE,
    "Cannot Connect", "Cannot Connect", "Cannot Connect", "Cannot Connect" },
  { PC_API_ERROR_TIMED_OUT, "timed-out", PC_ERROR_KIND_OFFLINE,
    "No Answer", "No Answer", "No Answer", "No Answer" },
  { PC_API_ERROR_TLS, "tls", PC_ERROR_KIND_OFFLINE,
    "Insecure Connection", "Insecure Connection", "Insecure Connection", "Insecure Connection" },
  { PC_API_ERROR_UNAUTHORIZED, "unauthorized", PC_ERROR_KIND_AUTH,
    "Sign In Again", "Sign In Again", "Sign In Again", "Sign In Again" },
  { PC_API_ERROR_FORBIDDEN, "forbidden", PC_ERROR_KIND_AUTH,
    "Permission Missing", "Permission Missing", "Permission Missing", "Permission Missing" },
  { PC_API_ERROR_NOT_FOUND, "not-found", PC_ERROR_KIND_OTHER,
    "Could Not Load Bookings", "Could Not Load Booking", "Booking Changed", "Not Available" },
  { PC_API_ERROR_REJECTED, "rejected", PC_ERROR_KIND_OTHER,
    "Could Not Load Bookings", "Could Not Load Booking", "Booking Changed", "Request Refused" },
  { PC_API_ERROR_RATE_LIMITED, "rate-limited", PC_ERROR_KIND_OTHER,
    "Could Not Load Bookings", "Could Not Load Booking", "Too Many Requests", "Too Many Requests" },
  { PC_API_ERROR_SERVER, "server", PC_ERROR_KIND_OTHER,
    "Could Not Load Bookings", "Could Not Load Booking", "Server Problem", "Server Problem" },
  { PC_API_ERROR_HTTP, "http", PC_ERROR_KIND_OTHER,
    "Could Not Load Bookings", "Could Not Load Booking", "Unexpected Answer", "Unexpected Answer" },
  { PC_API_ERROR_NOT_JSON, "not-json", PC_ERROR_KIND_OTHER,
    "Could Not Load Bookings", "Could Not Load Booking", "Unexpected Answer", "Unexpected Answer" },
  { PC_API_ERROR_MALFORMED, "malformed", PC_ERROR_KIND_OTHER,
    "Could Not Load Bookings", "Could Not Load Booking", "Unexpected Answer", "Unexpected Answer" },
  { PC_API_ERROR_TOO_LARGE, "too-large", PC_ERROR_KIND_OTHER,
    "Could Not Load Bookings", "Could Not Load Booking", "Unexpected Answer", "Unexpected Answer" },
  { PC_API_ERROR_INSECURE, "insecure", PC_ERROR_KIND_OTHER,
    "Could Not Load Bookings", "Could Not Load Booking", "Insecure Connection", "Insecure Connection" },
  { PC_API_ERROR_NO_TOKEN, "no-token", PC_ERROR_KIND_AUTH,
    "Sign In Required", "Sign In Required", "Sign In Required", "Sign In Required" },
  { PC_API_ERROR_OUTCOME_UNKNOWN, "outcome-unknown", PC_ERROR_KIND_OTHER,
    "Could Not Load Bookings", "Could Not Load Booking", "Outcome Unknown", "Outcome Unknown" },
};

G_STATIC_ASSERT (G_N_ELEMENTS (error_cases) == PC_API_ERROR_OUTCOME_UNKNOWN + 1);

/* Every code, for every task: a heading, a sentence of its own, the error's message as
 * the details, and both on one line for notifications and the terminal. */
static void
test_error_code (gconstpointer data)
{
  const ErrorCase *c = data;
  const struct
  {
    PcErrorTask  task;
    const char  *title;
  } tasks[] = {
    { PC_ERROR_TASK_LOAD_BOOKINGS, c->list_title },
    { PC_ERROR_TASK_LOAD_BOOKING, c->booking_title },
    { PC_ERROR_TASK_REINVITE, c->reinvite_title },
    { PC_ERROR_TASK_BOOKING_ACTION, c->action_title },
  };
  g_autoptr(GError) error = g_error_new_literal (PC_API_ERROR, c->code, MESSAGE);

  g_assert_cmpint (c->code, ==, c - error_cases);

  for (guint i = 0; i < G_N_ELEMENTS (tasks); i++)
    {
      g_autofree char *title = NULL;
      g_autofree char *sentence = NULL;
      g_autofree char *details = NULL;
      g_autofree char *line = NULL;
      g_autofree char *expected_line = NULL;
      PcErrorKind kind;

      pc_error_describe (error, tasks[i].task, &kind, &title, &sentence);
      g_assert_cmpint (kind, ==, c->kind);
      g_assert_cmpstr (title, ==, tasks[i].title);
      g_assert_nonnull (sentence);
      g_assert_true (g_str_has_suffix (sentence, "."));
      g_assert_null (strstr (sentence, MESSAGE));

      /* The details are the error's own words, untouched (plain text, no markup). */
      details = pc_error_dup_details (error, sentence);
      g_assert_cmpstr (details, ==, MESSAGE);

      line = pc_error_dup_line (error, tasks[i].task);
      expected_line = g_strdup_printf ("%s (%s)", sentence, MESSAGE);
      g_assert_cmpstr (line, ==, expected_line);
    }
}

/* The sentences the window and the dialogs show, word for word. */
static void
test_error_sentences (void)
{
  const struct
  {
    PcApiError   code;
    PcErrorTask  task;
    const char  *sentence;
  } cases[] = {
    { PC_API_ERROR_CANNOT_CONNECT, PC_ERROR_TASK_LOAD_BOOKINGS,
      "PhoneChat cannot reach the server. Check your internet connection, then try again." },
    { PC_API_ERROR_SERVER, PC_ERROR_TASK_LOAD_BOOKINGS,
      "The server had a problem. Try again later." },
    { PC_API_ERROR_CANNOT_CONNECT, PC_ERROR_TASK_REINVITE,
      "PhoneChat cannot reach the server, so the client was not re-invited. Check your "
      "internet connection, then try again." },
    { PC_API_ERROR_SERVER, PC_ERROR_TASK_REINVITE,
      "The server had a problem with the re-invite. Try again later." },
    { PC_API_ERROR_REJECTED, PC_ERROR_TASK_REINVITE,
      "The booking has changed on the server and was not re-invited. Refresh the bookings "
      "to see its current state." },
    { PC_API_ERROR_NOT_FOUND, PC_ERROR_TASK_LOAD_BOOKING,
      "The server does not know this booking. Check the booking’s number." },
    { PC_API_ERROR_NOT_FOUND, PC_ERROR_TASK_LOAD_BOOKINGS,
      "The server refused the request. Try again later." },
    { PC_API_ERROR_OUTCOME_UNKNOWN, PC_ERROR_TASK_BOOKING_ACTION,
      "It is not known yet whether the server carried out the request: it may still do it. "
      "Look at the booking again before trying again." },
    { PC_API_ERROR_SERVER, PC_ERROR_TASK_BOOKING_ACTION,
      "The server had a problem, and the booking was not changed. Try again later." },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = g_error_new_literal (PC_API_ERROR, cases[i].code, MESSAGE);
      g_autofree char *sentence = NULL;

      pc_error_describe (error, cases[i].task, NULL, NULL, &sentence);
      g_assert_cmpstr (sentence, ==, cases[i].sentence);
    }
}

/* An error from elsewhere (not the API) still reads as a sentence. */
static void
test_error_other_domain (void)
{
  g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, MESSAGE);
  g_autofree char *title = NULL;
  g_autofree char *sentence = NULL;
  g_autofree char *line = NULL;
  PcErrorKind kind;

  pc_error_describe (error, PC_ERROR_TASK_REINVITE, &kind, &title, &sentence);
  g_assert_cmpint (kind, ==, PC_ERROR_KIND_OTHER);
  g_assert_cmpstr (title, ==, "Could Not Re-invite");
  g_assert_cmpstr (sentence, ==, "Could not re-invite. Try again.");

  line = pc_error_dup_line (error, PC_ERROR_TASK_LOAD_BOOKING);
  g_assert_cmpstr (line, ==, "Something went wrong while loading the booking. Try again. ("
                             MESSAGE ")");
}

/* A cancellation has a sentence but no details. */
static void
test_error_cancelled (void)
{
  g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                 "Operation was cancelled");
  const struct
  {
    PcErrorTask  task;
    const char  *sentence;
  } cases[] = {
    { PC_ERROR_TASK_LOAD_BOOKINGS, "Loading the bookings was cancelled." },
    { PC_ERROR_TASK_LOAD_BOOKING, "Loading the booking was cancelled." },
    { PC_ERROR_TASK_REINVITE, "The re-invite was cancelled." },
    { PC_ERROR_TASK_BOOKING_ACTION, "The request was cancelled." },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *title = NULL;
      g_autofree char *sentence = NULL;
      g_autofree char *details = NULL;
      g_autofree char *line = NULL;
      PcErrorKind kind;

      pc_error_describe (error, cases[i].task, &kind, &title, &sentence);
      g_assert_cmpint (kind, ==, PC_ERROR_KIND_CANCELLED);
      g_assert_cmpstr (title, ==, "Cancelled");
      g_assert_cmpstr (sentence, ==, cases[i].sentence);

      details = pc_error_dup_details (error, sentence);
      g_assert_null (details);
      line = pc_error_dup_line (error, cases[i].task);
      g_assert_cmpstr (line, ==, cases[i].sentence);
    }
}

/* Never the same text twice, and one line even when the server's message has several. */
static void
test_error_line (void)
{
  g_autoptr(GError) same = g_error_new_literal (PC_API_ERROR, PC_API_ERROR_SERVER,
                                                "The server had a problem. Try again later.");
  g_autoptr(GError) lines = g_error_new_literal (PC_API_ERROR, PC_API_ERROR_SERVER,
                                                 "  Could not load your bookings: the server "
                                                 "said:\r\nDown for\nmaintenance.\n");
  g_autofree char *details = pc_error_dup_details (same, "The server had a problem. Try "
                                                         "again later.");
  g_autofree char *same_line = pc_error_dup_line (same, PC_ERROR_TASK_LOAD_BOOKINGS);
  g_autofree char *one_line = pc_error_dup_line (lines, PC_ERROR_TASK_LOAD_BOOKINGS);

  g_assert_null (details);
  g_assert_cmpstr (same_line, ==, "The server had a problem. Try again later.");
  g_assert_cmpstr (one_line, ==, "The server had a problem. Try again later. (Could not load "
                                 "your bookings: the server said:  Down for maintenance.)");
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
  g_test_add_func ("/describe/status/known", test_status_known);
  g_test_add_func ("/describe/status/unknown", test_status_unknown);
  g_test_add_func ("/describe/session/24h", test_session_24h);
  g_test_add_func ("/describe/session/12h", test_session_12h);
  g_test_add_func ("/describe/session/local-zone", test_session_local_zone);
  g_test_add_func ("/describe/session/no-date", test_session_no_date);

  for (guint i = 0; i < G_N_ELEMENTS (error_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/describe/error/%s", error_cases[i].name);

      g_test_add_data_func (path, &error_cases[i], test_error_code);
    }
  g_test_add_func ("/describe/error/sentences", test_error_sentences);
  g_test_add_func ("/describe/error/other-domain", test_error_other_domain);
  g_test_add_func ("/describe/error/cancelled", test_error_cancelled);
  g_test_add_func ("/describe/error/line", test_error_line);

  return g_test_run ();
}
