/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pc-sandbox"

#include "config.h"

#include <string.h>

#include "pc-clock.h"
#include "pc-http-private.h"
#include "pc-oauth.h"
#include "pc-random.h"
#include "pc-sandbox-private.h"

/* Unified Login (OAuth 2.0, authorization code flow) as the reference documents it,
 * approving every sign-in at once:
 *
 * - GET /OAuth/Authorize checks the client, the redirect URI (http:// to this computer
 *   only) and the PKCE challenge (S256), then redirects to the redirect URI with a code
 *   and the state, or with `code=&status=cancelled` when set to cancel.
 * - POST /OAuth/token exchanges a code once, for the redirect URI and the verifier it
 *   was issued for, and rotates refresh tokens: each refresh issues a new one and the old
 *   one stops working. An expired refresh token gets 401 {"error":
 *   "refresh_token_has_expired"}, an unknown client 401 {"error": "invalid_client"}.
 * - The access tokens it issued are accepted by the API endpoints until they expire by
 *   the sandbox's clock, besides the sandbox's fixed token.
 *
 * Errors are OAuth's `{"error": "…", "error_description": "…"}`, not the API's
 * `{"Message": "…"}`. */

#define DEFAULT_ACCESS_LIFETIME  3600              /* the reference's sample expires_in */
#define DEFAULT_REFRESH_LIFETIME (14 * 24 * 3600)  /* the reference: 14 days */
#define CODE_LIFETIME            600
#define TOKEN_BYTES              24

typedef struct
{
  char      *redirect_uri;
  char      *challenge;  /* NULL: the client sent none */
  GDateTime *expires_at;
} Code;

struct _PcSandboxOAuth
{
  guint       access_lifetime;
  guint       refresh_lifetime;
  gboolean    authorize_cancels;
  GHashTable *codes;          /* code → Code */
  GHashTable *access_tokens;  /* token → GDateTime: when it expires */
  GHashTable *refresh_tokens; /* token → GDateTime: when it expires */
  GPtrArray  *secrets;        /* every secret issued or received, for tests */
};

static void
code_free (gpointer data)
{
  Code *code = data;

  g_free (code->redirect_uri);
  g_free (code->challenge);
  g_date_time_unref (code->expires_at);
  g_free (code);
}

PcSandboxOAuth *
_pc_sandbox_oauth_new (void)
{
  PcSandboxOAuth *oauth = g_new0 (PcSandboxOAuth, 1);

  oauth->access_lifetime = DEFAULT_ACCESS_LIFETIME;
  oauth->refresh_lifetime = DEFAULT_REFRESH_LIFETIME;
  oauth->codes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, code_free);
  oauth->access_tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                (GDestroyNotify) g_date_time_unref);
  oauth->refresh_tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                 (GDestroyNotify) g_date_time_unref);
  oauth->secrets = g_ptr_array_new_with_free_func (g_free);

  return oauth;
}

void
_pc_sandbox_oauth_free (PcSandboxOAuth *oauth)
{
  g_hash_table_unref (oauth->codes);
  g_hash_table_unref (oauth->access_tokens);
  g_hash_table_unref (oauth->refresh_tokens);
  g_ptr_array_unref (oauth->secrets);
  g_free (oauth);
}

static void
remember_secret (PcSandbox  *self,
                 const char *secret)
{
  if (secret != NULL && *secret != '\0')
    g_ptr_array_add (self->oauth->secrets, g_strdup (secret));
}

static gboolean
has_expired (PcSandbox *self,
             GDateTime *expires_at)
{
  g_autoptr(GDateTime) now = pc_clock_get_now (self->clock);

  return g_date_time_compare (now, expires_at) >= 0;
}

static GDateTime *
now_plus (PcSandbox *self,
          guint      seconds)
{
  g_autoptr(GDateTime) now = pc_clock_get_now (self->clock);

  return g_date_time_add_seconds (now, seconds);
}

static char *
new_secret (PcSandbox  *self,
            const char *prefix)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *random_part = pc_random_base64url (TOKEN_BYTES, &error);
  char *secret;

  /* The sandbox cannot work without randomness any more than the app can. */
  if (random_part == NULL)
    g_error ("No secure random source: %s", error->message);

  secret = g_strconcat (prefix, random_part, NULL);
  remember_secret (self, secret);
  return secret;
}

static void
set_oauth_error (PcSandboxResponse *response,
                 guint              status,
                 const char        *error,
                 const char        *description)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (object, "error", error);
  if (description != NULL)
    json_object_set_string_member (object, "error_description", description);
  json_node_take_object (node, object);

  _pc_sandbox_response_take (response, status, node);
}

/* RFC 8252 §7.3: a native app's redirect goes to the loopback address over plain http,
 * on any port. */
static gboolean
redirect_uri_is_loopback (const char *redirect_uri)
{
  g_autoptr(GUri) uri = NULL;

  if (redirect_uri == NULL)
    return FALSE;

  uri = g_uri_parse (redirect_uri, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 ||
      g_uri_get_fragment (uri) != NULL || g_uri_get_userinfo (uri) != NULL)
    return FALSE;

  return _pc_http_host_is_loopback (g_uri_get_host (uri));
}

/* A PKCE challenge or verifier: 43 to 128 unreserved characters (RFC 7636 §4.1–4.2). */
static gboolean
is_pkce_string (const char *text)
{
  gsize len = 0;

  for (const char *p = text; *p != '\0'; p++, len++)
    if (!g_ascii_isalnum (*p) && strchr ("-._~", *p) == NULL)
      return FALSE;

  return len >= 43 && len <= 128;
}

/* Redirects the browser to @redirect_uri with @params (name, value, …, NULL) added. */
/* The clients the sandbox knows: its own, and the one PhoneChat is built with, so that
 * the app and phonechat-cli sign in to it as they are. */
static gboolean
client_is_known (const char *client_id)
{
  return g_strcmp0 (client_id, PC_SANDBOX_CLIENT_ID) == 0 ||
         g_strcmp0 (client_id, PC_OAUTH_CLIENT_ID) == 0;
}

static const char *
client_secret_of (const char *client_id)
{
  if (g_strcmp0 (client_id, PC_SANDBOX_CLIENT_ID) == 0)
    return PC_SANDBOX_CLIENT_SECRET;

  return PC_OAUTH_CLIENT_SECRET;
}

static void
redirect_with (SoupServerMessage *msg,
               PcSandboxResponse *response,
               const char        *redirect_uri,
               ...)
{
  GString *location = g_string_new (redirect_uri);
  char separator = strchr (redirect_uri, '?') != NULL ? '&' : '?';
  const char *name;
  va_list args;

  va_start (args, redirect_uri);
  for (name = va_arg (args, const char *); name != NULL; name = va_arg (args, const char *))
    {
      const char *value = va_arg (args, const char *);

      if (value == NULL)
        continue;
      g_string_append_c (location, separator);
      separator = '&';
      g_string_append_uri_escaped (location, name, NULL, FALSE);
      g_string_append_c (location, '=');
      g_string_append_uri_escaped (location, value, NULL, FALSE);
    }
  va_end (args);

  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Location",
                                location->str);
  _pc_sandbox_response_take (response, SOUP_STATUS_FOUND, NULL);
  g_string_free (location, TRUE);
}

void
_pc_sandbox_handle_authorize (PcSandbox         *self,
                              SoupServerMessage *msg,
                              PcSandboxResponse *response)
{
  g_autoptr(GHashTable) params = _pc_sandbox_parse_query (msg);
  const char *client_id = g_hash_table_lookup (params, "client_id");
  const char *redirect_uri = g_hash_table_lookup (params, "redirect_uri");
  const char *response_type = g_hash_table_lookup (params, "response_type");
  const char *state = g_hash_table_lookup (params, "state");
  const char *challenge = g_hash_table_lookup (params, "code_challenge");
  const char *method = g_hash_table_lookup (params, "code_challenge_method");
  g_autofree char *code_text = NULL;
  Code *code;

  /* Errors about the client or the redirect URI are not sent to that URI (RFC 6749
   * §4.1.2.1): it cannot be trusted. */
  if (!client_is_known (client_id))
    {
      set_oauth_error (response, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                       "client_id is missing or unknown.");
      return;
    }

  if (!redirect_uri_is_loopback (redirect_uri))
    {
      set_oauth_error (response, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                       "redirect_uri must be an http:// URL on this computer (127.0.0.1, ::1 "
                       "or localhost).");
      return;
    }

  remember_secret (self, state);

  if (g_strcmp0 (response_type, "code") != 0)
    {
      redirect_with (msg, response, redirect_uri,
                     "error", "unsupported_response_type", "state", state, NULL);
      return;
    }

  if (challenge != NULL && (g_strcmp0 (method, "S256") != 0 || !is_pkce_string (challenge)))
    {
      redirect_with (msg, response, redirect_uri,
                     "error", "invalid_request",
                     "error_description", "code_challenge must be S256.",
                     "state", state, NULL);
      return;
    }

  /* What the reference documents for a user who cancels at the login page. */
  if (self->oauth->authorize_cancels)
    {
      redirect_with (msg, response, redirect_uri,
                     "code", "", "state", state, "status", "cancelled", NULL);
      return;
    }

  code = g_new0 (Code, 1);
  code->redirect_uri = g_strdup (redirect_uri);
  code->challenge = g_strdup (challenge);
  code->expires_at = now_plus (self, CODE_LIFETIME);
  code_text = new_secret (self, "sandbox-code-");
  g_hash_table_replace (self->oauth->codes, g_strdup (code_text), code);

  redirect_with (msg, response, redirect_uri, "code", code_text, "state", state, NULL);
}

static void
issue_tokens (PcSandbox         *self,
              PcSandboxResponse *response)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  char *access_token = new_secret (self, "sandbox-access-");
  char *refresh_token = new_secret (self, "sandbox-refresh-");

  json_object_set_string_member (object, "access_token", access_token);
  json_object_set_string_member (object, "token_type", "bearer");
  json_object_set_int_member (object, "expires_in", self->oauth->access_lifetime);
  json_object_set_string_member (object, "refresh_token", refresh_token);
  json_node_take_object (node, object);

  g_hash_table_replace (self->oauth->access_tokens, access_token,
                        now_plus (self, self->oauth->access_lifetime));
  g_hash_table_replace (self->oauth->refresh_tokens, refresh_token,
                        now_plus (self, self->oauth->refresh_lifetime));

  _pc_sandbox_response_take (response, SOUP_STATUS_OK, node);
}

static void
grant_authorization_code (PcSandbox         *self,
                          GHashTable        *form,
                          PcSandboxResponse *response)
{
  const char *code_text = g_hash_table_lookup (form, "code");
  const char *redirect_uri = g_hash_table_lookup (form, "redirect_uri");
  const char *verifier = g_hash_table_lookup (form, "code_verifier");
  g_autofree char *key = NULL;
  g_autofree char *challenge = NULL;
  Code *code = NULL;

  remember_secret (self, verifier);

  /* A code is used once, whatever the outcome (RFC 6749 §4.1.2). */
  if (code_text == NULL ||
      !g_hash_table_steal_extended (self->oauth->codes, code_text, (gpointer *) &key,
                                    (gpointer *) &code))
    {
      set_oauth_error (response, SOUP_STATUS_BAD_REQUEST, "invalid_grant",
                       "The code is unknown or was used already.");
      return;
    }

  if (has_expired (self, code->expires_at))
    set_oauth_error (response, SOUP_STATUS_BAD_REQUEST, "invalid_grant", "The code has expired.");
  else if (g_strcmp0 (redirect_uri, code->redirect_uri) != 0)
    set_oauth_error (response, SOUP_STATUS_BAD_REQUEST, "invalid_grant",
                     "redirect_uri is not the one the code was issued for.");
  else if (code->challenge != NULL &&
           (verifier == NULL || !is_pkce_string (verifier) ||
            !g_str_equal ((challenge = pc_oauth_compute_code_challenge (verifier)),
                          code->challenge)))
    set_oauth_error (response, SOUP_STATUS_BAD_REQUEST, "invalid_grant",
                     "code_verifier does not match the code_challenge.");
  else
    issue_tokens (self, response);

  code_free (code);
}

static void
grant_refresh_token (PcSandbox         *self,
                     GHashTable        *form,
                     PcSandboxResponse *response)
{
  const char *refresh_token = g_hash_table_lookup (form, "refresh_token");
  GDateTime *expires_at;

  remember_secret (self, refresh_token);

  expires_at = refresh_token != NULL ?
               g_hash_table_lookup (self->oauth->refresh_tokens, refresh_token) : NULL;
  if (expires_at == NULL)
    {
      set_oauth_error (response, SOUP_STATUS_BAD_REQUEST, "invalid_grant",
                       "The refresh token is unknown or was replaced by a newer one.");
      return;
    }

  if (has_expired (self, expires_at))
    {
      g_hash_table_remove (self->oauth->refresh_tokens, refresh_token);
      set_oauth_error (response, SOUP_STATUS_UNAUTHORIZED, "refresh_token_has_expired", NULL);
      return;
    }

  /* Rotation: the old refresh token stops working. */
  g_hash_table_remove (self->oauth->refresh_tokens, refresh_token);
  issue_tokens (self, response);
}

void
_pc_sandbox_handle_token (PcSandbox         *self,
                          SoupServerMessage *msg,
                          PcSandboxResponse *response)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  const char *content_type;
  g_autofree char *text = NULL;
  g_autoptr(GHashTable) form = NULL;
  const char *grant_type;
  const char *client_secret;

  content_type = soup_message_headers_get_content_type (
    soup_server_message_get_request_headers (msg), NULL);
  if (g_strcmp0 (content_type, "application/x-www-form-urlencoded") != 0 || body == NULL)
    {
      set_oauth_error (response, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                       "The body must be application/x-www-form-urlencoded.");
      return;
    }

  text = g_strndup (body->data, body->length);
  form = soup_form_decode (text);
  grant_type = g_hash_table_lookup (form, "grant_type");
  client_secret = g_hash_table_lookup (form, "client_secret");
  remember_secret (self, client_secret);

  /* A client without a secret is a public one, which PKCE protects. */
  if (!client_is_known (g_hash_table_lookup (form, "client_id")) ||
      (client_secret != NULL &&
       g_strcmp0 (client_secret, client_secret_of (g_hash_table_lookup (form, "client_id"))) != 0))
    {
      set_oauth_error (response, SOUP_STATUS_UNAUTHORIZED, "invalid_client", NULL);
      return;
    }

  if (g_strcmp0 (grant_type, "authorization_code") == 0)
    grant_authorization_code (self, form, response);
  else if (g_strcmp0 (grant_type, "refresh_token") == 0)
    grant_refresh_token (self, form, response);
  else
    set_oauth_error (response, SOUP_STATUS_BAD_REQUEST, "unsupported_grant_type", NULL);
}

gboolean
_pc_sandbox_oauth_accepts_token (PcSandbox  *self,
                                 const char *token)
{
  GDateTime *expires_at = g_hash_table_lookup (self->oauth->access_tokens, token);

  return expires_at != NULL && !has_expired (self, expires_at);
}

/**
 * _pc_sandbox_oauth_dup_secrets:
 *
 * For tests that look for leaks: every code, state, token, verifier and client secret
 * the sandbox has issued or been sent.
 *
 * Returns: (transfer full) (element-type utf8): the secrets
 */
GPtrArray *
_pc_sandbox_oauth_dup_secrets (PcSandbox *self)
{
  return g_ptr_array_copy (self->oauth->secrets, (GCopyFunc) g_strdup, NULL);
}

/**
 * pc_sandbox_set_token_lifetimes:
 * @access_seconds: how long new access tokens work (default 3600)
 * @refresh_seconds: how long new refresh tokens work (default 14 days)
 *
 * Applies to tokens issued from now on.
 */
void
pc_sandbox_set_token_lifetimes (PcSandbox *self,
                                guint      access_seconds,
                                guint      refresh_seconds)
{
  g_return_if_fail (PC_IS_SANDBOX (self));
  g_return_if_fail (access_seconds > 0 && refresh_seconds > 0);

  self->oauth->access_lifetime = access_seconds;
  self->oauth->refresh_lifetime = refresh_seconds;
}

/**
 * pc_sandbox_set_authorize_cancels:
 *
 * When set, `GET /OAuth/Authorize` answers as when the user cancels at the login page:
 * a redirect with `code=&state=…&status=cancelled`.
 */
void
pc_sandbox_set_authorize_cancels (PcSandbox *self,
                                  gboolean   cancels)
{
  g_return_if_fail (PC_IS_SANDBOX (self));

  self->oauth->authorize_cancels = !!cancels;
}

/**
 * pc_sandbox_expire_tokens:
 *
 * Makes every access and refresh token issued so far expire now: the API refuses the
 * access tokens, and refreshing answers 401 `refresh_token_has_expired`. The sandbox's
 * fixed token keeps working.
 */
void
pc_sandbox_expire_tokens (PcSandbox *self)
{
  GHashTable *tables[2];
  GHashTableIter iter;
  gpointer key;

  g_return_if_fail (PC_IS_SANDBOX (self));

  tables[0] = self->oauth->access_tokens;
  tables[1] = self->oauth->refresh_tokens;
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_hash_table_iter_init (&iter, tables[i]);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        g_hash_table_iter_replace (&iter, pc_clock_get_now (self->clock));
    }
}
