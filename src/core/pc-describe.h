/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "pc-types.h"

G_BEGIN_DECLS

/**
 * PcSessionForm:
 * @PC_SESSION_FORM_DATE_TIME: the date and time, "Sat 14 Jun 2025, 21:30"
 * @PC_SESSION_FORM_BRIEF: the date without the year and the time, "Sat 14 Jun, 21:30",
 *   for notifications, which are about sessions close to now
 * @PC_SESSION_FORM_SUMMARY: the date and time, the duration and the price,
 *   "Sat 14 Jun 2025, 21:30 · 10 minutes · 15.00 credits", for naming a booking in the
 *   re-invite dialogs
 *
 * How much of a booking's session pc_describe_session() says.
 */
typedef enum
{
  PC_SESSION_FORM_DATE_TIME,
  PC_SESSION_FORM_BRIEF,
  PC_SESSION_FORM_SUMMARY,
} PcSessionForm;

char *pc_describe_client_name (const char    *nickname,
                               gint64         booking_id) G_GNUC_WARN_UNUSED_RESULT;
char *pc_describe_client      (PcBooking     *booking) G_GNUC_WARN_UNUSED_RESULT;
char *pc_describe_status      (PcBooking     *booking) G_GNUC_WARN_UNUSED_RESULT;
char *pc_describe_session     (PcBooking     *booking,
                               PcSessionForm  form) G_GNUC_WARN_UNUSED_RESULT;
char *pc_describe_accept_by   (PcBooking     *booking) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
