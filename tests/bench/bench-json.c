/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * JSON → PcBookingStore benchmark. In one process, for a 100-booking page and a
 * 10,000-booking document already in memory, it measures side by side (interleaved runs,
 * medians) json-glib's parse alone and our whole path (parse, typed fill, store merge),
 * and reports the ratio, bookings/s, MB/s, and memory: the peak while building and what
 * stays alive once the store exists (the parse tree must be gone by then).
 */
#include "config.h"

#include <locale.h>
#include <malloc.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "pc-booking.h"
#include "pc-booking-store.h"
#include "pc-client.h"
#include "pc-json.h"

/* Heap accounting. The benchmark defines the allocator entry points itself, so every
 * allocation of GLib, json-glib and ours in this process passes through these counters
 * (the executable's symbols win over libc's); the real work is glibc's. */
extern void *__libc_malloc (size_t size);
extern void *__libc_calloc (size_t n, size_t size);
extern void *__libc_realloc (void *ptr, size_t size);
extern void *__libc_memalign (size_t alignment, size_t size);
extern void  __libc_free (void *ptr);

static size_t heap_now;
static size_t heap_peak;

static inline void
heap_add (void *ptr)
{
  if (ptr != NULL)
    {
      size_t now = __atomic_add_fetch (&heap_now, malloc_usable_size (ptr), __ATOMIC_RELAXED);

      if (now > heap_peak)
        heap_peak = now;
    }
}

static inline void
heap_sub (void *ptr)
{
  if (ptr != NULL)
    __atomic_sub_fetch (&heap_now, malloc_usable_size (ptr), __ATOMIC_RELAXED);
}

void *malloc (size_t size);
void *calloc (size_t n, size_t size);
void *realloc (void *ptr, size_t size);
void  free (void *ptr);
int   posix_memalign (void **out, size_t alignment, size_t size);
void *memalign (size_t alignment, size_t size);
void *aligned_alloc (size_t alignment, size_t size);

void *
malloc (size_t size)
{
  void *p = __libc_malloc (size);

  heap_add (p);
  return p;
}

void *
calloc (size_t n,
        size_t size)
{
  void *p = __libc_calloc (n, size);

  heap_add (p);
  return p;
}

void *
realloc (void   *ptr,
         size_t  size)
{
  void *p;

  heap_sub (ptr);
  p = __libc_realloc (ptr, size);
  heap_add (p != NULL ? p : (size != 0 ? ptr : NULL));
  return p;
}

void
free (void *ptr)
{
  heap_sub (ptr);
  __libc_free (ptr);
}

void *
memalign (size_t alignment,
          size_t size)
{
  void *p = __libc_memalign (alignment, size);

  heap_add (p);
  return p;
}

void *
aligned_alloc (size_t alignment,
               size_t size)
{
  return memalign (alignment, size);
}

int
posix_memalign (void   **out,
                size_t   alignment,
                size_t   size)
{
  void *p = memalign (alignment, size);

  if (p == NULL)
    return 12; /* ENOMEM */
  *out = p;
  return 0;
}

static const char * const nicknames[] = {
  "NightOwl_77", "quiet_caller", "Brummie_Bob", "late_lark", "SilverFox", "Cheeky_Chap",
  "MidnightRider", "GentleGiant", "Scouse_Sam", "OldSchoolRomeo",
};

static const char * const statuses[] = { "Pending", "Accepted", "Rejected", "Confirmed", "Cancelled" };

static GBytes *
make_document (guint n,
               gboolean envelope)
{
  g_autoptr(GTimeZone) zone = pc_json_get_default_zone ();
  g_autoptr(GDateTime) base = g_date_time_new (zone, 2025, 6, 1, 9, 0, 0);
  g_autoptr(GPtrArray) bookings = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(JsonNode) node = NULL;
  char *text;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GDateTime) created = g_date_time_add_minutes (base, (int) i * 7);
      g_autoptr(GDateTime) session = g_date_time_add_hours (created, 26);
      g_autoptr(GDateTime) accept_by = g_date_time_add_hours (created, 20);
      g_autoptr(GDateTime) updated = g_date_time_add_seconds (created, 3600.123);
      g_autoptr(GDateTime) accepted = g_date_time_add_seconds (created, 1800.5);
      g_autofree char *phone = g_strdup_printf ("07700900%03u", i % 1000);
      g_autofree char *comment = g_strdup_printf ("Booking number %u - free after 9pm, hope that suits you.", i);
      PcBooking *b = pc_booking_new ();
      const char *status = statuses[i % G_N_ELEMENTS (statuses)];
      gboolean accepted_like = g_str_equal (status, "Accepted") || g_str_equal (status, "Confirmed");

      g_object_set (b,
                    "booking-id", (gint64) (5000000 + i),
                    "duration", (int) (5 + i % 4 * 5),
                    "credits", (gint64) ((10 + i % 40) * 10000 + (i % 2) * 5000),
                    "status-text", status,
                    "method-code", (int) (1 + i % 3),
                    "phone-number", i % 3 == 0 ? phone : NULL,
                    "skype-name", i % 3 == 2 ? "caller.example" : NULL,
                    "create-date", created,
                    "session-date", session,
                    "accept-by", accept_by,
                    "accepted-date", accepted_like ? accepted : NULL,
                    "last-updated", updated,
                    "comments", i % 2 == 0 ? comment : NULL,
                    "action-candidate", i % 5 == 0 ? "The session time has passed. You can re-invite the client." : NULL,
                    NULL);
      g_object_set (pc_booking_get_client (b),
                    "user-id", (gint64) (100000 + i % 977),
                    "nickname", nicknames[i % G_N_ELEMENTS (nicknames)],
                    "phone-number", i % 3 == 0 ? phone : NULL,
                    "total", (int) (i % 50), "positive", (int) (i % 40), "neutral", (int) (i % 7),
                    "negative", (int) (i % 3), "ratings", (int) (i % 50), "disputes", (int) (i % 2),
                    NULL);
      g_ptr_array_add (bookings, b);
    }

  if (envelope)
    {
      PcReceivedPage page = { 1, 1, (gint) n, (gint) n, bookings };

      node = pc_json_page_to_node (&page, zone);
    }
  else
    node = pc_json_bookings_to_node (bookings, zone);

  text = pc_json_node_to_string (node, FALSE);
  return g_bytes_new_take (text, strlen (text));
}

static void
parse_only (GBytes *bytes)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  if (!json_parser_load_from_data (parser, data, len, NULL))
    g_error ("parse failed");
}

/* Never inlined: the instruction count (check-instructions.sh) collects this function by
 * name. */
G_GNUC_NO_INLINE static PcBookingStore *
build_store (GBytes *bytes)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PcReceivedPage) page = pc_json_page_from_bytes (bytes, NULL, &error);
  PcBookingStore *store;

  if (page == NULL)
    g_error ("%s", error->message);

  store = pc_booking_store_new (NULL);
  pc_booking_store_merge (store, page->bookings);
  return store;
}

/* Run with G_SLICE=always-malloc: GLib 2.74's slice allocator keeps freed blocks to itself,
 * which would hide GDateTime and GObject memory from the counters. */
static void
measure_memory (const char *name,
                GBytes     *bytes)
{
  gsize len = g_bytes_get_size (bytes);
  gsize before, tree_bytes, after_build, peak_extra;
  guint n_bookings;

  g_object_unref (build_store (bytes));

  /* Memory: the parse tree alone; then, building the store, the peak and what stays
   * alive once the store exists (models only, if the tree was freed on the way). */
  before = heap_now;
  heap_peak = heap_now;
  {
    g_autoptr(JsonParser) parser = json_parser_new ();

    json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), len, NULL);
    tree_bytes = heap_now - before;
  }
  before = heap_now;
  heap_peak = heap_now;
  {
    PcBookingStore *store = build_store (bytes);

    after_build = heap_now - before;
    peak_extra = heap_peak - before;
    n_bookings = g_list_model_get_n_items (G_LIST_MODEL (store));
    g_object_unref (store);
  }

  printf ("%s memory: payload %.1f KiB\n", name, len / 1024.0);
  printf ("  parse tree alone %.1f KiB; alive once the store exists %.1f KiB (models: the tree is gone)\n",
          tree_bytes / 1024.0, after_build / 1024.0);
  printf ("  peak heap while building %.1f KiB = %.2f× payload (target ≤ 10×: %s)\n",
          peak_extra / 1024.0, (double) peak_extra / len,
          (double) peak_extra / len <= 10 ? "met" : "NOT MET");
  printf ("BENCH|JSON peak heap, %s|%.0f KiB|%.0f KiB payload|%.2f×|≤ 10.00×|%s\n", name,
          peak_extra / 1024.0, len / 1024.0, (double) peak_extra / len,
          (double) peak_extra / len <= 10 ? "pass" : "FAIL");
  /* What each booking keeps for as long as the app runs, against the share of the
   * application's memory budget (100,000 bookings in 40 MiB more than 10,000) that one
   * booking may take, everything else included: a reference for that figure. */
  if (n_bookings > 0)
    {
      double per_booking = (double) after_build / n_bookings;
      double share = 40.0 * 1024 * 1024 / 90000;

      printf ("BENCH|Store heap per booking, %s|%.0f B|budget share %.0f B (40 MiB / 90,000)"
              "|%.2f×|report|pass\n", name, per_booking, share, per_booking / share);
    }
}

static int
cmp_double (const void *a,
            const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (double *v,
        guint   n)
{
  qsort (v, n, sizeof *v, cmp_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void
run (const char *name,
     GBytes     *bytes,
     guint       n_bookings,
     guint       rounds,
     double      max_ratio,
     double      max_ms)
{
  double *parse_t = g_new (double, rounds);
  double *build_t = g_new (double, rounds);
  double *free_t = g_new (double, rounds);
  gsize len = g_bytes_get_size (bytes);
  double parse_ms, build_ms, ratio;

  /* Warm up caches and the type system. */
  parse_only (bytes);
  g_object_unref (build_store (bytes));

  for (guint r = 0; r < rounds; r++)
    {
      gint64 t0, t1;
      PcBookingStore *store;

      /* Interleaved, so that noise from the shared machine hits both sides alike. */
      t0 = g_get_monotonic_time ();
      parse_only (bytes);
      t1 = g_get_monotonic_time ();
      parse_t[r] = (t1 - t0) / 1000.0;

      t0 = g_get_monotonic_time ();
      store = build_store (bytes);
      t1 = g_get_monotonic_time ();
      build_t[r] = (t1 - t0) / 1000.0;

      t0 = g_get_monotonic_time ();
      g_object_unref (store);
      free_t[r] = (g_get_monotonic_time () - t0) / 1000.0;
    }

  parse_ms = median (parse_t, rounds);
  build_ms = median (build_t, rounds);
  ratio = build_ms / parse_ms;

  printf ("%s: %u bookings, %.1f KiB payload, %u rounds\n", name, n_bookings, len / 1024.0, rounds);
  printf ("  json-glib parse only   median %8.3f ms\n", parse_ms);
  printf ("  bytes → PcBookingStore median %8.3f ms  (%.0f bookings/s, %.1f MB/s)\n",
          build_ms, n_bookings / (build_ms / 1000.0), len / 1e6 / (build_ms / 1000.0));
  printf ("  ratio to parse alone   %.2f×  (target ≤ %.2f×: %s)\n", ratio, max_ratio,
          ratio <= max_ratio ? "met" : "NOT MET");
  if (max_ms > 0)
    printf ("  time target            ≤ %.1f ms: %s\n", max_ms, build_ms <= max_ms ? "met" : "NOT MET");
  printf ("  store teardown median  %8.3f ms\n", median (free_t, rounds));
  printf ("BENCH|JSON → store, %s|%.3f ms|%.3f ms (json-glib parse alone)|%.2f×|≤ %.2f×|%s\n",
          name, build_ms, parse_ms, ratio, max_ratio, ratio <= max_ratio ? "pass" : "FAIL");

  g_free (parse_t);
  g_free (build_t);
  g_free (free_t);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GBytes) page = NULL;
  g_autoptr(GBytes) doc = NULL;
  guint scale = argc > 1 ? (guint) atoi (argv[1]) : 1;

  setlocale (LC_ALL, "");

  /* `bench-json profile`: only our path, for callgrind or perf; the instruction count of
   * build_store() in it is the regression figure (tests/bench/json-instructions.txt). */
  if (argc > 1 && g_str_equal (argv[1], "profile"))
    {
      page = make_document (100, TRUE);
      for (guint i = 0; i < 50; i++)
        g_object_unref (build_store (page));
      return 0;
    }

  if (scale == 0)
    scale = 1;

  page = make_document (100, TRUE);
  doc = make_document (10000, TRUE);

  if (argc > 1 && g_str_equal (argv[1], "memory"))
    {
      measure_memory ("10,000-booking document", doc);
      measure_memory ("100-booking page", page);
      return 0;
    }

  run ("10,000-booking document", doc, 10000, 11 * scale, 1.25, 0);
  run ("100-booking page", page, 100, 201 * scale, 1.25, 2.0);
  fflush (stdout);

  /* Memory in a child of our own, with every allocation visible to the counters. */
  {
    const char *child_argv[] = { "/proc/self/exe", "memory", NULL };
    g_auto(GStrv) env = g_environ_setenv (g_get_environ (), "G_SLICE", "always-malloc", TRUE);
    g_autoptr(GError) error = NULL;

    if (!g_spawn_sync (NULL, (char **) child_argv, env, G_SPAWN_CHILD_INHERITS_STDOUT, NULL, NULL,
                       NULL, NULL, NULL, &error))
      g_printerr ("memory measurement failed: %s\n", error->message);
  }

  return 0;
}
