import os from "node:os";
import OpenAI from "openai";
import { spawnChild } from "./serve-processes.ts";

// Where the gateway process's time per request goes: the serve bench's three processes, N
// sequential requests from the OpenAI SDK through the gateway while V8's CPU profiler runs in the
// gateway, then its self time per function and per area (package, node module, src/ folder) and
// its CPU time per request. `npx tsx --conditions=@routegate/source bench/serve-profile.ts [N] [--shadow]`.

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const requests = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 2000);
const which = process.argv.includes("--shadow") ? "shadowed" : "plain";
const upstream = await spawnChild("./serve-upstream.ts", []);
const gateway = await spawnChild("./serve-gateway.ts", [upstream.ready.openaiBaseUrl as string, "k"]);
const url = (gateway.ready as Record<string, string>)[which]!;
const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: "k", maxRetries: 0 });
const body = {
  model: "routegate/bench",
  messages: [{ role: "user" as const, content: "hello there" }],
  max_tokens: 16,
};
// Warm: the JIT settles after a few thousand requests; a cold gateway is several times slower.
for (let i = 0; i < 3000; i++) await client.chat.completions.create(body);
await gateway.ask({ cmd: "profile-start" });
const cpu0 = await gateway.ask<number>({ cmd: "cpu" });
const t0 = performance.now();
for (let i = 0; i < requests; i++) await client.chat.completions.create(body);
const wall = performance.now() - t0;
const cpu1 = await gateway.ask<number>({ cmd: "cpu" });
const prof = await gateway.ask<Profile>({ cmd: "profile-stop" });
await gateway.close();
await upstream.close();

const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const self = new Map<string, number>();
const area = new Map<string, number>();
const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
let busy = 0;
prof.samples.forEach((id, i) => {
  const f = byId.get(id)!.callFrame;
  const dt = prof.timeDeltas[i] ?? 0;
  if (f.functionName === "(idle)") return;
  busy += dt;
  const where = f.url.replace(/^.*node_modules\//, "").replace(/^file:\/\/.*?\/(src|bench)\//, "$1/");
  add(self, `${f.functionName || "(anonymous)"} ${where}:${f.lineNumber + 1}`, dt);
  const a = !where
    ? f.functionName
    : where.startsWith("node:")
      ? where
      : where.startsWith("src/")
        ? where.split("/").slice(0, 2).join("/")
        : where.split("/")[0]!.startsWith("@")
          ? where.split("/").slice(0, 2).join("/")
          : where.split("/")[0]!;
  add(area, a, dt);
});
const perReq = (us: number) => `${(us / 1000 / requests).toFixed(4)} ms/req`;
console.log(
  `${requests} sequential requests (${which}), load average ${os.loadavg()[0]!.toFixed(2)}: wall ${(wall / requests).toFixed(3)} ms/request, gateway CPU ${((cpu1 - cpu0) / requests / 1000).toFixed(3)} ms/request, profiled busy ${perReq(busy)}`,
);
const show = (title: string, m: Map<string, number>, n: number) => {
  console.log(title);
  for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, n))
    console.log(`  ${((100 * v) / busy).toFixed(1).padStart(5)}%  ${perReq(v)}  ${k}`);
};
show("by area (share of busy time):", area, 25);
show("top functions (self time):", self, 40);
