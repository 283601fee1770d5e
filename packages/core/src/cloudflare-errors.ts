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
  code: ErrorCode;
  retryable?: boolean;
  message: (model: { alias: string; id: string }) => string;
}

const TOKEN_REFUSED =
  'Cloudflare refused the API token (CLOUDFLARE_API_TOKEN): check that it is valid, not expired, and allowed to run Workers AI';

// developers.cloudflare.com/workers-ai/platform/errors: a table, not an if-chain.
const meanings: Readonly<Record<number, CodeMeaning>> = {
  3040: {
    code: 'rate_limited',
    message: ({ alias }) => `Workers AI is out of capacity for ${alias} (Cloudflare 3040), please try again later`,
  },
  3036: {
    code: 'quota_exceeded',
    retryable: false,
    message: () =>
      "Quota exceeded: the account's daily free Workers AI allocation is used up (Cloudflare 3036); retrying today will not help: it resets at 00:00 UTC, or move the account to Workers Paid",
  },
  5007: { code: 'bad_request', message: ({ id }) => `No such model: Workers AI does not know ${id} (Cloudflare 5007)` },
  3042: { code: 'bad_request', message: ({ id }) => `No such model: Workers AI does not know ${id} (Cloudflare 3042)` },
  3007: { code: 'timeout', retryable: true, message: () => 'Image generation request timed out (Cloudflare 3007)' },
  5016: {
    code: 'unauthorized',
    message: ({ id }) =>
      `The account has not accepted ${id}'s model agreement (Cloudflare 5016): run the model once with the prompt "agree" (in the dashboard's playground or by REST), then try again`,
  },
  10000: { code: 'unauthorized', message: () => `${TOKEN_REFUSED} (Cloudflare 10000)` },
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
): { code: ErrorCode; retryable?: boolean; message: string } | undefined {
  const meaning = failure.code === undefined ? undefined : meanings[failure.code];
  if (meaning)
    return {
      code: meaning.code,
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
  if (!head) return undefined;
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
