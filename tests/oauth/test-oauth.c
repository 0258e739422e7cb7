/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "pc-oauth.h"
#include "test-utils.h"

/* PcOAuth over real loopback HTTP. */

static void
store_result_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  g_assert_null (*out);
  *out = g_object_ref (result);
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

      pc_oauth_refresh_async (oauth, "old-refresh", NULL, store_result_cb, &result);
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

  g_test_add_func ("/oauth/token/strict-answers", test_token_answers);
  g_test_add_func ("/oauth/new/addresses", test_new_addresses);
  g_test_add_func ("/oauth/pkce/rfc7636", test_pkce_rfc7636);
  g_test_add_func ("/oauth/tokens/boxed", test_tokens_boxed);

  return g_test_run ();
}
