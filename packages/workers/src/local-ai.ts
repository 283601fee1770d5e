import { type AiBinding, FLUX_MODEL, SDXL_MODEL } from './ai-binding.js';
import { renderPreview } from './preview-image.js';

/** A local stand-in for `env.AI`, plus a fetch handler for miniflare's service bindings. */
export interface LocalAi extends AiBinding {
  /**
   * The same binding over HTTP: `POST` JSON `{ model, inputs }` answers what `run` returns
   * (JSON for Flux, PNG bytes for SDXL). Hand it to miniflare as a service binding, so the
   * worker code inside workerd calls the very same renderer.
   */
  fetch(request: Request): Promise<Response>;
}

const numberOrUndefined = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);

/**
 * A Workers AI binding that renders previews locally, offline: Flux answers `{ image: base64 JPEG }`
 * and SDXL a `ReadableStream` of PNG bytes, as Workers AI does.
 *
 * @example
 * const ai = createLocalAi();
 * const response = await fluxWorker.fetch(new Request('http://local/?prompt=cat'), { AI: ai });
 */
export function createLocalAi(): LocalAi {
  const run = async (model: string, inputs: Record<string, unknown>): Promise<unknown> => {
    const request = {
      prompt: typeof inputs.prompt === 'string' ? inputs.prompt : '',
      seed: numberOrUndefined(inputs.seed),
      width: numberOrUndefined(inputs.width),
      height: numberOrUndefined(inputs.height),
    };
    if (model === FLUX_MODEL) {
      const bytes = await renderPreview({ ...request, format: 'jpeg' });
      return { image: Buffer.from(bytes).toString('base64') };
    }
    if (model === SDXL_MODEL) {
      const bytes = await renderPreview({ ...request, format: 'png' });
      return new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(bytes);
          controller.close();
        },
      });
    }
    throw new Error(`5007: No such model ${model}`);
  };
  return {
    run,
    async fetch(request) {
      const { model, inputs } = (await request.json()) as { model: string; inputs: Record<string, unknown> };
      try {
        const output = await run(model, inputs);
        return output instanceof ReadableStream
          ? new Response(output, { headers: { 'content-type': 'image/png' } })
          : Response.json(output);
      } catch (error) {
        return new Response(error instanceof Error ? error.message : String(error), { status: 500 });
      }
    },
  };
}
