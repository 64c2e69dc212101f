// Preloaded by the scale bench (`node --import`): writes the process's peak RSS (KB) to the file
// named by ROUTEGATE_PEAK_RSS_FILE when it exits, however it exits.
import { writeFileSync } from "node:fs";

const out = process.env.ROUTEGATE_PEAK_RSS_FILE;
if (out) process.on("exit", () => writeFileSync(out, String(process.resourceUsage().maxRSS)));
