/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pc-api"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pc-api.h"
#include "pc-booking.h"
#include "pc-enums.h"
#include "pc-http-private.h"
#include "pc-utils.h"
#include "pc-values.h"

/* PcApi: the HTTP layer. Every exchange goes through send_async(), which adds the headers,
 * refuses to send a token where it could be read on the way, enforces the timeout and the
 * body cap, and turns every failure into a PC_API_ERROR whose message is the *reason*
 * ("the server could not be reached (…)."). Each operation then puts what it attempted in
 * front ("Could not load your bookings: …"). A re-invite is never retried: when its answer
 * is lost, the booking is read again to learn what happened. */

#define DEFAULT_TIMEOUT_SECONDS 30
#define MAX_TIMEOUT_SECONDS     (24 * 60 * 60)
#define DEFAULT_MAX_BODY_SIZE   (8 * 1024 * 1024)
/* Error bodies only matter for their `Message`: read that much and no more. */
#define ERROR_BODY_LIMIT        (64 * 1024)
/* Loading every page stops at the last one. A server that does not stop is caught by
 * what it said itself: the first page's PageCount, with room for bookings that arrive
 * while the pages load (each pushes the list on), or by sending nothing new for
 * MAX_STALE_PAGES full pages in a row. No fixed cap: any real account loads whole. */
#define MAX_STALE_PAGES         3
#define MAX_BOOKINGS_PER_PAGE   100
#define ORDER_BY                "sessiondate-desc"
/* Server text quoted in our messages is cut to this many characters. */
#define MAX_SERVER_TEXT         300

struct _PcApi
{
  GObject         parent_instance;

  SoupSession    *session;
  GUri           *base_uri;
  char           *base_url;
  GTimeZone      *zone;
  SoupLogger     *logger;

  char           *token;
  PcApiTokenFunc  token_func;
  gpointer        token_data;
  GDestroyNotify  token_destroy;

  guint           timeout;
  gsize           max_body_size;
};

G_DEFINE_FINAL_TYPE (PcApi, pc_api, G_TYPE_OBJECT)

enum {
  SIGNAL_ACTION_STARTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* What an error carries beside its message: how long the server asked to be left alone
 * (pc_api_error_get_retry_after()). */
typedef struct
{
  guint retry_after;
} PcApiErrorPrivate;

static void
pc_api_error_private_init (PcApiErrorPrivate *priv)
{
  priv->retry_after = 0;
}

static void
pc_api_error_private_copy (const PcApiErrorPrivate *src,
                           PcApiErrorPrivate       *dest)
{
  dest->retry_after = src->retry_after;
}

static void
pc_api_error_private_clear (PcApiErrorPrivate *priv)
{
}

G_DEFINE_EXTENDED_ERROR (PcApiError, pc_api_error)

/**
 * pc_api_error_get_retry_after:
 * @error: any error
 *
 * The server's `Retry-After` with a 429 or 503 answer, as seconds from when the answer
 * was sent (an HTTP date is counted from the answer's own `Date`).
 *
 * Returns: the seconds to wait before asking again; 0 when the server said nothing
 */
guint
pc_api_error_get_retry_after (const GError *error)
{
  PcApiErrorPrivate *priv;

  g_return_val_if_fail (error != NULL, 0);

  if (error->domain != PC_API_ERROR)
    return 0;

  priv = pc_api_error_get_private (error);
  return priv != NULL ? priv->retry_after : 0;
}

typedef struct
{
  const char *method;
  const char *path;
  gboolean    inferred; /* not in the stored documentation: a 404 may mean it does not exist */
} Endpoint;

/* Every path the app calls, in one place: an inferred path that turns out wrong is a
 * one-line change here. */
static const Endpoint endpoints[PC_API_N_ENDPOINTS] = {
  /* Documented (reference §5.17). */
  [PC_API_ENDPOINT_VERIFY_CREDENTIALS] = { "GET", "/v1/account/verifyCredentials", FALSE },
  /* INFERRED (reference §5.1): the received list is not in the stored documentation; the
   * name follows GET /v1/PhoneChat/MadeBookings and the Webcam received endpoints. */
  [PC_API_ENDPOINT_RECEIVED_BOOKINGS] = { "GET", "/v1/PhoneChat/ReceivedBookings", TRUE },
  /* INFERRED (reference §5.2): by analogy with GET /v1/Webcam/ReceivedBookingDetails. */
  [PC_API_ENDPOINT_RECEIVED_BOOKING_DETAILS] = {
    "GET", "/v1/PhoneChat/ReceivedBookingDetails", TRUE
  },
  /* Documented (reference §5.6, ReInvite.txt). */
  [PC_API_ENDPOINT_REINVITE] = { "POST", "/v1/PhoneChat/ReInvite", FALSE },
  /* Documented (reference §5.3): {BookingID, Credits}. */
  [PC_API_ENDPOINT_ACCEPT] = { "POST", "/v1/PhoneChat/AcceptReceivedBooking", FALSE },
  /* INFERRED (reference §5.4): POST /v1/Webcam/RejectReceivedBooking's PhoneChat twin,
   * {BookingID, Reason}, both required. */
  [PC_API_ENDPOINT_REJECT] = { "POST", "/v1/PhoneChat/RejectReceivedBooking", TRUE },
  /* INFERRED (reference §5.5): POST /v1/Webcam/CancelReceivedBooking's PhoneChat twin,
   * {BookingID, Reason}, both required. */
  [PC_API_ENDPOINT_CANCEL] = { "POST", "/v1/PhoneChat/CancelReceivedBooking", TRUE },
  /* Documented (reference §5.7), singular although its siblings are plural:
   * {BookingIDs: "1,2,3"}, answered with a result per booking. */
  [PC_API_ENDPOINT_DELETE] = { "POST", "/v1/PhoneChat/DeleteReceivedBooking", FALSE },
};

/* One HTTP exchange: the task data of send_async(). pc-http does the exchange itself. */
typedef struct
{
  PcApiEndpoint  endpoint;
  SoupMessage   *msg;
  gsize          max_body_size;
  guint          timeout;
  gboolean       request_sent;
} Exchange;

/* What a booking action does, for learning its outcome when its answer is lost. */
typedef enum
{
  ACTION_REINVITE,
  ACTION_ACCEPT,
  ACTION_REJECT,
  ACTION_CANCEL,
  ACTION_DELETE,
} ActionKind;

typedef struct
{
  PcApiEndpoint   endpoint;
  PcBookingStatus before;  /* the status it acts on: still showing it proves nothing */
  PcBookingStatus after;   /* the status it leads to: showing it proves it happened */
} ActionRule;

#define RULE(endpoint, before, after) \
  { PC_API_ENDPOINT_##endpoint, PC_BOOKING_STATUS_##before, PC_BOOKING_STATUS_##after }

static const ActionRule action_rules[] = {
  [ACTION_REINVITE] = RULE (REINVITE, PENDING, REJECTED),
  [ACTION_ACCEPT] = RULE (ACCEPT, PENDING, ACCEPTED),      /* Confirmed proves it too */
  [ACTION_REJECT] = RULE (REJECT, PENDING, REJECTED),
  [ACTION_CANCEL] = RULE (CANCEL, ACCEPTED, CANCELLED),
  /* Judged per booking instead: delete_checked(). */
  [ACTION_DELETE] = RULE (DELETE, UNKNOWN, UNKNOWN),
};

#undef RULE

/* One booking action: the task data of action_start(). */
typedef struct
{
  ActionKind   kind;
  SoupMessage *msg;
  GArray      *ids;         /* gint64: the booking, or the bookings to delete */
  GError      *lost_error;  /* why the answer was lost (a reason, no action) */
  gboolean     request_sent;
  /* Learning a lost delete's outcome: a result per booking read again so far, and the
   * ids whose outcome stays unknown. */
  GPtrArray   *results;
  GArray      *unknown_ids;
} ActionData;

typedef struct
{
  guint          bookings_per_page;
  guint          page_number;
  PcApiPageFunc  page_func;
  gpointer       page_data;
  GDestroyNotify page_data_destroy;
  GPtrArray     *bookings;
  GHashTable    *seen_ids;
  gboolean       keep;          /* list_all keeps the bookings; streaming does not */
  guint          n_bookings;    /* each counted once */
  guint          announced_pages; /* the first page's PageCount */
  guint          max_pages;
  guint          stale_pages;   /* full pages in a row with no booking not seen before */
} ListAllData;

static void
exchange_free (gpointer data)
{
  Exchange *ex = data;

  g_clear_object (&ex->msg);
  g_free (ex);
}

static void
action_data_free (gpointer data)
{
  ActionData *ad = data;

  g_clear_object (&ad->msg);
  g_clear_pointer (&ad->ids, g_array_unref);
  g_clear_error (&ad->lost_error);
  g_clear_pointer (&ad->results, g_ptr_array_unref);
  g_clear_pointer (&ad->unknown_ids, g_array_unref);
  g_free (ad);
}

static void
list_all_data_free (gpointer data)
{
  ListAllData *ld = data;

  if (ld->page_data_destroy != NULL)
    ld->page_data_destroy (ld->page_data);
  g_clear_pointer (&ld->bookings, g_ptr_array_unref);
  g_clear_pointer (&ld->seen_ids, g_hash_table_unref);
  g_free (ld);
}

/* GUri takes almost anything between "//" and the next "/" for a host. */
static gboolean
host_is_valid (const char *host)
{
  if (g_hostname_is_ip_address (host))
    return TRUE;

  for (const char *p = host; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.' && (guchar) *p < 0x80)
        return FALSE;
    }

  return TRUE;
}

static char *
quote_detail (const char *message)
{
  char *text = g_strstrip (g_strdup (message != NULL ? message : ""));
  gsize len = strlen (text);

  while (len > 0 && text[len - 1] == '.')
    text[--len] = '\0';

  return text;
}

/* Server text goes into messages people read: one line, valid UTF-8, not too long. */
static char *
tidy_server_text (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  GString *out = g_string_new (NULL);
  const char *p = valid;

  for (guint n = 0; *p != '\0' && n < MAX_SERVER_TEXT; p = g_utf8_next_char (p), n++)
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c) || g_unichar_isspace (c))
        {
          if (out->len > 0 && out->str[out->len - 1] != ' ')
            g_string_append_c (out, ' ');
        }
      else
        g_string_append_unichar (out, c);
    }

  g_strstrip (out->str);
  out->len = strlen (out->str);
  if (*p != '\0')
    g_string_append (out, "…");

  return g_string_free (out, FALSE);
}

static gboolean
ends_sentence (const char *text)
{
  gsize len = strlen (text);

  if (len == 0)
    return FALSE;

  return text[len - 1] == '.' || text[len - 1] == '!' || text[len - 1] == '?' ||
         g_str_has_suffix (text, "…");
}

static GError *
reason_error_new (PcApiError  code,
                  const char *format,
                  ...) G_GNUC_PRINTF (2, 3);

static GError *
reason_error_new (PcApiError  code,
                  const char *format,
                  ...)
{
  GError *error;
  va_list args;

  va_start (args, format);
  error = g_error_new_valist (PC_API_ERROR, code, format, args);
  va_end (args);

  return error;
}

/* Puts what was attempted in front of a reason. Cancellation stays as it is. */
static GError *
error_with_action (GError     *reason,
                   const char *action)
{
  char *message;

  if (g_error_matches (reason, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return reason;

  /* Translators: the first %s is what failed (“Could not load your bookings”), the
   * second why (“the server could not be reached (Connection refused).”). */
  message = g_strdup_printf (_("%s: %s"), action, reason->message);
  /* The same error, so that what it carries (a Retry-After) stays with it. */
  g_free (reason->message);
  reason->message = message;
  return reason;
}

static char *
action_for_page (guint page_number)
{
  if (page_number <= 1)
    return g_strdup (_("Could not load your bookings"));

  return g_strdup_printf (_("Could not load page %u of your bookings"), page_number);
}

static char *
action_for_booking (gint64 booking_id)
{
  g_autofree char *id = pc_booking_id_to_string (booking_id);

  return g_strdup_printf (_("Could not load booking %s"), id);
}

/* The bookings an action is about, as people read them: "4817263" or "100, 101, 102". */
static char *
ids_to_string (GArray *ids)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < ids->len; i++)
    {
      g_autofree char *id = pc_booking_id_to_string (g_array_index (ids, gint64, i));

      if (i > 0)
        g_string_append (out, ", ");
      g_string_append (out, id);
    }

  return g_string_free (out, FALSE);
}

/* What a booking action attempted, put in front of why it failed. */
static char *
action_title (ActionKind  kind,
              GArray     *ids)
{
  g_autofree char *id = ids_to_string (ids);

  switch (kind)
    {
    case ACTION_REINVITE:
      return g_strdup_printf (_("Could not re-invite booking %s"), id);
    case ACTION_ACCEPT:
      return g_strdup_printf (_("Could not accept booking %s"), id);
    case ACTION_REJECT:
      return g_strdup_printf (_("Could not reject booking %s"), id);
    case ACTION_CANCEL:
      return g_strdup_printf (_("Could not cancel booking %s"), id);
    case ACTION_DELETE:
    default:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Could not delete booking %s",
                                           "Could not delete bookings %s", ids->len), id);
    }
}

/* The start of an outcome-unknown message. */
static char *
maybe_title (ActionKind  kind,
             GArray     *ids)
{
  g_autofree char *id = ids_to_string (ids);

  switch (kind)
    {
    case ACTION_REINVITE:
      return g_strdup_printf (_("Booking %s may or may not have been re-invited"), id);
    case ACTION_ACCEPT:
      return g_strdup_printf (_("Booking %s may or may not have been accepted"), id);
    case ACTION_REJECT:
      return g_strdup_printf (_("Booking %s may or may not have been rejected"), id);
    case ACTION_CANCEL:
      return g_strdup_printf (_("Booking %s may or may not have been cancelled"), id);
    case ACTION_DELETE:
    default:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Booking %s may or may not have been deleted",
                                           "Bookings %s may or may not have been deleted",
                                           ids->len), id);
    }
}

/* Why a booking that still shows its old status proves nothing. */
static const char *
still_text (ActionKind kind)
{
  if (action_rules[kind].before == PC_BOOKING_STATUS_ACCEPTED)
    return _("It still showed as accepted afterwards, and the server may yet act on the "
             "request.");

  return _("It still showed as pending afterwards, and the server may yet act on the "
           "request.");
}

/* Why a booking read again shows the action did not happen. */
static char *
not_done_text (ActionKind  kind,
               const char *status)
{
  switch (kind)
    {
    case ACTION_REINVITE:
      return g_strdup_printf (_("The booking is now “%s”, so it was not re-invited."), status);
    case ACTION_ACCEPT:
      return g_strdup_printf (_("The booking is now “%s”, so it was not accepted."), status);
    case ACTION_REJECT:
      return g_strdup_printf (_("The booking is now “%s”, so it was not rejected."), status);
    case ACTION_CANCEL:
      return g_strdup_printf (_("The booking is now “%s”, so it was not cancelled."), status);
    case ACTION_DELETE:
    default:
      return g_strdup_printf (_("The booking is now “%s”, so it was not deleted."), status);
    }
}

static GError *
timeout_error_new (guint seconds)
{
  return reason_error_new (PC_API_ERROR_TIMED_OUT,
                           g_dngettext (GETTEXT_PACKAGE,
                                        "the server did not answer within %u second.",
                                        "the server did not answer within %u seconds.",
                                        seconds),
                           seconds);
}

/* Maps a failure below HTTP (no usable answer) to a reason. */
static GError *
transport_error (Exchange      *ex,
                 PcHttpOutcome *outcome,
                 GError        *error)
{
  g_autofree char *detail = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (outcome->timed_out)
        {
          g_debug ("No answer from %s within %u s", endpoints[ex->endpoint].path, ex->timeout);
          return timeout_error_new (ex->timeout);
        }
      return g_error_copy (error);
    }

  detail = quote_detail (error->message);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return reason_error_new (PC_API_ERROR_TIMED_OUT,
                             _("the server did not answer in time (%s)."), detail);

  /* The certificate is never accepted anyway: PcApi has no accept-certificate handler. */
  if (error->domain == G_TLS_ERROR)
    {
      if (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE))
        return reason_error_new (PC_API_ERROR_TLS,
                                 _("the server's security certificate is not valid, so no "
                                   "connection was made (%s)."), detail);
      return reason_error_new (PC_API_ERROR_TLS,
                               _("a secure connection to the server could not be set up (%s)."),
                               detail);
    }

  if (error->domain == G_RESOLVER_ERROR)
    return reason_error_new (PC_API_ERROR_CANNOT_CONNECT,
                             _("the server's address could not be found (%s)."), detail);

  if (error->domain == SOUP_SESSION_ERROR)
    return reason_error_new (PC_API_ERROR_HTTP,
                             _("the server's answer could not be understood (%s)."), detail);

  if (outcome->request_sent)
    return reason_error_new (PC_API_ERROR_CANNOT_CONNECT,
                             _("the connection to the server was lost after the request was "
                               "sent (%s)."), detail);

  return reason_error_new (PC_API_ERROR_CANNOT_CONNECT,
                           _("the server could not be reached (%s)."), detail);
}

static gboolean
endpoint_names_booking (PcApiEndpoint endpoint)
{
  return endpoint == PC_API_ENDPOINT_RECEIVED_BOOKING_DETAILS ||
         endpoint == PC_API_ENDPOINT_REINVITE ||
         endpoint == PC_API_ENDPOINT_ACCEPT ||
         endpoint == PC_API_ENDPOINT_REJECT ||
         endpoint == PC_API_ENDPOINT_CANCEL;
}

static guint
parse_retry_after (SoupMessage *msg)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (msg);
  g_autoptr(GDateTime) until = NULL;
  g_autoptr(GDateTime) sent = NULL;
  const char *value;
  const char *date;
  guint64 seconds;
  GTimeSpan wait;
  char *end = NULL;

  value = soup_message_headers_get_one (headers, "Retry-After");
  if (value == NULL)
    return 0;

  /* delta-seconds (RFC 9110 §10.2.3) */
  if (g_ascii_isdigit (*value))
    {
      seconds = g_ascii_strtoull (value, &end, 10);
      if (*end != '\0' || seconds == 0 || seconds > MAX_TIMEOUT_SECONDS)
        return 0;
      return (guint) seconds;
    }

  /* …or an HTTP date, counted from the answer's own Date: the two come from the same
   * clock, whatever this computer's says. */
  until = soup_date_time_new_from_http_string (value);
  if (until == NULL)
    return 0;
  date = soup_message_headers_get_one (headers, "Date");
  if (date != NULL)
    sent = soup_date_time_new_from_http_string (date);
  if (sent == NULL)
    sent = g_date_time_new_now_utc ();

  wait = g_date_time_difference (until, sent);
  if (wait <= 0 || wait > (GTimeSpan) MAX_TIMEOUT_SECONDS * G_USEC_PER_SEC)
    return 0;

  return (guint) ((wait + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
}

static void
set_retry_after (GError *error,
                 guint   retry_after)
{
  pc_api_error_get_private (error)->retry_after = retry_after;
}

/* A body that is not the API's JSON, in one whole translated sentence per kind. */
static GError *
not_json_error (PcApiError  code,
                GBytes     *body)
{
  g_autofree char *excerpt = NULL;

  switch (pc_json_classify_body (body, &excerpt))
    {
    case PC_BODY_EMPTY:
      return reason_error_new (code, _("the server sent an empty answer instead of JSON data."));
    case PC_BODY_HTML:
      if (excerpt != NULL)
        return reason_error_new (code, _("the server sent an HTML page (“%s”) instead of JSON "
                                         "data."), excerpt);
      return reason_error_new (code, _("the server sent an HTML page instead of JSON data."));
    case PC_BODY_XML:
      return reason_error_new (code, _("the server sent an XML document instead of JSON data."));
    case PC_BODY_TEXT:
    case PC_BODY_JSON:
    default:
      return reason_error_new (code, _("the server sent text that is not JSON data (“%s”)."),
                               excerpt != NULL ? excerpt : "");
    }
}

/* Maps an HTTP status that is not 2xx to a reason, with the server's own explanation
 * (`Message`) when its body has one. */
static GError *
http_status_error (Exchange *ex,
                   guint     status,
                   GBytes   *body)
{
  g_autofree char *raw_message = pc_json_error_message_from_body (body);
  g_autofree char *server_text = raw_message != NULL ? tidy_server_text (raw_message) : NULL;
  g_autofree char *http = NULL;
  const char *phrase = soup_status_get_phrase (status);
  PcBodyKind body_kind;
  gboolean api_spoke;
  GError *error;

  if (server_text != NULL && *server_text == '\0')
    g_clear_pointer (&server_text, g_free);

  /* “HTTP 503 Service Unavailable”, or “HTTP 418” where libsoup knows no phrase. */
  if (phrase == NULL || g_str_equal (phrase, "Unknown Error"))
    http = g_strdup_printf ("HTTP %u", status);
  else
    http = g_strdup_printf ("HTTP %u %s", status, phrase);

  /* A 401 or 403 that comes with a web page is not the API speaking (the reference, §2.6:
   * a security check in front of it answers 403 with HTML): telling the user to sign in
   * again would be wrong. A 404 page says the route is missing, not the booking. */
  body_kind = pc_json_classify_body (body, NULL);
  api_spoke = body_kind == PC_BODY_JSON || body_kind == PC_BODY_EMPTY;
  if ((status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_FORBIDDEN) && !api_spoke)
    {
      g_autofree char *with_status = NULL;

      error = not_json_error (PC_API_ERROR_HTTP, body);
      /* Translators: the first %s is a sentence saying what the server sent; the second
       * is an HTTP status such as “HTTP 403 Forbidden”. */
      with_status = g_strdup_printf (_("%s Its status was %s: something between PhoneChat "
                                       "and the API may be in the way. Try again later."),
                                     error->message, http);
      g_free (error->message);
      error->message = g_steal_pointer (&with_status);
      return error;
    }

  switch (status)
    {
    case SOUP_STATUS_UNAUTHORIZED:
      return reason_error_new (PC_API_ERROR_UNAUTHORIZED,
                               _("your session has expired or the access token is wrong. "
                                 "Sign in again."));

    case SOUP_STATUS_FORBIDDEN:
      error = reason_error_new (PC_API_ERROR_FORBIDDEN,
                                _("the access token does not have the "
                                  "“account_phonechat_bookings” permission that PhoneChat "
                                  "needs. Sign in again and allow access to your PhoneChat "
                                  "bookings."));
      break;

    case SOUP_STATUS_NOT_FOUND:
      if (endpoint_names_booking (ex->endpoint) && api_spoke)
        error = reason_error_new (PC_API_ERROR_NOT_FOUND,
                                  _("the server does not know this booking. It may have been "
                                    "deleted."));
      else
        error = reason_error_new (PC_API_ERROR_NOT_FOUND,
                                  _("the server does not offer %s (HTTP 404 Not Found). This "
                                    "version of PhoneChat may need an update."),
                                  endpoints[ex->endpoint].path);
      break;

    case SOUP_STATUS_BAD_REQUEST:
    case SOUP_STATUS_CONFLICT:
    case SOUP_STATUS_UNPROCESSABLE_ENTITY:
      if (server_text != NULL)
        return reason_error_new (PC_API_ERROR_REJECTED, _("the server refused it: %s%s"),
                                 server_text, ends_sentence (server_text) ? "" : ".");
      return reason_error_new (PC_API_ERROR_REJECTED,
                               _("the server refused it without saying why (%s)."), http);

    case 429: /* Too Many Requests: libsoup 3.2 has no name for it */
      {
        guint retry_after = parse_retry_after (ex->msg);

        if (retry_after > 0)
          error = reason_error_new (PC_API_ERROR_RATE_LIMITED,
                                    g_dngettext (GETTEXT_PACKAGE,
                                                 "the server has had too many requests. Try "
                                                 "again in %u second.",
                                                 "the server has had too many requests. Try "
                                                 "again in %u seconds.",
                                                 retry_after),
                                    retry_after);
        else
          error = reason_error_new (PC_API_ERROR_RATE_LIMITED,
                                    _("the server has had too many requests. Wait a minute "
                                      "and try again."));
        set_retry_after (error, retry_after);
        break;
      }

    default:
      if (status >= 500 && status <= 599)
        {
          error = reason_error_new (PC_API_ERROR_SERVER,
                                    _("the server had a problem (%s). Try again later."), http);
          if (status == SOUP_STATUS_SERVICE_UNAVAILABLE)
            set_retry_after (error, parse_retry_after (ex->msg));
        }
      else if (status >= 300 && status <= 399)
        /* Redirects are not followed: the token must not go to another address. */
        error = reason_error_new (PC_API_ERROR_HTTP,
                                  _("the server sent the request to another address (%s), "
                                    "which PhoneChat does not follow."), http);
      else
        error = reason_error_new (PC_API_ERROR_HTTP,
                                  _("the server gave an unexpected answer (%s)."), http);
      break;
    }

  if (server_text != NULL)
    {
      g_autofree char *with_text = NULL;

      /* Translators: %s is the explanation the server sent, as it sent it. */
      with_text = g_strdup_printf (_("%s The server said: “%s”"), error->message, server_text);
      g_free (error->message);
      error->message = g_steal_pointer (&with_text);
    }

  return error;
}

/* Maps a 2xx body that cannot be read as what we asked for. pc-json never fails without
 * an error; if it ever did, the body is still reported rather than dereferenced. */
static GError *
body_error (GError *json_error,
            GBytes *body)
{
  g_autofree char *detail = NULL;

  g_return_val_if_fail (json_error != NULL, not_json_error (PC_API_ERROR_NOT_JSON, body));

  if (g_error_matches (json_error, PC_JSON_ERROR, PC_JSON_ERROR_NOT_JSON))
    return not_json_error (PC_API_ERROR_NOT_JSON, body);

  detail = quote_detail (json_error->message);
  return reason_error_new (PC_API_ERROR_MALFORMED,
                           _("the server's answer is not in the form PhoneChat expects (%s)."),
                           detail);
}

static GError *
too_large_error (gsize limit)
{
  g_autofree char *size = g_format_size (limit);

  return reason_error_new (PC_API_ERROR_TOO_LARGE,
                           _("the server's answer is larger than the limit of %s."), size);
}

static void
debug_printer_cb (SoupLogger         *logger,
                  SoupLoggerLogLevel  level,
                  char                direction,
                  const char         *data,
                  gpointer            user_data)
{
  static const char * const secret_headers[] = {
    "Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie",
  };

  for (guint i = 0; i < G_N_ELEMENTS (secret_headers); i++)
    {
      gsize len = strlen (secret_headers[i]);

      if (g_ascii_strncasecmp (data, secret_headers[i], len) == 0 && data[len] == ':')
        {
          const char *value = data + len + 1;
          const char *space;

          while (*value == ' ')
            value++;

          /* Keep the scheme (“bearer”), which helps debugging and is no secret. */
          space = strchr (value, ' ');
          if (i == 0 && space != NULL)
            g_printerr ("%c %s: %.*s [redacted]\n", direction, secret_headers[i],
                        (int) (space - value), value);
          else
            g_printerr ("%c %s: [redacted]\n", direction, secret_headers[i]);
          return;
        }
    }

  g_printerr ("%c %s\n", direction, data);
}

/* Returns the token to send, stripped, or NULL with a NO_TOKEN reason. */
static char *
get_token (PcApi   *self,
           GError **error)
{
  g_autofree char *token = NULL;

  if (self->token_func != NULL)
    token = self->token_func (self->token_data);
  else
    token = g_strdup (self->token);

  if (token != NULL)
    g_strstrip (token);

  if (token == NULL || *token == '\0')
    {
      g_propagate_error (error, reason_error_new (PC_API_ERROR_NO_TOKEN,
                                                  _("you are not signed in. Sign in first.")));
      return NULL;
    }

  /* A header value cannot hold control characters, and a bearer token is plain ASCII. */
  for (const char *p = token; *p != '\0'; p++)
    {
      if ((guchar) *p <= ' ' || (guchar) *p >= 0x7f)
        {
          g_propagate_error (error,
                             reason_error_new (PC_API_ERROR_NO_TOKEN,
                                               _("the saved access token is not usable. Sign "
                                                 "in again.")));
          return NULL;
        }
    }

  return g_steal_pointer (&token);
}

/* Everything a request carries, checked before anything leaves the machine. */
static gboolean
prepare_message (PcApi        *self,
                 SoupMessage  *msg,
                 GError      **error)
{
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);
  g_autofree char *token = NULL;
  g_autofree char *authorization = NULL;
  GUri *uri = soup_message_get_uri (msg);

  /* pc_api_new() already refused such a base URL; this guards every request anyway. */
  if (!_pc_http_uri_is_protected (uri))
    {
      g_set_error (error, PC_API_ERROR, PC_API_ERROR_INSECURE,
                   _("PhoneChat does not send your access token to %s over an unencrypted "
                     "connection. Use an https:// address."),
                   g_uri_get_host (uri));
      return FALSE;
    }

  token = get_token (self, error);
  if (token == NULL)
    return FALSE;

  authorization = g_strconcat ("bearer ", token, NULL);
  soup_message_headers_replace (headers, "Authorization", authorization);
  soup_message_headers_replace (headers, "Accept", "application/json");
  /* A User-Agent set on the session replaces this one (libsoup's rule). */
  soup_message_headers_replace (headers, "User-Agent",
                                "PhoneChat/" PACKAGE_VERSION " (" APP_ID ")");

  /* Redirects are not followed: a token must never be replayed to another address. */
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);

  /* Connections. A GET may go out on an idle kept-alive connection; a POST (a booking
   * action) always gets a new one, libsoup's rule for a non-idempotent method without
   * SOUP_MESSAGE_IDEMPOTENT. The flag would let a POST reuse an idle connection, and
   * libsoup 3.6 would still never resend it (request_is_restartable() in
   * http1/soup-client-message-io-http1.c and soup_http2_message_data_can_be_restarted()
   * in http2/ restart on SOUP_METHOD_IS_IDEMPOTENT, the method, not the flag), and it
   * would save a TCP and TLS handshake per action (about 2× the latency on loopback,
   * tests/bench/bench-reinvite.c). It is not set, for two reasons:
   * - a connection the server closes just as a POST goes out on it makes the action's
   *   outcome unknown, a worse thing to show a performer than a slower request;
   * - with it, a batch re-invite stalled in CI (.ci/run, the AddressSanitizer run of
   *   /reinvite-ui/batch: one request never left libsoup's queue in 100 s). libsoup's
   *   connection manager, at the per-host limit, drops idle connections to make room
   *   only for a message that needs a new connection, and otherwise waits; not
   *   understood far enough to rule out in the field. */
  if (g_strcmp0 (soup_message_get_method (msg), SOUP_METHOD_GET) == 0)
    soup_message_add_flags (msg, SOUP_MESSAGE_IDEMPOTENT);

  return TRUE;
}

static void
exchange_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Exchange *ex = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  PcHttpOutcome outcome;

  body = _pc_http_send_finish (result, &outcome, &error);
  ex->request_sent = outcome.request_sent;

  if (body == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE))
        {
          g_debug ("Answer from %s is over the cap of %" G_GSIZE_FORMAT " bytes",
                   endpoints[ex->endpoint].path, ex->max_body_size);
          g_task_return_error (task, too_large_error (ex->max_body_size));
        }
      else
        g_task_return_error (task, transport_error (ex, &outcome, error));
    }
  else if (SOUP_STATUS_IS_SUCCESSFUL (outcome.status))
    g_task_return_pointer (task, g_steal_pointer (&body), (GDestroyNotify) g_bytes_unref);
  else
    g_task_return_error (task, http_status_error (ex, outcome.status, body));
}

/*
 * send_async:
 *
 * Sends @msg and reads its body within the timeout and the cap (_pc_http_send_async()).
 * The task returns the body of a 2xx answer, or a PC_API_ERROR whose message is a reason
 * without an action, or %G_IO_ERROR_CANCELLED when @cancellable was cancelled.
 */
static void
send_async (PcApi               *self,
            PcApiEndpoint        endpoint,
            SoupMessage         *msg,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  Exchange *ex;

  g_assert (PC_IS_API (self));
  g_assert (SOUP_IS_MESSAGE (msg));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, send_async);

  ex = g_new0 (Exchange, 1);
  ex->endpoint = endpoint;
  ex->msg = g_object_ref (msg);
  ex->max_body_size = self->max_body_size;
  ex->timeout = self->timeout;
  g_task_set_task_data (task, ex, exchange_free);

  if (g_task_return_error_if_cancelled (task))
    return;

  if (!prepare_message (self, msg, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  _pc_http_send_async (self->session, msg, ex->timeout, ex->max_body_size, ERROR_BODY_LIMIT,
                       cancellable, exchange_done_cb, g_steal_pointer (&task));
}

/*
 * send_finish:
 * @request_sent: (out) (optional): whether the whole request was written, so that the
 *   server may have acted on it even though its answer is lost
 */
static GBytes *
send_finish (PcApi         *self,
             GAsyncResult  *result,
             gboolean      *request_sent,
             GError       **error)
{
  Exchange *ex;

  g_assert (g_task_is_valid (result, self));
  g_assert (g_task_get_source_tag (G_TASK (result)) == send_async);

  ex = g_task_get_task_data (G_TASK (result));
  if (request_sent != NULL)
    *request_sent = ex->request_sent;

  return g_task_propagate_pointer (G_TASK (result), error);
}

static SoupMessage *
new_message (PcApi         *self,
             PcApiEndpoint  endpoint,
             const char    *query)
{
  g_autoptr(GUri) uri = NULL;
  g_autofree char *path = NULL;

  path = g_strconcat (g_uri_get_path (self->base_uri), endpoints[endpoint].path, NULL);
  uri = g_uri_build (SOUP_HTTP_URI_FLAGS,
                     g_uri_get_scheme (self->base_uri),
                     NULL,
                     g_uri_get_host (self->base_uri),
                     g_uri_get_port (self->base_uri),
                     path, query, NULL);

  return soup_message_new_from_uri (endpoints[endpoint].method, uri);
}

static void
pc_api_dispose (GObject *object)
{
  PcApi *self = (PcApi *) object;

  if (self->logger != NULL && self->session != NULL)
    soup_session_remove_feature (self->session, SOUP_SESSION_FEATURE (self->logger));
  g_clear_object (&self->logger);
  g_clear_object (&self->session);

  if (self->token_destroy != NULL)
    self->token_destroy (self->token_data);
  self->token_func = NULL;
  self->token_data = NULL;
  self->token_destroy = NULL;

  G_OBJECT_CLASS (pc_api_parent_class)->dispose (object);
}

static void
pc_api_finalize (GObject *object)
{
  PcApi *self = (PcApi *) object;

  g_clear_pointer (&self->base_uri, g_uri_unref);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->zone, g_time_zone_unref);
  g_clear_pointer (&self->token, g_free);

  G_OBJECT_CLASS (pc_api_parent_class)->finalize (object);
}

static void
pc_api_class_init (PcApiClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pc_api_dispose;
  object_class->finalize = pc_api_finalize;

  /**
   * PcApi::action-started:
   * @booking_id: the booking acted on (a delete of several emits once for each)
   * @status: the status the action leads to when it works (Rejected for a re-invite,
   *   Accepted for an accept, …); %PC_BOOKING_STATUS_UNKNOWN for a delete
   *
   * A booking action is about to be sent. Whoever watches the bookings can tell the
   * changes this program made from the ones others made (a client cancelling).
   */
  signals[SIGNAL_ACTION_STARTED] =
    g_signal_new ("action-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT64,
                  PC_TYPE_BOOKING_STATUS);
}

static void
pc_api_init (PcApi *self)
{
  self->timeout = DEFAULT_TIMEOUT_SECONDS;
  self->max_body_size = DEFAULT_MAX_BODY_SIZE;
  self->zone = pc_json_get_default_zone ();
}

/**
 * pc_api_endpoint_get_path:
 *
 * Returns: the path of @endpoint, e.g. `/v1/PhoneChat/ReInvite`
 */
const char *
pc_api_endpoint_get_path (PcApiEndpoint endpoint)
{
  g_return_val_if_fail (endpoint < PC_API_N_ENDPOINTS, NULL);

  return endpoints[endpoint].path;
}

/**
 * pc_api_endpoint_is_inferred:
 *
 * Returns: whether @endpoint's path is inferred from sibling endpoints rather than
 *   documented (the reference's tags), so that a server may well not have it
 */
gboolean
pc_api_endpoint_is_inferred (PcApiEndpoint endpoint)
{
  g_return_val_if_fail (endpoint < PC_API_N_ENDPOINTS, FALSE);

  return endpoints[endpoint].inferred;
}

/* Checks a base URL; returns it without a trailing slash. */
/**
 * pc_api_new_session:
 *
 * The HTTP session PhoneChat's requests share: enough connections for a batch beside a
 * page load (libsoup's default of two would serialize a batch), and kept-alive
 * connections let go before a server would.
 *
 * Returns: (transfer full): a new #SoupSession
 */
SoupSession *
pc_api_new_session (void)
{
  /* No User-Agent here: the session's would replace each request's own. */
  return soup_session_new_with_options ("max-conns-per-host", PC_API_MAX_CONNS_PER_HOST,
                                        "idle-timeout", PC_API_IDLE_TIMEOUT,
                                        NULL);
}

static GUri *
parse_base_url (const char  *base_url,
                GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *path = NULL;
  const char *scheme;
  const char *host;
  gsize len;
  int port;

  uri = g_uri_parse (base_url, SOUP_HTTP_URI_FLAGS, &local_error);
  if (uri == NULL)
    {
      g_autofree char *detail = quote_detail (local_error->message);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a valid server address (%s)."), base_url, detail);
      return NULL;
    }

  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);

  if (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a valid server address: it must start with https://."),
                   base_url);
      return NULL;
    }

  if (host == NULL || *host == '\0' || !host_is_valid (host))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a valid server address: it names no server."), base_url);
      return NULL;
    }

  if (g_uri_get_userinfo (uri) != NULL || g_uri_get_query (uri) != NULL ||
      g_uri_get_fragment (uri) != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a valid server address: it must not contain a user name, a "
                     "password, a query or a fragment."), base_url);
      return NULL;
    }

  if (!_pc_http_uri_is_protected (uri))
    {
      g_set_error (error, PC_API_ERROR, PC_API_ERROR_INSECURE,
                   _("PhoneChat does not use “%s”: your access token would travel "
                     "unencrypted. Use an https:// address (plain http:// is only allowed to "
                     "this computer)."), base_url);
      return NULL;
    }

  path = g_strdup (g_uri_get_path (uri));
  len = strlen (path);
  while (len > 0 && path[len - 1] == '/')
    path[--len] = '\0';

  /* Without SCHEME_NORMALIZE, which would turn the empty path back into "/"; the default
   * port, which normalization reports, is left implicit by hand. */
  port = g_uri_get_port (uri);
  if ((port == 443 && g_ascii_strcasecmp (scheme, "https") == 0) ||
      (port == 80 && g_ascii_strcasecmp (scheme, "http") == 0))
    port = -1;

  return g_uri_build (SOUP_HTTP_URI_FLAGS & ~G_URI_FLAGS_SCHEME_NORMALIZE, scheme, NULL, host,
                      port, path, NULL, NULL);
}

/**
 * pc_api_new:
 * @session: the application's session; PcApi adds nothing to it but, in debug mode, a
 *   logger
 * @base_url: %PC_API_LIVE_URL, %PC_API_SANDBOX_URL, or an http:// URL to this computer
 *   (localhost, 127.0.0.0/8, ::1), without the `/v1`
 *
 * Returns: (transfer full): a new #PcApi, or %NULL with %G_IO_ERROR_INVALID_ARGUMENT for a
 *   malformed or non-http(s) URL, or %PC_API_ERROR_INSECURE for plain http:// to another
 *   computer
 */
PcApi *
pc_api_new (SoupSession  *session,
            const char   *base_url,
            GError      **error)
{
  g_autoptr(GUri) uri = NULL;
  PcApi *self;

  g_return_val_if_fail (SOUP_IS_SESSION (session), NULL);
  g_return_val_if_fail (base_url != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  uri = parse_base_url (base_url, error);
  if (uri == NULL)
    return NULL;

  self = g_object_new (PC_TYPE_API, NULL);
  self->session = g_object_ref (session);
  self->base_url = g_uri_to_string (uri);
  self->base_uri = g_steal_pointer (&uri);

  return self;
}

/**
 * pc_api_get_base_url:
 *
 * Returns: the base URL, normalized (lower-case scheme, no trailing slash)
 */
const char *
pc_api_get_base_url (PcApi *self)
{
  g_return_val_if_fail (PC_IS_API (self), NULL);

  return self->base_url;
}

/**
 * pc_api_set_token_func:
 * @func: (nullable): called before every request for the current access token
 *
 * Replaces any token set with pc_api_set_token().
 */
void
pc_api_set_token_func (PcApi          *self,
                       PcApiTokenFunc  func,
                       gpointer        user_data,
                       GDestroyNotify  destroy)
{
  GDestroyNotify old_destroy;
  gpointer old_data;

  g_return_if_fail (PC_IS_API (self));

  old_destroy = self->token_destroy;
  old_data = self->token_data;

  self->token_func = func;
  self->token_data = user_data;
  self->token_destroy = destroy;
  g_clear_pointer (&self->token, g_free);

  if (old_destroy != NULL)
    old_destroy (old_data);
}

/**
 * pc_api_set_token:
 * @token: (nullable): a fixed access token; %NULL for none
 *
 * Replaces any token function.
 */
void
pc_api_set_token (PcApi      *self,
                  const char *token)
{
  g_return_if_fail (PC_IS_API (self));

  pc_api_set_token_func (self, NULL, NULL, NULL);
  self->token = g_strdup (token);
}

/**
 * pc_api_set_timeout:
 * @seconds: the longest a whole exchange (connect, send, answer and body) may take; 0 for
 *   no limit. The default is 30.
 */
void
pc_api_set_timeout (PcApi *self,
                    guint  seconds)
{
  g_return_if_fail (PC_IS_API (self));

  self->timeout = MIN (seconds, MAX_TIMEOUT_SECONDS);
}

guint
pc_api_get_timeout (PcApi *self)
{
  g_return_val_if_fail (PC_IS_API (self), 0);

  return self->timeout;
}

/**
 * pc_api_set_max_body_size:
 * @bytes: the largest answer body accepted (default 8 MiB); larger ones fail with
 *   %PC_API_ERROR_TOO_LARGE without being read in full
 */
void
pc_api_set_max_body_size (PcApi *self,
                          gsize  bytes)
{
  g_return_if_fail (PC_IS_API (self));
  g_return_if_fail (bytes > 0);

  /* A GByteArray holds at most G_MAXUINT bytes; one more is read to detect the excess. */
  self->max_body_size = MIN (bytes, (gsize) G_MAXUINT - 1);
}

gsize
pc_api_get_max_body_size (PcApi *self)
{
  g_return_val_if_fail (PC_IS_API (self), 0);

  return self->max_body_size;
}

/**
 * pc_api_set_zone:
 * @zone: (nullable): the zone the API's datetimes are in; %NULL for Europe/London
 */
void
pc_api_set_zone (PcApi     *self,
                 GTimeZone *zone)
{
  g_return_if_fail (PC_IS_API (self));

  g_clear_pointer (&self->zone, g_time_zone_unref);
  self->zone = zone != NULL ? g_time_zone_ref (zone) : pc_json_get_default_zone ();
}

/**
 * pc_api_get_zone:
 *
 * Returns: (transfer none): the API's time zone
 */
GTimeZone *
pc_api_get_zone (PcApi *self)
{
  g_return_val_if_fail (PC_IS_API (self), NULL);

  return self->zone;
}

/**
 * pc_api_set_debug:
 *
 * Logs every request and answer of the session (headers only) to stderr. The values of
 * `Authorization`, `Cookie` and `Set-Cookie` are never printed. Meant to be set once, at
 * start-up: libsoup 3.2 keeps a logger that is removed while a message is still queued
 * alive for good (its printer holds no pointer to @self, so that is only a small leak).
 */
void
pc_api_set_debug (PcApi    *self,
                  gboolean  debug)
{
  g_return_if_fail (PC_IS_API (self));

  debug = !!debug;
  if (debug == (self->logger != NULL))
    return;

  if (debug)
    {
      self->logger = soup_logger_new (SOUP_LOGGER_LOG_HEADERS);
      soup_logger_set_printer (self->logger, debug_printer_cb, NULL, NULL);
      soup_session_add_feature (self->session, SOUP_SESSION_FEATURE (self->logger));
    }
  else
    {
      soup_session_remove_feature (self->session, SOUP_SESSION_FEATURE (self->logger));
      g_clear_object (&self->logger);
    }
}

/* Verify credentials */

static void
verify_credentials_sent_cb (GObject      *source,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  PcApi *self = PC_API (source);
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  GError *reason = NULL;
  JsonNode *member = NULL;

  body = send_finish (self, result, NULL, &error);
  if (body == NULL)
    {
      reason = g_steal_pointer (&error);
      goto out;
    }

  root = pc_json_parse_bytes (body, &error);
  if (root == NULL)
    {
      reason = body_error (error, body);
      goto out;
    }

  if (JSON_NODE_HOLDS_OBJECT (root))
    member = json_object_get_member (json_node_get_object (root), "UserID");

  if (member == NULL || !JSON_NODE_HOLDS_VALUE (member) ||
      json_node_get_value_type (member) != G_TYPE_INT64 || json_node_get_int (member) <= 0)
    {
      reason = reason_error_new (PC_API_ERROR_MALFORMED,
                                 _("the server's answer has no valid user ID."));
      goto out;
    }

  g_task_return_pointer (task, g_memdup2 (&(gint64) { json_node_get_int (member) },
                                          sizeof (gint64)), g_free);
  return;

out:
  g_task_return_error (task, error_with_action (reason, _("Could not check your sign-in")));
}

/**
 * pc_api_verify_credentials_async:
 *
 * Asks the server who the token belongs to (`GET /v1/account/verifyCredentials`).
 */
void
pc_api_verify_credentials_async (PcApi               *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupMessage) msg = NULL;

  g_return_if_fail (PC_IS_API (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pc_api_verify_credentials_async);

  msg = new_message (self, PC_API_ENDPOINT_VERIFY_CREDENTIALS, NULL);
  send_async (self, PC_API_ENDPOINT_VERIFY_CREDENTIALS, msg, cancellable,
              verify_credentials_sent_cb, g_steal_pointer (&task));
}

/**
 * pc_api_verify_credentials_finish:
 * @user_id: (out) (optional): the UserID the token belongs to
 */
gboolean
pc_api_verify_credentials_finish (PcApi         *self,
                                  GAsyncResult  *result,
                                  gint64        *user_id,
                                  GError       **error)
{
  g_autofree gint64 *id = NULL;

  g_return_val_if_fail (PC_IS_API (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        pc_api_verify_credentials_async, FALSE);

  id = g_task_propagate_pointer (G_TASK (result), error);
  if (id == NULL)
    return FALSE;

  if (user_id != NULL)
    *user_id = *id;
  return TRUE;
}

/* One page */

/* A page's body is read into bookings off the main thread: 100 bookings take a few
 * milliseconds, and a load of 100,000 brings a thousand pages, which the main loop would
 * otherwise read between frames. One worker for every PcApi: pages are read one at a time,
 * in the order they come, and the bookings they make live in one malloc arena. */
typedef struct
{
  GBytes    *body;
  GTimeZone *zone;
} PageBody;

static void
page_body_free (gpointer data)
{
  PageBody *pb = data;

  g_bytes_unref (pb->body);
  g_time_zone_unref (pb->zone);
  g_free (pb);
}

static void
read_page_worker (gpointer data,
                  gpointer user_data)
{
  /* Nothing here touches the PcApi: the task has no source object, so whichever thread
   * drops it last, nothing of the main thread's is finalized here. */
  g_autoptr(GTask) task = data;
  PageBody *pb = g_task_get_task_data (task);
  GError *error = NULL;
  PcReceivedPage *page;

  page = pc_json_page_from_bytes (pb->body, pb->zone, &error);
  if (page != NULL)
    g_task_return_pointer (task, page, (GDestroyNotify) pc_received_page_free);
  else
    g_task_return_error (task, error);
}

static GThreadPool *
page_reader_pool (void)
{
  static GThreadPool *pool;

  if (g_once_init_enter_pointer (&pool))
    g_once_init_leave_pointer (&pool, g_thread_pool_new (read_page_worker, NULL, 1, FALSE,
                                                         NULL));

  return pool;
}

/* Back on the main thread with the page read, or why not. */
static void
page_read_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *action = NULL;
  PageBody *pb = g_task_get_task_data (G_TASK (result));
  PcReceivedPage *page;
  GError *reason;

  page = g_task_propagate_pointer (G_TASK (result), &error);
  if (page != NULL)
    {
      g_task_return_pointer (task, page, (GDestroyNotify) pc_received_page_free);
      return;
    }

  reason = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
           ? g_steal_pointer (&error)
           : body_error (error, pb->body);
  action = action_for_page (GPOINTER_TO_UINT (g_task_get_task_data (task)));
  g_task_return_error (task, error_with_action (reason, action));
}

static void
list_bookings_sent_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  PcApi *self = PC_API (source);
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *action = NULL;
  GCancellable *cancellable;
  GTask *read_task;
  PageBody *pb;

  body = send_finish (self, result, NULL, &error);
  if (body == NULL)
    {
      action = action_for_page (GPOINTER_TO_UINT (g_task_get_task_data (task)));
      g_task_return_error (task, error_with_action (g_steal_pointer (&error), action));
      return;
    }

  pb = g_new0 (PageBody, 1);
  pb->body = g_steal_pointer (&body);
  pb->zone = g_time_zone_ref (self->zone);
  cancellable = g_task_get_cancellable (task);
  read_task = g_task_new (NULL, cancellable, page_read_cb, g_steal_pointer (&task));
  g_task_set_source_tag (read_task, read_page_worker);
  g_task_set_task_data (read_task, pb, page_body_free);
  g_thread_pool_push (page_reader_pool (), read_task, NULL);
}

/**
 * pc_api_list_bookings_async:
 * @page_number: 1-based
 * @bookings_per_page: 1–100
 *
 * Loads one page of received bookings, newest session first.
 */
void
pc_api_list_bookings_async (PcApi               *self,
                            guint                page_number,
                            guint                bookings_per_page,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *query = NULL;

  g_return_if_fail (PC_IS_API (self));
  g_return_if_fail (page_number >= 1);
  g_return_if_fail (bookings_per_page >= 1 && bookings_per_page <= MAX_BOOKINGS_PER_PAGE);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pc_api_list_bookings_async);
  g_task_set_task_data (task, GUINT_TO_POINTER (page_number), NULL);

  query = g_strdup_printf ("PageNumber=%u&BookingsPerPage=%u&OrderBy=" ORDER_BY,
                           page_number, bookings_per_page);
  msg = new_message (self, PC_API_ENDPOINT_RECEIVED_BOOKINGS, query);
  send_async (self, PC_API_ENDPOINT_RECEIVED_BOOKINGS, msg, cancellable,
              list_bookings_sent_cb, g_steal_pointer (&task));
}

/**
 * pc_api_list_bookings_finish:
 *
 * Returns: (transfer full): the page, or %NULL with an error
 */
PcReceivedPage *
pc_api_list_bookings_finish (PcApi         *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (PC_IS_API (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        pc_api_list_bookings_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* All pages */

static void list_all_page_cb (GObject      *source,
                              GAsyncResult *result,
                              gpointer      user_data);

static void
list_all_request_page (GTask *task)
{
  PcApi *self = g_task_get_source_object (task);
  ListAllData *ld = g_task_get_task_data (task);

  pc_api_list_bookings_async (self, ld->page_number, ld->bookings_per_page,
                              g_task_get_cancellable (task), list_all_page_cb, task);
}

static void
list_all_page_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  PcApi *self = PC_API (source);
  g_autoptr(GTask) task = user_data;
  ListAllData *ld = g_task_get_task_data (task);
  g_autoptr(PcReceivedPage) page = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) fresh = NULL;
  guint added = 0;
  gboolean last;

  page = pc_api_list_bookings_finish (self, result, &error);
  if (page == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* The caller sees every page as it arrives, even one whose bookings overlap an earlier
   * page because the list moved meanwhile. The result holds each booking once. */
  if (!ld->keep)
    fresh = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < page->bookings->len; i++)
    {
      PcBooking *booking = g_ptr_array_index (page->bookings, i);
      gint64 id = pc_booking_get_booking_id (booking);

      if (g_hash_table_add (ld->seen_ids, g_memdup2 (&id, sizeof id)))
        {
          g_ptr_array_add (ld->keep ? ld->bookings : fresh, g_object_ref (booking));
          added++;
        }
    }
  ld->n_bookings += added;

  if (ld->page_number == 1)
    {
      ld->announced_pages = (guint) CLAMP (page->page_count, 1, G_MAXINT / 2);
      ld->max_pages = ld->announced_pages + ld->announced_pages / 10 + 2;
    }
  ld->stale_pages = added > 0 ? 0 : ld->stale_pages + 1;

  last = (gint64) ld->page_number >= page->page_count ||
         page->page_number >= page->page_count ||
         page->bookings->len < ld->bookings_per_page;

  if (ld->page_func != NULL)
    {
      if (ld->keep)
        ld->page_func (self, page, ld->page_data);
      else
        {
          /* Streaming: the caller sees only the bookings it has not seen before. */
          GPtrArray *sent = page->bookings;

          page->bookings = fresh;
          ld->page_func (self, page, ld->page_data);
          page->bookings = sent;
        }
    }

  if (last)
    {
      if (ld->keep)
        g_task_return_pointer (task, g_steal_pointer (&ld->bookings),
                               (GDestroyNotify) g_ptr_array_unref);
      else
        g_task_return_int (task, ld->n_bookings);
      return;
    }

  if (ld->stale_pages >= MAX_STALE_PAGES)
    {
      g_task_return_new_error (task, PC_API_ERROR, PC_API_ERROR_MALFORMED,
                               _("Could not load all your bookings: the server sent only "
                                 "bookings it had sent already for %u pages in a row, which "
                                 "PhoneChat takes for a fault."),
                               ld->stale_pages);
      return;
    }

  if (ld->page_number >= ld->max_pages)
    {
      g_task_return_new_error (task, PC_API_ERROR, PC_API_ERROR_MALFORMED,
                               _("Could not load all your bookings: the server still had "
                                 "more after %u pages, though it said there were %u, which "
                                 "PhoneChat takes for a fault."),
                               ld->page_number, ld->announced_pages);
      return;
    }

  if (g_task_return_error_if_cancelled (task))
    return;

  ld->page_number++;
  list_all_request_page (g_steal_pointer (&task));
}

static void
list_all_start (PcApi               *self,
                gpointer             source_tag,
                gboolean             keep,
                guint                bookings_per_page,
                PcApiPageFunc        page_func,
                gpointer             page_data,
                GDestroyNotify       page_data_destroy,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ListAllData *ld;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);

  ld = g_new0 (ListAllData, 1);
  ld->keep = keep;
  ld->bookings_per_page = bookings_per_page;
  ld->page_number = 1;
  ld->page_func = page_func;
  ld->page_data = page_data;
  ld->page_data_destroy = page_data_destroy;
  if (keep)
    ld->bookings = g_ptr_array_new_with_free_func (g_object_unref);
  ld->seen_ids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_task_set_task_data (task, ld, list_all_data_free);

  list_all_request_page (g_steal_pointer (&task));
}

/**
 * pc_api_list_all_bookings_async:
 * @bookings_per_page: 1–100
 * @page_func: (nullable) (scope notified) (closure page_data) (destroy page_data_destroy):
 *   called once per page, in order, as pages arrive, after this function has returned;
 *   the page is only borrowed
 * @page_data_destroy: (nullable): frees @page_data once the loading has ended
 *
 * Loads every page of received bookings, one after the other. It stops at the last page
 * (`PageNumber >= PageCount`, or a short page). There is no fixed limit: a server that
 * goes on past the PageCount its first page announced (with a tenth more for bookings
 * that arrive meanwhile), or sends nothing new for three full pages in a row, is taken
 * for a fault (%PC_API_ERROR_MALFORMED).
 */
void
pc_api_list_all_bookings_async (PcApi               *self,
                                guint                bookings_per_page,
                                PcApiPageFunc        page_func,
                                gpointer             page_data,
                                GDestroyNotify       page_data_destroy,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (PC_IS_API (self));
  g_return_if_fail (bookings_per_page >= 1 && bookings_per_page <= MAX_BOOKINGS_PER_PAGE);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  list_all_start (self, pc_api_list_all_bookings_async, TRUE, bookings_per_page, page_func,
                  page_data, page_data_destroy, cancellable, callback, user_data);
}

/**
 * pc_api_stream_bookings_async:
 * @bookings_per_page: 1–100
 * @page_func: (scope notified) (closure page_data) (destroy page_data_destroy): called
 *   once per page, in order, as pages arrive, with only the bookings of the page not
 *   seen on an earlier one (the page is only borrowed)
 * @page_data_destroy: (nullable): frees @page_data once the loading has ended
 *
 * Like pc_api_list_all_bookings_async(), but keeps no booking: what it holds does not
 * grow with the number of bookings but for their ids, so a caller that prints each
 * page and lets it go loads any number of bookings in the memory of one page.
 */
void
pc_api_stream_bookings_async (PcApi               *self,
                              guint                bookings_per_page,
                              PcApiPageFunc        page_func,
                              gpointer             page_data,
                              GDestroyNotify       page_data_destroy,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (PC_IS_API (self));
  g_return_if_fail (bookings_per_page >= 1 && bookings_per_page <= MAX_BOOKINGS_PER_PAGE);
  g_return_if_fail (page_func != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  list_all_start (self, pc_api_stream_bookings_async, FALSE, bookings_per_page, page_func,
                  page_data, page_data_destroy, cancellable, callback, user_data);
}

/**
 * pc_api_stream_bookings_finish:
 *
 * Returns: how many bookings there were (each counted once), or -1 with an error
 */
gint
pc_api_stream_bookings_finish (PcApi         *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (PC_IS_API (self), -1);
  g_return_val_if_fail (g_task_is_valid (result, self), -1);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        pc_api_stream_bookings_async, -1);

  return (gint) g_task_propagate_int (G_TASK (result), error);
}

/**
 * pc_api_list_all_bookings_finish:
 *
 * Returns: (transfer full) (element-type PcBooking): every booking, each once, in the
 *   server's order
 */
GPtrArray *
pc_api_list_all_bookings_finish (PcApi         *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (PC_IS_API (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        pc_api_list_all_bookings_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* One booking. fetch_booking_async() returns reasons without an action, so that the
 * re-invite can quote them. */

static void
fetch_booking_sent_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  PcApi *self = PC_API (source);
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  PcBooking *booking;

  body = send_finish (self, result, NULL, &error);
  if (body == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  booking = pc_json_booking_from_bytes (body, self->zone, &error);
  if (booking == NULL)
    {
      g_task_return_error (task, body_error (error, body));
      return;
    }

  g_task_return_pointer (task, booking, g_object_unref);
}

static void
fetch_booking_async (PcApi               *self,
                     gint64               booking_id,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *query = NULL;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fetch_booking_async);

  query = g_strdup_printf ("BookingID=%" G_GINT64_FORMAT, booking_id);
  msg = new_message (self, PC_API_ENDPOINT_RECEIVED_BOOKING_DETAILS, query);
  send_async (self, PC_API_ENDPOINT_RECEIVED_BOOKING_DETAILS, msg, cancellable,
              fetch_booking_sent_cb, g_steal_pointer (&task));
}

static PcBooking *
fetch_booking_finish (PcApi         *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  g_assert (g_task_is_valid (result, self));
  g_assert (g_task_get_source_tag (G_TASK (result)) == fetch_booking_async);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
get_booking_fetched_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *action = NULL;
  PcBooking *booking;

  booking = fetch_booking_finish (PC_API (source), result, &error);
  if (booking != NULL)
    {
      g_task_return_pointer (task, booking, g_object_unref);
      return;
    }

  action = action_for_booking (*(gint64 *) g_task_get_task_data (task));
  g_task_return_error (task, error_with_action (g_steal_pointer (&error), action));
}

/**
 * pc_api_get_booking_async:
 *
 * Loads one received booking (`GET /v1/PhoneChat/ReceivedBookingDetails`).
 */
void
pc_api_get_booking_async (PcApi               *self,
                          gint64               booking_id,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PC_IS_API (self));
  g_return_if_fail (booking_id > 0);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pc_api_get_booking_async);
  g_task_set_task_data (task, g_memdup2 (&booking_id, sizeof booking_id), g_free);

  fetch_booking_async (self, booking_id, cancellable, get_booking_fetched_cb,
                       g_steal_pointer (&task));
}

/**
 * pc_api_get_booking_finish:
 *
 * Returns: (transfer full): the booking, or %NULL with an error
 */
PcBooking *
pc_api_get_booking_finish (PcApi         *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (PC_IS_API (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        pc_api_get_booking_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Booking actions: re-invite, accept, reject, cancel and delete.
 *
 * Each is sent once and never retried: prepare_message() says why a POST is never sent
 * twice, on a kept connection or not. When its answer is lost after the request was
 * written, the booking (each booking, for a delete) is read again to learn what happened.
 * The status it shows then proves that the action happened, proves that it did not
 * (another state), or proves nothing (the status it had: a server that timed out towards
 * us may still be working on the request, or have it queued). The last, and a read that
 * fails, leave the outcome unknown: %PC_API_ERROR_OUTCOME_UNKNOWN, and the caller must not
 * send it again until a later read shows what happened. One piece of code serves every
 * action; action_rules says what proves what. */

/* Whether the server may have acted on an action whose answer we do not have. */
static gboolean
outcome_is_unknown (gboolean  request_sent,
                    guint     status,
                    GError   *error)
{
  if (!request_sent || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return FALSE;

  return status < 200 ||                       /* no answer at all */
         SOUP_STATUS_IS_SUCCESSFUL (status) ||  /* it worked, but the answer is unreadable */
         status == SOUP_STATUS_BAD_GATEWAY ||   /* a proxy lost the answer */
         status == SOUP_STATUS_GATEWAY_TIMEOUT;
}

static void action_checked_cb (GObject      *source,
                               GAsyncResult *result,
                               gpointer      user_data);

/* Reads the next booking whose outcome is to be learnt; takes @task. */
static void
action_check_next (PcApi *self,
                   GTask *task)
{
  ActionData *ad = g_task_get_task_data (task);
  guint next = ad->results != NULL ? ad->results->len + ad->unknown_ids->len : 0;

  fetch_booking_async (self, g_array_index (ad->ids, gint64, next), g_task_get_cancellable (task),
                       action_checked_cb, task);
}

/* A single booking's action, after reading the booking again. */
static void
single_checked (GTask     *task,
                PcBooking *booking,
                GError    *error)
{
  ActionData *ad = g_task_get_task_data (task);
  const ActionRule *rule = &action_rules[ad->kind];
  g_autofree char *id = ids_to_string (ad->ids);
  g_autofree char *maybe = maybe_title (ad->kind, ad->ids);
  g_autofree char *action = NULL;
  g_autofree char *not_done = NULL;
  PcBookingStatus status;

  if (booking == NULL)
    {
      g_debug ("%s of booking %s: the answer was lost and the booking could not be read "
               "again; its state is unknown", endpoints[rule->endpoint].path, id);
      g_task_return_new_error (task, PC_API_ERROR, PC_API_ERROR_OUTCOME_UNKNOWN,
                               /* Translators: the first %s says the outcome is unknown
                                * (“Booking 4817263 may or may not have been re-invited”),
                                * the other two are reasons, such as “the server could not
                                * be reached (…).” */
                               _("%s: %s Checking the booking afterwards failed too: %s"),
                               maybe, ad->lost_error->message, error->message);
      return;
    }

  status = pc_booking_get_status (booking);

  /* A confirmed booking was accepted first. */
  if (status == rule->after ||
      (ad->kind == ACTION_ACCEPT && status == PC_BOOKING_STATUS_CONFIRMED))
    {
      /* It happened: the answer was lost on the way back. */
      g_debug ("%s of booking %s: answer lost, but the booking is now %s",
               endpoints[rule->endpoint].path, id, pc_booking_get_status_text (booking));
      g_task_return_pointer (task, g_object_ref (booking), g_object_unref);
      return;
    }

  if (status == rule->before)
    {
      /* Calling this "not done" would invite sending it a second time. */
      g_debug ("%s of booking %s: answer lost and the booking unchanged; the outcome is "
               "unknown", endpoints[rule->endpoint].path, id);
      g_task_return_new_error (task, PC_API_ERROR, PC_API_ERROR_OUTCOME_UNKNOWN,
                               /* Translators: the first %s says the outcome is unknown,
                                * the second is a reason, the third a sentence saying
                                * what the booking showed afterwards. */
                               _("%s: %s %s"), maybe, ad->lost_error->message,
                               still_text (ad->kind));
      return;
    }

  action = action_title (ad->kind, ad->ids);
  not_done = not_done_text (ad->kind, pc_booking_get_status_text (booking));
  g_task_return_new_error (task, PC_API_ERROR, ad->lost_error->code,
                           /* Translators: what failed, why, and what the booking showed
                            * afterwards (“The booking is now “Accepted”, so …”). */
                           _("%s: %s %s"), action, ad->lost_error->message, not_done);
}

/* One booking of a lost delete, after reading it again: the booking is gone (deleted),
 * in a state the server does not delete (not deleted), or finished and still there, or
 * unreadable (unknown: the server may yet delete it). A 404 from the details endpoint is
 * taken as the booking being gone: the app cannot work at all without that endpoint. */
static void
delete_checked (GTask     *task,
                gint64     booking_id,
                PcBooking *booking,
                GError    *error)
{
  ActionData *ad = g_task_get_task_data (task);

  if (booking == NULL && g_error_matches (error, PC_API_ERROR, PC_API_ERROR_NOT_FOUND))
    g_ptr_array_add (ad->results, pc_delete_result_new (booking_id, TRUE, NULL));
  else if (booking != NULL && !pc_booking_status_is_finished (pc_booking_get_status (booking)))
    {
      g_autofree char *not_done = not_done_text (ACTION_DELETE,
                                                 pc_booking_get_status_text (booking));

      g_ptr_array_add (ad->results, pc_delete_result_new (booking_id, FALSE, not_done));
    }
  else
    {
      g_debug ("Delete of booking %" G_GINT64_FORMAT ": answer lost, and %s", booking_id,
               booking != NULL ? "the booking is still there" : error->message);
      g_array_append_val (ad->unknown_ids, booking_id);
    }
}

static void
action_checked_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  PcApi *self = PC_API (source);
  g_autoptr(GTask) task = user_data;
  ActionData *ad = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(PcBooking) booking = NULL;
  g_autofree char *maybe = NULL;

  booking = fetch_booking_finish (self, result, &error);
  if (booking == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (ad->kind != ACTION_DELETE)
    {
      single_checked (task, booking, error);
      return;
    }

  delete_checked (task, g_array_index (ad->ids, gint64, ad->results->len + ad->unknown_ids->len),
                  booking, error);
  if (ad->results->len + ad->unknown_ids->len < ad->ids->len)
    {
      action_check_next (self, g_steal_pointer (&task));
      return;
    }

  if (ad->unknown_ids->len == 0)
    {
      g_task_return_pointer (task, g_steal_pointer (&ad->results),
                             (GDestroyNotify) g_ptr_array_unref);
      return;
    }

  maybe = maybe_title (ACTION_DELETE, ad->unknown_ids);
  g_task_return_new_error (task, PC_API_ERROR, PC_API_ERROR_OUTCOME_UNKNOWN,
                           /* Translators: the first %s says the outcome is unknown
                            * (“Bookings 100, 101 may or may not have been deleted”), the
                            * second is a reason. */
                           _("%s: %s Reading the bookings again did not show whether the "
                             "server acted on the request."),
                           maybe, ad->lost_error->message);
}

/* Why a 404 from an inferred path, with the booking there, means the action is missing. */
static char *
not_offered_text (ActionKind kind)
{
  const char *path = endpoints[action_rules[kind].endpoint].path;

  if (kind == ACTION_CANCEL)
    return g_strdup_printf (_("this server does not offer cancelling bookings: it has no %s, "
                              "while the booking is there. Cancel it on the AdultWork website "
                              "instead."), path);

  return g_strdup_printf (_("this server does not offer rejecting bookings: it has no %s, while "
                            "the booking is there. Reject it on the AdultWork website "
                            "instead."), path);
}

/* A 404 from an inferred path says either that the path does not exist or that the
 * booking does not: the booking, read at a documented-enough path, tells which. */
static void
action_not_found_checked_cb (GObject      *source,
                             GAsyncResult *result,
                             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ActionData *ad = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(PcBooking) booking = NULL;
  g_autofree char *action = action_title (ad->kind, ad->ids);

  booking = fetch_booking_finish (PC_API (source), result, &error);

  if (booking != NULL)
    {
      g_autofree char *reason = not_offered_text (ad->kind);

      g_task_return_new_error (task, PC_API_ERROR, PC_API_ERROR_NOT_FOUND, _("%s: %s"),
                               action, reason);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_task_return_error (task, g_steal_pointer (&error));
  else if (g_error_matches (error, PC_API_ERROR, PC_API_ERROR_NOT_FOUND))
    g_task_return_error (task, error_with_action (g_steal_pointer (&ad->lost_error), action));
  else
    g_task_return_new_error (task, PC_API_ERROR, PC_API_ERROR_NOT_FOUND,
                             /* Translators: %s is what failed, then a reason. */
                             _("%s: the server answered “404 Not Found”, which means that it "
                               "does not offer this or that it does not know the booking, and "
                               "reading the booking to tell failed too: %s"),
                             action, error->message);
}

/* Reads a 2xx answer as what the action returns, and returns it on @task. */
static gboolean
action_return_answer (PcApi   *self,
                      GTask   *task,
                      GBytes  *body,
                      GError **error)
{
  ActionData *ad = g_task_get_task_data (task);
  g_autoptr(GError) json_error = NULL;
  g_autoptr(GPtrArray) results = NULL;
  PcBooking *booking;

  if (ad->kind != ACTION_DELETE)
    {
      booking = pc_json_booking_from_bytes (body, self->zone, &json_error);
      if (booking == NULL)
        {
          *error = body_error (json_error, body);
          return FALSE;
        }
      g_task_return_pointer (task, booking, g_object_unref);
      return TRUE;
    }

  results = pc_json_delete_results_from_bytes (body, &json_error);
  if (results == NULL)
    {
      *error = body_error (json_error, body);
      return FALSE;
    }

  /* One result per requested booking, and none about another. */
  for (guint i = 0; i < ad->ids->len; i++)
    {
      gint64 id = g_array_index (ad->ids, gint64, i);
      guint n = 0;

      for (guint j = 0; j < results->len; j++)
        n += ((PcDeleteResult *) g_ptr_array_index (results, j))->booking_id == id;
      if (n != 1)
        {
          g_autofree char *text = pc_booking_id_to_string (id);

          *error = reason_error_new (PC_API_ERROR_MALFORMED,
                                     _("the server's answer does not say once what happened "
                                       "to booking %s."), text);
          return FALSE;
        }
    }
  if (results->len != ad->ids->len)
    {
      *error = reason_error_new (PC_API_ERROR_MALFORMED,
                                 _("the server's answer has results for bookings that were "
                                   "not asked for."));
      return FALSE;
    }

  /* The server's words reach labels, notifications and the terminal: tidied like every
   * other message of its (one line, capped); nothing left is no message. */
  for (guint i = 0; i < results->len; i++)
    {
      PcDeleteResult *result = g_ptr_array_index (results, i);

      if (result->message != NULL)
        {
          g_autofree char *tidy = tidy_server_text (result->message);

          g_clear_pointer (&result->message, g_free);
          if (*tidy != '\0')
            result->message = g_steal_pointer (&tidy);
        }
    }

  g_task_return_pointer (task, g_steal_pointer (&results), (GDestroyNotify) g_ptr_array_unref);
  return TRUE;
}

static void
action_sent_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  PcApi *self = PC_API (source);
  g_autoptr(GTask) task = user_data;
  ActionData *ad = g_task_get_task_data (task);
  const ActionRule *rule = &action_rules[ad->kind];
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *action = NULL;
  gboolean request_sent = FALSE;
  guint status;

  body = send_finish (self, result, &request_sent, &error);
  status = soup_message_get_status (ad->msg);
  ad->request_sent = request_sent;

  if (body != NULL && action_return_answer (self, task, body, &error))
    return;

  /* A 404 is an answer: nothing was done. From a path we inferred, it may say that the
   * path does not exist rather than the booking. */
  if (status == SOUP_STATUS_NOT_FOUND && endpoints[rule->endpoint].inferred &&
      g_error_matches (error, PC_API_ERROR, PC_API_ERROR_NOT_FOUND))
    {
      GCancellable *cancellable = g_task_get_cancellable (task);

      ad->lost_error = g_steal_pointer (&error);
      fetch_booking_async (self, g_array_index (ad->ids, gint64, 0), cancellable,
                           action_not_found_checked_cb, g_steal_pointer (&task));
      return;
    }

  /* Never send it again: read the booking to learn what happened. */
  if (outcome_is_unknown (request_sent, status, error))
    {
      g_debug ("%s: %s Reading the booking again", endpoints[rule->endpoint].path,
               error->message);
      ad->lost_error = g_steal_pointer (&error);
      if (ad->kind == ACTION_DELETE)
        {
          ad->results = g_ptr_array_new_with_free_func ((GDestroyNotify) pc_delete_result_free);
          ad->unknown_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
        }
      action_check_next (self, g_steal_pointer (&task));
      return;
    }

  action = action_title (ad->kind, ad->ids);
  g_task_return_error (task, error_with_action (g_steal_pointer (&error), action));
}

/* Sends the action's @body once; takes @ids. */
static void
action_start (PcApi               *self,
              ActionKind           kind,
              GArray              *ids,
              GBytes              *body,
              gpointer             source_tag,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  PcApiEndpoint endpoint = action_rules[kind].endpoint;
  ActionData *ad;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);

  ad = g_new0 (ActionData, 1);
  ad->kind = kind;
  ad->ids = ids;
  ad->msg = new_message (self, endpoint, NULL);
  g_task_set_task_data (task, ad, action_data_free);

  soup_message_set_request_body_from_bytes (ad->msg, "application/json", body);

  for (guint i = 0; i < ids->len; i++)
    g_signal_emit (self, signals[SIGNAL_ACTION_STARTED], 0, g_array_index (ids, gint64, i),
                   action_rules[kind].after);

  send_async (self, endpoint, ad->msg, cancellable, action_sent_cb, g_steal_pointer (&task));
}

static GArray *
ids_new (const gint64 *ids,
         guint         n_ids)
{
  GArray *array = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n_ids);

  g_array_append_vals (array, ids, n_ids);
  return array;
}

static GBytes *
node_to_bytes (JsonNode *root)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  char *data;
  gsize len;

  json_generator_set_root (generator, root);
  data = json_generator_to_data (generator, &len);

  return g_bytes_new_take (data, len);
}

/* {BookingID, Reason}; without a reason the member is left out. */
static GBytes *
build_reason_body (gint64      booking_id,
                   const char *reason)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *stripped = g_strstrip (g_strdup (reason != NULL ? reason : ""));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "BookingID");
  json_builder_add_int_value (builder, booking_id);
  if (*stripped != '\0')
    {
      json_builder_set_member_name (builder, "Reason");
      json_builder_add_string_value (builder, stripped);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return node_to_bytes (root);
}

/* {BookingID, Credits}. The one body not written by JsonGenerator: it writes a double
 * with 17 significant digits, so 8.1 credits would leave as 8.0999999999999996, which a
 * server reading a decimal takes for another amount, and warns the client of a change.
 * The body holds two numbers and nothing else, each written exactly as the decimal it is
 * (pc_credits_format(): "8", "8.10", "12.3456"). */
static GBytes *
build_accept_body (gint64 booking_id,
                   gint64 credits)
{
  g_autofree char *amount = pc_credits_format (credits, FALSE);
  char *data = g_strdup_printf ("{\"BookingID\":%" G_GINT64_FORMAT ",\"Credits\":%s}",
                                booking_id, amount);

  return g_bytes_new_take (data, strlen (data));
}

static gboolean
reason_is_given (const char *reason)
{
  g_autofree char *stripped = NULL;

  if (reason == NULL || !g_utf8_validate (reason, -1, NULL))
    return FALSE;

  stripped = g_strstrip (g_strdup (reason));
  return *stripped != '\0';
}

/* Re-invite, reject and cancel: {BookingID, Reason}, sent once. */
static void
reason_action_start (PcApi               *self,
                     ActionKind           kind,
                     gint64               booking_id,
                     const char          *reason,
                     gpointer             source_tag,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GBytes) body = NULL;

  g_return_if_fail (PC_IS_API (self));
  g_return_if_fail (booking_id > 0);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  body = build_reason_body (booking_id, reason);
  action_start (self, kind, ids_new (&booking_id, 1), body, source_tag, cancellable, callback,
                user_data);
}

static gpointer
action_finish (PcApi         *self,
               GAsyncResult  *result,
               gpointer       source_tag,
               GError       **error)
{
  g_return_val_if_fail (PC_IS_API (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * pc_api_reinvite_async:
 * @reason: (nullable): why; %NULL, empty or blank for the API's default reason
 *
 * Rejects an expired pending booking and invites its client again
 * (`POST /v1/PhoneChat/ReInvite`). The request is sent once and never retried. When its
 * answer is lost after it was sent (a timeout, a dropped connection, an unreadable 2xx
 * answer, 502 or 504), the booking is read again: rejected means it worked (the booking
 * is returned); another final state (accepted, cancelled, …) means it did not (the
 * original error, saying so); still pending, or a booking that cannot be read, means
 * %PC_API_ERROR_OUTCOME_UNKNOWN: a server still working on a timed-out request may
 * reject the booking after the re-read, so "pending" does not prove it did not happen.
 * The caller must then not send it again until a later read shows a final state
 * (#PcOutcomeLog keeps that record).
 *
 * Cancelling after the request was sent cannot undo it: the caller gets
 * %G_IO_ERROR_CANCELLED and should refresh the booking.
 */
void
pc_api_reinvite_async (PcApi               *self,
                       gint64               booking_id,
                       const char          *reason,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_return_if_fail (reason == NULL || g_utf8_validate (reason, -1, NULL));

  /* Without a reason, the member is left out so that the API's default text applies. */
  reason_action_start (self, ACTION_REINVITE, booking_id, reason, pc_api_reinvite_async,
                       cancellable, callback, user_data);
}

/**
 * pc_api_action_was_sent:
 * @result: the result a booking action (pc_api_reinvite_async(), pc_api_accept_async(),
 *   pc_api_reject_async(), pc_api_cancel_async(), pc_api_delete_async()) gave its callback
 *
 * Whether the whole request was written to the connection, so that the server may have
 * acted on it whatever the finish function reports: an action cancelled after it was sent
 * (%G_IO_ERROR_CANCELLED) may still happen.
 *
 * Returns: %TRUE when the request was sent
 */
gboolean
pc_api_action_was_sent (GAsyncResult *result)
{
  gpointer tag;
  ActionData *ad;

  g_return_val_if_fail (G_IS_TASK (result), FALSE);
  tag = g_task_get_source_tag (G_TASK (result));
  g_return_val_if_fail (tag == pc_api_reinvite_async || tag == pc_api_accept_async ||
                        tag == pc_api_reject_async || tag == pc_api_cancel_async ||
                        tag == pc_api_delete_async, FALSE);

  ad = g_task_get_task_data (G_TASK (result));
  return ad->request_sent;
}

/**
 * pc_api_reinvite_was_sent:
 * @result: the result pc_api_reinvite_async() gave its callback
 *
 * pc_api_action_was_sent() for a re-invite.
 *
 * Returns: %TRUE when the request was sent
 */
gboolean
pc_api_reinvite_was_sent (GAsyncResult *result)
{
  g_return_val_if_fail (G_IS_TASK (result), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pc_api_reinvite_async,
                        FALSE);

  return pc_api_action_was_sent (result);
}

/**
 * pc_api_reinvite_finish:
 *
 * Returns: (transfer full): the booking as the server now has it (normally Rejected), or
 *   %NULL with an error
 */
PcBooking *
pc_api_reinvite_finish (PcApi         *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  return action_finish (self, result, pc_api_reinvite_async, error);
}

/**
 * pc_api_accept_async:
 * @credits: what the performer wants for the session, in 1/%PC_CREDITS_SCALE credits:
 *   normally the booking's own Credits; the client is warned when it differs
 *
 * Accepts a pending booking (`POST /v1/PhoneChat/AcceptReceivedBooking`, documented).
 * Sent once and never retried, exactly like pc_api_reinvite_async(): when the answer is
 * lost, the booking read again as Accepted (or Confirmed) means it worked, still Pending
 * or unreadable means %PC_API_ERROR_OUTCOME_UNKNOWN, any other state that it did not.
 */
void
pc_api_accept_async (PcApi               *self,
                     gint64               booking_id,
                     gint64               credits,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GBytes) body = NULL;

  g_return_if_fail (PC_IS_API (self));
  g_return_if_fail (booking_id > 0);
  g_return_if_fail (credits >= 0);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  body = build_accept_body (booking_id, credits);
  action_start (self, ACTION_ACCEPT, ids_new (&booking_id, 1), body, pc_api_accept_async,
                cancellable, callback, user_data);
}

/**
 * pc_api_accept_finish:
 *
 * Returns: (transfer full): the booking as the server now has it (normally Accepted), or
 *   %NULL with an error
 */
PcBooking *
pc_api_accept_finish (PcApi         *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  return action_finish (self, result, pc_api_accept_async, error);
}

/**
 * pc_api_reject_async:
 * @reason: why, sent to the client; required: not empty or blank
 *
 * Rejects a pending booking (`POST /v1/PhoneChat/RejectReceivedBooking`, a path inferred
 * from the Webcam API). A 404 while the booking exists gives %PC_API_ERROR_NOT_FOUND
 * saying that this server does not offer rejecting bookings. Sent once and never
 * retried, exactly like pc_api_reinvite_async(): after a lost answer, Rejected proves
 * it, Pending proves nothing.
 */
void
pc_api_reject_async (PcApi               *self,
                     gint64               booking_id,
                     const char          *reason,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_return_if_fail (reason_is_given (reason));

  reason_action_start (self, ACTION_REJECT, booking_id, reason, pc_api_reject_async,
                       cancellable, callback, user_data);
}

/**
 * pc_api_reject_finish:
 *
 * Returns: (transfer full): the booking as the server now has it (normally Rejected), or
 *   %NULL with an error
 */
PcBooking *
pc_api_reject_finish (PcApi         *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  return action_finish (self, result, pc_api_reject_async, error);
}

/**
 * pc_api_cancel_async:
 * @reason: why, sent to the client; required: not empty or blank
 *
 * Cancels an accepted booking (`POST /v1/PhoneChat/CancelReceivedBooking`, a path
 * inferred from the Webcam API). A 404 while the booking exists gives
 * %PC_API_ERROR_NOT_FOUND saying that this server does not offer cancelling bookings.
 * Sent once and never retried, exactly like pc_api_reinvite_async(): after a lost
 * answer, Cancelled proves it, Accepted proves nothing.
 */
void
pc_api_cancel_async (PcApi               *self,
                     gint64               booking_id,
                     const char          *reason,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_return_if_fail (reason_is_given (reason));

  reason_action_start (self, ACTION_CANCEL, booking_id, reason, pc_api_cancel_async,
                       cancellable, callback, user_data);
}

/**
 * pc_api_cancel_finish:
 *
 * Returns: (transfer full): the booking as the server now has it (normally Cancelled), or
 *   %NULL with an error
 */
PcBooking *
pc_api_cancel_finish (PcApi         *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  return action_finish (self, result, pc_api_cancel_async, error);
}

/**
 * pc_api_delete_async:
 * @booking_ids: (array length=n_booking_ids): the bookings to delete, each once
 *
 * Deletes finished bookings from the lists in one request
 * (`POST /v1/PhoneChat/DeleteReceivedBooking {"BookingIDs": "1,2,3"}`, documented). The
 * server answers with a result per booking; mixed success is normal. Sent once and never
 * retried: when the answer is lost, each booking is read again: gone means deleted, a
 * state that cannot be deleted means not deleted (with a message saying so), and a
 * finished booking still there, or one that cannot be read, leaves the outcome unknown
 * (%PC_API_ERROR_OUTCOME_UNKNOWN naming those bookings).
 */
void
pc_api_delete_async (PcApi               *self,
                     const gint64        *booking_ids,
                     guint                n_booking_ids,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GString) list = NULL;

  g_return_if_fail (PC_IS_API (self));
  g_return_if_fail (booking_ids != NULL);
  g_return_if_fail (n_booking_ids > 0);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  list = g_string_new (NULL);
  for (guint i = 0; i < n_booking_ids; i++)
    {
      g_return_if_fail (booking_ids[i] > 0);
      for (guint j = 0; j < i; j++)
        g_return_if_fail (booking_ids[j] != booking_ids[i]);
      g_string_append_printf (list, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "", booking_ids[i]);
    }

  /* BookingIDs is a string of comma-separated integers (reference §4.2). */
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "BookingIDs");
  json_builder_add_string_value (builder, list->str);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  body = node_to_bytes (root);

  action_start (self, ACTION_DELETE, ids_new (booking_ids, n_booking_ids), body,
                pc_api_delete_async, cancellable, callback, user_data);
}

/**
 * pc_api_delete_finish:
 *
 * Returns: (transfer full) (element-type PcDeleteResult): a result per requested booking,
 *   or %NULL with an error
 */
GPtrArray *
pc_api_delete_finish (PcApi         *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  return action_finish (self, result, pc_api_delete_async, error);
}
