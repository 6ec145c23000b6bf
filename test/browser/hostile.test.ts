// Hostile input in Chromium (bad-inputs-and-edge-cases.md §4, §7 rows 19, 20, 50, 53).
// 1. test/fixtures/hostile/hostile.csv — column names and values `<img src=x onerror=alert(1)>`,
//    `"><svg onload=alert(1)>`, `javascript:alert(1)`, `</script><script>alert(1)</script>`, `__proto__`,
//    `constructor`, `toString`, and text cells starting with = + - @ — uploaded through the Your data page
//    (setInputFiles), mapped (a markup column as a factor), used on the Overview: no dialog, no CSP
//    violation (securitypolicyviolation events and console), names and labels render as text, nothing lost
//    (24 rows, 11 columns, every header). The preview's CSV export neutralises formula cells.
// 2. Tampered URL fragments on the Overview: a script as the grouping column, 1e309, an unknown column,
//    over 2 KB — a visible notice each, no dialog, and the valid filter in the same link still applies.
import {readFileSync} from "node:fs";
import {join} from "node:path";
import type {Page} from "playwright-core";
import {afterAll, assert, beforeAll, describe, it} from "vitest";
import {ROOT, type BrowserSession, type StaticServer, buildSite, launch, serve, settle} from "./harness.js";

const site = buildSite();
const HOSTILE_PATH = join(ROOT, "test/fixtures/hostile/hostile.csv");
const HEADERS = ["id", "os_days", "os_status", "<img src=x onerror=alert(1)>", '"><svg onload=alert(1)>', "javascript:alert(1)", "__proto__", "constructor", "toString", "formula", "age"];
let server: StaticServer;

const INSTRUMENT = `
  window.__sv = {csp: []};
  document.addEventListener("securitypolicyviolation", (e) => window.__sv.csp.push(e.violatedDirective + " " + e.blockedURI + " " + (e.sample || "")));
  // A script that did run would leave this mark (alert is also watched through the dialog event).
  window.__pwned = 0;
`;

interface Watch {
  dialogs: string[];
  console: string[];
}

async function session(): Promise<{s: BrowserSession; watch: Watch}> {
  const s = await launch({width: 1280, height: 900});
  await s.context.addInitScript({content: INSTRUMENT});
  const watch: Watch = {dialogs: [], console: []};
  s.context.on("page", (p) => {
    p.on("dialog", async (d) => {
      watch.dialogs.push(`${d.type()}: ${d.message()}`);
      await d.dismiss().catch(() => {});
    });
    p.on("console", (m) => {
      if (m.type() === "error" || /Content Security Policy|Refused to/i.test(m.text())) watch.console.push(m.text());
    });
    p.on("pageerror", (e) => watch.console.push(`page error: ${e.message}`));
  });
  return {s, watch};
}

async function open(s: BrowserSession, path: string): Promise<Page> {
  const page = await s.context.newPage();
  await page.goto(`${server.origin}${path}`, {waitUntil: "load"});
  await settle(page);
  return page;
}

const csp = (page: Page) => page.evaluate(() => (window as unknown as {__sv: {csp: string[]}}).__sv.csp);
/** Elements a successful injection would have created (an <img src=x>, any on* handler attribute, a javascript: link). */
const injected = (page: Page) =>
  page.evaluate(() => {
    const all = Array.from(document.querySelectorAll("main *"));
    return {
      img: document.querySelectorAll('img[src="x"]').length,
      handlers: all.filter((e) => Array.from(e.attributes).some((a) => /^on/i.test(a.name))).map((e) => e.outerHTML.slice(0, 120)),
      jsLinks: Array.from(document.querySelectorAll("a[href]")).filter((a) => /^\s*javascript:/i.test(a.getAttribute("href")!)).length,
      scripts: document.querySelectorAll("main script").length
    };
  });

beforeAll(async () => {
  server = await serve(site);
});
afterAll(async () => {
  await server?.close();
});

describe("a hostile CSV uploaded through the Your data page", () => {
  let s: BrowserSession;
  let watch: Watch;
  let page: Page;
  beforeAll(async () => {
    ({s, watch} = await session());
    page = await open(s, "/upload");
    await page.setInputFiles("input.sv-upload-input", HOSTILE_PATH);
    await page.waitForSelector(".sv-upload-progress[data-state=done]", {timeout: 60_000});
    await page.waitForSelector(".sv-mapping-form", {timeout: 30_000});
    await settle(page);
  });
  afterAll(async () => {
    await s?.close();
  });

  it("reads every row and column: 24 × 11, every header exactly as written, shown as text", async () => {
    const summary = await page.$eval(".sv-upload-summary", (e) => [e.getAttribute("data-rows"), e.getAttribute("data-columns")]);
    assert.deepStrictEqual(summary, ["24", "11"]);
    const preview = page.locator("table.sv-data-table", {has: page.locator("caption", {hasText: "Preview"})});
    const headers = await preview.locator("thead th").allTextContents();
    assert.deepStrictEqual(headers, HEADERS);
    const firstRow = await preview.locator("tbody tr").first().locator("td").allTextContents();
    assert.deepStrictEqual(firstRow, ["P001", "41", "1", '"><svg onload=alert(1)>', '"><svg onload=alert(1)>', "javascript:alert(1)", "__proto__", "toString", "1", "+cmd", "5"]);
    // Column names appear as option text in the mapping form, verbatim.
    const options = await page.getByLabel("Sex: column").locator("option").allTextContents();
    for (const h of ["<img src=x onerror=alert(1)> (text)", '"><svg onload=alert(1)> (text)', "__proto__ (text)", "constructor (text)", "toString (number)"]) assert.include(options, h);
  });

  it("no script ran and the policy was never violated", async () => {
    assert.deepStrictEqual(await injected(page), {img: 0, handlers: [], jsLinks: 0, scripts: 0});
    assert.deepStrictEqual(watch.dialogs, []);
    assert.deepStrictEqual(await csp(page), []);
    assert.deepStrictEqual(watch.console, []);
    assert.strictEqual(await page.evaluate(() => (window as unknown as {__pwned: number}).__pwned), 0);
  });

  it("the preview's CSV export neutralises cells that start with = + - @ and keeps every hostile name", async () => {
    const [d] = await Promise.all([page.waitForEvent("download", {timeout: 15_000}), page.locator(".sv-table-wrap:has(caption:has-text('Preview')) .sv-download-csv").click()]);
    assert.strictEqual(d.suggestedFilename(), "preview.csv");
    const text = readFileSync((await d.path())!, "utf8").replace(/^\ufeff/, "");
    const lines = text.split("\r\n");
    assert.strictEqual(lines[0], `id,os_days,os_status,<img src=x onerror=alert(1)>,"""><svg onload=alert(1)>",javascript:alert(1),__proto__,constructor,toString,formula,age`);
    const formula = lines.slice(1, 11).map((l) => l.split(",").at(-2));
    assert.deepStrictEqual(formula.slice(0, 6), ["'+cmd", "'-2+3", "'@SUM(A1)", `"'=HYPERLINK(""http://example.invalid"")"`, "plain", "'=1+2"]);
  });

  it("mapped (a markup column as Sex, __proto__ as Conditioning) and used on the Overview: labels are text, nothing runs", async () => {
    await page.getByLabel("Sex: column").selectOption("<img src=x onerror=alert(1)>");
    await page.getByLabel("Conditioning: column").selectOption("__proto__");
    await page.getByLabel("Donor (second SCT): column").selectOption("javascript:alert(1)");
    await page.waitForSelector(".sv-use-data");
    await settle(page);
    const factorsCaption = await page.locator("caption", {hasText: "Factors available on every page"}).textContent();
    assert.include(factorsCaption!, "Sex; ");
    await page.click(".sv-use-data");
    await page.waitForSelector(".sv-open-overview");
    await page.click(".sv-open-overview");
    await page.waitForSelector(".sv-data-banner .sv-your-data", {timeout: 30_000});
    await settle(page);
    const labels = await page.locator("form label").allTextContents();
    for (const l of ["<img src=x onerror=alert(1)>", '"><svg onload=alert(1)>', "__proto__", "constructor", "javascript:alert(1)"]) assert.ok(labels.some((x) => x.trim() === l), `label ${l} in ${JSON.stringify(labels.slice(0, 40))}`);
    assert.include(await page.innerText("main"), "All 24 patients");
    // Filtering on a hostile label works as data.
    await page.locator("label", {hasText: '"><svg onload=alert(1)>'}).first().click();
    await page.waitForFunction(() => /12 of 24 patients/.test(document.querySelector("main")!.textContent ?? ""), null, {timeout: 15_000});
    assert.deepStrictEqual(await injected(page), {img: 0, handlers: [], jsLinks: 0, scripts: 0});
    assert.deepStrictEqual(watch.dialogs, []);
    assert.deepStrictEqual(await csp(page), []);
    assert.deepStrictEqual(watch.console, []);
  });
});

describe("tampered links on the Overview", () => {
  let s: BrowserSession;
  let watch: Watch;
  beforeAll(async () => {
    ({s, watch} = await session());
  });
  afterAll(async () => {
    await s?.close();
  });
  const validFilter = `f=${encodeURIComponent(JSON.stringify(["age_group", "in", ["≤ 9 years"]]))}`;

  const cases: [string, string, RegExp][] = [
    ["a script as the grouping column", `group=${encodeURIComponent("<script>alert(1)</script>")}&${validFilter}`, /Setting 'group': value contains markup or script and is not a column; ignored/],
    ["an infinite horizon", `horizon=1e309&${validFilter}`, /Setting 'horizon': '1e309' is not a finite number of days/],
    ["an unknown column", `group=no_such_column&${validFilter}`, /Setting 'group': no column 'no_such_column' in this dataset; ignored/],
    ["a javascript: filter value", `f=${encodeURIComponent(JSON.stringify(["sex", "==", "javascript:alert(1)"]))}&${validFilter}`, /value must be a finite number or plain text; ignored/],
    ["an unknown setting holding markup", `${encodeURIComponent('"><svg onload=alert(1)>')}=1&${validFilter}`, /Unknown setting \(a value containing markup, not shown\) ignored/]
  ];
  for (const [what, fragment, notice] of cases) {
    it(`${what}: a visible notice, no dialog, no CSP violation, the valid filter still applies`, async () => {
      const page = await open(s, `/#v=1&${fragment}`);
      try {
        const messages = await page.locator(".sv-message").allTextContents();
        assert.ok(messages.some((m) => notice.test(m)), messages.join("\n"));
        assert.match(await page.innerText("main"), /\b\d+ of 171 patients \(Age at second SCT: ≤ 9 years\)/);
        assert.deepStrictEqual(await injected(page), {img: 0, handlers: [], jsLinks: 0, scripts: 0});
        assert.deepStrictEqual(await csp(page), []);
        assert.deepStrictEqual(watch.dialogs, []);
        assert.deepStrictEqual(watch.console, []);
        // The page writes back only what it applied.
        const hash = decodeURIComponent(new URL(page.url()).hash);
        assert.notInclude(hash, "<script>");
        assert.notInclude(hash, "1e309");
        assert.notInclude(hash, "no_such_column");
      } finally {
        await page.close();
      }
    });
  }

  it("a fragment over 2 KB: ignored with a notice, the page shows every patient", async () => {
    const page = await open(s, `/#v=1&${validFilter}&pad=${"x".repeat(2100)}`);
    try {
      const messages = await page.locator(".sv-message").allTextContents();
      assert.ok(messages.some((m) => /The link's settings are 2,1\d\d characters long \(limit 2,048\) and were ignored/.test(m)), messages.join("\n"));
      assert.include(await page.innerText("main"), "All 171 patients");
      assert.deepStrictEqual(watch.dialogs, []);
      assert.deepStrictEqual(await csp(page), []);
    } finally {
      await page.close();
    }
  });
});
