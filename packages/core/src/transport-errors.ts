// What a failed fetch says about itself: Node's undici and the platforms' fetch put codes and
// the real reason along the error's `cause` chain.

export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** The `code` fields along an error's cause chain (undici puts `UND_ERR_*` and `E*` codes there). */
export function causeCodes(error: unknown): string[] {
  const codes: string[] = [];
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const { code, name, cause } = current as { code?: unknown; name?: unknown; cause?: unknown };
    if (typeof code === 'string') codes.push(code);
    if (name === 'TimeoutError') codes.push('TIMEOUT');
    current = cause;
  }
  return codes;
}

/** The most specific message along the cause chain ("connect ECONNREFUSED ..." over "fetch failed"). */
export function networkDetail(error: unknown): string {
  let detail = messageOf(error);
  for (let current = (error as { cause?: unknown })?.cause, depth = 0; current && depth < 5; depth++) {
    detail = messageOf(current) || detail;
    current = (current as { cause?: unknown }).cause;
  }
  return detail;
}
