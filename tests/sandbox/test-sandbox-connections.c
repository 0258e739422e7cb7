/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include <libsoup/soup.h>

#include "test-utils.h"

/* The sandbox closes every connection its client closes. libsoup 3.2's SoupServer kept
 * each accepted socket open in CLOSE-WAIT once the client had closed it while idle
 * (1,010 descriptors after 1,000 re-invites; with a limit of 128, requests went
 * unanswered). These tests run the real `phonechat-sandbox` (PHONECHAT_SANDBOX) and count
 * its descriptors in /proc: each request goes on a fresh connection, as libsoup sends
 * every POST, and the client closes it once answered. */

#define REINVITE_PATH "/v1/PhoneChat/ReInvite"
/* NightOwl, in the demo set: Pending, session passed. */
#define REINVITE_BODY "{\"BookingID\": 4817263}"

typedef struct
{
  GSubprocess *sandbox;
  GPid         pid;
  char        *url;
  guint        port;
  SoupSession *session;
} Fixture;

typedef struct
{
  gboolean     limit_fds;
  rlim_t       max_fds;
} Limits;

static const Limits unlimited = { FALSE, 0 };
static const Limits limited = { TRUE, 64 };

/* In the child, between fork and exec: only async-signal-safe calls. */
static void
set_fd_limit (gpointer user_data)
{
  const Limits *limits = user_data;
  struct rlimit limit = { limits->max_fds, limits->max_fds };

  if (setrlimit (RLIMIT_NOFILE, &limit) != 0)
    _exit (126);
}

static guint
count_fds (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/fd", (int) pid);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (path, 0, &error);
  guint count = 0;

  g_assert_no_error (error);
  while (g_dir_read_name (dir) != NULL)
    count++;

  return count;
}

/* The server's ends of its connections still open (ESTABLISHED, CLOSE-WAIT). */
static guint
count_server_connections (guint port)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  guint count = 0;

  g_file_get_contents ("/proc/net/tcp", &contents, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (contents, "\n", -1);

  /* "  sl  local_address rem_address   st …": addresses as HEX_IP:HEX_PORT. */
  for (guint i = 1; lines[i] != NULL; i++)
    {
      unsigned int local_port, state;

      if (sscanf (lines[i], "%*u: %*x:%x %*x:%*x %x", &local_port, &state) != 2)
        continue;
      if (local_port == port && (state == 0x01 /* ESTABLISHED */ || state == 0x08 /* CLOSE_WAIT */))
        count++;
    }

  return count;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  const Limits *limits = data;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  const char *program = g_getenv ("PHONECHAT_SANDBOX");
  const char *port;

  g_assert_nonnull (program);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  if (limits->limit_fds)
    g_subprocess_launcher_set_child_setup (launcher, set_fd_limit, (gpointer) limits, NULL);
  f->sandbox = g_subprocess_launcher_spawn (launcher, &error, program, "--port", "0", NULL);
  g_assert_no_error (error);
  f->pid = (GPid) g_ascii_strtoll (g_subprocess_get_identifier (f->sandbox), NULL, 10);

  /* The sandbox prints its URL first, flushed: reading that line is the handshake. */
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (f->sandbox));
  f->url = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->url);
  g_assert_true (g_str_has_prefix (f->url, "http://127.0.0.1:"));
  port = f->url + strlen ("http://127.0.0.1:");
  f->port = (guint) g_ascii_strtoull (port, NULL, 10);
  g_assert_cmpuint (f->port, >, 0);

  f->session = soup_session_new ();
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&f->session);
  pc_test_drain_main_context ();

  /* SIGTERM ends the sandbox cleanly, with status 0 (and under LeakSanitizer, without a
   * leak: it would exit with another status). */
  g_subprocess_send_signal (f->sandbox, SIGTERM);
  g_subprocess_wait (f->sandbox, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (f->sandbox));
  g_assert_cmpint (g_subprocess_get_exit_status (f->sandbox), ==, 0);

  g_clear_object (&f->sandbox);
  g_clear_pointer (&f->url, g_free);
}

/* One re-invite of NightOwl on a fresh connection, closed by the client once answered.
 * Returns the HTTP status; a request left unanswered fails the test. */
static guint
reinvite_once (Fixture *f)
{
  g_autofree char *url = g_strconcat (f->url, REINVITE_PATH, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  body = g_bytes_new_static (REINVITE_BODY, strlen (REINVITE_BODY));
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                "bearer demo-token");
  soup_message_set_request_body_from_bytes (msg, "application/json", body);

  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL,
                                    pc_test_store_result_cb, &result);
  PC_TEST_WAIT_UNTIL (result != NULL);
  answer = soup_session_send_and_read_finish (f->session, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (answer);

  /* The client closes its connection; the server sees it close while idle. */
  soup_session_abort (f->session);

  return soup_message_get_status (msg);
}

/* Sends @n re-invites of the same booking: the first re-invites it, the others are
 * refused (it is no longer Pending), every one answered. Then every descriptor the
 * requests took in the sandbox must come back. */
static void
reinvite_many (Fixture *f,
               guint    n)
{
  guint fds_start = count_fds (f->pid);
  guint fds_peak = fds_start;

  g_assert_cmpuint (reinvite_once (f), ==, SOUP_STATUS_OK);
  for (guint i = 1; i < n; i++)
    {
      g_assert_cmpuint (reinvite_once (f), ==, SOUP_STATUS_BAD_REQUEST);
      fds_peak = MAX (fds_peak, count_fds (f->pid));
    }

  PC_TEST_WAIT_UNTIL (count_fds (f->pid) == fds_start);
  g_assert_cmpuint (count_server_connections (f->port), ==, 0);
  g_test_message ("sandbox fds: %u before %u requests, at most %u meanwhile, %u after",
                  fds_start, n, fds_peak, count_fds (f->pid));
}

static void
test_closed_by_client (Fixture       *f,
                       gconstpointer  data)
{
  reinvite_many (f, 200);
}

static void
test_fd_limit (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *limits_path = g_strdup_printf ("/proc/%d/limits", (int) f->pid);
  g_autofree char *limits = NULL;
  g_autoptr(GError) error = NULL;
  const char *line;

  /* The limit is in force: "Max open files            64                   64   …". */
  g_file_get_contents (limits_path, &limits, NULL, &error);
  g_assert_no_error (error);
  line = strstr (limits, "Max open files");
  g_assert_nonnull (line);
  g_assert_cmpuint (g_ascii_strtoull (line + strlen ("Max open files"), NULL, 10), ==,
                    limited.max_fds);

  /* Far more requests than descriptors. */
  reinvite_many (f, 500);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  pc_test_init_logging ();

  g_test_add ("/sandbox/connections/closed-by-client", Fixture, &unlimited,
              fixture_set_up, test_closed_by_client, fixture_tear_down);
  g_test_add ("/sandbox/connections/fd-limit", Fixture, &limited,
              fixture_set_up, test_fd_limit, fixture_tear_down);

  return g_test_run ();
}
