import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ensureDir } from '@imagegen/core/node';
import { inputLines } from './input-lines.js';

/** One line of a batch manifest (JSON lines in the output directory). */
export interface ManifestEntry {
  key: string;
  line: number;
  ok: boolean;
  model: string;
  path?: string;
  error?: { code: string; message: string; status?: number };
  at: string;
}

/** The manifest's name in the output directory. */
export const MANIFEST_NAME = 'manifest.jsonl';

/**
 * Reads a manifest: the keys whose last entry succeeded and whose file is still there. A
 * missing manifest is an empty one; a torn last line (a killed run) is ignored.
 */
export async function readSucceeded(path: string): Promise<Map<string, string>> {
  const succeeded = new Map<string, string>();
  try {
    await access(path);
  } catch {
    return succeeded;
  }
  for await (const text of inputLines(createReadStream(path))) {
    let entry: ManifestEntry;
    try {
      entry = JSON.parse(text) as ManifestEntry;
    } catch {
      continue;
    }
    if (entry.ok && entry.path) succeeded.set(entry.key, entry.path);
    else succeeded.delete(entry.key);
  }
  for (const [key, file] of succeeded) {
    await access(file).catch(() => succeeded.delete(key));
  }
  return succeeded;
}

/** Appends entries to a manifest, one JSON line each. */
export class ManifestWriter {
  private constructor(private readonly stream: WriteStream) {}

  static async open(path: string): Promise<ManifestWriter> {
    await ensureDir(dirname(path));
    return new ManifestWriter(createWriteStream(path, { flags: 'a' }));
  }

  append(entry: ManifestEntry): void {
    this.stream.write(`${JSON.stringify(entry)}\n`);
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => this.stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
  }
}
