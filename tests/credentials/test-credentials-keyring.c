/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

/* For secret_service_encode_dbus_secret(), which unlocks the keyring without a prompt. */
#define SECRET_API_SUBJECT_TO_CHANGE

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>

#include "pc-test-credentials.h"
#include "test-utils.h"

/* PcCredentials against a real gnome-keyring-daemon, which this program starts itself.
 *
 * The keyring runs on a private dbus-daemon (GTestDBus, whose configuration has no service
 * directories, so that nothing can be activated on it: neither a second keyring, which would
 * start locked, nor a password prompter, which would wait for a person), as
 * `gnome-keyring-daemon --foreground --unlock --components=secrets` with the password on its
 * standard input and HOME, XDG_DATA_HOME, XDG_CONFIG_HOME, XDG_CACHE_HOME and
 * XDG_RUNTIME_DIR (mode 700) in a new temporary directory. Before using it, the program waits
 * (10 s at most) until the keyring owns org.freedesktop.secrets on that bus, as
 * `gdbus wait --session --timeout 10 org.freedesktop.secrets` would. Each test starts from an
 * empty, unlocked keyring. At the end the keyring is stopped by its process id, the bus is
 * stopped and the directory removed. The session bus the suite runs on and a user's own
 * keyring are never used.
 *
 * One keyring and one bus for the whole program, not one per test: libsecret 0.21 keeps
 * references to the D-Bus connection it used (every secret_password_*() call after the
 * first leaks one on its backend), so that the connection cannot be closed and a second
 * bus could not be used from the same process. */

#define KEYRING_PASSWORD     "test-keyring-password"
#define SECRETS_NAME         "org.freedesktop.secrets"
#define SECRETS_PATH         "/org/freedesktop/secrets"
#define KEYRING_WAIT_MS      10000
/* What "quickly" means for an answer that needs no person: far below any D-Bus timeout
 * (25 s), with room for a loaded machine. */
#define QUICK_ANSWER_SECONDS 5

static struct
{
  char        *root;
  GTestDBus   *bus;
  GSubprocess *daemon;
  gboolean     daemon_exited;
} keyring;

/* Whether the keyring could be made ready for the test; when not, the test has failed
 * saying why, and does nothing more. */
typedef struct
{
  gboolean ready;
} KeyringFixture;

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR) || g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_remove (path);
      return;
    }

  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      remove_tree (child);
    }
  g_rmdir (path);
}

static char *
keyring_path (const char *name)
{
  return g_build_filename (keyring.root, name, NULL);
}

static void
daemon_exited_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  gboolean *exited = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *exited = TRUE;
}

static void
name_appeared_cb (GDBusConnection *connection,
                  const char      *name,
                  const char      *owner,
                  gpointer         user_data)
{
  gboolean *appeared = user_data;

  *appeared = TRUE;
}

/* The private bus and the keyring's directories, once. Returns FALSE, having failed the
 * test with the reason, when there can be none. */
static gboolean
keyring_prepare (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dbus_daemon = NULL;
  const char *dirs[] = { "home", "data", "config", "cache", "runtime" };

  if (keyring.bus != NULL)
    return TRUE;

  dbus_daemon = g_find_program_in_path ("dbus-daemon");
  if (dbus_daemon == NULL)
    {
      g_test_fail_printf ("dbus-daemon is not installed (Debian: dbus-daemon); the keyring "
                          "tests run their keyring on a private bus");
      return FALSE;
    }

  /* Under the test's temporary directory, with short names: the keyring's sockets go in
   * XDG_RUNTIME_DIR, and a socket's path has at most 107 bytes. */
  keyring.root = g_dir_make_tmp ("pc-keyring-XXXXXX", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *path = keyring_path (dirs[i]);

      g_assert_cmpint (g_mkdir (path, 0700), ==, 0);
    }

  keyring.bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (keyring.bus);
  return TRUE;
}

/* Starts gnome-keyring-daemon on the private bus and waits until it serves. Returns FALSE,
 * having failed the test with the reason, when it does not. */
static gboolean
keyring_start (void)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *program = g_find_program_in_path ("gnome-keyring-daemon");
  g_autofree char *home = keyring_path ("home");
  g_autofree char *data = keyring_path ("data");
  g_autofree char *config = keyring_path ("config");
  g_autofree char *cache = keyring_path ("cache");
  g_autofree char *runtime = keyring_path ("runtime");
  GOutputStream *input;
  PcTestDeadline *deadline;
  gboolean appeared = FALSE;
  guint watch;

  g_assert_null (keyring.daemon);

  if (program == NULL)
    {
      g_test_fail_printf ("gnome-keyring-daemon is not installed (Debian: gnome-keyring); "
                          "the keyring tests need a real one");
      return FALSE;
    }

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS",
                                g_test_dbus_get_bus_address (keyring.bus), TRUE);
  g_subprocess_launcher_setenv (launcher, "HOME", home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", config, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", cache, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", runtime, TRUE);
  /* No display to put a prompt on, and no other keyring to join. */
  g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "WAYLAND_DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "GNOME_KEYRING_CONTROL");
  /* The tests' fatal warnings are not the keyring's: it warns, for instance, when an item
   * is replaced, or when it cannot show a prompt. */
  g_subprocess_launcher_unsetenv (launcher, "G_DEBUG");
  g_subprocess_launcher_unsetenv (launcher, "G_MESSAGES_DEBUG");

  keyring.daemon_exited = FALSE;
  keyring.daemon = g_subprocess_launcher_spawn (launcher, &error, program, "--foreground",
                                                "--unlock", "--components=secrets", NULL);
  if (keyring.daemon == NULL)
    {
      g_test_fail_printf ("Could not start %s: %s", program, error->message);
      return FALSE;
    }
  g_subprocess_wait_async (keyring.daemon, NULL, daemon_exited_cb, &keyring.daemon_exited);

  /* --unlock reads the login keyring's password from standard input, up to its end. */
  input = g_subprocess_get_stdin_pipe (keyring.daemon);
  g_output_stream_write_all (input, KEYRING_PASSWORD, strlen (KEYRING_PASSWORD), NULL, NULL,
                             &error);
  g_assert_no_error (error);
  g_output_stream_close (input, NULL, &error);
  g_assert_no_error (error);

  watch = g_bus_watch_name (G_BUS_TYPE_SESSION, SECRETS_NAME, G_BUS_NAME_WATCHER_FLAGS_NONE,
                            name_appeared_cb, NULL, &appeared, NULL);
  deadline = pc_test_deadline_new (KEYRING_WAIT_MS);
  while (!appeared && !keyring.daemon_exited)
    pc_test_deadline_iterate (deadline, "gnome-keyring-daemon owns " SECRETS_NAME);
  pc_test_deadline_free (deadline);
  g_bus_unwatch_name (watch);

  if (!appeared)
    {
      g_test_fail_printf ("gnome-keyring-daemon exited (status %d) before it owned %s",
                          g_subprocess_get_status (keyring.daemon), SECRETS_NAME);
      g_clear_object (&keyring.daemon);
      return FALSE;
    }

  return TRUE;
}

static gboolean
secrets_name_has_owner (void)
{
  g_autoptr(GDBusConnection) connection = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  gboolean has_owner;

  connection = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  reply = g_dbus_connection_call_sync (connection, "org.freedesktop.DBus",
                                       "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                       "NameHasOwner", g_variant_new ("(s)", SECRETS_NAME),
                                       G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, -1,
                                       NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(b)", &has_owner);
  return has_owner;
}

/* Stops the keyring by its process id and waits until it has left the bus. */
static void
keyring_stop (void)
{
  if (keyring.daemon == NULL)
    return;

  /* libsecret keeps a proxy for the service it talked to: drop it with the service. */
  secret_service_disconnect ();

  g_subprocess_send_signal (keyring.daemon, SIGTERM);
  PC_TEST_WAIT_UNTIL (keyring.daemon_exited);
  g_clear_object (&keyring.daemon);

  /* The bus notices the closed connection on its own time. */
  PC_TEST_WAIT_UNTIL (!secrets_name_has_owner ());
}

/* At the end of the program. */
static void
keyring_shut_down (void)
{
  keyring_stop ();
  secret_service_disconnect ();

  if (keyring.bus != NULL)
    {
      g_autoptr(GDBusConnection) connection = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);

      /* libsecret still holds the connection (see above), so g_test_dbus_down() would wait
       * for it in vain: stop the bus without waiting, and do not let its end end us. */
      if (connection != NULL)
        g_dbus_connection_set_exit_on_close (connection, FALSE);
      g_test_dbus_stop (keyring.bus);
      /* Not unreferenced: disposing of a bus that is up waits as g_test_dbus_down() does. */
    }

  if (keyring.root != NULL)
    remove_tree (keyring.root);
  g_clear_pointer (&keyring.root, g_free);
}

/* Every test starts with the keyring running, unlocked and without items of ours. */
static void
keyring_setup (KeyringFixture *fixture,
               gconstpointer   data)
{
  g_autoptr(GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;

  if (!keyring_prepare ())
    return;
  if (keyring.daemon == NULL && !keyring_start ())
    return;

  g_hash_table_insert (attributes, "xdg:schema", (gpointer) APP_ID);
  secret_password_clearv_sync (pc_credentials_get_schema (), attributes, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pc_test_raw_count (), ==, 0);
  fixture->ready = TRUE;
}

static void
keyring_teardown (KeyringFixture *fixture,
                  gconstpointer   data)
{
  /* The next test talks to the keyring afresh. */
  secret_service_disconnect ();
}

static void
test_store_lookup_remove (KeyringFixture *fixture,
                          gconstpointer   data)
{
  g_autoptr(PcAccount) account = pc_test_account_new (PC_ENVIRONMENT_LIVE, 1001,
                                                      "jane@example.com", "token-1");
  g_autoptr(PcAccount) sandbox = pc_test_account_new (PC_ENVIRONMENT_SANDBOX, 1001, NULL,
                                                      "token-s");
  g_autoptr(PcAccount) refreshed = pc_account_new_with_tokens (account, "token-2", NULL, NULL);
  g_autoptr(PcAccount) found = NULL;
  g_autoptr(GError) error = NULL;

  if (!fixture->ready)
    return;

  found = pc_test_credentials_lookup (&error);
  g_assert_no_error (error);
  g_assert_null (found);

  g_assert_true (pc_test_credentials_store (account, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pc_test_raw_count (), ==, 1);
  found = pc_test_credentials_lookup (&error);
  g_assert_no_error (error);
  g_assert_true (pc_account_equal (found, account));
  g_clear_pointer (&found, pc_account_unref);

  /* The same account replaces its item; another is added, and is the newest. */
  g_assert_true (pc_test_credentials_store (refreshed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pc_test_raw_count (), ==, 1);
  g_assert_true (pc_test_credentials_store (sandbox, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pc_test_raw_count (), ==, 2);
  found = pc_test_credentials_lookup (&error);
  g_assert_no_error (error);
  g_assert_true (pc_account_equal (found, sandbox));
  g_clear_pointer (&found, pc_account_unref);

  g_assert_true (pc_test_credentials_remove (sandbox, &error));
  g_assert_no_error (error);
  found = pc_test_credentials_lookup (&error);
  g_assert_no_error (error);
  g_assert_true (pc_account_equal (found, refreshed));
  g_clear_pointer (&found, pc_account_unref);

  g_assert_true (pc_test_credentials_remove (refreshed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pc_test_raw_count (), ==, 0);
  found = pc_test_credentials_lookup (&error);
  g_assert_no_error (error);
  g_assert_null (found);
}

/* The keyring's one item of ours, read as another program (Passwords and Keys) would. */
static SecretItem *
get_only_item (void)
{
  g_autoptr(GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  SecretItem *item;
  GList *items;

  g_hash_table_insert (attributes, "xdg:schema", (gpointer) APP_ID);
  items = secret_service_search_sync (NULL, NULL, attributes,
                                      SECRET_SEARCH_ALL | SECRET_SEARCH_LOAD_SECRETS,
                                      NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_length (items), ==, 1);
  item = g_object_ref (items->data);
  g_list_free_full (items, g_object_unref);
  return item;
}

static void
assert_no_token_outside_secret (SecretItem *item,
                                PcAccount  *account)
{
  const char *tokens[] = { pc_account_get_access_token (account),
                           pc_account_get_refresh_token (account) };
  g_autofree char *label = secret_item_get_label (item);
  g_autoptr(GHashTable) attributes = secret_item_get_attributes (item);
  g_autoptr(SecretValue) secret = secret_item_get_secret (item);
  GHashTableIter iter;
  gpointer key, value;

  for (guint i = 0; i < G_N_ELEMENTS (tokens); i++)
    {
      g_assert_nonnull (tokens[i]);
      g_assert_null (strstr (label, tokens[i]));
      g_hash_table_iter_init (&iter, attributes);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          g_assert_null (strstr (key, tokens[i]));
          g_assert_null (strstr (value, tokens[i]));
        }
      /* The tokens are in the secret, and only there. */
      g_assert_nonnull (secret);
      g_assert_nonnull (strstr (secret_value_get_text (secret), tokens[i]));
    }
}

static void
test_attributes (KeyringFixture *fixture,
                 gconstpointer   data)
{
  g_autoptr(PcAccount) live = pc_test_account_new (PC_ENVIRONMENT_LIVE, 31337,
                                                   "jane@example.com", "access-live-0123");
  g_autoptr(PcAccount) custom = pc_test_account_new (PC_ENVIRONMENT_CUSTOM, 42, NULL,
                                                     "access-custom-4567");
  g_autoptr(SecretItem) item = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  g_autofree char *schema_name = NULL;
  g_autofree char *label = NULL;
  g_autoptr(GError) error = NULL;

  if (!fixture->ready)
    return;

  g_assert_cmpstr (pc_credentials_get_schema ()->name, ==, APP_ID);

  g_assert_true (pc_test_credentials_store (live, &error));
  g_assert_no_error (error);
  item = get_only_item ();
  schema_name = secret_item_get_schema_name (item);
  g_assert_cmpstr (schema_name, ==, APP_ID);
  attributes = secret_item_get_attributes (item);
  g_assert_cmpuint (g_hash_table_size (attributes), ==, 3);
  g_assert_cmpstr (g_hash_table_lookup (attributes, "xdg:schema"), ==, APP_ID);
  g_assert_cmpstr (g_hash_table_lookup (attributes, "environment"), ==, "live");
  g_assert_cmpstr (g_hash_table_lookup (attributes, "user-id"), ==, "31337");
  label = secret_item_get_label (item);
  g_test_message ("Label: %s", label);
  g_assert_cmpstr (label, ==, "PhoneChat sign-in for jane@example.com");
  assert_no_token_outside_secret (item, live);
  g_clear_pointer (&label, g_free);
  g_clear_pointer (&attributes, g_hash_table_unref);
  g_clear_object (&item);

  g_assert_true (pc_test_credentials_remove (live, &error));
  g_assert_no_error (error);
  g_assert_true (pc_test_credentials_store (custom, &error));
  g_assert_no_error (error);
  item = get_only_item ();
  attributes = secret_item_get_attributes (item);
  g_assert_cmpuint (g_hash_table_size (attributes), ==, 4);
  g_assert_cmpstr (g_hash_table_lookup (attributes, "environment"), ==, "custom");
  g_assert_cmpstr (g_hash_table_lookup (attributes, "user-id"), ==, "42");
  g_assert_cmpstr (g_hash_table_lookup (attributes, "api-url"), ==, "http://127.0.0.1:8080");
  label = secret_item_get_label (item);
  g_test_message ("Label: %s", label);
  g_assert_cmpstr (label, ==, "PhoneChat sign-in for user 42 at http://127.0.0.1:8080");
  assert_no_token_outside_secret (item, custom);
}

static void
unlock_with_password (void)
{
  g_autoptr(SecretService) service = NULL;
  g_autoptr(SecretCollection) collection = NULL;
  g_autoptr(SecretValue) password = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  GVariant *secret;

  service = secret_service_get_sync (SECRET_SERVICE_OPEN_SESSION, NULL, &error);
  g_assert_no_error (error);
  collection = secret_collection_for_alias_sync (service, SECRET_COLLECTION_DEFAULT,
                                                 SECRET_COLLECTION_NONE, NULL, &error);
  g_assert_no_error (error);

  /* gnome-keyring's way to unlock without a prompt: what a login manager does. */
  password = secret_value_new (KEYRING_PASSWORD, -1, "text/plain");
  secret = secret_service_encode_dbus_secret (service, password);
  reply = g_dbus_connection_call_sync (g_dbus_proxy_get_connection (G_DBUS_PROXY (service)),
                                       SECRETS_NAME, SECRETS_PATH,
                                       "org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface",
                                       "UnlockWithMasterPassword",
                                       g_variant_new ("(o@(oayays))",
                                                      g_dbus_proxy_get_object_path (G_DBUS_PROXY (collection)),
                                                      secret),
                                       NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
}

static void
test_locked (KeyringFixture *fixture,
             gconstpointer   data)
{
  g_autoptr(PcAccount) account = pc_test_account_new (PC_ENVIRONMENT_LIVE, 77, NULL, "token-77");
  g_autoptr(PcAccount) other = pc_test_account_new (PC_ENVIRONMENT_SANDBOX, 78, NULL, "token-78");
  g_autoptr(PcAccount) found = NULL;
  g_autoptr(SecretService) service = NULL;
  g_autoptr(SecretCollection) collection = NULL;
  g_autoptr(GError) error = NULL;
  GList *objects;
  gint64 start;

  if (!fixture->ready)
    return;

  g_assert_true (pc_test_credentials_store (account, &error));
  g_assert_no_error (error);

  service = secret_service_get_sync (SECRET_SERVICE_NONE, NULL, &error);
  g_assert_no_error (error);
  collection = secret_collection_for_alias_sync (service, SECRET_COLLECTION_DEFAULT,
                                                 SECRET_COLLECTION_NONE, NULL, &error);
  g_assert_no_error (error);
  objects = g_list_append (NULL, collection);
  secret_service_lock_sync (service, objects, NULL, NULL, &error);
  g_list_free (objects);
  g_assert_no_error (error);
  PC_TEST_WAIT_UNTIL (secret_collection_get_locked (collection));
  g_clear_object (&collection);
  g_clear_object (&service);

  /* Unlocking needs a prompt; with no prompter on the bus the keyring refuses it at once
   * (a desktop would ask the person, who may refuse too). */
  start = g_get_monotonic_time ();
  found = pc_test_credentials_lookup (&error);
  g_test_message ("Locked: %s", error != NULL ? error->message : "no error");
  g_assert_error (error, PC_CREDENTIALS_ERROR, PC_CREDENTIALS_ERROR_LOCKED);
  g_assert_null (found);
  g_clear_error (&error);

  g_assert_false (pc_test_credentials_store (other, &error));
  g_assert_error (error, PC_CREDENTIALS_ERROR, PC_CREDENTIALS_ERROR_LOCKED);
  g_clear_error (&error);

  g_assert_false (pc_test_credentials_remove (account, &error));
  g_assert_error (error, PC_CREDENTIALS_ERROR, PC_CREDENTIALS_ERROR_LOCKED);
  g_clear_error (&error);
  g_assert_cmpint (g_get_monotonic_time () - start, <, QUICK_ANSWER_SECONDS * G_USEC_PER_SEC);

  /* Once unlocked, the account is there as it was, and nothing else is. */
  unlock_with_password ();
  found = pc_test_credentials_lookup (&error);
  g_assert_no_error (error);
  g_assert_nonnull (found);
  g_assert_true (pc_account_equal (found, account));
  g_assert_cmpuint (pc_test_raw_count (), ==, 1);
}

static void
assert_unavailable (PcAccount *account)
{
  g_autoptr(PcAccount) found = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  found = pc_test_credentials_lookup (&error);
  g_test_message ("Unavailable: %s", error != NULL ? error->message : "no error");
  g_assert_error (error, PC_CREDENTIALS_ERROR, PC_CREDENTIALS_ERROR_UNAVAILABLE);
  g_assert_null (found);
  g_clear_error (&error);

  g_assert_false (pc_test_credentials_store (account, &error));
  g_assert_error (error, PC_CREDENTIALS_ERROR, PC_CREDENTIALS_ERROR_UNAVAILABLE);
  g_clear_error (&error);

  g_assert_false (pc_test_credentials_remove (account, &error));
  g_assert_error (error, PC_CREDENTIALS_ERROR, PC_CREDENTIALS_ERROR_UNAVAILABLE);
  g_clear_error (&error);

  g_assert_cmpint (g_get_monotonic_time () - start, <, QUICK_ANSWER_SECONDS * G_USEC_PER_SEC);
}

static void
test_unavailable (KeyringFixture *fixture,
                  gconstpointer   data)
{
  g_autoptr(PcAccount) account = pc_test_account_new (PC_ENVIRONMENT_LIVE, 55, "x@example.com",
                                                      "token-55");
  g_autoptr(PcAccount) newer = pc_test_account_new (PC_ENVIRONMENT_SANDBOX, 56, NULL, "token-56");
  g_autoptr(PcAccount) found = NULL;
  g_autoptr(GError) error = NULL;

  if (!fixture->ready)
    return;

  g_assert_true (pc_test_credentials_store (account, &error));
  g_assert_no_error (error);

  /* The bus stays; the Secret Service leaves it, and nothing can start another. */
  keyring_stop ();
  assert_unavailable (newer);
  assert_unavailable (account);

  /* Back again, the keyring still holds the account, and only it. */
  if (!keyring_start ())
    return;
  found = pc_test_credentials_lookup (&error);
  g_assert_no_error (error);
  g_assert_nonnull (found);
  g_assert_true (pc_account_equal (found, account));
  g_assert_cmpuint (pc_test_raw_count (), ==, 1);
}

/* A session without any bus at all, in a child process: the address leads nowhere (and
 * being set, it keeps GDBus from starting a bus of its own on the display). */
static void
test_unavailable_no_bus (void)
{
  g_autoptr(PcAccount) account = pc_test_account_new (PC_ENVIRONMENT_LIVE, 55, NULL, "token");
  g_auto(GStrv) envp = NULL;

  if (g_test_subprocess ())
    {
      assert_unavailable (account);
      return;
    }

  envp = g_get_environ ();
  envp = g_environ_setenv (g_steal_pointer (&envp), "DBUS_SESSION_BUS_ADDRESS",
                           "unix:path=/nonexistent/phonechat-test-no-bus", TRUE);
  /* Its own isolated directories: by default the child would remove this test's. */
  envp = g_environ_unsetenv (g_steal_pointer (&envp), "G_TEST_TMPDIR");
  g_test_trap_subprocess_with_envp (NULL, (const char * const *) envp, 30 * G_USEC_PER_SEC,
                                    G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  pc_test_init_logging ();

  g_test_add ("/credentials/keyring/store-lookup-remove", KeyringFixture, NULL,
              keyring_setup, test_store_lookup_remove, keyring_teardown);
  g_test_add ("/credentials/keyring/attributes", KeyringFixture, NULL,
              keyring_setup, test_attributes, keyring_teardown);
  g_test_add ("/credentials/keyring/locked", KeyringFixture, NULL,
              keyring_setup, test_locked, keyring_teardown);
  g_test_add ("/credentials/unavailable", KeyringFixture, NULL,
              keyring_setup, test_unavailable, keyring_teardown);
  g_test_add_func ("/credentials/unavailable/no-bus", test_unavailable_no_bus);

  ret = g_test_run ();
  keyring_shut_down ();
  return ret;
}
