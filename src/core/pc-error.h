/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * PcErrorKind:
 * @PC_ERROR_KIND_OTHER: anything else: the server refused or failed, or sent something
 *   unexpected
 * @PC_ERROR_KIND_OFFLINE: the server could not be reached, did not answer, or could not
 *   be trusted: a connection problem
 * @PC_ERROR_KIND_AUTH: signing in again (or with another permission) is the way out
 * @PC_ERROR_KIND_CANCELLED: the user cancelled; usually nothing to show
 *
 * What kind of trouble an error is, for choosing how to show it (an offline page, a
 * sign-in page, a plain error).
 */
typedef enum
{
  PC_ERROR_KIND_OTHER,
  PC_ERROR_KIND_OFFLINE,
  PC_ERROR_KIND_AUTH,
  PC_ERROR_KIND_CANCELLED,
} PcErrorKind;

/**
 * PcErrorTask:
 * @PC_ERROR_TASK_LOAD_BOOKINGS: loading or refreshing the list of bookings
 * @PC_ERROR_TASK_REINVITE: re-inviting the client of one booking, or of several
 * @PC_ERROR_TASK_SIGN_IN: signing in, renewing the sign-in, or keeping it in the keyring
 * @PC_ERROR_TASK_LOAD_BOOKING: loading one booking by its BookingID
 * @PC_ERROR_TASK_BOOKING_ACTION: accepting, rejecting, cancelling or deleting bookings
 *   (PcApi's message says which)
 *
 * What was being done when the error happened: the words depend on it.
 */
typedef enum
{
  PC_ERROR_TASK_LOAD_BOOKINGS,
  PC_ERROR_TASK_REINVITE,
  PC_ERROR_TASK_LOAD_BOOKING,
  PC_ERROR_TASK_SIGN_IN,
  PC_ERROR_TASK_BOOKING_ACTION,
} PcErrorTask;

void  pc_error_describe    (const GError  *error,
                            PcErrorTask    task,
                            PcErrorKind   *kind,
                            char         **title,
                            char         **sentence);
char *pc_error_dup_details (const GError  *error,
                            const char    *sentence) G_GNUC_WARN_UNUSED_RESULT;
char *pc_error_dup_line    (const GError  *error,
                            PcErrorTask    task) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
