import { concatBytes, decodeBase64, lastBytes } from './bytes.js';
import type { ErrorFactory } from './error-factory.js';
import type { ImageGenerationError } from './errors.js';
import type { TransportResponse } from './ports.js';
import { type ImageFormat, isCompleteImage, sniffImage, SNIFF_BYTES } from './sniff.js';

/** What {@link readImageBody} needs to guard one response body. */
export interface ImageBodyOptions {
  model: string;
  /** Makes the errors (the model's messages, secrets redacted). */
  errors: Pick<ErrorFactory, 'make'>;
  maxBytes: number;
  /** The attempt's signal: aborting it (a timeout, the caller) stops the read with its reason. */
  signal: AbortSignal;
  /** Called for each chunk that arrives (the attempt's watchdog counts silence from it). */
  onChunk?: () => void;
  /**
   * Bodies up to this size are read into memory and stored in one write; larger ones stream
   * to the store, so memory stays bounded whatever the image's size.
   * @default 1048576 (1 MiB)
   */
  spoolBytes?: number;
}

/** A checked image body, ready for a `FileStore`: whole bytes, or a stream still arriving. */
export interface ImageBody {
  format: ImageFormat;
  body: Uint8Array | ReadableStream<Uint8Array>;
  /** Bytes of the image (for a stream: counted as it flows, final once it has ended). */
  bytes(): number;
  /** The error the streamed body failed with (too large, cut short, timeout), if it did. */
  failure(): unknown;
}

const invalid = (options: ImageBodyOptions, detail: string): ImageGenerationError =>
  options.errors.make('invalid_response', options.model, { detail });

const tooLarge = (options: ImageBodyOptions): ImageGenerationError =>
  options.errors.make('too_large', options.model, { detail: `the worker sent more than ${options.maxBytes} bytes` });

/**
 * Reads chunks one by one, enforcing the size cap and the signal. A stop (abort, timeout,
 * too large) cancels the reader, which ends the pending read; racing each read against a
 * long-lived promise instead would keep every chunk reachable until the body ends.
 */
class ChunkSource {
  bytes = 0;
  private stopReason: unknown;

  constructor(
    private readonly response: TransportResponse,
    private readonly options: ImageBodyOptions,
  ) {
    const { signal } = options;
    if (signal.aborted) this.halt(signal.reason);
    else signal.addEventListener('abort', () => this.halt(signal.reason), { once: true });
  }

  private halt(reason: unknown): void {
    if (this.stopReason !== undefined) return;
    this.stopReason = reason ?? new Error('stopped');
    this.response.cancel(this.stopReason);
  }

  async next(): Promise<Uint8Array | undefined> {
    let result: Awaited<ReturnType<TransportResponse['read']>>;
    try {
      result = await this.response.read();
    } catch (error) {
      this.halt(error);
      throw this.stopReason;
    }
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- the stop reason is the abort reason or a typed error, passed through as given
    if (this.stopReason !== undefined) throw this.stopReason;
    if (result.done || !result.value) return undefined;
    this.options.onChunk?.();
    this.bytes += result.value.length;
    if (this.bytes > this.options.maxBytes) {
      const error = tooLarge(this.options);
      this.halt(error);
      throw error;
    }
    return result.value;
  }

  cancel(reason: unknown): void {
    this.halt(reason);
  }
}

function mediaType(response: TransportResponse): string {
  return (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
}

/** Decodes JSON `{"image": "<base64>"}` (or Workers AI's `{"result": {"image": ...}}`). */
function decodeJsonImage(text: Uint8Array, options: ImageBodyOptions): Uint8Array {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(text));
  } catch {
    throw invalid(options, 'the JSON body does not parse');
  }
  const record = (parsed ?? {}) as { image?: unknown; result?: { image?: unknown } };
  const encoded = record.image ?? record.result?.image;
  const bytes = typeof encoded === 'string' ? decodeBase64(encoded) : undefined;
  if (!bytes) throw invalid(options, 'the JSON body has no base64 "image"');
  if (bytes.length > options.maxBytes) throw tooLarge(options);
  return bytes;
}

/** A whole image in memory, checked: format from the bytes, and complete. */
function wholeImage(bytes: Uint8Array, options: ImageBodyOptions): ImageBody {
  if (bytes.length === 0) throw invalid(options, 'empty body');
  const format = sniffImage(bytes);
  if (!format) throw invalid(options, 'the body is not a PNG, JPEG, WebP or GIF image');
  if (!isCompleteImage(format, bytes.subarray(0, SNIFF_BYTES), bytes.subarray(-SNIFF_BYTES), bytes.length)) {
    throw invalid(options, 'the image is truncated');
  }
  return { format, body: bytes, bytes: () => bytes.length, failure: () => undefined };
}

/**
 * Checks a 2xx response as an image and hands back a body for the store: content type,
 * `Content-Length` and running size cap, sniffed format, and, at the end, that
 * the image is complete. A JSON `{"image": base64}` answer is decoded. Small bodies are read
 * whole; big ones stream, holding at most `spoolBytes` in memory.
 */
export async function readImageBody(response: TransportResponse, options: ImageBodyOptions): Promise<ImageBody> {
  const { maxBytes } = options;
  const type = mediaType(response);
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  const discard = (): void => response.cancel();
  if (declared > maxBytes) {
    discard();
    throw tooLarge(options);
  }
  const isJson = type === 'application/json' || type.endsWith('+json');
  if (!isJson && type !== '' && type !== 'application/octet-stream' && !type.startsWith('image/')) {
    discard();
    throw invalid(options, `expected an image, got content-type ${type}`);
  }
  const source = new ChunkSource(response, options);
  // JSON is decoded whole: the cap bounds it.
  const spoolLimit = isJson ? Number.POSITIVE_INFINITY : (options.spoolBytes ?? 1024 * 1024);

  const spooled: Uint8Array[] = [];
  let ended = false;
  while (source.bytes < spoolLimit) {
    const chunk = await source.next();
    if (!chunk) {
      ended = true;
      break;
    }
    spooled.push(chunk);
  }
  const head = concatBytes(spooled);
  if (isJson) return wholeImage(decodeJsonImage(head, options), options);
  if (ended) return wholeImage(head, options);

  const format = sniffImage(head);
  if (!format) {
    source.cancel('not an image');
    throw invalid(options, `the body is not a PNG, JPEG, WebP or GIF image (content-type ${type || 'none'})`);
  }
  let failure: unknown;
  let pending: Uint8Array | undefined = head;
  let tail: Uint8Array = head.slice(-SNIFF_BYTES);
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (pending) {
        controller.enqueue(pending);
        pending = undefined;
        return;
      }
      try {
        const chunk = await source.next();
        if (chunk) {
          tail = lastBytes(tail, chunk, SNIFF_BYTES);
          controller.enqueue(chunk);
          return;
        }
        if (!isCompleteImage(format, head, tail, source.bytes)) throw invalid(options, 'the image is truncated');
        controller.close();
      } catch (error) {
        failure = error;
        controller.error(error);
      }
    },
    cancel(reason) {
      source.cancel(reason);
    },
  });
  return { format, body, bytes: () => source.bytes, failure: () => failure };
}

/**
 * The image with its whole body in memory (a streamed one read to its end: an answer is at most
 * `maxBytes`), for a step that needs the bytes (converting, caching). Throws the body's own failure
 * when it broke while being read.
 */
export async function bufferedImage(image: ImageBody): Promise<ImageBody & { body: Uint8Array }> {
  if (image.body instanceof Uint8Array) return image as ImageBody & { body: Uint8Array };
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await new Response(image.body).arrayBuffer());
  } catch (error) {
    throw image.failure() ?? error;
  }
  return { format: image.format, body: bytes, bytes: () => bytes.length, failure: () => undefined };
}
