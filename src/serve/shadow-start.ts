import { readFileSync } from "node:fs";
import { parseRoutingConfig, RoutingConfigError } from "../contracts/routing-config.ts";
import { defaultPriceBook } from "../pricing/price-book.ts";
import type { ProviderRegistry } from "../providers/registry.ts";
import type { AnyRouter } from "../routing/router.ts";
import type { RuntimeAllowList } from "../runtime/allow-list.ts";
import { createGatewayRouter } from "./gateway-router.ts";
import { GatewayStartError } from "./gateway-start-error.ts";
import type { Route } from "./routes.ts";
import type { ServedTraffic } from "./served-traffic.ts";
import { InThreadRunner, Shadow } from "./shadow.ts";
import { ShadowEngine } from "./shadow-engine.ts";
import { type ShadowRunner, ShadowWorkerRunner } from "./shadow-worker-host.ts";

// Starts a gateway's shadow evaluation (--shadow): checks the candidate and the options, then
// starts the runner. The worker thread builds the candidate again from the same text, routers
// module and allow-list; whatever it refuses refuses the gateway's start (exit 2), never later.

export interface ShadowSpec {
  /** The route shadowed; default: the one named like the candidate's eval, or the only route. */
  route?: string;
  file: string;
  rate: number;
  maxCostUsd: number;
  out: string;
  /**
   * The module the shadow worker imports the candidate's routers from (the CLI passes `--routers`):
   * the worker thread cannot share `routers` objects. Not needed for `always:<model>` routers.
   */
  routersModule?: string;
  /**
   * Run the candidate on the gateway's own thread, with `routers` and `providers` as given, instead
   * of in a worker thread: for hosts whose routers or providers exist only in memory. Its work then
   * shares the event loop that serves production.
   */
  inProcess?: boolean;
  /** Jobs the shadow runner may hold (under way and waiting) before new samples are dropped (skippedBusy); default 1,000. */
  maxQueued?: number;
}

/** What the shadow takes from the gateway's options. */
interface GatewayParts {
  routers?: readonly AnyRouter[];
  allow: RuntimeAllowList;
  providers?: ProviderRegistry;
  deadlineMs?: number;
}

export async function startShadow(
  spec: ShadowSpec,
  routes: Map<string, Route>,
  opts: GatewayParts,
  log: (m: string) => void,
  traffic: ServedTraffic,
): Promise<Shadow> {
  const text = readFileSync(spec.file, "utf8");
  const config = parseRoutingConfig(text, spec.file);
  const route =
    spec.route ??
    (routes.has(config.provenance.eval) ? config.provenance.eval : routes.size === 1 ? [...routes.keys()][0]! : "");
  if (!routes.has(route))
    throw new RoutingConfigError(
      `${spec.file}: no route to shadow${route ? ` named "${route}"` : ""} (routes: ${[...routes.keys()].join(", ")}). Fix: name it, --shadow ROUTE=${spec.file}`,
    );
  if (!(spec.rate >= 0 && spec.rate <= 1)) throw new GatewayStartError("--shadow-rate must be between 0 and 1");
  if (!(spec.maxCostUsd >= 0)) throw new GatewayStartError("--shadow-max-cost must be a non-negative amount in USD");
  const runner = spec.inProcess ? inThreadRunner(spec, text, opts, log) : await workerRunner(spec, text, opts, log);
  return new Shadow({ route, runner, rate: spec.rate, log, traffic });
}

/** Starts the shadow worker; what it refuses (the candidate, its routers) refuses the gateway's start. */
async function workerRunner(
  spec: ShadowSpec,
  text: string,
  opts: GatewayParts,
  log: (m: string) => void,
): Promise<ShadowRunner> {
  try {
    return await ShadowWorkerRunner.start(
      {
        configText: text,
        source: spec.file,
        ...(spec.routersModule ? { routersModule: spec.routersModule } : {}),
        allow: opts.allow,
        maxCostUsd: spec.maxCostUsd,
        out: spec.out,
        ...(spec.maxQueued !== undefined ? { maxQueued: spec.maxQueued } : {}),
        ...(opts.deadlineMs ? { deadlineMs: opts.deadlineMs } : {}),
      },
      log,
    );
  } catch (err) {
    if (err instanceof RoutingConfigError) throw err;
    throw new GatewayStartError(`--shadow ${spec.file}: ${(err as Error).message}`);
  }
}

function inThreadRunner(spec: ShadowSpec, text: string, opts: GatewayParts, log: (m: string) => void) {
  const candidate = createGatewayRouter(text, {
    routers: opts.routers ?? [],
    allow: opts.allow,
    ...(opts.providers ? { providers: opts.providers } : {}),
    source: spec.file,
  });
  const engine = new ShadowEngine({
    candidate,
    maxCostUsd: spec.maxCostUsd,
    out: spec.out,
    prices: defaultPriceBook(),
    ...(opts.deadlineMs ? { deadlineMs: opts.deadlineMs } : {}),
    log,
  });
  return new InThreadRunner(engine, spec.maxQueued);
}
