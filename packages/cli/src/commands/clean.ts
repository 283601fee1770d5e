import { loadSettings } from '@imagegen/core';
import { cleanTempFiles } from '@imagegen/core/node';
import type { Command } from 'commander';
import type { CommandRunner } from './shared-options.js';
import { EXIT } from '../exit-codes.js';
import { resolveSettings } from '../settings-sources.js';
import { printConfigError, say } from './terminal.js';

async function clean(flags: { out?: string }): Promise<number> {
  const { env } = await resolveSettings({ IMAGEGEN_OUTPUT_DIR: flags.out }, process.env, process.cwd());
  let dir: string;
  try {
    dir = loadSettings(env).outputDir;
  } catch (error) {
    return printConfigError(error, false);
  }
  const removed = await cleanTempFiles(dir);
  say(`removed ${removed.length} leftover temporary file${removed.length === 1 ? '' : 's'} from ${dir}`);
  return EXIT.ok;
}

/** `imagegen clean` */
export function registerClean(program: Command, run: CommandRunner): void {
  program
    .command('clean')
    .description('remove temporary files left in the output directory by killed runs')
    .option('--out <dir>', 'output directory (IMAGEGEN_OUTPUT_DIR, default temp/images)')
    .action((flags: { out?: string }) => run(() => clean(flags)));
}
