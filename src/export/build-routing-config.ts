import { existsSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import type { ResolvedEval } from "../config/load-eval.ts";
import { parseModelSpec } from "../contracts/model-spec.ts";
import { ROUTING_CONFIG_VERSION, RoutingConfig } from "../contracts/routing-config.ts";
import { Summary } from "../contracts/summary.ts";
import { InputError } from "../core/errors.ts";
import { parseOrInputError } from "../core/validate.ts";
import { alwaysRouter } from "../routing/builtin/always.ts";
import { checkRouterParams } from "../routing/params.ts";

/**
 * Builds the routing config for one router of an eval's latest run: the calibrated operating
 * point as measured (held-out where the eval splits), the eval's model specs (paths made relative,
 * no secrets: specs only ever name the key's environment variable), and provenance.
 */
export function buildRoutingConfig(
  config: ResolvedEval,
  routerId: string,
  reportsDir: string,
  cwd: string,
): RoutingConfig {
  const summaryFile = join(reportsDir, config.name, "latest", "summary.json");
  if (!existsSync(summaryFile)) {
    throw new InputError(
      summaryFile,
      undefined,
      "no run of this eval found",
      `run \`routegate eval ${config.name}\` first`,
    );
  }
  const summary = parseOrInputError(
    Summary,
    JSON.parse(readFileSync(summaryFile, "utf8")),
    summaryFile,
    "re-run the eval with this routegate version",
  );
  const router = summary.routers.find((r) => r.id === routerId);
  if (!router) {
    throw new InputError(
      summaryFile,
      "routers",
      `no router "${routerId}" in the latest run`,
      `export one of: ${summary.routers.map((r) => r.id).join(", ")}`,
    );
  }
  // The runtime refuses params its router's schema rejects: never write a config it would refuse
  // (a summary older than the router's code, or edited by hand).
  const code = router.id.startsWith("always:")
    ? alwaysRouter(router.id.slice("always:".length))
    : config.routers.find((r) => r.id === router.id);
  const problem = code && checkRouterParams(code, router.params, { models: config.models.map((m) => m.id) });
  if (problem) {
    throw new InputError(
      summaryFile,
      `routers[${summary.routers.indexOf(router)}].params`,
      problem,
      `re-run \`routegate eval ${config.name}\` with the current router code, then export`,
    );
  }
  if (router.evaluationOnly)
    throw new InputError(
      summaryFile,
      `routers[${summary.routers.indexOf(router)}]`,
      `"${router.id}" reads the answers' scores (an upper bound for comparison); it cannot route live requests`,
      `export a deployable policy: ${summary.recommendation ? `the recommended ${summary.recommendation.router}, or ` : ""}one of ${summary.routers
        .filter((r) => !r.evaluationOnly)
        .map((r) => r.id)
        .join(", ")}`,
    );
  const embedders = (router.embedders ?? []).map((name) => parseModelSpec(name));
  return RoutingConfig.parse({
    schemaVersion: ROUTING_CONFIG_VERSION,
    router: { id: router.id, params: router.params },
    models: config.models.map((m) => (m.file ? { ...m, file: relative(cwd, m.file) } : m)),
    ...(embedders.length ? { embedders } : {}),
    twoTier: summary.twoTier,
    provenance: {
      eval: summary.eval,
      runId: summary.runId,
      exportedAt: new Date().toISOString(),
      simulated: summary.simulated,
      dataset: summary.dataset,
      // The table's name and date (a --price override shows in the version, "...+cli-override").
      priceTable: { version: summary.priceTable.version, date: summary.priceTable.date },
      heldOut: router.heldOut,
      items: router.items,
      quality: router.quality.mean,
      qualityCi: router.quality.ci,
      costPer1k: router.costPer1k,
    },
  });
}
