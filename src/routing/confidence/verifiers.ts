import type { ZodType } from "zod";
import { parseJsonOutput } from "../json-output.ts";
import { checkArithmetic } from "./arithmetic.ts";
import { finalNumber } from "./final-answer.ts";
import type { CodeVerifier, ConfidenceSource } from "./types.ts";

// Verifiers written as code: cheap, deterministic checks of an answer's form. A form check cannot
// prove an answer right, but a failed one is strong evidence it is wrong, and costs no model call.

/** The output holds JSON (fences tolerated) and, given a schema, the JSON satisfies it. */
export function parsesAsJson(schema?: ZodType): CodeVerifier {
  return (output) => {
    const value = parseJsonOutput(output);
    if (value === undefined) return false;
    return schema ? schema.safeParse(value).success : true;
  };
}

/** A final numeric answer is present behind an explicit marker ("#### 18", "the answer is 18", \boxed{18}). */
export function hasFinalNumber(): CodeVerifier {
  return (output) => finalNumber(output)?.marked === true;
}

/** Every equation the worked solution writes down re-computes; null when it writes none. */
export function arithmeticChecksOut(): CodeVerifier {
  return (output) => {
    const check = checkArithmetic(output);
    return check.checked === 0 ? null : check.failed === 0;
  };
}

/** The answer is one of the allowed labels (case, quotes and a trailing full stop ignored). */
export function labelIsAllowed(labels: readonly string[]): CodeVerifier {
  const allowed = new Set(labels.map(normaliseLabel));
  return (output) => allowed.has(normaliseLabel(output));
}

function normaliseLabel(text: string): string {
  return text
    .trim()
    .replace(/^["'`]+|["'`.]+$/g, "")
    .trim()
    .toLowerCase();
}

/** A code verifier as a confidence source: pass 1, fail 0, not applicable null. */
export function verifierSource(name: string, verify: CodeVerifier): ConfidenceSource {
  return {
    name,
    confidence: ({ answer, item }) => {
      if (answer.error) return 0;
      const verdict = verify(answer.text, item);
      return verdict === null ? null : verdict ? 1 : 0;
    },
  };
}
