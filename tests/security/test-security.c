/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <signal.h>
#include <sys/prctl.h>
#include <string.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "pc-account.h"
#include "pc-api.h"
#include "pc-booking.h"
#include "pc-credentials.h"
#include "pc-json.h"
#include "pc-oauth.h"
#include "pc-sandbox.h"
#include "pc-sandbox-private.h"
#include "test-utils.h"

/* What must never happen, checked from the outside:
 *
 * - debug-log: with every log on (G_MESSAGES_DEBUG=all, PHONECHAT_HTTP_DEBUG=1), the real
 *   programs print no token, code, verifier, state or client secret, whatever they do:
 *   list, show and re-invite with a token, sign in, renew the sign-in;
 * - insecure: no byte goes to a plain-http address of another computer. A listener on
 *   this machine's own non-loopback address stands for that computer and counts what
 *   reaches it;
 * - tls: a server whose certificate is not trusted (a self-signed one, test only) gets no
 *   request; nothing offers to accept its certificate;
 * - loopback-only: the sandbox, and the listener a sign-in waits on, cannot be reached
 *   from another computer.
 *
 * The programs get libsecret's file backend with a keyring file of the test's own, and a
 * session bus address that leads nowhere: no real keyring is ever reached. */

#define TEST_TOKEN       "sec-token-Q7vX2mK9pL4wZ8rT"
#define TEST_SECRET      "sec-client-secret-H3nB6yF1dS5j"
#define TEST_CERTIFICATE "test-only-self-signed.pem"

static const char *
program (const char *variable)
{
  const char *path = g_getenv (variable);

  if (path == NULL)
    g_error ("%s is not set: run this test through meson", variable);

  return path;
}

/* Secrets --------------------------------------------------------------------------- */

static void
assert_no_secret (const char *text,
                  GPtrArray  *secrets,
                  const char *where)
{
  for (guint i = 0; i < secrets->len; i++)
    {
      const char *secret = g_ptr_array_index (secrets, i);

      /* Short strings would match by chance; every secret here is long. */
      g_assert_cmpuint (strlen (secret), >=, 8);
      if (strstr (text, secret) != NULL)
        g_error ("%s shows a secret (%s):\n%s", where, secret, text);
    }
}

/* Programs -------------------------------------------------------------------------- */

/* The test's keyring file: G_TEST_OPTION_ISOLATE_DIRS gives each test its own data
 * directory. */
static char *
dup_keyring_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "security.keyring", NULL);
}

/* A program that runs while the test iterates the main context (a server in the test's
 * process answers meanwhile): its stdout and stderr are read as they come. */
typedef struct
{
  GSubprocess *process;
  GString     *out;
  GString     *err;
  char         out_buffer[4096];
  char         err_buffer[4096];
  gboolean     out_done;
  gboolean     err_done;
  gboolean     exited;
} Live;

typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

static void
run_free (Run *run)
{
  g_free (run->out);
  g_free (run->err);
  g_free (run);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Run, run_free)

static void live_read (Live *live, gboolean out);

static void
live_read_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Live *live = user_data;
  gboolean out = G_INPUT_STREAM (source) == g_subprocess_get_stdout_pipe (live->process);
  g_autoptr(GError) error = NULL;
  gssize n;

  n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);
  g_assert_no_error (error);
  if (n == 0)
    {
      if (out)
        live->out_done = TRUE;
      else
        live->err_done = TRUE;
      return;
    }

  g_string_append_len (out ? live->out : live->err, out ? live->out_buffer : live->err_buffer,
                       n);
  live_read (live, out);
}

static void
live_read (Live     *live,
           gboolean  out)
{
  g_input_stream_read_async (out ? g_subprocess_get_stdout_pipe (live->process)
                                 : g_subprocess_get_stderr_pipe (live->process),
                             out ? live->out_buffer : live->err_buffer,
                             sizeof live->out_buffer, G_PRIORITY_DEFAULT, NULL, live_read_cb,
                             live);
}

static void
live_exited_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Live *live = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, &error);
  g_assert_no_error (error);
  live->exited = TRUE;
}

/* A program the test started ends with the test, even when the test fails. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

/* @env: NULL-terminated NAME, VALUE pairs on top of the test's settings. */
static Live *
live_start (const char         *path,
            const char * const *args,
            const char * const *env)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *keyring_path = dup_keyring_path ();
  g_autoptr(GError) error = NULL;
  Live *live = g_new0 (Live, 1);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "PHONECHAT_HTTP_DEBUG");
  g_subprocess_launcher_unsetenv (launcher, "PHONECHAT_API_URL");
  g_subprocess_launcher_unsetenv (launcher, "PHONECHAT_TOKEN");
  g_subprocess_launcher_setenv (launcher, "XDG_STATE_HOME", g_get_user_state_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "SECRET_BACKEND", "file", TRUE);
  g_subprocess_launcher_setenv (launcher, "SECRET_FILE_TEST_PATH", keyring_path, TRUE);
  g_subprocess_launcher_setenv (launcher, "SECRET_FILE_TEST_PASSWORD",
                                g_getenv ("SECRET_FILE_TEST_PASSWORD"), TRUE);
  g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS",
                                "unix:path=/nonexistent/phonechat-test-no-bus", TRUE);
  for (guint i = 0; env != NULL && env[i] != NULL; i += 2)
    g_subprocess_launcher_setenv (launcher, env[i], env[i + 1], TRUE);

  g_ptr_array_add (argv, (gpointer) path);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  live->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata,
                                                &error);
  g_assert_no_error (error);
  live->out = g_string_new (NULL);
  live->err = g_string_new (NULL);
  live_read (live, TRUE);
  live_read (live, FALSE);
  g_subprocess_wait_async (live->process, NULL, live_exited_cb, live);
  return live;
}

/* Waits for the end of the program. */
static Run *
live_finish (Live *live)
{
  Run *run = g_new0 (Run, 1);

  PC_TEST_WAIT_UNTIL (live->exited && live->out_done && live->err_done);
  run->out = g_string_free (live->out, FALSE);
  run->err = g_string_free (live->err, FALSE);
  if (!g_subprocess_get_if_exited (live->process))
    g_error ("%s was killed by signal %d\nstdout: %s\nstderr: %s",
             "The program", g_subprocess_get_term_sig (live->process), run->out, run->err);
  run->status = g_subprocess_get_exit_status (live->process);
  g_object_unref (live->process);
  g_free (live);

  g_test_message ("exit %d\nstdout: %s\nstderr: %s", run->status, run->out, run->err);
  return run;
}

#define ARGS(...) ((const char * const[]) { __VA_ARGS__, NULL })
#define ENV(...)  ((const char * const[]) { __VA_ARGS__, NULL })

static Run *
run_program (const char         *path,
             const char * const *args,
             const char * const *env)
{
  return live_finish (live_start (path, args, env));
}

/* Every log on, in whatever the program prints. */
#define DEBUG_ENV "G_MESSAGES_DEBUG", "all", "PHONECHAT_HTTP_DEBUG", "1"

/* The first booking of a `list --can-reinvite --json`. */
static char *
dup_reinvitable_id (Run *run)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GBytes) bytes = g_bytes_new (run->out, strlen (run->out));
  JsonArray *array;

  g_assert_cmpint (run->status, ==, 0);
  node = pc_json_parse_bytes (bytes, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
  array = json_node_get_array (node);
  g_assert_cmpuint (json_array_get_length (array), >, 0);
  return g_strdup_printf ("%" G_GINT64_FORMAT,
                          json_object_get_int_member (json_array_get_object_element (array, 0),
                                                      "BookingID"));
}

/* A listener on another computer ---------------------------------------------------- */

/* This machine's first non-loopback IPv4 address that is up, or NULL. */
static char *
dup_non_loopback_address (void)
{
  struct ifaddrs *list = NULL;
  char *found = NULL;

  if (getifaddrs (&list) != 0)
    return NULL;

  for (struct ifaddrs *ifa = list; ifa != NULL && found == NULL; ifa = ifa->ifa_next)
    {
      char text[INET_ADDRSTRLEN];

      if (ifa->ifa_addr == NULL || ifa->ifa_addr->sa_family != AF_INET ||
          (ifa->ifa_flags & IFF_UP) == 0 || (ifa->ifa_flags & IFF_LOOPBACK) != 0)
        continue;

      if (inet_ntop (AF_INET, &((struct sockaddr_in *) ifa->ifa_addr)->sin_addr, text,
                     sizeof text) != NULL)
        found = g_strdup (text);
    }

  freeifaddrs (list);
  return found;
}

/* Stands for another computer: a socket listening on this machine's non-loopback address.
 * The kernel completes every connection to it at once, so that after a program has
 * exited, or the main context is drained, the connections made are waiting to be
 * accepted. */
typedef struct
{
  GSocket *socket;
  char    *address;
  guint16  port;
} Listener;

static void
listener_free (Listener *listener)
{
  g_socket_close (listener->socket, NULL);
  g_object_unref (listener->socket);
  g_free (listener->address);
  g_free (listener);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Listener, listener_free)

/* NULL, and the test skipped, on a machine without such an address. */
static Listener *
listener_new (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) inet = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autofree char *text = dup_non_loopback_address ();
  Listener *listener;

  if (text == NULL)
    {
      g_test_skip ("This machine has no non-loopback IPv4 address");
      return NULL;
    }

  listener = g_new0 (Listener, 1);
  listener->address = g_steal_pointer (&text);
  listener->socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                   G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  inet = g_inet_address_new_from_string (listener->address);
  address = g_inet_socket_address_new (inet, 0);
  g_socket_bind (listener->socket, address, FALSE, &error);
  g_assert_no_error (error);
  g_socket_listen (listener->socket, &error);
  g_assert_no_error (error);
  g_socket_set_blocking (listener->socket, FALSE);
  bound = g_socket_get_local_address (listener->socket, &error);
  g_assert_no_error (error);
  listener->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  return listener;
}

static char *
listener_dup_url (Listener   *listener,
                  const char *scheme)
{
  return g_strdup_printf ("%s://%s:%u", scheme, listener->address, listener->port);
}

/* The connections made to @listener since the last call. */
static guint
listener_accept_all (Listener *listener)
{
  guint n = 0;

  pc_test_drain_main_context ();
  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSocket) connection = g_socket_accept (listener->socket, NULL, &error);

      if (connection == NULL)
        {
          g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
          return n;
        }
      g_socket_close (connection, NULL);
      n++;
    }
}

/* The listener does see a connection: what the tests count is real. */
static void
listener_assert_hears (Listener *listener)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;

  connection = g_socket_client_connect_to_host (client, listener->address, listener->port, NULL,
                                                &error);
  g_assert_no_error (error);
  g_assert_cmpuint (listener_accept_all (listener), ==, 1);
}

/* Fixture ----------------------------------------------------------------------------- */

typedef struct
{
  PcSandbox   *sandbox;   /* in the test's process, on the system clock */
  SoupSession *session;
  SoupSession *browser;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autofree char *keyring_path = dup_keyring_path ();
  g_autoptr(GError) error = NULL;

  /* libsecret reads the variable when its backend starts: again after the previous
   * test's secret_service_disconnect(). */
  g_assert_cmpstr (g_getenv ("SECRET_BACKEND"), ==, "file");
  g_setenv ("SECRET_FILE_TEST_PATH", keyring_path, TRUE);

  fixture->sandbox = pc_sandbox_new (NULL, TEST_TOKEN);
  pc_sandbox_load_demo (fixture->sandbox);
  pc_sandbox_listen (fixture->sandbox, 0, &error);
  g_assert_no_error (error);
  fixture->session = soup_session_new ();
  fixture->browser = soup_session_new ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_clear_object (&fixture->session);
  g_clear_object (&fixture->browser);
  pc_test_drain_main_context ();
  pc_sandbox_stop (fixture->sandbox);
  g_assert_finalize_object (g_steal_pointer (&fixture->sandbox));
  secret_service_disconnect ();
}

/* Debug log ------------------------------------------------------------------------- */

/* The real programs with every log on, a token given: phonechat-sandbox and
 * phonechat-cli list, show and re-invite. */
static void
test_debug_log_token (void)
{
  g_autoptr(GPtrArray) secrets = g_ptr_array_new ();
  g_autoptr(Run) sandbox_run = NULL;
  g_autoptr(Run) list = NULL;
  g_autoptr(Run) show = NULL;
  g_autoptr(Run) reinvite = NULL;
  g_autofree char *url = NULL;
  g_autofree char *id = NULL;
  const char *newline;
  Live *sandbox;

  g_ptr_array_add (secrets, (gpointer) TEST_TOKEN);

  sandbox = live_start (program ("PHONECHAT_SANDBOX"), ARGS ("--port", "0", "--token", TEST_TOKEN),
                        ENV (DEBUG_ENV));
  PC_TEST_WAIT_UNTIL (strchr (sandbox->out->str, '\n') != NULL || sandbox->exited);
  newline = strchr (sandbox->out->str, '\n');
  g_assert_nonnull (newline);
  url = g_strndup (sandbox->out->str, newline - sandbox->out->str);
  g_assert_true (g_str_has_prefix (url, "http://127.0.0.1:"));

  {
    const char * const env[] = { DEBUG_ENV, "PHONECHAT_API_URL", url,
                                 "PHONECHAT_TOKEN", TEST_TOKEN, NULL };

    list = run_program (program ("PHONECHAT_CLI"), ARGS ("list", "--can-reinvite", "--json"),
                        env);
    id = dup_reinvitable_id (list);
    show = run_program (program ("PHONECHAT_CLI"), ARGS ("show", id), env);
    reinvite = run_program (program ("PHONECHAT_CLI"),
                            ARGS ("reinvite", id, "--reason", "Away that week"), env);
  }

  g_subprocess_send_signal (sandbox->process, SIGTERM);
  sandbox_run = live_finish (sandbox);

  /* It all worked, with the logs on… */
  g_assert_cmpint (show->status, ==, 0);
  g_assert_cmpint (reinvite->status, ==, 0);
  g_assert_nonnull (strstr (reinvite->out, "Status: Rejected"));
  g_assert_nonnull (strstr (list->err, "GET /v1/PhoneChat/ReceivedBookings"));
  g_assert_nonnull (strstr (show->err, "GET /v1/PhoneChat/ReceivedBookingDetails"));
  g_assert_nonnull (strstr (reinvite->err, "POST /v1/PhoneChat/ReInvite"));

  /* …and the token is nowhere but in the sandbox's greeting, which tells the developer
   * the token it was given. */
  assert_no_secret (sandbox_run->out, secrets, "phonechat-sandbox's stdout");
  {
    g_autofree char *greeting = g_strdup_printf ("phonechat-sandbox: serving 12 bookings with "
                                                 "the token “%s”.", TEST_TOKEN);
    char *found = strstr (sandbox_run->err, greeting);

    g_assert_nonnull (found);
    memset (found, '-', strlen (greeting));
    assert_no_secret (sandbox_run->err, secrets, "phonechat-sandbox's stderr");
  }
  assert_no_secret (list->out, secrets, "phonechat-cli list");
  assert_no_secret (list->err, secrets, "phonechat-cli list's log");
  assert_no_secret (show->out, secrets, "phonechat-cli show");
  assert_no_secret (show->err, secrets, "phonechat-cli show's log");
  assert_no_secret (reinvite->out, secrets, "phonechat-cli reinvite");
  assert_no_secret (reinvite->err, secrets, "phonechat-cli reinvite's log");
  /* The header was logged, without its token. */
  g_assert_nonnull (strstr (reinvite->err, "Authorization: bearer [redacted]"));
}

static char *
dup_query_param (const char *url,
                 const char *name)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED_QUERY, NULL);
  g_autoptr(GHashTable) query = NULL;

  g_assert_nonnull (uri);
  g_assert_nonnull (g_uri_get_query (uri));
  query = soup_form_decode (g_uri_get_query (uri));
  return g_strdup (g_hash_table_lookup (query, name));
}

/* Signing in with phonechat-cli login, the test as the browser; then list and re-invite
 * with the stored account, each after renewing the sign-in (the sandbox's access tokens
 * last 30 s, and the CLI renews a token that expires within the minute). */
static void
test_debug_log_sign_in (Fixture       *fixture,
                        gconstpointer  user_data)
{
  const char *url = pc_sandbox_get_url (fixture->sandbox);
  g_autofree char *prefix = g_strconcat (url, "/OAuth/Authorize?", NULL);
  g_autoptr(GPtrArray) secrets = NULL;
  g_autoptr(GPtrArray) runs = g_ptr_array_new_with_free_func ((GDestroyNotify) run_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;
  g_autofree char *location = NULL;
  g_autofree char *id = NULL;
  GPtrArray *bookings;
  Run *login;
  Run *list;
  Run *reinvite;
  Live *live;

  pc_sandbox_set_token_lifetimes (fixture->sandbox, 30, 14 * 24 * 60 * 60);

  live = live_start (program ("PHONECHAT_CLI"),
                     ARGS ("login", "--api-url", url, "--client-id", PC_SANDBOX_CLIENT_ID,
                           "--redirect-port", "0"),
                     ENV (DEBUG_ENV));
  PC_TEST_WAIT_UNTIL (strstr (live->out->str, prefix) != NULL || live->exited);
  {
    const char *start = strstr (live->out->str, prefix);
    const char *end;

    g_assert_nonnull (start);
    PC_TEST_WAIT_UNTIL ((end = strchr (start, '\n')) != NULL || live->exited);
    g_assert_nonnull (end);
    address = g_strndup (start, end - start);
  }
  g_assert_cmpuint (pc_test_browser_get (fixture->browser, address, FALSE, &location, NULL, NULL,
                                         &error), ==, SOUP_STATUS_FOUND);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (location, "http://127.0.0.1:"));
  g_assert_cmpuint (pc_test_browser_get (fixture->browser, location, TRUE, NULL, NULL, NULL,
                                         &error), ==, SOUP_STATUS_OK);
  g_assert_no_error (error);
  login = live_finish (live);
  g_ptr_array_add (runs, login);
  g_assert_cmpint (login->status, ==, 0);

  /* A booking to re-invite, as the sandbox holds it. */
  bookings = pc_sandbox_get_bookings (fixture->sandbox);
  for (guint i = 0; i < bookings->len && id == NULL; i++)
    if (pc_booking_get_can_reinvite (g_ptr_array_index (bookings, i)))
      id = g_strdup_printf ("%" G_GINT64_FORMAT,
                            pc_booking_get_booking_id (g_ptr_array_index (bookings, i)));
  g_assert_nonnull (id);

  list = run_program (program ("PHONECHAT_CLI"), ARGS ("list"), ENV (DEBUG_ENV));
  g_ptr_array_add (runs, list);
  g_assert_cmpint (list->status, ==, 0);
  reinvite = run_program (program ("PHONECHAT_CLI"), ARGS ("reinvite", id), ENV (DEBUG_ENV));
  g_ptr_array_add (runs, reinvite);
  g_assert_cmpint (reinvite->status, ==, 0);

  /* The sign-in, two renewals and their requests happened, logged… */
  g_assert_cmpuint (pc_sandbox_count_requests (fixture->sandbox, "POST", "/OAuth/token"), ==, 3);
  g_assert_nonnull (strstr (login->err, "grant_type=authorization_code&code=[redacted]"));
  g_assert_nonnull (strstr (login->err, "code_verifier=[redacted]"));
  g_assert_nonnull (strstr (list->err, "grant_type=refresh_token&refresh_token=[redacted]"));
  g_assert_nonnull (strstr (reinvite->err, "grant_type=refresh_token&refresh_token=[redacted]"));
  g_assert_nonnull (strstr (reinvite->err, "POST /v1/PhoneChat/ReInvite"));

  /* …and no secret in anything printed: none of the codes, states, verifiers, tokens and
   * client secrets the sandbox issued or was sent. */
  secrets = _pc_sandbox_oauth_dup_secrets (fixture->sandbox);
  /* A code, a state, a verifier and three pairs of tokens at least. */
  g_assert_cmpuint (secrets->len, >=, 9);
  g_ptr_array_add (secrets, g_strdup (PC_SANDBOX_CLIENT_SECRET));
  if (strlen (PC_OAUTH_CLIENT_SECRET) >= 8)
    g_ptr_array_add (secrets, g_strdup (PC_OAUTH_CLIENT_SECRET));
  /* Bar the sign-in page's address, printed for the user to open: its state goes to
   * the browser by design. */
  {
    char *found = strstr (login->out, address);

    g_assert_nonnull (found);
    memset (found, '-', strlen (address));
    g_assert_null (strstr (login->out, address + strlen (prefix)));
  }
  for (guint i = 0; i < runs->len; i++)
    {
      Run *run = g_ptr_array_index (runs, i);

      assert_no_secret (run->out, secrets, "phonechat-cli's stdout");
      assert_no_secret (run->err, secrets, "phonechat-cli's stderr");
    }
  /* The header was logged, without its token. */
  g_assert_nonnull (strstr (list->err, "Authorization: bearer [redacted]"));
}

/* Plain http to another computer ---------------------------------------------------------- */

static void
test_insecure_api (void)
{
  g_autoptr(Listener) listener = listener_new ();
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PcApi) api = NULL;
  g_autofree char *url = NULL;

  if (listener == NULL)
    return;

  url = listener_dup_url (listener, "http");
  api = pc_api_new (session, url, &error);
  g_assert_null (api);
  g_assert_error (error, PC_API_ERROR, PC_API_ERROR_INSECURE);
  g_assert_null (strstr (error->message, TEST_TOKEN));
  g_clear_error (&error);

  /* Upper case changes nothing. */
  g_free (url);
  url = listener_dup_url (listener, "HTTP");
  api = pc_api_new (session, url, &error);
  g_assert_null (api);
  g_assert_error (error, PC_API_ERROR, PC_API_ERROR_INSECURE);

  g_assert_cmpuint (listener_accept_all (listener), ==, 0);
  listener_assert_hears (listener);
}

static void
test_insecure_oauth (void)
{
  g_autoptr(Listener) listener = listener_new ();
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PcOAuth) oauth = NULL;
  g_autofree char *url = NULL;

  if (listener == NULL)
    return;

  /* Neither the code exchange nor a refresh can be started: no PcOAuth for such an
   * address. */
  url = listener_dup_url (listener, "http");
  oauth = pc_oauth_new (session, url, PC_SANDBOX_CLIENT_ID, TEST_SECRET, &error);
  g_assert_null (oauth);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_null (strstr (error->message, TEST_SECRET));

  g_assert_cmpuint (listener_accept_all (listener), ==, 0);
  listener_assert_hears (listener);
}

static void
test_insecure_cli (void)
{
  g_autoptr(Listener) listener = listener_new ();
  g_autofree char *url = NULL;
  g_autoptr(Run) option = NULL;
  g_autoptr(Run) variable = NULL;
  g_autoptr(Run) login = NULL;

  if (listener == NULL)
    return;

  url = listener_dup_url (listener, "http");
  option = run_program (program ("PHONECHAT_CLI"), ARGS ("--api-url", url, "list"),
                        ENV ("PHONECHAT_TOKEN", TEST_TOKEN));
  variable = run_program (program ("PHONECHAT_CLI"), ARGS ("reinvite", "4817263"),
                          ENV ("PHONECHAT_TOKEN", TEST_TOKEN, "PHONECHAT_API_URL", url));
  login = run_program (program ("PHONECHAT_CLI"),
                       ARGS ("login", "--environment", "custom", "--api-url", url,
                             "--client-id", PC_SANDBOX_CLIENT_ID, "--redirect-port", "0"),
                       NULL);

  g_assert_cmpint (option->status, !=, 0);
  g_assert_nonnull (strstr (option->err, "unencrypted"));
  g_assert_cmpint (variable->status, !=, 0);
  g_assert_nonnull (strstr (variable->err, "unencrypted"));
  g_assert_cmpint (login->status, !=, 0);
  g_assert_nonnull (strstr (login->err, "unencrypted"));
  /* No sign-in page was offered either. */
  g_assert_null (strstr (login->out, "http"));

  g_assert_cmpuint (listener_accept_all (listener), ==, 0);
  listener_assert_hears (listener);
}

static void
store_account (PcAccount *account)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  pc_credentials_store_async (account, NULL, pc_test_store_result_cb, &result);
  PC_TEST_WAIT_UNTIL (result != NULL);
  g_assert_true (pc_credentials_store_finish (result, &error));
  g_assert_no_error (error);
  /* For the programs, which read the file when they start. */
  secret_service_disconnect ();
}

/* A stored account that names another computer over plain http (a keyring edited by
 * hand): neither its token nor, when it is due, its renewal goes there. */
static void
test_insecure_stored_account (Fixture       *fixture,
                              gconstpointer  user_data)
{
  g_autoptr(Listener) listener = listener_new ();
  g_autoptr(PcAccount) account = NULL;
  g_autoptr(PcAccount) due = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add_hours (now, 1);
  g_autoptr(GDateTime) soon = g_date_time_add_seconds (now, 10);
  g_autofree char *url = NULL;
  g_autoptr(Run) list = NULL;
  g_autoptr(Run) renewal = NULL;

  if (listener == NULL)
    return;

  url = listener_dup_url (listener, "http");
  account = pc_account_new (PC_ENVIRONMENT_CUSTOM, url, url, PC_SANDBOX_CLIENT_ID,
                            PC_SANDBOX_USER_ID, NULL, TEST_TOKEN, "sec-refresh-R2d8Vn5qW1", later);
  store_account (account);
  /* PcSession warns about such an account: not fatal here, as it is not for users. */
  list = run_program (program ("PHONECHAT_CLI"), ARGS ("list"),
                      ENV (DEBUG_ENV, "G_DEBUG", "gc-friendly"));
  g_assert_cmpint (list->status, ==, 1);
  g_assert_nonnull (strstr (list->err, "unencrypted"));
  g_assert_cmpuint (listener_accept_all (listener), ==, 0);

  due = pc_account_new_with_tokens (account, TEST_TOKEN, "sec-refresh-R2d8Vn5qW1", soon);
  store_account (due);
  renewal = run_program (program ("PHONECHAT_CLI"), ARGS ("list"),
                         ENV (DEBUG_ENV, "G_DEBUG", "gc-friendly"));
  g_assert_cmpint (renewal->status, ==, 1);
  g_assert_nonnull (strstr (renewal->err, "unencrypted"));
  g_assert_cmpuint (listener_accept_all (listener), ==, 0);

  {
    g_autoptr(GPtrArray) secrets = g_ptr_array_new ();

    g_ptr_array_add (secrets, (gpointer) TEST_TOKEN);
    g_ptr_array_add (secrets, (gpointer) "sec-refresh-R2d8Vn5qW1");
    assert_no_secret (list->err, secrets, "phonechat-cli list's log");
    assert_no_secret (renewal->err, secrets, "phonechat-cli list's log");
  }
  listener_assert_hears (listener);
}

/* TLS --------------------------------------------------------------------------------- */

typedef struct
{
  SoupServer *server;
  char       *url;
  guint       n_requests;    /* that reached the handler */
  guint       n_handshakes;  /* started and not ended */
} TlsServer;

static void
tls_server_cb (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  TlsServer *tls = user_data;

  tls->n_requests++;
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, "{}", 2);
}

/* libsoup 3.6 runs a server connection's handshake with a callback on the connection,
 * which soup_server_disconnect() frees: the server is only disconnected once every
 * handshake it started has ended. Each connection starts with a message that it keeps
 * until its handshake is over (or its request answered). */
static void
tls_handshake_ended_cb (gpointer  user_data,
                        GObject  *where_the_message_was)
{
  TlsServer *tls = user_data;

  g_assert_cmpuint (tls->n_handshakes, >, 0);
  tls->n_handshakes--;
}

static void
tls_request_started_cb (SoupServer        *server,
                        SoupServerMessage *msg,
                        gpointer           user_data)
{
  TlsServer *tls = user_data;

  tls->n_handshakes++;
  g_object_weak_ref (G_OBJECT (msg), tls_handshake_ended_cb, tls);
}

static TlsServer *
tls_server_new (void)
{
  g_autofree char *path = g_build_filename (TEST_DATA_DIR, TEST_CERTIFICATE, NULL);
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSList) uris = NULL;
  TlsServer *tls = g_new0 (TlsServer, 1);

  certificate = g_tls_certificate_new_from_file (path, &error);
  g_assert_no_error (error);
  tls->server = soup_server_new ("tls-certificate", certificate, NULL);
  soup_server_add_handler (tls->server, NULL, tls_server_cb, tls, NULL);
  g_signal_connect (tls->server, "request-started", G_CALLBACK (tls_request_started_cb), tls);
  soup_server_listen_local (tls->server, 0,
                            SOUP_SERVER_LISTEN_IPV4_ONLY | SOUP_SERVER_LISTEN_HTTPS, &error);
  g_assert_no_error (error);

  uris = soup_server_get_uris (tls->server);
  g_assert_cmpuint (g_slist_length (uris), ==, 1);
  g_assert_cmpstr (g_uri_get_scheme (uris->data), ==, "https");
  tls->url = g_strdup_printf ("https://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);
  return tls;
}

static gboolean
accept_any_certificate_cb (SoupMessage          *msg,
                           GTlsCertificate      *certificate,
                           GTlsCertificateFlags  errors,
                           gpointer              user_data)
{
  return TRUE;
}

/* The server does answer a client that accepts its certificate: what the tests count is
 * real. Only the test does this. */
static void
tls_server_assert_answers (TlsServer *tls)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strconcat (tls->url, "/probe", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  guint before = tls->n_requests;

  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_any_certificate_cb), NULL);
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL,
                                    pc_test_store_result_cb, &result);
  PC_TEST_WAIT_UNTIL (result != NULL);
  body = soup_session_send_and_read_finish (session, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_OK);
  g_assert_cmpuint (tls->n_requests, ==, before + 1);
  g_clear_object (&msg);
  soup_session_abort (session);
  pc_test_drain_main_context ();
}

static void
tls_server_free (TlsServer *tls)
{
  PC_TEST_WAIT_UNTIL (tls->n_handshakes == 0);
  soup_server_disconnect (tls->server);
  g_assert_finalize_object (tls->server);
  pc_test_drain_main_context ();
  g_free (tls->url);
  g_free (tls);
}

/* Watches every message of a session: when libsoup asks whether to accept a certificate
 * it could not verify, nothing but this watcher may be listening. */
typedef struct
{
  guint n_queued;
  guint n_asked;
} Watch;

static gboolean
watch_accept_certificate_cb (SoupMessage          *msg,
                             GTlsCertificate      *certificate,
                             GTlsCertificateFlags  errors,
                             gpointer              user_data)
{
  Watch *watch = user_data;
  guint signal_id = g_signal_lookup ("accept-certificate", SOUP_TYPE_MESSAGE);
  gulong self_id = g_signal_handler_find (msg, G_SIGNAL_MATCH_FUNC | G_SIGNAL_MATCH_DATA, 0, 0,
                                          NULL, watch_accept_certificate_cb, watch);

  watch->n_asked++;
  g_assert_cmpuint (errors, !=, 0);
  /* With this one blocked, no handler is left that could accept it. */
  g_assert_cmpuint (self_id, !=, 0);
  g_signal_handler_block (msg, self_id);
  g_assert_false (g_signal_has_handler_pending (msg, signal_id, 0, FALSE));
  g_signal_handler_unblock (msg, self_id);

  return FALSE;
}

static void
watch_request_queued_cb (SoupSession *session,
                         SoupMessage *msg,
                         gpointer     user_data)
{
  Watch *watch = user_data;

  watch->n_queued++;
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (watch_accept_certificate_cb), watch);
}

static void
assert_tls_error (const GError *error)
{
  g_assert_error (error, PC_API_ERROR, PC_API_ERROR_TLS);
  g_assert_nonnull (strstr (error->message, "certificate"));
}

static void
test_tls_api (void)
{
  TlsServer *tls = tls_server_new ();
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(PcApi) api = NULL;
  g_autoptr(GError) error = NULL;
  Watch watch = { 0 };

  if (!g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    g_error ("No TLS backend: PhoneChat cannot reach the live API either");

  g_signal_connect (session, "request-queued", G_CALLBACK (watch_request_queued_cb), &watch);
  api = pc_api_new (session, tls->url, &error);
  g_assert_no_error (error);
  pc_api_set_token (api, TEST_TOKEN);
  pc_api_set_debug (api, TRUE);

  {
    g_autoptr(GAsyncResult) result = NULL;
    gint64 user_id = 0;

    pc_api_verify_credentials_async (api, NULL, pc_test_store_result_cb, &result);
    PC_TEST_WAIT_UNTIL (result != NULL);
    g_assert_false (pc_api_verify_credentials_finish (api, result, &user_id, &error));
    assert_tls_error (error);
    g_clear_error (&error);
  }
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GPtrArray) bookings = NULL;

    pc_api_list_all_bookings_async (api, 50, NULL, NULL, NULL, NULL, pc_test_store_result_cb,
                                    &result);
    PC_TEST_WAIT_UNTIL (result != NULL);
    bookings = pc_api_list_all_bookings_finish (api, result, &error);
    g_assert_null (bookings);
    assert_tls_error (error);
    g_clear_error (&error);
  }
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(PcBooking) booking = NULL;

    pc_api_get_booking_async (api, 4817263, NULL, pc_test_store_result_cb, &result);
    PC_TEST_WAIT_UNTIL (result != NULL);
    booking = pc_api_get_booking_finish (api, result, &error);
    g_assert_null (booking);
    assert_tls_error (error);
    g_clear_error (&error);
  }
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(PcBooking) booking = NULL;

    pc_api_reinvite_async (api, 4817263, "Sorry", NULL, pc_test_store_result_cb, &result);
    PC_TEST_WAIT_UNTIL (result != NULL);
    booking = pc_api_reinvite_finish (api, result, &error);
    g_assert_null (booking);
    assert_tls_error (error);
    g_clear_error (&error);
  }

  /* Each was asked about the certificate, with no one there to accept it, and none
   * reached the server. */
  g_assert_cmpuint (watch.n_queued, >=, 4);
  g_assert_cmpuint (watch.n_asked, ==, watch.n_queued);
  g_assert_cmpuint (tls->n_requests, ==, 0);

  pc_test_drain_main_context ();
  pc_api_set_debug (api, FALSE);
  g_clear_object (&api);
  g_clear_object (&session);
  pc_test_drain_main_context ();
  tls_server_assert_answers (tls);
  tls_server_free (tls);
}

/* The code exchange and a refresh, to a sign-in server whose certificate is not trusted:
 * neither the code, the verifier, the refresh token nor the client secret goes there. */
static void
test_tls_oauth (void)
{
  TlsServer *tls = tls_server_new ();
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupSession) browser = soup_session_new ();
  g_autoptr(PcOAuth) oauth = NULL;
  g_autoptr(GError) error = NULL;
  Watch watch = { 0 };

  g_signal_connect (session, "request-queued", G_CALLBACK (watch_request_queued_cb), &watch);
  oauth = pc_oauth_new (session, tls->url, PC_SANDBOX_CLIENT_ID, TEST_SECRET, &error);
  g_assert_no_error (error);

  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(PcTokens) tokens = NULL;

    pc_oauth_refresh_async (oauth, "sec-refresh-R2d8Vn5qW1", NULL, pc_test_store_result_cb,
                            &result);
    PC_TEST_WAIT_UNTIL (result != NULL);
    tokens = pc_oauth_refresh_finish (oauth, result, &error);
    g_assert_null (tokens);
    g_assert_error (error, PC_OAUTH_ERROR, PC_OAUTH_ERROR_FAILED);
    g_assert_nonnull (strstr (error->message, "secure connection"));
    g_clear_error (&error);
  }
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(PcTokens) tokens = NULL;
    g_autofree char *login_url = NULL;
    g_autofree char *state = NULL;
    g_autofree char *redirect_uri = NULL;
    g_autofree char *callback = NULL;
    g_autofree char *query = NULL;

    login_url = pc_oauth_begin_authorization (oauth, 0, &error);
    g_assert_no_error (error);
    g_assert_true (g_str_has_prefix (login_url, tls->url));
    state = dup_query_param (login_url, "state");
    redirect_uri = dup_query_param (login_url, "redirect_uri");
    pc_oauth_finish_authorization_async (oauth, NULL, pc_test_store_result_cb, &result);

    /* The login page would send the browser back with a code. */
    query = soup_form_encode ("code", "sec-code-T4gH8jK2mN6", "state", state, NULL);
    callback = g_strconcat (redirect_uri, "?", query, NULL);
    g_assert_cmpuint (pc_test_browser_get (browser, callback, TRUE, NULL, NULL, NULL, &error),
                      ==, SOUP_STATUS_OK);
    g_assert_no_error (error);
    PC_TEST_WAIT_UNTIL (result != NULL);
    tokens = pc_oauth_finish_authorization_finish (oauth, result, &error);
    g_assert_null (tokens);
    g_assert_error (error, PC_OAUTH_ERROR, PC_OAUTH_ERROR_FAILED);
    g_assert_nonnull (strstr (error->message, "secure connection"));
    g_assert_null (strstr (error->message, "sec-code-T4gH8jK2mN6"));
    g_clear_error (&error);
  }

  g_assert_cmpuint (watch.n_queued, ==, 2);
  g_assert_cmpuint (watch.n_asked, ==, 2);
  g_assert_cmpuint (tls->n_requests, ==, 0);

  PC_TEST_WAIT_UNTIL (pc_oauth_get_redirect_port (oauth) == 0);
  g_clear_object (&oauth);
  g_clear_object (&session);
  g_clear_object (&browser);
  pc_test_drain_main_context ();
  tls_server_assert_answers (tls);
  tls_server_free (tls);
}

static void
test_tls_cli (void)
{
  TlsServer *tls = tls_server_new ();
  g_autoptr(Run) list = NULL;

  list = run_program (program ("PHONECHAT_CLI"), ARGS ("--api-url", tls->url, "list"),
                      ENV ("PHONECHAT_TOKEN", TEST_TOKEN));
  g_assert_cmpint (list->status, ==, 1);
  g_assert_nonnull (strstr (list->err, "certificate"));
  g_assert_cmpuint (tls->n_requests, ==, 0);

  tls_server_assert_answers (tls);
  tls_server_free (tls);
}

/* Loopback only ------------------------------------------------------------------------ */

/* The inodes of the sockets that the process @pid ("self" or a number) has open. */
static GHashTable *
dup_socket_inodes (const char *pid)
{
  g_autofree char *fd_dir = g_build_filename ("/proc", pid, "fd", NULL);
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) error = NULL;
  GHashTable *inodes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *name;

  dir = g_dir_open (fd_dir, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fd_dir, name, NULL);
      g_autofree char *target = g_file_read_link (path, NULL);

      if (target != NULL && g_str_has_prefix (target, "socket:[") &&
          g_str_has_suffix (target, "]"))
        g_hash_table_add (inodes, g_strndup (target + 8, strlen (target) - 9));
    }

  return inodes;
}

/* /proc/net/tcp{,6} write an address as the 32-bit words it is stored in, in hex. */
static GInetAddress *
parse_proc_address (const char *hex)
{
  guint8 bytes[16];
  gsize n_words = strlen (hex) / 8;

  g_assert_true (n_words == 1 || n_words == 4);
  for (gsize i = 0; i < n_words; i++)
    {
      g_autofree char *word_text = g_strndup (hex + 8 * i, 8);
      guint32 word = (guint32) g_ascii_strtoull (word_text, NULL, 16);

      memcpy (bytes + 4 * i, &word, 4);
    }

  return g_inet_address_new_from_bytes (bytes, n_words == 1 ? G_SOCKET_FAMILY_IPV4
                                                            : G_SOCKET_FAMILY_IPV6);
}

/* Asserts that every listening TCP socket of @pid on @port (0: any) is on a loopback
 * address; returns how many there are. */
static guint
assert_listening_on_loopback_only (const char *pid,
                                   guint16     port)
{
  g_autoptr(GHashTable) inodes = dup_socket_inodes (pid);
  const char * const tables[] = { "/proc/net/tcp", "/proc/net/tcp6" };
  guint n = 0;

  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    {
      g_autofree char *contents = NULL;
      g_auto(GStrv) lines = NULL;

      if (!g_file_get_contents (tables[t], &contents, NULL, NULL))
        continue;

      lines = g_strsplit (contents, "\n", -1);
      for (guint i = 1; lines[i] != NULL; i++)
        {
          g_auto(GStrv) fields = g_strsplit_set (g_strstrip (lines[i]), " ", -1);
          g_autoptr(GPtrArray) columns = g_ptr_array_new ();
          g_autoptr(GInetAddress) address = NULL;
          g_autofree char *address_text = NULL;
          const char *colon;
          guint16 local_port;

          for (guint j = 0; fields[j] != NULL; j++)
            if (fields[j][0] != '\0')
              g_ptr_array_add (columns, fields[j]);

          /* sl local_address rem_address st … uid timeout inode */
          if (columns->len < 10 ||
              !g_hash_table_contains (inodes, g_ptr_array_index (columns, 9)) ||
              g_ascii_strcasecmp (g_ptr_array_index (columns, 3), "0A") != 0)
            continue;

          colon = strchr (g_ptr_array_index (columns, 1), ':');
          g_assert_nonnull (colon);
          local_port = (guint16) g_ascii_strtoull (colon + 1, NULL, 16);
          if (port != 0 && local_port != port)
            continue;

          {
            g_autofree char *hex = g_strndup (g_ptr_array_index (columns, 1),
                                              colon - (const char *) g_ptr_array_index (columns,
                                                                                        1));

            address = parse_proc_address (hex);
          }
          address_text = g_inet_address_to_string (address);
          g_test_message ("Process %s listens on %s port %u", pid, address_text, local_port);
          if (!g_inet_address_get_is_loopback (address))
            g_error ("Process %s listens on %s, port %u, which is not loopback", pid,
                     address_text, local_port);
          n++;
        }
    }

  return n;
}

/* Nothing answers on this machine's non-loopback address at @port. */
static void
assert_refused_from_outside (guint16 port)
{
  g_autofree char *address = dup_non_loopback_address ();
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;

  if (address == NULL)
    {
      g_test_skip ("This machine has no non-loopback IPv4 address");
      return;
    }

  connection = g_socket_client_connect_to_host (client, address, port, NULL, &error);
  g_assert_null (connection);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
}

static void
test_loopback_sandbox (Fixture       *fixture,
                       gconstpointer  user_data)
{
  guint16 port = pc_sandbox_get_port (fixture->sandbox);

  g_assert_cmpuint (port, >, 0);
  g_assert_cmpuint (assert_listening_on_loopback_only ("self", port), >=, 1);
  assert_refused_from_outside (port);
}

static void
test_loopback_sandbox_program (void)
{
  g_autoptr(Run) run = NULL;
  g_autofree char *url = NULL;
  g_autofree char *pid = NULL;
  g_autoptr(GUri) uri = NULL;
  const char *newline;
  Live *live;

  live = live_start (program ("PHONECHAT_SANDBOX"), ARGS ("--port", "0"), NULL);
  PC_TEST_WAIT_UNTIL (strchr (live->out->str, '\n') != NULL || live->exited);
  newline = strchr (live->out->str, '\n');
  g_assert_nonnull (newline);
  url = g_strndup (live->out->str, newline - live->out->str);
  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  g_assert_nonnull (uri);
  g_assert_cmpint (g_uri_get_port (uri), >, 0);

  /* Every socket it listens on, whatever the port. */
  pid = g_strdup (g_subprocess_get_identifier (live->process));
  g_assert_cmpuint (assert_listening_on_loopback_only (pid, 0), >=, 1);
  g_assert_cmpuint (assert_listening_on_loopback_only (pid, g_uri_get_port (uri)), >=, 1);
  assert_refused_from_outside (g_uri_get_port (uri));

  g_subprocess_send_signal (live->process, SIGTERM);
  run = live_finish (live);
  g_assert_cmpint (run->status, ==, 0);
}

/* The listener a sign-in waits on for the browser. */
static void
test_loopback_redirect (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(PcOAuth) oauth = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *login_url = NULL;
  guint16 port;

  oauth = pc_oauth_new (fixture->session, pc_sandbox_get_url (fixture->sandbox),
                        PC_SANDBOX_CLIENT_ID, PC_SANDBOX_CLIENT_SECRET, &error);
  g_assert_no_error (error);
  login_url = pc_oauth_begin_authorization (oauth, 0, &error);
  g_assert_no_error (error);
  port = pc_oauth_get_redirect_port (oauth);
  g_assert_cmpuint (port, >, 0);

  g_assert_cmpuint (assert_listening_on_loopback_only ("self", port), >=, 1);
  assert_refused_from_outside (port);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  pc_test_init_logging ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  g_test_add_func ("/security/debug-log/no-token", test_debug_log_token);
  ADD ("/security/debug-log/sign-in-and-refresh", test_debug_log_sign_in);
  g_test_add_func ("/security/insecure/api", test_insecure_api);
  g_test_add_func ("/security/insecure/oauth", test_insecure_oauth);
  g_test_add_func ("/security/insecure/cli", test_insecure_cli);
  ADD ("/security/insecure/stored-account", test_insecure_stored_account);
  g_test_add_func ("/security/tls/api", test_tls_api);
  g_test_add_func ("/security/tls/oauth", test_tls_oauth);
  g_test_add_func ("/security/tls/cli", test_tls_cli);
  ADD ("/security/loopback-only/sandbox", test_loopback_sandbox);
  g_test_add_func ("/security/loopback-only/sandbox-program", test_loopback_sandbox_program);
  ADD ("/security/loopback-only/sign-in-redirect", test_loopback_redirect);

#undef ADD

  return g_test_run ();
}
