/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pc-clock"

#include "config.h"

#include "pc-clock.h"

/**
 * PcClock:
 *
 * Where "now" comes from. The application uses the system clock; tests use a fixed clock
 * and move it with pc_clock_set_now(), which emits #PcClock::changed so that everything
 * derived from the time (can-reinvite, countdowns) is re-evaluated.
 */
struct _PcClock
{
  GObject    parent_instance;

  GDateTime *fixed_now; /* NULL: the system clock */
};

G_DEFINE_FINAL_TYPE (PcClock, pc_clock, G_TYPE_OBJECT)

enum {
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
pc_clock_finalize (GObject *object)
{
  PcClock *self = (PcClock *) object;

  g_clear_pointer (&self->fixed_now, g_date_time_unref);

  G_OBJECT_CLASS (pc_clock_parent_class)->finalize (object);
}

static void
pc_clock_class_init (PcClockClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pc_clock_finalize;

  /**
   * PcClock::changed:
   *
   * Emitted when a fixed clock is moved. The system clock never emits it: users of the
   * system clock schedule their own timeouts.
   */
  signals[SIGNAL_CHANGED] = g_signal_new ("changed",
                                          G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 0);
}

static void
pc_clock_init (PcClock *self)
{
}

PcClock *
pc_clock_new_system (void)
{
  return g_object_new (PC_TYPE_CLOCK, NULL);
}

PcClock *
pc_clock_new_fixed (GDateTime *now)
{
  PcClock *self;

  g_return_val_if_fail (now != NULL, NULL);

  self = g_object_new (PC_TYPE_CLOCK, NULL);
  self->fixed_now = g_date_time_ref (now);
  return self;
}

/**
 * pc_clock_get_now:
 *
 * Returns: (transfer full): the current time in UTC
 */
GDateTime *
pc_clock_get_now (PcClock *self)
{
  g_return_val_if_fail (PC_IS_CLOCK (self), NULL);

  if (self->fixed_now != NULL)
    return g_date_time_ref (self->fixed_now);

  return g_date_time_new_now_utc ();
}

gboolean
pc_clock_is_fixed (PcClock *self)
{
  g_return_val_if_fail (PC_IS_CLOCK (self), FALSE);

  return self->fixed_now != NULL;
}

void
pc_clock_set_now (PcClock   *self,
                  GDateTime *now)
{
  g_return_if_fail (PC_IS_CLOCK (self));
  g_return_if_fail (now != NULL);
  g_return_if_fail (self->fixed_now != NULL);

  g_clear_pointer (&self->fixed_now, g_date_time_unref);
  self->fixed_now = g_date_time_ref (now);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}
