/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "pc-account.h"
#include "pc-api.h"
#include "pc-clock.h"

G_BEGIN_DECLS

/**
 * PcSessionState:
 * @PC_SESSION_SIGNED_OUT: no account
 * @PC_SESSION_RESTORING: looking for a stored account in the keyring
 * @PC_SESSION_SIGNED_IN: an account whose tokens work (as far as is known)
 * @PC_SESSION_NEEDS_SIGN_IN: the account's tokens stopped working (a 401, an expired
 *   refresh token): its data may still be shown, marked stale, until the user signs in
 *   again
 */
typedef enum
{
  PC_SESSION_SIGNED_OUT,
  PC_SESSION_RESTORING,
  PC_SESSION_SIGNED_IN,
  PC_SESSION_NEEDS_SIGN_IN,
} PcSessionState;

#define PC_TYPE_SESSION_STATE (pc_session_state_get_type ())
GType pc_session_state_get_type (void);

#define PC_TYPE_SESSION (pc_session_get_type ())
G_DECLARE_FINAL_TYPE (PcSession, pc_session, PC, SESSION, GObject)

PcSession      *pc_session_new                (SoupSession          *soup,
                                               PcClock              *clock) G_GNUC_WARN_UNUSED_RESULT;
PcSessionState  pc_session_get_state          (PcSession            *self);
PcAccount      *pc_session_get_account        (PcSession            *self);
const GError   *pc_session_get_error          (PcSession            *self);
void            pc_session_set_debug          (PcSession            *self,
                                               gboolean              debug);

/* The stored account, from the keyring. */
void            pc_session_restore_async      (PcSession            *self,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
void            pc_session_expect_restore     (PcSession            *self);
gboolean        pc_session_restore_finish     (PcSession            *self,
                                               GAsyncResult         *result,
                                               GError              **error);

/* Signing in with the browser: begin returns the address to open. */
char           *pc_session_begin_sign_in      (PcSession            *self,
                                               PcEnvironment         environment,
                                               const char           *api_url,
                                               const char           *auth_url,
                                               const char           *client_id,
                                               guint16               redirect_port,
                                               GError              **error);
void            pc_session_finish_sign_in_async (PcSession          *self,
                                                 GCancellable       *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer            user_data);
gboolean        pc_session_finish_sign_in_finish (PcSession         *self,
                                                  GAsyncResult      *result,
                                                  GError           **error);

/* Signing in with a pasted access token, checked with verifyCredentials first. */
void            pc_session_sign_in_with_token_async  (PcSession           *self,
                                                      PcEnvironment        environment,
                                                      const char          *api_url,
                                                      const char          *token,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
gboolean        pc_session_sign_in_with_token_finish (PcSession           *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);

void            pc_session_sign_out_async     (PcSession            *self,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean        pc_session_sign_out_finish    (PcSession            *self,
                                               GAsyncResult         *result,
                                               GError              **error);

/* An API client for the account, whose token follows refreshes; NULL when signed out. */
PcApi          *pc_session_get_api            (PcSession            *self);
/* Tells the session the server refused its token (HTTP 401). */
void            pc_session_report_unauthorized (PcSession           *self);
/* Refreshes the access token now (normally done on a schedule before it expires). */
void            pc_session_refresh_async      (PcSession            *self,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean        pc_session_refresh_finish     (PcSession            *self,
                                               GAsyncResult         *result,
                                               GError              **error);

G_END_DECLS
