import { type ImageModelV3, NoSuchModelError, type ProviderV3 } from '@ai-sdk/provider';
import { findModel, type ImageGenerator, type ModelName, type WorkersAiBinding } from '@imagegen/core';
import { type GeneratorSource, ImagegenImageModel } from './image-model.js';

/** A catalogue alias (`flux-2-dev`) or Workers AI id (`@cf/black-forest-labs/flux-2-dev`). */
export type ImagegenModelId = ModelName | (string & {});

/** How {@link createImagegen} reaches the models. */
export interface ImagegenProviderSettings {
  /** A generator you built (any route, store or limiter of yours): used as it is. */
  generator?: ImageGenerator;
  /** In a Worker: the Workers AI binding (`env.AI`); every model goes through it (route `binding`). */
  ai?: WorkersAiBinding;
  /** The AI Gateway (an id) the binding's calls go through. */
  aiGateway?: string;
  /**
   * imagegen's settings (`CLOUDFLARE_ACCOUNT_ID`, `CLOUDFLARE_API_TOKEN`, `CLOUDFLARE_AI_GATEWAY_ID`,
   * `FLUX_WORKER_URL`, ...), read at the first call. @default process.env (Node)
   */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * Retries imagegen makes of each image (with its backoff, `Retry-After` and pacing) before an error
   * is thrown; its errors are then final (`isRetryable: false`). 0 leaves retrying to
   * `generateImage`'s `maxRetries`, with `isRetryable` and `Retry-After` from imagegen. @default 0
   */
  maxRetries?: number;
}

/** The provider: `imagegen('flux-2-dev')`, `imagegen.image(...)`, `imagegen.imageModel(...)`. */
export interface ImagegenProvider extends ProviderV3 {
  (modelId: ImagegenModelId): ImageModelV3;
  /** The image model of a catalogue alias or Workers AI id. */
  image(modelId: ImagegenModelId): ImageModelV3;
  imageModel(modelId: ImagegenModelId): ImageModelV3;
  /** Closes the generator the provider made (its connections); a given one stays yours to close. */
  close(): Promise<void>;
}

/** A provider over a generator source (the Node entry's and the portable entry's). */
export function providerOver(source: GeneratorSource & { custom: boolean; close(): Promise<void> }): ImagegenProvider {
  const image = (modelId: ImagegenModelId): ImageModelV3 => {
    // A given generator may hold models of its own; the catalogue's are known without one.
    if (!source.custom && !findModel(modelId)) {
      throw new NoSuchModelError({
        modelId,
        modelType: 'imageModel',
        message: `imagegen has no model "${modelId}": see \`imagegen models\` or the README's catalogue`,
      });
    }
    return new ImagegenImageModel(modelId, source);
  };
  const unsupported = (modelType: 'languageModel' | 'embeddingModel') => (modelId: string) => {
    throw new NoSuchModelError({ modelId, modelType, message: 'imagegen makes images only: use imagegen.image(modelId)' });
  };
  const provider: ImagegenProvider = Object.assign((modelId: ImagegenModelId) => image(modelId), {
    specificationVersion: 'v3' as const,
    image,
    imageModel: image,
    languageModel: unsupported('languageModel'),
    embeddingModel: unsupported('embeddingModel'),
    close: () => source.close(),
  });
  return provider;
}

/** A source that hands out one generator, made once at the first call. */
export function lazySource(
  make: () => Promise<{ generator: ImageGenerator; notice?: string }>,
  options: { retriedByImagegen: boolean; custom: boolean; owned: boolean },
): GeneratorSource & { custom: boolean; close(): Promise<void> } {
  let made: Promise<{ generator: ImageGenerator; notice?: string }> | undefined;
  let notice: string | undefined;
  return {
    custom: options.custom,
    retriedByImagegen: options.retriedByImagegen,
    generator: async () => {
      made ??= make().then((value) => {
        notice = value.notice;
        return value;
      });
      return (await made).generator;
    },
    notice: () => notice,
    close: async () => {
      if (made && options.owned) await (await made).generator.close();
    },
  };
}
