/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "pc-api.h"
#include "pc-clock.h"
#include "pc-oauth.h"
#include "pc-sandbox-private.h"
#include "test-utils.h"

/* PcOAuth against the sandbox's Unified Login, over real loopback HTTP: a second
 * SoupSession plays the browser, following the login page's redirect to PcOAuth's
 * listener as a browser would. */

typedef struct
{
  PcClock     *clock;
  PcSandbox   *sandbox;
  SoupSession *session;  /* the app's */
  SoupSession *browser;
  PcOAuth     *oauth;
} Fixture;

typedef struct
{
  guint   status;
  char   *body;
  char   *uri;     /* where the browser ended up */
  GError *error;
} Page;

static void
page_free (Page *page)
{
  g_free (page->body);
  g_free (page->uri);
  g_clear_error (&page->error);
  g_free (page);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Page, page_free)

static GDateTime *
fixed_now (void)
{
  return pc_test_utc (2025, 6, 15, 12, 0, 0);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GDateTime) now = fixed_now ();
  g_autoptr(GError) error = NULL;

  fixture->clock = pc_clock_new_fixed (now);
  fixture->sandbox = pc_sandbox_new (fixture->clock, NULL);
  pc_sandbox_load_demo (fixture->sandbox);
  pc_sandbox_listen (fixture->sandbox, 0, &error);
  g_assert_no_error (error);

  fixture->session = soup_session_new ();
  fixture->browser = soup_session_new ();
  fixture->oauth = pc_oauth_new (fixture->session, pc_sandbox_get_url (fixture->sandbox),
                                 PC_SANDBOX_CLIENT_ID, PC_SANDBOX_CLIENT_SECRET, &error);
  g_assert_no_error (error);
  pc_oauth_set_clock (fixture->oauth, fixture->clock);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_assert_finalize_object (fixture->oauth);
  g_clear_object (&fixture->browser);
  g_clear_object (&fixture->session);
  pc_test_drain_main_context ();
  pc_sandbox_stop (fixture->sandbox);
  g_assert_finalize_object (fixture->sandbox);
  g_clear_object (&fixture->clock);
}

/* The browser: a GET that follows redirects. */
typedef struct
{
  SoupMessage  *msg;
  GAsyncResult *result;
} Visit;

static Visit *
visit_start (Fixture    *fixture,
             const char *url)
{
  Visit *visit = g_new0 (Visit, 1);

  visit->msg = soup_message_new (SOUP_METHOD_GET, url);
  g_assert_nonnull (visit->msg);
  soup_session_send_and_read_async (fixture->browser, visit->msg, G_PRIORITY_DEFAULT, NULL,
                                    pc_test_store_result_cb, &visit->result);
  return visit;
}

static Page *
visit_finish (Fixture *fixture,
              Visit   *visit)
{
  Page *page = g_new0 (Page, 1);
  g_autoptr(GBytes) body = NULL;

  PC_TEST_WAIT_UNTIL (visit->result != NULL);
  body = soup_session_send_and_read_finish (fixture->browser, visit->result, &page->error);
  page->status = soup_message_get_status (visit->msg);
  page->uri = g_uri_to_string (soup_message_get_uri (visit->msg));
  if (body != NULL)
    page->body = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));

  g_object_unref (visit->result);
  g_object_unref (visit->msg);
  g_free (visit);
  return page;
}

static Page *
browse (Fixture    *fixture,
        const char *url)
{
  return visit_finish (fixture, visit_start (fixture, url));
}

/* The browser's first step by hand: where the login page sends it back to. */
static char *
follow_login_page (Fixture    *fixture,
                   const char *url)
{
  g_autoptr(SoupMessage) msg = soup_message_new (SOUP_METHOD_GET, url);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  const char *location;

  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  soup_session_send_and_read_async (fixture->browser, msg, G_PRIORITY_DEFAULT, NULL,
                                    pc_test_store_result_cb, &result);
  PC_TEST_WAIT_UNTIL (result != NULL);
  body = soup_session_send_and_read_finish (fixture->browser, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (body);
  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_FOUND);
  location = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Location");
  g_assert_nonnull (location);
  return g_strdup (location);
}

static char *
begin (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  char *url = pc_oauth_begin_authorization (fixture->oauth, 0, &error);

  g_assert_no_error (error);
  g_assert_nonnull (url);
  g_assert_cmpuint (pc_oauth_get_redirect_port (fixture->oauth), >, 0);
  return url;
}

static PcTokens *
finish (Fixture       *fixture,
        GAsyncResult **result,
        GError       **error)
{
  PcTokens *tokens;

  PC_TEST_WAIT_UNTIL (*result != NULL);
  tokens = pc_oauth_finish_authorization_finish (fixture->oauth, *result, error);
  g_clear_object (result);
  return tokens;
}

/* The listener closes once the outcome is known and the browser has its page. */
static void
assert_stops_listening (Fixture *fixture,
                        guint    port)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/callback?code=x&state=y", port);
  g_autoptr(Page) page = NULL;

  PC_TEST_WAIT_UNTIL (pc_oauth_get_redirect_port (fixture->oauth) == 0);
  page = browse (fixture, url);
  g_assert_error (page->error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
}

/* A whole sign-in, as the app does it with a browser. */
static PcTokens *
sign_in (Fixture *fixture)
{
  g_autofree char *url = begin (fixture);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(Page) page = NULL;
  PcTokens *tokens;

  pc_oauth_finish_authorization_async (fixture->oauth, NULL, pc_test_store_result_cb, &result);
  page = browse (fixture, url);
  tokens = finish (fixture, &result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (tokens);
  g_assert_no_error (page->error);
  g_assert_cmpuint (page->status, ==, SOUP_STATUS_OK);
  return tokens;
}

static PcTokens *
refresh (Fixture     *fixture,
         const char  *refresh_token,
         GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pc_oauth_refresh_async (fixture->oauth, refresh_token, NULL, pc_test_store_result_cb, &result);
  PC_TEST_WAIT_UNTIL (result != NULL);
  return pc_oauth_refresh_finish (fixture->oauth, result, error);
}

/* verifyCredentials through PcApi with @access_token. */
static gint64
verify (Fixture     *fixture,
        const char  *access_token,
        GError     **error)
{
  g_autoptr(PcApi) api = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) local_error = NULL;
  gint64 user_id = 0;

  api = pc_api_new (fixture->session, pc_sandbox_get_url (fixture->sandbox), &local_error);
  g_assert_no_error (local_error);
  pc_api_set_token (api, access_token);
  pc_api_verify_credentials_async (api, NULL, pc_test_store_result_cb, &result);
  PC_TEST_WAIT_UNTIL (result != NULL);
  if (!pc_api_verify_credentials_finish (api, result, &user_id, error))
    return 0;
  return user_id;
}

static char *
query_param (const char *url,
             const char *name)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED_QUERY, NULL);
  g_autoptr(GHashTable) query = NULL;

  g_assert_nonnull (uri);
  if (g_uri_get_query (uri) == NULL)
    return NULL;
  query = soup_form_decode (g_uri_get_query (uri));
  return g_strdup (g_hash_table_lookup (query, name));
}

/* @url with the query parameter @name set to @value: what an attacker could change. */
static char *
replace_query_param (const char *url,
                     const char *name,
                     const char *value)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED_QUERY, NULL);
  g_autoptr(GUri) changed = NULL;
  g_autoptr(GHashTable) query = NULL;
  g_autofree char *encoded = NULL;

  g_assert_nonnull (uri);
  query = soup_form_decode (g_uri_get_query (uri));
  g_assert_true (g_hash_table_contains (query, name));
  /* soup_form_decode() keeps each value in its key's allocation: the table frees keys
   * only, and @value outlives it. */
  g_hash_table_insert (query, g_strdup (name), (gpointer) value);
  encoded = soup_form_encode_hash (query);
  changed = g_uri_build (G_URI_FLAGS_ENCODED_QUERY, g_uri_get_scheme (uri), NULL,
                         g_uri_get_host (uri), g_uri_get_port (uri), g_uri_get_path (uri),
                         encoded, NULL);
  return g_uri_to_string (changed);
}

static char *
redirect_url (Fixture    *fixture,
              const char *query)
{
  return g_strdup_printf ("http://127.0.0.1:%u/callback%s%s",
                          pc_oauth_get_redirect_port (fixture->oauth),
                          query != NULL ? "?" : "", query != NULL ? query : "");
}

static void
assert_page_says (Page       *page,
                  const char *text)
{
  g_assert_no_error (page->error);
  g_assert_nonnull (page->body);
  if (strstr (page->body, text) == NULL)
    g_error ("The page does not say “%s”:\n%s", text, page->body);
}

/* Flow --------------------------------------------------------------------------------- */

static void
test_flow_end_to_end (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autofree char *url = begin (fixture);
  g_autofree char *prefix = g_strconcat (pc_sandbox_get_url (fixture->sandbox),
                                         "/OAuth/Authorize?", NULL);
  guint port = pc_oauth_get_redirect_port (fixture->oauth);
  g_autofree char *expected_redirect = g_strdup_printf ("http://127.0.0.1:%u/callback", port);
  g_autofree char *redirect_uri = query_param (url, "redirect_uri");
  g_autofree char *state = query_param (url, "state");
  g_autofree char *challenge = query_param (url, "code_challenge");
  g_autofree char *response_type = query_param (url, "response_type");
  g_autofree char *client_id = query_param (url, "client_id");
  g_autofree char *scope = query_param (url, "scope");
  g_autofree char *method = query_param (url, "code_challenge_method");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PcTokens) tokens = NULL;
  g_autoptr(Page) page = NULL;
  g_autoptr(GDateTime) now = fixed_now ();
  g_autoptr(GDateTime) expected_expiry = g_date_time_add_seconds (now, 3600);

  /* The authorize URL carries everything the reference and RFC 7636 ask for. */
  g_assert_true (g_str_has_prefix (url, prefix));
  g_assert_cmpstr (response_type, ==, "code");
  g_assert_cmpstr (client_id, ==, PC_SANDBOX_CLIENT_ID);
  g_assert_cmpstr (redirect_uri, ==, expected_redirect);
  g_assert_cmpstr (scope, ==, PC_OAUTH_SCOPE);
  g_assert_cmpstr (method, ==, "S256");
  g_assert_cmpuint (strlen (state), >=, 43);   /* 256 bits */
  g_assert_cmpuint (strlen (challenge), ==, 43);

  pc_oauth_finish_authorization_async (fixture->oauth, NULL, pc_test_store_result_cb, &result);
  page = browse (fixture, url);
  tokens = finish (fixture, &result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (tokens);

  /* The browser followed the login page to PcOAuth, which thanked it. */
  g_assert_cmpuint (page->status, ==, SOUP_STATUS_OK);
  g_assert_true (g_str_has_prefix (page->uri, expected_redirect));
  assert_page_says (page, "You can close this tab and go back to PhoneChat");

  g_assert_cmpstr (pc_tokens_get_access_token (tokens), !=, "");
  g_assert_nonnull (pc_tokens_get_refresh_token (tokens));
  g_assert_true (g_date_time_equal (pc_tokens_get_expires_at (tokens), expected_expiry));
  g_assert_cmpuint (pc_sandbox_count_requests (fixture->sandbox, "POST", "/OAuth/token"), ==, 1);

  /* The API takes the token. */
  g_assert_cmpint (verify (fixture, pc_tokens_get_access_token (tokens), &error), ==,
                   PC_SANDBOX_USER_ID);
  g_assert_no_error (error);

  assert_stops_listening (fixture, port);

  /* Finished: nothing more to finish. */
  pc_oauth_finish_authorization_async (fixture->oauth, NULL, pc_test_store_result_cb, &result);
  g_assert_null (finish (fixture, &result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED);
}

/* Each sign-in has its own state and verifier. */
static void
test_flow_fresh_secrets (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autofree char *url_1 = begin (fixture);
  g_autofree char *url_2 = begin (fixture);
  g_autofree char *state_1 = query_param (url_1, "state");
  g_autofree char *state_2 = query_param (url_2, "state");
  g_autofree char *challenge_1 = query_param (url_1, "code_challenge");
  g_autofree char *challenge_2 = query_param (url_2, "code_challenge");

  g_assert_cmpstr (state_1, !=, state_2);
  g_assert_cmpstr (challenge_1, !=, challenge_2);
}

/* A redirect that comes while finish waits for the exchange, and requests for other
 * paths: answered, and nothing else. */
static void
test_flow_second_redirect (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autofree char *url = begin (fixture);
  g_autofree char *other_path = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PcTokens) tokens = NULL;
  g_autoptr(Page) wrong_path = NULL;
  g_autoptr(Page) first = NULL;
  g_autoptr(Page) second = NULL;
  g_autoptr(Page) forged = NULL;
  g_autofree char *location = NULL;
  Visit *visit;

  other_path = g_strdup_printf ("http://127.0.0.1:%u/other?code=x",
                                pc_oauth_get_redirect_port (fixture->oauth));
  wrong_path = browse (fixture, other_path);
  g_assert_no_error (wrong_path->error);
  g_assert_cmpuint (wrong_path->status, ==, SOUP_STATUS_NOT_FOUND);

  location = follow_login_page (fixture, url);

  /* The exchange takes a while, and the first page waits for it meanwhile. */
  pc_sandbox_set_latency (fixture->sandbox, 1500);
  pc_oauth_finish_authorization_async (fixture->oauth, NULL, pc_test_store_result_cb, &result);
  visit = visit_start (fixture, location);
  PC_TEST_WAIT_UNTIL (pc_sandbox_count_requests (fixture->sandbox, "POST", "/OAuth/token") == 1);

  /* The same redirect again, and a forged one: answered, ignored. */
  second = browse (fixture, location);
  g_assert_cmpuint (second->status, ==, SOUP_STATUS_OK);
  assert_page_says (second, "already");
  {
    g_autofree char *forged_url = replace_query_param (location, "code", "forged-code");

    forged = browse (fixture, forged_url);
    assert_page_says (forged, "already");
  }

  first = visit_finish (fixture, visit);
  tokens = finish (fixture, &result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (tokens);
  assert_page_says (first, "You can close this tab and go back to PhoneChat");
  g_assert_cmpuint (pc_sandbox_count_requests (fixture->sandbox, "POST", "/OAuth/token"), ==, 1);
  pc_sandbox_set_latency (fixture->sandbox, 0);
}

static void
test_flow_state_mismatch (Fixture       *fixture,
                          gconstpointer  user_data)
{
  static const char * const forged_states[] = {
    "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZn",  /* another, as long as ours */
    "",
    NULL,                                              /* none at all */
  };

  for (guint i = 0; i < G_N_ELEMENTS (forged_states); i++)
    {
      g_autofree char *url = begin (fixture);
      guint port = pc_oauth_get_redirect_port (fixture->oauth);
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(PcTokens) tokens = NULL;
      g_autoptr(Page) page = NULL;

      pc_oauth_finish_authorization_async (fixture->oauth, NULL, pc_test_store_result_cb, &result);
      if (forged_states[i] != NULL)
        {
          /* The login page echoes whatever state it was given. */
          g_autofree char *forged = replace_query_param (url, "state", forged_states[i]);

          page = browse (fixture, forged);
        }
      else
        {
          g_autofree char *bare = redirect_url (fixture, "code=sandbox-code-stolen");

          page = browse (fixture, bare);
        }

      tokens = finish (fixture, &result, &error);
      g_assert_null (tokens);
      g_assert_error (error, PC_OAUTH_ERROR, PC_OAUTH_ERROR_STATE_MISMATCH);
      assert_page_says (page, "Sign-in failed");
      assert_page_says (page, "does not belong to this sign-in");
      assert_stops_listening (fixture, port);
    }

  /* Refused before any exchange. */
  g_assert_cmpuint (pc_sandbox_count_requests (fixture->sandbox, "POST", "/OAuth/token"), ==, 0);
}

static void
test_flow_no_code (Fixture       *fixture,
                   gconstpointer  user_data)
{
  static const char * const codes[] = { NULL, "" };

  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      g_autofree char *url = begin (fixture);
      g_autofree char *state = query_param (url, "state");
      g_autofree char *query = NULL;
      g_autofree char *target = NULL;
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(Page) page = NULL;

      if (codes[i] != NULL)
        query = soup_form_encode ("code", codes[i], "state", state, NULL);
      else
        query = soup_form_encode ("state", state, NULL);
      target = redirect_url (fixture, query);

      pc_oauth_finish_authorization_async (fixture->oauth, NULL, pc_test_store_result_cb, &result);
      page = browse (fixture, target);
      g_assert_null (finish (fixture, &result, &error));
      g_assert_error (error, PC_OAUTH_ERROR, PC_OAUTH_ERROR_NO_CODE);
      assert_page_says (page, "Sign-in failed");
    }

  /* The browser comes back before the app waits for it: the outcome is kept. */
  {
    g_autofree char *url = begin (fixture);
    g_autofree char *state = query_param (url, "state");
    g_autofree char *query = soup_form_encode ("state", state, NULL);
    g_autofree char *target = redirect_url (fixture, query);
    guint port = pc_oauth_get_redirect_port (fixture->oauth);
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(Page) page = NULL;

    page = browse (fixture, target);
    assert_page_says (page, "Sign-in failed");
    assert_stops_listening (fixture, port);

    pc_oauth_finish_authorization_async (fixture->oauth, NULL, pc_test_store_result_cb, &result);
    g_assert_null (finish (fixture, &result, &error));
    g_assert_error (error, PC_OAUTH_ERROR, PC_OAUTH_ERROR_NO_CODE);
  }

  g_assert_cmpuint (pc_sandbox_count_requests (fixture->sandbox, "POST", "/OAuth/token"), ==, 0);
}

static void
test_flow_denied (Fixture       *fixture,
                  gconstpointer  user_data)
{
  /* The reference's cancellation, from the login page itself. */
  {
    g_autofree char *url = begin (fixture);
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(Page) page = NULL;

    pc_sandbox_set_authorize_cancels (fixture->sandbox, TRUE);
    pc_oauth_finish_authorization_async (fixture->oauth, NULL, pc_test_store_result_cb, &result);
    page = browse (fixture, url);
    g_assert_null (finish (fixture, &result, &error));
    g_assert_error (error, PC_OAUTH_ERROR, PC_OAUTH_ERROR_DENIED);
    g_assert_true (g_str_has_prefix (page->uri, "http://127.0.0.1:"));
    assert_page_says (page, "You cancelled signing in");
    pc_sandbox_set_authorize_cancels (fixture->sandbox, FALSE);
  }

  /* RFC 6749's access_denied, and another error the login page may send. */
  {
    static const struct
    {
      const char *error;
      int         code;
    } cases[] = {
      { "access_denied", PC_OAUTH_ERROR_DENIED },
      { "invalid_scope", PC_OAUTH_ERROR_REJECTED },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_autofree char *url = begin (fixture);
        g_autofree char *state = query_param (url, "state");
        g_autofree char *query = soup_form_encode ("error", cases[i].error, "state", state, NULL);
        g_autofree char *target = redirect_url (fixture, query);
        g_autoptr(GAsyncResult) result = NULL;
        g_autoptr(GError) error = NULL;
        g_autoptr(Page) page = NULL;

        pc_oauth_finish_authorization_async (fixture->oauth, NULL, pc_test_store_result_cb, &result);
        page = browse (fixture, target);
        g_assert_null (finish (fixture, &result, &error));
        g_assert_error (error, PC_OAUTH_ERROR, cases[i].code);
        if (cases[i].code == PC_OAUTH_ERROR_REJECTED)
          g_assert_nonnull (strstr (error->message, cases[i].error));
      }
  }

  g_assert_cmpuint (pc_sandbox_count_requests (fixture->sandbox, "POST", "/OAuth/token"), ==, 0);
}

static void
test_flow_port_in_use (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(SoupServer) blocker = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *port_text = NULL;
  g_autofree char *redirect_uri = NULL;
  g_autofree char *expected = NULL;
  GSList *uris;
  guint16 port;

  soup_server_listen_local (blocker, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (blocker);
  port = (guint16) g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  url = pc_oauth_begin_authorization (fixture->oauth, port, &error);
  g_assert_null (url);
  g_assert_error (error, PC_OAUTH_ERROR, PC_OAUTH_ERROR_PORT_IN_USE);
  port_text = g_strdup_printf ("%u", port);
  g_assert_nonnull (strstr (error->message, port_text));
  g_assert_cmpuint (pc_oauth_get_redirect_port (fixture->oauth), ==, 0);
  g_clear_error (&error);

  /* Once the port is free, the sign-in takes exactly that port. */
  soup_server_disconnect (blocker);
  url = pc_oauth_begin_authorization (fixture->oauth, port, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pc_oauth_get_redirect_port (fixture->oauth), ==, port);
  redirect_uri = query_param (url, "redirect_uri");
  expected = g_strdup_printf ("http://127.0.0.1:%u/callback", port);
  g_assert_cmpstr (redirect_uri, ==, expected);
}

static void
test_flow_pkce_mismatch (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autofree char *url = begin (fixture);
  g_autofree char *other_challenge = pc_oauth_compute_code_challenge ("another-verifier-"
                                                                       "that-is-not-ours-at-all");
  g_autofree char *tampered = replace_query_param (url, "code_challenge", other_challenge);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(Page) page = NULL;
  g_autoptr(JsonNode) log = NULL;
  JsonArray *entries;
  JsonObject *last;

  /* The code is issued for another challenge: PcOAuth's verifier does not match it. */
  pc_oauth_finish_authorization_async (fixture->oauth, NULL, pc_test_store_result_cb, &result);
  page = browse (fixture, tampered);
  g_assert_null (finish (fixture, &result, &error));
  g_assert_error (error, PC_OAUTH_ERROR, PC_OAUTH_ERROR_REJECTED);
  g_assert_nonnull (strstr (error->message, "invalid_grant"));
  assert_page_says (page, "Sign-in failed");

  /* One exchange, which the sandbox refused. */
  g_assert_cmpuint (pc_sandbox_count_requests (fixture->sandbox, "POST", "/OAuth/token"), ==, 1);
  log = pc_sandbox_get_requests_node (fixture->sandbox);
  entries = json_node_get_array (log);
  last = json_array_get_object_element (entries, json_array_get_length (entries) - 1);
  g_assert_cmpstr (json_object_get_string_member (last, "path"), ==, "/OAuth/token");
  g_assert_cmpint (json_object_get_int_member (last, "status"), ==, SOUP_STATUS_BAD_REQUEST);
}

static void
test_flow_cancel (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autofree char *url = begin (fixture);
  guint port = pc_oauth_get_redirect_port (fixture->oauth);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  pc_oauth_finish_authorization_async (fixture->oauth, cancellable, pc_test_store_result_cb, &result);
  pc_test_drain_main_context ();
  g_assert_null (result);

  g_cancellable_cancel (cancellable);
  g_assert_null (finish (fixture, &result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  assert_stops_listening (fixture, port);

  /* A browser that comes back later finds nobody waiting. */
  {
    g_autoptr(Page) page = browse (fixture, url);

    g_assert_error (page->error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
  }
  g_assert_cmpuint (pc_sandbox_count_requests (fixture->sandbox, "POST", "/OAuth/token"), ==, 0);
}

/* Cancelled while the code is being exchanged: the browser is told, the listener goes. */
static void
test_flow_cancel_exchange (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autofree char *url = begin (fixture);
  guint port = pc_oauth_get_redirect_port (fixture->oauth);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(Page) page = NULL;
  g_autofree char *location = follow_login_page (fixture, url);
  Visit *visit;

  /* The exchange is slow: it is still on its way when the user gives up. */
  pc_sandbox_set_latency (fixture->sandbox, 10000);
  pc_oauth_finish_authorization_async (fixture->oauth, cancellable, pc_test_store_result_cb, &result);
  visit = visit_start (fixture, location);
  PC_TEST_WAIT_UNTIL (pc_sandbox_count_requests (fixture->sandbox, "POST", "/OAuth/token") == 1);

  g_cancellable_cancel (cancellable);
  g_assert_null (finish (fixture, &result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  page = visit_finish (fixture, visit);
  assert_page_says (page, "cancelled in PhoneChat");
  assert_stops_listening (fixture, port);
}

/* A sign-in started again replaces the one waiting. */
static void
test_flow_restart (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autofree char *url = begin (fixture);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PcTokens) tokens = NULL;

  pc_oauth_finish_authorization_async (fixture->oauth, NULL, pc_test_store_result_cb, &result);
  tokens = sign_in (fixture);
  g_assert_nonnull (tokens);
  g_assert_null (finish (fixture, &result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* Refresh ------------------------------------------------------------------------------ */

static void
test_refresh_rotation (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(PcTokens) first = sign_in (fixture);
  g_autoptr(PcTokens) second = NULL;
  g_autoptr(PcTokens) third = NULL;
  g_autoptr(PcTokens) refused = NULL;
  g_autoptr(GError) error = NULL;

  second = refresh (fixture, pc_tokens_get_refresh_token (first), &error);
  g_assert_no_error (error);
  g_assert_nonnull (pc_tokens_get_refresh_token (second));
  g_assert_cmpstr (pc_tokens_get_refresh_token (second), !=, pc_tokens_get_refresh_token (first));
  g_assert_cmpstr (pc_tokens_get_access_token (second), !=, pc_tokens_get_access_token (first));
  g_assert_cmpint (verify (fixture, pc_tokens_get_access_token (second), &error), ==,
                   PC_SANDBOX_USER_ID);
  g_assert_no_error (error);

  /* The old refresh token is refused now: only signing in again would help. */
  refused = refresh (fixture, pc_tokens_get_refresh_token (first), &error);
  g_assert_null (refused);
  g_assert_error (error, PC_OAUTH_ERROR, PC_OAUTH_ERROR_REFRESH_EXPIRED);
  g_clear_error (&error);

  /* The new one goes on working. */
  third = refresh (fixture, pc_tokens_get_refresh_token (second), &error);
  g_assert_no_error (error);
  g_assert_nonnull (third);
}

static void
test_refresh_expired (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(PcTokens) tokens = NULL;
  g_autoptr(PcTokens) refused = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = fixed_now ();
  g_autoptr(GDateTime) later = g_date_time_add_seconds (now, 121);

  pc_sandbox_set_token_lifetimes (fixture->sandbox, 60, 120);
  tokens = sign_in (fixture);

  pc_clock_set_now (fixture->clock, later);
  refused = refresh (fixture, pc_tokens_get_refresh_token (tokens), &error);
  g_assert_null (refused);
  g_assert_error (error, PC_OAUTH_ERROR, PC_OAUTH_ERROR_REFRESH_EXPIRED);
  g_assert_cmpuint (pc_sandbox_count_requests (fixture->sandbox, "POST", "/OAuth/token"), ==, 2);
  g_clear_error (&error);

  /* Revoked by the server rather than expired: the same for the app. */
  g_clear_pointer (&tokens, pc_tokens_unref);
  tokens = sign_in (fixture);
  pc_sandbox_expire_tokens (fixture->sandbox);
  refused = refresh (fixture, pc_tokens_get_refresh_token (tokens), &error);
  g_assert_null (refused);
  g_assert_error (error, PC_OAUTH_ERROR, PC_OAUTH_ERROR_REFRESH_EXPIRED);
}

/* A sign-in server that does not answer in time. */
static void
test_refresh_timeout (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(PcTokens) tokens = sign_in (fixture);
  g_autoptr(PcTokens) late = NULL;
  g_autoptr(GError) error = NULL;

  pc_sandbox_set_latency (fixture->sandbox, 10000);
  pc_oauth_set_timeout (fixture->oauth, 1);
  late = refresh (fixture, pc_tokens_get_refresh_token (tokens), &error);
  g_assert_null (late);
  g_assert_error (error, PC_OAUTH_ERROR, PC_OAUTH_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "did not answer within 1 second"));
}

/* Expiry ------------------------------------------------------------------------------- */

static void
test_expiry_access_token (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(PcTokens) tokens = NULL;
  g_autoptr(PcTokens) renewed = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = fixed_now ();
  g_autoptr(GDateTime) expiry = g_date_time_add_seconds (now, 60);
  g_autoptr(GDateTime) renewed_expiry = g_date_time_add_seconds (expiry, 60);

  pc_sandbox_set_token_lifetimes (fixture->sandbox, 60, 600);
  tokens = sign_in (fixture);
  g_assert_true (g_date_time_equal (pc_tokens_get_expires_at (tokens), expiry));
  g_assert_cmpint (verify (fixture, pc_tokens_get_access_token (tokens), &error), ==,
                   PC_SANDBOX_USER_ID);
  g_assert_no_error (error);

  /* At expires_at, the API refuses the token. */
  pc_clock_set_now (fixture->clock, expiry);
  g_assert_cmpint (verify (fixture, pc_tokens_get_access_token (tokens), &error), ==, 0);
  g_assert_error (error, PC_API_ERROR, PC_API_ERROR_UNAUTHORIZED);
  g_clear_error (&error);

  /* A refresh gives one that works, until the sandbox expires everything. */
  renewed = refresh (fixture, pc_tokens_get_refresh_token (tokens), &error);
  g_assert_no_error (error);
  g_assert_true (g_date_time_equal (pc_tokens_get_expires_at (renewed), renewed_expiry));
  g_assert_cmpint (verify (fixture, pc_tokens_get_access_token (renewed), &error), ==,
                   PC_SANDBOX_USER_ID);
  g_assert_no_error (error);

  pc_sandbox_expire_tokens (fixture->sandbox);
  g_assert_cmpint (verify (fixture, pc_tokens_get_access_token (renewed), &error), ==, 0);
  g_assert_error (error, PC_API_ERROR, PC_API_ERROR_UNAUTHORIZED);
}

/* Debug log ---------------------------------------------------------------------------- */

static void
capture_log_cb (const char     *log_domain,
                GLogLevelFlags  log_level,
                const char     *message,
                gpointer        user_data)
{
  GString *log = user_data;

  g_string_append (log, message);
  g_string_append_c (log, '\n');
}

static void
assert_log_has_no (GString    *log,
                   const char *secret,
                   const char *what)
{
  if (secret == NULL || *secret == '\0')
    return;

  if (strstr (log->str, secret) != NULL)
    g_error ("The debug log shows %s “%s”:\n%s", what, secret, log->str);
}

static void
test_debug_log_no_secrets (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(PcTokens) quiet = NULL;
  g_autoptr(PcTokens) first = NULL;
  g_autoptr(PcTokens) second = NULL;
  g_autoptr(PcTokens) refused = NULL;
  g_autoptr(GPtrArray) secrets = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *state = NULL;
  guint handler;

  handler = g_log_set_handler ("pc-oauth", G_LOG_LEVEL_MASK | G_LOG_FLAG_FATAL |
                               G_LOG_FLAG_RECURSION, capture_log_cb, log);

  /* Off by default. */
  quiet = sign_in (fixture);
  g_assert_cmpstr (log->str, ==, "");

  /* A sign-in, a refresh and a refused refresh, logged. */
  pc_oauth_set_debug (fixture->oauth, TRUE);
  {
    g_autofree char *url = begin (fixture);
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(Page) page = NULL;

    state = query_param (url, "state");
    pc_oauth_finish_authorization_async (fixture->oauth, NULL, pc_test_store_result_cb, &result);
    page = browse (fixture, url);
    first = finish (fixture, &result, &error);
    g_assert_no_error (error);
  }
  second = refresh (fixture, pc_tokens_get_refresh_token (first), &error);
  g_assert_no_error (error);
  refused = refresh (fixture, pc_tokens_get_refresh_token (first), &error);
  g_assert_error (error, PC_OAUTH_ERROR, PC_OAUTH_ERROR_REFRESH_EXPIRED);
  PC_TEST_WAIT_UNTIL (pc_oauth_get_redirect_port (fixture->oauth) == 0);
  g_log_remove_handler ("pc-oauth", handler);

  g_test_message ("%s", log->str);

  /* It says what happened… */
  g_assert_nonnull (strstr (log->str, "/OAuth/Authorize?response_type=code&client_id="
                                      PC_SANDBOX_CLIENT_ID));
  g_assert_nonnull (strstr (log->str, "Redirect: GET /callback?code=[redacted]&state=[redacted]"));
  g_assert_nonnull (strstr (log->str, "grant_type=authorization_code&code=[redacted]"));
  g_assert_nonnull (strstr (log->str, "code_verifier=[redacted]"));
  g_assert_nonnull (strstr (log->str, "grant_type=refresh_token&refresh_token=[redacted]"));
  g_assert_nonnull (strstr (log->str, "client_secret=[redacted]"));
  g_assert_nonnull (strstr (log->str, "HTTP 200 OK, access_token=[redacted]"));
  g_assert_nonnull (strstr (log->str, "error=invalid_grant"));

  /* …and never a secret: none of those the sandbox issued or was sent (codes, tokens,
   * verifiers, states, the client secret), nor those the test holds. */
  assert_log_has_no (log, PC_SANDBOX_CLIENT_SECRET, "the client secret");
  assert_log_has_no (log, state, "the state");
  assert_log_has_no (log, pc_tokens_get_access_token (first), "an access token");
  assert_log_has_no (log, pc_tokens_get_refresh_token (first), "a refresh token");
  assert_log_has_no (log, pc_tokens_get_access_token (second), "an access token");
  assert_log_has_no (log, pc_tokens_get_refresh_token (second), "a refresh token");
  secrets = _pc_sandbox_oauth_dup_secrets (fixture->sandbox);
  g_assert_cmpuint (secrets->len, >=, 10);
  for (guint i = 0; i < secrets->len; i++)
    assert_log_has_no (log, g_ptr_array_index (secrets, i), "a secret");
}

/* Token answers, read strictly ------------------------------------------------------------- */

typedef struct
{
  guint       status;
  const char *content_type;
  const char *body;
  const char *location;
} Canned;

static void
canned_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  const Canned *canned = user_data;

  if (g_str_equal (path, "/elsewhere"))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                        "{\"access_token\": \"elsewhere\", \"expires_in\": 1}",
                                        strlen ("{\"access_token\": \"elsewhere\", "
                                                "\"expires_in\": 1}"));
      return;
    }

  soup_server_message_set_status (msg, canned->status, NULL);
  if (canned->location != NULL)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Location",
                                  canned->location);
  soup_server_message_set_response (msg, canned->content_type, SOUP_MEMORY_STATIC,
                                    canned->body, strlen (canned->body));
}

static void
test_token_answers (void)
{
  static const struct
  {
    guint       status;
    const char *body;
    int         code;  /* -1: success */
  } cases[] = {
    { 200, "{\"access_token\": \"canned-access\", \"token_type\": \"bearer\", \"expires_in\": 3600}", -1 },
    { 200, "{\"access_token\": \"canned-access\", \"token_type\": \"Bearer\", \"expires_in\": 60, "
           "\"refresh_token\": null}", -1 },
    { 200, "{\"access_token\": \"canned-access\", \"expires_in\": 60, \"scope\": \"x\"}", -1 },
    { 200, "{\"token_type\": \"bearer\", \"expires_in\": 3600}", PC_OAUTH_ERROR_FAILED },
    { 200, "{\"access_token\": 12, \"expires_in\": 3600}", PC_OAUTH_ERROR_FAILED },
    { 200, "{\"access_token\": \"\", \"expires_in\": 3600}", PC_OAUTH_ERROR_FAILED },
    { 200, "{\"access_token\": \"a 1\", \"expires_in\": 3600}", PC_OAUTH_ERROR_FAILED },
    { 200, "{\"access_token\": \"canned-access\"}", PC_OAUTH_ERROR_FAILED },
    { 200, "{\"access_token\": \"canned-access\", \"expires_in\": \"3600\"}", PC_OAUTH_ERROR_FAILED },
    { 200, "{\"access_token\": \"canned-access\", \"expires_in\": 3600.0}", PC_OAUTH_ERROR_FAILED },
    { 200, "{\"access_token\": \"canned-access\", \"expires_in\": 0}", PC_OAUTH_ERROR_FAILED },
    { 200, "{\"access_token\": \"canned-access\", \"expires_in\": -5}", PC_OAUTH_ERROR_FAILED },
    { 200, "{\"access_token\": \"canned-access\", \"expires_in\": 99999999999999}", PC_OAUTH_ERROR_FAILED },
    { 200, "{\"access_token\": \"canned-access\", \"token_type\": \"mac\", \"expires_in\": 1}",
      PC_OAUTH_ERROR_FAILED },
    { 200, "{\"access_token\": \"canned-access\", \"expires_in\": 1, \"refresh_token\": 5}",
      PC_OAUTH_ERROR_FAILED },
    { 200, "{\"access_token\": \"canned-access\", /* strict */ \"expires_in\": 1}", PC_OAUTH_ERROR_FAILED },
    { 200, "{\"access_token\": \"canned-access\", \"expires_in\": 1} {}", PC_OAUTH_ERROR_FAILED },
    { 200, "[\"canned-access\"]", PC_OAUTH_ERROR_FAILED },
    { 200, "access_token=leaked-in-form&expires_in=3600", PC_OAUTH_ERROR_FAILED },
    { 200, "<html><body>Sign in</body></html>", PC_OAUTH_ERROR_FAILED },
    { 401, "{\"error\": \"refresh_token_has_expired\"}", PC_OAUTH_ERROR_REFRESH_EXPIRED },
    { 400, "{\"error\": \"invalid_grant\"}", PC_OAUTH_ERROR_REFRESH_EXPIRED },
    { 401, "{\"error\": \"invalid_client\"}", PC_OAUTH_ERROR_REJECTED },
    { 400, "{\"error\": \"invalid_request\", \"error_description\": \"bad old-refresh\"}",
      PC_OAUTH_ERROR_REJECTED },
    { 400, "{\"error\": \"bad <b>code</b>\"}", PC_OAUTH_ERROR_FAILED },
    { 400, "<html>Bad Request</html>", PC_OAUTH_ERROR_FAILED },
    { 503, "{\"error\": \"temporarily_unavailable\"}", PC_OAUTH_ERROR_FAILED },
    { 302, "{}", PC_OAUTH_ERROR_FAILED },
  };
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PcOAuth) oauth = NULL;
  g_autoptr(GString) log = g_string_new (NULL);
  g_autofree char *url = NULL;
  g_autofree char *elsewhere = NULL;
  Canned canned = { 0, };
  GSList *uris;
  guint handler;

  soup_server_add_handler (server, NULL, canned_cb, &canned, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  elsewhere = g_strconcat (url, "/elsewhere", NULL);

  oauth = pc_oauth_new (session, url, "client", "client-secret-value", &error);
  g_assert_no_error (error);
  pc_oauth_set_debug (oauth, TRUE);
  handler = g_log_set_handler ("pc-oauth", G_LOG_LEVEL_MASK | G_LOG_FLAG_FATAL |
                               G_LOG_FLAG_RECURSION, capture_log_cb, log);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(PcTokens) tokens = NULL;

      g_test_message ("HTTP %u %s", cases[i].status, cases[i].body);
      canned.status = cases[i].status;
      canned.body = cases[i].body;
      canned.content_type = cases[i].body[0] == '<' ? "text/html" : "application/json";
      canned.location = cases[i].status == 302 ? elsewhere : NULL;

      pc_oauth_refresh_async (oauth, "old-refresh", NULL, pc_test_store_result_cb, &result);
      PC_TEST_WAIT_UNTIL (result != NULL);
      tokens = pc_oauth_refresh_finish (oauth, result, &error);

      if (cases[i].code < 0)
        {
          g_assert_no_error (error);
          g_assert_cmpstr (pc_tokens_get_access_token (tokens), ==, "canned-access");
          /* No new refresh token: the one sent stays. */
          g_assert_cmpstr (pc_tokens_get_refresh_token (tokens), ==, "old-refresh");
          continue;
        }

      g_assert_null (tokens);
      g_assert_error (error, PC_OAUTH_ERROR, cases[i].code);
      /* No secret, and nothing the server could have echoed one in. */
      g_assert_null (strstr (error->message, "old-refresh"));
      g_assert_null (strstr (error->message, "client-secret-value"));
      g_assert_null (strstr (error->message, "leaked-in-form"));
      g_assert_null (strstr (error->message, "<b>"));
      g_clear_error (&error);
    }

  /* Nor in the debug log, which tells the answers apart all the same. */
  g_log_remove_handler ("pc-oauth", handler);
  g_assert_nonnull (strstr (log->str, "error=refresh_token_has_expired"));
  g_assert_nonnull (strstr (log->str, "unusable answer"));
  assert_log_has_no (log, "old-refresh", "the refresh token sent");
  assert_log_has_no (log, "client-secret-value", "the client secret");
  assert_log_has_no (log, "leaked-in-form", "a token in a form-encoded answer");
  assert_log_has_no (log, "canned-access", "the access token");

  g_clear_object (&session);
  pc_test_drain_main_context ();
  soup_server_disconnect (server);
}

/* Small parts ------------------------------------------------------------------------------ */

static void
test_new_addresses (void)
{
  static const struct
  {
    const char *url;
    gboolean    valid;
  } cases[] = {
    { PC_OAUTH_LIVE_URL, TRUE },
    { "https://platform.AdultWork.com/", TRUE },
    { "http://127.0.0.1:8080", TRUE },
    { "http://localhost:8080/auth", TRUE },
    { "http://[::1]:8080", TRUE },
    { "http://platform.adultwork.com", FALSE },
    { "http://192.168.1.10", FALSE },
    { "ftp://platform.adultwork.com", FALSE },
    { "https://platform.adultwork.com/?x=1", FALSE },
    { "https://user@platform.adultwork.com", FALSE },
    { "not a url", FALSE },
  };
  g_autoptr(SoupSession) session = soup_session_new ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PcOAuth) oauth = pc_oauth_new (session, cases[i].url, "client", NULL, &error);

      g_test_message ("%s", cases[i].url);
      if (cases[i].valid)
        {
          g_assert_no_error (error);
          g_assert_nonnull (oauth);
        }
      else
        {
          g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
          g_assert_null (oauth);
        }
    }

  /* The trailing slash goes: the authorize URL has one slash before OAuth. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(PcOAuth) oauth = pc_oauth_new (session, "https://platform.adultwork.com/",
                                             "client", NULL, &error);
    g_autofree char *url = pc_oauth_begin_authorization (oauth, 0, &error);

    g_assert_no_error (error);
    g_assert_true (g_str_has_prefix (url, "https://platform.adultwork.com/OAuth/Authorize?"));
  }
}

static void
test_pkce_rfc7636 (void)
{
  /* RFC 7636, appendix B. */
  g_autofree char *challenge = pc_oauth_compute_code_challenge ("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");

  g_assert_cmpstr (challenge, ==, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

static void
test_tokens_boxed (void)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier ("Europe/London");
  g_autoptr(GDateTime) local = g_date_time_new (zone, 2025, 6, 15, 13, 0, 0);
  g_autoptr(PcTokens) tokens = pc_tokens_new ("access", NULL, local);
  PcTokens *copy;

  g_assert_cmpstr (pc_tokens_get_access_token (tokens), ==, "access");
  g_assert_null (pc_tokens_get_refresh_token (tokens));
  g_assert_true (g_date_time_equal (pc_tokens_get_expires_at (tokens), local));
  g_assert_cmpint (g_date_time_get_utc_offset (pc_tokens_get_expires_at (tokens)), ==, 0);
  g_assert_cmpint (g_date_time_get_hour (pc_tokens_get_expires_at (tokens)), ==, 12);

  copy = g_boxed_copy (PC_TYPE_TOKENS, tokens);
  g_assert_true (copy == tokens);
  g_boxed_free (PC_TYPE_TOKENS, copy);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  pc_test_init_logging ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/oauth/flow/end-to-end", test_flow_end_to_end);
  ADD ("/oauth/flow/fresh-secrets", test_flow_fresh_secrets);
  ADD ("/oauth/flow/second-redirect", test_flow_second_redirect);
  ADD ("/oauth/flow/state-mismatch", test_flow_state_mismatch);
  ADD ("/oauth/flow/no-code", test_flow_no_code);
  ADD ("/oauth/flow/denied", test_flow_denied);
  ADD ("/oauth/flow/port-in-use", test_flow_port_in_use);
  ADD ("/oauth/flow/pkce-mismatch", test_flow_pkce_mismatch);
  ADD ("/oauth/flow/cancel", test_flow_cancel);
  ADD ("/oauth/flow/cancel-exchange", test_flow_cancel_exchange);
  ADD ("/oauth/flow/restart", test_flow_restart);
  ADD ("/oauth/refresh/rotation", test_refresh_rotation);
  ADD ("/oauth/refresh/expired", test_refresh_expired);
  ADD ("/oauth/refresh/timeout", test_refresh_timeout);
  ADD ("/oauth/expiry/access-token", test_expiry_access_token);
  ADD ("/oauth/debug-log/no-secrets", test_debug_log_no_secrets);
  g_test_add_func ("/oauth/token/strict-answers", test_token_answers);
  g_test_add_func ("/oauth/new/addresses", test_new_addresses);
  g_test_add_func ("/oauth/pkce/rfc7636", test_pkce_rfc7636);
  g_test_add_func ("/oauth/tokens/boxed", test_tokens_boxed);

#undef ADD

  return g_test_run ();
}
