import { createHash } from "node:crypto";
import { stringify } from "safe-stable-stringify";
import type { ChatRequest } from "../../core/types.ts";
import { ScorerConfigProblem } from "../scorer.ts";
import type { JudgeLiveConfig } from "./config.ts";
import {
  DEFAULT_RUBRIC,
  DEFAULT_SYSTEM,
  DEFAULT_USER,
  FORMAT,
  SYSTEM_PLACEHOLDERS,
  USER_PLACEHOLDERS,
} from "./prompts.ts";
import { createRedactor, type Redactor } from "./redact.ts";
import { checkTemplate, fillTemplate, neutraliseDelimiters, placeholders, templateText } from "./template.ts";
import type { JudgeMode } from "./types.ts";
import type { VerdictShape } from "./verdict.ts";

// One judge configuration as a fixed protocol: the system prompt (rubric and reply format filled
// in, identical for every item), the user template, the verdict shape, and the hash that names
// all of it. Every request is rendered from here, so the hash and the requests cannot drift apart.

export const DEFAULT_JUDGE_MAX_TOKENS = 512;

export interface JudgeProtocol {
  mode: JudgeMode;
  shape: VerdictShape;
  system: string;
  user: string;
  /** sha256 (first 16 hex digits) of everything that decides a verdict except the texts and the judge model. */
  promptHash: string;
  maxTokens: number;
  redact: Redactor;
}

export function modeOf(config: JudgeLiveConfig): JudgeMode {
  if (config.type === "judge-pairwise") return "pairwise";
  return config.type === "judge-rubric" ? "rubric" : "reference";
}

function shapeOf(config: JudgeLiveConfig): VerdictShape {
  if (config.type === "judge-pairwise") return { kind: "pairwise" };
  if (config.criteria) return { kind: "criteria", names: config.criteria };
  return config.scale === "pass-fail" ? { kind: "pass-fail" } : { kind: "score" };
}

function formatOf(shape: VerdictShape): string {
  switch (shape.kind) {
    case "pairwise":
      return FORMAT.pairwise;
    case "score":
      return FORMAT.score;
    case "pass-fail":
      return FORMAT.passFail;
    case "criteria":
      return FORMAT.criteria(shape.names);
  }
}

export function buildProtocol(config: JudgeLiveConfig, baseDir: string): JudgeProtocol {
  const mode = modeOf(config);
  if (config.type !== "judge-pairwise" && config.criteria && config.scale === "1-10") {
    throw new ScorerConfigProblem(
      "criteria",
      "criteria are graded pass/fail, not 1-10",
      'drop scale or set scale: "pass-fail"',
    );
  }
  const shape = shapeOf(config);
  const systemTemplate = config.prompt?.system
    ? templateText(config.prompt.system, baseDir, "prompt.system")
    : DEFAULT_SYSTEM[mode];
  const user = config.prompt?.user ? templateText(config.prompt.user, baseDir, "prompt.user") : DEFAULT_USER[mode];
  checkTemplate(systemTemplate, "prompt.system", SYSTEM_PLACEHOLDERS, []);
  checkTemplate(user, "prompt.user", USER_PLACEHOLDERS[mode], USER_PLACEHOLDERS[mode]);
  const rubric = config.rubric ? templateText(config.rubric, baseDir, "rubric").trim() : DEFAULT_RUBRIC[mode];
  const format = formatOf(shape);
  let system = fillTemplate(systemTemplate, { rubric, format });
  // The reply contract is always stated, even by a custom system prompt that forgot it.
  if (!placeholders(systemTemplate, "prompt.system").includes("format")) system = `${system.trimEnd()}\n\n${format}`;
  const against = config.type === "judge-pairwise" ? (config.against ?? "reference") : null;
  const panel = Array.isArray(config.judge) && config.judge.length > 1 ? (config.panel ?? "majority") : null;
  const promptHash = createHash("sha256")
    .update(
      stringify({ v: 1, mode, shape, system, user, against, panel, redact: describeRedaction(config.redact) }) ?? "",
    )
    .digest("hex")
    .slice(0, 16);
  return {
    mode,
    shape,
    system,
    user,
    promptHash,
    maxTokens: config.maxTokens ?? DEFAULT_JUDGE_MAX_TOKENS,
    redact: createRedactor(config.redact),
  };
}

function describeRedaction(option: JudgeLiveConfig["redact"]): unknown {
  if (option === undefined || option === false) return "off";
  if (typeof option === "function") return "custom";
  return option === true ? { emails: true, phones: true } : option;
}

/** Redacted, with delimiter look-alikes: what a text becomes before it enters a judge prompt. */
function prepare(p: JudgeProtocol, text: string): string {
  return neutraliseDelimiters(p.redact(text));
}

function request(p: JudgeProtocol, vars: Record<string, string>): ChatRequest {
  return {
    messages: [
      { role: "system", content: p.system },
      { role: "user", content: fillTemplate(p.user, vars) },
    ],
    maxTokens: p.maxTokens,
    temperature: 0,
    responseFormat: "json",
    // The system prompt is the same for every item: a stable, cacheable prefix.
    cache: { prefixMessages: 1 },
  };
}

/** A pairwise judge request: the texts in positions A and B, nothing else about them. */
export function pairwiseRequest(p: JudgeProtocol, question: string, a: string, b: string): ChatRequest {
  return request(p, { question: prepare(p, question), answer_a: prepare(p, a), answer_b: prepare(p, b) });
}

/** A grading request (rubric, or reference-guided when `reference` is given). */
export function gradingRequest(p: JudgeProtocol, question: string, answer: string, reference?: string): ChatRequest {
  return request(p, {
    question: prepare(p, question),
    answer: prepare(p, answer),
    ...(reference !== undefined ? { reference: prepare(p, reference) } : {}),
  });
}
