import { describe, expect, it } from 'vitest';
import { bindingErrorCode, readBindingAnswer } from '../src/internal.js';

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

describe('readBindingAnswer: every shape env.AI.run hands back', () => {
  it.each([
    ['bytes', PNG],
    ['an ArrayBuffer', PNG.slice().buffer],
    ['{ image: base64 }', { image: btoa(String.fromCharCode(...PNG)) }],
    ['{ data: [byte values] }', { data: Array.from(PNG) }],
    ['{ result: { image: base64 } }', { result: { image: btoa(String.fromCharCode(...PNG)) } }],
  ])('%s is bytes', async (_name, output) => {
    expect(await readBindingAnswer(output)).toEqual({ kind: 'bytes', bytes: PNG });
  });

  it('a stream stays a stream; a Response with JSON is read as JSON; a URL is a URL', async () => {
    expect((await readBindingAnswer(new Response(PNG).body)).kind).toBe('stream');
    expect(await readBindingAnswer(Response.json({ image: 'https://cdn.example/a.png' }))).toEqual({
      kind: 'url',
      url: 'https://cdn.example/a.png',
    });
    expect(await readBindingAnswer({ state: 'Completed', result: { image: 'https://x.r2.dev/a.png' } })).toEqual({
      kind: 'url',
      url: 'https://x.r2.dev/a.png',
    });
  });

  it.each([[null], [{}], [{ image: '' }], [{ image: '%%%' }], [new Uint8Array()], [Response.json({}, { status: 500 })]])(
    '%j has no image',
    async (output) => {
      expect((await readBindingAnswer(output)).kind).toBe('none');
    },
  );
});

describe('bindingErrorCode', () => {
  it.each([
    [new Error('3040: Capacity temporarily exceeded'), 3040],
    [new Error('AiError: 3036: daily allocation used'), 3036],
    [Object.assign(new Error('x'), { code: 5035 }), 5035],
    [new Error('InferenceUpstreamError: 5018 private model'), 5018],
    [new Error('no code here, 12 of them'), undefined],
  ])('%s -> %s', (error, code) => {
    expect(bindingErrorCode(error)).toBe(code);
  });
});
