import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { stringify } from "safe-stable-stringify";
import { loadEvalFile, type ResolvedEval } from "../config/load-eval.ts";
import { InputError } from "../core/errors.ts";
import { scorerName } from "../scoring/index.ts";

/** A checkout of the base branch, where the gate's definitions are read from. */
export interface BaseCheckout {
  ref: string;
  dir: string;
  repoRoot: string;
  close(): void;
}

/**
 * Checks out `ref` in a temporary git worktree. The gate reads its inputs (golden items, prompts,
 * scorers and judge, thresholds, the incumbent: the committed production config) from there, so a pull request
 * cannot loosen the test it is judged by.
 */
export function checkoutBase(ref: string, cwd: string): BaseCheckout {
  let repoRoot: string;
  try {
    repoRoot = git(cwd, ["rev-parse", "--show-toplevel"]).trim();
    git(cwd, ["rev-parse", "--verify", `${ref}^{commit}`]);
  } catch (err) {
    throw new InputError(
      "command line",
      "--gate-base",
      `cannot resolve "${ref}" in a git repository here (${(err as Error).message.split("\n")[0]})`,
      "pass a branch, tag or commit the repository has (fetch it first, e.g. git fetch origin main)",
    );
  }
  const dir = mkdtempSync(join(tmpdir(), "routegate-base-"));
  git(repoRoot, ["worktree", "add", "--detach", "--quiet", dir, ref]);
  // Eval files import packages: the base checkout shares this checkout's installed dependencies.
  const modules = join(repoRoot, "node_modules");
  if (existsSync(modules) && !existsSync(join(dir, "node_modules")))
    symlinkSync(modules, join(dir, "node_modules"), "dir");
  return {
    ref,
    dir,
    repoRoot,
    close() {
      try {
        git(repoRoot, ["worktree", "remove", "--force", dir]);
      } catch {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/**
 * The eval as the gate must run it: the pull request's routers and candidate models, judged by the
 * base branch's dataset, prompts, scorer, split, gates and incumbent (the committed production config). Returns what the
 * pull request changed among those inputs; each needs its own review.
 */
export async function withBaseGateInputs(
  pr: ResolvedEval,
  evalFile: string,
  base: BaseCheckout,
): Promise<{ config: ResolvedEval; changed: string[] }> {
  const rel = relative(base.repoRoot, resolve(evalFile));
  const baseFile = join(base.dir, rel);
  if (!existsSync(baseFile)) {
    return { config: pr, changed: [`${rel} is new in this pull request: its gate inputs have no base-branch version`] };
  }
  const b = await loadEvalFile(baseFile);
  const changed: string[] = [];
  const differs = (what: string, prValue: string | undefined, baseValue: string | undefined) => {
    if (prValue !== baseValue) changed.push(`${what} changed`);
  };
  differs(`golden items (${relative(base.repoRoot, pr.dataset)})`, fileText(pr.dataset), fileText(b.dataset));
  differs("system prompt template", fileText(pr.prompt?.system), fileText(b.prompt?.system));
  differs("user prompt template", fileText(pr.prompt?.user), fileText(b.prompt?.user));
  differs("request settings", stringify(pr.request), stringify(b.request));
  differs(
    "scorer or judge",
    scorerName(pr.scorer as Parameters<typeof scorerName>[0]),
    scorerName(b.scorer as Parameters<typeof scorerName>[0]),
  );
  differs("split", stringify(pr.split), stringify(b.split));
  differs("declared gates", stringify(pr.gates), stringify(b.gates));
  const { candidate: _prCandidate, ...prGate } = pr.gate ?? { candidate: "" };
  const { candidate: _baseCandidate, ...baseGate } = b.gate ?? { candidate: "" };
  differs("gate thresholds", stringify(prGate), stringify(baseGate));
  const incumbentRel = pr.gate?.baseline ?? b.gate?.baseline;
  if (incumbentRel)
    differs(
      `committed production config (${incumbentRel})`,
      fileText(resolve(incumbentRel)),
      fileText(join(base.dir, relative(base.repoRoot, resolve(incumbentRel)))),
    );

  const config: ResolvedEval = {
    ...pr,
    dataset: b.dataset,
    ...(b.prompt ? { prompt: b.prompt } : {}),
    request: b.request,
    scorer: b.scorer,
    split: b.split,
    gates: b.gates,
    ...(b.gate
      ? {
          gate: {
            ...b.gate,
            // The candidate is the pull request's; the incumbent is production's, as committed on the base branch.
            candidate: pr.gate?.candidate ?? b.gate.candidate,
            baseline: join(base.dir, relative(base.repoRoot, resolve(b.gate.baseline))),
          },
        }
      : {}),
  };
  if (!b.prompt) delete config.prompt;
  if (!b.gate) delete config.gate;
  return { config, changed };
}

function fileText(path: string | undefined): string | undefined {
  return path && existsSync(path) ? readFileSync(path, "utf8") : undefined;
}

function git(cwd: string, args: string[]): string {
  return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}
