// `npm run eval [-- ARGS]`: `routegate eval ARGS`; with no ARGS (every example eval, all simulated)
// it then replays the real GSM8K records (gsm8k-real.ts), or says in one line that they are absent.
import { main } from "../../src/cli/main.ts";
import { runGsm8kExample } from "./gsm8k-real.ts";

const args = process.argv.slice(2);
let code = await main(["eval", ...args]);
if (args.length === 0 && code !== 2) {
  try {
    await runGsm8kExample({});
  } catch (err) {
    process.stderr.write(`gsm8k-real: failed: ${(err as Error).message}\n`);
    code = Math.max(code, 3);
  }
}
process.exitCode = code;
