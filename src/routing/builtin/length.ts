import type { Item } from "../../core/types.ts";
import type { Router } from "../router.ts";
import { type ThresholdParams, thresholdRouter } from "./threshold.ts";

/** Longer inputs go to the strong model: the simplest heuristic, and a fair baseline for any other. */
export function lengthRouter(opts: {
  weak: string;
  strong: string;
  id?: string;
  threshold?: number;
}): Router<{ rank: number }, ThresholdParams> {
  return thresholdRouter({
    id: opts.id ?? "length",
    weak: opts.weak,
    strong: opts.strong,
    ...(opts.threshold !== undefined ? { threshold: opts.threshold } : {}),
    itemOnly: true,
    rank: (item) => inputText(item).length,
  });
}

export function inputText(item: Item): string {
  return typeof item.input === "string" ? item.input : JSON.stringify(item.input);
}
