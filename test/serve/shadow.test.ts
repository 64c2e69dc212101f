import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { replyFor } from "../../devkit/fake-provider/wire.ts";
import { RecordedOutcomeLine } from "../../src/contracts/recorded-outcome.ts";
import { loadDataset } from "../../src/datasets/load-dataset.ts";
import { createPromptRenderer } from "../../src/datasets/prompt.ts";
import { alwaysTo, routingConfig, useGateway } from "./harness.ts";

const h = useGateway();

function configs(candidatePricing?: { input: number; output: number }) {
  const small = h.openai("small", "gpt-4o-mini");
  const large = { ...h.openai("large", "gpt-4o"), ...(candidatePricing ? { pricing: candidatePricing } : {}) };
  return {
    production: h.writeConfig("prod.json", routingConfig([small, large], alwaysTo("small"))),
    candidate: h.writeConfig("cand.json", routingConfig([small, large], alwaysTo("large"))),
  };
}

describe("routegate serve --shadow", () => {
  it("answers with production and records the candidate's different answer as evidence for routegate eval", async () => {
    const { production, candidate } = configs();
    const out = join(h.dir, "shadow-a");
    h.fake.setAnswerer({
      text: (_user, req) => `answer from ${req.model}`,
      usage: () => ({ prompt: 20, cached: 0, output: 3 }),
    });
    const gw = await h.start({
      routes: [{ file: production }],
      shadow: { file: candidate, rate: 1, maxCostUsd: 10, out },
    });
    const messages = [
      { role: "system" as const, content: "You triage tickets." },
      { role: "user" as const, content: "my card was charged twice, mail me at bob@example.com" },
    ];
    const r = await h.client.chat.completions.create({ model: "routegate/triage", messages, max_tokens: 50 });
    expect(r.choices[0]!.message.content).toBe("answer from gpt-4o-mini");
    await gw.shadow!.drain();
    expect(gw.shadow!.stats).toMatchObject({ sampled: 1, differed: 1, written: 1, failed: 0 });

    const dataset = loadDataset(`${out}.items.jsonl`);
    const item = dataset.items[0]!;
    // The evaluation sends the recorded request verbatim (redacted), no template applied.
    const template = join(h.dir, "user.hbs");
    writeFileSync(template, "Ticket: {{input}}");
    const rendered = createPromptRenderer({ user: template }, { maxTokens: 1 })(item);
    expect(rendered.messages).toEqual([
      { role: "system", content: "You triage tickets." },
      { role: "user", content: "my card was charged twice, mail me at [EMAIL]" },
    ]);
    expect(rendered.maxTokens).toBe(50);
    const outcomes = readFileSync(`${out}.outcomes.jsonl`, "utf8")
      .trim()
      .split("\n")
      .map((l) => RecordedOutcomeLine.parse(JSON.parse(l)));
    expect(outcomes.map((o) => [o.itemId, o.model, o.output])).toEqual([
      [item.id, "production", "answer from gpt-4o-mini"],
      [item.id, "candidate", "answer from gpt-4o"],
    ]);
  });

  it("stays off the response path: a hanging candidate never delays production", async () => {
    const { production, candidate } = configs();
    const gw = await h.start({
      routes: [{ file: production }],
      shadow: { file: candidate, rate: 1, maxCostUsd: 10, out: join(h.dir, "shadow-b") },
      deadlineMs: 1500,
    });
    h.fake.setResponder((req) => (req.model === "gpt-4o" ? { hang: true } : undefined));
    for (let i = 0; i < 3; i++) {
      const r = await h.client.chat.completions.create({
        model: "routegate/triage",
        messages: [{ role: "user", content: "hi" }],
      });
      expect(r.choices[0]!.message.content).toBe("ok");
    }
    // All three production answers came back while every shadow call was still hanging.
    expect(gw.shadow!.stats.written).toBe(0);
    await gw.shadow!.drain();
    expect(gw.shadow!.stats).toMatchObject({ sampled: 3, written: 0, failed: 3 });
  });

  it("starts the candidate's work in a gap between served requests, never while one waits on its upstream", async () => {
    const { production, candidate } = configs();
    const gw = await h.start({
      routes: [{ file: production }],
      shadow: { file: candidate, rate: 1, maxCostUsd: 10, out: join(h.dir, "shadow-gap") },
    });
    // How many served requests had finished (their decision written) when each candidate call came in.
    const finishedAtCandidateCall: number[] = [];
    h.fake.setResponder((req) => {
      if (req.model === "gpt-4o") finishedAtCandidateCall.push(h.decisions.length);
      if (!JSON.stringify(req.body).includes("slow one")) return undefined;
      const usage = { prompt: 10, cached: 0, output: 1 };
      return { delayMs: 300, body: replyFor("openai", { text: "ok", usage, model: req.model }) };
    });
    const ask = (content: string) =>
      h.client.chat.completions.create({ model: "routegate/triage", messages: [{ role: "user", content }] });
    const slow = ask("the slow one");
    await new Promise((r) => setTimeout(r, 50));
    // Answered while the slow request is still in flight: its shadow call waits for the gap.
    await ask("a quick one");
    expect(finishedAtCandidateCall).toEqual([]);
    await slow;
    await gw.shadow!.drain();
    expect(finishedAtCandidateCall).toEqual([2, 2]);
    expect(gw.shadow!.stats).toMatchObject({ sampled: 2, differed: 2, written: 2 });
  });

  it("never spends past its budget, reserving each sample's worst case first", async () => {
    // $1,000 per 1M tokens: "hi" with a 100-token cap reserves 2 x (1 + 100) x 0.001 = $0.202.
    const { production, candidate } = configs({ input: 1000, output: 1000 });
    const gw = await h.start({
      routes: [{ file: production }],
      shadow: { file: candidate, rate: 1, maxCostUsd: 0.25, out: join(h.dir, "shadow-c") },
    });
    for (let i = 0; i < 4; i++) {
      await h.client.chat.completions.create({
        model: "routegate/triage",
        messages: [{ role: "user", content: "hi" }],
        max_tokens: 100,
      });
      await gw.shadow!.drain();
    }
    const s = gw.shadow!.stats;
    expect(s.written).toBeGreaterThan(0);
    expect(s.skippedBudget).toBeGreaterThan(0);
    expect(s.written + s.skippedBudget).toBe(4);
    expect(s.spentUsd).toBeGreaterThan(0);
    expect(s.spentUsd).toBeLessThanOrEqual(0.25);
  });

  it("loses only the shadow's evidence, never an answer, when its files cannot be written", async () => {
    const { production, candidate } = configs();
    const gw = await h.start({
      routes: [{ file: production }],
      shadow: { file: candidate, rate: 1, maxCostUsd: 10, out: join(h.dir, "no-such-dir", "shadow") },
    });
    const r = await h.client.chat.completions.create({
      model: "routegate/triage",
      messages: [{ role: "user", content: "hi" }],
    });
    expect(r.choices[0]!.message.content).toBe("ok");
    await gw.shadow!.close();
    expect(h.logs.join("\n")).toMatch(/shadow: cannot write .*no-such-dir\/shadow\.items\.jsonl/);
  });

  it("holds at most maxQueued jobs on the gateway's own thread too (inProcess), and counts late and dropped samples", async () => {
    const { production, candidate } = configs();
    h.fake.setResponder((req) => (req.model === "gpt-4o" ? { hang: true } : undefined));
    const gw = await h.start({
      routes: [{ file: production }],
      shadow: {
        file: candidate,
        rate: 1,
        maxCostUsd: 10,
        out: join(h.dir, "in-thread-busy"),
        inProcess: true,
        maxQueued: 2,
      },
      // The two hung jobs must still hold the runner when the third and fourth samples arrive.
      deadlineMs: 6000,
    });
    const ask = (content: string) =>
      h.client.chat.completions.create({ model: "routegate/triage", messages: [{ role: "user", content }] });
    for (let i = 0; i < 4; i++) expect((await ask(`hi ${i}`)).choices[0]!.message.content).toBe("ok");
    await gw.shadow!.drain();
    // Two hung until their deadline (failed); the other two found the runner full.
    expect(gw.shadow!.stats).toMatchObject({ sampled: 4, skippedBusy: 2, failed: 2, written: 0 });
    await gw.shadow!.close();
    await ask("after close");
    await gw.shadow!.drain();
    expect(gw.shadow!.stats).toMatchObject({ sampled: 5, skippedBusy: 2, failed: 3 });
    expect(h.fake.requests.filter((r) => r.model === "gpt-4o")).toHaveLength(2);
  });

  it("runs the candidate on the gateway's own thread with in-memory routers when asked (inProcess)", async () => {
    const small = h.openai("small", "gpt-4o-mini");
    const large = h.openai("large", "gpt-4o");
    const production = h.writeConfig("prod-in.json", routingConfig([small, large], alwaysTo("small")));
    // by-length exists only in this process (the harness's `routers`): no module a worker could import.
    const candidate = h.writeConfig("cand-in.json", routingConfig([small, large]));
    const out = join(h.dir, "shadow-in-thread");
    h.fake.setAnswerer({
      text: (_u, req) => `answer from ${req.model}`,
      usage: () => ({ prompt: 5, cached: 0, output: 2 }),
    });
    const gw = await h.start({
      routes: [{ file: production }],
      shadow: { file: candidate, rate: 1, maxCostUsd: 10, out, inProcess: true },
    });
    await h.client.chat.completions.create({
      model: "routegate/triage",
      messages: [{ role: "user", content: "a question long enough to go to the strong model" }],
    });
    await gw.shadow!.drain();
    expect(gw.shadow!.stats).toMatchObject({ sampled: 1, differed: 1, written: 1, crashes: 0 });
    const outcomes = readFileSync(`${out}.outcomes.jsonl`, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(outcomes.map((o) => o.output)).toEqual(["answer from gpt-4o-mini", "answer from gpt-4o"]);
    // Without inProcess the worker has no such router, and the start is refused.
    await expect(
      h.start({ routes: [{ file: production }], shadow: { file: candidate, rate: 1, maxCostUsd: 10, out } }),
    ).rejects.toThrow(/by-length.*--routers/s);
  });
});
