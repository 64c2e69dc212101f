import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { InputError } from "../core/errors.ts";
import type { AnyRouter } from "../routing/router.ts";
import type { RuntimeAllowList } from "../runtime/allow-list.ts";
import type { RouterInputExtractor } from "../serve/router-input.ts";
import type { RouteSpec } from "../serve/routes.ts";

// What `routegate serve` takes from its command line and environment. The allow-list (providers,
// endpoints, key variables) comes only from here: a routing config is a file a pull request can
// edit, so it never widens where requests, and so credentials, may go.

const list = (v: string | undefined) =>
  (v ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

export interface AllowArgs {
  allowProvider?: string[];
  allowBaseUrl?: string[];
  allowKeyEnv?: string[];
  allowOffline?: boolean;
}

/** Flags first, then ROUTEGATE_ALLOW_PROVIDERS / _BASE_URLS / _KEY_ENV (comma lists), merged. */
export function allowListOf(args: AllowArgs, env: NodeJS.ProcessEnv = process.env): RuntimeAllowList {
  const providers = [...(args.allowProvider ?? []), ...list(env.ROUTEGATE_ALLOW_PROVIDERS)];
  const baseUrls = [...(args.allowBaseUrl ?? []), ...list(env.ROUTEGATE_ALLOW_BASE_URLS)];
  const credentialEnv = [...(args.allowKeyEnv ?? []), ...list(env.ROUTEGATE_ALLOW_KEY_ENV)];
  const known = ["openai", "anthropic", "google", "vllm"];
  for (const p of providers)
    if (!known.includes(p))
      throw new InputError("--allow-provider", undefined, `unknown provider "${p}"`, `name one of ${known.join(", ")}`);
  return {
    // Listing any provider replaces the default set, so the defaults stay allowed beside it.
    ...(providers.length ? { providers: [...new Set(["openai", "anthropic", "google", ...providers])] as never } : {}),
    ...(baseUrls.length ? { baseUrls } : {}),
    ...(credentialEnv.length ? { credentialEnv } : {}),
    ...(args.allowOffline ? { offline: true } : {}),
  };
}

/** `--config FILE` or `--config NAME=FILE`; `--input NAME=EXTRACTOR` names a route's extractor. */
export function routeSpecsOf(configs: readonly string[], inputs: readonly string[] = []): RouteSpec[] {
  const extractorOf = new Map<string, string>();
  for (const pair of inputs) {
    const [name, extractor] = pair.split("=", 2);
    if (!name || !extractor)
      throw new InputError(
        "--input",
        undefined,
        `"${pair}" is not ROUTE=EXTRACTOR`,
        "write e.g. --input triage=last-user",
      );
    extractorOf.set(name, extractor);
  }
  return configs.map((arg) => {
    const eq = arg.indexOf("=");
    const named = eq > 0 && !existsSync(arg);
    const name = named ? arg.slice(0, eq) : undefined;
    const file = named ? arg.slice(eq + 1) : arg;
    if (!existsSync(file))
      throw new InputError(
        file,
        undefined,
        "the routing config file does not exist",
        "export one with `routegate export`",
      );
    const input = name ? extractorOf.get(name) : undefined;
    return { ...(name ? { name } : {}), file, ...(input ? { input } : {}) };
  });
}

export interface RoutersModule {
  routers: AnyRouter[];
  extractors: Record<string, RouterInputExtractor>;
}

/**
 * `--routers FILE`: compiled JavaScript (or TypeScript, which the CLI loads through tsx) exporting
 * `routers` (an array, or the default export) and optionally `extractors` (name -> function).
 */
export async function loadRoutersModule(file: string | undefined): Promise<RoutersModule> {
  if (!file) return { routers: [], extractors: {} };
  const path = resolve(file);
  if (!existsSync(path))
    throw new InputError(
      file,
      undefined,
      "the routers file does not exist",
      "give the module that exports your routers",
    );
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (err) {
    throw new InputError(
      file,
      undefined,
      `cannot load it (${(err as Error).message})`,
      "check the module loads with node",
    );
  }
  const routers = mod.routers ?? mod.default;
  const valid = (r: unknown) =>
    typeof r === "object" &&
    r !== null &&
    typeof (r as AnyRouter).id === "string" &&
    typeof (r as AnyRouter).decide === "function";
  if (!Array.isArray(routers) || !routers.every(valid))
    throw new InputError(
      file,
      "export routers",
      "exports no array of routers",
      "export const routers = [myRouter(...)] (each made with defineRouter)",
    );
  const extractors = (mod.extractors ?? {}) as Record<string, unknown>;
  for (const [name, fn] of Object.entries(extractors))
    if (typeof fn !== "function")
      throw new InputError(
        file,
        `extractors.${name}`,
        "is not a function",
        "export functions ({ messages, metadata }) => ({ input })",
      );
  return { routers: routers as AnyRouter[], extractors: extractors as Record<string, RouterInputExtractor> };
}
