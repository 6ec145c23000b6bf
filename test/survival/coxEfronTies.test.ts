import {describe, it, assert} from "vitest";
import {concordance} from "../../src/survival/concordance.js";
import {coxKernel, coxPH, fitInternals, modelX, prepareCoxModel, type CoxModelData} from "../../src/survival/coxPH.js";
import {designMatrix} from "../../src/survival/designMatrix.js";
import type {SurvivalData} from "../../src/survival/input.js";
import {choleskyDecompose, choleskySolve} from "../../src/survival/math/cholesky.js";

// coxKernel adds the d tied deaths of an Efron death time through scalar sums over the d steps
// (src/survival/coxPH.ts, addDeathTime) instead of one O(p²) update per death as R's coxfit6/agfit4.
// Expected values here come from Efron's formula written out per death, on risk sets found by brute
// force (referenceKernel below, no R needed): for the m-th of d tied deaths (m = 1 … d, f = m/d,
// weight w = mean case weight of the tied deaths), den = Σ_{at risk, not dying} r + f·Σ_{dying} r,
// loglik −= w·log den, u −= w·mean, I += w·(C/den − mean·meanᵀ). The tolerance is 1e-12 of the
// magnitude of the terms summed (the scale of the rounding of either order of summation).

interface Reference {
  loglik: number;
  u: number[];
  imat: number[];
  /** Σ |terms| of each output, the scale its rounding is relative to. */
  magLoglik: number;
  magU: number[];
  magImat: number[];
}

/** Efron or Breslow log-likelihood, score and information, one death at a time, risk sets by brute force. */
function referenceKernel(model: CoxModelData, beta: ArrayLike<number>, timeWeight: Float64Array | null = null): Reference {
  const {n, p, stop, start, status, weights, strata} = model;
  const x = modelX(model);
  const efron = model.ties === "efron";
  const q = timeWeight ? 2 * p : p;
  const eta = new Float64Array(n);
  const r = new Float64Array(n);
  for (let k = 0; k < n; ++k) {
    for (let j = 0; j < p; ++j) eta[k] += beta[j] * x[k * p + j];
    r[k] = Math.exp(eta[k]) * weights[k];
  }
  const out: Reference = {loglik: 0, u: Array(q).fill(0), imat: Array(p * p).fill(0), magLoglik: 0, magU: Array(q).fill(0), magImat: Array(p * p).fill(0)};
  const seen = new Set<string>();
  for (let k0 = 0; k0 < n; ++k0) {
    if (!status[k0]) continue;
    const t = stop[k0];
    const s = strata[k0];
    const key = `${s}:${t}`;
    if (seen.has(key)) continue;
    seen.add(key);
    let denom = 0;
    let denom2 = 0;
    let deadwt = 0;
    let d = 0;
    const a = Array(p).fill(0);
    const a2 = Array(p).fill(0);
    const c = Array(p * p).fill(0);
    const c2 = Array(p * p).fill(0);
    let g = 0;
    for (let k = 0; k < n; ++k) {
      if (strata[k] !== s || stop[k] < t || (start && start[k] >= t)) continue;
      const dies = stop[k] === t && status[k] === 1;
      if (dies) {
        ++d;
        deadwt += weights[k];
        denom2 += r[k];
        out.loglik += weights[k] * eta[k];
        out.magLoglik += Math.abs(weights[k] * eta[k]);
        if (timeWeight) g = timeWeight[k];
        for (let i = 0; i < p; ++i) {
          out.u[i] += weights[k] * x[k * p + i];
          out.magU[i] += Math.abs(weights[k] * x[k * p + i]);
          if (timeWeight) {
            out.u[p + i] += g * weights[k] * x[k * p + i];
            out.magU[p + i] += Math.abs(g * weights[k] * x[k * p + i]);
          }
        }
      } else denom += r[k];
      for (let i = 0; i < p; ++i) {
        (dies ? a2 : a)[i] += r[k] * x[k * p + i];
        for (let j = 0; j < p; ++j) (dies ? c2 : c)[i * p + j] += r[k] * x[k * p + i] * x[k * p + j];
      }
    }
    const steps = efron ? d : 1;
    const w = deadwt / steps;
    for (let m = 1; m <= steps; ++m) {
      const f = efron ? m / d : 1;
      const den = denom + f * denom2;
      out.loglik -= w * Math.log(den);
      out.magLoglik += Math.abs(w * Math.log(den));
      const mean = a.map((ai, i) => (ai + f * a2[i]) / den);
      for (let i = 0; i < p; ++i) {
        out.u[i] -= w * mean[i];
        out.magU[i] += Math.abs(w * mean[i]);
        if (timeWeight) {
          out.u[p + i] -= g * w * mean[i];
          out.magU[p + i] += Math.abs(g * w * mean[i]);
        }
        for (let j = 0; j < p; ++j) {
          const cij = (c[i * p + j] + f * c2[i * p + j]) / den;
          out.imat[i * p + j] += w * (cij - mean[i] * mean[j]);
          out.magImat[i * p + j] += Math.abs(w * cij) + Math.abs(w * mean[i] * mean[j]);
        }
      }
    }
  }
  return out;
}

function assertWithin(actual: ArrayLike<number>, expected: number[], mag: number[], label: string): void {
  assert.strictEqual(actual.length, expected.length, label);
  for (let i = 0; i < expected.length; ++i) {
    const tol = 1e-12 * mag[i];
    const delta = Math.abs(actual[i] - expected[i]);
    assert.ok(delta <= tol, `${label}[${i}]: actual ${actual[i]}, expected ${expected[i]}, Δ ${delta}, tol ${tol}`);
  }
}

/** A seeded cohort with integer-day times in 1..days (heavy ties), as the bench cohort. */
function tiedCohort(n: number, days: number, seed: number, opts: {weights?: boolean; strata?: boolean; entry?: boolean; indicators?: boolean} = {}) {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const time = new Float64Array(n);
  const event = new Float64Array(n);
  const entry = new Float64Array(n);
  const weights = new Float64Array(n);
  const strata = new Float64Array(n);
  const age = new Float64Array(n);
  const late = new Float64Array(n);
  const donor: string[] = [];
  for (let i = 0; i < n; ++i) {
    age[i] = Math.round(1 + rnd() * 20);
    late[i] = rnd() < 0.4 ? 1 : 0;
    donor.push(["related", "unrelated_BM", "unrelated_CB"][Math.floor(rnd() * 3)]);
    const hazard = Math.exp(0.03 * age[i] - 0.6 * late[i]);
    time[i] = Math.min(days, 1 + Math.floor((-Math.log(1 - rnd()) / hazard) * days * 0.3));
    event[i] = time[i] < days && rnd() < 0.8 ? 1 : 0;
    entry[i] = Math.floor(rnd() * (time[i] - 0.5));
    weights[i] = 0.25 + 2 * rnd();
    strata[i] = rnd() < 0.5 ? 1 : 2;
  }
  const data: SurvivalData = {time, event};
  if (opts.weights) data.weights = weights;
  if (opts.strata) data.strata = strata;
  if (opts.entry) data.entry = entry;
  const x = designMatrix([
    opts.indicators ? {name: "age9", values: age.map((v) => (v > 9 ? 1 : 0))} : {name: "age", values: age},
    {name: "late", values: late},
    {name: "donor", values: donor}
  ]);
  return {data, x};
}

describe("coxKernel: Efron ties summed per death time equal the per-death formula", () => {
  const variants = [
    {label: "right-censored", opts: {}},
    {label: "weights and strata", opts: {weights: true, strata: true}},
    {label: "(start, stop] with weights", opts: {entry: true, weights: true}},
    {label: "(start, stop] with strata", opts: {entry: true, strata: true}},
    // 0/1 columns only: the kernel that sums by covariate pattern (CoxModelData.patterns).
    {label: "indicators only", opts: {indicators: true}},
    {label: "indicators only, weights and strata", opts: {indicators: true, weights: true, strata: true}},
    {label: "indicators only, (start, stop]", opts: {indicators: true, entry: true}}
  ];
  for (const {label, opts} of variants) {
    for (const ties of ["efron", "breslow"] as const) {
      it(`${label}, ${ties}: loglik, score and information at fixed β on 6,000 rows over 40 days within 1e-12 of the terms`, () => {
        const {data, x} = tiedCohort(6000, 40, 20121126, opts);
        const {model} = prepareCoxModel(data, x, {ties});
        assert.strictEqual(model.patterns != null, label.startsWith("indicators"), "pattern kernel used exactly for the 0/1 designs");
        for (const beta of [new Float64Array(model.p), Float64Array.from([0.3, -0.5, 0.2, -0.1].slice(0, model.p))]) {
          const st = coxKernel(model, beta);
          const ref = referenceKernel(model, beta);
          assertWithin([st.loglik], [ref.loglik], [ref.magLoglik], `${label} ${ties} loglik`);
          assertWithin(st.u, ref.u, ref.magU, `${label} ${ties} u`);
          assertWithin(st.imat, ref.imat, ref.magImat, `${label} ${ties} imat`);
        }
      });
    }
  }

  it("with coxZph's time weight: the extra score and the g-weighted information blocks agree too", () => {
    const {data, x} = tiedCohort(4000, 30, 7, {weights: true, strata: true});
    const {model} = prepareCoxModel(data, x, {ties: "efron"});
    const g = Float64Array.from(model.stop, (t) => Math.log(t) - 1.5);
    const beta = Float64Array.from([0.2, -0.4, 0.1, 0.3]);
    const st = coxKernel(model, beta, g);
    const ref = referenceKernel(model, beta, g);
    assertWithin(st.u, ref.u, ref.magU, "u with g");
    assertWithin(st.imat, ref.imat, ref.magImat, "imat with g");
    // Σ g·V and Σ g²·V: the reference with g·(terms) is the same formula with the weights scaled by g.
    const p = model.p;
    const refG = Array(p * p).fill(0);
    const refGG = Array(p * p).fill(0);
    const magG = Array(p * p).fill(0);
    const magGG = Array(p * p).fill(0);
    const times = new Set<number>();
    for (let k = 0; k < model.n; ++k) if (model.status[k]) times.add(model.stop[k]);
    for (const t of times) {
      // One death time at a time: the reference kernel on the model restricted to deaths at t.
      const only = {...model, status: Uint8Array.from(model.status, (s, k) => (s && model.stop[k] === t ? 1 : 0))};
      const one = referenceKernel(only, beta);
      let gt = 0;
      for (let k = 0; k < model.n; ++k) if (only.status[k]) gt = g[k];
      for (let i = 0; i < p * p; ++i) {
        refG[i] += gt * one.imat[i];
        refGG[i] += gt * gt * one.imat[i];
        magG[i] += Math.abs(gt) * one.magImat[i];
        magGG[i] += gt * gt * one.magImat[i];
      }
    }
    assertWithin(st.imatG!, refG, magG, "imatG");
    assertWithin(st.imatGG!, refGG, magGG, "imatGG");
  });

  it("coxPH's Efron estimate on 20,000 rows over 60 days is a root of the per-death score (Newton step ≤ 1e-12 relative)", () => {
    const {data, x} = tiedCohort(20000, 60, 99, {weights: true});
    const fit = coxPH(data, x, {ties: "efron", eps: 1e-14, maxIter: 50});
    assert.ok(fit.converged);
    const {model} = prepareCoxModel(data, x, {ties: "efron"});
    const p = model.p;
    const beta = Float64Array.from(fit.terms, (t, j) => t.coef! / model.scale[j]);
    const ref = referenceKernel(model, beta);
    const info = Float64Array.from(ref.imat);
    const step = Float64Array.from(ref.u);
    choleskyDecompose(info, p, 1e-12);
    choleskySolve(info, p, step);
    for (let j = 0; j < p; ++j) {
      const b = fit.terms[j].coef!;
      const delta = Math.abs(step[j] * model.scale[j]);
      assert.ok(delta <= 1e-12 * Math.abs(b), `term ${fit.terms[j].term}: coef ${b}, per-death Newton step ${delta}`);
    }
  });
});

// coxPH counts the concordance of a 0/1 design on its rows summed by (stratum, time, pattern)
// (concordanceCells); expected values: concordance() on the same rows and linear predictors
// (reverse = TRUE, as R's coxph), which is checked against R and a brute-force pair count in
// test/survival/concordance.test.ts.
describe("coxPH's concordance on summed rows of a 0/1 design equals concordance() on its rows", () => {
  const variants = [
    {label: "right-censored", opts: {indicators: true}},
    {label: "weights and strata", opts: {indicators: true, weights: true, strata: true}}
  ];
  for (const {label, opts} of variants) {
    it(`${label}: counts within 1e-12, std within 1e-9, also with linear predictors tied across patterns`, () => {
      const {data, x} = tiedCohort(8000, 50, 31, opts);
      // The fit, and fixed β with a zero coefficient (patterns differing only in that column tie).
      for (const options of [{}, {init: [0.5, 0, 0.2, 0.2], maxIter: 0}]) {
        const fit = coxPH(data, x, options);
        assert.ok(fitInternals(fit)!.model.patterns?.cells, "summed-rows path used");
        const expected = concordance(data, fit.linearPredictors, {reverse: true});
        const got = fit.concordance;
        for (const key of ["concordant", "discordant", "tiedX", "tiedY", "tiedXY", "concordance"] as const) {
          const e = expected[key]!;
          assert.ok(Math.abs(got[key]! - e) <= 1e-12 * Math.abs(e), `${label} ${key}: ${got[key]} vs ${e}`);
        }
        assert.ok(Math.abs(got.std! - expected.std!) <= 1e-9 * expected.std!, `${label} std: ${got.std} vs ${expected.std}`);
        assert.ok(got.tiedX > 0);
      }
    });
  }
});
