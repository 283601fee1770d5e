import { createRequire } from 'node:module';
import { Command, CommanderError } from 'commander';
import pc from 'picocolors';
import { registerBatch } from './commands/batch.js';
import { registerClean } from './commands/clean.js';
import { registerConfig } from './commands/config.js';
import { registerDeploy } from './commands/deploy.js';
import { registerDoctor } from './commands/doctor.js';
import { registerEdit, registerGenerate } from './commands/generate.js';
import { registerMcp } from './commands/mcp.js';
import { registerModels } from './commands/models.js';
import { registerQueueWorker } from './commands/queue-worker.js';
import { registerServe } from './commands/serve.js';
import { registerUsage } from './commands/usage.js';
import { registerWorkers } from './commands/workers.js';
import { EXIT, EXIT_CODES_HELP } from './exit-codes.js';
import { listedSettings } from './settings-sources.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

/** The settings, a few to a line, as the routes in the registry and imagegen declare them. */
function settingsHelp(): string {
  const names = listedSettings().map((setting) => setting.name);
  const lines: string[] = [];
  for (let at = 0; at < names.length; at += 4) lines.push(`  ${names.slice(at, at + 4).join(', ')}`);
  return lines.join('\n');
}

/** Runs a command's action and records its exit code. */
async function run(action: () => Promise<number>): Promise<void> {
  process.exitCode = await action();
}

/** The `imagegen` program with every command registered. */
export function buildProgram(): Command {
  const program = new Command('imagegen')
    .description(
      'Turn a text prompt into an image file with any Workers AI image model: through your worker, the Workers AI REST API or AI Gateway (offline local previews when none is configured).',
    )
    .version(version, '-v, --version')
    .exitOverride()
    .showHelpAfterError('(imagegen <command> --help shows its options)')
    .addHelpText(
      'after',
      () =>
        `\nSettings: flags > environment > .env in the current directory (imagegen config shows them):\n${settingsHelp()}\n\n${EXIT_CODES_HELP}`,
    );
  registerGenerate(program, run);
  registerEdit(program, run);
  registerBatch(program, run);
  registerModels(program, run);
  registerWorkers(program, run);
  registerServe(program, run);
  registerQueueWorker(program, run);
  registerMcp(program, run);
  registerUsage(program, run);
  registerConfig(program, run);
  registerDoctor(program, run);
  registerDeploy(program, run);
  registerClean(program, run);
  for (const command of program.commands) command.addHelpText('after', `\n${EXIT_CODES_HELP}`);
  return program;
}

/**
 * Runs the CLI with `argv` and resolves to the exit code: usage errors are 2, help and
 * version 0, an unexpected failure 1 with its message (and its stack only with IMAGEGEN_DEBUG).
 */
export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return Number(process.exitCode ?? EXIT.ok);
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT.ok : error.exitCode === EXIT.usage || error.exitCode === 1 ? EXIT.usage : error.exitCode;
    }
    process.stderr.write(`${pc.red('imagegen: unexpected error:')} ${(error as Error)?.message ?? String(error)}\n`);
    if (process.env.IMAGEGEN_DEBUG) process.stderr.write(`${(error as Error)?.stack ?? ''}\n`);
    return EXIT.failed;
  }
}
