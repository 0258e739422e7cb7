/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "phonechat-cli"

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib-unix.h>

#include "pc-api.h"
#include "pc-booking.h"
#include "pc-client.h"
#include "pc-clock.h"
#include "pc-config.h"
#include "pc-oauth.h"
#include "pc-outcome-log.h"
#include "pc-session.h"
#include "pc-describe.h"
#include "pc-error.h"
#include "pc-format.h"
#include "pc-json.h"
#include "pc-sandbox.h"
#include "pc-values.h"
#include "pc-utils.h"
#include "pc-booking-loader.h"
#include "pc-booking-store.h"
#include "pc-http-private.h"
#include "pc-watcher.h"

/* phonechat-cli: the PhoneChat API from a terminal or a script.
 *
 *   phonechat-cli [--api-url URL | --demo] list [--json] [--can-reinvite]
 *   phonechat-cli [--api-url URL] show ID [--json]
 *   phonechat-cli [--api-url URL] reinvite ID [--reason TEXT] [--json]
 *   phonechat-cli [--api-url URL] accept ID [--credits N] [--json]
 *   phonechat-cli [--api-url URL] reject ID --reason TEXT [--json]
 *   phonechat-cli [--api-url URL] cancel ID --reason TEXT [--json]
 *   phonechat-cli [--api-url URL] delete ID… [--json]
 *   phonechat-cli [--api-url URL | --demo] watch [--json] [--interval SECONDS]
 *
 * Exit status: 0 success, 1 the API, the network or the data failed (one line on stderr),
 * 2 a usage error, 3 the outcome is unknown: a re-invite was sent, its answer was lost,
 * and the booking did not show whether it happened (the server may still carry it out).
 * Such a booking is recorded (PcOutcomeLog, shared with the application) and `reinvite`
 * refuses it, sending nothing, until `show` or `list` reads a final state for it (or it
 * still shows pending ten minutes after the request was sent); that refusal exits 3 too,
 * since the outcome is still what is unknown. The access token comes from PHONECHAT_TOKEN or from the account that
 * `phonechat-cli login` (or the application) keeps in the keyring, never from the
 * command line, so that it never shows in `ps` or in shell history.
 *
 * accept, reject, cancel and delete follow reinvite: each request is sent once, an answer
 * lost after sending is followed by reading the booking, and an outcome that stays
 * unknown exits 3. Their unknown outcomes are not recorded in PcOutcomeLog, which keeps
 * re-invites only. */

enum
{
  EXIT_OK = 0,
  EXIT_FAILED = 1,
  EXIT_USAGE = 2,
  EXIT_OUTCOME_UNKNOWN = 3,
};

typedef enum
{
  COMMAND_LIST,
  COMMAND_SHOW,
  COMMAND_REINVITE,
  COMMAND_LOGIN,
  COMMAND_LOGOUT,
  COMMAND_WHOAMI,
  COMMAND_ACCEPT,
  COMMAND_REJECT,
  COMMAND_CANCEL,
  COMMAND_DELETE,
  COMMAND_WATCH,
} Command;

/* The columns of list's table. */
enum
{
  COLUMN_ID,
  COLUMN_CLIENT,
  COLUMN_SESSION,
  COLUMN_DURATION,
  COLUMN_CREDITS,
  COLUMN_STATUS,
  N_COLUMNS
};

typedef struct
{
  GMainLoop *loop;
  PcApi     *api;
  Command    command;
  gint64     booking_id;
  char      *reason;
  gboolean   json;
  gboolean   can_reinvite_only;
  int        exit_code;
  PcOutcomeLog *outcome_log;
  GDateTime *sent_at;
  /* list prints each page as it arrives (pc_api_stream_bookings_async()) */
  guint      n_shown;
  guint      n_reinvitable;
  gsize      widths[N_COLUMNS]; /* the table's, from its first page on */
  /* accept, reject, cancel, delete */
  gint64     credits;           /* accept --credits, or -1 for the booking's own */
  GArray    *booking_ids;       /* delete: gint64, each once */
  GCancellable *cancellable;
  /* watch: seconds between reads while bookings change (0: the watcher's default) */
  guint      interval;
} Cli;

static void
print_usage_hint (void)
{
  g_printerr (_("Usage: %s [--api-url URL] list [--json] [--can-reinvite]\n"
                "       %s [--api-url URL] show ID [--json]\n"
                "       %s [--api-url URL] reinvite ID [--reason TEXT] [--json]\n"),
              g_get_prgname (), g_get_prgname (), g_get_prgname ());
  g_printerr (_("       %s [--api-url URL] accept ID [--credits N] [--json]\n"
                "       %s [--api-url URL] reject ID --reason TEXT [--json]\n"
                "       %s [--api-url URL] cancel ID --reason TEXT [--json]\n"
                "       %s [--api-url URL] delete ID… [--json]\n"
                "       %s [--api-url URL] watch [--json] [--interval SECONDS]\n"),
              g_get_prgname (), g_get_prgname (), g_get_prgname (), g_get_prgname (),
              g_get_prgname ());
  g_printerr (_("Try “%s --help” for more information.\n"), g_get_prgname ());
}

static int
usage_error (const char *message)
{
  g_printerr ("%s: %s\n", g_get_prgname (), message);
  print_usage_hint ();
  return EXIT_USAGE;
}

/* Output ------------------------------------------------------------------------------ */

static void
print_json (JsonNode *node)
{
  g_autofree char *text = pc_json_node_to_string (node, TRUE);

  g_print ("%s\n", text);
}

/* The list's table is read by scripts as much as by people, so its dates are ISO-like
 * and on a 24-hour clock whatever the desktop's setting; everything else the CLI prints
 * uses the same words as the application (pc-describe, pc-format, pc-error). */
static char *
format_short_date (GDateTime *datetime)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (datetime);

  /* Translators: a session time in the list's table, see g_date_time_format() */
  return g_date_time_format (local, C_("cli table date", "%Y-%m-%d %H:%M"));
}

/* pc_format_date_time_full() of a booking's date, which the booking made for the call. */
static char *
format_full_take (GDateTime *datetime)
{
  g_autoptr(GDateTime) owned = datetime;

  return pc_format_date_time_full (owned);
}

static void
append_padded (GString    *line,
               const char *text,
               gsize       width,
               gboolean    right_align)
{
  gsize len = (gsize) g_utf8_strlen (text, -1);
  gsize pad = width > len ? width - len : 0;

  if (right_align)
    for (gsize i = 0; i < pad; i++)
      g_string_append_c (line, ' ');
  g_string_append (line, text);
  if (!right_align)
    for (gsize i = 0; i < pad; i++)
      g_string_append_c (line, ' ');
}

static const char *
column_header (guint column)
{
  switch (column)
    {
    /* Translators: column headings of `phonechat-cli list` */
    case COLUMN_ID: return C_("cli column", "ID");
    case COLUMN_CLIENT: return C_("cli column", "CLIENT");
    case COLUMN_SESSION: return C_("cli column", "SESSION");
    case COLUMN_DURATION: return C_("cli column", "DURATION");
    case COLUMN_CREDITS: return C_("cli column", "CREDITS");
    case COLUMN_STATUS: return C_("cli column", "STATUS");
    default: g_assert_not_reached ();
    }
}

static char **
booking_cells (PcBooking *booking)
{
  char **cells = g_new0 (char *, N_COLUMNS + 1);

  cells[COLUMN_ID] = pc_booking_id_to_string (pc_booking_get_booking_id (booking));
  cells[COLUMN_CLIENT] = pc_describe_client (booking);
  {
    g_autoptr(GDateTime) session = pc_booking_dup_session_date (booking);

    cells[COLUMN_SESSION] = format_short_date (session);
  }
  cells[COLUMN_DURATION] = pc_format_duration (pc_booking_get_duration (booking));
  cells[COLUMN_CREDITS] = pc_credits_format (pc_booking_get_credits (booking), TRUE);
  cells[COLUMN_STATUS] = pc_describe_status (booking);
  if (pc_booking_get_outcome_unknown (booking))
    {
      g_autofree char *status = g_steal_pointer (&cells[COLUMN_STATUS]);

      /* Translators: a status in `phonechat-cli list`, e.g. “Pending, re-invite
       * outcome unknown”: the answer to a re-invite was lost */
      cells[COLUMN_STATUS] = g_strdup_printf (_("%s, re-invite outcome unknown"), status);
    }

  return cells;
}

static void
print_row (Cli                *cli,
           PcBooking          *booking,
           const char * const *cells)
{
  static const gboolean right[N_COLUMNS] = { FALSE, FALSE, FALSE, TRUE, TRUE, FALSE };
  g_autoptr(GString) line = g_string_new (NULL);

  /* The marker column: which bookings can be re-invited now. */
  if (booking != NULL && pc_booking_get_can_reinvite (booking))
    {
      g_string_append (line, "* ");
      cli->n_reinvitable++;
    }
  else
    g_string_append (line, "  ");

  for (guint c = 0; c < N_COLUMNS; c++)
    {
      if (c > 0)
        g_string_append (line, "  ");
      append_padded (line, cells[c], c == N_COLUMNS - 1 ? 0 : cli->widths[c], right[c]);
    }

  g_print ("%s\n", line->str);
}

/* One page of the table. The columns are as wide as the first page needs (and its
 * headings); a wider cell on a later page widens its column from there on: the rows are
 * printed as they arrive, not held until the last page. */
static void
print_table_page (Cli       *cli,
                  GPtrArray *bookings)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  gboolean first = cli->n_shown == 0;

  if (first)
    for (guint c = 0; c < N_COLUMNS; c++)
      cli->widths[c] = (gsize) g_utf8_strlen (column_header (c), -1);

  for (guint i = 0; i < bookings->len; i++)
    {
      char **cells = booking_cells (g_ptr_array_index (bookings, i));

      for (guint c = 0; c < N_COLUMNS; c++)
        cli->widths[c] = MAX (cli->widths[c], (gsize) g_utf8_strlen (cells[c], -1));
      g_ptr_array_add (rows, cells);
    }

  if (first)
    {
      const char *headers[N_COLUMNS];

      for (guint c = 0; c < N_COLUMNS; c++)
        headers[c] = column_header (c);
      print_row (cli, NULL, headers);
    }

  for (guint i = 0; i < rows->len; i++)
    print_row (cli, g_ptr_array_index (bookings, i), g_ptr_array_index (rows, i));
}

static void
print_table_end (Cli *cli)
{
  if (cli->n_reinvitable > 0)
    {
      g_print ("\n");
      g_print (g_dngettext (GETTEXT_PACKAGE,
                            "* %u booking can be re-invited now: %s reinvite ID [--reason TEXT]\n",
                            "* %u bookings can be re-invited now: %s reinvite ID [--reason TEXT]\n",
                            cli->n_reinvitable),
               cli->n_reinvitable, g_get_prgname ());
    }
}

/* One page of the JSON array: the array is opened by the first booking and closed at the
 * end, so that the output stays one valid JSON array however many pages there are. */
static void
print_json_page (Cli       *cli,
                 GPtrArray *bookings)
{
  for (guint i = 0; i < bookings->len; i++)
    {
      g_autoptr(JsonNode) node = pc_json_booking_to_node (g_ptr_array_index (bookings, i),
                                                          pc_api_get_zone (cli->api));
      g_autofree char *text = pc_json_node_to_string (node, TRUE);
      g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
      g_autoptr(GString) out = g_string_new (cli->n_shown + i == 0 ? "[\n" : ",\n");

      for (guint l = 0; lines[l] != NULL; l++)
        {
          if (l > 0)
            g_string_append_c (out, '\n');
          g_string_append (out, "  ");
          g_string_append (out, lines[l]);
        }
      g_print ("%s", out->str);
    }
}

static void
print_json_end (Cli *cli)
{
  g_print (cli->n_shown == 0 ? "[]\n" : "\n]\n");
}

/* UK numbers read better grouped: 07700900123 → 07700 900123. Anything else as sent. */
static char *
format_phone (const char *number)
{
  gsize len;

  if (number == NULL)
    return NULL;

  len = strlen (number);
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isdigit (number[i]))
      return g_strdup (number);

  if (len == 11 && number[0] == '0')
    return g_strdup_printf ("%.5s %s", number, number + 5);

  return g_strdup (number);
}

typedef struct
{
  const char *label;
  char       *value;
} Field;

static void
add_field (GArray     *fields,
           const char *label,
           char       *value)
{
  Field field = { label, value };

  g_array_append_val (fields, field);
}

static void
clear_field (gpointer data)
{
  g_free (((Field *) data)->value);
}

static void
print_fields (GArray *fields)
{
  gsize width = 0;

  for (guint i = 0; i < fields->len; i++)
    width = MAX (width, (gsize) g_utf8_strlen (g_array_index (fields, Field, i).label, -1));

  for (guint i = 0; i < fields->len; i++)
    {
      Field *field = &g_array_index (fields, Field, i);
      g_autoptr(GString) line = g_string_new ("  ");
      /* Translators: shown in `phonechat-cli show` for a member that has no value */
      const char *value = field->value != NULL ? field->value : C_("cli value", "—");
      g_auto(GStrv) lines = g_strsplit (value, "\n", -1);

      g_string_append (line, field->label);
      g_string_append_c (line, ':');
      for (gsize pad = (gsize) g_utf8_strlen (field->label, -1); pad < width + 2; pad++)
        g_string_append_c (line, ' ');
      g_string_append (line, lines[0]);
      /* Multi-line comments stay under their column. */
      for (guint l = 1; lines[l] != NULL; l++)
        {
          g_string_append_c (line, '\n');
          for (gsize pad = 0; pad < width + 5; pad++)
            g_string_append_c (line, ' ');
          g_string_append (line, lines[l]);
        }

      g_print ("%s\n", line->str);
    }
}

static void
print_booking (PcBooking *booking)
{
  g_autoptr(GArray) fields = g_array_new (FALSE, FALSE, sizeof (Field));
  PcClient *client = pc_booking_get_client (booking);
  const char *blocker = pc_booking_get_reinvite_blocker_text (booking);
  g_autofree char *method = NULL;
  g_autofree char *id = NULL;

  g_array_set_clear_func (fields, clear_field);

  if (pc_booking_get_method (booking) == PC_CALL_METHOD_UNKNOWN)
    method = g_strdup_printf ("%s (%d)", pc_call_method_get_label (PC_CALL_METHOD_UNKNOWN),
                              pc_booking_get_method_code (booking));
  else
    method = g_strdup (pc_call_method_get_label (pc_booking_get_method (booking)));

  id = pc_booking_id_to_string (pc_booking_get_booking_id (booking));
  /* Translators: the heading of `phonechat-cli show`; %s is the booking's id */
  g_print (_("Booking %s\n"), id);

  add_field (fields, _("Status"), pc_describe_status (booking));
  add_field (fields, _("Re-invite"),
             blocker == NULL ? g_strdup (_("Possible now")) : g_strdup (blocker));
  add_field (fields, _("Session"),
             format_full_take (pc_booking_dup_session_date (booking)));
  add_field (fields, _("Duration"), pc_format_duration (pc_booking_get_duration (booking)));
  add_field (fields, _("Credits"), pc_format_credits (pc_booking_get_credits (booking)));
  add_field (fields, _("Call method"), g_steal_pointer (&method));
  add_field (fields, _("Phone number"), format_phone (pc_booking_get_phone_number (booking)));
  add_field (fields, _("Skype name"), g_strdup (pc_booking_get_skype_name (booking)));
  add_field (fields, _("Created"), format_full_take (pc_booking_dup_create_date (booking)));
  add_field (fields, _("Accept by"), format_full_take (pc_booking_dup_accept_by (booking)));
  add_field (fields, _("Accepted"),
             format_full_take (pc_booking_dup_accepted_date (booking)));
  add_field (fields, _("Confirmed"),
             format_full_take (pc_booking_dup_confirmed_date (booking)));
  add_field (fields, _("Cancelled"),
             format_full_take (pc_booking_dup_cancelled_date (booking)));
  add_field (fields, _("Cancelled by"), g_strdup (pc_booking_get_cancelled_by (booking)));
  add_field (fields, _("Cancellation reason"),
             g_strdup (pc_booking_get_cancelled_reason (booking)));
  add_field (fields, _("Rejection reason"), g_strdup (pc_booking_get_rejected_reason (booking)));
  add_field (fields, _("Last updated"),
             format_full_take (pc_booking_dup_last_updated (booking)));
  add_field (fields, _("Comments"), g_strdup (pc_booking_get_comments (booking)));
  add_field (fields, _("Next step"), pc_format_next_step (pc_booking_get_action_candidate (booking)));

  add_field (fields, _("Client"), pc_describe_client (booking));
  add_field (fields, _("Client user ID"),
             g_strdup_printf ("%" G_GINT64_FORMAT, pc_client_get_user_id (client)));
  add_field (fields, _("Client phone"), format_phone (pc_client_get_phone_number (client)));
  add_field (fields, _("Client Skype"), g_strdup (pc_client_get_skype_name (client)));
  add_field (fields, _("Client ratings"),
             /* Translators: the client's rating counts */
             g_strdup_printf (_("%d positive, %d neutral, %d negative (total %d, ratings %d)"),
                              pc_client_get_positive (client), pc_client_get_neutral (client),
                              pc_client_get_negative (client), pc_client_get_total (client),
                              pc_client_get_ratings (client)));
  add_field (fields, _("Client disputes"),
             g_strdup_printf ("%d", pc_client_get_disputes (client)));

  print_fields (fields);
}

/* Commands ---------------------------------------------------------------------------- */

/* A read of @booking may show what became of a re-invite whose answer was lost: the
 * record shared with the application follows it. */
static void
apply_read (Cli       *cli,
            PcBooking *booking)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  pc_outcome_log_apply_read (cli->outcome_log, booking, now);
}

static void
save_outcome_log (Cli *cli)
{
  g_autoptr(GError) error = NULL;

  if (!pc_outcome_log_save (cli->outcome_log, &error))
    /* Translators: %s is the file, then why it could not be written */
    g_printerr (_("%s: Could not record which re-invites have an unknown outcome in %s: %s\n"),
                g_get_prgname (), pc_outcome_log_get_path (cli->outcome_log), error->message);
}

/* One line on stderr, in the words the application uses for the same error: what
 * happened and what to do, then the API's own message in parentheses. */
static void
fail (Cli          *cli,
      const GError *error,
      PcErrorTask   task)
{
  g_autofree char *line = pc_error_dup_line (error, task);

  g_printerr ("%s: %s\n", g_get_prgname (), line);
  cli->exit_code = EXIT_FAILED;
}

/* Each page as it arrives: its bookings are printed, then let go. */
static void
list_page_cb (PcApi          *api,
              PcReceivedPage *page,
              gpointer        user_data)
{
  Cli *cli = user_data;
  g_autoptr(GPtrArray) shown = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < page->bookings->len; i++)
    apply_read (cli, g_ptr_array_index (page->bookings, i));
  save_outcome_log (cli);

  for (guint i = 0; i < page->bookings->len; i++)
    {
      PcBooking *booking = g_ptr_array_index (page->bookings, i);

      if (!cli->can_reinvite_only || pc_booking_get_can_reinvite (booking))
        g_ptr_array_add (shown, g_object_ref (booking));
    }

  if (cli->json)
    print_json_page (cli, shown);
  else if (shown->len > 0)
    print_table_page (cli, shown);
  cli->n_shown += shown->len;
}

static void
list_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Cli *cli = user_data;
  g_autoptr(GError) error = NULL;

  if (pc_api_stream_bookings_finish (PC_API (source), result, &error) < 0)
    {
      /* What was printed stays, and JSON output stays a whole array. */
      if (cli->json && cli->n_shown > 0)
        print_json_end (cli);
      fail (cli, error, PC_ERROR_TASK_LOAD_BOOKINGS);
      g_main_loop_quit (cli->loop);
      return;
    }

  if (cli->json)
    print_json_end (cli);
  else if (cli->n_shown == 0)
    g_print ("%s\n", cli->can_reinvite_only ? _("No booking can be re-invited now.")
                                            : _("No bookings."));
  else
    print_table_end (cli);

  cli->exit_code = EXIT_OK;
  g_main_loop_quit (cli->loop);
}

/* One booking with the API's member names, as the server sent it. */
static void
print_booking_json (Cli       *cli,
                    PcBooking *booking)
{
  g_autoptr(JsonNode) node = pc_json_booking_to_node (booking, pc_api_get_zone (cli->api));

  print_json (node);
}

/* The end of show and reinvite: the booking as the server has it now, or why not. */
static void
report_booking (Cli          *cli,
                PcBooking    *booking,
                const GError *error,
                PcErrorTask   task)
{
  if (booking == NULL)
    {
      fail (cli, error, task);
      if (task == PC_ERROR_TASK_REINVITE &&
          g_error_matches (error, PC_API_ERROR, PC_API_ERROR_OUTCOME_UNKNOWN))
        {
          g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

          /* The server may still carry it out: never send it again until a read shows.
           * The settle window counts from now, when the answer was given up on. */
          pc_outcome_log_mark (cli->outcome_log, cli->booking_id, now);
          save_outcome_log (cli);
          cli->exit_code = EXIT_OUTCOME_UNKNOWN;
        }
      else if (task == PC_ERROR_TASK_REINVITE)
        {
          /* A definite answer: the mark made before sending goes. */
          pc_outcome_log_clear (cli->outcome_log, cli->booking_id);
          save_outcome_log (cli);
        }
    }
  else
    {
      apply_read (cli, booking);
      save_outcome_log (cli);

      if (cli->json)
        print_booking_json (cli, booking);
      else if (task == PC_ERROR_TASK_REINVITE)
        {
          g_autofree char *id = pc_booking_id_to_string (pc_booking_get_booking_id (booking));
          g_autofree char *who = pc_describe_client (booking);
          g_autofree char *status = pc_describe_status (booking);

          /* Translators: the client's nickname, the booking's id, its new status */
          g_print (_("Re-invited %s (booking %s). Status: %s.\n"), who, id, status);
        }
      else
        print_booking (booking);

      cli->exit_code = EXIT_OK;
    }

  g_main_loop_quit (cli->loop);
}

static void
show_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PcBooking) booking = pc_api_get_booking_finish (PC_API (source), result, &error);

  report_booking (user_data, booking, error, PC_ERROR_TASK_LOAD_BOOKING);
}

static void
reinvite_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Cli *cli = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PcBooking) booking = pc_api_reinvite_finish (PC_API (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *id = pc_booking_id_to_string (cli->booking_id);

      if (pc_api_reinvite_was_sent (result))
        {
          g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

          /* The server has the request: stopping cannot take it back. */
          g_printerr (/* Translators: %s is the program, then a BookingID three times */
                      _("%s: Interrupted after the re-invite of booking %s was sent: the "
                        "server may still carry it out. Run “%s show %s” to see whether it "
                        "happened.\n"),
                      g_get_prgname (), id, g_get_prgname (), id);
          pc_outcome_log_mark (cli->outcome_log, cli->booking_id, now);
          cli->exit_code = EXIT_OUTCOME_UNKNOWN;
        }
      else
        {
          /* Translators: %s is the program, then a BookingID */
          g_printerr (_("%s: Interrupted: booking %s was not re-invited.\n"),
                      g_get_prgname (), id);
          pc_outcome_log_clear (cli->outcome_log, cli->booking_id);
          cli->exit_code = EXIT_FAILED;
        }
      save_outcome_log (cli);
      g_main_loop_quit (cli->loop);
      return;
    }

  report_booking (cli, booking, error, PC_ERROR_TASK_REINVITE);
}

static gboolean
parse_booking_id (const char *text,
                  gint64     *out)
{
  return g_ascii_string_to_signed (text, 10, 1, G_MAXINT64, out, NULL);
}

static gboolean
looks_like_number (const char *text)
{
  if (*text == '-' || *text == '+')
    text++;

  return g_ascii_isdigit (*text);
}

static void
whoami_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Cli *cli = user_data;
  g_autoptr(GError) error = NULL;
  gint64 user_id = 0;

  if (!pc_api_verify_credentials_finish (PC_API (source), result, &user_id, &error))
    fail (cli, error, PC_ERROR_TASK_LOAD_BOOKINGS);
  else
    {
      g_autofree char *user = g_strdup_printf ("%" G_GINT64_FORMAT, user_id);

      /* Translators: the first %s is a user ID, the second a server's address */
      g_print (_("Signed in as user %s on %s.\n"), user, pc_api_get_base_url (PC_API (source)));
      cli->exit_code = EXIT_OK;
    }

  g_main_loop_quit (cli->loop);
}

/* accept, reject, cancel and delete ----------------------------------------------------- */

/* The status a booking has while accept, reject or cancel is on its way, which a read
 * proves nothing by; PC_BOOKING_STATUS_UNKNOWN for delete, which is not recorded (it
 * names several bookings, each from its own status). */
static PcBookingStatus
action_from_status (Cli *cli)
{
  switch (cli->command)
    {
    case COMMAND_ACCEPT:
    case COMMAND_REJECT:
      return PC_BOOKING_STATUS_PENDING;
    case COMMAND_CANCEL:
      return PC_BOOKING_STATUS_ACCEPTED;
    case COMMAND_DELETE:
    case COMMAND_LIST:
    case COMMAND_SHOW:
    case COMMAND_REINVITE:
    case COMMAND_WATCH:
    case COMMAND_LOGIN:
    case COMMAND_LOGOUT:
    case COMMAND_WHOAMI:
    default:
      return PC_BOOKING_STATUS_UNKNOWN;
    }
}

/* Like the re-invite's: recorded before the request leaves, so that the next command
 * knows one may be under way should this process end first, and cleared again by a
 * definite answer. @at: when, for the settle window. */
static void
mark_action (Cli       *cli,
             GDateTime *at)
{
  PcBookingStatus from = action_from_status (cli);

  if (from == PC_BOOKING_STATUS_UNKNOWN)
    return;
  pc_outcome_log_mark_from (cli->outcome_log, cli->booking_id, at, from);
  save_outcome_log (cli);
}

static void
clear_action_mark (Cli *cli)
{
  if (action_from_status (cli) == PC_BOOKING_STATUS_UNKNOWN)
    return;
  pc_outcome_log_clear (cli->outcome_log, cli->booking_id);
  save_outcome_log (cli);
}

/* One line on stderr as for re-invites; an outcome that stays unknown exits 3. */
static void
fail_action (Cli          *cli,
             const GError *error)
{
  fail (cli, error, PC_ERROR_TASK_BOOKING_ACTION);
  if (g_error_matches (error, PC_API_ERROR, PC_API_ERROR_OUTCOME_UNKNOWN))
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

      /* The settle window counts from now, when the answer was given up on. */
      mark_action (cli, now);
      cli->exit_code = EXIT_OUTCOME_UNKNOWN;
    }
  else
    clear_action_mark (cli);
}

/* Ctrl+C while an action was on its way: whether the request had gone decides. */
static void
report_interrupted (Cli          *cli,
                    GAsyncResult *result)
{
  g_autofree char *ids = NULL;

  if (cli->command == COMMAND_DELETE)
    {
      g_autoptr(GString) text = g_string_new (NULL);

      for (guint i = 0; i < cli->booking_ids->len; i++)
        {
          gint64 booking_id = g_array_index (cli->booking_ids, gint64, i);
          g_autofree char *id = pc_booking_id_to_string (booking_id);

          g_string_append_printf (text, "%s%s", i > 0 ? ", " : "", id);
        }
      ids = g_string_free (g_steal_pointer (&text), FALSE);
    }
  else
    ids = pc_booking_id_to_string (cli->booking_id);

  if (pc_api_action_was_sent (result))
    {
      g_printerr (/* Translators: %s is the program, one or more BookingIDs, the program */
                  _("%s: Interrupted after the request about %s was sent: the server may still "
                    "carry it out. Run “%s show ID” to see whether it happened.\n"),
                  g_get_prgname (), ids, g_get_prgname ());
      {
        g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

        mark_action (cli, now);
      }
      cli->exit_code = EXIT_OUTCOME_UNKNOWN;
    }
  else
    {
      /* Translators: %s is the program, then one or more BookingIDs */
      g_printerr (_("%s: Interrupted: nothing was sent about %s.\n"), g_get_prgname (), ids);
      clear_action_mark (cli);
      cli->exit_code = EXIT_FAILED;
    }
}

/* The end of accept, reject and cancel: the booking as the server now has it. */
static void
report_action_booking (Cli          *cli,
                       GAsyncResult *result,
                       PcBooking    *booking,
                       const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    report_interrupted (cli, result);
  else if (booking == NULL)
    fail_action (cli, error);
  else
    {
      g_autofree char *id = pc_booking_id_to_string (pc_booking_get_booking_id (booking));
      g_autofree char *who = pc_describe_client (booking);
      g_autofree char *status = pc_describe_status (booking);

      apply_read (cli, booking);
      save_outcome_log (cli);

      if (cli->json)
        print_booking_json (cli, booking);
      else if (cli->command == COMMAND_ACCEPT)
        {
          g_autofree char *credits = pc_format_credits (pc_booking_get_credits (booking));

          /* Translators: the client's nickname, the booking's id, the agreed credits (“8.00
           * credits”), its new status */
          g_print (_("Accepted %s (booking %s) for %s. Status: %s.\n"), who, id, credits, status);
        }
      else if (cli->command == COMMAND_REJECT)
        /* Translators: the client's nickname, the booking's id, its new status */
        g_print (_("Rejected %s (booking %s). Status: %s.\n"), who, id, status);
      else
        /* Translators: the client's nickname, the booking's id, its new status */
        g_print (_("Cancelled %s (booking %s). Status: %s.\n"), who, id, status);

      cli->exit_code = EXIT_OK;
    }

  g_main_loop_quit (cli->loop);
}

static void
accept_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PcBooking) booking = pc_api_accept_finish (PC_API (source), result, &error);

  report_action_booking (user_data, result, booking, error);
}

static void
reject_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PcBooking) booking = pc_api_reject_finish (PC_API (source), result, &error);

  report_action_booking (user_data, result, booking, error);
}

static void
cancel_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PcBooking) booking = pc_api_cancel_finish (PC_API (source), result, &error);

  report_action_booking (user_data, result, booking, error);
}

/* accept without --credits: the booking's own Credits, read first (the API's accept
 * takes the amount; the same one means no change for the client). */
static void
accept_read_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Cli *cli = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PcBooking) booking = pc_api_get_booking_finish (PC_API (source), result, &error);

  if (booking == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *id = pc_booking_id_to_string (cli->booking_id);

          g_printerr (_("%s: Interrupted: nothing was sent about %s.\n"), g_get_prgname (), id);
          cli->exit_code = EXIT_FAILED;
        }
      else
        fail (cli, error, PC_ERROR_TASK_LOAD_BOOKING);
      g_main_loop_quit (cli->loop);
      return;
    }

  mark_action (cli, cli->sent_at);
  pc_api_accept_async (cli->api, cli->booking_id, pc_booking_get_credits (booking),
                       cli->cancellable, accept_done_cb, cli);
}

static void
delete_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Cli *cli = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) results = pc_api_delete_finish (PC_API (source), result, &error);
  guint n_kept = 0;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    report_interrupted (cli, result);
  else if (results == NULL)
    fail_action (cli, error);
  else
    {
      if (cli->json)
        {
          g_autoptr(JsonNode) node = pc_json_delete_results_to_node (results);

          print_json (node);
        }

      for (guint i = 0; i < results->len; i++)
        {
          PcDeleteResult *r = g_ptr_array_index (results, i);
          g_autofree char *id = pc_booking_id_to_string (r->booking_id);

          n_kept += !r->deleted;
          if (cli->json)
            continue;
          if (r->deleted)
            /* Translators: %s is a BookingID */
            g_print (_("Booking %s: deleted.\n"), id);
          else if (r->message != NULL && *r->message != '\0')
            /* Translators: a BookingID, then the server's explanation, as it sent it */
            g_print (_("Booking %s: not deleted: %s\n"), id, r->message);
          else
            /* Translators: %s is a BookingID */
            g_print (_("Booking %s: not deleted; the server did not say why.\n"), id);
        }

      if (n_kept > 0)
        {
          g_printerr (g_dngettext (GETTEXT_PACKAGE,
                                   "%s: %u of %u bookings was not deleted.\n",
                                   "%s: %u of %u bookings were not deleted.\n", n_kept),
                      g_get_prgname (), n_kept, results->len);
          cli->exit_code = EXIT_FAILED;
        }
      else
        cli->exit_code = EXIT_OK;
    }

  g_main_loop_quit (cli->loop);
}

/* Sends accept, reject, cancel or delete, once. */
static void
start_action (Cli *cli)
{
  cli->sent_at = g_date_time_new_now_utc ();
  if (cli->command != COMMAND_ACCEPT || cli->credits >= 0)
    mark_action (cli, cli->sent_at);

  switch (cli->command)
    {
    case COMMAND_ACCEPT:
      if (cli->credits >= 0)
        pc_api_accept_async (cli->api, cli->booking_id, cli->credits, cli->cancellable,
                             accept_done_cb, cli);
      else
        pc_api_get_booking_async (cli->api, cli->booking_id, cli->cancellable, accept_read_cb,
                                  cli);
      break;
    case COMMAND_REJECT:
      pc_api_reject_async (cli->api, cli->booking_id, cli->reason, cli->cancellable,
                           reject_done_cb, cli);
      break;
    case COMMAND_CANCEL:
      pc_api_cancel_async (cli->api, cli->booking_id, cli->reason, cli->cancellable,
                           cancel_done_cb, cli);
      break;
    case COMMAND_DELETE:
      pc_api_delete_async (cli->api, (const gint64 *) (gpointer) cli->booking_ids->data,
                           cli->booking_ids->len, cli->cancellable, delete_done_cb, cli);
      break;
    case COMMAND_LIST:
    case COMMAND_SHOW:
    case COMMAND_REINVITE:
    case COMMAND_WATCH:
    case COMMAND_LOGIN:
    case COMMAND_LOGOUT:
    case COMMAND_WHOAMI:
    default:
      g_assert_not_reached ();
    }
}

/* Parses accept, reject, cancel and delete's arguments and options; returns a usage
 * error's exit status, or EXIT_OK. */
static int
parse_action_arguments (Cli         *cli,
                        int          argc,
                        char       **argv,
                        const char  *credits,
                        const char  *reason)
{
  const char *command_name = argv[1];
  g_autofree char *stripped = NULL;

  if (credits != NULL && cli->command != COMMAND_ACCEPT)
    return usage_error (_("--credits only goes with “accept”."));
  cli->credits = -1;
  if (credits != NULL && !pc_credits_parse (credits, &cli->credits))
    return usage_error (_("--credits takes an amount such as 8 or 12.50 (at most four "
                          "decimals)."));

  if ((cli->command == COMMAND_REJECT || cli->command == COMMAND_CANCEL) &&
      (reason == NULL || *(stripped = g_strstrip (g_strdup (reason))) == '\0'))
    {
      g_autofree char *message = NULL;

      /* Translators: %s is the command, reject or cancel */
      message = g_strdup_printf (_("“%s” needs a reason for the client: the server requires "
                                   "one (--reason TEXT)."), command_name);
      return usage_error (message);
    }

  if (cli->command != COMMAND_DELETE)
    return EXIT_OK;

  cli->booking_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (int i = 2; i < argc; i++)
    {
      gint64 id;

      if (!parse_booking_id (argv[i], &id))
        {
          g_autofree char *message = NULL;

          message = g_strdup_printf (_("“%s” is not a booking ID: it must be a whole number "
                                       "greater than 0."), argv[i]);
          return usage_error (message);
        }
      for (guint j = 0; j < cli->booking_ids->len; j++)
        if (g_array_index (cli->booking_ids, gint64, j) == id)
          {
            g_autofree char *message = NULL;

            message = g_strdup_printf (_("Booking %s is named twice."), argv[i]);
            return usage_error (message);
          }
      g_array_append_val (cli->booking_ids, id);
    }

  if (cli->booking_ids->len == 0)
    return usage_error (_("“delete” needs one or more booking IDs."));

  return EXIT_OK;
}

/* A re-invite of the booking was sent before, its answer was lost, and no read has shown
 * what happened since: sending another could invite the client twice. */
static gboolean
refuse_unknown_outcome (Cli *cli)
{
  g_autoptr(GDateTime) sent_at = NULL;
  g_autofree char *id = NULL;

  if (cli->command == COMMAND_DELETE)
    return FALSE;

  sent_at = pc_outcome_log_lookup (cli->outcome_log, cli->booking_id);
  if (sent_at == NULL)
    return FALSE;

  id = pc_booking_id_to_string (cli->booking_id);
  if (cli->command == COMMAND_REINVITE)
    g_printerr (/* Translators: %s is the program, then a BookingID three times */
                _("%s: Booking %s was not re-invited: the outcome of its last re-invite is not "
                  "known yet, and the server may still carry it out. Run “%s show %s” to see "
                  "whether it happened.\n"),
                g_get_prgname (), id, g_get_prgname (), id);
  else
    g_printerr (/* Translators: %s is the program, then a BookingID three times */
                _("%s: Nothing was sent about booking %s: the outcome of the last request "
                  "about it is not known yet, and the server may still carry it out. Run "
                  "“%s show %s” to see whether it happened.\n"),
                g_get_prgname (), id, g_get_prgname (), id);
  cli->exit_code = EXIT_OUTCOME_UNKNOWN;
  return TRUE;
}

static gboolean
interrupted_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_CONTINUE;
}

/* watch: the live updates of the application, as lines ------------------------------- */

/* The schedule for a server on this computer, in seconds. */
#define WATCH_LOCAL_BASE_INTERVAL 2
#define WATCH_LOCAL_MAX_INTERVAL  60

typedef struct
{
  Cli       *cli;
  PcWatcher *watcher;
  gboolean   announced; /* the baseline was read */
} Watch;

/* Server text in a line of its own: a line break in it must not start another. */
static char *
one_line (const char *text)
{
  char *copy = g_strdup (text != NULL ? text : "");

  return g_strdelimit (copy, "\n\r\t\v\f", ' ');
}

/* One JSON object on one line: {"Event", "BookingID", …}. */
static void
print_watch_json (Watch           *watch,
                  const char      *event,
                  gint64           booking_id,
                  PcBooking       *booking,
                  PcBookingStatus  old_status)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  JsonObject *object = json_object_new ();
  g_autofree char *text = NULL;

  json_object_set_string_member (object, "Event", event);
  json_object_set_int_member (object, "BookingID", booking_id);
  if (old_status != PC_BOOKING_STATUS_UNKNOWN)
    json_object_set_string_member (object, "OldStatus", pc_booking_status_to_string (old_status));
  if (booking != NULL)
    {
      json_object_set_string_member (object, "Status", pc_booking_get_status_text (booking));
      json_object_set_member (object, "Booking",
                              pc_json_booking_to_node (booking, pc_api_get_zone (watch->cli->api)));
    }
  json_node_take_object (node, object);

  text = pc_json_node_to_string (node, FALSE);
  g_print ("%s\n", text);
}

static void
watch_added_cb (PcWatcher *watcher,
                PcBooking *booking,
                Watch     *watch)
{
  gint64 booking_id = pc_booking_get_booking_id (booking);
  g_autofree char *id = NULL;
  g_autofree char *nickname = NULL;
  g_autofree char *duration = NULL;
  g_autofree char *session = NULL;
  g_autofree char *accept_by = NULL;

  if (watch->cli->json)
    {
      print_watch_json (watch, "added", booking_id, booking, PC_BOOKING_STATUS_UNKNOWN);
      return;
    }

  id = pc_booking_id_to_string (booking_id);
  nickname = one_line (pc_client_get_nickname (pc_booking_get_client (booking)));
  duration = pc_format_duration (pc_booking_get_duration (booking));
  session = pc_describe_session (booking, PC_SESSION_FORM_BRIEF);
  accept_by = pc_describe_accept_by (booking);

  if (accept_by != NULL)
    /* Translators: a line of `phonechat-cli watch`: a BookingID, the client's nickname, a
     * duration (“10 minutes”), the session's date and time (“Fri 27 Nov, 10:00”), then
     * the time it must be accepted by (“09:00”) */
    g_print (_("new booking %s: %s, %s on %s, accept by %s\n"), id, nickname, duration,
             session != NULL ? session : "?", accept_by);
  else
    /* Translators: as “new booking %s: %s, %s on %s, accept by %s”, without the last */
    g_print (_("new booking %s: %s, %s on %s\n"), id, nickname, duration,
             session != NULL ? session : "?");
}

static void
watch_changed_cb (PcWatcher       *watcher,
                  PcBooking       *booking,
                  PcBookingStatus  old_status,
                  PcBookingStatus  new_status,
                  Watch           *watch)
{
  gint64 booking_id = pc_booking_get_booking_id (booking);
  g_autofree char *id = NULL;

  if (watch->cli->json)
    {
      print_watch_json (watch, "changed", booking_id, booking, old_status);
      return;
    }

  id = pc_booking_id_to_string (booking_id);
  /* Translators: a line of `phonechat-cli watch`: a BookingID, its status before and now,
   * as in “booking 123: Pending → Accepted” */
  g_print (_("booking %s: %s → %s\n"), id, pc_booking_status_get_label (old_status),
           pc_booking_status_get_label (new_status));
}

static void
watch_removed_cb (PcWatcher *watcher,
                  gint64     booking_id,
                  Watch     *watch)
{
  g_autofree char *id = NULL;

  if (watch->cli->json)
    {
      print_watch_json (watch, "removed", booking_id, NULL, PC_BOOKING_STATUS_UNKNOWN);
      return;
    }

  id = pc_booking_id_to_string (booking_id);
  /* Translators: a line of `phonechat-cli watch`: the server no longer lists a booking */
  g_print (_("booking %s: no longer listed\n"), id);
}

static gboolean
error_needs_sign_in (const GError *error)
{
  PcErrorKind kind;

  pc_error_describe (error, PC_ERROR_TASK_LOAD_BOOKINGS, &kind, NULL, NULL);
  return kind == PC_ERROR_KIND_AUTH ||
         g_error_matches (error, PC_API_ERROR, PC_API_ERROR_NO_TOKEN) ||
         g_error_matches (error, PC_API_ERROR, PC_API_ERROR_INSECURE);
}

static void
watch_read_cb (PcWatcher    *watcher,
               const GError *error,
               Watch        *watch)
{
  Cli *cli = watch->cli;
  guint delay = pc_watcher_get_next_delay (watcher);

  if (error == NULL)
    {
      if (!watch->announced)
        {
          guint n = g_list_model_get_n_items (G_LIST_MODEL (pc_booking_loader_get_store (pc_watcher_get_loader (watcher))));

          watch->announced = TRUE;
          /* Translators: on stderr when `phonechat-cli watch` has read the bookings once */
          g_printerr (g_dngettext (GETTEXT_PACKAGE,
                                   "%s: Watching %u booking; Ctrl+C stops.\n",
                                   "%s: Watching %u bookings; Ctrl+C stops.\n", n),
                      g_get_prgname (), n);
        }
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* Reading again will not help. */
  if (error_needs_sign_in (error))
    {
      fail (cli, error, PC_ERROR_TASK_LOAD_BOOKINGS);
      g_main_loop_quit (cli->loop);
      return;
    }

  {
    g_autofree char *line = pc_error_dup_line (error, PC_ERROR_TASK_LOAD_BOOKINGS);

    g_printerr ("%s: %s\n", g_get_prgname (), line);
    if (delay > 0)
      g_printerr (g_dngettext (GETTEXT_PACKAGE,
                               "%s: Trying again in %u second.\n",
                               "%s: Trying again in %u seconds.\n", delay),
                  g_get_prgname (), delay);
  }
}

static void
watch_online_cb (PcWatcher  *watcher,
                 GParamSpec *pspec,
                 Watch      *watch)
{
  if (pc_watcher_get_online (watcher))
    g_printerr (_("%s: Back online: reading the bookings again.\n"), g_get_prgname ());
  else
    g_printerr (_("%s: Offline: waiting for the network.\n"), g_get_prgname ());
}

static gboolean
watch_interrupted_cb (gpointer user_data)
{
  Cli *cli = user_data;

  cli->exit_code = EXIT_OK;
  g_main_loop_quit (cli->loop);
  return G_SOURCE_CONTINUE;
}

/* Runs the watcher until SIGINT or SIGTERM (exit 0), or until the server wants another
 * sign-in (exit 1). Each change is one line on stdout. */
static void
run_watch (Cli   *cli,
           PcApi *api)
{
  g_autoptr(PcClock) clock = pc_clock_new_system ();
  g_autoptr(PcBookingStore) store = pc_booking_store_new (clock);
  g_autoptr(PcBookingLoader) loader = pc_booking_loader_new (api, store);
  g_autoptr(GUri) uri = g_uri_parse (pc_api_get_base_url (api), G_URI_FLAGS_NONE, NULL);
  g_autoptr(PcWatcher) watcher = NULL;
  Watch watch = { cli, NULL, FALSE };
  gboolean local;
  guint sigint_id;
  guint sigterm_id;

  local = uri != NULL && _pc_http_host_is_loopback (g_uri_get_host (uri));

  /* A server on this computer (phonechat-sandbox, --demo) is there whatever the network
   * does, and costs nothing to ask: it is read often. */
  watcher = pc_watcher_new (loader, local ? NULL : g_network_monitor_get_default ());
  watch.watcher = watcher;
  if (cli->interval > 0)
    {
      pc_watcher_set_base_interval (watcher, cli->interval);
      pc_watcher_set_max_interval (watcher, MAX (cli->interval, PC_WATCHER_DEFAULT_MAX_INTERVAL));
    }
  else if (local)
    {
      pc_watcher_set_base_interval (watcher, WATCH_LOCAL_BASE_INTERVAL);
      pc_watcher_set_max_interval (watcher, WATCH_LOCAL_MAX_INTERVAL);
    }

  g_signal_connect (watcher, "booking-added", G_CALLBACK (watch_added_cb), &watch);
  g_signal_connect (watcher, "booking-changed", G_CALLBACK (watch_changed_cb), &watch);
  g_signal_connect (watcher, "booking-removed", G_CALLBACK (watch_removed_cb), &watch);
  g_signal_connect (watcher, "read-finished", G_CALLBACK (watch_read_cb), &watch);
  g_signal_connect (watcher, "notify::online", G_CALLBACK (watch_online_cb), &watch);

  cli->exit_code = EXIT_OK;
  sigint_id = g_unix_signal_add (SIGINT, watch_interrupted_cb, cli);
  sigterm_id = g_unix_signal_add (SIGTERM, watch_interrupted_cb, cli);

  if (!pc_watcher_get_online (watcher))
    watch_online_cb (watcher, NULL, &watch);
  pc_watcher_start (watcher);
  g_main_loop_run (cli->loop);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  g_signal_handlers_disconnect_by_data (watcher, &watch);
  pc_watcher_stop (watcher);
  pc_booking_loader_cancel (loader);
}

/* Runs the command with @api to its end. */
static void
run_command (Cli   *cli,
             PcApi *api)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(PcOutcomeLog) outcome_log = pc_outcome_log_new (NULL, pc_api_get_base_url (api));
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  guint sigint_id = 0;
  guint sigterm_id = 0;

  cli->loop = loop;
  cli->api = api;
  cli->exit_code = EXIT_FAILED;
  cli->outcome_log = outcome_log;
  if (!pc_outcome_log_load (outcome_log, &error))
    {
      /* Translators: %s is the program, the file, then why it could not be read */
      g_printerr (_("%s: Could not read the record of re-invites of unknown outcome %s: %s\n"),
                  g_get_prgname (), pc_outcome_log_get_path (outcome_log), error->message);
      /* Whether a request about the booking is under way is not known: send none. */
      if (cli->command == COMMAND_REINVITE || cli->command == COMMAND_ACCEPT ||
          cli->command == COMMAND_REJECT || cli->command == COMMAND_CANCEL)
        goto out;
    }

  switch (cli->command)
    {
    case COMMAND_LIST:
      pc_api_stream_bookings_async (api, 100, list_page_cb, cli, NULL, NULL, list_done_cb,
                                    cli);
      break;
    case COMMAND_SHOW:
      pc_api_get_booking_async (api, cli->booking_id, NULL, show_done_cb, cli);
      break;
    case COMMAND_REINVITE:
      if (refuse_unknown_outcome (cli))
        goto out;
      cli->sent_at = g_date_time_new_now_utc ();
      /* Recorded before the request leaves: should this process end before the answer
       * (Ctrl+C, a kill, a crash), the next command still knows that a re-invite of the
       * booking may be under way. A definite answer clears it again. */
      pc_outcome_log_mark (outcome_log, cli->booking_id, cli->sent_at);
      save_outcome_log (cli);
      /* Ctrl+C or a polite kill while waiting: say whether the request had gone. */
      sigint_id = g_unix_signal_add (SIGINT, interrupted_cb, cancellable);
      sigterm_id = g_unix_signal_add (SIGTERM, interrupted_cb, cancellable);
      pc_api_reinvite_async (api, cli->booking_id, cli->reason, cancellable, reinvite_done_cb,
                             cli);
      break;
    case COMMAND_WHOAMI:
      pc_api_verify_credentials_async (api, NULL, whoami_done_cb, cli);
      break;
    case COMMAND_ACCEPT:
    case COMMAND_REJECT:
    case COMMAND_CANCEL:
    case COMMAND_DELETE:
      if (refuse_unknown_outcome (cli))
        goto out;
      /* Ctrl+C or a polite kill while waiting: say whether the request had gone. */
      cli->cancellable = cancellable;
      sigint_id = g_unix_signal_add (SIGINT, interrupted_cb, cancellable);
      sigterm_id = g_unix_signal_add (SIGTERM, interrupted_cb, cancellable);
      start_action (cli);
      break;
    case COMMAND_WATCH:
      run_watch (cli, api);
      goto out;
    case COMMAND_LOGIN:
    case COMMAND_LOGOUT:
    default:
      g_assert_not_reached ();
    }

  g_main_loop_run (loop);

out:
  g_clear_handle_id (&sigint_id, g_source_remove);
  g_clear_handle_id (&sigterm_id, g_source_remove);
  cli->loop = NULL;
  cli->outcome_log = NULL;
  cli->cancellable = NULL;
  g_clear_pointer (&cli->sent_at, g_date_time_unref);
}

/* The signed-in account: login, logout, and the other commands without
 * PHONECHAT_TOKEN. */

typedef struct
{
  gboolean      done;
  GAsyncResult *result;
} Wait;

static void
wait_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
  wait->done = TRUE;
}

/* Iterates the main context until the operation that was given wait_cb has ended. */
static GAsyncResult *
wait_for (Wait *wait)
{
  while (!wait->done)
    g_main_context_iteration (NULL, TRUE);

  return wait->result;
}


/* What a command does, in the words of an error. */
static PcErrorTask
command_task (Command command)
{
  switch (command)
    {
    case COMMAND_LIST:
      return PC_ERROR_TASK_LOAD_BOOKINGS;
    case COMMAND_SHOW:
      return PC_ERROR_TASK_LOAD_BOOKING;
    case COMMAND_REINVITE:
      return PC_ERROR_TASK_REINVITE;
    case COMMAND_ACCEPT:
    case COMMAND_REJECT:
    case COMMAND_CANCEL:
    case COMMAND_DELETE:
      return PC_ERROR_TASK_BOOKING_ACTION;
    case COMMAND_WATCH:
      return PC_ERROR_TASK_LOAD_BOOKINGS;
    case COMMAND_WHOAMI:
    case COMMAND_LOGIN:
    case COMMAND_LOGOUT:
    default:
      return PC_ERROR_TASK_SIGN_IN;
    }
}

static int
account_failure (const GError *error,
                 PcErrorTask   task)
{
  g_autofree char *line = pc_error_dup_line (error, task);

  g_printerr ("%s: %s\n", g_get_prgname (), line);
  return EXIT_FAILED;
}

static int
login (PcSession  *session,
       const char *environment_name,
       const char *api_url,
       const char *client_id,
       guint16     redirect_port)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  PcEnvironment environment = PC_ENVIRONMENT_LIVE;
  const char *auth_url;
  Wait wait = { 0, };
  guint sigint_id;

  if (environment_name != NULL &&
      !pc_account_environment_from_string (environment_name, &environment))
    return usage_error (_("--environment takes live, sandbox or custom."));
  if (api_url != NULL && environment_name == NULL)
    environment = PC_ENVIRONMENT_CUSTOM;
  if (environment == PC_ENVIRONMENT_CUSTOM && api_url == NULL)
    return usage_error (_("A custom server needs its address: --api-url URL."));
  if (environment != PC_ENVIRONMENT_CUSTOM && api_url != NULL)
    return usage_error (_("--api-url goes with --environment custom."));

  if (environment != PC_ENVIRONMENT_CUSTOM)
    api_url = pc_account_environment_get_api_url (environment);
  auth_url = pc_account_environment_get_auth_url (environment);
  if (auth_url == NULL)
    auth_url = api_url;   /* a custom server signs in too */

  /* PhoneChat's own client, unless the user has a project of their own (as the
   * application's client-id setting), or signs in to phonechat-sandbox. */
  if (client_id == NULL)
    client_id = PC_OAUTH_CLIENT_ID;

  url = pc_session_begin_sign_in (session, environment, api_url, auth_url, client_id,
                                  redirect_port, &error);
  if (url == NULL)
    return account_failure (error, PC_ERROR_TASK_SIGN_IN);

  g_print (_("Open this address in your browser to sign in:\n\n  %s\n\n"
             "Waiting for the browser… (Ctrl+C cancels)\n"), url);
  fflush (stdout);

  sigint_id = g_unix_signal_add (SIGINT, interrupted_cb, cancellable);
  pc_session_finish_sign_in_async (session, cancellable, wait_cb, &wait);
  wait_for (&wait);
  g_source_remove (sigint_id);

  if (!pc_session_finish_sign_in_finish (session, wait.result, &error))
    {
      g_clear_object (&wait.result);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_printerr (_("%s: Sign-in cancelled.\n"), g_get_prgname ());
          return EXIT_FAILED;
        }
      return account_failure (error, PC_ERROR_TASK_SIGN_IN);
    }
  g_clear_object (&wait.result);

  {
    g_autofree char *user = g_strdup_printf ("%" G_GINT64_FORMAT,
                                             pc_account_get_user_id (pc_session_get_account (session)));

    /* Translators: the first %s is a user ID, the second a server's address */
    g_print (_("Signed in as user %s on %s.\n"), user, api_url);
  }
  return EXIT_OK;
}

static int
run_with_account (Cli        *cli,
                  PcConfig   *config,
                  const char *environment_name,
                  const char *api_url,
                  const char *client_id,
                  guint16     redirect_port)
{
  g_autoptr(SoupSession) soup = pc_api_new_session ();
  g_autoptr(PcClock) clock = pc_clock_new_system ();
  g_autoptr(PcSession) session = pc_session_new (soup, clock);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = NULL;
  PcAccount *account;
  GDateTime *expires_at;
  Wait wait = { 0, };
  int status;

  pc_session_set_debug (session, pc_config_get_http_debug (config));

  if (cli->command == COMMAND_LOGIN)
    {
      status = login (session, environment_name, api_url, client_id, redirect_port);
      goto out;
    }

  if (api_url != NULL)
    return usage_error (_("--api-url goes with PHONECHAT_TOKEN or with “login”; "
                          "otherwise the signed-in account’s server is used."));

  pc_session_restore_async (session, NULL, wait_cb, &wait);
  if (!pc_session_restore_finish (session, wait_for (&wait), &error))
    {
      g_clear_object (&wait.result);
      status = account_failure (error, PC_ERROR_TASK_SIGN_IN);
      goto out;
    }
  g_clear_object (&wait.result);

  account = pc_session_get_account (session);
  if (account == NULL)
    {
      if (cli->command == COMMAND_LOGOUT)
        {
          g_print (_("Not signed in.\n"));
          return EXIT_OK;
        }
      g_printerr (_("%s: Not signed in: run “phonechat-cli login”, or set PHONECHAT_TOKEN.\n"),
                  g_get_prgname ());
      return EXIT_FAILED;
    }

  if (cli->command == COMMAND_LOGOUT)
    {
      g_autofree char *where = g_strdup (pc_account_get_api_url (account));

      wait = (Wait) { 0, };
      pc_session_sign_out_async (session, NULL, wait_cb, &wait);
      if (!pc_session_sign_out_finish (session, wait_for (&wait), &error))
        status = account_failure (error, PC_ERROR_TASK_SIGN_IN);
      else
        {
          /* Translators: %s is a server's address */
          g_print (_("Signed out of %s.\n"), where);
          status = EXIT_OK;
        }
      g_clear_object (&wait.result);
      goto out;
    }

  /* An account whose server PhoneChat does not use (plain http:// to another computer,
   * as a keyring edited by hand may hold) has no API client: nothing can be sent, not
   * even a renewal of its token. */
  if (pc_session_get_api (session) == NULL)
    {
      const GError *reason = pc_session_get_error (session);

      if (reason != NULL)
        status = account_failure (reason, command_task (cli->command));
      else
        {
          g_printerr (_("%s: Not signed in: run “phonechat-cli login”, or set "
                        "PHONECHAT_TOKEN.\n"), g_get_prgname ());
          status = EXIT_FAILED;
        }
      goto out;
    }

  /* A token that expires within the minute is renewed first (and stored rotated). */
  now = g_date_time_new_now_utc ();
  expires_at = pc_account_get_expires_at (account);
  if (expires_at != NULL && g_date_time_difference (expires_at, now) < 60 * G_USEC_PER_SEC)
    {
      wait = (Wait) { 0, };
      pc_session_refresh_async (session, NULL, wait_cb, &wait);
      if (!pc_session_refresh_finish (session, wait_for (&wait), &error))
        {
          g_clear_object (&wait.result);
          g_printerr (_("%s: Your sign-in has expired: run “phonechat-cli login” again.\n"),
                      g_get_prgname ());
          status = EXIT_FAILED;
          goto out;
        }
      g_clear_object (&wait.result);
    }

  run_command (cli, pc_session_get_api (session));
  status = cli->exit_code;

out:
  /* Let the session store what it renewed and close its connections. */
  g_clear_object (&session);
  g_clear_object (&soup);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  return status;
}

/* Server and client text (nicknames, comments, reasons, the server's messages) reaches
 * the terminal as text: a control character in it would drive the terminal (colours, a
 * window title through OSC, clearing the screen, a carriage return that overwrites the
 * line). Every C0 control but newline and tab, DEL and the C1 controls are written
 * escaped instead, as \xNN or \u00NN; bytes that are not UTF-8 as \xNN. JSON output
 * has none of them raw: json-glib writes them as \u00NN. */
static void
write_escaped (FILE       *stream,
               const char *text)
{
  g_autoptr(GString) out = g_string_sized_new (strlen (text));
  const char *p = text;

  while (*p != '\0')
    {
      gunichar c = g_utf8_get_char_validated (p, -1);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          g_string_append_printf (out, "\\x%02X", (guchar) *p);
          p++;
          continue;
        }

      if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
        g_string_append_printf (out, "\\x%02X", c);
      else if (c >= 0x80 && c <= 0x9f)
        g_string_append_printf (out, "\\u%04X", c);
      else
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
      p = g_utf8_next_char (p);
    }

  fputs (out->str, stream);
  fflush (stream);
}

static void
print_escaped_cb (const char *text)
{
  write_escaped (stdout, text);
}

static void
printerr_escaped_cb (const char *text)
{
  write_escaped (stderr, text);
}

static char *
build_description (void)
{
  GString *text = g_string_new (NULL);

  g_string_append_printf (text, "%s\n", _("Environment:"));
  g_string_append_printf (text, "  PHONECHAT_TOKEN       %s\n",
                          _("an access token to use instead of the signed-in account"));
  g_string_append_printf (text, "  PHONECHAT_API_URL     %s\n",
                          _("the API’s address when --api-url is not given"));
  g_string_append_printf (text, "                        %s %s\n", _("default:"), PC_API_LIVE_URL);
  g_string_append_printf (text, "  PHONECHAT_HTTP_DEBUG  %s\n\n",
                          _("1: log each HTTP request and answer to stderr (tokens hidden)"));
  g_string_append_printf (text, "%s\n", _("Exit status:"));
  g_string_append_printf (text, "  0  %s\n", _("success"));
  g_string_append_printf (text, "  1  %s\n",
                          _("the API, the network or the data failed (one line on stderr says "
                            "why)"));
  g_string_append_printf (text, "  2  %s\n", _("usage error"));
  g_string_append_printf (text, "  3  %s\n",
                          _("outcome unknown: a re-invite’s answer was lost, and the server "
                            "may still carry it out"));
  g_string_append_printf (text, "     %s\n",
                          _("(“reinvite” refuses that booking until “show” or “list” reads "
                            "what became of it)"));
  g_string_append_printf (text, "     %s\n\n",
                          _("also: accept, reject, cancel or delete was sent, its answer was "
                            "lost, and reading the booking did not show what happened"));
  g_string_append_printf (text, "%s\n", _("Try it without an account:"));
  g_string_append (text, "  phonechat-cli --demo list");

  return g_string_free (text, FALSE);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(PcApi) api = NULL;
  g_autofree char *api_url = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *credits = NULL;
  g_autofree char *token = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *description = NULL;
  gboolean json = FALSE;
  gboolean can_reinvite = FALSE;
  int interval = 0;
  gboolean version = FALSE;
  gboolean demo = FALSE;
  g_autofree char *environment_name = NULL;
  g_autofree char *client_id = NULL;
  int redirect_port = PC_OAUTH_DEFAULT_REDIRECT_PORT;
  g_autoptr(PcSession) account_session = NULL;
  g_autoptr(PcClock) clock = NULL;
  g_autoptr(PcSandbox) sandbox = NULL;
  const char *command_name;
  const char *url;
  g_autoptr(PcConfig) config = pc_config_new_from_process (NULL);
  Cli cli = { 0, };
  const GOptionEntry entries[] = {
    { "api-url", 0, 0, G_OPTION_ARG_STRING, &api_url,
      N_("The API’s address (default: $PHONECHAT_API_URL, else the live API)"), N_("URL") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print bookings as JSON, with the API’s member names"), NULL },
    { "can-reinvite", 0, 0, G_OPTION_ARG_NONE, &can_reinvite,
      N_("list: only bookings that can be re-invited now"), NULL },
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason,
      N_("reinvite: the reason sent to the client (default: the API’s own); reject, cancel: "
         "the reason sent to the client (required)"), N_("TEXT") },
    { "credits", 0, 0, G_OPTION_ARG_STRING, &credits,
      N_("accept: the credits you want for the session (default: the booking’s own; the "
         "client is told of a change)"), N_("N") },
    { "environment", 0, 0, G_OPTION_ARG_STRING, &environment_name,
      N_("login: live (default), sandbox, or custom (with --api-url)"), N_("ENV") },
    { "client-id", 0, 0, G_OPTION_ARG_STRING, &client_id,
      N_("login: the OAuth client ID to sign in with (default: PhoneChat’s own; "
         "phonechat-sandbox for phonechat-sandbox)"), N_("ID") },
    { "redirect-port", 0, 0, G_OPTION_ARG_INT, &redirect_port,
      N_("login: the port the browser returns to on 127.0.0.1 (0: any free port)"), N_("PORT") },
    { "interval", 0, 0, G_OPTION_ARG_INT, &interval,
      N_("watch: seconds between reads while bookings change (default 60, or 2 for a "
         "server on this computer); twice as long after each quiet read, up to 15 minutes"),
      N_("SECONDS") },
    { "demo", 0, 0, G_OPTION_ARG_NONE, &demo,
      N_("Use demo bookings from a built-in sandbox server (each run starts afresh)"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version,
      N_("Print the version and exit"), NULL },
    G_OPTION_ENTRY_NULL
  };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("phonechat-cli");
  /* stdout is for what was asked (bookings, JSON): GLib's log, debug included, goes to
   * stderr. */
  g_log_writer_default_set_use_stderr (TRUE);
  /* Everything the CLI prints goes through g_print() and g_printerr(). */
  g_set_print_handler (print_escaped_cb);
  g_set_printerr_handler (printerr_escaped_cb);

  /* Translators: the arguments in `phonechat-cli --help`'s usage line */
  context = g_option_context_new (_("COMMAND [ID]"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  /* Unknown options stay in argv: "-5" is then a bad booking ID rather than an unknown
   * option "-5", and real unknown options are reported below. */
  g_option_context_set_ignore_unknown_options (context, TRUE);
  summary = g_strdup_printf ("%s\n\n%s\n"
                             "  list [--json] [--can-reinvite]         %s\n"
                             "  show ID [--json]                       %s\n"
                             "  reinvite ID [--reason TEXT] [--json]   %s\n"
                             "  accept ID [--credits N] [--json]       %s\n"
                             "  reject ID --reason TEXT [--json]       %s\n"
                             "  cancel ID --reason TEXT [--json]       %s\n"
                             "  delete ID… [--json]                    %s\n"
                             "  login [--environment ENV]              %s\n"
                             "  logout                                 %s\n"
                             "  whoami                                 %s\n"
                             "  watch [--json] [--interval SECONDS]    %s",
                             _("Manage your received PhoneChat bookings from a terminal."),
                             _("Commands:"),
                             _("List your received bookings; * marks those you can re-invite"),
                             _("Show every detail of one booking"),
                             _("Re-invite the client of a pending booking whose session has "
                               "passed"),
                             _("Accept a pending booking before its accept-by time"),
                             _("Reject a pending booking, telling the client why"),
                             _("Cancel an accepted booking before its session, telling the "
                               "client why"),
                             _("Delete finished (rejected, cancelled, confirmed) bookings; "
                               "prints each one’s result"),
                             _("Sign in with AdultWork in your browser; kept in your keyring"),
                             _("Sign out: remove the account from your keyring"),
                             _("Say who is signed in, as the server sees it"),
                             _("Print each new or changed booking as it happens, until "
                               "interrupted"));
  g_option_context_set_summary (context, summary);
  description = build_description ();
  g_option_context_set_description (context, description);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (error->message);

  if (version)
    {
      g_print ("%s %s\n", g_get_prgname (), PACKAGE_VERSION);
      return EXIT_OK;
    }

  if (argc < 2)
    return usage_error (_("No command given."));

  for (int i = 1; i < argc; i++)
    if (argv[i][0] == '-' && argv[i][1] != '\0' && !(i == 2 && looks_like_number (argv[i])))
      {
        g_autofree char *message = g_strdup_printf (_("Unknown option “%s”."), argv[i]);

        return usage_error (message);
      }

  /* A timeout that is not one is said, not silently replaced by the default. */
  {
    const char *timeout = g_getenv ("PHONECHAT_TIMEOUT");

    if (timeout != NULL && *timeout != '\0' && pc_config_get_timeout (config) == 0)
      {
        /* Translators: %s is the variable's value */
        g_autofree char *message = g_strdup_printf (_("PHONECHAT_TIMEOUT=%s is not a whole "
                                                      "number of seconds from 1 to 86400."),
                                                    timeout);

        return usage_error (message);
      }
  }

  command_name = argv[1];
  if (g_str_equal (command_name, "help"))
    {
      g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

      g_print ("%s", help);
      return EXIT_OK;
    }
  else if (g_str_equal (command_name, "list"))
    cli.command = COMMAND_LIST;
  else if (g_str_equal (command_name, "show"))
    cli.command = COMMAND_SHOW;
  else if (g_str_equal (command_name, "reinvite"))
    cli.command = COMMAND_REINVITE;
  else if (g_str_equal (command_name, "login"))
    cli.command = COMMAND_LOGIN;
  else if (g_str_equal (command_name, "logout"))
    cli.command = COMMAND_LOGOUT;
  else if (g_str_equal (command_name, "whoami"))
    cli.command = COMMAND_WHOAMI;
  else if (g_str_equal (command_name, "accept"))
    cli.command = COMMAND_ACCEPT;
  else if (g_str_equal (command_name, "reject"))
    cli.command = COMMAND_REJECT;
  else if (g_str_equal (command_name, "cancel"))
    cli.command = COMMAND_CANCEL;
  else if (g_str_equal (command_name, "delete"))
    cli.command = COMMAND_DELETE;
  else if (g_str_equal (command_name, "watch"))
    cli.command = COMMAND_WATCH;
  else
    {
      g_autofree char *message = g_strdup_printf (_("Unknown command “%s”."), command_name);

      return usage_error (message);
    }

  if (cli.command == COMMAND_LIST || cli.command == COMMAND_LOGIN ||
      cli.command == COMMAND_LOGOUT || cli.command == COMMAND_WHOAMI ||
      cli.command == COMMAND_WATCH)
    {
      if (argc > 2)
        {
          g_autofree char *message = NULL;

          message = g_strdup_printf (_("“%s” takes no arguments, but got “%s”."),
                                     command_name, argv[2]);
          return usage_error (message);
        }
    }
  else if (cli.command != COMMAND_DELETE)
    {
      if (argc < 3)
        {
          g_autofree char *message = NULL;

          message = g_strdup_printf (_("“%s” needs a booking ID."), command_name);
          return usage_error (message);
        }
      if (!parse_booking_id (argv[2], &cli.booking_id))
        {
          g_autofree char *message = NULL;

          message = g_strdup_printf (_("“%s” is not a booking ID: it must be a whole number "
                                       "greater than 0."), argv[2]);
          return usage_error (message);
        }
      if (argc > 3)
        {
          g_autofree char *message = NULL;

          message = g_strdup_printf (_("“%s” takes one booking ID, but got “%s” too."),
                                     command_name, argv[3]);
          return usage_error (message);
        }
    }

  if (can_reinvite && cli.command != COMMAND_LIST)
    return usage_error (_("--can-reinvite only goes with “list”."));
  if (reason != NULL && cli.command != COMMAND_REINVITE && cli.command != COMMAND_REJECT &&
      cli.command != COMMAND_CANCEL)
    return usage_error (_("--reason only goes with “reinvite”, “reject” and “cancel”."));
  if (cli.command == COMMAND_ACCEPT || cli.command == COMMAND_REJECT ||
      cli.command == COMMAND_CANCEL || cli.command == COMMAND_DELETE || credits != NULL)
    {
      int status = parse_action_arguments (&cli, argc, argv, credits, reason);

      if (status != EXIT_OK)
        {
          g_clear_pointer (&cli.booking_ids, g_array_unref);
          return status;
        }
    }
  if (interval != 0 && cli.command != COMMAND_WATCH)
    return usage_error (_("--interval only goes with “watch”."));
  if (interval < 0 || interval > 24 * 60 * 60)
    return usage_error (_("--interval takes seconds from 1 to 86400."));

  if (demo && api_url != NULL)
    return usage_error (_("--demo and --api-url do not go together."));
  if ((environment_name != NULL || client_id != NULL ||
       redirect_port != PC_OAUTH_DEFAULT_REDIRECT_PORT) &&
      cli.command != COMMAND_LOGIN)
    return usage_error (_("--environment, --client-id and --redirect-port only go with "
                          "“login”."));
  if (client_id != NULL && *g_strstrip (client_id) == '\0')
    return usage_error (_("--client-id needs a client ID."));
  if (redirect_port < 0 || redirect_port > G_MAXUINT16)
    return usage_error (_("--redirect-port takes a port number from 0 to 65535."));
  if (demo && (cli.command == COMMAND_LOGIN || cli.command == COMMAND_LOGOUT))
    return usage_error (_("The demo needs no signing in."));

  cli.json = json;
  cli.can_reinvite_only = can_reinvite;
  cli.reason = reason;
  cli.interval = (guint) interval;

  if (cli.command == COMMAND_LOGIN || cli.command == COMMAND_LOGOUT ||
      (!demo && pc_config_get_token (config) == NULL))
    {
      int status = run_with_account (&cli, config, environment_name, api_url, client_id,
                                     (guint16) redirect_port);

      g_clear_pointer (&cli.booking_ids, g_array_unref);
      return status;
    }

  if (demo)
    {
      /* The same demo as the application's: a sandbox on loopback in this process, with
       * its own token. Nothing reaches the network. */
      clock = pc_clock_new_system ();
      sandbox = pc_sandbox_new (clock, NULL);
      pc_sandbox_load_demo (sandbox);
      if (!pc_sandbox_listen (sandbox, 0, &error))
        {
          g_printerr (_("%s: Could not start the demo sandbox: %s\n"), g_get_prgname (),
                      error->message);
          return EXIT_FAILED;
        }
      url = pc_sandbox_get_url (sandbox);
      token = g_strdup (PC_SANDBOX_DEFAULT_TOKEN);
    }
  else
    {
      url = api_url != NULL ? api_url : pc_config_get_api_url (config);
      token = g_strdup (pc_config_get_token (config));
    }

  if (token == NULL)
    {
      g_printerr (_("%s: No access token: set PHONECHAT_TOKEN to your PhoneChat access token "
                    "(for phonechat-sandbox: PHONECHAT_TOKEN=demo-token).\n"),
                  g_get_prgname ());
      return EXIT_FAILED;
    }

  session = pc_api_new_session ();
  api = pc_api_new (session, url, &error);
  if (api == NULL)
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      /* A malformed address is a usage error; a refused one (plain http to another
       * computer) is not. */
      return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT) ? EXIT_USAGE
                                                                               : EXIT_FAILED;
    }

  pc_api_set_token (api, token);
  pc_api_set_debug (api, pc_config_get_http_debug (config));
  if (pc_config_get_timeout (config) > 0)
    pc_api_set_timeout (api, pc_config_get_timeout (config));

  run_command (&cli, api);
  /* Let the session finish closing its connections before it goes. */
  g_clear_object (&api);
  g_clear_object (&session);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  if (sandbox != NULL)
    pc_sandbox_stop (sandbox);
  g_clear_pointer (&cli.booking_ids, g_array_unref);

  return cli.exit_code;
}
