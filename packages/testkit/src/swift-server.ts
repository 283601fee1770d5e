import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './free-port.js';

/** A throwaway OpenStack Swift with its S3 API on loopback. */
export interface TestS3 {
  /** The S3 endpoint (path-style), e.g. `http://127.0.0.1:41234`. */
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** The environment a process needs to reach it (without a bucket). */
  env: Record<string, string>;
  stop(): Promise<void>;
}

const run = promisify(execFile);

const serverConf = (dir: string, port: number, app: string): string => `[DEFAULT]
bind_ip = 127.0.0.1
bind_port = ${port}
devices = ${dir}/srv
mount_check = false
swift_dir = ${dir}
user = root
workers = 0
log_level = WARNING
# Swift's defaults (0.5 s to connect, 10 s per backend answer) make the proxy answer
# 503 "Please reduce your request rate" when a loaded 2-core CI machine is slow to accept.
conn_timeout = 5
node_timeout = 30

[pipeline:main]
pipeline = ${app}-server

[app:${app}-server]
use = egg:swift#${app}
`;

const proxyConf = (dir: string, port: number, memcachedPort: number): string => {
  // Section name in the pipeline -> the egg that implements it.
  const filters = {
    catch_errors: 'catch_errors',
    gatekeeper: 'gatekeeper',
    healthcheck: 'healthcheck',
    'proxy-logging': 'proxy_logging',
    listing_formats: 'listing_formats',
    copy: 'copy',
    slo: 'slo',
    dlo: 'dlo',
    s3api: 's3api',
  };
  return `[DEFAULT]
bind_ip = 127.0.0.1
bind_port = ${port}
swift_dir = ${dir}
user = root
workers = 0
log_level = WARNING
# Swift's defaults (0.5 s to connect, 10 s per backend answer) make the proxy answer
# 503 "Please reduce your request rate" when a loaded 2-core CI machine is slow to accept.
conn_timeout = 5
node_timeout = 30

[pipeline:main]
pipeline = catch_errors gatekeeper healthcheck proxy-logging cache listing_formats s3api tempauth copy slo dlo proxy-logging proxy-server

[app:proxy-server]
use = egg:swift#proxy
account_autocreate = true

[filter:tempauth]
use = egg:swift#tempauth
user_test_tester = testing .admin

[filter:cache]
use = egg:swift#memcache
memcache_servers = 127.0.0.1:${memcachedPort}

${Object.entries(filters)
  .map(([name, egg]) => `[filter:${name}]\nuse = egg:swift#${egg}\n`)
  .join('\n')}`;
};

/**
 * Ready means a client's whole path works, not only the proxy's healthcheck: tempauth gives a
 * token, and through the proxy an object is written to a container, read and removed (the
 * account, container and object servers all answer; one that lost its port to another process
 * exits, which ends the wait at once). An object server still starting made a test's first
 * write answer 503 "Please reduce your request rate" on a loaded machine, past the S3 client's
 * retries, when only the account was checked.
 */
async function wholePathAnswers(proxy: string): Promise<boolean> {
  const signal = AbortSignal.timeout(5000);
  const auth = await fetch(`${proxy}/auth/v1.0`, { headers: { 'x-auth-user': 'test:tester', 'x-auth-key': 'testing' }, signal });
  const token = auth.headers.get('x-auth-token');
  const storage = auth.headers.get('x-storage-url');
  if (!auth.ok || !token || !storage) return false;
  const call = async (method: string, path: string, body?: string): Promise<boolean> => {
    const answer = await fetch(`${storage}${path}`, { method, headers: { 'x-auth-token': token }, body, signal });
    await answer.body?.cancel();
    return answer.ok;
  };
  return (
    (await call('PUT', '/imagegen-ready')) &&
    (await call('PUT', '/imagegen-ready/probe', 'ok')) &&
    (await call('GET', '/imagegen-ready/probe')) &&
    (await call('DELETE', '/imagegen-ready/probe'))
  );
}

async function waitForHealth(proxy: string, children: ChildProcess[], output: Map<ChildProcess, string>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const dead = children.find((child) => child.exitCode !== null);
    if (dead) throw new Error(`a swift process exited with ${dead.exitCode}: ${output.get(dead) ?? ''}`);
    try {
      const health = await fetch(`${proxy}/healthcheck`, { signal: AbortSignal.timeout(1000) });
      if (health.ok && (await wholePathAnswers(proxy))) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`swift did not answer ${proxy} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Starts a single-node OpenStack Swift (Debian's swift-proxy, -object, -container, -account and
 * memcached) with the `s3api` middleware, all of its state in a temp directory: a real
 * S3-compatible server for storage tests (TOOLCHAIN.md). Credentials: `test:tester` / `testing`.
 * Throws when the packages are not installed (`.ci/run` installs them).
 *
 * @example
 * const s3 = await startSwift();
 * const client = new S3Client({ endpoint: s3.endpoint, region: s3.region, forcePathStyle: true,
 *   credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey } });
 * await s3.stop();
 */
export async function startSwift(timeoutMs = 30_000): Promise<TestS3> {
  // Ports are picked free, then bound by other processes: another test starting its own
  // servers at the same moment may take one first. Then a server exits, and a second try
  // with new ports follows.
  try {
    return await startSwiftOnce(timeoutMs);
  } catch {
    return startSwiftOnce(timeoutMs);
  }
}

async function startSwiftOnce(timeoutMs: number): Promise<TestS3> {
  const dir = await mkdtemp(join(tmpdir(), 'imagegen-swift-'));
  const [proxy, object, container, account, memcached] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
  await mkdir(join(dir, 'srv', 'd1'), { recursive: true });
  await writeFile(
    join(dir, 'swift.conf'),
    '[swift-hash]\nswift_hash_path_suffix = imagegen-test\nswift_hash_path_prefix = imagegen\n\n[storage-policy:0]\nname = Policy-0\ndefault = yes\n',
  );
  const servers = { object, container, account } as const;
  for (const [app, port] of Object.entries(servers)) {
    await writeFile(join(dir, `${app}-server.conf`), serverConf(dir, port, app));
    const builder = join(dir, `${app}.builder`);
    await run('swift-ring-builder', [builder, 'create', '6', '1', '1']);
    await run('swift-ring-builder', [builder, 'add', `r1z1-127.0.0.1:${port}/d1`, '100']);
    await run('swift-ring-builder', [builder, 'rebalance']);
  }
  await writeFile(join(dir, 'proxy-server.conf'), proxyConf(dir, proxy, memcached));

  const children: ChildProcess[] = [];
  const output = new Map<ChildProcess, string>();
  const start = (command: string, args: string[]): void => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    // The tail of stderr, for the error when a server does not come up.
    child.stderr.on('data', (chunk: Buffer) =>
      output.set(child, `${command}: ${((output.get(child) ?? '') + chunk.toString()).slice(-2000)}`),
    );
    children.push(child);
  };
  start('memcached', ['-l', '127.0.0.1', '-p', String(memcached), '-U', '0', '-u', 'root']);
  for (const app of Object.keys(servers)) start(`swift-${app}-server`, [join(dir, `${app}-server.conf`)]);
  start('swift-proxy-server', [join(dir, 'proxy-server.conf')]);
  const stop = async (): Promise<void> => {
    await Promise.all(
      children.map(async (child) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGKILL');
        await exited;
      }),
    );
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitForHealth(`http://127.0.0.1:${proxy}`, children, output, timeoutMs);
  } catch (error) {
    await stop();
    throw error;
  }
  const endpoint = `http://127.0.0.1:${proxy}`;
  const credentials = { accessKeyId: 'test:tester', secretAccessKey: 'testing', region: 'us-east-1' };
  return {
    endpoint,
    ...credentials,
    env: {
      IMAGEGEN_S3_ENDPOINT: endpoint,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AWS_REGION: credentials.region,
    },
    stop,
  };
}
