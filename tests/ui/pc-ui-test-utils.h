/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pc-api.h"
#include "pc-booking-loader.h"
#include "pc-booking-row.h"
#include "pc-booking-store.h"
#include "pc-clock.h"
#include "pc-reinviter.h"
#include "pc-sandbox.h"
#include "pc-window.h"

G_BEGIN_DECLS

/* Finding widgets as a user finds them: by what they show (a row's title in a group,
 * a label's text, a button's label), never by the names inside a template, so that a
 * template can change without breaking the tests. Only what is visible counts: a widget
 * is "shown" when it and all its ancestors are visible and none is a page a stack keeps
 * out of view (or is taking out of view, in a transition). */

/* The first visible label under @root that shows exactly @text, optionally with the
 * style class @css_class; NULL if there is none. */
GtkLabel    *pc_ui_find_label        (GtkWidget  *root,
                                      const char *text,
                                      const char *css_class);
/* The first visible label under @root with @css_class (e.g. "title-1"), or NULL. */
GtkLabel    *pc_ui_find_label_by_class (GtkWidget  *root,
                                        const char *css_class);
/* The first visible label whose text starts with @prefix, or NULL. */
GtkLabel    *pc_ui_find_label_prefix (GtkWidget  *root,
                                      const char *prefix);
/* The row titled @title (as it reads: without a mnemonic's underline), inside the
 * preferences group titled @group (NULL: any group); NULL when it is not shown. */
AdwActionRow *pc_ui_find_row         (GtkWidget  *root,
                                      const char *group,
                                      const char *title);
/* The shown entry row (a password entry row too) titled @title, or NULL. */
AdwEntryRow *pc_ui_find_entry_row    (GtkWidget  *root,
                                      const char *title);
/* The shown row's subtitle (its value); fails the test when the row is not shown. */
const char  *pc_ui_row_value         (GtkWidget  *root,
                                      const char *group,
                                      const char *title);
/* The preferences group titled @title, when shown; NULL otherwise. */
AdwPreferencesGroup *pc_ui_find_group (GtkWidget *root,
                                       const char *title);
/* The shown button labelled @label (its label or its accessible name), or NULL. */
GtkButton   *pc_ui_find_button       (GtkWidget  *root,
                                      const char *label);
/* The list's row widget that shows @booking_id, if it is built; NULL otherwise. */
PcBookingRow *pc_ui_find_booking_row (GtkWidget  *root,
                                      gint64      booking_id);
/* The first shown widget of @type under @root, or NULL. */
GtkWidget   *pc_ui_find_type         (GtkWidget  *root,
                                      GType       type);

/* Removes the record of re-invites of unknown outcome, so that a test starts without any
 * (a sandbox may get the port of an earlier test's). Meson gives each UI test program a
 * state directory of its own; this refuses to run without it. */
void         pc_ui_forget_outcomes   (void);

/* The user looks at another program's window: @window is not active any more. *@other
 * is that window, made the first time. */
void         pc_ui_cover_window      (GtkWindow  *window,
                                      GtkWindow **other);
/* The user looks at @window again: @other (nullable) is hidden, @window active. */
void         pc_ui_uncover_window    (GtkWindow  *window,
                                      GtkWindow  *other);
/* Destroys every window of @application, dialogs with them. */
void         pc_ui_destroy_windows   (GtkApplication *application);
/* The end of g_application_run(), which only it can do: ::shutdown (GtkApplication's
 * breaks the reference cycle between the application and its action muxer) and leaving
 * the bus, so that the next test can register the same id. Run with an exit status from
 * handle-local-options, it goes straight there. */
void         pc_ui_shut_down_application (GApplication *application);

/* A real window on the in-process sandbox serving tests/ui/data/bookings.json, with the
 * clock standing still at 2025-06-15 12:00 UTC and a re-inviter: what the window's
 * action tests share. */
typedef struct
{
  PcClock         *clock;
  PcSandbox       *sandbox;
  SoupSession     *session;
  PcApi           *api;
  PcBookingStore  *store;
  PcBookingLoader *loader;
  PcReinviter     *reinviter;
  PcWindow        *window;
} PcUiWindowFixture;

/* Sets up @f and waits until the window shows all @n_bookings of the file. */
void         pc_ui_window_fixture_set_up    (PcUiWindowFixture *f,
                                             guint              n_bookings);
void         pc_ui_window_fixture_tear_down (PcUiWindowFixture *f);
/* The window's template child @name; fails the test when there is none. */
gpointer     pc_ui_window_child             (PcWindow          *window,
                                             const char        *name);

G_END_DECLS
