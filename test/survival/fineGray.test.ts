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
});
