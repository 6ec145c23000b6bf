import {readFileSync} from "node:fs";
import {describe, it, assert} from "vitest";
import {coxPH, type CoxFit} from "../../src/survival/coxPH.js";
import {designMatrix, type CovariateSpec} from "../../src/survival/designMatrix.js";
import type {SurvivalData} from "../../src/survival/input.js";
import {assertClose} from "../util/close.js";
import {numeric, readCsvColumns} from "../util/csv.js";

// Expected values: test/reference/cox-datasets.json, written by `Rscript test/reference/cox-datasets.R`
// (R 4.2.2, survival 3.5-3). "tight" = coxph(..., control = coxph.control(eps = 1e-12, iter.max = 100));
// "default" = coxph(...) with the default control; "fixed" = coxph(..., init = b, iter.max = 0).
// Non-integer weights: R defaults to a robust variance; the fixture sets robust = FALSE because
// coxPH reports the model-based variance.
type Num = number | null;
const arr = (v: Num | Num[] | undefined): Num[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
const matrix = (v: Num[][] | undefined): Num[] => (v ?? []).flat();
const ref = JSON.parse(readFileSync("test/reference/cox-datasets.json", "utf8"));

const lung = readCsvColumns("test/data/lung.csv");
const veteran = readCsvColumns("test/data/veteran.csv");
const aml = readCsvColumns("test/data/aml.csv");
const bmt = readCsvColumns("data/bmt.csv");
const col = (c: Record<string, unknown[]>, name: string) => c[name] as (number | string | null)[];

interface Case {
  data: SurvivalData;
  covariates: CovariateSpec[];
  ties: "efron" | "breslow";
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

function compareFit(fit: CoxFit, r: any, label: string, rtol = 1e-6) {
  const terms = fit.terms;
  assert.strictEqual(fit.n, r.n, `${label} n`);
  assert.strictEqual(fit.events, r.nevent, `${label} events`);
  assertClose(terms.map((t) => t.coef), arr(r.coef), {rtol, label: `${label} coef`});
  assertClose(terms.map((t) => t.se), arr(r.se), {rtol, label: `${label} se`});
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
      const fit = coxPH(cs.data, x, {ties: cs.ties, eps: 1e-12, maxIter: 100});
      assert.strictEqual(fit.terms.length, arr(r.tight.terms).length);
      compareFit(fit, r.tight, `${name} tight`);
      assert.deepStrictEqual(fit.warnings, []);
      assert.strictEqual(fit.converged, true);
    });
    it(`coxPH(data, x) with the default control takes R's iterations on ${name}`, () => {
      const fit = coxPH(cs.data, designMatrix(cs.covariates), {ties: cs.ties});
      assert.strictEqual(fit.iterations, r.default.iter);
      compareFit(fit, r.default, `${name} default`);
    });
    it(`coxPH(data, x, {init, maxIter: 0}) gives R's loglik, score and variance at fixed β on ${name}`, () => {
      const x = designMatrix(cs.covariates);
      for (const key of ["at_coef", "at_half"]) {
        const fb = r.fixed[key];
        const fit = coxPH(cs.data, x, {ties: cs.ties, init: arr(fb.beta) as number[], maxIter: 0});
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
