import {coxKernel, coxPH, fitInternals, modelX, type CoxFit, type CoxModelData, type CoxOptions} from "./coxPH.js";
import type {DesignMatrix} from "./designMatrix.js";
import {SurvivalInputError} from "./errors.js";
import type {SurvivalData} from "./input.js";
import {choleskyDecompose, choleskySolve} from "./math/cholesky.js";
import {chiSquaredUpper} from "./math/distributions.js";
import {identityOrder, sortByKey} from "./math/radixOrder.js";

export interface CoxZphOptions {
  /** g(t) in the test: "km" (default, 1 − left-continuous Kaplan–Meier), "identity", "log" or "rank". */
  transform?: "km" | "identity" | "log" | "rank";
  /** Test each covariate as a whole (df = its number of columns, e.g. levels − 1), as R's default
   * `terms = TRUE`; false tests each column. */
  terms?: boolean;
}

export interface CoxZphTest {
  /** Covariate name (terms = true) or column name `name=level` (terms = false); "GLOBAL" is separate. */
  term: string;
  chisq: number;
  df: number;
  p: number;
}

export interface CoxZphResult {
  terms: CoxZphTest[];
  global: {chisq: number; df: number; p: number};
  transform: "km" | "identity" | "log" | "rank";
}

/**
 * Test of proportional hazards for a Cox model, as R's `cox.zph(fit, transform = "km")` in survival
 * 3.5-3: for each covariate (or column) the score test, at the fitted β, of adding x·g(t) to the
 * model, with g(t) the transformed event time centred at its mean over the events — the
 * score-test form of the scaled-Schoenfeld-residual regression (Grambsch & Therneau 1994). The
 * global test adds x·g(t) for all columns at once. Aliased (null) coefficients are left out, as R.
 *
 * Call with a fit returned by `coxPH`, or with `(data, x, options)` to fit first. Outputs:
 * chi-squared statistics, df and upper-tail p-values.
 */
export function coxZph(fit: CoxFit, options?: CoxZphOptions): CoxZphResult;
export function coxZph(data: SurvivalData, x: DesignMatrix, options?: CoxOptions & CoxZphOptions): CoxZphResult;
export function coxZph(
  a: CoxFit | SurvivalData,
  b?: DesignMatrix | CoxZphOptions,
  c: CoxOptions & CoxZphOptions = {}
): CoxZphResult {
  let fit: CoxFit;
  let options: CoxZphOptions;
  if (b && "columns" in b && "terms" in b && Array.isArray((b as DesignMatrix).columns)) {
    options = c;
    fit = coxPH(a as SurvivalData, b as DesignMatrix, c);
  } else {
    fit = a as CoxFit;
    options = (b as CoxZphOptions | undefined) ?? {};
  }
  const {transform = "km", terms: byCovariate = true} = options;
  if (!["km", "identity", "log", "rank"].includes(transform))
    throw new SurvivalInputError("transform", null, transform, 'transform must be "km", "identity", "log" or "rank"');
  const inner = fitInternals(fit);
  if (!inner) throw new SurvivalInputError("fit", null, undefined, "coxZph needs the object returned by coxPH (or call coxZph(data, x, options))");
  const {model, scaledBeta, design} = inner;
  if (fit.events === 0) throw new SurvivalInputError("fit", null, undefined, "there are no events, so no Schoenfeld residuals");

  // Non-aliased columns only (R drops NA coefficients).
  const cols: number[] = [];
  fit.terms.forEach((t, j) => {
    if (t.coef !== null) cols.push(j);
  });
  const p = cols.length;
  if (p === 0) throw new SurvivalInputError("fit", null, undefined, "no estimated coefficients to test");
  const sub = subModel(model, cols);
  const beta = Float64Array.from(cols, (j) => scaledBeta[j]);

  // g(t) at each (sorted) row's stop time, centred at its mean over the events.
  const g = timeTransform(model, transform);
  let mean = 0;
  let nev = 0;
  for (let k = 0; k < model.n; ++k)
    if (model.status[k]) {
      mean += g[k];
      ++nev;
    }
  mean /= nev;
  for (let k = 0; k < model.n; ++k) g[k] -= mean;

  const st = coxKernel(sub, beta, g);
  const P = 2 * p;
  const imat = new Float64Array(P * P);
  for (let i = 0; i < p; ++i)
    for (let j = 0; j < p; ++j) {
      imat[i * P + j] = st.imat[i * p + j];
      imat[i * P + p + j] = st.imatG![i * p + j];
      imat[(p + i) * P + j] = st.imatG![j * p + i];
      imat[(p + i) * P + p + j] = st.imatGG![i * p + j];
    }
  const u = st.u; // [score of x (≈ 0 at β̂, replaced by 0 as R), score of x·g]
  const test = (extra: number[]): number => {
    const idx = [...Array.from({length: p}, (_, i) => i), ...extra.map((j) => p + j)];
    const m = idx.length;
    const sm = new Float64Array(m * m);
    const y = new Float64Array(m);
    idx.forEach((ii, r) => {
      y[r] = ii < p ? 0 : u[ii];
      idx.forEach((jj, s) => (sm[r * m + s] = imat[ii * P + jj]));
    });
    const rhs = Float64Array.from(y);
    choleskyDecompose(sm, m, Math.pow(Number.EPSILON, 0.75));
    choleskySolve(sm, m, rhs);
    let t = 0;
    for (let r = 0; r < m; ++r) t += y[r] * rhs[r];
    return t;
  };

  const groups: {term: string; members: number[]}[] = [];
  if (byCovariate) {
    design.covariates.forEach((cov) => {
      const members = cov.terms.map((t) => cols.indexOf(t)).filter((m) => m >= 0);
      if (members.length) groups.push({term: cov.name, members});
    });
  } else cols.forEach((j, m) => groups.push({term: design.terms[j], members: [m]}));
  const out: CoxZphTest[] = groups.map(({term, members}) => {
    const chisq = test(members);
    return {term, chisq, df: members.length, p: chiSquaredUpper(chisq, members.length)};
  });
  const gchisq = test(Array.from({length: p}, (_, i) => i));
  return {terms: out, global: {chisq: gchisq, df: p, p: chiSquaredUpper(gchisq, p)}, transform};
}

function subModel(model: CoxModelData, cols: number[]): CoxModelData {
  const {n, p} = model;
  const q = cols.length;
  const x = new Float64Array(n * q);
  const full = modelX(model);
  for (let k = 0; k < n; ++k) for (let m = 0; m < q; ++m) x[k * q + m] = full[k * p + cols[m]];
  return {
    ...model,
    p: q,
    x,
    centre: Float64Array.from(cols, (j) => model.centre[j]),
    scale: Float64Array.from(cols, (j) => model.scale[j]),
    // Row representations of the full X would not match the selected columns.
    sparse: null,
    patterns: null
  };
}

/**
 * g(t) per sorted row: for "km", 1 − S(t−) with S the Kaplan–Meier estimate over all rows
 * (unweighted, ignoring strata, (start, stop] risk sets), as cox.zph's survfitKM call.
 */
function timeTransform(model: CoxModelData, transform: "km" | "identity" | "log" | "rank"): Float64Array {
  const {n, stop, start, status} = model;
  const g = new Float64Array(n);
  if (transform === "identity") {
    g.set(stop);
    return g;
  }
  if (transform === "log") {
    for (let k = 0; k < n; ++k) g[k] = Math.log(stop[k]);
    return g;
  }
  const order = sortByKey(identityOrder(n), stop);
  if (transform === "rank") {
    // Average ranks for ties, as R's rank().
    for (let i = 0; i < n; ) {
      let j = i;
      while (j < n && stop[order[j]] === stop[order[i]]) ++j;
      const r = (i + 1 + j) / 2;
      for (let m = i; m < j; ++m) g[order[m]] = r;
      i = j;
    }
    return g;
  }
  // Kaplan–Meier: at each distinct event time t, n(t) = #{stop ≥ t} − #{start ≥ t}.
  const starts = start ? Float64Array.from(start).sort() : null;
  const countStartAtLeast = (t: number) => {
    if (!starts) return 0;
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid] < t) lo = mid + 1;
      else hi = mid;
    }
    return starts.length - lo;
  };
  let surv = 1; // S just before the current time
  for (let i = 0; i < n; ) {
    const t = stop[order[i]];
    let j = i;
    let d = 0;
    while (j < n && stop[order[j]] === t) d += status[order[j++]];
    for (let m = i; m < j; ++m) g[order[m]] = 1 - surv;
    if (d > 0) {
      const atRisk = n - i - countStartAtLeast(t);
      surv *= 1 - d / atRisk;
    }
    i = j;
  }
  return g;
}
