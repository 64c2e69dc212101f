import { z } from "zod";

// One line of `routegate serve --decision-log` (JSONL): a public contract, read back by
// `routegate traffic sample` and `routegate drift`. Fields the readers do not need pass through.
export const DecisionLogLine = z.looseObject({
  decisionId: z.string().min(1),
  /** The route (feature) that answered: `routegate/<route>`. */
  route: z.string().min(1),
  at: z.string().optional(),
  status: z.number().int(),
  stream: z.boolean().optional(),
  configVersion: z.number().int().optional(),
  /** The model the router chose (absent when the request failed before a decision). */
  chosen: z.string().optional(),
  answeredBy: z.string().optional(),
  /** The router's single-number score, where it has one. */
  rank: z.number().optional(),
  /** Characters of the router input (always logged). */
  inputChars: z.number().int().nonnegative(),
  /** The router input, redacted at write time (only with `--log-content`). */
  input: z.string().optional(),
  costUsd: z.number().optional(),
  latencyMs: z.number().optional(),
  /** Time from arrival to the routing decision (a streamed answer's first chunk cannot come earlier). */
  planMs: z.number().optional(),
  /** The gateway key's name (with `--keys`), never the key. */
  key: z.string().optional(),
});
export type DecisionLogLine = z.infer<typeof DecisionLogLine>;
