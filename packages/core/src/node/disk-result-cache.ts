import { createHash } from 'node:crypto';
import { readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { imageError } from '../error-factory.js';
import type { CachedImage, ResultCache } from '../ports.js';
import { isResultCacheKey } from '../result-cache-key.js';
import { ensureDir } from './ensure-dir.js';

/** Default bound of the result cache: 1 GiB. */
export const DEFAULT_CACHE_MAX_BYTES = 1024 * 1024 * 1024;

const SUFFIX = '.cached';
// Each file: the SHA-256 of the image, then the image. A file that does not match its digest
// (cut short, bit rot, edited) is dropped and made again, never served.
const DIGEST_BYTES = 32;
const digest = (bytes: Uint8Array): Buffer => createHash('sha256').update(bytes).digest();

/**
 * A cached image as stored: its SHA-256, then its bytes (the disk and the S3 caches share it).
 *
 * @example
 * await writeFile(path, sealCachedImage(png));
 */
export const sealCachedImage = (bytes: Uint8Array): Buffer => Buffer.concat([digest(bytes), bytes]);

/**
 * The image of a stored cache entry, or undefined when it does not match its digest (cut short,
 * bit rot, edited): such an entry is dropped and made again, never served.
 *
 * @example
 * const image = openCachedImage(await readFile(path));
 */
export function openCachedImage(data: Uint8Array): Uint8Array | undefined {
  const bytes = data.subarray(DIGEST_BYTES);
  if (data.length <= DIGEST_BYTES || !digest(bytes).equals(data.subarray(0, DIGEST_BYTES))) return undefined;
  return new Uint8Array(bytes);
}

interface Entry {
  size: number;
  usedAt: number;
}

/**
 * The result cache in a directory, bounded by `maxBytes`: the least recently used images go
 * first (a hit counts as a use: its time is set anew). Files are written whole under a
 * temporary name, then renamed. Keys are the core's 64-hex-digit cache keys.
 *
 * @example
 * const generator = createImageGenerator({ resultCache: new DiskResultCache({ dir: '.imagegen-cache', maxBytes: 200e6 }) });
 */
export class DiskResultCache implements ResultCache {
  private readonly dir: string;
  private readonly maxBytes: number;
  private readonly now: () => number;
  private index: Promise<Map<string, Entry>> | undefined;
  private total = 0;

  /** `now`: the clock of the use times (injectable for tests). */
  constructor(options: { dir: string; maxBytes?: number; now?: () => number }) {
    this.dir = options.dir;
    this.maxBytes = options.maxBytes ?? DEFAULT_CACHE_MAX_BYTES;
    this.now = options.now ?? Date.now;
  }

  async get(key: string): Promise<CachedImage | undefined> {
    const entries = await this.entries();
    const path = this.path(key);
    let data: Buffer;
    try {
      data = await readFile(path);
    } catch {
      return undefined;
    }
    const bytes = openCachedImage(data);
    if (!bytes) {
      await this.drop(key, entries);
      return undefined;
    }
    entries.set(key, { size: data.length, usedAt: await this.touch(path) });
    return { bytes };
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    const entries = await this.entries();
    const path = this.path(key);
    const temp = `${path}.${process.pid}.${Math.random().toString(16).slice(2)}.tmp`;
    await ensureDir(this.dir);
    await writeFile(temp, sealCachedImage(bytes));
    await rename(temp, path).catch(async (error: unknown) => {
      await rm(temp, { force: true });
      throw error;
    });
    const previous = entries.get(key);
    this.total += DIGEST_BYTES + bytes.length - (previous?.size ?? 0);
    entries.set(key, { size: DIGEST_BYTES + bytes.length, usedAt: await this.touch(path) });
    while (this.total > this.maxBytes && entries.size > 0) {
      let oldest: [string, Entry] | undefined;
      for (const entry of entries) if (!oldest || entry[1].usedAt < oldest[1].usedAt) oldest = entry;
      await this.drop(oldest![0], entries);
    }
  }

  /** Sets the file's time to now: the use time another run reads back from the directory. */
  private async touch(path: string): Promise<number> {
    const now = this.now();
    await utimes(path, now / 1000, now / 1000).catch(() => {});
    return now;
  }

  private path(key: string): string {
    if (!isResultCacheKey(key)) throw new TypeError('a result cache key is 64 hexadecimal digits');
    return join(this.dir, `${key}${SUFFIX}`);
  }

  private async drop(key: string, entries: Map<string, Entry>): Promise<void> {
    await rm(this.path(key), { force: true });
    this.total -= entries.get(key)?.size ?? 0;
    entries.delete(key);
  }

  /** What the directory holds, read once (a cache of another run is used, and bounded, too). */
  private entries(): Promise<Map<string, Entry>> {
    this.index ??= (async () => {
      const entries = new Map<string, Entry>();
      const names = await readdir(this.dir).catch(() => [] as string[]);
      for (const name of names) {
        const key = name.slice(0, -SUFFIX.length);
        if (!name.endsWith(SUFFIX) || !isResultCacheKey(key)) continue;
        const info = await stat(join(this.dir, name)).catch(() => undefined);
        if (!info) continue;
        entries.set(key, { size: info.size, usedAt: info.mtimeMs });
        this.total += info.size;
      }
      return entries;
    })();
    return this.index;
  }
}

/**
 * The result cache the environment asks for: `IMAGEGEN_CACHE_DIR` turns it on,
 * `IMAGEGEN_CACHE_MAX_MB` bounds it (default 1024). Throws `not_configured` for a bound that is
 * not a positive number.
 *
 * @example
 * resultCacheFromEnv({ IMAGEGEN_CACHE_DIR: '.cache/imagegen' }); // a DiskResultCache of 1 GiB
 */
export function resultCacheFromEnv(env: Readonly<Record<string, string | undefined>>): DiskResultCache | undefined {
  const dir = env.IMAGEGEN_CACHE_DIR?.trim();
  if (!dir) return undefined;
  const raw = env.IMAGEGEN_CACHE_MAX_MB?.trim();
  const megabytes = raw ? Number(raw) : 1024;
  if (!Number.isFinite(megabytes) || megabytes <= 0) {
    throw imageError('not_configured', 'settings', {
      detail: `IMAGEGEN_CACHE_MAX_MB must be a positive number of megabytes (got '${raw}')`,
    });
  }
  return new DiskResultCache({ dir, maxBytes: Math.round(megabytes * 1024 * 1024) });
}
