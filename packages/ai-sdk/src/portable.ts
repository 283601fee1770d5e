// The portable entry (a Worker, a browser, any runtime with fetch): no Node module. In a Worker
// the package's `workerd` condition picks it; elsewhere import `@imagegen/ai-sdk/portable`.
import { ImageGenerator, loadSettings, MemoryStore } from '@imagegen/core';
import { lazySource, providerOver, type ImagegenProvider, type ImagegenProviderSettings } from './provider.js';

export type { ImagegenModelId, ImagegenProvider, ImagegenProviderSettings } from './provider.js';
export { MAX_IMAGES_PER_CALL } from './image-model.js';

/**
 * An imagegen provider for the AI SDK in any runtime: over the Workers AI binding (`ai: env.AI`),
 * a generator of yours, or the settings in `env` with the platform's `fetch`.
 *
 * @example
 * import { generateImage } from 'ai';
 * import { createImagegen } from '@imagegen/ai-sdk';
 *
 * export default {
 *   async fetch(request: Request, env: { AI: Ai }) {
 *     const imagegen = createImagegen({ ai: env.AI });
 *     const { image } = await generateImage({ model: imagegen.image('flux-2-dev'), prompt: 'a fox' });
 *     return new Response(image.uint8Array, { headers: { 'content-type': image.mediaType } });
 *   },
 * };
 */
export function createImagegen(settings: ImagegenProviderSettings = {}): ImagegenProvider {
  const retriedByImagegen = (settings.maxRetries ?? 0) > 0;
  if (settings.generator) {
    const generator = settings.generator;
    return providerOver(lazySource(async () => ({ generator }), { retriedByImagegen, custom: true, owned: false }));
  }
  return providerOver(
    lazySource(
      async () => ({
        generator: new ImageGenerator({
          settings: loadSettings(settings.env ?? {}),
          ...(settings.ai ? { ai: settings.ai } : { fetch: globalThis.fetch.bind(globalThis) }),
          ...(settings.aiGateway ? { aiGateway: settings.aiGateway } : {}),
          store: new MemoryStore(),
          retry: { retries: settings.maxRetries ?? 0, on429: (settings.maxRetries ?? 0) > 0 },
        }),
      }),
      { retriedByImagegen, custom: false, owned: true },
    ),
  );
}
