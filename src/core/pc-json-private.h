/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "pc-json.h"

G_BEGIN_DECLS

/* pc-json's strict readers, for the other records read from JSON (the saved account).
 * Errors are PC_JSON_ERROR and name the member as `path.member` (or `member` when @path
 * is NULL or empty); they never quote a value. */

const char *_pc_json_describe_node (JsonNode     *node);
JsonNode   *_pc_json_get_value     (JsonObject   *object,
                                    const char   *path,
                                    const char   *member,
                                    GType         value_type,
                                    gboolean      nullable,
                                    gboolean     *is_null,
                                    GError      **error);
gboolean    _pc_json_read_string   (JsonObject   *object,
                                    const char   *path,
                                    const char   *member,
                                    gboolean      nullable,
                                    const char  **out,
                                    GError      **error);

G_END_DECLS
