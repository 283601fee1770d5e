/**
 * A fresh request id: 8 lowercase hex digits from the platform's CSPRNG.
 *
 * @example
 * newRequestId(); // 'a1b2c3d4'
 */
export function newRequestId(): string {
  // One CSPRNG call per 1,024 ids: asking for 4 bytes at a time was a visible cost per image.
  if (poolOffset >= randomPool.length) {
    crypto.getRandomValues(randomPool);
    poolOffset = 0;
  }
  const id = (randomPool[poolOffset++]! >>> 0).toString(16).padStart(8, '0');
  return id;
}

const randomPool = new Uint32Array(1024);
let poolOffset = randomPool.length;

/**
 * The file name of an image: `image_{model}_{id}_{unix seconds}.{ext}`. Model and id are
 * reduced to `[a-z0-9-]`, so the name never holds a path separator or `..` and always stays in
 * the output directory.
 *
 * @example
 * imageFileName('flux', 'a1b2c3d4', 1705334567000, 'png'); // 'image_flux_a1b2c3d4_1705334567.png'
 */
export function imageFileName(model: string, requestId: string, nowMs: number, extension: string): string {
  const safe = (text: string): string =>
    text
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .slice(0, 64) || 'x';
  return `image_${safe(model)}_${safe(requestId)}_${Math.floor(nowMs / 1000)}.${safe(extension)}`;
}
