/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pc-outcome-log"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "pc-booking.h"
#include "pc-outcome-log.h"

/**
 * PcOutcomeLog:
 *
 * The re-invites whose outcome is unknown: the request was sent, its answer was lost
 * (a timeout, a dropped connection, …) and the booking still showed as pending. The
 * server may carry such a request out seconds or minutes later, so PhoneChat must not
 * send a second one until a read of the booking shows a final state.
 *
 * The record outlives the process and is shared by the application and
 * `phonechat-cli` (one process per command): a JSON file under
 * `$XDG_STATE_HOME/phonechat/`. It holds, per scope (the API's base URL: a BookingID
 * belongs to one account on one server), each marked BookingID and when its re-invite
 * was sent:
 *
 * |[
 * { "version": 1,
 *   "scopes": { "https://api.adultwork.com": { "4817263": "2026-11-29T08:49:23Z" } } }
 * ]|
 *
 * A log object works on one scope and leaves the others as it found them. Every change
 * is written by reading the file again, applying this process's changes since the last
 * write, and replacing the file atomically, so that two processes each keep what the
 * other wrote (short of both writing within the same instant). A missing file is an
 * empty log; an unreadable or corrupt one is reported in the debug log and treated as
 * empty (the next write replaces it): it never stops anything else.
 *
 * The application sets #PcOutcomeLog:autosave, which loads and writes in a worker
 * thread, never on the main loop; the CLI calls pc_outcome_log_load() and
 * pc_outcome_log_save().
 *
 * Since the other booking actions came (accept, reject, cancel, delete), a mark also
 * keeps the status the booking had when the request left, the one a read proves nothing
 * by: Pending for a re-invite, an accept or a reject, Accepted for a cancel. A mark from
 * Pending is written as above; one from another status as an object,
 * `"4817263": { "sent": "2026-11-29T08:49:23Z", "from": "Accepted" }` (a version of
 * PhoneChat from before skips such an entry, as it skips any it cannot read).
 *
 * A mark is cleared when a read of the booking shows another status than the one it
 * was sent from: pc_outcome_log_apply_read(). A request that never reached the server would
 * otherwise block its booking for good, so a read that still shows the booking pending
 * %PC_OUTCOME_LOG_SETTLE_SECONDS after the re-invite was sent clears the mark as
 * "not re-invited": a server works on a request for seconds, not minutes (the API's
 * own gateway gives up after about a minute, PcApi after 30 seconds), so a request that
 * has not shown its effect ten minutes later has not arrived and will not.
 */

/* Other scopes' marks older than this are dropped from the file: a read would have
 * cleared them after the settle window, and a scope that is never read again (a demo
 * sandbox on a port of its own) would otherwise keep them for good. This log's own scope
 * is left to its reads, which judge by the caller's clock. */
#define PRUNE_SECONDS (7 * 24 * 60 * 60)

#define FILE_VERSION 1

typedef struct
{
  gint64 booking_id;
  gint64 sent;        /* Unix time; 0 clears */
  gint64 cleared;     /* when clearing: the mark's time it was judged on */
  PcBookingStatus from;
} Op;

/* A mark: when the request was sent (first, so that a mark reads as a gint64 *), and
 * the status that proves nothing. */
typedef struct
{
  gint64          sent;
  PcBookingStatus from;
} Mark;

struct _PcOutcomeLog
{
  GObject     parent_instance;

  char       *path;
  char       *scope;
  GHashTable *marks;      /* gint64 * → gint64 * (Unix time sent), of this scope */
  GArray     *ops;        /* Op: changes not yet written */
  gboolean    autosave;
  gboolean    loaded;
  gboolean    syncing;    /* a worker is reading or writing the file */
  gboolean    sync_again;
  GCancellable *cancellable;
  GFileMonitor *monitor;  /* with autosave: other processes' writes */
  GHashTable *in_flight;  /* gint64 *: this process's re-invites on their way */
};

G_DEFINE_FINAL_TYPE (PcOutcomeLog, pc_outcome_log, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

enum {
  SIGNAL_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
set_syncing (PcOutcomeLog *self,
             gboolean      syncing)
{
  if (self->syncing == syncing)
    return;

  self->syncing = syncing;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static GHashTable *
marks_new (void)
{
  return g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
}

static void
marks_set (GHashTable      *marks,
           gint64           booking_id,
           gint64           sent,
           PcBookingStatus  from)
{
  Mark mark = { sent, from };

  g_hash_table_insert (marks, g_memdup2 (&booking_id, sizeof booking_id),
                       g_memdup2 (&mark, sizeof mark));
}

static void
apply_op (GHashTable *marks,
          const Op   *op)
{
  gint64 *sent;

  if (op->sent != 0)
    {
      marks_set (marks, op->booking_id, op->sent, op->from);
      return;
    }

  /* A clear judged on an older mark leaves a newer one (another process sent a new
   * re-invite meanwhile) alone. */
  sent = g_hash_table_lookup (marks, &op->booking_id);
  if (sent != NULL && *sent <= op->cleared)
    g_hash_table_remove (marks, &op->booking_id);
}

/* The file ------------------------------------------------------------------------------ */

/* Reads one scope's marks; invalid entries are skipped. */
static GHashTable *
marks_from_object (JsonObject *object)
{
  GHashTable *marks = marks_new ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &node))
    {
      g_autoptr(GDateTime) sent = NULL;
      PcBookingStatus from = PC_BOOKING_STATUS_PENDING;
      JsonNode *sent_node = node;
      gint64 booking_id;

      /* { "sent": …, "from": "Accepted" } for a mark from another status than Pending. */
      if (JSON_NODE_HOLDS_OBJECT (node))
        {
          JsonObject *entry = json_node_get_object (node);
          const char *from_text = json_object_get_string_member_with_default (entry, "from",
                                                                              NULL);

          sent_node = json_object_get_member (entry, "sent");
          from = pc_booking_status_from_string (from_text);
          if (from == PC_BOOKING_STATUS_UNKNOWN)
            sent_node = NULL;
        }

      if (!g_ascii_string_to_signed (name, 10, 1, G_MAXINT64, &booking_id, NULL) ||
          sent_node == NULL || !JSON_NODE_HOLDS_VALUE (sent_node) ||
          json_node_get_value_type (sent_node) != G_TYPE_STRING ||
          (sent = g_date_time_new_from_iso8601 (json_node_get_string (sent_node), NULL)) == NULL)
        {
          g_debug ("Skipping an invalid entry “%s” in the outcome log", name);
          continue;
        }
      marks_set (marks, booking_id, g_date_time_to_unix (sent), from);
    }

  return marks;
}

typedef enum
{
  FILE_READ,     /* read, or missing */
  FILE_CORRUPT,  /* read, but not a log: replaced by the next write, kept aside */
} FileState;

/* Every scope of the file: scope → marks. Missing or corrupt: empty. Unreadable (other
 * than missing): %NULL with @error, so that nothing overwrites what could not be read. */
static GHashTable *
read_file (const char  *path,
           FileState   *state,
           GError     **error)
{
  GHashTable *scopes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                              (GDestroyNotify) g_hash_table_unref);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) read_error = NULL;
  g_autofree char *contents = NULL;
  gsize length;
  JsonNode *root;
  JsonObject *object;
  JsonNode *scopes_node;
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  *state = FILE_READ;

  if (!g_file_get_contents (path, &contents, &length, &read_error))
    {
      if (g_error_matches (read_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return scopes;

      g_propagate_error (error, g_steal_pointer (&read_error));
      g_hash_table_unref (scopes);
      return NULL;
    }

  if (!json_parser_load_from_data (parser, contents, (gssize) length, &read_error))
    {
      g_message ("The outcome log %s is not JSON, taking it as empty: %s", path,
                 read_error->message);
      *state = FILE_CORRUPT;
      return scopes;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
      (object = json_node_get_object (root)) == NULL ||
      json_object_get_int_member_with_default (object, "version", 0) != FILE_VERSION ||
      (scopes_node = json_object_get_member (object, "scopes")) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (scopes_node))
    {
      g_message ("The outcome log %s is not in a known format, taking it as empty", path);
      *state = FILE_CORRUPT;
      return scopes;
    }

  json_object_iter_init (&iter, json_node_get_object (scopes_node));
  while (json_object_iter_next (&iter, &name, &node))
    {
      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_debug ("Skipping an invalid scope in the outcome log %s", path);
          continue;
        }
      g_hash_table_insert (scopes, g_strdup (name), marks_from_object (json_node_get_object (node)));
    }

  return scopes;
}

static gint
compare_int64 (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static gboolean
write_file (const char  *path,
            GHashTable  *scopes,
            GError     **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GList) names = NULL;
  g_autofree char *data = NULL;
  gsize length;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, FILE_VERSION);
  json_builder_set_member_name (builder, "scopes");
  json_builder_begin_object (builder);

  names = g_list_sort (g_hash_table_get_keys (scopes), (GCompareFunc) g_strcmp0);
  for (GList *l = names; l != NULL; l = l->next)
    {
      GHashTable *marks = g_hash_table_lookup (scopes, l->data);
      g_autoptr(GList) ids = NULL;

      if (g_hash_table_size (marks) == 0)
        continue;

      json_builder_set_member_name (builder, l->data);
      json_builder_begin_object (builder);
      ids = g_list_sort (g_hash_table_get_keys (marks), compare_int64);
      for (GList *i = ids; i != NULL; i = i->next)
        {
          Mark *mark = g_hash_table_lookup (marks, i->data);
          g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (mark->sent);
          g_autofree char *key = g_strdup_printf ("%" G_GINT64_FORMAT, *(gint64 *) i->data);
          g_autofree char *value = g_date_time_format_iso8601 (when);

          json_builder_set_member_name (builder, key);
          if (mark->from == PC_BOOKING_STATUS_PENDING)
            json_builder_add_string_value (builder, value);
          else
            {
              json_builder_begin_object (builder);
              json_builder_set_member_name (builder, "sent");
              json_builder_add_string_value (builder, value);
              json_builder_set_member_name (builder, "from");
              json_builder_add_string_value (builder, pc_booking_status_to_string (mark->from));
              json_builder_end_object (builder);
            }
        }
      json_builder_end_object (builder);
    }

  json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  data = json_generator_to_data (generator, &length);

  /* Durable: a mark is what keeps a client from being re-invited twice. */
  return g_file_set_contents_full (path, data, (gssize) length,
                                   G_FILE_SET_CONTENTS_CONSISTENT |
                                   G_FILE_SET_CONTENTS_DURABLE,
                                   0600, error);
}

/* Holds an exclusive lock on a file beside the log while it is read, changed and
 * written, so that two processes writing at once both keep their marks. Returns the
 * lock's descriptor, or -1 with @error. */
static int
lock_file (const char  *path,
           GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *lock_path = g_strconcat (path, ".lock", NULL);
  int fd;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "Could not create %s: %s", dir, g_strerror (saved_errno));
      return -1;
    }

  fd = g_open (lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0 || flock (fd, LOCK_EX) != 0)
    {
      int saved_errno = errno;

      if (fd >= 0)
        close (fd);
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "Could not lock %s: %s", lock_path, g_strerror (saved_errno));
      return -1;
    }

  return fd;
}

/* Reads the file, applies @ops to @scope and, if there were any, writes it back.
 * Returns the scope's marks as the file now has them. Runs in a worker or in the CLI. */
static GHashTable *
sync_file (const char  *path,
           const char  *scope,
           GArray      *ops,
           gint64       now,
           GError     **error)
{
  g_autoptr(GHashTable) scopes = NULL;
  GHashTable *marks;
  GHashTableIter iter;
  GHashTable *scope_marks;
  FileState state;
  int lock_fd;

  lock_fd = lock_file (path, error);
  if (lock_fd < 0)
    return NULL;

  scopes = read_file (path, &state, error);
  if (scopes == NULL)
    {
      close (lock_fd);
      return NULL;
    }

  marks = g_hash_table_lookup (scopes, scope);
  if (marks == NULL)
    {
      marks = marks_new ();
      g_hash_table_insert (scopes, g_strdup (scope), marks);
    }

  if (ops != NULL && ops->len > 0)
    {
      for (guint i = 0; i < ops->len; i++)
        apply_op (marks, &g_array_index (ops, Op, i));

      g_hash_table_iter_init (&iter, scopes);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &scope_marks))
        {
          GHashTableIter mark_iter;
          gint64 *sent;

          if (scope_marks == marks)
            continue;

          g_hash_table_iter_init (&mark_iter, scope_marks);
          while (g_hash_table_iter_next (&mark_iter, NULL, (gpointer *) &sent))
            if (now - *sent > PRUNE_SECONDS)
              g_hash_table_iter_remove (&mark_iter);
        }

      /* What could not be read is kept for whoever wants to look at it. */
      if (state == FILE_CORRUPT)
        {
          g_autofree char *aside = g_strconcat (path, ".corrupt", NULL);

          if (g_rename (path, aside) == 0)
            g_message ("The unreadable outcome log was moved to %s", aside);
        }

      if (!write_file (path, scopes, error))
        {
          close (lock_fd);
          return NULL;
        }
    }

  close (lock_fd);
  return g_hash_table_ref (marks);
}

/* Worker ---------------------------------------------------------------------------------- */

typedef struct
{
  char   *path;
  char   *scope;
  GArray *ops;
} SyncData;

static void
sync_data_free (gpointer data)
{
  SyncData *sd = data;

  g_free (sd->path);
  g_free (sd->scope);
  g_array_unref (sd->ops);
  g_free (sd);
}

static void
sync_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SyncData *sd = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  GHashTable *marks;

  marks = sync_file (sd->path, sd->scope, sd->ops, g_date_time_to_unix (now), &error);
  if (marks == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, marks, (GDestroyNotify) g_hash_table_unref);
}

static void start_sync (PcOutcomeLog *self);

/* Another process (phonechat-cli, a second instance) wrote the file: read it again, so
 * that a re-invite it left of unknown outcome is not offered here. Our own writes come
 * back this way too; reading without changes writes nothing, so that ends there. */
static void
file_changed_cb (GFileMonitor      *monitor,
                 GFile             *file,
                 GFile             *other_file,
                 GFileMonitorEvent  event,
                 PcOutcomeLog      *self)
{
  if (event == G_FILE_MONITOR_EVENT_ATTRIBUTE_CHANGED ||
      event == G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT ||
      event == G_FILE_MONITOR_EVENT_PRE_UNMOUNT)
    return;

  start_sync (self);
}

/* Watches the file once its folder exists (the first sync makes it). */
static void
ensure_monitor (PcOutcomeLog *self)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  if (self->monitor != NULL || !self->autosave)
    return;

  file = g_file_new_for_path (self->path);
  self->monitor = g_file_monitor_file (file, G_FILE_MONITOR_WATCH_MOVES, self->cancellable,
                                       &error);
  if (self->monitor == NULL)
    {
      g_debug ("Cannot watch %s for other processes' re-invites: %s", self->path,
               error->message);
      return;
    }

  g_signal_connect_object (self->monitor, "changed", G_CALLBACK (file_changed_cb), self, 0);
}

/* Takes the file's marks, with the changes made meanwhile (not yet written) on top. */
static void
take_marks (PcOutcomeLog *self,
            GHashTable   *marks)
{
  g_clear_pointer (&self->marks, g_hash_table_unref);
  self->marks = g_hash_table_ref (marks);
  for (guint i = 0; i < self->ops->len; i++)
    apply_op (self->marks, &g_array_index (self->ops, Op, i));
}

static void
sync_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(PcOutcomeLog) self = user_data;
  g_autoptr(GHashTable) marks = NULL;
  g_autoptr(GError) error = NULL;
  GArray *ops = g_task_get_task_data (G_TASK (result)) != NULL
                ? ((SyncData *) g_task_get_task_data (G_TASK (result)))->ops : NULL;

  marks = g_task_propagate_pointer (G_TASK (result), &error);
  self->syncing = FALSE;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
      return;
    }

  if (marks == NULL)
    {
      /* Keep the changes for the next write: nothing is lost in memory. */
      g_warning ("Could not update the record of re-invites of unknown outcome %s: %s",
                 self->path, error->message);
      if (ops != NULL)
        g_array_prepend_vals (self->ops, ops->data, ops->len);
    }
  else
    {
      take_marks (self, marks);
      ensure_monitor (self);
    }

  self->loaded = TRUE;
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);

  if (self->sync_again || (marks != NULL && self->ops->len > 0))
    {
      self->sync_again = FALSE;
      start_sync (self);
    }

  /* Only now: between two writes, it stays busy. */
  if (!self->syncing)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
start_sync (PcOutcomeLog *self)
{
  g_autoptr(GTask) task = NULL;
  SyncData *sd;

  if (self->syncing)
    {
      self->sync_again = TRUE;
      return;
    }

  sd = g_new0 (SyncData, 1);
  sd->path = g_strdup (self->path);
  sd->scope = g_strdup (self->scope);
  sd->ops = g_steal_pointer (&self->ops);
  self->ops = g_array_new (FALSE, FALSE, sizeof (Op));

  set_syncing (self, TRUE);
  task = g_task_new (self, self->cancellable, sync_cb, g_object_ref (self));
  g_task_set_source_tag (task, start_sync);
  g_task_set_task_data (task, sd, sync_data_free);
  g_task_run_in_thread (task, sync_thread);
}

/* GObject --------------------------------------------------------------------------------- */

static void
pc_outcome_log_dispose (GObject *object)
{
  PcOutcomeLog *self = (PcOutcomeLog *) object;

  g_cancellable_cancel (self->cancellable);
  if (self->monitor != NULL)
    {
      g_file_monitor_cancel (self->monitor);
      g_clear_object (&self->monitor);
    }

  G_OBJECT_CLASS (pc_outcome_log_parent_class)->dispose (object);
}

static void
pc_outcome_log_finalize (GObject *object)
{
  PcOutcomeLog *self = (PcOutcomeLog *) object;

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->marks, g_hash_table_unref);
  g_clear_pointer (&self->in_flight, g_hash_table_unref);
  g_clear_pointer (&self->ops, g_array_unref);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->scope, g_free);

  G_OBJECT_CLASS (pc_outcome_log_parent_class)->finalize (object);
}

static void
pc_outcome_log_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  PcOutcomeLog *self = PC_OUTCOME_LOG (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, self->syncing);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pc_outcome_log_class_init (PcOutcomeLogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pc_outcome_log_dispose;
  object_class->finalize = pc_outcome_log_finalize;
  object_class->get_property = pc_outcome_log_get_property;

  /**
   * PcOutcomeLog:busy:
   *
   * Whether a worker is reading or writing the file (#PcOutcomeLog:autosave): the
   * application stays running until a mark is written.
   */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PcOutcomeLog::changed:
   *
   * The marks may have changed other than through this object: the file was read (at
   * load, and on every write, which also picks up what other processes wrote).
   */
  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
pc_outcome_log_init (PcOutcomeLog *self)
{
  self->marks = marks_new ();
  self->in_flight = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->ops = g_array_new (FALSE, FALSE, sizeof (Op));
  self->cancellable = g_cancellable_new ();
}

/**
 * pc_outcome_log_dup_default_path:
 *
 * Returns: (transfer full): `$XDG_STATE_HOME/phonechat/reinvite-outcomes.json`
 */
char *
pc_outcome_log_dup_default_path (void)
{
  return g_build_filename (g_get_user_state_dir (), "phonechat", "reinvite-outcomes.json", NULL);
}

/**
 * pc_outcome_log_new:
 * @path: (nullable): the file; %NULL for pc_outcome_log_dup_default_path()
 * @scope: whose bookings: the API's base URL
 *
 * Nothing is read yet: see pc_outcome_log_load() and pc_outcome_log_set_autosave().
 */
PcOutcomeLog *
pc_outcome_log_new (const char *path,
                    const char *scope)
{
  PcOutcomeLog *self;

  g_return_val_if_fail (scope != NULL && *scope != '\0', NULL);

  self = g_object_new (PC_TYPE_OUTCOME_LOG, NULL);
  self->path = path != NULL ? g_strdup (path) : pc_outcome_log_dup_default_path ();
  self->scope = g_strdup (scope);

  return self;
}

const char *
pc_outcome_log_get_path (PcOutcomeLog *self)
{
  g_return_val_if_fail (PC_IS_OUTCOME_LOG (self), NULL);

  return self->path;
}

const char *
pc_outcome_log_get_scope (PcOutcomeLog *self)
{
  g_return_val_if_fail (PC_IS_OUTCOME_LOG (self), NULL);

  return self->scope;
}

/**
 * pc_outcome_log_load:
 *
 * Reads the file now, blocking: for the CLI. Changes made before are kept on top.
 * A missing or corrupt file is an empty log (a corrupt one is moved aside at the next
 * write).
 *
 * Returns: %FALSE with @error when the file exists but cannot be read: then whether a
 *   re-invite is under way is not known
 */
gboolean
pc_outcome_log_load (PcOutcomeLog  *self,
                     GError       **error)
{
  g_autoptr(GHashTable) marks = NULL;

  g_return_val_if_fail (PC_IS_OUTCOME_LOG (self), FALSE);

  marks = sync_file (self->path, self->scope, NULL, 0, error);
  if (marks == NULL)
    return FALSE;

  take_marks (self, marks);
  self->loaded = TRUE;
  return TRUE;
}

/**
 * pc_outcome_log_save:
 *
 * Writes the changes made since the last write now, blocking: for the CLI. The file is
 * read again first, so that what other processes wrote is kept.
 *
 * Returns: whether it was written (or there was nothing to write)
 */
gboolean
pc_outcome_log_save (PcOutcomeLog  *self,
                     GError       **error)
{
  g_autoptr(GHashTable) marks = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GArray) ops = NULL;

  g_return_val_if_fail (PC_IS_OUTCOME_LOG (self), FALSE);

  if (self->ops->len == 0)
    return TRUE;

  ops = g_steal_pointer (&self->ops);
  self->ops = g_array_new (FALSE, FALSE, sizeof (Op));

  marks = sync_file (self->path, self->scope, ops, g_date_time_to_unix (now), error);
  if (marks == NULL)
    {
      g_array_prepend_vals (self->ops, ops->data, ops->len);
      return FALSE;
    }

  take_marks (self, marks);
  return TRUE;
}

/**
 * pc_outcome_log_set_autosave:
 *
 * With @autosave, the file is read now and every change is written, each in a worker
 * thread; #PcOutcomeLog::changed follows each read. For the application.
 */
void
pc_outcome_log_set_autosave (PcOutcomeLog *self,
                             gboolean      autosave)
{
  g_return_if_fail (PC_IS_OUTCOME_LOG (self));

  autosave = !!autosave;
  if (self->autosave == autosave)
    return;

  self->autosave = autosave;
  if (autosave)
    start_sync (self);
}

/**
 * pc_outcome_log_get_busy:
 *
 * Returns: whether a worker is reading or writing the file
 */
gboolean
pc_outcome_log_get_busy (PcOutcomeLog *self)
{
  g_return_val_if_fail (PC_IS_OUTCOME_LOG (self), FALSE);

  return self->syncing;
}

/**
 * pc_outcome_log_get_loaded:
 *
 * Returns: whether the file has been read
 */
gboolean
pc_outcome_log_get_loaded (PcOutcomeLog *self)
{
  g_return_val_if_fail (PC_IS_OUTCOME_LOG (self), FALSE);

  return self->loaded;
}

static void
change (PcOutcomeLog    *self,
        gint64           booking_id,
        gint64           sent,
        PcBookingStatus  from)
{
  gint64 *marked = g_hash_table_lookup (self->marks, &booking_id);
  Op op = { booking_id, sent, sent == 0 && marked != NULL ? *marked : 0, from };

  apply_op (self->marks, &op);
  g_array_append_val (self->ops, op);
  if (self->autosave)
    start_sync (self);
}

/**
 * pc_outcome_log_lookup:
 *
 * Returns: (transfer full) (nullable): when the booking's re-invite of unknown outcome
 *   was sent, or %NULL when the booking is not marked
 */
GDateTime *
pc_outcome_log_lookup (PcOutcomeLog *self,
                       gint64        booking_id)
{
  gint64 *sent;

  g_return_val_if_fail (PC_IS_OUTCOME_LOG (self), NULL);

  if (g_hash_table_contains (self->in_flight, &booking_id))
    return NULL;

  sent = g_hash_table_lookup (self->marks, &booking_id);
  return sent != NULL ? g_date_time_new_from_unix_utc (*sent) : NULL;
}

/**
 * pc_outcome_log_mark:
 * @sent_at: when the re-invite was sent
 *
 * Records that the booking's re-invite has an unknown outcome:
 * pc_outcome_log_mark_from() from Pending.
 */
void
pc_outcome_log_mark (PcOutcomeLog *self,
                     gint64        booking_id,
                     GDateTime    *sent_at)
{
  pc_outcome_log_mark_from (self, booking_id, sent_at, PC_BOOKING_STATUS_PENDING);
}

/**
 * pc_outcome_log_mark_from:
 * @sent_at: when the request was sent
 * @from: the status the booking had when it was sent, which a read proves nothing by
 *   (Accepted for a cancel)
 *
 * Records that a request about the booking has an unknown outcome.
 */
void
pc_outcome_log_mark_from (PcOutcomeLog    *self,
                          gint64           booking_id,
                          GDateTime       *sent_at,
                          PcBookingStatus  from)
{
  g_return_if_fail (PC_IS_OUTCOME_LOG (self));
  g_return_if_fail (booking_id > 0);
  g_return_if_fail (sent_at != NULL);
  g_return_if_fail (from != PC_BOOKING_STATUS_UNKNOWN);

  g_debug ("Booking %" G_GINT64_FORMAT ": outcome unknown of a request sent while %s",
           booking_id, pc_booking_status_to_string (from));
  /* 0 means "clear" in an Op: a clock before 1970 is a clock that is wrong. */
  change (self, booking_id, MAX (g_date_time_to_unix (sent_at), 1), from);
}

/**
 * pc_outcome_log_clear:
 *
 * Returns: whether the booking was marked
 */
gboolean
pc_outcome_log_clear (PcOutcomeLog *self,
                      gint64        booking_id)
{
  g_return_val_if_fail (PC_IS_OUTCOME_LOG (self), FALSE);

  if (!g_hash_table_contains (self->marks, &booking_id))
    return FALSE;

  change (self, booking_id, 0, PC_BOOKING_STATUS_PENDING);
  return TRUE;
}

/**
 * pc_outcome_log_apply_read:
 * @booking: the booking as a read from the server has just shown it
 * @now: the current time
 *
 * What a fresh read of @booking tells: another status than the one the request was sent
 * from (Pending for a re-invite) clears its mark, as does the same status
 * %PC_OUTCOME_LOG_SETTLE_SECONDS or more after the request was sent (it never arrived);
 * otherwise the mark stays. Sets #PcBooking:outcome-unknown to
 * match.
 *
 * Returns: whether the booking is still marked
 */
gboolean
pc_outcome_log_apply_read (PcOutcomeLog *self,
                           PcBooking    *booking,
                           GDateTime    *now)
{
  gint64 booking_id;
  Mark *mark;
  gint64 *sent;

  g_return_val_if_fail (PC_IS_OUTCOME_LOG (self), FALSE);
  g_return_val_if_fail (PC_IS_BOOKING (booking), FALSE);
  g_return_val_if_fail (now != NULL, FALSE);

  booking_id = pc_booking_get_booking_id (booking);
  mark = g_hash_table_lookup (self->marks, &booking_id);
  sent = mark != NULL ? &mark->sent : NULL;
  /* A re-invite of ours on its way: its own answer settles it (pc_outcome_log_end()). */
  if (sent == NULL || g_hash_table_contains (self->in_flight, &booking_id))
    {
      pc_booking_set_outcome_unknown (booking, FALSE);
      return FALSE;
    }

  if (pc_booking_get_status (booking) != mark->from)
    {
      g_debug ("Booking %" G_GINT64_FORMAT " is now %s: its request's outcome is known",
               booking_id, pc_booking_status_to_string (pc_booking_get_status (booking)));
      pc_outcome_log_clear (self, booking_id);
      pc_booking_set_outcome_unknown (booking, FALSE);
      return FALSE;
    }

  /* A mark from further ahead than the settle window is one from before the clock was
   * set back: it cannot be judged, and is taken as settled rather than kept for good. */
  if (g_date_time_to_unix (now) - *sent >= PC_OUTCOME_LOG_SETTLE_SECONDS ||
      *sent - g_date_time_to_unix (now) > PC_OUTCOME_LOG_SETTLE_SECONDS)
    {
      g_debug ("Booking %" G_GINT64_FORMAT " is still pending %d seconds after its re-invite "
               "was sent: it was not re-invited", booking_id, PC_OUTCOME_LOG_SETTLE_SECONDS);
      pc_outcome_log_clear (self, booking_id);
      pc_booking_set_outcome_unknown (booking, FALSE);
      return FALSE;
    }

  pc_booking_set_outcome_unknown (booking, TRUE);
  return TRUE;
}

/**
 * pc_outcome_log_apply_marks:
 *
 * Sets #PcBooking:outcome-unknown from the log alone, without a fresh read (after the
 * file was read again).
 */
void
pc_outcome_log_apply_marks (PcOutcomeLog *self,
                            PcBooking    *booking)
{
  gint64 booking_id;

  g_return_if_fail (PC_IS_OUTCOME_LOG (self));
  g_return_if_fail (PC_IS_BOOKING (booking));

  booking_id = pc_booking_get_booking_id (booking);
  pc_booking_set_outcome_unknown (booking,
                                  g_hash_table_contains (self->marks, &booking_id) &&
                                  !g_hash_table_contains (self->in_flight, &booking_id));
}

/**
 * pc_outcome_log_begin:
 * @sent_at: when the re-invite is sent
 *
 * Records a re-invite of this process about to be sent, before it leaves: should the
 * process end before its answer (a crash, a kill), the record then shows its outcome as
 * unknown to the next process. Until pc_outcome_log_end(), this process itself does not
 * count it as unknown (its answer is still to come).
 */
void
pc_outcome_log_begin (PcOutcomeLog *self,
                      gint64        booking_id,
                      GDateTime    *sent_at)
{
  g_return_if_fail (PC_IS_OUTCOME_LOG (self));
  g_return_if_fail (booking_id > 0);
  g_return_if_fail (sent_at != NULL);

  g_hash_table_add (self->in_flight, g_memdup2 (&booking_id, sizeof booking_id));
  change (self, booking_id, MAX (g_date_time_to_unix (sent_at), 1), PC_BOOKING_STATUS_PENDING);
}

/**
 * pc_outcome_log_end:
 * @unknown: whether the outcome turned out unknown
 *
 * The answer to a re-invite recorded with pc_outcome_log_begin() has come: a known
 * outcome removes the record; an unknown one keeps it, now counted as unknown here too.
 */
void
pc_outcome_log_end (PcOutcomeLog *self,
                    gint64        booking_id,
                    gboolean      unknown)
{
  g_return_if_fail (PC_IS_OUTCOME_LOG (self));

  if (!g_hash_table_remove (self->in_flight, &booking_id))
    return;

  if (!unknown)
    pc_outcome_log_clear (self, booking_id);
}
