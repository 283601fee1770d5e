// The Node entry of @imagegen/ai-sdk: the provider over imagegen's Node wiring. Workers get the
// portable entry through the package's `workerd` condition.
import { lazySource, providerOver, type ImagegenProvider, type ImagegenProviderSettings } from './provider.js';
import { createImagegen as createPortableImagegen } from './portable.js';
import { nodeGenerator } from './node-generator.js';

export type { ImagegenModelId, ImagegenProvider, ImagegenProviderSettings } from './provider.js';
export { MAX_IMAGES_PER_CALL } from './image-model.js';

/**
 * An imagegen provider for the AI SDK (`ai` 6 and 7): every Workers AI image model of imagegen's
 * catalogue, by the routes the settings configure (your worker, the REST API, AI Gateway), or
 * the offline local preview when none is (each answer then says so in its warnings).
 *
 * @example
 * import { generateImage } from 'ai';
 * import { createImagegen } from '@imagegen/ai-sdk';
 *
 * const imagegen = createImagegen({ env: { CLOUDFLARE_ACCOUNT_ID: '...', CLOUDFLARE_API_TOKEN: '...' } });
 * const { images } = await generateImage({
 *   model: imagegen.image('flux-2-dev'),
 *   prompt: 'a red fox in the snow',
 *   n: 3,
 *   providerOptions: { imagegen: { steps: 30 } },
 * });
 */
export function createImagegen(settings: ImagegenProviderSettings = {}): ImagegenProvider {
  if (settings.generator || settings.ai) return createPortableImagegen(settings);
  const retries = settings.maxRetries ?? 0;
  return providerOver(
    lazySource(() => nodeGenerator(settings.env ?? process.env, retries), { retriedByImagegen: retries > 0, custom: false, owned: true }),
  );
}

/**
 * The default provider: settings from `process.env`, read at its first call.
 *
 * @example
 * import { generateImage } from 'ai';
 * import { imagegen } from '@imagegen/ai-sdk';
 *
 * const { image } = await generateImage({ model: imagegen.image('flux'), prompt: 'a lighthouse at dusk' });
 */
export const imagegen: ImagegenProvider = createImagegen();
