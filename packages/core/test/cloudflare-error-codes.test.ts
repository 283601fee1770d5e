import { http } from 'msw';
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../src/index.js';
import { ACCOUNT, envelope, failure, REST, TOKEN } from './support/cloudflare.js';
import { JPEG_BYTES, makeGenerator, recordingLogger, useMsw } from './support/harness.js';

const server = useMsw();
describe("Cloudflare's error codes, as typed errors", () => {
  const cases: Array<[number, number, string, object, RegExp]> = [
    [
      429,
      3040,
      'Capacity temporarily exceeded',
      { code: 'rate_limited', retryable: true, providerCode: 3040, status: 429 },
      /out of capacity for lucid-origin/,
    ],
    [
      429,
      3036,
      'Account limited',
      { code: 'quota_exceeded', retryable: false, providerCode: 3036 },
      /daily free Workers AI allocation is used up.*retrying today will not help/,
    ],
    [
      400,
      5007,
      'No such model',
      { code: 'bad_request', providerCode: 5007 },
      /No such model: Workers AI does not know @cf\/leonardo\/lucid-origin/,
    ],
    [404, 3042, 'Not found', { code: 'bad_request', providerCode: 3042 }, /@cf\/leonardo\/lucid-origin/],
    [400, 5004, 'Invalid data type for base64 input', { code: 'bad_request', retryable: false }, /wrong type of data/],
    [400, 3003, 'Request is missing headers or body', { code: 'bad_request', retryable: false }, /incomplete/],
    [400, 3039, 'Finetune is missing required files', { code: 'bad_request', retryable: false }, /finetune/],
    [413, 3006, 'Request is too large', { code: 'bad_request', retryable: false }, /not the image answered; send smaller input images/],
    [405, 5005, 'does not support LoRa inference', { code: 'bad_request', retryable: false }, /LoRA/],
    [405, 5019, 'deprecated SDK version', { code: 'bad_request', retryable: false }, /deprecated SDK/],
    [408, 3008, 'Request was aborted', { code: 'timeout', retryable: true }, /aborted the request/],
    [403, 5035, 'Upgrade to Workers Paid', { code: 'quota_exceeded', retryable: false }, /needs the Workers Paid plan/],
    [
      403,
      5018,
      'The account is not allowed to access this model',
      { code: 'unauthorized', retryable: false },
      /the API token is not the cause/,
    ],
    [
      403,
      3041,
      'The account is not allowed to access this model',
      { code: 'unauthorized', retryable: false },
      /the API token is not the cause/,
    ],
    [403, 3023, 'Service unavailable for account', { code: 'unauthorized', retryable: false }, /account is blocked, not the token/],
    [401, 2009, 'Unauthorized', { code: 'unauthorized', retryable: false }, /CLOUDFLARE_AI_GATEWAY_TOKEN/],
    [408, 3007, 'Request timeout', { code: 'timeout', retryable: true, providerCode: 3007 }, /timed out/],
    [403, 5016, 'Model agreement', { code: 'unauthorized', providerCode: 5016 }, /model agreement.*"agree"/],
    [401, 10000, 'Authentication error', { code: 'unauthorized', providerCode: 10000 }, /CLOUDFLARE_API_TOKEN/],
    [403, 9109, 'Unauthorized to access requested resource', { code: 'unauthorized', providerCode: 9109 }, /CLOUDFLARE_API_TOKEN/],
    [
      500,
      3000,
      'Internal error',
      { code: 'server_error', providerCode: 3000, retryable: true },
      /: Internal error for token \[redacted\] \(Cloudflare 3000\)/,
    ],
  ];
  it.each(cases)('HTTP %i with code %i (%s)', async (status, code, message, expected, words) => {
    server.use(http.post(`${REST}/@cf/leonardo/lucid-origin`, () => failure(status, code, `${message} for token ${TOKEN}`)));
    const logger = recordingLogger();
    const { generator } = makeGenerator({
      settings: loadSettings({ CLOUDFLARE_ACCOUNT_ID: ACCOUNT, CLOUDFLARE_API_TOKEN: TOKEN }),
      retry: { retries: 0 },
      logger,
    });
    const result = await generator.generate('lucid-origin', 'a fox');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject(expected);
    expect(result.error.message).toMatch(words);
    expect(result.error.toJSON()).toMatchObject({ providerCode: code });
    // Cloudflare's own words stay in the message (the token redacted from them).
    if (code !== 3000) expect(result.error.message).toContain(message);
    const said = [result.error.message, JSON.stringify(result.error), result.error.stack, ...logger.lines].join('\n');
    expect(said).not.toContain(TOKEN);
  });

  it('3040 is retried when 429 retries are on; 3036 never is', async () => {
    let calls = 0;
    server.use(
      http.post(`${REST}/@cf/leonardo/lucid-origin`, () => (++calls === 1 ? failure(429, 3040, 'Capacity') : envelope(JPEG_BYTES))),
      http.post(`${REST}/@cf/leonardo/phoenix-1.0`, () => (++calls, failure(429, 3036, 'Account limited'))),
    );
    const { generator } = makeGenerator({
      settings: loadSettings({ CLOUDFLARE_ACCOUNT_ID: ACCOUNT, CLOUDFLARE_API_TOKEN: TOKEN }),
      retry: { retries: 3, on429: true, baseDelayMs: 1, maxDelayMs: 1 },
    });
    expect(await generator.generate('lucid-origin', 'a fox')).toMatchObject({ ok: true, attempts: 2 });
    calls = 0;
    expect(await generator.generate('phoenix', 'a fox')).toMatchObject({ ok: false, error: { code: 'quota_exceeded', attempts: 1 } });
    expect(calls).toBe(1);
  });
});
