import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { parseRoutingConfig, RoutingConfigError } from "../contracts/routing-config.ts";
import type { ProviderRegistry } from "../providers/registry.ts";
import type { AnyRouter } from "../routing/router.ts";
import type { RuntimeAllowList } from "../runtime/allow-list.ts";
import type { RuntimeRouter } from "../runtime/create-router.ts";
import { createGatewayRouter } from "./gateway-router.ts";
import { BUILTIN_EXTRACTORS, DEFAULT_EXTRACTOR, type RouterInputExtractor } from "./router-input.ts";
import { templateExtractor } from "./template-extractor.ts";

// The gateway's routes: one routing config per feature (`routegate/triage`), each loaded through
// the runtime with the host's allow-list, so the same router code the evaluation gated decides
// here. Reloads (file change, SIGHUP) swap a route's config only when the new one is accepted;
// a refused file is logged and the last good config keeps serving. A request keeps the config it
// was planned on, so in-flight requests finish as they started.

export interface RouteSpec {
  /** The route's name (`routegate/<name>`); default: the config's eval name. */
  name?: string;
  file: string;
  /** The router input extractor's name (default `last-user`). */
  input?: string;
}

export interface Route {
  readonly name: string;
  readonly file: string;
  readonly router: RuntimeRouter;
  readonly extract: RouterInputExtractor;
  /** Bumped on every accepted load (1 at start). */
  version: number;
  /** The accepted config text's sha256, first 12 hex digits. */
  hash: string;
}

export interface RouteDeps {
  routers: readonly AnyRouter[];
  extractors: Readonly<Record<string, RouterInputExtractor>>;
  allow: RuntimeAllowList;
  providers?: ProviderRegistry;
}

const shortHash = (text: string) => createHash("sha256").update(text).digest("hex").slice(0, 12);

function readConfig(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (err) {
    throw new RoutingConfigError(`${file}: cannot read the routing config (${(err as Error).message})`);
  }
}

/** Loads every route; throws a RoutingConfigError (naming the file and the fix) on the first refused one. */
export function loadRoutes(specs: readonly RouteSpec[], deps: RouteDeps): Map<string, Route> {
  const routes = new Map<string, Route>();
  for (const spec of specs) {
    const text = readConfig(spec.file);
    const config = parseRoutingConfig(text, spec.file);
    const name = spec.name ?? config.provenance.eval;
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name))
      throw new RoutingConfigError(
        `${spec.file}: route name "${name}" must be letters, digits, ".", "_" or "-". Fix: name it on the command line, --config NAME=${spec.file}`,
      );
    if (routes.has(name))
      throw new RoutingConfigError(
        `${spec.file}: a second route named "${name}". Fix: name each route, --config NAME=FILE`,
      );
    const extractorName = spec.input ?? DEFAULT_EXTRACTOR;
    const extract =
      deps.extractors[extractorName] ??
      BUILTIN_EXTRACTORS[extractorName] ??
      (extractorName.startsWith("template:") ? templateExtractor(extractorName.slice("template:".length)) : undefined);
    if (!extract)
      throw new RoutingConfigError(
        `route "${name}": no router input extractor "${extractorName}" (known: ${[...Object.keys(BUILTIN_EXTRACTORS), "template:FILE", ...Object.keys(deps.extractors)].join(", ")}). Fix: export it from --routers FILE as \`extractors\``,
      );
    const router = createGatewayRouter(config, {
      routers: deps.routers,
      allow: deps.allow,
      ...(deps.providers ? { providers: deps.providers } : {}),
      source: spec.file,
    });
    routes.set(name, { name, file: spec.file, router, extract, version: 1, hash: shortHash(text) });
  }
  return routes;
}

export interface ReloadResult {
  route: string;
  /** "changed": a new config is in force; "same": the file did not change; "refused": kept the last good. */
  outcome: "changed" | "same" | "refused";
  error?: string;
}

/** Rereads one route's file; a refused config changes nothing. */
export function reloadRoute(route: Route): ReloadResult {
  let text: string;
  try {
    text = readConfig(route.file);
  } catch (err) {
    return { route: route.name, outcome: "refused", error: (err as Error).message };
  }
  const hash = shortHash(text);
  if (hash === route.hash) return { route: route.name, outcome: "same" };
  const refused = route.router.update(text, route.file);
  if (refused) return { route: route.name, outcome: "refused", error: refused.message };
  route.version += 1;
  route.hash = hash;
  return { route: route.name, outcome: "changed" };
}

/**
 * Rereads each route's file every `intervalMs` and hands the route to `onChange` when its text's
 * hash changed since the last poll: robust to editors' and deploy tools' atomic replaces,
 * and no change between the load and the first poll can slip by. Returns the stop.
 */
export function watchRoutes(routes: Iterable<Route>, onChange: (route: Route) => void, intervalMs = 500): () => void {
  const list = [...routes];
  // The text last looked at, accepted or not: a refused file is logged once, not every poll.
  const seen = new Map(list.map((r) => [r, r.hash]));
  const timer = setInterval(() => {
    for (const route of list) {
      let text: string;
      try {
        text = readFileSync(route.file, "utf8");
      } catch {
        continue; // a file being replaced; the next poll sees the new one
      }
      const hash = shortHash(text);
      if (hash === seen.get(route)) continue;
      seen.set(route, hash);
      onChange(route);
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
