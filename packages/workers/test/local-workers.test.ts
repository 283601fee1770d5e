import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createImageGenerator } from '@imagegen/core/node';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderPreview, startLocalWorkers, type LocalWorkers } from '../src/index.js';

let workers: LocalWorkers;
let dir: string;
beforeAll(async () => {
  workers = await startLocalWorkers();
  dir = await mkdtemp(join(tmpdir(), 'imagegen-workers-'));
});
afterAll(async () => {
  await workers.close();
  await rm(dir, { recursive: true, force: true });
});

describe('local workers', () => {
  it('@imagegen/core makes valid images through both (decoded: format and size checked)', async () => {
    const generator = createImageGenerator({ env: { ...workers.env, IMAGEGEN_OUTPUT_DIR: dir } });
    try {
      const fluxResult = await generator.generateWithFlux('a red fox in the snow', { seed: 1 });
      const sdxlResult = await generator.generateWithSdxl('a lighthouse at dusk', { width: 768, height: 384 });
      if (!fluxResult.ok) throw fluxResult.error;
      if (!sdxlResult.ok) throw sdxlResult.error;
      expect(fluxResult).toMatchObject({ contentType: 'image/jpeg', attempts: 1 });
      expect(fluxResult.path.endsWith('.jpg')).toBe(true);
      expect(await sharp(await readFile(fluxResult.path)).metadata()).toMatchObject({ format: 'jpeg', width: 1024, height: 1024 });
      expect(sdxlResult.path.endsWith('.png')).toBe(true);
      expect(await sharp(await readFile(sdxlResult.path)).metadata()).toMatchObject({ format: 'png', width: 768, height: 384 });
    } finally {
      await generator.close();
    }
  });

  it('answers say they are local previews', async () => {
    const response = await fetch(`${workers.fluxUrl}?prompt=cat`);
    expect(response.headers.get('x-imagegen-backend')).toBe('local');
    await response.arrayBuffer();
    const missing = await fetch(`${workers.url}/nope`);
    expect(missing.status).toBe(404);
    await missing.text();
  });

  it('the SDXL worker wants its key, and the env lines carry it', async () => {
    const wrong = await fetch(workers.sdxlUrl, { method: 'POST', body: '{"prompt":"cat"}', headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    await wrong.text();
    expect(workers.env.SDXL_API_KEY).toBe(workers.apiKey);
  });

  it('starting and stopping leaves no handle open', async () => {
    const extra = await startLocalWorkers({ port: 0 });
    await (await fetch(`${extra.fluxUrl}?prompt=cat`)).arrayBuffer();
    await extra.close();
    await expect(fetch(`${extra.fluxUrl}?prompt=cat`)).rejects.toThrow();
  });
});

describe('preview rendering', () => {
  it('is deterministic for a prompt and seed, and differs across prompts and seeds', async () => {
    const a1 = await renderPreview({ prompt: 'a red fox', seed: 1, format: 'png' });
    const a2 = await renderPreview({ prompt: 'a red fox', seed: 1, format: 'png' });
    const b = await renderPreview({ prompt: 'a blue whale', seed: 1, format: 'png' });
    const c = await renderPreview({ prompt: 'a red fox', seed: 2, format: 'png' });
    expect(Buffer.from(a1).equals(Buffer.from(a2))).toBe(true);
    expect(Buffer.from(a1).equals(Buffer.from(b))).toBe(false);
    expect(Buffer.from(a1).equals(Buffer.from(c))).toBe(false);
  });

  it('different prompts look clearly different (mean colour distance)', async () => {
    const stats = async (prompt: string) =>
      (await sharp(await renderPreview({ prompt, format: 'png' })).stats()).channels.map((channel) => channel.mean);
    const [a, b] = await Promise.all([stats('a red fox'), stats('a quiet harbour at night')]);
    const distance = Math.hypot(...a.map((value, index) => value - b[index]!));
    expect(distance).toBeGreaterThan(10);
  });
});
