import { ROUTING_CONFIG_VERSION } from "../../src/contracts/routing-config.ts";

// The two programs the e2e writes into its temporary projects, as their authors would.

const TICKET = "Where is my order #44721? Tracking hasn't updated in five days.";
const REQUEST = `{
    messages: [{ role: "user", content: \`Ticket:\\n\${ticket}\\n\\nLabel:\\n\` }],
    maxTokens: 8,
  }`;

/** The user's production app: the exported config, the router their build compiled, the host's allow-list. */
export const routeApp = `import { readFileSync } from "node:fs";
import { createRouter } from "@routegate/runtime";
import { escalationRouter } from "./build/routers/escalation.js";

const router = createRouter(readFileSync("routing.config.json", "utf8"), {
  routers: [escalationRouter({ weak: "openai:gpt-4o-mini", strong: "openai:gpt-4o" })],
  // The config names its endpoint; only the host code can allow it.
  allow: { baseUrls: [process.env.BASE_URL] },
  source: "routing.config.json",
});
const ticket = ${JSON.stringify(TICKET)};
const decision = await router.route({ id: "req-1", input: ticket, request: ${REQUEST} });
console.log(JSON.stringify({ model: decision.model, answer: decision.answer.text, router: decision.log.router.id }));
`;

/**
 * A service with @routegate/runtime alone: what it exports, which packages importing it loads (a
 * resolve hook records every module), the refusal of a config whose SDK is missing, and with
 * \`route\` one request over HTTP.
 */
export const serviceCheck = `import { readFileSync, writeFileSync } from "node:fs";
import { register } from "node:module";
import { fileURLToPath } from "node:url";

const log = fileURLToPath(new URL("./resolved.log", import.meta.url));
writeFileSync(log, "");
register(
  "data:text/javascript," +
    encodeURIComponent(\`import { appendFileSync } from "node:fs";
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  appendFileSync(\${JSON.stringify(log)}, r.url + "\\\\n");
  return r;
}\`),
);
const { createRouter, defineRouter, RoutingConfigError } = await import("@routegate/runtime");
const { lengthRouter } = await import("@routegate/runtime/routing");

const loaded = () => [
  ...new Set(
    readFileSync(log, "utf8")
      .split("\\n")
      .filter((url) => url.includes("/node_modules/"))
      .map((url) => {
        const [a, b] = url.slice(url.lastIndexOf("/node_modules/") + 14).split("/");
        return a.startsWith("@") ? a + "/" + b : a;
      }),
  ),
].sort();

const baseUrl = process.env.BASE_URL ?? "http://127.0.0.1:9/v1";
const model = { id: "openai:gpt-4o-mini", provider: "openai", model: "gpt-4o-mini", baseUrl };
const config = {
  schemaVersion: ${ROUTING_CONFIG_VERSION},
  router: { id: "always:openai:gpt-4o-mini", params: { model: model.id } },
  models: [model],
  twoTier: null,
  provenance: {
    eval: "service", runId: "e2e", exportedAt: new Date(0).toISOString(), simulated: false,
    dataset: { name: "service", items: 0, hash: "x" }, priceTable: { version: "x", date: "x" },
    heldOut: true, items: 0, quality: 0, qualityCi: [0, 0], costPer1k: 0,
  },
};
const options = { routers: [], allow: { baseUrls: [baseUrl] } };

if (process.argv[2] === "route") {
  const router = createRouter(config, options);
  const ticket = ${JSON.stringify(TICKET)};
  const decision = await router.route({ id: "req-1", input: ticket, request: ${REQUEST} });
  console.log(JSON.stringify({ answer: decision.answer.text, loaded: loaded() }));
} else {
  let refusal = "(accepted)";
  try {
    createRouter(config, options);
  } catch (err) {
    refusal = err instanceof RoutingConfigError ? err.message : "unexpected: " + err;
  }
  const exports = [typeof createRouter, typeof defineRouter, typeof lengthRouter];
  console.log(JSON.stringify({ exports, refusal, loaded: loaded() }));
}
`;
