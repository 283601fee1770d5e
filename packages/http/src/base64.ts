type BufferLike = { from(bytes: Uint8Array): { toString(encoding: 'base64'): string } };

/**
 * Base64 of bytes: Node's Buffer where there is one (several times faster), else `btoa` over
 * chunks of the bytes (workerd, browsers).
 *
 * @example
 * bytesToBase64(new Uint8Array([1, 2, 3])); // 'AQID'
 */
export function bytesToBase64(bytes: Uint8Array): string {
  const buffer = (globalThis as { Buffer?: BufferLike }).Buffer;
  if (buffer) return buffer.from(bytes).toString('base64');
  let binary = '';
  for (let offset = 0; offset < bytes.length; offset += 0x8000) binary += String.fromCharCode(...bytes.subarray(offset, offset + 0x8000));
  return btoa(binary);
}
