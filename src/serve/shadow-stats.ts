import type { EngineStats } from "./shadow-engine.ts";

// The shadow engine's counts in memory the gateway's thread and the worker thread share: the
// worker writes them as it goes, the gateway reads them when /metrics is scraped and after the
// worker died (a dead thread writes nothing more, so what is read then is exact). No message
// crosses to the gateway's event loop per sampled request. Each field is one aligned 8-byte
// slot with a single writer (the worker); a reader may at worst see a count one change old.

const FIELDS = ["finished", "differed", "written", "skippedBudget", "failed", "spentUsd", "reservedUsd"] as const;

/** A buffer for sharedStats, starting from `spentUsd` already spent. */
export function statsBuffer(spentUsd = 0): SharedArrayBuffer {
  const buffer = new SharedArrayBuffer(FIELDS.length * Float64Array.BYTES_PER_ELEMENT);
  new Float64Array(buffer)[FIELDS.indexOf("spentUsd")] = spentUsd;
  return buffer;
}

/** EngineStats whose fields live in `buffer` (see statsBuffer). */
export function sharedStats(buffer: SharedArrayBuffer): EngineStats {
  const slots = new Float64Array(buffer);
  const stats = {} as EngineStats;
  FIELDS.forEach((field, i) => {
    Object.defineProperty(stats, field, {
      enumerable: true,
      get: () => slots[i]!,
      set: (v: number) => {
        slots[i] = v;
      },
    });
  });
  return stats;
}
