import { describe, expect, it } from "vitest";
import type { FamilyFacts } from "./facts.ts";
import { buildFamilies, KNN_MAX_CALIBRATION_ITEMS } from "./families.ts";

const facts = (calibrationItems?: number): FamilyFacts => ({
  models: ["small", "large"],
  quality: [0.6, 0.9],
  cost: [0.001, 0.01],
  ...(calibrationItems !== undefined ? { calibrationItems } : {}),
  canCallBeyondAnswers: () => false,
  canEmbed: () => true,
  oracleChoice: () => "large",
});

describe("the kNN family's size limit", () => {
  it("is built up to the limit of calibration items", () => {
    const built = buildFamilies(["knn"], facts(KNN_MAX_CALIBRATION_ITEMS));
    expect(built.routers.map((r) => r.id)).toEqual([expect.stringMatching(/^knn/)]);
    expect(built.skipped).toEqual([]);
  });

  it("is skipped past it with the reason, never left to fill memory with n^2 similarities", () => {
    const built = buildFamilies(["knn", "length"], facts(KNN_MAX_CALIBRATION_ITEMS + 1));
    expect(built.routers.map((r) => r.id)).toEqual([expect.stringMatching(/^length/)]);
    expect(built.skipped).toEqual([
      { family: "knn", reason: expect.stringMatching(/compares every calibration item with every other.*10001/) },
    ]);
  });

  it("is built when the count is unknown (facts from before the field)", () => {
    expect(buildFamilies(["knn"], facts()).routers).toHaveLength(1);
  });
});
