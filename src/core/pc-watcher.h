/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pc-booking-loader.h"
#include "pc-types.h"

G_BEGIN_DECLS

/* The schedule's defaults, in seconds. */
#define PC_WATCHER_DEFAULT_BASE_INTERVAL 60
#define PC_WATCHER_DEFAULT_MAX_INTERVAL  (15 * 60)
/* How long a 429 without Retry-After keeps the watcher away, in seconds. */
#define PC_WATCHER_RATE_LIMITED_DELAY    60

#define PC_TYPE_WATCHER (pc_watcher_get_type ())
G_DECLARE_FINAL_TYPE (PcWatcher, pc_watcher, PC, WATCHER, GObject)

PcWatcher       *pc_watcher_new                (PcBookingLoader *loader,
                                                GNetworkMonitor *monitor) G_GNUC_WARN_UNUSED_RESULT;
PcBookingLoader *pc_watcher_get_loader         (PcWatcher       *self);
GNetworkMonitor *pc_watcher_get_network_monitor (PcWatcher      *self);

guint            pc_watcher_get_base_interval  (PcWatcher       *self);
void             pc_watcher_set_base_interval  (PcWatcher       *self,
                                                guint            seconds);
guint            pc_watcher_get_max_interval   (PcWatcher       *self);
void             pc_watcher_set_max_interval   (PcWatcher       *self,
                                                guint            seconds);

void             pc_watcher_start              (PcWatcher       *self);
void             pc_watcher_start_scheduled    (PcWatcher       *self);
void             pc_watcher_stop               (PcWatcher       *self);
gboolean         pc_watcher_get_paused         (PcWatcher       *self);
void             pc_watcher_set_paused         (PcWatcher       *self,
                                                gboolean         paused);
gboolean         pc_watcher_get_online         (PcWatcher       *self);
gboolean         pc_watcher_get_active         (PcWatcher       *self);
guint            pc_watcher_get_next_delay     (PcWatcher       *self);
void             pc_watcher_read_now           (PcWatcher       *self);

G_END_DECLS
