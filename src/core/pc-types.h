/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * PcBookingStatus:
 * @PC_BOOKING_STATUS_UNKNOWN: a status this version does not know; the raw text is kept
 * @PC_BOOKING_STATUS_PENDING: waiting for the performer
 * @PC_BOOKING_STATUS_ACCEPTED: accepted by the performer
 * @PC_BOOKING_STATUS_REJECTED: rejected (by the performer, a re-invite or AcceptBy passing)
 * @PC_BOOKING_STATUS_CONFIRMED: confirmed by the client
 * @PC_BOOKING_STATUS_CANCELLED: cancelled by either side
 */
typedef enum
{
  PC_BOOKING_STATUS_UNKNOWN,
  PC_BOOKING_STATUS_PENDING,
  PC_BOOKING_STATUS_ACCEPTED,
  PC_BOOKING_STATUS_REJECTED,
  PC_BOOKING_STATUS_CONFIRMED,
  PC_BOOKING_STATUS_CANCELLED,
} PcBookingStatus;

/**
 * PcCallMethod:
 * @PC_CALL_METHOD_UNKNOWN: a method number this version does not know; the number is kept
 * @PC_CALL_METHOD_CALL_CLIENT: the performer calls the client (Method 1)
 * @PC_CALL_METHOD_CLIENT_CALLS: the client calls the performer (Method 2)
 * @PC_CALL_METHOD_SKYPE: Skype (Method 3)
 */
typedef enum
{
  PC_CALL_METHOD_UNKNOWN = 0,
  PC_CALL_METHOD_CALL_CLIENT = 1,
  PC_CALL_METHOD_CLIENT_CALLS = 2,
  PC_CALL_METHOD_SKYPE = 3,
} PcCallMethod;

/**
 * PcReinviteBlocker:
 * @PC_REINVITE_BLOCKER_NONE: the booking can be re-invited now
 * @PC_REINVITE_BLOCKER_NOT_PENDING: only pending bookings can be re-invited
 * @PC_REINVITE_BLOCKER_SESSION_AHEAD: pending, but the session time is still ahead
 * @PC_REINVITE_BLOCKER_OUTCOME_UNKNOWN: pending, but the answer to the last re-invite was
 *   lost and the server may still act on it (#PcBooking:outcome-unknown)
 */
typedef enum
{
  PC_REINVITE_BLOCKER_NONE,
  PC_REINVITE_BLOCKER_NOT_PENDING,
  PC_REINVITE_BLOCKER_SESSION_AHEAD,
  PC_REINVITE_BLOCKER_OUTCOME_UNKNOWN,
} PcReinviteBlocker;

/**
 * PcBookingAction:
 * @PC_BOOKING_ACTION_ACCEPT: accept a pending booking (AcceptReceivedBooking, documented)
 * @PC_BOOKING_ACTION_REJECT: reject a pending booking with a reason
 *   (RejectReceivedBooking, inferred from the Webcam twin)
 * @PC_BOOKING_ACTION_CANCEL: cancel an accepted booking with a reason
 *   (CancelReceivedBooking, inferred from the Webcam twin)
 * @PC_BOOKING_ACTION_DELETE: remove a finished booking from the lists
 *   (DeleteReceivedBooking, documented)
 *
 * What a performer can do with a received booking besides re-inviting its client. Each
 * has a derived `can-…` property and a `…-blocker-text` on #PcBooking.
 */
typedef enum
{
  PC_BOOKING_ACTION_ACCEPT,
  PC_BOOKING_ACTION_REJECT,
  PC_BOOKING_ACTION_CANCEL,
  PC_BOOKING_ACTION_DELETE,
} PcBookingAction;

#define PC_BOOKING_N_ACTIONS (PC_BOOKING_ACTION_DELETE + 1)

typedef struct _PcApi          PcApi;
typedef struct _PcBooking      PcBooking;
typedef struct _PcBookingStore PcBookingStore;
typedef struct _PcClient       PcClient;
typedef struct _PcClock        PcClock;

const char     *pc_booking_status_to_string   (PcBookingStatus status);
PcBookingStatus pc_booking_status_from_string (const char     *text);

G_END_DECLS
