import {SurvivalInputError} from "./errors.js";
import type {DroppedRows, SurvivalData} from "./input.js";
import {chiSquaredUpper} from "./math/distributions.js";
import {asSelection, prepareCohort, type PreparedSurvival, type RowMask, type SurvivalSelection} from "./prepared.js";
import {quadraticFormInverse} from "./math/solve.js";

export interface LogRankOptions {
  /**
   * G-rho weight exponent: each event time is weighted by Ŝ(t−)^rho, where Ŝ(t−) is the
   * left-continuous Kaplan–Meier estimate of all groups pooled within the stratum. 0 (default) is the
   * log-rank test, 1 the Peto & Peto modification of the Gehan–Wilcoxon test (R's `rho`).
   */
  rho?: number;
  /** Count only this cause as the event (other causes are censored). Default: any cause. */
  cause?: number;
  /** Add the test for trend across the ordered groups with scores 1, 2, …, k. */
  trend?: boolean;
  /** Scores for the trend test, one per group in level order (implies `trend`). */
  scores?: ArrayLike<number>;
  /** Merge near-tied times as R's `aeqSurv` (default true, as `survdiff(timefix = TRUE)`). */
  timefix?: boolean;
}

export interface LogRankGroup {
  level: string | null;
  /** Number of subjects in the group. */
  n: number;
  /** Weighted observed events, summed over strata (R's `rowSums(obs)`). */
  observed: number;
  /** Weighted expected events, summed over strata (R's `rowSums(exp)`). */
  expected: number;
}

export interface LogRankTrend {
  /** The scores used, one per group in level order. */
  scores: number[];
  /** (Σ s (O − E))² / (sᵀ V s); null when sᵀ V s = 0. */
  chisq: number | null;
  df: 1;
  p: number | null;
}

export interface LogRankResult {
  /** Chi-squared statistic: (O − E)ᵀ V⁻¹ (O − E) over the groups with expected > 0, less the first. */
  chisq: number;
  /**
   * Number of groups with expected > 0, minus 1 (R's rule; −1 when there are no events). When the
   * variance is singular (see `note`), the rank of the variance matrix used instead.
   */
  df: number;
  /** Upper-tail p-value of `chisq` on `df`; null when df < 1. */
  p: number | null;
  groups: LogRankGroup[];
  /** k×k variance–covariance matrix of O − E (R's `var`), summed over strata; groups in level order. */
  variance: number[][];
  /** Strata (levels and sizes) when `data.strata` was given, else null. */
  strata: {level: string | null; n: number}[] | null;
  /** The test for trend, when requested. */
  trend: LogRankTrend | null;
  rho: number;
  cause: number | null;
  /** Rows excluded for missing values (`dropped.total`, by field). */
  nDropped: number;
  dropped: DroppedRows;
  /** Set when the variance matrix was singular (R stops with an error there); see `chisq`. */
  note: string | null;
}

/**
 * The G-rho family of k-sample tests (log-rank for rho = 0, Peto–Peto for rho = 1), optionally
 * stratified. Matches `survival::survdiff(Surv(time, status) ~ group + strata(s), rho = rho)`,
 * including its weights (left-continuous pooled Kaplan–Meier within each stratum, to the power rho),
 * its hypergeometric variance (no variance term at a time with one subject at risk) and its
 * degrees of freedom (groups with expected > 0, minus 1: an all-censored group that is never at risk
 * at an event time is left out).
 *
 * With `trend` or `scores`, also the test for trend across ordered groups (as EZR and survminer's
 * `surv_pvalue(test.for.trend = TRUE)`): with scores s, χ²₁ = (Σ_g s_g (O_g − E_g))² / (sᵀ V s).
 *
 * Observed and expected counts are on the (weighted) event-count scale; `p` is an upper tail
 * computed directly. Right-censored data only (as survdiff): `entry` and `weights` are rejected.
 *
 * @throws SurvivalInputError with fewer than 2 groups ("Log-rank needs at least 2 groups").
 * @example logRank({time: [1, 2, 3, 4, 5, 6], event: [1, 1, 1, 1, 1, 1], group: ["a", "a", "a", "b", "b", "b"]}).chisq
 * // 5.051660516605164 (survdiff; catalogue L8)
 */
export function logRank(data: SurvivalData, options: LogRankOptions = {}): LogRankResult {
  const {timefix = true} = options;
  checkOptions(options);
  if (data.entry) throw new SurvivalInputError("entry", null, undefined, "the log-rank test takes right-censored data only (as survdiff)");
  if (data.weights) throw new SurvivalInputError("weights", null, undefined, "the log-rank test takes no case weights (as survdiff)");
  return logRankPrepared(prepareCohort(data, {timefix}), null, options);
}

function checkOptions(options: LogRankOptions): void {
  const {rho = 0, cause} = options;
  if (!Number.isFinite(rho)) throw new SurvivalInputError("rho", null, rho, "rho must be a finite number");
  if (cause !== undefined && !(Number.isInteger(cause) && cause >= 1))
    throw new SurvivalInputError("cause", null, cause, "cause must be an integer ≥ 1");
}

/**
 * {@link logRank} on the rows of a prepared cohort selected by `mask` (null or omitted: every row),
 * or on a selection made by `selectRows` (then no mask): equal to `logRank(rows selected, {...options,
 * timefix: prepared.timefix})`, computed from counts per (stratum, distinct time, group) in one pass
 * over the rows plus O(k²) work per distinct event time.
 *
 * @throws SurvivalInputError for a weighted or (entry, stop] cohort (as logRank), fewer than 2 groups.
 */
export function logRankPrepared(
  source: PreparedSurvival | SurvivalSelection,
  mask?: RowMask | null,
  options: Omit<LogRankOptions, "timefix"> = {}
): LogRankResult {
  const {rho = 0, cause} = options;
  checkOptions(options);
  const selection = asSelection(source, mask);
  const prepared = selection.prepared;
  if (prepared.counting) throw new SurvivalInputError("entry", null, undefined, "the log-rank test takes right-censored data only (as survdiff)");
  if (prepared.weighted) throw new SurvivalInputError("weights", null, undefined, "the log-rank test takes no case weights (as survdiff)");
  const input = {groupLevels: selection.groupLevels, strataLevels: selection.strataLevels, dropped: selection.dropped};
  const k = input.groupLevels.length;
  if (k < 2) throw new SurvivalInputError("group", null, undefined, "Log-rank needs at least 2 groups");

  const {observed, expected, variance, nGroup, nStrata} = logRankKernel(selection, rho, cause ?? 0);

  // Degrees of freedom and statistic over the groups with expected > 0, dropping the first of them.
  const used: number[] = [];
  for (let g = 0; g < k; ++g) if (expected[g] > 0) used.push(g);
  const df = used.length - 1;
  let chisq = 0;
  let note: string | null = null;
  let dfUsed = df;
  if (used.length >= 2) {
    const m = used.length - 1;
    const v = new Float64Array(m * m);
    const u = new Float64Array(m);
    for (let i = 0; i < m; ++i) {
      const gi = used[i + 1];
      u[i] = observed[gi] - expected[gi];
      for (let j = 0; j < m; ++j) v[i * m + j] = variance[gi * k + used[j + 1]];
    }
    const {value, rank} = quadraticFormInverse(v, u, m);
    chisq = value;
    if (rank < m) {
      dfUsed = rank;
      note = `the variance matrix is singular (rank ${rank} of ${m}); chisq uses a generalized inverse on ${rank} df (survdiff stops with an error)`;
    }
  }
  const p = dfUsed >= 1 ? chiSquaredUpper(chisq, dfUsed) : null;

  let trend: LogRankTrend | null = null;
  if (options.trend || options.scores) {
    const scores = options.scores ? Array.from(options.scores) : Array.from({length: k}, (_, i) => i + 1);
    if (scores.length !== k)
      throw new SurvivalInputError("scores", null, scores.length, `needs one score per group (${k} groups: ${input.groupLevels.join(", ")})`);
    for (const s of scores) if (!Number.isFinite(s)) throw new SurvivalInputError("scores", null, s, "scores must be finite numbers");
    let num = 0;
    let den = 0;
    for (let i = 0; i < k; ++i) {
      num += scores[i] * (observed[i] - expected[i]);
      for (let j = 0; j < k; ++j) den += scores[i] * variance[i * k + j] * scores[j];
    }
    const tchisq = den > 0 ? (num * num) / den : null;
    trend = {scores, chisq: tchisq, df: 1, p: tchisq === null ? null : chiSquaredUpper(tchisq, 1)};
  }

  return {
    chisq,
    df: dfUsed,
    p,
    groups: input.groupLevels.map((level, g) => ({level, n: nGroup[g], observed: observed[g], expected: expected[g]})),
    variance: Array.from({length: k}, (_, i) => Array.from(variance.subarray(i * k, i * k + k))),
    strata: prepared.hasStrata ? input.strataLevels.map((level, s) => ({level, n: nStrata[s]})) : null,
    trend,
    rho,
    cause: cause ?? null,
    nDropped: input.dropped.total,
    dropped: input.dropped,
    note
  };
}

/**
 * Observed, expected and variance of the G-rho statistic, accumulated forward in time within each
 * stratum. `cause` 0 counts any event. Works from the selection's counts per (stratum, distinct time,
 * group, cause); the k×k variance update costs O(k²) per event time.
 */
function logRankKernel(selection: SurvivalSelection, rho: number, cause: number) {
  const cells = selection.byStrata();
  const codes = selection.prepared.codes;
  const C = codes.length;
  const slot = cause === 0 ? -1 : codes.indexOf(cause);
  const k = selection.groupLevels.length;
  const {counts, start: cellStart, width: W} = cells;

  const observed = new Float64Array(k);
  const expected = new Float64Array(k);
  const variance = new Float64Array(k * k);
  const nGroup = new Float64Array(k);
  const nStrata = new Float64Array(selection.strataLevels.length);
  const atRisk = new Float64Array(k); // subjects of each group with time ≥ t in the stratum
  const deaths = new Float64Array(k); // events of each group at t
  const leaving = new Float64Array(k); // subjects of each group with time t

  for (let s = 0; s < cells.keys; ++s) {
    const first = cellStart[s];
    const last = cellStart[s + 1];
    atRisk.fill(0);
    for (let j = first; j < last; ++j)
      for (let g = 0; g < k; ++g) for (let c = 0; c < C; ++c) atRisk[g] += counts[j * W + g * C + c];
    let nRisk = 0;
    for (let g = 0; g < k; ++g) (nRisk += atRisk[g]), (nGroup[g] += atRisk[g]);
    nStrata[s] = nRisk;
    let km = 1; // pooled Kaplan–Meier just before t (left-continuous), for the rho weights

    for (let j = first; j < last; ++j) {
      let d = 0;
      let out = 0;
      for (let g = 0; g < k; ++g) {
        const o = j * W + g * C;
        let all = 0;
        for (let c = 0; c < C; ++c) all += counts[o + c];
        const dg = slot === -1 ? (cause === 0 ? all - counts[o] : 0) : counts[o + slot];
        deaths[g] = dg;
        leaving[g] = all;
        d += dg;
        out += all;
      }
      if (d > 0) {
        const wt = rho === 0 ? 1 : Math.pow(km, rho);
        for (let g = 0; g < k; ++g) {
          observed[g] += wt * deaths[g];
          expected[g] += (wt * d * atRisk[g]) / nRisk;
        }
        if (nRisk > 1) {
          // hypergeometric variance; no term when a single subject is at risk
          const w2 = wt * wt;
          for (let a = 0; a < k; ++a) {
            if (atRisk[a] === 0) continue;
            const tmp = (w2 * d * atRisk[a] * (nRisk - d)) / (nRisk * (nRisk - 1));
            variance[a * k + a] += tmp;
            for (let b = 0; b < k; ++b) variance[a * k + b] -= (tmp * atRisk[b]) / nRisk;
          }
        }
        if (rho !== 0) km = (km * (nRisk - d)) / nRisk;
      }
      // everyone at t (events and censorings) leaves the risk set after t
      for (let g = 0; g < k; ++g) atRisk[g] -= leaving[g];
      nRisk -= out;
    }
  }
  return {observed, expected, variance, nGroup, nStrata};
}
