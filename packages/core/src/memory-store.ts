import { concatBytes } from './bytes.js';
import type { FileStore, FileStoreWriteOptions } from './ports.js';

/**
 * A `FileStore` that keeps images in memory: for tests, and for runtimes with no disk (a
 * Worker, a browser). Writes are atomic: an image is listed only once its body has ended.
 *
 * @example
 * const store = new MemoryStore();
 * const generator = new ImageGenerator({ settings, fetch, store });
 * const result = await generator.generateWithFlux('a cat');
 * if (result.ok) store.files.get(result.path); // Uint8Array
 */
export class MemoryStore implements FileStore {
  /** The stored images by path. */
  readonly files = new Map<string, Uint8Array>();

  constructor(private readonly prefix = 'memory://') {}

  async write(name: string, body: Uint8Array | ReadableStream<Uint8Array>, options: FileStoreWriteOptions = {}): Promise<string> {
    const bytes = body instanceof Uint8Array ? body : await readAll(body, options.signal);
    options.signal?.throwIfAborted();
    let path = this.prefix + name;
    while (this.files.has(path)) {
      if (!options.nextName) throw new Error(`${path} already exists`);
      path = this.prefix + options.nextName();
    }
    this.files.set(path, bytes);
    return path;
  }

  async remove(path: string): Promise<void> {
    this.files.delete(path);
  }
}

async function readAll(body: ReadableStream<Uint8Array>, signal: AbortSignal | undefined): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  const reader = body.getReader();
  const onAbort = (): void => void reader.cancel(signal?.reason).catch(() => {});
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for (;;) {
      signal?.throwIfAborted();
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  return concatBytes(chunks);
}
