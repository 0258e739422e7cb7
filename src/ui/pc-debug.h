/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Startup timing, printed on stderr when PHONECHAT_DEBUG_STARTUP=1. */
void     pc_debug_startup_init    (void);
gboolean pc_debug_startup_enabled (void);
void     pc_debug_startup_mark    (const char *event);

G_END_DECLS
