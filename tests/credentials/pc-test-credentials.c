/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "pc-test-credentials.h"
#include "test-utils.h"

static void
result_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

gboolean
pc_test_credentials_store (PcAccount  *account,
                           GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pc_credentials_store_async (account, NULL, result_cb, &result);
  PC_TEST_WAIT_UNTIL (result != NULL);
  return pc_credentials_store_finish (result, error);
}

PcAccount *
pc_test_credentials_lookup (GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pc_credentials_lookup_async (NULL, result_cb, &result);
  PC_TEST_WAIT_UNTIL (result != NULL);
  return pc_credentials_lookup_finish (result, error);
}

gboolean
pc_test_credentials_remove (PcAccount  *account,
                            GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pc_credentials_remove_async (account, NULL, result_cb, &result);
  PC_TEST_WAIT_UNTIL (result != NULL);
  return pc_credentials_remove_finish (result, error);
}

PcAccount *
pc_test_account_new (PcEnvironment  environment,
                     gint64         user_id,
                     const char    *display_name,
                     const char    *access_token)
{
  g_autoptr(GDateTime) expires_at = g_date_time_new_utc (2030, 1, 2, 3, 4, 5);
  g_autofree char *refresh_token = g_strconcat ("refresh-for-", access_token, NULL);
  const char *url = environment == PC_ENVIRONMENT_CUSTOM ? "http://127.0.0.1:8080" : NULL;

  return pc_account_new (environment, url, url, "test-client", user_id, display_name,
                         access_token, refresh_token, expires_at);
}

GHashTable *
pc_test_attributes_new (PcEnvironment environment,
                        gint64        user_id)
{
  GHashTable *attributes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  g_hash_table_insert (attributes, g_strdup ("xdg:schema"),
                       g_strdup (pc_credentials_get_schema ()->name));
  g_hash_table_insert (attributes, g_strdup ("environment"),
                       g_strdup (pc_account_environment_to_string (environment)));
  g_hash_table_insert (attributes, g_strdup ("user-id"),
                       g_strdup_printf ("%" G_GINT64_FORMAT, user_id));
  return attributes;
}

void
pc_test_raw_store (GHashTable *attributes,
                   const char *secret)
{
  g_autoptr(GError) error = NULL;

  secret_password_storev_sync (pc_credentials_get_schema (), attributes, NULL,
                               "Written by the test", secret, NULL, &error);
  g_assert_no_error (error);
}

char *
pc_test_raw_lookup (GHashTable *attributes)
{
  g_autoptr(GError) error = NULL;
  char *secret = secret_password_lookupv_sync (pc_credentials_get_schema (), attributes, NULL,
                                               &error);

  g_assert_no_error (error);
  return secret;
}

guint
pc_test_raw_count (void)
{
  g_autoptr(GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  GList *items;
  guint count;

  g_hash_table_insert (attributes, "xdg:schema", (gpointer) pc_credentials_get_schema ()->name);
  items = secret_password_searchv_sync (pc_credentials_get_schema (), attributes,
                                        SECRET_SEARCH_ALL, NULL, &error);
  g_assert_no_error (error);
  count = g_list_length (items);
  g_list_free_full (items, g_object_unref);
  return count;
}
