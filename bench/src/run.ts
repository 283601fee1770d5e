// `pnpm bench`: imagegen against raw baselines measured in the same run, interleaved round by
// round, as ratios with their spread. `--quick` runs a tenth of it (a smoke test, not figures);
// `--only=...` some of it. Only a full run writes bench/results/latest.json.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { here, log, QUICK, rows } from './bench-context.js';
import { aiSdkPeers, measureAiSdkPeers } from './ai-sdk-peer-bench.js';
import { localRendering, scaling } from './batch-bench.js';
import { cliStartup } from './cli-startup-bench.js';
import { measureSequential, measureThroughput, sequentialLatency, throughput } from './core-bench.js';
import { gateway, measureGateway } from './gateway-bench.js';
import { upstreamBudget } from './budget-bench.js';
import { bigImageMemory } from './memory-bench.js';
import { measurePeer, peer } from './peer-bench.js';
import { childMeasurement, type Series } from './processes.js';
import { measureRest, restRoute } from './rest-bench.js';
import { since } from './stats.js';

// `--only=core,gateway`: some groups of rows (core, disk, gateway, peer, rest, ai-sdk, memory, batch, local, budget, cli).
const only = process.argv
  .find((argument) => argument.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const wanted = (group: string): boolean => !only || only.includes(group);

function table(): string {
  const header = ['benchmark', 'figure', 'value', 'spread', 'target', 'met', 'detail'];
  const lines = rows.map((row) => [
    row.name,
    row.figure,
    String(row.value),
    row.spread ?? '',
    row.target,
    row.met ? 'yes' : 'NO',
    row.detail,
  ]);
  const widths = header.map((_, column) => Math.max(header[column]!.length, ...lines.map((line) => line[column]!.length)));
  const format = (cells: string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`;
  return [format(header), `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`, ...lines.map(format)].join('\n');
}

async function main(): Promise<void> {
  const started = performance.now();
  if (wanted('core')) {
    await sequentialLatency();
    await throughput(10);
    await throughput(50);
  }
  if (wanted('disk')) {
    // The same rows on the disk a user writes to, against a raw client that also writes atomically.
    await sequentialLatency('disk');
    await throughput(10, 'disk');
    await throughput(50, 'disk');
  }
  if (wanted('gateway')) await gateway();
  if (wanted('peer')) await peer();
  if (wanted('rest')) await restRoute();
  if (wanted('ai-sdk')) await aiSdkPeers();
  if (wanted('memory')) await bigImageMemory();
  if (wanted('batch')) await scaling();
  if (wanted('local')) await localRendering();
  if (wanted('budget')) await upstreamBudget();
  if (wanted('cli')) await cliStartup();

  process.stdout.write(`\n${table()}\n\n`);
  const resultsDir = here('../results');
  await mkdir(resultsDir, { recursive: true });
  const report = { date: new Date().toISOString(), node: process.version, quick: QUICK, seconds: Math.round(since(started) / 1000), rows };
  const name = QUICK || only ? 'quick.json' : 'latest.json';
  await writeFile(join(resultsDir, name), `${JSON.stringify(report, null, 2)}\n`);
  log(`written bench/results/${name} in ${report.seconds} s`);
}

// The interleaved rows run their rounds in child processes of this script (processes.ts).
const measurements: Record<string, (rounds: number) => Promise<Series>> = {
  sequential: measureSequential,
  'throughput-10': (rounds) => measureThroughput(10, rounds),
  'throughput-50': (rounds) => measureThroughput(50, rounds),
  'sequential-disk': (rounds) => measureSequential(rounds, 'disk'),
  'throughput-disk-10': (rounds) => measureThroughput(10, rounds, 'disk'),
  'throughput-disk-50': (rounds) => measureThroughput(50, rounds, 'disk'),
  gateway: measureGateway,
  peer: measurePeer,
  rest: measureRest,
  'ai-sdk-peers': measureAiSdkPeers,
};

const child = childMeasurement();
if (child) {
  const measure = measurements[child.name];
  if (!measure) throw new Error(`no measurement named ${child.name}`);
  process.stdout.write(JSON.stringify(await measure(child.rounds)));
} else await main();
