import { catalogue, type CatalogueModel, type InputSpec } from '@imagegen/core';

/** The form's per-model controls, by the input each one sets. */
export interface ModelControls {
  model: HTMLSelectElement;
  size: HTMLSelectElement;
  steps: HTMLInputElement;
  guidance: HTMLInputElement;
  negativePrompt: HTMLInputElement;
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
export function showModelControls(controls: ModelControls): void {
  const model = selectedModel(controls);
  const width = inputOf(model, 'width');
  const height = inputOf(model, 'height');
  const current = controls.size.value;
  controls.size.replaceChildren(new Option(`Default (${model.defaultSize.width} × ${model.defaultSize.height})`, ''));
  for (const size of SIZES) {
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
}

/** Fills the model menu from the catalogue: each alias, with what it is as its tooltip. */
export function fillModelMenu(select: HTMLSelectElement): void {
  // The page has no image to start from yet: the models that need one are left out.
  select.replaceChildren(
    ...catalogue
      .filter((model) => !model.imageInput?.required)
      .map((model) => Object.assign(new Option(model.alias, model.alias), { title: `${model.description} (${model.id})` })),
  );
  select.value = 'flux';
}
