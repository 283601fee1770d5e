// One 200 MB image in a process of its own, so that its peak RSS is its own: `imagegen` streams
// it to disk, `buffer` is the baseline that reads it whole (arrayBuffer) and then writes it.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createImageGenerator } from '@imagegen/core/node';
import { Agent, fetch } from 'undici';

const [mode, url, dir] = process.argv.slice(2) as [string, string, string];
const before = process.memoryUsage().rss;
let ok = false;
if (mode === 'imagegen') {
  const generator = createImageGenerator({ env: { FLUX_WORKER_URL: url, IMAGEGEN_OUTPUT_DIR: dir, IMAGEGEN_LOG_LEVEL: 'silent' }, maxImageBytes: 512 * 1024 * 1024 });
  const result = await generator.generateWithFlux('big');
  ok = result.ok;
  if (!result.ok) process.stderr.write(`${result.error.code}: ${result.error.message}\n`);
  await generator.close();
} else {
  const agent = new Agent({ connections: 10 });
  const response = await fetch(`${url}?prompt=big`, { dispatcher: agent });
  await writeFile(join(dir, 'buffered.png'), Buffer.from(await response.arrayBuffer()));
  ok = response.ok;
  await agent.close();
}
const peak = process.resourceUsage().maxRSS * 1024;
process.stdout.write(JSON.stringify({ ok, growthBytes: peak - before }));
