/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pc-sandbox"

#include "config.h"

#include <string.h>

#include "pc-json.h"
#include "pc-sandbox-private.h"

/* How an answer leaves the sandbox: whole, truncated on purpose, or not at all (the
 * connection is dropped). Every answer is JSON, an error being `{"Message": "…"}`. */

void
_pc_sandbox_response_clear (PcSandboxResponse *response)
{
  g_clear_pointer (&response->body, json_node_unref);
  g_clear_pointer (&response->allow, g_free);
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

  if (response->body == NULL)
    return g_bytes_new_static ("", 0);

  text = pc_json_node_to_string (response->body, FALSE);
  return g_bytes_new_take (text, strlen (text));
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
  soup_server_message_set_response (msg, PC_SANDBOX_JSON_CONTENT_TYPE, SOUP_MEMORY_COPY,
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
void
_pc_sandbox_response_send_truncated (PcSandboxResponse *response,
                                     SoupServerMessage *msg)
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
  g_string_append (raw, "Content-Type: " PC_SANDBOX_JSON_CONTENT_TYPE "\r\n");
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

/* Closes the connection without an answer. */
void
_pc_sandbox_drop_connection (SoupServerMessage *msg)
{
  g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);

  if (stream != NULL)
    g_io_stream_close_async (stream, G_PRIORITY_DEFAULT, NULL, stolen_stream_closed_cb, NULL);
}
