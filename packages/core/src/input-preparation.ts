import type { ImageSource } from './generator-options.js';
import { imageSize } from './image-size.js';
import { inputImageList, type InputImages, inputImagesProblem } from './input-image.js';
import type { GenerationParams, ImageModel } from './models/model.js';
import type { ImageCodec, ImageFileReader } from './ports.js';
import { messageOf } from './transport-errors.js';

/** What reading and shrinking input images may use: the generator's ports and its size cap. */
export interface PreparationPorts {
  readImageFile?: ImageFileReader | undefined;
  codec?: ImageCodec | undefined;
  maxBytes: number;
}

/** The images ready to send, or why they can't be. */
export type Prepared = { images: InputImages } | { problem: string };

async function read(source: ImageSource, name: string, ports: PreparationPorts): Promise<Uint8Array | string> {
  if (typeof source !== 'string') return source;
  if (!ports.readImageFile) return `${name} is a path, and this generator reads no files (pass the bytes, or use @imagegen/core/node)`;
  try {
    return await ports.readImageFile(source, ports.maxBytes);
  } catch (error) {
    return `${name}: ${messageOf(error)}`;
  }
}

/** Shrinks each image larger than the model's `maxSide` (FLUX.2: 512), keeping the others as they are. */
async function fitted(model: ImageModel, images: readonly Uint8Array[], codec: ImageCodec | undefined): Promise<Uint8Array[] | string> {
  const maxSide = model.imageInput?.maxSide;
  const out: Uint8Array[] = [];
  for (const [index, image] of images.entries()) {
    const size = imageSize(image)!;
    if (maxSide === undefined || (size.width <= maxSide && size.height <= maxSide)) {
      out.push(image);
      continue;
    }
    const name = images.length === 1 ? 'image' : `image ${index + 1}`;
    if (!codec) {
      return `${name} is ${size.width}x${size.height} and ${model.name} takes at most ${maxSide}x${maxSide}; shrinking it needs an image codec (@imagegen/core/node has one)`;
    }
    try {
      out.push(await codec.fit(image, maxSide));
    } catch (error) {
      return `${name} could not be shrunk to ${maxSide}x${maxSide}: ${messageOf(error)}`;
    }
  }
  return out;
}

/**
 * Turns a call's input images into what the model is sent: paths read (within the size cap),
 * every image checked ({@link inputImagesProblem}), images over the model's largest side shrunk
 * by the codec, not refused.
 *
 * @example
 * const prepared = await prepareInputImages(flux2Dev, { image: ['a.png', pngBytes] }, { readImageFile, codec, maxBytes: 10 << 20 });
 * if ('problem' in prepared) console.error(prepared.problem);
 */
export async function prepareInputImages(
  model: ImageModel,
  given: { image?: ImageSource | readonly ImageSource[] | undefined; mask?: ImageSource | undefined },
  ports: PreparationPorts,
): Promise<Prepared> {
  const sources =
    given.image === undefined ? [] : typeof given.image === 'string' || given.image instanceof Uint8Array ? [given.image] : given.image;
  const images: Uint8Array[] = [];
  for (const [index, source] of sources.entries()) {
    const bytes = await read(source, sources.length === 1 ? 'image' : `image ${index + 1}`, ports);
    if (typeof bytes === 'string') return { problem: bytes };
    images.push(bytes);
  }
  const mask = given.mask === undefined ? undefined : await read(given.mask, 'mask', ports);
  if (typeof mask === 'string') return { problem: mask };
  const checked: InputImages = {
    ...(images.length === 0 ? {} : { image: images.length === 1 ? images[0]! : images }),
    ...(mask ? { mask } : {}),
  };
  const problem = inputImagesProblem(model, checked, ports.maxBytes);
  if (problem) return { problem };
  if (images.length === 0) return { images: checked };
  const shrunk = await fitted(model, inputImageList(checked.image), ports.codec);
  if (typeof shrunk === 'string') return { problem: shrunk };
  return { images: { ...checked, image: shrunk.length === 1 ? shrunk[0]! : shrunk } };
}

/**
 * A call's options as the model's parameters: its input images read, checked and shrunk
 * ({@link prepareInputImages}) when it has any; without any, checked that the model needs none.
 *
 * @example
 * const prepared = await callParams(model, { seed: 7, image: 'in.png' }, ports);
 */
export async function callParams(
  model: ImageModel,
  options: GenerationParamsWithSources,
  ports: PreparationPorts,
): Promise<{ params: GenerationParams } | { problem: string }> {
  const { image, mask, ...plain } = options;
  if (image === undefined && mask === undefined) {
    const problem = inputImagesProblem(model, {});
    return problem ? { problem } : { params: plain };
  }
  const prepared = await prepareInputImages(model, { image, mask }, ports);
  return 'problem' in prepared ? prepared : { params: { ...plain, ...prepared.images } };
}

/** The model's parameters with images as sources (bytes or paths), as a call gives them. */
export type GenerationParamsWithSources = Omit<GenerationParams, 'image' | 'mask'> & {
  image?: ImageSource | readonly ImageSource[] | undefined;
  mask?: ImageSource | undefined;
};
