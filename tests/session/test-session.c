/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "pc-api.h"
#include "pc-clock.h"
#include "pc-credentials.h"
#include "pc-oauth.h"
#include "pc-sandbox-private.h"
#include "pc-session.h"
#include "pc-test-credentials.h"
#include "test-utils.h"

/* PcSession against the sandbox's Unified Login and API over loopback HTTP, with
 * libsecret's file backend as the keyring (meson sets SECRET_BACKEND; each test gets a
 * keyring file of its own in its isolated data directory). A second SoupSession plays
 * the browser. */

typedef struct
{
  PcClock     *clock;
  PcSandbox   *sandbox;
  SoupSession *soup;     /* the app's */
  SoupSession *browser;
  PcSession   *session;
  char        *keyring_path;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  /* G_TEST_OPTION_ISOLATE_DIRS gives each test its own data directory, so a new keyring
   * file. libsecret reads the variable when its backend starts, which is again after the
   * previous test's secret_service_disconnect(). */
  fixture->keyring_path = g_build_filename (g_get_user_data_dir (), "session.keyring", NULL);
  g_setenv ("SECRET_FILE_TEST_PATH", fixture->keyring_path, TRUE);
  g_assert_false (g_file_test (fixture->keyring_path, G_FILE_TEST_EXISTS));
  g_assert_cmpstr (g_getenv ("SECRET_BACKEND"), ==, "file");

  /* The real clock: the sandbox expires tokens by it and the session renews by it. */
  fixture->clock = pc_clock_new_system ();
  fixture->sandbox = pc_sandbox_new (fixture->clock, NULL);
  pc_sandbox_load_demo (fixture->sandbox);
  pc_sandbox_listen (fixture->sandbox, 0, &error);
  g_assert_no_error (error);

  fixture->soup = soup_session_new ();
  fixture->browser = soup_session_new ();
  fixture->session = pc_session_new (fixture->soup, fixture->clock);
  g_assert_cmpint (pc_session_get_state (fixture->session), ==, PC_SESSION_SIGNED_OUT);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  GObject *session = G_OBJECT (fixture->session);

  /* Whatever the session still has in flight (a renewal, a keyring write) ends, and lets
   * it go; a reference kept for good fails the test here. */
  g_object_add_weak_pointer (session, (gpointer *) &session);
  g_clear_object (&fixture->session);
  PC_TEST_WAIT_UNTIL (session == NULL);

  g_clear_object (&fixture->browser);
  g_clear_object (&fixture->soup);
  pc_test_drain_main_context ();
  pc_sandbox_stop (fixture->sandbox);
  g_assert_finalize_object (fixture->sandbox);
  g_clear_object (&fixture->clock);

  secret_service_disconnect ();
  g_clear_pointer (&fixture->keyring_path, g_free);
}

/* The browser ------------------------------------------------------------------------ */

/* A GET that follows redirects, as a browser does: from the sign-in page to the
 * session's listener on 127.0.0.1. */
static void
browse (Fixture    *fixture,
        const char *url)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  g_assert_cmpuint (pc_test_browser_get (fixture->browser, url, TRUE, NULL, NULL, &path, &error),
                    ==, SOUP_STATUS_OK);
  g_assert_no_error (error);
  g_assert_cmpstr (path, ==, "/callback");
}

/* Helpers -------------------------------------------------------------------------- */

/* The whole browser sign-in, as the application does it. */
static void
sign_in (Fixture *fixture)
{
  const char *url = pc_sandbox_get_url (fixture->sandbox);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *authorize_url = NULL;
  g_autofree char *prefix = g_strconcat (url, "/OAuth/Authorize?", NULL);

  authorize_url = pc_session_begin_sign_in (fixture->session, PC_ENVIRONMENT_CUSTOM, url, url,
                                            PC_SANDBOX_CLIENT_ID, 0, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (authorize_url, prefix));

  pc_session_finish_sign_in_async (fixture->session, NULL, pc_test_store_result_cb, &result);
  browse (fixture, authorize_url);
  PC_TEST_WAIT_UNTIL (result != NULL);
  g_assert_true (pc_session_finish_sign_in_finish (fixture->session, result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pc_session_get_state (fixture->session), ==, PC_SESSION_SIGNED_IN);
}

static gboolean
refresh (Fixture  *fixture,
         GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pc_session_refresh_async (fixture->session, NULL, pc_test_store_result_cb, &result);
  PC_TEST_WAIT_UNTIL (result != NULL);
  return pc_session_refresh_finish (fixture->session, result, error);
}

/* Asks the server who @api's token belongs to. */
static gint64
verify (PcApi   *api,
        GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  gint64 user_id = 0;

  g_assert_nonnull (api);
  pc_api_verify_credentials_async (api, NULL, pc_test_store_result_cb, &result);
  PC_TEST_WAIT_UNTIL (result != NULL);
  if (!pc_api_verify_credentials_finish (api, result, &user_id, error))
    return 0;
  return user_id;
}

static PcAccount *
lookup_stored (void)
{
  g_autoptr(GError) error = NULL;
  PcAccount *account = pc_test_credentials_lookup (&error);

  g_assert_no_error (error);
  return account;
}

/* What the keyring holds is the session's account, tokens and all. */
static void
assert_stored_is_session_account (Fixture *fixture)
{
  g_autoptr(PcAccount) stored = lookup_stored ();

  g_assert_nonnull (stored);
  g_assert_true (pc_account_equal (stored, pc_session_get_account (fixture->session)));
  g_assert_cmpuint (pc_test_raw_count (), ==, 1);
}

static const char *
access_token (Fixture *fixture)
{
  PcAccount *account = pc_session_get_account (fixture->session);

  return account != NULL ? pc_account_get_access_token (account) : NULL;
}

static const char *
refresh_token (Fixture *fixture)
{
  PcAccount *account = pc_session_get_account (fixture->session);

  return account != NULL ? pc_account_get_refresh_token (account) : NULL;
}

static GTimeSpan
access_time_left (Fixture *fixture)
{
  g_autoptr(GDateTime) now = pc_clock_get_now (fixture->clock);
  GDateTime *expires_at = pc_account_get_expires_at (pc_session_get_account (fixture->session));

  g_assert_nonnull (expires_at);
  return g_date_time_difference (expires_at, now);
}

static guint
count_token_requests (Fixture *fixture)
{
  return pc_sandbox_count_requests (fixture->sandbox, "POST", "/OAuth/token");
}

/* Sign in ----------------------------------------------------------------------------- */

static void
test_sign_in_browser (Fixture       *fixture,
                      gconstpointer  user_data)
{
  const char *url = pc_sandbox_get_url (fixture->sandbox);
  g_autoptr(GError) error = NULL;
  PcAccount *account;

  g_assert_null (pc_session_get_account (fixture->session));
  g_assert_null (pc_session_get_api (fixture->session));

  sign_in (fixture);

  account = pc_session_get_account (fixture->session);
  g_assert_nonnull (account);
  g_assert_cmpint (pc_account_get_user_id (account), ==, PC_SANDBOX_USER_ID);
  g_assert_cmpint (pc_account_get_environment (account), ==, PC_ENVIRONMENT_CUSTOM);
  g_assert_cmpstr (pc_account_get_api_url (account), ==, url);
  g_assert_cmpstr (pc_account_get_auth_url (account), ==, url);
  g_assert_cmpstr (pc_account_get_client_id (account), ==, PC_SANDBOX_CLIENT_ID);
  g_assert_nonnull (pc_account_get_access_token (account));
  g_assert_nonnull (pc_account_get_refresh_token (account));
  g_assert_nonnull (pc_account_get_expires_at (account));
  g_assert_null (pc_session_get_error (fixture->session));
  g_assert_cmpuint (count_token_requests (fixture), ==, 1);

  /* In the keyring, the same tokens. */
  assert_stored_is_session_account (fixture);
  g_assert_true (g_file_test (fixture->keyring_path, G_FILE_TEST_IS_REGULAR));

  /* And the session's API client works with them. */
  g_assert_cmpint (verify (pc_session_get_api (fixture->session), &error), ==, PC_SANDBOX_USER_ID);
  g_assert_no_error (error);
}

/* Restore ----------------------------------------------------------------------------- */

static void
test_restore_stored (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(PcSession) restored = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint verified;

  sign_in (fixture);

  /* As after a restart: a new session on the same keyring. */
  restored = pc_session_new (fixture->soup, fixture->clock);
  pc_session_restore_async (restored, NULL, pc_test_store_result_cb, &result);
  g_assert_cmpint (pc_session_get_state (restored), ==, PC_SESSION_RESTORING);
  PC_TEST_WAIT_UNTIL (result != NULL);
  g_assert_true (pc_session_restore_finish (restored, result, &error));
  g_assert_no_error (error);

  g_assert_cmpint (pc_session_get_state (restored), ==, PC_SESSION_SIGNED_IN);
  g_assert_null (pc_session_get_error (restored));
  g_assert_nonnull (pc_session_get_account (restored));
  g_assert_true (pc_account_equal (pc_session_get_account (restored),
                                   pc_session_get_account (fixture->session)));

  /* Its API works: the server knows the restored token. */
  verified = pc_sandbox_count_requests (fixture->sandbox, "GET", "/v1/account/verifyCredentials");
  g_assert_cmpint (verify (pc_session_get_api (restored), &error), ==, PC_SANDBOX_USER_ID);
  g_assert_no_error (error);
  g_assert_cmpuint (pc_sandbox_count_requests (fixture->sandbox, "GET",
                                               "/v1/account/verifyCredentials"), ==, verified + 1);
  /* Restoring a token that is still good renews nothing. */
  g_assert_cmpuint (count_token_requests (fixture), ==, 1);
}

static void
test_restore_none (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  pc_session_restore_async (fixture->session, NULL, pc_test_store_result_cb, &result);
  g_assert_cmpint (pc_session_get_state (fixture->session), ==, PC_SESSION_RESTORING);
  PC_TEST_WAIT_UNTIL (result != NULL);
  g_assert_true (pc_session_restore_finish (fixture->session, result, &error));
  g_assert_no_error (error);

  g_assert_cmpint (pc_session_get_state (fixture->session), ==, PC_SESSION_SIGNED_OUT);
  g_assert_null (pc_session_get_error (fixture->session));
  g_assert_null (pc_session_get_account (fixture->session));
  g_assert_null (pc_session_get_api (fixture->session));
  g_assert_cmpuint (pc_sandbox_count_requests (fixture->sandbox, NULL, NULL), ==, 0);
}

/* Renewal ----------------------------------------------------------------------------- */

static void
test_refresh_rotation (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autofree char *old_access = NULL;
  g_autofree char *old_refresh = NULL;
  g_autoptr(PcOAuth) oauth = NULL;
  g_autoptr(PcTokens) tokens = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PcApi *api;

  sign_in (fixture);
  api = pc_session_get_api (fixture->session);
  old_access = g_strdup (access_token (fixture));
  old_refresh = g_strdup (refresh_token (fixture));

  /* Two renewals asked for at once: the second joins the first, which it must, as the
   * first one's refresh token stops working. */
  pc_session_refresh_async (fixture->session, NULL, pc_test_store_result_cb, &result);
  g_assert_true (refresh (fixture, &error));
  g_assert_no_error (error);
  PC_TEST_WAIT_UNTIL (result != NULL);
  g_assert_true (pc_session_refresh_finish (fixture->session, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_cmpuint (count_token_requests (fixture), ==, 2);

  g_assert_cmpint (pc_session_get_state (fixture->session), ==, PC_SESSION_SIGNED_IN);
  g_assert_cmpstr (access_token (fixture), !=, old_access);
  g_assert_cmpstr (refresh_token (fixture), !=, old_refresh);
  g_assert_nonnull (refresh_token (fixture));
  g_assert_cmpint (pc_account_get_user_id (pc_session_get_account (fixture->session)), ==,
                   PC_SANDBOX_USER_ID);

  /* The rotated refresh token is in the keyring by the time the renewal has finished. */
  assert_stored_is_session_account (fixture);

  /* The same API client, now sending the new token. */
  g_assert_true (pc_session_get_api (fixture->session) == api);
  g_assert_cmpint (verify (api, &error), ==, PC_SANDBOX_USER_ID);
  g_assert_no_error (error);

  /* The sandbox refuses the old refresh token: it was replaced. */
  oauth = pc_oauth_new (fixture->soup, pc_sandbox_get_url (fixture->sandbox),
                        PC_SANDBOX_CLIENT_ID, NULL, &error);
  g_assert_no_error (error);
  pc_oauth_refresh_async (oauth, old_refresh, NULL, pc_test_store_result_cb, &result);
  PC_TEST_WAIT_UNTIL (result != NULL);
  tokens = pc_oauth_refresh_finish (oauth, result, &error);
  g_assert_null (tokens);
  g_assert_error (error, PC_OAUTH_ERROR, PC_OAUTH_ERROR_REFRESH_EXPIRED);
}

static void
test_refresh_scheduled (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autoptr(GError) error = NULL;

  /* Tokens that live two seconds: renewed at 80 % of that, without being asked. */
  pc_sandbox_set_token_lifetimes (fixture->sandbox, 2, 600);
  sign_in (fixture);
  first = g_strdup (access_token (fixture));

  PC_TEST_WAIT_UNTIL (g_strcmp0 (access_token (fixture), first) != 0);
  second = g_strdup (access_token (fixture));
  g_assert_cmpint (pc_session_get_state (fixture->session), ==, PC_SESSION_SIGNED_IN);
  g_assert_null (pc_session_get_error (fixture->session));
  g_assert_cmpuint (count_token_requests (fixture), >=, 2);

  /* The renewal was scheduled again for the new token. */
  PC_TEST_WAIT_UNTIL (g_strcmp0 (access_token (fixture), second) != 0);
  g_assert_cmpuint (count_token_requests (fixture), >=, 3);

  /* With long lives from now on, the next renewal brings a token that lasts, and the
   * session stops renewing; that token works, and is the one kept. */
  pc_sandbox_set_token_lifetimes (fixture->sandbox, 3600, 600);
  PC_TEST_WAIT_UNTIL (access_time_left (fixture) > 60 * G_TIME_SPAN_SECOND);
  g_assert_true (refresh (fixture, &error));
  g_assert_no_error (error);
  g_assert_cmpint (verify (pc_session_get_api (fixture->session), &error), ==, PC_SANDBOX_USER_ID);
  g_assert_no_error (error);
  assert_stored_is_session_account (fixture);
}

static void
test_refresh_expired (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(PcAccount) before = NULL;
  g_autoptr(GError) error = NULL;
  const GError *session_error;

  sign_in (fixture);
  before = pc_account_ref (pc_session_get_account (fixture->session));

  pc_sandbox_expire_tokens (fixture->sandbox);
  g_assert_false (refresh (fixture, &error));
  g_assert_error (error, PC_OAUTH_ERROR, PC_OAUTH_ERROR_REFRESH_EXPIRED);

  g_assert_cmpint (pc_session_get_state (fixture->session), ==, PC_SESSION_NEEDS_SIGN_IN);
  session_error = pc_session_get_error (fixture->session);
  g_assert_nonnull (session_error);
  g_assert_true (g_error_matches (session_error, PC_OAUTH_ERROR, PC_OAUTH_ERROR_REFRESH_EXPIRED));

  /* The account stays, in the session and in the keyring, for signing in again. */
  g_assert_nonnull (pc_session_get_account (fixture->session));
  g_assert_true (pc_account_equal (pc_session_get_account (fixture->session), before));
  g_assert_nonnull (pc_session_get_api (fixture->session));
  assert_stored_is_session_account (fixture);
}

/* A 401 reported by the front end ----------------------------------------------------- */

static void
test_unauthorized_renews (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autofree char *old_access = NULL;
  g_autoptr(GError) error = NULL;

  sign_in (fixture);
  old_access = g_strdup (access_token (fixture));

  pc_session_report_unauthorized (fixture->session);
  PC_TEST_WAIT_UNTIL (g_strcmp0 (access_token (fixture), old_access) != 0);

  g_assert_cmpuint (count_token_requests (fixture), ==, 2);
  g_assert_cmpint (pc_session_get_state (fixture->session), ==, PC_SESSION_SIGNED_IN);
  g_assert_null (pc_session_get_error (fixture->session));
  g_assert_cmpint (verify (pc_session_get_api (fixture->session), &error), ==, PC_SANDBOX_USER_ID);
  g_assert_no_error (error);
}

static void
test_unauthorized_needs_sign_in (Fixture       *fixture,
                                 gconstpointer  user_data)
{
  g_autoptr(PcAccount) before = NULL;
  g_autoptr(GError) error = NULL;

  sign_in (fixture);
  before = pc_account_ref (pc_session_get_account (fixture->session));

  pc_sandbox_expire_tokens (fixture->sandbox);
  /* The server refuses the access token now… */
  g_assert_cmpint (verify (pc_session_get_api (fixture->session), &error), ==, 0);
  g_assert_error (error, PC_API_ERROR, PC_API_ERROR_UNAUTHORIZED);

  /* …and renewing it fails too. */
  pc_session_report_unauthorized (fixture->session);
  PC_TEST_WAIT_UNTIL (pc_session_get_state (fixture->session) == PC_SESSION_NEEDS_SIGN_IN);
  g_assert_cmpuint (count_token_requests (fixture), ==, 2);
  g_assert_nonnull (pc_session_get_error (fixture->session));
  g_assert_true (g_error_matches (pc_session_get_error (fixture->session), PC_OAUTH_ERROR,
                                  PC_OAUTH_ERROR_REFRESH_EXPIRED));
  g_assert_true (pc_account_equal (pc_session_get_account (fixture->session), before));
  assert_stored_is_session_account (fixture);

  /* Needing to sign in again, another 401 sends nothing more. */
  pc_session_report_unauthorized (fixture->session);
  pc_test_drain_main_context ();
  g_assert_cmpuint (count_token_requests (fixture), ==, 2);
  g_assert_cmpint (pc_session_get_state (fixture->session), ==, PC_SESSION_NEEDS_SIGN_IN);
}

/* A pasted token ---------------------------------------------------------------------- */

static gboolean
sign_in_with_token (Fixture     *fixture,
                    const char  *token,
                    GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pc_session_sign_in_with_token_async (fixture->session, PC_ENVIRONMENT_CUSTOM,
                                       pc_sandbox_get_url (fixture->sandbox), token, NULL,
                                       pc_test_store_result_cb, &result);
  PC_TEST_WAIT_UNTIL (result != NULL);
  return pc_session_sign_in_with_token_finish (fixture->session, result, error);
}

static void
test_token_pasted (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PcAccount) stored = NULL;
  PcAccount *account;

  /* Refused: still signed out, and nothing kept. */
  g_assert_false (sign_in_with_token (fixture, "not-a-token", &error));
  g_assert_error (error, PC_API_ERROR, PC_API_ERROR_UNAUTHORIZED);
  g_clear_error (&error);
  g_assert_cmpint (pc_session_get_state (fixture->session), ==, PC_SESSION_SIGNED_OUT);
  g_assert_null (pc_session_get_account (fixture->session));
  g_assert_null (pc_session_get_api (fixture->session));
  g_assert_cmpuint (pc_test_raw_count (), ==, 0);

  /* Accepted: signed in as the token's owner, kept, with nothing to renew it. */
  g_assert_true (sign_in_with_token (fixture, PC_SANDBOX_DEFAULT_TOKEN, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pc_session_get_state (fixture->session), ==, PC_SESSION_SIGNED_IN);
  account = pc_session_get_account (fixture->session);
  g_assert_nonnull (account);
  g_assert_cmpint (pc_account_get_user_id (account), ==, PC_SANDBOX_USER_ID);
  g_assert_cmpstr (pc_account_get_access_token (account), ==, PC_SANDBOX_DEFAULT_TOKEN);
  g_assert_null (pc_account_get_refresh_token (account));
  assert_stored_is_session_account (fixture);
  g_assert_cmpint (verify (pc_session_get_api (fixture->session), &error), ==, PC_SANDBOX_USER_ID);
  g_assert_no_error (error);

  /* Refused while signed in: the account, and what is kept, stay as they were. */
  g_assert_false (sign_in_with_token (fixture, "still-not-a-token", &error));
  g_assert_error (error, PC_API_ERROR, PC_API_ERROR_UNAUTHORIZED);
  g_assert_cmpint (pc_session_get_state (fixture->session), ==, PC_SESSION_SIGNED_IN);
  g_assert_true (pc_session_get_account (fixture->session) == account);
  stored = lookup_stored ();
  g_assert_cmpstr (pc_account_get_access_token (stored), ==, PC_SANDBOX_DEFAULT_TOKEN);
  g_assert_cmpuint (pc_test_raw_count (), ==, 1);
  g_assert_cmpuint (count_token_requests (fixture), ==, 0);
}

/* Sign out ---------------------------------------------------------------------------- */

static void
test_sign_out (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PcAccount) stored = NULL;

  sign_in (fixture);
  g_assert_cmpuint (pc_test_raw_count (), ==, 1);

  pc_session_sign_out_async (fixture->session, NULL, pc_test_store_result_cb, &result);
  PC_TEST_WAIT_UNTIL (result != NULL);
  g_assert_true (pc_session_sign_out_finish (fixture->session, result, &error));
  g_assert_no_error (error);

  g_assert_cmpint (pc_session_get_state (fixture->session), ==, PC_SESSION_SIGNED_OUT);
  g_assert_null (pc_session_get_account (fixture->session));
  g_assert_null (pc_session_get_api (fixture->session));
  g_assert_null (pc_session_get_error (fixture->session));

  stored = lookup_stored ();
  g_assert_null (stored);
  g_assert_cmpuint (pc_test_raw_count (), ==, 0);
}

/* The debug log ----------------------------------------------------------------------- */

/* Everything logged or printed to stderr while capturing: g_log() messages go to the
 * default handler (g_test_init() installs its own, which is put back afterwards),
 * structured ones to the writer, PcApi's HTTP log to g_printerr(). */
static GString *captured;

static void
capture_log_cb (const char     *log_domain,
                GLogLevelFlags  log_level,
                const char     *message,
                gpointer        user_data)
{
  g_string_append_printf (captured, "%s: %s\n", log_domain != NULL ? log_domain : "", message);

  /* A warning is still a failure. */
  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    g_error ("Unexpected %s: %s", log_domain, message);
}

static GLogWriterOutput
capture_writer_cb (GLogLevelFlags   log_level,
                   const GLogField *fields,
                   gsize            n_fields,
                   gpointer         user_data)
{
  if (captured != NULL)
    for (gsize i = 0; i < n_fields; i++)
      if (g_str_equal (fields[i].key, "MESSAGE"))
        {
          g_string_append_len (captured, fields[i].value,
                               fields[i].length < 0 ? (gssize) strlen (fields[i].value)
                                                    : fields[i].length);
          g_string_append_c (captured, '\n');
        }

  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

static void
capture_printerr_cb (const char *text)
{
  g_string_append (captured, text);
}

static void
assert_not_logged (const char *log,
                   const char *secret,
                   const char *what)
{
  if (secret == NULL || *secret == '\0')
    return;

  if (strstr (log, secret) != NULL)
    g_error ("The debug log shows %s (%s):\n%s", what, secret, log);
}

static void
test_debug_log_no_secrets (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autofree char *first_access = NULL;
  g_autofree char *first_refresh = NULL;
  g_autoptr(GPtrArray) secrets = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) bookings = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *log = NULL;
  GPrintFunc old_printerr;
  GLogFunc old_handler;

  captured = g_string_new (NULL);
  old_printerr = g_set_printerr_handler (capture_printerr_cb);
  /* g_test_init() installs its default handler with no data. */
  old_handler = g_log_set_default_handler (capture_log_cb, NULL);

  pc_session_set_debug (fixture->session, TRUE);
  sign_in (fixture);
  first_access = g_strdup (access_token (fixture));
  first_refresh = g_strdup (refresh_token (fixture));

  g_assert_true (refresh (fixture, &error));
  g_assert_no_error (error);

  pc_api_list_all_bookings_async (pc_session_get_api (fixture->session), 100, NULL, NULL, NULL,
                                  NULL, pc_test_store_result_cb, &result);
  PC_TEST_WAIT_UNTIL (result != NULL);
  bookings = pc_api_list_all_bookings_finish (pc_session_get_api (fixture->session), result,
                                              &error);
  g_assert_no_error (error);
  g_assert_nonnull (bookings);

  /* Let the exchanges finish closing while the loggers are still there. */
  pc_test_drain_main_context ();
  g_log_set_default_handler (old_handler, NULL);
  g_set_printerr_handler (old_printerr);
  log = g_string_free (g_steal_pointer (&captured), FALSE);
  g_test_message ("%s", log);

  /* The log was captured, and tells what happened… */
  g_assert_nonnull (strstr (log, "/OAuth/Authorize"));
  g_assert_nonnull (strstr (log, "grant_type=authorization_code"));
  g_assert_nonnull (strstr (log, "grant_type=refresh_token"));
  g_assert_nonnull (strstr (log, "/v1/account/verifyCredentials"));
  g_assert_nonnull (strstr (log, "/v1/PhoneChat/ReceivedBookings"));

  /* …but no secret: none of the codes, tokens, verifiers, states and client secrets the
   * sandbox issued or was sent, nor the tokens the session holds. */
  secrets = _pc_sandbox_oauth_dup_secrets (fixture->sandbox);
  /* A code, a verifier, a state and two pairs of tokens at least. */
  g_assert_cmpuint (secrets->len, >=, 7);
  for (guint i = 0; i < secrets->len; i++)
    assert_not_logged (log, g_ptr_array_index (secrets, i), "a sign-in secret");
  assert_not_logged (log, first_access, "the first access token");
  assert_not_logged (log, first_refresh, "the first refresh token");
  assert_not_logged (log, access_token (fixture), "the access token");
  assert_not_logged (log, refresh_token (fixture), "the refresh token");
  assert_not_logged (log, PC_SANDBOX_CLIENT_SECRET, "the sandbox's client secret");
  if (PC_OAUTH_CLIENT_SECRET[0] != '\0')
    assert_not_logged (log, PC_OAUTH_CLIENT_SECRET, "PhoneChat's client secret");
}

int
main (int   argc,
      char *argv[])
{
  g_log_set_writer_func (capture_writer_cb, NULL, NULL);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  pc_test_init_logging ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/session/sign-in/browser", test_sign_in_browser);
  ADD ("/session/restore/stored", test_restore_stored);
  ADD ("/session/restore/none", test_restore_none);
  ADD ("/session/refresh/rotation", test_refresh_rotation);
  ADD ("/session/refresh/scheduled", test_refresh_scheduled);
  ADD ("/session/refresh/expired", test_refresh_expired);
  ADD ("/session/unauthorized/renews", test_unauthorized_renews);
  ADD ("/session/unauthorized/needs-sign-in", test_unauthorized_needs_sign_in);
  ADD ("/session/token/pasted", test_token_pasted);
  ADD ("/session/sign-out", test_sign_out);
  ADD ("/session/debug-log/no-secrets", test_debug_log_no_secrets);

#undef ADD

  return g_test_run ();
}
