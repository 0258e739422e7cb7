/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "pc-booking.h"
#include "pc-client.h"
#include "pc-clock.h"
#include "pc-enums.h"
#include "pc-json.h"
#include "test-utils.h"

/* received-booking.json: Pending, SessionDate 2025-06-14T21:30:00 London = 20:30:00Z. */
static PcBooking *
load_pending (PcClock *clock)
{
  g_autoptr(GBytes) bytes = pc_test_load_data ("received-booking.json");
  g_autoptr(GError) error = NULL;
  PcBooking *booking = pc_json_booking_from_bytes (bytes, NULL, &error);

  g_assert_no_error (error);
  pc_booking_set_clock (booking, clock);
  return booking;
}

static void
check_can_reinvite_at (double   seconds_after_session,
                       gboolean expected)
{
  g_autoptr(GDateTime) session = pc_test_utc (2025, 6, 14, 20, 30, 0);
  g_autoptr(GDateTime) now = g_date_time_add_seconds (session, seconds_after_session);
  g_autoptr(PcClock) clock = pc_clock_new_fixed (now);
  g_autoptr(PcBooking) b = load_pending (clock);
  gboolean prop = FALSE;

  g_object_get (b, "can-reinvite", &prop, NULL);
  g_assert_cmpint (prop, ==, expected);
  g_assert_cmpint (pc_booking_get_can_reinvite (b), ==, expected);

  if (expected)
    {
      g_assert_cmpint (pc_booking_get_reinvite_blocker (b), ==, PC_REINVITE_BLOCKER_NONE);
      g_assert_null (pc_booking_get_reinvite_blocker_text (b));
      g_assert_null (pc_test_booking_date (b, "reinvite-available-at"));
    }
  else
    {
      g_assert_cmpint (pc_booking_get_reinvite_blocker (b), ==, PC_REINVITE_BLOCKER_SESSION_AHEAD);
      g_assert_nonnull (pc_booking_get_reinvite_blocker_text (b));
      g_assert_true (g_date_time_equal (pc_test_booking_date (b, "reinvite-available-at"), session));
    }
}

static void
test_can_reinvite_before (void)
{
  check_can_reinvite_at (-1, FALSE);
  check_can_reinvite_at (-3600 * 24, FALSE);
}

static void
test_can_reinvite_at (void)
{
  /* "SessionDate cannot be in the future": at the very second it is not. */
  check_can_reinvite_at (0, TRUE);
}

static void
test_can_reinvite_after (void)
{
  check_can_reinvite_at (1, TRUE);
  check_can_reinvite_at (3600 * 24 * 365, TRUE);
}

/* The session time is judged in the API's zone: 21:30 London is 20:30Z in June, so at
 * 20:45Z it has passed, while 21:30 read as UTC would still be ahead. */
static void
test_can_reinvite_api_zone (void)
{
  g_autoptr(GDateTime) now = pc_test_utc (2025, 6, 14, 20, 45, 0);
  g_autoptr(PcClock) clock = pc_clock_new_fixed (now);
  g_autoptr(GBytes) bytes = pc_test_load_data ("received-booking.json");
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PcBooking) london = pc_json_booking_from_bytes (bytes, NULL, &error);
  g_autoptr(PcBooking) as_utc = pc_json_booking_from_bytes (bytes, utc, &error);

  g_assert_no_error (error);
  pc_booking_set_clock (london, clock);
  pc_booking_set_clock (as_utc, clock);
  g_assert_true (pc_booking_get_can_reinvite (london));
  g_assert_false (pc_booking_get_can_reinvite (as_utc));
}

static void
test_can_reinvite_not_pending (void)
{
  static const struct { const char *status; PcBookingStatus value; } cases[] = {
    { "Accepted", PC_BOOKING_STATUS_ACCEPTED },
    { "Rejected", PC_BOOKING_STATUS_REJECTED },
    { "Confirmed", PC_BOOKING_STATUS_CONFIRMED },
    { "Cancelled", PC_BOOKING_STATUS_CANCELLED },
    { "Withdrawn", PC_BOOKING_STATUS_UNKNOWN },
  };
  g_autoptr(GDateTime) now = pc_test_utc (2026, 1, 1, 0, 0, 0);
  g_autoptr(PcClock) clock = pc_clock_new_fixed (now);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(PcBooking) b = load_pending (clock);

      g_object_set (b, "status-text", cases[i].status, NULL);
      g_assert_cmpint (pc_booking_get_status (b), ==, cases[i].value);
      g_assert_false (pc_booking_get_can_reinvite (b));
      g_assert_cmpint (pc_booking_get_reinvite_blocker (b), ==, PC_REINVITE_BLOCKER_NOT_PENDING);
      g_assert_nonnull (pc_booking_get_reinvite_blocker_text (b));
      g_assert_null (pc_test_booking_date (b, "reinvite-available-at"));
      g_assert_true (pc_booking_get_is_expired (b));
    }
}

/* Status is kept as the server wrote it: the API's own words, another case of them, or a
 * status it does not document (which reads as unknown and is written back as it came). */
static void
test_status_text_as_written (void)
{
  g_autoptr(PcBooking) b = load_pending (NULL);
  g_autoptr(PcBooking) copy = NULL;
  g_autoptr(PcBooking) parsed = NULL;
  g_autoptr(PcNotifyCounter) counter = pc_notify_counter_new (G_OBJECT (b));
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  g_object_set (b, "status-text", "accepted", NULL);
  g_assert_cmpstr (pc_booking_get_status_text (b), ==, "accepted");
  g_assert_cmpint (pc_booking_get_status (b), ==, PC_BOOKING_STATUS_ACCEPTED);

  g_object_set (b, "status-text", "OnHold", NULL);
  g_assert_cmpstr (pc_booking_get_status_text (b), ==, "OnHold");
  g_assert_cmpint (pc_booking_get_status (b), ==, PC_BOOKING_STATUS_UNKNOWN);
  g_assert_cmpuint (pc_notify_counter_get (counter, "status-text"), ==, 2);
  g_assert_cmpuint (pc_notify_counter_get (counter, "status"), ==, 2);

  /* The same text again is no change. */
  g_object_set (b, "status-text", "OnHold", NULL);
  g_assert_cmpuint (pc_notify_counter_get (counter, "status-text"), ==, 2);

  /* Written back and read again as it came; a copy has it too. */
  node = pc_json_booking_to_node (b, NULL);
  text = pc_json_node_to_string (node, FALSE);
  g_assert_nonnull (strstr (text, "\"Status\":\"OnHold\""));
  parsed = pc_json_booking_from_node (node, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pc_booking_get_status_text (parsed), ==, "OnHold");
  g_assert_true (pc_booking_equal (parsed, b));
  copy = pc_booking_copy (b);
  g_assert_cmpstr (pc_booking_get_status_text (copy), ==, "OnHold");
  g_assert_true (pc_booking_equal (copy, b));

  /* Back to one of the API's words: the other text is gone. */
  g_object_set (b, "status-text", "Rejected", NULL);
  g_assert_cmpstr (pc_booking_get_status_text (b), ==, "Rejected");
  g_assert_cmpint (pc_booking_get_status (b), ==, PC_BOOKING_STATUS_REJECTED);
  g_assert_false (pc_booking_equal (copy, b));
  g_assert_cmpstr (pc_booking_get_status_text (copy), ==, "OnHold");
  pc_booking_update_from (copy, b);
  g_assert_cmpstr (pc_booking_get_status_text (copy), ==, "Rejected");
  g_assert_true (pc_booking_equal (copy, b));
}

/* A re-invite whose answer was lost blocks another, whatever the time, until cleared;
 * a newer server copy (which never has it) leaves it alone. */
static void
test_can_reinvite_outcome_unknown (void)
{
  g_autoptr(GDateTime) now = pc_test_utc (2026, 1, 1, 0, 0, 0);
  g_autoptr(PcClock) clock = pc_clock_new_fixed (now);
  g_autoptr(PcBooking) b = load_pending (clock);
  g_autoptr(PcBooking) fresh = load_pending (clock);
  g_autoptr(PcNotifyCounter) counter = NULL;
  gboolean prop = FALSE;

  g_assert_true (pc_booking_get_can_reinvite (b));
  g_assert_false (pc_booking_get_outcome_unknown (b));
  counter = pc_notify_counter_new (G_OBJECT (b));

  pc_booking_set_outcome_unknown (b, TRUE);
  g_object_get (b, "outcome-unknown", &prop, NULL);
  g_assert_true (prop);
  g_assert_false (pc_booking_get_can_reinvite (b));
  g_assert_cmpint (pc_booking_get_reinvite_blocker (b), ==, PC_REINVITE_BLOCKER_OUTCOME_UNKNOWN);
  g_assert_cmpstr (pc_booking_get_reinvite_blocker_text (b), ==,
                   "The outcome of the last re-invite is not known yet: the server may still "
                   "carry it out. PhoneChat is waiting for the booking to show what happened.");
  g_assert_null (pc_test_booking_date (b, "reinvite-available-at"));
  g_assert_cmpuint (pc_notify_counter_get (counter, "outcome-unknown"), ==, 1);
  g_assert_cmpuint (pc_notify_counter_get (counter, "can-reinvite"), ==, 1);
  g_assert_cmpuint (pc_notify_counter_get (counter, "reinvite-blocker-text"), ==, 1);

  /* Not an API member: a server copy does not clear it, a copy keeps it. */
  g_object_set (fresh, "comments", "changed", NULL);
  pc_booking_update_from (b, fresh);
  g_assert_true (pc_booking_get_outcome_unknown (b));
  g_assert_true (pc_booking_equal (b, fresh));
  {
    g_autoptr(PcBooking) copy = pc_booking_copy (b);

    g_assert_true (pc_booking_get_outcome_unknown (copy));
    g_assert_false (pc_booking_get_can_reinvite (copy));
  }

  /* A final state's own reason comes first. */
  g_object_set (b, "status-text", "Rejected", NULL);
  g_assert_cmpint (pc_booking_get_reinvite_blocker (b), ==, PC_REINVITE_BLOCKER_NOT_PENDING);
  g_object_set (b, "status-text", "Pending", NULL);

  pc_notify_counter_reset (counter);
  g_object_set (b, "outcome-unknown", FALSE, NULL);
  g_assert_true (pc_booking_get_can_reinvite (b));
  g_assert_null (pc_booking_get_reinvite_blocker_text (b));
  g_assert_cmpuint (pc_notify_counter_get (counter, "can-reinvite"), ==, 1);
}

/* Moving the clock across the session time flips can-reinvite once, with notify. */
static void
test_can_reinvite_clock_moves (void)
{
  g_autoptr(GDateTime) before = pc_test_utc (2025, 6, 14, 20, 29, 0);
  g_autoptr(GDateTime) after = pc_test_utc (2025, 6, 14, 20, 31, 0);
  g_autoptr(PcClock) clock = pc_clock_new_fixed (before);
  g_autoptr(PcBooking) b = load_pending (clock);
  g_autoptr(PcNotifyCounter) counter = pc_notify_counter_new (b);

  g_assert_false (pc_booking_get_can_reinvite (b));
  pc_clock_set_now (clock, after);
  g_assert_true (pc_booking_refresh_time (b, NULL));
  g_assert_true (pc_booking_get_can_reinvite (b));
  g_assert_cmpuint (pc_notify_counter_get (counter, "can-reinvite"), ==, 1);
  g_assert_cmpuint (pc_notify_counter_get (counter, "reinvite-blocker"), ==, 1);
  g_assert_cmpuint (pc_notify_counter_get (counter, "reinvite-available-at"), ==, 1);
  g_assert_cmpuint (pc_notify_counter_get (counter, "is-expired"), ==, 1);
  g_assert_cmpuint (pc_notify_counter_get (counter, "status"), ==, 0);

  /* Nothing changes a second time. */
  pc_notify_counter_reset (counter);
  g_assert_false (pc_booking_refresh_time (b, NULL));
  g_assert_cmpuint (pc_notify_counter_total (counter), ==, 0);
}

/* Derived texts and dates notify whenever the value they return changes, even when the
 * blocker itself stays the same. */
static void
test_derived_notify_follows_value (void)
{
  g_autoptr(GDateTime) now = pc_test_utc (2025, 6, 1, 0, 0, 0);
  g_autoptr(PcClock) clock = pc_clock_new_fixed (now);
  g_autoptr(PcBooking) b = load_pending (clock);
  g_autoptr(PcNotifyCounter) counter = pc_notify_counter_new (b);
  g_autoptr(GDateTime) later = pc_test_utc (2025, 7, 1, 20, 0, 0);
  g_autofree char *accepted_text = NULL;

  /* Pending, session ahead: moving the session moves available-at. */
  g_assert_cmpint (pc_booking_get_reinvite_blocker (b), ==, PC_REINVITE_BLOCKER_SESSION_AHEAD);
  g_object_set (b, "session-date", later, NULL);
  g_assert_cmpuint (pc_notify_counter_get (counter, "reinvite-available-at"), ==, 1);
  g_assert_true (g_date_time_equal (pc_test_booking_date (b, "reinvite-available-at"), later));
  g_assert_cmpuint (pc_notify_counter_get (counter, "reinvite-blocker"), ==, 0);

  /* Accepted → Cancelled: the blocker stays NOT_PENDING, its text changes. */
  g_object_set (b, "status-text", "Accepted", NULL);
  accepted_text = g_strdup (pc_booking_get_reinvite_blocker_text (b));
  pc_notify_counter_reset (counter);
  g_object_set (b, "status-text", "Cancelled", NULL);
  g_assert_cmpuint (pc_notify_counter_get (counter, "reinvite-blocker"), ==, 0);
  g_assert_cmpuint (pc_notify_counter_get (counter, "reinvite-blocker-text"), ==, 1);
  g_assert_cmpstr (pc_booking_get_reinvite_blocker_text (b), !=, accepted_text);
  g_assert_cmpuint (pc_notify_counter_get (counter, "reinvite-available-at"), ==, 0);
}

/* Accept, reject, cancel and delete: every status at every time that matters.
 * received-booking.json has AcceptBy 20:00 and SessionDate 21:30 London, 19:00Z and
 * 20:30Z on 14 June 2025. */

typedef enum
{
  BEFORE_ACCEPT_BY,
  AT_ACCEPT_BY,
  BETWEEN,
  AT_SESSION,
  AFTER_SESSION,
  N_TIMES
} ActionTime;

static GDateTime *
action_time_new (ActionTime t)
{
  static const int hms[N_TIMES][3] = {
    [BEFORE_ACCEPT_BY] = { 18, 59, 59 },
    [AT_ACCEPT_BY] = { 19, 0, 0 },
    [BETWEEN] = { 20, 0, 0 },
    [AT_SESSION] = { 20, 30, 0 },
    [AFTER_SESSION] = { 20, 30, 1 },
  };

  return pc_test_utc (2025, 6, 14, hms[t][0], hms[t][1], hms[t][2]);
}

static const char * const action_props[PC_BOOKING_N_ACTIONS] = {
  "accept", "reject", "cancel", "delete",
};

/* Checks one action on @b against @expected through every way of reading it. */
static void
assert_action (PcBooking       *b,
               PcBookingAction  action,
               gboolean         expected,
               const char      *context)
{
  g_autofree char *can_name = g_strconcat ("can-", action_props[action], NULL);
  g_autofree char *text_name = g_strconcat (action_props[action], "-blocker-text", NULL);
  g_autofree char *text = NULL;
  gboolean can = !expected;
  gboolean (*getters[]) (PcBooking *) = {
    pc_booking_get_can_accept, pc_booking_get_can_reject,
    pc_booking_get_can_cancel, pc_booking_get_can_delete,
  };

  g_object_get (b, can_name, &can, text_name, &text, NULL);
  if (can != expected)
    g_error ("%s: %s is %d, expected %d (%s)", context, can_name, can, expected,
             text != NULL ? text : "no reason");
  g_assert_cmpint (pc_booking_can_do (b, action), ==, expected);
  g_assert_cmpint (getters[action] (b), ==, expected);
  g_assert_cmpstr (pc_booking_get_action_blocker_text (b, action), ==, text);
  if (expected)
    g_assert_null (text);
  else
    g_assert_true (text != NULL && g_str_has_suffix (text, "."));
}

static void
test_actions_table (void)
{
  static const struct
  {
    const char *status;
    /* accept, reject, cancel, delete, per time */
    gboolean    allowed[N_TIMES][PC_BOOKING_N_ACTIONS];
  } cases[] = {
    /* Accept while AcceptBy and SessionDate are both ahead; reject whatever the time. */
    { "Pending", { [BEFORE_ACCEPT_BY] = { TRUE, TRUE, FALSE, FALSE },
                   [AT_ACCEPT_BY] = { FALSE, TRUE, FALSE, FALSE },
                   [BETWEEN] = { FALSE, TRUE, FALSE, FALSE },
                   [AT_SESSION] = { FALSE, TRUE, FALSE, FALSE },
                   [AFTER_SESSION] = { FALSE, TRUE, FALSE, FALSE } } },
    /* Cancel while SessionDate is not in the past: still at its very second. */
    { "Accepted", { [BEFORE_ACCEPT_BY] = { FALSE, FALSE, TRUE, FALSE },
                    [AT_ACCEPT_BY] = { FALSE, FALSE, TRUE, FALSE },
                    [BETWEEN] = { FALSE, FALSE, TRUE, FALSE },
                    [AT_SESSION] = { FALSE, FALSE, TRUE, FALSE },
                    [AFTER_SESSION] = { FALSE, FALSE, FALSE, FALSE } } },
    /* Finished: only delete, whatever the time. */
    { "Rejected", { [BEFORE_ACCEPT_BY] = { FALSE, FALSE, FALSE, TRUE },
                    [AT_ACCEPT_BY] = { FALSE, FALSE, FALSE, TRUE },
                    [BETWEEN] = { FALSE, FALSE, FALSE, TRUE },
                    [AT_SESSION] = { FALSE, FALSE, FALSE, TRUE },
                    [AFTER_SESSION] = { FALSE, FALSE, FALSE, TRUE } } },
    { "Confirmed", { [BEFORE_ACCEPT_BY] = { FALSE, FALSE, FALSE, TRUE },
                     [AT_ACCEPT_BY] = { FALSE, FALSE, FALSE, TRUE },
                     [BETWEEN] = { FALSE, FALSE, FALSE, TRUE },
                     [AT_SESSION] = { FALSE, FALSE, FALSE, TRUE },
                     [AFTER_SESSION] = { FALSE, FALSE, FALSE, TRUE } } },
    { "Cancelled", { [BEFORE_ACCEPT_BY] = { FALSE, FALSE, FALSE, TRUE },
                     [AT_ACCEPT_BY] = { FALSE, FALSE, FALSE, TRUE },
                     [BETWEEN] = { FALSE, FALSE, FALSE, TRUE },
                     [AT_SESSION] = { FALSE, FALSE, FALSE, TRUE },
                     [AFTER_SESSION] = { FALSE, FALSE, FALSE, TRUE } } },
    /* A status this version does not know: nothing. */
    { "Withdrawn", { { FALSE } } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    for (ActionTime t = 0; t < N_TIMES; t++)
      {
        g_autoptr(GDateTime) now = action_time_new (t);
        g_autoptr(PcClock) clock = pc_clock_new_fixed (now);
        g_autoptr(PcBooking) b = load_pending (clock);
        g_autofree char *context = g_strdup_printf ("%s at time %d", cases[i].status, t);

        g_object_set (b, "status-text", cases[i].status, NULL);
        for (PcBookingAction a = 0; a < PC_BOOKING_N_ACTIONS; a++)
          assert_action (b, a, cases[i].allowed[t][a], context);
      }
}

/* Each reason names what stands in the way. */
static void
test_actions_reasons (void)
{
  g_autoptr(GDateTime) now = action_time_new (BETWEEN);
  g_autoptr(PcClock) clock = pc_clock_new_fixed (now);
  g_autoptr(PcBooking) b = load_pending (clock);
  g_autoptr(GDateTime) after = action_time_new (AFTER_SESSION);
  g_autoptr(GDateTime) later_accept_by = pc_test_utc (2025, 6, 14, 21, 0, 0);

  g_assert_cmpstr (pc_booking_get_action_blocker_text (b, PC_BOOKING_ACTION_ACCEPT), ==,
                   "The accept-by time has passed. A booking can only be accepted before its "
                   "accept-by time.");
  g_assert_cmpstr (pc_booking_get_action_blocker_text (b, PC_BOOKING_ACTION_CANCEL), ==,
                   "This booking has not been accepted. Only accepted bookings can be "
                   "cancelled; a pending one can be rejected.");
  g_assert_cmpstr (pc_booking_get_action_blocker_text (b, PC_BOOKING_ACTION_DELETE), ==,
                   "This booking is still pending. Only rejected, cancelled or confirmed "
                   "bookings can be deleted.");

  /* An AcceptBy after the session (the server's data, not ours to correct): the session
   * passing blocks accepting on its own. */
  g_object_set (b, "accept-by", later_accept_by, NULL);
  pc_clock_set_now (clock, after);
  pc_booking_refresh_time (b, NULL);
  g_assert_cmpstr (pc_booking_get_action_blocker_text (b, PC_BOOKING_ACTION_ACCEPT), ==,
                   "The session time has passed. A booking can only be accepted before its "
                   "session time.");

  g_object_set (b, "status-text", "Accepted", NULL);
  g_assert_cmpstr (pc_booking_get_action_blocker_text (b, PC_BOOKING_ACTION_ACCEPT), ==,
                   "This booking has already been accepted.");
  g_assert_cmpstr (pc_booking_get_action_blocker_text (b, PC_BOOKING_ACTION_CANCEL), ==,
                   "The session time has passed. An accepted booking can only be cancelled "
                   "until its session time.");
  g_assert_cmpstr (pc_booking_get_action_blocker_text (b, PC_BOOKING_ACTION_REJECT), ==,
                   "This booking has been accepted. Only pending bookings can be rejected; an "
                   "accepted one can be cancelled.");
}

/* An earlier request whose answer was lost blocks every action the status allows. */
static void
test_actions_outcome_unknown (void)
{
  g_autoptr(GDateTime) now = action_time_new (BEFORE_ACCEPT_BY);
  g_autoptr(PcClock) clock = pc_clock_new_fixed (now);
  g_autoptr(PcBooking) b = load_pending (clock);
  g_autoptr(PcNotifyCounter) counter = pc_notify_counter_new (b);
  const char *unknown = "The outcome of an earlier request about this booking is not known "
                        "yet: the server may still carry it out. PhoneChat is waiting for the "
                        "booking to show what happened.";

  g_assert_true (pc_booking_get_can_accept (b));
  g_assert_true (pc_booking_get_can_reject (b));
  pc_booking_set_outcome_unknown (b, TRUE);
  g_assert_false (pc_booking_get_can_accept (b));
  g_assert_false (pc_booking_get_can_reject (b));
  g_assert_cmpstr (pc_booking_get_action_blocker_text (b, PC_BOOKING_ACTION_ACCEPT), ==, unknown);
  g_assert_cmpstr (pc_booking_get_action_blocker_text (b, PC_BOOKING_ACTION_REJECT), ==, unknown);
  /* The status's own reason comes first. */
  g_assert_cmpstr (pc_booking_get_action_blocker_text (b, PC_BOOKING_ACTION_CANCEL), !=, unknown);
  g_assert_cmpuint (pc_notify_counter_get (counter, "can-accept"), ==, 1);
  g_assert_cmpuint (pc_notify_counter_get (counter, "can-reject"), ==, 1);
  g_assert_cmpuint (pc_notify_counter_get (counter, "can-cancel"), ==, 0);
  g_assert_cmpuint (pc_notify_counter_get (counter, "accept-blocker-text"), ==, 1);
  g_assert_cmpuint (pc_notify_counter_get (counter, "cancel-blocker-text"), ==, 0);

  g_object_set (b, "status-text", "Cancelled", NULL);
  g_assert_cmpstr (pc_booking_get_action_blocker_text (b, PC_BOOKING_ACTION_DELETE), ==, unknown);

  pc_booking_set_outcome_unknown (b, FALSE);
  g_assert_true (pc_booking_get_can_delete (b));
}

/* The clock crossing AcceptBy flips can-accept once, with notify, and nothing else. */
static void
test_actions_clock_moves (void)
{
  g_autoptr(GDateTime) before = action_time_new (BEFORE_ACCEPT_BY);
  g_autoptr(GDateTime) at = action_time_new (AT_ACCEPT_BY);
  g_autoptr(PcClock) clock = pc_clock_new_fixed (before);
  g_autoptr(PcBooking) b = load_pending (clock);
  g_autoptr(PcNotifyCounter) counter = pc_notify_counter_new (b);

  g_assert_true (pc_booking_get_can_accept (b));
  pc_clock_set_now (clock, at);
  pc_booking_refresh_time (b, NULL);
  g_assert_false (pc_booking_get_can_accept (b));
  g_assert_cmpuint (pc_notify_counter_get (counter, "can-accept"), ==, 1);
  g_assert_cmpuint (pc_notify_counter_get (counter, "accept-blocker-text"), ==, 1);
  g_assert_cmpuint (pc_notify_counter_total (counter), ==, 2);

  pc_notify_counter_reset (counter);
  pc_booking_refresh_time (b, NULL);
  g_assert_cmpuint (pc_notify_counter_total (counter), ==, 0);

  /* A new booking, before any member is set, allows nothing. */
  {
    g_autoptr(PcBooking) empty = pc_booking_new ();

    for (PcBookingAction a = 0; a < PC_BOOKING_N_ACTIONS; a++)
      assert_action (empty, a, FALSE, "new booking");
  }
}

static void
test_status_is_finished (void)
{
  g_assert_false (pc_booking_status_is_finished (PC_BOOKING_STATUS_UNKNOWN));
  g_assert_false (pc_booking_status_is_finished (PC_BOOKING_STATUS_PENDING));
  g_assert_false (pc_booking_status_is_finished (PC_BOOKING_STATUS_ACCEPTED));
  g_assert_true (pc_booking_status_is_finished (PC_BOOKING_STATUS_REJECTED));
  g_assert_true (pc_booking_status_is_finished (PC_BOOKING_STATUS_CONFIRMED));
  g_assert_true (pc_booking_status_is_finished (PC_BOOKING_STATUS_CANCELLED));
}

static void
test_properties (void)
{
  g_autoptr(PcBooking) b = load_pending (NULL);
  GParamSpec **pspecs;
  guint n = 0;
  gint64 id = 0, credits = 0;
  int duration = 0, method_code = 0;
  PcBookingStatus status = PC_BOOKING_STATUS_UNKNOWN;
  PcCallMethod method = PC_CALL_METHOD_UNKNOWN;
  g_autoptr(GDateTime) session = NULL;
  g_autoptr(PcClient) client = NULL;
  g_autofree char *nickname = NULL;

  /* 21 API members (Status and Method each as enum + raw), the derived ones, the clock
   * and outcome-unknown. */
  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (b), &n);
  g_free (pspecs);
  /* 20 API members, status and method, 5 about re-inviting, clock, outcome-unknown, and
   * can-… with …-blocker-text for each of the 4 other actions. */
  g_assert_cmpuint (n, ==, 20 + 2 + 5 + 1 + 1 + 2 * 4);

  g_object_get (b,
                "booking-id", &id,
                "duration", &duration,
                "credits", &credits,
                "status", &status,
                "method", &method,
                "method-code", &method_code,
                "session-date", &session,
                "client", &client,
                NULL);
  g_assert_cmpint (id, ==, 4817263);
  g_assert_cmpint (duration, ==, 10);
  g_assert_cmpint (credits, ==, 150000);
  g_assert_cmpint (status, ==, PC_BOOKING_STATUS_PENDING);
  g_assert_cmpint (method, ==, PC_CALL_METHOD_CALL_CLIENT);
  g_assert_cmpint (method_code, ==, 1);
  g_assert_nonnull (session);
  g_object_get (client, "nickname", &nickname, NULL);
  g_assert_cmpstr (nickname, ==, "NightOwl_77");
}

/* A setter notifies once on a change and never when the value is the same. */
static void
test_set_notifies_on_change_only (void)
{
  g_autoptr(PcBooking) b = load_pending (NULL);
  g_autoptr(PcNotifyCounter) counter = pc_notify_counter_new (b);
  g_autoptr(GDateTime) same = g_date_time_ref (pc_test_booking_date (b, "session-date"));

  g_object_set (b, "comments", pc_booking_get_comments (b), "duration", 10,
                "session-date", same, NULL);
  g_assert_cmpuint (pc_notify_counter_total (counter), ==, 0);

  g_object_set (b, "rejected-reason", "Busy", NULL);
  g_assert_cmpuint (pc_notify_counter_get (counter, "rejected-reason"), ==, 1);
  g_assert_cmpuint (pc_notify_counter_total (counter), ==, 1);

  pc_notify_counter_reset (counter);
  g_object_set (b, "method-code", 3, NULL);
  g_assert_cmpuint (pc_notify_counter_get (counter, "method-code"), ==, 1);
  g_assert_cmpuint (pc_notify_counter_get (counter, "method"), ==, 1);
  g_assert_cmpint (pc_booking_get_method (b), ==, PC_CALL_METHOD_SKYPE);
}

static void
test_copy_and_equal (void)
{
  g_autoptr(PcBooking) b = load_pending (NULL);
  g_autoptr(PcBooking) copy = pc_booking_copy (b);

  g_assert_true (b != copy);
  g_assert_true (pc_booking_get_client (b) != pc_booking_get_client (copy));
  g_assert_true (pc_booking_equal (b, copy));
  g_object_set (pc_booking_get_client (copy), "disputes", 3, NULL);
  g_assert_false (pc_booking_equal (b, copy));

  g_assert_finalize_object (g_steal_pointer (&copy));
  g_assert_finalize_object (g_steal_pointer (&b));
}

static void
test_labels (void)
{
  g_assert_cmpstr (pc_booking_status_get_label (PC_BOOKING_STATUS_CANCELLED), ==, "Cancelled");
  g_assert_cmpstr (pc_booking_status_get_label (PC_BOOKING_STATUS_UNKNOWN), ==, "Unknown");
  g_assert_cmpstr (pc_booking_status_to_string (PC_BOOKING_STATUS_PENDING), ==, "Pending");
  g_assert_cmpint (pc_booking_status_from_string ("pending"), ==, PC_BOOKING_STATUS_PENDING);
  g_assert_cmpint (pc_booking_status_from_string ("Canceled"), ==, PC_BOOKING_STATUS_UNKNOWN);
  g_assert_cmpstr (pc_call_method_get_label (PC_CALL_METHOD_SKYPE), ==, "Skype");
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  pc_test_init_logging ();

  g_test_add_func ("/booking/can-reinvite/before-session", test_can_reinvite_before);
  g_test_add_func ("/booking/can-reinvite/at-session", test_can_reinvite_at);
  g_test_add_func ("/booking/can-reinvite/after-session", test_can_reinvite_after);
  g_test_add_func ("/booking/can-reinvite/api-zone", test_can_reinvite_api_zone);
  g_test_add_func ("/booking/can-reinvite/not-pending", test_can_reinvite_not_pending);
  g_test_add_func ("/booking/can-reinvite/clock-moves", test_can_reinvite_clock_moves);
  g_test_add_func ("/booking/can-reinvite/outcome-unknown", test_can_reinvite_outcome_unknown);
  g_test_add_func ("/booking/actions/table", test_actions_table);
  g_test_add_func ("/booking/actions/reasons", test_actions_reasons);
  g_test_add_func ("/booking/actions/outcome-unknown", test_actions_outcome_unknown);
  g_test_add_func ("/booking/actions/clock-moves", test_actions_clock_moves);
  g_test_add_func ("/booking/actions/finished", test_status_is_finished);
  g_test_add_func ("/booking/properties/all", test_properties);
  g_test_add_func ("/booking/properties/derived-notify", test_derived_notify_follows_value);
  g_test_add_func ("/booking/properties/notify-on-change-only", test_set_notifies_on_change_only);
  g_test_add_func ("/booking/copy-equal", test_copy_and_equal);
  g_test_add_func ("/booking/status-text/as-written", test_status_text_as_written);
  g_test_add_func ("/booking/labels", test_labels);

  return g_test_run ();
}
