import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { importGsm8k } from "../../devkit/importers/gsm8k.ts";
import { runImported } from "../../devkit/importers/run-imported.ts";
import { verifiedCascade } from "../../routers/cascade.ts";
import { learnedCascade } from "../../routers/learned.ts";
import type { Summary } from "../../src/contracts/summary.ts";
import { lengthRouter } from "../../src/routing/index.ts";

// Routers on RouteLLM's real GSM8K records (read in place), fitted on the calibration split and
// reported on the held-out split (docs/metrics.md#calibration-and-the-held-out-split, seed "routegate"). The Mixtral answers are
// real, so routers that read the weak answer have real evidence to work with.
const DATA = fileURLToPath(new URL("../../../shared/data/routellm_gsm8k", import.meta.url));

describe("GSM8K held-out: routers that read the weak answer beat the question-length router", () => {
  let summary: Summary;
  beforeAll(async () => {
    const bench = importGsm8k(DATA, { excludeContaminated: true });
    const { weak, strong } = bench;
    ({ summary } = await runImported(bench, {
      name: "gsm8k-routers",
      weak,
      strong,
      scorer: { type: "numeric", routellmCompat: true },
      routers: [
        lengthRouter({ weak, strong }),
        verifiedCascade({ models: [weak, strong], answer: { kind: "number" } }),
        learnedCascade({ weak, strong }),
      ],
    }));
  }, 120_000);
  const router = (id: string) => summary.routers.find((r) => r.id === id)!;

  it("reports on held-out items only", () => {
    for (const r of summary.routers) {
      expect(r.heldOut).toBe(true);
      expect(r.items).toBe(summary.split.heldOut);
    }
  });

  it("the learned cascade and the verifier cascade both have a higher APGR than the length router", () => {
    const length = router("length").apgr!;
    expect(length).toBeGreaterThan(0.55);
    expect(length).toBeLessThan(0.65);
    expect(router("cascade").apgr!).toBeGreaterThan(length + 0.05);
    expect(router("learned-cascade").apgr!).toBeGreaterThan(length + 0.15);
  });

  it("the learned cascade's calibrated point keeps 95% of GPT-4-turbo's quality at well under its cost", () => {
    const r = router("learned-cascade");
    const strong = summary.models[1]!;
    expect(r.quality.mean).toBeGreaterThanOrEqual(0.95 * strong.quality - 0.02);
    expect(r.bestSingleModel).toBe(strong.id);
    expect(r.savingAtBestQuality === null || (r.savingAtBestQuality ?? 0) > 0.3).toBe(true);
    // It always pays the weak call: its cost is at least the weak model's.
    expect(r.costPer1k).toBeGreaterThan(summary.models[0]!.costPer1k);
    expect(r.costPer1k).toBeLessThan(0.7 * strong.costPer1k);
  });
});
