/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pc-client"

#include "config.h"

#include "pc-booking-private.h"
#include "pc-client-private.h"

/**
 * PcClient:
 *
 * The person who made a booking (the API's `aws:PhoneChatBookingUser`). Never the HTTP
 * client: that is #PcApi.
 */

G_DEFINE_FINAL_TYPE (PcClient, pc_client, G_TYPE_OBJECT)

#define FIELD(json, prop, type, nullable, member) \
  { json, prop, type, nullable, G_STRUCT_OFFSET (PcClient, member) }

/* In the API's order; property ids are index + 1. */
static const PcField client_fields[] = {
  FIELD ("UserID", "user-id", PC_FIELD_INT64, FALSE, user_id),
  FIELD ("Nickname", "nickname", PC_FIELD_STRING, FALSE, nickname),
  FIELD ("PhoneNumber", "phone-number", PC_FIELD_STRING, TRUE, phone_number),
  FIELD ("SkypeName", "skype-name", PC_FIELD_STRING, TRUE, skype_name),
  FIELD ("Total", "total", PC_FIELD_INT, FALSE, total),
  FIELD ("Positive", "positive", PC_FIELD_INT, FALSE, positive),
  FIELD ("Neutral", "neutral", PC_FIELD_INT, FALSE, neutral),
  FIELD ("Negative", "negative", PC_FIELD_INT, FALSE, negative),
  FIELD ("Ratings", "ratings", PC_FIELD_INT, FALSE, ratings),
  FIELD ("Disputes", "disputes", PC_FIELD_INT, FALSE, disputes),
};

#undef FIELD

#define N_PROPS (G_N_ELEMENTS (client_fields) + 1)
static GParamSpec *properties[N_PROPS];

const PcField *
_pc_client_get_fields (guint *n_fields)
{
  *n_fields = G_N_ELEMENTS (client_fields);
  return client_fields;
}

static void
pc_client_finalize (GObject *object)
{
  PcClient *self = (PcClient *) object;

  for (guint i = 0; i < G_N_ELEMENTS (client_fields); i++)
    _pc_field_clear (self, &client_fields[i]);

  G_OBJECT_CLASS (pc_client_parent_class)->finalize (object);
}

static void
pc_client_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  if (prop_id == 0 || prop_id >= N_PROPS)
    {
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }

  _pc_field_get_value (object, &client_fields[prop_id - 1], value);
}

static void
pc_client_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  if (prop_id == 0 || prop_id >= N_PROPS)
    {
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }

  if (_pc_field_set_value (object, &client_fields[prop_id - 1], value))
    g_object_notify_by_pspec (object, pspec);
}

/* Every notification, for the store of the booking the client belongs to. */
static void
pc_client_notify (GObject    *object,
                  GParamSpec *pspec)
{
  PcClient *self = (PcClient *) object;

  if (self->booking != NULL)
    _pc_booking_changed (self->booking, pspec);
}

static void
pc_client_class_init (PcClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pc_client_finalize;
  object_class->notify = pc_client_notify;
  object_class->get_property = pc_client_get_property;
  object_class->set_property = pc_client_set_property;

  for (guint i = 0; i < G_N_ELEMENTS (client_fields); i++)
    properties[i + 1] = _pc_field_make_pspec (&client_fields[i]);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pc_client_init (PcClient *self)
{
}

PcClient *
pc_client_new (void)
{
  return g_object_new (PC_TYPE_CLIENT, NULL);
}

#define GETTER(type, name)                              \
  type                                                  \
  pc_client_get_##name (PcClient *self)                 \
  {                                                     \
    g_return_val_if_fail (PC_IS_CLIENT (self), (type) 0); \
    return self->name;                                  \
  }

GETTER (gint64, user_id)
GETTER (const char *, nickname)
GETTER (const char *, phone_number)
GETTER (const char *, skype_name)
GETTER (gint, total)
GETTER (gint, positive)
GETTER (gint, neutral)
GETTER (gint, negative)
GETTER (gint, ratings)
GETTER (gint, disputes)

#undef GETTER

/**
 * pc_client_equal:
 *
 * Returns: whether every member of @a equals the same member of @b
 */
gboolean
pc_client_equal (PcClient *a,
                 PcClient *b)
{
  g_return_val_if_fail (PC_IS_CLIENT (a), FALSE);
  g_return_val_if_fail (PC_IS_CLIENT (b), FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (client_fields); i++)
    if (!_pc_field_equal (a, b, &client_fields[i]))
      return FALSE;

  return TRUE;
}

/**
 * pc_client_update_from:
 * @self: the client to update in place
 * @other: a newer copy of the same client
 *
 * Copies the members that differ and notifies exactly those properties.
 *
 * Returns: whether anything changed
 */
gboolean
pc_client_update_from (PcClient *self,
                       PcClient *other)
{
  gboolean changed = FALSE;

  g_return_val_if_fail (PC_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (PC_IS_CLIENT (other), FALSE);

  if (self == other)
    return FALSE;

  g_object_freeze_notify (G_OBJECT (self));
  for (guint i = 0; i < G_N_ELEMENTS (client_fields); i++)
    {
      if (_pc_field_copy (self, other, &client_fields[i]))
        {
          g_object_notify_by_pspec (G_OBJECT (self), properties[i + 1]);
          changed = TRUE;
        }
    }
  g_object_thaw_notify (G_OBJECT (self));

  return changed;
}
