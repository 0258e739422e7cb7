/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pc-account"

#include "config.h"

#include <string.h>

#include "pc-account.h"
#include "pc-http-private.h"
#include "pc-json-private.h"

/* PcAccount: who is signed in, where, and with which tokens. An immutable, ref-counted
 * value: a token refresh makes a new account with pc_account_new_with_tokens(), so an
 * account that is being stored or used for a request never changes underneath.
 *
 * Its JSON form is what the keyring keeps. It is read strictly: every member must be
 * present with the right type, and a problem is reported naming the member, never its
 * value (the values are tokens). */

#define LIVE_API_URL     "https://api.adultwork.com"
#define LIVE_AUTH_URL    "https://platform.adultwork.com"
#define SANDBOX_API_URL  "https://api-sandbox.adultwork.com"
/* The sandbox's OAuth server is not documented: its host is inferred from the live pair
 * (api → platform) and the sandbox's API host. Change it here if it turns out otherwise. */
#define SANDBOX_AUTH_URL "https://platform-sandbox.adultwork.com"

struct _PcAccount
{
  gatomicrefcount  ref_count;

  PcEnvironment    environment;
  char            *api_url;
  char            *auth_url;
  char            *client_id;
  gint64           user_id;
  char            *display_name;
  char            *access_token;
  char            *refresh_token;
  GDateTime       *expires_at;
};

G_DEFINE_BOXED_TYPE (PcAccount, pc_account, pc_account_ref, pc_account_unref)

static const struct
{
  PcEnvironment  environment;
  const char    *name;
  const char    *api_url;
  const char    *auth_url;
} environments[] = {
  { PC_ENVIRONMENT_LIVE, "live", LIVE_API_URL, LIVE_AUTH_URL },
  { PC_ENVIRONMENT_SANDBOX, "sandbox", SANDBOX_API_URL, SANDBOX_AUTH_URL },
  { PC_ENVIRONMENT_CUSTOM, "custom", NULL, NULL },
};

static gboolean
environment_is_valid (PcEnvironment environment)
{
  return environment == PC_ENVIRONMENT_LIVE ||
         environment == PC_ENVIRONMENT_SANDBOX ||
         environment == PC_ENVIRONMENT_CUSTOM;
}

static gboolean
is_nonempty (const char *text)
{
  return text != NULL && *text != '\0';
}

static const char *
nonempty_or_null (const char *text)
{
  return is_nonempty (text) ? text : NULL;
}

/**
 * pc_account_environment_to_string:
 * @environment: an environment
 *
 * Returns: `"live"`, `"sandbox"` or `"custom"`
 */
const char *
pc_account_environment_to_string (PcEnvironment environment)
{
  for (guint i = 0; i < G_N_ELEMENTS (environments); i++)
    if (environments[i].environment == environment)
      return environments[i].name;

  g_return_val_if_reached (NULL);
}

/**
 * pc_account_environment_from_string:
 * @text: (nullable): `"live"`, `"sandbox"` or `"custom"`
 * @environment: (out): where to put the environment
 *
 * Returns: whether @text names an environment; @environment is left alone if not
 */
gboolean
pc_account_environment_from_string (const char    *text,
                                    PcEnvironment *environment)
{
  g_return_val_if_fail (environment != NULL, FALSE);

  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (environments); i++)
    if (strcmp (environments[i].name, text) == 0)
      {
        *environment = environments[i].environment;
        return TRUE;
      }

  return FALSE;
}

/**
 * pc_account_environment_get_api_url:
 * @environment: an environment
 *
 * Returns: (nullable): the API's base URL, or %NULL for %PC_ENVIRONMENT_CUSTOM
 */
const char *
pc_account_environment_get_api_url (PcEnvironment environment)
{
  for (guint i = 0; i < G_N_ELEMENTS (environments); i++)
    if (environments[i].environment == environment)
      return environments[i].api_url;

  g_return_val_if_reached (NULL);
}

/**
 * pc_account_environment_get_auth_url:
 * @environment: an environment
 *
 * Returns: (nullable): the OAuth server's base URL, or %NULL for %PC_ENVIRONMENT_CUSTOM
 */
const char *
pc_account_environment_get_auth_url (PcEnvironment environment)
{
  for (guint i = 0; i < G_N_ELEMENTS (environments); i++)
    if (environments[i].environment == environment)
      return environments[i].auth_url;

  g_return_val_if_reached (NULL);
}

/**
 * pc_account_new:
 * @environment: the API the account belongs to
 * @api_url: (nullable): the API's base URL; %NULL for the environment's default (required
 *   for %PC_ENVIRONMENT_CUSTOM)
 * @auth_url: (nullable): the OAuth server's base URL; %NULL for the environment's default
 *   (required for %PC_ENVIRONMENT_CUSTOM)
 * @client_id: the OAuth client id the tokens were issued to
 * @user_id: the user's id (positive), as verifyCredentials reports it
 * @display_name: (nullable): what to call the account, such as its e-mail address; an
 *   empty string is %NULL
 * @access_token: the access token
 * @refresh_token: (nullable): the refresh token; %NULL (or empty) when there is none, as
 *   for a pasted access token
 * @expires_at: (nullable): when the access token expires; %NULL when unknown
 *
 * URLs are absolute http or https URLs. @expires_at is kept in UTC.
 *
 * Returns: (transfer full): a new account
 */
PcAccount *
pc_account_new (PcEnvironment  environment,
                const char    *api_url,
                const char    *auth_url,
                const char    *client_id,
                gint64         user_id,
                const char    *display_name,
                const char    *access_token,
                const char    *refresh_token,
                GDateTime     *expires_at)
{
  PcAccount *self;

  g_return_val_if_fail (environment_is_valid (environment), NULL);

  if (api_url == NULL)
    api_url = pc_account_environment_get_api_url (environment);
  if (auth_url == NULL)
    auth_url = pc_account_environment_get_auth_url (environment);

  g_return_val_if_fail (_pc_http_url_is_valid (api_url), NULL);
  g_return_val_if_fail (_pc_http_url_is_valid (auth_url), NULL);
  g_return_val_if_fail (is_nonempty (client_id), NULL);
  g_return_val_if_fail (user_id > 0, NULL);
  g_return_val_if_fail (is_nonempty (access_token), NULL);

  self = g_new0 (PcAccount, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->environment = environment;
  self->api_url = g_strdup (api_url);
  self->auth_url = g_strdup (auth_url);
  self->client_id = g_strdup (client_id);
  self->user_id = user_id;
  self->display_name = g_strdup (nonempty_or_null (display_name));
  self->access_token = g_strdup (access_token);
  self->refresh_token = g_strdup (nonempty_or_null (refresh_token));
  self->expires_at = expires_at != NULL ? g_date_time_to_utc (expires_at) : NULL;

  return self;
}

/**
 * pc_account_new_with_tokens:
 * @self: an account
 * @access_token: the new access token
 * @refresh_token: (nullable): the new refresh token, or %NULL for none
 * @expires_at: (nullable): when the new access token expires, or %NULL when unknown
 *
 * The same account with new tokens, as after a refresh. @self does not change.
 *
 * Returns: (transfer full): a new account
 */
PcAccount *
pc_account_new_with_tokens (PcAccount  *self,
                            const char *access_token,
                            const char *refresh_token,
                            GDateTime  *expires_at)
{
  g_return_val_if_fail (self != NULL, NULL);

  return pc_account_new (self->environment, self->api_url, self->auth_url, self->client_id,
                         self->user_id, self->display_name,
                         access_token, refresh_token, expires_at);
}

/**
 * pc_account_ref:
 * @self: an account
 *
 * Returns: (transfer full): @self
 */
PcAccount *
pc_account_ref (PcAccount *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

static void
wipe_string (char **str)
{
  if (*str != NULL)
    {
      /* Through a volatile pointer, so that the writes are not dropped as dead stores. */
      volatile char *p = (volatile char *) *str;

      while (*p != '\0')
        *p++ = '\0';
      g_clear_pointer (str, g_free);
    }
}

/**
 * pc_account_unref:
 * @self: an account
 *
 * Drops a reference; the last one frees the account and wipes its tokens from memory.
 */
void
pc_account_unref (PcAccount *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_free (self->api_url);
  g_free (self->auth_url);
  g_free (self->client_id);
  g_free (self->display_name);
  wipe_string (&self->access_token);
  wipe_string (&self->refresh_token);
  g_clear_pointer (&self->expires_at, g_date_time_unref);
  g_free (self);
}

PcEnvironment
pc_account_get_environment (PcAccount *self)
{
  g_return_val_if_fail (self != NULL, PC_ENVIRONMENT_LIVE);

  return self->environment;
}

const char *
pc_account_get_api_url (PcAccount *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->api_url;
}

const char *
pc_account_get_auth_url (PcAccount *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->auth_url;
}

const char *
pc_account_get_client_id (PcAccount *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->client_id;
}

gint64
pc_account_get_user_id (PcAccount *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->user_id;
}

/**
 * pc_account_get_display_name:
 * @self: an account
 *
 * Returns: (nullable): what to call the account, such as its e-mail address
 */
const char *
pc_account_get_display_name (PcAccount *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->display_name;
}

const char *
pc_account_get_access_token (PcAccount *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->access_token;
}

/**
 * pc_account_get_refresh_token:
 * @self: an account
 *
 * Returns: (nullable): the refresh token, if there is one
 */
const char *
pc_account_get_refresh_token (PcAccount *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->refresh_token;
}

/**
 * pc_account_get_expires_at:
 * @self: an account
 *
 * Returns: (nullable) (transfer none): when the access token expires, in UTC; %NULL when
 *   unknown
 */
GDateTime *
pc_account_get_expires_at (PcAccount *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->expires_at;
}

/**
 * pc_account_is_same_account:
 * @self: an account
 * @other: another account
 *
 * Whether both are the same user on the same API (the environment and the user id, and
 * the API's URL for a custom environment), whatever their tokens: storing one replaces
 * the other.
 */
gboolean
pc_account_is_same_account (PcAccount *self,
                            PcAccount *other)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (other != NULL, FALSE);

  return self->environment == other->environment &&
         self->user_id == other->user_id &&
         (self->environment != PC_ENVIRONMENT_CUSTOM ||
          g_strcmp0 (self->api_url, other->api_url) == 0);
}

static gboolean
date_time_equal0 (GDateTime *a,
                  GDateTime *b)
{
  if (a == NULL || b == NULL)
    return a == b;

  return g_date_time_equal (a, b);
}

/**
 * pc_account_equal:
 * @self: an account
 * @other: another account
 *
 * Whether every field is the same, tokens included.
 */
gboolean
pc_account_equal (PcAccount *self,
                  PcAccount *other)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (other != NULL, FALSE);

  return self->environment == other->environment &&
         g_strcmp0 (self->api_url, other->api_url) == 0 &&
         g_strcmp0 (self->auth_url, other->auth_url) == 0 &&
         g_strcmp0 (self->client_id, other->client_id) == 0 &&
         self->user_id == other->user_id &&
         g_strcmp0 (self->display_name, other->display_name) == 0 &&
         g_strcmp0 (self->access_token, other->access_token) == 0 &&
         g_strcmp0 (self->refresh_token, other->refresh_token) == 0 &&
         date_time_equal0 (self->expires_at, other->expires_at);
}

/* JSON: the members, in the order they are written. */
#define MEMBER_ENVIRONMENT   "environment"
#define MEMBER_API_URL       "api_url"
#define MEMBER_AUTH_URL      "auth_url"
#define MEMBER_CLIENT_ID     "client_id"
#define MEMBER_USER_ID       "user_id"
#define MEMBER_DISPLAY_NAME  "display_name"
#define MEMBER_ACCESS_TOKEN  "access_token"
#define MEMBER_REFRESH_TOKEN "refresh_token"
#define MEMBER_EXPIRES_AT    "expires_at"

static void
add_string_or_null (JsonBuilder *builder,
                    const char  *member,
                    const char  *value)
{
  json_builder_set_member_name (builder, member);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/**
 * pc_account_to_json_node:
 * @self: an account
 *
 * The account as a JSON object, tokens included: the form the keyring keeps. Every member
 * is written; unknown values are `null`. `expires_at` is an ISO 8601 date in UTC.
 *
 * Returns: (transfer full): a JSON object node
 */
JsonNode *
pc_account_to_json_node (PcAccount *self)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autofree char *expires_at = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  if (self->expires_at != NULL)
    expires_at = g_date_time_format_iso8601 (self->expires_at);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  add_string_or_null (builder, MEMBER_ENVIRONMENT,
                      pc_account_environment_to_string (self->environment));
  add_string_or_null (builder, MEMBER_API_URL, self->api_url);
  add_string_or_null (builder, MEMBER_AUTH_URL, self->auth_url);
  add_string_or_null (builder, MEMBER_CLIENT_ID, self->client_id);
  json_builder_set_member_name (builder, MEMBER_USER_ID);
  json_builder_add_int_value (builder, self->user_id);
  add_string_or_null (builder, MEMBER_DISPLAY_NAME, self->display_name);
  add_string_or_null (builder, MEMBER_ACCESS_TOKEN, self->access_token);
  add_string_or_null (builder, MEMBER_REFRESH_TOKEN, self->refresh_token);
  add_string_or_null (builder, MEMBER_EXPIRES_AT, expires_at);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/**
 * pc_account_to_json:
 * @self: an account
 *
 * The JSON text of pc_account_to_json_node(). It holds the tokens: wipe it after use
 * (e.g. with secret_password_free()).
 *
 * Returns: (transfer full): compact JSON text
 */
char *
pc_account_to_json (PcAccount *self)
{
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  node = pc_account_to_json_node (self);
  return json_to_string (node, FALSE);
}

/* A non-empty string, or NULL for a null where @nullable. The value is never quoted in a
 * message: it may be a token. */
static gboolean
read_string (JsonObject  *object,
             const char  *member,
             gboolean     nullable,
             const char **out,
             GError     **error)
{
  if (!_pc_json_read_string (object, NULL, member, nullable, out, error))
    {
      *out = NULL;
      return FALSE;
    }

  if (*out != NULL && **out == '\0')
    {
      *out = NULL;
      g_set_error (error, PC_JSON_ERROR, PC_JSON_ERROR_BAD_VALUE, "%s: must not be empty",
                   member);
      return FALSE;
    }

  return TRUE;
}

static gboolean
read_url (JsonObject  *object,
          const char  *member,
          const char **out,
          GError     **error)
{
  if (!read_string (object, member, FALSE, out, error))
    return FALSE;

  if (!_pc_http_url_is_valid (*out))
    {
      g_set_error (error, PC_JSON_ERROR, PC_JSON_ERROR_BAD_VALUE,
                   "%s: not an absolute http or https URL", member);
      return FALSE;
    }

  return TRUE;
}

static gboolean
read_user_id (JsonObject  *object,
              gint64      *out,
              GError     **error)
{
  gboolean is_null;
  JsonNode *node = _pc_json_get_value (object, NULL, MEMBER_USER_ID, G_TYPE_INT64, FALSE,
                                       &is_null, error);
  gint64 value;

  if (node == NULL)
    return FALSE;

  /* json-glib 1.10 reads a literal too large for 64 bits as G_MAXINT64 without an error:
   * no user id is that large, so it is refused with the other impossible values. */
  value = json_node_get_int (node);
  if (value <= 0 || value == G_MAXINT64)
    {
      g_set_error (error, PC_JSON_ERROR, PC_JSON_ERROR_BAD_VALUE,
                   "%s: not a positive 64-bit integer", MEMBER_USER_ID);
      return FALSE;
    }

  *out = value;
  return TRUE;
}

static gboolean
read_expires_at (JsonObject  *object,
                 GDateTime  **out,
                 GError     **error)
{
  const char *text;

  *out = NULL;

  if (!read_string (object, MEMBER_EXPIRES_AT, TRUE, &text, error))
    return FALSE;

  if (text == NULL)
    return TRUE;

  /* No default zone: a date without one is not ours. */
  *out = g_date_time_new_from_iso8601 (text, NULL);
  if (*out == NULL)
    {
      g_set_error (error, PC_JSON_ERROR, PC_JSON_ERROR_BAD_VALUE,
                   "%s: not an ISO 8601 date and time with a zone", MEMBER_EXPIRES_AT);
      return FALSE;
    }

  return TRUE;
}

/**
 * pc_account_new_from_json_node:
 * @node: a JSON object as pc_account_to_json_node() writes it
 *
 * Reads an account strictly: every member of pc_account_to_json_node() must be present,
 * with its type; unknown members are ignored. Messages name the member, never its value.
 *
 * Returns: (transfer full): the account, or %NULL with a #PC_JSON_ERROR
 */
PcAccount *
pc_account_new_from_json_node (JsonNode  *node,
                               GError   **error)
{
  JsonObject *object;
  const char *environment_name;
  PcEnvironment environment;
  const char *api_url;
  const char *auth_url;
  const char *client_id;
  gint64 user_id = 0;
  const char *display_name;
  const char *access_token;
  const char *refresh_token;
  g_autoptr(GDateTime) expires_at = NULL;

  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, PC_JSON_ERROR, PC_JSON_ERROR_NOT_OBJECT,
                   "expected an object, got %s", _pc_json_describe_node (node));
      return NULL;
    }
  object = json_node_get_object (node);

  if (!read_string (object, MEMBER_ENVIRONMENT, FALSE, &environment_name, error))
    return NULL;
  if (!pc_account_environment_from_string (environment_name, &environment))
    {
      g_set_error (error, PC_JSON_ERROR, PC_JSON_ERROR_BAD_VALUE,
                   "%s: not one of live, sandbox, custom", MEMBER_ENVIRONMENT);
      return NULL;
    }

  if (!read_url (object, MEMBER_API_URL, &api_url, error) ||
      !read_url (object, MEMBER_AUTH_URL, &auth_url, error) ||
      !read_string (object, MEMBER_CLIENT_ID, FALSE, &client_id, error) ||
      !read_user_id (object, &user_id, error) ||
      !read_string (object, MEMBER_DISPLAY_NAME, TRUE, &display_name, error) ||
      !read_string (object, MEMBER_ACCESS_TOKEN, FALSE, &access_token, error) ||
      !read_string (object, MEMBER_REFRESH_TOKEN, TRUE, &refresh_token, error) ||
      !read_expires_at (object, &expires_at, error))
    return NULL;

  return pc_account_new (environment, api_url, auth_url, client_id, user_id, display_name,
                         access_token, refresh_token, expires_at);
}

/**
 * pc_account_new_from_json:
 * @json: JSON text as pc_account_to_json() writes it
 * @length: the length of @json in bytes, or -1 when it is nul-terminated
 *
 * Reads an account from strict JSON (no comments, single quotes or second document); see
 * pc_account_new_from_json_node(). A syntax error is reported without quoting the text.
 *
 * Returns: (transfer full): the account, or %NULL with a #PC_JSON_ERROR
 */
PcAccount *
pc_account_new_from_json (const char  *json,
                          gssize       length,
                          GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) parse_error = NULL;
  JsonNode *root;

  g_return_val_if_fail (json != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  parser = json_parser_new_immutable ();
  json_parser_set_strict (parser, TRUE);
  if (!json_parser_load_from_data (parser, json, length, &parse_error))
    {
      /* json-glib's message can quote the text around the problem: keep it out. */
      g_set_error_literal (error, PC_JSON_ERROR, PC_JSON_ERROR_SYNTAX,
                           "The stored account is not valid JSON");
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_set_error_literal (error, PC_JSON_ERROR, PC_JSON_ERROR_NOT_JSON,
                           "The stored account is empty");
      return NULL;
    }

  return pc_account_new_from_json_node (root, error);
}
