import { describe, expect, it } from 'vitest';
import { ImageGenerator, loadSettings, MemoryStore, routeRegistry, type WorkersAiBinding } from '../src/index.js';
import { JPEG_BYTES, PNG_BYTES } from './support/harness.js';

// The binding route: new ImageGenerator({ ai: env.AI }) runs every model through env.AI.run.
function recordingAi(answer: (model: string, inputs: Record<string, unknown>) => unknown) {
  const calls: Array<{ model: string; inputs: Record<string, unknown>; options: unknown }> = [];
  const ai: WorkersAiBinding = {
    run: async (model, inputs, options) => {
      calls.push({ model, inputs, options });
      return answer(model, inputs);
    },
  };
  return { ai, calls };
}
const generatorWith = (ai: WorkersAiBinding, extra: Partial<ConstructorParameters<typeof ImageGenerator>[0]> = {}) => {
  const store = new MemoryStore();
  return { store, generator: new ImageGenerator({ settings: loadSettings({}), ai, store, retry: { retries: 0 }, ...extra }) };
};
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

describe('the Workers AI binding route', () => {
  it('is switched on by the ai option only, never by the environment', () => {
    const fromEnv = loadSettings({
      WORKERS_AI_BINDING: 'AI',
      CLOUDFLARE_ACCOUNT_ID: 'acc',
      CLOUDFLARE_API_TOKEN: 'a-token-of-forty-characters-0123456789',
    });
    expect(routeRegistry.configured(fromEnv).map((route) => route.name)).toEqual(['rest']);
    const { generator } = generatorWith(recordingAi(() => ({})).ai);
    expect(routeRegistry.configured(generator.settings)[0]?.name).toBe('binding');
  });

  it('runs a JSON model through env.AI.run with its fields and a seed; the answer is stored', async () => {
    const { ai, calls } = recordingAi(() => ({ image: b64(JPEG_BYTES) }));
    const { generator, store } = generatorWith(ai);
    const result = await generator.generate('lucid-origin', 'a fox', { steps: 20 });
    if (!result.ok) throw result.error;
    expect(result).toMatchObject({ route: 'binding', contentType: 'image/jpeg' });
    expect(calls[0]).toMatchObject({ model: '@cf/leonardo/lucid-origin', inputs: { prompt: 'a fox', num_steps: 20, seed: result.seed } });
    expect(store.files.get(result.path)).toEqual(JPEG_BYTES);
  });

  it("FLUX.2 gets { multipart: { body, contentType } } as Cloudflare's example builds it", async () => {
    const { ai, calls } = recordingAi(() => ({ image: b64(PNG_BYTES) }));
    const { generator } = generatorWith(ai);
    expect(await generator.generate('flux-2-dev', 'a whale', { width: 512, height: 512 })).toMatchObject({ ok: true, route: 'binding' });
    const multipart = calls[0]!.inputs.multipart as { body: ReadableStream; contentType: string };
    expect(multipart.contentType).toMatch(/^multipart\/form-data; boundary=/);
    const form = await new Response(multipart.body, { headers: { 'content-type': multipart.contentType } }).formData();
    expect([form.get('prompt'), form.get('width'), form.get('height')]).toEqual(['a whale', '512', '512']);
  });

  it('a byte stream (the SDXL family) is stored as it streams', async () => {
    const { ai } = recordingAi(() => new Response(PNG_BYTES).body);
    const { generator, store } = generatorWith(ai);
    const result = await generator.generate('sdxl-lightning', 'a fox');
    if (!result.ok) throw result.error;
    expect(store.files.get(result.path)).toEqual(PNG_BYTES);
  });

  it('a thrown 3040 is retried; a thrown 3036 is final, with its code', async () => {
    let runs = 0;
    const ai: WorkersAiBinding = {
      run: async () => {
        runs++;
        throw new Error(runs === 1 ? '3040: Capacity temporarily exceeded' : 'AiError: 3036: daily free allocation used up');
      },
    };
    const { generator } = generatorWith(ai, { retry: { retries: 3, on429: true, baseDelayMs: 1 } });
    const result = await generator.generate('flux', 'a fox');
    expect(result).toMatchObject({ ok: false, error: { code: 'quota_exceeded', providerCode: 3036, retryable: false } });
    expect(runs).toBe(2);
  });

  it("AI Gateway's options go as the binding's gateway option when aiGateway names one, and are refused otherwise", async () => {
    const { ai, calls } = recordingAi(() => ({ image: b64(JPEG_BYTES) }));
    const { generator } = generatorWith(ai, { aiGateway: 'my-gw' });
    expect(await generator.generate('flux', 'a fox', { cacheTtl: 3600, metadata: { team: 'web' } })).toMatchObject({ ok: true });
    expect(calls[0]?.options).toEqual({ gateway: { id: 'my-gw', cacheTtl: 3600, metadata: { team: 'web' } } });
    const plain = generatorWith(ai).generator;
    const refused = await plain.generate('flux', 'a fox', { skipCache: true });
    expect(refused).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });

  it('a partner model answering a URL: the image is downloaded from it', async () => {
    const { ai, calls } = recordingAi(() => ({ image: 'https://images.example/partner.png' }));
    const fetched: string[] = [];
    const fetch = async (url: string | URL | Request) => {
      fetched.push(url instanceof Request ? url.url : url.toString());
      return new Response(PNG_BYTES, { headers: { 'content-type': 'image/png' } });
    };
    const { generator, store } = generatorWith(ai, { fetch });
    const result = await generator.generate('gpt-image-2', 'a fox', { qualityTier: 'low' });
    if (!result.ok) throw result.error;
    expect(calls[0]).toMatchObject({ model: 'openai/gpt-image-2', inputs: { prompt: 'a fox', quality: 'low' } });
    expect(fetched).toEqual(['https://images.example/partner.png']);
    expect(store.files.get(result.path)).toEqual(PNG_BYTES);
  });
});
