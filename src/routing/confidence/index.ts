export { agreementWith } from "./agreement.ts";
export { type ArithmeticCheck, checkArithmetic, evaluate } from "./arithmetic.ts";
export { answerKey, finalNumber } from "./final-answer.ts";
export { llmVerifier, VERIFIER_INSTRUCTIONS } from "./llm-verifier.ts";
export {
  finalIsLastResult,
  finalIsWholeNumber,
  noDecimalsOrFractions,
  noHedging,
  shortWorking,
  usesEveryGivenNumber,
  workedAnswerChecks,
} from "./math-checks.ts";
export { logprobConfidence, selfReportedConfidence } from "./signals.ts";
export type { CodeVerifier, ConfidenceInput, ConfidenceSource } from "./types.ts";
export { arithmeticChecksOut, hasFinalNumber, labelIsAllowed, parsesAsJson, verifierSource } from "./verifiers.ts";
