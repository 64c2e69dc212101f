import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, tempDir } from "./cli.ts";
import { runCli } from "./cli-in-process.ts";
import { onlyRun } from "./eval-json.ts";

// Issue 10 item 8: a pull request to routegate itself that edits the gate's code so that a worse
// routing passes. Without --gate-base the edited code certifies itself; with it the verdict comes
// from the base branch's gate sources and the edit is flagged for its own review.

const LEVEL = ["easy", "medium", "hard"] as const;

function routegateIn(repo: string, args: string[]) {
  const r = spawnSync(process.execPath, [join(repo, "bin/routegate.mjs"), ...args], {
    cwd: repo,
    encoding: "utf8",
    env: { ...process.env, CI: "true" },
    timeout: 120_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe("--gate-base in routegate's own repository", () => {
  it("computes the verdict with the base branch's gate code and flags the edit", async () => {
    const repo = tempDir("rg-selfrepo-");
    for (const part of ["src", "bin", "package.json"]) cpSync(join(ROOT, part), join(repo, part), { recursive: true });
    symlinkSync(join(ROOT, "node_modules"), join(repo, "node_modules"), "dir");
    writeFileSync(join(repo, ".gitignore"), "node_modules\n.routegate/\nreports/\n");
    mkdirSync(join(repo, "evals"));
    const items = Array.from({ length: 720 }, (_, i) =>
      JSON.stringify({ id: `p${i}`, input: `Problem ${i}`, expected: `v${i}`, metadata: { difficulty: LEVEL[i % 3] } }),
    );
    writeFileSync(join(repo, "evals/items.jsonl"), `${items.join("\n")}\n`);
    const evalFile = join(repo, "evals/ops.eval.ts");
    const writeEval = (threshold: number) =>
      writeFileSync(
        evalFile,
        `import { defineRouter } from "../src/routing/index.ts";
const rankOf = { easy: 0, medium: 1, hard: 2 };
const difficulty = defineRouter({
  id: "difficulty",
  params: { weak: "sim:cheap", strong: "sim:flagship", threshold: ${threshold} },
  async score(item) { return { rank: rankOf[item.metadata.difficulty] }; },
  decide: (s, p) => ({ model: s.rank >= p.threshold ? p.strong : p.weak }),
});
export default {
  name: "ops", dataset: "items.jsonl", models: ["sim:cheap", "sim:flagship"], scorer: "exact",
  routers: [difficulty], gate: { candidate: "difficulty", maxDrop: 0.05 },
};
`,
      );
    const git = (...args: string[]) =>
      execFileSync("git", ["-c", "user.email=ci@example.invalid", "-c", "user.name=ci", ...args], {
        cwd: repo,
        encoding: "utf8",
      });
    writeEval(1);
    const store = ["--store", join(repo, ".routegate/s.sqlite"), "--reports", join(repo, "reports"), "--quiet"];
    // The base branch's baseline and export: its code is this checkout's, so they run in-process.
    expect((await runCli(["eval", evalFile, ...store, "--allow-missing-baseline"], repo)).code).toBe(0);
    expect(
      (await runCli(["export", "--eval", evalFile, "--router", "difficulty", "--reports", join(repo, "reports")], repo))
        .code,
    ).toBe(0);
    git("init", "-q", "-b", "main");
    git("add", "-A");
    git("commit", "-qm", "base");

    // The pull request: worse routing, and a gate that no longer blocks anything.
    git("checkout", "-qb", "pr");
    writeEval(3);
    const gateFile = join(repo, "src/gate/non-inferiority.ts");
    const gate = readFileSync(gateFile, "utf8");
    const decision = "const passed = !tooFew && interval.lower > -maxDrop;";
    expect(gate).toContain(decision);
    writeFileSync(gateFile, gate.replace(decision, "const passed = true;"));

    // The pull request's own code runs in the copy's own process.
    const selfCertified = routegateIn(repo, ["eval", evalFile, ...store, "--json"]);
    expect(selfCertified.code).toBe(0);

    const judged = routegateIn(repo, ["eval", evalFile, ...store, "--json", "--gate-base", "main"]);
    expect(judged.code).toBe(1);
    const s = onlyRun(judged.stdout);
    expect(s.gate.passed).toBe(false);
    expect(s.gate.codeFrom).toBe("main");
    expect(s.gate.reviewRequired).toEqual([
      "gate code or its dependencies changed (src/gate/non-inferiority.ts): the verdict used main's gate and statistics code",
    ]);
    expect(s.gate.checks.find((c) => !c.passed)?.name).toMatch(/quality \(all items\) drop < 5\.0 pts/);
  }, 240_000);
});
