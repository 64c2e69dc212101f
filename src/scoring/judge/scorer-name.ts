import { parseModelSpec } from "../../contracts/model-spec.ts";
import type { JudgeModelRef, JudgeScorerConfig } from "./config.ts";

// A judge scorer's short, stable name for reports: the type, the judge(s) and what sets it apart,
// e.g. `judge-pairwise(openai:gpt-4o)`, `judge-rubric(a+b,pass-fail,mean)`, `judge-recorded(gpt-4 single-v1)`.

export function judgeRefId(ref: JudgeModelRef): string {
  if (typeof ref !== "string") return ref.id;
  try {
    return parseModelSpec(ref).id;
  } catch {
    return ref;
  }
}

export function judgeScorerName(config: JudgeScorerConfig): string {
  if (config.type === "judge-recorded") return `judge-recorded(${config.judge})`;
  const refs = Array.isArray(config.judge) ? config.judge : [config.judge];
  const parts = [refs.map(judgeRefId).join("+")];
  if (config.type === "judge-pairwise") {
    if (typeof config.against === "object") parts.push(`vs ${config.against.model}`);
  } else if (config.criteria) parts.push("criteria");
  else if (config.scale === "pass-fail") parts.push("pass-fail");
  if (refs.length > 1) parts.push(config.panel ?? "majority");
  return `${config.type}(${parts.join(",")})`;
}
