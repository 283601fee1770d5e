import {
  startDemo
} from "./chunk-SY2Z3XK4.js";

// server/demo.ts
var demo = await startDemo({ port: Number(process.env.PORT ?? 5173) }).catch((error) => {
  process.stderr.write(
    error.code === "EADDRINUSE" ? `port ${process.env.PORT ?? 5173} is in use: run with PORT=<another port> pnpm demo
` : `cannot start the demo: ${error.message}
`
  );
  process.exit(1);
});
process.stdout.write(`imagegen demo (${demo.backend === "local" ? "local preview workers, offline" : "Cloudflare workers"}): ${demo.url}
`);
process.stderr.write("Ctrl-C stops it.\n");
var stop = () => {
  void demo.close().then(() => process.exit(0));
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
