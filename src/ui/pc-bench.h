/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pc-window.h"

G_BEGIN_DECLS

/* Measurement hooks for tests/bench/bench-app.c, off unless PHONECHAT_BENCH is set:
 *
 *   PHONECHAT_BENCH=first-frame  at the main window's first after-paint, print
 *       "phonechat-bench|first-frame|NS" (CLOCK_MONOTONIC, nanoseconds) on stdout, quit
 *   PHONECHAT_BENCH=load  once the first load has completed and its last frame is drawn,
 *       print "phonechat-bench|load|KEY=VALUE|…" on stdout (bookings, rows shown when the
 *       first bookings had merged, the largest gap between frames while loading, CPU time and
 *       RSS of the process), quit
 *
 * Nothing else changes: the hooks only watch. */
void     pc_bench_watch       (PcWindow *window);
void     pc_bench_first_frame (PcWindow *window);

G_END_DECLS
