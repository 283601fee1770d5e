/**
 * True when an S3 call failed because the object is not there (`NoSuchKey`, `NotFound`, a 404),
 * which callers answer as "none", not as an error.
 *
 * @example
 * try { await client.send(new GetObjectCommand(input)); } catch (error) { if (isMissing(error)) return undefined; throw error; }
 */
export const isMissing = (error: unknown): boolean => {
  const { name, $metadata } = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return name === 'NoSuchKey' || name === 'NotFound' || $metadata?.httpStatusCode === 404;
};
