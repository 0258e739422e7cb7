/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pc-batch-reinvite-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "pc-api.h"
#include "pc-batch-reinvite-dialog.h"
#include "pc-booking.h"
#include "pc-describe.h"
#include "pc-error.h"
#include "pc-reason-editor.h"
#include "pc-reinviter.h"
#include "pc-utils.h"

/**
 * PcBatchReinviteDialog:
 *
 * Re-invites the clients of several bookings with one reason. It lists the bookings,
 * saying which cannot be re-invited and will be skipped, and sends them as one
 * #PcReinviter batch (at most %PC_REINVITER_MAX_IN_FLIGHT requests at once). While the
 * batch runs, a progress bar counts the requests ("3 of 7") and each row shows its
 * booking's outcome as it arrives; at the end, a summary. A failure reads as one
 * sentence, with the technical details (the HTTP status, what the server said) below it
 * in smaller type.
 *
 * When some re-invites failed and are known not to have happened, `batch.retry-failed`
 * (Retry Failed) sends those again, once per activation, as a new batch; bookings that
 * were re-invited, skipped, cancelled, or whose outcome is unknown are never sent again.
 *
 * It is an #AdwDialog, shown with adw_dialog_present(). `batch.cancel` (Cancel, Escape)
 * cancels a running batch, else closes. While a batch runs #AdwDialog:can-close is
 * %FALSE, and a close attempt cancels the batch as Cancel does; the dialog then shows
 * what happened. The application reports the summary (a toast or a notification).
 */

typedef enum
{
  STATE_READY,
  STATE_RUNNING,
  STATE_FINISHED,
} State;

typedef struct
{
  GtkWidget *row;
  GtkLabel  *status_label;
  GtkLabel  *details_label;
  GtkImage  *icon;
  char      *nickname;
  char      *status;  /* the row's outcome text, for tests and accessibility */
} BatchRow;

struct _PcBatchReinviteDialog
{
  AdwDialog        parent_instance;

  PcReinviter     *reinviter;
  GPtrArray       *bookings;   /* PcBooking, distinct */
  GHashTable      *rows;       /* gint64 * → BatchRow * */
  PcReinviteBatch *result;
  GCancellable    *cancellable;
  State            state;
  gboolean         cancelling;
  guint            n_eligible;
  guint            n_retryable;

  /* Template widgets */
  GtkWidget       *cancel_button;
  GtkStack        *button_stack;
  GtkStack        *top_stack;
  GtkLabel        *summary_label;
  PcReasonEditor  *reason_editor;
  GtkLabel        *status_label;
  GtkProgressBar  *progress_bar;
  GtkWidget       *retry_button;
  GtkListBox      *list_box;
};

G_DEFINE_FINAL_TYPE (PcBatchReinviteDialog, pc_batch_reinvite_dialog, ADW_TYPE_DIALOG)

enum {
  PROP_0,
  PROP_REINVITER,
  PROP_BOOKINGS,
  PROP_RUNNING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
batch_row_free (gpointer data)
{
  BatchRow *batch_row = data;

  g_free (batch_row->nickname);
  g_free (batch_row->status);
  g_free (batch_row);
}

static PcBooking *
find_booking (PcBatchReinviteDialog *self,
              gint64                 booking_id)
{
  for (guint i = 0; i < self->bookings->len; i++)
    {
      PcBooking *booking = g_ptr_array_index (self->bookings, i);

      if (pc_booking_get_booking_id (booking) == booking_id)
        return booking;
    }

  return NULL;
}

/* @status and @details are plain text (server text included), never markup. */
static void
set_row (PcBatchReinviteDialog *self,
         gint64                 booking_id,
         const char            *icon_name,
         const char            *style,
         const char            *status,
         const char            *details)
{
  BatchRow *batch_row = g_hash_table_lookup (self->rows, &booking_id);
  static const char * const styles[] = { "success", "error", "dim-label", NULL };
  gboolean has_details = details != NULL && *details != '\0';

  if (batch_row == NULL)
    return;

  g_free (batch_row->status);
  batch_row->status = g_strdup (status);
  gtk_label_set_text (batch_row->status_label, status);
  /* What went wrong reads as a sentence; the rest is a row's subtitle. */
  if (g_strcmp0 (style, "error") == 0)
    gtk_widget_remove_css_class (GTK_WIDGET (batch_row->status_label), "dim-label");
  else
    gtk_widget_add_css_class (GTK_WIDGET (batch_row->status_label), "dim-label");
  gtk_label_set_text (batch_row->details_label, has_details ? details : "");
  gtk_widget_set_visible (GTK_WIDGET (batch_row->details_label), has_details);

  /* Screen readers hear the row as "nickname", then what happened to it. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (batch_row->row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, batch_row->nickname,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, status,
                                  -1);

  gtk_widget_set_visible (GTK_WIDGET (batch_row->icon), icon_name != NULL);
  if (icon_name != NULL)
    gtk_image_set_from_icon_name (batch_row->icon, icon_name);
  for (guint i = 0; styles[i] != NULL; i++)
    gtk_widget_remove_css_class (GTK_WIDGET (batch_row->icon), styles[i]);
  if (style != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (batch_row->icon), style);
}

static void
set_row_failed (PcBatchReinviteDialog *self,
                gint64                 booking_id,
                const GError          *error,
                const char            *message)
{
  g_autoptr(GError) unknown = NULL;
  g_autofree char *sentence = NULL;
  g_autofree char *details = NULL;

  /* Without an error, the message alone reads as the details of a failure of no known
   * kind, in pc-error's words like every other. */
  if (error == NULL)
    error = unknown = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED,
                                           message != NULL ? message : "");

  pc_error_describe (error, PC_ERROR_TASK_REINVITE, NULL, NULL, &sentence);
  details = pc_error_dup_details (error, sentence);
  set_row (self, booking_id, "dialog-error-symbolic", "error", sentence, details);
}

static void
set_row_outcome (PcBatchReinviteDialog *self,
                 gint64                 booking_id,
                 PcReinviteOutcome      outcome,
                 const char            *message,
                 const GError          *error)
{
  g_autofree char *text = NULL;

  switch (outcome)
    {
    case PC_REINVITE_OUTCOME_SUCCEEDED:
      set_row (self, booking_id, "object-select-symbolic", "success", _("Re-invited"), NULL);
      break;
    case PC_REINVITE_OUTCOME_FAILED:
      set_row_failed (self, booking_id, error, message);
      break;
    case PC_REINVITE_OUTCOME_SKIPPED:
      /* Translators: %s says why a booking was not re-invited */
      text = g_strdup_printf (_("Skipped: %s"), message != NULL ? message : "");
      set_row (self, booking_id, "action-unavailable-symbolic", "dim-label", text, NULL);
      break;
    case PC_REINVITE_OUTCOME_CANCELLED:
    default:
      set_row (self, booking_id, "process-stop-symbolic", "dim-label",
               /* Translators: the user stopped the batch before this booking */
               C_("operation stopped", "Cancelled"), NULL);
      break;
    }
}

/* Whether a failed re-invite is known not to have happened, so that sending it again
 * cannot re-invite a client twice. An answer that was lost or could not be read leaves
 * that unknown. */
static gboolean
failure_is_retryable (const GError *error)
{
  if (error == NULL || error->domain != PC_API_ERROR)
    return FALSE;

  switch ((PcApiError) error->code)
    {
    case PC_API_ERROR_OUTCOME_UNKNOWN:
    case PC_API_ERROR_NOT_JSON:
    case PC_API_ERROR_MALFORMED:
    case PC_API_ERROR_TOO_LARGE:
      return FALSE;
    case PC_API_ERROR_CANNOT_CONNECT:
    case PC_API_ERROR_TIMED_OUT:
    case PC_API_ERROR_TLS:
    case PC_API_ERROR_UNAUTHORIZED:
    case PC_API_ERROR_FORBIDDEN:
    case PC_API_ERROR_NOT_FOUND:
    case PC_API_ERROR_REJECTED:
    case PC_API_ERROR_RATE_LIMITED:
    case PC_API_ERROR_SERVER:
    case PC_API_ERROR_HTTP:
    case PC_API_ERROR_INSECURE:
    case PC_API_ERROR_NO_TOKEN:
    default:
      return TRUE;
    }
}

/* The bookings that Retry Failed sends: those whose re-invite failed and is known not to
 * have happened, and that can still be re-invited (a refused one was read again). */
static GPtrArray *
dup_retryable (PcBatchReinviteDialog *self)
{
  GPtrArray *retry = g_ptr_array_new_with_free_func (g_object_unref);
  guint n;

  if (self->result == NULL)
    return retry;

  n = pc_reinvite_batch_get_n_items (self->result);
  for (guint i = 0; i < n; i++)
    {
      PcBooking *booking;

      if (pc_reinvite_batch_get_outcome (self->result, i) != PC_REINVITE_OUTCOME_FAILED ||
          !failure_is_retryable (pc_reinvite_batch_get_error (self->result, i)))
        continue;

      booking = find_booking (self, pc_reinvite_batch_get_booking_id (self->result, i));
      if (booking != NULL && pc_booking_get_can_reinvite (booking))
        g_ptr_array_add (retry, g_object_ref (booking));
    }

  return retry;
}

static void
update_actions (PcBatchReinviteDialog *self)
{
  gboolean can_retry = self->state == STATE_FINISHED && self->n_retryable > 0 &&
                       self->reinviter != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "batch.send",
                                 self->state == STATE_READY && self->n_eligible > 0 &&
                                 self->reinviter != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "batch.retry-failed", can_retry);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "batch.cancel", !self->cancelling);
  gtk_widget_set_visible (self->retry_button, can_retry);
  gtk_widget_set_sensitive (GTK_WIDGET (self->reason_editor), self->state == STATE_READY);
  gtk_widget_set_visible (self->cancel_button, self->state != STATE_FINISHED);
  gtk_stack_set_visible_child_name (self->button_stack,
                                    self->state == STATE_FINISHED ? "close" : "send");
  /* Closing now would lose track of the batch: a close attempt cancels it instead. */
  adw_dialog_set_can_close (ADW_DIALOG (self), self->state != STATE_RUNNING);
}

static void
set_state (PcBatchReinviteDialog *self,
           State                  state)
{
  gboolean was_running = self->state == STATE_RUNNING;

  self->state = state;
  if (state != STATE_RUNNING)
    self->cancelling = FALSE;
  update_actions (self);

  if (was_running != (state == STATE_RUNNING))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

static void
update_summary (PcBatchReinviteDialog *self)
{
  guint n = self->bookings->len;
  guint n_skipped = n - self->n_eligible;
  g_autoptr(GString) text = g_string_new (NULL);

  if (self->n_eligible == 0)
    g_string_append (text, ngettext ("This booking cannot be re-invited.",
                                     "None of these bookings can be re-invited.", n));
  else
    {
      g_string_append_printf (text,
                              ngettext ("%u booking will be rejected and its client invited to book again.",
                                        "%u bookings will be rejected and their clients invited to book again.",
                                        self->n_eligible),
                              self->n_eligible);
      if (n_skipped > 0)
        {
          g_string_append_c (text, ' ');
          g_string_append_printf (text,
                                  ngettext ("%u booking cannot be re-invited and will be skipped.",
                                            "%u bookings cannot be re-invited and will be skipped.",
                                            n_skipped),
                                  n_skipped);
        }
    }

  gtk_label_set_text (self->summary_label, text->str);
}

static BatchRow *
create_row (PcBooking *booking)
{
  BatchRow *batch_row = g_new0 (BatchRow, 1);
  GtkWidget *box;
  GtkWidget *labels;
  GtkWidget *title;

  batch_row->nickname = pc_describe_client (booking);

  /* Nicknames and server messages are data: plain labels, never markup. */
  title = g_object_new (GTK_TYPE_LABEL,
                        "label", batch_row->nickname,
                        "xalign", 0.0f,
                        "wrap", TRUE,
                        "wrap-mode", PANGO_WRAP_WORD_CHAR,
                        "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                        NULL);
  batch_row->status_label = g_object_new (GTK_TYPE_LABEL,
                                          "xalign", 0.0f,
                                          "wrap", TRUE,
                                          "wrap-mode", PANGO_WRAP_WORD_CHAR,
                                          "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                                          NULL);
  /* The technical part of a failure, selectable so that it can be copied. */
  batch_row->details_label = g_object_new (GTK_TYPE_LABEL,
                                           "xalign", 0.0f,
                                           "wrap", TRUE,
                                           "wrap-mode", PANGO_WRAP_WORD_CHAR,
                                           "selectable", TRUE,
                                           "visible", FALSE,
                                           "css-classes", (const char *[]) { "caption", "dim-label", NULL },
                                           NULL);
  batch_row->icon = g_object_new (GTK_TYPE_IMAGE,
                                  "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                                  "valign", GTK_ALIGN_CENTER,
                                  "visible", FALSE,
                                  NULL);

  labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  gtk_widget_set_hexpand (labels, TRUE);
  gtk_widget_set_valign (labels, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (labels), title);
  gtk_box_append (GTK_BOX (labels), GTK_WIDGET (batch_row->status_label));
  gtk_box_append (GTK_BOX (labels), GTK_WIDGET (batch_row->details_label));

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_add_css_class (box, "batch-row");
  gtk_box_append (GTK_BOX (box), labels);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (batch_row->icon));

  batch_row->row = g_object_new (GTK_TYPE_LIST_BOX_ROW,
                                 "activatable", FALSE,
                                 "child", box,
                                 NULL);

  return batch_row;
}

static void
add_rows (PcBatchReinviteDialog *self)
{
  for (guint i = 0; i < self->bookings->len; i++)
    {
      PcBooking *booking = g_ptr_array_index (self->bookings, i);
      gint64 booking_id = pc_booking_get_booking_id (booking);
      BatchRow *batch_row = create_row (booking);

      g_hash_table_insert (self->rows, g_memdup2 (&booking_id, sizeof booking_id), batch_row);
      gtk_list_box_append (self->list_box, batch_row->row);

      if (pc_booking_get_can_reinvite (booking))
        {
          g_autofree char *session = pc_describe_session (booking, PC_SESSION_FORM_SUMMARY);

          self->n_eligible++;
          set_row (self, booking_id, NULL, NULL, session, NULL);
        }
      else
        {
          g_autofree char *text = NULL;

          /* Translators: %s says why a booking cannot be re-invited */
          text = g_strdup_printf (_("Will be skipped: %s"),
                                  pc_booking_get_reinvite_blocker_text (booking));
          set_row (self, booking_id, "action-unavailable-symbolic", "dim-label", text, NULL);
        }
    }
}

static void
reinviter_finished_cb (PcBatchReinviteDialog *self,
                       PcBooking             *booking,
                       const GError          *error,
                       PcReinviter           *reinviter)
{
  gint64 booking_id = pc_booking_get_booking_id (booking);

  if (self->state != STATE_RUNNING)
    return;

  if (error == NULL)
    set_row_outcome (self, booking_id, PC_REINVITE_OUTCOME_SUCCEEDED, NULL, NULL);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    set_row_outcome (self, booking_id, PC_REINVITE_OUTCOME_CANCELLED, error->message, error);
  else
    set_row_outcome (self, booking_id, PC_REINVITE_OUTCOME_FAILED, error->message, error);
}

static void
reinviter_batch_progress_cb (PcBatchReinviteDialog *self,
                             guint                  done,
                             guint                  total,
                             PcReinviter           *reinviter)
{
  g_autofree char *text = NULL;

  if (self->state != STATE_RUNNING)
    return;

  /* Translators: the progress of a batch re-invite, e.g. "3 of 7" */
  text = g_strdup_printf (C_("batch progress", "%u of %u"), done, total);
  gtk_progress_bar_set_text (self->progress_bar, text);
  gtk_progress_bar_set_fraction (self->progress_bar, total > 0 ? (double) done / total : 1.0);
}

static void
reinviter_batch_finished_cb (PcBatchReinviteDialog *self,
                             PcReinviteBatch       *result,
                             PcReinviter           *reinviter)
{
  g_autoptr(GPtrArray) retry = NULL;
  g_autofree char *summary = NULL;
  guint n;

  if (self->state != STATE_RUNNING)
    return;

  g_clear_pointer (&self->result, pc_reinvite_batch_unref);
  self->result = pc_reinvite_batch_ref (result);

  /* The result is authoritative, also for bookings the batch skipped. */
  n = pc_reinvite_batch_get_n_items (result);
  for (guint i = 0; i < n; i++)
    set_row_outcome (self, pc_reinvite_batch_get_booking_id (result, i),
                     pc_reinvite_batch_get_outcome (result, i),
                     pc_reinvite_batch_get_message (result, i),
                     pc_reinvite_batch_get_error (result, i));

  summary = pc_reinvite_batch_dup_summary (result);
  gtk_label_set_text (self->status_label, summary);
  gtk_progress_bar_set_fraction (self->progress_bar, 1.0);

  retry = dup_retryable (self);
  self->n_retryable = retry->len;

  set_state (self, STATE_FINISHED);
  gtk_widget_grab_focus (self->n_retryable > 0 ? self->retry_button
                                               : GTK_WIDGET (self->button_stack));
}

/* Sends @bookings as a batch; the rows of those it sends wait for their outcome. */
static void
start_batch (PcBatchReinviteDialog *self,
             GPtrArray             *bookings)
{
  g_autofree char *reason = pc_reason_editor_dup_text (self->reason_editor);
  g_autofree char *progress = NULL;
  guint n_sent = 0;

  gtk_stack_set_visible_child_name (self->top_stack, "progress");

  /* Before starting: the reinviter emits progress from within the call. */
  set_state (self, STATE_RUNNING);
  gtk_label_set_text (self->status_label, _("Re-inviting…"));
  for (guint i = 0; i < bookings->len; i++)
    {
      PcBooking *booking = g_ptr_array_index (bookings, i);

      if (pc_booking_get_can_reinvite (booking))
        {
          set_row (self, pc_booking_get_booking_id (booking), NULL, NULL, _("Waiting…"), NULL);
          n_sent++;
        }
    }
  progress = g_strdup_printf (C_("batch progress", "%u of %u"), 0, n_sent);
  gtk_progress_bar_set_text (self->progress_bar, progress);
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);

  if (!pc_reinviter_start_batch (self->reinviter, bookings, reason))
    {
      g_debug ("Another batch is running: nothing sent");
      set_state (self, self->result != NULL ? STATE_FINISHED : STATE_READY);
      gtk_label_set_text (self->status_label,
                          _("Another batch re-invite is still running. Try again when it has finished."));
      gtk_progress_bar_set_text (self->progress_bar, NULL);
    }
}

static void
send_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PcBatchReinviteDialog *self = PC_BATCH_REINVITE_DIALOG (widget);

  if (self->state != STATE_READY || self->reinviter == NULL)
    return;

  start_batch (self, self->bookings);
}

static void
retry_failed_action_cb (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  PcBatchReinviteDialog *self = PC_BATCH_REINVITE_DIALOG (widget);
  g_autoptr(GPtrArray) retry = NULL;

  /* Running disables the action: one batch per click. */
  if (self->state != STATE_FINISHED || self->reinviter == NULL)
    return;

  retry = dup_retryable (self);
  self->n_retryable = retry->len;
  if (retry->len == 0)
    {
      update_actions (self);
      return;
    }

  g_debug ("Retrying %u failed re-invites", retry->len);
  start_batch (self, retry);
}

static void
close_action_cb (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  /* While running, can-close is FALSE and this is a close attempt. */
  if (gtk_widget_get_parent (widget) != NULL)
    adw_dialog_close (ADW_DIALOG (widget));
}

static void
cancel (PcBatchReinviteDialog *self)
{
  if (self->state != STATE_RUNNING)
    {
      if (gtk_widget_get_parent (GTK_WIDGET (self)) != NULL)
        adw_dialog_close (ADW_DIALOG (self));
      return;
    }

  if (self->cancelling)
    return;

  /* Bookings still waiting are not sent; those in flight are reconciled. The summary
   * follows once the reinviter knows. */
  self->cancelling = TRUE;
  gtk_label_set_text (self->status_label, _("Cancelling…"));
  update_actions (self);
  pc_reinviter_cancel_batch (self->reinviter);
}

static void
cancel_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  cancel (PC_BATCH_REINVITE_DIALOG (widget));
}

/* Only while running (can-close is FALSE then): as Cancel. */
static void
on_close_attempt_cb (PcBatchReinviteDialog *self)
{
  cancel (self);
}

static void
set_bookings (PcBatchReinviteDialog *self,
              GPtrArray             *bookings)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  if (bookings == NULL)
    return;

  for (guint i = 0; i < bookings->len; i++)
    {
      PcBooking *booking = g_ptr_array_index (bookings, i);
      gint64 booking_id;

      g_return_if_fail (PC_IS_BOOKING (booking));

      booking_id = pc_booking_get_booking_id (booking);
      if (g_hash_table_add (seen, g_memdup2 (&booking_id, sizeof booking_id)))
        g_ptr_array_add (self->bookings, g_object_ref (booking));
    }
}

static void
pc_batch_reinvite_dialog_constructed (GObject *object)
{
  PcBatchReinviteDialog *self = (PcBatchReinviteDialog *) object;

  G_OBJECT_CLASS (pc_batch_reinvite_dialog_parent_class)->constructed (object);

  if (self->reinviter != NULL)
    {
      g_signal_connect_object (self->reinviter, "finished::batch",
                               G_CALLBACK (reinviter_finished_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->reinviter, "batch-progress",
                               G_CALLBACK (reinviter_batch_progress_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (self->reinviter, "batch-finished",
                               G_CALLBACK (reinviter_batch_finished_cb), self,
                               G_CONNECT_SWAPPED);
    }

  add_rows (self);
  update_summary (self);
  update_actions (self);
  /* What AdwDialog focuses when it is presented. */
  adw_dialog_set_focus (ADW_DIALOG (self), GTK_WIDGET (self->reason_editor));
}

static void
pc_batch_reinvite_dialog_dispose (GObject *object)
{
  PcBatchReinviteDialog *self = (PcBatchReinviteDialog *) object;

  g_cancellable_cancel (self->cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), PC_TYPE_BATCH_REINVITE_DIALOG);

  g_clear_pointer (&self->rows, g_hash_table_unref);
  g_clear_pointer (&self->bookings, g_ptr_array_unref);
  g_clear_pointer (&self->result, pc_reinvite_batch_unref);
  g_clear_object (&self->reinviter);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (pc_batch_reinvite_dialog_parent_class)->dispose (object);
}

static void
pc_batch_reinvite_dialog_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  PcBatchReinviteDialog *self = PC_BATCH_REINVITE_DIALOG (object);

  switch (prop_id)
    {
    case PROP_REINVITER:
      g_value_set_object (value, self->reinviter);
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, self->state == STATE_RUNNING);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pc_batch_reinvite_dialog_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  PcBatchReinviteDialog *self = PC_BATCH_REINVITE_DIALOG (object);

  switch (prop_id)
    {
    case PROP_REINVITER:
      self->reinviter = g_value_dup_object (value);
      break;
    case PROP_BOOKINGS:
      set_bookings (self, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pc_batch_reinvite_dialog_class_init (PcBatchReinviteDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = pc_batch_reinvite_dialog_constructed;
  object_class->dispose = pc_batch_reinvite_dialog_dispose;
  object_class->get_property = pc_batch_reinvite_dialog_get_property;
  object_class->set_property = pc_batch_reinvite_dialog_set_property;

  properties[PROP_REINVITER] =
    g_param_spec_object ("reinviter", NULL, NULL, PC_TYPE_REINVITER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * PcBatchReinviteDialog:bookings: (type GPtrArray(PcBooking))
   *
   * The bookings to re-invite (the store's objects). Duplicates are dropped.
   */
  properties[PROP_BOOKINGS] =
    g_param_spec_boxed ("bookings", NULL, NULL, G_TYPE_PTR_ARRAY,
                        G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (PC_TYPE_REASON_EDITOR);

  /* AdwDialog is announced as a dialog, with its title. */
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/PhoneChat/pc-batch-reinvite-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, PcBatchReinviteDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, PcBatchReinviteDialog, button_stack);
  gtk_widget_class_bind_template_child (widget_class, PcBatchReinviteDialog, top_stack);
  gtk_widget_class_bind_template_child (widget_class, PcBatchReinviteDialog, summary_label);
  gtk_widget_class_bind_template_child (widget_class, PcBatchReinviteDialog, reason_editor);
  gtk_widget_class_bind_template_child (widget_class, PcBatchReinviteDialog, status_label);
  gtk_widget_class_bind_template_child (widget_class, PcBatchReinviteDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, PcBatchReinviteDialog, retry_button);
  gtk_widget_class_bind_template_child (widget_class, PcBatchReinviteDialog, list_box);
  /* Reachable with gtk_widget_get_template_child(), for tests. */
  gtk_widget_class_bind_template_child_full (widget_class, "send_button", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "close_button", FALSE, 0);
  gtk_widget_class_bind_template_callback (widget_class, on_close_attempt_cb);

  gtk_widget_class_install_action (widget_class, "batch.send", NULL, send_action_cb);
  gtk_widget_class_install_action (widget_class, "batch.retry-failed", NULL,
                                   retry_failed_action_cb);
  gtk_widget_class_install_action (widget_class, "batch.cancel", NULL, cancel_action_cb);
  gtk_widget_class_install_action (widget_class, "batch.close", NULL, close_action_cb);
}

static void
pc_batch_reinvite_dialog_init (PcBatchReinviteDialog *self)
{
  self->cancellable = g_cancellable_new ();
  self->bookings = g_ptr_array_new_with_free_func (g_object_unref);
  self->rows = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, batch_row_free);

  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * pc_batch_reinvite_dialog_new:
 * @reinviter: (nullable): what sends the batch; %NULL when signed out
 * @bookings: (element-type PcBooking): the bookings (the store's objects); duplicates
 *   are dropped
 *
 * Show it with adw_dialog_present(); #AdwDialog::closed says when it has gone.
 *
 * Returns: (transfer floating): the dialog
 */
PcBatchReinviteDialog *
pc_batch_reinvite_dialog_new (PcReinviter *reinviter,
                              GPtrArray   *bookings)
{
  g_return_val_if_fail (reinviter == NULL || PC_IS_REINVITER (reinviter), NULL);
  g_return_val_if_fail (bookings != NULL, NULL);

  return g_object_new (PC_TYPE_BATCH_REINVITE_DIALOG,
                       "reinviter", reinviter,
                       "bookings", bookings,
                       NULL);
}

/**
 * pc_batch_reinvite_dialog_get_reinviter:
 *
 * Returns: (transfer none) (nullable): the reinviter
 */
PcReinviter *
pc_batch_reinvite_dialog_get_reinviter (PcBatchReinviteDialog *self)
{
  g_return_val_if_fail (PC_IS_BATCH_REINVITE_DIALOG (self), NULL);

  return self->reinviter;
}

guint
pc_batch_reinvite_dialog_get_n_bookings (PcBatchReinviteDialog *self)
{
  g_return_val_if_fail (PC_IS_BATCH_REINVITE_DIALOG (self), 0);

  return self->bookings->len;
}

gboolean
pc_batch_reinvite_dialog_get_running (PcBatchReinviteDialog *self)
{
  g_return_val_if_fail (PC_IS_BATCH_REINVITE_DIALOG (self), FALSE);

  return self->state == STATE_RUNNING;
}

/**
 * pc_batch_reinvite_dialog_get_result:
 *
 * Returns: (transfer none) (nullable): the result of the latest batch once it has
 *   finished (after Retry Failed, the retry's: only the bookings sent again)
 */
PcReinviteBatch *
pc_batch_reinvite_dialog_get_result (PcBatchReinviteDialog *self)
{
  g_return_val_if_fail (PC_IS_BATCH_REINVITE_DIALOG (self), NULL);

  return self->result;
}

/**
 * pc_batch_reinvite_dialog_set_reason:
 * @reason: (nullable): the reason, as if typed
 */
void
pc_batch_reinvite_dialog_set_reason (PcBatchReinviteDialog *self,
                                     const char            *reason)
{
  g_return_if_fail (PC_IS_BATCH_REINVITE_DIALOG (self));

  pc_reason_editor_set_text (self->reason_editor, reason);
}

/**
 * pc_batch_reinvite_dialog_get_row_status:
 *
 * Returns: (nullable): what the booking's row says about it (its session, "Waiting…",
 *   its outcome), or %NULL if the booking is not listed
 */
const char *
pc_batch_reinvite_dialog_get_row_status (PcBatchReinviteDialog *self,
                                         gint64                 booking_id)
{
  BatchRow *batch_row;

  g_return_val_if_fail (PC_IS_BATCH_REINVITE_DIALOG (self), NULL);

  batch_row = g_hash_table_lookup (self->rows, &booking_id);
  return batch_row != NULL ? batch_row->status : NULL;
}

/**
 * pc_batch_reinvite_dialog_get_row_details:
 *
 * Returns: (nullable): the technical details shown below a failed booking's status (the
 *   HTTP status, what the server said), or %NULL if there are none or the booking is not
 *   listed
 */
const char *
pc_batch_reinvite_dialog_get_row_details (PcBatchReinviteDialog *self,
                                          gint64                 booking_id)
{
  BatchRow *batch_row;

  g_return_val_if_fail (PC_IS_BATCH_REINVITE_DIALOG (self), NULL);

  batch_row = g_hash_table_lookup (self->rows, &booking_id);
  if (batch_row == NULL || !gtk_widget_get_visible (GTK_WIDGET (batch_row->details_label)))
    return NULL;

  return gtk_label_get_text (batch_row->details_label);
}
