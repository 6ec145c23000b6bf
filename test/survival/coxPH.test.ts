import {readFileSync} from "node:fs";
import {describe, it, assert} from "vitest";
import {coxPH, type CoxFit} from "../../src/survival/coxPH.js";
import {designMatrix, type CovariateSpec} from "../../src/survival/designMatrix.js";
import type {SurvivalData} from "../../src/survival/input.js";
import {assertClose} from "../util/close.js";
import {numeric} from "../util/csv.js";
import {aml, bmt, col, lung, mgus2, veteran} from "../util/datasets.js";

// Expected values: test/reference/cox-datasets.json, written by `Rscript test/reference/cox-datasets.R`
// (R 4.2.2, survival 3.5-3). "tight" = coxph(..., control = coxph.control(eps = 1e-12, iter.max = 100));
// "default" = coxph(...) with the default control; "fixed" = coxph(..., init = b, iter.max = 0).
// Non-integer weights: R defaults to a robust variance; the fixture sets robust = FALSE because
// coxPH reports the model-based variance.
type Num = number | null;
const arr = (v: Num | Num[] | undefined): Num[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
const matrix = (v: Num[][] | undefined): Num[] => (v ?? []).flat();
const ref = JSON.parse(readFileSync("test/reference/cox-datasets.json", "utf8"));


interface Case {
  data: SurvivalData;
  covariates: CovariateSpec[];
  ties: "efron" | "breslow";
  /** coxPH's cause option; R's fixture codes the event as event == cause. */
  cause?: number;
}
const lungData = {time: numeric(lung, "time"), event: numeric(lung, "event")};
const bmtData = {time: numeric(bmt, "t2"), event: numeric(bmt, "d3"), strata: numeric(bmt, "group")};
const bmtCov = ["z1", "z2", "z8", "z10"].map((name) => ({name, values: col(bmt, name)}));
const tdc = ref.data.bmt_tdc;
const heart = ref.data.heart;
const cases: Record<string, Case> = {
  "lung-age-sex-efron": {data: lungData, covariates: [{name: "age", values: col(lung, "age")}, {name: "sex", values: col(lung, "sex")}], ties: "efron"},
  "lung-age-sex-breslow": {data: lungData, covariates: [{name: "age", values: col(lung, "age")}, {name: "sex", values: col(lung, "sex")}], ties: "breslow"},
  "lung-ecog-factor": {
    data: lungData,
    covariates: [
      {name: "age", values: col(lung, "age")},
      {name: "sex", values: col(lung, "sex")},
      {name: "ph.ecog", values: col(lung, "ph.ecog"), type: "categorical"}
    ],
    ties: "efron"
  },
  "veteran-celltype": {
    data: {time: numeric(veteran, "time"), event: numeric(veteran, "status")},
    covariates: ["trt", "celltype", "karno"].map((name) => ({name, values: col(veteran, name)})),
    ties: "efron"
  },
  "aml-efron": {data: {time: numeric(aml, "time"), event: numeric(aml, "status")}, covariates: [{name: "x", values: col(aml, "x")}], ties: "efron"},
  "aml-breslow": {data: {time: numeric(aml, "time"), event: numeric(aml, "status")}, covariates: [{name: "x", values: col(aml, "x")}], ties: "breslow"},
  "bmt-strata": {data: bmtData, covariates: bmtCov, ties: "efron"},
  "bmt-strata-breslow": {data: bmtData, covariates: bmtCov, ties: "breslow"},
  "bmt-platelets-tdc": {
    data: {entry: tdc.tstart, time: tdc.tstop, event: tdc.dfs, strata: tdc.group},
    covariates: ["plt", "z1", "z2"].map((name) => ({name, values: tdc[name]})),
    ties: "efron"
  },
  heart: {
    data: {entry: heart.start, time: heart.stop, event: heart.event},
    covariates: ["age", "year", "surgery", "transplant"].map((name) => ({name, values: heart[name]})),
    ties: "efron"
  },
  "heart-breslow": {
    data: {entry: heart.start, time: heart.stop, event: heart.event},
    covariates: ["age", "year", "surgery", "transplant"].map((name) => ({name, values: heart[name]})),
    ties: "breslow"
  },
  "mgus2-cause1": {
    data: {time: numeric(mgus2, "etime"), event: numeric(mgus2, "event")},
    covariates: [{name: "age", values: col(mgus2, "age")}, {name: "sex", values: col(mgus2, "sex")}],
    ties: "efron",
    cause: 1
  },
  "lung-weights": {
    data: {...lungData, weights: ref.data.lung_weights},
    covariates: [{name: "age", values: col(lung, "age")}, {name: "sex", values: col(lung, "sex")}],
    ties: "efron"
  },
  "lung-weights-fractional": {
    data: {...lungData, weights: ref.data.lung_weights_fractional},
    covariates: [{name: "age", values: col(lung, "age")}, {name: "sex", values: col(lung, "sex")}],
    ties: "breslow"
  }
};

/** Results meant for JSON hold no NaN or ±Infinity (undefined values are null). */
function assertAllFinite(value: unknown, path = "fit"): void {
  if (typeof value === "number") assert.ok(Number.isFinite(value), `${path} is ${value}`);
  else if (ArrayBuffer.isView(value)) (value as unknown as ArrayLike<number>).length && Array.from(value as unknown as ArrayLike<number>).forEach((v, i) => assertAllFinite(v, `${path}[${i}]`));
  else if (Array.isArray(value)) value.forEach((v, i) => assertAllFinite(v, `${path}[${i}]`));
  else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) assertAllFinite(v, `${path}.${k}`);
}

function compareFit(fit: CoxFit, r: any, label: string, rtol = 1e-6) {
  assertAllFinite(fit, label);
  const terms = fit.terms;
  assert.strictEqual(fit.n, r.n, `${label} n`);
  assert.strictEqual(fit.events, r.nevent, `${label} events`);
  assertClose(terms.map((t) => t.coef), arr(r.coef), {rtol, label: `${label} coef`});
  // R reports se 0 for an aliased (NA) coefficient; coxPH reports null.
  const rse = arr(r.se).map((v, j) => (arr(r.coef)[j] === null ? null : v));
  assertClose(terms.map((t) => t.se), rse, {rtol, label: `${label} se`});
  assertClose(terms.map((t) => t.z), arr(r.z), {rtol, label: `${label} z`});
  assertClose(terms.map((t) => t.p), arr(r.p), {rtol, label: `${label} p`});
  assertClose(terms.map((t) => t.hr), arr(r.hr), {rtol, label: `${label} hr`});
  assertClose(terms.map((t) => t.lower), arr(r.lower), {rtol, label: `${label} lower`});
  assertClose(terms.map((t) => t.upper), arr(r.upper), {rtol, label: `${label} upper`});
  assertClose(fit.variance.flat(), matrix(r.var), {rtol: 10 * rtol, atol: 1e-12, label: `${label} var`});
  // The log-likelihood is flat at the maximum: it agrees far more closely than the coefficients.
  assertClose(fit.loglik, arr(r.loglik), {rtol: 1e-10, label: `${label} loglik`});
  const [lr, lrdf, lrp] = arr(r.lrtest);
  assertClose(fit.lrTest.stat, lr, {rtol: 1e-8, label: `${label} LR`});
  assert.strictEqual(fit.lrTest.df, lrdf);
  assertClose(fit.lrTest.p, lrp, {rtol: 1e-6, label: `${label} LR p`});
  const [w, wdf, wp] = arr(r.waldtest);
  assertClose(fit.waldTest.stat, w, {rtol, label: `${label} Wald`});
  assert.strictEqual(fit.waldTest.df, wdf);
  assertClose(fit.waldTest.p, wp, {rtol, label: `${label} Wald p`});
  // The score test is evaluated at β = 0: a closed form.
  const [sc, scdf, scp] = arr(r.sctest);
  assertClose(fit.scoreTest.stat, sc, {rtol: 1e-9, label: `${label} score`});
  assert.strictEqual(fit.scoreTest.df, scdf);
  assertClose(fit.scoreTest.p, scp, {rtol: 1e-9, label: `${label} score p`});
  assertClose(fit.means, arr(r.means), {rtol: 1e-12, label: `${label} means`});
  assertClose(fit.linearPredictors, arr(r.linear_predictors), {rtol, atol: 1e-9, label: `${label} lp`});
  const c = r.concordance;
  const got = fit.concordance;
  assertClose(
    [got.concordant, got.discordant, got.tiedX, got.tiedY, got.tiedXY],
    [c.concordant, c.discordant, c.tied_x, c.tied_y, c.tied_xy],
    {rtol: 1e-12, label: `${label} concordance counts`}
  );
  assertClose(got.concordance, c.concordance, {rtol: 1e-12, label: `${label} concordance`});
  assertClose(got.std, c.std, {rtol: 1e-9, label: `${label} concordance std`});
}

describe("coxPH on reference data sets", () => {
  for (const [name, cs] of Object.entries(cases)) {
    const r = ref.cases[name];
    it(`coxPH(data, x, {ties: "${cs.ties}"}) matches survival::coxph ${name}: ${r.call}`, () => {
      const x = designMatrix(cs.covariates);
      const fit = coxPH(cs.data, x, {ties: cs.ties, cause: cs.cause, eps: 1e-12, maxIter: 100});
      assert.strictEqual(fit.terms.length, arr(r.tight.terms).length);
      compareFit(fit, r.tight, `${name} tight`);
      assert.deepStrictEqual(fit.warnings, []);
      assert.strictEqual(fit.converged, true);
    });
    it(`coxPH(data, x) with the default control takes R's iterations on ${name}`, () => {
      const fit = coxPH(cs.data, designMatrix(cs.covariates), {ties: cs.ties, cause: cs.cause});
      assert.strictEqual(fit.iterations, r.default.iter);
      compareFit(fit, r.default, `${name} default`);
    });
    it(`coxPH(data, x, {init, maxIter: 0}) gives R's loglik, score and variance at fixed β on ${name}`, () => {
      const x = designMatrix(cs.covariates);
      for (const key of ["at_coef", "at_half"]) {
        const fb = r.fixed[key];
        const fit = coxPH(cs.data, x, {ties: cs.ties, cause: cs.cause, init: arr(fb.beta) as number[], maxIter: 0});
        assert.strictEqual(fit.iterations, 0);
        assertClose(fit.loglik, [fb.loglik, fb.loglik], {rtol: 1e-12, label: `${name} ${key} loglik`});
        // At R's maximum the score is rounding noise around 0 (|u| ~ 1e-10): compared absolutely.
        const atol = key === "at_coef" ? 1e-8 : 0;
        assertClose(fit.score, arr(fb.score), {rtol: 1e-10, atol, label: `${name} ${key} score`});
        assertClose(fit.variance.flat(), matrix(fb.var), {rtol: 1e-10, atol: 1e-15, label: `${name} ${key} var`});
        assertClose(fit.scoreTest.stat, fb.sctest, {rtol: 1e-9, atol: 1e-20, label: `${name} ${key} score test`});
      }
    });
  }
});

// Expected values: test/reference/cox-edge.json, written by `Rscript test/reference/cox-edge.R`
// (the Cox rows C1–C18 of bad-inputs-and-edge-cases.md §8). "default" = coxph() with the default
// control, "tight" = coxph.control(eps = 1e-12, iter.max = 100).
const edge = JSON.parse(readFileSync("test/reference/cox-edge.json", "utf8"));

function edgeFit(name: string, options: Parameters<typeof coxPH>[2] = {}) {
  const cs = edge.cases[name];
  const d = cs.data;
  const vars = Object.keys(d).filter((k) => !["time", "status", "start"].includes(k));
  const x = designMatrix(vars.map((v) => ({name: v, values: arr(d[v]) as (number | string | null)[]})));
  const data: SurvivalData = {time: arr(d.time).map((v) => v ?? NaN), event: arr(d.status).map((v) => v ?? NaN)};
  if (d.start !== undefined) data.entry = arr(d.start).map((v) => v ?? NaN);
  return coxPH(data, x, {ties: cs.ties, ...options});
}

/** R's warnings, translated: "Loglik converged before variable  k ; …" ↔ possiblyInfinite on term k. */
function compareWarnings(fit: CoxFit, r: any, label: string) {
  const rw: string[] = Array.isArray(r.warnings) ? r.warnings : r.warnings ? [r.warnings] : [];
  const flagged = fit.terms.flatMap((t, j) => (t.possiblyInfinite ? [j + 1] : []));
  const rFlagged = rw.flatMap((w) => {
    const m = /^Loglik converged before variable\s+([\d,]+)\s*;/.exec(w);
    return m ? m[1].split(",").map(Number) : [];
  });
  assert.deepStrictEqual(flagged, rFlagged, `${label} possibly infinite terms`);
  assert.strictEqual(
    fit.warnings.includes("Ran out of iterations and did not converge"),
    rw.includes("Ran out of iterations and did not converge"),
    `${label} not-converged warning`
  );
  assert.strictEqual(fit.warnings.length, rw.length, `${label} number of warnings: ${fit.warnings.join(" | ")}`);
}

describe("coxPH edge cases (catalogue C1–C18)", () => {
  const standard = [
    "C2_separation",
    "C3_singleton_level",
    "C4_collinear",
    "C5_constant",
    "C6_test1_efron",
    "C6_test1_breslow",
    "C8_single_event",
    "C10_missing_covariate",
    "C12_scaled",
    "C12_unscaled",
    "C14_all_tied",
    "C14_all_tied_breslow",
    "C16_near_tie",
    "C18_counting_zero_start",
    "single_event_at_risk_all_tied"
  ];
  for (const name of standard) {
    it(`coxPH matches coxph with the default control on ${name} (coefficients, SE, tests, iterations, warnings)`, () => {
      const r = edge.cases[name].default;
      const fit = edgeFit(name);
      assert.strictEqual(fit.iterations, r.iter, `${name} iterations`);
      compareWarnings(fit, r, name);
      compareFit(fit, r, `${name} default`);
    });
  }

  it("C1: zero events give null coefficients, loglik (0, 0) and tests 0 on 0 df with p = 1, as coxph", () => {
    const r = edge.cases.C1_zero_events.default;
    const fit = edgeFit("C1_zero_events");
    assert.deepStrictEqual(fit.terms.map((t) => t.coef), [null]);
    assert.deepStrictEqual(fit.terms.map((t) => t.se), [null]);
    assert.deepStrictEqual(fit.loglik, arr(r.loglik));
    assert.deepStrictEqual(fit.lrTest, {stat: 0, df: 0, p: 1});
    assert.deepStrictEqual(fit.waldTest, {stat: 0, df: 0, p: 1});
    assert.deepStrictEqual(fit.scoreTest, {stat: 0, df: 0, p: 1});
    assert.deepStrictEqual(fit.variance, [[0]]);
    assert.strictEqual(fit.events, 0);
    assert.strictEqual(fit.concordance.concordance, null);
    assert.deepStrictEqual(fit.warnings, []);
    assertAllFinite(fit);
  });

  it("C6: Therneau & Grambsch test1 closed forms, Breslow β = log(1.5 + √33/2), Efron β = 1.676857", () => {
    const breslow = edgeFit("C6_test1_breslow", {eps: 1e-12, maxIter: 100});
    assertClose(breslow.terms[0].coef, Math.log(1.5 + Math.sqrt(33) / 2), {rtol: 1e-9, label: "Breslow β"});
    assert.strictEqual(breslow.n, 6); // the row with a missing status is dropped
    const efron = edgeFit("C6_test1_efron", {eps: 1e-12, maxIter: 100});
    assertClose(efron.terms[0].coef, edge.cases.C6_test1_efron.tight.coef, {rtol: 1e-9, label: "Efron β"});
    assertClose(efron.terms[0].se, edge.cases.C6_test1_efron.tight.se, {rtol: 1e-9, label: "Efron se"});
  });

  it("C3/C4/C5: a collinear or constant covariate (or a level whose coefficient runs to −∞ under eps 1e-12) gets a null coefficient and the rest are fitted", () => {
    for (const name of ["C3_singleton_level", "C4_collinear", "C5_constant"]) {
      const fit = edgeFit(name, {eps: 1e-12, maxIter: 100});
      compareFit(fit, edge.cases[name].tight, `${name} tight`);
      assert.strictEqual(fit.lrTest.df, 2);
    }
  });

  it("C8: a single event with continuous x runs out of iterations; as R, no column is then reported aliased (se 0, not null)", () => {
    const r = edge.cases.C8_single_event.tight;
    const fit = edgeFit("C8_single_event", {eps: 1e-12, maxIter: 100});
    assert.strictEqual(fit.converged, false);
    assert.strictEqual(fit.iterations, r.iter);
    compareWarnings(fit, r, "C8 tight");
    // The coefficient drifts towards −∞ by rounding-level steps; only its direction is comparable.
    assert.ok(fit.terms[0].coef! < -30 && r.coef < -30);
    assert.strictEqual(fit.terms[0].se, r.se);
    assert.strictEqual(fit.terms[0].p, null);
  });

  it("C12: a covariate multiplied by 1e8 gives the same fit after back-scaling", () => {
    const a = edgeFit("C12_unscaled", {eps: 1e-12, maxIter: 100});
    const b = edgeFit("C12_scaled", {eps: 1e-12, maxIter: 100});
    assertClose(b.terms[0].coef! * 1e8, a.terms[0].coef, {rtol: 1e-9});
    assertClose(b.terms[0].p, a.terms[0].p, {rtol: 1e-9});
    compareFit(b, edge.cases.C12_scaled.tight, "C12 tight");
  });

  it("C17: iteration limit → converged false, R's warning, iterations = maxIter + 1 and R's diagonal variance", () => {
    const r = edge.cases.C17_iter_max_2.default;
    const fit = edgeFit("C17_iter_max_2", {maxIter: 2});
    assert.strictEqual(fit.converged, false);
    assert.strictEqual(fit.iterations, 3);
    compareWarnings(fit, r, "C17");
    compareFit(fit, r, "C17");
  });

  it("C18: Surv(0, time, status) and Surv(time, status) give the same fit", () => {
    const cs = edge.cases.C18_counting_zero_start;
    const a = edgeFit("C18_counting_zero_start", {eps: 1e-12, maxIter: 100});
    compareFit(a, cs.tight, "C18 tight");
  });

  it("C9, C11, C13: infinite covariate, zero weight and overflowing init are errors naming field, row and value", () => {
    assert.match(edge.errors.C9_infinite, /infinite predictor/);
    assert.throws(() => designMatrix([{name: "x", values: [1, Infinity, 2, 3]}]), "x at row 2: Infinity (covariate must be finite)");
    assert.match(edge.errors.C11_zero_weight, /Invalid weights, must be >0/);
    assert.throws(
      () => coxPH({time: [1, 2, 3, 4], event: [1, 1, 0, 1], weights: [1, 0, 1, 1]}, designMatrix([{name: "x", values: [1, 4, 2, 3]}])),
      "weights at row 2: 0 (weights must be > 0)"
    );
    assert.match(edge.errors.C13_init, /initial values lead to overflow or underflow of the exp function/);
    const cs = edge.cases.C12_unscaled.data;
    assert.throws(
      () => coxPH({time: cs.time, event: cs.status}, designMatrix([{name: "age", values: cs.age}]), {init: [1000]}),
      "init: initial values lead to overflow or underflow of the exp function"
    );
  });
});

describe("coxPH invariants and bookkeeping", () => {
  it("coxPH reports dropped rows by reason (lung: one missing ph.ecog)", () => {
    const fit = coxPH(lungData, designMatrix(cases["lung-ecog-factor"].covariates));
    assert.deepStrictEqual(fit.dropped, {total: 1, reasons: [{field: "covariates", count: 1}]});
    assert.strictEqual(fit.n, 227);
    assert.strictEqual(fit.linearPredictors.length, 227);
    const missingRow = (lung["ph.ecog"] as number[]).findIndex((v) => Number.isNaN(v));
    assert.ok(missingRow >= 0 && !fit.rows.includes(missingRow), "rows lists the original indices of the rows used");
  });

  it("coxPH gives the same fit whatever the row order (permuted (start, stop] data with strata)", () => {
    const cs = cases["bmt-platelets-tdc"];
    const n = (cs.data.time as number[]).length;
    const perm = Array.from({length: n}, (_, i) => (i * 37 + 11) % n); // 37 is coprime with n
    assert.strictEqual(new Set(perm).size, n);
    const pick = <T,>(v: ArrayLike<T>) => perm.map((i) => v[i]);
    const data = {entry: pick(cs.data.entry!), time: pick(cs.data.time), event: pick(cs.data.event), strata: pick(cs.data.strata!)};
    const x = designMatrix(cs.covariates.map((c) => ({...c, values: pick(c.values)})));
    const a = coxPH(cs.data, designMatrix(cs.covariates), {eps: 1e-12, maxIter: 100});
    const b = coxPH(data, x, {eps: 1e-12, maxIter: 100});
    assertClose(b.terms.map((t) => t.coef), a.terms.map((t) => t.coef), {rtol: 1e-10});
    assertClose(b.terms.map((t) => t.se), a.terms.map((t) => t.se), {rtol: 1e-10});
    assertClose(b.loglik, a.loglik, {rtol: 1e-12});
    assert.deepStrictEqual(b.concordance.concordant, a.concordance.concordant);
    assertClose(b.linearPredictors, perm.map((i) => a.linearPredictors[i]), {rtol: 1e-10, atol: 1e-12});
  });

  it("coxPH's result survives JSON: no NaN or Infinity, and undefined values are null", () => {
    const fit = coxPH(lungData, designMatrix(cases["lung-ecog-factor"].covariates));
    assertAllFinite(fit);
    const back = JSON.parse(JSON.stringify(fit));
    assert.deepStrictEqual(back.terms, fit.terms);
  });
});

describe("Cox linear algebra and ordering helpers", () => {
  it("choleskyDecompose/choleskyInverse give the generalised inverse with the aliased row and column zero, as cholesky2/chinv2", async () => {
    const {choleskyDecompose, choleskyInverse, choleskySolve} = await import("../../src/survival/math/cholesky.js");
    // A = [[4, 2, 4], [2, 5, 2], [4, 2, 4]]: column 3 equals column 1.
    const a = Float64Array.from([4, 2, 4, 2, 5, 2, 4, 2, 4]);
    const m = Float64Array.from(a);
    assert.strictEqual(choleskyDecompose(m, 3, 1e-9), 2);
    // Inverse of the leading 2×2 block [[4, 2], [2, 5]] is [[5, −2], [−2, 4]] / 16; the third row/column is 0.
    assertClose(choleskyInverse(m, 3), [5 / 16, -2 / 16, 0, -2 / 16, 4 / 16, 0, 0, 0, 0], {rtol: 1e-15, atol: 1e-17});
    const y = Float64Array.from([1, 2, 1]);
    choleskySolve(m, 3, y);
    assertClose(y, [(5 - 4) / 16, (-2 + 8) / 16, 0], {rtol: 1e-15, atol: 1e-17});
  });

  it("sortByKey is a stable radix order equal to a comparator sort (negative, −0, ties, descending)", async () => {
    const {identityOrder, sortByKey, sortBySmallInt} = await import("../../src/survival/math/radixOrder.js");
    const n = 5000;
    const keys = Float64Array.from({length: n}, (_, i) => [((i * 7919) % 97) - 48.5, -0, 0, 1e-300, -1e300, 3.25][i % 6] * (i % 11 === 0 ? -1 : 1));
    const expectAsc = Array.from({length: n}, (_, i) => i).sort((a, b) => keys[a] - keys[b] || a - b);
    assert.deepStrictEqual(Array.from(sortByKey(identityOrder(n), keys)), expectAsc);
    const expectDesc = Array.from({length: n}, (_, i) => i).sort((a, b) => keys[b] - keys[a] || a - b);
    assert.deepStrictEqual(Array.from(sortByKey(identityOrder(n), keys, true)), expectDesc);
    const groups = Int32Array.from({length: n}, (_, i) => (i * 31) % 4);
    const byGroupThenKey = sortBySmallInt(sortByKey(identityOrder(n), keys), groups);
    const expectBoth = Array.from({length: n}, (_, i) => i).sort((a, b) => groups[a] - groups[b] || keys[a] - keys[b] || a - b);
    assert.deepStrictEqual(Array.from(byGroupThenKey), expectBoth);
  });
});
