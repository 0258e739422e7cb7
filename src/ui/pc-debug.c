/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pc-debug"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pc-debug.h"

static gint64 init_time;  /* monotonic µs at pc_debug_startup_init() */
static int enabled = -1;

void
pc_debug_startup_init (void)
{
  if (init_time == 0)
    init_time = g_get_monotonic_time ();
}

gboolean
pc_debug_startup_enabled (void)
{
  if (enabled < 0)
    enabled = g_strcmp0 (g_getenv ("PHONECHAT_DEBUG_STARTUP"), "1") == 0;

  return enabled;
}

/* Milliseconds since the kernel started this process (exec), from /proc/self/stat
 * (resolution: one clock tick, usually 10 ms). Negative when unknown. */
static double
ms_since_exec (void)
{
  g_autofree char *stat = NULL;
  const char *p;
  unsigned long long start_ticks;
  struct timespec now;
  long ticks_per_second = sysconf (_SC_CLK_TCK);

  if (ticks_per_second <= 0 ||
      !g_file_get_contents ("/proc/self/stat", &stat, NULL, NULL) ||
      clock_gettime (CLOCK_BOOTTIME, &now) != 0)
    return -1;

  /* The command name may contain spaces: fields are counted after its ')'. Field 22,
   * starttime, is the 20th field after it. */
  p = strrchr (stat, ')');
  if (p == NULL)
    return -1;
  p++;
  for (int field = 3; field < 22; field++)
    {
      p = strchr (p + 1, ' ');
      if (p == NULL)
        return -1;
    }
  if (sscanf (p, " %llu", &start_ticks) != 1)
    return -1;

  return (now.tv_sec * 1000.0 + now.tv_nsec / 1e6) - (start_ticks * 1000.0 / ticks_per_second);
}

/* Called from a GDK frame clock's after-paint: the frame has been drawn. */
void
pc_debug_startup_mark (const char *event)
{
  if (!pc_debug_startup_enabled ())
    return;

  fprintf (stderr, "phonechat-startup: %s: %.1f ms since exec, %.1f ms since app init, "
           "realtime %" G_GINT64_FORMAT " us\n",
           event,
           ms_since_exec (),
           init_time > 0 ? (g_get_monotonic_time () - init_time) / 1000.0 : -1.0,
           g_get_real_time ());
}
