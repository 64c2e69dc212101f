/** Counters of one run's traffic: what came from the store, what went to providers, what is missing. */
export class CallStats {
  requests = 0;
  fromStore = 0;
  providerCalls = 0;
  errors = 0;
  /** "model item" pairs an offline run could not answer. */
  readonly missing: string[] = [];
}
