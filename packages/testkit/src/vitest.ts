// The vitest fixtures, apart from the main entry so that benches can import the testkit
// without vitest.
export { useScratchDir, useTestWorker } from './fixtures.js';
export type { ScratchDir, TestWorkerFixture } from './fixtures.js';
