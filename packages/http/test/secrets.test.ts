import { createImageGenerator } from '@imagegen/core/node';
import { useTestWorker } from '@imagegen/testkit/vitest';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/index.js';

const SDXL_KEY = 'sdxl-secret-never-shown-0123456789';
const GATEWAY_KEYS = ['gateway-secret-one-abcdefgh', 'gateway-secret-two-ijklmnop'];
const fixture = useTestWorker({ apiKey: `${SDXL_KEY}-other`, prefix: 'imagegen-secrets-' });

describe('the gateway never shows a key', () => {
  it('not in its logs (debug level) nor in any answer, whatever goes wrong', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(line) });
    const env = {
      FLUX_WORKER_URL: fixture.worker.fluxUrl,
      SDXL_WORKER_URL: fixture.worker.sdxlUrl,
      SDXL_API_KEY: SDXL_KEY,
      IMAGEGEN_OUTPUT_DIR: fixture.path,
    };
    const generator = createImageGenerator({ env, logger, retry: { retries: 1, baseDelayMs: 1 } });
    const app = createApp({ generator, env, keys: GATEWAY_KEYS, logger });
    const bodies: string[] = [];
    const post = async (body: unknown, key?: string) => {
      const response = await app.request('/v1/images/generations', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
        body: JSON.stringify(body),
      });
      bodies.push(`${response.status} ${JSON.stringify([...response.headers])} ${await response.text()}`);
    };
    await post({ prompt: 'no key' });
    await post({ prompt: 'wrong key' }, `${GATEWAY_KEYS[0]}x`);
    await post({ prompt: 'sdxl refuses our key', model: 'sdxl' }, GATEWAY_KEYS[0]);
    fixture.worker.script([{ status: 500 }, { status: 500 }]);
    await post({ prompt: 'upstream down' }, GATEWAY_KEYS[1]);
    await post({ prompt: 'x'.repeat(3000) }, GATEWAY_KEYS[1]);
    await post({ prompt: 'fine', response_format: 'b64_json' }, GATEWAY_KEYS[1]);
    await app.close();

    expect(lines.length).toBeGreaterThan(6);
    const everything = [...lines, ...bodies].join('\n');
    for (const secret of [SDXL_KEY, ...GATEWAY_KEYS]) expect(everything).not.toContain(secret);
    expect(bodies.map((body) => body.slice(0, 3))).toEqual(['401', '401', '502', '502', '400', '200']);
  });
});
