import { execFileSync } from "node:child_process";
import { existsSync, readlinkSync } from "node:fs";
import { setPriority } from "node:os";

// The lowest scheduling class Linux offers the calling thread, for work that must never delay the
// threads serving production (the shadow worker).
//
// Nice 19 alone is not enough: the kernel's fair scheduler lets a running nice-19 thread finish
// its time slice (about a millisecond on a small machine) before a woken nice-0 thread takes the
// core, and that wait lands on the served request's latency. A thread in the SCHED_IDLE class is
// preempted at once by any normal thread that wakes. Node has no binding for
// sched_setscheduler(2), so util-linux's `chrt` sets it for this thread's id (the policy is a
// per-thread attribute, like the nice value). `chrt` is taken from fixed system paths only, never
// from PATH. Where it is missing or refused (another OS, a sandbox), nice 19 is what is left;
// where that is refused too, the thread keeps the gateway's priority, never a higher one.

const CHRT = ["/usr/bin/chrt", "/bin/chrt"];

/** What the calling thread got: "idle" (SCHED_IDLE), "nice 19", or "unchanged". */
export type IdlePriority = "idle" | "nice 19" | "unchanged";

export function lowerThisThread(): IdlePriority {
  if (process.platform !== "linux") return "unchanged";
  let got: IdlePriority = "unchanged";
  try {
    // setpriority(PRIO_PROCESS, 0, ...) changes the calling task (thread) only on Linux.
    setPriority(19);
    got = "nice 19";
  } catch {
    // Not permitted: keep trying the scheduling class.
  }
  const tid = threadId();
  const chrt = CHRT.find((path) => existsSync(path));
  if (tid === undefined || chrt === undefined) return got;
  try {
    execFileSync(chrt, ["--idle", "--pid", "0", tid], { stdio: "ignore", timeout: 5000 });
    return "idle";
  } catch {
    return got;
  }
}

/** The calling thread's kernel id: /proc/thread-self links to `<pid>/task/<tid>`. */
function threadId(): string | undefined {
  try {
    const tid = readlinkSync("/proc/thread-self").split("/").pop();
    return tid && /^\d+$/.test(tid) ? tid : undefined;
  } catch {
    return undefined;
  }
}
