import {beforeAll, describe, expect, it} from "vitest";
import {Check, runValidation, toleranceText, type ValidationResult} from "../../src/validation/index.js";
import {loadReferenceSources} from "../../src/validation/node.js";
import type {ReferenceSources} from "../../src/validation/sources.js";

// The "This engine against R" table of the methods page (src/data/validation.json.ts) is computed by
// runValidation: the engine re-run on the reference data sets and compared with the committed R fixtures
// test/reference/*.json (R 4.2.2, survival 3.5-3, cmprsk 2.2-11; each row names its fixture and R call).
// This test runs the same function and fails when any row fails, so the page never shows a failing table.
let sources: ReferenceSources;
let result: ValidationResult;
beforeAll(async () => {
  sources = await loadReferenceSources();
  result = runValidation(sources);
}, 60_000);

describe("runValidation(sources) against the committed R fixtures", () => {
  it("every row passes within its tolerance", () => {
    const failed = result.rows.filter((r) => !r.pass).map((r) => `${r.estimator} · ${r.dataset} · ${r.quantity}: ${r.failure}`);
    expect(failed).toEqual([]);
    expect(result.pass).toBe(true);
  });

  it("covers every section and estimator the methods page describes", () => {
    expect(result.summary.map((s) => s.section)).toEqual([
      "Kaplan–Meier",
      "Log-rank",
      "Competing risks",
      "Cox",
      "Fine–Gray",
      "Time-dependent covariates and landmarks",
      "Two-sample and Table 1 tests"
    ]);
    const estimators = new Set(result.rows.map((r) => r.estimator));
    for (const e of ["kaplanMeier", "survivalQuantile", "summaryAt", "rmst", "survivalConfidenceBands", "logRank", "cumulativeIncidence", "grayTest", "coxPH", "coxZph", "fineGray", "splitAtEvent", "landmark", "wilcoxonRankSum", "chiSquaredIndependence", "kruskalWallis"])
      expect(estimators, e).toContain(e);
    const datasets = result.rows.map((r) => r.dataset).join(" | ");
    for (const d of ["lung", "veteran", "aml", "bmt", "mgus2", "heart"]) expect(datasets).toContain(d);
    for (const s of result.summary) expect(s.n, s.section).toBeGreaterThan(0);
  });

  it("names R and the package versions the fixtures were written with", () => {
    expect(result.reference.r).toMatch(/^R version 4\.2\.2/);
    expect(result.reference.survival).toBe("3.5.3");
    expect(result.reference.cmprsk).toBe("2.2.11");
  });

  it("rows are JSON-safe: no NaN or Infinity, every row compared something", () => {
    const text = JSON.stringify(result);
    expect(text).not.toMatch(/NaN|Infinity/);
    expect(JSON.parse(text)).toEqual(result);
    for (const r of result.rows) {
      expect(r.n, `${r.dataset} ${r.quantity}`).toBeGreaterThan(0);
      expect(r.fixture).toMatch(/^test\/reference\/[\w-]+\.json$/);
      expect(r.maxRelDiff === null || (r.maxRelDiff >= 0 && Number.isFinite(r.maxRelDiff))).toBe(true);
    }
  });

  it("a wrong engine value makes its row fail (the comparison is not vacuous)", () => {
    // Corrupt one R value in a copy of the fixtures: the Kaplan–Meier survival row for lung must fail.
    const fixtures = structuredClone(sources.fixtures);
    const lung = fixtures["km-datasets.json"].cases.find((c: {name: string}) => c.name === "lung, log 0.95");
    lung.strata[0].steps.surv[10] *= 1 + 1e-8;
    const bad = runValidation({...sources, fixtures});
    const row = bad.rows.find((r) => r.estimator === "kaplanMeier" && r.dataset === "lung" && r.quantity === "survival S(t)")!;
    expect(row.pass).toBe(false);
    expect(row.failure).toMatch(/^lung, log 0\.95 \[null\] surv\[10\]: engine /);
    expect(bad.pass).toBe(false);
    expect(bad.summary.find((s) => s.section === "Kaplan–Meier")!.pass).toBe(false);
  });

  it("a missing fixture gives a failing row for its section, not a crash", () => {
    const fixtures = {...sources.fixtures};
    delete fixtures["wilcoxon.json"];
    const bad = runValidation({...sources, fixtures});
    const rows = bad.rows.filter((r) => r.section === "Two-sample and Table 1 tests");
    expect(rows).toHaveLength(1);
    expect(rows[0].failure).toMatch(/wilcoxon\.json was not loaded/);
    expect(bad.pass).toBe(false);
  });
});

describe("Check (the comparison rule of test/util/close.ts)", () => {
  it("compares relatively with an absolute floor; R's NA (null) matches null or NaN", () => {
    const c = new Check();
    c.close("a", [1, 2 + 2 ** -40, null, 0], [1, 2, null, 0], {rtol: 1e-9});
    c.close("b", [NaN], [null], {rtol: 1e-9});
    const row = c.row({section: "s", estimator: "e", dataset: "d", rCall: "r", quantity: "q", fixture: "f"});
    expect(row).toMatchObject({n: 5, pass: true, failure: null, tolerance: "1e-9"});
    expect(row.maxRelDiff).toBe(2 ** -41);
    expect(row.maxAbsDiff).toBe(2 ** -40);
  });
  it("fails on a difference beyond the tolerance, a length mismatch, or null against a number", () => {
    for (const [a, e] of [
      [[1.1], [1]],
      [[1, 2], [1]],
      [[null], [1]],
      [[1], [null]],
      [[Infinity], [null]]
    ] as [(number | null)[], (number | null)[]][]) {
      const c = new Check();
      c.close("x", a, e, {rtol: 1e-9});
      expect(c.row({section: "s", estimator: "e", dataset: "d", rCall: "r", quantity: "q", fixture: "f"}).pass, JSON.stringify([a, e])).toBe(false);
    }
  });
  it("values judged by the absolute floor do not inflate the relative difference", () => {
    const c = new Check();
    c.close("score", [3e-10], [1e-10], {rtol: 1e-10, atol: 1e-8});
    const row = c.row({section: "s", estimator: "e", dataset: "d", rCall: "r", quantity: "q", fixture: "f"});
    expect(row.pass).toBe(true);
    expect(row.maxRelDiff).toBeNull();
    expect(row.maxAbsDiff).toBe(Math.abs(3e-10 - 1e-10));
  });
  it("states tolerances as the tests do", () => {
    expect(toleranceText({rtol: 1e-9})).toBe("1e-9");
    expect(toleranceText({rtol: 10 * 1e-6, atol: 1e-12})).toBe("1e-5 rel + 1e-12 abs");
    expect(toleranceText({rtol: 0, atol: 0})).toBe("exact");
  });
});
