/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <string.h>

#include <libsoup/soup.h>

#include "pc-api.h"
#include "pc-booking.h"
#include "pc-booking-store.h"
#include "pc-client.h"
#include "pc-clock.h"
#include "pc-outcome-log.h"
#include "pc-reason-drafts.h"
#include "pc-reinviter.h"
#include "pc-sandbox.h"
#include "test-utils.h"

/* PcReinviter against a real PcSandbox on loopback, through a real PcApi: every request
 * the tests count is one the server received. */

#define REINVITE_PATH "/v1/PhoneChat/ReInvite"
#define DETAILS_PATH  "/v1/PhoneChat/ReceivedBookingDetails"

/* The demo set's bookings (pc-sandbox.c), relative to the fixed clock. */
#define NIGHT_OWL     4817263 /* Pending, session passed: can be re-invited */
#define LATE_LARK     4817301 /* idem */
#define BRUMMIE_BOB   4817188 /* idem */
#define SHY_SAM       4816020 /* idem */
#define VELVET_VOICE  4817422 /* Pending, session ahead */
#define QUIET_CALLER  4815502 /* Accepted */

/* Slow enough that several requests are in flight together, fast enough for the suite. */
#define LATENCY_MS 300

/* A sandbox latency longer than any test runs: the server answers only when released. */
#define NEVER_MS (60 * 60 * 1000)

typedef struct
{
  PcBooking *booking;
  GError    *error;
  GQuark     detail;
} Finished;

typedef struct
{
  PcClock        *clock;
  PcSandbox      *sandbox;
  SoupSession    *session;
  PcApi          *api;
  PcBookingStore *store;
  PcReinviter    *reinviter;
  PcReasonDrafts *drafts;

  GPtrArray      *started;        /* PcBooking */
  GArray         *finished;       /* Finished */
  guint           n_single;       /* finished::single emissions */
  guint           n_busy_notify;
  GArray         *progress;       /* guint pairs: done, total */
  GPtrArray      *batches;        /* PcReinviteBatch */
  guint           max_in_flight;  /* measured on the server at each finished */
  gboolean        measure_in_flight;
} Fixture;

static void
finished_clear (gpointer data)
{
  Finished *finished = data;

  g_clear_object (&finished->booking);
  g_clear_error (&finished->error);
}

static void
started_cb (PcReinviter *reinviter,
            PcBooking   *booking,
            Fixture     *f)
{
  g_assert_true (pc_reinviter_is_busy_for (reinviter, pc_booking_get_booking_id (booking)));
  g_assert_true (pc_reinviter_get_busy (reinviter));
  g_ptr_array_add (f->started, g_object_ref (booking));
}

static void
finished_cb (PcReinviter  *reinviter,
             PcBooking    *booking,
             const GError *error,
             Fixture      *f)
{
  Finished finished = { 0, };

  /* No longer busy for it, so a handler may start it again. */
  g_assert_false (pc_reinviter_is_busy_for (reinviter, pc_booking_get_booking_id (booking)));

  if (f->measure_in_flight)
    {
      /* Requests the server has received minus those already answered: what was in
       * flight, at least, just before this one ended. */
      guint received = pc_sandbox_count_requests (f->sandbox, "POST", REINVITE_PATH);
      guint in_flight = received - f->finished->len;

      f->max_in_flight = MAX (f->max_in_flight, in_flight);
      g_assert_cmpuint (in_flight, <=, PC_REINVITER_MAX_IN_FLIGHT);
    }

  finished.booking = g_object_ref (booking);
  finished.error = error != NULL ? g_error_copy (error) : NULL;
  g_array_append_val (f->finished, finished);
}

static void
finished_single_cb (PcReinviter  *reinviter,
                    PcBooking    *booking,
                    const GError *error,
                    Fixture      *f)
{
  f->n_single++;
}

static void
busy_notify_cb (PcReinviter *reinviter,
                GParamSpec  *pspec,
                Fixture     *f)
{
  f->n_busy_notify++;
}

static void
batch_progress_cb (PcReinviter *reinviter,
                   guint        done,
                   guint        total,
                   Fixture     *f)
{
  g_array_append_val (f->progress, done);
  g_array_append_val (f->progress, total);
}

static void
batch_finished_cb (PcReinviter     *reinviter,
                   PcReinviteBatch *result,
                   Fixture         *f)
{
  g_assert_false (pc_reinviter_get_batch_running (reinviter));
  g_ptr_array_add (f->batches, pc_reinvite_batch_ref (result));
}

static void
list_all_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GPtrArray **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = pc_api_list_all_bookings_finish (PC_API (source), result, &error);
  g_assert_no_error (error);
}

/* Fills the store the way the app does: from the server. */
static void
load_store (Fixture *f)
{
  g_autoptr(GPtrArray) bookings = NULL;

  pc_api_list_all_bookings_async (f->api, 50, NULL, NULL, NULL, NULL, list_all_cb, &bookings);
  PC_TEST_WAIT_UNTIL (bookings != NULL);
  pc_booking_store_replace_all (f->store, bookings);
  pc_sandbox_clear_requests (f->sandbox);
}

/* Adds a copy of NightOwl's booking under another id: one more re-invitable booking. */
static void
add_server_booking (Fixture    *f,
                    gint64      booking_id,
                    const char *nickname)
{
  g_autoptr(PcBooking) copy = pc_booking_copy (pc_sandbox_lookup (f->sandbox, NIGHT_OWL));

  g_object_set (copy, "booking-id", booking_id, NULL);
  g_object_set (pc_booking_get_client (copy), "nickname", nickname, NULL);
  pc_sandbox_add_booking (f->sandbox, copy);
}

/* The server no longer accepts a re-invite of it; the client does not know yet. */
static void
make_ineligible_on_server (Fixture *f,
                           gint64   booking_id)
{
  g_object_set (pc_sandbox_lookup (f->sandbox, booking_id), "status-text", "Accepted", NULL);
}

static PcBookingStatus
server_status (Fixture *f,
               gint64   booking_id)
{
  return pc_booking_get_status (pc_sandbox_lookup (f->sandbox, booking_id));
}

static guint
count_posts (Fixture *f,
             gint64   booking_id)
{
  return pc_sandbox_count_booking_requests (f->sandbox, "POST", REINVITE_PATH, booking_id);
}

static PcBooking *
lookup (Fixture *f,
        gint64   booking_id)
{
  PcBooking *booking = pc_booking_store_lookup (f->store, booking_id);

  g_assert_nonnull (booking);
  return booking;
}

static const Finished *
get_finished (Fixture *f,
              guint    index)
{
  g_assert_cmpuint (index, <, f->finished->len);
  return &g_array_index (f->finished, Finished, index);
}

static const Finished *
find_finished (Fixture *f,
               gint64   booking_id)
{
  for (guint i = 0; i < f->finished->len; i++)
    {
      const Finished *finished = get_finished (f, i);

      if (pc_booking_get_booking_id (finished->booking) == booking_id)
        return finished;
    }

  g_assert_not_reached ();
  return NULL;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GDateTime) now = pc_test_utc (2025, 6, 15, 12, 0, 0);
  g_autoptr(GError) error = NULL;

  f->clock = pc_clock_new_fixed (now);
  f->sandbox = pc_sandbox_new (f->clock, NULL);
  pc_sandbox_load_demo (f->sandbox);
  pc_sandbox_listen (f->sandbox, 0, &error);
  g_assert_no_error (error);

  /* libsoup allows 2 connections per host by default, and every POST takes its own:
   * the application's session needs at least PC_REINVITER_MAX_IN_FLIGHT. */
  f->session = soup_session_new_with_options ("max-conns-per-host", 8, NULL);
  f->api = pc_api_new (f->session, pc_sandbox_get_url (f->sandbox), &error);
  g_assert_no_error (error);
  pc_api_set_token (f->api, PC_SANDBOX_DEFAULT_TOKEN);

  f->store = pc_booking_store_new (f->clock);
  f->reinviter = pc_reinviter_new (f->api, f->store);
  /* As the application does: drafts that follow the reinviter. */
  f->drafts = pc_reason_drafts_new ();
  pc_reason_drafts_follow (f->drafts, f->reinviter);

  f->started = g_ptr_array_new_with_free_func (g_object_unref);
  f->finished = g_array_new (FALSE, TRUE, sizeof (Finished));
  g_array_set_clear_func (f->finished, finished_clear);
  f->progress = g_array_new (FALSE, FALSE, sizeof (guint));
  f->batches = g_ptr_array_new_with_free_func ((GDestroyNotify) pc_reinvite_batch_unref);

  g_signal_connect (f->reinviter, "started", G_CALLBACK (started_cb), f);
  g_signal_connect (f->reinviter, "finished", G_CALLBACK (finished_cb), f);
  g_signal_connect (f->reinviter, "finished::single", G_CALLBACK (finished_single_cb), f);
  g_signal_connect (f->reinviter, "notify::busy", G_CALLBACK (busy_notify_cb), f);
  g_signal_connect (f->reinviter, "batch-progress", G_CALLBACK (batch_progress_cb), f);
  g_signal_connect (f->reinviter, "batch-finished", G_CALLBACK (batch_finished_cb), f);

  load_store (f);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->drafts);
  if (f->reinviter != NULL)
    {
      g_assert_false (pc_reinviter_get_busy (f->reinviter));
      g_assert_finalize_object (f->reinviter);
    }
  g_clear_pointer (&f->batches, g_ptr_array_unref);
  g_clear_pointer (&f->progress, g_array_unref);
  g_clear_pointer (&f->finished, g_array_unref);
  g_clear_pointer (&f->started, g_ptr_array_unref);
  g_assert_finalize_object (f->store);
  g_assert_finalize_object (f->api);
  /* libsoup keeps the session while it closes connections. */
  g_clear_object (&f->session);
  pc_test_drain_main_context ();
  pc_sandbox_stop (f->sandbox);
  g_assert_finalize_object (f->sandbox);
  g_assert_finalize_object (f->clock);
}

#define WAIT_FINISHED(f, n) PC_TEST_WAIT_UNTIL ((f)->finished->len >= (n))

static void
test_success (Fixture       *f,
              gconstpointer  data)
{
  PcBooking *booking = lookup (f, NIGHT_OWL);
  g_autoptr(PcNotifyCounter) counter = pc_notify_counter_new (booking);
  const char *reason = "Sorry, I was on another call. Free tonight?";
  const Finished *finished;

  g_assert_true (pc_booking_get_can_reinvite (booking));
  g_assert_false (pc_reinviter_get_busy (f->reinviter));

  g_assert_true (pc_reinviter_start (f->reinviter, booking, reason));
  g_assert_true (pc_reinviter_get_busy (f->reinviter));
  g_assert_true (pc_reinviter_is_busy_for (f->reinviter, NIGHT_OWL));
  g_assert_false (pc_reinviter_is_busy_for (f->reinviter, LATE_LARK));
  g_assert_cmpstr (pc_reason_drafts_get (f->drafts, NIGHT_OWL), ==, reason);
  g_assert_cmpuint (f->started->len, ==, 1);
  g_assert_true (g_ptr_array_index (f->started, 0) == booking);

  WAIT_FINISHED (f, 1);
  finished = get_finished (f, 0);
  g_assert_no_error (finished->error);
  g_assert_cmpuint (f->n_single, ==, 1);

  /* Updated in place: the same object the rows and pages are bound to. */
  g_assert_true (finished->booking == booking);
  g_assert_true (pc_booking_store_lookup (f->store, NIGHT_OWL) == booking);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->store)), ==, 12);
  g_assert_cmpint (pc_booking_get_status (booking), ==, PC_BOOKING_STATUS_REJECTED);
  g_assert_cmpstr (pc_booking_get_rejected_reason (booking), ==, reason);
  g_assert_false (pc_booking_get_can_reinvite (booking));
  g_assert_cmpuint (pc_notify_counter_get (counter, "status"), ==, 1);
  g_assert_cmpuint (pc_notify_counter_get (counter, "status-text"), ==, 1);
  g_assert_cmpuint (pc_notify_counter_get (counter, "rejected-reason"), ==, 1);
  g_assert_cmpuint (pc_notify_counter_get (counter, "can-reinvite"), ==, 1);
  g_assert_cmpuint (pc_notify_counter_get (counter, "booking-id"), ==, 0);
  g_assert_cmpuint (pc_notify_counter_get (counter, "comments"), ==, 0);

  /* The draft is done with; nothing is in flight any more. */
  g_assert_null (pc_reason_drafts_get (f->drafts, NIGHT_OWL));
  g_assert_false (pc_reinviter_get_busy (f->reinviter));
  g_assert_false (pc_reinviter_is_busy_for (f->reinviter, NIGHT_OWL));
  g_assert_cmpuint (f->n_busy_notify, ==, 2);

  g_assert_cmpuint (pc_sandbox_count_requests (f->sandbox, "POST", REINVITE_PATH), ==, 1);
  g_assert_cmpint (server_status (f, NIGHT_OWL), ==, PC_BOOKING_STATUS_REJECTED);
}

static void
test_default_reason (Fixture       *f,
                     gconstpointer  data)
{
  PcBooking *booking = lookup (f, LATE_LARK);

  g_assert_true (pc_reinviter_start (f->reinviter, booking, NULL));
  g_assert_null (pc_reason_drafts_get (f->drafts, LATE_LARK));
  WAIT_FINISHED (f, 1);

  g_assert_no_error (get_finished (f, 0)->error);
  g_assert_cmpint (pc_booking_get_status (booking), ==, PC_BOOKING_STATUS_REJECTED);
  /* The API's default reason, whatever it is. */
  g_assert_nonnull (pc_booking_get_rejected_reason (booking));
  g_assert_cmpstr (pc_booking_get_rejected_reason (booking), !=, "");
}

static void
test_rejected (Fixture       *f,
               gconstpointer  data)
{
  PcBooking *booking = lookup (f, NIGHT_OWL);
  const char *reason = "Can we try again?";
  const Finished *finished;

  make_ineligible_on_server (f, NIGHT_OWL);

  g_assert_true (pc_reinviter_start (f->reinviter, booking, reason));
  WAIT_FINISHED (f, 1);

  finished = get_finished (f, 0);
  g_assert_error (finished->error, PC_API_ERROR, PC_API_ERROR_REJECTED);
  g_assert_true (finished->booking == booking);
  /* The server's reason reaches the message; the typed reason is kept for a retry. */
  g_assert_nonnull (strstr (finished->error->message, "only Pending bookings can be re-invited"));
  g_assert_cmpstr (pc_reason_drafts_get (f->drafts, NIGHT_OWL), ==, reason);
  g_assert_false (pc_reinviter_get_busy (f->reinviter));
  g_assert_cmpuint (pc_sandbox_count_requests (f->sandbox, "POST", REINVITE_PATH), ==, 1);

  /* The booking was read again before the refusal was reported: the store shows why. */
  g_assert_cmpuint (pc_sandbox_count_booking_requests (f->sandbox, "GET", DETAILS_PATH,
                                                       NIGHT_OWL), ==, 1);
  g_assert_cmpint (pc_booking_get_status (booking), ==, PC_BOOKING_STATUS_ACCEPTED);
  g_assert_false (pc_booking_get_can_reinvite (booking));
}

static void
test_not_found (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(PcBooking) gone = pc_booking_copy (lookup (f, NIGHT_OWL));
  const Finished *finished;

  /* A booking the server does not know: refused with 404, and the re-read fails too. */
  g_object_set (gone, "booking-id", (gint64) 4999999, NULL);
  g_assert_true (pc_reinviter_start (f->reinviter, gone, "Hello?"));
  WAIT_FINISHED (f, 1);

  finished = get_finished (f, 0);
  g_assert_error (finished->error, PC_API_ERROR, PC_API_ERROR_NOT_FOUND);
  g_assert_true (finished->booking == gone);
  g_assert_cmpint (pc_booking_get_status (gone), ==, PC_BOOKING_STATUS_PENDING);
  g_assert_cmpuint (pc_sandbox_count_requests (f->sandbox, "POST", REINVITE_PATH), ==, 1);
  g_assert_cmpuint (pc_sandbox_count_booking_requests (f->sandbox, "GET", DETAILS_PATH,
                                                       4999999), ==, 1);
}

/* The application's setup: the store follows an outcome log of the server's scope (in the
 * test's own state directory, G_TEST_OPTION_ISOLATE_DIRS). */
static PcOutcomeLog *
use_outcome_log (Fixture *f)
{
  PcOutcomeLog *log = pc_outcome_log_new (NULL, pc_sandbox_get_url (f->sandbox));

  g_assert_true (pc_outcome_log_load (log, NULL));
  pc_booking_store_set_outcome_log (f->store, log);
  return log;
}

static void
get_booking_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  PcBooking **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = pc_api_get_booking_finish (PC_API (source), result, &error);
  g_assert_no_error (error);
}

/* A read of the booking merged into the store, as a refresh does. */
static void
read_into_store (Fixture *f,
                 gint64   booking_id)
{
  g_autoptr(PcBooking) fresh = NULL;

  pc_api_get_booking_async (f->api, booking_id, NULL, get_booking_cb, &fresh);
  PC_TEST_WAIT_UNTIL (fresh != NULL);
  pc_booking_store_merge_one (f->store, fresh);
}

static void
test_outcome_unknown_timeout (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(PcOutcomeLog) log = use_outcome_log (f);
  g_autoptr(GPtrArray) batch = g_ptr_array_new ();
  g_autoptr(GDateTime) sent = NULL;
  PcBooking *booking = lookup (f, NIGHT_OWL);
  PcReinviteBatch *result;

  /* Issue 11: the server holds the POST beyond PcApi's timeout, and the re-read still
   * shows the booking pending. */
  pc_sandbox_set_latency (f->sandbox, NEVER_MS);
  pc_sandbox_set_fault_limit (f->sandbox, 1);
  pc_api_set_timeout (f->api, pc_test_scale_seconds (1));

  g_assert_true (pc_reinviter_start (f->reinviter, booking, "Sorry"));
  WAIT_FINISHED (f, 1);
  g_assert_error (get_finished (f, 0)->error, PC_API_ERROR, PC_API_ERROR_OUTCOME_UNKNOWN);
  g_assert_true (get_finished (f, 0)->booking == booking);

  /* Marked, in the store and in the log, and no longer offered. */
  g_assert_true (pc_booking_get_outcome_unknown (booking));
  g_assert_false (pc_booking_get_can_reinvite (booking));
  g_assert_cmpint (pc_booking_get_reinvite_blocker (booking), ==,
                   PC_REINVITE_BLOCKER_OUTCOME_UNKNOWN);
  sent = pc_outcome_log_lookup (log, NIGHT_OWL);
  g_assert_nonnull (sent);
  g_assert_cmpuint (count_posts (f, NIGHT_OWL), ==, 1);

  /* A second re-invite is refused, single or in a batch, with nothing sent. */
  g_assert_false (pc_reinviter_start (f->reinviter, booking, "again"));
  g_ptr_array_add (batch, booking);
  g_assert_true (pc_reinviter_start_batch (f->reinviter, batch, NULL));
  PC_TEST_WAIT_UNTIL (f->batches->len == 1);
  result = g_ptr_array_index (f->batches, 0);
  g_assert_cmpuint (pc_reinvite_batch_count (result, PC_REINVITE_OUTCOME_SKIPPED), ==, 1);
  pc_test_drain_main_context ();
  g_assert_cmpuint (count_posts (f, NIGHT_OWL), ==, 1);
  g_assert_cmpuint (f->finished->len, ==, 1);

  /* The server gets round to it after all, although PhoneChat stopped waiting. */
  pc_sandbox_release_held (f->sandbox);
  g_assert_cmpint (server_status (f, NIGHT_OWL), ==, PC_BOOKING_STATUS_REJECTED);

  /* The next read shows it: the mark goes, the booking shows what happened. */
  read_into_store (f, NIGHT_OWL);
  g_assert_false (pc_booking_get_outcome_unknown (booking));
  g_assert_cmpint (pc_booking_get_status (booking), ==, PC_BOOKING_STATUS_REJECTED);
  g_assert_cmpstr (pc_booking_get_rejected_reason (booking), ==, "Sorry");
  g_assert_null (pc_outcome_log_lookup (log, NIGHT_OWL));
  g_assert_cmpuint (count_posts (f, NIGHT_OWL), ==, 1);
}

static void
test_outcome_unknown_settles (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(PcOutcomeLog) log = use_outcome_log (f);
  g_autoptr(GDateTime) start = pc_clock_get_now (f->clock);
  g_autoptr(GDateTime) almost = g_date_time_add_seconds (start, PC_OUTCOME_LOG_SETTLE_SECONDS - 1);
  g_autoptr(GDateTime) settled = g_date_time_add_seconds (start, PC_OUTCOME_LOG_SETTLE_SECONDS);
  PcBooking *booking = lookup (f, NIGHT_OWL);

  /* The connection drops once the POST is read, and the server never acts on it. */
  pc_sandbox_set_drop_connections (f->sandbox, TRUE);
  pc_sandbox_set_fault_limit (f->sandbox, 1);
  g_assert_true (pc_reinviter_start (f->reinviter, booking, "Sorry"));
  WAIT_FINISHED (f, 1);
  g_assert_error (get_finished (f, 0)->error, PC_API_ERROR, PC_API_ERROR_OUTCOME_UNKNOWN);
  g_assert_false (pc_booking_get_can_reinvite (booking));

  /* Still pending just before the settle window ends: still unknown. */
  pc_clock_set_now (f->clock, almost);
  read_into_store (f, NIGHT_OWL);
  g_assert_true (pc_booking_get_outcome_unknown (booking));
  g_assert_false (pc_reinviter_start (f->reinviter, booking, "again"));

  /* Still pending the settle window after it was sent: it never arrived. */
  pc_clock_set_now (f->clock, settled);
  read_into_store (f, NIGHT_OWL);
  g_assert_false (pc_booking_get_outcome_unknown (booking));
  g_assert_true (pc_booking_get_can_reinvite (booking));
  g_assert_null (pc_outcome_log_lookup (log, NIGHT_OWL));

  g_assert_true (pc_reinviter_start (f->reinviter, booking, "again"));
  WAIT_FINISHED (f, 2);
  g_assert_no_error (get_finished (f, 1)->error);
  g_assert_cmpuint (count_posts (f, NIGHT_OWL), ==, 2);
}

static void
test_network_error (Fixture       *f,
                    gconstpointer  data)
{
  PcBooking *booking = lookup (f, NIGHT_OWL);
  const char *reason = "Missed you!";
  const Finished *finished;

  pc_sandbox_stop (f->sandbox);

  g_assert_true (pc_reinviter_start (f->reinviter, booking, reason));
  WAIT_FINISHED (f, 1);

  finished = get_finished (f, 0);
  g_assert_error (finished->error, PC_API_ERROR, PC_API_ERROR_CANNOT_CONNECT);
  g_assert_cmpstr (pc_reason_drafts_get (f->drafts, NIGHT_OWL), ==, reason);
  g_assert_cmpint (pc_booking_get_status (booking), ==, PC_BOOKING_STATUS_PENDING);
  g_assert_false (pc_reinviter_get_busy (f->reinviter));
}

static void
test_double_submit (Fixture       *f,
                    gconstpointer  data)
{
  PcBooking *booking = lookup (f, NIGHT_OWL);
  g_autoptr(PcBooking) other_copy = pc_booking_copy (booking);

  pc_sandbox_set_latency (f->sandbox, LATENCY_MS);

  /* Double click, Ctrl+Enter twice, the action from a notification: one POST. */
  g_assert_true (pc_reinviter_start (f->reinviter, booking, "first"));
  g_assert_false (pc_reinviter_start (f->reinviter, booking, "second"));
  g_assert_false (pc_reinviter_start (f->reinviter, other_copy, "third"));
  g_assert_cmpstr (pc_reason_drafts_get (f->drafts, NIGHT_OWL), ==, "first");

  PC_TEST_WAIT_UNTIL (pc_sandbox_count_requests (f->sandbox, "POST", REINVITE_PATH) == 1);
  g_assert_false (pc_reinviter_start (f->reinviter, booking, "fourth"));

  WAIT_FINISHED (f, 1);
  g_assert_no_error (get_finished (f, 0)->error);
  g_assert_cmpstr (pc_booking_get_rejected_reason (booking), ==, "first");

  pc_test_drain_main_context ();
  g_assert_cmpuint (f->finished->len, ==, 1);
  g_assert_cmpuint (f->started->len, ==, 1);
  g_assert_cmpuint (pc_sandbox_count_requests (f->sandbox, "POST", REINVITE_PATH), ==, 1);
}

static void
test_retry_after_failure (Fixture       *f,
                          gconstpointer  data)
{
  PcBooking *booking = lookup (f, NIGHT_OWL);

  /* A failed attempt frees the booking for another, explicit one. */
  pc_sandbox_set_path_status (f->sandbox, REINVITE_PATH, 503);
  g_assert_true (pc_reinviter_start (f->reinviter, booking, "once"));
  WAIT_FINISHED (f, 1);
  g_assert_error (get_finished (f, 0)->error, PC_API_ERROR, PC_API_ERROR_SERVER);
  g_assert_cmpstr (pc_reason_drafts_get (f->drafts, NIGHT_OWL), ==, "once");

  pc_sandbox_set_path_status (f->sandbox, REINVITE_PATH, 0);
  g_assert_true (pc_reinviter_start (f->reinviter, booking,
                                     pc_reason_drafts_get (f->drafts, NIGHT_OWL)));
  WAIT_FINISHED (f, 2);
  g_assert_no_error (get_finished (f, 1)->error);
  g_assert_cmpstr (pc_booking_get_rejected_reason (booking), ==, "once");
  g_assert_cmpuint (pc_sandbox_count_requests (f->sandbox, "POST", REINVITE_PATH), ==, 2);
}

/* Whatever the timing, what is reported must be what the server holds. */
static void
assert_reconciled (Fixture  *f,
                   gint64    booking_id,
                   const char *reason)
{
  const Finished *finished = find_finished (f, booking_id);
  PcBooking *booking = lookup (f, booking_id);

  g_assert_true (finished->booking == booking);
  g_assert_cmpint (pc_booking_get_status (booking), ==, server_status (f, booking_id));

  if (server_status (f, booking_id) == PC_BOOKING_STATUS_REJECTED)
    {
      g_assert_no_error (finished->error);
      g_assert_cmpuint (count_posts (f, booking_id), ==, 1);
      g_assert_null (pc_reason_drafts_get (f->drafts, booking_id));
    }
  else if (count_posts (f, booking_id) > 0)
    {
      /* The server has it and may still carry it out: unknown, and kept from a second
       * re-invite, never "cancelled". */
      g_assert_error (finished->error, PC_API_ERROR, PC_API_ERROR_OUTCOME_UNKNOWN);
      g_assert_cmpint (pc_booking_get_status (booking), ==, PC_BOOKING_STATUS_PENDING);
      g_assert_true (pc_booking_get_outcome_unknown (booking));
      g_assert_false (pc_booking_get_can_reinvite (booking));
      if (reason != NULL)
        g_assert_cmpstr (pc_reason_drafts_get (f->drafts, booking_id), ==, reason);
    }
  else
    {
      g_assert_cmpint (pc_booking_get_status (booking), ==, PC_BOOKING_STATUS_PENDING);
      if (g_error_matches (finished->error, PC_API_ERROR, PC_API_ERROR_OUTCOME_UNKNOWN))
        {
          /* Written to the connection, not yet read by the server. */
          g_assert_true (pc_booking_get_outcome_unknown (booking));
        }
      else
        {
          g_assert_error (finished->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
          g_assert_false (pc_booking_get_outcome_unknown (booking));
        }
      if (reason != NULL)
        g_assert_cmpstr (pc_reason_drafts_get (f->drafts, booking_id), ==, reason);
    }
}

static void
test_cancel_after_sent (Fixture       *f,
                        gconstpointer  data)
{
  PcBooking *booking = lookup (f, NIGHT_OWL);

  pc_sandbox_set_latency (f->sandbox, LATENCY_MS);
  g_assert_true (pc_reinviter_start (f->reinviter, booking, "Cancel me"));

  /* The server has the request: cancelling cannot take it back. */
  PC_TEST_WAIT_UNTIL (count_posts (f, NIGHT_OWL) == 1);
  pc_reinviter_cancel (f->reinviter, NIGHT_OWL);
  pc_reinviter_cancel (f->reinviter, NIGHT_OWL);
  g_assert_true (pc_reinviter_is_busy_for (f->reinviter, NIGHT_OWL));
  g_assert_false (pc_reinviter_start (f->reinviter, booking, "again"));

  WAIT_FINISHED (f, 1);
  g_assert_cmpuint (f->finished->len, ==, 1);

  /* It was reconciled by reading the booking again, and never sent twice. */
  g_assert_cmpuint (pc_sandbox_count_booking_requests (f->sandbox, "GET", DETAILS_PATH,
                                                       NIGHT_OWL), ==, 1);
  g_assert_cmpuint (count_posts (f, NIGHT_OWL), ==, 1);
  assert_reconciled (f, NIGHT_OWL, "Cancel me");
  g_assert_false (pc_reinviter_get_busy (f->reinviter));
}

static void
test_cancel_at_once (Fixture       *f,
                     gconstpointer  data)
{
  PcBooking *booking = lookup (f, NIGHT_OWL);

  pc_sandbox_set_latency (f->sandbox, LATENCY_MS);
  g_assert_true (pc_reinviter_start (f->reinviter, booking, "Never mind"));
  pc_reinviter_cancel (f->reinviter, NIGHT_OWL);

  WAIT_FINISHED (f, 1);
  g_assert_cmpuint (count_posts (f, NIGHT_OWL), <=, 1);
  assert_reconciled (f, NIGHT_OWL, "Never mind");
  g_assert_false (pc_reinviter_get_busy (f->reinviter));

  /* Nothing in flight: cancelling again does nothing. */
  pc_reinviter_cancel (f->reinviter, NIGHT_OWL);
  pc_test_drain_main_context ();
  g_assert_cmpuint (f->finished->len, ==, 1);
}

static void
test_cancel_unreadable (Fixture       *f,
                        gconstpointer  data)
{
  PcBooking *booking = lookup (f, NIGHT_OWL);
  const Finished *finished;

  pc_sandbox_set_latency (f->sandbox, LATENCY_MS);
  g_assert_true (pc_reinviter_start (f->reinviter, booking, NULL));
  PC_TEST_WAIT_UNTIL (count_posts (f, NIGHT_OWL) == 1);

  /* The check after the cancel fails too: say so, do not guess. */
  pc_sandbox_set_path_status (f->sandbox, DETAILS_PATH, 500);
  pc_reinviter_cancel (f->reinviter, NIGHT_OWL);
  WAIT_FINISHED (f, 1);

  finished = get_finished (f, 0);
  g_assert_error (finished->error, PC_API_ERROR, PC_API_ERROR_OUTCOME_UNKNOWN);
  g_assert_nonnull (strstr (finished->error->message, "4817263"));
  g_assert_cmpuint (count_posts (f, NIGHT_OWL), ==, 1);
}

static GPtrArray *
batch_bookings (Fixture      *f,
                const gint64 *ids,
                guint         n_ids)
{
  GPtrArray *bookings = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n_ids; i++)
    g_ptr_array_add (bookings, g_object_ref (lookup (f, ids[i])));

  return bookings;
}

static const gint64 batch_ids[] = {
  NIGHT_OWL, LATE_LARK, VELVET_VOICE, BRUMMIE_BOB, SHY_SAM, 4900001, QUIET_CALLER,
  4900002, NIGHT_OWL /* twice: still one POST */, 4900003,
};

static const gint64 eligible_ids[] = {
  NIGHT_OWL, LATE_LARK, BRUMMIE_BOB, SHY_SAM, 4900001, 4900002, 4900003,
};

static void
setup_batch_server (Fixture *f)
{
  add_server_booking (f, 4900001, "owl_two");
  add_server_booking (f, 4900002, "owl_three");
  add_server_booking (f, 4900003, "owl_four");
  load_store (f);
}

static void
test_batch (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GPtrArray) bookings = NULL;
  PcReinviteBatch *result;
  const char *reason = "Sorry, I missed our session.";
  gint index;

  setup_batch_server (f);
  bookings = batch_bookings (f, batch_ids, G_N_ELEMENTS (batch_ids));
  /* Eligible for the client, but the server has moved on: it answers 400. */
  make_ineligible_on_server (f, BRUMMIE_BOB);

  pc_sandbox_set_latency (f->sandbox, LATENCY_MS);
  f->measure_in_flight = TRUE;

  g_assert_true (pc_reinviter_start_batch (f->reinviter, bookings, reason));
  g_assert_true (pc_reinviter_get_batch_running (f->reinviter));
  g_assert_true (pc_reinviter_get_busy (f->reinviter));
  g_assert_cmpuint (f->started->len, ==, G_N_ELEMENTS (eligible_ids));
  for (guint i = 0; i < G_N_ELEMENTS (eligible_ids); i++)
    g_assert_true (pc_reinviter_is_busy_for (f->reinviter, eligible_ids[i]));
  g_assert_false (pc_reinviter_is_busy_for (f->reinviter, VELVET_VOICE));

  /* Only one batch at a time, and no single re-invite of a booking the batch holds. */
  g_assert_false (pc_reinviter_start_batch (f->reinviter, bookings, "again"));
  g_assert_false (pc_reinviter_start (f->reinviter, lookup (f, 4900003), "again"));

  PC_TEST_WAIT_UNTIL (f->batches->len == 1);
  pc_test_drain_main_context ();
  g_assert_cmpuint (f->batches->len, ==, 1);
  result = g_ptr_array_index (f->batches, 0);

  /* At most four at once, and it did use four. */
  g_assert_cmpuint (f->max_in_flight, ==, PC_REINVITER_MAX_IN_FLIGHT);

  /* Exactly one POST per eligible booking, none for the others. */
  g_assert_cmpuint (pc_sandbox_count_requests (f->sandbox, "POST", REINVITE_PATH), ==,
                    G_N_ELEMENTS (eligible_ids));
  for (guint i = 0; i < G_N_ELEMENTS (eligible_ids); i++)
    g_assert_cmpuint (count_posts (f, eligible_ids[i]), ==, 1);
  g_assert_cmpuint (count_posts (f, VELVET_VOICE), ==, 0);
  g_assert_cmpuint (count_posts (f, QUIET_CALLER), ==, 0);

  /* The result: one entry per distinct booking, in the order given. */
  g_assert_cmpstr (pc_reinvite_batch_get_reason (result), ==, reason);
  g_assert_cmpuint (pc_reinvite_batch_get_n_items (result), ==, 9);
  g_assert_cmpuint (pc_reinvite_batch_count (result, PC_REINVITE_OUTCOME_SUCCEEDED), ==, 6);
  g_assert_cmpuint (pc_reinvite_batch_count (result, PC_REINVITE_OUTCOME_FAILED), ==, 1);
  g_assert_cmpuint (pc_reinvite_batch_count (result, PC_REINVITE_OUTCOME_SKIPPED), ==, 2);
  g_assert_cmpuint (pc_reinvite_batch_count (result, PC_REINVITE_OUTCOME_CANCELLED), ==, 0);
  g_assert_cmpint (pc_reinvite_batch_get_booking_id (result, 0), ==, NIGHT_OWL);
  g_assert_cmpstr (pc_reinvite_batch_get_nickname (result, 0), ==, "NightOwl_77");
  g_assert_cmpint (pc_reinvite_batch_get_outcome (result, 0), ==, PC_REINVITE_OUTCOME_SUCCEEDED);
  g_assert_null (pc_reinvite_batch_get_message (result, 0));
  g_assert_null (pc_reinvite_batch_get_error (result, 0));
  g_assert_cmpint (pc_reinvite_batch_get_booking_id (result, 8), ==, 4900003);

  index = pc_reinvite_batch_find (result, BRUMMIE_BOB);
  g_assert_cmpint (index, ==, 3);
  g_assert_cmpstr (pc_reinvite_batch_get_nickname (result, index), ==, "Brummie_Bob");
  g_assert_cmpint (pc_reinvite_batch_get_outcome (result, index), ==, PC_REINVITE_OUTCOME_FAILED);
  g_assert_error (pc_reinvite_batch_get_error (result, index), PC_API_ERROR,
                  PC_API_ERROR_REJECTED);
  g_assert_cmpstr (pc_reinvite_batch_get_message (result, index), ==,
                   pc_reinvite_batch_get_error (result, index)->message);

  index = pc_reinvite_batch_find (result, VELVET_VOICE);
  g_assert_cmpint (pc_reinvite_batch_get_outcome (result, index), ==, PC_REINVITE_OUTCOME_SKIPPED);
  g_assert_cmpstr (pc_reinvite_batch_get_message (result, index), ==,
                   pc_booking_get_reinvite_blocker_text (lookup (f, VELVET_VOICE)));
  index = pc_reinvite_batch_find (result, QUIET_CALLER);
  g_assert_cmpint (pc_reinvite_batch_get_outcome (result, index), ==, PC_REINVITE_OUTCOME_SKIPPED);
  g_assert_cmpstr (pc_reinvite_batch_get_message (result, index), ==,
                   pc_booking_get_reinvite_blocker_text (lookup (f, QUIET_CALLER)));
  g_assert_cmpint (pc_reinvite_batch_find (result, 1), ==, -1);

  /* The store follows in place. */
  for (guint i = 0; i < G_N_ELEMENTS (eligible_ids); i++)
    {
      PcBooking *booking = lookup (f, eligible_ids[i]);

      if (eligible_ids[i] == BRUMMIE_BOB)
        continue;
      g_assert_cmpint (pc_booking_get_status (booking), ==, PC_BOOKING_STATUS_REJECTED);
      g_assert_cmpstr (pc_booking_get_rejected_reason (booking), ==, reason);
    }

  /* A finished per booking sent (detail "batch"), and progress up to 7 of 7. */
  g_assert_cmpuint (f->finished->len, ==, G_N_ELEMENTS (eligible_ids));
  g_assert_cmpuint (f->n_single, ==, 0);
  g_assert_cmpuint (f->progress->len, ==, 2 * (G_N_ELEMENTS (eligible_ids) + 1));
  g_assert_cmpuint (g_array_index (f->progress, guint, 0), ==, 0);
  for (guint i = 0; i < f->progress->len; i += 2)
    {
      g_assert_cmpuint (g_array_index (f->progress, guint, i), ==, i / 2);
      g_assert_cmpuint (g_array_index (f->progress, guint, i + 1), ==,
                        G_N_ELEMENTS (eligible_ids));
    }

  g_assert_false (pc_reinviter_get_batch_running (f->reinviter));
  g_assert_false (pc_reinviter_get_busy (f->reinviter));
  g_assert_cmpuint (f->n_busy_notify, ==, 2);
}

static void
test_batch_nothing_to_send (Fixture       *f,
                            gconstpointer  data)
{
  const gint64 ids[] = { VELVET_VOICE, QUIET_CALLER };
  g_autoptr(GPtrArray) bookings = batch_bookings (f, ids, G_N_ELEMENTS (ids));
  PcReinviteBatch *result;

  g_assert_true (pc_reinviter_start_batch (f->reinviter, bookings, NULL));
  /* Never inside the call: the caller connects after starting, too. */
  g_assert_cmpuint (f->batches->len, ==, 0);
  g_assert_true (pc_reinviter_get_busy (f->reinviter));

  PC_TEST_WAIT_UNTIL (f->batches->len == 1);
  result = g_ptr_array_index (f->batches, 0);
  g_assert_cmpuint (pc_reinvite_batch_get_n_items (result), ==, 2);
  g_assert_cmpuint (pc_reinvite_batch_count (result, PC_REINVITE_OUTCOME_SKIPPED), ==, 2);
  g_assert_cmpuint (pc_sandbox_count_requests (f->sandbox, "POST", NULL), ==, 0);
  g_assert_false (pc_reinviter_get_busy (f->reinviter));
}

static void
test_batch_skips_busy (Fixture       *f,
                       gconstpointer  data)
{
  const gint64 ids[] = { NIGHT_OWL, LATE_LARK };
  g_autoptr(GPtrArray) bookings = batch_bookings (f, ids, G_N_ELEMENTS (ids));
  PcReinviteBatch *result;
  gint index;

  pc_sandbox_set_latency (f->sandbox, LATENCY_MS);
  g_assert_true (pc_reinviter_start (f->reinviter, lookup (f, NIGHT_OWL), "single"));
  g_assert_true (pc_reinviter_start_batch (f->reinviter, bookings, "batch"));

  PC_TEST_WAIT_UNTIL (f->batches->len == 1 && !pc_reinviter_get_busy (f->reinviter));
  result = g_ptr_array_index (f->batches, 0);
  index = pc_reinvite_batch_find (result, NIGHT_OWL);
  g_assert_cmpint (pc_reinvite_batch_get_outcome (result, index), ==, PC_REINVITE_OUTCOME_SKIPPED);
  g_assert_cmpuint (count_posts (f, NIGHT_OWL), ==, 1);
  g_assert_cmpuint (count_posts (f, LATE_LARK), ==, 1);
  g_assert_cmpstr (pc_booking_get_rejected_reason (lookup (f, NIGHT_OWL)), ==, "single");
  g_assert_cmpuint (f->n_single, ==, 1);
}

static void
test_batch_cancel (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) bookings = NULL;
  PcReinviteBatch *result;
  guint sent = 0;

  setup_batch_server (f);
  bookings = batch_bookings (f, eligible_ids, G_N_ELEMENTS (eligible_ids));
  pc_sandbox_set_latency (f->sandbox, LATENCY_MS);

  g_assert_true (pc_reinviter_start_batch (f->reinviter, bookings, NULL));
  PC_TEST_WAIT_UNTIL (pc_sandbox_count_requests (f->sandbox, "POST", REINVITE_PATH) ==
                      PC_REINVITER_MAX_IN_FLIGHT);
  pc_reinviter_cancel_batch (f->reinviter);

  PC_TEST_WAIT_UNTIL (f->batches->len == 1);
  result = g_ptr_array_index (f->batches, 0);
  g_assert_cmpuint (f->finished->len, ==, G_N_ELEMENTS (eligible_ids));

  /* The waiting three were never sent; the four in flight were reconciled. */
  g_assert_cmpuint (pc_sandbox_count_requests (f->sandbox, "POST", REINVITE_PATH), ==,
                    PC_REINVITER_MAX_IN_FLIGHT);
  for (guint i = 0; i < G_N_ELEMENTS (eligible_ids); i++)
    {
      gint64 id = eligible_ids[i];
      gint index = pc_reinvite_batch_find (result, id);

      if (count_posts (f, id) == 0)
        {
          g_assert_cmpint (pc_reinvite_batch_get_outcome (result, index), ==,
                           PC_REINVITE_OUTCOME_CANCELLED);
          g_assert_error (pc_reinvite_batch_get_error (result, index), G_IO_ERROR,
                          G_IO_ERROR_CANCELLED);
          g_assert_cmpint (server_status (f, id), ==, PC_BOOKING_STATUS_PENDING);
        }
      else
        {
          sent++;
          assert_reconciled (f, id, NULL);
          g_assert_cmpint (pc_reinvite_batch_get_outcome (result, index), ==,
                           server_status (f, id) == PC_BOOKING_STATUS_REJECTED ?
                           PC_REINVITE_OUTCOME_SUCCEEDED : PC_REINVITE_OUTCOME_CANCELLED);
        }
    }
  g_assert_cmpuint (sent, ==, PC_REINVITER_MAX_IN_FLIGHT);
  g_assert_false (pc_reinviter_get_busy (f->reinviter));
}

static void
test_batch_single_cancel (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GPtrArray) bookings = NULL;
  PcReinviteBatch *result;

  setup_batch_server (f);
  bookings = batch_bookings (f, eligible_ids, G_N_ELEMENTS (eligible_ids));
  pc_sandbox_set_latency (f->sandbox, LATENCY_MS);

  /* The last one waits for a slot: cancelling it drops it unsent. */
  g_assert_true (pc_reinviter_start_batch (f->reinviter, bookings, NULL));
  pc_reinviter_cancel (f->reinviter, 4900003);
  g_assert_false (pc_reinviter_is_busy_for (f->reinviter, 4900003));
  g_assert_cmpuint (f->finished->len, ==, 1);
  g_assert_error (get_finished (f, 0)->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  PC_TEST_WAIT_UNTIL (f->batches->len == 1);
  result = g_ptr_array_index (f->batches, 0);
  g_assert_cmpuint (pc_reinvite_batch_count (result, PC_REINVITE_OUTCOME_SUCCEEDED), ==, 6);
  g_assert_cmpuint (pc_reinvite_batch_count (result, PC_REINVITE_OUTCOME_CANCELLED), ==, 1);
  g_assert_cmpuint (count_posts (f, 4900003), ==, 0);
  g_assert_cmpuint (pc_sandbox_count_requests (f->sandbox, "POST", REINVITE_PATH), ==, 6);
}

static void
test_drafts (Fixture       *f,
             gconstpointer  data)
{
  g_assert_null (pc_reason_drafts_get (f->drafts, NIGHT_OWL));

  pc_reason_drafts_set (f->drafts, NIGHT_OWL, "half a tho");
  pc_reason_drafts_set (f->drafts, LATE_LARK, "other");
  g_assert_cmpstr (pc_reason_drafts_get (f->drafts, NIGHT_OWL), ==, "half a tho");
  pc_reason_drafts_set (f->drafts, NIGHT_OWL, "half a thought");
  g_assert_cmpstr (pc_reason_drafts_get (f->drafts, NIGHT_OWL), ==, "half a thought");
  g_assert_cmpstr (pc_reason_drafts_get (f->drafts, LATE_LARK), ==, "other");

  pc_reason_drafts_set (f->drafts, NIGHT_OWL, "");
  g_assert_null (pc_reason_drafts_get (f->drafts, NIGHT_OWL));
  pc_reason_drafts_set (f->drafts, LATE_LARK, NULL);
  g_assert_null (pc_reason_drafts_get (f->drafts, LATE_LARK));
}

static void
busy_changed_cb (PcReinviter *reinviter,
                 GParamSpec  *pspec,
                 GString     *changes)
{
  g_string_append_c (changes, pc_reinviter_get_busy (reinviter) ? '1' : '0');
}

/* The application holds itself while the reinviter is busy: busy goes up once when a
 * re-invite starts and down once when the last one ends. */
static void
test_busy_notify (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GString) changes = g_string_new (NULL);

  g_signal_connect (f->reinviter, "notify::busy", G_CALLBACK (busy_changed_cb), changes);
  pc_sandbox_set_latency (f->sandbox, LATENCY_MS);
  g_assert_true (pc_reinviter_start (f->reinviter, lookup (f, NIGHT_OWL), NULL));
  g_assert_true (pc_reinviter_start (f->reinviter, lookup (f, LATE_LARK), NULL));
  g_assert_cmpstr (changes->str, ==, "1");
  g_assert_true (pc_reinviter_get_busy (f->reinviter));

  PC_TEST_WAIT_UNTIL (f->finished->len == 2);
  g_assert_cmpstr (changes->str, ==, "10");
  g_assert_false (pc_reinviter_get_busy (f->reinviter));
  g_signal_handlers_disconnect_by_func (f->reinviter, busy_changed_cb, changes);
}

static void
test_dispose_in_flight (Fixture       *f,
                        gconstpointer  data)
{
  pc_sandbox_set_latency (f->sandbox, LATENCY_MS);
  g_assert_true (pc_reinviter_start (f->reinviter, lookup (f, NIGHT_OWL), NULL));
  PC_TEST_WAIT_UNTIL (count_posts (f, NIGHT_OWL) == 1);

  /* The application quits with a request in flight: nothing is reported afterwards,
   * and nothing is left behind. */
  g_signal_handlers_disconnect_by_data (f->reinviter, f);
  g_assert_finalize_object (g_steal_pointer (&f->reinviter));
  pc_test_drain_main_context ();
  g_assert_cmpuint (f->finished->len, ==, 0);
}

/* A re-invite is in the record before it leaves (a crash or a kill while it waits must
 * not lose it), without showing as unknown here while its answer is still to come; a
 * definite answer removes it. */
static void
test_outcome_recorded_in_flight (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(PcOutcomeLog) log = use_outcome_log (f);
  PcBooking *booking = lookup (f, NIGHT_OWL);

  pc_sandbox_set_latency (f->sandbox, NEVER_MS);
  pc_sandbox_set_fault_limit (f->sandbox, 1);
  g_assert_true (pc_reinviter_start (f->reinviter, booking, "Sorry"));
  PC_TEST_WAIT_UNTIL (count_posts (f, NIGHT_OWL) == 1);
  g_assert_true (pc_outcome_log_save (log, NULL));

  g_assert_true (pc_test_outcome_marked (pc_sandbox_get_url (f->sandbox), NIGHT_OWL));
  g_assert_false (pc_booking_get_outcome_unknown (booking));
  /* A refresh meanwhile does not settle it either way. */
  read_into_store (f, NIGHT_OWL);
  g_assert_false (pc_booking_get_outcome_unknown (booking));
  g_assert_true (pc_outcome_log_save (log, NULL));
  g_assert_true (pc_test_outcome_marked (pc_sandbox_get_url (f->sandbox), NIGHT_OWL));

  pc_sandbox_release_held (f->sandbox);
  WAIT_FINISHED (f, 1);
  g_assert_no_error (get_finished (f, 0)->error);
  g_assert_true (pc_outcome_log_save (log, NULL));
  g_assert_false (pc_test_outcome_marked (pc_sandbox_get_url (f->sandbox), NIGHT_OWL));
  g_assert_false (pc_booking_get_outcome_unknown (booking));
}

/* The reinviter goes away (signing out, another server) while a re-invite waits for its
 * answer: it will never be heard, so its outcome is unknown, here and in the record. */
static void
test_outcome_dispose_in_flight (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(PcOutcomeLog) log = use_outcome_log (f);
  PcBooking *booking = lookup (f, NIGHT_OWL);

  pc_sandbox_set_latency (f->sandbox, NEVER_MS);
  g_assert_true (pc_reinviter_start (f->reinviter, booking, NULL));
  PC_TEST_WAIT_UNTIL (count_posts (f, NIGHT_OWL) == 1);

  g_signal_handlers_disconnect_by_data (f->reinviter, f);
  g_assert_finalize_object (g_steal_pointer (&f->reinviter));
  pc_test_drain_main_context ();

  g_assert_true (pc_booking_get_outcome_unknown (booking));
  g_assert_true (pc_booking_store_is_outcome_unknown (f->store, booking));
  g_assert_true (pc_outcome_log_save (log, NULL));
  g_assert_true (pc_test_outcome_marked (pc_sandbox_get_url (f->sandbox), NIGHT_OWL));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  pc_test_init_logging ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/reinviter/success", test_success);
  ADD ("/reinviter/default-reason", test_default_reason);
  ADD ("/reinviter/rejected", test_rejected);
  ADD ("/reinviter/not-found", test_not_found);
  ADD ("/reinviter/network-error", test_network_error);
  ADD ("/reinviter/outcome-unknown/timeout", test_outcome_unknown_timeout);
  ADD ("/reinviter/outcome-unknown/settles", test_outcome_unknown_settles);
  ADD ("/reinviter/outcome-unknown/recorded-in-flight", test_outcome_recorded_in_flight);
  ADD ("/reinviter/outcome-unknown/dispose-in-flight", test_outcome_dispose_in_flight);
  ADD ("/reinviter/double-submit", test_double_submit);
  ADD ("/reinviter/retry-after-failure", test_retry_after_failure);
  ADD ("/reinviter/cancel/after-sent", test_cancel_after_sent);
  ADD ("/reinviter/cancel/at-once", test_cancel_at_once);
  ADD ("/reinviter/cancel/unreadable", test_cancel_unreadable);
  ADD ("/reinviter/batch", test_batch);
  ADD ("/reinviter/batch/nothing-to-send", test_batch_nothing_to_send);
  ADD ("/reinviter/batch/skips-busy", test_batch_skips_busy);
  ADD ("/reinviter/batch/cancel", test_batch_cancel);
  ADD ("/reinviter/batch/cancel-waiting", test_batch_single_cancel);
  ADD ("/reinviter/drafts", test_drafts);
  ADD ("/reinviter/busy-notify", test_busy_notify);
  ADD ("/reinviter/dispose-in-flight", test_dispose_in_flight);

#undef ADD

  return g_test_run ();
}
