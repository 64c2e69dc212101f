import { timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Tracer } from "@opentelemetry/api";
import { RoutingConfigError } from "../contracts/routing-config.ts";
import type { ProviderRegistry } from "../providers/registry.ts";
import type { AnyRouter } from "../routing/router.ts";
import type { RuntimeAllowList } from "../runtime/allow-list.ts";
import { type ChatCaller, type ChatContext, type GatewayDecisionLine, handleChat } from "./chat-handler.ts";
import { DecisionLogFile, type DecisionLogFileOptions } from "./decision-log-file.ts";
import { digestOf, type GatewayKey } from "./gateway-keys.ts";
import { GatewayMetrics } from "./gateway-metrics.ts";
import { GatewayStartError } from "./gateway-start-error.ts";
import { KeyLimits } from "./key-limits.ts";
import { GatewayError, sendError, toGatewayError } from "./openai-errors.ts";
import type { RouterInputExtractor } from "./router-input.ts";
import { loadRoutes, type ReloadResult, type Route, type RouteSpec, reloadRoute, watchRoutes } from "./routes.ts";
import { ServedTraffic } from "./served-traffic.ts";
import type { Shadow } from "./shadow.ts";
import { type ShadowSpec, startShadow } from "./shadow-start.ts";

// `routegate serve`: an OpenAI-compatible HTTP front for the runtime. Safe by default: a bearer
// key is required unless it listens on a loopback address with auth explicitly off; bodies are
// size-limited; every error is in OpenAI's format. Upstream credentials stay in this process:
// they are read from its environment by the providers and never echoed.

export interface GatewayOptions {
  routes: readonly RouteSpec[];
  /** Routers the configs may name (besides `always:<model>`). */
  routers?: readonly AnyRouter[];
  extractors?: Readonly<Record<string, RouterInputExtractor>>;
  /** Where configs may send requests: from the host's flags or environment, never from a config. */
  allow: RuntimeAllowList;
  /** Clients must send `Authorization: Bearer <apiKey>`; undefined only with `noAuth`. */
  apiKey?: string;
  /** Named keys with request-rate and spend caps (`--keys FILE`); accepted beside `apiKey`. */
  keys?: readonly GatewayKey[];
  /** Clock for the keys' caps (tests). */
  now?: () => number;
  noAuth?: boolean;
  host?: string;
  port?: number;
  maxBodyBytes?: number;
  deadlineMs?: number;
  defaultMaxTokens?: number;
  decisionLog?: DecisionLogFileOptions;
  /** Log the router input (redacted) in decision lines: opt-in. */
  logContent?: boolean;
  /** Reload a route when its file changes (polling, this often). 0: only on SIGHUP / reload(). */
  watchIntervalMs?: number;
  /** Operations log (one line per event); default stderr. */
  log?: (message: string) => void;
  /** Test doubles or custom providers (default: the built-in ones). */
  providers?: ProviderRegistry;
  onPlanned?: ChatContext["onPlanned"];
  /** Shadow evaluation of a candidate config on one route (see shadow.ts). */
  shadow?: ShadowSpec;
  onDecision?: (line: GatewayDecisionLine) => void;
  /** OpenTelemetry spans per request (`--otlp-endpoint`); none when absent. */
  tracer?: Tracer;
}

export interface Gateway {
  readonly url: string;
  readonly shadow: Shadow | undefined;
  readonly routes: ReadonlyMap<string, Route>;
  readonly metrics: GatewayMetrics;
  reload(): ReloadResult[];
  /** Stops accepting, lets in-flight requests finish (up to `graceMs`), then closes. */
  close(graceMs?: number): Promise<void>;
}

const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost"]);

/** Throws a RoutingConfigError (a config refused) or a GatewayStartError (unsafe options). */
export async function startGateway(opts: GatewayOptions): Promise<Gateway> {
  const host = opts.host ?? "127.0.0.1";
  const named = new Map((opts.keys ?? []).map((k) => [k.digest, k]));
  const anyKey = Boolean(opts.apiKey) || named.size > 0;
  if (!anyKey && !opts.noAuth)
    throw new GatewayStartError(
      "no gateway key: set ROUTEGATE_API_KEY or give --keys FILE (clients send a key as a bearer token)",
    );
  if (!anyKey && !LOOPBACK.has(host))
    throw new GatewayStartError(`--no-auth is only for a loopback address; --host ${host} needs ROUTEGATE_API_KEY`);
  const log = opts.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  const routes = loadRoutes(opts.routes, {
    routers: opts.routers ?? [],
    extractors: opts.extractors ?? {},
    allow: opts.allow,
    ...(opts.providers ? { providers: opts.providers } : {}),
  });
  const traffic = new ServedTraffic();
  const shadow = opts.shadow ? await startShadow(opts.shadow, routes, opts, log, traffic) : undefined;
  const metrics = new GatewayMetrics();
  if (shadow) metrics.watchShadow(() => shadow.stats);
  for (const r of routes.values()) metrics.configVersion.set({ route: r.name }, r.version);
  const file = opts.decisionLog ? new DecisionLogFile(opts.decisionLog) : undefined;
  const maxBody = opts.maxBodyBytes ?? 1024 * 1024;
  const key = opts.apiKey ? Buffer.from(opts.apiKey) : undefined;
  const limits = new KeyLimits(opts.now);

  const chat: ChatContext = {
    routes,
    metrics,
    deadlineMs: opts.deadlineMs ?? 120_000,
    defaultMaxTokens: opts.defaultMaxTokens ?? 4096,
    logContent: opts.logContent ?? false,
    log,
    ...(opts.tracer ? { tracer: opts.tracer } : {}),
    writeDecision(line) {
      file?.write(line);
      opts.onDecision?.(line);
    },
    onPlanned(route, plan, answered) {
      shadow?.consider(route, plan, answered);
      opts.onPlanned?.(route, plan, answered);
    },
  };

  let draining = false;
  const server: Server = createServer((req, res) => {
    void serve(req, res).catch((err) => {
      const failure = toGatewayError(err, undefined);
      if (failure.code === "internal_error") log(`error: ${(err as Error)?.stack ?? err}`);
      sendError(res, failure);
    });
  });
  server.keepAliveTimeout = 65_000;

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method === "GET" && path === "/healthz") return sendJson(res, 200, { status: "ok" });
    if (req.method === "GET" && path === "/readyz")
      return sendJson(res, draining ? 503 : 200, {
        status: draining ? "draining" : "ready",
        routes: [...routes.values()].map((r) => ({ route: r.name, version: r.version, config: r.hash })),
      });
    const caller = authenticate(req);
    if (caller === null) {
      req.resume();
      throw new GatewayError(
        401,
        "a valid gateway key is required (Authorization: Bearer ...)",
        "invalid_request_error",
        "invalid_api_key",
      );
    }
    if (req.method === "GET" && path === "/metrics") {
      const text = await metrics.registry.metrics();
      res.writeHead(200, { "content-type": metrics.registry.contentType });
      res.end(text);
      return;
    }
    if (req.method === "GET" && path === "/v1/models")
      return sendJson(res, 200, {
        object: "list",
        data: [...routes.keys()].map((name) => ({
          id: `routegate/${name}`,
          object: "model",
          created: 0,
          owned_by: "routegate",
        })),
      });
    if (path === "/v1/chat/completions") {
      if (req.method !== "POST") throw new GatewayError(405, "use POST", "invalid_request_error", "method_not_allowed");
      if (draining) throw new GatewayError(503, "the gateway is shutting down", "server_error", "shutting_down");
      if (caller) {
        const refused = limits.admit(caller);
        if (refused) {
          req.resume();
          metrics.keyLimited.inc({ key: caller.name, code: refused.code ?? "" });
          throw refused;
        }
      }
      traffic.begin();
      try {
        const text = await readBody(req, maxBody);
        return await handleChat(chat, res, text, caller && chargeTo(caller));
      } finally {
        traffic.end();
      }
    }
    req.resume();
    throw new GatewayError(404, `no route ${req.method} ${path}`, "invalid_request_error", "not_found");
  }

  /** The named key that sent it, undefined for the plain key (or no auth), null when refused. */
  function authenticate(req: IncomingMessage): GatewayKey | undefined | null {
    if (!anyKey) return undefined;
    const token = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? "")?.[1]?.trim() ?? "";
    const given = Buffer.from(token);
    if (key && given.length === key.length && timingSafeEqual(given, key)) return undefined;
    // Looked up by digest: the map's comparison never touches the key's own bytes.
    return (named.size && token ? named.get(digestOf(token)) : undefined) ?? null;
  }
  const chargeTo = (k: GatewayKey): ChatCaller => ({ key: k.name, charge: (usd) => limits.charge(k, usd) });

  function reload(): ReloadResult[] {
    const results = [...routes.values()].map((r) => reloadOne(r));
    return results;
  }
  function reloadOne(route: Route): ReloadResult {
    const result = reloadRoute(route);
    if (result.outcome === "changed") {
      metrics.configVersion.set({ route: route.name }, route.version);
      log(`reload: route ${route.name}: config ${route.hash} (version ${route.version}) in force`);
    } else if (result.outcome === "refused") {
      metrics.configRefused.inc({ route: route.name });
      log(`reload refused: route ${route.name} keeps config ${route.hash}: ${result.error}`);
    }
    return result;
  }
  const stopWatching =
    opts.watchIntervalMs === 0 ? () => {} : watchRoutes(routes.values(), reloadOne, opts.watchIntervalMs ?? 500);

  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(opts.port ?? 8787, host, () => resolve());
    });
  } catch (err) {
    stopWatching();
    await shadow?.close();
    throw err;
  }
  const address = server.address() as AddressInfo;
  const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;

  return {
    url: `http://${shownHost}:${address.port}`,
    routes,
    metrics,
    shadow,
    reload,
    async close(graceMs = 10_000) {
      draining = true;
      stopWatching();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), graceMs);
      await closed;
      clearTimeout(timer);
      await shadow?.close();
      file?.close();
    },
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": String(Buffer.byteLength(text)) });
  res.end(text);
}

/** The body as text, refused (413) past `limit` bytes without reading the rest. */
function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > limit) return Promise.reject(tooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        req.removeAllListeners("data");
        req.resume();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

const tooLarge = (limit: number) =>
  new GatewayError(413, `the request body is larger than ${limit} bytes`, "invalid_request_error", "request_too_large");

export type { ShadowSpec };
export { GatewayStartError, RoutingConfigError };
