/** The part of the Workers AI binding (`env.AI`) the workers use. */
export interface AiBinding {
  run(model: string, inputs: Record<string, unknown>): Promise<unknown>;
}

/** The Flux worker's environment. */
export interface FluxEnv {
  AI: AiBinding;
}

/** The SDXL worker's environment: the AI binding and the `API_KEY` secret. */
export interface SdxlEnv {
  AI: AiBinding;
  API_KEY?: string;
}

/** The Workers AI model names. */
export const FLUX_MODEL = '@cf/black-forest-labs/flux-1-schnell';
export const SDXL_MODEL = '@cf/stabilityai/stable-diffusion-xl-base-1.0';
