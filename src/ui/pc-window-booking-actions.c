/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pc-window"

#include "config.h"

#include <glib/gi18n.h>

#include "pc-action-runner.h"
#include "pc-api.h"
#include "pc-booking.h"
#include "pc-client.h"
#include "pc-describe.h"
#include "pc-error.h"
#include "pc-values.h"
#include "pc-window-private.h"

/* Accept, reject, cancel and delete: the window's actions (win.accept, win.reject,
 * win.cancel-booking, win.delete, win.accept-selected, win.delete-selected), the
 * AdwAlertDialogs that confirm them, and how their outcomes are shown. Every request
 * goes through the window's #PcActionRunner, which sends each once. Text from the server
 * and from clients is shown as plain text: alert dialog bodies and headings without
 * markup, toasts with use-markup off. */

typedef struct
{
  PcWindow        *self;       /* owned */
  PcBookingAction  action;
  GPtrArray       *bookings;   /* PcBooking, owned */
  AdwEntryRow     *reason_row; /* unowned, NULL unless reject/cancel */
  AdwSpinRow      *credits_row;
  gboolean         batch;
} Pending;

static void
pending_free (Pending *pending)
{
  g_clear_object (&pending->self);
  g_clear_pointer (&pending->bookings, g_ptr_array_unref);
  g_free (pending);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Pending, pending_free)

static const char * const action_names[PC_BOOKING_N_ACTIONS] = {
  [PC_BOOKING_ACTION_ACCEPT] = "accept",
  [PC_BOOKING_ACTION_REJECT] = "reject",
  [PC_BOOKING_ACTION_CANCEL] = "cancel-booking",
  [PC_BOOKING_ACTION_DELETE] = "delete",
};

static gboolean
is_blank (const char *text)
{
  g_autofree char *copy = g_strdup (text != NULL ? text : "");

  return g_strstrip (copy)[0] == '\0';
}

static char *
describe_booking (PcBooking *booking)
{
  g_autofree char *client = pc_describe_client (booking);
  g_autofree char *session = pc_describe_session (booking, PC_SESSION_FORM_DATE_TIME);

  /* Translators: a client's nickname and a session's date, e.g. "shy_sam, Fri 27 Nov 2026, 10:00" */
  return g_strdup_printf (_("%s, %s"), client, session != NULL ? session : "");
}

static void
add_toast (PcWindow   *self,
           const char *title)
{
  AdwToast *toast = adw_toast_new (title);

  adw_toast_set_use_markup (toast, FALSE);
  pc_window_add_toast (self, toast);
}

static void
action_dialog_closed_cb (PcWindow  *self,
                         AdwDialog *dialog)
{
  if (self->action_dialog == dialog)
    self->action_dialog = NULL;
  g_signal_handlers_disconnect_by_data (dialog, self);
}

static void
present_dialog (PcWindow  *self,
                AdwDialog *dialog)
{
  if (self->action_dialog != NULL)
    adw_dialog_force_close (self->action_dialog);
  self->action_dialog = dialog;
  g_signal_connect_object (dialog, "closed", G_CALLBACK (action_dialog_closed_cb), self,
                           G_CONNECT_SWAPPED);
  adw_dialog_present (dialog, GTK_WIDGET (self));
}

/* What failed, for a booking or for a batch: the title, the sentence, and the details
 * (what the server said) below it. An unknown outcome reads the same way; the runner
 * has already marked the booking. One place for every action. */
static char *
describe_failure (const GError *error,
                  char        **title)
{
  g_autofree char *sentence = NULL;
  g_autofree char *details = NULL;

  pc_error_describe (error, PC_ERROR_TASK_BOOKING_ACTION, NULL, title, &sentence);
  details = pc_error_dup_details (error, sentence);
  if (details == NULL)
    return g_steal_pointer (&sentence);
  return g_strdup_printf ("%s\n\n%s", sentence, details);
}

static void
show_failure (PcWindow     *self,
              const GError *error)
{
  g_autofree char *title = NULL;
  g_autofree char *body = describe_failure (error, &title);
  AdwDialog *dialog = adw_alert_dialog_new (title, body);

  adw_alert_dialog_add_response (ADW_ALERT_DIALOG (dialog), "close", _("_Close"));
  present_dialog (self, dialog);
}

static const char *
done_text (PcBookingAction action)
{
  switch (action)
    {
    case PC_BOOKING_ACTION_ACCEPT:
      return C_("booking outcome", "Accepted");
    case PC_BOOKING_ACTION_REJECT:
      return C_("booking outcome", "Rejected");
    case PC_BOOKING_ACTION_CANCEL:
      return C_("booking outcome", "Cancelled");
    case PC_BOOKING_ACTION_DELETE:
    default:
      return C_("booking outcome", "Deleted");
    }
}

/* A line per booking of a batch: its client and what became of it. */
static char *
describe_batch (PcReinviteBatch *result,
                PcBookingAction  action)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < pc_reinvite_batch_get_n_items (result); i++)
    {
      g_autofree char *client =
        pc_describe_client_name (pc_reinvite_batch_get_nickname (result, i),
                                 pc_reinvite_batch_get_booking_id (result, i));
      g_autofree char *line = NULL;
      g_autofree char *title = NULL;
      g_autofree char *failure = NULL;

      switch (pc_reinvite_batch_get_outcome (result, i))
        {
        case PC_REINVITE_OUTCOME_SUCCEEDED:
          line = g_strdup (done_text (action));
          break;
        case PC_REINVITE_OUTCOME_SKIPPED:
          /* Translators: %s says why a booking was left out */
          line = g_strdup_printf (_("Skipped: %s"), pc_reinvite_batch_get_message (result, i));
          break;
        case PC_REINVITE_OUTCOME_CANCELLED:
          /* Translators: the user stopped the batch before this booking */
          line = g_strdup (C_("operation stopped", "Cancelled"));
          break;
        case PC_REINVITE_OUTCOME_FAILED:
        default:
          failure = describe_failure (pc_reinvite_batch_get_error (result, i), &title);
          /* Translators: a failure's title, then what happened */
          line = g_strdup_printf (_("%s: %s"), title, failure);
          break;
        }
      /* Translators: a client's nickname, then what became of the booking */
      g_string_append_printf (text, _("%s — %s"), client, line);
      if (i + 1 < pc_reinvite_batch_get_n_items (result))
        g_string_append (text, "\n\n");
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
run_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(Pending) pending = user_data;
  PcWindow *self = pending->self;
  g_autoptr(PcReinviteBatch) outcome = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  guint done;

  outcome = pc_action_runner_run_finish (PC_ACTION_RUNNER (source), result, &error);
  _pc_window_update_booking_actions (self);
  if (outcome == NULL || gtk_widget_in_destruction (GTK_WIDGET (self)))
    return;

  done = pc_reinvite_batch_count (outcome, PC_REINVITE_OUTCOME_SUCCEEDED);

  if (pending->batch)
    {
      g_autofree char *body = describe_batch (outcome, pending->action);
      guint n = pc_reinvite_batch_get_n_items (outcome);
      AdwDialog *dialog;

      if (pending->action == PC_BOOKING_ACTION_ACCEPT)
        /* Translators: the heading of a batch's results */
        title = g_strdup_printf (ngettext ("%u of %u Booking Accepted", "%u of %u Bookings Accepted", n),
                                 done, n);
      else
        /* Translators: the heading of a batch's results */
        title = g_strdup_printf (ngettext ("%u of %u Booking Deleted", "%u of %u Bookings Deleted", n),
                                 done, n);
      dialog = adw_alert_dialog_new (title, body);
      adw_alert_dialog_add_response (ADW_ALERT_DIALOG (dialog), "close", _("_Close"));
      adw_alert_dialog_set_prefer_wide_layout (ADW_ALERT_DIALOG (dialog), TRUE);
      present_dialog (self, dialog);
      return;
    }

  switch (pc_reinvite_batch_get_outcome (outcome, 0))
    {
    case PC_REINVITE_OUTCOME_SUCCEEDED:
      {
        g_autofree char *client =
          pc_describe_client_name (pc_reinvite_batch_get_nickname (outcome, 0),
                                   pc_reinvite_batch_get_booking_id (outcome, 0));

        switch (pending->action)
          {
          case PC_BOOKING_ACTION_ACCEPT:
            /* Translators: a toast; %s is the client's nickname */
            title = g_strdup_printf (_("Accepted the booking of %s"), client);
            break;
          case PC_BOOKING_ACTION_REJECT:
            /* Translators: a toast; %s is the client's nickname */
            title = g_strdup_printf (_("Rejected the booking of %s"), client);
            break;
          case PC_BOOKING_ACTION_CANCEL:
            /* Translators: a toast; %s is the client's nickname */
            title = g_strdup_printf (_("Cancelled the booking of %s"), client);
            break;
          case PC_BOOKING_ACTION_DELETE:
          default:
            /* Translators: a toast; %s is the client's nickname */
            title = g_strdup_printf (_("Deleted the booking of %s"), client);
            break;
          }
        add_toast (self, title);
      }
      break;
    case PC_REINVITE_OUTCOME_SKIPPED:
      add_toast (self, pc_reinvite_batch_get_message (outcome, 0));
      break;
    case PC_REINVITE_OUTCOME_CANCELLED:
      break;
    case PC_REINVITE_OUTCOME_FAILED:
    default:
      show_failure (self, pc_reinvite_batch_get_error (outcome, 0));
      break;
    }
}

static void
send (Pending *pending)
{
  PcWindow *self = pending->self;
  g_autofree char *reason = NULL;
  gint64 credits = -1;

  if (pending->reason_row != NULL)
    reason = g_strdup (gtk_editable_get_text (GTK_EDITABLE (pending->reason_row)));
  if (pending->credits_row != NULL)
    credits = (gint64) (adw_spin_row_get_value (pending->credits_row) * PC_CREDITS_SCALE + 0.5);

  pc_action_runner_run_async (self->runner, pending->action, pending->bookings, credits,
                              reason, self->runner_cancellable, run_done_cb, pending);
  /* Insensitive while in flight: the runner says it is busy for these bookings. */
  _pc_window_update_booking_actions (self);
}

static void
confirm_response_cb (AdwAlertDialog *dialog,
                     const char     *response,
                     gpointer        user_data)
{
  Pending *pending = g_object_get_data (G_OBJECT (dialog), "pc-pending");

  if (!g_str_equal (response, "confirm") || pending == NULL)
    return;

  /* Exactly once per confirmation: the dialog forgets its request first. */
  pending = g_object_steal_data (G_OBJECT (dialog), "pc-pending");
  if (pending->self->runner == NULL)
    {
      pending_free (pending);
      return;
    }
  send (pending);
}

static void
reason_changed_cb (AdwEntryRow    *row,
                   AdwAlertDialog *dialog)
{
  adw_alert_dialog_set_response_enabled (dialog, "confirm",
                                         !is_blank (gtk_editable_get_text (GTK_EDITABLE (row))));
}

static void
open_confirm_dialog (PcWindow        *self,
                     PcBookingAction  action,
                     GPtrArray       *bookings,
                     gboolean         batch)
{
  Pending *pending = g_new0 (Pending, 1);
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  const char *confirm = NULL;
  AdwResponseAppearance appearance = ADW_RESPONSE_DESTRUCTIVE;
  AdwDialog *dialog;
  GtkWidget *list = NULL;
  guint n = bookings->len;

  pending->self = g_object_ref (self);
  pending->action = action;
  pending->bookings = g_ptr_array_ref (bookings);
  pending->batch = batch;

  if (batch)
    {
      g_autoptr(GString) names = g_string_new (NULL);

      for (guint i = 0; i < n; i++)
        {
          g_autofree char *line = describe_booking (g_ptr_array_index (bookings, i));

          g_string_append_printf (names, "%s%s", i > 0 ? "\n" : "", line);
        }
      if (action == PC_BOOKING_ACTION_ACCEPT)
        {
          /* Translators: the heading of the batch accept dialog */
          heading = g_strdup_printf (ngettext ("Accept %u Booking?", "Accept %u Bookings?", n), n);
          /* Translators: %s is a list of clients and sessions, one a line */
          body = g_strdup_printf (_("Each booking is accepted for its own credits:\n\n%s"), names->str);
          confirm = _("_Accept");
          appearance = ADW_RESPONSE_SUGGESTED;
        }
      else
        {
          /* Translators: the heading of the batch delete dialog */
          heading = g_strdup_printf (ngettext ("Delete %u Booking?", "Delete %u Bookings?", n), n);
          /* Translators: %s is a list of clients and sessions, one a line */
          body = g_strdup_printf (_("These bookings are removed from your lists for good:\n\n%s"), names->str);
          confirm = _("_Delete");
        }
    }
  else
    {
      g_autofree char *what = describe_booking (g_ptr_array_index (bookings, 0));

      switch (action)
        {
        case PC_BOOKING_ACTION_ACCEPT:
          heading = g_strdup (_("Accept Booking?"));
          /* Translators: %s is a client's nickname and a session's date */
          body = g_strdup_printf (_("Accept the booking of %s? The client is told that you will take the call."), what);
          confirm = _("_Accept");
          appearance = ADW_RESPONSE_SUGGESTED;
          break;
        case PC_BOOKING_ACTION_REJECT:
          heading = g_strdup (_("Reject Booking?"));
          /* Translators: %s is a client's nickname and a session's date */
          body = g_strdup_printf (_("Reject the booking of %s? The client is sent your reason."), what);
          confirm = _("_Reject");
          break;
        case PC_BOOKING_ACTION_CANCEL:
          heading = g_strdup (_("Cancel Booking?"));
          /* Translators: %s is a client's nickname and a session's date */
          body = g_strdup_printf (_("Cancel the accepted booking of %s? The client is sent your reason."), what);
          confirm = _("C_ancel Booking");
          break;
        case PC_BOOKING_ACTION_DELETE:
        default:
          heading = g_strdup (_("Delete Booking?"));
          /* Translators: %s is a client's nickname and a session's date */
          body = g_strdup_printf (_("Delete the booking of %s from your lists for good?"), what);
          confirm = _("_Delete");
          break;
        }
    }

  dialog = adw_alert_dialog_new (heading, body);
  adw_alert_dialog_add_response (ADW_ALERT_DIALOG (dialog), "cancel", _("_Keep"));
  adw_alert_dialog_add_response (ADW_ALERT_DIALOG (dialog), "confirm", confirm);
  adw_alert_dialog_set_response_appearance (ADW_ALERT_DIALOG (dialog), "confirm", appearance);
  adw_alert_dialog_set_close_response (ADW_ALERT_DIALOG (dialog), "cancel");
  adw_alert_dialog_set_default_response (ADW_ALERT_DIALOG (dialog),
                                         appearance == ADW_RESPONSE_SUGGESTED ? "confirm" : "cancel");

  if (!batch && action == PC_BOOKING_ACTION_ACCEPT)
    {
      PcBooking *booking = g_ptr_array_index (bookings, 0);
      GtkAdjustment *adjustment =
        gtk_adjustment_new ((double) pc_booking_get_credits (booking) / PC_CREDITS_SCALE,
                            0, 100000, 0.5, 5, 0);

      pending->credits_row = ADW_SPIN_ROW (adw_spin_row_new (adjustment, 0.5, 2));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (pending->credits_row), _("Credits"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (pending->credits_row),
                                   _("The client is told if you change it"));
      list = gtk_list_box_new ();
      gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (pending->credits_row));
    }
  else if (action == PC_BOOKING_ACTION_REJECT || action == PC_BOOKING_ACTION_CANCEL)
    {
      pending->reason_row = ADW_ENTRY_ROW (adw_entry_row_new ());
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (pending->reason_row),
                                     _("Reason (required)"));
      adw_entry_row_set_activates_default (pending->reason_row, FALSE);
      g_signal_connect_object (pending->reason_row, "changed", G_CALLBACK (reason_changed_cb),
                               dialog, 0);
      adw_alert_dialog_set_response_enabled (ADW_ALERT_DIALOG (dialog), "confirm", FALSE);
      list = gtk_list_box_new ();
      gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (pending->reason_row));
    }

  if (list != NULL)
    {
      gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
      gtk_widget_add_css_class (list, "boxed-list");
      adw_alert_dialog_set_extra_child (ADW_ALERT_DIALOG (dialog), list);
    }

  /* The reason is what is typed first. */
  if (pending->reason_row != NULL)
    adw_dialog_set_focus (dialog, GTK_WIDGET (pending->reason_row));

  g_object_set_data_full (G_OBJECT (dialog), "pc-pending", pending, (GDestroyNotify) pending_free);
  g_signal_connect (dialog, "response", G_CALLBACK (confirm_response_cb), NULL);
  present_dialog (self, dialog);
}

static void
booking_action_cb (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  PcWindow *self = user_data;
  const char *name = g_action_get_name (G_ACTION (action));
  g_autoptr(GPtrArray) bookings = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_if_fail (self->selected_booking != NULL);

  g_ptr_array_add (bookings, g_object_ref (self->selected_booking));
  for (PcBookingAction a = 0; a < PC_BOOKING_N_ACTIONS; a++)
    if (g_str_equal (name, action_names[a]))
      open_confirm_dialog (self, a, bookings, FALSE);
}

static void
selected_action_cb (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  PcWindow *self = user_data;
  PcBookingAction kind = g_str_equal (g_action_get_name (G_ACTION (action)), "accept-selected")
                         ? PC_BOOKING_ACTION_ACCEPT : PC_BOOKING_ACTION_DELETE;
  g_autoptr(GPtrArray) bookings = _pc_window_get_checked (self, kind);

  if (bookings->len == 0)
    return;
  open_confirm_dialog (self, kind, bookings, TRUE);
}

static const GActionEntry booking_actions[] = {
  { .name = "accept", .activate = booking_action_cb },
  { .name = "reject", .activate = booking_action_cb },
  { .name = "cancel-booking", .activate = booking_action_cb },
  { .name = "delete", .activate = booking_action_cb },
  { .name = "accept-selected", .activate = selected_action_cb },
  { .name = "delete-selected", .activate = selected_action_cb },
};

void
_pc_window_install_booking_actions (PcWindow *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self), booking_actions,
                                   G_N_ELEMENTS (booking_actions), self);
  _pc_window_update_booking_actions (self);
}

/**
 * _pc_window_get_checked:
 * @action: what the bookings are for
 *
 * Returns: (transfer full) (element-type PcBooking): the bookings checked in selection
 *   mode that allow @action now
 */
GPtrArray *
_pc_window_get_checked (PcWindow        *self,
                        PcBookingAction  action)
{
  GListModel *model = G_LIST_MODEL (self->multi_selection);
  g_autoptr(GtkBitset) checked = NULL;
  GPtrArray *bookings = g_ptr_array_new_with_free_func (g_object_unref);
  GtkBitsetIter iter;
  guint position;

  if (model == NULL)
    return bookings;

  checked = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (model));
  for (gboolean more = gtk_bitset_iter_init_first (&iter, checked, &position);
       more;
       more = gtk_bitset_iter_next (&iter, &position))
    {
      g_autoptr(PcBooking) booking = g_list_model_get_item (model, position);

      if (pc_booking_can_do (booking, action))
        g_ptr_array_add (bookings, g_steal_pointer (&booking));
    }

  return bookings;
}

/* Each action follows the selected booking's can-… and whether a request about it is in
 * flight. */
void
_pc_window_update_booking_actions (PcWindow *self)
{
  PcBooking *booking = self->selected_booking;
  gboolean idle = self->runner != NULL && booking != NULL &&
                  !pc_action_runner_is_busy_for (self->runner, pc_booking_get_booking_id (booking));

  for (PcBookingAction a = 0; a < PC_BOOKING_N_ACTIONS; a++)
    _pc_window_set_action_enabled (self, action_names[a], idle && pc_booking_can_do (booking, a));
}

/**
 * pc_window_get_action_dialog:
 *
 * Returns: (transfer none) (nullable): the dialog that confirms an accept, reject,
 *   cancel or delete, or shows its outcome, while it is open
 */
AdwDialog *
pc_window_get_action_dialog (PcWindow *self)
{
  g_return_val_if_fail (PC_IS_WINDOW (self), NULL);

  return self->action_dialog;
}

/**
 * pc_window_get_action_runner:
 *
 * Returns: (transfer none) (nullable): what accepts, rejects, cancels and deletes go
 *   through; %NULL while signed out
 */
PcActionRunner *
pc_window_get_action_runner (PcWindow *self)
{
  g_return_val_if_fail (PC_IS_WINDOW (self), NULL);

  return self->runner;
}
