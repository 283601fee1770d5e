import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startSimulatedWorkersAi } from '@imagegen/testkit';
import { useTestWorker } from '@imagegen/testkit/vitest';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/run-cli.js';

/** One line of `batch --json`. */
type BatchLine = { line: number; ok: boolean; prompt: string; skipped?: boolean };

const fixture = useTestWorker({ apiKey: 'batch-key', prefix: 'imagegen-batch-' });
const env = () => fixture.env();

describe('imagegen batch', () => {
  it('200 prompts at concurrency 8: reports exactly the scripted failures, and a re-run re-requests only them', async () => {
    const prompts = Array.from({ length: 200 }, (_, index) => `prompt number ${index + 1}`);
    const failing = ['prompt number 3', 'prompt number 50', 'prompt number 51', 'prompt number 199'];
    fixture.worker.scriptPrompt(failing[0]!, [{ status: 400 }]);
    fixture.worker.scriptPrompt(failing[1]!, [{ status: 429 }]);
    fixture.worker.scriptPrompt(failing[2]!, [{ status: 500 }]);
    fixture.worker.scriptPrompt(failing[3]!, [{ status: 200, body: 'not an image', contentType: 'text/plain' }]);
    await writeFile(join(fixture.path, 'prompts.txt'), `${prompts.join('\n')}\n`);

    const first = await runCli(['batch', 'prompts.txt', '--concurrency', '8', '--json', '--retries', '0'], {
      env: env(),
      cwd: fixture.path,
    });
    expect(first.code).toBe(1);
    const lines = first.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as BatchLine);
    expect(lines).toHaveLength(200);
    expect(
      lines
        .filter((line) => !line.ok)
        .map((line) => line.prompt)
        .sort(),
    ).toEqual([...failing].sort());
    expect(lines.find((line) => line.prompt === failing[1])).toMatchObject({ error: { code: 'rate_limited', status: 429 } });
    expect(first.stderr).toContain('200 prompts: 196 ok, 4 failed, 0 skipped');
    expect((await readdir(fixture.out)).filter((name) => name.startsWith('image_'))).toHaveLength(196);

    fixture.worker.requests.length = 0;
    const second = await runCli(['batch', 'prompts.txt', '--concurrency', '8', '--json'], { env: env(), cwd: fixture.path });
    expect(second.code).toBe(0);
    expect(fixture.worker.requests.map((request) => request.prompt).sort()).toEqual([...failing].sort());
    const again = second.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as BatchLine);
    expect(again).toHaveLength(200);
    expect(again.filter((line) => line.skipped)).toHaveLength(196);
    expect(second.stderr).toContain('200 prompts: 4 ok, 0 failed, 196 skipped');
    expect((await readdir(fixture.out)).filter((name) => name.startsWith('image_'))).toHaveLength(200);
  });

  it('reads JSON lines with model and seed, from stdin, and reports bad lines without stopping', async () => {
    const input = [
      JSON.stringify({ prompt: 'a cat', model: 'sdxl', seed: 4 }),
      'plain prompt line',
      '{not json',
      JSON.stringify({ prompt: 'a dog', seed: 'x' }),
      '',
      JSON.stringify({ prompt: 'a bird', model: 'flux', seed: 9 }),
    ].join('\n');
    const run = await runCli(['batch', '-', '--json'], { env: env(), cwd: fixture.path, input });
    expect(run.code).toBe(1);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as BatchLine);
    expect(lines.map((line) => [line.line, line.ok])).toEqual(
      expect.arrayContaining([
        [1, true],
        [2, true],
        [3, false],
        [4, false],
        [6, true],
      ]),
    );
    expect(lines).toHaveLength(5);
    expect(fixture.worker.requests.find((request) => request.method === 'POST')?.json).toEqual({ prompt: 'a cat', seed: 4 });
    expect(fixture.worker.requests.find((request) => request.prompt === 'a bird')?.query.seed).toBe('9');
    const manifest = (await readFile(join(fixture.out, 'manifest.jsonl'), 'utf8')).trim().split('\n');
    expect(manifest).toHaveLength(5);
  });

  it('inserting a line at the top of a half-done batch and resuming makes exactly one new image', async () => {
    const prompts = Array.from({ length: 20 }, (_, index) => `a lighthouse, take ${index + 1}`);
    // Half done: the first run stops after 10 lines (the file had only those).
    await writeFile(join(fixture.path, 'prompts.txt'), `${prompts.slice(0, 10).join('\n')}\n`);
    expect((await runCli(['batch', 'prompts.txt', '--json'], { env: env(), cwd: fixture.path })).code).toBe(0);
    // The rest added, then a new line inserted at the top, and two lines written as JSON with their fields reordered.
    const rest = prompts.slice(10).map((prompt, index) => (index < 2 ? JSON.stringify({ model: 'flux', prompt }) : prompt));
    await writeFile(join(fixture.path, 'prompts.txt'), `a new first line\n${prompts.slice(0, 10).join('\n')}\n${rest.join('\n')}\n`);
    await runCli(['batch', 'prompts.txt', '--json'], { env: env(), cwd: fixture.path });
    fixture.worker.requests.length = 0;
    const inserted = `a brand new line\n${prompts.slice(0, 10).reverse().join('\n')}\n${prompts.slice(10).join('\n')}\na new first line\n`;
    await writeFile(join(fixture.path, 'prompts.txt'), inserted);
    const resumed = await runCli(['batch', 'prompts.txt', '--json'], { env: env(), cwd: fixture.path });
    expect(resumed.code).toBe(0);
    expect(fixture.worker.requests.map((request) => request.prompt)).toEqual(['a brand new line']);
    expect(resumed.stderr).toContain('22 prompts: 1 ok, 0 failed, 21 skipped');
    // The line number stays in the output for people.
    const first = JSON.parse(
      resumed.stdout
        .trim()
        .split('\n')
        .find((line) => line.includes('brand new'))!,
    ) as BatchLine;
    expect(first.line).toBe(1);
  });

  it('a line that repeats another is a second image, and stays one on a re-run', async () => {
    await writeFile(join(fixture.path, 'twice.txt'), 'a cat\na cat\n');
    expect((await runCli(['batch', 'twice.txt'], { env: env(), cwd: fixture.path })).stderr).toContain('2 prompts: 2 ok');
    fixture.worker.requests.length = 0;
    const again = await runCli(['batch', 'twice.txt'], { env: env(), cwd: fixture.path });
    expect(again.stderr).toContain('2 prompts: 0 ok, 0 failed, 2 skipped');
    expect(fixture.worker.requests).toHaveLength(0);
  });

  it('a JSON line with a field nobody knows is refused with its line number, naming the field', async () => {
    const input = [
      JSON.stringify({ prompt: 'a cat', model: 'sdxl', widht: 512 }),
      JSON.stringify({ prompt: 'a dog', model: 'sdxl', width: 512, height: 512 }),
      JSON.stringify({ prompt: 'a fox', model: 'sdxl', negative_prompt: 7 }),
      JSON.stringify({ prompt: 'an owl', negative_prompt: 'blur' }),
    ].join('\n');
    const run = await runCli(['batch', '-', '--json'], { env: env(), cwd: fixture.path, input });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("line 1: ✖ sdxl: Invalid prompt: unknown field 'widht' (did you mean 'width'?)");
    expect(run.stderr).toContain('line 3: ✖ sdxl: Invalid prompt: "negative_prompt" must be a string');
    expect(run.stderr).toContain(
      'line 4: ✖ flux: Invalid prompt or request format: flux does not take negative_prompt (it takes steps, seed)',
    );
    expect(run.stderr).toContain('4 prompts: 1 ok, 3 failed');
    expect(fixture.worker.requests.map((request) => request.prompt)).toEqual(['a dog']);
  });

  it('without --json prints one path per success on stdout', async () => {
    await writeFile(join(fixture.path, 'p.txt'), 'one\ntwo\nthree\n');
    const run = await runCli(['batch', 'p.txt'], { env: env(), cwd: fixture.path });
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split('\n')).toHaveLength(3);
  });

  it('a missing file is a usage error', async () => {
    const run = await runCli(['batch', 'nope.txt'], { env: env(), cwd: fixture.path });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("cannot read the batch file 'nope.txt'");
  });
});

describe('imagegen batch, adaptive to the upstream (the default)', () => {
  it('against a simulated account at its limit: every prompt made once, the 429s retried, the pace reported', async () => {
    const ai = await startSimulatedWorkersAi({ limitPerMinute: 1200, burstSeconds: 0.5, latencyMs: [20, 60] });
    try {
      await writeFile(join(fixture.path, 'paced.txt'), Array.from({ length: 40 }, (_, index) => `a paced prompt ${index}`).join('\n'));
      const run = await runCli(['batch', 'paced.txt', '--json', '--model', 'lucid-origin', '--out', join(fixture.path, 'paced')], {
        env: { ...ai.env, IMAGEGEN_LOG_LEVEL: 'silent' },
        cwd: fixture.path,
      });
      expect(run.code).toBe(0);
      const lines = run.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as BatchLine);
      expect(lines.filter((line) => line.ok)).toHaveLength(40);
      // Paid once per prompt: as many 200s as prompts, whatever 429s came between.
      expect(ai.requests.filter((request) => request.status === 200)).toHaveLength(40);
      expect(run.stderr).toMatch(/40 prompts: 40 ok, 0 failed, 0 skipped \(done before\) in [\d.]+ s \(adaptive: \d+ at once/);
    } finally {
      await ai.close();
    }
  });

  it('--max-rate and IMAGEGEN_MAX_RATE are checked; --concurrency still pins a fixed number', async () => {
    await writeFile(join(fixture.path, 'two.txt'), 'one\ntwo\n');
    const bad = await runCli(['batch', 'two.txt', '--max-rate', 'fast'], { env: env(), cwd: fixture.path });
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringContaining('a whole number of requests a minute')]);
    const badEnv = await runCli(['batch', 'two.txt'], { env: { ...env(), IMAGEGEN_MAX_RATE: '-3' }, cwd: fixture.path });
    expect([badEnv.code, badEnv.stderr]).toEqual([2, expect.stringContaining('IMAGEGEN_MAX_RATE must be a whole number')]);
    const fixed = await runCli(['batch', 'two.txt', '--concurrency', '3'], { env: env(), cwd: fixture.path });
    expect(fixed.stderr).toContain('(3 at once)');
    const capped = await runCli(['batch', 'two.txt', '--max-rate', '600/min', '--out', join(fixture.path, 'capped')], {
      env: env(),
      cwd: fixture.path,
    });
    expect(capped.stderr).toMatch(/adaptive: \d+ at once, \d+\/min/);
  });
});
