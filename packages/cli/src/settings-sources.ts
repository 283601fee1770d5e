import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DEFAULT_OUTPUT_DIR, routeRegistry, type RouteSetting } from '@imagegen/core';
import { parse } from 'dotenv';

/** A setting `imagegen config` lists: a route's (from the route registry) or one of the CLI and gateway's own. */
export interface ListedSetting extends RouteSetting {
  /** What applies when it is not set. */
  default?: string;
}

// The settings that belong to no route: where images go, and the gateway's and queue's own.
// The route settings come from the route registry, so a route added there is listed too.
const OWN_SETTINGS: readonly ListedSetting[] = [
  { name: 'IMAGEGEN_OUTPUT_DIR', description: 'where images are written', default: DEFAULT_OUTPUT_DIR },
  {
    name: 'IMAGEGEN_GATEWAY_KEYS',
    description: "the gateway's API keys (comma-separated): none means no auth, loopback only",
    secret: true,
  },
  { name: 'IMAGEGEN_PUBLIC_URL', description: "the gateway's public base URL for url answers", url: true },
  { name: 'IMAGEGEN_REDIS_URL', description: 'Redis for the shared queue, limits and idempotency', secret: true },
  { name: 'IMAGEGEN_MAX_RATE', description: "requests a minute to each model (your account's limit)" },
];

// Set by imagegen itself when it starts the offline preview: nothing for a user to set.
const INTERNAL = new Set(['IMAGEGEN_LOCAL_PREVIEW_URL']);

/**
 * Every setting the CLI reads, in the order `imagegen config` lists them: the routes' (in the
 * registry's precedence order), then imagegen's own.
 *
 * @example
 * listedSettings().map((setting) => setting.name); // ['FLUX_WORKER_URL', 'SDXL_WORKER_URL', ..., 'IMAGEGEN_OUTPUT_DIR', ...]
 */
export function listedSettings(): ListedSetting[] {
  return [...routeRegistry.settings().filter((setting) => !INTERNAL.has(setting.name)), ...OWN_SETTINGS];
}

/** Where a setting's value came from. */
export type SettingSource = 'flag' | 'env' | '.env' | 'default';

/** Settings with their sources, highest precedence first: flags, environment, `.env`. */
export interface ResolvedSettings {
  env: Record<string, string | undefined>;
  sources: Partial<Record<string, SettingSource>>;
}

/** Reads `.env` in `cwd`; a missing file is no settings. */
async function readDotenv(cwd: string): Promise<Record<string, string>> {
  try {
    return parse(await readFile(resolve(cwd, '.env'), 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
}

const present = (value: string | undefined): value is string => value !== undefined && value.trim() !== '';

/**
 * The one settings loader of every command and the gateway: flags > environment > `.env` (in
 * `cwd`), for every name (a `.env` line feeds the gateway's keys as it feeds the routes), and
 * where each came from. Blank values count as unset.
 *
 * @example
 * const { env, sources } = await resolveSettings({ FLUX_WORKER_URL: 'https://flux.example' }, process.env, process.cwd());
 */
export async function resolveSettings(
  flags: Partial<Record<string, string | undefined>>,
  environment: NodeJS.ProcessEnv,
  cwd: string,
): Promise<ResolvedSettings> {
  const dotenv = await readDotenv(cwd);
  const env: Record<string, string | undefined> = {};
  const sources: ResolvedSettings['sources'] = {};
  const names = new Set([...Object.keys(dotenv), ...Object.keys(environment), ...Object.keys(flags)]);
  for (const name of names) {
    const candidates: Array<[SettingSource, string | undefined]> = [
      ['flag', flags[name]],
      ['env', environment[name]],
      ['.env', dotenv[name]],
    ];
    const found = candidates.find(([, value]) => present(value));
    env[name] = found?.[1] ?? environment[name];
    if (found) sources[name] = found[0];
  }
  return { env, sources };
}
