/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "pc-json.h"
#include "pc-types.h"

G_BEGIN_DECLS

#define PC_API_LIVE_URL    "https://api.adultwork.com"
#define PC_API_SANDBOX_URL "https://api-sandbox.adultwork.com"

#define PC_API_ERROR (pc_api_error_quark ())

/**
 * PcApiError:
 * @PC_API_ERROR_CANNOT_CONNECT: the server could not be reached (DNS, refused, reset)
 * @PC_API_ERROR_TIMED_OUT: no answer within the timeout
 * @PC_API_ERROR_TLS: the TLS certificate or handshake failed; never bypassed
 * @PC_API_ERROR_UNAUTHORIZED: 401: the token is missing, wrong or expired: sign in again
 * @PC_API_ERROR_FORBIDDEN: 403: the `account_phonechat_bookings` scope is missing
 * @PC_API_ERROR_NOT_FOUND: 404: no such booking, or no such endpoint. For an endpoint
 *   whose path is inferred (reject, cancel: pc_api_endpoint_is_inferred()), PcApi reads
 *   the booking to tell which, and the message then says either that the server does
 *   not know the booking or that it does not offer the action
 * @PC_API_ERROR_REJECTED: 400/409/422: the server refused the request; its `Message` is in
 *   the error message
 * @PC_API_ERROR_RATE_LIMITED: 429: too many requests
 * @PC_API_ERROR_SERVER: 5xx: the server failed
 * @PC_API_ERROR_HTTP: any other unexpected HTTP status
 * @PC_API_ERROR_NOT_JSON: the body is not JSON (an HTML page, XML, text)
 * @PC_API_ERROR_MALFORMED: the body is JSON but not what the API documents (the
 *   #PC_JSON_ERROR text is included)
 * @PC_API_ERROR_TOO_LARGE: the body is over the size cap
 * @PC_API_ERROR_INSECURE: refused before sending: the token would travel over plain HTTP
 *   to a host that is not loopback
 * @PC_API_ERROR_NO_TOKEN: there is no access token to send
 * @PC_API_ERROR_OUTCOME_UNKNOWN: a booking action (re-invite, accept, reject, cancel,
 *   delete) was sent and its answer was lost (timeout, dropped connection, unreadable
 *   answer, 502/504); re-reading the booking showed it as before, or failed: whether it
 *   happened is unknown, and the server may still act on it. Do not send it again until
 *   a read shows what happened.

 *
 * Messages are complete English sentences that say what was attempted and what failed,
 * e.g. “Could not re-invite booking 4817263: the server refused it: The booking is not
 * pending.” They are meant for people; UIs may still wrap them.
 */
typedef enum
{
  PC_API_ERROR_CANNOT_CONNECT,
  PC_API_ERROR_TIMED_OUT,
  PC_API_ERROR_TLS,
  PC_API_ERROR_UNAUTHORIZED,
  PC_API_ERROR_FORBIDDEN,
  PC_API_ERROR_NOT_FOUND,
  PC_API_ERROR_REJECTED,
  PC_API_ERROR_RATE_LIMITED,
  PC_API_ERROR_SERVER,
  PC_API_ERROR_HTTP,
  PC_API_ERROR_NOT_JSON,
  PC_API_ERROR_MALFORMED,
  PC_API_ERROR_TOO_LARGE,
  PC_API_ERROR_INSECURE,
  PC_API_ERROR_NO_TOKEN,
  PC_API_ERROR_OUTCOME_UNKNOWN,
} PcApiError;

GQuark pc_api_error_quark (void);
guint  pc_api_error_get_retry_after (const GError *error);

/**
 * PcApiEndpoint:
 *
 * Every path the app calls lives in one table (pc_api_endpoint_get_path()); some are
 * inferred from the documentation of sibling endpoints (reference §5.1, §5.2, §5.4,
 * §5.5): pc_api_endpoint_is_inferred() tells which.
 */
typedef enum
{
  PC_API_ENDPOINT_VERIFY_CREDENTIALS,
  PC_API_ENDPOINT_RECEIVED_BOOKINGS,
  PC_API_ENDPOINT_RECEIVED_BOOKING_DETAILS,
  PC_API_ENDPOINT_REINVITE,
  PC_API_ENDPOINT_ACCEPT,
  PC_API_ENDPOINT_REJECT,
  PC_API_ENDPOINT_CANCEL,
  PC_API_ENDPOINT_DELETE,
  PC_API_N_ENDPOINTS,
} PcApiEndpoint;

const char *pc_api_endpoint_get_path    (PcApiEndpoint endpoint);
gboolean    pc_api_endpoint_is_inferred (PcApiEndpoint endpoint);

/* Returns a newly allocated access token, or NULL if there is none. */
typedef char *(*PcApiTokenFunc) (gpointer user_data);

/* Called once per page, in order, as pages arrive. */
typedef void (*PcApiPageFunc) (PcApi          *api,
                               PcReceivedPage *page,
                               gpointer        user_data);

/* At most this many requests to one host at once: a batch's re-invites
 * (PC_REINVITER_MAX_IN_FLIGHT) and a page load or two beside them. */
#define PC_API_MAX_CONNS_PER_HOST 6
/* Idle connections are dropped after this many seconds, inside any server's keep-alive
 * time, so that a request never goes out on a connection the server has already let go
 * (pc-api.c, prepare_message()). */
#define PC_API_IDLE_TIMEOUT 4

SoupSession    *pc_api_new_session                   (void) G_GNUC_WARN_UNUSED_RESULT;

#define PC_TYPE_API (pc_api_get_type ())
G_DECLARE_FINAL_TYPE (PcApi, pc_api, PC, API, GObject)

PcApi          *pc_api_new                           (SoupSession          *session,
                                                      const char           *base_url,
                                                      GError              **error) G_GNUC_WARN_UNUSED_RESULT;
const char     *pc_api_get_base_url                  (PcApi                *self);
void            pc_api_set_token_func                (PcApi                *self,
                                                      PcApiTokenFunc        func,
                                                      gpointer              user_data,
                                                      GDestroyNotify        destroy);
void            pc_api_set_token                     (PcApi                *self,
                                                      const char           *token);
void            pc_api_set_timeout                   (PcApi                *self,
                                                      guint                 seconds);
guint           pc_api_get_timeout                   (PcApi                *self);
void            pc_api_set_max_body_size             (PcApi                *self,
                                                      gsize                 bytes);
gsize           pc_api_get_max_body_size             (PcApi                *self);
void            pc_api_set_zone                      (PcApi                *self,
                                                      GTimeZone            *zone);
GTimeZone      *pc_api_get_zone                      (PcApi                *self);
void            pc_api_set_debug                     (PcApi                *self,
                                                      gboolean              debug);

void            pc_api_verify_credentials_async      (PcApi                *self,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
gboolean        pc_api_verify_credentials_finish     (PcApi                *self,
                                                      GAsyncResult         *result,
                                                      gint64               *user_id,
                                                      GError              **error);

void            pc_api_list_bookings_async           (PcApi                *self,
                                                      guint                 page_number,
                                                      guint                 bookings_per_page,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
PcReceivedPage *pc_api_list_bookings_finish          (PcApi                *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);

void            pc_api_list_all_bookings_async       (PcApi                *self,
                                                      guint                 bookings_per_page,
                                                      PcApiPageFunc         page_func,
                                                      gpointer              page_data,
                                                      GDestroyNotify        page_data_destroy,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
GPtrArray      *pc_api_list_all_bookings_finish      (PcApi                *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);
void            pc_api_stream_bookings_async         (PcApi                *self,
                                                      guint                 bookings_per_page,
                                                      PcApiPageFunc         page_func,
                                                      gpointer              page_data,
                                                      GDestroyNotify        page_data_destroy,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
gint            pc_api_stream_bookings_finish        (PcApi                *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);

void            pc_api_get_booking_async             (PcApi                *self,
                                                      gint64                booking_id,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
PcBooking      *pc_api_get_booking_finish            (PcApi                *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);

void            pc_api_reinvite_async                (PcApi                *self,
                                                      gint64                booking_id,
                                                      const char           *reason,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
PcBooking      *pc_api_reinvite_finish               (PcApi                *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);
gboolean        pc_api_reinvite_was_sent             (GAsyncResult         *result);

void            pc_api_accept_async                  (PcApi                *self,
                                                      gint64                booking_id,
                                                      gint64                credits,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
PcBooking      *pc_api_accept_finish                 (PcApi                *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);
void            pc_api_reject_async                  (PcApi                *self,
                                                      gint64                booking_id,
                                                      const char           *reason,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
PcBooking      *pc_api_reject_finish                 (PcApi                *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);
void            pc_api_cancel_async                  (PcApi                *self,
                                                      gint64                booking_id,
                                                      const char           *reason,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
PcBooking      *pc_api_cancel_finish                 (PcApi                *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);
void            pc_api_delete_async                  (PcApi                *self,
                                                      const gint64         *booking_ids,
                                                      guint                 n_booking_ids,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
GPtrArray      *pc_api_delete_finish                 (PcApi                *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);
gboolean        pc_api_action_was_sent               (GAsyncResult         *result);

G_END_DECLS
