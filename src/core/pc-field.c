/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pc-field"

#include "config.h"

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
    case PC_FIELD_STATUS:
      g_value_set_string (value, *(char **) ptr);
      break;
    case PC_FIELD_DATETIME:
      g_value_set_boxed (value, *(GDateTime **) ptr);
      break;
    case PC_FIELD_CLIENT:
      g_value_set_object (value, *(PcClient **) ptr);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* Stores the member value at @src (of the field's C type) into @dest when it differs. */
static gboolean
store_member (gpointer       dest,
              const PcField *field,
              gconstpointer  src)
{
  switch (field->type)
    {
    case PC_FIELD_INT64:
    case PC_FIELD_CREDITS:
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
    case PC_FIELD_STATUS:
      return pc_set_str ((char **) dest, *(char * const *) src);
    case PC_FIELD_DATETIME:
      return pc_set_date_time ((GDateTime **) dest, *(GDateTime * const *) src);
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
    GDateTime  *dt;
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
    case PC_FIELD_STATUS:
      v.str = g_value_get_string (value);
      break;
    case PC_FIELD_DATETIME:
      v.dt = g_value_get_boxed (value);
      break;
    case PC_FIELD_CLIENT:
    default:
      g_assert_not_reached ();
    }

  return store_member (PC_FIELD_PTR (record, field), field, &v);
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
    case PC_FIELD_STATUS:
      return g_strcmp0 (*(char * const *) pa, *(char * const *) pb) == 0;
    case PC_FIELD_DATETIME:
      {
        GDateTime *da = *(GDateTime * const *) pa;
        GDateTime *db = *(GDateTime * const *) pb;

        if (da == NULL || db == NULL)
          return da == db;
        return g_date_time_equal (da, db);
      }
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

  return store_member (pd, field, ps);
}

void
_pc_field_clear (gpointer       record,
                 const PcField *field)
{
  gpointer ptr = PC_FIELD_PTR (record, field);

  switch (field->type)
    {
    case PC_FIELD_STRING:
    case PC_FIELD_STATUS:
      g_clear_pointer ((char **) ptr, g_free);
      break;
    case PC_FIELD_DATETIME:
      g_clear_pointer ((GDateTime **) ptr, g_date_time_unref);
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
