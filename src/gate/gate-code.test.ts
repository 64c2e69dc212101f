import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../core/errors.ts";
import type { BaseCheckout } from "./base-branch.ts";
import { gateCodeFor, ownGateCode } from "./gate-code.ts";

// Issue 10 item 8, in a user's repository: the verdict must come from the routegate the base
// branch's lockfile pins, unpatched by the change under review.

function checkouts(files: { base?: Record<string, string>; pr?: Record<string, string> }): BaseCheckout {
  const root = mkdtempSync(join(tmpdir(), "rg-gatecode-"));
  const write = (dir: string, tree: Record<string, string> = {}) => {
    for (const [rel, text] of Object.entries(tree)) {
      mkdirSync(join(dir, rel, ".."), { recursive: true });
      writeFileSync(join(dir, rel), text);
    }
  };
  write(join(root, "pr"), { "package.json": '{"name":"my-service"}', ...files.pr });
  write(join(root, "base"), { "package.json": '{"name":"my-service"}', ...files.base });
  return { ref: "origin/main", dir: join(root, "base"), repoRoot: join(root, "pr"), close() {} };
}

const lock = (version: string) =>
  JSON.stringify({ lockfileVersion: 3, packages: { "": {}, "node_modules/routegate": { version } } });

describe("gateCodeFor in a user's repository", () => {
  it("uses this routegate when it is the version the base pins, and flags a lockfile change", async () => {
    const same = await gateCodeFor(
      checkouts({ base: { "package-lock.json": lock("0.1.0") }, pr: { "package-lock.json": lock("0.1.0") } }),
      "0.1.0",
    );
    expect(same).toEqual({ code: ownGateCode, changed: [] });
    const bumped = await gateCodeFor(
      checkouts({ base: { "package-lock.json": lock("0.1.0") }, pr: { "package-lock.json": lock("0.2.0") } }),
      "0.1.0",
    );
    expect(bumped.changed).toEqual([
      "routegate version in package-lock.json changed (0.1.0 -> 0.2.0): the verdict used routegate 0.1.0",
    ]);
  });

  it("refuses (exit 2) when another routegate than the base's would compute the verdict", async () => {
    const pending = gateCodeFor(
      checkouts({ base: { "package-lock.json": lock("0.1.0") }, pr: { "package-lock.json": lock("0.2.0") } }),
      "0.2.0",
    );
    await expect(pending).rejects.toThrow(InputError);
    await expect(pending).rejects.toThrow(
      /base branch's routegate \(0\.1\.0 in origin\/main's package-lock\.json\), but this is routegate 0\.2\.0.*npx routegate@0\.1\.0 eval --gate-base origin\/main/,
    );
  });

  it("refuses (exit 2) when the change adds or edits a patch to routegate", async () => {
    const added = gateCodeFor(checkouts({ pr: { "patches/routegate+0.1.0.patch": "--- a\n+++ b\n" } }), "0.1.0");
    await expect(added).rejects.toThrow(/edits patches to routegate \(patches\/routegate\+0\.1\.0\.patch\)/);
    const edited = gateCodeFor(
      checkouts({
        base: { ".yarn/patches/routegate-npm-0.1.0-abc.patch": "x" },
        pr: { ".yarn/patches/routegate-npm-0.1.0-abc.patch": "y" },
      }),
      "0.1.0",
    );
    await expect(edited).rejects.toThrow(/\.yarn\/patches\/routegate-npm-0\.1\.0-abc\.patch/);
    // Patches to other packages are not the gate's business.
    const other = await gateCodeFor(checkouts({ pr: { "patches/left-pad+1.0.0.patch": "x" } }), "0.1.0");
    expect(other.changed).toEqual([]);
  });
});
