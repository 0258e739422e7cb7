/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Sandbox paging benchmark. In one process, two PcSandboxes listen on 127.0.0.1: one holds
 * 1,000 bookings, the other 100,000, loaded through the sandbox's own API. A SoupSession
 * fetches the same page (page 5 of 100 bookings, the app's order) from each, over HTTP,
 * alternating between the two for several rounds, and reports the median of each and
 * their ratio. A page should cost about the same however many bookings the sandbox holds.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <libsoup/soup.h>

#include "pc-booking.h"
#include "pc-client.h"
#include "pc-clock.h"
#include "pc-json.h"
#include "pc-sandbox.h"

#define TOKEN PC_SANDBOX_DEFAULT_TOKEN

static int rounds = 21;
static int page_number = 5;
static int per_page = 100;
static int small_count = 1000;
static int large_count = 100000;
static char *order_by = NULL;

static const GOptionEntry entries[] = {
  { "rounds", 'r', 0, G_OPTION_ARG_INT, &rounds, "Measurements of each sandbox (21)", "N" },
  { "page", 'p', 0, G_OPTION_ARG_INT, &page_number, "The page fetched (5)", "N" },
  { "per-page", 0, 0, G_OPTION_ARG_INT, &per_page, "Bookings per page (100)", "N" },
  { "small", 0, 0, G_OPTION_ARG_INT, &small_count, "Bookings in the small sandbox (1000)", "N" },
  { "large", 0, 0, G_OPTION_ARG_INT, &large_count, "Bookings in the large sandbox (100000)",
    "N" },
  { "order-by", 'o', 0, G_OPTION_ARG_STRING, &order_by, "OrderBy (the API's default)",
    "ORDER" },
  G_OPTION_ENTRY_NULL
};

typedef struct
{
  PcSandbox  *sandbox;
  char       *url;
  gint64     *samples;
  gint64      first_us;
  double      load_s;
} Target;

static void
send_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* Fetches @url and returns how long the whole answer took, in microseconds. The server
 * runs in this main context too, so its work is counted. */
static gint64
fetch (SoupSession  *session,
       const char   *url,
       GBytes      **body_out)
{
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;
  gint64 elapsed;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                "bearer " TOKEN);

  start = g_get_monotonic_time ();
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, send_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  body = soup_session_send_and_read_finish (session, result, &error);
  elapsed = g_get_monotonic_time () - start;

  if (body == NULL)
    g_error ("GET %s: %s", url, error->message);
  if (soup_message_get_status (msg) != SOUP_STATUS_OK)
    g_error ("GET %s: HTTP %u", url, soup_message_get_status (msg));

  if (body_out != NULL)
    *body_out = g_steal_pointer (&body);
  return elapsed;
}

/* @count bookings made from the demo set, with their own ids, dates spread over a year
 * and their own nicknames, added one by one with pc_sandbox_add_booking(). */
static void
load (PcSandbox *sandbox,
      GPtrArray *templates,
      guint      count,
      GDateTime *now)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (count);

  for (guint i = 0; i < count; i++)
    {
      PcBooking *template = g_ptr_array_index (templates, i % templates->len);
      g_autoptr(PcBooking) booking = pc_booking_copy (template);
      g_autoptr(GDateTime) session = NULL;
      g_autoptr(GDateTime) created = NULL;
      g_autofree char *nickname = NULL;

      /* Sessions on the quarter hour within half a year of now, booked up to ten days
       * before. */
      session = g_date_time_add_minutes (now, 15 * g_rand_int_range (rand, -180 * 96, 180 * 96));
      created = g_date_time_add_seconds (session, -g_rand_double_range (rand, 3600, 10 * 86400));
      nickname = g_strdup_printf ("caller_%08x", g_rand_int (rand));

      g_object_set (booking,
                    "booking-id", (gint64) 10000000 + i,
                    "session-date", session,
                    "create-date", created,
                    NULL);
      g_object_set (pc_booking_get_client (booking), "nickname", nickname, NULL);
      pc_sandbox_add_booking (sandbox, booking);
    }
}

static void
set_up (Target     *target,
        guint       count,
        PcClock    *clock,
        GPtrArray  *templates)
{
  g_autoptr(GDateTime) now = pc_clock_get_now (clock);
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimer) timer = g_timer_new ();

  target->sandbox = pc_sandbox_new (clock, NULL);
  load (target->sandbox, templates, count, now);
  target->load_s = g_timer_elapsed (timer, NULL);

  if (!pc_sandbox_listen (target->sandbox, 0, &error))
    g_error ("Listening: %s", error->message);

  target->url = g_strdup_printf ("%s/v1/PhoneChat/ReceivedBookings?PageNumber=%d"
                                 "&BookingsPerPage=%d%s%s",
                                 pc_sandbox_get_url (target->sandbox), page_number, per_page,
                                 order_by != NULL ? "&OrderBy=" : "",
                                 order_by != NULL ? order_by : "");
  target->samples = g_new0 (gint64, rounds);
}

/* The first request may do one-off work (such as sorting); it is reported but not part
 * of the medians. It also checks that the page is the one asked for. */
static void
warm_up (Target      *target,
         SoupSession *session)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(PcReceivedPage) page = NULL;
  g_autoptr(GTimeZone) zone = pc_json_get_default_zone ();
  g_autoptr(GError) error = NULL;
  guint total = pc_sandbox_get_bookings (target->sandbox)->len;
  guint expected;

  target->first_us = fetch (session, target->url, &body);
  page = pc_json_page_from_bytes (body, zone, &error);
  if (page == NULL)
    g_error ("%s: %s", target->url, error->message);

  expected = (guint) CLAMP ((gint64) total - (gint64) (page_number - 1) * per_page, 0, per_page);
  if (page->page_number != page_number || page->bookings_total != (gint) total ||
      page->bookings->len != expected)
    g_error ("%s: page %d of %u bookings (total %d) instead of page %d of %u (total %u)",
             target->url, page->page_number, page->bookings->len, page->bookings_total,
             page_number, expected, total);
}

static int
compare_samples (gconstpointer a,
                 gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

static double
median_ms (Target *target)
{
  g_autofree gint64 *sorted = g_memdup2 (target->samples, sizeof (gint64) * rounds);

  qsort (sorted, rounds, sizeof (gint64), compare_samples);
  if (rounds % 2 == 1)
    return sorted[rounds / 2] / 1000.0;

  return (sorted[rounds / 2 - 1] + sorted[rounds / 2]) / 2000.0;
}

static void
target_clear (Target *target)
{
  pc_sandbox_stop (target->sandbox);
  g_clear_object (&target->sandbox);
  g_clear_pointer (&target->url, g_free);
  g_clear_pointer (&target->samples, g_free);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_utc (2025, 6, 15, 12, 0, 0);
  g_autoptr(PcClock) clock = pc_clock_new_fixed (now);
  g_autoptr(PcSandbox) scratch = pc_sandbox_new (clock, NULL);
  SoupSession *session;
  Target small = { 0, };
  Target large = { 0, };
  double small_ms;
  double large_ms;

  g_option_context_set_summary (context, "Times one page of ReceivedBookings from a sandbox "
                                "with few bookings and from one with many.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  if (rounds < 1 || page_number < 1 || per_page < 1 || per_page > 100 || small_count < 1 ||
      large_count < 1)
    {
      g_printerr ("--rounds, --page and the counts must be 1 or more; --per-page 1 to 100.\n");
      return EXIT_FAILURE;
    }

  pc_sandbox_load_demo (scratch);
  set_up (&small, (guint) small_count, clock, pc_sandbox_get_bookings (scratch));
  set_up (&large, (guint) large_count, clock, pc_sandbox_get_bookings (scratch));
  g_clear_object (&scratch);

  session = soup_session_new ();
  warm_up (&small, session);
  warm_up (&large, session);

  /* Interleaved, and each round starting with the other one, so that a slower stretch of
   * the machine hits both alike. */
  for (int r = 0; r < rounds; r++)
    {
      Target *first = r % 2 == 0 ? &small : &large;
      Target *second = r % 2 == 0 ? &large : &small;

      first->samples[r] = fetch (session, first->url, NULL);
      second->samples[r] = fetch (session, second->url, NULL);
    }

  small_ms = median_ms (&small);
  large_ms = median_ms (&large);

  printf ("bench-sandbox: page %d of %d bookings (OrderBy %s), %d rounds, over HTTP on "
          "127.0.0.1\n", page_number, per_page, order_by != NULL ? order_by : "default",
          rounds);
  printf ("  %7d bookings: loaded in %6.2f s, first page %8.2f ms, median page %7.3f ms\n",
          small_count, small.load_s, small.first_us / 1000.0, small_ms);
  printf ("  %7d bookings: loaded in %6.2f s, first page %8.2f ms, median page %7.3f ms\n",
          large_count, large.load_s, large.first_us / 1000.0, large_ms);
  printf ("  ratio (median %d / median %d): %.2f (target: 2.00 or less)\n",
          large_count, small_count, large_ms / small_ms);
  printf ("BENCH|Sandbox page of %d, %d vs %d bookings|%.3f ms|%.3f ms|%.2f×|≤ 2.00×|%s\n",
          per_page, large_count, small_count, large_ms, small_ms, large_ms / small_ms,
          large_ms / small_ms <= 2.0 ? "pass" : "FAIL");

  g_object_unref (session);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  target_clear (&small);
  target_clear (&large);
  g_clear_pointer (&order_by, g_free);

  return EXIT_SUCCESS;
}
