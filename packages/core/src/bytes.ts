/** Joins chunks into one array. */
export function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  if (chunks.length === 1 && chunks[0]) return chunks[0];
  const total = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  const joined = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.length;
  }
  return joined;
}

/** The last `count` bytes of `previous` followed by `next`. */
export function lastBytes(previous: Uint8Array, next: Uint8Array, count: number): Uint8Array {
  if (next.length >= count) return next.slice(next.length - count);
  return concatBytes([previous, next]).slice(-count);
}

// Node's Buffer decodes base64 natively, several times faster than atob and a copy loop; the
// portable path stays for runtimes without it (workerd, browsers).
const nodeBuffer = (
  globalThis as {
    Buffer?: {
      from(text: string, encoding: 'base64'): Uint8Array;
      from(bytes: ArrayBufferLike, offset: number, length: number): Uint8Array & { toString(encoding: 'base64'): string };
    };
  }
).Buffer;
const BASE64 = /^[A-Za-z0-9+/\-_\s]*={0,2}\s*$/;

/** Decodes standard or URL-safe base64 (whitespace allowed); undefined when it is not base64. */
export function decodeBase64(text: string): Uint8Array | undefined {
  if (!BASE64.test(text)) return undefined;
  if (nodeBuffer) {
    const decoded = nodeBuffer.from(text, 'base64');
    return new Uint8Array(decoded.buffer, decoded.byteOffset, decoded.length);
  }
  try {
    const binary = atob(text.replace(/\s+/g, '').replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = new Uint8Array(binary.length);
    for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
    return bytes;
  } catch {
    return undefined;
  }
}

/** Encodes bytes as standard base64 (Node's Buffer where there is one). */
export function encodeBase64(bytes: Uint8Array): string {
  if (nodeBuffer) return nodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('base64');
  let binary = '';
  for (let index = 0; index < bytes.length; index += 0x8000) binary += String.fromCharCode(...bytes.subarray(index, index + 0x8000));
  return btoa(binary);
}
