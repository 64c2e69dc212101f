import { describe, expect, it } from "vitest";
import { defineRouter } from "../../routing/router.ts";
import { decideAll } from "./decide-all.ts";

describe("decideAll errors", () => {
  it("name the router's params with arrays elided, not thousands of numbers", () => {
    const weights = Array.from({ length: 1038 }, (_, i) => i * 0.001);
    const router = defineRouter({
      id: "learned",
      params: { weights },
      score: async () => 0,
      decide: () => ({ model: "nope" }),
    });
    const phase = { scores: [0], calls: [[]], cost: new Float64Array(1), latency: new Float64Array(1) };
    let message = "";
    try {
      decideAll(router, phase, { weights }, new Map([["sim:cheap", 0]]));
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('decide() chose "nope"');
    expect(message).toContain("weights=[1038 numbers]");
    expect(message.length).toBeLessThan(400);
  });
});
