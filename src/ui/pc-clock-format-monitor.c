/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pc-clock-format"

#include "config.h"

#include "pc-clock-format-monitor.h"

/**
 * PcClockFormatMonitor:
 *
 * Follows the desktop's 12/24-hour clock setting (`clock-format` of
 * `org.gnome.desktop.interface`) and applies it with pc_clock_format_set(), so that
 * every time PhoneChat shows follows it. Its #GObject::notify for `format` tells when
 * texts with times need writing again.
 *
 * Outside a sandbox the setting is read with GSettings. In a Flatpak the desktop's
 * settings are not visible that way; they come from the Settings portal (`ReadOne`,
 * and `SettingChanged` for changes), asynchronously: until the answer arrives, and
 * where neither is available, the 24-hour clock stays.
 */

#define PORTAL_BUS_NAME  "org.freedesktop.portal.Desktop"
#define PORTAL_PATH      "/org/freedesktop/portal/desktop"
#define PORTAL_SETTINGS  "org.freedesktop.portal.Settings"
#define INTERFACE_SCHEMA "org.gnome.desktop.interface"
#define CLOCK_FORMAT_KEY "clock-format"

struct _PcClockFormatMonitor
{
  GObject          parent_instance;

  GSettings       *settings;
  GDBusConnection *bus;
  guint            portal_signal_id;
  GCancellable    *cancellable;
  PcClockFormat    format;
};

G_DEFINE_FINAL_TYPE (PcClockFormatMonitor, pc_clock_format_monitor, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_FORMAT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
apply_name (PcClockFormatMonitor *self,
            const char           *name)
{
  PcClockFormat format;

  if (!pc_clock_format_from_name (name, &format))
    {
      g_debug ("Unknown clock format “%s”: keeping the current one", name);
      return;
    }

  pc_clock_format_set (format);
  if (format == self->format)
    return;

  self->format = format;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FORMAT]);
}

static void
settings_changed_cb (PcClockFormatMonitor *self,
                     const char           *key,
                     GSettings            *settings)
{
  g_autofree char *name = g_settings_get_string (settings, CLOCK_FORMAT_KEY);

  apply_name (self, name);
}

static void
apply_portal_value (PcClockFormatMonitor *self,
                    GVariant             *value)
{
  g_autoptr(GVariant) inner = NULL;

  /* ReadOne answers "v"; the older Read answered "v" holding another "v". */
  inner = g_variant_ref (value);
  while (g_variant_is_of_type (inner, G_VARIANT_TYPE_VARIANT))
    {
      GVariant *next = g_variant_get_variant (inner);

      g_variant_unref (inner);
      inner = next;
    }

  if (g_variant_is_of_type (inner, G_VARIANT_TYPE_STRING))
    apply_name (self, g_variant_get_string (inner, NULL));
}

static void
portal_setting_changed_cb (GDBusConnection *connection,
                           const char      *sender_name,
                           const char      *object_path,
                           const char      *interface_name,
                           const char      *signal_name,
                           GVariant        *parameters,
                           gpointer         user_data)
{
  PcClockFormatMonitor *self = user_data;
  const char *namespace;
  const char *key;
  g_autoptr(GVariant) value = NULL;

  if (!g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(ssv)")))
    return;

  g_variant_get (parameters, "(&s&sv)", &namespace, &key, &value);
  if (g_str_equal (namespace, INTERFACE_SCHEMA) && g_str_equal (key, CLOCK_FORMAT_KEY))
    apply_portal_value (self, value);
}

static void
portal_read_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(PcClockFormatMonitor) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) value = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (reply == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("The Settings portal did not tell the clock format: %s", error->message);
      return;
    }

  g_variant_get (reply, "(v)", &value);
  apply_portal_value (self, value);
}

static void
follow_portal (PcClockFormatMonitor *self)
{
  g_autoptr(GError) error = NULL;

  self->bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  if (self->bus == NULL)
    {
      g_debug ("No session bus for the Settings portal: %s", error->message);
      return;
    }

  self->portal_signal_id =
    g_dbus_connection_signal_subscribe (self->bus, PORTAL_BUS_NAME, PORTAL_SETTINGS,
                                        "SettingChanged", PORTAL_PATH, NULL,
                                        G_DBUS_SIGNAL_FLAGS_NONE,
                                        portal_setting_changed_cb, self, NULL);
  g_dbus_connection_call (self->bus, PORTAL_BUS_NAME, PORTAL_PATH, PORTAL_SETTINGS, "ReadOne",
                          g_variant_new ("(ss)", INTERFACE_SCHEMA, CLOCK_FORMAT_KEY),
                          G_VARIANT_TYPE ("(v)"), G_DBUS_CALL_FLAGS_NO_AUTO_START, -1,
                          self->cancellable, portal_read_cb, g_object_ref (self));
}

static void
follow_settings (PcClockFormatMonitor *self,
                 GSettings            *settings)
{
  self->settings = g_object_ref (settings);
  g_signal_connect_object (settings, "changed::" CLOCK_FORMAT_KEY,
                           G_CALLBACK (settings_changed_cb), self, G_CONNECT_SWAPPED);
  settings_changed_cb (self, CLOCK_FORMAT_KEY, settings);
}

static GSettings *
dup_desktop_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source == NULL)
    return NULL;

  schema = g_settings_schema_source_lookup (source, INTERFACE_SCHEMA, TRUE);
  if (schema == NULL || !g_settings_schema_has_key (schema, CLOCK_FORMAT_KEY))
    return NULL;

  return g_settings_new_full (schema, NULL, NULL);
}

static void
pc_clock_format_monitor_dispose (GObject *object)
{
  PcClockFormatMonitor *self = (PcClockFormatMonitor *) object;

  g_cancellable_cancel (self->cancellable);
  if (self->portal_signal_id != 0)
    g_dbus_connection_signal_unsubscribe (self->bus, self->portal_signal_id);
  self->portal_signal_id = 0;
  g_clear_object (&self->bus);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (pc_clock_format_monitor_parent_class)->dispose (object);
}

static void
pc_clock_format_monitor_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  PcClockFormatMonitor *self = PC_CLOCK_FORMAT_MONITOR (object);

  switch (prop_id)
    {
    case PROP_FORMAT:
      g_value_set_int (value, self->format);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pc_clock_format_monitor_class_init (PcClockFormatMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pc_clock_format_monitor_dispose;
  object_class->get_property = pc_clock_format_monitor_get_property;

  /**
   * PcClockFormatMonitor:format:
   *
   * The #PcClockFormat in force.
   */
  properties[PROP_FORMAT] =
    g_param_spec_int ("format", NULL, NULL, PC_CLOCK_FORMAT_24H, PC_CLOCK_FORMAT_12H,
                      PC_CLOCK_FORMAT_24H, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pc_clock_format_monitor_init (PcClockFormatMonitor *self)
{
  self->cancellable = g_cancellable_new ();
  self->format = pc_clock_format_get ();
}

/**
 * pc_clock_format_monitor_new:
 * @interface_settings: (nullable): settings of the `org.gnome.desktop.interface` schema
 *   to follow; %NULL finds the desktop's own (GSettings, or the Settings portal in a
 *   sandbox)
 */
PcClockFormatMonitor *
pc_clock_format_monitor_new (GSettings *interface_settings)
{
  PcClockFormatMonitor *self;
  g_autoptr(GSettings) desktop = NULL;

  g_return_val_if_fail (interface_settings == NULL || G_IS_SETTINGS (interface_settings), NULL);

  self = g_object_new (PC_TYPE_CLOCK_FORMAT_MONITOR, NULL);

  if (interface_settings != NULL)
    follow_settings (self, interface_settings);
  else if (!g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS) &&
           (desktop = dup_desktop_settings ()) != NULL)
    follow_settings (self, desktop);
  else
    follow_portal (self);

  return self;
}

PcClockFormat
pc_clock_format_monitor_get_format (PcClockFormatMonitor *self)
{
  g_return_val_if_fail (PC_IS_CLOCK_FORMAT_MONITOR (self), PC_CLOCK_FORMAT_24H);

  return self->format;
}
