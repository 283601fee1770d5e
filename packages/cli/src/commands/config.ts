import { hasRemoteRoute, loadSettings, routeRegistry, type Settings } from '@imagegen/core';
import type { Command } from 'commander';
import { EXIT } from '../exit-codes.js';
import { redactSecret } from '../redact.js';
import { listedSettings, resolveSettings } from '../settings-sources.js';
import { type CommandRunner, addSettingFlags, settingFlags } from './shared-options.js';
import { writeJson } from './terminal.js';

type ConfigFlags = { json?: boolean; out?: string; fluxUrl?: string; sdxlUrl?: string };

/** The routes these settings configure, in the order a call tries them; the local preview when none leads off this machine. */
function routesInUse(settings: Settings | undefined): Array<{ name: string; describe: string }> {
  if (!settings) return [];
  if (!hasRemoteRoute(settings))
    return [{ name: 'local', describe: 'the local preview workers (offline; no worker or Workers AI account configured)' }];
  return routeRegistry.configured(settings).map((route) => ({ name: route.name, describe: routeRegistry.describe(route, settings) }));
}

async function config(flags: ConfigFlags): Promise<number> {
  const { env, sources } = await resolveSettings(settingFlags(flags), process.env, process.cwd());
  let problem: string | undefined;
  let settings: Settings | undefined;
  try {
    settings = loadSettings(env);
  } catch (error) {
    problem = (error as Error).message;
  }
  const rows = listedSettings().map((setting) => {
    const raw = env[setting.name]?.trim() ? env[setting.name] : undefined;
    const value = raw === undefined ? setting.default : setting.secret ? redactSecret(raw) : raw;
    const source = raw === undefined ? (setting.default === undefined ? null : 'default') : (sources[setting.name] ?? null);
    return { name: setting.name, value: value ?? null, source };
  });
  const routes = routesInUse(settings);
  const local = routes.length === 1 && routes[0]?.name === 'local';
  if (flags.json) {
    writeJson({
      settings: rows,
      mode: local ? 'local' : 'remote',
      routes: routes.map((route) => route.name),
      ...(problem ? { problem } : {}),
    });
  } else {
    const width = Math.max(31, ...rows.map((row) => row.name.length + 1));
    for (const row of rows)
      process.stdout.write(`${row.name.padEnd(width)} ${row.value ?? '(not set)'}${row.source ? `  (${row.source})` : ''}\n`);
    process.stdout.write(`${'routes, in order'.padEnd(width)} ${routes.map((route) => route.describe).join(', then ') || '(none)'}\n`);
    if (problem) process.stderr.write(`problem: ${problem}\n`);
  }
  return problem ? EXIT.notConfigured : EXIT.ok;
}

/** `imagegen config` */
export function registerConfig(program: Command, run: CommandRunner): void {
  const command = program
    .command('config')
    .description('show the effective settings and where each came from (flag, env, .env), secrets redacted, and the routes in use')
    .option('--json', 'print as JSON');
  addSettingFlags(command).action((flags: ConfigFlags) => run(() => config(flags)));
}
