/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The application's benchmark: start-up, loading and memory, each a run of the real
 * `phonechat` executable under the display the benchmark runs in (Xvfb), against
 * PcSandboxes in this process that hold 0, 10,000 and 100,000 generated bookings.
 *
 * Start-up: this process's CLOCK_MONOTONIC just before spawning, to the app's own at its
 * first frame's after-paint (PHONECHAT_BENCH=first-frame), against tests/bench/bare-window
 * (a GtkWindow that exits on its first frame), alternating the two, medians; with
 * GSK_RENDERER=cairo (pass/fail) and with the default renderer (reported). With
 * --bare-adw, tests/bench/bare-adw-window (an AdwApplication's bare window) runs in the
 * same rotation and is reported too: the floor any libadwaita application starts from.
 *
 * Loading (PHONECHAT_BENCH=load): the app loads every booking, then reports its CPU
 * time (to the load's last frame), its RSS and heap (once it has settled after the
 * load: the live updates' baseline of every booking taken, freed heap returned), the
 * largest gap between two frames of the window's GdkFrameClock while loading (the
 * header's spinner animates all along), and how many rows the list showed once the first
 * bookings had merged. The three sizes alternate, in a rotating order;
 * medians. CPU grows linearly when 100k costs at most 11 times 10k, both above the
 * empty app's own.
 *
 * The machine is shared: these are figures to read, never assertions; the process
 * fails only when a run does not complete. Every figure ends in one line
 *   BENCH|figure|PhoneChat|floor or peer|ratio|target|pass or FAIL
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gio/gio.h>
#include <gtk/gtk.h>

#include "pc-sandbox.h"

static int startup_rounds = 11;
static int load_rounds = 3;
static int small_count = 10000;
static int large_count = 100000;
static char *app_path = NULL;
static char *bare_path = NULL;
static char *bare_adw_path = NULL;
static char *load_renderer = NULL;

static const GOptionEntry entries[] = {
  { "app", 0, 0, G_OPTION_ARG_FILENAME, &app_path, "The phonechat executable", "PATH" },
  { "bare", 0, 0, G_OPTION_ARG_FILENAME, &bare_path, "The bare-window executable", "PATH" },
  { "bare-adw", 0, 0, G_OPTION_ARG_FILENAME, &bare_adw_path,
    "The bare-adw-window executable (reported beside the figure)", "PATH" },
  { "startup-rounds", 's', 0, G_OPTION_ARG_INT, &startup_rounds,
    "Start-ups of each program and renderer (11)", "N" },
  { "load-rounds", 'l', 0, G_OPTION_ARG_INT, &load_rounds, "Loads of each size (3)", "N" },
  { "small", 0, 0, G_OPTION_ARG_INT, &small_count, "Bookings of the small load (10000)", "N" },
  { "large", 0, 0, G_OPTION_ARG_INT, &large_count, "Bookings of the large load (100000)", "N" },
  { "load-renderer", 0, 0, G_OPTION_ARG_STRING, &load_renderer,
    "GSK_RENDERER of the loads (cairo)", "NAME" },
  G_OPTION_ENTRY_NULL
};

#define RUN_TIMEOUT_S 900

static gint64
monotonic_ns (void)
{
  struct timespec now;

  clock_gettime (CLOCK_MONOTONIC, &now);
  return (gint64) now.tv_sec * 1000000000 + now.tv_nsec;
}

typedef struct
{
  GSubprocess *process;
  char        *output;
  GError      *error;
  gboolean     done;
} Run;

static void
communicate_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Run *run = user_data;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &run->output, NULL,
                                        &run->error);
  run->done = TRUE;
}

static gboolean
timeout_cb (gpointer user_data)
{
  Run *run = user_data;

  g_printerr ("bench-app: a run took over %d s; stopping it\n", RUN_TIMEOUT_S);
  g_subprocess_force_exit (run->process);
  return G_SOURCE_REMOVE;
}

/* Runs @argv0 with @env set (NAME=VALUE, or NAME alone to unset), serving the
 * sandboxes meanwhile, and returns the "phonechat-bench|…" line it printed. @spawn_ns
 * is when it was started. */
static char *
run_program (const char  *argv0,
             const char **env,
             gint64      *spawn_ns)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  Run run = { 0, };
  guint timeout_id;
  char *found = NULL;

  for (const char **e = env; *e != NULL; e++)
    {
      const char *eq = strchr (*e, '=');

      if (eq == NULL)
        g_subprocess_launcher_unsetenv (launcher, *e);
      else
        {
          g_autofree char *name = g_strndup (*e, eq - *e);

          g_subprocess_launcher_setenv (launcher, name, eq + 1, TRUE);
        }
    }

  *spawn_ns = monotonic_ns ();
  run.process = g_subprocess_launcher_spawn (launcher, &error, argv0, NULL);
  if (run.process == NULL)
    g_error ("Starting %s: %s", argv0, error->message);

  timeout_id = g_timeout_add_seconds (RUN_TIMEOUT_S, timeout_cb, &run);
  g_subprocess_communicate_utf8_async (run.process, NULL, NULL, communicate_cb, &run);
  while (!run.done)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timeout_id);

  if (run.error != NULL)
    g_error ("%s: %s", argv0, run.error->message);
  if (!g_subprocess_get_successful (run.process))
    g_error ("%s failed (see its messages above)", argv0);

  lines = g_strsplit (run.output != NULL ? run.output : "", "\n", -1);
  for (guint i = 0; lines[i] != NULL && found == NULL; i++)
    if (g_str_has_prefix (lines[i], "phonechat-bench|"))
      found = g_strdup (lines[i]);
  if (found == NULL)
    g_error ("%s printed no phonechat-bench line:\n%s", argv0, run.output);

  g_free (run.output);
  g_object_unref (run.process);
  return found;
}

/* Milliseconds from spawning to the first frame. */
static double
startup_ms (const char  *argv0,
            const char **env)
{
  gint64 spawn_ns;
  g_autofree char *line = run_program (argv0, env, &spawn_ns);
  gint64 frame_ns;

  if (!g_str_has_prefix (line, "phonechat-bench|first-frame|"))
    g_error ("%s: unexpected %s", argv0, line);
  frame_ns = g_ascii_strtoll (line + strlen ("phonechat-bench|first-frame|"), NULL, 10);
  return (frame_ns - spawn_ns) / 1e6;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (const double *values,
        int           n)
{
  g_autofree double *sorted = g_memdup2 (values, sizeof (double) * n);

  qsort (sorted, n, sizeof (double), compare_doubles);
  return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

static double
maximum (const double *values,
         int           n)
{
  double m = values[0];

  for (int i = 1; i < n; i++)
    m = MAX (m, values[i]);
  return m;
}

static const char *
verdict (gboolean pass)
{
  return pass ? "pass" : "FAIL";
}

static void
bench_startup (const char *renderer,
               const char *figure,
               gboolean    pass_fail)
{
  g_autofree double *app = g_new0 (double, startup_rounds);
  g_autofree double *bare = g_new0 (double, startup_rounds);
  g_autofree double *adw = g_new0 (double, startup_rounds);
  g_autofree char *renderer_env = renderer != NULL ? g_strdup_printf ("GSK_RENDERER=%s", renderer)
                                                   : g_strdup ("GSK_RENDERER");
  /* The app as a user starts it: the stored account (nothing here), no token. */
  const char *app_env[] = {
    renderer_env, "PHONECHAT_BENCH=first-frame", "PHONECHAT_TOKEN", "PHONECHAT_API_URL", NULL
  };
  const char *bare_env[] = { renderer_env, NULL };
  guint n_programs = bare_adw_path != NULL ? 3 : 2;
  double app_ms, bare_ms, adw_ms = 0, ratio;

  /* Warm the caches of each; not counted. */
  startup_ms (app_path, app_env);
  startup_ms (bare_path, bare_env);
  if (bare_adw_path != NULL)
    startup_ms (bare_adw_path, bare_env);

  /* Each round runs every program once, in an order that rotates from round to round. */
  for (int r = 0; r < startup_rounds; r++)
    for (guint k = 0; k < n_programs; k++)
      switch ((r + k) % n_programs)
        {
        case 0:
          app[r] = startup_ms (app_path, app_env);
          break;
        case 1:
          bare[r] = startup_ms (bare_path, bare_env);
          break;
        default:
          adw[r] = startup_ms (bare_adw_path, bare_env);
          break;
        }

  app_ms = median (app, startup_rounds);
  bare_ms = median (bare, startup_rounds);
  ratio = app_ms / bare_ms;
  if (bare_adw_path != NULL)
    adw_ms = median (adw, startup_rounds);

  printf ("Start-up to the first frame, GSK_RENDERER %s, %d alternating runs each:\n",
          renderer != NULL ? renderer : "(default)", startup_rounds);
  printf ("  phonechat   median %7.1f ms (slowest %.1f)\n", app_ms,
          maximum (app, startup_rounds));
  printf ("  bare window median %7.1f ms (slowest %.1f)\n", bare_ms,
          maximum (bare, startup_rounds));
  if (bare_adw_path != NULL)
    printf ("  bare libadwaita window median %7.1f ms (slowest %.1f), %.2f× the bare window\n",
            adw_ms, maximum (adw, startup_rounds), adw_ms / bare_ms);
  printf ("  ratio %.2f×\n", ratio);
  if (pass_fail)
    printf ("BENCH|%s|%.0f ms|bare GTK window %.0f ms|%.2f×|≤ 1.50×|%s\n",
            figure, app_ms, bare_ms, ratio, verdict (ratio <= 1.5));
  else
    printf ("BENCH|%s|%.0f ms|bare GTK window %.0f ms|%.2f×|report|pass\n",
            figure, app_ms, bare_ms, ratio);
  if (bare_adw_path != NULL)
    printf ("BENCH|%s, bare libadwaita window (floor)|%.0f ms|bare GTK window %.0f ms|%.2f×"
            "|report|pass\n", figure, adw_ms, bare_ms, adw_ms / bare_ms);
  fflush (stdout);
}

typedef struct
{
  guint       count;
  PcSandbox  *sandbox;
  double     *cpu_ms;
  double     *rss_mib;
  double     *heap_mib;
  double     *max_gap_ms;
  double     *max_busy_ms;
  double     *first_merge_rows;
  double     *first_merge_bookings;
  double     *merges;
  double     *frames;
} Load;

static double
field (GHashTable *fields,
       const char *key)
{
  const char *value = g_hash_table_lookup (fields, key);

  if (value == NULL)
    g_error ("The load report has no %s", key);
  return g_ascii_strtod (value, NULL);
}

static void
load_once (Load *load,
           int   r)
{
  g_autofree char *url = g_strdup_printf ("PHONECHAT_API_URL=%s",
                                          pc_sandbox_get_url (load->sandbox));
  g_autofree char *renderer = g_strdup_printf ("GSK_RENDERER=%s",
                                               load_renderer != NULL ? load_renderer : "cairo");
  const char *env[] = {
    renderer, "PHONECHAT_BENCH=load", "PHONECHAT_TOKEN=" PC_SANDBOX_DEFAULT_TOKEN, url, NULL
  };
  g_autoptr(GHashTable) fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_auto(GStrv) parts = NULL;
  g_autofree char *line = NULL;
  gint64 spawn_ns;

  line = run_program (app_path, env, &spawn_ns);
  parts = g_strsplit (line, "|", -1);
  for (guint i = 2; parts[i] != NULL; i++)
    {
      char *eq = strchr (parts[i], '=');

      if (eq != NULL)
        g_hash_table_insert (fields, g_strndup (parts[i], eq - parts[i]), g_strdup (eq + 1));
    }

  if (g_strcmp0 (g_hash_table_lookup (fields, "error"), "no") != 0 ||
      field (fields, "bookings") != load->count)
    g_error ("Loading %u bookings: %s", load->count, line);

  load->cpu_ms[r] = field (fields, "cpu_ms");
  load->rss_mib[r] = field (fields, "rss_kib") / 1024;
  load->heap_mib[r] = field (fields, "heap_kib") / 1024;
  load->max_gap_ms[r] = field (fields, "max_gap_ms");
  load->max_busy_ms[r] = field (fields, "max_busy_ms");
  load->first_merge_rows[r] = field (fields, "first_merge_rows");
  load->first_merge_bookings[r] = field (fields, "first_merge_bookings");
  load->merges[r] = field (fields, "merges");
  load->frames[r] = field (fields, "frames");
  g_printerr ("  %6u bookings: %s\n", load->count, line);
}

static void
load_init (Load  *load,
           guint  count)
{
  g_autoptr(GError) error = NULL;

  load->count = count;
  load->sandbox = pc_sandbox_new (NULL, NULL);
  pc_sandbox_load_generated (load->sandbox, count);
  if (!pc_sandbox_listen (load->sandbox, 0, &error))
    g_error ("Listening: %s", error->message);
  load->cpu_ms = g_new0 (double, load_rounds);
  load->rss_mib = g_new0 (double, load_rounds);
  load->heap_mib = g_new0 (double, load_rounds);
  load->max_gap_ms = g_new0 (double, load_rounds);
  load->max_busy_ms = g_new0 (double, load_rounds);
  load->first_merge_rows = g_new0 (double, load_rounds);
  load->first_merge_bookings = g_new0 (double, load_rounds);
  load->merges = g_new0 (double, load_rounds);
  load->frames = g_new0 (double, load_rounds);
}

static void
load_clear (Load *load)
{
  pc_sandbox_stop (load->sandbox);
  g_clear_object (&load->sandbox);
  g_free (load->cpu_ms);
  g_free (load->rss_mib);
  g_free (load->heap_mib);
  g_free (load->max_gap_ms);
  g_free (load->max_busy_ms);
  g_free (load->first_merge_rows);
  g_free (load->first_merge_bookings);
  g_free (load->merges);
  g_free (load->frames);
}

static void
bench_load (void)
{
  Load loads[3];
  Load *empty = &loads[0], *small = &loads[1], *large = &loads[2];
  double cpu_empty, cpu_small, cpu_large, ratio;
  double gap, worst_gap, rss_small, rss_large, rss_diff;
  double first_rows, first_bookings;

  load_init (empty, 0);
  load_init (small, (guint) small_count);
  load_init (large, (guint) large_count);

  g_printerr ("Loading, %d runs of each size:\n", load_rounds);
  for (int r = 0; r < load_rounds; r++)
    for (int k = 0; k < 3; k++)
      load_once (&loads[(r + k) % 3], r);

  cpu_empty = median (empty->cpu_ms, load_rounds);
  cpu_small = median (small->cpu_ms, load_rounds);
  cpu_large = median (large->cpu_ms, load_rounds);
  ratio = (cpu_large - cpu_empty) / (cpu_small - cpu_empty);
  gap = median (large->max_gap_ms, load_rounds);
  worst_gap = MAX (maximum (large->max_gap_ms, load_rounds),
                   maximum (small->max_gap_ms, load_rounds));
  rss_small = median (small->rss_mib, load_rounds);
  rss_large = median (large->rss_mib, load_rounds);
  rss_diff = rss_large - rss_small;
  first_rows = median (large->first_merge_rows, load_rounds);
  first_bookings = median (large->first_merge_bookings, load_rounds);

  printf ("Loading with GSK_RENDERER %s, medians of %d runs each (CPU: user + system of "
          "the whole app, start to the last frame of the load):\n",
          load_renderer != NULL ? load_renderer : "cairo", load_rounds);
  for (int k = 0; k < 3; k++)
    printf ("  %6u bookings: CPU %8.0f ms, RSS %6.1f MiB (heap in use %6.1f), largest frame "
            "gap %6.1f ms (worst %.1f), %.0f merges, %.0f frames\n",
            loads[k].count, median (loads[k].cpu_ms, load_rounds),
            median (loads[k].rss_mib, load_rounds), median (loads[k].heap_mib, load_rounds), median (loads[k].max_gap_ms, load_rounds),
            maximum (loads[k].max_gap_ms, load_rounds), median (loads[k].merges, load_rounds),
            median (loads[k].frames, load_rounds));
  printf ("  above the empty app: %u: %.0f ms, %u: %.0f ms, ratio %.2f× for %.0f× the "
          "bookings\n", small->count, cpu_small - cpu_empty, large->count,
          cpu_large - cpu_empty, ratio, (double) large->count / small->count);
  printf ("  rows listed once the first bookings (%.0f) had merged: %.0f of %u\n",
          first_bookings, first_rows, large->count);

  printf ("BENCH|Loading CPU, 100k vs 10k|%.2f s above empty|10k: %.2f s above empty"
          "|%.2f×|≤ 11.00×|%s\n",
          (cpu_large - cpu_empty) / 1000, (cpu_small - cpu_empty) / 1000, ratio,
          verdict (ratio <= 11.0));
  printf ("  the most main-thread CPU time between two frames (100k, median): %.1f ms\n",
          median (large->max_busy_ms, load_rounds));
  printf ("BENCH|Main-loop stall while loading|%.1f ms (worst run %.1f ms; main thread busy "
          "%.1f ms)|budget 50 ms|%.2f×|≤ 1.00×|%s\n", gap, worst_gap,
          median (large->max_busy_ms, load_rounds), gap / 50, verdict (gap <= 50));
  printf ("BENCH|Rows shown while loading|%.0f rows after the first merge|of %u when loaded"
          "|%.2g×|rows before the end|%s\n",
          first_rows, large->count, first_rows / large->count,
          verdict (first_rows > 0 && first_bookings < large->count));
  printf ("BENCH|Memory, 100k vs 10k|+%.1f MiB (%.1f vs %.1f MiB; empty %.1f)|budget 40 MiB"
          "|%.2f×|≤ 1.00×|%s\n",
          rss_diff, rss_large, rss_small, median (empty->rss_mib, load_rounds),
          rss_diff / 40, verdict (rss_diff <= 40));
  fflush (stdout);

  for (int k = 0; k < 3; k++)
    load_clear (&loads[k]);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  gboolean do_startup = TRUE;
  gboolean do_load = TRUE;
  const char *only = g_getenv ("PHONECHAT_BENCH_ONLY");

  g_option_context_set_summary (context, "Measures PhoneChat's start-up, loading and memory.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  if (app_path == NULL || bare_path == NULL || startup_rounds < 1 || load_rounds < 1 ||
      small_count < 1 || large_count < 1)
    {
      g_printerr ("--app and --bare are needed; rounds and counts must be 1 or more.\n");
      return EXIT_FAILURE;
    }

  /* A connection of our own for the whole run: an X server such as Xvfb resets when its
   * last client leaves, and a program started meanwhile could not open the display. */
  if (!gtk_init_check ())
    {
      g_printerr ("bench-app: cannot open a display; run it under xvfb-run\n");
      return EXIT_FAILURE;
    }

  /* PHONECHAT_BENCH_ONLY=startup or =load runs one half. */
  if (g_strcmp0 (only, "startup") == 0)
    do_load = FALSE;
  else if (g_strcmp0 (only, "load") == 0)
    do_startup = FALSE;

  if (do_startup)
    {
      bench_startup ("cairo", "Start-up, cairo", TRUE);
      bench_startup (NULL, "Start-up, default renderer", FALSE);
    }
  if (do_load)
    bench_load ();

  g_clear_pointer (&app_path, g_free);
  g_clear_pointer (&bare_path, g_free);
  g_clear_pointer (&bare_adw_path, g_free);
  g_clear_pointer (&load_renderer, g_free);
  return EXIT_SUCCESS;
}
