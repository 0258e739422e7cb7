/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pc-session"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "pc-credentials.h"
#include "pc-oauth.h"
#include "pc-session.h"

/**
 * PcSession:
 *
 * The signed-in account of the application or of phonechat-cli: who it is, its tokens
 * (kept in the keyring with #PcCredentials, never anywhere else), an API client that
 * always sends the current access token, and the renewal of that token before it
 * expires (at 80 % of its lifetime; the rotated refresh token is stored at once).
 *
 * When the server refuses the token (pc_session_report_unauthorized(), for a 401) or a
 * renewal fails for good, the session goes to %PC_SESSION_NEEDS_SIGN_IN and keeps the
 * account and its API client: the front end says "sign in again" over the data it has,
 * and signing in again continues from there.
 */

/* Renew when this share of the token's lifetime has passed. */
#define REFRESH_AT_PERCENT 80
/* After a renewal that failed for a passing reason (network), try again this much later. */
#define RETRY_SECONDS 60

struct _PcSession
{
  GObject         parent_instance;

  SoupSession    *soup;
  PcClock        *clock;
  gboolean        debug;

  PcSessionState  state;
  PcAccount      *account;
  GError         *error;
  PcApi          *api;

  /* A browser sign-in in progress. */
  PcOAuth        *sign_in;
  PcEnvironment   sign_in_environment;
  char           *sign_in_api_url;
  char           *sign_in_auth_url;
  char           *sign_in_client_id;

  guint           refresh_id;
  GPtrArray      *refresh_tasks;  /* GTask: the renewal in flight and those who joined it */
  GCancellable   *cancellable;
};

G_DEFINE_FINAL_TYPE (PcSession, pc_session, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (PcSessionState, pc_session_state,
                    G_DEFINE_ENUM_VALUE (PC_SESSION_SIGNED_OUT, "signed-out"),
                    G_DEFINE_ENUM_VALUE (PC_SESSION_RESTORING, "restoring"),
                    G_DEFINE_ENUM_VALUE (PC_SESSION_SIGNED_IN, "signed-in"),
                    G_DEFINE_ENUM_VALUE (PC_SESSION_NEEDS_SIGN_IN, "needs-sign-in"))

enum {
  PROP_0,
  PROP_STATE,
  PROP_ACCOUNT,
  PROP_API,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void     schedule_refresh (PcSession *self);
static gboolean refresh_due_cb   (gpointer   user_data);

static void
set_error (PcSession    *self,
           const GError *error)
{
  if (self->error == NULL && error == NULL)
    return;

  g_clear_error (&self->error);
  if (error != NULL)
    self->error = g_error_copy (error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

static void
set_state (PcSession      *self,
           PcSessionState  state)
{
  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static char *
dup_access_token_cb (gpointer user_data)
{
  PcSession *self = user_data;

  return self->account != NULL ? g_strdup (pc_account_get_access_token (self->account)) : NULL;
}

/* The secret that goes with a client ID: PhoneChat's own has the one it was built with;
 * a project of the user's own signs in with PKCE alone. */
static const char *
client_secret_for (const char *client_id)
{
  if (g_strcmp0 (client_id, PC_OAUTH_CLIENT_ID) == 0 && PC_OAUTH_CLIENT_SECRET[0] != '\0')
    return PC_OAUTH_CLIENT_SECRET;

  return NULL;
}

/* One API client per server: the same object while the account's server stays, so that
 * whoever holds it keeps working after a renewal or a new sign-in to the same server. */
static void
update_api (PcSession *self)
{
  g_autoptr(PcApi) api = NULL;
  g_autoptr(GError) error = NULL;

  if (self->account != NULL && self->api != NULL &&
      g_strcmp0 (pc_api_get_base_url (self->api), pc_account_get_api_url (self->account)) == 0)
    return;

  /* A SoupSession takes one logger: the outgoing client's goes before the new one's. */
  if (self->api != NULL)
    pc_api_set_debug (self->api, FALSE);

  if (self->account != NULL)
    {
      api = pc_api_new (self->soup, pc_account_get_api_url (self->account), &error);
      if (api == NULL)
        {
          g_warning ("The account’s server cannot be used: %s", error->message);
          set_error (self, error);
        }
      else
        {
          pc_api_set_token_func (api, dup_access_token_cb, self, NULL);
          pc_api_set_debug (api, self->debug);
        }
    }

  if (g_set_object (&self->api, api))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_API]);
}

static void
set_account (PcSession *self,
             PcAccount *account)
{
  if (self->account != account)
    {
      g_clear_pointer (&self->account, pc_account_unref);
      self->account = account != NULL ? pc_account_ref (account) : NULL;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNT]);
    }

  update_api (self);
  schedule_refresh (self);
}

static PcOAuth *
new_oauth (PcSession   *self,
           const char  *auth_url,
           const char  *client_id,
           GError     **error)
{
  PcOAuth *oauth = pc_oauth_new (self->soup, auth_url, client_id, client_secret_for (client_id),
                                 error);

  if (oauth != NULL)
    {
      pc_oauth_set_clock (oauth, self->clock);
      pc_oauth_set_debug (oauth, self->debug);
    }
  return oauth;
}

/* Renewal */

/* Ends the renewal in flight for whoever started or joined it: with @error, or done. */
static void
finish_refresh (PcSession    *self,
                const GError *error)
{
  g_autoptr(GPtrArray) tasks = g_steal_pointer (&self->refresh_tasks);

  g_assert (tasks != NULL);

  for (guint i = 0; i < tasks->len; i++)
    {
      GTask *task = g_ptr_array_index (tasks, i);

      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_boolean (task, TRUE);
    }
}

static void
refresh_stored_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(PcSession) self = user_data;
  g_autoptr(GError) error = NULL;

  /* The tokens work either way; a keyring that failed only means signing in again
   * after a restart. */
  if (!pc_credentials_store_finish (result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Could not keep the sign-in in the keyring: %s", error->message);

  finish_refresh (self, NULL);
}

static void
refresh_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(PcSession) self = user_data;
  g_autoptr(PcTokens) tokens = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PcAccount) account = NULL;

  tokens = pc_oauth_refresh_finish (PC_OAUTH (source), result, &error);
  if (tokens == NULL)
    {
      if (g_error_matches (error, PC_OAUTH_ERROR, PC_OAUTH_ERROR_REFRESH_EXPIRED) ||
          g_error_matches (error, PC_OAUTH_ERROR, PC_OAUTH_ERROR_REJECTED))
        {
          /* For good: the user has to sign in again. */
          set_error (self, error);
          set_state (self, PC_SESSION_NEEDS_SIGN_IN);
        }
      else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          /* Offline or a server fault: the token may still be good. Try again later. */
          g_debug ("Renewing the sign-in failed for now: %s", error->message);
          g_clear_handle_id (&self->refresh_id, g_source_remove);
          self->refresh_id = g_timeout_add_seconds (RETRY_SECONDS, refresh_due_cb, self);
        }
      finish_refresh (self, error);
      return;
    }

  if (self->account == NULL)
    {
      /* Signed out while the renewal was on its way: its tokens belong to nobody now. */
      g_autoptr(GError) gone = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                    "Signed out during the renewal");

      finish_refresh (self, gone);
      return;
    }

  account = pc_account_new_with_tokens (self->account, pc_tokens_get_access_token (tokens),
                                        pc_tokens_get_refresh_token (tokens),
                                        pc_tokens_get_expires_at (tokens));
  set_error (self, NULL);
  set_account (self, account);
  set_state (self, PC_SESSION_SIGNED_IN);

  /* The renewal ends once the rotated refresh token is kept: the old one no longer
   * works, so a program that quits right after (phonechat-cli) must not lose the new
   * one, and no second renewal may start before it is written. */
  pc_credentials_store_async (account, NULL, refresh_stored_cb, g_object_ref (self));
}

static void
start_refresh (PcSession *self)
{
  g_autoptr(PcOAuth) oauth = NULL;
  g_autoptr(GError) error = NULL;

  g_assert (self->refresh_tasks != NULL);

  if (self->account == NULL || pc_account_get_refresh_token (self->account) == NULL)
    {
      error = g_error_new_literal (PC_OAUTH_ERROR, PC_OAUTH_ERROR_REFRESH_EXPIRED,
                                   _("This sign-in cannot be renewed: sign in again."));
      finish_refresh (self, error);
      return;
    }

  oauth = new_oauth (self, pc_account_get_auth_url (self->account),
                     pc_account_get_client_id (self->account), &error);
  if (oauth == NULL)
    {
      finish_refresh (self, error);
      return;
    }

  pc_oauth_refresh_async (oauth, pc_account_get_refresh_token (self->account), self->cancellable,
                          refresh_cb, g_object_ref (self));
}

static gboolean
refresh_due_cb (gpointer user_data)
{
  PcSession *self = user_data;

  self->refresh_id = 0;
  pc_session_refresh_async (self, NULL, NULL, NULL);
  return G_SOURCE_REMOVE;
}

/* Renews at 80 % of the access token's lifetime, as seen when it was issued. */
static void
schedule_refresh (PcSession *self)
{
  g_autoptr(GDateTime) now = NULL;
  GDateTime *expires_at;
  GTimeSpan left;

  g_clear_handle_id (&self->refresh_id, g_source_remove);

  if (self->account == NULL || pc_account_get_refresh_token (self->account) == NULL ||
      (expires_at = pc_account_get_expires_at (self->account)) == NULL)
    return;

  now = pc_clock_get_now (self->clock);
  left = g_date_time_difference (expires_at, now);
  left = left > 0 ? left * REFRESH_AT_PERCENT / 100 : 0;
  /* At most one renewal a second, however short a server makes its tokens' lives. */
  left = MAX (left, G_USEC_PER_SEC);
  self->refresh_id = g_timeout_add_seconds ((guint) MIN (left / G_USEC_PER_SEC, G_MAXUINT / 2),
                                            refresh_due_cb, self);
}

/* GObject */

static void
pc_session_dispose (GObject *object)
{
  PcSession *self = (PcSession *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_clear_object (&self->sign_in);
  g_clear_object (&self->api);
  g_clear_object (&self->soup);
  g_clear_object (&self->clock);

  G_OBJECT_CLASS (pc_session_parent_class)->dispose (object);
}

static void
pc_session_finalize (GObject *object)
{
  PcSession *self = (PcSession *) object;

  g_clear_pointer (&self->account, pc_account_unref);
  g_clear_error (&self->error);
  g_free (self->sign_in_api_url);
  g_free (self->sign_in_auth_url);
  g_free (self->sign_in_client_id);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (pc_session_parent_class)->finalize (object);
}

static void
pc_session_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  PcSession *self = PC_SESSION (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_ACCOUNT:
      g_value_set_boxed (value, self->account);
      break;
    case PROP_API:
      g_value_set_object (value, self->api);
      break;
    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pc_session_class_init (PcSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pc_session_dispose;
  object_class->finalize = pc_session_finalize;
  object_class->get_property = pc_session_get_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, PC_TYPE_SESSION_STATE, PC_SESSION_SIGNED_OUT,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACCOUNT] =
    g_param_spec_boxed ("account", NULL, NULL, PC_TYPE_ACCOUNT,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_API] =
    g_param_spec_object ("api", NULL, NULL, PC_TYPE_API,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pc_session_init (PcSession *self)
{
  self->cancellable = g_cancellable_new ();
}

/**
 * pc_session_new:
 * @soup: the session every request goes through
 * @clock: "now", for the tokens' expiry
 */
PcSession *
pc_session_new (SoupSession *soup,
                PcClock     *clock)
{
  PcSession *self;

  g_return_val_if_fail (SOUP_IS_SESSION (soup), NULL);
  g_return_val_if_fail (PC_IS_CLOCK (clock), NULL);

  self = g_object_new (PC_TYPE_SESSION, NULL);
  self->soup = g_object_ref (soup);
  self->clock = g_object_ref (clock);
  return self;
}

PcSessionState
pc_session_get_state (PcSession *self)
{
  g_return_val_if_fail (PC_IS_SESSION (self), PC_SESSION_SIGNED_OUT);

  return self->state;
}

/**
 * pc_session_get_account:
 *
 * Returns: (transfer none) (nullable): the account, also while it needs signing in again
 */
PcAccount *
pc_session_get_account (PcSession *self)
{
  g_return_val_if_fail (PC_IS_SESSION (self), NULL);

  return self->account;
}

/**
 * pc_session_get_error:
 *
 * Returns: (nullable): why the session needs signing in again, or why restoring failed
 */
const GError *
pc_session_get_error (PcSession *self)
{
  g_return_val_if_fail (PC_IS_SESSION (self), NULL);

  return self->error;
}

/**
 * pc_session_get_api:
 *
 * Returns: (transfer none) (nullable): an API client that sends the account's current
 *   access token; %NULL when signed out
 */
PcApi *
pc_session_get_api (PcSession *self)
{
  g_return_val_if_fail (PC_IS_SESSION (self), NULL);

  return self->api;
}

/**
 * pc_session_set_debug:
 *
 * Logs the sign-in's and the API's HTTP traffic, with every token, code and secret
 * redacted.
 */
void
pc_session_set_debug (PcSession *self,
                      gboolean   debug)
{
  g_return_if_fail (PC_IS_SESSION (self));

  self->debug = debug;
  if (self->api != NULL)
    pc_api_set_debug (self->api, debug);
}

/* Restore */

static void
lookup_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PcSession *self = g_task_get_source_object (task);
  g_autoptr(PcAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = NULL;
  GDateTime *expires_at;

  account = pc_credentials_lookup_finish (result, &error);
  if (error != NULL)
    {
      /* Nothing is deleted: the account is still in the keyring for the next try. */
      set_error (self, error);
      set_state (self, PC_SESSION_SIGNED_OUT);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (account == NULL)
    {
      set_state (self, PC_SESSION_SIGNED_OUT);
      g_task_return_boolean (task, TRUE);
      return;
    }

  set_error (self, NULL);
  set_account (self, account);

  /* An expired token without a way to renew it: the account is known, but its owner
   * has to sign in again. With a refresh token, schedule_refresh() renews it now. */
  now = pc_clock_get_now (self->clock);
  expires_at = pc_account_get_expires_at (account);
  if (expires_at != NULL && g_date_time_compare (expires_at, now) <= 0 &&
      pc_account_get_refresh_token (account) == NULL)
    set_state (self, PC_SESSION_NEEDS_SIGN_IN);
  else
    set_state (self, PC_SESSION_SIGNED_IN);

  g_task_return_boolean (task, TRUE);
}

/**
 * pc_session_restore_async:
 *
 * Looks for a stored account in the keyring. With none, the session stays signed out;
 * a keyring that is locked or missing is an error, and deletes nothing.
 */
void
pc_session_restore_async (PcSession           *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PC_IS_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pc_session_restore_async);
  set_state (self, PC_SESSION_RESTORING);
  pc_credentials_lookup_async (cancellable, lookup_cb, g_steal_pointer (&task));
}

/**
 * pc_session_expect_restore:
 *
 * Says that pc_session_restore_async() will follow soon: the session is
 * %PC_SESSION_RESTORING from now on, as it would be once the restore starts, so that
 * nobody takes it for signed out meanwhile. For a caller that starts looking in the
 * keyring a little later, such as after its window's first frame.
 */
void
pc_session_expect_restore (PcSession *self)
{
  g_return_if_fail (PC_IS_SESSION (self));

  set_state (self, PC_SESSION_RESTORING);
}

gboolean
pc_session_restore_finish (PcSession     *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Sign in */

/* Whose tokens these are: verifyCredentials with them, on the account's server. */
typedef struct
{
  PcEnvironment  environment;
  char          *api_url;
  char          *auth_url;
  char          *client_id;
  PcTokens      *tokens;         /* from the browser; NULL for a pasted token */
  char          *pasted_token;   /* a pasted access token: no refresh token, no expiry */
  PcApi         *api;
} SignIn;

static void
sign_in_free (gpointer data)
{
  SignIn *sign_in = data;

  g_free (sign_in->api_url);
  g_free (sign_in->auth_url);
  g_free (sign_in->client_id);
  g_clear_pointer (&sign_in->tokens, pc_tokens_unref);
  if (sign_in->pasted_token != NULL)
    memset (sign_in->pasted_token, 0, strlen (sign_in->pasted_token));
  g_free (sign_in->pasted_token);
  g_clear_object (&sign_in->api);
  g_free (sign_in);
}

static void
sign_in_stored_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  /* Signed in either way; without the keyring, only until PhoneChat quits. */
  if (!pc_credentials_store_finish (result, &error))
    g_warning ("Could not keep the sign-in in the keyring: %s", error->message);
  g_task_return_boolean (task, TRUE);
}

static const char *
sign_in_get_access_token (SignIn *sign_in)
{
  return sign_in->tokens != NULL ? pc_tokens_get_access_token (sign_in->tokens)
                                 : sign_in->pasted_token;
}

static void
verified_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PcSession *self = g_task_get_source_object (task);
  SignIn *sign_in = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(PcAccount) account = NULL;
  GCancellable *cancellable = g_task_get_cancellable (task);
  gint64 user_id = 0;

  /* Done with: its logger, if it has one, makes way for the account's API client's. */
  pc_api_set_debug (PC_API (source), FALSE);

  if (!pc_api_verify_credentials_finish (PC_API (source), result, &user_id, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  account = pc_account_new (sign_in->environment, sign_in->api_url, sign_in->auth_url,
                            sign_in->client_id, user_id, NULL,
                            sign_in_get_access_token (sign_in),
                            sign_in->tokens != NULL ? pc_tokens_get_refresh_token (sign_in->tokens)
                                                    : NULL,
                            sign_in->tokens != NULL ? pc_tokens_get_expires_at (sign_in->tokens)
                                                    : NULL);
  set_error (self, NULL);
  set_account (self, account);
  set_state (self, PC_SESSION_SIGNED_IN);
  /* The cancellable was taken beforehand: the order in which arguments are evaluated is
   * unspecified, and the task may already be stolen when it is asked for it. */
  pc_credentials_store_async (account, cancellable, sign_in_stored_cb, g_steal_pointer (&task));
}

static char *
dup_sign_in_token_cb (gpointer user_data)
{
  SignIn *sign_in = user_data;

  return g_strdup (sign_in_get_access_token (sign_in));
}

/* Checks the tokens with the server, then makes them the session's account. */
static void
verify_tokens (PcSession *self,
               GTask     *task)
{
  SignIn *sign_in = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  sign_in->api = pc_api_new (self->soup, sign_in->api_url, &error);
  if (sign_in->api == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  pc_api_set_token_func (sign_in->api, dup_sign_in_token_cb, sign_in, NULL);
  /* A SoupSession takes one logger, and logs every request with it: when the account's
   * API client has one already, the check is logged by that one. */
  pc_api_set_debug (sign_in->api,
                    self->debug && soup_session_get_feature (self->soup, SOUP_TYPE_LOGGER) == NULL);
  pc_api_verify_credentials_async (sign_in->api, g_task_get_cancellable (task), verified_cb, task);
}

/**
 * pc_session_begin_sign_in:
 * @environment: where
 * @api_url: the API's address
 * @auth_url: the sign-in server's address (for a custom server, usually @api_url)
 * @client_id: the OAuth client
 * @redirect_port: where the browser comes back to, on 127.0.0.1
 *
 * Starts signing in with the browser: listens for the redirect and returns the address
 * of the sign-in page to open. pc_session_finish_sign_in_async() waits for it.
 *
 * Returns: (transfer full) (nullable): the sign-in page's address, or %NULL with an error
 */
char *
pc_session_begin_sign_in (PcSession      *self,
                          PcEnvironment   environment,
                          const char     *api_url,
                          const char     *auth_url,
                          const char     *client_id,
                          guint16         redirect_port,
                          GError        **error)
{
  g_autoptr(PcOAuth) oauth = NULL;
  char *url;

  g_return_val_if_fail (PC_IS_SESSION (self), NULL);
  g_return_val_if_fail (api_url != NULL && auth_url != NULL && client_id != NULL, NULL);

  /* A new sign-in replaces the last one, whose listener must be gone before the new one
   * takes the same port. */
  g_clear_object (&self->sign_in);

  oauth = new_oauth (self, auth_url, client_id, error);
  if (oauth == NULL)
    return NULL;

  url = pc_oauth_begin_authorization (oauth, redirect_port, error);
  if (url == NULL)
    return NULL;

  g_set_object (&self->sign_in, oauth);
  self->sign_in_environment = environment;
  g_free (self->sign_in_api_url);
  self->sign_in_api_url = g_strdup (api_url);
  g_free (self->sign_in_auth_url);
  self->sign_in_auth_url = g_strdup (auth_url);
  g_free (self->sign_in_client_id);
  self->sign_in_client_id = g_strdup (client_id);
  return url;
}

static void
authorized_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PcSession *self = g_task_get_source_object (task);
  SignIn *sign_in = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  /* self->sign_in stays until the next sign-in: its listener still has to give the
   * browser its page, and closes by itself once it has. Letting it go now would cut
   * that page off. */
  sign_in->tokens = pc_oauth_finish_authorization_finish (PC_OAUTH (source), result, &error);
  if (sign_in->tokens == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  verify_tokens (self, g_steal_pointer (&task));
}

/**
 * pc_session_finish_sign_in_async:
 *
 * Waits for the browser to come back from the sign-in page, exchanges the code for
 * tokens, asks the server whose they are, and makes that the session's account (stored
 * in the keyring). Cancel it to stop waiting.
 */
void
pc_session_finish_sign_in_async (PcSession           *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SignIn *sign_in;

  g_return_if_fail (PC_IS_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pc_session_finish_sign_in_async);

  if (self->sign_in == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                               "pc_session_begin_sign_in() was not called");
      return;
    }

  sign_in = g_new0 (SignIn, 1);
  sign_in->environment = self->sign_in_environment;
  sign_in->api_url = g_strdup (self->sign_in_api_url);
  sign_in->client_id = g_strdup (self->sign_in_client_id);
  sign_in->auth_url = g_strdup (self->sign_in_auth_url);
  g_task_set_task_data (task, sign_in, sign_in_free);

  pc_oauth_finish_authorization_async (self->sign_in, cancellable, authorized_cb,
                                       g_steal_pointer (&task));
}

gboolean
pc_session_finish_sign_in_finish (PcSession     *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * pc_session_sign_in_with_token_async:
 * @token: an access token, e.g. pasted; checked with verifyCredentials before it is kept
 *
 * Signs in with an access token of unknown lifetime and no way to renew it: when the
 * server refuses it, the session needs signing in again.
 */
void
pc_session_sign_in_with_token_async (PcSession           *self,
                                     PcEnvironment        environment,
                                     const char          *api_url,
                                     const char          *token,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SignIn *sign_in;
  const char *auth_url;

  g_return_if_fail (PC_IS_SESSION (self));
  g_return_if_fail (api_url != NULL && token != NULL && token[0] != '\0');

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pc_session_sign_in_with_token_async);

  auth_url = pc_account_environment_get_auth_url (environment);
  sign_in = g_new0 (SignIn, 1);
  sign_in->environment = environment;
  sign_in->api_url = g_strdup (api_url);
  sign_in->auth_url = g_strdup (auth_url != NULL ? auth_url : api_url);
  sign_in->client_id = g_strdup (PC_OAUTH_CLIENT_ID);
  /* Not a PcTokens: those always have an expiry, and a pasted token's is unknown. */
  sign_in->pasted_token = g_strdup (token);
  g_task_set_task_data (task, sign_in, sign_in_free);

  verify_tokens (self, g_steal_pointer (&task));
}

gboolean
pc_session_sign_in_with_token_finish (PcSession     *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Sign out */

static void
removed_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PcSession *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!pc_credentials_remove_finish (result, &error))
    {
      /* Still signed in: the tokens are still in the keyring. */
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  set_error (self, NULL);
  set_account (self, NULL);
  set_state (self, PC_SESSION_SIGNED_OUT);
  g_task_return_boolean (task, TRUE);
}

/**
 * pc_session_sign_out_async:
 *
 * Removes the account's tokens from the keyring and forgets it. If the keyring refuses,
 * the session stays signed in and the error says why.
 */
void
pc_session_sign_out_async (PcSession           *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PC_IS_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pc_session_sign_out_async);

  if (self->account == NULL)
    {
      set_state (self, PC_SESSION_SIGNED_OUT);
      g_task_return_boolean (task, TRUE);
      return;
    }

  pc_credentials_remove_async (self->account, cancellable, removed_cb, g_steal_pointer (&task));
}

gboolean
pc_session_sign_out_finish (PcSession     *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Renewal, public */

/**
 * pc_session_refresh_async:
 *
 * Renews the access token now (normally done on a schedule, before it expires). A
 * renewal already in flight is joined, not repeated: refresh tokens rotate, and a second
 * request with the old one would be refused. It finishes once the new tokens are in the
 * keyring (or the keyring has failed, which is logged).
 */
void
pc_session_refresh_async (PcSession           *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PC_IS_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pc_session_refresh_async);

  if (self->refresh_tasks != NULL)
    {
      g_ptr_array_add (self->refresh_tasks, g_steal_pointer (&task));
      return;
    }

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  self->refresh_tasks = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (self->refresh_tasks, g_steal_pointer (&task));
  start_refresh (self);
}

gboolean
pc_session_refresh_finish (PcSession     *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
refresh_after_unauthorized_cb (GObject      *source,
                               GAsyncResult *result,
                               gpointer      user_data)
{
  PcSession *self = PC_SESSION (source);
  g_autoptr(GError) error = NULL;

  if (!pc_session_refresh_finish (self, result, &error) &&
      self->state == PC_SESSION_SIGNED_IN)
    {
      /* The server refused the token and it could not be renewed either. */
      set_error (self, error);
      set_state (self, PC_SESSION_NEEDS_SIGN_IN);
    }
}

/**
 * pc_session_report_unauthorized:
 *
 * Tells the session the server refused its access token (HTTP 401). With a refresh
 * token it tries one renewal; without one, or when that fails, the session needs
 * signing in again. Whatever met the 401 is not sent again by the session.
 */
void
pc_session_report_unauthorized (PcSession *self)
{
  g_return_if_fail (PC_IS_SESSION (self));

  if (self->account == NULL || self->state != PC_SESSION_SIGNED_IN)
    return;

  if (pc_account_get_refresh_token (self->account) == NULL)
    {
      g_autoptr(GError) error = g_error_new_literal (PC_API_ERROR, PC_API_ERROR_UNAUTHORIZED,
                                                     _("The server no longer accepts this sign-in."));

      set_error (self, error);
      set_state (self, PC_SESSION_NEEDS_SIGN_IN);
      return;
    }

  pc_session_refresh_async (self, NULL, refresh_after_unauthorized_cb, NULL);
}
