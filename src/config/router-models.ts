import { canonicalModelId, parseModelSpec } from "../contracts/model-spec.ts";
import { InputError } from "../core/errors.ts";
import { checkRouterParams } from "../routing/params.ts";
import type { AnyRouter, RouterParams } from "../routing/router.ts";
import type { SelectSpec } from "./define-eval.ts";

// One model identity at eval load: a router may name a candidate by its id (`replay:m`) or by the
// spec string the eval lists (`replay:m@file.jsonl`); both mean the same model, and its params
// are stored, reported and exported with the id. A router naming a model that is not a candidate
// is refused here, before anything runs (exit 2), naming the router and the model.

/**
 * The router with every parameter that names a candidate written as its id, after checking its
 * params: by its own schema where it has one, else any parameter written like a model spec
 * (`provider:model`) must name a candidate.
 */
export function withCandidateIds(router: AnyRouter, ids: readonly string[], source: string, i: number): AnyRouter {
  const where = `field routers[${i}]`;
  const fix = `name one of the eval's models (${ids.join(", ")}), by id or as the eval lists it`;
  const problem = checkRouterParams(router, router.params, { models: ids });
  if (problem) throw new InputError(source, where, problem, fix);
  if (!router.paramsSchema) {
    for (const [key, value] of Object.entries(router.params as RouterParams)) {
      if (typeof value !== "string" || !looksLikeSpec(value) || canonicalModelId(value, ids) !== undefined) continue;
      throw new InputError(
        source,
        where,
        `router "${router.id}" param ${key}: "${value}" is not one of the eval's models`,
        fix,
      );
    }
  }
  for (const [j, name] of (router.embedders ?? []).entries()) {
    try {
      parseModelSpec(name);
    } catch (err) {
      throw new InputError(
        source,
        `${where}.embedders[${j}]`,
        `router "${router.id}": ${(err as Error).message}`,
        "name an embedding model, e.g. local:hashed-tfidf or openai:text-embedding-3-small",
      );
    }
  }
  const params = Object.fromEntries(
    Object.entries(router.params as RouterParams).map(([key, value]) => [
      key,
      typeof value === "string" ? (canonicalModelId(value, ids) ?? value) : value,
    ]),
  );
  const changed = Object.keys(params).some((k) => params[k] !== (router.params as RouterParams)[k]);
  // The router's own methods stay as written; only its default params read as ids.
  return changed ? (Object.create(router, { params: { value: params, enumerable: true } }) as AnyRouter) : router;
}

/** select.nonInferiorTo as a candidate id ("best" stays), and a margin only beside it. */
export function resolveSelect(select: SelectSpec, ids: readonly string[], source: string): SelectSpec {
  if (select.margin !== undefined && select.nonInferiorTo === undefined)
    throw new InputError(
      source,
      "field select.margin",
      "a margin without nonInferiorTo",
      'add nonInferiorTo: "best" (or a model id), or drop the margin',
    );
  if (select.nonInferiorTo === undefined || select.nonInferiorTo === "best") return select;
  const id = canonicalModelId(select.nonInferiorTo, ids);
  if (id === undefined)
    throw new InputError(
      source,
      "field select.nonInferiorTo",
      `"${select.nonInferiorTo}" is not one of the models`,
      `use "best" or one of: ${ids.join(", ")}`,
    );
  return { ...select, nonInferiorTo: id };
}

/** A value written like a model spec: a known provider, a colon, a name. */
function looksLikeSpec(value: string): boolean {
  try {
    parseModelSpec(value);
    return true;
  } catch {
    return false;
  }
}
