import { catalogue, type CatalogueModel, inputJsonName, type InputSpec } from '@imagegen/core';

/** The form's per-model controls, by the input each one sets. */
export interface ModelControls {
  model: HTMLSelectElement;
  size: HTMLSelectElement;
  steps: HTMLInputElement;
  guidance: HTMLInputElement;
  negativePrompt: HTMLInputElement;
  strength: HTMLInputElement;
  /** The model's one input of named choices (a quality tier, an aspect ratio), when it has one. */
  choice: HTMLSelectElement;
}

const SIZES = ['512x512', '768x512', '512x768', '1024x1024', '1024x768', '1280x720'];

/** The catalogue model the menu shows. */
export const selectedModel = (controls: ModelControls): CatalogueModel =>
  catalogue.find((model) => model.alias === controls.model.value) ?? catalogue[0]!;

const inputOf = (model: CatalogueModel, name: InputSpec['name']): InputSpec | undefined =>
  model.inputs.find((input) => input.name === name);

function fits(spec: InputSpec | undefined, value: number): boolean {
  return spec !== undefined && (spec.min === undefined || value >= spec.min) && (spec.max === undefined || value <= spec.max);
}

/** Enables and bounds a number field by the model's input: its range, its default as the hint. */
function bound(field: HTMLInputElement, spec: InputSpec | undefined): void {
  field.disabled = spec === undefined;
  field.closest('.field')?.toggleAttribute('hidden', spec === undefined);
  if (!spec) return;
  field.min = spec.min === undefined ? '' : String(spec.min);
  field.max = spec.max === undefined ? '' : String(spec.max);
  field.placeholder = spec.default === undefined ? '' : `default ${spec.default}`;
}

/**
 * Shows the controls the selected model takes, within its ranges: sizes it can draw, steps and
 * guidance bounded, a negative prompt only where there is one. Called on every model change.
 */
export function showModelControls(controls: ModelControls, imageCount = 0): void {
  const model = selectedModel(controls);
  const width = inputOf(model, 'width');
  const height = inputOf(model, 'height');
  const current = controls.size.value;
  controls.size.replaceChildren(new Option(`Default (${model.defaultSize.width} × ${model.defaultSize.height})`, ''));
  // A model that draws a few sizes offers those; the others the common sizes within their range.
  for (const size of model.sizes ?? SIZES) {
    const [w, h] = size.split('x').map(Number) as [number, number];
    if (fits(width, w) && fits(height, h)) controls.size.append(new Option(`${w} × ${h}`, size));
  }
  controls.size.value = [...controls.size.options].some((option) => option.value === current) ? current : '';
  controls.size.disabled = width === undefined;
  bound(controls.steps, inputOf(model, 'steps'));
  bound(controls.guidance, inputOf(model, 'guidance'));
  const negative = inputOf(model, 'negativePrompt');
  controls.negativePrompt.disabled = negative === undefined;
  controls.negativePrompt.closest('.field')?.toggleAttribute('hidden', negative === undefined);
  // Strength says how far to move from a start image: shown only when there is one.
  bound(controls.strength, imageCount > 0 ? inputOf(model, 'strength') : undefined);
  showChoice(
    controls.choice,
    model.inputs.find((input) => input.values !== undefined),
  );
}

const CHOICE_LABELS: Partial<Record<InputSpec['name'], string>> = { qualityTier: 'Quality', aspectRatio: 'Aspect ratio' };

/** The select of a model's named choices: its values, the model's own default first. */
function showChoice(select: HTMLSelectElement, spec: InputSpec | undefined): void {
  select.disabled = spec === undefined;
  select.closest('.field')?.toggleAttribute('hidden', spec === undefined);
  select.dataset.input = spec?.name ?? '';
  if (!spec?.values) return;
  const label = select.closest('.field')?.querySelector('.choice-name');
  if (label) label.textContent = CHOICE_LABELS[spec.name] ?? spec.name;
  select.replaceChildren(new Option("Model's default", ''), ...spec.values.map((value) => new Option(value, value)));
}

/** The choice made, under its name in the gateway's JSON (`quality`, `aspect_ratio`), or nothing. */
export function chosen(select: HTMLSelectElement): Record<string, string> {
  if (select.disabled || select.value === '') return {};
  return { [inputJsonName(select.dataset.input as InputSpec['name'])]: select.value };
}

/** The models that can run with `imageCount` start images: none needs one, or all take that many. */
const runsWith = (model: CatalogueModel, imageCount: number): boolean =>
  imageCount === 0 ? !model.imageInput?.required : (model.imageInput?.maxImages ?? (model.imageInput ? 1 : 0)) >= imageCount;

/**
 * Fills the model menu from the catalogue: each alias, with what it is as its tooltip; only the
 * models that can run with the start images chosen (none: those that need none). The selection
 * stays when it still can.
 */
export function fillModelMenu(select: HTMLSelectElement, imageCount = 0): void {
  const current = select.value;
  const models = catalogue.filter((model) => runsWith(model, imageCount));
  select.replaceChildren(
    ...models.map((model) => Object.assign(new Option(model.alias, model.alias), { title: `${model.description} (${model.id})` })),
  );
  const fallback = imageCount === 0 ? 'flux' : imageCount === 1 ? 'sd15-img2img' : 'flux-2-dev';
  select.value = models.some((model) => model.alias === current) && current !== '' ? current : fallback;
}
