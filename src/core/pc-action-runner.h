/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pc-reinvite-batch.h"
#include "pc-types.h"

G_BEGIN_DECLS

#define PC_TYPE_ACTION_RUNNER (pc_action_runner_get_type ())
G_DECLARE_FINAL_TYPE (PcActionRunner, pc_action_runner, PC, ACTION_RUNNER, GObject)

PcActionRunner  *pc_action_runner_new          (PcApi           *api,
                                                PcBookingStore  *store) G_GNUC_WARN_UNUSED_RESULT;
PcApi           *pc_action_runner_get_api      (PcActionRunner  *self);
PcBookingStore  *pc_action_runner_get_store    (PcActionRunner  *self);
gboolean         pc_action_runner_get_busy     (PcActionRunner  *self);
gboolean         pc_action_runner_is_busy_for  (PcActionRunner  *self,
                                                gint64           booking_id);

void             pc_action_runner_run_async    (PcActionRunner  *self,
                                                PcBookingAction  action,
                                                GPtrArray       *bookings,
                                                gint64           credits,
                                                const char      *reason,
                                                GCancellable    *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer         user_data);
PcReinviteBatch *pc_action_runner_run_finish   (PcActionRunner  *self,
                                                GAsyncResult    *result,
                                                GError         **error);

G_END_DECLS
