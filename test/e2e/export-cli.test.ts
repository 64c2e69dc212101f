import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, tempDir } from "./cli.ts";
import { runCli } from "./cli-in-process.ts";

describe("routegate export", () => {
  it("says what it wrote in one short line: fitted weights are counted, not printed", async () => {
    const dir = tempDir();
    const items = Array.from({ length: 20 }, (_, i) => JSON.stringify({ id: `q${i}`, input: `Q${i}?`, expected: "a" }));
    writeFileSync(join(dir, "items.jsonl"), `${items.join("\n")}\n`);
    const file = join(dir, "w.eval.ts");
    writeFileSync(
      file,
      `import { defineRouter } from ${JSON.stringify(join(ROOT, "src/routing/index.ts"))};
const weights = Array.from({ length: 1038 }, (_, i) => Math.sin(i));
const learned = defineRouter({
  id: "learned",
  params: { weak: "sim:cheap", strong: "sim:flagship", weights },
  async score(item) { return item.id.length; },
  decide: (s, p) => ({ model: s > 2 ? p.strong : p.weak }),
});
export default { name: "w", dataset: "items.jsonl", models: ["sim:cheap", "sim:flagship"], scorer: "exact", routers: [learned], split: false };
`,
    );
    const reports = ["--reports", join(dir, "reports")];
    expect((await runCli(["eval", file, "--store", join(dir, "s.sqlite"), "--quiet", ...reports], dir)).code).toBe(0);
    const run = await runCli(["export", "--eval", file, "--router", "learned", ...reports], dir);
    expect(run.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, "routing.config.json"), "utf8")).router.params.weights).toHaveLength(1038);
    const printed = run.stdout + run.stderr;
    expect(printed).toContain("weights=[1038 numbers]");
    expect(printed.length).toBeLessThan(1000);
  }, 120_000);
});
