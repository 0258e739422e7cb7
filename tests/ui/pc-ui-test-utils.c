/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gstdio.h>

#include "pc-booking.h"
#include "pc-json.h"
#include "pc-outcome-log.h"
#include "pc-ui-test-utils.h"
#include "test-utils.h"

typedef gboolean (*Match) (GtkWidget *widget,
                           gpointer   data);

/* Visible, and not a page a stack (or a similar container) keeps out of view, nor one a
 * stack's transition is taking away. */
static gboolean
is_shown_here (GtkWidget *widget)
{
  GtkWidget *parent = gtk_widget_get_parent (widget);

  if (GTK_IS_STACK (parent) &&
      gtk_stack_get_visible_child (GTK_STACK (parent)) != widget)
    return FALSE;

  return gtk_widget_get_visible (widget) && gtk_widget_get_child_visible (widget);
}

static gboolean
is_shown (GtkWidget *widget)
{
  for (; widget != NULL; widget = gtk_widget_get_parent (widget))
    if (!is_shown_here (widget))
      return FALSE;

  return TRUE;
}

/* Depth first, in widget order; hidden subtrees are skipped. */
static GtkWidget *
find (GtkWidget *root,
      Match      match,
      gpointer   data)
{
  if (!is_shown_here (root))
    return NULL;

  if (match (root, data))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find (child, match, data);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* Visible within @root's own tree is not enough when @root itself is hidden. */
static GtkWidget *
find_shown (GtkWidget *root,
            Match      match,
            gpointer   data)
{
  GtkWidget *found = find (root, match, data);

  return found != NULL && is_shown (found) ? found : NULL;
}

typedef struct
{
  const char *text;
  const char *css_class;
  gboolean    prefix;
} LabelQuery;

static gboolean
match_label (GtkWidget *widget,
             gpointer   data)
{
  LabelQuery *query = data;
  const char *text;

  if (!GTK_IS_LABEL (widget))
    return FALSE;
  if (query->css_class != NULL && !gtk_widget_has_css_class (widget, query->css_class))
    return FALSE;
  if (query->text == NULL)
    return TRUE;

  text = gtk_label_get_text (GTK_LABEL (widget));
  return query->prefix ? g_str_has_prefix (text, query->text) : g_str_equal (text, query->text);
}

GtkLabel *
pc_ui_find_label (GtkWidget  *root,
                  const char *text,
                  const char *css_class)
{
  LabelQuery query = { text, css_class, FALSE };

  return (GtkLabel *) find_shown (root, match_label, &query);
}

GtkLabel *
pc_ui_find_label_by_class (GtkWidget  *root,
                           const char *css_class)
{
  LabelQuery query = { NULL, css_class, FALSE };

  return (GtkLabel *) find_shown (root, match_label, &query);
}

GtkLabel *
pc_ui_find_label_prefix (GtkWidget  *root,
                         const char *prefix)
{
  LabelQuery query = { prefix, NULL, TRUE };

  return (GtkLabel *) find_shown (root, match_label, &query);
}

static gboolean
match_group (GtkWidget *widget,
             gpointer   data)
{
  return ADW_IS_PREFERENCES_GROUP (widget) &&
         g_strcmp0 (adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (widget)), data) == 0;
}

AdwPreferencesGroup *
pc_ui_find_group (GtkWidget  *root,
                  const char *title)
{
  return (AdwPreferencesGroup *) find_shown (root, match_group, (gpointer) title);
}

/* What a row's title reads as: without the mnemonic underline. */
static gboolean
row_title_is (GtkWidget  *widget,
              const char *title)
{
  AdwPreferencesRow *row = ADW_PREFERENCES_ROW (widget);
  g_autoptr(GString) text = g_string_new (adw_preferences_row_get_title (row));

  if (adw_preferences_row_get_use_underline (row))
    g_string_replace (text, "_", "", 0);
  return g_strcmp0 (text->str, title) == 0;
}

static gboolean
match_row (GtkWidget *widget,
           gpointer   data)
{
  return ADW_IS_ACTION_ROW (widget) && row_title_is (widget, data);
}

static gboolean
match_entry_row (GtkWidget *widget,
                 gpointer   data)
{
  return ADW_IS_ENTRY_ROW (widget) && row_title_is (widget, data);
}

AdwEntryRow *
pc_ui_find_entry_row (GtkWidget  *root,
                      const char *title)
{
  return (AdwEntryRow *) find_shown (root, match_entry_row, (gpointer) title);
}

AdwActionRow *
pc_ui_find_row (GtkWidget  *root,
                const char *group,
                const char *title)
{
  GtkWidget *scope = root;

  if (group != NULL)
    {
      scope = GTK_WIDGET (pc_ui_find_group (root, group));
      if (scope == NULL)
        return NULL;
    }

  return (AdwActionRow *) find_shown (scope, match_row, (gpointer) title);
}

const char *
pc_ui_row_value (GtkWidget  *root,
                 const char *group,
                 const char *title)
{
  AdwActionRow *row = pc_ui_find_row (root, group, title);

  if (row == NULL)
    g_error ("No row “%s” shown%s%s", title, group ? " in " : "", group ? group : "");

  return adw_action_row_get_subtitle (row);
}

/* What the button reads as: its label without the mnemonic underline. */
static char *
dup_button_text (GtkButton *button)
{
  const char *label = gtk_button_get_label (button);
  GString *text;

  if (label == NULL && GTK_IS_LABEL (gtk_button_get_child (button)))
    return g_strdup (gtk_label_get_text (GTK_LABEL (gtk_button_get_child (button))));
  if (label == NULL)
    return NULL;

  text = g_string_new (label);
  if (gtk_button_get_use_underline (button))
    g_string_replace (text, "_", "", 0);
  return g_string_free (text, FALSE);
}

static gboolean
match_button (GtkWidget *widget,
              gpointer   data)
{
  g_autofree char *text = NULL;

  if (!GTK_IS_BUTTON (widget))
    return FALSE;

  text = dup_button_text (GTK_BUTTON (widget));
  return g_strcmp0 (text, data) == 0;
}

GtkButton *
pc_ui_find_button (GtkWidget  *root,
                   const char *label)
{
  return (GtkButton *) find_shown (root, match_button, (gpointer) label);
}

static gboolean
match_type (GtkWidget *widget,
            gpointer   data)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (data));
}

GtkWidget *
pc_ui_find_type (GtkWidget *root,
                 GType      type)
{
  return find_shown (root, match_type, GSIZE_TO_POINTER (type));
}

void
pc_ui_forget_outcomes (void)
{
  g_autofree char *path = pc_outcome_log_dup_default_path ();
  const char *state = g_getenv ("XDG_STATE_HOME");

  /* Each UI test program's own: tests/ui/state-…, tests/faults/state-faults-ui. */
  if (state == NULL || strstr (state, "/tests/") == NULL || strstr (state, "/state-") == NULL)
    g_error ("XDG_STATE_HOME is not the test's own: run this test through meson");

  if (g_unlink (path) != 0 && errno != ENOENT)
    g_error ("Could not remove %s: %s", path, g_strerror (errno));
}

/* Another program's window over @window: presented (again, once mapped, which moves the
 * keyboard focus to it) until it is active and @window is not. */
void
pc_ui_cover_window (GtkWindow  *window,
                    GtkWindow **other)
{
  if (*other == NULL)
    {
      *other = GTK_WINDOW (gtk_window_new ());
      gtk_window_set_title (*other, "Another program");
      gtk_window_set_default_size (*other, 200, 100);
    }
  gtk_window_present (*other);
  PC_TEST_WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (*other)));
  gtk_window_present (*other);
  PC_TEST_WAIT_UNTIL (gtk_window_is_active (*other) && !gtk_window_is_active (window));
}

void
pc_ui_uncover_window (GtkWindow *window,
                      GtkWindow *other)
{
  if (other != NULL)
    gtk_widget_set_visible (GTK_WIDGET (other), FALSE);
  gtk_window_present (window);
  PC_TEST_WAIT_UNTIL (gtk_window_is_active (window));
}

void
pc_ui_destroy_windows (GtkApplication *application)
{
  GList *windows;

  while ((windows = gtk_application_get_windows (application)) != NULL)
    gtk_window_destroy (windows->data);
  pc_test_drain_main_context ();
}

static int
exit_at_once_cb (GApplication *application,
                 GVariantDict *options,
                 gpointer      user_data)
{
  return 0;
}

void
pc_ui_shut_down_application (GApplication *application)
{
  char *argv[] = { (char *) g_get_prgname (), NULL };
  gulong id;

  id = g_signal_connect (application, "handle-local-options",
                         G_CALLBACK (exit_at_once_cb), NULL);
  g_assert_cmpint (g_application_run (application, 1, argv), ==, 0);
  g_signal_handler_disconnect (application, id);
}

PcBookingRow *
pc_ui_find_booking_row (GtkWidget *root,
                        gint64     booking_id)
{
  if (PC_IS_BOOKING_ROW (root))
    {
      PcBooking *booking = pc_booking_row_get_booking (PC_BOOKING_ROW (root));

      if (booking != NULL && pc_booking_get_booking_id (booking) == booking_id)
        return PC_BOOKING_ROW (root);
    }

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      PcBookingRow *row = pc_ui_find_booking_row (child, booking_id);

      if (row != NULL)
        return row;
    }

  return NULL;
}

void
pc_ui_window_fixture_set_up (PcUiWindowFixture *f,
                             guint              n_bookings)
{
  g_autoptr(GDateTime) now = pc_test_utc (2025, 6, 15, 12, 0, 0);
  g_autoptr(GTimeZone) zone = pc_json_get_default_zone ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (TEST_UI_DATA_DIR, "bookings.json", NULL);

  pc_ui_forget_outcomes ();
  f->clock = pc_clock_new_fixed (now);
  f->store = pc_booking_store_new (f->clock);

  f->sandbox = pc_sandbox_new (f->clock, NULL);
  pc_sandbox_load_file (f->sandbox, path, &error);
  g_assert_no_error (error);
  pc_sandbox_listen (f->sandbox, 0, &error);
  g_assert_no_error (error);

  f->session = soup_session_new ();
  f->api = pc_api_new (f->session, pc_sandbox_get_url (f->sandbox), &error);
  g_assert_no_error (error);
  pc_api_set_token (f->api, PC_SANDBOX_DEFAULT_TOKEN);
  pc_api_set_zone (f->api, zone);

  f->loader = pc_booking_loader_new (f->api, f->store);
  f->reinviter = pc_reinviter_new (f->api, f->store);
  f->window = g_object_ref_sink (pc_window_new (NULL, f->loader, NULL));
  pc_window_set_reinviter (f->window, f->reinviter);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1000, 700);
  gtk_window_present (GTK_WINDOW (f->window));

  PC_TEST_WAIT_UNTIL (pc_booking_loader_get_loaded (f->loader) &&
                      !pc_booking_loader_get_loading (f->loader) &&
                      g_list_model_get_n_items (G_LIST_MODEL (f->store)) == n_bookings);
}

void
pc_ui_window_fixture_tear_down (PcUiWindowFixture *f)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_object (&f->window);
  while (g_main_context_iteration (NULL, FALSE));

  pc_booking_loader_cancel (f->loader);
  g_clear_object (&f->reinviter);
  g_clear_object (&f->loader);
  g_clear_object (&f->store);
  g_clear_object (&f->api);
  g_clear_object (&f->session);
  while (g_main_context_iteration (NULL, FALSE));

  pc_sandbox_stop (f->sandbox);
  g_clear_object (&f->sandbox);
  g_clear_object (&f->clock);
}

gpointer
pc_ui_window_child (PcWindow   *window,
                    const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (window), PC_TYPE_WINDOW, name);

  g_assert_nonnull (child);
  return child;
}
