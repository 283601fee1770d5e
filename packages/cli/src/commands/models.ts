import {
  callCost,
  CATALOGUE_CHECKED,
  costText,
  defaultModels,
  MODEL_PRICES,
  catalogue,
  chooseRoute,
  type CatalogueModel,
  hasRemoteRoute,
  loadSettings,
  rangeText,
  routeRegistry,
  type Settings,
} from '@imagegen/core';
import type { Command } from 'commander';
import { EXIT } from '../exit-codes.js';
import { resolveSettings } from '../settings-sources.js';
import { type CommandRunner, addSettingFlags, settingFlags } from './shared-options.js';
import { printConfigError, writeJson } from './terminal.js';

type ModelsFlags = { json?: boolean; out?: string; fluxUrl?: string; sdxlUrl?: string };

/** The registry's route a call to `model` would take now; with nothing configured the CLI starts the local preview. */
function routeNow(model: CatalogueModel, settings: Settings): string {
  if (!hasRemoteRoute(settings)) return 'local';
  const routes = routeRegistry.configured(settings);
  const taker = routes.find((route) => {
    const request = chooseRoute(model, settings, 'probe', {}, {}, route.name);
    return 'route' in request;
  });
  return taker?.name ?? 'none';
}

/** One model as `--json` prints it. */
function modelJson(model: CatalogueModel, settings: Settings) {
  return {
    alias: model.alias,
    id: model.id,
    description: model.description,
    route: routeNow(model, settings),
    output: { format: model.answer.format, encoding: model.answer.encoding, defaultSize: model.defaultSize },
    send: model.send,
    imageInput: model.imageInput ?? null,
    inputs: model.inputs.map((input) => ({ ...input, range: rangeText(input) })),
    price: MODEL_PRICES[model.alias] ?? null,
    defaultImageCost: callCost(defaultModels[model.alias]!, {}),
  };
}

async function models(flags: ModelsFlags): Promise<number> {
  const { env } = await resolveSettings(settingFlags(flags), process.env, process.cwd());
  let settings: Settings;
  try {
    settings = loadSettings(env);
  } catch (error) {
    return printConfigError(error, Boolean(flags.json));
  }
  const rows = catalogue.map((model) => modelJson(model, settings));
  if (flags.json) {
    writeJson({ checked: CATALOGUE_CHECKED, models: rows });
    return EXIT.ok;
  }
  for (const row of rows) {
    const size = `${row.output.defaultSize.width}x${row.output.defaultSize.height}`;
    process.stdout.write(`${row.alias.padEnd(18)} ${row.id}\n`);
    process.stdout.write(`  ${row.description}; ${row.output.format.toUpperCase()} ${size} by default; route now: ${row.route}\n`);
    process.stdout.write(`  default image: ${costText(row.defaultImageCost)}\n`);
    if (row.imageInput) {
      const { required, mask, maxImages = 1, maxSide } = row.imageInput;
      const what = maxImages > 1 ? `up to ${maxImages} reference images` : 'an input image';
      const shrunk = maxSide === undefined ? '' : `, shrunk to ${maxSide}x${maxSide}`;
      process.stdout.write(
        `    ${'--image'.padEnd(18)} ${required ? 'needs' : 'takes'} ${what} (PNG, JPEG or WebP${shrunk})${mask ? '; --mask too' : ''}\n`,
      );
    }
    for (const input of row.inputs) {
      const fallback = input.default === undefined ? '' : `, default ${input.default}`;
      const flag = `--${input.name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
      process.stdout.write(`    ${flag.padEnd(18)} ${input.range}${fallback}\n`);
    }
  }
  process.stdout.write(`\nschemas checked against developers.cloudflare.com on ${CATALOGUE_CHECKED}\n`);
  return EXIT.ok;
}

/** `imagegen models` */
export function registerModels(program: Command, run: CommandRunner): void {
  const command = program
    .command('models')
    .description('list every Workers AI image model imagegen knows: alias, id, inputs and ranges, output, the route it takes now')
    .option('--json', 'print as JSON');
  addSettingFlags(command).action((flags: ModelsFlags) => run(() => models(flags)));
}
