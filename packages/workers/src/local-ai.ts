import { findModel } from '@imagegen/core';
import type { AiBinding } from './ai-binding.js';
import { readModelInputs } from './model-inputs.js';
import { previewRun } from './preview-run.js';
import { answerContentType } from './worker-responses.js';

/** A local stand-in for `env.AI`, plus a fetch handler for miniflare's service bindings. */
export interface LocalAi extends AiBinding {
  /**
   * The same binding over HTTP: `POST` JSON `{ model, inputs }` (or a multipart input as the body,
   * the model in `x-workers-ai-model`) answers what `run` returns (JSON `{ image }` or image bytes). Hand it to miniflare as a service binding, so the worker
   * code inside workerd calls the very same renderer.
   */
  fetch(request: Request): Promise<Response>;
}

/** Workers AI's `{ multipart: { body, contentType } }` input, read as plain fields. */
async function plainFields(inputs: Record<string, unknown>): Promise<Record<string, unknown>> {
  const multipart = inputs.multipart as { body?: BodyInit; contentType?: string } | undefined;
  if (!multipart) return inputs;
  const form = await new Response(multipart.body, { headers: { 'content-type': multipart.contentType ?? '' } }).formData();
  const fields: Record<string, unknown> = {};
  // File parts (FLUX.2's input_image_0...) are read as bytes.
  for (const [name, value] of form.entries()) fields[name] = typeof value === 'string' ? value : new Uint8Array(await value.arrayBuffer());
  return fields;
}

/**
 * A Workers AI binding that renders previews locally, offline, for every catalogue model: each
 * answers in its own format and kind (base64 JSON or a PNG/JPEG byte stream), as Workers AI
 * does; a wrong input throws as Workers AI does (code 5006), an unknown model 5007.
 *
 * @example
 * const ai = createLocalAi();
 * const response = await fluxWorker.fetch(new Request('http://local/?prompt=cat'), { AI: ai });
 */
export function createLocalAi(): LocalAi {
  const run = async (id: string, inputs: Record<string, unknown>): Promise<unknown> => {
    const model = findModel(id);
    if (!model) throw new Error(`5007: No such model ${id} or task`);
    if (model.send === 'multipart' && !inputs.multipart) throw new Error(`5006: ${id} takes multipart form data inputs`);
    const read = readModelInputs(model, await plainFields(inputs));
    if ('problem' in read) throw new Error(`5006: ${read.problem}`);
    return previewRun(model, read.prompt, read.params);
  };
  return {
    run,
    async fetch(request) {
      // A multipart input (FLUX.2) comes as the body itself, its model in a header: bytes stay bytes.
      const type = request.headers.get('content-type') ?? '';
      const { model, inputs } = type.startsWith('multipart/form-data')
        ? { model: request.headers.get('x-workers-ai-model') ?? '', inputs: { multipart: { body: request.body, contentType: type } } }
        : ((await request.json()) as { model: string; inputs: Record<string, unknown> });
      try {
        const output = await run(model, inputs);
        return output instanceof ReadableStream
          ? new Response(output, { headers: { 'content-type': answerContentType(findModel(model)!) } })
          : Response.json(output);
      } catch (error) {
        return new Response(error instanceof Error ? error.message : String(error), { status: 500 });
      }
    },
  };
}
