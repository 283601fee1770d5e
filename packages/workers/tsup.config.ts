import { defineConfig } from 'tsup';

export default defineConfig([
  {
    // flux and sdxl are standalone Worker modules (no Node imports) that wrangler and miniflare load as they are.
    entry: { index: 'src/index.ts', flux: 'src/flux.ts', sdxl: 'src/sdxl.ts' },
    format: ['esm'],
    dts: true,
    sourcemap: true,
    // No `clean`: the two builds run at once and one would delete the other's files; the build
    // script empties dist first.
    target: 'es2022',
    splitting: false,
  },
  {
    // The generic worker checks inputs with the core's catalogue: bundled in, so the module
    // stands alone in workerd like the other two.
    entry: { 'imagegen-worker': 'src/imagegen-worker.ts' },
    format: ['esm'],
    dts: true,
    sourcemap: true,
    target: 'es2022',
    splitting: false,
    noExternal: ['@imagegen/core'],
    platform: 'browser',
  },
]);
