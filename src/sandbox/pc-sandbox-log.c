/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pc-sandbox"

#include "config.h"

#include "pc-sandbox-private.h"

/* The request log: one entry per API request received, with what became of it. Requests
 * to /_sandbox/ are not logged. */

static void
request_entry_clear (gpointer data)
{
  PcSandboxRequestEntry *entry = data;

  g_free (entry->method);
  g_free (entry->path);
  g_free (entry->fault);
}

void
_pc_sandbox_request_entry_release (gpointer entry)
{
  g_rc_box_release_full (entry, request_entry_clear);
}

static JsonNode *
request_entry_to_node (PcSandboxRequestEntry *entry)
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
  _pc_sandbox_set_nullable_string (object, "fault", entry->fault);

  json_node_take_object (node, object);
  return node;
}

static gboolean
entry_matches (PcSandboxRequestEntry *entry,
               const char            *method,
               const char            *path)
{
  return (method == NULL || g_ascii_strcasecmp (entry->method, method) == 0) &&
         (path == NULL || g_ascii_strcasecmp (entry->path, path) == 0);
}

/* Logs @msg, received for @path, and returns its entry (owned by the log). */
PcSandboxRequestEntry *
_pc_sandbox_log_request (PcSandbox         *self,
                         SoupServerMessage *msg,
                         const char        *path)
{
  PcSandboxRequestEntry *entry = g_rc_box_new0 (PcSandboxRequestEntry);

  entry->method = g_strdup (soup_server_message_get_method (msg));
  entry->path = g_strdup (path);
  entry->booking_id = _pc_sandbox_request_booking_id (msg);
  g_ptr_array_add (self->log, entry);

  return entry;
}

/* Counts the entries for @method and @path (NULL: any), and when @any_booking is FALSE,
 * only those about @booking_id. */
guint
_pc_sandbox_log_count (PcSandbox  *self,
                       const char *method,
                       const char *path,
                       gboolean    any_booking,
                       gint64      booking_id)
{
  guint count = 0;

  for (guint i = 0; i < self->log->len; i++)
    {
      PcSandboxRequestEntry *entry = g_ptr_array_index (self->log, i);

      if ((any_booking || entry->booking_id == booking_id) &&
          entry_matches (entry, method, path))
        count++;
    }

  return count;
}

JsonNode *
_pc_sandbox_log_to_node (PcSandbox *self)
{
  JsonArray *array = json_array_sized_new (self->log->len);
  JsonNode *node;

  for (guint i = 0; i < self->log->len; i++)
    json_array_add_element (array, request_entry_to_node (g_ptr_array_index (self->log, i)));

  node = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (node, array);
  return node;
}
