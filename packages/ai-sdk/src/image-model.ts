import type { ImageModelV3, ImageModelV3CallOptions, SharedV3Warning } from '@ai-sdk/provider';
import { type GenerateOptions, type GenerationResult, type GenerationSuccess, type ImageGenerator, MemoryStore } from '@imagegen/core';
import { apiCallError, refusedCall } from './api-call-error.js';
import { mapCall, providerOptionsProblem } from './call-options.js';
import { fileBytes } from './input-files.js';

/**
 * How many images one `doGenerate` makes (each a Workers AI call of its own, run at once through
 * imagegen's pacing). imagegen chose 10: with a seed, image i of a call gets seed + i, so the
 * images of `n` up to 10 differ; the AI SDK splits a larger `n` into calls of 10.
 */
export const MAX_IMAGES_PER_CALL = 10;

/** Where a model gets its generator, and what every answer of it should say. */
export interface GeneratorSource {
  generator(): Promise<ImageGenerator>;
  /** imagegen retries each image itself: its errors are final for the AI SDK. */
  retriedByImagegen: boolean;
  /** Said in every answer (the offline preview says that it made the image). */
  notice?: () => string | undefined;
}

const SEEDS = 4_294_967_296;

/**
 * One imagegen model as an AI SDK image model (specification v3, which `ai` 6 takes as it is and
 * `ai` 7 through its adapter).
 *
 * @example
 * const { image } = await generateImage({ model: new ImagegenImageModel('flux-2-dev', source), prompt: 'a fox' });
 */
export class ImagegenImageModel implements ImageModelV3 {
  readonly specificationVersion = 'v3';
  readonly provider = 'imagegen';
  readonly maxImagesPerCall = MAX_IMAGES_PER_CALL;

  constructor(
    readonly modelId: string,
    private readonly source: GeneratorSource,
  ) {}

  async doGenerate(call: ImageModelV3CallOptions): Promise<Awaited<ReturnType<ImageModelV3['doGenerate']>>> {
    const generator = await this.source.generator();
    const values: Record<string, unknown> = { model: this.modelId, prompt: call.prompt, n: call.n };
    const model = generator.model(this.modelId);
    if (!model) throw refusedCall(this.modelId, `unknown model "${this.modelId}" (known: ${generator.modelNames.join(', ')})`, values);
    const extra = call.providerOptions?.imagegen ?? {};
    const optionsIssue = providerOptionsProblem(extra);
    if (optionsIssue) throw refusedCall(model.name, optionsIssue, values);
    const mapped = mapCall(model, call, extra);
    Object.assign(values, mapped.options, mapped.seed === undefined ? {} : { seed: mapped.seed });
    const images = await this.inputImages(call, model.name, values);
    const headers = Object.fromEntries(
      Object.entries(call.headers ?? {}).filter((entry): entry is [string, string] => entry[1] !== undefined),
    );
    const store = new MemoryStore();
    const stop = new AbortController();
    const onAbort = (): void => stop.abort(call.abortSignal?.reason);
    call.abortSignal?.addEventListener('abort', onAbort, { once: true });
    const options: GenerateOptions = { ...mapped.options, ...images, headers, store, signal: stop.signal };
    let results: GenerationResult[];
    try {
      results = await Promise.all(
        Array.from({ length: call.n }, async (_, index) => {
          const seed = mapped.seed === undefined ? {} : { seed: (mapped.seed + index) % SEEDS };
          const result = await generator.generate(model.name, call.prompt ?? '', { ...options, ...seed });
          // One image failed: the call fails, so the others stop rather than be paid for.
          if (!result.ok) stop.abort(result.error);
          return result;
        }),
      );
    } finally {
      call.abortSignal?.removeEventListener('abort', onAbort);
    }
    const failures = results.flatMap((result) => (result.ok ? [] : [result.error]));
    const failure = failures.find((error) => error.code !== 'aborted' && error.code !== 'closed') ?? failures[0];
    // Stopped by the caller: the signal's own reason, as fetch-based providers throw it.
    if (failure && call.abortSignal?.aborted) throw call.abortSignal.reason;
    if (failure) throw apiCallError(failure, { model: model.name, values, retriedByImagegen: this.source.retriedByImagegen });
    const made = results as GenerationSuccess[];
    return {
      images: made.map((result) => store.files.get(result.path)!),
      warnings: [...mapped.warnings, ...this.notices(made, headers)],
      providerMetadata: {
        imagegen: {
          images: made.map((result) => ({
            ...(result.seed === undefined ? {} : { seed: result.seed }),
            route: result.route,
            cached: result.cached === true,
            model: result.model,
            contentType: result.contentType,
            attempts: result.attempts,
            requestId: result.requestId,
            ...(result.cacheStatus ? { aiGatewayCacheStatus: result.cacheStatus } : {}),
          })),
        },
      },
      response: {
        timestamp: new Date(),
        modelId: model.workersAiName,
        // imagegen reaches the model by the route a call needs; these say which, per image.
        headers: {
          'x-imagegen-route': made.map((result) => result.route).join(', '),
          'x-imagegen-request-id': made.map((result) => result.requestId).join(', '),
        },
      },
    };
  }

  /** `prompt.images` and `prompt.mask` as bytes, in the generator's `image` and `mask`. */
  private async inputImages(call: ImageModelV3CallOptions, model: string, values: Record<string, unknown>) {
    try {
      const files = call.files ?? [];
      const image = await Promise.all(files.map((file, index) => fileBytes(file, `prompt.images[${index}]`, call.abortSignal)));
      const mask = call.mask ? await fileBytes(call.mask, 'prompt.mask', call.abortSignal) : undefined;
      if (files.length) values.images = files.length;
      if (mask) values.mask = true;
      return {
        ...(image.length === 0 ? {} : { image: image.length === 1 ? image[0]! : image }),
        ...(mask ? { mask } : {}),
      };
    } catch (error) {
      throw refusedCall(model, (error as Error).message, values);
    }
  }

  /** The warnings every answer carries: the offline preview, headers a binding can't send. */
  private notices(made: readonly GenerationSuccess[], headers: Record<string, string>): SharedV3Warning[] {
    const warnings: SharedV3Warning[] = [];
    const notice = this.source.notice?.();
    if (notice) warnings.push({ type: 'other', message: notice });
    const sent = Object.keys(headers).filter((name) => name.toLowerCase() !== 'user-agent');
    if (sent.length && made.some((result) => result.route === 'binding'))
      warnings.push({
        type: 'unsupported',
        feature: 'headers',
        details: `the Workers AI binding sends no HTTP request: ${sent.join(', ')} not sent`,
      });
    return warnings;
  }
}
