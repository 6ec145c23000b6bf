// The Outcomes and Cohort pages in Chromium: a link restores each page's settings (horizon and CI type;
// the Table 1 grouping), changing a control or a filter changes the numbers on the page to what the study
// layer computes for the new view, and the view is written back to the link.
// Expected numbers come from the same study layer run in Node on the same cohort file (which
// test/study/{outcomes,table1}.test.ts check against R).
import type {Page} from "playwright-core";
import {assert, beforeAll, describe, it} from "vitest";
import {filterMask, type Filter} from "../../src/cohort/filters.js";
import type {CohortTable} from "../../src/cohort/table.js";
import {cohortCellText} from "../../src/components/table.js";
import {formatCI, formatPercentSE} from "../../src/components/format.js";
import {type Factor} from "../../src/study/cohort.js";
import {outcomesAnalysis, type OutcomeConfType} from "../../src/study/outcomes.js";
import {table1} from "../../src/study/table1.js";
import {settle} from "./harness.js";
import {server, session, useSite, studyCohort} from "./site.js";

const {routes} = useSite();
let table: CohortTable;
let factors: Factor[];

beforeAll(async () => {
  ({table, factors} = await studyCohort());
});

async function open(route: string, hash = ""): Promise<Page> {
  const page = await session.context.newPage();
  await page.goto(`${server.origin}${route}${hash}`, {waitUntil: "load"});
  await settle(page);
  return page;
}
const waitForText = (page: Page, text: string) => page.waitForFunction((t) => (document.querySelector("main")?.textContent ?? "").replace(/\s+/g, " ").includes(t), text, {timeout: 20_000});
const mask = (filters: Filter[]) => filterMask(table, filters).mask;

/** The estimates table's cells for OS, as the page prints them. */
function osCells(filters: Filter[], horizon: number, confType: OutcomeConfType): string {
  const os = outcomesAnalysis(table, mask(filters), {horizon, confType}).estimates[0];
  return `${formatPercentSE(os.estimate, os.se)}${formatCI(os.lower, os.upper, {percent: true})}${os.nRisk}`;
}

describe.runIf(routes.includes("/outcomes"))("the Outcomes page", () => {
  it("a link with horizon=365.25&conf=log restores the view; the horizon, CI type and a filter recompute the estimates", async () => {
    const page = await open("/outcomes", "#v=1&horizon=365.25&conf=log");
    try {
      assert.equal(await page.locator('form:has-text("Horizon (months)") input[type=number]').inputValue(), "12");
      assert.ok(await page.getByLabel("log", {exact: true}).isChecked(), "log CI chosen");
      await waitForText(page, osCells([], 365.25, "log"));
      await page.getByLabel("plain", {exact: true}).check();
      await waitForText(page, osCells([], 365.25, "plain"));
      const horizon = page.locator('form:has-text("Horizon (months)") input[type=number]');
      await horizon.fill("24");
      await horizon.dispatchEvent("input");
      await waitForText(page, osCells([], 730.5, "plain"));
      await page.getByLabel("RIC", {exact: true}).first().uncheck();
      await waitForText(page, osCells([{column: "conditioning", op: "in", value: ["MAC"]}], 730.5, "plain"));
      assert.match(page.url(), /horizon=730\.5&conf=plain/);
      assert.match(page.url(), /conditioning/);
      // the stacked view states the deviation it computed on this selection
      const a = outcomesAnalysis(table, mask([{column: "conditioning", op: "in", value: ["MAC"]}]), {horizon: 730.5, confType: "plain"});
      const dev = a.competing!.maxDeviation;
      await waitForText(page, `differs from 1 by at most ${dev === 0 ? "0 (exactly)" : dev.toExponential(1)}`);
    } finally {
      await page.close();
    }
  });
});

describe.runIf(routes.includes("/cohort"))("the Cohort page", () => {
  it("a link with group=immunophenotype restores the columns; masking and a filter change the table as computed", async () => {
    const page = await open("/cohort", "#v=1&group=immunophenotype");
    try {
      const header = () => page.locator("table.sv-cohort-table thead").innerText().then((t) => t.replace(/\s+/g, " ").trim());
      const t1 = table1(table, mask([]), {groupBy: "immunophenotype", factors});
      const expected = `Characteristic ${t1.data.columns.map((c) => `${c.label} (n = ${c.n})`).join(" ")} P`;
      await page.waitForFunction(() => !!document.querySelector("table.sv-cohort-table"));
      assert.equal(await header(), expected);
      // the age row's overall median (IQR), as the study layer computes it
      const age = t1.data.rows.find((r) => r.label.startsWith("Age at second SCT"))!;
      await waitForText(page, cohortCellText(age.cells[0], {digits: age.digits}));
      await page.getByLabel(/Mask counts below 5/).check();
      await waitForText(page, "other (n = <5)");
      await page.getByLabel("RIC", {exact: true}).first().uncheck();
      const mac = table1(table, mask([{column: "conditioning", op: "in", value: ["MAC"]}]), {groupBy: "immunophenotype", factors});
      await waitForText(page, `Overall (n = ${mac.n})`);
      const macAge = mac.data.rows.find((r) => r.label.startsWith("Age at second SCT"))!;
      await waitForText(page, cohortCellText(macAge.cells[0], {digits: macAge.digits}));
      assert.match(page.url(), /group=immunophenotype/);
      assert.match(page.url(), /conditioning/);
    } finally {
      await page.close();
    }
  });
});
