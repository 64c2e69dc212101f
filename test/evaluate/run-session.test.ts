import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { resolveEval } from "../../src/config/load-eval.ts";
import { RunError } from "../../src/core/errors.ts";
import { runSession, type SessionOptions } from "../../src/evaluate/session/run-session.ts";
import { defaultPriceBook } from "../../src/pricing/price-book.ts";
import { createProviderRegistry } from "../../src/providers/registry.ts";
import type { EvalReport, RunReporter } from "../../src/reporters/reporter.ts";
import { OutcomeStore } from "../../src/store/outcome-store.ts";

// The run session (what `routegate eval`, the benchmarks and the importers share): the run recorded
// in the store, the error-share check, the cost plan as a report section, and reporters as hooks.

const items = Array.from({ length: 20 }, (_, i) => ({ id: `q${i}`, input: `Capital ${i}?`, expected: `C${i}` }));

function setup(extra: Record<string, unknown> = {}) {
  const dir = mkdtempSync(join(tmpdir(), "rg-session-"));
  writeFileSync(join(dir, "items.jsonl"), `${items.map((i) => JSON.stringify(i)).join("\n")}\n`);
  const config = resolveEval(
    { name: "caps", dataset: "items.jsonl", models: ["sim:cheap", "sim:flagship"], scorer: "exact", ...extra },
    join(dir, "caps.eval.ts"),
    dir,
  );
  const storePath = join(dir, "s.sqlite");
  const store = OutcomeStore.open(storePath);
  const opts: SessionOptions = {
    store,
    registry: createProviderRegistry(),
    prices: defaultPriceBook(),
    reportsDir: join(dir, "reports"),
    offline: false,
    concurrency: 4,
    progress: () => ({ start() {}, tick() {}, stop() {} }),
  };
  const runs = () => {
    const db = new Database(storePath, { readonly: true });
    try {
      return db.prepare("SELECT run_id, eval, status, provider_calls FROM runs ORDER BY started_at").all() as Array<{
        run_id: string;
        eval: string;
        status: string;
        provider_calls: number;
      }>;
    } finally {
      db.close();
    }
  };
  return { dir, config, store, opts, runs };
}

/** A reporter that writes down every hook it sees, and whether the run folder existed then. */
function spy() {
  const seen: string[] = [];
  const reports: EvalReport[] = [];
  const reporter: RunReporter = {
    onRunStart: (evals) => {
      seen.push(`start ${evals.join(",")}`);
    },
    onEvalEnd: (report) => {
      reports.push(report);
      seen.push(`eval ${report.summary.eval} ${report.dir !== null && existsSync(report.dir) ? "dir" : "no-dir"}`);
    },
    onRunEnd: (all) => {
      seen.push(`end ${all.length}`);
    },
  };
  return { seen, reports, reporter };
}

describe("runSession", () => {
  it("records each run in the store and calls every reporter hook in order, with the summary and the run folder", async () => {
    const { dir, config, store, opts, runs } = setup();
    const a = spy();
    const b = spy();
    try {
      const out = await runSession(
        [
          { config, runId: "r1" },
          { config: { ...config, name: "caps2" }, runId: "r2" },
        ],
        {
          ...opts,
          reporters: [a.reporter, b.reporter],
        },
      );
      expect(out.exitCode).toBe(0);
      expect(a.seen).toEqual(["start caps,caps2", "eval caps dir", "eval caps2 dir", "end 2"]);
      expect(b.seen).toEqual(a.seen);
      expect(a.reports[0]!.dir).toBe(join(dir, "reports", "caps", "r1"));
      expect(a.reports[0]!.summary.runId).toBe("r1");
      expect(out.runs.map((r) => r.result.summary.eval)).toEqual(["caps", "caps2"]);
      expect(runs().map((r) => [r.run_id, r.eval, r.status])).toEqual([
        ["r1", "caps", "passed"],
        ["r2", "caps2", "passed"],
      ]);
      // The second eval asks for the same outcomes: the store answers them.
      expect(runs()[0]!.provider_calls).toBe(40);
      expect(runs()[1]!.provider_calls).toBe(0);
    } finally {
      store.close();
    }
  });

  it("refreshes latest/ from the run folder once the reporters wrote into it", async () => {
    const { dir, config, store, opts } = setup();
    const writer: RunReporter = {
      onEvalEnd: (report) => writeFileSync(join(report.dir!, "note.txt"), report.summary.runId),
    };
    try {
      await runSession([{ config, runId: "r1" }], { ...opts, reporters: [writer] });
      expect(readFileSync(join(dir, "reports", "caps", "latest", "note.txt"), "utf8")).toBe("r1");
    } finally {
      store.close();
    }
  });

  it("renders the cost plan with the report: in report.md, report.html and whatever a reporter reads", async () => {
    const { dir, config, store, opts } = setup();
    const traffic = join(dir, "traffic.json");
    writeFileSync(traffic, JSON.stringify({ features: [{ name: "caps", requestsPerMonth: 10_000 }] }));
    const a = spy();
    try {
      await runSession([{ config: { ...config, traffic }, runId: "r1" }], { ...opts, reporters: [a.reporter] });
      const report = a.reports[0]!;
      expect(report.sections.map((s) => s.id)).toEqual(["cost-plan"]);
      expect(report.markdown()).toMatch(/\n\n## Cost plan: caps\n/);
      expect(report.html()).toMatch(/<section id="cost-plan">[\s\S]*<\/section>\n<\/main>/);
    } finally {
      store.close();
    }
  });

  it("checks every eval's inputs before it opens the store: a bad traffic profile is refused before any call", async () => {
    const { dir, config, store, opts, runs } = setup();
    const traffic = join(dir, "traffic.json");
    writeFileSync(traffic, JSON.stringify({ features: [{ name: "caps", requestsPerMonth: "lots" }] }));
    let opened = false;
    const open = () => {
      opened = true;
      return store;
    };
    try {
      // The first eval is fine; the second's profile is not: nothing runs, the store is never opened.
      const evals = [{ config }, { config: { ...config, name: "caps2", traffic } }];
      await expect(runSession(evals, { ...opts, store: open })).rejects.toThrow(/requestsPerMonth/);
      expect(opened).toBe(false);
      expect(store.count()).toBe(0);
      expect(runs()).toEqual([]);
    } finally {
      store.close();
    }
  });

  it("a run with too many failed outcomes is reported, recorded and fails with exit 3; a failed run is recorded and thrown", async () => {
    const { dir, store, opts, runs } = setup();
    const outcomes = join(dir, "outcomes.jsonl");
    const lines = items.map((item, i) =>
      JSON.stringify(
        i < 4
          ? { itemId: item.id, model: "m", output: "", error: "upstream 500", costUsd: 0 }
          : { itemId: item.id, model: "m", output: item.expected, costUsd: 0.001 },
      ),
    );
    writeFileSync(outcomes, `${lines.join("\n")}\n`);
    const config = resolveEval(
      { name: "flaky", dataset: "items.jsonl", models: [`replay:m@${outcomes}`], scorer: "exact" },
      join(dir, "flaky.eval.ts"),
      dir,
    );
    const a = spy();
    const log: string[] = [];
    try {
      const out = await runSession([{ config, runId: "f1" }], {
        ...opts,
        offline: true,
        reporters: [a.reporter],
        log: (l) => log.push(l),
      });
      expect(out.exitCode).toBe(3);
      expect(out.runs[0]!.tooManyErrors).toBeInstanceOf(RunError);
      expect(log.join("\n")).toMatch(/4 of 20 outcomes are errors \(20\.0%\), above --max-error-share 0\.1/);
      expect(a.seen).toEqual(["start flaky", "eval flaky dir", "end 1"]);
      expect(runs().map((r) => r.status)).toEqual(["too-many-errors"]);

      const tolerant = await runSession([{ config, runId: "f2" }], { ...opts, offline: true, maxErrorShare: 0.25 });
      expect(tolerant.exitCode).toBe(0);

      // An item the recorded outcomes lack: the offline run fails (exit 3) and is recorded as failed.
      const missing = resolveEval(
        { name: "gap", dataset: "items.jsonl", models: [`replay:other@${outcomes}`], scorer: "exact" },
        join(dir, "gap.eval.ts"),
        dir,
      );
      const b = spy();
      await expect(
        runSession([{ config: missing, runId: "g1" }], { ...opts, offline: true, reporters: [b.reporter] }),
      ).rejects.toThrow(RunError);
      expect(b.seen).toEqual(["start gap"]);
      expect(runs().find((r) => r.run_id === "g1")?.status).toBe("failed");
    } finally {
      store.close();
    }
  });
});
