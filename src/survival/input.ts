import {SurvivalInputError} from "./errors.js";

/** A label column: strings or numbers; `null`/`undefined` (or NaN) mark a missing value. */
export type LabelColumn = ArrayLike<string | number | null | undefined>;

/** Columnar survival data, one entry per subject (or per (start, stop] row). */
export interface SurvivalData {
  /** Follow-up (stop) time, ≥ 0. NaN marks a missing value. */
  time: ArrayLike<number>;
  /** 0 = censored, k ≥ 1 = event of cause k. NaN marks a missing value. */
  event: ArrayLike<number>;
  /** Entry (start) time for counting-process data; each row is at risk on (entry, time]. */
  entry?: ArrayLike<number>;
  /** Grouping variable (curves / compared groups). */
  group?: LabelColumn;
  /** Stratification variable (stratified tests and models). */
  strata?: LabelColumn;
  /** Positive case weights (default 1). */
  weights?: ArrayLike<number>;
}

export interface InputOptions {
  /** Merge near-tied times as R's `aeqSurv` (`timefix = TRUE`), default true. */
  timefix?: boolean;
  /** Allow zero weights (Kaplan–Meier does, Cox does not). Default true. */
  allowZeroWeights?: boolean;
}

/** Why rows were excluded, with counts, in the order the checks run. */
export interface DroppedRows {
  total: number;
  reasons: {field: string; count: number}[];
}

/** Validated, missing-free input. Row order is the caller's order with dropped rows removed. */
export interface PreparedInput {
  n: number;
  time: Float64Array;
  entry: Float64Array | null;
  /** Cause codes 0 (censored) or k ≥ 1. */
  event: Int32Array;
  /** Group index into `groupLevels` (0 when no group column). */
  group: Int32Array;
  groupLevels: (string | null)[];
  strata: Int32Array;
  strataLevels: (string | null)[];
  weights: Float64Array | null;
  /** Original (0-based) row index of each kept row. */
  rows: Int32Array;
  dropped: DroppedRows;
  /** The distinct causes present among kept rows, ascending. */
  causes: number[];
}

function isMissingLabel(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === "number" && Number.isNaN(v));
}

/**
 * Sorted distinct levels of a label column, as R's `factor()` orders them: numerically when every
 * level is a number (or a numeric string), otherwise by code-unit order.
 */
export function sortLevels(values: Iterable<string>): string[] {
  const levels = Array.from(new Set(values));
  const numeric = levels.every((l) => l.trim() !== "" && Number.isFinite(Number(l)));
  return numeric ? levels.sort((a, b) => Number(a) - Number(b)) : levels.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Validate columnar survival data and drop rows with missing values (counted by field).
 * Throws SurvivalInputError naming field, row and value for values that are present but invalid.
 */
export function prepareSurvivalInput(data: SurvivalData, options: InputOptions = {}): PreparedInput {
  const {timefix = true, allowZeroWeights = true} = options;
  const {time, event, entry, group, strata, weights} = data;
  if (!time || !event) throw new SurvivalInputError("data", null, undefined, "time and event columns are required");
  const N = time.length;
  const check = (name: string, col: ArrayLike<unknown> | undefined) => {
    if (col && col.length !== N) throw new SurvivalInputError(name, null, undefined, `has ${col.length} values but time has ${N}`);
  };
  check("event", event);
  check("entry", entry);
  check("group", group);
  check("strata", strata);
  check("weights", weights);

  const missing = new Map<string, number>();
  const keep = new Uint8Array(N);
  let n = 0;
  for (let i = 0; i < N; ++i) {
    const t = time[i];
    const e = event[i];
    let miss: string | null = null;
    if (t === null || t === undefined || Number.isNaN(t)) miss = "time";
    else if (e === null || e === undefined || Number.isNaN(e)) miss = "event";
    else if (entry && (entry[i] === null || entry[i] === undefined || Number.isNaN(entry[i]))) miss = "entry";
    else if (group && isMissingLabel(group[i])) miss = "group";
    else if (strata && isMissingLabel(strata[i])) miss = "strata";
    else if (weights && (weights[i] === null || weights[i] === undefined || Number.isNaN(weights[i]))) miss = "weights";
    if (miss) {
      missing.set(miss, (missing.get(miss) ?? 0) + 1);
      continue;
    }
    if (typeof t !== "number") throw new SurvivalInputError("time", i + 1, t, "time must be a number");
    if (!Number.isFinite(t)) throw new SurvivalInputError("time", i + 1, t, "time must be finite");
    if (t < 0) throw new SurvivalInputError("time", i + 1, t, "time must be ≥ 0");
    if (typeof e !== "number" || !Number.isInteger(e) || e < 0)
      throw new SurvivalInputError("event", i + 1, e, "event must be 0 (censored) or a cause code 1, 2, …");
    if (entry) {
      const s = entry[i];
      if (!Number.isFinite(s)) throw new SurvivalInputError("entry", i + 1, s, "entry time must be finite");
      if (!(s < t)) throw new SurvivalInputError("entry", i + 1, s, `entry must be < stop time ${t}`);
    }
    if (weights) {
      const w = weights[i];
      if (!Number.isFinite(w)) throw new SurvivalInputError("weights", i + 1, w, "weights must be finite");
      if (w < 0 || (!allowZeroWeights && w === 0))
        throw new SurvivalInputError("weights", i + 1, w, allowZeroWeights ? "weights must be ≥ 0" : "weights must be > 0");
    }
    keep[i] = 1;
    ++n;
  }

  const rows = new Int32Array(n);
  const timeOut = new Float64Array(n);
  const entryOut = entry ? new Float64Array(n) : null;
  const eventOut = new Int32Array(n);
  const weightsOut = weights ? new Float64Array(n) : null;
  const causeSet = new Set<number>();
  for (let i = 0, j = 0; i < N; ++i) {
    if (!keep[i]) continue;
    rows[j] = i;
    timeOut[j] = time[i];
    if (entryOut) entryOut[j] = entry![i];
    eventOut[j] = event[i];
    if (event[i] > 0) causeSet.add(event[i]);
    if (weightsOut) weightsOut[j] = weights![i];
    ++j;
  }
  if (timefix) applyTimefix(timeOut, entryOut);

  const [groupIdx, groupLevels] = indexLabels(group, rows);
  const [strataIdx, strataLevels] = indexLabels(strata, rows);
  const reasons = Array.from(missing, ([field, count]) => ({field, count}));
  return {
    n,
    time: timeOut,
    entry: entryOut,
    event: eventOut,
    group: groupIdx,
    groupLevels,
    strata: strataIdx,
    strataLevels,
    weights: weightsOut,
    rows,
    dropped: {total: N - n, reasons},
    causes: Array.from(causeSet).sort((a, b) => a - b)
  };
}

function indexLabels(col: LabelColumn | undefined, rows: Int32Array): [Int32Array, (string | null)[]] {
  const idx = new Int32Array(rows.length);
  if (!col) return [idx, [null]];
  const labels = Array.from(rows, (r) => String(col[r]));
  const levels = sortLevels(labels);
  const lookup = new Map(levels.map((l, i) => [l, i]));
  for (let i = 0; i < labels.length; ++i) idx[i] = lookup.get(labels[i])!;
  return [idx, levels];
}

/**
 * R's `aeqSurv`: distinct finite times closer than √ε (absolutely, or relative to the mean absolute
 * distinct time) are merged into the smallest of their run. Applied to stop and entry times together.
 */
export function applyTimefix(time: Float64Array, entry: Float64Array | null, tolerance = Math.sqrt(Number.EPSILON)): void {
  const all = new Float64Array(time.length + (entry ? entry.length : 0));
  all.set(time);
  if (entry) all.set(entry, time.length);
  all.sort();
  const distinct: number[] = [];
  for (let i = 0; i < all.length; ++i) if (i === 0 || all[i] !== all[i - 1]) distinct.push(all[i]);
  if (distinct.length < 2) return;
  let meanAbs = 0;
  for (const v of distinct) meanAbs += Math.abs(v);
  meanAbs /= distinct.length;
  const cuts: number[] = [distinct[0]];
  let anyTied = false;
  for (let i = 1; i < distinct.length; ++i) {
    const dy = distinct[i] - distinct[i - 1];
    const tied = dy <= tolerance || dy / meanAbs <= tolerance;
    if (tied) anyTied = true;
    else cuts.push(distinct[i]);
  }
  if (!anyTied) return;
  const snap = (x: number) => {
    // largest cut ≤ x (findInterval)
    let lo = 0;
    let hi = cuts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (cuts[mid] <= x) lo = mid;
      else hi = mid - 1;
    }
    return cuts[lo];
  };
  for (let i = 0; i < time.length; ++i) time[i] = snap(time[i]);
  if (entry) {
    for (let i = 0; i < entry.length; ++i) {
      entry[i] = snap(entry[i]);
      if (!(entry[i] < time[i])) throw new SurvivalInputError("entry", i + 1, entry[i], "interval has effective length 0 after merging near-tied times");
    }
  }
}
