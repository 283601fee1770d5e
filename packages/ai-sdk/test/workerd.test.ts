import { fileURLToPath } from 'node:url';
import { catalogue } from '@imagegen/core';
import { AI_BINDING_SCRIPT, bundleForWorkerd } from '@imagegen/testkit';
import { createLocalAi } from '@imagegen/workers';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The provider inside workerd (miniflare), as a Worker bundles it: the package's `workerd`
// condition, `createImagegen({ ai: env.AI })`, the AI SDK's generateImage (6 and 7) from the
// registry, and a binding that renders previews in Node.
const dir = fileURLToPath(new URL('..', import.meta.url));
const workerOf = (ai: string) => `
import { generateImage } from '${ai}';
import { createImagegen } from '@imagegen/ai-sdk';
export default {
  async fetch(request, env) {
    const { model, ...rest } = await request.json();
    const imagegen = createImagegen({ ai: env.AI });
    try {
      const result = await generateImage({ model: imagegen.image(model), prompt: 'a fox', ...rest });
      return Response.json({
        images: result.images.map((image) => ({ mediaType: image.mediaType, bytes: image.uint8Array.byteLength })),
        imagegen: result.providerMetadata.imagegen.images,
        warnings: result.warnings,
      });
    } catch (error) {
      return Response.json({ name: error.name, message: error.message, isRetryable: error.isRetryable }, { status: 500 });
    }
  },
};`;

let mf: Miniflare;
const bundles: Record<string, Awaited<ReturnType<typeof bundleForWorkerd>>['metafile']> = {};
type WorkerHandle = { fetch(input: string, init?: RequestInit): Promise<Response> };
const call = async (worker: string, body: Record<string, unknown>) => {
  const handle = (await mf.getWorker(worker)) as unknown as WorkerHandle;
  const response = await handle.fetch('http://worker/', { method: 'POST', body: JSON.stringify(body) });
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown> & {
      images: Array<{ mediaType: string; bytes: number }>;
      imagegen: Array<Record<string, unknown>>;
    },
  };
};

beforeAll(async () => {
  const localAi = createLocalAi();
  const workers = [];
  for (const ai of ['ai-v6', 'ai-v7']) {
    const { text, metafile } = await bundleForWorkerd(workerOf(ai), dir);
    bundles[ai] = metafile;
    workers.push({
      name: ai,
      modules: true,
      script: text,
      compatibilityDate: '2025-01-01',
      wrappedBindings: { AI: { scriptName: 'local-ai' } },
    });
  }
  mf = new Miniflare({
    workers: [
      ...workers,
      {
        name: 'local-ai',
        modules: true,
        script: AI_BINDING_SCRIPT,
        serviceBindings: { RENDER: async (request: unknown) => (await localAi.fetch(request as Request)) as never },
      },
    ],
  });
  await mf.ready;
}, 120_000);
afterAll(() => mf?.dispose());

describe.each(['ai-v6', 'ai-v7'])('generateImage (%s) in a Worker over env.AI', (ai) => {
  it('bundles the portable entry: no Node module of imagegen', () => {
    const inputs = Object.keys(bundles[ai]!.inputs);
    // Bundled from this package's directory, its own files are `dist/...`.
    expect(inputs).toContain('dist/portable.js');
    expect(inputs.filter((path) => /core\/dist\/node|^dist\/index\.js|^node:/.test(path))).toEqual([]);
  });

  it.each(catalogue.filter((model) => !model.imageInput?.required).map((model) => [model.alias] as const))(
    '%s makes an image by the binding',
    async (alias) => {
      const { status, body } = await call(ai, { model: alias });
      expect(status).toBe(200);
      expect(body.images).toHaveLength(1);
      expect(body.images[0]!.bytes).toBeGreaterThan(100);
      expect(body.imagegen[0]).toMatchObject({ route: 'binding', model: alias });
    },
  );

  it('flux-2-dev with n: 2, a seed and providerOptions.imagegen.steps', async () => {
    const { status, body } = await call(ai, { model: 'flux-2-dev', n: 2, seed: 11, providerOptions: { imagegen: { steps: 8 } } });
    expect(status).toBe(200);
    expect(body.imagegen.map((image) => image.seed)).toEqual([11, 12]);
  });

  it('an input out of range is an APICallError, not retryable', async () => {
    const { status, body } = await call(ai, { model: 'flux-2-dev', providerOptions: { imagegen: { steps: 500 } } });
    expect([status, body.name, body.isRetryable]).toEqual([500, 'AI_APICallError', false]);
  });
});
