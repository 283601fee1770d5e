import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DEFAULT_MAX_INPUT_IMAGE_BYTES } from '@imagegen/core';
import type { McpImageMaker } from '@imagegen/http/mcp';
import type { Command } from 'commander';
import { EXIT } from '../exit-codes.js';
import { openRuntime, type Runtime } from '../runtime.js';
import { resolveSettings } from '../settings-sources.js';
import { addSettingFlags, type CommandRunner, settingFlags } from './shared-options.js';
import { printConfigError, say } from './terminal.js';

interface McpFlags {
  out?: string;
  fluxUrl?: string;
  sdxlUrl?: string;
}

/** Makes images with this process's generator: files in the output directory, linked by `file://` URIs. */
async function stdioMaker(runtime: Runtime): Promise<McpImageMaker> {
  const { readImageFile, sharpCodec } = await import('@imagegen/core/node');
  return {
    settings: runtime.settings,
    codec: sharpCodec(),
    readPath: (path) => readImageFile(resolve(path), DEFAULT_MAX_INPUT_IMAGE_BYTES),
    make: async (parsed, progress, signal) => {
      const result = await runtime.generator.generate(parsed.model, parsed.request.prompt, {
        ...parsed.params,
        ...parsed.images,
        signal,
        onAttempt: (event) => progress(`attempt ${event.attempt} to ${event.model}`),
        onRetry: (event) => progress(`${event.error.message}: retrying in ${Math.round(event.delayMs / 1000)} s`),
      });
      if (!result.ok) throw new Error(`${result.error.message} [${result.error.code}]`);
      const path = resolve(result.path);
      return {
        bytes: new Uint8Array(await readFile(path)),
        contentType: result.contentType,
        uri: pathToFileURL(path).href,
        name: basename(path),
        location: { path },
        model: result.model,
        route: result.route,
        ...(result.seed === undefined ? {} : { seed: result.seed }),
      };
    },
  };
}

async function serveMcp(flags: McpFlags, version: string): Promise<number> {
  const resolved = await resolveSettings(settingFlags(flags), process.env, process.cwd());
  let runtime;
  try {
    // Said on stderr: stdout carries MCP messages only.
    runtime = await openRuntime({ resolved, say });
  } catch (error) {
    return printConfigError(error, false);
  }
  try {
    const { serveMcpOverStdio } = await import('@imagegen/http/mcp');
    say(`MCP server on stdio (tools: list_models, generate_image, edit_image); images go to ${resolve(runtime.settings.outputDir)}`);
    await serveMcpOverStdio(await stdioMaker(runtime), version);
  } finally {
    await runtime.close();
  }
  return EXIT.ok;
}

/** `imagegen mcp`: the MCP server on stdio, for assistants and IDEs. */
export function registerMcp(program: Command, run: CommandRunner): void {
  const command = program
    .command('mcp')
    .description(
      'serve MCP on stdio (tools list_models, generate_image, edit_image) for assistants and IDEs; local workers when none is configured',
    );
  addSettingFlags(command).action((flags: McpFlags, self: Command) => run(() => serveMcp(flags, self.parent?.version() ?? '0.0.0')));
}
