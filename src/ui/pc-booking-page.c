/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pc-booking-page"

#include "config.h"

#include <glib/gi18n.h>

#include "pc-booking.h"
#include "pc-booking-page.h"
#include "pc-client.h"
#include "pc-clock.h"
#include "pc-describe.h"
#include "pc-format.h"
#include "pc-utils.h"

/**
 * PcBookingPage:
 *
 * Every member of one booking in human form, grouped (session, contact, deadlines,
 * history, comments, client), with the Re-invite… button (bound to `win.reinvite`) and
 * the reason why re-inviting is not possible when it is not, and the buttons of what the
 * booking's status offers (Accept… and Reject… while pending, Cancel Booking… once
 * accepted, Delete… once finished; `win.accept`, `win.reject`, `win.cancel-booking`,
 * `win.delete`) with the reason when it cannot be done now.
 *
 * Values are expressions on #PcBookingPage:booking in the template, so in-place updates
 * of the booking refresh the page by notify. Relative times and countdowns also depend on
 * #PcBookingPage:now, which ticks every second while the page is mapped.
 */
struct _PcBookingPage
{
  AdwBin        parent_instance;

  PcBooking    *booking;
  PcClock      *clock;
  GDateTime    *now;
  GSignalGroup *booking_signals;
  GSignalGroup *clock_signals;
  guint         tick_id;

  GtkStack     *stack;
  AdwPreferencesPage *preferences_page;
  GtkWidget    *session_date_row;
  GtkWidget    *accept_by_row;
  GtkWidget    *reinvite_at_row;
  GtkWidget    *created_row;
  GtkWidget    *accepted_row;
  GtkWidget    *confirmed_row;
  GtkWidget    *cancelled_row;
  GtkWidget    *last_updated_row;
};

G_DEFINE_FINAL_TYPE (PcBookingPage, pc_booking_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_BOOKING,
  PROP_CLOCK,
  PROP_NOW,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Template closures. The first argument is the page ("this"). */

static gboolean
has_value_cb (PcBookingPage *self,
              gconstpointer  value)
{
  return value != NULL;
}

static gboolean
has_text_cb (PcBookingPage *self,
             const char    *text)
{
  return text != NULL && text[0] != '\0';
}

/* The server's next step for a booking, unless a re-invite of it may still be carried
 * out: its advice (often “you can re-invite”) predates that re-invite. */
static gboolean
next_step_visible_cb (PcBookingPage *self,
                      const char    *action_candidate,
                      gboolean       outcome_unknown)
{
  return has_text_cb (self, action_candidate) && !outcome_unknown;
}

static gboolean
has_other_text_cb (PcBookingPage *self,
                   const char    *text,
                   const char    *other)
{
  return text != NULL && text[0] != '\0' && g_strcmp0 (text, other) != 0;
}

static gboolean
not_cb (PcBookingPage *self,
        gboolean       value)
{
  return !value;
}

static gboolean
is_pending_cb (PcBookingPage   *self,
               PcBookingStatus  status)
{
  return status == PC_BOOKING_STATUS_PENDING;
}

static gboolean
is_accepted_cb (PcBookingPage   *self,
                PcBookingStatus  status)
{
  return status == PC_BOOKING_STATUS_ACCEPTED;
}

static gboolean
is_finished_cb (PcBookingPage   *self,
                PcBookingStatus  status)
{
  return pc_booking_status_is_finished (status);
}

static char *
format_next_step_cb (PcBookingPage *self,
                     const char    *action_candidate)
{
  return pc_format_next_step (action_candidate);
}

/* Why the action the booking's status offers cannot be done now, if it cannot: the
 * accept-by time of a pending booking has passed, the session of an accepted one, or an
 * earlier request's outcome is unknown. */
static char *
format_actions_hint_cb (PcBookingPage   *self,
                        PcBookingStatus  status,
                        const char      *accept_blocker,
                        const char      *cancel_blocker,
                        const char      *delete_blocker)
{
  if (status == PC_BOOKING_STATUS_PENDING)
    return g_strdup (accept_blocker);
  if (status == PC_BOOKING_STATUS_ACCEPTED)
    return g_strdup (cancel_blocker);
  if (pc_booking_status_is_finished (status))
    return g_strdup (delete_blocker);
  return NULL;
}

static gboolean
has_actions_hint_cb (PcBookingPage   *self,
                     PcBookingStatus  status,
                     const char      *accept_blocker,
                     const char      *cancel_blocker,
                     const char      *delete_blocker)
{
  g_autofree char *hint = format_actions_hint_cb (self, status, accept_blocker,
                                                  cancel_blocker, delete_blocker);

  return hint != NULL && hint[0] != '\0';
}

static char *
format_int_cb (PcBookingPage *self,
               int            value)
{
  return g_strdup_printf ("%d", value);
}

static char *
format_int64_cb (PcBookingPage *self,
                 gint64         value)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, value);
}

static char *
format_booking_number_cb (PcBookingPage *self,
                          gint64         booking_id)
{
  g_autofree char *number = pc_booking_id_to_string (booking_id);

  /* Translators: %s is the booking's number */
  return g_strdup_printf (_("Booking %s"), number);
}

static char *
format_client_cb (PcBookingPage *self,
                  const char    *nickname,
                  gint64         booking_id)
{
  return pc_describe_client_name (nickname, booking_id);
}

static char *
format_date_cb (PcBookingPage *self,
                GDateTime     *date_time,
                GDateTime     *now)
{
  g_autofree char *date = NULL;
  g_autofree char *relative = NULL;

  if (date_time == NULL)
    return NULL;

  date = pc_format_date_time (date_time);
  relative = pc_format_relative (date_time, now);
  if (relative == NULL)
    return g_steal_pointer (&date);

  /* Translators: a date and how far it is from now, e.g. "Sat 14 Jun 2025, 21:30 · in 3 hours" */
  return g_strdup_printf (_("%s · %s"), date, relative);
}

static char *
format_countdown_cb (PcBookingPage *self,
                     GDateTime     *deadline,
                     GDateTime     *now)
{
  g_autofree char *countdown = NULL;
  GTimeSpan left;

  if (deadline == NULL || now == NULL)
    return NULL;

  left = g_date_time_difference (deadline, now);
  if (left <= 0)
    return g_strdup (C_("deadline", "Passed"));

  countdown = pc_format_countdown (left);
  /* Translators: %s is a countdown such as "1 h 23 min 05 s" */
  return g_strdup_printf (_("%s left"), countdown);
}

static char **
countdown_css_classes_cb (PcBookingPage *self,
                          GDateTime     *deadline,
                          GDateTime     *now)
{
  gboolean passed = deadline == NULL || now == NULL || g_date_time_compare (deadline, now) <= 0;
  char **classes = g_new0 (char *, 3);

  classes[0] = g_strdup ("countdown");
  classes[1] = g_strdup (passed ? "dim-label" : "accent");
  return classes;
}

static char *
format_duration_cb (PcBookingPage *self,
                    int            minutes)
{
  return pc_format_duration (minutes);
}

static char *
format_credits_cb (PcBookingPage *self,
                   gint64         credits)
{
  return pc_format_credits (credits);
}

static char *
format_status_cb (PcBookingPage   *self,
                  PcBookingStatus  status)
{
  return g_strdup (pc_booking_status_get_label (status));
}

static char **
status_css_classes_cb (PcBookingPage   *self,
                       PcBookingStatus  status)
{
  return pc_status_css_classes (status);
}

static char *
format_method_cb (PcBookingPage *self,
                  PcCallMethod   method)
{
  return g_strdup (pc_call_method_get_label (method));
}

static char *
format_summary_cb (PcBookingPage *self,
                   gint64         booking_id,
                   GDateTime     *session_date)
{
  g_autofree char *number = pc_booking_id_to_string (booking_id);
  g_autofree char *date = pc_format_date_time (session_date);

  /* Translators: the booking's number and session date, e.g.
   * "Booking 4817263 · Sat 14 Jun 2025, 21:30" */
  return g_strdup_printf (_("Booking %s · %s"), number, date ? date : "");
}

/* Any request about the booking (a re-invite, an accept, …) whose answer was lost. */
static gboolean
is_outcome_unknown_cb (PcBookingPage *self,
                       gboolean        outcome_unknown)
{
  return outcome_unknown;
}

static char *
format_reinvite_hint_cb (PcBookingPage *self,
                         gboolean       can_reinvite,
                         const char    *blocker_text)
{
  if (can_reinvite)
    return g_strdup (_("The session time has passed and the booking is still pending. "
                       "Re-inviting rejects this booking and sends the client a new invitation."));

  return g_strdup (blocker_text);
}

static char *
format_available_cb (PcBookingPage *self,
                     GDateTime     *available_at,
                     GDateTime     *now)
{
  g_autofree char *date = NULL;
  g_autofree char *relative = NULL;

  if (available_at == NULL)
    return NULL;

  date = pc_format_date_time (available_at);
  relative = pc_format_relative (available_at, now);
  /* Translators: the first %s is a date, the second how far it is, e.g. "in 3 hours" */
  return g_strdup_printf (_("Re-inviting becomes possible on %s (%s)."), date, relative);
}

static char *
format_feedback_cb (PcBookingPage *self,
                    int            positive,
                    int            neutral,
                    int            negative)
{
  /* Translators: the client's ratings by kind */
  return g_strdup_printf (_("%d positive · %d neutral · %d negative"), positive, neutral, negative);
}

static void
update_date_descriptions (PcBookingPage *self)
{
  static const struct {
    const char *property;
    gsize       offset;
  } rows[] = {
    { "session-date", G_STRUCT_OFFSET (PcBookingPage, session_date_row) },
    { "accept-by", G_STRUCT_OFFSET (PcBookingPage, accept_by_row) },
    { "reinvite-available-at", G_STRUCT_OFFSET (PcBookingPage, reinvite_at_row) },
    { "create-date", G_STRUCT_OFFSET (PcBookingPage, created_row) },
    { "accepted-date", G_STRUCT_OFFSET (PcBookingPage, accepted_row) },
    { "confirmed-date", G_STRUCT_OFFSET (PcBookingPage, confirmed_row) },
    { "cancelled-date", G_STRUCT_OFFSET (PcBookingPage, cancelled_row) },
    { "last-updated", G_STRUCT_OFFSET (PcBookingPage, last_updated_row) },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      GtkWidget *row = G_STRUCT_MEMBER (GtkWidget *, self, rows[i].offset);
      g_autoptr(GDateTime) date_time = NULL;
      g_autofree char *full = NULL;

      if (self->booking != NULL)
        g_object_get (self->booking, rows[i].property, &date_time, NULL);
      full = pc_format_date_time_full (date_time);

      /* The subtitle is short and relative; the accessible description carries the full
       * date with its zone, and so does the tooltip. */
      gtk_accessible_reset_relation (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_RELATION_DESCRIBED_BY);
      if (full != NULL)
        gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                        GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, full,
                                        -1);
      else
        gtk_accessible_reset_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
      gtk_widget_set_tooltip_text (row, full);
    }
}

static void
update_now (PcBookingPage *self)
{
  g_autoptr(GDateTime) now = NULL;

  if (self->clock != NULL)
    now = pc_clock_get_now (self->clock);
  else if (self->booking != NULL && pc_booking_get_clock (self->booking) != NULL)
    now = pc_clock_get_now (pc_booking_get_clock (self->booking));
  else
    now = g_date_time_new_now_utc ();

  if (self->now != NULL && g_date_time_equal (self->now, now))
    return;

  g_clear_pointer (&self->now, g_date_time_unref);
  self->now = g_steal_pointer (&now);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NOW]);
}

static gboolean
tick_cb (gpointer user_data)
{
  update_now (PC_BOOKING_PAGE (user_data));

  return G_SOURCE_CONTINUE;
}

/* Countdowns tick only while someone can see them. */
static void
update_tick (PcBookingPage *self)
{
  gboolean want = self->booking != NULL && gtk_widget_get_mapped (GTK_WIDGET (self));

  if (want && self->tick_id == 0)
    self->tick_id = g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, 1, tick_cb, self, NULL);
  else if (!want)
    g_clear_handle_id (&self->tick_id, g_source_remove);
}

static void
booking_notify_cb (PcBookingPage *self,
                   GParamSpec    *pspec,
                   PcBooking     *booking)
{
  if (G_PARAM_SPEC_VALUE_TYPE (pspec) == G_TYPE_DATE_TIME)
    update_date_descriptions (self);
}

static void
copy_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PcBookingPage *self = PC_BOOKING_PAGE (widget);
  const char *what = g_variant_get_string (parameter, NULL);
  const char *text = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *title = NULL;
  GtkWidget *overlay;

  if (self->booking == NULL)
    return;

  if (g_str_equal (what, "phone"))
    text = pc_booking_get_phone_number (self->booking);
  else if (g_str_equal (what, "skype"))
    text = pc_booking_get_skype_name (self->booking);
  else if (g_str_equal (what, "client-phone"))
    text = pc_client_get_phone_number (pc_booking_get_client (self->booking));
  else if (g_str_equal (what, "client-skype"))
    text = pc_client_get_skype_name (pc_booking_get_client (self->booking));

  if (text == NULL || text[0] == '\0')
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);

  overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);
  if (overlay == NULL)
    return;

  /* Toast titles are Pango markup in libadwaita 1.2. */
  escaped = g_markup_escape_text (text, -1);
  /* Translators: %s is a phone number or a Skype name */
  title = g_strdup_printf (_("Copied “%s”"), escaped);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (title));
}

static void
clock_changed_cb (PcBookingPage *self,
                  PcClock       *clock)
{
  update_now (self);
}

static void
pc_booking_page_map (GtkWidget *widget)
{
  PcBookingPage *self = PC_BOOKING_PAGE (widget);

  GTK_WIDGET_CLASS (pc_booking_page_parent_class)->map (widget);

  update_now (self);
  update_tick (self);
}

static void
pc_booking_page_unmap (GtkWidget *widget)
{
  PcBookingPage *self = PC_BOOKING_PAGE (widget);

  GTK_WIDGET_CLASS (pc_booking_page_parent_class)->unmap (widget);

  update_tick (self);
}

static void
pc_booking_page_dispose (GObject *object)
{
  PcBookingPage *self = (PcBookingPage *) object;

  g_clear_handle_id (&self->tick_id, g_source_remove);
  if (self->booking_signals != NULL)
    g_signal_group_set_target (self->booking_signals, NULL);
  if (self->clock_signals != NULL)
    g_signal_group_set_target (self->clock_signals, NULL);

  /* The stack is both AdwBin's child and a template child: drop it as the former first,
   * so that it is unparented only once. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), PC_TYPE_BOOKING_PAGE);

  g_clear_object (&self->booking_signals);
  g_clear_object (&self->clock_signals);
  g_clear_object (&self->booking);
  g_clear_object (&self->clock);

  G_OBJECT_CLASS (pc_booking_page_parent_class)->dispose (object);
}

static void
pc_booking_page_finalize (GObject *object)
{
  PcBookingPage *self = (PcBookingPage *) object;

  g_clear_pointer (&self->now, g_date_time_unref);

  G_OBJECT_CLASS (pc_booking_page_parent_class)->finalize (object);
}

static void
pc_booking_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  PcBookingPage *self = PC_BOOKING_PAGE (object);

  switch (prop_id)
    {
    case PROP_BOOKING:
      g_value_set_object (value, self->booking);
      break;
    case PROP_CLOCK:
      g_value_set_object (value, self->clock);
      break;
    case PROP_NOW:
      g_value_set_boxed (value, self->now);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pc_booking_page_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  PcBookingPage *self = PC_BOOKING_PAGE (object);

  switch (prop_id)
    {
    case PROP_BOOKING:
      pc_booking_page_set_booking (self, g_value_get_object (value));
      break;
    case PROP_CLOCK:
      pc_booking_page_set_clock (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pc_booking_page_class_init (PcBookingPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pc_booking_page_dispose;
  object_class->finalize = pc_booking_page_finalize;
  object_class->get_property = pc_booking_page_get_property;
  object_class->set_property = pc_booking_page_set_property;

  widget_class->map = pc_booking_page_map;
  widget_class->unmap = pc_booking_page_unmap;

  properties[PROP_BOOKING] =
    g_param_spec_object ("booking", NULL, NULL, PC_TYPE_BOOKING,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLOCK] =
    g_param_spec_object ("clock", NULL, NULL, PC_TYPE_CLOCK,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NOW] =
    g_param_spec_boxed ("now", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (PC_TYPE_BOOKING);
  g_type_ensure (PC_TYPE_CLIENT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/PhoneChat/pc-booking-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PcBookingPage, stack);
  gtk_widget_class_bind_template_child (widget_class, PcBookingPage, preferences_page);
  gtk_widget_class_bind_template_child (widget_class, PcBookingPage, session_date_row);
  gtk_widget_class_bind_template_child (widget_class, PcBookingPage, accept_by_row);
  gtk_widget_class_bind_template_child (widget_class, PcBookingPage, reinvite_at_row);
  gtk_widget_class_bind_template_child (widget_class, PcBookingPage, created_row);
  gtk_widget_class_bind_template_child (widget_class, PcBookingPage, accepted_row);
  gtk_widget_class_bind_template_child (widget_class, PcBookingPage, confirmed_row);
  gtk_widget_class_bind_template_child (widget_class, PcBookingPage, cancelled_row);
  gtk_widget_class_bind_template_child (widget_class, PcBookingPage, last_updated_row);

  gtk_widget_class_bind_template_callback (widget_class, has_value_cb);
  gtk_widget_class_bind_template_callback (widget_class, has_text_cb);
  gtk_widget_class_bind_template_callback (widget_class, format_next_step_cb);
  gtk_widget_class_bind_template_callback (widget_class, next_step_visible_cb);
  gtk_widget_class_bind_template_callback (widget_class, has_other_text_cb);
  gtk_widget_class_bind_template_callback (widget_class, not_cb);
  gtk_widget_class_bind_template_callback (widget_class, is_pending_cb);
  gtk_widget_class_bind_template_callback (widget_class, is_accepted_cb);
  gtk_widget_class_bind_template_callback (widget_class, is_finished_cb);
  gtk_widget_class_bind_template_callback (widget_class, format_actions_hint_cb);
  gtk_widget_class_bind_template_callback (widget_class, has_actions_hint_cb);
  gtk_widget_class_bind_template_callback (widget_class, is_outcome_unknown_cb);
  gtk_widget_class_bind_template_callback (widget_class, format_int_cb);
  gtk_widget_class_bind_template_callback (widget_class, format_int64_cb);
  gtk_widget_class_bind_template_callback (widget_class, format_booking_number_cb);
  gtk_widget_class_bind_template_callback (widget_class, format_client_cb);
  gtk_widget_class_bind_template_callback (widget_class, format_date_cb);
  gtk_widget_class_bind_template_callback (widget_class, format_countdown_cb);
  gtk_widget_class_bind_template_callback (widget_class, countdown_css_classes_cb);
  gtk_widget_class_bind_template_callback (widget_class, format_duration_cb);
  gtk_widget_class_bind_template_callback (widget_class, format_credits_cb);
  gtk_widget_class_bind_template_callback (widget_class, format_status_cb);
  gtk_widget_class_bind_template_callback (widget_class, status_css_classes_cb);
  gtk_widget_class_bind_template_callback (widget_class, format_method_cb);
  gtk_widget_class_bind_template_callback (widget_class, format_summary_cb);
  gtk_widget_class_bind_template_callback (widget_class, format_reinvite_hint_cb);
  gtk_widget_class_bind_template_callback (widget_class, format_available_cb);
  gtk_widget_class_bind_template_callback (widget_class, format_feedback_cb);

  gtk_widget_class_install_action (widget_class, "booking-page.copy", "s", copy_action_cb);
}

static void
pc_booking_page_init (PcBookingPage *self)
{
  self->booking_signals = g_signal_group_new (PC_TYPE_BOOKING);
  g_signal_group_connect_swapped (self->booking_signals, "notify",
                                  G_CALLBACK (booking_notify_cb), self);

  self->clock_signals = g_signal_group_new (PC_TYPE_CLOCK);
  g_signal_group_connect_swapped (self->clock_signals, "changed",
                                  G_CALLBACK (clock_changed_cb), self);

  update_now (self);

  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
pc_booking_page_new (void)
{
  return g_object_new (PC_TYPE_BOOKING_PAGE, NULL);
}

/**
 * pc_booking_page_get_booking:
 *
 * Returns: (transfer none) (nullable): the booking shown
 */
PcBooking *
pc_booking_page_get_booking (PcBookingPage *self)
{
  g_return_val_if_fail (PC_IS_BOOKING_PAGE (self), NULL);

  return self->booking;
}

static void
scroll_to_top (PcBookingPage *self)
{
  adw_preferences_page_scroll_to_top (self->preferences_page);
}

void
pc_booking_page_set_booking (PcBookingPage *self,
                             PcBooking     *booking)
{
  g_return_if_fail (PC_IS_BOOKING_PAGE (self));
  g_return_if_fail (booking == NULL || PC_IS_BOOKING (booking));

  if (!g_set_object (&self->booking, booking))
    return;

  g_signal_group_set_target (self->booking_signals, booking);
  update_now (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BOOKING]);

  update_date_descriptions (self);
  gtk_stack_set_visible_child_name (self->stack, booking != NULL ? "details" : "empty");
  update_tick (self);

  /* Another booking starts at its name and Re-invite… button, not wherever the
   * previous one was scrolled to. */
  if (booking != NULL)
    scroll_to_top (self);
}

/**
 * pc_booking_page_get_clock:
 *
 * Returns: (transfer none) (nullable): where "now" comes from
 */
PcClock *
pc_booking_page_get_clock (PcBookingPage *self)
{
  g_return_val_if_fail (PC_IS_BOOKING_PAGE (self), NULL);

  return self->clock;
}

/**
 * pc_booking_page_set_clock:
 * @clock: (nullable): where "now" comes from; %NULL for the booking's own clock
 */
void
pc_booking_page_set_clock (PcBookingPage *self,
                           PcClock       *clock)
{
  g_return_if_fail (PC_IS_BOOKING_PAGE (self));
  g_return_if_fail (clock == NULL || PC_IS_CLOCK (clock));

  if (!g_set_object (&self->clock, clock))
    return;

  g_signal_group_set_target (self->clock_signals, clock);
  update_now (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLOCK]);
}

/**
 * pc_booking_page_get_now:
 *
 * Returns: (transfer none): the time relative dates and countdowns are shown against
 */
GDateTime *
pc_booking_page_get_now (PcBookingPage *self)
{
  g_return_val_if_fail (PC_IS_BOOKING_PAGE (self), NULL);

  return self->now;
}
