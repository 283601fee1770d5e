import { TINY_PNG } from '@imagegen/testkit';
import { describe, expect, it } from 'vitest';
import { useGateways } from './support/gateway.js';

// IMAGEGEN_FALLBACKS against a loopback Workers AI REST API that answers 3040 for FLUX.2 [dev]:
// the next model of the chain makes the image, and the answer says which.
const { gateway, worker } = useGateways();
const rest = () => ({
  CLOUDFLARE_ACCOUNT_ID: 'acc-1',
  CLOUDFLARE_API_TOKEN: 'cf-token-0123456789abcdef',
  CLOUDFLARE_API_BASE_URL: `${worker().url}/client/v4`,
});
const envelope = (code: number, message: string) =>
  JSON.stringify({ result: null, success: false, errors: [{ code, message }], messages: [] });

describe('fallback chains in the gateway', () => {
  it('3040 from the first model: the second makes the image; x-imagegen-model and the image say so', async () => {
    worker().respond((request) =>
      request.path.endsWith('/flux-2-dev')
        ? {
            status: 429,
            contentType: 'application/json',
            headers: { 'retry-after': '0' },
            body: envelope(3040, 'Capacity temporarily exceeded'),
          }
        : { contentType: 'application/json', body: JSON.stringify({ result: { image: TINY_PNG.toString('base64') }, success: true }) },
    );
    const { post } = await gateway({ env: { ...rest(), IMAGEGEN_FALLBACKS: 'flux-2-dev>lucid-origin' } });
    const response = await post({ prompt: 'a fox', model: 'flux-2-dev', steps: 20, response_format: 'b64_json' });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-imagegen-model')).toBe('lucid-origin');
    const body = (await response.json()) as { data: Array<{ model?: string; b64_json: string }> };
    expect(body.data[0]).toMatchObject({ model: 'lucid-origin' });
    expect(worker().requests.map((request) => request.path.split('/').pop())).toEqual(['flux-2-dev', 'lucid-origin']);
  });

  it('a 400 is not passed on to the next model', async () => {
    worker().respond(() => ({ status: 400, contentType: 'application/json', body: envelope(5007, 'Input validation error') }));
    const { post } = await gateway({ env: { ...rest(), IMAGEGEN_FALLBACKS: 'flux-2-dev>lucid-origin' } });
    const response = await post({ prompt: 'a fox', model: 'flux-2-dev', response_format: 'b64_json' });
    expect(response.status).toBe(400);
    expect(worker().requests).toHaveLength(1);
  });

  it('a chain that names an unknown model is refused at start, saying which', async () => {
    await expect(gateway({ env: { IMAGEGEN_FALLBACKS: 'flux-2-dev>dall-e' } })).rejects.toThrow(
      "IMAGEGEN_FALLBACKS: fallback chain 'flux-2-dev>dall-e': unknown model 'dall-e'",
    );
  });
});
