// `npm run build` (and `prepack`): the routegate package's dist/, compiled by tsc from src/.
// tsc, not a bundler: one .js, .d.ts and source map per module keeps the CLI's lazy imports lazy,
// stack traces pointing at real files, and the types exactly what the source declares.
import { execFileSync } from "node:child_process";
import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");

rmSync(`${root}/dist`, { recursive: true, force: true });
execFileSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], { cwd: root, stdio: "inherit" });
// The report templates are read at run time, beside the module that renders them.
cpSync(`${root}/src/report/templates`, `${root}/dist/report/templates`, { recursive: true });
// ...and precompiled beside their text (report-template.ts), so a run does not compile them each time.
const Handlebars = createRequire(import.meta.url)("handlebars");
const { TEMPLATE_OPTIONS } = await import(pathToFileURL(`${root}/dist/report/report-template.js`).href);
for (const [name, options] of Object.entries(TEMPLATE_OPTIONS)) {
  const text = readFileSync(`${root}/src/report/templates/${name}`, "utf8");
  writeFileSync(
    `${root}/dist/report/templates/${name}.cjs`,
    `module.exports = ${Handlebars.precompile(text, options)};\n`,
  );
}
