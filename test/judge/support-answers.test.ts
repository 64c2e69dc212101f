import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadEvalFile, type ResolvedEval } from "../../src/config/load-eval.ts";
import { Summary } from "../../src/contracts/summary.ts";
import { loadDataset } from "../../src/datasets/load-dataset.ts";
import type { EvalResult } from "../../src/evaluate/eval-result.ts";
import { runEval } from "../../src/evaluate/run-eval.ts";
import { defaultPriceBook } from "../../src/pricing/price-book.ts";
import { createProviderRegistry } from "../../src/providers/registry.ts";
import { writeReport } from "../../src/reporters/write-report.ts";
import { createRedactor } from "../../src/scoring/judge/redact.ts";
import { OutcomeStore } from "../../src/store/outcome-store.ts";

// The example open-ended eval end to end: sim candidates, a sim judge (SIMULATED), pairwise
// against the reference in both orders, through the engine `routegate eval` runs.

const EVAL = fileURLToPath(new URL("../../evals/support-answers.eval.ts", import.meta.url));
const ADVERSARIAL = ["support-010", "support-011", "support-012", "support-019", "support-029", "support-036"];
const noProgress = () => ({ start() {}, tick() {}, stop() {} });

describe("support-answers (judge-scored example eval)", () => {
  let config: ResolvedEval;
  let store: OutcomeStore;
  let first: EvalResult;
  const run = (c: ResolvedEval, runId: string) =>
    runEval(c, {
      store,
      registry: createProviderRegistry(),
      prices: defaultPriceBook(),
      runId,
      offline: true,
      concurrency: 32,
      progress: noProgress,
    });

  beforeAll(async () => {
    config = await loadEvalFile(EVAL);
    store = OutcomeStore.open(":memory:");
    first = await run(config, "first");
  }, 120_000);
  afterAll(() => store.close());

  it("ships a well-formed open-ended set: references for all, six marked injections, no PII in references", () => {
    const data = loadDataset(fileURLToPath(new URL("../../datasets/support-answers/items.jsonl", import.meta.url)));
    expect(data.items).toHaveLength(44);
    const redact = createRedactor(true);
    for (const item of data.items) {
      expect(typeof item.expected === "string" && item.expected.length > 100, item.id).toBe(true);
      expect(item.metadata?.["feature"]).toBe("support-answers");
      expect(["easy", "medium", "hard"]).toContain(item.metadata?.["difficulty"]);
      // Redaction must not touch a reference (the sim judge matches references verbatim).
      expect(redact(item.expected as string)).toBe(item.expected);
    }
    expect(data.items.filter((i) => i.metadata?.["adversarial"] === true).map((i) => i.id)).toEqual(ADVERSARIAL);
  });

  it("records the judge in summary.json: model, mode, prompt hash, calls, cost and diagnostics", () => {
    const { judge } = Summary.parse(first.summary);
    expect(judge).not.toBeNull();
    expect(judge).toMatchObject({ model: "sim:flagship", mode: "pairwise", simulated: true, errors: 0, judged: 132 });
    expect(judge!.promptHash).toMatch(/^[0-9a-f]{16}$/);
    expect(judge!.snapshots).toEqual(["sim-flagship-2026-11"]);
    // Two calls per pair that is not a verbatim copy of the reference.
    expect(judge!.calls).toBe(2 * (judge!.judged! - judge!.identicalPairs!));
    expect(judge!.costUsd).toBeGreaterThan(0);
    for (const k of ["flipRate", "tieRate", "lengthCorrelation", "kappaVsExact"] as const) {
      expect(typeof judge![k]).toBe("number");
    }
    expect(judge!.kappaVsExact!).toBeGreaterThan(0.5);
    expect(first.summary.simulated).toBe(true);
    expect(first.summary.scorer).toBe("judge-pairwise(sim:flagship)");
  });

  it("shows the judge's figures in the written report", () => {
    const { markdown } = writeReport(mkdtempSync(join(tmpdir(), "rg-support-")), first.summary, { env: {} });
    expect(markdown).toMatch(
      /judge sim:flagship \(pairwise, prompt [0-9a-f]{16}\): \d+ calls, \\\$[\d.]+ \(the evaluation's own cost/,
    );
    expect(markdown).toMatch(/flip rate [\d.]+, tie rate [\d.]+, length r -?[\d.]+, kappa vs exact [\d.]+/);
    expect(markdown).toMatch(/^## Text aimed at the judge$/m);
    expect(markdown).toMatch(/^\| heuristic \| [\d.]+ \(\d+ items\) \| [\d.]+ \(\d+ items\) \|$/m);
  });

  it("lists the items whose inputs talk to the judge, and warns about them and about the shared family", () => {
    expect(first.summary.judge!.injectionItems).toEqual(ADVERSARIAL);
    const w = first.summary.warnings.join("\n");
    expect(w).toMatch(/6 item\(s\) carry text aimed at the judge/);
    expect(w).toMatch(/judge sim:flagship is of the sim family/);
    expect(w).toMatch(/SIMULATED judge/);
  });

  it("scores with the judge: better models score higher, and nobody beats the reference on average", () => {
    const q = Object.fromEntries(first.summary.models.map((m) => [m.id, m.quality]));
    expect(q["sim:flagship"]!).toBeGreaterThan(q["sim:cheap"]!);
    for (const v of Object.values(q)) expect(v).toBeLessThanOrEqual(0.55);
  });

  it("charges policies only for answers: the judge's cost is the evaluation's own", async () => {
    const exact = await run({ ...config, scorer: "normalized" }, "exact");
    const cost = (r: EvalResult) => Object.fromEntries(r.summary.routers.map((x) => [x.id, x.costPer1k]));
    for (const id of ["always:sim:cheap", "always:sim:mid", "always:sim:flagship"]) {
      expect(cost(first)[id]).toBe(cost(exact)[id]);
    }
    expect(exact.summary.judge).toBeNull();
    expect(exact.summary.collection.providerCalls).toBe(0);
  });

  it("caches verdicts: a re-run calls nobody; a new rubric asks the judge again and nothing else", async () => {
    const again = await run(config, "again");
    expect(again.summary.collection.providerCalls).toBe(0);
    expect(again.summary.judge!.calls).toBe(first.summary.judge!.calls);
    expect(again.summary.judge!.promptHash).toBe(first.summary.judge!.promptHash);

    const scorer = { ...(config.scorer as { type: string }), rubric: "Prefer the shorter answer when equal." };
    const edited = await run({ ...config, scorer }, "edited");
    expect(edited.summary.judge!.promptHash).not.toBe(first.summary.judge!.promptHash);
    expect(edited.summary.collection.providerCalls).toBe(edited.summary.judge!.calls);
  });

  it("shows each policy's judged quality with and without the flagged items; \"exclude\" leaves the dataset's out", async () => {
    const flagged = Summary.parse(first.summary).judge!.injection!;
    expect(flagged.onInjection).toBe("flag");
    expect(flagged.excluded).toEqual([]);
    expect(flagged.items.map((x) => x.itemId)).toEqual(ADVERSARIAL);
    expect(flagged.items.every((x) => x.sources[0] === "metadata.adversarial")).toBe(true);
    for (const r of first.summary.routers) {
      const p = flagged.policies!.find((x) => x.id === r.id)!;
      expect(p.withFlagged).toBeCloseTo(r.quality.mean, 12);
      expect(p.items.withFlagged).toBe(r.items);
      expect(p.items.withoutFlagged).toBeLessThan(p.items.withFlagged);
    }

    const scorer = { ...(config.scorer as { type: string }), onInjection: "exclude" };
    const excluded = await run({ ...config, scorer } as ResolvedEval, "exclude");
    const judge = Summary.parse(excluded.summary).judge!.injection!;
    expect(judge.onInjection).toBe("exclude");
    expect(judge.excluded).toEqual(ADVERSARIAL);
    const heldOutFlagged = first.summary.routers[0]!.items - flagged.policies![0]!.items.withoutFlagged;
    expect(excluded.summary.split.heldOut).toBe(first.summary.split.heldOut - heldOutFlagged);
    for (const r of excluded.summary.routers) {
      const p = judge.policies!.find((x) => x.id === r.id)!;
      // The official figure is now the one without the dataset's flagged items.
      expect(r.quality.mean).toBeCloseTo(p.withoutFlagged!, 12);
    }
  }, 120_000);
});
