/** True when every score is exactly 0 or 1, i.e. the Wilson/Newcombe formulas apply. */
export function isBinary(scores: ArrayLike<number>): boolean {
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i];
    if (s !== 0 && s !== 1) return false;
  }
  return true;
}
