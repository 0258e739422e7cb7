/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pc-sandbox"

#include "config.h"

#include "pc-sandbox-private.h"

/* The sandbox's own endpoints, /_sandbox/requests and /_sandbox/faults: they let other
 * processes read the request log and set faults; /_sandbox/bookings makes a new booking
 * (pc-sandbox-arrivals.c). They need no token, are never faulted
 * and are not logged. */

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
      PcSandboxStatusFault *fault = g_hash_table_lookup (self->path_status, l->data);

      json_object_set_string_member (entry, "path", l->data);
      json_object_set_int_member (entry, "code", fault->code);
      json_object_set_int_member (entry, "retry_after", fault->retry_after);
      json_array_add_object_element (statuses, entry);
    }

  json_object_set_int_member (object, "latency_ms", self->latency_ms);
  json_object_set_array_member (object, "status", statuses);
  json_object_set_boolean_member (object, "truncate", self->truncate);
  json_object_set_boolean_member (object, "drop", self->drop);
  _pc_sandbox_set_nullable_string (object, "reset", _pc_sandbox_reset_to_string (self->reset));
  _pc_sandbox_set_nullable_string (object, "body",
                                   _pc_sandbox_canned_body_to_string (self->body));
  json_object_set_int_member (object, "times", self->fault_limit);

  json_node_take_object (node, object);
  return node;
}

static gboolean
read_status_fault (JsonNode    *node,
                   GHashTable  *out,
                   GError     **error)
{
  g_autoptr(GList) members = NULL;
  PcSandboxStatusFault *fault;
  JsonObject *object;
  JsonNode *path;
  JsonNode *code;
  JsonNode *retry_after;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "status must be an object {\"path\": \"/v1/…\", \"code\": 503, "
                           "\"retry_after\": 30} (retry_after optional) or an array of them.");
      return FALSE;
    }

  object = json_node_get_object (node);
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    if (!g_str_equal (l->data, "path") && !g_str_equal (l->data, "code") &&
        !g_str_equal (l->data, "retry_after"))
      {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                     "Unknown member “status.%s”: a status has path, code and retry_after.",
                     (const char *) l->data);
        return FALSE;
      }

  path = json_object_get_member (object, "path");
  code = json_object_get_member (object, "code");
  retry_after = json_object_get_member (object, "retry_after");
  if (path == NULL || !JSON_NODE_HOLDS_VALUE (path) ||
      json_node_get_value_type (path) != G_TYPE_STRING || json_node_get_string (path)[0] != '/')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "status.path must be a path such as \"/v1/PhoneChat/ReInvite\".");
      return FALSE;
    }
  if (code == NULL || !_pc_sandbox_node_is_integer (code) ||
      (json_node_get_int (code) != 0 &&
       (json_node_get_int (code) < 100 || json_node_get_int (code) > 599)))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "status.code must be an HTTP status from 100 to 599 (0 clears).");
      return FALSE;
    }

  if (retry_after != NULL &&
      (!_pc_sandbox_node_is_integer (retry_after) || json_node_get_int (retry_after) < 0 ||
       json_node_get_int (retry_after) > 86400))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "status.retry_after must be the seconds for a Retry-After header, "
                           "from 0 (no header) to 86400.");
      return FALSE;
    }

  if (json_node_get_int (code) == 0)
    return TRUE;

  fault = g_new0 (PcSandboxStatusFault, 1);
  fault->code = (guint) json_node_get_int (code);
  fault->retry_after = retry_after != NULL ? (guint) json_node_get_int (retry_after) : 0;
  g_hash_table_replace (out, g_ascii_strdown (json_node_get_string (path), -1), fault);
  return TRUE;
}

/* POST /_sandbox/faults replaces the whole fault set: members left out are off. */
static gboolean
apply_faults_json (PcSandbox  *self,
                   JsonNode   *root,
                   GError    **error)
{
  g_autoptr(GHashTable) statuses = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GList) members = NULL;
  JsonObject *object;
  gint64 latency = 0;
  gint64 times = 0;
  gboolean truncate = FALSE;
  gboolean drop = FALSE;
  PcSandboxReset reset = PC_SANDBOX_RESET_NONE;
  PcSandboxCannedBody body = PC_SANDBOX_BODY_NONE;

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

          if (!_pc_sandbox_node_is_integer (node) || json_node_get_int (node) < 0 ||
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
      else if (g_str_equal (name, "reset"))
        {
          if (!JSON_NODE_HOLDS_NULL (node) &&
              (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING ||
               !_pc_sandbox_reset_from_string (json_node_get_string (node), &reset)))
            {
              g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                                   "reset must be \"before-headers\", \"mid-body\" or null.");
              return FALSE;
            }
        }
      else if (g_str_equal (name, "body"))
        {
          if (!JSON_NODE_HOLDS_NULL (node) &&
              (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING ||
               !_pc_sandbox_canned_body_from_string (json_node_get_string (node), &body)))
            {
              g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                                   "body must be \"html\", \"xml\", \"wrong-shape\", "
                                   "\"huge-nickname\", \"oversized\" or null.");
              return FALSE;
            }
        }
      else
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "Unknown member “%s”: the faults are latency_ms, status (path, code, "
                       "retry_after), truncate, drop, reset (\"before-headers\" or "
                       "\"mid-body\"), body (\"html\", \"xml\", \"wrong-shape\", "
                       "\"huge-nickname\" or \"oversized\") and times.", name);
          return FALSE;
        }
    }

  self->latency_ms = (guint) latency;
  self->truncate = truncate;
  self->drop = drop;
  self->reset = reset;
  self->body = body;
  self->fault_limit = (guint) times;
  g_clear_pointer (&self->path_status, g_hash_table_unref);
  self->path_status = g_steal_pointer (&statuses);

  return TRUE;
}

void
_pc_sandbox_handle_control (PcSandbox         *self,
                            SoupServerMessage *msg,
                            const char        *path)
{
  const char *method = soup_server_message_get_method (msg);
  PcSandboxResponse response = { 0, };

  if (g_ascii_strcasecmp (path, "/_sandbox/requests") == 0)
    {
      if (method == SOUP_METHOD_GET || method == SOUP_METHOD_HEAD)
        _pc_sandbox_response_take (&response, SOUP_STATUS_OK, _pc_sandbox_log_to_node (self));
      else if (method == SOUP_METHOD_DELETE)
        {
          pc_sandbox_clear_requests (self);
          _pc_sandbox_response_take (&response, SOUP_STATUS_OK, _pc_sandbox_log_to_node (self));
        }
      else
        {
          _pc_sandbox_response_set_error (&response, SOUP_STATUS_METHOD_NOT_ALLOWED,
                                          "The requested resource does not support http method "
                                          "'%s'.", method);
          response.allow = g_strdup ("GET, DELETE");
        }
    }
  else if (g_ascii_strcasecmp (path, "/_sandbox/faults") == 0)
    {
      if (method == SOUP_METHOD_GET || method == SOUP_METHOD_HEAD)
        _pc_sandbox_response_take (&response, SOUP_STATUS_OK, faults_to_node (self));
      else if (method == SOUP_METHOD_POST || method == SOUP_METHOD_PUT)
        {
          g_autoptr(JsonNode) root = _pc_sandbox_parse_body_object (msg);
          g_autoptr(GError) error = NULL;

          if (root == NULL)
            _pc_sandbox_response_set_error (&response, SOUP_STATUS_BAD_REQUEST,
                                            "The body must be a JSON object such as "
                                            "{\"latency_ms\": 500}.");
          else if (!apply_faults_json (self, root, &error))
            _pc_sandbox_response_set_error (&response, SOUP_STATUS_BAD_REQUEST, "%s",
                                            error->message);
          else
            _pc_sandbox_response_take (&response, SOUP_STATUS_OK, faults_to_node (self));
        }
      else
        {
          _pc_sandbox_response_set_error (&response, SOUP_STATUS_METHOD_NOT_ALLOWED,
                                          "The requested resource does not support http method "
                                          "'%s'.", method);
          response.allow = g_strdup ("GET, POST");
        }
    }
  else if (g_ascii_strcasecmp (path, "/_sandbox/bookings") == 0)
    {
      if (method == SOUP_METHOD_POST)
        _pc_sandbox_handle_new_booking (self, msg, &response);
      else
        {
          _pc_sandbox_response_set_error (&response, SOUP_STATUS_METHOD_NOT_ALLOWED,
                                          "The requested resource does not support http method "
                                          "'%s'.", method);
          response.allow = g_strdup ("POST");
        }
    }
  else
    {
      _pc_sandbox_response_set_error (&response, SOUP_STATUS_NOT_FOUND,
                                      "No HTTP resource was found that matches the request URI "
                                      "'%s'. The sandbox's own endpoints are /_sandbox/requests, "
                                      "/_sandbox/faults and /_sandbox/bookings.", path);
    }

  _pc_sandbox_response_apply (&response, msg);
  _pc_sandbox_response_clear (&response);
}
