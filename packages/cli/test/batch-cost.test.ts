import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { useTestWorker } from '@imagegen/testkit/vitest';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/run-cli.js';

// What a batch costs before and while it runs: flux-1-schnell at its published 4.80 neurons a
// tile and 9.60 a step, 1024x1024 at 4 steps: 57.6 neurons, $0.0006336 an image.
const fixture = useTestWorker({ apiKey: 'batch-cost-key', prefix: 'imagegen-batch-cost-' });

describe('imagegen batch and cost', () => {
  it('--dry-run on 1,000 prompts prints the total and the free allocation it takes, sends nothing, exit 0', async () => {
    const prompts = Array.from({ length: 1000 }, (_, index) => `a fox number ${index + 1}`);
    await writeFile(join(fixture.path, 'prompts.txt'), `${prompts.join('\n')}\n`);
    const run = await runCli(['batch', 'prompts.txt', '--dry-run'], { env: fixture.env(), cwd: fixture.path });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('1000 images: estimated $0.6336 (57,600 neurons');
    expect(run.stdout).toContain('5.8 days of the free allocation');
    expect(run.stdout).toContain('dry run: nothing was sent');
    expect(fixture.worker.requests).toHaveLength(0);
  });

  it('--max-cost stops before the image that would pass it; a re-run with more makes the rest', async () => {
    const prompts = Array.from({ length: 6 }, (_, index) => `a cat number ${index + 1}`);
    await writeFile(join(fixture.path, 'prompts.txt'), `${prompts.join('\n')}\n`);
    // Three images are $0.0019008: a fourth would pass $0.002.
    const first = await runCli(['batch', 'prompts.txt', '--concurrency', '1', '--max-cost', '0.002'], {
      env: fixture.env(),
      cwd: fixture.path,
    });
    expect(first.code).toBe(1);
    expect(fixture.worker.requests).toHaveLength(3);
    expect(first.stderr).toContain('cost $0.0019 (172.8 neurons)');
    expect(first.stderr).toMatch(/stopped before line 4: it would pass --max-cost \$0\.002/);
    const again = await runCli(['batch', 'prompts.txt', '--concurrency', '1', '--max-cost', '1'], {
      env: fixture.env(),
      cwd: fixture.path,
    });
    expect(again.code).toBe(0);
    expect(fixture.worker.requests).toHaveLength(6);
  });

  it('generate says what the image cost, and --json carries it', async () => {
    const run = await runCli(['generate', 'a red fox', '--json'], { env: fixture.env(), cwd: fixture.path });
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { cost: { neurons: number; usd: number } };
    expect(result.cost.neurons).toBeCloseTo(57.6, 6);
    expect(result.cost.usd).toBeCloseTo(0.0006336, 9);
    const human = await runCli(['generate', 'a red fox'], { env: fixture.env(), cwd: fixture.path });
    expect(human.stderr).toContain('$0.000634 (57.6 neurons)');
  });
});
