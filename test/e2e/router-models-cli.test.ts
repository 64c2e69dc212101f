import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, routegate, tempDir } from "./cli.ts";
import { runCli } from "./cli-in-process.ts";
import { onlyRun } from "./eval-json.ts";
import { writeRoutingProject } from "./routing-fixture.ts";

// Item 4: one model identity (a router given the spec string the eval lists, or the id, works; a
// router naming a model that is not a candidate is exit 2 at load, naming router and model).
// Item 5: a router that throws is that router's failure (id, item, source location); the other
// routers' results and the report are still written; exit 3.

const routing = JSON.stringify(join(ROOT, "src/routing/index.ts"));

function project(routers: string, extraImports = "") {
  const dir = tempDir("rg-routers-");
  // An ESM package, as a TypeScript project usually is: errors then carry the eval file's lines.
  writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');
  const { outcomes } = writeRoutingProject(dir);
  const file = join(dir, "tickets.eval.ts");
  writeFileSync(
    file,
    `import { cascadeRouter, defineRouter, lengthRouter, logprobConfidence } from ${routing};
${extraImports}
const cheapSpec = ${JSON.stringify(`replay:cheap@${outcomes}`)};
const strongSpec = ${JSON.stringify(`replay:strong@${outcomes}`)};
export default {
  name: "tickets",
  dataset: "tickets.jsonl",
  models: [cheapSpec, ${JSON.stringify(`replay:mid@${outcomes}`)}, strongSpec],
  scorer: "exact",
  routers: [${routers}],
};
`,
  );
  const args = ["eval", file, "--store", join(dir, "s.sqlite"), "--reports", join(dir, "r"), "--json", "--quiet"];
  // In-process by default; `spawn` runs the real binary (see "a router that throws").
  return { dir, file, run: () => runCli(args, dir), spawn: () => routegate(args, dir) };
}

describe("one model identity", () => {
  it("a router given spec strings decides exactly as one given ids, and its params read as ids", async () => {
    const { run } = project(`
    lengthRouter({ id: "by-spec", weak: cheapSpec, strong: strongSpec }),
    lengthRouter({ id: "by-id", weak: "replay:cheap", strong: "replay:strong" }),
    cascadeRouter({ id: "cascade-spec", models: [cheapSpec, strongSpec], sources: [logprobConfidence("mean")] }),`);
    const r = await run();
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
    const s = onlyRun(r.stdout);
    const [bySpec, byId] = ["by-spec", "by-id"].map((id) => s.routers.find((x) => x.id === id)!);
    expect(bySpec!.params).toMatchObject({ weak: "replay:cheap", strong: "replay:strong" });
    expect(bySpec!.params).toEqual(byId!.params);
    expect([bySpec!.quality.mean, bySpec!.costPer1k]).toEqual([byId!.quality.mean, byId!.costPer1k]);
    // The cascade calls models named by spec string: answered from the same recorded outcomes.
    expect(s.routers.find((x) => x.id === "cascade-spec")!.errors).toBe(0);
  });

  it("a router naming a model that is not a candidate is exit 2 at load, naming the router and the model", async () => {
    const typed = await project(`lengthRouter({ weak: "replay:cheap", strong: "replay:nope@elsewhere.jsonl" })`).run();
    expect(typed.code).toBe(2);
    expect(typed.stderr).toMatch(
      /tickets\.eval\.ts \(field routers\[0\]\): router "length" param strong: "replay:nope@elsewhere\.jsonl" is not one of the config's models/,
    );
    expect(typed.stderr).not.toMatch(/internal error|\n\s+at /);
    // A router without a params schema: a parameter written like a model spec is checked too.
    const untyped = await project(
      `defineRouter({ id: "mine", params: { model: "sim:flagship" }, async score() { return null; }, decide: (_s, p) => ({ model: p.model }) })`,
    ).run();
    expect(untyped.code).toBe(2);
    expect(untyped.stderr).toMatch(/router "mine" param model: "sim:flagship" is not one of the eval's models/);
    // One that calls a non-candidate from its code is refused as bad input when it does, never a crash.
    const calls = await project(
      `defineRouter({ id: "caller", params: {}, async score(_item, ctx) { await ctx.call("replay:ghost", ctx.request); return null; }, decide: () => ({ model: "replay:cheap" }) })`,
    ).run();
    expect(calls.code).toBe(2);
    expect(calls.stderr).toMatch(
      /router caller \(ctx\.call\): it calls "replay:ghost", which is not a candidate model/,
    );
  });
});

describe("a router that throws", () => {
  // The real binary: the location is the eval file's own line, read through the source map tsx
  // gives Node in a routegate process (inside the test process, vitest's stack traces replace it).
  it("is reported as that router's failure (id, item, source location); the rest is written; exit 3", () => {
    const { dir, file, spawn } = project(`
    lengthRouter({ weak: "replay:cheap", strong: "replay:strong" }),
    defineRouter({
      id: "flaky",
      params: {},
      async score(item) {
        if (item.id === "t7") throw new Error("boom on seven");
        return null;
      },
      decide: () => ({ model: "replay:cheap" }),
    }),
    defineRouter({
      id: "picky",
      params: {},
      async score(item) { return item.id; },
      decide: (id) => { if (id === "t3") throw new TypeError("cannot decide t3"); return { model: "replay:mid" }; },
    }),`);
    const r = spawn();
    expect(r.code).toBe(3);
    const s = onlyRun(r.stdout);
    expect(s.routers.map((x) => x.id)).toEqual([
      "always:replay:cheap",
      "always:replay:mid",
      "always:replay:strong",
      "length",
    ]);
    const source = readFileSync(file, "utf8").split("\n");
    const line = (text: string) => source.findIndex((l) => l.includes(text)) + 1;
    expect(s.routerFailures).toEqual([
      {
        router: "flaky",
        step: "score",
        itemId: "t7",
        error: "boom on seven",
        location: expect.stringMatching(new RegExp(`tickets\\.eval\\.ts:${line("boom on seven")}:\\d+$`)),
      },
      {
        router: "picky",
        step: "decide",
        itemId: "t3",
        error: "cannot decide t3",
        location: expect.stringMatching(new RegExp(`tickets\\.eval\\.ts:${line("cannot decide t3")}:\\d+$`)),
      },
    ]);
    const latest = join(dir, "r", "tickets", "latest");
    expect(existsSync(join(latest, "report.html"))).toBe(true);
    const md = readFileSync(join(latest, "report.md"), "utf8");
    expect(md).toMatch(/## Router failures/);
    expect(md).toMatch(
      /<code>flaky<\/code> in score on item <code>t7<\/code>: boom on seven \(at <code>[^<]*tickets\.eval\.ts:\d+:\d+<\/code>\)/,
    );
    expect(r.stderr).toMatch(/2 router\(s\) threw/);
  });
});
