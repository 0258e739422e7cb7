/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "pc-test-wait.h"

struct _PcTestDeadline
{
  guint    source_id;
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

PcTestDeadline *
pc_test_deadline_new (guint timeout_ms)
{
  PcTestDeadline *deadline = g_new0 (PcTestDeadline, 1);

  /* A timeout source wakes the blocking iteration up, so a condition that never comes
   * true fails the test instead of hanging it. */
  deadline->timeout_ms = timeout_ms;
  deadline->source_id = g_timeout_add (timeout_ms, deadline_expired_cb, deadline);
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
  g_free (deadline);
}

void
pc_test_drain_main_context (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}
