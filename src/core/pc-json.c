/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pc-json"

#include "config.h"

#include <string.h>

#include "pc-booking-private.h"
#include "pc-client-private.h"
#include "pc-json-private.h"
#include "pc-values.h"

/* Strict reading: every member is found by name and its JSON type checked before a
 * value is stored. The first problem ends the read with a GError naming the member's
 * path, and nothing half-filled escapes. Unknown members are ignored. */

G_DEFINE_QUARK (pc-json-error-quark, pc_json_error)

void
pc_received_page_free (PcReceivedPage *page)
{
  if (page == NULL)
    return;

  g_clear_pointer (&page->bookings, g_ptr_array_unref);
  g_free (page);
}

/**
 * pc_json_get_default_zone:
 *
 * Returns: (transfer full): the API's time zone, Europe/London (UTC when the system has
 *   no time zone data)
 */
GTimeZone *
pc_json_get_default_zone (void)
{
  /* GLib 2.74 re-reads and parses the tzfile on every g_time_zone_new_identifier() call
   * (about 2 million instructions): keep the one immutable zone we need. */
  static GTimeZone *zone;

  if (g_once_init_enter (&zone))
    {
      GTimeZone *london = g_time_zone_new_identifier ("Europe/London");

      if (london == NULL)
        {
          g_warning ("No time zone data for Europe/London; reading API dates as UTC");
          london = g_time_zone_new_utc ();
        }
      g_once_init_leave (&zone, london);
    }

  return g_time_zone_ref (zone);
}

static const char *
describe_type (GType type)
{
  switch (type)
    {
    case G_TYPE_INT64:
      return "an integer";
    case G_TYPE_DOUBLE:
      return "a decimal number";
    case G_TYPE_BOOLEAN:
      return "a boolean";
    case G_TYPE_STRING:
      return "a string";
    default:
      return "a value";
    }
}

const char *
_pc_json_describe_node (JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      return "an object";
    case JSON_NODE_ARRAY:
      return "an array";
    case JSON_NODE_NULL:
      return "null";
    case JSON_NODE_VALUE:
    default:
      return describe_type (json_node_get_value_type (node));
    }
}

static void
set_member_error (GError     **error,
                  PcJsonError  code,
                  const char  *path,
                  const char  *member,
                  const char  *format,
                  ...) G_GNUC_PRINTF (5, 6);

static void
set_member_error (GError     **error,
                  PcJsonError  code,
                  const char  *path,
                  const char  *member,
                  const char  *format,
                  ...)
{
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);

  if (path != NULL && *path != '\0' && member != NULL)
    g_set_error (error, PC_JSON_ERROR, code, "%s.%s: %s", path, member, what);
  else if (path != NULL && *path != '\0')
    g_set_error (error, PC_JSON_ERROR, code, "%s: %s", path, what);
  else if (member != NULL)
    g_set_error (error, PC_JSON_ERROR, code, "%s: %s", member, what);
  else
    g_set_error (error, PC_JSON_ERROR, code, "%s", what);
}

/* Checks a member's presence (@node is NULL for a missing one) and null. Returns NULL with
 * *is_null set for an allowed null; NULL with an error for a missing or forbidden one. */
static JsonNode *
check_member (JsonNode    *node,
              const char  *path,
              const char  *member,
              gboolean     nullable,
              gboolean    *is_null,
              GError     **error)
{
  *is_null = FALSE;

  if (node == NULL)
    {
      set_member_error (error, PC_JSON_ERROR_MISSING_MEMBER, path, member, "missing");
      return NULL;
    }

  if (JSON_NODE_HOLDS_NULL (node))
    {
      if (!nullable)
        set_member_error (error, PC_JSON_ERROR_NULL_MEMBER, path, member,
                          "must not be null");
      else
        *is_null = TRUE;
      return NULL;
    }

  return node;
}

/* Looks a member up and checks it as check_member() does. */
static JsonNode *
get_member (JsonObject  *object,
            const char  *path,
            const char  *member,
            gboolean     nullable,
            gboolean    *is_null,
            GError     **error)
{
  return check_member (json_object_get_member (object, member), path, member, nullable,
                       is_null, error);
}

static gboolean
node_holds (JsonNode *node,
            GType     type)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

/* check_member(), and that the member holds a value of @value_type. */
static JsonNode *
check_value (JsonNode    *node,
             const char  *path,
             const char  *member,
             GType        value_type,
             gboolean     nullable,
             gboolean    *is_null,
             GError     **error)
{
  node = check_member (node, path, member, nullable, is_null, error);
  if (node == NULL)
    return NULL;

  if (!node_holds (node, value_type))
    {
      set_member_error (error, PC_JSON_ERROR_WRONG_TYPE, path, member, "expected %s, got %s",
                        describe_type (value_type), _pc_json_describe_node (node));
      return NULL;
    }

  return node;
}

/*
 * _pc_json_get_value:
 * @value_type: %G_TYPE_INT64, %G_TYPE_DOUBLE, %G_TYPE_BOOLEAN or %G_TYPE_STRING
 *
 * Looks a member up and checks that it holds a value of @value_type. Returns NULL with
 * *is_null set for an allowed null; NULL with an error for a missing member, a forbidden
 * null or another type.
 */
JsonNode *
_pc_json_get_value (JsonObject  *object,
                    const char  *path,
                    const char  *member,
                    GType        value_type,
                    gboolean     nullable,
                    gboolean    *is_null,
                    GError     **error)
{
  return check_value (json_object_get_member (object, member), path, member, value_type,
                      nullable, is_null, error);
}

/* json-glib 1.10 reads an integer literal too large for 64 bits as G_MAXINT64 (a negative
 * one as G_MININT64), without an error. No member of ours can hold either value, so both
 * are read as what they almost certainly are: a number that did not fit. */
static gboolean
int_overflowed (JsonNode    *node,
                const char  *path,
                const char  *member,
                GError     **error)
{
  gint64 value = json_node_get_int (node);

  if (value != G_MAXINT64 && value != G_MININT64)
    return FALSE;

  set_member_error (error, PC_JSON_ERROR_BAD_VALUE, path, member,
                    "the number does not fit in 64 bits");
  return TRUE;
}

/* @node: the member, NULL if it is missing */
static gboolean
read_int64_node (JsonNode    *node,
                 const char  *path,
                 const char  *member,
                 gint64       min,
                 gint64       max,
                 gint64      *out,
                 GError     **error)
{
  gboolean is_null;
  gint64 value;

  node = check_value (node, path, member, G_TYPE_INT64, FALSE, &is_null, error);

  if (node == NULL)
    return FALSE;

  if (int_overflowed (node, path, member, error))
    return FALSE;

  value = json_node_get_int (node);
  if (value < min || value > max)
    {
      set_member_error (error, PC_JSON_ERROR_BAD_VALUE, path, member,
                        "%" G_GINT64_FORMAT " is out of range (%" G_GINT64_FORMAT
                        " to %" G_GINT64_FORMAT ")", value, min, max);
      return FALSE;
    }

  *out = value;
  return TRUE;
}

static gboolean
read_int64 (JsonObject  *object,
            const char  *path,
            const char  *member,
            gint64       min,
            gint64       max,
            gint64      *out,
            GError     **error)
{
  return read_int64_node (json_object_get_member (object, member), path, member, min, max,
                          out, error);
}

/* @node: the member, NULL if it is missing; @out: (transfer none) */
static gboolean
read_string_node (JsonNode     *node,
                  const char   *path,
                  const char   *member,
                  gboolean      nullable,
                  const char  **out,
                  GError      **error)
{
  gboolean is_null;

  node = check_value (node, path, member, G_TYPE_STRING, nullable, &is_null, error);
  *out = node != NULL ? json_node_get_string (node) : NULL;
  return node != NULL || is_null;
}

/*
 * _pc_json_read_string:
 * @out: (out) (transfer none): the string, or %NULL for an allowed null
 */
gboolean
_pc_json_read_string (JsonObject  *object,
                      const char  *path,
                      const char  *member,
                      gboolean     nullable,
                      const char **out,
                      GError     **error)
{
  return read_string_node (json_object_get_member (object, member), path, member, nullable,
                           out, error);
}

/* A record's members (a booking's or its client's) are found in one walk over the object,
 * not looked up one by one: that would hash each of the 30 names (20 a booking's, 10 its
 * client's) again. Objects from one server have the same members written in the same
 * order, which json-glib's table then gives in the same order too, so the field each
 * member was in the last object is the first guess, checked with one comparison. A member
 * that is not where it was is looked up in the table's index; one we do not know is
 * ignored. */
#define MAX_RECORD_FIELDS  32
#define MAX_ORDER          64   /* members remembered per object */
#define NO_FIELD           0xff
G_STATIC_ASSERT (MAX_RECORD_FIELDS < NO_FIELD);

typedef struct
{
  const PcField *fields;
  guint          n_fields;
  GHashTable    *index;   /* json_name → field number + 1; read-only once built */
} FieldTable;

typedef struct
{
  guint8 field[MAX_ORDER];   /* the field at each position of the last object, or NO_FIELD */
  guint  n;
} MemberOrder;

/* What reading bookings keeps from one booking to the next. */
typedef struct
{
  PcDateReader dates;
  MemberOrder  booking_order;
  MemberOrder  client_order;
} RecordReader;

static void
record_reader_init (RecordReader *reader,
                    GTimeZone    *zone)
{
  pc_date_reader_init (&reader->dates, zone);
  reader->booking_order.n = 0;
  reader->client_order.n = 0;
}

static void
record_reader_clear (RecordReader *reader)
{
  pc_date_reader_clear (&reader->dates);
}

static void
field_table_init (FieldTable    *table,
                  const PcField *fields,
                  guint          n_fields)
{
  g_assert (n_fields <= MAX_RECORD_FIELDS);

  table->fields = fields;
  table->n_fields = n_fields;
  table->index = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < n_fields; i++)
    g_hash_table_insert (table->index, (gpointer) fields[i].json_name, GUINT_TO_POINTER (i + 1));
}

typedef enum
{
  TABLE_BOOKING,
  TABLE_CLIENT,
} TableKind;

static const FieldTable *
get_field_table (TableKind kind)
{
  static FieldTable tables[2];
  static gsize built;

  if (g_once_init_enter (&built))
    {
      const PcField *fields;
      guint n_fields;

      fields = _pc_booking_get_fields (&n_fields);
      field_table_init (&tables[TABLE_BOOKING], fields, n_fields);
      fields = _pc_client_get_fields (&n_fields);
      field_table_init (&tables[TABLE_CLIENT], fields, n_fields);
      g_once_init_leave (&built, 1);
    }

  return &tables[kind];
}

/* Sets nodes[i] to the member of @object for field i, leaving NULL where it is missing. */
static void
find_members (JsonObject       *object,
              const FieldTable *table,
              MemberOrder      *order,
              JsonNode        **nodes)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;
  guint position = 0;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &node))
    {
      guint field;

      if (position < order->n && order->field[position] != NO_FIELD &&
          strcmp (table->fields[order->field[position]].json_name, name) == 0)
        field = order->field[position];
      else
        field = GPOINTER_TO_UINT (g_hash_table_lookup (table->index, name)) - 1;

      if (field < table->n_fields)
        nodes[field] = node;
      else
        field = NO_FIELD;

      if (position < MAX_ORDER)
        order->field[position] = field;
      position++;
    }

  order->n = MIN (position, MAX_ORDER);
}

static gboolean
read_field (gpointer        record,
            const PcField  *field,
            JsonNode       *value,
            const char     *path,
            RecordReader   *reader,
            GError        **error);

static gboolean
fill_record (gpointer        record,
             TableKind       kind,
             JsonObject     *object,
             const char     *path,
             RecordReader   *reader,
             GError        **error)
{
  const FieldTable *table = get_field_table (kind);
  JsonNode *nodes[MAX_RECORD_FIELDS] = { NULL };

  find_members (object, table,
                kind == TABLE_BOOKING ? &reader->booking_order : &reader->client_order, nodes);

  /* In the table's order: the first problem reported is the same for every server. */
  for (guint i = 0; i < table->n_fields; i++)
    if (!read_field (record, &table->fields[i], nodes[i], path, reader, error))
      return FALSE;

  return TRUE;
}

/* @value: the member, NULL if it is missing */
static gboolean
read_client (PcClient      *client,
             JsonNode      *value,
             const char    *path,
             const char    *member,
             RecordReader  *reader,
             GError       **error)
{
  gboolean is_null;
  JsonNode *node = check_member (value, path, member, FALSE, &is_null, error);
  g_autofree char *client_path = NULL;

  if (node == NULL)
    return FALSE;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      set_member_error (error, PC_JSON_ERROR_NOT_OBJECT, path, member,
                        "expected an object, got %s", _pc_json_describe_node (node));
      return FALSE;
    }

  if (path != NULL && *path != '\0')
    client_path = g_strconcat (path, ".", member, NULL);
  return fill_record (client, TABLE_CLIENT, json_node_get_object (node),
                      client_path != NULL ? client_path : member, reader, error);
}

/* @value: the field's member, NULL if it is missing */
static gboolean
read_field (gpointer        record,
            const PcField  *field,
            JsonNode       *value,
            const char     *path,
            RecordReader   *reader,
            GError        **error)
{
  gpointer ptr = PC_FIELD_PTR (record, field);
  const char *member = field->json_name;

  switch (field->type)
    {
    case PC_FIELD_INT64:
      return read_int64_node (value, path, member, 0, G_MAXINT64, ptr, error);

    case PC_FIELD_INT:
    case PC_FIELD_METHOD:
      {
        gint64 number;

        if (!read_int64_node (value, path, member, field->type == PC_FIELD_INT ? 0 : G_MININT,
                              G_MAXINT, &number, error))
          return FALSE;
        *(gint *) ptr = (gint) number;
        return TRUE;
      }

    case PC_FIELD_CREDITS:
      {
        gboolean is_null;
        JsonNode *node = check_member (value, path, member, FALSE, &is_null, error);

        if (node == NULL)
          return FALSE;

        /* Amounts are never negative. */
        if (node_holds (node, G_TYPE_INT64))
          {
            gint64 whole = json_node_get_int (node);

            if (int_overflowed (node, path, member, error))
              return FALSE;
            if (whole < 0 || whole > G_MAXINT64 / PC_CREDITS_SCALE)
              {
                set_member_error (error, PC_JSON_ERROR_BAD_VALUE, path, member,
                                  "%" G_GINT64_FORMAT " is not an amount of credits", whole);
                return FALSE;
              }
            *(gint64 *) ptr = whole * PC_CREDITS_SCALE;
            return TRUE;
          }

        if (node_holds (node, G_TYPE_DOUBLE))
          {
            double amount = json_node_get_double (node);

            if (amount < 0 || !pc_credits_from_double (amount, ptr))
              {
                set_member_error (error, PC_JSON_ERROR_BAD_VALUE, path, member,
                                  "%g is not an amount of credits (at most four decimals)",
                                  amount);
                return FALSE;
              }
            return TRUE;
          }

        set_member_error (error, PC_JSON_ERROR_WRONG_TYPE, path, member,
                          "expected a number, got %s", _pc_json_describe_node (node));
        return FALSE;
      }

    case PC_FIELD_STRING:
    case PC_FIELD_TEXT:
    case PC_FIELD_STATUS:
      {
        const char *text;

        if (!read_string_node (value, path, member, field->nullable, &text, error))
          return FALSE;
        if (field->type == PC_FIELD_STATUS && *text == '\0')
          {
            set_member_error (error, PC_JSON_ERROR_BAD_VALUE, path, member, "is empty");
            return FALSE;
          }
        if (field->type == PC_FIELD_STATUS)
          _pc_booking_store_status_text (record, text);
        else
          _pc_field_store_string ((char **) ptr, field, text);
        return TRUE;
      }

    case PC_FIELD_DATETIME:
      {
        const char *text;
        const char *reason = NULL;

        if (!read_string_node (value, path, member, field->nullable, &text, error))
          {
            /* A wrong type says "expected a string": say what is really expected. */
            if (error != NULL && *error != NULL &&
                g_error_matches (*error, PC_JSON_ERROR, PC_JSON_ERROR_WRONG_TYPE))
              {
                g_clear_error (error);
                set_member_error (error, PC_JSON_ERROR_WRONG_TYPE, path, member,
                                  "expected a date string, got %s",
                                  _pc_json_describe_node (value));
              }
            return FALSE;
          }

        if (text == NULL)
          return TRUE;

        if (!pc_date_reader_parse_usec (&reader->dates, text, (gint64 *) ptr, &reason))
          {
            g_autofree char *shown = g_utf8_make_valid (text, MIN (strlen (text), 40));

            set_member_error (error, PC_JSON_ERROR_BAD_VALUE, path, member,
                              "“%s” is not a date: %s", shown, reason);
            return FALSE;
          }
        return TRUE;
      }

    case PC_FIELD_CLIENT:
      return read_client (*(PcClient **) ptr, value, path, member, reader, error);

    default:
      g_assert_not_reached ();
    }
}

static PcBooking *
booking_from_node (JsonNode      *node,
                   RecordReader  *reader,
                   const char    *path,
                   GDateTime     *now,
                   GError       **error)
{
  g_autoptr(PcBooking) booking = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      set_member_error (error, PC_JSON_ERROR_NOT_OBJECT, path, NULL,
                        "expected a booking object, got %s", _pc_json_describe_node (node));
      return NULL;
    }

  booking = pc_booking_new ();
  if (!fill_record (booking, TABLE_BOOKING, json_node_get_object (node), path, reader, error))
    return NULL;

  _pc_booking_members_set (booking, now);
  return g_steal_pointer (&booking);
}

/**
 * pc_json_booking_from_node:
 * @node: a JSON node that should hold one booking object
 * @zone: (nullable): the API's time zone for dates without one; %NULL for Europe/London
 * @path: (nullable): where @node sits, for error messages (e.g. `Bookings[2]`)
 *
 * Returns: (transfer full): the booking, or %NULL with a #PC_JSON_ERROR
 */
PcBooking *
pc_json_booking_from_node (JsonNode    *node,
                           GTimeZone   *zone,
                           const char  *path,
                           GError     **error)
{
  g_autoptr(GTimeZone) default_zone = NULL;
  g_autoptr(GDateTime) now = NULL;
  RecordReader reader;
  PcBooking *booking;

  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (zone == NULL)
    zone = default_zone = pc_json_get_default_zone ();

  now = g_date_time_new_now_utc ();
  record_reader_init (&reader, zone);
  booking = booking_from_node (node, &reader, path, now, error);
  record_reader_clear (&reader);

  return booking;
}

static const char *
skip_space (const char *p,
            const char *end)
{
  while (p < end && g_ascii_isspace (*p))
    p++;
  return p;
}

/* Finds @needle ignoring ASCII case within [hay, end). */
static const char *
find_nocase (const char *hay,
             const char *end,
             const char *needle)
{
  gsize n = strlen (needle);

  for (const char *p = hay; p + n <= end; p++)
    if (g_ascii_strncasecmp (p, needle, n) == 0)
      return p;

  return NULL;
}

/**
 * pc_json_classify_body:
 * @bytes: (nullable): a response body
 * @excerpt: (out) (optional) (nullable): for HTML, the page's title; for text, its first
 *   40 characters (valid UTF-8, one line); else %NULL
 *
 * Tells what a body is without parsing it as JSON: bodies starting with `{` or `[` (after
 * white space) are %PC_BODY_JSON, whether or not they then parse.
 */
PcBodyKind
pc_json_classify_body (GBytes  *bytes,
                       char   **excerpt)
{
  gsize len = 0;
  const char *data = bytes != NULL ? g_bytes_get_data (bytes, &len) : NULL;
  const char *end = data != NULL ? data + len : NULL;
  const char *p = data != NULL ? skip_space (data, end) : NULL;

  if (excerpt != NULL)
    *excerpt = NULL;

  if (p == NULL || p == end)
    return PC_BODY_EMPTY;

  if (*p == '{' || *p == '[')
    return PC_BODY_JSON;

  if (*p == '<')
    {
      const char *head_end = MIN (end, p + 512);

      if (find_nocase (p, head_end, "<!doctype html") == NULL &&
          find_nocase (p, head_end, "<html") == NULL)
        return PC_BODY_XML;

      if (excerpt != NULL)
        {
          const char *title = find_nocase (p, end, "<title>");
          const char *t = title != NULL ? title + strlen ("<title>") : NULL;
          const char *t_end = t != NULL ? find_nocase (t, end, "</title>") : NULL;

          if (t_end != NULL && t_end - t > 0 && t_end - t < 200)
            {
              g_autofree char *valid = g_utf8_make_valid (t, t_end - t);
              char *shown = g_strdup (g_strstrip (valid));

              if (*shown != '\0')
                *excerpt = shown;
              else
                g_free (shown);
            }
        }
      return PC_BODY_HTML;
    }

  if (excerpt != NULL)
    {
      gsize n = MIN ((gsize) (end - p), 40);
      char *valid = g_utf8_make_valid (p, n);

      for (char *c = valid; *c != '\0'; c++)
        if (*c == '\n' || *c == '\r' || *c == '\t')
          *c = ' ';
      /* A body such as “//⏎” is shown as “//”, not with a trailing space. */
      g_strchomp (valid);
      if ((gsize) (end - p) > n)
        {
          *excerpt = g_strconcat (valid, "…", NULL);
          g_free (valid);
        }
      else
        *excerpt = valid;
    }

  return PC_BODY_TEXT;
}

/* A short English description of a body that is not JSON, for logs and #PC_JSON_ERROR
 * messages, such as `an HTML page (“503 Service Unavailable”)`, `an XML document` or
 * `an empty body`. */
static char *
describe_body (GBytes *bytes)
{
  g_autofree char *excerpt = NULL;

  switch (pc_json_classify_body (bytes, &excerpt))
    {
    case PC_BODY_EMPTY:
      return g_strdup ("an empty body");
    case PC_BODY_HTML:
      return excerpt != NULL ? g_strdup_printf ("an HTML page (“%s”)", excerpt)
                             : g_strdup ("an HTML page");
    case PC_BODY_XML:
      return g_strdup ("an XML document");
    case PC_BODY_JSON:
      return g_strdup ("JSON");
    case PC_BODY_TEXT:
    default:
      return g_strdup_printf ("text that is not JSON (“%s”)", excerpt);
    }
}

/* Where the parse error of a strict parser is a JSON extension that json-glib accepts
 * outside strict mode. Only called once the lenient parser has read the same text, so the
 * text is known to be well-formed apart from comments, single-quoted strings and documents
 * after the first: this scan decides nothing, it only names the first of them for the
 * message. */
static const char *
find_json_extension (const char  *data,
                     gsize        len,
                     gsize       *offset)
{
  int depth = 0;
  gboolean root_done = FALSE;

  for (gsize i = 0; i < len; i++)
    {
      char c = data[i];

      if (c == '"')
        {
          for (i++; i < len && data[i] != '"'; i++)
            if (data[i] == '\\')
              i++;
          continue;
        }

      *offset = i;
      if (c == '/' && i + 1 < len && (data[i + 1] == '*' || data[i + 1] == '/'))
        return "it has a comment";
      if (c == '\'')
        return "it has a single-quoted string";
      if (g_ascii_isspace (c))
        continue;
      if (root_done)
        return "a second JSON document follows the first";

      if (c == '{' || c == '[')
        depth++;
      else if ((c == '}' || c == ']') && --depth == 0)
        root_done = TRUE;
    }

  return NULL;
}

/* Sets the error for a body that starts like JSON but that the strict parser refused. */
/* json-glib's description of a syntax error, at most: it quotes the body. */
#define MAX_PARSE_MESSAGE_CHARS 200

static void
set_syntax_error (const char  *data,
                  gsize        len,
                  GError      *parse_error,
                  GError     **error)
{
  g_autoptr(JsonParser) lenient = NULL;
  const char *extension = NULL;
  gsize offset = 0;

  /* json-glib's own message for this names a bracket at the limit, not the depth. */
  if (g_error_matches (parse_error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_NESTING))
    {
      g_set_error (error, PC_JSON_ERROR, PC_JSON_ERROR_SYNTAX,
                   "The body is nested more than %d levels deep",
                   JSON_PARSER_MAX_RECURSION_DEPTH);
      return;
    }

  /* json-glib words these poorly (a single-quoted member name is reported at the “{”
   * before it): when only strictness refused the body, say which extension it uses. Its
   * lenient mode does not read a line comment after a value, so such a body keeps
   * json-glib's description. */
  lenient = json_parser_new ();
  if (json_parser_load_from_data (lenient, data, (gssize) len, NULL) &&
      json_parser_get_root (lenient) != NULL)
    extension = find_json_extension (data, len, &offset);

  if (extension != NULL)
    {
      guint line = 1;
      gsize line_start = 0;

      for (gsize i = 0; i < offset; i++)
        if (data[i] == '\n')
          {
            line++;
            line_start = i + 1;
          }

      g_set_error (error, PC_JSON_ERROR, PC_JSON_ERROR_SYNTAX,
                   "The body is not valid JSON: %s (line %u, column %" G_GSIZE_FORMAT ")",
                   extension, line, offset - line_start + 1);
      return;
    }

  /* json-glib quotes the body up to the fault byte for byte, cut anywhere and as long as
   * the string it was reading: what it quotes is made valid UTF-8 and short. */
  {
    g_autofree char *valid = g_utf8_make_valid (parse_error->message, -1);

    if (g_utf8_strlen (valid, -1) > MAX_PARSE_MESSAGE_CHARS)
      {
        char *cut = g_utf8_offset_to_pointer (valid, MAX_PARSE_MESSAGE_CHARS);

        *cut = '\0';
        g_set_error (error, PC_JSON_ERROR, PC_JSON_ERROR_SYNTAX,
                     "The body is not valid JSON: %s…", valid);
        return;
      }

    g_set_error (error, PC_JSON_ERROR, PC_JSON_ERROR_SYNTAX, "The body is not valid JSON: %s",
                 valid);
  }
}

/**
 * pc_json_parse_bytes:
 *
 * Parses a body as strict JSON (RFC 8259: no comments, no single-quoted strings, one
 * document), telling a body that is not JSON at all (HTML, XML, text, nothing:
 * %PC_JSON_ERROR_NOT_JSON) from broken JSON (%PC_JSON_ERROR_SYNTAX).
 *
 * Returns: (transfer full): the root node, or %NULL with a #PC_JSON_ERROR
 */
JsonNode *
pc_json_parse_bytes (GBytes  *bytes,
                     GError **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize len = 0;
  const char *data;
  const char *first;
  JsonNode *root;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = g_bytes_get_data (bytes, &len);
  first = data != NULL ? skip_space (data, data + len) : NULL;

  /* Markup and empty bodies are recognised without a parse attempt. */
  if (first == NULL || first == data + len || *first == '<')
    {
      g_autofree char *what = describe_body (bytes);

      g_set_error (error, PC_JSON_ERROR, PC_JSON_ERROR_NOT_JSON, "The body is %s, not JSON", what);
      return NULL;
    }

  /* There is no nesting limit of our own: json-glib 1.10 refuses nesting deeper than
   * JSON_PARSER_MAX_RECURSION_DEPTH (1024) with an error, which bounds the stack the
   * recursive parser uses, and the readers below only descend as far as the members they
   * look up. Our documents are three levels deep; deeper unknown members are ignored like
   * any other unknown member.
   *
   * The tree stays mutable: page reading frees it element by element. json-glib 1.10 has
   * no loader for GBytes. */
  parser = json_parser_new ();
  json_parser_set_strict (parser, TRUE);
  if (!json_parser_load_from_data (parser, data, (gssize) len, &local_error))
    {
      if (*first == '{' || *first == '[')
        set_syntax_error (data, len, local_error, error);
      else
        {
          g_autofree char *what = describe_body (bytes);

          g_set_error (error, PC_JSON_ERROR, PC_JSON_ERROR_NOT_JSON, "The body is %s, not JSON",
                       what);
        }
      return NULL;
    }

  /* A load can succeed without a root (a lenient parser does so for a body that is only
   * white space or comments): never return NULL without an error. */
  root = json_parser_steal_root (parser);
  if (root == NULL)
    {
      g_autofree char *what = describe_body (bytes);

      g_set_error (error, PC_JSON_ERROR, PC_JSON_ERROR_NOT_JSON, "The body is %s, not JSON", what);
      return NULL;
    }

  return root;
}

/**
 * pc_json_booking_from_bytes:
 * @bytes: a body holding one booking object
 * @zone: (nullable): the API's time zone; %NULL for Europe/London
 *
 * Returns: (transfer full): the booking, or %NULL with a #PC_JSON_ERROR
 */
PcBooking *
pc_json_booking_from_bytes (GBytes     *bytes,
                            GTimeZone  *zone,
                            GError    **error)
{
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (bytes != NULL, NULL);

  root = pc_json_parse_bytes (bytes, error);
  if (root == NULL)
    return NULL;

  return pc_json_booking_from_node (root, zone, NULL, error);
}

/* The page's array is sized up front and filled from the end: on an error, the slots not
 * reached yet are still NULL. */
static void
unref_nullable (gpointer object)
{
  if (object != NULL)
    g_object_unref (object);
}

/* Pages are read from the end; a person expects the error of the first bad booking. */
static void
report_first_error (JsonArray     *array,
                    guint          failed_index,
                    const char    *array_name,
                    RecordReader  *reader,
                    GDateTime     *now,
                    GError       **error)
{
  for (guint j = 0; j < failed_index; j++)
    {
      g_autoptr(GError) earlier = NULL;
      g_autoptr(PcBooking) booking = NULL;
      char path[64];

      g_snprintf (path, sizeof path, "%s[%u]", array_name, j);
      booking = booking_from_node (json_array_get_element (array, j), reader, path, now,
                                     &earlier);
      if (booking == NULL)
        {
          if (error != NULL)
            {
              g_clear_error (error);
              *error = g_steal_pointer (&earlier);
            }
          return;
        }
    }
}

static gboolean
read_page_meta (JsonObject    *object,
                PcReceivedPage *page,
                GError       **error)
{
  struct {
    const char *name;
    gint       *out;
    gint64      min;
  } members[] = {
    { "PageCount", &page->page_count, 0 },
    { "PageNumber", &page->page_number, 0 },
    { "BookingsPerPage", &page->bookings_per_page, 0 },
    { "BookingsTotal", &page->bookings_total, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      gint64 value;

      if (!read_int64 (object, NULL, members[i].name, members[i].min, G_MAXINT, &value, error))
        return FALSE;
      *members[i].out = (gint) value;
    }

  return TRUE;
}

/**
 * pc_json_page_from_bytes:
 * @bytes: a page envelope (`PageCount`, `PageNumber`, `BookingsPerPage`, `BookingsTotal`,
 *   `Bookings`) or a bare array of bookings
 * @zone: (nullable): the API's time zone; %NULL for Europe/London
 *
 * The parse tree is released booking by booking as the models are built, so that the
 * tree and the models never both exist in full.
 *
 * Returns: (transfer full): the page, or %NULL with a #PC_JSON_ERROR
 */
PcReceivedPage *
pc_json_page_from_bytes (GBytes     *bytes,
                         GTimeZone  *zone,
                         GError    **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(PcReceivedPage) page = NULL;
  g_autoptr(GTimeZone) default_zone = NULL;
  g_autoptr(GDateTime) now = NULL;
  RecordReader reader;
  JsonArray *array;
  const char *array_name;
  guint n;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  root = pc_json_parse_bytes (bytes, error);
  if (root == NULL)
    return NULL;

  if (zone == NULL)
    zone = default_zone = pc_json_get_default_zone ();

  page = g_new0 (PcReceivedPage, 1);

  if (JSON_NODE_HOLDS_ARRAY (root))
    {
      array = json_node_get_array (root);
      array_name = "";
    }
  else if (JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *object = json_node_get_object (root);
      gboolean is_null;
      JsonNode *bookings;

      if (!read_page_meta (object, page, error))
        return NULL;

      bookings = get_member (object, NULL, "Bookings", FALSE, &is_null, error);
      if (bookings == NULL)
        return NULL;
      if (!JSON_NODE_HOLDS_ARRAY (bookings))
        {
          set_member_error (error, PC_JSON_ERROR_WRONG_TYPE, NULL, "Bookings",
                            "expected an array, got %s", _pc_json_describe_node (bookings));
          return NULL;
        }
      array = json_node_get_array (bookings);
      array_name = "Bookings";
    }
  else
    {
      set_member_error (error, PC_JSON_ERROR_NOT_OBJECT, NULL, NULL,
                        "expected a page of bookings, got %s", _pc_json_describe_node (root));
      return NULL;
    }

  n = json_array_get_length (array);
  page->bookings = g_ptr_array_new_full (n, unref_nullable);
  g_ptr_array_set_size (page->bookings, n);
  now = g_date_time_new_now_utc ();
  record_reader_init (&reader, zone);

  /* From the last element down: removing the last element of a JsonArray is O(1), and each
   * booking's subtree is freed as soon as its model exists. A booking's path (for error
   * messages) is only written out when it is bad: it is read again with it. */
  for (guint i = n; i > 0; i--)
    {
      JsonNode *element = json_array_get_element (array, i - 1);
      PcBooking *booking = booking_from_node (element, &reader, NULL, now, NULL);

      if (booking == NULL)
        {
          char path[64];

          g_snprintf (path, sizeof path, "%s[%u]", array_name, i - 1);
          booking = booking_from_node (element, &reader, path, now, error);
        }
      if (booking == NULL)
        {
          report_first_error (array, i - 1, array_name, &reader, now, error);
          record_reader_clear (&reader);
          return NULL;
        }

      g_ptr_array_index (page->bookings, i - 1) = booking;
      json_array_remove_element (array, i - 1);
    }
  record_reader_clear (&reader);

  if (page->page_count == 0 && page->page_number == 0)
    {
      /* A bare array is everything there is: one page. */
      page->page_count = 1;
      page->page_number = 1;
      page->bookings_per_page = (gint) MIN (n, (guint) G_MAXINT);
      page->bookings_total = (gint) MIN (n, (guint) G_MAXINT);
    }

  return g_steal_pointer (&page);
}

static void
write_field (gconstpointer  record,
             const PcField *field,
             JsonObject    *object,
             GTimeZone     *zone);

static JsonNode *
record_to_node (gconstpointer  record,
                const PcField *fields,
                guint          n_fields,
                GTimeZone     *zone)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  for (guint i = 0; i < n_fields; i++)
    write_field (record, &fields[i], object, zone);

  json_node_take_object (node, object);
  return node;
}

static void
write_field (gconstpointer  record,
             const PcField *field,
             JsonObject    *object,
             GTimeZone     *zone)
{
  gconstpointer ptr = PC_FIELD_PTR (record, field);
  const char *member = field->json_name;

  switch (field->type)
    {
    case PC_FIELD_INT64:
      json_object_set_int_member (object, member, *(const gint64 *) ptr);
      break;
    case PC_FIELD_INT:
    case PC_FIELD_METHOD:
      json_object_set_int_member (object, member, *(const gint *) ptr);
      break;
    case PC_FIELD_CREDITS:
      {
        gint64 credits = *(const gint64 *) ptr;

        /* Whole amounts as integers (the API's `8`), the rest as decimals (`28.5`). */
        if (credits % PC_CREDITS_SCALE == 0)
          json_object_set_int_member (object, member, credits / PC_CREDITS_SCALE);
        else
          json_object_set_double_member (object, member, pc_credits_to_double (credits));
        break;
      }
    case PC_FIELD_STRING:
    case PC_FIELD_TEXT:
    case PC_FIELD_STATUS:
      {
        const char *s = field->type == PC_FIELD_STATUS ? _pc_booking_peek_status_text (record)
                                                       : *(char * const *) ptr;

        if (s != NULL)
          json_object_set_string_member (object, member, s);
        else
          json_object_set_null_member (object, member);
        break;
      }
    case PC_FIELD_DATETIME:
      {
        g_autoptr(GDateTime) dt = pc_date_to_date_time (*(const gint64 *) ptr);

        if (dt != NULL)
          {
            g_autofree char *text = pc_datetime_format (dt, zone);

            json_object_set_string_member (object, member, text);
          }
        else
          json_object_set_null_member (object, member);
        break;
      }
    case PC_FIELD_CLIENT:
      {
        const PcField *fields;
        guint n_fields;

        fields = _pc_client_get_fields (&n_fields);
        json_object_set_member (object, member,
                                record_to_node (*(PcClient * const *) ptr, fields, n_fields,
                                                zone));
        break;
      }
    default:
      g_assert_not_reached ();
    }
}

/**
 * pc_json_booking_to_node:
 * @zone: (nullable): the API's time zone to write dates in; %NULL for Europe/London
 *
 * Returns: (transfer full): the booking with the API's member names and order
 */
JsonNode *
pc_json_booking_to_node (PcBooking *booking,
                         GTimeZone *zone)
{
  g_autoptr(GTimeZone) default_zone = NULL;
  const PcField *fields;
  guint n_fields;

  g_return_val_if_fail (PC_IS_BOOKING (booking), NULL);

  if (zone == NULL)
    zone = default_zone = pc_json_get_default_zone ();

  fields = _pc_booking_get_fields (&n_fields);
  return record_to_node (booking, fields, n_fields, zone);
}

/**
 * pc_json_bookings_to_node:
 * @bookings: (element-type PcBooking)
 *
 * Returns: (transfer full): a JSON array of bookings
 */
JsonNode *
pc_json_bookings_to_node (GPtrArray *bookings,
                          GTimeZone *zone)
{
  g_autoptr(GTimeZone) default_zone = NULL;
  JsonArray *array;
  JsonNode *node;

  g_return_val_if_fail (bookings != NULL, NULL);

  if (zone == NULL)
    zone = default_zone = pc_json_get_default_zone ();

  array = json_array_sized_new (bookings->len);
  for (guint i = 0; i < bookings->len; i++)
    json_array_add_element (array, pc_json_booking_to_node (g_ptr_array_index (bookings, i), zone));

  node = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (node, array);
  return node;
}

/**
 * pc_json_page_to_node:
 *
 * Returns: (transfer full): the page envelope with its bookings
 */
JsonNode *
pc_json_page_to_node (PcReceivedPage *page,
                      GTimeZone     *zone)
{
  JsonObject *object;
  JsonNode *node;

  g_return_val_if_fail (page != NULL, NULL);

  object = json_object_new ();
  json_object_set_int_member (object, "PageCount", page->page_count);
  json_object_set_int_member (object, "PageNumber", page->page_number);
  json_object_set_int_member (object, "BookingsPerPage", page->bookings_per_page);
  json_object_set_int_member (object, "BookingsTotal", page->bookings_total);
  json_object_set_member (object, "Bookings",
                          pc_json_bookings_to_node (page->bookings, zone));

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, object);
  return node;
}

char *
pc_json_node_to_string (JsonNode *node,
                        gboolean  pretty)
{
  g_autoptr(JsonGenerator) generator = NULL;

  g_return_val_if_fail (node != NULL, NULL);

  generator = json_generator_new ();
  json_generator_set_pretty (generator, pretty);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

/* DeleteReceivedBooking's answer */

PcDeleteResult *
pc_delete_result_new (gint64      booking_id,
                      gboolean    deleted,
                      const char *message)
{
  PcDeleteResult *result = g_new0 (PcDeleteResult, 1);

  result->booking_id = booking_id;
  result->deleted = !!deleted;
  result->message = g_strdup (message);
  return result;
}

void
pc_delete_result_free (PcDeleteResult *result)
{
  if (result == NULL)
    return;

  g_free (result->message);
  g_free (result);
}

static PcDeleteResult *
delete_result_from_node (JsonNode    *node,
                         const char  *path,
                         GError     **error)
{
  JsonObject *object;
  JsonNode *deleted;
  const char *message;
  gboolean is_null;
  gint64 id;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      set_member_error (error, PC_JSON_ERROR_NOT_OBJECT, path, NULL,
                        "expected an object, got %s", _pc_json_describe_node (node));
      return NULL;
    }

  object = json_node_get_object (node);
  if (!read_int64 (object, path, "BookingID", 1, G_MAXINT64, &id, error))
    return NULL;

  deleted = _pc_json_get_value (object, path, "Deleted", G_TYPE_BOOLEAN, FALSE, &is_null, error);
  if (deleted == NULL)
    return NULL;

  /* Documented as a string explaining a failure; null (or empty) on success. */
  if (!_pc_json_read_string (object, path, "Message", TRUE, &message, error))
    return NULL;

  return pc_delete_result_new (id, json_node_get_boolean (deleted), message);
}

/**
 * pc_json_delete_results_from_bytes:
 * @bytes: DeleteReceivedBooking's answer: an array of `{BookingID, Deleted, Message}`
 *
 * Every item is checked like a booking's members: a missing member, a wrong type or a
 * non-object fails the whole answer, naming the item (`[1].Deleted: …`).
 *
 * Returns: (transfer full) (element-type PcDeleteResult): the results in the answer's
 *   order, or %NULL with a #PC_JSON_ERROR
 */
GPtrArray *
pc_json_delete_results_from_bytes (GBytes  *bytes,
                                   GError **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) results = NULL;
  JsonArray *array;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  root = pc_json_parse_bytes (bytes, error);
  if (root == NULL)
    return NULL;

  if (!JSON_NODE_HOLDS_ARRAY (root))
    {
      set_member_error (error, PC_JSON_ERROR_WRONG_TYPE, NULL, NULL,
                        "expected an array of delete results, got %s",
                        _pc_json_describe_node (root));
      return NULL;
    }

  array = json_node_get_array (root);
  results = g_ptr_array_new_full (json_array_get_length (array),
                                  (GDestroyNotify) pc_delete_result_free);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      char path[32];
      PcDeleteResult *result;

      g_snprintf (path, sizeof path, "[%u]", i);
      result = delete_result_from_node (json_array_get_element (array, i), path, error);
      if (result == NULL)
        return NULL;
      g_ptr_array_add (results, result);
    }

  return g_steal_pointer (&results);
}

/**
 * pc_json_delete_results_to_node:
 * @results: (element-type PcDeleteResult)
 *
 * Returns: (transfer full): the array DeleteReceivedBooking answers with
 */
JsonNode *
pc_json_delete_results_to_node (GPtrArray *results)
{
  JsonArray *array;
  JsonNode *node;

  g_return_val_if_fail (results != NULL, NULL);

  array = json_array_sized_new (results->len);
  for (guint i = 0; i < results->len; i++)
    {
      PcDeleteResult *result = g_ptr_array_index (results, i);
      JsonObject *object = json_object_new ();

      json_object_set_int_member (object, "BookingID", result->booking_id);
      json_object_set_boolean_member (object, "Deleted", result->deleted);
      if (result->message != NULL)
        json_object_set_string_member (object, "Message", result->message);
      else
        json_object_set_null_member (object, "Message");
      json_array_add_object_element (array, object);
    }

  node = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (node, array);
  return node;
}

/**
 * pc_json_error_message_from_body:
 * @bytes: (nullable): an error response body
 *
 * Finds the server's own explanation in an error body: `Message`, `message`,
 * `error_description` or `error`, in that order.
 *
 * Returns: (transfer full) (nullable): the message, or %NULL if there is none
 */
char *
pc_json_error_message_from_body (GBytes *bytes)
{
  static const char * const names[] = { "Message", "message", "error_description", "error" };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;

  if (bytes == NULL)
    return NULL;

  root = pc_json_parse_bytes (bytes, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  object = json_node_get_object (root);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      JsonNode *node = json_object_get_member (object, names[i]);

      if (node != NULL && node_holds (node, G_TYPE_STRING) && *json_node_get_string (node) != '\0')
        return g_utf8_make_valid (json_node_get_string (node), -1);
    }

  return NULL;
}
