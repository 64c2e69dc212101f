import type { ProviderLoader } from "./network-loader.ts";
import type { SimOptions } from "./offline/sim.ts";

/**
 * Adds the evaluation providers (sim, replay) to a loader, each imported on first use. Only the
 * full package's runtime (`routegate/runtime`, for tests and demos with `allow: { offline: true }`)
 * uses it; @routegate/runtime never imports this file.
 */
export function withOfflineProviders(network: ProviderLoader, sim?: SimOptions): ProviderLoader {
  return {
    unavailable: (name) => (name === "sim" || name === "replay" ? undefined : network.unavailable(name)),
    async load(name) {
      if (name === "sim") return (await import("./offline/sim.ts")).createSimProvider(sim);
      if (name === "replay") return (await import("./offline/replay.ts")).createReplayProvider();
      return network.load(name);
    },
  };
}
