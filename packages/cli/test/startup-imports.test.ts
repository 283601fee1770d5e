import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BIN, cleanEnv } from './support/run-cli.js';

// What a command loads before it does anything, read from the module graph (not from time, which
// the machine decides): `--version` loads nothing but itself; no command loads what another needs.
const LOG = fileURLToPath(new URL('./support/import-log.mjs', import.meta.url));

function importsOf(args: string[]): string[] {
  const run = spawnSync(process.execPath, ['--import', LOG, BIN, ...args], { env: cleanEnv(), encoding: 'utf8', timeout: 60_000 });
  return run.stderr
    .split('\n')
    .filter((line) => line.startsWith('IMPORT '))
    .map((line) => line.slice('IMPORT '.length));
}
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

  // undici is loaded by the first transport made: commands that make no request never load it.
  it.each([
    [['--help'], [...HEAVY, 'undici']],
    [['models'], [...HEAVY, 'undici']],
    [['generate', 'a fox', '--flux-url', 'http://127.0.0.1:9/', '--retries', '0'], HEAVY],
  ])('imagegen %j loads none of what other commands need', (args, unwanted) => {
    const packages = new Set(importsOf(args).map(packageOf));
    expect(unwanted.filter((name) => packages.has(name))).toEqual([]);
    expect(packages.has('commander')).toBe(true);
  });

  it('sees a module loaded by require too: generate, which makes a request, loads undici', () => {
    const packages = new Set(importsOf(['generate', 'a fox', '--flux-url', 'http://127.0.0.1:9/', '--retries', '0']).map(packageOf));
    expect(packages.has('undici')).toBe(true);
  });
});
