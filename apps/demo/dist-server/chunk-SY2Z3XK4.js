// server/demo-server.ts
import { relative } from "path";
import { fileURLToPath } from "url";
import { loadSettings } from "@imagegen/core";
import { createImageGenerator } from "@imagegen/core/node";
import { createApp } from "@imagegen/http";
import { startLocalWorkers } from "@imagegen/workers";
import { createAdaptorServer } from "@hono/node-server";
import { serveStatic } from "@hono/node-server/serve-static";
import { Hono } from "hono";
import { pino } from "pino";
var GATEWAY_PATHS = /^\/(v1\/|healthz$|readyz$|metrics$|openapi\.json$)/;
async function startDemo(options = {}) {
  let env = { ...options.env ?? process.env };
  const configured = loadSettings(env);
  const workers = configured.fluxWorkerUrl || configured.sdxlWorkerUrl ? void 0 : await startLocalWorkers();
  if (workers) env = { ...env, ...workers.env };
  const logger = pino({ level: env.IMAGEGEN_LOG_LEVEL ?? "warn" }, pino.destination(2));
  const generator = createImageGenerator({ env: { ...env, IMAGEGEN_LOG_LEVEL: env.IMAGEGEN_LOG_LEVEL ?? "warn" } });
  const gateway = createApp({ generator, env, keys: [], logger, rateLimit: { burst: 30, perSecond: 5 } });
  const backend = workers ? "local" : "remote";
  const pageDir = relative(process.cwd(), fileURLToPath(new URL("../dist", import.meta.url))) || ".";
  const page = new Hono();
  page.get("/demo/info", (context) => context.json({ backend }));
  page.use("/*", serveStatic({ root: pageDir }));
  page.get("/*", serveStatic({ root: pageDir, path: "index.html" }));
  const server = createAdaptorServer({
    fetch: (request) => GATEWAY_PATHS.test(new URL(request.url).pathname) ? gateway.fetch(request) : page.fetch(request)
  });
  const host = options.host ?? "127.0.0.1";
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 5173, host, () => resolve());
  });
  const { port } = server.address();
  return {
    url: `http://${host}:${port}/`,
    backend,
    close: async () => {
      await new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await gateway.close();
      await workers?.close();
    }
  };
}

export {
  startDemo
};
