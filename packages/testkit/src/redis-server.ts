import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';

/** A throwaway redis-server on loopback. */
export interface TestRedis {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts Debian's `redis-server` (no persistence) on a free loopback port (or `port`: a Redis
 * started again where a stopped one was), for tests that need a real Redis. Throws when redis-server is not installed (`.ci/run` installs it).
 *
 * @example
 * const redis = await startRedis();
 * // ... IMAGEGEN_REDIS_URL = redis.url
 * await redis.stop();
 */
export async function startRedis(binary = 'redis-server', port?: number): Promise<TestRedis> {
  const dir = await mkdtemp(join(tmpdir(), 'imagegen-redis-'));
  port ??= await freePort();
  const child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) resolve();
    };
    child.stdout.on('data', onData);
    child.once('error', (error) => reject(new Error(`cannot start ${binary}: ${error.message}`)));
    child.once('exit', (code) => reject(new Error(`${binary} exited with ${code}: ${output}`)));
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
