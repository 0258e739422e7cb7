/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pc-sandbox"

#include "config.h"

#include "pc-booking.h"
#include "pc-client.h"
#include "pc-clock.h"
#include "pc-json.h"
#include "pc-sandbox-private.h"
#include "pc-utils.h"
#include "pc-values.h"

/* New bookings arriving, as clients make them: one on demand (POST /_sandbox/bookings,
 * pc_sandbox_new_booking()) or one every so many seconds (--new-booking-every), so that
 * the demo and the tests can show a booking arriving. Each is Pending, its session
 * ahead and its accept-by time before the session, with a made-up client. */

static const char * const nickname_starts[] = {
  "shy", "night", "velvet", "quiet", "cheeky", "silver", "late", "sunny", "curious",
  "northern", "smooth", "sleepy",
};

static const char * const nickname_ends[] = {
  "sam", "owl", "voice", "caller", "fox", "lark", "jay", "tom", "dreamer", "listener",
  "lad", "rose",
};

static const char * const comments[] = {
  "Hi, first time booking with you!",
  "Evenings suit me best, hope this works.",
  "Looking forward to a proper chat.",
  "I'll ring from a withheld number, hope that's OK.",
};

static const gint durations[] = { 5, 10, 15, 20, 30, 45, 60 };

#define ACCEPT_CANDIDATE "Accept or reject this booking before the accept-by time."

static gint64
next_booking_id (PcSandbox *self)
{
  gint64 max = 4820000;

  for (guint i = 0; i < self->bookings->len; i++)
    max = MAX (max, pc_booking_get_booking_id (g_ptr_array_index (self->bookings, i)));

  return max + 1;
}

static void
set_date (JsonObject *object,
          const char *member,
          GDateTime  *datetime,
          GTimeZone  *zone)
{
  g_autofree char *text = pc_datetime_format (datetime, zone);

  json_object_set_string_member (object, member, text);
}

/* A booking as a client would just have made it, as the API would send it. */
static JsonObject *
new_booking_object (PcSandbox *self,
                    gint64     booking_id)
{
  JsonObject *object = json_object_new ();
  JsonObject *client = json_object_new ();
  g_autoptr(GDateTime) now = pc_clock_get_now (self->clock);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (now, self->zone);
  g_autoptr(GDateTime) created = NULL;
  g_autoptr(GDateTime) quarter = NULL;
  g_autoptr(GDateTime) session = NULL;
  g_autoptr(GDateTime) accept_by = NULL;
  g_autofree char *nickname = NULL;
  gint duration = durations[g_random_int_range (0, G_N_ELEMENTS (durations))];
  gint method = g_random_int_range (1, 4);
  gint positive = g_random_int_range (0, 30);
  gint neutral = g_random_int_range (0, 3);
  gint negative = g_random_int_range (0, 2);

  nickname = g_strdup_printf ("%s_%s",
                              nickname_starts[g_random_int_range (0, G_N_ELEMENTS (nickname_starts))],
                              nickname_ends[g_random_int_range (0, G_N_ELEMENTS (nickname_ends))]);

  /* Recorded to the second, as the API's dates are; sessions start on a quarter hour,
   * one to twenty-four hours ahead, and must be accepted half an hour before. */
  created = g_date_time_new (self->zone, g_date_time_get_year (local),
                             g_date_time_get_month (local),
                             g_date_time_get_day_of_month (local),
                             g_date_time_get_hour (local), g_date_time_get_minute (local),
                             g_date_time_get_second (local));
  quarter = g_date_time_new (self->zone, g_date_time_get_year (local),
                             g_date_time_get_month (local),
                             g_date_time_get_day_of_month (local),
                             g_date_time_get_hour (local),
                             g_date_time_get_minute (local) / 15 * 15, 0);
  session = g_date_time_add_minutes (quarter, 15 * g_random_int_range (5, 97));
  accept_by = g_date_time_add_minutes (session, -30);

  json_object_set_int_member (object, "BookingID", booking_id);
  json_object_set_int_member (object, "Duration", duration);
  json_object_set_int_member (object, "Credits", duration * 2);
  json_object_set_string_member (object, "Status", "Pending");
  json_object_set_int_member (object, "Method", method);
  json_object_set_null_member (object, "PhoneNumber");
  json_object_set_null_member (object, "SkypeName");
  set_date (object, "CreateDate", created, self->zone);
  set_date (object, "SessionDate", session, self->zone);
  set_date (object, "AcceptBy", accept_by, self->zone);
  json_object_set_null_member (object, "AcceptedDate");
  json_object_set_null_member (object, "ConfirmedDate");
  json_object_set_null_member (object, "CancelledDate");
  json_object_set_null_member (object, "CancelledReason");
  json_object_set_null_member (object, "CancelledBy");
  json_object_set_null_member (object, "RejectedReason");
  set_date (object, "LastUpdated", created, self->zone);
  if (g_random_boolean ())
    json_object_set_string_member (object, "Comments",
                                   comments[g_random_int_range (0, G_N_ELEMENTS (comments))]);
  else
    json_object_set_null_member (object, "Comments");
  json_object_set_string_member (object, "ActionCandidate", ACCEPT_CANDIDATE);

  json_object_set_int_member (client, "UserID", g_random_int_range (2000000, 4000000));
  json_object_set_string_member (client, "Nickname", nickname);
  json_object_set_null_member (client, "PhoneNumber");
  json_object_set_null_member (client, "SkypeName");
  if (method == 1)
    {
      g_autofree char *number = g_strdup_printf ("07700900%03d", g_random_int_range (0, 1000));

      json_object_set_string_member (object, "PhoneNumber", number);
      json_object_set_string_member (client, "PhoneNumber", number);
    }
  else if (method == 3)
    {
      g_autofree char *skype = g_strdup_printf ("live:%s", nickname);

      json_object_set_string_member (object, "SkypeName", skype);
      json_object_set_string_member (client, "SkypeName", skype);
    }
  json_object_set_int_member (client, "Total", positive + neutral + negative);
  json_object_set_int_member (client, "Positive", positive);
  json_object_set_int_member (client, "Neutral", neutral);
  json_object_set_int_member (client, "Negative", negative);
  json_object_set_int_member (client, "Ratings", positive + neutral + negative);
  json_object_set_int_member (client, "Disputes", 0);
  json_object_set_object_member (object, "Client", client);

  return object;
}

static void
copy_members (JsonObject *to,
              JsonObject *from)
{
  g_autoptr(GList) members = json_object_get_members (from);

  for (GList *l = members; l != NULL; l = l->next)
    json_object_set_member (to, l->data, json_node_copy (json_object_get_member (from, l->data)));
}

/**
 * pc_sandbox_new_booking:
 * @fields: (nullable): members to set, with the API's names (a `Client` object sets the
 *   client's members it has); the others are made up
 * @error: why @fields do not make a booking
 *
 * A client makes a booking: a new Pending booking with its session ahead, listed at
 * once by ReceivedBookings.
 *
 * Returns: (transfer none): the booking as the sandbox holds it, or %NULL with @error
 */
PcBooking *
pc_sandbox_new_booking (PcSandbox   *self,
                        JsonObject  *fields,
                        GError     **error)
{
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(PcBooking) booking = NULL;

  g_return_val_if_fail (PC_IS_SANDBOX (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  object = new_booking_object (self, next_booking_id (self));

  if (fields != NULL)
    {
      g_autoptr(GList) members = json_object_get_members (fields);

      for (GList *l = members; l != NULL; l = l->next)
        {
          JsonNode *value = json_object_get_member (fields, l->data);

          if (g_str_equal (l->data, "Client") && JSON_NODE_HOLDS_OBJECT (value))
            copy_members (json_object_get_object_member (object, "Client"),
                          json_node_get_object (value));
          else
            json_object_set_member (object, l->data, json_node_copy (value));
        }
    }

  node = json_node_init_object (json_node_alloc (), object);
  /* Read back with the strict parser: the sandbox can only hold what the API could send. */
  booking = pc_json_booking_from_node (node, self->zone, NULL, error);
  if (booking == NULL)
    return NULL;

  if (pc_sandbox_lookup (self, pc_booking_get_booking_id (booking)) != NULL)
    {
      g_autofree char *id = pc_booking_id_to_string (pc_booking_get_booking_id (booking));

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                   "There is a booking %s already.", id);
      return NULL;
    }

  pc_sandbox_add_booking (self, booking);
  g_debug ("New booking %" G_GINT64_FORMAT " from %s", pc_booking_get_booking_id (booking),
           pc_client_get_nickname (pc_booking_get_client (booking)));

  return booking;
}

static gboolean
arrival_cb (gpointer user_data)
{
  PcSandbox *self = user_data;
  g_autoptr(GError) error = NULL;

  if (pc_sandbox_new_booking (self, NULL, &error) == NULL)
    g_warning ("Could not make a new booking: %s", error->message);

  return G_SOURCE_CONTINUE;
}

/**
 * pc_sandbox_set_new_booking_interval:
 * @seconds: make a new booking every @seconds; 0 stops
 */
void
pc_sandbox_set_new_booking_interval (PcSandbox *self,
                                     guint      seconds)
{
  g_return_if_fail (PC_IS_SANDBOX (self));

  g_clear_handle_id (&self->arrival_source_id, g_source_remove);
  if (seconds == 0)
    return;

  self->arrival_source_id = g_timeout_add_seconds (seconds, arrival_cb, self);
  g_source_set_name_by_id (self->arrival_source_id, "[pc-sandbox] new booking");
}

/* POST /_sandbox/bookings: a new booking, with the members of the body's object (if it
 * has one) set. Answers 201 with the booking. */
void
_pc_sandbox_handle_new_booking (PcSandbox         *self,
                                SoupServerMessage *msg,
                                PcSandboxResponse *response)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  PcBooking *booking;

  if (body != NULL && body->length > 0)
    {
      root = _pc_sandbox_parse_body_object (msg);
      if (root == NULL)
        {
          _pc_sandbox_response_set_error (response, SOUP_STATUS_BAD_REQUEST,
                                          "The body must be empty or a JSON object of members "
                                          "to set, such as {\"Duration\": 10, \"Client\": "
                                          "{\"Nickname\": \"shy_sam\"}}.");
          return;
        }
    }

  booking = pc_sandbox_new_booking (self, root != NULL ? json_node_get_object (root) : NULL,
                                    &error);
  if (booking == NULL)
    {
      _pc_sandbox_response_set_error (response,
                                      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS)
                                        ? SOUP_STATUS_CONFLICT : SOUP_STATUS_BAD_REQUEST,
                                      "%s", error->message);
      return;
    }

  _pc_sandbox_response_take (response, SOUP_STATUS_CREATED,
                             pc_json_booking_to_node (booking, self->zone));
}
