import type { RoutingConfig } from "../src/contracts/routing-config.ts";

/**
 * The provenance of a routing config built by hand in a test or a bench: the runtime checks its
 * shape but routes without reading it, so every figure is a zero and every label the given name.
 */
export function placeholderProvenance(name: string): RoutingConfig["provenance"] {
  return {
    eval: name,
    runId: name,
    exportedAt: new Date(0).toISOString(),
    simulated: false,
    dataset: { name, items: 0, hash: "x" },
    priceTable: { version: "x", date: "x" },
    heldOut: true,
    items: 0,
    quality: 0,
    qualityCi: [0, 0],
    costPer1k: 0,
  };
}
