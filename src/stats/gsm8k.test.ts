import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type TwoTierItems, twoTierOracleRank, twoTierSweep } from "./two-tier.ts";
import { randomRouterApgr, summarizeTwoTier } from "./two-tier-summary.ts";

// Real recorded outcomes (RouteLLM, Apache-2.0; GSM8K, MIT), read in place, never copied.
const DATA = new URL("../../../shared/data/routellm_gsm8k/gsm8k_two_models.jsonl", import.meta.url);
const WEAK = "mistralai/Mixtral-8x7B-Instruct-v0.1";
const STRONG = "gpt-4-1106-preview";

interface Row {
  question: string;
  contaminated_per_routellm: boolean;
  models: Record<string, { correct: boolean }>;
}

function load(): { items: TwoTierItems; questions: string[] } {
  const rows = readFileSync(DATA, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as Row)
    .filter((r) => !r.contaminated_per_routellm);
  const flag = (r: Row, m: string) => (r.models[m]?.correct ? 1 : 0);
  return {
    items: {
      scoreIfWeak: Float64Array.from(rows, (r) => flag(r, WEAK)),
      scoreIfStrong: Float64Array.from(rows, (r) => flag(r, STRONG)),
    },
    questions: rows.map((r) => r.question),
  };
}

const r4 = (x: number | null) => (x === null ? null : Number(x.toFixed(4)));

describe("GSM8K two-tier fixtures (docs/metrics.md#two-tiers, 1307 uncontaminated items)", () => {
  const { items, questions } = load();

  it("qW and qS", () => {
    expect(items.scoreIfWeak.length).toBe(1307);
    const s = summarizeTwoTier(twoTierSweep(items, twoTierOracleRank(items.scoreIfWeak, items.scoreIfStrong)));
    expect([r4(s.qW), r4(s.qS)]).toEqual([0.6373, 0.8577]);
  });

  it("oracle router", () => {
    const s = summarizeTwoTier(twoTierSweep(items, twoTierOracleRank(items.scoreIfWeak, items.scoreIfStrong)));
    expect(r4(s.apgr)).toBe(1.1208);
    expect(r4(s.maxPgr)).toBe(1.3264);
    expect({ 50: r4(s.cpt["50"] ?? null), 80: r4(s.cpt["80"] ?? null), 95: r4(s.cpt["95"] ?? null) }).toEqual({
      50: 0.1102,
      80: 0.1763,
      95: 0.2093,
    });
  });

  it("question-length router (length in characters, String.length)", () => {
    const s = summarizeTwoTier(
      twoTierSweep(
        items,
        Float64Array.from(questions, (q) => q.length),
      ),
    );
    expect(r4(s.apgr)).toBe(0.5978);
    expect(r4(s.cpt["50"] ?? null)).toBe(0.366);
    expect(r4(s.cpt["80"] ?? null)).toBe(0.6675);
  });

  it("random router", () => {
    // Single runs spread with SD ~0.02 (2000 seeds: mean 0.4994, SD 0.0200), so test the mean.
    const r = randomRouterApgr(items, { runs: 50 });
    expect(r).not.toBeNull();
    expect(r?.mean).toBeGreaterThan(0.44);
    expect(r?.mean).toBeLessThan(0.56);
    expect(r?.sd).toBeGreaterThan(0.01);
    expect(r?.sd).toBeLessThan(0.03);
  });
});
