import {readFileSync} from "node:fs";
import {describe, it, assert, expect} from "vitest";
import {coxPH, coxPHRows, coxRowSet, type CoxFit} from "../../src/survival/coxPH.js";
import {designMatrix, type CovariateSpec, type DesignMatrix} from "../../src/survival/designMatrix.js";
import type {SurvivalData} from "../../src/survival/input.js";
import {assertClose} from "../util/close.js";
import {numeric} from "../util/csv.js";
import {aml, bmt, col, lung, mgus2, veteran} from "../util/datasets.js";

// coxPH's `concordance: false` option and the fit-many-subsets entry coxPHRows (issue 7: the Subgroups
// page's forest fits ~50 Cox models per filter change). Both must give exactly coxPH's fit (toStrictEqual:
// every number bit for bit), so the oracle here is coxPH itself, on the R fixture data sets of
// test/survival/coxPH.test.ts (lung, veteran, aml, mgus2, bmt, the Stanford heart data; R 4.2.2,
// survival 3.5-3). One check ties the fits to R directly: test/reference/cox-datasets.json's
// "lung-age-sex-efron" coefficients, written by `Rscript test/reference/cox-datasets.R`.
const ref = JSON.parse(readFileSync("test/reference/cox-datasets.json", "utf8"));
const heart = ref.data.heart;

const lungData = {time: numeric(lung, "time"), event: numeric(lung, "event")};
const mgusData = {time: numeric(mgus2, "etime"), event: numeric(mgus2, "event")};

interface Case {
  data: SurvivalData;
  covariates: CovariateSpec[];
  options: {ties?: "efron" | "breslow"; cause?: number};
}
const cases: Record<string, Case> = {
  "lung-age-sex-efron": {data: lungData, covariates: [{name: "age", values: col(lung, "age")}, {name: "sex", values: col(lung, "sex")}], options: {}},
  "lung-age-sex-breslow": {data: lungData, covariates: [{name: "age", values: col(lung, "age")}, {name: "sex", values: col(lung, "sex")}], options: {ties: "breslow"}},
  "lung-ecog-factor": {data: lungData, covariates: [{name: "ph.ecog", values: col(lung, "ph.ecog"), type: "categorical"}], options: {}},
  "veteran-celltype": {data: {time: numeric(veteran, "time"), event: numeric(veteran, "status")}, covariates: ["trt", "celltype", "karno"].map((name) => ({name, values: col(veteran, name)})), options: {}},
  "aml-efron": {data: {time: numeric(aml, "time"), event: numeric(aml, "status")}, covariates: [{name: "x", values: col(aml, "x")}], options: {}},
  "bmt-strata": {data: {time: numeric(bmt, "t2"), event: numeric(bmt, "d3"), strata: numeric(bmt, "group")}, covariates: ["z1", "z2", "z8", "z10"].map((name) => ({name, values: col(bmt, name)})), options: {}},
  heart: {data: {entry: heart.start, time: heart.stop, event: heart.event}, covariates: ["age", "year", "surgery", "transplant"].map((name) => ({name, values: heart[name]})), options: {}},
  "mgus2-cause1": {data: mgusData, covariates: [{name: "age", values: col(mgus2, "age")}, {name: "sex", values: col(mgus2, "sex")}], options: {cause: 1}},
  "mgus2-sex-cause2-breslow": {data: mgusData, covariates: [{name: "sex", values: col(mgus2, "sex")}], options: {cause: 2, ties: "breslow"}}
};

/** The fit without its concordance, for comparing a `concordance: false` fit with the default. */
const withoutConcordance = (fit: {concordance: unknown}) => ({...fit, concordance: null});

describe("coxPH(data, x, {concordance: false})", () => {
  for (const [name, c] of Object.entries(cases)) {
    it(`is coxPH's fit with concordance null on ${name}`, () => {
      const x = designMatrix(c.covariates);
      const full = coxPH(c.data, x, c.options);
      const lean = coxPH(c.data, x, {...c.options, concordance: false});
      assert.strictEqual(lean.concordance, null);
      assert.notStrictEqual(full.concordance, null);
      expect(lean).toStrictEqual(withoutConcordance(full));
    });
  }

  it("is coxPH's fit with concordance null with no events, and with maxIter 0", () => {
    const x = designMatrix([{name: "age", values: col(lung, "age")}]);
    const noEvents = {time: lungData.time, event: new Float64Array(lungData.time.length)};
    expect(coxPH(noEvents, x, {concordance: false})).toStrictEqual(withoutConcordance(coxPH(noEvents, x)));
    expect(coxPH(lungData, x, {maxIter: 0, init: [0.01], concordance: false})).toStrictEqual(withoutConcordance(coxPH(lungData, x, {maxIter: 0, init: [0.01]})));
  });

  it("matches survival::coxph on lung (test/reference/cox-datasets.json)", () => {
    const c = cases["lung-age-sex-efron"];
    const fit = coxPH(c.data, designMatrix(c.covariates), {eps: 1e-12, maxIter: 100, concordance: false});
    assertClose(fit.terms.map((t) => t.coef), ref.cases["lung-age-sex-efron"].tight.coef, {rtol: 1e-6, label: "coef"});
  });
});

// A deterministic generator for the subsets (xorshift32).
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

/** Increasing row indices: each row of 0 … m − 1 kept with probability `p`. */
function subset(m: number, p: number, seed: number): Int32Array {
  const r = rng(seed);
  const out: number[] = [];
  for (let i = 0; i < m; ++i) if (r() < p) out.push(i);
  return Int32Array.from(out);
}

/** A design on the subset's rows: 0/1 indicators (the pattern kernel) or a numeric column. */
function designOn(rows: Int32Array, columns: Record<string, ArrayLike<number | string | null>>, kinds: Record<string, "numeric" | "categorical">): DesignMatrix {
  return designMatrix(Object.entries(kinds).map(([name, type]) => ({name, type, values: Array.from(rows, (i) => columns[name][i])})));
}

const at = <T,>(v: ArrayLike<T>, rows: Int32Array): T[] => Array.from(rows, (i) => v[i]);

describe("coxPHRows(coxRowSet(data), rows, x) equals coxPH on the rows' own arrays", () => {
  const lungCols = {age: col(lung, "age"), sex: col(lung, "sex"), ecog: col(lung, "ph.ecog")};
  const mgusCols = {age: col(mgus2, "age"), sex: col(mgus2, "sex")};
  const sets = [
    {name: "lung", data: lungData, cols: lungCols, designs: [{sex: "categorical"}, {age: "numeric", sex: "categorical"}, {sex: "categorical", ecog: "categorical"}]},
    {name: "mgus2", data: mgusData, cols: mgusCols, designs: [{sex: "categorical"}, {age: "numeric", sex: "categorical"}]}
  ] as const;
  for (const s of sets) {
    const set = coxRowSet(s.data);
    it(`on ${s.name}: the set is ordered once`, () => assert.notStrictEqual(set.order, null));
    for (const [p, seed] of [[1, 1], [0.6, 2], [0.3, 3], [0.1, 4], [0.02, 5]] as const) {
      const rows = subset(s.data.time.length, p, seed);
      for (const kinds of s.designs) {
        for (const options of [{}, {ties: "breslow" as const}, {cause: 1}, {concordance: false as const}, {cause: 2, concordance: false as const}]) {
          it(`on ${s.name}, ${rows.length} rows, ${Object.keys(kinds).join("+")}, ${JSON.stringify(options)}`, () => {
            const x = designOn(rows, s.cols, kinds as Record<string, "numeric" | "categorical">);
            const own = {time: Float64Array.from(at(s.data.time, rows)), event: Int32Array.from(at(s.data.event, rows))};
            let expected: unknown;
            try {
              expected = coxPH(own, x, options);
            } catch (e) {
              expected = e;
            }
            if (expected instanceof Error) {
              assert.throws(() => coxPHRows(set, rows, x, options), expected.message);
              return;
            }
            const got = coxPHRows(set, rows, x, options);
            expect(got).toStrictEqual(expected);
            if (!("concordance" in options)) assert.notStrictEqual((got as CoxFit).concordance, null);
          });
        }
      }
    }
  }

  it("falls back to coxPH for rows that are not increasing, missing covariates, times timefix could merge, and invalid rows", () => {
    const rows = subset(lungData.time.length, 0.5, 9);
    const set = coxRowSet(lungData);
    // Not increasing: the fit is coxPH's on the rows in the caller's order.
    const shuffled = Int32Array.from(rows).reverse();
    const xs = designOn(shuffled, lungCols, {age: "numeric", sex: "categorical"});
    expect(coxPHRows(set, shuffled, xs)).toStrictEqual(coxPH({time: at(lungData.time, shuffled), event: at(lungData.event, shuffled)}, xs));
    // A missing covariate (ph.ecog has NA on lung): dropped and counted as coxPH does.
    const na = lungCols.ecog.findIndex((v) => v === null);
    const withNA = Int32Array.from(new Set([...rows, na])).sort();
    const xm = designOn(withNA, lungCols, {ecog: "numeric"});
    assert.ok(xm.missing.some((v) => v === 1));
    expect(coxPHRows(set, withNA, xm)).toStrictEqual(coxPH({time: at(lungData.time, withNA), event: at(lungData.event, withNA)}, xm));
    // Fractional times (timefix may merge them within a subset): no order kept, each subset as coxPH.
    const frac = {time: Float64Array.from(lungData.time, (t, i) => t / 7 + (i % 3) * 1e-9), event: lungData.event};
    const fset = coxRowSet(frac);
    assert.strictEqual(fset.order, null);
    const x = designOn(rows, lungCols, {sex: "categorical"});
    expect(coxPHRows(fset, rows, x)).toStrictEqual(coxPH({time: at(frac.time, rows), event: at(frac.event, rows)}, x));
    // A missing time and a negative time: coxRowSet does not throw; the fits do what coxPH does.
    const bad = {time: Array.from(lungData.time, (t, i) => (i === 3 ? NaN : i === 10 ? -1 : t)), event: lungData.event};
    const bset = coxRowSet(bad);
    assert.strictEqual(bset.order, null);
    const withMissing = Int32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
    const xw = designOn(withMissing, lungCols, {sex: "categorical"});
    expect(coxPHRows(bset, withMissing, xw)).toStrictEqual(coxPH({time: at(bad.time, withMissing), event: at(bad.event, withMissing)}, xw));
    const withNegative = Int32Array.from([8, 9, 10, 11, 12]);
    const xn = designOn(withNegative, lungCols, {sex: "categorical"});
    assert.throws(() => coxPHRows(bset, withNegative, xn), "time at row 3: -1 (time must be ≥ 0)");
  });

  it("throws coxPH's errors for a design of the wrong length and an invalid cause", () => {
    const set = coxRowSet(lungData);
    const rows = subset(lungData.time.length, 0.5, 11);
    const x = designOn(rows.subarray(1), lungCols, {sex: "categorical"});
    assert.throws(() => coxPHRows(set, rows, x), /have \d+ rows but time has \d+/);
    const y = designOn(rows, lungCols, {sex: "categorical"});
    assert.throws(() => coxPHRows(set, rows, y, {cause: 0}), "cause must be an integer ≥ 1");
  });
});
