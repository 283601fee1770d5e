import type { ImageCodec } from '../ports.js';
import { messageOf } from '../transport-errors.js';

type Sharp = typeof import('sharp').default;

let loading: Promise<Sharp> | undefined;

// Loaded on first use: a generator that never converts never loads sharp's native module.
function loadSharp(): Promise<Sharp> {
  loading ??= import('sharp').then(
    (module) => module.default,
    (error: unknown) => {
      loading = undefined;
      throw new Error(`converting images needs the sharp package (npm install sharp): ${messageOf(error)}`);
    },
  );
  return loading;
}

/**
 * The Node entry's {@link ImageCodec}, built on sharp (an optional peer dependency, loaded on
 * first use): PNG, JPEG (transparency flattened on white) and WebP out; images shrunk to fit,
 * never enlarged.
 *
 * @example
 * const webp = await sharpCodec().convert(pngBytes, 'webp', 80);
 */
export function sharpCodec(): ImageCodec {
  return {
    async convert(bytes, format, quality) {
      const image = (await loadSharp())(bytes);
      const options = quality === undefined ? {} : { quality };
      const encoded =
        format === 'png' ? image.png() : format === 'jpeg' ? image.flatten({ background: '#ffffff' }).jpeg(options) : image.webp(options);
      return new Uint8Array(await encoded.toBuffer());
    },
    async fit(bytes, maxSide) {
      const image = (await loadSharp())(bytes).resize(maxSide, maxSide, { fit: 'inside', withoutEnlargement: true });
      return new Uint8Array(await image.toBuffer());
    },
  };
}
