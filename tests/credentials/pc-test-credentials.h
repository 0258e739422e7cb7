/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pc-credentials.h"

G_BEGIN_DECLS

/* PcCredentials' calls, run to completion on the default main context (a hang fails the
 * test after PC_TEST_WAIT_TIMEOUT_MS). */
gboolean    pc_test_credentials_store  (PcAccount  *account,
                                        GError    **error);
PcAccount  *pc_test_credentials_lookup (GError    **error);
gboolean    pc_test_credentials_remove (PcAccount  *account,
                                        GError    **error);

/* Test accounts: the same environment and user id make the same account. */
PcAccount  *pc_test_account_new        (PcEnvironment  environment,
                                        gint64         user_id,
                                        const char    *display_name,
                                        const char    *access_token);

/* The keyring seen directly through libsecret, as another program would see it. */
GHashTable *pc_test_attributes_new     (PcEnvironment  environment,
                                        gint64         user_id);
void        pc_test_raw_store          (GHashTable    *attributes,
                                        const char    *secret);
char       *pc_test_raw_lookup         (GHashTable    *attributes);
guint       pc_test_raw_count          (void);

G_END_DECLS
