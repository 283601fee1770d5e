import type { ErrorCode, ImageGenerationError } from '@imagegen/core';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { GatewayError } from './openai-error.js';

type Row = { status: ContentfulStatusCode; type: string; code: string; param?: string };

// Core error code -> the gateway's answer. Upstream auth and configuration problems are the
// server's, not the client's: 502, and the key is never echoed.
const rows: Readonly<Record<ErrorCode, Row>> = {
  invalid_prompt: { status: 400, type: 'invalid_request_error', code: 'invalid_prompt', param: 'prompt' },
  bad_request: { status: 400, type: 'invalid_request_error', code: 'upstream_bad_request' },
  not_configured: { status: 502, type: 'server_error', code: 'upstream_not_configured' },
  unauthorized: { status: 502, type: 'server_error', code: 'upstream_unauthorized' },
  method_not_allowed: { status: 502, type: 'server_error', code: 'upstream_method_not_allowed' },
  rate_limited: { status: 429, type: 'rate_limit_error', code: 'rate_limit_exceeded' },
  quota_exceeded: { status: 429, type: 'insufficient_quota', code: 'insufficient_quota' },
  server_error: { status: 502, type: 'server_error', code: 'upstream_error' },
  network: { status: 502, type: 'server_error', code: 'upstream_unreachable' },
  invalid_response: { status: 502, type: 'server_error', code: 'upstream_invalid_response' },
  too_large: { status: 502, type: 'server_error', code: 'upstream_image_too_large' },
  timeout: { status: 504, type: 'server_error', code: 'upstream_timeout' },
  io: { status: 500, type: 'server_error', code: 'storage_error' },
  aborted: { status: 503, type: 'server_error', code: 'aborted' },
  closed: { status: 503, type: 'server_error', code: 'shutting_down' },
};

/**
 * The gateway's answer for a failed generation: status, OpenAI error type and code, and
 * `Retry-After` passed through for a 429.
 *
 * @example
 * gatewayErrorFor(result.error).status; // 429 for rate_limited
 */
export function gatewayErrorFor(error: ImageGenerationError): GatewayError {
  const row = rows[error.code];
  // A bad_request the core refused before sending (an unsupported parameter) names no upstream.
  const code = error.code === 'bad_request' && error.status === undefined ? 'invalid_value' : row.code;
  const headers: Record<string, string> =
    error.code === 'rate_limited' ? { 'retry-after': String(Math.max(1, Math.ceil((error.retryAfterMs ?? 1000) / 1000))) } : {};
  return new GatewayError({ status: row.status, message: error.message, type: row.type, code, param: row.param ?? null, headers });
}
