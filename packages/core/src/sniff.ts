/** An image format the core accepts, as found in the bytes themselves. */
export interface ImageFormat {
  extension: 'png' | 'jpg' | 'webp' | 'gif';
  contentType: 'image/png' | 'image/jpeg' | 'image/webp' | 'image/gif';
}

/** How many leading bytes {@link sniffImage} needs to decide. */
export const SNIFF_BYTES = 12;

const startsWith = (bytes: Uint8Array, signature: readonly number[], offset = 0): boolean =>
  signature.every((byte, index) => bytes[offset + index] === byte);

const ascii = (text: string): number[] => [...text].map((char) => char.charCodeAt(0));

const signatures: ReadonlyArray<{ format: ImageFormat; matches: (bytes: Uint8Array) => boolean }> = [
  {
    format: { extension: 'png', contentType: 'image/png' },
    matches: (bytes) => startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  },
  {
    format: { extension: 'jpg', contentType: 'image/jpeg' },
    matches: (bytes) => startsWith(bytes, [0xff, 0xd8, 0xff]),
  },
  {
    format: { extension: 'webp', contentType: 'image/webp' },
    matches: (bytes) => startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8),
  },
  {
    format: { extension: 'gif', contentType: 'image/gif' },
    matches: (bytes) => startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a')),
  },
];

/**
 * Names the image format from its first bytes, whatever a `Content-Type` header claimed.
 * Undefined when the bytes are not PNG, JPEG, WebP or GIF.
 *
 * @example
 * sniffImage(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10]))?.extension; // 'png'
 */
export function sniffImage(head: Uint8Array): ImageFormat | undefined {
  return signatures.find((signature) => signature.matches(head))?.format;
}

const PNG_END = [0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82];

/**
 * Whether an image of `format` whose last bytes are `tail` (up to 12) and whose size is
 * `total` is complete: a body cut short with a matching Content-Length still fails here.
 * WebP's RIFF header states its own size, so `head` (the first 12 bytes) is needed for it.
 */
export function isCompleteImage(format: ImageFormat, head: Uint8Array, tail: Uint8Array, total: number): boolean {
  switch (format.extension) {
    case 'png':
      return tail.length >= 8 && startsWith(tail, PNG_END, tail.length - 8);
    case 'jpg':
      // Some encoders pad after the end-of-image marker; look for it near the end.
      for (let index = tail.length - 2; index >= 0; index--) {
        if (tail[index] === 0xff && tail[index + 1] === 0xd9) return true;
      }
      return false;
    case 'gif':
      return tail[tail.length - 1] === 0x3b;
    case 'webp': {
      const size = ((head[4] ?? 0) | ((head[5] ?? 0) << 8) | ((head[6] ?? 0) << 16) | ((head[7] ?? 0) << 24)) >>> 0;
      return size + 8 <= total;
    }
  }
}
