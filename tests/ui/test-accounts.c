/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "pc-account.h"
#include "pc-application.h"
#include "pc-booking.h"
#include "pc-booking-loader.h"
#include "pc-booking-store.h"
#include "pc-clock.h"
#include "pc-preferences-dialog.h"
#include "pc-reason-drafts.h"
#include "pc-reinvite-dialog.h"
#include "pc-sandbox.h"
#include "pc-sandbox-private.h"
#include "pc-sign-in-dialog.h"
#include "pc-test-credentials.h"
#include "pc-ui-test-utils.h"
#include "pc-window.h"
#include "test-utils.h"

/* Signing in, out and again, end to end: the real PcApplication (registered on the session
 * bus of `dbus-run-session`, with a test id) with its real window and dialogs under Xvfb,
 * and an in-process PcSandbox as the custom server the user chose (the `environment` and
 * `custom-api-url` settings, in memory), which serves both the API and Unified Login.
 *
 * The keyring is libsecret's file backend, a new file for every test, so that the
 * application's PcCredentials work without a keyring daemon. The "browser" that
 * GtkUriLauncher opens is a desktop file of the test's own (the default handler of
 * http:// in a private XDG_CONFIG_HOME and XDG_DATA_HOME): it writes down the address it
 * was given and opens nothing. The test then follows the sign-in page as a browser would,
 * with a SoupSession of its own.
 *
 * With PC_TEST_SCREENSHOT_DIR set, the tests also save screenshots of the welcome page,
 * the sign-in dialog, the sign-in-again banner and the preferences there: the window at
 * 1000×700, without animations, with GNOME's close-only title buttons. For
 * data/screenshots, from the top of the source tree:
 *   build-aux/root-shell sh -c 'PC_TEST_SCREENSHOT_DIR=$PWD/data/screenshots \
 *     xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- \
 *     meson test -C _build accounts-ui'
 *
 * The demo bookings are relative to the fixed clock (2025-06-15 12:00 UTC). */

#define TEST_APP_ID    "com.example.PhoneChat.AccountsTest"
#define SCHEMA_ID      "com.example.PhoneChat"
#define REINVITE_PATH  "/v1/PhoneChat/ReInvite"
#define BOOKINGS_PATH  "/v1/PhoneChat/ReceivedBookings"
#define SECRETS_NAME   "org.freedesktop.secrets"

#define NIGHT_OWL       4817263
#define N_DEMO_BOOKINGS 12

/* Per process: the keyrings, the stand-in browser and what it was asked to open. */
static char *tmp_dir;
static char *opened_urls_path;

typedef struct
{
  char          *keyring_path;
  PcClock       *clock;
  PcSandbox     *sandbox;
  GSettings     *settings;
  SoupSession   *browser;
  guint16        redirect_port;
  GSubprocess   *bus;      /* a dbus-daemon without a Secret Service, when needed */
  PcApplication *app;
  PcWindow      *window;   /* unowned: the application's */
} Fixture;

/* Helpers */

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR) || g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_remove (path);
      return;
    }

  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      remove_tree (child);
    }
  g_rmdir (path);
}

static void
write_file (const char *path,
            const char *contents,
            int         mode)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (path, mode), ==, 0);
}

/* The default handler of http:// (and of help:, standing in for Yelp) in the test's own
 * XDG directories: a script that
 * appends the address it is given to opened_urls_path. Set up before anything reads
 * those directories. */
static void
install_browser (void)
{
  g_autofree char *config_home = g_build_filename (tmp_dir, "config", NULL);
  g_autofree char *data_home = g_build_filename (tmp_dir, "data", NULL);
  g_autofree char *script = g_build_filename (tmp_dir, "browser", NULL);
  g_autofree char *script_text = NULL;
  g_autofree char *desktop = g_build_filename (data_home, "applications",
                                               "pc-test-browser.desktop", NULL);
  g_autofree char *desktop_text = NULL;
  g_autofree char *mimeapps = g_build_filename (config_home, "mimeapps.list", NULL);

  opened_urls_path = g_build_filename (tmp_dir, "opened-urls", NULL);
  script_text = g_strdup_printf ("#!/bin/sh\nprintf '%%s\\n' \"$1\" >> '%s'\n", opened_urls_path);
  write_file (script, script_text, 0700);
  desktop_text = g_strdup_printf ("[Desktop Entry]\n"
                                  "Type=Application\n"
                                  "Name=Test Browser\n"
                                  "Exec=%s %%u\n"
                                  "MimeType=x-scheme-handler/http;x-scheme-handler/https;"
                                  "x-scheme-handler/help;\n"
                                  "NoDisplay=true\n", script);
  write_file (desktop, desktop_text, 0600);
  write_file (mimeapps,
              "[Default Applications]\n"
              "x-scheme-handler/http=pc-test-browser.desktop\n"
              "x-scheme-handler/https=pc-test-browser.desktop\n"
              "x-scheme-handler/help=pc-test-browser.desktop\n", 0600);

  g_setenv ("XDG_CONFIG_HOME", config_home, TRUE);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
}

/* What the stand-in browser was asked to open, one address a line. */
static char *
dup_opened_urls (void)
{
  char *contents = NULL;

  if (!g_file_get_contents (opened_urls_path, &contents, NULL, NULL))
    return g_strdup ("");
  return contents;
}

/* A port nothing listens on now, for the browser to come back to. */
static guint16
find_free_port (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, &error);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  guint16 port;

  g_assert_no_error (error);
  g_socket_bind (socket, any_port, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (socket, NULL);
  return port;
}

static PcWindow *
find_window (Fixture *f)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (f->app)); l != NULL; l = l->next)
    if (PC_IS_WINDOW (l->data))
      return l->data;

  return NULL;
}

static PcBookingStore *
store (Fixture *f)
{
  return pc_application_get_store (f->app);
}

static guint
n_bookings (Fixture *f)
{
  return g_list_model_get_n_items (G_LIST_MODEL (store (f)));
}

static gboolean
bookings_loaded (Fixture *f)
{
  PcBookingLoader *loader = pc_application_get_loader (f->app);

  return pc_booking_loader_get_loaded (loader) && !pc_booking_loader_get_loading (loader) &&
         pc_booking_loader_get_error (loader) == NULL && n_bookings (f) == N_DEMO_BOOKINGS;
}

static AdwDialog *
visible_dialog (Fixture *f)
{
  return adw_application_window_get_visible_dialog (ADW_APPLICATION_WINDOW (f->window));
}

static gboolean
shows_welcome (Fixture *f)
{
  return pc_ui_find_label (GTK_WIDGET (f->window), "Welcome to PhoneChat", NULL) != NULL;
}

/* The banner over the list, when it is out and its text shows. */
static AdwBanner *
revealed_banner (Fixture *f)
{
  AdwBanner *banner = ADW_BANNER (pc_ui_find_type (GTK_WIDGET (f->window), ADW_TYPE_BANNER));

  if (banner == NULL || !adw_banner_get_revealed (banner) ||
      pc_ui_find_label (GTK_WIDGET (banner), adw_banner_get_title (banner), NULL) == NULL)
    return NULL;

  return banner;
}

static gboolean
can_sign_out (Fixture *f)
{
  return g_action_group_get_action_enabled (G_ACTION_GROUP (f->app), "sign-out");
}

static void
click (GtkButton *button)
{
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (button)));
  g_signal_emit_by_name (button, "clicked");
}

static gboolean
count_frame_cb (GtkWidget     *widget,
                GdkFrameClock *frame_clock,
                gpointer       user_data)
{
  guint *frames = user_data;

  (*frames)++;
  return G_SOURCE_CONTINUE;
}

/* With PC_TEST_SCREENSHOT_DIR set, the window as it is drawn now, as @name there. */
static void
save_screenshot (Fixture    *f,
                 const char *name)
{
  const char *dir = g_getenv ("PC_TEST_SCREENSHOT_DIR");
  GtkWidget *widget = GTK_WIDGET (f->window);
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  GtkSnapshot *snapshot;
  guint frames = 0;
  guint tick_id;
  int width, height;

  if (dir == NULL || dir[0] == '\0')
    return;

  /* A few frames: layout, the dialogs' first draw, icons. */
  tick_id = gtk_widget_add_tick_callback (widget, count_frame_cb, &frames, NULL);
  PC_TEST_WAIT_UNTIL (frames >= 5);
  gtk_widget_remove_tick_callback (widget, tick_id);

  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Saved %s (%d×%d)", path, gdk_texture_get_width (texture),
                  gdk_texture_get_height (texture));
}

/* A new PhoneChat, registered as it would be at start-up; it looks for the stored
 * account in the keyring from here on. No window yet. */
static void
start_app (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  g_assert_null (f->app);
  f->app = g_object_new (PC_TYPE_APPLICATION,
                         "application-id", TEST_APP_ID,
                         "flags", G_APPLICATION_NON_UNIQUE,
                         "resource-base-path", "/com/example/PhoneChat",
                         "clock", f->clock,
                         NULL);
  g_application_register (G_APPLICATION (f->app), NULL, &error);
  g_assert_no_error (error);
}

static void
take_window (Fixture *f)
{
  f->window = find_window (f);
  g_assert_nonnull (f->window);
  if (g_getenv ("PC_TEST_SCREENSHOT_DIR") != NULL)
    /* Its widget is 10 px smaller both ways under Xvfb: 1000×700, as the other
     * screenshots in data/screenshots. */
    gtk_window_set_default_size (GTK_WINDOW (f->window), 1010, 710);
  PC_TEST_WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (f->window)));
}

/* Started from the launcher: a window at once. */
static void
launch (Fixture *f)
{
  start_app (f);
  g_application_activate (G_APPLICATION (f->app));
  take_window (f);
}

/* Ends the application of the test, so that another can start. */
static void
quit_app (Fixture *f)
{
  GList *windows;

  while ((windows = gtk_application_get_windows (GTK_APPLICATION (f->app))) != NULL)
    gtk_window_destroy (windows->data);
  f->window = NULL;
  pc_test_drain_main_context ();

  pc_ui_shut_down_application (G_APPLICATION (f->app));
  g_assert_finalize_object (g_steal_pointer (&f->app));
  pc_test_drain_main_context ();
}

static void
wait_for_welcome (Fixture *f)
{
  PC_TEST_WAIT_UNTIL (shows_welcome (f));
}

static void
wait_for_bookings (Fixture *f)
{
  PC_TEST_WAIT_UNTIL (bookings_loaded (f));
}

/* The account in the keyring file, read as the next start-up would. */
static PcAccount *
stored_account (void)
{
  g_autoptr(GError) error = NULL;
  PcAccount *account = pc_test_credentials_lookup (&error);

  g_assert_no_error (error);
  return account;
}

static void
assert_stored_account (Fixture *f)
{
  g_autoptr(PcAccount) account = stored_account ();

  g_assert_nonnull (account);
  g_assert_cmpint (pc_account_get_environment (account), ==, PC_ENVIRONMENT_CUSTOM);
  g_assert_cmpstr (pc_account_get_api_url (account), ==, pc_sandbox_get_url (f->sandbox));
  g_assert_cmpint (pc_account_get_user_id (account), ==, PC_SANDBOX_USER_ID);
  g_assert_nonnull (pc_account_get_access_token (account));
}

/* The browser: the sign-in page, which approves at once and sends the browser back to
 * PhoneChat on this computer, which should thank it with a page. Returns whether that
 * page came: PcSession lets go of the sign-in's listener as soon as it has the tokens,
 * which can cut the page off (the sign-in itself is done by then). */
static gboolean
follow_in_browser (Fixture    *f,
                   const char *url)
{
  g_autofree char *back = NULL;
  g_autofree char *nowhere = NULL;
  g_autofree char *expected = g_strdup_printf ("http://127.0.0.1:%u/callback?",
                                               f->redirect_port);
  g_autoptr(GError) error = NULL;
  guint status;

  g_assert_cmpuint (pc_test_browser_get (f->browser, url, FALSE, &back, NULL, NULL, &error), ==, SOUP_STATUS_FOUND);
  g_assert_no_error (error);
  g_assert_nonnull (back);
  g_assert_true (g_str_has_prefix (back, expected));

  status = pc_test_browser_get (f->browser, back, FALSE, &nowhere, NULL, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED))
    {
      g_test_message ("The page after signing in was cut off: %s", error->message);
      return FALSE;
    }
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, SOUP_STATUS_OK);
  g_assert_null (nowhere);
  return TRUE;
}

/* The sign-in dialog that app.sign-in has just opened. */
static PcSignInDialog *
sign_in_dialog (Fixture *f)
{
  AdwDialog *dialog = visible_dialog (f);

  g_assert_true (PC_IS_SIGN_IN_DIALOG (dialog));
  /* The sheet shows its content once it has begun to open. */
  PC_TEST_WAIT_UNTIL (pc_ui_find_label (GTK_WIDGET (dialog), "Sign In to AdultWork", NULL) != NULL);

  /* The server chosen last time: the custom one, at the sandbox's address. */
  {
    AdwActionRow *server = pc_ui_find_row (GTK_WIDGET (dialog), NULL, "Server");
    AdwEntryRow *address = pc_ui_find_entry_row (GTK_WIDGET (dialog), "Server Address");
    GtkStringObject *chosen;

    g_assert_true (ADW_IS_COMBO_ROW (server));
    chosen = adw_combo_row_get_selected_item (ADW_COMBO_ROW (server));
    g_assert_cmpstr (gtk_string_object_get_string (chosen), ==, "Custom Server");
    g_assert_nonnull (address);
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (address)), ==,
                     pc_sandbox_get_url (f->sandbox));
  }

  return PC_SIGN_IN_DIALOG (dialog);
}

/* Sets the dialog pointer at @dialog_ptr to NULL once the dialog is gone. */
static void
watch_dialog (gpointer dialog_ptr)
{
  GObject **dialog = dialog_ptr;

  g_assert_true (ADW_IS_DIALOG (*dialog));
  g_object_add_weak_pointer (*dialog, (gpointer *) dialog);
}

/* Until the dialog watched with watch_dialog() is gone, and no other is shown. */
static void
wait_for_dialog_closed (Fixture  *f,
                        gpointer  dialog_ptr)
{
  AdwDialog **dialog = dialog_ptr;

  PC_TEST_WAIT_UNTIL (*dialog == NULL && visible_dialog (f) == NULL);
}

/* Sign In With Browser in the open dialog, and the browser's part; returns once the
 * dialog has closed, with whether the browser had its page at the end. */
static gboolean
sign_in_with_browser (Fixture        *f,
                      PcSignInDialog *dialog)
{
  g_autofree char *url = NULL;
  g_autofree char *expected_line = NULL;
  g_autofree char *opened = NULL;
  g_autofree char *sign_in_page = g_strconcat (pc_sandbox_get_url (f->sandbox),
                                               "/OAuth/Authorize?", NULL);
  gboolean page_came;

  watch_dialog (&dialog);
  click (pc_ui_find_button (GTK_WIDGET (dialog), "Sign In With Browser"));

  /* The dialog waits for the browser, which was opened at the sign-in page. */
  g_assert_nonnull (pc_ui_find_label (GTK_WIDGET (dialog), "Waiting for the Browser", NULL));
  g_assert_nonnull (pc_ui_find_label (GTK_WIDGET (dialog), "Finish signing in in your browser. "
                                      "PhoneChat continues by itself.", NULL));
  g_assert_nonnull (pc_ui_find_button (GTK_WIDGET (dialog), "Open the Page Again"));
  g_assert_nonnull (pc_ui_find_button (GTK_WIDGET (dialog), "Cancel"));
  url = g_strdup (pc_sign_in_dialog_get_authorize_url (dialog));
  g_assert_nonnull (url);
  g_assert_true (g_str_has_prefix (url, sign_in_page));
  expected_line = g_strconcat (url, "\n", NULL);
  PC_TEST_WAIT_UNTIL ((g_free (opened), opened = dup_opened_urls (),
                       g_str_has_suffix (opened, expected_line)));

  page_came = follow_in_browser (f, url);
  wait_for_dialog_closed (f, &dialog);
  return page_came;
}

/* From the welcome page to the bookings, through the browser. */
static void
sign_in (Fixture *f)
{
  click (pc_ui_find_button (GTK_WIDGET (f->window), "Sign In…"));
  sign_in_with_browser (f, sign_in_dialog (f));
  wait_for_bookings (f);
}

/* Iterates until the bookings are on screen, failing at once if anything asks to sign
 * in on the way (the welcome page, a dialog, the banner). */
static void
wait_for_bookings_without_sign_in (Fixture *f)
{
  PcTestDeadline *deadline = pc_test_deadline_new (PC_TEST_WAIT_TIMEOUT_MS);

  while (f->window == NULL || !bookings_loaded (f))
    {
      if (f->window == NULL)
        f->window = find_window (f);
      if (f->window != NULL)
        {
          g_assert_false (shows_welcome (f));
          g_assert_null (visible_dialog (f));
          g_assert_null (revealed_banner (f));
          g_assert_null (pc_ui_find_button (GTK_WIDGET (f->window), "Sign In…"));
        }
      pc_test_deadline_iterate (deadline, "the stored account's bookings");
    }
  pc_test_deadline_free (deadline);
}

/* Fixture */

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  static guint n_keyrings;
  g_autoptr(GDateTime) now = pc_test_utc (2025, 6, 15, 12, 0, 0);
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) keys = NULL;
  g_autofree char *name = g_strdup_printf ("test-%u.keyring", ++n_keyrings);

  pc_ui_forget_outcomes ();

  /* A keyring of the test's own, new: libsecret opens it again after
   * secret_service_disconnect() in the previous test's teardown. */
  f->keyring_path = g_build_filename (tmp_dir, name, NULL);
  g_assert_false (g_file_test (f->keyring_path, G_FILE_TEST_EXISTS));
  g_setenv ("SECRET_FILE_TEST_PATH", f->keyring_path, TRUE);

  f->clock = pc_clock_new_fixed (now);
  f->sandbox = pc_sandbox_new (f->clock, NULL);
  pc_sandbox_load_demo (f->sandbox);
  pc_sandbox_listen (f->sandbox, 0, &error);
  g_assert_no_error (error);
  f->browser = soup_session_new ();

  /* The settings live in memory for the whole process: every test starts from the
   * defaults, then the server the user chose at an earlier sign-in. The sandbox knows
   * one OAuth client. */
  f->settings = g_settings_new (SCHEMA_ID);
  g_object_get (f->settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (f->settings, keys[i]);
  f->redirect_port = find_free_port ();
  g_settings_set_string (f->settings, "environment", "custom");
  g_settings_set_string (f->settings, "custom-api-url", pc_sandbox_get_url (f->sandbox));
  g_settings_set_string (f->settings, "client-id", PC_SANDBOX_CLIENT_ID);
  g_settings_set_value (f->settings, "redirect-port", g_variant_new_uint16 (f->redirect_port));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->app != NULL)
    quit_app (f);

  g_clear_object (&f->browser);
  pc_test_drain_main_context ();
  pc_sandbox_stop (f->sandbox);
  g_assert_finalize_object (g_steal_pointer (&f->sandbox));
  g_clear_object (&f->clock);
  g_clear_object (&f->settings);

  secret_service_disconnect ();
  g_remove (f->keyring_path);
  g_clear_pointer (&f->keyring_path, g_free);

  if (f->bus != NULL)
    {
      g_subprocess_force_exit (f->bus);
      g_subprocess_wait (f->bus, NULL, NULL);
      g_clear_object (&f->bus);
    }
}

/* Tests */

static void
test_welcome (Fixture       *f,
              gconstpointer  data)
{
  launch (f);
  wait_for_welcome (f);

  g_assert_nonnull (pc_ui_find_button (GTK_WIDGET (f->window), "Sign In…"));
  g_assert_nonnull (pc_ui_find_button (GTK_WIDGET (f->window), "Try the Demo"));
  g_assert_false (can_sign_out (f));
  /* Nothing to complain about: no keyring trouble, no sign-in that ended. */
  g_assert_null (visible_dialog (f));
  g_assert_null (revealed_banner (f));
  g_assert_cmpuint (n_bookings (f), ==, 0);
  /* Nothing was asked of the server, and nothing kept. */
  g_assert_cmpuint (pc_sandbox_count_requests (f->sandbox, NULL, NULL), ==, 0);
  g_assert_cmpuint (pc_test_raw_count (), ==, 0);

  save_screenshot (f, "welcome.png");
}

/* Whether the menu (or a section or submenu of it) has an item for @action. */
static gboolean
menu_has_action (GMenuModel *menu,
                 const char *action)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *item_action = NULL;
      g_autoptr(GMenuLinkIter) links = NULL;

      if (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_ACTION, "s", &item_action) &&
          g_str_equal (item_action, action))
        return TRUE;

      links = g_menu_model_iterate_item_links (menu, i);
      while (g_menu_link_iter_next (links))
        {
          g_autoptr(GMenuModel) link = g_menu_link_iter_get_value (links);

          if (menu_has_action (link, action))
            return TRUE;
        }
    }

  return FALSE;
}

/* Help in the main menu and on F1 opens the user guide, help:phonechat, in the desktop's
 * help viewer (here the stand-in). */
static void
test_help (Fixture       *f,
           gconstpointer  data)
{
  g_auto(GStrv) accels = NULL;
  GtkMenuButton *menu_button;
  g_autofree char *opened = NULL;
  const char *help;

  launch (f);
  wait_for_welcome (f);

  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (f->app), "app.help");
  g_assert_cmpstrv (accels, ((const char *[]) { "F1", NULL }));
  menu_button = GTK_MENU_BUTTON (pc_ui_find_type (GTK_WIDGET (f->window), GTK_TYPE_MENU_BUTTON));
  g_assert_nonnull (menu_button);
  g_assert_true (menu_has_action (gtk_menu_button_get_menu_model (menu_button), "app.help"));

  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (f->app), "help"));
  g_action_group_activate_action (G_ACTION_GROUP (f->app), "help", NULL);
  PC_TEST_WAIT_UNTIL (strstr (opened = (g_free (opened), dup_opened_urls ()), "help:") != NULL);
  /* Once, the guide of this application (the file also has other tests' addresses). */
  help = strstr (opened, "help:");
  g_assert_true (g_str_has_prefix (help, "help:phonechat\n"));
  g_assert_null (strstr (help + 1, "help:"));
}

static void
test_sign_in_browser (Fixture       *f,
                      gconstpointer  data)
{
  PcSignInDialog *dialog;
  AdwDialog *preferences;
  AdwActionRow *account_row;
  g_autofree char *user = g_strdup_printf ("User %d", PC_SANDBOX_USER_ID);
  g_autofree char *where = NULL;

  launch (f);
  wait_for_welcome (f);
  g_assert_cmpuint (pc_test_raw_count (), ==, 0);

  /* The welcome page's Sign In… is app.sign-in. */
  click (pc_ui_find_button (GTK_WIDGET (f->window), "Sign In…"));
  dialog = PC_SIGN_IN_DIALOG (visible_dialog (f));
  g_assert_true (PC_IS_SIGN_IN_DIALOG (dialog));
  watch_dialog (&dialog);
  adw_dialog_force_close (ADW_DIALOG (dialog));
  wait_for_dialog_closed (f, &dialog);

  g_action_group_activate_action (G_ACTION_GROUP (f->app), "sign-in", NULL);
  dialog = sign_in_dialog (f);
  g_assert_null (pc_sign_in_dialog_get_error_text (dialog));
  save_screenshot (f, "sign-in.png");
  /* Signed in, and the browser got its "You can close this tab" page. */
  g_assert_true (sign_in_with_browser (f, dialog));

  /* Signed in: the account is kept, the bookings come, Sign Out is there. */
  assert_stored_account (f);
  g_assert_cmpuint (pc_test_raw_count (), ==, 1);
  wait_for_bookings (f);
  g_assert_false (shows_welcome (f));
  g_assert_null (revealed_banner (f));
  g_assert_nonnull (pc_ui_find_label (GTK_WIDGET (f->window), "NightOwl_77", NULL));
  g_assert_true (can_sign_out (f));
  g_assert_cmpuint (pc_sandbox_count_requests (f->sandbox, "POST", "/OAuth/token"), ==, 1);

  /* The preferences say who is signed in, where. */
  g_action_group_activate_action (G_ACTION_GROUP (f->app), "preferences", NULL);
  preferences = visible_dialog (f);
  g_assert_true (PC_IS_PREFERENCES_DIALOG (preferences));
  PC_TEST_WAIT_UNTIL ((account_row = pc_ui_find_row (GTK_WIDGET (preferences), "Account",
                                                     user)) != NULL);
  where = g_strdup_printf ("%s (Custom Server)", pc_sandbox_get_url (f->sandbox));
  g_assert_cmpstr (adw_action_row_get_subtitle (account_row), ==, where);
  g_assert_nonnull (pc_ui_find_button (GTK_WIDGET (account_row), "Sign Out"));
  g_assert_null (pc_ui_find_button (GTK_WIDGET (account_row), "Sign In…"));
  save_screenshot (f, "preferences.png");
  watch_dialog (&preferences);
  adw_dialog_force_close (preferences);
  wait_for_dialog_closed (f, &preferences);
}

typedef enum
{
  START_LAUNCHER,     /* activate: the launcher, the command line */
  START_SHOW_WINDOW,  /* D-Bus activation, then app.show-window over D-Bus */
} StartKind;

static void
activate_action_over_dbus (Fixture    *f,
                           const char *action)
{
  GDBusConnection *connection = g_application_get_dbus_connection (G_APPLICATION (f->app));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (connection);
  /* As the shell does: org.freedesktop.Application on the application's object path. */
  g_dbus_connection_call (connection, g_dbus_connection_get_unique_name (connection),
                          g_application_get_dbus_object_path (G_APPLICATION (f->app)),
                          "org.freedesktop.Application", "ActivateAction",
                          g_variant_new ("(sava{sv})", action, NULL, NULL), NULL,
                          G_DBUS_CALL_FLAGS_NONE, -1, NULL, pc_test_store_result_cb, &result);
  PC_TEST_WAIT_UNTIL (result != NULL);
  reply = g_dbus_connection_call_finish (connection, result, &error);
  g_assert_no_error (error);
}

static void
test_restore (Fixture       *f,
              gconstpointer  data)
{
  StartKind kind = GPOINTER_TO_INT (data);
  g_autoptr(PcAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  const char *url = pc_sandbox_get_url (f->sandbox);

  /* Signed in at an earlier run, with a token the server takes. */
  account = pc_account_new (PC_ENVIRONMENT_CUSTOM, url, url, PC_SANDBOX_CLIENT_ID,
                            PC_SANDBOX_USER_ID, NULL, pc_sandbox_get_token (f->sandbox),
                            NULL, NULL);
  g_assert_true (pc_test_credentials_store (account, &error));
  g_assert_no_error (error);

  start_app (f);
  if (kind == START_SHOW_WINDOW)
    {
      /* Started as a D-Bus service: nothing shown until an action asks. */
      g_assert_null (find_window (f));
      activate_action_over_dbus (f, "show-window");
    }
  else
    g_application_activate (G_APPLICATION (f->app));

  wait_for_bookings_without_sign_in (f);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (f->window)));
  g_assert_nonnull (pc_ui_find_label (GTK_WIDGET (f->window), "NightOwl_77", NULL));
  g_assert_true (can_sign_out (f));
  g_assert_cmpuint (pc_sandbox_count_requests (f->sandbox, "GET", "/OAuth/Authorize"), ==, 0);
  /* Still stored, as it was. */
  g_assert_cmpuint (pc_test_raw_count (), ==, 1);
  assert_stored_account (f);
}

static void
test_needs_sign_in_banner (Fixture       *f,
                           gconstpointer  data)
{
  const char *reason = "Sorry I missed you — free tonight";
  PcReasonDrafts *drafts;
  PcReinviteDialog *reinvite;
  AdwBanner *banner;
  g_autofree char *kept = NULL;
  g_auto(GStrv) actions = NULL;
  guint loads;

  launch (f);
  wait_for_welcome (f);
  sign_in (f);

  /* A booking selected, a reason typed for it and the dialog closed: a draft. */
  pc_window_show_booking (f->window, NIGHT_OWL);
  g_assert_nonnull (pc_window_get_selected_booking (f->window));
  g_action_group_activate_action (G_ACTION_GROUP (f->window), "reinvite", NULL);
  reinvite = pc_window_get_reinvite_dialog (f->window);
  g_assert_nonnull (reinvite);
  pc_reinvite_dialog_set_reason (reinvite, reason);
  gtk_widget_activate_action (GTK_WIDGET (reinvite), "reinvite.cancel", NULL);
  PC_TEST_WAIT_UNTIL (pc_window_get_reinvite_dialog (f->window) == NULL);
  drafts = pc_application_get_drafts (f->app);
  g_assert_cmpstr (pc_reason_drafts_get (drafts, NIGHT_OWL), ==, reason);

  /* The server ends every sign-in it gave, the renewals too. */
  pc_sandbox_expire_tokens (f->sandbox);
  pc_sandbox_clear_requests (f->sandbox);

  /* F5: the refresh meets a 401, the renewal is refused, and the window says so over
   * the bookings it has. */
  actions = gtk_application_get_actions_for_accel (GTK_APPLICATION (f->app), "F5");
  g_assert_true (g_strv_contains ((const char * const *) actions, "win.refresh"));
  /* Refresh is disabled while anything loads: wait for it, then check it started, so
   * that a refresh that never ran says so rather than waiting for the banner. */
  PC_TEST_WAIT_UNTIL (g_action_group_get_action_enabled (G_ACTION_GROUP (f->window), "refresh"));
  g_action_group_activate_action (G_ACTION_GROUP (f->window), "refresh", NULL);
  g_assert_true (pc_booking_loader_get_loading (pc_application_get_loader (f->app)));
  PC_TEST_WAIT_UNTIL ((banner = revealed_banner (f)) != NULL &&
                      g_str_has_prefix (adw_banner_get_title (banner),
                                        "Sign in again to see new bookings"));
  g_assert_cmpstr (adw_banner_get_title (banner), ==,
                   "Sign in again to see new bookings — showing bookings from 12:00");
  g_assert_cmpuint (pc_sandbox_count_requests (f->sandbox, "POST", "/OAuth/token"), ==, 1);
  g_assert_cmpuint (n_bookings (f), ==, N_DEMO_BOOKINGS);
  g_assert_nonnull (pc_ui_find_label (GTK_WIDGET (f->window), "NightOwl_77", NULL));
  g_assert_false (shows_welcome (f));
  g_assert_cmpint (pc_booking_get_booking_id (pc_window_get_selected_booking (f->window)), ==,
                   NIGHT_OWL);
  /* Still signed in as far as the keyring goes: signing out is the user's choice. */
  g_assert_true (can_sign_out (f));
  g_assert_cmpuint (pc_test_raw_count (), ==, 1);
  save_screenshot (f, "sign-in-again.png");

  /* The banner's button signs in again. */
  loads = pc_sandbox_count_requests (f->sandbox, "GET", BOOKINGS_PATH);
  click (pc_ui_find_button (GTK_WIDGET (banner), "Sign In…"));
  sign_in_with_browser (f, sign_in_dialog (f));

  /* The banner goes, the bookings are brought up to date, and what the user was doing
   * is still there: the selection, the draft. */
  PC_TEST_WAIT_UNTIL (revealed_banner (f) == NULL && bookings_loaded (f) &&
                      pc_sandbox_count_requests (f->sandbox, "GET", BOOKINGS_PATH) > loads);
  g_assert_cmpint (pc_booking_get_booking_id (pc_window_get_selected_booking (f->window)), ==,
                   NIGHT_OWL);
  g_assert_cmpstr (pc_reason_drafts_get (drafts, NIGHT_OWL), ==, reason);
  g_action_group_activate_action (G_ACTION_GROUP (f->window), "reinvite", NULL);
  reinvite = pc_window_get_reinvite_dialog (f->window);
  g_assert_nonnull (reinvite);
  kept = pc_reinvite_dialog_dup_reason (reinvite);
  g_assert_cmpstr (kept, ==, reason);
  adw_dialog_force_close (ADW_DIALOG (reinvite));
  PC_TEST_WAIT_UNTIL (pc_window_get_reinvite_dialog (f->window) == NULL);

  /* Nothing was sent again by itself. */
  g_assert_cmpuint (pc_sandbox_count_requests (f->sandbox, "POST", REINVITE_PATH), ==, 0);
  g_assert_cmpint (pc_booking_get_status (pc_sandbox_lookup (f->sandbox, NIGHT_OWL)), ==,
                   PC_BOOKING_STATUS_PENDING);
  assert_stored_account (f);
  g_assert_cmpuint (pc_test_raw_count (), ==, 1);
}

static void
test_sign_out (Fixture       *f,
               gconstpointer  data)
{
  launch (f);
  wait_for_welcome (f);
  sign_in (f);
  g_assert_cmpuint (pc_test_raw_count (), ==, 1);
  g_assert_true (can_sign_out (f));

  g_action_group_activate_action (G_ACTION_GROUP (f->app), "sign-out", NULL);
  PC_TEST_WAIT_UNTIL (shows_welcome (f));

  g_assert_cmpuint (pc_test_raw_count (), ==, 0);
  g_assert_cmpuint (n_bookings (f), ==, 0);
  g_assert_null (pc_ui_find_label (GTK_WIDGET (f->window), "NightOwl_77", NULL));
  g_assert_nonnull (pc_ui_find_label (GTK_WIDGET (f->window), "Signed out", NULL));
  g_assert_nonnull (pc_ui_find_button (GTK_WIDGET (f->window), "Sign In…"));
  g_assert_null (revealed_banner (f));
  g_assert_false (can_sign_out (f));

  /* The next start-up finds nobody. */
  quit_app (f);
  launch (f);
  wait_for_welcome (f);
  g_assert_false (can_sign_out (f));
}

static void
test_token_pasted (Fixture       *f,
                   gconstpointer  data)
{
  PcSignInDialog *dialog;
  AdwEntryRow *token_row;
  GtkLabel *error_label;
  GtkLabel *details_label;
  const char *expected = "The server refused this sign-in. An access token must be current "
                         "and allow PhoneChat bookings.";

  launch (f);
  wait_for_welcome (f);
  g_action_group_activate_action (G_ACTION_GROUP (f->app), "sign-in", NULL);
  dialog = sign_in_dialog (f);
  token_row = pc_ui_find_entry_row (GTK_WIDGET (dialog), "Access Token");
  g_assert_true (ADW_IS_PASSWORD_ENTRY_ROW (token_row));

  /* A wrong token: refused by the server, said in the dialog, which stays as it was. */
  gtk_editable_set_text (GTK_EDITABLE (token_row), "not-a-token");
  g_signal_emit_by_name (token_row, "apply");
  PC_TEST_WAIT_UNTIL (pc_sign_in_dialog_get_error_text (dialog) != NULL);
  g_assert_cmpstr (pc_sign_in_dialog_get_error_text (dialog), ==, expected);
  error_label = pc_ui_find_label (GTK_WIDGET (dialog), expected, "error");
  g_assert_nonnull (error_label);
  /* The API client's own message goes below it, smaller, not in it. */
  details_label = pc_ui_find_label_by_class (GTK_WIDGET (dialog), "caption");
  g_assert_nonnull (details_label);
  g_assert_cmpstr (gtk_label_get_text (details_label), !=, expected);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (details_label), "dim-label"));
  g_assert_true (visible_dialog (f) == ADW_DIALOG (dialog));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (token_row)), ==, "not-a-token");
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (token_row)));
  g_assert_cmpuint (pc_test_raw_count (), ==, 0);
  g_assert_false (can_sign_out (f));
  g_assert_true (shows_welcome (f));

  /* A good one: signed in. */
  gtk_editable_set_text (GTK_EDITABLE (token_row), pc_sandbox_get_token (f->sandbox));
  watch_dialog (&dialog);
  g_signal_emit_by_name (token_row, "apply");
  wait_for_dialog_closed (f, &dialog);
  wait_for_bookings (f);
  assert_stored_account (f);
  {
    g_autoptr(PcAccount) account = stored_account ();

    g_assert_cmpstr (pc_account_get_access_token (account), ==, pc_sandbox_get_token (f->sandbox));
    /* A pasted token cannot be renewed. */
    g_assert_null (pc_account_get_refresh_token (account));
  }
  g_assert_true (can_sign_out (f));
  g_assert_cmpuint (pc_sandbox_count_requests (f->sandbox, NULL, "/OAuth/token"), ==, 0);
}

/* A dbus-daemon of the test's own, with no service directories: nothing can be started
 * on it. Returns its address. (Not GTestDBus, which points this process at it and
 * unsets DISPLAY, and waits for this process's own connection to go when it is freed.) */
static char *
start_bus (Fixture *f)
{
  g_autofree char *config = g_build_filename (tmp_dir, "bus.conf", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  char *address;

  write_file (config,
              "<busconfig>\n"
              "  <type>session</type>\n"
              "  <listen>unix:tmpdir=/tmp</listen>\n"
              "  <policy context=\"default\">\n"
              "    <allow send_destination=\"*\" eavesdrop=\"true\"/>\n"
              "    <allow eavesdrop=\"true\"/>\n"
              "    <allow own=\"*\"/>\n"
              "  </policy>\n"
              "</busconfig>\n", 0600);
  f->bus = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, "dbus-daemon",
                             "--config-file", config, "--nofork", "--print-address=1",
                             NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (f->bus));
  address = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (address);
  return address;
}

static gboolean
strv_has (GVariant   *names,
          const char *name)
{
  g_autofree const char **strv = g_variant_get_strv (names, NULL);

  return g_strv_contains (strv, name);
}

static void
test_keyring_unavailable (Fixture       *f,
                          gconstpointer  data)
{
  GDBusConnection *connection;
  g_autoptr(GVariant) names = NULL;
  g_autoptr(GVariant) activatable = NULL;
  g_autoptr(GError) error = NULL;
  AdwDialog *alert;
  const char *body;

  /* libsecret's own backend, on a bus where nothing owns or could start a Secret Service
   * (the suite's bus can start gnome-keyring-daemon in the build root). A process keeps
   * the session bus it first used, and GTK and libadwaita use it at start-up: the test
   * runs in a process of its own, started on that bus. */
  if (!g_test_subprocess ())
    {
      g_autofree char *address = NULL;
      g_auto(GStrv) envp = NULL;

      address = start_bus (f);
      envp = g_environ_setenv (g_get_environ (), "DBUS_SESSION_BUS_ADDRESS", address, TRUE);
      g_test_trap_subprocess_with_envp (NULL, (const char * const *) envp, 0,
                                        G_TEST_SUBPROCESS_INHERIT_STDOUT |
                                        G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }

  g_unsetenv ("SECRET_BACKEND");
  g_unsetenv ("SECRET_FILE_TEST_PATH");

  start_app (f);
  connection = g_application_get_dbus_connection (G_APPLICATION (f->app));
  g_assert_nonnull (connection);
  names = g_dbus_connection_call_sync (connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "ListNames", NULL,
                                       G_VARIANT_TYPE ("(as)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL,
                                       &error);
  g_assert_no_error (error);
  activatable = g_dbus_connection_call_sync (connection, "org.freedesktop.DBus",
                                             "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                             "ListActivatableNames", NULL,
                                             G_VARIANT_TYPE ("(as)"), G_DBUS_CALL_FLAGS_NONE,
                                             -1, NULL, &error);
  g_assert_no_error (error);
  {
    g_autoptr(GVariant) list = g_variant_get_child_value (names, 0);
    g_autoptr(GVariant) can_start = g_variant_get_child_value (activatable, 0);

    g_assert_false (strv_has (list, SECRETS_NAME));
    g_assert_false (strv_has (can_start, SECRETS_NAME));
  }

  g_application_activate (G_APPLICATION (f->app));
  take_window (f);

  /* Start-up says what is wrong in a dialog, over the welcome page. */
  PC_TEST_WAIT_UNTIL (ADW_IS_ALERT_DIALOG (visible_dialog (f)));
  alert = visible_dialog (f);
  g_assert_cmpstr (adw_alert_dialog_get_heading (ADW_ALERT_DIALOG (alert)), ==, "No Keyring");
  body = adw_alert_dialog_get_body (ADW_ALERT_DIALOG (alert));
  g_assert_true (g_str_has_prefix (body, "No keyring service is running, so PhoneChat cannot "
                                         "keep or find your sign-in. Nothing was deleted."));
  g_assert_true (shows_welcome (f));
  g_assert_false (can_sign_out (f));
  /* Shown once the sheet has begun to open. */
  PC_TEST_WAIT_UNTIL (pc_ui_find_label (GTK_WIDGET (alert), "No Keyring", NULL) != NULL);

  /* Closed, the welcome page is there to use: the demo works without a keyring. */
  watch_dialog (&alert);
  click (pc_ui_find_button (GTK_WIDGET (alert), "Close"));
  wait_for_dialog_closed (f, &alert);
  g_assert_true (shows_welcome (f));
  click (pc_ui_find_button (GTK_WIDGET (f->window), "Try the Demo"));
  PC_TEST_WAIT_UNTIL (!shows_welcome (f) && n_bookings (f) > 0 &&
                      pc_ui_find_label (GTK_WIDGET (f->window), "NightOwl_77", NULL) != NULL);
  g_assert_null (visible_dialog (f));
}

/* The settings hold no secret ------------------------------------------------------- */

/* Every key of every PhoneChat schema, as "SCHEMA KEY=VALUE" lines. */
static char *
dup_all_settings (guint *n_keys)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_auto(GStrv) schemas = NULL;
  GString *all = g_string_new (NULL);

  *n_keys = 0;
  g_settings_schema_source_list_schemas (source, TRUE, &schemas, NULL);
  for (guint i = 0; schemas[i] != NULL; i++)
    {
      g_autoptr(GSettingsSchema) schema = NULL;
      g_autoptr(GSettings) settings = NULL;
      g_auto(GStrv) keys = NULL;

      if (!g_str_has_prefix (schemas[i], SCHEMA_ID))
        continue;

      schema = g_settings_schema_source_lookup (source, schemas[i], TRUE);
      settings = g_settings_new_full (schema, NULL, NULL);
      keys = g_settings_schema_list_keys (schema);
      for (guint j = 0; keys[j] != NULL; j++)
        {
          g_autoptr(GVariant) value = g_settings_get_value (settings, keys[j]);
          g_autofree char *text = g_variant_print (value, FALSE);

          g_string_append_printf (all, "%s %s=%s\n", schemas[i], keys[j], text);
          (*n_keys)++;
        }
    }

  return g_string_free (all, FALSE);
}

static void
assert_settings_hold_none_of (Fixture   *f,
                              GPtrArray *secrets)
{
  g_autofree char *settings = NULL;
  g_autofree char *where = g_strdup_printf ("custom-api-url='%s'",
                                            pc_sandbox_get_url (f->sandbox));
  guint n_keys;

  settings = dup_all_settings (&n_keys);
  g_test_message ("%s", settings);
  for (guint i = 0; i < secrets->len; i++)
    {
      const char *secret = g_ptr_array_index (secrets, i);

      g_assert_cmpuint (strlen (secret), >=, 8);
      if (strstr (settings, secret) != NULL)
        g_error ("The settings hold a secret (%s):\n%s", secret, settings);
    }

  /* They were read: every key of the schema, the server chosen among them. */
  g_assert_cmpuint (n_keys, >=, 9);
  g_assert_nonnull (strstr (settings, where));
}

typedef enum
{
  SIGN_IN_BROWSER,
  SIGN_IN_TOKEN,
} SignInKind;

/* After signing in, none of the sign-in's secrets is in the settings (which dconf keeps
 * in a file anyone with the user's files can read): not the tokens, the code, the
 * state, the verifier nor any client secret. */
static void
test_settings_no_secret (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GPtrArray) secrets = NULL;
  g_autoptr(PcAccount) account = NULL;

  launch (f);
  wait_for_welcome (f);
  if (GPOINTER_TO_INT (data) == SIGN_IN_BROWSER)
    sign_in (f);
  else
    {
      PcSignInDialog *dialog;
      AdwEntryRow *token_row;

      g_action_group_activate_action (G_ACTION_GROUP (f->app), "sign-in", NULL);
      dialog = sign_in_dialog (f);
      token_row = pc_ui_find_entry_row (GTK_WIDGET (dialog), "Access Token");
      gtk_editable_set_text (GTK_EDITABLE (token_row), pc_sandbox_get_token (f->sandbox));
      watch_dialog (&dialog);
      g_signal_emit_by_name (token_row, "apply");
      wait_for_dialog_closed (f, &dialog);
      wait_for_bookings (f);
    }
  assert_stored_account (f);

  secrets = _pc_sandbox_oauth_dup_secrets (f->sandbox);
  if (GPOINTER_TO_INT (data) == SIGN_IN_BROWSER)
    /* A code, a state, a verifier, a pair of tokens at least. */
    g_assert_cmpuint (secrets->len, >=, 5);
  account = stored_account ();
  g_ptr_array_add (secrets, g_strdup (pc_account_get_access_token (account)));
  if (pc_account_get_refresh_token (account) != NULL)
    g_ptr_array_add (secrets, g_strdup (pc_account_get_refresh_token (account)));
  g_ptr_array_add (secrets, g_strdup (pc_sandbox_get_token (f->sandbox)));
  g_ptr_array_add (secrets, g_strdup (PC_SANDBOX_CLIENT_SECRET));
  if (strlen (PC_OAUTH_CLIENT_SECRET) >= 8)
    g_ptr_array_add (secrets, g_strdup (PC_OAUTH_CLIENT_SECRET));

  assert_settings_hold_none_of (f, secrets);
}

/* The preferences page titled @title, shown or not. */
static AdwPreferencesPage *
find_preferences_page (GtkWidget  *root,
                       const char *title)
{
  if (ADW_IS_PREFERENCES_PAGE (root) &&
      g_strcmp0 (adw_preferences_page_get_title (ADW_PREFERENCES_PAGE (root)), title) == 0)
    return ADW_PREFERENCES_PAGE (root);

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      AdwPreferencesPage *page = find_preferences_page (child, title);

      if (page != NULL)
        return page;
    }

  return NULL;
}

/* A server address with a user name and password in it is no server address: neither
 * the sign-in dialog nor the preferences keep it in the settings. */
static void
test_settings_no_password (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GPtrArray) secrets = g_ptr_array_new ();
  g_autoptr(GUri) sandbox_uri = g_uri_parse (pc_sandbox_get_url (f->sandbox), G_URI_FLAGS_NONE,
                                             NULL);
  g_autofree char *url = g_strdup_printf ("http://jane:pw-Rk3v9Xq2Lm@127.0.0.1:%d",
                                          g_uri_get_port (sandbox_uri));
  PcSignInDialog *dialog;
  AdwDialog *preferences;
  AdwEntryRow *address;

  g_ptr_array_add (secrets, (gpointer) "pw-Rk3v9Xq2Lm");
  launch (f);
  wait_for_welcome (f);

  /* The sign-in dialog says what is wrong, and signs in nowhere. */
  g_action_group_activate_action (G_ACTION_GROUP (f->app), "sign-in", NULL);
  dialog = sign_in_dialog (f);
  address = pc_ui_find_entry_row (GTK_WIDGET (dialog), "Server Address");
  gtk_editable_set_text (GTK_EDITABLE (address), url);
  click (pc_ui_find_button (GTK_WIDGET (dialog), "Sign In With Browser"));
  PC_TEST_WAIT_UNTIL (pc_sign_in_dialog_get_error_text (dialog) != NULL);
  assert_settings_hold_none_of (f, secrets);
  g_assert_cmpuint (pc_sandbox_count_requests (f->sandbox, NULL, NULL), ==, 0);
  watch_dialog (&dialog);
  adw_dialog_force_close (ADW_DIALOG (dialog));
  wait_for_dialog_closed (f, &dialog);

  /* The preferences refuse it too. */
  g_action_group_activate_action (G_ACTION_GROUP (f->app), "preferences", NULL);
  preferences = visible_dialog (f);
  g_assert_true (PC_IS_PREFERENCES_DIALOG (preferences));
  adw_preferences_dialog_set_visible_page (ADW_PREFERENCES_DIALOG (preferences),
                                           find_preferences_page (GTK_WIDGET (preferences),
                                                                  "Advanced"));
  PC_TEST_WAIT_UNTIL ((address = pc_ui_find_entry_row (GTK_WIDGET (preferences),
                                                       "Server Address")) != NULL);
  gtk_editable_set_text (GTK_EDITABLE (address), url);
  g_signal_emit_by_name (address, "apply");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (address), "error"));
  assert_settings_hold_none_of (f, secrets);
  watch_dialog (&preferences);
  adw_dialog_force_close (preferences);
  wait_for_dialog_closed (f, &preferences);
}

#define ADD(path, data, func) \
  g_test_add (path, Fixture, data, fixture_setup, func, fixture_teardown)

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    {
      /* Not a skip: a skipped test would pass, and these tests must run. */
      printf ("Bail out! DBUS_SESSION_BUS_ADDRESS is unset: run the suite under "
              "`dbus-run-session -- meson test …`\n");
      return 1;
    }

  /* Before anything reads the environment: the file keyring, no token from outside, and
   * the stand-in browser. */
  tmp_dir = g_dir_make_tmp ("pc-accounts-XXXXXX", &error);
  g_assert_no_error (error);
  install_browser ();
  g_setenv ("SECRET_BACKEND", "file", TRUE);
  g_setenv ("SECRET_FILE_TEST_PASSWORD", "test-password", TRUE);
  g_unsetenv ("PHONECHAT_TOKEN");
  g_unsetenv ("PHONECHAT_API_URL");
  g_unsetenv ("GTK_USE_PORTAL");

  setlocale (LC_ALL, "C.UTF-8");
  /* Not G_TEST_OPTION_ISOLATE_DIRS: it hides XDG_DATA_DIRS, and with it the icon theme. */
  g_test_init (&argc, &argv, NULL);
  pc_test_init_logging ();
  gtk_init ();
  adw_init ();

  if (g_getenv ("PC_TEST_SCREENSHOT_DIR") != NULL)
    g_object_set (gtk_settings_get_default (),
                  "gtk-enable-animations", FALSE,
                  "gtk-decoration-layout", ":close",
                  NULL);

  ADD ("/accounts/welcome", NULL, test_welcome);
  ADD ("/accounts/sign-in/browser", NULL, test_sign_in_browser);
  ADD ("/accounts/help", NULL, test_help);
  ADD ("/accounts/restore", GINT_TO_POINTER (START_LAUNCHER), test_restore);
  ADD ("/accounts/restore/show-window", GINT_TO_POINTER (START_SHOW_WINDOW), test_restore);
  ADD ("/accounts/needs-sign-in/banner", NULL, test_needs_sign_in_banner);
  ADD ("/accounts/sign-out", NULL, test_sign_out);
  ADD ("/accounts/token/pasted", NULL, test_token_pasted);
  ADD ("/accounts/keyring-unavailable", NULL, test_keyring_unavailable);
  ADD ("/accounts/settings/no-secret/browser", GINT_TO_POINTER (SIGN_IN_BROWSER),
       test_settings_no_secret);
  ADD ("/accounts/settings/no-secret/token", GINT_TO_POINTER (SIGN_IN_TOKEN),
       test_settings_no_secret);
  ADD ("/accounts/settings/no-password", NULL, test_settings_no_password);

  status = g_test_run ();

  remove_tree (tmp_dir);
  g_clear_pointer (&tmp_dir, g_free);
  g_clear_pointer (&opened_urls_path, g_free);
  return status;
}
