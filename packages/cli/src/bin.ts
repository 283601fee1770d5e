import { readFileSync } from 'node:fs';

// A reader that stops early (`imagegen --help | head`) closes the pipe: that ends the output,
// it is no error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

// `imagegen --version` is asked by scripts and agents before anything else: answered before a
// single module of the program is loaded (the program and its libraries cost more than node itself).
const [flag, ...rest] = process.argv.slice(2);
if ((flag === '--version' || flag === '-v') && rest.length === 0) {
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  process.stdout.write(`${version}\n`);
} else {
  const { main } = await import('./program.js');
  process.exitCode = await main(process.argv);
}
// A finished command exits even when a stray handle remains (a Redis client still trying to
// reconnect after its server went away); unref'd, so a normal exit never waits for it.
setTimeout(() => process.exit(), 2000).unref();
