/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pc-booking"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "pc-booking-private.h"
#include "pc-booking-store.h"
#include "pc-client-private.h"
#include "pc-clock.h"
#include "pc-enums.h"

/**
 * PcBooking:
 *
 * A received PhoneChat booking: one property per member of the API's model, plus derived
 * read-only properties the UI binds to. A newer server copy is merged in place with
 * pc_booking_update_from(), which notifies only what changed.
 */

G_DEFINE_FINAL_TYPE (PcBooking, pc_booking, G_TYPE_OBJECT)

#define FIELD(json, prop, type, nullable, member) \
  { json, prop, type, nullable, G_STRUCT_OFFSET (PcBooking, member) }

/* In the API's order (ReInvite page); property ids are index + 1. */
static const PcField booking_fields[] = {
  FIELD ("BookingID", "booking-id", PC_FIELD_INT64, FALSE, booking_id),
  FIELD ("Duration", "duration", PC_FIELD_INT, FALSE, duration),
  FIELD ("Credits", "credits", PC_FIELD_CREDITS, FALSE, credits),
  FIELD ("Status", "status-text", PC_FIELD_STATUS, FALSE, status), /* not at the offset */
  FIELD ("Method", "method-code", PC_FIELD_METHOD, FALSE, method_code),
  FIELD ("PhoneNumber", "phone-number", PC_FIELD_STRING, TRUE, phone_number),
  FIELD ("SkypeName", "skype-name", PC_FIELD_STRING, TRUE, skype_name),
  FIELD ("CreateDate", "create-date", PC_FIELD_DATETIME, FALSE, create_date),
  FIELD ("SessionDate", "session-date", PC_FIELD_DATETIME, FALSE, session_date),
  FIELD ("AcceptBy", "accept-by", PC_FIELD_DATETIME, FALSE, accept_by),
  FIELD ("AcceptedDate", "accepted-date", PC_FIELD_DATETIME, TRUE, accepted_date),
  FIELD ("ConfirmedDate", "confirmed-date", PC_FIELD_DATETIME, TRUE, confirmed_date),
  FIELD ("CancelledDate", "cancelled-date", PC_FIELD_DATETIME, TRUE, cancelled_date),
  FIELD ("CancelledReason", "cancelled-reason", PC_FIELD_STRING, TRUE, cancelled_reason),
  FIELD ("CancelledBy", "cancelled-by", PC_FIELD_STRING, TRUE, cancelled_by),
  FIELD ("RejectedReason", "rejected-reason", PC_FIELD_STRING, TRUE, rejected_reason),
  FIELD ("LastUpdated", "last-updated", PC_FIELD_DATETIME, FALSE, last_updated),
  FIELD ("Comments", "comments", PC_FIELD_TEXT, TRUE, comments),
  FIELD ("ActionCandidate", "action-candidate", PC_FIELD_STRING, TRUE, action_candidate),
  FIELD ("Client", "client", PC_FIELD_CLIENT, FALSE, client),
};

#undef FIELD

#define N_FIELDS G_N_ELEMENTS (booking_fields)
/* Derived state follows SessionDate: its index in the table above. */
#define IDX_SESSION_DATE 8
#define FIELD_PROP(i) ((i) + 1)

enum {
  PROP_STATUS = N_FIELDS + 1,
  PROP_METHOD,
  PROP_CAN_REINVITE,
  PROP_IS_EXPIRED,
  PROP_REINVITE_BLOCKER,
  PROP_REINVITE_BLOCKER_TEXT,
  PROP_REINVITE_AVAILABLE_AT,
  PROP_CLOCK,
  PROP_OUTCOME_UNKNOWN,
  /* can-accept, accept-blocker-text, can-reject, …: two per PcBookingAction, in its order. */
  PROP_ACTIONS_FIRST,
  N_PROPS = PROP_ACTIONS_FIRST + 2 * PC_BOOKING_N_ACTIONS
};

#define PROP_CAN(action)          (PROP_ACTIONS_FIRST + 2 * (action))
#define PROP_BLOCKER_TEXT(action) (PROP_ACTIONS_FIRST + 2 * (action) + 1)

static const char * const action_names[PC_BOOKING_N_ACTIONS] = {
  [PC_BOOKING_ACTION_ACCEPT] = "accept",
  [PC_BOOKING_ACTION_REJECT] = "reject",
  [PC_BOOKING_ACTION_CANCEL] = "cancel",
  [PC_BOOKING_ACTION_DELETE] = "delete",
};

static GParamSpec *properties[N_PROPS];

const PcField *
_pc_booking_get_fields (guint *n_fields)
{
  *n_fields = N_FIELDS;
  return booking_fields;
}

const char *
pc_booking_status_to_string (PcBookingStatus status)
{
  switch (status)
    {
    case PC_BOOKING_STATUS_PENDING: return "Pending";
    case PC_BOOKING_STATUS_ACCEPTED: return "Accepted";
    case PC_BOOKING_STATUS_REJECTED: return "Rejected";
    case PC_BOOKING_STATUS_CONFIRMED: return "Confirmed";
    case PC_BOOKING_STATUS_CANCELLED: return "Cancelled";
    case PC_BOOKING_STATUS_UNKNOWN:
    default:
      return NULL;
    }
}

PcBookingStatus
pc_booking_status_from_string (const char *text)
{
  if (text == NULL)
    return PC_BOOKING_STATUS_UNKNOWN;

  /* The API writes them capitalised; accept any case, as its routing does. */
  for (PcBookingStatus s = PC_BOOKING_STATUS_PENDING; s <= PC_BOOKING_STATUS_CANCELLED; s++)
    if (g_ascii_strcasecmp (text, pc_booking_status_to_string (s)) == 0)
      return s;

  return PC_BOOKING_STATUS_UNKNOWN;
}

/**
 * pc_booking_status_get_label:
 *
 * Returns: the status as a person reads it, translated
 */
const char *
pc_booking_status_get_label (PcBookingStatus status)
{
  switch (status)
    {
    case PC_BOOKING_STATUS_PENDING: return C_("booking status", "Pending");
    case PC_BOOKING_STATUS_ACCEPTED: return C_("booking status", "Accepted");
    case PC_BOOKING_STATUS_REJECTED: return C_("booking status", "Rejected");
    case PC_BOOKING_STATUS_CONFIRMED: return C_("booking status", "Confirmed");
    case PC_BOOKING_STATUS_CANCELLED: return C_("booking status", "Cancelled");
    case PC_BOOKING_STATUS_UNKNOWN:
    default:
      return C_("booking status", "Unknown");
    }
}

/**
 * pc_call_method_get_label:
 *
 * Returns: how the call happens, from the performer's point of view, translated
 */
const char *
pc_call_method_get_label (PcCallMethod method)
{
  switch (method)
    {
    case PC_CALL_METHOD_CALL_CLIENT: return _("You call the client");
    case PC_CALL_METHOD_CLIENT_CALLS: return _("The client calls you");
    case PC_CALL_METHOD_SKYPE: return _("Skype");
    case PC_CALL_METHOD_UNKNOWN:
    default:
      return _("Unknown call method");
    }
}

static PcCallMethod
method_from_code (gint code)
{
  switch (code)
    {
    case PC_CALL_METHOD_CALL_CLIENT:
    case PC_CALL_METHOD_CLIENT_CALLS:
    case PC_CALL_METHOD_SKYPE:
      return (PcCallMethod) code;
    default:
      return PC_CALL_METHOD_UNKNOWN;
    }
}

static PcReinviteBlocker
compute_blocker (PcBooking *self,
                 gint64     now)
{
  if (self->status != PC_BOOKING_STATUS_PENDING)
    return PC_REINVITE_BLOCKER_NOT_PENDING;

  /* Whatever the time: a re-invite the server may still carry out is never doubled. */
  if (self->outcome_unknown)
    return PC_REINVITE_BLOCKER_OUTCOME_UNKNOWN;

  /* The prerequisite is "SessionDate cannot be in the future". SessionDate was read in
   * the API's zone, so comparing instants judges it in that zone. */
  if (self->session_date == PC_DATE_NONE || self->session_date > now)
    return PC_REINVITE_BLOCKER_SESSION_AHEAD;

  return PC_REINVITE_BLOCKER_NONE;
}

/**
 * pc_booking_status_is_finished:
 *
 * Whether a booking with @status is finished in the sense of the API's
 * DeleteReceivedBooking (reference §5.7 and §4.5): its prerequisite is, per booking,
 * "Status is Rejected, Cancelled or Confirmed", and the Webcam twin's message calls such a
 * booking "marked as complete". Nothing about time: a Pending or Accepted booking whose
 * session has passed is not finished (it can still be re-invited, or waits for the
 * client's confirmation) and the server refuses to delete it, while a Confirmed booking is
 * complete as far as bookings go (the call itself is outside the API) and can be deleted
 * whatever its session time. PhoneChat allows what the server allows: anything stricter
 * would hide a documented action, anything looser would offer a request bound to fail.
 *
 * Returns: %TRUE for Rejected, Cancelled and Confirmed
 */
gboolean
pc_booking_status_is_finished (PcBookingStatus status)
{
  return status == PC_BOOKING_STATUS_REJECTED ||
         status == PC_BOOKING_STATUS_CANCELLED ||
         status == PC_BOOKING_STATUS_CONFIRMED;
}

/* Why a booking that is not pending (accept, reject) or not accepted (cancel) cannot take
 * @action: one whole sentence per status. */
static const char *
wrong_status_text (PcBookingStatus status,
                   PcBookingAction action)
{
  switch (action)
    {
    case PC_BOOKING_ACTION_ACCEPT:
      switch (status)
        {
        case PC_BOOKING_STATUS_ACCEPTED:
          return _("This booking has already been accepted.");
        case PC_BOOKING_STATUS_REJECTED:
          return _("This booking has been rejected. Only pending bookings can be accepted.");
        case PC_BOOKING_STATUS_CONFIRMED:
          return _("This booking has already been accepted and confirmed.");
        case PC_BOOKING_STATUS_CANCELLED:
          return _("This booking has been cancelled. Only pending bookings can be accepted.");
        case PC_BOOKING_STATUS_PENDING:
        case PC_BOOKING_STATUS_UNKNOWN:
        default:
          return _("This booking has a status this version of PhoneChat does not know. Only pending bookings can be accepted.");
        }
    case PC_BOOKING_ACTION_REJECT:
      switch (status)
        {
        case PC_BOOKING_STATUS_ACCEPTED:
          return _("This booking has been accepted. Only pending bookings can be rejected; an accepted one can be cancelled.");
        case PC_BOOKING_STATUS_REJECTED:
          return _("This booking has already been rejected.");
        case PC_BOOKING_STATUS_CONFIRMED:
          return _("This booking has been confirmed. Only pending bookings can be rejected.");
        case PC_BOOKING_STATUS_CANCELLED:
          return _("This booking has been cancelled. Only pending bookings can be rejected.");
        case PC_BOOKING_STATUS_PENDING:
        case PC_BOOKING_STATUS_UNKNOWN:
        default:
          return _("This booking has a status this version of PhoneChat does not know. Only pending bookings can be rejected.");
        }
    case PC_BOOKING_ACTION_CANCEL:
      switch (status)
        {
        case PC_BOOKING_STATUS_PENDING:
          return _("This booking has not been accepted. Only accepted bookings can be cancelled; a pending one can be rejected.");
        case PC_BOOKING_STATUS_REJECTED:
          return _("This booking has been rejected. Only accepted bookings can be cancelled.");
        case PC_BOOKING_STATUS_CONFIRMED:
          return _("This booking has been confirmed by the client. Only accepted bookings that are not confirmed yet can be cancelled.");
        case PC_BOOKING_STATUS_CANCELLED:
          return _("This booking has already been cancelled.");
        case PC_BOOKING_STATUS_ACCEPTED:
        case PC_BOOKING_STATUS_UNKNOWN:
        default:
          return _("This booking has a status this version of PhoneChat does not know. Only accepted bookings can be cancelled.");
        }
    case PC_BOOKING_ACTION_DELETE:
    default:
      switch (status)
        {
        case PC_BOOKING_STATUS_PENDING:
          return _("This booking is still pending. Only rejected, cancelled or confirmed bookings can be deleted.");
        case PC_BOOKING_STATUS_ACCEPTED:
          return _("This booking has been accepted and is not confirmed yet. Only rejected, cancelled or confirmed bookings can be deleted.");
        case PC_BOOKING_STATUS_REJECTED:
        case PC_BOOKING_STATUS_CONFIRMED:
        case PC_BOOKING_STATUS_CANCELLED:
        case PC_BOOKING_STATUS_UNKNOWN:
        default:
          return _("This booking has a status this version of PhoneChat does not know. Only rejected, cancelled or confirmed bookings can be deleted.");
        }
    }
}

/* Why @action cannot be done on the booking now, if it cannot. The API's
 * prerequisites (reference §5.3–§5.7), judged like ReInvite's: the dates were read in the
 * API's zone, so comparing instants judges them in that zone.
 *
 * - Accept (documented): Status Pending, AcceptBy in the future, SessionDate in the
 *   future. "In the future" is strict: at the very second it is not.
 * - Reject (inferred from /v1/Webcam/RejectReceivedBooking): Status Pending, whatever the
 *   time.
 * - Cancel (inferred from /v1/Webcam/CancelReceivedBooking): Status Accepted and
 *   SessionDate not in the past: at the very second it still can.
 * - Delete (documented): a finished booking, pc_booking_status_is_finished().
 *
 * A status that does not allow the action comes first, as for re-invites; then an earlier
 * request whose outcome is unknown (#PcBooking:outcome-unknown) blocks every action, since
 * the server may still change the booking; then the time. */
static PcActionBlocker
compute_action_blocker (PcBooking       *self,
                        PcBookingAction  action,
                        gint64           now)
{
  static const PcBookingStatus required[PC_BOOKING_N_ACTIONS] = {
    [PC_BOOKING_ACTION_ACCEPT] = PC_BOOKING_STATUS_PENDING,
    [PC_BOOKING_ACTION_REJECT] = PC_BOOKING_STATUS_PENDING,
    [PC_BOOKING_ACTION_CANCEL] = PC_BOOKING_STATUS_ACCEPTED,
    [PC_BOOKING_ACTION_DELETE] = PC_BOOKING_STATUS_UNKNOWN, /* any finished status */
  };
  gboolean status_ok;

  if (action == PC_BOOKING_ACTION_DELETE)
    status_ok = pc_booking_status_is_finished (self->status);
  else
    status_ok = self->status == required[action];

  if (!status_ok)
    return PC_ACTION_BLOCKER_STATUS;

  if (self->outcome_unknown)
    return PC_ACTION_BLOCKER_OUTCOME_UNKNOWN;

  switch (action)
    {
    case PC_BOOKING_ACTION_ACCEPT:
      if (self->accept_by == PC_DATE_NONE || self->accept_by <= now)
        return PC_ACTION_BLOCKER_ACCEPT_BY_PASSED;
      if (self->session_date == PC_DATE_NONE || self->session_date <= now)
        return PC_ACTION_BLOCKER_SESSION_PASSED;
      return PC_ACTION_BLOCKER_NONE;

    case PC_BOOKING_ACTION_CANCEL:
      if (self->session_date == PC_DATE_NONE || self->session_date < now)
        return PC_ACTION_BLOCKER_SESSION_PASSED;
      return PC_ACTION_BLOCKER_NONE;

    case PC_BOOKING_ACTION_REJECT:
    case PC_BOOKING_ACTION_DELETE:
    default:
      return PC_ACTION_BLOCKER_NONE;
    }
}

/* The sentence for @blocker, translated; NULL for none. */
static const char *
action_blocker_text (PcBookingStatus  status,
                     PcBookingAction  action,
                     PcActionBlocker  blocker)
{
  switch (blocker)
    {
    case PC_ACTION_BLOCKER_NONE:
      return NULL;
    case PC_ACTION_BLOCKER_OUTCOME_UNKNOWN:
      return _("The outcome of an earlier request about this booking is not known yet: the server may still carry it out. PhoneChat is waiting for the booking to show what happened.");
    case PC_ACTION_BLOCKER_ACCEPT_BY_PASSED:
      return _("The accept-by time has passed. A booking can only be accepted before its accept-by time.");
    case PC_ACTION_BLOCKER_SESSION_PASSED:
      if (action == PC_BOOKING_ACTION_CANCEL)
        return _("The session time has passed. An accepted booking can only be cancelled until its session time.");
      return _("The session time has passed. A booking can only be accepted before its session time.");
    case PC_ACTION_BLOCKER_STATUS:
    default:
      return wrong_status_text (status, action);
    }
}

/* Re-derives every action's blocker and notifies can-… and …-blocker-text that changed.
 * A blocker for the status reads differently per status: @status_changed says it did.
 * Nothing is translated here: reading a page of bookings derives this for each. */
static void
update_actions (PcBooking *self,
                gint64     now,
                gboolean   status_changed,
                gboolean   notify)
{
  for (PcBookingAction action = 0; action < PC_BOOKING_N_ACTIONS; action++)
    {
      PcActionBlocker old = self->action_blockers[action];
      PcActionBlocker blocker = compute_action_blocker (self, action, now);

      if (blocker == old && !(blocker == PC_ACTION_BLOCKER_STATUS && status_changed))
        continue;

      self->action_blockers[action] = blocker;
      if (!notify)
        continue;

      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BLOCKER_TEXT (action)]);
      if ((blocker == PC_ACTION_BLOCKER_NONE) != (old == PC_ACTION_BLOCKER_NONE))
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN (action)]);
    }
}

static GDateTime *
clock_now (PcBooking *self)
{
  PcClock *clock = pc_booking_get_clock (self);

  if (clock != NULL)
    return pc_clock_get_now (clock);

  return g_date_time_new_now_utc ();
}

/* Kept aside, in qdata: what most bookings do not need, so that they do not pay for a
 * member (a store can hold 100,000 bookings). */
static GQuark own_clock_quark;   /* set in class_init, before any booking exists */
static GQuark status_text_quark;

static void
set_own_clock (PcBooking *self,
               PcClock   *clock)
{
  if (clock != NULL)
    g_object_set_qdata_full (G_OBJECT (self), own_clock_quark, g_object_ref (clock),
                             g_object_unref);
  else
    g_object_set_qdata (G_OBJECT (self), own_clock_quark, NULL);
}

/* Status's text is none of the API's five words (pc-booking-private.h): kept aside. */
#define STATUS_TEXT_OTHER 7
G_STATIC_ASSERT (PC_BOOKING_STATUS_CANCELLED < STATUS_TEXT_OTHER);

const char *
_pc_booking_peek_status_text (const PcBooking *self)
{
  if (self->status_text == STATUS_TEXT_OTHER)
    return g_object_get_qdata (G_OBJECT (self), status_text_quark);
  if (self->status_text == PC_BOOKING_STATUS_UNKNOWN)
    return NULL;

  return pc_booking_status_to_string (self->status_text);
}

gboolean
_pc_booking_store_status_text (PcBooking  *self,
                               const char *text)
{
  guint code = PC_BOOKING_STATUS_UNKNOWN;

  if (g_strcmp0 (_pc_booking_peek_status_text (self), text) == 0)
    return FALSE;

  if (text != NULL)
    {
      code = STATUS_TEXT_OTHER;
      for (PcBookingStatus s = PC_BOOKING_STATUS_PENDING; s <= PC_BOOKING_STATUS_CANCELLED; s++)
        if (strcmp (text, pc_booking_status_to_string (s)) == 0)
          {
            code = s;
            break;
          }
    }

  /* Interned like the other repeated texts: an undocumented status repeats too. */
  if (code == STATUS_TEXT_OTHER)
    g_object_set_qdata_full (G_OBJECT (self), status_text_quark,
                             g_ref_string_new_intern (text), (GDestroyNotify) g_ref_string_release);
  else if (self->status_text == STATUS_TEXT_OTHER)
    g_object_set_qdata (G_OBJECT (self), status_text_quark, NULL);
  self->status_text = code;

  return TRUE;
}

/* Re-derives status, method and the time-based state, and notifies each derived property
 * whose value changed. @session_changed says that SessionDate itself changed (the
 * available-at value is SessionDate while the session is ahead). Callers freeze notify. */
static void
update_derived (PcBooking *self,
                GDateTime *now_date_time,
                gboolean   session_changed,
                gboolean   notify)
{
  GObject *object = G_OBJECT (self);
  PcBookingStatus status = self->status_text != STATUS_TEXT_OTHER
                           ? (PcBookingStatus) self->status_text
                           : pc_booking_status_from_string (_pc_booking_peek_status_text (self));
  PcCallMethod method = method_from_code (self->method_code);
  PcReinviteBlocker old_blocker = self->blocker;
  /* Only to tell whether to notify: the text is translated, and without @notify nobody
   * listens yet (a booking being read, copied or first stored). */
  const char *old_text = notify ? pc_booking_get_reinvite_blocker_text (self) : NULL;
  gboolean old_ahead = old_blocker == PC_REINVITE_BLOCKER_SESSION_AHEAD;
  PcBookingStatus old_status = self->status;
  gint64 now = g_date_time_to_unix_usec (now_date_time);
  gboolean expired;
  gboolean ahead;

  if (status != self->status)
    {
      self->status = status;
      if (notify)
        g_object_notify_by_pspec (object, properties[PROP_STATUS]);
    }

  if (method != self->method)
    {
      self->method = method;
      if (notify)
        g_object_notify_by_pspec (object, properties[PROP_METHOD]);
    }

  self->blocker = compute_blocker (self, now);
  ahead = self->blocker == PC_REINVITE_BLOCKER_SESSION_AHEAD;
  if (notify)
    {
      if (self->blocker != old_blocker)
        g_object_notify_by_pspec (object, properties[PROP_REINVITE_BLOCKER]);
      /* The text also depends on the status (accepted, cancelled, …). Texts are static. */
      if (pc_booking_get_reinvite_blocker_text (self) != old_text)
        g_object_notify_by_pspec (object, properties[PROP_REINVITE_BLOCKER_TEXT]);
      if ((self->blocker == PC_REINVITE_BLOCKER_NONE) != (old_blocker == PC_REINVITE_BLOCKER_NONE))
        g_object_notify_by_pspec (object, properties[PROP_CAN_REINVITE]);
      if (ahead != old_ahead || (ahead && session_changed))
        g_object_notify_by_pspec (object, properties[PROP_REINVITE_AVAILABLE_AT]);
    }

  update_actions (self, now, old_status != self->status, notify);

  expired = self->session_date != PC_DATE_NONE && self->session_date <= now;
  if (expired != self->is_expired)
    {
      self->is_expired = expired;
      if (notify)
        g_object_notify_by_pspec (object, properties[PROP_IS_EXPIRED]);
    }
}

void
_pc_booking_members_set (PcBooking *self,
                         GDateTime *now)
{
  g_autoptr(GDateTime) own_now = NULL;

  if (now == NULL)
    now = own_now = clock_now (self);

  update_derived (self, now, FALSE, FALSE);
}

static void
refresh_derived (PcBooking *self,
                 gboolean   session_changed)
{
  g_autoptr(GDateTime) now = clock_now (self);

  update_derived (self, now, session_changed, TRUE);
}

void
_pc_booking_changed (PcBooking  *self,
                     GParamSpec *pspec)
{
  if (self->store != NULL)
    _pc_booking_store_booking_changed (self->store, self, pspec);
}

static void
pc_booking_notify (GObject    *object,
                   GParamSpec *pspec)
{
  _pc_booking_changed ((PcBooking *) object, pspec);
}

static void
pc_booking_dispose (GObject *object)
{
  PcBooking *self = (PcBooking *) object;

  /* Someone may keep the client longer. */
  if (self->client != NULL)
    self->client->booking = NULL;
  g_clear_object (&self->client);

  G_OBJECT_CLASS (pc_booking_parent_class)->dispose (object);
}

static void
pc_booking_finalize (GObject *object)
{
  PcBooking *self = (PcBooking *) object;

  for (guint i = 0; i < N_FIELDS; i++)
    _pc_field_clear (self, &booking_fields[i]);

  G_OBJECT_CLASS (pc_booking_parent_class)->finalize (object);
}

static void
pc_booking_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  PcBooking *self = PC_BOOKING (object);

  if (prop_id >= 1 && prop_id <= N_FIELDS)
    {
      _pc_field_get_value (self, &booking_fields[prop_id - 1], value);
      return;
    }

  switch (prop_id)
    {
    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;
    case PROP_METHOD:
      g_value_set_enum (value, self->method);
      break;
    case PROP_CAN_REINVITE:
      g_value_set_boolean (value, pc_booking_get_can_reinvite (self));
      break;
    case PROP_IS_EXPIRED:
      g_value_set_boolean (value, self->is_expired);
      break;
    case PROP_REINVITE_BLOCKER:
      g_value_set_enum (value, self->blocker);
      break;
    case PROP_REINVITE_BLOCKER_TEXT:
      g_value_set_string (value, pc_booking_get_reinvite_blocker_text (self));
      break;
    case PROP_REINVITE_AVAILABLE_AT:
      g_value_take_boxed (value, pc_booking_dup_reinvite_available_at (self));
      break;
    case PROP_CLOCK:
      g_value_set_object (value, pc_booking_get_clock (self));
      break;
    case PROP_OUTCOME_UNKNOWN:
      g_value_set_boolean (value, self->outcome_unknown);
      break;
    default:
      if (prop_id >= PROP_ACTIONS_FIRST && prop_id < N_PROPS)
        {
          PcBookingAction action = (prop_id - PROP_ACTIONS_FIRST) / 2;

          if (prop_id == PROP_CAN (action))
            g_value_set_boolean (value, pc_booking_can_do (self, action));
          else
            g_value_set_string (value, pc_booking_get_action_blocker_text (self, action));
          break;
        }
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pc_booking_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  PcBooking *self = PC_BOOKING (object);

  if (prop_id >= 1 && prop_id <= N_FIELDS)
    {
      g_object_freeze_notify (object);
      if (_pc_field_set_value (self, &booking_fields[prop_id - 1], value))
        {
          g_object_notify_by_pspec (object, pspec);
          refresh_derived (self, prop_id == FIELD_PROP (IDX_SESSION_DATE));
        }
      g_object_thaw_notify (object);
      return;
    }

  switch (prop_id)
    {
    case PROP_CLOCK:
      pc_booking_set_clock (self, g_value_get_object (value));
      break;
    case PROP_OUTCOME_UNKNOWN:
      pc_booking_set_outcome_unknown (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pc_booking_class_init (PcBookingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  own_clock_quark = g_quark_from_static_string ("pc-booking-own-clock");
  status_text_quark = g_quark_from_static_string ("pc-booking-status-text");

  object_class->dispose = pc_booking_dispose;
  object_class->finalize = pc_booking_finalize;
  object_class->notify = pc_booking_notify;
  object_class->get_property = pc_booking_get_property;
  object_class->set_property = pc_booking_set_property;

  g_assert (g_str_equal (booking_fields[IDX_SESSION_DATE].json_name, "SessionDate"));
  for (guint i = 0; i < N_FIELDS; i++)
    properties[FIELD_PROP (i)] = _pc_field_make_pspec (&booking_fields[i]);

  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL, PC_TYPE_BOOKING_STATUS,
                       PC_BOOKING_STATUS_UNKNOWN, ro);
  properties[PROP_METHOD] =
    g_param_spec_enum ("method", NULL, NULL, PC_TYPE_CALL_METHOD, PC_CALL_METHOD_UNKNOWN, ro);
  properties[PROP_CAN_REINVITE] =
    g_param_spec_boolean ("can-reinvite", NULL, NULL, FALSE, ro);
  properties[PROP_IS_EXPIRED] =
    g_param_spec_boolean ("is-expired", NULL, NULL, FALSE, ro);
  properties[PROP_REINVITE_BLOCKER] =
    g_param_spec_enum ("reinvite-blocker", NULL, NULL, PC_TYPE_REINVITE_BLOCKER,
                       PC_REINVITE_BLOCKER_NOT_PENDING, ro);
  properties[PROP_REINVITE_BLOCKER_TEXT] =
    g_param_spec_string ("reinvite-blocker-text", NULL, NULL, NULL, ro);
  properties[PROP_REINVITE_AVAILABLE_AT] =
    g_param_spec_boxed ("reinvite-available-at", NULL, NULL, G_TYPE_DATE_TIME, ro);
  properties[PROP_CLOCK] =
    g_param_spec_object ("clock", NULL, NULL, PC_TYPE_CLOCK,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * PcBooking:outcome-unknown:
   *
   * A re-invite of this booking was sent and its answer was lost, and no read since has
   * shown a final state: the server may still carry it out. Not an API member: pc_booking_equal()
   * and pc_booking_update_from() leave it alone, pc_booking_copy() keeps it; #PcBookingStore sets
   * and clears it from its #PcOutcomeLog. While it is set, the booking cannot be
   * re-invited (%PC_REINVITE_BLOCKER_OUTCOME_UNKNOWN).
   */
  properties[PROP_OUTCOME_UNKNOWN] =
    g_param_spec_boolean ("outcome-unknown", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * PcBooking:can-accept:
   *
   * Whether the API's prerequisites for the action hold now (the same for can-reject,
   * can-cancel and can-delete); when not, accept-blocker-text (reject-blocker-text, …)
   * says why in a translated sentence. See pc_booking_can_do().
   */
  for (PcBookingAction action = 0; action < PC_BOOKING_N_ACTIONS; action++)
    {
      g_autofree char *can_name = g_strconcat ("can-", action_names[action], NULL);
      g_autofree char *text_name = g_strconcat (action_names[action], "-blocker-text", NULL);

      properties[PROP_CAN (action)] =
        g_param_spec_boolean (g_intern_string (can_name), NULL, NULL, FALSE, ro);
      properties[PROP_BLOCKER_TEXT (action)] =
        g_param_spec_string (g_intern_string (text_name), NULL, NULL, NULL, ro);
    }

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pc_booking_init (PcBooking *self)
{
  self->client = pc_client_new ();
  self->client->booking = self;
  self->status = PC_BOOKING_STATUS_UNKNOWN;
  self->method = PC_CALL_METHOD_UNKNOWN;
  self->blocker = PC_REINVITE_BLOCKER_NOT_PENDING;
  for (guint i = 0; i < N_FIELDS; i++)
    if (booking_fields[i].type == PC_FIELD_DATETIME)
      *(gint64 *) PC_FIELD_PTR (self, &booking_fields[i]) = PC_DATE_NONE;
  for (PcBookingAction action = 0; action < PC_BOOKING_N_ACTIONS; action++)
    self->action_blockers[action] = PC_ACTION_BLOCKER_STATUS;
}

PcBooking *
pc_booking_new (void)
{
  return g_object_new (PC_TYPE_BOOKING, NULL);
}

/**
 * pc_booking_copy:
 *
 * Returns: (transfer full): a deep copy (its own #PcClient), sharing the clock
 */
PcBooking *
pc_booking_copy (PcBooking *self)
{
  PcBooking *copy;

  g_return_val_if_fail (PC_IS_BOOKING (self), NULL);

  copy = pc_booking_new ();
  /* Nobody observes the copy yet: the members are derived once, below. */
  set_own_clock (copy, pc_booking_get_clock (self));
  for (guint i = 0; i < N_FIELDS; i++)
    _pc_field_copy (copy, self, &booking_fields[i]);
  copy->outcome_unknown = self->outcome_unknown;
  _pc_booking_members_set (copy, NULL);

  return copy;
}

#define GETTER(type, name)                                   \
  type                                                       \
  pc_booking_get_##name (PcBooking *self)                    \
  {                                                          \
    g_return_val_if_fail (PC_IS_BOOKING (self), (type) 0);   \
    return self->name;                                       \
  }

GETTER (gint64, booking_id)
GETTER (gint, duration)
GETTER (gint64, credits)
GETTER (PcBookingStatus, status)
GETTER (PcCallMethod, method)
GETTER (gint, method_code)
GETTER (const char *, phone_number)
GETTER (const char *, skype_name)
GETTER (const char *, cancelled_reason)
GETTER (const char *, cancelled_by)
GETTER (const char *, rejected_reason)
GETTER (const char *, comments)
GETTER (const char *, action_candidate)
GETTER (PcClient *, client)

#define DATE_GETTER(name)                                   \
  GDateTime *                                                \
  pc_booking_dup_##name (PcBooking *self)                    \
  {                                                          \
    g_return_val_if_fail (PC_IS_BOOKING (self), NULL);       \
    return pc_date_to_date_time (self->name);                \
  }

/**
 * pc_booking_dup_create_date:
 *
 * The booking's dates are kept as numbers; each call makes a #GDateTime (in UTC).
 *
 * Returns: (transfer full) (nullable): CreateDate
 */
DATE_GETTER (create_date)
DATE_GETTER (session_date)
DATE_GETTER (accept_by)
DATE_GETTER (accepted_date)
DATE_GETTER (confirmed_date)
DATE_GETTER (cancelled_date)
DATE_GETTER (last_updated)

#undef DATE_GETTER

/* The dates as numbers, for loops over many bookings: nothing to allocate. */
#define USEC_GETTER(name)                                     \
  gint64                                                      \
  pc_booking_get_##name##_usec (PcBooking *self)              \
  {                                                           \
    g_return_val_if_fail (PC_IS_BOOKING (self), PC_DATE_NONE);\
    return self->name;                                        \
  }

USEC_GETTER (create_date)
USEC_GETTER (session_date)
USEC_GETTER (accept_by)
USEC_GETTER (last_updated)

#undef USEC_GETTER

GETTER (gboolean, is_expired)

#undef GETTER

/**
 * pc_booking_get_status_text:
 *
 * Returns: (nullable): Status as the server wrote it
 */
const char *
pc_booking_get_status_text (PcBooking *self)
{
  g_return_val_if_fail (PC_IS_BOOKING (self), NULL);

  return _pc_booking_peek_status_text (self);
}

/**
 * pc_booking_get_clock:
 *
 * Returns: (transfer none) (nullable): where "now" comes from: the store's clock while
 *   the booking is in a #PcBookingStore, else its own; %NULL for the system clock
 */
PcClock *
pc_booking_get_clock (PcBooking *self)
{
  g_return_val_if_fail (PC_IS_BOOKING (self), NULL);

  if (self->store != NULL)
    return pc_booking_store_get_clock (self->store);

  return g_object_get_qdata (G_OBJECT (self), own_clock_quark);
}

void
_pc_booking_leave_store (PcBooking      *self,
                         PcBookingStore *store)
{
  g_return_if_fail (self->store == store);

  /* The clock it had stays its own (no notify: it is the same clock). */
  set_own_clock (self, pc_booking_store_get_clock (store));
  self->store = NULL;
}

/**
 * pc_booking_set_clock:
 * @clock: (nullable): where "now" comes from; %NULL for the system clock
 *
 * Sets the booking's own clock and re-evaluates the time-based properties against it.
 * While the booking is in a #PcBookingStore, the store's clock is the one it uses.
 */
void
pc_booking_set_clock (PcBooking *self,
                      PcClock   *clock)
{
  PcClock *old;

  g_return_if_fail (PC_IS_BOOKING (self));
  g_return_if_fail (clock == NULL || PC_IS_CLOCK (clock));

  old = pc_booking_get_clock (self);
  if (clock == g_object_get_qdata (G_OBJECT (self), own_clock_quark))
    return;
  set_own_clock (self, clock);
  if (pc_booking_get_clock (self) == old)
    return;

  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLOCK]);
  refresh_derived (self, FALSE);
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * pc_booking_get_outcome_unknown:
 *
 * Returns: whether the answer to the booking's last re-invite was lost and no read has
 *   shown what happened since (#PcBooking:outcome-unknown)
 */
gboolean
pc_booking_get_outcome_unknown (PcBooking *self)
{
  g_return_val_if_fail (PC_IS_BOOKING (self), FALSE);

  return self->outcome_unknown;
}

/**
 * pc_booking_set_outcome_unknown:
 *
 * Sets #PcBooking:outcome-unknown and re-derives can-reinvite and the blocker.
 */
void
pc_booking_set_outcome_unknown (PcBooking *self,
                                gboolean   outcome_unknown)
{
  g_return_if_fail (PC_IS_BOOKING (self));

  outcome_unknown = !!outcome_unknown;
  if (self->outcome_unknown == outcome_unknown)
    return;

  g_object_freeze_notify (G_OBJECT (self));
  self->outcome_unknown = outcome_unknown;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OUTCOME_UNKNOWN]);
  refresh_derived (self, FALSE);
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * pc_booking_get_can_reinvite:
 *
 * Returns: whether the API's ReInvite prerequisites hold (Status is Pending and
 *   SessionDate is not in the future) and no earlier re-invite's outcome is unknown
 */
gboolean
pc_booking_get_can_reinvite (PcBooking *self)
{
  g_return_val_if_fail (PC_IS_BOOKING (self), FALSE);

  return self->blocker == PC_REINVITE_BLOCKER_NONE;
}

PcReinviteBlocker
pc_booking_get_reinvite_blocker (PcBooking *self)
{
  g_return_val_if_fail (PC_IS_BOOKING (self), PC_REINVITE_BLOCKER_NOT_PENDING);

  return self->blocker;
}

/**
 * pc_booking_get_reinvite_blocker_text:
 *
 * Returns: (nullable): a short translated sentence saying why the booking cannot be
 *   re-invited, or %NULL when it can
 */
const char *
pc_booking_get_reinvite_blocker_text (PcBooking *self)
{
  g_return_val_if_fail (PC_IS_BOOKING (self), NULL);

  switch (self->blocker)
    {
    case PC_REINVITE_BLOCKER_NONE:
      return NULL;
    case PC_REINVITE_BLOCKER_SESSION_AHEAD:
      return _("The session time has not passed yet. A booking can be re-invited once its session time has passed.");
    case PC_REINVITE_BLOCKER_OUTCOME_UNKNOWN:
      return _("The outcome of the last re-invite is not known yet: the server may still carry it out. PhoneChat is waiting for the booking to show what happened.");
    case PC_REINVITE_BLOCKER_NOT_PENDING:
    default:
      switch (self->status)
        {
        case PC_BOOKING_STATUS_ACCEPTED:
          return _("This booking has been accepted. Only pending bookings can be re-invited.");
        case PC_BOOKING_STATUS_REJECTED:
          return _("This booking has already been rejected. Only pending bookings can be re-invited.");
        case PC_BOOKING_STATUS_CONFIRMED:
          return _("This booking has been confirmed. Only pending bookings can be re-invited.");
        case PC_BOOKING_STATUS_CANCELLED:
          return _("This booking has been cancelled. Only pending bookings can be re-invited.");
        case PC_BOOKING_STATUS_PENDING:
        case PC_BOOKING_STATUS_UNKNOWN:
        default:
          return _("This booking has a status this version of PhoneChat does not know. Only pending bookings can be re-invited.");
        }
    }
}

/**
 * pc_booking_dup_reinvite_available_at:
 *
 * Returns: (nullable) (transfer full): when a pending booking whose session is still ahead
 *   becomes possible to re-invite (its SessionDate); %NULL otherwise
 */
GDateTime *
pc_booking_dup_reinvite_available_at (PcBooking *self)
{
  g_return_val_if_fail (PC_IS_BOOKING (self), NULL);

  return pc_date_to_date_time (pc_booking_get_reinvite_available_at_usec (self));
}

/**
 * pc_booking_get_reinvite_available_at_usec:
 *
 * pc_booking_dup_reinvite_available_at() as Unix time in µs, with no allocation: for
 * loops over many bookings.
 *
 * Returns: the SessionDate of a pending booking whose session is still ahead, else
 *   %PC_BOOKING_NO_DATE
 */
gint64
pc_booking_get_reinvite_available_at_usec (PcBooking *self)
{
  g_return_val_if_fail (PC_IS_BOOKING (self), PC_DATE_NONE);

  return self->blocker == PC_REINVITE_BLOCKER_SESSION_AHEAD ? self->session_date : PC_DATE_NONE;
}

/**
 * pc_booking_can_do:
 *
 * Returns: whether the API's prerequisites for @action hold now and no earlier request's
 *   outcome is unknown (the can-accept, can-reject, can-cancel and can-delete properties)
 */
gboolean
pc_booking_can_do (PcBooking       *self,
                   PcBookingAction  action)
{
  g_return_val_if_fail (PC_IS_BOOKING (self), FALSE);
  g_return_val_if_fail (action < PC_BOOKING_N_ACTIONS, FALSE);

  return self->action_blockers[action] == PC_ACTION_BLOCKER_NONE;
}

/**
 * pc_booking_get_action_blocker_text:
 *
 * Returns: (nullable): a short translated sentence saying why @action cannot be done on
 *   the booking now, or %NULL when it can
 */
const char *
pc_booking_get_action_blocker_text (PcBooking       *self,
                                    PcBookingAction  action)
{
  g_return_val_if_fail (PC_IS_BOOKING (self), NULL);
  g_return_val_if_fail (action < PC_BOOKING_N_ACTIONS, NULL);

  return action_blocker_text (self->status, action, self->action_blockers[action]);
}

gboolean
pc_booking_get_can_accept (PcBooking *self)
{
  return pc_booking_can_do (self, PC_BOOKING_ACTION_ACCEPT);
}

gboolean
pc_booking_get_can_reject (PcBooking *self)
{
  return pc_booking_can_do (self, PC_BOOKING_ACTION_REJECT);
}

gboolean
pc_booking_get_can_cancel (PcBooking *self)
{
  return pc_booking_can_do (self, PC_BOOKING_ACTION_CANCEL);
}

gboolean
pc_booking_get_can_delete (PcBooking *self)
{
  return pc_booking_can_do (self, PC_BOOKING_ACTION_DELETE);
}

/**
 * pc_booking_refresh_time:
 * @now: (nullable): the current time, or %NULL to ask the booking's clock
 *
 * Re-evaluates the time-based properties (can-reinvite, is-expired, …) and notifies
 * those that changed.
 *
 * Returns: whether can-reinvite changed
 */
gboolean
pc_booking_refresh_time (PcBooking *self,
                         GDateTime *now)
{
  g_autoptr(GDateTime) own_now = NULL;
  gboolean could;

  g_return_val_if_fail (PC_IS_BOOKING (self), FALSE);

  if (now == NULL)
    now = own_now = clock_now (self);

  could = pc_booking_get_can_reinvite (self);
  g_object_freeze_notify (G_OBJECT (self));
  update_derived (self, now, FALSE, TRUE);
  g_object_thaw_notify (G_OBJECT (self));

  return could != pc_booking_get_can_reinvite (self);
}

/**
 * pc_booking_equal:
 *
 * Returns: whether every API member of @a (including the client's) equals @b's
 */
gboolean
pc_booking_equal (PcBooking *a,
                  PcBooking *b)
{
  g_return_val_if_fail (PC_IS_BOOKING (a), FALSE);
  g_return_val_if_fail (PC_IS_BOOKING (b), FALSE);

  for (guint i = 0; i < N_FIELDS; i++)
    if (!_pc_field_equal (a, b, &booking_fields[i]))
      return FALSE;

  return TRUE;
}

/**
 * pc_booking_update_from:
 * @self: the booking shown to the user
 * @other: a newer copy of the same booking from the server
 *
 * Merges @other into @self in place: the members that differ are copied and exactly those
 * properties (and the derived ones that follow from them) are notified. The client is
 * updated in place too.
 *
 * Returns: whether any member changed
 */
gboolean
pc_booking_update_from (PcBooking *self,
                        PcBooking *other)
{
  gboolean changed = FALSE;
  gboolean session_changed = FALSE;

  g_return_val_if_fail (PC_IS_BOOKING (self), FALSE);
  g_return_val_if_fail (PC_IS_BOOKING (other), FALSE);
  /* The id is the booking's identity (a store is keyed by it): only copies of the same
   * booking merge. */
  g_return_val_if_fail (self->booking_id == other->booking_id, FALSE);

  if (self == other)
    return FALSE;

  g_object_freeze_notify (G_OBJECT (self));
  for (guint i = 0; i < N_FIELDS; i++)
    {
      if (_pc_field_copy (self, other, &booking_fields[i]))
        {
          /* The client object itself stays; its own properties were notified. */
          if (booking_fields[i].type != PC_FIELD_CLIENT)
            g_object_notify_by_pspec (G_OBJECT (self), properties[FIELD_PROP (i)]);
          session_changed |= i == IDX_SESSION_DATE;
          changed = TRUE;
        }
    }
  if (changed)
    refresh_derived (self, session_changed);
  g_object_thaw_notify (G_OBJECT (self));

  return changed;
}
