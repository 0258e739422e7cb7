/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "pc-api.h"
#include "pc-config.h"
#include "pc-json.h"

#define ENV(...) ((const char * const[]) { __VA_ARGS__, NULL })

static void
test_defaults (void)
{
  g_autoptr(PcConfig) config = pc_config_new (ENV ("HOME=/nowhere"), NULL);
  g_autoptr(GTimeZone) london = pc_json_get_default_zone ();

  g_assert_cmpstr (pc_config_get_api_url (config), ==, PC_API_LIVE_URL);
  g_assert_false (pc_config_get_api_url_set (config));
  g_assert_null (pc_config_get_token (config));
  g_assert_false (pc_config_get_http_debug (config));
  g_assert_cmpstr (g_time_zone_get_identifier (pc_config_get_api_zone (config)), ==,
                   g_time_zone_get_identifier (london));
}

static void
test_api_url (void)
{
  g_autoptr(PcConfig) set = pc_config_new (ENV ("PHONECHAT_API_URL=http://127.0.0.1:8700"), NULL);
  g_autoptr(PcConfig) empty = pc_config_new (ENV ("PHONECHAT_API_URL="), NULL);

  g_assert_cmpstr (pc_config_get_api_url (set), ==, "http://127.0.0.1:8700");
  g_assert_true (pc_config_get_api_url_set (set));
  g_assert_cmpstr (pc_config_get_api_url (empty), ==, PC_API_LIVE_URL);
  g_assert_false (pc_config_get_api_url_set (empty));
}

static void
test_token (void)
{
  g_autoptr(PcConfig) padded = pc_config_new (ENV ("PHONECHAT_TOKEN=  abc.def \n"), NULL);
  g_autoptr(PcConfig) blank = pc_config_new (ENV ("PHONECHAT_TOKEN= \t "), NULL);

  g_assert_cmpstr (pc_config_get_token (padded), ==, "abc.def");
  g_assert_null (pc_config_get_token (blank));
}

/* One reading for every program: "0" is off in the application as in the CLI. */
static void
test_http_debug (void)
{
  static const struct {
    const char *value;
    gboolean    on;
  } cases[] = {
    { "PHONECHAT_HTTP_DEBUG=1", TRUE },
    { "PHONECHAT_HTTP_DEBUG=yes", TRUE },
    { "PHONECHAT_HTTP_DEBUG=all", TRUE },
    { "PHONECHAT_HTTP_DEBUG=0", FALSE },
    { "PHONECHAT_HTTP_DEBUG=", FALSE },
    { "PHONECHAT_HTTP_DEBUG=false", FALSE },
    { "PHONECHAT_HTTP_DEBUG=No", FALSE },
    { "PHONECHAT_HTTP_DEBUG=off", FALSE },
    { "OTHER=1", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(PcConfig) config = pc_config_new (ENV (cases[i].value), NULL);

      g_assert_cmpint (pc_config_get_http_debug (config), ==, cases[i].on);
    }
}

/* Whole seconds from 1 to a day, else PcApi's default (0). */
static void
test_timeout (void)
{
  static const struct {
    const char *value;
    guint       seconds;
  } cases[] = {
    { "PHONECHAT_TIMEOUT=1", 1 },
    { "PHONECHAT_TIMEOUT=45", 45 },
    { "PHONECHAT_TIMEOUT=86400", 86400 },
    { "PHONECHAT_TIMEOUT=86401", 0 },
    { "PHONECHAT_TIMEOUT=0", 0 },
    { "PHONECHAT_TIMEOUT=-3", 0 },
    { "PHONECHAT_TIMEOUT=2.5", 0 },
    { "PHONECHAT_TIMEOUT= 5", 0 },
    { "PHONECHAT_TIMEOUT=", 0 },
    { "OTHER=5", 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(PcConfig) config = pc_config_new (ENV (cases[i].value), NULL);

      g_assert_cmpuint (pc_config_get_timeout (config), ==, cases[i].seconds);
    }
}

static void
test_zone_setting (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(PcConfig) paris = NULL;
  g_autoptr(PcConfig) unknown = NULL;
  g_autoptr(GTimeZone) london = pc_json_get_default_zone ();

  g_settings_set_string (settings, "api-time-zone", "Europe/Paris");
  paris = pc_config_new (ENV ("HOME=/nowhere"), settings);
  g_assert_cmpstr (g_time_zone_get_identifier (pc_config_get_api_zone (paris)), ==, "Europe/Paris");

  g_settings_set_string (settings, "api-time-zone", "Mars/Olympus_Mons");
  g_test_expect_message ("pc-config", G_LOG_LEVEL_WARNING, "Unknown API time zone*");
  unknown = pc_config_new (ENV ("HOME=/nowhere"), settings);
  g_test_assert_expected_messages ();
  g_assert_cmpstr (g_time_zone_get_identifier (pc_config_get_api_zone (unknown)), ==,
                   g_time_zone_get_identifier (london));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/config/defaults", test_defaults);
  g_test_add_func ("/config/api-url", test_api_url);
  g_test_add_func ("/config/token", test_token);
  g_test_add_func ("/config/http-debug", test_http_debug);
  g_test_add_func ("/config/timeout", test_timeout);
  g_test_add_func ("/config/zone-setting", test_zone_setting);

  return g_test_run ();
}
