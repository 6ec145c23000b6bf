// The Acute GVHD page's study function on the committed synthetic cohort.
// R values: test/reference/study-gvhd.R → study-gvhd.json (R 4.2.2, survival 3.5-3): survdiff/coxph by
// "ever acute GVHD"; landmark at 100 and 30 days (subset(os_days > L), time os_days − L); tmerge +
// coxph(Surv(tstart, tstop, death) ~ agvhd) and summary(survfit(Surv(tstart, tstop, death) ~ agvhd),
// times = c(100, 365)). Tolerances: log-rank and KM 1e-9 (closed forms), p 1e-6, Cox 1e-6 (CONTRIBUTING.md).
import {readFileSync} from "node:fs";
import {beforeAll, describe, expect, it} from "vitest";
import {filterMask, type Filter} from "../../src/cohort/filters.js";
import type {CohortTable} from "../../src/cohort/table.js";
import {loadStudyCohort} from "../../src/study/cohort.js";
import {gvhdAnalyses, landmarkFromView, LANDMARK_DEFAULT, type GvhdResult, type RatioEstimate, type TwoGroupTest} from "../../src/study/gvhd.js";
import {assertClose} from "../util/close.js";

interface HrFixture {
  hr: number;
  lower: number;
  upper: number;
  p: number;
  n: number;
  events: number;
}
interface LrFixture {
  chisq: number;
  p: number;
  n: number[];
  observed: number[];
  expected: number[];
}
interface Case {
  label: string;
  n: number;
  deaths: number;
  withGvhd: number;
  immortalDays: number;
  naive: {logrank: LrFixture; cox: HrFixture};
  landmark: {day: number; n: number; excluded: number; withGvhd: number; logrank: LrFixture; cox: HrFixture}[];
  timeDependent: {rows: number; cox: HrFixture; simonMakuch: {strata: string[]; time: number[]; surv: number[]}};
}
const R = JSON.parse(readFileSync("test/reference/study-gvhd.json", "utf8")) as {cases: Case[]};
const FILTERS: Filter[][] = [[], [{column: "conditioning", op: "in", value: ["RIC"]}]];

let table: CohortTable;
beforeAll(async () => {
  const s = await loadStudyCohort(new Uint8Array(readFileSync("data/kato2012-synthetic.csv")), "kato2012-synthetic.csv");
  if (!s.table) throw new Error("cohort not loaded");
  table = s.table;
});

function ok(r: ReturnType<typeof gvhdAnalyses>): GvhdResult {
  if (!r.ok) throw new Error(r.message);
  return r;
}

function expectHr(ours: RatioEstimate | null, r: HrFixture, label: string): void {
  expect(ours, label).not.toBeNull();
  assertClose([ours!.hr, ours!.lower, ours!.upper], [r.hr, r.lower, r.upper], {rtol: 1e-6, label: `${label} HR`});
  assertClose(ours!.p, r.p, {rtol: 1e-6, label: `${label} p`});
  expect([ours!.n, ours!.events]).toEqual([r.n, r.events]);
}

/** R's survdiff groups are ordered 0, 1 (no aGVHD, aGVHD); ours by label: match by level. */
function expectLogRank(ours: TwoGroupTest | null, r: LrFixture, noLabel: string, label: string): void {
  expect(ours, label).not.toBeNull();
  assertClose(ours!.chisq, r.chisq, {label: `${label} chisq`});
  assertClose(ours!.p, r.p, {rtol: 1e-6, label: `${label} p`});
  const no = ours!.groups.find((g) => g.label === noLabel)!;
  const yes = ours!.groups.find((g) => g.label !== noLabel)!;
  expect([no.n, yes.n]).toEqual(r.n);
  assertClose([no.observed, yes.observed], r.observed, {label: `${label} observed`});
  assertClose([no.expected, yes.expected], r.expected, {label: `${label} expected`});
}

describe("gvhdAnalyses(table, mask, day) matches R", () => {
  R.cases.forEach((c, k) => {
    it(`${c.label}: naive, landmark (100 and 30 days) and time-dependent analyses`, () => {
      const {mask} = filterMask(table, FILTERS[k]);
      for (const [q, lmk] of c.landmark.entries()) {
        const r = ok(gvhdAnalyses(table, mask, lmk.day));
        if (q === 0) {
          expect([r.n, r.deaths, r.withGvhd]).toEqual([c.n, c.deaths, c.withGvhd]);
          assertClose(r.immortalYears * 365.25, c.immortalDays, {label: "immortal person-time"});
          expectLogRank(r.naive.logRank, c.naive.logrank, "No acute GVHD", "naive log-rank");
          expectHr(r.naive.cox, c.naive.cox, "naive Cox");
          expect(r.timeDependent.rows).toBe(c.timeDependent.rows);
          expectHr(r.timeDependent.cox, c.timeDependent.cox, "time-dependent Cox");
          // Simon–Makuch curves at 100 and 365 days: the step value at or before each time.
          const sm = c.timeDependent.simonMakuch;
          sm.time.forEach((t, i) => {
            const curve = r.timeDependent.curves.find((cv) => cv.label === (sm.strata[i] === "agvhd=1" ? "After aGVHD onset" : "Without aGVHD (yet)"))!;
            let s = 1;
            for (let j = 0; j < curve.time.length && curve.time[j] <= t; ++j) s = curve.surv[j];
            assertClose(s, sm.surv[i], {label: `Simon–Makuch ${sm.strata[i]} at ${t}`});
          });
        }
        expect(r.landmark.day).toBe(lmk.day);
        expect([r.landmark.n, r.landmark.excluded, r.landmark.withGvhd]).toEqual([lmk.n, lmk.excluded, lmk.withGvhd]);
        expectLogRank(r.landmark.logRank, lmk.logrank, `No aGVHD by day ${lmk.day}`, `landmark ${lmk.day} log-rank`);
        expectHr(r.landmark.cox, lmk.cox, `landmark ${lmk.day} Cox`);
        expect(JSON.stringify({...r, naive: null, landmark: null, timeDependent: null})).not.toMatch(/NaN|Infinity/);
      }
    });
  });

  it("person-time: the correct count moves the days before onset from the aGVHD group to the other", () => {
    const r = ok(gvhdAnalyses(table, new Uint8Array(table.numRows).fill(1)));
    const [naive, correct] = r.personTime;
    assertClose(naive.withYears - correct.withYears, r.immortalYears, {label: "moved years"});
    assertClose(correct.withoutYears - naive.withoutYears, r.immortalYears, {label: "moved years"});
    expect(naive.withDeaths + naive.withoutDeaths).toBe(r.deaths);
  });

  it("the acute GVHD curve comes first in every figure (same colour throughout)", () => {
    const r = ok(gvhdAnalyses(table, new Uint8Array(table.numRows).fill(1), 60));
    expect(r.naive.curves.map((c) => c.label)).toEqual(["Acute GVHD (ever)", "No acute GVHD"]);
    expect(r.landmark.curves.map((c) => c.label)).toEqual(["aGVHD by day 60", "No aGVHD by day 60"]);
    expect(r.timeDependent.curves.map((c) => c.label)).toEqual(["After aGVHD onset", "Without aGVHD (yet)"]);
  });

  it("landmarkFromView: whole days in [14, 365] from the link, else the default", () => {
    expect(landmarkFromView(60)).toBe(60);
    expect(landmarkFromView(730.5)).toBe(LANDMARK_DEFAULT);
    expect(landmarkFromView(null)).toBe(LANDMARK_DEFAULT);
    expect(landmarkFromView(3)).toBe(LANDMARK_DEFAULT);
    expect(landmarkFromView(99.5)).toBe(LANDMARK_DEFAULT);
  });

  it("plain messages: empty selection; no aGVHD in the selection gives one group, never NaN", () => {
    expect(gvhdAnalyses(table, new Uint8Array(table.numRows))).toMatchObject({ok: false, message: "No patients match these filters"});
    const onset = table.column("agvhd_days");
    const none = Uint8Array.from({length: table.numRows}, (_, i) => (onset.missing[i] ? 1 : 0));
    const r = ok(gvhdAnalyses(table, none));
    expect(r.withGvhd).toBe(0);
    expect(r.naive.logRank).toBeNull();
    expect(r.naive.message).toBe("Log-rank needs at least 2 groups");
    expect(r.timeDependent.cox).toBeNull();
    expect(r.timeDependent.message).toMatch(/Only one group/);
    expect(r.onset.median).toBeNull();
    expect(JSON.stringify({...r, naive: null, landmark: null, timeDependent: null})).not.toMatch(/NaN|Infinity/);
  });

  it("a fit that does not settle (3 patients, 1 death) is flagged not estimable, never shown as a ratio", () => {
    const {mask} = filterMask(table, [{column: "immunophenotype", op: "in", value: ["other"]}]);
    const r = ok(gvhdAnalyses(table, mask));
    for (const c of [r.naive.cox, r.timeDependent.cox]) {
      expect(c).not.toBeNull();
      expect(c!.estimable).toBe(false);
    }
    const all = ok(gvhdAnalyses(table, new Uint8Array(table.numRows).fill(1)));
    expect([all.naive.cox!.estimable, all.landmark.cox!.estimable, all.timeDependent.cox!.estimable]).toEqual([true, true, true]);
  });

  it("a landmark after everyone's follow-up says so", () => {
    const first = new Uint8Array(table.numRows);
    const t = table.column("os_days").values;
    const i = Array.from(t as ArrayLike<number>).findIndex((v) => v < 30);
    first[i] = 1;
    const r = ok(gvhdAnalyses(table, first, 30));
    expect(r.landmark.n).toBe(0);
    expect(r.landmark.message).toBe("No patient is alive and in follow-up after day 30");
  });
});
