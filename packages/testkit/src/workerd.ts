import { build, type Metafile } from 'esbuild';

/**
 * A wrapped-binding module that stands in for `env.AI` inside workerd (miniflare's
 * `wrappedBindings`): `run(model, inputs)` goes to the `RENDER` service (a handler in Node, such
 * as `createLocalAi().fetch`), a multipart input as the request body itself with the model in
 * `x-workers-ai-model`; a failed answer throws its text, as the binding throws Workers AI's errors.
 */
export const AI_BINDING_SCRIPT = `
export default function (env) {
  return {
    async run(model, inputs) {
      // A multipart body is a stream: sent on as the request body itself, its bytes untouched.
      const response = inputs.multipart
        ? await env.RENDER.fetch('http://local-ai/run', { method: 'POST', headers: { 'content-type': inputs.multipart.contentType, 'x-workers-ai-model': model }, body: inputs.multipart.body })
        : await env.RENDER.fetch('http://local-ai/run', { method: 'POST', body: JSON.stringify({ model, inputs }) });
      if (!response.ok) throw new Error(await response.text());
      return (response.headers.get('content-type') ?? '').includes('json') ? response.json() : response.body;
    },
  };
}`;

/**
 * Bundles a Worker module for workerd as a deploy would: one ESM file, a browser-like platform (a
 * `node:*` import would not even resolve), the `workerd` export conditions; `cloudflare:*` stays
 * external. The metafile says which modules went in.
 *
 * @example
 * const { text } = await bundleForWorkerd(`export { default } from '@imagegen/http/worker';`, httpDir);
 * const mf = new Miniflare({ modules: true, script: text, compatibilityDate: '2025-01-01' });
 */
export async function bundleForWorkerd(contents: string, resolveDir: string): Promise<{ text: string; metafile: Metafile }> {
  const result = await build({
    stdin: { contents, resolveDir, loader: 'js' },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    conditions: ['workerd', 'worker', 'browser'],
    external: ['cloudflare:*'],
    metafile: true,
    logLevel: 'silent',
  });
  return { text: result.outputFiles[0]!.text, metafile: result.metafile };
}
