/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pc-watcher"

#include "config.h"

#include "pc-api.h"
#include "pc-booking.h"
#include "pc-booking-loader.h"
#include "pc-booking-store.h"
#include "pc-enums.h"
#include "pc-watcher.h"

/**
 * PcWatcher:
 *
 * Live updates: re-reads the received bookings on a schedule through a
 * #PcBookingLoader, which merges them into its store in place, and says what changed
 * between two reads (#PcWatcher::booking-added, #PcWatcher::booking-changed,
 * #PcWatcher::booking-removed). A refresh that someone else started (the user's F5)
 * counts as a read too.
 *
 * The schedule: the next read comes #PcWatcher:base-interval seconds after a read that
 * found a change, and twice as long after each read in a row that found none or failed,
 * up to #PcWatcher:max-interval. A server that answers 429 or 503 with `Retry-After` is
 * not asked again before that time is up; a 429 without it waits
 * %PC_WATCHER_RATE_LIMITED_DELAY seconds at least. #PcWatcher:next-delay is the delay
 * chosen for the read now scheduled.
 *
 * It reads only while started, not paused (the caller pauses it while the session is
 * idle) and online by its #GNetworkMonitor; resuming or coming back online reads at once.
 *
 * The first read (or the store as it was loaded when the watcher started) is the
 * baseline: what it holds is not announced. A booking is announced as added once only,
 * even if it leaves the list and comes back.
 */
struct _PcWatcher
{
  GObject          parent_instance;

  PcBookingLoader *loader;
  GNetworkMonitor *monitor;  /* NULL: the server is always reachable (loopback) */

  guint            base_interval;
  guint            max_interval;
  guint            next_delay;
  guint            n_quiet;   /* reads in a row without a change, or failed */
  guint            source_id;
  gulong           refreshed_id;
  gulong           api_id;
  gulong           network_id;

  /* Seen, sorted by booking_id: every booking seen since the baseline, present or not.
   * One flat array, no allocation or hash slot per booking: a baseline can hold 100,000
   * bookings. Complete and sorted once priming is over (seen_lookup()). */
  GArray          *seen;
  guint            primed_load;  /* the loader's load the baseline was taken from */

  /* A baseline taken a slice at a time (prime()): the store as it was, the next
   * position in it and the idle source. */
  GPtrArray       *prime_items;
  guint            prime_next;
  guint            prime_id;

  guint            started : 1;
  guint            paused : 1;
  guint            online : 1;
  guint            primed : 1;
  /* A booking's LastUpdated moved since the last read was compared: something changed
   * that the status alone does not show. Told by the store, so that no record of every
   * booking's LastUpdated is kept. */
  guint            updated : 1;
};

/* One per booking ever seen, so kept small: 16 bytes. */
typedef struct
{
  gint64  booking_id;
  guint8  status;       /* PcBookingStatus */
  guint8  present : 1;  /* in the last read */
  guint8  listed : 1;   /* in the read being compared (compare()) */
} Seen;

typedef struct
{
  PcBooking       *booking;
  PcBookingStatus  old_status;
  PcBookingStatus  new_status;
} Change;

G_DEFINE_FINAL_TYPE (PcWatcher, pc_watcher, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LOADER,
  PROP_NETWORK_MONITOR,
  PROP_BASE_INTERVAL,
  PROP_MAX_INTERVAL,
  PROP_PAUSED,
  PROP_ONLINE,
  PROP_ACTIVE,
  PROP_NEXT_DELAY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_BOOKING_ADDED,
  SIGNAL_BOOKING_CHANGED,
  SIGNAL_BOOKING_REMOVED,
  SIGNAL_READ_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
is_active (PcWatcher *self)
{
  return self->started && !self->paused && self->online;
}

static void
set_next_delay (PcWatcher *self,
                guint      delay)
{
  if (self->next_delay == delay)
    return;

  self->next_delay = delay;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEXT_DELAY]);
}

static void
unschedule (PcWatcher *self)
{
  g_clear_handle_id (&self->source_id, g_source_remove);
  set_next_delay (self, 0);
}

/* base × 2^n_quiet, at most max (and never below base). */
static guint
backoff_delay (PcWatcher *self)
{
  guint max = MAX (self->max_interval, self->base_interval);
  guint delay = self->base_interval;

  for (guint i = 0; i < self->n_quiet && delay < max; i++)
    delay = delay > max / 2 ? max : delay * 2;

  return MIN (delay, max);
}

static gboolean
timeout_cb (gpointer user_data);

static void
schedule (PcWatcher *self,
          guint      delay)
{
  g_clear_handle_id (&self->source_id, g_source_remove);
  if (!is_active (self))
    {
      set_next_delay (self, 0);
      return;
    }

  g_debug ("Next read in %u s", delay);
  self->source_id = g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, delay, timeout_cb, self,
                                                NULL);
  g_source_set_name_by_id (self->source_id, "[pc-watcher] next read");
  set_next_delay (self, delay);
}

static void
start_read (PcWatcher *self)
{
  unschedule (self);
  if (!is_active (self))
    return;

  /* Signed out: nothing to read until an API comes (notify::api). */
  if (pc_booking_loader_get_api (self->loader) == NULL)
    return;

  /* Already loading (the user's refresh): its end is this read's. */
  pc_booking_loader_refresh (self->loader);
}

static gboolean
timeout_cb (gpointer user_data)
{
  PcWatcher *self = user_data;

  self->source_id = 0;
  start_read (self);

  return G_SOURCE_REMOVE;
}

static void
change_clear (gpointer data)
{
  Change *change = data;

  g_clear_object (&change->booking);
}

static int
seen_compare (gconstpointer a,
              gconstpointer b)
{
  gint64 id_a = ((const Seen *) a)->booking_id;
  gint64 id_b = ((const Seen *) b)->booking_id;

  return id_a < id_b ? -1 : id_a > id_b;
}

/* The record of @booking_id in the sorted array, or NULL. */
static Seen *
seen_lookup (PcWatcher *self,
             gint64     booking_id)
{
  Seen key = { .booking_id = booking_id };
  guint index;

  if (!g_array_binary_search (self->seen, &key, seen_compare, &index))
    return NULL;

  return &g_array_index (self->seen, Seen, index);
}

/* Bookings the baseline takes in one main-loop iteration: about a millisecond. */
#define PRIME_SLICE 2048

/* Adds bookings from prime_next on to the baseline, at most @max (0: all). Returns
 * whether the baseline is whole. */
static gboolean
prime_some (PcWatcher *self,
            guint      max)
{
  guint n = self->prime_items->len;
  guint end = max == 0 ? n : MIN (n, self->prime_next + max);

  for (guint i = self->prime_next; i < end; i++)
    {
      PcBooking *booking = g_ptr_array_index (self->prime_items, i);
      Seen seen = {
        .booking_id = pc_booking_get_booking_id (booking),
        .status = pc_booking_get_status (booking),
        .present = TRUE,
      };

      g_array_append_val (self->seen, seen);
    }
  self->prime_next = end;

  /* A store's ids are unique: sorted, the baseline is ready for lookups. */
  if (end == n)
    g_array_sort (self->seen, seen_compare);

  return end == n;
}

static void
stop_priming (PcWatcher *self)
{
  g_clear_handle_id (&self->prime_id, g_source_remove);
  g_clear_pointer (&self->prime_items, g_ptr_array_unref);
}

/* The rest of the baseline at once, before a comparison. */
static void
finish_priming (PcWatcher *self)
{
  if (self->prime_items == NULL)
    return;

  prime_some (self, 0);
  stop_priming (self);
}

static gboolean
prime_slice_cb (gpointer user_data)
{
  PcWatcher *self = user_data;

  if (!prime_some (self, PRIME_SLICE))
    return G_SOURCE_CONTINUE;

  self->prime_id = 0;
  stop_priming (self);
  return G_SOURCE_REMOVE;
}

/* The store as it is now becomes the baseline, announced to nobody. A big store is
 * taken a slice at a time at idle priority from a copy of its list, so that the end of
 * a load of 100,000 bookings does not hold the main loop (frames come first); what
 * happens to the store meanwhile does not change the baseline, which is whole before
 * any comparison. */
static void
prime (PcWatcher *self)
{
  PcBookingStore *store = pc_booking_loader_get_store (self->loader);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (store));

  stop_priming (self);
  /* Room for exactly the baseline: grown by doubling, a GArray would keep room for up to
   * twice the records (0.4 MiB more with 100,000) for as long as the app runs. */
  g_array_unref (self->seen);
  if (n > 0)
    {
      self->seen = g_array_new_take (g_new (Seen, n), n, FALSE, sizeof (Seen));
      g_array_set_size (self->seen, 0);
    }
  else
    self->seen = g_array_new (FALSE, FALSE, sizeof (Seen));
  self->primed = TRUE;
  self->updated = FALSE;
  self->primed_load = pc_booking_loader_get_n_loads (self->loader);

  self->prime_items = g_ptr_array_new_full (n, g_object_unref);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (self->prime_items, g_object_ref (pc_booking_store_peek (store, i)));
  self->prime_next = 0;

  if (prime_some (self, PRIME_SLICE))
    {
      stop_priming (self);
      return;
    }

  self->prime_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, prime_slice_cb, self, NULL);
  g_source_set_name_by_id (self->prime_id, "[pc-watcher] baseline");
}

/* Compares the store with the last read and announces the difference. Returns whether
 * anything changed. */
static gboolean
compare (PcWatcher *self)
{
  PcBookingStore *store = pc_booking_loader_get_store (self->loader);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (store));
  g_autoptr(GPtrArray) added = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
  g_autoptr(GArray) removed = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) fresh = g_array_new (FALSE, FALSE, sizeof (Seen));
  gboolean changed = self->updated;

  self->updated = FALSE;
  g_array_set_clear_func (changes, change_clear);
  finish_priming (self);
  n = g_list_model_get_n_items (G_LIST_MODEL (store));

  for (guint i = 0; i < n; i++)
    {
      PcBooking *booking = pc_booking_store_peek (store, i);
      gint64 id = pc_booking_get_booking_id (booking);
      PcBookingStatus status = pc_booking_get_status (booking);
      Seen *seen = seen_lookup (self, id);

      if (seen == NULL)
        {
          /* Joins the sorted array after the loop, which looks ids up in it. */
          Seen new_seen = { .booking_id = id, .status = status, .present = TRUE };

          g_array_append_val (fresh, new_seen);
          g_ptr_array_add (added, g_object_ref (booking));
          changed = TRUE;
          continue;
        }

      seen->listed = TRUE;
      if (!seen->present)
        changed = TRUE;
      seen->present = TRUE;

      if (seen->status != status)
        {
          Change change = { g_object_ref (booking), seen->status, status };

          g_array_append_val (changes, change);
          seen->status = status;
          changed = TRUE;
        }
    }

  for (guint i = 0; i < self->seen->len; i++)
    {
      Seen *seen = &g_array_index (self->seen, Seen, i);

      if (seen->present && !seen->listed)
        {
          seen->present = FALSE;
          g_array_append_val (removed, seen->booking_id);
          changed = TRUE;
        }
      seen->listed = FALSE;
    }
  if (fresh->len > 0)
    {
      g_array_append_vals (self->seen, fresh->data, fresh->len);
      g_array_sort (self->seen, seen_compare);
    }

  /* Announced once the record is whole: a handler may call back. */
  for (guint i = 0; i < added->len; i++)
    g_signal_emit (self, signals[SIGNAL_BOOKING_ADDED], 0, g_ptr_array_index (added, i));
  for (guint i = 0; i < changes->len; i++)
    {
      Change *change = &g_array_index (changes, Change, i);

      g_signal_emit (self, signals[SIGNAL_BOOKING_CHANGED], 0, change->booking,
                     change->old_status, change->new_status);
    }
  for (guint i = 0; i < removed->len; i++)
    g_signal_emit (self, signals[SIGNAL_BOOKING_REMOVED], 0,
                   g_array_index (removed, gint64, i));

  return changed;
}

static guint
delay_after_error (PcWatcher    *self,
                   const GError *error)
{
  guint delay = backoff_delay (self);
  guint retry_after = pc_api_error_get_retry_after (error);

  if (retry_after > 0)
    return MAX (delay, retry_after);
  if (g_error_matches (error, PC_API_ERROR, PC_API_ERROR_RATE_LIMITED))
    return MAX (delay, PC_WATCHER_RATE_LIMITED_DELAY);

  return delay;
}

static void
refreshed_cb (PcWatcher       *self,
              const GError    *error,
              PcBookingLoader *loader)
{
  g_autoptr(PcWatcher) keep = NULL;
  guint delay;

  if (!self->started)
    return;

  keep = g_object_ref (self);

  if (error == NULL)
    {
      if (!self->primed)
        {
          prime (self);
          self->n_quiet = 0;
        }
      else if (self->primed_load == pc_booking_loader_get_n_loads (loader))
        /* The load the baseline was just taken from (the watcher started as it
         * ended): nothing to compare, and a store of 100,000 bookings is not gone
         * through twice in one main-loop iteration. */
        {
          self->updated = FALSE;
          self->n_quiet = 0;
        }
      else if (compare (self))
        self->n_quiet = 0;
      else
        self->n_quiet++;
      delay = backoff_delay (self);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    delay = backoff_delay (self);
  else
    {
      /* Counted before the delay is chosen: the first failure already waits longer. */
      self->n_quiet++;
      delay = delay_after_error (self, error);
      g_debug ("Read failed (%s); next in %u s", error->message, delay);
    }

  if (self->started)
    schedule (self, delay);

  g_signal_emit (self, signals[SIGNAL_READ_FINISHED], 0, error);
}

static void
api_changed_cb (PcWatcher       *self,
                GParamSpec      *pspec,
                PcBookingLoader *loader)
{
  /* Another account or server: its bookings are a new baseline. */
  g_array_set_size (self->seen, 0);
  self->primed = FALSE;
  self->n_quiet = 0;
  if (self->started)
    start_read (self);
}

static void
set_online (PcWatcher *self,
            gboolean   online)
{
  gboolean was_active = is_active (self);

  if (self->online == !!online)
    return;

  self->online = !!online;
  g_debug ("Network %s", online ? "up" : "down");

  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ONLINE]);
  if (was_active != is_active (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);
  g_object_thaw_notify (G_OBJECT (self));

  if (online)
    start_read (self);
  else
    unschedule (self);
}

static void
network_changed_cb (PcWatcher       *self,
                    gboolean         available,
                    GNetworkMonitor *monitor)
{
  set_online (self, g_network_monitor_get_network_available (monitor));
}

/* The interned name of PcBooking:last-updated. */
static const char *last_updated_name;

static void
booking_changed_cb (PcWatcher      *self,
                    PcBooking      *booking,
                    GParamSpec     *pspec,
                    PcBookingStore *store)
{
  /* Property names are interned (class_init). */
  if (pspec->name == last_updated_name)
    self->updated = TRUE;
}

static void
pc_watcher_dispose (GObject *object)
{
  PcWatcher *self = (PcWatcher *) object;

  g_clear_handle_id (&self->source_id, g_source_remove);
  if (self->loader != NULL)
    {
      stop_priming (self);
      g_clear_signal_handler (&self->refreshed_id, self->loader);
      g_clear_signal_handler (&self->api_id, self->loader);
    }
  if (self->monitor != NULL)
    g_clear_signal_handler (&self->network_id, self->monitor);
  g_clear_object (&self->loader);
  g_clear_object (&self->monitor);

  G_OBJECT_CLASS (pc_watcher_parent_class)->dispose (object);
}

static void
pc_watcher_finalize (GObject *object)
{
  PcWatcher *self = (PcWatcher *) object;

  g_clear_pointer (&self->seen, g_array_unref);

  G_OBJECT_CLASS (pc_watcher_parent_class)->finalize (object);
}

static void
pc_watcher_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  PcWatcher *self = PC_WATCHER (object);

  switch (prop_id)
    {
    case PROP_LOADER:
      g_value_set_object (value, self->loader);
      break;
    case PROP_NETWORK_MONITOR:
      g_value_set_object (value, self->monitor);
      break;
    case PROP_BASE_INTERVAL:
      g_value_set_uint (value, self->base_interval);
      break;
    case PROP_MAX_INTERVAL:
      g_value_set_uint (value, self->max_interval);
      break;
    case PROP_PAUSED:
      g_value_set_boolean (value, self->paused);
      break;
    case PROP_ONLINE:
      g_value_set_boolean (value, self->online);
      break;
    case PROP_ACTIVE:
      g_value_set_boolean (value, is_active (self));
      break;
    case PROP_NEXT_DELAY:
      g_value_set_uint (value, self->next_delay);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pc_watcher_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  PcWatcher *self = PC_WATCHER (object);

  switch (prop_id)
    {
    case PROP_LOADER:
      self->loader = g_value_dup_object (value);
      break;
    case PROP_NETWORK_MONITOR:
      self->monitor = g_value_dup_object (value);
      break;
    case PROP_BASE_INTERVAL:
      pc_watcher_set_base_interval (self, g_value_get_uint (value));
      break;
    case PROP_MAX_INTERVAL:
      pc_watcher_set_max_interval (self, g_value_get_uint (value));
      break;
    case PROP_PAUSED:
      pc_watcher_set_paused (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pc_watcher_constructed (GObject *object)
{
  PcWatcher *self = (PcWatcher *) object;

  G_OBJECT_CLASS (pc_watcher_parent_class)->constructed (object);

  g_assert (PC_IS_BOOKING_LOADER (self->loader));
  self->refreshed_id = g_signal_connect_swapped (self->loader, "refreshed",
                                                 G_CALLBACK (refreshed_cb), self);
  self->api_id = g_signal_connect_swapped (self->loader, "notify::api",
                                           G_CALLBACK (api_changed_cb), self);
  /* Disconnected when the watcher goes, whatever becomes of the loader first. */
  g_signal_connect_object (pc_booking_loader_get_store (self->loader), "booking-changed",
                           G_CALLBACK (booking_changed_cb), self, G_CONNECT_SWAPPED);
  if (self->monitor != NULL)
    {
      self->online = g_network_monitor_get_network_available (self->monitor);
      self->network_id = g_signal_connect_swapped (self->monitor, "network-changed",
                                                   G_CALLBACK (network_changed_cb), self);
    }
}

static void
pc_watcher_class_init (PcWatcherClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  last_updated_name = g_intern_static_string ("last-updated");

  object_class->constructed = pc_watcher_constructed;
  object_class->dispose = pc_watcher_dispose;
  object_class->finalize = pc_watcher_finalize;
  object_class->get_property = pc_watcher_get_property;
  object_class->set_property = pc_watcher_set_property;

  properties[PROP_LOADER] =
    g_param_spec_object ("loader", NULL, NULL, PC_TYPE_BOOKING_LOADER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NETWORK_MONITOR] =
    g_param_spec_object ("network-monitor", NULL, NULL, G_TYPE_NETWORK_MONITOR,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BASE_INTERVAL] =
    g_param_spec_uint ("base-interval", NULL, NULL, 1, 24 * 60 * 60,
                       PC_WATCHER_DEFAULT_BASE_INTERVAL,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_INTERVAL] =
    g_param_spec_uint ("max-interval", NULL, NULL, 1, 24 * 60 * 60,
                       PC_WATCHER_DEFAULT_MAX_INTERVAL,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PAUSED] =
    g_param_spec_boolean ("paused", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ONLINE] =
    g_param_spec_boolean ("online", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACTIVE] =
    g_param_spec_boolean ("active", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_NEXT_DELAY] =
    g_param_spec_uint ("next-delay", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PcWatcher::booking-added:
   * @booking: the booking, as the store holds it
   *
   * A booking appeared that no read since the baseline had listed.
   */
  signals[SIGNAL_BOOKING_ADDED] =
    g_signal_new ("booking-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, PC_TYPE_BOOKING);

  /**
   * PcWatcher::booking-changed:
   * @booking: the booking, as the store holds it
   * @old_status: its status in the read before
   * @new_status: its status now
   */
  signals[SIGNAL_BOOKING_CHANGED] =
    g_signal_new ("booking-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 3, PC_TYPE_BOOKING,
                  PC_TYPE_BOOKING_STATUS, PC_TYPE_BOOKING_STATUS);

  /**
   * PcWatcher::booking-removed:
   * @booking_id: the BookingID the server no longer lists
   */
  signals[SIGNAL_BOOKING_REMOVED] =
    g_signal_new ("booking-removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  /**
   * PcWatcher::read-finished:
   * @error: (nullable): why the read failed, or %NULL
   *
   * A read ended and the next one is scheduled (#PcWatcher:next-delay).
   */
  signals[SIGNAL_READ_FINISHED] =
    g_signal_new ("read-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                  G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
pc_watcher_init (PcWatcher *self)
{
  self->base_interval = PC_WATCHER_DEFAULT_BASE_INTERVAL;
  self->max_interval = PC_WATCHER_DEFAULT_MAX_INTERVAL;
  self->online = TRUE;
  self->seen = g_array_new (FALSE, FALSE, sizeof (Seen));
}

/**
 * pc_watcher_new:
 * @loader: reads the bookings into its store
 * @monitor: (nullable): says when the network is down; %NULL for a server that is
 *   always reachable (loopback)
 */
PcWatcher *
pc_watcher_new (PcBookingLoader *loader,
                GNetworkMonitor *monitor)
{
  g_return_val_if_fail (PC_IS_BOOKING_LOADER (loader), NULL);
  g_return_val_if_fail (monitor == NULL || G_IS_NETWORK_MONITOR (monitor), NULL);

  return g_object_new (PC_TYPE_WATCHER, "loader", loader, "network-monitor", monitor, NULL);
}

PcBookingLoader *
pc_watcher_get_loader (PcWatcher *self)
{
  g_return_val_if_fail (PC_IS_WATCHER (self), NULL);

  return self->loader;
}

GNetworkMonitor *
pc_watcher_get_network_monitor (PcWatcher *self)
{
  g_return_val_if_fail (PC_IS_WATCHER (self), NULL);

  return self->monitor;
}

guint
pc_watcher_get_base_interval (PcWatcher *self)
{
  g_return_val_if_fail (PC_IS_WATCHER (self), 0);

  return self->base_interval;
}

/**
 * pc_watcher_set_base_interval:
 * @seconds: the delay after a read that found a change
 *
 * Takes effect from the next read on.
 */
void
pc_watcher_set_base_interval (PcWatcher *self,
                              guint      seconds)
{
  g_return_if_fail (PC_IS_WATCHER (self));
  g_return_if_fail (seconds > 0);

  if (self->base_interval == seconds)
    return;

  self->base_interval = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BASE_INTERVAL]);
}

guint
pc_watcher_get_max_interval (PcWatcher *self)
{
  g_return_val_if_fail (PC_IS_WATCHER (self), 0);

  return self->max_interval;
}

/**
 * pc_watcher_set_max_interval:
 * @seconds: the longest delay the back-off reaches (a server's Retry-After may ask for
 *   longer, and gets it); less than #PcWatcher:base-interval counts as that
 */
void
pc_watcher_set_max_interval (PcWatcher *self,
                             guint      seconds)
{
  g_return_if_fail (PC_IS_WATCHER (self));
  g_return_if_fail (seconds > 0);

  if (self->max_interval == seconds)
    return;

  self->max_interval = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_INTERVAL]);
}

static void
start (PcWatcher *self,
       gboolean   read_at_once)
{
  if (self->started)
    return;

  self->started = TRUE;
  self->n_quiet = 0;
  if (!self->primed && pc_booking_loader_get_loaded (self->loader))
    prime (self);
  if (is_active (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);
  if (read_at_once || !self->primed)
    start_read (self);
  else
    schedule (self, backoff_delay (self));
}

/**
 * pc_watcher_start:
 *
 * Starts watching with a read at once (when active). A store that was loaded already
 * is the baseline.
 */
void
pc_watcher_start (PcWatcher *self)
{
  g_return_if_fail (PC_IS_WATCHER (self));

  start (self, TRUE);
}

/**
 * pc_watcher_start_scheduled:
 *
 * Like pc_watcher_start(), but when the store was loaded already (it is then the
 * baseline) the first read comes #PcWatcher:base-interval seconds later rather than at
 * once: for a store that was just loaded, which a read at once would only load again.
 */
void
pc_watcher_start_scheduled (PcWatcher *self)
{
  g_return_if_fail (PC_IS_WATCHER (self));

  start (self, FALSE);
}

/**
 * pc_watcher_stop:
 *
 * No more reads are scheduled. A refresh in flight goes on (it is the loader's), and
 * what it finds is not announced.
 */
void
pc_watcher_stop (PcWatcher *self)
{
  gboolean was_active;

  g_return_if_fail (PC_IS_WATCHER (self));

  if (!self->started)
    return;

  was_active = is_active (self);
  self->started = FALSE;
  unschedule (self);
  if (was_active)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);
}

gboolean
pc_watcher_get_paused (PcWatcher *self)
{
  g_return_val_if_fail (PC_IS_WATCHER (self), FALSE);

  return self->paused;
}

/**
 * pc_watcher_set_paused:
 * @paused: whether to stop reading for now
 *
 * Pausing removes the scheduled read; resuming reads at once.
 */
void
pc_watcher_set_paused (PcWatcher *self,
                       gboolean   paused)
{
  gboolean was_active;

  g_return_if_fail (PC_IS_WATCHER (self));

  if (self->paused == !!paused)
    return;

  was_active = is_active (self);
  self->paused = !!paused;

  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSED]);
  if (was_active != is_active (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);
  g_object_thaw_notify (G_OBJECT (self));

  if (paused)
    unschedule (self);
  else
    start_read (self);
}

gboolean
pc_watcher_get_online (PcWatcher *self)
{
  g_return_val_if_fail (PC_IS_WATCHER (self), FALSE);

  return self->online;
}

/**
 * pc_watcher_get_active:
 *
 * Returns: whether reads are scheduled: started, not paused and online
 */
gboolean
pc_watcher_get_active (PcWatcher *self)
{
  g_return_val_if_fail (PC_IS_WATCHER (self), FALSE);

  return is_active (self);
}

/**
 * pc_watcher_get_next_delay:
 *
 * Returns: the seconds between the end of the last read and the next, as scheduled;
 *   0 when no read is scheduled (one is under way, or the watcher is not active)
 */
guint
pc_watcher_get_next_delay (PcWatcher *self)
{
  g_return_val_if_fail (PC_IS_WATCHER (self), 0);

  return self->next_delay;
}

/**
 * pc_watcher_read_now:
 *
 * Reads at once instead of when scheduled, if the watcher is active; the schedule goes
 * on from that read's result. Does nothing while stopped, paused or offline.
 */
void
pc_watcher_read_now (PcWatcher *self)
{
  g_return_if_fail (PC_IS_WATCHER (self));

  start_read (self);
}
