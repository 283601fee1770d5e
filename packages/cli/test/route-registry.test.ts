import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { routeRegistry } from '@imagegen/core';
import { createImageGenerator } from '@imagegen/core/node';
import { createApp } from '@imagegen/http';
import { startTestWorker, type TestWorker } from '@imagegen/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../src/program.js';
import { proxyRoute } from './support/proxy-route.js';

// The acceptance test of the route registry: a route added in a test file (one file, one
// registration) shows in config, doctor, models, /readyz and redaction with no other change.
const KEY = 'proxy-secret-key-0123456789-abcdef';
const SETTING_NAMES = ['FLUX_WORKER_URL', 'SDXL_WORKER_URL', 'SDXL_API_KEY', 'IMAGEGEN_WORKER_URL', 'CLOUDFLARE_ACCOUNT_ID'];
let worker: TestWorker;
let dir: string;
let unregister: () => void;
const saved = { ...process.env };
const quiet = () => ({ IMAGEGEN_OUTPUT_DIR: dir, IMAGEGEN_LOG_LEVEL: 'silent' });

beforeAll(async () => {
  worker = await startTestWorker();
  dir = await mkdtemp(join(tmpdir(), 'imagegen-route-'));
  unregister = routeRegistry.add(proxyRoute, { before: 'flux-worker' });
  for (const name of SETTING_NAMES) delete process.env[name];
  Object.assign(process.env, { TEST_PROXY_URL: worker.fluxUrl, TEST_PROXY_KEY: KEY, IMAGEGEN_OUTPUT_DIR: dir, NO_COLOR: '1' });
});
afterAll(async () => {
  unregister();
  process.env = saved;
  await worker.close();
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  worker.reset();
  process.exitCode = undefined;
});

/** Runs the CLI in this process (so that it sees the registered route), capturing its output. */
async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  try {
    return { code: await main(['node', 'imagegen', ...args]), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe('a route added to the registry', () => {
  it('is listed by config, its secret redacted, and is the route in use', async () => {
    const run = await cli('config', '--json');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as { settings: Array<{ name: string; value: string | null }>; routes: string[] };
    expect(report.settings).toContainEqual({ name: 'TEST_PROXY_URL', value: worker.fluxUrl, source: 'env' });
    expect(report.settings).toContainEqual({ name: 'TEST_PROXY_KEY', value: 'set (34 characters)', source: 'env' });
    expect(report.routes).toEqual(['test-proxy']);
    expect(run.stdout + run.stderr).not.toContain(KEY);
  });

  it('is probed by doctor, which makes one image by it', async () => {
    const run = await cli('doctor', '--json');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as { checks: Array<Record<string, unknown>> };
    expect(report.checks).toContainEqual(expect.objectContaining({ model: 'flux', route: 'test-proxy', ok: true }));
    expect(worker.requests.at(-1)?.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it('is the route models shows for the models it serves', async () => {
    const run = await cli('models', '--json');
    const report = JSON.parse(run.stdout) as { models: Array<{ alias: string; route: string }> };
    expect(report.models.find((model) => model.alias === 'flux')?.route).toBe('test-proxy');
    expect(report.models.find((model) => model.alias === 'lucid-origin')?.route).toBe('test-proxy');
  });

  it('is checked by /readyz: 200 while it answers, 503 with the reason when it does not', async () => {
    const generator = createImageGenerator({ env: { ...process.env } });
    const app = createApp({ generator, keys: [], env: quiet() });
    const ready = await app.request('/readyz');
    expect(ready.status).toBe(200);
    expect(((await ready.json()) as { routes: Record<string, unknown> }).routes).toEqual({
      'test-proxy': { ready: true, url: worker.fluxUrl },
    });
    await app.close();
    const gone = await startTestWorker();
    await gone.close();
    const unreachable = createImageGenerator({ env: { ...process.env, TEST_PROXY_URL: gone.fluxUrl } });
    const down = createApp({ generator: unreachable, keys: [], env: quiet() });
    const answer = await down.request('/readyz');
    expect(answer.status).toBe(503);
    expect(((await answer.json()) as { reason: string }).reason).toContain(`the test proxy does not answer at ${gone.fluxUrl}`);
    await down.close();
  });

  it('has its secret redacted from every message', async () => {
    const generator = createImageGenerator({ env: { ...process.env }, retry: { retries: 0 } });
    worker.script([{ status: 400, contentType: 'text/plain', body: `bad request: key ${KEY} is not allowed` }]);
    const result = await generator.generate('flux', 'a fox');
    await generator.close();
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.message).toContain('[redacted]');
    expect(result.error.message).not.toContain(KEY);
  });
});
