/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pc-sandbox"

#include "config.h"

#include <string.h>

#include "pc-booking.h"
#include "pc-client.h"
#include "pc-sandbox-private.h"

/* The bookings the sandbox holds: in load order, by id, and sorted in the orders
 * ReceivedBookings pages through.
 *
 * A page must not cost a sort of every booking: a client that lists 100,000 bookings asks
 * for 1,000 pages. So each order is sorted once, when a page first needs it, and kept
 * until a booking comes, goes or changes what it is sorted by (its id, CreateDate,
 * SessionDate or its client's nickname). A page is then a slice of that order: its cost
 * follows the page size, not the number of bookings.
 *
 * Only ascending orders are kept. A descending order is the same list read backwards:
 * ids break every tie, so no two bookings compare equal. */

static int
compare_usec (gint64 a,
              gint64 b)
{
  if (a == PC_BOOKING_NO_DATE || b == PC_BOOKING_NO_DATE)
    return (a != PC_BOOKING_NO_DATE) - (b != PC_BOOKING_NO_DATE);

  return (a > b) - (a < b);
}

/* Ties are broken by id, so that pages never overlap. */
static int
compare_ids (PcBooking *a,
             PcBooking *b)
{
  gint64 ia = pc_booking_get_booking_id (a);
  gint64 ib = pc_booking_get_booking_id (b);

  return (ia > ib) - (ia < ib);
}

static int
compare_create_dates (gconstpointer a,
                      gconstpointer b)
{
  PcBooking *ba = *(PcBooking * const *) a;
  PcBooking *bb = *(PcBooking * const *) b;
  int result = compare_usec (pc_booking_get_create_date_usec (ba),
                             pc_booking_get_create_date_usec (bb));

  return result != 0 ? result : compare_ids (ba, bb);
}

static int
compare_session_dates (gconstpointer a,
                       gconstpointer b)
{
  PcBooking *ba = *(PcBooking * const *) a;
  PcBooking *bb = *(PcBooking * const *) b;
  int result = compare_usec (pc_booking_get_session_date_usec (ba),
                             pc_booking_get_session_date_usec (bb));

  return result != 0 ? result : compare_ids (ba, bb);
}

/* Nicknames compare case-insensitively in the locale's collation order. The collation key
 * of each nickname is computed once per sort: comparing two keys with strcmp() gives what
 * g_utf8_collate() gives for the nicknames. */
typedef struct
{
  char      *key;
  PcBooking *booking;
} NicknameKey;

static char *
nickname_collate_key (PcBooking *booking)
{
  const char *nickname = pc_client_get_nickname (pc_booking_get_client (booking));
  g_autofree char *folded = g_utf8_casefold (nickname != NULL ? nickname : "", -1);

  return g_utf8_collate_key (folded, -1);
}

static int
compare_nickname_keys (gconstpointer a,
                       gconstpointer b)
{
  const NicknameKey *ka = a;
  const NicknameKey *kb = b;
  int result = strcmp (ka->key, kb->key);

  return result != 0 ? result : compare_ids (ka->booking, kb->booking);
}

static GPtrArray *
sort_by_nickname (GPtrArray *bookings)
{
  g_autoptr(GArray) keys = g_array_sized_new (FALSE, FALSE, sizeof (NicknameKey), bookings->len);
  GPtrArray *sorted = g_ptr_array_sized_new (bookings->len);

  for (guint i = 0; i < bookings->len; i++)
    {
      NicknameKey key;

      key.booking = g_ptr_array_index (bookings, i);
      key.key = nickname_collate_key (key.booking);
      g_array_append_val (keys, key);
    }

  g_array_sort (keys, compare_nickname_keys);

  for (guint i = 0; i < keys->len; i++)
    {
      NicknameKey *key = &g_array_index (keys, NicknameKey, i);

      g_ptr_array_add (sorted, key->booking);
      g_free (key->key);
    }

  return sorted;
}

/* The bookings (borrowed) in ascending @key order. */
static GPtrArray *
sort_bookings (GPtrArray         *bookings,
               PcSandboxOrderKey  key)
{
  GPtrArray *sorted;

  if (key == PC_SANDBOX_ORDER_NICKNAME)
    return sort_by_nickname (bookings);

  sorted = g_ptr_array_sized_new (bookings->len);
  g_ptr_array_extend (sorted, bookings, NULL, NULL);
  g_ptr_array_sort (sorted, key == PC_SANDBOX_ORDER_DATE ? compare_create_dates
                                                         : compare_session_dates);
  return sorted;
}

static void
forget_orders (PcSandbox *self)
{
  for (guint i = 0; i < PC_SANDBOX_N_ORDER_KEYS; i++)
    g_clear_pointer (&self->sorted[i], g_ptr_array_unref);

  g_clear_pointer (&self->since, g_ptr_array_unref);
  g_clear_pointer (&self->since_start, g_date_time_unref);
}

static void
booking_property_changed_cb (PcBooking  *booking,
                             GParamSpec *pspec,
                             gpointer    user_data)
{
  PcSandbox *self = user_data;

  if (g_str_equal (pspec->name, "booking-id") ||
      g_str_equal (pspec->name, "create-date") ||
      g_str_equal (pspec->name, "session-date"))
    forget_orders (self);
}

static void
client_nickname_changed_cb (PcClient   *client,
                            GParamSpec *pspec,
                            gpointer    user_data)
{
  forget_orders (user_data);
}

/* A booking's client is merged in place, never swapped: watching the client the booking
 * has now is enough. */
static void
watch_booking (PcSandbox *self,
               PcBooking *booking)
{
  g_signal_connect (booking, "notify", G_CALLBACK (booking_property_changed_cb), self);
  g_signal_connect (pc_booking_get_client (booking), "notify::nickname",
                    G_CALLBACK (client_nickname_changed_cb), self);
}

static void
unwatch_booking (PcSandbox *self,
                 PcBooking *booking)
{
  g_signal_handlers_disconnect_by_data (pc_booking_get_client (booking), self);
  g_signal_handlers_disconnect_by_data (booking, self);
}

void
_pc_sandbox_bookings_init (PcSandbox *self)
{
  self->bookings = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_id = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
}

void
_pc_sandbox_bookings_finalize (PcSandbox *self)
{
  if (self->bookings != NULL)
    _pc_sandbox_bookings_remove_all (self);

  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->bookings, g_ptr_array_unref);
}

/* Adds @booking, replacing a booking with the same id in place. */
void
_pc_sandbox_bookings_add (PcSandbox *self,
                          PcBooking *booking)
{
  gint64 id = pc_booking_get_booking_id (booking);
  PcBooking *old = g_hash_table_lookup (self->by_id, &id);

  if (old == booking)
    return;

  forget_orders (self);

  if (old != NULL)
    {
      guint index;

      unwatch_booking (self, old);
      g_ptr_array_find (self->bookings, old, &index);
      g_ptr_array_index (self->bookings, index) = g_object_ref (booking);
      g_object_unref (old);
    }
  else
    g_ptr_array_add (self->bookings, g_object_ref (booking));

  g_hash_table_replace (self->by_id, g_memdup2 (&id, sizeof id), booking);
  watch_booking (self, booking);
}

void
_pc_sandbox_bookings_remove_all (PcSandbox *self)
{
  forget_orders (self);

  for (guint i = 0; i < self->bookings->len; i++)
    unwatch_booking (self, g_ptr_array_index (self->bookings, i));

  g_hash_table_remove_all (self->by_id);
  g_ptr_array_set_size (self->bookings, 0);
}

/* Removes the booking @booking_id (DeleteReceivedBooking). Returns whether there was one. */
gboolean
_pc_sandbox_bookings_remove (PcSandbox *self,
                             gint64     booking_id)
{
  PcBooking *booking = g_hash_table_lookup (self->by_id, &booking_id);

  if (booking == NULL)
    return FALSE;

  forget_orders (self);
  unwatch_booking (self, booking);
  g_hash_table_remove (self->by_id, &booking_id);
  g_ptr_array_remove (self->bookings, booking);
  return TRUE;
}

/* The bookings (borrowed) in ascending @key order, sorted now if they are not yet. */
static GPtrArray *
get_sorted (PcSandbox         *self,
            PcSandboxOrderKey  key)
{
  if (self->sorted[key] == NULL)
    {
      self->sorted[key] = sort_bookings (self->bookings, key);
      self->n_sorts++;
    }

  return self->sorted[key];
}

/* Like get_sorted(), restricted to the bookings created at @start or later. The last such
 * selection is kept: paging through it costs one pass over the bookings, not one per page. */
static GPtrArray *
get_selection (PcSandbox         *self,
               PcSandboxOrderKey  key,
               GDateTime         *start)
{
  GPtrArray *sorted = get_sorted (self, key);
  gint64 start_usec;

  if (start == NULL)
    return sorted;

  if (self->since != NULL && self->since_key == key && g_date_time_equal (self->since_start, start))
    return self->since;

  g_clear_pointer (&self->since, g_ptr_array_unref);
  g_clear_pointer (&self->since_start, g_date_time_unref);

  self->since = g_ptr_array_new ();
  start_usec = g_date_time_to_unix_usec (start);
  for (guint i = 0; i < sorted->len; i++)
    {
      PcBooking *booking = g_ptr_array_index (sorted, i);

      if (compare_usec (pc_booking_get_create_date_usec (booking), start_usec) >= 0)
        g_ptr_array_add (self->since, booking);
    }
  self->since_key = key;
  self->since_start = g_date_time_ref (start);

  return self->since;
}

/* Page @page_number (from 1) of @per_page bookings in the order @key (reversed when
 * @descending), of the bookings created at @start or later (all when NULL). A page past
 * the last is empty. */
PcReceivedPage *
_pc_sandbox_bookings_get_page (PcSandbox         *self,
                               PcSandboxOrderKey  key,
                               gboolean           descending,
                               GDateTime         *start,
                               gint64             page_number,
                               gint64             per_page)
{
  GPtrArray *selected = get_selection (self, key, start);
  PcReceivedPage *page = g_new0 (PcReceivedPage, 1);
  guint first;

  g_assert (page_number >= 1);
  g_assert (per_page >= 1);

  page->page_number = (gint) page_number;
  page->bookings_per_page = (gint) per_page;
  page->bookings_total = (gint) selected->len;
  page->page_count = (gint) ((selected->len + per_page - 1) / per_page);
  page->bookings = g_ptr_array_new_with_free_func (g_object_unref);

  first = (page_number - 1) * per_page < selected->len ? (guint) ((page_number - 1) * per_page)
                                                       : selected->len;
  for (guint i = first; i < selected->len && i < first + per_page; i++)
    {
      guint index = descending ? selected->len - 1 - i : i;

      g_ptr_array_add (page->bookings, g_object_ref (g_ptr_array_index (selected, index)));
    }

  return page;
}

guint
_pc_sandbox_bookings_get_n_sorts (PcSandbox *self)
{
  return self->n_sorts;
}
