/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include "pc-accessible.h"

/* What libadwaita leaves unnamed for screen readers, named by the application. */

/* A part of a row that no API gives: the button libadwaita draws with one of @icons. */
static GtkWidget *
find_button (GtkWidget          *widget,
             const char * const *icons)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_BUTTON (child) &&
          gtk_button_get_icon_name (GTK_BUTTON (child)) != NULL &&
          g_strv_contains (icons, gtk_button_get_icon_name (GTK_BUTTON (child))))
        return child;

      found = find_button (child, icons);
      if (found != NULL)
        return found;
    }

  return NULL;
}

/**
 * pc_entry_row_name_apply_button:
 * @row: an entry row with #AdwEntryRow:show-apply-button
 * @label: what screen readers call its apply button
 *
 * libadwaita 1.7 gives the apply button of an entry row a tooltip but no accessible
 * name, so screen readers announce it as a bare "button". This names it. Should a later
 * libadwaita draw the row differently, the row is left as it is.
 */
void
pc_entry_row_name_apply_button (AdwEntryRow *row,
                                const char  *label)
{
  GtkWidget *button;

  g_return_if_fail (ADW_IS_ENTRY_ROW (row));
  g_return_if_fail (label != NULL);

  button = find_button (GTK_WIDGET (row), (const char * const[]) { "adw-entry-apply-symbolic", NULL });
  if (button == NULL)
    {
      g_debug ("No apply button found in an entry row: not named");
      return;
    }

  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
}

typedef struct
{
  char *show_label;
  char *hide_label;
} PeekLabels;

static void
peek_labels_free (PeekLabels *labels)
{
  g_free (labels->show_label);
  g_free (labels->hide_label);
  g_free (labels);
}

/* The button shows what pressing it does: reveal while the text is hidden, conceal
 * while it shows. */
static void
peek_icon_changed_cb (GtkButton  *button,
                      GParamSpec *pspec,
                      PeekLabels *labels)
{
  gboolean hidden = g_strcmp0 (gtk_button_get_icon_name (button), "view-reveal-symbolic") == 0;

  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  hidden ? labels->show_label : labels->hide_label,
                                  -1);
}

/**
 * pc_password_entry_row_name_peek_button:
 * @row: a password entry row
 * @show_label: what screen readers call its peek button while the text is hidden
 * @hide_label: … and while the text shows
 *
 * libadwaita 1.7 gives the button that shows or hides a password entry row's text a
 * tooltip but no accessible name. This names it, following what it does.
 */
void
pc_password_entry_row_name_peek_button (AdwPasswordEntryRow *row,
                                        const char          *show_label,
                                        const char          *hide_label)
{
  GtkWidget *button;
  PeekLabels *labels;

  g_return_if_fail (ADW_IS_PASSWORD_ENTRY_ROW (row));
  g_return_if_fail (show_label != NULL && hide_label != NULL);

  button = find_button (GTK_WIDGET (row),
                        (const char * const[]) { "view-reveal-symbolic", "view-conceal-symbolic", NULL });
  if (button == NULL)
    {
      g_debug ("No peek button found in a password entry row: not named");
      return;
    }

  labels = g_new0 (PeekLabels, 1);
  labels->show_label = g_strdup (show_label);
  labels->hide_label = g_strdup (hide_label);
  g_signal_connect_data (button, "notify::icon-name", G_CALLBACK (peek_icon_changed_cb),
                         labels, (GClosureNotify) (void (*) (void)) peek_labels_free, 0);
  peek_icon_changed_cb (GTK_BUTTON (button), NULL, labels);
}
