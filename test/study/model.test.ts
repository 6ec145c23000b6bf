// The Model page's study functions on the committed synthetic cohort.
// R values: test/reference/study-model.R → study-model.json (R 4.2.2, survival 3.5-3, cmprsk 2.2-11):
// coxph(Surv(os_days, os_status) ~ ..., ties, control = coxph.control(eps = 1e-12, iter.max = 100)),
// cox.zph(fit, transform = "km"), crr(event_days, event, model.matrix(...)[, -1], failcode = 1) and
// coxph(Surv(event_days, event == 1) ~ ...). Tolerances as CONTRIBUTING.md: Cox coefficients, SEs and the
// quantities that depend on them 1e-6, p-values 1e-6, crr 1e-4.
import {readFileSync} from "node:fs";
import {beforeAll, describe, expect, it} from "vitest";
import {filterMask} from "../../src/cohort/filters.js";
import type {CohortTable} from "../../src/cohort/table.js";
import {loadStudyCohort, type Factor} from "../../src/study/cohort.js";
import {endpointInput} from "../../src/study/endpoints.js";
import {
  competingModels,
  coxModel,
  DEFAULT_COVARIATES,
  forestRows,
  initialCovariates,
  modelVariables,
  type CompetingSummary,
  type CoxModelSummary,
  type ModelVariable,
  type NotFitted
} from "../../src/study/model.js";
import {coxPH, designMatrix} from "../../src/survival/index.js";
import {assertClose} from "../util/close.js";

interface ChiFixture {
  stat: number;
  df: number;
  p: number;
}
interface CoxFixture {
  label: string;
  terms: string[];
  coef: number[];
  se: number[];
  hr: number[];
  lower: number[];
  upper: number[];
  p: number[];
  n: number;
  events: number;
  lr: ChiFixture;
  wald: ChiFixture;
  score: ChiFixture;
  concordance: number;
  concordanceSE: number;
  zph: {terms: string[]; chisq: number[]; df: number[]; p: number[]; global: {chisq: number; df: number; p: number}};
}
interface RatioFixture {
  coef: number[];
  se: number[];
  hr: number[];
  lower: number[];
  upper: number[];
  p: number[];
}
interface CompetingFixture {
  label: string;
  terms: string[];
  fg: RatioFixture & {converged: boolean};
  cs: RatioFixture & {events: number; lr: ChiFixture};
  n: number;
  relapses: number;
  nrm: number;
  refractory: number;
}
const R = JSON.parse(readFileSync("test/reference/study-model.json", "utf8")) as {cox: CoxFixture[]; competing: CompetingFixture[]};

let table: CohortTable;
let factors: Factor[];
let variables: ModelVariable[];
let all: Uint8Array;

beforeAll(async () => {
  const s = await loadStudyCohort(new Uint8Array(readFileSync("data/kato2012-synthetic.csv")), "kato2012-synthetic.csv");
  if (!s.table) throw new Error("cohort not loaded");
  table = s.table;
  factors = (s as {factors: Factor[]}).factors;
  variables = modelVariables(table, factors);
  all = new Uint8Array(table.numRows).fill(1);
});

function fitted<T extends {ok: boolean}>(r: T | NotFitted): T {
  if (!r.ok) throw new Error(`not fitted: ${(r as NotFitted).message}`);
  return r as T;
}

/** Every value reachable from `v` is JSON-safe: no NaN, no ±Infinity, no undefined in arrays. */
function expectJsonSafe(v: unknown, path = "result"): void {
  if (typeof v === "number") expect(Number.isFinite(v), `${path} = ${v}`).toBe(true);
  else if (Array.isArray(v)) v.forEach((x, i) => expectJsonSafe(x, `${path}[${i}]`));
  else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) expectJsonSafe(x, `${path}.${k}`);
}

function expectCoxMatches(m: CoxModelSummary, r: CoxFixture): void {
  const terms = m.rows.filter((x) => !x.isReference);
  expect(terms.length).toBe(r.terms.length);
  assertClose(terms.map((t) => t.coef), r.coef, {rtol: 1e-6, label: `${r.label} coef`});
  assertClose(terms.map((t) => t.se), r.se, {rtol: 1e-6, label: `${r.label} se`});
  assertClose(terms.map((t) => t.hr), r.hr, {rtol: 1e-6, label: `${r.label} hr`});
  assertClose(terms.map((t) => t.lower), r.lower, {rtol: 1e-6, label: `${r.label} lower`});
  assertClose(terms.map((t) => t.upper), r.upper, {rtol: 1e-6, label: `${r.label} upper`});
  assertClose(terms.map((t) => t.p), r.p, {rtol: 1e-6, label: `${r.label} p`});
  expect(m.n).toBe(r.n);
  expect(m.events).toBe(r.events);
  const [lr, wald, score] = m.tests;
  for (const [ours, theirs, name] of [[lr, r.lr, "LR"], [wald, r.wald, "Wald"], [score, r.score, "score"]] as const) {
    assertClose(ours.stat, theirs.stat, {rtol: 1e-6, label: `${r.label} ${name} stat`});
    expect(ours.df).toBe(theirs.df);
    assertClose(ours.p, theirs.p, {rtol: 1e-6, label: `${r.label} ${name} p`});
  }
  assertClose(m.concordance, r.concordance, {rtol: 1e-6, label: `${r.label} concordance`});
  assertClose(m.concordanceSE, r.concordanceSE, {rtol: 1e-6, label: `${r.label} concordance SE`});
  expect(m.zph).not.toBeNull();
  // R names the scaled column interval_months; the page keeps the column name and says "per month".
  expect(m.zph!.terms.map((t) => t.covariate)).toEqual(r.zph.terms.map((t) => (t === "interval_months" ? "interval_days" : t)));
  assertClose(m.zph!.terms.map((t) => t.chisq), r.zph.chisq, {rtol: 1e-6, label: `${r.label} zph chisq`});
  assertClose(m.zph!.terms.map((t) => t.p), r.zph.p, {rtol: 1e-6, label: `${r.label} zph p`});
  expect(m.zph!.terms.map((t) => t.df)).toEqual(r.zph.df);
  assertClose(m.zph!.global.chisq, r.zph.global.chisq, {rtol: 1e-6, label: `${r.label} zph global`});
  assertClose(m.zph!.global.p, r.zph.global.p, {rtol: 1e-6, label: `${r.label} zph global p`});
}

describe("modelVariables / initialCovariates", () => {
  it("offers the baseline factors and numeric variables, never acute GVHD (post-baseline)", () => {
    const columns = variables.map((v) => v.column);
    expect(columns).toEqual(expect.arrayContaining([...DEFAULT_COVARIATES, "donor_sct2", "source_sct2", "age", "interval_days"]));
    expect(columns).not.toContain("agvhd_any");
    expect(variables.find((v) => v.column === "age_group")!.levels![0]).toBe("≤ 9 years");
  });

  it("starts from the view's covariates when offered, else the paper's four", () => {
    expect(initialCovariates(variables, [])).toEqual([...DEFAULT_COVARIATES]);
    expect(initialCovariates(variables, ["agvhd_any", "nonsense"])).toEqual([...DEFAULT_COVARIATES]);
    expect(initialCovariates(variables, ["donor_sct2", "age_group"])).toEqual(["age_group", "donor_sct2"]);
  });
});

describe("coxModel(table, mask, variables, covariates) matches survival::coxph and cox.zph", () => {
  it("the paper's four factors, Efron ties (R: coxph(..., ties = 'efron'))", () => {
    const m = fitted(coxModel(table, all, variables, DEFAULT_COVARIATES));
    expectCoxMatches(m, R.cox[0]);
    expect(m.rows.filter((r) => r.isReference).map((r) => r.level)).toEqual(["≤ 9 years", "Late (≥ 180 days)", "CR", "MAC"]);
    expect(m.warnings).toEqual([]);
    expect(m.excluded).toEqual([]);
    expectJsonSafe(m);
  });

  it("the paper's four factors, Breslow ties", () => {
    expectCoxMatches(fitted(coxModel(table, all, variables, DEFAULT_COVARIATES, {ties: "breslow"})), R.cox[1]);
  });

  it("numeric covariates per unit (age per year, interval per month) and a three-level factor", () => {
    const m = fitted(coxModel(table, all, variables, ["age", "interval_days", "source_sct2", "donor_sct2"]));
    expectCoxMatches(m, R.cox[2]);
    const source = m.rows.filter((r) => r.covariate === "source_sct2");
    expect(source.map((r) => [r.level, r.isReference])).toEqual([["BM", true], ["CB", false], ["PB", false]]);
    expect(m.rows.find((r) => r.covariate === "age")!.level).toBe("per year");
  });

  it("level counts are the patients and deaths of each level among the rows used", () => {
    const m = fitted(coxModel(table, all, variables, ["age_group"]));
    const os = endpointInput(table, "os", all, {groupBy: "age_group"});
    for (const r of m.rows) {
      let n = 0;
      let e = 0;
      Array.from(os.data.group!).forEach((g, j) => {
        if (g === r.level) (++n, (e += os.data.event[j] > 0 ? 1 : 0));
      });
      expect([r.n, r.events]).toEqual([n, e]);
    }
  });

  it("returns what a direct engine call on the same rows gives", () => {
    const mask = filterMask(table, [{column: "conditioning", op: "in", value: ["MAC"]}]).mask;
    const m = fitted(coxModel(table, mask, variables, ["age_group", "relapse_timing"]));
    const os = endpointInput(table, "os", mask);
    const labels = (col: string) => Array.from(os.rows, (i) => table.column(col).values[i] as string);
    const x = designMatrix([
      {name: "age_group", values: labels("age_group"), reference: "≤ 9 years"},
      {name: "relapse_timing", values: labels("relapse_timing"), reference: "Late (≥ 180 days)"}
    ]);
    const fit = coxPH(os.data, x);
    expect(m.rows.filter((r) => !r.isReference).map((r) => r.coef)).toEqual(fit.terms.map((t) => t.coef));
    expect(m.n).toBe(fit.n);
  });

  it("a factor with one level in the selection is left out with the reason; the rest is fitted", () => {
    const mask = filterMask(table, [{column: "age_group", op: "in", value: ["≤ 9 years"]}]).mask;
    const m = fitted(coxModel(table, mask, variables, DEFAULT_COVARIATES));
    expect(m.leftOut).toEqual([{covariate: "age_group", label: "Age at second SCT", reason: "only one level (≤ 9 years) in this selection"}]);
    expect(m.rows.some((r) => r.covariate === "age_group")).toBe(false);
  });

  it("plain messages instead of numbers: empty selection, no covariates, no deaths, nothing varies", () => {
    const none = new Uint8Array(table.numRows);
    expect(coxModel(table, none, variables, DEFAULT_COVARIATES)).toMatchObject({ok: false, message: "No patients match these filters"});
    expect(coxModel(table, all, variables, [])).toMatchObject({ok: false, message: "Choose at least one covariate"});
    const alive = Uint8Array.from({length: table.numRows}, (_, i) => (table.column("os_status").values[i] === 0 ? 1 : 0));
    expect(coxModel(table, alive, variables, DEFAULT_COVARIATES)).toMatchObject({ok: false, message: "No deaths in this selection"});
    const onlyYoungMac = filterMask(table, [
      {column: "age_group", op: "in", value: ["≤ 9 years"]},
      {column: "conditioning", op: "in", value: ["MAC"]}
    ]).mask;
    const r = coxModel(table, onlyYoungMac, variables, ["age_group", "conditioning"]);
    expect(r).toMatchObject({ok: false, message: "None of the chosen covariates varies in this selection"});
    expectJsonSafe(r);
  });

  it("a separated factor is fitted with R's 'coefficient may be infinite' warning, shown on the row", () => {
    // Among early relapsers with two or fewer patients of a level the likelihood can be monotone; build
    // one: patients still alive at their last follow-up plus the deaths of one level only.
    const status = table.column("os_status").values;
    const cond = table.column("conditioning").values;
    const mask = Uint8Array.from({length: table.numRows}, (_, i) => (cond[i] === "MAC" || status[i] === 0 ? 1 : 0));
    const m = fitted(coxModel(table, mask, variables, ["conditioning"]));
    const ric = m.rows.find((r) => r.level === "RIC")!;
    expect(ric.events).toBe(0);
    expect(m.warnings.join(" ")).toMatch(/coefficient may be infinite/);
    expect(ric.notes[0]).toMatch(/^coefficient may be infinite/);
    const forest = forestRows(m.rows).find((r) => r.label === "RIC")!;
    expect(forest.possiblyInfinite).toBe(true);
    expectJsonSafe(m);
  });

  it("a fit that does not settle (3 patients, 1 death): the term with an undefined CI is not estimable, never a huge HR", () => {
    const mask = filterMask(table, [{column: "immunophenotype", op: "in", value: ["other"]}]).mask;
    const m = fitted(coxModel(table, mask, variables, ["relapse_timing"]));
    const early = m.rows.find((r) => r.level === "Early (< 180 days)")!;
    expect(early.estimable).toBe(false);
    expect(early.notes.join(" ")).toMatch(/^(not estimable|coefficient may be infinite)/);
    expect(forestRows(m.rows).find((r) => r.label === "Early (< 180 days)")!.possiblyInfinite).toBe(true);
    expectJsonSafe(m);
  });
});

describe("forestRows", () => {
  it("a heading per factor, its reference level, then its levels; numeric covariates on one line", () => {
    const m = fitted(coxModel(table, all, variables, ["age_group", "age"]));
    const rows = forestRows(m.rows);
    expect(rows.map((r) => [r.label, !!r.heading, !!r.reference])).toEqual([
      ["Age at second SCT", true, false],
      ["≤ 9 years", false, true],
      ["> 9 years", false, false],
      ["Age at second SCT (per year)", false, false]
    ]);
    expect(rows[2].estimate).toBe(m.rows[1].hr);
  });
});

describe("competingModels: Fine–Gray and cause-specific Cox for relapse side by side", () => {
  for (const [k, covariates] of [
    [0, [...DEFAULT_COVARIATES]],
    [1, [...DEFAULT_COVARIATES, "donor_sct2", "source_sct2"]]
  ] as const) {
    it(`${R.competing[k].label}: crr (1e-4) and coxph(Surv(event_days, event == 1)) (1e-6)`, () => {
      const r = R.competing[k];
      const c = fitted<CompetingSummary>(competingModels(table, all, variables, covariates));
      const terms = c.rows.filter((x) => !x.isReference);
      expect(terms.length).toBe(r.terms.length);
      assertClose(terms.map((t) => t.shr), r.fg.hr, {rtol: 1e-4, label: "SHR"});
      assertClose(terms.map((t) => t.shrLower), r.fg.lower, {rtol: 1e-4, label: "SHR lower"});
      assertClose(terms.map((t) => t.shrUpper), r.fg.upper, {rtol: 1e-4, label: "SHR upper"});
      assertClose(terms.map((t) => t.shrP), r.fg.p, {rtol: 1e-4, label: "SHR p"});
      assertClose(terms.map((t) => t.cshr), r.cs.hr, {rtol: 1e-6, label: "CSHR"});
      assertClose(terms.map((t) => t.cshrLower), r.cs.lower, {rtol: 1e-6, label: "CSHR lower"});
      assertClose(terms.map((t) => t.cshrUpper), r.cs.upper, {rtol: 1e-6, label: "CSHR upper"});
      assertClose(terms.map((t) => t.cshrP), r.cs.p, {rtol: 1e-6, label: "CSHR p"});
      assertClose(c.causeSpecificLR.stat, r.cs.lr.stat, {rtol: 1e-6, label: "CS LR"});
      expect([c.n, c.relapses, c.nrm, c.refractory]).toEqual([r.n, r.relapses, r.nrm, r.refractory]);
      expect(c.largestGap).not.toBeNull();
      expectJsonSafe(c);
    });
  }

  it("plain messages: empty selection, no relapses", () => {
    expect(competingModels(table, new Uint8Array(table.numRows), variables, DEFAULT_COVARIATES)).toMatchObject({ok: false, message: "No patients match these filters"});
    const ev = table.column("event").values;
    const noRelapse = Uint8Array.from({length: table.numRows}, (_, i) => (ev[i] !== 1 ? 1 : 0));
    expect(competingModels(table, noRelapse, variables, DEFAULT_COVARIATES)).toMatchObject({ok: false, message: "No relapses in this selection"});
  });
});
