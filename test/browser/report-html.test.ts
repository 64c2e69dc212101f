import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Summary } from "../../src/contracts/summary.ts";
import { renderHtml } from "../../src/report/render-html.ts";
import { tempDir } from "../e2e/cli.ts";
import { runCli } from "../e2e/cli-in-process.ts";
import { adhocArgs, writeMixedDataset } from "../report/mixed-dataset.ts";
import { router, summaryFixture } from "../report/summary-fixture.ts";

// Debian's chromium, driven by playwright-core (never a downloaded browser: this machine's network is
// closed). .ci/run installs it, so in CI a missing binary is a failure, not a skip.
const CHROMIUM = "/usr/bin/chromium";
const present = existsSync(CHROMIUM);
const inCi = Boolean(process.env.CI);
if (!present && !inCi) {
  console.warn(
    `skipping test/browser: ${CHROMIUM} is missing (apt-get install -y chromium to run it; CI installs it and fails without it)`,
  );
}

// In CI the missing browser is a failed test, never a silent skip.
describe.runIf(!present && inCi)("report.html in headless Chromium (CI)", () => {
  it("needs Debian's chromium", async () => {
    throw new Error(`${CHROMIUM} is missing: CI must install Debian's chromium (.ci/run does)`);
  });
});

describe.runIf(present)("report.html in headless Chromium", () => {
  let browser: Browser | undefined;
  let htmlFile = "";
  let summary: Summary;

  beforeAll(async () => {
    const dir = tempDir("rg-browser-");
    const run = await runCli(adhocArgs(dir, writeMixedDataset(dir)), dir);
    if (run.code !== 0) throw new Error(`routegate eval failed (${run.code}): ${run.stderr}`);
    const latest = join(dir, "reports", "mixed", "latest");
    htmlFile = join(latest, "report.html");
    summary = Summary.parse(JSON.parse(readFileSync(join(latest, "summary.json"), "utf8")));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      // Playwright gives every launch a fresh, empty --user-data-dir of its own.
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  it("renders with JavaScript off: title, SIMULATED banner on top, verdict, one chart point per policy", async () => {
    // No script is needed to view the report, so the page must render with JavaScript disabled.
    const context = await browser!.newContext({ javaScriptEnabled: false, viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()}`));
    const fileUrl = pathToFileURL(htmlFile).href;
    // Self-contained: the page itself is the only thing it loads.
    page.on("request", (r) => {
      if (r.url() !== fileUrl) problems.push(`external request: ${r.url()}`);
    });
    await page.goto(fileUrl, { waitUntil: "load" });

    expect(await page.title()).toBe("SIMULATED · routegate: mixed · NO GATES");
    const banner = page.locator("#simulated-banner");
    await expect.poll(() => banner.isVisible()).toBe(true);
    expect(await banner.textContent()).toMatch(/^SIMULATED: this run used the sim provider/);
    expect(await page.evaluate(() => document.body.firstElementChild?.id)).toBe("simulated-banner");
    expect((await banner.boundingBox())!.y).toBe(0);
    expect(await page.locator("#verdict").textContent()).toBe(
      "Verdict: NO GATES (no gates declared: nothing was checked)",
    );

    const chart = page.locator("svg.chart");
    expect(await chart.count()).toBe(1);
    const box = (await chart.boundingBox())!;
    expect(box.width).toBeGreaterThan(400);
    expect(box.height).toBeGreaterThan(200);
    const circles = chart.locator("circle.policy");
    expect(await circles.count()).toBe(summary.routers.length);
    const ids = await chart.locator("g.point").evaluateAll((gs) => gs.map((g) => g.getAttribute("data-policy")));
    expect([...ids].sort()).toEqual(summary.routers.map((r) => r.id).sort());
    for (let k = 0; k < summary.routers.length; k++) {
      const c = (await circles.nth(k).boundingBox())!;
      expect(c.width).toBeGreaterThan(5);
      expect(c.x).toBeGreaterThanOrEqual(box.x);
      expect(c.x + c.width).toBeLessThanOrEqual(box.x + box.width);
      expect(c.y).toBeGreaterThanOrEqual(box.y);
      expect(c.y + c.height).toBeLessThanOrEqual(box.y + box.height);
    }
    expect(await chart.locator("polygon.oracle").count()).toBe(1);
    expect(await chart.locator("rect.reference-mark").count()).toBe(1);
    expect(await chart.locator("polyline.frontier").count()).toBe(summary.frontier.length > 1 ? 1 : 0);
    // Labels are laid out as real text the browser measured, not left at the origin.
    expect(await chart.locator("text.label").count()).toBe(summary.routers.length + 1);

    // The dataset's feature name arrives as text, never as markup.
    const headings = await page.locator("#features h3").allInnerTexts();
    expect(headings).toHaveLength(2);
    expect(headings[0]).toMatch(/^billing <b>&<\/b> \(\d+ items\)$/);
    expect(headings[1]).toMatch(/^tech \(\d+ items\)$/);
    expect(await page.locator("#features b").count()).toBe(0);
    expect(await page.locator("#features table.feature").count()).toBe(2);

    const shot = join(tempDir("rg-shot-"), "report.png");
    await page.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(20_000);
    console.log(`report.html screenshot: ${shot}`);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("keeps crowded chart labels apart, each next to its own point (nearest it, or tied by a leader line)", async () => {
    // Twelve routers at nearly one operating point, beside the single models: labels must not
    // overlap, and none may read as a neighbour's. Measured with Chromium's own text layout.
    const crowd = Array.from({ length: 12 }, (_, i) =>
      router(`router-${String.fromCharCode(97 + i)}${"x".repeat(i % 3)}`, 0.8 + (i % 4) * 0.002, 1 + i * 0.01),
    );
    const routers = [router("always:sim:cheap", 0.6, 0.15), router("always:sim:flagship", 0.85, 2.5), ...crowd];
    const file = join(tempDir("rg-crowd-"), "report.html");
    writeFileSync(file, renderHtml(summaryFixture({ routers, frontier: ["always:sim:cheap", "always:sim:flagship"] })));
    const context = await browser!.newContext({ javaScriptEnabled: false, viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
    const groups = page.locator("svg.chart g.point");
    expect(await groups.count()).toBe(routers.length);
    type Rect = { x: number; y: number; w: number; h: number };
    const shapes: Array<{ id: string; cx: number; cy: number; label: Rect; leader: number[] | null }> = [];
    for (let k = 0; k < routers.length; k++) {
      const g = groups.nth(k);
      const c = (await g.locator("circle.policy").boundingBox())!;
      const t = (await g.locator("text.label").boundingBox())!;
      const leader = g.locator("line.leader");
      const ends =
        (await leader.count()) === 0
          ? null
          : await leader.evaluate((el) => {
              const l = el as unknown as SVGLineElement;
              const svg = l.ownerSVGElement!;
              const m = svg.getScreenCTM()!;
              const at = (a: string, b: string) => {
                const p = svg.createSVGPoint();
                p.x = Number(l.getAttribute(a));
                p.y = Number(l.getAttribute(b));
                const s = p.matrixTransform(m);
                return [s.x, s.y];
              };
              return [...at("x1", "y1"), ...at("x2", "y2")];
            });
      shapes.push({
        id: (await g.getAttribute("data-policy"))!,
        cx: c.x + c.width / 2,
        cy: c.y + c.height / 2,
        label: { x: t.x, y: t.y, w: t.width, h: t.height },
        leader: ends,
      });
    }
    const gap = (x: number, y: number, r: Rect) =>
      Math.hypot(Math.max(r.x - x, 0, x - r.x - r.w), Math.max(r.y - y, 0, y - r.y - r.h));
    const problems: string[] = [];
    for (const a of shapes) {
      for (const b of shapes) {
        if (a === b) continue;
        const A = a.label;
        const B = b.label;
        // Half a pixel of anti-aliasing allowed.
        const overlap =
          Math.min(A.x + A.w, B.x + B.w) - Math.max(A.x, B.x) > 0.5 &&
          Math.min(A.y + A.h, B.y + B.h) - Math.max(A.y, B.y) > 0.5;
        if (overlap && a.id < b.id) problems.push(`labels of ${a.id} and ${b.id} overlap`);
      }
      const mine = gap(a.cx, a.cy, a.label);
      const nearest = shapes.every((o) => o === a || gap(o.cx, o.cy, a.label) > mine);
      if (nearest && mine <= 12) continue;
      // Otherwise a leader line must run from its own point's mark to its label.
      if (!a.leader)
        problems.push(`label of ${a.id} sits ${mine.toFixed(1)}px away, nearer another point, with no leader`);
      else {
        const [x1, y1, x2, y2] = a.leader as [number, number, number, number];
        // It starts on the edge of the point's mark (radius 5, the reference's square 9).
        if (Math.hypot(x1 - a.cx, y1 - a.cy) > 10) problems.push(`leader of ${a.id} does not start at its point`);
        if (gap(x2, y2, a.label) > 3) problems.push(`leader of ${a.id} does not reach its label`);
      }
    }
    expect(problems).toEqual([]);
    await context.close();
  });
});
