/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "pc-types.h"

G_BEGIN_DECLS

#define PC_SANDBOX_DEFAULT_TOKEN "demo-token"

/**
 * PcSandbox:
 *
 * A SoupServer on 127.0.0.1 that implements the endpoints PhoneChat uses with the
 * documented rules. It backs the tests, `phonechat-sandbox`, `phonechat --demo` and
 * "Try the demo". It shares the caller's main context (no threads).
 */
#define PC_TYPE_SANDBOX (pc_sandbox_get_type ())
G_DECLARE_FINAL_TYPE (PcSandbox, pc_sandbox, PC, SANDBOX, GObject)

/* @clock: (nullable): the system clock when NULL. @token: (nullable): "demo-token". */
PcSandbox  *pc_sandbox_new            (PcClock     *clock,
                                       const char  *token) G_GNUC_WARN_UNUSED_RESULT;
/* Built-in demo bookings with dates relative to the clock's now. */
void        pc_sandbox_load_demo      (PcSandbox   *self);
/* @n_bookings re-invitable bookings, ids from PC_SANDBOX_REINVITABLE_FIRST_ID on. */
#define PC_SANDBOX_REINVITABLE_FIRST_ID 5000001
void        pc_sandbox_load_reinvitable (PcSandbox *self,
                                         guint      n_bookings);
/* @n_bookings bookings in every state, dates spread over a year around now, ids from
 * PC_SANDBOX_GENERATED_FIRST_ID on: for load tests and benchmarks of long lists. */
#define PC_SANDBOX_GENERATED_FIRST_ID 10000001
void        pc_sandbox_load_generated (PcSandbox *self,
                                       guint      n_bookings);
/* A page envelope or a bare array of bookings. Replaces what was loaded. */
gboolean    pc_sandbox_load_file      (PcSandbox   *self,
                                       const char  *path,
                                       GError     **error);
gboolean    pc_sandbox_load_bytes     (PcSandbox   *self,
                                       GBytes      *bytes,
                                       GError     **error);
/* Listens on 127.0.0.1:@port (0: any free port). */
gboolean    pc_sandbox_listen         (PcSandbox   *self,
                                       guint        port,
                                       GError     **error);
/* "http://127.0.0.1:PORT" once listening, else NULL. */
const char *pc_sandbox_get_url        (PcSandbox   *self);
void        pc_sandbox_stop           (PcSandbox   *self);

/* The bookings as the server holds them now (transfer none). */
PcBooking  *pc_sandbox_lookup         (PcSandbox   *self,
                                       gint64       booking_id);
GPtrArray  *pc_sandbox_get_bookings   (PcSandbox   *self);

/* Fault injection (also reachable from `phonechat-sandbox --help` options). */
void        pc_sandbox_set_latency    (PcSandbox   *self,
                                       guint        milliseconds);
/* Answer @status (with a {"Message"} body) for requests whose path is @path; 0 clears. */
void        pc_sandbox_set_path_status (PcSandbox  *self,
                                        const char *path,
                                        guint       status);
void        pc_sandbox_set_truncate_bodies (PcSandbox *self,
                                            gboolean   truncate);
/* Close the connection after reading the request, without answering. */
void        pc_sandbox_set_drop_connections (PcSandbox *self,
                                             gboolean   drop);

/* Every request received: "METHOD PATH" counts, for tests. @method and @path may be NULL
 * (any); paths compare case-insensitively. Requests to /_sandbox/ are not logged. */
guint       pc_sandbox_count_requests (PcSandbox   *self,
                                       const char  *method,
                                       const char  *path);

/* Additions (all additive to the contract above). */

/* get_zone: the API's zone the sandbox reads and writes dates in (Europe/London).
 * get_port: the port once listening, else 0. */
PcClock    *pc_sandbox_get_clock      (PcSandbox   *self);
const char *pc_sandbox_get_token      (PcSandbox   *self);
GTimeZone  *pc_sandbox_get_zone       (PcSandbox   *self);
guint       pc_sandbox_get_port       (PcSandbox   *self);

/* Adds @booking (a reference is taken), replacing a booking with the same id. */
void        pc_sandbox_add_booking    (PcSandbox   *self,
                                       PcBooking   *booking);
void        pc_sandbox_remove_all     (PcSandbox   *self);

/**
 * PcSandboxReset:
 * @PC_SANDBOX_RESET_NONE: no reset
 * @PC_SANDBOX_RESET_BEFORE_HEADERS: the request is read, not processed, and the
 *   connection reset (TCP RST) before any answer
 * @PC_SANDBOX_RESET_MID_BODY: the request is processed, then the status line, the headers
 *   (with the full Content-Length) and half the body are sent, and the connection reset
 *
 * An abortive close, where `drop` and `truncate` close the connection in order.
 */
typedef enum
{
  PC_SANDBOX_RESET_NONE,
  PC_SANDBOX_RESET_BEFORE_HEADERS,
  PC_SANDBOX_RESET_MID_BODY,
} PcSandboxReset;

/**
 * PcSandboxCannedBody:
 * @PC_SANDBOX_BODY_NONE: the endpoint's own answer
 * @PC_SANDBOX_BODY_HTML: an HTML error page (text/html), as a proxy sends
 * @PC_SANDBOX_BODY_XML: the API's documented XML sample of a received booking
 *   (application/xml), as the API sends when asked for XML
 * @PC_SANDBOX_BODY_WRONG_SHAPE: valid JSON of the wrong shape: an array whose one object
 *   has a BookingID that is a string
 * @PC_SANDBOX_BODY_HUGE_NICKNAME: the endpoint's kind of answer (a page of received
 *   bookings, or one booking) holding the booking the request names, or the first one,
 *   with a client nickname of 10 MiB; sent with its Content-Length
 * @PC_SANDBOX_BODY_OVERSIZED: a JSON object of 9 MiB, over PcApi's default cap of 8 MiB,
 *   sent without a Content-Length (chunked), so that the cap is met while reading
 *
 * A body sent instead of the endpoint's answer, with the status injected for the path,
 * else 200. The request is not processed.
 */
typedef enum
{
  PC_SANDBOX_BODY_NONE,
  PC_SANDBOX_BODY_HTML,
  PC_SANDBOX_BODY_XML,
  PC_SANDBOX_BODY_WRONG_SHAPE,
  PC_SANDBOX_BODY_HUGE_NICKNAME,
  PC_SANDBOX_BODY_OVERSIZED,
} PcSandboxCannedBody;

/* The size of PC_SANDBOX_BODY_HUGE_NICKNAME's nickname. */
#define PC_SANDBOX_HUGE_NICKNAME_SIZE (10 * 1024 * 1024)

/* Like pc_sandbox_set_path_status(), with a `Retry-After: @retry_after` header (seconds;
 * 0: none). */
void        pc_sandbox_set_path_status_full (PcSandbox  *self,
                                             const char *path,
                                             guint       status,
                                             guint       retry_after);
void        pc_sandbox_set_reset      (PcSandbox           *self,
                                       PcSandboxReset       reset);
void        pc_sandbox_set_canned_body (PcSandbox          *self,
                                        PcSandboxCannedBody body);

/* Faults apply to the next @times requests that a fault affects, then all faults clear;
 * 0 (the default) means until changed. */
void        pc_sandbox_set_fault_limit (PcSandbox  *self,
                                        guint       times);
void        pc_sandbox_clear_faults   (PcSandbox   *self);
/* Answers every request held back by latency now. A POST whose client has gone (it
 * timed out) is carried out all the same when its latency ends, as a real server does. */
void        pc_sandbox_release_held   (PcSandbox   *self);

void        pc_sandbox_clear_requests (PcSandbox   *self);
/* Like pc_sandbox_count_requests(), restricted to requests about @booking_id. */
guint       pc_sandbox_count_booking_requests (PcSandbox  *self,
                                               const char *method,
                                               const char *path,
                                               gint64      booking_id);
/* The request log as `GET /_sandbox/requests` returns it (transfer full). */
JsonNode   *pc_sandbox_get_requests_node (PcSandbox *self);

/* Whether RejectReceivedBooking and CancelReceivedBooking, whose paths are inferred from
 * the Webcam API, exist (the default). When not, they answer 404 like any unknown path, as
 * a server without them would. */
void        pc_sandbox_set_inferred_endpoints (PcSandbox *self,
                                               gboolean   offered);
/* A client makes a booking: Pending, its session ahead, accept-by before it, a made-up
 * client; @fields (nullable) sets members by the API's names (a "Client" object sets the
 * client's). Listed at once. Returns it (transfer none), or NULL with @error. Also
 * `POST /_sandbox/bookings` with an optional JSON object body. */
PcBooking  *pc_sandbox_new_booking    (PcSandbox   *self,
                                       JsonObject  *fields,
                                       GError     **error);
/* A new booking every @seconds (0: none), from the caller's main context. */
void        pc_sandbox_set_new_booking_interval (PcSandbox *self,
                                                 guint      seconds);

/* Unified Login (OAuth 2.0) on the same address: pass pc_sandbox_get_url() as the sign-in
 * server to pc_oauth_new() with this client. GET /OAuth/Authorize approves at once; the
 * access tokens POST /OAuth/token issues work on the API endpoints until they expire by
 * the sandbox's clock. The client secret is optional (a public client with PKCE). */
#define PC_SANDBOX_CLIENT_ID     "phonechat-sandbox"
#define PC_SANDBOX_CLIENT_SECRET "sandbox-client-secret"

/* Lifetimes of the tokens issued from now on (defaults: 3600 s and 14 days). */
void        pc_sandbox_set_token_lifetimes   (PcSandbox *self,
                                              guint      access_seconds,
                                              guint      refresh_seconds);
/* Makes GET /OAuth/Authorize answer as when the user cancels at the login page. */
void        pc_sandbox_set_authorize_cancels (PcSandbox *self,
                                              gboolean   cancels);
/* Every access and refresh token issued so far expires now. */
void        pc_sandbox_expire_tokens         (PcSandbox *self);

G_END_DECLS
