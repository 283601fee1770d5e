import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSchemaCheckedWorkersAi, type SchemaCheckedWorkersAi } from '@imagegen/testkit';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './support/run-cli.js';

// `imagegen generate --model openai/gpt-image-2` against the schema-checked REST emulation: the
// image at the URL the model answers is saved; a URL that fails leaves no file.
let ai: SchemaCheckedWorkersAi;
let cwd: string;
beforeAll(async () => {
  ai = await startSchemaCheckedWorkersAi();
});
afterAll(() => ai.close());
beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'imagegen-cli-partner-'));
  ai.partnerFiles = 'image';
  return () => rm(cwd, { recursive: true, force: true });
});

const env = () => ({ ...ai.env, IMAGEGEN_OUTPUT_DIR: join(cwd, 'out') });

describe('partner models from the command line', () => {
  it('generate "a fox" --model openai/gpt-image-2 saves the image from the answered URL', async () => {
    const run = await runCli(['generate', 'a fox', '--model', 'openai/gpt-image-2', '--quality-tier', 'low', '--json'], {
      cwd,
      env: env(),
    });
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { path: string; model: string; route: string };
    expect(result).toMatchObject({ model: 'gpt-image-2', route: 'rest' });
    expect((await sharp(await readFile(result.path)).metadata()).format).toBe('png');
    expect(ai.requests.at(-1)).toMatchObject({ model: 'openai/gpt-image-2', input: { prompt: 'a fox', quality: 'low' }, status: 200 });
  });

  it.each([['missing' as const], ['not-image' as const], [{ tooLarge: 60 * 1024 * 1024 }]])(
    'a URL that answers %j fails with a message and leaves no file',
    async (mode) => {
      ai.partnerFiles = mode;
      const run = await runCli(['generate', 'a fox', '--model', 'imagen-4', '--aspect-ratio', '16:9'], { cwd, env: env() });
      expect(run.code).not.toBe(0);
      expect(run.stderr).toMatch(/imagen-4/);
      expect(run.stderr).not.toMatch(/\n\s+at /);
      expect(await readdir(join(cwd, 'out')).catch(() => [])).toEqual([]);
    },
  );

  it('a size the model does not draw is a usage error before any request', async () => {
    const before = ai.requests.length;
    const run = await runCli(['generate', 'a fox', '--model', 'gpt-image-1.5', '--width', '512', '--height', '512'], { cwd, env: env() });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--height must go with --width as one of the sizes 1024x1024, 1536x1024, 1024x1536 for gpt-image-1.5');
    expect(ai.requests.length).toBe(before);
  });
});
