import { createWriteStream } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import type { FileStore, FileStoreWriteOptions } from '../ports.js';
import { ensureDir } from './ensure-dir.js';
import { linkExclusive, writeExclusive } from './exclusive-write.js';
import { tempFileName } from './temp-files.js';

/**
 * A `FileStore` on the local disk. Each image is streamed to a hidden temporary file in the
 * output directory and takes its final name only once complete (a hard link, so an existing
 * image is never overwritten, then the temporary name is removed). On any error or abort the
 * temporary file is removed.
 *
 * @example
 * const store = new NodeFileStore('temp/images');
 * const path = await store.write('image_flux_a1b2c3d4_1705334567.png', bytes);
 */
export class NodeFileStore implements FileStore {
  readonly dir: string;
  private ready: Promise<unknown> | undefined;

  /** @param dir the output directory (created on the first write) */
  constructor(dir: string) {
    this.dir = resolve(dir);
  }

  async write(name: string, body: Uint8Array | ReadableStream<Uint8Array>, options: FileStoreWriteOptions = {}): Promise<string> {
    this.ready ??= ensureDir(this.dir).catch((error: unknown) => {
      this.ready = undefined;
      throw error;
    });
    await this.ready;
    const temp = join(this.dir, tempFileName(name));
    try {
      if (body instanceof Uint8Array) {
        options.signal?.throwIfAborted();
        await writeExclusive(temp, body);
      } else {
        const source = Readable.fromWeb(body as NodeReadableStream<Uint8Array>);
        await pipeline(source, createWriteStream(temp, { flags: 'wx' }), { signal: options.signal });
      }
      options.signal?.throwIfAborted();
      return await this.publish(temp, name, options);
    } catch (error) {
      await unlink(temp).catch(() => {});
      if (!(body instanceof Uint8Array)) await body.cancel(error).catch(() => {});
      throw error;
    }
  }

  async remove(path: string): Promise<void> {
    await unlink(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }

  /** Gives the complete temporary file its final name without overwriting anything. */
  private async publish(temp: string, name: string, options: FileStoreWriteOptions): Promise<string> {
    for (let candidate = name, tries = 0; ; tries++) {
      const path = join(this.dir, candidate);
      try {
        await linkExclusive(temp, path);
        return path;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EEXIST' && options.nextName && tries < 8) {
          candidate = options.nextName();
          continue;
        }
        // Some file systems have no hard links; rename is still atomic there.
        if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EXDEV' || code === 'ENOSYS') {
          await rename(temp, path);
          return path;
        }
        throw error;
      }
    }
  }
}
