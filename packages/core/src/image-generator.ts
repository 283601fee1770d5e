import { systemClock } from './clock.js';
import { CLOSED, ErrorFactory } from './error-factory.js';
import { DEFAULT_MAX_IMAGE_BYTES, type GenerateOptions, type ImageGeneratorOptions } from './generator-options.js';
import { silentLogger } from './logger.js';
import { defaultModels } from './models/index.js';
import type { ImageModel, ModelRequest } from './models/model.js';
import { callCost, NO_COST } from './cost.js';
import { DEFAULT_MAX_INPUT_IMAGE_BYTES } from './input-image.js';
import { callParams } from './input-preparation.js';
import { outputProblem, outputRequest } from './output-format.js';
import { cacheProblem } from './gateway-options.js';
import { paramsProblem } from './params.js';
import { fetchTransport } from './fetch-transport.js';
import { BINDING_GATEWAY_SETTING, BINDING_SETTING, bindingTransport } from './routes/workers-ai-binding.js';
import type { Clock, Logger, Transport } from './ports.js';
import { DEFAULT_MAX_PROMPT_LENGTH, promptProblem } from './prompt.js';
import { RequestIds } from './request-ids.js';
import type { GenerationResult } from './result.js';
import { resolveRetryPolicy } from './retry.js';
import type { Settings } from './settings.js';
import { SignalLinks } from './signal-links.js';
import { CallStop } from './call-stop.js';
import { messageOf } from './transport-errors.js';
import { answerFromCache, cacheKeyFor, mergeHooks, runGeneration } from './generation-run.js';
import type { ErrorCode } from './errors.js';

/**
 * Sends a prompt to a Workers AI image model by the first configured route and saves the image it answers. Every call resolves
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
  private readonly transport: Transport;
  private readonly errors: ErrorFactory;
  // A stop per call, not one for the whole generator: every attempt listens to its call's
  // stop, and one shared signal would collect a listener per concurrent call.
  private readonly inFlight = new Set<{ stop: CallStop; done: Promise<unknown> }>();
  private readonly signals = new SignalLinks();
  private closing: Promise<void> | undefined;

  constructor(options: ImageGeneratorOptions) {
    this.options = options.ai ? { ...options, settings: withBinding(options.settings, options.aiGateway) } : options;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.models = options.models ?? defaultModels;
    const fetch = options.fetch ?? (options.ai ? globalThis.fetch.bind(globalThis) : undefined);
    if (!options.transport && !fetch) throw new TypeError('ImageGenerator needs a fetch or a transport');
    const transport = options.transport ?? fetchTransport(fetch!);
    this.transport = options.ai ? bindingTransport(options.ai, transport) : transport;
    this.errors = new ErrorFactory(this.models, this.options.settings);
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
   * The model of an alias or a Workers AI id, or undefined.
   *
   * @example
   * generator.model('@cf/leonardo/lucid-origin')?.name; // 'lucid-origin'
   */
  model(name: string): ImageModel | undefined {
    if (Object.hasOwn(this.models, name)) return this.models[name];
    return Object.values(this.models).find((model) => model.workersAiName === name);
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
    const spec = this.model(model);
    const fail = (code: ErrorCode, detail?: string): GenerationResult => ({
      ok: false,
      error: this.errors.make(code, spec?.name ?? String(model), { detail }),
    });
    if (this.closing) return fail('closed');
    if (!spec) return fail('bad_request', `unknown model "${String(model)}" (known: ${this.modelNames.join(', ')})`);
    const promptIssue = promptProblem(
      prompt,
      Math.min(this.options.maxPromptLength ?? Infinity, spec.maxPromptLength ?? DEFAULT_MAX_PROMPT_LENGTH),
    );
    if (promptIssue) return fail('invalid_prompt', promptIssue);
    const paramsIssue = paramsProblem(spec, options) ?? cacheProblem(options) ?? outputProblem(options, this.options.codec !== undefined);
    if (paramsIssue) return fail('bad_request', paramsIssue);
    const prepared = await callParams(spec, options, {
      readImageFile: this.options.readImageFile,
      codec: this.options.codec,
      maxBytes: this.options.maxInputImageBytes ?? DEFAULT_MAX_INPUT_IMAGE_BYTES,
    });
    if ('problem' in prepared) return fail('bad_request', prepared.problem);
    if (this.closing) return fail('closed');
    const { params } = prepared;
    const request = spec.buildRequest(this.options.settings, prompt, params, options, options.route);
    if ('notConfigured' in request) return fail('not_configured', request.notConfigured);
    if ('refused' in request) return fail('bad_request', request.refused);
    const headersIssue = withCallerHeaders(request, options.headers);
    if (headersIssue) return fail('bad_request', headersIssue);
    if (options.signal?.aborted) return fail('aborted');
    const cacheKey = await cacheKeyFor(this.options.resultCache, spec, prompt, params, options);
    if (cacheKey) {
      const store = options.store ?? this.options.store;
      const context = { cache: this.options.resultCache!, key: cacheKey, store, model: spec.name, started, route: request.route };
      const at = { requestId: new RequestIds().current, now: this.clock.now(), seed: request.seed ?? options.seed };
      const hit = await answerFromCache({ ...context, ...at }).catch((error: unknown) => fail('io', messageOf(error)));
      if (hit) return hit;
    }

    const stop = new CallStop();
    const unlink = options.signal ? this.signals.link(options.signal, stop) : undefined;
    const done = runGeneration({
      transport: this.transport,
      model: spec,
      request,
      store: options.store ?? this.options.store,
      stop,
      requestIds: new RequestIds(),
      clock: this.clock,
      timeouts: this.options.timeouts ?? {},
      maxImageBytes: this.options.maxImageBytes ?? DEFAULT_MAX_IMAGE_BYTES,
      errors: this.errors,
      output: outputRequest(options, this.options.codec),
      keepBytes: cacheKey !== undefined,
      policy: resolveRetryPolicy({ ...this.options.retry, ...options.retry }),
      hooks: mergeHooks(this.options, options),
      limiter: this.options.limiter,
      logger: this.logger,
      cache: cacheKey ? { store: this.options.resultCache!, key: cacheKey } : undefined,
      started,
    });
    const entry = { stop, done };
    this.inFlight.add(entry);
    try {
      const result = await done;
      // The local preview is imagegen's own offline stand-in: nothing is billed for it.
      return result.ok ? { ...result, cost: result.route === 'local' ? NO_COST : callCost(spec, params) } : result;
    } finally {
      this.inFlight.delete(entry);
      unlink?.();
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
      for (const { stop } of pending) stop.abort(CLOSED);
      await Promise.allSettled(pending.map(({ done }) => done));
      await this.options.onClose?.();
    })();
    return this.closing;
  }
}

/**
 * Adds the caller's headers to a built request, or says which one the route sets itself (a
 * caller's `authorization` must never replace the route's key unnoticed).
 */
function withCallerHeaders(request: ModelRequest, headers: Readonly<Record<string, string>> | undefined): string | undefined {
  if (!headers) return undefined;
  const own = new Set(Object.keys(request.headers ?? {}).map((name) => name.toLowerCase()));
  const merged = { ...request.headers };
  for (const [name, value] of Object.entries(headers)) {
    if (own.has(name.toLowerCase()) || name.toLowerCase() === 'content-type')
      return `header ${name} is set by the ${request.route} route itself; leave it out of headers`;
    if (value !== undefined) merged[name] = value;
  }
  request.headers = merged;
  return undefined;
}

/** The settings with the binding route switched on (and its gateway named). */
function withBinding(settings: Settings, gateway: string | undefined): Settings {
  const values = { ...settings.values, [BINDING_SETTING]: 'AI', ...(gateway ? { [BINDING_GATEWAY_SETTING]: gateway } : {}) };
  return { ...settings, values, isImageGenerationEnabled: true };
}
