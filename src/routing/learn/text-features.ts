import { words } from "./hashing.ts";

// Simple, dense text features, squashed to roughly [0, 2] with log1p so no fitted scaling is
// needed (weights stay the only fitted parameters, and exported configs carry nothing else).

const squash = (n: number) => Math.log1p(n) / 5;

export const TEXT_FEATURES = [
  "chars",
  "words",
  "digits",
  "numbers",
  "question-marks",
  "sentences",
  "lines",
  "uppercase-share",
  "distinct-word-share",
  "mean-word-length",
  "largest-number",
  "has-code",
  "has-url",
] as const;

export function textFeatures(text: string): number[] {
  const ws = words(text);
  const numbers = text.match(/\d[\d,]*(?:\.\d+)?/g) ?? [];
  const largest = numbers.reduce((m, n) => Math.max(m, Math.abs(Number(n.replaceAll(",", ""))) || 0), 0);
  const letters = text.match(/\p{L}/gu)?.length ?? 0;
  const upper = text.match(/\p{Lu}/gu)?.length ?? 0;
  return [
    squash(text.length),
    squash(ws.length),
    squash(text.match(/\d/g)?.length ?? 0),
    squash(numbers.length),
    squash(text.match(/\?/g)?.length ?? 0),
    squash(text.match(/[.!?](\s|$)/g)?.length ?? 0),
    squash(text.split("\n").length - 1),
    letters ? upper / letters : 0,
    ws.length ? new Set(ws).size / ws.length : 0,
    ws.length ? ws.reduce((s, w) => s + w.length, 0) / ws.length / 10 : 0,
    Math.log10(1 + largest) / 6,
    /```|\bfunction\b|=>|;\s*$/m.test(text) ? 1 : 0,
    /https?:\/\//.test(text) ? 1 : 0,
  ];
}
