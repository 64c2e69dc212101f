import type { ModelSpec, ProviderName } from "../contracts/model-spec.ts";
import { type NetworkProviderName, PROVIDER_ENDPOINTS, providerSecrets } from "./hosted/endpoints.ts";
import type { HostedProviderOptions } from "./hosted/options.ts";
import type { SimOptions } from "./offline/sim.ts";
import type { Provider } from "./provider.ts";
import type { ProviderRegistry } from "./registry.ts";
import { registrySecrets } from "./scrub/run-secrets.ts";

// Where production routing gets its providers. A service that routes over openai models alone
// should not load the anthropic or google adapters, their SDKs, or the simulated and replay
// providers: the lazy source imports a provider's module the first time a config names it.

export interface ProviderSource {
  /**
   * The credential values to scrub for a config's models: the default key variables of every
   * network provider, and those its models name. Known without loading any adapter.
   */
  secrets(models: readonly ModelSpec[]): string[];
  /** The provider called `name`, built once; a lazy source imports its module now. */
  provider(name: ProviderName): Promise<Provider>;
}

export interface LazyProviderOptions {
  sim?: SimOptions;
  hosted?: HostedProviderOptions;
}

/** Builds one built-in provider, importing its module only when it is asked for. */
export async function loadProvider(name: ProviderName, opts: LazyProviderOptions = {}): Promise<Provider> {
  switch (name) {
    case "openai":
      return (await import("./openai/chat.ts")).createOpenAIProvider(opts.hosted);
    case "vllm":
      return (await import("./openai/chat.ts")).createVllmProvider(opts.hosted);
    case "anthropic":
      return (await import("./anthropic/chat.ts")).createAnthropicProvider(opts.hosted);
    case "google":
      return (await import("./google/chat.ts")).createGoogleProvider(opts.hosted);
    case "sim":
      return (await import("./offline/sim.ts")).createSimProvider(opts.sim);
    case "replay":
      return (await import("./offline/replay.ts")).createReplayProvider();
  }
}

/** The built-in providers, each built on first use: only those a config names are ever loaded. */
export function lazyProviderSource(opts: LazyProviderOptions = {}): ProviderSource {
  const env = opts.hosted?.env ?? process.env;
  const built = new Map<ProviderName, Promise<Provider>>();
  const network = Object.keys(PROVIDER_ENDPOINTS) as NetworkProviderName[];
  return {
    secrets(models) {
      const values = network.flatMap((name) => providerSecrets(env, name));
      for (const spec of models) {
        if (spec.provider in PROVIDER_ENDPOINTS)
          values.push(...providerSecrets(env, spec.provider as NetworkProviderName, spec));
      }
      return values;
    },
    provider(name) {
      let provider = built.get(name);
      if (!provider) {
        provider = loadProvider(name, opts);
        built.set(name, provider);
      }
      return provider;
    },
  };
}

/** A registry the host built itself (custom providers, test doubles), served as a source. */
export function registryProviderSource(registry: ProviderRegistry): ProviderSource {
  return {
    secrets: (models) => registrySecrets(registry, models),
    // A registry without the provider throws here, synchronously, as a lookup always did.
    provider: (name) => Promise.resolve(registry.get(name)),
  };
}
