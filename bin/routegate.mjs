#!/usr/bin/env node
// Eval files, routers and datasets' schemas are TypeScript written by users: tsx loads them as-is.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
