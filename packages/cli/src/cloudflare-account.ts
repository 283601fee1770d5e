import type { Settings } from '@imagegen/core';

/** What the account check found: reachable with this token, or why not (never the token). */
export interface AccountCheck {
  ok: boolean;
  message: string;
}

/**
 * Checks that the API token is valid for the account and may use Workers AI, with one read-only
 * call: `GET {CLOUDFLARE_API_BASE_URL}/accounts/{account}/ai/models/search?per_page=1`. No image
 * is made, nothing is billed.
 *
 * @example
 * const check = await checkAccount(settings); // { ok: true, message: 'token valid, account acc reachable' }
 */
export async function checkAccount(settings: Settings, fetcher: typeof fetch = fetch): Promise<AccountCheck> {
  const { accountId, apiToken, apiBaseUrl } = settings;
  if (!accountId || !apiToken) return { ok: false, message: 'CLOUDFLARE_ACCOUNT_ID and CLOUDFLARE_API_TOKEN are not both set' };
  let response: Response;
  try {
    response = await fetcher(`${apiBaseUrl}/accounts/${encodeURIComponent(accountId)}/ai/models/search?per_page=1`, {
      headers: { authorization: `Bearer ${apiToken}` },
      signal: AbortSignal.timeout(15_000),
    });
  } catch (error) {
    return { ok: false, message: `cannot reach ${apiBaseUrl}: ${(error as Error).message}` };
  }
  const body = (await response.json().catch(() => ({}))) as { success?: boolean; errors?: Array<{ code?: number; message?: string }> };
  if (response.ok && body.success !== false) return { ok: true, message: `token valid, account ${accountId} reachable` };
  const first = body.errors?.[0];
  const said = first ? ` (Cloudflare ${first.code ?? '?'}: ${first.message ?? ''})` : ` (HTTP ${response.status})`;
  if (response.status === 401 || response.status === 403) {
    return { ok: false, message: `CLOUDFLARE_API_TOKEN was refused for account ${accountId}: it needs the Workers AI permission${said}` };
  }
  return { ok: false, message: `account ${accountId} is not reachable with this token${said}` };
}
