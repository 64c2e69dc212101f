import { createHash } from "node:crypto";
import type { Position } from "./aggregate.ts";

// Both orders are always asked; the seed decides which comes first for an item, and the run
// records it. Asking first with the candidate in A for some items and in B for others keeps any
// drift between the two rounds (a judge update mid-run, a rate-limit retry) from lining up with
// one position.

/** Where the candidate stands in the order asked first, from sha256(seed:itemId:model). */
export function firstCandidatePosition(seed: string, itemId: string, model: string): Position {
  const byte = createHash("sha256").update(`${seed}:${itemId}:${model}`).digest()[0]!;
  return byte < 128 ? "A" : "B";
}

export function otherPosition(p: Position): Position {
  return p === "A" ? "B" : "A";
}
