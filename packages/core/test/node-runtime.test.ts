import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NEVER, startTestWorker, TINY_PNG } from '@imagegen/testkit';
import { useTestWorker } from '@imagegen/testkit/vitest';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ImageGenerator } from '../src/index.js';
import { cleanTempFiles, createImageGenerator, type NodeImageGeneratorOptions } from '../src/node/index.js';

const KEY = 'sdxl-integration-key-42';
const fixture = useTestWorker({ apiKey: KEY, prefix: 'imagegen-core-' });
const generators: ImageGenerator[] = [];
afterEach(async () => {
  await Promise.all(generators.splice(0).map((generator) => generator.close()));
});

let client: NodeImageGeneratorOptions['client'];

function generator(options: NodeImageGeneratorOptions = {}): ImageGenerator {
  const created = createImageGenerator({
    client,
    env: {
      FLUX_WORKER_URL: fixture.worker.fluxUrl,
      SDXL_WORKER_URL: fixture.worker.sdxlUrl,
      SDXL_API_KEY: KEY,
      IMAGEGEN_OUTPUT_DIR: fixture.path,
      IMAGEGEN_LOG_LEVEL: 'silent',
    },
    retry: { baseDelayMs: 10 },
    ...options,
  });
  generators.push(created);
  return created;
}

const listDir = () => readdir(fixture.path).catch(() => []);

// Every case with each HTTP client: undici, and Node's own http (what one-shot commands use).
describe.each(['undici', 'node-http'] as const)('@imagegen/core/node with %s against the testkit worker (real files)', (name) => {
  beforeAll(() => {
    client = name;
  });

  it('flux and sdxl both save the bytes the worker sent', async () => {
    const gen = generator();
    for (const model of ['flux', 'sdxl'] as const) {
      const result = await gen.generate(model, 'a red fox');
      expect(result).toMatchObject({ ok: true, model, attempts: 1, contentType: 'image/png' });
      if (result.ok) expect(await readFile(result.path)).toEqual(TINY_PNG);
    }
    expect((await listDir()).sort()).toHaveLength(2);
  });

  it('the SDXL request carries the Bearer header and the JSON body', async () => {
    await generator().generateWithSdxl('a lighthouse', { seed: 3, width: 512, height: 512 });
    const [request] = fixture.worker.requests;
    expect(request).toMatchObject({ method: 'POST', json: { prompt: 'a lighthouse', seed: 3, width: 512, height: 512 } });
    expect(request?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(request?.headers['content-type']).toBe('application/json');
  });

  it('500, 500, 200 succeeds on attempt 3', async () => {
    fixture.worker.script([{ status: 500 }, { status: 500 }]);
    const result = await generator().generateWithFlux('a cat');
    expect(result).toMatchObject({ ok: true, attempts: 3 });
    expect(fixture.worker.requests).toHaveLength(3);
  });

  it('a reset in the middle of the body is retried and succeeds, leaving one file', async () => {
    fixture.worker.script([{ body: TINY_PNG, contentType: 'image/png', resetAfterBytes: 20 }]);
    const result = await generator().generateWithFlux('a cat');
    expect(result).toMatchObject({ ok: true, attempts: 2 });
    expect(await listDir()).toHaveLength(1);
  });

  it('a 200 MB body against the 50 MiB cap is too_large and leaves no file (streamed, no Content-Length)', async () => {
    fixture.worker.script([{ hugeBytes: 200 * 1024 * 1024, chunked: true }]);
    const result = await generator().generateWithFlux('a cat');
    expect(result).toMatchObject({ ok: false, error: { code: 'too_large', attempts: 1 } });
    expect(await listDir()).toEqual([]);
  });

  it('a 200 MB body with its Content-Length is refused before reading', async () => {
    fixture.worker.script([{ hugeBytes: 200 * 1024 * 1024 }]);
    const result = await generator().generateWithFlux('a cat');
    expect(result).toMatchObject({ ok: false, error: { code: 'too_large' } });
    expect(await listDir()).toEqual([]);
  });

  it('an abort during the download leaves no file', async () => {
    const controller = new AbortController();
    // The worker sends 30 bytes, aborts the client, then stalls: the abort lands mid-download.
    fixture.worker.script([{ body: TINY_PNG, contentType: 'image/png', stallAfterBytes: 30, onSent: () => controller.abort() }]);
    const result = await generator().generateWithFlux('a cat', { signal: controller.signal });
    expect(result).toMatchObject({ ok: false, error: { code: 'aborted' } });
    expect(await listDir()).toEqual([]);
  });

  it('the body timeout fires on a stalled body: timeout, no file', async () => {
    fixture.worker.script([{ body: TINY_PNG, contentType: 'image/png', stallAfterBytes: 30 }]);
    const result = await generator({ agent: { bodyTimeoutMs: 200 }, retry: { retries: 0 } }).generateWithFlux('a cat');
    expect(result).toMatchObject({ ok: false, error: { code: 'timeout', message: 'Image generation request timed out' } });
    expect(await listDir()).toEqual([]);
  });

  it('the headers timeout fires on slow headers: timeout', async () => {
    fixture.worker.script([{ holdUntil: NEVER }]);
    const result = await generator({ agent: { headersTimeoutMs: 200 }, retry: { retries: 0 } }).generateWithFlux('a cat');
    expect(result).toMatchObject({ ok: false, error: { code: 'timeout' } });
  });

  it('follows a redirect and answers a JSON base64 image', async () => {
    fixture.worker.script([{ redirectTo: '/elsewhere' }, { json: true }]);
    const result = await generator().generateWithFlux('a cat');
    expect(result).toMatchObject({ ok: true, attempts: 1 });
    if (result.ok) expect(await readFile(result.path)).toEqual(TINY_PNG);
  });

  it('a wrong key is unauthorized with the message of its code, and no file', async () => {
    const result = await generator({
      env: { SDXL_WORKER_URL: fixture.worker.sdxlUrl, SDXL_API_KEY: 'wrong-key-0123', IMAGEGEN_OUTPUT_DIR: fixture.path },
    }).generateWithSdxl('a cat');
    expect(result).toMatchObject({ ok: false, error: { code: 'unauthorized', status: 401, message: 'SDXL API key invalid or missing' } });
    expect(JSON.stringify(result)).not.toContain(KEY);
    expect(await listDir()).toEqual([]);
  });

  it('a refused connection is network, with the cause named', async () => {
    const closed = await startTestWorker();
    const url = closed.fluxUrl;
    await closed.close();
    const result = await generator({
      env: { FLUX_WORKER_URL: url, IMAGEGEN_OUTPUT_DIR: fixture.path },
      retry: { retries: 0 },
    }).generateWithFlux('a cat');
    expect(result).toMatchObject({ ok: false, error: { code: 'network' } });
    if (!result.ok) expect(result.error.message).toMatch(/^Network error during image generation: .*ECONNREFUSED/);
  });

  it('never overwrites an image of the same name', async () => {
    const gen = generator();
    const first = await gen.generateWithFlux('a cat');
    if (!first.ok) throw first.error;
    const results = await Promise.all(Array.from({ length: 20 }, () => gen.generateWithFlux('a cat')));
    const paths = new Set([first.path, ...results.map((result) => (result.ok ? result.path : 'failed'))]);
    expect(paths.size).toBe(21);
    expect(await listDir()).toHaveLength(21);
  });

  it('an output directory that cannot be made is io, at once (regression: recursive mkdir spun forever under /proc)', async () => {
    // The regression hung: the test's own timeout is the bound, no clock is read here.
    const result = await generator({ outputDir: '/proc/imagegen-cannot-be-here' }).generateWithFlux('a cat');
    expect(result).toMatchObject({ ok: false, error: { code: 'io', retryable: false, attempts: 1 } });
    if (!result.ok) expect(result.error.message).toMatch(/^Could not save the image: /);
  });

  it('cleanTempFiles removes the temp files of dead processes and keeps live ones', async () => {
    await writeFile(join(fixture.path, '.imagegen-999999999-abc-image_flux_00000000_1.png.part'), 'partial');
    await writeFile(join(fixture.path, `.imagegen-${process.pid}-abc-image_flux_00000000_1.png.part`), 'in progress');
    await writeFile(join(fixture.path, 'image_flux_00000000_1.png'), 'final');
    const removed = await cleanTempFiles(fixture.path);
    expect(removed).toHaveLength(1);
    expect((await listDir()).sort()).toEqual([`.imagegen-${process.pid}-abc-image_flux_00000000_1.png.part`, 'image_flux_00000000_1.png']);
  });
});
