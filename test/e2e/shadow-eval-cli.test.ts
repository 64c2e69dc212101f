import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lastUserText } from "../../devkit/fake-provider/server.ts";
import { alwaysTo, routingConfig, useGateway } from "../serve/harness.ts";
import { runCli } from "./cli-in-process.ts";

// The loop from live traffic to the gate: `routegate serve --shadow` writes its evidence (dataset
// lines holding the requests verbatim, recorded outcomes of production and candidate), and
// `routegate eval` imports those files as they are and judges production against the candidate,
// blind and in both orders, with a judge served by the local fake; the gate then rules on them.

const h = useGateway();
const TICKETS = [
  "my card was charged twice for March",
  "the receipt printer does not pair over bluetooth",
  "please add a CSV export for inventory",
  "I cannot log in since the update, mail me at ann@shop.example",
  "where is parcel NMB-440019?",
  "cancel our Pro plan and refund the remaining months",
];
const between = (text: string, tag: string) => new RegExp(`<${tag}>\\n([\\s\\S]*?)\\n</${tag}>`).exec(text)?.[1] ?? "";

describe("shadow evidence from serve, judged by routegate eval", () => {
  it("imports the shadow files, judges blind in both orders, and the gate rules on them", async () => {
    const production = h.writeConfig(
      "prod.json",
      routingConfig([h.openai("small", "gpt-4o-mini"), h.openai("large", "gpt-4o")], alwaysTo("small")),
    );
    const candidate = h.writeConfig(
      "cand.json",
      routingConfig([h.openai("small", "gpt-4o-mini"), h.openai("large", "gpt-4o")], alwaysTo("large")),
    );
    const out = join(h.dir, "shadow");
    // Upstream answers: the candidate's model is the better one on every ticket.
    h.fake.setAnswerer({
      text: (user, req) => `${req.model === "gpt-4o" ? "GOOD" : "BAD"} answer to: ${user.slice(0, 20)}`,
      usage: () => ({ prompt: 40, cached: 0, output: 8 }),
    });
    const gw = await h.start({
      routes: [{ file: production }],
      shadow: { file: candidate, rate: 1, maxCostUsd: 5, out },
    });
    for (const ticket of TICKETS)
      await h.client.chat.completions.create({
        model: "routegate/triage",
        messages: [
          { role: "system", content: "Answer the customer in one paragraph." },
          { role: "user", content: ticket },
        ],
        max_tokens: 64,
      });
    await gw.shadow!.drain();
    expect(gw.shadow!.stats.written).toBe(TICKETS.length);

    // A fair judge: the answer that starts with GOOD wins, whichever position it is shown in.
    const judged: string[] = [];
    h.fake.reset();
    h.fake.setAnswerer({
      usage: () => ({ prompt: 300, cached: 0, output: 20 }),
      text: (_user, req) => {
        const user = lastUserText("openai", req.body);
        judged.push(user);
        const rank = (t: string) => (t.startsWith("GOOD") ? 1 : 0);
        const a = rank(between(user, "answer_a"));
        const b = rank(between(user, "answer_b"));
        return JSON.stringify({ reason: "substance", winner: a === b ? "tie" : a > b ? "A" : "B" });
      },
    });
    const evalFile = (name: string, gate: { policy: string; minQuality: number }) => {
      const file = join(h.dir, `${name}.eval.ts`);
      const replay = (model: string) => ({ id: model, provider: "replay", model, file: `${out}.outcomes.jsonl` });
      writeFileSync(
        file,
        `export default ${JSON.stringify({
          name,
          dataset: `${out}.items.jsonl`,
          models: [replay("production"), replay("candidate")],
          scorer: { type: "judge-pairwise", judge: "openai:gpt-4o", against: { model: "production" } },
          split: false,
          gates: [gate],
        })};\n`,
      );
      return file;
    };
    const env = { OPENAI_API_KEY: "sk-judge-0001", OPENAI_BASE_URL: h.fake.openaiBaseUrl };
    const store = join(h.dir, "store.sqlite");
    const reports = join(h.dir, "reports");
    const evalWithGate = (name: string, gate: { policy: string; minQuality: number }) =>
      runCli(["eval", evalFile(name, gate), "--store", store, "--reports", reports, "--quiet"], h.dir, env);
    const passes = await evalWithGate("shadow-pass", { policy: "always:candidate", minQuality: 0.9 });
    expect(passes.code, passes.stderr + passes.stdout).toBe(0);
    const summary = JSON.parse(readFileSync(join(reports, "shadow-pass", "latest", "summary.json"), "utf8"));
    const quality = Object.fromEntries(summary.models.map((m: { id: string; quality: number }) => [m.id, m.quality]));
    expect(quality.candidate).toBe(1);
    // Costs are the ones the gateway paid (gpt-4o against gpt-4o-mini), taken as recorded.
    const cost = Object.fromEntries(summary.models.map((m: { id: string; costPer1k: number }) => [m.id, m.costPer1k]));
    expect(cost.candidate).toBeGreaterThan(10 * cost.production);
    // Blind, both orders: two judge calls per item, and no call names a model.
    expect(judged).toHaveLength(2 * TICKETS.length);
    for (const text of judged) expect(text).not.toMatch(/production|candidate|gpt-4o/);
    // Each item's requests were sent verbatim: the shadow's redaction reached the judge too.
    expect(judged.join("\n")).not.toContain("ann@shop.example");

    // The same evidence fails a gate it does not meet (exit 1); the verdicts come from the store.
    const fails = await evalWithGate("shadow-fail", { policy: "always:production", minQuality: 0.9 });
    expect(fails.code, fails.stderr + fails.stdout).toBe(1);
    expect(judged).toHaveLength(2 * TICKETS.length);
  }, 120_000);
});
