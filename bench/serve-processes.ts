import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";

// The serve bench's three parties in three processes, as in production: the fake upstream in one,
// the gateway in another, the client (OpenAI SDK, autocannon) in the bench's own. Each child
// reports on stdout-free IPC: "ready" with its URLs, then answers the bench's requests.

export interface Child {
  process: ChildProcess;
  ready: Record<string, unknown>;
  ask<T>(message: Record<string, unknown>): Promise<T>;
  close(): Promise<void>;
}

const EXEC_ARGV = ["--conditions=@routegate/source", "--import", "tsx", "--expose-gc"];

export async function spawnChild(script: string, args: string[], extraArgv: string[] = []): Promise<Child> {
  const child = fork(fileURLToPath(new URL(script, import.meta.url)), args, {
    execArgv: [...EXEC_ARGV, ...extraArgv],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const ready = await new Promise<Record<string, unknown>>((resolve, reject) => {
    child.once("message", (m) => resolve(m as Record<string, unknown>));
    child.once("exit", (code) => reject(new Error(`${script} exited (${code}) before it was ready`)));
  });
  let seq = 0;
  return {
    process: child,
    ready,
    ask<T>(message: Record<string, unknown>) {
      const id = ++seq;
      return new Promise<T>((resolve) => {
        const on = (m: unknown) => {
          const reply = m as { id?: number; value: T };
          if (reply.id !== id) return;
          child.off("message", on);
          resolve(reply.value);
        };
        child.on("message", on);
        child.send({ ...message, id });
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.send({ cmd: "exit" });
      }),
  };
}

/** In a child: answers the bench's messages with `handle`, and exits on "exit". */
export function serveParent(
  handle: (m: Record<string, unknown>) => Promise<unknown> | unknown,
  onExit: () => Promise<void>,
) {
  process.on("message", async (m: Record<string, unknown>) => {
    if (m.cmd === "exit") {
      await onExit();
      process.exit(0);
    }
    process.send!({ id: m.id, value: await handle(m) });
  });
}
