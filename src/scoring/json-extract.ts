// Finding a JSON value in model output without a repair library: the whole output, then each
// fenced ``` block (```json first), then each balanced {...} block in order. The first that
// JSON.parse accepts wins.

export function extractJson(output: string): { value: unknown } | undefined {
  const whole = tryParse(output.trim());
  if (whole) return whole;
  const fences = [...output.matchAll(/```([\w-]*)[^\S\n]*\n?([\s\S]*?)```/g)];
  fences.sort((a, b) => Number(isJsonTag(b[1])) - Number(isJsonTag(a[1])));
  for (const f of fences) {
    const found = tryParse((f[2] ?? "").trim()) ?? firstObject(f[2] ?? "");
    if (found) return found;
  }
  return firstObject(output);
}

function isJsonTag(tag: string | undefined): boolean {
  return tag?.toLowerCase() === "json";
}

function tryParse(text: string): { value: unknown } | undefined {
  if (text === "") return undefined;
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return undefined;
  }
}

/** The first balanced {...} block that parses, scanning braces outside JSON strings. */
function firstObject(text: string): { value: unknown } | undefined {
  for (let start = text.indexOf("{"); start >= 0; start = text.indexOf("{", start + 1)) {
    const end = matchingBrace(text, start);
    if (end < 0) continue;
    const parsed = tryParse(text.slice(start, end + 1));
    if (parsed) return parsed;
  }
  return undefined;
}

/** Index of the brace closing the one at `start` (braces inside JSON strings skipped), or -1. */
export function matchingBrace(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return i;
  }
  return -1;
}
