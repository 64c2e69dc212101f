import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type OpenAI from "openai";
import { beforeAll, describe, expect, it } from "vitest";
import { loadEvalFile, type ResolvedEval } from "../../src/config/load-eval.ts";
import { RoutingConfigError } from "../../src/contracts/routing-config.ts";
import type { Item } from "../../src/core/types.ts";
import { loadDataset } from "../../src/datasets/load-dataset.ts";
import { createPromptRenderer } from "../../src/datasets/prompt.ts";
import { decideAll } from "../../src/evaluate/matrix/decide-all.ts";
import type { AnyRouter, RouterContext } from "../../src/routing/router.ts";
import { templateExtractor } from "../../src/serve/template-extractor.ts";
import { routingConfig, useGateway } from "./harness.ts";

// Parity: the triage eval's golden items, rendered through the eval's own templates as the
// evaluation sends them, go through `routegate serve`; the gateway, taking its router input with
// the eval's template stripped back off, decides exactly as the evaluation's decide step does.

const h = useGateway();
const ROOT = resolve(import.meta.dirname, "../..");
let evalConfig: ResolvedEval;
let items: Item[];
let heuristic: AnyRouter;

beforeAll(async () => {
  evalConfig = await loadEvalFile(join(ROOT, "evals/triage.eval.ts"));
  items = loadDataset(evalConfig.dataset).items;
  heuristic = evalConfig.routers.find((r) => r.id === "heuristic") as AnyRouter;
});

/** The evaluation's decisions: the router's score step on each item, then its decide step over all of them. */
async function evaluationDecisions(params: Record<string, unknown>): Promise<string[]> {
  const ctx = { request: { messages: [], maxTokens: 1 }, models: ["cheap", "flagship"] } as unknown as RouterContext;
  const scores = await Promise.all(items.map((item) => heuristic.score(item, ctx)));
  const models = ["cheap", "flagship"];
  const choice = decideAll(
    heuristic,
    { scores, calls: [], cost: new Float64Array(0), latency: new Float64Array(0) },
    params as never,
    new Map(models.map((m, i) => [m, i])),
  );
  return [...choice].map((k) => models[k]!);
}

async function servedDecisions(input: string | undefined): Promise<string[]> {
  const config = routingConfig([h.openai("cheap", "gpt-4o-mini"), h.openai("flagship", "gpt-4o")], {
    id: "heuristic",
    params: { weak: "cheap", strong: "flagship", threshold: 1.5 },
  });
  const file = h.writeConfig("parity.json", config);
  await h.start({ routes: [{ file, ...(input ? { input } : {}) }], routers: [heuristic] });
  const render = createPromptRenderer(evalConfig.prompt, evalConfig.request);
  const served: string[] = [];
  for (const item of items) {
    const request = render(item);
    const metadata = Object.fromEntries(
      Object.entries(item.metadata ?? {}).filter((e): e is [string, string] => typeof e[1] === "string"),
    );
    const r = await h.client.chat.completions
      .create({
        model: "routegate/triage",
        messages: request.messages as OpenAI.ChatCompletionMessageParam[],
        max_tokens: request.maxTokens,
        metadata,
      })
      .withResponse();
    served.push(r.response.headers.get("x-routegate-model")!);
  }
  return served;
}

describe("parity between routegate serve and the evaluation", () => {
  it("sends the triage golden set rendered through its templates and gets the evaluation's decisions exactly", async () => {
    const expected = await evaluationDecisions({ weak: "cheap", strong: "flagship", threshold: 1.5 });
    // Both models are chosen, so agreeing is not trivial.
    expect(new Set(expected).size).toBe(2);
    const userTemplate = evalConfig.prompt!.user;
    expect(await servedDecisions(`template:${userTemplate}`)).toEqual(expected);
    // The default (the whole last user message, template included) scores other text: it disagrees.
    const lastUser = await servedDecisions(undefined);
    expect(lastUser.filter((m, i) => m !== expected[i]).length).toBeGreaterThan(0);
  }, 60_000);
});

describe("templateExtractor", () => {
  const write = (name: string, text: string) => {
    const file = join(h.dir, name);
    writeFileSync(file, text);
    return file;
  };

  it("recovers the item's input, named fields and the metadata the template showed", () => {
    const plain = templateExtractor(write("a.hbs", "Ticket ({{metadata.userTier}}):\n{{input}}\n\nLabel:"));
    const user = { role: "user" as const, content: "Ticket (pro):\nmy card was charged\ntwice\n\nLabel:" };
    expect(plain({ messages: [{ role: "system", content: "x" }, user], metadata: { a: "b" } })).toEqual({
      input: "my card was charged\ntwice",
      metadata: { a: "b", userTier: "pro" },
    });
    // A message not rendered from the template is scored whole.
    expect(plain({ messages: [{ role: "user", content: "hello" }], metadata: {} }).input).toBe("hello");
    const fields = templateExtractor(write("b.hbs", "Q: {{question}}\nContext: {{context}}\nA:"));
    expect(fields({ messages: [{ role: "user", content: "Q: why?\nContext: none\nA:" }], metadata: {} }).input).toEqual(
      {
        question: "why?",
        context: "none",
      },
    );
  });

  it("strips in one pass: a hostile message full of the template's separators cannot make it backtrack", () => {
    // Client text is hostile: with a backtracking pattern this message took O(separators x length)
    // steps (minutes for this one, past the test's timeout); the split is one left-to-right scan.
    const fields = templateExtractor(write("e.hbs", "Q: {{question}}\nContext: {{context}}\nNote: {{note}}\nA:"));
    const hostile = `Q: ${"\nContext: \nNote: ".repeat(40_000)}no ending`;
    expect(fields({ messages: [{ role: "user", content: hostile }], metadata: {} }).input).toBe(hostile);
    const same = templateExtractor(write("f.hbs", "{{input}} / {{input}}!"));
    expect(same({ messages: [{ role: "user", content: "a / a!" }], metadata: {} }).input).toBe("a");
    expect(same({ messages: [{ role: "user", content: "a / b!" }], metadata: {} }).input).toBe("a / b!");
  });

  it("refuses templates it cannot strip, naming the file and the fix", () => {
    expect(() => templateExtractor(write("c.hbs", "{{#if x}}a{{/if}} {{input}}"))).toThrow(RoutingConfigError);
    expect(() => templateExtractor(write("c.hbs", "{{#if x}}a{{/if}} {{input}}"))).toThrow(
      /c\.hbs: the template uses a BlockStatement at line 1.*Fix: export an extractor/,
    );
    expect(() => templateExtractor(write("d.hbs", "{{a}}{{b}}"))).toThrow(/no text between the two/);
  });
});
