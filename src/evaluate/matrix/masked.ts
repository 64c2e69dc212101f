/** Items a figure is computed over: calibration, held-out, or all. */
export type Mask = Uint8Array;

export function maskedValues(values: ArrayLike<number>, mask: Mask): Float64Array {
  let n = 0;
  for (let i = 0; i < mask.length; i++) n += mask[i]!;
  const out = new Float64Array(n);
  let k = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i]) out[k++] = values[i]!;
  return out;
}

export function maskedMean(values: ArrayLike<number>, mask: Mask): number {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i]) continue;
    sum += values[i]!;
    n++;
  }
  return n === 0 ? Number.NaN : sum / n;
}

export function maskedCount(mask: Mask): number {
  let n = 0;
  for (let i = 0; i < mask.length; i++) n += mask[i]!;
  return n;
}
