import { routeRegistry } from './routes/registry.js';
import { type CloudflareFailure, cloudflareMeaning } from './cloudflare-errors.js';
import { type ErrorCode, ImageGenerationError } from './errors.js';
import type { ImageModel } from './models/model.js';
import { retryAfterMs } from './retry-timing.js';
import type { TransportResponse } from './ports.js';
import type { Settings } from './settings.js';
import { codeForStatus, defaultMessages, retryableCodes } from './status-table.js';
import { causeCodes, networkDetail } from './transport-errors.js';

/** What an error may say beyond its code. */
export interface ErrorDetails {
  detail?: string | undefined;
  status?: number;
  retryAfterMs?: number | undefined;
  retryable?: boolean;
  providerCode?: number;
  cause?: unknown;
}

/**
 * An error of `code` with imagegen's message for it: the message table, retryability by
 * code. The generator's {@link ErrorFactory} adds the model's own messages and redaction; this
 * serves where no generator exists yet (settings) or outside it (the CLI's batch lines).
 *
 * @example
 * imageError('invalid_prompt', 'flux', { detail: 'prompt must not be empty' }).message; // 'Invalid prompt: prompt must not be empty'
 */
export function imageError(code: ErrorCode, model: string, details: ErrorDetails = {}, message?: string): ImageGenerationError {
  const text =
    message ?? defaultMessages[code]({ model, detail: details.detail, status: details.status, retryAfterMs: details.retryAfterMs });
  return new ImageGenerationError({
    code,
    message: text,
    model,
    ...(details.status === undefined ? {} : { status: details.status }),
    retryable: details.retryable ?? retryableCodes.has(code),
    ...(details.retryAfterMs === undefined ? {} : { retryAfterMs: details.retryAfterMs }),
    ...(details.providerCode === undefined ? {} : { providerCode: details.providerCode }),
    ...(details.cause === undefined ? {} : { cause: details.cause }),
  });
}

/** The abort reason of `close()`: a call it stops fails with `closed`, not `aborted`. */
export const CLOSED = Symbol('closed');

/**
 * The one place errors are made: the message table (a model may override some), secrets
 * redacted from every message, retryability by code. Errors come out whole and are never
 * changed after.
 *
 * @example
 * const errors = new ErrorFactory(defaultModels, settings);
 * errors.make('timeout', 'flux').message; // 'Image generation request timed out'
 */
export class ErrorFactory {
  private readonly secrets: string[];

  constructor(
    private readonly models: Readonly<Record<string, ImageModel>>,
    settings: Settings,
  ) {
    this.secrets = [...routeRegistry.secrets(settings), ...Object.values(models).flatMap((model) => model.secrets?.(settings) ?? [])];
  }

  /** An error of `code` for `model`, with its message from the table (or `message`, redacted all the same). */
  make(code: ErrorCode, model: string, details: ErrorDetails = {}, message?: string): ImageGenerationError {
    const override = message ?? (Object.hasOwn(this.models, model) ? this.models[model]?.messages?.[code] : undefined);
    const text =
      override ?? defaultMessages[code]({ model, detail: details.detail, status: details.status, retryAfterMs: details.retryAfterMs });
    return imageError(code, model, details, this.redact(text));
  }

  /**
   * The error for a worker's non-2xx answer; a 429 carries how long it asked to wait. `messages`
   * are the route's own words for some codes (the SDXL worker's).
   */
  forStatus(
    model: string,
    response: Pick<TransportResponse, 'status' | 'headers'>,
    now: number,
    detail?: string,
    messages?: Partial<Record<ErrorCode, string>>,
  ): ImageGenerationError {
    const code = codeForStatus(response.status);
    const wait = code === 'rate_limited' ? retryAfterMs(response.headers, now) : undefined;
    return this.make(code, model, { status: response.status, retryAfterMs: wait, detail }, messages?.[code]);
  }

  /**
   * The error for a non-2xx answer of Cloudflare (REST, AI Gateway, the local preview): its
   * error code read as imagegen's (3040 `rate_limited`, 3036 `quota_exceeded`, ...), kept as
   * `providerCode`; an unknown code falls back on the HTTP status with Cloudflare's words.
   */
  forCloudflare(
    model: Pick<ImageModel, 'name' | 'workersAiName'>,
    response: Pick<TransportResponse, 'status' | 'headers'>,
    now: number,
    failure: CloudflareFailure = {},
  ): ImageGenerationError {
    const { status } = response;
    const meaning = cloudflareMeaning(failure, status, { alias: model.name, id: model.workersAiName });
    const code = meaning?.code ?? codeForStatus(status);
    const details: ErrorDetails = {
      status,
      retryAfterMs: code === 'rate_limited' ? retryAfterMs(response.headers, now) : undefined,
      ...(meaning?.retryable === undefined ? {} : { retryable: meaning.retryable }),
      ...(failure.code === undefined ? {} : { providerCode: failure.code }),
    };
    // Cloudflare's own words stay in the message, after imagegen's reading of its code.
    if (meaning)
      return this.make(code, model.name, details, failure.message ? `${meaning.message}: "${failure.message}"` : meaning.message);
    const said = failure.message && `${failure.message}${failure.code === undefined ? '' : ` (Cloudflare ${failure.code})`}`;
    // Cloudflare's own words follow the table's message, unless the message already holds them.
    const base = defaultMessages[code]({ model: model.name, status, detail: said, retryAfterMs: details.retryAfterMs });
    return this.make(code, model.name, details, said && !base.includes(said) ? `${base}: ${said}` : base);
  }

  /**
   * Anything an attempt threw, as an `ImageGenerationError`: ours as they are; an abort as
   * `aborted` (or `closed`); a transport failure as `timeout` when a timeout code is along its
   * cause chain, else `network` naming the most specific cause.
   */
  fromThrown(error: unknown, model: string, signal: Pick<AbortSignal, 'aborted' | 'reason'>): ImageGenerationError {
    if (ImageGenerationError.isInstance(error)) return error;
    if (signal.aborted) return this.make(signal.reason === CLOSED ? 'closed' : 'aborted', model, { cause: error });
    if (causeCodes(error).some((code) => /TIMEOUT/i.test(code))) return this.make('timeout', model, { retryable: true, cause: error });
    return this.make('network', model, { detail: networkDetail(error), cause: error });
  }

  /** The text with every configured secret replaced by `[redacted]`. */
  redact(text: string): string {
    return this.secrets.reduce((redacted, secret) => redacted.split(secret).join('[redacted]'), text);
  }
}
