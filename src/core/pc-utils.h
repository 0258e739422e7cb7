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

/* A booking id as people and messages show it. */
static inline char *
pc_booking_id_to_string (gint64 booking_id)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, booking_id);
}

G_END_DECLS
