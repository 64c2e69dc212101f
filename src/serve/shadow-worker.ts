import { setPriority } from "node:os";
import { isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parentPort, workerData } from "node:worker_threads";
import { RoutingConfigError } from "../contracts/routing-config.ts";
import { defaultPriceBook } from "../pricing/price-book.ts";
import type { AnyRouter } from "../routing/router.ts";
import { createGatewayRouter } from "./gateway-router.ts";
import { ShadowEngine } from "./shadow-engine.ts";
import type { FromShadowWorker, ShadowWorkerInit, ToShadowWorker } from "./shadow-messages.ts";
import { sharedStats } from "./shadow-stats.ts";

// The shadow worker thread: the candidate's whole share of shadow evaluation (its plan and score
// step, its model call, the budget, the evidence files) runs here, on an event loop of its own,
// so none of it runs on the one that serves production. It builds the candidate's router from
// the inputs the gateway used (the config's text, the routers module, the host's allow-list).

// Lowest scheduling priority for this thread only. On Linux a thread is a task with its own nice
// value, and setpriority(PRIO_PROCESS, 0, ...) (what os.setPriority(19) calls) changes the calling
// task, not the whole process (setpriority(2), NOTES: "the nice value is a per-thread attribute");
// the gateway's main thread keeps its own (test/serve/shadow-worker.test.ts reads them from
// /proc/self/task/*/stat). On two shared cores the kernel then runs the candidate's work only when
// the threads that serve production are not runnable. Elsewhere this may fail or act on the
// whole process: the worker then runs at the gateway's priority, never below it on purpose.
if (process.platform === "linux") {
  try {
    setPriority(19);
  } catch {
    // Not permitted (a sandbox): the worker runs at the gateway's priority.
  }
}

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
