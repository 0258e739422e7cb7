/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The floor any libadwaita application starts from, for bench-app's start-up figure: an
 * AdwApplication (registered on the session bus, as PhoneChat is) that presents an
 * AdwApplicationWindow with a header bar and a status page, prints the moment of its
 * first frame (first-frame.h) and exits. Against tests/bench/bare-window (GTK alone), it
 * tells what libadwaita and application registration cost before PhoneChat's own window.
 */
#include <adwaita.h>

#include "first-frame.h"

static void
quit (gpointer application)
{
  g_application_quit (G_APPLICATION (application));
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
  bench_watch_first_frame (window, quit, application);
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
