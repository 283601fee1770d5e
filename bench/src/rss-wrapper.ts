// Runs the imagegen CLI in this process and writes its peak RSS to IMAGEGEN_BENCH_RSS_FILE on exit.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const bin = createRequire(import.meta.url)
  .resolve('@imagegen/cli/package.json')
  .replace(/package\.json$/, 'dist/bin.js');
process.on('exit', () => {
  if (process.env.IMAGEGEN_BENCH_RSS_FILE)
    writeFileSync(process.env.IMAGEGEN_BENCH_RSS_FILE, String(process.resourceUsage().maxRSS * 1024));
});
process.argv = [process.argv[0]!, bin, ...process.argv.slice(2)];
await import(pathToFileURL(bin).href);
