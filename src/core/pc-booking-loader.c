/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pc-booking-loader"

#include "config.h"

#include <glib/gi18n.h>

#include "pc-api.h"
#include "pc-booking.h"
#include "pc-booking-private.h"
#include "pc-booking-loader.h"
#include "pc-booking-store.h"
#include "pc-clock.h"

/**
 * PcBookingLoader:
 *
 * Keeps a #PcBookingStore in step with the server and with the clock. A refresh reads
 * every page of received bookings and merges each page into the store as it arrives, so
 * the list fills progressively; only a refresh that completes drops the bookings that
 * vanished. A failed refresh keeps what the store holds and reports the error through
 * the #PcBookingLoader:error property.
 *
 * A view that draws in frames can pace the merging (pc_booking_loader_set_paced()):
 * pages then wait in the loader until pc_booking_loader_merge_pending(), which the view
 * calls once a frame, so that the main loop never merges more than what arrived since the
 * last frame; the refresh completes once every page is merged.
 *
 * Time-based booking properties (can-reinvite, is-expired) are re-evaluated when the
 * next of them is due, with a timeout on the system clock.
 */
struct _PcBookingLoader
{
  GObject          parent_instance;

  PcApi           *api;
  PcBookingStore  *store;
  GCancellable    *cancellable; /* of the refresh in flight */
  GError          *error;
  GDateTime       *last_updated;
  GDateTime       *next_change; /* when the time source fires */
  guint            bookings_per_page;
  guint            time_source_id;
  guint            finish_id;     /* finish_refresh() after the frame that merged the last */
  gulong           items_changed_id;
  GQueue           pending;     /* GPtrArray of PcBooking: pages not merged yet (paced) */
  guint            pending_offset; /* bookings of the first pending page merged already */
  GPtrArray       *finished_bookings; /* the refresh ended with these, or with */
  GError          *finished_error;    /* this; it completes once pending is empty */
  guint            finished : 1;
  guint            started_empty : 1; /* the refresh began with an empty store */
  guint            paced : 1;
  guint            loading : 1;
  guint            n_loads;  /* refreshes that completed */
  guint            loaded : 1;
};

G_DEFINE_FINAL_TYPE (PcBookingLoader, pc_booking_loader, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_API,
  PROP_STORE,
  PROP_BOOKINGS_PER_PAGE,
  PROP_LOADING,
  PROP_LOADED,
  PROP_ERROR,
  PROP_LAST_UPDATED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_REFRESHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

#define DEFAULT_BOOKINGS_PER_PAGE 50

static void
set_loading (PcBookingLoader *self,
             gboolean         loading)
{
  if (self->loading == !!loading)
    return;

  self->loading = !!loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
set_loaded (PcBookingLoader *self,
            gboolean         loaded)
{
  if (self->loaded == !!loaded)
    return;

  self->loaded = !!loaded;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
}

/* Takes @error. */
static void
take_error (PcBookingLoader *self,
            GError          *error)
{
  if (self->error == NULL && error == NULL)
    return;

  g_clear_error (&self->error);
  self->error = error;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

static GDateTime *
get_now (PcBookingLoader *self)
{
  return pc_clock_get_now (pc_booking_store_get_clock (self->store));
}

static gboolean
time_refresh_cb (gpointer user_data);

static gboolean
is_earlier (GDateTime *a,
            GDateTime *b)
{
  return b == NULL || g_date_time_compare (a, b) < 0;
}

/* The earliest moment at which a booking's time-based properties change, among the
 * @n_items bookings from @position on: a pending booking becoming re-invitable (its
 * reinvite-available-at, the SessionDate), or any session passing (is-expired). Numbers,
 * not GDateTimes: this runs over every booking of a page.
 *
 * Returns: (transfer full) (nullable): that moment, or %NULL for none */
static GDateTime *
find_next_change (PcBookingLoader *self,
                  GDateTime       *now,
                  guint            position,
                  guint            n_items)
{
  gint64 now_usec = g_date_time_to_unix_usec (now);
  gint64 next = PC_BOOKING_NO_DATE;

  for (guint i = position; i < position + n_items; i++)
    {
      PcBooking *booking = pc_booking_store_peek (self->store, i);
      gint64 available = pc_booking_get_reinvite_available_at_usec (booking);
      gint64 session = pc_booking_get_session_date_usec (booking);

      if (available != PC_BOOKING_NO_DATE && (next == PC_BOOKING_NO_DATE || available < next))
        next = available;
      if (session != PC_BOOKING_NO_DATE && session > now_usec &&
          (next == PC_BOOKING_NO_DATE || session < next))
        next = session;
    }

  return next != PC_BOOKING_NO_DATE ? g_date_time_new_from_unix_utc_usec (next) : NULL;
}

/* Re-evaluates the time-based properties at @next (none when NULL). */
static void
schedule_at (PcBookingLoader *self,
             GDateTime       *now,
             GDateTime       *next)
{
  GTimeSpan diff;
  guint seconds;

  g_clear_handle_id (&self->time_source_id, g_source_remove);
  g_clear_pointer (&self->next_change, g_date_time_unref);
  if (next == NULL)
    return;

  self->next_change = g_date_time_ref (next);
  diff = g_date_time_difference (next, now);
  seconds = (guint) CLAMP (diff / G_USEC_PER_SEC + 1, 1, 24 * 60 * 60);
  self->time_source_id = g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, seconds,
                                                     time_refresh_cb, self, NULL);
}

static void
schedule_time_refresh (PcBookingLoader *self)
{
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) next = NULL;

  /* A fixed clock only moves when told to, and then the store follows it by itself. */
  if (pc_clock_is_fixed (pc_booking_store_get_clock (self->store)))
    {
      schedule_at (self, NULL, NULL);
      return;
    }

  now = get_now (self);
  next = find_next_change (self, now, 0, g_list_model_get_n_items (G_LIST_MODEL (self->store)));
  schedule_at (self, now, next);
}

static gboolean
time_refresh_cb (gpointer user_data)
{
  PcBookingLoader *self = user_data;

  self->time_source_id = 0;
  pc_booking_store_refresh_time (self->store);
  schedule_time_refresh (self);

  return G_SOURCE_REMOVE;
}

/* Only the bookings added can bring the next change forward: a page costs what it holds,
 * not what the store holds. A booking that left only makes the timeout come early once,
 * and then the next one is found again. */
static void
store_items_changed_cb (PcBookingLoader *self,
                        guint            position,
                        guint            removed,
                        guint            added,
                        GListModel      *model)
{
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) next = NULL;

  if (added == 0 || pc_clock_is_fixed (pc_booking_store_get_clock (self->store)))
    return;

  now = get_now (self);
  next = find_next_change (self, now, position, added);
  if (next != NULL && is_earlier (next, self->next_change))
    schedule_at (self, now, next);
}

/* One refresh: pages and the result of a refresh that was replaced are ignored. */
typedef struct
{
  PcBookingLoader *self;
  GCancellable    *cancellable;
} Refresh;

static void
refresh_free (Refresh *refresh)
{
  g_clear_object (&refresh->self);
  g_clear_object (&refresh->cancellable);
  g_free (refresh);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Refresh, refresh_free)

static gboolean
refresh_is_current (Refresh *refresh)
{
  return refresh->self->cancellable == refresh->cancellable &&
         !g_cancellable_is_cancelled (refresh->cancellable);
}

static void
page_cb (PcApi          *api,
         PcReceivedPage *page,
         gpointer        user_data)
{
  Refresh *refresh = user_data;

  if (!refresh_is_current (refresh))
    return;

  if (page->bookings == NULL || page->bookings->len == 0)
    return;

  if (refresh->self->paced)
    g_queue_push_tail (&refresh->self->pending, g_ptr_array_ref (page->bookings));
  else
    pc_booking_store_merge (refresh->self->store, page->bookings);
}

static void
clear_pending (PcBookingLoader *self)
{
  g_clear_handle_id (&self->finish_id, g_source_remove);
  g_queue_clear_full (&self->pending, (GDestroyNotify) g_ptr_array_unref);
  self->pending_offset = 0;
  g_clear_pointer (&self->finished_bookings, g_ptr_array_unref);
  g_clear_error (&self->finished_error);
  self->finished = FALSE;
}

/* The end of a refresh whose pages are all merged: with finished_bookings, drop what
 * the server no longer lists; else report finished_error. */
static void
finish_refresh (PcBookingLoader *self)
{
  g_autoptr(GPtrArray) bookings = g_steal_pointer (&self->finished_bookings);
  g_autoptr(GError) error = g_steal_pointer (&self->finished_error);

  g_clear_handle_id (&self->finish_id, g_source_remove);
  self->finished = FALSE;
  g_clear_object (&self->cancellable);
  g_object_freeze_notify (G_OBJECT (self));

  if (bookings != NULL)
    {
      guint removed = 0;

      /* Every page was merged into the store, so it holds every booking listed: when
       * it holds no more than that, nothing vanished. Merging them all again would hold
       * the main loop for as long as the store is big, for nothing. */
      if (g_list_model_get_n_items (G_LIST_MODEL (self->store)) != bookings->len)
        {
          g_autoptr(GHashTable) ids = g_hash_table_new (g_int64_hash, g_int64_equal);

          for (guint i = 0; i < bookings->len; i++)
            {
              PcBooking *b = g_ptr_array_index (bookings, i);

              g_hash_table_add (ids, &b->booking_id);
            }
          removed = pc_booking_store_retain (self->store, ids);
        }
      g_debug ("Loaded %u bookings, dropped %u", bookings->len, removed);

      self->n_loads++;
      g_clear_pointer (&self->last_updated, g_date_time_unref);
      self->last_updated = get_now (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_UPDATED]);
      take_error (self, NULL);
      set_loaded (self, TRUE);
      /* Bookings that were there already may have changed times; new ones were seen
       * as they came (store_items_changed_cb). */
      if (!self->started_empty)
        schedule_time_refresh (self);
    }
  else
    {
      /* The message is for people, but the window words its own; keep this one in
       * the debug log. */
      g_debug ("Could not load bookings: %s", error->message);
      take_error (self, g_steal_pointer (&error));
    }

  set_loading (self, FALSE);
  g_object_thaw_notify (G_OBJECT (self));

  g_signal_emit (self, signals[SIGNAL_REFRESHED], 0, self->error);
}

static gboolean
finish_idle_cb (gpointer user_data)
{
  PcBookingLoader *self = user_data;

  self->finish_id = 0;
  if (self->finished && g_queue_is_empty (&self->pending))
    finish_refresh (self);

  return G_SOURCE_REMOVE;
}

static void
list_all_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(Refresh) refresh = user_data;
  PcBookingLoader *self = refresh->self;
  g_autoptr(GPtrArray) bookings = NULL;
  g_autoptr(GError) error = NULL;

  bookings = pc_api_list_all_bookings_finish (PC_API (source), result, &error);

  /* Cancelled, or replaced by a newer refresh (pc_booking_loader_cancel() already
   * reset the state). */
  if (!refresh_is_current (refresh))
    return;

  self->finished_bookings = g_steal_pointer (&bookings);
  self->finished_error = g_steal_pointer (&error);
  self->finished = TRUE;

  /* Paced: the pages still waiting are merged first. */
  if (g_queue_is_empty (&self->pending))
    finish_refresh (self);
}

static void
pc_booking_loader_dispose (GObject *object)
{
  PcBookingLoader *self = (PcBookingLoader *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  clear_pending (self);
  g_clear_handle_id (&self->time_source_id, g_source_remove);
  g_clear_signal_handler (&self->items_changed_id, self->store);
  g_clear_object (&self->api);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (pc_booking_loader_parent_class)->dispose (object);
}

static void
pc_booking_loader_finalize (GObject *object)
{
  PcBookingLoader *self = (PcBookingLoader *) object;

  g_clear_error (&self->error);
  g_clear_pointer (&self->last_updated, g_date_time_unref);
  g_clear_pointer (&self->next_change, g_date_time_unref);

  G_OBJECT_CLASS (pc_booking_loader_parent_class)->finalize (object);
}

static void
pc_booking_loader_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  PcBookingLoader *self = PC_BOOKING_LOADER (object);

  switch (prop_id)
    {
    case PROP_API:
      g_value_set_object (value, self->api);
      break;
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_BOOKINGS_PER_PAGE:
      g_value_set_uint (value, self->bookings_per_page);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;
    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;
    case PROP_LAST_UPDATED:
      g_value_set_boxed (value, self->last_updated);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pc_booking_loader_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  PcBookingLoader *self = PC_BOOKING_LOADER (object);

  switch (prop_id)
    {
    case PROP_API:
      pc_booking_loader_set_api (self, g_value_get_object (value));
      break;
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_BOOKINGS_PER_PAGE:
      pc_booking_loader_set_bookings_per_page (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pc_booking_loader_constructed (GObject *object)
{
  PcBookingLoader *self = (PcBookingLoader *) object;

  G_OBJECT_CLASS (pc_booking_loader_parent_class)->constructed (object);

  g_assert (PC_IS_BOOKING_STORE (self->store));
  self->items_changed_id = g_signal_connect_object (self->store, "items-changed",
                                                    G_CALLBACK (store_items_changed_cb),
                                                    self, G_CONNECT_SWAPPED);
}

static void
pc_booking_loader_class_init (PcBookingLoaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = pc_booking_loader_constructed;
  object_class->dispose = pc_booking_loader_dispose;
  object_class->finalize = pc_booking_loader_finalize;
  object_class->get_property = pc_booking_loader_get_property;
  object_class->set_property = pc_booking_loader_set_property;

  properties[PROP_API] =
    g_param_spec_object ("api", NULL, NULL, PC_TYPE_API,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, PC_TYPE_BOOKING_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BOOKINGS_PER_PAGE] =
    g_param_spec_uint ("bookings-per-page", NULL, NULL, 1, 1000, DEFAULT_BOOKINGS_PER_PAGE,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_UPDATED] =
    g_param_spec_boxed ("last-updated", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PcBookingLoader::refreshed:
   * @error: (nullable): %NULL when the refresh completed (the store holds what the
   *   server lists), else why not: %G_IO_ERROR_CANCELLED when it was cancelled
   *
   * A refresh ended, whoever started it.
   */
  signals[SIGNAL_REFRESHED] =
    g_signal_new ("refreshed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                  G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
pc_booking_loader_init (PcBookingLoader *self)
{
  self->bookings_per_page = DEFAULT_BOOKINGS_PER_PAGE;
}

/**
 * pc_booking_loader_new:
 * @api: (nullable): where bookings come from; %NULL while signed out
 * @store: the store to fill
 */
PcBookingLoader *
pc_booking_loader_new (PcApi          *api,
                       PcBookingStore *store)
{
  g_return_val_if_fail (api == NULL || PC_IS_API (api), NULL);
  g_return_val_if_fail (PC_IS_BOOKING_STORE (store), NULL);

  return g_object_new (PC_TYPE_BOOKING_LOADER, "api", api, "store", store, NULL);
}

PcApi *
pc_booking_loader_get_api (PcBookingLoader *self)
{
  g_return_val_if_fail (PC_IS_BOOKING_LOADER (self), NULL);

  return self->api;
}

/**
 * pc_booking_loader_set_api:
 * @api: (nullable): the new source of bookings
 *
 * Switching to another API (another account or server) cancels a refresh in flight and
 * empties the store: its bookings belonged to the previous source.
 */
void
pc_booking_loader_set_api (PcBookingLoader *self,
                           PcApi           *api)
{
  g_return_if_fail (PC_IS_BOOKING_LOADER (self));
  g_return_if_fail (api == NULL || PC_IS_API (api));

  if (self->api == api)
    return;

  g_object_freeze_notify (G_OBJECT (self));

  /* The store is set after "api" during construction. */
  if (self->store != NULL)
    {
      pc_booking_loader_cancel (self);
      pc_booking_store_remove_all (self->store);
    }
  g_set_object (&self->api, api);
  take_error (self, NULL);
  set_loaded (self, FALSE);
  if (self->last_updated != NULL)
    {
      g_clear_pointer (&self->last_updated, g_date_time_unref);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_UPDATED]);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_API]);

  g_object_thaw_notify (G_OBJECT (self));
}

PcBookingStore *
pc_booking_loader_get_store (PcBookingLoader *self)
{
  g_return_val_if_fail (PC_IS_BOOKING_LOADER (self), NULL);

  return self->store;
}

guint
pc_booking_loader_get_bookings_per_page (PcBookingLoader *self)
{
  g_return_val_if_fail (PC_IS_BOOKING_LOADER (self), 0);

  return self->bookings_per_page;
}

void
pc_booking_loader_set_bookings_per_page (PcBookingLoader *self,
                                         guint            bookings_per_page)
{
  g_return_if_fail (PC_IS_BOOKING_LOADER (self));
  g_return_if_fail (bookings_per_page > 0);

  if (self->bookings_per_page == bookings_per_page)
    return;

  self->bookings_per_page = bookings_per_page;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BOOKINGS_PER_PAGE]);
}

gboolean
pc_booking_loader_get_loading (PcBookingLoader *self)
{
  g_return_val_if_fail (PC_IS_BOOKING_LOADER (self), FALSE);

  return self->loading;
}

/**
 * pc_booking_loader_get_loaded:
 *
 * Returns: whether a refresh has completed since the API was set
 */
gboolean
pc_booking_loader_get_loaded (PcBookingLoader *self)
{
  g_return_val_if_fail (PC_IS_BOOKING_LOADER (self), FALSE);

  return self->loaded;
}

/**
 * pc_booking_loader_get_n_loads:
 *
 * Returns: how many refreshes have completed, each counted before anything about it
 *   is notified: which load a store's contents come from
 */
guint
pc_booking_loader_get_n_loads (PcBookingLoader *self)
{
  g_return_val_if_fail (PC_IS_BOOKING_LOADER (self), 0);

  return self->n_loads;
}

/**
 * pc_booking_loader_get_error:
 *
 * Returns: (nullable) (transfer none): why the last refresh failed; %NULL once one
 *   succeeds
 */
const GError *
pc_booking_loader_get_error (PcBookingLoader *self)
{
  g_return_val_if_fail (PC_IS_BOOKING_LOADER (self), NULL);

  return self->error;
}

/**
 * pc_booking_loader_get_last_updated:
 *
 * Returns: (nullable) (transfer none): when the last refresh completed
 */
GDateTime *
pc_booking_loader_get_last_updated (PcBookingLoader *self)
{
  g_return_val_if_fail (PC_IS_BOOKING_LOADER (self), NULL);

  return self->last_updated;
}

/**
 * pc_booking_loader_refresh:
 *
 * Starts reading every page of received bookings, unless a refresh is already running.
 * Without an API this fails at once with %PC_API_ERROR_NO_TOKEN.
 */
void
pc_booking_loader_refresh (PcBookingLoader *self)
{
  Refresh *refresh;

  g_return_if_fail (PC_IS_BOOKING_LOADER (self));

  if (self->loading)
    return;

  if (self->api == NULL)
    {
      take_error (self, g_error_new_literal (PC_API_ERROR, PC_API_ERROR_NO_TOKEN,
                                             _("There is no access token to send.")));
      return;
    }

  self->started_empty = g_list_model_get_n_items (G_LIST_MODEL (self->store)) == 0;
  refresh = g_new0 (Refresh, 1);
  refresh->self = g_object_ref (self);
  refresh->cancellable = g_cancellable_new ();
  self->cancellable = g_object_ref (refresh->cancellable);
  set_loading (self, TRUE);
  pc_api_list_all_bookings_async (self->api,
                                  self->bookings_per_page,
                                  page_cb, refresh, NULL,
                                  refresh->cancellable,
                                  list_all_cb,
                                  refresh);
}

/**
 * pc_booking_loader_cancel:
 *
 * Cancels the refresh in flight, if any, and emits #PcBookingLoader::refreshed with
 * %G_IO_ERROR_CANCELLED. What it merged so far stays.
 */
void
pc_booking_loader_cancel (PcBookingLoader *self)
{
  g_autoptr(GError) cancelled = NULL;

  g_return_if_fail (PC_IS_BOOKING_LOADER (self));

  if (self->cancellable == NULL)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  clear_pending (self);
  set_loading (self, FALSE);

  cancelled = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                   _("The refresh was cancelled."));
  g_signal_emit (self, signals[SIGNAL_REFRESHED], 0, cancelled);
}

/**
 * pc_booking_loader_set_paced:
 * @paced: whether pages wait for pc_booking_loader_merge_pending()
 *
 * A view that draws in frames paces the merging: each page then waits until the view
 * calls pc_booking_loader_merge_pending(), once a frame, and a refresh completes once all
 * its pages are merged. Turning pacing off merges the pages waiting at once. Off by
 * default: each page is merged as it arrives.
 */
void
pc_booking_loader_set_paced (PcBookingLoader *self,
                             gboolean         paced)
{
  g_return_if_fail (PC_IS_BOOKING_LOADER (self));

  self->paced = !!paced;
  if (!paced)
    pc_booking_loader_merge_pending (self, 0);
}

/**
 * pc_booking_loader_get_n_pending:
 *
 * Returns: how many bookings wait to be merged (see pc_booking_loader_set_paced())
 */
guint
pc_booking_loader_get_n_pending (PcBookingLoader *self)
{
  guint n = 0;

  g_return_val_if_fail (PC_IS_BOOKING_LOADER (self), 0);

  for (GList *l = self->pending.head; l != NULL; l = l->next)
    n += ((GPtrArray *) l->data)->len;

  return n - self->pending_offset;
}

/**
 * pc_booking_loader_merge_pending:
 * @max_bookings: how many bookings to merge at most; 0 for all
 *
 * Merges the bookings of pages that wait (see pc_booking_loader_set_paced()), oldest
 * first, in one #GListModel::items-changed, and completes the refresh when it has ended
 * and no page waits any more.
 *
 * Returns: how many bookings were merged
 */
guint
pc_booking_loader_merge_pending (PcBookingLoader *self,
                                 guint            max_bookings)
{
  g_autoptr(PcBookingLoader) keep = NULL;
  g_autoptr(GPtrArray) batch = NULL;

  g_return_val_if_fail (PC_IS_BOOKING_LOADER (self), 0);

  keep = g_object_ref (self);
  batch = g_ptr_array_new_with_free_func (g_object_unref);
  while (!g_queue_is_empty (&self->pending) && (max_bookings == 0 || batch->len < max_bookings))
    {
      GPtrArray *page = g_queue_peek_head (&self->pending);

      while (self->pending_offset < page->len &&
             (max_bookings == 0 || batch->len < max_bookings))
        g_ptr_array_add (batch, g_object_ref (g_ptr_array_index (page, self->pending_offset++)));

      if (self->pending_offset == page->len)
        {
          g_ptr_array_unref (g_queue_pop_head (&self->pending));
          self->pending_offset = 0;
        }
    }

  if (batch->len > 0)
    pc_booking_store_merge (self->store, batch);

  /* The end of the refresh (its notifications, and what their handlers go through: the
   * watcher, the reminders) in a main-loop iteration of its own, so that the frame
   * that shows the last bookings is not held by it. */
  if (self->finished && g_queue_is_empty (&self->pending) && self->finish_id == 0)
    {
      self->finish_id = g_idle_add_full (G_PRIORITY_DEFAULT, finish_idle_cb, self, NULL);
      g_source_set_name_by_id (self->finish_id, "[pc-booking-loader] finish refresh");
    }

  return batch->len;
}
