import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalogue, loadSettings } from '@imagegen/core';
import { Redis } from 'ioredis';
import { FileBudgetStore } from './file-budget-store.js';
import { parseKeyEntries } from './key-entries.js';
import { RedisBudgetStore } from './redis-budget-store.js';
import { usageReport } from './usage-report.js';

const aliasOf = (model: string): string | undefined => catalogue.find((entry) => entry.alias === model || entry.id === model)?.alias;

/**
 * The usage report the gateway keeps, read where the environment says it is (`IMAGEGEN_REDIS_URL`,
 * else `IMAGEGEN_BUDGETS_FILE` or the file beside the images), named by `IMAGEGEN_KEYS_FILE`.
 *
 * @example
 * const report = await usageFromEnv(process.env, 'month');
 */
export async function usageFromEnv(env: Readonly<Record<string, string | undefined>>, period: 'day' | 'month') {
  const keysFile = env.IMAGEGEN_KEYS_FILE?.trim();
  const entries = keysFile ? parseKeyEntries(readFileSync(keysFile, 'utf8'), `IMAGEGEN_KEYS_FILE ${keysFile}`, aliasOf) : [];
  const url = env.IMAGEGEN_REDIS_URL?.trim();
  const redis = url ? new Redis(url, { maxRetriesPerRequest: 1, commandTimeout: 1000, lazyConnect: true }) : undefined;
  try {
    const store = redis
      ? new RedisBudgetStore(redis)
      : new FileBudgetStore(env.IMAGEGEN_BUDGETS_FILE?.trim() || join(loadSettings(env).outputDir, '.imagegen-budgets.json'));
    return await usageReport(store, entries, period, new Date());
  } finally {
    redis?.disconnect();
  }
}
