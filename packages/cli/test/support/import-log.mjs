import { createRequire, register } from 'node:module';

// ES modules as they are resolved (the hooks); CommonJS ones (undici, loaded by require) from the
// shared require cache as the process exits.
register(new URL('./import-log-hooks.mjs', import.meta.url));
const { cache } = createRequire(import.meta.url);
process.on('exit', () => {
  for (const file of Object.keys(cache)) process.stderr.write(`IMPORT file://${file}\n`);
  // Node's own modules loaded on demand, such as the fetch it bundles (internal/deps/undici/undici).
  for (const entry of process.moduleLoadList) if (entry.startsWith('NativeModule ')) process.stderr.write(`BUILTIN ${entry.slice(13)}\n`);
});
