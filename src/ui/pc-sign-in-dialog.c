/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pc-sign-in-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "pc-accessible.h"
#include "pc-error.h"
#include "pc-http-private.h"
#include "pc-oauth.h"
#include "pc-sign-in-dialog.h"

/**
 * PcSignInDialog:
 *
 * Signing in: the server (AdultWork, its sandbox, or a custom address), then either the
 * AdultWork sign-in page in the browser (OAuth 2.0 with a loopback redirect, through
 * #PcSession) or a pasted access token, checked with the server before it is kept.
 * While the browser is open the dialog waits, and can open the page again or cancel.
 * It closes itself once signed in; a failure stays in the dialog, in one sentence with
 * the technical details below, and nothing typed is lost.
 */

struct _PcSignInDialog
{
  AdwDialog      parent_instance;

  PcSession     *session;
  GSettings     *settings;
  GCancellable  *cancellable;
  char          *authorize_url;
  char          *error_text;

  GtkStack      *stack;
  AdwStatusPage *waiting_page;
  GtkLabel      *address_label;
  AdwComboRow   *environment_row;
  AdwEntryRow   *custom_url_row;
  AdwPasswordEntryRow *token_row;
  GtkLabel      *error_label;
  GtkLabel      *details_label;
};

G_DEFINE_FINAL_TYPE (PcSignInDialog, pc_sign_in_dialog, ADW_TYPE_DIALOG)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static PcEnvironment
selected_environment (PcSignInDialog *self)
{
  switch (adw_combo_row_get_selected (self->environment_row))
    {
    case 1:
      return PC_ENVIRONMENT_SANDBOX;
    case 2:
      return PC_ENVIRONMENT_CUSTOM;
    default:
      return PC_ENVIRONMENT_LIVE;
    }
}

static void
show_error (PcSignInDialog *self,
            const char     *sentence,
            const char     *details)
{
  g_free (self->error_text);
  self->error_text = g_strdup (sentence);
  gtk_label_set_text (self->error_label, sentence);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), sentence != NULL);
  gtk_label_set_text (self->details_label, details);
  gtk_widget_set_visible (GTK_WIDGET (self->details_label), details != NULL);
}

static void
show_gerror (PcSignInDialog *self,
             const GError   *error)
{
  g_autofree char *sentence = NULL;
  g_autofree char *details = NULL;

  pc_error_describe (error, PC_ERROR_TASK_SIGN_IN, NULL, NULL, &sentence);
  details = pc_error_dup_details (error, sentence);
  show_error (self, sentence, details);
}

static void
set_busy (PcSignInDialog *self,
          gboolean        waiting_for_browser,
          gboolean        busy)
{
  gtk_stack_set_visible_child_name (self->stack, waiting_for_browser ? "waiting" : "choose");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sign-in.browser", !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->token_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->environment_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->custom_url_row), !busy);
}

/* The server's address for the chosen environment, or NULL with a message shown. */
static char *
dup_api_url (PcSignInDialog *self)
{
  const char *text;

  switch (selected_environment (self))
    {
    case PC_ENVIRONMENT_LIVE:
      return g_strdup (pc_account_environment_get_api_url (PC_ENVIRONMENT_LIVE));
    case PC_ENVIRONMENT_SANDBOX:
      return g_strdup (pc_account_environment_get_api_url (PC_ENVIRONMENT_SANDBOX));
    case PC_ENVIRONMENT_CUSTOM:
    default:
      break;
    }

  text = gtk_editable_get_text (GTK_EDITABLE (self->custom_url_row));
  if (!_pc_http_url_is_valid (text))
    {
      show_error (self, _("Enter the custom server’s address, starting with https:// (or http:// for this computer)."),
                  NULL);
      gtk_widget_grab_focus (GTK_WIDGET (self->custom_url_row));
      return NULL;
    }

  if (self->settings != NULL)
    g_settings_set_string (self->settings, "custom-api-url", text);
  return g_strdup (text);
}

static void
remember_environment (PcSignInDialog *self)
{
  if (self->settings != NULL)
    g_settings_set_string (self->settings, "environment",
                           pc_account_environment_to_string (selected_environment (self)));
}

static void
on_environment_changed_cb (PcSignInDialog *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->custom_url_row),
                          selected_environment (self) == PC_ENVIRONMENT_CUSTOM);
}

/* The waiting page: the browser is open at the sign-in page, or could not be opened, and
 * then the address to open by hand is there to copy. The page with the error row is not
 * the one shown while waiting. */
static void
show_browser_failed (PcSignInDialog *self,
                     gboolean        failed)
{
  const char *sentence = _("PhoneChat could not open your browser. Open this address in it to sign in:");

  if (failed)
    g_set_str (&self->error_text, sentence);
  adw_status_page_set_description (self->waiting_page,
                                   failed ? sentence
                                          : _("Finish signing in in your browser. PhoneChat continues by itself."));
  gtk_label_set_text (self->address_label, failed ? self->authorize_url : "");
  gtk_widget_set_visible (GTK_WIDGET (self->address_label), failed);
}

static void
uri_launched_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(PcSignInDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!gtk_uri_launcher_launch_finish (GTK_URI_LAUNCHER (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      !g_error_matches (error, GTK_DIALOG_ERROR, GTK_DIALOG_ERROR_DISMISSED))
    {
      /* No browser: the address can still be copied. */
      g_debug ("Could not open the sign-in page: %s", error->message);
      show_browser_failed (self, TRUE);
    }
}

static void
open_authorize_url (PcSignInDialog *self)
{
  g_autoptr(GtkUriLauncher) launcher = gtk_uri_launcher_new (self->authorize_url);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  gtk_uri_launcher_launch (launcher, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                           self->cancellable, uri_launched_cb, g_object_ref (self));
}

static void
sign_in_finished_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(PcSignInDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (pc_session_finish_sign_in_finish (PC_SESSION (source), result, &error))
    {
      adw_dialog_force_close (ADW_DIALOG (self));
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (!g_cancellable_is_cancelled (self->cancellable))
        set_busy (self, FALSE, FALSE);
      return;
    }

  set_busy (self, FALSE, FALSE);
  show_gerror (self, error);
}

static void
browser_action_cb (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  PcSignInDialog *self = PC_SIGN_IN_DIALOG (widget);
  g_autofree char *api_url = NULL;
  g_autofree char *client_id = NULL;
  g_autoptr(GError) error = NULL;
  PcEnvironment environment = selected_environment (self);
  guint16 port = PC_OAUTH_DEFAULT_REDIRECT_PORT;
  const char *auth_url;

  show_error (self, NULL, NULL);
  api_url = dup_api_url (self);
  if (api_url == NULL)
    return;
  remember_environment (self);

  if (self->settings != NULL)
    {
      client_id = g_settings_get_string (self->settings, "client-id");
      /* A 16-bit key ("q"): g_settings_get_uint() only reads "u". */
      g_settings_get (self->settings, "redirect-port", "q", &port);
    }
  /* Empty: PhoneChat's own client. A project of the user's own signs in with PKCE
   * alone: its secret, if it has one, is not asked for. */
  if (client_id == NULL || client_id[0] == '\0')
    g_set_str (&client_id, PC_OAUTH_CLIENT_ID);

  /* A custom server does both: the API and the sign-in. */
  auth_url = environment == PC_ENVIRONMENT_CUSTOM ? api_url : pc_account_environment_get_auth_url (environment);

  g_clear_pointer (&self->authorize_url, g_free);
  self->authorize_url = pc_session_begin_sign_in (self->session, environment, api_url, auth_url,
                                                  client_id, port, &error);
  if (self->authorize_url == NULL)
    {
      show_gerror (self, error);
      return;
    }

  set_busy (self, TRUE, TRUE);
  show_browser_failed (self, FALSE);
  pc_session_finish_sign_in_async (self->session, self->cancellable, sign_in_finished_cb,
                                   g_object_ref (self));
  open_authorize_url (self);
}

static void
open_again_action_cb (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  PcSignInDialog *self = PC_SIGN_IN_DIALOG (widget);

  if (self->authorize_url != NULL)
    open_authorize_url (self);
}

static void
cancel_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  PcSignInDialog *self = PC_SIGN_IN_DIALOG (widget);

  /* Stops listening for the browser; the dialog stays, ready to try again. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  show_error (self, NULL, NULL);
  set_busy (self, FALSE, FALSE);
}

static void
token_checked_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(PcSignInDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  set_busy (self, FALSE, FALSE);
  if (pc_session_sign_in_with_token_finish (PC_SESSION (source), result, &error))
    {
      adw_dialog_force_close (ADW_DIALOG (self));
      return;
    }

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    show_gerror (self, error);
}

static void
on_token_apply_cb (PcSignInDialog *self)
{
  g_autofree char *api_url = NULL;
  g_autofree char *token = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->token_row))));

  show_error (self, NULL, NULL);
  if (token[0] == '\0')
    {
      show_error (self, _("Paste an access token first."), NULL);
      return;
    }

  api_url = dup_api_url (self);
  if (api_url == NULL)
    return;
  remember_environment (self);

  set_busy (self, FALSE, TRUE);
  pc_session_sign_in_with_token_async (self->session, selected_environment (self), api_url, token,
                                       self->cancellable, token_checked_cb, g_object_ref (self));
}

static void
pc_sign_in_dialog_constructed (GObject *object)
{
  PcSignInDialog *self = (PcSignInDialog *) object;

  G_OBJECT_CLASS (pc_sign_in_dialog_parent_class)->constructed (object);

  if (self->settings != NULL)
    {
      g_autofree char *environment = g_settings_get_string (self->settings, "environment");
      g_autofree char *custom_url = g_settings_get_string (self->settings, "custom-api-url");
      PcEnvironment value = PC_ENVIRONMENT_LIVE;

      pc_account_environment_from_string (environment, &value);
      adw_combo_row_set_selected (self->environment_row,
                                  value == PC_ENVIRONMENT_SANDBOX ? 1 :
                                  value == PC_ENVIRONMENT_CUSTOM ? 2 : 0);
      gtk_editable_set_text (GTK_EDITABLE (self->custom_url_row), custom_url);
    }
  on_environment_changed_cb (self);
}

static void
pc_sign_in_dialog_dispose (GObject *object)
{
  PcSignInDialog *self = (PcSignInDialog *) object;

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), PC_TYPE_SIGN_IN_DIALOG);
  g_clear_object (&self->session);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (pc_sign_in_dialog_parent_class)->dispose (object);
}

static void
pc_sign_in_dialog_finalize (GObject *object)
{
  PcSignInDialog *self = (PcSignInDialog *) object;

  g_free (self->authorize_url);
  g_free (self->error_text);

  G_OBJECT_CLASS (pc_sign_in_dialog_parent_class)->finalize (object);
}

static void
pc_sign_in_dialog_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  PcSignInDialog *self = PC_SIGN_IN_DIALOG (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pc_sign_in_dialog_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  PcSignInDialog *self = PC_SIGN_IN_DIALOG (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pc_sign_in_dialog_class_init (PcSignInDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = pc_sign_in_dialog_constructed;
  object_class->dispose = pc_sign_in_dialog_dispose;
  object_class->finalize = pc_sign_in_dialog_finalize;
  object_class->get_property = pc_sign_in_dialog_get_property;
  object_class->set_property = pc_sign_in_dialog_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, PC_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/PhoneChat/pc-sign-in-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, PcSignInDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, PcSignInDialog, waiting_page);
  gtk_widget_class_bind_template_child (widget_class, PcSignInDialog, address_label);
  gtk_widget_class_bind_template_child (widget_class, PcSignInDialog, environment_row);
  gtk_widget_class_bind_template_child (widget_class, PcSignInDialog, custom_url_row);
  gtk_widget_class_bind_template_child (widget_class, PcSignInDialog, token_row);
  gtk_widget_class_bind_template_child (widget_class, PcSignInDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, PcSignInDialog, details_label);
  gtk_widget_class_bind_template_callback (widget_class, on_environment_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_token_apply_cb);

  gtk_widget_class_install_action (widget_class, "sign-in.browser", NULL, browser_action_cb);
  gtk_widget_class_install_action (widget_class, "sign-in.open-again", NULL, open_again_action_cb);
  gtk_widget_class_install_action (widget_class, "sign-in.cancel", NULL, cancel_action_cb);
}

static void
pc_sign_in_dialog_init (PcSignInDialog *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Translators: what screen readers call the button that applies an entry's text */
  pc_entry_row_name_apply_button (ADW_ENTRY_ROW (self->token_row), _("Apply"));
  pc_password_entry_row_name_peek_button (self->token_row,
                                          /* Translators: what screen readers call the button that shows the hidden token */
                                          _("Show Token"),
                                          /* Translators: what screen readers call the button that hides the token again */
                                          _("Hide Token"));
}

/**
 * pc_sign_in_dialog_new:
 * @session: what signs in
 * @settings: (nullable): where the chosen server and the sign-in preferences are kept
 *
 * Returns: (transfer floating): the dialog; show it with adw_dialog_present()
 */
PcSignInDialog *
pc_sign_in_dialog_new (PcSession *session,
                       GSettings *settings)
{
  g_return_val_if_fail (PC_IS_SESSION (session), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  return g_object_new (PC_TYPE_SIGN_IN_DIALOG, "session", session, "settings", settings, NULL);
}

/**
 * pc_sign_in_dialog_get_error_text:
 *
 * Returns: (nullable): the sentence the dialog shows about a failure
 */
const char *
pc_sign_in_dialog_get_error_text (PcSignInDialog *self)
{
  g_return_val_if_fail (PC_IS_SIGN_IN_DIALOG (self), NULL);

  return self->error_text;
}

/**
 * pc_sign_in_dialog_get_authorize_url:
 *
 * Returns: (nullable): the sign-in page opened in the browser, while waiting for it
 */
const char *
pc_sign_in_dialog_get_authorize_url (PcSignInDialog *self)
{
  g_return_val_if_fail (PC_IS_SIGN_IN_DIALOG (self), NULL);

  return self->authorize_url;
}
