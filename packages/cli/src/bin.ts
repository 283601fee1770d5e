import { main } from './program.js';

// A reader that stops early (`imagegen --help | head`) closes the pipe: that ends the output,
// it is no error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

process.exitCode = await main(process.argv);
// A finished command exits even when a stray handle remains (a Redis client still trying to
// reconnect after its server went away); unref'd, so a normal exit never waits for it.
setTimeout(() => process.exit(), 2000).unref();
