// Pattern redaction of request text before it is written anywhere (decision logs, traffic
// samples): e-mail addresses, phone numbers and API keys or tokens. It does not find names or
// street addresses; those need a person (or an NER model) before a sample is shared.

const RULES: ReadonlyArray<readonly [RegExp, string]> = [
  // Keys first: a key may contain digit runs the phone rule would otherwise half-eat.
  [/\b(?:sk|pk|rk)-(?:[A-Za-z0-9]+-)*[A-Za-z0-9_-]{16,}/g, "[KEY]"],
  [/\bAIza[0-9A-Za-z_-]{30,}/g, "[KEY]"],
  [/\b(?:ghp|gho|ghu|ghs|github_pat|xox[abpr])_[A-Za-z0-9_]{16,}/g, "[KEY]"],
  [/\bAKIA[0-9A-Z]{16}\b/g, "[KEY]"],
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, "[KEY]"],
  [/\b(?:bearer|token|api[_-]?key|secret|password)\s*[:=]?\s*["']?[A-Za-z0-9._~+/-]{16,}/gi, "[KEY]"],
  [/[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g, "[EMAIL]"],
];

// International or national numbers with the usual separators; ISO dates are not phone numbers.
const PHONE =
  /(?<![\w.+])(?!\d{4}-\d{1,2}-\d{1,2}\b)(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)[\s.-]?)?\d{1,4}(?:[\s.-]?\d{2,5}){1,4}(?!\w|\.\d)/g;
const digits = (s: string) => s.replace(/\D/g, "").length;

/** `text` with every e-mail, phone number and key replaced by a marker. */
export function redactPii(text: string): string {
  let out = text;
  for (const [pattern, marker] of RULES) out = out.replace(pattern, marker);
  // Between 7 and 15 digits (E.164's most): shorter runs are order numbers and amounts.
  return out.replace(PHONE, (m) => (digits(m) >= 7 && digits(m) <= 15 ? "[PHONE]" : m));
}
