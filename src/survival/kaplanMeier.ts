import {confidenceZ, survivalLimits, type ConfType} from "./confidenceInterval.js";
import {prepareSurvivalInput, rankValues, type DroppedRows, type SurvivalData} from "./input.js";
import {asSelection, prepareCohort, selectedData, type PreparedSurvival, type RowMask, type SurvivalSelection} from "./prepared.js";
import {printMedian} from "./survivalQuantile.js";

export type {ConfType} from "./confidenceInterval.js";

export interface KaplanMeierOptions {
  /** Confidence interval type, default `"log-log"` (R's default is `"log"`). */
  confType?: ConfType;
  /** Confidence level in (0, 1), default 0.95 (R's `conf.int`). */
  confLevel?: number;
  /**
   * Count only this cause (k ≥ 1) as the event; other causes are censored at their time. Default
   * `null`: any cause ≥ 1 is an event.
   */
  cause?: number | null;
  /** Merge near-tied times as R's `timefix = TRUE` (default true). */
  timefix?: boolean;
}

/**
 * One Kaplan–Meier curve: one row per distinct observed (stop) time of the stratum, censor-only
 * times included, as R's `survfit` object rows. Columns are typed arrays of equal length; NaN marks
 * a value R reports as NA/NaN (a confidence limit where S = 0, every limit when `confType` is
 * "none", a "log-log" limit where S = 1); `stdErrLog` is `Infinity` from the time S reaches 0 (R's
 * Inf). Use {@link kaplanMeierSteps} for plain rows with `null` in place of NaN/Infinity.
 */
export interface KaplanMeierStratum {
  /** The group level (R's strata name without `group=`), `null` without a group column. */
  level: string | null;
  /** Rows used (R's `fit$n`), zero-weight rows included. */
  n: number;
  /** Total (weighted) number of events, as the `events` column of `print(fit)`. */
  events: number;
  time: Float64Array;
  /** Number at risk just before each time (weighted); for (entry, stop] data an entrant counts after its entry time. */
  nRisk: Float64Array;
  /** Number of events at each time (weighted). */
  nEvent: Float64Array;
  /** Number censored at each time (weighted), including other causes when `cause` is set. */
  nCensor: Float64Array;
  /** Product-limit survival probability S(t). */
  surv: Float64Array;
  /** Greenwood standard error of −log S(t) (R's `fit$std.err`, the cumulative-hazard scale). */
  stdErrLog: Float64Array;
  /** Standard error of S(t) = S · stdErrLog (as `summary(fit)$std.err`); NaN where S = 0. */
  stdErr: Float64Array;
  /** Pointwise confidence limits for S(t) (probability scale). */
  lower: Float64Array;
  upper: Float64Array;
  /** Median as `print(fit)` reports it; `null` when not reached. */
  median: number | null;
  /** `print(fit)`'s `0.95LCL` (median of the lower confidence curve); `null` when not reached or `confType` is "none". */
  medianLower: number | null;
  /** `print(fit)`'s `0.95UCL` (median of the upper confidence curve); `null` when not reached or `confType` is "none". */
  medianUpper: number | null;
}

export interface KaplanMeierFit {
  /** One curve per group level, in level order (one curve with level `null` without a group column). */
  strata: KaplanMeierStratum[];
  confType: ConfType;
  confLevel: number;
  cause: number | null;
  /** Rows used in total. */
  n: number;
  /** Rows excluded for a missing value, by field. */
  dropped: DroppedRows;
  /** True for (entry, stop] data (left truncation). */
  counting: boolean;
  /** True when case weights were given. */
  weighted: boolean;
}

/**
 * Kaplan–Meier (product-limit) survival curves with Greenwood standard errors, by group, as
 * R survival 3.5-3
 * `survfit(Surv(time, status) ~ group, weights, conf.type, conf.int)` — or, with `data.entry`,
 * `survfit(Surv(entry, time, status) ~ group)` for left-truncated (counting-process) data.
 *
 * Weights are case (frequency) weights and the variance is the weighted Greenwood sum
 * Σ d/(n(n − d)); for non-integer weights this is R's `robust = FALSE` (R switches to an
 * infinitesimal-jackknife variance by default when weights are not integers). Zero weights are
 * allowed (as in R). Event coding: 0 = censored, k ≥ 1 = cause k; see `options.cause`.
 *
 * Times are in the data's units; survival, standard errors and limits on the probability scale
 * except `stdErrLog` (see {@link KaplanMeierStratum}). Invalid input throws `SurvivalInputError`;
 * rows with a missing value are dropped and counted in `dropped`.
 */
export function kaplanMeier(data: SurvivalData, options: KaplanMeierOptions = {}): KaplanMeierFit {
  const {confType = "log-log", confLevel = 0.95, cause = null, timefix = true} = options;
  const z = confidenceZ(confType, confLevel);
  checkCause(cause);
  if (data.weights || data.entry) return kaplanMeierRows(data, confType, confLevel, z, cause, timefix);
  return kaplanMeierCounts(asSelection(prepareCohort(data, {timefix}), null), confType, confLevel, z, cause);
}

/**
 * {@link kaplanMeier} on the rows of a prepared cohort selected by `mask` (null or omitted: every
 * row), or on a selection made by `selectRows` (then no mask). The result equals
 * `kaplanMeier(rows selected, {...options, timefix: prepared.timefix})` — same curves, levels and
 * `dropped` — computed from counts per (group, distinct time) in one pass over the rows plus work
 * proportional to the number of distinct times. Weighted or (entry, stop] cohorts run the row-wise
 * estimator on the selected rows.
 */
export function kaplanMeierPrepared(
  source: PreparedSurvival | SurvivalSelection,
  mask?: RowMask | null,
  options: Omit<KaplanMeierOptions, "timefix"> = {}
): KaplanMeierFit {
  const {confType = "log-log", confLevel = 0.95, cause = null} = options;
  const z = confidenceZ(confType, confLevel);
  checkCause(cause);
  const selection = asSelection(source, mask);
  const prepared = selection.prepared;
  if (prepared.weighted || prepared.counting) return kaplanMeierRows(selectedData(selection), confType, confLevel, z, cause, prepared.timefix);
  return kaplanMeierCounts(selection, confType, confLevel, z, cause);
}

function checkCause(cause: number | null): void {
  if (cause !== null && !(typeof cause === "number" && Number.isInteger(cause) && cause >= 1))
    throw new RangeError(`cause must be null or an integer ≥ 1; got ${String(cause)}`);
}

/** Unweighted right-censored curves from the selection's counts per (group, distinct time, cause). */
function kaplanMeierCounts(selection: SurvivalSelection, confType: ConfType, confLevel: number, z: number, cause: number | null): KaplanMeierFit {
  const cells = selection.byGroup();
  const C = selection.prepared.codes.length;
  const slot = cause === null ? -1 : selection.prepared.codes.indexOf(cause);
  const {counts, start, time: cellTime} = cells;
  const strata: KaplanMeierStratum[] = [];
  const lim = new Float64Array(2);
  for (let g = 0; g < cells.keys; ++g) {
    const first = start[g];
    const m = start[g + 1] - first;
    const t = new Float64Array(m);
    const nRisk = new Float64Array(m);
    const nEvent = new Float64Array(m);
    const nCensor = new Float64Array(m);
    let events = 0;
    let size = 0;
    for (let j = 0; j < m; ++j) {
      const o = (first + j) * C;
      let total = 0;
      for (let c = 0; c < C; ++c) total += counts[o + c];
      const d = cause === null ? total - counts[o] : slot > 0 ? counts[o + slot] : 0;
      t[j] = selection.times[cellTime[first + j]];
      nEvent[j] = d;
      nCensor[j] = total - d;
      events += d;
      size += total;
    }
    let atRisk = 0;
    for (let j = m - 1; j >= 0; --j) {
      atRisk += nEvent[j] + nCensor[j];
      nRisk[j] = atRisk;
    }
    strata.push(curve(selection.groupLevels[g], size, events, t, nRisk, nEvent, nCensor, confType, z, lim));
  }
  return {strata, confType, confLevel, cause, n: selection.n, dropped: selection.dropped, counting: false, weighted: false};
}

/** The row-wise estimator (case weights, (entry, stop] data). */
function kaplanMeierRows(data: SurvivalData, confType: ConfType, confLevel: number, z: number, cause: number | null, timefix: boolean): KaplanMeierFit {
  const input = prepareSurvivalInput(data, {timefix, allowZeroWeights: true});
  const {n, time, entry, event, group, weights, groupLevels} = input;

  const w = (i: number) => (weights ? weights[i] : 1);
  // One ranking of the stop times (rankValues) gives their distinct values and each row's rank (for
  // late entry also the number of distinct stop times ≤ its entry), and two stable
  // counting sorts order rows by (group, rank). With weights, rows tied on (group, time) are also
  // ordered by event code, weight and entry so that sums run in the same order whatever the input
  // order (shuffled rows give bit-identical results, fractional weights included).
  const {distinct, rank} = rankValues(time);
  const M = distinct.length;
  const G = groupLevels.length;
  const tieBreak = (a: number, b: number) => event[a] - event[b] || w(a) - w(b) || (entry ? entry[a] - entry[b] : 0);
  const order = sortByGroupAndKey(group, G, rank, M);
  if (weights) sortTies(order, group, rank, tieBreak);
  let entryRank: Int32Array | null = null;
  let entryOrder: Uint32Array | null = null;
  if (entry) {
    entryRank = new Int32Array(n);
    for (let i = 0; i < n; ++i) entryRank[i] = upperBound(distinct, entry[i]);
    entryOrder = sortByGroupAndKey(group, G, entryRank, M + 1);
    if (weights) sortTies(entryOrder, group, entryRank, (a, b) => entry[a] - entry[b] || time[a] - time[b] || tieBreak(a, b));
  }

  const strata: KaplanMeierStratum[] = [];
  const lim = new Float64Array(2);
  let start = 0;
  let entryEnd = 0;
  for (let g = 0; g < G; ++g) {
    let end = start;
    while (end < n && group[order[end]] === g) ++end;
    const entryStart = entryEnd;
    if (entryOrder) while (entryEnd < n && group[entryOrder[entryEnd]] === g) ++entryEnd;
    // distinct stop times in this group
    let m = 0;
    for (let k = start; k < end; ++k) if (k === start || rank[order[k]] !== rank[order[k - 1]]) ++m;
    const t = new Float64Array(m);
    const nRisk = new Float64Array(m);
    const nEvent = new Float64Array(m);
    const nCensor = new Float64Array(m);
    let events = 0;
    for (let k = start, j = -1; k < end; ++k) {
      const i = order[k];
      if (k === start || rank[i] !== rank[order[k - 1]]) t[++j] = time[i];
      const wi = w(i);
      const isEvent = cause === null ? event[i] >= 1 : event[i] === cause;
      if (isEvent) (nEvent[j] += wi), (events += wi);
      else nCensor[j] += wi;
    }
    // Number at risk at t_j: weight of rows with stop ≥ t_j, less rows whose entry ≥ t_j (not yet at
    // risk: each row is at risk on (entry, stop]). entry ≥ t_j ⟺ entryRank ≥ rank(t_j) + 1.
    let atRisk = 0;
    for (let j = m - 1, k = end - 1, e = entryEnd - 1; j >= 0; --j) {
      const r = rank[order[k]];
      for (; k >= start && rank[order[k]] === r; --k) atRisk += w(order[k]);
      if (entryOrder) for (; e >= entryStart && entryRank![entryOrder[e]] > r; --e) atRisk -= w(entryOrder[e]);
      nRisk[j] = atRisk;
    }
    strata.push(curve(groupLevels[g], end - start, events, t, nRisk, nEvent, nCensor, confType, z, lim));
    start = end;
  }
  return {strata, confType, confLevel, cause, n, dropped: input.dropped, counting: entry !== null, weighted: weights !== null};
}

/** The product-limit recursion, Greenwood variance, limits and medians of one curve from its counts. */
function curve(
  level: string | null,
  n: number,
  events: number,
  t: Float64Array,
  nRisk: Float64Array,
  nEvent: Float64Array,
  nCensor: Float64Array,
  confType: ConfType,
  z: number,
  lim: Float64Array
): KaplanMeierStratum {
  const m = t.length;
  const surv = new Float64Array(m);
  const stdErrLog = new Float64Array(m);
  const stdErr = new Float64Array(m);
  const lower = new Float64Array(m);
  const upper = new Float64Array(m);
  let s = 1;
  let greenwood = 0;
  for (let j = 0; j < m; ++j) {
    const d = nEvent[j];
    const r = nRisk[j];
    if (d > 0 && r > 0) {
      s *= (r - d) / r;
      greenwood += d / (r * (r - d)); // +Infinity once everyone at risk has the event
    }
    const se = Math.sqrt(greenwood);
    surv[j] = s;
    stdErrLog[j] = se;
    stdErr[j] = s * se; // NaN for 0 · ∞, as R's summary
    if (j > 0 && s === surv[j - 1] && Object.is(se, stdErrLog[j - 1])) {
      // no event at t_j: the limits are those at t_(j−1)
      lower[j] = lower[j - 1];
      upper[j] = upper[j - 1];
      continue;
    }
    survivalLimits(s, se, confType, z, lim);
    lower[j] = lim[0];
    upper[j] = lim[1];
  }
  const orNull = (v: number) => (Number.isNaN(v) ? null : v);
  return {
    level,
    n,
    events,
    time: t,
    nRisk,
    nEvent,
    nCensor,
    surv,
    stdErrLog,
    stdErr,
    lower,
    upper,
    median: orNull(printMedian(t, surv)),
    medianLower: confType === "none" ? null : orNull(printMedian(t, lower)),
    medianUpper: confType === "none" ? null : orNull(printMedian(t, upper))
  };
}

/** One row of a Kaplan–Meier curve with `null` for undefined values (the headless runner's `steps`). */
export interface KaplanMeierStep {
  time: number;
  nRisk: number;
  nEvent: number;
  nCensor: number;
  surv: number;
  /** Standard error of S (R's `summary(fit)$std.err`); `null` where S = 0. */
  stdErr: number | null;
  lower: number | null;
  upper: number | null;
}

/** The rows of one curve as plain objects (as R's `summary(fit, censored = TRUE)` rows), undefined values `null`. */
export function kaplanMeierSteps(stratum: KaplanMeierStratum): KaplanMeierStep[] {
  const f = (v: number) => (Number.isFinite(v) ? v : null);
  return Array.from(stratum.time, (time, j) => ({
    time,
    nRisk: stratum.nRisk[j],
    nEvent: stratum.nEvent[j],
    nCensor: stratum.nCensor[j],
    surv: stratum.surv[j],
    stdErr: f(stratum.stdErr[j]),
    lower: f(stratum.lower[j]),
    upper: f(stratum.upper[j])
  }));
}

/** The number of values in ascending `a` that are ≤ x. */
function upperBound(a: Float64Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Row indices ordered by (group, key), ties in input order: two stable counting sorts, O(n + K + G). */
function sortByGroupAndKey(group: Int32Array, G: number, key: Int32Array, K: number): Uint32Array {
  const n = key.length;
  const byKey = new Uint32Array(n);
  const countK = new Int32Array(K + 1);
  for (let i = 0; i < n; ++i) ++countK[key[i] + 1];
  for (let k = 0; k < K; ++k) countK[k + 1] += countK[k];
  for (let i = 0; i < n; ++i) byKey[countK[key[i]]++] = i;
  if (G === 1) return byKey;
  const out = new Uint32Array(n);
  const countG = new Int32Array(G + 1);
  for (let i = 0; i < n; ++i) ++countG[group[i] + 1];
  for (let g = 0; g < G; ++g) countG[g + 1] += countG[g];
  for (let k = 0; k < n; ++k) {
    const i = byKey[k];
    out[countG[group[i]]++] = i;
  }
  return out;
}

/** Sort each run of rows with equal (group, key) by `compare` (deterministic order of sums). */
function sortTies(order: Uint32Array, group: Int32Array, key: Int32Array, compare: (a: number, b: number) => number): void {
  const n = order.length;
  for (let a = 0; a < n; ) {
    let b = a + 1;
    while (b < n && key[order[b]] === key[order[a]] && group[order[b]] === group[order[a]]) ++b;
    if (b - a > 1) order.subarray(a, b).sort(compare);
    a = b;
  }
}
