/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* Call after g_test_init(): silences GLib-GIO debug chatter that GLib 2.74 would print as
 * TAP comments, and nothing else. */
void        pc_test_init_logging   (void);
GBytes     *pc_test_load_data      (const char *name);
GDateTime  *pc_test_utc            (int year, int month, int day,
                                    int hour, int minute, double seconds);

/* A booking's date property (e.g. "session-date"), or NULL. The booking makes a new
 * GDateTime for each read (it keeps its dates as numbers); this one is kept with the
 * booking, so that a test can use it in place like the value of a getter, until the next
 * read of the same property on the same booking, which replaces it. */
GDateTime  *pc_test_booking_date   (gpointer    booking,
                                    const char *property);

/* Counts notify emissions per property name. */
typedef struct _PcNotifyCounter PcNotifyCounter;

PcNotifyCounter *pc_notify_counter_new   (gpointer          object);
guint            pc_notify_counter_get   (PcNotifyCounter  *counter,
                                          const char       *property);
guint            pc_notify_counter_total (PcNotifyCounter  *counter);
void             pc_notify_counter_reset (PcNotifyCounter  *counter);
void             pc_notify_counter_free  (PcNotifyCounter  *counter);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PcNotifyCounter, pc_notify_counter_free)

/* How long a test waits for something that should happen at once (requests on
 * loopback, D-Bus round trips) before it fails. Generous: a loaded CI machine under a
 * sanitizer or valgrind is slow, and a passing test never waits this long. */
#define PC_TEST_WAIT_TIMEOUT_MS 20000

typedef struct _PcTestDeadline PcTestDeadline;

PcTestDeadline *pc_test_deadline_new     (guint           timeout_ms);
guint           pc_test_scale_seconds    (guint           seconds);
/* One blocking iteration of the default main context; aborts the test, naming @what,
 * once the deadline has passed. The deadline wakes the loop up every 10 ms, so that
 * conditions on state that no event announces are seen too. */
void            pc_test_deadline_iterate (PcTestDeadline *deadline,
                                          const char     *what);
void            pc_test_deadline_free    (PcTestDeadline *deadline);

/* Iterates the default main context until @cond holds; no sleeping. The one way tests
 * wait. */
#define PC_TEST_WAIT_UNTIL(cond)                                                        \
  G_STMT_START {                                                                        \
    PcTestDeadline *pc_test_deadline_ = pc_test_deadline_new (PC_TEST_WAIT_TIMEOUT_MS);  \
    while (!(cond))                                                                     \
      pc_test_deadline_iterate (pc_test_deadline_, #cond);                             \
    pc_test_deadline_free (pc_test_deadline_);                                          \
  } G_STMT_END

/* The record of re-invites of unknown outcome (PcOutcomeLog) as another process would
 * read it now, in the test's own state directory: when @scope's @booking_id was marked,
 * or NULL. */
GDateTime      *pc_test_outcome_lookup     (const char *scope,
                                            gint64      booking_id);
gboolean        pc_test_outcome_marked     (const char *scope,
                                            gint64      booking_id);

/* Dispatches whatever is ready without blocking. */
void            pc_test_drain_main_context (void);

/* A GAsyncReadyCallback storing a reference to its result in the GAsyncResult ** that is
 * its user data, which must be NULL before. */
void        pc_test_store_result_cb (GObject      *source,
                                     GAsyncResult *result,
                                     gpointer      user_data);

/* A browser's GET of @url on @browser, iterating the main context until it is answered
 * (the server may be in this process). @follow: follow redirects as a browser does.
 * @location, @body, @final_path: (out) (optional): the Location header, the body, and the
 * path of the URL that answered. Returns the HTTP status, or 0 with @error. */
guint       pc_test_browser_get     (SoupSession  *browser,
                                     const char   *url,
                                     gboolean      follow,
                                     char        **location,
                                     char        **body,
                                     char        **final_path,
                                     GError      **error);

G_END_DECLS
