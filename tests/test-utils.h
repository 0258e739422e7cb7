/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Call after g_test_init(): silences GLib-GIO debug chatter that GLib 2.74 would print as
 * TAP comments, and nothing else. */
void        pc_test_init_logging   (void);
GBytes     *pc_test_load_data      (const char *name);
GDateTime  *pc_test_utc            (int year, int month, int day,
                                    int hour, int minute, double seconds);

/* Counts notify emissions per property name. */
typedef struct _PcNotifyCounter PcNotifyCounter;

PcNotifyCounter *pc_notify_counter_new   (gpointer          object);
guint            pc_notify_counter_get   (PcNotifyCounter  *counter,
                                          const char       *property);
guint            pc_notify_counter_total (PcNotifyCounter  *counter);
void             pc_notify_counter_reset (PcNotifyCounter  *counter);
void             pc_notify_counter_free  (PcNotifyCounter  *counter);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PcNotifyCounter, pc_notify_counter_free)

G_END_DECLS
