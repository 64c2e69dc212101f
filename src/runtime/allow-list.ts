import { z } from "zod";
import type { ModelSpec } from "../contracts/model-spec.ts";
import { RoutingConfigError } from "../contracts/routing-config.ts";
import { type NetworkProviderName, PROVIDER_ENDPOINTS, type ProviderEndpoint } from "../providers/hosted/endpoints.ts";

// A routing config travels through pull requests and deploy systems: it is data an attacker may
// have written. It names routers and models, but where requests (and so credentials) go is the
// host's decision: providers, endpoints and key variables are accepted only from this allow-list,
// which the service's own code passes to createRouter.

/** What the host code lets a routing config use. Nothing in a config can widen it. */
export interface RuntimeAllowList {
  /**
   * Network providers a config may name. Default: openai, anthropic, google (each at its own
   * endpoint with its own key variables). `vllm` must be listed, and its base URL too.
   */
  providers?: readonly NetworkProviderName[];
  /**
   * Endpoints a model's `baseUrl` may point at: the same origin (scheme, host, port) and a path at
   * or below this one; trailing slashes do not matter. A provider's own endpoint needs no entry.
   */
  baseUrls?: readonly string[];
  /** Environment variables a model's `apiKeyEnv` may name, besides each provider's own. */
  credentialEnv?: readonly string[];
  /**
   * Accept `sim` (simulated answers) and `replay` (answers read from a file the config names).
   * For tests and demos only; default false.
   */
  offline?: boolean;
}

const DEFAULT_PROVIDERS: readonly NetworkProviderName[] = ["openai", "anthropic", "google"];
const OFFLINE = new Set(["sim", "replay"]);
/** The in-process embedder: no network, no key, allowed without an allowance. */
const LOCAL = "local";

const AllowListSchema = z.strictObject({
  providers: z
    .array(
      z.enum(["openai", "anthropic", "google", "vllm"], {
        error: "expected openai, anthropic, google or vllm (sim and replay are allowed by `offline: true`)",
      }),
    )
    .optional(),
  baseUrls: z.array(z.string()).optional(),
  credentialEnv: z
    .array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "expected an environment variable name"))
    .optional(),
  offline: z.boolean().optional(),
});

/** An origin and a path without its trailing slashes ("" for the root). */
interface Endpoint {
  origin: string;
  path: string;
}

/** The checked allow-list; `check` refuses a model it does not cover. */
export interface AllowList {
  /** `field` is where the spec sits in the config: "models" (default) or "embedders". */
  check(spec: ModelSpec, index: number, source: string, field?: "models" | "embedders"): void;
}

/** Throws a TypeError when the host's allow-list itself is malformed (a bug in the host code). */
export function compileAllowList(allow: RuntimeAllowList = {}): AllowList {
  const parsed = AllowListSchema.safeParse(allow);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new TypeError(`createRouter: allow.${issue.path.join(".")}: ${issue.message}`);
  }
  const providers = new Set<string>(parsed.data.providers ?? DEFAULT_PROVIDERS);
  const credentialEnv = new Set(parsed.data.credentialEnv ?? []);
  const offline = parsed.data.offline ?? false;
  const baseUrls = (parsed.data.baseUrls ?? []).map((url) => {
    const endpoint = parseEndpoint(url);
    if (typeof endpoint === "string") throw new TypeError(`createRouter: allow.baseUrls: "${url}" ${endpoint}`);
    return endpoint;
  });

  return {
    check(spec, index, source, list = "models") {
      const refuse = (field: string, problem: string, fix: string) =>
        new RoutingConfigError(
          `${source} (${list}[${index}] "${spec.id}", field ${field}): ${problem}. Fix: ${fix}; a routing config cannot choose providers, endpoints or credentials`,
        );
      if (spec.provider === LOCAL) {
        // In-process, keyless and offline: nothing leaves the host. It only embeds, so it is never a model.
        if (list === "embedders") return;
        throw refuse(
          "provider",
          `"${LOCAL}" is an embedding model and cannot answer requests`,
          "list it under embedders (a router's embedding model), not models",
        );
      }
      if (OFFLINE.has(spec.provider)) {
        if (offline) return;
        const what = spec.provider === "sim" ? "simulated answers" : "answers read from a file the config names";
        throw refuse(
          "provider",
          `"${spec.provider}" (${what}) is for evaluation, not for serving requests`,
          "route to a real provider, or, in tests and demos only, have the host code pass createRouter(config, { allow: { offline: true } })",
        );
      }
      const name = spec.provider as NetworkProviderName;
      if (!providers.has(name)) {
        // Echo the URL only as parsed: a user name or password in it is never printed.
        const endpoint = spec.baseUrl === undefined ? undefined : parseEndpoint(spec.baseUrl);
        const shown =
          endpoint && typeof endpoint !== "string" ? `${endpoint.origin}${endpoint.path}` : "http://host:8000/v1";
        const urlHint = name === "vllm" ? `, baseUrls: ["${shown}"]` : "";
        throw refuse(
          "provider",
          `provider "${name}" is not allowed by this service (allowed: ${[...providers].join(", ") || "none"})`,
          `have the host code allow it: createRouter(config, { allow: { providers: [..., "${name}"]${urlHint} } })`,
        );
      }
      const own: ProviderEndpoint = PROVIDER_ENDPOINTS[name];
      const home = ownEndpoint(name);
      if (spec.baseUrl !== undefined) {
        const endpoint = parseEndpoint(spec.baseUrl);
        if (typeof endpoint === "string")
          throw refuse("baseUrl", `the base URL ${endpoint}`, "give a plain http(s) origin and path");
        if (!(home && within(endpoint, home)) && !baseUrls.some((a) => within(endpoint, a)))
          throw refuse(
            "baseUrl",
            `"${spec.baseUrl}" is not an endpoint this service allows`,
            `if it is yours, have the host code allow it: createRouter(config, { allow: { baseUrls: ["${endpoint.origin}${endpoint.path}"] } })`,
          );
      } else if (!home) {
        throw refuse(
          "baseUrl",
          `a ${name} model needs a base URL`,
          `name the server in the model spec, and allow it in the host code: createRouter(config, { allow: { baseUrls: [...] } })`,
        );
      }
      if (spec.apiKeyEnv !== undefined && !own.keyVars.includes(spec.apiKeyEnv) && !credentialEnv.has(spec.apiKeyEnv))
        throw refuse(
          "apiKeyEnv",
          `the key variable "${spec.apiKeyEnv}" is not one this service allows (a ${name} model reads ${own.keyVars.join(" or ")} by default)`,
          `drop apiKeyEnv, or have the host code allow the variable: createRouter(config, { allow: { credentialEnv: ["${spec.apiKeyEnv}"] } })`,
        );
    },
  };
}

/** The provider's own API, always allowed for its models; undefined for vllm. */
function ownEndpoint(name: NetworkProviderName): Endpoint | undefined {
  const url: string | undefined = PROVIDER_ENDPOINTS[name].baseUrl;
  const endpoint = url === undefined ? undefined : parseEndpoint(url);
  return typeof endpoint === "string" ? undefined : endpoint;
}

/** Parses an endpoint, or says what is wrong with it. */
function parseEndpoint(url: string): Endpoint | string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "is not a URL";
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return "is not an http(s) URL";
  if (parsed.username || parsed.password) return "carries a user name or password";
  if (parsed.search || parsed.hash) return "carries a query or fragment";
  return { origin: parsed.origin, path: parsed.pathname.replace(/\/+$/, "") };
}

/**
 * Same origin exactly (so api.openai.com.evil.example or a user@host trick never matches) and a
 * path equal to the allowed one or below it segment by segment (so /v10 is not under /v1). URL
 * parsing has already resolved dot segments and percent-encoded dots.
 */
function within(url: Endpoint, allowed: Endpoint): boolean {
  return url.origin === allowed.origin && (url.path === allowed.path || url.path.startsWith(`${allowed.path}/`));
}

/**
 * The allowances a host needs to run these models, beyond the defaults: what `routegate export`
 * tells the user, since the config itself can grant none of them.
 */
export function allowancesNeeded(models: readonly ModelSpec[]): RuntimeAllowList {
  const providers = new Set<NetworkProviderName>();
  const baseUrls = new Set<string>();
  const credentialEnv = new Set<string>();
  let offline = false;
  for (const spec of models) {
    if (spec.provider === LOCAL) continue;
    if (OFFLINE.has(spec.provider)) {
      offline = true;
      continue;
    }
    const name = spec.provider as NetworkProviderName;
    const own: ProviderEndpoint = PROVIDER_ENDPOINTS[name];
    const home = ownEndpoint(name);
    if (!DEFAULT_PROVIDERS.includes(name)) providers.add(name);
    if (spec.baseUrl !== undefined) {
      const endpoint = parseEndpoint(spec.baseUrl);
      if (!(home && typeof endpoint !== "string" && within(endpoint, home))) baseUrls.add(spec.baseUrl);
    }
    if (spec.apiKeyEnv !== undefined && !own.keyVars.includes(spec.apiKeyEnv)) credentialEnv.add(spec.apiKeyEnv);
  }
  return {
    ...(providers.size ? { providers: [...DEFAULT_PROVIDERS, ...providers] } : {}),
    ...(baseUrls.size ? { baseUrls: [...baseUrls] } : {}),
    ...(credentialEnv.size ? { credentialEnv: [...credentialEnv] } : {}),
    ...(offline ? { offline } : {}),
  };
}
