/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pc-api.h"
#include "pc-sandbox.h"

G_BEGIN_DECLS

/* The faults of the fault suite, one table for test-faults (PcApi, phonechat-cli) and
 * test-faults-ui (the window, the re-invite dialog). */

/* A sandbox latency longer than any test runs: the server never answers. The API and the
 * CLI give up after a second then. */
#define PC_TEST_NEVER_MS        (60 * 60 * 1000)
#define PC_TEST_SHORT_TIMEOUT_S 1

/* The re-invite worked after all: its answer was lost, and reading the booking again
 * found it rejected. */
#define PC_TEST_SUCCEEDS (-1)

typedef struct
{
  const char          *name;

  /* The fault: a status applies to the path of the request under test. */
  guint                latency_ms;
  guint                status;
  guint                retry_after;
  gboolean             truncate;
  gboolean             drop;
  PcSandboxReset       reset;
  PcSandboxCannedBody  body;

  /* What the list meets: the error code, and a part of its message. */
  PcApiError           list_code;
  const char          *list_text;
  /* What the re-invite meets: the error code or PC_TEST_SUCCEEDS, and whether the booking
   * is read again to learn what happened. */
  int                  reinvite_code;
  gboolean             rereads;
} PcTestFault;

extern const PcTestFault pc_test_faults[];
extern const guint       pc_test_n_faults;

/* Turns @fault on in @sandbox for the next request it affects only; a status applies to
 * @path. */
void pc_test_fault_inject (PcSandbox         *sandbox,
                           const PcTestFault *fault,
                           const char        *path);

/* Whether @code is what the re-invite may meet under @fault. */
gboolean pc_test_fault_reinvite_code_ok (const PcTestFault *fault,
                                         int                code);

G_END_DECLS
