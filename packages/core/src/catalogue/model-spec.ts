/** The inputs imagegen knows by name, across every model (the CLI's flags, the library's options). */
export type InputName = 'steps' | 'guidance' | 'width' | 'height' | 'seed' | 'negativePrompt' | 'strength' | 'qualityTier' | 'aspectRatio';

/** One input a model takes: imagegen's name, the Workers AI field, its type, range and default. */
export interface InputSpec {
  name: InputName;
  /** The field Workers AI reads it from (`num_steps`, `negative_prompt`, ...). */
  field: string;
  type: 'integer' | 'number' | 'string';
  min?: number;
  max?: number;
  default?: number;
  /** The shortest text taken (Cloudflare's `minLength`): an empty `negative_prompt` is refused by some models. */
  minLength?: number;
  /** The only texts taken (an enum: `low`, `medium`, `high`, `auto`). */
  values?: readonly string[];
  /**
   * False for an input the model's published schema does not list, though the model takes it
   * (its page's examples send it): imagegen sends it only when the caller sets it, never a
   * default or a random value of its own. @default true
   */
  inSchema?: boolean;
  required?: boolean;
}

/**
 * How a model answers: base64 in JSON (`{"image": ...}`), the image bytes themselves, or the URL
 * of the image in JSON (`{"result": {"image": "https://..."}}`, the partner models), downloaded.
 */
export interface AnswerSpec {
  encoding: 'base64-json' | 'binary' | 'url';
  format: 'png' | 'jpeg';
}

/**
 * One Workers AI image model, as data: what it is called, what it takes and how, what it answers.
 * The routes turn this into requests; nothing here knows about HTTP.
 */
export interface CatalogueModel {
  /** The short name: file names, results, the CLI (`flux`, `lucid-origin`). */
  alias: string;
  /** The Workers AI id (`@cf/leonardo/lucid-origin`). */
  id: string;
  /** One line for `imagegen models` and `/v1/models`. */
  description: string;
  inputs: readonly InputSpec[];
  /**
   * How the input is sent: a JSON body, multipart/form-data (FLUX.2 takes only that), or
   * `{ model, input }` to `/ai/run` (the partner models).
   */
  send: 'json' | 'multipart' | 'model-input';
  /**
   * The sizes it draws, when width and height go together as one `size` field (`1024x1536`):
   * both or neither, and one of these.
   */
  sizes?: readonly string[];
  /** Priced and run by a partner (OpenAI, Google, Black Forest Labs) through Cloudflare. */
  partner?: boolean;
  answer: AnswerSpec;
  /** The input image it takes (`image_b64` in JSON, a mask as a byte array), when it takes one. */
  imageInput?: ImageInputSpec;
  /** The size it draws when none is given. */
  defaultSize: { width: number; height: number };
  /** Longest prompt, in characters. */
  maxPromptLength: number;
}

/** A model's input image: whether it must have one, whether it takes a mask too, how many, how big. */
export interface ImageInputSpec {
  required?: boolean;
  mask?: boolean;
  /** How many input images it takes at once. @default 1 */
  maxImages?: number;
  /** The longest side it takes, in pixels: imagegen shrinks larger images to it before sending. */
  maxSide?: number;
  /**
   * Where a partner model reads its images: one base64 text (`image`) or a list of them
   * (`images`, `input_images`), as data URLs where it says so.
   */
  field?: { name: string; list: boolean; dataUrl?: boolean };
}

/** When the catalogue's schemas were last compared with Cloudflare's model pages. */
export const CATALOGUE_CHECKED = '2026-12-03';

/** Seeds every catalogue model accepts: an unsigned 32-bit integer. */
export const SEED_INPUT: InputSpec = { name: 'seed', field: 'seed', type: 'integer', min: 0, max: 4_294_967_295 };

/** How far an image-to-image model may move from its input image (Workers AI's `strength`). */
export const STRENGTH_INPUT: InputSpec = { name: 'strength', field: 'strength', type: 'number', min: 0, max: 1, default: 1 };

/**
 * True when the model's published schema lists a seed: a route that seeds every call then sends
 * one of imagegen's own when the caller gives none (flux-1-schnell's schema lists none).
 *
 * @example
 * schemaTakesSeed(lucidOrigin); // true
 */
export const schemaTakesSeed = (model: Pick<CatalogueModel, 'inputs'>): boolean =>
  model.inputs.some((input) => input.name === 'seed' && input.inSchema !== false);
