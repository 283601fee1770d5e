type BufferLike = { from(buffer: ArrayBufferLike, offset: number, length: number): { toString(encoding: 'base64'): string } };

/**
 * Base64 of bytes: Node's Buffer where there is one (several times faster), else `btoa` over
 * chunks of the bytes (workerd, browsers).
 *
 * @example
 * bytesToBase64(new Uint8Array([1, 2, 3])); // 'AQID'
 */
export function bytesToBase64(bytes: Uint8Array): string {
  const buffer = (globalThis as { Buffer?: BufferLike }).Buffer;
  // A view of the same memory: Buffer.from(bytes) would copy the image first.
  if (buffer) return buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  let binary = '';
  for (let offset = 0; offset < bytes.length; offset += 0x8000) binary += String.fromCharCode(...bytes.subarray(offset, offset + 0x8000));
  return btoa(binary);
}
