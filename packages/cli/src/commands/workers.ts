import type { Command } from 'commander';
import { EXIT } from '../exit-codes.js';
import { type CommandRunner, integerIn } from './shared-options.js';
import { listenFailure, say } from './terminal.js';

async function workers(flags: { port: number; host: string }): Promise<number> {
  const { startLocalWorkers } = await import('@imagegen/workers');
  const configuredKey = process.env.SDXL_API_KEY?.trim();
  let running;
  try {
    running = await startLocalWorkers({ port: flags.port, host: flags.host, ...(configuredKey ? { apiKey: configuredKey } : {}) });
  } catch (error) {
    say(listenFailure(error, flags.port, 'the workers'));
    return EXIT.failed;
  }
  say(`local preview workers (offline) running: Flux ${running.fluxUrl}, SDXL ${running.sdxlUrl}`);
  say('use them from another shell with these lines; Ctrl-C stops them');
  // The key is this process's own local key, or the user's own (then it is not echoed).
  const keyLine = configuredKey ? 'export SDXL_API_KEY="$SDXL_API_KEY"' : `export SDXL_API_KEY=${running.apiKey}`;
  process.stdout.write(`export FLUX_WORKER_URL=${running.fluxUrl}\nexport SDXL_WORKER_URL=${running.sdxlUrl}\n${keyLine}\n`);
  // The REST API's stand-in serves every catalogue model; these lines are for it instead.
  process.stdout.write(
    `# or, every catalogue model by the REST route (any account and token):\n# export CLOUDFLARE_ACCOUNT_ID=local CLOUDFLARE_API_TOKEN=local CLOUDFLARE_API_BASE_URL=${running.restBaseUrl}\n`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await running.close();
  say('workers stopped');
  return EXIT.ok;
}

/** `imagegen workers [--port N]` */
export function registerWorkers(program: Command, run: CommandRunner): void {
  program
    .command('workers')
    .description('run the local Flux and SDXL preview workers (offline) until Ctrl-C')
    .option('-p, --port <n>', 'port to listen on (0: any free port)', integerIn(0, 65535), 8787)
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .action((flags: { port: number; host: string }) => run(() => workers(flags)));
}
