import {readFileSync} from "node:fs";
import {describe, it, assert} from "vitest";
import {coxPH} from "../../src/survival/coxPH.js";
import {coxZph} from "../../src/survival/coxZph.js";
import {designMatrix, type CovariateSpec} from "../../src/survival/designMatrix.js";
import type {SurvivalData} from "../../src/survival/input.js";
import {assertClose} from "../util/close.js";
import {numeric, readCsvColumns} from "../util/csv.js";

// Expected values: test/reference/zph-datasets.json, written by `Rscript test/reference/zph-datasets.R`
// (R 4.2.2, survival 3.5-3): cox.zph(coxph(..., control = coxph.control(eps = 1e-12, iter.max = 100)),
// transform, terms). The fits here use the same control.
const ref = JSON.parse(readFileSync("test/reference/zph-datasets.json", "utf8"));
const lung = readCsvColumns("test/data/lung.csv");
const veteran = readCsvColumns("test/data/veteran.csv");
const bmt = readCsvColumns("data/bmt.csv");
const heart = JSON.parse(readFileSync("test/reference/cox-datasets.json", "utf8")).data.heart;
const col = (c: Record<string, unknown[]>, name: string) => c[name] as (number | string | null)[];

const lungData = {time: numeric(lung, "time"), event: numeric(lung, "event")};
const lungNum = ["age", "sex", "ph.ecog"].map((name) => ({name, values: col(lung, name)}));
const lungFac: CovariateSpec[] = [
  {name: "age", values: col(lung, "age")},
  {name: "sex", values: col(lung, "sex")},
  {name: "ph.ecog", values: col(lung, "ph.ecog"), type: "categorical"}
];
const vetData = {time: numeric(veteran, "time"), event: numeric(veteran, "status")};
const vetCov = ["trt", "celltype", "karno"].map((name) => ({name, values: col(veteran, name)}));
const cases: Record<string, {data: SurvivalData; covariates: CovariateSpec[]; ties: "efron" | "breslow"; rowNames: string[]}> = {
  "lung-numeric": {data: lungData, covariates: lungNum, ties: "efron", rowNames: ["age", "sex", "ph.ecog"]},
  "lung-numeric-breslow": {data: lungData, covariates: lungNum, ties: "breslow", rowNames: ["age", "sex", "ph.ecog"]},
  "lung-factor": {data: lungData, covariates: lungFac, ties: "efron", rowNames: ["age", "sex", "ph.ecog"]},
  "lung-factor-perterm": {data: lungData, covariates: lungFac, ties: "efron", rowNames: ["age", "sex", "ph.ecog=1", "ph.ecog=2", "ph.ecog=3"]},
  veteran: {data: vetData, covariates: vetCov, ties: "efron", rowNames: ["trt", "celltype", "karno"]},
  "veteran-identity": {data: vetData, covariates: vetCov, ties: "efron", rowNames: ["trt", "celltype", "karno"]},
  "veteran-log": {data: vetData, covariates: vetCov, ties: "efron", rowNames: ["trt", "celltype", "karno"]},
  "veteran-rank": {data: vetData, covariates: vetCov, ties: "efron", rowNames: ["trt", "celltype", "karno"]},
  "bmt-strata": {
    data: {time: numeric(bmt, "t2"), event: numeric(bmt, "d3"), strata: numeric(bmt, "group")},
    covariates: ["z1", "z2", "z8", "z10"].map((name) => ({name, values: col(bmt, name)})),
    ties: "efron",
    rowNames: ["z1", "z2", "z8", "z10"]
  },
  heart: {
    data: {entry: heart.start, time: heart.stop, event: heart.event},
    covariates: ["age", "year", "surgery", "transplant"].map((name) => ({name, values: heart[name]})),
    ties: "efron",
    rowNames: ["age", "year", "surgery", "transplant"]
  }
};

describe("coxZph", () => {
  for (const [name, cs] of Object.entries(cases)) {
    const r = ref.cases[name];
    it(`coxZph(fit, {transform: "${r.transform}", terms: ${r.terms}}) matches survival::cox.zph on ${name}: ${r.call}`, () => {
      const fit = coxPH(cs.data, designMatrix(cs.covariates), {ties: cs.ties, eps: 1e-12, maxIter: 100});
      const z = coxZph(fit, {transform: r.transform, terms: r.terms});
      assert.deepStrictEqual(z.terms.map((t) => t.term), cs.rowNames);
      const k = z.terms.length;
      assertClose(z.terms.map((t) => t.chisq), r.chisq.slice(0, k), {rtol: 1e-6, label: `${name} chisq`});
      assert.deepStrictEqual(z.terms.map((t) => t.df), r.df.slice(0, k));
      assertClose(z.terms.map((t) => t.p), r.p.slice(0, k), {rtol: 1e-6, label: `${name} p`});
      assertClose(z.global.chisq, r.chisq[k], {rtol: 1e-6, label: `${name} global chisq`});
      assert.strictEqual(z.global.df, r.df[k]);
      assertClose(z.global.p, r.p[k], {rtol: 1e-6, label: `${name} global p`});
    });
  }

  it("coxZph(data, x, options) fits first and gives the same tests as coxZph(coxPH(data, x, options))", () => {
    const x = designMatrix(vetCov);
    const a = coxZph(vetData, x, {eps: 1e-12, maxIter: 100});
    const b = coxZph(coxPH(vetData, x, {eps: 1e-12, maxIter: 100}));
    assert.deepStrictEqual(a, b);
  });

  it("coxZph leaves out an aliased covariate, as cox.zph drops NA coefficients", () => {
    const age = col(lung, "age") as number[];
    const x = designMatrix([
      {name: "age", values: age},
      {name: "dup", values: age.map((v) => 2 * v)},
      {name: "sex", values: col(lung, "sex")},
      {name: "ph.ecog", values: col(lung, "ph.ecog")}
    ]);
    const z = coxZph(lungData, x, {eps: 1e-12, maxIter: 100});
    const r = ref.cases["lung-numeric"];
    assert.deepStrictEqual(z.terms.map((t) => t.term), ["age", "sex", "ph.ecog"]);
    assertClose(z.terms.map((t) => t.chisq), r.chisq.slice(0, 3), {rtol: 1e-6});
    assertClose(z.global.chisq, r.chisq[3], {rtol: 1e-6});
  });
});
