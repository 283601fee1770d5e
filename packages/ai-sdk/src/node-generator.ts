import { hasRemoteRoute, type ImageGenerator, loadSettings } from '@imagegen/core';

// The local preview's REST base: never on the network, answered in this process.
const PREVIEW_BASE = 'http://local-preview.imagegen.invalid/client/v4';

/** The note every answer of the offline preview carries: it is not Workers AI's image. */
export const PREVIEW_NOTICE =
  "no Cloudflare account or worker is configured: imagegen's offline local preview made this image (set CLOUDFLARE_ACCOUNT_ID and CLOUDFLARE_API_TOKEN, or another route, for Workers AI)";

/**
 * The generator of the Node entry: imagegen's Node wiring (undici, sharp, the result cache of
 * `IMAGEGEN_CACHE_DIR`) over the routes `env` configures; with none, the offline local preview
 * (the same as `imagegen generate`'s), answered in process, with a notice on every answer.
 *
 * @example
 * const { generator, notice } = await nodeGenerator(process.env, 0);
 */
export async function nodeGenerator(
  env: Readonly<Record<string, string | undefined>>,
  retries: number,
): Promise<{ generator: ImageGenerator; notice?: string }> {
  const { createImageGenerator } = await import('@imagegen/core/node');
  const settings = loadSettings(env);
  // A 429 is retried too (imagegen's default leaves it to the caller): here imagegen is the retrier.
  const retry = { retries, on429: retries > 0 };
  if (hasRemoteRoute(settings)) return { generator: createImageGenerator({ env, settings, retry }) };
  const { createLocalAi, restRun } = await import('@imagegen/workers');
  const ai = createLocalAi();
  const previewEnv = { ...env, IMAGEGEN_LOCAL_PREVIEW_URL: PREVIEW_BASE };
  const generator = createImageGenerator({
    env: previewEnv,
    settings: loadSettings(previewEnv),
    retry,
    fetch: (input, init) => restRun(new Request(input, init), ai),
  });
  return { generator, notice: PREVIEW_NOTICE };
}
