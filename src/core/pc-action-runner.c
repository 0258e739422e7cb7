/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pc-action-runner"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pc-action-runner.h"
#include "pc-api.h"
#include "pc-booking.h"
#include "pc-booking-store.h"
#include "pc-clock.h"
#include "pc-json.h"
#include "pc-reinvite-batch-private.h"
#include "pc-utils.h"

/**
 * PcActionRunner:
 *
 * Accepts, rejects, cancels and deletes bookings through #PcApi, each booking's request
 * exactly once per run: never retried, never sent while another request about the same
 * booking is in flight (a double click sends one POST) or while the outcome of an
 * earlier one is unknown. The server's answers are merged into the #PcBookingStore in
 * place (a deleted booking leaves it), and an answer that was lost
 * (%PC_API_ERROR_OUTCOME_UNKNOWN) marks the booking with
 * pc_booking_store_mark_outcome_unknown(), as #PcReinviter does for re-invites.
 *
 * A run covers one booking or several (batch accept and batch delete): the bookings
 * that do not allow the action are skipped with their blocker text. Accepts, rejects and
 * cancels are sent one after the other; a delete sends every eligible booking in one
 * request, whose answer has a result per booking. The result is a #PcReinviteBatch,
 * whose outcomes mean the same for every action.
 */

struct _PcActionRunner
{
  GObject         parent_instance;

  PcApi          *api;
  PcBookingStore *store;
  GHashTable     *busy_ids;   /* gint64 * → the number of runs holding it */
  guint           n_runs;
};

G_DEFINE_FINAL_TYPE (PcActionRunner, pc_action_runner, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  PcBookingAction  action;
  PcReinviteBatch *result;
  GPtrArray       *bookings;   /* PcBooking to send, in order */
  GArray          *indices;    /* guint: each one's index in the result */
  guint            next;
  gint64           credits;
  char            *reason;
  GDateTime       *sent_at;
} Run;

static void
run_free (gpointer data)
{
  Run *run = data;

  g_clear_pointer (&run->result, pc_reinvite_batch_unref);
  g_clear_pointer (&run->bookings, g_ptr_array_unref);
  g_clear_pointer (&run->indices, g_array_unref);
  g_clear_pointer (&run->reason, g_free);
  g_clear_pointer (&run->sent_at, g_date_time_unref);
  g_free (run);
}

static void send_next (GTask *task);

static gboolean
is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

static void
set_busy (PcActionRunner *self,
          PcBooking      *booking,
          gboolean        busy)
{
  gint64 id = pc_booking_get_booking_id (booking);

  if (busy)
    g_hash_table_add (self->busy_ids, g_memdup2 (&id, sizeof id));
  else
    g_hash_table_remove (self->busy_ids, &id);
}

static void
update_busy (PcActionRunner *self,
             gint            delta)
{
  self->n_runs += delta;
  /* Also when a booking of a run ends (@delta 0) and the runner stays busy: whoever
   * shows a booking's buttons re-reads pc_action_runner_is_busy_for(). */
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* Records @booking's answer: merged into the store, or @error in the result. */
static void
record (PcActionRunner *self,
        Run            *run,
        guint           index,
        PcBooking      *booking,
        PcBooking      *fresh,
        const GError   *error)
{
  if (error == NULL)
    {
      if (fresh != NULL)
        {
          if (pc_booking_store_lookup (self->store, pc_booking_get_booking_id (fresh)) != NULL)
            pc_booking_store_merge_one (self->store, fresh);
          else
            pc_booking_update_from (booking, fresh);
        }
      _pc_reinvite_batch_set (run->result, index, PC_REINVITE_OUTCOME_SUCCEEDED, NULL, NULL);
      return;
    }

  /* The server may still carry it out: never send anything about it until a read shows. */
  if (g_error_matches (error, PC_API_ERROR, PC_API_ERROR_OUTCOME_UNKNOWN))
    pc_booking_store_mark_outcome_unknown (self->store, booking, run->sent_at);

  g_debug ("Booking %" G_GINT64_FORMAT ": action failed: %s",
           pc_booking_get_booking_id (booking), error->message);
  _pc_reinvite_batch_set (run->result, index,
                          g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                            ? PC_REINVITE_OUTCOME_CANCELLED : PC_REINVITE_OUTCOME_FAILED,
                          error->message, error);
}

/* A request cancelled after it was written may still happen: say so, never guess. */
static GError *
unknown_if_sent (GError       *error,
                 GAsyncResult *result)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && pc_api_action_was_sent (result))
    {
      GError *unknown = g_error_new_literal (PC_API_ERROR, PC_API_ERROR_OUTCOME_UNKNOWN,
                                             _("The request was cancelled after it had reached "
                                               "the server, which may still carry it out."));
      g_error_free (error);
      return unknown;
    }
  return error;
}

/* Takes @task's reference. */
static void
finish_run (GTask *owned_task)
{
  g_autoptr(GTask) task = owned_task;
  PcActionRunner *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);

  for (guint i = 0; i < run->bookings->len; i++)
    set_busy (self, g_ptr_array_index (run->bookings, i), FALSE);
  update_busy (self, -1);

  g_task_return_pointer (task, pc_reinvite_batch_ref (run->result),
                         (GDestroyNotify) pc_reinvite_batch_unref);
}

static void
one_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PcActionRunner *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  PcBooking *booking = g_ptr_array_index (run->bookings, run->next);
  guint index = g_array_index (run->indices, guint, run->next);
  g_autoptr(PcBooking) fresh = NULL;
  g_autoptr(GError) error = NULL;

  switch (run->action)
    {
    case PC_BOOKING_ACTION_ACCEPT:
      fresh = pc_api_accept_finish (PC_API (source), result, &error);
      break;
    case PC_BOOKING_ACTION_REJECT:
      fresh = pc_api_reject_finish (PC_API (source), result, &error);
      break;
    case PC_BOOKING_ACTION_CANCEL:
    case PC_BOOKING_ACTION_DELETE:
    default:
      fresh = pc_api_cancel_finish (PC_API (source), result, &error);
      break;
    }
  if (error != NULL)
    error = unknown_if_sent (g_steal_pointer (&error), result);

  record (self, run, index, booking, fresh, error);
  set_busy (self, booking, FALSE);
  update_busy (self, 0);
  run->next++;
  send_next (g_steal_pointer (&task));
}

static void
delete_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PcActionRunner *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(GPtrArray) answers = NULL;
  g_autoptr(GError) error = NULL;

  answers = pc_api_delete_finish (PC_API (source), result, &error);
  if (error != NULL)
    error = unknown_if_sent (g_steal_pointer (&error), result);

  for (guint i = 0; i < run->bookings->len; i++)
    {
      PcBooking *booking = g_ptr_array_index (run->bookings, i);
      guint index = g_array_index (run->indices, guint, i);
      gint64 id = pc_booking_get_booking_id (booking);
      PcDeleteResult *answer = NULL;

      if (answers == NULL)
        {
          record (self, run, index, booking, NULL, error);
          continue;
        }

      for (guint j = 0; j < answers->len && answer == NULL; j++)
        if (((PcDeleteResult *) g_ptr_array_index (answers, j))->booking_id == id)
          answer = g_ptr_array_index (answers, j);

      if (answer != NULL && answer->deleted)
        {
          record (self, run, index, booking, NULL, NULL);
          pc_booking_store_remove (self->store, id);
        }
      else
        {
          g_autoptr(GError) refused = NULL;
          g_autofree char *number = pc_booking_id_to_string (id);

          if (answer == NULL)
            refused = g_error_new (PC_API_ERROR, PC_API_ERROR_MALFORMED,
                                   /* Translators: %s is a BookingID */
                                   _("The server’s answer said nothing about booking %s."),
                                   number);
          else if (answer->message != NULL)
            refused = g_error_new (PC_API_ERROR, PC_API_ERROR_REJECTED,
                                   /* Translators: %s is a BookingID, then the server's
                                    * message */
                                   _("The server did not delete booking %s: %s"), number,
                                   answer->message);
          else
            refused = g_error_new (PC_API_ERROR, PC_API_ERROR_REJECTED,
                                   /* Translators: %s is a BookingID */
                                   _("The server did not delete booking %s."), number);
          record (self, run, index, booking, NULL, refused);
        }
    }

  run->next = run->bookings->len;
  finish_run (g_steal_pointer (&task));
}

/* Takes @task's reference. */
static void
send_next (GTask *task)
{
  PcActionRunner *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  PcBooking *booking;
  gint64 credits;

  if (run->next >= run->bookings->len || run->bookings->len == 0)
    {
      finish_run (task);
      return;
    }

  if (g_cancellable_is_cancelled (cancellable))
    {
      for (; run->next < run->bookings->len; run->next++)
        {
          g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                         _("Cancelled before it was sent."));

          record (self, run, g_array_index (run->indices, guint, run->next),
                  g_ptr_array_index (run->bookings, run->next), NULL, error);
        }
      finish_run (task);
      return;
    }

  g_clear_pointer (&run->sent_at, g_date_time_unref);
  run->sent_at = pc_clock_get_now (pc_booking_store_get_clock (self->store));

  if (run->action == PC_BOOKING_ACTION_DELETE)
    {
      g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

      for (guint i = 0; i < run->bookings->len; i++)
        {
          gint64 id = pc_booking_get_booking_id (g_ptr_array_index (run->bookings, i));

          g_array_append_val (ids, id);
        }
      g_debug ("Deleting %u bookings", ids->len);
      pc_api_delete_async (self->api, (const gint64 *) ids->data, ids->len, cancellable,
                           delete_done_cb, task);
      return;
    }

  booking = g_ptr_array_index (run->bookings, run->next);
  g_debug ("Booking %" G_GINT64_FORMAT ": sending action %d",
           pc_booking_get_booking_id (booking), run->action);
  switch (run->action)
    {
    case PC_BOOKING_ACTION_ACCEPT:
      credits = run->credits >= 0 ? run->credits : pc_booking_get_credits (booking);
      pc_api_accept_async (self->api, pc_booking_get_booking_id (booking), credits,
                           cancellable, one_done_cb, task);
      break;
    case PC_BOOKING_ACTION_REJECT:
      pc_api_reject_async (self->api, pc_booking_get_booking_id (booking), run->reason,
                           cancellable, one_done_cb, task);
      break;
    case PC_BOOKING_ACTION_CANCEL:
    case PC_BOOKING_ACTION_DELETE:
    default:
      pc_api_cancel_async (self->api, pc_booking_get_booking_id (booking), run->reason,
                           cancellable, one_done_cb, task);
      break;
    }
}

static void
pc_action_runner_dispose (GObject *object)
{
  PcActionRunner *self = (PcActionRunner *) object;

  g_clear_object (&self->api);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (pc_action_runner_parent_class)->dispose (object);
}

static void
pc_action_runner_finalize (GObject *object)
{
  PcActionRunner *self = (PcActionRunner *) object;

  g_clear_pointer (&self->busy_ids, g_hash_table_unref);

  G_OBJECT_CLASS (pc_action_runner_parent_class)->finalize (object);
}

static void
pc_action_runner_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  PcActionRunner *self = PC_ACTION_RUNNER (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, pc_action_runner_get_busy (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pc_action_runner_class_init (PcActionRunnerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pc_action_runner_dispose;
  object_class->finalize = pc_action_runner_finalize;
  object_class->get_property = pc_action_runner_get_property;

  /**
   * PcActionRunner:busy:
   *
   * Whether a run is in progress. It is also notified whenever a booking's request ends,
   * so that pc_action_runner_is_busy_for() can be read again.
   */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pc_action_runner_init (PcActionRunner *self)
{
  self->busy_ids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
}

PcActionRunner *
pc_action_runner_new (PcApi          *api,
                      PcBookingStore *store)
{
  PcActionRunner *self;

  g_return_val_if_fail (PC_IS_API (api), NULL);
  g_return_val_if_fail (PC_IS_BOOKING_STORE (store), NULL);

  self = g_object_new (PC_TYPE_ACTION_RUNNER, NULL);
  self->api = g_object_ref (api);
  self->store = g_object_ref (store);
  return self;
}

/**
 * pc_action_runner_get_api:
 *
 * Returns: (transfer none): the API client
 */
PcApi *
pc_action_runner_get_api (PcActionRunner *self)
{
  g_return_val_if_fail (PC_IS_ACTION_RUNNER (self), NULL);

  return self->api;
}

/**
 * pc_action_runner_get_store:
 *
 * Returns: (transfer none): the store the answers are merged into
 */
PcBookingStore *
pc_action_runner_get_store (PcActionRunner *self)
{
  g_return_val_if_fail (PC_IS_ACTION_RUNNER (self), NULL);

  return self->store;
}

gboolean
pc_action_runner_get_busy (PcActionRunner *self)
{
  g_return_val_if_fail (PC_IS_ACTION_RUNNER (self), FALSE);

  return self->n_runs > 0;
}

/**
 * pc_action_runner_is_busy_for:
 *
 * Returns: whether a request about @booking_id is in flight or waiting in a run
 */
gboolean
pc_action_runner_is_busy_for (PcActionRunner *self,
                              gint64          booking_id)
{
  g_return_val_if_fail (PC_IS_ACTION_RUNNER (self), FALSE);

  return g_hash_table_contains (self->busy_ids, &booking_id);
}

/**
 * pc_action_runner_run_async:
 * @action: what to do
 * @bookings: (element-type PcBooking): the bookings to do it to; duplicates count once
 * @credits: for %PC_BOOKING_ACTION_ACCEPT, the credits to accept for, in
 *   1/%PC_CREDITS_SCALE credits; negative for each booking's own
 * @reason: (nullable): for reject and cancel: the reason, required (not blank)
 *
 * Sends @action for every booking of @bookings that allows it now
 * (pc_booking_can_do()), once each. The others are skipped, with the reason.
 */
void
pc_action_runner_run_async (PcActionRunner      *self,
                            PcBookingAction      action,
                            GPtrArray           *bookings,
                            gint64               credits,
                            const char          *reason,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) seen = NULL;
  Run *run;

  g_return_if_fail (PC_IS_ACTION_RUNNER (self));
  g_return_if_fail (action < PC_BOOKING_N_ACTIONS);
  g_return_if_fail (bookings != NULL);
  g_return_if_fail ((action != PC_BOOKING_ACTION_REJECT && action != PC_BOOKING_ACTION_CANCEL) ||
                    !is_blank (reason));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pc_action_runner_run_async);

  run = g_new0 (Run, 1);
  run->action = action;
  run->result = pc_reinvite_batch_new (reason);
  run->bookings = g_ptr_array_new_with_free_func (g_object_unref);
  run->indices = g_array_new (FALSE, FALSE, sizeof (guint));
  run->credits = credits;
  run->reason = g_strdup (reason);
  g_task_set_task_data (task, run, run_free);

  seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  for (guint i = 0; i < bookings->len; i++)
    {
      PcBooking *booking = g_ptr_array_index (bookings, i);
      gint64 id = pc_booking_get_booking_id (booking);
      guint index;

      if (g_hash_table_contains (seen, &id))
        continue;
      g_hash_table_add (seen, g_memdup2 (&id, sizeof id));

      index = _pc_reinvite_batch_add_booking (run->result, booking);
      if (pc_action_runner_is_busy_for (self, id))
        _pc_reinvite_batch_set (run->result, index, PC_REINVITE_OUTCOME_SKIPPED,
                                _("A request about this booking is already in progress."), NULL);
      else if (!pc_booking_can_do (booking, action))
        _pc_reinvite_batch_set (run->result, index, PC_REINVITE_OUTCOME_SKIPPED,
                                pc_booking_get_action_blocker_text (booking, action), NULL);
      else if (pc_booking_store_is_outcome_unknown (self->store, booking))
        _pc_reinvite_batch_set (run->result, index, PC_REINVITE_OUTCOME_SKIPPED,
                                _("The outcome of an earlier request about this booking is not "
                                  "known yet: the server may still carry it out."), NULL);
      else
        {
          g_ptr_array_add (run->bookings, g_object_ref (booking));
          g_array_append_val (run->indices, index);
          set_busy (self, booking, TRUE);
        }
    }

  update_busy (self, 1);
  send_next (g_steal_pointer (&task));
}

/**
 * pc_action_runner_run_finish:
 *
 * Returns: (transfer full): every booking's outcome, in the order given
 */
PcReinviteBatch *
pc_action_runner_run_finish (PcActionRunner  *self,
                             GAsyncResult    *result,
                             GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pc_action_runner_run_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
