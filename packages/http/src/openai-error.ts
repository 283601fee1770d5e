import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** OpenAI's error body: what every client of its API already parses. */
export interface OpenAiErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

/** What a {@link GatewayError} says: its status and OpenAI's error fields. */
export interface GatewayErrorInit {
  status: ContentfulStatusCode;
  message: string;
  /** OpenAI's error type: `invalid_request_error`, `rate_limit_error`, `server_error`. */
  type: string;
  /** A stable, machine-readable code. @default null */
  code?: string | null;
  /** The request field at fault. @default null */
  param?: string | null;
  /** Headers the answer carries (Retry-After). */
  headers?: Readonly<Record<string, string>>;
}

/**
 * An error the gateway answers in OpenAI's shape, with the status its clients map to their
 * typed errors (400 BadRequestError, 401 AuthenticationError, 429 RateLimitError, 5xx
 * InternalServerError). Never changed once made.
 *
 * @example
 * throw new GatewayError({ status: 404, message: 'No such image', type: 'invalid_request_error', code: 'not_found' });
 */
export class GatewayError extends Error {
  override readonly name = 'GatewayError';
  readonly status: ContentfulStatusCode;
  readonly type: string;
  readonly code: string | null;
  readonly param: string | null;
  readonly headers: Readonly<Record<string, string>>;

  constructor(init: GatewayErrorInit) {
    super(init.message);
    this.status = init.status;
    this.type = init.type;
    this.code = init.code ?? null;
    this.param = init.param ?? null;
    this.headers = init.headers ?? {};
  }

  /** The JSON body. */
  body(): OpenAiErrorBody {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

/** A 400 for a client's bad input, naming the parameter. */
export const invalidRequest = (message: string, param: string | null, code = 'invalid_value'): GatewayError =>
  new GatewayError({ status: 400, message, type: 'invalid_request_error', code, param });
