import type { ModelSpec, ProviderName } from "../contracts/model-spec.ts";
import type { Env } from "./hosted/credentials.ts";
import { type NetworkProviderName, PROVIDER_ENDPOINTS, providerSecrets } from "./hosted/endpoints.ts";
import type { ProviderLoader, Unavailable } from "./network-loader.ts";
import type { Provider } from "./provider.ts";
import type { ProviderLookup } from "./provider-lookup.ts";
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
  /** Why `name` cannot be built (its SDK is not installed, say): a config naming it is refused at load. */
  unavailable(name: ProviderName): Unavailable | undefined;
  /** The provider called `name`, built once; a lazy source imports its module now. */
  provider(name: ProviderName): Promise<Provider>;
}

/** The loader's providers, each built on first use: only those a config names are ever loaded. */
export function lazyProviderSource(loader: ProviderLoader, env: Env = process.env): ProviderSource {
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
    unavailable: (name) => loader.unavailable(name),
    provider(name) {
      let provider = built.get(name);
      if (!provider) {
        provider = loader.load(name);
        built.set(name, provider);
      }
      return provider;
    },
  };
}

/** A registry the host built itself (custom providers, test doubles), served as a source. */
export function registryProviderSource(registry: ProviderLookup): ProviderSource {
  return {
    secrets: (models) => registrySecrets(registry, models),
    // The registry's own lookup reports a provider it lacks, when routing asks for it.
    unavailable: () => undefined,
    // A registry without the provider throws here, synchronously, as a lookup always did.
    provider: (name) => Promise.resolve(registry.get(name)),
  };
}
