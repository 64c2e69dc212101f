import { describe, expect, it } from "vitest";
import { commandsFor } from "./lazy.ts";

// Issue 13, item 5: commands load only when named; the stubs shown by the top-level help must say
// exactly what the commands themselves say.

describe("lazy commands", () => {
  it("each stub's name and summary are its command's own", async () => {
    const stubs = await commandsFor([], () => {});
    for (const stub of stubs) {
      const name = String(stub.command).split(" ")[0]!;
      const loaded = (await commandsFor([name], () => {})).find((c) => c.command === stub.command);
      expect(loaded, name).toBeDefined();
      expect(loaded!.describe).toBe(stub.describe);
      expect(loaded!.builder, `${name} is loaded when named`).toBeDefined();
      expect(stub.builder).toBeUndefined();
    }
    expect(stubs.map((s) => String(s.command).split(" ")[0])).toEqual([
      "init",
      "eval",
      "export",
      "compare",
      "plan",
      "distill",
      "finetune",
      "store",
      "serve",
      "traffic",
      "drift",
    ]);
  });
});
