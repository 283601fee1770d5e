import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BIN, cleanEnv } from './support/run-cli.js';

// What a command loads before it does anything, read from the module graph (not from time, which
// the machine decides): `--version` loads nothing but itself; no command loads what another needs.
const LOG = fileURLToPath(new URL('./support/import-log.mjs', import.meta.url));

function loaded(args: string[], input = ''): string[] {
  return spawnSync(process.execPath, ['--import', LOG, BIN, ...args], {
    env: cleanEnv(),
    encoding: 'utf8',
    timeout: 60_000,
    input,
  }).stderr.split('\n');
}
const importsOf = (args: string[], input?: string): string[] =>
  loaded(args, input)
    .filter((line) => line.startsWith('IMPORT '))
    .map((line) => line.slice('IMPORT '.length));
const packageOf = (url: string): string => /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1] ?? url;

// What only some commands need: the gateway and its queue, S3, metrics, images, the account check, batches.
const HEAVY = [
  'hono',
  '@hono/node-server',
  'bullmq',
  'ioredis',
  '@aws-sdk/client-s3',
  'prom-client',
  'sharp',
  'ky',
  'p-queue',
  'cli-progress',
  '@modelcontextprotocol/server',
];

describe('start-up imports', () => {
  it('imagegen --version loads no module but its own entry', () => {
    const loaded = importsOf(['--version']);
    expect(loaded.filter((url) => !url.endsWith('/dist/bin.js'))).toEqual([]);
  });

  // undici is loaded by the first undici transport made: commands that make no request never load
  // it, and `generate`, one request, goes through Node's own http client (undici's WebAssembly
  // parser costs a one-image run 0.3-0.4 s).
  const GENERATE = ['generate', 'a fox', '--flux-url', 'http://127.0.0.1:9/', '--retries', '0'];
  it.each([
    [['--help'], [...HEAVY, 'undici']],
    [['models'], [...HEAVY, 'undici']],
    [GENERATE, [...HEAVY, 'undici']],
  ])('imagegen %j loads none of what other commands need', (args, unwanted) => {
    const packages = new Set(importsOf(args).map(packageOf));
    expect(unwanted.filter((name) => packages.has(name))).toEqual([]);
    expect(packages.has('commander')).toBe(true);
  });

  it('sees a module loaded by require too: batch, which makes its requests with undici, loads it', () => {
    const packages = new Set(importsOf(['batch', '-', '--flux-url', 'http://127.0.0.1:9/', '--retries', '0'], 'a fox\n').map(packageOf));
    expect(packages.has('undici')).toBe(true);
  });

  // Node's bundled fetch is loaded by the first touch of FormData, Headers, Response or fetch (30-80 ms).
  it("generate's request does not load Node's bundled fetch; the offline preview's Response does", () => {
    const builtins = (args: string[]) => loaded(args).filter((line) => line.startsWith('BUILTIN '));
    expect(builtins(GENERATE)).not.toContain('BUILTIN internal/deps/undici/undici');
    // The offline preview answers with the platform's Response: there, the bundled fetch is seen.
    const out = mkdtempSync(join(tmpdir(), 'imagegen-imports-'));
    try {
      expect(builtins(['generate', 'a fox', '--out', out])).toContain('BUILTIN internal/deps/undici/undici');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
