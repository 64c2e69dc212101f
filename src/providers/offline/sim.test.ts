import { describe, expect, it } from "vitest";
import { InputError } from "../../core/errors.ts";
import type { ChatRequest, Expected, Item, ProviderResult, Role } from "../../core/types.ts";
import { countChatTokens, countTokens } from "../tokens.ts";
import { createSimProvider, simDifficulty } from "./sim.ts";
import { type SimProfileName, simModelSpec } from "./sim-profiles.ts";

const sim = createSimProvider();
const ask = (content: string, extra: Partial<ChatRequest> = {}): ChatRequest => ({
  messages: [
    { role: "system", content: "Solve the problem. End with #### <answer>." },
    { role: "user", content },
  ],
  maxTokens: 2000,
  ...extra,
});

function call(
  profile: SimProfileName,
  item: Item,
  opts: {
    role?: Role;
    sample?: number;
    request?: ChatRequest;
    answerSpace?: Expected[];
    parents?: string[];
    provider?: typeof sim;
  } = {},
): Promise<ProviderResult> {
  return (opts.provider ?? sim).complete(simModelSpec(profile), opts.request ?? ask(String(item.input)), {
    identity: { itemId: item.id, role: opts.role ?? "answer", sample: opts.sample ?? 0, parents: opts.parents ?? [] },
    item,
    ...(opts.answerSpace ? { answerSpace: opts.answerSpace } : {}),
  });
}

const LEVELS = ["easy", "medium", "hard"] as const;
/** 300 numeric items per difficulty level. */
const items: Item[] = LEVELS.flatMap((difficulty) =>
  Array.from({ length: 300 }, (_, i) => ({
    id: `${difficulty}-${i}`,
    input: `Question ${i}: how many apples?`,
    expected: 7 + ((i * 13) % 90),
    metadata: { difficulty },
  })),
);
const isRight = (r: ProviderResult, item: Item) => r.text.trimEnd().endsWith(`\n#### ${item.expected}`);

async function correctness(profile: SimProfileName, set: Item[] = items): Promise<boolean[]> {
  return Promise.all(set.map(async (item) => isRight(await call(profile, item), item)));
}

function accuracy(flags: boolean[], set: Item[] = items, level?: string): number {
  const picked = flags.filter((_, i) => level === undefined || set[i]!.metadata?.["difficulty"] === level);
  return picked.filter(Boolean).length / picked.length;
}

describe("sim determinism", () => {
  it("answers the same request identically, whatever the call order or concurrency", async () => {
    const subset = items.slice(280, 320);
    const forward = await Promise.all(subset.map((item) => call("mid", item)));
    const backward: ProviderResult[] = [];
    for (const item of [...subset].reverse()) backward.unshift(await call("mid", item));
    expect(backward).toEqual(forward);
    expect(await call("mid", subset[0]!)).toEqual(forward[0]);
  });

  it("a different seed changes outcomes and the snapshot", async () => {
    const other = createSimProvider({ seed: "other" });
    const subset = items.slice(300, 400);
    const a = await Promise.all(subset.map((item) => call("cheap", item)));
    const b = await Promise.all(subset.map((item) => call("cheap", item, { provider: other })));
    const differing = a.filter((r, i) => r.text !== b[i]!.text).length;
    expect(differing).toBeGreaterThan(10);
    expect(sim.snapshot(simModelSpec("cheap"))).toBe("sim-cheap-2026-11");
    expect(other.snapshot(simModelSpec("cheap"))).toBe("sim-cheap-2026-11+seed.other");
    expect(b[0]!.snapshot).toBe("sim-cheap-2026-11+seed.other");
  });

  it("samples vary a little: the same item is not always identical across sample indices", async () => {
    const subset = items.slice(300, 600);
    const s0 = await Promise.all(subset.map((item) => call("cheap", item, { sample: 0 })));
    const s1 = await Promise.all(subset.map((item) => call("cheap", item, { sample: 1 })));
    const flips = subset.filter((item, i) => isRight(s0[i]!, item) !== isRight(s1[i]!, item)).length / subset.length;
    expect(flips).toBeGreaterThan(0.03);
    expect(flips).toBeLessThan(0.4);
  });

  it("is offline and rejects unknown profiles", () => {
    expect(sim.offline).toBe(true);
    expect(() => sim.snapshot({ id: "sim:huge", provider: "sim", model: "huge" })).toThrow(InputError);
    expect(() => sim.snapshot({ id: "sim:huge", provider: "sim", model: "huge" })).toThrow(/sim:cheap, sim:mid/);
  });
});

describe("sim accuracy", () => {
  it("orders cheap < mid < flagship on every level, each within a sensible band", async () => {
    const bands: Record<string, Record<(typeof LEVELS)[number], [number, number]>> = {
      selfhosted: { easy: [0.68, 0.86], medium: [0.32, 0.52], hard: [0.07, 0.22] },
      cheap: { easy: [0.76, 0.92], medium: [0.45, 0.65], hard: [0.13, 0.3] },
      mid: { easy: [0.85, 0.97], medium: [0.63, 0.82], hard: [0.28, 0.48] },
      flagship: { easy: [0.92, 1], medium: [0.8, 0.95], hard: [0.52, 0.72] },
      reasoning: { easy: [0.94, 1], medium: [0.86, 0.98], hard: [0.62, 0.82] },
    };
    const measured: Record<string, Record<string, number>> = {};
    for (const [profile, band] of Object.entries(bands)) {
      const flags = await correctness(profile as SimProfileName);
      measured[profile] = {};
      for (const level of LEVELS) {
        const acc = accuracy(flags, items, level);
        measured[profile][level] = acc;
        expect(acc, `${profile} ${level}`).toBeGreaterThanOrEqual(band[level][0]);
        expect(acc, `${profile} ${level}`).toBeLessThanOrEqual(band[level][1]);
      }
    }
    for (const level of LEVELS) {
      expect(measured["cheap"]![level]!).toBeLessThan(measured["mid"]![level]!);
      expect(measured["mid"]![level]!).toBeLessThan(measured["flagship"]![level]!);
    }
  });

  it("errors overlap realistically: weak right where strong is wrong on 2-15% of items", async () => {
    const cheap = await correctness("cheap");
    const mid = await correctness("mid");
    const flagship = await correctness("flagship");
    const share = (w: boolean[], s: boolean[]) => w.filter((ok, i) => ok && !s[i]).length / w.length;
    for (const [w, s] of [
      [cheap, flagship],
      [cheap, mid],
      [mid, flagship],
    ] as const) {
      expect(share(w, s)).toBeGreaterThanOrEqual(0.02);
      expect(share(w, s)).toBeLessThanOrEqual(0.15);
    }
    // ... and the stronger model is usually right where the weaker one is.
    const both = cheap.filter((ok, i) => ok && flagship[i]).length / cheap.filter(Boolean).length;
    expect(both).toBeGreaterThan(0.85);
  });

  it("makes adversarial items harder, more so for weaker profiles", async () => {
    const plain = items.filter((i) => i.metadata?.["difficulty"] === "medium");
    const adversarial = plain.map((i) => ({ ...i, metadata: { ...i.metadata, adversarial: true } }));
    const drop = async (p: SimProfileName) =>
      accuracy(await correctness(p, plain), plain) - accuracy(await correctness(p, adversarial), adversarial);
    const cheapDrop = await drop("cheap");
    const flagshipDrop = await drop("flagship");
    expect(cheapDrop).toBeGreaterThan(0.15);
    expect(flagshipDrop).toBeGreaterThan(0);
    expect(cheapDrop).toBeGreaterThan(flagshipDrop + 0.1);
  });

  it("the fine-tuned profile beats the flagship on triage items and trails mid elsewhere", async () => {
    const medium = items.filter((i) => i.metadata?.["difficulty"] === "medium");
    const triage = medium.map((i) => ({ ...i, metadata: { ...i.metadata, feature: "triage" } }));
    expect(accuracy(await correctness("finetuned", triage), triage)).toBeGreaterThan(
      accuracy(await correctness("flagship", triage), triage),
    );
    expect(accuracy(await correctness("finetuned", medium), medium)).toBeLessThan(
      accuracy(await correctness("mid", medium), medium),
    );
  });
});

describe("sim difficulty", () => {
  it("reads labels and numbers, derives it from length when absent, rejects nonsense", () => {
    const req = ask("x");
    expect(simDifficulty({ id: "a", input: "x", metadata: { difficulty: "hard" } }, req)).toBe(2);
    expect(simDifficulty({ id: "a", input: "x", metadata: { difficulty: 0.3 } }, req)).toBe(0.3);
    const short = simDifficulty({ id: "a", input: "What is 2 + 2?" }, req);
    const long = simDifficulty({ id: "a", input: "A long word problem with many steps. ".repeat(30) }, req);
    expect(long).toBeGreaterThan(short + 1);
    expect(() => simDifficulty({ id: "a", input: "x", metadata: { difficulty: "brutal" } }, req)).toThrow(InputError);
  });
});

describe("sim output", () => {
  it("renders numbers as a worked solution ending `#### n`, and wrong ones with a different number", async () => {
    const results = await Promise.all(
      items.slice(600, 700).map(async (item) => ({ item, r: await call("cheap", item) })),
    );
    for (const { item, r } of results) {
      const final = /#### (-?[\d.]+)\s*$/.exec(r.text);
      expect(final, r.text).not.toBeNull();
      expect(r.text.split("\n").length).toBeGreaterThan(2);
      if (!isRight(r, item)) expect(Number(final![1])).not.toBe(item.expected);
    }
    expect(results.some(({ item, r }) => !isRight(r, item))).toBe(true);
  });

  it("renders strings as themselves, wrong ones from the answer space", async () => {
    const space = ["billing", "bug", "feature", "other"];
    const set: Item[] = Array.from({ length: 200 }, (_, i) => ({
      id: `s${i}`,
      input: "Classify this ticket.",
      expected: space[i % 4]!,
      metadata: { difficulty: "hard" },
    }));
    const out = await Promise.all(set.map((item) => call("cheap", item, { answerSpace: space })));
    const right = out.filter((r, i) => r.text === set[i]!.expected).length;
    expect(right).toBeGreaterThan(20);
    expect(right).toBeLessThan(100);
    for (const r of out) expect(space).toContain(r.text);
  });

  it("renders objects as JSON (fenced sometimes for cheap) and corrupts 1-2 fields when wrong", async () => {
    const expected = { name: "Ada Lovelace", born: "1815-12-10", children: 3, title: null };
    const set: Item[] = Array.from({ length: 200 }, (_, i) => ({
      id: `o${i}`,
      input: "Extract.",
      expected,
      metadata: { difficulty: "hard" },
    }));
    const out = await Promise.all(set.map((item) => call("cheap", item)));
    let fenced = 0;
    let wrong = 0;
    for (const r of out) {
      const isFenced = r.text.startsWith("```json\n");
      if (isFenced) fenced++;
      const body = isFenced ? r.text.slice(8, -4) : r.text;
      const parsed = JSON.parse(body) as Record<string, unknown>;
      const changed = Object.keys(expected).filter(
        (k) => JSON.stringify(parsed[k]) !== JSON.stringify(expected[k as keyof typeof expected]),
      );
      expect(changed.length).toBeLessThanOrEqual(2);
      if (changed.length > 0) wrong++;
    }
    expect(fenced).toBeGreaterThan(20);
    expect(fenced).toBeLessThan(120);
    expect(wrong).toBeGreaterThan(100);
    const flagship = await call("flagship", set[0]!);
    expect(flagship.text.startsWith("{")).toBe(true);
  });

  it("classify returns a complexity in [0, 1] that tracks difficulty", async () => {
    const mean = async (level: string) => {
      const set = items.filter((i) => i.metadata?.["difficulty"] === level).slice(0, 150);
      const out = await Promise.all(set.map((item) => call("cheap", item, { role: "classify" })));
      const values = out.map((r) => (JSON.parse(r.text) as { complexity: number }).complexity);
      for (const v of values) expect(v >= 0 && v <= 1).toBe(true);
      return values.reduce((a, b) => a + b, 0) / values.length;
    };
    expect(await mean("hard")).toBeGreaterThan((await mean("easy")) + 0.25);
  });

  it("verify passes correct answers far more often than wrong ones", async () => {
    const set = items.slice(300, 500);
    let passRight = 0;
    let nRight = 0;
    let passWrong = 0;
    let nWrong = 0;
    for (const item of set) {
      const answer = await call("cheap", item);
      const request = ask(
        `Question: ${item.input}\nProposed answer:\n${answer.text}\nIs the answer correct? Reply in JSON.`,
      );
      const v = await call("flagship", item, { role: "verify", request, parents: ["h1"] });
      const verdict = JSON.parse(v.text) as { verdict: string; confidence: number };
      expect(verdict.confidence).toBeGreaterThanOrEqual(0.5);
      expect(verdict.confidence).toBeLessThanOrEqual(1);
      if (isRight(answer, item)) {
        nRight++;
        if (verdict.verdict === "pass") passRight++;
      } else {
        nWrong++;
        if (verdict.verdict === "pass") passWrong++;
      }
    }
    expect(passRight / nRight).toBeGreaterThan(0.75);
    expect(passWrong / nWrong).toBeLessThan(0.3);
  });

  it("logprobs are closer to 0 when the answer is right", async () => {
    const set = items.filter((i) => i.metadata?.["difficulty"] === "medium");
    const out = await Promise.all(set.map((item) => call("cheap", item)));
    const right: number[] = [];
    const wrong: number[] = [];
    out.forEach((r, i) => {
      expect(r.logprobs).toBeDefined();
      expect(r.logprobs!.mean).toBeLessThanOrEqual(0);
      expect(r.logprobs!.min).toBeLessThanOrEqual(r.logprobs!.mean);
      (isRight(r, set[i]!) ? right : wrong).push(r.logprobs!.mean);
    });
    const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(avg(right)).toBeGreaterThan(avg(wrong) + 0.1);
    // An imperfect signal: some wrong answers look more confident than some right ones.
    expect(Math.max(...wrong)).toBeGreaterThan(Math.min(...right));
  });
});

describe("sim usage and latency", () => {
  const item: Item = { id: "u1", input: "q", expected: 12, metadata: { difficulty: "easy" } };

  it("counts input tokens from the rendered request: longer prompt, more input tokens", async () => {
    const short = ask("How many?");
    const long = ask("How many apples are left after the market closes on a rainy day? ".repeat(10));
    const a = await call("cheap", item, { request: short });
    const b = await call("cheap", item, { request: long });
    expect(a.usage.input.noCache).toBe(countChatTokens(short.messages));
    expect(b.usage.input.noCache).toBe(countChatTokens(long.messages));
    expect(b.usage.input.noCache).toBeGreaterThan(a.usage.input.noCache + 100);
    expect(a.usage.output.text).toBe(countTokens(a.text));
    expect(a.usage.output.reasoning).toBe(0);
  });

  it("reads the cache only for a marked prefix of >= 1024 tokens, on most but not all calls", async () => {
    const system = (n: number) => ({ role: "system" as const, content: "Rule: answer exactly. ".repeat(n) });
    const request = (n: number, mark: boolean, id: string): Promise<ProviderResult> =>
      call(
        "cheap",
        { ...item, id },
        {
          request: {
            messages: [system(n), { role: "user", content: `Item ${id}` }],
            maxTokens: 300,
            ...(mark ? { cache: { prefixMessages: 1 } } : {}),
          },
        },
      );
    expect(countTokens(system(150).content)).toBeLessThan(1000);
    expect(countTokens(system(300).content)).toBeGreaterThan(1100);
    const ids = Array.from({ length: 200 }, (_, i) => `c${i}`);
    const small = await Promise.all(ids.map((id) => request(150, true, id)));
    expect(small.every((r) => r.usage.input.cacheRead === 0)).toBe(true);
    const unmarked = await Promise.all(ids.map((id) => request(300, false, id)));
    expect(unmarked.every((r) => r.usage.input.cacheRead === 0)).toBe(true);
    const big = await Promise.all(ids.map((id) => request(300, true, id)));
    const hits = big.filter((r) => r.usage.input.cacheRead > 0);
    expect(hits.length / big.length).toBeGreaterThan(0.82);
    expect(hits.length / big.length).toBeLessThan(0.97);
    const total = countChatTokens([system(300), { role: "user", content: "Item c0" }]);
    for (const r of hits) {
      expect(r.usage.input.cacheRead % 128).toBe(0);
      expect(r.usage.input.cacheRead).toBeGreaterThanOrEqual(1024);
      expect(r.usage.input.cacheRead + r.usage.input.noCache).toBeGreaterThanOrEqual(total - 2);
    }
  });

  it("respects maxTokens, reasoning tokens included", async () => {
    const hard: Item = { id: "m1", input: "q", expected: 5, metadata: { difficulty: "hard" } };
    const capped = await call("flagship", hard, { request: ask("q", { maxTokens: 5 }) });
    expect(capped.usage.output.text).toBeLessThanOrEqual(5);
    expect(capped.text.includes("####")).toBe(false);
    const r = await call("reasoning", hard);
    expect(r.usage.output.reasoning).toBeGreaterThan(300);
    const tight = await call("reasoning", hard, { request: ask("q", { maxTokens: 200 }) });
    expect(tight.usage.output.reasoning + tight.usage.output.text).toBeLessThanOrEqual(200);
    expect(tight.text).toBe("");
  });

  it("cuts the text at a stop sequence", async () => {
    const r = await call("flagship", item, { request: ask("q", { stop: ["####"] }) });
    expect(r.text.includes("####")).toBe(false);
  });

  it("reports deterministic latencies: time to first token plus per-token time", async () => {
    const mean = async (p: SimProfileName) => {
      const out = await Promise.all(items.slice(0, 100).map((it) => call(p, it)));
      for (const r of out) expect(r.latencyMs).toBeGreaterThan(0);
      return out.reduce((a, r) => a + r.latencyMs, 0) / out.length;
    };
    const flagship = await mean("flagship");
    expect(flagship).toBeGreaterThan(await mean("selfhosted"));
    expect(flagship).toBeGreaterThan(400);
    expect(flagship).toBeLessThan(5000);
  });
});
