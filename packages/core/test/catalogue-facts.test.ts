import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { findModel, loadSettings } from '../src/index.js';
import { ACCOUNT, envelope, REST, TOKEN } from './support/cloudflare.js';
import { makeGenerator, PNG_BYTES, useMsw } from './support/harness.js';

// Facts of Cloudflare's model pages and changelogs, written from them (not from the catalogue),
// for the inputs this catalogue got wrong before (checked 2026-12-03).
const server = useMsw();
const rest = () =>
  makeGenerator({ settings: loadSettings({ CLOUDFLARE_ACCOUNT_ID: ACCOUNT, CLOUDFLARE_API_TOKEN: TOKEN }), retry: { retries: 0 } });

describe("the catalogue says what Cloudflare's schemas say", () => {
  it('phoenix-1.0: negative_prompt has minLength 1, so an empty one is refused before any request', async () => {
    let calls = 0;
    server.use(http.post(`${REST}/@cf/leonardo/phoenix-1.0`, () => (++calls, new HttpResponse(PNG_BYTES))));
    const result = await rest().generator.generate('phoenix', 'a fox', { negativePrompt: '' });
    expect(result).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    if (!result.ok) expect(result.error.message).toContain('negativePrompt must be text of at least 1 character for phoenix');
    expect(calls).toBe(0);
  });

  it('lucid-origin: num_steps has no default in the schema, so imagegen states none', () => {
    expect(findModel('lucid-origin')!.inputs.find((input) => input.name === 'steps')).not.toHaveProperty('default');
  });

  it.each(['flux-2-klein-4b', 'flux-2-klein-9b'])('%s takes guidance and seed (the changelogs), height 768 by default', async (alias) => {
    const model = findModel(alias)!;
    expect(model.inputs.find((input) => input.name === 'height')?.default).toBe(768);
    expect(model.defaultSize).toEqual({ width: 1024, height: 768 });
    let form: FormData | undefined;
    server.use(
      http.post(`${REST}/${model.id}`, async ({ request }) => {
        form = await request.formData();
        return envelope(PNG_BYTES);
      }),
    );
    const result = await rest().generator.generate(alias, 'a whale', { guidance: 3.5, seed: 42 });
    expect(result).toMatchObject({ ok: true, seed: 42 });
    expect([form?.get('guidance'), form?.get('seed')]).toEqual(['3.5', '42']);
  });

  it('flux-1-schnell: its schema lists no seed, so none is sent unless the caller gives one', async () => {
    const bodies: Array<Record<string, unknown>> = [];
    server.use(
      http.post(`${REST}/@cf/black-forest-labs/flux-1-schnell`, async ({ request }) => {
        bodies.push((await request.json()) as Record<string, unknown>);
        return envelope(PNG_BYTES);
      }),
    );
    const { generator } = rest();
    const plain = await generator.generate('flux', 'a fox');
    expect(plain).toMatchObject({ ok: true });
    expect(plain.ok && plain.seed).toBeUndefined();
    expect(await generator.generate('flux', 'a fox', { seed: 7 })).toMatchObject({ ok: true, seed: 7 });
    expect(bodies).toEqual([{ prompt: 'a fox' }, { prompt: 'a fox', seed: 7 }]);
  });

  it("AI Gateway's cache TTL is 60 seconds to one month", async () => {
    const { generator } = makeGenerator({
      settings: loadSettings({ CLOUDFLARE_ACCOUNT_ID: ACCOUNT, CLOUDFLARE_API_TOKEN: TOKEN, CLOUDFLARE_AI_GATEWAY: 'my-gw' }),
      retry: { retries: 0 },
    });
    for (const cacheTtl of [59, 2_592_001]) {
      const result = await generator.generate('flux', 'a cat', { cacheTtl });
      expect(result).toMatchObject({ ok: false, error: { code: 'bad_request' } });
      if (!result.ok) expect(result.error.message).toContain('from 60 to 2592000 (one month)');
    }
  });
});
