// The Subgroups page's study layer against R on the committed synthetic cohort, and its plain messages
// for selections the engine cannot analyse.
// Expected values: test/reference/subgroups-kato2012.R → subgroups-kato2012.json (R 4.2.2, survival 3.5-3,
// cmprsk 2.2-11): survfit/summary/quantile, survdiff (rho 0 and 1, trend from obs/exp/var), cuminc $Tests,
// coxph per subgroup and the interaction LR from two nested coxph fits.
import {readFileSync} from "node:fs";
import {assert, beforeAll, describe, it} from "vitest";
import type {CohortTable} from "../../src/cohort/table.js";
import {loadStudyCohort, selectRows, type Factor, type RangeVariable} from "../../src/study/cohort.js";
import {
  compareIncidence,
  compareSurvival,
  cutLabels,
  forestLedger,
  groupLedger,
  groupingKey,
  makeGrouping,
  parseCutPoints,
  subgroupForest,
  subgroupRCode,
  univariateLedger,
  univariateTable,
  type Grouping
} from "../../src/study/subgroups.js";
import {HORIZON_2Y} from "../../src/study/kato2012.js";
import {ledgerKey} from "../../src/study/ledger.js";
import {assertClose} from "../util/close.js";

/* eslint-disable @typescript-eslint/no-explicit-any */
const fixture = JSON.parse(readFileSync("test/reference/subgroups-kato2012.json", "utf8")) as any;

let table: CohortTable;
let factors: Factor[];
let ranges: RangeVariable[];
const masks: Record<string, Uint8Array> = {};

beforeAll(async () => {
  const loaded = await loadStudyCohort(readFileSync("data/kato2012-synthetic.csv"), "kato2012-synthetic.csv");
  if (!loaded.table) throw new Error("cohort did not load");
  ({table, factors, ranges} = loaded as {table: CohortTable; factors: Factor[]; ranges: RangeVariable[]});
  masks.all = selectRows(table, []).mask;
  masks.mac = selectRows(table, [{column: "conditioning", op: "in", value: ["MAC"]}]).mask;
});

const factorGrouping = (column: string): Grouping => {
  const g = makeGrouping(table, factors, ranges, column);
  if ("message" in g) throw new Error(g.message);
  return g;
};

function checkComparison(label: string, grouping: Grouping, mask: Uint8Array, e: any, levelOf: (i: number) => string) {
  const os = compareSurvival(table, mask, grouping, {horizon: HORIZON_2Y, trend: true});
  assert.strictEqual(os.message, null, label);
  assert.deepStrictEqual(os.groups.map((g) => g.level), e.levels.map((_: string, i: number) => levelOf(i)), `${label}: levels in display order`);
  e.groups.forEach((r: any, i: number) => {
    const g = os.groups[i];
    assert.strictEqual(g.n, r.n, `${label} ${r.level}: n`);
    assert.strictEqual(g.deaths, r.events, `${label} ${r.level}: deaths`);
    assertClose([g.surv, g.se, g.lower, g.upper], [r.surv, r.se, r.lower, r.upper], {label: `${label} ${r.level}: S(730.5), se, limits`});
    assertClose([g.median, g.medianLower, g.medianUpper], [r.median, r.medianLower, r.medianUpper], {label: `${label} ${r.level}: median`});
  });
  if (!e.logRank) {
    assert.strictEqual(os.test, null);
    assert.match(os.testMessage!, /needs at least 2 groups/);
    return;
  }
  assertClose(os.test!.chisq, e.logRank.chisq, {label: `${label}: log-rank chisq`});
  assert.strictEqual(os.test!.df, e.logRank.df);
  assertClose(os.test!.p, e.logRank.p, {rtol: 1e-6, label: `${label}: log-rank p`});
  assertClose(os.groups.map((g) => g.expected), e.logRank.expected, {label: `${label}: expected`});
  assertClose(os.trend!.chisq, e.logRank.trend.chisq, {rtol: 1e-9, label: `${label}: trend chisq`});
  assertClose(os.trend!.p, e.logRank.trend.p, {rtol: 1e-6, label: `${label}: trend p`});
  const peto = compareSurvival(table, mask, grouping, {horizon: HORIZON_2Y, rho: 1, trend: true});
  assert.strictEqual(peto.test!.test, "Peto–Peto");
  assertClose(peto.test!.chisq, e.petoPeto.chisq, {label: `${label}: Peto–Peto chisq`});
  assertClose(peto.test!.p, e.petoPeto.p, {rtol: 1e-6, label: `${label}: Peto–Peto p`});
  assertClose(peto.trend!.chisq, e.petoPeto.trend.chisq, {label: `${label}: Peto–Peto trend chisq`});
  const ci = compareIncidence(table, mask, grouping, {horizon: HORIZON_2Y});
  assert.strictEqual(ci.message, null);
  for (const r of e.gray) {
    const c = ci.causes.find((x) => x.cause === r.cause)!;
    if (r.p === null) {
      assert.strictEqual(c.test, null, `${label}: Gray cause ${r.cause} not computable`);
      continue;
    }
    assertClose(c.test!.chisq, r.stat, {label: `${label}: Gray cause ${r.cause} stat`});
    assert.strictEqual(c.test!.df, r.df);
    assertClose(c.test!.p, r.p, {rtol: 1e-6, label: `${label}: Gray cause ${r.cause} p`});
  }
}

describe("compareSurvival / compareIncidence by factor match survfit, survdiff and cuminc", () => {
  for (const sel of fixture.selections) {
    for (const f of sel.factors) {
      it(`${f.column} on selection ${sel.id} (${sel.filter})`, () => {
        checkComparison(`${sel.id}/${f.column}`, factorGrouping(f.column), masks[sel.id], f, (i) => f.levels[i]);
      });
    }
    for (const c of sel.cuts) {
      it(`${c.column} cut ${c.closed}:${c.points.join(",")} on selection ${sel.id}`, () => {
        const g = makeGrouping(table, factors, ranges, c.column, {points: c.points, closed: c.closed});
        if ("message" in g) throw new Error(g.message);
        // R's groups are the interval numbers 1…k; ours are the labels of those intervals.
        checkComparison(`${sel.id}/${c.column} cut`, g, masks[sel.id], c, (i) => g.levels[Number(c.levels[i]) - 1]);
      });
    }
  }
});

describe("univariateTable(table, mask, factors) is the per-factor comparison of every factor", () => {
  it("has one row per level present, with the factor's tests, as R gives them (all patients)", () => {
    const sel = fixture.selections[0];
    const {rows, factors: fs} = univariateTable(table, masks.all, factors, {horizon: HORIZON_2Y});
    assert.strictEqual(fs.length, factors.length);
    for (const f of sel.factors) {
      const own = rows.filter((r) => r.factor === f.column);
      assert.deepStrictEqual(own.map((r) => r.level), f.levels);
      assert.deepStrictEqual(own.map((r) => r.first), f.levels.map((_: string, i: number) => i === 0));
      assertClose(own.map((r) => r.os), f.groups.map((g: any) => g.surv), {label: `${f.column} OS`});
      assertClose(own.map((r) => r.osSE), f.groups.map((g: any) => g.se), {label: `${f.column} SE`});
      assertClose(own.map((r) => r.median), f.groups.map((g: any) => g.median), {label: `${f.column} median`});
      for (const r of own) {
        assertClose(r.logRankP, f.logRank.p, {rtol: 1e-6, label: `${f.column} log-rank p`});
        assertClose(r.relapseP, f.gray[0].p, {rtol: 1e-6, label: `${f.column} Gray relapse p`});
        assertClose(r.nrmP, f.gray[1].p, {rtol: 1e-6, label: `${f.column} Gray NRM p`});
      }
    }
  });

  it("reports a factor with one level in the selection instead of a p-value (conditioning among MAC patients)", () => {
    const {rows, factors: fs} = univariateTable(table, masks.mac, factors, {horizon: HORIZON_2Y});
    const cond = fs.find((f) => f.factor === "conditioning")!;
    assert.strictEqual(cond.logRank, null);
    assert.match(cond.note!, /Log-rank needs at least 2 groups; this selection has only “MAC”/);
    assert.deepStrictEqual(rows.filter((r) => r.factor === "conditioning").map((r) => [r.level, r.n, r.logRankP]), [["MAC", 108, null]]);
  });
});

function checkEstimate(label: string, a: any, e: any) {
  assert.strictEqual(a.n, e.n, `${label}: n`);
  assert.strictEqual(a.events, e.events, `${label}: events`);
  assert.strictEqual(a.possiblyInfinite, e.possiblyInfinite, `${label}: possibly infinite`);
  const diverged = ([] as string[]).concat(e.warnings ?? []).some((w) => /did not converge/.test(w)); // jsonlite unboxes a single warning
  if (e.possiblyInfinite || e.coef === null || diverged) {
    // R: "coefficient may be infinite", "Ran out of iterations and did not converge", or NA with no events
    assert.strictEqual(a.estimable, false);
    assert.ok(a.note, `${label}: a reason`);
    return;
  }
  assert.ok(a.estimable, label);
  // Cox at R's defaults on both sides (efron, eps 1e-9, 20 iterations): 1e-6 as CONTRIBUTING.
  assertClose([a.hr, a.lower, a.upper, a.p], [e.hr, e.lower, e.upper, e.p], {rtol: 1e-6, label: `${label}: HR, limits, p`});
}

describe("subgroupForest: late vs early relapse within every other factor, as coxph", () => {
  for (const sel of fixture.selections) {
    for (const [endpoint, key] of [["os", "forestOS"], ["relapse", "forestRelapse"]] as const) {
      it(`${endpoint} on selection ${sel.id}`, () => {
        const e = sel[key];
        const forest = subgroupForest(table, masks[sel.id], factors, {column: "relapse_timing", level: "Late (≥ 180 days)", reference: "Early (< 180 days)"}, {endpoint});
        assert.strictEqual(forest.message, null);
        checkEstimate(`${sel.id} ${endpoint} overall`, forest.overall, e.overall);
        assert.deepStrictEqual(forest.subgroups.map((s) => s.factor), Object.keys(e.subgroups));
        for (const s of forest.subgroups) {
          const r = e.subgroups[s.factor];
          assert.deepStrictEqual(s.levels.map((l) => l.label), r.levels.map((l: any) => l.level), `${s.factor}: levels`);
          s.levels.forEach((l, i) => checkEstimate(`${sel.id} ${endpoint} ${s.factor}=${l.label}`, l, r.levels[i]));
          if (r.interaction.p === null) {
            assert.strictEqual(s.interaction.p, null);
            assert.match(s.interaction.note!, /only “/);
          } else {
            assert.strictEqual(s.interaction.df, r.interaction.df, `${s.factor}: interaction df`);
            assertClose(s.interaction.chisq, r.interaction.chisq, {rtol: 1e-6, label: `${sel.id} ${endpoint} ${s.factor}: interaction LR`});
            assertClose(s.interaction.p, r.interaction.p, {rtol: 1e-6, label: `${sel.id} ${endpoint} ${s.factor}: interaction p`});
          }
        }
        // Forest rows: the overall row, then a heading (with its interaction p) and one row per level.
        assert.strictEqual(forest.rows.length, 1 + forest.subgroups.reduce((s, g) => s + 1 + g.levels.length, 0));
        const estimates = [forest.overall!, ...forest.subgroups.flatMap((g) => g.levels)];
        const levelRows = forest.rows.filter((r) => !r.heading);
        levelRows.forEach((r, i) => assert.strictEqual(r.estimate === null, !estimates[i].estimable, `${r.label}: drawn only when estimable`));
        assert.ok(JSON.stringify(forest.rows).indexOf("NaN") < 0);
      });
    }
  }

  it("a subgroup with no events or only one compared group is 'not estimable' with a reason, never NaN", () => {
    // immunophenotype "other": 3 patients, no relapse (R: coef NA)
    const forest = subgroupForest(table, masks.all, factors, {column: "relapse_timing", level: "Late (≥ 180 days)", reference: "Early (< 180 days)"}, {endpoint: "relapse"});
    const other = forest.subgroups.find((s) => s.factor === "immunophenotype")!.levels.find((l) => l.label === "other")!;
    assert.deepStrictEqual([other.n, other.events, other.estimable, other.hr, other.note], [3, 0, false, null, "no events"]);
    const row = forest.rows.find((r) => r.label === "other")!;
    assert.deepStrictEqual([row.estimate, row.events, row.n], [null, 0, 3]);
    for (const s of forest.subgroups) for (const l of s.levels) if (!l.estimable) assert.ok(l.note, `${s.factor}=${l.label} has a reason`);
  });

  it("plain messages: same level twice, no patients, unknown column", () => {
    const c = {column: "relapse_timing", level: "Late (≥ 180 days)", reference: "Early (< 180 days)"};
    assert.match(subgroupForest(table, masks.all, factors, {...c, reference: c.level}).message!, /two different groups/);
    assert.match(subgroupForest(table, new Uint8Array(table.numRows), factors, c).message!, /No patients match/);
    assert.match(subgroupForest(table, masks.all, factors, {...c, column: "nosuch"}).message!, /No column/);
  });
});

describe("groupings and messages", () => {
  it("cutLabels and parseCutPoints", () => {
    assert.deepStrictEqual(cutLabels([6, 12], "le", "years"), ["≤ 6 years", "> 6 to ≤ 12 years", "> 12 years"]);
    assert.deepStrictEqual(cutLabels([180], "lt", "days"), ["< 180 days", "≥ 180 days"]);
    assert.deepStrictEqual(cutLabels([-1.5, 2000], "lt"), ["< −1.5", "−1.5 to < 2000", "≥ 2000"]);
    assert.deepStrictEqual(parseCutPoints("12, 6 6"), [6, 12]);
    assert.deepStrictEqual(parseCutPoints("−2;3.5"), [-2, 3.5]);
    assert.match(parseCutPoints("") as string, /at least one/);
    assert.match(parseCutPoints("6, abc") as string, /“abc” is not a number/);
    assert.match(parseCutPoints("1e309") as string, /not a number/);
    assert.match(parseCutPoints("1 2 3 4 5 6 7 8 9") as string, /At most 8/);
    assert.strictEqual(groupingKey("age", {points: [6, 12], closed: "le"}), "age|le:6,12");
  });

  it("makeGrouping: factor, cut, and what it refuses", () => {
    assert.deepStrictEqual(factorGrouping("era").levels, ["≤ 1999", "2000–2004", "≥ 2005"]);
    const g = makeGrouping(table, factors, ranges, "age", {points: [9], closed: "le"});
    assert.ok(!("message" in g));
    if (!("message" in g)) {
      assert.deepStrictEqual(g.levels, ["≤ 9 years", "> 9 years"]);
      assert.strictEqual(g.key, "age|le:9");
      // The cut at 9 (≤ 9) is the paper's age factor: the same log-rank test.
      const a = compareSurvival(g.table, masks.all, g, {horizon: HORIZON_2Y});
      const b = compareSurvival(table, masks.all, factorGrouping("age_group"), {horizon: HORIZON_2Y});
      assert.strictEqual(a.test!.chisq, b.test!.chisq);
      assert.deepStrictEqual(a.groups.map((x) => x.n), b.groups.map((x) => x.n));
    }
    assert.match((makeGrouping(table, factors, ranges, "age") as {message: string}).message, /at least one cut point/);
    assert.match((makeGrouping(table, factors, ranges, "os_days", {points: [1], closed: "le"}) as {message: string}).message, /No factor or numeric variable/);
  });

  it("empty selection, one group and no deaths give messages, not numbers", () => {
    const none = new Uint8Array(table.numRows);
    const g = factorGrouping("age_group");
    const os = compareSurvival(table, none, g, {horizon: HORIZON_2Y});
    assert.strictEqual(os.message, "No patients match these filters");
    assert.strictEqual(compareIncidence(table, none, g, {horizon: HORIZON_2Y}).message, "No patients match these filters");
    // One patient: one group.
    const one = new Uint8Array(table.numRows);
    one[0] = 1;
    const os1 = compareSurvival(table, one, g, {horizon: HORIZON_2Y});
    assert.strictEqual(os1.message, null);
    assert.match(os1.testMessage!, /^Log-rank needs at least 2 groups; this selection has only “/);
    const ci1 = compareIncidence(table, one, g, {horizon: HORIZON_2Y});
    assert.match(ci1.causes[0].testMessage!, /^Gray's test needs at least 2 groups/);
    // Only censored patients: no deaths to compare.
    const os_status = table.column("os_status");
    const event = table.column("event");
    const censored = new Uint8Array(table.numRows);
    for (let i = 0; i < table.numRows; ++i) if (os_status.values[i] === 0 && event.values[i] === 0) censored[i] = 1;
    const os0 = compareSurvival(table, censored, g, {horizon: HORIZON_2Y});
    assert.ok(os0.n > 0);
    assert.strictEqual(os0.testMessage, "No deaths in this selection: there is nothing to compare");
    const ci0 = compareIncidence(table, censored, g, {horizon: HORIZON_2Y});
    assert.match(ci0.causes[0].testMessage!, /No relapse events in this selection/);
    assert.ok(!JSON.stringify({os0: os0.groups, ci0: ci0.causes.map((c) => c.atHorizon)}).includes("NaN"));
  });
});

describe("ledger entries", () => {
  it("the selected grouping and the univariate table share identities, so a comparison is counted once", () => {
    const ctx = {filters: [], selection: "All 171 patients"};
    const g = factorGrouping("age_group");
    const os = compareSurvival(table, masks.all, g, {horizon: HORIZON_2Y});
    const ci = compareIncidence(table, masks.all, g, {horizon: HORIZON_2Y});
    const mine = groupLedger(ctx, g, os, ci);
    assert.deepStrictEqual(mine.map((c) => [c.endpoint, c.test]), [["Overall survival", "Log-rank"], ["Relapse", "Gray's test"], ["Non-relapse mortality", "Gray's test"]]);
    const table1 = univariateLedger(ctx, univariateTable(table, masks.all, factors, {horizon: HORIZON_2Y}).factors);
    const keys = new Set(table1.map(ledgerKey));
    for (const c of mine) assert.ok(keys.has(ledgerKey(c)));
    assert.strictEqual(table1.length, factors.length * 3);
    const forest = subgroupForest(table, masks.all, factors, {column: "relapse_timing", level: "Late (≥ 180 days)", reference: "Early (< 180 days)"});
    const fl = forestLedger(ctx, {column: "relapse_timing", level: "Late (≥ 180 days)", reference: "Early (< 180 days)"}, forest);
    assert.strictEqual(fl.length, forest.subgroups.filter((s) => s.interaction.p !== null).length);
    assert.ok(fl.every((c) => c.p !== null && c.test.startsWith("Interaction")));
  });
});

describe("subgroupRCode", () => {
  // The scripts were run with Rscript 4.2.2 on data/kato2012-synthetic.csv while writing this test: the era
  // script printed "Trend: chisq = 3.025553", the fixture's survdiff-based trend for era (3.0255527807297975).
  it("writes the shared snippet plus cuminc on the first events, and the cut, Peto–Peto and trend when shown", () => {
    const g = makeGrouping(table, factors, ranges, "age", {points: [6, 12], closed: "le"});
    if ("message" in g) throw new Error(g.message);
    const code = subgroupRCode({fileName: "kato2012-synthetic.csv", filters: [{column: "sex", op: "in", value: ["M"]}], grouping: g, horizon: HORIZON_2Y, rho: 1, trend: true});
    const lines = code.split("\n");
    assert.ok(lines.includes("library(cmprsk)"));
    const cutAt = lines.findIndex((l) => l.startsWith('d[["age__groups"]] <- as.character(cut(d[["age"]], c(-Inf, 6, 12, Inf), right = TRUE'));
    const subsetAt = lines.findIndex((l) => l.startsWith("d <- subset(d, sex %in% c(\"M\"))"));
    assert.ok(cutAt > 0 && subsetAt > cutAt, "the groups are cut before the filters subset the data");
    assert.ok(lines.includes('ci <- cuminc(d[["event_days"]], d[["event"]], group = d[["age__groups"]], cencode = 0)'));
    assert.ok(lines.includes("pp <- survdiff(Surv(os_days, os_status != 0) ~ age__groups, data = d, rho = 1)"));
    assert.ok(lines.some((l) => l.startsWith("tr <- survdiff(Surv(os_days, os_status != 0) ~ .ordered, data = d, rho = 1)")));
    const plain = subgroupRCode({fileName: "x.csv", filters: [], grouping: factorGrouping("era"), horizon: HORIZON_2Y, rho: 0, trend: false});
    assert.ok(!plain.includes("cut(d[[") && !plain.includes("rho = 1") && !plain.includes(".ordered"));
    assert.ok(plain.includes("d$era <- as.character(cut(d$year_sct2"), "the derived era variable comes from the shared snippet");
  });
});
