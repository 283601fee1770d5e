import { concatBytes } from './bytes.js';
import type { TransportResponse } from './ports.js';

/**
 * The first `limit` bytes (or a little more: whole chunks) of a body, which is then cancelled;
 * undefined when reading fails.
 */
export async function readHead(response: TransportResponse, limit: number): Promise<Uint8Array | undefined> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < limit) {
      const { done, value } = await response.read();
      if (done || !value) break;
      chunks.push(value);
      size += value.length;
    }
  } catch {
    return undefined;
  } finally {
    response.cancel();
  }
  return concatBytes(chunks);
}

/** True for a body worth reading for its words: text or JSON. */
export const isTextBody = (response: Pick<TransportResponse, 'headers'>): boolean =>
  /^(text\/|application\/(problem\+)?json)/i.test(response.headers.get('content-type') ?? '');

/**
 * The first words of an error body already read (text or JSON), cleaned up for a message: at
 * most 200 characters, no control characters. Undefined when there are none.
 */
export function snippetIn(head: Uint8Array): string | undefined {
  let text = new TextDecoder().decode(head.subarray(0, 512));
  try {
    const parsed = JSON.parse(text) as { error?: unknown; message?: unknown };
    const inner =
      typeof parsed.error === 'object' && parsed.error !== null ? (parsed.error as { message?: unknown }).message : parsed.error;
    const message = inner ?? parsed.message;
    if (typeof message === 'string') text = message;
  } catch {
    // Plain text, or JSON cut at 512 bytes: use it as it is.
  }
  const clean = text.replace(CONTROL_CHARACTERS, ' ').replace(/\s+/g, ' ').trim().slice(0, 200);
  return clean || undefined;
}

// eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]+/g;
