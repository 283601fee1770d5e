import { createImageGenerator } from '@imagegen/core/node';
import { makePng, startTestWorker } from '@imagegen/testkit';
import { Agent, fetch } from 'undici';
import { writeFile, mkdir } from 'node:fs/promises';
const worker = await startTestWorker({ defaultReply: { body: makePng(16,16,[1,2,3],64*1024), contentType: 'image/png' }, logRequests: false });
const gen = createImageGenerator({ env: { FLUX_WORKER_URL: worker.fluxUrl, IMAGEGEN_OUTPUT_DIR: '/tmp/prof/out', IMAGEGEN_LOG_LEVEL: 'silent' } });
const agent = new Agent({ connections: 10 });
await mkdir('/tmp/prof/raw', {recursive: true});
const raw = async (i) => { const r = await fetch(worker.fluxUrl + '?prompt=x' + i, { dispatcher: agent }); await writeFile('/tmp/prof/raw/r' + i, Buffer.from(await r.arrayBuffer())); };
for (let i = 0; i < 100; i++) { await gen.generateWithFlux('warm'); await raw(i); }
const A = [], B = [];
for (let i = 0; i < 1000; i++) {
  let t = performance.now(); const r = await gen.generateWithFlux('x' + i); if (!r.ok) throw r.error; A.push(performance.now() - t);
  t = performance.now(); await raw(i); B.push(performance.now() - t);
}
const med = (x) => x.sort((a,b)=>a-b)[x.length>>1];
console.log('imagegen median', med(A).toFixed(3), 'raw median', med(B).toFixed(3), 'ratio', (med(A)/med(B)).toFixed(2));
await gen.close(); await worker.close(); await agent.close();
