import { workersAiBindingRoute } from './workers-ai-binding.js';
import type { Settings } from '../settings.js';
import { aiGatewayRoute } from './ai-gateway.js';
import { fluxWorkerRoute } from './flux-worker.js';
import { imagegenWorkerRoute } from './imagegen-worker.js';
import { localPreviewRoute } from './local-preview.js';
import { restApiRoute } from './rest-api.js';
import type { ImageRoute, RouteSetting } from './route.js';
import { sdxlWorkerRoute } from './sdxl-worker.js';

/**
 * The routes in the order a call tries them: the first configured one that serves the call
 * takes it. Settings, secrets, `imagegen config`, `doctor`, `models`, `/readyz` and the gateway
 * all read this list, so a route added here is everywhere at once.
 *
 * @example
 * const remove = routeRegistry.add(myRoute, { before: 'local' });
 * routeRegistry.configured(settings).map((route) => route.name); // ['rest', 'my-proxy']
 * remove();
 */
export class RouteRegistry {
  private routes: ImageRoute[];

  constructor(routes: readonly ImageRoute[]) {
    this.routes = [...routes];
  }

  /** Every route, in precedence order. */
  list(): readonly ImageRoute[] {
    return this.routes;
  }

  /** The route of this name, or undefined. */
  get(name: string): ImageRoute | undefined {
    return this.routes.find((route) => route.name === name);
  }

  /**
   * Adds a route, before the route named `before` (default: before the local preview, which
   * stays the last resort). Returns a function that removes it again.
   */
  add(route: ImageRoute, options: { before?: string } = {}): () => void {
    if (this.get(route.name)) throw new TypeError(`a route named '${route.name}' is already registered`);
    const at = this.routes.findIndex((existing) => existing.name === (options.before ?? localPreviewRoute.name));
    this.routes.splice(at === -1 ? this.routes.length : at, 0, route);
    return () => {
      this.routes = this.routes.filter((existing) => existing !== route);
    };
  }

  /** The routes these settings configure, in precedence order. */
  configured(settings: Settings): ImageRoute[] {
    return this.routes.filter((route) => route.configured(settings));
  }

  /** Every setting of every route, in the list's order. */
  settings(): RouteSetting[] {
    return this.routes.flatMap((route) => route.settings);
  }

  /**
   * How people read a route with these settings: its own description, else its label and the URL
   * it reaches (`the Flux worker (https://flux.example.workers.dev/)`).
   */
  describe(route: ImageRoute, settings: Settings): string {
    if (route.describe) return route.describe(settings);
    const { url } = route.readiness(settings);
    return url ? `${route.label} (${url})` : route.label;
  }

  /** The values of the secret settings present in `settings`: what redaction removes from every text. */
  secrets(settings: Settings): string[] {
    return this.settings().flatMap((setting) => {
      const value = setting.secret ? settings.values[setting.name] : undefined;
      return value ? [value] : [];
    });
  }
}

/** The routes imagegen has, in precedence order: each original worker for its model, your imagegen worker, AI Gateway, the REST API, the local preview. */
export const routeRegistry = new RouteRegistry([
  workersAiBindingRoute,
  fluxWorkerRoute,
  sdxlWorkerRoute,
  imagegenWorkerRoute,
  aiGatewayRoute,
  restApiRoute,
  localPreviewRoute,
]);
