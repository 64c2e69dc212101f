import type { ModelSpec, TokenPricing } from "../contracts/model-spec.ts";
import type { Provider } from "../providers/provider.ts";

/** A model spec bound to its provider, its price and the snapshot its requests are hashed with. */
export interface ResolvedModel {
  spec: ModelSpec;
  provider: Provider;
  /**
   * null for a replay model with no price row: its records must then carry `costUsd`, and
   * `missingPrice` is the error to raise for the first one that does not.
   */
  pricing: TokenPricing | null;
  missingPrice?: Error;
  snapshot: string;
}
