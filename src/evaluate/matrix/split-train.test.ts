import { describe, expect, it } from "vitest";
import type { Item } from "../../core/types.ts";
import { splitPart } from "../../stats/index.ts";
import { splitMasks } from "./split.ts";

const items: Item[] = Array.from({ length: 400 }, (_, i) => ({ id: `q${i}`, input: `question ${i}` }));

describe("three-way split (train / calibration / held-out)", () => {
  it("keeps the held-out set unchanged when a train fraction is added", () => {
    const two = splitMasks(items, { heldOutFraction: 0.3, seed: "s" });
    const three = splitMasks(items, { heldOutFraction: 0.3, seed: "s", trainFraction: 0.4 });
    expect([...three.heldOut]).toEqual([...two.heldOut]);
    // Train items leave calibration, and only calibration.
    const train = items.filter(
      (it) => splitPart(it, { heldOutFraction: 0.3, seed: "s", trainFraction: 0.4 }) === "train",
    );
    expect(train.length).toBeGreaterThan(120);
    expect(train.length).toBeLessThan(200);
    expect(three.calibrationCount).toBe(400 - three.heldOutCount - train.length);
    items.forEach((it, i) => {
      const part = splitPart(it, { heldOutFraction: 0.3, seed: "s", trainFraction: 0.4 });
      if (part === "train") {
        expect(three.calibration[i]).toBe(0);
        expect(three.heldOut[i]).toBe(0);
        expect(three.reporting[i]).toBe(0);
      }
    });
  });

  it("keeps a group together in one part", () => {
    const grouped: Item[] = items.map((it, i) => ({ ...it, metadata: { group: `g${i % 50}` } }));
    const opts = { heldOutFraction: 0.3, seed: "s", trainFraction: 0.4 };
    const byGroup = new Map<string, Set<string>>();
    for (const it of grouped) {
      const g = String(it.metadata!.group);
      byGroup.set(g, (byGroup.get(g) ?? new Set()).add(splitPart(it, opts)));
    }
    for (const parts of byGroup.values()) expect(parts.size).toBe(1);
  });

  it("refuses a train fraction that leaves no calibration item (exit 2)", () => {
    expect(() => splitMasks(items.slice(0, 3), { heldOutFraction: 0.01, seed: "s", trainFraction: 0.98 })).toThrow(
      /split.trainFraction/,
    );
  });
});
