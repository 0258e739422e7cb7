/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pc-sandbox"

#include "config.h"

#include <string.h>
#include <sys/socket.h>

#include "pc-json.h"
#include "pc-sandbox-private.h"

/* How an answer leaves the sandbox: whole, truncated on purpose (closed in order or reset),
 * or not at all (the connection is dropped or reset). Every answer is JSON, an error being
 * `{"Message": "…"}`, but for the canned bodies of pc-sandbox-faults.c. */

void
_pc_sandbox_response_clear (PcSandboxResponse *response)
{
  g_clear_pointer (&response->body, json_node_unref);
  g_clear_pointer (&response->raw_body, g_bytes_unref);
  g_clear_pointer (&response->allow, g_free);
  response->content_type = NULL;
  response->chunked = FALSE;
  response->retry_after = 0;
}

void
_pc_sandbox_response_take (PcSandboxResponse *response,
                           guint              status,
                           JsonNode          *body)
{
  _pc_sandbox_response_clear (response);
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

void
_pc_sandbox_response_set_error (PcSandboxResponse *response,
                                guint              status,
                                const char        *format,
                                ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  _pc_sandbox_response_take (response, status, message_node (message));
}

static GBytes *
response_to_bytes (PcSandboxResponse *response)
{
  char *text;

  if (response->raw_body != NULL)
    return g_bytes_ref (response->raw_body);

  if (response->body == NULL)
    return g_bytes_new_static ("", 0);

  text = pc_json_node_to_string (response->body, FALSE);
  return g_bytes_new_take (text, strlen (text));
}

static const char *
response_content_type (PcSandboxResponse *response)
{
  return response->content_type != NULL ? response->content_type : PC_SANDBOX_JSON_CONTENT_TYPE;
}

void
_pc_sandbox_response_apply (PcSandboxResponse *response,
                            SoupServerMessage *msg)
{
  g_autoptr(GBytes) body = response_to_bytes (response);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_server_message_set_status (msg, response->status, NULL);
  if (response->allow != NULL)
    soup_message_headers_replace (headers, "Allow", response->allow);
  soup_message_headers_replace (headers, "Cache-Control", "no-cache");
  if (response->retry_after > 0)
    {
      g_autofree char *seconds = g_strdup_printf ("%u", response->retry_after);

      soup_message_headers_replace (headers, "Retry-After", seconds);
    }

  if (response->chunked)
    {
      SoupMessageBody *response_body = soup_server_message_get_response_body (msg);

      soup_message_headers_replace (headers, "Content-Type", response_content_type (response));
      soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
      soup_message_body_append_bytes (response_body, body);
      soup_message_body_complete (response_body);
      return;
    }

  soup_server_message_set_response (msg, response_content_type (response), SOUP_MEMORY_COPY,
                                    g_bytes_get_data (body, NULL), g_bytes_get_size (body));
}

/* Stolen connections: truncated answers and dropped requests. */

static void
stolen_stream_closed_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!g_io_stream_close_finish (G_IO_STREAM (source), result, &error))
    g_debug ("Closing a stolen connection failed: %s", error->message);
}

/* An abortive close: with a zero linger time, closing the socket sends a TCP RST (and
 * drops whatever is still unsent) instead of ending the stream in order. */
static void
set_reset_on_close (GSocket *socket)
{
  struct linger linger = { .l_onoff = 1, .l_linger = 0 };

  if (socket == NULL ||
      setsockopt (g_socket_get_fd (socket), SOL_SOCKET, SO_LINGER, &linger, sizeof linger) != 0)
    g_debug ("Could not make a connection reset on close");
}

static void
stolen_stream_written_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GIOStream) stream = user_data;
  g_autoptr(GError) error = NULL;
  GSocket *reset_socket = g_object_get_data (G_OBJECT (stream), "pc-sandbox-reset-socket");

  /* The peer may have gone already; either way the connection closes now. */
  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    g_debug ("Writing a truncated answer failed: %s", error->message);

  if (reset_socket != NULL)
    set_reset_on_close (reset_socket);

  g_io_stream_close_async (stream, G_PRIORITY_DEFAULT, NULL, stolen_stream_closed_cb, NULL);
}

/* Sends the status line and headers with the full Content-Length, then half the body,
 * then closes, in order or with a reset: the client sees the connection end in the middle
 * of the body. */
static void
send_half (PcSandboxResponse *response,
           SoupServerMessage *msg,
           gboolean           reset)
{
  g_autoptr(GBytes) body = response_to_bytes (response);
  g_autoptr(GIOStream) stream = NULL;
  GSocket *socket = soup_server_message_get_socket (msg);
  GString *raw;
  gsize size = g_bytes_get_size (body);
  gsize half = size / 2;
  GBytes *raw_bytes;

  if (socket != NULL)
    g_object_ref (socket);
  stream = soup_server_message_steal_connection (msg);
  if (stream == NULL)
    {
      g_clear_object (&socket);
      return;
    }

  if (reset && socket != NULL)
    g_object_set_data_full (G_OBJECT (stream), "pc-sandbox-reset-socket", g_object_ref (socket),
                            g_object_unref);
  g_clear_object (&socket);

  raw = g_string_new (NULL);
  g_string_append_printf (raw, "HTTP/1.1 %u %s\r\n", response->status,
                          soup_status_get_phrase (response->status));
  g_string_append_printf (raw, "Content-Type: %s\r\n", response_content_type (response));
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

void
_pc_sandbox_response_send_truncated (PcSandboxResponse *response,
                                     SoupServerMessage *msg)
{
  send_half (response, msg, FALSE);
}

void
_pc_sandbox_response_send_reset (PcSandboxResponse *response,
                                 SoupServerMessage *msg)
{
  send_half (response, msg, TRUE);
}

/* Closes the connection without an answer. */
void
_pc_sandbox_drop_connection (SoupServerMessage *msg)
{
  g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);

  if (stream != NULL)
    g_io_stream_close_async (stream, G_PRIORITY_DEFAULT, NULL, stolen_stream_closed_cb, NULL);
}

/* Resets the connection without an answer. */
void
_pc_sandbox_reset_connection (SoupServerMessage *msg)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GIOStream) stream = NULL;

  socket = soup_server_message_get_socket (msg);
  if (socket != NULL)
    g_object_ref (socket);
  stream = soup_server_message_steal_connection (msg);
  if (stream == NULL)
    return;

  set_reset_on_close (socket);
  g_io_stream_close_async (stream, G_PRIORITY_DEFAULT, NULL, stolen_stream_closed_cb, NULL);
}
