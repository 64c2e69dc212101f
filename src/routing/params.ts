import { type RefinementCtx, z } from "zod";
import { canonicalModelId } from "../contracts/model-spec.ts";
import { formatPath } from "../core/errors.ts";
import type { ModelId } from "../core/types.ts";
import type { AnyRouter, ParamsContext } from "./router.ts";

// Building blocks of routers' params schemas, and the one check every loader of params runs.

/** A parameter that names a model: one of the config's models, by id or by a spec string of it. */
export function modelParam(ctx: ParamsContext) {
  return z.string().superRefine((model, issue) => {
    if (canonicalModelId(model, ctx.models) === undefined)
      issue.addIssue({ code: "custom", message: `"${model}" is not one of the config's models (${listed(ctx)})` });
  });
}

/**
 * Models a router calls from its own code (a cascade's stages, a classifier's model): a config
 * that does not list them would fail on every live request, so it is refused at load instead.
 */
export function requireModels(
  ctx: ParamsContext,
  models: readonly ModelId[],
  role: string,
  issue: RefinementCtx,
): void {
  for (const model of models) {
    if (canonicalModelId(model, ctx.models) === undefined)
      issue.addIssue({
        code: "custom",
        path: [],
        message: `the router's code calls "${model}" (${role}), which the config's models do not list (${listed(ctx)})`,
      });
  }
}

/** A number array of one of the given lengths (fitted weights, per-model costs). */
export function lengthOneOf(lengths: readonly number[], what: string) {
  return z.array(z.number()).superRefine((values, issue) => {
    if (!lengths.includes(values.length))
      issue.addIssue({
        code: "custom",
        message: `${what}: expected ${lengths.join(" or ")} numbers, got ${values.length}`,
      });
  });
}

/**
 * Checks params against the router's own schema; null when they pass or the router has none.
 * The message names the router, each failing parameter and what was expected, never the values
 * (weights can be thousands of numbers).
 */
export function checkRouterParams(router: AnyRouter, params: unknown, ctx: ParamsContext): string | null {
  const schema = typeof router.paramsSchema === "function" ? router.paramsSchema(ctx) : router.paramsSchema;
  if (!schema) return null;
  const parsed = schema.safeParse(params);
  if (parsed.success) return null;
  const issues = parsed.error.issues;
  const shown = issues
    .slice(0, 3)
    .map((i) => `${i.path.length ? `param ${formatPath(i.path)}` : "params"}: ${i.message}`);
  const more = issues.length > shown.length ? ` (and ${issues.length - shown.length} more)` : "";
  return `router "${router.id}" ${shown.join("; ")}${more}`;
}

function listed(ctx: ParamsContext): string {
  return ctx.models.join(", ") || "none";
}

/** Longest text of one parameter shown in a message before it is cut. */
const SHOWN_CHARS = 60;

/**
 * Parameters as one short line for messages and tables: `threshold=0.5, weights=[1038 numbers]`.
 * Arrays and objects are summarised by size, long texts cut: fitted weights can be thousands of
 * numbers, and a message is for reading.
 */
export function describeParams(params: unknown): string {
  if (params === null || typeof params !== "object" || Array.isArray(params)) return describeValue(params);
  return Object.entries(params as Record<string, unknown>)
    .map(([k, v]) => `${k}=${describeValue(v)}`)
    .join(", ");
}

function describeValue(v: unknown): string {
  if (Array.isArray(v)) {
    const kind = v.every((x) => typeof x === "number") ? "numbers" : "items";
    return v.length <= 4 && v.every((x) => typeof x !== "object" || x === null)
      ? `[${v.map(describeValue).join(", ")}]`
      : `[${v.length} ${kind}]`;
  }
  if (typeof v === "number") return String(Number(v.toPrecision(4)));
  if (v !== null && typeof v === "object") return `{${Object.keys(v).length} keys}`;
  const text = String(v);
  return text.length > SHOWN_CHARS ? `${text.slice(0, SHOWN_CHARS)}… (${text.length} chars)` : text;
}
