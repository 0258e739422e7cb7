/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pc-booking-store"

#include "config.h"

#include "pc-booking-private.h"
#include "pc-booking-store.h"
#include "pc-clock.h"

/**
 * PcBookingStore:
 *
 * The received bookings, as a #GListModel keyed by BookingID. A newer server copy of a
 * booking is merged into the object already in the store, so rows and pages bound to it
 * follow by notify; new ids are appended; a full refresh can drop the ones that vanished.
 * Order is arrival order: views sort.
 *
 * #PcBookingStore::booking-changed tells of every change of a booking in the store (or of
 * its client) with one handler for them all, however many there are.
 *
 * With a #PcOutcomeLog (pc_booking_store_set_outcome_log()), every booking merged from a
 * read has #PcBooking:outcome-unknown set or cleared by what the read shows
 * (pc_outcome_log_apply_read()).
 */
struct _PcBookingStore
{
  GObject     parent_instance;

  GPtrArray  *items;   /* PcBooking, owned */
  /* A set of the bookings' own id members (gint64 *): booking_from_id() gives the booking.
   * A set has no value array: 8 bytes less per slot than id → booking. */
  GHashTable *by_id;
  PcClock    *clock;
  gulong      clock_changed_id;
  PcOutcomeLog *outcome_log;
  gulong      outcome_log_changed_id;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PcBookingStore, pc_booking_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_CLOCK,
  PROP_N_ITEMS,
  N_PROPS
};

enum {
  SIGNAL_BOOKING_BECAME_REINVITABLE,
  SIGNAL_BOOKING_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static GType
pc_booking_store_get_item_type (GListModel *model)
{
  return PC_TYPE_BOOKING;
}

static guint
pc_booking_store_get_n_items (GListModel *model)
{
  return PC_BOOKING_STORE (model)->items->len;
}

static gpointer
pc_booking_store_get_item (GListModel *model,
                           guint       position)
{
  PcBookingStore *self = PC_BOOKING_STORE (model);

  if (position >= self->items->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = pc_booking_store_get_item_type;
  iface->get_n_items = pc_booking_store_get_n_items;
  iface->get_item = pc_booking_store_get_item;
}

static void
items_changed (PcBookingStore *self,
               guint           position,
               guint           removed,
               guint           added)
{
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
  if (removed != added)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

/* @booking leaves the store: its changes are no longer the store's. */
static void
release (PcBookingStore *self,
         PcBooking      *booking)
{
  if (booking->store == self)
    _pc_booking_leave_store (booking, self);
}

static void
release_all (PcBookingStore *self)
{
  for (guint i = 0; i < self->items->len; i++)
    release (self, g_ptr_array_index (self->items, i));
}

void
_pc_booking_store_booking_changed (PcBookingStore *self,
                                   PcBooking      *booking,
                                   GParamSpec     *pspec)
{
  g_signal_emit (self, signals[SIGNAL_BOOKING_CHANGED], 0, booking, pspec);
}

static void
clock_changed_cb (PcBookingStore *self,
                  PcClock        *clock)
{
  pc_booking_store_refresh_time (self);
}

static void
pc_booking_store_dispose (GObject *object)
{
  PcBookingStore *self = (PcBookingStore *) object;

  /* The bookings first: one that outlives the store keeps the store's clock. */
  if (self->by_id != NULL)
    g_hash_table_remove_all (self->by_id);
  if (self->items != NULL)
    {
      release_all (self);
      g_ptr_array_set_size (self->items, 0);
    }
  g_clear_signal_handler (&self->clock_changed_id, self->clock);
  g_clear_object (&self->clock);
  g_clear_signal_handler (&self->outcome_log_changed_id, self->outcome_log);
  g_clear_object (&self->outcome_log);

  G_OBJECT_CLASS (pc_booking_store_parent_class)->dispose (object);
}

static void
pc_booking_store_finalize (GObject *object)
{
  PcBookingStore *self = (PcBookingStore *) object;

  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->items, g_ptr_array_unref);

  G_OBJECT_CLASS (pc_booking_store_parent_class)->finalize (object);
}

static void
pc_booking_store_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  PcBookingStore *self = PC_BOOKING_STORE (object);

  switch (prop_id)
    {
    case PROP_CLOCK:
      g_value_set_object (value, self->clock);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->items->len);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pc_booking_store_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  PcBookingStore *self = PC_BOOKING_STORE (object);

  switch (prop_id)
    {
    case PROP_CLOCK:
      self->clock = g_value_dup_object (value);
      if (self->clock == NULL)
        self->clock = pc_clock_new_system ();
      self->clock_changed_id = g_signal_connect_object (self->clock, "changed",
                                                        G_CALLBACK (clock_changed_cb), self,
                                                        G_CONNECT_SWAPPED);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pc_booking_store_class_init (PcBookingStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pc_booking_store_dispose;
  object_class->finalize = pc_booking_store_finalize;
  object_class->get_property = pc_booking_store_get_property;
  object_class->set_property = pc_booking_store_set_property;

  properties[PROP_CLOCK] =
    g_param_spec_object ("clock", NULL, NULL, PC_TYPE_CLOCK,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PcBookingStore::booking-became-reinvitable:
   * @booking: the booking
   *
   * Emitted by pc_booking_store_refresh_time() when a booking that could not be
   * re-invited can be now because its session time passed while it was pending.
   */
  signals[SIGNAL_BOOKING_BECAME_REINVITABLE] =
    g_signal_new ("booking-became-reinvitable",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, PC_TYPE_BOOKING);

  /**
   * PcBookingStore::booking-changed:
   * @booking: a booking in the store
   * @pspec: the property of @booking, or of its #PcClient, that was notified
   *
   * Emitted for every #GObject::notify of a booking in the store and of its client,
   * whoever changed it.
   */
  signals[SIGNAL_BOOKING_CHANGED] =
    g_signal_new ("booking-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, PC_TYPE_BOOKING, G_TYPE_PARAM);
}

static void
pc_booking_store_init (PcBookingStore *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
}

/**
 * pc_booking_store_new:
 * @clock: (nullable): where "now" comes from; %NULL for the system clock
 */
PcBookingStore *
pc_booking_store_new (PcClock *clock)
{
  g_return_val_if_fail (clock == NULL || PC_IS_CLOCK (clock), NULL);

  return g_object_new (PC_TYPE_BOOKING_STORE, "clock", clock, NULL);
}

/**
 * pc_booking_store_get_clock:
 *
 * Returns: (transfer none): the clock every booking in the store uses
 */
PcClock *
pc_booking_store_get_clock (PcBookingStore *self)
{
  g_return_val_if_fail (PC_IS_BOOKING_STORE (self), NULL);

  return self->clock;
}

/**
 * pc_booking_store_peek:
 * @position: less than the number of items
 *
 * g_list_model_get_item() without a reference, for loops over the whole store that
 * must stay cheap (the watcher's comparison, the reminders, the window's counts).
 *
 * Returns: (transfer none): the booking at @position
 */
PcBooking *
pc_booking_store_peek (PcBookingStore *self,
                       guint           position)
{
  g_return_val_if_fail (PC_IS_BOOKING_STORE (self), NULL);
  g_return_val_if_fail (position < self->items->len, NULL);

  return g_ptr_array_index (self->items, position);
}

/* The booking whose id member @id_member is (an entry of by_id), or NULL. */
static inline PcBooking *
booking_from_id (gint64 *id_member)
{
  return id_member != NULL
         ? (PcBooking *) ((guint8 *) id_member - G_STRUCT_OFFSET (PcBooking, booking_id))
         : NULL;
}

static PcBooking *
lookup_id (PcBookingStore *self,
           gint64          booking_id)
{
  return booking_from_id (g_hash_table_lookup (self->by_id, &booking_id));
}

/**
 * pc_booking_store_lookup:
 *
 * Returns: (transfer none) (nullable): the booking with that id
 */
PcBooking *
pc_booking_store_lookup (PcBookingStore *self,
                         gint64          booking_id)
{
  g_return_val_if_fail (PC_IS_BOOKING_STORE (self), NULL);

  return lookup_id (self, booking_id);
}

static gboolean
is_booking (gpointer key,
            gpointer value,
            gpointer booking)
{
  return booking_from_id (key) == booking;
}

/* Drops @booking from the id index. Its id is its identity and should not change while it
 * is in a store; if it did anyway, the entry is found by value, so none is left dangling. */
static void
forget_booking (PcBookingStore *self,
                PcBooking      *booking)
{
  if (lookup_id (self, booking->booking_id) == booking)
    g_hash_table_remove (self->by_id, &booking->booking_id);
  else
    g_hash_table_foreach_remove (self->by_id, is_booking, booking);
  release (self, booking);
}

/* Merges or appends without emitting items-changed. Returns the booking in the store. */
static PcBooking *
merge_quietly (PcBookingStore *self,
               PcBooking      *booking,
               GDateTime      *now)
{
  PcBooking *existing = lookup_id (self, booking->booking_id);

  if (existing != NULL)
    {
      pc_booking_update_from (existing, booking);
      /* A read: it may show what became of a re-invite whose answer was lost. */
      if (self->outcome_log != NULL)
        pc_outcome_log_apply_read (self->outcome_log, existing, now);
      return existing;
    }

  if (self->outcome_log != NULL)
    pc_outcome_log_apply_read (self->outcome_log, booking, now);
  _pc_booking_members_set (booking, now);
  /* From now on the store's clock is the booking's (pc_booking_get_clock()); nobody
   * observes a new object yet, so no notify. */
  booking->store = self;
  g_ptr_array_add (self->items, g_object_ref (booking));
  /* The booking's own member, no copy: 32 bytes less per booking. The entry goes before
   * the booking does (forget_booking(), remove_all). */
  g_hash_table_add (self->by_id, &booking->booking_id);
  return booking;
}

/**
 * pc_booking_store_merge_one:
 * @booking: a booking from the server
 *
 * Returns: (transfer none): the booking as it is in the store: the existing object, now
 *   updated in place, or @booking itself if its id was new
 */
PcBooking *
pc_booking_store_merge_one (PcBookingStore *self,
                            PcBooking      *booking)
{
  g_autoptr(GDateTime) now = NULL;
  guint before;
  PcBooking *result;

  g_return_val_if_fail (PC_IS_BOOKING_STORE (self), NULL);
  g_return_val_if_fail (PC_IS_BOOKING (booking), NULL);

  before = self->items->len;
  now = pc_clock_get_now (self->clock);
  result = merge_quietly (self, booking, now);
  if (self->items->len != before)
    items_changed (self, before, 0, self->items->len - before);

  return result;
}

/**
 * pc_booking_store_merge:
 * @bookings: (element-type PcBooking): bookings from the server
 *
 * Updates the bookings already known in place and appends the new ones with a single
 * #GListModel::items-changed.
 */
void
pc_booking_store_merge (PcBookingStore *self,
                        GPtrArray      *bookings)
{
  g_autoptr(GDateTime) now = NULL;
  guint before;

  g_return_if_fail (PC_IS_BOOKING_STORE (self));
  g_return_if_fail (bookings != NULL);

  before = self->items->len;
  now = pc_clock_get_now (self->clock);
  for (guint i = 0; i < bookings->len; i++)
    merge_quietly (self, g_ptr_array_index (bookings, i), now);

  if (self->items->len != before)
    items_changed (self, before, 0, self->items->len - before);
}

/**
 * pc_booking_store_retain:
 * @booking_ids: (element-type gint64 gint64): the ids to keep (keys are `gint64 *`)
 *
 * Removes every booking whose id is not in @booking_ids: the end of a full refresh.
 *
 * Returns: how many bookings were removed
 */
guint
pc_booking_store_retain (PcBookingStore *self,
                         GHashTable     *booking_ids)
{
  guint removed = 0;
  guint i;

  g_return_val_if_fail (PC_IS_BOOKING_STORE (self), 0);
  g_return_val_if_fail (booking_ids != NULL, 0);

  /* From the end, one items-changed per run of removed items, so positions stay valid. */
  i = self->items->len;
  while (i > 0)
    {
      guint run_end = i;

      while (i > 0)
        {
          PcBooking *b = g_ptr_array_index (self->items, i - 1);

          if (g_hash_table_contains (booking_ids, &b->booking_id))
            break;
          forget_booking (self, b);
          i--;
        }

      if (i < run_end)
        {
          g_ptr_array_remove_range (self->items, i, run_end - i);
          removed += run_end - i;
          items_changed (self, i, run_end - i, 0);
        }

      if (i > 0)
        i--;
    }

  return removed;
}

/**
 * pc_booking_store_replace_all:
 * @bookings: (element-type PcBooking): the complete list from the server
 *
 * Merges @bookings and drops every booking that is not among them.
 *
 * Returns: how many bookings were dropped
 */
guint
pc_booking_store_replace_all (PcBookingStore *self,
                              GPtrArray      *bookings)
{
  g_autoptr(GHashTable) ids = NULL;

  g_return_val_if_fail (PC_IS_BOOKING_STORE (self), 0);
  g_return_val_if_fail (bookings != NULL, 0);

  ids = g_hash_table_new (g_int64_hash, g_int64_equal);
  for (guint i = 0; i < bookings->len; i++)
    {
      PcBooking *b = g_ptr_array_index (bookings, i);

      g_hash_table_add (ids, &b->booking_id);
    }

  pc_booking_store_merge (self, bookings);
  return pc_booking_store_retain (self, ids);
}

/**
 * pc_booking_store_remove:
 * @booking_id: a BookingID
 *
 * Removes the booking with @booking_id, e.g. after the server deleted it.
 *
 * Returns: whether the store had it
 */
gboolean
pc_booking_store_remove (PcBookingStore *self,
                         gint64          booking_id)
{
  PcBooking *booking;
  guint position;

  g_return_val_if_fail (PC_IS_BOOKING_STORE (self), FALSE);

  booking = lookup_id (self, booking_id);
  if (booking == NULL || !g_ptr_array_find (self->items, booking, &position))
    return FALSE;

  forget_booking (self, booking);
  g_ptr_array_remove_index (self->items, position);
  items_changed (self, position, 1, 0);
  return TRUE;
}

void
pc_booking_store_remove_all (PcBookingStore *self)
{
  guint n;

  g_return_if_fail (PC_IS_BOOKING_STORE (self));

  n = self->items->len;
  if (n == 0)
    return;

  g_hash_table_remove_all (self->by_id);
  release_all (self);
  g_ptr_array_set_size (self->items, 0);
  items_changed (self, 0, n, 0);
}

/**
 * pc_booking_store_refresh_time:
 *
 * Re-evaluates every booking's time-based properties against the store's clock and
 * emits #PcBookingStore::booking-became-reinvitable for each booking whose session time
 * has just passed while it was pending. The application calls this when
 * pc_booking_store_next_change() is reached; a fixed clock calls it when it moves.
 */
void
pc_booking_store_refresh_time (PcBookingStore *self)
{
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GPtrArray) became = NULL;

  g_return_if_fail (PC_IS_BOOKING_STORE (self));

  now = pc_clock_get_now (self->clock);
  became = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < self->items->len; i++)
    {
      PcBooking *b = g_ptr_array_index (self->items, i);

      if (pc_booking_refresh_time (b, now) && pc_booking_get_can_reinvite (b))
        g_ptr_array_add (became, g_object_ref (b));
    }

  /* Emit after the loop: a handler may change the store. */
  for (guint i = 0; i < became->len; i++)
    g_signal_emit (self, signals[SIGNAL_BOOKING_BECAME_REINVITABLE], 0,
                   g_ptr_array_index (became, i));
}

/**
 * pc_booking_store_next_change:
 *
 * Returns: (transfer full) (nullable): the earliest moment at which a booking's
 *   can-reinvite will turn true, or %NULL if none will
 */
GDateTime *
pc_booking_store_next_change (PcBookingStore *self)
{
  gint64 next = PC_BOOKING_NO_DATE;

  g_return_val_if_fail (PC_IS_BOOKING_STORE (self), NULL);

  for (guint i = 0; i < self->items->len; i++)
    {
      gint64 at = pc_booking_get_reinvite_available_at_usec (g_ptr_array_index (self->items, i));

      if (at != PC_BOOKING_NO_DATE && (next == PC_BOOKING_NO_DATE || at < next))
        next = at;
    }

  return next != PC_BOOKING_NO_DATE ? g_date_time_new_from_unix_utc_usec (next) : NULL;
}

static void
outcome_log_changed_cb (PcBookingStore *self,
                        PcOutcomeLog   *log)
{
  for (guint i = 0; i < self->items->len; i++)
    pc_outcome_log_apply_marks (log, g_ptr_array_index (self->items, i));
}

/**
 * pc_booking_store_set_outcome_log:
 * @log: (nullable): the re-invites of unknown outcome for the bookings of this store
 *
 * Every booking in the store and every one merged from now on follows @log: its
 * #PcBooking:outcome-unknown is set from it, and a merged read clears a mark when it
 * shows what happened (pc_outcome_log_apply_read()).
 */
void
pc_booking_store_set_outcome_log (PcBookingStore *self,
                                  PcOutcomeLog   *log)
{
  g_return_if_fail (PC_IS_BOOKING_STORE (self));
  g_return_if_fail (log == NULL || PC_IS_OUTCOME_LOG (log));

  if (self->outcome_log == log)
    return;

  g_clear_signal_handler (&self->outcome_log_changed_id, self->outcome_log);
  g_set_object (&self->outcome_log, log);

  if (log != NULL)
    {
      self->outcome_log_changed_id =
        g_signal_connect_object (log, "changed", G_CALLBACK (outcome_log_changed_cb), self,
                                 G_CONNECT_SWAPPED);
      outcome_log_changed_cb (self, log);
    }
  else
    for (guint i = 0; i < self->items->len; i++)
      pc_booking_set_outcome_unknown (g_ptr_array_index (self->items, i), FALSE);
}

/**
 * pc_booking_store_get_outcome_log:
 *
 * Returns: (transfer none) (nullable): the outcome log
 */
PcOutcomeLog *
pc_booking_store_get_outcome_log (PcBookingStore *self)
{
  g_return_val_if_fail (PC_IS_BOOKING_STORE (self), NULL);

  return self->outcome_log;
}

/**
 * pc_booking_store_mark_outcome_unknown:
 * @booking: the booking whose re-invite's answer was lost (in the store or not)
 * @sent_at: when the re-invite was sent
 *
 * Records the unknown outcome in the outcome log, if any, and sets
 * #PcBooking:outcome-unknown on @booking and on the store's booking with its id.
 */
void
pc_booking_store_mark_outcome_unknown (PcBookingStore *self,
                                       PcBooking      *booking,
                                       GDateTime      *sent_at)
{
  PcBooking *existing;

  g_return_if_fail (PC_IS_BOOKING_STORE (self));
  g_return_if_fail (PC_IS_BOOKING (booking));
  g_return_if_fail (sent_at != NULL);

  if (self->outcome_log != NULL)
    pc_outcome_log_mark_from (self->outcome_log, booking->booking_id, sent_at,
                              pc_booking_get_status (booking));

  pc_booking_set_outcome_unknown (booking, TRUE);
  existing = lookup_id (self, booking->booking_id);
  if (existing != NULL)
    pc_booking_set_outcome_unknown (existing, TRUE);
}

/**
 * pc_booking_store_is_outcome_unknown:
 *
 * Returns: whether @booking (or the store's booking with its id) has a re-invite of
 *   unknown outcome, by its #PcBooking:outcome-unknown or by the outcome log; also while
 *   the store's outcome log has not been read yet
 */
gboolean
pc_booking_store_is_outcome_unknown (PcBookingStore *self,
                                     PcBooking      *booking)
{
  g_autoptr(GDateTime) sent = NULL;
  PcBooking *existing;

  g_return_val_if_fail (PC_IS_BOOKING_STORE (self), FALSE);
  g_return_val_if_fail (PC_IS_BOOKING (booking), FALSE);

  if (pc_booking_get_outcome_unknown (booking))
    return TRUE;

  existing = lookup_id (self, booking->booking_id);
  if (existing != NULL && pc_booking_get_outcome_unknown (existing))
    return TRUE;

  if (self->outcome_log == NULL)
    return FALSE;

  /* Until the log has been read, any booking may have a re-invite under way. */
  if (!pc_outcome_log_get_loaded (self->outcome_log))
    return TRUE;

  sent = pc_outcome_log_lookup (self->outcome_log, booking->booking_id);
  return sent != NULL;
}
