import { readdir, readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { chaosImage, chaosResponder } from '@imagegen/testkit';
import { useTestWorker } from '@imagegen/testkit/vitest';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../src/index.js';
import { createImageGenerator } from '../src/node/index.js';

const fixture = useTestWorker({ apiKey: 'chaos-key', logRequests: false, prefix: 'imagegen-chaos-' });

describe('a short chaos run (seeded faults)', () => {
  it('300 generations: every result is a correct file or a typed error, and the directory holds exactly the ok files', async () => {
    const seed = 20261124;
    // Stalls never end: the client's timeouts are the only clocks that decide them.
    fixture.worker.respond(chaosResponder({ seed }));
    const generator = createImageGenerator({
      env: {
        FLUX_WORKER_URL: fixture.worker.fluxUrl,
        SDXL_WORKER_URL: fixture.worker.sdxlUrl,
        SDXL_API_KEY: 'chaos-key',
        IMAGEGEN_OUTPUT_DIR: fixture.path,
        IMAGEGEN_LOG_LEVEL: 'silent',
      },
      retry: { retries: 2, baseDelayMs: 2, maxDelayMs: 10 },
      timeouts: { headersMs: 1000, bodyMs: 1000 },
    });
    // Regression: one signal shared by every call collected a listener per concurrent call
    // (MaxListenersExceededWarning in the soak); each call now has its own.
    const warnings: string[] = [];
    const onWarning = (warning: Error): void => void warnings.push(warning.name);
    process.on('warning', onWarning);
    const prompts = Array.from({ length: 300 }, (_, index) => `chaos ${index}`);
    // Sixteen at a time, each taking the next prompt as soon as it is done.
    const results: Awaited<ReturnType<typeof generator.generate>>[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < prompts.length) {
          const index = next++;
          results[index] = await generator.generate(index % 3 ? 'flux' : 'sdxl', prompts[index]!);
        }
      }),
    );
    await generator.close();
    process.off('warning', onWarning);
    expect(warnings).not.toContain('MaxListenersExceededWarning');

    const okNames: string[] = [];
    for (const [index, result] of results.entries()) {
      if (result.ok) {
        expect(await readFile(result.path)).toEqual(chaosImage(prompts[index]!));
        okNames.push(basename(result.path));
      } else {
        expect(ERROR_CODES).toContain(result.error.code);
      }
    }
    expect(okNames.length).toBeGreaterThan(200);
    expect(results.some((result) => !result.ok)).toBe(true);
    expect((await readdir(fixture.path)).sort()).toEqual(okNames.sort());
  }, 90_000);
});
