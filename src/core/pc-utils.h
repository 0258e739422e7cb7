/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* g_set_str() needs GLib 2.76. Returns TRUE when the string changed. */
static inline gboolean
pc_set_str (char       **str_ptr,
            const char  *new_str)
{
  char *copy;

  if (g_strcmp0 (*str_ptr, new_str) == 0)
    return FALSE;

  copy = g_strdup (new_str); /* copy first: new_str may point into *str_ptr */
  g_free (*str_ptr);
  *str_ptr = copy;
  return TRUE;
}

/* Replaces a GDateTime reference when the instant differs. NULL is a value. */
static inline gboolean
pc_set_date_time (GDateTime **dt_ptr,
                  GDateTime  *new_dt)
{
  if (*dt_ptr == new_dt)
    return FALSE;
  if (*dt_ptr != NULL && new_dt != NULL && g_date_time_equal (*dt_ptr, new_dt))
    return FALSE;

  if (new_dt != NULL)
    g_date_time_ref (new_dt);
  g_clear_pointer (dt_ptr, g_date_time_unref);
  *dt_ptr = new_dt;
  return TRUE;
}

/* A booking id as people and messages show it. */
static inline char *
pc_booking_id_to_string (gint64 booking_id)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, booking_id);
}

G_END_DECLS
