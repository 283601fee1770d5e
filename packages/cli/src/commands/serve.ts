import type { Command } from 'commander';
import { EXIT } from '../exit-codes.js';
import { openRuntime } from '../runtime.js';
import { resolveSettings } from '../settings-sources.js';
import { type CommandRunner, addConcurrencyFlag, addSettingFlags, integerIn, settingFlags } from './shared-options.js';
import { listenFailure, printConfigError, say } from './terminal.js';

interface ServeFlags {
  port: number;
  host: string;
  jobs: boolean;
  concurrency: number;
  out?: string;
  fluxUrl?: string;
  sdxlUrl?: string;
}

async function serveGateway(flags: ServeFlags, command: Command): Promise<number> {
  const { serve } = await import('@imagegen/http');
  const { isLoopbackHost, needsKeys, parseGatewayKeys } = await import('@imagegen/http/internal');
  const resolved = await resolveSettings(settingFlags(flags), process.env, process.cwd());
  // Said before anything starts, in the flags' own words.
  if (
    !isLoopbackHost(flags.host) &&
    parseGatewayKeys(resolved.env.IMAGEGEN_GATEWAY_KEYS).length === 0 &&
    !resolved.env.IMAGEGEN_KEYS_FILE?.trim()
  ) {
    command.error(`error: --host ${flags.host}: ${needsKeys(flags.host)}`, { exitCode: EXIT.usage });
  }
  if (!flags.jobs && !resolved.env.IMAGEGEN_REDIS_URL?.trim()) {
    command.error('error: --no-jobs leaves the jobs to queue workers, which need IMAGEGEN_REDIS_URL (a shared queue)', {
      exitCode: EXIT.usage,
    });
  }
  let runtime;
  try {
    runtime = await openRuntime({ resolved, say });
  } catch (error) {
    return printConfigError(error, false);
  }
  let gateway;
  try {
    gateway = await serve({
      port: flags.port,
      host: flags.host,
      env: resolved.env,
      generator: runtime.generator,
      concurrency: flags.concurrency,
      takeJobs: flags.jobs,
      onClosed: () => runtime.close(),
    });
  } catch (error) {
    await runtime.close();
    say(listenFailure(error, flags.port, 'the gateway'));
    return EXIT.failed;
  }
  say(`gateway listening on ${gateway.url} (OpenAI base URL: ${gateway.url}/v1); Ctrl-C stops it`);
  await gateway.closed;
  return EXIT.ok;
}

/** `imagegen serve [--port N] [--host H]` */
export function registerServe(program: Command, run: CommandRunner): void {
  const command = program
    .command('serve')
    .description('run the OpenAI-compatible gateway (POST /v1/images/generations); local workers when none is configured')
    .option('-p, --port <n>', 'port to listen on (0: any free port)', integerIn(0, 65535), 8080)
    .option('--host <host>', 'address to listen on (other than loopback only with IMAGEGEN_GATEWAY_KEYS)', '127.0.0.1')
    .option('--no-jobs', 'with IMAGEGEN_REDIS_URL: only serve HTTP, leave the jobs to queue workers');
  addConcurrencyFlag(command, 'images made at once by this process (per model with IMAGEGEN_REDIS_URL)');
  addSettingFlags(command).action((flags: ServeFlags, self: Command) => run(() => serveGateway(flags, self)));
}
