// Re-computing the arithmetic a worked solution writes down: GSM8K-style calculator annotations
// `<<48/2=24>>` and plain statements such as "3 x 60 = 180" or "$2.50 * 4 = $10". A model that
// writes a wrong equation is usually wrong overall, and checking it costs no model call.
// Expressions are parsed by a small recursive-descent parser (numbers, + - * / x × ÷ ^ %, brackets);
// nothing from the output is ever evaluated as code.

export interface ArithmeticCheck {
  /** Equations that could be parsed and re-computed. */
  checked: number;
  /** Of those, the ones whose stated result is wrong. */
  failed: number;
  /** The first wrong equation, for the decision log. */
  firstFailure?: string;
}

const ANNOTATION = /<<([^<>=]+)=([^<>]+)>>/g;
// Characters an arithmetic expression is made of, once "3 x 4" has been rewritten to "3 * 4".
const EXPR_CHAR = /[\d.,$€£ \t+\-*/÷^%()]/;

export function checkArithmetic(text: string): ArithmeticCheck {
  const out: ArithmeticCheck = { checked: 0, failed: 0 };
  const record = (lhs: string, rhs: string) => {
    const a = evaluate(lhs);
    const b = evaluate(rhs);
    if (a === null || b === null) return;
    out.checked++;
    // "a + b = 96 / 3 = 32" chains computations: the left side equals the right side's first number.
    const first = evaluate(rhs.match(/^\s*[$€£]?\d[\d,]*(?:\.\d+)?/)?.[0] ?? "");
    if (!agrees(a, b, rhs) && !(first !== null && agrees(a, first, rhs))) {
      out.failed++;
      out.firstFailure ??= `${lhs.trim()} = ${rhs.trim()}`;
    }
  };
  // Markdown escapes multiplication as "\\*"; it is still multiplication.
  const unescaped = text.replace(/\\([*_])/g, "$1");
  for (const m of unescaped.matchAll(ANNOTATION)) record(m[1]!, m[2]!);
  // Plain statements: the annotations are removed first, so "9 * $2 = $<<9*2=18>>18" reads "9 * $2 = $18".
  const plain = unescaped.replace(ANNOTATION, "").replace(/(\d|\))\s*[x×]\s*(?=[\d$€£(])/g, "$1 * ");
  for (let at = plain.indexOf("="); at >= 0; at = plain.indexOf("=", at + 1)) {
    const lhs = spanLeft(plain, at);
    const rhs = spanRight(plain, at);
    // A bare "= 5" restates a value; only an expression with an operator is a computation to check.
    if (!/\d\s*[-+*/÷^]\s*[\d$€£(]/.test(lhs) || !/\d/.test(rhs)) continue;
    record(lhs, rhs);
  }
  return out;
}

function spanLeft(text: string, at: number): string {
  let start = at;
  while (start > 0 && EXPR_CHAR.test(text[start - 1]!)) start--;
  // The span may reach back into the previous sentence ("... 3.33. 7 * 8"): keep the last clause.
  const clause =
    text
      .slice(start, at)
      .split(/[.,;:]\s+/)
      .at(-1) ?? "";
  // "x * 4 + 8 = 40" is algebra: a span that starts with an operator continues a variable term.
  if (/^\s*[+*/÷^]/.test(clause)) return "";
  return clause.replace(/^[^\d($€£-]+/, "");
}

function spanRight(text: string, at: number): string {
  let end = at + 1;
  while (end < text.length && EXPR_CHAR.test(text[end]!)) end++;
  // A sentence's full stop or a list comma is not part of the number.
  return text.slice(at + 1, end).replace(/[.,\s]+$/, "");
}

/** The stated result may be rounded to the decimals it shows ("10/3 = 3.33"). */
function agrees(actual: number, stated: number, statedText: string): boolean {
  const decimals = statedText.match(/\.(\d+)\s*%?\s*$/)?.[1]?.length ?? 0;
  const tolerance = 0.5 * 10 ** -decimals + 1e-9 * Math.max(1, Math.abs(actual));
  return Math.abs(actual - stated) <= tolerance;
}

type Token = { kind: "num"; value: number } | { kind: "op"; op: string };

function tokenize(expr: string): Token[] | null {
  const tokens: Token[] = [];
  let i = 0;
  while (i < expr.length) {
    const c = expr[i]!;
    if (/[\s$€£]/.test(c)) {
      i++;
      continue;
    }
    const num = /^(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?|^\.\d+/.exec(expr.slice(i));
    if (num) {
      let value = Number(num[0].replaceAll(",", ""));
      i += num[0].length;
      // "2/5" written without spaces is a fraction, one number: "12.8 / 2/5" means 12.8 / (2/5).
      const den = /^\/(\d+)(?![\d.])/.exec(expr.slice(i));
      if (den && Number(den[1]) !== 0) {
        value /= Number(den[1]);
        i += den[0].length;
      }
      tokens.push({ kind: "num", value });
      continue;
    }
    if ("+-*/÷^%()".includes(c)) {
      tokens.push({ kind: "op", op: c === "÷" ? "/" : c });
      i++;
      continue;
    }
    return null;
  }
  return tokens;
}

/** Value of an arithmetic expression, or null when it is not one. */
export function evaluate(expr: string): number | null {
  const tokens = tokenize(expr);
  if (!tokens || tokens.length === 0) return null;
  let pos = 0;
  const peek = () => tokens[pos];
  const isOp = (op: string) => {
    const t = peek();
    return t?.kind === "op" && t.op === op;
  };
  // expr := term (('+'|'-') term)*; term := power (('*'|'/') power)*; power := unary ('^' unary)?
  // unary := '-' unary | atom '%'?; atom := number | '(' expr ')'
  const parseExpr = (): number | null => {
    let left = parseTerm();
    while (left !== null && (isOp("+") || isOp("-"))) {
      const op = (tokens[pos++] as { op: string }).op;
      const right = parseTerm();
      if (right === null) return null;
      left = op === "+" ? left + right : left - right;
    }
    return left;
  };
  const parseTerm = (): number | null => {
    let left = parsePower();
    while (left !== null && (isOp("*") || isOp("/"))) {
      const op = (tokens[pos++] as { op: string }).op;
      const right = parsePower();
      if (right === null || (op === "/" && right === 0)) return null;
      left = op === "*" ? left * right : left / right;
    }
    return left;
  };
  const parsePower = (): number | null => {
    const base = parseUnary();
    if (base === null || !isOp("^")) return base;
    pos++;
    const exponent = parseUnary();
    return exponent === null ? null : base ** exponent;
  };
  const parseUnary = (): number | null => {
    if (isOp("-")) {
      pos++;
      const v = parseUnary();
      return v === null ? null : -v;
    }
    let v: number | null;
    const t = peek();
    if (t?.kind === "num") {
      pos++;
      v = t.value;
    } else if (isOp("(")) {
      pos++;
      v = parseExpr();
      if (!isOp(")")) return null;
      pos++;
    } else return null;
    if (v !== null && isOp("%")) {
      pos++;
      v /= 100;
    }
    return v;
  };
  const value = parseExpr();
  return value !== null && pos === tokens.length && Number.isFinite(value) ? value : null;
}
