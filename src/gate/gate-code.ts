import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { GateCheck } from "../contracts/summary.ts";
import { InputError } from "../core/errors.ts";
import type { BaseCheckout } from "./base-branch.ts";
import { evaluateGates } from "./eval-gates.ts";
import { nonInferiorityGate } from "./non-inferiority.ts";
import { changedRoutegatePatches, lockedRoutegate, runningRoutegateVersion } from "./routegate-lock.ts";
import { gateVerdict } from "./verdict.ts";
import { changedVerdictSources, isRoutegateRepo } from "./verdict-sources.ts";

/**
 * The functions that turn a run's figures into a verdict. A pull request that edits them could
 * pass itself, so with `--gate-base` they are the base branch's (see `gateCodeFor`).
 */
export interface GateCode {
  nonInferiorityGate: typeof nonInferiorityGate;
  evaluateGates: typeof evaluateGates;
  verdict: (checks: readonly Pick<GateCheck, "passed" | "blocking">[]) => boolean;
  /** Whose code it is, for the report: "this checkout" or the base ref. */
  from: string;
}

export const ownGateCode: GateCode = { nonInferiorityGate, evaluateGates, verdict: gateVerdict, from: "this checkout" };

/** Where routegate keeps the gate's code, relative to its repository root. */
export const GATE_MODULES = {
  nonInferiority: "src/gate/non-inferiority.ts",
  evalGates: "src/gate/eval-gates.ts",
  verdict: "src/gate/verdict.ts",
} as const;

/**
 * The gate's functions as the base checkout of routegate's own repository has them. Their imports
 * (the statistics) resolve inside the base checkout too. A module the base does not have yet is
 * this checkout's (the change adds it, and is flagged for review); a base older than verdict.ts
 * counted every check.
 */
export async function importBaseGateCode(base: BaseCheckout): Promise<GateCode> {
  const load = async (rel: string): Promise<Record<string, unknown> | null> => {
    const file = join(base.dir, rel);
    return existsSync(file) ? ((await import(pathToFileURL(file).href)) as Record<string, unknown>) : null;
  };
  const [ni, eg, v] = await Promise.all([
    load(GATE_MODULES.nonInferiority),
    load(GATE_MODULES.evalGates),
    load(GATE_MODULES.verdict),
  ]);
  const fn = <T>(mod: Record<string, unknown> | null, name: string, own: T): T =>
    typeof mod?.[name] === "function" ? (mod[name] as T) : own;
  return {
    nonInferiorityGate: fn(ni, "nonInferiorityGate", nonInferiorityGate),
    evaluateGates: fn(eg, "evaluateGates", evaluateGates),
    verdict: fn(v, "gateVerdict", (checks: readonly Pick<GateCheck, "passed">[]) => checks.every((c) => c.passed)),
    from: base.ref,
  };
}

/**
 * The gate's code for a `--gate-base` run, and what the change altered in it (each needs its own
 * review). In routegate's repository the base's gate sources are loaded from the base checkout. In
 * a user's repository the verdict must come from the routegate the base's lockfile pins: when this
 * is another version, or the change edits patches to routegate, the run refuses (exit 2) rather
 * than let the changed code judge itself.
 */
export async function gateCodeFor(
  base: BaseCheckout,
  running: string = runningRoutegateVersion(),
): Promise<{ code: GateCode; changed: string[] }> {
  if (isRoutegateRepo(base.repoRoot) && isRoutegateRepo(base.dir)) {
    const sources = changedVerdictSources(base.dir, base.repoRoot);
    const changed = sources.length
      ? [
          `gate code or its dependencies changed (${sources.join(", ")}): the verdict used ${base.ref}'s gate and statistics code`,
        ]
      : [];
    return { code: await importBaseGateCode(base), changed };
  }
  const fix = (version: string) =>
    `land the routegate change in a pull request of its own, approved by the gate's code owners (this gate cannot judge it), or run the base's version: npx routegate@${version} eval --gate-base ${base.ref}`;
  const baseLock = lockedRoutegate(base.dir);
  const prLock = lockedRoutegate(base.repoRoot);
  if (baseLock && baseLock.version !== running) {
    throw new InputError(
      baseLock.file,
      "routegate",
      `the verdict must be computed by the base branch's routegate (${baseLock.version} in ${base.ref}'s ${baseLock.file}), but this is routegate ${running}`,
      fix(baseLock.version),
    );
  }
  const patches = changedRoutegatePatches(base.dir, base.repoRoot);
  if (patches.length) {
    throw new InputError(
      patches[0]!,
      undefined,
      `this change edits patches to routegate (${patches.join(", ")}): the verdict would be computed by patched gate code`,
      fix(baseLock?.version ?? running),
    );
  }
  const changed: string[] = [];
  if (prLock?.version !== baseLock?.version)
    changed.push(
      `routegate version in ${prLock?.file ?? baseLock?.file} changed (${baseLock?.version ?? "none"} -> ${prLock?.version ?? "none"}): the verdict used routegate ${running}`,
    );
  return { code: ownGateCode, changed };
}
