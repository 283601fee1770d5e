import type { Settings } from '@imagegen/core';
import ky, { HTTPError, type KyInstance } from 'ky';

/** What the account check found: reachable with this token, or why not (never the token). */
export interface AccountCheck {
  ok: boolean;
  message: string;
}

/** Cloudflare's JSON envelope, as far as the check reads it. */
interface Envelope {
  success?: boolean;
  errors?: Array<{ code?: number; message?: string }>;
}

/**
 * Checks that the API token is valid for the account and may use Workers AI, with one read-only
 * call: `GET {CLOUDFLARE_API_BASE_URL}/accounts/{account}/ai/models/search?per_page=1`. No image
 * is made, nothing is billed. A GET is safe to repeat: ky retries it twice on a 408, 429 or 5xx
 * (honouring Retry-After) within a 15 s timeout.
 *
 * @example
 * const check = await checkAccount(settings); // { ok: true, message: 'token valid, account acc reachable' }
 */
export async function checkAccount(settings: Settings, client: KyInstance = ky): Promise<AccountCheck> {
  const { accountId, apiToken, apiBaseUrl } = settings;
  if (!accountId || !apiToken) return { ok: false, message: 'CLOUDFLARE_ACCOUNT_ID and CLOUDFLARE_API_TOKEN are not both set' };
  let response: Response;
  try {
    response = await client.get(`${apiBaseUrl}/accounts/${encodeURIComponent(accountId)}/ai/models/search`, {
      searchParams: { per_page: 1 },
      headers: { authorization: `Bearer ${apiToken}` },
      timeout: 15_000,
      retry: { limit: 2 },
    });
  } catch (error) {
    // A refusal is an answer to read (after ky's retries); anything else never reached Cloudflare.
    if (!(error instanceof HTTPError)) return { ok: false, message: `cannot reach ${apiBaseUrl}: ${(error as Error).message}` };
    response = error.response;
  }
  const body = (await response.json().catch(() => ({}))) as Envelope;
  if (response.ok && body.success !== false) return { ok: true, message: `token valid, account ${accountId} reachable` };
  const first = body.errors?.[0];
  const said = first ? ` (Cloudflare ${first.code ?? '?'}: ${first.message ?? ''})` : ` (HTTP ${response.status})`;
  if (response.status === 401 || response.status === 403) {
    return { ok: false, message: `CLOUDFLARE_API_TOKEN was refused for account ${accountId}: it needs the Workers AI permission${said}` };
  }
  return { ok: false, message: `account ${accountId} is not reachable with this token${said}` };
}
