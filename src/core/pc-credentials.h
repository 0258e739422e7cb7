/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <libsecret/secret.h>

#include "pc-account.h"

G_BEGIN_DECLS

#define PC_CREDENTIALS_ERROR (pc_credentials_error_quark ())

/**
 * PcCredentialsError:
 * @PC_CREDENTIALS_ERROR_UNAVAILABLE: no keyring service could be reached (no Secret
 *   Service on the session bus, or no session bus at all)
 * @PC_CREDENTIALS_ERROR_LOCKED: the keyring is locked, and unlocking it was refused or
 *   failed
 * @PC_CREDENTIALS_ERROR_CORRUPT: a stored sign-in could not be read; it is left in place
 * @PC_CREDENTIALS_ERROR_FAILED: the keyring reported another problem
 *
 * Messages are sentences to show people. Whatever the error, nothing stored was deleted.
 * A cancelled operation reports %G_IO_ERROR_CANCELLED instead.
 */
typedef enum
{
  PC_CREDENTIALS_ERROR_UNAVAILABLE,
  PC_CREDENTIALS_ERROR_LOCKED,
  PC_CREDENTIALS_ERROR_CORRUPT,
  PC_CREDENTIALS_ERROR_FAILED,
} PcCredentialsError;

GQuark              pc_credentials_error_quark   (void);

const SecretSchema *pc_credentials_get_schema    (void);

void                pc_credentials_store_async   (PcAccount            *account,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gboolean            pc_credentials_store_finish  (GAsyncResult         *result,
                                                  GError              **error);

void                pc_credentials_lookup_async  (GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
PcAccount          *pc_credentials_lookup_finish (GAsyncResult         *result,
                                                  GError              **error) G_GNUC_WARN_UNUSED_RESULT;

void                pc_credentials_remove_async  (PcAccount            *account,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gboolean            pc_credentials_remove_finish (GAsyncResult         *result,
                                                  GError              **error);

G_END_DECLS
