import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { useScratchDir } from '@imagegen/testkit/vitest';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/run-cli.js';

const scratch = useScratchDir('imagegen-cli-usage-');
const lines = (text: string) => text.trim().split('\n').filter(Boolean);

describe('errors a person reads once', () => {
  it.each([
    [['generate', 'a fox', '--frobnicate']],
    [['generate', 'a fox', '--steps', 'many']],
    [['frobnicate']],
    [['generate', 'a fox', '--model', 'sdxl', '--width', '5000']],
    [['generate', 'a fox', '--model', 'flux', '--negative-prompt', 'blur']],
  ])('imagegen %j: exit 2 in at most 3 lines', async (args) => {
    const run = await runCli(args, { cwd: scratch.path });
    expect(run.code).toBe(2);
    expect(lines(run.stderr).length).toBeLessThanOrEqual(3);
    expect(run.stderr).toContain('--help');
    expect(run.stderr).not.toContain('Usage:');
  });

  it("a range is the model's, never 0 to 9007199254740991", async () => {
    const run = await runCli(['generate', 'a fox', '--model', 'sdxl', '--steps', '-3'], { cwd: scratch.path });
    expect(run.code).toBe(2);
    expect(run.stderr).not.toContain('9007199254740991');
  });

  it('a directory and a missing file are said in words', async () => {
    await mkdir(join(scratch.path, 'prompts'));
    const dir = await runCli(['batch', 'prompts/'], { cwd: scratch.path });
    expect([dir.code, lines(dir.stderr)[0]]).toEqual([2, "error: cannot read the batch file 'prompts/': it is a directory"]);
    const missing = await runCli(['generate', 'a fox', '--image', 'nope.png'], { cwd: scratch.path });
    expect([missing.code, lines(missing.stderr)[0]]).toEqual([2, "error: cannot read the image 'nope.png': no such file"]);
    expect(dir.stderr + missing.stderr).not.toMatch(/ENOENT|EISDIR|unexpected error/);
  });

  it('serve refuses --host 0.0.0.0 without keys, and --no-jobs without Redis, before starting', async () => {
    const open = await runCli(['serve', '--host', '0.0.0.0', '--port', '0'], { cwd: scratch.path });
    expect(open.code).toBe(2);
    expect(open.stderr).toContain('needs IMAGEGEN_GATEWAY_KEYS');
    const noJobs = await runCli(['serve', '--no-jobs', '--port', '0'], { cwd: scratch.path });
    expect(noJobs.code).toBe(2);
    expect(noJobs.stderr).toContain('IMAGEGEN_REDIS_URL');
  });
});
