import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { ImageGenerationError } from '../src/index.js';
import { makeGenerator, SDXL_KEY, SDXL_URL, useMsw } from './support/harness.js';

const server = useMsw();

function everythingSaid(result: unknown, lines: string[]): string {
  const error = (result as { error?: ImageGenerationError }).error;
  return [JSON.stringify(result), error?.message, error?.stack, JSON.stringify(error), String(error?.cause), ...lines].join('\n');
}

describe('the SDXL key never leaks', () => {
  it.each([400, 401, 405, 429, 500])('not in the result, the error or the logs for HTTP %i', async (status) => {
    server.use(http.post(SDXL_URL, () => new HttpResponse(`bad key ${SDXL_KEY}`, { status })));
    const { generator, logger } = makeGenerator({ retry: { retries: 1, baseDelayMs: 1 } });
    const result = await generator.generateWithSdxl('a cat');
    expect(result.ok).toBe(false);
    expect(everythingSaid(result, logger.lines)).not.toContain(SDXL_KEY);
  });

  it('not even when the transport puts it in an error message', async () => {
    const { generator, logger } = makeGenerator({
      fetch: async () => {
        throw new TypeError(`connect failed for Bearer ${SDXL_KEY}`);
      },
      retry: { retries: 0 },
    });
    const result = await generator.generateWithSdxl('a cat');
    expect(result).toMatchObject({ ok: false, error: { code: 'network' } });
    if (!result.ok) expect(result.error.message).toContain('[redacted]');
    expect([JSON.stringify(result), !result.ok && result.error.message, ...logger.lines].join('\n')).not.toContain(SDXL_KEY);
  });
});

describe('ImageGenerationError', () => {
  it('is recognised across copies of the package by a registry-wide marker', () => {
    const foreign = Object.assign(new Error('x'), { [Symbol.for('@imagegen/core/ImageGenerationError')]: true });
    expect(ImageGenerationError.isInstance(foreign)).toBe(true);
    expect(foreign instanceof ImageGenerationError).toBe(true);
    expect(new Error('x') instanceof ImageGenerationError).toBe(false);
    const own = new ImageGenerationError({ code: 'timeout', message: 'Image generation request timed out', model: 'flux' });
    expect(own).toBeInstanceOf(Error);
    expect(own.name).toBe('ImageGenerationError');
    expect(own.toJSON()).toEqual({
      code: 'timeout',
      message: 'Image generation request timed out',
      model: 'flux',
      retryable: false,
      attempts: 0,
    });
  });
});
