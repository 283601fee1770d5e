import type { Settings } from '@imagegen/core';
import type { Context } from 'hono';

/** Whether a worker answers HTTP at all (any status counts: it is up). */
async function reachable(url: string, timeoutMs: number): Promise<boolean> {
  try {
    const response = await fetch(url, { method: 'HEAD', signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    return true;
  } catch {
    return false;
  }
}

/** `GET /readyz`: 200 when at least one worker is configured and every configured one answers. */
export function readinessHandler(settings: Settings, timeoutMs = 2000) {
  return async (context: Context) => {
    const workers = { flux: settings.fluxWorkerUrl, sdxl: settings.sdxlWorkerUrl && settings.sdxlApiKey ? settings.sdxlWorkerUrl : undefined };
    const checks = await Promise.all(
      Object.entries(workers).map(async ([model, url]) => [model, url ? { configured: true, reachable: await reachable(url, timeoutMs) } : { configured: false, reachable: false }] as const),
    );
    const configured = checks.filter(([, check]) => check.configured);
    const ready = configured.length > 0 && configured.every(([, check]) => check.reachable);
    return context.json({ ready, workers: Object.fromEntries(checks) }, ready ? 200 : 503);
  };
}
