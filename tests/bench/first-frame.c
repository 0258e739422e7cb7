/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <time.h>

#include "first-frame.h"

typedef struct
{
  GDestroyNotify done;
  gpointer       data;
} Watch;

static void
after_paint_cb (GdkFrameClock *frame_clock,
                Watch         *watch)
{
  struct timespec now;

  g_signal_handlers_disconnect_by_func (frame_clock, after_paint_cb, watch);
  clock_gettime (CLOCK_MONOTONIC, &now);
  printf ("phonechat-bench|first-frame|%lld\n",
          (long long) now.tv_sec * 1000000000LL + now.tv_nsec);
  fflush (stdout);
  watch->done (watch->data);
}

static void
map_cb (GtkWidget *widget,
        Watch     *watch)
{
  g_signal_connect_data (gtk_widget_get_frame_clock (widget), "after-paint",
                         G_CALLBACK (after_paint_cb), watch, NULL, 0);
}

void
bench_watch_first_frame (GtkWidget      *window,
                         GDestroyNotify  done,
                         gpointer        data)
{
  Watch *watch = g_new0 (Watch, 1);

  watch->done = done;
  watch->data = data;
  /* Freed with the window; the handler goes after the first frame. */
  g_object_set_data_full (G_OBJECT (window), "bench-first-frame", watch, g_free);
  g_signal_connect (window, "map", G_CALLBACK (map_cb), watch);
}
