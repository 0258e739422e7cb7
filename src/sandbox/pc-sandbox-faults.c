/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pc-sandbox"

#include "config.h"

#include "pc-sandbox-private.h"

/* Faults: which ones apply to a request (latency, an injected status, a truncated body, a
 * dropped connection), and the requests that wait for their answer meanwhile. */

typedef struct
{
  PcSandbox             *self;
  SoupServerMessage     *msg;
  PcSandboxRequestEntry *entry;
  PcSandboxFaultPlan     plan;
  guint                  source_id;
  gboolean               client_gone; /* carried out all the same, answered to nobody */
} PendingRequest;

/* Fills @plan with the faults that apply to a request for @path and names them in
 * @fault_name ("latency+drop", …). Returns FALSE when none does. A request a fault applies
 * to uses up one of the fault limit's requests. */
gboolean
_pc_sandbox_take_fault_plan (PcSandbox           *self,
                             const char          *path,
                             PcSandboxFaultPlan  *plan,
                             char               **fault_name)
{
  g_autofree char *key = g_ascii_strdown (path, -1);
  GPtrArray *names = g_ptr_array_new ();

  plan->latency_ms = self->latency_ms;
  plan->status = GPOINTER_TO_UINT (g_hash_table_lookup (self->path_status, key));
  plan->truncate = self->truncate && plan->status == 0;
  plan->drop = self->drop;

  if (plan->latency_ms > 0)
    g_ptr_array_add (names, (gpointer) "latency");
  if (plan->drop)
    g_ptr_array_add (names, (gpointer) "drop");
  else if (plan->status != 0)
    g_ptr_array_add (names, (gpointer) "status");
  else if (plan->truncate)
    g_ptr_array_add (names, (gpointer) "truncate");

  if (names->len == 0)
    {
      g_ptr_array_unref (names);
      *fault_name = NULL;
      return FALSE;
    }

  g_ptr_array_add (names, NULL);
  *fault_name = g_strjoinv ("+", (char **) names->pdata);
  g_ptr_array_unref (names);

  if (self->fault_limit > 0 && --self->fault_limit == 0)
    pc_sandbox_clear_faults (self);

  return TRUE;
}

void
_pc_sandbox_pending_request_free (gpointer data)
{
  PendingRequest *pending = data;

  g_clear_handle_id (&pending->source_id, g_source_remove);
  g_clear_object (&pending->msg);
  g_clear_pointer (&pending->entry, _pc_sandbox_request_entry_release);
  g_free (pending);
}

static gboolean
pending_request_ready_cb (gpointer user_data)
{
  PendingRequest *pending = user_data;
  PcSandbox *self = pending->self;
  g_autoptr(SoupServerMessage) msg = g_object_ref (pending->msg);
  PcSandboxRequestEntry *entry = g_rc_box_acquire (pending->entry);
  PcSandboxFaultPlan plan = pending->plan;
  gboolean client_gone = pending->client_gone;

  pending->source_id = 0;
  g_hash_table_remove (self->pending, pending);

  if (client_gone)
    /* Like a real server, which does not notice that the client gave up waiting: it
     * carries the request out, and its answer goes nowhere. */
    _pc_sandbox_answer (self, msg, entry, &plan);
  else if (plan.drop)
    _pc_sandbox_drop_connection (msg);
  else
    {
      _pc_sandbox_answer (self, msg, entry, &plan);
      if (!plan.truncate)
        soup_server_message_unpause (msg);
    }

  _pc_sandbox_request_entry_release (entry);
  return G_SOURCE_REMOVE;
}

/* Stealing the connection or answering later both happen outside the server's own I/O
 * callback, from a timeout, with the message paused meanwhile. */
void
_pc_sandbox_defer_request (PcSandbox                *self,
                           SoupServerMessage        *msg,
                           PcSandboxRequestEntry    *entry,
                           const PcSandboxFaultPlan *plan)
{
  PendingRequest *pending = g_new0 (PendingRequest, 1);

  pending->self = self;
  pending->msg = g_object_ref (msg);
  pending->entry = g_rc_box_acquire (entry);
  pending->plan = *plan;
  pending->source_id = g_timeout_add (plan->latency_ms, pending_request_ready_cb, pending);
  g_source_set_name_by_id (pending->source_id, "[pc-sandbox] pending request");
  g_hash_table_add (self->pending, pending);
  soup_server_message_pause (msg);
}

/* The client went away: forget its request, if it was waiting. */
void
_pc_sandbox_forget_pending (PcSandbox         *self,
                            SoupServerMessage *msg)
{
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, self->pending);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      PendingRequest *pending = key;

      if (pending->msg == msg)
        {
          /* A request that changes something is still carried out when its time comes
           * (a server does not undo what it received because the client left). */
          if (!pending->plan.drop && pending->plan.status == 0 &&
              soup_server_message_get_method (msg) == SOUP_METHOD_POST)
            pending->client_gone = TRUE;
          else
            g_hash_table_iter_remove (&iter);
          break;
        }
    }
}

/* Ends the wait of every request held back by latency now, as if its latency were over.
 * A test uses it to let the server act on a request its client gave up on. */
void
pc_sandbox_release_held (PcSandbox *self)
{
  g_autoptr(GPtrArray) held = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  g_return_if_fail (PC_IS_SANDBOX (self));

  g_hash_table_iter_init (&iter, self->pending);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (held, key);

  for (guint i = 0; i < held->len; i++)
    {
      PendingRequest *pending = g_ptr_array_index (held, i);

      g_clear_handle_id (&pending->source_id, g_source_remove);
      pending_request_ready_cb (pending);
    }
}
