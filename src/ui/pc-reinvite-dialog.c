/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pc-reinvite-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "pc-api.h"
#include "pc-booking.h"
#include "pc-client.h"
#include "pc-describe.h"
#include "pc-error.h"
#include "pc-format.h"
#include "pc-reason-editor.h"
#include "pc-reinvite-dialog.h"
#include "pc-reinviter.h"
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
 * It is an #AdwDialog: adw_dialog_present() shows it inside the window, as a bottom
 * sheet when the window is narrow. It knows nothing of the window; the application tells
 * the user the result (a toast in the active window, else a notification).
 *
 * On success the dialog closes; the booking has already been updated in place. On
 * failure it stays open with the reason as typed, one sentence that says what happened
 * and what to do, and below it, smaller, the technical details (the HTTP status, what
 * the server said). While a re-invite is in flight #AdwDialog:can-close is %FALSE: the
 * dialog cannot be closed and lose track of it. Trying to (#AdwDialog::close-attempt,
 * e.g. adw_dialog_close()) does what Cancel does: it cancels the request, and the dialog
 * closes once the reinviter knows whether the booking was re-invited. Only
 * adw_dialog_force_close() or the window going away closes it earlier; the request then
 * goes on and the application reports its result.
 */
struct _PcReinviteDialog
{
  AdwDialog       parent_instance;

  PcReinviter    *reinviter;
  PcReasonDrafts *drafts;
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
  GtkLabel       *progress_label;
};

G_DEFINE_FINAL_TYPE (PcReinviteDialog, pc_reinvite_dialog, ADW_TYPE_DIALOG)

enum {
  PROP_0,
  PROP_REINVITER,
  PROP_DRAFTS,
  PROP_BOOKING,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update_actions (PcReinviteDialog *self)
{
  gboolean can_reinvite = self->booking != NULL && pc_booking_get_can_reinvite (self->booking);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "reinvite.send",
                                 !self->busy && can_reinvite && self->reinviter != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "reinvite.cancel", !self->cancelling);
  gtk_widget_set_sensitive (GTK_WIDGET (self->reason_editor), !self->busy);
  /* Closing now would lose track of the request: a close attempt cancels it instead. */
  adw_dialog_set_can_close (ADW_DIALOG (self), !self->busy);
}

/* Whether the dialog is shown (presented and not closed yet). */
static gboolean
is_presented (PcReinviteDialog *self)
{
  return gtk_widget_get_parent (GTK_WIDGET (self)) != NULL;
}

static void
close_dialog (PcReinviteDialog *self)
{
  if (is_presented (self))
    adw_dialog_close (ADW_DIALOG (self));
}

/* AdwDialog takes the content's height when it is presented and keeps it: the message and
 * the progress that appear later need it measured again. */
static void
update_height (PcReinviteDialog *self)
{
  if (gtk_widget_get_root (GTK_WIDGET (self)) != NULL)
    adw_dialog_set_content_height (ADW_DIALOG (self), -1);
}

/* The reason editor had the focus and lost it when it became insensitive: give it back,
 * so that the keyboard can edit the reason and send again. */
static void
restore_focus (PcReinviteDialog *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  if (gtk_widget_get_mapped (GTK_WIDGET (self)) &&
      (focus == NULL || !gtk_widget_is_ancestor (focus, GTK_WIDGET (self))))
    gtk_widget_grab_focus (GTK_WIDGET (self->reason_editor));
}

static void
set_busy (PcReinviteDialog *self,
          gboolean          busy)
{
  if (!busy)
    self->cancelling = FALSE;

  /* The spinner spins while it is shown. */
  gtk_widget_set_visible (self->progress_box, busy);
  gtk_label_set_text (self->progress_label,
                      self->cancelling ? _("Cancelling…") : _("Re-inviting…"));

  if (self->busy != busy)
    {
      self->busy = busy;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
    }

  update_actions (self);
  update_height (self);
}

/* @message and @details are plain text (server text included), never markup. */
static void
show_message (PcReinviteDialog *self,
              gboolean          is_error,
              const char       *message,
              const char       *details)
{
  g_autofree char *text = NULL;

  gtk_label_set_text (self->message_label, message);
  gtk_label_set_text (self->details_label, details != NULL ? details : "");
  gtk_widget_set_visible (GTK_WIDGET (self->details_label), details != NULL && *details != '\0');
  gtk_image_set_from_icon_name (self->message_icon,
                                is_error ? "dialog-error-symbolic" : "dialog-information-symbolic");
  if (is_error)
    gtk_widget_add_css_class (self->message_box, "error");
  else
    gtk_widget_remove_css_class (self->message_box, "error");
  gtk_revealer_set_reveal_child (self->message_revealer, TRUE);
  update_height (self);

  text = details != NULL && *details != '\0' ? g_strdup_printf ("%s\n%s", message, details)
                                             : g_strdup (message);
  g_free (self->error_text);
  self->error_text = is_error ? g_steal_pointer (&text) : NULL;
}

static void
hide_message (PcReinviteDialog *self)
{
  gtk_revealer_set_reveal_child (self->message_revealer, FALSE);
  g_clear_pointer (&self->error_text, g_free);
  update_height (self);
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

/* What happened and what to do, in one sentence; the API's own message (the HTTP status,
 * what the server said) as the details below it. */
static void
show_error (PcReinviteDialog *self,
            const GError     *error)
{
  g_autofree char *sentence = NULL;
  g_autofree char *details = NULL;

  pc_error_describe (error, PC_ERROR_TASK_REINVITE, NULL, NULL, &sentence);
  details = pc_error_dup_details (error, sentence);
  show_message (self, TRUE, sentence, details);
  /* Nothing else tells it (the application leaves the result to this dialog), and the
   * focus goes back to the reason: screen readers are told here, at once. */
  gtk_accessible_announce (GTK_ACCESSIBLE (self), sentence,
                           GTK_ACCESSIBLE_ANNOUNCEMENT_PRIORITY_HIGH);
}

static char *
format_client_cb (PcReinviteDialog *self,
                  const char       *nickname,
                  gint64            booking_id)
{
  return pc_describe_client_name (nickname, booking_id);
}

static char *
format_session_cb (PcReinviteDialog *self,
                   GDateTime        *session_date,
                   int               duration,
                   gint64            credits)
{
  return pc_format_session_summary (session_date, duration, credits);
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

  if (self->drafts == NULL || self->booking_id == 0)
    return;

  /* Kept until the application quits, so that closing the dialog loses nothing. */
  text = pc_reason_editor_dup_text (self->reason_editor);
  pc_reason_drafts_set (self->drafts, self->booking_id, text);
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

  /* The application tells the user the result (a toast or a notification). */
  if (error == NULL)
    {
      close_dialog (self);
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* The booking was read again after the cancel and still shows as pending. */
      if (was_cancelling)
        close_dialog (self);
      else
        restore_focus (self);
      return;
    }

  g_debug ("Re-invite of booking %" G_GINT64_FORMAT " failed: %s", self->booking_id,
           error->message);
  show_error (self, error);
  restore_focus (self);
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
cancel (PcReinviteDialog *self)
{
  if (!self->busy)
    {
      close_dialog (self);
      return;
    }

  if (self->cancelling)
    return;

  /* The request may already have reached the server: the reinviter finds out, and the
   * dialog closes once it knows (or shows what it could not learn). */
  self->cancelling = TRUE;
  set_busy (self, TRUE);
  pc_reinviter_cancel (self->reinviter, self->booking_id);
}

static void
cancel_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  cancel (PC_REINVITE_DIALOG (widget));
}

/* Only while busy (can-close is FALSE then): as Cancel. */
static void
on_close_attempt_cb (PcReinviteDialog *self)
{
  cancel (self);
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

  if (self->drafts != NULL)
    pc_reason_editor_set_text (self->reason_editor,
                               pc_reason_drafts_get (self->drafts, self->booking_id));
  if (self->reinviter != NULL)
    {
      g_signal_connect_object (self->reinviter, "started",
                               G_CALLBACK (reinviter_started_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->reinviter, "finished",
                               G_CALLBACK (reinviter_finished_cb), self, G_CONNECT_SWAPPED);
      set_busy (self, pc_reinviter_is_busy_for (self->reinviter, self->booking_id));
    }
  else
    set_busy (self, FALSE);

  update_blocker (self);
  /* What AdwDialog focuses when it is presented. */
  adw_dialog_set_focus (ADW_DIALOG (self), GTK_WIDGET (self->reason_editor));
}

static void
pc_reinvite_dialog_dispose (GObject *object)
{
  PcReinviteDialog *self = (PcReinviteDialog *) object;

  g_cancellable_cancel (self->cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), PC_TYPE_REINVITE_DIALOG);

  g_clear_object (&self->reinviter);
  g_clear_object (&self->drafts);
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
    case PROP_DRAFTS:
      g_value_set_object (value, self->drafts);
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
    case PROP_DRAFTS:
      self->drafts = g_value_dup_object (value);
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
  properties[PROP_DRAFTS] =
    g_param_spec_object ("drafts", NULL, NULL, PC_TYPE_REASON_DRAFTS,
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

  /* AdwDialog is announced as a dialog, with its title. */
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
  gtk_widget_class_bind_template_child_full (widget_class, "spinner", FALSE, 0);
  gtk_widget_class_bind_template_child (widget_class, PcReinviteDialog, progress_label);
  /* Reachable with gtk_widget_get_template_child(), for tests. */
  gtk_widget_class_bind_template_child_full (widget_class, "nickname_label", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "session_label", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "explanation_label", FALSE, 0);
  gtk_widget_class_bind_template_callback (widget_class, format_client_cb);
  gtk_widget_class_bind_template_callback (widget_class, format_session_cb);
  gtk_widget_class_bind_template_callback (widget_class, format_explanation_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_reason_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_close_attempt_cb);

  gtk_widget_class_install_action (widget_class, "reinvite.send", NULL, send_action_cb);
  gtk_widget_class_install_action (widget_class, "reinvite.cancel", NULL, cancel_action_cb);
}

static void
pc_reinvite_dialog_init (PcReinviteDialog *self)
{
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * pc_reinvite_dialog_new:
 * @reinviter: (nullable): what sends the re-invite; %NULL when signed out (the dialog then
 *   cannot send)
 * @drafts: (nullable): where the reason being typed is kept, so that closing the dialog
 *   loses nothing
 * @booking: the booking whose client to re-invite (the store's object, so that the dialog
 *   follows its changes)
 *
 * Show it with adw_dialog_present(); #AdwDialog::closed says when it has gone.
 *
 * Returns: (transfer floating): the dialog
 */
PcReinviteDialog *
pc_reinvite_dialog_new (PcReinviter    *reinviter,
                        PcReasonDrafts *drafts,
                        PcBooking      *booking)
{
  g_return_val_if_fail (reinviter == NULL || PC_IS_REINVITER (reinviter), NULL);
  g_return_val_if_fail (drafts == NULL || PC_IS_REASON_DRAFTS (drafts), NULL);
  g_return_val_if_fail (PC_IS_BOOKING (booking), NULL);

  return g_object_new (PC_TYPE_REINVITE_DIALOG,
                       "reinviter", reinviter,
                       "drafts", drafts,
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
 * Returns: (nullable): the error shown: the sentence, then on a line of their own the
 *   details if any; %NULL when no error is shown
 */
const char *
pc_reinvite_dialog_get_error_text (PcReinviteDialog *self)
{
  g_return_val_if_fail (PC_IS_REINVITE_DIALOG (self), NULL);

  return self->error_text;
}
