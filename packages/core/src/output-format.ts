import { bufferedImage, type ImageBody } from './image-body.js';
import type { ImageCodec, OutputFormat } from './ports.js';
import { sniffImage } from './sniff.js';

const FORMATS: readonly OutputFormat[] = ['png', 'jpeg', 'webp'];

/** The format and quality a call asked for, with the codec that makes them. */
export interface OutputRequest {
  format: OutputFormat;
  quality?: number;
  codec: ImageCodec;
}

/** What an output option is called where it is given: the library's names by default, an adapter's own otherwise. */
export interface OutputNames {
  outputFormat: string;
  outputQuality: string;
}

/** An output option that can't be honoured: which one, and why in the caller's names. */
export interface OutputIssue {
  field: keyof OutputNames;
  message: string;
}

const LIBRARY_NAMES: OutputNames = { outputFormat: 'outputFormat', outputQuality: 'outputQuality' };

/**
 * Why `outputFormat` / `outputQuality` can't be honoured, or undefined: png, jpeg or webp; a
 * quality 1-100 only for jpeg and webp (PNG is lossless); a codec to convert with (`canConvert`).
 * Said in `names` (the gateway says `output_format` and `output_compression`).
 *
 * @example
 * outputIssue({ outputFormat: 'png', outputQuality: 80 }); // { field: 'outputQuality', message: 'outputQuality applies to jpeg and webp, not png' }
 */
export function outputIssue(
  options: { outputFormat?: unknown; outputQuality?: unknown },
  canConvert = true,
  names: OutputNames = LIBRARY_NAMES,
): OutputIssue | undefined {
  const { outputFormat: format, outputQuality: quality } = options;
  const sayQuality = (message: string): OutputIssue => ({ field: 'outputQuality', message: `${names.outputQuality} ${message}` });
  const sayFormat = (message: string): OutputIssue => ({ field: 'outputFormat', message: `${names.outputFormat} ${message}` });
  if (format === undefined) return quality === undefined ? undefined : sayQuality(`needs an ${names.outputFormat} (jpeg or webp)`);
  if (!FORMATS.includes(format as OutputFormat)) return sayFormat(`must be one of ${FORMATS.join(', ')}`);
  if (quality !== undefined) {
    if (format === 'png') return sayQuality('applies to jpeg and webp, not png');
    if (typeof quality !== 'number' || !Number.isInteger(quality) || quality < 1 || quality > 100) {
      return sayQuality('must be an integer from 1 to 100');
    }
  }
  if (!canConvert) return sayFormat('needs an image codec to convert with (@imagegen/core/node has one)');
  return undefined;
}

/**
 * Why `outputFormat` / `outputQuality` can't be honoured, or undefined ({@link outputIssue}'s words).
 *
 * @example
 * outputProblem({ outputFormat: 'png', outputQuality: 80 }); // 'outputQuality applies to jpeg and webp, not png'
 */
export const outputProblem = (options: { outputFormat?: unknown; outputQuality?: unknown }, canConvert = true): string | undefined =>
  outputIssue(options, canConvert)?.message;

/**
 * The output a call asked for, with the codec to make it, or undefined (none asked, or no codec:
 * such a call was refused before).
 *
 * @example
 * outputRequest({ outputFormat: 'webp', outputQuality: 80 }, codec); // { format: 'webp', quality: 80, codec }
 */
export function outputRequest(
  options: { outputFormat?: OutputFormat | undefined; outputQuality?: number | undefined },
  codec: ImageCodec | undefined,
): OutputRequest | undefined {
  if (!options.outputFormat || !codec) return undefined;
  return { format: options.outputFormat, codec, ...(options.outputQuality === undefined ? {} : { quality: options.outputQuality }) };
}

/**
 * The image as asked: the same body when it already is in that format and no quality was
 * asked, else the whole image converted by the codec (an answer is at most `maxImageBytes`).
 * Throws the body's own failure when it broke while being read.
 *
 * @example
 * const webp = await convertedImage(image, { format: 'webp', quality: 80, codec });
 */
export async function convertedImage(image: ImageBody, output: OutputRequest): Promise<ImageBody> {
  const wanted = output.format === 'jpeg' ? 'jpg' : output.format;
  if (image.format.extension === wanted && output.quality === undefined) return image;
  const { body } = await bufferedImage(image);
  const converted = await output.codec.convert(body, output.format, output.quality);
  const format = sniffImage(converted);
  if (!format || format.extension !== wanted) throw new Error(`the codec did not produce ${output.format}`);
  return { format, body: converted, bytes: () => converted.length, failure: () => undefined };
}
