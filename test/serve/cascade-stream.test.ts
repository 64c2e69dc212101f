import { describe, expect, it } from "vitest";
import { openaiBody } from "../../devkit/fake-provider/wire.ts";
import { cascadeRouter, verifierSource } from "../../src/routing/index.ts";
import { GATEWAY_KEY, routingConfig, useGateway } from "./harness.ts";

// A cascade streams nothing before it has decided: its weak answer is held back until a
// confidence source accepts it. The decision line's planMs (and the plan-duration histogram) is
// what that costs the first token; the accepted weak answer is replayed, never paid twice.

const h = useGateway();
const cascade = cascadeRouter({
  id: "cascade",
  models: ["small", "large"],
  sources: [verifierSource("says-ok", (text) => text.startsWith("OK"))],
});
const WEAK_MS = 60;

async function streamThroughCascade(weakText: string) {
  const file = h.writeConfig(
    "cascade.json",
    routingConfig([h.openai("small", "gpt-4o-mini"), h.openai("large", "gpt-4o")], {
      id: "cascade",
      params: { threshold: 0.5, stageThresholds: [] },
    }),
  );
  await h.start({ routes: [{ file }], routers: [cascade] });
  h.fake.setResponder((req) => ({
    body: openaiBody({
      text: req.model === "gpt-4o-mini" ? weakText : "strong answer",
      usage: { prompt_tokens: 10, completion_tokens: 3, total_tokens: 13 },
      model: req.model ?? "",
    }),
    ...(req.model === "gpt-4o-mini" ? { delayMs: WEAK_MS } : {}),
  }));
  const stream = await h.client.chat.completions.create({
    model: "routegate/triage",
    messages: [{ role: "user", content: "hi" }],
    stream: true,
  });
  let text = "";
  for await (const c of stream) text += c.choices[0]?.delta?.content ?? "";
  return { text, line: h.decisions.at(-1)!, calls: h.fake.requests.map((r) => [r.model, r.stream]) };
}

describe("routegate serve: a cascade, streamed", () => {
  it("holds the weak answer back until accepted, then replays it; planMs is the first token's wait", async () => {
    const { text, line, calls } = await streamThroughCascade("OK weak answer");
    expect(text).toBe("OK weak answer");
    // One upstream call, not streamed (held back), and no second call for the accepted answer.
    expect(calls).toEqual([["gpt-4o-mini", false]]);
    expect(line).toMatchObject({ chosen: "small", answeredBy: "small", stream: true });
    expect(line.planMs!).toBeGreaterThanOrEqual(WEAK_MS - 5);
    expect(line.timeToFirstChunkMs!).toBeGreaterThanOrEqual(Math.floor(line.planMs!));
    const metrics = await (
      await fetch(`${h.gateway.url}/metrics`, { headers: { authorization: `Bearer ${GATEWAY_KEY}` } })
    ).text();
    expect(metrics).toMatch(/routegate_plan_duration_seconds_count\{route="triage",stream="true"\} 1/);
  });

  it("escalates a weak answer the source rejects: the strong model streams after the weak one's whole wait", async () => {
    const { text, line, calls } = await streamThroughCascade("not sure");
    expect(text).toBe("strong answer");
    expect(calls).toEqual([
      ["gpt-4o-mini", false],
      ["gpt-4o", true],
    ]);
    expect(line).toMatchObject({ chosen: "large", answeredBy: "large" });
    expect(line.planMs!).toBeGreaterThanOrEqual(WEAK_MS - 5);
  });
});
