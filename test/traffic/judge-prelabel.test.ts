import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeProvider, lastUserText, startFakeProvider } from "../../devkit/fake-provider/server.ts";
import { DatasetLine } from "../../src/contracts/dataset-line.ts";
import { parseLabel } from "../../src/traffic/judge-prelabel.ts";
import { tempDir } from "../e2e/cli.ts";
import { runCli } from "../e2e/cli-in-process.ts";

// `routegate traffic sample --judge MODEL --labels ...`: a judge (the local fake, through the
// OpenAI adapter) proposes a label per line; the proposal is marked as the judge's and `expected`
// stays empty until a person labels the line.

let fake: FakeProvider;
beforeAll(async () => {
  fake = await startFakeProvider();
});
afterAll(async () => {
  await fake.close();
});

const TICKETS = [
  "I was charged twice for my March invoice",
  "the receipt printer will not pair over bluetooth at all",
  "thanks for the great support last week, nothing else",
  "my export crashes with error 500 since the update",
];

describe("traffic sample with judge pre-labels", () => {
  it("marks each proposal as the judge's, leaves expected empty, and counts answers that name no label", async () => {
    const dir = tempDir("rg-prelabel-");
    const log = join(dir, "decisions.jsonl");
    const entries = TICKETS.map((input, i) => ({
      decisionId: `d${i}`,
      route: "triage",
      status: 200,
      chosen: "small",
      inputChars: input.length,
      input,
    }));
    writeFileSync(log, entries.map((e) => `${JSON.stringify(e)}\n`).join(""));
    const seen: string[] = [];
    fake.setAnswerer({
      usage: () => ({ prompt: 80, cached: 0, output: 2 }),
      text: (_u, req) => {
        const user = lastUserText("openai", req.body);
        seen.push(user);
        if (user.includes("charged")) return "Billing.";
        if (user.includes("crashes") || user.includes("printer")) return "technical";
        return "I cannot tell";
      },
    });
    const out = join(dir, "items.jsonl");
    const run = await runCli(
      [
        "traffic",
        "sample",
        "--log",
        log,
        "--n",
        "10",
        "--out",
        out,
        "--judge",
        "openai:gpt-4o",
        "--labels",
        "billing,technical,other",
      ],
      dir,
      { OPENAI_API_KEY: "sk-judge-0001", OPENAI_BASE_URL: fake.openaiBaseUrl },
    );
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/openai:gpt-4o proposed labels for 3 lines .*1 answers named no label, 0 calls failed/);
    const lines = readFileSync(out, "utf8")
      .trim()
      .split("\n")
      .map((l) => DatasetLine.parse(JSON.parse(l)));
    const byInput = new Map(lines.map((l) => [l.input, l]));
    expect(byInput.get(TICKETS[0]!)!.metadata).toMatchObject({
      label: "judge-prelabelled",
      judgeLabel: "billing",
      judgeModel: "openai:gpt-4o",
    });
    expect(byInput.get(TICKETS[1]!)!.metadata).toMatchObject({ label: "judge-prelabelled", judgeLabel: "technical" });
    // No proposal: still a person's to label.
    expect(byInput.get(TICKETS[2]!)!.metadata).toMatchObject({ label: "unlabelled" });
    expect(byInput.get(TICKETS[2]!)!.metadata).not.toHaveProperty("judgeLabel");
    // A proposal is never a label: nothing is scored against it until a person sets `expected`.
    for (const l of lines) expect(l.expected).toBeUndefined();
    // Each request was fenced as data, one judge call per line.
    expect(seen).toHaveLength(TICKETS.length);
    for (const s of seen) expect(s).toMatch(/^----- BEGIN REQUEST [a-p]+ -----\n/);
  });

  it("refuses --judge without labels (exit 2)", async () => {
    const dir = tempDir("rg-prelabel-");
    const log = join(dir, "decisions.jsonl");
    writeFileSync(log, `${JSON.stringify({ decisionId: "d", route: "r", status: 200, inputChars: 2, input: "hi" })}\n`);
    const run = await runCli(
      ["traffic", "sample", "--log", log, "--out", join(dir, "o.jsonl"), "--judge", "openai:gpt-4o"],
      dir,
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--labels: --judge needs the labels it chooses from/);
  });

  it("parses a label from the answer, ignoring case, quotes and a final period", () => {
    const labels = ["billing", "feature_request"];
    expect(parseLabel(' "Feature_Request". ', labels)).toBe("feature_request");
    expect(parseLabel("billing or technical", labels)).toBeUndefined();
  });
});
