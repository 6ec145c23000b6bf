// Cox proportional hazards against survival::coxph (cox-datasets.json, cox-edge.json), with the
// mapping and tolerances of test/survival/coxPH.test.ts: "tight" fits use
// coxph.control(eps = 1e-12, iter.max = 100); "default" fits R's default control (iterations and
// warnings must match); "fixed" evaluates the partial likelihood at a given β (iter.max = 0).
// cox.zph against zph-datasets.json, as test/survival/coxZph.test.ts.
// coxPH, coxZph and designMatrix are imported from their modules until the engine's barrel exports them.
import {coxPH, type CoxFit, type CoxOptions} from "../survival/coxPH.js";
import {coxZph} from "../survival/coxZph.js";
import {designMatrix, type CovariateSpec} from "../survival/designMatrix.js";
import type {SurvivalData} from "../survival/index.js";
import {asArray, CheckGroup, type Check, type ValidationRow} from "./compare.js";
import {anyColumn, fixture, numericColumn, table, type Columns, type ReferenceSources} from "./sources.js";

type Num = number | null;
/* eslint-disable @typescript-eslint/no-explicit-any -- R's coxph output as parsed JSON */
type RFit = any;

const QUANTITIES = {
  terms: "β, SE, z, p, HR and 95% CI; n, events",
  variance: "variance matrix (inverse information)",
  loglik: "log partial likelihood (null, fitted)",
  lr: "likelihood-ratio χ² (df)",
  wald: "Wald χ² (df); LR and Wald p",
  score: "score (log-rank) test χ² and p",
  concordance: "concordance and pair counts",
  concordanceSE: "SE of the concordance",
  lp: "covariate means and linear predictors",
  iterations: "iterations, warnings and fit with R's default control"
};
type Q = keyof typeof QUANTITIES;

/** Compare a fit with R's, quantity by quantity (the tolerances of compareFit in coxPH.test.ts). */
function compareFit(k: Record<Q, Check>, fit: CoxFit, r: RFit, label: string, rtol = 1e-6): void {
  k.terms.exact(`${label} n`, [fit.n, fit.events], [r.n, r.nevent]);
  const coef = asArray<Num>(r.coef);
  k.terms.close(`${label} coef`, fit.terms.map((t) => t.coef), coef, {rtol});
  // R reports se 0 for an aliased (NA) coefficient; coxPH reports null.
  k.terms.close(`${label} se`, fit.terms.map((t) => t.se), asArray<Num>(r.se).map((v, j) => (coef[j] === null ? null : v)), {rtol});
  k.terms.close(`${label} z`, fit.terms.map((t) => t.z), asArray<Num>(r.z), {rtol});
  k.terms.close(`${label} p`, fit.terms.map((t) => t.p), asArray<Num>(r.p), {rtol});
  k.terms.close(`${label} hr`, fit.terms.map((t) => t.hr), asArray<Num>(r.hr), {rtol});
  k.terms.close(`${label} lower`, fit.terms.map((t) => t.lower), asArray<Num>(r.lower), {rtol});
  k.terms.close(`${label} upper`, fit.terms.map((t) => t.upper), asArray<Num>(r.upper), {rtol});
  k.variance.close(`${label} var`, fit.variance.flat(), (r.var ?? []).flat(), {rtol: 10 * rtol, atol: 1e-12});
  k.loglik.close(`${label} loglik`, fit.loglik, asArray<Num>(r.loglik), {rtol: 1e-10});
  const [lr, lrdf, lrp] = asArray<number>(r.lrtest);
  k.lr.close(`${label} LR`, fit.lrTest.stat, lr, {rtol: 1e-8});
  k.lr.exact(`${label} LR df`, fit.lrTest.df, lrdf);
  const [w, wdf, wp] = asArray<number>(r.waldtest);
  k.wald.close(`${label} Wald`, fit.waldTest.stat, w, {rtol});
  k.wald.exact(`${label} Wald df`, fit.waldTest.df, wdf);
  k.wald.close(`${label} Wald p, LR p`, [fit.waldTest.p, fit.lrTest.p], [wp, lrp], {rtol: 1e-6});
  const [sc, scdf, scp] = asArray<number>(r.sctest);
  k.score.close(`${label} score`, [fit.scoreTest.stat, fit.scoreTest.p], [sc, scp], {rtol: 1e-9});
  k.score.exact(`${label} score df`, fit.scoreTest.df, scdf);
  const c = r.concordance;
  const got = fit.concordance;
  k.concordance.close(
    `${label} concordance`,
    [got.concordant, got.discordant, got.tiedX, got.tiedY, got.tiedXY, got.concordance],
    [c.concordant, c.discordant, c.tied_x, c.tied_y, c.tied_xy, c.concordance],
    {rtol: 1e-12}
  );
  k.concordanceSE.close(`${label} concordance std`, got.std, c.std, {rtol: 1e-9});
  k.lp.close(`${label} means`, fit.means, asArray<Num>(r.means), {rtol: 1e-12});
  k.lp.close(`${label} linear predictors`, fit.linearPredictors, asArray<Num>(r.linear_predictors), {rtol, atol: 1e-9});
}

/** R's warnings, translated: "Loglik converged before variable k ; …" ↔ possiblyInfinite on term k. */
function compareIterations(k: Check, fit: CoxFit, r: RFit, label: string): void {
  k.exact(`${label} iterations`, fit.iterations, r.iter);
  const rw: string[] = asArray<string>(r.warnings);
  const flagged = fit.terms.flatMap((t, j) => (t.possiblyInfinite ? [j + 1] : []));
  const rFlagged = rw.flatMap((w) => {
    const m = /^Loglik converged before variable\s+([\d,]+)\s*;/.exec(w);
    return m ? m[1].split(",").map(Number) : [];
  });
  k.exact(`${label} possibly infinite terms`, flagged.join(","), rFlagged.join(","));
  k.exact(`${label} not-converged warning`, fit.warnings.includes("Ran out of iterations and did not converge"), rw.includes("Ran out of iterations and did not converge"));
  k.exact(`${label} number of warnings`, fit.warnings.length, rw.length);
}

interface CoxCase {
  data: SurvivalData;
  covariates: CovariateSpec[];
  ties: "efron" | "breslow";
}

/** The reference fits, as coxPH.test.ts sets them up, grouped by data set for the table. */
function datasetCases(src: ReferenceSources): {dataset: string; names: string[]}[] & {cases: Record<string, CoxCase>} {
  const ref = fixture(src, "cox-datasets.json");
  const lung = table(src, "test/data/lung.csv");
  const veteran = table(src, "test/data/veteran.csv");
  const aml = table(src, "test/data/aml.csv");
  const bmt = table(src, "data/bmt.csv");
  const cov = (cols: Columns, names: string[]) => names.map((name) => ({name, values: anyColumn(cols, name)}));
  const lungData = {time: numericColumn(lung, "time"), event: numericColumn(lung, "event")};
  const bmtData = {time: numericColumn(bmt, "t2"), event: numericColumn(bmt, "d3"), strata: numericColumn(bmt, "group")};
  const bmtCov = cov(bmt, ["z1", "z2", "z8", "z10"]);
  const tdc = ref.data.bmt_tdc;
  const heart = ref.data.heart;
  const heartCov = ["age", "year", "surgery", "transplant"].map((name) => ({name, values: heart[name]}));
  const cases: Record<string, CoxCase> = {
    "lung-age-sex-efron": {data: lungData, covariates: cov(lung, ["age", "sex"]), ties: "efron"},
    "lung-age-sex-breslow": {data: lungData, covariates: cov(lung, ["age", "sex"]), ties: "breslow"},
    "lung-ecog-factor": {data: lungData, covariates: [...cov(lung, ["age", "sex"]), {name: "ph.ecog", values: anyColumn(lung, "ph.ecog"), type: "categorical"}], ties: "efron"},
    "veteran-celltype": {data: {time: numericColumn(veteran, "time"), event: numericColumn(veteran, "status")}, covariates: cov(veteran, ["trt", "celltype", "karno"]), ties: "efron"},
    "aml-efron": {data: {time: numericColumn(aml, "time"), event: numericColumn(aml, "status")}, covariates: cov(aml, ["x"]), ties: "efron"},
    "aml-breslow": {data: {time: numericColumn(aml, "time"), event: numericColumn(aml, "status")}, covariates: cov(aml, ["x"]), ties: "breslow"},
    "bmt-strata": {data: bmtData, covariates: bmtCov, ties: "efron"},
    "bmt-strata-breslow": {data: bmtData, covariates: bmtCov, ties: "breslow"},
    "bmt-platelets-tdc": {
      data: {entry: tdc.tstart, time: tdc.tstop, event: tdc.dfs, strata: tdc.group},
      covariates: ["plt", "z1", "z2"].map((name) => ({name, values: tdc[name]})),
      ties: "efron"
    },
    heart: {data: {entry: heart.start, time: heart.stop, event: heart.event}, covariates: heartCov, ties: "efron"},
    "heart-breslow": {data: {entry: heart.start, time: heart.stop, event: heart.event}, covariates: heartCov, ties: "breslow"},
    "lung-weights": {data: {...lungData, weights: ref.data.lung_weights}, covariates: cov(lung, ["age", "sex"]), ties: "efron"},
    "lung-weights-fractional": {data: {...lungData, weights: ref.data.lung_weights_fractional}, covariates: cov(lung, ["age", "sex"]), ties: "breslow"}
  };
  const groups = [
    {dataset: "lung (Efron, Breslow; factor ph.ecog)", names: ["lung-age-sex-efron", "lung-age-sex-breslow", "lung-ecog-factor"]},
    {dataset: "lung with case weights (integer, fractional)", names: ["lung-weights", "lung-weights-fractional"]},
    {dataset: "veteran (factor celltype)", names: ["veteran-celltype"]},
    {dataset: "aml (Efron, Breslow)", names: ["aml-efron", "aml-breslow"]},
    {dataset: "bmt, stratified by disease group", names: ["bmt-strata", "bmt-strata-breslow"]},
    {dataset: "bmt, platelet recovery as a time-dependent covariate (start, stop]", names: ["bmt-platelets-tdc"]},
    {dataset: "Stanford heart transplant (start, stop]", names: ["heart", "heart-breslow"]}
  ];
  return Object.assign(groups, {cases});
}

const TIGHT = "control = coxph.control(eps = 1e-12, iter.max = 100)";

/** coxPH on the public data sets and the catalogue's Cox rows (C2–C18). */
export function validateCoxPH(src: ReferenceSources): ValidationRow[] {
  const rows: ValidationRow[] = [];
  const ref = fixture(src, "cox-datasets.json");
  const groups = datasetCases(src);
  for (const {dataset, names} of groups) {
    const calls = names.map((name) => {
      const r = ref.cases[name];
      const weights = name.startsWith("lung-weights") ? "weights = w, robust = FALSE, " : "";
      return `coxph(${r.call}, ${weights}ties = "${r.ties}", ${TIGHT})`;
    });
    const group = new CheckGroup(
      {section: "Cox", estimator: "coxPH", dataset, rCall: calls.join("; "), fixture: "test/reference/cox-datasets.json"},
      {
        ...QUANTITIES,
        fixedLoglik: "log partial likelihood at fixed β (β̂ and β̂/2)",
        fixedScore: "score vector, information⁻¹ and score test at fixed β"
      }
    );
    for (const name of names) {
      const cs = groups.cases[name];
      const r = ref.cases[name];
      group.run(name, (k) => {
        const x = designMatrix(cs.covariates);
        const fit = coxPH(cs.data, x, {ties: cs.ties, eps: 1e-12, maxIter: 100});
        compareFit(k, fit, r.tight, `${name} tight`);
        const byDefault = coxPH(cs.data, x, {ties: cs.ties});
        compareIterations(k.iterations, byDefault, r.default, `${name} default`);
        k.iterations.close(`${name} default coef`, byDefault.terms.map((t) => t.coef), asArray<Num>(r.default.coef), {rtol: 1e-6});
        for (const key of ["at_coef", "at_half"]) {
          const fb = r.fixed[key];
          const at = coxPH(cs.data, x, {ties: cs.ties, init: asArray<number>(fb.beta), maxIter: 0});
          k.fixedLoglik.close(`${name} ${key} loglik`, at.loglik, [fb.loglik, fb.loglik], {rtol: 1e-12});
          // At R's maximum the score is rounding noise around 0 (|u| ~ 1e-10): compared absolutely.
          k.fixedScore.close(`${name} ${key} score`, at.score, asArray<Num>(fb.score), {rtol: 1e-10, atol: key === "at_coef" ? 1e-8 : 0, text: "1e-10 rel (score at β̂: + 1e-8 abs)"});
          k.fixedScore.close(`${name} ${key} var`, at.variance.flat(), (fb.var as Num[][]).flat(), {rtol: 1e-10, atol: 1e-15, text: "1e-10 rel (+ 1e-15 abs)"});
          k.fixedScore.close(`${name} ${key} score test`, at.scoreTest.stat, fb.sctest, {rtol: 1e-9, atol: 1e-20, text: "1e-9 rel"});
        }
      });
    }
    rows.push(...group.rows());
  }
  rows.push(...validateCoxEdge(src));
  rows.push(...validateCoxZph(src));
  return rows;
}

/** cox.zph on the fits of zph-datasets.json (coxph with eps = 1e-12), grouped by data set. */
function validateCoxZph(src: ReferenceSources): ValidationRow[] {
  const ref = fixture(src, "zph-datasets.json");
  const heart = fixture(src, "cox-datasets.json").data.heart;
  const lung = table(src, "test/data/lung.csv");
  const veteran = table(src, "test/data/veteran.csv");
  const bmt = table(src, "data/bmt.csv");
  const cov = (cols: Columns, names: string[]): CovariateSpec[] => names.map((name) => ({name, values: anyColumn(cols, name)}));
  const lungData = {time: numericColumn(lung, "time"), event: numericColumn(lung, "event")};
  const lungFactor: CovariateSpec[] = [...cov(lung, ["age", "sex"]), {name: "ph.ecog", values: anyColumn(lung, "ph.ecog"), type: "categorical"}];
  const vetData = {time: numericColumn(veteran, "time"), event: numericColumn(veteran, "status")};
  const cases: Record<string, CoxCase> = {
    "lung-numeric": {data: lungData, covariates: cov(lung, ["age", "sex", "ph.ecog"]), ties: "efron"},
    "lung-numeric-breslow": {data: lungData, covariates: cov(lung, ["age", "sex", "ph.ecog"]), ties: "breslow"},
    "lung-factor": {data: lungData, covariates: lungFactor, ties: "efron"},
    "lung-factor-perterm": {data: lungData, covariates: lungFactor, ties: "efron"},
    veteran: {data: vetData, covariates: cov(veteran, ["trt", "celltype", "karno"]), ties: "efron"},
    "veteran-identity": {data: vetData, covariates: cov(veteran, ["trt", "celltype", "karno"]), ties: "efron"},
    "veteran-log": {data: vetData, covariates: cov(veteran, ["trt", "celltype", "karno"]), ties: "efron"},
    "veteran-rank": {data: vetData, covariates: cov(veteran, ["trt", "celltype", "karno"]), ties: "efron"},
    "bmt-strata": {data: {time: numericColumn(bmt, "t2"), event: numericColumn(bmt, "d3"), strata: numericColumn(bmt, "group")}, covariates: cov(bmt, ["z1", "z2", "z8", "z10"]), ties: "efron"},
    heart: {
      data: {entry: heart.start, time: heart.stop, event: heart.event},
      covariates: ["age", "year", "surgery", "transplant"].map((name) => ({name, values: heart[name]})),
      ties: "efron"
    }
  };
  const groups = [
    {dataset: "lung (numeric and factor ph.ecog; per term and per covariate; Efron, Breslow)", names: ["lung-numeric", "lung-numeric-breslow", "lung-factor", "lung-factor-perterm"]},
    {dataset: "veteran (transforms km, identity, log, rank)", names: ["veteran", "veteran-identity", "veteran-log", "veteran-rank"]},
    {dataset: "bmt, stratified by disease group", names: ["bmt-strata"]},
    {dataset: "Stanford heart transplant (start, stop]", names: ["heart"]}
  ];
  return groups.flatMap(({dataset, names}) => {
    const group = new CheckGroup(
      {
        section: "Cox",
        estimator: "coxZph",
        dataset,
        rCall: names
          .map((name) => {
            const r = ref.cases[name];
            return `cox.zph(coxph(${r.call}, ties = "${r.ties}", ${TIGHT}), transform = "${r.transform}", terms = ${r.terms ? "TRUE" : "FALSE"})`;
          })
          .join("; "),
        fixture: "test/reference/zph-datasets.json"
      },
      {chisq: "χ² per term and global; df", p: "p-values per term and global"}
    );
    for (const name of names) {
      const r = ref.cases[name];
      const cs = cases[name];
      group.run(name, (k) => {
        const fit = coxPH(cs.data, designMatrix(cs.covariates), {ties: cs.ties, eps: 1e-12, maxIter: 100});
        const z = coxZph(fit, {transform: r.transform, terms: r.terms});
        const n = z.terms.length;
        k.chisq.exact(`${name} number of terms`, n + 1, asArray<number>(r.chisq).length);
        k.chisq.close(`${name} chisq`, [...z.terms.map((t) => t.chisq), z.global.chisq], asArray<number>(r.chisq), {rtol: 1e-6});
        k.chisq.exact(`${name} df`, [...z.terms.map((t) => t.df), z.global.df], asArray<number>(r.df));
        k.p.close(`${name} p`, [...z.terms.map((t) => t.p), z.global.p], asArray<number>(r.p), {rtol: 1e-6});
      });
    }
    return group.rows();
  });
}

const EDGE_CASES = [
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
  "C17_iter_max_2",
  "C18_counting_zero_start",
  "single_event_at_risk_all_tied"
];

/** The catalogue's Cox rows with R's default control: the same iterations, warnings and estimates. */
function validateCoxEdge(src: ReferenceSources): ValidationRow[] {
  const edge = fixture(src, "cox-edge.json");
  const group = new CheckGroup(
    {
      section: "Cox",
      estimator: "coxPH",
      dataset: `edge-case catalogue (${EDGE_CASES.length} cases: separation, aliasing, constant, ties, near ties, iteration limit …)`,
      rCall: `coxph(Surv([start, ]time, status) ~ …, ties) with the default control (C17: iter.max = 2) on each case's data`,
      fixture: "test/reference/cox-edge.json"
    },
    QUANTITIES
  );
  for (const name of EDGE_CASES) {
    const cs = edge.cases[name];
    group.run(name, (k) => {
      const d = cs.data;
      const vars = Object.keys(d).filter((v) => !["time", "status", "start"].includes(v));
      const x = designMatrix(vars.map((v) => ({name: v, values: asArray<number | string | null>(d[v])})));
      const data: SurvivalData = {time: asArray<Num>(d.time).map((v) => v ?? NaN), event: asArray<Num>(d.status).map((v) => v ?? NaN)};
      if (d.start !== undefined) data.entry = asArray<Num>(d.start).map((v) => v ?? NaN);
      const options: CoxOptions = {ties: cs.ties, ...(name === "C17_iter_max_2" ? {maxIter: 2} : {})};
      const fit = coxPH(data, x, options);
      compareIterations(k.iterations, fit, cs.default, name);
      compareFit(k, fit, cs.default, name);
    });
  }
  return group.rows();
}
