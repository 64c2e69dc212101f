import type { Usage } from "../../core/types.ts";
import { Deadline } from "./deadline.ts";

/** Usage of a stream whose server sent none (an OpenAI-compatible server ignoring include_usage). */
export const UNKNOWN_USAGE: Usage = {
  input: { noCache: 0, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0 },
  output: { text: 0, reasoning: 0 },
};

/**
 * One streamed SDK request under the per-request deadline, which covers the whole stream: the
 * caller's abort, our timeout and the SDK's own errors are classified as for a plain request
 * (`Deadline.settle`), whether they strike before the first piece or in the middle.
 */
export async function* underStreamDeadline<T>(
  timeoutMs: number,
  outer: AbortSignal | undefined,
  provider: string,
  map: (err: unknown) => unknown,
  run: (signal: AbortSignal) => AsyncIterable<T>,
): AsyncGenerator<T> {
  const deadline = new Deadline(timeoutMs, outer);
  try {
    deadline.throwIfCancelled();
    try {
      for await (const piece of run(deadline.signal)) yield piece;
    } catch (err) {
      throw deadline.settle(provider, err, map);
    }
  } finally {
    deadline.dispose();
  }
}
