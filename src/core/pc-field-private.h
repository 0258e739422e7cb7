/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pc-booking.h"
#include "pc-types.h"

G_BEGIN_DECLS

/* The API models are flat records of typed members. Each member is described once, in a
 * table (pc-booking.c, pc-client.c), and that table drives the GObject properties, the
 * in-place merge with notify, and both directions of JSON. */
typedef enum
{
  PC_FIELD_INT64,    /* gint64 */
  PC_FIELD_INT,      /* gint */
  PC_FIELD_STRING,   /* char *, a GRefString, interned: text that many records repeat */
  PC_FIELD_TEXT,     /* char *, plain (g_free()): free text, mostly unique */
  PC_FIELD_DATETIME, /* gint64: Unix time in µs, PC_DATE_NONE for null */
  PC_FIELD_CREDITS,  /* gint64, 1/10000 credits */
  PC_FIELD_STATUS,   /* PcBooking's Status text (_pc_booking_store_status_text()), not at
                      * the offset; the enum is derived */
  PC_FIELD_METHOD,   /* gint: the raw Method number; the enum is derived */
  PC_FIELD_CLIENT,   /* PcClient *, merged in place */
} PcFieldType;

typedef struct
{
  const char  *json_name;
  const char  *prop_name;
  PcFieldType  type;
  gboolean     nullable;
  gsize        offset;
} PcField;

#define PC_FIELD_PTR(obj, field) ((gpointer) (((guint8 *) (obj)) + (field)->offset))

/* Memory: a received booking is kept for as long as the app runs, and an account can
 * have 100,000 of them (issue 12's budget: 100,000 in 40 MiB more than 10,000). So a date
 * is a number, not a GDateTime of its own (48 bytes of heap each, five per booking), and
 * the texts that bookings repeat (statuses, next steps, a client's nickname and numbers,
 * reasons) are reference-counted strings interned once for every record that holds the
 * same text (g_ref_string_new_intern(): they go when the last holder does). A client's
 * comments are free text, mostly unique: plain strings, each record's own. */
#define PC_DATE_NONE PC_BOOKING_NO_DATE

static inline gint64
pc_date_from_date_time (GDateTime *date_time)
{
  return date_time != NULL ? g_date_time_to_unix_usec (date_time) : PC_DATE_NONE;
}

/* Returns: (transfer full) (nullable): the date in UTC, or %NULL for %PC_DATE_NONE */
static inline GDateTime *
pc_date_to_date_time (gint64 date)
{
  return date != PC_DATE_NONE ? g_date_time_new_from_unix_utc_usec (date) : NULL;
}

gboolean    _pc_field_store_string (char         **ptr,
                                    const PcField *field,
                                    const char    *value);

GParamSpec *_pc_field_make_pspec  (const PcField *field);
void        _pc_field_get_value   (gpointer       record,
                                   const PcField *field,
                                   GValue        *value);
gboolean    _pc_field_set_value   (gpointer       record,
                                   const PcField *field,
                                   const GValue  *value);
gboolean    _pc_field_copy        (gpointer       dest,
                                   gconstpointer  src,
                                   const PcField *field);
gboolean    _pc_field_equal       (gconstpointer  a,
                                   gconstpointer  b,
                                   const PcField *field);
void        _pc_field_clear       (gpointer       record,
                                   const PcField *field);

G_END_DECLS
