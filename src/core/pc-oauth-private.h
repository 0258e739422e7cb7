/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pc-oauth.h"

G_BEGIN_DECLS

/* The token answer reader, for the fuzzer and the tests. */
PcTokens *_pc_oauth_tokens_from_bytes (GBytes      *body,
                                       GDateTime   *sent_at,
                                       const char  *old_refresh_token,
                                       GError     **error);

G_END_DECLS
