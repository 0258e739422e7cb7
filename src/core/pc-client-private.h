/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pc-client.h"
#include "pc-field-private.h"

G_BEGIN_DECLS

struct _PcClient
{
  GObject parent_instance;

  gint64  user_id;
  char   *nickname;
  char   *phone_number;
  char   *skype_name;
  gint    total;
  gint    positive;
  gint    neutral;
  gint    negative;
  gint    ratings;
  gint    disputes;

  /* The booking this client belongs to (unowned; it clears this when it goes): a change
   * of the client is a change of that booking for its store. */
  PcBooking *booking;
};

const PcField *_pc_client_get_fields (guint *n_fields);

G_END_DECLS
