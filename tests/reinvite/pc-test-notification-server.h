/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The introspection of org.freedesktop.Notifications (version 1.2 of the specification),
 * shared by the test server and tests/ui/notification-recorder. */
#define PC_TEST_NOTIFICATIONS_INTERFACE_XML \
  "  <interface name='org.freedesktop.Notifications'>" \
  "    <method name='Notify'>" \
  "      <arg type='s' name='app_name' direction='in'/>" \
  "      <arg type='u' name='replaces_id' direction='in'/>" \
  "      <arg type='s' name='app_icon' direction='in'/>" \
  "      <arg type='s' name='summary' direction='in'/>" \
  "      <arg type='s' name='body' direction='in'/>" \
  "      <arg type='as' name='actions' direction='in'/>" \
  "      <arg type='a{sv}' name='hints' direction='in'/>" \
  "      <arg type='i' name='expire_timeout' direction='in'/>" \
  "      <arg type='u' name='id' direction='out'/>" \
  "    </method>" \
  "    <method name='CloseNotification'>" \
  "      <arg type='u' name='id' direction='in'/>" \
  "    </method>" \
  "    <method name='GetCapabilities'>" \
  "      <arg type='as' name='capabilities' direction='out'/>" \
  "    </method>" \
  "    <method name='GetServerInformation'>" \
  "      <arg type='s' name='name' direction='out'/>" \
  "      <arg type='s' name='vendor' direction='out'/>" \
  "      <arg type='s' name='version' direction='out'/>" \
  "      <arg type='s' name='spec_version' direction='out'/>" \
  "    </method>" \
  "    <signal name='NotificationClosed'>" \
  "      <arg type='u' name='id'/>" \
  "      <arg type='u' name='reason'/>" \
  "    </signal>" \
  "    <signal name='ActionInvoked'>" \
  "      <arg type='u' name='id'/>" \
  "      <arg type='s' name='action_key'/>" \
  "    </signal>" \
  "  </interface>"



/**
 * PcTestNotification:
 * @id: the id the server gave it (the Notify return value)
 * @sender: the unique bus name that sent it
 * @app_name: the Notify arguments, as received
 * @actions: (array zero-terminated=1): flat key, label, key, label… (may be empty)
 * @hints: the a{sv} hints (never %NULL)
 *
 * One Notify call as the server received it.
 */
typedef struct
{
  guint32   id;
  char     *sender;
  char     *app_name;
  guint32   replaces_id;
  char     *app_icon;
  char     *summary;
  char     *body;
  char    **actions;
  GVariant *hints;
  gint32    expire_timeout;
} PcTestNotification;

const char *pc_test_notification_get_hint_string  (const PcTestNotification *notification,
                                                   const char               *key);
guint       pc_test_notification_get_n_actions    (const PcTestNotification *notification);
/* The label for @key, or NULL if there is no such action. */
const char *pc_test_notification_get_action_label (const PcTestNotification *notification,
                                                   const char               *key);
/* The first action key that starts with @prefix, or NULL. */
const char *pc_test_notification_find_action      (const PcTestNotification *notification,
                                                   const char               *prefix);

/**
 * PcTestNotificationServer:
 *
 * An org.freedesktop.Notifications server for tests, living in the test's process on
 * the session bus of `dbus-run-session`: it records every Notify and CloseNotification
 * call and can emit ActionInvoked and NotificationClosed as a notification daemon does.
 * Use it with `GNOTIFICATION_BACKEND=freedesktop`, set before GApplication sends
 * anything.
 *
 * Tests that run in parallel on one bus queue for the name: pc_test_notification_server_new()
 * returns once this process owns it.
 */
#define PC_TEST_TYPE_NOTIFICATION_SERVER (pc_test_notification_server_get_type ())
G_DECLARE_FINAL_TYPE (PcTestNotificationServer, pc_test_notification_server,
                      PC_TEST, NOTIFICATION_SERVER, GObject)

PcTestNotificationServer *pc_test_notification_server_new          (GDBusConnection *connection);
PcTestNotificationServer *pc_test_notification_server_new_unqueued (GDBusConnection *connection);
PcTestNotificationServer *pc_test_notification_server_new_with_capabilities (GDBusConnection    *connection,
                                                                              const char * const *capabilities);
void pc_test_notification_server_set_capabilities (PcTestNotificationServer *self,
                                                   const char * const       *capabilities);
/* How many GetCapabilities calls have been answered. */
guint pc_test_notification_server_get_n_capabilities_calls (PcTestNotificationServer *self);
GDBusConnection *pc_test_notification_server_get_connection (PcTestNotificationServer *self);

/* Every Notify call, in order (also replacements). */
guint pc_test_notification_server_get_n_notify_calls (PcTestNotificationServer *self);
const PcTestNotification *
      pc_test_notification_server_get_notify_call    (PcTestNotificationServer *self,
                                                      guint                     index);
const PcTestNotification *
      pc_test_notification_server_get_last           (PcTestNotificationServer *self);

/* The notifications currently shown: the latest Notify for each id, not yet closed. */
guint pc_test_notification_server_get_n_open         (PcTestNotificationServer *self);
const PcTestNotification *
      pc_test_notification_server_lookup             (PcTestNotificationServer *self,
                                                      guint32                   id);

/* Every CloseNotification call's id, in order. */
guint   pc_test_notification_server_get_n_close_calls (PcTestNotificationServer *self);
guint32 pc_test_notification_server_get_close_call    (PcTestNotificationServer *self,
                                                       guint                     index);

/* Forgets the recorded calls (open notifications stay open). */
void pc_test_notification_server_clear_calls   (PcTestNotificationServer *self);

/* As the user clicking: emits ActionInvoked (@action_key: "default" or a button's key),
 * then closes the notification (NotificationClosed, reason 2: dismissed). */
void pc_test_notification_server_invoke_action (PcTestNotificationServer *self,
                                                guint32                   id,
                                                const char               *action_key);
/* Emits NotificationClosed(@id, @reason) and forgets the notification. */
void pc_test_notification_server_close         (PcTestNotificationServer *self,
                                                guint32                   id,
                                                guint32                   reason);

/* Iterate the default main context until that many calls have arrived. */
void pc_test_notification_server_wait_for_notify (PcTestNotificationServer *self,
                                                  guint                     n_calls);
void pc_test_notification_server_wait_for_close  (PcTestNotificationServer *self,
                                                  guint                     n_calls);

/* Gives org.freedesktop.Notifications up and waits until GLib's notification backends
 * on this connection have seen it go. Call it BEFORE dropping the last reference to a
 * GApplication that sent notifications which are still open: GLib 2.74.6 as Debian
 * ships it (with the CVE-2024-34397 backport) frees its list of open notifications when
 * the server vanishes, and if the application is already gone that recurses until the
 * stack overflows. Disposing the server calls this without waiting. */
void pc_test_notification_server_shutdown (PcTestNotificationServer *self);

/* A round trip through the bus on the server's connection: every reply the server sent
 * before has reached its caller on that connection (e.g. GLib now knows the id of each
 * notification it sent, which it needs to replace or withdraw it). */
void pc_test_notification_server_sync     (PcTestNotificationServer *self);

G_END_DECLS
