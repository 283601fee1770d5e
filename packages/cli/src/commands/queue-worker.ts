import type { Command } from 'commander';
import { EXIT } from '../exit-codes.js';
import { openRuntime } from '../runtime.js';
import { resolveSettings } from '../settings-sources.js';
import { type CommandRunner, addConcurrencyFlag, addSettingFlags, integerIn, settingFlags } from './shared-options.js';
import { printConfigError, say } from './terminal.js';

interface QueueWorkerFlags {
  concurrency: number;
  rateLimit?: number;
  out?: string;
  fluxUrl?: string;
  sdxlUrl?: string;
}

async function runQueueWorker(flags: QueueWorkerFlags): Promise<number> {
  const { canReachRedis, configuredModels, imageStorageFromEnv, openUpstreamLimiter, queueSettingsFromEnv, resultCacheFromS3Env } =
    await import('@imagegen/http/internal');
  const { createQueueWorker } = await import('@imagegen/http');
  const resolved = await resolveSettings(settingFlags(flags), process.env, process.cwd());
  const env = { ...resolved.env, ...(flags.rateLimit === undefined ? {} : { IMAGEGEN_QUEUE_RATE_LIMIT: String(flags.rateLimit) }) };
  let settings;
  try {
    settings = queueSettingsFromEnv(env);
  } catch (error) {
    say((error as Error).message);
    return EXIT.notConfigured;
  }
  // Never the URL itself in the message: it may hold a password.
  if (!(await canReachRedis(settings.redisUrl, 5000))) {
    say('cannot reach Redis at IMAGEGEN_REDIS_URL (no answer to PING within 5 s)');
    return EXIT.failed;
  }
  let runtime;
  let pace: ReturnType<typeof openUpstreamLimiter> | undefined;
  try {
    // Unless IMAGEGEN_ADAPTIVE=0, this worker paces each upstream on the schedule every
    // process of this Redis shares.
    pace = openUpstreamLimiter(env, settings.redisUrl);
    const { limiter } = pace;
    // IMAGEGEN_CACHE_S3=1: the result cache in the bucket, shared with the gateways.
    const resultCache = resultCacheFromS3Env(env);
    runtime = await openRuntime({
      ...(resultCache ? { resultCache } : {}),
      resolved: { ...resolved, env },
      say,
      connections: Math.max(10, flags.concurrency * 2),
      ...(limiter ? { limiter } : {}),
    });
  } catch (error) {
    await pace?.close();
    return printConfigError(error, false);
  }
  const models = configuredModels(runtime.settings);
  const storage = imageStorageFromEnv(env, runtime.settings.outputDir, 3_600_000);
  const worker = createQueueWorker({ settings, generator: runtime.generator, storage, models, concurrency: flags.concurrency });
  const stop = async (): Promise<void> => {
    await worker.close();
    await runtime.close();
    await storage.close();
    await pace?.close();
  };
  await worker.ready();
  say(
    `queue worker taking ${models.join(', ')} jobs, ${flags.concurrency} at once per model${settings.ratePerSecond ? `, at most ${settings.ratePerSecond}/s per model across all workers` : ''}; storage: ${storage.kind}; Ctrl-C or SIGTERM drains and stops`,
  );
  // SIGTERM drains: no new jobs, the active ones finish; a second signal stops at once.
  await new Promise<void>((resolve) => {
    const onSignal = (): void => {
      say('draining: finishing the active jobs, taking no new ones');
      process.once('SIGTERM', () => process.exit(EXIT.interrupted));
      process.once('SIGINT', () => process.exit(EXIT.interrupted));
      resolve();
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  });
  await stop();
  say('queue worker stopped');
  return EXIT.ok;
}

/** `imagegen queue-worker [--concurrency N] [--rate-limit N]` */
export function registerQueueWorker(program: Command, run: CommandRunner): void {
  const command = program
    .command('queue-worker')
    .description('take image jobs from the shared queue (IMAGEGEN_REDIS_URL) and make them; run any number of these, anywhere')
    .option(
      '--rate-limit <n>',
      'worker calls per second per model across all processes (IMAGEGEN_QUEUE_RATE_LIMIT)',
      integerIn(1, 100_000),
    );
  addConcurrencyFlag(command, 'jobs made at once, per model');
  addSettingFlags(command).action((flags: QueueWorkerFlags) => run(() => runQueueWorker(flags)));
}
