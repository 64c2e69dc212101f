import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, tempDir } from "./cli.ts";
import { runCli } from "./cli-in-process.ts";

// `routegate init` as a user runs it in their own repository (in-process: `npm run e2e:pack` runs
// init and eval from the packed tarballs as separate processes). The project's node_modules links
// routegate and @routegate/runtime to this checkout (what `npm install routegate` puts there),
// plus zod, which the starter router imports.
function userProject(): string {
  const dir = tempDir("rg-init-");
  mkdirSync(join(dir, "node_modules/@routegate"), { recursive: true });
  symlinkSync(ROOT, join(dir, "node_modules/routegate"), "dir");
  symlinkSync(join(ROOT, "packages/runtime"), join(dir, "node_modules/@routegate/runtime"), "dir");
  symlinkSync(join(ROOT, "node_modules/zod"), join(dir, "node_modules/zod"), "dir");
  return dir;
}

/** Every file under dir (node_modules aside) with a hash of its content. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      if (name === "node_modules") continue;
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else out[relative(dir, full)] = createHash("sha256").update(readFileSync(full)).digest("hex");
    }
  };
  walk(dir);
  return out;
}

const STARTER = [
  ".github/workflows/routegate.yml",
  ".gitignore",
  "dangerfile.ts",
  "datasets/support/items.jsonl",
  "datasets/support/system.hbs",
  "datasets/support/user.hbs",
  "evals/support.eval.ts",
  "package.json",
  "routers/escalation.ts",
  "tsconfig.json",
];

describe("routegate init", () => {
  it("starts a repository without a package.json, and its eval runs at once with no keys (SIMULATED)", async () => {
    const dir = userProject();
    const init = await runCli(["init", "--yes"], dir, { OPENAI_API_KEY: "" });
    expect(init.stderr).toBe("");
    expect(init.code).toBe(0);
    expect(Object.keys(snapshot(dir)).sort()).toEqual(STARTER);
    for (const path of STARTER) expect(init.stdout).toContain(`wrote   ${path}`);

    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    expect(pkg).toMatchObject({ private: true, type: "module" });
    expect(pkg.scripts).toEqual({ eval: "routegate eval", "eval:gate": "routegate eval --gate-base origin/main" });
    expect(readFileSync(join(dir, ".gitignore"), "utf8").split("\n")).toEqual(
      expect.arrayContaining([".routegate/", "reports/"]),
    );
    const items = readFileSync(join(dir, "datasets/support/items.jsonl"), "utf8").trim().split("\n");
    expect(items.length).toBeGreaterThanOrEqual(20);
    expect(readFileSync(join(dir, "routers/escalation.ts"), "utf8")).toMatch(/from "@routegate\/runtime"/);

    const run = await runCli(["eval"], dir);
    expect(run.code).toBe(0);
    // The console summary goes to stderr (stdout is for --json).
    expect(run.stderr).toContain("SIMULATED run");
    expect(run.stderr).toMatch(/escalation\s+quality/);
    expect(run.stderr).toMatch(/gate pass: escalation/);
  });

  it("never overwrites: a second init changes nothing and lists every file it skipped", async () => {
    const dir = userProject();
    expect((await runCli(["init", "--yes"], dir)).code).toBe(0);
    writeFileSync(join(dir, "routers/escalation.ts"), "// my own router\n");
    const before = snapshot(dir);
    const again = await runCli(["init", "--yes", "--name", "support", "--models", "sim:cheap,sim:flagship"], dir);
    expect(again.code).toBe(0);
    expect(snapshot(dir)).toEqual(before);
    for (const path of STARTER.filter((p) => p !== "package.json" && p !== ".gitignore"))
      expect(again.stdout).toContain(`skipped ${path}`);
    expect(again.stdout).toContain('skipped package.json script "eval"');
    expect(again.stdout).not.toContain("wrote ");
  });

  it("in an existing project: adds only missing scripts and ignore lines, keeps its tsconfig and its own scripts", async () => {
    const dir = userProject();
    const pkg = { name: "shop", version: "1.2.3", scripts: { eval: "my-own-eval", test: "vitest" }, dependencies: {} };
    writeFileSync(join(dir, "package.json"), `${JSON.stringify(pkg, null, 4)}\n`);
    writeFileSync(join(dir, ".gitignore"), "node_modules\nreports/");
    writeFileSync(join(dir, "tsconfig.json"), '{ "compilerOptions": { "strict": true } }\n');

    const init = await runCli(["init", "--yes", "--name", "faq", "--models", "sim:cheap,sim:flagship"], dir);
    expect(init.code).toBe(0);
    expect(init.stdout).toContain("wrote   evals/faq.eval.ts");
    expect(init.stdout).toContain("skipped tsconfig.json");
    expect(init.stdout).toContain('added   package.json: scripts "eval:gate"');
    expect(readFileSync(join(dir, "tsconfig.json"), "utf8")).toBe('{ "compilerOptions": { "strict": true } }\n');
    const text = readFileSync(join(dir, "package.json"), "utf8");
    expect(JSON.parse(text)).toEqual({
      ...pkg,
      scripts: { ...pkg.scripts, "eval:gate": "routegate eval --gate-base origin/main" },
    });
    expect(text).toMatch(/^ {4}"name"/m);
    expect(readFileSync(join(dir, ".gitignore"), "utf8")).toBe(
      "node_modules\nreports/\n# routegate: the outcome store and the reports\n.routegate/\n",
    );
    const evalFile = readFileSync(join(dir, "evals/faq.eval.ts"), "utf8");
    expect(evalFile).toContain('models: ["sim:cheap","sim:flagship"]');
    expect(evalFile).toContain('dataset: "../datasets/faq/items.jsonl"');
  });

  it.each([
    [["--name", "../escape"], /--name.*cannot name an eval/],
    [["--models", "sim:cheap"], /--models.*two or more/],
    [["--models", "gpt4,sim:cheap"], /--models.*model spec "gpt4"/],
  ])("refuses bad flags %j with exit 2 and writes nothing", async (flags, message) => {
    const dir = userProject();
    const r = await runCli(["init", "--yes", ...flags], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(snapshot(dir)).toEqual({});
  });

  it("writes a workflow with least privilege, no persisted credentials, SHA-pinned actions and no keys for forks", async () => {
    const dir = userProject();
    expect((await runCli(["init", "--yes"], dir)).code).toBe(0);
    const yml = readFileSync(join(dir, ".github/workflows/routegate.yml"), "utf8");
    expect(yml).not.toMatch(/^\s*pull_request_target:/m);
    expect(yml).toMatch(/^permissions: \{\}$/m);
    const uses = [...yml.matchAll(/^\s+(?:- )?uses: (\S+)(.*)$/gm)];
    expect(uses.length).toBeGreaterThanOrEqual(6);
    for (const [, ref, comment] of uses) {
      expect(ref).toMatch(/^actions\/[a-z-]+(\/[a-z]+)?@[0-9a-f]{40}$/);
      expect(comment).toMatch(/^ # v\d+\.\d+\.\d+$/);
    }
    const checkouts = yml.split("uses: actions/checkout@").slice(1);
    expect(checkouts).toHaveLength(2);
    for (const step of checkouts) expect(step.split("- ")[0]).toContain("persist-credentials: false");
    // Each job states its permissions; only the comment job writes, and only for same-repository PRs.
    const [, evalJob, commentJob] = yml.split(/^ {2}(?:eval|comment):$/m);
    expect(evalJob).toMatch(/permissions:\n\s+contents: read\n\s+steps:/);
    expect(evalJob).not.toMatch(/write/);
    expect(commentJob).toMatch(/pull-requests: write/);
    expect(commentJob).toMatch(/head\.repo\.full_name == github\.repository/);
    // The job that can write runs the base branch's code, never the pull request's.
    expect(commentJob).toMatch(/ref: \$\{\{ github\.event\.pull_request\.base\.sha \}\}/);
    // Forks run offline from the store main's runs saved; only pushes to main save it.
    expect(evalJob).toMatch(/head\.repo\.fork == true && '--offline'/);
    expect(evalJob).toMatch(
      /Save the outcome store\n\s+if: .*github\.event_name == 'push' && github\.ref == 'refs\/heads\/main'/,
    );
  });
});
