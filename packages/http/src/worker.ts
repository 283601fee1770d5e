// `@imagegen/http/worker`: the gateway deployed as a Cloudflare Worker (wrangler/gateway.toml).
// The default export is the Worker; ImagegenState is its Durable Object class. Nothing here
// imports a Node module: it bundles for workerd as `@imagegen/http/app` does.
import { gatewayWorker } from './worker/gateway-worker.js';

export { ImagegenState, DurableState } from './worker/imagegen-state.js';
export type { DurableObjectNamespaceLike } from './worker/imagegen-state.js';
export { R2ImageStorage } from './storage/r2-image-storage.js';
export type { R2BucketLike } from './storage/r2-image-storage.js';
export type { GatewayWorkerEnv } from './worker/gateway-worker.js';
export { gatewayWorker };
export default gatewayWorker;
