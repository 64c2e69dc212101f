import { isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parentPort, workerData } from "node:worker_threads";
import { RoutingConfigError } from "../contracts/routing-config.ts";
import { defaultPriceBook } from "../pricing/price-book.ts";
import type { AnyRouter } from "../routing/router.ts";
import { createGatewayRouter } from "./gateway-router.ts";
import { lowerThisThread } from "./idle-priority.ts";
import { ShadowEngine } from "./shadow-engine.ts";
import type { FromShadowWorker, ShadowWorkerInit, ToShadowWorker } from "./shadow-messages.ts";
import { sharedStats } from "./shadow-stats.ts";

// The shadow worker thread: the candidate's whole share of shadow evaluation (its plan and score
// step, its model call, the budget, the evidence files) runs here, on an event loop of its own,
// so none of it runs on the one that serves production. It builds the candidate's router from
// the inputs the gateway used (the config's text, the routers module, the host's allow-list).

// The lowest scheduling class for this thread only (idle-priority.ts): the kernel then runs the
// candidate's work only when the threads that serve production are not runnable, and takes the
// core back from it at once when one of them wakes. The gateway's main thread keeps its own
// priority (test/serve/shadow-worker.test.ts reads both from /proc/self/task).
const priority = lowerThisThread();

const init = workerData as ShadowWorkerInit;
const port = parentPort!;
const post = (message: FromShadowWorker) => port.postMessage(message);
const log = (message: string) => post({ type: "log", message });

const engine = await startEngine().catch((err: Error) => {
  const where = / is not registered in code/.test(err.message)
    ? " (the shadow worker takes routers from the --routers module: shadow.routersModule)"
    : "";
  post({ type: "refused", config: err instanceof RoutingConfigError, message: `${err.message}${where}` });
  return undefined;
});

if (engine) {
  port.on("message", (m: ToShadowWorker) => {
    if (m.type === "job") engine.submit(m.job);
    else if (m.type === "drain") void engine.drain().then(() => post({ type: "drained", id: m.id }));
    else if (m.type === "close")
      void engine.close().then(() => {
        post({ type: "closed", id: m.id });
        port.close();
      });
  });
  post({ type: "ready" });
  if (priority !== "idle" && process.platform === "linux")
    log(
      `shadow: the worker thread runs at ${priority === "nice 19" ? "nice 19" : "the gateway's priority"}, not in the idle scheduling class (util-linux's chrt missing or refused): its work may delay served requests by up to a time slice`,
    );
}

async function startEngine(): Promise<ShadowEngine> {
  const candidate = createGatewayRouter(init.configText, {
    routers: await loadRouters(init.routersModule),
    allow: init.allow,
    source: init.source,
  });
  return new ShadowEngine({
    candidate,
    maxCostUsd: init.maxCostUsd,
    stats: sharedStats(init.stats),
    out: init.out,
    prices: defaultPriceBook(),
    ...(init.deadlineMs ? { deadlineMs: init.deadlineMs } : {}),
    log,
  });
}

/** The routers the gateway's `--routers` module exports (the same module the gateway loaded). */
async function loadRouters(file: string | undefined): Promise<AnyRouter[]> {
  if (!file) return [];
  const path = isAbsolute(file) ? file : resolve(file);
  const mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  const routers = mod.routers ?? mod.default;
  if (!Array.isArray(routers)) throw new Error(`${file}: exports no array of routers`);
  return routers as AnyRouter[];
}
