import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { loadEvalFile } from "../src/config/load-eval.ts";
import { runSession } from "../src/evaluate/session/run-session.ts";
import { itemsFor80Power, simulateGate } from "../src/gate/simulate.ts";
import { defaultPriceBook } from "../src/pricing/price-book.ts";
import { createProviderRegistry } from "../src/providers/registry.ts";
import { OutcomeStore } from "../src/store/outcome-store.ts";

/**
 * The gate's calibration on the example sets (docs/metrics.md#the-gate), by simulation: incumbent =
 * always-strong, with the discordance measured between it and each eval's routers on the golden
 * set, at the golden set's size and the eval's allowed drop (0.02 when it declares none).
 */
export async function benchGate() {
  const dir = fileURLToPath(new URL("../evals/", import.meta.url));
  const evals: Record<
    string,
    {
      items: number;
      maxDrop: number;
      incumbentQuality: number;
      /** Deprecated: `incumbentQuality` under its first name, kept for readers of `--json`. */
      baselineQuality: number;
      discordance: number;
      falsePassRate: number;
      falsePassSe: number;
      falseBlockRate: number;
      itemsFor80Power: number | null;
    }
  > = {};
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith(".eval.ts"))
    .sort()) {
    const config = await loadEvalFile(`${dir}${file}`);
    if (!config.strong) continue;
    const store = OutcomeStore.open(":memory:");
    const { runs } = await runSession([{ config: { ...config, gate: undefined }, runId: "bench-gate" }], {
      store,
      registry: createProviderRegistry(),
      prices: defaultPriceBook(),
      reportsDir: null,
      offline: false,
      concurrency: 16,
      progress: () => ({ start() {}, tick() {}, stop() {} }),
    });
    const { result } = runs[0]!;
    store.close();
    const base = result.evaluated.find((e) => e.router.id === `always:${config.strong}`)!.outcome.quality;
    const n = base.length;
    // Disagreement between the incumbent and the routers a pull request would propose.
    const candidates = result.evaluated.filter((e) => !e.router.id.startsWith("always:"));
    let discordant = 0;
    for (const c of candidates)
      for (let i = 0; i < n; i++) discordant += Math.abs(c.outcome.quality[i]! - base[i]!) >= 0.5 ? 1 : 0;
    const maxDrop = config.gate?.maxDrop ?? 0.02;
    const discordance = Math.max(maxDrop, discordant / (n * Math.max(1, candidates.length)));
    const incumbentQuality = base.reduce((a, b) => a + b, 0) / n;
    const input = { incumbentQuality, discordance, maxDrop, simulations: 4000, seed: `bench-gate:${config.name}` };
    const sim = simulateGate({ ...input, items: n });
    evals[config.name] = {
      maxDrop,
      incumbentQuality,
      baselineQuality: incumbentQuality,
      discordance,
      ...sim,
      itemsFor80Power: itemsFor80Power({ ...input, simulations: 1000 }),
    };
  }
  const rows = Object.values(evals);
  return {
    // Worst case over the example sets: the gate's guarantee must hold on each of them.
    falsePassRate: Math.max(...rows.map((r) => r.falsePassRate)),
    falseBlockRate: Math.max(...rows.map((r) => r.falseBlockRate)),
    itemsFor80Power: rows.some((r) => r.itemsFor80Power === null)
      ? null
      : Math.max(...rows.map((r) => r.itemsFor80Power!)),
    evals,
  };
}
