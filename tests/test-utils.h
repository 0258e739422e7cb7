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

/* Iterates the default main context until @condition holds; fails the test after
 * @timeout_ms. A 10 ms timeout keeps the loop waking up while it waits, so conditions on
 * state that no event announces are still seen. */
gboolean    pc_test_tick           (gpointer user_data);
#define pc_test_wait_for(condition, timeout_ms)                                         \
  G_STMT_START                                                                          \
  {                                                                                     \
    gint64 pc_test_end_ = g_get_monotonic_time () + (gint64) (timeout_ms) * 1000;       \
    guint pc_test_tick_id_ = g_timeout_add (10, pc_test_tick, NULL);                    \
    while (!(condition))                                                                \
      {                                                                                 \
        if (g_get_monotonic_time () > pc_test_end_)                                     \
          {                                                                             \
            g_assertion_message (G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC,           \
                                 "timed out waiting for: " #condition);                \
            break;                                                                      \
          }                                                                             \
        g_main_context_iteration (NULL, TRUE);                                          \
      }                                                                                 \
    g_source_remove (pc_test_tick_id_);                                                 \
  }                                                                                     \
  G_STMT_END

G_END_DECLS
