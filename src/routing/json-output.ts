// Reading a JSON object out of a model's answer. Models asked for JSON still wrap it in ```json
// fences or add a sentence around it, so the whole text is tried first, then each fenced block,
// then the first balanced {...}. Kept here (not imported from scoring/) because routers run in
// production, which loads the routing room and the providers only.

export function parseJsonOutput(text: string): unknown {
  const whole = tryParse(text.trim());
  if (whole !== undefined) return whole;
  for (const fence of text.matchAll(/```[\w-]*[^\S\n]*\n?([\s\S]*?)```/g)) {
    const inner = tryParse((fence[1] ?? "").trim());
    if (inner !== undefined) return inner;
  }
  const start = text.indexOf("{");
  const end = text.lastIndexOf("}");
  if (start >= 0 && end > start) return tryParse(text.slice(start, end + 1));
  return undefined;
}

function tryParse(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
