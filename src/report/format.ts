/** Number formatting shared by report.md, report.html and `routegate compare`: one style everywhere. */

export const DASH = "–";
const MINUS = "−";

export const isNum = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

export function fixed(v: unknown, digits: number): string {
  return isNum(v) ? v.toFixed(digits) : DASH;
}

export function int(v: unknown): string {
  return isNum(v) ? Math.round(v).toLocaleString("en-US") : DASH;
}

export function pct(v: unknown): string {
  return isNum(v) ? `${(100 * v).toFixed(1)}%` : DASH;
}

export function usd(v: unknown): string {
  return isNum(v) ? `$${formatUsd(v)}` : DASH;
}

/** Enough significant digits to tell cheap policies apart without printing noise. */
export function formatUsd(v: number): string {
  if (v === 0) return "0";
  if (Math.abs(v) >= 100) return v.toFixed(0);
  if (Math.abs(v) >= 1) return v.toFixed(2);
  return v.toPrecision(3);
}

/** A signed difference, with a real minus sign so columns of deltas read at a glance. */
export function signed(v: unknown, digits: number): string {
  if (!isNum(v)) return DASH;
  const s = Math.abs(v).toFixed(digits);
  if (Number(s) === 0) return `±${s}`;
  return `${v < 0 ? MINUS : "+"}${s}`;
}

/** A relative change b/a - 1 as a signed percentage; dash when a is 0 (no honest ratio exists). */
export function relChange(a: unknown, b: unknown): string {
  if (!isNum(a) || !isNum(b) || a === 0) return DASH;
  return `${signed(100 * (b / a - 1), 1)}%`;
}

/** A difference of two shares in percentage points. */
export function pointsChange(a: unknown, b: unknown): string {
  if (!isNum(a) || !isNum(b)) return DASH;
  return `${signed(100 * (b - a), 1)} pp`;
}
