import { Session } from "node:inspector/promises";
import { drainShadowed, startBenchGateways } from "./serve-gateways.ts";
import { serveParent } from "./serve-processes.ts";

// The serve bench's gateway process: the bench's gateways, routing to the upstream process.
// An optional third argument: the candidate's upstream (bench/serve-shadow.ts --candidate-upstream).
const [baseUrl, key, candidateBaseUrl] = process.argv.slice(2) as [string, string, string | undefined];
const gateways = await startBenchGateways(baseUrl, key, candidateBaseUrl);
const { plain, shadowed, shadowedInThread } = gateways;
const profiler = new Session();
const gc = (globalThis as { gc?: () => void }).gc!;
process.send!({ plain: plain.url, shadowed: shadowed.url, shadowedInThread: shadowedInThread.url });
serveParent(
  async (m) => {
    if (m.cmd === "heap") {
      gc();
      return process.memoryUsage().heapUsed;
    }
    if (m.cmd === "cpu") {
      const u = process.cpuUsage();
      return u.user + u.system;
    }
    // CPU profile of a window the bench chooses (bench/serve-profile.ts).
    if (m.cmd === "profile-start") {
      profiler.connect();
      await profiler.post("Profiler.enable");
      await profiler.post("Profiler.setSamplingInterval", { interval: 100 });
      await profiler.post("Profiler.start");
      return true;
    }
    if (m.cmd === "profile-stop") {
      const { profile } = await profiler.post("Profiler.stop");
      profiler.disconnect();
      return profile;
    }
    if (m.cmd === "drain") return drainShadowed(gateways);
    if (m.cmd === "shadow") {
      await shadowed.shadow!.drain();
      return shadowed.shadow!.stats;
    }
    return undefined;
  },
  async () => {
    await plain.close(100);
    await shadowed.close(100);
    await shadowedInThread.close(100);
  },
);
