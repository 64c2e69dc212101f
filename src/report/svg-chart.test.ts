import { describe, expect, it } from "vitest";
import { type ChartInput, escapeXml, layoutChart, renderChart } from "./svg-chart.ts";
import { placeLabels, segmentHitsBox } from "./svg-labels.ts";
import { linearScale, logScale, niceStep, useLogScale } from "./svg-scale.ts";

const input: ChartInput = {
  // Deliberately not cheapest-first, here and in `frontier`: the layout must sort the polyline by cost.
  policies: [
    { id: "always:flagship", cost: 2, quality: 0.85, ci: [0.78, 0.9] },
    { id: "always:cheap", cost: 0.1, quality: 0.6, ci: [0.5, 0.7] },
    { id: "dominated", cost: 0.8, quality: 0.7, ci: [0.6, 0.8] },
    { id: "router", cost: 0.5, quality: 0.8, ci: [0.7, 0.88] },
  ],
  frontier: ["always:flagship", "always:cheap", "router"],
  reference: "always:flagship",
  oracle: { cost: 0.3, quality: 0.95 },
};

describe("useLogScale", () => {
  it("goes log only when the range spans more than 10x and every value is positive", () => {
    expect(useLogScale([0.1, 1])).toBe(false); // exactly 10x
    expect(useLogScale([0.1, 1.01])).toBe(true);
    expect(useLogScale([0.5, 2, 3])).toBe(false);
    expect(useLogScale([0, 0.1, 5])).toBe(false); // no log of zero
    expect(useLogScale([3])).toBe(false);
  });
});

describe("scales", () => {
  it("picks 1-2-5 steps and ticks that print cleanly", () => {
    expect(niceStep(0, 1, 5)).toBe(0.2);
    expect(niceStep(0.4, 0.9, 5)).toBe(0.1);
    const s = linearScale(0.43, 0.91, [400, 0], { floor: 0, ceil: 1 });
    expect(s.domain).toEqual([0.4, 1]);
    expect(s.ticks).toEqual([0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
    expect(s.map(0.4)).toBe(400);
    expect(s.map(1)).toBe(0);
  });

  it("maps a log axis by decades, with 1-2-5 ticks", () => {
    const s = logScale(0.1, 10, [0, 200]);
    // Two decades of data, padded by 0.1 decade each side: 1 sits in the middle.
    expect(s.map(1)).toBeCloseTo(100, 9);
    expect(s.map(10) - s.map(1)).toBeCloseTo(s.map(1) - s.map(0.1), 9);
    expect(s.ticks).toEqual([0.1, 0.2, 0.5, 1, 2, 5, 10]);
  });
});

describe("layoutChart", () => {
  const L = layoutChart(input);
  const at = (id: string) => L.points.find((p) => p.id === id)!;

  it("chooses the log axis for a 20x cost range", () => {
    expect(L.x.kind).toBe("log");
  });

  it("places points by cost (left to right) and quality (bottom to top) inside the plot", () => {
    const byCost = [...input.policies].sort((a, b) => a.cost - b.cost);
    const xs = byCost.map((p) => at(p.id).x);
    expect([...xs].sort((a, b) => a - b)).toEqual(xs); // cheaper = further left
    expect(at("always:flagship").y).toBeLessThan(at("always:cheap").y); // higher quality = higher up
    for (const p of L.points) {
      expect(p.x).toBeGreaterThanOrEqual(L.plot.left);
      expect(p.x).toBeLessThanOrEqual(L.plot.right);
      expect(p.y).toBeGreaterThanOrEqual(L.plot.top);
      expect(p.y).toBeLessThanOrEqual(L.plot.bottom);
      expect(p.ciTop).toBeLessThan(p.y);
      expect(p.ciBottom).toBeGreaterThan(p.y);
    }
    // Exactly where the scales say: the log position of 0.5 between 0.1 and 2.
    const fraction = (Math.log10(0.5) - Math.log10(0.1)) / (Math.log10(2) - Math.log10(0.1));
    expect((at("router").x - at("always:cheap").x) / (at("always:flagship").x - at("always:cheap").x)).toBeCloseTo(
      fraction,
      9,
    );
  });

  it("orders the frontier polyline by cost and leaves dominated points off it", () => {
    expect(L.frontier.map((p) => p.id)).toEqual(["always:cheap", "router", "always:flagship"]);
    expect(at("dominated").frontier).toBe(false);
  });

  it("marks the reference and places the oracle", () => {
    expect(L.points.filter((p) => p.reference).map((p) => p.id)).toEqual(["always:flagship"]);
    expect(at("always:flagship").label.text).toBe("always:flagship (reference)");
    expect(L.oracle!.x).toBeLessThan(at("router").x);
    expect(L.oracle!.y).toBeLessThan(at("always:flagship").y);
  });

  it("uses a linear axis from zero-ish when costs are within 10x", () => {
    const lin = layoutChart({
      ...input,
      policies: input.policies.filter((p) => p.id !== "always:cheap"),
      oracle: null,
    });
    expect(lin.x.kind).toBe("linear");
    expect(lin.x.domain[0]).toBeGreaterThanOrEqual(0);
  });
});

describe("renderChart", () => {
  const svg = renderChart(input);

  it("draws one circle per policy, a star for the oracle and the frontier in cost order", () => {
    expect(svg.match(/<circle class="policy/g)).toHaveLength(4);
    expect(svg.match(/<polygon class="oracle"/g)).toHaveLength(1);
    expect(svg.match(/<rect class="reference-mark"/g)).toHaveLength(1);
    const L = layoutChart(input);
    const polyline = /<polyline class="frontier" points="([^"]+)"/.exec(svg)![1]!;
    const xs = polyline.split(" ").map((pt) => Number(pt.split(",")[0]));
    expect(xs).toEqual(L.frontier.map((p) => Math.round(p.x * 10) / 10));
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
  });

  it("escapes ids taken from users' code and data", () => {
    const evil = renderChart({
      ...input,
      policies: [{ id: `<script>alert("x")</script>&`, cost: 1, quality: 0.5, ci: [0.4, 0.6] }],
      frontier: [],
      reference: null,
      oracle: null,
    });
    expect(evil).not.toContain("<script>");
    expect(evil).toContain("&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62;&#38;");
    expect(escapeXml(`a'b`)).toBe("a&#39;b");
  });
});

describe("placeLabels", () => {
  it("moves a label off a neighbour's label, and off a line through its first spot", () => {
    const bounds = { x: 0, y: 0, w: 400, h: 200 };
    const [a, b] = placeLabels(
      [
        { x: 100, y: 100, text: "first" },
        { x: 101, y: 101, text: "second" },
      ],
      bounds,
    );
    const overlap = (p: typeof a, q: typeof a) =>
      p!.box.x < q!.box.x + q!.box.w &&
      q!.box.x < p!.box.x + p!.box.w &&
      p!.box.y < q!.box.y + q!.box.h &&
      q!.box.y < p!.box.y + p!.box.h;
    expect(overlap(a, b)).toBe(false);
    const line = { x1: 100, y1: 100, x2: 300, y2: 100 }; // runs through the right-hand spot
    const [c] = placeLabels([{ x: 100, y: 100, text: "label" }], bounds, [line]);
    expect(segmentHitsBox(line, c!.box)).toBe(false);
  });

  it("keeps crowded labels apart, each next to its own point (nearest it, or tied to it by a leader line)", () => {
    // Twelve policies within a few pixels of each other: the case that pinned labels on neighbours.
    const points = Array.from({ length: 12 }, (_, i) => ({
      x: 300 + (i % 4) * 6,
      y: 150 + Math.floor(i / 4) * 5,
      text: `policy-${i}`,
    }));
    const bounds = { x: 0, y: 0, w: 700, h: 320 };
    const placed = placeLabels(points, bounds);
    const gapTo = (px: number, py: number, b: (typeof placed)[number]["box"]) =>
      Math.hypot(Math.max(b.x - px, 0, px - b.x - b.w), Math.max(b.y - py, 0, py - b.y - b.h));
    placed.forEach((l, i) => {
      for (let j = 0; j < placed.length; j++) {
        if (j === i) continue;
        const o = placed[j]!.box;
        const apart =
          l.box.x + l.box.w <= o.x || o.x + o.w <= l.box.x || l.box.y + l.box.h <= o.y || o.y + o.h <= l.box.y;
        expect(apart, `${points[i]!.text} overlaps ${points[j]!.text}`).toBe(true);
      }
      // Next to its own point: nearer it than any other point, else tied to it by a leader line
      // that starts at the point's mark and ends on the label.
      const mine = gapTo(points[i]!.x, points[i]!.y, l.box);
      const nearest = points.every((q, j) => j === i || gapTo(q.x, q.y, l.box) > mine);
      if (!nearest || mine > 11) {
        expect(l.leader, points[i]!.text).toBeDefined();
        expect(Math.hypot(l.leader!.x1 - points[i]!.x, l.leader!.y1 - points[i]!.y)).toBeCloseTo(5, 6);
        expect(gapTo(l.leader!.x2, l.leader!.y2, l.box)).toBeCloseTo(0, 6);
      }
      expect(l.box.x >= 0 && l.box.y >= 0 && l.box.x + l.box.w <= 700 && l.box.y + l.box.h <= 320).toBe(true);
    });
  });
});
