/**
 * Greedy label placement for the chart's points. Policies often sit on top of each other (two
 * routers that landed on the same operating point), and overlapping labels are unreadable, so each
 * label tries a few positions around its point and takes the first that collides with nothing.
 */

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface LabelRequest {
  x: number;
  y: number;
  text: string;
  /** Half the size of the mark drawn at (x, y): labels keep clear of it. */
  r?: number;
  /** Bold text runs about 10% wider. */
  bold?: boolean;
}

export interface Segment {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export interface PlacedLabel {
  x: number;
  /** Baseline of the text. */
  y: number;
  anchor: "start" | "end";
  box: Box;
}

const FONT_PX = 11;
/** Average glyph width of an 11px sans-serif font; an estimate is enough to keep labels apart. */
const CHAR_PX = 6.3;

export function textWidth(text: string): number {
  return text.length * CHAR_PX;
}

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

function inside(a: Box, bounds: Box): boolean {
  return a.x >= bounds.x && a.y >= bounds.y && a.x + a.w <= bounds.x + bounds.w && a.y + a.h <= bounds.y + bounds.h;
}

/** Whether a line segment crosses a box (Liang-Barsky clipping: some part of it lies inside). */
export function segmentHitsBox(s: Segment, b: Box): boolean {
  const dx = s.x2 - s.x1;
  const dy = s.y2 - s.y1;
  let t0 = 0;
  let t1 = 1;
  const edges: Array<[number, number]> = [
    [-dx, s.x1 - b.x],
    [dx, b.x + b.w - s.x1],
    [-dy, s.y1 - b.y],
    [dy, b.y + b.h - s.y1],
  ];
  for (const [p, q] of edges) {
    if (p === 0) {
      if (q < 0) return false;
      continue;
    }
    const t = q / p;
    if (p < 0) t0 = Math.max(t0, t);
    else t1 = Math.min(t1, t);
    if (t0 > t1) return false;
  }
  return true;
}

/**
 * Places labels in the given order (earlier labels win the best spots); never moves a point.
 * Lines (the frontier, interval bars) are obstacles too: a label struck through is unreadable.
 */
export function placeLabels(
  requests: readonly LabelRequest[],
  bounds: Box,
  lines: readonly Segment[] = [],
  defaultRadius = 5,
): PlacedLabel[] {
  const radius = (p: LabelRequest) => p.r ?? defaultRadius;
  const taken: Box[] = requests.map((p) => ({
    x: p.x - radius(p),
    y: p.y - radius(p),
    w: 2 * radius(p),
    h: 2 * radius(p),
  }));
  const free = (b: Box) => !taken.some((t) => overlaps(b, t)) && !lines.some((l) => segmentHitsBox(l, b));
  return requests.map((p) => {
    const gap = radius(p) + 3;
    const w = textWidth(p.text) * (p.bold ? 1.1 : 1);
    const h = FONT_PX + 2;
    const candidates: Array<{ dx: number; dy: number; anchor: "start" | "end" }> = [];
    for (const dy of [0, -13, 13, -26, 26, -39, 39]) {
      candidates.push({ dx: gap, dy, anchor: "start" });
      candidates.push({ dx: -gap, dy, anchor: "end" });
    }
    const placed = candidates.map((c) => {
      const x = p.x + c.dx;
      const baseline = p.y + c.dy + FONT_PX / 2 - 1;
      const box = { x: c.anchor === "start" ? x : x - w, y: baseline - FONT_PX + 1, w, h };
      return { x, y: baseline, anchor: c.anchor, box };
    });
    const fits = (l: PlacedLabel) => inside(l.box, bounds);
    const choice =
      placed.find((l) => fits(l) && free(l.box)) ??
      placed.find((l) => fits(l) && !taken.some((t) => overlaps(l.box, t))) ??
      placed.find(fits) ??
      placed[0]!;
    taken.push(choice.box);
    return choice;
  });
}
