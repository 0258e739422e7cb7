/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pc-describe"

#include "config.h"

#include <glib/gi18n.h>

#include "pc-booking.h"
#include "pc-client.h"
#include "pc-describe.h"
#include "pc-format.h"
#include "pc-utils.h"

/* Who a booking is from, what state it is in and when its session is, in the words
 * every part of PhoneChat uses: the window, the dialogs, notifications and
 * phonechat-cli. Dates, durations and credits come from pc-format, times of day from
 * pc-time-format, so all of them follow the desktop's clock setting. Everything here is
 * plain text: a nickname is the client's own text and must never be used as markup. */

/**
 * pc_describe_client_name:
 * @nickname: (nullable): the client's nickname
 * @booking_id: the booking the client made
 *
 * For places that have the nickname and the BookingID but not the booking, such as a
 * re-invite batch's results or a property binding.
 *
 * Returns: (transfer full): who the client is: the nickname, or "The client of booking
 *   4816020" when there is none
 */
char *
pc_describe_client_name (const char *nickname,
                         gint64      booking_id)
{
  g_autofree char *id = NULL;

  if (nickname != NULL && *nickname != '\0')
    return g_strdup (nickname);

  id = pc_booking_id_to_string (booking_id);
  /* Translators: stands for a client whose nickname is unknown; %s is a BookingID */
  return g_strdup_printf (_("The client of booking %s"), id);
}

/**
 * pc_describe_client:
 * @booking: a booking
 *
 * Returns: (transfer full): who made @booking, as a person reads it: the client's
 *   nickname, or "The client of booking 4816020" when there is none
 */
char *
pc_describe_client (PcBooking *booking)
{
  PcClient *client;

  g_return_val_if_fail (PC_IS_BOOKING (booking), NULL);

  client = pc_booking_get_client (booking);
  return pc_describe_client_name (client != NULL ? pc_client_get_nickname (client) : NULL,
                                  pc_booking_get_booking_id (booking));
}

/**
 * pc_describe_status:
 * @booking: a booking
 *
 * Returns: (transfer full): the booking's status as a person reads it, such as
 *   "Pending"; a status this version of PhoneChat does not know reads as the server
 *   wrote it
 */
char *
pc_describe_status (PcBooking *booking)
{
  PcBookingStatus status;
  const char *text;

  g_return_val_if_fail (PC_IS_BOOKING (booking), NULL);

  status = pc_booking_get_status (booking);
  text = pc_booking_get_status_text (booking);
  if (status == PC_BOOKING_STATUS_UNKNOWN && text != NULL && *text != '\0')
    return g_strdup (text);

  return g_strdup (pc_booking_status_get_label (status));
}

/**
 * pc_describe_session:
 * @booking: a booking
 * @form: how much to say
 *
 * The session's date and time are shown in the local zone, the time on the desktop's
 * 12- or 24-hour clock.
 *
 * Returns: (transfer full) (nullable): when the session is, or %NULL when the booking
 *   has no session date; %PC_SESSION_FORM_SUMMARY then still gives the duration and the
 *   price
 */
char *
pc_describe_session (PcBooking     *booking,
                     PcSessionForm  form)
{
  g_autoptr(GDateTime) session_date = NULL;

  g_return_val_if_fail (PC_IS_BOOKING (booking), NULL);

  session_date = pc_booking_dup_session_date (booking);

  switch (form)
    {
    case PC_SESSION_FORM_DATE_TIME:
      return pc_format_date_time (session_date);
    case PC_SESSION_FORM_BRIEF:
      return pc_format_date_time_brief (session_date);
    case PC_SESSION_FORM_SUMMARY:
      return pc_format_session_summary (session_date,
                                        pc_booking_get_duration (booking),
                                        pc_booking_get_credits (booking));
    default:
      g_return_val_if_reached (NULL);
    }
}

/**
 * pc_describe_accept_by:
 *
 * When the booking must be accepted by, as a notification or `phonechat-cli watch` says
 * it: the time alone ("09:00") when that is on the day of the session, else the date too.
 *
 * Returns: (transfer full) (nullable): the text, or %NULL when the booking has no
 *   accept-by time
 */
char *
pc_describe_accept_by (PcBooking *booking)
{
  g_autoptr(GDateTime) accept_by = NULL;
  g_autoptr(GDateTime) session = NULL;
  g_autoptr(GDateTime) local_accept_by = NULL;
  g_autoptr(GDateTime) local_session = NULL;

  g_return_val_if_fail (PC_IS_BOOKING (booking), NULL);

  accept_by = pc_booking_dup_accept_by (booking);
  session = pc_booking_dup_session_date (booking);
  if (accept_by == NULL)
    return NULL;
  if (session == NULL)
    return pc_format_date_time_brief (accept_by);

  local_accept_by = g_date_time_to_local (accept_by);
  local_session = g_date_time_to_local (session);
  if (g_date_time_get_year (local_accept_by) == g_date_time_get_year (local_session) &&
      g_date_time_get_day_of_year (local_accept_by) == g_date_time_get_day_of_year (local_session))
    return pc_format_time (accept_by);

  return pc_format_date_time_brief (accept_by);
}
