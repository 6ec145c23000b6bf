// Fine–Gray subdistribution hazards against cmprsk::crr (finegray-bmt.json, finegray-mgus2.json), with
// the mapping and tolerances of test/survival/fineGray.test.ts.
import {designMatrix, type DesignMatrix} from "../survival/designMatrix.js";
import {fineGray, type FineGrayResult, type RegressionCovariates} from "../survival/index.js";
import {asArray, CheckGroup, type Check, type ValidationRow} from "./compare.js";
import {anyColumn, fixture, numericColumn, table, type ReferenceSources} from "./sources.js";

interface CrrFit {
  label: string;
  call: string;
  failcode: number;
  gtol: number;
  maxiter: number;
  terms: string[];
  coef: number | number[];
  se: number | number[];
  var: number[][];
  z: number | number[];
  p: number | number[];
  loglik: number;
  loglikNull: number;
  converged: boolean;
  n: number;
  nMissing: number;
  events: number;
  iterations?: number | null;
  summary?: number[][] | number[];
  conf?: number[][] | number[];
}

const QUANTITIES = {
  coef: "β, robust SE, z and variance matrix",
  hr: "subdistribution HR with 95% CI (summary)",
  p: "p-values",
  loglik: "log pseudo-likelihood (null, fitted)",
  counts: "n, events, rows dropped, convergence, iterations"
};
type Q = keyof typeof QUANTITIES;

function compare(k: Record<Q, Check>, res: FineGrayResult, ref: CrrFit): void {
  const label = ref.label;
  k.counts.exact(`${label} terms`, res.terms.map((t) => t.term), ref.terms);
  k.coef.close(`${label} coef`, res.terms.map((t) => t.coef), asArray(ref.coef), {rtol: 1e-9});
  k.coef.close(`${label} se`, res.terms.map((t) => t.se), asArray(ref.se), {rtol: 1e-9});
  k.coef.close(`${label} z`, res.terms.map((t) => t.z), asArray(ref.z), {rtol: 1e-9});
  k.coef.close(`${label} var`, res.variance.flat(), ref.var.flat(), {rtol: 1e-9});
  k.p.close(`${label} p`, res.terms.map((t) => t.p), asArray(ref.p), {rtol: 1e-6});
  k.loglik.close(`${label} loglik`, res.loglik, [ref.loglikNull, ref.loglik], {rtol: 1e-9});
  k.counts.exact(`${label} n, events`, [res.n, res.events, res.dropped.total], [ref.n, ref.events, ref.nMissing]);
  k.counts.exact(`${label} converged`, res.converged, ref.converged);
  if (ref.iterations != null) k.counts.exact(`${label} iterations`, res.iterations, ref.iterations);
  if (ref.summary && ref.conf) {
    // jsonlite writes a one-term fit's matrices as plain vectors: one row.
    const matrix = (m: number[][] | number[]) => (Array.isArray(m[0]) ? (m as number[][]) : [m as number[]]);
    const summary = matrix(ref.summary);
    const conf = matrix(ref.conf);
    k.hr.close(`${label} hr`, res.terms.map((t) => t.hr), summary.map((r) => r[0]), {rtol: 1e-9});
    k.hr.close(`${label} lower`, res.terms.map((t) => t.lower), conf.map((r) => r[0]), {rtol: 1e-9});
    k.hr.close(`${label} upper`, res.terms.map((t) => t.upper), conf.map((r) => r[1]), {rtol: 1e-9});
  }
}

function rowsFor(dataset: string, fixtureFile: string, fits: CrrFit[], run: (k: Record<Q, Check>, ref: CrrFit) => void): ValidationRow[] {
  const quantities: Partial<Record<Q, string>> = {...QUANTITIES};
  if (!fits.some((f) => f.summary && f.conf)) delete quantities.hr;
  const group = new CheckGroup(
    {section: "Fine–Gray", estimator: "fineGray", dataset, rCall: fits.map((f) => f.call).join("; "), fixture: `test/reference/${fixtureFile}`},
    quantities as Record<Q, string>
  );
  for (const ref of fits) group.run(ref.label, (k) => run(k, ref));
  return group.rows();
}

function pick(x: DesignMatrix, terms: string[]): RegressionCovariates {
  return {terms, columns: terms.map((t) => {
    const j = x.terms.indexOf(t);
    if (j < 0) throw new Error(`no design column ${t}`);
    return x.columns[j];
  })};
}

/** fineGray against crr on bmt (relapse / death in remission), heavy ties, and mgus2 (PCM / death). */
export function validateFineGray(src: ReferenceSources): ValidationRow[] {
  const rows: ValidationRow[] = [];
  const bmtRef = fixture(src, "finegray-bmt.json");
  // bmt coded as in finegray-bmt.R: cause 1 relapse (d2), 2 death in remission (d3 & !d2), time t2.
  const bmt = table(src, "data/bmt.csv");
  const d2 = numericColumn(bmt, "d2");
  const d3 = numericColumn(bmt, "d3");
  const bmtData = {time: numericColumn(bmt, "t2"), event: Float64Array.from(d2, (v, i) => (v === 1 ? 1 : d3[i] === 1 ? 2 : 0))};
  const bmtX = designMatrix([
    {name: "age", values: numericColumn(bmt, "z1")},
    {name: "male", values: numericColumn(bmt, "z3")},
    {name: "group", values: numericColumn(bmt, "group"), type: "categorical"}
  ]);
  const fits = bmtRef.fits as CrrFit[];
  rows.push(
    ...rowsFor("bmt: relapse and death in remission by age, sex, disease group", "finegray-bmt.json", fits.filter((f) => f.label.startsWith("bmt")), (k, ref) => {
      const res = fineGray(bmtData, pick(bmtX, ref.terms), {cause: ref.failcode, gtol: ref.gtol, maxIter: ref.maxiter});
      compare(k, res, ref);
      k.counts.exact(`${ref.label} warnings`, res.warnings.length, 0);
    })
  );
  const ties = bmtRef.ties.data;
  rows.push(
    ...rowsFor("heavy ties among both causes and censorings (2 rows with a missing covariate)", "finegray-bmt.json", fits.filter((f) => f.label.startsWith("ties")), (k, ref) => {
      const x = {terms: ["x1", "x2"], columns: [Float64Array.from(ties.x1, (v: number | null) => v ?? NaN), Float64Array.from(ties.x2)]};
      compare(k, fineGray({time: ties.time, event: ties.event}, x, {cause: ref.failcode, gtol: ref.gtol, maxIter: ref.maxiter}), ref);
    })
  );
  const mgusRef = fixture(src, "finegray-mgus2.json");
  const mgus = table(src, "test/data/mgus2.csv");
  const sex = anyColumn(mgus, "sex");
  const mgusCols: Record<string, Float64Array> = {
    age: numericColumn(mgus, "age"),
    "sex=M": Float64Array.from(sex as ArrayLike<unknown>, (s) => (s === "M" ? 1 : 0)),
    hgb: numericColumn(mgus, "hgb")
  };
  const mgusData = {time: numericColumn(mgus, "etime"), event: numericColumn(mgus, "event")};
  rows.push(
    ...rowsFor("mgus2: progression (PCM) and death by age, sex (hemoglobin with missing values)", "finegray-mgus2.json", mgusRef.fits as CrrFit[], (k, ref) => {
      const x = {terms: ref.terms, columns: ref.terms.map((t) => mgusCols[t])};
      compare(k, fineGray(mgusData, x, {cause: ref.failcode, gtol: ref.gtol, maxIter: ref.maxiter}), ref);
    })
  );
  // Separation (catalogue R9) and failures at time 0 (crr's G(0) weighting).
  const s = bmtRef.separation;
  const z = bmtRef.zeroTimes;
  const special = new CheckGroup(
    {
      section: "Fine–Gray",
      estimator: "fineGray",
      dataset: "separation (catalogue R9); failures at time 0",
      rCall: "crr(time, event, cbind(x), failcode = 1) [default gtol, maxiter = 10]; crr(..., gtol = 1e-10, maxiter = 100) on the time-0 data",
      fixture: "test/reference/finegray-bmt.json"
    },
    {coef: "β, robust SE, log pseudo-likelihood", counts: "convergence and iterations"}
  );
  special.run("separation", (k) => {
    const res = fineGray({time: s.data.time, event: s.data.event}, {terms: ["x"], columns: [s.data.x]}, {cause: 1});
    k.counts.exact("separation converged, iterations", [res.converged, res.iterations], [false, 10]);
    k.coef.close("separation coef, se, loglik", [res.terms[0].coef, res.terms[0].se, res.loglik[1]], [s.default.coef, s.default.se, s.default.loglik], {rtol: 1e-9});
  });
  special.run("zero times", (k) => {
    const res = fineGray({time: z.data.time, event: z.data.event}, {terms: ["x"], columns: [z.data.x]}, {cause: 1, gtol: 1e-10, maxIter: 100});
    k.coef.close("time 0 coef, se, loglik", [res.terms[0].coef, res.terms[0].se, ...res.loglik], [z.coef, z.se, z.loglikNull, z.loglik], {rtol: 1e-9});
    k.counts.exact("time 0 converged", res.converged, z.converged);
  });
  rows.push(...special.rows());
  return rows;
}
