import type { CatalogueModel } from '../catalogue/model-spec.js';
import { inputImageList } from '../input-image.js';
import type { GenerationParams } from '../models/model.js';
import { workersAiInputs } from '../params.js';
import { sniffImage } from '../sniff.js';

/**
 * A run's input as multipart/form-data, as FLUX.2 takes it: the prompt and inputs as text fields,
 * each input image as a file part `input_image_0`... with its own type. No content-type is set
 * here: whoever sends it adds the form's boundary.
 *
 * @example
 * const form = workersAiForm(flux2Dev, 'a fox in the style of image 0', { image: [png], width: 512 });
 */
export function workersAiForm(model: Pick<CatalogueModel, 'inputs'>, prompt: string, params: GenerationParams): FormData {
  const form = new FormData();
  form.append('prompt', prompt);
  for (const [name, value] of Object.entries(workersAiInputs(model, params))) form.append(name, String(value));
  for (const [index, image] of inputImageList(params.image).entries()) {
    const format = sniffImage(image);
    const file = new Blob([image as Uint8Array<ArrayBuffer>], { type: format?.contentType ?? 'application/octet-stream' });
    form.append(`input_image_${index}`, file, `input_image_${index}.${format?.extension ?? 'bin'}`);
  }
  return form;
}
