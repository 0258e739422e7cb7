/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * PcEnvironment:
 * @PC_ENVIRONMENT_LIVE: AdultWork's live API (`"live"`)
 * @PC_ENVIRONMENT_SANDBOX: AdultWork's sandbox API (`"sandbox"`)
 * @PC_ENVIRONMENT_CUSTOM: any other server, such as the built-in sandbox on loopback
 *   (`"custom"`); its URLs are always given explicitly
 *
 * Which API an account belongs to. The same user id on two environments is two accounts.
 */
typedef enum
{
  PC_ENVIRONMENT_LIVE,
  PC_ENVIRONMENT_SANDBOX,
  PC_ENVIRONMENT_CUSTOM,
} PcEnvironment;

#define PC_TYPE_ACCOUNT (pc_account_get_type ())

typedef struct _PcAccount PcAccount;

GType          pc_account_get_type                    (void) G_GNUC_CONST;

const char    *pc_account_environment_to_string       (PcEnvironment  environment);
gboolean       pc_account_environment_from_string     (const char    *text,
                                                       PcEnvironment *environment);
const char    *pc_account_environment_get_api_url     (PcEnvironment  environment);
const char    *pc_account_environment_get_auth_url    (PcEnvironment  environment);

PcAccount     *pc_account_new                         (PcEnvironment  environment,
                                                       const char    *api_url,
                                                       const char    *auth_url,
                                                       const char    *client_id,
                                                       gint64         user_id,
                                                       const char    *display_name,
                                                       const char    *access_token,
                                                       const char    *refresh_token,
                                                       GDateTime     *expires_at) G_GNUC_WARN_UNUSED_RESULT;
PcAccount     *pc_account_new_with_tokens             (PcAccount     *self,
                                                       const char    *access_token,
                                                       const char    *refresh_token,
                                                       GDateTime     *expires_at) G_GNUC_WARN_UNUSED_RESULT;
PcAccount     *pc_account_ref                         (PcAccount     *self);
void           pc_account_unref                       (PcAccount     *self);

PcEnvironment  pc_account_get_environment             (PcAccount     *self);
const char    *pc_account_get_api_url                 (PcAccount     *self);
const char    *pc_account_get_auth_url                (PcAccount     *self);
const char    *pc_account_get_client_id               (PcAccount     *self);
gint64         pc_account_get_user_id                 (PcAccount     *self);
const char    *pc_account_get_display_name            (PcAccount     *self);
const char    *pc_account_get_access_token            (PcAccount     *self);
const char    *pc_account_get_refresh_token           (PcAccount     *self);
GDateTime     *pc_account_get_expires_at              (PcAccount     *self);

gboolean       pc_account_is_same_account             (PcAccount     *self,
                                                       PcAccount     *other);
gboolean       pc_account_equal                       (PcAccount     *self,
                                                       PcAccount     *other);

JsonNode      *pc_account_to_json_node                (PcAccount     *self) G_GNUC_WARN_UNUSED_RESULT;
PcAccount     *pc_account_new_from_json_node          (JsonNode      *node,
                                                       GError       **error) G_GNUC_WARN_UNUSED_RESULT;
char          *pc_account_to_json                     (PcAccount     *self) G_GNUC_WARN_UNUSED_RESULT;
PcAccount     *pc_account_new_from_json               (const char    *json,
                                                       gssize         length,
                                                       GError       **error) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PcAccount, pc_account_unref)

G_END_DECLS
