/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pc-reinvite-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "pc-api.h"
#include "pc-booking.h"
#include "pc-client.h"
#include "pc-format.h"
#include "pc-reason-editor.h"
#include "pc-reinvite-dialog.h"
#include "pc-reinviter.h"
#include "pc-window.h"
#include "pc-utils.h"

/**
 * PcReinviteDialog:
 *
 * Re-invites the client of one booking: it names the client and the session, says what
 * re-inviting does, and takes an optional reason, kept as the booking's draft in the
 * #PcReinviter as it is typed. `reinvite.send` (the Re-invite button, Ctrl+Enter) sends
 * through the reinviter, which sends at most one request per booking; `reinvite.cancel`
 * (the Cancel button, Escape) closes the dialog, or cancels the request in flight and
 * waits to learn whether it happened.
 *
 * On success the dialog closes and its parent #PcWindow shows a toast; the booking has
 * already been updated in place. On failure it stays open with the reason as typed and
 * a message that says what failed and what to do. Closing it by other means leaves a
 * request in flight alone: the application reports its result as a notification.
 */
struct _PcReinviteDialog
{
  AdwWindow       parent_instance;

  PcReinviter    *reinviter;
  PcBooking      *booking;
  gint64          booking_id;
  GCancellable   *cancellable;

  gboolean        busy;
  gboolean        cancelling;
  char           *error_text;

  /* Template widgets */
  PcReasonEditor *reason_editor;
  GtkWidget      *send_button;
  GtkWidget      *cancel_button;
  GtkRevealer    *message_revealer;
  GtkWidget      *message_box;
  GtkImage       *message_icon;
  GtkLabel       *message_label;
  GtkLabel       *details_label;
  GtkWidget      *progress_box;
  GtkSpinner     *spinner;
  GtkLabel       *progress_label;
};

G_DEFINE_FINAL_TYPE (PcReinviteDialog, pc_reinvite_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_REINVITER,
  PROP_BOOKING,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *
get_nickname (PcBooking *booking)
{
  PcClient *client = pc_booking_get_client (booking);
  const char *nickname = client != NULL ? pc_client_get_nickname (client) : NULL;

  return nickname != NULL && *nickname != '\0' ? nickname : NULL;
}

static void
update_actions (PcReinviteDialog *self)
{
  gboolean can_reinvite = self->booking != NULL && pc_booking_get_can_reinvite (self->booking);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "reinvite.send",
                                 !self->busy && can_reinvite && self->reinviter != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "reinvite.cancel", !self->cancelling);
  gtk_widget_set_sensitive (GTK_WIDGET (self->reason_editor), !self->busy);
}

static void
set_busy (PcReinviteDialog *self,
          gboolean          busy)
{
  if (!busy)
    self->cancelling = FALSE;

  gtk_widget_set_visible (self->progress_box, busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_label_set_text (self->progress_label,
                      self->cancelling ? _("Cancelling…") : _("Re-inviting…"));

  if (self->busy != busy)
    {
      self->busy = busy;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
    }

  update_actions (self);

  /* The reason editor had the focus and lost it when it became insensitive: give it
   * back, so that the keyboard can edit the reason and send again. */
  if (!busy && gtk_root_get_focus (GTK_ROOT (self)) == NULL)
    gtk_widget_grab_focus (GTK_WIDGET (self->reason_editor));
}

static void
show_message (PcReinviteDialog *self,
              gboolean          is_error,
              const char       *message,
              const char       *details)
{
  g_autofree char *text = NULL;

  gtk_label_set_text (self->message_label, message);
  gtk_label_set_text (self->details_label, details);
  gtk_widget_set_visible (GTK_WIDGET (self->details_label), details != NULL && *details != '\0');
  gtk_image_set_from_icon_name (self->message_icon,
                                is_error ? "dialog-error-symbolic" : "dialog-information-symbolic");
  if (is_error)
    gtk_widget_add_css_class (self->message_box, "error");
  else
    gtk_widget_remove_css_class (self->message_box, "error");
  gtk_revealer_set_reveal_child (self->message_revealer, TRUE);

  text = details != NULL && *details != '\0' ? g_strdup_printf ("%s %s", message, details)
                                             : g_strdup (message);
  g_free (self->error_text);
  self->error_text = is_error ? g_steal_pointer (&text) : NULL;
}

static void
hide_message (PcReinviteDialog *self)
{
  gtk_revealer_set_reveal_child (self->message_revealer, FALSE);
  g_clear_pointer (&self->error_text, g_free);
}

/* Why a booking that cannot be re-invited cannot, when there is no error to show. */
static void
update_blocker (PcReinviteDialog *self)
{
  if (self->booking == NULL || self->busy || self->error_text != NULL)
    return;

  if (pc_booking_get_can_reinvite (self->booking))
    hide_message (self);
  else
    show_message (self, FALSE, pc_booking_get_reinvite_blocker_text (self->booking), NULL);
}

/* What failed, and what to do about it. The API's own message, a sentence for people,
 * follows as the details. */
static void
show_error (PcReinviteDialog *self,
            const GError     *error)
{
  const char *message;
  const char *details = error->message;

  if (error->domain != PC_API_ERROR)
    message = _("Could not re-invite. Try again.");
  else
    switch ((PcApiError) error->code)
      {
      case PC_API_ERROR_UNAUTHORIZED:
      case PC_API_ERROR_NO_TOKEN:
        message = _("You are no longer signed in. Sign in again, then re-invite.");
        break;
      case PC_API_ERROR_FORBIDDEN:
        message = _("Your access token does not allow re-inviting. Sign in with a token that has the PhoneChat bookings permission.");
        break;
      case PC_API_ERROR_REJECTED:
      case PC_API_ERROR_NOT_FOUND:
        message = _("The booking has changed on the server and was not re-invited. Refresh the bookings to see its current state.");
        break;
      case PC_API_ERROR_CANNOT_CONNECT:
      case PC_API_ERROR_TIMED_OUT:
        message = _("PhoneChat cannot reach the server, so the client was not re-invited. Check your internet connection, then try again.");
        break;
      case PC_API_ERROR_OUTCOME_UNKNOWN:
        /* The details say what to do. */
        message = _("It is not known whether the client was re-invited.");
        break;
      /* A short sentence for the heading; the API's message, with the HTTP status and
       * what the server said, stays as the details below it. */
      case PC_API_ERROR_TLS:
        message = _("The server’s identity could not be verified, so PhoneChat did not send the re-invite.");
        break;
      case PC_API_ERROR_RATE_LIMITED:
        message = _("The server received too many requests and did not re-invite the client. Wait a minute, then try again.");
        break;
      case PC_API_ERROR_SERVER:
        message = _("The server had a problem with the re-invite. Try again later.");
        break;
      case PC_API_ERROR_HTTP:
      case PC_API_ERROR_NOT_JSON:
      case PC_API_ERROR_MALFORMED:
      case PC_API_ERROR_TOO_LARGE:
      case PC_API_ERROR_INSECURE:
      default:
        /* PcApi's messages say what failed in a sentence for people. */
        message = error->message;
        details = NULL;
        break;
      }

  show_message (self, TRUE, message, details);
}

static PcWindow *
get_parent_window (PcReinviteDialog *self)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));

  return PC_IS_WINDOW (parent) ? PC_WINDOW (parent) : NULL;
}

/* The nickname for a toast title, which is markup in libadwaita 1.2: escaped. */
static char *
dup_escaped_nickname (PcBooking *booking)
{
  const char *nickname = get_nickname (booking);
  g_autofree char *fallback = NULL;

  if (nickname == NULL)
    {
      g_autofree char *id = pc_booking_id_to_string (pc_booking_get_booking_id (booking));

      /* Translators: stands for a client whose nickname is unknown; %s is a BookingID */
      fallback = g_strdup_printf (_("The client of booking %s"), id);
      nickname = fallback;
    }

  return g_markup_escape_text (nickname, -1);
}

/* @title: (transfer full): escaped markup */
static void
add_toast (PcReinviteDialog *self,
           char             *title)
{
  PcWindow *window = get_parent_window (self);

  if (window != NULL)
    pc_window_add_toast (window, adw_toast_new (title));
  g_free (title);
}

static char *
format_session_cb (PcReinviteDialog *self,
                   GDateTime        *session_date,
                   int               duration,
                   gint64            credits)
{
  g_autofree char *date = session_date != NULL ? pc_format_date_time (session_date) : NULL;
  g_autofree char *minutes = pc_format_duration (duration);
  g_autofree char *amount = pc_format_credits (credits);

  if (date == NULL)
    /* Translators: a booking's duration and price, e.g. "10 minutes · 15.00 credits" */
    return g_strdup_printf (_("%s · %s"), minutes, amount);

  /* Translators: a session's date, duration and price, e.g.
   * "Sat 14 Jun 2025, 20:30 · 10 minutes · 15.00 credits" */
  return g_strdup_printf (_("%s · %s · %s"), date, minutes, amount);
}

static char *
format_explanation_cb (PcReinviteDialog *self,
                       const char       *nickname)
{
  if (nickname == NULL || *nickname == '\0')
    return g_strdup (_("The booking will be rejected and the client invited to book again."));

  /* Translators: %s is the client's nickname */
  return g_strdup_printf (_("The booking will be rejected and %s invited to book again."),
                          nickname);
}

static void
on_reason_changed_cb (PcReinviteDialog *self)
{
  g_autofree char *text = NULL;

  if (self->reinviter == NULL || self->booking_id == 0)
    return;

  /* Kept until the application quits, so that closing the dialog loses nothing. */
  text = pc_reason_editor_dup_text (self->reason_editor);
  pc_reinviter_set_draft (self->reinviter, self->booking_id, text);
}

static void
reinviter_started_cb (PcReinviteDialog *self,
                      PcBooking        *booking,
                      PcReinviter      *reinviter)
{
  if (pc_booking_get_booking_id (booking) != self->booking_id)
    return;

  hide_message (self);
  set_busy (self, TRUE);
}

static void
reinviter_finished_cb (PcReinviteDialog *self,
                       PcBooking        *booking,
                       const GError     *error,
                       PcReinviter      *reinviter)
{
  gboolean was_cancelling = self->cancelling;

  if (pc_booking_get_booking_id (booking) != self->booking_id)
    return;

  set_busy (self, FALSE);

  if (error == NULL)
    {
      g_autofree char *nickname = dup_escaped_nickname (booking);

      /* Translators: a toast; %s is the client's nickname */
      add_toast (self, g_strdup_printf (_("%s was re-invited"), nickname));
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* The booking was read again after the cancel and still shows as pending. */
      if (was_cancelling)
        {
          g_autofree char *nickname = dup_escaped_nickname (booking);

          /* Translators: a toast; %s is the client's nickname */
          add_toast (self, g_strdup_printf (_("Re-invite cancelled: %s’s booking is still pending"),
                                            nickname));
          gtk_window_destroy (GTK_WINDOW (self));
        }
      return;
    }

  g_debug ("Re-invite of booking %" G_GINT64_FORMAT " failed: %s", self->booking_id,
           error->message);
  show_error (self, error);
}

static void
booking_can_reinvite_cb (PcReinviteDialog *self)
{
  update_actions (self);
  update_blocker (self);
}

static void
send_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PcReinviteDialog *self = PC_REINVITE_DIALOG (widget);
  g_autofree char *reason = NULL;

  if (self->busy || self->reinviter == NULL)
    return;

  reason = pc_reason_editor_dup_text (self->reason_editor);
  hide_message (self);

  /* The reinviter refuses a second request for the same booking, e.g. one started from a
   * notification: then this dialog just follows it. */
  if (!pc_reinviter_start (self->reinviter, self->booking, reason))
    set_busy (self, pc_reinviter_is_busy_for (self->reinviter, self->booking_id));
}

static void
cancel_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  PcReinviteDialog *self = PC_REINVITE_DIALOG (widget);

  if (!self->busy)
    {
      gtk_window_close (GTK_WINDOW (self));
      return;
    }

  /* The request may already have reached the server: the reinviter finds out, and the
   * dialog closes once it knows (or shows what it could not learn). */
  self->cancelling = TRUE;
  set_busy (self, TRUE);
  pc_reinviter_cancel (self->reinviter, self->booking_id);
}

static void
pc_reinvite_dialog_constructed (GObject *object)
{
  PcReinviteDialog *self = (PcReinviteDialog *) object;

  G_OBJECT_CLASS (pc_reinvite_dialog_parent_class)->constructed (object);

  g_assert (PC_IS_BOOKING (self->booking));

  self->booking_id = pc_booking_get_booking_id (self->booking);
  g_signal_connect_object (self->booking, "notify::can-reinvite",
                           G_CALLBACK (booking_can_reinvite_cb), self, G_CONNECT_SWAPPED);

  if (self->reinviter != NULL)
    {
      pc_reason_editor_set_text (self->reason_editor,
                                 pc_reinviter_get_draft (self->reinviter, self->booking_id));
      g_signal_connect_object (self->reinviter, "started",
                               G_CALLBACK (reinviter_started_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->reinviter, "finished",
                               G_CALLBACK (reinviter_finished_cb), self, G_CONNECT_SWAPPED);
      set_busy (self, pc_reinviter_is_busy_for (self->reinviter, self->booking_id));
    }
  else
    set_busy (self, FALSE);

  update_blocker (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->reason_editor));
}

static void
pc_reinvite_dialog_dispose (GObject *object)
{
  PcReinviteDialog *self = (PcReinviteDialog *) object;

  g_cancellable_cancel (self->cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), PC_TYPE_REINVITE_DIALOG);

  g_clear_object (&self->reinviter);
  g_clear_object (&self->booking);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (pc_reinvite_dialog_parent_class)->dispose (object);
}

static void
pc_reinvite_dialog_finalize (GObject *object)
{
  PcReinviteDialog *self = (PcReinviteDialog *) object;

  g_clear_pointer (&self->error_text, g_free);

  G_OBJECT_CLASS (pc_reinvite_dialog_parent_class)->finalize (object);
}

static void
pc_reinvite_dialog_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  PcReinviteDialog *self = PC_REINVITE_DIALOG (object);

  switch (prop_id)
    {
    case PROP_REINVITER:
      g_value_set_object (value, self->reinviter);
      break;
    case PROP_BOOKING:
      g_value_set_object (value, self->booking);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pc_reinvite_dialog_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  PcReinviteDialog *self = PC_REINVITE_DIALOG (object);

  switch (prop_id)
    {
    case PROP_REINVITER:
      self->reinviter = g_value_dup_object (value);
      break;
    case PROP_BOOKING:
      self->booking = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pc_reinvite_dialog_class_init (PcReinviteDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = pc_reinvite_dialog_constructed;
  object_class->dispose = pc_reinvite_dialog_dispose;
  object_class->finalize = pc_reinvite_dialog_finalize;
  object_class->get_property = pc_reinvite_dialog_get_property;
  object_class->set_property = pc_reinvite_dialog_set_property;

  properties[PROP_REINVITER] =
    g_param_spec_object ("reinviter", NULL, NULL, PC_TYPE_REINVITER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BOOKING] =
    g_param_spec_object ("booking", NULL, NULL, PC_TYPE_BOOKING,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * PcReinviteDialog:busy:
   *
   * Whether a re-invite of the booking is in flight (also one this dialog did not start).
   */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (PC_TYPE_BOOKING);
  g_type_ensure (PC_TYPE_CLIENT);
  g_type_ensure (PC_TYPE_REASON_EDITOR);

  /* Announced as a dialog, with its title, rather than as a plain window (see also
   * the instance init). */
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_DIALOG);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/PhoneChat/pc-reinvite-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, PcReinviteDialog, reason_editor);
  gtk_widget_class_bind_template_child (widget_class, PcReinviteDialog, send_button);
  gtk_widget_class_bind_template_child (widget_class, PcReinviteDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, PcReinviteDialog, message_revealer);
  gtk_widget_class_bind_template_child (widget_class, PcReinviteDialog, message_box);
  gtk_widget_class_bind_template_child (widget_class, PcReinviteDialog, message_icon);
  gtk_widget_class_bind_template_child (widget_class, PcReinviteDialog, message_label);
  gtk_widget_class_bind_template_child (widget_class, PcReinviteDialog, details_label);
  gtk_widget_class_bind_template_child (widget_class, PcReinviteDialog, progress_box);
  gtk_widget_class_bind_template_child (widget_class, PcReinviteDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, PcReinviteDialog, progress_label);
  /* Reachable with gtk_widget_get_template_child(), for tests. */
  gtk_widget_class_bind_template_child_full (widget_class, "nickname_label", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "session_label", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "explanation_label", FALSE, 0);
  gtk_widget_class_bind_template_callback (widget_class, format_session_cb);
  gtk_widget_class_bind_template_callback (widget_class, format_explanation_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_reason_changed_cb);

  gtk_widget_class_install_action (widget_class, "reinvite.send", NULL, send_action_cb);
  gtk_widget_class_install_action (widget_class, "reinvite.cancel", NULL, cancel_action_cb);
}

static void
pc_reinvite_dialog_init (PcReinviteDialog *self)
{
  self->cancellable = g_cancellable_new ();

  /* GTK 4.8 creates the accessible context in GtkWidget's init with the generic role,
   * and applies the class role only when the widget itself is realized. Setting up the
   * dialog (focus, sensitivity) realizes the context before that, and AT-SPI then saw a
   * "filler". The property is construct-only, and we are still constructing. */
  g_object_set (self, "accessible-role", GTK_ACCESSIBLE_ROLE_DIALOG, NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  if (g_str_has_suffix (APP_ID, ".Devel"))
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}

/**
 * pc_reinvite_dialog_new:
 * @parent: (nullable): the window the dialog belongs to; a #PcWindow shows the toasts
 * @reinviter: (nullable): what sends the re-invite and keeps the draft; %NULL when signed
 *   out (the dialog then cannot send)
 * @booking: the booking whose client to re-invite (the store's object, so that the dialog
 *   follows its changes)
 */
PcReinviteDialog *
pc_reinvite_dialog_new (GtkWindow   *parent,
                        PcReinviter *reinviter,
                        PcBooking   *booking)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (reinviter == NULL || PC_IS_REINVITER (reinviter), NULL);
  g_return_val_if_fail (PC_IS_BOOKING (booking), NULL);

  return g_object_new (PC_TYPE_REINVITE_DIALOG,
                       "transient-for", parent,
                       "reinviter", reinviter,
                       "booking", booking,
                       NULL);
}

/**
 * pc_reinvite_dialog_get_reinviter:
 *
 * Returns: (transfer none) (nullable): the reinviter
 */
PcReinviter *
pc_reinvite_dialog_get_reinviter (PcReinviteDialog *self)
{
  g_return_val_if_fail (PC_IS_REINVITE_DIALOG (self), NULL);

  return self->reinviter;
}

/**
 * pc_reinvite_dialog_get_booking:
 *
 * Returns: (transfer none): the booking
 */
PcBooking *
pc_reinvite_dialog_get_booking (PcReinviteDialog *self)
{
  g_return_val_if_fail (PC_IS_REINVITE_DIALOG (self), NULL);

  return self->booking;
}

gboolean
pc_reinvite_dialog_get_busy (PcReinviteDialog *self)
{
  g_return_val_if_fail (PC_IS_REINVITE_DIALOG (self), FALSE);

  return self->busy;
}

/**
 * pc_reinvite_dialog_dup_reason:
 *
 * Returns: (transfer full): the reason as typed
 */
char *
pc_reinvite_dialog_dup_reason (PcReinviteDialog *self)
{
  g_return_val_if_fail (PC_IS_REINVITE_DIALOG (self), NULL);

  return pc_reason_editor_dup_text (self->reason_editor);
}

/**
 * pc_reinvite_dialog_set_reason:
 * @reason: (nullable): the reason, as if typed
 */
void
pc_reinvite_dialog_set_reason (PcReinviteDialog *self,
                               const char       *reason)
{
  g_return_if_fail (PC_IS_REINVITE_DIALOG (self));

  pc_reason_editor_set_text (self->reason_editor, reason);
}

/**
 * pc_reinvite_dialog_get_error_text:
 *
 * Returns: (nullable): the error message shown (with its details), or %NULL
 */
const char *
pc_reinvite_dialog_get_error_text (PcReinviteDialog *self)
{
  g_return_val_if_fail (PC_IS_REINVITE_DIALOG (self), NULL);

  return self->error_text;
}
