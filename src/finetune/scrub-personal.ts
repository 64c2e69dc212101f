// Traffic and golden sets can carry what must never be trained into a model: credentials pasted
// into a prompt, and personal data (emails, phone numbers, card and account numbers, addresses of
// machines). Each match becomes a typed placeholder, so the example still reads naturally and the
// fine-tuned model learns to pass placeholders through rather than to invent values. Patterns are
// deliberately broad: a false positive costs one placeholder in one example, a miss costs a leak
// into model weights that cannot be taken back. Names of people are not detected (no pattern can),
// which the distill summary states.

interface Pattern {
  kind: string;
  re: RegExp;
  /** An extra check on the match (card numbers: Luhn). */
  accept?: (match: string) => boolean;
}

const PATTERNS: Pattern[] = [
  // Credentials first: a key can contain digit runs that would otherwise read as a phone number.
  { kind: "secret", re: /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g },
  { kind: "secret", re: /\b(?:sk|pk|rk)-(?:proj-|ant-|live-|test-)?[A-Za-z0-9_-]{16,}\b/g },
  { kind: "secret", re: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g },
  { kind: "secret", re: /\bAIza[0-9A-Za-z_-]{35}\b/g },
  { kind: "secret", re: /\b(?:ghp|gho|ghu|ghs|ghr|github_pat)_[A-Za-z0-9_]{20,}\b/g },
  { kind: "secret", re: /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/g },
  { kind: "secret", re: /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\b/g },
  {
    kind: "secret",
    re: /\b(?:[Bb]earer|[Tt]oken|[Pp]assword|[Aa]pi[_-]?[Kk]ey|[Ss]ecret)(\s*[:=]\s*|\s+)["']?[^\s"']{8,}/g,
  },
  { kind: "email", re: /\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b/g },
  { kind: "iban", re: /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b/g },
  { kind: "card", re: /\b\d(?:[ -]?\d){12,18}\b/g, accept: luhn },
  { kind: "ssn", re: /\b\d{3}-\d{2}-\d{4}\b/g },
  { kind: "phone", re: /(?<![\w.])\+?\(?\d{1,4}\)?(?:[ .-]?\(?\d{2,4}\)?){2,5}(?!\w|\.\d)/g, accept: phoneLike },
  { kind: "ip", re: /\b(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)\b/g },
];

export interface ScrubCounts {
  [kind: string]: number;
}

/** `text` with secrets and personal data replaced by `[kind]`, and how many of each were found. */
export function scrubPersonal(text: string, counts: ScrubCounts = {}): string {
  let out = text;
  for (const { kind, re, accept } of PATTERNS) {
    out = out.replace(re, (match) => {
      if (accept && !accept(match)) return match;
      counts[kind] = (counts[kind] ?? 0) + 1;
      return `[${kind}]`;
    });
  }
  return out;
}

function luhn(match: string): boolean {
  const digits = match.replace(/\D/g, "");
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** 9 to 15 digits with separators or a leading +: a phone number, not a year, price or plain count. */
function phoneLike(match: string): boolean {
  const digits = match.replace(/\D/g, "");
  if (digits.length < 9 || digits.length > 15) return false;
  return match.startsWith("+") || /[ .()-]/.test(match);
}
