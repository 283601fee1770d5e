import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { catalogue } from '@imagegen/core';
import { startLocalWorkers, type LocalWorkers } from '@imagegen/workers';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './support/run-cli.js';

const TOKEN = 'cf-cli-token-SECRET-0123456789abcdef';
let workers: LocalWorkers;
let cwd: string;

beforeAll(async () => {
  workers = await startLocalWorkers();
});
afterAll(() => workers.close());
beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'imagegen-cli-catalogue-'));
  return () => rm(cwd, { recursive: true, force: true });
});

const restEnv = () => ({ CLOUDFLARE_ACCOUNT_ID: 'acc', CLOUDFLARE_API_TOKEN: TOKEN, CLOUDFLARE_API_BASE_URL: workers.restBaseUrl });

describe('the catalogue from the CLI', () => {
  it('generate --model lucid-origin works offline: the local route, a JPEG at its default size, the seed printed', async () => {
    const run = await runCli(['generate', 'a red fox', '--model', 'lucid-origin'], { cwd });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/✔ lucid-origin via local · seed \d+/);
    expect(await sharp(await readFile(run.stdout.trim())).metadata()).toMatchObject({ format: 'jpeg', width: 1120, height: 1120 });
  });

  it.each(catalogue.map((model) => [model.alias, model] as const))(
    '%s by the REST route against the local workers: a decoded image of its format and size',
    async (_alias, model) => {
      const sized = model.inputs.some((input) => input.name === 'width');
      // A model that draws a few sizes gets one of them; the others any size in range.
      const [width, height] = model.sizes?.[1]?.split('x') ?? ['288', '256'];
      const image = join(cwd, 'start.png');
      await writeFile(
        image,
        await sharp({ create: { width: 64, height: 64, channels: 3, background: 'blue' } })
          .png()
          .toBuffer(),
      );
      const start = model.imageInput?.required ? ['--image', image] : [];
      const run = await runCli(
        ['generate', 'a red fox', '--model', model.alias, '--json', ...start, ...(sized ? ['--width', width!, '--height', height!] : [])],
        {
          cwd,
          env: restEnv(),
        },
      );
      expect(run.code).toBe(0);
      const result = JSON.parse(run.stdout) as { route: string; path: string };
      expect(result.route).toBe('rest');
      const meta = await sharp(await readFile(result.path)).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual([
        model.answer.format,
        sized ? Number(width) : model.defaultSize.width,
        sized ? Number(height) : model.defaultSize.height,
      ]);
    },
  );

  it('with CLOUDFLARE_* set it takes the REST route and says so; the token is never printed', async () => {
    const run = await runCli(
      ['generate', 'a red fox', '--model', '@cf/black-forest-labs/flux-2-klein-4b', '--width', '320', '--height', '256', '--json'],
      {
        cwd,
        env: restEnv(),
      },
    );
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(result).toMatchObject({ ok: true, model: 'flux-2-klein-4b', route: 'rest', contentType: 'image/png' });
    expect(run.stderr).toContain('via rest');
    expect(run.stderr).toContain(`using the Workers AI REST API (${workers.restBaseUrl})`);
    expect(run.stderr).not.toContain('local preview');
    expect(await sharp(await readFile(result.path as string)).metadata()).toMatchObject({ format: 'png', width: 320, height: 256 });
    expect(run.stdout + run.stderr).not.toContain(TOKEN);
  });

  it("a value out of the model's range is refused with the model's range, exit 2, before any request", async () => {
    const run = await runCli(['generate', 'a cat', '--model', 'sdxl', '--width', '5000'], { cwd, env: restEnv() });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('width must be an integer from 256 to 2048 for sdxl');
    const unknown = await runCli(['generate', 'a cat', '--model', 'lucid-origin', '--negative-prompt', 'blur'], { cwd, env: restEnv() });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(
      'lucid-origin does not take --negative-prompt (it takes --width, --height, --steps, --guidance, --seed)',
    );
    expect(unknown.stderr).not.toContain('negativePrompt');
    const bad = await runCli(['generate', 'a cat', '--model', 'midjourney'], { cwd });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown model');
  });

  it('models lists every model with its inputs, ranges, output and the route it takes now (--json too)', async () => {
    const text = await runCli(['models'], { cwd });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/phoenix\s+@cf\/leonardo\/phoenix-1\.0/);
    expect(text.stdout).toMatch(/--guidance\s+a number from 2 to 10, default 2/);
    expect(text.stdout).toContain('route now: local');
    const json = await runCli(['models', '--json'], { cwd, env: restEnv() });
    const listed = JSON.parse(json.stdout) as {
      checked: string;
      models: Array<{ alias: string; route: string; send: string; output: { format: string } }>;
    };
    expect(listed.models.map((model) => model.alias)).toEqual([
      'flux',
      'flux-2-dev',
      'flux-2-klein-4b',
      'flux-2-klein-9b',
      'sdxl',
      'sdxl-lightning',
      'dreamshaper-8-lcm',
      'sd15-img2img',
      'sd15-inpainting',
      'phoenix',
      'lucid-origin',
      'gpt-image-2',
      'gpt-image-1.5',
      'imagen-4',
      'flux-2-pro-preview',
    ]);
    expect(listed.models.find((model) => model.alias === 'gpt-image-2')).toMatchObject({
      send: 'model-input',
      output: { encoding: 'url' },
    });
    expect(new Set(listed.models.map((model) => model.route))).toEqual(new Set(['rest']));
    expect(listed.models.find((model) => model.alias === 'flux-2-dev')).toMatchObject({ send: 'multipart', output: { format: 'png' } });
  });

  it('config shows the REST and AI Gateway settings, the token redacted', async () => {
    const run = await runCli(['config'], { cwd, env: { ...restEnv(), CLOUDFLARE_AI_GATEWAY: 'my-gw' } });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/CLOUDFLARE_API_TOKEN\s+set \(36 characters\)\s+\(env\)/);
    expect(run.stdout).toMatch(/CLOUDFLARE_AI_GATEWAY\s+my-gw/);
    expect(run.stdout).toMatch(/routes, in order\s+Workers AI through AI Gateway my-gw/);
    expect(run.stdout + run.stderr).not.toContain(TOKEN);
  });

  it('batch takes any alias per JSON line, with its inputs, through the REST route', async () => {
    const file = join(cwd, 'prompts.jsonl');
    await writeFile(
      file,
      [
        JSON.stringify({ prompt: 'a fox', model: 'phoenix', steps: 10, guidance: 3, negative_prompt: 'blur', width: 256, height: 256 }),
        JSON.stringify({ prompt: 'a whale', model: 'dreamshaper-8-lcm', width: 256, height: 320 }),
        JSON.stringify({ prompt: 'a crab', model: 'lucid-origin', guidance: 99 }),
      ].join('\n'),
    );
    const run = await runCli(['batch', file, '--json', '--out', join(cwd, 'out')], { cwd, env: restEnv() });
    expect(run.code).toBe(1);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const byLine: Record<string, Record<string, unknown>> = Object.fromEntries(lines.map((line) => [String(line.line), line]));
    expect(byLine[1]).toMatchObject({ ok: true, model: 'phoenix', route: 'rest', contentType: 'image/jpeg' });
    expect(byLine[2]).toMatchObject({ ok: true, model: 'dreamshaper-8-lcm', contentType: 'image/png' });
    expect(byLine[3]).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(JSON.stringify(byLine[3])).toContain('guidance must be a number from 0 to 10 for lucid-origin');
  });
});

describe('imagegen doctor with the Workers AI REST API', () => {
  it('checks the token and the account, then makes one small image by the REST route', async () => {
    const guarded = await startLocalWorkers({ apiToken: TOKEN });
    try {
      const env = { CLOUDFLARE_ACCOUNT_ID: 'acc', CLOUDFLARE_API_TOKEN: TOKEN, CLOUDFLARE_API_BASE_URL: guarded.restBaseUrl };
      const run = await runCli(['doctor'], { cwd, env });
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('✔ account token valid, account acc reachable');
      expect(run.stdout).toMatch(/✔ sdxl-lightning by rest answered image\/png/);
      const wrong = await runCli(['doctor', '--json'], { cwd, env: { ...env, CLOUDFLARE_API_TOKEN: 'not-the-token-0123456789' } });
      expect(wrong.code).toBe(4);
      const report = JSON.parse(wrong.stdout) as { checks: Array<{ model: string; ok: boolean; error?: { message: string } }> };
      expect(report.checks.find((check) => check.model === 'account')).toMatchObject({ ok: false });
      expect(report.checks.find((check) => check.model === 'account')?.error?.message).toContain('CLOUDFLARE_API_TOKEN was refused');
      expect(wrong.stdout + wrong.stderr).not.toContain('not-the-token-0123456789');
    } finally {
      await guarded.close();
    }
  });
});

describe('batch with input images', () => {
  it('a JSON line may name an image (and strength); an image that cannot be read fails its line only', async () => {
    const start = join(cwd, 'start.png');
    await writeFile(
      start,
      await sharp({ create: { width: 64, height: 64, channels: 3, background: 'green' } })
        .png()
        .toBuffer(),
    );
    const file = join(cwd, 'edits.jsonl');
    await writeFile(
      file,
      [
        JSON.stringify({ prompt: 'a frog', model: 'sd15-img2img', image: start, strength: 0.3, width: 256, height: 256, seed: 3 }),
        JSON.stringify({ prompt: 'a toad', model: 'sd15-img2img', image: join(cwd, 'missing.png') }),
      ].join('\n'),
    );
    const run = await runCli(['batch', file, '--json', '--out', join(cwd, 'out')], { cwd });
    expect(run.code).toBe(1);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { line: number; ok: boolean; path?: string; error?: { code: string; message: string } });
    const [first, second] = [lines.find((line) => line.line === 1)!, lines.find((line) => line.line === 2)!];
    expect(first).toMatchObject({ ok: true });
    const [r, g, b] = (await sharp(await readFile(first.path!)).stats()).channels.map((channel) => channel.mean);
    expect(g! - Math.max(r!, b!)).toBeGreaterThan(20);
    expect(second).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(second.error!.message).toContain('missing.png does not exist');
  });
});
