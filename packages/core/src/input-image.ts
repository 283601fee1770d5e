import { imageSize } from './image-size.js';
import type { ImageModel } from './models/model.js';
import { isCompleteImage, sniffImage, SNIFF_BYTES } from './sniff.js';

/** Default cap on an input image or mask: 10 MiB. */
export const DEFAULT_MAX_INPUT_IMAGE_BYTES = 10 * 1024 * 1024;
/** Largest side of an input image, in pixels. */
export const MAX_INPUT_IMAGE_SIDE = 4096;

/** What a call may send beside its prompt: an image to start from (or several references), a mask. */
export interface InputImages {
  image?: Uint8Array | readonly Uint8Array[];
  mask?: Uint8Array;
}

/**
 * The input images as a list: none, one, or several.
 *
 * @example
 * inputImageList(png); // [png]
 */
export const inputImageList = (image: InputImages['image']): readonly Uint8Array[] =>
  image === undefined ? [] : image instanceof Uint8Array ? [image] : image;

/** Why `bytes` can't be sent as `name`, or undefined: a whole PNG, JPEG or WebP, not too big. */
function oneImageProblem(name: string, bytes: unknown, maxBytes: number): string | undefined {
  if (!(bytes instanceof Uint8Array)) return `${name} must be the bytes of an image`;
  const format = sniffImage(bytes.subarray(0, SNIFF_BYTES));
  if (!format || format.extension === 'gif') return `${name} must be a PNG, JPEG or WebP image`;
  if (bytes.length > maxBytes) return `${name} is larger than ${maxBytes} bytes`;
  if (!isCompleteImage(format, bytes.subarray(0, SNIFF_BYTES), bytes.subarray(-SNIFF_BYTES), bytes.length)) return `${name} is truncated`;
  const size = imageSize(bytes);
  if (!size || size.width === 0 || size.height === 0) return `${name}: its size can't be read`;
  if (size.width > MAX_INPUT_IMAGE_SIDE || size.height > MAX_INPUT_IMAGE_SIDE) {
    return `${name} is ${size.width}x${size.height}: at most ${MAX_INPUT_IMAGE_SIDE} pixels a side`;
  }
  return undefined;
}

/**
 * Why the input images can't be sent to `model`, or undefined: the model must take them (and a
 * mask, when one is given), each a whole PNG, JPEG or WebP within the size caps, the mask of the
 * image's size; a model that needs an image gets one.
 *
 * @example
 * inputImagesProblem(flux, { image: png }); // 'flux takes no input image'
 */
export function inputImagesProblem(model: ImageModel, images: InputImages, maxBytes = DEFAULT_MAX_INPUT_IMAGE_BYTES): string | undefined {
  const spec = model.imageInput;
  const { mask } = images;
  const list = inputImageList(images.image);
  if (list.length === 0 && mask === undefined) return spec?.required ? `${model.name} needs an input image (image)` : undefined;
  if (!spec) return `${model.name} takes no input image`;
  if (list.length === 0) return 'mask needs an image to go with it';
  if (mask !== undefined && !spec.mask) return `${model.name} takes no mask`;
  const most = spec.maxImages ?? 1;
  if (list.length > most)
    return `${model.name} takes ${most === 1 ? 'one input image' : `at most ${most} input images`} (${list.length} were given)`;
  for (const [index, image] of list.entries()) {
    const problem = oneImageProblem(list.length === 1 ? 'image' : `image ${index + 1}`, image, maxBytes);
    if (problem) return problem;
  }
  if (mask === undefined) return undefined;
  const problem = oneImageProblem('mask', mask, maxBytes);
  if (problem) return problem;
  const [a, b] = [imageSize(list[0]!)!, imageSize(mask)!];
  if (a.width !== b.width || a.height !== b.height) return `mask is ${b.width}x${b.height} but the image is ${a.width}x${a.height}`;
  return undefined;
}
