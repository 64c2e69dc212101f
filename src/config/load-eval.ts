import { dirname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { type ModelSpec, parseModelSpec } from "../contracts/model-spec.ts";
import { InputError } from "../core/errors.ts";
import { reportedIssue } from "../core/unknown-keys.ts";
import { EvalConfig } from "./define-eval.ts";
import { resolveSelect, withCandidateIds } from "./router-models.ts";

/** An eval whose paths are absolute and whose model specs are parsed. */
export interface ResolvedEval extends Omit<EvalConfig, "models"> {
  /** The eval file, or "(command line)" for ad-hoc runs: error messages name it. */
  source: string;
  models: ModelSpec[];
}

/** Imports an `*.eval.ts` file and validates its default export. */
export async function loadEvalFile(file: string): Promise<ResolvedEval> {
  const path = resolve(file);
  let mod: { default?: unknown };
  try {
    // tsImport loads TypeScript as ESM even outside a "type": "module" package. Loaded here, when a
    // user's .ts file is read, so a compiled CLI that loads none never starts tsx.
    const { tsImport } = await import("tsx/esm/api");
    mod = (await tsImport(pathToFileURL(path).href, import.meta.url)) as { default?: unknown };
    // Outside an ESM package the file is compiled as CommonJS and its exports arrive wrapped once more.
    if (isWrapped(mod.default)) mod = mod.default;
  } catch (err) {
    throw new InputError(
      file,
      undefined,
      `cannot load the eval file: ${(err as Error).message}`,
      "fix the error above; eval files must be TypeScript modules with `export default defineEval({...})`",
    );
  }
  if (mod.default === undefined) {
    throw new InputError(file, "default export", "no default export", "add `export default defineEval({ ... })`");
  }
  return resolveEval(mod.default, file, dirname(path));
}

function isWrapped(value: unknown): value is { default: unknown } {
  return typeof value === "object" && value !== null && "default" in value && !("name" in value);
}

/** Validates a config object (from an eval file or built by the CLI) and resolves its paths. */
export function resolveEval(raw: unknown, source: string, baseDir: string): ResolvedEval {
  const parsed = EvalConfig.safeParse(raw);
  if (!parsed.success) {
    const issue = reportedIssue(parsed.error, EvalConfig);
    throw new InputError(source, `field ${issue.path}`, issue.message, issue.fix ?? fixFor(issue.path));
  }
  const config = parsed.data;
  const models = config.models.map((m, i) => {
    if (typeof m !== "string") return { ...m, ...(m.file ? { file: resolveFile(baseDir, m.file) } : {}) };
    try {
      const spec = parseModelSpec(m);
      return spec.file ? { ...spec, file: resolveFile(baseDir, spec.file) } : spec;
    } catch (err) {
      throw new InputError(
        source,
        `field models[${i}]`,
        (err as Error).message,
        "write models as PROVIDER:MODEL, e.g. sim:cheap",
      );
    }
  });
  const ids = new Set<string>();
  models.forEach((m, i) => {
    if (ids.has(m.id))
      throw new InputError(
        source,
        `field models[${i}]`,
        `model id "${m.id}" appears twice`,
        "give each candidate a distinct id",
      );
    ids.add(m.id);
  });
  for (const key of ["weak", "strong"] as const) {
    const id = config[key];
    if (id !== undefined && !ids.has(id)) {
      throw new InputError(
        source,
        `field ${key}`,
        `"${id}" is not one of the models (${[...ids].join(", ")})`,
        `set ${key} to the id of a listed model`,
      );
    }
  }
  if ((config.weak === undefined) !== (config.strong === undefined)) {
    throw new InputError(
      source,
      "field weak/strong",
      "only one of weak and strong is set",
      "name both (two-tier figures need the pair) or neither",
    );
  }
  const routerIds = new Set<string>();
  config.routers.forEach((r, i) => {
    if (routerIds.has(r.id))
      throw new InputError(
        source,
        `field routers[${i}]`,
        `router id "${r.id}" appears twice`,
        "give each router a distinct id",
      );
    routerIds.add(r.id);
  });
  // One model identity: routers may name a candidate by its id or by the spec string the eval lists.
  const routers = config.routers.map((r, i) => withCandidateIds(r, [...ids], source, i));
  const select = resolveSelect(config.select, [...ids], source);
  config.gates.forEach((g, i) => {
    if (!routerIds.has(g.policy) && !g.policy.startsWith("always:")) {
      throw new InputError(
        source,
        `field gates[${i}].policy`,
        `"${g.policy}" names no router of this eval`,
        `use one of: ${[...routerIds].join(", ") || "(no routers)"} or always:<model id>`,
      );
    }
  });
  // A single model is a policy too (always:<model>): a change that moves production to one model is gated like any router.
  const candidate = config.gate?.candidate;
  const singleModel = (id: string) => id.startsWith("always:") && ids.has(id.slice("always:".length));
  if (candidate !== undefined && !routerIds.has(candidate) && !singleModel(candidate)) {
    throw new InputError(
      source,
      "field gate.candidate",
      `"${candidate}" names no router of this eval`,
      `use one of: ${[...routerIds, ...[...ids].map((id) => `always:${id}`)].join(", ")}`,
    );
  }
  return {
    ...config,
    routers,
    select,
    source,
    models,
    dataset: resolve(baseDir, config.dataset),
    ...(config.traffic ? { traffic: resolve(baseDir, config.traffic) } : {}),
    ...(config.prompt
      ? {
          prompt: {
            user: resolve(baseDir, config.prompt.user),
            ...(config.prompt.system ? { system: resolve(baseDir, config.prompt.system) } : {}),
          },
        }
      : {}),
  };
}

/** Recorded-outcome files resolve from the eval's folder; `memory:` keys name preloaded records. */
function resolveFile(baseDir: string, file: string): string {
  return file.startsWith("memory:") ? file : resolve(baseDir, file);
}

function fixFor(path: string): string {
  if (path.startsWith("models"))
    return "a model is a spec string like sim:cheap or an object {id, provider, model, pricing?}";
  if (path.startsWith("routers")) return "pass routers built with defineRouter (see routers/ for examples)";
  if (path.startsWith("gates")) return "a gate is {policy: <router id>, minQuality?: 0..1, maxCostPer1k?: USD}";
  if (path.startsWith("split")) return "use split: false or {heldOutFraction: 0.5, seed: 'routegate'}";
  return "see the fields of an eval file in docs/eval-file.md#fields";
}
