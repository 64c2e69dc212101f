import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { beforeAll, describe, expect, it } from "vitest";
import { collectHarness, testItems, testRequest } from "../../devkit/collect-harness/collect-harness.ts";
import { errors, RecordingProvider, reply } from "../../devkit/collect-harness/recording-provider.ts";
import { countTokens } from "../providers/tokens.ts";
import { claimOwner } from "../store/claims.ts";
import { OutcomeStore } from "../store/outcome-store.ts";
import { realClock } from "./clock.ts";
import { type ClaimTiming, RequestClaims } from "./request-claims.ts";

// Issue 10, item 7: two processes sharing one store paid twice for the same requests. Each
// harness below has its own connection to one store file and its own claim owner, as two
// processes would; the provider counts what was paid.

const FAST: ClaimTiming = { ttlMs: 400, heartbeatMs: 50, pollMs: 10 };

function storePath(): string {
  return join(mkdtempSync(join(tmpdir(), "rg-claims-")), "outcomes.sqlite");
}

function slowProvider(ms: number): RecordingProvider {
  return new RecordingProvider({
    script: async (c) => {
      await sleep(ms);
      return reply(c.request, { text: `answer ${c.itemId}` });
    },
  });
}

/** A process that ran and exited: its pid is dead on this machine. */
function deadPid(): number {
  return Number(
    spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" }).stdout,
  );
}

describe("claims on requests in flight", () => {
  // The recording provider counts tokens, and the tokenizer loads on first use (synchronously, about
  // half a second): loaded here, not while a test holds claims that live 400 ms.
  beforeAll(() => {
    countTokens("warm");
  });

  it("two runs on one store pay once per request; the second waits for the first's answers", async () => {
    const path = storePath();
    const provider = slowProvider(60);
    const runs = [0, 1].map(() =>
      collectHarness({ models: { m: provider }, store: OutcomeStore.open(path), claims: FAST, clock: realClock }),
    );
    const items = testItems(24);
    const [a, b] = await Promise.all(
      runs.map((h) => Promise.all(items.map((i) => h.caller.call(i, "m", testRequest(i))))),
    );
    expect(provider.calls).toHaveLength(24);
    expect(a!.map((r) => r.text)).toEqual(b!.map((r) => r.text));
    expect(runs[0]!.stats.providerCalls + runs[1]!.stats.providerCalls).toBe(24);
    expect(runs[0]!.stats.fromStore + runs[1]!.stats.fromStore).toBe(24);
    // Every claim was let go once its answer was stored.
    for (const i of items)
      expect(runs[0]!.store.claims.holder(runs[0]!.caller.hashOf(i, "m", testRequest(i)))).toBeUndefined();
  });

  it("a slow call with retries keeps its claim alive past the claim's lifetime: still paid once", async () => {
    const path = storePath();
    // 429 then 500 with retry-after waits, then a slow answer: about 3 claim lifetimes in all.
    const provider = new RecordingProvider({
      script: async (c) => {
        if (c.attempt === 1) throw errors.rateLimited(300);
        if (c.attempt === 2) throw errors.server(503);
        await sleep(500);
        return reply(c.request, { text: "slow but paid once" });
      },
    });
    const first = collectHarness({
      models: { m: provider },
      store: OutcomeStore.open(path),
      claims: FAST,
      clock: realClock,
      retry: { baseDelayMs: 300, maxDelayMs: 300 },
      random: () => 1,
    });
    const second = collectHarness({
      models: { m: provider },
      store: OutcomeStore.open(path),
      claims: FAST,
      clock: realClock,
    });
    const [item] = testItems(1);
    const started = first.caller.call(item!, "m", testRequest(item!));
    // The first run holds the claim once its first attempt has reached the provider.
    while (provider.calls.length === 0) await sleep(5);
    const waited = second.caller.call(item!, "m", testRequest(item!));
    const [x, y] = await Promise.all([started, waited]);
    expect(x.text).toBe("slow but paid once");
    expect(y).toMatchObject({ text: "slow but paid once", cached: true });
    expect(provider.calls.map((c) => c.attempt)).toEqual([1, 2, 3]);
    expect(second.stats.providerCalls).toBe(0);
  });

  it("a claim whose owner died (SIGKILL) is free at once, an expired one too; a live owner's is not", () => {
    const claims = OutcomeStore.open(storePath()).claims;
    const me = claimOwner("me");
    const now = Date.now();
    const hour = 3_600_000;
    // A process of this machine that has exited: its claim is free though far from expiry.
    expect(claims.take("h-dead", { host: me.host, pid: deadPid(), id: "gone" }, hour)).toBe(true);
    expect(claims.take("h-dead", me, 1000)).toBe(true);
    // Another machine's claim (no way to see its process): free once expired, not before.
    expect(claims.take("h-far", { host: "another-machine", pid: 1, id: "busy" }, 1000, now)).toBe(true);
    expect(claims.take("h-far", me, 1000, now + 500)).toBe(false);
    expect(claims.take("h-far", me, 1000, now + 1001)).toBe(true);
    // Another caller of a live process of this machine (this one): held.
    expect(claims.take("h-live", { ...me, id: "other" }, hour)).toBe(true);
    expect(claims.take("h-live", me, 1000)).toBe(false);
    // Renewal keeps a claim; a released one is free.
    expect(claims.renew("h-live", { ...me, id: "other" }, hour)).toBe(true);
    expect(claims.renew("h-live", me, hour)).toBe(false);
    claims.release("h-live", { ...me, id: "other" });
    expect(claims.take("h-live", me, 1000)).toBe(true);
  });

  it("a run waits for a live claim to expire, then pays for the request itself", async () => {
    const path = storePath();
    const provider = slowProvider(1);
    const h = collectHarness({
      models: { m: provider },
      store: OutcomeStore.open(path),
      claims: FAST,
      clock: realClock,
    });
    const [item] = testItems(1);
    const hash = h.caller.hashOf(item!, "m", testRequest(item!));
    // Held by a process that stopped renewing (another machine's, or one stuck): expires in 300 ms.
    h.store.claims.take(hash, { host: "another-machine", pid: 1, id: "stuck" }, 300);
    const result = await h.caller.call(item!, "m", testRequest(item!));
    expect(result.error).toBeUndefined();
    expect(provider.calls).toHaveLength(1);
    expect(h.store.claims.holder(hash)).toBeUndefined();
  });
  it("a batch holds the claims no live run holds, renews them past their lifetime, and lets them all go", async () => {
    const path = storePath();
    const [mine, theirs] = [OutcomeStore.open(path), OutcomeStore.open(path)];
    const other = claimOwner("other");
    expect(theirs.claims.take("h2", other, 60_000)).toBe(true);
    const held = new RequestClaims(mine, FAST).holdMany(["h1", "h2", "h3"]);
    expect(["h1", "h2", "h3"].map((h) => held.has(h))).toEqual([true, false, true]);
    // Renewed by the heartbeat: after three lifetimes another run still cannot take them.
    await sleep(3 * FAST.ttlMs);
    expect(theirs.claims.take("h1", other, FAST.ttlMs)).toBe(false);
    held.release("h1");
    expect(theirs.claims.take("h1", other, FAST.ttlMs)).toBe(true);
    held.releaseAll();
    expect(theirs.claims.take("h3", other, FAST.ttlMs)).toBe(true);
    expect(theirs.claims.holder("h2")?.owner).toContain(" other");
    mine.close();
    theirs.close();
  });
});
