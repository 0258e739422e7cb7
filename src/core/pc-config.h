/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* What every PhoneChat program (the application, phonechat-cli) takes from its
 * environment and settings, read once and the same way everywhere:
 *
 *   PHONECHAT_API_URL     the API's address; unset or empty: the live API
 *   PHONECHAT_TOKEN       an access token; surrounding white space is dropped
 *   PHONECHAT_HTTP_DEBUG  log HTTP traffic (token redacted) when set to anything but
 *                         empty, "0", "false", "no" or "off"
 *   PHONECHAT_TIMEOUT     how long an API exchange may take, in whole seconds (1 to
 *                         86400); unset or anything else: PcApi's default. For tests
 *                         and slow links; not in the programs' --help.
 *   api-time-zone         (GSettings, the application's schema) the zone of the API's
 *                         zoneless dates; empty or unknown: Europe/London
 */
typedef struct _PcConfig PcConfig;

PcConfig   *pc_config_new            (const char * const *environment,
                                      GSettings          *settings) G_GNUC_WARN_UNUSED_RESULT;
PcConfig   *pc_config_new_from_process (GSettings        *settings) G_GNUC_WARN_UNUSED_RESULT;
void        pc_config_free           (PcConfig           *self);

const char *pc_config_get_api_url    (PcConfig           *self);
gboolean    pc_config_get_api_url_set (PcConfig          *self);
const char *pc_config_get_token      (PcConfig           *self);
gboolean    pc_config_get_http_debug (PcConfig           *self);
guint       pc_config_get_timeout    (PcConfig           *self);
GTimeZone  *pc_config_get_api_zone   (PcConfig           *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PcConfig, pc_config_free)

G_END_DECLS
