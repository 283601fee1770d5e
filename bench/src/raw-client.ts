import { link, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The raw baseline, as the outside driver has it: the global `fetch`, then
 * `fs.writeFile` of the whole body. No checks, no retries, no atomic naming.
 */
export function rawClient(url: string, dir: string) {
  let count = 0;
  return {
    async generate(prompt: string): Promise<void> {
      await writeFile(join(dir, `raw_${count++}.png`), await fetchImage(url, prompt));
    },
  };
}

/** The global `fetch` of one image, whole. */
async function fetchImage(url: string, prompt: string): Promise<Buffer> {
  const response = await fetch(`${url}?prompt=${encodeURIComponent(prompt)}`);
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
}

/**
 * The raw baseline that keeps imagegen's contract for a file: the body written whole to a
 * temporary name opened with `wx` (never over another file), `link`ed to its final name (which
 * fails rather than replace one), then the temporary name unlinked. The floor for an atomic,
 * no-overwrite write on the disk.
 */
export function atomicRawClient(url: string, dir: string) {
  let count = 0;
  return {
    async generate(prompt: string): Promise<void> {
      const image = await fetchImage(url, prompt);
      const index = count++;
      const temporary = join(dir, `.raw_${index}.tmp`);
      await writeFile(temporary, image, { flag: 'wx' });
      await link(temporary, join(dir, `raw_${index}.png`));
      await unlink(temporary);
    },
  };
}
