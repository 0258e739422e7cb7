/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "pc-application.h"
#include "pc-debug.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(PcApplication) app = NULL;

  pc_debug_startup_init ();

  setlocale (LC_ALL, "");
  /* PHONECHAT_LOCALEDIR: the catalogues of an uninstalled build (build-aux/run-demo
   * points it at the build folder's po/). */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("PHONECHAT_LOCALEDIR") != NULL
                                     ? g_getenv ("PHONECHAT_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* Also what notification servers show as the sender. */
  g_set_application_name (_("PhoneChat"));

  app = pc_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
