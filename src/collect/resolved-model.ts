import type { ModelSpec, TokenPricing } from "../config/model-spec.ts";
import type { Provider } from "../providers/provider.ts";

/** A model spec bound to its provider, its price and the snapshot its requests are hashed with. */
export interface ResolvedModel {
  spec: ModelSpec;
  provider: Provider;
  pricing: TokenPricing;
  snapshot: string;
}
