import { canonicalModelId, type ModelSpec } from "../contracts/model-spec.ts";
import { type RoutingConfig, RoutingConfigError } from "../contracts/routing-config.ts";
import type { PriceBook } from "../pricing/price-book.ts";
import type { ProviderSource } from "../providers/provider-source.ts";
import { scrubbedProvider } from "../providers/scrub/scrubbed-provider.ts";
import { SecretScrubber } from "../providers/scrub/secret-scrubber.ts";
import { alwaysRouter } from "../routing/builtin/always.ts";
import { checkRouterParams } from "../routing/params.ts";
import type { AnyRouter } from "../routing/router.ts";
import type { AllowList } from "./allow-list.ts";
import type { RuntimeModel } from "./provider-caller.ts";

/** A config ready to route with: its router's code and each model's provider and prices. */
export interface BoundConfig {
  cfg: RoutingConfig;
  router: AnyRouter;
  models: Map<string, RuntimeModel>;
  /** The embedding models the router's code uses, by the spec string it names them with. */
  embedders: Map<string, RuntimeModel>;
}

/**
 * Everything that can refuse a config, done before it is used: every model allowed by the host,
 * the router registered in code, its params valid by the router's own schema. Throws a
 * RoutingConfigError naming the field and the fix; nothing is half-applied.
 */
export function bindConfig(
  cfg: RoutingConfig,
  source: string,
  deps: { routers: readonly AnyRouter[]; allow: AllowList; providers: ProviderSource; prices: PriceBook },
): BoundConfig {
  cfg.models.forEach((spec, i) => {
    deps.allow.check(spec, i, source);
    // An SDK that is not installed is told now, naming the package, not on the first live request.
    const missing = deps.providers.unavailable(spec.provider);
    if (missing)
      throw new RoutingConfigError(
        `${source} (models[${i}] "${spec.id}", field provider): ${missing.problem}. Fix: ${missing.fix}`,
      );
  });
  (cfg.embedders ?? []).forEach((spec, i) => {
    deps.allow.check(spec, i, source, "embedders");
  });
  const router = cfg.router.id.startsWith("always:")
    ? alwaysRouter(cfg.router.id.slice("always:".length))
    : deps.routers.find((r) => r.id === cfg.router.id);
  if (!router) {
    throw new RoutingConfigError(
      `${source} (field router.id): names router "${cfg.router.id}", which is not registered in code (registered: ${deps.routers.map((r) => r.id).join(", ") || "none"}). Fix: pass it in createRouter(config, { routers })`,
    );
  }
  const problem = checkRouterParams(router, cfg.router.params, { models: cfg.models.map((m) => m.id) });
  if (problem) {
    throw new RoutingConfigError(
      `${source} (field router.params): ${problem}. Fix: re-export the config with \`routegate export\` from a run of this router`,
    );
  }
  // The router's code names its embedders; the config must carry each (allowed above), or the
  // index it was fitted with would be compared with vectors from another model.
  const embedderSpecs = new Map<string, ModelSpec>();
  for (const name of router.embedders ?? []) {
    const spec = (cfg.embedders ?? []).find((e) => e.id === name || canonicalModelId(name, [e.id]) === e.id);
    if (!spec)
      throw new RoutingConfigError(
        `${source} (field embedders): router "${router.id}" embeds with "${name}", which the config's embedders do not list. Fix: re-export the config with \`routegate export\` from a run of this router`,
      );
    embedderSpecs.set(name, spec);
  }
  const all = [...cfg.models, ...embedderSpecs.values()];
  // Every key the config's models resolve to is scrubbed from answers and errors, so from decision logs.
  const scrubber = new SecretScrubber(deps.providers.secrets(all));
  const runtimeModel = (spec: ModelSpec): RuntimeModel => {
    // Only the providers the config names are built; loading starts now, routing awaits it.
    const provider = deps.providers.provider(spec.provider).then((p) => scrubbedProvider(p, scrubber));
    provider.catch(() => {}); // a failed load is reported by the route that needs it
    let pricing: RuntimeModel["pricing"] = null;
    try {
      pricing = deps.prices.priceFor(spec);
    } catch {
      // Production must route even when a price row is missing; the decision log then shows cost 0.
    }
    return { spec, provider, pricing };
  };
  const models = new Map(cfg.models.map((spec) => [spec.id, runtimeModel(spec)]));
  const embedders = new Map([...embedderSpecs].map(([name, spec]) => [name, runtimeModel(spec)]));
  return { cfg, router, models, embedders };
}
