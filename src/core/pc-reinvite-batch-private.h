/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pc-reinvite-batch.h"

G_BEGIN_DECLS

/* For PcReinviter, which fills a batch's result as its requests end. */
guint _pc_reinvite_batch_add_booking (PcReinviteBatch   *self,
                                      PcBooking         *booking);
void  _pc_reinvite_batch_set         (PcReinviteBatch   *self,
                                      guint              index,
                                      PcReinviteOutcome  outcome,
                                      const char        *message,
                                      const GError      *error);

G_END_DECLS
