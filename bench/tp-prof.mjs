import { createImageGenerator } from '@imagegen/core/node';
import { makePng, startTestWorker } from '@imagegen/testkit';
const worker = await startTestWorker({ defaultReply: { body: makePng(16,16,[1,2,3],64*1024), contentType: 'image/png' }, logRequests: false });
const gen = createImageGenerator({ env: { FLUX_WORKER_URL: worker.fluxUrl, IMAGEGEN_OUTPUT_DIR: '/tmp/prof/tp', IMAGEGEN_LOG_LEVEL: 'silent' } });
let next = 0; const t = performance.now();
await Promise.all(Array.from({length: 10}, async () => { while (next < 4000) { next++; const r = await gen.generateWithFlux('x'); if (!r.ok) throw r.error; } }));
console.log('rate', (4000 / (performance.now() - t) * 1000).toFixed(0));
await gen.close(); await worker.close();
