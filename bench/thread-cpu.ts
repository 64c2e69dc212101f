import { readdirSync, readFileSync } from "node:fs";

// CPU time of this process's threads, from Linux's /proc/self/task/*/schedstat (nanoseconds on a
// CPU, exact, unlike getrusage's tick-rounded figures): the main thread (the event loop that
// serves requests) and all threads together (the shadow worker, GC and libuv's pool included).
// Unlike a latency, it hardly depends on how busy other processes keep the cores.

export interface ThreadCpu {
  mainNs: number;
  allNs: number;
}

const onCpuNs = (tid: string) => {
  try {
    return Number(readFileSync(`/proc/self/task/${tid}/schedstat`, "utf8").split(" ")[0]);
  } catch {
    return 0; // a thread that ended between the listing and the read
  }
};

/** undefined where /proc has no schedstat (not Linux). */
export function threadCpu(): ThreadCpu | undefined {
  if (process.platform !== "linux") return undefined;
  const tids = readdirSync("/proc/self/task");
  return { mainNs: onCpuNs(String(process.pid)), allNs: tids.reduce((s, t) => s + onCpuNs(t), 0) };
}
