/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "phonechat-sandbox"

#include "config.h"

#include <locale.h>
#include <stdio.h>

#include <glib/gi18n.h>
#include <glib-unix.h>

#include "pc-booking.h"
#include "pc-clock.h"
#include "pc-json.h"
#include "pc-sandbox.h"
#include "pc-values.h"

/* phonechat-sandbox: a PhoneChat API on 127.0.0.1 for demos, tests and development. The
 * first line on stdout is its base URL, so that a script or test can start it with
 * --port 0 and read where it listens. */

/* Both signal sources stay until main() removes them. */
static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

/* The --help epilogue: the endpoints, literally, between translatable sentences. */
static char *
build_description (void)
{
  GString *text = g_string_new (NULL);

  g_string_append_printf (text, "%s\n",
                          _("API endpoints (each needs the header "
                            "“Authorization: bearer TOKEN”):"));
  g_string_append (text,
                   "  GET  /v1/account/verifyCredentials\n"
                   "  GET  /v1/PhoneChat/ReceivedBookings?PageNumber=1&BookingsPerPage=50"
                   "&OrderBy=sessiondate-desc\n"
                   "  GET  /v1/PhoneChat/ReceivedBookingDetails?BookingID=ID\n"
                   "  POST /v1/PhoneChat/ReInvite  {\"BookingID\": ID, \"Reason\": \"…\"}\n"
                   "  POST /v1/PhoneChat/AcceptReceivedBooking  {\"BookingID\": ID, \"Credits\": 8}\n"
                   "  POST /v1/PhoneChat/RejectReceivedBooking  {\"BookingID\": ID, \"Reason\": \"…\"}\n"
                   "  POST /v1/PhoneChat/CancelReceivedBooking  {\"BookingID\": ID, \"Reason\": \"…\"}\n"
                   "  POST /v1/PhoneChat/DeleteReceivedBooking  {\"BookingIDs\": \"ID,ID\"}\n");
  g_string_append_printf (text, "%s\n%s\n%s\n%s\n",
                          _("ReInvite works on a Pending booking whose SessionDate has passed, "
                            "and makes it Rejected."),
                          _("AcceptReceivedBooking works on a Pending booking whose AcceptBy and "
                            "SessionDate are ahead. RejectReceivedBooking works on a Pending "
                            "booking and needs a Reason."),
                          _("CancelReceivedBooking works on an Accepted booking whose SessionDate "
                            "has not passed and needs a Reason. DeleteReceivedBooking removes "
                            "Rejected, Cancelled and Confirmed bookings and answers with a "
                            "result per booking."),
                          _("With --no-inferred-endpoints, RejectReceivedBooking and "
                            "CancelReceivedBooking answer 404, as on a server without them."));
  g_string_append_printf (text, "%s\n\n",
                          _("Errors are JSON objects with a “Message” member."));

  /* Translators: the %s are the sandbox's OAuth client_id and client_secret. */
  g_string_append_printf (text, _("Unified Login, OAuth 2.0 (no token needed; client_id “%s”, "
                                  "client_secret “%s” or none):"),
                          PC_SANDBOX_CLIENT_ID, PC_SANDBOX_CLIENT_SECRET);
  g_string_append (text,
                   "\n"
                   "  GET  /OAuth/Authorize?response_type=code&client_id=ID"
                   "&redirect_uri=http://127.0.0.1:PORT/callback\n"
                   "       &state=STATE&code_challenge=CHALLENGE&code_challenge_method=S256\n"
                   "  POST /OAuth/token  grant_type=authorization_code&code=CODE&redirect_uri=…"
                   "&code_verifier=…\n"
                   "                     grant_type=refresh_token&refresh_token=TOKEN\n");
  g_string_append_printf (text, "%s\n\n",
                          _("Authorize signs in at once. The access tokens work on the API "
                            "endpoints for an hour; every refresh replaces the refresh token. "
                            "Errors here are OAuth’s {\"error\": \"…\"}."));

  g_string_append_printf (text, "%s\n",
                          _("Sandbox endpoints (no token needed, never faulted, not logged):"));
  g_string_append_printf (text, "  GET    /_sandbox/requests  %s\n",
                          _("every API request so far, as a JSON array of objects"));
  g_string_append (text,
                   "                             "
                   "{\"method\", \"path\", \"BookingID\", \"status\", \"fault\"}\n");
  g_string_append_printf (text, "  DELETE /_sandbox/requests  %s\n",
                          _("forget the requests received so far"));
  g_string_append_printf (text, "  GET    /_sandbox/faults    %s\n", _("the faults in force"));
  g_string_append_printf (text, "  POST   /_sandbox/faults    %s\n",
                          _("replace the faults with a JSON object, for example"));
  g_string_append (text,
                   "      {\"latency_ms\": 800, "
                   "\"status\": {\"path\": \"/v1/PhoneChat/ReInvite\", \"code\": 503,\n"
                   "       \"retry_after\": 30}, \"truncate\": true, \"drop\": true,\n"
                   "       \"reset\": \"mid-body\", \"body\": \"html\", \"times\": 1}\n");
  g_string_append_printf (text, "%s",
    _("    Any subset of the members: those left out are off, so {} clears every\n"
      "    fault. “status” may also be an array of such objects; “retry_after” adds a\n"
      "    Retry-After header. “times”: N applies the faults to the next N affected\n"
      "    requests only. “truncate” processes the request and sends half of the\n"
      "    answer; “drop” closes the connection without processing the request.\n"
      "    “reset” resets the connection (TCP RST): “before-headers” without\n"
      "    processing the request, “mid-body” after processing it and sending half\n"
      "    of the answer. “body” answers, without processing the request, with the\n"
      "    injected status (else 200) and “html” (an error page), “xml” (the API’s\n"
      "    XML sample), “wrong-shape” (JSON that is no booking), “huge-nickname”\n"
      "    (a booking whose nickname is 10 MiB) or “oversized” (9 MiB of JSON,\n"
      "    chunked)."));
  g_string_append_printf (text, "\n  POST   /_sandbox/bookings  %s\n",
                          _("a client makes a new pending booking; answers it (201)"));
  g_string_append_printf (text, "%s",
    _("    An optional JSON object body sets members by the API’s names, for example\n"
      "    {\"Duration\": 10, \"Client\": {\"Nickname\": \"shy_sam\"}}; the rest is made up."));

  return g_string_free (text, FALSE);
}

static int
usage_error (GOptionContext *context,
             const char     *message)
{
  g_printerr ("%s: %s\n", g_get_prgname (), message);
  g_printerr (_("Try “%s --help” for more information."), g_get_prgname ());
  g_printerr ("\n");
  return 2;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PcSandbox) sandbox = NULL;
  g_autoptr(PcClock) clock = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *data_file = NULL;
  g_autofree char *token = NULL;
  g_autofree char *fail_path = NULL;
  g_autofree char *now_text = NULL;
  g_autofree char *description = NULL;
  gint port = 0;
  gint latency = 0;
  gint fail_status = 0;
  gint new_booking_every = 0;
  /* G_MININT: not given (a negative count given is refused). */
  gint generate = G_MININT;
  gboolean truncate = FALSE;
  gboolean drop = FALSE;
  gboolean no_inferred = FALSE;
  gboolean version = FALSE;
  guint sigterm_id;
  guint sigint_id;
  const GOptionEntry entries[] = {
    { "port", 'p', 0, G_OPTION_ARG_INT, &port,
      N_("Listen on 127.0.0.1:PORT (default 0: any free port)"), N_("PORT") },
    { "data", 'd', 0, G_OPTION_ARG_FILENAME, &data_file,
      N_("Serve the bookings in FILE (a page envelope or a JSON array) instead of the demo "
         "bookings"),
      N_("FILE") },
    { "generate", 'g', 0, G_OPTION_ARG_INT, &generate,
      N_("Serve N generated bookings (demo bookings in every state, spread over a year) "
         "instead of the demo bookings"),
      N_("N") },
    { "token", 't', 0, G_OPTION_ARG_STRING, &token,
      N_("Accept this access token (default “demo-token”)"), N_("TOKEN") },
    { "now", 0, 0, G_OPTION_ARG_STRING, &now_text,
      N_("Freeze the sandbox’s clock at DATETIME (YYYY-MM-DDTHH:MM:SS, Europe/London unless it "
         "has an offset)"),
      N_("DATETIME") },
    { "latency", 0, 0, G_OPTION_ARG_INT, &latency,
      N_("Wait MS milliseconds before answering each API request"), N_("MS") },
    { "fail-path", 0, 0, G_OPTION_ARG_STRING, &fail_path,
      N_("Answer requests for PATH (e.g. /v1/PhoneChat/ReInvite) with --fail-status"), N_("PATH") },
    { "fail-status", 0, 0, G_OPTION_ARG_INT, &fail_status,
      N_("HTTP status for --fail-path (default 500)"), N_("CODE") },
    { "truncate", 0, 0, G_OPTION_ARG_NONE, &truncate,
      N_("Process each API request, then send only half of the answer’s body and close"), NULL },
    { "drop-connections", 0, 0, G_OPTION_ARG_NONE, &drop,
      N_("Close each API request’s connection without answering (the request is not processed)"),
      NULL },
    { "no-inferred-endpoints", 0, 0, G_OPTION_ARG_NONE, &no_inferred,
      N_("Act like a server without RejectReceivedBooking and CancelReceivedBooking, whose "
         "paths are inferred: they answer 404"),
      NULL },
    { "new-booking-every", 0, 0, G_OPTION_ARG_INT, &new_booking_every,
      N_("Make a new pending booking every SECONDS, as a client would (also: POST "
         "/_sandbox/bookings)"), N_("SECONDS") },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version,
      N_("Print the version and exit"), NULL },
    G_OPTION_ENTRY_NULL
  };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("phonechat-sandbox");

  context = g_option_context_new (NULL);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
    _("Serve the PhoneChat API on 127.0.0.1 with demo data, so that the app, its tests and "
      "newcomers can run without an account.\n"
      "\n"
      "The first line on standard output is the base URL, http://127.0.0.1:PORT. Use it with\n"
      "  PHONECHAT_API_URL=URL PHONECHAT_TOKEN=demo-token phonechat-cli list\n"
      "The sandbox stops on SIGTERM or Ctrl+C."));
  description = build_description ();
  g_option_context_set_description (context, description);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (context, error->message);

  if (version)
    {
      g_print ("%s %s\n", g_get_prgname (), PACKAGE_VERSION);
      return 0;
    }

  if (argc > 1)
    return usage_error (context, _("This program takes no arguments, only options."));
  if (generate != G_MININT && generate < 0)
    return usage_error (context, _("--generate must be 0 or more bookings."));
  if (generate >= 0 && data_file != NULL)
    return usage_error (context, _("--generate and --data cannot be used together."));
  if (port < 0 || port > G_MAXUINT16)
    return usage_error (context, _("--port must be from 0 to 65535."));
  if (latency < 0)
    return usage_error (context, _("--latency must be 0 or more milliseconds."));
  if (new_booking_every < 0)
    return usage_error (context, _("--new-booking-every must be 0 or more seconds."));
  if (fail_status != 0 && fail_path == NULL)
    return usage_error (context, _("--fail-status needs --fail-path."));
  if (fail_path != NULL && fail_path[0] != '/')
    return usage_error (context, _("--fail-path must be a path such as /v1/PhoneChat/ReInvite."));
  if (fail_path != NULL && fail_status == 0)
    fail_status = 500;
  if (fail_status != 0 && (fail_status < 100 || fail_status > 599))
    return usage_error (context, _("--fail-status must be an HTTP status from 100 to 599."));

  if (now_text != NULL)
    {
      g_autoptr(GTimeZone) zone = pc_json_get_default_zone ();
      g_autoptr(GDateTime) now = NULL;
      const char *reason = NULL;

      now = pc_datetime_parse (now_text, zone, &reason);
      if (now == NULL)
        return usage_error (context,
                            _("--now must be a date and time such as 2025-06-14T21:30:00."));
      clock = pc_clock_new_fixed (now);
    }

  sandbox = pc_sandbox_new (clock, token);

  if (data_file != NULL)
    {
      if (!pc_sandbox_load_file (sandbox, data_file, &error))
        {
          g_printerr (_("%s: Could not load bookings: %s\n"), g_get_prgname (), error->message);
          return 1;
        }
    }
  else if (generate >= 0)
    pc_sandbox_load_generated (sandbox, (guint) generate);
  else
    pc_sandbox_load_demo (sandbox);

  pc_sandbox_set_latency (sandbox, (guint) latency);
  if (fail_path != NULL)
    pc_sandbox_set_path_status (sandbox, fail_path, (guint) fail_status);
  pc_sandbox_set_truncate_bodies (sandbox, truncate);
  pc_sandbox_set_drop_connections (sandbox, drop);
  pc_sandbox_set_inferred_endpoints (sandbox, !no_inferred);
  pc_sandbox_set_new_booking_interval (sandbox, (guint) new_booking_every);

  /* Handle the signals before anyone knows where we listen: a caller may send SIGTERM as
   * soon as it has read the URL. */
  loop = g_main_loop_new (NULL, FALSE);
  sigterm_id = g_unix_signal_add (SIGTERM, quit_cb, loop);
  sigint_id = g_unix_signal_add (SIGINT, quit_cb, loop);

  if (!pc_sandbox_listen (sandbox, (guint) port, &error))
    {
      g_printerr (_("%s: Could not listen on 127.0.0.1:%d: %s\n"), g_get_prgname (), port,
                  error->message);
      return 1;
    }

  /* The URL is the first line on stdout, flushed at once: callers wait for it. */
  g_print ("%s\n", pc_sandbox_get_url (sandbox));
  fflush (stdout);

  g_printerr (g_dngettext (GETTEXT_PACKAGE,
                           "%s: serving %u booking with the token “%s”. Stop with Ctrl+C.\n",
                           "%s: serving %u bookings with the token “%s”. Stop with Ctrl+C.\n",
                           pc_sandbox_get_bookings (sandbox)->len),
              g_get_prgname (), pc_sandbox_get_bookings (sandbox)->len,
              pc_sandbox_get_token (sandbox));

  g_main_loop_run (loop);
  g_source_remove (sigterm_id);
  g_source_remove (sigint_id);

  pc_sandbox_stop (sandbox);
  return 0;
}
