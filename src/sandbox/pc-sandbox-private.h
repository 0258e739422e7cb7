/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "pc-json.h"
#include "pc-sandbox.h"

G_BEGIN_DECLS

/* What PcSandbox's parts share: its state, the records a request leaves behind and the
 * internal functions each part offers the others. */

#define PC_SANDBOX_JSON_CONTENT_TYPE "application/json; charset=utf-8"
#define PC_SANDBOX_DEFAULT_REJECTED_REASON "The performer was not available at the requested time."
#define PC_SANDBOX_DEFAULT_BOOKINGS_PER_PAGE 50
#define PC_SANDBOX_MAX_BOOKINGS_PER_PAGE 100
#define PC_SANDBOX_USER_ID 3402918

/* Reference-counted (GRcBox): a request waiting on a fault keeps its entry even when the
 * log is cleared meanwhile. */
typedef struct
{
  char     *method;
  char     *path;
  gint64    booking_id; /* 0: the request named none */
  guint     status;     /* 0: not answered (yet, or never: dropped) */
  char     *fault;      /* NULL, or the faults that applied: "latency+drop", … */
} PcSandboxRequestEntry;

/* A status injected on a path, with the Retry-After (seconds; 0: none) it comes with. */
typedef struct
{
  guint code;
  guint retry_after;
} PcSandboxStatusFault;

typedef struct
{
  guint                latency_ms;
  guint                status;
  guint                retry_after;
  gboolean             truncate;
  gboolean             drop;
  PcSandboxReset       reset;
  PcSandboxCannedBody  body;
} PcSandboxFaultPlan;

typedef struct
{
  guint     status;
  JsonNode *body;
  GBytes   *raw_body;     /* sent as it is instead of @body, with @content_type */
  const char *content_type;
  gboolean  chunked;      /* without a Content-Length */
  guint     retry_after;  /* 0: no Retry-After header */
  char     *allow;
} PcSandboxResponse;

typedef struct _PcSandboxOAuth PcSandboxOAuth;

/* What ReceivedBookings can sort by; each also in reverse. */
typedef enum
{
  PC_SANDBOX_ORDER_DATE,
  PC_SANDBOX_ORDER_SESSION_DATE,
  PC_SANDBOX_ORDER_NICKNAME,
} PcSandboxOrderKey;

#define PC_SANDBOX_N_ORDER_KEYS (PC_SANDBOX_ORDER_NICKNAME + 1)

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

  /* The bookings (borrowed) sorted for paging, built when a page needs them and dropped
   * when the bookings or their sort keys change. */
  GPtrArray         *sorted[PC_SANDBOX_N_ORDER_KEYS]; /* ascending, or NULL */
  GPtrArray         *since;       /* sorted[since_key] from since_start on, or NULL */
  PcSandboxOrderKey  since_key;
  GDateTime         *since_start;
  guint              n_sorts;

  GPtrArray  *log;      /* PcSandboxRequestEntry */
  GHashTable *pending;  /* set of requests waiting on a fault */

  /* Faults */
  guint       latency_ms;
  GHashTable *path_status; /* lower-case path → PcSandboxStatusFault */
  gboolean    truncate;
  gboolean    drop;
  PcSandboxReset      reset;
  PcSandboxCannedBody body;
  guint       fault_limit;

  PcSandboxOAuth *oauth;

  /* Act like a server without the inferred RejectReceivedBooking and
   * CancelReceivedBooking: they answer 404 like any unknown path. */
  gboolean    no_inferred_endpoints;
  /* New bookings on a timer (pc-sandbox-arrivals.c) */
  guint       arrival_source_id;
};

static inline void
_pc_sandbox_set_nullable_string (JsonObject *object,
                                 const char *member,
                                 const char *value)
{
  if (value != NULL)
    json_object_set_string_member (object, member, value);
  else
    json_object_set_null_member (object, member);
}

/* pc-sandbox-data.c: the built-in demo bookings, and as many re-invitable ones as a
 * load test needs. */
GPtrArray             *_pc_sandbox_demo_new_bookings       (GDateTime                *now,
                                                            GTimeZone                *zone);
GPtrArray             *_pc_sandbox_reinvitable_new_bookings (GDateTime               *now,
                                                             GTimeZone               *zone,
                                                             guint                    n_bookings);
GPtrArray             *_pc_sandbox_generated_new_bookings (GDateTime                 *now,
                                                           GTimeZone                 *zone,
                                                           guint                      n_bookings);

/* pc-sandbox-bookings.c: the bookings, in load order, by id and sorted for paging. */
void                   _pc_sandbox_bookings_init           (PcSandbox                *self);
void                   _pc_sandbox_bookings_finalize       (PcSandbox                *self);
void                   _pc_sandbox_bookings_add            (PcSandbox                *self,
                                                            PcBooking                *booking);
void                   _pc_sandbox_bookings_remove_all     (PcSandbox                *self);
gboolean               _pc_sandbox_bookings_remove         (PcSandbox                *self,
                                                            gint64                    booking_id);
PcReceivedPage        *_pc_sandbox_bookings_get_page       (PcSandbox                *self,
                                                            PcSandboxOrderKey         key,
                                                            gboolean                  descending,
                                                            GDateTime                *start,
                                                            gint64                    page_number,
                                                            gint64                    per_page);
/* How many times the bookings were sorted, for tests: a page must not cost a sort. */
guint                  _pc_sandbox_bookings_get_n_sorts    (PcSandbox                *self);

/* pc-sandbox-log.c: the request log. */
PcSandboxRequestEntry *_pc_sandbox_log_request             (PcSandbox                *self,
                                                            SoupServerMessage        *msg,
                                                            const char               *path);
void                   _pc_sandbox_request_entry_release   (gpointer                  entry);
guint                  _pc_sandbox_log_count               (PcSandbox                *self,
                                                            const char               *method,
                                                            const char               *path,
                                                            gboolean                  any_booking,
                                                            gint64                    booking_id);
JsonNode              *_pc_sandbox_log_to_node             (PcSandbox                *self);

/* pc-sandbox-response.c: sending answers, whole, truncated or not at all. */
void                   _pc_sandbox_response_clear          (PcSandboxResponse        *response);
void                   _pc_sandbox_response_take           (PcSandboxResponse        *response,
                                                            guint                     status,
                                                            JsonNode                 *body);
void                   _pc_sandbox_response_set_error      (PcSandboxResponse        *response,
                                                            guint                     status,
                                                            const char               *format,
                                                            ...) G_GNUC_PRINTF (3, 4);
void                   _pc_sandbox_response_apply          (PcSandboxResponse        *response,
                                                            SoupServerMessage        *msg);
void                   _pc_sandbox_response_send_truncated (PcSandboxResponse        *response,
                                                            SoupServerMessage        *msg);
void                   _pc_sandbox_drop_connection         (SoupServerMessage        *msg);
void                   _pc_sandbox_reset_connection        (SoupServerMessage        *msg);
void                   _pc_sandbox_response_send_reset     (PcSandboxResponse        *response,
                                                            SoupServerMessage        *msg);

/* pc-sandbox-request.c: reading requests. */
GHashTable            *_pc_sandbox_parse_query             (SoupServerMessage        *msg);
JsonNode              *_pc_sandbox_parse_body_object       (SoupServerMessage        *msg);
JsonNode              *_pc_sandbox_get_member_nocase       (JsonObject               *object,
                                                            const char               *name);
gboolean               _pc_sandbox_node_is_integer         (JsonNode                 *node);
gint64                 _pc_sandbox_request_booking_id      (SoupServerMessage        *msg);
gboolean               _pc_sandbox_is_authorized           (PcSandbox                *self,
                                                            SoupServerMessage        *msg);

/* pc-sandbox-endpoints.c: the API's endpoints. */
void                   _pc_sandbox_answer                  (PcSandbox                *self,
                                                            SoupServerMessage        *msg,
                                                            PcSandboxRequestEntry    *entry,
                                                            const PcSandboxFaultPlan *plan);

/* pc-sandbox-faults.c: which faults apply, and the requests that wait on one. */
gboolean               _pc_sandbox_take_fault_plan         (PcSandbox                *self,
                                                            const char               *path,
                                                            PcSandboxFaultPlan       *plan,
                                                            char                    **fault_name);
void                   _pc_sandbox_defer_request           (PcSandbox                *self,
                                                            SoupServerMessage        *msg,
                                                            PcSandboxRequestEntry    *entry,
                                                            const PcSandboxFaultPlan *plan);
gboolean               _pc_sandbox_fault_plan_defers       (const PcSandboxFaultPlan *plan);
void                   _pc_sandbox_forget_pending          (PcSandbox                *self,
                                                            SoupServerMessage        *msg);
void                   _pc_sandbox_canned_response         (PcSandbox                *self,
                                                            SoupServerMessage        *msg,
                                                            const PcSandboxFaultPlan *plan,
                                                            PcSandboxResponse        *response);
const char            *_pc_sandbox_reset_to_string         (PcSandboxReset            reset);
gboolean               _pc_sandbox_reset_from_string       (const char               *text,
                                                            PcSandboxReset           *reset);
const char            *_pc_sandbox_canned_body_to_string   (PcSandboxCannedBody       body);
gboolean               _pc_sandbox_canned_body_from_string (const char               *text,
                                                            PcSandboxCannedBody      *body);
void                   _pc_sandbox_pending_request_free    (gpointer                  pending);

/* pc-sandbox-oauth.c: Unified Login (OAuth 2.0) and the access tokens it issued. */
PcSandboxOAuth        *_pc_sandbox_oauth_new               (void);
void                   _pc_sandbox_oauth_free              (PcSandboxOAuth           *oauth);
void                   _pc_sandbox_handle_authorize        (PcSandbox                *self,
                                                            SoupServerMessage        *msg,
                                                            PcSandboxResponse        *response);
void                   _pc_sandbox_handle_token            (PcSandbox                *self,
                                                            SoupServerMessage        *msg,
                                                            PcSandboxResponse        *response);
gboolean               _pc_sandbox_oauth_accepts_token     (PcSandbox                *self,
                                                            const char               *token);
GPtrArray             *_pc_sandbox_oauth_dup_secrets       (PcSandbox                *self);

/* pc-sandbox-arrivals.c: new bookings, as clients make them. */
void                   _pc_sandbox_handle_new_booking      (PcSandbox                *self,
                                                            SoupServerMessage        *msg,
                                                            PcSandboxResponse        *response);

/* pc-sandbox-control.c: the /_sandbox/ endpoints. */
void                   _pc_sandbox_handle_control          (PcSandbox                *self,
                                                            SoupServerMessage        *msg,
                                                            const char               *path);

G_END_DECLS
