/**
 * Cross-fitted predictions of a learned router on its own training items, used only while the
 * engine chooses an operating point on those items.
 *
 * `fit` sees calibration items only. A rank computed with the fitted weights on those same items
 * is optimistic (the model has seen them), so an operating point chosen on it lands badly on
 * held-out items. So `fit` remembers each training item's out-of-fold prediction, tied to the
 * weights it returned, and, inside `duringCalibrationSweep`, rank/decide answer with it for exactly
 * those (scores, weights) pairs. Everywhere else (the reported outcome, held-out items, production)
 * the router is the plain function of its scores and exported weights, so evaluation and runtime
 * decide identically.
 */
export class CrossFitted<S extends object, V = number> {
  private weights: unknown = null;
  private values = new WeakMap<S, V>();

  remember(scores: readonly S[], outOfFold: ArrayLike<V> | null, weights: unknown): void {
    this.weights = weights;
    this.values = new WeakMap();
    if (!outOfFold) return;
    for (const [i, s] of scores.entries()) this.values.set(s, outOfFold[i]!);
  }

  get(scores: S, weights: unknown): V | undefined {
    return sweeping > 0 && weights === this.weights ? this.values.get(scores) : undefined;
  }
}

let sweeping = 0;

/** Runs a calibration sweep: learned routers answer with cross-fitted predictions on their training items. */
export function duringCalibrationSweep<T>(sweep: () => T): T {
  sweeping++;
  try {
    return sweep();
  } finally {
    sweeping--;
  }
}
