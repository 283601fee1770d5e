import { connect, type Socket } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestWorker, type TestWorker } from '@imagegen/testkit';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningGateway, serve } from '../src/index.js';

let worker: TestWorker;
let gateway: RunningGateway;
let dir: string;
beforeAll(async () => {
  worker = await startTestWorker({ logRequests: false });
  dir = await mkdtemp(join(tmpdir(), 'imagegen-bounds-'));
  gateway = await serve({
    port: 0,
    keys: [],
    handleSignals: false,
    logger: pino({ level: 'silent' }),
    env: { FLUX_WORKER_URL: worker.fluxUrl, IMAGEGEN_OUTPUT_DIR: dir, IMAGEGEN_LOG_LEVEL: 'silent' },
  });
});
afterAll(async () => {
  await gateway.close();
  await worker.close();
  await rm(dir, { recursive: true, force: true });
});

describe('resource bounds', () => {
  it('1,000 idle connections do not stop the gateway from serving others', async () => {
    const { port } = new URL(gateway.url);
    const sockets: Socket[] = await Promise.all(
      Array.from(
        { length: 1000 },
        () =>
          new Promise<Socket>((resolve, reject) => {
            const socket = connect(Number(port), '127.0.0.1', () => resolve(socket));
            socket.on('error', reject);
          }),
      ),
    );
    try {
      // Half of them even start a request and never finish it.
      for (const socket of sockets.slice(0, 500))
        socket.write('POST /v1/images/generations HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"pro');
      const response = await fetch(`${gateway.url}/v1/images/generations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ prompt: 'still served', response_format: 'b64_json' }),
      });
      expect(response.status).toBe(200);
      expect(((await response.json()) as { data: unknown[] }).data).toHaveLength(1);
    } finally {
      for (const socket of sockets) socket.destroy();
    }
  });
});
