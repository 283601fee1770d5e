import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { ImageGenerator, type ImageGeneratorOptions, loadSettings, MemoryStore, type Logger } from '../../src/index.js';

export const FLUX_URL = 'https://flux.test.workers.dev/';
export const SDXL_URL = 'https://sdxl.test.workers.dev/';
export const SDXL_KEY = 'sk-test-0123456789abcdef-SECRET';

/** One msw server for a test file, failing on any request no handler expects. */
export function useMsw() {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  return server;
}

/** A logger that keeps every line, to check what was (and was not) logged. */
export function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const at = (level: string) => (fields: object, message?: string) => void lines.push(JSON.stringify({ level, ...fields, message }));
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** A generator over msw (global fetch, looked up per call), an in-memory store and a recording logger. */
export function makeGenerator(overrides: Partial<ImageGeneratorOptions> = {}) {
  const store = new MemoryStore();
  const logger = recordingLogger();
  const generator = new ImageGenerator({
    settings: loadSettings({ FLUX_WORKER_URL: FLUX_URL, SDXL_WORKER_URL: SDXL_URL, SDXL_API_KEY: SDXL_KEY }),
    fetch: (input, init) => globalThis.fetch(input, init),
    store,
    logger,
    ...overrides,
  });
  return { generator, store, logger };
}

export const PNG_BYTES = new Uint8Array([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0, 0x90, 0x77,
  0x53, 0xde, 0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
]);
export const JPEG_BYTES = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xff, 0xd9]);
