/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "pc-account.h"
#include "pc-json.h"
#include "test-utils.h"

/* An account with every field set, as after an OAuth sign-in. */
static PcAccount *
full_account (void)
{
  g_autoptr(GDateTime) expires_at = pc_test_utc (2025, 7, 1, 12, 30, 15.25);

  return pc_account_new (PC_ENVIRONMENT_SANDBOX, NULL, NULL, "client-abc", 4242,
                         "jane@example.com", "access-XYZ", "refresh-UVW", expires_at);
}

static void
test_environment_strings (void)
{
  const PcEnvironment all[] = { PC_ENVIRONMENT_LIVE, PC_ENVIRONMENT_SANDBOX, PC_ENVIRONMENT_CUSTOM };
  PcEnvironment environment = PC_ENVIRONMENT_CUSTOM;

  g_assert_cmpstr (pc_account_environment_to_string (PC_ENVIRONMENT_LIVE), ==, "live");
  g_assert_cmpstr (pc_account_environment_to_string (PC_ENVIRONMENT_SANDBOX), ==, "sandbox");
  g_assert_cmpstr (pc_account_environment_to_string (PC_ENVIRONMENT_CUSTOM), ==, "custom");

  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    {
      g_assert_true (pc_account_environment_from_string (pc_account_environment_to_string (all[i]),
                                                         &environment));
      g_assert_cmpint (environment, ==, all[i]);
    }

  environment = PC_ENVIRONMENT_SANDBOX;
  g_assert_false (pc_account_environment_from_string ("Live", &environment));
  g_assert_false (pc_account_environment_from_string ("", &environment));
  g_assert_false (pc_account_environment_from_string (NULL, &environment));
  g_assert_cmpint (environment, ==, PC_ENVIRONMENT_SANDBOX);
}

static void
test_default_urls (void)
{
  g_autoptr(PcAccount) live = NULL;
  g_autoptr(PcAccount) custom = NULL;

  g_assert_cmpstr (pc_account_environment_get_api_url (PC_ENVIRONMENT_LIVE), ==,
                   "https://api.adultwork.com");
  g_assert_cmpstr (pc_account_environment_get_auth_url (PC_ENVIRONMENT_LIVE), ==,
                   "https://platform.adultwork.com");
  g_assert_cmpstr (pc_account_environment_get_api_url (PC_ENVIRONMENT_SANDBOX), ==,
                   "https://api-sandbox.adultwork.com");
  g_assert_cmpstr (pc_account_environment_get_auth_url (PC_ENVIRONMENT_SANDBOX), ==,
                   "https://platform-sandbox.adultwork.com");
  g_assert_null (pc_account_environment_get_api_url (PC_ENVIRONMENT_CUSTOM));
  g_assert_null (pc_account_environment_get_auth_url (PC_ENVIRONMENT_CUSTOM));

  live = pc_account_new (PC_ENVIRONMENT_LIVE, NULL, NULL, "c", 1, NULL, "a", NULL, NULL);
  g_assert_cmpstr (pc_account_get_api_url (live), ==, "https://api.adultwork.com");
  g_assert_cmpstr (pc_account_get_auth_url (live), ==, "https://platform.adultwork.com");

  custom = pc_account_new (PC_ENVIRONMENT_CUSTOM, "http://127.0.0.1:8080", "http://127.0.0.1:8080",
                           "c", 1, "", "a", "", NULL);
  g_assert_cmpstr (pc_account_get_api_url (custom), ==, "http://127.0.0.1:8080");
  /* Empty optional strings are no value. */
  g_assert_null (pc_account_get_display_name (custom));
  g_assert_null (pc_account_get_refresh_token (custom));
}

static void
test_new_with_tokens (void)
{
  g_autoptr(PcAccount) account = full_account ();
  g_autoptr(PcAccount) refreshed = NULL;
  g_autoptr(GTimeZone) paris = g_time_zone_new_identifier ("Europe/Paris");
  g_autoptr(GDateTime) later = g_date_time_new (paris, 2025, 7, 1, 15, 0, 0);

  refreshed = pc_account_new_with_tokens (account, "access-2", NULL, later);

  /* The original is a value: it does not change. */
  g_assert_cmpstr (pc_account_get_access_token (account), ==, "access-XYZ");
  g_assert_cmpstr (pc_account_get_refresh_token (account), ==, "refresh-UVW");

  g_assert_cmpstr (pc_account_get_access_token (refreshed), ==, "access-2");
  g_assert_null (pc_account_get_refresh_token (refreshed));
  g_assert_true (g_date_time_equal (pc_account_get_expires_at (refreshed), later));
  /* Kept in UTC, whatever zone it came in. */
  g_assert_cmpint (g_date_time_get_utc_offset (pc_account_get_expires_at (refreshed)), ==, 0);
  g_assert_cmpint (g_date_time_get_hour (pc_account_get_expires_at (refreshed)), ==, 13);

  g_assert_true (pc_account_is_same_account (account, refreshed));
  g_assert_false (pc_account_equal (account, refreshed));
  g_assert_cmpstr (pc_account_get_display_name (refreshed), ==, "jane@example.com");
  g_assert_cmpstr (pc_account_get_client_id (refreshed), ==, "client-abc");
  g_assert_cmpint (pc_account_get_user_id (refreshed), ==, 4242);
}

static void
test_same_account (void)
{
  g_autoptr(PcAccount) live = pc_account_new (PC_ENVIRONMENT_LIVE, NULL, NULL, "c", 7, NULL,
                                              "a", NULL, NULL);
  g_autoptr(PcAccount) live_other_client = pc_account_new (PC_ENVIRONMENT_LIVE, NULL, NULL, "d", 7,
                                                           "x@example.com", "b", "r", NULL);
  g_autoptr(PcAccount) sandbox = pc_account_new (PC_ENVIRONMENT_SANDBOX, NULL, NULL, "c", 7, NULL,
                                                 "a", NULL, NULL);
  g_autoptr(PcAccount) custom_a = pc_account_new (PC_ENVIRONMENT_CUSTOM, "http://127.0.0.1:1",
                                                  "http://127.0.0.1:1", "c", 7, NULL, "a", NULL,
                                                  NULL);
  g_autoptr(PcAccount) custom_b = pc_account_new (PC_ENVIRONMENT_CUSTOM, "http://127.0.0.1:2",
                                                  "http://127.0.0.1:1", "c", 7, NULL, "a", NULL,
                                                  NULL);

  g_assert_true (pc_account_is_same_account (live, live_other_client));
  g_assert_false (pc_account_is_same_account (live, sandbox));
  g_assert_false (pc_account_is_same_account (custom_a, custom_b));
  g_assert_true (pc_account_is_same_account (custom_a, custom_a));
}

static void
assert_round_trip (PcAccount *account)
{
  g_autofree char *json = pc_account_to_json (account);
  g_autoptr(GError) error = NULL;
  g_autoptr(PcAccount) back = pc_account_new_from_json (json, -1, &error);

  g_test_message ("JSON: %s", json);
  g_assert_no_error (error);
  g_assert_nonnull (back);
  g_assert_true (pc_account_equal (account, back));
}

static void
test_json_round_trip (void)
{
  g_autoptr(PcAccount) full = full_account ();
  g_autoptr(PcAccount) pasted = pc_account_new (PC_ENVIRONMENT_LIVE, NULL, NULL, "client", 1,
                                                NULL, "pasted-token", NULL, NULL);
  g_autoptr(PcAccount) custom = pc_account_new (PC_ENVIRONMENT_CUSTOM, "http://127.0.0.1:8080/",
                                                "http://localhost:9000", "client", G_MAXINT64 - 1,
                                                "Ünïcode “name”", "tok\"en\\with\nescapes",
                                                "r", NULL);
  g_autofree char *json = pc_account_to_json (full);
  g_autoptr(JsonNode) node = json_from_string (json, NULL);
  JsonObject *object = json_node_get_object (node);

  assert_round_trip (full);
  assert_round_trip (pasted);
  assert_round_trip (custom);

  /* The stored form, member by member: every member written, dates in UTC. */
  g_assert_cmpstr (json_object_get_string_member (object, "environment"), ==, "sandbox");
  g_assert_cmpstr (json_object_get_string_member (object, "api_url"), ==,
                   "https://api-sandbox.adultwork.com");
  g_assert_cmpstr (json_object_get_string_member (object, "auth_url"), ==,
                   "https://platform-sandbox.adultwork.com");
  g_assert_cmpstr (json_object_get_string_member (object, "client_id"), ==, "client-abc");
  g_assert_cmpint (json_object_get_int_member (object, "user_id"), ==, 4242);
  g_assert_cmpstr (json_object_get_string_member (object, "display_name"), ==, "jane@example.com");
  g_assert_cmpstr (json_object_get_string_member (object, "access_token"), ==, "access-XYZ");
  g_assert_cmpstr (json_object_get_string_member (object, "refresh_token"), ==, "refresh-UVW");
  g_assert_cmpstr (json_object_get_string_member (object, "expires_at"), ==,
                   "2025-07-01T12:30:15.250000Z");

  g_clear_pointer (&json, g_free);
  g_clear_pointer (&node, json_node_unref);
  json = pc_account_to_json (pasted);
  node = json_from_string (json, NULL);
  object = json_node_get_object (node);
  g_assert_cmpuint (json_object_get_size (object), ==, 9);
  g_assert_true (json_object_get_null_member (object, "display_name"));
  g_assert_true (json_object_get_null_member (object, "refresh_token"));
  g_assert_true (json_object_get_null_member (object, "expires_at"));
}

/* The valid document the malformed cases start from. */
static JsonObject *
valid_object (void)
{
  g_autoptr(PcAccount) account = full_account ();
  JsonNode *node = pc_account_to_json_node (account);
  JsonObject *object = json_object_ref (json_node_get_object (node));

  json_node_unref (node);
  return object;
}

/* Reads @object as JSON text and expects @code with a message that starts with
 * @message_prefix and never quotes the tokens. */
static void
assert_malformed_object (JsonObject *object,
                         int         code,
                         const char *message_prefix)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);
  g_autofree char *json = json_to_string (node, FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(PcAccount) account = pc_account_new_from_json (json, -1, &error);

  g_assert_null (account);
  g_assert_error (error, PC_JSON_ERROR, code);
  g_test_message ("%s → %s", json, error->message);
  g_assert_true (g_str_has_prefix (error->message, message_prefix));
  g_assert_null (strstr (error->message, "access-XYZ"));
  g_assert_null (strstr (error->message, "refresh-UVW"));
}

static void
assert_malformed_text (const char *json,
                       int         code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PcAccount) account = pc_account_new_from_json (json, -1, &error);

  g_assert_null (account);
  g_assert_error (error, PC_JSON_ERROR, code);
  g_test_message ("%s → %s", json, error->message);
  /* A syntax error quotes nothing of the text (it would be a token). */
  g_assert_null (strstr (error->message, "secret"));
}

static void
test_json_malformed_syntax (void)
{
  assert_malformed_text ("", PC_JSON_ERROR_SYNTAX);
  assert_malformed_text ("   ", PC_JSON_ERROR_SYNTAX);
  assert_malformed_text ("{\"access_token\": \"secret", PC_JSON_ERROR_SYNTAX);
  assert_malformed_text ("{\"access_token\": 'secret'}", PC_JSON_ERROR_SYNTAX);
  assert_malformed_text ("{} /* secret */", PC_JSON_ERROR_SYNTAX);
  assert_malformed_text ("{} {}", PC_JSON_ERROR_SYNTAX);
  assert_malformed_text ("secret", PC_JSON_ERROR_SYNTAX);
}

static void
test_json_malformed_not_object (void)
{
  assert_malformed_text ("[\"secret\"]", PC_JSON_ERROR_NOT_OBJECT);
  assert_malformed_text ("\"secret\"", PC_JSON_ERROR_NOT_OBJECT);
  assert_malformed_text ("null", PC_JSON_ERROR_NOT_OBJECT);
}

static void
test_json_malformed_missing_member (void)
{
  const char *members[] = { "environment", "api_url", "auth_url", "client_id", "user_id",
                            "display_name", "access_token", "refresh_token", "expires_at" };

  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      g_autoptr(JsonObject) object = valid_object ();
      g_autofree char *prefix = g_strconcat (members[i], ": missing", NULL);

      json_object_remove_member (object, members[i]);
      assert_malformed_object (object, PC_JSON_ERROR_MISSING_MEMBER, prefix);
    }
}

static void
test_json_malformed_null_member (void)
{
  const char *members[] = { "environment", "api_url", "auth_url", "client_id", "user_id",
                            "access_token" };

  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      g_autoptr(JsonObject) object = valid_object ();
      g_autofree char *prefix = g_strconcat (members[i], ": must not be null", NULL);

      json_object_set_null_member (object, members[i]);
      assert_malformed_object (object, PC_JSON_ERROR_NULL_MEMBER, prefix);
    }
}

static void
test_json_malformed_wrong_type (void)
{
  g_autoptr(JsonObject) object = NULL;

  object = valid_object ();
  json_object_set_int_member (object, "access_token", 12);
  assert_malformed_object (object, PC_JSON_ERROR_WRONG_TYPE,
                           "access_token: expected a string, got an integer");
  g_clear_pointer (&object, json_object_unref);

  object = valid_object ();
  json_object_set_string_member (object, "user_id", "4242");
  assert_malformed_object (object, PC_JSON_ERROR_WRONG_TYPE,
                           "user_id: expected an integer, got a string");
  g_clear_pointer (&object, json_object_unref);

  object = valid_object ();
  json_object_set_double_member (object, "user_id", 4242.0);
  assert_malformed_object (object, PC_JSON_ERROR_WRONG_TYPE,
                           "user_id: expected an integer, got a decimal number");
  g_clear_pointer (&object, json_object_unref);

  object = valid_object ();
  json_object_set_object_member (object, "refresh_token", json_object_new ());
  assert_malformed_object (object, PC_JSON_ERROR_WRONG_TYPE,
                           "refresh_token: expected a string, got an object");
  g_clear_pointer (&object, json_object_unref);

  object = valid_object ();
  json_object_set_boolean_member (object, "display_name", TRUE);
  assert_malformed_object (object, PC_JSON_ERROR_WRONG_TYPE,
                           "display_name: expected a string, got a boolean");
}

static void
test_json_malformed_bad_value (void)
{
  const struct
  {
    const char *member;
    const char *value;
    const char *message_prefix;
  } cases[] = {
    { "environment", "production", "environment: not one of live, sandbox, custom" },
    { "environment", "LIVE", "environment: not one of live, sandbox, custom" },
    { "api_url", "api.adultwork.com", "api_url: not an absolute http or https URL" },
    { "auth_url", "ftp://platform.adultwork.com", "auth_url: not an absolute http or https URL" },
    { "api_url", "https://", "api_url: not an absolute http or https URL" },
    { "client_id", "", "client_id: must not be empty" },
    { "access_token", "", "access_token: must not be empty" },
    { "refresh_token", "", "refresh_token: must not be empty" },
    { "display_name", "", "display_name: must not be empty" },
    { "expires_at", "2025-07-01T12:30:15", "expires_at: not an ISO 8601 date and time with a zone" },
    { "expires_at", "tomorrow", "expires_at: not an ISO 8601 date and time with a zone" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonObject) object = valid_object ();

      json_object_set_string_member (object, cases[i].member, cases[i].value);
      assert_malformed_object (object, PC_JSON_ERROR_BAD_VALUE, cases[i].message_prefix);
    }
}

static void
test_json_malformed_user_id (void)
{
  const char *documents[] = {
    "{\"environment\":\"live\",\"api_url\":\"https://a.example\",\"auth_url\":\"https://b.example\","
    "\"client_id\":\"c\",\"user_id\":0,\"display_name\":null,\"access_token\":\"secret\","
    "\"refresh_token\":null,\"expires_at\":null}",
    "{\"environment\":\"live\",\"api_url\":\"https://a.example\",\"auth_url\":\"https://b.example\","
    "\"client_id\":\"c\",\"user_id\":-5,\"display_name\":null,\"access_token\":\"secret\","
    "\"refresh_token\":null,\"expires_at\":null}",
    /* json-glib reads a literal that does not fit as G_MAXINT64, without an error. */
    "{\"environment\":\"live\",\"api_url\":\"https://a.example\",\"auth_url\":\"https://b.example\","
    "\"client_id\":\"c\",\"user_id\":99999999999999999999,\"display_name\":null,"
    "\"access_token\":\"secret\",\"refresh_token\":null,\"expires_at\":null}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (documents); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PcAccount) account = pc_account_new_from_json (documents[i], -1, &error);

      g_assert_null (account);
      g_assert_error (error, PC_JSON_ERROR, PC_JSON_ERROR_BAD_VALUE);
      g_assert_cmpstr (error->message, ==, "user_id: not a positive 64-bit integer");
    }
}

static void
test_json_unknown_members_ignored (void)
{
  g_autoptr(JsonObject) object = valid_object ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *json = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PcAccount) account = NULL;
  g_autoptr(PcAccount) expected = full_account ();

  json_object_set_string_member (object, "scope", "phonechat");
  node = json_node_init_object (json_node_alloc (), object);
  json = json_to_string (node, FALSE);
  account = pc_account_new_from_json (json, -1, &error);
  g_assert_no_error (error);
  g_assert_true (pc_account_equal (account, expected));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  pc_test_init_logging ();

  g_test_add_func ("/account/environment/strings", test_environment_strings);
  g_test_add_func ("/account/environment/default-urls", test_default_urls);
  g_test_add_func ("/account/new-with-tokens", test_new_with_tokens);
  g_test_add_func ("/account/same-account", test_same_account);
  g_test_add_func ("/account/json/round-trip", test_json_round_trip);
  g_test_add_func ("/account/json/unknown-members-ignored", test_json_unknown_members_ignored);
  g_test_add_func ("/account/json/malformed-syntax", test_json_malformed_syntax);
  g_test_add_func ("/account/json/malformed-not-object", test_json_malformed_not_object);
  g_test_add_func ("/account/json/malformed-missing-member", test_json_malformed_missing_member);
  g_test_add_func ("/account/json/malformed-null-member", test_json_malformed_null_member);
  g_test_add_func ("/account/json/malformed-wrong-type", test_json_malformed_wrong_type);
  g_test_add_func ("/account/json/malformed-bad-value", test_json_malformed_bad_value);
  g_test_add_func ("/account/json/malformed-user-id", test_json_malformed_user_id);

  return g_test_run ();
}
