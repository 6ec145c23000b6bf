import {describe, it, assert} from "vitest";
import {readFileSync} from "node:fs";
import {fineGray} from "../../src/survival/fineGray.js";
import {designMatrix} from "../../src/survival/designMatrix.js";
import {SurvivalInputError} from "../../src/survival/errors.js";
import {assertClose} from "../util/close.js";
import {readCsvColumns, numeric} from "../util/csv.js";

// Expected values: cmprsk::crr (R 4.2.2, cmprsk 2.2-11), written by test/reference/finegray-bmt.R and
// test/reference/finegray-mgus2.R into the JSON fixtures next to them; each fixture fit carries its call.
type Fit = {
  label: string; call: string; failcode: number; gtol: number; maxiter: number; terms: string[];
  coef: number[]; se: number[]; var: number[][]; z: number[]; p: number[]; inf: number[][];
  loglik: number; loglikNull: number; converged: boolean; n: number; nMissing: number; events: number;
  iterations?: number | null; summary?: number[][]; conf?: number[][];
};
const bmtRef = JSON.parse(readFileSync("test/reference/finegray-bmt.json", "utf8"));
const mgusRef = JSON.parse(readFileSync("test/reference/finegray-mgus2.json", "utf8"));
const asArray = (v: number | number[]) => (Array.isArray(v) ? v : [v]);

// bmt coded as in finegray-bmt.R: cause 1 relapse (d2), 2 death in remission (d3 & !d2), time t2.
const bmt = readCsvColumns("data/bmt.csv");
const d2 = numeric(bmt, "d2"), d3 = numeric(bmt, "d3");
const bmtData = {time: numeric(bmt, "t2"), event: Float64Array.from(d2, (v, i) => (v === 1 ? 1 : d3[i] === 1 ? 2 : 0))};
const bmtX = designMatrix([
  {name: "age", values: numeric(bmt, "z1")},
  {name: "male", values: numeric(bmt, "z3")},
  {name: "group", values: numeric(bmt, "group"), type: "categorical"}
]);
const mgus = readCsvColumns("test/data/mgus2.csv");
const mgusData = {time: numeric(mgus, "etime"), event: numeric(mgus, "event")};

function checkFit(res: ReturnType<typeof fineGray>, ref: Fit, terms: string[]) {
  const label = ref.label;
  assert.deepStrictEqual(res.terms.map((t) => t.term), terms);
  assertClose(res.terms.map((t) => t.coef), asArray(ref.coef), {rtol: 1e-9, label: `${label} coef`});
  assertClose(res.terms.map((t) => t.se), asArray(ref.se), {rtol: 1e-9, label: `${label} se`});
  assertClose(res.terms.map((t) => t.z), asArray(ref.z), {rtol: 1e-9, label: `${label} z`});
  assertClose(res.terms.map((t) => t.p), asArray(ref.p), {rtol: 1e-6, label: `${label} p`});
  assertClose(res.variance.flat(), ref.var.flat(), {rtol: 1e-9, label: `${label} var`});
  assertClose(res.loglik[1], ref.loglik, {rtol: 1e-9, label: `${label} loglik`});
  assertClose(res.loglik[0], ref.loglikNull, {rtol: 1e-9, label: `${label} loglik.null`});
  assert.strictEqual(res.n, ref.n);
  assert.strictEqual(res.events, ref.events);
  assert.strictEqual(res.converged, ref.converged, `${label} converged`);
  if (ref.iterations != null) assert.strictEqual(res.iterations, ref.iterations, `${label} iterations`);
}

describe("fineGray", () => {
  it("fineGray(data, x, {cause}) matches cmprsk::crr on bmt (relapse and death in remission)", () => {
    for (const ref of bmtRef.fits as Fit[]) {
      if (!ref.label.startsWith("bmt")) continue;
      const use = ref.terms.map((t) => bmtX.terms.indexOf(t));
      const x = {terms: ref.terms, columns: use.map((k) => bmtX.columns[k])};
      const res = fineGray(bmtData, x, {cause: ref.failcode, gtol: ref.gtol, maxIter: ref.maxiter});
      checkFit(res, ref, ref.terms);
      assert.deepStrictEqual(res.warnings, []);
    }
  });

  it("fineGray matches crr with heavy ties among failures of both causes and censorings", () => {
    const d = bmtRef.ties.data;
    for (const ref of (bmtRef.fits as Fit[]).filter((f) => f.label.startsWith("ties"))) {
      const x = {terms: ["x1", "x2"], columns: [Float64Array.from(d.x1, (v: number | null) => v ?? NaN), Float64Array.from(d.x2)]};
      const res = fineGray({time: d.time, event: d.event}, x, {cause: ref.failcode, gtol: ref.gtol, maxIter: ref.maxiter});
      checkFit(res, ref, ["x1", "x2"]);
      assert.deepStrictEqual(res.dropped, {total: 2, reasons: [{field: "covariates", count: 2}]});
    }
  });

  it("fineGray matches crr on mgus2 (catalogue R11), including rows dropped for a missing covariate", () => {
    for (const ref of mgusRef.fits as Fit[]) {
      const cols: Record<string, Float64Array> = {
        age: numeric(mgus, "age"),
        "sex=M": Float64Array.from(mgus.sex, (s) => (s === "M" ? 1 : 0)),
        hgb: numeric(mgus, "hgb")
      };
      const x = {terms: ref.terms, columns: ref.terms.map((t) => cols[t])};
      const res = fineGray(mgusData, x, {cause: ref.failcode, gtol: ref.gtol, maxIter: ref.maxiter});
      checkFit(res, ref, ref.terms);
      assert.strictEqual(res.dropped.total, ref.nMissing);
    }
  });

  it("fineGray reports hazard ratios with crr's summary confidence intervals", () => {
    const ref = (bmtRef.fits as Fit[])[0];
    const x = {terms: ref.terms, columns: ref.terms.map((t) => bmtX.columns[bmtX.terms.indexOf(t)])};
    const res = fineGray(bmtData, x, {cause: 1, gtol: ref.gtol, maxIter: ref.maxiter});
    // summary(crr(...), conf.int = 0.95): exp(coef), 2.5%, 97.5%
    assertClose(res.terms.map((t) => t.hr), ref.summary!.map((r) => r[0]), {rtol: 1e-9, label: "hr"});
    assertClose(res.terms.map((t) => t.lower), ref.conf!.map((r) => r[0]), {rtol: 1e-9, label: "lower"});
    assertClose(res.terms.map((t) => t.upper), ref.conf!.map((r) => r[1]), {rtol: 1e-9, label: "upper"});
    // Wald test from the robust variance, by hand: βᵀ V⁻¹ β on 4 df; crr has no LR or score test.
    assert.strictEqual(res.waldTest!.df, 4);
    assert.isTrue(res.waldTest!.stat > 0 && res.waldTest!.p > 0 && res.waldTest!.p < 1);
    assert.strictEqual(res.lrTest, null);
    assert.strictEqual(res.scoreTest, null);
    assert.strictEqual(res.concordance, null);
    assert.strictEqual(res.competing, 41);
  });

  it("fineGray under separation (catalogue R9) follows crr's iterations and warns that the estimate may be infinite", () => {
    const s = bmtRef.separation;
    const data = {time: s.data.time, event: s.data.event};
    const x = {terms: ["x"], columns: [s.data.x]};
    // crr(time, event, cbind(x), failcode = 1): converged FALSE after maxiter = 10, coef 11.64, SE 0.524
    const res = fineGray(data, x, {cause: 1});
    assert.isFalse(res.converged);
    assert.strictEqual(res.iterations, 10);
    assertClose(res.terms[0].coef, s.default.coef, {rtol: 1e-9, label: "coef"});
    assertClose(res.terms[0].se, s.default.se, {rtol: 1e-9, label: "se"});
    assertClose(res.loglik[1], s.default.loglik, {rtol: 1e-9, label: "loglik"});
    assert.strictEqual(res.warnings.length, 2);
    assert.match(res.warnings[0], /did not converge in 10 iterations/);
    assert.match(res.warnings[1], /^x: .*separation.*may be infinite/);
    // With gtol = 1e-10, maxiter = 100 crr "converges" at 26.6 (the score vanishes as β grows): still warned.
    // The pseudo-likelihood is flat there, so the coefficient only agrees to rounding (~1e-7).
    const long = fineGray(data, x, {cause: 1, gtol: 1e-10, maxIter: 100});
    assert.strictEqual(long.converged, s.long.converged);
    assertClose(long.terms[0].coef, s.long.coef, {rtol: 1e-6, label: "coef (long)"});
    assertClose(long.terms[0].se, s.long.se, {rtol: 1e-6, label: "se (long)"});
    assert.deepStrictEqual(long.warnings.length, 1);
    assert.match(long.warnings[0], /may be infinite/);
  });

  it("fineGray gives a constant or collinear covariate a null coefficient and fits the rest (crr: catalogue R10 error)", () => {
    // crr(t2, event, cbind(age, one = 1), failcode = 1) stops: "Lapack routine dgesv: system is exactly singular".
    assert.match(bmtRef.rejects.constant.error, /exactly singular/);
    const ageOnly = (bmtRef.fits as Fit[]).find((f) => f.label === "bmt relapse ~ age (crr defaults)")!;
    const age = bmtX.columns[0];
    for (const [name, col] of [["one", new Float64Array(age.length).fill(1)], ["dup", age.map((v) => 2 * v)]] as const) {
      const res = fineGray(bmtData, {terms: ["age", name], columns: [age, col]}, {cause: 1});
      assertClose(res.terms[0].coef, ageOnly.coef as unknown as number, {rtol: 1e-9, label: `${name}: age coef`});
      assertClose(res.terms[0].se, ageOnly.se as unknown as number, {rtol: 1e-9, label: `${name}: age se`});
      assert.deepStrictEqual(res.terms[1], {term: name, coef: null, se: null, hr: null, lower: null, upper: null, z: null, p: null});
      assert.strictEqual(res.warnings.length, 1);
      assert.match(res.warnings[0], new RegExp(`^${name}: .*not estimable`));
      assert.deepStrictEqual(res.variance[1], [null, null]);
      assert.strictEqual(res.waldTest!.df, 1);
    }
  });

  it("fineGray throws a clear error when the cause has no events (crr: catalogue R10 LAPACK error)", () => {
    assert.match(bmtRef.rejects.noEvents.error, /exactly singular/);
    assert.throws(() => fineGray(bmtData, {terms: ["age"], columns: [bmtX.columns[0]]}, {cause: 3}), SurvivalInputError, /no events of cause 3 among the 137 complete rows/);
    assert.throws(() => fineGray(bmtData, {terms: ["age"], columns: [bmtX.columns[0]]}, {cause: 0}), SurvivalInputError, /cause must be an event code/);
    assert.throws(() => fineGray({...bmtData, weights: new Float64Array(137).fill(1)}, {terms: [], columns: []}, {cause: 1}), SurvivalInputError, /weights/);
    assert.throws(() => fineGray(bmtData, {terms: ["age"], columns: [bmtX.columns[0].map((v, i) => (i === 3 ? Infinity : v))]}, {cause: 1}), SurvivalInputError, /age at row 4: Infinity/);
  });

  it("fineGray weights failures at time 0 with crr's G(0), not G(0−)", () => {
    const z = bmtRef.zeroTimes;
    const res = fineGray({time: z.data.time, event: z.data.event}, {terms: ["x"], columns: [z.data.x]}, {cause: 1, gtol: 1e-10, maxIter: 100});
    assertClose(res.terms[0].coef, z.coef, {rtol: 1e-9, label: "coef"});
    assertClose(res.terms[0].se, z.se, {rtol: 1e-9, label: "se"});
    assertClose(res.loglik, [z.loglikNull, z.loglik], {rtol: 1e-9, label: "loglik"});
    assert.strictEqual(res.converged, z.converged);
  });

  it("fineGray results are JSON-safe: no NaN or Infinity", () => {
    const s = bmtRef.separation;
    const res = fineGray({time: s.data.time, event: s.data.event}, {terms: ["x", "c"], columns: [s.data.x, new Array(16).fill(2)]}, {cause: 1, maxIter: 100, gtol: 1e-10});
    const text = JSON.stringify(res);
    assert.notMatch(text, /NaN|Infinity/);
    assert.deepStrictEqual(JSON.parse(text), res);
  });
});
