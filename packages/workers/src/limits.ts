// A Worker module may export only handlers, so the workers' limits live here.

/** Longest prompt Flux on Workers AI accepts. */
export const FLUX_MAX_PROMPT = 2048;

/** Longest prompt the SDXL worker accepts. */
export const SDXL_MAX_PROMPT = 2048;
