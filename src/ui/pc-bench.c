/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pc-bench"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "pc-bench.h"
#include "pc-window-private.h"

typedef enum
{
  BENCH_UNKNOWN = -1,
  BENCH_OFF,
  BENCH_FIRST_FRAME,
  BENCH_LOAD,
} BenchMode;

static BenchMode
get_mode (void)
{
  static BenchMode mode = BENCH_UNKNOWN;

  if (mode == BENCH_UNKNOWN)
    {
      const char *value = g_getenv ("PHONECHAT_BENCH");

      if (g_strcmp0 (value, "first-frame") == 0)
        mode = BENCH_FIRST_FRAME;
      else if (g_strcmp0 (value, "load") == 0)
        mode = BENCH_LOAD;
      else
        mode = BENCH_OFF;
    }

  return mode;
}

static void
quit (PcWindow *window)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (window));

  fflush (stdout);
  if (application != NULL)
    g_application_quit (G_APPLICATION (application));
}

/* The first frame: the moment start-up is measured to. */
void
pc_bench_first_frame (PcWindow *window)
{
  struct timespec now;

  if (get_mode () != BENCH_FIRST_FRAME)
    return;

  clock_gettime (CLOCK_MONOTONIC, &now);
  printf ("phonechat-bench|first-frame|%lld\n",
          (long long) now.tv_sec * 1000000000LL + now.tv_nsec);
  quit (window);
}

/* The first load, watched from the window. */
typedef struct
{
  PcWindow      *window;        /* unowned: the watch lives as long as the window */
  PcBookingLoader *loader;
  GListModel    *store;
  GListModel    *rows;          /* what the list view shows */
  gulong         loading_id;
  gulong         items_changed_id;
  GdkFrameClock *frame_clock;
  gulong         after_paint_id;
  gint64         last_frame;    /* monotonic µs of the last frame while loading */
  gint64         frame_start;   /* of the frame being drawn (before-paint) */
  gint64         last_frame_cpu; /* the main thread's CPU time then, µs */
  gulong         before_paint_id;
  gint64         max_gap;
  guint          max_gap_at;    /* bookings in the store at the end of the largest gap */
  gint64         max_busy;      /* the most main-thread CPU time between two frames */
  guint          frames;
  guint          merges;        /* items-changed of the store that added bookings */
  gint           first_merge_rows; /* rows listed once the first bookings had merged */
  guint          first_merge_bookings;
  gboolean       started;
  gboolean       finished;      /* the load ended; print at the next frame */
  double         cpu_ms;        /* the process's CPU time at the load's last frame */
  guint          settled_id;    /* the report, once the app has settled after the load */
} Watch;

static void
watch_free (gpointer data)
{
  Watch *watch = data;

  g_clear_handle_id (&watch->settled_id, g_source_remove);
  if (watch->frame_clock != NULL)
    {
      g_clear_signal_handler (&watch->after_paint_id, watch->frame_clock);
      g_clear_signal_handler (&watch->before_paint_id, watch->frame_clock);
    }
  g_clear_object (&watch->frame_clock);
  g_clear_signal_handler (&watch->loading_id, watch->loader);
  g_clear_signal_handler (&watch->items_changed_id, watch->store);
  g_clear_object (&watch->loader);
  g_clear_object (&watch->store);
  g_clear_object (&watch->rows);
  g_free (watch);
}

static guint64
rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;
  guint64 kib = 0;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;
  line = strstr (status, "\nVmRSS:");
  if (line != NULL)
    kib = g_ascii_strtoull (line + strlen ("\nVmRSS:"), NULL, 10);

  return kib;
}

/* Memory is read once the app has settled after the load: what follows it at idle
 * priority (the watcher's baseline of every booking) is part of what the bookings cost. */
static gboolean
report_settled_cb (gpointer user_data)
{
  Watch *watch = user_data;
  guint64 heap_kib = 0;

  watch->settled_id = 0;

#ifdef __GLIBC__
  {
    struct mallinfo2 info = mallinfo2 ();

    heap_kib = (info.uordblks + info.hblkhd) / 1024;
  }
#endif

  printf ("phonechat-bench|load|bookings=%u|rows=%u|merges=%u|first_merge_bookings=%u"
          "|first_merge_rows=%d|frames=%u|max_gap_ms=%.1f|max_gap_at=%u|max_busy_ms=%.1f|cpu_ms=%.0f|rss_kib=%" G_GUINT64_FORMAT
          "|heap_kib=%" G_GUINT64_FORMAT "|error=%s\n",
          g_list_model_get_n_items (watch->store),
          g_list_model_get_n_items (watch->rows),
          watch->merges, watch->first_merge_bookings, watch->first_merge_rows, watch->frames,
          watch->max_gap / 1000.0, watch->max_gap_at, watch->max_busy / 1000.0, watch->cpu_ms, rss_kib (), heap_kib,
          pc_booking_loader_get_error (watch->loader) != NULL ? "yes" : "no");
  quit (watch->window);
  return G_SOURCE_REMOVE;
}

/* The load's last frame: CPU time is measured to here. */
static void
report (Watch *watch)
{
  struct rusage usage;

  if (getrusage (RUSAGE_SELF, &usage) == 0)
    watch->cpu_ms = (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000.0 +
                    (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1000.0;

  /* Below every idle source GLib and GTK use (G_PRIORITY_DEFAULT_IDLE and above). Frames
   * drawn meanwhile are after the load: not counted. */
  watch->settled_id = g_idle_add_full (G_PRIORITY_LOW, report_settled_cb, watch, NULL);
}

static gint64
thread_cpu_us (void)
{
  struct timespec now;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &now);
  return (gint64) now.tv_sec * G_USEC_PER_SEC + now.tv_nsec / 1000;
}

static void
after_paint_cb (GdkFrameClock *frame_clock,
                Watch         *watch)
{
  gint64 now = g_get_monotonic_time ();
  gint64 cpu = thread_cpu_us ();

  if (!watch->started || watch->settled_id != 0)
    return;

  if (watch->last_frame != 0 && now - watch->last_frame > 50000)
    g_debug ("%.1f ms between frames (%.1f ms drawing the frame, %.1f ms of the main "
             "thread's CPU), %u bookings loaded",
             (now - watch->last_frame) / 1000.0, (now - watch->frame_start) / 1000.0,
             (cpu - watch->last_frame_cpu) / 1000.0, g_list_model_get_n_items (watch->store));
  if (watch->last_frame != 0)
    watch->max_busy = MAX (watch->max_busy, cpu - watch->last_frame_cpu);
  if (watch->last_frame != 0 && now - watch->last_frame > watch->max_gap)
    {
      watch->max_gap = now - watch->last_frame;
      watch->max_gap_at = g_list_model_get_n_items (watch->store);
    }
  watch->last_frame = now;
  watch->last_frame_cpu = cpu;
  watch->frames++;

  if (watch->finished)
    {
      watch->finished = FALSE;
      report (watch);
    }
}

static void
before_paint_cb (GdkFrameClock *frame_clock,
                 Watch         *watch)
{
  watch->frame_start = g_get_monotonic_time ();
}

static void
loading_cb (PcBookingLoader *loader,
            GParamSpec      *pspec,
            Watch           *watch)
{
  if (pc_booking_loader_get_loading (loader))
    {
      if (!watch->started)
        {
          watch->started = TRUE;
          watch->last_frame = g_get_monotonic_time ();
          watch->last_frame_cpu = thread_cpu_us ();
        }
    }
  else if (watch->started && !watch->finished && watch->frame_clock != NULL)
    {
      /* Report once the outcome is drawn: the last frame is part of loading. */
      watch->finished = TRUE;
      gtk_widget_queue_draw (GTK_WIDGET (watch->window));
    }
}

/* Connected after the window's own handler, which the filter and sort models follow at
 * once: what the list holds now is what the next frame shows. */
static void
items_changed_cb (GListModel *store,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Watch      *watch)
{
  if (!watch->started || !pc_booking_loader_get_loading (watch->loader) || added == 0)
    return;

  if (watch->merges++ == 0)
    {
      watch->first_merge_bookings = g_list_model_get_n_items (store);
      watch->first_merge_rows =
        g_list_model_get_n_items (watch->rows);
    }
}

static void
map_cb (GtkWidget *widget,
        Watch     *watch)
{
  if (watch->frame_clock != NULL)
    return;

  watch->frame_clock = g_object_ref (gtk_widget_get_frame_clock (widget));
  watch->after_paint_id = g_signal_connect (watch->frame_clock, "after-paint",
                                            G_CALLBACK (after_paint_cb), watch);
  watch->before_paint_id = g_signal_connect (watch->frame_clock, "before-paint",
                                             G_CALLBACK (before_paint_cb), watch);
}

void
pc_bench_watch (PcWindow *window)
{
  Watch *watch;

  if (get_mode () != BENCH_LOAD)
    return;

  watch = g_new0 (Watch, 1);
  watch->window = window;
  watch->first_merge_rows = -1;
  g_object_set_data_full (G_OBJECT (window), "pc-bench-watch", watch, watch_free);
  g_signal_connect (window, "map", G_CALLBACK (map_cb), watch);
  watch->loader = g_object_ref (window->loader);
  watch->store = g_object_ref (G_LIST_MODEL (window->store));
  watch->rows = g_object_ref (G_LIST_MODEL (window->sort_model));
  watch->loading_id = g_signal_connect (watch->loader, "notify::loading",
                                        G_CALLBACK (loading_cb), watch);
  watch->items_changed_id = g_signal_connect_after (watch->store, "items-changed",
                                                    G_CALLBACK (items_changed_cb), watch);
}
