import ky, { TimeoutError } from 'ky';

/** What the page asks the gateway for. */
export interface GenerateRequest {
  prompt: string;
  /** A catalogue alias. */
  model: string;
  seed?: number;
  size?: string;
  steps?: number;
  guidance?: number;
  negative_prompt?: string;
  /** A partner model's quality tier (gpt-image). */
  quality?: string;
  /** A partner model's aspect ratio (imagen-4). */
  aspect_ratio?: string;
}

/** A generated image as the page shows it. */
export interface GeneratedImage {
  url: string;
  model: string;
  attempts: number | undefined;
  ms: number;
}

/** A failure with a message a person can read. */
export class GatewayFailure extends Error {
  constructor(
    readonly title: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

function titleFor(status: number, retryAfter: string | null): string {
  if (status === 429) return retryAfter ? `Rate limited: try again in ${retryAfter} s` : 'Rate limited: try again shortly';
  if (status === 400) return 'The prompt was not accepted';
  if (status === 401) return 'The gateway wants an API key';
  if (status === 503) return 'The gateway is busy';
  if (status === 504) return 'The image service timed out';
  if (status >= 500) return 'The image service failed';
  return `Request failed (HTTP ${status})`;
}

// Longer than the gateway's own limits (120 s for headers, 3 retries): a gateway that never
// answers is said so, not waited on forever.
const TIMEOUT_MS = 180_000;

/**
 * Sends one request to the gateway and reads its OpenAI-shaped answer (`url`), timed. No retry: a
 * generation is not safe to repeat without an Idempotency-Key, and the gateway retries upstream itself.
 */
async function imageAnswer(
  path: string,
  init: { json?: unknown; body?: FormData },
  model: string,
  baseUrl: string,
): Promise<GeneratedImage> {
  const started = performance.now();
  let response: Response;
  try {
    response = await ky.post(`${baseUrl}${path}`, { ...init, timeout: TIMEOUT_MS, retry: 0, throwHttpErrors: false });
  } catch (error) {
    if (error instanceof TimeoutError) throw new GatewayFailure('The gateway did not answer', 'No answer in 3 minutes.', 0);
    throw new GatewayFailure('The gateway cannot be reached', 'Is `pnpm demo` still running?', 0);
  }
  const body = (await response.json().catch(() => undefined)) as
    { data?: Array<{ url?: string }>; error?: { message?: string } } | undefined;
  if (!response.ok || !body?.data?.[0]?.url) {
    throw new GatewayFailure(
      titleFor(response.status, response.headers.get('retry-after')),
      body?.error?.message ?? 'No image came back.',
      response.status,
    );
  }
  const attempts = Number(response.headers.get('x-imagegen-attempts') ?? Number.NaN);
  return {
    url: body.data[0].url,
    model,
    attempts: Number.isFinite(attempts) ? attempts : undefined,
    ms: Math.round(performance.now() - started),
  };
}

/** Calls the gateway's OpenAI-compatible generations endpoint (`url` answers) and measures the time. */
export function generateImage(request: GenerateRequest, baseUrl = ''): Promise<GeneratedImage> {
  return imageAnswer('/v1/images/generations', { json: { ...request, n: 1, response_format: 'url' } }, request.model, baseUrl);
}

/**
 * Calls the gateway's edits endpoint as OpenAI's clients do: multipart/form-data, the image as
 * `image` (several as `image[]`), the other fields as text.
 */
export function editImage(
  request: GenerateRequest & { strength?: number },
  images: readonly File[],
  baseUrl = '',
): Promise<GeneratedImage> {
  const form = new FormData();
  for (const image of images) form.append(images.length === 1 ? 'image' : 'image[]', image, image.name);
  for (const [name, value] of Object.entries({ ...request, n: 1, response_format: 'url' })) form.append(name, String(value));
  return imageAnswer('/v1/images/edits', { body: form }, request.model, baseUrl);
}
