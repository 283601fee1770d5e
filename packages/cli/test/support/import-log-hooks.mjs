// Module hooks that print every module a command resolves (IMPORT <url>), for the start-up test.
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  if (!resolved.url.startsWith('node:')) process.stderr.write(`IMPORT ${resolved.url}\n`);
  return resolved;
}
