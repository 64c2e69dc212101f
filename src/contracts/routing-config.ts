import { z } from "zod";
import { formatPath } from "../core/errors.ts";
import { ModelSpec } from "./model-spec.ts";

// The exported routing config: a public contract that production loads. It carries data only
// (router id, parameters, model specs, provenance), never code and never secrets.
export const ROUTING_CONFIG_VERSION = 1;

const FiniteNumber = z.number().refine(Number.isFinite, "must be finite");
const ParamValue = z.union([z.string(), FiniteNumber, z.boolean(), z.array(FiniteNumber)]);

export const RoutingConfig = z.strictObject({
  schemaVersion: z.literal(ROUTING_CONFIG_VERSION),
  router: z.strictObject({
    /** Names a router registered in code; the config never carries code. */
    id: z.string().min(1),
    params: z.record(z.string(), ParamValue),
  }),
  models: z
    .array(ModelSpec)
    .min(1)
    .superRefine((models, issue) => {
      // Routers and fallbacks name models by id: two specs under one id would make the choice ambiguous.
      const seen = new Set<string>();
      models.forEach((m, i) => {
        if (seen.has(m.id))
          issue.addIssue({
            code: "custom",
            path: [i, "id"],
            message: `duplicate model id "${m.id}"; ids must be unique`,
          });
        seen.add(m.id);
      });
    }),
  /**
   * Embedding models the router's score step calls through ctx.embed (a kNN router's embedder),
   * checked by the runtime's allow-list like models. Optional: configs of routers that never
   * embed, and configs exported before embeddings existed, have none.
   */
  embedders: z.array(ModelSpec).optional(),
  twoTier: z.strictObject({ weak: z.string(), strong: z.string() }).nullable(),
  provenance: z.strictObject({
    eval: z.string(),
    runId: z.string(),
    exportedAt: z.string(),
    simulated: z.boolean(),
    dataset: z.strictObject({ name: z.string(), items: z.number().int(), hash: z.string() }),
    priceTable: z.strictObject({ version: z.string(), date: z.string() }),
    heldOut: z.boolean(),
    items: z.number().int(),
    quality: z.number(),
    qualityCi: z.tuple([z.number(), z.number()]),
    costPer1k: z.number(),
  }),
});
export type RoutingConfig = z.infer<typeof RoutingConfig>;

export class RoutingConfigError extends Error {
  override readonly name = "RoutingConfigError";
}

/**
 * Parses and validates an exported routing config. The config is data only: it names a router
 * registered in code and carries parameters; nothing in it is ever executed.
 */
export function parseRoutingConfig(text: string, source = "routing config"): RoutingConfig {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new RoutingConfigError(`${source}: not valid JSON (${(err as Error).message})`);
  }
  return validateRoutingConfig(json, source);
}

/** Validates a config given as a value (already parsed by the host): same schema, same messages. */
export function validateRoutingConfig(value: unknown, source = "routing config"): RoutingConfig {
  const parsed = RoutingConfig.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new RoutingConfigError(
      `${source} (field ${formatPath(issue.path)}): ${issue.message}. Fix: re-export it with \`routegate export\``,
    );
  }
  return parsed.data;
}
