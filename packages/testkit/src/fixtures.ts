import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { startTestWorker, type TestWorker, type TestWorkerOptions } from './worker-server.js';

/** A scratch directory made fresh before each test and removed after it. */
export interface ScratchDir {
  /** The directory of the running test. */
  readonly path: string;
  /** `path/out`, where a test's images go (made by whatever writes there first). */
  readonly out: string;
}

/**
 * Registers the hooks of a fresh scratch directory per test (`mkdtemp` under the system's
 * temporary directory), removed after the test whatever it did.
 *
 * @example
 * const scratch = useScratchDir('imagegen-batch-');
 * it('writes there', async () => void (await writeFile(join(scratch.path, 'a.txt'), 'a')));
 */
export function useScratchDir(prefix = 'imagegen-test-'): ScratchDir {
  let path: string | undefined;
  beforeEach(async () => {
    path = await mkdtemp(join(tmpdir(), prefix));
  });
  afterEach(async () => {
    if (path) await rm(path, { recursive: true, force: true });
    path = undefined;
  });
  const current = (): string => {
    if (!path) throw new Error('the scratch directory exists only while a test runs');
    return path;
  };
  return {
    get path() {
      return current();
    },
    get out() {
      return join(current(), 'out');
    },
  };
}

/** A testkit worker for the whole file and a scratch directory for each test. */
export interface TestWorkerFixture extends ScratchDir {
  /** The worker; its scripts and request log are reset before each test. */
  readonly worker: TestWorker;
  /** The settings that point imagegen at the worker, images to `out`, with `extra` on top. */
  env(extra?: Record<string, string>): Record<string, string>;
}

/**
 * Registers the hooks of a test file that talks to a testkit worker: the worker started once
 * and closed after the file, reset before each test, and a scratch directory per test.
 *
 * @example
 * const fixture = useTestWorker({ apiKey: 'sdxl-key' });
 * it('saves an image', async () => {
 *   const run = await runCli(['generate', 'a cat'], { env: fixture.env(), cwd: fixture.path });
 *   expect(fixture.worker.requests).toHaveLength(1);
 * });
 */
export function useTestWorker(options: TestWorkerOptions & { prefix?: string } = {}): TestWorkerFixture {
  const scratch = useScratchDir(options.prefix);
  let worker: TestWorker | undefined;
  beforeAll(async () => {
    worker = await startTestWorker(options);
  });
  afterAll(() => worker?.close());
  beforeEach(() => worker?.reset());
  const current = (): TestWorker => {
    if (!worker) throw new Error('the test worker runs only while the file runs');
    return worker;
  };
  return {
    get worker() {
      return current();
    },
    get path() {
      return scratch.path;
    },
    get out() {
      return scratch.out;
    },
    env: (extra = {}) => ({
      FLUX_WORKER_URL: current().fluxUrl,
      SDXL_WORKER_URL: current().sdxlUrl,
      ...(options.apiKey ? { SDXL_API_KEY: options.apiKey } : {}),
      IMAGEGEN_OUTPUT_DIR: scratch.out,
      ...extra,
    }),
  };
}
