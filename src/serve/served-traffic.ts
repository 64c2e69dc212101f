// The gateway's served requests in flight, so that background work (shadow evaluation) starts in
// a gap between them rather than ahead of one: on one event loop, work that starts while a served
// request waits on its upstream delays that request's answer.

export class ServedTraffic {
  private inFlight = 0;
  private readonly waiting = new Set<() => void>();

  begin(): void {
    this.inFlight++;
  }

  end(): void {
    this.inFlight--;
    if (this.inFlight > 0) return;
    for (const start of this.waiting) start();
    this.waiting.clear();
  }

  /**
   * Resolves on a later turn of the event loop (after the I/O already due) once no served request
   * is in flight, or after `maxWaitMs` at the latest: under steady load there is no gap, and the
   * work must not starve.
   */
  gap(maxWaitMs: number): Promise<void> {
    return new Promise((resolve) => {
      const start = () => {
        clearTimeout(timer);
        this.waiting.delete(start);
        setImmediate(resolve);
      };
      const timer = setTimeout(start, maxWaitMs);
      timer.unref();
      if (this.inFlight === 0) start();
      else this.waiting.add(start);
    });
  }
}
