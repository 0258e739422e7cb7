/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pc-notifier"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "pc-api.h"
#include "pc-booking.h"
#include "pc-describe.h"
#include "pc-error.h"
#include "pc-format.h"
#include "pc-notifier.h"
#include "pc-utils.h"

/**
 * PcNotifier:
 *
 * Turns re-invite and accept results, new bookings, accept-by deadlines coming close
 * and changes clients made into desktop notifications sent through #GApplication
 * (#GNotification), so that they work with every backend GLib picks (the portal in a
 * Flatpak, org.gtk.Notifications, org.freedesktop.Notifications).
 *
 * Each booking has its own notification ids, so a newer result replaces an older one
 * and viewing the booking withdraws them. They name clients and sessions with
 * pc-describe and errors with pc-error, in the same words as the window and
 * phonechat-cli; never the token or raw HTTP. The application decides *whether* to
 * notify (settings, window focus); this object decides *what* the notification says.
 *
 * Notifications carry server and client text (nicknames, the server's Message), which
 * must reach the user as plain text. Titles are always sent as they are; bodies are
 * sent as they are too, except to a notification server that renders body markup,
 * which gets the body with `&`, `<` and `>` escaped so that it shows the same text.
 * What each way a body can take does with markup (GLib 2.84, the versions of
 * xdg-desktop-portal, xdg-desktop-portal-gnome/-gtk and GNOME Shell of 2024–2025):
 *
 * - GLib's org.freedesktop.Notifications backend sends title and body unchanged in
 *   Notify and never asks the server's capabilities. The specification makes the
 *   summary plain text and the body markup when the server lists `body-markup` in
 *   GetCapabilities. GNOME Shell's FdoNotificationDaemon lists it and renders bodies
 *   as Pango markup (<b>, <i>, <u> and the five named entities; other tags show as
 *   text) and shows titles as plain text. Other daemons may render more tags
 *   (e.g. <a href>).
 * - GLib's org.gtk.Notifications backend sends the serialized notification; GNOME
 *   Shell's GtkNotificationDaemon shows its `title` and `body` as plain text (it
 *   escapes them). Escaping there would show "&amp;".
 * - GLib's portal backend sends `title` and `body` to org.freedesktop.portal.Notification,
 *   whose `body` is plain text (newer GLib, 2.85 on, can send a separate
 *   `markup-body` key for portal version 2; 2.84 never does). xdg-desktop-portal-gnome
 *   hands the notification to Shell's org.gtk.Notifications (plain); a backend that
 *   falls back to org.freedesktop.Notifications (as -gtk can) passes the body on
 *   unescaped, which the application inside the sandbox cannot see or fix.
 *
 * GNotification does not say which backend GLib picked, so the notifier follows GLib
 * 2.84's own rule: `GNOTIFICATION_BACKEND` if it names a usable backend; else the
 * portal in a Flatpak (/.flatpak-info) or with `GIO_USE_PORTALS=1` (GLib's snap check,
 * which runs snapctl, is not mirrored: PhoneChat ships as a Flatpak); else
 * org.gtk.Notifications if that name has an owner; else org.freedesktop.Notifications.
 * GLib picks once, at the first notification, and so does the notifier; for the
 * freedesktop backend it asks GetCapabilities whenever the server's name changes owner.
 * Until it knows, sends and withdrawals wait in order in a queue (none of this blocks).
 */

/* Which GLib notification backend the notifications take (see above). */
typedef enum
{
  ROUTE_UNKNOWN,
  ROUTE_PORTAL,
  ROUTE_GTK,
  ROUTE_FDO,
} Route;

/* A send or a withdrawal waiting until the notifier knows how bodies are shown. */
typedef struct
{
  char          *id;
  GNotification *notification; /* NULL: withdraw */
  char          *body;         /* the plain body, or NULL */
} PendingOp;

struct _PcNotifier
{
  GObject          parent_instance;

  GApplication    *application; /* weak: the application owns us */

  GCancellable    *cancellable;
  GDBusConnection *bus;
  guint            gtk_watch;
  guint            fdo_watch;

  /* What is known so far; a *_known flag is FALSE while its answer is awaited. */
  gboolean         sandbox_known;
  gboolean         sandboxed;
  gboolean         gtk_known;
  gboolean         gtk_owned;
  gboolean         fdo_known;
  gboolean         fdo_body_markup;
  guint            fdo_serial;   /* the GetCapabilities answer that counts */

  Route            route;        /* fixed at the first send, as GLib fixes its backend */
  GQueue           pending;      /* PendingOp */
};

G_DEFINE_FINAL_TYPE (PcNotifier, pc_notifier, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_APPLICATION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* A notification body longer than this is cut: servers may put anything in a Message. */
#define MAX_BODY_CHARS 400

/* Cuts @text to MAX_BODY_CHARS characters on a character boundary. */
static char *
limit_text (const char *text)
{
  const char *end;

  if (text == NULL)
    return NULL;
  if (g_utf8_strlen (text, -1) <= MAX_BODY_CHARS)
    return g_strdup (text);

  end = g_utf8_offset_to_pointer (text, MAX_BODY_CHARS - 1);
  return g_strdup_printf ("%.*s…", (int) (end - text), text);
}

/* Every kind of notification about one booking, each with an id of its own. */
static const char * const booking_prefixes[] = {
  PC_NOTIFIER_ID_REINVITE_PREFIX,
  PC_NOTIFIER_ID_REINVITABLE_PREFIX,
  PC_NOTIFIER_ID_NEW_BOOKING_PREFIX,
  PC_NOTIFIER_ID_ACCEPT_BY_PREFIX,
  PC_NOTIFIER_ID_CHANGED_PREFIX,
  PC_NOTIFIER_ID_ACCEPT_PREFIX,
};

static char *
booking_notification_id (const char *prefix,
                         gint64      booking_id)
{
  return g_strdup_printf ("%s%" G_GINT64_FORMAT, prefix, booking_id);
}

static char *
reinvitable_id (gint64 booking_id)
{
  return booking_notification_id (PC_NOTIFIER_ID_REINVITABLE_PREFIX, booking_id);
}

/* Joins who the clients of the batch entries with @outcome are, or returns NULL if
 * none. */
static char *
join_nicknames (PcReinviteBatch   *result,
                PcReinviteOutcome  outcome)
{
  g_autoptr(GString) names = NULL;
  guint n = pc_reinvite_batch_get_n_items (result);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *who = NULL;

      if (pc_reinvite_batch_get_outcome (result, i) != outcome)
        continue;

      who = pc_describe_client_name (pc_reinvite_batch_get_nickname (result, i),
                                     pc_reinvite_batch_get_booking_id (result, i));
      if (names == NULL)
        names = g_string_new (who);
      else
        {
          /* Translators: separates client nicknames in a list */
          g_string_append (names, C_("list separator", ", "));
          g_string_append (names, who);
        }
    }

  return names != NULL ? g_string_free (g_steal_pointer (&names), FALSE) : NULL;
}

static void
append_line (GString    *body,
             const char *line)
{
  if (body->len > 0)
    g_string_append_c (body, '\n');
  g_string_append (body, line);
}

static void
pending_op_free (gpointer data)
{
  PendingOp *op = data;

  g_free (op->id);
  g_clear_object (&op->notification);
  g_free (op->body);
  g_free (op);
}

static void
pc_notifier_dispose (GObject *object)
{
  PcNotifier *self = (PcNotifier *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->gtk_watch, g_bus_unwatch_name);
  g_clear_handle_id (&self->fdo_watch, g_bus_unwatch_name);
  g_clear_object (&self->bus);
  g_queue_clear_full (&self->pending, pending_op_free);
  g_clear_weak_pointer (&self->application);

  G_OBJECT_CLASS (pc_notifier_parent_class)->dispose (object);
}

static void
pc_notifier_finalize (GObject *object)
{
  PcNotifier *self = (PcNotifier *) object;

  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (pc_notifier_parent_class)->finalize (object);
}

static void
pc_notifier_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  PcNotifier *self = PC_NOTIFIER (object);

  switch (prop_id)
    {
    case PROP_APPLICATION:
      g_value_set_object (value, self->application);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pc_notifier_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  PcNotifier *self = PC_NOTIFIER (object);

  switch (prop_id)
    {
    case PROP_APPLICATION:
      g_set_weak_pointer (&self->application, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

#define GTK_NOTIFICATIONS_NAME "org.gtk.Notifications"
#define FDO_NOTIFICATIONS_NAME "org.freedesktop.Notifications"
#define FDO_NOTIFICATIONS_PATH "/org/freedesktop/Notifications"

/* The backend GNOTIFICATION_BACKEND names, if any. */
static Route
forced_route (void)
{
  const char *name = g_getenv ("GNOTIFICATION_BACKEND");

  if (g_strcmp0 (name, "freedesktop") == 0)
    return ROUTE_FDO;
  if (g_strcmp0 (name, "gtk") == 0)
    return ROUTE_GTK;
  if (g_strcmp0 (name, "portal") == 0)
    return ROUTE_PORTAL;

  return ROUTE_UNKNOWN;
}

/* GLib tries the backend GNOTIFICATION_BACKEND names, then by priority the portal,
 * org.gtk.Notifications and org.freedesktop.Notifications (always usable), taking the
 * first usable one. ROUTE_UNKNOWN while an answer this needs is still awaited. */
static Route
decide_route (PcNotifier *self)
{
  const Route order[] = { forced_route (), ROUTE_PORTAL, ROUTE_GTK, ROUTE_FDO };

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      switch (order[i])
        {
        case ROUTE_UNKNOWN:
          break;
        case ROUTE_PORTAL:
          if (!self->sandbox_known)
            return ROUTE_UNKNOWN;
          if (self->sandboxed)
            return ROUTE_PORTAL;
          break;
        case ROUTE_GTK:
          if (!self->gtk_known)
            return ROUTE_UNKNOWN;
          if (self->gtk_owned)
            return ROUTE_GTK;
          break;
        case ROUTE_FDO:
        default:
          return ROUTE_FDO;
        }
    }

  return ROUTE_FDO;
}

/* Escapes what Pango and the notification specification's body markup interpret
 * (&, <, >), so that the server renders @text as it is. Not g_markup_escape_text():
 * its &#39; for an apostrophe is not among the entities GNOME Shell accepts,
 * and quotes mean nothing outside a tag. */
static char *
escape_body_markup (const char *text)
{
  GString *escaped = g_string_sized_new (strlen (text));

  for (const char *p = text; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '&':
          g_string_append (escaped, "&amp;");
          break;
        case '<':
          g_string_append (escaped, "&lt;");
          break;
        case '>':
          g_string_append (escaped, "&gt;");
          break;
        default:
          g_string_append_c (escaped, *p);
        }
    }

  return g_string_free (escaped, FALSE);
}

/* Sends or withdraws through the application, if it is still there and registered
 * (GApplication refuses notifications before registration). */
static GApplication *
get_ready_application (PcNotifier *self)
{
  if (self->application == NULL)
    {
      g_debug ("No application: notification dropped");
      return NULL;
    }
  if (!g_application_get_is_registered (self->application))
    {
      g_debug ("The application is not registered: notification dropped");
      return NULL;
    }

  return self->application;
}

static void
perform (PcNotifier *self,
         PendingOp  *op)
{
  GApplication *application = get_ready_application (self);

  if (application == NULL)
    return;

  if (op->notification == NULL)
    {
      g_application_withdraw_notification (application, op->id);
      return;
    }

  if (op->body != NULL && self->route == ROUTE_FDO && self->fdo_body_markup)
    {
      g_autofree char *markup = escape_body_markup (op->body);

      g_notification_set_body (op->notification, markup);
    }

  g_application_send_notification (application, op->id, op->notification);
}

/* Performs the queued sends and withdrawals in order, once it is known how the server
 * shows bodies. */
static void
flush_pending (PcNotifier *self)
{
  PendingOp *op;

  if (g_queue_is_empty (&self->pending))
    return;

  if (self->route == ROUTE_UNKNOWN)
    {
      self->route = decide_route (self);
      if (self->route == ROUTE_UNKNOWN)
        return;
      g_debug ("Notifications go through the %s backend",
               self->route == ROUTE_PORTAL ? "portal" :
               self->route == ROUTE_GTK ? "org.gtk.Notifications" :
               "org.freedesktop.Notifications");
    }
  if (self->route == ROUTE_FDO && !self->fdo_known)
    return;

  while ((op = g_queue_pop_head (&self->pending)) != NULL)
    {
      perform (self, op);
      pending_op_free (op);
    }
}

static void
enqueue (PcNotifier    *self,
         const char    *id,
         GNotification *notification,
         const char    *body)
{
  PendingOp *op;

  if (get_ready_application (self) == NULL)
    return;

  op = g_new0 (PendingOp, 1);
  op->id = g_strdup (id);
  op->notification = notification != NULL ? g_object_ref (notification) : NULL;
  op->body = g_strdup (body);
  g_queue_push_tail (&self->pending, op);

  flush_pending (self);
}

typedef struct
{
  PcNotifier *self; /* not a reference: the call is cancelled on dispose */
  guint       serial;
} CapabilitiesCall;

static void
capabilities_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autofree CapabilitiesCall *call = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autofree const char **capabilities = NULL;
  PcNotifier *self;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = call->self;
  /* The name changed owner since: a newer call counts. */
  if (call->serial != self->fdo_serial)
    return;

  self->fdo_known = TRUE;
  if (reply != NULL)
    {
      g_variant_get (reply, "(^a&s)", &capabilities);
      self->fdo_body_markup = g_strv_contains (capabilities, "body-markup");
    }
  else if (g_dbus_error_is_remote_error (error) &&
           (g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN) ||
            g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_NAME_HAS_NO_OWNER)))
    {
      /* No server, and none to start: GLib's Notify fails as well. */
      g_debug ("No notification server: %s", error->message);
      self->fdo_body_markup = FALSE;
    }
  else
    {
      /* A server that does not answer may still show bodies as markup: escaping shows
       * the text, at worst with visible entities; not escaping could render markup. */
      g_debug ("Notification server capabilities unknown: %s", error->message);
      self->fdo_body_markup = TRUE;
    }

  g_debug ("The notification server %s body markup",
           self->fdo_body_markup ? "renders" : "does not render");
  flush_pending (self);
}

/* Asks org.freedesktop.Notifications (starting it, as Notify would) what it renders. */
static void
query_capabilities (PcNotifier *self)
{
  CapabilitiesCall *call = g_new0 (CapabilitiesCall, 1);

  self->fdo_known = FALSE;
  call->self = self;
  call->serial = ++self->fdo_serial;
  g_dbus_connection_call (self->bus, FDO_NOTIFICATIONS_NAME, FDO_NOTIFICATIONS_PATH,
                          FDO_NOTIFICATIONS_NAME, "GetCapabilities", NULL,
                          G_VARIANT_TYPE ("(as)"), G_DBUS_CALL_FLAGS_NONE, -1,
                          self->cancellable, capabilities_cb, call);
}

/* The server appeared or vanished: either way what renders bodies may have changed. */
static void
fdo_name_appeared_cb (GDBusConnection *connection,
                      const char      *name,
                      const char      *name_owner,
                      gpointer         user_data)
{
  query_capabilities (PC_NOTIFIER (user_data));
}

static void
fdo_name_vanished_cb (GDBusConnection *connection,
                      const char      *name,
                      gpointer         user_data)
{
  query_capabilities (PC_NOTIFIER (user_data));
}

static void
gtk_name_appeared_cb (GDBusConnection *connection,
                      const char      *name,
                      const char      *name_owner,
                      gpointer         user_data)
{
  PcNotifier *self = user_data;

  self->gtk_known = TRUE;
  self->gtk_owned = TRUE;
  flush_pending (self);
}

static void
gtk_name_vanished_cb (GDBusConnection *connection,
                      const char      *name,
                      gpointer         user_data)
{
  PcNotifier *self = user_data;

  self->gtk_known = TRUE;
  self->gtk_owned = FALSE;
  flush_pending (self);
}

static void
bus_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) bus = NULL;
  PcNotifier *self;

  bus = g_bus_get_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = user_data;
  if (bus == NULL)
    {
      /* GLib cannot send either; nothing waits for answers that cannot come. */
      g_debug ("No session bus: %s", error->message);
      self->gtk_known = TRUE;
      self->fdo_known = TRUE;
      flush_pending (self);
      return;
    }

  self->bus = g_steal_pointer (&bus);
  self->gtk_watch = g_bus_watch_name_on_connection (self->bus, GTK_NOTIFICATIONS_NAME,
                                                    G_BUS_NAME_WATCHER_FLAGS_NONE,
                                                    gtk_name_appeared_cb,
                                                    gtk_name_vanished_cb, self, NULL);
  self->fdo_watch = g_bus_watch_name_on_connection (self->bus, FDO_NOTIFICATIONS_NAME,
                                                    G_BUS_NAME_WATCHER_FLAGS_NONE,
                                                    fdo_name_appeared_cb,
                                                    fdo_name_vanished_cb, self, NULL);
}

static void
flatpak_info_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileInfo) info = NULL;
  PcNotifier *self;

  info = g_file_query_info_finish (G_FILE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = user_data;
  self->sandbox_known = TRUE;
  self->sandboxed = info != NULL;
  flush_pending (self);
}

static void
pc_notifier_constructed (GObject *object)
{
  PcNotifier *self = (PcNotifier *) object;

  G_OBJECT_CLASS (pc_notifier_parent_class)->constructed (object);

  /* As GLib decides whether to use the portal (a Flatpak, or asked to). */
  if (g_strcmp0 (g_getenv ("GIO_USE_PORTALS"), "1") == 0)
    {
      self->sandbox_known = TRUE;
      self->sandboxed = TRUE;
    }
  else
    {
      g_autoptr(GFile) file = g_file_new_for_path ("/.flatpak-info");

      g_file_query_info_async (file, G_FILE_ATTRIBUTE_STANDARD_TYPE,
                               G_FILE_QUERY_INFO_NONE, G_PRIORITY_DEFAULT,
                               self->cancellable, flatpak_info_cb, self);
    }

  g_bus_get (G_BUS_TYPE_SESSION, self->cancellable, bus_cb, self);
}

static void
pc_notifier_class_init (PcNotifierClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = pc_notifier_constructed;
  object_class->dispose = pc_notifier_dispose;
  object_class->finalize = pc_notifier_finalize;
  object_class->get_property = pc_notifier_get_property;
  object_class->set_property = pc_notifier_set_property;

  properties[PROP_APPLICATION] =
    g_param_spec_object ("application", NULL, NULL, G_TYPE_APPLICATION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pc_notifier_init (PcNotifier *self)
{
  self->cancellable = g_cancellable_new ();
  g_queue_init (&self->pending);
}

/**
 * pc_notifier_new:
 * @application: the application that sends the notifications; it must have an id, and
 *   it must provide the actions named by %PC_NOTIFIER_ACTION_SHOW_BOOKING,
 *   %PC_NOTIFIER_ACTION_REINVITE_BOOKING and %PC_NOTIFIER_ACTION_SHOW_WINDOW
 *
 * The notifier keeps only a weak reference to @application, which normally owns it.
 */
PcNotifier *
pc_notifier_new (GApplication *application)
{
  g_return_val_if_fail (G_IS_APPLICATION (application), NULL);

  return g_object_new (PC_TYPE_NOTIFIER, "application", application, NULL);
}

/**
 * pc_notifier_get_application:
 *
 * Returns: (transfer none) (nullable): the application, or %NULL once it is gone
 */
GApplication *
pc_notifier_get_application (PcNotifier *self)
{
  g_return_val_if_fail (PC_IS_NOTIFIER (self), NULL);

  return self->application;
}

/* The body of a notification saying that an action failed: the same sentence as the
 * dialogs', then PcApi's own message. */
static char *
describe_failure (const GError *error,
                  PcErrorTask   task)
{
  g_autofree char *line = pc_error_dup_line (error, task);

  return limit_text (line);
}

/* A notification about one booking, which clicking shows; hands @body to @body_out (for
 * escaping, see enqueue()). */
static GNotification *
new_booking_notification (gint64       booking_id,
                          const char  *title,
                          char        *body,
                          char       **body_out)
{
  GNotification *notification = g_notification_new (title);

  g_notification_set_body (notification, body);
  g_notification_set_default_action_and_target (notification,
                                                 PC_NOTIFIER_ACTION_SHOW_BOOKING,
                                                 "x", booking_id);

  if (body_out != NULL)
    *body_out = g_strdup (body);
  return notification;
}

/* Accept and Open, for a booking that waits to be accepted. */
static void
add_accept_buttons (GNotification *notification,
                    gint64         booking_id)
{
  /* Translators: a notification button that accepts the booking at once */
  g_notification_add_button_with_target (notification, _("Accept"),
                                         PC_NOTIFIER_ACTION_ACCEPT_BOOKING, "x", booking_id);
  /* Translators: a notification button that shows the booking in the window */
  g_notification_add_button_with_target (notification, _("Open"),
                                         PC_NOTIFIER_ACTION_SHOW_BOOKING, "x", booking_id);
}

/* Sends @notification under the booking's id for @prefix. */
static void
send_for_booking (PcNotifier    *self,
                  const char    *prefix,
                  PcBooking     *booking,
                  GNotification *notification,
                  const char    *body)
{
  g_autofree char *id = booking_notification_id (prefix, pc_booking_get_booking_id (booking));

  enqueue (self, id, notification, body);
}

typedef GNotification *(*BuildFunc) (PcBooking  *booking,
                                     char      **body_out);

/* Builds the booking's notification with @build and sends it under its id for @prefix. */
static void
build_and_send (PcNotifier *self,
                const char *prefix,
                PcBooking  *booking,
                BuildFunc   build)
{
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *body = NULL;

  notification = build (booking, &body);
  send_for_booking (self, prefix, booking, notification, body);
}

/* A notification about a booking that waits to be accepted: Accept and Open buttons
 * while it can be. */
static GNotification *
new_acceptable_notification (PcBooking   *booking,
                             const char  *title,
                             char        *body,
                             char       **body_out)
{
  gint64 booking_id = pc_booking_get_booking_id (booking);
  GNotification *notification = new_booking_notification (booking_id, title, body, body_out);

  if (pc_booking_get_can_accept (booking))
    add_accept_buttons (notification, booking_id);

  return notification;
}

/* What the notification about a booking action's result says, and which of the
 * booking's notifications a success makes out of date. */
typedef struct
{
  const char  *prefix;           /* of its id */
  PcErrorTask  task;             /* for the failure's sentence */
  const char  *done_title;       /* %s: the client's nickname */
  const char  *done_body;        /* %s: the BookingID, then the session's date and time */
  const char  *done_body_short;  /* %s: the BookingID, for a booking without a session */
  const char  *uncertain_title;  /* %s: the client's nickname */
  const char  *failed_title;     /* %s: the client's nickname */
  const char  *out_of_date[3];   /* id prefixes, NULL-terminated */
} ActionWording;

static const ActionWording reinvite_wording = {
  PC_NOTIFIER_ID_REINVITE_PREFIX,
  PC_ERROR_TASK_REINVITE,
  /* Translators: a notification title; %s is the client's nickname */
  N_("%s re-invited"),
  /* Translators: the first %s is a BookingID, the second the session's date and
   * time, as in "Booking 4817263 (Sat 14 Jun, 21:30) was rejected and the client
   * invited again." */
  N_("Booking %s (%s) was rejected and the client invited again."),
  N_("Booking %s was rejected and the client invited again."),
  /* Translators: a notification title; %s is the client's nickname */
  N_("Re-invite uncertain: %s"),
  /* Translators: a notification title; %s is the client's nickname */
  N_("Re-invite failed: %s"),
  { PC_NOTIFIER_ID_REINVITABLE_PREFIX, NULL },
};

static const ActionWording accept_wording = {
  PC_NOTIFIER_ID_ACCEPT_PREFIX,
  PC_ERROR_TASK_BOOKING_ACTION,
  /* Translators: a notification title; %s is the client's nickname */
  N_("%s’s booking accepted"),
  /* Translators: the first %s is a BookingID, the second the session's date and time */
  N_("Booking %s (%s) was accepted."),
  N_("Booking %s was accepted."),
  /* Translators: a notification title; %s is the client's nickname */
  N_("Accept uncertain: %s"),
  /* Translators: a notification title; %s is the client's nickname */
  N_("Accept failed: %s"),
  /* Its Accept is done. */
  { PC_NOTIFIER_ID_NEW_BOOKING_PREFIX, PC_NOTIFIER_ID_ACCEPT_BY_PREFIX, NULL },
};

/* The formats come from the wordings above, all of them checked by their uses' tests. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static GNotification *
build_action_finished (const ActionWording  *wording,
                       PcBooking            *booking,
                       const GError         *error,
                       char                **body_out)
{
  g_autofree char *who = NULL;
  g_autofree char *id = NULL;
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;
  gint64 booking_id;

  g_return_val_if_fail (PC_IS_BOOKING (booking), NULL);

  /* Not worth a notification. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return NULL;

  booking_id = pc_booking_get_booking_id (booking);
  who = pc_describe_client (booking);
  id = pc_booking_id_to_string (booking_id);

  if (error == NULL)
    {
      g_autofree char *session = pc_describe_session (booking, PC_SESSION_FORM_BRIEF);

      title = g_strdup_printf (_(wording->done_title), who);
      if (session != NULL)
        body = g_strdup_printf (_(wording->done_body), id, session);
      else
        body = g_strdup_printf (_(wording->done_body_short), id);
    }
  else
    {
      if (g_error_matches (error, PC_API_ERROR, PC_API_ERROR_OUTCOME_UNKNOWN))
        title = g_strdup_printf (_(wording->uncertain_title), who);
      else
        title = g_strdup_printf (_(wording->failed_title), who);

      body = describe_failure (error, wording->task);
    }

  return new_booking_notification (booking_id, title, body, body_out);
}
#pragma GCC diagnostic pop

/* Sends the result under the booking's id for the action; a success withdraws what it
 * made out of date. */
static void
action_finished (PcNotifier          *self,
                 const ActionWording *wording,
                 PcBooking           *booking,
                 const GError        *error)
{
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *body = NULL;

  notification = build_action_finished (wording, booking, error, &body);
  if (notification == NULL)
    return;

  send_for_booking (self, wording->prefix, booking, notification, body);
  if (error != NULL)
    return;

  for (guint i = 0; wording->out_of_date[i] != NULL; i++)
    send_for_booking (self, wording->out_of_date[i], booking, NULL, NULL);
}

/**
 * pc_notifier_build_reinvite_finished:
 * @booking: the booking (as updated from the server on success)
 * @error: (nullable): why it failed, or %NULL on success
 *
 * Returns: (transfer full) (nullable): the notification (its text plain), or %NULL for
 *   a cancelled re-invite, which is not worth a notification
 */
GNotification *
pc_notifier_build_reinvite_finished (PcBooking    *booking,
                                     const GError *error)
{
  return build_action_finished (&reinvite_wording, booking, error, NULL);
}

/**
 * pc_notifier_reinvite_finished:
 * @booking: the booking (as updated from the server on success)
 * @error: (nullable): why it failed, or %NULL on success
 *
 * Sends one notification (id `reinvite-<BookingID>`) saying who was re-invited or why
 * it failed; clicking it activates `app.show-booking(BookingID)`. A cancelled re-invite
 * sends nothing. Success also withdraws the booking's "can be re-invited" notification.
 */
void
pc_notifier_reinvite_finished (PcNotifier   *self,
                               PcBooking    *booking,
                               const GError *error)
{
  g_return_if_fail (PC_IS_NOTIFIER (self));
  g_return_if_fail (PC_IS_BOOKING (booking));

  action_finished (self, &reinvite_wording, booking, error);
}

static GNotification *
build_batch_finished (PcReinviteBatch  *result,
                      char            **body_out)
{
  g_autoptr(GNotification) notification = NULL;
  g_autoptr(GString) body = NULL;
  g_autofree char *title = NULL;
  g_autofree char *failed_names = NULL;
  g_autofree char *skipped_names = NULL;
  g_autofree char *cancelled_names = NULL;
  guint succeeded;
  guint failed;
  guint skipped;
  guint cancelled;

  g_return_val_if_fail (result != NULL, NULL);

  succeeded = pc_reinvite_batch_count (result, PC_REINVITE_OUTCOME_SUCCEEDED);
  failed = pc_reinvite_batch_count (result, PC_REINVITE_OUTCOME_FAILED);
  skipped = pc_reinvite_batch_count (result, PC_REINVITE_OUTCOME_SKIPPED);
  cancelled = pc_reinvite_batch_count (result, PC_REINVITE_OUTCOME_CANCELLED);

  title = pc_reinvite_batch_dup_summary (result);

  body = g_string_new (NULL);
  failed_names = join_nicknames (result, PC_REINVITE_OUTCOME_FAILED);
  skipped_names = join_nicknames (result, PC_REINVITE_OUTCOME_SKIPPED);
  cancelled_names = join_nicknames (result, PC_REINVITE_OUTCOME_CANCELLED);

  if (failed_names != NULL)
    {
      g_autofree char *line = NULL;

      /* Translators: %s is a list of client nicknames */
      line = g_strdup_printf (ngettext ("Failed: %s", "Failed: %s", failed), failed_names);
      append_line (body, line);
    }
  if (skipped_names != NULL)
    {
      g_autofree char *line = NULL;

      /* Translators: %s is a list of client nicknames whose bookings could not be
       * re-invited, so nothing was sent for them */
      line = g_strdup_printf (ngettext ("Skipped, not eligible: %s",
                                        "Skipped, not eligible: %s", skipped),
                              skipped_names);
      append_line (body, line);
    }
  if (cancelled_names != NULL)
    {
      g_autofree char *line = NULL;

      /* Translators: %s is a list of client nicknames */
      line = g_strdup_printf (ngettext ("Cancelled: %s", "Cancelled: %s", cancelled),
                              cancelled_names);
      append_line (body, line);
    }
  if (body->len == 0 && succeeded > 0)
    append_line (body, _("Their bookings were rejected and the clients invited again."));

  notification = g_notification_new (title);
  if (body->len > 0)
    {
      g_autofree char *text = limit_text (body->str);

      g_notification_set_body (notification, text);
      if (body_out != NULL)
        *body_out = g_steal_pointer (&text);
    }
  g_notification_set_default_action (notification, PC_NOTIFIER_ACTION_SHOW_WINDOW);

  return g_steal_pointer (&notification);
}

/**
 * pc_notifier_build_batch_finished:
 *
 * Returns: (transfer full): the batch summary notification (its text plain)
 */
GNotification *
pc_notifier_build_batch_finished (PcReinviteBatch *result)
{
  return build_batch_finished (result, NULL);
}

/**
 * pc_notifier_batch_finished:
 *
 * Sends one summary notification (id `reinvite-batch`), e.g. "7 clients re-invited,
 * 1 failed", listing who failed or was skipped; clicking it activates `app.show-window`.
 * Each re-invited booking's "can be re-invited" notification is withdrawn.
 */
void
pc_notifier_batch_finished (PcNotifier      *self,
                            PcReinviteBatch *result)
{
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *body = NULL;
  guint n;

  g_return_if_fail (PC_IS_NOTIFIER (self));
  g_return_if_fail (result != NULL);

  notification = build_batch_finished (result, &body);
  enqueue (self, PC_NOTIFIER_ID_BATCH, notification, body);

  n = pc_reinvite_batch_get_n_items (result);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *old = NULL;

      if (pc_reinvite_batch_get_outcome (result, i) != PC_REINVITE_OUTCOME_SUCCEEDED)
        continue;

      old = reinvitable_id (pc_reinvite_batch_get_booking_id (result, i));
      enqueue (self, old, NULL, NULL);
    }
}

static GNotification *
build_became_reinvitable (PcBooking  *booking,
                          char      **body_out)
{
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *who = NULL;
  g_autofree char *id = NULL;
  g_autofree char *session = NULL;
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;
  gint64 booking_id;

  g_return_val_if_fail (PC_IS_BOOKING (booking), NULL);

  booking_id = pc_booking_get_booking_id (booking);
  who = pc_describe_client (booking);
  id = pc_booking_id_to_string (booking_id);
  session = pc_describe_session (booking, PC_SESSION_FORM_BRIEF);

  /* Translators: a notification title; %s is the client's nickname */
  title = g_strdup_printf (_("%s can be re-invited"), who);
  if (session != NULL)
    /* Translators: the first %s is a BookingID, the second the session's date and time */
    body = g_strdup_printf (_("The session of booking %s (%s) has passed while the booking "
                              "was pending. You can reject it and invite the client again."),
                            id, session);
  else
    body = g_strdup_printf (_("Booking %s can now be rejected and the client invited again."),
                            id);

  notification = g_notification_new (title);
  g_notification_set_body (notification, body);
  g_notification_set_default_action_and_target (notification,
                                                 PC_NOTIFIER_ACTION_SHOW_BOOKING,
                                                 "x", booking_id);
  /* Translators: a notification button that opens the re-invite dialog */
  g_notification_add_button_with_target (notification, _("Re-invite…"),
                                         PC_NOTIFIER_ACTION_REINVITE_BOOKING,
                                         "x", booking_id);

  if (body_out != NULL)
    *body_out = g_steal_pointer (&body);
  return g_steal_pointer (&notification);
}

/**
 * pc_notifier_build_became_reinvitable:
 *
 * Returns: (transfer full): the "can be re-invited" notification (its text plain)
 */
GNotification *
pc_notifier_build_became_reinvitable (PcBooking *booking)
{
  return build_became_reinvitable (booking, NULL);
}

/**
 * pc_notifier_became_reinvitable:
 *
 * Sends one notification (id `reinvitable-<BookingID>`) saying the booking can be
 * re-invited, with a "Re-invite…" button (`app.reinvite-booking(BookingID)`); clicking
 * the notification activates `app.show-booking(BookingID)`. Whether to call this at all
 * (a setting) is the application's decision; #PcBookingStore tells when.
 */
void
pc_notifier_became_reinvitable (PcNotifier *self,
                                PcBooking  *booking)
{
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *body = NULL;
  g_autofree char *id = NULL;

  g_return_if_fail (PC_IS_NOTIFIER (self));
  g_return_if_fail (PC_IS_BOOKING (booking));

  notification = build_became_reinvitable (booking, &body);
  id = reinvitable_id (pc_booking_get_booking_id (booking));
  enqueue (self, id, notification, body);
}

/**
 * pc_notifier_withdraw_booking:
 *
 * Withdraws every notification about the booking (`reinvite-<id>`, `reinvitable-<id>`,
 * `new-booking-<id>`, `accept-by-<id>`, `changed-<id>` and `accept-<id>`), e.g. because
 * the user is looking at the booking now.
 */
void
pc_notifier_withdraw_booking (PcNotifier *self,
                              gint64      booking_id)
{
  g_return_if_fail (PC_IS_NOTIFIER (self));

  for (guint i = 0; i < G_N_ELEMENTS (booking_prefixes); i++)
    {
      g_autofree char *id = booking_notification_id (booking_prefixes[i], booking_id);

      enqueue (self, id, NULL, NULL);
    }
}

/**
 * pc_notifier_withdraw_batch:
 *
 * Withdraws the batch summary notification.
 */
void
pc_notifier_withdraw_batch (PcNotifier *self)
{
  g_return_if_fail (PC_IS_NOTIFIER (self));

  enqueue (self, PC_NOTIFIER_ID_BATCH, NULL, NULL);
}

/**
 * pc_notifier_describe_new_booking:
 *
 * Returns: (transfer full): "shy_sam booked 10 minutes on Fri 27 Nov, 10:00 — accept by
 *   09:00" (plain text), shorter when the booking lacks a date
 */
char *
pc_notifier_describe_new_booking (PcBooking *booking)
{
  g_autofree char *who = NULL;
  g_autofree char *duration = NULL;
  g_autofree char *session = NULL;
  g_autofree char *accept_by = NULL;
  g_autofree char *booked = NULL;

  g_return_val_if_fail (PC_IS_BOOKING (booking), NULL);

  who = pc_describe_client (booking);
  duration = pc_format_duration (pc_booking_get_duration (booking));
  session = pc_describe_session (booking, PC_SESSION_FORM_BRIEF);
  accept_by = pc_describe_accept_by (booking);

  if (session != NULL)
    /* Translators: the client's nickname, the session's length ("10 minutes") and its
     * date and time ("Fri 27 Nov, 10:00") */
    booked = g_strdup_printf (_("%s booked %s on %s"), who, duration, session);
  else
    /* Translators: the client's nickname and the session's length ("10 minutes") */
    booked = g_strdup_printf (_("%s booked %s"), who, duration);

  if (accept_by == NULL)
    return g_steal_pointer (&booked);

  /* Translators: "shy_sam booked 10 minutes on Fri 27 Nov, 10:00", then the time by which
   * the booking must be accepted ("09:00", or a date and time) */
  return g_strdup_printf (_("%s — accept by %s"), booked, accept_by);
}

static GNotification *
build_new_booking (PcBooking  *booking,
                   char      **body_out)
{
  g_autofree char *who = NULL;
  g_autofree char *title = NULL;
  g_autofree char *sentence = NULL;
  g_autofree char *body = NULL;

  g_return_val_if_fail (PC_IS_BOOKING (booking), NULL);

  who = pc_describe_client (booking);
  /* Translators: a notification title; %s is the client's nickname */
  title = g_strdup_printf (_("New booking from %s"), who);
  sentence = pc_notifier_describe_new_booking (booking);
  body = limit_text (sentence);

  return new_acceptable_notification (booking, title, body, body_out);
}

/**
 * pc_notifier_new_booking:
 *
 * Sends one notification (id `new-booking-<BookingID>`): "New booking from shy_sam",
 * "shy_sam booked 10 minutes on Fri 27 Nov, 10:00 — accept by 09:00", with *Accept*
 * (`app.accept-booking(BookingID)`) and *Open* (`app.show-booking(BookingID)`) buttons
 * while the booking can be accepted; clicking it shows the booking.
 */
void
pc_notifier_new_booking (PcNotifier *self,
                         PcBooking  *booking)
{
  g_return_if_fail (PC_IS_NOTIFIER (self));
  g_return_if_fail (PC_IS_BOOKING (booking));

  build_and_send (self, PC_NOTIFIER_ID_NEW_BOOKING_PREFIX, booking, build_new_booking);
}

static GNotification *
build_accept_by_approaching (PcBooking  *booking,
                             char      **body_out)
{
  g_autofree char *who = NULL;
  g_autofree char *id = NULL;
  g_autofree char *session = NULL;
  g_autofree char *accept_by = NULL;
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;

  g_return_val_if_fail (PC_IS_BOOKING (booking), NULL);

  who = pc_describe_client (booking);
  id = pc_booking_id_to_string (pc_booking_get_booking_id (booking));
  session = pc_describe_session (booking, PC_SESSION_FORM_BRIEF);
  accept_by = pc_describe_accept_by (booking);

  /* Translators: a notification title; the first %s is the client's nickname, the
   * second a time ("09:00") or a date and time */
  title = g_strdup_printf (_("Accept %s’s booking by %s"), who,
                           accept_by != NULL ? accept_by : "");
  if (session != NULL)
    /* Translators: the first %s is a BookingID, the second the session's date and time */
    body = g_strdup_printf (_("Booking %s (%s) is still waiting for you to accept it."),
                            id, session);
  else
    /* Translators: %s is a BookingID */
    body = g_strdup_printf (_("Booking %s is still waiting for you to accept it."), id);

  return new_acceptable_notification (booking, title, body, body_out);
}

/**
 * pc_notifier_accept_by_approaching:
 *
 * Sends one reminder (id `accept-by-<BookingID>`) that the booking's accept-by time is
 * close, with *Accept* and *Open* buttons while it can be accepted. When to call it is
 * the application's decision (a setting, the lead time).
 */
void
pc_notifier_accept_by_approaching (PcNotifier *self,
                                   PcBooking  *booking)
{
  g_return_if_fail (PC_IS_NOTIFIER (self));
  g_return_if_fail (PC_IS_BOOKING (booking));

  build_and_send (self, PC_NOTIFIER_ID_ACCEPT_BY_PREFIX, booking, build_accept_by_approaching);
}

/**
 * pc_notifier_describe_client_change:
 * @booking: the booking as it is now
 *
 * Returns: (transfer full): what the client did, "shy_sam cancelled a booking" (plain
 *   text): the title of the notification about it, also for a toast
 */
char *
pc_notifier_describe_client_change (PcBooking *booking)
{
  g_autofree char *who = NULL;

  g_return_val_if_fail (PC_IS_BOOKING (booking), NULL);

  who = pc_describe_client (booking);
  switch (pc_booking_get_status (booking))
    {
    case PC_BOOKING_STATUS_CANCELLED:
      /* Translators: a notification title; %s is the client's nickname */
      return g_strdup_printf (_("%s cancelled a booking"), who);
    case PC_BOOKING_STATUS_CONFIRMED:
      /* Translators: a notification title; %s is the client's nickname */
      return g_strdup_printf (_("%s confirmed a booking"), who);
    case PC_BOOKING_STATUS_UNKNOWN:
    case PC_BOOKING_STATUS_PENDING:
    case PC_BOOKING_STATUS_ACCEPTED:
    case PC_BOOKING_STATUS_REJECTED:
    default:
      /* Translators: a notification title; %s is the client's nickname */
      return g_strdup_printf (_("%s’s booking changed"), who);
    }
}

static GNotification *
build_changed_by_client (PcBooking  *booking,
                         char      **body_out)
{
  g_autofree char *id = NULL;
  g_autofree char *session = NULL;
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;
  g_autoptr(GString) text = NULL;
  const char *reason = NULL;
  gint64 booking_id;

  g_return_val_if_fail (PC_IS_BOOKING (booking), NULL);

  booking_id = pc_booking_get_booking_id (booking);
  id = pc_booking_id_to_string (booking_id);
  session = pc_describe_session (booking, PC_SESSION_FORM_BRIEF);
  title = pc_notifier_describe_client_change (booking);
  if (pc_booking_get_status (booking) == PC_BOOKING_STATUS_CANCELLED)
    reason = pc_booking_get_cancelled_reason (booking);

  text = g_string_new (NULL);
  if (session != NULL)
    /* Translators: the first %s is a BookingID, the second the session's date and time,
     * the third the booking's status ("Cancelled") */
    g_string_append_printf (text, _("Booking %s (%s) is now %s."), id, session,
                            pc_booking_status_get_label (pc_booking_get_status (booking)));
  else
    /* Translators: the first %s is a BookingID, the second the booking's status */
    g_string_append_printf (text, _("Booking %s is now %s."), id,
                            pc_booking_status_get_label (pc_booking_get_status (booking)));
  if (reason != NULL && *reason != '\0')
    {
      g_autofree char *line = NULL;

      /* Translators: %s is the reason the client gave, as they wrote it */
      line = g_strdup_printf (_("Reason: %s"), reason);
      append_line (text, line);
    }
  body = limit_text (text->str);

  return new_booking_notification (booking_id, title, body, body_out);
}

/**
 * pc_notifier_changed_by_client:
 * @booking: the booking as it is now
 *
 * Sends one notification (id `changed-<BookingID>`) saying that the client changed the
 * booking (cancelled it, with their reason; confirmed it). Whether the change was the
 * client's, and not this program's, is the application's to know.
 */
void
pc_notifier_changed_by_client (PcNotifier *self,
                               PcBooking  *booking)
{
  g_return_if_fail (PC_IS_NOTIFIER (self));
  g_return_if_fail (PC_IS_BOOKING (booking));

  build_and_send (self, PC_NOTIFIER_ID_CHANGED_PREFIX, booking, build_changed_by_client);
}

/**
 * pc_notifier_accept_finished:
 * @booking: the booking (as updated from the server on success)
 * @error: (nullable): why it failed, or %NULL on success
 *
 * Sends one notification (id `accept-<BookingID>`) saying that the booking was accepted
 * or why not; clicking it shows the booking. Success withdraws the booking's new-booking
 * and accept-by notifications, whose *Accept* is done.
 */
void
pc_notifier_accept_finished (PcNotifier   *self,
                             PcBooking    *booking,
                             const GError *error)
{
  g_return_if_fail (PC_IS_NOTIFIER (self));
  g_return_if_fail (PC_IS_BOOKING (booking));

  action_finished (self, &accept_wording, booking, error);
}
