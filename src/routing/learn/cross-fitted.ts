/**
 * Cross-fitted predictions of a learned router on its own training items. `fit` sees calibration
 * items only and returns weights; a rank computed with those weights on those same items would be
 * optimistic (the model has seen them), and an operating point chosen on it lands badly on
 * held-out items. So `fit` remembers each training item's out-of-fold prediction, tied to the
 * weights it returned, and `rank` answers with it for exactly those (scores object, weights) pairs.
 * Items the fit never saw, and other weights (an exported config), get the plain prediction.
 */
export class CrossFitted<S extends object, V = number> {
  private weights: unknown = null;
  private values = new WeakMap<S, V>();

  remember(scores: readonly S[], outOfFold: ArrayLike<V> | null, weights: unknown): void {
    this.weights = weights;
    this.values = new WeakMap();
    if (!outOfFold) return;
    scores.forEach((s, i) => this.values.set(s, outOfFold[i]!));
  }

  get(scores: S, weights: unknown): V | undefined {
    return weights === this.weights ? this.values.get(scores) : undefined;
  }
}
