/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pc-sandbox"

#include "config.h"

#include "pc-booking.h"
#include "pc-json.h"
#include "pc-sandbox-private.h"
#include "pc-values.h"

/* The built-in demo bookings: a dozen bookings in every state, with dates relative to
 * the clock's now, built as the API would send them. */

/* Minutes relative to the quarter hour before now, in the API's zone. */
#define NONE G_MININT
#define HOUR 60
#define DAY (24 * 60)

typedef struct
{
  gint64      booking_id;
  const char *status;
  gint        method;
  gint        duration;
  gint        credits_cents;
  gint        create_date;
  gint        session_date;
  gint        accept_by;
  gint        accepted_date;
  gint        confirmed_date;
  gint        cancelled_date;
  gint        last_updated;
  const char *cancelled_reason;
  const char *cancelled_by;
  const char *rejected_reason;
  const char *comments;
  const char *action_candidate;
  /* The client; their number or Skype name is the booking's too when @method uses it. */
  gint64      user_id;
  const char *nickname;
  const char *phone_number;
  const char *skype_name;
  gint        positive;
  gint        neutral;
  gint        negative;
  gint        disputes;
} DemoBooking;

#define CAN_REINVITE "The session time has passed. You can re-invite the client."

static const DemoBooking demo_bookings[] = {
  /* Pending, session passed: can be re-invited. */
  { 4817263, "Pending", 1, 10, 1500,
    -DAY - 3 * HOUR, -2 * HOUR, -3 * HOUR - 30, NONE, NONE, NONE, -DAY - 3 * HOUR,
    NULL, NULL, NULL, "Hi, hope that time suits you - first call with you!", CAN_REINVITE,
    2938471, "NightOwl_77", "07700900123", NULL, 11, 1, 0, 0 },
  { 4817301, "Pending", 3, 30, 4000,
    -2 * DAY - 95, -DAY - 2 * HOUR, -DAY - 3 * HOUR, NONE, NONE, NONE, -2 * DAY - 95,
    NULL, NULL, NULL, "Sorry for the short notice - evenings work best for me.", CAN_REINVITE,
    3011842, "late_lark", NULL, "live:late.lark", 3, 0, 0, 0 },
  { 4817188, "Pending", 2, 15, 2050,
    -4 * DAY - 40, -3 * DAY, -3 * DAY - 2 * HOUR, NONE, NONE, NONE, -4 * DAY - 40,
    NULL, NULL, NULL, "I'll ring you from a withheld number, hope that's OK.", CAN_REINVITE,
    2755310, "Brummie_Bob", NULL, NULL, 24, 2, 1, 1 },
  { 4816020, "Pending", 1, 5, 600,
    -5 * HOUR - 10, -45, -HOUR, NONE, NONE, NONE, -5 * HOUR - 10,
    NULL, NULL, NULL, NULL, CAN_REINVITE,
    3120077, "shy_sam", "07700900456", NULL, 0, 0, 0, 0 },
  /* Pending, session still ahead: can be accepted, not re-invited yet. */
  { 4817422, "Pending", 1, 20, 3000,
    -90, 3 * HOUR, 2 * HOUR, NONE, NONE, NONE, -90,
    NULL, NULL, NULL, "First time booking - be gentle!",
    "Accept or reject this booking before the accept-by time.",
    2899104, "velvet_voice", "07700900789", NULL, 7, 0, 0, 0 },
  { 4815502, "Accepted", 3, 20, 2850,
    -2 * DAY, DAY + 4 * HOUR, DAY, -5 * HOUR, NONE, NONE, -5 * HOUR,
    NULL, NULL, NULL, "Skype please, video off.", "Waiting for the client to confirm.",
    2650993, "quiet_caller", NULL, "live:quiet.caller", 5, 1, 0, 0 },
  { 4814977, "Confirmed", 1, 60, 7500,
    -3 * DAY, 2 * DAY + 2 * HOUR, DAY, -2 * DAY, -DAY - 4 * HOUR, NONE, -DAY - 4 * HOUR,
    NULL, NULL, NULL, "Looking forward to a proper chat.",
    "Call the client at the session time.",
    2401556, "SilverFox_UK", "07700900321", NULL, 40, 2, 0, 0 },
  { 4813350, "Confirmed", 2, 30, 3600,
    -6 * DAY, -4 * DAY, -4 * DAY - 3 * HOUR, -5 * DAY, -5 * DAY + 2 * HOUR, NONE,
    -5 * DAY + 2 * HOUR,
    NULL, NULL, NULL, NULL, NULL,
    2587430, "Geordie_Jay", NULL, NULL, 15, 0, 1, 0 },
  { 4812006, "Cancelled", 1, 15, 1800,
    -7 * DAY, -5 * DAY, -5 * DAY - 4 * HOUR, -7 * DAY + HOUR, NONE, -5 * DAY - 2 * HOUR,
    -5 * DAY - 2 * HOUR,
    "Something came up at work, sorry.", "TeaAndBiscuits", NULL,
    "Quick chat on my lunch break?", NULL,
    2970215, "TeaAndBiscuits", "07700900654", NULL, 9, 0, 0, 0 },
  { 4811873, "Cancelled", 2, 20, 2475,
    -9 * DAY, -8 * DAY + 3 * HOUR, -8 * DAY, -9 * DAY + 2 * HOUR, NONE, -8 * DAY - 5 * HOUR,
    -8 * DAY - 5 * HOUR,
    "Double-booked myself, apologies.", "cheeky_chappie", NULL, NULL, NULL,
    3050719, "cheeky_chappie", NULL, NULL, 2, 1, 1, 0 },
  { 4810540, "Rejected", 1, 10, 1200,
    -7 * DAY, -6 * DAY, -6 * DAY - 2 * HOUR, NONE, NONE, NONE, -6 * DAY + 30,
    NULL, NULL, PC_SANDBOX_DEFAULT_REJECTED_REASON, "Any chance of a late one?", NULL,
    2311978, "mancunian_mike", "07700900987", NULL, 6, 0, 2, 0 },
  { 4809912, "Rejected", 3, 45, 5500,
    -10 * DAY, -8 * DAY, -8 * DAY - 6 * HOUR, NONE, NONE, NONE, -9 * DAY,
    NULL, NULL, "Fully booked that evening, sorry!", NULL, NULL,
    2204630, "LondonLad_88", NULL, "live:londonlad88", 18, 1, 0, 0 },
};

#undef NONE
#undef HOUR
#undef DAY

static void
set_date_member (JsonObject *object,
                 const char *member,
                 GDateTime  *base,
                 gint        minutes,
                 gint        seconds,
                 GTimeZone  *zone)
{
  g_autoptr(GDateTime) dt = NULL;
  g_autofree char *text = NULL;

  if (minutes == G_MININT)
    {
      json_object_set_null_member (object, member);
      return;
    }

  dt = g_date_time_add_seconds (base, minutes * 60.0 + seconds);
  text = pc_datetime_format (dt, zone);
  json_object_set_string_member (object, member, text);
}

/* Builds the booking as the API would send it, then reads it back with the strict
 * parser: the demo data can only hold what a real response could. */
static JsonNode *
demo_booking_to_node (const DemoBooking *demo,
                      GDateTime         *base,
                      GTimeZone         *zone)
{
  JsonObject *object = json_object_new ();
  JsonObject *client = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  /* Recorded times carry seconds, as the API's do; LastUpdated repeats the latest. */
  gint create_seconds = (gint) (demo->booking_id % 53);
  gint updated_seconds = 0;

  if (demo->last_updated == demo->create_date)
    updated_seconds = create_seconds;
  else if (demo->last_updated == demo->accepted_date)
    updated_seconds = 17;
  else if (demo->last_updated == demo->confirmed_date)
    updated_seconds = 42;
  else if (demo->last_updated == demo->cancelled_date)
    updated_seconds = 9;

  json_object_set_int_member (object, "BookingID", demo->booking_id);
  json_object_set_int_member (object, "Duration", demo->duration);
  if (demo->credits_cents % 100 == 0)
    json_object_set_int_member (object, "Credits", demo->credits_cents / 100);
  else
    json_object_set_double_member (object, "Credits", demo->credits_cents / 100.0);
  json_object_set_string_member (object, "Status", demo->status);
  json_object_set_int_member (object, "Method", demo->method);
  _pc_sandbox_set_nullable_string (object, "PhoneNumber",
                                   demo->method == 1 ? demo->phone_number : NULL);
  _pc_sandbox_set_nullable_string (object, "SkypeName",
                                   demo->method == 3 ? demo->skype_name : NULL);
  set_date_member (object, "CreateDate", base, demo->create_date, create_seconds, zone);
  set_date_member (object, "SessionDate", base, demo->session_date, 0, zone);
  set_date_member (object, "AcceptBy", base, demo->accept_by, 0, zone);
  set_date_member (object, "AcceptedDate", base, demo->accepted_date, 17, zone);
  set_date_member (object, "ConfirmedDate", base, demo->confirmed_date, 42, zone);
  set_date_member (object, "CancelledDate", base, demo->cancelled_date, 9, zone);
  _pc_sandbox_set_nullable_string (object, "CancelledReason", demo->cancelled_reason);
  _pc_sandbox_set_nullable_string (object, "CancelledBy", demo->cancelled_by);
  _pc_sandbox_set_nullable_string (object, "RejectedReason", demo->rejected_reason);
  set_date_member (object, "LastUpdated", base, demo->last_updated, updated_seconds, zone);
  _pc_sandbox_set_nullable_string (object, "Comments", demo->comments);
  _pc_sandbox_set_nullable_string (object, "ActionCandidate", demo->action_candidate);

  json_object_set_int_member (client, "UserID", demo->user_id);
  json_object_set_string_member (client, "Nickname", demo->nickname);
  _pc_sandbox_set_nullable_string (client, "PhoneNumber", demo->phone_number);
  _pc_sandbox_set_nullable_string (client, "SkypeName", demo->skype_name);
  json_object_set_int_member (client, "Total", demo->positive + demo->neutral + demo->negative);
  json_object_set_int_member (client, "Positive", demo->positive);
  json_object_set_int_member (client, "Neutral", demo->neutral);
  json_object_set_int_member (client, "Negative", demo->negative);
  json_object_set_int_member (client, "Ratings", demo->positive + demo->neutral + demo->negative);
  json_object_set_int_member (client, "Disputes", demo->disputes);
  json_object_set_object_member (object, "Client", client);

  json_node_take_object (node, object);
  return node;
}

/* Sessions start on the quarter hour before @now in @zone, as people book them; every
 * other date follows from that. */
static GDateTime *
new_base (GDateTime *now,
          GTimeZone *zone)
{
  g_autoptr(GDateTime) local = g_date_time_to_timezone (now, zone);

  return g_date_time_new (zone,
                          g_date_time_get_year (local), g_date_time_get_month (local),
                          g_date_time_get_day_of_month (local), g_date_time_get_hour (local),
                          g_date_time_get_minute (local) / 15 * 15, 0);
}

static void
add_booking (GPtrArray         *bookings,
             const DemoBooking *demo,
             GDateTime         *base,
             GTimeZone         *zone)
{
  g_autoptr(JsonNode) node = demo_booking_to_node (demo, base, zone);
  g_autoptr(GError) error = NULL;
  PcBooking *booking;

  booking = pc_json_booking_from_node (node, zone, NULL, &error);
  if (booking == NULL)
    {
      g_critical ("Demo booking %" G_GINT64_FORMAT " is invalid: %s",
                  demo->booking_id, error->message);
      return;
    }

  g_ptr_array_add (bookings, booking);
}

/* The demo bookings (PcBooking), in table order, with dates relative to @now. */
GPtrArray *
_pc_sandbox_demo_new_bookings (GDateTime *now,
                               GTimeZone *zone)
{
  g_autoptr(GDateTime) base = new_base (now, zone);
  GPtrArray *bookings = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < G_N_ELEMENTS (demo_bookings); i++)
    add_booking (bookings, &demo_bookings[i], base, zone);

  return bookings;
}

/* @n_bookings Pending bookings whose sessions have passed (all can be re-invited), with
 * ids from %PC_SANDBOX_REINVITABLE_FIRST_ID on and nicknames "caller_1", "caller_2", …:
 * the first demo booking again and again, each a quarter hour earlier than the one
 * before (by up to a day, then again), for load tests. */
GPtrArray *
_pc_sandbox_reinvitable_new_bookings (GDateTime *now,
                                      GTimeZone *zone,
                                      guint      n_bookings)
{
  g_autoptr(GDateTime) base = new_base (now, zone);
  GPtrArray *bookings = g_ptr_array_new_full (n_bookings, g_object_unref);
  const DemoBooking *model = &demo_bookings[0];

  for (guint i = 0; i < n_bookings; i++)
    {
      g_autofree char *nickname = g_strdup_printf ("caller_%u", i + 1);
      g_autoptr(GDateTime) earlier = g_date_time_add_minutes (base, -15 * (gint) (i % 96));
      DemoBooking demo = *model;

      demo.booking_id = PC_SANDBOX_REINVITABLE_FIRST_ID + i;
      demo.user_id = model->user_id + 1000000 + i;
      demo.nickname = nickname;
      add_booking (bookings, &demo, earlier, zone);
    }

  return bookings;
}

/* @n_bookings bookings for load tests of long lists: the demo bookings again and again,
 * each moved by a number of quarter hours within half a year of @now either way (the
 * same for all its dates, so each stays consistent), with ids from
 * %PC_SANDBOX_GENERATED_FIRST_ID on and nicknames "caller_XXXXXXXX" (eight hex digits).
 * The same @n_bookings and @now always give the same bookings. */
GPtrArray *
_pc_sandbox_generated_new_bookings (GDateTime *now,
                                    GTimeZone *zone,
                                    guint      n_bookings)
{
  g_autoptr(GDateTime) base = new_base (now, zone);
  g_autoptr(GRand) rand = g_rand_new_with_seed (n_bookings);
  GPtrArray *bookings = g_ptr_array_new_full (n_bookings, g_object_unref);

  for (guint i = 0; i < n_bookings; i++)
    {
      const DemoBooking *model = &demo_bookings[i % G_N_ELEMENTS (demo_bookings)];
      g_autofree char *nickname = g_strdup_printf ("caller_%08x", g_rand_int (rand));
      g_autoptr(GDateTime) moved = NULL;
      DemoBooking demo = *model;

      moved = g_date_time_add_minutes (base, 15 * g_rand_int_range (rand, -180 * 96, 180 * 96));
      demo.booking_id = PC_SANDBOX_GENERATED_FIRST_ID + i;
      demo.user_id = model->user_id + 1000000 + i;
      demo.nickname = nickname;
      add_booking (bookings, &demo, moved, zone);
    }

  return bookings;
}
