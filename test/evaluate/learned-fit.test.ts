import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { importGsm8k } from "../../devkit/importers/gsm8k.ts";
import { runImported } from "../../devkit/importers/run-imported.ts";
import { defineRouter, type FitExample } from "../../src/routing/index.ts";
import { isHeldOut } from "../../src/stats/index.ts";

const DATA = fileURLToPath(new URL("../../../shared/data/routellm_gsm8k", import.meta.url));

describe("learned routers: fit sees calibration items only", () => {
  it("trains on the calibration split, ranks with the fitted weights, and reports on held-out items", async () => {
    const bench = importGsm8k(DATA);
    const { weak, strong } = bench;
    const seen: string[] = [];
    // A deliberately simple learner: the weight is the mean strong-minus-weak gain per 100 characters.
    const learned = defineRouter<{ len: number }, { weak: string; strong: string; threshold: number; w: number[] }>({
      id: "learned-length",
      params: { weak, strong, threshold: 0, w: [0] },
      async score(item) {
        return { len: String(item.input).length / 100 };
      },
      fit(examples: ReadonlyArray<FitExample<{ len: number }>>) {
        for (const e of examples) seen.push(e.item.id);
        let gain = 0;
        for (const e of examples) gain += (e.outcomes[1]!.score - e.outcomes[0]!.score) * e.scores.len;
        return { w: [gain / examples.length] };
      },
      rank: (s, p) => s.len * p.w[0]!,
      decide: (s, p) => ({ model: s.len * p.w[0]! >= p.threshold ? p.strong : p.weak }),
    });
    const { summary } = await runImported(bench, {
      name: "fit",
      weak,
      strong,
      scorer: { type: "numeric", routellmCompat: true },
      routers: [learned],
    });
    expect(seen.length).toBe(summary.split.calibration);
    expect(seen.some((id) => isHeldOut(id))).toBe(false);
    const r = summary.routers.find((x) => x.id === "learned-length")!;
    expect(r.heldOut).toBe(true);
    expect(r.items).toBe(summary.split.heldOut);
    const w = r.params["w"] as number[];
    expect(w).toHaveLength(1);
    expect(w[0]).toBeGreaterThan(0);
    // Ranking by a positive multiple of length is the length router: same held-out APGR as length.
    expect(r.apgr).toBeGreaterThan(0.5);
  }, 60_000);
});
