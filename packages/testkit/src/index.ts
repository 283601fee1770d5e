export { startTestWorker } from './worker-server.js';
export type { LoggedRequest, Reply, Responder, TestWorker, TestWorkerOptions } from './worker-server.js';
export { makePng, TINY_GIF, TINY_JPEG, TINY_PNG, TINY_WEBP } from './images.js';
export { chaosImage, chaosResponder, DEFAULT_FAULT_WEIGHTS, seededRandom } from './chaos.js';
export type { ChaosOptions, Fault, FaultWeights } from './chaos.js';
export { startRedis } from './redis-server.js';
export type { TestRedis } from './redis-server.js';
