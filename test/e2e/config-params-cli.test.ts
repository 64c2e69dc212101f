import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lengthRouter } from "../../src/routing/index.ts";
import { createRouter, parseRoutingConfig } from "../../src/runtime/index.ts";
import { ROOT, tempDir } from "./cli.ts";
import { runCli } from "./cli-in-process.ts";

// Issue 10, item 2: `routegate export` never writes params the runtime would refuse, and the gate
// refuses a committed baseline whose params its router's schema rejects (exit 2), instead of
// replaying a policy that production could never run.

function writeProject(dir: string, gate: boolean): string {
  const lines = Array.from({ length: 40 }, (_, i) =>
    JSON.stringify({ id: `q${i}`, input: `Question ${i}: ${"why ".repeat(i % 7)}?`, expected: `A${i}` }),
  );
  writeFileSync(join(dir, "items.jsonl"), `${lines.join("\n")}\n`);
  const file = join(dir, "caps.eval.ts");
  writeFileSync(
    file,
    `import { lengthRouter } from ${JSON.stringify(join(ROOT, "src/routing/index.ts"))};
export default {
  name: "caps",
  dataset: "items.jsonl",
  models: ["sim:cheap", "sim:flagship"],
  weak: "sim:cheap",
  strong: "sim:flagship",
  scorer: "exact",
  routers: [lengthRouter({ weak: "sim:cheap", strong: "sim:flagship", threshold: 30 })],
  ${gate ? 'gate: { candidate: "length", maxDrop: 0.2, perFeature: false },' : ""}
};
`,
  );
  return file;
}

/** A project with one eval run done and its length router exported to routing.config.json. */
async function exportedProject() {
  const dir = tempDir();
  const store = ["--store", join(dir, "s.sqlite"), "--reports", join(dir, "r")];
  const file = writeProject(dir, false);
  expect((await runCli(["eval", file, ...store], dir)).code).toBe(0);
  const out = join(dir, "routing.config.json");
  const exportArgs = ["export", "--eval", file, "--router", "length", "--reports", join(dir, "r"), "--out", out];
  const exported = await runCli(exportArgs, dir);
  expect(exported.code).toBe(0);
  return { dir, store, file, out, exportArgs, exported };
}

describe("router params at export and in the gate", () => {
  it("export writes what the runtime accepts and refuses params the router's schema rejects (exit 2)", async () => {
    const { dir, out, exportArgs, exported } = await exportedProject();
    const runtime = createRouter(parseRoutingConfig(readFileSync(out, "utf8")), {
      routers: [lengthRouter({ weak: "sim:cheap", strong: "sim:flagship" })],
      allow: { offline: true },
    });
    expect(runtime.config.router.id).toBe("length");

    // A summary whose params no longer fit the router (edited, or older than the code): refused.
    const summaryFile = join(dir, "r", "caps", "latest", "summary.json");
    const summary = JSON.parse(readFileSync(summaryFile, "utf8"));
    summary.routers.find((r: { id: string }) => r.id === "length").params.threshold = "30";
    writeFileSync(summaryFile, JSON.stringify(summary));
    const out2 = join(dir, "refused.json");
    const refused = await runCli([...exportArgs.slice(0, -1), out2], dir);
    expect(existsSync(out2)).toBe(false);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(
      /summary\.json \(routers\[\d+\]\.params\): router "length" param threshold: .*expected number, received string/,
    );
    // The export says which allowances the production host must grant (the config cannot).
    expect(exported.stderr).toMatch(/note: production refuses this config unless .*allow: \{"offline":true\}/);
  }, 120_000);

  it("the gate refuses a committed baseline whose params its router rejects (exit 2)", async () => {
    const { dir, store, file, out } = await exportedProject();
    const baseline = JSON.parse(readFileSync(out, "utf8"));
    baseline.router.params.threshold = "abc";
    writeFileSync(out, JSON.stringify(baseline));
    writeProject(dir, true);
    const gated = await runCli(["eval", file, ...store], dir);
    expect(gated.code).toBe(2);
    expect(gated.stderr).toMatch(
      /routing\.config\.json \(router\.params\): router "length" param threshold: .*expected number/,
    );
  }, 120_000);
});
