import type { RedactOption } from "./config.ts";

// Redaction runs on every text (question, answers, reference) before a judge request is built, so
// neither the judge provider nor the stored request ever holds the redacted values.

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;
/** A run of digits with phone-like separators; checked further in `looksLikePhone`. */
const PHONE_CANDIDATE = /(?<![\w.])(?:\+\s?)?\(?\d[\d\s().-]{6,}\d(?![\w])/g;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export const EMAIL_MASK = "[email]";
export const PHONE_MASK = "[phone]";

/** 9 to 15 digits (E.164 allows 15), or 8 after a "+": not a date, an amount or a short code. */
function looksLikePhone(s: string): boolean {
  const digits = s.replace(/\D/g, "").length;
  if (ISO_DATE.test(s.trim())) return false;
  if (/\s{2,}|\n/.test(s)) return false;
  return s.trimStart().startsWith("+") ? digits >= 8 && digits <= 15 : digits >= 9 && digits <= 15;
}

export type Redactor = (text: string) => string;

/** The redactor a config asks for; the identity when redaction is off. */
export function createRedactor(option: RedactOption | undefined): Redactor {
  if (option === undefined || option === false) return (t) => t;
  if (typeof option === "function") return option;
  const opts = option === true ? {} : option;
  const emails = opts.emails ?? true;
  const phones = opts.phones ?? true;
  const extra = (opts.patterns ?? []).map((p) => new RegExp(p, "giu"));
  return (text) => {
    let out = text;
    if (emails) out = out.replace(EMAIL, EMAIL_MASK);
    if (phones) out = out.replace(PHONE_CANDIDATE, (m) => (looksLikePhone(m) ? PHONE_MASK : m));
    for (const re of extra) out = out.replace(re, "[redacted]");
    return out;
  };
}
