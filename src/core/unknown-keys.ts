import type { z } from "zod";
import { formatPath } from "./errors.ts";

/** The problem a failed parse reports: where (a path), what, and a fix when the problem implies one. */
export interface ReportedIssue {
  path: string;
  message: string;
  fix?: string;
}

/**
 * The issue to report from a failed parse. An unknown key comes first, with the nearest valid
 * name: a misspelt field (`scorers`) otherwise surfaces as its missing twin (`scorer: Invalid
 * input`), which hides the cause.
 */
export function reportedIssue(error: z.ZodError, schema: z.ZodType): ReportedIssue {
  const unknown = error.issues.find((i) => i.code === "unrecognized_keys");
  if (unknown && unknown.code === "unrecognized_keys") {
    const key = unknown.keys[0]!;
    const valid = keysAt(schema, unknown.path);
    const nearest = nearestName(key, valid);
    const others =
      unknown.keys.length > 1
        ? ` (and ${unknown.keys
            .slice(1)
            .map((k) => `"${k}"`)
            .join(", ")})`
        : "";
    return {
      path: formatPath([...unknown.path, key]),
      message: `unknown field "${key}"${others}${nearest ? ` (did you mean "${nearest}"?)` : ""}`,
      fix: nearest
        ? `rename it to ${nearest}`
        : valid.length
          ? `remove it; the fields here are ${valid.join(", ")}`
          : "remove it",
    };
  }
  const issue = error.issues[0]!;
  return { path: formatPath(issue.path), message: issue.message };
}

/** The closest of `names` to `name` (case-insensitive edit distance), when it is close enough to be a typo. */
export function nearestName(name: string, names: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of names) {
    const d = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  // A typo changes a few characters; beyond a third of the name it is another word.
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(name.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++)
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length]!;
}

interface Def {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  options?: z.ZodType[];
}
const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** The keys an object schema allows at `path` (through optional, default, array and union wrappers). */
export function keysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  const objects = objectsAt(schema, path);
  return [...new Set(objects.flatMap((o) => Object.keys(defOf(o).shape ?? {})))];
}

function objectsAt(schema: z.ZodType, path: readonly PropertyKey[]): z.ZodType[] {
  const def = defOf(schema);
  const inner = def.innerType ?? (def.type === "pipe" ? def.in : undefined);
  if (inner) return objectsAt(inner, path);
  if (def.type === "union") return (def.options ?? []).flatMap((o) => objectsAt(o, path));
  if (path.length === 0) return def.type === "object" ? [schema] : [];
  const [head, ...rest] = path;
  if (def.type === "array" && typeof head === "number" && def.element) return objectsAt(def.element, rest);
  const child = def.type === "object" ? def.shape?.[String(head)] : undefined;
  return child ? objectsAt(child, rest) : [];
}
