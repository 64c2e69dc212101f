import { keyEchoReply, presentedCredential } from "../devkit/fake-provider/key-echo.ts";
import { estimatedInput, wireMaxTokens, wireMessages } from "../devkit/fake-provider/over-count.ts";
import {
  type FakeProvider,
  lastUserText,
  type RecordedRequest,
  type Reply,
  startFakeProvider,
} from "../devkit/fake-provider/server.ts";
import { errorReply, replyFor, type WireProvider } from "../devkit/fake-provider/wire.ts";
import { worstCase } from "../src/collect/worst-case.ts";
import type { ChatRequest } from "../src/core/types.ts";
import { costOfUsage } from "../src/pricing/cost.ts";
import { defaultPriceBook } from "../src/pricing/price-book.ts";

// The local fake provider with every fault mode of issue 10, and the server-side books the chaos
// suite checks routegate against: what each request would have been billed, which answers were
// delivered, and which requests paid again for an answer the store already held.

export const FAULTS = [
  "rate-limit",
  "server-500",
  "overloaded-529",
  "hang",
  "drip",
  "drip-past-deadline",
  "truncated",
  "garbage",
  "huge",
  "error-in-200",
  "echo-4xx",
  "echo-200-error",
  "echo-200-answer",
] as const;
export type Fault = (typeof FAULTS)[number];

/** What one trial asks of the server. */
export interface TrialScript {
  seed: number;
  /** Probability of each fault per request (the rest are answered). */
  faults: Partial<Record<Fault, number>>;
  /** Input tokens reported, as a multiple of routegate's own estimate (1: exact). */
  overCount?: number;
  /** Answer every request with all of its max tokens (the budget's worst case). */
  fullOutput?: boolean;
  delayMs?: number;
  /**
   * Whether an answer sent whole to one process counts as paid again when another asks for it
   * (false where a process was killed: it may have died before storing what it received).
   */
  deliveredIsFinal: boolean;
  /** True when the store already holds a successful answer for (model id, item id). */
  stored: (modelId: string, itemId: string) => boolean;
}

export interface TrialBooks {
  requests: number;
  billedUsd: number;
  /** The largest amount one billed request cost beyond the worst case routegate reserves for it. */
  maxExcessUsd: number;
  callsRepeated: number;
  faults: Partial<Record<Fault | "ok", number>>;
  /** "model item" of every whole answer sent back: each must end up in the store. */
  delivered: string[];
  /** The requests counted in callsRepeated, and why: already stored, or already sent whole. */
  repeats: string[];
}

const PRICES = defaultPriceBook();
const ECHO_USAGE = { prompt: 40, output: 8 };
const DRIP = { dripChunks: 4, dripMs: 60 };
const DRIP_PAST_DEADLINE = { dripChunks: 8, dripMs: 500 };

export interface ChaosServer {
  readonly fake: FakeProvider;
  /** Starts a run's books. */
  begin(script: TrialScript): void;
  end(): TrialBooks;
  close(): Promise<void>;
}

/** Requests made to every server of the suite, against the suite's bound. */
export interface RequestBound {
  total: number;
  readonly limit: number;
}

/** One trial's server (trials run side by side, each with its own). */
export async function startChaosServer(bound: RequestBound): Promise<ChaosServer> {
  const fake = await startFakeProvider();
  let script: TrialScript | undefined;
  let books: TrialBooks = emptyBooks();
  /** Whole answers sent, by "model item": the fault they went out under and the client (its key). */
  let delivered = new Map<string, { fault: string; client: string }>();

  fake.setResponder((req) => {
    bound.total++;
    books.requests++;
    if (bound.total > bound.limit || !script || req.provider === "unknown") {
      return { status: 503, body: { error: { message: "chaos: request limit reached" } } };
    }
    const provider = req.provider as WireProvider;
    const modelId = `${provider}:${req.model ?? ""}`;
    const itemId = /\[item (q\d+)\]/.exec(lastUserText(provider, req.body))?.[1] ?? "";
    const key = `${modelId} ${itemId}`;
    // Paid again: an answer the store already holds, or one already sent whole to another
    // process (runs side by side, each with its own key). A process's own retry after its
    // deadline may follow an answer sent whole that it never finished reading: not counted.
    const client = presentedCredential(req);
    const storedOk = script.stored(modelId, itemId);
    const earlier = delivered.get(key);
    if (storedOk || (script.deliveredIsFinal && earlier && earlier.client !== client)) {
      books.callsRepeated++;
      books.repeats.push(`${key} (${storedOk ? "stored" : `sent to another run as ${earlier?.fault}`})`);
    }

    const fault = pick(script, books.requests, bound.total);
    books.faults[fault] = (books.faults[fault] ?? 0) + 1;
    const answer = answerFor(req, provider, script, fault === "huge");
    const reply = faultReply(fault, req, provider, answer.body);
    // The key-echo answer reports its own usage (test/fake-provider/key-echo.ts).
    if (reply.billed) billFor(req, provider, modelId, fault === "echo-200-answer" ? ECHO_USAGE : answer.usage);
    if (reply.delivers && !delivered.has(key)) {
      delivered.set(key, { fault, client });
      books.delivered.push(key);
    }
    return { ...reply.reply, ...(script.delayMs && !reply.reply.hang ? { delayMs: script.delayMs } : {}) };
  });

  function billFor(req: RecordedRequest, provider: WireProvider, modelId: string, usage: AnswerUsageOf): void {
    const spec = { id: modelId, provider, model: req.model ?? "" } as const;
    const pricing = PRICES.priceFor(spec);
    const usd = costOfUsage(
      {
        input: { noCache: usage.prompt, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0 },
        output: { text: usage.output, reasoning: 0 },
      },
      pricing,
    );
    const request: ChatRequest = { messages: wireMessages(req), maxTokens: wireMaxTokens(req) };
    books.billedUsd += usd;
    books.maxExcessUsd = Math.max(books.maxExcessUsd, usd - worstCase(request, pricing, provider).costUsd);
  }

  return {
    fake,
    begin(s) {
      script = s;
      books = emptyBooks();
      delivered = new Map();
    },
    end() {
      script = undefined;
      return books;
    },
    close: () => fake.close(),
  };
}

interface AnswerUsageOf {
  prompt: number;
  output: number;
}

function emptyBooks(): TrialBooks {
  return { requests: 0, billedUsd: 0, maxExcessUsd: 0, callsRepeated: 0, faults: {}, delivered: [], repeats: [] };
}

/**
 * The fault for a trial's `nth` request: each listed fault once, in turn, for the first requests
 * (so every mode a trial names is exercised), then a seeded draw by the listed probabilities.
 */
function pick(script: TrialScript, nth: number, n: number): Fault | "ok" {
  const listed = Object.keys(script.faults) as Fault[];
  if (nth <= listed.length) return listed[nth - 1]!;
  let x = (script.seed * 2654435761 + n * 40503) >>> 0;
  x ^= x << 13;
  x ^= x >>> 17;
  x ^= x << 5;
  let u = (x >>> 0) / 2 ** 32;
  for (const [fault, p] of Object.entries(script.faults) as Array<[Fault, number]>) {
    if (u < p) return fault;
    u -= p;
  }
  return "ok";
}

function answerFor(req: RecordedRequest, provider: WireProvider, script: TrialScript, huge: boolean) {
  const usage: AnswerUsageOf = {
    prompt: Math.ceil((script.overCount ?? 1) * estimatedInput(req)),
    output: script.fullOutput ? wireMaxTokens(req) : 2,
  };
  // A huge body: megabytes of answer text, which routegate must store and read back whole.
  const text = huge ? `ok ${"padding ".repeat(400_000)}`.trim() : "ok";
  return { usage, body: replyFor(provider, { text, usage: { ...usage, cached: 0 }, model: req.model }) };
}

interface FaultReply {
  reply: Reply;
  /** The provider did the work and bills it (what reached routegate or not). */
  billed: boolean;
  /** A whole, valid answer went back: paying for it again would be paying twice. */
  delivers: boolean;
}

function faultReply(fault: Fault | "ok", req: RecordedRequest, provider: WireProvider, body: unknown): FaultReply {
  const answered = { body };
  switch (fault) {
    case "ok":
    case "huge":
      return { reply: answered, billed: true, delivers: true };
    case "rate-limit":
      return {
        reply: errorReply(provider, 429, "slow down", { "retry-after-ms": "150" }),
        billed: false,
        delivers: false,
      };
    case "server-500":
      return { reply: errorReply(provider, 500, "internal error"), billed: false, delivers: false };
    case "overloaded-529":
      return { reply: errorReply(provider, 529, "overloaded"), billed: false, delivers: false };
    case "hang":
      return { reply: { hang: true }, billed: true, delivers: false };
    case "drip":
      return { reply: { ...answered, ...DRIP }, billed: true, delivers: true };
    case "drip-past-deadline":
      return { reply: { ...answered, ...DRIP_PAST_DEADLINE }, billed: true, delivers: false };
    case "truncated":
      return { reply: { ...answered, truncateAt: 0.6 }, billed: true, delivers: false };
    case "garbage":
      return { reply: { raw: '{"choices": [{"message": {"content": "o' }, billed: true, delivers: false };
    case "error-in-200":
      return {
        reply: { body: errorReply(provider, 500, "an error object in a 200").body },
        billed: false,
        delivers: false,
      };
    case "echo-4xx":
      return { reply: keyEchoReply(req, provider, "4xx"), billed: false, delivers: false };
    case "echo-200-error":
      return { reply: keyEchoReply(req, provider, "200-error"), billed: false, delivers: false };
    case "echo-200-answer":
      return { reply: keyEchoReply(req, provider, "200-answer"), billed: true, delivers: true };
  }
}
