import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makePng, startTestWorker, TINY_PNG } from '@imagegen/testkit';
import { useTestWorker } from '@imagegen/testkit/vitest';
import { describe, expect, it, vi } from 'vitest';
import { runCli, startCli } from './support/run-cli.js';

const KEY = 'cli-secret-key-0123456789-abcdef';
const fixture = useTestWorker({ apiKey: KEY, prefix: 'imagegen-cli-' });
const env = () => fixture.env();

const files = async () => (await readdir(fixture.out).catch(() => [])).sort();

describe('imagegen generate', () => {
  it.each(['flux', 'sdxl'])('%s: prints the saved path on stdout and a human line on stderr', async (model) => {
    const run = await runCli(['generate', 'a', 'red', 'fox', '--model', model], { env: env(), cwd: fixture.path });
    expect(run.code).toBe(0);
    const path = run.stdout.trim();
    expect(path).toMatch(new RegExp(`^${fixture.out}/image_${model}_[0-9a-f]{8}_\\d+\\.png$`));
    expect(await readFile(path)).toEqual(TINY_PNG);
    expect(run.stderr).toMatch(new RegExp(`${model} via worker · [\\d.]+ kB · 1 attempt · [\\d.]+ s`));
    expect(fixture.worker.requests[0]?.prompt).toBe('a red fox');
  });

  it('--json prints the core result as one JSON object', async () => {
    const run = await runCli(['generate', 'a cat', '--json', '--model', 'sdxl', '--seed', '7', '--width', '512', '--height', '768'], {
      env: env(),
      cwd: fixture.path,
    });
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(result).toMatchObject({
      ok: true,
      model: 'sdxl',
      contentType: 'image/png',
      attempts: 1,
      bytes: TINY_PNG.length,
      route: 'worker',
      seed: 7,
    });
    expect(Object.keys(result).sort()).toEqual([
      'attempts',
      'bytes',
      'contentType',
      'cost',
      'durationMs',
      'model',
      'ok',
      'path',
      'requestId',
      'route',
      'seed',
    ]);
    // SDXL base states no price: no cost is made up.
    expect(result.cost).toEqual({ unknown: expect.stringContaining('sdxl') as string });
    expect(fixture.worker.requests[0]?.json).toEqual({ prompt: 'a cat', seed: 7, width: 512, height: 768 });
  });

  it.each([
    [{ status: 400 }, 'bad_request', 4],
    [{ status: 405 }, 'method_not_allowed', 4],
    [{ status: 429, headers: { 'retry-after': '5' } }, 'rate_limited', 4],
    [{ status: 500 }, 'server_error', 5],
    [{ status: 200, body: '<html></html>', contentType: 'text/html' }, 'invalid_response', 5],
  ])('%j is %s, exit %i, with the error as JSON and no file', async (reply, code, exit) => {
    fixture.worker.script([reply]);
    const run = await runCli(['generate', 'a cat', '--json', '--retries', '0'], { env: env(), cwd: fixture.path });
    expect(run.code).toBe(exit);
    const result = JSON.parse(run.stdout) as { error: { status?: number } };
    expect(result).toMatchObject({ ok: false, error: { code, message: expect.any(String) as string } });
    if (reply.status !== 200) expect(result.error.status).toBe(reply.status);
    expect(run.stderr).toContain(`[${code}]`);
    expect(await files()).toEqual([]);
  });

  it('a wrong SDXL key is exit 4 and the key is never printed', async () => {
    const run = await runCli(['generate', 'a cat', '--model', 'sdxl'], {
      env: { ...env(), SDXL_API_KEY: `${KEY}-wrong` },
      cwd: fixture.path,
    });
    expect(run.code).toBe(4);
    expect(run.stderr).toContain('SDXL API key invalid or missing');
    expect(run.stdout + run.stderr).not.toContain(KEY);
  });

  it('a refused connection after retries is exit 5', async () => {
    const gone = await startTestWorker();
    await gone.close();
    const run = await runCli(['generate', 'a cat', '--retries', '0', '--flux-url', gone.fluxUrl], { env: env(), cwd: fixture.path });
    expect(run.code).toBe(5);
    expect(run.stderr).toContain('Network error during image generation');
  });

  it('not configured (SDXL without key, or a bad URL) is exit 3', async () => {
    const noKey = await runCli(['generate', 'a cat', '--model', 'sdxl'], {
      env: { FLUX_WORKER_URL: fixture.worker.fluxUrl, IMAGEGEN_OUTPUT_DIR: fixture.out },
      cwd: fixture.path,
    });
    expect(noKey.code).toBe(3);
    expect(noKey.stderr).toContain('SDXL');
    const badUrl = await runCli(['generate', 'a cat', '--json'], { env: { FLUX_WORKER_URL: 'ftp://nope' }, cwd: fixture.path });
    expect(badUrl.code).toBe(3);
    expect(JSON.parse(badUrl.stdout)).toMatchObject({ ok: false, error: { code: 'not_configured' } });
  });

  it('a missing prompt is exit 2 pointing at --help; an empty one exit 2; a bad flag exit 2', async () => {
    const missing = await runCli(['generate'], { env: env(), cwd: fixture.path });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("missing required argument 'prompt'");
    expect(missing.stderr).toContain('imagegen <command> --help shows its options');
    expect((await runCli(['generate', '   '], { env: env(), cwd: fixture.path })).code).toBe(2);
    expect((await runCli(['generate', 'cat', '--seed', 'abc'], { env: env(), cwd: fixture.path })).code).toBe(2);
    expect((await runCli(['generate', 'cat', '--model', 'dalle'], { env: env(), cwd: fixture.path })).code).toBe(2);
    expect((await runCli(['generate', 'cat', '--width', '512'], { env: env(), cwd: fixture.path })).code).toBe(2);
    expect(fixture.worker.requests).toHaveLength(0);
  });

  it('--fallback serves from the other model after a retryable failure, and says so', async () => {
    fixture.worker.script([{ status: 503 }]);
    const run = await runCli(['generate', 'a cat', '--retries', '0', '--fallback', 'sdxl', '--json'], { env: env(), cwd: fixture.path });
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(result).toMatchObject({ ok: true, model: 'sdxl', fallback: { from: 'flux', error: { code: 'server_error', status: 503 } } });
    expect(run.stderr).toContain('served by sdxl after flux failed');
    expect(fixture.worker.requests.map((request) => request.method)).toEqual(['GET', 'POST']);
  });

  it('--fallback does not fire for a non-retryable failure', async () => {
    fixture.worker.script([{ status: 400 }]);
    const run = await runCli(['generate', 'a cat', '--fallback', 'sdxl'], { env: env(), cwd: fixture.path });
    expect(run.code).toBe(4);
    expect(fixture.worker.requests).toHaveLength(1);
  });

  it('--retry-429 retries a 429 that asks for a short wait', async () => {
    fixture.worker.script([{ status: 429, headers: { 'retry-after-ms': '50' } }]);
    const run = await runCli(['generate', 'a cat', '--retry-429', '--json'], { env: env(), cwd: fixture.path });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: true, attempts: 2 });
  });

  it('Ctrl-C during a slow answer removes the partial file and exits 130', async () => {
    // 2 MiB, stalled after 1.5 MiB: past the 1 MiB kept in memory, so a temporary file exists.
    fixture.worker.script([{ body: makePng(8, 8, [1, 2, 3], 2 * 1024 * 1024), contentType: 'image/png', stallAfterBytes: 1536 * 1024 }]);
    const cli = startCli(['generate', 'a cat'], { env: env(), cwd: fixture.path });
    await vi.waitFor(() => expect(fixture.worker.requests).toHaveLength(1), { timeout: 10_000 });
    // The first bytes have arrived and the temporary file exists before we interrupt.
    await vi.waitFor(async () => expect((await readdir(fixture.out).catch(() => [])).length).toBe(1), { timeout: 10_000 });
    cli.child.kill('SIGINT');
    const run = await cli.done;
    expect(run.code).toBe(130);
    expect(await files()).toEqual([]);
  });

  it('reads settings from .env, with env and flags taking precedence', async () => {
    await writeFile(join(fixture.path, '.env'), `FLUX_WORKER_URL=http://127.0.0.1:9/unused\nIMAGEGEN_OUTPUT_DIR=${fixture.out}\n`);
    const run = await runCli(['generate', 'a cat', '--flux-url', fixture.worker.fluxUrl], { cwd: fixture.path });
    expect(run.code).toBe(0);
    expect(run.stdout.startsWith(fixture.out)).toBe(true);
  });
});

describe('the result cache from the CLI (IMAGEGEN_CACHE_DIR)', () => {
  it('the same seeded prompt twice is one upstream call; --no-cache and an unseeded call go upstream', async () => {
    const cached = { ...env(), IMAGEGEN_CACHE_DIR: join(fixture.path, 'cache') };
    const first = await runCli(['generate', 'a cached fox', '--model', 'sdxl', '--seed', '11'], { env: cached, cwd: fixture.path });
    const second = await runCli(['generate', 'a cached fox', '--model', 'sdxl', '--seed', '11', '--json'], {
      env: cached,
      cwd: fixture.path,
    });
    expect([first.code, second.code]).toEqual([0, 0]);
    expect(fixture.worker.requests).toHaveLength(1);
    expect(JSON.parse(second.stdout)).toMatchObject({ ok: true, cached: true, attempts: 0, seed: 11 });
    expect(second.stderr).toContain('sdxl from the result cache · seed 11');
    expect(await readFile((JSON.parse(second.stdout) as { path: string }).path)).toEqual(await readFile(first.stdout.trim()));
    await runCli(['generate', 'a cached fox', '--model', 'sdxl', '--seed', '11', '--no-cache'], { env: cached, cwd: fixture.path });
    await runCli(['generate', 'a cached fox', '--model', 'sdxl'], { env: cached, cwd: fixture.path });
    await runCli(['generate', 'a cached fox', '--model', 'sdxl'], { env: cached, cwd: fixture.path });
    expect(fixture.worker.requests).toHaveLength(4);
  });
});
