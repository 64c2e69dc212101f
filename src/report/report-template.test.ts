import { readFileSync } from "node:fs";
import Handlebars from "handlebars";
import { describe, expect, it } from "vitest";
import { summaryFixture } from "../../test/report/summary-fixture.ts";
import { loadHandlebarsRuntime } from "../core/lazy-modules.ts";
import { registerReportHelpers } from "./handlebars-helpers.ts";
import { type ReportTemplateName, reportTemplate, TEMPLATE_OPTIONS } from "./report-template.ts";
import { reportView } from "./report-view.ts";

// The build precompiles the templates (scripts/build.mjs); a checkout compiles them. Both must
// render the same report, which holds when both use TEMPLATE_OPTIONS, and so must the runtime-only
// environment an installed routegate runs the precompiled ones on (reportEnvironment).
describe("report templates, precompiled as the build does and compiled as a checkout does", () => {
  for (const name of Object.keys(TEMPLATE_OPTIONS) as ReportTemplateName[]) {
    it(`${name} renders the same report`, () => {
      const text = readFileSync(new URL(`./templates/${name}`, import.meta.url), "utf8");
      const spec = new Function(`return ${Handlebars.precompile(text, TEMPLATE_OPTIONS[name])}`)();
      const hb = Handlebars.create();
      registerReportHelpers(hb);
      const view = { ...reportView(summaryFixture()), css: "", chart: "", star: "", sections: [] };
      const compiled = reportTemplate(hb, name)(view);
      expect(compiled.length).toBeGreaterThan(500);
      expect(hb.template(spec)(view)).toBe(compiled);
      // An installed routegate runs the precompiled template on Handlebars' runtime alone.
      const runtime = loadHandlebarsRuntime().create();
      expect(runtime.compile).toBeUndefined();
      registerReportHelpers(runtime);
      expect(runtime.template(spec)(view)).toBe(compiled);
    });
  }
});
