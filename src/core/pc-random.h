/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

gboolean  pc_random_bytes      (guint8       *buffer,
                                gsize         length,
                                GError      **error);
char     *pc_random_base64url  (gsize         n_bytes,
                                GError      **error) G_GNUC_WARN_UNUSED_RESULT;
char     *pc_base64url_encode  (const guint8 *data,
                                gsize         length) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
