/* SPDX-License-Identifier: GPL-3.0-or-later */

/* libFuzzer harness for everything that reads a server's answer: a page of bookings, a
 * single booking, an error body and a token answer. Each input goes through all of them,
 * so one corpus serves. What each reader accepts must also survive a round trip. */

#include "config.h"

#include <string.h>

#include "pc-booking.h"
#include "pc-json.h"
#include "pc-oauth-private.h"

int LLVMFuzzerTestOneInput (const guint8 *data,
                            size_t        size);

static void
check_text (const char *text)
{
  if (text != NULL)
    g_assert_true (g_utf8_validate (text, -1, NULL));
}

/* What we write, we can read again: the page we made of an accepted body parses back to
 * as many bookings. */
static void
check_page_round_trip (PcReceivedPage *page,
                       GTimeZone      *zone)
{
  g_autoptr(JsonNode) node = pc_json_page_to_node (page, zone);
  g_autofree char *text = pc_json_node_to_string (node, FALSE);
  g_autoptr(GBytes) bytes = g_bytes_new_static (text, strlen (text));
  g_autoptr(GError) error = NULL;
  g_autoptr(PcReceivedPage) again = pc_json_page_from_bytes (bytes, zone, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (again->bookings->len, ==, page->bookings->len);
}

static void
check_booking_round_trip (PcBooking *booking,
                          GTimeZone *zone)
{
  g_autoptr(JsonNode) node = pc_json_booking_to_node (booking, zone);
  g_autofree char *text = pc_json_node_to_string (node, FALSE);
  g_autoptr(GBytes) bytes = g_bytes_new_static (text, strlen (text));
  g_autoptr(GError) error = NULL;
  g_autoptr(PcBooking) again = pc_json_booking_from_bytes (bytes, zone, &error);

  g_assert_no_error (error);
  g_assert_cmpint (pc_booking_get_booking_id (again), ==, pc_booking_get_booking_id (booking));
  g_assert_cmpint (pc_booking_get_status (again), ==, pc_booking_get_status (booking));
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  GTimeZone *zone = pc_json_get_default_zone ();
  g_autoptr(GDateTime) sent_at = g_date_time_new_utc (2026, 11, 27, 9, 0, 0);
  g_autoptr(GError) page_error = NULL;
  g_autoptr(GError) booking_error = NULL;
  g_autoptr(GError) token_error = NULL;
  g_autoptr(PcReceivedPage) page = NULL;
  g_autoptr(PcBooking) booking = NULL;
  g_autofree char *message = NULL;
  g_autofree char *excerpt = NULL;
  PcTokens *tokens;

  /* Every refusal is an error, never a crash nor a NULL without one. */
  page = pc_json_page_from_bytes (bytes, zone, &page_error);
  g_assert_true ((page == NULL) != (page_error == NULL));
  if (page != NULL)
    check_page_round_trip (page, zone);
  else
    check_text (page_error->message);

  booking = pc_json_booking_from_bytes (bytes, zone, &booking_error);
  g_assert_true ((booking == NULL) != (booking_error == NULL));
  if (booking != NULL)
    check_booking_round_trip (booking, zone);
  else
    check_text (booking_error->message);

  message = pc_json_error_message_from_body (bytes);
  check_text (message);
  (void) pc_json_classify_body (bytes, &excerpt);
  check_text (excerpt);

  tokens = _pc_oauth_tokens_from_bytes (bytes, sent_at, "old-refresh", &token_error);
  g_assert_true ((tokens == NULL) != (token_error == NULL));
  if (tokens != NULL)
    {
      g_assert_nonnull (pc_tokens_get_access_token (tokens));
      pc_tokens_unref (tokens);
    }
  else
    {
      check_text (token_error->message);
    }

  return 0;
}
