/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <stdio.h>

#include "pc-api.h"
#include "pc-booking.h"
#include "pc-json.h"
#include "pc-notifier.h"
#include "pc-reinviter.h"
#include "pc-test-notification-server.h"
#include "test-utils.h"

#define TEST_APP_ID "com.example.PhoneChat.Test"
#define BOOKING_ID  4817263

typedef struct
{
  GDBusConnection          *bus;
  PcTestNotificationServer *server;
  GApplication             *app;
  PcNotifier               *notifier;
  PcBooking                *booking;   /* NightOwl_77, 4817263, Sat 14 Jun 2025 21:30 London */
  GArray                   *shown;     /* gint64: app.show-booking activations */
  GArray                   *reinvite;  /* gint64: app.reinvite-booking activations */
  guint                     show_window;
} Fixture;

static void
show_booking_cb (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  Fixture *f = user_data;
  gint64 id = g_variant_get_int64 (parameter);

  g_array_append_val (f->shown, id);
}

static void
reinvite_booking_cb (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  Fixture *f = user_data;
  gint64 id = g_variant_get_int64 (parameter);

  g_array_append_val (f->reinvite, id);
}

static void
show_window_cb (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  Fixture *f = user_data;

  f->show_window++;
}

static const GActionEntry app_actions[] = {
  { "show-booking", show_booking_cb, "x", NULL, NULL, { 0 } },
  { "reinvite-booking", reinvite_booking_cb, "x", NULL, NULL, { 0 } },
  { "show-window", show_window_cb, NULL, NULL, NULL, { 0 } },
};

static PcBooking *
load_booking (void)
{
  g_autoptr(GBytes) bytes = pc_test_load_data ("received-booking.json");
  g_autoptr(GError) error = NULL;
  PcBooking *booking = pc_json_booking_from_bytes (bytes, NULL, &error);

  g_assert_no_error (error);
  return booking;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);

  f->server = pc_test_notification_server_new (f->bus);
  /* What GetCapabilities answers, before the notifier asks. */
  if (data != NULL)
    pc_test_notification_server_set_capabilities (f->server, data);

  f->shown = g_array_new (FALSE, FALSE, sizeof (gint64));
  f->reinvite = g_array_new (FALSE, FALSE, sizeof (gint64));

  f->app = g_application_new (TEST_APP_ID, G_APPLICATION_NON_UNIQUE);
  g_action_map_add_action_entries (G_ACTION_MAP (f->app), app_actions,
                                   G_N_ELEMENTS (app_actions), f);
  g_application_register (f->app, NULL, &error);
  g_assert_no_error (error);
  /* GApplication sends through the shared session bus connection: the server's sync
   * orders against it only if it is the same one. */
  g_assert_true (g_application_get_dbus_connection (f->app) == f->bus);

  f->notifier = pc_notifier_new (f->app);
  f->booking = load_booking ();
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->booking);
  g_assert_finalize_object (f->notifier);
  /* Let GLib's Notify replies arrive, then take the server away while the application
   * is still there (see pc_test_notification_server_shutdown()). */
  pc_test_notification_server_sync (f->server);
  pc_test_notification_server_shutdown (f->server);
  g_assert_finalize_object (f->server);
  g_assert_finalize_object (f->app);
  pc_test_drain_main_context ();
  g_clear_pointer (&f->shown, g_array_unref);
  g_clear_pointer (&f->reinvite, g_array_unref);
  g_clear_object (&f->bus);
}

static void
assert_common (Fixture                  *f,
               const PcTestNotification *n)
{
  /* GLib's freedesktop backend leaves app_name empty and names the app through the
   * desktop-entry hint instead. */
  g_assert_nonnull (n->app_name);
  g_assert_true (g_str_equal (n->app_name, "") ||
                 g_str_equal (n->app_name, g_get_application_name ()));
  g_assert_cmpstr (pc_test_notification_get_hint_string (n, "desktop-entry"), ==, TEST_APP_ID);
  g_assert_cmpstr (n->sender, ==, g_dbus_connection_get_unique_name (f->bus));
}

static GError *
rejected_error (void)
{
  return g_error_new_literal (PC_API_ERROR, PC_API_ERROR_REJECTED,
                              "Could not re-invite booking 4817263: the server refused it: "
                              "The booking is not pending.");
}

static void
test_reinvite_success (Fixture       *f,
                       gconstpointer  data)
{
  const PcTestNotification *n;

  pc_notifier_reinvite_finished (f->notifier, f->booking, NULL);
  pc_test_notification_server_wait_for_notify (f->server, 1);

  n = pc_test_notification_server_get_last (f->server);
  assert_common (f, n);
  g_assert_cmpuint (n->replaces_id, ==, 0);
  g_assert_cmpstr (n->summary, ==, "NightOwl_77 re-invited");
  g_assert_cmpstr (n->body, ==,
                   "Booking 4817263 (Sat 14 Jun, 21:30) was rejected and the client invited "
                   "again.");
  /* Only the default action: clicking opens the booking. */
  g_assert_cmpuint (pc_test_notification_get_n_actions (n), ==, 1);
  g_assert_nonnull (pc_test_notification_get_action_label (n, "default"));

  /* Nothing else was sent (e.g. a second notification). */
  pc_test_notification_server_sync (f->server);
  g_assert_cmpuint (pc_test_notification_server_get_n_notify_calls (f->server), ==, 1);
}

static void
test_reinvite_failure (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = rejected_error ();
  const PcTestNotification *n;

  pc_notifier_reinvite_finished (f->notifier, f->booking, error);
  pc_test_notification_server_wait_for_notify (f->server, 1);

  n = pc_test_notification_server_get_last (f->server);
  assert_common (f, n);
  g_assert_cmpstr (n->summary, ==, "Re-invite failed: NightOwl_77");
  /* What the re-invite dialog says, then the API's own message. */
  g_assert_cmpstr (n->body, ==,
                   "The booking has changed on the server and was not re-invited. Refresh the "
                   "bookings to see its current state. (Could not re-invite booking 4817263: "
                   "the server refused it: The booking is not pending.)");
  g_assert_nonnull (pc_test_notification_get_action_label (n, "default"));
}

static void
test_reinvite_outcome_unknown (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const PcTestNotification *n;

  error = g_error_new_literal (PC_API_ERROR, PC_API_ERROR_OUTCOME_UNKNOWN,
                               "Booking 4817263 may or may not have been re-invited.");
  pc_notifier_reinvite_finished (f->notifier, f->booking, error);
  pc_test_notification_server_wait_for_notify (f->server, 1);

  n = pc_test_notification_server_get_last (f->server);
  g_assert_cmpstr (n->summary, ==, "Re-invite uncertain: NightOwl_77");
  g_assert_cmpstr (n->body, ==,
                   "It is not known yet whether the client was re-invited: the server may still "
                   "do it. PhoneChat will not re-invite this booking again until it shows "
                   "what happened. (Booking 4817263 may or may not have been re-invited.)");
}

static void
test_reinvite_long_message (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) message = g_string_new ("Could not re-invite booking 4817263: ");
  const PcTestNotification *n;

  for (guint i = 0; i < 100; i++)
    g_string_append (message, "é blah ");
  error = g_error_new_literal (PC_API_ERROR, PC_API_ERROR_REJECTED, message->str);

  pc_notifier_reinvite_finished (f->notifier, f->booking, error);
  pc_test_notification_server_wait_for_notify (f->server, 1);

  n = pc_test_notification_server_get_last (f->server);
  g_assert_true (g_utf8_validate (n->body, -1, NULL));
  g_assert_cmpuint (g_utf8_strlen (n->body, -1), ==, 400);
  g_assert_true (g_str_has_suffix (n->body, "…"));
  g_assert_true (g_str_has_prefix (n->body, "The booking has changed on the server and was not "
                                            "re-invited. Refresh the bookings to see its "
                                            "current state. (Could not re-invite booking "
                                            "4817263: é blah"));
}

static void
test_reinvite_cancelled (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Cancelled");
  g_autoptr(GNotification) built = pc_notifier_build_reinvite_finished (f->booking, error);

  g_assert_null (built);
  pc_notifier_reinvite_finished (f->notifier, f->booking, error);
  pc_test_notification_server_sync (f->server);
  g_assert_cmpuint (pc_test_notification_server_get_n_notify_calls (f->server), ==, 0);
}

static void
test_reinvite_replace (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = rejected_error ();
  const PcTestNotification *first;
  const PcTestNotification *second;

  pc_notifier_reinvite_finished (f->notifier, f->booking, error);
  pc_test_notification_server_wait_for_notify (f->server, 1);
  /* GLib replaces by the id the server returned, which it must have received first. */
  pc_test_notification_server_sync (f->server);

  pc_notifier_reinvite_finished (f->notifier, f->booking, NULL);
  pc_test_notification_server_wait_for_notify (f->server, 2);

  first = pc_test_notification_server_get_notify_call (f->server, 0);
  second = pc_test_notification_server_get_notify_call (f->server, 1);
  g_assert_cmpuint (first->replaces_id, ==, 0);
  g_assert_cmpuint (second->replaces_id, ==, first->id);
  g_assert_cmpuint (second->id, ==, first->id);
  g_assert_cmpstr (second->summary, ==, "NightOwl_77 re-invited");
  g_assert_cmpuint (pc_test_notification_server_get_n_open (f->server), ==, 1);
}

static void
test_reinvite_activate (Fixture       *f,
                        gconstpointer  data)
{
  const PcTestNotification *n;

  pc_notifier_reinvite_finished (f->notifier, f->booking, NULL);
  pc_test_notification_server_wait_for_notify (f->server, 1);
  pc_test_notification_server_sync (f->server);

  n = pc_test_notification_server_get_last (f->server);
  pc_test_notification_server_invoke_action (f->server, n->id, "default");

  PC_TEST_WAIT_UNTIL (f->shown->len == 1);
  g_assert_cmpint (g_array_index (f->shown, gint64, 0), ==, BOOKING_ID);
  g_assert_cmpuint (f->reinvite->len, ==, 0);
}

static void
test_withdraw (Fixture       *f,
               gconstpointer  data)
{
  guint32 result_id;
  guint32 reinvitable_id;
  guint32 closed[2];

  /* GLib can only close a notification whose id it has received. */
  pc_notifier_became_reinvitable (f->notifier, f->booking);
  pc_test_notification_server_wait_for_notify (f->server, 1);
  pc_test_notification_server_sync (f->server);
  pc_notifier_reinvite_finished (f->notifier, f->booking, NULL);
  pc_test_notification_server_wait_for_notify (f->server, 2);
  pc_test_notification_server_sync (f->server);

  /* Success withdraws "can be re-invited" by itself. */
  pc_test_notification_server_wait_for_close (f->server, 1);
  reinvitable_id = pc_test_notification_server_get_notify_call (f->server, 0)->id;
  result_id = pc_test_notification_server_get_notify_call (f->server, 1)->id;
  g_assert_cmpuint (reinvitable_id, !=, result_id);
  g_assert_cmpuint (pc_test_notification_server_get_close_call (f->server, 0), ==, reinvitable_id);
  g_assert_cmpuint (pc_test_notification_server_get_n_open (f->server), ==, 1);

  pc_notifier_became_reinvitable (f->notifier, f->booking);
  pc_test_notification_server_wait_for_notify (f->server, 3);
  pc_test_notification_server_sync (f->server);
  reinvitable_id = pc_test_notification_server_get_notify_call (f->server, 2)->id;
  g_assert_cmpuint (pc_test_notification_server_get_n_open (f->server), ==, 2);

  /* Viewing the booking withdraws both of its notifications. */
  pc_notifier_withdraw_booking (f->notifier, BOOKING_ID);
  pc_test_notification_server_wait_for_close (f->server, 3);
  closed[0] = pc_test_notification_server_get_close_call (f->server, 1);
  closed[1] = pc_test_notification_server_get_close_call (f->server, 2);
  g_assert_true ((closed[0] == result_id && closed[1] == reinvitable_id) ||
                 (closed[0] == reinvitable_id && closed[1] == result_id));
  g_assert_cmpuint (pc_test_notification_server_get_n_open (f->server), ==, 0);

  /* Withdrawing again sends nothing: GLib knows they are gone. */
  pc_notifier_withdraw_booking (f->notifier, BOOKING_ID);
  pc_test_notification_server_sync (f->server);
  g_assert_cmpuint (pc_test_notification_server_get_n_close_calls (f->server), ==, 3);
}

static PcReinviteBatch *
make_batch (guint succeeded,
            guint failed,
            guint skipped)
{
  PcReinviteBatch *batch = pc_reinvite_batch_new ("Sorry, I missed it");
  g_autoptr(GError) error = rejected_error ();
  gint64 id = 5000000;

  for (guint i = 0; i < succeeded; i++, id++)
    {
      g_autofree char *nick = g_strdup_printf ("ok_%u", i);

      pc_reinvite_batch_append (batch, id, nick, PC_REINVITE_OUTCOME_SUCCEEDED, NULL, NULL);
    }
  for (guint i = 0; i < failed; i++, id++)
    {
      g_autofree char *nick = g_strdup_printf ("failed_%u", i);

      pc_reinvite_batch_append (batch, id, nick, PC_REINVITE_OUTCOME_FAILED,
                                error->message, error);
    }
  for (guint i = 0; i < skipped; i++, id++)
    {
      g_autofree char *nick = g_strdup_printf ("skipped_%u", i);

      pc_reinvite_batch_append (batch, id, nick, PC_REINVITE_OUTCOME_SKIPPED,
                                "This booking has been accepted.", NULL);
    }

  return batch;
}

static void
test_batch_summary (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(PcReinviteBatch) batch = make_batch (7, 1, 2);
  const PcTestNotification *n;

  pc_notifier_batch_finished (f->notifier, batch);
  pc_test_notification_server_wait_for_notify (f->server, 1);
  pc_test_notification_server_sync (f->server);

  /* One summary, not one per booking. */
  g_assert_cmpuint (pc_test_notification_server_get_n_notify_calls (f->server), ==, 1);
  n = pc_test_notification_server_get_last (f->server);
  assert_common (f, n);
  g_assert_cmpstr (n->summary, ==, "7 clients re-invited, 1 failed");
  g_assert_cmpstr (n->body, ==,
                   "Failed: failed_0\n"
                   "Skipped, not eligible: skipped_0, skipped_1");
  g_assert_cmpuint (pc_test_notification_get_n_actions (n), ==, 1);

  pc_test_notification_server_invoke_action (f->server, n->id, "default");
  PC_TEST_WAIT_UNTIL (f->show_window == 1);
  g_assert_cmpuint (f->shown->len, ==, 0);
}

static void
test_batch_plurals (Fixture       *f,
                    gconstpointer  data)
{
  const struct
  {
    guint       succeeded;
    guint       failed;
    guint       skipped;
    const char *title;
  } cases[] = {
    { 1, 0, 0, "1 client re-invited" },
    { 2, 0, 0, "2 clients re-invited" },
    { 1, 1, 0, "1 client re-invited, 1 failed" },
    { 1, 3, 0, "1 client re-invited, 3 failed" },
    { 0, 1, 0, "Could not re-invite 1 client" },
    { 0, 2, 1, "Could not re-invite 2 clients" },
    { 0, 0, 3, "No clients were re-invited" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(PcReinviteBatch) batch = make_batch (cases[i].succeeded, cases[i].failed,
                                                     cases[i].skipped);
      const PcTestNotification *n;

      pc_notifier_batch_finished (f->notifier, batch);
      pc_test_notification_server_wait_for_notify (f->server, i + 1);
      pc_test_notification_server_sync (f->server);

      n = pc_test_notification_server_get_last (f->server);
      g_assert_cmpstr (n->summary, ==, cases[i].title);
      /* Each batch summary replaces the one before. */
      g_assert_cmpuint (pc_test_notification_server_get_n_open (f->server), ==, 1);
    }

  /* A batch with only successes says what happened in the body. */
  {
    g_autoptr(PcReinviteBatch) batch = make_batch (3, 0, 0);
    g_autoptr(GNotification) built = pc_notifier_build_batch_finished (batch);

    g_assert_nonnull (built);
  }
}

static void
test_reinvitable (Fixture       *f,
                  gconstpointer  data)
{
  const PcTestNotification *n;
  const char *button;

  pc_notifier_became_reinvitable (f->notifier, f->booking);
  pc_test_notification_server_wait_for_notify (f->server, 1);
  pc_test_notification_server_sync (f->server);

  n = pc_test_notification_server_get_last (f->server);
  assert_common (f, n);
  g_assert_cmpstr (n->summary, ==, "NightOwl_77 can be re-invited");
  g_assert_cmpstr (n->body, ==,
                   "The session of booking 4817263 (Sat 14 Jun, 21:30) has passed while the "
                   "booking was pending. You can reject it and invite the client again.");
  g_assert_cmpuint (pc_test_notification_get_n_actions (n), ==, 2);
  g_assert_nonnull (pc_test_notification_get_action_label (n, "default"));

  /* GLib names a button's action by its detailed name. */
  button = pc_test_notification_find_action (n, "app.reinvite-booking");
  g_assert_cmpstr (button, ==, "app.reinvite-booking(int64 4817263)");
  g_assert_cmpstr (pc_test_notification_get_action_label (n, button), ==, "Re-invite…");

  pc_test_notification_server_invoke_action (f->server, n->id, button);
  PC_TEST_WAIT_UNTIL (f->reinvite->len == 1);
  g_assert_cmpint (g_array_index (f->reinvite, gint64, 0), ==, BOOKING_ID);
  g_assert_cmpuint (f->shown->len, ==, 0);
}

static void
test_reinvitable_default (Fixture       *f,
                          gconstpointer  data)
{
  const PcTestNotification *n;

  pc_notifier_became_reinvitable (f->notifier, f->booking);
  pc_test_notification_server_wait_for_notify (f->server, 1);
  pc_test_notification_server_sync (f->server);

  n = pc_test_notification_server_get_last (f->server);
  pc_test_notification_server_invoke_action (f->server, n->id, "default");
  PC_TEST_WAIT_UNTIL (f->shown->len == 1);
  g_assert_cmpint (g_array_index (f->shown, gint64, 0), ==, BOOKING_ID);
  g_assert_cmpuint (f->reinvite->len, ==, 0);
}

static void
test_no_nickname (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(PcBooking) booking = pc_booking_new ();
  const PcTestNotification *n;

  g_object_set (booking, "booking-id", (gint64) 42, NULL);
  pc_notifier_reinvite_finished (f->notifier, booking, NULL);
  pc_test_notification_server_wait_for_notify (f->server, 1);

  n = pc_test_notification_server_get_last (f->server);
  g_assert_cmpstr (n->summary, ==, "The client of booking 42 re-invited");
  g_assert_cmpstr (n->body, ==, "Booking 42 was rejected and the client invited again.");
}

/* Server or client text that a notification server rendering markup would show as
 * bold text and a link. */
#define MARKUP_TEXT "<b>x</b> & <a href=\"http://evil\">y</a>"
#define MARKUP_TEXT_ESCAPED "&lt;b&gt;x&lt;/b&gt; &amp; &lt;a href=\"http://evil\"&gt;y&lt;/a&gt;"

static const char * const caps_plain[] = { "actions", "body", NULL };
static const char * const caps_markup[] = { "actions", "body", "body-markup", NULL };

static void
markup_text_cb (GMarkupParseContext  *context,
                const char           *text,
                gsize                 text_len,
                gpointer              user_data,
                GError              **error)
{
  g_string_append_len (user_data, text, text_len);
}

static void
markup_start_element_cb (GMarkupParseContext  *context,
                         const char           *element_name,
                         const char          **attribute_names,
                         const char          **attribute_values,
                         gpointer              user_data,
                         GError              **error)
{
  /* Only the wrapper: the body itself must not contain elements. */
  g_assert_cmpstr (element_name, ==, "markup");
}

/* Asserts that @body, read as markup (as by a server with body-markup), shows exactly
 * @text. */
static void
assert_renders_as (const char *body,
                   const char *text)
{
  static const GMarkupParser parser = {
    markup_start_element_cb, NULL, markup_text_cb, NULL, NULL
  };
  g_autoptr(GString) shown = g_string_new (NULL);
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *document = g_strconcat ("<markup>", body, "</markup>", NULL);

  context = g_markup_parse_context_new (&parser, G_MARKUP_DEFAULT_FLAGS, shown, NULL);
  g_markup_parse_context_parse (context, document, -1, &error);
  g_assert_no_error (error);
  g_markup_parse_context_end_parse (context, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (shown->str, ==, text);
}

/* A booking whose client's nickname is MARKUP_TEXT. */
static PcBooking *
load_markup_booking (void)
{
  g_autoptr(GBytes) bytes = pc_test_load_data ("received-booking.json");
  g_autoptr(GString) json = g_string_new_len (g_bytes_get_data (bytes, NULL),
                                              g_bytes_get_size (bytes));
  g_autoptr(GBytes) changed = NULL;
  g_autoptr(GError) error = NULL;
  PcBooking *booking;

  g_assert_cmpuint (g_string_replace (json, "\"NightOwl_77\"",
                                      "\"<b>x</b> & <a href=\\\"http://evil\\\">y</a>\"", 0),
                    ==, 1);
  changed = g_string_free_to_bytes (g_steal_pointer (&json));
  booking = pc_json_booking_from_bytes (changed, NULL, &error);
  g_assert_no_error (error);

  return booking;
}

#define FAILURE_LINE "The booking has changed on the server and was not re-invited. Refresh " \
                     "the bookings to see its current state. ("

/* The server's Message and the client's nickname in a failure notification. */
static void
test_markup_failure (Fixture       *f,
                     gconstpointer  data)
{
  gboolean markup = data == caps_markup;
  g_autoptr(PcBooking) booking = load_markup_booking ();
  g_autoptr(GError) error = g_error_new_literal (PC_API_ERROR, PC_API_ERROR_REJECTED,
                                                 MARKUP_TEXT);
  const PcTestNotification *n;

  pc_notifier_reinvite_finished (f->notifier, booking, error);
  pc_test_notification_server_wait_for_notify (f->server, 1);

  n = pc_test_notification_server_get_last (f->server);
  /* The specification makes the summary plain text for every server. */
  g_assert_cmpstr (n->summary, ==, "Re-invite failed: " MARKUP_TEXT);
  if (markup)
    {
      g_assert_cmpstr (n->body, ==, FAILURE_LINE MARKUP_TEXT_ESCAPED ")");
      assert_renders_as (n->body, FAILURE_LINE MARKUP_TEXT ")");
    }
  else
    {
      g_assert_cmpstr (n->body, ==, FAILURE_LINE MARKUP_TEXT ")");
    }
}

/* Client nicknames in the batch summary. */
static void
test_markup_batch (Fixture       *f,
                   gconstpointer  data)
{
  gboolean markup = data == caps_markup;
  g_autoptr(PcReinviteBatch) batch = pc_reinvite_batch_new ("Sorry & <i>sorry</i>");
  g_autoptr(GError) error = g_error_new_literal (PC_API_ERROR, PC_API_ERROR_REJECTED,
                                                 MARKUP_TEXT);
  const PcTestNotification *n;

  pc_reinvite_batch_append (batch, 5000000, MARKUP_TEXT, PC_REINVITE_OUTCOME_FAILED,
                            error->message, error);
  pc_reinvite_batch_append (batch, 5000001, "Tom & Jerry", PC_REINVITE_OUTCOME_SKIPPED,
                            "This booking has been accepted.", NULL);
  pc_notifier_batch_finished (f->notifier, batch);
  pc_test_notification_server_wait_for_notify (f->server, 1);

  n = pc_test_notification_server_get_last (f->server);
  g_assert_cmpstr (n->summary, ==, "Could not re-invite 1 client");
  if (markup)
    {
      g_assert_cmpstr (n->body, ==,
                       "Failed: " MARKUP_TEXT_ESCAPED "\n"
                       "Skipped, not eligible: Tom &amp; Jerry");
      assert_renders_as (n->body, "Failed: " MARKUP_TEXT "\nSkipped, not eligible: Tom & Jerry");
    }
  else
    {
      g_assert_cmpstr (n->body, ==,
                       "Failed: " MARKUP_TEXT "\n"
                       "Skipped, not eligible: Tom & Jerry");
    }
}

/* Text without markup characters reads the same either way (also apostrophes and
 * quotes, which need no escaping outside a tag). */
static void
test_markup_harmless (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = g_error_new_literal (PC_API_ERROR, PC_API_ERROR_REJECTED,
                                                 "It's \"gone\".");
  const PcTestNotification *n;

  pc_notifier_reinvite_finished (f->notifier, f->booking, error);
  pc_test_notification_server_wait_for_notify (f->server, 1);

  n = pc_test_notification_server_get_last (f->server);
  g_assert_cmpstr (n->summary, ==, "Re-invite failed: NightOwl_77");
  g_assert_cmpstr (n->body, ==, FAILURE_LINE "It's \"gone\".)");
  if (data == caps_markup)
    assert_renders_as (n->body, FAILURE_LINE "It's \"gone\".)");
}

/* Another notification server takes over: the notifier asks the new one. */
static void
test_markup_server_replaced (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = g_error_new_literal (PC_API_ERROR, PC_API_ERROR_REJECTED,
                                                 MARKUP_TEXT);
  const PcTestNotification *n;

  pc_notifier_reinvite_finished (f->notifier, f->booking, error);
  pc_test_notification_server_wait_for_notify (f->server, 1);
  n = pc_test_notification_server_get_last (f->server);
  g_assert_cmpstr (n->body, ==, FAILURE_LINE MARKUP_TEXT ")");

  pc_test_notification_server_sync (f->server);
  pc_test_notification_server_shutdown (f->server);
  g_assert_finalize_object (g_steal_pointer (&f->server));

  f->server = pc_test_notification_server_new_with_capabilities (f->bus, caps_markup);
  PC_TEST_WAIT_UNTIL (pc_test_notification_server_get_n_capabilities_calls (f->server) >= 1);
  pc_test_notification_server_sync (f->server);

  pc_notifier_reinvite_finished (f->notifier, f->booking, error);
  pc_test_notification_server_wait_for_notify (f->server, 1);
  n = pc_test_notification_server_get_last (f->server);
  g_assert_cmpstr (n->body, ==, FAILURE_LINE MARKUP_TEXT_ESCAPED ")");
}

/* org.gtk.Notifications as GNOME Shell serves it, recording AddNotification calls. */
static const char gtk_notifications_xml[] =
  "<node>"
  "  <interface name='org.gtk.Notifications'>"
  "    <method name='AddNotification'>"
  "      <arg type='s' name='app_id' direction='in'/>"
  "      <arg type='s' name='id' direction='in'/>"
  "      <arg type='a{sv}' name='notification' direction='in'/>"
  "    </method>"
  "    <method name='RemoveNotification'>"
  "      <arg type='s' name='app_id' direction='in'/>"
  "      <arg type='s' name='id' direction='in'/>"
  "    </method>"
  "  </interface>"
  "</node>";

static void
gtk_notifications_method_cb (GDBusConnection       *connection,
                             const char            *sender,
                             const char            *object_path,
                             const char            *interface_name,
                             const char            *method_name,
                             GVariant              *parameters,
                             GDBusMethodInvocation *invocation,
                             gpointer               user_data)
{
  GPtrArray *added = user_data;

  if (g_str_equal (method_name, "AddNotification"))
    g_ptr_array_add (added, g_variant_get_child_value (parameters, 2));
  g_dbus_method_invocation_return_value (invocation, NULL);
}

static const GDBusInterfaceVTable gtk_notifications_vtable = {
  gtk_notifications_method_cb, NULL, NULL, { 0 }
};

static void
name_acquired_cb (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  *(gboolean *) user_data = TRUE;
}

/* In a process of its own, where GLib picks its backend as it would on a desktop: with
 * org.gtk.Notifications served (as by GNOME Shell), GLib uses it even though an
 * org.freedesktop.Notifications server rendering body markup is there too; Shell shows
 * that body as plain text, so it must arrive unescaped. */
static void
run_gtk_backend (void)
{
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GDBusNodeInfo) node = NULL;
  g_autoptr(GPtrArray) added = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  g_autoptr(PcTestNotificationServer) fdo = NULL;
  g_autoptr(GApplication) app = NULL;
  g_autoptr(PcNotifier) notifier = NULL;
  g_autoptr(PcBooking) booking = load_markup_booking ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) failure = g_error_new_literal (PC_API_ERROR, PC_API_ERROR_REJECTED,
                                                   MARKUP_TEXT);
  const char *title = NULL;
  const char *body = NULL;
  gboolean acquired = FALSE;
  guint registration;
  guint owner;

  g_assert_null (g_getenv ("GNOTIFICATION_BACKEND"));

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);

  fdo = pc_test_notification_server_new_with_capabilities (bus, caps_markup);

  node = g_dbus_node_info_new_for_xml (gtk_notifications_xml, &error);
  g_assert_no_error (error);
  registration = g_dbus_connection_register_object (bus, "/org/gtk/Notifications",
                                                    node->interfaces[0],
                                                    &gtk_notifications_vtable, added,
                                                    NULL, &error);
  g_assert_no_error (error);
  owner = g_bus_own_name_on_connection (bus, "org.gtk.Notifications",
                                        G_BUS_NAME_OWNER_FLAGS_NONE,
                                        name_acquired_cb, NULL, &acquired, NULL);
  PC_TEST_WAIT_UNTIL (acquired);

  app = g_application_new (TEST_APP_ID, G_APPLICATION_NON_UNIQUE);
  g_application_register (app, NULL, &error);
  g_assert_no_error (error);
  notifier = pc_notifier_new (app);
  /* The notifier knows the other server renders markup before it sends. */
  PC_TEST_WAIT_UNTIL (pc_test_notification_server_get_n_capabilities_calls (fdo) >= 1);
  pc_test_notification_server_sync (fdo);

  pc_notifier_reinvite_finished (notifier, booking, failure);
  PC_TEST_WAIT_UNTIL (added->len == 1);

  g_assert_true (g_variant_lookup (added->pdata[0], "title", "&s", &title));
  g_assert_true (g_variant_lookup (added->pdata[0], "body", "&s", &body));
  g_assert_cmpstr (title, ==, "Re-invite failed: " MARKUP_TEXT);
  g_assert_cmpstr (body, ==, FAILURE_LINE MARKUP_TEXT ")");

  /* Nothing went to the other server. */
  pc_test_notification_server_sync (fdo);
  g_assert_cmpuint (pc_test_notification_server_get_n_notify_calls (fdo), ==, 0);

  g_assert_finalize_object (g_steal_pointer (&notifier));
  pc_test_notification_server_shutdown (fdo);
  g_bus_unown_name (owner);
  g_dbus_connection_unregister_object (bus, registration);
  g_assert_finalize_object (g_steal_pointer (&app));
  pc_test_drain_main_context ();
}

static void
test_markup_gtk (void)
{
  g_auto(GStrv) envp = NULL;

  if (g_test_subprocess ())
    {
      run_gtk_backend ();
      return;
    }

  /* GLib picks a backend once per process, and this one is bound to freedesktop. */
  envp = g_get_environ ();
  envp = g_environ_setenv (envp, "PC_TEST_DEFAULT_NOTIFICATION_BACKEND", "1", TRUE);
  g_test_trap_subprocess_with_envp (NULL, (const char * const *) envp, 0,
                                    G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

static void
test_application_gone (void)
{
  g_autoptr(GApplication) app = g_application_new (TEST_APP_ID, G_APPLICATION_NON_UNIQUE);
  g_autoptr(PcNotifier) notifier = pc_notifier_new (app);
  g_autoptr(PcBooking) booking = load_booking ();

  /* Not registered: nothing is sent and nothing complains. */
  pc_notifier_reinvite_finished (notifier, booking, NULL);
  pc_notifier_withdraw_booking (notifier, BOOKING_ID);

  g_assert_finalize_object (g_steal_pointer (&app));
  g_assert_null (pc_notifier_get_application (notifier));
  pc_notifier_became_reinvitable (notifier, booking);
  pc_notifier_withdraw_batch (notifier);
}

int
main (int   argc,
      char *argv[])
{
  /* Before anything can pick a notification backend or read the local zone. The
   * freedesktop backend talks to the test server, except in /notifier/markup/gtk's
   * subprocess, which lets GLib choose as on a desktop. */
  if (g_getenv ("PC_TEST_DEFAULT_NOTIFICATION_BACKEND") == NULL)
    g_setenv ("GNOTIFICATION_BACKEND", "freedesktop", TRUE);
  else
    g_unsetenv ("GNOTIFICATION_BACKEND");
  g_unsetenv ("GIO_USE_PORTALS");
  g_setenv ("TZ", "Europe/London", TRUE);
  g_unsetenv ("GTK_USE_PORTAL");

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    {
      /* Not a skip: a skipped test would pass, and these tests must run. */
      printf ("Bail out! DBUS_SESSION_BUS_ADDRESS is unset: run the suite under "
              "`dbus-run-session -- meson test …`\n");
      return 1;
    }

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  pc_test_init_logging ();
  g_set_application_name ("PhoneChat");

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
#define ADD_CAPS(path, caps, func) \
  g_test_add (path, Fixture, caps, fixture_setup, func, fixture_teardown)

  ADD ("/notifier/reinvite/success", test_reinvite_success);
  ADD ("/notifier/reinvite/failure", test_reinvite_failure);
  ADD ("/notifier/reinvite/outcome-unknown", test_reinvite_outcome_unknown);
  ADD ("/notifier/reinvite/long-message", test_reinvite_long_message);
  ADD ("/notifier/reinvite/cancelled", test_reinvite_cancelled);
  ADD ("/notifier/reinvite/replace", test_reinvite_replace);
  ADD ("/notifier/reinvite/activate", test_reinvite_activate);
  ADD ("/notifier/reinvite/no-nickname", test_no_nickname);
  ADD ("/notifier/withdraw", test_withdraw);
  ADD ("/notifier/batch/summary", test_batch_summary);
  ADD ("/notifier/batch/plurals", test_batch_plurals);
  ADD ("/notifier/reinvitable/button", test_reinvitable);
  ADD ("/notifier/reinvitable/default", test_reinvitable_default);
  ADD_CAPS ("/notifier/markup/failure/body-markup", caps_markup, test_markup_failure);
  ADD_CAPS ("/notifier/markup/failure/plain", caps_plain, test_markup_failure);
  ADD_CAPS ("/notifier/markup/batch/body-markup", caps_markup, test_markup_batch);
  ADD_CAPS ("/notifier/markup/batch/plain", caps_plain, test_markup_batch);
  ADD_CAPS ("/notifier/markup/harmless/body-markup", caps_markup, test_markup_harmless);
  ADD_CAPS ("/notifier/markup/harmless/plain", caps_plain, test_markup_harmless);
  ADD_CAPS ("/notifier/markup/server-replaced", caps_plain, test_markup_server_replaced);
  g_test_add_func ("/notifier/markup/gtk", test_markup_gtk);
  g_test_add_func ("/notifier/application-gone", test_application_gone);

#undef ADD_CAPS
#undef ADD

  return g_test_run ();
}
