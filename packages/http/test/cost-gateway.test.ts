import { describe, expect, it } from 'vitest';
import { GATEWAY_KEY, useGateways } from './support/gateway.js';

// What the gateway's answers cost: flux-1-schnell by its published price (4.80 neurons a tile,
// 9.60 a step: 57.6 neurons, $0.0006336 for 1024x1024 at 4 steps), on the worker route.
const { gateway } = useGateways();

describe('the cost of gateway answers', () => {
  it('x-imagegen-cost-usd sums the images; /metrics counts imagegen_cost_usd_total by model and key', async () => {
    const { app, post } = await gateway({ keys: [GATEWAY_KEY] });
    const auth = { authorization: `Bearer ${GATEWAY_KEY}` };
    const response = await post({ prompt: 'a fox', model: 'flux', n: 2, response_format: 'b64_json' }, auth);
    expect(response.status).toBe(200);
    expect(Number(response.headers.get('x-imagegen-cost-usd'))).toBeCloseTo(2 * 0.0006336, 9);
    const metrics = await (await app.request('/metrics', { headers: auth })).text();
    const line = metrics.split('\n').find((text) => text.startsWith('imagegen_cost_usd_total{model="flux",key="key:0"}'));
    expect(Number(line?.split(' ')[1])).toBeCloseTo(2 * 0.0006336, 9);
  });

  it('says unknown for a model whose price is not published', async () => {
    const { post } = await gateway();
    const response = await post({ prompt: 'a fox', model: 'sdxl', response_format: 'b64_json' });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-imagegen-cost-usd')).toBe('unknown');
  });
});
