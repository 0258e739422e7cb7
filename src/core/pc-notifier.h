/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pc-reinviter.h"
#include "pc-types.h"

G_BEGIN_DECLS

/* The application actions the notifications point at. The application must provide
 * them: show-booking, reinvite-booking and accept-booking take the BookingID as an "x"
 * (int64) parameter; show-window takes none. */
#define PC_NOTIFIER_ACTION_SHOW_BOOKING     "app.show-booking"
#define PC_NOTIFIER_ACTION_REINVITE_BOOKING "app.reinvite-booking"
#define PC_NOTIFIER_ACTION_ACCEPT_BOOKING   "app.accept-booking"
#define PC_NOTIFIER_ACTION_SHOW_WINDOW      "app.show-window"

/* Notification ids: per booking (so that a newer result replaces an older one) and one
 * for the batch summary. */
#define PC_NOTIFIER_ID_REINVITE_PREFIX    "reinvite-"
#define PC_NOTIFIER_ID_REINVITABLE_PREFIX "reinvitable-"
#define PC_NOTIFIER_ID_BATCH              "reinvite-batch"
#define PC_NOTIFIER_ID_NEW_BOOKING_PREFIX "new-booking-"
#define PC_NOTIFIER_ID_ACCEPT_BY_PREFIX   "accept-by-"
#define PC_NOTIFIER_ID_CHANGED_PREFIX     "changed-"
#define PC_NOTIFIER_ID_ACCEPT_PREFIX      "accept-"

#define PC_TYPE_NOTIFIER (pc_notifier_get_type ())
G_DECLARE_FINAL_TYPE (PcNotifier, pc_notifier, PC, NOTIFIER, GObject)

PcNotifier   *pc_notifier_new                    (GApplication    *application)
                                                  G_GNUC_WARN_UNUSED_RESULT;
GApplication *pc_notifier_get_application        (PcNotifier      *self);

void          pc_notifier_reinvite_finished      (PcNotifier      *self,
                                                  PcBooking       *booking,
                                                  const GError    *error);
void          pc_notifier_batch_finished         (PcNotifier      *self,
                                                  PcReinviteBatch *result);
void          pc_notifier_became_reinvitable     (PcNotifier      *self,
                                                  PcBooking       *booking);
void          pc_notifier_new_booking            (PcNotifier      *self,
                                                  PcBooking       *booking);
void          pc_notifier_accept_by_approaching  (PcNotifier      *self,
                                                  PcBooking       *booking);
void          pc_notifier_changed_by_client      (PcNotifier      *self,
                                                  PcBooking       *booking);
void          pc_notifier_accept_finished        (PcNotifier      *self,
                                                  PcBooking       *booking,
                                                  const GError    *error);
void          pc_notifier_withdraw_booking       (PcNotifier      *self,
                                                  gint64           booking_id);
void          pc_notifier_withdraw_batch         (PcNotifier      *self);

/* The notifications themselves, without sending them (for tests and for UIs that want
 * the same wording). NULL when nothing would be sent (a cancelled re-invite). */
GNotification *pc_notifier_build_reinvite_finished  (PcBooking       *booking,
                                                     const GError    *error)
                                                     G_GNUC_WARN_UNUSED_RESULT;
GNotification *pc_notifier_build_batch_finished     (PcReinviteBatch *result)
                                                     G_GNUC_WARN_UNUSED_RESULT;
GNotification *pc_notifier_build_became_reinvitable (PcBooking       *booking)
                                                     G_GNUC_WARN_UNUSED_RESULT;

/* One sentence about a new booking, "shy_sam booked 10 minutes on Fri 27 Nov, 10:00 —
 * accept by 09:00": the new-booking notification's body, also for a toast. */
char          *pc_notifier_describe_new_booking     (PcBooking       *booking)
                                                     G_GNUC_WARN_UNUSED_RESULT;
/* What the client did, "shy_sam cancelled a booking": the title of the notification about
 * it, also for a toast. */
char          *pc_notifier_describe_client_change   (PcBooking       *booking)
                                                     G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
