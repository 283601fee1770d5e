import type { ImageModelV3File } from '@ai-sdk/provider';
import { DEFAULT_MAX_INPUT_IMAGE_BYTES } from '@imagegen/core';
import { decodeBase64 } from '@imagegen/core/internal';

/**
 * The bytes of an AI SDK image file (`prompt: { images, mask }`): base64 (or a data URL) decoded,
 * bytes as they are, a URL downloaded (at most `maxBytes`: a larger image is refused before the
 * model sees it). Throws an Error whose message says which file and why.
 *
 * @example
 * const bytes = await fileBytes({ type: 'file', mediaType: 'image/png', data: 'iVBOR...' }, 'prompt.images[0]');
 */
export async function fileBytes(
  file: ImageModelV3File,
  name: string,
  signal?: AbortSignal,
  maxBytes = DEFAULT_MAX_INPUT_IMAGE_BYTES,
): Promise<Uint8Array> {
  if (file.type === 'file') {
    if (file.data instanceof Uint8Array) return file.data;
    const base64 = file.data.startsWith('data:') ? file.data.slice(file.data.indexOf(',') + 1) : file.data;
    const bytes = decodeBase64(base64);
    if (!bytes) throw new Error(`${name} is neither base64 nor a data URL`);
    return bytes;
  }
  let response: Response;
  try {
    response = await fetch(file.url, signal ? { signal } : {});
  } catch (error) {
    throw new Error(`${name}: could not download ${file.url}: ${(error as Error).message}`, { cause: error });
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new Error(`${name}: downloading ${file.url} answered HTTP ${response.status}`);
  }
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw new Error(`${name}: ${file.url} is ${declared} bytes, more than the ${maxBytes} an input image may be`);
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.byteLength > maxBytes) throw new Error(`${name}: ${file.url} is more than the ${maxBytes} bytes an input image may be`);
  return bytes;
}
