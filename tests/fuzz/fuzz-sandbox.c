/* SPDX-License-Identifier: GPL-3.0-or-later */

/* libFuzzer harness for the sandbox's request reading: each input is the raw bytes a
 * client sends on one connection (HTTP/1.1, possibly several requests), handed to the
 * sandbox's real SoupServer as an in-memory stream. libsoup parses the requests; the
 * sandbox's handlers read query strings, JSON bodies, form bodies, the faults control
 * document and the OAuth endpoints. A fresh sandbox per input keeps inputs independent. */

#include "config.h"

#include <string.h>

#include "pc-clock.h"
#include "pc-sandbox-private.h"

int LLVMFuzzerTestOneInput (const guint8 *data,
                            size_t        size);

/* Enough for a connection with a few requests to be read and answered; a request that a
 * latency fault holds is dropped with the sandbox. */
#define MAX_ITERATIONS 2000

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 27, 9, 0, 0);
  g_autoptr(PcClock) clock = pc_clock_new_fixed (now);
  g_autoptr(PcSandbox) sandbox = pc_sandbox_new (clock, NULL);
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(GInputStream) input = NULL;
  g_autoptr(GOutputStream) output = NULL;
  g_autoptr(GIOStream) stream = NULL;
  g_autoptr(GSocketAddress) local = NULL;
  g_autoptr(GSocketAddress) remote = NULL;
  g_autoptr(GError) error = NULL;
  guint iterations = 0;

  pc_sandbox_load_demo (sandbox);
  if (!pc_sandbox_listen (sandbox, 0, &error))
    g_error ("Could not start the sandbox: %s", error->message);

  input = g_memory_input_stream_new_from_bytes (bytes);
  output = g_memory_output_stream_new_resizable ();
  stream = g_simple_io_stream_new (input, output);
  local = g_inet_socket_address_new_from_string ("127.0.0.1", pc_sandbox_get_port (sandbox));
  remote = g_inet_socket_address_new_from_string ("127.0.0.1", 40000);

  if (!soup_server_accept_iostream (sandbox->server, stream, local, remote, &error))
    g_error ("The sandbox refused a stream: %s", error->message);

  while (g_main_context_iteration (NULL, FALSE) && ++iterations < MAX_ITERATIONS)
    ;

  g_debug ("%zu bytes in, %zu bytes answered, %u requests logged", size,
           g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (output)),
           pc_sandbox_count_requests (sandbox, NULL, NULL));

  pc_sandbox_stop (sandbox);
  g_clear_object (&sandbox);
  while (g_main_context_iteration (NULL, FALSE) && ++iterations < 2 * MAX_ITERATIONS)
    ;

  return 0;
}
