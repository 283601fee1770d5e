import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parse } from 'dotenv';

/** The settings the CLI reads, by environment name. */
export const SETTING_NAMES = [
  'CLOUDFLARE_ACCOUNT_ID',
  'CLOUDFLARE_API_TOKEN',
  'CLOUDFLARE_API_BASE_URL',
  'CLOUDFLARE_AI_GATEWAY',
  'CLOUDFLARE_AI_GATEWAY_TOKEN',
  'CLOUDFLARE_AI_GATEWAY_BASE_URL',
  'IMAGEGEN_WORKER_URL',
  'IMAGEGEN_WORKER_KEY',
  'FLUX_WORKER_URL',
  'SDXL_WORKER_URL',
  'SDXL_API_KEY',
  'IMAGEGEN_OUTPUT_DIR',
] as const;

/** The settings whose values are secrets: shown redacted, never whole. */
export const SECRET_SETTINGS: ReadonlySet<SettingName> = new Set([
  'CLOUDFLARE_API_TOKEN',
  'CLOUDFLARE_AI_GATEWAY_TOKEN',
  'IMAGEGEN_WORKER_KEY',
  'SDXL_API_KEY',
]);
export type SettingName = (typeof SETTING_NAMES)[number];

/** Where a setting's value came from. */
export type SettingSource = 'flag' | 'env' | '.env' | 'default';

/** Settings with their sources, highest precedence first: flags, environment, `.env`. */
export interface ResolvedSettings {
  env: Record<string, string | undefined>;
  sources: Partial<Record<SettingName, SettingSource>>;
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

/**
 * Merges flags > environment > `.env` (in `cwd`) for each setting, and says where each came
 * from. Blank values count as unset.
 */
export async function resolveSettings(
  flags: Partial<Record<SettingName, string | undefined>>,
  environment: NodeJS.ProcessEnv,
  cwd: string,
): Promise<ResolvedSettings> {
  const dotenv = await readDotenv(cwd);
  const env: Record<string, string | undefined> = { ...environment };
  const sources: ResolvedSettings['sources'] = {};
  const present = (value: string | undefined): value is string => value !== undefined && value.trim() !== '';
  for (const name of SETTING_NAMES) {
    const candidates: Array<[SettingSource, string | undefined]> = [
      ['flag', flags[name]],
      ['env', environment[name]],
      ['.env', dotenv[name]],
    ];
    const found = candidates.find(([, value]) => present(value));
    env[name] = found?.[1];
    if (found) sources[name] = found[0];
  }
  return { env, sources };
}
