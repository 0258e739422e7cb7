/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "pc-types.h"

G_BEGIN_DECLS

#define PC_OAUTH_LIVE_URL "https://platform.adultwork.com"

/* The one scope every PhoneChat endpoint needs. */
#define PC_OAUTH_SCOPE "account_phonechat_bookings"

/* Fixed by default: providers match the registered redirect URI exactly. */
#define PC_OAUTH_DEFAULT_REDIRECT_PORT 47613

#define PC_OAUTH_ERROR (pc_oauth_error_quark ())

/**
 * PcOAuthError:
 * @PC_OAUTH_ERROR_STATE_MISMATCH: the redirect's state is not the one we sent: refused,
 *   and no code was exchanged
 * @PC_OAUTH_ERROR_NO_CODE: the redirect carries no authorization code
 * @PC_OAUTH_ERROR_DENIED: the user cancelled at the login page (`status=cancelled` or
 *   `error=access_denied`)
 * @PC_OAUTH_ERROR_PORT_IN_USE: the redirect port is taken by another program
 * @PC_OAUTH_ERROR_REFRESH_EXPIRED: the refresh token expired or was revoked: sign in again
 * @PC_OAUTH_ERROR_REJECTED: the token endpoint or the login page refused the request (a
 *   4xx answer with `{"error": …}`, or a redirect with another `error`); the error code is
 *   in the message
 * @PC_OAUTH_ERROR_FAILED: the network, a 5xx answer, an answer that is not what OAuth 2.0
 *   documents, or no secure random source
 *
 * Messages are complete English sentences meant for people. They never contain a token,
 * an authorization code, the PKCE verifier or the client secret.
 */
typedef enum
{
  PC_OAUTH_ERROR_STATE_MISMATCH,
  PC_OAUTH_ERROR_NO_CODE,
  PC_OAUTH_ERROR_DENIED,
  PC_OAUTH_ERROR_PORT_IN_USE,
  PC_OAUTH_ERROR_REFRESH_EXPIRED,
  PC_OAUTH_ERROR_REJECTED,
  PC_OAUTH_ERROR_FAILED,
} PcOAuthError;

GQuark pc_oauth_error_quark (void);

/**
 * PcTokens:
 *
 * What a sign-in or a refresh gives: an access token, the refresh token that renews it
 * (if the server issued one) and when the access token expires. Immutable and
 * reference-counted; the token strings are wiped when the last reference goes.
 */
typedef struct _PcTokens PcTokens;

#define PC_TYPE_TOKENS (pc_tokens_get_type ())

GType       pc_tokens_get_type          (void) G_GNUC_CONST;
PcTokens   *pc_tokens_new               (const char *access_token,
                                         const char *refresh_token,
                                         GDateTime  *expires_at) G_GNUC_WARN_UNUSED_RESULT;
PcTokens   *pc_tokens_ref               (PcTokens   *tokens);
void        pc_tokens_unref             (PcTokens   *tokens);
const char *pc_tokens_get_access_token  (PcTokens   *tokens);
const char *pc_tokens_get_refresh_token (PcTokens   *tokens);
GDateTime  *pc_tokens_get_expires_at    (PcTokens   *tokens);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PcTokens, pc_tokens_unref)

#define PC_TYPE_OAUTH (pc_oauth_get_type ())
G_DECLARE_FINAL_TYPE (PcOAuth, pc_oauth, PC, OAUTH, GObject)

PcOAuth  *pc_oauth_new                         (SoupSession          *session,
                                                const char           *auth_base_url,
                                                const char           *client_id,
                                                const char           *client_secret,
                                                GError              **error) G_GNUC_WARN_UNUSED_RESULT;
void      pc_oauth_set_clock                   (PcOAuth              *self,
                                                PcClock              *clock);
void      pc_oauth_set_debug                   (PcOAuth              *self,
                                                gboolean              debug);
void      pc_oauth_set_timeout                 (PcOAuth              *self,
                                                guint                 seconds);

char     *pc_oauth_begin_authorization         (PcOAuth              *self,
                                                guint16               redirect_port,
                                                GError              **error) G_GNUC_WARN_UNUSED_RESULT;
guint16   pc_oauth_get_redirect_port           (PcOAuth              *self);
void      pc_oauth_finish_authorization_async  (PcOAuth              *self,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
PcTokens *pc_oauth_finish_authorization_finish (PcOAuth              *self,
                                                GAsyncResult         *result,
                                                GError              **error);

void      pc_oauth_refresh_async               (PcOAuth              *self,
                                                const char           *refresh_token,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
PcTokens *pc_oauth_refresh_finish              (PcOAuth              *self,
                                                GAsyncResult         *result,
                                                GError              **error);

char     *pc_oauth_compute_code_challenge      (const char           *code_verifier) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
