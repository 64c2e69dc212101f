#!/usr/bin/env node
// The installed package runs the compiled CLI (dist/). A checkout of the repository (src/ present)
// runs its sources as they stand, with no build: tsx compiles them on the fly and the package's own
// names (routegate/config, @routegate/runtime, ...) resolve to src/ through the "@routegate/source"
// export condition. ROUTEGATE_FROM=dist makes a checkout run its build instead (`npm run build`).
// Either way tsx is what loads the user's own TypeScript: eval files, routers, dataset schemas.
import { existsSync } from "node:fs";

const fromSource = process.env.ROUTEGATE_FROM !== "dist" && existsSync(new URL("../src/cli/main.ts", import.meta.url));

let cli;
if (fromSource) {
  const { register } = await import("node:module");
  register(new URL("./source-condition.mjs", import.meta.url));
  (await import("tsx/esm/api")).register();
  cli = await import("../src/cli/main.ts");
} else {
  cli = await import("../dist/cli/main.js");
}
process.exitCode = await cli.main(process.argv.slice(2));
