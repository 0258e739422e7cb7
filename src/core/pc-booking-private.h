/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pc-booking.h"
#include "pc-field-private.h"

G_BEGIN_DECLS

/* Why an action (PcBookingAction) cannot be done now; its text follows from this, the
 * action and the status, and is only looked up when asked for. */
typedef enum
{
  PC_ACTION_BLOCKER_NONE,
  PC_ACTION_BLOCKER_STATUS,
  PC_ACTION_BLOCKER_OUTCOME_UNKNOWN,
  PC_ACTION_BLOCKER_ACCEPT_BY_PASSED,
  PC_ACTION_BLOCKER_SESSION_PASSED,
} PcActionBlocker;

struct _PcBooking
{
  GObject           parent_instance;

  /* The API's 21 members, in its order but for MethodCode, which shares Duration's eight
   * bytes rather than padding out its own (a store holds up to 100,000 bookings). */
  gint64            booking_id;
  gint              duration;
  gint              method_code;
  gint64            credits;
  /* Status is not a member here: its text is one of the API's five words (status_text,
   * below) but for a text the API does not document, kept aside (qdata). */
  char             *phone_number;
  char             *skype_name;
  /* Dates: Unix time in µs, PC_DATE_NONE for null (pc-field-private.h says why). */
  gint64            create_date;
  gint64            session_date;
  gint64            accept_by;
  gint64            accepted_date;
  gint64            confirmed_date;
  gint64            cancelled_date;
  char             *cancelled_reason;
  char             *cancelled_by;
  char             *rejected_reason;
  gint64            last_updated;
  char             *comments;
  char             *action_candidate;
  PcClient         *client;

  /* Derived from the members above (and the clock), cached so that changes notify. In
   * bytes, not enums: a store can hold 100,000 bookings (pc-field-private.h). */
  guint8            status;      /* PcBookingStatus */
  guint8            method;      /* PcCallMethod */
  guint8            blocker;     /* PcReinviteBlocker */
  guint8            is_expired : 1;
  /* Not from the server: the answer to the last re-invite was lost (PcOutcomeLog). */
  guint8            outcome_unknown : 1;
  /* Status's text: 0 for none, a PcBookingStatus for the API's own spelling of it, or
   * STATUS_TEXT_OTHER (pc-booking.c). */
  guint8            status_text : 3;
  /* Per PcBookingAction: why it cannot be done now (PcActionBlocker). */
  guint8            action_blockers[PC_BOOKING_N_ACTIONS];

  /* The store the booking is in (unowned; set and cleared by the store), told of every
   * notification of the booking's and its client's properties, so that views of the store
   * need no handler per booking. Its clock is the booking's; out of a store, the booking's
   * own clock is kept aside (qdata), so that no booking of a store pays for a pointer. */
  PcBookingStore   *store;
};

const PcField *_pc_booking_get_fields    (guint     *n_fields);
/* The Status member (PC_FIELD_STATUS): its text, and storing one (TRUE if it changed). */
const char    *_pc_booking_peek_status_text  (const PcBooking *self);
gboolean       _pc_booking_store_status_text (PcBooking       *self,
                                              const char      *text);
/* Called by @store as @self leaves it: the store's clock becomes the booking's own. */
void           _pc_booking_leave_store   (PcBooking      *self,
                                          PcBookingStore *store);
/* After filling members directly (pc-json), derive the enums and time-based state. */
void           _pc_booking_members_set   (PcBooking *self,
                                          GDateTime *now);
/* A property of @self or of its client was notified. */
void           _pc_booking_changed       (PcBooking  *self,
                                          GParamSpec *pspec);
/* In pc-booking-store.c: emits #PcBookingStore::booking-changed. */
void           _pc_booking_store_booking_changed (PcBookingStore *self,
                                                  PcBooking      *booking,
                                                  GParamSpec     *pspec);

G_END_DECLS
