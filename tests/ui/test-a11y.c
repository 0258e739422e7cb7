/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <locale.h>

#include "pc-api.h"
#include "pc-batch-reinvite-dialog.h"
#include "pc-booking.h"
#include "pc-booking-loader.h"
#include "pc-booking-store.h"
#include "pc-clock.h"
#include "pc-json.h"
#include "pc-preferences-dialog.h"
#include "pc-reinvite-dialog.h"
#include "pc-reinviter.h"
#include "pc-sandbox.h"
#include "pc-session.h"
#include "pc-sign-in-dialog.h"
#include "pc-window.h"
#include "pc-ui-test-utils.h"
#include "test-utils.h"

/* Every control of the main window within reach of the keyboard, and every icon-only
 * button named for screen readers, in a real window under Xvfb against the in-process
 * sandbox serving tests/ui/data/bookings.json, with the clock standing still at
 * 2025-06-15 12:00 UTC:
 *
 *   4815502 Accepted  session 2025-06-16 21:00Z quiet_caller   can be cancelled
 *   4820001 Pending   session 2025-06-15 17:00Z early_bird     can be accepted or rejected
 *   4817263 Pending   session 2025-06-14 20:30Z NightOwl_77    can be re-invited or rejected
 *   4805555 Rejected  2025-06-01               LondonLad_88    can be deleted
 *
 * Tab is the window's "move-focus" keybinding signal, which is what the Tab key emits:
 * GTK moves the focus on to the next widget in its focus order, to none past the last
 * one, and from none to the first. GTK_A11Y=test keeps the accessible properties without
 * an AT-SPI bus (tests/a11y talks to the real one). */

#define N_BOOKINGS   6
#define QUIET_CALLER 4815502
#define EARLY_BIRD   4820001
#define NIGHT_OWL    4817263
#define LONDON_LAD   4805555

/* More than any window of the application has stops: a chain that does not come back
 * by then is stuck in a loop. */
#define MAX_STOPS    200

typedef PcUiWindowFixture Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  pc_ui_window_fixture_set_up (f, N_BOOKINGS);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  pc_ui_window_fixture_tear_down (f);
}

/* Helpers */

static gpointer
window_child (Fixture    *f,
              const char *name)
{
  return pc_ui_window_child (f->window, name);
}

static GtkWidget *
page (Fixture *f)
{
  return window_child (f, "booking_page");
}

static void
select_booking (Fixture *f,
                gint64   booking_id)
{
  pc_window_show_booking (f->window, booking_id);
  g_assert_nonnull (pc_window_get_selected_booking (f->window));
  g_assert_cmpint (pc_booking_get_booking_id (pc_window_get_selected_booking (f->window)), ==, booking_id);
}

/* The first label text under @widget that is visible, or NULL. */
static const char *
first_text (GtkWidget *widget)
{
  if (!gtk_widget_get_visible (widget))
    return NULL;

  if (GTK_IS_LABEL (widget) && *gtk_label_get_text (GTK_LABEL (widget)) != '\0')
    return gtk_label_get_text (GTK_LABEL (widget));

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      const char *text = first_text (child);

      if (text != NULL)
        return text;
    }

  return NULL;
}

/* How the focus chain is printed: the widget's type and what it shows. */
static char *
describe (GtkWidget *widget)
{
  const char *text = first_text (widget);
  const char *icon = NULL;

  if (text == NULL && GTK_IS_BUTTON (widget))
    icon = gtk_button_get_icon_name (GTK_BUTTON (widget));
  if (text == NULL && icon == NULL && GTK_IS_BUTTON (widget) &&
      GTK_IS_IMAGE (gtk_button_get_child (GTK_BUTTON (widget))))
    icon = gtk_image_get_icon_name (GTK_IMAGE (gtk_button_get_child (GTK_BUTTON (widget))));
  if (text == NULL && icon == NULL)
    text = gtk_widget_get_tooltip_text (widget);

  if (text != NULL)
    return g_strdup_printf ("%s “%s”", G_OBJECT_TYPE_NAME (widget), text);
  if (icon != NULL)
    return g_strdup_printf ("%s [%s]", G_OBJECT_TYPE_NAME (widget), icon);
  /* Where it is, at least. */
  return g_strdup_printf ("%s in %s", G_OBJECT_TYPE_NAME (widget),
                          G_OBJECT_TYPE_NAME (gtk_widget_get_parent (widget)));
}

/* Presses Tab in @window until the focus is back where the first press put it, and
 * returns the widgets it stopped at in order (each once), after printing them. Fails
 * if the chain is empty, visits a widget twice before coming back (a loop that traps
 * the keyboard), or does not come back. */
static GPtrArray *
record_focus_chain (GtkWindow *window)
{
  g_autoptr(GPtrArray) chain = g_ptr_array_new ();
  GtkWidget *first = NULL;
  guint n_none = 0;
  gboolean cycled = FALSE;

  gtk_window_set_focus (window, NULL);
  for (guint i = 0; i < MAX_STOPS && !cycled; i++)
    {
      GtkWidget *focus;

      g_signal_emit_by_name (window, "move-focus", GTK_DIR_TAB_FORWARD);
      focus = gtk_root_get_focus (GTK_ROOT (window));

      if (focus == NULL)
        {
          /* Past the last widget: the next Tab starts over. */
          g_test_message ("tab %u: (past the last widget)", i + 1);
          if (++n_none > 1 && chain->len == 0)
            g_error ("Tab focuses nothing in the window");
          continue;
        }

      if (focus == first)
        {
          g_test_message ("tab %u: back at the first widget", i + 1);
          cycled = TRUE;
          break;
        }

      {
        g_autofree char *description = describe (focus);

        g_test_message ("tab %u: %s", i + 1, description);
        if (g_ptr_array_find (chain, focus, NULL))
          g_error ("Tab reached %s a second time before coming back to the start",
                   description);
      }

      if (first == NULL)
        first = focus;
      g_ptr_array_add (chain, focus);
    }

  if (!cycled)
    g_error ("Tab did not come back to the first widget within %u presses", MAX_STOPS);
  /* Once past the end, as GTK does, and only once. */
  g_assert_cmpuint (n_none, <=, 1);

  return g_steal_pointer (&chain);
}

/* Whether Tab stops at @widget or at a widget inside it. */
static gboolean
in_chain (GPtrArray *chain,
          GtkWidget *widget)
{
  for (guint i = 0; i < chain->len; i++)
    {
      GtkWidget *stop = g_ptr_array_index (chain, i);

      if (stop == widget || gtk_widget_is_ancestor (stop, widget))
        return TRUE;
    }

  return FALSE;
}

static void
assert_in_chain (GPtrArray  *chain,
                 GtkWidget  *widget,
                 const char *what)
{
  g_assert_nonnull (widget);
  if (!in_chain (chain, widget))
    {
      g_autofree char *description = describe (widget);

      g_error ("Tab never reaches %s (%s)", what, description);
    }
}

/* Every button the user sees and can use (drawn, sensitive) under @widget, the booking
 * list's rows and the filters' toggles left out: as in any list or group of radio
 * buttons, Tab enters and leaves them at one place and arrows move within. The title
 * buttons (minimize, maximize, close) are left out too: GTK keeps them out of the focus
 * order in every application; Ctrl+W closes the window, and the desktop's own keys
 * minimize and maximize it. */
static void
collect_usable_buttons (GtkWidget *widget,
                        GtkWidget *list,
                        GPtrArray *buttons)
{
  if (widget == list || ADW_IS_TOGGLE_GROUP (widget) || GTK_IS_WINDOW_CONTROLS (widget) ||
      !gtk_widget_is_drawable (widget) || !gtk_widget_is_sensitive (widget))
    return;

  if (GTK_IS_BUTTON (widget) || GTK_IS_MENU_BUTTON (widget))
    {
      g_ptr_array_add (buttons, widget);
      /* A menu button is one control. */
      if (GTK_IS_MENU_BUTTON (widget))
        return;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_usable_buttons (child, list, buttons);
}

static gboolean
all_allocated (GPtrArray *widgets)
{
  for (guint i = 0; i < widgets->len; i++)
    if (gtk_widget_get_width (g_ptr_array_index (widgets, i)) <= 0 ||
        gtk_widget_get_height (g_ptr_array_index (widgets, i)) <= 0)
      return FALSE;

  return TRUE;
}

/* Tab stops once in @group, at its active toggle; Right and Left reach the others from
 * there, as in any group of radio buttons. */
static void
check_arrows_reach_all (GPtrArray *chain,
                        GtkWidget *group)
{
  GtkWidget *start = NULL;
  GtkRoot *root = gtk_widget_get_root (group);
  guint n_toggles = 0;

  for (guint i = 0; i < chain->len && start == NULL; i++)
    if (gtk_widget_is_ancestor (g_ptr_array_index (chain, i), group))
      start = g_ptr_array_index (chain, i);
  g_assert_nonnull (start);

  for (GtkWidget *toggle = gtk_widget_get_first_child (group);
       toggle != NULL;
       toggle = gtk_widget_get_next_sibling (toggle))
    {
      gboolean reached = FALSE;

      if (!GTK_IS_BUTTON (toggle) || !gtk_widget_is_drawable (toggle))
        continue;
      n_toggles++;

      for (int direction = GTK_DIR_LEFT; direction <= GTK_DIR_RIGHT && !reached; direction++)
        {
          if (direction != GTK_DIR_LEFT && direction != GTK_DIR_RIGHT)
            continue;
          gtk_widget_grab_focus (start);
          for (guint i = 0; i < 10 && !reached; i++)
            {
              reached = gtk_root_get_focus (root) == toggle;
              if (!reached && !gtk_widget_child_focus (group, direction))
                break;
            }
          reached = reached || gtk_root_get_focus (root) == toggle;
        }

      if (!reached)
        {
          g_autofree char *description = describe (toggle);

          g_error ("Neither Left nor Right reaches %s from the filter Tab stops at", description);
        }
    }

  /* Needs Action, Upcoming, History, All. */
  g_assert_cmpuint (n_toggles, ==, 4);
  gtk_widget_grab_focus (start);
}

/* The window's controls are in the Tab chain: the header's, the filters, the list, and
 * every button on screen (the details' actions among them). */
static GPtrArray *
check_window_chain (Fixture *f)
{
  g_autoptr(GPtrArray) chain = NULL;
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  GtkWidget *list = window_child (f, "list_view");
  GtkWidget *refresh = window_child (f, "refresh_button");

  /* Tab follows the widgets' places on screen, and passes over a widget that has none
   * yet: wait until every button shown has its place (a button just shown gets it in
   * the next layout, with everything else that moved). */
  collect_usable_buttons (GTK_WIDGET (f->window), list, buttons);
  PC_TEST_WAIT_UNTIL (gtk_widget_get_height (list) > 0 && all_allocated (buttons));

  chain = record_focus_chain (GTK_WINDOW (f->window));
  g_assert_cmpuint (chain->len, >=, 6);

  /* Selection mode shows Cancel in place of the header's other buttons. */
  if (!pc_window_get_selection_mode (f->window))
    {
      assert_in_chain (chain, window_child (f, "menu_button"), "the main menu button");
      assert_in_chain (chain, window_child (f, "search_button"), "the search button");
      if (gtk_widget_is_drawable (refresh))
        assert_in_chain (chain, refresh, "the refresh button");
      assert_in_chain (chain, window_child (f, "selection_button"), "the selection mode button");
    }
  assert_in_chain (chain, window_child (f, "filter_group"), "the filters");
  check_arrows_reach_all (chain, window_child (f, "filter_group"));
  assert_in_chain (chain, list, "the booking list");

  for (guint i = 0; i < buttons->len; i++)
    assert_in_chain (chain, g_ptr_array_index (buttons, i), "a button on screen");

  return g_steal_pointer (&chain);
}

/* Tests */

typedef struct
{
  gint64      booking_id;
  const char *buttons[4];   /* the actions the details offer, by label */
} ChainCase;

static const ChainCase reinvitable_case = { NIGHT_OWL, { "Reject…", "Re-invite…" } };
static const ChainCase pending_case = { EARLY_BIRD, { "Accept…", "Reject…" } };
static const ChainCase accepted_case = { QUIET_CALLER, { "Cancel Booking…" } };
static const ChainCase finished_case = { LONDON_LAD, { "Delete…" } };

static void
test_chain_booking (Fixture       *f,
                    gconstpointer  data)
{
  const ChainCase *chain_case = data;
  g_autoptr(GPtrArray) chain = NULL;

  select_booking (f, chain_case->booking_id);
  chain = check_window_chain (f);

  for (guint i = 0; i < G_N_ELEMENTS (chain_case->buttons) && chain_case->buttons[i] != NULL; i++)
    {
      GtkButton *button = pc_ui_find_button (page (f), chain_case->buttons[i]);

      if (button == NULL)
        g_error ("The details show no button “%s”", chain_case->buttons[i]);
      g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (button)));
      assert_in_chain (chain, GTK_WIDGET (button), chain_case->buttons[i]);
    }
}

/* Nothing selected: the list, header and filters still make a chain. */
static void
test_chain_nothing_selected (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GPtrArray) chain = NULL;

  g_assert_null (pc_window_get_selected_booking (f->window));
  chain = check_window_chain (f);
}

/* With the search bar open, its entry is in the chain. */
static void
test_chain_search (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) chain = NULL;

  g_action_group_activate_action (G_ACTION_GROUP (f->window), "search", NULL);
  PC_TEST_WAIT_UNTIL (gtk_widget_get_height (window_child (f, "search_entry")) > 0);
  chain = check_window_chain (f);
  assert_in_chain (chain, window_child (f, "search_entry"), "the search entry");
}

/* In selection mode, the selection bar's buttons are in the chain. */
static void
test_chain_selection_mode (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GPtrArray) chain = NULL;

  g_action_group_change_action_state (G_ACTION_GROUP (f->window), "selection-mode",
                                      g_variant_new_boolean (TRUE));
  g_action_group_activate_action (G_ACTION_GROUP (f->window), "select-reinvitable", NULL);
  PC_TEST_WAIT_UNTIL (gtk_widget_get_height (window_child (f, "batch_button")) > 0);
  chain = check_window_chain (f);
  assert_in_chain (chain, window_child (f, "cancel_selection_button"), "Cancel");
  assert_in_chain (chain, GTK_WIDGET (pc_ui_find_button (window_child (f, "selection_bar"), "Select Re-invitable")),
                   "Select Re-invitable");
  assert_in_chain (chain, window_child (f, "batch_button"), "the batch re-invite button");
  assert_in_chain (chain, pc_ui_find_type (window_child (f, "selection_bar"), GTK_TYPE_MENU_BUTTON),
                   "the selection's menu");
}

/* The re-invite dialog keeps the keyboard inside it: its chain cycles through the
 * reason, Cancel and Re-invite, and nothing of the window behind it. */
static void
test_chain_reinvite_dialog (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GPtrArray) chain = NULL;
  PcReinviteDialog *dialog;
  GtkWidget *send;

  select_booking (f, NIGHT_OWL);
  g_action_group_activate_action (G_ACTION_GROUP (f->window), "reinvite", NULL);
  dialog = pc_window_get_reinvite_dialog (f->window);
  g_assert_nonnull (dialog);
  PC_TEST_WAIT_UNTIL (pc_ui_find_button (GTK_WIDGET (dialog), "Re-invite") != NULL &&
                      gtk_widget_get_height (GTK_WIDGET (pc_ui_find_button (GTK_WIDGET (dialog), "Re-invite"))) > 0);
  send = GTK_WIDGET (pc_ui_find_button (GTK_WIDGET (dialog), "Re-invite"));

  chain = record_focus_chain (GTK_WINDOW (f->window));
  for (guint i = 0; i < chain->len; i++)
    g_assert_true (gtk_widget_is_ancestor (g_ptr_array_index (chain, i), GTK_WIDGET (dialog)));
  assert_in_chain (chain, pc_ui_find_type (GTK_WIDGET (dialog), GTK_TYPE_TEXT_VIEW), "the reason");
  assert_in_chain (chain, GTK_WIDGET (pc_ui_find_button (GTK_WIDGET (dialog), "Cancel")), "Cancel");
  assert_in_chain (chain, send, "Re-invite");

  adw_dialog_force_close (ADW_DIALOG (dialog));
}

/* Accessible labels */

/* Whether @widget shows any text: a visible, non-empty label in it. */
static gboolean
shows_text (GtkWidget *widget)
{
  if (!gtk_widget_get_visible (widget))
    return FALSE;

  if (GTK_IS_LABEL (widget))
    return *gtk_label_get_text (GTK_LABEL (widget)) != '\0';

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (shows_text (child))
      return TRUE;

  return FALSE;
}

static gboolean
has_accessible_name (GtkWidget *widget)
{
  return gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL) ||
         gtk_test_accessible_has_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
}

/* Every icon-only button under @root has an accessible name: a tooltip is not one.
 * Buttons count when they are visible themselves, whether or not what holds them is
 * shown now (a page of a stack, a bar not revealed yet); one hidden itself, or by the
 * revealer right around it, is left to the tests of the state that shows it
 * (GtkSearchBar's close button, which this application never shows, has no name, nor
 * has the apply button of an entry row without one). The inner button of a menu button
 * is the menu button's own part, which passes its name on. Returns how many were
 * checked. */
static guint
check_icon_buttons (GtkWidget  *root,
                    const char *where)
{
  guint n = 0;

  /* Its − and + are its own parts, outside the focus order: Up and Down change the
   * value, and the spin button is what is named (GTK 4.18 leaves the parts unnamed). */
  if (GTK_IS_SPIN_BUTTON (root))
    return 0;

  if (((GTK_IS_BUTTON (root) && !GTK_IS_MENU_BUTTON (gtk_widget_get_parent (root))) ||
       GTK_IS_MENU_BUTTON (root)) &&
      gtk_widget_get_visible (root) && gtk_widget_get_child_visible (root))
    {
      if (!shows_text (root))
        {
          g_autofree char *description = describe (root);

          n++;
          g_test_message ("%s: icon-only %s", where, description);
          if (!has_accessible_name (root))
            g_error ("In %s, the icon-only %s has no accessible label", where, description);
        }
    }

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += check_icon_buttons (child, where);

  return n;
}

/* The first button under @widget, shown or not. */
static GtkWidget *
find_button (GtkWidget *widget)
{
  if (GTK_IS_BUTTON (widget))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *button = find_button (child);

      if (button != NULL)
        return button;
    }

  return NULL;
}

/* The first button under @widget that shows @icon, shown or not. */
static GtkWidget *
find_icon_button (GtkWidget  *widget,
                  const char *icon)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_icon_name (GTK_BUTTON (widget)), icon) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *button = find_icon_button (child, icon);

      if (button != NULL)
        return button;
    }

  return NULL;
}

/* Types into every entry row under @root that has an apply button, which shows it.
 * Returns how many. */
static guint
edit_entry_rows (GtkWidget *root)
{
  guint n = 0;

  if (ADW_IS_ENTRY_ROW (root) && adw_entry_row_get_show_apply_button (ADW_ENTRY_ROW (root)))
    {
      g_autofree char *text = g_strconcat (gtk_editable_get_text (GTK_EDITABLE (root)), "x", NULL);
      GtkWidget *apply;

      /* The row shows the button for what the user types in it. */
      g_assert_true (gtk_widget_grab_focus (root));
      gtk_editable_set_text (GTK_EDITABLE (root), text);
      apply = find_button (root);
      g_assert_nonnull (apply);
      PC_TEST_WAIT_UNTIL (gtk_widget_get_child_visible (apply));
      return 1;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += edit_entry_rows (child);

  return n;
}

static AdwDialog *
visible_dialog (Fixture *f)
{
  return adw_application_window_get_visible_dialog (ADW_APPLICATION_WINDOW (f->window));
}

static void
check_dialog (Fixture    *f,
              AdwDialog  *dialog,
              const char *where)
{
  g_assert_nonnull (dialog);
  PC_TEST_WAIT_UNTIL (visible_dialog (f) == dialog && gtk_widget_get_mapped (GTK_WIDGET (dialog)));
  check_icon_buttons (GTK_WIDGET (dialog), where);
  adw_dialog_force_close (dialog);
  PC_TEST_WAIT_UNTIL (visible_dialog (f) == NULL);
}

static void
test_icon_buttons_window (Fixture       *f,
                          gconstpointer  data)
{
  guint n;

  /* The details' copy buttons are there once a booking with a phone number shows. */
  select_booking (f, NIGHT_OWL);
  n = check_icon_buttons (GTK_WIDGET (f->window), "the main window");
  /* Menu, refresh, search, selection, the selection's menu, copy…: a check that found
   * none proves nothing. */
  g_assert_cmpuint (n, >=, 6);
}

static void
test_icon_buttons_dialogs (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(PcSession) session = pc_session_new (f->session, f->clock);
  static const struct {
    gint64      booking_id;
    const char *action;
  } confirmations[] = {
    { EARLY_BIRD, "accept" },
    { EARLY_BIRD, "reject" },
    { QUIET_CALLER, "cancel-booking" },
    { LONDON_LAD, "delete" },
  };

  select_booking (f, NIGHT_OWL);
  g_action_group_activate_action (G_ACTION_GROUP (f->window), "reinvite", NULL);
  check_dialog (f, ADW_DIALOG (pc_window_get_reinvite_dialog (f->window)), "the re-invite dialog");

  g_action_group_change_action_state (G_ACTION_GROUP (f->window), "selection-mode",
                                      g_variant_new_boolean (TRUE));
  g_action_group_activate_action (G_ACTION_GROUP (f->window), "select-reinvitable", NULL);
  g_action_group_activate_action (G_ACTION_GROUP (f->window), "reinvite-selected", NULL);
  check_dialog (f, ADW_DIALOG (pc_window_get_batch_dialog (f->window)), "the batch re-invite dialog");
  g_action_group_change_action_state (G_ACTION_GROUP (f->window), "selection-mode",
                                      g_variant_new_boolean (FALSE));

  for (guint i = 0; i < G_N_ELEMENTS (confirmations); i++)
    {
      select_booking (f, confirmations[i].booking_id);
      g_action_group_activate_action (G_ACTION_GROUP (f->window), confirmations[i].action, NULL);
      check_dialog (f, pc_window_get_action_dialog (f->window), confirmations[i].action);
    }

  {
    AdwDialog *dialog = ADW_DIALOG (pc_preferences_dialog_new (settings));

    adw_dialog_present (dialog, GTK_WIDGET (f->window));
    g_assert_cmpuint (edit_entry_rows (GTK_WIDGET (dialog)), ==, 3);
    check_dialog (f, dialog, "the preferences");
  }

  {
    AdwDialog *dialog = ADW_DIALOG (pc_sign_in_dialog_new (session, settings));
    GtkWidget *peek;

    adw_dialog_present (dialog, GTK_WIDGET (f->window));
    g_assert_cmpuint (edit_entry_rows (GTK_WIDGET (dialog)), ==, 1);

    /* The button that shows the token says what it does, before and after. */
    peek = find_icon_button (GTK_WIDGET (dialog), "view-reveal-symbolic");
    g_assert_nonnull (peek);
    gtk_test_accessible_assert_property (GTK_ACCESSIBLE (peek), GTK_ACCESSIBLE_PROPERTY_LABEL, "Show Token");
    g_signal_emit_by_name (peek, "clicked");
    g_assert_cmpstr (gtk_button_get_icon_name (GTK_BUTTON (peek)), ==, "view-conceal-symbolic");
    gtk_test_accessible_assert_property (GTK_ACCESSIBLE (peek), GTK_ACCESSIBLE_PROPERTY_LABEL, "Hide Token");

    check_dialog (f, dialog, "the sign-in dialog");
  }
}

#define ADD(path, data, func) \
  g_test_add (path, Fixture, data, fixture_setup, func, fixture_teardown)

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);
  pc_test_init_logging ();
  gtk_init ();
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  ADD ("/a11y/keyboard/focus-chain/nothing-selected", NULL, test_chain_nothing_selected);
  ADD ("/a11y/keyboard/focus-chain/reinvitable", &reinvitable_case, test_chain_booking);
  ADD ("/a11y/keyboard/focus-chain/pending", &pending_case, test_chain_booking);
  ADD ("/a11y/keyboard/focus-chain/accepted", &accepted_case, test_chain_booking);
  ADD ("/a11y/keyboard/focus-chain/finished", &finished_case, test_chain_booking);
  ADD ("/a11y/keyboard/focus-chain/search", NULL, test_chain_search);
  ADD ("/a11y/keyboard/focus-chain/selection-mode", NULL, test_chain_selection_mode);
  ADD ("/a11y/keyboard/focus-chain/reinvite-dialog", NULL, test_chain_reinvite_dialog);
  ADD ("/a11y/labels/icon-buttons/window", NULL, test_icon_buttons_window);
  ADD ("/a11y/labels/icon-buttons/dialogs", NULL, test_icon_buttons_dialogs);

  return g_test_run ();
}
