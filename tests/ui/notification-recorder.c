/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * notification-recorder: a stand-in notification daemon for looking at what PhoneChat
 * sends, e.g. under `dbus-run-session`.
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
 * does when the user clicks. It says "ready" on standard error once it owns the name,
 * and stops on SIGINT or SIGTERM.
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>

#include <gio/gio.h>
#include <glib-unix.h>
#include <json-glib/json-glib.h>

#include "pc-test-notification-server.h"

#define NOTIFICATIONS_NAME  "org.freedesktop.Notifications"
#define NOTIFICATIONS_PATH  "/org/freedesktop/Notifications"
#define NOTIFICATIONS_IFACE "org.freedesktop.Notifications"
#define RECORDER_IFACE      "com.example.PhoneChat.NotificationRecorder"

static const char introspection_xml[] =
  "<node>"
  PC_TEST_NOTIFICATIONS_INTERFACE_XML
  "  <interface name='com.example.PhoneChat.NotificationRecorder'>"
  "    <method name='InvokeAction'>"
  "      <arg type='u' name='id' direction='in'/>"
  "      <arg type='s' name='action_key' direction='in'/>"
  "    </method>"
  "  </interface>"
  "</node>";

typedef struct
{
  GMainLoop       *loop;
  GDBusConnection *connection;
  guint32          next_id;
  GHashTable      *senders;  /* id → the unique name that sent it, for open notifications */
  int              status;
} Recorder;

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
emit (Recorder   *recorder,
      const char *destination,
      const char *name,
      GVariant   *parameters)
{
  g_autoptr(GError) error = NULL;

  if (!g_dbus_connection_emit_signal (recorder->connection, destination, NOTIFICATIONS_PATH,
                                      NOTIFICATIONS_IFACE, name, parameters, &error))
    g_printerr ("notification-recorder: cannot emit %s: %s\n", name, error->message);
}

static void
handle_notify (Recorder              *recorder,
               const char            *sender,
               GVariant              *parameters,
               GDBusMethodInvocation *invocation)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GVariant) hints = NULL;
  g_autofree const char **actions = NULL;
  const char *app_name, *app_icon, *summary, *body;
  guint32 replaces_id, id;
  gint32 expire_timeout;

  g_variant_get (parameters, "(&su&s&s&s^a&s@a{sv}i)",
                 &app_name, &replaces_id, &app_icon, &summary, &body,
                 &actions, &hints, &expire_timeout);

  /* Replacing an open notification keeps its id, as daemons do. */
  if (replaces_id != 0 && g_hash_table_contains (recorder->senders, GUINT_TO_POINTER (replaces_id)))
    id = replaces_id;
  else
    id = recorder->next_id++;
  g_hash_table_replace (recorder->senders, GUINT_TO_POINTER (id), g_strdup (sender));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "call");
  json_builder_add_string_value (builder, "Notify");
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, id);
  json_builder_set_member_name (builder, "sender");
  json_builder_add_string_value (builder, sender);
  json_builder_set_member_name (builder, "app_name");
  json_builder_add_string_value (builder, app_name);
  json_builder_set_member_name (builder, "replaces_id");
  json_builder_add_int_value (builder, replaces_id);
  json_builder_set_member_name (builder, "app_icon");
  json_builder_add_string_value (builder, app_icon);
  json_builder_set_member_name (builder, "summary");
  json_builder_add_string_value (builder, summary);
  json_builder_set_member_name (builder, "body");
  json_builder_add_string_value (builder, body);
  json_builder_set_member_name (builder, "actions");
  json_builder_begin_array (builder);
  for (guint i = 0; actions[i] != NULL; i++)
    json_builder_add_string_value (builder, actions[i]);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "hints");
  json_builder_add_value (builder, json_gvariant_serialize (hints));
  json_builder_set_member_name (builder, "expire_timeout");
  json_builder_add_int_value (builder, expire_timeout);
  json_builder_end_object (builder);
  print_json (builder);

  g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", id));
}

static void
handle_close (Recorder              *recorder,
              GVariant              *parameters,
              GDBusMethodInvocation *invocation)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *sender = NULL;
  guint32 id = 0;

  g_variant_get (parameters, "(u)", &id);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "call");
  json_builder_add_string_value (builder, "CloseNotification");
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, id);
  json_builder_end_object (builder);
  print_json (builder);

  if (g_hash_table_steal_extended (recorder->senders, GUINT_TO_POINTER (id), NULL,
                                   (gpointer *) &sender))
    /* Reason 3: closed by a call to CloseNotification. */
    emit (recorder, sender, "NotificationClosed", g_variant_new ("(uu)", id, 3));

  g_dbus_method_invocation_return_value (invocation, NULL);
}

static void
handle_invoke (Recorder              *recorder,
               GVariant              *parameters,
               GDBusMethodInvocation *invocation)
{
  g_autofree char *sender = NULL;
  const char *action_key = NULL;
  guint32 id = 0;

  g_variant_get (parameters, "(u&s)", &id, &action_key);

  if (!g_hash_table_steal_extended (recorder->senders, GUINT_TO_POINTER (id), NULL,
                                    (gpointer *) &sender))
    {
      g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR,
                                             G_DBUS_ERROR_INVALID_ARGS,
                                             "No open notification %u", id);
      return;
    }

  /* As a daemon does when the user clicks: the action, then the notification goes
   * (reason 2: dismissed by the user). */
  emit (recorder, sender, "ActionInvoked", g_variant_new ("(us)", id, action_key));
  emit (recorder, sender, "NotificationClosed", g_variant_new ("(uu)", id, 2));

  g_dbus_method_invocation_return_value (invocation, NULL);
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
  Recorder *recorder = user_data;

  if (g_str_equal (interface_name, RECORDER_IFACE) && g_str_equal (method_name, "InvokeAction"))
    handle_invoke (recorder, parameters, invocation);
  else if (g_str_equal (method_name, "Notify"))
    handle_notify (recorder, sender, parameters, invocation);
  else if (g_str_equal (method_name, "CloseNotification"))
    handle_close (recorder, parameters, invocation);
  else if (g_str_equal (method_name, "GetCapabilities"))
    {
      const char *caps[] = { "actions", "body", NULL };

      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(^as)", caps));
    }
  else if (g_str_equal (method_name, "GetServerInformation"))
    g_dbus_method_invocation_return_value (invocation,
                                           g_variant_new ("(ssss)", "notification-recorder",
                                                          "PhoneChat", PACKAGE_VERSION, "1.2"));
  else
    g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR,
                                           G_DBUS_ERROR_UNKNOWN_METHOD,
                                           "No method %s", method_name);
}

static const GDBusInterfaceVTable vtable = {
  method_call_cb, NULL, NULL, { 0 }
};

static void
name_acquired_cb (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  g_printerr ("ready\n");
}

static void
name_lost_cb (GDBusConnection *connection,
              const char      *name,
              gpointer         user_data)
{
  Recorder *recorder = user_data;

  g_printerr ("notification-recorder: cannot own %s (another notification server?)\n", name);
  recorder->status = 1;
  g_main_loop_quit (recorder->loop);
}

static gboolean
quit_cb (gpointer user_data)
{
  Recorder *recorder = user_data;

  g_main_loop_quit (recorder->loop);
  return G_SOURCE_CONTINUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GDBusNodeInfo) node_info = NULL;
  g_autoptr(GError) error = NULL;
  Recorder recorder = { 0, };
  guint registration_ids[2];
  guint owner_id;

  if (argc > 1)
    {
      g_printerr ("Usage: %s\n"
                  "Owns org.freedesktop.Notifications and prints every call as JSON lines.\n",
                  argv[0]);
      return 2;
    }

  recorder.connection = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  if (recorder.connection == NULL)
    {
      g_printerr ("notification-recorder: no session bus: %s\n", error->message);
      return 1;
    }

  node_info = g_dbus_node_info_new_for_xml (introspection_xml, &error);
  g_assert_no_error (error);

  recorder.loop = g_main_loop_new (NULL, FALSE);
  recorder.next_id = 1;
  recorder.senders = g_hash_table_new_full (NULL, NULL, NULL, g_free);

  for (guint i = 0; i < 2; i++)
    {
      registration_ids[i] =
        g_dbus_connection_register_object (recorder.connection, NOTIFICATIONS_PATH,
                                           node_info->interfaces[i], &vtable, &recorder,
                                           NULL, &error);
      g_assert_no_error (error);
    }

  owner_id = g_bus_own_name_on_connection (recorder.connection, NOTIFICATIONS_NAME,
                                           G_BUS_NAME_OWNER_FLAGS_DO_NOT_QUEUE,
                                           name_acquired_cb, name_lost_cb, &recorder, NULL);

  g_unix_signal_add (SIGINT, quit_cb, &recorder);
  g_unix_signal_add (SIGTERM, quit_cb, &recorder);

  g_main_loop_run (recorder.loop);

  g_bus_unown_name (owner_id);
  for (guint i = 0; i < 2; i++)
    g_dbus_connection_unregister_object (recorder.connection, registration_ids[i]);
  g_dbus_connection_flush_sync (recorder.connection, NULL, NULL);
  g_clear_pointer (&recorder.senders, g_hash_table_unref);
  g_clear_pointer (&recorder.loop, g_main_loop_unref);
  g_clear_object (&recorder.connection);

  return recorder.status;
}
