import type { TokenPricing } from "../contracts/model-spec.ts";

/** What `priceFor` returns: the pricing to apply, where it came from, and whether it is unverified. */
export type PriceQuote = TokenPricing & { source: string; uncertain?: boolean; note?: string };
