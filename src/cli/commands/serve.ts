import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { CommandModule } from "yargs";
import { RoutingConfigError } from "../../contracts/routing-config.ts";
import { InputError } from "../../core/errors.ts";
import { GatewayStartError, type ShadowSpec, startGateway } from "../../serve/gateway.ts";
import { loadGatewayKeys } from "../../serve/gateway-keys.ts";
import { otlpEndpointOf, startOtlpTracing } from "../../serve/otlp-tracing.ts";
import { allowListOf, loadRoutersModule, routeSpecsOf } from "../serve-args.ts";

interface ServeArgs {
  config: string[];
  routers?: string;
  input?: string[];
  port: number;
  host: string;
  auth: boolean;
  allowProvider?: string[];
  allowBaseUrl?: string[];
  allowKeyEnv?: string[];
  allowOffline: boolean;
  decisionLog?: string;
  logContent: boolean;
  logMaxMb: number;
  logRetentionDays?: number;
  maxBodyKb: number;
  deadlineMs: number;
  shadow?: string;
  shadowRate: number;
  shadowMaxCost?: number;
  shadowOut: string;
  keys?: string;
  otlpEndpoint?: string;
}

function shadowOf(args: ServeArgs): ShadowSpec | undefined {
  if (!args.shadow) return undefined;
  if (args.shadowMaxCost === undefined)
    throw new InputError("--shadow", undefined, "a shadow needs a budget", "add --shadow-max-cost USD");
  const eq = args.shadow.indexOf("=");
  const named = eq > 0 && !existsSync(args.shadow);
  const file = named ? args.shadow.slice(eq + 1) : args.shadow;
  if (!existsSync(file)) throw new InputError(file, undefined, "the candidate config does not exist", "give its path");
  return {
    ...(named ? { route: args.shadow.slice(0, eq) } : {}),
    file,
    rate: args.shadowRate,
    maxCostUsd: args.shadowMaxCost,
    out: args.shadowOut,
    // The shadow worker thread loads the candidate's routers from the same module.
    ...(args.routers ? { routersModule: resolve(args.routers) } : {}),
  };
}

export function serveCommand(): CommandModule<object, ServeArgs> {
  return {
    command: "serve",
    describe: "Serve routing configs behind an OpenAI-compatible endpoint (POST /v1/chat/completions)",
    builder: (y) =>
      y
        .option("config", {
          type: "string",
          array: true,
          demandOption: true,
          describe: "routing config (FILE, or NAME=FILE); one route per config, served as model routegate/NAME",
        })
        .option("routers", { type: "string", describe: "module exporting `routers` (and optional `extractors`)" })
        .option("input", {
          type: "string",
          array: true,
          describe: "ROUTE=EXTRACTOR: how a route takes its router input",
        })
        .option("port", { type: "number", default: 8787 })
        .option("host", { type: "string", default: "127.0.0.1" })
        .option("auth", {
          type: "boolean",
          default: true,
          describe: "require ROUTEGATE_API_KEY as a bearer token (--no-auth: loopback only)",
        })
        .option("allow-provider", { type: "string", array: true, describe: "also allow this provider (e.g. vllm)" })
        .option("allow-base-url", { type: "string", array: true, describe: "an endpoint configs may send requests to" })
        .option("allow-key-env", { type: "string", array: true, describe: "a key variable configs may name" })
        .option("allow-offline", { type: "boolean", default: false, describe: "accept sim/replay models (demos only)" })
        .option("decision-log", { type: "string", describe: "append decision lines (JSONL, rotated) to this file" })
        .option("log-content", {
          type: "boolean",
          default: false,
          describe: "log each request's router input, redacted (e-mails, phones, keys; not names or addresses)",
        })
        .option("log-max-mb", { type: "number", default: 64, describe: "rotate the decision log past this size" })
        .option("log-retention-days", { type: "number", describe: "delete rotated decision logs older than this" })
        .option("max-body-kb", { type: "number", default: 1024 })
        .option("deadline-ms", { type: "number", default: 120_000, describe: "per-request deadline" })
        .option("shadow", {
          type: "string",
          describe: "candidate routing config ([ROUTE=]FILE) that also decides a sample of requests, in the background",
        })
        .option("shadow-rate", { type: "number", default: 0.05, describe: "share of requests the candidate sees" })
        .option("shadow-max-cost", {
          type: "number",
          describe: "USD the candidate's calls may spend (required with --shadow)",
        })
        .option("shadow-out", {
          type: "string",
          default: "shadow",
          describe: "writes OUT.items.jsonl (dataset) and OUT.outcomes.jsonl (recorded outcomes) for routegate eval",
        })
        .option("keys", {
          type: "string",
          describe:
            "gateway keys with caps (JSON: name, key or sha256, requestsPerMinute, usdPerDay); also ROUTEGATE_KEYS_FILE",
        })
        .option("otlp-endpoint", {
          type: "string",
          describe: "send OpenTelemetry spans (OTLP/HTTP) here; default OTEL_EXPORTER_OTLP_ENDPOINT, else none",
        })
        .example(
          "ROUTEGATE_API_KEY=... $0 serve --config triage=routing.config.json --routers dist/routers.js",
          "serve one route",
        ) as never,
    handler: async (args) => {
      const { routers, extractors } = await loadRoutersModule(args.routers);
      const apiKey = process.env.ROUTEGATE_API_KEY;
      const shadow = shadowOf(args);
      const keysFile = args.keys ?? process.env.ROUTEGATE_KEYS_FILE;
      const keys = keysFile ? loadGatewayKeys(keysFile) : undefined;
      const endpoint = otlpEndpointOf(args.otlpEndpoint);
      const tracing = endpoint ? await startOtlpTracing(endpoint) : undefined;
      let gateway: Awaited<ReturnType<typeof startGateway>>;
      try {
        gateway = await startGateway({
          routes: routeSpecsOf(args.config, args.input),
          routers,
          extractors,
          allow: allowListOf(args),
          ...(apiKey ? { apiKey } : {}),
          ...(keys ? { keys } : {}),
          ...(tracing ? { tracer: tracing.tracer } : {}),
          noAuth: !args.auth,
          host: args.host,
          port: args.port,
          maxBodyBytes: args.maxBodyKb * 1024,
          deadlineMs: args.deadlineMs,
          logContent: args.logContent,
          ...(shadow ? { shadow } : {}),
          ...(args.decisionLog
            ? {
                decisionLog: {
                  file: args.decisionLog,
                  maxBytes: args.logMaxMb * 1024 * 1024,
                  ...(args.logRetentionDays !== undefined ? { retentionDays: args.logRetentionDays } : {}),
                },
              }
            : {}),
        });
      } catch (err) {
        await tracing?.shutdown();
        if (err instanceof RoutingConfigError)
          throw new InputError("--config", undefined, err.message, "correct the config, or export it again");
        if (err instanceof GatewayStartError)
          throw new InputError("routegate serve", undefined, err.message, "see --help");
        throw err;
      }
      const names = [...gateway.routes.values()].map((r) => `routegate/${r.name} (config ${r.hash})`);
      process.stderr.write(
        `routegate serve: listening on ${gateway.url}; routes: ${names.join(", ")}${keys ? `; ${keys.length} named keys` : ""}${endpoint ? "; OpenTelemetry spans to the OTLP endpoint" : ""}\n`,
      );
      const onHup = () => {
        gateway.reload();
      };
      process.on("SIGHUP", onHup);
      await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          process.stderr.write(`routegate serve: ${signal}: draining\n`);
          void gateway.close().then(resolve);
        };
        process.once("SIGTERM", () => stop("SIGTERM"));
        process.once("SIGINT", () => stop("SIGINT"));
      });
      process.off("SIGHUP", onHup);
      await tracing?.shutdown();
      if (gateway.shadow) process.stderr.write(`routegate serve: shadow ${JSON.stringify(gateway.shadow.stats)}\n`);
    },
  };
}
