/** One image of an OpenAI images answer. */
export interface AnswerImage {
  url?: string;
  b64_json?: string;
  [field: string]: unknown;
}

/**
 * The JSON text of an OpenAI images answer, with each `b64_json` spliced in as it is: base64
 * needs no escaping, so no character of it is scanned (docs/performance-notes.md). Only strings made by a
 * base64 encoder may be passed as `b64_json`.
 *
 * @example
 * imagesAnswerJson({ created: 1, data: [{ b64_json: 'AQID' }] }); // '{"created":1,"data":[{"b64_json":"AQID"}]}'
 */
export function imagesAnswerJson(answer: { created: number; data: AnswerImage[] }): string {
  const images = answer.data.map(({ b64_json: b64, ...rest }) => {
    if (b64 === undefined) return JSON.stringify(rest);
    const others = JSON.stringify(rest);
    return `{"b64_json":"${b64}"${others === '{}' ? '}' : `,${others.slice(1)}`}`;
  });
  const { data: _, ...head } = answer;
  return `${JSON.stringify(head).slice(0, -1)},"data":[${images.join(',')}]}`;
}
