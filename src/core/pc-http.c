/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pc-http"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pc-http-private.h"

/* The exchange PcApi and PcOAuth share: send a message, read its body within a timeout
 * and a size cap, and report what happened in neutral terms (the bytes, the status, a
 * transport error) for each caller to word in its own error domain. */

#define READ_CHUNK_SIZE (16 * 1024)
/* A GByteArray holds at most G_MAXUINT bytes; one more is read to detect the excess. */
#define MAX_BODY_SIZE   ((gsize) G_MAXUINT - 1)

typedef struct
{
  SoupMessage   *msg;
  GCancellable  *cancellable;    /* what libsoup sees: cancelled on timeout or by the caller */
  GSource       *cancel_source;  /* watches the caller's cancellable */
  GSource       *timeout_source;
  GInputStream  *stream;
  GByteArray    *body;
  guint8        *buffer;
  gsize          max_body_size;
  gsize          max_error_body_size;
  gsize          limit;
  gulong         wrote_body_id;
  gulong         got_body_data_id;
  guint64        received;       /* body bytes off the wire, before any decoding */
  goffset        declared;       /* the Content-Length, or -1 */
  PcHttpOutcome  outcome;
} Exchange;

static void
exchange_stop (Exchange *ex,
               gboolean  drop_connection)
{
  if (ex->timeout_source != NULL)
    {
      g_source_destroy (ex->timeout_source);
      g_clear_pointer (&ex->timeout_source, g_source_unref);
    }

  if (ex->cancel_source != NULL)
    {
      g_source_destroy (ex->cancel_source);
      g_clear_pointer (&ex->cancel_source, g_source_unref);
    }

  if (ex->msg != NULL)
    {
      g_clear_signal_handler (&ex->wrote_body_id, ex->msg);
      g_clear_signal_handler (&ex->got_body_data_id, ex->msg);
    }

  if (ex->stream != NULL)
    {
      /* Closing a body stream that is not at its end makes libsoup read the rest of it to
       * keep the connection. After an error, or past the cap, the connection is dropped
       * instead: cancelling first makes the close give up at once. Always asynchronous:
       * libsoup's close runs the message to its end, which may mean I/O, and this is the
       * main loop (a synchronous close of a body read to its end was measured a few
       * percent cheaper, not worth that doubt). */
      if (drop_connection)
        g_cancellable_cancel (ex->cancellable);
      g_input_stream_close_async (ex->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      g_clear_object (&ex->stream);
    }
}

static void
exchange_free (gpointer data)
{
  Exchange *ex = data;

  exchange_stop (ex, TRUE);
  g_clear_object (&ex->msg);
  g_clear_object (&ex->cancellable);
  g_clear_pointer (&ex->body, g_byte_array_unref);
  g_clear_pointer (&ex->buffer, g_free);
  g_free (ex);
}

static void
exchange_return_error (GTask    *task,
                       GError   *error,
                       gboolean  drop_connection)
{
  Exchange *ex = g_task_get_task_data (task);

  exchange_stop (ex, drop_connection);
  g_task_return_error (task, error);
}

static void
exchange_return_too_large (GTask *task)
{
  Exchange *ex = g_task_get_task_data (task);

  exchange_return_error (task,
                         g_error_new (G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                                      "The answer is over the cap of %" G_GSIZE_FORMAT
                                      " bytes", ex->limit),
                         TRUE);
}

static void
exchange_finish_body (GTask    *task,
                      gboolean  complete)
{
  Exchange *ex = g_task_get_task_data (task);

  exchange_stop (ex, !complete);
  g_task_return_pointer (task, g_byte_array_free_to_bytes (g_steal_pointer (&ex->body)),
                         (GDestroyNotify) g_bytes_unref);
}

static void exchange_read_next (GTask *task);

static void
exchange_body_read_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Exchange *ex = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gssize n;

  n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);

  if (n < 0)
    {
      /* An error status is the real answer even when its body breaks off; a success
       * whose body breaks off is no answer at all. */
      if (!SOUP_STATUS_IS_SUCCESSFUL (ex->outcome.status) &&
          !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        exchange_finish_body (task, FALSE);
      else
        exchange_return_error (task, g_steal_pointer (&error), TRUE);
      return;
    }

  if (n == 0)
    {
      /* libsoup ends a body whose connection closed before its Content-Length as if it
       * were whole. For a success that is no answer at all, as when the read fails. */
      if (SOUP_STATUS_IS_SUCCESSFUL (ex->outcome.status) && ex->declared >= 0 &&
          ex->received < (guint64) ex->declared)
        {
          g_autofree char *received = g_strdup_printf ("%" G_GUINT64_FORMAT, ex->received);
          g_autofree char *declared = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                       (gint64) ex->declared);

          exchange_return_error (task,
                                 g_error_new (G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT,
                                              /* Translators: a reason, quoted in
                                               * parentheses; both %s are numbers */
                                              _("only %s of the %s bytes of the answer "
                                                "arrived"),
                                              received, declared),
                                 TRUE);
          return;
        }

      exchange_finish_body (task, TRUE);
      return;
    }

  if ((gsize) n > ex->limit - ex->body->len)
    {
      if (SOUP_STATUS_IS_SUCCESSFUL (ex->outcome.status))
        exchange_return_too_large (task);
      else
        {
          g_byte_array_append (ex->body, ex->buffer, ex->limit - ex->body->len);
          exchange_finish_body (task, FALSE);
        }
      return;
    }

  g_byte_array_append (ex->body, ex->buffer, n);
  exchange_read_next (g_steal_pointer (&task));
}

static void
exchange_read_next (GTask *task)
{
  Exchange *ex = g_task_get_task_data (task);
  gsize left = ex->limit - ex->body->len;

  /* Read one byte past the cap at most, to know that it is exceeded. */
  g_input_stream_read_async (ex->stream, ex->buffer,
                             left < READ_CHUNK_SIZE ? left + 1 : READ_CHUNK_SIZE,
                             G_PRIORITY_DEFAULT, ex->cancellable,
                             exchange_body_read_cb, task);
}

static void
exchange_sent_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Exchange *ex = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers;

  ex->stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (ex->stream == NULL)
    {
      exchange_return_error (task, g_steal_pointer (&error), TRUE);
      return;
    }

  ex->outcome.status = soup_message_get_status (ex->msg);
  headers = soup_message_get_response_headers (ex->msg);
  /* HTTP/1 only: over HTTP/2, libsoup counts the frames' headers in the bytes received. */
  if (soup_message_get_http_version (ex->msg) != SOUP_HTTP_2_0 &&
      soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH)
    ex->declared = soup_message_headers_get_content_length (headers);

  if (SOUP_STATUS_IS_SUCCESSFUL (ex->outcome.status))
    {
      ex->limit = ex->max_body_size;

      /* Refuse a declared oversized body before reading any of it. */
      if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
          (guint64) soup_message_headers_get_content_length (headers) > ex->limit)
        {
          exchange_return_too_large (task);
          return;
        }
    }
  else
    ex->limit = ex->max_error_body_size;

  ex->body = g_byte_array_new ();
  ex->buffer = g_malloc (READ_CHUNK_SIZE);
  exchange_read_next (g_steal_pointer (&task));
}

static void
exchange_wrote_body_cb (SoupMessage *msg,
                        gpointer     user_data)
{
  Exchange *ex = user_data;

  ex->outcome.request_sent = TRUE;
}

static void
exchange_got_body_data_cb (SoupMessage *msg,
                           guint        chunk_size,
                           gpointer     user_data)
{
  Exchange *ex = user_data;

  ex->received += chunk_size;
}

static gboolean
exchange_timeout_cb (gpointer user_data)
{
  Exchange *ex = user_data;
  g_autoptr(GCancellable) cancellable = g_object_ref (ex->cancellable);

  /* Cancelling may complete the task, and free @ex, before it returns. */
  ex->outcome.timed_out = TRUE;
  g_clear_pointer (&ex->timeout_source, g_source_unref);
  g_cancellable_cancel (cancellable);

  return G_SOURCE_REMOVE;
}

static gboolean
exchange_caller_cancelled_cb (GCancellable *caller_cancellable,
                              gpointer      user_data)
{
  Exchange *ex = user_data;
  g_autoptr(GCancellable) cancellable = g_object_ref (ex->cancellable);

  g_clear_pointer (&ex->cancel_source, g_source_unref);
  g_cancellable_cancel (cancellable);

  return G_SOURCE_REMOVE;
}

/*
 * _pc_http_host_is_loopback:
 *
 * Whether @host names this computer: “localhost” or a loopback address.
 */
gboolean
_pc_http_host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (host == NULL)
    return FALSE;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;

  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/*
 * _pc_http_url_is_valid:
 *
 * Whether @url is an absolute http or https URL with a host: a server's address. One
 * with a user name or password, a query or a fragment is none: what it carries could be
 * a secret, which would then be kept and shown as the address.
 */
gboolean
_pc_http_url_is_valid (const char *url)
{
  g_autoptr(GUri) uri = NULL;
  const char *host;

  if (url == NULL)
    return FALSE;

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    return FALSE;

  /* GUri always gives the scheme in lower case. */
  host = g_uri_get_host (uri);
  return (g_str_equal (g_uri_get_scheme (uri), "https") ||
          g_str_equal (g_uri_get_scheme (uri), "http")) &&
         host != NULL && *host != '\0' &&
         g_uri_get_userinfo (uri) == NULL && g_uri_get_query (uri) == NULL &&
         g_uri_get_fragment (uri) == NULL;
}

/*
 * _pc_http_uri_is_protected:
 *
 * Whether a secret (a token, a client secret) may travel to @uri: over https, or over
 * plain http to this computer only.
 */
gboolean
_pc_http_uri_is_protected (GUri *uri)
{
  const char *scheme;

  g_return_val_if_fail (uri != NULL, FALSE);

  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return TRUE;

  return g_ascii_strcasecmp (scheme, "http") == 0 &&
         _pc_http_host_is_loopback (g_uri_get_host (uri));
}

/*
 * _pc_http_send_async:
 * @timeout_seconds: how long the whole exchange may take, or 0 for no limit of ours
 * @max_body_size: the cap on a 2xx body; a larger one fails with
 *   %G_IO_ERROR_MESSAGE_TOO_LARGE. 0 for no cap but what a GByteArray holds.
 * @max_error_body_size: how much of any other body to read (the rest is dropped), or 0
 *   for as much as @max_body_size
 *
 * Sends @msg and reads its body. The task returns the body whatever the status, or the
 * transport error as libsoup or GIO reported it: %G_IO_ERROR_CANCELLED when
 * @cancellable was cancelled or the timeout passed (see #PcHttpOutcome.timed_out), and
 * %G_IO_ERROR_PARTIAL_INPUT when the connection closed before the whole 2xx body declared
 * by its Content-Length arrived.
 *
 * The caller's cancellable is watched through a GSource rather than a "cancelled"
 * handler, so that cancelling never runs the completion inside the caller's
 * g_cancellable_cancel().
 */
void
_pc_http_send_async (SoupSession         *session,
                     SoupMessage         *msg,
                     guint                timeout_seconds,
                     gsize                max_body_size,
                     gsize                max_error_body_size,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Exchange *ex;

  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (SOUP_IS_MESSAGE (msg));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (session, cancellable, callback, user_data);
  g_task_set_source_tag (task, _pc_http_send_async);
  /* Report what happened to the exchange; the caller's own task checks its cancellable. */
  g_task_set_check_cancellable (task, FALSE);

  ex = g_new0 (Exchange, 1);
  ex->msg = g_object_ref (msg);
  ex->cancellable = g_cancellable_new ();
  ex->max_body_size = max_body_size > 0 ? MIN (max_body_size, MAX_BODY_SIZE) : MAX_BODY_SIZE;
  ex->max_error_body_size = max_error_body_size > 0 ? MIN (max_error_body_size,
                                                           ex->max_body_size)
                                                    : ex->max_body_size;
  g_task_set_task_data (task, ex, exchange_free);

  ex->declared = -1;
  ex->wrote_body_id = g_signal_connect (msg, "wrote-body",
                                        G_CALLBACK (exchange_wrote_body_cb), ex);
  /* What arrived of the body, counted as libsoup reads it off the connection. */
  ex->got_body_data_id = g_signal_connect (msg, "got-body-data",
                                           G_CALLBACK (exchange_got_body_data_cb), ex);

  if (cancellable != NULL)
    {
      ex->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (ex->cancel_source, G_SOURCE_FUNC (exchange_caller_cancelled_cb),
                             ex, NULL);
      g_source_attach (ex->cancel_source, g_task_get_context (task));
    }

  if (timeout_seconds > 0)
    {
      ex->timeout_source = g_timeout_source_new (timeout_seconds * 1000);
      g_source_set_callback (ex->timeout_source, exchange_timeout_cb, ex, NULL);
      g_source_attach (ex->timeout_source, g_task_get_context (task));
    }

  soup_session_send_async (session, msg, G_PRIORITY_DEFAULT, ex->cancellable,
                           exchange_sent_cb, g_steal_pointer (&task));
}

/*
 * _pc_http_send_finish:
 * @outcome: (out caller-allocates): the status and how the exchange ended
 *
 * Returns: (transfer full): the body (of any status), or %NULL with a transport error
 */
GBytes *
_pc_http_send_finish (GAsyncResult   *result,
                      PcHttpOutcome  *outcome,
                      GError        **error)
{
  Exchange *ex;

  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == _pc_http_send_async, NULL);
  g_return_val_if_fail (outcome != NULL, NULL);

  ex = g_task_get_task_data (G_TASK (result));
  *outcome = ex->outcome;

  return g_task_propagate_pointer (G_TASK (result), error);
}
