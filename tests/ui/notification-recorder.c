/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * notification-recorder: a stand-in notification daemon for looking at what PhoneChat
 * sends, e.g. under `dbus-run-session`. It is the tests' notification server
 * (tests/reinvite/pc-test-notification-server.c) run as a program.
 *
 * It owns org.freedesktop.Notifications on the session bus and prints every Notify and
 * CloseNotification call on standard output, one JSON object per line:
 *
 *   {"call":"Notify","id":1,"sender":":1.4","app_name":"","replaces_id":0,"app_icon":"",
 *    "summary":"…","body":"…","actions":["default",""],"hints":{…},"expire_timeout":-1}
 *   {"call":"CloseNotification","id":1}
 *
 * Clicking is done over D-Bus, on the same object:
 *
 *   gdbus call --session --dest org.freedesktop.Notifications \
 *     --object-path /org/freedesktop/Notifications \
 *     --method com.example.PhoneChat.NotificationRecorder.InvokeAction 1 default
 *
 * which emits ActionInvoked(1, "default") and then NotificationClosed(1, 2), as a daemon
 * does when the user clicks. With --body-markup it also advertises the "body-markup"
 * capability. It says "ready" on standard error once it owns the name, and stops on
 * SIGINT or SIGTERM.
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>

#include <gio/gio.h>
#include <glib-unix.h>
#include <json-glib/json-glib.h>

#include "pc-test-notification-server.h"

#define NOTIFICATIONS_PATH "/org/freedesktop/Notifications"

static const char introspection_xml[] =
  "<node>"
  "  <interface name='com.example.PhoneChat.NotificationRecorder'>"
  "    <method name='InvokeAction'>"
  "      <arg type='u' name='id' direction='in'/>"
  "      <arg type='s' name='action_key' direction='in'/>"
  "    </method>"
  "  </interface>"
  "</node>";

static void
print_json (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *line = NULL;

  json_generator_set_root (generator, root);
  line = json_generator_to_data (generator, NULL);
  printf ("%s\n", line);
  fflush (stdout);
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

static void
add_int (JsonBuilder *builder,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

static void
notified_cb (PcTestNotificationServer *server,
             const PcTestNotification *n,
             gpointer                  user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  add_string (builder, "call", "Notify");
  add_int (builder, "id", n->id);
  add_string (builder, "sender", n->sender);
  add_string (builder, "app_name", n->app_name);
  add_int (builder, "replaces_id", n->replaces_id);
  add_string (builder, "app_icon", n->app_icon);
  add_string (builder, "summary", n->summary);
  add_string (builder, "body", n->body);
  json_builder_set_member_name (builder, "actions");
  json_builder_begin_array (builder);
  for (guint i = 0; n->actions[i] != NULL; i++)
    json_builder_add_string_value (builder, n->actions[i]);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "hints");
  json_builder_add_value (builder, json_gvariant_serialize (n->hints));
  add_int (builder, "expire_timeout", n->expire_timeout);
  json_builder_end_object (builder);
  print_json (builder);
}

static void
close_requested_cb (PcTestNotificationServer *server,
                    guint                     id,
                    gpointer                  user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  add_string (builder, "call", "CloseNotification");
  add_int (builder, "id", id);
  json_builder_end_object (builder);
  print_json (builder);
}

static void
method_call_cb (GDBusConnection       *connection,
                const char            *sender,
                const char            *object_path,
                const char            *interface_name,
                const char            *method_name,
                GVariant              *parameters,
                GDBusMethodInvocation *invocation,
                gpointer               user_data)
{
  PcTestNotificationServer *server = user_data;
  const PcTestNotification *n;
  const char *action_key = NULL;
  guint32 id = 0;

  g_variant_get (parameters, "(u&s)", &id, &action_key);
  n = pc_test_notification_server_lookup (server, id);
  if (n == NULL || pc_test_notification_get_action_label (n, action_key) == NULL)
    {
      g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR,
                                             G_DBUS_ERROR_INVALID_ARGS,
                                             "No open notification %u with action “%s”",
                                             id, action_key);
      return;
    }

  pc_test_notification_server_invoke_action (server, id, action_key);
  g_dbus_method_invocation_return_value (invocation, NULL);
}

static const GDBusInterfaceVTable vtable = {
  method_call_cb, NULL, NULL, { 0 }
};

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GDBusConnection) connection = NULL;
  g_autoptr(GDBusNodeInfo) node_info = NULL;
  g_autoptr(PcTestNotificationServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  gboolean body_markup = FALSE;
  guint registration_id;

  if (argc == 2 && g_str_equal (argv[1], "--body-markup"))
    body_markup = TRUE;
  else if (argc > 1)
    {
      g_printerr ("Usage: %s [--body-markup]\n"
                  "Owns org.freedesktop.Notifications and prints every call as JSON lines.\n",
                  argv[0]);
      return 2;
    }

  connection = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  if (connection == NULL)
    {
      g_printerr ("notification-recorder: no session bus: %s\n", error->message);
      return 1;
    }

  server = pc_test_notification_server_new_unqueued (connection);
  if (server == NULL)
    {
      g_printerr ("notification-recorder: cannot own org.freedesktop.Notifications "
                  "(another notification server?)\n");
      return 1;
    }
  if (body_markup)
    pc_test_notification_server_set_capabilities (server, (const char * const[]) {
                                                    "actions", "body", "body-markup", NULL });
  g_signal_connect (server, "notified", G_CALLBACK (notified_cb), NULL);
  g_signal_connect (server, "close-requested", G_CALLBACK (close_requested_cb), NULL);

  node_info = g_dbus_node_info_new_for_xml (introspection_xml, &error);
  g_assert_no_error (error);
  registration_id = g_dbus_connection_register_object (connection, NOTIFICATIONS_PATH,
                                                       node_info->interfaces[0], &vtable,
                                                       server, NULL, &error);
  g_assert_no_error (error);
  g_printerr ("ready\n");

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_main_loop_run (loop);

  g_dbus_connection_unregister_object (connection, registration_id);
  g_clear_object (&server);
  g_dbus_connection_flush_sync (connection, NULL, NULL);

  return 0;
}
