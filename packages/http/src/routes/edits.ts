import { catalogue, INPUTS } from '@imagegen/core';
import type { Context } from 'hono';
import { invalidRequest } from '../openai-error.js';
import type { GatewayEnv } from '../request-context.js';
import { parseRequest } from './generation-request.js';
import { answerImages, type GenerationsDeps } from './generations.js';

// Multipart fields are text: these are read back as numbers for the schema (OpenAI's, and the
// catalogue's numeric inputs).
const NUMBER_FIELDS = new Set([
  'n',
  'partial_images',
  'output_compression',
  ...INPUTS.filter((input) => input.type !== 'string').map((input) => input.jsonName),
]);
// The most input images any model takes (FLUX.2: 4); each model's own limit is checked after.
const MAX_IMAGES = Math.max(...catalogue.map((entry) => entry.imageInput?.maxImages ?? 1));

/** The file parts named `name` (or `name[]`, as the openai client sends several). */
function files(form: Record<string, unknown>, name: string): File[] {
  return [form[name], form[`${name}[]`]].flat().filter((value): value is File => value instanceof File);
}

async function bytesOf(file: File | undefined): Promise<Uint8Array | undefined> {
  return file ? new Uint8Array(await file.arrayBuffer()) : undefined;
}

/** Reads `POST /v1/images/edits`: OpenAI's multipart form, its image and mask checked by the core. */
async function parseEdit(context: Context) {
  if (!(context.req.header('content-type') ?? '').startsWith('multipart/form-data')) {
    throw invalidRequest('The request body must be multipart/form-data with an image and a prompt', null, 'invalid_body');
  }
  let form: Record<string, unknown>;
  try {
    form = await context.req.parseBody({ all: true });
  } catch {
    throw invalidRequest('The multipart body does not parse', null, 'invalid_body');
  }
  const images = files(form, 'image');
  if (images.length === 0) throw invalidRequest('Invalid request: image is required (a PNG, JPEG or WebP file part)', 'image');
  if (images.length > MAX_IMAGES) {
    throw invalidRequest(`Invalid request: at most ${MAX_IMAGES} input images (${images.length} were sent)`, 'image', 'invalid_image');
  }
  const masks = files(form, 'mask');
  // b64_json unless asked otherwise: OpenAI's edits answer base64 (gpt-image models), and clients
  // such as the AI SDK send no response_format and read b64_json.
  const body: Record<string, unknown> = { model: 'sd15-img2img', response_format: 'b64_json' };
  for (const [name, value] of Object.entries(form)) {
    if (typeof value !== 'string') continue;
    if (NUMBER_FIELDS.has(name)) body[name] = value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : value;
    else if (name === 'stream') body[name] = value === 'true' ? true : value === 'false' ? false : value;
    else body[name] = value;
  }
  const image = await Promise.all(images.map(async (file) => (await bytesOf(file))!));
  const mask = await bytesOf(masks[0]);
  return parseRequest(body, { image: image.length === 1 ? image[0]! : image, ...(mask ? { mask } : {}) });
}

/**
 * `POST /v1/images/edits` in OpenAI's shape: multipart/form-data with `image` (one file, or
 * `image[]` with up to 4 for FLUX.2), an optional `mask`, `prompt`, `model` (default `sd15-img2img`), `n`, `size`,
 * `response_format` (default `b64_json`, as OpenAI's edits),
 * `stream`, and the model's inputs (`strength`, `steps`, ...). The same queue, checks and
 * answers as generations; a stream's events are `image_edit.completed`.
 */
export function editsHandler(deps: GenerationsDeps) {
  return async (context: Context<GatewayEnv>) => answerImages(context, deps, await parseEdit(context), 'image_edit.completed');
}
