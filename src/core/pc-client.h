/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pc-types.h"

G_BEGIN_DECLS

#define PC_TYPE_CLIENT (pc_client_get_type ())
G_DECLARE_FINAL_TYPE (PcClient, pc_client, PC, CLIENT, GObject)

PcClient   *pc_client_new              (void) G_GNUC_WARN_UNUSED_RESULT;
gint64      pc_client_get_user_id      (PcClient *self);
const char *pc_client_get_nickname     (PcClient *self);
const char *pc_client_get_phone_number (PcClient *self);
const char *pc_client_get_skype_name   (PcClient *self);
gint        pc_client_get_total        (PcClient *self);
gint        pc_client_get_positive     (PcClient *self);
gint        pc_client_get_neutral      (PcClient *self);
gint        pc_client_get_negative     (PcClient *self);
gint        pc_client_get_ratings      (PcClient *self);
gint        pc_client_get_disputes     (PcClient *self);

gboolean    pc_client_equal            (PcClient *a,
                                        PcClient *b);
gboolean    pc_client_update_from      (PcClient *self,
                                        PcClient *other);

G_END_DECLS
