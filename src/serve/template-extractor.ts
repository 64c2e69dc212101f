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
  const names: string[] = [];
  let pattern = "";
  for (const [i, part] of parts.entries()) {
    if ("text" in part) {
      pattern += escapeRegExp(part.text);
      continue;
    }
    if (i > 0 && "name" in parts[i - 1]!)
      throw new RoutingConfigError(
        `${file}: {{${(parts[i - 1] as { name: string }).name}}}{{${part.name}}} has no text between the two, so they cannot be told apart. Fix: export an extractor from --routers FILE`,
      );
    const seen = names.indexOf(part.name);
    if (seen >= 0) pattern += `\\k<v${seen}>`;
    else {
      pattern += `(?<v${names.length}>[\\s\\S]*?)`;
      names.push(part.name);
    }
  }
  const matcher = new RegExp(`^${pattern}$`);
  const onlyInput = names.every((n) => n === "input" || n.startsWith("metadata."));

  return ({ messages, metadata }) => {
    const text = lastUser(messages);
    const groups = matcher.exec(text)?.groups;
    if (!groups) return { input: text, metadata: { ...metadata } };
    const found = new Map(names.map((n, i) => [n, groups[`v${i}`] ?? ""]));
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

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

const lastUser = (messages: readonly ChatMessage[]) =>
  [...messages].reverse().find((m) => m.role === "user")?.content ?? "";
