/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pc-reinvite-batch"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pc-booking.h"
#include "pc-client.h"
#include "pc-reinvite-batch-private.h"
#include "pc-utils.h"

G_DEFINE_ENUM_TYPE (PcReinviteOutcome, pc_reinvite_outcome,
                    G_DEFINE_ENUM_VALUE (PC_REINVITE_OUTCOME_SUCCEEDED, "succeeded"),
                    G_DEFINE_ENUM_VALUE (PC_REINVITE_OUTCOME_FAILED, "failed"),
                    G_DEFINE_ENUM_VALUE (PC_REINVITE_OUTCOME_SKIPPED, "skipped"),
                    G_DEFINE_ENUM_VALUE (PC_REINVITE_OUTCOME_CANCELLED, "cancelled"))

typedef struct
{
  gint64             booking_id;
  char              *nickname;
  PcReinviteOutcome  outcome;
  char              *message; /* the error's message, or why it was skipped */
  GError            *error;
} BatchEntry;

struct _PcReinviteBatch
{
  char   *reason;
  GArray *entries; /* BatchEntry */
};

G_DEFINE_BOXED_TYPE (PcReinviteBatch, pc_reinvite_batch,
                     pc_reinvite_batch_ref, pc_reinvite_batch_unref)

static void
batch_entry_clear (gpointer data)
{
  BatchEntry *entry = data;

  g_clear_pointer (&entry->nickname, g_free);
  g_clear_pointer (&entry->message, g_free);
  g_clear_error (&entry->error);
}

static void
pc_reinvite_batch_free (gpointer data)
{
  PcReinviteBatch *self = data;

  g_clear_pointer (&self->reason, g_free);
  g_clear_pointer (&self->entries, g_array_unref);
}

/**
 * pc_reinvite_batch_new:
 * @reason: (nullable): the reason the batch is sent with
 *
 * Returns: (transfer full): an empty result
 */
PcReinviteBatch *
pc_reinvite_batch_new (const char *reason)
{
  PcReinviteBatch *self = g_rc_box_new0 (PcReinviteBatch);

  self->reason = g_strdup (reason);
  self->entries = g_array_new (FALSE, TRUE, sizeof (BatchEntry));
  g_array_set_clear_func (self->entries, batch_entry_clear);
  return self;
}

/**
 * pc_reinvite_batch_append:
 * @nickname: (nullable): the client's nickname
 * @message: (nullable): the error's message, or why the booking was skipped
 * @error: (nullable): the error of a failed or cancelled booking
 *
 * Returns: the new entry's index
 */
guint
pc_reinvite_batch_append (PcReinviteBatch   *self,
                          gint64             booking_id,
                          const char        *nickname,
                          PcReinviteOutcome  outcome,
                          const char        *message,
                          const GError      *error)
{
  BatchEntry entry = { 0, };

  g_return_val_if_fail (self != NULL, 0);

  entry.booking_id = booking_id;
  entry.nickname = g_strdup (nickname);
  entry.outcome = outcome;
  entry.message = g_strdup (message);
  entry.error = error != NULL ? g_error_copy (error) : NULL;
  g_array_append_val (self->entries, entry);
  return self->entries->len - 1;
}

/* Appends an entry for @booking (its outcome is set when known). */
guint
_pc_reinvite_batch_add_booking (PcReinviteBatch *self,
                   PcBooking       *booking)
{
  PcClient *client = pc_booking_get_client (booking);

  return pc_reinvite_batch_append (self, pc_booking_get_booking_id (booking),
                                   client != NULL ? pc_client_get_nickname (client) : NULL,
                                   PC_REINVITE_OUTCOME_SKIPPED, NULL, NULL);
}

void
_pc_reinvite_batch_set (PcReinviteBatch   *self,
                       guint              index,
                       PcReinviteOutcome  outcome,
                       const char        *message,
                       const GError      *error)
{
  BatchEntry *entry = &g_array_index (self->entries, BatchEntry, index);

  entry->outcome = outcome;
  pc_set_str (&entry->message, message);
  g_clear_error (&entry->error);
  if (error != NULL)
    entry->error = g_error_copy (error);
}

static BatchEntry *
get_entry (PcReinviteBatch *self,
           guint            index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->entries->len, NULL);

  return &g_array_index (self->entries, BatchEntry, index);
}

PcReinviteBatch *
pc_reinvite_batch_ref (PcReinviteBatch *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_rc_box_acquire (self);
}

void
pc_reinvite_batch_unref (PcReinviteBatch *self)
{
  g_return_if_fail (self != NULL);

  g_rc_box_release_full (self, pc_reinvite_batch_free);
}

/**
 * pc_reinvite_batch_get_reason:
 *
 * Returns: (nullable): the reason the batch was sent with (%NULL or empty: the API's
 *   default reason)
 */
const char *
pc_reinvite_batch_get_reason (PcReinviteBatch *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->reason;
}

/**
 * pc_reinvite_batch_get_n_items:
 *
 * Returns: the number of distinct bookings the batch was given
 */
guint
pc_reinvite_batch_get_n_items (PcReinviteBatch *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->entries->len;
}

/**
 * pc_reinvite_batch_count:
 *
 * Returns: how many bookings had @outcome
 */
guint
pc_reinvite_batch_count (PcReinviteBatch   *self,
                         PcReinviteOutcome  outcome)
{
  guint n = 0;

  g_return_val_if_fail (self != NULL, 0);

  for (guint i = 0; i < self->entries->len; i++)
    if (g_array_index (self->entries, BatchEntry, i).outcome == outcome)
      n++;

  return n;
}

/**
 * pc_reinvite_batch_dup_summary:
 *
 * Returns: (transfer full): the batch's outcome in a few words, as the summary
 *   notification and the batch dialog show it: "7 clients re-invited, 1 failed"
 */
char *
pc_reinvite_batch_dup_summary (PcReinviteBatch *self)
{
  guint succeeded;
  guint failed;

  g_return_val_if_fail (self != NULL, NULL);

  succeeded = pc_reinvite_batch_count (self, PC_REINVITE_OUTCOME_SUCCEEDED);
  failed = pc_reinvite_batch_count (self, PC_REINVITE_OUTCOME_FAILED);

  if (succeeded > 0 && failed == 0)
    return g_strdup_printf (ngettext ("%u client re-invited", "%u clients re-invited",
                                      succeeded),
                            succeeded);

  if (succeeded > 0)
    {
      g_autofree char *done = NULL;
      g_autofree char *not_done = NULL;

      done = g_strdup_printf (ngettext ("%u client re-invited", "%u clients re-invited",
                                        succeeded),
                              succeeded);
      /* Translators: follows "7 clients re-invited" in the same title */
      not_done = g_strdup_printf (ngettext ("%u failed", "%u failed", failed), failed);
      /* Translators: a batch summary title such as "7 clients re-invited, 1 failed": the
       * first %s is "7 clients re-invited", the second "1 failed" */
      return g_strdup_printf (C_("batch summary", "%s, %s"), done, not_done);
    }

  if (failed > 0)
    return g_strdup_printf (ngettext ("Could not re-invite %u client",
                                      "Could not re-invite %u clients", failed),
                            failed);

  return g_strdup (_("No clients were re-invited"));
}

gint64
pc_reinvite_batch_get_booking_id (PcReinviteBatch *self,
                                  guint            index)
{
  BatchEntry *entry = get_entry (self, index);

  return entry != NULL ? entry->booking_id : 0;
}

/**
 * pc_reinvite_batch_get_nickname:
 *
 * Returns: (nullable): the client's nickname, as it was when the batch started
 */
const char *
pc_reinvite_batch_get_nickname (PcReinviteBatch *self,
                                guint            index)
{
  BatchEntry *entry = get_entry (self, index);

  return entry != NULL ? entry->nickname : NULL;
}

PcReinviteOutcome
pc_reinvite_batch_get_outcome (PcReinviteBatch *self,
                               guint            index)
{
  BatchEntry *entry = get_entry (self, index);

  return entry != NULL ? entry->outcome : PC_REINVITE_OUTCOME_SKIPPED;
}

/**
 * pc_reinvite_batch_get_message:
 *
 * Returns: (nullable): %NULL on success; the error's message for a failed or cancelled
 *   booking; why it was skipped otherwise (translated, for people)
 */
const char *
pc_reinvite_batch_get_message (PcReinviteBatch *self,
                               guint            index)
{
  BatchEntry *entry = get_entry (self, index);

  return entry != NULL ? entry->message : NULL;
}

/**
 * pc_reinvite_batch_get_error:
 *
 * Returns: (nullable): the error of a failed or cancelled booking (a #PC_API_ERROR or
 *   %G_IO_ERROR_CANCELLED), else %NULL
 */
const GError *
pc_reinvite_batch_get_error (PcReinviteBatch *self,
                             guint            index)
{
  BatchEntry *entry = get_entry (self, index);

  return entry != NULL ? entry->error : NULL;
}

/**
 * pc_reinvite_batch_find:
 *
 * Returns: the index of @booking_id, or -1
 */
gint
pc_reinvite_batch_find (PcReinviteBatch *self,
                        gint64           booking_id)
{
  g_return_val_if_fail (self != NULL, -1);

  for (guint i = 0; i < self->entries->len; i++)
    if (g_array_index (self->entries, BatchEntry, i).booking_id == booking_id)
      return (gint) i;

  return -1;
}
