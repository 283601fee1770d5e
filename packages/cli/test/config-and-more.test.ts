import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestWorker, type TestWorker } from '@imagegen/testkit';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli, startCli } from './support/run-cli.js';

const KEY = 'config-secret-key-0123456789-abcdef';
let worker: TestWorker;
let cwd: string;

beforeAll(async () => {
  worker = await startTestWorker({ apiKey: KEY });
});
afterAll(() => worker.close());
beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'imagegen-cli-'));
  return () => rm(cwd, { recursive: true, force: true });
});

describe('imagegen config', () => {
  it('shows each setting and its source, the key redacted, never whole', async () => {
    await writeFile(join(cwd, '.env'), `SDXL_API_KEY=${KEY}\nSDXL_WORKER_URL=${worker.sdxlUrl}\n`);
    const run = await runCli(['config', '--flux-url', worker.fluxUrl], { cwd, env: { IMAGEGEN_OUTPUT_DIR: 'images' } });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`FLUX_WORKER_URL\\s+${worker.fluxUrl}\\s+\\(flag\\)`));
    expect(run.stdout).toMatch(/SDXL_API_KEY\s+set \(35 characters\)\s+\(\.env\)/);
    expect(run.stdout).toMatch(/IMAGEGEN_OUTPUT_DIR\s+images\s+\(env\)/);
    expect(run.stdout + run.stderr).not.toContain(KEY);
    const json = await runCli(['config', '--json'], { cwd });
    expect((JSON.parse(json.stdout) as { settings: unknown[] }).settings).toContainEqual({
      name: 'SDXL_API_KEY',
      value: 'set (35 characters)',
      source: '.env',
    });
    expect(json.stdout + json.stderr).not.toContain(KEY);
  });

  it('a key shorter than 8 characters is refused, never shown', async () => {
    const run = await runCli(['config'], { cwd, env: { SDXL_API_KEY: 'short' } });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('SDXL_API_KEY is too short to be a key or token (5 characters; at least 8)');
    expect(run.stdout).toMatch(/SDXL_API_KEY\s+set \(5 characters\)/);
    expect(run.stdout + run.stderr).not.toMatch(/\bshort\b(?! to)/);
  });
});

describe('imagegen doctor', () => {
  it('checks both workers and says what to fix, never printing the key', async () => {
    const run = await runCli(['doctor'], {
      cwd,
      env: { FLUX_WORKER_URL: worker.fluxUrl, SDXL_WORKER_URL: worker.sdxlUrl, SDXL_API_KEY: `${KEY}x` },
    });
    expect(run.code).toBe(4);
    expect(run.stdout).toMatch(/✔ flux .* answered image\/png/);
    expect(run.stdout).toMatch(/✖ sdxl .*SDXL API key invalid or missing/);
    expect(run.stdout).toContain('fix: SDXL_API_KEY must equal');
    expect(run.stdout + run.stderr).not.toContain(KEY);
  });
});

describe('zero setup', () => {
  it('with no configuration at all, generate makes a valid image through the local workers', async () => {
    const run = await runCli(['generate', 'a red fox', '--model', 'sdxl', '--width', '320', '--height', '256'], { cwd });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('using the local preview workers (offline)');
    const path = run.stdout.trim();
    expect(path.startsWith(join(cwd, 'temp', 'images'))).toBe(true);
    expect(await sharp(await readFile(path)).metadata()).toMatchObject({ format: 'png', width: 320, height: 256 });
  });

  it('imagegen clean removes the temporary files of dead processes', async () => {
    const out = join(cwd, 'temp', 'images');
    await runCli(['generate', 'a red fox'], { cwd });
    await writeFile(join(out, '.imagegen-999999999-ab12-image_flux_00000000_1.jpg.part'), 'partial');
    const run = await runCli(['clean'], { cwd });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('removed 1 leftover temporary file');
    expect((await readdir(out)).some((name) => name.endsWith('.part'))).toBe(false);
  });

  it('a reader that stops early (imagegen serve --help | head) ends it quietly, exit 0, no stack trace', async () => {
    const cli = startCli(['serve', '--help']);
    // Closed before the child has written anything: its first write meets a closed pipe.
    cli.child.stdout!.destroy();
    const run = await cli.done;
    expect(run.code).toBe(0);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('--help lists the commands and the exit codes; --version prints the version', async () => {
    const help = await runCli(['--help'], { cwd });
    expect(help.code).toBe(0);
    for (const word of ['generate', 'batch', 'workers', 'config', 'doctor', 'Exit codes:', '130']) expect(help.stdout).toContain(word);
    const generateHelp = await runCli(['generate', '--help'], { cwd });
    expect(generateHelp.stdout).toContain('--fallback');
    expect((await runCli(['--version'], { cwd })).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    expect((await runCli(['frobnicate'], { cwd })).code).toBe(2);
  });
});
