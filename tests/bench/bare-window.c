/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The floor of bench-app's start-up figure: a bare GTK window of the main window's default
 * size that prints CLOCK_MONOTONIC (nanoseconds) at its first frame's after-paint, as
 * "phonechat-bench|first-frame|NS", and exits. Nothing else: no libadwaita, no
 * GtkApplication, no template.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <gtk/gtk.h>

static gboolean done;

static void
after_paint_cb (GdkFrameClock *frame_clock,
                gpointer       user_data)
{
  struct timespec now;

  if (done)
    return;

  clock_gettime (CLOCK_MONOTONIC, &now);
  printf ("phonechat-bench|first-frame|%lld\n",
          (long long) now.tv_sec * 1000000000LL + now.tv_nsec);
  fflush (stdout);
  done = TRUE;
}

static void
map_cb (GtkWidget *widget,
        gpointer   user_data)
{
  g_signal_connect (gtk_widget_get_frame_clock (widget), "after-paint",
                    G_CALLBACK (after_paint_cb), NULL);
}

int
main (int   argc,
      char *argv[])
{
  GtkWidget *window;

  gtk_init ();

  window = gtk_window_new ();
  gtk_window_set_title (GTK_WINDOW (window), "bare-window");
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  g_signal_connect (window, "map", G_CALLBACK (map_cb), NULL);
  gtk_window_present (GTK_WINDOW (window));

  while (!done)
    g_main_context_iteration (NULL, TRUE);

  gtk_window_destroy (GTK_WINDOW (window));
  return EXIT_SUCCESS;
}
