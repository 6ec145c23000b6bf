import {SurvivalInputError} from "./errors.js";
import {applyTimefix, prepareSurvivalInput} from "./input.js";
import type {SurvivalData} from "./input.js";
import {chiSquaredUpper, normalQuantile, normalTwoSided} from "./math/distributions.js";

/** Covariates of a regression model, one column per term (e.g. from `designMatrix`). */
export interface RegressionCovariates {
  /** Term names, one per column. */
  terms: string[];
  /** One column per term, one value per row of the survival data; NaN marks a missing value. */
  columns: ArrayLike<number>[];
  /** Optional mask (1 = drop the row), as `designMatrix` returns it. */
  missing?: ArrayLike<number>;
}

export interface FineGrayOptions {
  /** The cause of interest (an event code ≥ 1); required. Other non-zero codes are competing events. */
  cause: number;
  /** Maximum number of Newton–Raphson steps (crr's `maxiter`), default 10. */
  maxIter?: number;
  /** Convergence tolerance on the score (crr's `gtol`), default 1e-6. */
  gtol?: number;
  /** Level of the hazard-ratio confidence intervals, default 0.95. */
  confLevel?: number;
  /** Starting values (crr's `init`), default 0. */
  init?: ArrayLike<number>;
  /** Merge near-tied times as R's `aeqSurv` (the project convention), default true. */
  timefix?: boolean;
}

/** One model term. Null where the coefficient is not estimable (constant or collinear covariate). */
export interface FineGrayTerm {
  term: string;
  /** log subdistribution hazard ratio */
  coef: number | null;
  /** robust (sandwich) standard error, as crr's `sqrt(diag(var))` */
  se: number | null;
  /** subdistribution hazard ratio exp(coef) */
  hr: number | null;
  /** confidence limits for the hazard ratio: exp(coef ∓ z·se) */
  lower: number | null;
  upper: number | null;
  /** Wald z = coef / se */
  z: number | null;
  /** two-sided normal p-value of z */
  p: number | null;
}

export interface FineGrayTest {
  stat: number;
  df: number;
  p: number;
}

export interface FineGrayResult {
  terms: FineGrayTerm[];
  /** rows used (complete cases) */
  n: number;
  /** events of the cause of interest */
  events: number;
  /** events of the other causes (competing events) */
  competing: number;
  /** rows dropped for missing values, by field (`covariates` for any missing covariate) */
  dropped: {total: number; reasons: {field: string; count: number}[]};
  /** crr's pseudo log-likelihood at β = 0 (`loglik.null`) and at the fit (`loglik`) */
  loglik: [number | null, number];
  /**
   * Always null: crr reports no likelihood-ratio test. The IPCW-weighted partial likelihood is not
   * a likelihood (its curvature is not the variance of the score; crr's variance is the sandwich),
   * so twice the difference of `loglik` is not χ²-distributed and is deliberately not offered.
   */
  lrTest: null;
  /** Wald test of all estimable coefficients = 0, from the robust variance: βᵀ V⁻¹ β on rank(V) df. */
  waldTest: FineGrayTest | null;
  /** Always null: crr reports no score test (the naive one would use the model-based information). */
  scoreTest: null;
  /** Always null: no concordance for subdistribution-hazard models. */
  concordance: null;
  converged: boolean;
  /** Newton–Raphson steps taken (crr's loop counter when it stopped). */
  iterations: number;
  warnings: string[];
  /** Robust (sandwich) variance of the coefficients, term by term; null rows/columns for aliased terms. */
  variance: (number | null)[][];
  /** Model-based variance (inverse of crr's `inf`), the naive variance. */
  naiveVariance: (number | null)[][];
}

/**
 * Fine–Gray proportional subdistribution-hazards regression, matching R's
 * `cmprsk::crr(ftime, fstatus, cov1, failcode = cause, cencode = 0, gtol, maxiter)`: the
 * coefficients (log subdistribution hazard ratios, per unit of each covariate), crr's robust
 * (sandwich) standard errors with the η and ψ terms, Wald z and two-sided p, hazard ratios with
 * confidence intervals, crr's pseudo log-likelihoods at 0 and at the fit, and crr's convergence flag.
 *
 * The estimation follows crr step by step: censoring weights are the Kaplan–Meier estimate of the
 * censoring distribution at the left limit G(t−) (G(0) at time 0, as crr's `approx` gives); a
 * subject failing from another cause at time s stays in the risk set at t > s with weight
 * G(t−)/G(s−); Breslow handling of tied failures; Newton–Raphson with crr's step-halving line
 * search (≤ 20 halvings, Armijo constant 1e-4) and its stopping rule
 * max|u|·max(|β|, 1) < gtol·max(|loglik|, 1).
 *
 * Cost: one sort, then every likelihood, score, information and robust-variance evaluation is a few
 * linear passes over the sorted times (prefix/suffix risk-set sums), O(n p²) — not crr's O(n²)
 * (O(n³) for the variance) loops. Covariates are centred internally (the estimates are invariant).
 *
 * Not supported (throw SurvivalInputError): case weights, entry times (crr has neither), strata
 * (crr's censoring groups). A cause with no events throws. A constant or collinear covariate gets
 * null estimates with a warning and the remaining terms are fitted (crr stops with "Lapack routine
 * dgesv: system is exactly singular"). Non-convergence and monotone pseudo-likelihood (separation:
 * the estimate may be infinite, and crr's SE is then meaningless) are reported in `warnings`.
 */
export function fineGray(data: SurvivalData, x: RegressionCovariates, options: FineGrayOptions): FineGrayResult {
  const {cause, maxIter = 10, gtol = 1e-6, confLevel = 0.95, init, timefix = true} = options ?? ({} as FineGrayOptions);
  if (typeof cause !== "number" || !Number.isInteger(cause) || cause < 1)
    throw new SurvivalInputError("cause", null, cause, "cause must be an event code ≥ 1");
  if (!Number.isInteger(maxIter) || maxIter < 0) throw new SurvivalInputError("maxIter", null, maxIter, "must be an integer ≥ 0");
  if (!(gtol > 0)) throw new SurvivalInputError("gtol", null, gtol, "must be > 0");
  if (!(confLevel > 0 && confLevel < 1)) throw new SurvivalInputError("confLevel", null, confLevel, "must be between 0 and 1");
  if (data.weights) throw new SurvivalInputError("weights", null, undefined, "case weights are not supported by Fine–Gray regression (crr has none)");
  if (data.entry) throw new SurvivalInputError("entry", null, undefined, "entry times (left truncation) are not supported by Fine–Gray regression (crr)");
  if (data.strata) throw new SurvivalInputError("strata", null, undefined, "strata are not supported by Fine–Gray regression");
  const {terms, columns} = x;
  const P = terms.length;
  if (columns.length !== P) throw new SurvivalInputError("covariates", null, undefined, `${terms.length} terms but ${columns.length} columns`);
  const N = data.time.length;
  for (let k = 0; k < P; ++k)
    if (columns[k].length !== N) throw new SurvivalInputError(terms[k], null, undefined, `has ${columns[k].length} values but time has ${N}`);
  if (x.missing && x.missing.length !== N) throw new SurvivalInputError("covariates", null, undefined, `missing mask has ${x.missing.length} values but time has ${N}`);
  if (init && init.length !== P) throw new SurvivalInputError("init", null, undefined, `has ${init.length} values for ${P} terms`);

  // Validate time/event (row numbers in the caller's order), then drop rows with missing covariates.
  const prep = prepareSurvivalInput({time: data.time, event: data.event}, {timefix: false});
  const cols: Float64Array[] = columns.map((c) =>
    c instanceof Float64Array ? c : Float64Array.from(c as ArrayLike<unknown>, (v) => (typeof v === "number" ? v : NaN))
  );
  const keep = new Int32Array(prep.n);
  let n = 0;
  for (let j = 0; j < prep.n; ++j) {
    const r = prep.rows[j];
    let ok = !(x.missing && x.missing[r]);
    for (let k = 0; ok && k < P; ++k) {
      const v = cols[k][r];
      if (Number.isNaN(v)) ok = false;
      else if (v === Infinity || v === -Infinity) throw new SurvivalInputError(terms[k], r + 1, v, "covariate must be finite");
    }
    if (ok) keep[n++] = j;
  }
  const reasons = prep.dropped.reasons.slice();
  if (n < prep.n) reasons.push({field: "covariates", count: prep.n - n});
  const dropped = {total: N - n, reasons};
  const time0 = new Float64Array(n);
  for (let j = 0; j < n; ++j) time0[j] = prep.time[keep[j]];

  // Sort by time (stable); merge near-tied times as R's aeqSurv (the merge is monotone, so applying it
  // to the distinct sorted times and mapping back keeps the order). Status 1 = cause, 2 = competing, 0 = censored.
  const order = radixOrder(time0);
  const time = new Float64Array(n);
  for (let i = 0; i < n; ++i) time[i] = time0[order[i]];
  if (timefix && n > 1) {
    const distinct: number[] = [];
    for (let i = 0; i < n; ++i) if (i === 0 || time[i] !== time[i - 1]) distinct.push(time[i]);
    const snapped = Float64Array.from(distinct);
    applyTimefix(snapped, null);
    for (let i = 0, b = -1; i < n; ++i) {
      if (i === 0 || time[i] !== distinct[b]) ++b;
      time[i] = snapped[b];
    }
  }
  const status = new Uint8Array(n);
  const rowOf = new Int32Array(n);
  let events = 0;
  let competing = 0;
  for (let i = 0; i < n; ++i) {
    const j = keep[order[i]];
    const e = prep.event[j];
    status[i] = e === cause ? 1 : e === 0 ? 0 : 2;
    if (status[i] === 1) ++events;
    else if (status[i] === 2) ++competing;
    rowOf[i] = prep.rows[j];
  }
  if (events === 0)
    throw new SurvivalInputError("event", null, cause, `no events of cause ${cause} among the ${n} complete rows; nothing to estimate`);

  // Constant covariates (among the complete rows) are not estimable.
  const warnings: string[] = [];
  const estimable: number[] = [];
  for (let k = 0; k < P; ++k) {
    const col = cols[k];
    const v0 = col[rowOf[0]];
    let constant = true;
    for (let i = 1; i < n && constant; ++i) if (col[rowOf[i]] !== v0) constant = false;
    if (constant) warnings.push(`${terms[k]}: constant in the ${n} complete rows; coefficient not estimable (crr stops with "system is exactly singular")`);
    else estimable.push(k);
  }

  const model = new FineGrayModel(time, status, cols, rowOf, estimable);

  // Collinear covariates: pivots of the information at β = 0 that vanish relative to their own diagonal.
  let fAtZero = NaN;
  if (model.p > 0) {
    fAtZero = model.evaluate(new Float64Array(model.p), true);
    const aliased = aliasedColumns(model.hessian, model.p, 1e-10);
    if (aliased.length) {
      for (const a of aliased)
        warnings.push(`${terms[estimable[a]]}: collinear with the preceding terms (or without variation in the risk sets); coefficient not estimable`);
      const kept = estimable.filter((_, a) => !aliased.includes(a));
      estimable.length = 0;
      estimable.push(...kept);
    }
  }
  const fit = estimable.length === model.p ? model : new FineGrayModel(time, status, cols, rowOf, estimable);
  const p = fit.p;

  // Newton–Raphson with crr's step halving and stopping rule.
  let beta = new Float64Array(p);
  if (init) for (let a = 0; a < p; ++a) beta[a] = init[estimable[a]];
  let converged = false;
  let iterations = 0;
  // The model evaluated at β = 0 above is reused when nothing was aliased and the start is 0.
  const reuse = fit === model && p > 0 && !beta.some((v) => v !== 0);
  let lik = reuse ? fAtZero : fit.evaluate(beta, true);
  const fNull = reuse || p === 0 ? lik : fit.evaluate(new Float64Array(p), false);
  if (p === 0) converged = true;
  for (let ll = 0; p > 0; ++ll) {
    if (ll > 0) lik = fit.evaluate(beta, true);
    iterations = ll;
    const u = fit.score;
    let crit = 0;
    for (let a = 0; a < p; ++a) crit = Math.max(crit, Math.abs(u[a]) * Math.max(Math.abs(beta[a]), 1));
    if (crit < Math.max(Math.abs(lik), 1) * gtol) {
      converged = true;
      break;
    }
    if (ll === maxIter) break;
    const step = solveSpd(fit.hessian, p, u);
    if (!step) {
      warnings.push(`information matrix not positive definite at iteration ${ll}; stopped`);
      break;
    }
    let slope = 0;
    for (let a = 0; a < p; ++a) {
      step[a] = -step[a];
      slope += step[a] * u[a];
    }
    const bn = new Float64Array(p);
    let halvings = 0;
    let fbn: number;
    for (;;) {
      for (let a = 0; a < p; ++a) bn[a] = beta[a] + step[a];
      fbn = fit.evaluate(bn, false);
      if (fbn <= lik + 1e-4 * slope) break;
      if (++halvings > 20) break;
      for (let a = 0; a < p; ++a) step[a] *= 0.5;
      slope *= 0.5;
    }
    if (halvings > 20) {
      warnings.push(`step halving failed at iteration ${ll} (the pseudo-likelihood did not decrease); stopped`);
      break;
    }
    beta = bn;
  }
  // `fit` holds the score and information at `beta` (evaluated last in the loop).
  if (p > 0 && !converged && !warnings.some((w) => w.startsWith("step halving") || w.startsWith("information")))
    warnings.push(`did not converge in ${maxIter} iterations (crr's gtol ${gtol})`);

  // Variances at β̂: naive H⁻¹ and robust H⁻¹ (Σ ηηᵀ) H⁻¹.
  const hinv = p > 0 ? invertSpd(fit.hessian, p) : new Float64Array(0);
  let robust: Float64Array | null = null;
  if (hinv) {
    const middle = fit.robustMiddle(beta);
    robust = sandwich(hinv, middle, p);
    // Monotone pseudo-likelihood: the remaining Newton step stays of order 1 as β grows.
    const u = fit.score;
    for (let a = 0; a < p; ++a) {
      let d = 0;
      for (let c = 0; c < p; ++c) d += hinv[a * p + c] * u[c];
      if (Math.abs(d) > 1e-3 * Math.max(1, Math.abs(beta[a])))
        warnings.push(`${terms[estimable[a]]}: the pseudo-likelihood keeps increasing with this coefficient (separation); the estimate may be infinite and its standard error is not meaningful`);
    }
  } else if (p > 0) warnings.push("information matrix singular at the estimate; no standard errors");

  // Results, term by term in the caller's order.
  const zq = normalQuantile(1 - (1 - confLevel) / 2);
  const pos = new Map(estimable.map((k, a) => [k, a]));
  const outTerms: FineGrayTerm[] = terms.map((term, k) => {
    const a = pos.get(k);
    if (a === undefined) return {term, coef: null, se: null, hr: null, lower: null, upper: null, z: null, p: null};
    const coef = beta[a];
    const v = robust ? robust[a * p + a] : NaN;
    const se = v >= 0 ? Math.sqrt(v) : NaN;
    const z = se > 0 ? coef / se : NaN;
    return {
      term,
      coef,
      se: fin(se),
      hr: fin(Math.exp(coef)),
      lower: fin(Math.exp(coef - zq * se)),
      upper: fin(Math.exp(coef + zq * se)),
      z: fin(z),
      p: fin(Number.isFinite(z) ? normalTwoSided(z) : NaN)
    };
  });

  let waldTest: FineGrayTest | null = null;
  if (robust && p > 0) {
    const w = solveSpd(robust, p, beta);
    if (w) {
      let stat = 0;
      for (let a = 0; a < p; ++a) stat += beta[a] * w[a];
      waldTest = {stat, df: p, p: chiSquaredUpper(stat, p)};
    }
  }
  const toMatrix = (m: Float64Array | null) =>
    terms.map((_, k) => terms.map((__, c) => {
      const a = pos.get(k);
      const b = pos.get(c);
      return m && a !== undefined && b !== undefined ? fin(m[a * p + b]) : null;
    }));

  return {
    terms: outTerms,
    n,
    events,
    competing,
    dropped,
    loglik: [fin(-fNull), -lik],
    lrTest: null,
    waldTest,
    scoreTest: null,
    concordance: null,
    converged,
    iterations,
    warnings,
    variance: toMatrix(robust),
    naiveVariance: toMatrix(hinv)
  };
}

const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Indices that sort the non-negative, finite `time` ascending, ties in index order: a stable LSD
 * radix sort on the IEEE-754 bits (whose order is the numeric order for non-negative doubles), four
 * 16-bit passes, skipping passes in which every key has the same digit (e.g. the low bits of
 * integer times).
 */
function radixOrder(time: Float64Array): Int32Array {
  const n = time.length;
  const keys = new Float64Array(n);
  for (let i = 0; i < n; ++i) keys[i] = time[i] === 0 ? 0 : time[i]; // −0 → +0
  const words = new Uint32Array(keys.buffer);
  const lo = littleEndian ? 0 : 1;
  let order = new Int32Array(n);
  for (let i = 0; i < n; ++i) order[i] = i;
  let next = new Int32Array(n);
  const count = new Int32Array(65537);
  for (const [word, shift] of [[lo, 0], [lo, 16], [1 - lo, 0], [1 - lo, 16]]) {
    count.fill(0);
    for (let i = 0; i < n; ++i) ++count[((words[2 * i + word] >>> shift) & 0xffff) + 1];
    let single = false;
    for (let d = 1; d <= 65536; ++d) if (count[d] !== 0) {
      single = count[d] === n;
      break;
    }
    if (single) continue;
    for (let d = 0; d < 65536; ++d) count[d + 1] += count[d];
    for (let i = 0; i < n; ++i) {
      const k = order[i];
      next[count[(words[2 * k + word] >>> shift) & 0xffff]++] = k;
    }
    const t = order;
    order = next;
    next = t;
  }
  return order;
}

function fin(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

/**
 * The sorted data and the linear-pass kernels. Blocks are runs of equal times; `gm[b]` is the
 * censoring Kaplan–Meier G(t_b−) (G(0) for t = 0, as crr), `atRisk[b]` the unweighted number with
 * time ≥ t_b.
 */
class FineGrayModel {
  readonly n: number;
  readonly p: number;
  private readonly x: Float64Array; // n × p, row-major, centred
  private readonly status: Uint8Array;
  private readonly nb: number;
  private readonly blockStart: Int32Array; // nb + 1
  private readonly nFail: Float64Array;
  private readonly nCens: Float64Array;
  private readonly gm: Float64Array;
  private readonly atRisk: Float64Array;
  private readonly r: Float64Array;
  // Per block at the last evaluation (failure blocks only): S0 and x̄ = S1/S0.
  private readonly s0: Float64Array;
  private readonly xbar: Float64Array;
  readonly score: Float64Array;
  readonly hessian: Float64Array;
  private readonly q: number; // packed upper-triangle size
  private readonly prefix: Float64Array; // per block: competing-risk prefix sums (1 + p + q)

  constructor(time: Float64Array, status: Uint8Array, columns: Float64Array[], rowOf: Int32Array, use: number[]) {
    const n = time.length;
    const p = use.length;
    this.n = n;
    this.p = p;
    this.status = status;
    const x = new Float64Array(n * p);
    for (let a = 0; a < p; ++a) {
      const col = columns[use[a]];
      let mean = 0;
      for (let i = 0; i < n; ++i) mean += col[rowOf[i]];
      mean /= n;
      for (let i = 0; i < n; ++i) x[i * p + a] = col[rowOf[i]] - mean;
    }
    this.x = x;
    const starts: number[] = [];
    for (let i = 0; i < n; ++i) if (i === 0 || time[i] !== time[i - 1]) starts.push(i);
    starts.push(n);
    const nb = starts.length - 1;
    this.nb = nb;
    this.blockStart = Int32Array.from(starts);
    this.nFail = new Float64Array(nb);
    this.nCens = new Float64Array(nb);
    this.gm = new Float64Array(nb);
    this.atRisk = new Float64Array(nb);
    let g = 1;
    for (let b = 0; b < nb; ++b) {
      let d = 0;
      let c = 0;
      for (let i = starts[b]; i < starts[b + 1]; ++i) {
        if (status[i] === 1) ++d;
        else if (status[i] === 0) ++c;
      }
      this.nFail[b] = d;
      this.nCens[b] = c;
      const y = n - starts[b];
      this.atRisk[b] = y;
      this.gm[b] = g;
      g *= 1 - c / y;
      if (time[starts[b]] === 0) this.gm[b] = g; // crr evaluates G at t·(1 − 100ε), which is G(0) at 0
    }
    this.r = new Float64Array(n);
    this.s0 = new Float64Array(nb);
    this.xbar = new Float64Array(nb * p);
    this.score = new Float64Array(p);
    this.hessian = new Float64Array(p * p);
    this.q = (p * (p + 1)) / 2;
    this.prefix = new Float64Array(nb * (1 + p + this.q));
  }

  /**
   * crr's objective (minus the pseudo log-likelihood) at β; with `derivatives`, also the score
   * (gradient of the objective) and information (its Hessian) into `score`/`hessian`.
   */
  evaluate(beta: Float64Array, derivatives: boolean): number {
    const {n, p, x, status, nb, blockStart, nFail, gm, r, s0, xbar, q, prefix} = this;
    const K = derivatives ? 1 + p + q : 1;
    const stride = 1 + p + q;
    for (let i = 0; i < n; ++i) {
      let eta = 0;
      for (let a = 0; a < p; ++a) eta += x[i * p + a] * beta[a];
      r[i] = Math.exp(eta);
    }
    // Forward: Σ over competing failures before t_b of r/G(s−) (and ·x, ·xxᵀ), kept at failure blocks.
    const acc = new Float64Array(K);
    for (let b = 0; b < nb; ++b) {
      if (nFail[b] > 0) for (let k = 0; k < K; ++k) prefix[b * stride + k] = acc[k];
      for (let i = blockStart[b]; i < blockStart[b + 1]; ++i) {
        if (status[i] !== 2) continue;
        const wr = r[i] / gm[b];
        accumulate(acc, wr, x, i, p, derivatives);
      }
    }
    // Backward: Σ over t ≥ t_b of r (and ·x, ·xxᵀ); combine at each failure block.
    acc.fill(0);
    const tot = new Float64Array(K);
    let f = 0;
    const u = this.score;
    const h = this.hessian;
    if (derivatives) {
      u.fill(0);
      h.fill(0);
    }
    for (let b = nb - 1; b >= 0; --b) {
      for (let i = blockStart[b]; i < blockStart[b + 1]; ++i) {
        accumulate(acc, r[i], x, i, p, derivatives);
        if (status[i] === 1) {
          for (let a = 0; a < p; ++a) {
            f -= x[i * p + a] * beta[a];
            if (derivatives) u[a] -= x[i * p + a];
          }
        }
      }
      const d = nFail[b];
      if (d === 0) continue;
      const g = gm[b];
      for (let k = 0; k < K; ++k) tot[k] = acc[k] + g * prefix[b * stride + k];
      const S0 = tot[0];
      f += d * Math.log(S0);
      if (!derivatives) continue;
      s0[b] = S0;
      for (let a = 0; a < p; ++a) {
        const m = tot[1 + a] / S0;
        xbar[b * p + a] = m;
        u[a] += d * m;
      }
      for (let a = 0, t = 1 + p; a < p; ++a) {
        const ma = xbar[b * p + a];
        for (let c = a; c < p; ++c, ++t) h[a * p + c] += d * (tot[t] / S0 - ma * xbar[b * p + c]);
      }
    }
    if (derivatives) for (let a = 0; a < p; ++a) for (let c = 0; c < a; ++c) h[a * p + c] = h[c * p + a];
    return f;
  }

  /**
   * Σᵢ ηᵢηᵢᵀ of crr's robust variance at β (call after `evaluate(beta, true)` at the same β).
   * ηᵢ = dNᵢ part − dΛ̂ part + ψᵢ, where ψᵢ is the contribution of the estimated censoring
   * distribution (crr's q(u) integrated against the censoring martingale).
   */
  robustMiddle(beta: Float64Array): Float64Array {
    const {n, p, x, status, nb, blockStart, nFail, nCens, gm, atRisk, r, s0, xbar} = this;
    this.evaluate(beta, true);
    const eta = new Float64Array(n * p);
    // Backward pass: F(t) = Σ_{failure blocks f, t_f > t} d_f G(t_f−)/S0_f (1, x̄_f). Competing
    // failures at t_i stay weighted in later risk sets; C(t) = F including t (kept for q).
    const F = new Float64Array(1 + p);
    const C = new Float64Array(nb * (1 + p));
    for (let b = nb - 1; b >= 0; --b) {
      for (let i = blockStart[b]; i < blockStart[b + 1]; ++i) {
        if (status[i] !== 2) continue;
        const c = r[i] / gm[b];
        for (let a = 0; a < p; ++a) eta[i * p + a] -= c * (x[i * p + a] * F[0] - F[1 + a]);
      }
      const d = nFail[b];
      if (d > 0) {
        const w = (d * gm[b]) / s0[b];
        F[0] += w;
        for (let a = 0; a < p; ++a) F[1 + a] += w * xbar[b * p + a];
      }
      if (nCens[b] > 0) for (let k = 0; k <= p; ++k) C[b * (1 + p) + k] = F[k];
    }
    // Forward pass: E(t) = Σ_{t_f ≤ t} d_f/S0_f (1, x̄_f); A(t) = Σ competing failures before t of
    // r/G(s−) (1, x); q at censoring times; ψ accumulates −Σ dN^c q / Y².
    const E = new Float64Array(1 + p);
    const A = new Float64Array(1 + p);
    const qv = new Float64Array(p);
    const psi = new Float64Array(p);
    const middle = new Float64Array(p * p);
    const e = new Float64Array(p);
    for (let b = 0; b < nb; ++b) {
      const d = nFail[b];
      if (d > 0) {
        const w = d / s0[b];
        E[0] += w;
        for (let a = 0; a < p; ++a) E[1 + a] += w * xbar[b * p + a];
      }
      const y = atRisk[b];
      if (nCens[b] > 0) {
        const c0 = C[b * (1 + p)];
        for (let a = 0; a < p; ++a) {
          qv[a] = A[1 + a] * c0 - A[0] * C[b * (1 + p) + 1 + a];
          psi[a] -= (nCens[b] * qv[a]) / (y * y);
        }
      }
      for (let i = blockStart[b]; i < blockStart[b + 1]; ++i) {
        const st = status[i];
        for (let a = 0; a < p; ++a) {
          const xi = x[i * p + a];
          let v = eta[i * p + a] - r[i] * (xi * E[0] - E[1 + a]) + psi[a];
          if (st === 1) v += xi - xbar[b * p + a];
          else if (st === 0) v += qv[a] / y;
          e[a] = v;
        }
        for (let a = 0; a < p; ++a) for (let c = a; c < p; ++c) middle[a * p + c] += e[a] * e[c];
      }
      for (let i = blockStart[b]; i < blockStart[b + 1]; ++i) {
        if (status[i] !== 2) continue;
        const c = r[i] / gm[b];
        A[0] += c;
        for (let a = 0; a < p; ++a) A[1 + a] += c * x[i * p + a];
      }
    }
    for (let a = 0; a < p; ++a) for (let c = 0; c < a; ++c) middle[a * p + c] = middle[c * p + a];
    return middle;
  }
}

/** acc += w·(1, x_i, packed upper triangle of x_i x_iᵀ) (only the first entry without derivatives). */
function accumulate(acc: Float64Array, w: number, x: Float64Array, i: number, p: number, derivatives: boolean): void {
  acc[0] += w;
  if (!derivatives) return;
  const o = i * p;
  for (let a = 0; a < p; ++a) acc[1 + a] += w * x[o + a];
  for (let a = 0, t = 1 + p; a < p; ++a) {
    const wa = w * x[o + a];
    for (let c = a; c < p; ++c, ++t) acc[t] += wa * x[o + c];
  }
}

/** Cholesky factor (lower, row-major) of a symmetric positive-definite p × p matrix, or null. */
function cholesky(m: Float64Array, p: number): Float64Array | null {
  const l = new Float64Array(p * p);
  for (let j = 0; j < p; ++j) {
    let s = m[j * p + j];
    for (let k = 0; k < j; ++k) s -= l[j * p + k] * l[j * p + k];
    if (!(s > 0) || !Number.isFinite(s)) return null;
    const d = Math.sqrt(s);
    l[j * p + j] = d;
    for (let i = j + 1; i < p; ++i) {
      let t = m[i * p + j];
      for (let k = 0; k < j; ++k) t -= l[i * p + k] * l[j * p + k];
      l[i * p + j] = t / d;
    }
  }
  return l;
}

/** Solve M z = y for symmetric positive-definite M; null when M is not positive definite. */
function solveSpd(m: Float64Array, p: number, y: ArrayLike<number>): Float64Array | null {
  const l = cholesky(m, p);
  if (!l) return null;
  const z = Float64Array.from(y);
  for (let i = 0; i < p; ++i) {
    let t = z[i];
    for (let k = 0; k < i; ++k) t -= l[i * p + k] * z[k];
    z[i] = t / l[i * p + i];
  }
  for (let i = p - 1; i >= 0; --i) {
    let t = z[i];
    for (let k = i + 1; k < p; ++k) t -= l[k * p + i] * z[k];
    z[i] = t / l[i * p + i];
  }
  return z;
}

function invertSpd(m: Float64Array, p: number): Float64Array | null {
  const inv = new Float64Array(p * p);
  const e = new Float64Array(p);
  for (let c = 0; c < p; ++c) {
    e.fill(0);
    e[c] = 1;
    const col = solveSpd(m, p, e);
    if (!col) return null;
    for (let a = 0; a < p; ++a) inv[a * p + c] = col[a];
  }
  for (let a = 0; a < p; ++a)
    for (let c = 0; c < a; ++c) inv[a * p + c] = inv[c * p + a] = (inv[a * p + c] + inv[c * p + a]) / 2;
  return inv;
}

/** A M Aᵀ for symmetric A (here H⁻¹). */
function sandwich(a: Float64Array, m: Float64Array, p: number): Float64Array {
  const t = new Float64Array(p * p);
  for (let i = 0; i < p; ++i)
    for (let j = 0; j < p; ++j) {
      let s = 0;
      for (let k = 0; k < p; ++k) s += a[i * p + k] * m[k * p + j];
      t[i * p + j] = s;
    }
  const out = new Float64Array(p * p);
  for (let i = 0; i < p; ++i)
    for (let j = 0; j < p; ++j) {
      let s = 0;
      for (let k = 0; k < p; ++k) s += t[i * p + k] * a[j * p + k];
      out[i * p + j] = s;
    }
  return out;
}

/**
 * Columns of a symmetric non-negative definite matrix that are (numerically) linear combinations of
 * the columns before them: the Cholesky pivot falls below `toler` × the column's own diagonal.
 */
function aliasedColumns(m: Float64Array, p: number, toler: number): number[] {
  const a = Float64Array.from(m);
  const out: number[] = [];
  for (let j = 0; j < p; ++j) {
    const diag = m[j * p + j];
    const pivot = a[j * p + j];
    if (!(pivot > toler * diag) || !(diag > 0)) {
      out.push(j);
      for (let i = 0; i < p; ++i) a[i * p + j] = a[j * p + i] = 0;
      continue;
    }
    for (let i = j + 1; i < p; ++i) {
      const lij = a[i * p + j] / pivot;
      for (let k = j + 1; k < p; ++k) a[i * p + k] -= lij * a[j * p + k];
    }
  }
  return out;
}
