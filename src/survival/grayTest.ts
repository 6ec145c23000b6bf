import {SurvivalInputError} from "./errors.js";
import type {DroppedRows, SurvivalData} from "./input.js";
import {chiSquaredUpper} from "./math/distributions.js";
import {asSelection, prepareCohort, type CountCells, type PreparedSurvival, type RowMask, type SurvivalSelection} from "./prepared.js";
import {qrRank, quadraticFormInverse} from "./math/solve.js";

export interface GrayTestOptions {
  /** Causes to test (default: every cause present among the kept rows, ascending). */
  causes?: ArrayLike<number>;
  /** Power of the weight (1 − F̂(t−))^rho, F̂ the pooled cumulative incidence of the cause; default 0 (cuminc's `rho`). */
  rho?: number;
  /** Merge near-tied times as R's `aeqSurv` (default true, as our other estimators; cuminc never merges times). */
  timefix?: boolean;
}

export interface GrayTestCause {
  cause: number;
  /** Chi-squared statistic sᵀ V⁻¹ s; null when V is singular (see `reason`). */
  stat: number | null;
  /** Number of groups minus 1 (cuminc's df). */
  df: number;
  /** Upper-tail p-value of `stat` on `df`; null when `stat` is null. */
  p: number | null;
  /** Why `stat` is null (cuminc reports stat −1 and p = 1 there), else null. */
  reason: string | null;
  /** Scores of the first k − 1 groups (observed minus expected, weighted), summed over strata. */
  score: number[];
  /** Their (k − 1)×(k − 1) variance matrix, summed over strata. */
  variance: number[][];
}

export interface GrayTestResult {
  tests: GrayTestCause[];
  groups: {level: string | null; n: number}[];
  /** Strata (levels and sizes) when `data.strata` was given, else null. */
  strata: {level: string | null; n: number}[] | null;
  rho: number;
  nDropped: number;
  dropped: DroppedRows;
}

/**
 * Gray's (1988) K-sample test for equality of the cumulative incidence functions of each cause
 * across groups, optionally stratified, as `cmprsk::cuminc(time, event, group, strata, rho)$Tests`.
 *
 * For the cause of interest, the score of group g is Σ_t w(t) (d_g(t) − d(t)·R_g(t)/Σ_r R_r(t)) with
 * R_g(t) = r_g(t)·(1 − F̂_g(t−))/Ŝ_g(t−) (r_g at risk, Ŝ_g the group's all-cause Kaplan–Meier, F̂_g
 * its cumulative incidence) and w(t) = (1 − F̂(t−))^rho with F̂ the pooled estimate. Its variance is
 * Gray's asymptotic estimator as cuminc's Fortran `crstm` accumulates it (events of the cause and of
 * the other causes contribute separately, with cuminc's correction for tied events), summed over
 * strata. The statistic is sᵀ V⁻¹ s over the first k − 1 groups, chi-squared on k − 1 df; p is the
 * upper tail computed directly.
 *
 * When V is singular — rank decided as R's `qr()` does (relative tolerance 1e-7) — cuminc sets the
 * statistic to −1 and prints p = 1; here `stat` and `p` are null and `reason` says why.
 *
 * @throws SurvivalInputError with fewer than 2 groups; for entry times or case weights (not in cuminc).
 */
export function grayTest(data: SurvivalData, options: GrayTestOptions = {}): GrayTestResult {
  const {rho = 0, timefix = true} = options;
  if (!Number.isFinite(rho)) throw new SurvivalInputError("rho", null, rho, "rho must be a finite number");
  if (data.entry) throw new SurvivalInputError("entry", null, undefined, "Gray's test takes right-censored data only (as cuminc)");
  if (data.weights) throw new SurvivalInputError("weights", null, undefined, "Gray's test takes no case weights (as cuminc)");
  const prepared = prepareCohort({time: data.time, event: data.event, group: data.group, strata: data.strata}, {timefix});
  return grayTestPrepared(prepared, null, options);
}

/**
 * {@link grayTest} on the rows of a prepared cohort selected by `mask` (null or omitted: every row),
 * or on a selection made by `selectRows` (then no mask): equal to `grayTest(rows selected,
 * {...options, timefix: prepared.timefix})`, computed from counts per (stratum, distinct time, group,
 * cause) in one pass over the rows.
 *
 * @throws SurvivalInputError for a weighted or (entry, stop] cohort (as grayTest), fewer than 2 groups.
 */
export function grayTestPrepared(
  source: PreparedSurvival | SurvivalSelection,
  mask?: RowMask | null,
  options: Omit<GrayTestOptions, "timefix"> = {}
): GrayTestResult {
  const {rho = 0} = options;
  if (!Number.isFinite(rho)) throw new SurvivalInputError("rho", null, rho, "rho must be a finite number");
  const selection = asSelection(source, mask);
  const prepared = selection.prepared;
  if (prepared.counting) throw new SurvivalInputError("entry", null, undefined, "Gray's test takes right-censored data only (as cuminc)");
  if (prepared.weighted) throw new SurvivalInputError("weights", null, undefined, "Gray's test takes no case weights (as cuminc)");
  const k = selection.groupLevels.length;
  if (k < 2) throw new SurvivalInputError("group", null, undefined, "Gray's test needs at least 2 groups");
  const causes = options.causes ? Array.from(options.causes) : selection.causes;
  causes.forEach((c, i) => {
    if (!(Number.isInteger(c) && c >= 1)) throw new SurvivalInputError("causes", i + 1, c, "causes must be integers ≥ 1");
  });

  const cells = selection.byStrata();
  const C = prepared.codes.length;
  const nGroup = new Array<number>(k).fill(0);
  const nStrata = new Array<number>(selection.strataLevels.length).fill(0);
  for (let s = 0; s < cells.keys; ++s)
    for (let j = cells.start[s]; j < cells.start[s + 1]; ++j)
      for (let g = 0; g < k; ++g)
        for (let c = 0; c < C; ++c) {
          const m = cells.counts[j * cells.width + g * C + c];
          nGroup[g] += m;
          nStrata[s] += m;
        }

  const k1 = k - 1;
  const tests = causes.map((cause): GrayTestCause => {
    const {score, variance} = grayKernel(selection, cells, cause, rho);
    const df = k1;
    let stat: number | null = null;
    let reason: string | null = null;
    const rank = qrRank(variance, k1);
    if (rank < k1) reason = `the variance matrix is singular (rank ${rank} of ${k1}); cuminc reports stat = -1 and p = 1 here`;
    else stat = quadraticFormInverse(variance, score, k1, 0).value;
    return {
      cause,
      stat,
      df,
      p: stat === null ? null : chiSquaredUpper(stat, df),
      reason,
      score: Array.from(score),
      variance: Array.from({length: k1}, (_, i) => Array.from(variance.subarray(i * k1, i * k1 + k1)))
    };
  });

  return {
    tests,
    groups: selection.groupLevels.map((level, g) => ({level, n: nGroup[g]})),
    strata: prepared.hasStrata ? selection.strataLevels.map((level, s) => ({level, n: nStrata[s]})) : null,
    rho,
    nDropped: selection.dropped.total,
    dropped: selection.dropped
  };
}

/**
 * Score (first k − 1 groups) and its variance (row-major (k−1)²) for one cause, summed over strata.
 * Works from the selection's counts per (stratum, distinct time, group, cause). Per distinct time the
 * work is O(k²) (O(k³) at times with events of the cause, for the variance).
 */
function grayKernel(selection: SurvivalSelection, cells: CountCells, cause: number, rho: number) {
  const codes = selection.prepared.codes;
  const C = codes.length;
  const causeSlot = codes.indexOf(cause); // −1: no event of this cause in the cohort
  const {counts, width: W} = cells;
  const k = selection.groupLevels.length;
  const k1 = k - 1;
  const score = new Float64Array(k1);
  const variance = new Float64Array(k1 * k1);

  const atRisk = new Float64Array(k);
  const d1 = new Float64Array(k); // events of the cause at t, by group
  const d2 = new Float64Array(k); // events of other causes at t, by group
  const fLeft = new Float64Array(k); // group cumulative incidence at t− and t
  const fRight = new Float64Array(k);
  const sLeft = new Float64Array(k); // group all-cause Kaplan–Meier at t− and t
  const sRight = new Float64Array(k);
  const v3 = new Float64Array(k);
  const v2 = new Float64Array(k1 * k); // v2[i][g]
  const c = new Float64Array(k * k);
  const a = new Float64Array(k * k);
  const v = new Float64Array(k1 * k1); // lower triangle used, per stratum
  const leaving = new Float64Array(k); // subjects of each group with time t

  for (let s = 0; s < cells.keys; ++s) {
    const first = cells.start[s];
    const last = cells.start[s + 1];
    atRisk.fill(0);
    for (let j = first; j < last; ++j)
      for (let g = 0; g < k; ++g) for (let x = 0; x < C; ++x) atRisk[g] += counts[j * W + g * C + x];
    fLeft.fill(0), fRight.fill(0), sLeft.fill(1), sRight.fill(1), v3.fill(0), v2.fill(0), c.fill(0), v.fill(0);
    let fPooledLeft = 0; // pooled incidence F̂(t−) of the cause (weights), and F̂(t)
    let fPooled = 0;

    for (let j = first; j < last; ++j) {
      let nd1 = 0;
      let nd2 = 0;
      for (let g = 0; g < k; ++g) {
        const o = j * W + g * C;
        let all = counts[o];
        let other = 0;
        for (let x = 1; x < C; ++x) {
          all += counts[o + x];
          if (x !== causeSlot) other += counts[o + x];
        }
        const mine = causeSlot > 0 ? counts[o + causeSlot] : 0;
        d1[g] = mine;
        d2[g] = other;
        leaving[g] = all;
        nd1 += mine;
        nd2 += other;
      }
      if (nd1 > 0 || nd2 > 0) {
        let tr = 0; // Σ_g r_g / Ŝ_g(t−)
        let tq = 0; // Σ_g R_g = Σ_g r_g (1 − F̂_g(t−)) / Ŝ_g(t−)
        for (let g = 0; g < k; ++g) {
          const rg = atRisk[g];
          if (rg <= 0) continue;
          sRight[g] = (sLeft[g] * (rg - d1[g] - d2[g])) / rg;
          fRight[g] = fLeft[g] + (sLeft[g] * d1[g]) / rg;
          tr += rg / sLeft[g];
          tq += (rg * (1 - fLeft[g])) / sLeft[g];
        }
        fPooled = fPooledLeft + nd1 / tr;
        const fb = Math.pow(1 - fPooledLeft, rho);
        const cScale = nd1 / (tr * (1 - fPooledLeft));
        for (let i = 0; i < k; ++i) {
          for (let j = i; j < k; ++j) a[i * k + j] = 0;
          if (atRisk[i] <= 0) continue;
          const t1 = atRisk[i] / sLeft[i];
          const aii = fb * t1 * (1 - t1 / tr);
          a[i * k + i] = aii;
          if (aii !== 0) c[i * k + i] += aii * cScale;
          for (let j = i + 1; j < k; ++j) {
            if (atRisk[j] <= 0) continue;
            const aij = (-fb * t1 * atRisk[j]) / (sLeft[j] * tr);
            a[i * k + j] = aij;
            if (aij !== 0) c[i * k + j] += aij * cScale;
          }
        }
        for (let i = 1; i < k; ++i)
          for (let j = 0; j < i; ++j) {
            a[i * k + j] = a[j * k + i];
            c[i * k + j] = c[j * k + i];
          }
        for (let i = 0; i < k1; ++i) {
          if (atRisk[i] <= 0) continue;
          score[i] += fb * (d1[i] - (nd1 * atRisk[i] * (1 - fLeft[i])) / (sLeft[i] * tq));
        }
        if (nd1 > 0) {
          // events of the cause of interest
          for (let g = 0; g < k; ++g) {
            if (atRisk[g] <= 0) continue;
            const t4 = sRight[g] > 0 ? 1 - (1 - fPooled) / sRight[g] : 1;
            const t5 = nd1 > 1 ? 1 - (nd1 - 1) / (tr * sLeft[g] - 1) : 1;
            const t3 = (t5 * sLeft[g] * nd1) / (tr * atRisk[g]);
            v3[g] += t4 * t4 * t3;
            for (let i = 0; i < k1; ++i) {
              const t1 = a[i * k + g] - t4 * c[i * k + g];
              v2[i * k + g] += t1 * t4 * t3;
              for (let j = 0; j <= i; ++j) v[i * k1 + j] += t1 * (a[j * k + g] - t4 * c[j * k + g]) * t3;
            }
          }
        }
        if (nd2 > 0) {
          // events of the other causes
          for (let g = 0; g < k; ++g) {
            if (sRight[g] <= 0 || d2[g] <= 0) continue;
            const t4 = (1 - fPooled) / sRight[g];
            const t5 = d2[g] > 1 ? 1 - (d2[g] - 1) / (atRisk[g] - 1) : 1;
            const t3 = (t5 * (sLeft[g] * sLeft[g]) * d2[g]) / (atRisk[g] * atRisk[g]);
            v3[g] += t4 * t4 * t3;
            for (let i = 0; i < k1; ++i) {
              const t1 = t4 * c[i * k + g];
              v2[i * k + g] -= t1 * t4 * t3;
              for (let j = 0; j <= i; ++j) v[i * k1 + j] += t1 * (t4 * c[j * k + g]) * t3;
            }
          }
        }
      }
      // everyone at t leaves the risk set; right limits become the next left limits
      for (let g = 0; g < k; ++g) atRisk[g] -= leaving[g];
      fPooledLeft = fPooled;
      fLeft.set(fRight);
      sLeft.set(sRight);
    }

    for (let i = 0; i < k1; ++i)
      for (let j = 0; j <= i; ++j) {
        let x = v[i * k1 + j];
        for (let g = 0; g < k; ++g) x += c[i * k + g] * c[j * k + g] * v3[g] + c[i * k + g] * v2[j * k + g] + c[j * k + g] * v2[i * k + g];
        variance[i * k1 + j] += x;
        if (j !== i) variance[j * k1 + i] += x;
      }
  }
  return {score, variance};
}
