import { APICallError } from '@ai-sdk/provider';
import type { ErrorCode, ImageGenerationError } from '@imagegen/core';

// The status an error gets when no upstream answered one (refused before sending, a timeout, a
// dropped connection): the gateway's choices, so one failure reads the same everywhere.
const STATUS_BY_CODE: Readonly<Record<ErrorCode, number>> = {
  invalid_prompt: 400,
  bad_request: 400,
  not_configured: 500,
  unauthorized: 401,
  method_not_allowed: 405,
  rate_limited: 429,
  quota_exceeded: 429,
  server_error: 502,
  network: 502,
  invalid_response: 502,
  too_large: 502,
  timeout: 504,
  io: 500,
  aborted: 499,
  closed: 503,
};

/** What an error says about the call that failed: where it went and what it sent (never an image's bytes). */
export interface FailedCall {
  /** The model's alias. */
  model: string;
  /** The inputs sent, as the AI SDK's `requestBodyValues`. */
  values: Record<string, unknown>;
  /**
   * True when imagegen retried the call itself (the provider's `maxRetries`): the error is then
   * final, so that `generateImage` does not retry what imagegen already retried.
   */
  retriedByImagegen: boolean;
}

/**
 * imagegen's error as the AI SDK's `APICallError`: `isRetryable` is imagegen's decision (3040 and
 * 5xx yes, 3036, 5007 and bad input no), `Retry-After` is passed in `responseHeaders` (the AI SDK's
 * retry waits for it), and the imagegen error stays in `cause` and `data` (`code`,
 * `providerCode`, `attempts`).
 *
 * @example
 * throw apiCallError(result.error, { model: 'flux', values: { prompt }, retriedByImagegen: false });
 */
export function apiCallError(error: ImageGenerationError, call: FailedCall): APICallError {
  const retryAfter =
    error.retryAfterMs === undefined
      ? undefined
      : { 'retry-after-ms': String(error.retryAfterMs), 'retry-after': String(Math.max(1, Math.ceil(error.retryAfterMs / 1000))) };
  return new APICallError({
    message: error.message,
    // imagegen picks the upstream (a worker, the REST API, AI Gateway, the binding) per call: the
    // URL names the model and the route class, not an endpoint with its account id.
    url: `imagegen:${call.model}`,
    requestBodyValues: call.values,
    statusCode: error.status ?? STATUS_BY_CODE[error.code],
    ...(retryAfter ? { responseHeaders: retryAfter } : {}),
    isRetryable: call.retriedByImagegen ? false : error.retryable,
    cause: error,
    data: error.toJSON(),
  });
}

/**
 * A call refused before anything was sent (an unknown provider option, a file that can't be
 * read): an `APICallError` with status 400 that no retry can mend.
 *
 * @example
 * throw refusedCall('flux', 'unknown option providerOptions.imagegen.stepz', { prompt });
 */
export function refusedCall(model: string, message: string, values: Record<string, unknown>): APICallError {
  return new APICallError({ message, url: `imagegen:${model}`, requestBodyValues: values, statusCode: 400, isRetryable: false });
}
