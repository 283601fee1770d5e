import type { FileStore, FileStoreWriteOptions } from '@imagegen/core';
import { contentTypeOf, type ImageStorage, type OpenedImage } from './image-storage.js';

/** The part of an R2 bucket binding (`env.IMAGES`) the storage uses. https://developers.cloudflare.com/r2/api/workers/workers-api-reference/ */
export interface R2BucketLike {
  put(
    key: string,
    value: Uint8Array | ArrayBuffer,
    options?: {
      httpMetadata?: { contentType?: string };
      customMetadata?: Record<string, string>;
      onlyIf?: { etagDoesNotMatch?: string };
    },
  ): Promise<unknown>;
  get(key: string): Promise<{ body: ReadableStream<Uint8Array>; size: number; customMetadata?: Record<string, string> } | null>;
  head(key: string): Promise<unknown>;
  delete(keys: string | string[]): Promise<void>;
}

async function bytesOf(body: Uint8Array | ReadableStream<Uint8Array>, signal?: AbortSignal): Promise<Uint8Array> {
  if (body instanceof Uint8Array) return body;
  const bytes = new Uint8Array(await new Response(body).arrayBuffer());
  signal?.throwIfAborted();
  return bytes;
}

/**
 * The images of `url` answers in an R2 bucket, for the gateway deployed as a Worker. A write is
 * one `put` (R2 stores an object whole or not at all), made only if the name is free
 * (`onlyIf: { etagDoesNotMatch: '*' }`: a taken name gets the next one, never overwritten), with
 * its content type and the time it expires; an expired image is not served (a bucket lifecycle
 * rule deletes it). The image is read whole before the put: R2 needs a stream's length first,
 * and an image is at most the generator's size cap.
 *
 * @example
 * const storage = new R2ImageStorage(env.IMAGES, 3_600_000);
 * const generator = new ImageGenerator({ settings, ai: env.AI, store: storage.store });
 */
export class R2ImageStorage implements ImageStorage {
  readonly kind = 'r2';
  readonly store: FileStore;

  constructor(
    private readonly bucket: R2BucketLike,
    private readonly maxAgeMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.store = {
      write: (name, body, options) => this.write(name, body, options),
      remove: (path) => this.bucket.delete(path.slice(path.lastIndexOf('/') + 1)),
    };
  }

  private async write(name: string, body: Uint8Array | ReadableStream<Uint8Array>, options: FileStoreWriteOptions = {}): Promise<string> {
    const bytes = await bytesOf(body, options.signal);
    let key = name;
    for (;;) {
      options.signal?.throwIfAborted();
      const stored = await this.bucket.put(key, bytes, {
        httpMetadata: { contentType: contentTypeOf(key) },
        customMetadata: { expiresAt: String(this.now() + this.maxAgeMs) },
        onlyIf: { etagDoesNotMatch: '*' },
      });
      // R2 answers null when the condition failed: the name is taken.
      if (stored !== null) return `r2://${key}`;
      if (!options.nextName) throw new Error(`${key} already exists`);
      key = options.nextName();
    }
  }

  remember(): void {
    // Every isolate reads the same bucket: nothing to note.
  }

  async open(name: string): Promise<OpenedImage | undefined> {
    const object = await this.bucket.get(name);
    if (!object) return undefined;
    const expiresAt = Number(object.customMetadata?.expiresAt ?? Number.POSITIVE_INFINITY);
    if (expiresAt <= this.now()) {
      await object.body.cancel();
      return undefined;
    }
    return { body: object.body, contentType: contentTypeOf(name), size: object.size };
  }

  async discard(names: readonly string[]): Promise<void> {
    if (names.length > 0) await this.bucket.delete([...names]);
  }

  async sweep(): Promise<number> {
    // Expired images are not served; the bucket's lifecycle rule deletes them.
    return 0;
  }

  async ready(): Promise<boolean> {
    try {
      await this.bucket.head('readyz');
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {}
}
