/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "fault-table.h"

/* Each fault once, with what the list and the re-invite meet. A status applies to the
 * path of the request under test; every other fault to any request. */
const PcTestFault pc_test_faults[] = {
  { "latency-beyond-timeout", .latency_ms = PC_TEST_NEVER_MS,
    .list_code = PC_API_ERROR_TIMED_OUT, .list_text = "did not answer within 1 second",
    .reinvite_code = PC_API_ERROR_OUTCOME_UNKNOWN, .rereads = TRUE },
  { "status-429", .status = 429,
    .list_code = PC_API_ERROR_RATE_LIMITED, .list_text = "Wait a minute and try again",
    .reinvite_code = PC_API_ERROR_RATE_LIMITED },
  { "status-429-retry-after", .status = 429, .retry_after = 30,
    .list_code = PC_API_ERROR_RATE_LIMITED, .list_text = "Try again in 30 seconds",
    .reinvite_code = PC_API_ERROR_RATE_LIMITED },
  { "status-500", .status = 500,
    .list_code = PC_API_ERROR_SERVER, .list_text = "(HTTP 500 Internal Server Error)",
    .reinvite_code = PC_API_ERROR_SERVER },
  { "status-500-retry-after", .status = 500, .retry_after = 5,
    .list_code = PC_API_ERROR_SERVER, .list_text = "(HTTP 500 Internal Server Error)",
    .reinvite_code = PC_API_ERROR_SERVER },
  /* A gateway that lost the answer may have passed the request on: the booking is read
   * again, and while it shows pending whether it was re-invited is unknown. */
  { "status-502", .status = 502,
    .list_code = PC_API_ERROR_SERVER, .list_text = "(HTTP 502 Bad Gateway)",
    .reinvite_code = PC_API_ERROR_OUTCOME_UNKNOWN, .rereads = TRUE },
  { "status-502-retry-after", .status = 502, .retry_after = 5,
    .list_code = PC_API_ERROR_SERVER, .list_text = "(HTTP 502 Bad Gateway)",
    .reinvite_code = PC_API_ERROR_OUTCOME_UNKNOWN, .rereads = TRUE },
  { "status-503", .status = 503,
    .list_code = PC_API_ERROR_SERVER, .list_text = "(HTTP 503 Service Unavailable)",
    .reinvite_code = PC_API_ERROR_SERVER },
  { "status-503-retry-after", .status = 503, .retry_after = 120,
    .list_code = PC_API_ERROR_SERVER, .list_text = "(HTTP 503 Service Unavailable)",
    .reinvite_code = PC_API_ERROR_SERVER },
  { "status-504", .status = 504,
    .list_code = PC_API_ERROR_SERVER, .list_text = "(HTTP 504 Gateway Timeout)",
    .reinvite_code = PC_API_ERROR_OUTCOME_UNKNOWN, .rereads = TRUE },
  { "status-504-retry-after", .status = 504, .retry_after = 5,
    .list_code = PC_API_ERROR_SERVER, .list_text = "(HTTP 504 Gateway Timeout)",
    .reinvite_code = PC_API_ERROR_OUTCOME_UNKNOWN, .rereads = TRUE },
  /* The connection ends before any answer: the server did nothing, but the client cannot
   * tell that from a server that did it and then failed, so the outcome is unknown. */
  { "drop-before-headers", .drop = TRUE,
    .list_code = PC_API_ERROR_CANNOT_CONNECT, .list_text = "the connection to the server was lost",
    .reinvite_code = PC_API_ERROR_OUTCOME_UNKNOWN, .rereads = TRUE },
  { "reset-before-headers", .reset = PC_SANDBOX_RESET_BEFORE_HEADERS,
    .list_code = PC_API_ERROR_CANNOT_CONNECT, .list_text = "the connection to the server was lost",
    .reinvite_code = PC_API_ERROR_OUTCOME_UNKNOWN, .rereads = TRUE },
  /* The server did it, and its answer breaks off: a lost connection, not a strange
   * answer. The re-invite learns from the booking that it happened. */
  { "reset-mid-body", .reset = PC_SANDBOX_RESET_MID_BODY,
    .list_code = PC_API_ERROR_CANNOT_CONNECT, .list_text = "the connection to the server was lost",
    .reinvite_code = PC_TEST_SUCCEEDS, .rereads = TRUE },
  { "truncated-body", .truncate = TRUE,
    .list_code = PC_API_ERROR_CANNOT_CONNECT, .list_text = "the connection to the server was lost",
    .reinvite_code = PC_TEST_SUCCEEDS, .rereads = TRUE },
  /* A 200 that cannot be read: the server did nothing, the booking shows it pending, and
   * the client cannot tell that from a server still at work: the outcome is unknown. */
  { "body-over-cap", .body = PC_SANDBOX_BODY_OVERSIZED,
    .list_code = PC_API_ERROR_TOO_LARGE, .list_text = "larger than the limit of 8.4",
    .reinvite_code = PC_API_ERROR_OUTCOME_UNKNOWN, .rereads = TRUE },
  { "html", .body = PC_SANDBOX_BODY_HTML,
    .list_code = PC_API_ERROR_NOT_JSON, .list_text = "an HTML page",
    .reinvite_code = PC_API_ERROR_OUTCOME_UNKNOWN, .rereads = TRUE },
  { "html-503", .status = 503, .body = PC_SANDBOX_BODY_HTML,
    .list_code = PC_API_ERROR_SERVER, .list_text = "(HTTP 503 Service Unavailable)",
    .reinvite_code = PC_API_ERROR_SERVER },
  { "xml", .body = PC_SANDBOX_BODY_XML,
    .list_code = PC_API_ERROR_NOT_JSON, .list_text = "an XML document",
    .reinvite_code = PC_API_ERROR_OUTCOME_UNKNOWN, .rereads = TRUE },
  { "wrong-shape", .body = PC_SANDBOX_BODY_WRONG_SHAPE,
    .list_code = PC_API_ERROR_MALFORMED, .list_text = "not in the form PhoneChat expects",
    .reinvite_code = PC_API_ERROR_OUTCOME_UNKNOWN, .rereads = TRUE },
  /* 10 MiB of nickname is over the 8 MiB cap: refused before it is read. */
  { "huge-nickname", .body = PC_SANDBOX_BODY_HUGE_NICKNAME,
    .list_code = PC_API_ERROR_TOO_LARGE, .list_text = "larger than the limit of 8.4",
    .reinvite_code = PC_API_ERROR_OUTCOME_UNKNOWN, .rereads = TRUE },
};

const guint pc_test_n_faults = G_N_ELEMENTS (pc_test_faults);

void
pc_test_fault_inject (PcSandbox         *sandbox,
                      const PcTestFault *fault,
                      const char        *path)
{
  pc_sandbox_set_latency (sandbox, fault->latency_ms);
  if (fault->status != 0)
    pc_sandbox_set_path_status_full (sandbox, path, fault->status, fault->retry_after);
  pc_sandbox_set_truncate_bodies (sandbox, fault->truncate);
  pc_sandbox_set_drop_connections (sandbox, fault->drop);
  pc_sandbox_set_reset (sandbox, fault->reset);
  pc_sandbox_set_canned_body (sandbox, fault->body);
  pc_sandbox_set_fault_limit (sandbox, 1);
}

gboolean
pc_test_fault_reinvite_code_ok (const PcTestFault *fault,
                                int                code)
{
  return code == fault->reinvite_code;
}
