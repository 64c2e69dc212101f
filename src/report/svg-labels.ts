/**
 * Greedy label placement for the chart's points. Policies often sit on top of each other (two
 * routers that landed on the same operating point), and overlapping labels, or a label nearer a
 * neighbour than its own point, mislead; so each label takes the nearest free spot that is
 * unambiguously its own.
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
  anchor: "start" | "end" | "middle";
  box: Box;
  /** Set when the label sits away from its point (crowded points): a line from the point to it. */
  leader?: Segment;
}

const FONT_PX = 11;
/**
 * A generous average glyph width at 11px: the label boxes must hold the text the browser draws
 * (the browser test checks them against Chromium's own measure).
 */
const CHAR_PX = 7;

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

/** Distance from a point to the nearest point of a box (0 inside it). */
export function distanceToBox(px: number, py: number, b: Box): number {
  const dx = Math.max(b.x - px, 0, px - (b.x + b.w));
  const dy = Math.max(b.y - py, 0, py - (b.y + b.h));
  return Math.hypot(dx, dy);
}

/** Rows above and below the point a label may move to before it needs a leader line. */
const ROWS = 8;
/** A label further than this from its point (beyond the mark) gets a leader line to it. */
const LEADER_PX = 6;

/**
 * Places labels in the given order (earlier labels win the best spots); never moves a point. Each
 * label takes the nearest spot around its point that (1) stays inside `bounds`, (2) overlaps no
 * other label or mark, (3) lies nearer its own point than any other point, so a reader never pins
 * it on a neighbour, and (4) crosses no line (the frontier, interval bars: a label struck through
 * is unreadable). Where points crowd, the spot may be a few rows away, or no free spot may be
 * nearer its point than every neighbour: the label then comes with a leader line from its point.
 * Rules are dropped only when no spot keeps them: ownership first (the leader line shows it), then
 * lines.
 */
export function placeLabels(
  requests: readonly LabelRequest[],
  bounds: Box,
  lines: readonly Segment[] = [],
  defaultRadius = 5,
): PlacedLabel[] {
  const radius = (p: LabelRequest) => p.r ?? defaultRadius;
  const marks: Box[] = requests.map((p) => ({
    x: p.x - radius(p),
    y: p.y - radius(p),
    w: 2 * radius(p),
    h: 2 * radius(p),
  }));
  const labels: Box[] = [];
  const clear = (b: Box) => !marks.some((t) => overlaps(b, t)) && !labels.some((t) => overlaps(b, t));
  const offLines = (b: Box) => !lines.some((l) => segmentHitsBox(l, b));
  return requests.map((p, i) => {
    const r = radius(p);
    const w = textWidth(p.text) * (p.bold ? 1.1 : 1);
    const h = FONT_PX + 2;
    const own = (b: Box) => {
      const d = distanceToBox(p.x, p.y, b);
      // Nearer its own point's centre than any other point's (ties go to the label's own point).
      return requests.every((q, j) => j === i || distanceToBox(q.x, q.y, b) > d);
    };
    const candidates: PlacedLabel[] = [];
    const add = (x: number, baseline: number, anchor: PlacedLabel["anchor"]) => {
      const left = anchor === "start" ? x : anchor === "end" ? x - w : x - w / 2;
      candidates.push({ x, y: baseline, anchor, box: { x: left, y: baseline - FONT_PX + 1, w, h } });
    };
    const gap = r + 3;
    for (let row = 0; row <= ROWS; row++) {
      for (const sign of row === 0 ? [0] : [-1, 1]) {
        const baseline = p.y + sign * row * h + FONT_PX / 2 - 1;
        add(p.x + gap, baseline, "start");
        add(p.x - gap, baseline, "end");
      }
    }
    // Centred above and below the mark.
    for (let row = 0; row < ROWS; row++) {
      add(p.x, p.y - r - 3 - row * h, "middle");
      add(p.x, p.y + r + FONT_PX + 1 + row * h, "middle");
    }
    const fits = candidates
      .filter((c) => inside(c.box, bounds))
      .map((c) => ({ c, d: distanceToBox(p.x, p.y, c.box) }))
      .sort((a, b) => a.d - b.d);
    const pick = fits.find(({ c }) => clear(c.box) && own(c.box) && offLines(c.box)) ??
      // A leader line shows whose label it is; nothing makes a struck-through label readable.
      fits.find(({ c }) => clear(c.box) && offLines(c.box)) ??
      fits.find(({ c }) => clear(c.box) && own(c.box)) ??
      fits.find(({ c }) => clear(c.box)) ??
      fits[0] ?? { c: candidates[0]!, d: 0 };
    labels.push(pick.c.box);
    const placed: PlacedLabel = { ...pick.c };
    // A label away from its point, or one a neighbour's point is as near to, is tied to its own point.
    if (pick.d > r + LEADER_PX || !own(pick.c.box)) placed.leader = leaderTo(p.x, p.y, r, pick.c.box);
    return placed;
  });
}

/** A line from the edge of the mark at (x, y) to the nearest point of the label's box. */
function leaderTo(x: number, y: number, r: number, b: Box): Segment {
  const tx = Math.min(Math.max(x, b.x), b.x + b.w);
  const ty = Math.min(Math.max(y, b.y), b.y + b.h);
  const len = Math.hypot(tx - x, ty - y) || 1;
  return { x1: x + ((tx - x) / len) * r, y1: y + ((ty - y) / len) * r, x2: tx, y2: ty };
}
