/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pc-sandbox"

#include "config.h"

#include "pc-json.h"
#include "pc-sandbox-private.h"

/* Reading requests as the API does: query parameter names and JSON body members compare
 * case-insensitively, and the token comes as "Authorization: bearer TOKEN". */

/* Query parameters with lower-case names: the API treats them case-insensitively. */
GHashTable *
_pc_sandbox_parse_query (SoupServerMessage *msg)
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

/* The body as a JSON object, or NULL when it is anything else. */
JsonNode *
_pc_sandbox_parse_body_object (SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonNode) root = NULL;

  if (body == NULL || body->length == 0)
    return NULL;

  /* Strict, as PhoneChat reads the server's answers: a body that is only a comment has
   * no root, and is refused like any other that is not an object. */
  bytes = soup_message_body_flatten (body);
  root = pc_json_parse_bytes (bytes, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  return g_steal_pointer (&root);
}

JsonNode *
_pc_sandbox_get_member_nocase (JsonObject *object,
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

gboolean
_pc_sandbox_node_is_integer (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64;
}

/* The booking a request is about, for the log: from the query or the JSON body. */
gint64
_pc_sandbox_request_booking_id (SoupServerMessage *msg)
{
  g_autoptr(GHashTable) params = _pc_sandbox_parse_query (msg);
  const char *text = g_hash_table_lookup (params, "bookingid");
  g_autoptr(JsonNode) root = NULL;
  gint64 id = 0;

  if (text != NULL && g_ascii_string_to_signed (text, 10, 1, G_MAXINT64, &id, NULL))
    return id;

  if (soup_server_message_get_method (msg) != SOUP_METHOD_POST)
    return 0;

  root = _pc_sandbox_parse_body_object (msg);
  if (root != NULL)
    {
      JsonNode *node = _pc_sandbox_get_member_nocase (json_node_get_object (root),
                                                     "BookingID");

      if (node != NULL && _pc_sandbox_node_is_integer (node) && json_node_get_int (node) > 0)
        return json_node_get_int (node);

      /* DeleteReceivedBooking: the first of its BookingIDs ("100,101,102"). */
      node = _pc_sandbox_get_member_nocase (json_node_get_object (root), "BookingIDs");
      if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
          json_node_get_value_type (node) == G_TYPE_STRING)
        {
          g_auto(GStrv) parts = g_strsplit (json_node_get_string (node), ",", 2);

          if (parts[0] != NULL &&
              g_ascii_string_to_signed (g_strstrip (parts[0]), 10, 1, G_MAXINT64, &id, NULL))
            return id;
        }
    }

  return 0;
}

gboolean
_pc_sandbox_is_authorized (PcSandbox         *self,
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
  return *token != '\0' &&
         (g_strcmp0 (token, self->token) == 0 || _pc_sandbox_oauth_accepts_token (self, token));
}
