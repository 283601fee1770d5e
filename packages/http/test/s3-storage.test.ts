import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createImageGenerator } from '@imagegen/core/node';
import { startSwift, startTestWorker, type TestS3, type TestWorker, TINY_PNG } from '@imagegen/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3ImageStorage, S3ResultCache } from '../src/index.js';
import { makeGateway } from './support/gateway.js';

// A real S3 server: OpenStack Swift with s3api, from Debian (.ci/run installs it). No mock.
let s3: TestS3;
let client: S3Client;
let worker: TestWorker;
let bucketCount = 0;
beforeAll(async () => {
  s3 = await startSwift();
  client = new S3Client({
    endpoint: s3.endpoint,
    region: s3.region,
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
  });
  worker = await startTestWorker();
}, 60_000);
afterAll(async () => {
  client?.destroy();
  await worker?.close();
  await s3?.stop();
});

async function newBucket(): Promise<string> {
  const bucket = `imagegen-test-${++bucketCount}`;
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  return bucket;
}

const keys = async (bucket: string): Promise<string[]> =>
  ((await client.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? []).map((object) => object.Key!);

describe('S3ImageStorage against Swift', () => {
  it('writes atomically, opens, presigns, expires, discards', async () => {
    const bucket = await newBucket();
    let now = Date.now();
    const storage = new S3ImageStorage({ bucket, prefix: 'img/', maxAgeMs: 60_000, presignSeconds: 60, client, now: () => now });
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(TINY_PNG.subarray(0, 10));
        controller.enqueue(TINY_PNG.subarray(10));
        controller.close();
      },
    });
    const name = await storage.store.write('image_flux_0a1b2c3d_1.png', stream);
    expect(name).toBe('image_flux_0a1b2c3d_1.png');
    expect(await keys(bucket)).toEqual(['img/image_flux_0a1b2c3d_1.png']);

    const opened = await storage.open(name);
    expect(opened).toMatchObject({ contentType: 'image/png', size: TINY_PNG.byteLength });
    expect(Buffer.from(await new Response(opened!.body).arrayBuffer())).toEqual(TINY_PNG);

    const signed = await storage.presignedUrl(name);
    expect(signed).toContain(s3.endpoint);
    const direct = await fetch(signed!);
    expect(direct.status).toBe(200);
    expect(Buffer.from(await direct.arrayBuffer())).toEqual(TINY_PNG);

    expect(await storage.open('image_flux_ffffffff_1.png')).toBeUndefined();
    expect(await storage.presignedUrl('image_flux_ffffffff_1.png')).toBeUndefined();
    expect(await storage.ready()).toBe(true);

    now += 120_000;
    expect(await storage.open(name)).toBeUndefined();
    expect(await storage.sweep()).toBe(1);
    expect(await keys(bucket)).toEqual([]);
  });

  it('an aborted write leaves nothing in the bucket', async () => {
    const bucket = await newBucket();
    const storage = new S3ImageStorage({ bucket, maxAgeMs: 60_000, client });
    const controller = new AbortController();
    const body = new ReadableStream<Uint8Array>({
      pull(stream) {
        stream.enqueue(TINY_PNG.subarray(0, 8));
        controller.abort(new Error('client went away'));
      },
    });
    await expect(storage.store.write('image_flux_0a1b2c3d_2.png', body, { signal: controller.signal })).rejects.toThrow();
    expect(await keys(bucket)).toEqual([]);
  });

  it('readiness fails for a bucket that does not exist', async () => {
    const storage = new S3ImageStorage({ bucket: 'imagegen-missing', maxAgeMs: 60_000, client });
    expect(await storage.ready()).toBe(false);
  });
});

describe('gateways sharing one bucket', () => {
  it('an image made through one gateway is served by another; a presigned redirect when configured', async () => {
    const bucket = await newBucket();
    const env = { ...s3.env, IMAGEGEN_S3_BUCKET: bucket };
    const first = await makeGateway(worker, { env });
    const second = await makeGateway(worker, { env: { ...env, IMAGEGEN_S3_PRESIGN_SECONDS: '120' } });
    try {
      const made = await first.post({ prompt: 'a shared image' });
      expect(made.status).toBe(200);
      const url = ((await made.json()) as { data: Array<{ url: string }> }).data[0]!.url;
      const path = new URL(url).pathname;
      const name = path.split('/').pop()!;
      expect(await keys(bucket)).toEqual([name]);

      const served = await first.app.request(path);
      expect(served.headers.get('content-type')).toBe('image/png');
      expect(Buffer.from(await served.arrayBuffer())).toEqual(TINY_PNG);

      const redirect = await second.app.request(path);
      expect(redirect.status).toBe(302);
      const fromBucket = await fetch(redirect.headers.get('location')!);
      expect(Buffer.from(await fromBucket.arrayBuffer())).toEqual(TINY_PNG);
      expect((await second.app.request('/v1/images/image_flux_ffffffff_1.png')).status).toBe(404);

      const ready = (await (await second.app.request('/readyz')).json()) as { storage: unknown };
      expect(ready.storage).toEqual({ kind: 's3', reachable: true });
    } finally {
      await first.dispose();
      await second.dispose();
    }
  });

  it('a failed request of n images leaves none of them in the bucket', async () => {
    const bucket = await newBucket();
    const gateway = await makeGateway(worker, { env: { ...s3.env, IMAGEGEN_S3_BUCKET: bucket }, concurrency: 1 });
    try {
      worker.script([{}, { status: 400, body: 'bad' }]);
      const response = await gateway.post({ prompt: 'two of them', n: 2 });
      expect(response.status).toBe(400);
      expect(await keys(bucket)).toEqual([]);
    } finally {
      worker.reset();
      await gateway.dispose();
    }
  });
});

describe('S3ResultCache against Swift', () => {
  it('keeps seeded images for every process of a deployment; a corrupt object is dropped, a missing one a miss', async () => {
    const bucket = await newBucket();
    const cache = new S3ResultCache({ bucket, client });
    const key = 'a'.repeat(64);
    expect(await cache.get(key)).toBeUndefined();
    await cache.put(key, TINY_PNG);
    expect(await keys(bucket)).toEqual([`imagegen-cache/${key}`]);
    // Another process's cache over the same bucket finds it.
    expect(Buffer.from((await new S3ResultCache({ bucket, client }).get(key))!.bytes)).toEqual(TINY_PNG);
    await client.send(
      new PutObjectCommand({ Bucket: bucket, Key: `imagegen-cache/${key}`, Body: Buffer.concat([Buffer.alloc(32), TINY_PNG]) }),
    );
    expect(await cache.get(key)).toBeUndefined();
    expect(await keys(bucket)).toEqual([]);
    // Two generators (two processes) sharing the bucket: the second seeded call costs no upstream call.
    const generators = [0, 1].map(() =>
      createImageGenerator({
        env: { FLUX_WORKER_URL: worker.fluxUrl, IMAGEGEN_OUTPUT_DIR: join(tmpdir(), 'imagegen-s3-cache'), IMAGEGEN_LOG_LEVEL: 'silent' },
        resultCache: new S3ResultCache({ bucket, client }),
      }),
    );
    const before = worker.requests.length;
    const first = await generators[0]!.generate('flux', 'a shared fox', { seed: 4 });
    const second = await generators[1]!.generate('flux', 'a shared fox', { seed: 4 });
    expect(first).toMatchObject({ ok: true });
    expect(second).toMatchObject({ ok: true, cached: true });
    expect(worker.requests.length - before).toBe(1);
    await Promise.all(generators.map((generator) => generator.close()));
  });
});
