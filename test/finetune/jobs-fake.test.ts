import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type FakeProvider, startFakeProvider } from "../../devkit/fake-provider/server.ts";
import { readCandidates } from "../../src/finetune/candidates.ts";
import { openaiJobsClient } from "../../src/finetune/openai-jobs.ts";
import { type FollowOptions, follow, submit } from "../../src/finetune/run-finetune.ts";
import { defaultTrainingRates } from "../../src/pricing/training-rates.ts";
import { createOpenAIProvider } from "../../src/providers/openai/chat.ts";
import { OutcomeStore } from "../../src/store/outcome-store.ts";
import { tempDir } from "../e2e/cli.ts";

// `finetune submit` and `status` through the official openai SDK against the local fake server:
// upload, job create, polls, success (the ft: model registered with the cost of the tokens the job
// reported) and failure, resumption from the store after a restart, and the refusals that must
// stop before anything is uploaded.

const BASE = "gpt-4.1-mini-2025-04-14";
let fake: FakeProvider;

beforeAll(async () => {
  fake = await startFakeProvider();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => fake.reset());

function trainingFile(dir: string, n = 12): string {
  const file = join(dir, "train.jsonl");
  const lines = Array.from({ length: n }, (_, i) =>
    JSON.stringify({
      messages: [
        { role: "system", content: "Answer with the capital only." },
        { role: "user", content: `What is the capital of country number ${i}?` },
        { role: "assistant", content: `City ${i}` },
      ],
    }),
  );
  writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
}

/** Whitespace words of every message, the fake's own trained-token count per epoch. */
function fakeWords(file: string): number {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .flatMap((l) => (JSON.parse(l) as { messages: { content: string }[] }).messages)
    .reduce((n, m) => n + m.content.split(/\s+/).filter(Boolean).length, 0);
}

function options(dir: string, store: OutcomeStore, wait = true): FollowOptions & { lines: string[] } {
  const lines: string[] = [];
  return {
    store,
    client: () => openaiJobsClient({ OPENAI_API_KEY: "sk-test-finetune-0000", OPENAI_BASE_URL: fake.openaiBaseUrl }),
    rates: defaultTrainingRates(),
    candidates: join(dir, "finetuned.json"),
    wait,
    pollMs: 1,
    say: (l) => lines.push(l),
    lines,
  };
}

const posts = (path: string) => fake.requests.filter((r) => r.method === "POST" && r.path === path);

describe("finetune submit against the fake server", () => {
  it("uploads, starts the job with the epochs, polls to success and registers the model with the reported cost", async () => {
    const dir = tempDir("rg-ft-");
    const file = trainingFile(dir);
    const store = OutcomeStore.open(join(dir, "s.sqlite"));
    fake.fineTuning.pollsBeforeDone = 2;
    const o = options(dir, store);
    const job = await submit({
      ...o,
      file,
      base: BASE,
      eval: "caps",
      epochs: 2,
      maxCostUsd: 1,
      yes: true,
      suffix: "caps",
    });

    expect(posts("/v1/files")).toHaveLength(1);
    const create = posts("/v1/fine_tuning/jobs");
    expect(create).toHaveLength(1);
    expect(create[0]!.body).toMatchObject({
      model: BASE,
      training_file: "file-1",
      suffix: "caps",
      method: { type: "supervised", supervised: { hyperparameters: { n_epochs: 2 } } },
    });
    expect(fake.fineTuning.polls.get(job.jobId)).toBe(3);
    expect(job.status).toBe("succeeded");
    const trained = fakeWords(file) * 2;
    expect(job.trainedTokens).toBe(trained);
    // The actual cost is the job's trained tokens at the table's gpt-4.1-mini rate ($5 per 1M).
    expect(job.trainingCostUsd).toBeCloseTo((trained * 5) / 1e6, 12);
    expect(o.lines[0]).toMatch(/^estimated training cost: 12 examples, .* x 2 epochs .* = \$/);

    const [candidate] = readCandidates(o.candidates);
    expect(candidate).toEqual({
      id: `ft-caps-${job.jobId.slice(-6)}`,
      provider: "openai",
      model: job.fineTunedModel,
      fineTune: { baseModel: BASE, trainingCostUsd: job.trainingCostUsd },
    });
    expect(candidate!.model).toMatch(/^ft:gpt-4\.1-mini-2025-04-14:fake-org:caps:/);

    // The registered model then answers through the same SDK, by its ft: name.
    const provider = createOpenAIProvider({
      env: { OPENAI_API_KEY: "sk-test-finetune-0000", OPENAI_BASE_URL: fake.openaiBaseUrl },
    });
    const reply = await provider.complete(
      candidate!,
      { messages: [{ role: "user", content: "capital?" }], maxTokens: 8 },
      {
        identity: { itemId: "q1", role: "answer", sample: 0, parents: [] },
      },
    );
    expect(reply.text).toBe("ok");
    expect(posts("/v1/chat/completions").at(-1)!.model).toBe(candidate!.model);
    store.close();
  });

  it("records a failed job with the provider's error and registers nothing", async () => {
    const dir = tempDir("rg-ft-");
    const file = trainingFile(dir);
    const store = OutcomeStore.open(join(dir, "s.sqlite"));
    fake.fineTuning.outcome = "failed";
    const o = options(dir, store);
    const job = await submit({ ...o, file, base: BASE, eval: "caps", epochs: 3, maxCostUsd: 1, yes: true });
    expect(job.status).toBe("failed");
    expect(job.error).toMatch(/invalid_training_file: The fake rejected the training file/);
    expect(job.fineTunedModel).toBeNull();
    expect(readCandidates(o.candidates)).toEqual([]);
    store.close();
  });

  it("resumes polling from the store after a restart, without a second upload or job", async () => {
    const dir = tempDir("rg-ft-");
    const file = trainingFile(dir);
    const path = join(dir, "s.sqlite");
    fake.fineTuning.pollsBeforeDone = 3;
    const first = OutcomeStore.open(path);
    const started = await submit({
      ...options(dir, first, false),
      file,
      base: BASE,
      eval: "caps",
      epochs: 3,
      maxCostUsd: 1,
      yes: true,
    });
    expect(started.status).toBe("queued");
    first.close(); // the process goes away with the job still running

    const second = OutcomeStore.open(path);
    expect(second.fineTuneJobs.open().map((j) => j.jobId)).toEqual([started.jobId]);
    const o = options(dir, second);
    const [done] = await follow(second.fineTuneJobs.all(), o);
    expect(done!.status).toBe("succeeded");
    expect(readCandidates(o.candidates).map((c) => c.model)).toEqual([done!.fineTunedModel]);
    expect(posts("/v1/files")).toHaveLength(1);
    expect(posts("/v1/fine_tuning/jobs")).toHaveLength(1);

    // The same file again is refused: a second job would be billed again.
    await expect(
      submit({ ...options(dir, second), file, base: BASE, eval: "caps", epochs: 3, maxCostUsd: 1, yes: true }),
    ).rejects.toThrow(/already started job ftjob-/);
    expect(posts("/v1/fine_tuning/jobs")).toHaveLength(1);
    second.close();
  });

  it.each([
    ["no --max-cost", { maxCostUsd: undefined, yes: true }, /--max-cost.*not given/],
    ["an estimate over --max-cost", { maxCostUsd: 0.000001, yes: true }, /over --max-cost/],
    ["no --yes", { maxCostUsd: 1, yes: false }, /--yes.*nothing was uploaded/],
  ])("stops before any upload on %s, after printing the estimate", async (_name, gate, message) => {
    const dir = tempDir("rg-ft-");
    const store = OutcomeStore.open(join(dir, "s.sqlite"));
    const o = options(dir, store);
    await expect(
      submit({ ...o, file: trainingFile(dir), base: BASE, eval: "caps", epochs: 3, ...gate }),
    ).rejects.toThrow(message);
    expect(o.lines[0]).toMatch(/^estimated training cost:/);
    expect(fake.requests).toHaveLength(0);
    expect(store.fineTuneJobs.all()).toEqual([]);
    store.close();
  });

  it("refuses a base model without a training rate, and a file with too few examples", async () => {
    const dir = tempDir("rg-ft-");
    const store = OutcomeStore.open(join(dir, "s.sqlite"));
    const o = options(dir, store);
    await expect(
      submit({ ...o, file: trainingFile(dir), base: "davinci-002", eval: "caps", epochs: 3, maxCostUsd: 1, yes: true }),
    ).rejects.toThrow(/no training rate for base model "davinci-002"/);
    await expect(
      submit({ ...o, file: trainingFile(dir, 5), base: BASE, eval: "caps", epochs: 3, maxCostUsd: 1, yes: true }),
    ).rejects.toThrow(/5 examples; OpenAI fine-tuning needs at least 10/);
    expect(fake.requests).toHaveLength(0);
    store.close();
  });
});
