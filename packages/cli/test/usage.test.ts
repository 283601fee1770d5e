import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { useScratchDir } from '@imagegen/testkit/vitest';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/run-cli.js';

// `imagegen usage` reads what the gateway keeps (here its local file) and names keys as the keys file does.
const scratch = useScratchDir('imagegen-usage-');

describe('imagegen usage', () => {
  it("prints today's spend per key and model, with the key's budget; --json the same as /v1/usage", async () => {
    const today = new Date().toISOString().slice(0, 10);
    await writeFile(join(scratch.path, 'spend.json'), JSON.stringify({ [`usage:${today}`]: { 'web-app\tflux': [9_504_000, 15] } }));
    await writeFile(
      join(scratch.path, 'keys.json'),
      JSON.stringify([
        { name: 'web-app', key: 'sk-web-app-0123456789', maxBudget: 0.01, budgetDuration: '1d' },
        { name: 'idle', key: 'sk-idle-0123456789ab' },
      ]),
    );
    const env = { IMAGEGEN_BUDGETS_FILE: 'spend.json', IMAGEGEN_KEYS_FILE: 'keys.json' };
    const human = await runCli(['usage'], { env, cwd: scratch.path });
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('web-app              $0.0095 of $0.01 (1d), 15 images');
    expect(human.stdout).toContain('idle                 $0, 0 images');
    const json = await runCli(['usage', '--json', '--month'], { env, cwd: scratch.path });
    expect(JSON.parse(json.stdout)).toMatchObject({ period: 'month', total: { usd: 0.009504, images: 15 } });
  });

  it('a broken keys file is said, with no key in the words', async () => {
    await writeFile(join(scratch.path, 'keys.json'), JSON.stringify([{ name: 'a', key: 'sk-secret-0123456789', budget: 1 }]));
    const run = await runCli(['usage'], { env: { IMAGEGEN_KEYS_FILE: 'keys.json' }, cwd: scratch.path });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("unknown field 'budget'");
    expect(run.stderr).not.toContain('sk-secret');
  });
});
