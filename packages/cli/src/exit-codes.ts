import type { ErrorCode, ImageGenerationError } from '@imagegen/core';

/** The exit codes, as `--help` and the README document them. */
export const EXIT = {
  ok: 0,
  /** Some prompts of a batch failed, or a local I/O error. */
  failed: 1,
  usage: 2,
  notConfigured: 3,
  rejected: 4,
  workerFailure: 5,
  interrupted: 130,
} as const;

const byCode: Readonly<Record<ErrorCode, number>> = {
  invalid_prompt: EXIT.usage,
  bad_request: EXIT.rejected,
  not_configured: EXIT.notConfigured,
  unauthorized: EXIT.rejected,
  method_not_allowed: EXIT.rejected,
  rate_limited: EXIT.rejected,
  quota_exceeded: EXIT.rejected,
  server_error: EXIT.workerFailure,
  timeout: EXIT.workerFailure,
  network: EXIT.workerFailure,
  invalid_response: EXIT.workerFailure,
  too_large: EXIT.workerFailure,
  io: EXIT.failed,
  aborted: EXIT.interrupted,
  closed: EXIT.interrupted,
};

/** The exit code for a failed generation. A bad_request never sent (no status) is the user's input: 2. */
export function exitCodeFor(error: ImageGenerationError): number {
  if (error.code === 'bad_request' && error.status === undefined) return EXIT.usage;
  return byCode[error.code];
}

/** The exit code table for `--help`. */
export const EXIT_CODES_HELP = `Exit codes:
  0    success
  1    some prompts of a batch failed, or a local I/O error
  2    usage error or invalid input (bad flag, empty or too long prompt)
  3    not configured (a worker URL or the SDXL key is missing or invalid)
  4    rejected by the worker (HTTP 400, 401, 405, 429, a used-up quota)
  5    worker or network failure after retries, timeout, bad or too large response
  130  interrupted (Ctrl-C)`;
