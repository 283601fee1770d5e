import { createWriteStream, linkSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { unlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import type { FileStore, FileStoreWriteOptions } from '../ports.js';
import { ensureDir } from './ensure-dir.js';
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
  private readonly syncWriteBytes: number;
  private ready: Promise<unknown> | undefined;
  private writing = 0;

  /**
   * @param dir the output directory (created on the first write)
   * @param options.syncWriteBytes when no other write is under way, images up to this size are
   *   written with one synchronous call: through libuv's thread pool the same write costs three
   *   round trips (open, write, close), measured as the largest part of imagegen's latency over
   *   a raw fetch. Concurrent writes stay asynchronous, so they run in parallel on the pool
   *   instead of queueing on the main thread. 0 makes every write asynchronous (for slow or
   *   network file systems). @default 262144 (256 KiB)
   */
  constructor(dir: string, options: { syncWriteBytes?: number } = {}) {
    this.dir = resolve(dir);
    this.syncWriteBytes = options.syncWriteBytes ?? 256 * 1024;
  }

  async write(name: string, body: Uint8Array | ReadableStream<Uint8Array>, options: FileStoreWriteOptions = {}): Promise<string> {
    this.ready ??= ensureDir(this.dir).catch((error: unknown) => {
      this.ready = undefined;
      throw error;
    });
    await this.ready;
    const temp = join(this.dir, tempFileName(name));
    this.writing++;
    try {
      if (body instanceof Uint8Array && body.length <= this.syncWriteBytes && this.writing === 1) {
        options.signal?.throwIfAborted();
        writeFileSync(temp, body);
      } else if (body instanceof Uint8Array) {
        await writeFile(temp, body, { signal: options.signal });
      } else {
        const source = Readable.fromWeb(body as NodeReadableStream<Uint8Array>);
        await pipeline(source, createWriteStream(temp), { signal: options.signal });
      }
      options.signal?.throwIfAborted();
      return this.publish(temp, name, options);
    } catch (error) {
      await unlink(temp).catch(() => {});
      if (!(body instanceof Uint8Array)) await body.cancel(error).catch(() => {});
      throw error;
    } finally {
      this.writing--;
    }
  }

  async remove(path: string): Promise<void> {
    await unlink(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }

  /**
   * Gives the complete temporary file its final name without overwriting anything. link and
   * unlink are metadata-only calls of microseconds: done synchronously they save two trips
   * through libuv's thread pool, a third of the cost of storing a small image.
   */
  private publish(temp: string, name: string, options: FileStoreWriteOptions): string {
    for (let candidate = name, tries = 0; ; tries++) {
      const path = join(this.dir, candidate);
      try {
        linkSync(temp, path);
        unlinkSync(temp);
        return path;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EEXIST' && options.nextName && tries < 8) {
          candidate = options.nextName();
          continue;
        }
        // Some file systems have no hard links; rename is still atomic there.
        if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EXDEV' || code === 'ENOSYS') {
          renameSync(temp, path);
          return path;
        }
        throw error;
      }
    }
  }
}
