/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>

#include <string.h>

#include <glib/gstdio.h>

#include "pc-booking.h"
#include "pc-booking-store.h"
#include "pc-client.h"
#include "pc-clock.h"
#include "pc-json.h"
#include "pc-outcome-log.h"
#include "test-utils.h"

#define SCOPE "https://api.example.test"

typedef struct
{
  guint calls;
  guint position;
  guint removed;
  guint added;
} ItemsChanged;

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  gpointer    user_data)
{
  ItemsChanged *ic = user_data;

  ic->calls++;
  ic->position = position;
  ic->removed = removed;
  ic->added = added;
}

static GPtrArray *
load_page (void)
{
  g_autoptr(GBytes) bytes = pc_test_load_data ("received-bookings-page.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(PcReceivedPage) page = pc_json_page_from_bytes (bytes, NULL, &error);

  g_assert_no_error (error);
  return g_ptr_array_ref (page->bookings);
}

static PcBooking *
load_booking (const char *name)
{
  g_autoptr(GBytes) bytes = pc_test_load_data (name);
  g_autoptr(GError) error = NULL;
  PcBooking *booking = pc_json_booking_from_bytes (bytes, NULL, &error);

  g_assert_no_error (error);
  return booking;
}

static PcBookingStore *
new_store_at (int year, int month, int day, int hour)
{
  g_autoptr(GDateTime) now = pc_test_utc (year, month, day, hour, 0, 0);
  g_autoptr(PcClock) clock = pc_clock_new_fixed (now);

  return pc_booking_store_new (clock);
}

static void
test_merge_new (void)
{
  g_autoptr(PcBookingStore) store = new_store_at (2025, 6, 15, 9);
  g_autoptr(GPtrArray) bookings = load_page ();
  ItemsChanged ic = { 0 };
  g_autoptr(PcBooking) first = NULL;

  g_signal_connect (store, "items-changed", G_CALLBACK (items_changed_cb), &ic);
  pc_booking_store_merge (store, bookings);

  g_assert_cmpuint (ic.calls, ==, 1);
  g_assert_cmpuint (ic.position, ==, 0);
  g_assert_cmpuint (ic.removed, ==, 0);
  g_assert_cmpuint (ic.added, ==, 4);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 4);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (store)) == PC_TYPE_BOOKING);

  first = g_list_model_get_item (G_LIST_MODEL (store), 0);
  g_assert_true (first == g_ptr_array_index (bookings, 0));
  g_assert_true (pc_booking_store_lookup (store, 4809911) == g_ptr_array_index (bookings, 2));
  g_assert_null (pc_booking_store_lookup (store, 1));
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (store), 4));
  /* The store's clock now drives the bookings: the session passed on 14 June. */
  g_assert_true (pc_booking_get_can_reinvite (first));
}

/* A newer copy (the ReInvite response) updates the object already shown, in place, and
 * notifies exactly what changed. */
static void
test_merge_in_place (void)
{
  g_autoptr(PcBookingStore) store = new_store_at (2025, 6, 15, 9);
  g_autoptr(GPtrArray) bookings = load_page ();
  g_autoptr(PcBooking) response = load_booking ("reinvite-response.json");
  PcBooking *shown;
  PcClient *client;
  ItemsChanged ic = { 0 };
  g_autoptr(PcNotifyCounter) counter = NULL;
  g_autoptr(PcNotifyCounter) client_counter = NULL;

  pc_booking_store_merge (store, bookings);
  shown = pc_booking_store_lookup (store, 4817263);
  client = pc_booking_get_client (shown);
  g_assert_true (pc_booking_get_can_reinvite (shown));

  counter = pc_notify_counter_new (shown);
  client_counter = pc_notify_counter_new (client);
  g_signal_connect (store, "items-changed", G_CALLBACK (items_changed_cb), &ic);

  g_assert_true (pc_booking_store_merge_one (store, response) == shown);

  g_assert_cmpuint (ic.calls, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 4);
  g_assert_true (pc_booking_get_client (shown) == client);
  g_assert_cmpint (pc_booking_get_status (shown), ==, PC_BOOKING_STATUS_REJECTED);
  g_assert_cmpstr (pc_booking_get_rejected_reason (shown), ==,
                   "Sorry, I missed this one - please pick a new time.");

  /* The members that differ: Status, RejectedReason, LastUpdated, ActionCandidate. */
  g_assert_cmpuint (pc_notify_counter_get (counter, "status-text"), ==, 1);
  g_assert_cmpuint (pc_notify_counter_get (counter, "rejected-reason"), ==, 1);
  g_assert_cmpuint (pc_notify_counter_get (counter, "last-updated"), ==, 1);
  g_assert_cmpuint (pc_notify_counter_get (counter, "action-candidate"), ==, 1);
  /* And what follows from Status. */
  g_assert_cmpuint (pc_notify_counter_get (counter, "status"), ==, 1);
  g_assert_cmpuint (pc_notify_counter_get (counter, "can-reinvite"), ==, 1);
  g_assert_cmpuint (pc_notify_counter_get (counter, "reinvite-blocker"), ==, 1);
  g_assert_cmpuint (pc_notify_counter_get (counter, "reinvite-blocker-text"), ==, 1);
  /* Rejected: no longer to reject, now to delete; the others' reasons read differently. */
  g_assert_cmpuint (pc_notify_counter_get (counter, "can-reject"), ==, 1);
  g_assert_cmpuint (pc_notify_counter_get (counter, "reject-blocker-text"), ==, 1);
  g_assert_cmpuint (pc_notify_counter_get (counter, "can-delete"), ==, 1);
  g_assert_cmpuint (pc_notify_counter_get (counter, "delete-blocker-text"), ==, 1);
  g_assert_cmpuint (pc_notify_counter_get (counter, "accept-blocker-text"), ==, 1);
  g_assert_cmpuint (pc_notify_counter_get (counter, "cancel-blocker-text"), ==, 1);
  g_assert_cmpuint (pc_notify_counter_get (counter, "can-accept"), ==, 0);
  g_assert_cmpuint (pc_notify_counter_get (counter, "can-cancel"), ==, 0);
  g_assert_cmpuint (pc_notify_counter_total (counter), ==, 14);
  g_assert_cmpuint (pc_notify_counter_total (client_counter), ==, 0);
  g_assert_false (pc_booking_get_can_reinvite (shown));
}

static void
test_merge_identical (void)
{
  g_autoptr(PcBookingStore) store = new_store_at (2025, 6, 15, 9);
  g_autoptr(GPtrArray) bookings = load_page ();
  g_autoptr(GPtrArray) again = load_page ();
  g_autoptr(PcNotifyCounter) counter = NULL;
  ItemsChanged ic = { 0 };

  pc_booking_store_merge (store, bookings);
  counter = pc_notify_counter_new (pc_booking_store_lookup (store, 4815502));
  g_signal_connect (store, "items-changed", G_CALLBACK (items_changed_cb), &ic);

  pc_booking_store_merge (store, again);
  g_assert_cmpuint (pc_notify_counter_total (counter), ==, 0);
  g_assert_cmpuint (ic.calls, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 4);
}

static void
test_merge_client_in_place (void)
{
  g_autoptr(PcBookingStore) store = new_store_at (2025, 6, 15, 9);
  g_autoptr(GPtrArray) bookings = load_page ();
  g_autoptr(PcBooking) newer = load_booking ("received-booking-accepted.json");
  g_autoptr(PcNotifyCounter) booking_counter = NULL;
  g_autoptr(PcNotifyCounter) client_counter = NULL;
  PcBooking *shown;

  pc_booking_store_merge (store, bookings);
  shown = pc_booking_store_lookup (store, 4815502);
  booking_counter = pc_notify_counter_new (shown);
  client_counter = pc_notify_counter_new (pc_booking_get_client (shown));

  g_object_set (pc_booking_get_client (newer), "positive", 4, "ratings", 4, NULL);
  pc_booking_store_merge_one (store, newer);

  g_assert_cmpuint (pc_notify_counter_get (client_counter, "positive"), ==, 1);
  g_assert_cmpuint (pc_notify_counter_get (client_counter, "ratings"), ==, 1);
  g_assert_cmpuint (pc_notify_counter_total (client_counter), ==, 2);
  g_assert_cmpuint (pc_notify_counter_total (booking_counter), ==, 0);
  g_assert_cmpint (pc_client_get_positive (pc_booking_get_client (shown)), ==, 4);
}

typedef struct
{
  guint       calls;
  PcBooking  *booking;
  const char *name;
} BookingChanged;

static void
booking_changed_cb (PcBookingStore *store,
                    PcBooking      *booking,
                    GParamSpec     *pspec,
                    BookingChanged *bc)
{
  bc->calls++;
  bc->booking = booking;
  bc->name = pspec->name;
}

/* One signal tells of every change of a booking in the store and of its client, and
 * only while the booking is in the store. */
static void
test_booking_changed (void)
{
  g_autoptr(PcBookingStore) store = new_store_at (2025, 6, 15, 9);
  g_autoptr(GPtrArray) bookings = load_page ();
  g_autoptr(PcBooking) kept = NULL;
  BookingChanged bc = { 0 };

  pc_booking_store_merge (store, bookings);
  kept = g_object_ref (pc_booking_store_lookup (store, 4817263));
  g_signal_connect (store, "booking-changed", G_CALLBACK (booking_changed_cb), &bc);

  pc_booking_set_outcome_unknown (kept, TRUE);
  g_assert_cmpuint (bc.calls, >=, 1);
  g_assert_true (bc.booking == kept);

  bc.calls = 0;
  g_object_set (pc_booking_get_client (kept), "nickname", "renamed", NULL);
  g_assert_cmpuint (bc.calls, ==, 1);
  g_assert_true (bc.booking == kept);
  g_assert_cmpstr (bc.name, ==, "nickname");

  /* Gone from the store: its changes are no longer the store's. */
  bc.calls = 0;
  pc_booking_store_remove_all (store);
  g_object_set (pc_booking_get_client (kept), "nickname", "again", NULL);
  pc_booking_set_outcome_unknown (kept, FALSE);
  g_assert_cmpuint (bc.calls, ==, 0);
}

/* A full refresh drops the vanished bookings and keeps the objects of the others. */
static void
test_replace_all (void)
{
  g_autoptr(PcBookingStore) store = new_store_at (2025, 6, 15, 9);
  g_autoptr(GPtrArray) bookings = load_page ();
  g_autoptr(GPtrArray) fresh = load_page ();
  g_autoptr(PcBooking) kept = NULL;
  ItemsChanged ic = { 0 };

  pc_booking_store_merge (store, bookings);
  kept = g_object_ref (pc_booking_store_lookup (store, 4817263));

  /* The server no longer lists the 2nd and 3rd booking. */
  g_ptr_array_remove_range (fresh, 1, 2);
  g_signal_connect (store, "items-changed", G_CALLBACK (items_changed_cb), &ic);
  pc_booking_store_replace_all (store, fresh);

  g_assert_cmpuint (ic.calls, ==, 1);
  g_assert_cmpuint (ic.position, ==, 1);
  g_assert_cmpuint (ic.removed, ==, 2);
  g_assert_cmpuint (ic.added, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 2);
  g_assert_true (pc_booking_store_lookup (store, 4817263) == kept);
  g_assert_null (pc_booking_store_lookup (store, 4815502));
  g_assert_null (pc_booking_store_lookup (store, 4809911));
  g_assert_nonnull (pc_booking_store_lookup (store, 4801234));

  pc_booking_store_remove_all (store);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);
  g_assert_cmpuint (ic.calls, ==, 2);
}

/* A booking in the store goes by the store's clock, whatever its own; one that leaves the
 * store keeps the store's clock as its own. */
static void
test_clock_of_store (void)
{
  /* Before every session of the page, and after them all. */
  g_autoptr(PcBookingStore) store = new_store_at (2020, 1, 1, 0);
  g_autoptr(GPtrArray) bookings = load_page ();
  g_autoptr(GDateTime) later = pc_test_utc (2030, 1, 1, 0, 0, 0);
  g_autoptr(PcClock) other = pc_clock_new_fixed (later);
  PcClock *clock = pc_booking_store_get_clock (store);
  PcBooking *booking = g_ptr_array_index (bookings, 0);

  pc_booking_set_clock (booking, other);
  g_assert_true (pc_booking_get_clock (booking) == other);
  g_assert_true (pc_booking_get_is_expired (booking));

  pc_booking_store_merge (store, bookings);
  g_assert_true (pc_booking_store_lookup (store, pc_booking_get_booking_id (booking)) == booking);
  g_assert_true (pc_booking_get_clock (booking) == clock);
  g_assert_false (pc_booking_get_is_expired (booking));

  g_assert_true (pc_booking_store_remove (store, pc_booking_get_booking_id (booking)));
  g_assert_true (pc_booking_get_clock (booking) == clock);

  pc_booking_set_clock (booking, NULL);
  g_assert_null (pc_booking_get_clock (booking));

  /* One that outlives the store keeps its clock too. */
  {
    PcBooking *kept = g_object_ref (g_ptr_array_index (bookings, 1));

    g_assert_true (pc_booking_store_lookup (store, pc_booking_get_booking_id (kept)) == kept);
    g_object_ref (clock);
    g_clear_object (&store);
    g_assert_true (pc_booking_get_clock (kept) == clock);
    g_object_unref (clock);
    g_object_unref (kept);
  }
}

/* One booking leaves (the server deleted it): one items-changed at its place, and the id
 * is free. */
static void
test_remove_one (void)
{
  g_autoptr(PcBookingStore) store = new_store_at (2025, 6, 15, 9);
  g_autoptr(GPtrArray) bookings = load_page ();
  PcBooking *gone;
  ItemsChanged ic = { 0 };

  pc_booking_store_merge (store, bookings);
  gone = pc_booking_store_lookup (store, 4809911);
  g_signal_connect (store, "items-changed", G_CALLBACK (items_changed_cb), &ic);

  g_assert_true (pc_booking_store_remove (store, 4809911));
  g_assert_cmpuint (ic.calls, ==, 1);
  g_assert_cmpuint (ic.position, ==, 2);
  g_assert_cmpuint (ic.removed, ==, 1);
  g_assert_cmpuint (ic.added, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 3);
  g_assert_null (pc_booking_store_lookup (store, 4809911));
  /* The caller's reference outlives the store's. */
  g_assert_true (PC_IS_BOOKING (gone));

  g_assert_false (pc_booking_store_remove (store, 4809911));
  g_assert_cmpuint (ic.calls, ==, 1);
}

static void
became_cb (PcBookingStore *store,
           PcBooking      *booking,
           gpointer        user_data)
{
  GPtrArray *seen = user_data;

  g_ptr_array_add (seen, booking);
}

/* Moving a fixed clock past a pending booking's session makes it re-invitable, once. */
static void
test_became_reinvitable (void)
{
  g_autoptr(GDateTime) before = pc_test_utc (2025, 6, 14, 12, 0, 0);
  g_autoptr(GDateTime) after = pc_test_utc (2025, 6, 14, 21, 0, 0);
  g_autoptr(PcClock) clock = pc_clock_new_fixed (before);
  g_autoptr(PcBookingStore) store = pc_booking_store_new (clock);
  g_autoptr(GPtrArray) bookings = load_page ();
  g_autoptr(GPtrArray) seen = g_ptr_array_new ();
  g_autoptr(GDateTime) next = NULL;
  g_autoptr(GDateTime) session = pc_test_utc (2025, 6, 14, 20, 30, 0);

  pc_booking_store_merge (store, bookings);
  g_signal_connect (store, "booking-became-reinvitable", G_CALLBACK (became_cb), seen);

  next = pc_booking_store_next_change (store);
  g_assert_true (g_date_time_equal (next, session));

  pc_clock_set_now (clock, after);
  g_assert_cmpuint (seen->len, ==, 1);
  g_assert_cmpint (pc_booking_get_booking_id (g_ptr_array_index (seen, 0)), ==, 4817263);
  g_assert_null (pc_booking_store_next_change (store));

  pc_clock_set_now (clock, after);
  g_assert_cmpuint (seen->len, ==, 1);
}

/* An id changed behind the store's back leaves no dangling index entry. */
static void
test_changed_id (void)
{
  g_autoptr(PcBookingStore) store = new_store_at (2025, 6, 15, 9);
  g_autoptr(GPtrArray) bookings = load_page ();
  g_autoptr(GHashTable) keep = g_hash_table_new (g_int64_hash, g_int64_equal);
  PcBooking *b;

  pc_booking_store_merge (store, bookings);
  b = pc_booking_store_lookup (store, 4815502);
  g_object_set (b, "booking-id", (gint64) 9, NULL);

  pc_booking_store_retain (store, keep);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);
  g_assert_null (pc_booking_store_lookup (store, 4815502));
  g_assert_null (pc_booking_store_lookup (store, 9));
}

static void
test_store_finalizes (void)
{
  PcBookingStore *store = new_store_at (2025, 6, 15, 9);
  g_autoptr(GPtrArray) bookings = load_page ();
  PcBooking *b = g_object_ref (g_ptr_array_index (bookings, 0));

  pc_booking_store_merge (store, bookings);
  g_clear_pointer (&bookings, g_ptr_array_unref);
  g_assert_finalize_object (store);
  g_assert_finalize_object (b);
}

/* The outcome log: G_TEST_OPTION_ISOLATE_DIRS gives each test its own state directory. */

static char *
dup_log_path (void)
{
  return pc_outcome_log_dup_default_path ();
}

/* A booking read from the server: pending, its session (2025-06-14 20:30Z) passed. */
static PcBooking *
read_pending (void)
{
  return load_booking ("received-booking.json");
}

static PcBooking *
read_with_status (const char *status)
{
  PcBooking *booking = read_pending ();

  g_object_set (booking, "status-text", status, NULL);
  return booking;
}

static gboolean
is_marked (PcOutcomeLog *log,
           gint64        booking_id)
{
  g_autoptr(GDateTime) sent = pc_outcome_log_lookup (log, booking_id);

  return sent != NULL;
}

static void
test_outcome_marked_until_final (void)
{
  g_autoptr(PcBookingStore) store = new_store_at (2025, 6, 15, 9);
  g_autoptr(PcOutcomeLog) log = pc_outcome_log_new (NULL, SCOPE);
  g_autoptr(PcBooking) first = read_pending ();
  g_autoptr(PcBooking) again = read_pending ();
  g_autoptr(PcBooking) rejected = read_with_status ("Rejected");
  g_autoptr(GDateTime) sent = pc_clock_get_now (pc_booking_store_get_clock (store));
  g_autoptr(GDateTime) in_file = NULL;
  g_autoptr(GDateTime) after = NULL;
  PcBooking *b;

  g_assert_true (pc_outcome_log_load (log, NULL));
  pc_booking_store_set_outcome_log (store, log);
  b = pc_booking_store_merge_one (store, first);
  g_assert_true (pc_booking_get_can_reinvite (b));

  /* The re-invite's answer is lost: marked, in memory and, once saved, in the file. */
  pc_booking_store_mark_outcome_unknown (store, b, sent);
  g_assert_true (pc_booking_get_outcome_unknown (b));
  g_assert_false (pc_booking_get_can_reinvite (b));
  g_assert_true (pc_booking_store_is_outcome_unknown (store, b));
  g_assert_true (pc_outcome_log_save (log, NULL));
  in_file = pc_test_outcome_lookup (SCOPE, 4817263);
  g_assert_nonnull (in_file);
  g_assert_true (g_date_time_equal (in_file, sent));
  /* Another server's bookings are not this one's. */
  g_assert_null (pc_test_outcome_lookup ("https://other.example.test", 4817263));

  /* A read that still shows it pending proves nothing. */
  g_assert_true (pc_booking_store_merge_one (store, again) == b);
  g_assert_true (pc_booking_get_outcome_unknown (b));
  g_assert_false (pc_booking_get_can_reinvite (b));

  /* A read that shows a final state does: the mark goes, from the file too. */
  pc_booking_store_merge_one (store, rejected);
  g_assert_false (pc_booking_get_outcome_unknown (b));
  g_assert_cmpint (pc_booking_get_status (b), ==, PC_BOOKING_STATUS_REJECTED);
  g_assert_false (pc_booking_store_is_outcome_unknown (store, b));
  g_assert_true (pc_outcome_log_save (log, NULL));
  after = pc_test_outcome_lookup (SCOPE, 4817263);
  g_assert_null (after);
}

/* A cancel whose answer is lost: the booking was Accepted when it left, so a read that
 * still shows it Accepted proves nothing (as Pending does for a re-invite); only another
 * status settles it. The status it was sent from survives in the file. */
static void
test_outcome_marked_from_status (void)
{
  g_autoptr(PcBookingStore) store = new_store_at (2025, 6, 15, 9);
  g_autoptr(PcOutcomeLog) log = pc_outcome_log_new (NULL, SCOPE);
  g_autoptr(PcOutcomeLog) reread = pc_outcome_log_new (NULL, SCOPE);
  g_autoptr(PcBooking) accepted = read_with_status ("Accepted");
  g_autoptr(PcBooking) still = read_with_status ("Accepted");
  g_autoptr(PcBooking) cancelled = read_with_status ("Cancelled");
  g_autoptr(GDateTime) sent = pc_clock_get_now (pc_booking_store_get_clock (store));
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  PcBooking *b;

  g_assert_true (pc_outcome_log_load (log, NULL));
  pc_booking_store_set_outcome_log (store, log);
  b = pc_booking_store_merge_one (store, accepted);

  pc_booking_store_mark_outcome_unknown (store, b, sent);
  g_assert_true (pc_booking_get_outcome_unknown (b));
  g_assert_true (pc_outcome_log_save (log, NULL));

  /* Written with the status it was sent from, and read back so by another log. */
  path = pc_outcome_log_dup_default_path ();
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "\"from\" : \"Accepted\""));
  g_assert_true (pc_outcome_log_load (reread, NULL));
  g_assert_true (is_marked (reread, 4817263));

  /* Still Accepted: nothing is known yet. */
  g_assert_true (pc_booking_store_merge_one (store, still) == b);
  g_assert_true (pc_booking_get_outcome_unknown (b));
  g_assert_true (is_marked (log, 4817263));

  /* Cancelled: it happened. */
  pc_booking_store_merge_one (store, cancelled);
  g_assert_false (pc_booking_get_outcome_unknown (b));
  g_assert_false (is_marked (log, 4817263));
  g_assert_true (pc_outcome_log_save (log, NULL));
  g_assert_false (pc_test_outcome_marked (SCOPE, 4817263));
}

static void
test_outcome_settle_window (void)
{
  g_autoptr(PcBookingStore) store = new_store_at (2025, 6, 15, 9);
  g_autoptr(PcOutcomeLog) log = pc_outcome_log_new (NULL, SCOPE);
  PcClock *clock = pc_booking_store_get_clock (store);
  g_autoptr(GDateTime) sent = pc_clock_get_now (clock);
  g_autoptr(GDateTime) almost = g_date_time_add_seconds (sent, PC_OUTCOME_LOG_SETTLE_SECONDS - 1);
  g_autoptr(GDateTime) settled = g_date_time_add_seconds (sent, PC_OUTCOME_LOG_SETTLE_SECONDS);
  g_autoptr(PcBooking) first = read_pending ();
  g_autoptr(PcBooking) second = read_pending ();
  g_autoptr(PcBooking) third = read_pending ();
  PcBooking *b;

  pc_booking_store_set_outcome_log (store, log);
  b = pc_booking_store_merge_one (store, first);
  pc_booking_store_mark_outcome_unknown (store, b, sent);

  /* Time alone clears nothing: only a read does. */
  pc_clock_set_now (clock, settled);
  g_assert_true (pc_booking_get_outcome_unknown (b));
  pc_clock_set_now (clock, almost);
  pc_booking_store_merge_one (store, second);
  g_assert_true (pc_booking_get_outcome_unknown (b));

  /* Still pending the settle window after it was sent: the request never arrived. */
  pc_clock_set_now (clock, settled);
  pc_booking_store_merge_one (store, third);
  g_assert_false (pc_booking_get_outcome_unknown (b));
  g_assert_true (pc_booking_get_can_reinvite (b));
  g_assert_null (pc_outcome_log_lookup (log, 4817263));
}

/* The application's log: read and written in a worker; what another process wrote
 * shows up on the bookings. */
static void
test_outcome_autosave (void)
{
  g_autoptr(PcBookingStore) store = new_store_at (2025, 6, 15, 9);
  g_autoptr(PcOutcomeLog) cli = pc_outcome_log_new (NULL, SCOPE);
  g_autoptr(PcOutcomeLog) app = pc_outcome_log_new (NULL, SCOPE);
  g_autoptr(PcBooking) first = read_pending ();
  g_autoptr(GDateTime) sent = pc_clock_get_now (pc_booking_store_get_clock (store));
  g_autoptr(GDateTime) in_file = NULL;
  PcBooking *b;

  pc_outcome_log_mark (cli, 4817263, sent);
  g_assert_true (pc_outcome_log_save (cli, NULL));

  b = pc_booking_store_merge_one (store, first);
  pc_booking_store_set_outcome_log (store, app);
  g_assert_false (pc_outcome_log_get_loaded (app));
  pc_outcome_log_set_autosave (app, TRUE);
  PC_TEST_WAIT_UNTIL (pc_outcome_log_get_loaded (app) && !pc_outcome_log_get_busy (app));
  g_assert_true (pc_booking_get_outcome_unknown (b));
  g_assert_false (pc_booking_get_can_reinvite (b));

  /* A read showing it accepted clears it, and the worker writes that down. */
  {
    g_autoptr(PcBooking) accepted = read_with_status ("Accepted");

    pc_booking_store_merge_one (store, accepted);
  }
  g_assert_false (pc_booking_get_outcome_unknown (b));
  PC_TEST_WAIT_UNTIL (!pc_outcome_log_get_busy (app));
  in_file = pc_test_outcome_lookup (SCOPE, 4817263);
  g_assert_null (in_file);
}

static void
test_outcome_corrupt_file (void)
{
  g_autofree char *path = dup_log_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(PcOutcomeLog) log = pc_outcome_log_new (NULL, SCOPE);
  g_autoptr(GDateTime) sent = pc_test_utc (2025, 6, 15, 9, 0, 0);
  g_autoptr(GDateTime) in_file = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, "{ \"version\": 1, \"scopes\": [", -1, &error);
  g_assert_no_error (error);

  /* Corrupt: an empty log, said in the debug log; the next write replaces it. */
  g_assert_true (pc_outcome_log_load (log, NULL));
  g_assert_null (pc_outcome_log_lookup (log, 4817263));
  pc_outcome_log_mark (log, 4817263, sent);
  g_assert_true (pc_outcome_log_save (log, &error));
  g_assert_no_error (error);
  in_file = pc_test_outcome_lookup (SCOPE, 4817263);
  g_assert_nonnull (in_file);

  /* What could not be read is kept beside it. */
  {
    g_autofree char *aside = g_strconcat (path, ".corrupt", NULL);
    g_autofree char *contents = NULL;

    g_assert_true (g_file_get_contents (aside, &contents, NULL, NULL));
    g_assert_cmpstr (contents, ==, "{ \"version\": 1, \"scopes\": [");
  }
}

/* A file that is there but cannot be read is never taken as empty, nor overwritten. */
static void
test_outcome_unreadable_file (void)
{
  g_autofree char *path = dup_log_path ();
  g_autoptr(PcOutcomeLog) log = pc_outcome_log_new (NULL, SCOPE);
  g_autoptr(GDateTime) sent = pc_test_utc (2025, 6, 15, 9, 0, 0);
  g_autoptr(GError) error = NULL;

  /* A folder where the file should be: reading it fails (as EACCES or EIO would). */
  g_assert_cmpint (g_mkdir_with_parents (path, 0700), ==, 0);

  g_assert_false (pc_outcome_log_load (log, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_false (pc_outcome_log_get_loaded (log));

  pc_outcome_log_mark (log, 4817263, sent);
  g_assert_false (pc_outcome_log_save (log, &error));
  g_assert_nonnull (error);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_DIR));
  /* The change is kept for a later write. */
  g_assert_true (is_marked (log, 4817263));
  g_assert_cmpint (g_rmdir (path), ==, 0);
}

/* A mark from after now: the clock was set back since. It cannot be judged, and does
 * not keep the booking blocked until the clock catches up. */
static void
test_outcome_clock_set_back (void)
{
  g_autoptr(PcBookingStore) store = new_store_at (2025, 6, 15, 9);
  g_autoptr(PcOutcomeLog) log = pc_outcome_log_new (NULL, SCOPE);
  g_autoptr(PcBooking) first = read_pending ();
  g_autoptr(PcBooking) again = read_pending ();
  g_autoptr(GDateTime) now = pc_clock_get_now (pc_booking_store_get_clock (store));
  g_autoptr(GDateTime) ahead = g_date_time_add_hours (now, 3);
  g_autoptr(GDateTime) near = g_date_time_add_minutes (now, 5);
  PcBooking *b;

  g_assert_true (pc_outcome_log_load (log, NULL));
  pc_booking_store_set_outcome_log (store, log);
  b = pc_booking_store_merge_one (store, first);

  /* A few minutes ahead is a clock's drift: kept. */
  pc_booking_store_mark_outcome_unknown (store, b, near);
  pc_booking_store_merge_one (store, again);
  g_assert_true (pc_booking_get_outcome_unknown (b));

  pc_booking_store_mark_outcome_unknown (store, b, ahead);
  pc_booking_store_merge_one (store, again);
  g_assert_false (pc_booking_get_outcome_unknown (b));
  g_assert_null (pc_outcome_log_lookup (log, 4817263));
}

/* Until the application has read the log, no booking is taken to be free of a re-invite
 * under way. */
static void
test_outcome_not_loaded (void)
{
  g_autoptr(PcBookingStore) store = new_store_at (2025, 6, 15, 9);
  g_autoptr(PcOutcomeLog) log = pc_outcome_log_new (NULL, SCOPE);
  g_autoptr(PcBooking) first = read_pending ();
  PcBooking *b = pc_booking_store_merge_one (store, first);

  g_assert_false (pc_booking_store_is_outcome_unknown (store, b));
  pc_booking_store_set_outcome_log (store, log);
  g_assert_true (pc_booking_store_is_outcome_unknown (store, b));
  g_assert_true (pc_outcome_log_load (log, NULL));
  g_assert_false (pc_booking_store_is_outcome_unknown (store, b));
}

/* A clear judged on an older mark does not remove a newer one another process wrote. */
static void
test_outcome_stale_clear (void)
{
  g_autoptr(PcOutcomeLog) app = pc_outcome_log_new (NULL, SCOPE);
  g_autoptr(PcOutcomeLog) cli = pc_outcome_log_new (NULL, SCOPE);
  g_autoptr(GDateTime) first = pc_test_utc (2025, 6, 15, 9, 0, 0);
  g_autoptr(GDateTime) second = pc_test_utc (2025, 6, 15, 9, 20, 0);
  g_autoptr(GDateTime) in_file = NULL;

  pc_outcome_log_mark (app, 4817263, first);
  g_assert_true (pc_outcome_log_save (app, NULL));

  /* The CLI re-invites again (its own judgement), then the app clears its old mark. */
  g_assert_true (pc_outcome_log_load (cli, NULL));
  pc_outcome_log_mark (cli, 4817263, second);
  g_assert_true (pc_outcome_log_save (cli, NULL));
  g_assert_true (pc_outcome_log_clear (app, 4817263));
  g_assert_true (pc_outcome_log_save (app, NULL));

  in_file = pc_test_outcome_lookup (SCOPE, 4817263);
  g_assert_nonnull (in_file);
  g_assert_true (g_date_time_equal (in_file, second));
  /* And the app now knows it too. */
  g_assert_true (is_marked (app, 4817263));
}

/* A mark another process writes while the application runs reaches its bookings. */
static void
test_outcome_other_process (void)
{
  g_autoptr(PcBookingStore) store = new_store_at (2025, 6, 15, 9);
  g_autoptr(PcOutcomeLog) app = pc_outcome_log_new (NULL, SCOPE);
  g_autoptr(PcOutcomeLog) cli = pc_outcome_log_new (NULL, SCOPE);
  g_autoptr(PcBooking) first = read_pending ();
  g_autoptr(GDateTime) sent = pc_clock_get_now (pc_booking_store_get_clock (store));
  PcBooking *b = pc_booking_store_merge_one (store, first);

  pc_booking_store_set_outcome_log (store, app);
  pc_outcome_log_set_autosave (app, TRUE);
  PC_TEST_WAIT_UNTIL (pc_outcome_log_get_loaded (app) && !pc_outcome_log_get_busy (app));
  g_assert_true (pc_booking_get_can_reinvite (b));

  g_assert_true (pc_outcome_log_load (cli, NULL));
  pc_outcome_log_mark (cli, 4817263, sent);
  g_assert_true (pc_outcome_log_save (cli, NULL));

  PC_TEST_WAIT_UNTIL (pc_booking_get_outcome_unknown (b));
  g_assert_false (pc_booking_get_can_reinvite (b));
  g_assert_true (pc_booking_store_is_outcome_unknown (store, b));
  PC_TEST_WAIT_UNTIL (!pc_outcome_log_get_busy (app));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  pc_test_init_logging ();

  g_test_add_func ("/store/merge/new", test_merge_new);
  g_test_add_func ("/store/remove-one", test_remove_one);
  g_test_add_func ("/store/clock/from-store", test_clock_of_store);
  g_test_add_func ("/store/outcome-unknown/marked-until-final", test_outcome_marked_until_final);
  g_test_add_func ("/store/outcome-unknown/marked-from-status", test_outcome_marked_from_status);
  g_test_add_func ("/store/outcome-unknown/settle-window", test_outcome_settle_window);
  g_test_add_func ("/store/outcome-unknown/autosave", test_outcome_autosave);
  g_test_add_func ("/store/outcome-unknown/corrupt-file", test_outcome_corrupt_file);
  g_test_add_func ("/store/outcome-unknown/unreadable-file", test_outcome_unreadable_file);
  g_test_add_func ("/store/outcome-unknown/not-loaded", test_outcome_not_loaded);
  g_test_add_func ("/store/outcome-unknown/clock-set-back", test_outcome_clock_set_back);
  g_test_add_func ("/store/outcome-unknown/stale-clear", test_outcome_stale_clear);
  g_test_add_func ("/store/outcome-unknown/other-process", test_outcome_other_process);
  g_test_add_func ("/store/merge/in-place", test_merge_in_place);
  g_test_add_func ("/store/merge/identical", test_merge_identical);
  g_test_add_func ("/store/merge/client-in-place", test_merge_client_in_place);
  g_test_add_func ("/store/replace-all/drops-vanished", test_replace_all);
  g_test_add_func ("/store/clock/became-reinvitable", test_became_reinvitable);
  g_test_add_func ("/store/changed-id", test_changed_id);
  g_test_add_func ("/store/finalize", test_store_finalizes);
  g_test_add_func ("/store/booking-changed", test_booking_changed);

  return g_test_run ();
}
