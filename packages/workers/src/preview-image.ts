import sharp from 'sharp';

/** What a local preview image is made from. */
export interface PreviewRequest {
  prompt: string;
  seed?: number;
  width?: number;
  height?: number;
  format: 'png' | 'jpeg';
  /** Images to start from: drawn side by side under the shapes, the more visible the lower `strength`. */
  images?: readonly Uint8Array[];
  /** 0-1, as Workers AI's: how far from the input image. @default 1 */
  strength?: number;
}

// FNV-1a: a small, stable hash, so the same prompt and seed always draw the same picture.
function hash(text: string): number {
  let value = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    value ^= text.charCodeAt(index);
    value = Math.imul(value, 0x01000193);
  }
  return value >>> 0;
}

// mulberry32: a seeded PRNG with good enough spread for shapes and colours.
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The SVG of a preview: a gradient and shapes whose colours and places come from the prompt's hash. */
export function previewSvg(request: Omit<PreviewRequest, 'format' | 'images'>, width: number, height: number, under = ''): string {
  const next = random(hash(`${request.prompt}\u0000${request.seed ?? 0}`));
  const hue = Math.floor(next() * 360);
  const colour = (shift: number, light: number) => `hsl(${(hue + shift) % 360},${55 + Math.floor(next() * 35)}%,${light}%)`;
  const shapes: string[] = [];
  const count = 6 + Math.floor(next() * 8);
  for (let index = 0; index < count; index++) {
    const x = Math.round(next() * width);
    const y = Math.round(next() * height);
    const size = Math.round((0.08 + next() * 0.3) * Math.min(width, height));
    const fill = colour(Math.floor(next() * 180), 35 + Math.floor(next() * 40));
    const opacity = (0.45 + next() * 0.5).toFixed(2);
    shapes.push(
      next() < 0.5
        ? `<circle cx="${x}" cy="${y}" r="${size}" fill="${fill}" fill-opacity="${opacity}"/>`
        : `<rect x="${x - size}" y="${y - size}" width="${size * 2}" height="${Math.round(size * 1.3)}" rx="${Math.round(size / 5)}" fill="${fill}" fill-opacity="${opacity}" transform="rotate(${Math.floor(next() * 90)} ${x} ${y})"/>`,
    );
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${colour(0, 22)}"/><stop offset="1" stop-color="${colour(150, 62)}"/></linearGradient></defs>
<rect width="100%" height="100%" fill="url(#g)"/>${under}<g opacity="${under ? (0.15 + 0.85 * (request.strength ?? 1)).toFixed(2) : '1'}">${shapes.join('')}</g></svg>`;
}

/**
 * Renders a deterministic preview image (same prompt and seed, same bytes; different prompts,
 * clearly different pictures) as a real PNG or JPEG, 512x512 unless a size is given.
 *
 * @example
 * const png = await renderPreview({ prompt: 'a red fox', format: 'png' });
 */
export async function renderPreview(request: PreviewRequest): Promise<Uint8Array> {
  const width = request.width ?? 512;
  const height = request.height ?? 512;
  // Input images are drawn over the gradient and under the shapes (several: side by side), at an
  // opacity that falls as strength rises: the preview visibly starts from them, as image-to-image models do.
  const images = request.images ?? [];
  const opacity = (0.95 - 0.6 * (request.strength ?? 1)).toFixed(2);
  const strips = await Promise.all(
    images.map(async (image, index) => {
      const left = Math.round((index * width) / images.length);
      const strip = Math.round(((index + 1) * width) / images.length) - left;
      const png = await sharp(image).resize(strip, height, { fit: 'fill' }).png().toBuffer();
      return `<image href="data:image/png;base64,${png.toString('base64')}" x="${left}" width="${strip}" height="${height}" opacity="${opacity}"/>`;
    }),
  );
  const under = strips.join('');
  const image = sharp(Buffer.from(previewSvg(request, width, height, under)));
  const encoded = request.format === 'png' ? image.png({ compressionLevel: 4 }) : image.jpeg({ quality: 85 });
  return new Uint8Array(await encoded.toBuffer());
}
