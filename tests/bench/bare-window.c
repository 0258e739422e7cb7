/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The floor of bench-app's start-up figure: a bare GTK window of the main window's default
 * size that prints the moment of its first frame (first-frame.h) and exits. Nothing else:
 * no libadwaita, no GtkApplication, no template.
 */
#include <stdlib.h>

#include <gtk/gtk.h>

#include "first-frame.h"

static void
set_done (gpointer data)
{
  *(gboolean *) data = TRUE;
}

int
main (int   argc,
      char *argv[])
{
  GtkWidget *window;
  gboolean done = FALSE;

  gtk_init ();

  window = gtk_window_new ();
  gtk_window_set_title (GTK_WINDOW (window), "bare-window");
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  bench_watch_first_frame (window, set_done, &done);
  gtk_window_present (GTK_WINDOW (window));

  while (!done)
    g_main_context_iteration (NULL, TRUE);

  gtk_window_destroy (GTK_WINDOW (window));
  return EXIT_SUCCESS;
}
