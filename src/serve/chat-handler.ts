import { randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";
import type { Tracer } from "@opentelemetry/api";
import { redactPii } from "../core/redact-pii.ts";
import type { CallResult } from "../core/types.ts";
import { unsupportedBy } from "../providers/capabilities.ts";
import { answerPlan, streamPlan } from "../runtime/answer.ts";
import { type DecisionLog, decisionLog, type RoutePlan } from "../runtime/route-plan.ts";
import { parseChatBody, routeNameOf, toChatRequest } from "./chat-request.ts";
import { ChunkWriter, completionBody } from "./chat-response.ts";
import type { GatewayMetrics } from "./gateway-metrics.ts";
import {
  type AbortCause,
  badRequest,
  errorBody,
  type GatewayError,
  sendError,
  toGatewayError,
} from "./openai-errors.ts";
import type { Route } from "./routes.ts";
import { endChatSpan, startChatSpan } from "./telemetry.ts";

// POST /v1/chat/completions: parse, pick the route, plan (score + decide, on the config in force
// now), then answer, whole or streamed, falling back on retryable upstream failures. The client's
// disconnect and the gateway's deadline abort the upstream call.

/** One line of the gateway's decision log: the runtime's decision and the request's outcome. */
export interface GatewayDecisionLine extends Partial<DecisionLog> {
  decisionId: string;
  route: string;
  configVersion: number;
  status: number;
  stream: boolean;
  /** Characters of the router input: logged always (no content), for drift checks. */
  inputChars: number;
  /** The router input, redacted at write time; only with content logging on. */
  input?: string;
  warning?: string;
  error?: string;
  timeToFirstChunkMs?: number;
  /**
   * Time from arrival to the routing decision (the router's score step). A streamed answer cannot
   * start before it: a cascade holds its weak answer back until it is accepted, so for streamed
   * requests this is the time to first token the score step costs.
   */
  planMs?: number;
  /** The gateway key's name (never the key), when the gateway has named keys. */
  key?: string;
}

/** Who sent a request: the gateway key's name, and where its answers' costs are counted. */
export interface ChatCaller {
  key: string;
  charge(usd: number): void;
}

export interface ChatContext {
  routes: ReadonlyMap<string, Route>;
  metrics: GatewayMetrics;
  deadlineMs: number;
  /** Default output cap when a request names none. */
  defaultMaxTokens: number;
  logContent: boolean;
  writeDecision(line: GatewayDecisionLine): void;
  log(message: string): void;
  /** Called with every planned request, off the response path (shadow evaluation). */
  onPlanned?(route: Route, plan: RoutePlan, answer: Promise<CallResult | undefined>): void;
  /** OpenTelemetry spans, only when tracing is configured: without it nothing is recorded. */
  tracer?: Tracer;
}

export async function handleChat(ctx: ChatContext, res: ServerResponse, text: string, caller?: ChatCaller) {
  const arrived = performance.now();
  const decisionId = randomUUID();
  const body = parseChatBody(text);
  const route = ctx.routes.get(routeNameOf(body.model, [...ctx.routes.keys()]))!;
  const request = toChatRequest(body, ctx.defaultMaxTokens);
  const stream = body.stream === true;
  const { input, metadata } = route.extract({ messages: request.messages, metadata: body.metadata ?? {} });
  const inputText = typeof input === "string" ? input : JSON.stringify(input);

  // One controller for both reasons to stop (the client went away, the deadline passed): cheaper
  // on the hot path than AbortSignal.timeout + AbortSignal.any, and the timer is cleared at the end.
  const abort = new AbortController();
  const signal = abort.signal;
  let aborted: AbortCause;
  const stop = (why: NonNullable<AbortCause>) => {
    if (aborted) return;
    aborted = why;
    abort.abort(why === "deadline" ? new DOMException("routegate request deadline", "TimeoutError") : undefined);
  };
  res.on("close", () => {
    if (!res.writableFinished) stop("client");
  });
  const deadline = setTimeout(() => stop("deadline"), ctx.deadlineMs);
  const cause = (): AbortCause => aborted;

  // The eval gated plain chat: a request that adds tools or an output format is routed all the same,
  // flagged so the team knows the decision rests on evidence that did not cover it.
  const warning =
    request.tools?.length || request.responseFormat === "json"
      ? `the route's evaluation did not gate requests with ${request.tools?.length ? "tools" : "response_format"}`
      : undefined;
  const headers: Record<string, string> = { "x-routegate-decision": decisionId, "x-routegate-route": route.name };
  if (warning) headers["x-routegate-warning"] = warning;
  const line: GatewayDecisionLine = {
    decisionId,
    route: route.name,
    configVersion: route.version,
    status: 200,
    stream,
    inputChars: inputText.length,
    ...(ctx.logContent ? { input: redactPii(inputText) } : {}),
    ...(warning ? { warning } : {}),
    ...(caller ? { key: caller.key } : {}),
  };
  const span = ctx.tracer ? startChatSpan(ctx.tracer, body.model, route.name, decisionId, res.req.headers) : undefined;
  if (warning) ctx.log(`warning: ${decisionId} route ${route.name}: ${warning}`);

  let settleAnswer: (a: CallResult | undefined) => void = () => {};
  const answered = new Promise<CallResult | undefined>((r) => {
    settleAnswer = r;
  });
  let plan: RoutePlan | undefined;
  let answer: CallResult | undefined;
  try {
    const planned = await route.router.plan(
      { id: decisionId, input, ...(metadata ? { metadata } : {}), request },
      signal,
    );
    plan = planned;
    const planSeconds = (performance.now() - arrived) / 1000;
    line.planMs = Math.round(planSeconds * 10_000) / 10;
    ctx.metrics.planDuration.observe({ route: route.name, stream: String(stream) }, planSeconds);
    ctx.metrics.decisions.inc({ route: route.name, model: planned.choice.model });
    ctx.onPlanned?.(route, planned, answered);
    const chosen = planned.bound.cfg.models.find((m) => m.id === planned.choice.model);
    const missing = chosen && unsupportedBy(chosen.provider, request);
    if (missing)
      throw badRequest(
        `${missing.message}: route ${route.name} chose ${chosen.id} for this request`,
        missing.param,
        "unsupported_parameter",
      );
    const usable = (spec: { provider: Parameters<typeof unsupportedBy>[0] }) => !unsupportedBy(spec.provider, request);
    const created = Math.floor(Date.now() / 1000);
    const completionId = `chatcmpl-${decisionId}`;
    let fallbacks: DecisionLog["fallbacks"];
    if (!stream) {
      ({ answer, fallbacks } = await answerPlan(plan, { signal, usable }));
      const out = JSON.stringify(completionBody(completionId, body.model, created, answer));
      res.writeHead(200, {
        ...headers,
        "x-routegate-model": answer.model,
        "content-type": "application/json",
        "content-length": String(Buffer.byteLength(out)),
      });
      res.end(out);
    } else {
      const started: Awaited<ReturnType<typeof streamPlan>> = await streamPlan(plan, { signal, usable });
      fallbacks = started.fallbacks;
      res.writeHead(200, {
        ...headers,
        "x-routegate-model": started.model,
        "content-type": "text/event-stream",
        "cache-control": "no-cache",
        connection: "keep-alive",
      });
      const writer = new ChunkWriter(completionId, body.model, created, body.stream_options?.include_usage === true);
      const send = (chunks: unknown[]) => {
        for (const c of chunks) res.write(`data: ${JSON.stringify(c)}\n\n`);
      };
      let end: CallResult | undefined;
      let event = started.first;
      line.timeToFirstChunkMs = Math.round(performance.now() - arrived);
      ctx.metrics.firstByte.observe({ route: route.name }, line.timeToFirstChunkMs / 1000);
      for (;;) {
        send(writer.event(event));
        if (event.type === "end") end = event.result as CallResult;
        const next = await started.rest.next();
        if (next.done) break;
        event = next.value;
      }
      if (!end) throw new Error("the upstream stream ended without its result");
      answer = end;
      res.end("data: [DONE]\n\n");
    }
    settleAnswer(answer);
    for (const f of fallbacks) ctx.metrics.fallbacks.inc({ route: route.name, model: f.model });
    ctx.metrics.costUsd.inc({ route: route.name, model: answer.model }, sumCost(plan));
    Object.assign(line, decisionLog(plan, answer, fallbacks));
  } catch (err) {
    settleAnswer(undefined);
    const failure = toGatewayError(err, cause());
    if (failure.status >= 500 && failure.code === "internal_error")
      ctx.log(`error: ${decisionId}: ${(err as Error)?.stack ?? err}`);
    line.status = cause() === "client" ? 499 : failure.status;
    line.error = failure.message;
    ctx.metrics.errors.inc({
      route: route.name,
      code: cause() === "client" ? "client_closed" : (failure.code ?? failure.type),
    });
    failRequest(res, failure, headers);
  } finally {
    ctx.metrics.requests.inc({ route: route.name, status: String(line.status), stream: String(stream) });
    ctx.metrics.duration.observe({ route: route.name, stream: String(stream) }, (performance.now() - arrived) / 1000);
    const spent = plan ? sumCost(plan) : 0;
    caller?.charge(spent);
    ctx.writeDecision(line);
    if (span) endChatSpan(span, line, plan, answer);
    clearTimeout(deadline);
  }
}

const sumCost = (plan: RoutePlan) => plan.caller.calls.reduce((s, c) => s + c.costUsd, 0);

/** An error before anything was sent is a plain error reply; inside a stream, an error event, then the end. */
function failRequest(res: ServerResponse, err: GatewayError, headers: Record<string, string>): void {
  if (res.destroyed) return;
  if (!res.headersSent) {
    sendError(res, err, headers);
    return;
  }
  res.end(`data: ${errorBody(err)}\n\n`);
}
