import { join, resolve, sep } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_PROMPT_LENGTH, ImageGenerationError, loadSettings, promptProblem } from '../src/index.js';
import { imageFileName, newRequestId } from '../src/internal.js';

describe('properties', () => {
  it('loadSettings: any record gives settings or a not_configured error, and accepted URLs are http(s)', () => {
    const value = fc.oneof(fc.string(), fc.webUrl(), fc.constant(undefined), fc.constantFrom('ftp://x', 'http://', 'https://a.b/c?d', ' '));
    fc.assert(
      fc.property(fc.record({ FLUX_WORKER_URL: value, SDXL_WORKER_URL: value, SDXL_API_KEY: value, IMAGEGEN_OUTPUT_DIR: value }), (env) => {
        try {
          const settings = loadSettings(env);
          for (const url of [settings.fluxWorkerUrl, settings.sdxlWorkerUrl]) {
            if (url !== undefined) expect(['http:', 'https:']).toContain(new URL(url).protocol);
          }
          expect(settings.outputDir.trim()).not.toBe('');
          expect(settings.isImageGenerationEnabled).toBe(
            Boolean(settings.fluxWorkerUrl || (settings.sdxlWorkerUrl && settings.sdxlApiKey)),
          );
        } catch (error) {
          expect(ImageGenerationError.isInstance(error)).toBe(true);
          expect((error as ImageGenerationError).code).toBe('not_configured');
        }
      }),
      { numRuns: 500 },
    );
  });

  it('promptProblem: a prompt passes exactly when it has a non-space character and at most the limit in code points', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 3000 }), fc.string({ unit: 'grapheme', maxLength: 2100 }), fc.constantFrom('', ' ', '\n\t')),
        (prompt) => {
          const expected = prompt.trim() !== '' && [...prompt].length <= DEFAULT_MAX_PROMPT_LENGTH;
          expect(promptProblem(prompt, DEFAULT_MAX_PROMPT_LENGTH) === undefined).toBe(expected);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('imageFileName: never a separator or "..", always inside the output directory, always the documented shape', () => {
    const dir = resolve('/srv/images');
    fc.assert(
      fc.property(
        fc.string(),
        fc.string(),
        fc.constantFrom('png', 'jpg', 'webp', 'gif', '../x', 'p/ng'),
        fc.nat(),
        (model, id, extension, now) => {
          const name = imageFileName(model, id, now, extension);
          expect(name).not.toMatch(/[/\\]/);
          expect(name).not.toContain('..');
          expect(name).toMatch(/^image_[a-z0-9-]+_[a-z0-9-]+_\d+\.[a-z0-9-]+$/);
          expect(join(dir, name).startsWith(dir + sep)).toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('newRequestId: 8 lowercase hex digits', () => {
    for (let index = 0; index < 3000; index++) expect(newRequestId()).toMatch(/^[0-9a-f]{8}$/);
  });
});
