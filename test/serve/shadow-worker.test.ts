import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { RoutingConfigError } from "../../src/contracts/routing-config.ts";
import { alwaysTo, GATEWAY_KEY, routingConfig, useGateway } from "./harness.ts";

// The shadow worker thread: the candidate's routers come from the gateway's routers module, what
// the worker refuses refuses the gateway's start, and a worker that dies takes no production
// answer with it (the same bug on the gateway's own thread would end the process).

const h = useGateway();

/**
 * A routers module with one router, "fragile": it sends every request to "large", except that an
 * input containing "boom" makes it throw outside any promise, after `delayMs` (a bug in a user's
 * router: an uncaught exception ends the thread it runs on).
 */
function fragileRouters(delayMs: number): string {
  const file = join(h.dir, `fragile-${delayMs}.mjs`);
  writeFileSync(
    file,
    `export const routers = [{
  id: "fragile",
  params: {},
  async score(item) {
    if (String(item.input).includes("boom")) setTimeout(() => { throw new Error("router bug: boom"); }, ${delayMs});
    return 0;
  },
  decide() { return { model: "large" }; },
}];
`,
  );
  return file;
}

function configs(candidateRouter: ReturnType<typeof alwaysTo>, pricing?: { input: number; output: number }) {
  const small = h.openai("small", "gpt-4o-mini");
  const large = { ...h.openai("large", "gpt-4o"), ...(pricing ? { pricing } : {}) };
  return {
    production: h.writeConfig("prod.json", routingConfig([small, large], alwaysTo("small"))),
    candidate: h.writeConfig("cand-worker.json", routingConfig([small, large], candidateRouter)),
  };
}

const fragile = { id: "fragile", params: {} };
const ask = (content: string) =>
  h.client.chat.completions.create({
    model: "routegate/triage",
    messages: [{ role: "user", content }],
    max_tokens: 100,
  });

describe("routegate serve --shadow: the worker thread", () => {
  it("loads the candidate's router from the routers module and writes both answers", async () => {
    const { production, candidate } = configs(fragile);
    const out = join(h.dir, "worker-a");
    h.fake.setAnswerer({
      text: (_u, req) => `answer from ${req.model}`,
      usage: () => ({ prompt: 5, cached: 0, output: 2 }),
    });
    const gw = await h.start({
      routes: [{ file: production }],
      shadow: { file: candidate, rate: 1, maxCostUsd: 10, out, routersModule: fragileRouters(0) },
    });
    expect((await ask("hello")).choices[0]!.message.content).toBe("answer from gpt-4o-mini");
    await gw.shadow!.drain();
    expect(gw.shadow!.stats).toMatchObject({ sampled: 1, differed: 1, written: 1, failed: 0, crashes: 0 });
    const outcomes = readFileSync(`${out}.outcomes.jsonl`, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(outcomes.map((o) => [o.model, o.output])).toEqual([
      ["production", "answer from gpt-4o-mini"],
      ["candidate", "answer from gpt-4o"],
    ]);
    const metrics = await (
      await fetch(`${gw.url}/metrics`, { headers: { authorization: `Bearer ${GATEWAY_KEY}` } })
    ).text();
    expect(metrics).toContain('routegate_shadow_requests{outcome="written"} 1');
  });

  it("refuses to start when the worker cannot build the candidate (a router no module exports)", async () => {
    const { production, candidate } = configs({ id: "nowhere", params: {} });
    await expect(
      h.start({
        routes: [{ file: production }],
        shadow: { file: candidate, rate: 1, maxCostUsd: 1, out: join(h.dir, "x") },
      }),
    ).rejects.toThrow(RoutingConfigError);
    await expect(
      h.start({
        routes: [{ file: production }],
        shadow: { file: candidate, rate: 1, maxCostUsd: 1, out: join(h.dir, "x") },
      }),
    ).rejects.toThrow(/nowhere/);
  });

  it("survives a worker that dies: production answers, the death is logged and counted, a new worker takes over", async () => {
    const { production, candidate } = configs(fragile);
    const gw = await h.start({
      routes: [{ file: production }],
      shadow: {
        file: candidate,
        rate: 1,
        maxCostUsd: 10,
        out: join(h.dir, "worker-c"),
        routersModule: fragileRouters(0),
      },
    });
    expect((await ask("boom")).choices[0]!.message.content).toBe("ok");
    await gw.shadow!.drain();
    await until(() => gw.shadow!.stats.crashes === 1);
    expect(h.logs.join("\n")).toMatch(/shadow: the worker died \(router bug: boom\).*restarting it/);
    // The restarted worker evaluates the next request.
    expect((await ask("hello")).choices[0]!.message.content).toBe("ok");
    await gw.shadow!.drain();
    expect(gw.shadow!.stats).toMatchObject({ sampled: 2, written: 1, crashes: 1, disabled: false });
    expect(gw.shadow!.stats.failed).toBeGreaterThanOrEqual(1);
  });

  it("turns shadow off after repeated deaths, with a log line, and production keeps answering", async () => {
    const { production, candidate } = configs(fragile);
    const gw = await h.start({
      routes: [{ file: production }],
      shadow: {
        file: candidate,
        rate: 1,
        maxCostUsd: 10,
        out: join(h.dir, "worker-d"),
        routersModule: fragileRouters(0),
      },
    });
    for (let i = 0; i < 6; i++) {
      expect((await ask(`boom ${i}`)).choices[0]!.message.content).toBe("ok");
      await gw.shadow!.drain();
      await until(() => gw.shadow!.stats.crashes > i || gw.shadow!.stats.disabled);
    }
    expect(gw.shadow!.stats).toMatchObject({ crashes: 4, disabled: true, sampled: 4 });
    expect(h.logs.join("\n")).toMatch(/shadow: evaluation turned off: the worker died 4 times.*production unaffected/);
  });

  it("counts the budget a dead worker had reserved for a call under way as spent", async () => {
    // $1,000 per 1M tokens: "boom" (4 characters, 2 tokens) with a 100-token cap reserves 2 x 102 x 0.001 = $0.204.
    const { production, candidate } = configs(fragile, { input: 1000, output: 1000 });
    h.fake.setResponder((req) => (req.model === "gpt-4o" ? { hang: true } : undefined));
    const gw = await h.start({
      routes: [{ file: production }],
      shadow: {
        file: candidate,
        rate: 1,
        maxCostUsd: 0.3,
        out: join(h.dir, "worker-e"),
        routersModule: fragileRouters(300),
      },
    });
    await ask("boom");
    await until(() => gw.shadow!.stats.crashes === 1);
    expect(gw.shadow!.stats.spentUsd).toBeCloseTo(0.204, 6);
    // The restarted worker has $0.096 left: the next request's worst case does not fit.
    h.fake.setResponder(() => undefined);
    await ask("hello");
    await gw.shadow!.drain();
    expect(gw.shadow!.stats).toMatchObject({ skippedBudget: 1, written: 0 });
    expect(gw.shadow!.stats.spentUsd).toBeLessThanOrEqual(0.3);
  });

  it("drops and counts samples while the worker already holds its maximum of jobs", async () => {
    const { production, candidate } = configs(alwaysTo("large"));
    h.fake.setResponder((req) => (req.model === "gpt-4o" ? { hang: true } : undefined));
    const gw = await h.start({
      routes: [{ file: production }],
      shadow: { file: candidate, rate: 1, maxCostUsd: 10, out: join(h.dir, "worker-busy"), maxQueued: 2 },
      deadlineMs: 3000,
    });
    for (let i = 0; i < 4; i++) expect((await ask(`hi ${i}`)).choices[0]!.message.content).toBe("ok");
    // Two jobs hang in the worker until their deadline; the next two samples find it full.
    await until(() => gw.shadow!.stats.skippedBusy === 2);
    await gw.shadow!.drain();
    expect(gw.shadow!.stats).toMatchObject({ sampled: 4, skippedBusy: 2, failed: 2, written: 0 });
    const metrics = await (
      await fetch(`${gw.url}/metrics`, { headers: { authorization: `Bearer ${GATEWAY_KEY}` } })
    ).text();
    expect(metrics).toContain('routegate_shadow_requests{outcome="skipped_busy"} 2');
  });

  it("works on at most four sampled requests at once; the rest wait their turn instead of opening connections together", async () => {
    const { production, candidate } = configs(alwaysTo("large"));
    // The candidate's first four calls hang until their deadline; any later one is answered at once.
    let candidateSeen = 0;
    h.fake.setResponder((req) => (req.model === "gpt-4o" && ++candidateSeen <= 4 ? { hang: true } : undefined));
    const gw = await h.start({
      routes: [{ file: production }],
      shadow: { file: candidate, rate: 1, maxCostUsd: 10, out: join(h.dir, "worker-conc") },
      // Far beyond the check below, however slow the machine: the four hold their slots meanwhile.
      deadlineMs: 6000,
    });
    for (let i = 0; i < 6; i++) expect((await ask(`hi ${i}`)).choices[0]!.message.content).toBe("ok");
    const candidateCalls = () => h.fake.requests.filter((r) => r.model === "gpt-4o").length;
    await until(() => candidateCalls() === 4);
    // The other two start only when one of the four ends (at its deadline), not beside them.
    await new Promise((r) => setTimeout(r, 500));
    expect(candidateCalls()).toBe(4);
    await gw.shadow!.drain();
    expect(candidateCalls()).toBe(6);
    expect(gw.shadow!.stats).toMatchObject({ sampled: 6, failed: 4, written: 2, skippedBusy: 0 });
  });

  it("counts a request sampled after the shadow closed as failed, and never runs it", async () => {
    const { production, candidate } = configs(alwaysTo("large"));
    const gw = await h.start({
      routes: [{ file: production }],
      shadow: { file: candidate, rate: 1, maxCostUsd: 10, out: join(h.dir, "worker-late") },
    });
    await gw.shadow!.close();
    expect((await ask("late")).choices[0]!.message.content).toBe("ok");
    await until(() => gw.shadow!.stats.failed === 1);
    await gw.shadow!.drain();
    expect(gw.shadow!.stats).toMatchObject({ sampled: 1, written: 0, failed: 1 });
    expect(h.fake.requests.filter((r) => r.model === "gpt-4o")).toHaveLength(0);
  });

  it.runIf(process.platform === "linux")("lowers the worker thread's priority only, not the gateway's", async () => {
    const { production, candidate } = configs(alwaysTo("large"));
    await h.start({
      routes: [{ file: production }],
      shadow: { file: candidate, rate: 1, maxCostUsd: 1, out: join(h.dir, "worker-f") },
    });
    const nice = (tid: string) => {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
      // Fields after the command name (which may hold spaces): state is field 3, nice field 19.
      return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16]);
    };
    const tasks = readdirSync("/proc/self/task").map((tid) => ({ tid, nice: nice(tid) }));
    const main = nice(String(process.pid));
    expect(main).toBeLessThan(19);
    expect(tasks.filter((t) => t.nice === 19).length).toBeGreaterThanOrEqual(1);
    expect(tasks.filter((t) => t.nice === main).length).toBeGreaterThan(1);
  });

  it.runIf(process.platform === "linux" && existsSync("/usr/bin/chrt"))(
    "puts the worker thread in the idle scheduling class, not the gateway's main thread (preempted at once by a served request's thread)",
    async () => {
      const { production, candidate } = configs(alwaysTo("large"));
      await h.start({
        routes: [{ file: production }],
        shadow: { file: candidate, rate: 1, maxCostUsd: 1, out: join(h.dir, "worker-g") },
      });
      const policy = (tid: string) => {
        let stat: string;
        try {
          stat = readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
        } catch {
          return Number.NaN; // a thread that ended since the folder was listed
        }
        // After the command name: state is field 3, policy field 41 (SCHED_OTHER 0, SCHED_IDLE 5).
        return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[38]);
      };
      const policies = readdirSync("/proc/self/task").map(policy);
      expect(policy(String(process.pid))).toBe(0);
      expect(policies.filter((p) => p === 5).length).toBeGreaterThanOrEqual(1);
      expect(policies.filter((p) => p === 0).length).toBeGreaterThan(1);
    },
  );
});

/** Waits for a condition set by a message from the worker thread (no timing assertion: the test's timeout bounds it). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 20));
}
