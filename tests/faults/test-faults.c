/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "fault-table.h"
#include "pc-api.h"
#include "pc-booking.h"
#include "pc-clock.h"
#include "pc-json.h"
#include "pc-sandbox.h"
#include "test-utils.h"

/* The fault suite: every fault the sandbox injects, met by PcApi and by `phonechat-cli`,
 * on the list (GET ReceivedBookings), on the re-invite (POST ReInvite) and on a reject
 * (POST RejectReceivedBooking), which goes the re-invite's way: Pending before, Rejected
 * after, so the re-invite's expectations hold for it. For each: the
 * PcApiError code, what reached the server (the sandbox's request log: one list request,
 * at most one ReInvite POST per user action, and the booking read again only where the
 * re-invite's outcome is in doubt), and the CLI exiting with one clear line.
 *
 * The sandbox runs in this process on 127.0.0.1, with a fixed clock, and holds one
 * booking that can be re-invited. Every fault applies to one request only ("times": 1):
 * the request of the user's action. The CLI runs as a real subprocess against it while
 * the test iterates the main context. tests/faults/test-faults-ui.c does the same for the
 * window and the re-invite dialog. */

#define TEST_TOKEN    "test-token-fault-5e1d"
#define BOOKING_ID    4817263
#define REASON        "Sorry I missed you"
#define LIST_PATH     "/v1/PhoneChat/ReceivedBookings"
#define DETAILS_PATH  "/v1/PhoneChat/ReceivedBookingDetails"
#define REINVITE_PATH "/v1/PhoneChat/ReInvite"
#define REJECT_PATH   "/v1/PhoneChat/RejectReceivedBooking"

typedef enum
{
  TARGET_LIST,
  TARGET_REINVITE,
  TARGET_REJECT,
} Target;

typedef struct
{
  const PcTestFault *fault;
  Target             target;
} Case;

typedef struct
{
  PcClock     *clock;
  PcSandbox   *sandbox;
  SoupSession *session;
  PcApi       *api;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  const Case *c = data;
  g_autoptr(GDateTime) now = pc_test_utc (2025, 6, 15, 12, 0, 0);
  g_autoptr(GBytes) bytes = pc_test_load_data ("received-booking.json");
  g_autoptr(PcBooking) booking = NULL;
  g_autoptr(GError) error = NULL;

  f->clock = pc_clock_new_fixed (now);
  f->sandbox = pc_sandbox_new (f->clock, TEST_TOKEN);
  booking = pc_json_booking_from_bytes (bytes, pc_sandbox_get_zone (f->sandbox), &error);
  g_assert_no_error (error);
  g_assert_cmpint (pc_booking_get_booking_id (booking), ==, BOOKING_ID);
  pc_sandbox_add_booking (f->sandbox, booking);
  pc_sandbox_listen (f->sandbox, 0, &error);
  g_assert_no_error (error);

  /* A session of its own: a first request never goes over a kept-alive connection, which
   * libsoup may silently try again for a GET. */
  f->session = soup_session_new ();
  f->api = pc_api_new (f->session, pc_sandbox_get_url (f->sandbox), &error);
  g_assert_no_error (error);
  pc_api_set_token (f->api, TEST_TOKEN);
  if (c->fault->latency_ms > 0)
    pc_api_set_timeout (f->api, PC_TEST_SHORT_TIMEOUT_S);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->api);
  g_clear_object (&f->session);
  pc_test_drain_main_context ();
  pc_sandbox_stop (f->sandbox);
  g_clear_object (&f->sandbox);
  g_clear_object (&f->clock);
}

/* The fault did apply, to the first request the server saw. */
static void
assert_fault_applied (Fixture *f)
{
  g_autoptr(JsonNode) log = pc_sandbox_get_requests_node (f->sandbox);
  JsonArray *entries = json_node_get_array (log);
  JsonObject *first;

  g_assert_cmpuint (json_array_get_length (entries), >=, 1);
  first = json_array_get_object_element (entries, 0);
  g_assert_false (json_object_get_null_member (first, "fault"));
}

/* What reached the server for one user action. */
static void
assert_requests (Fixture     *f,
                 const Case  *c)
{
  assert_fault_applied (f);

  if (c->target == TARGET_LIST)
    {
      /* One page of one booking: one request, never sent again. */
      g_assert_cmpuint (pc_sandbox_count_requests (f->sandbox, "GET", LIST_PATH), ==, 1);
      g_assert_cmpuint (pc_sandbox_count_requests (f->sandbox, NULL, NULL), ==, 1);
      return;
    }

  /* At most one POST per user action: here exactly one, as it was sent. */
  g_assert_cmpuint (pc_sandbox_count_requests (f->sandbox, "POST",
                                               c->target == TARGET_REJECT ? REJECT_PATH
                                                                          : REINVITE_PATH), ==, 1);
  g_assert_cmpuint (pc_sandbox_count_booking_requests (f->sandbox, "GET", DETAILS_PATH,
                                                       BOOKING_ID), ==,
                    c->fault->rereads ? 1 : 0);
  g_assert_cmpuint (pc_sandbox_count_requests (f->sandbox, NULL, NULL), ==,
                    c->fault->rereads ? 2 : 1);
}

static void
assert_reinvite_code (const PcTestFault *fault,
                      const GError      *error)
{
  g_assert_nonnull (error);
  g_assert_true (error->domain == PC_API_ERROR);
  if (!pc_test_fault_reinvite_code_ok (fault, error->code))
    g_error ("Unexpected error code %d: %s", error->code, error->message);
}

/* A message people read: one line, of a sensible length, with no markup or raw body. */
static void
assert_one_clear_line (const char *text)
{
  g_assert_nonnull (text);
  g_assert_cmpuint (strlen (text), >, 0);
  g_assert_cmpuint (strlen (text), <, 1000);
  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_null (strchr (text, '\n'));
  g_assert_null (strchr (text, '\r'));
  g_assert_null (strstr (text, "NNNNNNNN"));
  g_assert_null (strstr (text, "<html"));
  g_assert_null (strstr (text, "<?xml"));
  g_assert_null (strstr (text, "<ReceivedBooking"));
  g_assert_null (strstr (text, "HTTP/1.1"));
  g_assert_null (strstr (text, "Padding"));
}

/* PcApi */

static void
test_api (Fixture       *f,
          gconstpointer  data)
{
  const Case *c = data;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  if (c->target == TARGET_LIST)
    {
      g_autoptr(GPtrArray) bookings = NULL;

      pc_test_fault_inject (f->sandbox, c->fault, LIST_PATH);
      pc_api_list_all_bookings_async (f->api, 50, NULL, NULL, NULL, NULL,
                                      pc_test_store_result_cb, &result);
      PC_TEST_WAIT_UNTIL (result != NULL);
      bookings = pc_api_list_all_bookings_finish (f->api, result, &error);

      g_assert_null (bookings);
      g_assert_error (error, PC_API_ERROR, (int) c->fault->list_code);
      g_assert_true (g_str_has_prefix (error->message, "Could not load your bookings: "));
      if (strstr (error->message, c->fault->list_text) == NULL)
        g_error ("“%s” is not in “%s”", c->fault->list_text, error->message);
    }
  else
    {
      g_autoptr(PcBooking) booking = NULL;

      if (c->target == TARGET_REJECT)
        {
          pc_test_fault_inject (f->sandbox, c->fault, REJECT_PATH);
          pc_api_reject_async (f->api, BOOKING_ID, REASON, NULL, pc_test_store_result_cb,
                               &result);
          PC_TEST_WAIT_UNTIL (result != NULL);
          booking = pc_api_reject_finish (f->api, result, &error);
        }
      else
        {
          pc_test_fault_inject (f->sandbox, c->fault, REINVITE_PATH);
          pc_api_reinvite_async (f->api, BOOKING_ID, REASON, NULL, pc_test_store_result_cb,
                                 &result);
          PC_TEST_WAIT_UNTIL (result != NULL);
          booking = pc_api_reinvite_finish (f->api, result, &error);
        }

      if (c->fault->reinvite_code == PC_TEST_SUCCEEDS)
        {
          g_assert_no_error (error);
          g_assert_cmpint (pc_booking_get_status (booking), ==, PC_BOOKING_STATUS_REJECTED);
          g_assert_cmpstr (pc_booking_get_rejected_reason (booking), ==, REASON);
        }
      else
        {
          g_assert_null (booking);
          assert_reinvite_code (c->fault, error);
          /* Nothing happened on the server but for a late answer. */
          if (c->fault->latency_ms == 0)
            g_assert_cmpint (pc_booking_get_status (pc_sandbox_lookup (f->sandbox, BOOKING_ID)),
                             ==, PC_BOOKING_STATUS_PENDING);
        }
    }

  if (error != NULL)
    assert_one_clear_line (error->message);
  assert_requests (f, c);
}

/* phonechat-cli */

typedef struct
{
  GSubprocess *process;
  char        *out;
  char        *err;
  gboolean     done;
} Run;

static void
communicated_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &run->out, &run->err,
                                        &error);
  g_assert_no_error (error);
  run->done = TRUE;
}

/* Runs phonechat-cli with @args against the sandbox, serving it meanwhile. */
static void
run_cli (Fixture            *f,
         const PcTestFault  *fault,
         const char * const *args,
         Run                *run)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *cli = g_getenv ("PHONECHAT_CLI");

  g_assert_nonnull (cli);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_setenv (launcher, "LANGUAGE", "C", TRUE);
  g_subprocess_launcher_setenv (launcher, "PHONECHAT_TOKEN", TEST_TOKEN, TRUE);
  g_subprocess_launcher_unsetenv (launcher, "PHONECHAT_API_URL");
  g_subprocess_launcher_unsetenv (launcher, "PHONECHAT_HTTP_DEBUG");
  g_subprocess_launcher_unsetenv (launcher, "PHONECHAT_TIMEOUT");
  /* The record of re-invites of unknown outcome: this test's own. */
  g_subprocess_launcher_setenv (launcher, "XDG_STATE_HOME", g_get_user_state_dir (), TRUE);
  if (fault->latency_ms > 0)
    {
      g_autofree char *seconds = g_strdup_printf ("%u", PC_TEST_SHORT_TIMEOUT_S);

      g_subprocess_launcher_setenv (launcher, "PHONECHAT_TIMEOUT", seconds, TRUE);
    }
  /* No keyring, no bus: the token comes from the environment. */
  g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS",
                                "unix:path=/nonexistent/phonechat-test-no-bus", TRUE);

  g_ptr_array_add (argv, (gpointer) cli);
  g_ptr_array_add (argv, (gpointer) "--api-url");
  g_ptr_array_add (argv, (gpointer) pc_sandbox_get_url (f->sandbox));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  run->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata,
                                               &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (run->process, NULL, NULL, communicated_cb, run);
  PC_TEST_WAIT_UNTIL (run->done);
}

static void
run_clear (Run *run)
{
  g_clear_object (&run->process);
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

static void
test_cli (Fixture       *f,
          gconstpointer  data)
{
  const Case *c = data;
  const char * const list_args[] = { "list", NULL };
  const char * const reinvite_args[] = { "reinvite", G_STRINGIFY (BOOKING_ID), "--reason",
                                         REASON, NULL };
  const char * const reject_args[] = { "reject", G_STRINGIFY (BOOKING_ID), "--reason",
                                       REASON, NULL };
  const char * const *args[] = {
    [TARGET_LIST] = list_args,
    [TARGET_REINVITE] = reinvite_args,
    [TARGET_REJECT] = reject_args,
  };
  const char * const paths[] = {
    [TARGET_LIST] = LIST_PATH,
    [TARGET_REINVITE] = REINVITE_PATH,
    [TARGET_REJECT] = REJECT_PATH,
  };
  Run run = { 0, };
  gboolean succeeds;

  pc_test_fault_inject (f->sandbox, c->fault, paths[c->target]);
  run_cli (f, c->fault, args[c->target], &run);
  succeeds = c->target != TARGET_LIST && c->fault->reinvite_code == PC_TEST_SUCCEEDS;

  g_test_message ("stderr: %s", run.err);
  g_assert_true (g_subprocess_get_if_exited (run.process));

  if (succeeds)
    {
      g_assert_cmpint (g_subprocess_get_exit_status (run.process), ==, 0);
      g_assert_cmpstr (run.err, ==, "");
      g_assert_true (g_str_has_prefix (run.out, c->target == TARGET_REJECT ? "Rejected "
                                                                            : "Re-invited "));
    }
  else
    {
      const char *line;

      /* Exit status 1 (an API or network error) or 3 (a re-invite whose outcome is
       * unknown), nothing on stdout, and exactly one line on stderr: the program's name
       * and what went wrong. No warnings, no raw HTTP. */
      g_assert_cmpint (g_subprocess_get_exit_status (run.process), ==,
                       c->target != TARGET_LIST &&
                       c->fault->reinvite_code == PC_API_ERROR_OUTCOME_UNKNOWN ? 3 : 1);
      g_assert_cmpstr (run.out, ==, "");
      g_assert_true (g_str_has_prefix (run.err, "phonechat-cli: "));
      g_assert_true (g_str_has_suffix (run.err, "\n"));
      line = run.err + strlen ("phonechat-cli: ");
      {
        g_autofree char *text = g_strndup (line, strlen (line) - 1);

        assert_one_clear_line (text);
        g_assert_null (strstr (text, "CRITICAL"));
        g_assert_null (strstr (text, "WARNING"));
        g_assert_null (strstr (text, "phonechat-cli:"));
      }
    }

  assert_requests (f, c);
  run_clear (&run);
}

/* A 200 whose body the connection cuts short is a lost connection, whatever is in the
 * half that arrived: a regression test for answers read as "not in the form PhoneChat
 * expects". The sandbox's truncated answers close in order (a FIN), so that libsoup
 * sees the body end early rather than an error. */
static void
test_cut_short_is_lost_connection (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PcBooking) booking = NULL;

  pc_sandbox_set_truncate_bodies (f->sandbox, TRUE);
  pc_sandbox_set_fault_limit (f->sandbox, 1);
  pc_api_get_booking_async (f->api, BOOKING_ID, NULL, pc_test_store_result_cb, &result);
  PC_TEST_WAIT_UNTIL (result != NULL);
  booking = pc_api_get_booking_finish (f->api, result, &error);

  g_assert_null (booking);
  g_assert_error (error, PC_API_ERROR, PC_API_ERROR_CANNOT_CONNECT);
  g_assert_true (g_str_has_prefix (error->message, "Could not load booking 4817263: the "
                                                   "connection to the server was lost"));
  g_assert_null (strstr (error->message, "not in the form"));
}

static const PcTestFault plain = { "none" };
static const Case plain_case = { &plain, TARGET_LIST };

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) cases = g_ptr_array_new_with_free_func (g_free);

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  pc_test_init_logging ();

  for (guint i = 0; i < pc_test_n_faults; i++)
    {
      static const struct
      {
        Target      target;
        const char *name;
      } targets[] = {
        { TARGET_LIST, "list" },
        { TARGET_REINVITE, "reinvite" },
        { TARGET_REJECT, "reject" },
      };

      for (guint t = 0; t < G_N_ELEMENTS (targets); t++)
        {
          Case *c = g_new0 (Case, 1);
          g_autofree char *api_path = NULL;
          g_autofree char *cli_path = NULL;

          c->fault = &pc_test_faults[i];
          c->target = targets[t].target;
          g_ptr_array_add (cases, c);

          api_path = g_strdup_printf ("/faults/%s/%s", targets[t].name, pc_test_faults[i].name);
          cli_path = g_strdup_printf ("/faults/cli/%s/%s", targets[t].name, pc_test_faults[i].name);
          g_test_add (api_path, Fixture, c, fixture_setup, test_api, fixture_teardown);
          g_test_add (cli_path, Fixture, c, fixture_setup, test_cli, fixture_teardown);
        }
    }

  g_test_add ("/faults/details/cut-short-is-lost-connection", Fixture, &plain_case,
              fixture_setup, test_cut_short_is_lost_connection, fixture_teardown);

  return g_test_run ();
}
