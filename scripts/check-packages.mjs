#!/usr/bin/env node
// `pnpm check:packages`: the five published packages as a user gets them. publint and
// are-the-types-wrong on each, then the packed tarballs installed with plain npm into a fresh
// project outside the workspace, and used there: ESM imports, strict type checks (NodeNext and
// Bundler), the imagegen bin, and the gateway answering one request.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commandBlocks } from './readme-blocks.mjs';

const root = new URL('..', import.meta.url).pathname;
const packages = ['core', 'workers', 'http', 'cli', 'ai-sdk'];
const bin = (name) => join(root, 'node_modules', '.bin', name);
const run = (command, args, options = {}) => {
  process.stderr.write(`$ ${command} ${args.join(' ')}\n`);
  return execFileSync(command, args, { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', ...options });
};

for (const name of packages) {
  const dir = join(root, 'packages', name);
  run(bin('publint'), ['--strict', dir], { stdio: 'inherit' });
  // ESM only by design: the CommonJS resolution modes are not targets.
  run(bin('attw'), ['--pack', dir, '--profile', 'esm-only'], { stdio: 'inherit' });
}

const work = mkdtempSync(join(tmpdir(), 'imagegen-consumer-'));
try {
  const tarballs = join(work, 'tarballs');
  for (const name of packages) run('pnpm', ['pack', '--pack-destination', tarballs], { cwd: join(root, 'packages', name) });
  const app = join(work, 'app');
  run('mkdir', ['-p', app]);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'imagegen-consumer', private: true, type: 'module' }, null, 2));
  const files = readdirSync(tarballs).map((file) => join(tarballs, file));
  // The AI SDK from the registry, as a user of @imagegen/ai-sdk has it.
  run('npm', ['install', '--no-audit', '--no-fund', ...files, 'typescript@5.9.3', '@types/node@20.19.43', 'ai@6.0.326'], {
    cwd: app,
    stdio: 'inherit',
  });

  writeFileSync(
    join(app, 'esm.mjs'),
    `import { ImageGenerator, ImageGenerationError, loadSettings, MemoryStore } from '@imagegen/core';
import { createImageGenerator } from '@imagegen/core/node';
const generator = new ImageGenerator({ settings: loadSettings({}), fetch: globalThis.fetch, store: new MemoryStore() });
const result = await generator.generateWithFlux('a cat');
if (result.ok || result.error.code !== 'not_configured' || !(result.error instanceof ImageGenerationError)) throw new Error('unexpected result');
await generator.close();
await createImageGenerator({ env: {} }).close();
console.log('esm imports ok');
`,
  );
  run('node', ['esm.mjs'], { cwd: app, stdio: 'inherit' });

  writeFileSync(
    join(app, 'use.ts'),
    `import { ImageGenerator, type GenerationResult, type ImageGenerationError, loadSettings, MemoryStore } from '@imagegen/core';
import { createImageGenerator } from '@imagegen/core/node';
import { createApp, serve, type GatewayOptions } from '@imagegen/http';
import { startLocalWorkers, fluxWorker, type LocalWorkers } from '@imagegen/workers';
import { createImagegen, type ImagegenProvider } from '@imagegen/ai-sdk';
import { createImagegenMcpServer } from '@imagegen/http/mcp';
import { generateImage } from 'ai';

const generator: ImageGenerator = createImageGenerator({ retry: { on429: true } });
const result: GenerationResult = await generator.generateWithSdxl('a lighthouse', { width: 512, height: 512 });
const code: ImageGenerationError['code'] | undefined = result.ok ? undefined : result.error.code;
const options: GatewayOptions = { generator, keys: ['a-key-of-24-characters'] };
const app = createApp(options);
const response: Response = await app.request('/healthz');
const workers: LocalWorkers = await startLocalWorkers({ port: 0 });
const answer: Response = await fluxWorker.fetch(new Request('http://x/?prompt=a'), { AI: { run: async () => ({ image: '' }) } });
const imagegen: ImagegenProvider = createImagegen({ env: {} });
const { image } = await generateImage({ model: imagegen.image('flux-2-dev'), prompt: 'a fox', providerOptions: { imagegen: { steps: 4 } } });
void [code, response, workers, answer, serve, image.uint8Array, createImagegenMcpServer, new ImageGenerator({ settings: loadSettings({}), fetch, store: new MemoryStore() })];
`,
  );
  for (const resolution of ['NodeNext', 'Bundler']) {
    const module = resolution === 'NodeNext' ? 'NodeNext' : 'ESNext';
    writeFileSync(
      join(app, `tsconfig.${resolution}.json`),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          target: 'ES2022',
          module,
          moduleResolution: resolution,
          lib: ['ES2023', 'DOM'],
          types: ['node'],
          skipLibCheck: false,
        },
        files: ['use.ts'],
      }),
    );
    run(join(app, 'node_modules', '.bin', 'tsc'), ['-p', `tsconfig.${resolution}.json`], { cwd: app, stdio: 'inherit' });
    process.stderr.write(`types ok with moduleResolution ${resolution}\n`);
  }

  const help = run('npx', ['imagegen', '--help'], { cwd: app });
  if (!help.includes('Exit codes:')) throw new Error('imagegen --help printed no exit codes');
  const generated = JSON.parse(
    run('npx', ['imagegen', 'generate', 'a red fox', '--json'], {
      cwd: app,
      env: { ...process.env, FLUX_WORKER_URL: '', SDXL_WORKER_URL: '', SDXL_API_KEY: '' },
    }),
  );
  if (!generated.ok) throw new Error(`imagegen generate failed: ${JSON.stringify(generated)}`);
  process.stderr.write(`imagegen generate ok: ${generated.path}\n`);

  writeFileSync(
    join(app, 'gateway.mjs'),
    `import { Hono } from 'hono';
import { createApp } from '@imagegen/http';
const gateway = createApp({ keys: [], env: {} });
const host = new Hono();
host.route('/images', gateway);
const response = await host.request('/images/v1/models');
const body = await response.json();
if (response.status !== 200 || !body.data.some((model) => model.id === 'flux')) throw new Error('gateway did not answer');
await gateway.close();
console.log('gateway mounted and answered', response.status);
`,
  );
  run('node', ['gateway.mjs'], { cwd: app, stdio: 'inherit' });

  // The README's code blocks, as a user runs them in this project: each marked `run` must succeed
  // (a broken example fails the check), each other one says why it is not run here.
  const blocks = commandBlocks(readFileSync(join(root, 'README.md'), 'utf8'));
  run('npm', ['install', '--no-audit', '--no-fund', 'sharp@0.35.5'], { cwd: app, stdio: 'inherit' });
  // The reference images the FLUX.2 example names: a user has their own.
  writeFileSync(
    join(app, 'images.mjs'),
    `import sharp from 'sharp';
await sharp({ create: { width: 640, height: 480, channels: 3, background: 'orange' } }).jpeg().toFile('cat.jpg');
await sharp({ create: { width: 300, height: 200, channels: 3, background: 'teal' } }).png().toFile('sofa.png');
`,
  );
  run('node', ['images.mjs'], { cwd: app, stdio: 'inherit' });
  // A user's shell: the installed bin on PATH, none of this machine's imagegen settings.
  const env = { ...process.env, PATH: `${join(app, 'node_modules', '.bin')}:${process.env.PATH}` };
  for (const name of Object.keys(env)) if (/^(FLUX_|SDXL_|IMAGEGEN_|CLOUDFLARE_)/.test(name)) delete env[name];
  for (const block of blocks) {
    if (block.mark.kind === 'skip') {
      process.stderr.write(`README.md:${block.line}: not run here: ${block.mark.arg}\n`);
      continue;
    }
    process.stderr.write(`README.md:${block.line}: running\n`);
    if (block.lang === 'sh' || block.lang === 'bash') {
      run('bash', ['-euo', 'pipefail', '-c', block.code], { cwd: app, env, stdio: 'inherit' });
    } else {
      const file = block.mark.arg.split(/\s+/)[0];
      if (!/\.m?js$/.test(file ?? '')) throw new Error(`README.md:${block.line}: a program block must name its .mjs file`);
      writeFileSync(join(app, file), block.code);
      run('node', [file], { cwd: app, env, stdio: 'inherit' });
    }
  }
  process.stdout.write('check:packages ok\n');
} finally {
  rmSync(work, { recursive: true, force: true });
}
