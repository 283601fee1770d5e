import { concatBytes, decodeBase64, lastBytes } from './bytes.js';
import { ImageGenerationError } from './errors.js';
import type { Clock } from './ports.js';
import { type ImageFormat, isCompleteImage, sniffImage, SNIFF_BYTES } from './sniff.js';

/** What {@link readImageBody} needs to guard one response body. */
export interface ImageBodyOptions {
  model: string;
  maxBytes: number;
  /** Longest wait for the next chunk, in ms. */
  idleTimeoutMs: number;
  clock: Clock;
  /** The attempt's signal: aborting it stops the read with the signal's reason. */
  signal: AbortSignal;
}

/** A checked image body, ready for a `FileStore`: whole bytes, or a stream still arriving. */
export interface ImageBody {
  format: ImageFormat;
  body: Uint8Array | ReadableStream<Uint8Array>;
  /** The error the streamed body failed with (too large, cut short, timeout), if it did. */
  failure(): unknown;
}

const invalid = (model: string, detail: string): ImageGenerationError =>
  new ImageGenerationError({
    code: 'invalid_response',
    message: `Invalid response from the worker: ${detail}`,
    model,
    retryable: true,
  });

const tooLarge = (model: string, maxBytes: number): ImageGenerationError =>
  new ImageGenerationError({
    code: 'too_large',
    message: `Image too large: the worker sent more than ${maxBytes} bytes`,
    model,
  });

/** Reads chunks one by one, enforcing the size cap, the idle timeout and the signal. */
class ChunkSource {
  bytes = 0;
  private readonly aborted: Promise<never>;
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;

  constructor(
    body: ReadableStream<Uint8Array>,
    private readonly options: ImageBodyOptions,
  ) {
    this.reader = body.getReader();
    const { signal } = options;
    // One listener for the whole body, not one per chunk.
    this.aborted = new Promise<never>((_, reject) => {
      if (signal.aborted) reject(signal.reason);
      else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
    this.aborted.catch(() => {});
  }

  async next(): Promise<Uint8Array | undefined> {
    const { clock, idleTimeoutMs, model, maxBytes } = this.options;
    const stop = new AbortController();
    try {
      const result = await Promise.race([
        this.reader.read(),
        this.aborted,
        clock.sleep(idleTimeoutMs, stop.signal).then(
          () => {
            throw new ImageGenerationError({
              code: 'timeout',
              message: 'Image generation request timed out',
              model,
              retryable: true,
            });
          },
          () => new Promise<never>(() => {}),
        ),
      ]);
      if (result.done) return undefined;
      this.bytes += result.value.length;
      if (this.bytes > maxBytes) throw tooLarge(model, maxBytes);
      return result.value;
    } catch (error) {
      this.cancel(error);
      throw error;
    } finally {
      stop.abort();
    }
  }

  cancel(reason: unknown): void {
    this.reader.cancel(reason).catch(() => {});
  }
}

function mediaType(response: Response): string {
  return (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
}

/** Checks decoded JSON `{"image": "<base64>"}` (or Workers AI's `{"result": {"image": ...}}`). */
async function readJsonImage(source: ChunkSource, options: ImageBodyOptions): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for (let chunk = await source.next(); chunk; chunk = await source.next()) chunks.push(chunk);
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(concatBytes(chunks)));
  } catch {
    throw invalid(options.model, 'the JSON body does not parse');
  }
  const record = (parsed ?? {}) as { image?: unknown; result?: { image?: unknown } };
  const encoded = record.image ?? record.result?.image;
  const bytes = typeof encoded === 'string' ? decodeBase64(encoded) : undefined;
  if (!bytes) throw invalid(options.model, 'the JSON body has no base64 "image"');
  if (bytes.length > options.maxBytes) throw tooLarge(options.model, options.maxBytes);
  return bytes;
}

/**
 * Checks a 2xx response as an image and hands back a body for the store: content type,
 * `Content-Length` and running size cap, idle timeout, sniffed format, and, at the end, that
 * the image is complete. A JSON `{"image": base64}` answer is decoded.
 */
export async function readImageBody(response: Response, options: ImageBodyOptions): Promise<ImageBody> {
  const { model, maxBytes } = options;
  const type = mediaType(response);
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  const discard = (): void => void response.body?.cancel().catch(() => {});
  if (declared > maxBytes) {
    discard();
    throw tooLarge(model, maxBytes);
  }
  const isJson = type === 'application/json' || type.endsWith('+json');
  if (!isJson && type !== '' && type !== 'application/octet-stream' && !type.startsWith('image/')) {
    discard();
    throw invalid(model, `expected an image, got content-type ${type}`);
  }
  if (!response.body) throw invalid(model, 'empty body');
  const source = new ChunkSource(response.body, options);

  if (isJson) {
    const bytes = await readJsonImage(source, options);
    return { format: checkedFormat(bytes, bytes, bytes.length, model), body: bytes, failure: () => undefined };
  }

  const headChunks: Uint8Array[] = [];
  let ended = false;
  while (source.bytes < SNIFF_BYTES) {
    const chunk = await source.next();
    if (!chunk) {
      ended = true;
      break;
    }
    headChunks.push(chunk);
  }
  const head = concatBytes(headChunks);
  if (ended) {
    return { format: checkedFormat(head, head, head.length, model), body: head, failure: () => undefined };
  }
  const format = sniffImage(head);
  if (!format) {
    source.cancel('not an image');
    throw invalid(model, `the body is not a PNG, JPEG, WebP or GIF image (content-type ${type || 'none'})`);
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
        if (!isCompleteImage(format, head, tail, source.bytes)) throw invalid(model, 'the image is truncated');
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
  return { format, body, failure: () => failure };
}

function checkedFormat(head: Uint8Array, bytes: Uint8Array, total: number, model: string): ImageFormat {
  if (total === 0) throw invalid(model, 'empty body');
  const format = sniffImage(head);
  if (!format) throw invalid(model, 'the body is not a PNG, JPEG, WebP or GIF image');
  if (!isCompleteImage(format, head.slice(0, SNIFF_BYTES), bytes.slice(-SNIFF_BYTES), total)) {
    throw invalid(model, 'the image is truncated');
  }
  return format;
}
