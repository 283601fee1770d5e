import { readHead } from './error-body.js';
import type { ErrorCode } from './errors.js';
import type { TransportResponse } from './ports.js';

/** The first error of Cloudflare's envelope `{"success": false, "errors": [{"code", "message"}]}`. */
export interface CloudflareFailure {
  code?: number;
  message?: string;
}

/** How one Cloudflare error code reads: imagegen's code, whether a retry may help, the words. */
interface CodeMeaning {
  /** The HTTP status Cloudflare's table gives the code (a binding throws instead; the workers answer with it). */
  status: number;
  code: ErrorCode;
  retryable?: boolean;
  message: (model: { alias: string; id: string }) => string;
}

const TOKEN_REFUSED =
  'Cloudflare refused the API token (CLOUDFLARE_API_TOKEN): check that it is valid, not expired, and allowed to run Workers AI';

// Workers AI's error table, code by code, with what a user does next:
// https://developers.cloudflare.com/workers-ai/platform/errors/ (read 2026-12-03; 5035 added
// 2026-07-29). 10000 is Cloudflare's API-wide authentication error; 2009 is AI Gateway's own
// refusal of an authenticated gateway's token (`{"error":[{"code":2009,"message":"Unauthorized"}]}`).
const meanings: Readonly<Record<number, CodeMeaning>> = {
  3040: {
    status: 429,
    code: 'rate_limited',
    message: ({ alias }) => `Workers AI is out of capacity for ${alias} (Cloudflare 3040), please try again later`,
  },
  3036: {
    status: 429,
    code: 'quota_exceeded',
    retryable: false,
    message: () =>
      "Quota exceeded: the account's daily free Workers AI allocation is used up (Cloudflare 3036); retrying today will not help: it resets at 00:00 UTC, or move the account to Workers Paid",
  },
  5035: {
    status: 403,
    code: 'quota_exceeded',
    retryable: false,
    message: ({ id }) => `${id} needs the Workers Paid plan (Cloudflare 5035): upgrade the account, or pick a model of the free plan`,
  },
  5007: { status: 400, code: 'bad_request', message: ({ id }) => `No such model: Workers AI does not know ${id} (Cloudflare 5007)` },
  3042: { status: 404, code: 'bad_request', message: ({ id }) => `No such model: Workers AI does not know ${id} (Cloudflare 3042)` },
  5004: {
    status: 400,
    code: 'bad_request',
    message: ({ alias }) => `Workers AI refused an input of ${alias} as the wrong type of data (Cloudflare 5004)`,
  },
  3003: {
    status: 400,
    code: 'bad_request',
    message: () => 'Workers AI found the request incomplete: headers or body missing (Cloudflare 3003)',
  },
  3039: { status: 400, code: 'bad_request', message: ({ id }) => `The finetune of ${id} is missing its files (Cloudflare 3039)` },
  3006: {
    status: 413,
    code: 'bad_request',
    message: () =>
      'The request is too large for Workers AI (Cloudflare 3006): the prompt and input images, not the image answered; send smaller input images',
  },
  5005: { status: 405, code: 'bad_request', message: ({ id }) => `${id} does not support LoRA inference (Cloudflare 5005)` },
  5019: { status: 405, code: 'bad_request', message: () => 'Workers AI refused a deprecated SDK version (Cloudflare 5019)' },
  3007: { status: 408, code: 'timeout', retryable: true, message: () => 'Image generation request timed out (Cloudflare 3007)' },
  3008: { status: 408, code: 'timeout', retryable: true, message: () => 'Workers AI aborted the request (Cloudflare 3008); it is retried' },
  5016: {
    status: 403,
    code: 'unauthorized',
    message: ({ id }) =>
      `The account has not accepted ${id}'s model agreement (Cloudflare 5016): run the model once with the prompt "agree" (in the dashboard's playground or by REST), then try again`,
  },
  5018: {
    status: 403,
    code: 'unauthorized',
    message: ({ id }) =>
      `The account may not use ${id}, a private model (Cloudflare 5018): the account lacks access, the API token is not the cause`,
  },
  3041: {
    status: 403,
    code: 'unauthorized',
    message: ({ id }) =>
      `The account may not use ${id}, a private model (Cloudflare 3041): the account lacks access, the API token is not the cause`,
  },
  3023: {
    status: 403,
    code: 'unauthorized',
    message: () =>
      'Workers AI is unavailable for this account (Cloudflare 3023): the account is blocked, not the token; see the Cloudflare dashboard',
  },
  10000: { status: 401, code: 'unauthorized', message: () => `${TOKEN_REFUSED} (Cloudflare 10000)` },
  2009: {
    status: 401,
    code: 'unauthorized',
    message: () =>
      'AI Gateway refused its token (Cloudflare 2009): an authenticated gateway wants CLOUDFLARE_AI_GATEWAY_TOKEN (sent as cf-aig-authorization), valid for this gateway',
  },
};

/**
 * What a Cloudflare failure means for imagegen: the code, retryability and message of a known
 * Cloudflare code; else a 401/403 as a refused token; else undefined (the HTTP status decides).
 *
 * @example
 * cloudflareMeaning({ code: 3036 }, 429, lucidOrigin)?.code; // 'quota_exceeded'
 */
export function cloudflareMeaning(
  failure: CloudflareFailure,
  status: number,
  model: { alias: string; id: string },
): { code: ErrorCode; status?: number; retryable?: boolean; message: string } | undefined {
  const meaning = failure.code === undefined ? undefined : meanings[failure.code];
  if (meaning)
    return {
      code: meaning.code,
      status: meaning.status,
      ...(meaning.retryable === undefined ? {} : { retryable: meaning.retryable }),
      message: meaning.message(model),
    };
  if (status === 401 || status === 403) return { code: 'unauthorized', message: `${TOKEN_REFUSED} (HTTP ${status})` };
  return undefined;
}

/**
 * Reads Cloudflare's error envelope from a failed answer (at most 8 KB), or undefined when the
 * body is not one. The body is cancelled either way.
 */
export async function readCloudflareFailure(response: TransportResponse): Promise<CloudflareFailure | undefined> {
  const head = await readHead(response, 8192);
  return head && cloudflareFailureIn(head);
}

/** {@link readCloudflareFailure} of a body already read. */
export function cloudflareFailureIn(head: Uint8Array): CloudflareFailure | undefined {
  try {
    // The REST API says `errors`; AI Gateway's own failures say `error`.
    const parsed = JSON.parse(new TextDecoder().decode(head)) as { errors?: unknown; error?: unknown };
    const list = Array.isArray(parsed.errors) ? parsed.errors : Array.isArray(parsed.error) ? parsed.error : [];
    const first = list[0] as { code?: unknown; message?: unknown } | undefined;
    if (!first) return undefined;
    return {
      ...(typeof first.code === 'number' ? { code: first.code } : {}),
      ...(typeof first.message === 'string' ? { message: first.message.slice(0, 300) } : {}),
    };
  } catch {
    return undefined;
  }
}
