// What `routegate/runtime` exports: @routegate/runtime's API (./lean.ts), whose createRouter can
// also serve the evaluation providers, sim and replay, when the host allows them
// (`allow: { offline: true }`, for tests and demos). The boundary test checks that it statically
// imports none of the store, collector, report, CLI or CI-only packages, and no provider adapter.
import { networkProviderLoader } from "../providers/network-loader.ts";
import { withOfflineProviders } from "../providers/offline-loader.ts";
import { type CreateRouter, routerFactory } from "./create-router.ts";

export * from "./lean.ts";

/** {@inheritDoc CreateRouter} Built-in providers: openai, vllm, anthropic, google, sim, replay. */
export const createRouter: CreateRouter = routerFactory(() => withOfflineProviders(networkProviderLoader()));
