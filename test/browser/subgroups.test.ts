// The Subgroups page in Chromium: a link with a cut-point grouping restores the view; changing a filter
// changes the test on the page to what the engine computes for the new selection; the comparison ledger
// counts what was shown, grows with a new test and empties on "Reset ledger".
// Expected numbers come from the same study layer run in Node on the same cohort file (which
// test/study/subgroups.test.ts checks against R).
import type {Page} from "playwright-core";
import {assert, beforeAll, describe, it} from "vitest";
import type {CohortTable} from "../../src/cohort/table.js";
import {formatNumber} from "../../src/components/format.js";
import {selectRows, studyRanges, type Factor} from "../../src/study/cohort.js";
import {HORIZON_2Y} from "../../src/study/kato2012.js";
import {ledgerKey} from "../../src/study/ledger.js";
import {compareIncidence, compareSurvival, forestLedger, groupLedger, makeGrouping, subgroupForest, univariateLedger, univariateTable} from "../../src/study/subgroups.js";
import {settle} from "./harness.js";
import {server, session, useSite, studyCohort} from "./site.js";

const {routes} = useSite();
let table: CohortTable;
let factors: Factor[];

beforeAll(async () => {
  ({table, factors} = await studyCohort());
});

async function open(hash = ""): Promise<Page> {
  const page = await session.context.newPage();
  await page.goto(`${server.origin}/subgroups${hash}`, {waitUntil: "load"});
  await settle(page);
  return page;
}

const bodyText = (page: Page) => page.evaluate(() => document.querySelector("main")?.textContent ?? "");
const ledgerCount = async (page: Page) => Number(/You have looked at (\d+) distinct comparison/.exec((await bodyText(page)).replace(/\s+/g, " "))?.[1] ?? NaN);

/** The log-rank line the page prints for a grouping and selection, computed in Node. */
function logRankLine(column: string, cut: {points: number[]; closed: "le" | "lt"} | null, mask: Uint8Array): string {
  const g = makeGrouping(table, factors, studyRanges(table), column, cut);
  if ("message" in g) throw new Error(g.message);
  const os = compareSurvival(g.table, mask, g, {horizon: HORIZON_2Y});
  return `Log-rank: χ² = ${formatNumber(os.test!.chisq, 2)} on ${os.test!.df} df`;
}

describe.runIf(routes.includes("/subgroups"))("the Subgroups page", () => {
  it("a link with group=age&cut=le:6,12 restores the cut-point grouping and shows the engine's log-rank test", async () => {
    const page = await open("#v=1&group=age&cut=le%3A6%2C12");
    try {
      const chosen = await page.getByLabel("Group by").evaluate((el) => (el as HTMLSelectElement).selectedOptions[0]?.textContent);
      assert.strictEqual(chosen, "Age (years) — cut points");
      assert.strictEqual(await page.getByLabel("Cut points").inputValue(), "6, 12");
      const text = await bodyText(page);
      for (const level of ["≤ 6 years", "> 6 to ≤ 12 years", "> 12 years"]) assert.ok(text.includes(level), level);
      assert.ok(text.includes(logRankLine("age", {points: [6, 12], closed: "le"}, selectRows(table, []).mask)), "log-rank line");
      assert.match(page.url(), /group=age&cut=le%3A6%2C12/);
      // A new cut point is applied and written back to the link.
      await page.getByLabel("Cut points").fill("9");
      await page.getByRole("button", {name: "Apply"}).click();
      await page.waitForFunction(() => location.hash.includes("cut=le%3A9&"));
      await settle(page);
      assert.ok((await bodyText(page)).includes(logRankLine("age", {points: [9], closed: "le"}, selectRows(table, []).mask)));
    } finally {
      await page.close();
    }
  });

  it("unticking RIC in the filter panel recomputes the test on MAC patients only", async () => {
    const page = await open("#v=1&group=age_group");
    try {
      const before = logRankLine("age_group", null, selectRows(table, []).mask);
      assert.ok((await bodyText(page)).includes(before));
      await page.getByLabel("RIC", {exact: true}).first().uncheck();
      const after = logRankLine("age_group", null, selectRows(table, [{column: "conditioning", op: "in", value: ["MAC"]}]).mask);
      assert.notStrictEqual(after, before);
      await page.waitForFunction((t) => document.querySelector("main")?.textContent?.includes(t), after);
      // The univariate table comes from the model worker, after the log-rank line drawn on the page.
      const note = "Log-rank needs at least 2 groups; this selection has only “MAC”";
      await page.waitForFunction((t) => document.querySelector("main")?.textContent?.includes(t), note, {timeout: 20_000}).catch(() => {});
      assert.ok((await bodyText(page)).includes(note), "univariate table notes the one-group factor");
    } finally {
      await page.close();
    }
  });

  it("the ledger counts the distinct comparisons shown, adds a new test, and resets", async () => {
    const page = await open("#v=1&group=relapse_timing");
    try {
      // What the page shows on load: the grouping's tests, the univariate table's and the forest's interaction tests.
      const mask = selectRows(table, []).mask;
      const ctx = {filters: [], selection: "All patients"}; // the selection text is not part of a comparison's identity
      const g = makeGrouping(table, factors, studyRanges(table), "relapse_timing");
      if ("message" in g) throw new Error(g.message);
      const comparison = {column: "relapse_timing", level: "Late (≥ 180 days)", reference: "Early (< 180 days)"};
      const shown = (rho: 0 | 1) =>
        new Set(
          [
            ...groupLedger(ctx, g, compareSurvival(table, mask, g, {horizon: HORIZON_2Y, rho}), compareIncidence(table, mask, g, {horizon: HORIZON_2Y})),
            ...univariateLedger(ctx, univariateTable(table, mask, factors, {horizon: HORIZON_2Y}).factors),
            ...forestLedger(ctx, comparison, subgroupForest(table, mask, factors, comparison))
          ].map(ledgerKey)
        ).size;
      const expected = shown(0);
      assert.strictEqual(await ledgerCount(page), expected);
      await page.getByLabel("Peto–Peto (early differences)").check();
      await page.waitForFunction((n) => /You have looked at (\d+)/.exec(document.querySelector("main")?.textContent ?? "")?.[1] === String(n), expected + 1);
      await page.getByRole("button", {name: "Reset ledger"}).click();
      await page.waitForFunction(() => /You have looked at 0 distinct/.test((document.querySelector("main")?.textContent ?? "").replace(/\s+/g, " ")));
      // The session keeps the ledger across a reload; a reload shows the page's comparisons again.
      await page.reload();
      await settle(page);
      // After a reset and a reload the page's comparisons are counted anew. Peto–Peto is in the link, so the
      // grouping's OS test is Peto–Peto: one more distinct comparison than on load, where the grouping's
      // log-rank test was also the univariate table's.
      assert.ok(await page.getByLabel("Peto–Peto (early differences)").isChecked(), "the link keeps Peto–Peto");
      assert.strictEqual(await ledgerCount(page), shown(1));
      assert.strictEqual(shown(1), expected + 1);
    } finally {
      await page.close();
    }
  });
});
