import { formatUsd } from '@imagegen/core';
import type { Command } from 'commander';
import { EXIT } from '../exit-codes.js';
import { resolveSettings } from '../settings-sources.js';
import { type CommandRunner, addSettingFlags, settingFlags } from './shared-options.js';
import { say, writeJson } from './terminal.js';

interface UsageFlags {
  month?: boolean;
  json?: boolean;
  out?: string;
  fluxUrl?: string;
  sdxlUrl?: string;
}

async function usage(flags: UsageFlags): Promise<number> {
  const { env } = await resolveSettings(settingFlags(flags), process.env, process.cwd());
  const { usageFromEnv } = await import('@imagegen/http/internal');
  let report;
  try {
    report = await usageFromEnv(env, flags.month ? 'month' : 'day');
  } catch (error) {
    say(`cannot read the usage: ${(error as Error).message}`);
    return EXIT.failed;
  }
  if (flags.json) {
    writeJson(report);
    return EXIT.ok;
  }
  process.stdout.write(
    `spend ${report.from === report.to ? `on ${report.from}` : `from ${report.from} to ${report.to}`} (UTC), by published prices\n`,
  );
  for (const key of report.keys) {
    const budget = key.maxBudget === undefined ? '' : ` of $${key.maxBudget} (${key.budgetDuration})`;
    process.stdout.write(`${key.name.padEnd(20)} $${formatUsd(key.usd)}${budget}, ${key.images} images\n`);
    for (const model of key.models) process.stdout.write(`  ${model.model.padEnd(18)} $${formatUsd(model.usd)}, ${model.images} images\n`);
  }
  process.stdout.write(`${'total'.padEnd(20)} $${formatUsd(report.total.usd)}, ${report.total.images} images\n`);
  return EXIT.ok;
}

/** `imagegen usage [--month] [--json]` */
export function registerUsage(program: Command, run: CommandRunner): void {
  const command = program
    .command('usage')
    .description("the gateway's spend per key name and model today (or this month), from its budget store (Redis or the local file)")
    .option('--month', 'this UTC month instead of today')
    .option('--json', 'print the report as JSON');
  addSettingFlags(command).action((flags: UsageFlags) => run(() => usage(flags)));
}
