import type { ErrorCode } from './errors.js';

/** How a worker's HTTP status maps to an error code: a table, not an if-chain. */
const codeByStatus: Readonly<Record<number, ErrorCode>> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'unauthorized',
  405: 'method_not_allowed',
  413: 'too_large',
  429: 'rate_limited',
};

/** The error code for a non-2xx status: listed statuses first, then any 5xx, then any 4xx. */
export function codeForStatus(status: number): ErrorCode {
  return codeByStatus[status] ?? (status >= 500 ? 'server_error' : 'bad_request');
}

type MessageContext = { status?: number; retryAfterMs?: number; detail?: string; model: string };

/** imagegen's messages, one per code; a model may override some (SDXL: 401, 405). */
export const defaultMessages: Readonly<Record<ErrorCode, (context: MessageContext) => string>> = {
  invalid_prompt: ({ detail }) => `Invalid prompt: ${detail ?? 'prompt must not be empty'}`,
  not_configured: ({ detail, model }) => detail ?? `${model} worker URL not configured`,
  bad_request: ({ detail }) => (detail ? `Invalid prompt or request format: ${detail}` : 'Invalid prompt or request format'),
  unauthorized: ({ status }) => `Worker refused the request as unauthorized (HTTP ${status ?? 401})`,
  method_not_allowed: () => 'Invalid request method',
  rate_limited: ({ retryAfterMs }) =>
    retryAfterMs === undefined
      ? 'Rate limit exceeded, please try again later'
      : `Rate limit exceeded, please retry after ${Math.ceil(retryAfterMs / 1000)} s`,
  quota_exceeded: ({ detail }) => `Quota exceeded: ${detail ?? 'the account has used up its allocation'}`,
  server_error: ({ status }) => `Service error (HTTP ${status ?? 500}), please try again later`,
  timeout: () => 'Image generation request timed out',
  network: ({ detail }) => `Network error during image generation: ${detail ?? 'connection failed'}`,
  invalid_response: ({ detail }) => `Invalid response from the worker: ${detail ?? 'not an image'}`,
  too_large: ({ detail }) => `Image too large: ${detail ?? 'the worker refused the request size'}`,
  io: ({ detail }) => `Could not save the image: ${detail ?? 'write failed'}`,
  aborted: () => 'Image generation was aborted',
  closed: () => 'Image generator is closed',
};

/** Which codes a later attempt may fix. 429 is retryable in nature; the policy retries it only on opt-in. */
export const retryableCodes: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'rate_limited',
  'server_error',
  'timeout',
  'network',
  'invalid_response',
]);
