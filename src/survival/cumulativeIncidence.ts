import {SurvivalInputError} from "./errors.js";
import type {DroppedRows, SurvivalData} from "./input.js";
import {normalQuantile} from "./math/distributions.js";
import {asSelection, prepareCohort, type PreparedSurvival, type RowMask, type SurvivalSelection} from "./prepared.js";

export interface CumulativeIncidenceOptions {
  /** Causes to estimate (default: every cause present among the kept rows, ascending). */
  causes?: ArrayLike<number>;
  /** Times at which to evaluate each curve (the `at` rows), in the caller's order. */
  times?: ArrayLike<number>;
  /** Confidence level of the log(−log) limits, default 0.95. */
  confLevel?: number;
  /**
   * Merge near-tied times as R's `aeqSurv` (default true, as survfit and our Kaplan–Meier, so that
   * incidences and all-cause KM share their time points; cuminc itself never merges times).
   */
  timefix?: boolean;
}

/** One evaluation of a curve at a requested time; null where the curve is not defined there. */
export interface CumulativeIncidencePoint {
  time: number;
  /** F_k(t) on the probability scale [0, 1]. */
  cif: number | null;
  /** Variance of F_k(t) as cmprsk::cuminc computes it (probability² scale). */
  variance: number | null;
  /** log(−log) limits est^exp(∓z·√var / (est·log est)); null where est is 0 or 1. */
  lower: number | null;
  upper: number | null;
}

export interface CumulativeIncidenceCurve {
  /** Group level (null when no group column). */
  level: string | null;
  cause: number;
  /** Subjects in the group. */
  n: number;
  /** Events of this cause in the group. */
  events: number;
  /** Every distinct time (event or censoring) in the group, ascending. */
  time: Float64Array;
  /** F_k at each `time` (right-continuous). */
  est: Float64Array;
  /** cuminc's variance of F_k at each `time`. */
  variance: Float64Array;
  /** Confidence limits at each `time` (null where est is 0 or 1). */
  lower: (number | null)[];
  upper: (number | null)[];
  /** The curve at the requested `times`. */
  at: CumulativeIncidencePoint[];
}

export interface CumulativeIncidenceResult {
  /** One curve per (cause, group): causes in ascending order, groups in level order within each cause (cuminc's order). */
  curves: CumulativeIncidenceCurve[];
  causes: number[];
  confLevel: number;
  nDropped: number;
  dropped: DroppedRows;
}

/**
 * Aalen–Johansen cumulative incidence of each competing cause, by group, with the variance exactly as
 * `cmprsk::cuminc(time, event, group, cencode = 0)` computes it (Gray's delta-method estimator, with
 * cuminc's correction for tied events). The estimates equal `survival::survfit(Surv(time,
 * factor(event, levels = c(0, causes))) ~ group)`'s `pstate`.
 *
 * With r at risk and d_j events of cause j at a distinct time t (d = Σ d_j), and Ŝ(t−) the all-cause
 * Kaplan–Meier just before t: F_k(t) = F_k(t−) + Ŝ(t−)·d_k / r. All events at one time are taken
 * together (no jitter), so ties across causes are deterministic. The variance accumulates, at each
 * time, for the d_k events of cause k and separately for the d − d_k events of the other causes,
 * c = Ŝ(t−)²·(1 − (m − 1)/(r − 1))·m / r² (m the number of events of that kind) with
 * a = 1/Ŝ(t) (0 once Ŝ(t) = 0) and b = 1 + a·F_k(t) for cause k, b = F_k(t)/Ŝ(t) for the others
 * (skipped once Ŝ(t) = 0): v1 += b²c, v2 += abc, v3 += a²c, and Var F_k(t) = v1 + F_k² v3 − 2 F_k v2,
 * updated at the event times of cause k and held between them, as cuminc reports it.
 *
 * Confidence limits use the log(−log) transform (Pintilie 2006; tidycmprsk):
 * lower, upper = est^exp(∓ z·√var / (est·log est)), z = Φ⁻¹((1 + confLevel)/2).
 *
 * At a requested time t the curve is evaluated as `cmprsk::timepoints` does: the right-continuous
 * value at t for 0 ≤ t ≤ the group's last follow-up time (event or censoring), and null (R's NA)
 * beyond it or before 0. Right-censored data only (cuminc has no entry times or case weights).
 * `data.strata` takes no part in the estimates (it is used by grayTest), but rows with a missing
 * stratum are dropped, as cuminc drops them, so that curves and test describe the same rows.
 *
 * @example cumulativeIncidence({time: [1, 2, 3], event: [1, 0, 2]}).curves[1].est
 * // Float64Array [0, 0, 2/3]  (cause 2 at times 1, 2, 3)
 */
export function cumulativeIncidence(data: SurvivalData, options: CumulativeIncidenceOptions = {}): CumulativeIncidenceResult {
  const {timefix = true} = options;
  checkOptions(options);
  if (data.entry) throw new SurvivalInputError("entry", null, undefined, "cumulative incidence takes right-censored data only (as cuminc)");
  if (data.weights) throw new SurvivalInputError("weights", null, undefined, "cumulative incidence takes no case weights (as cuminc)");
  // strata take no part in the estimates, but rows missing them are dropped as cuminc does
  const prepared = prepareCohort({time: data.time, event: data.event, group: data.group, strata: data.strata}, {timefix});
  return cumulativeIncidencePrepared(prepared, null, options);
}

function checkOptions(options: CumulativeIncidenceOptions): number[] {
  const {confLevel = 0.95} = options;
  if (!(confLevel > 0 && confLevel < 1)) throw new SurvivalInputError("confLevel", null, confLevel, "confLevel must be in (0, 1)");
  const times = options.times ? Array.from(options.times) : [];
  times.forEach((t, i) => {
    if (typeof t !== "number" || Number.isNaN(t)) throw new SurvivalInputError("times", i + 1, t, "requested times must be numbers");
  });
  return times;
}

/**
 * {@link cumulativeIncidence} on the rows of a prepared cohort selected by `mask` (null or omitted:
 * every row), or on a selection made by `selectRows` (then no mask): equal to
 * `cumulativeIncidence(rows selected, {...options, timefix: prepared.timefix})`, computed from counts
 * per (group, distinct time, cause) in one pass over the rows plus work proportional to the number of
 * distinct times. Rows with a missing stratum are dropped when the cohort has a strata column.
 *
 * @throws SurvivalInputError for a weighted or (entry, stop] cohort (as cumulativeIncidence).
 */
export function cumulativeIncidencePrepared(
  source: PreparedSurvival | SurvivalSelection,
  mask?: RowMask | null,
  options: Omit<CumulativeIncidenceOptions, "timefix"> = {}
): CumulativeIncidenceResult {
  const {confLevel = 0.95} = options;
  const times = checkOptions(options);
  const selection = asSelection(source, mask);
  const prepared = selection.prepared;
  if (prepared.counting) throw new SurvivalInputError("entry", null, undefined, "cumulative incidence takes right-censored data only (as cuminc)");
  if (prepared.weighted) throw new SurvivalInputError("weights", null, undefined, "cumulative incidence takes no case weights (as cuminc)");
  const causes = options.causes ? Array.from(options.causes) : selection.causes;
  causes.forEach((c, i) => {
    if (!(Number.isInteger(c) && c >= 1)) throw new SurvivalInputError("causes", i + 1, c, "causes must be integers ≥ 1");
  });
  const z = normalQuantile((1 + confLevel) / 2);
  const nc = causes.length;
  // requested cause (index j) of each event code slot (−1: a competing cause not reported); when a
  // cause is requested twice, the last request counts its events (as the row-wise code did)
  const codes = prepared.codes;
  const C = codes.length;
  const slotCause = new Int32Array(C).fill(-1);
  causes.forEach((c, j) => {
    const slot = codes.indexOf(c);
    if (slot > 0) slotCause[slot] = j;
  });
  const cells = selection.byGroup();
  const {counts, start: cellStart, time: cellTime} = cells;

  // curves[j][g]: cause j, group g
  const perCause: CumulativeIncidenceCurve[][] = causes.map(() => []);
  const d = new Float64Array(nc); // events of each requested cause at t
  const f = new Float64Array(nc);
  const v1 = new Float64Array(nc);
  const v2 = new Float64Array(nc);
  const v3 = new Float64Array(nc);
  const varNow = new Float64Array(nc);
  const nEvents = new Float64Array(nc);

  for (let g = 0; g < cells.keys; ++g) {
    const first = cellStart[g];
    const nTimes = cellStart[g + 1] - first;
    let size = 0;
    for (let x = first * C; x < (first + nTimes) * C; ++x) size += counts[x];
    if (size === 0) continue; // no rows (no group column, nothing selected): no curve
    const tOut = new Float64Array(nTimes);
    const est = causes.map(() => new Float64Array(nTimes));
    const vOut = causes.map(() => new Float64Array(nTimes));
    f.fill(0), v1.fill(0), v2.fill(0), v3.fill(0), varNow.fill(0), nEvents.fill(0);
    let surv = 1; // all-cause Kaplan–Meier just before t
    let nRisk = size;

    for (let it = 0; it < nTimes; ++it) {
      const o = (first + it) * C;
      const t = selection.times[cellTime[first + it]];
      let dAll = 0; // events of any cause at t (including causes not requested)
      let leaving = counts[o];
      d.fill(0);
      for (let c = 1; c < C; ++c) {
        const m = counts[o + c];
        dAll += m;
        leaving += m;
        const j = slotCause[c];
        if (j >= 0) d[j] += m;
      }
      if (dAll > 0) {
        const survNext = (surv * (nRisk - dAll)) / nRisk;
        for (let j = 0; j < nc; ++j) {
          const dk = d[j];
          const dOther = dAll - dk;
          if (dk > 0) f[j] += (surv * dk) / nRisk;
          if (dOther > 0 && survNext > 0) {
            // events of the other causes at t
            const c = (surv * surv * tieFactor(dOther, nRisk) * dOther) / (nRisk * nRisk);
            const a = 1 / survNext;
            const b = f[j] / survNext;
            v1[j] += b * b * c;
            v2[j] += a * b * c;
            v3[j] += a * a * c;
          }
          if (dk > 0) {
            // events of cause k at t
            const c = (surv * surv * tieFactor(dk, nRisk) * dk) / (nRisk * nRisk);
            const a = survNext > 0 ? 1 / survNext : 0;
            const b = 1 + a * f[j];
            v1[j] += b * b * c;
            v2[j] += a * b * c;
            v3[j] += a * a * c;
            varNow[j] = v1[j] + f[j] * f[j] * v3[j] - 2 * f[j] * v2[j];
            nEvents[j] += dk;
          }
        }
        surv = survNext;
      }
      tOut[it] = t;
      for (let j = 0; j < nc; ++j) {
        est[j][it] = f[j];
        vOut[j][it] = varNow[j];
      }
      nRisk -= leaving;
    }

    const last = tOut[nTimes - 1];
    for (let j = 0; j < nc; ++j) {
      const e = est[j];
      const v = vOut[j];
      const lower: (number | null)[] = new Array(nTimes);
      const upper: (number | null)[] = new Array(nTimes);
      // The limits change only where the estimate or its variance does (events of this cause).
      for (let i = 0; i < nTimes; ++i) {
        if (i > 0 && e[i] === e[i - 1] && v[i] === v[i - 1]) (lower[i] = lower[i - 1]), (upper[i] = upper[i - 1]);
        else [lower[i], upper[i]] = logLogLimits(e[i], v[i], z);
      }
      const at = times.map((t): CumulativeIncidencePoint => {
        if (!(t >= 0 && t <= last)) return {time: t, cif: null, variance: null, lower: null, upper: null};
        const i = lastAtOrBefore(tOut, t);
        if (i < 0) return {time: t, cif: 0, variance: 0, lower: null, upper: null};
        const [lo, up] = logLogLimits(e[i], v[i], z);
        return {time: t, cif: e[i], variance: v[i], lower: lo, upper: up};
      });
      perCause[j].push({level: selection.groupLevels[g], cause: causes[j], n: size, events: nEvents[j], time: tOut, est: e, variance: v, lower, upper, at});
    }
  }

  return {curves: perCause.flat(), causes, confLevel, nDropped: selection.dropped.total, dropped: selection.dropped};
}

/** cuminc's correction for m tied events among r at risk: 1 − (m − 1)/(r − 1), 1 for a single event. */
function tieFactor(m: number, r: number): number {
  return m > 1 ? 1 - (m - 1) / (r - 1) : 1;
}

/** Index of the last element ≤ t in an ascending array, −1 if none. */
function lastAtOrBefore(xs: Float64Array, t: number): number {
  let lo = 0;
  let hi = xs.length; // first index with xs[i] > t
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid] <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** log(−log) limits for a probability est with variance v; null where est ∉ (0, 1). */
function logLogLimits(est: number, v: number, z: number): [number | null, number | null] {
  if (!(est > 0 && est < 1) || !(v >= 0)) return [null, null];
  const e = (z * Math.sqrt(v)) / (est * Math.log(est));
  return [Math.pow(est, Math.exp(-e)), Math.pow(est, Math.exp(e))];
}
