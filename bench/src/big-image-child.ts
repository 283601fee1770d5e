// One 200 MB image in a process of its own, so that its peak RSS is its own: `imagegen` streams
// it to disk, `buffer` is the baseline that reads it whole (arrayBuffer) and then writes it,
// `stream` is the global fetch's body piped to a file: the floor any streaming client pays on Node.
// A fourth argument throttles the process's file writes to that many bytes a second.
import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { join } from 'node:path';
import { createImageGenerator } from '@imagegen/core/node';
import { throttleFileWrites } from './throttled-fs.js';

const [mode, url, dir, throttle] = process.argv.slice(2) as [string, string, string, string | undefined];
if (throttle) throttleFileWrites(Number(throttle));
let ok: boolean;
let before: number;
let started: number;
if (mode === 'imagegen') {
  const generator = createImageGenerator({
    env: { FLUX_WORKER_URL: url, IMAGEGEN_OUTPUT_DIR: dir, IMAGEGEN_LOG_LEVEL: 'silent' },
    maxImageBytes: 512 * 1024 * 1024,
  });
  // A small warm-up image first: module loading and the first connection are not the big image's cost.
  await generator.generateWithFlux('warm');
  before = process.memoryUsage().rss;
  started = performance.now();
  const result = await generator.generateWithFlux('big');
  ok = result.ok;
  if (!result.ok) process.stderr.write(`${result.error.code}: ${result.error.message}\n`);
  await generator.close();
} else if (mode === 'stream') {
  // The floor of streaming on Node: the fetch body piped to a file, no checks at all.
  await writeFile(join(dir, 'warm.png'), Buffer.from(await (await fetch(`${url}?prompt=warm`)).arrayBuffer()));
  before = process.memoryUsage().rss;
  started = performance.now();
  const response = await fetch(`${url}?prompt=big`);
  await pipeline(Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>), createWriteStream(join(dir, 'streamed.png')));
  ok = response.ok;
} else {
  await writeFile(join(dir, 'warm.png'), Buffer.from(await (await fetch(`${url}?prompt=warm`)).arrayBuffer()));
  before = process.memoryUsage().rss;
  started = performance.now();
  const response = await fetch(`${url}?prompt=big`);
  await writeFile(join(dir, 'buffered.png'), Buffer.from(await response.arrayBuffer()));
  ok = response.ok;
}
const ms = performance.now() - started;
const peak = process.resourceUsage().maxRSS * 1024;
process.stdout.write(JSON.stringify({ ok, growthBytes: peak - before, ms }));
