import { routeRegistry, type Settings } from '@imagegen/core';
import type { ImageStorage } from '../storage/image-storage.js';

/** What `GET /readyz` answers: 200 when `ready`, else 503, with the checks as they came out and, when not ready, why. */
export type Readiness = { ready: boolean; reason?: string } & Record<string, unknown>;

/** One route's readiness as `/readyz` shows it. */
interface RouteCheck {
  ready: boolean;
  url?: string;
  reason?: string;
}

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
 * The readiness of a gateway, asked of the route registry: ready when at least one route is
 * configured, every configured route can serve (its worker or preview answers, its key is set),
 * and the image storage and Redis (when `redisAnswers` is given) answer. Routes without a URL to
 * check (the REST API, AI Gateway) are ready when configured: imagegen spends no call on Cloudflare
 * to answer a probe.
 *
 * @example
 * const readiness = readinessCheck(generator.settings, storage);
 * const { ready } = await readiness();
 */
export function readinessCheck(settings: Settings, storage: ImageStorage, redisAnswers?: () => Promise<boolean>, timeoutMs = 2000) {
  return async (): Promise<Readiness> => {
    const configured = routeRegistry.configured(settings);
    const routes = await Promise.all(
      configured.map(async (route): Promise<[string, RouteCheck]> => {
        const { url, problem } = route.readiness(settings);
        if (problem) return [route.name, { ready: false, ...(url ? { url } : {}), reason: problem }];
        if (!url) return [route.name, { ready: true }];
        const up = await reachable(url, timeoutMs);
        return [route.name, { ready: up, url, ...(up ? {} : { reason: `${route.label} does not answer at ${url}` }) }];
      }),
    );
    const [redisReady, storageReady] = await Promise.all([redisAnswers?.(), storage.ready()]);
    const reasons = [
      ...(configured.length === 0 ? ['no route is configured: set a worker URL or a Workers AI account (imagegen config)'] : []),
      ...routes.flatMap(([, check]) => (check.reason ? [check.reason] : [])),
      ...(redisReady === false ? ['Redis does not answer'] : []),
      ...(storageReady ? [] : [`the ${storage.kind} image storage does not answer`]),
    ];
    return {
      ready: reasons.length === 0,
      ...(reasons.length === 0 ? {} : { reason: reasons.join('; ') }),
      routes: Object.fromEntries(routes),
      ...(redisAnswers ? { redis: { reachable: redisReady } } : {}),
      storage: { kind: storage.kind, reachable: storageReady },
    };
  };
}
