import type { ProviderName } from "../contracts/model-spec.ts";
import type { Provider } from "./provider.ts";

/**
 * Providers by name, as a host hands them to the runtime (custom providers, test doubles). The
 * evaluation's ProviderRegistry is one; this narrower shape keeps the registry, and the sim and
 * replay providers it builds, out of the production runtime.
 */
export interface ProviderLookup {
  /** The provider called `name`; throws when there is none. */
  get(name: ProviderName): Provider;
  /** Registered provider ids. */
  names(): string[];
}
