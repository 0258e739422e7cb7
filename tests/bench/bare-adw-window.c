/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The floor any libadwaita application starts from, for bench-app's start-up figure: an
 * AdwApplication (registered on the session bus, as PhoneChat is) that presents an
 * AdwApplicationWindow with a header bar and a status page, and exits on its first
 * frame's after-paint, printing the moment as PhoneChat does with
 * PHONECHAT_BENCH=first-frame. Against tests/bench/bare-window (GTK alone), it tells what
 * libadwaita and application registration cost before PhoneChat's own window.
 */
#include <stdio.h>
#include <time.h>

#include <adwaita.h>

static void
after_paint_cb (GdkFrameClock  *frame_clock,
                GtkApplication *application)
{
  struct timespec now;
  static gboolean done;

  if (done)
    return;
  done = TRUE;

  clock_gettime (CLOCK_MONOTONIC, &now);
  printf ("phonechat-bench|first-frame|%lld\n",
          (long long) now.tv_sec * 1000000000LL + now.tv_nsec);
  fflush (stdout);
  g_application_quit (G_APPLICATION (application));
}

static void
map_cb (GtkWidget      *widget,
        GtkApplication *application)
{
  g_signal_connect (gtk_widget_get_frame_clock (widget), "after-paint",
                    G_CALLBACK (after_paint_cb), application);
}

static void
activate_cb (GtkApplication *application)
{
  GtkWidget *window = adw_application_window_new (application);
  GtkWidget *view = adw_toolbar_view_new ();
  GtkWidget *status = adw_status_page_new ();

  adw_status_page_set_title (ADW_STATUS_PAGE (status), "Bare Window");
  adw_toolbar_view_add_top_bar (ADW_TOOLBAR_VIEW (view), adw_header_bar_new ());
  adw_toolbar_view_set_content (ADW_TOOLBAR_VIEW (view), status);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), view);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  g_signal_connect (window, "map", G_CALLBACK (map_cb), application);
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AdwApplication) application =
    adw_application_new ("com.example.PhoneChat.BareWindow", G_APPLICATION_DEFAULT_FLAGS);

  g_signal_connect (application, "activate", G_CALLBACK (activate_cb), NULL);
  return g_application_run (G_APPLICATION (application), argc, argv);
}
