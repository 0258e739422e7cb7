/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pc-reason-drafts"

#include "config.h"

#include "pc-booking.h"
#include "pc-reason-drafts.h"

/**
 * PcReasonDrafts:
 *
 * The reasons a user typed for re-inviting, one per booking, kept in memory until the
 * application quits: closing the dialog, or a failed re-invite, loses nothing. The
 * application owns one and lets it follow its #PcReinviter: the reason of a re-invite
 * that starts is kept, and a re-invite that succeeds forgets it.
 */

struct _PcReasonDrafts
{
  GObject      parent_instance;

  GHashTable  *drafts;     /* gint64 * → char * */
  PcReinviter *reinviter;  /* followed; weak: the application owns it */
};

G_DEFINE_FINAL_TYPE (PcReasonDrafts, pc_reason_drafts, G_TYPE_OBJECT)

static gint64 *
int64_dup (gint64 value)
{
  return g_memdup2 (&value, sizeof value);
}

static void
started_cb (PcReasonDrafts *self,
            PcBooking      *booking,
            PcReinviter    *reinviter)
{
  gint64 booking_id = pc_booking_get_booking_id (booking);

  pc_reason_drafts_set (self, booking_id, pc_reinviter_get_reason (reinviter, booking_id));
}

static void
finished_cb (PcReasonDrafts *self,
             PcBooking      *booking,
             const GError   *error,
             PcReinviter    *reinviter)
{
  if (error == NULL)
    pc_reason_drafts_set (self, pc_booking_get_booking_id (booking), NULL);
}

static void
pc_reason_drafts_dispose (GObject *object)
{
  PcReasonDrafts *self = (PcReasonDrafts *) object;

  pc_reason_drafts_follow (self, NULL);

  G_OBJECT_CLASS (pc_reason_drafts_parent_class)->dispose (object);
}

static void
pc_reason_drafts_finalize (GObject *object)
{
  PcReasonDrafts *self = (PcReasonDrafts *) object;

  g_clear_pointer (&self->drafts, g_hash_table_unref);

  G_OBJECT_CLASS (pc_reason_drafts_parent_class)->finalize (object);
}

static void
pc_reason_drafts_class_init (PcReasonDraftsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pc_reason_drafts_dispose;
  object_class->finalize = pc_reason_drafts_finalize;
}

static void
pc_reason_drafts_init (PcReasonDrafts *self)
{
  self->drafts = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
}

PcReasonDrafts *
pc_reason_drafts_new (void)
{
  return g_object_new (PC_TYPE_REASON_DRAFTS, NULL);
}

/**
 * pc_reason_drafts_follow:
 * @reinviter: (nullable): the reinviter whose re-invites keep and forget drafts; %NULL
 *   stops following
 *
 * The drafts stay when the reinviter changes (e.g. after signing in again).
 */
void
pc_reason_drafts_follow (PcReasonDrafts *self,
                         PcReinviter    *reinviter)
{
  g_return_if_fail (PC_IS_REASON_DRAFTS (self));
  g_return_if_fail (reinviter == NULL || PC_IS_REINVITER (reinviter));

  if (self->reinviter == reinviter)
    return;

  if (self->reinviter != NULL)
    g_signal_handlers_disconnect_by_data (self->reinviter, self);
  g_set_weak_pointer (&self->reinviter, reinviter);
  if (reinviter != NULL)
    {
      /* Single re-invites only: a batch's one reason belongs to no booking's dialog. */
      g_signal_connect_object (reinviter, "started::single", G_CALLBACK (started_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (reinviter, "finished", G_CALLBACK (finished_cb), self,
                               G_CONNECT_SWAPPED);
    }
}

/**
 * pc_reason_drafts_get:
 *
 * Returns: (nullable): the reason typed for the booking, or %NULL
 */
const char *
pc_reason_drafts_get (PcReasonDrafts *self,
                      gint64          booking_id)
{
  g_return_val_if_fail (PC_IS_REASON_DRAFTS (self), NULL);

  return g_hash_table_lookup (self->drafts, &booking_id);
}

/**
 * pc_reason_drafts_set:
 * @draft: (nullable): the reason being typed; %NULL or empty forgets it
 */
void
pc_reason_drafts_set (PcReasonDrafts *self,
                      gint64          booking_id,
                      const char     *draft)
{
  g_return_if_fail (PC_IS_REASON_DRAFTS (self));
  g_return_if_fail (draft == NULL || g_utf8_validate (draft, -1, NULL));

  /* @draft may be the stored string itself (from pc_reason_drafts_get()). */
  if (g_strcmp0 (g_hash_table_lookup (self->drafts, &booking_id), draft) == 0)
    return;

  if (draft == NULL || *draft == '\0')
    g_hash_table_remove (self->drafts, &booking_id);
  else
    g_hash_table_replace (self->drafts, int64_dup (booking_id), g_strdup (draft));
}
