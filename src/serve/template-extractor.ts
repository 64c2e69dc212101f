import { readFileSync } from "node:fs";
import Handlebars from "handlebars";
import { RoutingConfigError } from "../contracts/routing-config.ts";
import type { ChatMessage } from "../core/types.ts";
import type { RouterInputExtractor } from "./router-input.ts";

// `--input ROUTE=template:FILE`: strips the eval's user template (the Handlebars file its
// `prompt.user` names) back off the last user message, so the router scores exactly what it
// scored in evaluation: the item's input before templating, and the metadata the template showed.
// Templates of plain text and `{{name}}` placeholders are understood; blocks, helpers and partials
// are refused at start (write an extractor for those). A message the template does not match (a
// client that does not use it) is scored whole, as `last-user` would.

type Part = { text: string } | { name: string };

export function templateExtractor(file: string): RouterInputExtractor {
  let source: string;
  try {
    source = readFileSync(file, "utf8");
  } catch (err) {
    throw new RoutingConfigError(`${file}: cannot read the prompt template (${(err as Error).message})`);
  }
  const parts = partsOf(source, file);
  for (const [i, part] of parts.entries()) {
    const before = parts[i - 1];
    if ("name" in part && before && "name" in before)
      throw new RoutingConfigError(
        `${file}: {{${before.name}}}{{${part.name}}} has no text between the two, so they cannot be told apart. Fix: export an extractor from --routers FILE`,
      );
  }
  const names = [...new Set(parts.flatMap((p) => ("name" in p ? [p.name] : [])))];
  const onlyInput = names.every((n) => n === "input" || n.startsWith("metadata."));

  return ({ messages, metadata }) => {
    const text = lastUser(messages);
    const found = split(parts, text);
    if (!found) return { input: text, metadata: { ...metadata } };
    const meta: Record<string, unknown> = { ...metadata };
    const fields: Record<string, string> = {};
    for (const [name, value] of found) {
      if (name.startsWith("metadata.")) meta[name.slice("metadata.".length)] = value;
      else if (name !== "input") fields[name] = value;
    }
    const input = onlyInput ? (found.get("input") ?? text) : fields;
    return { input, metadata: meta };
  };
}

/**
 * The placeholders' values in `text`, or undefined when the template does not produce it. One
 * left-to-right scan, never a backtracking pattern: the text is a client's and may be built to
 * make one take minutes. Each placeholder ends at the first occurrence of the text after it (the
 * last text part must end the message), which finds a split whenever one exists; a placeholder
 * used twice must have the same value both times.
 */
function split(parts: readonly Part[], text: string): Map<string, string> | undefined {
  const found = new Map<string, string>();
  let pos = 0;
  let open: string | undefined;
  const close = (end: number) => {
    if (open === undefined) return true;
    const value = text.slice(pos, end);
    if (found.has(open) && found.get(open) !== value) return false;
    found.set(open, value);
    open = undefined;
    return true;
  };
  for (const [i, part] of parts.entries()) {
    if ("name" in part) {
      open = part.name;
      continue;
    }
    const last = i === parts.length - 1;
    let at: number;
    if (open === undefined) at = text.startsWith(part.text, pos) ? pos : -1;
    else if (last)
      at = text.endsWith(part.text) && text.length - part.text.length >= pos ? text.length - part.text.length : -1;
    else at = text.indexOf(part.text, pos);
    if (at < 0 || !close(at)) return undefined;
    pos = at + part.text.length;
  }
  // A template ending in a placeholder gives it the rest; one ending in text must end the message.
  if (open !== undefined) return close(text.length) ? found : undefined;
  return pos === text.length ? found : undefined;
}

function partsOf(source: string, file: string): Part[] {
  const program = Handlebars.parse(source);
  const parts: Part[] = [];
  for (const node of program.body) {
    if (node.type === "ContentStatement") {
      const text = (node as hbs.AST.ContentStatement).value;
      const last = parts.at(-1);
      if (last && "text" in last) last.text += text;
      else parts.push({ text });
    } else if (node.type === "CommentStatement") {
    } else if (node.type === "MustacheStatement" && isPlainPath(node as hbs.AST.MustacheStatement)) {
      parts.push({ name: ((node as hbs.AST.MustacheStatement).path as hbs.AST.PathExpression).original });
    } else {
      const at = node.loc ? ` at line ${node.loc.start.line}` : "";
      throw new RoutingConfigError(
        `${file}: the template uses a ${node.type}${at}, which cannot be stripped back off. Fix: export an extractor from --routers FILE, or keep the template to text and {{name}} placeholders`,
      );
    }
  }
  return parts;
}

const isPlainPath = (m: hbs.AST.MustacheStatement) =>
  m.path.type === "PathExpression" && m.params.length === 0 && !m.hash?.pairs.length;

const lastUser = (messages: readonly ChatMessage[]) =>
  [...messages].reverse().find((m) => m.role === "user")?.content ?? "";
