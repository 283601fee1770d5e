import ky, { type KyInstance } from 'ky';
import { systemClock } from './clock.js';
import { type ErrorCode, ImageGenerationError } from './errors.js';
import { concatBytes } from './bytes.js';
import { imageFileName, newRequestId } from './file-name.js';
import { readImageBody } from './image-body.js';
import { silentLogger } from './logger.js';
import { defaultModels } from './models/index.js';
import type { GenerationParams, ImageModel, ModelRequest } from './models/model.js';
import type { Clock, Fetch, FileStore, Logger } from './ports.js';
import { DEFAULT_MAX_PROMPT_LENGTH, promptProblem } from './prompt.js';
import type { GenerationResult, GenerationSuccess } from './result.js';
import { resolveRetryPolicy, type RetryEvent, type RetryOptions, withRetry } from './retry.js';
import { retryAfterMs } from './retry-timing.js';
import type { Settings } from './settings.js';
import { codeForStatus, defaultMessages, retryableCodes } from './status-table.js';
import { paramsProblem } from './params.js';
import { Watchdog } from './watchdog.js';

/** Per-attempt time limits, in ms. */
export interface Timeouts {
  /**
   * From sending the request to the response headers.
   * @default 120000
   */
  headersMs?: number;
  /**
   * Longest silence between two chunks of the body.
   * @default 120000
   */
  bodyMs?: number;
}

/** Told before each HTTP attempt. */
export interface AttemptEvent {
  model: string;
  /** 1-based. */
  attempt: number;
  requestId: string;
}

/** Told before each retry's wait. */
export interface GeneratorRetryEvent extends RetryEvent {
  model: string;
  requestId: string;
}

/** Progress callbacks, on the generator or on one call. */
export interface GenerationHooks {
  onAttempt?: (event: AttemptEvent) => void;
  onRetry?: (event: GeneratorRetryEvent) => void;
}

/** How to build an {@link ImageGenerator}. */
export interface ImageGeneratorOptions extends GenerationHooks {
  settings: Settings;
  fetch: Fetch;
  store: FileStore;
  clock?: Clock;
  logger?: Logger;
  retry?: RetryOptions;
  timeouts?: Timeouts;
  /**
   * Largest image accepted, in bytes; the download stops past it.
   * @default 52428800 (50 MiB)
   */
  maxImageBytes?: number;
  /** @default 2048 */
  maxPromptLength?: number;
  /** The models by name. @default { flux, sdxl } */
  models?: Readonly<Record<string, ImageModel>>;
  /** Called once by `close()`, after in-flight generations have settled (the Node runtime closes its Agent). */
  onClose?: () => void | Promise<void>;
}

/** Options of one generation: an abort signal, parameters the model passes on, hooks. */
export interface GenerateOptions extends GenerationParams, GenerationHooks {
  signal?: AbortSignal;
  /** Where this image goes, instead of the generator's store (the gateway keeps `b64_json` images in memory). */
  store?: FileStore;
  /** Overrides the generator's retry options for this call. */
  retry?: RetryOptions;
}

/** Default cap on an image's size: 50 MiB. */
export const DEFAULT_MAX_IMAGE_BYTES = 50 * 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 120_000;

const closedReason = Symbol('closed');
// A cheap abort reason for cleanup: abort() without one builds a DOMException with a stack.
const DONE = Symbol('done');

/**
 * Sends a prompt to a Flux or SDXL worker and saves the image it answers. Every call resolves
 * to a {@link GenerationResult}; expected failures never throw.
 *
 * @example
 * const generator = new ImageGenerator({
 *   settings: loadSettings({ FLUX_WORKER_URL: 'https://flux.example.workers.dev' }),
 *   fetch: globalThis.fetch,
 *   store: new MemoryStore(),
 * });
 * const result = await generator.generateWithFlux('a cat on a windowsill');
 * if (result.ok) console.log(result.path);
 * else console.error(result.error.code, result.error.message);
 * await generator.close();
 */
export class ImageGenerator {
  private readonly options: ImageGeneratorOptions;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly models: Readonly<Record<string, ImageModel>>;
  private readonly http: KyInstance;
  private readonly secrets: string[];
  // A controller per call, not one for the whole generator: every attempt listens to its call's
  // signal, and one shared signal would collect a listener per concurrent call.
  private readonly inFlight = new Set<{ controller: AbortController; done: Promise<unknown> }>();
  private closing: Promise<void> | undefined;

  constructor(options: ImageGeneratorOptions) {
    this.options = options;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.models = options.models ?? defaultModels;
    // ky's own retry and timeout are off: p-retry owns the policy, the clock owns the time.
    this.http = ky.create({ fetch: options.fetch, retry: 0, timeout: false, throwHttpErrors: false });
    this.secrets = Object.values(this.models).flatMap((model) => model.secrets?.(options.settings) ?? []);
  }

  /** The settings this generator calls the workers with (the SDXL key included: never log them whole). */
  get settings(): Settings {
    return this.options.settings;
  }

  /** The names of the models this generator can call. */
  get modelNames(): string[] {
    return Object.keys(this.models);
  }

  /**
   * Generates with Flux (`GET <url>?prompt=...`).
   *
   * @example
   * const result = await generator.generateWithFlux('a red fox', { seed: 7 });
   */
  generateWithFlux(prompt: string, options?: GenerateOptions): Promise<GenerationResult> {
    return this.generate('flux', prompt, options);
  }

  /**
   * Generates with SDXL (`POST` JSON with `Authorization: Bearer`).
   *
   * @example
   * const result = await generator.generateWithSdxl('a stunning landscape', { width: 768, height: 512 });
   */
  generateWithSdxl(prompt: string, options?: GenerateOptions): Promise<GenerationResult> {
    return this.generate('sdxl', prompt, options);
  }

  /**
   * Generates with any known model by name.
   *
   * @example
   * const result = await generator.generate('sdxl', 'a lighthouse at dusk', { signal: AbortSignal.timeout(30_000) });
   */
  async generate(model: string, prompt: string, options: GenerateOptions = {}): Promise<GenerationResult> {
    const started = this.clock.now();
    const spec = Object.hasOwn(this.models, model) ? this.models[model] : undefined;
    const fail = (code: ErrorCode, detail?: string): GenerationResult => ({
      ok: false,
      error: this.error(code, spec?.name ?? String(model), { detail }),
    });
    if (this.closing) return fail('closed');
    if (!spec) return fail('bad_request', `unknown model "${String(model)}" (known: ${this.modelNames.join(', ')})`);
    const promptIssue = promptProblem(prompt, this.options.maxPromptLength ?? DEFAULT_MAX_PROMPT_LENGTH);
    if (promptIssue) return fail('invalid_prompt', promptIssue);
    const paramsIssue = paramsProblem(spec, options);
    if (paramsIssue) return fail('bad_request', paramsIssue);
    const request = spec.buildRequest(this.options.settings, prompt, options);
    if ('notConfigured' in request) return fail('not_configured', request.notConfigured);
    if (options.signal?.aborted) return fail('aborted');

    const controller = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal;
    const done = this.run(spec, request, signal, options, started);
    const entry = { controller, done };
    this.inFlight.add(entry);
    try {
      return await done;
    } finally {
      this.inFlight.delete(entry);
    }
  }

  /**
   * Stops the generator: later calls resolve to code `closed`, in-flight ones are aborted
   * (code `closed`) and awaited, then the runtime's resources are released. Idempotent.
   *
   * @example
   * try { await generator.generateWithFlux('a cat'); } finally { await generator.close(); }
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const pending = [...this.inFlight];
      for (const { controller } of pending) controller.abort(closedReason);
      await Promise.allSettled(pending.map(({ done }) => done));
      await this.options.onClose?.();
    })();
    return this.closing;
  }

  private async run(
    spec: ImageModel,
    request: ModelRequest,
    signal: AbortSignal,
    options: GenerateOptions,
    started: number,
  ): Promise<GenerationResult> {
    let requestId = newRequestId();
    const policy = resolveRetryPolicy({ ...this.options.retry, ...options.retry });
    try {
      const { value: saved, attempts } = await withRetry(
        async (attempt) => {
          const event = { model: spec.name, attempt, requestId };
          this.logger.debug(event, 'image generation attempt');
          this.options.onAttempt?.(event);
          options.onAttempt?.(event);
          return this.attempt(
            spec,
            request,
            options.store ?? this.options.store,
            signal,
            () => requestId,
            (id) => (requestId = id),
          );
        },
        {
          policy,
          clock: this.clock,
          signal,
          toError: (error) => this.toError(error, spec.name, signal),
          onRetry: (retry) => {
            const event = { ...retry, model: spec.name, requestId };
            this.logger.info(
              { model: spec.name, attempt: retry.attempt, code: retry.error.code, status: retry.error.status, delayMs: retry.delayMs },
              'retrying image generation',
            );
            this.options.onRetry?.(event);
            options.onRetry?.(event);
          },
        },
      );
      const result: GenerationSuccess = {
        ok: true,
        ...saved,
        attempts,
        model: spec.name,
        durationMs: Math.max(0, this.clock.now() - started),
        requestId,
      };
      this.logger.debug({ model: spec.name, attempts: result.attempts, bytes: result.bytes }, 'image saved');
      return result;
    } catch (error) {
      const failure = this.toError(error, spec.name, signal);
      this.logger.info(
        { model: spec.name, code: failure.code, status: failure.status, attempts: failure.attempts },
        'image generation failed',
      );
      return { ok: false, error: failure };
    }
  }

  /** One HTTP attempt, from request to stored file. */
  private async attempt(
    spec: ImageModel,
    request: ModelRequest,
    store: FileStore,
    signal: AbortSignal,
    requestId: () => string,
    setRequestId: (id: string) => void,
  ): Promise<Pick<GenerationSuccess, 'path' | 'contentType' | 'bytes'>> {
    // The attempt's own controller, linked to the caller's signal by a listener rather than
    // AbortSignal.any: cheaper, and on success nothing is aborted (aborting a finished fetch
    // still runs undici's listeners).
    const attemptController = new AbortController();
    const attemptSignal = attemptController.signal;
    const forward = (): void => attemptController.abort(signal.reason);
    if (signal.aborted) forward();
    else signal.addEventListener('abort', forward, { once: true });
    const timeouts = this.options.timeouts ?? {};
    const watchdog = new Watchdog(this.clock, timeouts.headersMs ?? DEFAULT_TIMEOUT_MS, () =>
      attemptController.abort(this.error('timeout', spec.name, { retryable: true })),
    );
    const fail = (error: unknown): never => {
      const reason: unknown = attemptSignal.aborted ? attemptSignal.reason : undefined;
      attemptController.abort(DONE);
      throw reason !== undefined && reason !== DONE ? reason : error;
    };

    try {
      let response: Response;
      try {
        response = await this.http(request.url, {
          method: request.method,
          headers: request.headers,
          json: request.json,
          signal: attemptSignal,
        });
      } catch (error) {
        return fail(error);
      }
      watchdog.phase(timeouts.bodyMs ?? DEFAULT_TIMEOUT_MS);

      if (!response.ok) {
        // A 400's body says what was wrong ("steps must be ..."): worth a few hundred bytes.
        const detail = response.status === 400 ? await errorSnippet(response) : undefined;
        void response.body?.cancel().catch(() => {});
        throw this.statusError(spec, response, detail);
      }

      const image = await readImageBody(response, {
        model: spec.name,
        maxBytes: this.options.maxImageBytes ?? DEFAULT_MAX_IMAGE_BYTES,
        signal: attemptSignal,
        onChunk: () => watchdog.touch(),
      }).catch(fail);
      const name = (): string => imageFileName(spec.name, requestId(), this.clock.now(), image.format.extension);
      try {
        const path = await store.write(name(), image.body, {
          signal: attemptSignal,
          nextName: () => {
            setRequestId(newRequestId());
            return name();
          },
        });
        return { path, contentType: image.format.contentType, bytes: image.bytes() };
      } catch (error) {
        const failure: unknown = image.failure() ?? (attemptSignal.aborted ? (attemptSignal.reason as unknown) : undefined);
        attemptController.abort(DONE);
        // eslint-disable-next-line @typescript-eslint/only-throw-error -- a typed failure of the body, or the abort reason, passed through as given
        if (failure !== undefined) throw failure;
        throw this.error('io', spec.name, { detail: messageOf(error), cause: error });
      }
    } finally {
      watchdog.stop();
      signal.removeEventListener('abort', forward);
    }
  }

  private statusError(spec: ImageModel, response: Response, detail?: string): ImageGenerationError {
    const code = codeForStatus(response.status);
    const wait = code === 'rate_limited' ? retryAfterMs(response.headers, this.clock.now()) : undefined;
    return this.error(code, spec.name, { status: response.status, retryAfterMs: wait, detail });
  }

  /** Turns anything an attempt threw into an `ImageGenerationError`, with secrets redacted. */
  private toError(error: unknown, model: string, signal: AbortSignal): ImageGenerationError {
    if (ImageGenerationError.isInstance(error)) return error;
    if (signal.aborted) {
      return this.error(signal.reason === closedReason ? 'closed' : 'aborted', model, { cause: error });
    }
    const codes = causeCodes(error);
    if (codes.some((code) => /TIMEOUT/i.test(code))) {
      return this.error('timeout', model, { retryable: true, cause: error });
    }
    return this.error('network', model, { detail: networkDetail(error), cause: error });
  }

  private error(
    code: ErrorCode,
    model: string,
    extra: { detail?: string | undefined; status?: number; retryAfterMs?: number | undefined; retryable?: boolean; cause?: unknown } = {},
  ): ImageGenerationError {
    const spec = this.models[model];
    const message =
      spec?.messages?.[code] ??
      defaultMessages[code]({ model, detail: extra.detail, status: extra.status, retryAfterMs: extra.retryAfterMs });
    return new ImageGenerationError({
      code,
      message: this.redact(message),
      model,
      ...(extra.status === undefined ? {} : { status: extra.status }),
      retryable: extra.retryable ?? retryableCodes.has(code),
      ...(extra.retryAfterMs === undefined ? {} : { retryAfterMs: extra.retryAfterMs }),
      ...(extra.cause === undefined ? {} : { cause: extra.cause }),
    });
  }

  private redact(text: string): string {
    return this.secrets.reduce((redacted, secret) => redacted.split(secret).join('[redacted]'), text);
  }
}

/**
 * The first words of an error body (text or JSON), cleaned up for a message: at most 200
 * characters, no control characters. Undefined when there is none or it is not text.
 */
async function errorSnippet(response: Response): Promise<string | undefined> {
  const type = response.headers.get('content-type') ?? '';
  if (!response.body || !/^(text\/|application\/(problem\+)?json)/i.test(type)) return undefined;
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < 512) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } catch {
    return undefined;
  } finally {
    void reader.cancel().catch(() => {});
  }
  let text = new TextDecoder().decode(concatBytes(chunks)).slice(0, 512);
  try {
    const parsed = JSON.parse(text) as { error?: unknown; message?: unknown };
    const inner =
      typeof parsed.error === 'object' && parsed.error !== null ? (parsed.error as { message?: unknown }).message : parsed.error;
    const message = inner ?? parsed.message;
    if (typeof message === 'string') text = message;
  } catch {
    // Plain text, or JSON cut at 512 bytes: use it as it is.
  }
  const clean = text.replace(CONTROL_CHARACTERS, ' ').replace(/\s+/g, ' ').trim().slice(0, 200);
  return clean || undefined;
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** The `code` fields along an error's cause chain (undici puts `UND_ERR_*` and `E*` codes there). */
function causeCodes(error: unknown): string[] {
  const codes: string[] = [];
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const { code, name, cause } = current as { code?: unknown; name?: unknown; cause?: unknown };
    if (typeof code === 'string') codes.push(code);
    if (name === 'TimeoutError') codes.push('TIMEOUT');
    current = cause;
  }
  return codes;
}

/** The most specific message along the cause chain ("connect ECONNREFUSED ..." over "fetch failed"). */
function networkDetail(error: unknown): string {
  let detail = messageOf(error);
  for (let current = (error as { cause?: unknown })?.cause, depth = 0; current && depth < 5; depth++) {
    detail = messageOf(current) || detail;
    current = (current as { cause?: unknown }).cause;
  }
  return detail;
}

// eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]+/g;
