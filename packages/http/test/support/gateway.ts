import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createImageGenerator } from '@imagegen/core/node';
import { startTestWorker, type TestWorker, type TestWorkerOptions } from '@imagegen/testkit';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { pino } from 'pino';
import { startLocalWorkers, type LocalWorkers } from '@imagegen/workers';
import { createApp, type GatewayApp, type GatewayOptions, type RunningGateway, serve } from '../../src/index.js';

export const WORKER_KEY = 'upstream-sdxl-key-9f8e7d6c5b4a';
export const GATEWAY_KEY = 'gateway-key-1234567890abcdef';

/** A gateway app over the testkit worker, with a scratch image directory and silent logs. */
export async function makeGateway(worker: TestWorker, options: GatewayOptions & { env?: Record<string, string> } = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'imagegen-http-'));
  const env = {
    FLUX_WORKER_URL: worker.fluxUrl,
    SDXL_WORKER_URL: worker.sdxlUrl,
    SDXL_API_KEY: WORKER_KEY,
    IMAGEGEN_OUTPUT_DIR: dir,
    ...options.env,
  };
  const generator = createImageGenerator({
    env: { ...env, IMAGEGEN_LOG_LEVEL: 'silent' },
    retry: { retries: 0 },
    timeouts: { headersMs: 500 },
  });
  const app: GatewayApp = createApp({ generator, keys: [], logger: pino({ level: 'silent' }), ...options, env });
  return {
    app,
    dir,
    post: (body: unknown, headers: Record<string, string> = {}) =>
      app.request('/v1/images/generations', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    dispose: async () => {
      await app.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A testkit worker for the whole file and a `gateway(options)` that makes gateways over it,
 * disposed of after each test (the worker's script and log reset too).
 */
export function useGateways(workerOptions: TestWorkerOptions = {}) {
  const state: { worker?: TestWorker } = {};
  const disposers: Array<() => Promise<void>> = [];
  beforeAll(async () => {
    state.worker = await startTestWorker(workerOptions);
  });
  afterAll(() => state.worker?.close());
  afterEach(async () => {
    state.worker?.reset();
    await Promise.all(disposers.splice(0).map((dispose) => dispose()));
  });
  return {
    worker: () => state.worker!,
    gateway: async (options: Parameters<typeof makeGateway>[1] = {}) => {
      const made = await makeGateway(state.worker!, options);
      disposers.push(made.dispose);
      return made;
    },
  };
}

/**
 * A gateway served on loopback for the whole file, with key `key`, the offline local preview as
 * its upstream and a scratch image directory: `gateway.url` once the file's tests run.
 */
export function usePreviewGateway(key: string): { readonly url: string } {
  let dir: string | undefined;
  let local: LocalWorkers | undefined;
  let gateway: RunningGateway | undefined;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'imagegen-preview-gateway-'));
    local = await startLocalWorkers();
    gateway = await serve({
      port: 0,
      keys: [key],
      handleSignals: false,
      logger: pino({ level: 'silent' }),
      env: { ...local.previewEnv, IMAGEGEN_OUTPUT_DIR: dir, IMAGEGEN_LOG_LEVEL: 'silent' },
    });
  });
  afterAll(async () => {
    await gateway?.close();
    await local?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  return {
    get url() {
      return gateway!.url;
    },
  };
}

/** Checks an OpenAI-shaped error answer (status, and the code and param when given) and returns its error. */
export async function expectOpenAiError(response: Response, status: number, code?: string, param?: string | null) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toContain('application/json');
  const body = (await response.json()) as { error: Record<string, unknown> };
  expect(Object.keys(body.error).sort()).toEqual(['code', 'message', 'param', 'type']);
  if (code !== undefined) expect(body.error.code).toBe(code);
  if (param !== undefined) expect(body.error.param).toBe(param);
  return body.error;
}
