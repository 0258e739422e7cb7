/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pc-test-notification-server"

#include "config.h"

#include "pc-test-notification-server.h"
#include "test-utils.h"

#define NOTIFICATIONS_NAME  "org.freedesktop.Notifications"
#define NOTIFICATIONS_PATH  "/org/freedesktop/Notifications"
#define NOTIFICATIONS_IFACE "org.freedesktop.Notifications"

/* How long to wait for another test process to give the name up. */
#define NAME_TIMEOUT_MS 60000

static const char introspection_xml[] =
  "<node>"
  PC_TEST_NOTIFICATIONS_INTERFACE_XML
  "</node>";

struct _PcTestNotificationServer
{
  GObject          parent_instance;

  GDBusConnection *connection;
  GDBusNodeInfo   *node_info;
  guint            registration_id;
  guint            owner_id;
  gboolean         name_acquired;
  gboolean         name_lost;

  guint32          next_id;
  GPtrArray       *notify_calls; /* PcTestNotification, owned */
  GHashTable      *open;         /* id → PcTestNotification, unowned (in notify_calls or kept) */
  GPtrArray       *kept;         /* open notifications whose calls were cleared */
  GArray          *close_calls;  /* guint32 */
  GStrv            capabilities;
  guint            n_capabilities_calls;
};

G_DEFINE_FINAL_TYPE (PcTestNotificationServer, pc_test_notification_server, G_TYPE_OBJECT)

enum {
  SIGNAL_NOTIFIED,
  SIGNAL_CLOSE_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
notification_free (gpointer data)
{
  PcTestNotification *n = data;

  g_free (n->sender);
  g_free (n->app_name);
  g_free (n->app_icon);
  g_free (n->summary);
  g_free (n->body);
  g_strfreev (n->actions);
  g_clear_pointer (&n->hints, g_variant_unref);
  g_free (n);
}

const char *
pc_test_notification_get_hint_string (const PcTestNotification *notification,
                                      const char               *key)
{
  g_autoptr(GVariant) value = NULL;

  value = g_variant_lookup_value (notification->hints, key, G_VARIANT_TYPE_STRING);
  if (value == NULL)
    return NULL;

  /* The string lives as long as the hints do. */
  return g_variant_get_string (value, NULL);
}

guint
pc_test_notification_get_n_actions (const PcTestNotification *notification)
{
  return g_strv_length (notification->actions) / 2;
}

const char *
pc_test_notification_get_action_label (const PcTestNotification *notification,
                                       const char               *key)
{
  for (guint i = 0; notification->actions[i] != NULL && notification->actions[i + 1] != NULL;
       i += 2)
    if (g_str_equal (notification->actions[i], key))
      return notification->actions[i + 1];

  return NULL;
}

const char *
pc_test_notification_find_action (const PcTestNotification *notification,
                                  const char               *prefix)
{
  for (guint i = 0; notification->actions[i] != NULL && notification->actions[i + 1] != NULL;
       i += 2)
    if (g_str_has_prefix (notification->actions[i], prefix))
      return notification->actions[i];

  return NULL;
}

static void
emit_signal (PcTestNotificationServer *self,
             const char               *destination,
             const char               *name,
             GVariant                 *parameters)
{
  g_autoptr(GError) error = NULL;

  /* Sent to the notification's sender only: tests running in parallel on the same bus
   * must not see each other's signals. */
  g_dbus_connection_emit_signal (self->connection, destination, NOTIFICATIONS_PATH,
                                 NOTIFICATIONS_IFACE, name, parameters, &error);
  g_assert_no_error (error);
}

static void
handle_notify (PcTestNotificationServer *self,
               const char               *sender,
               GVariant                 *parameters,
               GDBusMethodInvocation    *invocation)
{
  PcTestNotification *n = g_new0 (PcTestNotification, 1);

  g_variant_get (parameters, "(susss^as@a{sv}i)",
                 &n->app_name, &n->replaces_id, &n->app_icon, &n->summary, &n->body,
                 &n->actions, &n->hints, &n->expire_timeout);
  n->sender = g_strdup (sender);

  /* Replacing an open notification keeps its id, as daemons do. */
  if (n->replaces_id != 0 && g_hash_table_contains (self->open, GUINT_TO_POINTER (n->replaces_id)))
    n->id = n->replaces_id;
  else
    n->id = self->next_id++;

  g_ptr_array_add (self->notify_calls, n);
  g_hash_table_insert (self->open, GUINT_TO_POINTER (n->id), n);

  g_debug ("Notify #%u from %s: %s", n->id, sender, n->summary);
  g_signal_emit (self, signals[SIGNAL_NOTIFIED], 0, n);
  g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", n->id));
}

static void
handle_close (PcTestNotificationServer *self,
              GVariant                 *parameters,
              GDBusMethodInvocation    *invocation)
{
  guint32 id = 0;
  PcTestNotification *n;

  g_variant_get (parameters, "(u)", &id);
  g_array_append_val (self->close_calls, id);
  g_debug ("CloseNotification #%u", id);
  g_signal_emit (self, signals[SIGNAL_CLOSE_REQUESTED], 0, id);

  n = g_hash_table_lookup (self->open, GUINT_TO_POINTER (id));
  if (n != NULL)
    {
      g_autofree char *sender = g_strdup (n->sender);

      g_hash_table_remove (self->open, GUINT_TO_POINTER (id));
      /* Reason 3: closed by a call to CloseNotification. */
      emit_signal (self, sender, "NotificationClosed", g_variant_new ("(uu)", id, 3));
    }

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
  PcTestNotificationServer *self = user_data;

  if (g_str_equal (method_name, "Notify"))
    handle_notify (self, sender, parameters, invocation);
  else if (g_str_equal (method_name, "CloseNotification"))
    handle_close (self, parameters, invocation);
  else if (g_str_equal (method_name, "GetCapabilities"))
    {
      self->n_capabilities_calls++;
      g_dbus_method_invocation_return_value (invocation,
                                             g_variant_new ("(^as)", self->capabilities));
    }
  else if (g_str_equal (method_name, "GetServerInformation"))
    g_dbus_method_invocation_return_value (invocation,
                                           g_variant_new ("(ssss)", "pc-test-notification-server",
                                                          "PhoneChat", "1.0", "1.2"));
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
  PcTestNotificationServer *self = user_data;

  self->name_acquired = TRUE;
}

static void
name_lost_cb (GDBusConnection *connection,
              const char      *name,
              gpointer         user_data)
{
  PcTestNotificationServer *self = user_data;

  /* Before acquisition this only means "queued" (or, not queueing, "taken"); after,
   * something took the name. */
  if (self->name_acquired)
    g_error ("Lost the name %s while testing", name);
  if (connection == NULL)
    g_error ("The bus connection closed before %s could be owned", name);
  self->name_lost = TRUE;
}

static void
stop_serving (PcTestNotificationServer *self)
{
  g_clear_handle_id (&self->owner_id, g_bus_unown_name);
  if (self->registration_id != 0)
    {
      g_dbus_connection_unregister_object (self->connection, self->registration_id);
      self->registration_id = 0;
    }
}

static void
pc_test_notification_server_dispose (GObject *object)
{
  PcTestNotificationServer *self = (PcTestNotificationServer *) object;

  if (self->connection != NULL)
    stop_serving (self);
  g_clear_object (&self->connection);

  G_OBJECT_CLASS (pc_test_notification_server_parent_class)->dispose (object);
}

static void
pc_test_notification_server_finalize (GObject *object)
{
  PcTestNotificationServer *self = (PcTestNotificationServer *) object;

  g_clear_pointer (&self->open, g_hash_table_unref);
  g_clear_pointer (&self->notify_calls, g_ptr_array_unref);
  g_clear_pointer (&self->kept, g_ptr_array_unref);
  g_clear_pointer (&self->close_calls, g_array_unref);
  g_clear_pointer (&self->node_info, g_dbus_node_info_unref);
  g_clear_pointer (&self->capabilities, g_strfreev);

  G_OBJECT_CLASS (pc_test_notification_server_parent_class)->finalize (object);
}

static void
pc_test_notification_server_class_init (PcTestNotificationServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pc_test_notification_server_dispose;
  object_class->finalize = pc_test_notification_server_finalize;

  /**
   * PcTestNotificationServer::notified:
   * @notification: (type gpointer): the #PcTestNotification, owned by the server
   *
   * A Notify call arrived (after it is recorded, before it is answered).
   */
  signals[SIGNAL_NOTIFIED] =
    g_signal_new ("notified", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);

  /**
   * PcTestNotificationServer::close-requested:
   * @id: the id in the CloseNotification call
   */
  signals[SIGNAL_CLOSE_REQUESTED] =
    g_signal_new ("close-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
pc_test_notification_server_init (PcTestNotificationServer *self)
{
  self->next_id = 1;
  self->notify_calls = g_ptr_array_new_with_free_func (notification_free);
  self->kept = g_ptr_array_new_with_free_func (notification_free);
  self->open = g_hash_table_new (NULL, NULL);
  self->close_calls = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->capabilities = g_strdupv ((char *[]) { (char *) "actions", (char *) "body", NULL });
}

static PcTestNotificationServer *
serve (GDBusConnection    *connection,
       GBusNameOwnerFlags  flags,
       const char * const *capabilities)
{
  g_autoptr(PcTestNotificationServer) self = NULL;
  g_autoptr(GError) error = NULL;
  PcTestDeadline *deadline;

  self = g_object_new (PC_TEST_TYPE_NOTIFICATION_SERVER, NULL);
  self->connection = g_object_ref (connection);
  /* Before the name is ours: a client watching it asks at once. */
  if (capabilities != NULL)
    pc_test_notification_server_set_capabilities (self, capabilities);
  self->node_info = g_dbus_node_info_new_for_xml (introspection_xml, &error);
  g_assert_no_error (error);

  self->registration_id =
    g_dbus_connection_register_object (connection, NOTIFICATIONS_PATH,
                                       self->node_info->interfaces[0], &vtable,
                                       self, NULL, &error);
  g_assert_no_error (error);

  self->owner_id = g_bus_own_name_on_connection (connection, NOTIFICATIONS_NAME, flags,
                                                 name_acquired_cb, name_lost_cb,
                                                 self, NULL);

  deadline = pc_test_deadline_new (NAME_TIMEOUT_MS);
  /* Queued, a lost name only means "waiting"; not queueing, it means "taken". */
  while (!self->name_acquired &&
         !(self->name_lost && (flags & G_BUS_NAME_OWNER_FLAGS_DO_NOT_QUEUE)))
    pc_test_deadline_iterate (deadline, "this process owns " NOTIFICATIONS_NAME);
  pc_test_deadline_free (deadline);

  if (!self->name_acquired)
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * pc_test_notification_server_new:
 * @connection: the session bus connection (normally the one GApplication uses, so that
 *   pc_test_notification_server_sync() orders against its calls)
 *
 * Exports the server and owns org.freedesktop.Notifications, waiting in the queue if
 * another test process has it. Aborts the test if that takes too long.
 */
PcTestNotificationServer *
pc_test_notification_server_new (GDBusConnection *connection)
{
  g_return_val_if_fail (G_IS_DBUS_CONNECTION (connection), NULL);

  return serve (connection, G_BUS_NAME_OWNER_FLAGS_NONE, NULL);
}

/**
 * pc_test_notification_server_new_with_capabilities:
 * @capabilities: what GetCapabilities answers
 *
 * Like pc_test_notification_server_new(), with @capabilities set before the server owns
 * the name: a notifier already watching the name asks as soon as it appears, while this
 * waits for it, and must get these.
 */
PcTestNotificationServer *
pc_test_notification_server_new_with_capabilities (GDBusConnection    *connection,
                                                   const char * const *capabilities)
{
  g_return_val_if_fail (G_IS_DBUS_CONNECTION (connection), NULL);

  return serve (connection, G_BUS_NAME_OWNER_FLAGS_NONE, capabilities);
}

/**
 * pc_test_notification_server_new_unqueued:
 *
 * Like pc_test_notification_server_new(), but gives up at once when another process
 * owns the name (for a stand-alone daemon, which should not wait for a real one).
 *
 * Returns: (nullable): the server, or %NULL when the name is taken
 */
PcTestNotificationServer *
pc_test_notification_server_new_unqueued (GDBusConnection *connection)
{
  g_return_val_if_fail (G_IS_DBUS_CONNECTION (connection), NULL);

  return serve (connection, G_BUS_NAME_OWNER_FLAGS_DO_NOT_QUEUE, NULL);
}

/**
 * pc_test_notification_server_set_capabilities:
 * @capabilities: what GetCapabilities answers, e.g. { "actions", "body", "body-markup" }
 */
void
pc_test_notification_server_set_capabilities (PcTestNotificationServer *self,
                                              const char * const       *capabilities)
{
  g_return_if_fail (PC_TEST_IS_NOTIFICATION_SERVER (self));

  g_strfreev (self->capabilities);
  self->capabilities = g_strdupv ((char **) capabilities);
}

guint
pc_test_notification_server_get_n_capabilities_calls (PcTestNotificationServer *self)
{
  g_return_val_if_fail (PC_TEST_IS_NOTIFICATION_SERVER (self), 0);

  return self->n_capabilities_calls;
}

GDBusConnection *
pc_test_notification_server_get_connection (PcTestNotificationServer *self)
{
  g_return_val_if_fail (PC_TEST_IS_NOTIFICATION_SERVER (self), NULL);

  return self->connection;
}

guint
pc_test_notification_server_get_n_notify_calls (PcTestNotificationServer *self)
{
  g_return_val_if_fail (PC_TEST_IS_NOTIFICATION_SERVER (self), 0);

  return self->notify_calls->len;
}

const PcTestNotification *
pc_test_notification_server_get_notify_call (PcTestNotificationServer *self,
                                             guint                     index)
{
  g_return_val_if_fail (PC_TEST_IS_NOTIFICATION_SERVER (self), NULL);
  g_return_val_if_fail (index < self->notify_calls->len, NULL);

  return g_ptr_array_index (self->notify_calls, index);
}

const PcTestNotification *
pc_test_notification_server_get_last (PcTestNotificationServer *self)
{
  g_return_val_if_fail (PC_TEST_IS_NOTIFICATION_SERVER (self), NULL);

  if (self->notify_calls->len == 0)
    return NULL;

  return g_ptr_array_index (self->notify_calls, self->notify_calls->len - 1);
}

guint
pc_test_notification_server_get_n_open (PcTestNotificationServer *self)
{
  g_return_val_if_fail (PC_TEST_IS_NOTIFICATION_SERVER (self), 0);

  return g_hash_table_size (self->open);
}

const PcTestNotification *
pc_test_notification_server_lookup (PcTestNotificationServer *self,
                                    guint32                   id)
{
  g_return_val_if_fail (PC_TEST_IS_NOTIFICATION_SERVER (self), NULL);

  return g_hash_table_lookup (self->open, GUINT_TO_POINTER (id));
}

guint
pc_test_notification_server_get_n_close_calls (PcTestNotificationServer *self)
{
  g_return_val_if_fail (PC_TEST_IS_NOTIFICATION_SERVER (self), 0);

  return self->close_calls->len;
}

guint32
pc_test_notification_server_get_close_call (PcTestNotificationServer *self,
                                            guint                     index)
{
  g_return_val_if_fail (PC_TEST_IS_NOTIFICATION_SERVER (self), 0);
  g_return_val_if_fail (index < self->close_calls->len, 0);

  return g_array_index (self->close_calls, guint32, index);
}

void
pc_test_notification_server_clear_calls (PcTestNotificationServer *self)
{
  g_return_if_fail (PC_TEST_IS_NOTIFICATION_SERVER (self));

  /* Keep the records of open notifications alive: lookup() hands them out. */
  for (guint i = self->notify_calls->len; i > 0; i--)
    {
      PcTestNotification *n = g_ptr_array_index (self->notify_calls, i - 1);

      if (g_hash_table_lookup (self->open, GUINT_TO_POINTER (n->id)) == n)
        g_ptr_array_add (self->kept, g_ptr_array_steal_index (self->notify_calls, i - 1));
    }

  g_ptr_array_set_size (self->notify_calls, 0);
  g_array_set_size (self->close_calls, 0);
}

void
pc_test_notification_server_invoke_action (PcTestNotificationServer *self,
                                           guint32                   id,
                                           const char               *action_key)
{
  PcTestNotification *n;
  g_autofree char *sender = NULL;

  g_return_if_fail (PC_TEST_IS_NOTIFICATION_SERVER (self));
  g_return_if_fail (action_key != NULL);

  n = g_hash_table_lookup (self->open, GUINT_TO_POINTER (id));
  g_assert_nonnull (n);
  g_assert_nonnull (pc_test_notification_get_action_label (n, action_key));

  sender = g_strdup (n->sender);
  emit_signal (self, sender, "ActionInvoked", g_variant_new ("(us)", id, action_key));
  g_hash_table_remove (self->open, GUINT_TO_POINTER (id));
  /* Reason 2: dismissed by the user. */
  emit_signal (self, sender, "NotificationClosed", g_variant_new ("(uu)", id, 2));
}

void
pc_test_notification_server_close (PcTestNotificationServer *self,
                                   guint32                   id,
                                   guint32                   reason)
{
  PcTestNotification *n;
  g_autofree char *sender = NULL;

  g_return_if_fail (PC_TEST_IS_NOTIFICATION_SERVER (self));

  n = g_hash_table_lookup (self->open, GUINT_TO_POINTER (id));
  g_assert_nonnull (n);

  sender = g_strdup (n->sender);
  g_hash_table_remove (self->open, GUINT_TO_POINTER (id));
  emit_signal (self, sender, "NotificationClosed", g_variant_new ("(uu)", id, reason));
}

void
pc_test_notification_server_wait_for_notify (PcTestNotificationServer *self,
                                             guint                     n_calls)
{
  g_return_if_fail (PC_TEST_IS_NOTIFICATION_SERVER (self));

  PC_TEST_WAIT_UNTIL (self->notify_calls->len >= n_calls);
}

void
pc_test_notification_server_wait_for_close (PcTestNotificationServer *self,
                                            guint                     n_calls)
{
  g_return_if_fail (PC_TEST_IS_NOTIFICATION_SERVER (self));

  PC_TEST_WAIT_UNTIL (self->close_calls->len >= n_calls);
}

static void
bus_reply_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  g_assert_no_error (error);
  *done = TRUE;
}

void
pc_test_notification_server_shutdown (PcTestNotificationServer *self)
{
  gboolean done = FALSE;

  g_return_if_fail (PC_TEST_IS_NOTIFICATION_SERVER (self));

  if (self->owner_id == 0)
    return;

  stop_serving (self);

  /* The bus daemon sends NameOwnerChanged for the release before it answers a call made
   * after it; then whatever GDBus queued for the watchers runs in the drain. */
  g_dbus_connection_call (self->connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                          "org.freedesktop.DBus", "GetId", NULL, G_VARIANT_TYPE ("(s)"),
                          G_DBUS_CALL_FLAGS_NONE, -1, NULL, bus_reply_cb, &done);
  PC_TEST_WAIT_UNTIL (done);
  pc_test_drain_main_context ();
}

static void
sync_reply_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  g_assert_no_error (error);
  *done = TRUE;
}

void
pc_test_notification_server_sync (PcTestNotificationServer *self)
{
  gboolean done = FALSE;

  g_return_if_fail (PC_TEST_IS_NOTIFICATION_SERVER (self));

  /* Replies come back over one connection in order, and GDBus dispatches their
   * callbacks in that order: once ours has run, so have the earlier ones. */
  g_dbus_connection_call (self->connection, NOTIFICATIONS_NAME, NOTIFICATIONS_PATH,
                          NOTIFICATIONS_IFACE, "GetServerInformation", NULL,
                          G_VARIANT_TYPE ("(ssss)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL,
                          sync_reply_cb, &done);
  PC_TEST_WAIT_UNTIL (done);
}
