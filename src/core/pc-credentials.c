/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pc-credentials"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pc-credentials.h"
#include "pc-json.h"

/* PcCredentials: the signed-in account, kept with libsecret and nowhere else (never in
 * settings, files, logs or command lines).
 *
 * One keyring item per account, in the default collection. Its attributes say whose it is
 * (environment, user id, and the API's URL for a custom environment) and nothing secret;
 * its label names the application and the account for people browsing their keyring; its
 * secret is JSON: the whole account, tokens included, with the time it was stored, so that
 * the most recently stored account wins when there are several.
 *
 * A keyring that is missing or stays locked produces an error and nothing is deleted;
 * neither is an item that cannot be read: storing the same account again replaces it, and
 * signing out removes it. */

#define ATTRIBUTE_SCHEMA      "xdg:schema"
#define ATTRIBUTE_ENVIRONMENT "environment"
#define ATTRIBUTE_USER_ID     "user-id"
#define ATTRIBUTE_API_URL     "api-url"

/* The secret's envelope around the account. A newer format gets a new version, which
 * this version reports as unreadable rather than guessing. */
#define SECRET_VERSION        1
#define MEMBER_VERSION        "version"
#define MEMBER_STORED_AT      "stored_at"
#define MEMBER_ACCOUNT        "account"

G_DEFINE_QUARK (pc-credentials-error-quark, pc_credentials_error)

static const SecretSchema credentials_schema = {
  .name = APP_ID,
  .flags = SECRET_SCHEMA_NONE,
  .attributes = {
    { .name = ATTRIBUTE_ENVIRONMENT, .type = SECRET_SCHEMA_ATTRIBUTE_STRING },
    { .name = ATTRIBUTE_USER_ID, .type = SECRET_SCHEMA_ATTRIBUTE_INTEGER },
    { .name = ATTRIBUTE_API_URL, .type = SECRET_SCHEMA_ATTRIBUTE_STRING },
    { .name = NULL },
  },
};

/**
 * pc_credentials_get_schema:
 *
 * The schema of PhoneChat's keyring items: named after the application id, with the
 * attributes `environment`, `user-id` and, for a custom environment, `api-url`.
 *
 * Returns: (transfer none): the schema
 */
const SecretSchema *
pc_credentials_get_schema (void)
{
  return &credentials_schema;
}

/* Which items belong to @account: the same user on the same API. libsecret adds the
 * schema's name to D-Bus searches itself but its file backend does not, so it is always
 * given here; items of other applications never match. */
static GHashTable *
account_attributes (PcAccount *account)
{
  GHashTable *attributes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  PcEnvironment environment = pc_account_get_environment (account);

  g_hash_table_insert (attributes, ATTRIBUTE_SCHEMA, g_strdup (credentials_schema.name));
  g_hash_table_insert (attributes, ATTRIBUTE_ENVIRONMENT,
                       g_strdup (pc_account_environment_to_string (environment)));
  g_hash_table_insert (attributes, ATTRIBUTE_USER_ID,
                       g_strdup_printf ("%" G_GINT64_FORMAT, pc_account_get_user_id (account)));
  if (environment == PC_ENVIRONMENT_CUSTOM)
    g_hash_table_insert (attributes, ATTRIBUTE_API_URL,
                         g_strdup (pc_account_get_api_url (account)));

  return attributes;
}

static GHashTable *
all_accounts_attributes (void)
{
  GHashTable *attributes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  g_hash_table_insert (attributes, ATTRIBUTE_SCHEMA, g_strdup (credentials_schema.name));
  return attributes;
}

/* What people see when they browse their keyring (Passwords and Keys, Seahorse): the
 * application and the account, never a token. */
static char *
account_label (PcAccount *account)
{
  g_autofree char *who = NULL;

  if (pc_account_get_display_name (account) != NULL)
    who = g_strdup (pc_account_get_display_name (account));
  else
    {
      g_autofree char *user_id = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                  pc_account_get_user_id (account));

      /* Translators: names an account by its AdultWork user id, e.g. "user 12345". */
      who = g_strdup_printf (_("user %s"), user_id);
    }

  switch (pc_account_get_environment (account))
    {
    case PC_ENVIRONMENT_SANDBOX:
      /* Translators: a keyring item's label; %s is an e-mail address or "user 12345". */
      return g_strdup_printf (_("PhoneChat sign-in for %s (AdultWork sandbox)"), who);
    case PC_ENVIRONMENT_CUSTOM:
      /* Translators: a keyring item's label; the first %s is an e-mail address or
       * "user 12345", the second the address of the server. */
      return g_strdup_printf (_("PhoneChat sign-in for %s at %s"), who,
                              pc_account_get_api_url (account));
    case PC_ENVIRONMENT_LIVE:
    default:
      /* Translators: a keyring item's label; %s is an e-mail address or "user 12345". */
      return g_strdup_printf (_("PhoneChat sign-in for %s"), who);
    }
}

/* The secret: {"version": 1, "stored_at": "…Z", "account": {…}}, compact, so on one line
 * (a keyring's file may keep text secrets line by line). Wipe it after use. */
static char *
build_secret (PcAccount *account)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc_usec (g_get_real_time ());
  g_autofree char *stored_at = g_date_time_format_iso8601 (now);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, MEMBER_VERSION);
  json_builder_add_int_value (builder, SECRET_VERSION);
  json_builder_set_member_name (builder, MEMBER_STORED_AT);
  json_builder_add_string_value (builder, stored_at);
  json_builder_set_member_name (builder, MEMBER_ACCOUNT);
  json_builder_add_value (builder, pc_account_to_json_node (account));
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

/* Reads a secret as build_secret() writes it. The error names what is wrong, never a
 * value. */
static PcAccount *
parse_secret (const char  *text,
              gint64      *stored_at_usec,
              GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GDateTime) stored_at = NULL;
  JsonObject *object;
  JsonNode *node;
  JsonNode *root;

  json_parser_set_strict (parser, TRUE);
  if (!json_parser_load_from_data (parser, text, -1, NULL) ||
      (root = json_parser_get_root (parser)) == NULL)
    {
      g_set_error_literal (error, PC_JSON_ERROR, PC_JSON_ERROR_SYNTAX, "not valid JSON");
      return NULL;
    }

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, PC_JSON_ERROR, PC_JSON_ERROR_NOT_OBJECT,
                           "not a JSON object");
      return NULL;
    }
  object = json_node_get_object (root);

  node = json_object_get_member (object, MEMBER_VERSION);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64 ||
      json_node_get_int (node) != SECRET_VERSION)
    {
      g_set_error (error, PC_JSON_ERROR, PC_JSON_ERROR_BAD_VALUE,
                   "%s: not %d (a format this version does not know)",
                   MEMBER_VERSION, SECRET_VERSION);
      return NULL;
    }

  node = json_object_get_member (object, MEMBER_STORED_AT);
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_STRING)
    stored_at = g_date_time_new_from_iso8601 (json_node_get_string (node), NULL);
  if (stored_at == NULL)
    {
      g_set_error (error, PC_JSON_ERROR, PC_JSON_ERROR_BAD_VALUE,
                   "%s: not an ISO 8601 date and time with a zone", MEMBER_STORED_AT);
      return NULL;
    }

  node = json_object_get_member (object, MEMBER_ACCOUNT);
  if (node == NULL)
    {
      g_set_error (error, PC_JSON_ERROR, PC_JSON_ERROR_MISSING_MEMBER, "%s: missing",
                   MEMBER_ACCOUNT);
      return NULL;
    }

  *stored_at_usec = g_date_time_to_unix_usec (stored_at);
  return pc_account_new_from_json_node (node, error);
}

static GError *
new_error (PcCredentialsError code)
{
  switch (code)
    {
    case PC_CREDENTIALS_ERROR_UNAVAILABLE:
      return g_error_new_literal (PC_CREDENTIALS_ERROR, code,
                                  _("No keyring service is running, or it cannot be reached. "
                                    "PhoneChat keeps your sign-in only in the keyring: start "
                                    "one (such as GNOME Keyring), then try again."));
    case PC_CREDENTIALS_ERROR_LOCKED:
      return g_error_new_literal (PC_CREDENTIALS_ERROR, code,
                                  _("The keyring is locked and was not unlocked. Unlock it, "
                                    "then try again."));
    case PC_CREDENTIALS_ERROR_CORRUPT:
      return g_error_new_literal (PC_CREDENTIALS_ERROR, code,
                                  _("Your stored sign-in could not be read. It has been left "
                                    "in the keyring; sign in again to replace it."));
    case PC_CREDENTIALS_ERROR_FAILED:
    default:
      return g_error_new_literal (PC_CREDENTIALS_ERROR, PC_CREDENTIALS_ERROR_FAILED,
                                  _("The keyring could not do what was asked. Try again; "
                                    "if it keeps failing, restart your session."));
    }
}

/* Turns what libsecret reports into our errors. libsecret's messages are for developers:
 * they go to the debug log. A cancellation of ours stays a cancellation; one that comes
 * from elsewhere is a prompt or a portal dialog that was refused. */
static GError *
map_secret_error (const GError *error,
                  GCancellable *cancellable,
                  const char   *doing)
{
  PcCredentialsError code;

  g_assert (error != NULL);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      g_cancellable_is_cancelled (cancellable))
    return g_error_copy (error);

  g_debug ("%s: %s (%s %d)", doing, error->message, g_quark_to_string (error->domain),
           error->code);

  if (g_error_matches (error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    code = PC_CREDENTIALS_ERROR_LOCKED;
  else if (error->domain == G_DBUS_ERROR || error->domain == G_IO_ERROR)
    /* No bus, no Secret Service on it (and none to start), or one that stopped
     * answering. */
    code = PC_CREDENTIALS_ERROR_UNAVAILABLE;
  else
    code = PC_CREDENTIALS_ERROR_FAILED;

  return new_error (code);
}

static gboolean
item_is_locked (SecretRetrievable *item)
{
  /* Only the D-Bus backend locks; the file backend's items are SecretFileItems. */
  return SECRET_IS_ITEM (item) && secret_item_get_locked (SECRET_ITEM (item));
}

/* When an item that cannot be read (locked or corrupt) was stored, for comparing it with
 * readable ones, which say so to the microsecond. The keyring only keeps whole seconds:
 * such an item counts from the start of its second, so that a readable account stored
 * within the same second is taken as the newer one. */
static gint64
modified_usec (SecretRetrievable *item)
{
  return (gint64) secret_retrievable_get_modified (item) * G_USEC_PER_SEC;
}

static void
store_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    g_task_return_error (task, map_secret_error (error, g_task_get_cancellable (task),
                                                 "Storing the account"));
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * pc_credentials_store_async:
 * @account: the account to keep
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the account is stored or storing failed
 * @user_data: data for @callback
 *
 * Stores @account in the default keyring collection, replacing the item of the same
 * account (see pc_account_is_same_account()) if there is one. A locked keyring is unlocked
 * first, which may show a prompt.
 */
void
pc_credentials_store_async (PcAccount           *account,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  g_autofree char *label = NULL;
  char *secret;

  g_return_if_fail (account != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, pc_credentials_store_async);

  attributes = account_attributes (account);
  label = account_label (account);
  secret = build_secret (account);
  secret_password_storev (&credentials_schema, attributes, SECRET_COLLECTION_DEFAULT, label,
                          secret, cancellable, store_cb, g_steal_pointer (&task));
  /* libsecret keeps its own copy, in memory that is wiped when it is freed. */
  secret_password_free (secret);
}

/**
 * pc_credentials_store_finish:
 * @result: the result given to the callback
 * @error: return location for a #PC_CREDENTIALS_ERROR or %G_IO_ERROR_CANCELLED
 *
 * Returns: whether the account was stored
 */
gboolean
pc_credentials_store_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pc_credentials_store_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Lookup: every item of our schema is read; the one stored last wins. */
typedef struct
{
  guint       pending;
  GError     *error;        /* the first failure to read an item */
  gboolean    have_best;
  gint64      best_stored_at;
  PcAccount  *best_account; /* NULL when the newest item is locked or unreadable */
  gboolean    best_locked;
} LookupData;

static void
lookup_data_free (LookupData *data)
{
  g_clear_error (&data->error);
  g_clear_pointer (&data->best_account, pc_account_unref);
  g_free (data);
}

static void
lookup_consider (LookupData *data,
                 gint64      stored_at,
                 PcAccount  *account,
                 gboolean    locked)
{
  if (data->have_best && stored_at <= data->best_stored_at)
    {
      g_clear_pointer (&account, pc_account_unref);
      return;
    }

  data->have_best = TRUE;
  data->best_stored_at = stored_at;
  g_clear_pointer (&data->best_account, pc_account_unref);
  data->best_account = account;
  data->best_locked = locked;
}

/* The attributes say whose item it is; a secret that says otherwise is not trusted. */
static gboolean
attributes_match (SecretRetrievable *item,
                  PcAccount         *account)
{
  g_autoptr(GHashTable) have = secret_retrievable_get_attributes (item);
  g_autoptr(GHashTable) want = account_attributes (account);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, want);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (g_strcmp0 (g_hash_table_lookup (have, key), value) != 0)
      return FALSE;

  return TRUE;
}

static void
lookup_complete (GTask *task)
{
  LookupData *data = g_task_get_task_data (task);

  if (data->error != NULL)
    g_task_return_error (task, g_steal_pointer (&data->error));
  else if (!data->have_best)
    g_task_return_pointer (task, NULL, NULL);
  else if (data->best_account != NULL)
    g_task_return_pointer (task, g_steal_pointer (&data->best_account),
                           (GDestroyNotify) pc_account_unref);
  else if (data->best_locked)
    g_task_return_error (task, new_error (PC_CREDENTIALS_ERROR_LOCKED));
  else
    g_task_return_error (task, new_error (PC_CREDENTIALS_ERROR_CORRUPT));
}

static void
lookup_retrieved_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LookupData *data = g_task_get_task_data (task);
  SecretRetrievable *item = SECRET_RETRIEVABLE (source);
  g_autoptr(SecretValue) value = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PcAccount) account = NULL;
  gint64 stored_at = 0;
  const char *text;

  value = secret_retrievable_retrieve_secret_finish (item, result, &error);
  if (value == NULL && g_error_matches (error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED))
    lookup_consider (data, modified_usec (item), NULL, TRUE);
  else if (value == NULL)
    {
      if (data->error == NULL && error != NULL)
        data->error = map_secret_error (error, g_task_get_cancellable (task),
                                        "Reading a stored account");
      else if (data->error == NULL)
        data->error = new_error (PC_CREDENTIALS_ERROR_FAILED);
    }
  else
    {
      text = secret_value_get_text (value);
      if (text == NULL)
        g_set_error_literal (&error, PC_JSON_ERROR, PC_JSON_ERROR_NOT_JSON, "not text");
      else
        account = parse_secret (text, &stored_at, &error);

      if (account != NULL && !attributes_match (item, account))
        {
          g_set_error_literal (&error, PC_JSON_ERROR, PC_JSON_ERROR_BAD_VALUE,
                               "the account does not match the item's attributes");
          g_clear_pointer (&account, pc_account_unref);
        }

      if (account != NULL)
        lookup_consider (data, stored_at, g_steal_pointer (&account), FALSE);
      else
        {
          g_debug ("A stored account cannot be read, and is kept: %s", error->message);
          lookup_consider (data, modified_usec (item), NULL, FALSE);
        }
    }

  if (--data->pending == 0)
    lookup_complete (task);
}

static void
lookup_searched_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LookupData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GList *items;

  items = secret_password_search_finish (result, &error);
  if (error != NULL)
    {
      g_list_free_full (items, g_object_unref);
      g_task_return_error (task, map_secret_error (error, g_task_get_cancellable (task),
                                                   "Looking the account up"));
      return;
    }

  /* One count for the loop itself, so that items read at once cannot complete the task
   * before every item has been started. */
  data->pending = 1;
  for (GList *l = items; l != NULL; l = l->next)
    {
      SecretRetrievable *item = l->data;

      if (item_is_locked (item))
        lookup_consider (data, modified_usec (item), NULL, TRUE);
      else
        {
          data->pending++;
          secret_retrievable_retrieve_secret (item, g_task_get_cancellable (task),
                                              lookup_retrieved_cb, g_object_ref (task));
        }
    }
  g_list_free_full (items, g_object_unref);

  if (--data->pending == 0)
    lookup_complete (task);
}

/**
 * pc_credentials_lookup_async:
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the stored account, or none, or an error
 * @user_data: data for @callback
 *
 * Looks the stored account up: the one stored most recently when there are several. A
 * locked keyring is unlocked first, which may show a prompt.
 */
void
pc_credentials_lookup_async (GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) attributes = NULL;

  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, pc_credentials_lookup_async);
  g_task_set_task_data (task, g_new0 (LookupData, 1), (GDestroyNotify) lookup_data_free);

  attributes = all_accounts_attributes ();
  secret_password_searchv (&credentials_schema, attributes,
                           SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK, cancellable,
                           lookup_searched_cb, g_steal_pointer (&task));
}

/**
 * pc_credentials_lookup_finish:
 * @result: the result given to the callback
 * @error: return location for a #PC_CREDENTIALS_ERROR or %G_IO_ERROR_CANCELLED
 *
 * A stored item that cannot be read gives %PC_CREDENTIALS_ERROR_CORRUPT when it is the
 * newest; a locked one that stays locked, %PC_CREDENTIALS_ERROR_LOCKED.
 *
 * Returns: (transfer full) (nullable): the stored account; %NULL without an error when
 *   none is stored
 */
PcAccount *
pc_credentials_lookup_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pc_credentials_lookup_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
remove_cleared_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!secret_password_clear_finish (result, &error) && error != NULL)
    g_task_return_error (task, map_secret_error (error, g_task_get_cancellable (task),
                                                 "Removing the account"));
  else
    g_task_return_boolean (task, TRUE);
}

static void
remove_searched_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GHashTable *attributes = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gboolean any_locked = FALSE;
  GList *items;

  items = secret_password_search_finish (result, &error);
  if (error != NULL)
    {
      g_list_free_full (items, g_object_unref);
      g_task_return_error (task, map_secret_error (error, g_task_get_cancellable (task),
                                                   "Looking the account up to remove it"));
      return;
    }

  for (GList *l = items; l != NULL; l = l->next)
    any_locked |= item_is_locked (l->data);

  if (items == NULL)
    g_task_return_boolean (task, TRUE);
  /* libsecret would skip a locked item silently: the account would seem signed out but
   * stay in the keyring. */
  else if (any_locked)
    g_task_return_error (task, new_error (PC_CREDENTIALS_ERROR_LOCKED));
  else
    secret_password_clearv (&credentials_schema, attributes, g_task_get_cancellable (task),
                            remove_cleared_cb, g_object_ref (task));

  g_list_free_full (items, g_object_unref);
}

/**
 * pc_credentials_remove_async:
 * @account: the account to forget
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the account is removed or removing failed
 * @user_data: data for @callback
 *
 * Removes the stored items of @account (see pc_account_is_same_account()), as when
 * signing out. Nothing stored is not an error. A locked keyring is unlocked first, which
 * may show a prompt; if it stays locked, nothing is removed and the error says so.
 */
void
pc_credentials_remove_async (PcAccount           *account,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GHashTable *attributes;

  g_return_if_fail (account != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, pc_credentials_remove_async);
  attributes = account_attributes (account);
  g_task_set_task_data (task, attributes, (GDestroyNotify) g_hash_table_unref);

  secret_password_searchv (&credentials_schema, attributes,
                           SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK, cancellable,
                           remove_searched_cb, g_steal_pointer (&task));
}

/**
 * pc_credentials_remove_finish:
 * @result: the result given to the callback
 * @error: return location for a #PC_CREDENTIALS_ERROR or %G_IO_ERROR_CANCELLED
 *
 * Returns: whether the account is no longer stored
 */
gboolean
pc_credentials_remove_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pc_credentials_remove_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
