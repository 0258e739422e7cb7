/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <malloc.h>
#include <stdio.h>
#include <string.h>

#include <libsoup/soup.h>

#include "pc-api.h"
#include "pc-booking.h"
#include "pc-booking-store.h"
#include "pc-clock.h"
#include "pc-reinviter.h"
#include "pc-sandbox.h"
#include "test-utils.h"

/* Load: a thousand re-invites through the batch path, against a real PcSandbox on
 * loopback in this process, through a real PcApi. Every re-invite ends (succeeded, or
 * failed with an error), the server saw one POST for each, the process's file
 * descriptors come back once the client lets its connections go, and memory settles:
 * a second batch of a thousand costs no more than a small bound over the first.
 *
 * The figures (file descriptors, memory, wall time) go to the test log as messages;
 * only the file descriptors and the memory are asserted, never a duration. */

#define REINVITE_PATH "/v1/PhoneChat/ReInvite"
#define N_BOOKINGS    1000
/* The client's connections, as the application's: enough for
 * PC_REINVITER_MAX_IN_FLIGHT POSTs at once. Each costs two descriptors here, the client's
 * and the server's. */
#define MAX_CONNS     8

/* How much the second batch may add to what the first left: caches and allocator slack,
 * far below what a thousand leaked connections, messages or bookings would cost. The
 * resident size also carries the allocator's fragmentation, hence its looser bound. */
#define RSS_BOUND_KB  4096
#define HEAP_BOUND_KB 1024

#if defined(__SANITIZE_ADDRESS__)
#define PC_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PC_TEST_ASAN 1
#endif
#endif

#ifdef PC_TEST_ASAN
/* AddressSanitizer keeps freed memory in quarantine, so the resident size only grows:
 * there only the live heap its allocator reports must settle. */
size_t __sanitizer_get_current_allocated_bytes (void);
#endif

typedef struct
{
  PcClock         *clock;
  PcSandbox       *sandbox;
  SoupSession     *session;
  PcApi           *api;
  PcBookingStore  *store;
  PcReinviter     *reinviter;
  PcReinviteBatch *result;
  guint            n_finished;
} Fixture;

/* Open file descriptors of this process (the listing's own included, every time). */
static guint
count_fds (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, &error);
  guint count = 0;

  g_assert_no_error (error);
  while (g_dir_read_name (dir) != NULL)
    count++;

  return count;
}

/* TCP connections to or from @port that still hold a descriptor on both ends or on the
 * server's (ESTABLISHED, CLOSE-WAIT): all of them this process's, as it listens there. */
static guint
count_open_connections (guint port)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  guint count = 0;

  g_file_get_contents ("/proc/net/tcp", &contents, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (contents, "\n", -1);

  /* "  sl  local_address rem_address   st …": addresses as HEX_IP:HEX_PORT. */
  for (guint i = 1; lines[i] != NULL; i++)
    {
      unsigned int local_port, remote_port, state;

      if (sscanf (lines[i], "%*u: %*x:%x %*x:%x %x", &local_port, &remote_port, &state) != 3)
        continue;
      if ((local_port == port || remote_port == port) &&
          (state == 0x01 /* ESTABLISHED */ || state == 0x08 /* CLOSE_WAIT */))
        count++;
    }

  return count;
}

/* VmRSS from /proc/self/status, in kB. */
static guint64
read_rss_kb (void)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  const char *line;

  g_file_get_contents ("/proc/self/status", &contents, NULL, &error);
  g_assert_no_error (error);
  line = strstr (contents, "\nVmRSS:");
  g_assert_nonnull (line);

  return g_ascii_strtoull (line + strlen ("\nVmRSS:"), NULL, 10);
}

/* The heap in use, in kB: what AddressSanitizer's allocator holds live, or with glibc
 * the main arena's allocated bytes. It tells a leak (the heap growing) from
 * fragmentation (the resident size growing alone). */
#ifdef PC_TEST_ASAN
#define HEAP_KIND "live heap (AddressSanitizer)"
#else
#define HEAP_KIND "heap in use (glibc main arena)"
#endif

static guint64
read_heap_kb (void)
{
#if defined(PC_TEST_ASAN)
  return __sanitizer_get_current_allocated_bytes () / 1024;
#elif defined(__GLIBC__)
  return mallinfo2 ().uordblks / 1024;
#else
#error "The load test measures the heap with glibc's mallinfo2() or AddressSanitizer's allocator"
#endif
}

static void
batch_finished_cb (PcReinviter     *reinviter,
                   PcReinviteBatch *result,
                   Fixture         *f)
{
  g_assert_null (f->result);
  f->result = pc_reinvite_batch_ref (result);
}

static void
finished_cb (PcReinviter  *reinviter,
             PcBooking    *booking,
             const GError *error,
             Fixture      *f)
{
  f->n_finished++;
}

/* The client lets its idle connections go, as it does once they time out; then every
 * connection must close on both ends. */
static void
close_connections (Fixture *f)
{
  soup_session_abort (f->session);
  PC_TEST_WAIT_UNTIL (count_open_connections (pc_sandbox_get_port (f->sandbox)) == 0);
  pc_test_drain_main_context ();
}

/* Fills the store the way the application does, from the server. Returns the bookings,
 * the store's own objects. */
static GPtrArray *
load_store (Fixture *f)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *bookings;

  pc_api_list_all_bookings_async (f->api, 100, NULL, NULL, NULL, NULL,
                                  pc_test_store_result_cb, &result);
  PC_TEST_WAIT_UNTIL (result != NULL);
  listed = pc_api_list_all_bookings_finish (f->api, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (listed->len, ==, N_BOOKINGS);

  pc_booking_store_replace_all (f->store, listed);
  bookings = g_ptr_array_new_full (listed->len, g_object_unref);
  for (guint i = 0; i < listed->len; i++)
    {
      gint64 id = pc_booking_get_booking_id (g_ptr_array_index (listed, i));
      PcBooking *booking = pc_booking_store_lookup (f->store, id);

      g_assert_nonnull (booking);
      g_assert_true (pc_booking_get_can_reinvite (booking));
      g_ptr_array_add (bookings, g_object_ref (booking));
    }

  return bookings;
}

/* Runs one batch over @bookings and checks that every re-invite ended and was sent
 * once. Returns the wall time in ms, for the log. */
static double
run_batch (Fixture   *f,
           GPtrArray *bookings)
{
  PcReinviteBatch *result;
  gint64 start;
  double elapsed_ms;
  guint succeeded, failed;

  pc_sandbox_clear_requests (f->sandbox);
  g_clear_pointer (&f->result, pc_reinvite_batch_unref);
  f->n_finished = 0;

  start = g_get_monotonic_time ();
  g_assert_true (pc_reinviter_start_batch (f->reinviter, bookings, "Sorry, I missed our call."));
  /* A thousand take long under a sanitizer: wait for each to end, not for all at once. */
  while (f->result == NULL)
    {
      guint n_finished = f->n_finished;

      PC_TEST_WAIT_UNTIL (f->result != NULL || f->n_finished > n_finished);
    }
  elapsed_ms = (g_get_monotonic_time () - start) / 1000.0;
  pc_test_drain_main_context ();
  g_assert_false (pc_reinviter_get_busy (f->reinviter));

  /* None lost: one entry per booking, each succeeded or failed with its error. */
  result = f->result;
  g_assert_cmpuint (pc_reinvite_batch_get_n_items (result), ==, N_BOOKINGS);
  g_assert_cmpuint (f->n_finished, ==, N_BOOKINGS);
  succeeded = pc_reinvite_batch_count (result, PC_REINVITE_OUTCOME_SUCCEEDED);
  failed = pc_reinvite_batch_count (result, PC_REINVITE_OUTCOME_FAILED);
  g_assert_cmpuint (pc_reinvite_batch_count (result, PC_REINVITE_OUTCOME_SKIPPED), ==, 0);
  g_assert_cmpuint (pc_reinvite_batch_count (result, PC_REINVITE_OUTCOME_CANCELLED), ==, 0);
  g_assert_cmpuint (succeeded + failed, ==, N_BOOKINGS);

  for (guint i = 0; i < bookings->len; i++)
    {
      gint64 id = pc_booking_get_booking_id (g_ptr_array_index (bookings, i));
      gint index = pc_reinvite_batch_find (result, id);
      PcBooking *held = pc_sandbox_lookup (f->sandbox, id);

      g_assert_cmpint (index, >=, 0);
      if (pc_reinvite_batch_get_outcome (result, index) == PC_REINVITE_OUTCOME_SUCCEEDED)
        {
          /* On the server, and in the store in place. */
          g_assert_null (pc_reinvite_batch_get_error (result, index));
          g_assert_cmpint (pc_booking_get_status (held), ==, PC_BOOKING_STATUS_REJECTED);
          g_assert_cmpint (pc_booking_get_status (g_ptr_array_index (bookings, i)), ==,
                           PC_BOOKING_STATUS_REJECTED);
        }
      else
        {
          g_assert_nonnull (pc_reinvite_batch_get_error (result, index));
          g_assert_nonnull (pc_reinvite_batch_get_message (result, index));
        }
    }

  /* Exactly one POST per booking: nothing retried, nothing lost on the way. */
  g_assert_cmpuint (pc_sandbox_count_requests (f->sandbox, "POST", REINVITE_PATH), ==,
                    N_BOOKINGS);
  g_assert_cmpuint (pc_sandbox_count_requests (f->sandbox, NULL, NULL), ==, N_BOOKINGS);

  g_test_message ("batch: %u succeeded, %u failed in %.0f ms", succeeded, failed, elapsed_ms);
  return elapsed_ms;
}

static void
test_batch_1000 (void)
{
  g_autoptr(GDateTime) now = pc_test_utc (2025, 6, 15, 12, 0, 0);
  g_autoptr(GPtrArray) bookings = NULL;
  g_autoptr(GError) error = NULL;
  Fixture fixture = { 0, }, *f = &fixture;
  guint fds_start, fds_busy, fds_after_first, fds_after_second;
  guint64 rss_start, rss_first, rss_second;
  guint64 heap_start, heap_first, heap_second;
  double ms_first, ms_second;

  f->clock = pc_clock_new_fixed (now);
  f->sandbox = pc_sandbox_new (f->clock, NULL);
  pc_sandbox_load_reinvitable (f->sandbox, N_BOOKINGS);
  pc_sandbox_listen (f->sandbox, 0, &error);
  g_assert_no_error (error);

  f->session = soup_session_new_with_options ("max-conns-per-host", MAX_CONNS, NULL);
  f->api = pc_api_new (f->session, pc_sandbox_get_url (f->sandbox), &error);
  g_assert_no_error (error);
  pc_api_set_token (f->api, PC_SANDBOX_DEFAULT_TOKEN);
  f->store = pc_booking_store_new (f->clock);
  f->reinviter = pc_reinviter_new (f->api, f->store);
  g_signal_connect (f->reinviter, "batch-finished", G_CALLBACK (batch_finished_cb), f);
  g_signal_connect (f->reinviter, "finished::batch", G_CALLBACK (finished_cb), f);

  /* The starting point: the store loaded, no connection left open. */
  bookings = load_store (f);
  close_connections (f);
  fds_start = count_fds ();
  rss_start = read_rss_kb ();
  heap_start = read_heap_kb ();

  ms_first = run_batch (f, bookings);
  /* While the client keeps its idle connections: as many as it may have, not one per
   * request (a connection the client has just closed may still wait for the server to
   * see it). */
  PC_TEST_WAIT_UNTIL (count_fds () <= fds_start + 2 * MAX_CONNS);
  fds_busy = count_fds ();
  close_connections (f);
  fds_after_first = count_fds ();
  rss_first = read_rss_kb ();
  heap_first = read_heap_kb ();

  /* A second thousand, fresh on the server and in the store. */
  g_clear_pointer (&bookings, g_ptr_array_unref);
  pc_sandbox_load_reinvitable (f->sandbox, N_BOOKINGS);
  bookings = load_store (f);
  ms_second = run_batch (f, bookings);
  close_connections (f);
  fds_after_second = count_fds ();
  rss_second = read_rss_kb ();
  heap_second = read_heap_kb ();

  g_test_message ("fds: %u at the start, %u with the client's idle connections, "
                  "%u after the first batch, %u after the second",
                  fds_start, fds_busy, fds_after_first, fds_after_second);
  g_test_message ("VmRSS: %" G_GUINT64_FORMAT " kB at the start, %" G_GUINT64_FORMAT
                  " kB after the first batch, %" G_GUINT64_FORMAT " kB after the second",
                  rss_start, rss_first, rss_second);
  g_test_message (HEAP_KIND ": %" G_GUINT64_FORMAT " kB at the start, %" G_GUINT64_FORMAT
                  " kB after the first batch, %" G_GUINT64_FORMAT " kB after the second",
                  heap_start, heap_first, heap_second);
  g_test_message ("wall time: %.0f ms for the first batch, %.0f ms for the second",
                  ms_first, ms_second);

  g_assert_cmpuint (fds_after_first, ==, fds_start);
  g_assert_cmpuint (fds_after_second, ==, fds_start);
  g_assert_cmpuint (heap_second, <=, heap_first + HEAP_BOUND_KB);
#ifndef PC_TEST_ASAN
  g_assert_cmpuint (rss_second, <=, rss_first + RSS_BOUND_KB);
#endif

  g_clear_pointer (&bookings, g_ptr_array_unref);
  g_clear_pointer (&f->result, pc_reinvite_batch_unref);
  g_assert_finalize_object (f->reinviter);
  g_assert_finalize_object (f->store);
  g_assert_finalize_object (f->api);
  g_clear_object (&f->session);
  pc_test_drain_main_context ();
  pc_sandbox_stop (f->sandbox);
  g_assert_finalize_object (f->sandbox);
  g_assert_finalize_object (f->clock);
}

static void
drop_log (const char     *log_domain,
          GLogLevelFlags  log_level,
          const char     *message,
          gpointer        user_data)
{
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  pc_test_init_logging ();
  /* Two lines per re-invite would bury the figures in the log. */
  g_log_set_handler ("pc-reinviter", G_LOG_LEVEL_DEBUG, drop_log, NULL);

  g_test_add_func ("/load/batch/1000", test_batch_1000);

  return g_test_run ();
}
