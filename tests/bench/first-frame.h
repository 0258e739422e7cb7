/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The start-up floors' one measurement: once @window has drawn its first frame (its frame
 * clock's first after-paint), prints CLOCK_MONOTONIC in nanoseconds as
 * "phonechat-bench|first-frame|NS", as PhoneChat does with PHONECHAT_BENCH=first-frame,
 * and calls @done. */
void bench_watch_first_frame (GtkWidget      *window,
                              GDestroyNotify  done,
                              gpointer        data);

G_END_DECLS
