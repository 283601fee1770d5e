import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Agent, fetch } from 'undici';

/** The raw baseline: undici fetch over an Agent with imagegen's settings, then fs.writeFile. No checks, no retries. */
export function rawClient(url: string, dir: string) {
  const agent = new Agent({
    connect: { timeout: 30_000 },
    headersTimeout: 120_000,
    bodyTimeout: 120_000,
    connections: 10,
    keepAliveTimeout: 30_000,
  });
  let count = 0;
  return {
    async generate(prompt: string): Promise<void> {
      const response = await fetch(`${url}?prompt=${encodeURIComponent(prompt)}`, { dispatcher: agent });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      await writeFile(join(dir, `raw_${count++}.png`), Buffer.from(await response.arrayBuffer()));
    },
    close: () => agent.close(),
  };
}
