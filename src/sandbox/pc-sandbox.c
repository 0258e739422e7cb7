/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pc-sandbox"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <libsoup/soup.h>

#include "pc-booking.h"
#include "pc-client.h"
#include "pc-clock.h"
#include "pc-json.h"
#include "pc-sandbox.h"
#include "pc-utils.h"
#include "pc-values.h"

/**
 * PcSandbox:
 *
 * A loopback stand-in for the PhoneChat API. It answers the four endpoints the app uses
 * with the rules the reference documents (bearer token required, ReInvite only for a
 * Pending booking whose SessionDate is not in the future, errors as `{"Message": "…"}`),
 * keeps a log of what it was asked, and can misbehave on purpose (latency, an injected
 * status, truncated bodies, dropped connections).
 *
 * It speaks the server's language: its messages are English and not translated, as a
 * real server's would be.
 *
 * Routing follows what the reference infers about the real API: paths and query
 * parameter names compare case-insensitively.
 *
 * `/_sandbox/` endpoints control the sandbox from other processes; they need no token,
 * are never faulted and are not logged.
 */

#define JSON_CONTENT_TYPE "application/json; charset=utf-8"
#define DEFAULT_REJECTED_REASON "The performer was not available at the requested time."
#define DEFAULT_BOOKINGS_PER_PAGE 50
#define MAX_BOOKINGS_PER_PAGE 100
#define SANDBOX_USER_ID 3402918

/* Reference-counted (GRcBox): a request waiting on a fault keeps its entry even when the
 * log is cleared meanwhile. */
typedef struct
{
  char     *method;
  char     *path;
  gint64    booking_id; /* 0: the request named none */
  guint     status;     /* 0: not answered (yet, or never: dropped) */
  char     *fault;      /* NULL, or the faults that applied: "latency+drop", … */
} RequestEntry;

typedef struct
{
  guint    latency_ms;
  guint    status;
  gboolean truncate;
  gboolean drop;
} FaultPlan;

typedef struct
{
  PcSandbox         *self;
  SoupServerMessage *msg;
  RequestEntry      *entry;
  FaultPlan          plan;
  guint              source_id;
} PendingRequest;

typedef struct
{
  guint     status;
  JsonNode *body;
  char     *allow;
} Response;

struct _PcSandbox
{
  GObject     parent_instance;

  PcClock    *clock;
  GTimeZone  *zone;
  char       *token;

  SoupServer *server;
  char       *url;
  guint       port;

  GPtrArray  *bookings; /* PcBooking, in load order */
  GHashTable *by_id;    /* gint64 * → PcBooking (borrowed from @bookings) */

  GPtrArray  *log;      /* RequestEntry */
  GHashTable *pending;  /* PendingRequest set */

  /* Faults */
  guint       latency_ms;
  GHashTable *path_status; /* lower-case path → status */
  gboolean    truncate;
  gboolean    drop;
  guint       fault_limit;
};

G_DEFINE_FINAL_TYPE (PcSandbox, pc_sandbox, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CLOCK,
  PROP_TOKEN,
  PROP_URL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Demo data ---------------------------------------------------------------------------- */

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
    NULL, NULL, DEFAULT_REJECTED_REASON, "Any chance of a late one?", NULL,
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

static void
set_nullable_string (JsonObject *object,
                     const char *member,
                     const char *value)
{
  if (value != NULL)
    json_object_set_string_member (object, member, value);
  else
    json_object_set_null_member (object, member);
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
  set_nullable_string (object, "PhoneNumber", demo->method == 1 ? demo->phone_number : NULL);
  set_nullable_string (object, "SkypeName", demo->method == 3 ? demo->skype_name : NULL);
  set_date_member (object, "CreateDate", base, demo->create_date, create_seconds, zone);
  set_date_member (object, "SessionDate", base, demo->session_date, 0, zone);
  set_date_member (object, "AcceptBy", base, demo->accept_by, 0, zone);
  set_date_member (object, "AcceptedDate", base, demo->accepted_date, 17, zone);
  set_date_member (object, "ConfirmedDate", base, demo->confirmed_date, 42, zone);
  set_date_member (object, "CancelledDate", base, demo->cancelled_date, 9, zone);
  set_nullable_string (object, "CancelledReason", demo->cancelled_reason);
  set_nullable_string (object, "CancelledBy", demo->cancelled_by);
  set_nullable_string (object, "RejectedReason", demo->rejected_reason);
  set_date_member (object, "LastUpdated", base, demo->last_updated, updated_seconds, zone);
  set_nullable_string (object, "Comments", demo->comments);
  set_nullable_string (object, "ActionCandidate", demo->action_candidate);

  json_object_set_int_member (client, "UserID", demo->user_id);
  json_object_set_string_member (client, "Nickname", demo->nickname);
  set_nullable_string (client, "PhoneNumber", demo->phone_number);
  set_nullable_string (client, "SkypeName", demo->skype_name);
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

/* Request log ------------------------------------------------------------------------- */

static void
request_entry_clear (gpointer data)
{
  RequestEntry *entry = data;

  g_free (entry->method);
  g_free (entry->path);
  g_free (entry->fault);
}

static void
request_entry_release (gpointer data)
{
  g_rc_box_release_full (data, request_entry_clear);
}

static JsonNode *
request_entry_to_node (RequestEntry *entry)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (object, "method", entry->method);
  json_object_set_string_member (object, "path", entry->path);
  if (entry->booking_id > 0)
    json_object_set_int_member (object, "BookingID", entry->booking_id);
  else
    json_object_set_null_member (object, "BookingID");
  json_object_set_int_member (object, "status", entry->status);
  set_nullable_string (object, "fault", entry->fault);

  json_node_take_object (node, object);
  return node;
}

static gboolean
entry_matches (RequestEntry *entry,
               const char   *method,
               const char   *path)
{
  return (method == NULL || g_ascii_strcasecmp (entry->method, method) == 0) &&
         (path == NULL || g_ascii_strcasecmp (entry->path, path) == 0);
}

/* Responses --------------------------------------------------------------------------- */

static void
response_clear (Response *response)
{
  g_clear_pointer (&response->body, json_node_unref);
  g_clear_pointer (&response->allow, g_free);
}

static void
response_take (Response *response,
               guint     status,
               JsonNode *body)
{
  response_clear (response);
  response->status = status;
  response->body = body;
}

static JsonNode *
message_node (const char *message)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (object, "Message", message);
  json_node_take_object (node, object);
  return node;
}

static void response_set_error (Response   *response,
                                guint       status,
                                const char *format,
                                ...) G_GNUC_PRINTF (3, 4);

static void
response_set_error (Response   *response,
                    guint       status,
                    const char *format,
                    ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  response_take (response, status, message_node (message));
}

static GBytes *
response_to_bytes (Response *response)
{
  char *text;

  if (response->body == NULL)
    return g_bytes_new_static ("", 0);

  text = pc_json_node_to_string (response->body, FALSE);
  return g_bytes_new_take (text, strlen (text));
}

static void
apply_response (SoupServerMessage *msg,
                Response          *response)
{
  g_autoptr(GBytes) body = response_to_bytes (response);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_server_message_set_status (msg, response->status, NULL);
  if (response->allow != NULL)
    soup_message_headers_replace (headers, "Allow", response->allow);
  soup_message_headers_replace (headers, "Cache-Control", "no-cache");
  soup_server_message_set_response (msg, JSON_CONTENT_TYPE, SOUP_MEMORY_COPY,
                                    g_bytes_get_data (body, NULL), g_bytes_get_size (body));
}

/* Stolen connections: truncated answers and dropped requests ----------------------------- */

static void
stolen_stream_closed_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!g_io_stream_close_finish (G_IO_STREAM (source), result, &error))
    g_debug ("Closing a stolen connection failed: %s", error->message);
}

static void
stolen_stream_written_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GIOStream) stream = user_data;
  g_autoptr(GError) error = NULL;

  /* The peer may have gone already; either way the connection closes now. */
  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    g_debug ("Writing a truncated answer failed: %s", error->message);

  g_io_stream_close_async (stream, G_PRIORITY_DEFAULT, NULL, stolen_stream_closed_cb, NULL);
}

/* Sends the status line and headers with the full Content-Length, then half the body,
 * then closes: the client sees the connection end in the middle of the body. */
static void
send_truncated (SoupServerMessage *msg,
                Response          *response)
{
  g_autoptr(GBytes) body = response_to_bytes (response);
  g_autoptr(GIOStream) stream = NULL;
  GString *raw;
  gsize size = g_bytes_get_size (body);
  gsize half = size / 2;
  GBytes *raw_bytes;

  stream = soup_server_message_steal_connection (msg);
  if (stream == NULL)
    return;

  raw = g_string_new (NULL);
  g_string_append_printf (raw, "HTTP/1.1 %u %s\r\n", response->status,
                          soup_status_get_phrase (response->status));
  g_string_append (raw, "Content-Type: " JSON_CONTENT_TYPE "\r\n");
  g_string_append_printf (raw, "Content-Length: %" G_GSIZE_FORMAT "\r\n", size);
  g_string_append (raw, "Connection: close\r\n\r\n");
  g_string_append_len (raw, g_bytes_get_data (body, NULL), (gssize) half);

  raw_bytes = g_string_free_to_bytes (raw);
  /* The bytes must outlive the write: keep them on the stream. */
  g_object_set_data_full (G_OBJECT (stream), "pc-sandbox-raw", raw_bytes,
                          (GDestroyNotify) g_bytes_unref);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (stream),
                                   g_bytes_get_data (raw_bytes, NULL),
                                   g_bytes_get_size (raw_bytes),
                                   G_PRIORITY_DEFAULT, NULL,
                                   stolen_stream_written_cb, g_object_ref (stream));
}

static void
drop_connection (SoupServerMessage *msg)
{
  g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);

  if (stream != NULL)
    g_io_stream_close_async (stream, G_PRIORITY_DEFAULT, NULL, stolen_stream_closed_cb, NULL);
}

/* Request parsing --------------------------------------------------------------------- */

/* Query parameters with lower-case names: the API treats them case-insensitively. */
static GHashTable *
parse_query (SoupServerMessage *msg)
{
  GUri *uri = soup_server_message_get_uri (msg);
  const char *query = g_uri_get_query (uri);
  g_autoptr(GHashTable) raw = NULL;
  GHashTable *params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GHashTableIter iter;
  gpointer key, value;

  if (query == NULL)
    return params;

  raw = soup_form_decode (query);
  g_hash_table_iter_init (&iter, raw);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_replace (params, g_ascii_strdown (key, -1), g_strdup (value));

  return params;
}

static JsonNode *
parse_body_object (SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(JsonParser) parser = NULL;

  if (body == NULL || body->length == 0)
    return NULL;

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, body->data, (gssize) body->length, NULL))
    return NULL;

  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;

  return json_parser_steal_root (parser);
}

static JsonNode *
get_member_nocase (JsonObject *object,
                   const char *name)
{
  g_autoptr(GList) members = json_object_get_members (object);
  JsonNode *node = json_object_get_member (object, name);

  if (node != NULL)
    return node;

  for (GList *l = members; l != NULL; l = l->next)
    if (g_ascii_strcasecmp (l->data, name) == 0)
      return json_object_get_member (object, l->data);

  return NULL;
}

static gboolean
node_is_integer (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64;
}

/* The booking a request is about, for the log: from the query or the JSON body. */
static gint64
request_booking_id (SoupServerMessage *msg)
{
  g_autoptr(GHashTable) params = parse_query (msg);
  const char *text = g_hash_table_lookup (params, "bookingid");
  g_autoptr(JsonNode) root = NULL;
  gint64 id = 0;

  if (text != NULL && g_ascii_string_to_signed (text, 10, 1, G_MAXINT64, &id, NULL))
    return id;

  if (soup_server_message_get_method (msg) != SOUP_METHOD_POST)
    return 0;

  root = parse_body_object (msg);
  if (root != NULL)
    {
      JsonNode *node = get_member_nocase (json_node_get_object (root), "BookingID");

      if (node != NULL && node_is_integer (node) && json_node_get_int (node) > 0)
        return json_node_get_int (node);
    }

  return 0;
}

static gboolean
is_authorized (PcSandbox         *self,
               SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *value = soup_message_headers_get_one (headers, "Authorization");
  g_autofree char *token = NULL;

  if (value == NULL)
    return FALSE;

  while (g_ascii_isspace (*value))
    value++;
  if (g_ascii_strncasecmp (value, "bearer", 6) != 0 || !g_ascii_isspace (value[6]))
    return FALSE;

  token = g_strstrip (g_strdup (value + 6));
  return *token != '\0' && g_strcmp0 (token, self->token) == 0;
}

/* Endpoints --------------------------------------------------------------------------- */

static void
handle_verify_credentials (PcSandbox         *self,
                           SoupServerMessage *msg,
                           Response          *response)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_int_member (object, "UserID", SANDBOX_USER_ID);
  json_object_set_string_member (object, "EmailAddress", "performer@example.com");
  json_object_set_boolean_member (object, "IsAgeVerified", TRUE);
  json_object_set_null_member (object, "GroupID");
  json_object_set_null_member (object, "GroupName");
  json_node_take_object (node, object);

  response_take (response, SOUP_STATUS_OK, node);
}

typedef enum
{
  ORDER_DATE,
  ORDER_SESSION_DATE,
  ORDER_NICKNAME,
} OrderKey;

typedef struct
{
  OrderKey key;
  gboolean descending;
} Order;

static const struct
{
  const char *name;
  Order       order;
} orders[] = {
  { "sessiondate-desc", { ORDER_SESSION_DATE, TRUE } },
  { "sessiondate-asc", { ORDER_SESSION_DATE, FALSE } },
  { "date-desc", { ORDER_DATE, TRUE } },
  { "date-asc", { ORDER_DATE, FALSE } },
  { "nickname-asc", { ORDER_NICKNAME, FALSE } },
  { "nickname-desc", { ORDER_NICKNAME, TRUE } },
};

static int
compare_dates (GDateTime *a,
               GDateTime *b)
{
  if (a == NULL || b == NULL)
    return (a != NULL) - (b != NULL);

  return g_date_time_compare (a, b);
}

static char *
nickname_key (PcBooking *booking)
{
  const char *nickname = pc_client_get_nickname (pc_booking_get_client (booking));

  return g_utf8_casefold (nickname != NULL ? nickname : "", -1);
}

static int
compare_bookings (gconstpointer a,
                  gconstpointer b,
                  gpointer      user_data)
{
  PcBooking *ba = *(PcBooking * const *) a;
  PcBooking *bb = *(PcBooking * const *) b;
  const Order *order = user_data;
  int result = 0;

  switch (order->key)
    {
    case ORDER_DATE:
      result = compare_dates (pc_booking_get_create_date (ba), pc_booking_get_create_date (bb));
      break;
    case ORDER_SESSION_DATE:
      result = compare_dates (pc_booking_get_session_date (ba), pc_booking_get_session_date (bb));
      break;
    case ORDER_NICKNAME:
      {
        g_autofree char *na = nickname_key (ba);
        g_autofree char *nb = nickname_key (bb);

        result = g_utf8_collate (na, nb);
        break;
      }
    default:
      g_assert_not_reached ();
    }

  /* Ties are broken by id, so that pages never overlap. */
  if (result == 0)
    {
      gint64 ia = pc_booking_get_booking_id (ba);
      gint64 ib = pc_booking_get_booking_id (bb);

      result = (ia > ib) - (ia < ib);
    }

  return order->descending ? -result : result;
}

static gboolean
read_int_param (GHashTable *params,
                const char *name,
                gint64      min,
                gint64      max,
                gint64      fallback,
                gint64     *out)
{
  g_autofree char *key = g_ascii_strdown (name, -1);
  const char *text = g_hash_table_lookup (params, key);

  if (text == NULL)
    {
      *out = fallback;
      return TRUE;
    }

  return g_ascii_string_to_signed (text, 10, min, max, out, NULL);
}

static void
handle_received_bookings (PcSandbox         *self,
                          SoupServerMessage *msg,
                          Response          *response)
{
  g_autoptr(GHashTable) params = parse_query (msg);
  g_autoptr(PcReceivedPage) page = NULL;
  g_autoptr(GPtrArray) selected = NULL;
  g_autoptr(GDateTime) start = NULL;
  const char *order_text;
  const char *start_text;
  const Order *order = NULL;
  gint64 per_page;
  gint64 page_number;
  guint first;

  if (!read_int_param (params, "BookingsPerPage", 1, MAX_BOOKINGS_PER_PAGE,
                       DEFAULT_BOOKINGS_PER_PAGE, &per_page))
    {
      response_set_error (response, SOUP_STATUS_BAD_REQUEST,
                          "BookingsPerPage must be a whole number from 1 to %d.",
                          MAX_BOOKINGS_PER_PAGE);
      return;
    }

  if (!read_int_param (params, "PageNumber", 1, G_MAXINT, 1, &page_number))
    {
      response_set_error (response, SOUP_STATUS_BAD_REQUEST,
                          "PageNumber must be a whole number of 1 or more.");
      return;
    }

  order_text = g_hash_table_lookup (params, "orderby");
  if (order_text == NULL)
    order_text = orders[0].name;
  for (guint i = 0; i < G_N_ELEMENTS (orders); i++)
    if (g_ascii_strcasecmp (order_text, orders[i].name) == 0)
      order = &orders[i].order;
  if (order == NULL)
    {
      response_set_error (response, SOUP_STATUS_BAD_REQUEST,
                          "OrderBy must be one of sessiondate-desc, sessiondate-asc, date-desc, "
                          "date-asc, nickname-asc or nickname-desc.");
      return;
    }

  /* StartDate (yyyy-mm-dd): only bookings created on or after that day. */
  start_text = g_hash_table_lookup (params, "startdate");
  if (start_text != NULL)
    {
      int y, m, d;
      char end;

      if (sscanf (start_text, "%4d-%2d-%2d%c", &y, &m, &d, &end) != 3 ||
          !g_date_valid_dmy (d, m, y) ||
          (start = g_date_time_new (self->zone, y, m, d, 0, 0, 0)) == NULL)
        {
          response_set_error (response, SOUP_STATUS_BAD_REQUEST,
                              "StartDate must be a date written yyyy-mm-dd.");
          return;
        }
    }

  selected = g_ptr_array_new ();
  for (guint i = 0; i < self->bookings->len; i++)
    {
      PcBooking *booking = g_ptr_array_index (self->bookings, i);

      if (start == NULL || compare_dates (pc_booking_get_create_date (booking), start) >= 0)
        g_ptr_array_add (selected, booking);
    }
  g_ptr_array_sort_with_data (selected, compare_bookings, (gpointer) order);

  page = g_new0 (PcReceivedPage, 1);
  page->page_number = (gint) page_number;
  page->bookings_per_page = (gint) per_page;
  page->bookings_total = (gint) selected->len;
  page->page_count = (gint) ((selected->len + per_page - 1) / per_page);
  page->bookings = g_ptr_array_new_with_free_func (g_object_unref);

  first = (page_number - 1) * per_page < selected->len ? (guint) ((page_number - 1) * per_page)
                                                       : selected->len;
  for (guint i = first; i < selected->len && i < first + per_page; i++)
    g_ptr_array_add (page->bookings, g_object_ref (g_ptr_array_index (selected, i)));

  response_take (response, SOUP_STATUS_OK, pc_json_page_to_node (page, self->zone));
}

static void
handle_booking_details (PcSandbox         *self,
                        SoupServerMessage *msg,
                        Response          *response)
{
  g_autoptr(GHashTable) params = parse_query (msg);
  const char *text = g_hash_table_lookup (params, "bookingid");
  PcBooking *booking;
  gint64 id;

  if (text == NULL)
    {
      response_set_error (response, SOUP_STATUS_BAD_REQUEST, "BookingID is required.");
      return;
    }

  if (!g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, &id, NULL))
    {
      response_set_error (response, SOUP_STATUS_BAD_REQUEST, "BookingID must be an integer.");
      return;
    }

  booking = pc_sandbox_lookup (self, id);
  if (booking == NULL)
    {
      response_set_error (response, SOUP_STATUS_NOT_FOUND,
                          "No booking with BookingID %" G_GINT64_FORMAT " was found.", id);
      return;
    }

  response_take (response, SOUP_STATUS_OK, pc_json_booking_to_node (booking, self->zone));
}

/* The API's timestamps carry milliseconds at most. */
static GDateTime *
now_in_milliseconds (PcSandbox *self)
{
  g_autoptr(GDateTime) now = pc_clock_get_now (self->clock);

  return g_date_time_add (now, -(g_date_time_get_microsecond (now) % 1000));
}

static void
handle_reinvite (PcSandbox         *self,
                 SoupServerMessage *msg,
                 Response          *response)
{
  g_autoptr(JsonNode) root = parse_body_object (msg);
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *reason = NULL;
  JsonObject *object;
  JsonNode *id_node;
  JsonNode *reason_node;
  PcBooking *booking;
  gint64 id;

  if (root == NULL)
    {
      response_set_error (response, SOUP_STATUS_BAD_REQUEST,
                          "The request body must be a JSON object such as "
                          "{\"BookingID\": 1, \"Reason\": \"…\"}.");
      return;
    }

  object = json_node_get_object (root);
  id_node = get_member_nocase (object, "BookingID");
  if (id_node == NULL || JSON_NODE_HOLDS_NULL (id_node))
    {
      response_set_error (response, SOUP_STATUS_BAD_REQUEST, "BookingID is required.");
      return;
    }
  if (!node_is_integer (id_node))
    {
      response_set_error (response, SOUP_STATUS_BAD_REQUEST, "BookingID must be an integer.");
      return;
    }
  id = json_node_get_int (id_node);

  reason_node = get_member_nocase (object, "Reason");
  if (reason_node != NULL && !JSON_NODE_HOLDS_NULL (reason_node))
    {
      if (!JSON_NODE_HOLDS_VALUE (reason_node) ||
          json_node_get_value_type (reason_node) != G_TYPE_STRING)
        {
          response_set_error (response, SOUP_STATUS_BAD_REQUEST, "Reason must be a string.");
          return;
        }
      reason = g_strstrip (g_strdup (json_node_get_string (reason_node)));
    }

  /* "If no reason is supplied, a default reason will be used." */
  if (reason == NULL || *reason == '\0')
    pc_set_str (&reason, DEFAULT_REJECTED_REASON);

  booking = pc_sandbox_lookup (self, id);
  if (booking == NULL)
    {
      response_set_error (response, SOUP_STATUS_NOT_FOUND,
                          "No booking with BookingID %" G_GINT64_FORMAT " was found.", id);
      return;
    }

  if (pc_booking_get_status (booking) != PC_BOOKING_STATUS_PENDING)
    {
      response_set_error (response, SOUP_STATUS_BAD_REQUEST,
                          "The booking cannot be re-invited: its Status is %s, and only "
                          "Pending bookings can be re-invited.",
                          pc_booking_get_status_text (booking));
      return;
    }

  now = now_in_milliseconds (self);
  if (pc_booking_get_session_date (booking) == NULL ||
      g_date_time_compare (pc_booking_get_session_date (booking), now) > 0)
    {
      g_autofree char *session = NULL;

      if (pc_booking_get_session_date (booking) != NULL)
        session = pc_datetime_format (pc_booking_get_session_date (booking), self->zone);
      response_set_error (response, SOUP_STATUS_BAD_REQUEST,
                          "The booking cannot be re-invited yet: its SessionDate (%s) is in "
                          "the future.", session ? session : "none");
      return;
    }

  g_object_set (booking,
                "status-text", "Rejected",
                "rejected-reason", reason,
                "last-updated", now,
                "action-candidate", NULL,
                NULL);

  response_take (response, SOUP_STATUS_OK, pc_json_booking_to_node (booking, self->zone));
}

typedef void (*EndpointFunc) (PcSandbox         *self,
                              SoupServerMessage *msg,
                              Response          *response);

static const struct
{
  const char   *path;
  const char   *method;
  EndpointFunc  func;
} endpoints[] = {
  { "/v1/account/verifyCredentials", "GET", handle_verify_credentials },
  { "/v1/PhoneChat/ReceivedBookings", "GET", handle_received_bookings },
  { "/v1/PhoneChat/ReceivedBookingDetails", "GET", handle_booking_details },
  { "/v1/PhoneChat/ReInvite", "POST", handle_reinvite },
};

static void
dispatch (PcSandbox         *self,
          SoupServerMessage *msg,
          Response          *response)
{
  const char *path = g_uri_get_path (soup_server_message_get_uri (msg));
  const char *method = soup_server_message_get_method (msg);

  for (guint i = 0; i < G_N_ELEMENTS (endpoints); i++)
    {
      if (g_ascii_strcasecmp (path, endpoints[i].path) != 0)
        continue;

      /* libsoup sends no body for HEAD itself. */
      if (g_strcmp0 (method, endpoints[i].method) != 0 &&
          !(method == SOUP_METHOD_HEAD && g_str_equal (endpoints[i].method, "GET")))
        {
          response_set_error (response, SOUP_STATUS_METHOD_NOT_ALLOWED,
                              "The requested resource does not support http method '%s'.",
                              method);
          response->allow = g_strdup (endpoints[i].method);
          return;
        }

      if (!is_authorized (self, msg))
        {
          response_set_error (response, SOUP_STATUS_UNAUTHORIZED,
                              "Authorization has been denied for this request.");
          return;
        }

      endpoints[i].func (self, msg, response);
      return;
    }

  response_set_error (response, SOUP_STATUS_NOT_FOUND,
                      "No HTTP resource was found that matches the request URI '%s'.", path);
}

/* Answers @msg now: an injected status, or the endpoint's own answer. */
static void
answer (PcSandbox         *self,
        SoupServerMessage *msg,
        RequestEntry      *entry,
        const FaultPlan   *plan)
{
  Response response = { 0, };

  if (plan->status != 0)
    response_set_error (&response, plan->status, "Injected fault");
  else
    dispatch (self, msg, &response);

  entry->status = response.status;

  if (plan->truncate)
    send_truncated (msg, &response);
  else
    apply_response (msg, &response);

  response_clear (&response);
}

/* Faults ------------------------------------------------------------------------------ */

static gboolean
take_fault_plan (PcSandbox  *self,
                 const char *path,
                 FaultPlan  *plan,
                 char      **fault_name)
{
  g_autofree char *key = g_ascii_strdown (path, -1);
  GPtrArray *names = g_ptr_array_new ();

  plan->latency_ms = self->latency_ms;
  plan->status = GPOINTER_TO_UINT (g_hash_table_lookup (self->path_status, key));
  plan->truncate = self->truncate && plan->status == 0;
  plan->drop = self->drop;

  if (plan->latency_ms > 0)
    g_ptr_array_add (names, (gpointer) "latency");
  if (plan->drop)
    g_ptr_array_add (names, (gpointer) "drop");
  else if (plan->status != 0)
    g_ptr_array_add (names, (gpointer) "status");
  else if (plan->truncate)
    g_ptr_array_add (names, (gpointer) "truncate");

  if (names->len == 0)
    {
      g_ptr_array_unref (names);
      *fault_name = NULL;
      return FALSE;
    }

  g_ptr_array_add (names, NULL);
  *fault_name = g_strjoinv ("+", (char **) names->pdata);
  g_ptr_array_unref (names);

  if (self->fault_limit > 0 && --self->fault_limit == 0)
    pc_sandbox_clear_faults (self);

  return TRUE;
}

static void
pending_request_free (gpointer data)
{
  PendingRequest *pending = data;

  g_clear_handle_id (&pending->source_id, g_source_remove);
  g_clear_object (&pending->msg);
  g_clear_pointer (&pending->entry, request_entry_release);
  g_free (pending);
}

static gboolean
pending_request_ready_cb (gpointer user_data)
{
  PendingRequest *pending = user_data;
  PcSandbox *self = pending->self;
  g_autoptr(SoupServerMessage) msg = g_object_ref (pending->msg);
  RequestEntry *entry = g_rc_box_acquire (pending->entry);
  FaultPlan plan = pending->plan;

  pending->source_id = 0;
  g_hash_table_remove (self->pending, pending);

  if (plan.drop)
    drop_connection (msg);
  else
    {
      answer (self, msg, entry, &plan);
      if (!plan.truncate)
        soup_server_message_unpause (msg);
    }

  request_entry_release (entry);
  return G_SOURCE_REMOVE;
}

static void
request_aborted_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  PcSandbox *self = user_data;
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, self->pending);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      PendingRequest *pending = key;

      if (pending->msg == msg)
        {
          g_hash_table_iter_remove (&iter);
          break;
        }
    }
}

/* Control endpoints (/_sandbox/) ------------------------------------------------------- */

static JsonNode *
faults_to_node (PcSandbox *self)
{
  JsonObject *object = json_object_new ();
  JsonArray *statuses = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(GList) paths = g_hash_table_get_keys (self->path_status);

  paths = g_list_sort (paths, (GCompareFunc) g_strcmp0);
  for (GList *l = paths; l != NULL; l = l->next)
    {
      JsonObject *entry = json_object_new ();

      json_object_set_string_member (entry, "path", l->data);
      json_object_set_int_member (entry, "code",
                                  GPOINTER_TO_UINT (g_hash_table_lookup (self->path_status,
                                                                         l->data)));
      json_array_add_object_element (statuses, entry);
    }

  json_object_set_int_member (object, "latency_ms", self->latency_ms);
  json_object_set_array_member (object, "status", statuses);
  json_object_set_boolean_member (object, "truncate", self->truncate);
  json_object_set_boolean_member (object, "drop", self->drop);
  json_object_set_int_member (object, "times", self->fault_limit);

  json_node_take_object (node, object);
  return node;
}

static gboolean
read_status_fault (JsonNode    *node,
                   GHashTable  *out,
                   GError     **error)
{
  JsonObject *object;
  JsonNode *path;
  JsonNode *code;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "status must be an object {\"path\": \"/v1/…\", \"code\": 500} "
                           "or an array of them.");
      return FALSE;
    }

  object = json_node_get_object (node);
  path = json_object_get_member (object, "path");
  code = json_object_get_member (object, "code");
  if (path == NULL || !JSON_NODE_HOLDS_VALUE (path) ||
      json_node_get_value_type (path) != G_TYPE_STRING || json_node_get_string (path)[0] != '/')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "status.path must be a path such as \"/v1/PhoneChat/ReInvite\".");
      return FALSE;
    }
  if (code == NULL || !node_is_integer (code) ||
      (json_node_get_int (code) != 0 &&
       (json_node_get_int (code) < 100 || json_node_get_int (code) > 599)))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "status.code must be an HTTP status from 100 to 599 (0 clears).");
      return FALSE;
    }

  if (json_node_get_int (code) != 0)
    g_hash_table_replace (out, g_ascii_strdown (json_node_get_string (path), -1),
                          GUINT_TO_POINTER ((guint) json_node_get_int (code)));
  return TRUE;
}

/* POST /_sandbox/faults replaces the whole fault set: members left out are off. */
static gboolean
apply_faults_json (PcSandbox  *self,
                   JsonNode   *root,
                   GError    **error)
{
  g_autoptr(GHashTable) statuses = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GList) members = NULL;
  JsonObject *object;
  gint64 latency = 0;
  gint64 times = 0;
  gboolean truncate = FALSE;
  gboolean drop = FALSE;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "The body must be a JSON object such as {\"latency_ms\": 500}.");
      return FALSE;
    }

  object = json_node_get_object (root);
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonNode *node = json_object_get_member (object, name);

      if (g_str_equal (name, "latency_ms") || g_str_equal (name, "times"))
        {
          gint64 *out = g_str_equal (name, "times") ? &times : &latency;

          if (!node_is_integer (node) || json_node_get_int (node) < 0 ||
              json_node_get_int (node) > G_MAXINT)
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "%s must be a whole number of 0 or more.", name);
              return FALSE;
            }
          *out = json_node_get_int (node);
        }
      else if (g_str_equal (name, "truncate") || g_str_equal (name, "drop"))
        {
          if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "%s must be true or false.", name);
              return FALSE;
            }
          *(g_str_equal (name, "drop") ? &drop : &truncate) = json_node_get_boolean (node);
        }
      else if (g_str_equal (name, "status"))
        {
          if (JSON_NODE_HOLDS_ARRAY (node))
            {
              JsonArray *array = json_node_get_array (node);

              for (guint i = 0; i < json_array_get_length (array); i++)
                if (!read_status_fault (json_array_get_element (array, i), statuses, error))
                  return FALSE;
            }
          else if (!JSON_NODE_HOLDS_NULL (node) && !read_status_fault (node, statuses, error))
            return FALSE;
        }
      else
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "Unknown member “%s”: the faults are latency_ms, status, truncate, drop "
                       "and times.", name);
          return FALSE;
        }
    }

  self->latency_ms = (guint) latency;
  self->truncate = truncate;
  self->drop = drop;
  self->fault_limit = (guint) times;
  g_clear_pointer (&self->path_status, g_hash_table_unref);
  self->path_status = g_steal_pointer (&statuses);

  return TRUE;
}

static void
handle_control (PcSandbox         *self,
                SoupServerMessage *msg,
                const char        *path)
{
  const char *method = soup_server_message_get_method (msg);
  Response response = { 0, };

  if (g_ascii_strcasecmp (path, "/_sandbox/requests") == 0)
    {
      if (method == SOUP_METHOD_GET || method == SOUP_METHOD_HEAD)
        response_take (&response, SOUP_STATUS_OK, pc_sandbox_get_requests_node (self));
      else if (method == SOUP_METHOD_DELETE)
        {
          pc_sandbox_clear_requests (self);
          response_take (&response, SOUP_STATUS_OK, pc_sandbox_get_requests_node (self));
        }
      else
        {
          response_set_error (&response, SOUP_STATUS_METHOD_NOT_ALLOWED,
                              "The requested resource does not support http method '%s'.",
                              method);
          response.allow = g_strdup ("GET, DELETE");
        }
    }
  else if (g_ascii_strcasecmp (path, "/_sandbox/faults") == 0)
    {
      if (method == SOUP_METHOD_GET || method == SOUP_METHOD_HEAD)
        response_take (&response, SOUP_STATUS_OK, faults_to_node (self));
      else if (method == SOUP_METHOD_POST || method == SOUP_METHOD_PUT)
        {
          SoupMessageBody *body = soup_server_message_get_request_body (msg);
          g_autoptr(JsonParser) parser = json_parser_new ();
          g_autoptr(GError) error = NULL;

          if (body == NULL || body->length == 0 ||
              !json_parser_load_from_data (parser, body->data, (gssize) body->length, NULL))
            response_set_error (&response, SOUP_STATUS_BAD_REQUEST,
                                "The body must be a JSON object such as {\"latency_ms\": 500}.");
          else if (!apply_faults_json (self, json_parser_get_root (parser), &error))
            response_set_error (&response, SOUP_STATUS_BAD_REQUEST, "%s", error->message);
          else
            response_take (&response, SOUP_STATUS_OK, faults_to_node (self));
        }
      else
        {
          response_set_error (&response, SOUP_STATUS_METHOD_NOT_ALLOWED,
                              "The requested resource does not support http method '%s'.",
                              method);
          response.allow = g_strdup ("GET, POST");
        }
    }
  else
    {
      response_set_error (&response, SOUP_STATUS_NOT_FOUND,
                          "No HTTP resource was found that matches the request URI '%s'. The "
                          "sandbox's own endpoints are /_sandbox/requests and /_sandbox/faults.",
                          path);
    }

  apply_response (msg, &response);
  response_clear (&response);
}

/* Server ------------------------------------------------------------------------------ */

static void
server_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  PcSandbox *self = user_data;
  RequestEntry *entry;
  FaultPlan plan = { 0, };

  if (g_ascii_strncasecmp (path, "/_sandbox/", strlen ("/_sandbox/")) == 0)
    {
      handle_control (self, msg, path);
      return;
    }

  entry = g_rc_box_new0 (RequestEntry);
  entry->method = g_strdup (soup_server_message_get_method (msg));
  entry->path = g_strdup (path);
  entry->booking_id = request_booking_id (msg);
  g_ptr_array_add (self->log, entry);

  if (!take_fault_plan (self, path, &plan, &entry->fault) ||
      (plan.latency_ms == 0 && !plan.drop && !plan.truncate))
    {
      answer (self, msg, entry, &plan);
      return;
    }

  /* Stealing the connection or answering later both happen outside the server's own
   * I/O callback, from a timeout, with the message paused meanwhile. */
  {
    PendingRequest *pending = g_new0 (PendingRequest, 1);

    pending->self = self;
    pending->msg = g_object_ref (msg);
    pending->entry = g_rc_box_acquire (entry);
    pending->plan = plan;
    pending->source_id = g_timeout_add (plan.latency_ms, pending_request_ready_cb, pending);
    g_source_set_name_by_id (pending->source_id, "[pc-sandbox] pending request");
    g_hash_table_add (self->pending, pending);
    soup_server_message_pause (msg);
  }
}

/* GObject ----------------------------------------------------------------------------- */

static void
pc_sandbox_dispose (GObject *object)
{
  PcSandbox *self = (PcSandbox *) object;

  pc_sandbox_stop (self);
  g_clear_object (&self->clock);

  G_OBJECT_CLASS (pc_sandbox_parent_class)->dispose (object);
}

static void
pc_sandbox_finalize (GObject *object)
{
  PcSandbox *self = (PcSandbox *) object;

  g_clear_pointer (&self->pending, g_hash_table_unref);
  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->bookings, g_ptr_array_unref);
  g_clear_pointer (&self->log, g_ptr_array_unref);
  g_clear_pointer (&self->path_status, g_hash_table_unref);
  g_clear_pointer (&self->zone, g_time_zone_unref);
  g_clear_pointer (&self->token, g_free);
  g_clear_pointer (&self->url, g_free);

  G_OBJECT_CLASS (pc_sandbox_parent_class)->finalize (object);
}

static void
pc_sandbox_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  PcSandbox *self = PC_SANDBOX (object);

  switch (prop_id)
    {
    case PROP_CLOCK:
      g_value_set_object (value, self->clock);
      break;
    case PROP_TOKEN:
      g_value_set_string (value, self->token);
      break;
    case PROP_URL:
      g_value_set_string (value, self->url);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pc_sandbox_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  PcSandbox *self = PC_SANDBOX (object);

  switch (prop_id)
    {
    case PROP_CLOCK:
      g_set_object (&self->clock, g_value_get_object (value));
      break;
    case PROP_TOKEN:
      pc_set_str (&self->token, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pc_sandbox_constructed (GObject *object)
{
  PcSandbox *self = (PcSandbox *) object;

  G_OBJECT_CLASS (pc_sandbox_parent_class)->constructed (object);

  if (self->clock == NULL)
    self->clock = pc_clock_new_system ();
  if (self->token == NULL || *self->token == '\0')
    pc_set_str (&self->token, PC_SANDBOX_DEFAULT_TOKEN);
}

static void
pc_sandbox_class_init (PcSandboxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = pc_sandbox_constructed;
  object_class->dispose = pc_sandbox_dispose;
  object_class->finalize = pc_sandbox_finalize;
  object_class->get_property = pc_sandbox_get_property;
  object_class->set_property = pc_sandbox_set_property;

  properties[PROP_CLOCK] =
    g_param_spec_object ("clock", NULL, NULL, PC_TYPE_CLOCK,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOKEN] =
    g_param_spec_string ("token", NULL, NULL, PC_SANDBOX_DEFAULT_TOKEN,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_URL] =
    g_param_spec_string ("url", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pc_sandbox_init (PcSandbox *self)
{
  self->zone = pc_json_get_default_zone ();
  self->bookings = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_id = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->log = g_ptr_array_new_with_free_func (request_entry_release);
  self->pending = g_hash_table_new_full (NULL, NULL, pending_request_free, NULL);
  self->path_status = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/* Public API -------------------------------------------------------------------------- */

/**
 * pc_sandbox_new:
 * @clock: (nullable): where "now" comes from; %NULL for the system clock
 * @token: (nullable): the access token the sandbox accepts; %NULL for "demo-token"
 *
 * The sandbox starts empty: load bookings with pc_sandbox_load_demo() or
 * pc_sandbox_load_file(), then pc_sandbox_listen().
 *
 * Returns: (transfer full): a new sandbox
 */
PcSandbox *
pc_sandbox_new (PcClock    *clock,
                const char *token)
{
  g_return_val_if_fail (clock == NULL || PC_IS_CLOCK (clock), NULL);

  return g_object_new (PC_TYPE_SANDBOX,
                       "clock", clock,
                       "token", token,
                       NULL);
}

PcClock *
pc_sandbox_get_clock (PcSandbox *self)
{
  g_return_val_if_fail (PC_IS_SANDBOX (self), NULL);

  return self->clock;
}

const char *
pc_sandbox_get_token (PcSandbox *self)
{
  g_return_val_if_fail (PC_IS_SANDBOX (self), NULL);

  return self->token;
}

/**
 * pc_sandbox_get_zone:
 *
 * Returns: (transfer none): the API's time zone the sandbox reads and writes dates in
 */
GTimeZone *
pc_sandbox_get_zone (PcSandbox *self)
{
  g_return_val_if_fail (PC_IS_SANDBOX (self), NULL);

  return self->zone;
}

guint
pc_sandbox_get_port (PcSandbox *self)
{
  g_return_val_if_fail (PC_IS_SANDBOX (self), 0);

  return self->port;
}

/**
 * pc_sandbox_remove_all:
 *
 * Forgets every booking.
 */
void
pc_sandbox_remove_all (PcSandbox *self)
{
  g_return_if_fail (PC_IS_SANDBOX (self));

  g_hash_table_remove_all (self->by_id);
  g_ptr_array_set_size (self->bookings, 0);
}

/**
 * pc_sandbox_add_booking:
 * @booking: a booking; the sandbox takes a reference and sets its clock
 *
 * Adds @booking, replacing a booking with the same id in place.
 */
void
pc_sandbox_add_booking (PcSandbox *self,
                        PcBooking *booking)
{
  gint64 id;
  PcBooking *old;

  g_return_if_fail (PC_IS_SANDBOX (self));
  g_return_if_fail (PC_IS_BOOKING (booking));

  id = pc_booking_get_booking_id (booking);
  pc_booking_set_clock (booking, self->clock);

  old = g_hash_table_lookup (self->by_id, &id);
  if (old == booking)
    return;

  if (old != NULL)
    {
      guint index;

      g_ptr_array_find (self->bookings, old, &index);
      g_ptr_array_index (self->bookings, index) = g_object_ref (booking);
      g_object_unref (old);
    }
  else
    g_ptr_array_add (self->bookings, g_object_ref (booking));

  g_hash_table_replace (self->by_id, g_memdup2 (&id, sizeof id), booking);
}

/**
 * pc_sandbox_load_demo:
 *
 * Replaces the bookings with the built-in demo set: twelve bookings whose dates are
 * relative to the clock's now. Four are Pending with the session passed (they can be
 * re-invited), one is Pending with the session three hours ahead, and the others are
 * Accepted, Confirmed, Cancelled and Rejected.
 */
void
pc_sandbox_load_demo (PcSandbox *self)
{
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) base = NULL;

  g_return_if_fail (PC_IS_SANDBOX (self));

  /* Sessions start on the quarter hour, as people book them. */
  now = pc_clock_get_now (self->clock);
  local = g_date_time_to_timezone (now, self->zone);
  base = g_date_time_new (self->zone,
                          g_date_time_get_year (local), g_date_time_get_month (local),
                          g_date_time_get_day_of_month (local), g_date_time_get_hour (local),
                          g_date_time_get_minute (local) / 15 * 15, 0);

  pc_sandbox_remove_all (self);
  for (guint i = 0; i < G_N_ELEMENTS (demo_bookings); i++)
    {
      g_autoptr(JsonNode) node = demo_booking_to_node (&demo_bookings[i], base, self->zone);
      g_autoptr(PcBooking) booking = NULL;
      g_autoptr(GError) error = NULL;

      booking = pc_json_booking_from_node (node, self->zone, NULL, &error);
      if (booking == NULL)
        {
          g_critical ("Demo booking %" G_GINT64_FORMAT " is invalid: %s",
                      demo_bookings[i].booking_id, error->message);
          continue;
        }

      pc_sandbox_add_booking (self, booking);
    }
}

/**
 * pc_sandbox_load_bytes:
 * @bytes: a page envelope or a bare JSON array of bookings
 *
 * Replaces the bookings with those in @bytes. Nothing changes on an error.
 *
 * Returns: %TRUE on success; %FALSE with a #PC_JSON_ERROR, or a %G_IO_ERROR_INVALID_DATA
 *   when two bookings share an id
 */
gboolean
pc_sandbox_load_bytes (PcSandbox  *self,
                       GBytes     *bytes,
                       GError    **error)
{
  g_autoptr(PcReceivedPage) page = NULL;
  g_autoptr(GHashTable) seen = NULL;

  g_return_val_if_fail (PC_IS_SANDBOX (self), FALSE);
  g_return_val_if_fail (bytes != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  page = pc_json_page_from_bytes (bytes, self->zone, error);
  if (page == NULL)
    return FALSE;

  /* Ids must be unique: ReceivedBookingDetails and ReInvite look bookings up by id. */
  seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  for (guint i = 0; i < page->bookings->len; i++)
    {
      gint64 id = pc_booking_get_booking_id (g_ptr_array_index (page->bookings, i));

      if (!g_hash_table_add (seen, g_memdup2 (&id, sizeof id)))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "Bookings[%u].BookingID: %" G_GINT64_FORMAT " appears more than once",
                       i, id);
          return FALSE;
        }
    }

  pc_sandbox_remove_all (self);
  for (guint i = 0; i < page->bookings->len; i++)
    pc_sandbox_add_booking (self, g_ptr_array_index (page->bookings, i));

  return TRUE;
}

/**
 * pc_sandbox_load_file:
 * @path: a JSON file: a page envelope or a bare array of bookings
 *
 * Replaces the bookings with those in @path. Nothing changes on an error, and the error
 * names the file.
 *
 * Returns: %TRUE on success
 */
gboolean
pc_sandbox_load_file (PcSandbox   *self,
                      const char  *path,
                      GError     **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *display = NULL;
  char *contents = NULL;
  gsize len = 0;

  g_return_val_if_fail (PC_IS_SANDBOX (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  display = g_filename_display_name (path);
  if (!g_file_get_contents (path, &contents, &len, error))
    return FALSE;

  bytes = g_bytes_new_take (contents, len);
  if (!pc_sandbox_load_bytes (self, bytes, error))
    {
      g_prefix_error (error, "%s: ", display);
      return FALSE;
    }

  return TRUE;
}

/**
 * pc_sandbox_listen:
 * @port: the port on 127.0.0.1, or 0 for any free port
 *
 * Starts serving on 127.0.0.1 only, in the thread-default main context.
 *
 * Returns: %TRUE when listening
 */
gboolean
pc_sandbox_listen (PcSandbox  *self,
                   guint       port,
                   GError    **error)
{
  g_autoptr(SoupServer) server = NULL;
  GSList *uris;

  g_return_val_if_fail (PC_IS_SANDBOX (self), FALSE);
  g_return_val_if_fail (self->server == NULL, FALSE);
  g_return_val_if_fail (port <= G_MAXUINT16, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  server = soup_server_new ("server-header", "PhoneChat-Sandbox ", NULL);
  soup_server_add_handler (server, NULL, server_cb, self, NULL);
  g_signal_connect_object (server, "request-aborted", G_CALLBACK (request_aborted_cb), self, 0);

  /* listen_local binds the loopback address only; IPV4_ONLY keeps it to 127.0.0.1. */
  if (!soup_server_listen_local (server, port, SOUP_SERVER_LISTEN_IPV4_ONLY, error))
    return FALSE;

  uris = soup_server_get_uris (server);
  g_assert (uris != NULL);
  self->port = (guint) g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  self->server = g_steal_pointer (&server);
  g_free (self->url);
  self->url = g_strdup_printf ("http://127.0.0.1:%u", self->port);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_URL]);

  return TRUE;
}

/**
 * pc_sandbox_get_url:
 *
 * Returns: (nullable): "http://127.0.0.1:PORT" while listening, else %NULL
 */
const char *
pc_sandbox_get_url (PcSandbox *self)
{
  g_return_val_if_fail (PC_IS_SANDBOX (self), NULL);

  return self->url;
}

/**
 * pc_sandbox_stop:
 *
 * Stops listening and closes every connection; requests waiting on a fault are
 * forgotten. The bookings and the request log stay.
 */
void
pc_sandbox_stop (PcSandbox *self)
{
  g_return_if_fail (PC_IS_SANDBOX (self));

  if (self->pending != NULL)
    g_hash_table_remove_all (self->pending);

  if (self->server != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->server, self);
      soup_server_disconnect (self->server);
      g_clear_object (&self->server);
    }

  self->port = 0;
  if (self->url != NULL)
    {
      g_clear_pointer (&self->url, g_free);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_URL]);
    }
}

/**
 * pc_sandbox_lookup:
 *
 * Returns: (transfer none) (nullable): the booking with @booking_id as the server holds
 *   it now
 */
PcBooking *
pc_sandbox_lookup (PcSandbox *self,
                   gint64     booking_id)
{
  g_return_val_if_fail (PC_IS_SANDBOX (self), NULL);

  return g_hash_table_lookup (self->by_id, &booking_id);
}

/**
 * pc_sandbox_get_bookings:
 *
 * Returns: (transfer none) (element-type PcBooking): every booking, in load order
 */
GPtrArray *
pc_sandbox_get_bookings (PcSandbox *self)
{
  g_return_val_if_fail (PC_IS_SANDBOX (self), NULL);

  return self->bookings;
}

/**
 * pc_sandbox_set_latency:
 * @milliseconds: how long to wait before answering each API request; 0 for none
 */
void
pc_sandbox_set_latency (PcSandbox *self,
                        guint      milliseconds)
{
  g_return_if_fail (PC_IS_SANDBOX (self));

  self->latency_ms = milliseconds;
}

/**
 * pc_sandbox_set_path_status:
 * @path: a request path such as "/v1/PhoneChat/ReInvite" (case-insensitive)
 * @status: the HTTP status to answer with `{"Message": "Injected fault"}`; 0 clears
 *
 * The request is not processed: nothing changes on the server.
 */
void
pc_sandbox_set_path_status (PcSandbox  *self,
                            const char *path,
                            guint       status)
{
  g_return_if_fail (PC_IS_SANDBOX (self));
  g_return_if_fail (path != NULL);
  g_return_if_fail (status == 0 || (status >= 100 && status <= 599));

  if (status == 0)
    {
      g_autofree char *key = g_ascii_strdown (path, -1);

      g_hash_table_remove (self->path_status, key);
    }
  else
    g_hash_table_replace (self->path_status, g_ascii_strdown (path, -1),
                          GUINT_TO_POINTER (status));
}

/**
 * pc_sandbox_set_truncate_bodies:
 *
 * When set, the request is processed (a re-invite happens), then the answer is sent with
 * its full Content-Length but only half of its body, and the connection is closed.
 */
void
pc_sandbox_set_truncate_bodies (PcSandbox *self,
                                gboolean   truncate)
{
  g_return_if_fail (PC_IS_SANDBOX (self));

  self->truncate = !!truncate;
}

/**
 * pc_sandbox_set_drop_connections:
 *
 * When set, each API request is read and its connection closed without an answer. The
 * request is not processed: nothing changes on the server.
 */
void
pc_sandbox_set_drop_connections (PcSandbox *self,
                                 gboolean   drop)
{
  g_return_if_fail (PC_IS_SANDBOX (self));

  self->drop = !!drop;
}

void
pc_sandbox_set_fault_limit (PcSandbox *self,
                            guint      times)
{
  g_return_if_fail (PC_IS_SANDBOX (self));

  self->fault_limit = times;
}

/**
 * pc_sandbox_clear_faults:
 *
 * Turns every fault off; what `POST /_sandbox/faults {}` does.
 */
void
pc_sandbox_clear_faults (PcSandbox *self)
{
  g_return_if_fail (PC_IS_SANDBOX (self));

  self->latency_ms = 0;
  self->truncate = FALSE;
  self->drop = FALSE;
  self->fault_limit = 0;
  g_hash_table_remove_all (self->path_status);
}

guint
pc_sandbox_count_requests (PcSandbox  *self,
                           const char *method,
                           const char *path)
{
  guint count = 0;

  g_return_val_if_fail (PC_IS_SANDBOX (self), 0);

  for (guint i = 0; i < self->log->len; i++)
    if (entry_matches (g_ptr_array_index (self->log, i), method, path))
      count++;

  return count;
}

guint
pc_sandbox_count_booking_requests (PcSandbox  *self,
                                   const char *method,
                                   const char *path,
                                   gint64      booking_id)
{
  guint count = 0;

  g_return_val_if_fail (PC_IS_SANDBOX (self), 0);

  for (guint i = 0; i < self->log->len; i++)
    {
      RequestEntry *entry = g_ptr_array_index (self->log, i);

      if (entry->booking_id == booking_id && entry_matches (entry, method, path))
        count++;
    }

  return count;
}

void
pc_sandbox_clear_requests (PcSandbox *self)
{
  g_return_if_fail (PC_IS_SANDBOX (self));

  g_ptr_array_set_size (self->log, 0);
}

/**
 * pc_sandbox_get_requests_node:
 *
 * Returns: (transfer full): a JSON array with one object per API request received, in
 *   order: `method`, `path`, `BookingID` (from the query or the JSON body; null when the
 *   request named none), `status` (0 while unanswered or when dropped) and `fault`
 *   (null, or which fault applied: "latency", "status", "truncate", "drop", joined by +)
 */
JsonNode *
pc_sandbox_get_requests_node (PcSandbox *self)
{
  JsonArray *array;
  JsonNode *node;

  g_return_val_if_fail (PC_IS_SANDBOX (self), NULL);

  array = json_array_sized_new (self->log->len);
  for (guint i = 0; i < self->log->len; i++)
    json_array_add_element (array, request_entry_to_node (g_ptr_array_index (self->log, i)));

  node = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (node, array);
  return node;
}
