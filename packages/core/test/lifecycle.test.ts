import { delay, http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ImageGenerator, loadSettings, MemoryStore } from '../src/index.js';
import { FLUX_URL, makeGenerator, PNG_BYTES, SDXL_URL, useMsw } from './support/harness.js';

const server = useMsw();
afterEach(() => void vi.useRealTimers());

/** A PNG body whose first bytes come at once and whose rest never comes; `onStall` runs once the reader waits for more. */
const stalledBody = (onStall?: () => void) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(PNG_BYTES.slice(0, 20));
    },
    pull() {
      onStall?.();
      return new Promise<void>(() => undefined);
    },
  });

describe('timeouts (fake timers)', () => {
  it('no headers within headersMs is timeout with the message of its code, retried', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    let calls = 0;
    server.use(http.get(FLUX_URL, async () => (calls++, await delay('infinite'), new HttpResponse(PNG_BYTES))));
    const { generator, store } = makeGenerator({ timeouts: { headersMs: 5000 }, retry: { retries: 1 } });
    const pending = generator.generateWithFlux('a cat');
    await vi.advanceTimersByTimeAsync(5000 + 1000 + 5000);
    const result = await pending;
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'timeout', message: 'Image generation request timed out', retryable: true, attempts: 2 },
    });
    expect(calls).toBe(2);
    expect(store.files.size).toBe(0);
  });

  it('a body that stalls longer than bodyMs is timeout, nothing stored', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    server.use(http.get(FLUX_URL, () => new HttpResponse(stalledBody(), { headers: { 'content-type': 'image/png' } })));
    const { generator, store } = makeGenerator({ timeouts: { bodyMs: 3000 }, retry: { retries: 0 } });
    const pending = generator.generateWithFlux('a cat');
    await vi.advanceTimersByTimeAsync(3000);
    expect(await pending).toMatchObject({ ok: false, error: { code: 'timeout' } });
    expect(store.files.size).toBe(0);
  });
});

describe('abort', () => {
  it('an already aborted signal sends nothing', async () => {
    let calls = 0;
    server.use(http.get(FLUX_URL, () => (calls++, new HttpResponse(PNG_BYTES))));
    const { generator } = makeGenerator();
    const result = await generator.generateWithFlux('a cat', { signal: AbortSignal.abort() });
    expect(result).toMatchObject({ ok: false, error: { code: 'aborted', message: 'Image generation was aborted', attempts: 0 } });
    expect(calls).toBe(0);
  });

  it('an abort while waiting for headers is aborted, not retried', async () => {
    let calls = 0;
    server.use(http.get(FLUX_URL, async () => (calls++, await delay('infinite'), new HttpResponse(PNG_BYTES))));
    const { generator } = makeGenerator();
    const controller = new AbortController();
    const pending = generator.generateWithFlux('a cat', { signal: controller.signal });
    await vi.waitFor(() => expect(calls).toBe(1));
    controller.abort();
    expect(await pending).toMatchObject({ ok: false, error: { code: 'aborted' } });
    expect(calls).toBe(1);
  });

  it('an abort during the body download leaves nothing stored', async () => {
    const controller = new AbortController();
    // Aborted once the first bytes were read and the reader waits for the rest.
    server.use(
      http.get(
        FLUX_URL,
        () =>
          new HttpResponse(
            stalledBody(() => controller.abort()),
            { headers: { 'content-type': 'image/png' } },
          ),
      ),
    );
    const { generator, store } = makeGenerator();
    expect(await generator.generateWithFlux('a cat', { signal: controller.signal })).toMatchObject({
      ok: false,
      error: { code: 'aborted' },
    });
    expect(store.files.size).toBe(0);
  });

  it('an abort during a backoff wait ends it at once', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    server.use(http.get(FLUX_URL, () => new HttpResponse('x', { status: 500 })));
    const { generator } = makeGenerator();
    const controller = new AbortController();
    const pending = generator.generateWithFlux('a cat', { signal: controller.signal, onRetry: () => controller.abort() });
    expect(await pending).toMatchObject({ ok: false, error: { code: 'aborted', attempts: 1 } });
  });
});

describe('close', () => {
  it('is idempotent, and a call after it resolves to closed', async () => {
    const onClose = vi.fn();
    const { generator } = makeGenerator({ onClose });
    await generator.close();
    await generator.close();
    expect(onClose).toHaveBeenCalledTimes(1);
    const result = await generator.generateWithFlux('a cat');
    expect(result).toMatchObject({ ok: false, error: { code: 'closed', message: 'Image generator is closed' } });
  });

  it('aborts in-flight generations as closed and waits for them', async () => {
    server.use(http.get(FLUX_URL, () => new HttpResponse(stalledBody(), { headers: { 'content-type': 'image/png' } })));
    const { generator, store } = makeGenerator();
    let started!: () => void;
    const attempted = new Promise<void>((resolve) => (started = resolve));
    const pending = generator.generateWithFlux('a cat', { onAttempt: () => started() });
    await attempted;
    await generator.close();
    expect(await pending).toMatchObject({ ok: false, error: { code: 'closed' } });
    expect(store.files.size).toBe(0);
  });
});

describe('input and configuration', () => {
  it.each([
    ['', 'prompt must not be empty'],
    ['   \n\t', 'prompt must not be empty'],
    ['x'.repeat(2049), 'prompt is 2049 characters long, the limit is 2048'],
  ])('prompt %j fails at once with invalid_prompt', async (prompt, detail) => {
    let calls = 0;
    server.use(http.get(FLUX_URL, () => (calls++, new HttpResponse(PNG_BYTES))));
    const { generator } = makeGenerator();
    const result = await generator.generateWithFlux(prompt);
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_prompt', retryable: false, attempts: 0 } });
    if (!result.ok) expect(result.error.message).toContain(detail);
    expect(calls).toBe(0);
  });

  it('maxPromptLength is configurable, and 2,048 characters pass by default', async () => {
    server.use(http.get(FLUX_URL, () => new HttpResponse(PNG_BYTES, { headers: { 'content-type': 'image/png' } })));
    expect(await makeGenerator().generator.generateWithFlux('x'.repeat(2048))).toMatchObject({ ok: true });
    expect(await makeGenerator({ maxPromptLength: 5 }).generator.generateWithFlux('abcdef')).toMatchObject({
      ok: false,
      error: { code: 'invalid_prompt' },
    });
  });

  it('a missing worker URL is not_configured at call time', async () => {
    const generator = new ImageGenerator({ settings: loadSettings({}), fetch: globalThis.fetch, store: new MemoryStore() });
    const result = await generator.generateWithFlux('a cat');
    expect(result).toMatchObject({ ok: false, error: { code: 'not_configured', attempts: 0 } });
    if (!result.ok) expect(result.error.message).toContain('FLUX_WORKER_URL');
  });

  it('SDXL without a key is not_configured and sends nothing', async () => {
    let calls = 0;
    server.use(http.post(SDXL_URL, () => (calls++, new HttpResponse(PNG_BYTES))));
    const generator = new ImageGenerator({
      settings: loadSettings({ SDXL_WORKER_URL: SDXL_URL }),
      fetch: globalThis.fetch,
      store: new MemoryStore(),
    });
    const result = await generator.generateWithSdxl('a cat');
    expect(result).toMatchObject({ ok: false, error: { code: 'not_configured', message: 'SDXL API key not configured' } });
    expect(calls).toBe(0);
  });
});
