/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pc-application"

#include "config.h"

#if HAVE_MALLOC_TRIM
#include <malloc.h>
#endif

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "pc-api.h"
#include "pc-application.h"
#include "pc-booking.h"
#include "pc-booking-loader.h"
#include "pc-booking-store.h"
#include "pc-describe.h"
#include "pc-clock.h"
#include "pc-debug.h"
#include "pc-json.h"
#include "pc-clock-format-monitor.h"
#include "pc-config.h"
#include "pc-error.h"
#include "pc-preferences-dialog.h"
#include "pc-reason-drafts.h"
#include "pc-session.h"
#include "pc-sign-in-dialog.h"
#include "pc-notifier.h"
#include "pc-reinvite-dialog.h"
#include "pc-reinviter.h"
#include "pc-sandbox.h"
#include "pc-utils.h"
#include "pc-watcher.h"
#include "pc-window.h"

#define SCHEMA_ID "com.example.PhoneChat"
/* The accept-by reminder's lead time without the settings schema, in minutes. */
#define DEFAULT_ACCEPT_BY_LEAD 30

/**
 * PcApplication:
 *
 * Owns the services — the SoupSession, the #PcApi, the #PcBookingStore, the #PcClock,
 * the #PcBookingLoader, the #PcReinviter, the #PcNotifier and, for `--demo`, an
 * in-process #PcSandbox — and hands them to its windows. There are no file-level
 * singletons: tests build their own services, and may hand the application a fixed
 * #PcApplication:clock and a #PcApplication:sandbox to talk to.
 *
 * The result of every single re-invite and of every batch is told once: as a toast in
 * the main window when that window is active (the user is looking at it), else as a
 * desktop notification (`reinvite-<BookingID>`, whose default action is
 * `app.show-booking`; a batch sends one summary). A dialog that shows the outcome itself
 * (a failure in the re-invite dialog, a batch's summary in the batch dialog) needs no
 * toast. A success withdraws the booking's earlier notifications, also when it is shown
 * as a toast.
 *
 * A booking whose session passes while it is pending says "can be re-invited", with a
 * Re-invite… button (`app.reinvite-booking`), the same way (a toast or a notification),
 * unless the `notify-reinvitable` setting is off. Viewing a booking withdraws its
 * notifications. The reinviter holds the application while a
 * request is in flight, so that its result arrives even after the last window closed.
 *
 * Live updates: a #PcWatcher re-reads the bookings of the account (or the demo) while
 * the application runs, merging them into the store in place (the list keeps its
 * selection and scroll position). It pauses while the network is down and while the
 * session is idle (#GtkApplication:screensaver-active), and resumes after. What it sees
 * is told the same way as re-invite results (a toast while the window is active, else a
 * desktop notification), each kind unless its setting is off: a new booking, with
 * *Accept* (`app.accept-booking`, sent once with the booking's own credits) and *Open*;
 * a pending booking whose accept-by time is less than the lead time away (once per
 * booking); a booking the client cancelled or confirmed. Changes that this program's own
 * actions made are not told: #PcApi::action-started says which bookings they were
 * about, and what status they lead to.
 *
 * With the `run-in-background` setting on, the application holds itself
 * (g_application_hold()), so that closing the window leaves it running, registered on
 * the session bus under its id (activatable, with its actions), reading and notifying.
 * It asks no portal for background permission: GLib 2.84 and GTK 4.18 offer no call for
 * it, and outside a Flatpak there is nothing to ask. In a Flatpak the desktop may list
 * it as running in the background without it having asked.
 */
struct _PcApplication
{
  AdwApplication   parent_instance;

  SoupSession     *session;
  PcClock         *clock;
  PcBookingStore  *store;
  PcApi           *api;
  PcSandbox       *sandbox;
  PcBookingLoader *loader;
  PcReinviter     *reinviter;
  PcNotifier      *notifier;
  GSettings       *settings;
  PcConfig        *config;
  PcSession       *account;   /* the signed-in account, when neither the demo nor
                                 * PHONECHAT_TOKEN is used */
  PcReasonDrafts  *drafts;
  gboolean         holding;   /* g_application_hold() while a re-invite is in flight */
  PcOutcomeLog    *outcome_log;
  gboolean         log_held;  /* g_application_hold() while the outcome log is written */
  PcClockFormatMonitor *clock_format;

  char            *api_url;   /* the server configured, for the debug info */

  PcWatcher       *watcher;
  /* gint64 BookingID → PcBookingStatus: what an action of ours on the booking leads to,
   * until the watcher has seen it (or another change). */
  GHashTable      *own_actions;
  GHashTable      *accepting;       /* gint64 BookingIDs: accepts from notifications in flight */
  GHashTable      *reminded;        /* gint64 BookingIDs told that accept-by is close */
  guint            reminder_id;     /* the next accept-by check */
  guint            trim_id;         /* returning the heap a load freed */
  gboolean         background_held; /* g_application_hold() for run-in-background */
  guint            demo_interval;   /* --demo-new-booking-every, in seconds */

  gboolean         demo;
  gboolean         demo_empty;
  gboolean         restore_pending; /* the keyring is read after the first frame */
  gboolean         started;         /* finish_startup() has run */
};

G_DEFINE_FINAL_TYPE (PcApplication, pc_application, ADW_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_CLOCK,
  PROP_SANDBOX,
  PROP_REINVITER,
  PROP_HOLDING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];


static const GOptionEntry option_entries[] = {
  { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Show demo bookings from a built-in sandbox server"), NULL },
  { "demo-empty", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, NULL,
    N_("Use a built-in sandbox server without bookings"), NULL },
  { "demo-new-booking-every", 0, 0, G_OPTION_ARG_INT, NULL,
    N_("With --demo: a client makes a new booking every SECONDS, and the list is read that often"),
    N_("SECONDS") },
  { "show-booking", 0, 0, G_OPTION_ARG_INT64, NULL,
    N_("Show the booking with this number"), N_("NUMBER") },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Show the version and exit"), NULL },
  G_OPTION_ENTRY_NULL
};

/* Made after the first frame (finish_startup()), or when needed before. */
static PcNotifier *
ensure_notifier (PcApplication *self)
{
  if (self->notifier == NULL)
    self->notifier = pc_notifier_new (G_APPLICATION (self));

  return self->notifier;
}

static void
window_selected_booking_cb (PcApplication *self,
                            GParamSpec    *pspec,
                            PcWindow      *window)
{
  PcBooking *booking = pc_window_get_selected_booking (window);

  /* Looking at the booking is what its notifications asked for. */
  if (booking != NULL)
    pc_notifier_withdraw_booking (ensure_notifier (self), pc_booking_get_booking_id (booking));
}

/* The most recently focused main window, if there is one. */
static PcWindow *
find_window (PcApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (PC_IS_WINDOW (l->data))
      return PC_WINDOW (l->data);

  return NULL;
}

static void restored_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data);
static void clock_format_changed_cb (PcApplication        *self,
                                     GParamSpec           *pspec,
                                     PcClockFormatMonitor *monitor);

/* Nothing but building the window comes before its first frame. What the first frame
 * does not need starts here, once: the keyring, the desktop's clock format (no time is
 * shown before bookings load, which also waits for the first frame) and the
 * notification server, all of them on D-Bus. */
static void
finish_startup (PcApplication *self)
{
  if (self->started)
    return;
  self->started = TRUE;

  self->clock_format = pc_clock_format_monitor_new (NULL);
  g_signal_connect_object (self->clock_format, "notify::format",
                           G_CALLBACK (clock_format_changed_cb), self, G_CONNECT_SWAPPED);
  ensure_notifier (self);

  if (self->restore_pending)
    {
      self->restore_pending = FALSE;
      pc_session_restore_async (self->account, NULL, restored_cb, g_object_ref (self));
    }
}

static PcWindow *
get_window (PcApplication *self)
{
  PcWindow *window = find_window (self);

  if (window != NULL)
    return window;

  window = pc_window_new (GTK_APPLICATION (self), self->loader, self->settings);
  pc_window_set_reinviter (window, self->reinviter);
  pc_window_set_drafts (window, self->drafts);
  pc_window_set_session (window, self->account);
  g_signal_connect_object (window, "notify::selected-booking",
                           G_CALLBACK (window_selected_booking_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (window, "first-frame",
                           G_CALLBACK (finish_startup), self, G_CONNECT_SWAPPED);
  return window;
}

/* The main window if the user is looking at it: results then go there as toasts rather
 * than as desktop notifications. The one place that decides. */
static PcWindow *
get_active_window (PcApplication *self)
{
  PcWindow *window = find_window (self);

  if (window != NULL && gtk_window_is_active (GTK_WINDOW (window)))
    return window;

  return NULL;
}

/* @title is plain text: nicknames and server text are data, never markup. */
static void
add_toast (PcWindow   *window,
           const char *title)
{
  AdwToast *toast = adw_toast_new (title);

  adw_toast_set_use_markup (toast, FALSE);
  pc_window_add_toast (window, toast);
}

/* Whether @window shows the re-invite dialog of @booking, which then says itself what
 * went wrong. */
static gboolean
shows_reinvite_dialog (PcWindow  *window,
                       PcBooking *booking)
{
  PcReinviteDialog *dialog = pc_window_get_reinvite_dialog (window);

  return dialog != NULL &&
         pc_booking_get_booking_id (pc_reinvite_dialog_get_booking (dialog)) ==
         pc_booking_get_booking_id (booking);
}

static void check_unauthorized (PcApplication *self,
                                PcApi         *api,
                                const GError  *error);

static void
reinviter_finished_single_cb (PcApplication *self,
                              PcBooking     *booking,
                              const GError  *error,
                              PcReinviter   *reinviter)
{
  PcWindow *window = get_active_window (self);
  g_autofree char *who = NULL;
  g_autofree char *title = NULL;

  check_unauthorized (self, pc_reinviter_get_api (reinviter), error);

  if (window == NULL)
    {
      /* A cancelled re-invite sends nothing. */
      pc_notifier_reinvite_finished (ensure_notifier (self), booking, error);
      return;
    }

  who = pc_describe_client (booking);
  if (error == NULL)
    {
      /* An earlier failure is out of date. */
      pc_notifier_withdraw_booking (ensure_notifier (self), pc_booking_get_booking_id (booking));
      /* Translators: a toast; %s is the client's nickname */
      title = g_strdup_printf (_("%s was re-invited"), who);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    /* The booking was read again after the cancel and still shows as pending.
     * Translators: a toast; %s is the client's nickname */
    title = g_strdup_printf (_("Re-invite cancelled: %s’s booking is still pending"), who);
  else if (!shows_reinvite_dialog (window, booking))
    /* Translators: a toast; %s is the client's nickname */
    title = g_strdup_printf (_("Could not re-invite %s"), who);

  if (title != NULL)
    add_toast (window, title);
}

static void
reinviter_batch_finished_cb (PcApplication   *self,
                             PcReinviteBatch *result,
                             PcReinviter     *reinviter)
{
  PcWindow *window = get_active_window (self);
  guint n;

  if (window == NULL)
    {
      pc_notifier_batch_finished (ensure_notifier (self), result);
      return;
    }

  /* Earlier results are out of date: an older batch's summary, the failures and the
   * "can be re-invited" notifications of the bookings re-invited now. */
  pc_notifier_withdraw_batch (ensure_notifier (self));
  n = pc_reinvite_batch_get_n_items (result);
  for (guint i = 0; i < n; i++)
    if (pc_reinvite_batch_get_outcome (result, i) == PC_REINVITE_OUTCOME_SUCCEEDED)
      pc_notifier_withdraw_booking (ensure_notifier (self), pc_reinvite_batch_get_booking_id (result, i));

  /* The batch dialog shows the summary itself. */
  if (pc_window_get_batch_dialog (window) == NULL)
    {
      g_autofree char *summary = pc_reinvite_batch_dup_summary (result);

      add_toast (window, summary);
    }
}

/* A toast about a booking with a button that activates @action_name (an app action
 * taking the BookingID); @title is plain text. */
static void
add_booking_toast (PcWindow   *window,
                   const char *title,
                   const char *button,
                   const char *action_name,
                   gint64      booking_id)
{
  AdwToast *toast = adw_toast_new (title);

  adw_toast_set_use_markup (toast, FALSE);
  adw_toast_set_button_label (toast, button);
  adw_toast_set_action_name (toast, action_name);
  adw_toast_set_action_target_value (toast, g_variant_new_int64 (booking_id));
  pc_window_add_toast (window, toast);
}

static void
booking_became_reinvitable_cb (PcApplication  *self,
                               PcBooking      *booking,
                               PcBookingStore *store)
{
  PcWindow *window;

  if (self->settings != NULL && !g_settings_get_boolean (self->settings, "notify-reinvitable"))
    {
      g_debug ("Booking %" G_GINT64_FORMAT " can be re-invited; not notifying (setting off)",
               pc_booking_get_booking_id (booking));
      return;
    }

  window = get_active_window (self);
  if (window != NULL)
    {
      g_autofree char *who = pc_describe_client (booking);
      g_autofree char *title = NULL;

      /* Translators: a toast; %s is the client's nickname */
      title = g_strdup_printf (_("%s can be re-invited"), who);
      /* Translators: a toast's button that opens the re-invite dialog */
      add_booking_toast (window, title, _("Re-invite…"), PC_NOTIFIER_ACTION_REINVITE_BOOKING,
                         pc_booking_get_booking_id (booking));
      return;
    }

  pc_notifier_became_reinvitable (ensure_notifier (self), booking);
}


/* Live updates */

/* Whether a kind of notification is on. Without the schema, every kind is. */
static gboolean
setting_enabled (PcApplication *self,
                 const char    *key)
{
  return self->settings == NULL || g_settings_get_boolean (self->settings, key);
}

static GHashTable *
id_set_new (void)
{
  return g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
}

static void
id_set_add (GHashTable *set,
            gint64      booking_id)
{
  g_hash_table_add (set, g_memdup2 (&booking_id, sizeof booking_id));
}

static void
watcher_booking_added_cb (PcApplication *self,
                          PcBooking     *booking,
                          PcWatcher     *watcher)
{
  gint64 booking_id = pc_booking_get_booking_id (booking);
  PcWindow *window;

  if (!setting_enabled (self, "notify-new-booking"))
    {
      g_debug ("New booking %" G_GINT64_FORMAT "; not notifying (setting off)", booking_id);
      return;
    }

  window = get_active_window (self);
  if (window != NULL)
    {
      g_autofree char *sentence = pc_notifier_describe_new_booking (booking);

      /* Translators: a toast's button that shows the booking */
      add_booking_toast (window, sentence, _("Open"), PC_NOTIFIER_ACTION_SHOW_BOOKING,
                         booking_id);
      return;
    }

  pc_notifier_new_booking (ensure_notifier (self), booking);
}

/* An action of ours is about to change the booking: the watcher will see that change,
 * which is not the client's. */
static void
api_action_started_cb (PcApplication   *self,
                       gint64           booking_id,
                       PcBookingStatus  status,
                       PcApi           *api)
{
  g_hash_table_replace (self->own_actions, g_memdup2 (&booking_id, sizeof booking_id),
                        GINT_TO_POINTER (status));
}

/* Whether the booking's change to @status is what an action of ours led to. The action
 * is forgotten at the first change the watcher sees after it: a change to another status
 * is someone else's (an action that failed leads nowhere). */
static gboolean
is_own_change (PcApplication   *self,
               gint64           booking_id,
               PcBookingStatus  status)
{
  gpointer value;
  PcBookingStatus expected;

  if (!g_hash_table_lookup_extended (self->own_actions, &booking_id, NULL, &value))
    return FALSE;

  expected = GPOINTER_TO_INT (value);
  g_hash_table_remove (self->own_actions, &booking_id);

  return expected == PC_BOOKING_STATUS_UNKNOWN || expected == status;
}

static void
watcher_booking_changed_cb (PcApplication   *self,
                            PcBooking       *booking,
                            PcBookingStatus  old_status,
                            PcBookingStatus  new_status,
                            PcWatcher       *watcher)
{
  gint64 booking_id = pc_booking_get_booking_id (booking);
  PcWindow *window;

  if (is_own_change (self, booking_id, new_status))
    {
      g_debug ("Booking %" G_GINT64_FORMAT " changed by an action of ours", booking_id);
      return;
    }

  /* What a client does to a booking: cancel it, confirm it. */
  if (new_status != PC_BOOKING_STATUS_CANCELLED && new_status != PC_BOOKING_STATUS_CONFIRMED)
    return;

  /* Its Accept buttons and reminders are out of date. */
  pc_notifier_withdraw_booking (ensure_notifier (self), booking_id);

  if (!setting_enabled (self, "notify-client-changes"))
    {
      g_debug ("Booking %" G_GINT64_FORMAT " changed by the client; not notifying (setting off)",
               booking_id);
      return;
    }

  window = get_active_window (self);
  if (window != NULL)
    {
      g_autofree char *title = pc_notifier_describe_client_change (booking);

      /* Translators: a toast's button that shows the booking */
      add_booking_toast (window, title, _("Open"), PC_NOTIFIER_ACTION_SHOW_BOOKING, booking_id);
      return;
    }

  pc_notifier_changed_by_client (ensure_notifier (self), booking);
}

static void
watcher_booking_removed_cb (PcApplication *self,
                            gint64         booking_id,
                            PcWatcher     *watcher)
{
  g_hash_table_remove (self->reminded, &booking_id);
  g_hash_table_remove (self->own_actions, &booking_id);
}

/* How long before a booking's accept-by time its reminder goes. */
static GTimeSpan
reminder_lead (PcApplication *self)
{
  guint minutes = self->settings != NULL
                  ? g_settings_get_uint (self->settings, "accept-by-lead-minutes")
                  : DEFAULT_ACCEPT_BY_LEAD;

  return (GTimeSpan) minutes * G_TIME_SPAN_MINUTE;
}

static gboolean reminder_timeout_cb (gpointer user_data);

/* Reminds of each pending booking whose accept-by time is less than the lead time away,
 * once, while the window is not active (it shows the countdown itself), and looks
 * again when the next one comes within the lead time. */
static void
check_accept_by (PcApplication *self)
{
  g_autoptr(GDateTime) now = NULL;
  gint64 now_usec;
  GTimeSpan lead;
  GTimeSpan next = G_MAXINT64;
  guint n;

  g_clear_handle_id (&self->reminder_id, g_source_remove);
  if (!setting_enabled (self, "notify-accept-by"))
    return;

  now = pc_clock_get_now (self->clock);
  now_usec = g_date_time_to_unix_usec (now);
  lead = reminder_lead (self);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  for (guint i = 0; i < n; i++)
    {
      PcBooking *booking = pc_booking_store_peek (self->store, i);
      gint64 accept_by = pc_booking_get_accept_by_usec (booking);
      gint64 booking_id = pc_booking_get_booking_id (booking);
      GTimeSpan remaining;

      if (accept_by == PC_BOOKING_NO_DATE || !pc_booking_get_can_accept (booking) ||
          g_hash_table_contains (self->reminded, &booking_id))
        continue;

      remaining = accept_by - now_usec;
      if (remaining <= 0)
        continue;
      if (remaining > lead)
        next = MIN (next, remaining - lead);
      else if (get_active_window (self) == NULL)
        {
          id_set_add (self->reminded, booking_id);
          pc_notifier_accept_by_approaching (ensure_notifier (self), booking);
        }
    }

  /* At most an hour ahead: the clock may be set, the computer suspended. */
  if (next != G_MAXINT64)
    self->reminder_id = g_timeout_add_seconds (MIN (next / G_TIME_SPAN_SECOND + 1, 3600),
                                               reminder_timeout_cb, self);
}

static gboolean
reminder_timeout_cb (gpointer user_data)
{
  PcApplication *self = user_data;

  self->reminder_id = 0;
  check_accept_by (self);

  return G_SOURCE_REMOVE;
}

static void
watcher_read_finished_cb (PcApplication *self,
                          const GError  *error,
                          PcWatcher     *watcher)
{
  if (error == NULL)
    check_accept_by (self);
}

/* The watcher pauses while the session is idle (the screensaver is on). */
static void
screensaver_changed_cb (PcApplication *self)
{
  gboolean idle = FALSE;

  g_object_get (self, "screensaver-active", &idle, NULL);
  g_debug ("Session %s", idle ? "idle: pausing live updates" : "active: resuming live updates");
  pc_watcher_set_paused (self->watcher, idle);
}

#if HAVE_MALLOC_TRIM
static gboolean
trim_cb (gpointer user_data)
{
  PcApplication *self = user_data;

  self->trim_id = 0;
  malloc_trim (0);
  return G_SOURCE_REMOVE;
}
#endif

/* A load of many pages leaves freed memory among the bookings it keeps: the pages' JSON
 * trees, the arrays that grew as they merged, the watcher's copy of the list. malloc
 * keeps it for the process unless asked to give it back (with 100,000 bookings, about
 * 4 MiB). Asked once things have settled: below every idle priority GLib and GTK use, so
 * after the watcher's baseline and the frames; it takes well under a millisecond. */
static void
loader_refreshed_cb (PcApplication   *self,
                     const GError    *error,
                     PcBookingLoader *loader)
{
#if HAVE_MALLOC_TRIM
  if (error == NULL && self->trim_id == 0)
    {
      self->trim_id = g_idle_add_full (G_PRIORITY_LOW, trim_cb, self, NULL);
      g_source_set_name_by_id (self->trim_id, "[phonechat] malloc_trim");
    }
#endif
}

/* Live updates begin once the list has loaded: it is their baseline. */
static void
loader_loaded_cb (PcApplication   *self,
                  GParamSpec      *pspec,
                  PcBookingLoader *loader)
{
  if (pc_booking_loader_get_loaded (loader))
    pc_watcher_start_scheduled (self->watcher);
}

static void
create_watcher (PcApplication *self)
{
  /* The demo's sandbox is on this computer: the network does not matter to it. */
  GNetworkMonitor *monitor = self->sandbox != NULL ? NULL : g_network_monitor_get_default ();

  self->own_actions = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->accepting = id_set_new ();
  self->reminded = id_set_new ();

  self->watcher = pc_watcher_new (self->loader, monitor);
  if (self->demo_interval > 0)
    {
      pc_watcher_set_base_interval (self->watcher, self->demo_interval);
      pc_watcher_set_max_interval (self->watcher, 2 * self->demo_interval);
    }
  g_signal_connect_object (self->watcher, "booking-added",
                           G_CALLBACK (watcher_booking_added_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->watcher, "booking-changed",
                           G_CALLBACK (watcher_booking_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->watcher, "booking-removed",
                           G_CALLBACK (watcher_booking_removed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->watcher, "read-finished",
                           G_CALLBACK (watcher_read_finished_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->loader, "notify::loaded",
                           G_CALLBACK (loader_loaded_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect (self, "notify::screensaver-active", G_CALLBACK (screensaver_changed_cb), NULL);
  if (self->settings != NULL)
    g_signal_connect_object (self->settings, "changed::accept-by-lead-minutes",
                             G_CALLBACK (check_accept_by), self, G_CONNECT_SWAPPED);
}

/* With run-in-background on, closing the window leaves the application running. */
static void
update_background (PcApplication *self)
{
  gboolean hold = self->settings != NULL &&
                  g_settings_get_boolean (self->settings, "run-in-background");

  if (hold == self->background_held)
    return;

  self->background_held = hold;
  g_debug ("%s in the background", hold ? "Running on" : "Not running on");
  if (hold)
    g_application_hold (G_APPLICATION (self));
  else
    g_application_release (G_APPLICATION (self));
}

typedef struct
{
  PcApplication *self;
  PcBooking     *booking;
  GDateTime     *sent_at;
} AcceptCall;

static void
accepted_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autofree AcceptCall *call = user_data;
  g_autoptr(PcApplication) self = call->self;
  g_autoptr(PcBooking) booking = call->booking;
  g_autoptr(GDateTime) sent_at = call->sent_at;
  g_autoptr(PcBooking) updated = NULL;
  g_autoptr(GError) error = NULL;
  gint64 booking_id = pc_booking_get_booking_id (booking);
  g_autofree char *who = NULL;
  g_autofree char *title = NULL;
  PcBooking *shown = booking;
  PcWindow *window;

  updated = pc_api_accept_finish (PC_API (source), result, &error);
  g_hash_table_remove (self->accepting, &booking_id);
  g_application_release (G_APPLICATION (self));

  if (updated != NULL)
    {
      /* In place: the list and the page show it accepted at once. */
      pc_booking_store_merge_one (self->store, updated);
      shown = pc_booking_store_lookup (self->store, booking_id);
      if (shown == NULL)
        shown = updated;
    }
  else
    {
      g_debug ("Accepting booking %" G_GINT64_FORMAT " failed: %s", booking_id, error->message);
      check_unauthorized (self, PC_API (source), error);
      /* Never sent again: marked as the window's runner marks it (nothing more goes
       * out about the booking), and what happened shows at the next read, which comes
       * now. */
      if (g_error_matches (error, PC_API_ERROR, PC_API_ERROR_OUTCOME_UNKNOWN))
        {
          pc_booking_store_mark_outcome_unknown (self->store, booking, sent_at);
          pc_watcher_read_now (self->watcher);
        }
    }

  window = get_active_window (self);
  if (window == NULL)
    {
      pc_notifier_accept_finished (ensure_notifier (self), shown, error);
      return;
    }

  who = pc_describe_client (shown);
  if (error == NULL)
    {
      pc_notifier_withdraw_booking (ensure_notifier (self), booking_id);
      /* Translators: a toast; %s is the client's nickname */
      title = g_strdup_printf (_("%s’s booking accepted"), who);
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    /* Translators: a toast; %s is the client's nickname */
    title = g_strdup_printf (_("Could not accept %s’s booking"), who);

  if (title != NULL)
    add_toast (window, title);
}

static PcWindow *present_for_booking (PcApplication *self,
                                      gint64         booking_id);

/* A notification's Accept: sent once, with the booking's own credits. A booking this
 * instance does not know (yet), or that cannot be accepted any more, is shown instead,
 * where the window says why. */
static void
accept_booking_action_cb (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  PcApplication *self = user_data;
  gint64 booking_id = g_variant_get_int64 (parameter);
  PcBooking *booking = pc_booking_store_lookup (self->store, booking_id);
  AcceptCall *call;

  /* A second click while the first is on its way does nothing. */
  if (g_hash_table_contains (self->accepting, &booking_id))
    return;

  if (self->api == NULL || booking == NULL || !pc_booking_get_can_accept (booking) ||
      pc_booking_store_is_outcome_unknown (self->store, booking))
    {
      g_debug ("Booking %" G_GINT64_FORMAT " cannot be accepted from here: showing it",
               booking_id);
      pc_window_show_booking (present_for_booking (self, booking_id), booking_id);
      return;
    }

  id_set_add (self->accepting, booking_id);
  /* The result arrives even if the last window closes meanwhile. */
  g_application_hold (G_APPLICATION (self));

  call = g_new0 (AcceptCall, 1);
  call->self = g_object_ref (self);
  call->booking = g_object_ref (booking);
  call->sent_at = pc_clock_get_now (pc_booking_store_get_clock (self->store));
  pc_api_accept_async (self->api, booking_id, pc_booking_get_credits (booking), NULL,
                       accepted_cb, call);
}

/* A reinviter per API: signing in elsewhere starts afresh. */
/* A re-invite in flight keeps the application running, also with no window left: its
 * result still arrives as a notification. */
static void
set_holding (PcApplication *self,
             gboolean       holding)
{
  if (self->holding == holding)
    return;

  self->holding = holding;
  if (holding)
    g_application_hold (G_APPLICATION (self));
  else
    g_application_release (G_APPLICATION (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HOLDING]);
}

static void
reinviter_busy_cb (PcApplication *self,
                   GParamSpec    *pspec,
                   PcReinviter   *reinviter)
{
  set_holding (self, pc_reinviter_get_busy (reinviter));
}

static void
outcome_log_busy_cb (PcApplication *self,
                     GParamSpec    *pspec,
                     PcOutcomeLog  *log)
{
  gboolean busy = log == self->outcome_log && pc_outcome_log_get_busy (log);

  /* A mark being written must reach the disk even if the last window just closed. */
  if (busy == self->log_held)
    return;

  self->log_held = busy;
  if (busy)
    g_application_hold (G_APPLICATION (self));
  else
    g_application_release (G_APPLICATION (self));
}

/* The re-invites of unknown outcome of the account's server, shared with phonechat-cli:
 * read and written in a worker thread. */
static void
update_outcome_log (PcApplication *self)
{
  g_autoptr(PcOutcomeLog) log = NULL;

  if (self->outcome_log != NULL && self->api != NULL &&
      g_str_equal (pc_outcome_log_get_scope (self->outcome_log), pc_api_get_base_url (self->api)))
    return;

  if (self->outcome_log != NULL)
    g_signal_handlers_disconnect_by_data (self->outcome_log, self);

  if (self->api != NULL)
    {
      log = pc_outcome_log_new (NULL, pc_api_get_base_url (self->api));
      g_signal_connect_object (log, "notify::busy", G_CALLBACK (outcome_log_busy_cb), self,
                               G_CONNECT_SWAPPED);
    }

  g_set_object (&self->outcome_log, log);
  pc_booking_store_set_outcome_log (self->store, log);
  if (log != NULL)
    pc_outcome_log_set_autosave (log, TRUE);
  else if (self->log_held)
    {
      /* The old log's write goes on; it keeps itself alive until it is done. */
      self->log_held = FALSE;
      g_application_release (G_APPLICATION (self));
    }
}

static void
update_reinviter (PcApplication *self)
{
  g_autoptr(PcReinviter) reinviter = NULL;

  update_outcome_log (self);

  if (self->reinviter != NULL && pc_reinviter_get_api (self->reinviter) == self->api)
    return;

  if (self->reinviter != NULL)
    g_signal_handlers_disconnect_by_data (self->reinviter, self);
  set_holding (self, FALSE);

  if (self->api != NULL)
    {
      reinviter = pc_reinviter_new (self->api, self->store);
      g_signal_connect_object (reinviter, "notify::busy",
                               G_CALLBACK (reinviter_busy_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (reinviter, "finished::single",
                               G_CALLBACK (reinviter_finished_single_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (reinviter, "batch-finished",
                               G_CALLBACK (reinviter_batch_finished_cb), self,
                               G_CONNECT_SWAPPED);
    }

  g_set_object (&self->reinviter, reinviter);
  pc_reason_drafts_follow (self->drafts, reinviter);

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (PC_IS_WINDOW (l->data))
      pc_window_set_reinviter (PC_WINDOW (l->data), self->reinviter);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REINVITER]);
}

static gboolean
start_sandbox (PcApplication  *self,
               gboolean        with_bookings,
               GError        **error)
{
  g_autoptr(PcSandbox) sandbox = pc_sandbox_new (self->clock, NULL);

  if (with_bookings)
    pc_sandbox_load_demo (sandbox);
  /* --demo-new-booking-every: clients keep booking, to show live updates. */
  pc_sandbox_set_new_booking_interval (sandbox, self->demo_interval);
  if (!pc_sandbox_listen (sandbox, 0, error))
    return FALSE;

  g_debug ("Demo sandbox listening on %s", pc_sandbox_get_url (sandbox));
  g_set_object (&self->sandbox, sandbox);
  return TRUE;
}

/* Points the loader at the sandbox (demo) or at PHONECHAT_API_URL with PHONECHAT_TOKEN.
 * Without a token there is no API and the window explains how to get one. */
static void update_sign_out (PcApplication *self);

/* Where the bookings come from: the demo sandbox, PHONECHAT_TOKEN (scripts and testing;
 * it wins over a stored account), or the signed-in account, whose API client sends the
 * current access token through its renewals. */
static void
configure_api (PcApplication *self)
{
  g_autoptr(PcApi) owned = NULL;
  g_autoptr(GError) error = NULL;
  PcApi *api = NULL;
  const char *url = NULL;

  if (self->sandbox != NULL || pc_config_get_token (self->config) != NULL)
    {
      url = self->sandbox != NULL ? pc_sandbox_get_url (self->sandbox)
                                  : pc_config_get_api_url (self->config);
      owned = pc_api_new (self->session, url, &error);
      if (owned == NULL)
        g_printerr ("phonechat: %s\n", error->message);
      else
        pc_api_set_token (owned, self->sandbox != NULL ? PC_SANDBOX_DEFAULT_TOKEN
                                                       : pc_config_get_token (self->config));
      api = owned;
    }
  else
    api = pc_session_get_api (self->account);

  if (api != NULL)
    {
      url = pc_api_get_base_url (api);
      pc_api_set_zone (api, pc_config_get_api_zone (self->config));
      pc_api_set_debug (api, pc_config_get_http_debug (self->config));
    }

  g_free (self->api_url);
  self->api_url = g_strdup (url);
  if (api != NULL && api != self->api)
    g_signal_connect_object (api, "action-started", G_CALLBACK (api_action_started_cb), self,
                             G_CONNECT_SWAPPED);
  g_set_object (&self->api, api);
  if (pc_booking_loader_get_api (self->loader) != api)
    pc_booking_loader_set_api (self->loader, api);
  update_reinviter (self);
  update_sign_out (self);
}

static gboolean
uses_account (PcApplication *self)
{
  return self->sandbox == NULL && pc_config_get_token (self->config) == NULL;
}

/* Sign Out leaves the demo, or signs the account out; PHONECHAT_TOKEN cannot be. */
static void
update_sign_out (PcApplication *self)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "sign-out");

  if (action != NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (action),
                                 self->sandbox != NULL ||
                                 (uses_account (self) && pc_session_get_account (self->account) != NULL));
}

static void
account_api_changed_cb (PcApplication *self)
{
  update_sign_out (self);
  if (!uses_account (self))
    return;

  configure_api (self);
  if (self->api == NULL)
    /* Signed out: another account's bookings must not stay on screen. */
    pc_booking_store_remove_all (self->store);
}

static void
account_state_changed_cb (PcApplication *self)
{
  PcSessionState state = pc_session_get_state (self->account);

  if (!uses_account (self))
    return;

  /* Signed in (again): whatever is on screen is brought up to date. */
  if (state == PC_SESSION_SIGNED_IN && self->api != NULL &&
      !pc_booking_loader_get_loading (self->loader))
    pc_booking_loader_refresh (self->loader);
}

/* A 401 on the account's token: the session tries a renewal once, and otherwise asks for
 * signing in again. Nothing is sent again by itself. */
static void
check_unauthorized (PcApplication *self,
                    PcApi         *api,
                    const GError  *error)
{
  if (uses_account (self) && api != NULL && api == pc_session_get_api (self->account) &&
      g_error_matches (error, PC_API_ERROR, PC_API_ERROR_UNAUTHORIZED))
    pc_session_report_unauthorized (self->account);
}

static void
loader_error_cb (PcApplication *self)
{
  const GError *error = pc_booking_loader_get_error (self->loader);

  if (error != NULL)
    check_unauthorized (self, pc_booking_loader_get_api (self->loader), error);
}

/* Keyring trouble at start-up is said in a dialog that names the cause; nothing was
 * deleted, and signing in or the demo still work. */
static void
show_account_problem (PcApplication *self,
                      const GError  *error)
{
  g_autofree char *title = NULL;
  g_autofree char *sentence = NULL;
  g_autofree char *details = NULL;
  g_autofree char *body = NULL;
  AdwDialog *dialog;

  pc_error_describe (error, PC_ERROR_TASK_SIGN_IN, NULL, &title, &sentence);
  details = pc_error_dup_details (error, sentence);
  body = details != NULL ? g_strdup_printf ("%s\n\n%s", sentence, details) : g_strdup (sentence);
  dialog = adw_alert_dialog_new (title, NULL);
  adw_alert_dialog_set_body (ADW_ALERT_DIALOG (dialog), body);
  adw_alert_dialog_set_body_use_markup (ADW_ALERT_DIALOG (dialog), FALSE);
  adw_alert_dialog_add_response (ADW_ALERT_DIALOG (dialog), "close", _("_Close"));
  adw_dialog_present (dialog, GTK_WIDGET (get_window (self)));
}

static void
restored_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(PcApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!pc_session_restore_finish (PC_SESSION (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_debug ("No stored account: %s", error->message);
      show_account_problem (self, error);
    }
}

static void
demo_action_cb (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  PcApplication *self = user_data;
  g_autoptr(GError) error = NULL;

  /* Already showing the demo: just show it. */
  if (self->sandbox != NULL && self->api != NULL &&
      pc_booking_loader_get_api (self->loader) == self->api)
    {
      gtk_window_present (GTK_WINDOW (get_window (self)));
      return;
    }

  if (self->sandbox == NULL && !start_sandbox (self, TRUE, &error))
    {
      g_autofree char *title = NULL;

      g_debug ("Could not start the demo: %s", error->message);
      /* Translators: %s says why */
      title = g_strdup_printf (_("Could not start the demo: %s"), error->message);
      add_toast (get_window (self), title);
      return;
    }

  configure_api (self);
  pc_booking_loader_refresh (self->loader);
  gtk_window_present (GTK_WINDOW (get_window (self)));
}

static void
sign_in_action_cb (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  PcApplication *self = user_data;
  PcWindow *window = get_window (self);
  PcSignInDialog *dialog;

  /* Signing in leaves the demo: the account's bookings are what is shown then. */
  if (self->sandbox != NULL)
    {
      pc_sandbox_stop (self->sandbox);
      g_clear_object (&self->sandbox);
      pc_booking_store_remove_all (self->store);
      configure_api (self);
    }

  gtk_window_present (GTK_WINDOW (window));
  dialog = pc_sign_in_dialog_new (self->account, self->settings);
  adw_dialog_present (ADW_DIALOG (dialog), GTK_WIDGET (window));
}

static void
signed_out_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(PcApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!pc_session_sign_out_finish (PC_SESSION (source), result, &error))
    show_account_problem (self, error);
  else
    add_toast (get_window (self), _("Signed out"));
}

static void
sign_out_action_cb (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  PcApplication *self = user_data;

  if (self->sandbox != NULL)
    {
      /* Leaving the demo. */
      pc_sandbox_stop (self->sandbox);
      g_clear_object (&self->sandbox);
      pc_booking_store_remove_all (self->store);
      configure_api (self);
      return;
    }

  pc_session_sign_out_async (self->account, NULL, signed_out_cb, g_object_ref (self));
}

/* The window, in front, for an action about @booking_id. Its notifications go at once,
 * not when the booking is selected: a notification activated this, and it is dealt with
 * (a fresh instance may still be loading the booking). */
static PcWindow *
present_for_booking (PcApplication *self,
                     gint64         booking_id)
{
  PcWindow *window = get_window (self);

  pc_notifier_withdraw_booking (ensure_notifier (self), booking_id);

  gtk_window_present (GTK_WINDOW (window));
  return window;
}

static void
show_booking_action_cb (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  gint64 booking_id = g_variant_get_int64 (parameter);

  pc_window_show_booking (present_for_booking (user_data, booking_id), booking_id);
}

static void
reinvite_booking_action_cb (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  gint64 booking_id = g_variant_get_int64 (parameter);

  pc_window_reinvite_booking (present_for_booking (user_data, booking_id), booking_id);
}

static void
show_window_action_cb (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  PcApplication *self = user_data;

  pc_notifier_withdraw_batch (ensure_notifier (self));

  gtk_window_present (GTK_WINDOW (get_window (self)));
}

/* The server address without anything secret a URL could carry (a user name or password,
 * a query). */
static char *
dup_safe_url (const char *url)
{
  g_autoptr(GUri) uri = NULL;

  if (url == NULL)
    return NULL;

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    return g_strdup ("(not a valid address)");

  return g_uri_to_string_partial (uri, G_URI_HIDE_USERINFO | G_URI_HIDE_QUERY |
                                       G_URI_HIDE_FRAGMENT);
}

/* For the About dialog's Troubleshooting page and bug reports: what PhoneChat runs with
 * and which server it talks to. Never the access token. Kept in English on purpose: it
 * is read by developers. */
static char *
dup_debug_info (PcApplication *self)
{
  g_autoptr(GString) info = g_string_new (NULL);
  g_autofree char *url = dup_safe_url (self->api != NULL ? pc_api_get_base_url (self->api)
                                                         : self->api_url);
  g_autofree char *os = g_get_os_info (G_OS_INFO_KEY_PRETTY_NAME);

  g_string_append_printf (info, "PhoneChat %s (%s)\n", PACKAGE_VERSION, APP_ID);
  g_string_append_printf (info, "OS: %s\n", os != NULL ? os : "unknown");
  g_string_append_printf (info, "Flatpak: %s\n",
                          g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS) ? "yes" : "no");

  g_string_append (info, "\nLibraries (in use / built against)\n");
  g_string_append_printf (info, "GLib: %u.%u.%u / %d.%d.%d\n",
                          glib_major_version, glib_minor_version, glib_micro_version,
                          GLIB_MAJOR_VERSION, GLIB_MINOR_VERSION, GLIB_MICRO_VERSION);
  g_string_append_printf (info, "GTK: %u.%u.%u / %d.%d.%d\n",
                          gtk_get_major_version (), gtk_get_minor_version (),
                          gtk_get_micro_version (),
                          GTK_MAJOR_VERSION, GTK_MINOR_VERSION, GTK_MICRO_VERSION);
  g_string_append_printf (info, "libadwaita: %u.%u.%u / %d.%d.%d\n",
                          adw_get_major_version (), adw_get_minor_version (),
                          adw_get_micro_version (),
                          ADW_MAJOR_VERSION, ADW_MINOR_VERSION, ADW_MICRO_VERSION);
  g_string_append_printf (info, "libsoup: %u.%u.%u / %d.%d.%d\n",
                          soup_get_major_version (), soup_get_minor_version (),
                          soup_get_micro_version (),
                          SOUP_MAJOR_VERSION, SOUP_MINOR_VERSION, SOUP_MICRO_VERSION);
  /* json-glib has no run-time version query. */
  g_string_append_printf (info, "json-glib: %d.%d.%d (built against)\n",
                          JSON_MAJOR_VERSION, JSON_MINOR_VERSION, JSON_MICRO_VERSION);

  g_string_append (info, "\nServer\n");
  g_string_append_printf (info, "API base URL: %s\n", url != NULL ? url : "none");
  g_string_append_printf (info, "Demo: %s\n", self->sandbox != NULL ? "yes (built-in sandbox)" : "no");
  g_string_append_printf (info, "Signed in: %s\n", self->api != NULL ? "yes" : "no");
  if (self->api != NULL)
    g_string_append_printf (info, "API time zone: %s\n",
                            g_time_zone_get_identifier (pc_api_get_zone (self->api)));

  return g_string_free (g_steal_pointer (&info), FALSE);
}

static void
about_action_cb (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  PcApplication *self = user_data;
  static const char *developers[] = { "The PhoneChat developers", NULL };
  g_autofree char *debug_info = dup_debug_info (self);
  AdwAboutDialog *about;

  /* The metainfo file is not in the GResource (it is translated at build time), so the
   * dialog is filled in here rather than with adw_about_dialog_new_from_appdata(). */
  about = ADW_ABOUT_DIALOG (adw_about_dialog_new ());
  adw_about_dialog_set_application_name (about, _("PhoneChat"));
  adw_about_dialog_set_application_icon (about, APP_ID);
  adw_about_dialog_set_version (about, PACKAGE_VERSION);
  adw_about_dialog_set_developer_name (about, _("The PhoneChat developers"));
  adw_about_dialog_set_developers (about, developers);
  adw_about_dialog_set_comments (about, _("Manage the PhoneChat bookings clients make with you."));
  adw_about_dialog_set_license_type (about, GTK_LICENSE_GPL_3_0);
  adw_about_dialog_set_translator_credits (about, _("translator-credits"));
  adw_about_dialog_set_debug_info (about, debug_info);
  adw_about_dialog_set_debug_info_filename (about, "phonechat-debug-info.txt");

  /* Inside the main window, which the dialog may be about to appear over. */
  adw_dialog_present (ADW_DIALOG (about), GTK_WIDGET (get_window (self)));
}

static void
quit_response_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(PcApplication) self = user_data;
  const char *response = adw_alert_dialog_choose_finish (ADW_ALERT_DIALOG (source), result);

  if (g_strcmp0 (response, "quit") == 0)
    g_application_quit (G_APPLICATION (self));
}

static void
quit_action_cb (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  PcApplication *self = user_data;
  PcWindow *window = find_window (self);
  AdwDialog *dialog;

  /* Quitting while a re-invite is on its way would leave its outcome unknown: the
   * request may reach the server or not, and nobody would hear which. Ask first. */
  if (window == NULL || self->reinviter == NULL || !pc_reinviter_get_busy (self->reinviter))
    {
      g_application_quit (G_APPLICATION (self));
      return;
    }

  dialog = adw_alert_dialog_new (_("Quit While Re-inviting?"),
                                 _("A re-invite is still on its way to the server. If PhoneChat "
                                   "quits now, you will not know whether the client was "
                                   "invited again."));
  adw_alert_dialog_add_responses (ADW_ALERT_DIALOG (dialog),
                                  "cancel", _("_Keep Running"),
                                  "quit", _("_Quit"),
                                  NULL);
  adw_alert_dialog_set_response_appearance (ADW_ALERT_DIALOG (dialog), "quit",
                                            ADW_RESPONSE_DESTRUCTIVE);
  adw_alert_dialog_set_default_response (ADW_ALERT_DIALOG (dialog), "cancel");
  adw_alert_dialog_set_close_response (ADW_ALERT_DIALOG (dialog), "cancel");
  gtk_window_present (GTK_WINDOW (window));
  adw_alert_dialog_choose (ADW_ALERT_DIALOG (dialog), GTK_WIDGET (window), NULL,
                           quit_response_cb, g_object_ref (self));
}

static void
clock_format_changed_cb (PcApplication        *self,
                         GParamSpec           *pspec,
                         PcClockFormatMonitor *monitor)
{
  PcWindow *window = find_window (self);

  if (window != NULL)
    pc_window_refresh_times (window);
}

/* An environment as the sign-in dialog's server list names it. */
static const char *
environment_name (PcEnvironment environment)
{
  switch (environment)
    {
    case PC_ENVIRONMENT_SANDBOX:
      return _("AdultWork Sandbox");
    case PC_ENVIRONMENT_CUSTOM:
      return _("Custom Server");
    case PC_ENVIRONMENT_LIVE:
    default:
      return _("AdultWork");
    }
}

/* Who the preferences say is signed in. */
static void
update_preferences_account (PcApplication       *self,
                            PcPreferencesDialog *dialog)
{
  PcAccount *account = pc_session_get_account (self->account);

  if (self->sandbox != NULL)
    pc_preferences_dialog_set_account (dialog, _("Demo"), _("The built-in demo sandbox"));
  else if (pc_config_get_token (self->config) != NULL && self->api != NULL)
    pc_preferences_dialog_set_account (dialog, _("Access token from the environment"),
                                       pc_api_get_base_url (self->api));
  else if (account != NULL)
    {
      g_autofree char *user = g_strdup_printf ("%" G_GINT64_FORMAT, pc_account_get_user_id (account));
      /* Translators: %s is an AdultWork user ID */
      g_autofree char *name = g_strdup_printf (_("User %s"), user);
      /* Translators: the server an account is on: its address, then "AdultWork",
       * "AdultWork Sandbox" or "Custom Server" */
      g_autofree char *where = g_strdup_printf (_("%s (%s)"), pc_account_get_api_url (account),
                                                environment_name (pc_account_get_environment (account)));

      pc_preferences_dialog_set_account (dialog, name, where);
    }
  else
    pc_preferences_dialog_set_account (dialog, NULL, NULL);
}

static void
preferences_action_cb (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  PcApplication *self = user_data;
  PcWindow *window = get_window (self);
  PcPreferencesDialog *dialog = pc_preferences_dialog_new (self->settings);

  update_preferences_account (self, dialog);
  gtk_window_present (GTK_WINDOW (window));
  adw_dialog_present (ADW_DIALOG (dialog), GTK_WIDGET (window));
}

static void
help_launched_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(PcApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  PcWindow *window;

  if (gtk_uri_launcher_launch_finish (GTK_URI_LAUNCHER (source), result, &error) ||
      g_error_matches (error, GTK_DIALOG_ERROR, GTK_DIALOG_ERROR_DISMISSED))
    return;

  g_message ("Could not open the user guide: %s", error->message);
  window = find_window (self);
  if (window == NULL)
    return;
  add_toast (window, _("Could not open the user guide: no help viewer is installed"));
}

/* The Mallard guide in help/, installed for Yelp: help:phonechat. */
static void
help_action_cb (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  PcApplication *self = user_data;
  PcWindow *window = get_window (self);
  g_autoptr(GtkUriLauncher) launcher = gtk_uri_launcher_new ("help:" GETTEXT_PACKAGE);

  gtk_window_present (GTK_WINDOW (window));
  gtk_uri_launcher_launch (launcher, GTK_WINDOW (window), NULL, help_launched_cb,
                           g_object_ref (self));
}

static const GActionEntry app_actions[] = {
  { .name = "demo", .activate = demo_action_cb },
  { .name = "sign-in", .activate = sign_in_action_cb },
  { .name = "sign-out", .activate = sign_out_action_cb },
  { .name = "show-booking", .activate = show_booking_action_cb, .parameter_type = "x" },
  { .name = "reinvite-booking", .activate = reinvite_booking_action_cb, .parameter_type = "x" },
  { .name = "accept-booking", .activate = accept_booking_action_cb, .parameter_type = "x" },
  { .name = "show-window", .activate = show_window_action_cb },
  { .name = "preferences", .activate = preferences_action_cb },
  { .name = "help", .activate = help_action_cb },
  { .name = "about", .activate = about_action_cb },
  { .name = "quit", .activate = quit_action_cb },
};

static gint
pc_application_handle_local_options (GApplication *application,
                                     GVariantDict *options)
{
  PcApplication *self = PC_APPLICATION (application);
  g_autoptr(GError) error = NULL;
  gint64 booking_id = 0;
  gint32 interval = 0;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
      return 0;
    }

  /* Fail clearly rather than crash in gtk_init() when there is nowhere to draw. */
  if (!gtk_init_check ())
    {
      g_printerr ("%s\n", _("phonechat: cannot open a display; run it in a graphical session or under xvfb-run"));
      return 1;
    }

  /* Set before registering: registering runs startup(), which reads them. */
  self->demo = g_variant_dict_contains (options, "demo");
  self->demo_empty = g_variant_dict_contains (options, "demo-empty");
  if (g_variant_dict_lookup (options, "demo-new-booking-every", "i", &interval))
    {
      if (interval <= 0)
        {
          g_printerr ("%s\n", _("phonechat: --demo-new-booking-every takes a number of seconds above 0"));
          return 1;
        }
      self->demo_interval = (guint) interval;
    }

  /* Registering here lets a second instance forward its requests to the first. */
  if (!g_application_register (application, NULL, &error))
    {
      g_printerr ("phonechat: %s\n", error->message);
      return 1;
    }

  if (g_application_get_is_remote (application) && self->demo)
    g_action_group_activate_action (G_ACTION_GROUP (application), "demo", NULL);

  if (g_variant_dict_lookup (options, "show-booking", "x", &booking_id))
    g_action_group_activate_action (G_ACTION_GROUP (application), "show-booking",
                                    g_variant_new_int64 (booking_id));

  return G_APPLICATION_CLASS (pc_application_parent_class)->handle_local_options (application, options);
}

static void
pc_application_startup (GApplication *application)
{
  PcApplication *self = PC_APPLICATION (application);
  GSettingsSchemaSource *source;
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GError) error = NULL;

  static const struct {
    const char *action;
    const char *accels[3];
  } accels[] = {
    { "app.quit", { "<Control>q", NULL } },
    { "app.preferences", { "<Control>comma", NULL } },
    { "app.help", { "F1", NULL } },
    { "window.close", { "<Control>w", NULL } },
    { "win.refresh", { "F5", "<Control>r", NULL } },
    { "win.search", { "<Control>f", NULL } },
    { "win.back", { "<Alt>Left", NULL } },
  };

  pc_debug_startup_mark ("startup");
  G_APPLICATION_CLASS (pc_application_parent_class)->startup (application);
  pc_debug_startup_mark ("GTK and libadwaita ready");

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self),
                                           accels[i].action, accels[i].accels);

  source = g_settings_schema_source_get_default ();
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, SCHEMA_ID, TRUE);
  if (schema != NULL)
    {
      g_autoptr(GAction) notify_action = NULL;

      self->settings = g_settings_new (SCHEMA_ID);
      /* A check item in the primary menu. */
      notify_action = g_settings_create_action (self->settings, "notify-reinvitable");
      g_action_map_add_action (G_ACTION_MAP (self), notify_action);
    }
  else
    g_message ("The settings schema %s is not installed: settings will not be kept", SCHEMA_ID);

  self->drafts = pc_reason_drafts_new ();

  /* The environment and the settings, read once. */
  self->config = pc_config_new_from_process (self->settings);

  if (self->clock == NULL)
    self->clock = pc_clock_new_system ();
  self->store = pc_booking_store_new (self->clock);
  self->session = pc_api_new_session ();
  self->loader = pc_booking_loader_new (NULL, self->store);
  g_signal_connect_object (self->loader, "notify::error",
                           G_CALLBACK (loader_error_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->loader, "refreshed",
                           G_CALLBACK (loader_refreshed_cb), self, G_CONNECT_SWAPPED);
  self->account = pc_session_new (self->session, self->clock);
  pc_session_set_debug (self->account, pc_config_get_http_debug (self->config));
  g_signal_connect_object (self->account, "notify::api",
                           G_CALLBACK (account_api_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->account, "notify::state",
                           G_CALLBACK (account_state_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "booking-became-reinvitable",
                           G_CALLBACK (booking_became_reinvitable_cb), self, G_CONNECT_SWAPPED);

  if ((self->demo || self->demo_empty) && !start_sandbox (self, !self->demo_empty, &error))
    g_printerr (_("phonechat: cannot start the demo server: %s\n"), error->message);

  create_watcher (self);
  if (self->settings != NULL)
    g_signal_connect_object (self->settings, "changed::run-in-background",
                             G_CALLBACK (update_background), self, G_CONNECT_SWAPPED);
  update_background (self);

  /* The stored account, from the keyring, also when D-Bus activation starts PhoneChat
   * (it then has none of the shell's environment): looked for after the first frame
   * (finish_startup()), and the window says it is looking meanwhile. */
  if (uses_account (self))
    {
      pc_session_expect_restore (self->account);
      self->restore_pending = TRUE;
    }

  configure_api (self);
}

static void
pc_application_activate (GApplication *application)
{
  PcApplication *self = PC_APPLICATION (application);

  PcWindow *window = get_window (self);

  pc_debug_startup_mark ("window built");
  /* Present first; the window starts loading after its first frame. */
  gtk_window_present (GTK_WINDOW (window));
}

static void
pc_application_shutdown (GApplication *application)
{
  PcApplication *self = PC_APPLICATION (application);

  if (self->watcher != NULL)
    pc_watcher_stop (self->watcher);
  g_clear_handle_id (&self->reminder_id, g_source_remove);
  g_clear_handle_id (&self->trim_id, g_source_remove);
  if (self->loader != NULL)
    pc_booking_loader_cancel (self->loader);
  if (self->reinviter != NULL)
    g_signal_handlers_disconnect_by_data (self->reinviter, self);
  set_holding (self, FALSE);
  if (self->sandbox != NULL)
    pc_sandbox_stop (self->sandbox);

  G_APPLICATION_CLASS (pc_application_parent_class)->shutdown (application);
}

static void
pc_application_dispose (GObject *object)
{
  PcApplication *self = (PcApplication *) object;

  if (self->reinviter != NULL)
    g_signal_handlers_disconnect_by_data (self->reinviter, self);
  g_clear_object (&self->reinviter);
  if (self->outcome_log != NULL)
    g_signal_handlers_disconnect_by_data (self->outcome_log, self);
  g_clear_object (&self->outcome_log);
  g_clear_object (&self->drafts);
  g_clear_object (&self->notifier);
  g_clear_handle_id (&self->reminder_id, g_source_remove);
  g_clear_handle_id (&self->trim_id, g_source_remove);
  g_clear_object (&self->watcher);
  g_clear_pointer (&self->own_actions, g_hash_table_unref);
  g_clear_pointer (&self->accepting, g_hash_table_unref);
  g_clear_pointer (&self->reminded, g_hash_table_unref);
  g_clear_object (&self->loader);
  g_clear_object (&self->api);
  g_clear_object (&self->sandbox);
  g_clear_object (&self->store);
  g_clear_object (&self->session);
  g_clear_object (&self->clock);
  g_clear_object (&self->settings);
  g_clear_object (&self->clock_format);
  if (self->account != NULL)
    g_signal_handlers_disconnect_by_data (self->account, self);
  g_clear_object (&self->account);
  g_clear_pointer (&self->config, pc_config_free);
  g_clear_pointer (&self->api_url, g_free);

  G_OBJECT_CLASS (pc_application_parent_class)->dispose (object);
}

static void
pc_application_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  PcApplication *self = PC_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_CLOCK:
      g_value_set_object (value, self->clock);
      break;
    case PROP_SANDBOX:
      g_value_set_object (value, self->sandbox);
      break;
    case PROP_HOLDING:
      g_value_set_boolean (value, self->holding);
      break;
    case PROP_REINVITER:
      g_value_set_object (value, self->reinviter);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pc_application_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  PcApplication *self = PC_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_CLOCK:
      g_set_object (&self->clock, g_value_get_object (value));
      break;
    case PROP_SANDBOX:
      g_set_object (&self->sandbox, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pc_application_class_init (PcApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *application_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = pc_application_dispose;
  object_class->get_property = pc_application_get_property;
  object_class->set_property = pc_application_set_property;

  application_class->handle_local_options = pc_application_handle_local_options;
  application_class->startup = pc_application_startup;
  application_class->activate = pc_application_activate;
  application_class->shutdown = pc_application_shutdown;

  /**
   * PcApplication:clock:
   *
   * Where "now" comes from; the system clock unless given (tests give a fixed one).
   */
  properties[PROP_CLOCK] =
    g_param_spec_object ("clock", NULL, NULL, PC_TYPE_CLOCK,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * PcApplication:sandbox:
   *
   * A listening #PcSandbox to use as the API, as `--demo` does with its own.
   */
  properties[PROP_SANDBOX] =
    g_param_spec_object ("sandbox", NULL, NULL, PC_TYPE_SANDBOX,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * PcApplication:reinviter:
   *
   * The re-invite service; %NULL while signed out.
   */
  properties[PROP_REINVITER] =
    g_param_spec_object ("reinviter", NULL, NULL, PC_TYPE_REINVITER,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * PcApplication:holding:
   *
   * Whether the application keeps itself running (g_application_hold()) because a
   * re-invite is in flight, also with no window left.
   */
  properties[PROP_HOLDING] =
    g_param_spec_boolean ("holding", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pc_application_init (PcApplication *self)
{
  pc_debug_startup_init ();

  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Received PhoneChat bookings. Set PHONECHAT_TOKEN "
                                              "(and optionally PHONECHAT_API_URL) to sign in, or "
                                              "use --demo."));
}

PcApplication *
pc_application_new (void)
{
  return g_object_new (PC_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       /* The same resources for the .Devel id: style.css, help overlay. */
                       "resource-base-path", RESOURCE_PATH,
                       /* For GtkApplication:screensaver-active: live updates pause
                        * while the session is idle. */
                       "register-session", TRUE,
                       NULL);
}


PcBookingStore *
pc_application_get_store (PcApplication *self)
{
  g_return_val_if_fail (PC_IS_APPLICATION (self), NULL);

  return self->store;
}

PcBookingLoader *
pc_application_get_loader (PcApplication *self)
{
  g_return_val_if_fail (PC_IS_APPLICATION (self), NULL);

  return self->loader;
}


/**
 * pc_application_get_settings:
 *
 * Returns: (transfer none) (nullable): the settings, %NULL when the schema is missing
 */
GSettings *
pc_application_get_settings (PcApplication *self)
{
  g_return_val_if_fail (PC_IS_APPLICATION (self), NULL);

  return self->settings;
}

/**
 * pc_application_get_reinviter:
 *
 * Returns: (transfer none) (nullable): the re-invite service, %NULL while signed out
 */
PcReinviter *
pc_application_get_reinviter (PcApplication *self)
{
  g_return_val_if_fail (PC_IS_APPLICATION (self), NULL);

  return self->reinviter;
}

/**
 * pc_application_get_drafts:
 *
 * Returns: (transfer none): the reasons typed for re-invites, kept until the application
 *   quits
 */
PcReasonDrafts *
pc_application_get_drafts (PcApplication *self)
{
  g_return_val_if_fail (PC_IS_APPLICATION (self), NULL);

  return self->drafts;
}

gboolean
pc_application_get_holding (PcApplication *self)
{
  g_return_val_if_fail (PC_IS_APPLICATION (self), FALSE);

  return self->holding;
}

/**
 * pc_application_get_watcher:
 *
 * Returns: (transfer none) (nullable): the live updates, once the application has
 *   started up
 */
PcWatcher *
pc_application_get_watcher (PcApplication *self)
{
  g_return_val_if_fail (PC_IS_APPLICATION (self), NULL);

  return self->watcher;
}
