import { createReadStream } from 'node:fs';
import { stat, unlink } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable } from 'node:stream';

/** An image the gateway wrote and may serve by URL. */
interface Entry {
  path: string;
  contentType: string;
  createdAt: number;
}

/** An image opened for serving. */
export interface OpenedImage {
  body: ReadableStream<Uint8Array>;
  contentType: string;
  size: number;
}

/**
 * The images this gateway made for `url` answers, by file name. Only names in it are served,
 * so no request path ever becomes a file path; entries older than `maxAgeMs` are swept.
 * (The seam where S3 storage plugs in later.)
 */
export class ImageRegistry {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly maxAgeMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records a generated file; returns the name it is served under. */
  add(path: string, contentType: string): string {
    const name = basename(path);
    this.entries.set(name, { path, contentType, createdAt: this.now() });
    return name;
  }

  /** Opens an image this gateway wrote, or undefined (unknown name, expired, gone from disk). */
  async open(name: string): Promise<OpenedImage | undefined> {
    const entry = this.entries.get(name);
    if (!entry || this.now() - entry.createdAt > this.maxAgeMs) return undefined;
    try {
      const { size } = await stat(entry.path);
      const body = Readable.toWeb(createReadStream(entry.path)) as ReadableStream<Uint8Array>;
      return { body, contentType: entry.contentType, size };
    } catch {
      this.entries.delete(name);
      return undefined;
    }
  }

  /** Removes the given files (a request whose other images failed). */
  async discard(paths: readonly string[]): Promise<void> {
    await Promise.all(paths.map((path) => unlink(path).catch(() => {})));
  }

  /** Deletes images older than the maximum age; resolves to how many. */
  async sweep(): Promise<number> {
    const now = this.now();
    let removed = 0;
    for (const [name, entry] of this.entries) {
      if (now - entry.createdAt <= this.maxAgeMs) continue;
      this.entries.delete(name);
      await unlink(entry.path).catch(() => {});
      removed++;
    }
    return removed;
  }

  get size(): number {
    return this.entries.size;
  }
}
