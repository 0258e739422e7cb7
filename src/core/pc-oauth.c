/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pc-oauth"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pc-clock.h"
#include "pc-http-private.h"
#include "pc-json.h"
#include "pc-oauth.h"
#include "pc-oauth-private.h"
#include "pc-random.h"

/* PcOAuth: signing in with Unified Login, OAuth 2.0's authorization code flow as a native
 * app does it (RFC 8252): the browser shows the login page, then comes back to a listener
 * on this computer's loopback address with a code, which is exchanged for tokens. PKCE
 * (RFC 7636, S256) ties the code to this process, and a random state ties the redirect
 * to this sign-in. Refreshing rotates the refresh token.
 *
 * Secrets (tokens, the code, the verifier, the state, the client secret) never go into a
 * log line or an error message, and the copies we own are wiped when done with. */

#define DEFAULT_TIMEOUT_SECONDS 30
#define MAX_TIMEOUT_SECONDS     (24 * 60 * 60)
/* 256 bits for the state and the verifier: 43 characters, RFC 7636's minimum length. */
#define SECRET_BYTES            32
#define REDIRECT_PATH           "/callback"
/* More than this is not a lifetime but a mistake; it would also overflow GDateTime. */
#define MAX_EXPIRES_IN          ((gint64) 10 * 366 * 24 * 60 * 60)
/* How long the browser may take to read its page before the listener closes anyway. */
#define CLOSE_GRACE_SECONDS     5
#define MAX_ERROR_CODE_LENGTH   64

struct _PcTokens
{
  char      *access_token;
  char      *refresh_token;
  GDateTime *expires_at;
};

/* One sign-in: the loopback listener and what it waits for. PcOAuth keeps the last one
 * until the next sign-in starts; the exchange of its code holds a reference too. */
typedef struct
{
  PcOAuth           *oauth;       /* borrowed: PcOAuth outlives its flows' listeners */
  GMainContext      *context;
  SoupServer        *server;      /* NULL once the listener is closed */
  guint16            port;
  char              *redirect_uri;
  char              *state;
  char              *verifier;
  GCancellable      *cancellable; /* the exchange's: cancelled with the flow */

  gboolean           redirected;  /* a redirect came: later ones are answered, ignored */
  char              *code;        /* from the redirect, until it is exchanged */
  GError            *error;       /* why the redirect failed, until finish takes it */
  SoupServerMessage *paused;      /* the redirect, waiting for the outcome for its page */
  GHashTable        *unanswered;  /* SoupServerMessage set: answers not written yet */

  GTask             *task;        /* finish_authorization, waiting */
  GSource           *cancel_source;
  gboolean           returned;    /* finish has had its answer */
  gboolean           closing;     /* the outcome is known: close once answers are out */
  GSource           *close_source;
  GSource           *deliver_source; /* returns @error to @task from outside the server */

  /* The exchange's outcome, held back until the browser has its page: a program that
   * quits as soon as it is signed in (phonechat-cli login) would otherwise cut the page
   * off. */
  gboolean           holding_outcome;
  PcTokens          *held_tokens;
  GError            *held_error;
} Flow;

typedef enum
{
  GRANT_AUTHORIZATION_CODE,
  GRANT_REFRESH_TOKEN,
} Grant;

typedef struct
{
  const char *name;
  const char *value;
} Param;

/* One POST to the token endpoint: the task data of token_request_async(). */
typedef struct
{
  Grant         grant;
  SoupMessage  *msg;
  GDateTime    *sent_at;
  char         *refresh_token;  /* refresh: the one sent, kept when no new one comes */
  guint         timeout;
} Request;

struct _PcOAuth
{
  GObject      parent_instance;

  SoupSession *session;
  char        *base_url;
  char        *client_id;
  char        *client_secret;
  PcClock     *clock;
  guint        timeout;
  gboolean     debug;

  Flow        *flow;
};

G_DEFINE_FINAL_TYPE (PcOAuth, pc_oauth, G_TYPE_OBJECT)

G_DEFINE_QUARK (pc-oauth-error-quark, pc_oauth_error)

G_DEFINE_BOXED_TYPE (PcTokens, pc_tokens, pc_tokens_ref, pc_tokens_unref)

/* Secrets ----------------------------------------------------------------------------- */

/* Overwrites a secret before freeing it. The volatile pointer keeps the compiler from
 * dropping the stores as dead. */
static void
secret_free (gpointer data)
{
  volatile char *p = data;

  if (data == NULL)
    return;

  while (*p != '\0')
    *p++ = '\0';
  g_free (data);
}

static void
secret_clear (char **secret)
{
  g_clear_pointer (secret, secret_free);
}

/* Compares in time that depends on the length only, not on where the strings differ. */
static gboolean
secret_equal (const char *expected,
              const char *given)
{
  gsize expected_len;
  gsize given_len;
  guint8 diff;

  if (expected == NULL || given == NULL)
    return FALSE;

  expected_len = strlen (expected);
  given_len = strlen (given);
  diff = expected_len != given_len;
  for (gsize i = 0; i < expected_len; i++)
    diff |= (guint8) (expected[i] ^ given[i % MAX (given_len, 1)]);

  return diff == 0;
}

/* Which form and query parameters may appear in the debug log with their values. Every
 * other value is redacted: a parameter added later is secret until listed here. */
static gboolean
param_is_public (const char *name)
{
  static const char * const public_names[] = {
    "grant_type", "client_id", "redirect_uri", "scope", "response_type",
    "code_challenge_method", "status", "error",
  };

  for (guint i = 0; i < G_N_ELEMENTS (public_names); i++)
    if (g_strcmp0 (name, public_names[i]) == 0)
      return TRUE;

  return FALSE;
}

/* application/x-www-form-urlencoded, in order; @redact replaces secret values. */
static char *
form_encode (const Param *params,
             guint        n_params,
             gboolean     redact)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < n_params; i++)
    {
      if (params[i].value == NULL)
        continue;

      if (out->len > 0)
        g_string_append_c (out, '&');
      g_string_append_uri_escaped (out, params[i].name, NULL, FALSE);
      g_string_append_c (out, '=');
      if (redact && !param_is_public (params[i].name))
        g_string_append (out, "[redacted]");
      else
        g_string_append_uri_escaped (out, params[i].value, NULL, FALSE);
    }

  return g_string_free (out, FALSE);
}

/* A decoded query for the debug log, names sorted, secret values redacted. */
static char *
describe_query (GHashTable *query)
{
  g_autoptr(GList) names = NULL;
  GString *out = g_string_new (NULL);

  if (query != NULL)
    names = g_list_sort (g_hash_table_get_keys (query), (GCompareFunc) g_strcmp0);

  for (GList *l = names; l != NULL; l = l->next)
    {
      if (out->len > 0)
        g_string_append_c (out, '&');
      g_string_append_uri_escaped (out, l->data, NULL, FALSE);
      g_string_append_c (out, '=');
      if (param_is_public (l->data))
        g_string_append_uri_escaped (out, g_hash_table_lookup (query, l->data), NULL, FALSE);
      else
        g_string_append (out, "[redacted]");
    }

  return g_string_free (out, FALSE);
}

static void
debug_log (PcOAuth    *self,
           const char *format,
           ...) G_GNUC_PRINTF (2, 3);

/* The debug log goes through GLib's log at message level, so that it shows without
 * G_MESSAGES_DEBUG once asked for, like PcApi's. */
static void
debug_log (PcOAuth    *self,
           const char *format,
           ...)
{
  g_autofree char *text = NULL;
  va_list args;

  if (self == NULL || !self->debug)
    return;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);

  g_message ("%s", text);
}

/* An OAuth error code is printable ASCII; we show only the plain ones, so that whatever a
 * server puts there cannot smuggle anything into a message. */
static gboolean
error_code_is_plain (const char *code)
{
  gsize len = 0;

  for (const char *p = code; *p != '\0'; p++, len++)
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-' && *p != '.')
      return FALSE;

  return len > 0 && len <= MAX_ERROR_CODE_LENGTH;
}

/* Addresses ---------------------------------------------------------------------------- */

/* The client secret and the codes may travel over https, or over plain http to this
 * computer only (the sandbox). */
static char *
parse_base_url (const char  *base_url,
                GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GUri) clean = NULL;
  g_autofree char *path = NULL;
  const char *scheme;
  const char *host;
  gsize len;
  int port;

  uri = g_uri_parse (base_url, SOUP_HTTP_URI_FLAGS, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0' ||
      g_uri_get_userinfo (uri) != NULL || g_uri_get_query (uri) != NULL ||
      g_uri_get_fragment (uri) != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a valid sign-in server address."), base_url);
      return NULL;
    }

  if (!_pc_http_uri_is_protected (uri))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("PhoneChat does not sign in through “%s”: your sign-in would travel "
                     "unencrypted. Use an https:// address (plain http:// is only allowed "
                     "to this computer)."), base_url);
      return NULL;
    }

  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);
  path = g_strdup (g_uri_get_path (uri));
  len = strlen (path);
  while (len > 0 && path[len - 1] == '/')
    path[--len] = '\0';

  /* Normalization reports the default port, which is left implicit by hand. */
  port = g_uri_get_port (uri);
  if ((port == 443 && g_ascii_strcasecmp (scheme, "https") == 0) ||
      (port == 80 && g_ascii_strcasecmp (scheme, "http") == 0))
    port = -1;

  clean = g_uri_build (SOUP_HTTP_URI_FLAGS & ~G_URI_FLAGS_SCHEME_NORMALIZE, scheme, NULL, host,
                       port, path, NULL, NULL);
  return g_uri_to_string (clean);
}

/* Pages for the browser ---------------------------------------------------------------- */

#define PAGE_TEMPLATE                                                                   \
  "<!DOCTYPE html>\n"                                                                   \
  "<html><head><meta charset=\"utf-8\">"                                                \
  "<meta name=\"viewport\" content=\"width=device-width\">"                             \
  "<title>%s</title>"                                                                   \
  "<style>body{font-family:sans-serif;max-width:32em;margin:4em auto;padding:0 1em;"   \
  "text-align:center;line-height:1.5}</style></head>\n"                                 \
  "<body><h1>%s</h1><p>%s</p></body></html>\n"

static void
answer_page (SoupServerMessage *msg,
             guint              status,
             const char        *title,
             const char        *text)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  g_autofree char *escaped_title = g_markup_escape_text (title, -1);
  g_autofree char *escaped_text = g_markup_escape_text (text, -1);
  g_autofree char *html = g_strdup_printf (PAGE_TEMPLATE, escaped_title, escaped_title,
                                           escaped_text);

  /* The page's address holds the code: keep it out of caches and referrers, and let the
   * page load nothing. */
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_replace (headers, "Referrer-Policy", "no-referrer");
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (headers, "Content-Security-Policy",
                                "default-src 'none'; style-src 'unsafe-inline'");
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_COPY,
                                    html, strlen (html));
}

static void
answer_outcome_page (SoupServerMessage *msg,
                     const GError      *error)
{
  g_autofree char *text = NULL;

  if (error == NULL)
    {
      answer_page (msg, SOUP_STATUS_OK, _("Signed in to PhoneChat"),
                   _("You can close this tab and go back to PhoneChat."));
      return;
    }

  if (g_error_matches (error, PC_OAUTH_ERROR, PC_OAUTH_ERROR_DENIED))
    {
      answer_page (msg, SOUP_STATUS_OK, _("Sign-in cancelled"),
                   _("You cancelled signing in. You can close this tab and go back to "
                     "PhoneChat."));
      return;
    }

  /* Translators: the first %s is why signing in failed, a whole sentence. */
  text = g_strdup_printf (_("%s You can close this tab and go back to PhoneChat."),
                          error->message);
  answer_page (msg, SOUP_STATUS_OK, _("Sign-in failed"), text);
}

/* Tokens ------------------------------------------------------------------------------- */

static void
tokens_clear (gpointer data)
{
  PcTokens *tokens = data;

  secret_clear (&tokens->access_token);
  secret_clear (&tokens->refresh_token);
  g_clear_pointer (&tokens->expires_at, g_date_time_unref);
}

/* Reading a token answer: RFC 6749 §5.1, read strictly. Errors name the member, never
 * its value. */
static JsonNode *
get_typed_member (JsonObject  *object,
                  const char  *name,
                  GType        type,
                  const char  *type_name,
                  gboolean     required,
                  GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || (!required && JSON_NODE_HOLDS_NULL (node)))
    {
      if (required)
        g_set_error (error, PC_JSON_ERROR, PC_JSON_ERROR_MISSING_MEMBER, "%s: missing", name);
      return NULL;
    }

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != type)
    {
      g_set_error (error, PC_JSON_ERROR, PC_JSON_ERROR_WRONG_TYPE, "%s: expected %s",
                   name, type_name);
      return NULL;
    }

  return node;
}

/* A token goes into an Authorization header or a form: visible ASCII, no spaces. */
static gboolean
token_is_usable (const char *token)
{
  if (token == NULL || *token == '\0')
    return FALSE;

  for (const char *p = token; *p != '\0'; p++)
    if ((guchar) *p <= ' ' || (guchar) *p >= 0x7f)
      return FALSE;

  return TRUE;
}

static PcTokens *
tokens_from_node (JsonNode    *root,
                  GDateTime   *sent_at,
                  const char  *old_refresh_token,
                  GError     **error)
{
  g_autoptr(GDateTime) expires_at = NULL;
  JsonObject *object;
  JsonNode *access_node;
  JsonNode *type_node;
  JsonNode *expires_node;
  JsonNode *refresh_node;
  GError *local_error = NULL;
  const char *refresh_token = old_refresh_token;
  gint64 expires_in;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, PC_JSON_ERROR, PC_JSON_ERROR_NOT_OBJECT, "expected an object");
      return NULL;
    }
  object = json_node_get_object (root);

  access_node = get_typed_member (object, "access_token", G_TYPE_STRING, "a string", TRUE,
                                  &local_error);
  if (access_node == NULL)
    goto fail;
  if (!token_is_usable (json_node_get_string (access_node)))
    {
      g_set_error (error, PC_JSON_ERROR, PC_JSON_ERROR_BAD_VALUE,
                   "access_token: empty, or with spaces or control characters");
      return NULL;
    }

  /* RFC 6749 requires token_type; a server that leaves it out still means bearer. */
  type_node = get_typed_member (object, "token_type", G_TYPE_STRING, "a string", FALSE,
                                &local_error);
  if (local_error != NULL)
    goto fail;
  if (type_node != NULL && g_ascii_strcasecmp (json_node_get_string (type_node), "bearer") != 0)
    {
      g_set_error (error, PC_JSON_ERROR, PC_JSON_ERROR_BAD_VALUE,
                   "token_type: not “bearer”");
      return NULL;
    }

  expires_node = get_typed_member (object, "expires_in", G_TYPE_INT64, "an integer", TRUE,
                                   &local_error);
  if (expires_node == NULL)
    goto fail;
  expires_in = json_node_get_int (expires_node);
  if (expires_in <= 0 || expires_in > MAX_EXPIRES_IN)
    {
      g_set_error (error, PC_JSON_ERROR, PC_JSON_ERROR_BAD_VALUE,
                   "expires_in: %" G_GINT64_FORMAT " seconds is not a lifetime", expires_in);
      return NULL;
    }

  refresh_node = get_typed_member (object, "refresh_token", G_TYPE_STRING, "a string", FALSE,
                                   &local_error);
  if (local_error != NULL)
    goto fail;
  if (refresh_node != NULL)
    {
      refresh_token = json_node_get_string (refresh_node);
      if (!token_is_usable (refresh_token))
        {
          g_set_error (error, PC_JSON_ERROR, PC_JSON_ERROR_BAD_VALUE,
                       "refresh_token: empty, or with spaces or control characters");
          return NULL;
        }
    }

  expires_at = g_date_time_add_seconds (sent_at, (gdouble) expires_in);
  if (expires_at == NULL)
    {
      g_set_error (error, PC_JSON_ERROR, PC_JSON_ERROR_BAD_VALUE,
                   "expires_in: %" G_GINT64_FORMAT " seconds is not a lifetime", expires_in);
      return NULL;
    }

  return pc_tokens_new (json_node_get_string (access_node), refresh_token, expires_at);

fail:
  g_propagate_error (error, local_error);
  return NULL;
}

/*
 * _pc_oauth_tokens_from_bytes:
 * @body: a token endpoint's successful answer (RFC 6749 §5.1)
 * @sent_at: when the request was sent: the lifetime counts from then
 * @old_refresh_token: (nullable): kept when the answer brings no new one
 *
 * Reads the tokens of a token answer, strictly. Errors name members, never values.
 *
 * Returns: (transfer full) (nullable): the tokens, or %NULL with a #PC_JSON_ERROR
 */
PcTokens *
_pc_oauth_tokens_from_bytes (GBytes      *body,
                             GDateTime   *sent_at,
                             const char  *old_refresh_token,
                             GError     **error)
{
  g_autoptr(JsonNode) root = pc_json_parse_bytes (body, error);

  if (root == NULL)
    return NULL;

  return tokens_from_node (root, sent_at, old_refresh_token, error);
}

/* Token requests ----------------------------------------------------------------------- */

static void
request_free (gpointer data)
{
  Request *req = data;

  g_clear_object (&req->msg);
  g_clear_pointer (&req->sent_at, g_date_time_unref);
  secret_clear (&req->refresh_token);
  g_free (req);
}

static const char *
grant_action (Grant grant)
{
  if (grant == GRANT_REFRESH_TOKEN)
    return _("Could not renew your sign-in");

  return _("Could not sign in");
}

static GError *
action_error_new (Grant       grant,
                  int         code,
                  const char *reason)
{
  /* Translators: the first %s is what failed (“Could not sign in”), the second why. */
  return g_error_new (PC_OAUTH_ERROR, code, _("%s: %s"), grant_action (grant), reason);
}

static char *
describe_status (guint status)
{
  const char *phrase = soup_status_get_phrase (status);

  if (phrase == NULL || g_str_equal (phrase, "Unknown Error"))
    return g_strdup_printf ("HTTP %u", status);

  return g_strdup_printf ("HTTP %u %s", status, phrase);
}

/* The `error` code of an OAuth error answer (RFC 6749 §5.2), when it has a plain one. */
static char *
read_error_code (GBytes *body)
{
  g_autoptr(JsonNode) root = NULL;
  JsonNode *node;

  if (body == NULL)
    return NULL;

  root = pc_json_parse_bytes (body, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  node = json_object_get_member (json_node_get_object (root), "error");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING ||
      !error_code_is_plain (json_node_get_string (node)))
    return NULL;

  return g_strdup (json_node_get_string (node));
}

static GError *
status_error_new (Request    *req,
                  guint       status,
                  const char *error_code)
{
  g_autofree char *reason = NULL;
  g_autofree char *http = describe_status (status);

  /* Both what the reference documents for an expired refresh token and what RFC 6749
   * answers for a revoked, rotated or unknown one: only signing in again helps. */
  if (req->grant == GRANT_REFRESH_TOKEN &&
      (status == SOUP_STATUS_BAD_REQUEST || status == SOUP_STATUS_UNAUTHORIZED) &&
      (g_strcmp0 (error_code, "refresh_token_has_expired") == 0 ||
       g_strcmp0 (error_code, "invalid_grant") == 0))
    return g_error_new_literal (PC_OAUTH_ERROR, PC_OAUTH_ERROR_REFRESH_EXPIRED,
                                _("Your sign-in has expired. Sign in again."));

  if (status >= 400 && status <= 499 && error_code != NULL)
    {
      if (g_str_equal (error_code, "invalid_client"))
        reason = g_strdup_printf (_("the sign-in server does not accept this copy of "
                                    "PhoneChat (%s)."), error_code);
      else if (g_str_equal (error_code, "invalid_grant"))
        reason = g_strdup_printf (_("the sign-in server refused the sign-in: it may have "
                                    "expired or been used already (%s). Try again."),
                                  error_code);
      else
        reason = g_strdup_printf (_("the sign-in server refused the request (%s)."),
                                  error_code);
      return action_error_new (req->grant, PC_OAUTH_ERROR_REJECTED, reason);
    }

  if (status >= 500 && status <= 599)
    reason = g_strdup_printf (_("the sign-in server had a problem (%s). Try again later."),
                              http);
  else if (status >= 300 && status <= 399)
    reason = g_strdup_printf (_("the sign-in server sent the request to another address "
                                "(%s), which PhoneChat does not follow."), http);
  else
    reason = g_strdup_printf (_("the sign-in server gave an unexpected answer (%s)."), http);

  return action_error_new (req->grant, PC_OAUTH_ERROR_FAILED, reason);
}

static GError *
transport_error_new (Request             *req,
                     const PcHttpOutcome *outcome,
                     const GError        *error)
{
  g_autofree char *reason = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (!outcome->timed_out)
        return g_error_copy (error);
      reason = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "the sign-in server did not answer within %u "
                                             "second.",
                                             "the sign-in server did not answer within %u "
                                             "seconds.",
                                             req->timeout),
                                req->timeout);
    }
  else if (error->domain == G_TLS_ERROR)
    reason = g_strdup_printf (_("a secure connection to the sign-in server could not be set "
                                "up (%s)."), error->message);
  else
    reason = g_strdup_printf (_("the sign-in server could not be reached (%s)."),
                              error->message);

  return action_error_new (req->grant, PC_OAUTH_ERROR_FAILED, reason);
}

static void
token_sent_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PcOAuth *self = g_task_get_source_object (task);
  Request *req = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *http = NULL;
  g_autofree char *error_code = NULL;
  g_autofree char *expires_text = NULL;
  PcHttpOutcome outcome;
  PcTokens *tokens;
  guint status;

  body = _pc_http_send_finish (result, &outcome, &error);

  if (body == NULL)
    {
      debug_log (self, "POST %s/OAuth/token: %s", self->base_url,
                 outcome.timed_out ? "timed out" : error->message);
      g_task_return_error (task, transport_error_new (req, &outcome, error));
      return;
    }

  status = outcome.status;
  http = describe_status (status);

  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      error_code = read_error_code (body);
      debug_log (self, "POST %s/OAuth/token: %s, error=%s", self->base_url, http,
                 error_code != NULL ? error_code : "(none)");
      g_task_return_error (task, status_error_new (req, status, error_code));
      return;
    }

  tokens = _pc_oauth_tokens_from_bytes (body, req->sent_at, req->refresh_token, &error);
  if (tokens == NULL)
    {
      g_autofree char *reason = NULL;

      /* pc-json quotes a body that is not JSON, which could hold a token (some servers
       * answer in form encoding): such a body is only called what it is, in the message
       * and in the log. tokens_from_node() names members, never values. */
      if (g_error_matches (error, PC_JSON_ERROR, PC_JSON_ERROR_NOT_JSON) ||
          g_error_matches (error, PC_JSON_ERROR, PC_JSON_ERROR_SYNTAX))
        reason = g_strdup (_("the sign-in server's answer is not JSON data."));
      else
        reason = g_strdup_printf (_("the sign-in server's answer is not in the form PhoneChat "
                                    "expects (%s)."), error->message);

      debug_log (self, "POST %s/OAuth/token: %s, unusable answer: %s", self->base_url, http,
                 reason);
      g_task_return_error (task, action_error_new (req->grant, PC_OAUTH_ERROR_FAILED, reason));
      return;
    }

  expires_text = g_date_time_format_iso8601 (pc_tokens_get_expires_at (tokens));
  debug_log (self, "POST %s/OAuth/token: %s, access_token=[redacted] expires at %s, "
             "refresh_token=%s", self->base_url, http, expires_text,
             pc_tokens_get_refresh_token (tokens) != NULL ? "[redacted]" : "(none)");
  g_task_return_pointer (task, tokens, (GDestroyNotify) pc_tokens_unref);
}

/*
 * token_request_async:
 * @params: the form, without client_id and client_secret, which are added
 * @refresh_token: (nullable): for a refresh, the token sent: the result keeps it when the
 *   answer brings no new one
 *
 * POSTs to the token endpoint and reads the answer into #PcTokens, or a #PC_OAUTH_ERROR
 * that says what failed, or %G_IO_ERROR_CANCELLED. The exchange is _pc_http_send_async()'s,
 * with no cap on the answer.
 */
static void
token_request_async (PcOAuth             *self,
                     Grant                grant,
                     const Param         *params,
                     guint                n_params,
                     const char          *refresh_token,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree Param *form = g_new0 (Param, n_params + 2);
  g_autofree char *logged = NULL;
  g_autofree char *url = NULL;
  SoupMessageHeaders *headers;
  Request *req;
  char *body;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, token_request_async);

  req = g_new0 (Request, 1);
  req->grant = grant;
  req->refresh_token = g_strdup (refresh_token);
  req->timeout = self->timeout;
  req->sent_at = pc_clock_get_now (self->clock);
  g_task_set_task_data (task, req, request_free);

  if (g_task_return_error_if_cancelled (task))
    return;

  /* The reference sends the client's credentials in the form (client_secret_post). */
  memcpy (form, params, n_params * sizeof (Param));
  form[n_params] = (Param) { "client_id", self->client_id };
  form[n_params + 1] = (Param) { "client_secret", self->client_secret };

  url = g_strconcat (self->base_url, "/OAuth/token", NULL);
  req->msg = soup_message_new (SOUP_METHOD_POST, url);
  g_assert (req->msg != NULL);

  body = form_encode (form, n_params + 2, FALSE);
  bytes = g_bytes_new_with_free_func (body, strlen (body), secret_free, body);
  soup_message_set_request_body_from_bytes (req->msg, "application/x-www-form-urlencoded",
                                            bytes);

  headers = soup_message_get_request_headers (req->msg);
  soup_message_headers_replace (headers, "Accept", "application/json");
  soup_message_headers_replace (headers, "User-Agent",
                                "PhoneChat/" PACKAGE_VERSION " (" APP_ID ")");
  /* Never replay the form, which holds secrets, to another address. */
  soup_message_add_flags (req->msg, SOUP_MESSAGE_NO_REDIRECT);

  logged = form_encode (form, n_params + 2, TRUE);
  debug_log (self, "POST %s: %s", url, logged);

  _pc_http_send_async (self->session, req->msg, req->timeout, 0, 0, cancellable,
                       token_sent_cb, g_steal_pointer (&task));
}

static PcTokens *
token_request_finish (PcOAuth       *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  g_assert (g_task_is_valid (result, self));
  g_assert (g_task_get_source_tag (G_TASK (result)) == token_request_async);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The sign-in flow --------------------------------------------------------------------- */

static void
clear_source (GSource **source)
{
  if (*source == NULL)
    return;

  g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

static void
flow_stop_listening (Flow *flow)
{
  clear_source (&flow->close_source);

  if (flow->server != NULL)
    {
      g_signal_handlers_disconnect_by_data (flow->server, flow);
      soup_server_remove_handler (flow->server, NULL);
      soup_server_disconnect (flow->server);
      g_clear_object (&flow->server);
      debug_log (flow->oauth, "Stopped listening on port %u", flow->port);
    }

  flow->paused = NULL;
  g_hash_table_remove_all (flow->unanswered);
}

static void
flow_free (gpointer data)
{
  Flow *flow = data;

  g_assert (flow->task == NULL);

  flow_stop_listening (flow);
  clear_source (&flow->deliver_source);
  g_clear_pointer (&flow->context, g_main_context_unref);
  g_clear_pointer (&flow->redirect_uri, g_free);
  secret_clear (&flow->state);
  secret_clear (&flow->verifier);
  secret_clear (&flow->code);
  g_clear_object (&flow->cancellable);
  g_clear_error (&flow->error);
  g_clear_pointer (&flow->unanswered, g_hash_table_unref);
  g_clear_pointer (&flow->held_tokens, pc_tokens_unref);
  g_clear_error (&flow->held_error);
}

static Flow *
flow_ref (Flow *flow)
{
  return g_rc_box_acquire (flow);
}

static void
flow_unref (Flow *flow)
{
  g_rc_box_release_full (flow, flow_free);
}

static void flow_return (Flow     *flow,
                         PcTokens *tokens,
                         GError   *error);

/* The browser has its page (or the grace period for it is over): finish can return. */
static void
flow_release_outcome (Flow *flow)
{
  if (!flow->holding_outcome)
    return;

  flow->holding_outcome = FALSE;
  if (flow->task != NULL)
    flow_return (flow, g_steal_pointer (&flow->held_tokens), g_steal_pointer (&flow->held_error));
}

static gboolean
flow_close_cb (gpointer user_data)
{
  Flow *flow = user_data;

  g_clear_pointer (&flow->close_source, g_source_unref);
  flow_stop_listening (flow);
  flow_release_outcome (flow);

  return G_SOURCE_REMOVE;
}

static void
flow_set_close_source (Flow    *flow,
                       GSource *source)
{
  clear_source (&flow->close_source);
  flow->close_source = source;
  g_source_set_callback (source, flow_close_cb, flow, NULL);
  g_source_attach (source, flow->context);
}

/* Closes the listener once the outcome is known and every answer has been written, or
 * after a grace period for a browser that does not read its page. Closing at once would
 * cut the page off. */
static void
flow_schedule_close (Flow *flow)
{
  if (!flow->closing || flow->server == NULL)
    return;

  if (g_hash_table_size (flow->unanswered) == 0)
    flow_set_close_source (flow, g_idle_source_new ());
  else if (flow->close_source == NULL)
    flow_set_close_source (flow, g_timeout_source_new_seconds (CLOSE_GRACE_SECONDS));
}

static void
flow_return (Flow     *flow,
             PcTokens *tokens,
             GError   *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&flow->task);

  g_assert ((tokens == NULL) != (error == NULL));

  clear_source (&flow->cancel_source);
  clear_source (&flow->deliver_source);

  flow->returned = TRUE;
  flow->closing = TRUE;
  flow_schedule_close (flow);

  if (tokens != NULL)
    g_task_return_pointer (task, tokens, (GDestroyNotify) pc_tokens_unref);
  else
    g_task_return_error (task, error);
}

static gboolean
flow_deliver_cb (gpointer user_data)
{
  Flow *flow = user_data;

  g_clear_pointer (&flow->deliver_source, g_source_unref);
  if (flow->task != NULL && flow->error != NULL)
    flow_return (flow, NULL, g_steal_pointer (&flow->error));

  return G_SOURCE_REMOVE;
}

/* Called from the server's handler: the error is kept for finish, and returned from an
 * idle callback if finish waits already. The caller's callback may start another
 * sign-in, which closes this listener: not from inside its own handler. */
static void
flow_fail (Flow   *flow,
           GError *error)
{
  g_clear_error (&flow->error);
  flow->error = error;
  flow->closing = TRUE;
  flow_schedule_close (flow);

  if (flow->task != NULL && flow->deliver_source == NULL)
    {
      flow->deliver_source = g_idle_source_new ();
      g_source_set_callback (flow->deliver_source, flow_deliver_cb, flow, NULL);
      g_source_attach (flow->deliver_source, flow->context);
    }
}

static void
flow_answer_paused (Flow         *flow,
                    const GError *error)
{
  SoupServerMessage *msg = g_steal_pointer (&flow->paused);

  if (msg == NULL)
    return;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    answer_page (msg, SOUP_STATUS_OK, _("Sign-in cancelled"),
                 _("Signing in was cancelled in PhoneChat. You can close this tab."));
  else
    answer_outcome_page (msg, error);
  soup_server_message_unpause (msg);
}

static void
exchange_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Flow *flow = user_data;
  g_autoptr(GError) error = NULL;
  PcTokens *tokens;

  tokens = token_request_finish (PC_OAUTH (source), result, &error);

  /* Cancelled meanwhile: the flow has answered already. */
  if (flow->task == NULL)
    {
      g_clear_pointer (&tokens, pc_tokens_unref);
      flow_unref (flow);
      return;
    }

  flow_answer_paused (flow, error);
  if (flow->server != NULL && g_hash_table_size (flow->unanswered) > 0)
    {
      /* Returned once the page is written (request_done_cb), or after the grace period
       * for a browser that does not read it. */
      flow->holding_outcome = TRUE;
      flow->held_tokens = tokens;
      flow->held_error = g_steal_pointer (&error);
      flow->closing = TRUE;
      flow_schedule_close (flow);
    }
  else
    flow_return (flow, tokens, g_steal_pointer (&error));
  flow_unref (flow);
}

static void
flow_exchange_code (Flow *flow)
{
  g_autofree char *code = g_steal_pointer (&flow->code);
  const Param params[] = {
    { "grant_type", "authorization_code" },
    { "code", code },
    { "redirect_uri", flow->redirect_uri },
    { "code_verifier", flow->verifier },
  };

  g_assert (flow->task != NULL);
  g_assert (code != NULL);

  token_request_async (flow->oauth, GRANT_AUTHORIZATION_CODE, params, G_N_ELEMENTS (params),
                       NULL, flow->cancellable, exchange_done_cb, flow_ref (flow));

  /* The code and the verifier are single-use: nothing needs them any more. */
  secret_free (g_steal_pointer (&code));
  secret_clear (&flow->verifier);
}

static gboolean
flow_caller_cancelled_cb (GCancellable *caller_cancellable,
                          gpointer      user_data)
{
  Flow *flow = user_data;
  GError *error = NULL;

  g_clear_pointer (&flow->cancel_source, g_source_unref);
  g_cancellable_cancel (flow->cancellable);

  if (flow->task == NULL)
    return G_SOURCE_REMOVE;

  g_cancellable_set_error_if_cancelled (caller_cancellable, &error);
  flow_answer_paused (flow, error);
  flow_return (flow, NULL, error);

  return G_SOURCE_REMOVE;
}

/* Checks the redirect's query (RFC 6749 §4.1.2). The state comes first: an answer that
 * does not belong to this sign-in is refused whatever it says. */
static GError *
check_redirect (Flow       *flow,
                GHashTable *query,
                char      **code_out)
{
  const char *state = NULL;
  const char *status = NULL;
  const char *error_code = NULL;
  const char *code = NULL;

  if (query != NULL)
    {
      state = g_hash_table_lookup (query, "state");
      status = g_hash_table_lookup (query, "status");
      error_code = g_hash_table_lookup (query, "error");
      code = g_hash_table_lookup (query, "code");
    }

  if (!secret_equal (flow->state, state))
    return action_error_new (GRANT_AUTHORIZATION_CODE, PC_OAUTH_ERROR_STATE_MISMATCH,
                             _("the answer from the sign-in page does not belong to this "
                               "sign-in, so PhoneChat refused it. Try again."));

  /* The reference: a cancelled login comes back with `status=cancelled` and an empty
   * code; RFC 6749 says `error=access_denied`. */
  if (g_strcmp0 (status, "cancelled") == 0 || g_strcmp0 (error_code, "access_denied") == 0)
    return g_error_new_literal (PC_OAUTH_ERROR, PC_OAUTH_ERROR_DENIED,
                                _("Signing in was cancelled at the sign-in page."));

  if (error_code != NULL)
    {
      g_autofree char *reason = NULL;

      if (error_code_is_plain (error_code))
        reason = g_strdup_printf (_("the sign-in page refused the request (%s)."), error_code);
      else
        reason = g_strdup (_("the sign-in page refused the request."));
      return action_error_new (GRANT_AUTHORIZATION_CODE, PC_OAUTH_ERROR_REJECTED, reason);
    }

  if (code == NULL || *code == '\0')
    return action_error_new (GRANT_AUTHORIZATION_CODE, PC_OAUTH_ERROR_NO_CODE,
                             _("the sign-in page sent no authorization code. Try again."));

  *code_out = g_strdup (code);
  return NULL;
}

static void
redirect_cb (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  Flow *flow = user_data;
  const char *method = soup_server_message_get_method (msg);
  g_autofree char *described = NULL;
  g_autofree char *code = NULL;
  GError *error;

  g_hash_table_add (flow->unanswered, msg);

  /* Only a GET is the browser coming back; a HEAD must not use the redirect up. */
  if (method != SOUP_METHOD_GET)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Allow", "GET");
      answer_page (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, _("Not allowed"),
                   _("This address only takes the sign-in page's answer."));
      return;
    }

  if (g_strcmp0 (path, REDIRECT_PATH) != 0)
    {
      answer_page (msg, SOUP_STATUS_NOT_FOUND, _("Page not found"),
                   _("This address only takes the sign-in page's answer."));
      return;
    }

  described = describe_query (query);
  debug_log (flow->oauth, "Redirect: %s %s?%s%s", method, path, described,
             flow->redirected ? " (ignored: not the first)" : "");

  /* Only the first answer counts: a later one could only be a replay or a forgery. */
  if (flow->redirected)
    {
      answer_page (msg, SOUP_STATUS_OK, _("Already done"),
                   _("PhoneChat has already had an answer for this sign-in. You can close "
                     "this tab."));
      return;
    }

  /* Cancelled in the app, and the listener about to close. */
  if (flow->closing)
    {
      answer_page (msg, SOUP_STATUS_OK, _("Sign-in cancelled"),
                   _("Signing in was cancelled in PhoneChat. You can close this tab."));
      return;
    }
  flow->redirected = TRUE;

  error = check_redirect (flow, query, &code);
  if (error != NULL)
    {
      answer_outcome_page (msg, error);
      flow_fail (flow, error);
      return;
    }

  /* The page waits for the outcome of the exchange. */
  flow->code = g_steal_pointer (&code);
  flow->paused = msg;
  soup_server_message_pause (msg);

  if (flow->task != NULL)
    flow_exchange_code (flow);
}

static void
request_done_cb (SoupServer        *server,
                 SoupServerMessage *msg,
                 gpointer           user_data)
{
  Flow *flow = user_data;

  /* Aborted: the browser went away before its page. */
  if (flow->paused == msg)
    flow->paused = NULL;

  g_hash_table_remove (flow->unanswered, msg);
  flow_schedule_close (flow);
  if (g_hash_table_size (flow->unanswered) == 0)
    flow_release_outcome (flow);
}

/* Ends @flow now, without waiting for pages: a newer sign-in replaces it, or PcOAuth goes. */
static void
flow_abandon (Flow *flow)
{
  g_cancellable_cancel (flow->cancellable);

  if (flow->task != NULL)
    flow_return (flow, NULL, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                  _("Signing in was started again.")));

  flow_stop_listening (flow);
  flow->oauth = NULL;
  flow_unref (flow);
}

static Flow *
flow_new (PcOAuth  *self,
          guint16   port,
          GError  **error)
{
  Flow *flow = g_rc_box_new0 (Flow);
  g_autoptr(GError) local_error = NULL;
  GSList *uris;

  flow->oauth = self;
  flow->context = g_main_context_ref_thread_default ();
  flow->cancellable = g_cancellable_new ();
  flow->unanswered = g_hash_table_new (NULL, NULL);

  flow->state = pc_random_base64url (SECRET_BYTES, &local_error);
  if (flow->state != NULL)
    flow->verifier = pc_random_base64url (SECRET_BYTES, &local_error);
  if (flow->verifier == NULL)
    {
      g_set_error (error, PC_OAUTH_ERROR, PC_OAUTH_ERROR_FAILED,
                   _("Could not start signing in: this computer has no secure source of "
                     "random numbers (%s)."), local_error->message);
      flow_unref (flow);
      return NULL;
    }

  flow->server = soup_server_new ("server-header", "PhoneChat ", NULL);
  soup_server_add_handler (flow->server, NULL, redirect_cb, flow, NULL);
  g_signal_connect (flow->server, "request-finished", G_CALLBACK (request_done_cb), flow);
  g_signal_connect (flow->server, "request-aborted", G_CALLBACK (request_done_cb), flow);

  /* listen_local binds the loopback address only; IPV4_ONLY keeps it to 127.0.0.1, the
   * address in the redirect URI. */
  if (!soup_server_listen_local (flow->server, port, SOUP_SERVER_LISTEN_IPV4_ONLY,
                                 &local_error))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE))
        g_set_error (error, PC_OAUTH_ERROR, PC_OAUTH_ERROR_PORT_IN_USE,
                     _("Could not start signing in: another program uses port %u on this "
                       "computer, where PhoneChat waits for the sign-in page’s answer. Close "
                       "that program and try again."), port);
      else
        g_set_error (error, PC_OAUTH_ERROR, PC_OAUTH_ERROR_FAILED,
                     _("Could not start signing in: PhoneChat could not wait for the sign-in "
                       "page’s answer on port %u (%s)."), port, local_error->message);
      flow_unref (flow);
      return NULL;
    }

  uris = soup_server_get_uris (flow->server);
  g_assert (uris != NULL);
  flow->port = (guint16) g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  flow->redirect_uri = g_strdup_printf ("http://127.0.0.1:%u" REDIRECT_PATH, flow->port);
  return flow;
}

/* GObject ------------------------------------------------------------------------------ */

static void
pc_oauth_dispose (GObject *object)
{
  PcOAuth *self = (PcOAuth *) object;

  g_clear_pointer (&self->flow, flow_abandon);
  g_clear_object (&self->session);
  g_clear_object (&self->clock);

  G_OBJECT_CLASS (pc_oauth_parent_class)->dispose (object);
}

static void
pc_oauth_finalize (GObject *object)
{
  PcOAuth *self = (PcOAuth *) object;

  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->client_id, g_free);
  secret_clear (&self->client_secret);

  G_OBJECT_CLASS (pc_oauth_parent_class)->finalize (object);
}

static void
pc_oauth_class_init (PcOAuthClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pc_oauth_dispose;
  object_class->finalize = pc_oauth_finalize;
}

static void
pc_oauth_init (PcOAuth *self)
{
  self->timeout = DEFAULT_TIMEOUT_SECONDS;
  self->clock = pc_clock_new_system ();
}

/* Public API: tokens ------------------------------------------------------------------- */

/**
 * pc_tokens_new:
 * @access_token: the access token, sent as `Authorization: bearer …`
 * @refresh_token: (nullable): the refresh token, if any
 * @expires_at: when the access token expires
 *
 * Returns: (transfer full): new tokens; @expires_at is kept in UTC
 */
PcTokens *
pc_tokens_new (const char *access_token,
               const char *refresh_token,
               GDateTime  *expires_at)
{
  PcTokens *tokens;

  g_return_val_if_fail (access_token != NULL && *access_token != '\0', NULL);
  g_return_val_if_fail (expires_at != NULL, NULL);

  tokens = g_rc_box_new0 (PcTokens);
  tokens->access_token = g_strdup (access_token);
  tokens->refresh_token = g_strdup (refresh_token);
  tokens->expires_at = g_date_time_to_utc (expires_at);

  return tokens;
}

/**
 * pc_tokens_ref:
 *
 * Returns: (transfer full): @tokens
 */
PcTokens *
pc_tokens_ref (PcTokens *tokens)
{
  g_return_val_if_fail (tokens != NULL, NULL);

  return g_rc_box_acquire (tokens);
}

/**
 * pc_tokens_unref:
 *
 * Drops a reference; the last one wipes the tokens from memory.
 */
void
pc_tokens_unref (PcTokens *tokens)
{
  g_return_if_fail (tokens != NULL);

  g_rc_box_release_full (tokens, tokens_clear);
}

/**
 * pc_tokens_get_access_token:
 *
 * Returns: (transfer none): the access token
 */
const char *
pc_tokens_get_access_token (PcTokens *tokens)
{
  g_return_val_if_fail (tokens != NULL, NULL);

  return tokens->access_token;
}

/**
 * pc_tokens_get_refresh_token:
 *
 * Returns: (transfer none) (nullable): the refresh token, or %NULL when the server issued
 *   none
 */
const char *
pc_tokens_get_refresh_token (PcTokens *tokens)
{
  g_return_val_if_fail (tokens != NULL, NULL);

  return tokens->refresh_token;
}

/**
 * pc_tokens_get_expires_at:
 *
 * Returns: (transfer none): when the access token expires, in UTC: the time the request
 *   was sent plus the `expires_in` the server answered
 */
GDateTime *
pc_tokens_get_expires_at (PcTokens *tokens)
{
  g_return_val_if_fail (tokens != NULL, NULL);

  return tokens->expires_at;
}

/* Public API: PcOAuth ------------------------------------------------------------------ */

/**
 * pc_oauth_new:
 * @session: the application's session; the token requests go through it
 * @auth_base_url: where Unified Login lives, without `/OAuth`: %PC_OAUTH_LIVE_URL, or an
 *   http:// URL to this computer (the sandbox)
 * @client_id: the client_id from the developer portal's Unified Login tab
 * @client_secret: (nullable): its client_secret, if the client has one
 *
 * Returns: (transfer full): a new #PcOAuth, or %NULL with %G_IO_ERROR_INVALID_ARGUMENT for
 *   a malformed URL, or for plain http:// to another computer
 */
PcOAuth *
pc_oauth_new (SoupSession  *session,
              const char   *auth_base_url,
              const char   *client_id,
              const char   *client_secret,
              GError      **error)
{
  g_autofree char *base_url = NULL;
  PcOAuth *self;

  g_return_val_if_fail (SOUP_IS_SESSION (session), NULL);
  g_return_val_if_fail (auth_base_url != NULL, NULL);
  g_return_val_if_fail (client_id != NULL && *client_id != '\0', NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  base_url = parse_base_url (auth_base_url, error);
  if (base_url == NULL)
    return NULL;

  self = g_object_new (PC_TYPE_OAUTH, NULL);
  self->session = g_object_ref (session);
  self->base_url = g_steal_pointer (&base_url);
  self->client_id = g_strdup (client_id);
  self->client_secret = g_strdup (client_secret);

  return self;
}

/**
 * pc_oauth_set_clock:
 * @clock: (nullable): where “now” comes from for #PcTokens' expiry; %NULL for the system
 *   clock
 */
void
pc_oauth_set_clock (PcOAuth *self,
                    PcClock *clock)
{
  g_return_if_fail (PC_IS_OAUTH (self));
  g_return_if_fail (clock == NULL || PC_IS_CLOCK (clock));

  g_clear_object (&self->clock);
  self->clock = clock != NULL ? g_object_ref (clock) : pc_clock_new_system ();
}

/**
 * pc_oauth_set_debug:
 *
 * Logs every step (the authorize URL, the redirect, each token request and its answer)
 * as messages of the `pc-oauth` log domain. Every token, code, state, verifier and the
 * client secret are written `[redacted]`.
 */
void
pc_oauth_set_debug (PcOAuth  *self,
                    gboolean  debug)
{
  g_return_if_fail (PC_IS_OAUTH (self));

  self->debug = !!debug;
}

/**
 * pc_oauth_set_timeout:
 * @seconds: the longest a token request (connect, send, answer) may take; 0 for no limit.
 *   The default is 30. Waiting for the browser has no limit: cancel it instead.
 */
void
pc_oauth_set_timeout (PcOAuth *self,
                      guint    seconds)
{
  g_return_if_fail (PC_IS_OAUTH (self));

  self->timeout = MIN (seconds, MAX_TIMEOUT_SECONDS);
}

/**
 * pc_oauth_begin_authorization:
 * @redirect_port: the port on 127.0.0.1 to wait for the browser on:
 *   %PC_OAUTH_DEFAULT_REDIRECT_PORT, which the registered redirect URI names, or 0 for any
 *   free port (tests)
 *
 * Starts a sign-in: listens on `http://127.0.0.1:PORT/callback` (the loopback address
 * only), makes a random state and a PKCE verifier (256 bits each, from the operating
 * system's secure generator), and returns the URL of the login page to open in the
 * browser. Then call pc_oauth_finish_authorization_async().
 *
 * A sign-in that was still waiting is abandoned: its finish fails with
 * %G_IO_ERROR_CANCELLED.
 *
 * Returns: (transfer full): the authorize URL,
 *   `{auth_base}/OAuth/Authorize?response_type=code&client_id=…&redirect_uri=…&scope=…&state=…&code_challenge=…&code_challenge_method=S256`,
 *   or %NULL with %PC_OAUTH_ERROR_PORT_IN_USE, or %PC_OAUTH_ERROR_FAILED
 */
char *
pc_oauth_begin_authorization (PcOAuth  *self,
                              guint16   redirect_port,
                              GError  **error)
{
  g_autofree char *challenge = NULL;
  g_autofree char *query = NULL;
  g_autofree char *logged = NULL;
  Flow *flow;

  g_return_val_if_fail (PC_IS_OAUTH (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_clear_pointer (&self->flow, flow_abandon);

  flow = flow_new (self, redirect_port, error);
  if (flow == NULL)
    return NULL;
  self->flow = flow;

  challenge = pc_oauth_compute_code_challenge (flow->verifier);
  {
    const Param params[] = {
      { "response_type", "code" },
      { "client_id", self->client_id },
      { "redirect_uri", flow->redirect_uri },
      { "scope", PC_OAUTH_SCOPE },
      { "state", flow->state },
      { "code_challenge", challenge },
      { "code_challenge_method", "S256" },
    };

    query = form_encode (params, G_N_ELEMENTS (params), FALSE);
    logged = form_encode (params, G_N_ELEMENTS (params), TRUE);
  }

  debug_log (self, "Listening for the sign-in page's answer at %s", flow->redirect_uri);
  debug_log (self, "Authorize: %s/OAuth/Authorize?%s", self->base_url, logged);

  return g_strconcat (self->base_url, "/OAuth/Authorize?", query, NULL);
}

/**
 * pc_oauth_get_redirect_port:
 *
 * Returns: the port PcOAuth waits for the browser on, or 0 when it is not listening
 *   (before pc_oauth_begin_authorization(), and once a sign-in has ended)
 */
guint16
pc_oauth_get_redirect_port (PcOAuth *self)
{
  g_return_val_if_fail (PC_IS_OAUTH (self), 0);

  if (self->flow == NULL || self->flow->server == NULL)
    return 0;

  return self->flow->port;
}

/**
 * pc_oauth_finish_authorization_async:
 *
 * Waits for the browser to come back from the login page, answers it with a short page
 * (“You can close this tab and go back to PhoneChat”, or why signing in failed), checks
 * the state, and exchanges the code at `POST {auth_base}/OAuth/token` with the PKCE
 * verifier. The listener closes afterwards, also on cancellation and on errors. Only the
 * first redirect counts; later ones are answered and ignored.
 */
void
pc_oauth_finish_authorization_async (PcOAuth             *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Flow *flow;

  g_return_if_fail (PC_IS_OAUTH (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pc_oauth_finish_authorization_async);

  flow = self->flow;
  if (flow == NULL || flow->returned)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                               "No sign-in was started: call pc_oauth_begin_authorization()");
      return;
    }
  if (flow->task != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               "This sign-in is already being finished");
      return;
    }

  flow->task = g_steal_pointer (&task);

  if (flow->error != NULL)
    {
      flow_return (flow, NULL, g_steal_pointer (&flow->error));
      return;
    }

  if (cancellable != NULL)
    {
      flow->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (flow->cancel_source, G_SOURCE_FUNC (flow_caller_cancelled_cb),
                             flow, NULL);
      g_source_attach (flow->cancel_source, flow->context);
    }

  if (flow->code != NULL)
    flow_exchange_code (flow);
}

/**
 * pc_oauth_finish_authorization_finish:
 *
 * Returns: (transfer full): the tokens, or %NULL with a #PC_OAUTH_ERROR,
 *   %G_IO_ERROR_CANCELLED, or %G_IO_ERROR_NOT_INITIALIZED / %G_IO_ERROR_PENDING when no
 *   sign-in was waiting to be finished
 */
PcTokens *
pc_oauth_finish_authorization_finish (PcOAuth       *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (PC_IS_OAUTH (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        pc_oauth_finish_authorization_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
refresh_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  PcTokens *tokens;

  tokens = token_request_finish (PC_OAUTH (source), result, &error);
  if (tokens == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, tokens, (GDestroyNotify) pc_tokens_unref);
}

/**
 * pc_oauth_refresh_async:
 * @refresh_token: the refresh token of the last sign-in or refresh
 *
 * Gets a new access token (`grant_type=refresh_token`). Every refresh rotates the refresh
 * token: store the one in the result, the old one stops working.
 */
void
pc_oauth_refresh_async (PcOAuth             *self,
                        const char          *refresh_token,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  const Param params[] = {
    { "grant_type", "refresh_token" },
    { "refresh_token", refresh_token },
  };

  g_return_if_fail (PC_IS_OAUTH (self));
  g_return_if_fail (refresh_token != NULL && *refresh_token != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pc_oauth_refresh_async);

  token_request_async (self, GRANT_REFRESH_TOKEN, params, G_N_ELEMENTS (params), refresh_token,
                       cancellable, refresh_done_cb, g_steal_pointer (&task));
}

/**
 * pc_oauth_refresh_finish:
 *
 * Returns: (transfer full): the new tokens, with the rotated refresh token (or the one
 *   sent, if the server issued no new one), or %NULL with %PC_OAUTH_ERROR_REFRESH_EXPIRED
 *   when the refresh token expired or was revoked (sign in again), another
 *   #PC_OAUTH_ERROR, or %G_IO_ERROR_CANCELLED
 */
PcTokens *
pc_oauth_refresh_finish (PcOAuth       *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (PC_IS_OAUTH (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pc_oauth_refresh_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * pc_oauth_compute_code_challenge:
 * @code_verifier: a PKCE code verifier
 *
 * Returns: (transfer full): the S256 code challenge of @code_verifier (RFC 7636 §4.2):
 *   BASE64URL(SHA256(ASCII(code_verifier))), without padding
 */
char *
pc_oauth_compute_code_challenge (const char *code_verifier)
{
  g_autoptr(GChecksum) checksum = NULL;
  guint8 digest[32];
  gsize digest_len = sizeof digest;

  g_return_val_if_fail (code_verifier != NULL, NULL);

  checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_checksum_update (checksum, (const guchar *) code_verifier, strlen (code_verifier));
  g_checksum_get_digest (checksum, digest, &digest_len);

  return pc_base64url_encode (digest, digest_len);
}
