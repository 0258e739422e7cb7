/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pc-field"

#include "config.h"

#include "pc-booking-private.h"
#include "pc-client-private.h"
#include "pc-field-private.h"
#include "pc-utils.h"

GParamSpec *
_pc_field_make_pspec (const PcField *field)
{
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  switch (field->type)
    {
    case PC_FIELD_INT64:
      return g_param_spec_int64 (field->prop_name, NULL, NULL, 0, G_MAXINT64, 0, flags);
    case PC_FIELD_INT:
    case PC_FIELD_METHOD:
      return g_param_spec_int (field->prop_name, NULL, NULL, G_MININT, G_MAXINT, 0, flags);
    case PC_FIELD_CREDITS:
      return g_param_spec_int64 (field->prop_name, NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
    case PC_FIELD_STRING:
    case PC_FIELD_TEXT:
    case PC_FIELD_STATUS:
      return g_param_spec_string (field->prop_name, NULL, NULL, NULL, flags);
    case PC_FIELD_DATETIME:
      return g_param_spec_boxed (field->prop_name, NULL, NULL, G_TYPE_DATE_TIME, flags);
    case PC_FIELD_CLIENT:
      /* The client is merged in place, never swapped: read-only. */
      return g_param_spec_object (field->prop_name, NULL, NULL, PC_TYPE_CLIENT,
                                  G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
    default:
      g_assert_not_reached ();
    }
}

void
_pc_field_get_value (gpointer       record,
                     const PcField *field,
                     GValue        *value)
{
  gpointer ptr = PC_FIELD_PTR (record, field);

  switch (field->type)
    {
    case PC_FIELD_INT64:
    case PC_FIELD_CREDITS:
      g_value_set_int64 (value, *(gint64 *) ptr);
      break;
    case PC_FIELD_INT:
    case PC_FIELD_METHOD:
      g_value_set_int (value, *(gint *) ptr);
      break;
    case PC_FIELD_STRING:
    case PC_FIELD_TEXT:
      g_value_set_string (value, *(char **) ptr);
      break;
    case PC_FIELD_STATUS:
      g_value_set_string (value, _pc_booking_peek_status_text (record));
      break;
    case PC_FIELD_DATETIME:
      g_value_take_boxed (value, pc_date_to_date_time (*(gint64 *) ptr));
      break;
    case PC_FIELD_CLIENT:
      g_value_set_object (value, *(PcClient **) ptr);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* Frees a string member: a GRefString but for free text, which is plain (g_free()). */
static void
free_string (const PcField *field,
             char          *value)
{
  if (field->type == PC_FIELD_TEXT)
    g_free (value);
  else if (value != NULL)
    g_ref_string_release (value);
}

/* Stores @value into the string member at @ptr when it differs: interned or not, as
 * @field says. Returns TRUE when the member changed. */
gboolean
_pc_field_store_string (char         **ptr,
                        const PcField *field,
                        const char    *value)
{
  char *copy = NULL;

  if (g_strcmp0 (*ptr, value) == 0)
    return FALSE;

  /* Copy first: @value may be the member itself. */
  if (value != NULL)
    copy = field->type == PC_FIELD_TEXT ? g_strdup (value) : g_ref_string_new_intern (value);
  free_string (field, *ptr);
  *ptr = copy;
  return TRUE;
}

/* Stores the member value at @src (of the field's C type) into @dest when it differs.
 * @src_is_member: @src is another record's member (its string a GRefString to share). */
static gboolean
store_member (gpointer       dest,
              const PcField *field,
              gconstpointer  src,
              gboolean       src_is_member)
{
  switch (field->type)
    {
    case PC_FIELD_INT64:
    case PC_FIELD_CREDITS:
    case PC_FIELD_DATETIME:
      if (*(gint64 *) dest == *(const gint64 *) src)
        return FALSE;
      *(gint64 *) dest = *(const gint64 *) src;
      return TRUE;
    case PC_FIELD_INT:
    case PC_FIELD_METHOD:
      if (*(gint *) dest == *(const gint *) src)
        return FALSE;
      *(gint *) dest = *(const gint *) src;
      return TRUE;
    case PC_FIELD_STRING:
    case PC_FIELD_TEXT:
      {
        char **member = dest;
        char *value = *(char * const *) src;

        /* Free text is each record's own: mostly unique, so a plain string without the
         * 16 bytes of a GRefString's header (100,000 bookings, two in three commented). */
        if (!src_is_member || value == NULL || field->type == PC_FIELD_TEXT)
          return _pc_field_store_string (member, field, value);
        if (g_strcmp0 (*member, value) == 0)
          return FALSE;
        /* Another record's member: share it. */
        g_ref_string_acquire (value);
        g_clear_pointer (member, g_ref_string_release);
        *member = value;
        return TRUE;
      }
    case PC_FIELD_STATUS:
    case PC_FIELD_CLIENT:
    default:
      g_assert_not_reached ();
    }
}

gboolean
_pc_field_set_value (gpointer       record,
                     const PcField *field,
                     const GValue  *value)
{
  union {
    gint64      i64;
    gint        i;
    const char *str;
  } v;

  switch (field->type)
    {
    case PC_FIELD_INT64:
    case PC_FIELD_CREDITS:
      v.i64 = g_value_get_int64 (value);
      break;
    case PC_FIELD_INT:
    case PC_FIELD_METHOD:
      v.i = g_value_get_int (value);
      break;
    case PC_FIELD_STRING:
    case PC_FIELD_TEXT:
      v.str = g_value_get_string (value);
      break;
    case PC_FIELD_STATUS:
      return _pc_booking_store_status_text (record, g_value_get_string (value));
    case PC_FIELD_DATETIME:
      v.i64 = pc_date_from_date_time (g_value_get_boxed (value));
      break;
    case PC_FIELD_CLIENT:
    default:
      g_assert_not_reached ();
    }

  return store_member (PC_FIELD_PTR (record, field), field, &v, FALSE);
}

gboolean
_pc_field_equal (gconstpointer  a,
                 gconstpointer  b,
                 const PcField *field)
{
  gconstpointer pa = PC_FIELD_PTR (a, field);
  gconstpointer pb = PC_FIELD_PTR (b, field);

  switch (field->type)
    {
    case PC_FIELD_INT64:
    case PC_FIELD_CREDITS:
      return *(const gint64 *) pa == *(const gint64 *) pb;
    case PC_FIELD_INT:
    case PC_FIELD_METHOD:
      return *(const gint *) pa == *(const gint *) pb;
    case PC_FIELD_STRING:
    case PC_FIELD_TEXT:
      return g_strcmp0 (*(char * const *) pa, *(char * const *) pb) == 0;
    case PC_FIELD_STATUS:
      return g_strcmp0 (_pc_booking_peek_status_text (a), _pc_booking_peek_status_text (b)) == 0;
    case PC_FIELD_DATETIME:
      return *(const gint64 *) pa == *(const gint64 *) pb;
    case PC_FIELD_CLIENT:
      return pc_client_equal (*(PcClient * const *) pa, *(PcClient * const *) pb);
    default:
      g_assert_not_reached ();
    }
}

gboolean
_pc_field_copy (gpointer       dest,
                gconstpointer  src,
                const PcField *field)
{
  gpointer pd = PC_FIELD_PTR (dest, field);
  gconstpointer ps = PC_FIELD_PTR (src, field);

  /* The client is merged in place, so that whoever holds it sees the change by notify. */
  if (field->type == PC_FIELD_CLIENT)
    return pc_client_update_from (*(PcClient **) pd, *(PcClient * const *) ps);
  if (field->type == PC_FIELD_STATUS)
    return _pc_booking_store_status_text (dest, _pc_booking_peek_status_text (src));

  return store_member (pd, field, ps, TRUE);
}

void
_pc_field_clear (gpointer       record,
                 const PcField *field)
{
  gpointer ptr = PC_FIELD_PTR (record, field);

  switch (field->type)
    {
    case PC_FIELD_STRING:
    case PC_FIELD_TEXT:
      free_string (field, *(char **) ptr);
      *(char **) ptr = NULL;
      break;
    case PC_FIELD_STATUS:
      _pc_booking_store_status_text (record, NULL);
      break;
    case PC_FIELD_DATETIME:
      *(gint64 *) ptr = PC_DATE_NONE;
      break;
    case PC_FIELD_CLIENT:
      g_clear_object ((PcClient **) ptr);
      break;
    case PC_FIELD_INT64:
    case PC_FIELD_INT:
    case PC_FIELD_CREDITS:
    case PC_FIELD_METHOD:
      /* Plain numbers: nothing to free. */
      break;
    default:
      g_assert_not_reached ();
    }
}
