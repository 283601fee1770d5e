import { createReadStream } from 'node:fs';
import { stat, unlink } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import type { FileStore } from '@imagegen/core';
import { NodeFileStore } from '@imagegen/core/node';
import { contentTypeOf, IMAGE_NAME, type ImageStorage, type OpenedImage } from './image-storage.js';

/**
 * The images of `url` answers in a local directory. Any image imagegen wrote there is served,
 * by this process or by another sharing the directory (cluster mode): only names of imagegen's
 * own pattern are looked up, so no request path ever becomes a file path and no other file of the
 * directory is exposed. An image is served until it is `maxAgeMs` old (by when this storage wrote
 * it, or else by the file's modification time); the sweep deletes only what this storage wrote
 * or was told of, never the images of others (a CLI sharing the directory keeps its files).
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
    if (!IMAGE_NAME.test(name)) return undefined;
    const path = join(this.dir, name);
    try {
      const file = await stat(path);
      const createdAt = this.entries.get(name) ?? file.mtimeMs;
      if (!file.isFile() || this.now() - createdAt > this.maxAgeMs) return undefined;
      const { size } = file;
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
