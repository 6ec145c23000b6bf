// The Relapse timing page's study function on the committed synthetic cohort.
// R values: test/reference/study-relapse-timing.R → study-relapse-timing.json (R 4.2.2, cmprsk 2.2-11):
// quantile(type = 7), wilcox.test(event_days[event == 1], interval_days, exact = FALSE, correct = TRUE), the
// paired wilcox.test(…, paired = TRUE, exact = FALSE, correct = TRUE) among relapsers after both transplants,
// ecdf(interval_days)(times) and timepoints(cuminc(event_days, event), times), for all patients, age ≤ 9
// and RIC. Tolerances: closed forms 1e-9, p-values 1e-6 (CONTRIBUTING.md).
import {readFileSync} from "node:fs";
import {beforeAll, describe, expect, it} from "vitest";
import {filterMask, type Filter} from "../../src/cohort/filters.js";
import type {CohortTable} from "../../src/cohort/table.js";
import {loadStudyCohort} from "../../src/study/cohort.js";
import {describe as describeTimes, quantileSorted, relapseTiming, TIMING_TIMES, type RelapseTimingResult} from "../../src/study/relapseTiming.js";
import {wilcoxonRankSum} from "../../src/survival/index.js";
import {assertClose} from "../util/close.js";

interface Case {
  label: string;
  n: number;
  first: {n: number; quartiles: number[]};
  second: {n: number; quartiles: number[]};
  wilcoxon: {statistic: number; p: number};
  paired: {n: number; sooner: number; later: number; quartiles: number[]; statistic: number; p: number};
  times: number[];
  ecdfFirst: number[];
  cifRelapse: number[];
  outcomes: {relapse: number; nrm: number; refractory: number; censored: number};
}
const R = JSON.parse(readFileSync("test/reference/study-relapse-timing.json", "utf8")) as {cases: Case[]};
const FILTERS: Filter[][] = [[], [{column: "age_group", op: "in", value: ["≤ 9 years"]}], [{column: "conditioning", op: "in", value: ["RIC"]}]];

let table: CohortTable;
beforeAll(async () => {
  const s = await loadStudyCohort(new Uint8Array(readFileSync("data/kato2012-synthetic.csv")), "kato2012-synthetic.csv");
  if (!s.table) throw new Error("cohort not loaded");
  table = s.table;
});

function ok(r: ReturnType<typeof relapseTiming>): RelapseTimingResult {
  if (!r.ok) throw new Error(r.message);
  return r;
}

describe("quantileSorted / describe: R's quantile type 7", () => {
  it("interpolates between order statistics (quantile(c(1, 2, 4, 10), c(.25, .5, .75)) = 1.75, 3, 5.5)", () => {
    expect([0.25, 0.5, 0.75].map((p) => quantileSorted([1, 2, 4, 10], p))).toEqual([1.75, 3, 5.5]);
    expect(quantileSorted([], 0.5)).toBeNull();
    expect(describeTimes([5, 1, 3])).toMatchObject({n: 3, median: 3, min: 1, max: 5, values: [1, 3, 5]});
    expect(describeTimes([])).toMatchObject({n: 0, median: null, q1: null, q3: null, min: null, max: null});
  });
});

describe("relapseTiming(table, mask) matches R", () => {
  R.cases.forEach((c, k) => {
    it(`${c.label}: quartiles, Wilcoxon rank-sum, paired counts and signed-rank test, ECDF and cumulative incidence`, () => {
      const {mask} = filterMask(table, FILTERS[k]);
      const r = ok(relapseTiming(table, mask));
      expect(r.selected).toBe(c.n);
      expect(r.afterFirst.n).toBe(c.first.n);
      expect(r.afterSecond.n).toBe(c.second.n);
      assertClose([r.afterFirst.q1, r.afterFirst.median, r.afterFirst.q3], c.first.quartiles, {label: "first quartiles"});
      assertClose([r.afterSecond.q1, r.afterSecond.median, r.afterSecond.q3], c.second.quartiles, {label: "second quartiles"});
      expect(r.test!.statistic).toBe(c.wilcoxon.statistic);
      assertClose(r.test!.p, c.wilcoxon.p, {rtol: 1e-6, label: "Wilcoxon p"});
      expect([r.paired!.n, r.paired!.sooner, r.paired!.later]).toEqual([c.paired.n, c.paired.sooner, c.paired.later]);
      const d = r.paired!.difference;
      assertClose([d.q1, d.median, d.q3], c.paired.quartiles, {label: "paired difference quartiles"});
      // wilcox.test(event_days[event == 1], interval_days[event == 1], paired = TRUE, exact = FALSE, correct = TRUE)
      expect(r.paired!.test.statistic).toBe(c.paired.statistic);
      assertClose(r.paired!.test.p, c.paired.p, {rtol: 1e-6, label: "signed-rank p"});
      expect([...TIMING_TIMES]).toEqual(c.times);
      assertClose(r.at.map((a) => a.afterFirst), c.ecdfFirst, {label: "ECDF of interval_days"});
      assertClose(r.at.map((a) => a.afterSecond), c.cifRelapse, {label: "CIF of relapse"});
      expect(r.outcomes).toEqual(c.outcomes);
    });
  });

  it("the test is the engine's wilcoxonRankSum on the same two samples", () => {
    const r = ok(relapseTiming(table, new Uint8Array(table.numRows).fill(1)));
    const w = wilcoxonRankSum(r.afterSecond.values, r.afterFirst.values);
    expect([r.test!.statistic, r.test!.z, r.test!.p]).toEqual([w.statistic, w.z, w.p]);
  });

  it("curves: 1 − Kaplan–Meier of the first interval reaches 1 (no one censored); the relapse incidence stays below 1", () => {
    const r = ok(relapseTiming(table, new Uint8Array(table.numRows).fill(1)));
    expect(r.curves.map((c) => c.group)).toEqual(["After the first SCT", "After the second SCT"]);
    const [first, second] = r.curves;
    expect(first.estimate[first.estimate.length - 1]).toBe(1);
    expect(second.estimate[second.estimate.length - 1]).toBeLessThan(0.5);
    for (const c of r.curves) for (let i = 1; i < c.estimate.length; ++i) expect(c.estimate[i]).toBeGreaterThanOrEqual(c.estimate[i - 1]);
  });

  it("plain messages: empty selection; no relapse after the second SCT gives medians but no test", () => {
    expect(relapseTiming(table, new Uint8Array(table.numRows))).toMatchObject({ok: false, message: "No patients match these filters"});
    const ev = table.column("event").values;
    const noRelapse = Uint8Array.from({length: table.numRows}, (_, i) => (ev[i] !== 1 ? 1 : 0));
    const r = ok(relapseTiming(table, noRelapse));
    expect(r.test).toBeNull();
    expect(r.testMessage).toMatch(/No relapse after the second SCT/);
    expect(r.afterSecond.median).toBeNull();
    expect(r.paired).toBeNull();
    expect(JSON.stringify(r)).not.toMatch(/NaN|Infinity/);
  });

  it("one patient: the test runs on 1 vs 1 and every value is finite or null", () => {
    const ev = table.column("event").values;
    const first = Array.from(ev as ArrayLike<unknown>).findIndex((e) => e === 1);
    const mask = new Uint8Array(table.numRows);
    mask[first] = 1;
    const r = ok(relapseTiming(table, mask));
    expect([r.afterFirst.n, r.afterSecond.n, r.paired!.n]).toEqual([1, 1, 1]);
    const walk = (v: unknown): void => {
      if (typeof v === "number") expect(Number.isFinite(v)).toBe(true);
      else if (v && typeof v === "object") Object.values(v).forEach(walk);
    };
    walk({...r, curves: null});
  });
});
