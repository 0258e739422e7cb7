/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pc-notifier"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pc-api.h"
#include "pc-booking.h"
#include "pc-describe.h"
#include "pc-error.h"
#include "pc-notifier.h"
#include "pc-utils.h"

/**
 * PcNotifier:
 *
 * Turns re-invite results into desktop notifications sent through #GApplication
 * (#GNotification), so that they work with every backend GLib picks (the portal in a
 * Flatpak, org.gtk.Notifications, org.freedesktop.Notifications).
 *
 * Each booking has its own notification ids, so a newer result replaces an older one
 * and viewing the booking withdraws them. Notifications are plain text: nothing is
 * escaped. They name clients and sessions with pc-describe and errors with pc-error, in
 * the same words as the window and phonechat-cli; never the token or raw HTTP. The application decides *whether* to notify (settings, window focus); this
 * object decides *what* the notification says.
 */
struct _PcNotifier
{
  GObject       parent_instance;

  GApplication *application; /* weak: the application owns us */
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

static char *
reinvite_id (gint64 booking_id)
{
  return g_strdup_printf (PC_NOTIFIER_ID_REINVITE_PREFIX "%" G_GINT64_FORMAT, booking_id);
}

static char *
reinvitable_id (gint64 booking_id)
{
  return g_strdup_printf (PC_NOTIFIER_ID_REINVITABLE_PREFIX "%" G_GINT64_FORMAT, booking_id);
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
pc_notifier_dispose (GObject *object)
{
  PcNotifier *self = (PcNotifier *) object;

  g_clear_weak_pointer (&self->application);

  G_OBJECT_CLASS (pc_notifier_parent_class)->dispose (object);
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

static void
pc_notifier_class_init (PcNotifierClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pc_notifier_dispose;
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
send_notification (PcNotifier    *self,
                   const char    *id,
                   GNotification *notification)
{
  GApplication *application = get_ready_application (self);

  if (application != NULL)
    g_application_send_notification (application, id, notification);
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

/**
 * pc_notifier_build_reinvite_finished:
 * @booking: the booking (as updated from the server on success)
 * @error: (nullable): why it failed, or %NULL on success
 *
 * Returns: (transfer full) (nullable): the notification, or %NULL for a cancelled
 *   re-invite, which is not worth a notification
 */
GNotification *
pc_notifier_build_reinvite_finished (PcBooking    *booking,
                                     const GError *error)
{
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *who = NULL;
  g_autofree char *id = NULL;
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;
  gint64 booking_id;

  g_return_val_if_fail (PC_IS_BOOKING (booking), NULL);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return NULL;

  booking_id = pc_booking_get_booking_id (booking);
  who = pc_describe_client (booking);
  id = pc_booking_id_to_string (booking_id);

  if (error == NULL)
    {
      g_autofree char *session = pc_describe_session (booking, PC_SESSION_FORM_BRIEF);

      /* Translators: a notification title; %s is the client's nickname */
      title = g_strdup_printf (_("%s re-invited"), who);
      if (session != NULL)
        /* Translators: the first %s is a BookingID, the second the session's date and
         * time, as in "Booking 4817263 (Sat 14 Jun, 21:30) was rejected and the client
         * invited again." */
        body = g_strdup_printf (_("Booking %s (%s) was rejected and the client invited "
                                  "again."),
                                id, session);
      else
        body = g_strdup_printf (_("Booking %s was rejected and the client invited again."),
                                id);
    }
  else
    {
      g_autofree char *line = NULL;

      if (g_error_matches (error, PC_API_ERROR, PC_API_ERROR_OUTCOME_UNKNOWN))
        /* Translators: a notification title; %s is the client's nickname */
        title = g_strdup_printf (_("Re-invite uncertain: %s"), who);
      else
        /* Translators: a notification title; %s is the client's nickname */
        title = g_strdup_printf (_("Re-invite failed: %s"), who);

      /* The same sentence as the re-invite dialog's, then PcApi's own message. */
      line = pc_error_dup_line (error, PC_ERROR_TASK_REINVITE);
      body = limit_text (line);
    }

  notification = g_notification_new (title);
  g_notification_set_body (notification, body);
  g_notification_set_default_action_and_target (notification,
                                                 PC_NOTIFIER_ACTION_SHOW_BOOKING,
                                                 "x", booking_id);

  return g_steal_pointer (&notification);
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
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *id = NULL;
  GApplication *application;

  g_return_if_fail (PC_IS_NOTIFIER (self));
  g_return_if_fail (PC_IS_BOOKING (booking));

  notification = pc_notifier_build_reinvite_finished (booking, error);
  if (notification == NULL)
    return;

  id = reinvite_id (pc_booking_get_booking_id (booking));
  send_notification (self, id, notification);

  application = get_ready_application (self);
  if (error == NULL && application != NULL)
    {
      g_autofree char *old = reinvitable_id (pc_booking_get_booking_id (booking));

      g_application_withdraw_notification (application, old);
    }
}

/**
 * pc_notifier_build_batch_finished:
 *
 * Returns: (transfer full): the batch summary notification
 */
GNotification *
pc_notifier_build_batch_finished (PcReinviteBatch *result)
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
    }
  g_notification_set_default_action (notification, PC_NOTIFIER_ACTION_SHOW_WINDOW);

  return g_steal_pointer (&notification);
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
  GApplication *application;
  guint n;

  g_return_if_fail (PC_IS_NOTIFIER (self));
  g_return_if_fail (result != NULL);

  notification = pc_notifier_build_batch_finished (result);
  send_notification (self, PC_NOTIFIER_ID_BATCH, notification);

  application = get_ready_application (self);
  if (application == NULL)
    return;

  n = pc_reinvite_batch_get_n_items (result);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *old = NULL;

      if (pc_reinvite_batch_get_outcome (result, i) != PC_REINVITE_OUTCOME_SUCCEEDED)
        continue;

      old = reinvitable_id (pc_reinvite_batch_get_booking_id (result, i));
      g_application_withdraw_notification (application, old);
    }
}

/**
 * pc_notifier_build_became_reinvitable:
 *
 * Returns: (transfer full): the "can be re-invited" notification
 */
GNotification *
pc_notifier_build_became_reinvitable (PcBooking *booking)
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

  return g_steal_pointer (&notification);
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
  g_autofree char *id = NULL;

  g_return_if_fail (PC_IS_NOTIFIER (self));
  g_return_if_fail (PC_IS_BOOKING (booking));

  notification = pc_notifier_build_became_reinvitable (booking);
  id = reinvitable_id (pc_booking_get_booking_id (booking));
  send_notification (self, id, notification);
}

/**
 * pc_notifier_withdraw_booking:
 *
 * Withdraws the booking's notifications (`reinvite-<id>` and `reinvitable-<id>`), e.g.
 * because the user is looking at the booking now.
 */
void
pc_notifier_withdraw_booking (PcNotifier *self,
                              gint64      booking_id)
{
  g_autofree char *result_id = NULL;
  g_autofree char *reinvitable = NULL;
  GApplication *application;

  g_return_if_fail (PC_IS_NOTIFIER (self));

  application = get_ready_application (self);
  if (application == NULL)
    return;

  result_id = reinvite_id (booking_id);
  reinvitable = reinvitable_id (booking_id);
  g_application_withdraw_notification (application, result_id);
  g_application_withdraw_notification (application, reinvitable);
}

/**
 * pc_notifier_withdraw_batch:
 *
 * Withdraws the batch summary notification.
 */
void
pc_notifier_withdraw_batch (PcNotifier *self)
{
  GApplication *application;

  g_return_if_fail (PC_IS_NOTIFIER (self));

  application = get_ready_application (self);
  if (application != NULL)
    g_application_withdraw_notification (application, PC_NOTIFIER_ID_BATCH);
}
