import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The raw baseline, as the outside driver has it: the global `fetch`, then
 * `fs.writeFile` of the whole body. No checks, no retries, no atomic naming.
 */
export function rawClient(url: string, dir: string) {
  let count = 0;
  return {
    async generate(prompt: string): Promise<void> {
      const response = await fetch(`${url}?prompt=${encodeURIComponent(prompt)}`);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      await writeFile(join(dir, `raw_${count++}.png`), Buffer.from(await response.arrayBuffer()));
    },
  };
}
