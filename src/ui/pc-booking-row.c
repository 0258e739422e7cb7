/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pc-booking-row"

#include "config.h"

#include <glib/gi18n.h>

#include "pc-booking.h"
#include "pc-booking-row.h"
#include "pc-client.h"
#include "pc-describe.h"
#include "pc-format.h"

/**
 * PcBookingRow:
 *
 * One received booking in the list: the client's nickname, the session's date and time,
 * duration and credits, a status badge and, when the booking can be re-invited, an
 * accent badge. In-place updates of the booking show up by notify: the row watches its
 * booking and the booking's client with one handler each and sets what changed.
 *
 * Not expressions in the template: a list of 100,000 bookings makes a row for each
 * booking that scrolls into view, and a dozen expression bindings (about thirty watches)
 * per row were most of what a row cost to make while bookings loaded (issue 12).
 *
 * In #PcBookingRow:selection-mode the row shows a check button that follows
 * #PcBookingRow:selected, and a click toggles the list item's selection (through the
 * `listitem.select` action of the list view it is in) instead of replacing it.
 */
struct _PcBookingRow
{
  AdwBin     parent_instance;

  PcBooking *booking;
  PcClient  *client;       /* the booking's, watched for its nickname */
  gulong     booking_notify_id;
  gulong     client_notify_id;
  gboolean   selection_mode;
  gboolean   selected;

  /* Template widgets */
  GtkLabel  *nickname_label;
  GtkLabel  *session_label;
  GtkLabel  *amount_label;
  GtkLabel  *status_label;
  GtkWidget *reinvite_badge;
  GtkWidget *outcome_badge;
  GtkWidget *check_button;
};

G_DEFINE_FINAL_TYPE (PcBookingRow, pc_booking_row, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_BOOKING,
  PROP_SELECTION_MODE,
  PROP_SELECTED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The list item that holds the row is what screen readers focus and announce, and it
 * has no name of its own in GTK 4.8 (GtkListItem gets an accessible label in 4.12): it
 * is named after what the row shows. */
static void
update_accessible_label (PcBookingRow *self)
{
  GtkWidget *parent = gtk_widget_get_parent (GTK_WIDGET (self));
  const char *nickname, *session, *status;
  g_autofree char *label = NULL;

  /* Not while the template is being disposed, nor outside a list. */
  if (self->nickname_label == NULL || parent == NULL ||
      gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (parent)) != GTK_ACCESSIBLE_ROLE_LIST_ITEM)
    return;

  nickname = gtk_label_get_text (self->nickname_label);
  session = gtk_label_get_text (self->session_label);
  status = gtk_label_get_text (self->status_label);

  if (self->booking == NULL)
    {
      gtk_accessible_reset_property (GTK_ACCESSIBLE (parent), GTK_ACCESSIBLE_PROPERTY_LABEL);
      return;
    }

  if (gtk_widget_get_visible (self->reinvite_badge))
    /* Translators: how screen readers name a booking in the list: the client's nickname,
     * the session date and the status, e.g. "shy_sam, Fri 27 Nov 2026, 09:45, Pending,
     * can be re-invited" */
    label = g_strdup_printf (_("%s, %s, %s, can be re-invited"), nickname, session, status);
  else if (gtk_widget_get_visible (self->outcome_badge))
    /* Translators: how screen readers name a booking in the list: the client's nickname,
     * the session date and the status, e.g. "shy_sam, Fri 27 Nov 2026, 09:45, Pending,
     * re-invite outcome unknown" */
    label = g_strdup_printf (_("%s, %s, %s, re-invite outcome unknown"), nickname, session,
                             status);
  else
    /* Translators: how screen readers name a booking in the list: the client's nickname,
     * the session date and the status, e.g. "SilverFox_UK, Sun 29 Nov 2026, 12:30,
     * Confirmed" */
    label = g_strdup_printf (_("%s, %s, %s"), nickname, session, status);

  gtk_accessible_update_property (GTK_ACCESSIBLE (parent), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

static void
update_nickname (PcBookingRow *self)
{
  g_autofree char *text = pc_describe_client_name (pc_client_get_nickname (self->client),
                                                   pc_booking_get_booking_id (self->booking));

  gtk_label_set_text (self->nickname_label, text);
}

/* The session's full date, with its zone, as the label's tooltip and accessible
 * description show it. */
static char *
dup_session_full_text (PcBookingRow *self)
{
  g_autoptr(GDateTime) session = pc_booking_dup_session_date (self->booking);

  return pc_format_date_time_full (session);
}

static void
update_session (PcBookingRow *self)
{
  g_autoptr(GDateTime) session = pc_booking_dup_session_date (self->booking);
  g_autofree char *text = pc_format_date_time (session);
  g_autofree char *full = pc_format_date_time_full (session);

  gtk_label_set_text (self->session_label, text);
  if (full != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->session_label),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, full, -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (self->session_label),
                                   GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

/* The tooltip is written when it is about to show, not each time the row shows another
 * booking: setting a widget's tooltip text makes GTK look for the pointer at once, and on
 * X11 that is a round trip to the server, for every row rebound while bookings load. */
static gboolean
session_query_tooltip_cb (PcBookingRow *self,
                          int           x,
                          int           y,
                          gboolean      keyboard_mode,
                          GtkTooltip   *tooltip)
{
  g_autofree char *full = NULL;

  if (self->booking == NULL)
    return FALSE;

  full = dup_session_full_text (self);
  if (full == NULL)
    return FALSE;

  gtk_tooltip_set_text (tooltip, full);
  return TRUE;
}

static void
update_amount (PcBookingRow *self)
{
  g_autofree char *text = pc_format_amount (pc_booking_get_duration (self->booking),
                                            pc_booking_get_credits (self->booking));

  gtk_label_set_text (self->amount_label, text);
}

static void
update_status (PcBookingRow *self)
{
  PcBookingStatus status = pc_booking_get_status (self->booking);
  g_auto(GStrv) classes = pc_status_css_classes (status);

  gtk_label_set_text (self->status_label, pc_booking_status_get_label (status));
  gtk_widget_set_css_classes (GTK_WIDGET (self->status_label), (const char **) classes);
}

static void
update_badges (PcBookingRow *self)
{
  gtk_widget_set_visible (self->reinvite_badge, pc_booking_get_can_reinvite (self->booking));
  /* Any request about the booking (a re-invite, an accept, …) whose answer was lost. */
  gtk_widget_set_visible (self->outcome_badge, pc_booking_get_outcome_unknown (self->booking));
  gtk_widget_set_tooltip_text (self->outcome_badge,
                               pc_booking_get_reinvite_blocker_text (self->booking));
}

static void
booking_notify_cb (PcBookingRow *self,
                   GParamSpec   *pspec,
                   PcBooking    *booking)
{
  const char *name = pspec->name;

  if (g_str_equal (name, "booking-id"))
    update_nickname (self);
  else if (g_str_equal (name, "session-date"))
    {
      update_session (self);
      /* A tooltip already showing the old date. */
      gtk_widget_trigger_tooltip_query (GTK_WIDGET (self->session_label));
    }
  else if (g_str_equal (name, "duration") || g_str_equal (name, "credits"))
    update_amount (self);
  else if (g_str_equal (name, "status"))
    update_status (self);
  else if (g_str_equal (name, "can-reinvite") || g_str_equal (name, "outcome-unknown") ||
           g_str_equal (name, "reinvite-blocker-text"))
    update_badges (self);
  else
    return;

  update_accessible_label (self);
}

static void
client_nickname_cb (PcBookingRow *self)
{
  update_nickname (self);
  update_accessible_label (self);
}

static void
unwatch_booking (PcBookingRow *self)
{
  if (self->booking == NULL)
    return;

  g_clear_signal_handler (&self->booking_notify_id, self->booking);
  g_clear_signal_handler (&self->client_notify_id, self->client);
  g_clear_object (&self->client);
  g_clear_object (&self->booking);
}

static void
click_pressed_cb (PcBookingRow    *self,
                  int              n_press,
                  double           x,
                  double           y,
                  GtkGestureClick *gesture)
{
  if (!self->selection_mode)
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }

  /* Claimed here, the list item never sees the click, which would select only this
   * row: in selection mode a click adds or removes it. */
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  gtk_widget_activate_action (GTK_WIDGET (self), "listitem.select", "(bb)", TRUE, FALSE);
}

static void
pc_booking_row_dispose (GObject *object)
{
  PcBookingRow *self = (PcBookingRow *) object;

  unwatch_booking (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), PC_TYPE_BOOKING_ROW);

  G_OBJECT_CLASS (pc_booking_row_parent_class)->dispose (object);
}

static void
pc_booking_row_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  PcBookingRow *self = PC_BOOKING_ROW (object);

  switch (prop_id)
    {
    case PROP_BOOKING:
      g_value_set_object (value, self->booking);
      break;
    case PROP_SELECTION_MODE:
      g_value_set_boolean (value, self->selection_mode);
      break;
    case PROP_SELECTED:
      g_value_set_boolean (value, self->selected);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pc_booking_row_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  PcBookingRow *self = PC_BOOKING_ROW (object);

  switch (prop_id)
    {
    case PROP_BOOKING:
      pc_booking_row_set_booking (self, g_value_get_object (value));
      break;
    case PROP_SELECTION_MODE:
      pc_booking_row_set_selection_mode (self, g_value_get_boolean (value));
      break;
    case PROP_SELECTED:
      pc_booking_row_set_selected (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pc_booking_row_class_init (PcBookingRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pc_booking_row_dispose;
  object_class->get_property = pc_booking_row_get_property;
  object_class->set_property = pc_booking_row_set_property;

  properties[PROP_BOOKING] =
    g_param_spec_object ("booking", NULL, NULL, PC_TYPE_BOOKING,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * PcBookingRow:selection-mode:
   *
   * Whether the row is in a list that selects several bookings: it shows a check button
   * and a click toggles its selection.
   */
  properties[PROP_SELECTION_MODE] =
    g_param_spec_boolean ("selection-mode", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * PcBookingRow:selected:
   *
   * Whether the list item is selected (bound from #GtkListItem:selected).
   */
  properties[PROP_SELECTED] =
    g_param_spec_boolean ("selected", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (PC_TYPE_BOOKING);
  g_type_ensure (PC_TYPE_CLIENT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/PhoneChat/pc-booking-row.ui");
  /* Reachable with gtk_widget_get_template_child(), for tests. */
  gtk_widget_class_bind_template_child (widget_class, PcBookingRow, nickname_label);
  gtk_widget_class_bind_template_child (widget_class, PcBookingRow, session_label);
  gtk_widget_class_bind_template_child (widget_class, PcBookingRow, amount_label);
  gtk_widget_class_bind_template_child (widget_class, PcBookingRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, PcBookingRow, reinvite_badge);
  gtk_widget_class_bind_template_child (widget_class, PcBookingRow, outcome_badge);
  gtk_widget_class_bind_template_child (widget_class, PcBookingRow, check_button);
  gtk_widget_class_bind_template_callback (widget_class, session_query_tooltip_cb);
}

static void
pc_booking_row_init (PcBookingRow *self)
{
  GtkGesture *click;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* The list item is the parent that gets the accessible name. */
  g_signal_connect (self, "notify::parent", G_CALLBACK (update_accessible_label), NULL);

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_CAPTURE);
  g_signal_connect_object (click, "pressed", G_CALLBACK (click_pressed_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
}

GtkWidget *
pc_booking_row_new (void)
{
  return g_object_new (PC_TYPE_BOOKING_ROW, NULL);
}

/**
 * pc_booking_row_get_booking:
 *
 * Returns: (transfer none) (nullable): the booking shown
 */
PcBooking *
pc_booking_row_get_booking (PcBookingRow *self)
{
  g_return_val_if_fail (PC_IS_BOOKING_ROW (self), NULL);

  return self->booking;
}

void
pc_booking_row_set_booking (PcBookingRow *self,
                            PcBooking    *booking)
{
  g_return_if_fail (PC_IS_BOOKING_ROW (self));
  g_return_if_fail (booking == NULL || PC_IS_BOOKING (booking));

  if (self->booking == booking)
    return;

  unwatch_booking (self);
  if (booking != NULL)
    {
      self->booking = g_object_ref (booking);
      /* The client is merged in place, never replaced: watched once. */
      self->client = g_object_ref (pc_booking_get_client (booking));
      self->booking_notify_id = g_signal_connect_object (booking, "notify",
                                                         G_CALLBACK (booking_notify_cb), self,
                                                         G_CONNECT_SWAPPED);
      self->client_notify_id = g_signal_connect_object (self->client, "notify::nickname",
                                                        G_CALLBACK (client_nickname_cb), self,
                                                        G_CONNECT_SWAPPED);
      update_nickname (self);
      update_session (self);
      update_amount (self);
      update_status (self);
      update_badges (self);
    }

  update_accessible_label (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BOOKING]);
}

gboolean
pc_booking_row_get_selection_mode (PcBookingRow *self)
{
  g_return_val_if_fail (PC_IS_BOOKING_ROW (self), FALSE);

  return self->selection_mode;
}

void
pc_booking_row_set_selection_mode (PcBookingRow *self,
                                   gboolean      selection_mode)
{
  g_return_if_fail (PC_IS_BOOKING_ROW (self));

  selection_mode = !!selection_mode;
  if (self->selection_mode == selection_mode)
    return;

  self->selection_mode = selection_mode;
  gtk_widget_set_visible (self->check_button, selection_mode);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTION_MODE]);
}

gboolean
pc_booking_row_get_selected (PcBookingRow *self)
{
  g_return_val_if_fail (PC_IS_BOOKING_ROW (self), FALSE);

  return self->selected;
}

void
pc_booking_row_set_selected (PcBookingRow *self,
                             gboolean      selected)
{
  g_return_if_fail (PC_IS_BOOKING_ROW (self));

  selected = !!selected;
  if (self->selected == selected)
    return;

  self->selected = selected;
  gtk_check_button_set_active (GTK_CHECK_BUTTON (self->check_button), selected);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
}
