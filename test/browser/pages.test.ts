// Browser tests: every page of the built site (discovered from its *.html, so new pages are
// covered without editing this file) loads in Chromium with no console error, no uncaught
// exception, no request to another origin, no dialog, no Framework cell error and no NaN /
// Infinity / undefined on the page; a full-page screenshot of each is saved to
// test-results/screenshots/<page>.png. Figures built with src/components are checked on every
// page: the number-at-risk counts sit under the x-axis ticks (±1 px), no SVG text is cut off at
// its SVG's edge, and legend entries do not overlap. The Write your own page, whose examples run the
// components on the loaded cohort, is also driven: unit switch, exports (SVG, PNG, CSV), text-only
// table cells, plain-language messages, and the share bar (R code, spec JSON, copied link restoring the view).
//
// Needs Chromium at /usr/bin/chromium (CHROMIUM_PATH to override). Builds into test-results/site
// (BROWSER_SITE_DIR=dist to test an existing build instead).
import {readFileSync} from "node:fs";
import type {Page} from "playwright-core";
import {afterAll, assert, beforeAll, describe, it} from "vitest";
import {figureProblems, problems, visit} from "./harness.js";
import {server, session, useSite} from "./site.js";

const {site, routes} = useSite();


describe("every page of the built site", () => {
  it("the site has pages", () => {
    assert.ok(routes.length > 0, `no *.html in ${site}`);
  });
  for (const route of routes) {
    it(`${route} loads with no errors, no foreign requests, no dialogs, no broken values, and aligned figures`, async () => {
      const before = server.notFound.length;
      const {page, report} = await visit(session.context, server.origin, route);
      try {
        const list = [...problems(report, server.notFound.slice(before)), ...(await figureProblems(page))];
        assert.deepStrictEqual(list, [], `${route}:\n${list.join("\n")}`);
        assert.ok(report.requests.length > 0 && report.screenshot, "page made requests and was captured");
      } finally {
        await page.close();
      }
    });
  }
});

async function download(page: Page, selector: string): Promise<{name: string; bytes: Buffer}> {
  const [d] = await Promise.all([page.waitForEvent("download", {timeout: 15_000}), page.locator(selector).first().click()]);
  const path = await d.path();
  return {name: d.suggestedFilename(), bytes: readFileSync(path)};
}

describe.runIf(routes.includes("/write-your-own"))("components on the Write your own page (live cohort)", () => {
  let page: Page;
  beforeAll(async () => {
    await session.context.grantPermissions(["clipboard-read", "clipboard-write"], {origin: server.origin});
    page = (await visit(session.context, server.origin, "/write-your-own", {screenshot: false})).page;
  });
  afterAll(async () => {
    await page?.close();
  });

  it("switching the time unit re-draws ticks and risk table together, still aligned", async () => {
    const ticks = () => page.$$eval('.sv-survival svg.sv-curves g[aria-label="x-axis tick label"] text', (ts) => ts.map((t) => t.textContent));
    const months = (await ticks()).slice(0, 3);
    assert.strictEqual(months[0], "0");
    await page.getByLabel("years", {exact: true}).first().check();
    await page.waitForFunction(() => document.querySelector(".sv-survival svg.sv-curves")?.textContent?.includes("(years)"));
    const years = (await ticks()).slice(0, 3);
    // The same ticks in the other unit: 24 months is 2 years.
    assert.deepStrictEqual(years, months.map((m) => String(Number(m) / 12)));
    assert.deepStrictEqual(await figureProblems(page), []);
    await page.getByLabel("events", {exact: true}).first().check();
    await page.waitForFunction(() => document.querySelector(".sv-survival svg.sv-risk-table")?.textContent?.includes("Cumulative events"));
    assert.deepStrictEqual(await figureProblems(page), []);
  });

  it("the geometry checks are not vacuous: a risk table shifted by 4 px and a cut-off label are reported", async () => {
    await page.$eval(".sv-survival svg.sv-risk-table", (t) => ((t as SVGSVGElement).style.marginLeft = "4px"));
    const shifted = await figureProblems(page);
    await page.$eval(".sv-survival svg.sv-risk-table", (t) => ((t as SVGSVGElement).style.marginLeft = ""));
    assert.ok(shifted.some((p) => /count "\d+" at x=.*its tick at x=/.test(p)), shifted.join("\n"));
    await page.$eval(".sv-survival svg.sv-curves", (svg) => svg.querySelector('g[aria-label="y-axis label"]')?.setAttribute("transform", "translate(-400,0)"));
    const clipped = await figureProblems(page);
    assert.ok(clipped.some((p) => p.includes("outside its SVG")), clipped.join("\n"));
    await page.reload();
    await page.waitForFunction(() => document.querySelectorAll(".sv-figure").length >= 4 && document.querySelectorAll("observablehq-loading").length === 0);
    assert.deepStrictEqual(await figureProblems(page), []);
  });

  it("SVG export holds the curves and the risk table in one file, with styles inlined", async () => {
    const {name, bytes} = await download(page, ".sv-survival .sv-download-svg");
    assert.strictEqual(name, "wyo-overall-survival.svg");
    const text = bytes.toString("utf8");
    assert.match(text, /^<\?xml/);
    assert.ok(text.includes("Number at risk") && text.includes("Overall survival") && text.includes("≤ 9 years") && text.includes("&gt; 9 years"), "curves, legend and table are in the SVG");
    assert.ok(!text.includes("<style"), "no <style> sheets: computed styles are inlined");
    assert.match(text, /style="[^"]*font-family:/);
    // Valid standalone SVG that the browser can parse and lay out.
    const size = await page.evaluate(async (svg) => {
      const doc = new DOMParser().parseFromString(svg, "image/svg+xml");
      if (doc.querySelector("parsererror")) return null;
      const root = doc.documentElement;
      return {w: +root.getAttribute("width")!, h: +root.getAttribute("height")!, panels: root.querySelectorAll(":scope > svg").length};
    }, text);
    assert.ok(size && size.w > 300 && size.h > 300 && size.panels >= 3, JSON.stringify(size));
  });

  it("PNG export renders the whole figure at twice its size", async () => {
    const {name, bytes} = await download(page, ".sv-forest-figure .sv-download-png");
    assert.strictEqual(name, "wyo-forest.png");
    assert.strictEqual(bytes.subarray(1, 4).toString("latin1"), "PNG");
    const width = bytes.readUInt32BE(16);
    const height = bytes.readUInt32BE(20);
    const svg = await page.$eval(".sv-forest-figure svg.sv-forest", (s) => ({w: +s.getAttribute("width")!, h: +s.getAttribute("height")!}));
    assert.strictEqual(width, 2 * (svg.w + 16));
    assert.ok(height > 2 * svg.h, `${height} vs forest panel ${svg.h}`);
  });

  it("CSV export neutralises formulas, keeps numbers numeric and keeps masked counts masked", async () => {
    const {name, bytes} = await download(page, "#awkward-values .sv-download-csv");
    assert.strictEqual(name, "wyo-awkward.csv");
    const text = bytes.toString("utf8");
    assert.ok(text.startsWith("\ufeff"), "UTF-8 BOM for Excel");
    const lines = text.slice(1).split("\r\n");
    assert.strictEqual(lines[0], "Proto column,constructor,toString column,count");
    assert.strictEqual(lines[1], `<b>not bold</b>,"'=HYPERLINK(""http://example.invalid"")",-3,<5`);
    assert.strictEqual(lines[2], "<img src=x onerror=alert(1)>,'+cmd,2.5,12");
    const km = (await download(page, ".sv-survival .sv-download-csv")).bytes.toString("utf8");
    assert.match(km.split("\r\n")[0], /^\ufeff?curve,group,cause,time,estimate,lower,upper,n_risk,n_event,n_censor$/);
  });

  it("table cells show markup as text and columns named like Object.prototype members work", async () => {
    const info = await page.$eval("#awkward-values .sv-data-table", (t) => ({
      elements: t.querySelectorAll("tbody b, tbody img").length,
      headers: Array.from(t.querySelectorAll("th")).map((th) => th.textContent),
      first: t.querySelector("tbody td")?.textContent
    }));
    assert.deepStrictEqual(info, {elements: 0, headers: ["Proto column", "constructor", "toString column", "count"], first: "<b>not bold</b>"});
  });

  it("empty selections and single groups are shown as words, not broken charts", async () => {
    const messages = await page.$$eval(".sv-message", (ms) => ms.map((m) => m.textContent));
    assert.ok(messages.some((m) => m?.startsWith("No patients match these filters")), messages.join("\n"));
    assert.ok(messages.some((m) => m?.startsWith("Log-rank needs at least 2 groups")), messages.join("\n"));
  });

  it("share bar: R code for the view (shown and downloaded), the analysis spec as JSON, and a copied link that restores the view", async () => {
    await page.selectOption("select", {label: "Relapse after first SCT"});
    await page.waitForFunction(() => location.hash.includes("group=relapse_timing"));
    const bar = page.locator(".sv-share").first();
    await bar.locator(".sv-share-r").click();
    const code = (await bar.locator(".sv-share-r-code").textContent()) ?? "";
    assert.include(code, "library(survival)");
    assert.include(code, "fit <- survfit(Surv(os_days, os_status != 0) ~ relapse_timing, data = d, conf.type = \"log-log\")");
    assert.include(code, "lr <- survdiff(");
    const r = await download(page, ".sv-share .sv-share-r-download");
    assert.strictEqual(r.name, "write-your-own.R");
    assert.strictEqual(r.bytes.toString("utf8"), code);
    const json = await download(page, ".sv-share .sv-share-json");
    assert.strictEqual(json.name, "write-your-own-analysis.json");
    const spec = JSON.parse(json.bytes.toString("utf8"));
    assert.strictEqual(spec.groupBy, "relapse_timing");
    assert.deepStrictEqual(spec.filters, []);
    await bar.locator(".sv-share-copy").click();
    await page.waitForFunction(() => document.querySelector(".sv-share .sv-share-status")?.textContent === "Copied");
    const link = await page.evaluate(() => navigator.clipboard.readText());
    assert.strictEqual(link, await page.evaluate(() => location.origin + location.pathname + location.hash));
    assert.match(link, /#v=1&.*group=relapse_timing/);
    const other = await session.context.newPage();
    try {
      await other.goto(link);
      await other.waitForFunction(() => document.querySelectorAll(".sv-figure").length >= 4 && document.querySelectorAll("observablehq-loading").length === 0);
      assert.strictEqual(await other.$eval("select", (s) => (s as HTMLSelectElement).selectedOptions[0].textContent), "Relapse after first SCT");
      assert.ok((await other.$eval(".sv-survival", (f) => f.textContent ?? "")).includes("Late (≥ 180 days)"));
    } finally {
      await other.close();
    }
  });
});
