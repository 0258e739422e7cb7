/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include <libsoup/soup.h>

#include "pc-booking.h"
#include "pc-client.h"
#include "pc-clock.h"
#include "pc-credentials.h"
#include "pc-json.h"
#include "pc-outcome-log.h"
#include "pc-sandbox-private.h"
#include "test-utils.h"

/* The real programs, end to end: each test starts `phonechat-sandbox --port 0`, reads its
 * URL from the first line of its stdout, and runs `phonechat-cli` against it with
 * PHONECHAT_API_URL and PHONECHAT_TOKEN, checking stdout, stderr and the exit status. What
 * the CLI prints is compared with what the sandbox serves over HTTP.
 *
 * The signed-in account's tests run `phonechat-cli login` without PHONECHAT_TOKEN and play
 * the browser with a SoupSession. Every program started gets libsecret's file backend
 * with a keyring file of the test's own (meson gives the test the same backend, so that
 * it can look in that file), and a session bus address that leads nowhere: no real
 * keyring is ever reached. */

#define TOKEN "demo-token"
#define REINVITE_PATH "/v1/PhoneChat/ReInvite"
#define LIST_PATH "/v1/PhoneChat/ReceivedBookings"
#define ACCEPT_PATH "/v1/PhoneChat/AcceptReceivedBooking"
#define REJECT_PATH "/v1/PhoneChat/RejectReceivedBooking"
#define CANCEL_PATH "/v1/PhoneChat/CancelReceivedBooking"
#define DELETE_PATH "/v1/PhoneChat/DeleteReceivedBooking"

typedef struct
{
  GSubprocess *sandbox;
  char        *url;
  SoupSession *session;
} Fixture;

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

static const char *
program (const char *variable)
{
  const char *path = g_getenv (variable);

  if (path == NULL)
    g_error ("%s is not set: run this test through meson", variable);

  return path;
}

/* The test's keyring file: G_TEST_OPTION_ISOLATE_DIRS gives each test its own data
 * directory, so each test starts with none. */
static char *
dup_keyring_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "cli.keyring", NULL);
}

static GSubprocessLauncher *
new_launcher (GSubprocessFlags flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);
  g_autofree char *keyring_path = dup_keyring_path ();

  /* UTF-8 output whatever the test's locale; no debug logging. */
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "PHONECHAT_HTTP_DEBUG");
  g_subprocess_launcher_unsetenv (launcher, "PHONECHAT_API_URL");
  g_subprocess_launcher_unsetenv (launcher, "PHONECHAT_TOKEN");
  /* Without PHONECHAT_TOKEN the CLI looks in the keyring: the test's own, never a real
   * one on the session bus the suite runs on. */
  g_subprocess_launcher_setenv (launcher, "SECRET_BACKEND", "file", TRUE);
  g_subprocess_launcher_setenv (launcher, "SECRET_FILE_TEST_PATH", keyring_path, TRUE);
  g_subprocess_launcher_setenv (launcher, "SECRET_FILE_TEST_PASSWORD",
                                g_getenv ("SECRET_FILE_TEST_PASSWORD"), TRUE);
  g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS",
                                "unix:path=/nonexistent/phonechat-test-no-bus", TRUE);
  /* The record of re-invites of unknown outcome: the test's own state directory (GLib
   * gives the test one, but does not put it in the environment). */
  g_subprocess_launcher_setenv (launcher, "XDG_STATE_HOME", g_get_user_state_dir (), TRUE);
  return launcher;
}

/* Starts the sandbox with @extra_args and waits for its URL. */
static void
start_sandbox (Fixture            *fixture,
               const char * const *extra_args)
{
  g_autoptr(GSubprocessLauncher) launcher = new_launcher (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                          G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (argv, (gpointer) program ("PHONECHAT_SANDBOX"));
  g_ptr_array_add (argv, (gpointer) "--port");
  g_ptr_array_add (argv, (gpointer) "0");
  for (guint i = 0; extra_args != NULL && extra_args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) extra_args[i]);
  g_ptr_array_add (argv, NULL);

  fixture->sandbox = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata,
                                                   &error);
  g_assert_no_error (error);

  /* The sandbox prints its URL first, flushed: reading that line is the handshake. */
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (fixture->sandbox));
  fixture->url = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->url);
  g_assert_true (g_str_has_prefix (fixture->url, "http://127.0.0.1:"));
}

/* The test's keyring, for the test itself: libsecret reads the variable when its
 * backend starts, which is again after the previous test's secret_service_disconnect(). */
static void
use_test_keyring (void)
{
  g_autofree char *keyring_path = dup_keyring_path ();

  g_assert_cmpstr (g_getenv ("SECRET_BACKEND"), ==, "file");
  g_setenv ("SECRET_FILE_TEST_PATH", keyring_path, TRUE);
  g_assert_false (g_file_test (keyring_path, G_FILE_TEST_EXISTS));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  use_test_keyring ();
  fixture->session = soup_session_new ();
  start_sandbox (fixture, user_data);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&fixture->session);
  while (g_main_context_iteration (NULL, FALSE))
    ;

  /* SIGTERM ends the sandbox cleanly, with status 0. */
  g_subprocess_send_signal (fixture->sandbox, SIGTERM);
  g_subprocess_wait (fixture->sandbox, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (fixture->sandbox));
  g_assert_cmpint (g_subprocess_get_exit_status (fixture->sandbox), ==, 0);

  g_clear_object (&fixture->sandbox);
  g_clear_pointer (&fixture->url, g_free);
  secret_service_disconnect ();
}

/* Runs a program to completion. @env: NULL-terminated NAME, VALUE pairs; a NULL value
 * unsets. */
/* new_launcher(), then @env: NAME, VALUE, … pairs (a NULL value unsets NAME). */
static GSubprocessLauncher *
new_launcher_with_env (GSubprocessFlags    flags,
                       const char * const *env)
{
  GSubprocessLauncher *launcher = new_launcher (flags);

  for (guint i = 0; env != NULL && env[i] != NULL; i += 2)
    {
      if (env[i + 1] != NULL)
        g_subprocess_launcher_setenv (launcher, env[i], env[i + 1], TRUE);
      else
        g_subprocess_launcher_unsetenv (launcher, env[i]);
    }

  return launcher;
}

static Run *
run_program (const char         *path,
             const char * const *args,
             const char * const *env)
{
  g_autoptr(GSubprocessLauncher) launcher = new_launcher_with_env (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                   G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                                                   env);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  Run *run = g_new0 (Run, 1);

  g_ptr_array_add (argv, (gpointer) path);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);

  g_test_message ("exit %d\nstdout: %s\nstderr: %s", run->status, run->out, run->err);
  return run;
}

/* phonechat-cli against the fixture's sandbox with the demo token. */
static Run *
cli (Fixture            *fixture,
     const char * const *args)
{
  const char *env[] = {
    "PHONECHAT_API_URL", fixture->url,
    "PHONECHAT_TOKEN", TOKEN,
    NULL,
  };

  return run_program (program ("PHONECHAT_CLI"), args, env);
}

#define ARGS(...) ((const char * const[]) { __VA_ARGS__, NULL })

/* Failure output is exactly one line on stderr, naming the program, and nothing on stdout. */
static void
assert_failed_one_line (Run *run,
                        int  status)
{
  g_assert_cmpint (run->status, ==, status);
  g_assert_cmpstr (run->out, ==, "");
  g_assert_true (g_str_has_prefix (run->err, "phonechat-cli: "));
  g_assert_true (g_str_has_suffix (run->err, "\n"));
  g_assert_true (strchr (run->err, '\n') == run->err + strlen (run->err) - 1);
}

static void
assert_usage_error (Run *run)
{
  g_assert_cmpint (run->status, ==, 2);
  g_assert_cmpstr (run->out, ==, "");
  g_assert_true (g_str_has_prefix (run->err, "phonechat-cli: "));
  g_assert_nonnull (strstr (run->err, "Usage:"));
  g_assert_nonnull (strstr (run->err, "--help"));
}

/* Talking to the sandbox directly ------------------------------------------------------ */

static void
send_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static JsonNode *
sandbox_request (Fixture    *fixture,
                 const char *method,
                 const char *path,
                 const char *body,
                 guint       expected_status)
{
  g_autofree char *url = g_strconcat (fixture->url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                "bearer " TOKEN);
  if (body != NULL)
    {
      g_autoptr(GBytes) request_body = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", request_body);
    }

  soup_session_send_and_read_async (fixture->session, msg, G_PRIORITY_DEFAULT, NULL, send_cb,
                                    &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  bytes = soup_session_send_and_read_finish (fixture->session, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, expected_status);
  node = pc_json_parse_bytes (bytes, &error);
  g_assert_no_error (error);
  return node;
}

static JsonNode *
sandbox_booking_node (Fixture *fixture,
                      gint64   id)
{
  g_autofree char *path = g_strdup_printf ("/v1/PhoneChat/ReceivedBookingDetails?BookingID=%"
                                           G_GINT64_FORMAT, id);

  return sandbox_request (fixture, "GET", path, NULL, SOUP_STATUS_OK);
}

static guint
count_sandbox_requests (Fixture    *fixture,
                        const char *method,
                        const char *path,
                        gint64      booking_id)
{
  g_autoptr(JsonNode) log = sandbox_request (fixture, "GET", "/_sandbox/requests", NULL,
                                             SOUP_STATUS_OK);
  JsonArray *array = json_node_get_array (log);
  guint count = 0;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *entry = json_array_get_object_element (array, i);

      const char *entry_method = json_object_get_string_member (entry, "method");
      const char *entry_path = json_object_get_string_member (entry, "path");

      if ((method == NULL || g_str_equal (entry_method, method)) &&
          (path == NULL || g_str_equal (entry_path, path)) &&
          (booking_id == 0 ||
           (!json_object_get_null_member (entry, "BookingID") &&
            json_object_get_int_member (entry, "BookingID") == booking_id)))
        count++;
    }

  return count;
}

/* Every booking the sandbox serves, in its order, as JSON objects. */
static JsonArray *
sandbox_bookings (Fixture *fixture)
{
  g_autoptr(JsonNode) page = sandbox_request (fixture, "GET",
                                              "/v1/PhoneChat/ReceivedBookings?BookingsPerPage=100",
                                              NULL, SOUP_STATUS_OK);

  return json_array_ref (json_object_get_array_member (json_node_get_object (page), "Bookings"));
}

/* The first booking of the demo that matches, by what the server says. */
static gint64
find_booking_id (Fixture    *fixture,
                 const char *status,
                 gboolean    session_passed)
{
  g_autoptr(JsonArray) bookings = sandbox_bookings (fixture);
  g_autoptr(GTimeZone) zone = pc_json_get_default_zone ();

  for (guint i = 0; i < json_array_get_length (bookings); i++)
    {
      JsonNode *node = json_array_get_element (bookings, i);
      g_autoptr(PcBooking) booking = pc_json_booking_from_node (node, zone, NULL, NULL);

      if (g_str_equal (pc_booking_get_status_text (booking), status) &&
          pc_booking_get_is_expired (booking) == session_passed)
        return pc_booking_get_booking_id (booking);
    }

  g_assert_not_reached ();
}

static JsonNode *
parse_output (Run *run)
{
  g_autoptr(GBytes) bytes = g_bytes_new (run->out, strlen (run->out));
  g_autoptr(GError) error = NULL;
  JsonNode *node = pc_json_parse_bytes (bytes, &error);

  g_assert_no_error (error);
  return node;
}

/* list --------------------------------------------------------------------------------- */

static void
test_list_table (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(Run) run = cli (fixture, ARGS ("list"));
  g_autoptr(JsonArray) bookings = sandbox_bookings (fixture);
  g_auto(GStrv) lines = NULL;
  guint marked = 0;
  guint reinvitable = 0;

  g_assert_cmpint (run->status, ==, 0);
  g_assert_cmpstr (run->err, ==, "");

  lines = g_strsplit (run->out, "\n", -1);
  /* Heading, then one row per booking in the server's order. */
  g_assert_nonnull (strstr (lines[0], "ID"));
  g_assert_nonnull (strstr (lines[0], "CLIENT"));
  g_assert_nonnull (strstr (lines[0], "SESSION"));
  g_assert_nonnull (strstr (lines[0], "STATUS"));

  for (guint i = 0; i < json_array_get_length (bookings); i++)
    {
      JsonObject *booking = json_array_get_object_element (bookings, i);
      JsonObject *client = json_object_get_object_member (booking, "Client");
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT,
                                             json_object_get_int_member (booking, "BookingID"));
      g_autofree char *minutes = g_strdup_printf ("%" G_GINT64_FORMAT " min",
                                                  json_object_get_int_member (booking, "Duration"));
      const char *row = lines[i + 1];
      g_autoptr(GTimeZone) zone = pc_json_get_default_zone ();
      g_autoptr(PcBooking) model = pc_json_booking_from_node (json_array_get_element (bookings, i),
                                                              zone, NULL, NULL);
      g_autoptr(GDateTime) local = g_date_time_to_local (pc_test_booking_date (model, "session-date"));
      g_autofree char *session = g_date_time_format (local, "%Y-%m-%d %H:%M");

      g_assert_nonnull (row);
      g_assert_nonnull (strstr (row, id));
      g_assert_nonnull (strstr (row, json_object_get_string_member (client, "Nickname")));
      g_assert_nonnull (strstr (row, json_object_get_string_member (booking, "Status")));
      g_assert_nonnull (strstr (row, minutes));
      g_assert_nonnull (strstr (row, session));

      if (row[0] == '*')
        marked++;
      if (pc_booking_get_can_reinvite (model))
        {
          reinvitable++;
          g_assert_true (row[0] == '*');
        }
    }

  g_assert_cmpuint (marked, ==, reinvitable);
  g_assert_cmpuint (reinvitable, >=, 3);
  g_assert_nonnull (strstr (run->out, "NightOwl_77"));
  g_assert_nonnull (strstr (run->out, "can be re-invited now"));
}

static void
test_list_json (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(Run) run = cli (fixture, ARGS ("list", "--json"));
  g_autoptr(JsonNode) printed = parse_output (run);
  g_autoptr(JsonArray) served = sandbox_bookings (fixture);
  g_autoptr(GBytes) bytes = g_bytes_new (run->out, strlen (run->out));
  g_autoptr(PcReceivedPage) page = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *array;

  g_assert_cmpint (run->status, ==, 0);
  g_assert_cmpstr (run->err, ==, "");

  /* A JSON array of bookings with the API's members... */
  g_assert_true (JSON_NODE_HOLDS_ARRAY (printed));
  array = json_node_get_array (printed);
  g_assert_cmpuint (json_array_get_length (array), ==, json_array_get_length (served));

  /* ...that the strict parser reads... */
  page = pc_json_page_from_bytes (bytes, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->bookings->len, ==, json_array_get_length (served));

  /* ...and that is, member for member, what the server sent. */
  for (guint i = 0; i < json_array_get_length (array); i++)
    g_assert_true (json_node_equal (json_array_get_element (array, i),
                                    json_array_get_element (served, i)));
}

static void
test_list_can_reinvite (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(Run) json = cli (fixture, ARGS ("list", "--can-reinvite", "--json"));
  g_autoptr(Run) table = cli (fixture, ARGS ("list", "--can-reinvite"));
  g_autoptr(GBytes) bytes = g_bytes_new (json->out, strlen (json->out));
  g_autoptr(PcReceivedPage) page = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  guint rows = 0;

  g_assert_cmpint (json->status, ==, 0);
  page = pc_json_page_from_bytes (bytes, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->bookings->len, >=, 3);
  for (guint i = 0; i < page->bookings->len; i++)
    g_assert_true (pc_booking_get_can_reinvite (g_ptr_array_index (page->bookings, i)));

  g_assert_cmpint (table->status, ==, 0);
  lines = g_strsplit (table->out, "\n", -1);
  for (guint i = 1; lines[i] != NULL && lines[i][0] == '*'; i++)
    rows++;
  g_assert_cmpuint (rows, ==, page->bookings->len);
}

static void
test_list_empty (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(Run) table = cli (fixture, ARGS ("list"));
  g_autoptr(Run) json = cli (fixture, ARGS ("list", "--json"));

  g_assert_cmpint (table->status, ==, 0);
  g_assert_cmpstr (table->out, ==, "No bookings.\n");
  g_assert_cmpint (json->status, ==, 0);
  g_assert_cmpstr (json->out, ==, "[]\n");
}

/* The sandbox seeded from a file: the CLI prints the file's bookings back, equal. */
/* The nickname and comments of booking 4817263 in the hostile data file: colours, a
 * window title (OSC), clearing the screen and a carriage return. */
#define HOSTILE_NICKNAME "Evil\x1b[31mRed\x1b]0;pwned\x07"
#define HOSTILE_COMMENTS "Hi\x1b[2J\rgone\xc2\x9b"

static void
assert_no_controls (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if (*p != '\n' && *p != '\t')
      g_assert_false (g_ascii_iscntrl (*p));
  /* The C1 CSI (U+009B) in UTF-8. */
  g_assert_null (strstr (text, "\xc2\x9b"));
}

/* Server text reaches the terminal escaped: it cannot colour it, retitle the window,
 * clear the screen or overwrite a line. JSON stays JSON, with the same text. */
static void
test_terminal_escaped (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(Run) list = cli (fixture, ARGS ("list"));
  g_autoptr(Run) show = cli (fixture, ARGS ("show", "4817263"));
  g_autoptr(Run) json = cli (fixture, ARGS ("show", "4817263", "--json"));
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *booking;

  g_assert_cmpint (list->status, ==, 0);
  assert_no_controls (list->out);
  g_assert_nonnull (strstr (list->out, "Evil\\x1B[31mRed"));

  g_assert_cmpint (show->status, ==, 0);
  assert_no_controls (show->out);
  g_assert_nonnull (strstr (show->out, "Evil\\x1B[31mRed\\x1B]0;pwned\\x07"));
  g_assert_nonnull (strstr (show->out, "Hi\\x1B[2J\\x0Dgone\\u009B"));

  g_assert_cmpint (json->status, ==, 0);
  assert_no_controls (json->out);
  json_parser_load_from_data (parser, json->out, -1, &error);
  g_assert_no_error (error);
  booking = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (booking, "Client"),
                                                  "Nickname"), ==, HOSTILE_NICKNAME);
  g_assert_cmpstr (json_object_get_string_member (booking, "Comments"), ==, HOSTILE_COMMENTS);
}

static void
test_list_data_file (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(Run) run = cli (fixture, ARGS ("list", "--json"));
  g_autoptr(GBytes) printed = g_bytes_new (run->out, strlen (run->out));
  g_autoptr(GBytes) file = pc_test_load_data ("received-bookings-page.json");
  g_autoptr(PcReceivedPage) got = NULL;
  g_autoptr(PcReceivedPage) expected = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (run->status, ==, 0);
  got = pc_json_page_from_bytes (printed, NULL, &error);
  g_assert_no_error (error);
  expected = pc_json_page_from_bytes (file, NULL, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (got->bookings->len, ==, expected->bookings->len);
  for (guint i = 0; i < expected->bookings->len; i++)
    {
      PcBooking *want = g_ptr_array_index (expected->bookings, i);
      gboolean found = FALSE;

      for (guint j = 0; j < got->bookings->len; j++)
        if (pc_booking_get_booking_id (g_ptr_array_index (got->bookings, j)) ==
            pc_booking_get_booking_id (want))
          {
            g_assert_true (pc_booking_equal (g_ptr_array_index (got->bookings, j), want));
            found = TRUE;
          }
      g_assert_true (found);
    }
}

/* show --------------------------------------------------------------------------------- */

static void
test_show_human (Fixture       *fixture,
                 gconstpointer  user_data)
{
  gint64 id = find_booking_id (fixture, "Cancelled", TRUE);
  g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  g_autoptr(Run) run = cli (fixture, ARGS ("show", id_text));
  g_autoptr(JsonNode) served = sandbox_booking_node (fixture, id);
  JsonObject *booking = json_node_get_object (served);
  JsonObject *client = json_object_get_object_member (booking, "Client");
  static const char *labels[] = {
    "Status:", "Session:", "Duration:", "Credits:", "Call method:", "Phone number:",
    "Skype name:", "Created:", "Accept by:", "Accepted:", "Confirmed:", "Cancelled:",
    "Cancelled by:", "Cancellation reason:", "Rejection reason:", "Last updated:",
    "Comments:", "Next step:", "Client:", "Client user ID:", "Client phone:",
    "Client Skype:", "Client ratings:", "Client disputes:",
  };

  g_assert_cmpint (run->status, ==, 0);
  g_assert_cmpstr (run->err, ==, "");
  g_assert_true (g_str_has_prefix (run->out, "Booking "));
  g_assert_nonnull (strstr (run->out, id_text));
  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    g_assert_nonnull (strstr (run->out, labels[i]));

  g_assert_nonnull (strstr (run->out, "Cancelled"));
  g_assert_nonnull (strstr (run->out, json_object_get_string_member (booking, "CancelledReason")));
  g_assert_nonnull (strstr (run->out, json_object_get_string_member (booking, "CancelledBy")));
  g_assert_nonnull (strstr (run->out, json_object_get_string_member (client, "Nickname")));
  g_assert_nonnull (strstr (run->out, "Only pending bookings can be re-invited."));
}

static void
test_show_json (Fixture       *fixture,
                gconstpointer  user_data)
{
  gint64 id = find_booking_id (fixture, "Pending", TRUE);
  g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  g_autoptr(Run) run = cli (fixture, ARGS ("show", id_text, "--json"));
  g_autoptr(JsonNode) printed = parse_output (run);
  g_autoptr(JsonNode) served = sandbox_booking_node (fixture, id);

  g_assert_cmpint (run->status, ==, 0);
  g_assert_cmpstr (run->err, ==, "");
  g_assert_true (json_node_equal (printed, served));
}

static void
test_show_not_found (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(Run) run = cli (fixture, ARGS ("show", "999"));

  assert_failed_one_line (run, 1);
  g_assert_nonnull (strstr (run->err, "Could not load booking 999"));
}

/* reinvite ----------------------------------------------------------------------------- */

static void
test_reinvite_json (Fixture       *fixture,
                    gconstpointer  user_data)
{
  gint64 id = find_booking_id (fixture, "Pending", TRUE);
  g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  const char *reason = "Away that week – sorry, “please” book again";
  g_autoptr(Run) run = cli (fixture, ARGS ("reinvite", id_text, "--reason", reason, "--json"));
  g_autoptr(JsonNode) printed = parse_output (run);
  g_autoptr(JsonNode) served = sandbox_booking_node (fixture, id);
  JsonObject *booking = json_node_get_object (printed);

  g_assert_cmpint (run->status, ==, 0);
  g_assert_cmpstr (run->err, ==, "");
  g_assert_cmpint (json_object_get_int_member (booking, "BookingID"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (booking, "Status"), ==, "Rejected");
  g_assert_cmpstr (json_object_get_string_member (booking, "RejectedReason"), ==, reason);
  g_assert_true (json_object_get_null_member (booking, "ActionCandidate"));
  /* The server holds what the CLI printed. */
  g_assert_true (json_node_equal (printed, served));
  g_assert_cmpuint (count_sandbox_requests (fixture, "POST", REINVITE_PATH, id), ==, 1);
}

static void
test_reinvite_human (Fixture       *fixture,
                     gconstpointer  user_data)
{
  gint64 id = find_booking_id (fixture, "Pending", TRUE);
  g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  g_autoptr(JsonNode) before = sandbox_booking_node (fixture, id);
  const char *nickname = json_object_get_string_member (
    json_object_get_object_member (json_node_get_object (before), "Client"), "Nickname");
  g_autofree char *expected = g_strdup_printf ("Re-invited %s (booking %s). Status: Rejected.\n",
                                               nickname, id_text);
  g_autoptr(Run) run = cli (fixture, ARGS ("reinvite", id_text));
  g_autoptr(JsonNode) after = sandbox_booking_node (fixture, id);

  g_assert_cmpint (run->status, ==, 0);
  g_assert_cmpstr (run->err, ==, "");
  g_assert_cmpstr (run->out, ==, expected);
  /* No --reason: the API's default. */
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (after), "RejectedReason"),
                   ==, "The performer was not available at the requested time.");
}

static void
test_reinvite_second_attempt (Fixture       *fixture,
                              gconstpointer  user_data)
{
  gint64 id = find_booking_id (fixture, "Pending", TRUE);
  g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  g_autofree char *details = g_strdup_printf ("(Could not re-invite booking %s: ", id_text);
  g_autoptr(Run) first = cli (fixture, ARGS ("reinvite", id_text, "--reason", "Busy"));
  g_autoptr(Run) second = cli (fixture, ARGS ("reinvite", id_text, "--reason", "Busy"));

  g_assert_cmpint (first->status, ==, 0);
  assert_failed_one_line (second, 1);
  /* The application's words for the error, then the API's message as the details. */
  g_assert_true (g_str_has_prefix (second->err,
                                   "phonechat-cli: The booking has changed on the server and "
                                   "was not re-invited. Refresh the bookings to see its "
                                   "current state. "));
  g_assert_nonnull (strstr (second->err, details));
  /* The sandbox's own message comes through. */
  g_assert_nonnull (strstr (second->err, "only Pending bookings can be re-invited"));
  /* One POST each: a refused re-invite is never retried. */
  g_assert_cmpuint (count_sandbox_requests (fixture, "POST", REINVITE_PATH, id), ==, 2);
}

/* Whether the record the CLI shares with the application marks the booking (the test's
 * own state directory, G_TEST_OPTION_ISOLATE_DIRS, which the programs inherit). */
static void
test_reinvite_outcome_unknown (Fixture       *fixture,
                               gconstpointer  user_data)
{
  gint64 id = find_booking_id (fixture, "Pending", TRUE);
  g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  g_autofree char *refusal = g_strdup_printf ("phonechat-cli: Booking %s was not re-invited: "
                                              "the outcome of its last re-invite is not known "
                                              "yet, and the server may still carry it out. Run "
                                              "“phonechat-cli show %s” to see whether it "
                                              "happened.\n", id_text, id_text);
  g_autofree char *late_body = g_strdup_printf ("{\"BookingID\": %s}", id_text);
  g_autoptr(JsonNode) fault = NULL;
  g_autoptr(JsonNode) late = NULL;

  /* The connection breaks once the POST is read: its answer is lost, and the booking
   * still shows as pending. */
  fault = sandbox_request (fixture, "POST", "/_sandbox/faults",
                           "{\"drop\": true, \"times\": 1}", SOUP_STATUS_OK);
  {
    g_autoptr(Run) run = cli (fixture, ARGS ("reinvite", id_text, "--reason", "Busy"));

    /* Not "failed" (1): "unknown" (3), so that a script does not simply retry. */
    assert_failed_one_line (run, 3);
    g_assert_nonnull (strstr (run->err, "may or may not have been re-invited"));
    g_assert_null (strstr (run->err, "most likely"));
  }
  g_assert_cmpuint (count_sandbox_requests (fixture, "POST", REINVITE_PATH, id), ==, 1);
  g_assert_true (pc_test_outcome_marked (fixture->url, id));

  /* At once again, as an impatient person or script would: refused, nothing sent. */
  {
    g_autoptr(Run) run = cli (fixture, ARGS ("reinvite", id_text, "--reason", "Busy"));

    assert_failed_one_line (run, 3);
    g_assert_cmpstr (run->err, ==, refusal);
  }
  g_assert_cmpuint (count_sandbox_requests (fixture, "POST", REINVITE_PATH, id), ==, 1);

  /* list says so, and does not offer it. */
  {
    g_autoptr(Run) run = cli (fixture, ARGS ("list"));
    g_auto(GStrv) lines = NULL;
    gboolean seen = FALSE;

    g_assert_cmpint (run->status, ==, 0);
    lines = g_strsplit (run->out, "\n", -1);
    for (guint i = 0; lines[i] != NULL; i++)
      if (strstr (lines[i], id_text) != NULL)
        {
          g_assert_true (g_str_has_prefix (lines[i], "  "));
          g_assert_true (g_str_has_suffix (lines[i], "Pending, re-invite outcome unknown"));
          seen = TRUE;
        }
    g_assert_true (seen);
  }
  g_assert_true (pc_test_outcome_marked (fixture->url, id));

  /* The server acts on a request it received after all (played here by one more POST:
   * the drop left nothing pending in the sandbox). */
  late = sandbox_request (fixture, "POST", REINVITE_PATH, late_body, SOUP_STATUS_OK);

  /* show reads it rejected: the outcome is known, the mark goes. */
  {
    g_autoptr(Run) run = cli (fixture, ARGS ("show", id_text));

    g_assert_cmpint (run->status, ==, 0);
    g_assert_nonnull (strstr (run->out, "Rejected"));
    g_assert_null (strstr (run->out, "not known yet"));
  }
  g_assert_false (pc_test_outcome_marked (fixture->url, id));
}

#define MANY_BOOKINGS 250

/* More bookings than one page: list prints each page as it arrives, every booking once,
 * and --json is still one valid array of them all. */
static void
test_list_pages (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(Run) table = cli (fixture, ARGS ("list"));
  g_autoptr(Run) json = cli (fixture, ARGS ("list", "--json"));
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  JsonArray *array;
  guint rows = 0;

  g_assert_cmpint (json->status, ==, 0);
  json_parser_load_from_data (parser, json->out, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)));
  array = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (array), ==, MANY_BOOKINGS);
  for (guint i = 0; i < MANY_BOOKINGS; i++)
    {
      gint64 id = json_object_get_int_member (json_array_get_object_element (array, i),
                                              "BookingID");

      g_assert_true (g_hash_table_add (ids, g_memdup2 (&id, sizeof id)));
    }

  g_assert_cmpint (table->status, ==, 0);
  lines = g_strsplit (table->out, "\n", -1);
  g_assert_true (g_str_has_prefix (lines[0], "  ID "));
  for (guint i = 1; lines[i] != NULL; i++)
    if (strlen (lines[i]) > 2 && g_str_has_prefix (lines[i] + 2, "600"))
      rows++;
  g_assert_cmpuint (rows, ==, MANY_BOOKINGS);
  /* Three pages of 100 were asked for. */
  g_assert_cmpuint (count_sandbox_requests (fixture, "GET", LIST_PATH, 0), ==, 6);
}

static void
test_reinvite_future_session (Fixture       *fixture,
                              gconstpointer  user_data)
{
  gint64 id = find_booking_id (fixture, "Pending", FALSE);
  g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  g_autoptr(Run) run = cli (fixture, ARGS ("reinvite", id_text));
  g_autoptr(JsonNode) after = sandbox_booking_node (fixture, id);

  assert_failed_one_line (run, 1);
  g_assert_nonnull (strstr (run->err, "SessionDate"));
  g_assert_nonnull (strstr (run->err, "future"));
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (after), "Status"), ==,
                   "Pending");
}

/* Errors ------------------------------------------------------------------------------- */

static void
test_auth_wrong_token (Fixture       *fixture,
                       gconstpointer  user_data)
{
  const char *env[] = {
    "PHONECHAT_API_URL", fixture->url,
    "PHONECHAT_TOKEN", "not-the-token",
    NULL,
  };
  static const char * const commands[][4] = {
    { "list", NULL },
    { "show", "4817263", NULL },
    { "reinvite", "4817263", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autoptr(Run) run = run_program (program ("PHONECHAT_CLI"), commands[i], env);

      assert_failed_one_line (run, 1);
      g_assert_nonnull (strstr (run->err, "Sign in"));
    }

  /* Nothing was re-invited. */
  {
    g_autoptr(JsonNode) after = sandbox_booking_node (fixture, 4817263);

    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (after), "Status"), ==,
                     "Pending");
  }
}

static void
test_auth_no_token (Fixture       *fixture,
                    gconstpointer  user_data)
{
  const char *unset[] = { "PHONECHAT_API_URL", fixture->url, "PHONECHAT_TOKEN", NULL, NULL };
  const char *empty[] = { "PHONECHAT_API_URL", fixture->url, "PHONECHAT_TOKEN", "", NULL };
  g_autoptr(Run) run1 = run_program (program ("PHONECHAT_CLI"), ARGS ("list"), unset);
  g_autoptr(Run) run2 = run_program (program ("PHONECHAT_CLI"), ARGS ("reinvite", "4817263"),
                                     empty);

  assert_failed_one_line (run1, 1);
  assert_failed_one_line (run2, 1);
  g_assert_nonnull (strstr (run1->err, "set PHONECHAT_TOKEN"));
  g_assert_nonnull (strstr (run2->err, "set PHONECHAT_TOKEN"));
  /* Nothing reached the server. */
  g_assert_cmpuint (count_sandbox_requests (fixture, NULL, NULL, 0), ==, 0);
}

static void
test_network_refused (void)
{
  /* Port 1 on loopback: nothing listens there. */
  const char *env[] = { "PHONECHAT_API_URL", "http://127.0.0.1:1", "PHONECHAT_TOKEN", TOKEN, NULL };
  g_autoptr(Run) run = run_program (program ("PHONECHAT_CLI"), ARGS ("list"), env);

  assert_failed_one_line (run, 1);
  g_assert_nonnull (strstr (run->err, "Could not load your bookings"));
}

/* --demo needs no server, address or token: it brings the demo sandbox along. */
static void
test_demo (void)
{
  const char *env[] = { "PHONECHAT_API_URL", "http://127.0.0.1:1", "PHONECHAT_TOKEN", NULL, NULL };
  g_autoptr(Run) list = run_program (program ("PHONECHAT_CLI"), ARGS ("--demo", "list"), env);
  g_autoptr(Run) json = run_program (program ("PHONECHAT_CLI"), ARGS ("list", "--demo", "--json"), env);
  g_autoptr(Run) both = run_program (program ("PHONECHAT_CLI"),
                                     ARGS ("--demo", "--api-url", "http://127.0.0.1:1", "list"), env);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  g_assert_cmpint (list->status, ==, 0);
  g_assert_cmpstr (list->err, ==, "");
  g_assert_nonnull (strstr (list->out, "shy_sam"));

  g_assert_cmpint (json->status, ==, 0);
  json_parser_load_from_data (parser, json->out, -1, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (root));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (root)), >, 5);

  assert_usage_error (both);
}

/* With every log on, stdout holds what was asked and nothing else: the log, libsoup's
 * and GLib's debug messages included, goes to stderr. */
static void
test_debug_log_stderr (Fixture       *fixture,
                       gconstpointer  user_data)
{
  const char *env[] = {
    "PHONECHAT_API_URL", fixture->url,
    "PHONECHAT_TOKEN", TOKEN,
    "G_MESSAGES_DEBUG", "all",
    "PHONECHAT_HTTP_DEBUG", "1",
    NULL,
  };
  g_autoptr(Run) quiet = cli (fixture, ARGS ("list", "--json"));
  g_autoptr(Run) logged = run_program (program ("PHONECHAT_CLI"), ARGS ("list", "--json"), env);

  g_assert_cmpint (logged->status, ==, 0);
  g_assert_cmpstr (logged->out, ==, quiet->out);
  g_assert_nonnull (strstr (logged->err, "GET /v1/PhoneChat/ReceivedBookings"));
  g_assert_nonnull (strstr (logged->err, "-DEBUG: "));
}

static void
test_api_url_option (Fixture       *fixture,
                     gconstpointer  user_data)
{
  /* --api-url wins over PHONECHAT_API_URL. */
  const char *env[] = { "PHONECHAT_API_URL", "http://127.0.0.1:1", "PHONECHAT_TOKEN", TOKEN, NULL };
  g_autoptr(Run) run = run_program (program ("PHONECHAT_CLI"),
                                    ARGS ("--api-url", fixture->url, "list", "--json"), env);
  g_autoptr(Run) after = run_program (program ("PHONECHAT_CLI"),
                                      ARGS ("list", "--api-url", fixture->url), env);

  g_assert_cmpint (run->status, ==, 0);
  g_assert_cmpint (after->status, ==, 0);
}

static void
test_server_faults (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(JsonNode) set = NULL;
  g_autoptr(JsonNode) clear = NULL;

  /* Injected over HTTP, as another process would. */
  set = sandbox_request (fixture, "POST", "/_sandbox/faults",
                         "{\"status\": {\"path\": \"/v1/PhoneChat/ReceivedBookings\","
                         " \"code\": 503}}",
                         SOUP_STATUS_OK);
  {
    g_autoptr(Run) run = cli (fixture, ARGS ("list"));

    assert_failed_one_line (run, 1);
    g_assert_nonnull (strstr (run->err, "Could not load your bookings"));
  }

  clear = sandbox_request (fixture, "POST", "/_sandbox/faults", "{\"truncate\": true}",
                           SOUP_STATUS_OK);
  {
    g_autoptr(Run) run = cli (fixture, ARGS ("show", "4817263", "--json"));

    assert_failed_one_line (run, 1);
  }

  g_clear_pointer (&clear, json_node_unref);
  clear = sandbox_request (fixture, "POST", "/_sandbox/faults", "{}", SOUP_STATUS_OK);
  {
    g_autoptr(Run) run = cli (fixture, ARGS ("list", "--json"));

    g_assert_cmpint (run->status, ==, 0);
  }
}

/* accept, reject, cancel, delete -------------------------------------------------------- */

static const char *
booking_member (JsonNode   *booking,
                const char *member)
{
  return json_object_get_string_member (json_node_get_object (booking), member);
}

static const char *
booking_nickname (JsonNode *booking)
{
  return json_object_get_string_member (
    json_object_get_object_member (json_node_get_object (booking), "Client"), "Nickname");
}

static void
test_accept_human (Fixture       *fixture,
                   gconstpointer  user_data)
{
  /* Pending with its session ahead: the demo's booking to accept. */
  gint64 id = find_booking_id (fixture, "Pending", FALSE);
  g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  g_autoptr(JsonNode) before = sandbox_booking_node (fixture, id);
  g_autoptr(Run) run = cli (fixture, ARGS ("accept", id_text));
  g_autoptr(JsonNode) after = sandbox_booking_node (fixture, id);
  g_autofree char *expected = NULL;

  g_assert_cmpint (run->status, ==, 0);
  g_assert_cmpstr (run->err, ==, "");
  /* Without --credits, the booking's own amount (30 in the demo). */
  expected = g_strdup_printf ("Accepted %s (booking %s) for 30.00 credits. Status: Accepted.\n",
                              booking_nickname (before), id_text);
  g_assert_cmpstr (run->out, ==, expected);
  g_assert_cmpstr (booking_member (after, "Status"), ==, "Accepted");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (after), "Credits"), ==,
                   json_object_get_int_member (json_node_get_object (before), "Credits"));
  /* Read once for the amount, accepted once. */
  g_assert_cmpuint (count_sandbox_requests (fixture, "POST", ACCEPT_PATH, id), ==, 1);
}

static void
test_accept_credits_json (Fixture       *fixture,
                          gconstpointer  user_data)
{
  gint64 id = find_booking_id (fixture, "Pending", FALSE);
  g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  g_autoptr(Run) run = cli (fixture, ARGS ("accept", id_text, "--credits", "31.5", "--json"));
  g_autoptr(JsonNode) printed = parse_output (run);
  g_autoptr(JsonNode) served = sandbox_booking_node (fixture, id);

  g_assert_cmpint (run->status, ==, 0);
  g_assert_cmpstr (run->err, ==, "");
  g_assert_cmpstr (booking_member (printed, "Status"), ==, "Accepted");
  g_assert_cmpfloat (json_object_get_double_member (json_node_get_object (printed), "Credits"),
                     ==, 31.5);
  g_assert_true (json_node_equal (printed, served));
  /* With --credits nothing is read first: the one GET is the test's own. */
  g_assert_cmpuint (count_sandbox_requests (fixture, "POST", ACCEPT_PATH, id), ==, 1);
  g_assert_cmpuint (count_sandbox_requests (fixture, "GET", NULL, id), ==, 1);
}

static void
test_accept_refused (Fixture       *fixture,
                     gconstpointer  user_data)
{
  gint64 id = find_booking_id (fixture, "Pending", TRUE);
  g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  g_autofree char *details = g_strdup_printf ("(Could not accept booking %s: the server refused "
                                              "it: ", id_text);
  g_autoptr(Run) run = cli (fixture, ARGS ("accept", id_text, "--credits", "8"));

  /* The session has passed: the server says no, in the application's words first. */
  assert_failed_one_line (run, 1);
  g_assert_true (g_str_has_prefix (run->err, "phonechat-cli: The server refused the request, "
                                             "and the booking was not changed."));
  g_assert_nonnull (strstr (run->err, details));
  g_assert_cmpuint (count_sandbox_requests (fixture, "POST", ACCEPT_PATH, id), ==, 1);
}

static void
test_accept_outcome_unknown (Fixture       *fixture,
                             gconstpointer  user_data)
{
  gint64 id = find_booking_id (fixture, "Pending", FALSE);
  g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  g_autoptr(JsonNode) fault = NULL;
  g_autoptr(Run) run = NULL;

  /* The connection breaks once the POST is read: still pending proves nothing. */
  fault = sandbox_request (fixture, "POST", "/_sandbox/faults", "{\"drop\": true, \"times\": 1}",
                           SOUP_STATUS_OK);
  run = cli (fixture, ARGS ("accept", id_text, "--credits", "30"));

  assert_failed_one_line (run, 3);
  g_assert_nonnull (strstr (run->err, "may or may not have been accepted"));
  g_assert_cmpuint (count_sandbox_requests (fixture, "POST", ACCEPT_PATH, id), ==, 1);
}

static void
test_reject_human (Fixture       *fixture,
                   gconstpointer  user_data)
{
  gint64 id = find_booking_id (fixture, "Pending", FALSE);
  g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  g_autoptr(JsonNode) before = sandbox_booking_node (fixture, id);
  g_autoptr(Run) run = cli (fixture, ARGS ("reject", id_text, "--reason", "Fully booked"));
  g_autoptr(JsonNode) after = sandbox_booking_node (fixture, id);
  g_autofree char *expected = g_strdup_printf ("Rejected %s (booking %s). Status: Rejected.\n",
                                               booking_nickname (before), id_text);

  g_assert_cmpint (run->status, ==, 0);
  g_assert_cmpstr (run->err, ==, "");
  g_assert_cmpstr (run->out, ==, expected);
  g_assert_cmpstr (booking_member (after, "RejectedReason"), ==, "Fully booked");
  g_assert_cmpuint (count_sandbox_requests (fixture, "POST", REJECT_PATH, id), ==, 1);
}

/* A server without the inferred path: said plainly, sent once, nothing changed. */
static void
test_reject_not_offered (Fixture       *fixture,
                         gconstpointer  user_data)
{
  gint64 id = find_booking_id (fixture, "Pending", FALSE);
  g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  g_autoptr(Run) run = cli (fixture, ARGS ("reject", id_text, "--reason", "Fully booked"));
  g_autoptr(JsonNode) after = sandbox_booking_node (fixture, id);

  assert_failed_one_line (run, 1);
  g_assert_nonnull (strstr (run->err, "this server does not offer rejecting bookings"));
  g_assert_null (strstr (run->err, "does not know this booking"));
  g_assert_cmpstr (booking_member (after, "Status"), ==, "Pending");
  g_assert_cmpuint (count_sandbox_requests (fixture, "POST", REJECT_PATH, id), ==, 1);
}

static void
test_cancel_json (Fixture       *fixture,
                  gconstpointer  user_data)
{
  gint64 id = find_booking_id (fixture, "Accepted", FALSE);
  g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  g_autoptr(Run) run = cli (fixture, ARGS ("cancel", id_text, "--reason", "Unwell", "--json"));
  g_autoptr(JsonNode) printed = parse_output (run);
  g_autoptr(JsonNode) served = sandbox_booking_node (fixture, id);

  g_assert_cmpint (run->status, ==, 0);
  g_assert_cmpstr (run->err, ==, "");
  g_assert_cmpstr (booking_member (printed, "Status"), ==, "Cancelled");
  g_assert_cmpstr (booking_member (printed, "CancelledReason"), ==, "Unwell");
  g_assert_true (json_node_equal (printed, served));
  g_assert_cmpuint (count_sandbox_requests (fixture, "POST", CANCEL_PATH, id), ==, 1);
}

/* A cancel whose answer is lost: exit 3, recorded like a re-invite's, so that a second
 * cancel is refused until a read shows what happened; a read that still shows the
 * booking Accepted (what it was sent from) proves nothing. */
static void
test_cancel_outcome_unknown (Fixture       *fixture,
                             gconstpointer  user_data)
{
  gint64 id = find_booking_id (fixture, "Accepted", FALSE);
  g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  g_autofree char *refusal = g_strdup_printf ("phonechat-cli: Nothing was sent about booking "
                                              "%s: the outcome of the last request about it is "
                                              "not known yet, and the server may still carry "
                                              "it out. Run “phonechat-cli show %s” to see "
                                              "whether it happened.\n", id_text, id_text);
  g_autofree char *late_body = g_strdup_printf ("{\"BookingID\": %s, \"Reason\": \"Unwell\"}",
                                                id_text);
  g_autoptr(JsonNode) fault = NULL;
  g_autoptr(JsonNode) late = NULL;

  fault = sandbox_request (fixture, "POST", "/_sandbox/faults",
                           "{\"drop\": true, \"times\": 1}", SOUP_STATUS_OK);
  {
    g_autoptr(Run) run = cli (fixture, ARGS ("cancel", id_text, "--reason", "Unwell"));

    assert_failed_one_line (run, 3);
  }
  g_assert_cmpuint (count_sandbox_requests (fixture, "POST", CANCEL_PATH, id), ==, 1);
  g_assert_true (pc_test_outcome_marked (fixture->url, id));

  /* Again at once: refused, nothing sent. */
  {
    g_autoptr(Run) run = cli (fixture, ARGS ("cancel", id_text, "--reason", "Unwell"));

    assert_failed_one_line (run, 3);
    g_assert_cmpstr (run->err, ==, refusal);
  }
  g_assert_cmpuint (count_sandbox_requests (fixture, "POST", CANCEL_PATH, id), ==, 1);

  /* show reads it still Accepted: that proves nothing, the mark stays. */
  {
    g_autoptr(Run) run = cli (fixture, ARGS ("show", id_text));

    g_assert_cmpint (run->status, ==, 0);
    g_assert_nonnull (strstr (run->out, "Accepted"));
  }
  g_assert_true (pc_test_outcome_marked (fixture->url, id));

  /* The server carries it out after all; show reads it cancelled, and the mark goes. */
  late = sandbox_request (fixture, "POST", CANCEL_PATH, late_body, SOUP_STATUS_OK);
  {
    g_autoptr(Run) run = cli (fixture, ARGS ("show", id_text));

    g_assert_cmpint (run->status, ==, 0);
    g_assert_nonnull (strstr (run->out, "Cancelled"));
  }
  g_assert_false (pc_test_outcome_marked (fixture->url, id));
}

static void
test_delete_results (Fixture       *fixture,
                     gconstpointer  user_data)
{
  gint64 rejected = find_booking_id (fixture, "Rejected", TRUE);
  gint64 pending = find_booking_id (fixture, "Pending", TRUE);
  g_autofree char *rejected_text = g_strdup_printf ("%" G_GINT64_FORMAT, rejected);
  g_autofree char *pending_text = g_strdup_printf ("%" G_GINT64_FORMAT, pending);
  g_autoptr(Run) run = cli (fixture, ARGS ("delete", rejected_text, pending_text, "999"));
  g_autofree char *expected = NULL;
  g_autoptr(JsonNode) node = NULL;

  /* A line per booking on stdout; not everything deleted: exit 1, said on stderr. */
  expected = g_strdup_printf ("Booking %s: deleted.\n"
                              "Booking %s: not deleted: The booking cannot be deleted until it "
                              "is Rejected, Cancelled or Confirmed.\n"
                              "Booking 999: not deleted: No booking with BookingID 999 was "
                              "found.\n", rejected_text, pending_text);
  g_assert_cmpint (run->status, ==, 1);
  g_assert_cmpstr (run->out, ==, expected);
  g_assert_cmpstr (run->err, ==, "phonechat-cli: 2 of 3 bookings were not deleted.\n");
  g_assert_cmpuint (count_sandbox_requests (fixture, "POST", DELETE_PATH, 0), ==, 1);
  /* The booking that never was is still unknown: the delete made nothing. */
  node = sandbox_request (fixture, "GET", "/v1/PhoneChat/ReceivedBookingDetails?BookingID=999",
                          NULL, SOUP_STATUS_NOT_FOUND);
  g_assert_nonnull (node);
}

static void
test_delete_json (Fixture       *fixture,
                  gconstpointer  user_data)
{
  gint64 cancelled = find_booking_id (fixture, "Cancelled", TRUE);
  g_autofree char *cancelled_text = g_strdup_printf ("%" G_GINT64_FORMAT, cancelled);
  g_autoptr(Run) run = cli (fixture, ARGS ("delete", cancelled_text, "--json"));
  g_autoptr(JsonNode) printed = parse_output (run);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_bytes_new (run->out, strlen (run->out));
  g_autoptr(GPtrArray) results = pc_json_delete_results_from_bytes (bytes, &error);

  g_assert_no_error (error);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_cmpstr (run->err, ==, "");
  g_assert_cmpuint (results->len, ==, 1);
  g_assert_cmpint (((PcDeleteResult *) g_ptr_array_index (results, 0))->booking_id, ==, cancelled);
  g_assert_true (((PcDeleteResult *) g_ptr_array_index (results, 0))->deleted);
}

/* Usage errors of the actions: exit 2, and nothing sent. */
static void
test_actions_usage (Fixture       *fixture,
                    gconstpointer  user_data)
{
  static const char * const cases[][7] = {
    { "accept", NULL },
    { "accept", "4817263", "4817264", NULL },
    { "accept", "4817263", "--credits", "abc", NULL },
    { "accept", "4817263", "--credits", "-5", NULL },
    { "accept", "4817263", "--credits", "1.23456", NULL },
    { "accept", "4817263", "--reason", "x", NULL },
    { "reject", "4817263", NULL },
    { "reject", "4817263", "--reason", "   ", NULL },
    { "cancel", "4817263", NULL },
    { "cancel", "4817263", "--credits", "5", "--reason", "x", NULL },
    { "delete", NULL },
    { "delete", "4817263", "abc", NULL },
    { "delete", "4817263", "4817263", NULL },
    { "delete", "4817263", "--reason", "x", NULL },
    { "show", "4817263", "--credits", "5", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(Run) run = cli (fixture, cases[i]);

      assert_usage_error (run);
    }

  {
    g_autoptr(Run) reject = cli (fixture, ARGS ("reject", "4817263"));

    g_assert_true (g_str_has_prefix (reject->err, "phonechat-cli: “reject” needs a reason for "
                                                  "the client: the server requires one "
                                                  "(--reason TEXT).\n"));
  }

  g_assert_cmpuint (count_sandbox_requests (fixture, NULL, NULL, 0), ==, 0);
}

/* The client's text in an action's answer reaches the terminal escaped. */
static void
test_actions_escaped (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(Run) run = cli (fixture, ARGS ("reject", "4817263", "--reason", "Busy\x1b[2J"));
  g_autoptr(Run) json = NULL;

  g_assert_cmpint (run->status, ==, 0);
  assert_no_controls (run->out);
  g_assert_cmpstr (run->out, ==, "Rejected Evil\\x1B[31mRed\\x1B]0;pwned\\x07 (booking 4817263). "
                                 "Status: Rejected.\n");

  json = cli (fixture, ARGS ("show", "4817263", "--json"));
  assert_no_controls (json->out);
  g_assert_nonnull (strstr (json->out, "Busy\\u001b[2J"));
}

/* Usage errors: exit 2, a hint on stderr, and no request sent. */
/* A PHONECHAT_TIMEOUT that is not a number of seconds is a usage error, before anything
 * is sent. */
static void
test_usage_bad_timeout (Fixture       *fixture,
                        gconstpointer  user_data)
{
  static const char * const values[] = { "abc", "0", "-5", "90000", "12s" };

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      const char *env[] = {
        "PHONECHAT_API_URL", fixture->url,
        "PHONECHAT_TOKEN", TOKEN,
        "PHONECHAT_TIMEOUT", values[i],
        NULL,
      };
      g_autoptr(Run) run = run_program (program ("PHONECHAT_CLI"), ARGS ("list"), env);
      g_autofree char *expected = g_strdup_printf ("phonechat-cli: PHONECHAT_TIMEOUT=%s is not "
                                                   "a whole number of seconds from 1 to "
                                                   "86400.\n", values[i]);

      assert_usage_error (run);
      g_assert_true (g_str_has_prefix (run->err, expected));
    }

  g_assert_cmpuint (count_sandbox_requests (fixture, NULL, NULL, 0), ==, 0);
}

static void
test_usage_errors (Fixture       *fixture,
                   gconstpointer  user_data)
{
  static const char * const cases[][6] = {
    { NULL },
    { "frobnicate", NULL },
    { "show", NULL },
    { "reinvite", NULL },
    { "show", "abc", NULL },
    { "show", "-5", NULL },
    { "reinvite", "0", NULL },
    { "reinvite", "12x", NULL },
    { "reinvite", "99999999999999999999999", NULL },
    { "show", "4817263", "4817264", NULL },
    { "list", "extra", NULL },
    { "list", "--no-such-option", NULL },
    { "list", "--reason", "x", NULL },
    { "show", "4817263", "--can-reinvite", NULL },
    { "reinvite", "4817263", "--reason", NULL },
    { "--api-url", "not a url", "list", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(Run) run = cli (fixture, cases[i]);

      if (i == G_N_ELEMENTS (cases) - 1)
        {
          /* A malformed address: exit 2 with the reason. */
          g_assert_cmpint (run->status, ==, 2);
          g_assert_cmpstr (run->out, ==, "");
          g_assert_nonnull (strstr (run->err, "not a valid server address"));
        }
      else
        assert_usage_error (run);
    }

  {
    g_autoptr(Run) abc = cli (fixture, ARGS ("show", "abc"));
    g_autoptr(Run) negative = cli (fixture, ARGS ("show", "-5"));

    g_assert_nonnull (strstr (abc->err, "“abc” is not a booking ID"));
    g_assert_nonnull (strstr (negative->err, "“-5” is not a booking ID"));
  }

  g_assert_cmpuint (count_sandbox_requests (fixture, NULL, NULL, 0), ==, 0);
}

static void
test_help_and_version (void)
{
  g_autoptr(Run) help = run_program (program ("PHONECHAT_CLI"), ARGS ("--help"), NULL);
  g_autoptr(Run) version = run_program (program ("PHONECHAT_CLI"), ARGS ("--version"), NULL);
  g_autoptr(Run) sandbox_help = run_program (program ("PHONECHAT_SANDBOX"), ARGS ("--help"), NULL);
  static const char *cli_mentions[] = {
    "list", "show ID", "reinvite ID", "--reason", "--json", "--can-reinvite", "--api-url",
    "PHONECHAT_TOKEN", "PHONECHAT_API_URL", "PHONECHAT_HTTP_DEBUG", "Exit status",
    "  2  usage error\n  3  outcome unknown", "accept ID [--credits N]",
    "reject ID --reason TEXT", "cancel ID --reason TEXT", "delete ID…", "--credits",
  };
  static const char *sandbox_mentions[] = {
    "--port", "--data", "--token", "--latency", "--fail-path", "--fail-status", "--truncate",
    "--drop-connections", "/_sandbox/requests", "/_sandbox/faults", "latency_ms", "\"drop\"",
    "\"truncate\"", "\"status\"", "/v1/PhoneChat/ReInvite", ACCEPT_PATH, REJECT_PATH,
    CANCEL_PATH, DELETE_PATH, "--no-inferred-endpoints",
  };

  g_assert_cmpint (help->status, ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (cli_mentions); i++)
    g_assert_nonnull (strstr (help->out, cli_mentions[i]));

  g_assert_cmpint (version->status, ==, 0);
  g_assert_cmpstr (version->out, ==, "phonechat-cli " PACKAGE_VERSION "\n");

  g_assert_cmpint (sandbox_help->status, ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (sandbox_mentions); i++)
    g_assert_nonnull (strstr (sandbox_help->out, sandbox_mentions[i]));
}

static void
test_sandbox_bad_data (void)
{
  g_autofree char *xml = g_build_filename (TEST_DATA_DIR, "received-booking.xml", NULL);
  g_autoptr(Run) missing = run_program (program ("PHONECHAT_SANDBOX"),
                                        ARGS ("--port", "0", "--data", "/nonexistent.json"), NULL);
  g_autoptr(Run) bad = run_program (program ("PHONECHAT_SANDBOX"),
                                    ARGS ("--port", "0", "--data", xml), NULL);
  g_autoptr(Run) usage = run_program (program ("PHONECHAT_SANDBOX"),
                                      ARGS ("--port", "70000"), NULL);

  /* No URL line: the sandbox never listened. */
  g_assert_cmpint (missing->status, ==, 1);
  g_assert_cmpstr (missing->out, ==, "");
  g_assert_nonnull (strstr (missing->err, "/nonexistent.json"));
  g_assert_cmpint (bad->status, ==, 1);
  g_assert_cmpstr (bad->out, ==, "");
  g_assert_nonnull (strstr (bad->err, "received-booking.xml"));
  g_assert_nonnull (strstr (bad->err, "not JSON"));
  g_assert_cmpint (usage->status, ==, 2);
}

/* The sandbox's own fault options on its command line. */
static void
test_sandbox_fail_option (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(Run) list = cli (fixture, ARGS ("list"));
  g_autoptr(Run) reinvite = cli (fixture, ARGS ("reinvite", "4817263"));
  g_autoptr(JsonNode) after = sandbox_booking_node (fixture, 4817263);

  g_assert_cmpint (list->status, ==, 0);
  assert_failed_one_line (reinvite, 1);
  g_assert_nonnull (strstr (reinvite->err, "Could not re-invite booking 4817263"));
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (after), "Status"), ==,
                   "Pending");
}

/* The signed-in account: login, whoami, logout ---------------------------------------- */

/* A program the test talks to while it runs: its stdout is read line by line as it
 * comes, its stderr whole, and its exit noted, all on the main context, which the test
 * iterates (a sandbox in the test's process answers meanwhile). */
typedef struct
{
  GSubprocess         *process;
  GDataInputStream    *out_stream;
  GString             *out;
  GOutputStream       *err;
  gboolean             out_done;
  gboolean             err_done;
  gboolean             exited;
} Live;

static void
live_line_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Live *live = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL,
                                                    &error);
  g_assert_no_error (error);
  if (line == NULL)
    {
      live->out_done = TRUE;
      return;
    }

  g_string_append_printf (live->out, "%s\n", line);
  g_data_input_stream_read_line_async (live->out_stream, G_PRIORITY_DEFAULT, NULL, live_line_cb,
                                       live);
}

static void
live_err_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Live *live = user_data;
  g_autoptr(GError) error = NULL;

  g_output_stream_splice_finish (G_OUTPUT_STREAM (source), result, &error);
  g_assert_no_error (error);
  live->err_done = TRUE;
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

/* @env: (nullable): NAME, VALUE, … pairs, as run_program() takes them */
static Live *
live_start (const char         *path,
            const char * const *args,
            const char * const *env)
{
  g_autoptr(GSubprocessLauncher) launcher = new_launcher_with_env (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                   G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                                                   env);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  Live *live = g_new0 (Live, 1);

  g_ptr_array_add (argv, (gpointer) path);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  live->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata,
                                                &error);
  g_assert_no_error (error);

  live->out = g_string_new (NULL);
  live->out_stream = g_data_input_stream_new (g_subprocess_get_stdout_pipe (live->process));
  g_data_input_stream_read_line_async (live->out_stream, G_PRIORITY_DEFAULT, NULL, live_line_cb,
                                       live);
  live->err = g_memory_output_stream_new_resizable ();
  g_output_stream_splice_async (live->err, g_subprocess_get_stderr_pipe (live->process),
                                G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE |
                                G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                                G_PRIORITY_DEFAULT, NULL, live_err_cb, live);
  g_subprocess_wait_async (live->process, NULL, live_exited_cb, live);
  return live;
}

static void
live_free (Live *live)
{
  if (live->out != NULL)
    g_string_free (live->out, TRUE);
  g_object_unref (live->err);
  g_object_unref (live->out_stream);
  g_object_unref (live->process);
  g_free (live);
}

/* Waits for the end of the program, and gives what it printed and its status. */
static Run *
live_finish (Live *live)
{
  GMemoryOutputStream *err = G_MEMORY_OUTPUT_STREAM (live->err);
  Run *run = g_new0 (Run, 1);

  PC_TEST_WAIT_UNTIL (live->exited && live->out_done && live->err_done);
  g_assert_true (g_subprocess_get_if_exited (live->process));
  run->status = g_subprocess_get_exit_status (live->process);
  run->out = g_string_free (g_steal_pointer (&live->out), FALSE);
  /* An empty stream has no data at all. */
  run->err = g_strndup (g_memory_output_stream_get_data_size (err) > 0 ?
                        g_memory_output_stream_get_data (err) : "",
                        g_memory_output_stream_get_data_size (err));

  live_free (live);

  g_test_message ("exit %d\nstdout: %s\nstderr: %s", run->status, run->out, run->err);
  return run;
}

/* watch -------------------------------------------------------------------------------- */

static const char * const new_booking_every_args[] = { "--new-booking-every", "1", NULL };

/* The lines of @text that start with @prefix. */
static GPtrArray *
lines_starting (const char *text,
                const char *prefix)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  GPtrArray *found = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], prefix))
      g_ptr_array_add (found, g_strdup (lines[i]));

  return found;
}

static guint
count_lines_starting (Live       *live,
                      const char *prefix)
{
  g_autoptr(GPtrArray) lines = lines_starting (live->out->str, prefix);

  return lines->len;
}

/* phonechat-cli @args against the fixture's sandbox with the demo token, while it runs. */
static Live *
start_watch (Fixture            *fixture,
             const char * const *args)
{
  return live_start (program ("PHONECHAT_CLI"), args,
                     ARGS ("PHONECHAT_API_URL", fixture->url, "PHONECHAT_TOKEN", TOKEN));
}

/* The nickname the sandbox serves for @booking_id. */
static char *
sandbox_nickname (Fixture *fixture,
                  gint64   booking_id)
{
  g_autoptr(JsonNode) node = sandbox_booking_node (fixture, booking_id);
  JsonObject *client = json_object_get_object_member (json_node_get_object (node), "Client");

  return g_strdup (json_object_get_string_member (client, "Nickname"));
}

/* Bookings arriving at the sandbox (one a second) are printed as they come, one line
 * each; SIGINT ends watch cleanly. */
static void
test_watch_new_bookings (Fixture       *fixture,
                         gconstpointer  user_data)
{
  Live *live = start_watch (fixture, ARGS ("watch"));
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(Run) run = NULL;

  PC_TEST_WAIT_UNTIL (count_lines_starting (live, "new booking ") >= 2 || live->exited);
  g_assert_false (live->exited);

  g_subprocess_send_signal (live->process, SIGINT);
  run = live_finish (live);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_nonnull (strstr (run->err, "Watching 12 bookings"));

  /* "new booking 4820001: shy_sam, 10 minutes on Sun 29 Nov, 14:45, accept by 14:15":
   * each a booking the sandbox made since, named once. */
  lines = lines_starting (run->out, "new booking ");
  g_assert_cmpuint (lines->len, >=, 2);
  for (guint i = 0; i < lines->len; i++)
    {
      const char *line = g_ptr_array_index (lines, i);
      const char *rest = line + strlen ("new booking ");
      char *end = NULL;
      gint64 id = g_ascii_strtoll (rest, &end, 10);
      g_autofree char *nickname = NULL;
      g_autofree char *expected_start = NULL;

      g_assert_cmpint (id, >, 4820000);
      g_assert_false (g_hash_table_contains (ids, &id));
      g_hash_table_add (ids, g_memdup2 (&id, sizeof id));
      nickname = sandbox_nickname (fixture, id);
      expected_start = g_strdup_printf ("new booking %" G_GINT64_FORMAT ": %s, ", id, nickname);
      g_assert_true (g_str_has_prefix (line, expected_start));
      g_assert_nonnull (strstr (line, " minutes on "));
      g_assert_nonnull (strstr (line, ", accept by "));
    }
  /* Nothing but new bookings happened, and the demo's were not announced. */
  {
    g_auto(GStrv) all = g_strsplit (g_strstrip (run->out), "\n", -1);

    g_assert_cmpuint (g_strv_length (all), ==, lines->len);
  }
}

/* --json: one object per line; a nickname that would drive the terminal or start a line
 * of its own stays inside its line. */
static void
test_watch_json (Fixture       *fixture,
                 gconstpointer  user_data)
{
  static const char hostile[] = "evil\033]0;owned\007\nnew booking 1: fake";
  Live *live = start_watch (fixture, ARGS ("watch", "--json", "--interval", "1"));
  g_autoptr(JsonNode) made = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body_node = NULL;
  g_autofree char *body = NULL;
  g_autoptr(Run) run = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(JsonNode) event = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  gint64 id;

  /* The first read is the baseline: the booking comes after it. */
  PC_TEST_WAIT_UNTIL (count_sandbox_requests (fixture, "GET", LIST_PATH, 0) >= 1 ||
                      live->exited);
  g_assert_false (live->exited);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "Client");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "Nickname");
  json_builder_add_string_value (builder, hostile);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  body_node = json_builder_get_root (builder);
  body = json_to_string (body_node, FALSE);
  made = sandbox_request (fixture, "POST", "/_sandbox/bookings", body, SOUP_STATUS_CREATED);
  id = json_object_get_int_member (json_node_get_object (made), "BookingID");

  PC_TEST_WAIT_UNTIL (count_lines_starting (live, "{") >= 1 || live->exited);
  g_assert_false (live->exited);
  g_subprocess_send_signal (live->process, SIGTERM);
  run = live_finish (live);
  g_assert_cmpint (run->status, ==, 0);

  lines = lines_starting (run->out, "{");
  g_assert_cmpuint (lines->len, ==, 1);
  g_assert_null (strchr (run->out, '\033'));
  g_assert_null (strchr (run->out, '\007'));
  event = json_from_string (g_ptr_array_index (lines, 0), &error);
  g_assert_no_error (error);
  object = json_node_get_object (event);
  g_assert_cmpstr (json_object_get_string_member (object, "Event"), ==, "added");
  g_assert_cmpint (json_object_get_int_member (object, "BookingID"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (object, "Status"), ==, "Pending");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (json_object_get_object_member (object, "Booking"),
                                                                                 "Client"),
                                                  "Nickname"), ==, hostile);
}

/* The same booking as a line of text: one line, the controls escaped. */
static void
test_watch_escaped (Fixture       *fixture,
                    gconstpointer  user_data)
{
  Live *live = start_watch (fixture, ARGS ("watch", "--interval", "1"));
  g_autoptr(JsonNode) made = NULL;
  g_autoptr(Run) run = NULL;
  g_autoptr(GPtrArray) lines = NULL;

  PC_TEST_WAIT_UNTIL (count_sandbox_requests (fixture, "GET", LIST_PATH, 0) >= 1 ||
                      live->exited);
  g_assert_false (live->exited);
  made = sandbox_request (fixture, "POST", "/_sandbox/bookings",
                          "{\"Client\": {\"Nickname\": \"evil\\u001b]0;owned\\u0007\\nnew "
                          "booking 1: fake\"}}", SOUP_STATUS_CREATED);

  PC_TEST_WAIT_UNTIL (count_lines_starting (live, "new booking ") >= 1 || live->exited);
  g_assert_false (live->exited);
  g_subprocess_send_signal (live->process, SIGINT);
  run = live_finish (live);
  g_assert_cmpint (run->status, ==, 0);

  assert_no_controls (run->out);
  lines = lines_starting (run->out, "new booking ");
  g_assert_cmpuint (lines->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (lines, 0), "evil\\x1B]0;owned\\x07 new booking 1: fake, "));
}

/* A token the server refuses: reading again will not help; exit 1 with one line. */
static void
test_watch_refused (Fixture       *fixture,
                    gconstpointer  user_data)
{
  const char *env[] = {
    "PHONECHAT_API_URL", fixture->url,
    "PHONECHAT_TOKEN", "wrong-token",
    NULL,
  };
  g_autoptr(Run) run = run_program (program ("PHONECHAT_CLI"), ARGS ("watch"), env);

  assert_failed_one_line (run, 1);
}

/* phonechat-cli reinvite ID, started against a sandbox that holds the POST for an hour,
 * once the sandbox has the POST: the CLI is waiting for the answer. */
static Live *
start_waiting_reinvite (Fixture    *fixture,
                        gint64      id,
                        const char *id_text)
{
  g_autoptr(JsonNode) fault = NULL;
  const char *env[] = {
    "PHONECHAT_API_URL", fixture->url,
    "PHONECHAT_TOKEN", TOKEN,
    "PHONECHAT_TIMEOUT", "3600",
    NULL,
  };
  Live *live;

  fault = sandbox_request (fixture, "POST", "/_sandbox/faults",
                           "{\"latency_ms\": 3600000, \"times\": 1}", SOUP_STATUS_OK);
  live = live_start (program ("PHONECHAT_CLI"), ARGS ("reinvite", id_text), env);
  PC_TEST_WAIT_UNTIL (count_sandbox_requests (fixture, "POST", REINVITE_PATH, id) == 1 ||
                      live->exited);
  g_assert_false (live->exited);
  return live;
}

/* Killed while waiting for the answer, after the POST went out: the mark made before
 * sending stays, and the next command does not send a second re-invite. A definite
 * answer, on the other hand, leaves no mark behind. */
static void
test_reinvite_killed_in_flight (Fixture       *fixture,
                                gconstpointer  user_data)
{
  gint64 id = find_booking_id (fixture, "Pending", TRUE);
  gint64 accepted = find_booking_id (fixture, "Accepted", FALSE);
  g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  g_autofree char *accepted_text = g_strdup_printf ("%" G_GINT64_FORMAT, accepted);
  Live *live = start_waiting_reinvite (fixture, id, id_text);

  g_subprocess_force_exit (live->process);
  PC_TEST_WAIT_UNTIL (live->exited && live->out_done && live->err_done);
  live_free (live);
  g_assert_true (pc_test_outcome_marked (fixture->url, id));

  {
    g_autoptr(Run) run = cli (fixture, ARGS ("reinvite", id_text));

    assert_failed_one_line (run, 3);
    g_assert_nonnull (strstr (run->err, "not known yet"));
  }
  g_assert_cmpuint (count_sandbox_requests (fixture, "POST", REINVITE_PATH, id), ==, 1);

  /* Refused by the server: a definite answer, no mark. */
  {
    g_autoptr(Run) run = cli (fixture, ARGS ("reinvite", accepted_text));

    assert_failed_one_line (run, 1);
  }
  g_assert_cmpuint (count_sandbox_requests (fixture, "POST", REINVITE_PATH, accepted), ==, 1);
  g_assert_false (pc_test_outcome_marked (fixture->url, accepted));
}

/* Ctrl+C while waiting for the answer, after the POST went out: one line saying the
 * outcome is unknown, exit status 3, and the mark stays. */
static void
test_reinvite_interrupted (Fixture       *fixture,
                           gconstpointer  user_data)
{
  gint64 id = find_booking_id (fixture, "Pending", TRUE);
  g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  Live *live = start_waiting_reinvite (fixture, id, id_text);
  g_autoptr(Run) run = NULL;

  g_subprocess_send_signal (live->process, SIGINT);
  run = live_finish (live);

  g_assert_cmpint (run->status, ==, 3);
  g_assert_true (g_str_has_prefix (run->err, "phonechat-cli: Interrupted after the re-invite of "
                                             "booking "));
  g_assert_true (strchr (run->err, '\n') == run->err + strlen (run->err) - 1);
  g_assert_true (pc_test_outcome_marked (fixture->url, id));
}

static void
test_accept_interrupted (Fixture       *fixture,
                         gconstpointer  user_data)
{
  gint64 id = find_booking_id (fixture, "Pending", FALSE);
  g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  g_autoptr(JsonNode) fault = NULL;
  g_autoptr(Run) run = NULL;
  const char *env[] = {
    "PHONECHAT_API_URL", fixture->url,
    "PHONECHAT_TOKEN", TOKEN,
    "PHONECHAT_TIMEOUT", "3600",
    NULL,
  };
  g_autofree char *expected = NULL;
  Live *live;

  /* Ctrl+C once the server holds the POST: it may still act, so exit 3. */
  fault = sandbox_request (fixture, "POST", "/_sandbox/faults",
                           "{\"latency_ms\": 3600000, \"times\": 1}", SOUP_STATUS_OK);
  live = live_start (program ("PHONECHAT_CLI"), ARGS ("accept", id_text, "--credits", "30"), env);
  PC_TEST_WAIT_UNTIL (count_sandbox_requests (fixture, "POST", ACCEPT_PATH, id) == 1 ||
                      live->exited);
  g_assert_false (live->exited);
  g_subprocess_send_signal (live->process, SIGINT);
  run = live_finish (live);

  g_assert_cmpint (run->status, ==, 3);
  expected = g_strdup_printf ("phonechat-cli: Interrupted after the request about %s was sent: "
                              "the server may still carry it out. Run “phonechat-cli show ID” "
                              "to see whether it happened.\n", id_text);
  g_assert_cmpstr (run->err, ==, expected);
}

/* The sign-in page's address, once the CLI has printed its whole line. */
static char *
dup_sign_in_address (Live *live)
{
  const char *start = strstr (live->out->str, "http://");
  const char *end;

  if (start == NULL || (end = strchr (start, '\n')) == NULL)
    return NULL;

  return g_strndup (start, end - start);
}

/* A browser GET that must be answered. */
static guint
browse (SoupSession  *browser,
        const char   *url,
        gboolean      follow,
        char        **location,
        char        **body)
{
  g_autoptr(GError) error = NULL;
  guint status = pc_test_browser_get (browser, url, follow, location, body, NULL, &error);

  g_assert_no_error (error);
  return status;
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

/* `phonechat-cli login` against @url, with the test as the browser: reads the sign-in
 * page's address as the CLI prints it, and goes there. The authorization code the login
 * page hands out is added to @secrets. */
static Run *
login (const char  *url,
       SoupSession *browser,
       GPtrArray   *secrets,
       char       **page)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;
  g_autofree char *prefix = g_strconcat (url, "/OAuth/Authorize?", NULL);
  g_autofree char *location = NULL;
  g_autofree char *code = NULL;
  Live *live;

  live = live_start (program ("PHONECHAT_CLI"),
                     ARGS ("login", "--api-url", url, "--client-id", PC_SANDBOX_CLIENT_ID,
                           "--redirect-port", "0"),
                     NULL);

  PC_TEST_WAIT_UNTIL ((address = dup_sign_in_address (live)) != NULL || live->exited);
  g_assert_nonnull (address);
  g_assert_true (g_str_has_prefix (address, prefix));

  /* The login page sends the browser back to the CLI, which thanks it. */
  g_assert_cmpuint (browse (browser, address, FALSE, &location, NULL), ==, SOUP_STATUS_FOUND);
  g_assert_nonnull (location);
  g_assert_true (g_str_has_prefix (location, "http://127.0.0.1:"));
  code = dup_query_param (location, "code");
  if (code != NULL && *code != '\0')
    g_ptr_array_add (secrets, g_strdup (code));
  g_assert_cmpuint (browse (browser, location, TRUE, NULL, page), ==, SOUP_STATUS_OK);

  return live_finish (live);
}

/* The account in the test's keyring, read as the application would. */
static PcAccount *
lookup_stored (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PcAccount *account;

  /* libsecret's file backend reads the file when it starts, and the CLI has changed it
   * since: start it again. */
  secret_service_disconnect ();
  pc_credentials_lookup_async (NULL, pc_test_store_result_cb, &result);
  PC_TEST_WAIT_UNTIL (result != NULL);
  account = pc_credentials_lookup_finish (result, &error);
  g_assert_no_error (error);
  return account;
}

static void
add_account_secrets (GPtrArray *secrets,
                     PcAccount *account)
{
  g_ptr_array_add (secrets, g_strdup (pc_account_get_access_token (account)));
  if (pc_account_get_refresh_token (account) != NULL)
    g_ptr_array_add (secrets, g_strdup (pc_account_get_refresh_token (account)));
}

static void
assert_no_secret (Run       *run,
                  GPtrArray *secrets)
{
  for (guint i = 0; i < secrets->len; i++)
    {
      const char *secret = g_ptr_array_index (secrets, i);

      g_assert_cmpuint (strlen (secret), >=, 8);
      if (strstr (run->out, secret) != NULL || strstr (run->err, secret) != NULL)
        g_error ("phonechat-cli printed a secret (%s)", secret);
    }
}

/* Signs in to the fixture's sandbox; the secrets are those of the sign-in. */
static void
login_to_sandbox (Fixture   *fixture,
                  GPtrArray *secrets)
{
  g_autofree char *expected = g_strdup_printf ("Signed in as user %d on %s.\n",
                                               PC_SANDBOX_USER_ID, fixture->url);
  g_autofree char *page = NULL;
  g_autoptr(PcAccount) account = NULL;
  g_autoptr(Run) run = login (fixture->url, fixture->session, secrets, &page);

  g_assert_cmpint (run->status, ==, 0);
  g_assert_cmpstr (run->err, ==, "");
  g_assert_true (g_str_has_suffix (run->out, expected));
  g_assert_nonnull (strstr (page, "You can close this tab"));

  account = lookup_stored ();
  g_assert_nonnull (account);
  add_account_secrets (secrets, account);
  /* The code, and a pair of tokens. */
  g_assert_cmpuint (secrets->len, ==, 3);
  assert_no_secret (run, secrets);
}

/* phonechat-cli with the stored account: no PHONECHAT_TOKEN, no PHONECHAT_API_URL. */
static Run *
cli_signed_in (const char * const *args)
{
  return run_program (program ("PHONECHAT_CLI"), args, NULL);
}

static void
test_login_sandbox (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(GPtrArray) secrets = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(PcAccount) account = NULL;

  login_to_sandbox (fixture, secrets);

  /* The keyring holds the sandbox's account… */
  account = lookup_stored ();
  g_assert_nonnull (account);
  g_assert_cmpint (pc_account_get_environment (account), ==, PC_ENVIRONMENT_CUSTOM);
  g_assert_cmpstr (pc_account_get_api_url (account), ==, fixture->url);
  g_assert_cmpstr (pc_account_get_auth_url (account), ==, fixture->url);
  g_assert_cmpstr (pc_account_get_client_id (account), ==, PC_SANDBOX_CLIENT_ID);
  g_assert_cmpint (pc_account_get_user_id (account), ==, PC_SANDBOX_USER_ID);
  g_assert_nonnull (pc_account_get_refresh_token (account));

  /* …whose code was exchanged once, and whose token was checked with the server. */
  g_assert_cmpuint (count_sandbox_requests (fixture, "POST", "/OAuth/token", 0), ==, 1);
  g_assert_cmpuint (count_sandbox_requests (fixture, "GET", "/v1/account/verifyCredentials", 0),
                    ==, 1);
}

static void
test_login_then_list (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(GPtrArray) secrets = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonArray) bookings = sandbox_bookings (fixture);
  g_autoptr(Run) table = NULL;
  g_autoptr(Run) json = NULL;
  g_autoptr(JsonNode) printed = NULL;
  g_auto(GStrv) lines = NULL;

  login_to_sandbox (fixture, secrets);
  g_assert_cmpuint (json_array_get_length (bookings), >, 5);

  table = cli_signed_in (ARGS ("list"));
  g_assert_cmpint (table->status, ==, 0);
  g_assert_cmpstr (table->err, ==, "");
  assert_no_secret (table, secrets);
  lines = g_strsplit (table->out, "\n", -1);
  g_assert_nonnull (strstr (lines[0], "CLIENT"));
  for (guint i = 0; i < json_array_get_length (bookings); i++)
    {
      JsonObject *booking = json_array_get_object_element (bookings, i);
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT,
                                             json_object_get_int_member (booking, "BookingID"));

      g_assert_nonnull (lines[i + 1]);
      g_assert_nonnull (strstr (lines[i + 1], id));
    }

  /* The same bookings, member for member, as the sandbox serves them. */
  json = cli_signed_in (ARGS ("list", "--json"));
  g_assert_cmpint (json->status, ==, 0);
  assert_no_secret (json, secrets);
  printed = parse_output (json);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (printed)), ==,
                    json_array_get_length (bookings));
  for (guint i = 0; i < json_array_get_length (bookings); i++)
    g_assert_true (json_node_equal (json_array_get_element (json_node_get_array (printed), i),
                                    json_array_get_element (bookings, i)));
}

static void
test_whoami (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autoptr(GPtrArray) secrets = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *expected = g_strdup_printf ("Signed in as user %d on %s.\n",
                                               PC_SANDBOX_USER_ID, fixture->url);
  g_autoptr(Run) before = cli_signed_in (ARGS ("whoami"));
  g_autoptr(Run) run = NULL;
  guint verified;

  /* Nobody yet. */
  assert_failed_one_line (before, 1);
  g_assert_nonnull (strstr (before->err, "Not signed in"));

  login_to_sandbox (fixture, secrets);
  verified = count_sandbox_requests (fixture, "GET", "/v1/account/verifyCredentials", 0);

  run = cli_signed_in (ARGS ("whoami"));
  g_assert_cmpint (run->status, ==, 0);
  g_assert_cmpstr (run->err, ==, "");
  g_assert_cmpstr (run->out, ==, expected);
  assert_no_secret (run, secrets);
  /* The server was asked. */
  g_assert_cmpuint (count_sandbox_requests (fixture, "GET", "/v1/account/verifyCredentials", 0),
                    ==, verified + 1);
}

static void
test_logout (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autoptr(GPtrArray) secrets = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *expected = g_strdup_printf ("Signed out of %s.\n", fixture->url);
  g_autoptr(Run) logout = NULL;
  g_autoptr(Run) list = NULL;
  g_autoptr(Run) again = NULL;
  g_autoptr(PcAccount) stored = NULL;

  login_to_sandbox (fixture, secrets);

  logout = cli_signed_in (ARGS ("logout"));
  g_assert_cmpint (logout->status, ==, 0);
  g_assert_cmpstr (logout->err, ==, "");
  g_assert_cmpstr (logout->out, ==, expected);
  assert_no_secret (logout, secrets);
  stored = lookup_stored ();
  g_assert_null (stored);

  /* Nothing to list with now, and nothing asked of the server. */
  list = cli_signed_in (ARGS ("list"));
  assert_failed_one_line (list, 1);
  g_assert_true (g_str_has_prefix (list->err, "phonechat-cli: Not signed in"));
  g_assert_cmpuint (count_sandbox_requests (fixture, "GET", "/v1/PhoneChat/ReceivedBookings", 0),
                    ==, 0);

  /* Signing out again is no error. */
  again = cli_signed_in (ARGS ("logout"));
  g_assert_cmpint (again->status, ==, 0);
  g_assert_cmpstr (again->out, ==, "Not signed in.\n");
}

/* The sandbox in the test's process, which can make its login page answer as when the
 * user cancels there. */
static void
test_login_cancelled (void)
{
  g_autoptr(PcClock) clock = pc_clock_new_system ();
  g_autoptr(PcSandbox) sandbox = pc_sandbox_new (clock, NULL);
  g_autoptr(SoupSession) browser = soup_session_new ();
  g_autoptr(GPtrArray) secrets = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(PcAccount) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(Run) run = NULL;
  g_autofree char *page = NULL;

  use_test_keyring ();
  pc_sandbox_listen (sandbox, 0, &error);
  g_assert_no_error (error);
  pc_sandbox_set_authorize_cancels (sandbox, TRUE);

  run = login (pc_sandbox_get_url (sandbox), browser, secrets, &page);

  /* One line that says so, after the sign-in address. */
  g_assert_cmpint (run->status, ==, 1);
  g_assert_true (g_str_has_prefix (run->err, "phonechat-cli: "));
  g_assert_true (strchr (run->err, '\n') == run->err + strlen (run->err) - 1);
  g_assert_nonnull (strstr (run->err, "cancelled"));
  g_assert_null (strstr (run->out, "Signed in"));
  g_assert_nonnull (strstr (page, "cancelled"));

  /* No code was handed out, none exchanged, nothing kept. */
  g_assert_cmpuint (secrets->len, ==, 0);
  g_assert_cmpuint (pc_sandbox_count_requests (sandbox, "POST", "/OAuth/token"), ==, 0);
  stored = lookup_stored ();
  g_assert_null (stored);

  g_clear_object (&browser);
  pc_test_drain_main_context ();
  pc_sandbox_stop (sandbox);
  secret_service_disconnect ();
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_file = NULL;
  g_autofree char *empty_file = NULL;
  g_autoptr(GError) error = NULL;
  int status;
  int fd;
  const char *data_args[3] = { "--data", NULL, NULL };
  const char *empty_args[3] = { "--data", NULL, NULL };
  const char *fail_args[] = { "--fail-path", REINVITE_PATH, "--fail-status", "500", NULL };
  const char *hostile_args[3] = { "--data", NULL, NULL };
  const char *no_inferred_args[] = { "--no-inferred-endpoints", NULL };
  g_autofree char *hostile_file = NULL;
  const char *many_args[3] = { "--data", NULL, NULL };
  g_autofree char *many_file = NULL;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  pc_test_init_logging ();

  data_file = g_build_filename (TEST_DATA_DIR, "received-bookings-page.json", NULL);
  data_args[1] = data_file;
  /* An empty array is a valid, empty set of bookings. */
  fd = g_file_open_tmp ("phonechat-cli-test-XXXXXX.json", &empty_file, &error);
  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (empty_file, "[]", -1, &error);
  g_assert_no_error (error);
  empty_args[1] = empty_file;
  /* The page fixture with control characters in a nickname and in comments. */
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_autoptr(JsonGenerator) generator = json_generator_new ();
    JsonObject *first;

    json_parser_load_from_file (parser, data_file, &error);
    g_assert_no_error (error);
    first = json_array_get_object_element (
      json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "Bookings"), 0);
    g_assert_cmpint (json_object_get_int_member (first, "BookingID"), ==, 4817263);
    json_object_set_string_member (json_object_get_object_member (first, "Client"), "Nickname",
                                   HOSTILE_NICKNAME);
    json_object_set_string_member (first, "Comments", HOSTILE_COMMENTS);
    fd = g_file_open_tmp ("phonechat-cli-hostile-XXXXXX.json", &hostile_file, &error);
    g_assert_no_error (error);
    close (fd);
    json_generator_set_root (generator, json_parser_get_root (parser));
    json_generator_to_file (generator, hostile_file, &error);
    g_assert_no_error (error);
    hostile_args[1] = hostile_file;
  }
  /* MANY_BOOKINGS bookings: several of the CLI's pages of 100. */
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_autoptr(JsonGenerator) generator = json_generator_new ();
    g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
    JsonArray *many = json_array_new ();
    JsonArray *bookings;

    json_parser_load_from_file (parser, data_file, &error);
    g_assert_no_error (error);
    bookings = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                             "Bookings");
    for (guint i = 0; i < MANY_BOOKINGS; i++)
      {
        g_autofree char *text = json_to_string (json_array_get_element (bookings,
                                                                        i % json_array_get_length (bookings)),
                                                FALSE);
        /* A deep copy: json_node_copy() shares the object. */
        JsonNode *copy = json_from_string (text, &error);

        g_assert_no_error (error);
        json_object_set_int_member (json_node_get_object (copy), "BookingID", 6000001 + i);
        json_array_add_element (many, copy);
      }
    json_node_take_array (root, many);
    fd = g_file_open_tmp ("phonechat-cli-many-XXXXXX.json", &many_file, &error);
    g_assert_no_error (error);
    close (fd);
    json_generator_set_root (generator, root);
    json_generator_to_file (generator, many_file, &error);
    g_assert_no_error (error);
    many_args[1] = many_file;
  }

#define ADD(path, func, args) \
  g_test_add (path, Fixture, args, fixture_set_up, func, fixture_tear_down)

  ADD ("/cli/list/table", test_list_table, NULL);
  ADD ("/cli/list/json", test_list_json, NULL);
  ADD ("/cli/list/can-reinvite", test_list_can_reinvite, NULL);
  ADD ("/cli/list/empty", test_list_empty, empty_args);
  ADD ("/cli/list/data-file", test_list_data_file, data_args);
  ADD ("/cli/show/human", test_show_human, NULL);
  ADD ("/cli/terminal/escaped", test_terminal_escaped, hostile_args);
  ADD ("/cli/list/pages", test_list_pages, many_args);
  ADD ("/cli/show/json", test_show_json, NULL);
  ADD ("/cli/show/not-found", test_show_not_found, NULL);
  ADD ("/cli/reinvite/json", test_reinvite_json, NULL);
  ADD ("/cli/reinvite/human", test_reinvite_human, NULL);
  ADD ("/cli/reinvite/second-attempt", test_reinvite_second_attempt, NULL);
  ADD ("/cli/reinvite/outcome-unknown", test_reinvite_outcome_unknown, NULL);
  ADD ("/cli/reinvite/killed-in-flight", test_reinvite_killed_in_flight, NULL);
  ADD ("/cli/reinvite/interrupted", test_reinvite_interrupted, NULL);
  ADD ("/cli/reinvite/future-session", test_reinvite_future_session, NULL);
  ADD ("/cli/accept/human", test_accept_human, NULL);
  ADD ("/cli/accept/credits-json", test_accept_credits_json, NULL);
  ADD ("/cli/accept/refused", test_accept_refused, NULL);
  ADD ("/cli/accept/outcome-unknown", test_accept_outcome_unknown, NULL);
  ADD ("/cli/accept/interrupted", test_accept_interrupted, NULL);
  ADD ("/cli/reject/human", test_reject_human, NULL);
  ADD ("/cli/reject/not-offered", test_reject_not_offered, no_inferred_args);
  ADD ("/cli/cancel/json", test_cancel_json, NULL);
  ADD ("/cli/cancel/outcome-unknown", test_cancel_outcome_unknown, NULL);
  ADD ("/cli/delete/results", test_delete_results, NULL);
  ADD ("/cli/delete/json", test_delete_json, NULL);
  ADD ("/cli/actions/usage", test_actions_usage, NULL);
  ADD ("/cli/actions/escaped", test_actions_escaped, hostile_args);
  ADD ("/cli/auth/wrong-token", test_auth_wrong_token, NULL);
  ADD ("/cli/auth/no-token", test_auth_no_token, NULL);
  g_test_add_func ("/cli/network/refused", test_network_refused);
  g_test_add_func ("/cli/demo", test_demo);
  ADD ("/cli/debug-log/stderr", test_debug_log_stderr, NULL);
  ADD ("/cli/api-url/option", test_api_url_option, NULL);
  ADD ("/cli/fault/server", test_server_faults, NULL);
  ADD ("/cli/usage/errors", test_usage_errors, NULL);
  ADD ("/cli/usage/bad-timeout", test_usage_bad_timeout, NULL);
  g_test_add_func ("/cli/usage/help-and-version", test_help_and_version);
  g_test_add_func ("/cli/sandbox/bad-data", test_sandbox_bad_data);
  ADD ("/cli/sandbox/fail-option", test_sandbox_fail_option, fail_args);
  ADD ("/cli/login/sandbox", test_login_sandbox, NULL);
  ADD ("/cli/login/then-list", test_login_then_list, NULL);
  ADD ("/cli/whoami", test_whoami, NULL);
  ADD ("/cli/watch/new-bookings", test_watch_new_bookings, new_booking_every_args);
  ADD ("/cli/watch/json", test_watch_json, NULL);
  ADD ("/cli/watch/escaped", test_watch_escaped, NULL);
  ADD ("/cli/watch/refused", test_watch_refused, NULL);
  ADD ("/cli/logout", test_logout, NULL);
  g_test_add_func ("/cli/login/cancelled", test_login_cancelled);

#undef ADD

  status = g_test_run ();
  g_unlink (empty_file);
  g_unlink (hostile_file);
  g_unlink (many_file);
  return status;
}
