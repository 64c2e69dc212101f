import { once } from "node:events";
import { createWriteStream, mkdirSync } from "node:fs";
import { join } from "node:path";

/**
 * Seeded synthetic data for the scale bench: a dataset (~300-character inputs, ~200-character
 * expected answers) and recorded outcomes for `models` models (~200-character outputs, usage,
 * latency). Model k answers correctly with a probability that rises with k and falls with the
 * input's length, so routers have something to find. Same seed, same bytes.
 */
export interface ScaleData {
  dir: string;
  dataset: string;
  outcomes: string;
  models: string[];
  items: number;
}

/** mulberry32: small, fast and good enough for synthetic text. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Names the price table knows, weakest first (prices make the cost figures real arithmetic). */
const MODELS = ["gpt-4.1-nano", "gpt-4o-mini", "gpt-4.1-mini", "gpt-4.1", "gpt-4o"];

const WORDS =
  "invoice refund account order shipping delay customer billing report error server update plan team access password export import schedule payment renewal".split(
    " ",
  );

function text(random: () => number, chars: number): string {
  let s = "";
  while (s.length < chars) s += `${WORDS[Math.floor(random() * WORDS.length)]} `;
  return s.slice(0, chars).trim();
}

async function write(stream: NodeJS.WritableStream, line: string): Promise<void> {
  if (!stream.write(line)) await once(stream, "drain");
}

export interface ScaleRecord {
  item: { id: string; input: string; expected: string };
  outcomes: Array<{
    itemId: string;
    model: string;
    output: string;
    usage: { inputTokens: number; outputTokens: number };
    latencyMs: number;
  }>;
}

/** The synthetic items and their recorded outcomes, one item at a time (what the files hold, in order). */
export function* scaleRecords(opts: { items: number; models: number; seed?: number }): Generator<ScaleRecord> {
  const random = rng(opts.seed ?? 13);
  const models = MODELS.slice(0, opts.models);
  if (models.length < opts.models) throw new Error(`at most ${MODELS.length} models`);
  for (let i = 0; i < opts.items; i++) {
    const id = `i${i}`;
    const inputChars = 200 + Math.floor(random() * 200);
    const input = text(random, inputChars);
    const expected = text(random, 180 + Math.floor(random() * 40));
    const outcomes: ScaleRecord["outcomes"] = [];
    for (let k = 0; k < models.length; k++) {
      const pCorrect = 0.35 + (0.5 * (k + 1)) / models.length - (inputChars - 300) / 1000;
      const output = random() < pCorrect ? expected : text(random, 180 + Math.floor(random() * 40));
      const usage = { inputTokens: Math.round(inputChars / 4), outputTokens: Math.round(output.length / 4) };
      const latencyMs = 200 + Math.floor(random() * 800) * (k + 1);
      outcomes.push({ itemId: id, model: models[k]!, output, usage, latencyMs });
    }
    yield { item: { id, input, expected }, outcomes };
  }
}

export async function generateScaleData(opts: {
  dir: string;
  items: number;
  models: number;
  seed?: number;
}): Promise<ScaleData> {
  mkdirSync(opts.dir, { recursive: true });
  const models = MODELS.slice(0, opts.models);
  if (models.length < opts.models) throw new Error(`at most ${MODELS.length} models`);
  const dataset = join(opts.dir, "items.jsonl");
  const outcomes = join(opts.dir, "outcomes.jsonl");
  const ds = createWriteStream(dataset);
  const out = createWriteStream(outcomes);
  for (const record of scaleRecords(opts)) {
    await write(ds, `${JSON.stringify(record.item)}\n`);
    for (const o of record.outcomes) await write(out, `${JSON.stringify(o)}\n`);
  }
  ds.end();
  out.end();
  await Promise.all([once(ds, "close"), once(out, "close")]);
  return { dir: opts.dir, dataset, outcomes, models, items: opts.items };
}

// `tsx bench/scale/generate.ts DIR ITEMS MODELS [SEED]`
if (process.argv[1]?.endsWith("generate.ts") && process.argv.length >= 5) {
  const [dir, items, models, seed] = process.argv.slice(2);
  await generateScaleData({ dir: dir!, items: Number(items), models: Number(models), seed: Number(seed ?? 13) });
}
