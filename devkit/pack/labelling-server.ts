import { readFileSync } from "node:fs";
import { defaultAnswerer, type FakeProvider, startFakeProvider } from "../fake-provider/server.ts";

/**
 * The fake provider as two OpenAI models labelling the starter's tickets: the big one always right,
 * the mini one right except on hard tickets. Answers come from the golden set `routegate init`
 * wrote, so the run and its gate have something real to measure.
 */
export async function startLabellingServer(itemsFile: string): Promise<FakeProvider> {
  const byTicket = new Map<string, { expected: string; difficulty: string }>();
  for (const line of readFileSync(itemsFile, "utf8").split("\n").filter(Boolean)) {
    const item = JSON.parse(line) as { input: string; expected: string; metadata: { difficulty: string } };
    byTicket.set(item.input.trim(), { expected: item.expected, difficulty: item.metadata.difficulty });
  }
  return startFakeProvider({
    text(lastUser, req) {
      const ticket = /Ticket:\n([\s\S]*?)\n\nLabel:/.exec(lastUser)?.[1]?.trim() ?? lastUser.trim();
      const known = byTicket.get(ticket);
      if (!known) return "other";
      return req.model === "gpt-4o-mini" && known.difficulty === "hard" ? "other" : known.expected;
    },
    usage: defaultAnswerer.usage,
  });
}
