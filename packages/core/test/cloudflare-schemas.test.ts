import { CLOUDFLARE_MODEL_FACTS, startSchemaCheckedWorkersAi, type SchemaCheckedWorkersAi, TINY_PNG } from '@imagegen/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogue, type CatalogueModel, type GenerateOptions, loadSettings } from '../src/index.js';
import { makeGenerator } from './support/harness.js';

// Each catalogue entry held against Cloudflare's published schema of its model (the testkit's
// table, written from the docs), and every request imagegen makes for it sent to a loopback REST
// emulation that refuses what that schema refuses.

const facts = (model: CatalogueModel) => CLOUDFLARE_MODEL_FACTS[model.id]!;

describe.each(catalogue.map((model) => [model.alias, model] as const))('%s against its published schema', (_alias, model) => {
  it('is in the table, sent and answered as Cloudflare says', () => {
    expect(CLOUDFLARE_MODEL_FACTS[model.id], `no facts for ${model.id}`).toBeDefined();
    expect(model.send).toBe(facts(model).send);
    expect(model.answer).toEqual(facts(model).answer);
    const promptMax = facts(model).schema.properties.prompt?.maxLength as number | undefined;
    if (promptMax !== undefined) expect(model.maxPromptLength).toBeLessThanOrEqual(promptMax);
  });

  it.each(model.inputs.map((input) => [input.field, input] as const))('%s: name, type, range and default', (_field, input) => {
    const property = facts(model).schema.properties[input.field];
    if (model.sizes) {
      // Width and height go together as one `size`: each of the model's sizes is one Cloudflare takes.
      if (input.field === 'size') {
        expect(property?.enum).toEqual(expect.arrayContaining([...model.sizes]));
        return;
      }
    }
    if (input.values) expect(property?.enum).toEqual(expect.arrayContaining([...input.values]));
    if (input.inSchema === false) {
      expect(property, `${input.field} is marked off-schema but the schema lists it`).toBeUndefined();
      return;
    }
    expect(property, `${model.id}'s schema has no ${input.field}`).toBeDefined();
    expect(property!.type).toBe(input.type);
    // imagegen's range may be narrower than Cloudflare's (its own floor), never wider.
    if (typeof property!.minimum === 'number') expect(input.min).toBeGreaterThanOrEqual(property!.minimum);
    if (typeof property!.maximum === 'number') expect(input.max).toBeLessThanOrEqual(property!.maximum);
    expect(input.default, 'a default only where Cloudflare states one, and the same').toBe(property!.default);
    expect(input.minLength).toBe(property!.minLength);
  });

  it('its input images go in fields the schema has', () => {
    const { properties } = facts(model).schema;
    if (!model.imageInput) return;
    const field = model.imageInput.field;
    if (field) expect(properties[field.name]?.type).toBe(field.list ? 'array' : 'string');
    else expect(properties[model.send === 'multipart' ? 'input_image_0' : 'image_b64']).toBeDefined();
    if (model.imageInput.mask) expect(properties.mask).toBeDefined();
  });
});

describe('the schema-checked REST emulation accepts every request imagegen makes', () => {
  let ai: SchemaCheckedWorkersAi;
  beforeAll(async () => {
    ai = await startSchemaCheckedWorkersAi();
  });
  afterAll(() => ai.close());

  const generator = () => makeGenerator({ settings: loadSettings(ai.env), retry: { retries: 0 } }).generator;

  /** Every call worth making: the defaults, each input at each bound, and a seed where the schema has one. */
  function calls(model: CatalogueModel): GenerateOptions[] {
    const base: GenerateOptions = model.imageInput?.required ? { image: TINY_PNG } : {};
    const list: GenerateOptions[] = [base];
    for (const input of model.inputs) {
      if (input.inSchema === false || (model.sizes && input.field === 'size')) continue;
      if (input.values) list.push(...input.values.map((value) => ({ ...base, [input.name]: value })));
      else if (input.type === 'string') list.push({ ...base, [input.name]: 'x'.repeat(input.minLength ?? 1) });
      for (const bound of [input.min, input.max]) if (bound !== undefined) list.push({ ...base, [input.name]: bound });
    }
    for (const size of model.sizes ?? []) {
      const [width, height] = size.split('x').map(Number);
      list.push({ ...base, width, height });
    }
    // Reference images of the models that take them but do not need them (partner edits, FLUX.2).
    if (model.imageInput && !model.imageInput.required && model.send !== 'multipart') list.push({ image: TINY_PNG });
    if (model.inputs.some((input) => input.name === 'seed' && input.inSchema !== false)) list.push({ ...base, seed: 4_294_967_295 });
    return list;
  }

  it.each(catalogue.map((model) => [model.alias, model] as const))('%s', async (_alias, model) => {
    const before = ai.requests.length;
    const made = calls(model);
    for (const options of made) {
      const result = await generator().generate(model.alias, 'a red fox in the snow', options);
      expect(result, JSON.stringify({ options: { ...options, image: undefined }, refused: ai.requests.at(-1) })).toMatchObject({
        ok: true,
      });
    }
    const seen = ai.requests.slice(before);
    expect(seen).toHaveLength(made.length);
    expect(seen.every((request) => request.status === 200 && request.model === model.id)).toBe(true);
  });

  it('refuses what the schemas refuse (so the acceptance above is not vacuous)', async () => {
    const run = (model: string, body: unknown) =>
      fetch(`${ai.baseUrl}/accounts/x/ai/run/${model}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const refused = [
      await run('@cf/black-forest-labs/flux-1-schnell', { prompt: 'a fox', seed: 1 }),
      await run('@cf/black-forest-labs/flux-1-schnell', { prompt: 'a fox', steps: 9 }),
      await run('@cf/leonardo/phoenix-1.0', { prompt: 'a fox', negative_prompt: '' }),
      await run('@cf/leonardo/lucid-origin', { prompt: 'a fox', guidance: 11 }),
      await run('@cf/stabilityai/stable-diffusion-xl-base-1.0', { prompt: 'a fox', width: 4096 }),
      await run('@cf/stabilityai/stable-diffusion-xl-base-1.0', { prompt: '' }),
      await run('@cf/nobody/no-model', { prompt: 'a fox' }),
    ];
    expect(refused.map((response) => response.status)).toEqual([400, 400, 400, 400, 400, 400, 400]);
    const codes = await Promise.all(
      refused.map(async (response) => ((await response.json()) as { errors: Array<{ code: number }> }).errors[0]?.code),
    );
    expect(codes).toEqual([5006, 5006, 5006, 5006, 5006, 5006, 5007]);
  });

  it("a seed the caller gives flux-1-schnell is sent (asked by name); Cloudflare's refusal then says the schema lacks it", async () => {
    const result = await generator().generate('flux', 'a fox', { seed: 7 });
    expect(result).toMatchObject({ ok: false, error: { code: 'bad_request', providerCode: 5006 } });
    expect(!result.ok && result.error.message).toContain(
      "seed is not in flux's published schema, and Cloudflare refused the request: leave it out",
    );
    expect(ai.requests.at(-1)).toMatchObject({
      model: '@cf/black-forest-labs/flux-1-schnell',
      input: { prompt: 'a fox', seed: 7 },
      status: 400,
    });
  });
});
