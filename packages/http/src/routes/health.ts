import type { Settings } from '@imagegen/core';
import type { ImageStorage } from '../storage/image-storage.js';

/** What `GET /readyz` answers: 200 when `ready`, else 503, with the checks as they came out. */
export type Readiness = { ready: boolean } & Record<string, unknown>;

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

/**
 * The readiness of a gateway: ready when at least one worker is configured, every configured one
 * answers, and the image storage and Redis (when `redisAnswers` is given) answer.
 *
 * @example
 * const readiness = readinessCheck(generator.settings, storage);
 * const { ready } = await readiness();
 */
export function readinessCheck(settings: Settings, storage: ImageStorage, redisAnswers?: () => Promise<boolean>, timeoutMs = 2000) {
  return async (): Promise<Readiness> => {
    const workers = {
      flux: settings.fluxWorkerUrl,
      sdxl: settings.sdxlWorkerUrl && settings.sdxlApiKey ? settings.sdxlWorkerUrl : undefined,
    };
    const checks = await Promise.all(
      Object.entries(workers).map(
        async ([model, url]) =>
          [
            model,
            url ? { configured: true, reachable: await reachable(url, timeoutMs) } : { configured: false, reachable: false },
          ] as const,
      ),
    );
    const configured = checks.filter(([, check]) => check.configured);
    const [redisReady, storageReady] = await Promise.all([redisAnswers?.(), storage.ready()]);
    const ready = configured.length > 0 && configured.every(([, check]) => check.reachable) && redisReady !== false && storageReady;
    return {
      ready,
      workers: Object.fromEntries(checks),
      ...(redisAnswers ? { redis: { reachable: redisReady } } : {}),
      storage: { kind: storage.kind, reachable: storageReady },
    };
  };
}
