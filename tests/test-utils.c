/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "pc-outcome-log.h"
#include "test-utils.h"

static void
drop_debug_log (const char     *log_domain,
                GLogLevelFlags  log_level,
                const char     *message,
                gpointer        user_data)
{
}

void
pc_test_init_logging (void)
{
  g_log_set_handler ("GLib-GIO", G_LOG_LEVEL_DEBUG | G_LOG_LEVEL_INFO, drop_debug_log, NULL);
  g_log_set_handler ("GLib", G_LOG_LEVEL_DEBUG | G_LOG_LEVEL_INFO, drop_debug_log, NULL);
  g_log_set_handler ("libsoup", G_LOG_LEVEL_DEBUG | G_LOG_LEVEL_INFO, drop_debug_log, NULL);
}

GBytes *
pc_test_load_data (const char *name)
{
  g_autofree char *path = g_build_filename (TEST_DATA_DIR, name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize len = 0;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, len);
}

GDateTime *
pc_test_utc (int    year,
             int    month,
             int    day,
             int    hour,
             int    minute,
             double seconds)
{
  return g_date_time_new_utc (year, month, day, hour, minute, seconds);
}

struct _PcNotifyCounter
{
  GObject    *object;
  GHashTable *counts; /* name → count */
  gulong      handler;
};

static void
notify_cb (GObject    *object,
           GParamSpec *pspec,
           gpointer    user_data)
{
  PcNotifyCounter *counter = user_data;
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counter->counts, pspec->name));

  g_hash_table_insert (counter->counts, (gpointer) pspec->name, GUINT_TO_POINTER (n + 1));
}

PcNotifyCounter *
pc_notify_counter_new (gpointer object)
{
  PcNotifyCounter *counter = g_new0 (PcNotifyCounter, 1);

  counter->object = g_object_ref (object);
  counter->counts = g_hash_table_new (g_str_hash, g_str_equal);
  counter->handler = g_signal_connect (object, "notify", G_CALLBACK (notify_cb), counter);
  return counter;
}

guint
pc_notify_counter_get (PcNotifyCounter *counter,
                       const char      *property)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (counter->counts, property));
}

guint
pc_notify_counter_total (PcNotifyCounter *counter)
{
  GHashTableIter iter;
  gpointer value;
  guint total = 0;

  g_hash_table_iter_init (&iter, counter->counts);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    total += GPOINTER_TO_UINT (value);
  return total;
}

void
pc_notify_counter_reset (PcNotifyCounter *counter)
{
  g_hash_table_remove_all (counter->counts);
}

void
pc_notify_counter_free (PcNotifyCounter *counter)
{
  g_signal_handler_disconnect (counter->object, counter->handler);
  g_object_unref (counter->object);
  g_hash_table_unref (counter->counts);
  g_free (counter);
}

struct _PcTestDeadline
{
  guint    source_id;
  guint    tick_id;
  gboolean expired;
  guint    timeout_ms;
};

static gboolean
deadline_expired_cb (gpointer user_data)
{
  PcTestDeadline *deadline = user_data;

  deadline->expired = TRUE;
  deadline->source_id = 0;
  return G_SOURCE_REMOVE;
}

static gboolean
deadline_tick_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* The test setups that slow code down (`meson test --setup asan`) set
 * PC_TEST_TIMEOUT_MULTIPLIER, as meson multiplies its own timeouts. */
static guint
timeout_multiplier (void)
{
  static guint multiplier;

  if (multiplier == 0)
    {
      const char *text = g_getenv ("PC_TEST_TIMEOUT_MULTIPLIER");
      guint64 value = 1;

      if (text != NULL && !g_ascii_string_to_unsigned (text, 10, 1, 100, &value, NULL))
        g_error ("PC_TEST_TIMEOUT_MULTIPLIER=%s: not a number from 1 to 100", text);
      multiplier = (guint) value;
    }

  return multiplier;
}

/* A client-side timeout that the request must outlast on its way out (connect, write)
 * before the server can hold it: slowed down as the test setup slows the code down. */
guint
pc_test_scale_seconds (guint seconds)
{
  return seconds * timeout_multiplier ();
}

PcTestDeadline *
pc_test_deadline_new (guint timeout_ms)
{
  PcTestDeadline *deadline = g_new0 (PcTestDeadline, 1);

  timeout_ms *= timeout_multiplier ();

  /* A timeout source wakes the blocking iteration up, so a condition that never comes
   * true fails the test instead of hanging it. */
  deadline->timeout_ms = timeout_ms;
  deadline->source_id = g_timeout_add (timeout_ms, deadline_expired_cb, deadline);
  deadline->tick_id = g_timeout_add (10, deadline_tick_cb, NULL);
  return deadline;
}

void
pc_test_deadline_iterate (PcTestDeadline *deadline,
                          const char     *what)
{
  if (deadline->expired)
    g_error ("Timed out after %u ms waiting until %s", deadline->timeout_ms, what);

  g_main_context_iteration (NULL, TRUE);
}

void
pc_test_deadline_free (PcTestDeadline *deadline)
{
  g_clear_handle_id (&deadline->source_id, g_source_remove);
  g_clear_handle_id (&deadline->tick_id, g_source_remove);
  g_free (deadline);
}

GDateTime *
pc_test_outcome_lookup (const char *scope,
                        gint64      booking_id)
{
  g_autoptr(PcOutcomeLog) log = pc_outcome_log_new (NULL, scope);

  g_assert_true (pc_outcome_log_load (log, NULL));
  return pc_outcome_log_lookup (log, booking_id);
}

gboolean
pc_test_outcome_marked (const char *scope,
                        gint64      booking_id)
{
  g_autoptr(GDateTime) sent = pc_test_outcome_lookup (scope, booking_id);

  return sent != NULL;
}

void
pc_test_drain_main_context (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

void
pc_test_store_result_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  GAsyncResult **out = user_data;

  g_assert_null (*out);
  *out = g_object_ref (result);
}

guint
pc_test_browser_get (SoupSession  *browser,
                     const char   *url,
                     gboolean      follow,
                     char        **location,
                     char        **body,
                     char        **final_path,
                     GError      **error)
{
  g_autoptr(SoupMessage) msg = soup_message_new (SOUP_METHOD_GET, url);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) bytes = NULL;

  g_assert_nonnull (msg);
  if (!follow)
    soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  soup_session_send_and_read_async (browser, msg, G_PRIORITY_DEFAULT, NULL, pc_test_store_result_cb,
                                    &result);
  PC_TEST_WAIT_UNTIL (result != NULL);
  bytes = soup_session_send_and_read_finish (browser, result, error);
  if (bytes == NULL)
    return 0;

  if (location != NULL)
    *location = g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                        "Location"));
  if (body != NULL)
    *body = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  if (final_path != NULL)
    *final_path = g_strdup (g_uri_get_path (soup_message_get_uri (msg)));
  return soup_message_get_status (msg);
}

GDateTime *
pc_test_booking_date (gpointer    booking,
                      const char *property)
{
  g_autofree char *key = g_strconcat ("pc-test-date-", property, NULL);
  GDateTime *date = NULL;

  g_object_get (booking, property, &date, NULL);
  g_object_set_data_full (G_OBJECT (booking), key, date,
                          date != NULL ? (GDestroyNotify) g_date_time_unref : NULL);
  return date;
}
