/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pc-config"

#include "config.h"

#include <string.h>

#include "pc-api.h"
#include "pc-config.h"
#include "pc-json.h"

struct _PcConfig
{
  char      *api_url;      /* never NULL: the live API when not set */
  gboolean   api_url_set;
  char      *token;        /* NULL when not set */
  gboolean   http_debug;
  guint      timeout;      /* seconds; 0 when not set */
  GTimeZone *api_zone;
};

static gboolean
parse_switch (const char *value)
{
  static const char * const off[] = { "", "0", "false", "no", "off" };

  if (value == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (off); i++)
    if (g_ascii_strcasecmp (value, off[i]) == 0)
      return FALSE;

  return TRUE;
}

/* Whole seconds from 1 to a day; anything else is ignored (0). */
static guint
parse_timeout (const char *value)
{
  guint64 seconds;

  if (value == NULL ||
      !g_ascii_string_to_unsigned (value, 10, 1, 24 * 60 * 60, &seconds, NULL))
    return 0;

  return (guint) seconds;
}

static GTimeZone *
read_zone (GSettings *settings)
{
  g_autofree char *identifier = NULL;
  GTimeZone *zone = NULL;

  if (settings != NULL)
    {
      g_autoptr(GSettingsSchema) schema = NULL;

      g_object_get (settings, "settings-schema", &schema, NULL);
      if (schema != NULL && g_settings_schema_has_key (schema, "api-time-zone"))
        identifier = g_settings_get_string (settings, "api-time-zone");
    }

  if (identifier != NULL && identifier[0] != '\0')
    {
      zone = g_time_zone_new_identifier (identifier);
      if (zone == NULL)
        g_warning ("Unknown API time zone “%s”; using the API’s own", identifier);
    }

  return zone != NULL ? zone : pc_json_get_default_zone ();
}

/**
 * pc_config_new:
 * @environment: (nullable): the environment to read, as g_get_environ() gives it
 * @settings: (nullable): the application's settings
 */
PcConfig *
pc_config_new (const char * const *environment,
               GSettings          *settings)
{
  PcConfig *self = g_new0 (PcConfig, 1);
  const char *url = g_environ_getenv ((char **) environment, "PHONECHAT_API_URL");
  const char *token = g_environ_getenv ((char **) environment, "PHONECHAT_TOKEN");

  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  self->api_url_set = url != NULL && url[0] != '\0';
  self->api_url = g_strdup (self->api_url_set ? url : PC_API_LIVE_URL);

  if (token != NULL)
    {
      self->token = g_strstrip (g_strdup (token));
      if (self->token[0] == '\0')
        g_clear_pointer (&self->token, g_free);
    }

  self->http_debug = parse_switch (g_environ_getenv ((char **) environment, "PHONECHAT_HTTP_DEBUG"));
  self->timeout = parse_timeout (g_environ_getenv ((char **) environment, "PHONECHAT_TIMEOUT"));
  self->api_zone = read_zone (settings);

  return self;
}

/**
 * pc_config_new_from_process:
 * @settings: (nullable): the application's settings
 *
 * Returns: the configuration of this process's environment
 */
PcConfig *
pc_config_new_from_process (GSettings *settings)
{
  g_auto(GStrv) environment = g_get_environ ();

  return pc_config_new ((const char * const *) environment, settings);
}

void
pc_config_free (PcConfig *self)
{
  if (self == NULL)
    return;

  g_free (self->api_url);
  if (self->token != NULL)
    memset (self->token, 0, strlen (self->token));
  g_free (self->token);
  g_clear_pointer (&self->api_zone, g_time_zone_unref);
  g_free (self);
}

/**
 * pc_config_get_api_url:
 *
 * Returns: PHONECHAT_API_URL, or the live API's address when it is unset or empty
 */
const char *
pc_config_get_api_url (PcConfig *self)
{
  return self->api_url;
}

/**
 * pc_config_get_api_url_set:
 *
 * Returns: whether PHONECHAT_API_URL chose the address
 */
gboolean
pc_config_get_api_url_set (PcConfig *self)
{
  return self->api_url_set;
}

/**
 * pc_config_get_token:
 *
 * Returns: (nullable): PHONECHAT_TOKEN without surrounding white space; %NULL when it is
 *   unset or blank
 */
const char *
pc_config_get_token (PcConfig *self)
{
  return self->token;
}

gboolean
pc_config_get_http_debug (PcConfig *self)
{
  return self->http_debug;
}

/**
 * pc_config_get_api_zone:
 *
 * Returns: (transfer none): the zone of the API's zoneless dates
 */
GTimeZone *
pc_config_get_api_zone (PcConfig *self)
{
  return self->api_zone;
}

/**
 * pc_config_get_timeout:
 *
 * Returns: PHONECHAT_TIMEOUT in seconds, or 0 when it is unset or not a whole number of
 *   seconds from 1 to 86400 (PcApi's default applies then)
 */
guint
pc_config_get_timeout (PcConfig *self)
{
  return self->timeout;
}
