import type { Settings } from '@imagegen/core';
import type { Context } from 'hono';
import type { Redis } from 'ioredis';
import { redisAnswers } from '../redis-reachable.js';
import type { ImageStorage } from '../storage/image-storage.js';

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
 * `GET /readyz`: 200 when at least one worker is configured, every configured one answers, and
 * Redis (when configured) and the image storage answer.
 */
export function readinessHandler(settings: Settings, redis: Redis | undefined, storage: ImageStorage, timeoutMs = 2000) {
  return async (context: Context) => {
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
    const [redisReady, storageReady] = await Promise.all([redis ? redisAnswers(redis, timeoutMs) : undefined, storage.ready()]);
    const ready = configured.length > 0 && configured.every(([, check]) => check.reachable) && redisReady !== false && storageReady;
    return context.json(
      {
        ready,
        workers: Object.fromEntries(checks),
        ...(redis ? { redis: { reachable: redisReady } } : {}),
        storage: { kind: storage.kind, reachable: storageReady },
      },
      ready ? 200 : 503,
    );
  };
}
