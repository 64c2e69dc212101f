import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ModelSpec } from "../contracts/model-spec.ts";
import { InputError } from "../core/errors.ts";
import { SIM_PROFILE_NAMES, simModelSpec } from "../providers/offline/sim-profiles.ts";
import { defaultPriceBook, fineTunedBase, PriceBook, type PriceTable } from "./price-book.ts";
import table from "./prices.json" with { type: "json" };

const book = defaultPriceBook();
const spec = (model: string, extra: Partial<ModelSpec> = {}): ModelSpec => ({
  id: extra.id ?? `openai:${model}`,
  provider: "openai",
  model,
  ...extra,
});

const row = (model: string, match: "exact" | "prefix", input: number): PriceTable["rows"][number] => ({
  model,
  match,
  provider: "test",
  input,
  output: input * 2,
  source: "test",
  date: "2026-11",
});

describe("the shipped price table", () => {
  it("has a version and date for summary.json", () => {
    expect(book.version).toBe("2026-11-26.3");
    expect(book.date).toBe("2026-11-26");
  });

  it("prices every hosted model in the recorded TextClass and RouteLLM data", () => {
    const models = [
      "gpt-4o-2024-05-13",
      "gpt-4o-mini-2024-07-18",
      "gpt-4.1-2025-04-14",
      "gpt-4.1-mini-2025-04-14",
      "gpt-4.1-nano-2025-04-14",
      "gpt-3.5-turbo-0125",
      "o3-mini-2025-01-31",
      "claude-3-5-sonnet-20241022",
      "claude-3-5-haiku-20241022",
      "gemini-1.5-pro",
      "gemini-1.5-flash",
      "gemini-1.5-flash-8b",
      "gemini-2.0-flash",
      "llama-3.1-405b@fireworks",
      "mistral-large-2411",
      "open-mixtral-8x22b",
      "ministral-8b-2410",
      "deepseek-chat",
      "gpt-4-1106-preview",
      "mistralai/Mixtral-8x7B-Instruct-v0.1",
    ];
    for (const m of models) expect(() => book.priceFor(spec(m)), m).not.toThrow();
  });

  it("keeps pricing.md's values, snapshot by snapshot", () => {
    const p = (m: string) => book.priceFor(spec(m));
    expect(p("gpt-4o-2024-05-13")).toMatchObject({ input: 5, output: 15 });
    expect(p("gpt-4o-2024-05-13").cachedInput).toBeUndefined();
    expect(p("gpt-4o-2024-08-06")).toMatchObject({ input: 2.5, cachedInput: 1.25, output: 10 });
    expect(p("gpt-4o-mini-2024-07-18")).toMatchObject({
      input: 0.15,
      cachedInput: 0.075,
      output: 0.6,
      batchMultiplier: 0.5,
    });
    expect(p("gpt-4.1-mini-2025-04-14")).toMatchObject({ input: 0.4, cachedInput: 0.1, output: 1.6 });
    expect(p("gpt-4.1-2025-04-14")).toMatchObject({ input: 2, cachedInput: 0.5, output: 8 });
    expect(p("claude-3-5-haiku-20241022")).toMatchObject({
      input: 0.8,
      cachedInput: 0.08,
      cacheWrite5m: 1,
      cacheWrite1h: 1.6,
      output: 4,
    });
    expect(p("claude-3-5-sonnet-20241022")).toMatchObject({
      input: 3,
      cacheWrite5m: 3.75,
      cacheWrite1h: 6,
      output: 15,
    });
    expect(p("gemini-1.5-flash-8b")).toMatchObject({ input: 0.0375, output: 0.15 });
    expect(p("gemini-1.5-flash-002")).toMatchObject({ input: 0.075, output: 0.3 });
    expect(p("ministral-8b-2410")).toMatchObject({ input: 0.1, output: 0.1 });
    expect(p("llama-3.1-405b@fireworks")).toMatchObject({ input: 3, output: 3 });
    expect(p("gpt-5-mini-2025-08-07")).toMatchObject({ input: 0.25, cachedInput: 0.025, output: 2 });
  });

  it('marks the "?" cells of pricing.md uncertain, and only those', () => {
    const uncertain = table.rows.filter((r) => "uncertain" in r && r.uncertain).map((r) => r.model);
    expect(uncertain.sort()).toEqual(
      [
        "ft:gpt-4.1-mini",
        "gemini-2.5-flash",
        "gemini-2.5-flash-lite",
        "gpt-4.1-nano",
        "mistralai/Mixtral-8x7B-Instruct-v0.1",
        "sim:finetuned",
      ].sort(),
    );
    const mixtral = book.priceFor(spec("mistralai/Mixtral-8x7B-Instruct-v0.1"));
    expect(mixtral).toMatchObject({ input: 0.6, output: 0.6, uncertain: true });
    expect(mixtral.note).toMatch(/\?/);
  });

  it("has no token price for self-hosted Ollama models: an error, never a silent zero", () => {
    expect(() => book.priceFor(spec("llama-3.1-70b@ollama"))).toThrow(InputError);
    expect(() => book.priceFor(spec("llama-3.1-8b@ollama"))).toThrow(/no price for model "llama-3.1-8b@ollama"/);
  });

  it("never gives a variant its family's price (prefix rows cover dated snapshots only)", () => {
    expect(() => book.priceFor(spec("gemini-2.0-flash-lite"))).toThrow(InputError);
    expect(() => book.priceFor(spec("gpt-4o-audio-preview"))).toThrow(InputError);
    expect(() => book.priceFor(spec("gpt-5.1"))).toThrow(InputError);
  });

  it("prices every sim profile", () => {
    for (const name of SIM_PROFILE_NAMES) expect(() => book.priceFor(simModelSpec(name)), name).not.toThrow();
    expect(book.priceFor(simModelSpec("cheap"))).toMatchObject({ input: 0.15, cachedInput: 0.075, output: 0.6 });
    expect(book.priceFor(simModelSpec("flagship"))).toMatchObject({ input: 2.5, output: 10 });
    expect(book.priceFor(simModelSpec("finetuned"))).toMatchObject({ input: 0.8, output: 3.2 });
    expect(book.priceFor(simModelSpec("selfhosted"))).toMatchObject({ input: 0.2, output: 0.2 });
  });
});

describe("PriceBook.priceFor precedence", () => {
  const custom = new PriceBook({
    version: "t1",
    date: "2026-01-01",
    rows: [
      row("fam", "prefix", 1),
      row("fam-pro", "prefix", 2),
      row("fam-2024-01-01", "exact", 3),
      row("my-id", "exact", 4),
      row("sim:x", "exact", 5),
    ],
  });

  it("the spec's own pricing wins over every row", () => {
    const q = custom.priceFor(spec("fam-2024-01-01", { pricing: { input: 9, output: 9 } }));
    expect(q).toMatchObject({ input: 9, output: 9 });
    expect(q.source).toMatch(/model spec/);
  });

  it("an exact row beats prefix rows", () => {
    expect(custom.priceFor(spec("fam-2024-01-01")).input).toBe(3);
  });

  it("an exact row for the model beats one for the id; the id's exact row beats a prefix row", () => {
    expect(custom.priceFor(spec("fam-2024-01-01", { id: "my-id" })).input).toBe(3);
    expect(custom.priceFor(spec("fam-2025-01-01", { id: "my-id" })).input).toBe(4);
  });

  it("provider:model finds sim rows whatever the spec's id", () => {
    expect(custom.priceFor({ id: "weak", provider: "sim", model: "x" }).input).toBe(5);
  });

  it("the longest prefix row wins", () => {
    expect(custom.priceFor(spec("fam-pro-2025-02-02")).input).toBe(2);
    expect(custom.priceFor(spec("fam-2025-02-02")).input).toBe(1);
    expect(custom.priceFor(spec("fam")).input).toBe(1);
  });

  it("an unknown model is an InputError with the caller's file and field and the fix", () => {
    let err: unknown;
    try {
      custom.priceFor(spec("nope"), { file: "evals/a.eval.ts", where: "models[2].pricing" });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    const e = err as InputError;
    expect(e.file).toBe("evals/a.eval.ts");
    expect(e.where).toBe("models[2].pricing");
    expect(e.problem).toContain('no price for model "nope"');
    expect(e.fix).toContain("pricing: {input, output}");
    expect(e.exitCode).toBe(2);
  });
});

describe("fine-tuned models", () => {
  it("prices an OpenAI fine-tune name by its base model's fine-tuned row, marked uncertain", () => {
    const q = book.priceFor(spec("ft:gpt-4.1-mini-2025-04-14:org::abc"));
    expect(q).toMatchObject({ input: 0.8, cachedInput: 0.2, output: 3.2, batchMultiplier: 0.5, uncertain: true });
    expect(q.source).toMatch(/pricing\.md/);
    // Never the base model's price.
    expect(q.input).not.toBe(book.priceFor(spec("gpt-4.1-mini-2025-04-14")).input);
    expect(fineTunedBase("ft:gpt-4.1-mini-2025-04-14:org::abc")).toBe("gpt-4.1-mini-2025-04-14");
    expect(fineTunedBase("gpt-4.1-mini")).toBeUndefined();
  });

  it("uses fineTune.baseModel when the name does not say the base", () => {
    const q = book.priceFor(spec("acme-support-v3", { fineTune: { baseModel: "gpt-4.1-mini", trainingCostUsd: 120 } }));
    expect(q).toMatchObject({ input: 0.8, output: 3.2 });
  });

  it("is an error, not the base price, when the base has no fine-tuned row", () => {
    expect(() => book.priceFor(spec("ft:gpt-4o-mini-2024-07-18:org:x:123"))).toThrow(
      /no fine-tuned row ft:gpt-4o-mini/,
    );
  });

  it("an exact row for the fine-tune itself (a local override) wins", () => {
    const own = book.withOverrides(
      new PriceBook({
        version: "o",
        date: "2026-12-01",
        rows: [row("ft:gpt-4.1-mini-2025-04-14:org::abc", "exact", 5)],
      }),
    );
    expect(own.priceFor(spec("ft:gpt-4.1-mini-2025-04-14:org::abc")).input).toBe(5);
  });
});

describe("building price books", () => {
  it("rejects a malformed table naming the field", () => {
    expect(() => new PriceBook({ version: "x", date: "2026-01-01", rows: [{ model: "a" }] }, "my.json")).toThrow(
      /my\.json \(rows\[0\]/,
    );
    expect(
      () => new PriceBook({ version: "x", date: "2026-01-01", rows: [row("a", "exact", 1), row("a", "exact", 2)] }),
    ).toThrow(/duplicate/);
  });

  it("overrides replace rows they redefine and keep the rest", () => {
    const overrides = new PriceBook({
      version: "ours",
      date: "2026-12-01",
      rows: [row("gpt-4o-mini", "prefix", 0.1), row("internal-llm", "exact", 0.3)],
    });
    const merged = book.withOverrides(overrides);
    expect(merged.version).toBe("2026-11-26.3+ours");
    expect(merged.date).toBe("2026-12-01");
    expect(merged.priceFor(spec("gpt-4o-mini-2024-07-18")).input).toBe(0.1);
    expect(merged.priceFor(spec("internal-llm")).input).toBe(0.3);
    expect(merged.priceFor(spec("gpt-4o-2024-08-06")).input).toBe(2.5);
  });

  it("reads a table from a file", () => {
    const dir = mkdtempSync(join(tmpdir(), "rg-prices-"));
    const file = join(dir, "prices.json");
    writeFileSync(file, JSON.stringify({ version: "f", date: "2026-02-02", rows: [row("m", "exact", 7)] }));
    expect(PriceBook.fromFile(file).priceFor(spec("m")).input).toBe(7);
    writeFileSync(file, "{not json");
    expect(() => PriceBook.fromFile(file)).toThrow(InputError);
  });
});
