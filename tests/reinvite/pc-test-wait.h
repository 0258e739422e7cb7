/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* How long a test waits for something that should happen at once (requests on
 * loopback, D-Bus round trips) before it fails. Generous: a loaded CI machine under
 * valgrind is slow, and a passing test never waits this long. */
#define PC_TEST_WAIT_TIMEOUT_MS 20000

typedef struct _PcTestDeadline PcTestDeadline;

PcTestDeadline *pc_test_deadline_new     (guint           timeout_ms);
/* One blocking iteration of the default main context; aborts the test, naming @what,
 * once the deadline has passed. */
void            pc_test_deadline_iterate (PcTestDeadline *deadline,
                                          const char     *what);
void            pc_test_deadline_free    (PcTestDeadline *deadline);

/* Iterates the default main context until @cond holds; no sleeping. */
#define PC_TEST_WAIT_UNTIL(cond)                                            \
  G_STMT_START {                                                            \
    PcTestDeadline *pc_test_deadline_ = pc_test_deadline_new (PC_TEST_WAIT_TIMEOUT_MS); \
    while (!(cond))                                                         \
      pc_test_deadline_iterate (pc_test_deadline_, #cond);                 \
    pc_test_deadline_free (pc_test_deadline_);                              \
  } G_STMT_END

/* Dispatches whatever is ready without blocking. */
void            pc_test_drain_main_context (void);

G_END_DECLS
