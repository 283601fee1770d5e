import { describe, expect, it } from 'vitest';
import { expectOpenAiError, useGateways } from './support/gateway.js';

// The testkit worker stands in for the Workers AI REST API: whatever it is asked, it answers the
// scripted failure in Cloudflare's envelope.
const { worker: currentWorker, gateway } = useGateways();
const TOKEN = 'cf-token-of-the-gateway-0123456789';

describe("Cloudflare's error codes through the gateway", () => {
  it.each([
    [429, 3040, 429, 'rate_limit_exceeded', /out of capacity/],
    [429, 3036, 429, 'insufficient_quota', /daily free Workers AI allocation/],
    [403, 5035, 429, 'insufficient_quota', /Workers Paid plan/],
    [400, 5007, 400, 'upstream_bad_request', /No such model/],
    [404, 3042, 400, 'upstream_bad_request', /No such model/],
    [400, 5004, 400, 'upstream_bad_request', /wrong type of data/],
    [400, 3003, 400, 'upstream_bad_request', /incomplete/],
    [400, 3039, 400, 'upstream_bad_request', /finetune/],
    [413, 3006, 400, 'upstream_bad_request', /send smaller input images/],
    [405, 5005, 400, 'upstream_bad_request', /LoRA/],
    [405, 5019, 400, 'upstream_bad_request', /deprecated SDK/],
    [408, 3007, 504, 'upstream_timeout', /timed out/],
    [408, 3008, 504, 'upstream_timeout', /aborted/],
    [403, 5016, 502, 'upstream_unauthorized', /model agreement/],
    [403, 5018, 502, 'upstream_unauthorized', /the API token is not the cause/],
    [403, 3041, 502, 'upstream_unauthorized', /the API token is not the cause/],
    [403, 3023, 502, 'upstream_unauthorized', /account is blocked/],
    [401, 10000, 502, 'upstream_unauthorized', /CLOUDFLARE_API_TOKEN/],
    [401, 2009, 502, 'upstream_unauthorized', /CLOUDFLARE_AI_GATEWAY_TOKEN/],
  ])('HTTP %i with Cloudflare %i is %i %s, naming the cause', async (status, code, gatewayStatus, gatewayCode, words) => {
    const { post } = await gateway({
      env: {
        FLUX_WORKER_URL: '',
        SDXL_WORKER_URL: '',
        CLOUDFLARE_ACCOUNT_ID: 'acc',
        CLOUDFLARE_API_TOKEN: TOKEN,
        CLOUDFLARE_API_BASE_URL: currentWorker().url,
      },
    });
    const body = JSON.stringify({ result: null, success: false, errors: [{ code, message: 'what Cloudflare said' }], messages: [] });
    currentWorker().script([{ status, body, contentType: 'application/json' }]);
    const error = await expectOpenAiError(await post({ model: 'lucid-origin', prompt: 'a fox' }), gatewayStatus, gatewayCode);
    expect(error.message).toMatch(words);
    expect(error.message).toContain('what Cloudflare said');
    expect(JSON.stringify(error)).not.toContain(TOKEN);
  });
});
