import { createReadStream } from 'node:fs';
import { stat, unlink } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import type { FileStore } from '@imagegen/core';
import { NodeFileStore } from '@imagegen/core/node';
import { contentTypeOf, type ImageStorage, type OpenedImage } from './image-storage.js';

/**
 * The images of `url` answers in a local directory. Only names this storage wrote (or was told
 * of with `remember`) are served, so no request path ever becomes a file path and no other file
 * of the directory is exposed; entries older than `maxAgeMs` are swept.
 *
 * @example
 * const storage = new LocalImageStorage('temp/images', 3_600_000);
 * const result = await generator.generateWithFlux('a cat', { store: storage.store });
 */
export class LocalImageStorage implements ImageStorage {
  readonly kind = 'local';
  readonly store: FileStore;
  private readonly dir: string;
  private readonly entries = new Map<string, number>();

  constructor(
    dir: string,
    private readonly maxAgeMs: number,
    private readonly now: () => number = Date.now,
  ) {
    const files = new NodeFileStore(dir);
    this.dir = files.dir;
    this.store = {
      write: async (name, body, options) => {
        const path = await files.write(name, body, options);
        this.remember(basename(path));
        return path;
      },
      remove: (path) => files.remove(path),
    };
  }

  remember(name: string): void {
    this.entries.set(name, this.now());
  }

  async open(name: string): Promise<OpenedImage | undefined> {
    const createdAt = this.entries.get(name);
    if (createdAt === undefined || this.now() - createdAt > this.maxAgeMs) return undefined;
    const path = join(this.dir, name);
    try {
      const { size } = await stat(path);
      const body = Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>;
      return { body, contentType: contentTypeOf(name), size };
    } catch {
      this.entries.delete(name);
      return undefined;
    }
  }

  async discard(names: readonly string[]): Promise<void> {
    await Promise.all(
      names.map((name) => {
        this.entries.delete(name);
        return unlink(join(this.dir, basename(name))).catch(() => {});
      }),
    );
  }

  async sweep(): Promise<number> {
    const now = this.now();
    const old = [...this.entries].filter(([, createdAt]) => now - createdAt > this.maxAgeMs).map(([name]) => name);
    await this.discard(old);
    return old.length;
  }

  get size(): number {
    return this.entries.size;
  }

  async ready(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {}
}
