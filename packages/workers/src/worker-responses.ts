import type { CatalogueModel } from '@imagegen/core';
import { bindingFailure, readBindingAnswer } from '@imagegen/core/internal';

/** A plain-text answer: the workers never send a stack or an HTML page. */
export function textResponse(status: number, text: string, headers: Record<string, string> = {}): Response {
  return new Response(`${text}\n`, { status, headers: { 'content-type': 'text/plain; charset=utf-8', ...headers } });
}

/** Why a prompt is refused (400), or undefined. */
export function promptProblem(prompt: unknown, maxLength: number): string | undefined {
  if (prompt === undefined || prompt === null) return 'Missing prompt';
  if (typeof prompt !== 'string') return 'prompt must be a string';
  if (prompt.trim() === '') return 'prompt must not be empty';
  const length = [...prompt].length;
  if (length > maxLength) return `prompt is too long (${length} characters, maximum ${maxLength})`;
  return undefined;
}

/**
 * Reads an optional integer parameter in [min, max]: undefined when absent, a message when bad.
 * Text (a query parameter) and numbers (JSON) are both accepted.
 */
export function integerParam(name: string, raw: unknown, min: number, max: number): { value?: number; problem?: string } {
  if (raw === undefined || raw === null || raw === '') return {};
  const value = typeof raw === 'string' && /^-?\d+$/.test(raw.trim()) ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    return { problem: `${name} must be an integer from ${min} to ${max}` };
  }
  return { value };
}

/**
 * Maps a Workers AI failure to an answer: capacity and rate errors to 429 with Retry-After (the
 * client may retry later), anything else to 502. The error's own text is never sent.
 */
export function aiFailure(error: unknown): Response {
  const text = error instanceof Error ? error.message : String(error);
  if (/capacity|3040|rate.?limit|too many requests|3036|429/i.test(text)) {
    return textResponse(429, 'The image model is out of capacity, try again later', { 'retry-after': '10' });
  }
  return textResponse(502, 'The image model failed to generate an image');
}

/**
 * A binding failure as Cloudflare's own envelope (`{"success": false, "errors": [{code, message}]}`)
 * with the HTTP status Cloudflare's error table gives its code, so a client reads it as it reads the REST API: 3040 is 429 with
 * `Retry-After: 10` (try again), 3036 is 429 without one (final until 00:00 UTC), 5035 403...
 * Only imagegen's words for the code are sent, never the binding's own text (it may hold internals).
 */
export function aiFailureEnvelope(error: unknown, model: Pick<CatalogueModel, 'alias' | 'id'>): Response {
  const { code, errorCode, meaning, status } = bindingFailure(error, model);
  const body = { success: false, errors: [{ code: code ?? 0, message: meaning ?? 'The image model failed to generate an image' }] };
  // Only out of capacity (3040) is worth trying again soon; 3036 waits for 00:00 UTC.
  return Response.json(body, { status: meaning ? status : 502, headers: errorCode === 'rate_limited' ? { 'retry-after': '10' } : {} });
}

/**
 * The answer for whatever `env.AI.run` handed back (every shape `readBindingAnswer` knows): the
 * image with its content type (sniffed from bytes; the model's format for a stream), an image the
 * model answered as a URL fetched and passed on, or a 502 when there is none.
 */
export async function imageAnswer(output: unknown, headers: Record<string, string>, streamType: string): Promise<Response> {
  const image = await readBindingAnswer(output);
  if (image.kind === 'stream') return new Response(image.stream, { headers: { ...headers, 'content-type': streamType } });
  if (image.kind === 'bytes') {
    return new Response(image.bytes as Uint8Array<ArrayBuffer>, { headers: { ...headers, 'content-type': imageContentType(image.bytes) } });
  }
  if (image.kind === 'url') {
    const answer = await fetch(image.url).catch(() => undefined);
    if (!answer?.ok || !answer.body) return textResponse(502, 'The image the model answered could not be downloaded');
    return new Response(answer.body, { headers: { ...headers, 'content-type': answer.headers.get('content-type') ?? streamType } });
  }
  return textResponse(502, 'The image model returned no image');
}

/** Compares two secrets in time that depends only on their lengths. */
export function secretsEqual(given: string, expected: string): boolean {
  const a = new TextEncoder().encode(given);
  const b = new TextEncoder().encode(expected);
  let difference = a.length ^ b.length;
  for (let index = 0; index < b.length; index++) difference |= (a[index % Math.max(a.length, 1)] ?? 0) ^ (b[index] ?? 0);
  return difference === 0;
}

/** The content type of image bytes, from their signature. */
export function imageContentType(bytes: Uint8Array): string {
  if (bytes[0] === 0x89 && bytes[1] === 0x50) return 'image/png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return 'image/jpeg';
  if (bytes[0] === 0x52 && bytes[8] === 0x57) return 'image/webp';
  if (bytes[0] === 0x47 && bytes[1] === 0x49) return 'image/gif';
  return 'application/octet-stream';
}

/** Decodes base64 text to bytes. */
export function base64Bytes(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

/** The body as a JSON object, or undefined when it is not one. */
export async function readJsonObject(request: Request): Promise<Record<string, unknown> | undefined> {
  try {
    const body: unknown = await request.json();
    return body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The answer that refuses a request without `Authorization: Bearer <key>` (401), or a worker
 * deployed without its key (500); undefined when the request may go on.
 */
export function bearerRefusal(request: Request, key: string | undefined): Response | undefined {
  if (!key) return textResponse(500, 'Worker misconfigured: the API_KEY secret is not set');
  const header = request.headers.get('authorization') ?? '';
  const given = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
  if (!secretsEqual(given, key)) return textResponse(401, 'Unauthorized: missing or invalid API key', { 'www-authenticate': 'Bearer' });
  return undefined;
}

/** The content type of a model's byte answer (its catalogue format). */
export const answerContentType = (model: CatalogueModel): string => (model.answer.format === 'jpeg' ? 'image/jpeg' : 'image/png');
