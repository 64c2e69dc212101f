import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, tempDir } from "./cli.ts";
import { runCli } from "./cli-in-process.ts";
import { onlyRun } from "./eval-json.ts";

// The pull-request scenario of issue 6: export the production config, commit it as the baseline,
// then propose a worse candidate (blocked, exit 1) and an equivalent one (passes, exit 0).
const LEVEL = ["easy", "medium", "hard"] as const;

function writeProject(dir: string, threshold: number): string {
  const lines = Array.from({ length: 720 }, (_, i) =>
    JSON.stringify({
      id: `p${i}`,
      input: `Problem ${i}: compute the value.`,
      expected: `v${i}`,
      metadata: { difficulty: LEVEL[i % 3], feature: i % 2 ? "billing" : "orders" },
    }),
  );
  writeFileSync(join(dir, "items.jsonl"), `${lines.join("\n")}\n`);
  const file = join(dir, "ops.eval.ts");
  writeFileSync(
    file,
    `import { defineRouter } from ${JSON.stringify(join(ROOT, "src/routing/index.ts"))};
const rankOf = { easy: 0, medium: 1, hard: 2 };
const difficulty = defineRouter({
  id: "difficulty",
  params: { weak: "sim:cheap", strong: "sim:flagship", threshold: 1 },
  grid: [{ threshold: ${threshold} }],
  async score(item) { return { rank: rankOf[item.metadata.difficulty] }; },
  decide: (s, p) => ({ model: s.rank >= p.threshold ? p.strong : p.weak }),
  rank: (s) => s.rank,
});
export default {
  name: "ops",
  dataset: "items.jsonl",
  models: ["sim:cheap", "sim:flagship"],
  weak: "sim:cheap",
  strong: "sim:flagship",
  scorer: "exact",
  routers: [difficulty],
  gate: { candidate: "difficulty", maxDrop: 0.05, maxCostPer1k: 5 },
};
`,
  );
  return file;
}

describe("the pull-request gate against the committed routing config", () => {
  it("blocks a worse candidate (exit 1, the regression named) and passes an equivalent one", async () => {
    const dir = tempDir();
    const store = ["--store", join(dir, "s.sqlite"), "--reports", join(dir, "reports")];
    const file = writeProject(dir, 1);

    // No incumbent (committed production config): a declared gate with nothing to compare with fails (issue 10 item 10)...
    const missing = await runCli(["eval", file, ...store, "--json"], dir);
    expect(missing.code).toBe(1);
    const noBaseline = onlyRun(missing.stdout);
    expect(noBaseline.gate.passed).toBe(false);
    expect(noBaseline.gate.checks.find((c) => !c.passed)?.detail).toMatch(
      /^no incumbent: export the production config with `routegate export`.*no committed production config at routing\.config\.json/,
    );
    expect(missing.stderr).toMatch(/no incumbent: export the production config with `routegate export`/);
    // ...unless the run allows it (the first pull request of a new eval), and says so.
    // (--allow-missing-baseline: the flag's first name, kept as an alias of --allow-missing-incumbent.)
    const first = await runCli(["eval", file, ...store, "--json", "--allow-missing-baseline"], dir);
    expect(first.code).toBe(0);
    expect(onlyRun(first.stdout).warnings.join("\n")).toMatch(
      /no incumbent: .*passed only because of --allow-missing-incumbent/,
    );
    expect(
      (await runCli(["export", "--eval", file, "--router", "difficulty", "--reports", join(dir, "reports")], dir)).code,
    ).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, "routing.config.json"), "utf8")).router.params.threshold).toBe(1);

    // Worse: a higher threshold sends the hard items to the cheap model.
    writeProjectThreshold(dir, 3);
    const worse = await runCli(["eval", file, ...store, "--json"], dir);
    expect(worse.code).toBe(1);
    const blocked = onlyRun(worse.stdout);
    expect(blocked.gate.incumbent).toMatchObject({ file: "routing.config.json", routerId: "difficulty" });
    // The deprecated first name of the same field, kept for existing readers.
    expect(blocked.gate.baseline).toEqual(blocked.gate.incumbent);
    const failed = blocked.gate.checks.filter((c) => !c.passed).map((c) => c.name);
    expect(failed[0]).toMatch(/difficulty vs incumbent difficulty: quality \(all items\) drop < 5\.0 pts/);
    // A worse policy must not pass on cost alone: it is cheaper.
    expect(blocked.gate.checks.find((c) => c.name.includes("cost per 1K"))?.passed).toBe(true);
    const md = readFileSync(join(dir, "reports", "ops", "latest", "report.md"), "utf8");
    expect(md).toMatch(/Verdict: BLOCKED/);
    expect(md).toMatch(/FAIL.*quality \(all items\)/);
    expect(md).toContain(
      "Incumbent: the committed production config <code>routing.config.json</code> (router <code>difficulty</code>",
    );
    // No provider call was needed to judge a routing-only change.
    expect(blocked.collection.providerCalls).toBe(0);

    // Equivalent: a different threshold that makes the same decisions.
    writeProjectThreshold(dir, 0.5 + 0.4);
    const same = await runCli(["eval", file, ...store, "--json"], dir);
    expect(same.code).toBe(0);
    const passed = onlyRun(same.stdout);
    expect(passed.gate.passed).toBe(true);
    expect(passed.gate.checks.filter((c) => c.name.includes("quality")).length).toBe(3); // overall + 2 features
  }, 180_000);
});

describe("a baseline that cannot be compared with fails the gate", () => {
  it("fails on a routing config exported from another eval, and accepts always:<model> as the candidate", async () => {
    const dir = tempDir();
    const store = ["--store", join(dir, "s.sqlite"), "--reports", join(dir, "reports")];
    const file = writeProject(dir, 1);
    writeFileSync(
      file,
      readFileSync(file, "utf8").replace('candidate: "difficulty"', 'candidate: "always:sim:flagship"'),
    );
    expect((await runCli(["eval", file, ...store, "--quiet", "--allow-missing-incumbent"], dir)).code).toBe(0);
    expect(
      (
        await runCli(
          ["export", "--eval", file, "--router", "always:sim:flagship", "--reports", join(dir, "reports")],
          dir,
        )
      ).code,
    ).toBe(0);
    // The single model against itself: identical, so it passes.
    const same = await runCli(["eval", file, ...store, "--json"], dir);
    expect(same.code).toBe(0);
    expect(onlyRun(same.stdout).gate.baseline?.routerId).toBe("always:sim:flagship");

    const config = JSON.parse(readFileSync(join(dir, "routing.config.json"), "utf8"));
    config.provenance.eval = "another-eval";
    writeFileSync(join(dir, "routing.config.json"), JSON.stringify(config));
    const foreign = await runCli(["eval", file, ...store, "--json"], dir);
    expect(foreign.code).toBe(1);
    expect(onlyRun(foreign.stdout).gate.checks.find((c) => !c.passed)?.detail).toMatch(
      /^no incumbent: .*exported from eval "another-eval"/,
    );
  }, 180_000);
});

describe("a feature with fewer items than the gate needs", () => {
  it('is undecided and does not block an identical candidate; perFeature "strict" blocks', async () => {
    const dir = tempDir();
    const store = ["--store", join(dir, "s.sqlite"), "--reports", join(dir, "reports")];
    const file = writeProject(dir, 1);
    // 30 of 720 items are "small": about 15 held out, far below the 60 a 5-point drop needs.
    writeFileSync(
      join(dir, "items.jsonl"),
      readFileSync(join(dir, "items.jsonl"), "utf8")
        .split("\n")
        .filter(Boolean)
        .map((line, i) => line.replace(/"feature":"\w+"/, `"feature":"${i % 24 === 0 ? "small" : "big"}"`))
        .join("\n"),
    );
    expect((await runCli(["eval", file, ...store, "--quiet", "--allow-missing-baseline"], dir)).code).toBe(0);
    expect(
      (await runCli(["export", "--eval", file, "--router", "difficulty", "--reports", join(dir, "reports")], dir)).code,
    ).toBe(0);

    const same = await runCli(["eval", file, ...store, "--json"], dir);
    expect(same.code).toBe(0);
    const s = onlyRun(same.stdout);
    const small = s.gate.checks.find((c) => c.name.includes("feature small"))!;
    expect(small).toMatchObject({ passed: false, blocking: false });
    expect(small.detail).toMatch(/undecided: needs \d+ items, so it does not block/);
    const md = readFileSync(join(dir, "reports", "ops", "latest", "report.md"), "utf8");
    expect(md).toMatch(/^\*\*Verdict: PASSED\*\*/m);
    expect(md).toMatch(/^- undecided: needs \d+ items \(does not block\): difficulty vs incumbent/m);

    writeFileSync(file, readFileSync(file, "utf8").replace("maxDrop: 0.05", 'maxDrop: 0.05, perFeature: "strict"'));
    const strict = await runCli(["eval", file, ...store, "--json"], dir);
    expect(strict.code).toBe(1);
    expect(onlyRun(strict.stdout).gate.checks.find((c) => c.name.includes("feature small"))).toMatchObject({
      passed: false,
    });
  }, 180_000);
});

function writeProjectThreshold(dir: string, threshold: number) {
  const file = join(dir, "ops.eval.ts");
  writeFileSync(
    file,
    readFileSync(file, "utf8").replace(/grid: \[\{ threshold: [0-9.]+ \}\]/, `grid: [{ threshold: ${threshold} }]`),
  );
}

describe("the gate cannot certify itself", () => {
  it("judges a pull request by the base branch's thresholds and flags the change for review", async () => {
    const dir = tempDir();
    const git = (...args: string[]) =>
      execFileSync("git", ["-c", "user.email=ci@example.invalid", "-c", "user.name=ci", ...args], {
        cwd: dir,
        encoding: "utf8",
      });
    const store = ["--store", join(dir, ".routegate", "s.sqlite"), "--reports", join(dir, "reports")];
    const file = writeProject(dir, 1);
    writeFileSync(join(dir, ".gitignore"), ".routegate/\nreports/\n");
    expect((await runCli(["eval", file, ...store, "--allow-missing-baseline"], dir)).code).toBe(0);
    expect(
      (await runCli(["export", "--eval", file, "--router", "difficulty", "--reports", join(dir, "reports")], dir)).code,
    ).toBe(0);
    git("init", "-q", "-b", "main");
    git("add", "-A");
    git("commit", "-qm", "baseline");

    // The pull request makes routing worse and loosens the allowed drop so that it would pass.
    git("checkout", "-qb", "pr");
    writeProjectThreshold(dir, 3);
    writeFileSync(file, readFileSync(file, "utf8").replace("maxDrop: 0.05", "maxDrop: 0.9"));
    const selfCertified = await runCli(["eval", file, ...store, "--json"], dir);
    expect(selfCertified.code).toBe(0);

    const judged = await runCli(["eval", file, ...store, "--json", "--gate-base", "main"], dir);
    expect(judged.code).toBe(1);
    const s = onlyRun(judged.stdout);
    expect(s.gate.inputsFrom).toBe("main");
    expect(s.gate.reviewRequired).toEqual(["gate thresholds changed"]);
    expect(s.gate.checks.find((c) => !c.passed)?.name).toMatch(/drop < 5\.0 pts/);
    expect(readFileSync(join(dir, "reports", "ops", "latest", "report.md"), "utf8")).toMatch(/Needs its own review/);
    // The temporary base checkout is gone.
    expect(git("worktree", "list").trim().split("\n")).toHaveLength(1);
  }, 180_000);
});
