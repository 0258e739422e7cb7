/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/*
 * PcHttpOutcome:
 * @status: the HTTP status, 0 when no answer came
 * @request_sent: the whole request was written, so that the server may have acted on it
 *   even though its answer is lost
 * @timed_out: the exchange was given up after the timeout (the error is then
 *   %G_IO_ERROR_CANCELLED)
 *
 * What _pc_http_send_finish() learnt besides the body, for the caller to word its errors.
 */
typedef struct
{
  guint    status;
  gboolean request_sent;
  gboolean timed_out;
} PcHttpOutcome;

gboolean  _pc_http_host_is_loopback (const char           *host);
gboolean  _pc_http_url_is_valid     (const char           *url);
gboolean  _pc_http_uri_is_protected (GUri                 *uri);

void      _pc_http_send_async       (SoupSession          *session,
                                     SoupMessage          *msg,
                                     guint                 timeout_seconds,
                                     gsize                 max_body_size,
                                     gsize                 max_error_body_size,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data);
GBytes   *_pc_http_send_finish      (GAsyncResult         *result,
                                     PcHttpOutcome        *outcome,
                                     GError              **error);

G_END_DECLS
