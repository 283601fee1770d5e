import { main } from './program.js';

process.exitCode = await main(process.argv);
// A finished command exits even when a stray handle remains (a Redis client still trying to
// reconnect after its server went away); unref'd, so a normal exit never waits for it.
setTimeout(() => process.exit(), 2000).unref();
