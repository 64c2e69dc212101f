import { randomBytes } from "node:crypto";

/** Sortable and unique: 2026-11-26T04-55-12Z-3f9a. */
export function newRunId(now = new Date()): string {
  return `${now
    .toISOString()
    .replace(/\.\d+Z$/, "Z")
    .replaceAll(":", "-")}-${randomBytes(2).toString("hex")}`;
}
