import { loadSettings, DEFAULT_OUTPUT_DIR } from '@imagegen/core';
import type { Command } from 'commander';
import { EXIT } from '../exit-codes.js';
import { redactSecret } from '../redact.js';
import { resolveSettings, SECRET_SETTINGS, SETTING_NAMES } from '../settings-sources.js';
import { type CommandRunner, addSettingFlags, settingFlags } from './shared-options.js';
import { writeJson } from './terminal.js';

type ConfigFlags = { json?: boolean; out?: string; fluxUrl?: string; sdxlUrl?: string };

async function config(flags: ConfigFlags): Promise<number> {
  const { env, sources } = await resolveSettings(settingFlags(flags), process.env, process.cwd());
  let problem: string | undefined;
  try {
    loadSettings(env);
  } catch (error) {
    problem = (error as Error).message;
  }
  const rows = SETTING_NAMES.map((name) => {
    const raw = env[name];
    const value =
      raw === undefined
        ? name === 'IMAGEGEN_OUTPUT_DIR'
          ? DEFAULT_OUTPUT_DIR
          : undefined
        : SECRET_SETTINGS.has(name)
          ? redactSecret(raw)
          : raw;
    return { name, value: value ?? null, source: raw === undefined ? (name === 'IMAGEGEN_OUTPUT_DIR' ? 'default' : null) : sources[name] };
  });
  const local = !env.FLUX_WORKER_URL && !env.SDXL_WORKER_URL && !env.IMAGEGEN_WORKER_URL && !env.CLOUDFLARE_ACCOUNT_ID;
  const cloudflare = env.CLOUDFLARE_ACCOUNT_ID ? (env.CLOUDFLARE_AI_GATEWAY ? 'AI Gateway' : 'the Workers AI REST API') : undefined;
  const workers = [
    env.FLUX_WORKER_URL || env.SDXL_WORKER_URL ? 'the Flux/SDXL workers' : '',
    env.IMAGEGEN_WORKER_URL ? 'your imagegen worker' : '',
  ]
    .filter(Boolean)
    .join(' and ');
  const mode = local
    ? 'local preview workers (offline; no worker or Workers AI account configured)'
    : [workers, cloudflare].filter(Boolean).join(', then ');
  if (flags.json) {
    writeJson({ settings: rows, mode: local ? 'local' : 'remote', ...(problem ? { problem } : {}) });
  } else {
    for (const row of rows)
      process.stdout.write(`${row.name.padEnd(31)} ${row.value ?? '(not set)'}${row.source ? `  (${row.source})` : ''}\n`);
    process.stdout.write(`${'mode'.padEnd(31)} ${mode}\n`);
    if (problem) process.stderr.write(`problem: ${problem}\n`);
  }
  return problem ? EXIT.notConfigured : EXIT.ok;
}

/** `imagegen config` */
export function registerConfig(program: Command, run: CommandRunner): void {
  const command = program
    .command('config')
    .description('show the effective settings and where each came from (flag, env, .env); the key redacted')
    .option('--json', 'print as JSON');
  addSettingFlags(command).action((flags: ConfigFlags) => run(() => config(flags)));
}
