/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pc-preferences-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "pc-accessible.h"
#include "pc-http-private.h"
#include "pc-preferences-dialog.h"

/**
 * PcPreferencesDialog:
 *
 * The application's preferences: the account (who is signed in, where, Sign Out), the
 * notifications (each kind on or off, the accept-by reminder's lead time), running in
 * the background, the API's time zone, and what signing in uses (a client ID of one's
 * own, the redirect port, a custom server). Every value lives in GSettings; nothing
 * secret does. Entries apply when their apply button is pressed (or Enter), and a bad
 * value is refused with a message, keeping what was typed.
 */

struct _PcPreferencesDialog
{
  AdwPreferencesDialog  parent_instance;

  GSettings            *settings;

  AdwActionRow         *account_row;
  GtkWidget            *sign_in_button;
  GtkWidget            *sign_out_button;
  AdwSwitchRow         *notify_new_booking_row;
  AdwSwitchRow         *notify_accept_by_row;
  AdwSpinRow           *accept_by_lead_row;
  AdwSwitchRow         *notify_client_changes_row;
  AdwSwitchRow         *notify_reinvitable_row;
  AdwSwitchRow         *run_in_background_row;
  AdwEntryRow          *zone_row;
  AdwEntryRow          *client_id_row;
  AdwSpinRow           *redirect_port_row;
  AdwEntryRow          *custom_url_row;
};

G_DEFINE_FINAL_TYPE (PcPreferencesDialog, pc_preferences_dialog, ADW_TYPE_PREFERENCES_DIALOG)

enum {
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
show_problem (PcPreferencesDialog *self,
              GtkWidget           *row,
              const char          *message)
{
  AdwToast *toast = adw_toast_new (message);

  gtk_widget_add_css_class (row, "error");
  adw_toast_set_use_markup (toast, FALSE);
  adw_preferences_dialog_add_toast (ADW_PREFERENCES_DIALOG (self), toast);
}

static void
on_zone_row_changed_cb (PcPreferencesDialog *self)
{
  gtk_widget_remove_css_class (GTK_WIDGET (self->zone_row), "error");
}

static void
on_zone_row_apply_cb (PcPreferencesDialog *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->zone_row))));
  g_autoptr(GTimeZone) zone = NULL;

  if (text[0] != '\0' && (zone = g_time_zone_new_identifier (text)) == NULL)
    {
      /* Translators: %s is what was typed as a time zone */
      g_autofree char *message = g_strdup_printf (_("“%s” is not a time zone. Use a name such as Europe/London."),
                                                  text);

      show_problem (self, GTK_WIDGET (self->zone_row), message);
      return;
    }

  /* Empty means the API's own zone. */
  g_settings_set_string (self->settings, "api-time-zone", text[0] != '\0' ? text : "Europe/London");
  adw_preferences_dialog_add_toast (ADW_PREFERENCES_DIALOG (self),
                                    adw_toast_new (_("The time zone applies from the next refresh")));
}

static void
on_client_id_row_apply_cb (PcPreferencesDialog *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->client_id_row))));

  g_settings_set_string (self->settings, "client-id", text);
}

static void
on_custom_url_row_apply_cb (PcPreferencesDialog *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->custom_url_row))));

  if (text[0] != '\0' && !_pc_http_url_is_valid (text))
    {
      show_problem (self, GTK_WIDGET (self->custom_url_row),
                    _("Enter a web address starting with https:// (or http:// for this computer)."));
      return;
    }

  gtk_widget_remove_css_class (GTK_WIDGET (self->custom_url_row), "error");
  g_settings_set_string (self->settings, "custom-api-url", text);
}

static void
redirect_port_changed_cb (PcPreferencesDialog *self)
{
  guint16 port = (guint16) adw_spin_row_get_value (self->redirect_port_row);
  guint16 stored;

  /* A 16-bit key ("q"): g_settings_get_uint() only reads "u". */
  g_settings_get (self->settings, "redirect-port", "q", &stored);
  if (stored != port)
    g_settings_set (self->settings, "redirect-port", "q", port);
}

static void
load_settings (PcPreferencesDialog *self)
{
  g_autofree char *zone = g_settings_get_string (self->settings, "api-time-zone");
  g_autofree char *client_id = g_settings_get_string (self->settings, "client-id");
  g_autofree char *custom_url = g_settings_get_string (self->settings, "custom-api-url");
  guint16 port;

  static const struct {
    const char *key;
    gsize       offset;
  } switches[] = {
    { "notify-new-booking", G_STRUCT_OFFSET (PcPreferencesDialog, notify_new_booking_row) },
    { "notify-accept-by", G_STRUCT_OFFSET (PcPreferencesDialog, notify_accept_by_row) },
    { "notify-client-changes", G_STRUCT_OFFSET (PcPreferencesDialog, notify_client_changes_row) },
    { "notify-reinvitable", G_STRUCT_OFFSET (PcPreferencesDialog, notify_reinvitable_row) },
    { "run-in-background", G_STRUCT_OFFSET (PcPreferencesDialog, run_in_background_row) },
  };

  for (guint i = 0; i < G_N_ELEMENTS (switches); i++)
    g_settings_bind (self->settings, switches[i].key,
                     G_STRUCT_MEMBER (gpointer, self, switches[i].offset), "active",
                     G_SETTINGS_BIND_DEFAULT);
  /* A "u" key and a double property: GSettings converts between them. */
  g_settings_bind (self->settings, "accept-by-lead-minutes", self->accept_by_lead_row, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_object_bind_property (self->notify_accept_by_row, "active",
                          self->accept_by_lead_row, "sensitive", G_BINDING_SYNC_CREATE);
  gtk_editable_set_text (GTK_EDITABLE (self->zone_row), zone);
  gtk_editable_set_text (GTK_EDITABLE (self->client_id_row), client_id);
  gtk_editable_set_text (GTK_EDITABLE (self->custom_url_row), custom_url);
  g_settings_get (self->settings, "redirect-port", "q", &port);
  adw_spin_row_set_value (self->redirect_port_row, port);
  g_signal_connect_object (self->redirect_port_row, "notify::value",
                           G_CALLBACK (redirect_port_changed_cb), self, G_CONNECT_SWAPPED);
}

static void
pc_preferences_dialog_constructed (GObject *object)
{
  PcPreferencesDialog *self = (PcPreferencesDialog *) object;

  G_OBJECT_CLASS (pc_preferences_dialog_parent_class)->constructed (object);

  if (self->settings != NULL)
    load_settings (self);
  else
    gtk_widget_set_sensitive (GTK_WIDGET (self), FALSE);
}

static void
pc_preferences_dialog_dispose (GObject *object)
{
  PcPreferencesDialog *self = (PcPreferencesDialog *) object;

  gtk_widget_dispose_template (GTK_WIDGET (self), PC_TYPE_PREFERENCES_DIALOG);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (pc_preferences_dialog_parent_class)->dispose (object);
}

static void
pc_preferences_dialog_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  PcPreferencesDialog *self = PC_PREFERENCES_DIALOG (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pc_preferences_dialog_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  PcPreferencesDialog *self = PC_PREFERENCES_DIALOG (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pc_preferences_dialog_class_init (PcPreferencesDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = pc_preferences_dialog_constructed;
  object_class->dispose = pc_preferences_dialog_dispose;
  object_class->get_property = pc_preferences_dialog_get_property;
  object_class->set_property = pc_preferences_dialog_set_property;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/PhoneChat/pc-preferences-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, PcPreferencesDialog, account_row);
  gtk_widget_class_bind_template_child (widget_class, PcPreferencesDialog, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, PcPreferencesDialog, sign_out_button);
  gtk_widget_class_bind_template_child (widget_class, PcPreferencesDialog, notify_new_booking_row);
  gtk_widget_class_bind_template_child (widget_class, PcPreferencesDialog, notify_accept_by_row);
  gtk_widget_class_bind_template_child (widget_class, PcPreferencesDialog, accept_by_lead_row);
  gtk_widget_class_bind_template_child (widget_class, PcPreferencesDialog, notify_client_changes_row);
  gtk_widget_class_bind_template_child (widget_class, PcPreferencesDialog, notify_reinvitable_row);
  gtk_widget_class_bind_template_child (widget_class, PcPreferencesDialog, run_in_background_row);
  gtk_widget_class_bind_template_child (widget_class, PcPreferencesDialog, zone_row);
  gtk_widget_class_bind_template_child (widget_class, PcPreferencesDialog, client_id_row);
  gtk_widget_class_bind_template_child (widget_class, PcPreferencesDialog, redirect_port_row);
  gtk_widget_class_bind_template_child (widget_class, PcPreferencesDialog, custom_url_row);
  gtk_widget_class_bind_template_callback (widget_class, on_zone_row_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_zone_row_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_client_id_row_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_custom_url_row_apply_cb);
}

static void
pc_preferences_dialog_init (PcPreferencesDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Translators: what screen readers call the button that applies an entry's text */
  pc_entry_row_name_apply_button (self->zone_row, _("Apply"));
  pc_entry_row_name_apply_button (self->client_id_row, _("Apply"));
  pc_entry_row_name_apply_button (self->custom_url_row, _("Apply"));
  pc_preferences_dialog_set_account (self, NULL, NULL);
}

/**
 * pc_preferences_dialog_new:
 * @settings: (nullable): the application's settings; %NULL (no schema installed) makes
 *   the preferences read-only
 *
 * Returns: (transfer floating): the dialog; show it with adw_dialog_present()
 */
PcPreferencesDialog *
pc_preferences_dialog_new (GSettings *settings)
{
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  return g_object_new (PC_TYPE_PREFERENCES_DIALOG, "settings", settings, NULL);
}

/**
 * pc_preferences_dialog_set_account:
 * @name: (nullable): who is signed in, as plain text; %NULL when nobody is
 * @details: (nullable): where, e.g. "AdultWork (live)"
 */
void
pc_preferences_dialog_set_account (PcPreferencesDialog *self,
                                   const char          *name,
                                   const char          *details)
{
  g_return_if_fail (PC_IS_PREFERENCES_DIALOG (self));

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self->account_row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->account_row),
                                 name != NULL ? name : _("Not signed in"));
  adw_action_row_set_subtitle (self->account_row, details);
  gtk_widget_set_visible (self->sign_out_button, name != NULL);
  gtk_widget_set_visible (self->sign_in_button, name == NULL);
}
