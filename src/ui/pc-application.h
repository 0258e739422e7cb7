/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>
#include <libsoup/soup.h>

#include "pc-booking-loader.h"
#include "pc-notifier.h"
#include "pc-reason-drafts.h"
#include "pc-reinviter.h"
#include "pc-types.h"
#include "pc-watcher.h"

G_BEGIN_DECLS

#define PC_TYPE_APPLICATION (pc_application_get_type ())
G_DECLARE_FINAL_TYPE (PcApplication, pc_application, PC, APPLICATION, AdwApplication)

PcApplication   *pc_application_new          (void) G_GNUC_WARN_UNUSED_RESULT;
PcBookingStore  *pc_application_get_store    (PcApplication *self);
PcBookingLoader *pc_application_get_loader   (PcApplication *self);
GSettings       *pc_application_get_settings (PcApplication *self);
PcReasonDrafts  *pc_application_get_drafts     (PcApplication *self);
gboolean         pc_application_get_holding    (PcApplication *self);
PcReinviter     *pc_application_get_reinviter (PcApplication *self);
PcWatcher       *pc_application_get_watcher   (PcApplication *self);

G_END_DECLS
