import type { IncomingHttpHeaders } from "node:http";
import {
  type Attributes,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
} from "@opentelemetry/api";
import type { CallResult } from "../core/types.ts";
import type { RoutePlan } from "../runtime/route-plan.ts";
import { usageOf } from "./chat-response.ts";

// OpenTelemetry spans for the gateway's requests, with the GenAI semantic conventions' attribute
// names, so routing decisions show up in the tracing tools teams already run (any OTLP backend).
// Only the API is used here: without a tracer (no exporter configured) nothing is called at all.
// Attributes are ids, counts and costs, never request or answer text.

/** What the span records of a request's decision line (chat-handler's GatewayDecisionLine). */
export interface SpanFacts {
  configVersion: number;
  stream: boolean;
  status: number;
  fallbacks?: ReadonlyArray<{ model: string }>;
  costUsd?: number;
  timeToFirstChunkMs?: number;
  warning?: string;
  key?: string;
  error?: string;
}

/**
 * Starts a request's span, a child of the caller's trace when the request carries one
 * (`traceparent`, read by the globally registered propagator); the caller ends it with `endChatSpan`.
 */
export function startChatSpan(
  tracer: Tracer,
  requestModel: string,
  route: string,
  decisionId: string,
  headers: IncomingHttpHeaders,
): Span {
  const parent = propagation.extract(ROOT_CONTEXT, headers);
  return tracer.startSpan(
    `chat ${requestModel}`,
    {
      kind: SpanKind.CLIENT,
      attributes: {
        "gen_ai.operation.name": "chat",
        "gen_ai.request.model": requestModel,
        "routegate.route": route,
        "routegate.decision_id": decisionId,
      },
    },
    parent,
  );
}

export function endChatSpan(
  span: Span,
  line: SpanFacts,
  plan: RoutePlan | undefined,
  answer: CallResult | undefined,
): void {
  const attributes: Attributes = {
    "routegate.config_version": line.configVersion,
    "routegate.stream": line.stream,
    "http.response.status_code": line.status,
    "routegate.fallback": (line.fallbacks?.length ?? 0) > 0,
  };
  if (plan) {
    attributes["routegate.chosen_model"] = plan.choice.model;
    if (plan.rank !== undefined) attributes["routegate.rank"] = plan.rank;
  }
  if (line.fallbacks?.length) attributes["routegate.fallback_models"] = line.fallbacks.map((f) => f.model);
  if (line.costUsd !== undefined) attributes["routegate.cost_usd"] = line.costUsd;
  if (line.timeToFirstChunkMs !== undefined) attributes["routegate.time_to_first_chunk_ms"] = line.timeToFirstChunkMs;
  if (line.warning) attributes["routegate.warning"] = line.warning;
  if (line.key) attributes["routegate.key"] = line.key;
  if (answer && plan) {
    const spec = plan.bound.cfg.models.find((m) => m.id === answer.model);
    const usage = usageOf(answer);
    attributes["routegate.model"] = answer.model;
    attributes["gen_ai.response.model"] = spec?.model ?? answer.model;
    if (spec) attributes["gen_ai.provider.name"] = spec.provider;
    attributes["gen_ai.usage.input_tokens"] = usage.prompt_tokens;
    attributes["gen_ai.usage.output_tokens"] = usage.completion_tokens;
    if (answer.finishReason) attributes["gen_ai.response.finish_reasons"] = [answer.finishReason];
  }
  span.setAttributes(attributes);
  if (line.status >= 400) {
    span.setAttribute("error.type", String(line.status));
    span.setStatus({ code: SpanStatusCode.ERROR, message: line.error ?? `status ${line.status}` });
  }
  span.end();
}
