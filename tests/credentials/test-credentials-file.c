/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "pc-test-credentials.h"
#include "test-utils.h"

/* PcCredentials with libsecret's file backend: a keyring file of the test's own, no D-Bus.
 * Every test gets a new file in its own isolated data directory. */

typedef struct
{
  char *keyring_path;
} FileFixture;

static void
file_setup (FileFixture   *fixture,
            gconstpointer  data)
{
  /* G_TEST_OPTION_ISOLATE_DIRS gives each test its own data directory. libsecret reads
   * the variable when its backend starts, which is again after secret_service_disconnect(). */
  fixture->keyring_path = g_build_filename (g_get_user_data_dir (), "test.keyring", NULL);
  g_setenv ("SECRET_FILE_TEST_PATH", fixture->keyring_path, TRUE);
  g_assert_false (g_file_test (fixture->keyring_path, G_FILE_TEST_EXISTS));
}

static void
file_teardown (FileFixture   *fixture,
               gconstpointer  data)
{
  secret_service_disconnect ();
  g_clear_pointer (&fixture->keyring_path, g_free);
}

static void
test_store_lookup_remove (FileFixture   *fixture,
                          gconstpointer  data)
{
  g_autoptr(PcAccount) account = pc_test_account_new (PC_ENVIRONMENT_LIVE, 1001,
                                                      "jane@example.com", "token-1");
  g_autoptr(PcAccount) found = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (pc_test_credentials_store (account, &error));
  g_assert_no_error (error);
  /* The file backend wrote the test's file: no other keyring was touched. */
  g_assert_true (g_file_test (fixture->keyring_path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (pc_test_raw_count (), ==, 1);

  found = pc_test_credentials_lookup (&error);
  g_assert_no_error (error);
  g_assert_nonnull (found);
  g_assert_true (pc_account_equal (found, account));
  g_clear_pointer (&found, pc_account_unref);

  g_assert_true (pc_test_credentials_remove (account, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pc_test_raw_count (), ==, 0);

  found = pc_test_credentials_lookup (&error);
  g_assert_no_error (error);
  g_assert_null (found);

  /* Signing out twice is not an error. */
  g_assert_true (pc_test_credentials_remove (account, &error));
  g_assert_no_error (error);
}

static void
test_replace_same_account (FileFixture   *fixture,
                           gconstpointer  data)
{
  g_autoptr(PcAccount) first = pc_test_account_new (PC_ENVIRONMENT_LIVE, 7, NULL, "token-1");
  g_autoptr(PcAccount) refreshed = pc_account_new_with_tokens (first, "token-2", NULL, NULL);
  g_autoptr(PcAccount) sandbox = pc_test_account_new (PC_ENVIRONMENT_SANDBOX, 7, NULL, "token-s");
  g_autoptr(PcAccount) custom = pc_test_account_new (PC_ENVIRONMENT_CUSTOM, 7, NULL, "token-c");
  g_autoptr(PcAccount) again = pc_account_new_with_tokens (first, "token-3", "r", NULL);
  g_autoptr(PcAccount) found = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (pc_test_credentials_store (first, &error));
  g_assert_true (pc_test_credentials_store (refreshed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pc_test_raw_count (), ==, 1);
  found = pc_test_credentials_lookup (&error);
  g_assert_no_error (error);
  g_assert_true (pc_account_equal (found, refreshed));
  g_clear_pointer (&found, pc_account_unref);

  /* The same user id elsewhere is another account, and the newest one wins. */
  g_assert_true (pc_test_credentials_store (sandbox, &error));
  g_assert_true (pc_test_credentials_store (custom, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pc_test_raw_count (), ==, 3);
  found = pc_test_credentials_lookup (&error);
  g_assert_no_error (error);
  g_assert_true (pc_account_equal (found, custom));
  g_clear_pointer (&found, pc_account_unref);

  /* Storing an account again makes it the newest, though its item is the oldest. */
  g_assert_true (pc_test_credentials_store (again, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pc_test_raw_count (), ==, 3);
  found = pc_test_credentials_lookup (&error);
  g_assert_no_error (error);
  g_assert_true (pc_account_equal (found, again));
  g_clear_pointer (&found, pc_account_unref);

  /* Signing one account out leaves the others. */
  g_assert_true (pc_test_credentials_remove (custom, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pc_test_raw_count (), ==, 2);
  g_assert_true (pc_test_credentials_remove (again, &error));
  g_assert_no_error (error);
  found = pc_test_credentials_lookup (&error);
  g_assert_no_error (error);
  g_assert_true (pc_account_equal (found, sandbox));
}

static const SecretSchema other_schema = {
  .name = "org.example.SomethingElse",
  .flags = SECRET_SCHEMA_NONE,
  .attributes = {
    { .name = "environment", .type = SECRET_SCHEMA_ATTRIBUTE_STRING },
    { .name = "user-id", .type = SECRET_SCHEMA_ATTRIBUTE_INTEGER },
    { .name = NULL },
  },
};

static void
test_none_stored (FileFixture   *fixture,
                  gconstpointer  data)
{
  g_autoptr(PcAccount) account = pc_test_account_new (PC_ENVIRONMENT_LIVE, 5, NULL, "token");
  g_autoptr(PcAccount) found = NULL;
  g_autoptr(GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  g_autofree char *kept = NULL;

  found = pc_test_credentials_lookup (&error);
  g_assert_no_error (error);
  g_assert_null (found);

  /* Another application's item with the same attribute names is not ours. */
  g_hash_table_insert (attributes, "xdg:schema", (gpointer) other_schema.name);
  g_hash_table_insert (attributes, "environment", "live");
  g_hash_table_insert (attributes, "user-id", "5");
  secret_password_storev_sync (&other_schema, attributes, NULL, "Someone else's",
                               "not an account", NULL, &error);
  g_assert_no_error (error);

  found = pc_test_credentials_lookup (&error);
  g_assert_no_error (error);
  g_assert_null (found);

  g_assert_true (pc_test_credentials_remove (account, &error));
  g_assert_no_error (error);
  kept = secret_password_lookupv_sync (&other_schema, attributes, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kept, ==, "not an account");
}

static void
assert_corrupt (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PcAccount) found = pc_test_credentials_lookup (&error);

  g_assert_null (found);
  g_assert_error (error, PC_CREDENTIALS_ERROR, PC_CREDENTIALS_ERROR_CORRUPT);
  g_assert_cmpstr (error->message, !=, "");
}

static void
test_corrupt_kept (FileFixture   *fixture,
                   gconstpointer  data)
{
  const char *corrupt[] = {
    "not JSON at all",
    "{\"version\": 1, \"stored_at\": \"2025-01-01T00:00:00Z\"}",
    /* A format from a newer version. */
    "{\"version\": 2, \"stored_at\": \"2025-01-01T00:00:00Z\", \"account\": {}}",
    /* An account that says it is someone else than its item's attributes. */
    "{\"version\": 1, \"stored_at\": \"2025-01-01T00:00:00Z\", \"account\": "
    "{\"environment\":\"live\",\"api_url\":\"https://a.example\",\"auth_url\":\"https://b.example\","
    "\"client_id\":\"c\",\"user_id\":6,\"display_name\":null,\"access_token\":\"t\","
    "\"refresh_token\":null,\"expires_at\":null}}",
  };
  g_autoptr(GHashTable) attributes = pc_test_attributes_new (PC_ENVIRONMENT_LIVE, 5);
  g_autoptr(PcAccount) account = pc_test_account_new (PC_ENVIRONMENT_LIVE, 5, NULL, "fresh");
  g_autoptr(PcAccount) other = pc_test_account_new (PC_ENVIRONMENT_SANDBOX, 6, NULL, "other");
  g_autoptr(PcAccount) found = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (corrupt); i++)
    {
      g_autofree char *kept = NULL;

      pc_test_raw_store (attributes, corrupt[i]);
      assert_corrupt ();
      /* Asking again gives the same answer: the item was not deleted or changed. */
      assert_corrupt ();
      kept = pc_test_raw_lookup (attributes);
      g_assert_cmpstr (kept, ==, corrupt[i]);
      g_assert_cmpuint (pc_test_raw_count (), ==, 1);
    }

  /* An older unreadable item does not hide a newer account… */
  g_assert_true (pc_test_credentials_store (other, &error));
  g_assert_no_error (error);
  found = pc_test_credentials_lookup (&error);
  g_assert_no_error (error);
  g_assert_true (pc_account_equal (found, other));
  g_clear_pointer (&found, pc_account_unref);
  g_assert_cmpuint (pc_test_raw_count (), ==, 2);

  /* …and signing in again as its account replaces it. */
  g_assert_true (pc_test_credentials_store (account, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pc_test_raw_count (), ==, 2);
  found = pc_test_credentials_lookup (&error);
  g_assert_no_error (error);
  g_assert_true (pc_account_equal (found, account));
}

int
main (int   argc,
      char *argv[])
{
  /* Before anything can start a thread or libsecret: the file backend only, and a session
   * bus address that leads nowhere, so that no real keyring can be reached even by
   * mistake. */
  g_setenv ("SECRET_BACKEND", "file", TRUE);
  g_setenv ("SECRET_FILE_TEST_PASSWORD", "test-password", TRUE);
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/phonechat-test-no-bus", TRUE);

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  pc_test_init_logging ();

  g_test_add ("/credentials/file/store-lookup-remove", FileFixture, NULL,
              file_setup, test_store_lookup_remove, file_teardown);
  g_test_add ("/credentials/file/replace-same-account", FileFixture, NULL,
              file_setup, test_replace_same_account, file_teardown);
  g_test_add ("/credentials/file/none-stored", FileFixture, NULL,
              file_setup, test_none_stored, file_teardown);
  g_test_add ("/credentials/file/corrupt-kept", FileFixture, NULL,
              file_setup, test_corrupt_kept, file_teardown);

  return g_test_run ();
}
