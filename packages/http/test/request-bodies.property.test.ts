import { startTestWorker, type TestWorker } from '@imagegen/testkit';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeGateway } from './support/gateway.js';

let worker: TestWorker;
let gateway: Awaited<ReturnType<typeof makeGateway>>;
beforeAll(async () => {
  worker = await startTestWorker();
  gateway = await makeGateway(worker, { rateLimit: false });
});
afterAll(async () => {
  await gateway.dispose();
  await worker.close();
});

// Bodies near the schema's edges: the right keys with wrong values, and anything at all.
const nearMiss = fc.record(
  {
    prompt: fc.oneof(fc.string({ maxLength: 40 }), fc.constant(''), fc.integer(), fc.constant(null), fc.constant('x'.repeat(2049))),
    model: fc.oneof(fc.constantFrom('flux', 'sdxl', '@cf/black-forest-labs/flux-1-schnell', 'dall-e-3', ''), fc.integer()),
    n: fc.oneof(fc.integer({ min: -2, max: 6 }), fc.double(), fc.string()),
    size: fc.oneof(fc.constantFrom('512x512', 'auto', '1x1', '99999x99999', 'big'), fc.string()),
    response_format: fc.oneof(fc.constantFrom('url', 'b64_json', 'png'), fc.integer()),
    seed: fc.oneof(fc.integer({ min: -5, max: 2 ** 33 }), fc.string()),
    user: fc.oneof(fc.string(), fc.integer()),
  },
  { requiredKeys: [] },
);

describe('random request bodies', () => {
  it("always get a 2xx, or a 4xx with OpenAI's error shape; never a 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(nearMiss, fc.jsonValue(), fc.string()), async (body) => {
        const response = await gateway.post(typeof body === 'string' ? body : JSON.stringify(body));
        expect(response.status).toBeLessThan(500);
        if (response.status >= 400) {
          const json = (await response.json()) as { error: { message: unknown; type: unknown; param: unknown; code: unknown } };
          expect(typeof json.error.message).toBe('string');
          expect(typeof json.error.type).toBe('string');
          expect('param' in json.error && 'code' in json.error).toBe(true);
        } else {
          await response.arrayBuffer();
        }
      }),
      { numRuns: 300 },
    );
  });
});
