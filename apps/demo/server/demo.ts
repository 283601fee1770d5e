import { startDemo } from './demo-server.js';

const demo = await startDemo({ port: Number(process.env.PORT ?? 5173) }).catch((error: NodeJS.ErrnoException) => {
  process.stderr.write(
    error.code === 'EADDRINUSE'
      ? `port ${process.env.PORT ?? 5173} is in use: run with PORT=<another port> pnpm demo\n`
      : `cannot start the demo: ${error.message}\n`,
  );
  process.exit(1);
});
process.stdout.write(
  `imagegen demo (${demo.backend === 'local' ? 'local preview workers, offline' : 'Cloudflare workers'}): ${demo.url}\n`,
);
process.stderr.write('Ctrl-C stops it.\n');
const stop = (): void => {
  void demo.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
