import { decodeBase64 } from './bytes.js';
import { cloudflareMeaning } from './cloudflare-errors.js';
import type { ErrorCode } from './errors.js';

/**
 * What a Workers AI binding handed back, read as one of three things: image bytes, a stream of
 * image bytes, or the URL of an image (the partner models answer one), or a problem in words.
 */
export type BindingImage =
  | { kind: 'bytes'; bytes: Uint8Array }
  | { kind: 'stream'; stream: ReadableStream<Uint8Array> }
  | { kind: 'url'; url: string }
  | { kind: 'none'; problem: string };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

function fromText(text: string): BindingImage {
  if (/^https?:\/\//i.test(text)) return { kind: 'url', url: text };
  const base64 = text.startsWith('data:') ? text.slice(text.indexOf(',') + 1) : text;
  const bytes = base64 === '' ? undefined : decodeBase64(base64);
  return bytes && bytes.length > 0 ? { kind: 'bytes', bytes } : { kind: 'none', problem: 'the "image" text is neither base64 nor a URL' };
}

/**
 * Reads any answer `env.AI.run` gives for an image model, whatever the model and runtime: a
 * `ReadableStream` (the SDXL family, Phoenix), a `Uint8Array` or `ArrayBuffer`, a `Response`,
 * `{ image: base64 }` (FLUX, Lucid Origin), `{ image: url }` and `{ result: { image } }` (the
 * partner models), `{ data }` (bytes or base64), or `{ images: [...] }` (the first). One reader for
 * the workers and the core's binding route, so a new shape is learnt once.
 *
 * @example
 * const image = await readBindingAnswer(await env.AI.run('@cf/black-forest-labs/flux-1-schnell', { prompt: 'a fox' }));
 * if (image.kind === 'bytes') await writeFile('fox.jpg', image.bytes);
 */
export async function readBindingAnswer(output: unknown): Promise<BindingImage> {
  if (output instanceof ReadableStream) return { kind: 'stream', stream: output as ReadableStream<Uint8Array> };
  if (output instanceof Uint8Array) return output.length > 0 ? { kind: 'bytes', bytes: output } : { kind: 'none', problem: 'empty bytes' };
  if (output instanceof ArrayBuffer) return readBindingAnswer(new Uint8Array(output));
  if (typeof Response !== 'undefined' && output instanceof Response) {
    if (!output.ok) return { kind: 'none', problem: `the answer has status ${output.status}` };
    const type = output.headers.get('content-type') ?? '';
    if (/json/i.test(type)) return readBindingAnswer(await output.json());
    return output.body ? { kind: 'stream', stream: output.body } : { kind: 'none', problem: 'the answer has no body' };
  }
  if (typeof output === 'string') return fromText(output);
  // An array of byte values (the form Workers AI's schemas give image inputs), or of images: the first.
  if (Array.isArray(output)) {
    if (output.length > 0 && output.every((value) => typeof value === 'number')) return { kind: 'bytes', bytes: Uint8Array.from(output) };
    return output.length > 0 ? readBindingAnswer(output[0]) : { kind: 'none', problem: 'the model returned no image' };
  }
  if (!isRecord(output)) return { kind: 'none', problem: 'the model returned no image' };
  if (isRecord(output.result)) return readBindingAnswer(output.result);
  for (const key of ['image', 'images', 'data'] as const) {
    if (output[key] !== undefined && output[key] !== null) return readBindingAnswer(output[key]);
  }
  return { kind: 'none', problem: 'the model returned no image' };
}

/**
 * The Workers AI error code a binding's thrown error carries (`AiError: 3036: ...`, or a `code`
 * property), or undefined. The binding throws where the REST API answers an envelope.
 *
 * @example
 * bindingErrorCode(new Error('3040: Capacity temporarily exceeded')); // 3040
 */
export function bindingErrorCode(error: unknown): number | undefined {
  if (isRecord(error) && typeof error.code === 'number') return error.code;
  const text = error instanceof Error ? error.message : String(error);
  const match = /(?:^|\D)([1-9]\d{3,4})(?::|\s|$)/.exec(text);
  return match ? Number(match[1]) : undefined;
}

/**
 * A binding's thrown failure read by the one error table: its code, the HTTP status Cloudflare's
 * table gives that code (500 when it has none), imagegen's reading and words for it, and the binding's own.
 * The core passes the binding's words on (they are the caller's own account's); a worker answering
 * the Internet sends only imagegen's.
 *
 * @example
 * bindingFailure(new Error('3036: daily allocation used up'), lucidOrigin).status; // 429
 */
export function bindingFailure(
  error: unknown,
  model: { alias: string; id: string },
): { status: number; code?: number; errorCode?: ErrorCode; meaning?: string; said: string } {
  const code = bindingErrorCode(error);
  const meaning = code === undefined ? undefined : cloudflareMeaning({ code }, 500, model);
  const said = (error instanceof Error ? error.message : String(error)).slice(0, 300);
  return {
    status: meaning?.status ?? 500,
    ...(code === undefined ? {} : { code }),
    ...(meaning ? { errorCode: meaning.code, meaning: meaning.message } : {}),
    said,
  };
}
