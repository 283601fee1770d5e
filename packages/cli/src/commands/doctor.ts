import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ErrorCode, type GenerationResult, routeRegistry } from '@imagegen/core';
import type { Command } from 'commander';
import pc from 'picocolors';
import { EXIT, exitCodeFor } from '../exit-codes.js';
import { openRuntime } from '../runtime.js';
import { resolveSettings } from '../settings-sources.js';
import { type CommandRunner, addSettingFlags, settingFlags } from './shared-options.js';
import { printConfigError, say, writeJson } from './terminal.js';

const fixes: Partial<Record<ErrorCode, string>> = {
  not_configured: 'set the worker URL (and SDXL_API_KEY for SDXL) in the environment or a .env file',
  unauthorized:
    "SDXL_API_KEY must equal the SDXL worker's API_KEY secret (wrangler secret put API_KEY); for Workers AI, CLOUDFLARE_API_TOKEN needs the Workers AI permission",
  quota_exceeded: "the account's free daily Workers AI allocation is used up: wait for 00:00 UTC or move to Workers Paid",
  method_not_allowed: 'the URL may point at the other worker (Flux takes GET, SDXL takes POST)',
  bad_request: 'the worker refused the request: is this URL an imagegen worker?',
  rate_limited: 'Workers AI is out of capacity or rate limited: try again later',
  server_error: 'the worker failed: look at its logs (wrangler tail)',
  network: 'check the URL, and that the worker is deployed and reachable from here',
  timeout: 'the worker did not answer in time: check the URL and the worker',
  invalid_response: "the URL answers something that is not an image: is it the worker's URL?",
  too_large: 'the worker answered an image over the size limit',
};

type DoctorFlags = { json?: boolean; out?: string; fluxUrl?: string; sdxlUrl?: string };

async function doctor(flags: DoctorFlags): Promise<number> {
  const resolved = await resolveSettings(settingFlags(flags), process.env, process.cwd());
  // Probe images go to a scratch directory, never the user's output directory.
  const scratch = await mkdtemp(join(tmpdir(), 'imagegen-doctor-'));
  let runtime;
  try {
    runtime = await openRuntime({
      resolved: { ...resolved, env: { ...resolved.env, IMAGEGEN_OUTPUT_DIR: scratch } },
      retry: { retries: 0 },
      say,
    });
  } catch (error) {
    await rm(scratch, { recursive: true, force: true });
    return printConfigError(error, Boolean(flags.json));
  }
  let exitCode: number = EXIT.ok;
  const checks: Array<Record<string, unknown>> = [];
  // One probe's outcome: a check in the report, a line on a terminal, the first failure's exit code.
  const report = (model: string, where: string, fields: Record<string, unknown>, result: GenerationResult): void => {
    if (result.ok) {
      const { durationMs, contentType, bytes } = result;
      checks.push({ model, ...fields, ok: true, latencyMs: durationMs, contentType, bytes });
      if (!flags.json)
        process.stdout.write(`${pc.green('✔')} ${model} ${where} answered ${contentType} (${bytes} bytes) in ${durationMs} ms\n`);
      return;
    }
    const fix = fixes[result.error.code] ?? 'see the error above';
    checks.push({ model, ...fields, ok: false, error: result.error.toJSON(), fix });
    if (!flags.json) process.stdout.write(`${pc.red('✖')} ${model} ${where}: ${result.error.message}\n        fix: ${fix}\n`);
    if (exitCode === EXIT.ok) exitCode = exitCodeFor(result.error);
  };
  try {
    if (runtime.settings.accountId) {
      // ky is loaded by the one command that asks Cloudflare's account API.
      const { checkAccount } = await import('../cloudflare-account.js');
      const account = await checkAccount(runtime.settings);
      checks.push({
        model: 'account',
        url: runtime.settings.apiBaseUrl,
        ok: account.ok,
        ...(account.ok ? {} : { error: { message: account.message } }),
      });
      if (!flags.json) process.stdout.write(`${account.ok ? pc.green('✔') : pc.red('✖')} account ${account.message}\n`);
      if (!account.ok && exitCode === EXIT.ok) exitCode = EXIT.rejected;
    }
    // One small image by each configured route, in the order calls try them.
    for (const route of routeRegistry.configured(runtime.settings)) {
      const { model, width, height } = route.probe;
      const result = await runtime.generator.generate(model, 'imagegen doctor check: a small red circle', {
        route: route.name,
        ...(width === undefined ? {} : { width }),
        ...(height === undefined ? {} : { height }),
      });
      const url = route.readiness(runtime.settings).url;
      report(model, `by ${route.name}`, { route: route.name, url: url ?? null }, result);
    }
  } finally {
    await runtime.close();
    await rm(scratch, { recursive: true, force: true });
  }
  if (flags.json) writeJson({ local: runtime.local, checks });
  return exitCode;
}

/** `imagegen doctor` */
export function registerDoctor(program: Command, run: CommandRunner): void {
  const command = program
    .command('doctor')
    .description(
      'check each route: the workers, the Workers AI account and token, AI Gateway; one small image each, latency; says what to fix',
    )
    .option('--json', 'print as JSON');
  addSettingFlags(command).action((flags: DoctorFlags) => run(() => doctor(flags)));
}
