import { type LabelRequest, type PlacedLabel, placeLabels, type Segment } from "./svg-labels.ts";
import { linearScale, logScale, type Scale, useLogScale } from "./svg-scale.ts";

/** The cost-versus-quality chart of report.html, as an inline SVG string (no script, no assets). */

export interface ChartPolicy {
  id: string;
  /** Dollars per 1K requests. */
  cost: number;
  quality: number;
  ci: readonly [number, number];
}

export interface ChartInput {
  policies: readonly ChartPolicy[];
  /** Ids of the policies on the Pareto frontier. */
  frontier: readonly string[];
  reference: string | null;
  oracle: { cost: number; quality: number } | null;
  width?: number;
  height?: number;
}

export interface PlacedPoint {
  id: string;
  x: number;
  y: number;
  ciTop: number;
  ciBottom: number;
  frontier: boolean;
  reference: boolean;
  label: { text: string; x: number; y: number; anchor: PlacedLabel["anchor"]; leader?: Segment };
}

export interface ChartLayout {
  width: number;
  height: number;
  plot: { left: number; top: number; right: number; bottom: number };
  x: Scale;
  y: Scale;
  points: PlacedPoint[];
  /** Frontier vertices, cheapest first: the order the polyline draws them. */
  frontier: Array<{ id: string; x: number; y: number }>;
  oracle: {
    x: number;
    y: number;
    label: { x: number; y: number; anchor: PlacedLabel["anchor"]; leader?: Segment };
  } | null;
}

const MARGIN = { left: 64, right: 20, top: 18, bottom: 48 };

export function layoutChart(input: ChartInput): ChartLayout {
  const width = input.width ?? 900;
  const height = input.height ?? 440;
  const plot = {
    left: MARGIN.left,
    top: MARGIN.top,
    right: width - MARGIN.right,
    bottom: height - MARGIN.bottom,
  };
  const costs = input.policies.map((p) => p.cost);
  const qualities = input.policies.flatMap((p) => [p.quality, p.ci[0], p.ci[1]]);
  if (input.oracle) {
    costs.push(input.oracle.cost);
    qualities.push(input.oracle.quality);
  }
  const cLo = Math.min(...costs);
  const cHi = Math.max(...costs);
  const x = useLogScale(costs)
    ? logScale(cLo, cHi, [plot.left, plot.right])
    : linearScale(cLo - 0.05 * (cHi - cLo), cHi + 0.05 * (cHi - cLo), [plot.left, plot.right], { floor: 0 });
  // Quality lives in [0, 1]; the axis zooms to the data (intervals included) within that range.
  const y = linearScale(Math.min(...qualities), Math.max(...qualities), [plot.bottom, plot.top], {
    floor: 0,
    ceil: 1,
  });

  const onFrontier = new Set(input.frontier);
  const raw = input.policies.map((p) => ({
    p,
    x: x.map(p.cost),
    y: y.map(p.quality),
    frontier: onFrontier.has(p.id),
    reference: p.id === input.reference,
  }));
  // The reference and the frontier are what a reader looks for first: they get the best label spots.
  const order = [...raw.keys()].sort((a, b) => rankOf(raw[a]!) - rankOf(raw[b]!) || a - b);
  const bounds = {
    x: plot.left,
    y: plot.top - 12,
    w: plot.right - plot.left + MARGIN.right,
    h: plot.bottom - plot.top + 12,
  };
  const labelText = (r: (typeof raw)[number]) => (r.reference ? `${r.p.id} (reference)` : r.p.id);
  const oracleXY = input.oracle ? { x: x.map(input.oracle.cost), y: y.map(input.oracle.quality) } : null;
  const requests: LabelRequest[] = order.map((k) => ({
    x: raw[k]!.x,
    y: raw[k]!.y,
    text: labelText(raw[k]!),
    r: raw[k]!.reference ? 9 : 5,
    bold: raw[k]!.reference,
  }));
  // The oracle's label goes last: it is a yardstick, not a policy a reader must identify.
  if (oracleXY) requests.push({ ...oracleXY, text: "oracle", r: 9 });
  const frontierXY = raw.filter((r) => r.frontier).sort((a, b) => a.p.cost - b.p.cost || a.p.quality - b.p.quality);
  const lines = [
    ...frontierXY.slice(1).map((b, k) => ({ x1: frontierXY[k]!.x, y1: frontierXY[k]!.y, x2: b.x, y2: b.y })),
    ...raw.map((r) => ({ x1: r.x, y1: y.map(r.p.ci[0]), x2: r.x, y2: y.map(r.p.ci[1]) })),
  ];
  const placed = placeLabels(requests, bounds, lines);
  const labels = new Map(order.map((k, j) => [k, placed[j]!]));

  const points = raw.map((r, k) => {
    const l = labels.get(k)!;
    return {
      id: r.p.id,
      x: r.x,
      y: r.y,
      ciTop: y.map(r.p.ci[1]),
      ciBottom: y.map(r.p.ci[0]),
      frontier: r.frontier,
      reference: r.reference,
      label: { text: labelText(r), x: l.x, y: l.y, anchor: l.anchor, ...(l.leader ? { leader: l.leader } : {}) },
    };
  });
  const frontier = raw
    .map((r, k) => ({ r, pt: points[k]! }))
    .filter(({ r }) => r.frontier)
    .sort((a, b) => a.r.p.cost - b.r.p.cost || a.r.p.quality - b.r.p.quality)
    .map(({ pt }) => ({ id: pt.id, x: pt.x, y: pt.y }));
  const oracleLabel = oracleXY ? placed[placed.length - 1]! : null;
  const oracle =
    oracleXY && oracleLabel
      ? {
          ...oracleXY,
          label: {
            x: oracleLabel.x,
            y: oracleLabel.y,
            anchor: oracleLabel.anchor,
            ...(oracleLabel.leader ? { leader: oracleLabel.leader } : {}),
          },
        }
      : null;
  return { width, height, plot, x, y, points, frontier, oracle };
}

function rankOf(r: { reference: boolean; frontier: boolean }): number {
  return r.reference ? 0 : r.frontier ? 1 : 2;
}

/** Escapes text for SVG/HTML content and attribute values: ids come from users' datasets and code. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const f = (v: number) => String(Math.round(v * 10) / 10);

export function starPoints(cx: number, cy: number, outer = 9, inner = 4): string {
  const pts: string[] = [];
  for (let k = 0; k < 10; k++) {
    const r = k % 2 === 0 ? outer : inner;
    const a = -Math.PI / 2 + (k * Math.PI) / 5;
    pts.push(`${f(cx + r * Math.cos(a))},${f(cy + r * Math.sin(a))}`);
  }
  return pts.join(" ");
}

/** The thin line from a crowded point to its label. */
const leaderLine = (l: Segment) =>
  `<line class="leader" x1="${f(l.x1)}" y1="${f(l.y1)}" x2="${f(l.x2)}" y2="${f(l.y2)}"/>`;

export function renderChart(input: ChartInput): string {
  const L = layoutChart(input);
  const { plot } = L;
  const out: string[] = [];
  const desc = `Cost per 1K requests (${L.x.kind === "log" ? "log scale" : "linear scale"}) against quality for ${L.points.length} policies`;
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 ${L.width} ${L.height}" width="${L.width}" height="${L.height}" role="img" aria-labelledby="chart-title">`,
    `<title id="chart-title">${escapeXml(desc)}</title>`,
  );
  // Grid and axes first, so every mark draws above them.
  out.push(`<g class="grid">`);
  for (const t of L.x.ticks) {
    const x = f(L.x.map(t));
    out.push(`<line x1="${x}" y1="${plot.top}" x2="${x}" y2="${plot.bottom}"/>`);
    out.push(
      `<text class="tick" x="${x}" y="${plot.bottom + 16}" text-anchor="middle">$${Number(t.toPrecision(6))}</text>`,
    );
  }
  for (const t of L.y.ticks) {
    const y = f(L.y.map(t));
    out.push(`<line x1="${plot.left}" y1="${y}" x2="${plot.right}" y2="${y}"/>`);
    out.push(
      `<text class="tick" x="${plot.left - 8}" y="${f(L.y.map(t) + 4)}" text-anchor="end">${t.toFixed(2)}</text>`,
    );
  }
  out.push(`</g>`);
  out.push(
    `<rect class="frame" x="${plot.left}" y="${plot.top}" width="${plot.right - plot.left}" height="${plot.bottom - plot.top}"/>`,
    `<text class="axis" x="${f((plot.left + plot.right) / 2)}" y="${L.height - 10}" text-anchor="middle">cost per 1K requests${L.x.kind === "log" ? " (log scale)" : ""}</text>`,
    `<text class="axis" transform="translate(16 ${f((plot.top + plot.bottom) / 2)}) rotate(-90)" text-anchor="middle">quality</text>`,
  );
  if (L.frontier.length > 1) {
    out.push(`<polyline class="frontier" points="${L.frontier.map((p) => `${f(p.x)},${f(p.y)}`).join(" ")}"/>`);
  }
  // Draw order: dominated, then frontier, then reference, so a point that ties with a dominated one
  // (same cost and quality) is never hidden under it.
  const drawOrder = [...L.points].sort((a, b) => rankOf(b) - rankOf(a));
  for (const p of drawOrder) {
    const cls = ["policy", p.frontier ? "on-frontier" : "", p.reference ? "reference" : ""].filter(Boolean).join(" ");
    out.push(
      `<g class="point" data-policy="${escapeXml(p.id)}">`,
      `<title>${escapeXml(p.label.text)}</title>`,
      `<line class="ci" x1="${f(p.x)}" y1="${f(p.ciTop)}" x2="${f(p.x)}" y2="${f(p.ciBottom)}"/>`,
      `<line class="ci" x1="${f(p.x - 4)}" y1="${f(p.ciTop)}" x2="${f(p.x + 4)}" y2="${f(p.ciTop)}"/>`,
      `<line class="ci" x1="${f(p.x - 4)}" y1="${f(p.ciBottom)}" x2="${f(p.x + 4)}" y2="${f(p.ciBottom)}"/>`,
    );
    if (p.reference)
      out.push(`<rect class="reference-mark" x="${f(p.x - 8)}" y="${f(p.y - 8)}" width="16" height="16"/>`);
    if (p.label.leader) out.push(leaderLine(p.label.leader));
    out.push(
      `<circle class="${cls}" cx="${f(p.x)}" cy="${f(p.y)}" r="5"/>`,
      `<text class="label${p.reference ? " reference" : ""}" x="${f(p.label.x)}" y="${f(p.label.y)}" text-anchor="${p.label.anchor}">${escapeXml(p.label.text)}</text>`,
      `</g>`,
    );
  }
  if (L.oracle) {
    out.push(
      `<g class="oracle-point"><title>per-item oracle</title>${L.oracle.label.leader ? leaderLine(L.oracle.label.leader) : ""}<polygon class="oracle" points="${starPoints(L.oracle.x, L.oracle.y)}"/>`,
      `<text class="label oracle" x="${f(L.oracle.label.x)}" y="${f(L.oracle.label.y)}" text-anchor="${L.oracle.label.anchor}">oracle</text></g>`,
    );
  }
  out.push(`</svg>`);
  return out.join("\n");
}
