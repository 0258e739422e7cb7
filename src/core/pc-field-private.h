/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pc-types.h"

G_BEGIN_DECLS

/* The API models are flat records of typed members. Each member is described once, in a
 * table (pc-booking.c, pc-client.c), and that table drives the GObject properties, the
 * in-place merge with notify, and both directions of JSON. */
typedef enum
{
  PC_FIELD_INT64,    /* gint64 */
  PC_FIELD_INT,      /* gint */
  PC_FIELD_STRING,   /* char * */
  PC_FIELD_DATETIME, /* GDateTime * */
  PC_FIELD_CREDITS,  /* gint64, 1/10000 credits */
  PC_FIELD_STATUS,   /* char *: the raw Status text; the enum is derived */
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
