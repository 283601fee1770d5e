/** Every way a generation can fail, as a machine-readable code. */
export type ErrorCode =
  | 'invalid_prompt'
  | 'not_configured'
  | 'bad_request'
  | 'unauthorized'
  | 'method_not_allowed'
  | 'rate_limited'
  | 'quota_exceeded'
  | 'server_error'
  | 'timeout'
  | 'network'
  | 'invalid_response'
  | 'too_large'
  | 'io'
  | 'aborted'
  | 'closed';

/** Every {@link ErrorCode}, for validation and exhaustive tables. */
export const ERROR_CODES: readonly ErrorCode[] = [
  'invalid_prompt',
  'not_configured',
  'bad_request',
  'unauthorized',
  'method_not_allowed',
  'rate_limited',
  'quota_exceeded',
  'server_error',
  'timeout',
  'network',
  'invalid_response',
  'too_large',
  'io',
  'aborted',
  'closed',
];

/** The fields of an {@link ImageGenerationError}. */
export interface ImageGenerationErrorInit {
  code: ErrorCode;
  message: string;
  model: string;
  status?: number;
  retryable?: boolean;
  retryAfterMs?: number;
  attempts?: number;
  /** The upstream's own error code (Cloudflare's `errors[0].code`, such as 3040). */
  providerCode?: number;
  cause?: unknown;
}

// A registry-wide symbol: two copies of this package (say, one bundled by a dependency) still
// recognise each other's errors, which a plain `instanceof` would not.
const marker = Symbol.for('@imagegen/core/ImageGenerationError');

/**
 * The one error type of imagegen. Callers branch on `code`, `status` and `retryable`, never on
 * the message text.
 *
 * @example
 * const result = await generator.generateWithFlux('a cat');
 * if (!result.ok && result.error.code === 'rate_limited') {
 *   console.log(`retry in ${result.error.retryAfterMs ?? 1000} ms`);
 * }
 */
export class ImageGenerationError extends Error {
  override readonly name = 'ImageGenerationError';
  readonly code: ErrorCode;
  readonly model: string;
  readonly status: number | undefined;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  /** How many HTTP attempts were made before this error was final (0: none was sent). */
  readonly attempts: number;
  /** The upstream's own error code, when it gave one (Cloudflare's 3040, 3036, 5007...). */
  readonly providerCode: number | undefined;

  constructor(init: ImageGenerationErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.model = init.model;
    this.status = init.status;
    this.retryable = init.retryable ?? false;
    this.retryAfterMs = init.retryAfterMs;
    this.attempts = init.attempts ?? 0;
    this.providerCode = init.providerCode;
    Object.defineProperty(this, marker, { value: true });
  }

  /**
   * The same error with its final count of attempts: a new error, since errors never change
   * once made (a caller may already hold this one).
   *
   * @example
   * const final = error.withAttempts(4);
   */
  withAttempts(attempts: number): ImageGenerationError {
    if (attempts === this.attempts) return this;
    const { code, message, model, status, retryable, retryAfterMs, providerCode } = this;
    return new ImageGenerationError({
      code,
      message,
      model,
      ...(status === undefined ? {} : { status }),
      retryable,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      attempts,
      ...(providerCode === undefined ? {} : { providerCode }),
      ...(this.cause === undefined ? {} : { cause: this.cause }),
    });
  }

  /**
   * True for any `ImageGenerationError`, even one made by another copy of this package.
   *
   * @example
   * if (ImageGenerationError.isInstance(error)) console.log(error.code);
   */
  static isInstance(value: unknown): value is ImageGenerationError {
    return typeof value === 'object' && value !== null && marker in value;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return ImageGenerationError.isInstance(value);
  }

  /** The error as plain data, as the CLI's `--json` and the gateway's logs show it. */
  toJSON(): {
    code: ErrorCode;
    message: string;
    model: string;
    status?: number;
    retryable: boolean;
    retryAfterMs?: number;
    attempts: number;
    providerCode?: number;
  } {
    return {
      code: this.code,
      message: this.message,
      model: this.model,
      ...(this.status === undefined ? {} : { status: this.status }),
      retryable: this.retryable,
      ...(this.retryAfterMs === undefined ? {} : { retryAfterMs: this.retryAfterMs }),
      attempts: this.attempts,
      ...(this.providerCode === undefined ? {} : { providerCode: this.providerCode }),
    };
  }
}
