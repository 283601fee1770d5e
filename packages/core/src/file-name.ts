/**
 * A fresh request id: 8 lowercase hex digits from the platform's CSPRNG.
 *
 * @example
 * newRequestId(); // 'a1b2c3d4'
 */
export function newRequestId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(4));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * The file name of an image: `image_{model}_{id}_{unix seconds}.{ext}`. Model and id are
 * reduced to `[a-z0-9-]`, so the name never holds a path separator or `..` and always stays in
 * the output directory.
 *
 * @example
 * imageFileName('flux', 'a1b2c3d4', 1705334567000, 'png'); // 'image_flux_a1b2c3d4_1705334567.png'
 */
export function imageFileName(model: string, requestId: string, nowMs: number, extension: string): string {
  const safe = (text: string): string => text.toLowerCase().replace(/[^a-z0-9-]+/g, '-').slice(0, 64) || 'x';
  return `image_${safe(model)}_${safe(requestId)}_${Math.floor(nowMs / 1000)}.${safe(extension)}`;
}
