/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pc-error"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>

#include "pc-api.h"
#include "pc-credentials.h"
#include "pc-error.h"
#include "pc-oauth.h"

/* How errors read to people, wherever PhoneChat shows them. PcApi's messages are
 * complete sentences with the technical part (the HTTP status, what the server said);
 * the window's status pages and the re-invite dialogs show a short heading and one
 * sentence of their own from here, and that message below it, in smaller type, as the
 * details. Notifications and phonechat-cli, which have one line, show the sentence and
 * then the details in parentheses (pc_error_dup_line()). Everything here is plain text:
 * callers must not use it as markup. */

typedef struct
{
  PcErrorKind  kind;
  const char  *title;
  const char  *sentence;
} Description;

/* Loading the list of bookings, or one booking: the same troubles, told the same way,
 * except for what was being loaded. */
static void
describe_load (const GError *error,
               PcErrorTask   task,
               Description  *d)
{
  gboolean one = task == PC_ERROR_TASK_LOAD_BOOKING;

  d->kind = PC_ERROR_KIND_OTHER;
  d->title = one ? _("Could Not Load Booking") : _("Could Not Load Bookings");

  if (error->domain != PC_API_ERROR)
    {
      d->sentence = one ? _("Something went wrong while loading the booking. Try again.")
                        : _("Something went wrong while loading the bookings. Try again.");
      return;
    }

  switch ((PcApiError) error->code)
    {
    case PC_API_ERROR_CANNOT_CONNECT:
      d->kind = PC_ERROR_KIND_OFFLINE;
      d->title = _("Cannot Connect");
      d->sentence = _("PhoneChat cannot reach the server. Check your internet connection, then try again.");
      break;
    case PC_API_ERROR_TIMED_OUT:
      d->kind = PC_ERROR_KIND_OFFLINE;
      d->title = _("No Answer");
      d->sentence = _("The server did not answer in time. Try again in a moment.");
      break;
    case PC_API_ERROR_TLS:
      d->kind = PC_ERROR_KIND_OFFLINE;
      d->title = _("Insecure Connection");
      d->sentence = _("The server’s identity could not be verified, so PhoneChat did not connect.");
      break;
    case PC_API_ERROR_UNAUTHORIZED:
      d->kind = PC_ERROR_KIND_AUTH;
      d->title = _("Sign In Again");
      d->sentence = _("Your sign-in has expired or was refused. Sign in again.");
      break;
    case PC_API_ERROR_FORBIDDEN:
      d->kind = PC_ERROR_KIND_AUTH;
      d->title = _("Permission Missing");
      d->sentence = _("The access token does not allow reading PhoneChat bookings. Create a token with the PhoneChat bookings permission.");
      break;
    case PC_API_ERROR_NO_TOKEN:
      d->kind = PC_ERROR_KIND_AUTH;
      d->title = _("Sign In Required");
      d->sentence = _("You are not signed in. Sign in, or try the demo.");
      break;
    case PC_API_ERROR_RATE_LIMITED:
      d->sentence = _("The server received too many requests. Try again later.");
      break;
    case PC_API_ERROR_SERVER:
      d->sentence = _("The server had a problem. Try again later.");
      break;
    case PC_API_ERROR_NOT_JSON:
    case PC_API_ERROR_MALFORMED:
    case PC_API_ERROR_TOO_LARGE:
      d->sentence = _("The server sent an answer PhoneChat does not understand. Try again later.");
      break;
    case PC_API_ERROR_INSECURE:
      d->sentence = _("PhoneChat refused to send the access token over an unencrypted connection. Use an https:// address.");
      break;
    case PC_API_ERROR_NOT_FOUND:
      if (one)
        {
          d->sentence = _("The server does not know this booking. Check the booking’s number.");
          break;
        }
      G_GNUC_FALLTHROUGH;
    case PC_API_ERROR_REJECTED:
    case PC_API_ERROR_HTTP:
    case PC_API_ERROR_OUTCOME_UNKNOWN:
    default:
      d->sentence = _("The server refused the request. Try again later.");
      break;
    }
}

static void
describe_reinvite (const GError *error,
                   Description  *d)
{
  d->kind = PC_ERROR_KIND_OTHER;
  d->title = _("Could Not Re-invite");

  if (error->domain != PC_API_ERROR)
    {
      d->sentence = _("Could not re-invite. Try again.");
      return;
    }

  switch ((PcApiError) error->code)
    {
    case PC_API_ERROR_CANNOT_CONNECT:
      d->kind = PC_ERROR_KIND_OFFLINE;
      d->title = _("Cannot Connect");
      d->sentence = _("PhoneChat cannot reach the server, so the client was not re-invited. Check your internet connection, then try again.");
      break;
    case PC_API_ERROR_TIMED_OUT:
      d->kind = PC_ERROR_KIND_OFFLINE;
      d->title = _("No Answer");
      d->sentence = _("The server did not answer in time, so the client was not re-invited. Try again in a moment.");
      break;
    case PC_API_ERROR_TLS:
      d->kind = PC_ERROR_KIND_OFFLINE;
      d->title = _("Insecure Connection");
      d->sentence = _("The server’s identity could not be verified, so PhoneChat did not send the re-invite.");
      break;
    case PC_API_ERROR_UNAUTHORIZED:
      d->kind = PC_ERROR_KIND_AUTH;
      d->title = _("Sign In Again");
      d->sentence = _("You are no longer signed in. Sign in again, then re-invite.");
      break;
    case PC_API_ERROR_NO_TOKEN:
      d->kind = PC_ERROR_KIND_AUTH;
      d->title = _("Sign In Required");
      d->sentence = _("You are not signed in. Sign in, then re-invite.");
      break;
    case PC_API_ERROR_FORBIDDEN:
      d->kind = PC_ERROR_KIND_AUTH;
      d->title = _("Permission Missing");
      d->sentence = _("Your access token does not allow re-inviting. Sign in with a token that has the PhoneChat bookings permission.");
      break;
    case PC_API_ERROR_REJECTED:
    case PC_API_ERROR_NOT_FOUND:
      d->title = _("Booking Changed");
      d->sentence = _("The booking has changed on the server and was not re-invited. Refresh the bookings to see its current state.");
      break;
    case PC_API_ERROR_OUTCOME_UNKNOWN:
      d->title = _("Outcome Unknown");
      d->sentence = _("It is not known yet whether the client was re-invited: the server may still do it. PhoneChat will not re-invite this booking again until it shows what happened.");
      break;
    case PC_API_ERROR_RATE_LIMITED:
      d->title = _("Too Many Requests");
      d->sentence = _("The server received too many requests and did not re-invite the client. Try again later.");
      break;
    case PC_API_ERROR_SERVER:
      d->title = _("Server Problem");
      d->sentence = _("The server had a problem with the re-invite. Try again later.");
      break;
    case PC_API_ERROR_NOT_JSON:
    case PC_API_ERROR_MALFORMED:
    case PC_API_ERROR_TOO_LARGE:
      /* The answer could not be read, and the booking, read again, shows a state that
       * rules the re-invite out (a pending one is PC_API_ERROR_OUTCOME_UNKNOWN). */
      d->title = _("Unexpected Answer");
      d->sentence = _("The server’s answer could not be understood, and the booking shows that the client was not re-invited.");
      break;
    case PC_API_ERROR_INSECURE:
      d->title = _("Insecure Connection");
      d->sentence = _("PhoneChat refused to send the access token over an unencrypted connection, so the client was not re-invited. Use an https:// address.");
      break;
    case PC_API_ERROR_HTTP:
    default:
      d->title = _("Unexpected Answer");
      d->sentence = _("The server did not accept the re-invite. Try again later.");
      break;
    }
}

/* Accepting, rejecting, cancelling or deleting: PcApi's message, shown as the details,
 * says which and about which booking; the sentence says what it means for the booking. */
static void
describe_action (const GError *error,
                 Description  *d)
{
  d->kind = PC_ERROR_KIND_OTHER;
  d->title = _("Booking Not Changed");

  if (error->domain != PC_API_ERROR)
    {
      d->sentence = _("Something went wrong, and the booking was not changed. Try again.");
      return;
    }

  switch ((PcApiError) error->code)
    {
    case PC_API_ERROR_CANNOT_CONNECT:
      d->kind = PC_ERROR_KIND_OFFLINE;
      d->title = _("Cannot Connect");
      d->sentence = _("PhoneChat cannot reach the server, so the booking was not changed. Check your internet connection, then try again.");
      break;
    case PC_API_ERROR_TIMED_OUT:
      d->kind = PC_ERROR_KIND_OFFLINE;
      d->title = _("No Answer");
      d->sentence = _("The server did not answer in time, so the booking was not changed. Try again in a moment.");
      break;
    case PC_API_ERROR_TLS:
      d->kind = PC_ERROR_KIND_OFFLINE;
      d->title = _("Insecure Connection");
      d->sentence = _("The server’s identity could not be verified, so PhoneChat did not send the request.");
      break;
    case PC_API_ERROR_UNAUTHORIZED:
      d->kind = PC_ERROR_KIND_AUTH;
      d->title = _("Sign In Again");
      d->sentence = _("You are no longer signed in. Sign in again, then try again.");
      break;
    case PC_API_ERROR_NO_TOKEN:
      d->kind = PC_ERROR_KIND_AUTH;
      d->title = _("Sign In Required");
      d->sentence = _("You are not signed in. Sign in, then try again.");
      break;
    case PC_API_ERROR_FORBIDDEN:
      d->kind = PC_ERROR_KIND_AUTH;
      d->title = _("Permission Missing");
      d->sentence = _("Your access token does not allow changing bookings. Sign in with a token that has the PhoneChat bookings permission.");
      break;
    case PC_API_ERROR_REJECTED:
      d->title = _("Request Refused");
      d->sentence = _("The server refused the request, and the booking was not changed. It may have changed meanwhile: refresh the bookings to see its current state.");
      break;
    case PC_API_ERROR_NOT_FOUND:
      /* A booking the server does not know, or a path it does not have: the details
       * say which. */
      d->title = _("Not Available");
      d->sentence = _("The server does not know the booking, or does not offer this, so the booking was not changed.");
      break;
    case PC_API_ERROR_OUTCOME_UNKNOWN:
      d->title = _("Outcome Unknown");
      d->sentence = _("It is not known yet whether the server carried out the request: it may still do it. Look at the booking again before trying again.");
      break;
    case PC_API_ERROR_RATE_LIMITED:
      d->title = _("Too Many Requests");
      d->sentence = _("The server received too many requests, and the booking was not changed. Try again later.");
      break;
    case PC_API_ERROR_SERVER:
      d->title = _("Server Problem");
      d->sentence = _("The server had a problem, and the booking was not changed. Try again later.");
      break;
    case PC_API_ERROR_NOT_JSON:
    case PC_API_ERROR_MALFORMED:
    case PC_API_ERROR_TOO_LARGE:
      /* The answer could not be read, and the booking, read again, shows that the
       * request was not carried out (otherwise the outcome would be unknown). */
      d->title = _("Unexpected Answer");
      d->sentence = _("The server’s answer could not be understood, and the booking shows that it was not changed.");
      break;
    case PC_API_ERROR_INSECURE:
      d->title = _("Insecure Connection");
      d->sentence = _("PhoneChat refused to send the access token over an unencrypted connection, so the booking was not changed. Use an https:// address.");
      break;
    case PC_API_ERROR_HTTP:
    default:
      d->title = _("Unexpected Answer");
      d->sentence = _("The server did not accept the request. Try again later.");
      break;
    }
}

/**
 * pc_error_describe:
 * @error: what went wrong, usually a #PC_API_ERROR
 * @task: what was being done
 * @kind: (out) (optional): what kind of trouble it is
 * @title: (out) (optional) (transfer full): a short heading in title case, such as
 *   “Cannot Connect”
 * @sentence: (out) (optional) (transfer full): one sentence (sometimes two short ones)
 *   that says what happened and what to do
 *
 * Puts @error into words for people, in the user's language. The words never repeat
 * the error's own message: show that with pc_error_dup_details() below them. All of it
 * is plain text, not markup.
 */
static void
describe_sign_in (const GError *error,
                  Description  *d)
{
  d->kind = PC_ERROR_KIND_OTHER;
  d->title = _("Could Not Sign In");
  d->sentence = _("Something went wrong while signing in. Try again.");

  if (error->domain == PC_OAUTH_ERROR)
    {
      switch ((PcOAuthError) error->code)
        {
        case PC_OAUTH_ERROR_STATE_MISMATCH:
          d->sentence = _("The browser came back from a sign-in PhoneChat did not start, so it was refused. Sign in again.");
          break;
        case PC_OAUTH_ERROR_NO_CODE:
          d->sentence = _("The sign-in page did not say who signed in. Try again.");
          break;
        case PC_OAUTH_ERROR_DENIED:
          d->title = _("Sign-In Cancelled");
          d->sentence = _("Signing in was cancelled in the browser.");
          break;
        case PC_OAUTH_ERROR_PORT_IN_USE:
          d->sentence = _("Another program uses the port the browser comes back to. Close it, or choose another redirect port in Preferences.");
          break;
        case PC_OAUTH_ERROR_REFRESH_EXPIRED:
          d->kind = PC_ERROR_KIND_AUTH;
          d->title = _("Sign In Again");
          d->sentence = _("Your sign-in has expired. Sign in again to see new bookings.");
          break;
        case PC_OAUTH_ERROR_REJECTED:
          d->sentence = _("The sign-in server refused PhoneChat. If you use a client ID of your own, check it in Preferences.");
          break;
        case PC_OAUTH_ERROR_FAILED:
        default:
          d->kind = PC_ERROR_KIND_OFFLINE;
          d->sentence = _("The sign-in server could not be reached, or its answer was not understood. Try again.");
          break;
        }
    }
  else if (error->domain == PC_CREDENTIALS_ERROR)
    {
      switch ((PcCredentialsError) error->code)
        {
        case PC_CREDENTIALS_ERROR_UNAVAILABLE:
          d->title = _("No Keyring");
          d->sentence = _("No keyring service is running, so PhoneChat cannot keep or find your sign-in. Nothing was deleted.");
          break;
        case PC_CREDENTIALS_ERROR_LOCKED:
          d->title = _("Keyring Locked");
          d->sentence = _("Your keyring is locked. Unlock it, then try again. Nothing was deleted.");
          break;
        case PC_CREDENTIALS_ERROR_CORRUPT:
          d->title = _("Sign-In Unreadable");
          d->sentence = _("The sign-in kept in your keyring cannot be read. It was left as it is; sign in again.");
          break;
        case PC_CREDENTIALS_ERROR_FAILED:
        default:
          d->title = _("Keyring Error");
          d->sentence = _("The keyring did not do what PhoneChat asked. Nothing was deleted.");
          break;
        }
    }
  else if (g_error_matches (error, PC_API_ERROR, PC_API_ERROR_UNAUTHORIZED))
    {
      d->kind = PC_ERROR_KIND_AUTH;
      d->sentence = _("The server refused this sign-in. An access token must be current and allow PhoneChat bookings.");
    }
  else if (error->domain == PC_API_ERROR)
    {
      /* Checking who signed in (verifyCredentials) met the same troubles as loading. */
      describe_load (error, PC_ERROR_TASK_LOAD_BOOKINGS, d);
      d->title = d->kind == PC_ERROR_KIND_OFFLINE ? d->title : _("Could Not Sign In");
    }
}

void
pc_error_describe (const GError  *error,
                   PcErrorTask    task,
                   PcErrorKind   *kind,
                   char         **title,
                   char         **sentence)
{
  Description d = { 0 };

  g_return_if_fail (error != NULL);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      d.kind = PC_ERROR_KIND_CANCELLED;
      /* Translators: the title when the user stopped an operation, not a booking status */
      d.title = C_("operation stopped", "Cancelled");
      if (task == PC_ERROR_TASK_REINVITE)
        d.sentence = _("The re-invite was cancelled.");
      else if (task == PC_ERROR_TASK_LOAD_BOOKING)
        d.sentence = _("Loading the booking was cancelled.");
      else if (task == PC_ERROR_TASK_SIGN_IN)
        d.sentence = _("Signing in was cancelled.");
      else if (task == PC_ERROR_TASK_BOOKING_ACTION)
        d.sentence = _("The request was cancelled.");
      else
        d.sentence = _("Loading the bookings was cancelled.");
    }
  else if (task == PC_ERROR_TASK_REINVITE)
    describe_reinvite (error, &d);
  else if (task == PC_ERROR_TASK_SIGN_IN)
    describe_sign_in (error, &d);
  else if (task == PC_ERROR_TASK_BOOKING_ACTION)
    describe_action (error, &d);
  else
    describe_load (error, task, &d);

  if (kind != NULL)
    *kind = d.kind;
  if (title != NULL)
    *title = g_strdup (d.title);
  if (sentence != NULL)
    *sentence = g_strdup (d.sentence);
}

/**
 * pc_error_dup_details:
 * @error: the error
 * @sentence: (nullable): what is shown above the details, from pc_error_describe()
 *
 * The technical part of @error for showing below the sentence in smaller type: the
 * error's own message, which for #PC_API_ERROR names the request, the HTTP status and
 * what the server said. Plain text (server text included): never use it as markup.
 *
 * Returns: (transfer full) (nullable): the details, or %NULL when there is nothing to
 *   add (a cancellation, an empty message, or the same text as @sentence)
 */
char *
pc_error_dup_details (const GError *error,
                      const char   *sentence)
{
  g_autofree char *details = NULL;

  g_return_val_if_fail (error != NULL, NULL);

  /* A cancellation needs no technical part: the sentence says all there is. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_error_matches (error, PC_OAUTH_ERROR, PC_OAUTH_ERROR_DENIED) ||
      error->message == NULL)
    return NULL;

  details = g_strstrip (g_strdup (error->message));
  if (*details == '\0' || g_strcmp0 (details, sentence) == 0)
    return NULL;

  return g_steal_pointer (&details);
}

/**
 * pc_error_dup_line:
 * @error: what went wrong, usually a #PC_API_ERROR
 * @task: what was being done
 *
 * @error in one line, for places that have no room for a heading and details in smaller
 * type: a notification's body, a terminal. The sentence from pc_error_describe() comes
 * first, then the details from pc_error_dup_details() in parentheses, as in "The server
 * had a problem. Try again later. (Could not load your bookings: the server had a
 * problem (HTTP 503 Service Unavailable). Try again later.)". Line breaks in the details
 * (a server's message may have some) become spaces. Plain text: never use it as markup.
 *
 * Returns: (transfer full): the line
 */
char *
pc_error_dup_line (const GError *error,
                   PcErrorTask   task)
{
  g_autofree char *sentence = NULL;
  g_autofree char *details = NULL;

  g_return_val_if_fail (error != NULL, NULL);

  pc_error_describe (error, task, NULL, NULL, &sentence);
  details = pc_error_dup_details (error, sentence);
  if (details == NULL)
    return g_steal_pointer (&sentence);

  g_strdelimit (details, "\r\n", ' ');
  /* Translators: an error in one line: what happened and what to do, then the technical
   * details, as in "The server had a problem. Try again later. (HTTP 503)" */
  return g_strdup_printf (_("%s (%s)"), sentence, details);
}
