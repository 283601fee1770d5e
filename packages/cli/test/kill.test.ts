import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makePng, seededRandom } from '@imagegen/testkit';
import { useTestWorker } from '@imagegen/testkit/vitest';
import { describe, expect, it, vi } from 'vitest';
import { runCli, startCli } from './support/run-cli.js';

// 2 MiB in 64 KiB chunks, 8 ms apart: long enough to be killed in the middle of the file.
const IMAGE = makePng(8, 8, [9, 99, 199], 2 * 1024 * 1024);
const fixture = useTestWorker({
  defaultReply: { body: IMAGE, contentType: 'image/png', chunkSize: 64 * 1024, chunkDelayMs: 8 },
  prefix: 'imagegen-kill-',
});
const partFiles = async (dir: string) => (await readdir(dir).catch(() => [])).filter((name) => name.endsWith('.part'));

describe('SIGKILL at random points', () => {
  it('50 runs killed at random points leave no partial final file, and the next run removes the temporary ones', async () => {
    const { out } = fixture;
    const env = fixture.env();
    const cwd = fixture.path;
    const random = seededRandom(50);
    let killed = 0;
    for (let round = 0; round < 10; round++) {
      // Five at a time, each killed somewhere between start-up and the end of its download.
      await Promise.all(
        Array.from({ length: 5 }, async (_, index) => {
          const prompt = `a slow fox ${round}-${index}`;
          const cli = startCli(['generate', prompt], { env, cwd });
          // Wait for its request to reach the worker, then kill it somewhere in the download (~270 ms) or just after.
          await vi.waitFor(() => expect(fixture.worker.requests.some((request) => request.prompt === prompt)).toBe(true), {
            timeout: 20_000,
            interval: 10,
          });
          await new Promise((resolve) => setTimeout(resolve, random() * 400));
          if (cli.child.kill('SIGKILL')) killed++;
          await cli.done;
        }),
      );
    }
    // Where a random kill lands depends on the machine's speed; these three land mid-file on
    // any machine: the worker sends half the image and waits, and the kills come once each
    // process's temporary file is on disk. (Each run first removes the orphans of earlier kills.)
    const stalled = Array.from({ length: 3 }, (_, index) => {
      const prompt = `a stalled fox ${index}`;
      fixture.worker.scriptPrompt(prompt, [{ body: IMAGE, contentType: 'image/png', stallAfterBytes: IMAGE.length / 2 }]);
      return startCli(['generate', prompt], { env, cwd });
    });
    const pids = stalled.map((cli) => `.imagegen-${cli.child.pid}-`);
    const ownParts = async () => (await partFiles(out)).filter((name) => pids.some((pid) => name.startsWith(pid)));
    await vi.waitFor(async () => expect(await ownParts()).toHaveLength(3), { timeout: 20_000, interval: 10 });
    for (const cli of stalled) expect(cli.child.kill('SIGKILL')).toBe(true);
    for (const cli of stalled) expect((await cli.done).signal).toBe('SIGKILL');
    killed += 3;
    console.info(`kill: ${killed} SIGKILLs sent to 53 runs`);
    const names = await readdir(out);
    const finals = names.filter((name) => name.startsWith('image_'));
    const temps = names.filter((name) => name.endsWith('.part'));
    // Every final-named file is the whole image; interrupted ones are only ever temporary files.
    for (const name of finals) expect((await readFile(join(out, name))).equals(IMAGE)).toBe(true);
    expect(temps.length).toBeGreaterThanOrEqual(3);

    const clean = await runCli(['clean'], { env, cwd });
    expect(clean.code).toBe(0);
    expect(clean.stderr).toContain(`removed ${temps.length} leftover temporary file`);
    expect((await readdir(out)).filter((name) => name.endsWith('.part'))).toEqual([]);
  });
});
