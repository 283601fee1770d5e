import { describe, expect, it } from 'vitest';
import { startTestWorker } from '@imagegen/testkit';
import { expectOpenAiError, useGateways, WORKER_KEY } from './support/gateway.js';

const { worker: currentWorker, gateway } = useGateways({ apiKey: WORKER_KEY });

describe('the fields of POST /v1/images/generations', () => {
  it.each([
    [{}, 'prompt'],
    [{ prompt: 7 }, 'prompt'],
    [{ prompt: '   ' }, 'prompt'],
    [{ prompt: 'x'.repeat(2049) }, 'prompt'],
    [{ prompt: 'a', n: 5 }, 'n'],
    [{ prompt: 'a', n: 0 }, 'n'],
    [{ prompt: 'a', response_format: 'png' }, 'response_format'],
    [{ prompt: 'a', size: 'big' }, 'size'],
    [{ prompt: 'a', model: 'sdxl', size: '5000x512' }, 'size'],
    [{ prompt: 'a', model: 'dall-e-3' }, 'model'],
    [{ prompt: 'a', seed: -1 }, 'seed'],
  ])('bad input %j is 400 naming %s, and nothing is sent upstream', async (body, param) => {
    const { post } = await gateway();
    await expectOpenAiError(await post(body), 400, undefined, param);
    expect(currentWorker().requests).toHaveLength(0);
  });

  it.each([
    [{ prompt: 'a', stepz: 30 }, 'stepz', 'unknown_parameter', "unknown field 'stepz' (did you mean 'steps'?)"],
    [{ prompt: 'a', model: 'sdxl', widht: 512 }, 'widht', 'unknown_parameter', "unknown field 'widht' (did you mean 'width'?)"],
    [{ prompt: 'a', frobnicate: true }, 'frobnicate', 'unknown_parameter', "unknown field 'frobnicate'"],
    [{ prompt: 'a', model: 'sdxl', size: '512x512', width: 512 }, 'size', 'conflicting_parameters', 'send size or width, not both'],
    [
      { prompt: 'a', negative_prompt: 'blur' },
      'negative_prompt',
      'invalid_value',
      'flux does not take negative_prompt (it takes steps, seed)',
    ],
    [{ prompt: 'a', model: 'phoenix', negative_prompt: 3 }, 'negative_prompt', undefined, 'negative_prompt'],
    [{ prompt: 'a', model: 'sdxl', width: 5000 }, 'width', 'invalid_value', 'width must be an integer from 256 to 2048 for sdxl'],
  ])('%j is 400 naming the field as sent (%s), nothing sent upstream', async (body, param, code, words) => {
    const { post } = await gateway();
    const error = await expectOpenAiError(await post(body), 400, code, param);
    expect(error.message).toContain(words);
    expect(error.message).not.toMatch(/negativePrompt|outputQuality|outputFormat/);
    expect(currentWorker().requests).toHaveLength(0);
  });

  it("OpenAI's fields that Workers AI has no use for are still accepted", async () => {
    const { post } = await gateway();
    const body = { prompt: 'a cat', quality: 'hd', style: 'vivid', user: 'u1', moderation: 'low', response_format: 'b64_json' };
    expect((await post(body)).status).toBe(200);
  });

  it('a body that is not JSON is 400', async () => {
    const { post } = await gateway();
    await expectOpenAiError(await post('{nope'), 400, 'invalid_json');
  });
});

describe('GET /readyz asks the route registry', () => {
  const none = { FLUX_WORKER_URL: '', SDXL_WORKER_URL: '', SDXL_API_KEY: '' };
  it.each([
    ['rest', { CLOUDFLARE_ACCOUNT_ID: 'acc', CLOUDFLARE_API_TOKEN: 'token-0123456789' }],
    ['ai-gateway', { CLOUDFLARE_ACCOUNT_ID: 'acc', CLOUDFLARE_API_TOKEN: 'token-0123456789', CLOUDFLARE_AI_GATEWAY: 'gw' }],
    ['worker', { IMAGEGEN_WORKER_URL: 'WORKER' }],
    ['local', { IMAGEGEN_LOCAL_PREVIEW_URL: 'WORKER' }],
  ])('readyz is 200 on the %s route alone', async (route, env) => {
    const url = currentWorker().url;
    const resolved = Object.fromEntries(Object.entries(env).map(([name, value]) => [name, value === 'WORKER' ? url : value]));
    const { app } = await gateway({ env: { ...none, ...resolved } });
    const ready = await app.request('/readyz');
    expect(ready.status).toBe(200);
    expect(Object.keys(((await ready.json()) as { routes: object }).routes)).toEqual([route]);
  });

  it.each([
    ['no route at all', none, 'no route is configured'],
    ['the SDXL worker without its key', { ...none, SDXL_WORKER_URL: 'http://127.0.0.1:9/' }, 'SDXL_API_KEY is not set'],
  ])('readyz is 503 with the reason: %s', async (_, env, reason) => {
    const { app } = await gateway({ env });
    const answer = await app.request('/readyz');
    expect(answer.status).toBe(503);
    expect(((await answer.json()) as { reason: string }).reason).toContain(reason);
  });

  it('readyz is 503 when a configured worker is unreachable', async () => {
    const gone = await startTestWorker();
    await gone.close();
    const { app } = await gateway({ env: { FLUX_WORKER_URL: gone.fluxUrl } });
    expect((await app.request('/readyz')).status).toBe(503);
  });
});
