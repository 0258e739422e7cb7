/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pc-reinviter"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pc-api.h"
#include "pc-booking.h"
#include "pc-booking-store.h"
#include "pc-client.h"
#include "pc-clock.h"
#include "pc-reinvite-batch-private.h"
#include "pc-reinviter.h"
#include "pc-utils.h"

/**
 * PcReinviter:
 *
 * The re-invite service the application owns. It sends each re-invite once through
 * #PcApi, refuses a second start for a booking whose re-invite is still in flight (a
 * double click sends one POST), merges the server's answer into the #PcBookingStore in
 * place, and runs batches with at most %PC_REINVITER_MAX_IN_FLIGHT requests at once.
 * #PcReinviter:busy tells when anything is in flight (the application holds itself
 * then); the reasons being typed are the application's (#PcReasonDrafts).
 *
 * #PcReinviter::started and #PcReinviter::finished bracket every booking's re-invite,
 * single or part of a batch; their detail (`single` or `batch`) tells which, so the
 * application can send a notification per single re-invite and one summary per batch.
 *
 * A re-invite whose answer was lost without the booking showing what happened
 * (%PC_API_ERROR_OUTCOME_UNKNOWN) may still be carried out by the server: it is recorded
 * with pc_booking_store_mark_outcome_unknown(), and no re-invite of that booking is sent
 * again until a read shows a final state (see #PcOutcomeLog).
 */

typedef enum
{
  REQUEST_QUEUED,      /* a batch entry waiting for a free slot: nothing sent yet */
  REQUEST_SENDING,     /* the POST (and PcApi's own check after a lost answer) */
  REQUEST_RECONCILING, /* cancelled by the user: re-reading the booking */
  REQUEST_REFRESHING,  /* refused (400/404): re-reading the booking before reporting */
} RequestState;

typedef struct _Batch Batch;

typedef struct
{
  PcReinviter  *self;         /* unowned; NULL once the reinviter is disposed */
  PcBooking    *booking;      /* owned */
  gint64        booking_id;
  char         *reason;
  GCancellable *cancellable;
  RequestState  state;
  gboolean      cancel_requested;
  GError       *error;        /* REQUEST_REFRESHING: the refusal to report */
  GDateTime    *sent_at;      /* when the POST was sent, by the store's clock */
  gboolean      sent;         /* the whole POST was written: the server may act on it */
  Batch        *batch;        /* unowned, NULL for a single re-invite */
  guint         batch_index;
} Request;

struct _Batch
{
  PcReinviteBatch *result;
  GQueue           queue;     /* Request *, not owned (self->requests owns them) */
  guint            in_flight;
  guint            done;
  guint            total;     /* requests to send: the eligible bookings */
  guint            idle_id;   /* finishes a batch that had nothing to send */
  gboolean         cancelled; /* send nothing more */
};

struct _PcReinviter
{
  GObject         parent_instance;

  PcApi          *api;
  PcBookingStore *store;

  GHashTable     *requests;    /* gint64 * → Request *, owned */
  Batch          *batch;
  gboolean        busy;
};

G_DEFINE_FINAL_TYPE (PcReinviter, pc_reinviter, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_API,
  PROP_STORE,
  PROP_BUSY,
  PROP_BATCH_RUNNING,
  N_PROPS
};

enum {
  SIGNAL_STARTED,
  SIGNAL_FINISHED,
  SIGNAL_BATCH_PROGRESS,
  SIGNAL_BATCH_FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];
static GQuark quark_single;
static GQuark quark_batch;

static void send_request (PcReinviter *self,
                          Request     *request);

static gint64 *
int64_dup (gint64 value)
{
  return g_memdup2 (&value, sizeof value);
}

static Request *
request_new (PcReinviter *self,
             PcBooking   *booking,
             const char  *reason)
{
  Request *request = g_new0 (Request, 1);

  request->self = self;
  request->booking = g_object_ref (booking);
  request->booking_id = pc_booking_get_booking_id (booking);
  request->reason = g_strdup (reason);
  request->cancellable = g_cancellable_new ();
  return request;
}

static void
request_free (gpointer data)
{
  Request *request = data;

  g_clear_object (&request->booking);
  g_clear_pointer (&request->reason, g_free);
  g_clear_object (&request->cancellable);
  g_clear_error (&request->error);
  g_clear_pointer (&request->sent_at, g_date_time_unref);
  g_free (request);
}

static void
batch_free (Batch *batch)
{
  g_clear_handle_id (&batch->idle_id, g_source_remove);
  g_queue_clear (&batch->queue);
  g_clear_pointer (&batch->result, pc_reinvite_batch_unref);
  g_free (batch);
}

static void
update_busy (PcReinviter *self)
{
  gboolean busy = g_hash_table_size (self->requests) > 0 || self->batch != NULL;

  if (busy == self->busy)
    return;

  self->busy = busy;
  /* Hold first, notify after: a handler may drop the last reference to the app. */
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* The booking to report: the store's object updated in place from @fresh when the store
 * knows the booking, else the caller's object updated in place. */
static PcBooking *
merge_fresh (PcReinviter *self,
             Request     *request,
             PcBooking   *fresh)
{
  PcOutcomeLog *log = pc_booking_store_get_outcome_log (self->store);

  if (pc_booking_store_lookup (self->store, request->booking_id) != NULL)
    return pc_booking_store_merge_one (self->store, fresh);

  pc_booking_update_from (request->booking, fresh);
  if (log != NULL)
    {
      g_autoptr(GDateTime) now = pc_clock_get_now (pc_booking_store_get_clock (self->store));

      pc_outcome_log_apply_read (log, request->booking, now);
    }
  return request->booking;
}

static gboolean
batch_finish_cb (gpointer user_data);

static void
batch_pump (PcReinviter *self,
            Batch       *batch)
{
  while (!batch->cancelled &&
         batch->in_flight < PC_REINVITER_MAX_IN_FLIGHT &&
         !g_queue_is_empty (&batch->queue))
    {
      Request *request = g_queue_pop_head (&batch->queue);

      batch->in_flight++;
      send_request (self, request);
    }
}

static void
batch_finish (PcReinviter *self)
{
  Batch *batch = g_steal_pointer (&self->batch);
  g_autoptr(PcReinviteBatch) result = pc_reinvite_batch_ref (batch->result);

  batch_free (batch);

  g_debug ("Batch finished: %u succeeded, %u failed, %u skipped, %u cancelled",
           pc_reinvite_batch_count (result, PC_REINVITE_OUTCOME_SUCCEEDED),
           pc_reinvite_batch_count (result, PC_REINVITE_OUTCOME_FAILED),
           pc_reinvite_batch_count (result, PC_REINVITE_OUTCOME_SKIPPED),
           pc_reinvite_batch_count (result, PC_REINVITE_OUTCOME_CANCELLED));

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BATCH_RUNNING]);
  g_signal_emit (self, signals[SIGNAL_BATCH_FINISHED], 0, result);
  update_busy (self);
}

static gboolean
batch_finish_cb (gpointer user_data)
{
  PcReinviter *self = user_data;

  self->batch->idle_id = 0;
  batch_finish (self);
  return G_SOURCE_REMOVE;
}

/* Ends @request: reports @booking and @error (NULL on success) and frees the request. */
static void
complete_request (PcReinviter  *self,
                  Request      *request,
                  PcBooking    *booking,
                  const GError *error)
{
  g_autoptr(PcBooking) reported = g_object_ref (booking);
  Batch *batch = request->batch;
  gboolean was_sent = request->state != REQUEST_QUEUED;

  /* A handler of the signals below may drop the last reference. */
  g_object_ref (self);

  g_hash_table_steal (self->requests, &request->booking_id);

  if (was_sent && pc_booking_store_get_outcome_log (self->store) != NULL)
    pc_outcome_log_end (pc_booking_store_get_outcome_log (self->store), request->booking_id,
                        g_error_matches (error, PC_API_ERROR, PC_API_ERROR_OUTCOME_UNKNOWN));

  /* The server may still carry it out: never send it again until a read shows. */
  if (g_error_matches (error, PC_API_ERROR, PC_API_ERROR_OUTCOME_UNKNOWN))
    pc_booking_store_mark_outcome_unknown (self->store, reported, request->sent_at);

  if (error == NULL)
    g_debug ("Re-invite of booking %" G_GINT64_FORMAT " succeeded", request->booking_id);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("Re-invite of booking %" G_GINT64_FORMAT " cancelled", request->booking_id);
  else
    g_debug ("Re-invite of booking %" G_GINT64_FORMAT " failed: %s",
             request->booking_id, error->message);

  if (batch != NULL)
    {
      PcReinviteOutcome outcome;

      if (error == NULL)
        outcome = PC_REINVITE_OUTCOME_SUCCEEDED;
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        outcome = PC_REINVITE_OUTCOME_CANCELLED;
      else
        outcome = PC_REINVITE_OUTCOME_FAILED;

      _pc_reinvite_batch_set (batch->result, request->batch_index, outcome,
                             error != NULL ? error->message : NULL, error);
      if (was_sent)
        batch->in_flight--;
      batch->done++;
    }

  g_signal_emit (self, signals[SIGNAL_FINISHED],
                 batch != NULL ? quark_batch : quark_single,
                 reported, error);
  request_free (request);

  /* A handler may have cancelled the batch or disposed of us. */
  if (batch != NULL && self->batch == batch)
    {
      g_signal_emit (self, signals[SIGNAL_BATCH_PROGRESS], 0, batch->done, batch->total);
      if (self->batch == batch)
        {
          batch_pump (self, batch);
          if (batch->in_flight == 0 && g_queue_is_empty (&batch->queue))
            batch_finish (self);
        }
    }

  update_busy (self);

  g_object_unref (self);
}

static void
reconcile_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Request *request = user_data;
  PcReinviter *self = request->self;
  g_autoptr(PcBooking) fresh = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) outcome = NULL;
  g_autofree char *id = NULL;
  PcBooking *merged;

  fresh = pc_api_get_booking_finish (PC_API (source), result, &error);

  if (self == NULL)
    {
      /* Disposed meanwhile: nobody to tell. */
      request_free (request);
      return;
    }

  id = pc_booking_id_to_string (request->booking_id);

  if (fresh == NULL)
    {
      outcome = g_error_new (PC_API_ERROR, PC_API_ERROR_OUTCOME_UNKNOWN,
                             /* Translators: %s is a BookingID, then a reason (a sentence) */
                             _("The re-invite of booking %s was cancelled, but it may already "
                               "have reached the server, and checking the booking failed: %s "
                               "Refresh your bookings to see whether it happened."),
                             id, error->message);
      complete_request (self, request, request->booking, outcome);
      return;
    }

  merged = merge_fresh (self, request, fresh);

  if (pc_booking_get_status (merged) == PC_BOOKING_STATUS_REJECTED)
    {
      /* Too late to cancel: the server had already done it. */
      complete_request (self, request, merged, NULL);
      return;
    }

  if (request->sent && pc_booking_get_status (merged) == PC_BOOKING_STATUS_PENDING)
    {
      /* The server has the request and may still carry it out: pending proves nothing
       * yet, and the booking is kept from a second re-invite until it shows. */
      outcome = g_error_new (PC_API_ERROR, PC_API_ERROR_OUTCOME_UNKNOWN,
                             /* Translators: %s is a BookingID */
                             _("The re-invite of booking %s was cancelled after it had "
                               "reached the server, which may still carry it out."),
                             id);
      complete_request (self, request, merged, outcome);
      return;
    }

  if (request->sent)
    outcome = g_error_new (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                           /* Translators: %s is a BookingID, then a booking status */
                           _("The re-invite of booking %s was cancelled. The booking is now "
                             "“%s”, so it was not re-invited."),
                           id, pc_booking_get_status_text (merged));
  else
    outcome = g_error_new (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                           /* Translators: %s is a BookingID */
                           _("The re-invite of booking %s was cancelled before it was sent."),
                           id);
  complete_request (self, request, merged, outcome);
}

/* After a refusal: the booking as the server has it now, so that the rows and pages show
 * why (e.g. it was accepted meanwhile). The refusal is reported either way. */
static void
refresh_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Request *request = user_data;
  PcReinviter *self = request->self;
  g_autoptr(PcBooking) fresh = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) refusal = NULL;

  fresh = pc_api_get_booking_finish (PC_API (source), result, &error);

  if (self == NULL)
    {
      request_free (request);
      return;
    }

  refusal = g_steal_pointer (&request->error);

  if (fresh == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Could not read booking %" G_GINT64_FORMAT " again after the refusal: %s",
                 request->booking_id, error->message);
      complete_request (self, request, request->booking, refusal);
      return;
    }

  complete_request (self, request, merge_fresh (self, request, fresh), refusal);
}

static void
reinvite_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Request *request = user_data;
  PcReinviter *self = request->self;
  g_autoptr(PcBooking) fresh = NULL;
  g_autoptr(GError) error = NULL;

  fresh = pc_api_reinvite_finish (PC_API (source), result, &error);
  request->sent = pc_api_reinvite_was_sent (result);

  if (self == NULL)
    {
      request_free (request);
      return;
    }

  if (fresh != NULL)
    {
      complete_request (self, request, merge_fresh (self, request, fresh), NULL);
      return;
    }

  if (request->cancel_requested &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* The POST may have reached the server before the cancel: never guess, ask. */
      g_debug ("Re-invite of booking %" G_GINT64_FORMAT " cancelled; reading it again",
               request->booking_id);
      request->state = REQUEST_RECONCILING;
      g_clear_object (&request->cancellable);
      request->cancellable = g_cancellable_new ();
      pc_api_get_booking_async (self->api, request->booking_id, request->cancellable,
                                reconcile_cb, request);
      return;
    }

  if (!request->cancel_requested &&
      (g_error_matches (error, PC_API_ERROR, PC_API_ERROR_REJECTED) ||
       g_error_matches (error, PC_API_ERROR, PC_API_ERROR_NOT_FOUND)))
    {
      /* The server refused: the booking has most likely changed there. Read it again
       * before reporting, so that what is shown explains the refusal. */
      g_debug ("Re-invite of booking %" G_GINT64_FORMAT " refused; reading it again",
               request->booking_id);
      request->state = REQUEST_REFRESHING;
      request->error = g_steal_pointer (&error);
      pc_api_get_booking_async (self->api, request->booking_id, request->cancellable,
                                refresh_cb, request);
      return;
    }

  complete_request (self, request, request->booking, error);
}

static void
send_request (PcReinviter *self,
              Request     *request)
{
  g_assert (request->state == REQUEST_QUEUED);

  g_debug ("Re-inviting booking %" G_GINT64_FORMAT, request->booking_id);
  request->state = REQUEST_SENDING;
  request->sent_at = pc_clock_get_now (pc_booking_store_get_clock (self->store));
  /* Recorded before it leaves, for whoever comes after a crash or a kill. */
  if (pc_booking_store_get_outcome_log (self->store) != NULL)
    pc_outcome_log_begin (pc_booking_store_get_outcome_log (self->store), request->booking_id,
                          request->sent_at);
  pc_api_reinvite_async (self->api, request->booking_id, request->reason,
                         request->cancellable, reinvite_cb, request);
}

static void
pc_reinviter_dispose (GObject *object)
{
  PcReinviter *self = (PcReinviter *) object;

  if (self->batch != NULL)
    {
      /* The queued requests are owned by self->requests and freed below. */
      g_clear_pointer (&self->batch, batch_free);
    }

  if (self->requests != NULL)
    {
      GHashTableIter iter;
      Request *request;

      /* In-flight requests now belong to their callbacks, which free them. */
      g_hash_table_iter_init (&iter, self->requests);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &request))
        {
          g_hash_table_iter_steal (&iter);
          request->batch = NULL;
          if (request->state == REQUEST_QUEUED)
            request_free (request);
          else
            {
              /* Its answer will never be heard: whether it happened is unknown. */
              if (pc_booking_store_get_outcome_log (self->store) != NULL)
                pc_outcome_log_end (pc_booking_store_get_outcome_log (self->store),
                                    request->booking_id, TRUE);
              pc_booking_store_mark_outcome_unknown (self->store, request->booking,
                                                     request->sent_at);
              request->self = NULL;
              g_cancellable_cancel (request->cancellable);
            }
        }
    }

  self->busy = FALSE;
  g_clear_object (&self->api);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (pc_reinviter_parent_class)->dispose (object);
}

static void
pc_reinviter_finalize (GObject *object)
{
  PcReinviter *self = (PcReinviter *) object;

  g_clear_pointer (&self->requests, g_hash_table_unref);

  G_OBJECT_CLASS (pc_reinviter_parent_class)->finalize (object);
}

static void
pc_reinviter_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  PcReinviter *self = PC_REINVITER (object);

  switch (prop_id)
    {
    case PROP_API:
      g_value_set_object (value, self->api);
      break;
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    case PROP_BATCH_RUNNING:
      g_value_set_boolean (value, self->batch != NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pc_reinviter_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  PcReinviter *self = PC_REINVITER (object);

  switch (prop_id)
    {
    case PROP_API:
      self->api = g_value_dup_object (value);
      break;
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pc_reinviter_class_init (PcReinviterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pc_reinviter_dispose;
  object_class->finalize = pc_reinviter_finalize;
  object_class->get_property = pc_reinviter_get_property;
  object_class->set_property = pc_reinviter_set_property;

  quark_single = g_quark_from_static_string ("single");
  quark_batch = g_quark_from_static_string ("batch");

  properties[PROP_API] =
    g_param_spec_object ("api", NULL, NULL, PC_TYPE_API,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, PC_TYPE_BOOKING_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * PcReinviter:busy:
   *
   * Whether any re-invite (single or batch, including a reconciliation after a cancel)
   * is in flight.
   */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_BATCH_RUNNING] =
    g_param_spec_boolean ("batch-running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PcReinviter::started:
   * @booking: the booking
   *
   * A re-invite of @booking began. The detail is `single` for pc_reinviter_start() and
   * `batch` for every booking a batch will send (they may wait for a free slot).
   */
  signals[SIGNAL_STARTED] =
    g_signal_new ("started",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, PC_TYPE_BOOKING);

  /**
   * PcReinviter::finished:
   * @booking: the booking; on success the store's object, already updated in place
   * @error: (nullable): %NULL on success; else a #PC_API_ERROR, or %G_IO_ERROR_CANCELLED
   *   when it was cancelled and the booking was not re-invited
   *
   * A re-invite ended. Detail: `single` or `batch`, as for #PcReinviter::started.
   */
  signals[SIGNAL_FINISHED] =
    g_signal_new ("finished",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, PC_TYPE_BOOKING, G_TYPE_ERROR);

  /**
   * PcReinviter::batch-progress:
   * @done: how many requests of the batch have ended
   * @total: how many requests the batch sends (the eligible bookings)
   */
  signals[SIGNAL_BATCH_PROGRESS] =
    g_signal_new ("batch-progress",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);

  /**
   * PcReinviter::batch-finished:
   * @result: every booking's outcome
   *
   * Emitted once per pc_reinviter_start_batch() that returned %TRUE.
   */
  signals[SIGNAL_BATCH_FINISHED] =
    g_signal_new ("batch-finished",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, PC_TYPE_REINVITE_BATCH);
}

static void
pc_reinviter_init (PcReinviter *self)
{
  self->requests = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, request_free);
}

/**
 * pc_reinviter_new:
 * @api: the API client
 * @store: the store whose bookings are updated in place with the server's answers
 */
PcReinviter *
pc_reinviter_new (PcApi          *api,
                  PcBookingStore *store)
{
  g_return_val_if_fail (PC_IS_API (api), NULL);
  g_return_val_if_fail (PC_IS_BOOKING_STORE (store), NULL);

  return g_object_new (PC_TYPE_REINVITER, "api", api, "store", store, NULL);
}

/**
 * pc_reinviter_get_api:
 *
 * Returns: (transfer none): the API client
 */
PcApi *
pc_reinviter_get_api (PcReinviter *self)
{
  g_return_val_if_fail (PC_IS_REINVITER (self), NULL);

  return self->api;
}

/**
 * pc_reinviter_get_store:
 *
 * Returns: (transfer none): the booking store
 */
PcBookingStore *
pc_reinviter_get_store (PcReinviter *self)
{
  g_return_val_if_fail (PC_IS_REINVITER (self), NULL);

  return self->store;
}

/**
 * pc_reinviter_start:
 * @booking: the booking to re-invite
 * @reason: (nullable): the reason; %NULL, empty or blank for the API's default reason
 *
 * Sends one `POST /v1/PhoneChat/ReInvite` for @booking, never retried, and keeps
 * @reason as the booking's draft (until it succeeds). Eligibility is the server's to
 * decide: a booking this client thinks ineligible is still sent. When the server refuses
 * (%PC_API_ERROR_REJECTED or %PC_API_ERROR_NOT_FOUND), the booking is read again and
 * merged into the store before #PcReinviter::finished reports the refusal, so that what
 * the UI shows explains it.
 *
 * Returns: %TRUE if the request was sent; %FALSE (nothing sent) while a re-invite of the
 *   same booking is in flight, single or in a batch, or while the outcome of its last
 *   re-invite is unknown (#PcBooking:outcome-unknown, pc_booking_store_is_outcome_unknown())
 */
gboolean
pc_reinviter_start (PcReinviter *self,
                    PcBooking   *booking,
                    const char  *reason)
{
  Request *request;

  g_return_val_if_fail (PC_IS_REINVITER (self), FALSE);
  g_return_val_if_fail (PC_IS_BOOKING (booking), FALSE);
  g_return_val_if_fail (pc_booking_get_booking_id (booking) > 0, FALSE);
  g_return_val_if_fail (reason == NULL || g_utf8_validate (reason, -1, NULL), FALSE);
  g_return_val_if_fail (self->api != NULL, FALSE);

  if (pc_reinviter_is_busy_for (self, pc_booking_get_booking_id (booking)))
    {
      g_debug ("Re-invite of booking %" G_GINT64_FORMAT " already in flight: not sent again",
               pc_booking_get_booking_id (booking));
      return FALSE;
    }

  if (pc_booking_store_is_outcome_unknown (self->store, booking))
    {
      g_debug ("The outcome of booking %" G_GINT64_FORMAT "'s last re-invite is unknown: "
               "not sent again", pc_booking_get_booking_id (booking));
      return FALSE;
    }

  /* The request copies @reason: it may be a draft that is about to change. */
  request = request_new (self, booking, reason);
  g_hash_table_insert (self->requests, &request->booking_id, request);
  send_request (self, request);

  update_busy (self);
  g_signal_emit (self, signals[SIGNAL_STARTED], quark_single, booking);

  return TRUE;
}

/**
 * pc_reinviter_cancel:
 * @booking_id: the booking whose re-invite to cancel
 *
 * Cancels the booking's re-invite. A batch entry still waiting is dropped without being
 * sent. A request already sent may have reached the server, so the booking is then read
 * again and merged into the store: #PcReinviter::finished reports success if the server
 * shows it rejected, %G_IO_ERROR_CANCELLED if it is unchanged, or
 * %PC_API_ERROR_OUTCOME_UNKNOWN if it could not be read. Does nothing if no re-invite of
 * the booking is in flight.
 */
void
pc_reinviter_cancel (PcReinviter *self,
                     gint64       booking_id)
{
  Request *request;

  g_return_if_fail (PC_IS_REINVITER (self));

  request = g_hash_table_lookup (self->requests, &booking_id);
  if (request == NULL)
    return;

  switch (request->state)
    {
    case REQUEST_QUEUED:
      {
        g_autoptr(GError) error = NULL;
        g_autofree char *id = pc_booking_id_to_string (booking_id);

        g_assert (request->batch != NULL);
        g_queue_remove (&request->batch->queue, request);
        error = g_error_new (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                             /* Translators: %s is a BookingID */
                             _("The re-invite of booking %s was cancelled before it was sent."),
                             id);
        complete_request (self, request, request->booking, error);
      }
      break;

    case REQUEST_SENDING:
      if (!request->cancel_requested)
        {
          request->cancel_requested = TRUE;
          g_cancellable_cancel (request->cancellable);
        }
      break;

    case REQUEST_REFRESHING:
      /* The POST was refused: only the re-read is left, which can go. */
      if (!request->cancel_requested)
        {
          request->cancel_requested = TRUE;
          g_cancellable_cancel (request->cancellable);
        }
      break;

    case REQUEST_RECONCILING:
    default:
      /* Already finding out what happened. */
      break;
    }
}

/**
 * pc_reinviter_get_busy:
 *
 * Returns: whether any re-invite is in flight
 */
gboolean
pc_reinviter_get_busy (PcReinviter *self)
{
  g_return_val_if_fail (PC_IS_REINVITER (self), FALSE);

  return self->busy;
}

/**
 * pc_reinviter_is_busy_for:
 *
 * Returns: whether a re-invite of @booking_id is in flight or waiting in a batch. It
 *   turns %TRUE before #PcReinviter::started and %FALSE before #PcReinviter::finished.
 */
gboolean
pc_reinviter_is_busy_for (PcReinviter *self,
                          gint64       booking_id)
{
  g_return_val_if_fail (PC_IS_REINVITER (self), FALSE);

  return g_hash_table_contains (self->requests, &booking_id);
}

/**
 * pc_reinviter_get_reason:
 *
 * Returns: (nullable): the reason sent with the booking's re-invite in flight; %NULL
 *   when none is in flight or it goes without a reason (the API's default)
 */
const char *
pc_reinviter_get_reason (PcReinviter *self,
                         gint64       booking_id)
{
  Request *request;

  g_return_val_if_fail (PC_IS_REINVITER (self), NULL);

  request = g_hash_table_lookup (self->requests, &booking_id);
  return request != NULL ? request->reason : NULL;
}

/**
 * pc_reinviter_start_batch:
 * @bookings: (element-type PcBooking): the bookings to re-invite
 * @reason: (nullable): one reason for all; %NULL or blank for the API's default reason
 *
 * Re-invites every eligible booking of @bookings with at most
 * %PC_REINVITER_MAX_IN_FLIGHT requests in flight, each booking exactly once (duplicates
 * are ignored). A booking that cannot be re-invited (#PcBooking:can-reinvite), whose
 * re-invite is already in flight or whose last re-invite's outcome is unknown is skipped,
 * with the reason in the result.
 * #PcReinviter::started and #PcReinviter::finished (detail `batch`) bracket each sent
 * booking, #PcReinviter::batch-progress follows each one, and
 * #PcReinviter::batch-finished ends the batch, always after this function returned.
 *
 * Returns: %TRUE if the batch started; %FALSE (nothing sent) while another batch runs
 */
gboolean
pc_reinviter_start_batch (PcReinviter *self,
                          GPtrArray   *bookings,
                          const char  *reason)
{
  g_autoptr(GHashTable) seen = NULL;
  g_autoptr(GPtrArray) started = NULL;
  Batch *batch;

  g_return_val_if_fail (PC_IS_REINVITER (self), FALSE);
  g_return_val_if_fail (bookings != NULL, FALSE);
  g_return_val_if_fail (reason == NULL || g_utf8_validate (reason, -1, NULL), FALSE);
  g_return_val_if_fail (self->api != NULL, FALSE);

  for (guint i = 0; i < bookings->len; i++)
    g_return_val_if_fail (PC_IS_BOOKING (g_ptr_array_index (bookings, i)), FALSE);

  if (self->batch != NULL)
    {
      g_debug ("A batch is already running: not starting another");
      return FALSE;
    }

  batch = g_new0 (Batch, 1);
  batch->result = pc_reinvite_batch_new (reason);
  g_queue_init (&batch->queue);

  seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  started = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < bookings->len; i++)
    {
      PcBooking *booking = g_ptr_array_index (bookings, i);
      gint64 booking_id;
      guint index;

      booking_id = pc_booking_get_booking_id (booking);
      if (!g_hash_table_add (seen, int64_dup (booking_id)))
        continue;

      index = _pc_reinvite_batch_add_booking (batch->result, booking);

      if (!pc_booking_get_can_reinvite (booking))
        _pc_reinvite_batch_set (batch->result, index, PC_REINVITE_OUTCOME_SKIPPED,
                               pc_booking_get_reinvite_blocker_text (booking), NULL);
      else if (pc_booking_store_is_outcome_unknown (self->store, booking))
        _pc_reinvite_batch_set (batch->result, index, PC_REINVITE_OUTCOME_SKIPPED,
                               _("The outcome of the last re-invite is not known yet: the "
                                 "server may still carry it out. PhoneChat is waiting for the "
                                 "booking to show what happened."), NULL);
      else if (pc_reinviter_is_busy_for (self, booking_id))
        _pc_reinvite_batch_set (batch->result, index, PC_REINVITE_OUTCOME_SKIPPED,
                               _("A re-invite of this booking is already in progress."),
                               NULL);
      else
        {
          Request *request = request_new (self, booking, reason);

          request->batch = batch;
          request->batch_index = index;
          g_hash_table_insert (self->requests, &request->booking_id, request);
          g_queue_push_tail (&batch->queue, request);
          g_ptr_array_add (started, g_object_ref (booking));
        }
    }
  batch->total = g_queue_get_length (&batch->queue);
  self->batch = batch;

  g_debug ("Batch of %u bookings: %u to send", pc_reinvite_batch_get_n_items (batch->result),
           batch->total);

  batch_pump (self, batch);
  if (batch->total == 0)
    batch->idle_id = g_idle_add_full (G_PRIORITY_DEFAULT, batch_finish_cb, self, NULL);

  update_busy (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BATCH_RUNNING]);

  for (guint i = 0; i < started->len; i++)
    g_signal_emit (self, signals[SIGNAL_STARTED], quark_batch, g_ptr_array_index (started, i));

  if (self->batch == batch)
    g_signal_emit (self, signals[SIGNAL_BATCH_PROGRESS], 0, 0, batch->total);

  return TRUE;
}

/**
 * pc_reinviter_cancel_batch:
 *
 * Cancels the running batch: waiting bookings are not sent, and bookings in flight are
 * cancelled as by pc_reinviter_cancel(). #PcReinviter::batch-finished follows once the
 * requests in flight have been reconciled.
 */
void
pc_reinviter_cancel_batch (PcReinviter *self)
{
  g_autoptr(GArray) ids = NULL;
  Batch *batch;
  GHashTableIter iter;
  Request *request;

  g_return_if_fail (PC_IS_REINVITER (self));

  batch = self->batch;
  if (batch == NULL)
    return;

  batch->cancelled = TRUE;

  ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_hash_table_iter_init (&iter, self->requests);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &request))
    if (request->batch == batch && request->state != REQUEST_QUEUED)
      g_array_append_val (ids, request->booking_id);
  for (guint i = 0; i < ids->len; i++)
    pc_reinviter_cancel (self, g_array_index (ids, gint64, i));

  while (self->batch == batch && !g_queue_is_empty (&batch->queue))
    {
      request = g_queue_peek_head (&batch->queue);
      pc_reinviter_cancel (self, request->booking_id);
    }
}

/**
 * pc_reinviter_get_batch_running:
 *
 * Returns: whether a batch is running
 */
gboolean
pc_reinviter_get_batch_running (PcReinviter *self)
{
  g_return_val_if_fail (PC_IS_REINVITER (self), FALSE);

  return self->batch != NULL;
}
