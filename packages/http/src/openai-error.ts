import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** OpenAI's error body: what every client of its API already parses. */
export interface OpenAiErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

/**
 * An error the gateway answers in OpenAI's shape, with the status its clients map to their
 * typed errors (400 BadRequestError, 401 AuthenticationError, 429 RateLimitError, 5xx
 * InternalServerError).
 */
export class GatewayError extends Error {
  override readonly name = 'GatewayError';

  constructor(
    readonly status: ContentfulStatusCode,
    message: string,
    readonly type: string,
    readonly code: string | null = null,
    readonly param: string | null = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  /** The JSON body. */
  body(): OpenAiErrorBody {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

/** A 400 for a client's bad input, naming the parameter. */
export const invalidRequest = (message: string, param: string | null, code = 'invalid_value'): GatewayError =>
  new GatewayError(400, message, 'invalid_request_error', code, param);
