import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: { index: 'src/index.ts' },
    format: ['esm'],
    dts: true,
    sourcemap: true,
    // No `clean`: the two builds run at once and one would delete the other's files; the build
    // script empties dist first.
    target: 'es2022',
    splitting: false,
  },
  {
    // The three workers read answers and errors with the core's plumbing (and the generic one
    // checks inputs with its catalogue): bundled in, so that each module stands alone in workerd
    // as wrangler deploys it.
    entry: { flux: 'src/flux.ts', sdxl: 'src/sdxl.ts', 'imagegen-worker': 'src/imagegen-worker.ts' },
    format: ['esm'],
    dts: true,
    sourcemap: true,
    target: 'es2022',
    splitting: false,
    noExternal: ['@imagegen/core'],
    platform: 'browser',
  },
]);
