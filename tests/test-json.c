/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "pc-booking.h"
#include "pc-client.h"
#include "pc-json.h"
#include "pc-values.h"
#include "test-utils.h"

static GTimeZone *london;

static void
assert_datetime_utc (GDateTime  *dt,
                     const char *expected_iso)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autofree char *text = NULL;

  g_assert_nonnull (dt);
  utc = g_date_time_to_utc (dt);
  text = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%S.%fZ");
  g_assert_cmpstr (text, ==, expected_iso);
}

static PcBooking *
parse_fixture (const char *name)
{
  g_autoptr(GBytes) bytes = pc_test_load_data (name);
  g_autoptr(GError) error = NULL;
  PcBooking *booking = pc_json_booking_from_bytes (bytes, london, &error);

  g_assert_no_error (error);
  g_assert_nonnull (booking);
  return booking;
}

/* Bookings keep repeated texts once (interned GRefStrings) and free text per booking;
 * each keeps its strings alive whoever else holds them. */
static void
test_shared_text (void)
{
  g_autoptr(PcBooking) a = parse_fixture ("received-booking.json");
  g_autoptr(PcBooking) b = parse_fixture ("received-booking.json");
  g_autoptr(PcBooking) copy = NULL;
  PcClient *client_b = pc_booking_get_client (b);

  /* Repeated texts: one copy for both; an undocumented status too. */
  g_assert_cmpstr (pc_booking_get_status_text (b), ==, "Pending");
  g_assert_true (pc_booking_get_status_text (a) == pc_booking_get_status_text (b));
  g_object_set (a, "status-text", "OnHold", NULL);
  g_object_set (b, "status-text", "OnHold", NULL);
  g_assert_true (pc_booking_get_status_text (a) == pc_booking_get_status_text (b));
  g_object_set (a, "status-text", "Pending", NULL);
  g_object_set (b, "status-text", "Pending", NULL);
  g_assert_true (pc_client_get_nickname (pc_booking_get_client (a)) ==
                 pc_client_get_nickname (client_b));
  g_assert_true (pc_booking_get_phone_number (a) == pc_booking_get_phone_number (b));
  /* The booking's and its client's number are the same text, kept once. */
  g_assert_true (pc_booking_get_phone_number (b) == pc_client_get_phone_number (client_b));

  /* Free text is not interned: two reads, two copies. */
  g_assert_nonnull (pc_booking_get_comments (a));
  g_assert_cmpstr (pc_booking_get_comments (a), ==, pc_booking_get_comments (b));
  g_assert_true (pc_booking_get_comments (a) != pc_booking_get_comments (b));

  /* A copy shares the repeated texts of the booking it copies; free text is its own. */
  copy = pc_booking_copy (a);
  g_assert_true (pc_booking_get_status_text (copy) == pc_booking_get_status_text (a));
  g_assert_cmpstr (pc_booking_get_comments (copy), ==, pc_booking_get_comments (a));
  g_assert_true (pc_booking_get_comments (copy) != pc_booking_get_comments (a));

  /* Each holder keeps its texts: gone with a, still there in b and the copy. */
  g_clear_object (&a);
  g_assert_cmpstr (pc_booking_get_status_text (b), ==, "Pending");
  g_assert_cmpstr (pc_client_get_nickname (client_b), ==, "NightOwl_77");
  g_assert_cmpstr (pc_booking_get_comments (copy), ==, pc_booking_get_comments (b));

  /* A change to one holder's text leaves the other's alone. */
  g_object_set (copy, "status-text", "Rejected", "comments", "changed", NULL);
  g_assert_cmpstr (pc_booking_get_status_text (b), ==, "Pending");
  g_assert_cmpstr (pc_booking_get_comments (copy), ==, "changed");
  g_assert_cmpstr (pc_booking_get_comments (b), !=, "changed");
}

/* Dates are kept as numbers: each read makes a GDateTime of the same instant, to the
 * microsecond; a missing date reads as NULL, and one set in any zone keeps its instant. */
static void
test_dates_kept (void)
{
  g_autoptr(PcBooking) b = parse_fixture ("received-booking.json");
  g_autoptr(GDateTime) first = pc_booking_dup_create_date (b);
  g_autoptr(GDateTime) second = pc_booking_dup_create_date (b);
  g_autoptr(GTimeZone) tokyo = g_time_zone_new_identifier ("Asia/Tokyo");
  g_autoptr(GDateTime) set = NULL;
  g_autoptr(GDateTime) read = NULL;

  g_assert_nonnull (first);
  g_assert_true (first != second);
  g_assert_true (g_date_time_equal (first, second));
  g_assert_cmpint (g_date_time_to_unix_usec (first), ==, pc_booking_get_create_date_usec (b));
  g_assert_null (pc_booking_dup_accepted_date (b));

  g_assert_nonnull (tokyo);
  set = g_date_time_new (tokyo, 2025, 6, 15, 6, 30, 1.234567);
  g_object_set (b, "accepted-date", set, NULL);
  read = pc_booking_dup_accepted_date (b);
  g_assert_cmpint (g_date_time_to_unix_usec (read), ==, g_date_time_to_unix_usec (set));
  g_object_set (b, "accepted-date", NULL, NULL);
  g_assert_null (pc_test_booking_date (b, "accepted-date"));
}

static void
test_fixture_received_booking (void)
{
  g_autoptr(PcBooking) b = parse_fixture ("received-booking.json");
  PcClient *c = pc_booking_get_client (b);

  g_assert_cmpint (pc_booking_get_booking_id (b), ==, 4817263);
  g_assert_cmpint (pc_booking_get_duration (b), ==, 10);
  g_assert_cmpint (pc_booking_get_credits (b), ==, 15 * PC_CREDITS_SCALE);
  g_assert_cmpint (pc_booking_get_status (b), ==, PC_BOOKING_STATUS_PENDING);
  g_assert_cmpstr (pc_booking_get_status_text (b), ==, "Pending");
  g_assert_cmpint (pc_booking_get_method (b), ==, PC_CALL_METHOD_CALL_CLIENT);
  g_assert_cmpint (pc_booking_get_method_code (b), ==, 1);
  g_assert_cmpstr (pc_booking_get_phone_number (b), ==, "07700900123");
  g_assert_null (pc_booking_get_skype_name (b));
  /* June: London is on BST (UTC+1). */
  assert_datetime_utc (pc_test_booking_date (b, "create-date"), "2025-06-13T17:02:11.403000Z");
  assert_datetime_utc (pc_test_booking_date (b, "session-date"), "2025-06-14T20:30:00.000000Z");
  assert_datetime_utc (pc_test_booking_date (b, "accept-by"), "2025-06-14T19:00:00.000000Z");
  g_assert_null (pc_test_booking_date (b, "accepted-date"));
  g_assert_null (pc_test_booking_date (b, "confirmed-date"));
  g_assert_null (pc_test_booking_date (b, "cancelled-date"));
  g_assert_null (pc_booking_get_cancelled_reason (b));
  g_assert_null (pc_booking_get_cancelled_by (b));
  g_assert_null (pc_booking_get_rejected_reason (b));
  assert_datetime_utc (pc_test_booking_date (b, "last-updated"), "2025-06-13T17:02:11.403000Z");
  g_assert_cmpstr (pc_booking_get_comments (b), ==, "Hi, free after 9pm - hope that time suits you.");
  g_assert_cmpstr (pc_booking_get_action_candidate (b), ==,
                   "The session time has passed. You can re-invite the client.");

  g_assert_cmpint (pc_client_get_user_id (c), ==, 2938471);
  g_assert_cmpstr (pc_client_get_nickname (c), ==, "NightOwl_77");
  g_assert_cmpstr (pc_client_get_phone_number (c), ==, "07700900123");
  g_assert_null (pc_client_get_skype_name (c));
  g_assert_cmpint (pc_client_get_total (c), ==, 12);
  g_assert_cmpint (pc_client_get_positive (c), ==, 11);
  g_assert_cmpint (pc_client_get_neutral (c), ==, 1);
  g_assert_cmpint (pc_client_get_negative (c), ==, 0);
  g_assert_cmpint (pc_client_get_ratings (c), ==, 12);
  g_assert_cmpint (pc_client_get_disputes (c), ==, 0);
}

static void
test_fixture_accepted (void)
{
  g_autoptr(PcBooking) b = parse_fixture ("received-booking-accepted.json");

  g_assert_cmpint (pc_booking_get_credits (b), ==, 285000);
  g_assert_cmpint (pc_booking_get_status (b), ==, PC_BOOKING_STATUS_ACCEPTED);
  g_assert_cmpint (pc_booking_get_method (b), ==, PC_CALL_METHOD_SKYPE);
  g_assert_null (pc_booking_get_phone_number (b));
  g_assert_cmpstr (pc_booking_get_skype_name (b), ==, "quiet.caller.example");
  assert_datetime_utc (pc_test_booking_date (b, "accepted-date"), "2025-06-10T13:31:09.500000Z");
  g_assert_cmpstr (pc_booking_get_action_candidate (b), ==, "Waiting for the client to confirm.");
  g_assert_false (pc_booking_get_can_reinvite (b));
  g_assert_cmpstr (pc_client_get_nickname (pc_booking_get_client (b)), ==, "quiet_caller");
}

static void
test_fixture_reinvite_response (void)
{
  g_autoptr(PcBooking) b = parse_fixture ("reinvite-response.json");

  g_assert_cmpint (pc_booking_get_status (b), ==, PC_BOOKING_STATUS_REJECTED);
  g_assert_cmpstr (pc_booking_get_rejected_reason (b), ==,
                   "Sorry, I missed this one - please pick a new time.");
  g_assert_null (pc_booking_get_action_candidate (b));
  assert_datetime_utc (pc_test_booking_date (b, "last-updated"), "2025-06-15T08:12:40.170000Z");
  g_assert_false (pc_booking_get_can_reinvite (b));
}

/* The JSON sample of the ReInvite documentation page, byte for byte. */
static void
test_fixture_doc_sample (void)
{
  g_autoptr(PcBooking) b = parse_fixture ("reinvite-doc-sample.json");
  PcClient *c = pc_booking_get_client (b);

  g_assert_cmpint (pc_booking_get_booking_id (b), ==, 1);
  g_assert_cmpint (pc_booking_get_duration (b), ==, 15);
  g_assert_cmpint (pc_booking_get_credits (b), ==, 8 * PC_CREDITS_SCALE);
  g_assert_cmpint (pc_booking_get_status (b), ==, PC_BOOKING_STATUS_REJECTED);
  g_assert_cmpstr (pc_booking_get_rejected_reason (b), ==, "I don't have time at the scheduled date");
  /* January: London is on GMT. */
  assert_datetime_utc (pc_test_booking_date (b, "create-date"), "2018-01-20T12:34:56.789000Z");
  assert_datetime_utc (pc_test_booking_date (b, "session-date"), "2018-01-22T21:30:00.000000Z");
  g_assert_null (pc_booking_get_comments (b));
  g_assert_cmpint (pc_client_get_user_id (c), ==, 123654);
  g_assert_cmpstr (pc_client_get_nickname (c), ==, "BookingUser");
  g_assert_cmpint (pc_client_get_total (c), ==, 1);
  g_assert_cmpint (pc_client_get_positive (c), ==, 1);
}

static void
test_fixture_page (void)
{
  g_autoptr(GBytes) bytes = pc_test_load_data ("received-bookings-page.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(PcReceivedPage) page = pc_json_page_from_bytes (bytes, london, &error);
  static const gint64 ids[] = { 4817263, 4815502, 4809911, 4801234 };
  static const PcBookingStatus statuses[] = {
    PC_BOOKING_STATUS_PENDING, PC_BOOKING_STATUS_ACCEPTED,
    PC_BOOKING_STATUS_CONFIRMED, PC_BOOKING_STATUS_CANCELLED,
  };
  PcBooking *cancelled;

  g_assert_no_error (error);
  g_assert_cmpint (page->page_count, ==, 1);
  g_assert_cmpint (page->page_number, ==, 1);
  g_assert_cmpint (page->bookings_per_page, ==, 50);
  g_assert_cmpint (page->bookings_total, ==, 4);
  g_assert_cmpuint (page->bookings->len, ==, 4);
  for (guint i = 0; i < 4; i++)
    {
      PcBooking *b = g_ptr_array_index (page->bookings, i);

      g_assert_cmpint (pc_booking_get_booking_id (b), ==, ids[i]);
      g_assert_cmpint (pc_booking_get_status (b), ==, statuses[i]);
    }

  cancelled = g_ptr_array_index (page->bookings, 3);
  g_assert_cmpstr (pc_booking_get_cancelled_reason (cancelled), ==, "Something came up at work");
  g_assert_cmpstr (pc_booking_get_cancelled_by (cancelled), ==, "late_lark");
  assert_datetime_utc (pc_test_booking_date (cancelled, "cancelled-date"), "2025-05-29T06:45:00.000000Z");
  g_assert_cmpint (pc_booking_get_credits (g_ptr_array_index (page->bookings, 2)), ==, 75000);
  assert_datetime_utc (pc_test_booking_date (g_ptr_array_index (page->bookings, 2), "confirmed-date"),
                       "2025-06-01T09:30:12.001000Z");
}

static void
test_fixture_bare_array (void)
{
  g_autoptr(GBytes) page_bytes = pc_test_load_data ("received-bookings-page.json");
  g_autoptr(JsonNode) root = pc_json_parse_bytes (page_bytes, NULL);
  JsonNode *array = json_object_get_member (json_node_get_object (root), "Bookings");
  char *text = pc_json_node_to_string (array, FALSE);
  g_autoptr(GBytes) bytes = g_bytes_new_take (text, strlen (text));
  g_autoptr(GError) error = NULL;
  g_autoptr(PcReceivedPage) page = pc_json_page_from_bytes (bytes, london, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (page->bookings->len, ==, 4);
  g_assert_cmpint (page->page_count, ==, 1);
  g_assert_cmpint (page->bookings_total, ==, 4);
  g_assert_cmpint (pc_booking_get_booking_id (g_ptr_array_index (page->bookings, 3)), ==, 4801234);
}

/* Every other fixture is a different object: each must be refused with a clear error. */
typedef struct
{
  const char  *file;
  gboolean     as_page;
  PcJsonError  code;
  const char  *message;
} FixtureRefusal;

static const FixtureRefusal fixture_refusals[] = {
  { "made-booking.json", FALSE, PC_JSON_ERROR_MISSING_MEMBER, "CreateDate: missing" },
  { "verify-credentials.json", FALSE, PC_JSON_ERROR_MISSING_MEMBER, "BookingID: missing" },
  { "oauth-token.json", FALSE, PC_JSON_ERROR_MISSING_MEMBER, "BookingID: missing" },
  { "phonechat-settings.json", FALSE, PC_JSON_ERROR_MISSING_MEMBER, "BookingID: missing" },
  { "user-booking-requirements.json", FALSE, PC_JSON_ERROR_MISSING_MEMBER, "BookingID: missing" },
  { "error-oauth-refresh-token-expired.json", FALSE, PC_JSON_ERROR_MISSING_MEMBER, "BookingID: missing" },
  { "delete-bookings-result.json", TRUE, PC_JSON_ERROR_MISSING_MEMBER, "[0].Duration: missing" },
  { "delete-bookings-result.json", FALSE, PC_JSON_ERROR_NOT_OBJECT, "expected a booking object, got an array" },
  { "received-booking.json", TRUE, PC_JSON_ERROR_MISSING_MEMBER, "PageCount: missing" },
  { "received-booking.xml", FALSE, PC_JSON_ERROR_NOT_JSON, "The body is an XML document, not JSON" },
  { "reinvite-doc-sample.xml", FALSE, PC_JSON_ERROR_NOT_JSON, "The body is an XML document, not JSON" },
  { "reinvite-doc-sample.xml", TRUE, PC_JSON_ERROR_NOT_JSON, "The body is an XML document, not JSON" },
};

/* Reads @bytes as a page or as one booking, expecting a refusal. */
static GError *
read_refused (GBytes   *bytes,
              gboolean  as_page)
{
  GError *error = NULL;

  if (as_page)
    {
      g_autoptr(PcReceivedPage) page = pc_json_page_from_bytes (bytes, london, &error);
      g_assert_null (page);
    }
  else
    {
      g_autoptr(PcBooking) booking = pc_json_booking_from_bytes (bytes, london, &error);
      g_assert_null (booking);
    }

  return error;
}

static void
test_fixture_refused (gconstpointer data)
{
  const FixtureRefusal *r = data;
  g_autoptr(GBytes) bytes = pc_test_load_data (r->file);
  g_autoptr(GError) error = read_refused (bytes, r->as_page);

  g_assert_error (error, PC_JSON_ERROR, (int) r->code);
  g_assert_cmpstr (error->message, ==, r->message);
}

static void
assert_round_trip (const char *name,
                   gboolean    as_page)
{
  g_autoptr(GBytes) bytes = pc_test_load_data (name);
  g_autoptr(JsonNode) original = pc_json_parse_bytes (bytes, NULL);
  g_autoptr(JsonNode) written = NULL;
  g_autoptr(GError) error = NULL;

  if (as_page)
    {
      g_autoptr(PcReceivedPage) page = pc_json_page_from_bytes (bytes, london, &error);

      g_assert_no_error (error);
      written = pc_json_page_to_node (page, london);
    }
  else
    {
      g_autoptr(PcBooking) booking = pc_json_booking_from_bytes (bytes, london, &error);

      g_assert_no_error (error);
      written = pc_json_booking_to_node (booking, london);
    }

  if (!json_node_equal (original, written))
    {
      g_autofree char *a = pc_json_node_to_string (original, TRUE);
      g_autofree char *b = pc_json_node_to_string (written, TRUE);

      g_test_message ("original: %s\nwritten: %s", a, b);
      g_test_fail ();
    }
}

static void
test_round_trip (gconstpointer data)
{
  const char *name = data;

  assert_round_trip (name, g_str_has_suffix (name, "page.json"));
}

/* The member order of the written JSON is the API's. */
static void
test_round_trip_member_order (void)
{
  g_autoptr(PcBooking) b = parse_fixture ("received-booking.json");
  g_autoptr(JsonNode) node = pc_json_booking_to_node (b, london);
  g_autoptr(GList) members = json_object_get_members (json_node_get_object (node));
  static const char * const expected[] = {
    "BookingID", "Duration", "Credits", "Status", "Method", "PhoneNumber", "SkypeName",
    "CreateDate", "SessionDate", "AcceptBy", "AcceptedDate", "ConfirmedDate", "CancelledDate",
    "CancelledReason", "CancelledBy", "RejectedReason", "LastUpdated", "Comments",
    "ActionCandidate", "Client",
  };
  guint i = 0;

  for (GList *l = members; l != NULL; l = l->next, i++)
    g_assert_cmpstr (l->data, ==, expected[i]);
  g_assert_cmpuint (i, ==, G_N_ELEMENTS (expected));
}

/* --- Malformed and hostile inputs, each a change to a valid booking --- */

typedef struct
{
  const char  *name;
  const char  *member;   /* "Status" or "Client.UserID" */
  const char  *value;    /* JSON text; NULL removes the member */
  PcJsonError  code;
  const char  *message;  /* NULL: only the shape of the message is known */
} Mutation;

static const Mutation mutations[] = {
  { "missing-status", "Status", NULL, PC_JSON_ERROR_MISSING_MEMBER, "Status: missing" },
  { "null-status", "Status", "null", PC_JSON_ERROR_NULL_MEMBER, "Status: must not be null" },
  { "status-number", "Status", "3", PC_JSON_ERROR_WRONG_TYPE, "Status: expected a string, got an integer" },
  { "status-empty", "Status", "\"\"", PC_JSON_ERROR_BAD_VALUE, "Status: is empty" },
  { "booking-id-string", "BookingID", "\"4817263\"", PC_JSON_ERROR_WRONG_TYPE, "BookingID: expected an integer, got a string" },
  { "booking-id-negative", "BookingID", "-1", PC_JSON_ERROR_BAD_VALUE, "BookingID: -1 is out of range (0 to 9223372036854775807)" },
  { "booking-id-decimal", "BookingID", "1.5", PC_JSON_ERROR_WRONG_TYPE, "BookingID: expected an integer, got a decimal number" },
  { "booking-id-null", "BookingID", "null", PC_JSON_ERROR_NULL_MEMBER, "BookingID: must not be null" },
  { "missing-booking-id", "BookingID", NULL, PC_JSON_ERROR_MISSING_MEMBER, "BookingID: missing" },
  { "duration-boolean", "Duration", "true", PC_JSON_ERROR_WRONG_TYPE, "Duration: expected an integer, got a boolean" },
  { "duration-overflow", "Duration", "3000000000", PC_JSON_ERROR_BAD_VALUE, "Duration: 3000000000 is out of range (0 to 2147483647)" },
  { "credits-string", "Credits", "\"15\"", PC_JSON_ERROR_WRONG_TYPE, "Credits: expected a number, got a string" },
  { "credits-null", "Credits", "null", PC_JSON_ERROR_NULL_MEMBER, "Credits: must not be null" },
  { "credits-too-precise", "Credits", "1.00001", PC_JSON_ERROR_BAD_VALUE, "Credits: 1.00001 is not an amount of credits (at most four decimals)" },
  { "credits-negative", "Credits", "-5", PC_JSON_ERROR_BAD_VALUE, "Credits: -5 is not an amount of credits" },
  { "credits-negative-decimal", "Credits", "-0.5", PC_JSON_ERROR_BAD_VALUE, "Credits: -0.5 is not an amount of credits (at most four decimals)" },
  { "credits-overflowing-literal", "Credits", "99999999999999999999", PC_JSON_ERROR_BAD_VALUE, "Credits: the number does not fit in 64 bits" },
  { "booking-id-overflowing-literal", "BookingID", "99999999999999999999", PC_JSON_ERROR_BAD_VALUE, "BookingID: the number does not fit in 64 bits" },
  { "client-user-id-overflowing-negative", "Client.UserID", "-99999999999999999999", PC_JSON_ERROR_BAD_VALUE, "Client.UserID: the number does not fit in 64 bits" },
  { "credits-five-decimals-large", "Credits", "123.45678", PC_JSON_ERROR_BAD_VALUE, "Credits: 123.457 is not an amount of credits (at most four decimals)" },
  { "credits-huge", "Credits", "1e300", PC_JSON_ERROR_BAD_VALUE, "Credits: 1e+300 is not an amount of credits (at most four decimals)" },
  { "method-string", "Method", "\"1\"", PC_JSON_ERROR_WRONG_TYPE, "Method: expected an integer, got a string" },
  { "phone-number-integer", "PhoneNumber", "7700900123", PC_JSON_ERROR_WRONG_TYPE, "PhoneNumber: expected a string, got an integer" },
  { "comments-array", "Comments", "[\"hi\"]", PC_JSON_ERROR_WRONG_TYPE, "Comments: expected a string, got an array" },
  { "session-date-month-13", "SessionDate", "\"2025-13-14T21:30:00\"", PC_JSON_ERROR_BAD_VALUE, "SessionDate: “2025-13-14T21:30:00” is not a date: not a valid calendar date or time" },
  { "session-date-words", "SessionDate", "\"yesterday\"", PC_JSON_ERROR_BAD_VALUE, "SessionDate: “yesterday” is not a date: expected a date like 2025-06-14T21:30:00" },
  { "session-date-8-fraction-digits", "SessionDate", "\"2025-06-14T21:30:00.12345678\"", PC_JSON_ERROR_BAD_VALUE, "SessionDate: “2025-06-14T21:30:00.12345678” is not a date: more than 7 fractional digits" },
  { "session-date-number", "SessionDate", "1718400000", PC_JSON_ERROR_WRONG_TYPE, "SessionDate: expected a date string, got an integer" },
  { "session-date-space", "SessionDate", "\"2025-06-14 21:30:00\"", PC_JSON_ERROR_BAD_VALUE, "SessionDate: “2025-06-14 21:30:00” is not a date: expected a date like 2025-06-14T21:30:00" },
  { "session-date-trailing-text", "SessionDate", "\"2025-06-14T21:30:00 BST\"", PC_JSON_ERROR_BAD_VALUE, "SessionDate: “2025-06-14T21:30:00 BST” is not a date: unexpected text after the date" },
  { "session-date-bad-offset", "SessionDate", "\"2025-06-14T21:30:00+25:00\"", PC_JSON_ERROR_BAD_VALUE, "SessionDate: “2025-06-14T21:30:00+25:00” is not a date: bad time zone offset" },
  { "last-updated-february-30", "LastUpdated", "\"2025-02-30T10:00:00\"", PC_JSON_ERROR_BAD_VALUE, "LastUpdated: “2025-02-30T10:00:00” is not a date: not a valid calendar date or time" },
  { "create-date-null", "CreateDate", "null", PC_JSON_ERROR_NULL_MEMBER, "CreateDate: must not be null" },
  { "missing-accept-by", "AcceptBy", NULL, PC_JSON_ERROR_MISSING_MEMBER, "AcceptBy: missing" },
  { "accepted-date-object", "AcceptedDate", "{}", PC_JSON_ERROR_WRONG_TYPE, "AcceptedDate: expected a date string, got an object" },
  { "missing-client", "Client", NULL, PC_JSON_ERROR_MISSING_MEMBER, "Client: missing" },
  { "client-null", "Client", "null", PC_JSON_ERROR_NULL_MEMBER, "Client: must not be null" },
  { "client-array", "Client", "[]", PC_JSON_ERROR_NOT_OBJECT, "Client: expected an object, got an array" },
  { "client-user-id-string", "Client.UserID", "\"2938471\"", PC_JSON_ERROR_WRONG_TYPE, "Client.UserID: expected an integer, got a string" },
  { "client-nickname-null", "Client.Nickname", "null", PC_JSON_ERROR_NULL_MEMBER, "Client.Nickname: must not be null" },
  { "client-positive-negative", "Client.Positive", "-1", PC_JSON_ERROR_BAD_VALUE, "Client.Positive: -1 is out of range (0 to 2147483647)" },
  { "client-missing-ratings", "Client.Ratings", NULL, PC_JSON_ERROR_MISSING_MEMBER, "Client.Ratings: missing" },
  { "client-skype-name-boolean", "Client.SkypeName", "false", PC_JSON_ERROR_WRONG_TYPE, "Client.SkypeName: expected a string, got a boolean" },
};

static JsonNode *
parse_text (const char *text)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
  g_autoptr(GError) error = NULL;
  JsonNode *node = pc_json_parse_bytes (bytes, &error);

  g_assert_no_error (error);
  return node;
}

static GBytes *
mutate_fixture (const char *fixture,
                const char *member,
                const char *value)
{
  g_autoptr(GBytes) bytes = pc_test_load_data (fixture);
  g_autoptr(JsonNode) root = pc_json_parse_bytes (bytes, NULL);
  g_auto(GStrv) parts = g_strsplit (member, ".", 2);
  JsonObject *object = json_node_get_object (root);
  const char *name = parts[0];
  char *text;

  if (parts[1] != NULL)
    {
      object = json_object_get_object_member (object, parts[0]);
      name = parts[1];
    }

  if (value == NULL)
    json_object_remove_member (object, name);
  else
    json_object_set_member (object, name, parse_text (value));

  text = pc_json_node_to_string (root, FALSE);
  return g_bytes_new_take (text, strlen (text));
}

static void
test_malformed_member (gconstpointer data)
{
  const Mutation *m = data;
  g_autoptr(GBytes) bytes = mutate_fixture ("received-booking.json", m->member, m->value);
  g_autoptr(GError) error = NULL;
  g_autoptr(PcBooking) booking = pc_json_booking_from_bytes (bytes, london, &error);

  g_assert_null (booking);
  g_assert_error (error, PC_JSON_ERROR, (int) m->code);
  if (m->message != NULL)
    g_assert_cmpstr (error->message, ==, m->message);
  else
    {
      g_assert_true (g_str_has_prefix (error->message, "Credits: "));
      g_assert_true (g_str_has_suffix (error->message, " is not an amount of credits"));
    }
}

typedef struct
{
  const char  *name;
  const char  *body;
  gboolean     as_page;
  PcJsonError  code;
  const char  *message;  /* exact, or a prefix when it ends in "…" */
} BodyCase;

static const BodyCase body_cases[] = {
  { "empty", "", FALSE, PC_JSON_ERROR_NOT_JSON, "The body is an empty body, not JSON" },
  { "whitespace", " \n\t ", FALSE, PC_JSON_ERROR_NOT_JSON, "The body is an empty body, not JSON" },
  { "html", "<!DOCTYPE html>\n<html><head><title> 502 Bad Gateway </title></head><body>cloudflare</body></html>", FALSE, PC_JSON_ERROR_NOT_JSON, "The body is an HTML page (“502 Bad Gateway”), not JSON" },
  { "html-no-title", "<html><body>Just a moment...</body></html>", TRUE, PC_JSON_ERROR_NOT_JSON, "The body is an HTML page, not JSON" },
  { "xml", "<?xml version=\"1.0\"?><ReceivedBooking/>", FALSE, PC_JSON_ERROR_NOT_JSON, "The body is an XML document, not JSON" },
  { "plain-text", "Internal Server Error", FALSE, PC_JSON_ERROR_NOT_JSON, "The body is text that is not JSON (“Internal Server Error”), not JSON" },
  { "truncated", "{\"BookingID\": 1, \"Duration\": 1", FALSE, PC_JSON_ERROR_SYNTAX, "The body is not valid JSON: …" },
  { "invalid-utf8", "{\"Status\": \"\xff\xfe\"}", FALSE, PC_JSON_ERROR_SYNTAX, "The body is not valid JSON: …" },
  { "nested-too-deep", NULL, FALSE, PC_JSON_ERROR_SYNTAX, "The body is nested more than 1024 levels deep" },
  { "page-count-overflowing-literal", "{\"PageCount\":99999999999999999999,\"PageNumber\":1,\"BookingsPerPage\":50,\"BookingsTotal\":0,\"Bookings\":[]}", TRUE, PC_JSON_ERROR_BAD_VALUE, "PageCount: the number does not fit in 64 bits" },
  { "root-array", "[]", FALSE, PC_JSON_ERROR_NOT_OBJECT, "expected a booking object, got an array" },
  { "root-number", "42", FALSE, PC_JSON_ERROR_NOT_OBJECT, "expected a booking object, got an integer" },
  { "root-string", "\"Pending\"", TRUE, PC_JSON_ERROR_NOT_OBJECT, "expected a page of bookings, got a string" },
  { "root-null", "null", TRUE, PC_JSON_ERROR_NOT_OBJECT, "expected a page of bookings, got null" },
  { "page-bookings-missing", "{\"PageCount\":1,\"PageNumber\":1,\"BookingsPerPage\":50,\"BookingsTotal\":0}", TRUE, PC_JSON_ERROR_MISSING_MEMBER, "Bookings: missing" },
  { "page-bookings-object", "{\"PageCount\":1,\"PageNumber\":1,\"BookingsPerPage\":50,\"BookingsTotal\":0,\"Bookings\":{}}", TRUE, PC_JSON_ERROR_WRONG_TYPE, "Bookings: expected an array, got an object" },
  { "page-count-string", "{\"PageCount\":\"1\",\"PageNumber\":1,\"BookingsPerPage\":50,\"BookingsTotal\":0,\"Bookings\":[]}", TRUE, PC_JSON_ERROR_WRONG_TYPE, "PageCount: expected an integer, got a string" },
  { "page-element-number", "{\"PageCount\":1,\"PageNumber\":1,\"BookingsPerPage\":50,\"BookingsTotal\":1,\"Bookings\":[7]}", TRUE, PC_JSON_ERROR_NOT_OBJECT, "Bookings[0]: expected a booking object, got an integer" },
};

static void
test_malformed_body (gconstpointer data)
{
  const BodyCase *c = data;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  if (c->body != NULL)
    bytes = g_bytes_new_static (c->body, strlen (c->body));
  else
    {
      GString *deep = g_string_new (NULL);

      for (int i = 0; i < 100000; i++)
        g_string_append_c (deep, '[');
      for (int i = 0; i < 100000; i++)
        g_string_append_c (deep, ']');
      bytes = g_string_free_to_bytes (deep);
    }

  error = read_refused (bytes, c->as_page);

  g_assert_error (error, PC_JSON_ERROR, (int) c->code);
  if (g_str_has_suffix (c->message, "…"))
    g_assert_true (g_str_has_prefix (error->message, c->message) ||
                   strncmp (error->message, c->message, strlen (c->message) - strlen ("…")) == 0);
  else
    g_assert_cmpstr (error->message, ==, c->message);
}

/* The member path of an error names the booking's place in the page. */
static void
test_malformed_page_path (void)
{
  g_autoptr(GBytes) bytes = pc_test_load_data ("received-bookings-page.json");
  g_autoptr(JsonNode) root = pc_json_parse_bytes (bytes, NULL);
  JsonArray *bookings = json_object_get_array_member (json_node_get_object (root), "Bookings");
  JsonObject *client = json_object_get_object_member (json_array_get_object_element (bookings, 2), "Client");
  g_autofree char *text = NULL;
  g_autoptr(GBytes) broken = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PcReceivedPage) page = NULL;

  json_object_set_string_member (client, "UserID", "700231");
  text = pc_json_node_to_string (root, FALSE);
  broken = g_bytes_new (text, strlen (text));
  page = pc_json_page_from_bytes (broken, london, &error);

  g_assert_null (page);
  g_assert_error (error, PC_JSON_ERROR, PC_JSON_ERROR_WRONG_TYPE);
  g_assert_cmpstr (error->message, ==, "Bookings[2].Client.UserID: expected an integer, got a string");
}

/* A copy of @booking's object (and its client's) with the members in reverse order, or
 * with an unknown member after each one. */
static JsonNode *
reorder_members (JsonNode *booking,
                 gboolean  reverse,
                 gboolean  extras)
{
  JsonObject *from = json_node_get_object (booking);
  g_autoptr(JsonObject) to = json_object_new ();
  GList *members = json_object_get_members (from);

  if (reverse)
    members = g_list_reverse (members);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonNode *value = json_object_dup_member (from, name);

      if (g_str_equal (name, "Client"))
        {
          JsonNode *client = reorder_members (value, reverse, extras);

          json_node_unref (value);
          value = client;
        }
      json_object_set_member (to, name, value);
      if (extras)
        {
          g_autofree char *extra = g_strconcat ("Not", name, NULL);

          json_object_set_string_member (to, extra, name);
        }
    }
  g_list_free (members);

  return json_node_init_object (json_node_alloc (), to);
}

static GBytes *
page_of (JsonNode **bookings,
         guint      n)
{
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(JsonNode) root = NULL;
  char *text;

  for (guint i = 0; i < n; i++)
    json_array_add_element (array, bookings[i]);
  root = json_node_init_array (json_node_alloc (), array);
  text = pc_json_node_to_string (root, FALSE);
  return g_bytes_new_take (text, strlen (text));
}

/* The members of a page's bookings are matched by name, whatever their order and whatever
 * order the booking before came in: each booking reads as the fixture does. A member
 * missing from one booking is reported even when the others had it. */
static void
test_page_member_order (void)
{
  g_autoptr(GBytes) fixture = pc_test_load_data ("received-booking.json");
  g_autoptr(JsonNode) original = pc_json_parse_bytes (fixture, NULL);
  g_autoptr(PcBooking) single = parse_fixture ("received-booking.json");
  g_autoptr(JsonNode) expected = pc_json_booking_to_node (single, london);
  g_autoptr(GError) error = NULL;
  g_autoptr(PcReceivedPage) page = NULL;
  g_autoptr(GBytes) bytes = NULL;
  JsonNode *mixed[] = {
    json_node_copy (original),
    reorder_members (original, TRUE, TRUE),
    reorder_members (original, FALSE, TRUE),
    reorder_members (original, TRUE, FALSE),
    json_node_copy (original),
    reorder_members (original, TRUE, TRUE),
  };
  static const struct {
    const char *member;
    const char *message;
  } missing[] = {
    { "Status", "[0].Status: missing" },
    { "Client.Nickname", "[0].Client.Nickname: missing" },
  };

  bytes = page_of (mixed, G_N_ELEMENTS (mixed));
  page = pc_json_page_from_bytes (bytes, london, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->bookings->len, ==, G_N_ELEMENTS (mixed));
  for (guint i = 0; i < page->bookings->len; i++)
    {
      g_autoptr(JsonNode) written = pc_json_booking_to_node (g_ptr_array_index (page->bookings, i),
                                                             london);

      if (!json_node_equal (expected, written))
        {
          g_autofree char *text = pc_json_node_to_string (written, TRUE);

          g_error ("Booking %u of the page reads differently: %s", i, text);
        }
    }

  /* The first booking, read last, lacks a member its followers all had. */
  for (guint i = 0; i < G_N_ELEMENTS (missing); i++)
    {
      g_autoptr(GBytes) broken = mutate_fixture ("received-booking.json", missing[i].member, NULL);
      g_autoptr(GBytes) broken_page = NULL;
      g_autoptr(PcReceivedPage) refused = NULL;
      g_autoptr(GError) refusal = NULL;
      JsonNode *bookings[] = {
        pc_json_parse_bytes (broken, NULL),
        json_node_copy (original),
        reorder_members (original, FALSE, TRUE),
      };

      broken_page = page_of (bookings, G_N_ELEMENTS (bookings));
      refused = pc_json_page_from_bytes (broken_page, london, &refusal);
      g_assert_null (refused);
      g_assert_error (refusal, PC_JSON_ERROR, PC_JSON_ERROR_MISSING_MEMBER);
      g_assert_cmpstr (refusal->message, ==, missing[i].message);
    }
}

/* Unknown members are ignored, and unknown Status/Method values are kept. */
static void
test_unknown_members_and_values (void)
{
  g_autoptr(GBytes) a = mutate_fixture ("received-booking.json", "FutureMember", "{\"x\": [1, 2]}");
  g_autoptr(GBytes) b = NULL;
  g_autoptr(GBytes) c = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PcBooking) booking = NULL;
  g_autoptr(PcBooking) unknown = NULL;
  g_autoptr(PcBooking) method7 = NULL;

  booking = pc_json_booking_from_bytes (a, london, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pc_booking_get_booking_id (booking), ==, 4817263);

  b = mutate_fixture ("received-booking.json", "Status", "\"Withdrawn\"");
  unknown = pc_json_booking_from_bytes (b, london, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pc_booking_get_status (unknown), ==, PC_BOOKING_STATUS_UNKNOWN);
  g_assert_cmpstr (pc_booking_get_status_text (unknown), ==, "Withdrawn");
  g_assert_false (pc_booking_get_can_reinvite (unknown));

  c = mutate_fixture ("received-booking.json", "Method", "7");
  method7 = pc_json_booking_from_bytes (c, london, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pc_booking_get_method (method7), ==, PC_CALL_METHOD_UNKNOWN);
  g_assert_cmpint (pc_booking_get_method_code (method7), ==, 7);
}

typedef struct
{
  const char *text;
  const char *utc;   /* NULL: must be refused */
} DateCase;

static void
test_dates (void)
{
  static const DateCase cases[] = {
    { "2025-06-14T21:30:00", "2025-06-14T20:30:00.000000Z" },
    { "2025-06-14T21:30:00.1", "2025-06-14T20:30:00.100000Z" },
    { "2025-06-14T21:30:00.12", "2025-06-14T20:30:00.120000Z" },
    { "2025-06-14T21:30:00.403", "2025-06-14T20:30:00.403000Z" },
    { "2025-06-14T21:30:00.1234567", "2025-06-14T20:30:00.123456Z" },
    { "2025-06-14T21:30:00Z", "2025-06-14T21:30:00.000000Z" },
    { "2025-06-14T21:30:00.5Z", "2025-06-14T21:30:00.500000Z" },
    { "2025-06-14T21:30:00+02:00", "2025-06-14T19:30:00.000000Z" },
    { "2025-06-14T21:30:00-0530", "2025-06-15T03:00:00.000000Z" },
    { "2025-01-14T21:30:00", "2025-01-14T21:30:00.000000Z" },
    { "2024-02-29T00:00:00", "2024-02-29T00:00:00.000000Z" },
    { "2025-02-29T00:00:00", NULL },
    { "2025-06-14T24:00:00", NULL },
    { "2025-06-14T21:30:00.", NULL },
    { "2025-06-14T21:30", NULL },
    { "", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *reason = NULL;
      g_autoptr(GDateTime) dt = pc_datetime_parse (cases[i].text, london, &reason);

      g_test_message ("date %s", cases[i].text);
      if (cases[i].utc == NULL)
        {
          g_assert_null (dt);
          g_assert_nonnull (reason);
        }
      else
        assert_datetime_utc (dt, cases[i].utc);
    }
}

/* The day cache of PcDateReader must agree with GLib's own placement of every local time,
 * including the hours around both daylight-saving transitions. */
static void
test_dates_agree_with_glib (void)
{
  static const char * const zones[] = { "Europe/London", "America/New_York", "Australia/Lord_Howe" };

  for (guint z = 0; z < G_N_ELEMENTS (zones); z++)
    {
      g_autoptr(GTimeZone) zone = g_time_zone_new_identifier (zones[z]);
      g_autoptr(GDateTime) t = g_date_time_new_utc (2024, 12, 31, 0, 0, 0);
      PcDateReader reader;

      g_assert_nonnull (zone);
      pc_date_reader_init (&reader, zone);
      /* Every 15 minutes of 2025, in local wall-clock terms. */
      for (guint i = 0; i < 366 * 96; i++)
        {
          g_autoptr(GDateTime) next = g_date_time_add_minutes (t, 15);
          g_autofree char *text = g_date_time_format (t, "%Y-%m-%dT%H:%M:%S");
          g_autoptr(GDateTime) expected = g_date_time_new (zone, g_date_time_get_year (t),
                                                           g_date_time_get_month (t),
                                                           g_date_time_get_day_of_month (t),
                                                           g_date_time_get_hour (t),
                                                           g_date_time_get_minute (t), 0);
          const char *reason = NULL;
          g_autoptr(GDateTime) got = pc_date_reader_parse (&reader, text, &reason);

          g_assert_nonnull (got);
          if (!g_date_time_equal (got, expected))
            g_error ("%s in %s: %" G_GINT64_FORMAT " != %" G_GINT64_FORMAT, text, zones[z],
                     g_date_time_to_unix (got), g_date_time_to_unix (expected));
          /* What bookings keep: the same instant, without a GDateTime. */
          {
            gint64 usec = 0;

            g_assert_true (pc_date_reader_parse_usec (&reader, text, &usec, &reason));
            g_assert_cmpint (usec, ==, g_date_time_to_unix_usec (expected));
          }
          g_date_time_unref (g_steal_pointer (&t));
          t = g_steal_pointer (&next);
        }
      pc_date_reader_clear (&reader);
    }
}

/* pc_date_reader_parse_usec() and pc_date_reader_parse() agree on every form: fractions,
 * offsets, the edges of GDateTime's range, and what is not a date. */
static void
test_dates_usec (void)
{
  static const char * const texts[] = {
    "2025-06-14T21:30:00", "2025-06-14T21:30:00.1", "2025-06-14T21:30:00.999999",
    "2025-06-14T21:30:00.1234567", "2025-06-14T21:30:00Z", "2025-06-14T21:30:00.5Z",
    "2025-06-14T21:30:00+02:00", "2025-06-14T21:30:00-0530", "2025-03-30T01:30:00",
    "2025-10-26T01:30:00", "1970-01-01T00:00:00Z", "1969-12-31T23:59:59.5Z",
    "0001-01-01T00:00:00Z", "0001-01-01T00:30:00+01:00", "0002-01-01T00:00:00",
    "9999-12-31T23:59:59Z", "9999-12-31T23:30:00-01:00", "9998-12-31T23:59:59",
    "2025-02-29T00:00:00", "2025-06-14T21:30", "not a date", "",
  };
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier ("Europe/London");
  PcDateReader reader;

  pc_date_reader_init (&reader, zone);
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      const char *reason = NULL, *usec_reason = NULL;
      g_autoptr(GDateTime) dt = pc_date_reader_parse (&reader, texts[i], &reason);
      gint64 usec = 0;
      gboolean read = pc_date_reader_parse_usec (&reader, texts[i], &usec, &usec_reason);

      g_test_message ("date %s", texts[i]);
      g_assert_cmpint (read, ==, dt != NULL);
      if (dt != NULL)
        g_assert_cmpint (usec, ==, g_date_time_to_unix_usec (dt));
      else
        g_assert_cmpstr (usec_reason, ==, reason);
    }
  pc_date_reader_clear (&reader);
}

/* The API's zone is a setting: the same text read in another zone is another instant. */
static void
test_dates_zone_setting (void)
{
  g_autoptr(GTimeZone) tokyo = g_time_zone_new_identifier ("Asia/Tokyo");
  g_autoptr(GBytes) bytes = pc_test_load_data ("received-booking.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(PcBooking) b = pc_json_booking_from_bytes (bytes, tokyo, &error);
  g_autoptr(PcBooking) d = pc_json_booking_from_bytes (bytes, NULL, &error);
  g_autoptr(JsonNode) node = NULL;

  g_assert_no_error (error);
  assert_datetime_utc (pc_test_booking_date (b, "session-date"), "2025-06-14T12:30:00.000000Z");
  /* NULL is the default zone, Europe/London. */
  assert_datetime_utc (pc_test_booking_date (d, "session-date"), "2025-06-14T20:30:00.000000Z");

  /* Written back in the same zone, the text is the server's. */
  node = pc_json_booking_to_node (b, tokyo);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "SessionDate"), ==,
                   "2025-06-14T21:30:00");
}

static void
test_credits (void)
{
  static const struct { double value; gint64 fixed; gboolean ok; } cases[] = {
    { 8, 80000, TRUE },
    { 8.0000, 80000, TRUE },
    { 28.5, 285000, TRUE },
    { 0.0001, 1, TRUE },
    { 1234567.8912, 12345678912, TRUE },
    { 0.1 + 0.2, 3000, TRUE },
    { 1.00005, 0, FALSE },
    { 123.45678, 0, FALSE },
    { 9999.99999, 0, FALSE },
    { 99999.9999, 999999999, TRUE },
    { -2.25, -22500, TRUE },
  };
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;
  g_autofree char *d = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gint64 fixed = -1;

      g_assert_cmpint (pc_credits_from_double (cases[i].value, &fixed), ==, cases[i].ok);
      if (cases[i].ok)
        g_assert_cmpint (fixed, ==, cases[i].fixed);
    }

  a = pc_credits_format (285000, FALSE);
  b = pc_credits_format (150000, FALSE);
  c = pc_credits_format (12345, FALSE);
  d = pc_credits_format (150000, TRUE);
  g_assert_cmpstr (a, ==, "28.50");
  g_assert_cmpstr (b, ==, "15");
  g_assert_cmpstr (c, ==, "1.2345");
  g_assert_cmpstr (d, ==, "15.00");
}

/* --- Strict JSON: what json-glib 1.10 accepts only outside strict mode is refused --- */

/* Every reader refuses @len bytes of @body with the same error, and never returns NULL
 * without one. */
static void
assert_body_refused (const char  *body,
                     gssize       len,
                     PcJsonError  code,
                     const char  *message)
{
  g_autoptr(GBytes) bytes = g_bytes_new (body, len < 0 ? strlen (body) : (gsize) len);
  g_autoptr(GError) parse_error = NULL;
  g_autoptr(GError) booking_error = NULL;
  g_autoptr(GError) page_error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *server_message = NULL;

  root = pc_json_parse_bytes (bytes, &parse_error);
  g_assert_null (root);
  g_assert_error (parse_error, PC_JSON_ERROR, (int) code);
  g_assert_cmpstr (parse_error->message, ==, message);

  booking_error = read_refused (bytes, FALSE);
  g_assert_error (booking_error, PC_JSON_ERROR, (int) code);
  g_assert_cmpstr (booking_error->message, ==, message);

  page_error = read_refused (bytes, TRUE);
  g_assert_error (page_error, PC_JSON_ERROR, (int) code);
  g_assert_cmpstr (page_error->message, ==, message);

  server_message = pc_json_error_message_from_body (bytes);
  g_assert_null (server_message);
}

static void
test_strict_comment (void)
{
  /* Only a comment: a lenient parser reads these as a document without a root. */
  assert_body_refused ("/**/", -1, PC_JSON_ERROR_NOT_JSON,
                       "The body is text that is not JSON (“/**/”), not JSON");
  assert_body_refused ("//\n", -1, PC_JSON_ERROR_NOT_JSON,
                       "The body is text that is not JSON (“//”), not JSON");
  assert_body_refused ("/* {\"Message\": \"hidden\"} */", -1, PC_JSON_ERROR_NOT_JSON,
                       "The body is text that is not JSON (“/* {\"Message\": \"hidden\"} */”), "
                       "not JSON");

  /* Inside or after a document that is valid without it. */
  assert_body_refused ("{\"Message\": /* why */ \"The booking is not pending.\"}", -1,
                       PC_JSON_ERROR_SYNTAX,
                       "The body is not valid JSON: it has a comment (line 1, column 13)");
  assert_body_refused ("{\"Message\": \"x\"}\n/* done */\n", -1, PC_JSON_ERROR_SYNTAX,
                       "The body is not valid JSON: it has a comment (line 2, column 1)");
  /* json-glib 1.10 does not read a line comment after a value even when not strict, so
   * this one keeps json-glib's own description. */
  {
    static const char body[] = "{\"Message\": \"x\" // why\n}";
    g_autoptr(GBytes) bytes = g_bytes_new_static (body, strlen (body));
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) root = pc_json_parse_bytes (bytes, &error);

    g_assert_null (root);
    g_assert_error (error, PC_JSON_ERROR, PC_JSON_ERROR_SYNTAX);
    g_assert_true (g_str_has_prefix (error->message, "The body is not valid JSON: "));
  }
  /* Slashes in a string are no comment. */
  {
    g_autoptr(GBytes) bytes = NULL;
    g_autofree char *message = NULL;

    bytes = g_bytes_new_static ("{\"Message\": \"see /* and // and 'x'\"}",
                                strlen ("{\"Message\": \"see /* and // and 'x'\"}"));
    message = pc_json_error_message_from_body (bytes);
    g_assert_cmpstr (message, ==, "see /* and // and 'x'");
  }
}

static void
test_strict_second_document (void)
{
  assert_body_refused ("{} {}", -1, PC_JSON_ERROR_SYNTAX,
                       "The body is not valid JSON: a second JSON document follows the first "
                       "(line 1, column 4)");
  assert_body_refused ("{\"Message\": \"a\"}\n{\"Message\": \"b\"}\n", -1, PC_JSON_ERROR_SYNTAX,
                       "The body is not valid JSON: a second JSON document follows the first "
                       "(line 2, column 1)");
}

static void
test_strict_single_quotes (void)
{
  assert_body_refused ("{'Message': \"x\"}", -1, PC_JSON_ERROR_SYNTAX,
                       "The body is not valid JSON: it has a single-quoted string "
                       "(line 1, column 2)");
  assert_body_refused ("{\"Message\": 'The booking is not pending.'}", -1, PC_JSON_ERROR_SYNTAX,
                       "The body is not valid JSON: it has a single-quoted string "
                       "(line 1, column 13)");
}

static GString *
nested_arrays (guint depth)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < depth; i++)
    g_string_append_c (text, '[');
  for (guint i = 0; i < depth; i++)
    g_string_append_c (text, ']');
  return text;
}

static void
test_strict_nesting (void)
{
  g_autoptr(GString) deepest = nested_arrays (JSON_PARSER_MAX_RECURSION_DEPTH);
  g_autoptr(GString) too_deep = nested_arrays (JSON_PARSER_MAX_RECURSION_DEPTH + 1);
  g_autoptr(GBytes) bytes = g_bytes_new_static (deepest->str, deepest->len);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;

  g_assert_cmpint (JSON_PARSER_MAX_RECURSION_DEPTH, ==, 1024);

  /* 1024 levels are read (and refused for what they hold, not for their depth). */
  root = pc_json_parse_bytes (bytes, &error);
  g_assert_no_error (error);
  g_assert_nonnull (root);
  error = read_refused (bytes, TRUE);
  g_assert_error (error, PC_JSON_ERROR, PC_JSON_ERROR_NOT_OBJECT);
  g_assert_cmpstr (error->message, ==, "[0]: expected a booking object, got an array");

  assert_body_refused (too_deep->str, too_deep->len, PC_JSON_ERROR_SYNTAX,
                       "The body is nested more than 1024 levels deep");
  /* Unclosed, and objects rather than arrays. */
  assert_body_refused (too_deep->str, too_deep->len / 2, PC_JSON_ERROR_SYNTAX,
                       "The body is nested more than 1024 levels deep");
  {
    g_autoptr(GString) objects = g_string_new (NULL);

    for (guint i = 0; i < JSON_PARSER_MAX_RECURSION_DEPTH + 1; i++)
      g_string_append (objects, "{\"a\":");
    assert_body_refused (objects->str, objects->len, PC_JSON_ERROR_SYNTAX,
                         "The body is nested more than 1024 levels deep");
  }
  /* The bypass of the old hand-written depth guard: a comment holding a quote, then
   * 200,000 brackets (json-glib 1.6 overflowed its stack on them). */
  {
    g_autoptr(GString) hidden = g_string_new ("/*\"*/");
    g_autoptr(GBytes) hidden_bytes = NULL;
    g_autoptr(GError) hidden_error = NULL;
    g_autoptr(PcReceivedPage) page = NULL;

    for (guint i = 0; i < 200000; i++)
      g_string_append_c (hidden, '[');
    hidden_bytes = g_bytes_new_static (hidden->str, hidden->len);
    page = pc_json_page_from_bytes (hidden_bytes, pc_json_get_default_zone (), &hidden_error);
    g_assert_null (page);
    g_assert_error (hidden_error, PC_JSON_ERROR, PC_JSON_ERROR_NOT_JSON);
    g_assert_true (g_str_has_prefix (hidden_error->message,
                                     "The body is text that is not JSON (“/*\"*/[[["));
  }
}

/* json-glib quotes the body in its message byte for byte, cut inside a character: found
 * by fuzz-json (the input is kept in tests/fuzz/regressions/json). */
static void
test_strict_quoted_text (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fuzz", "regressions", "json",
                                                 "invalid-utf8-in-parse-error.json", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PcReceivedPage) page = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  bytes = g_bytes_new_static (contents, length);
  page = pc_json_page_from_bytes (bytes, pc_json_get_default_zone (), &error);

  g_assert_null (page);
  g_assert_error (error, PC_JSON_ERROR, PC_JSON_ERROR_SYNTAX);
  g_assert_true (g_str_has_prefix (error->message, "The body is not valid JSON: "));
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_cmpuint (g_utf8_strlen (error->message, -1), <=, 250);
}

/* Brackets, quotes and slashes inside strings are text: no depth, no comment. */
static void
test_strict_brackets_in_strings (void)
{
  g_autoptr(GString) text = g_string_new ("{\"Message\": \"");
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *message = NULL;

  for (guint i = 0; i < 2000; i++)
    g_string_append (text, "[{");
  g_string_append (text, "\\\" ' /* // \"}");
  bytes = g_bytes_new_static (text->str, text->len);

  root = pc_json_parse_bytes (bytes, &error);
  g_assert_no_error (error);
  g_assert_nonnull (root);
  message = pc_json_error_message_from_body (bytes);
  g_assert_true (g_str_has_suffix (message, "[{\" ' /* // "));
}

static void
test_strict_empty_body (void)
{
  assert_body_refused ("", 0, PC_JSON_ERROR_NOT_JSON, "The body is an empty body, not JSON");
  assert_body_refused (" \r\n\t  ", -1, PC_JSON_ERROR_NOT_JSON,
                       "The body is an empty body, not JSON");

  /* An empty GBytes has no data pointer at all. */
  {
    g_autoptr(GBytes) bytes = g_bytes_new (NULL, 0);
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) root = pc_json_parse_bytes (bytes, &error);

    g_assert_null (root);
    g_assert_error (error, PC_JSON_ERROR, PC_JSON_ERROR_NOT_JSON);
    g_assert_cmpstr (error->message, ==, "The body is an empty body, not JSON");
  }
}

static void
test_server_error_message (void)
{
  static const struct { const char *body; const char *message; } cases[] = {
    { "{\"Message\": \"The booking is not pending.\"}", "The booking is not pending." },
    { "{\"message\": \"lower\"}", "lower" },
    { "{\"error\": \"refresh_token_has_expired\"}", "refresh_token_has_expired" },
    { "{\"error\": \"x\", \"error_description\": \"better\"}", "better" },
    { "{\"Message\": 5}", NULL },
    { "<html>oops</html>", NULL },
    { "[]", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) bytes = g_bytes_new_static (cases[i].body, strlen (cases[i].body));
      g_autofree char *message = pc_json_error_message_from_body (bytes);

      g_assert_cmpstr (message, ==, cases[i].message);
    }
}

/* DeleteReceivedBooking's answer */

static void
test_delete_results_fixture (void)
{
  g_autoptr(GBytes) bytes = pc_test_load_data ("delete-bookings-result.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) results = pc_json_delete_results_from_bytes (bytes, &error);
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GBytes) again = NULL;
  g_autoptr(GPtrArray) reread = NULL;
  PcDeleteResult *r;

  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, 3);
  r = g_ptr_array_index (results, 0);
  g_assert_cmpint (r->booking_id, ==, 100);
  g_assert_true (r->deleted);
  g_assert_null (r->message);
  r = g_ptr_array_index (results, 1);
  g_assert_cmpint (r->booking_id, ==, 101);
  g_assert_false (r->deleted);
  g_assert_cmpstr (r->message, ==, "The booking cannot be deleted until it is Rejected, "
                                   "Cancelled or Confirmed.");

  /* What the sandbox writes reads back the same. */
  node = pc_json_delete_results_to_node (results);
  text = pc_json_node_to_string (node, FALSE);
  again = g_bytes_new (text, strlen (text));
  reread = pc_json_delete_results_from_bytes (again, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (reread->len, ==, 3);
  r = g_ptr_array_index (reread, 1);
  g_assert_cmpint (r->booking_id, ==, 101);
  g_assert_false (r->deleted);
  g_assert_nonnull (r->message);
}

static void
test_delete_results_malformed (void)
{
  static const struct
  {
    const char *body;
    PcJsonError code;
    const char *message;
  } cases[] = {
    { "{\"BookingID\": 1, \"Deleted\": true, \"Message\": null}", PC_JSON_ERROR_WRONG_TYPE,
      "expected an array of delete results, got an object" },
    { "[1]", PC_JSON_ERROR_NOT_OBJECT, "[0]: expected an object, got an integer" },
    { "[{\"Deleted\": true, \"Message\": null}]", PC_JSON_ERROR_MISSING_MEMBER,
      "[0].BookingID: missing" },
    { "[{\"BookingID\": \"1\", \"Deleted\": true, \"Message\": null}]",
      PC_JSON_ERROR_WRONG_TYPE, "[0].BookingID: expected an integer, got a string" },
    { "[{\"BookingID\": 0, \"Deleted\": true, \"Message\": null}]", PC_JSON_ERROR_BAD_VALUE,
      "[0].BookingID: 0 is out of range (1 to 9223372036854775807)" },
    { "[{\"BookingID\": 1, \"Deleted\": true, \"Message\": null},"
      " {\"BookingID\": 2, \"Deleted\": \"yes\", \"Message\": null}]",
      PC_JSON_ERROR_WRONG_TYPE, "[1].Deleted: expected a boolean, got a string" },
    { "[{\"BookingID\": 1, \"Deleted\": null, \"Message\": null}]", PC_JSON_ERROR_NULL_MEMBER,
      "[0].Deleted: must not be null" },
    { "[{\"BookingID\": 1, \"Deleted\": false}]", PC_JSON_ERROR_MISSING_MEMBER,
      "[0].Message: missing" },
    { "[{\"BookingID\": 1, \"Deleted\": false, \"Message\": 3}]", PC_JSON_ERROR_WRONG_TYPE,
      "[0].Message: expected a string, got an integer" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) bytes = g_bytes_new_static (cases[i].body, strlen (cases[i].body));
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) results = pc_json_delete_results_from_bytes (bytes, &error);

      g_assert_null (results);
      g_assert_error (error, PC_JSON_ERROR, (gint) cases[i].code);
      g_assert_cmpstr (error->message, ==, cases[i].message);
    }

  /* An empty array is an answer about nothing, not an error. */
  {
    g_autoptr(GBytes) bytes = g_bytes_new_static ("[]", 2);
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) results = pc_json_delete_results_from_bytes (bytes, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (results->len, ==, 0);
  }
}

static void
test_credits_parse (void)
{
  static const struct { const char *text; gboolean ok; gint64 value; } cases[] = {
    { "8", TRUE, 80000 },
    { "8.5", TRUE, 85000 },
    { "8.10", TRUE, 81000 },
    { "12.3456", TRUE, 123456 },
    { "0", TRUE, 0 },
    { "12.34567", FALSE, 0 },
    { "8.", FALSE, 0 },
    { ".5", FALSE, 0 },
    { "-1", FALSE, 0 },
    { "8,5", FALSE, 0 },
    { "1e3", FALSE, 0 },
    { " 8", FALSE, 0 },
    { "", FALSE, 0 },
    { "99999999999999999999", FALSE, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gint64 value = -1;

      g_assert_cmpint (pc_credits_parse (cases[i].text, &value), ==, cases[i].ok);
      if (cases[i].ok)
        g_assert_cmpint (value, ==, cases[i].value);
      else
        g_assert_cmpint (value, ==, -1);
    }
}

int
main (int   argc,
      char *argv[])
{
  static const char * const round_trips[] = {
    "received-booking.json", "received-booking-accepted.json", "reinvite-response.json",
    "reinvite-doc-sample.json", "received-bookings-page.json",
  };
  int ret;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  pc_test_init_logging ();
  london = g_time_zone_new_identifier ("Europe/London");
  g_assert_nonnull (london);

  g_test_add_func ("/json/fixture/received-booking", test_fixture_received_booking);
  g_test_add_func ("/json/fixture/received-booking-accepted", test_fixture_accepted);
  g_test_add_func ("/json/fixture/reinvite-response", test_fixture_reinvite_response);
  g_test_add_func ("/json/fixture/reinvite-doc-sample", test_fixture_doc_sample);
  g_test_add_func ("/json/fixture/received-bookings-page", test_fixture_page);
  g_test_add_func ("/json/fixture/bare-array", test_fixture_bare_array);
  for (guint i = 0; i < G_N_ELEMENTS (fixture_refusals); i++)
    {
      g_autofree char *path = g_strdup_printf ("/json/fixture/refused/%s%s", fixture_refusals[i].file,
                                               fixture_refusals[i].as_page ? "/as-page" : "");
      g_test_add_data_func (path, &fixture_refusals[i], test_fixture_refused);
    }
  for (guint i = 0; i < G_N_ELEMENTS (round_trips); i++)
    {
      g_autofree char *path = g_strdup_printf ("/json/round-trip/%s", round_trips[i]);
      g_test_add_data_func (path, round_trips[i], test_round_trip);
    }
  g_test_add_func ("/json/round-trip/member-order", test_round_trip_member_order);
  for (guint i = 0; i < G_N_ELEMENTS (mutations); i++)
    {
      g_autofree char *path = g_strdup_printf ("/json/booking/%s", mutations[i].name);
      g_test_add_data_func (path, &mutations[i], test_malformed_member);
    }
  for (guint i = 0; i < G_N_ELEMENTS (body_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/json/body/%s", body_cases[i].name);
      g_test_add_data_func (path, &body_cases[i], test_malformed_body);
    }
  g_test_add_func ("/json/page/member-path", test_malformed_page_path);
  g_test_add_func ("/json/page/member-order", test_page_member_order);
  g_test_add_func ("/json/booking/unknown-members-and-values", test_unknown_members_and_values);
  g_test_add_func ("/json/dates/formats", test_dates);
  g_test_add_func ("/json/dates/kept-as-numbers", test_dates_kept);
  g_test_add_func ("/json/booking/shared-text", test_shared_text);
  g_test_add_func ("/json/dates/zone-setting", test_dates_zone_setting);
  g_test_add_func ("/json/dates/agree-with-glib", test_dates_agree_with_glib);
  g_test_add_func ("/json/dates/usec", test_dates_usec);
  g_test_add_func ("/json/credits/fixed-point", test_credits);
  g_test_add_func ("/json/credits/parse", test_credits_parse);
  g_test_add_func ("/json/delete-results/fixture", test_delete_results_fixture);
  g_test_add_func ("/json/delete-results/malformed", test_delete_results_malformed);
  g_test_add_func ("/json/error-body/message", test_server_error_message);
  g_test_add_func ("/json/strict/comment", test_strict_comment);
  g_test_add_func ("/json/strict/second-document", test_strict_second_document);
  g_test_add_func ("/json/strict/single-quotes", test_strict_single_quotes);
  g_test_add_func ("/json/strict/nesting-1025", test_strict_nesting);
  g_test_add_func ("/json/strict/brackets-in-strings", test_strict_brackets_in_strings);
  g_test_add_func ("/json/strict/empty-body", test_strict_empty_body);
  g_test_add_func ("/json/strict/quoted-text", test_strict_quoted_text);

  ret = g_test_run ();
  g_time_zone_unref (london);
  return ret;
}
