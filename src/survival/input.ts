import {SurvivalInputError} from "./errors.js";
import {identityOrder, sortByKey} from "./math/radixOrder.js";

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

/** The fields whose missing values drop a row, in the order the checks run. */
const MISSING_FIELDS = ["time", "event", "entry", "group", "strata", "weights"] as const;

/**
 * Validate columnar survival data and drop rows with missing values (counted by field).
 * Throws SurvivalInputError naming field, row and value for values that are present but invalid.
 */
export function prepareSurvivalInput(data: SurvivalData, options: InputOptions = {}): PreparedInput {
  return validateSurvivalRows(data, options).input;
}

/**
 * {@link prepareSurvivalInput}, also returning why each of the caller's rows was dropped:
 * `reason[i]` is 0 for a kept row, else 1 + the index of its field in `missingFields`.
 * For the engine's prepared-cohort API (`prepared.ts`).
 */
export function validateSurvivalRows(
  data: SurvivalData,
  options: InputOptions = {}
): {input: PreparedInput; reason: Uint8Array; missingFields: readonly string[]} {
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

  // reason[i]: 0 kept, else 1 + index into MISSING_FIELDS; `firstSeen` keeps the order in which
  // the reasons first occur (the order of `dropped.reasons`).
  const reason = new Uint8Array(N);
  const missingCount = new Array<number>(MISSING_FIELDS.length).fill(0);
  const firstSeen: number[] = [];
  // Kept rows are copied as they are checked (into arrays of N, trimmed to n at the end).
  let rows = new Int32Array(N);
  let timeOut = new Float64Array(N);
  let entryOut = entry ? new Float64Array(N) : null;
  let eventOut = new Int32Array(N);
  let weightsOut = weights ? new Float64Array(N) : null;
  // Causes present: flags for small codes, a set for the rest.
  const smallCause = new Uint8Array(1024);
  let largeCauses: Set<number> | null = null;
  let n = 0;
  for (let i = 0; i < N; ++i) {
    const t = time[i];
    const e = event[i];
    let miss = 0;
    if (t === null || t === undefined || Number.isNaN(t)) miss = 1;
    else if (e === null || e === undefined || Number.isNaN(e)) miss = 2;
    else if (entry && (entry[i] === null || entry[i] === undefined || Number.isNaN(entry[i]))) miss = 3;
    else if (group && isMissingLabel(group[i])) miss = 4;
    else if (strata && isMissingLabel(strata[i])) miss = 5;
    else if (weights && (weights[i] === null || weights[i] === undefined || Number.isNaN(weights[i]))) miss = 6;
    if (miss) {
      if (missingCount[miss - 1]++ === 0) firstSeen.push(miss - 1);
      reason[i] = miss;
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
      weightsOut![n] = w;
    }
    if (entryOut) entryOut[n] = entry![i];
    rows[n] = i;
    timeOut[n] = t;
    eventOut[n] = e;
    if (e > 0) {
      if (e < 1024) smallCause[e] = 1;
      else (largeCauses ??= new Set()).add(e);
    }
    ++n;
  }
  if (n < N) {
    rows = rows.slice(0, n);
    timeOut = timeOut.slice(0, n);
    if (entryOut) entryOut = entryOut.slice(0, n);
    eventOut = eventOut.slice(0, n);
    if (weightsOut) weightsOut = weightsOut.slice(0, n);
  }
  if (timefix) applyTimefix(timeOut, entryOut);

  const [groupIdx, groupLevels] = indexLabels(group, rows);
  const [strataIdx, strataLevels] = indexLabels(strata, rows);
  const reasons = firstSeen.map((f) => ({field: MISSING_FIELDS[f] as string, count: missingCount[f]}));
  const causes: number[] = [];
  for (let c = 1; c < 1024; ++c) if (smallCause[c]) causes.push(c);
  if (largeCauses) causes.push(...Array.from(largeCauses).sort((a, b) => a - b));
  const input: PreparedInput = {
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
    causes
  };
  return {input, reason, missingFields: MISSING_FIELDS};
}

/**
 * Integer codes of a label column over the kept `rows`, into its sorted levels (`sortLevels` order
 * of the labels' strings). Numeric columns skip the strings: small-integer values are counted in a
 * table, other finite numbers go through a Map keyed by number (a level's string is `String(v)`,
 * and numeric levels sort by value, as `sortLevels` sorts numeric strings).
 */
function indexLabels(col: LabelColumn | undefined, rows: Int32Array): [Int32Array, (string | null)[]] {
  const n = rows.length;
  const idx = new Int32Array(n);
  if (!col) return [idx, [null]];
  let numeric = true;
  let integral = true;
  let min = Infinity;
  let max = -Infinity;
  const identity = n === col.length; // every row kept: rows[i] = i
  for (let i = 0; i < n; ++i) {
    const v = col[identity ? i : rows[i]];
    if (typeof v !== "number" || !Number.isFinite(v)) {
      numeric = false;
      break;
    }
    if (v < min) min = v;
    if (v > max) max = v;
    if (integral && !Number.isInteger(v)) integral = false;
  }
  if (numeric && n > 0 && integral && max - min < Math.max(4 * n, 1024)) {
    const range = max - min + 1;
    const code = new Int32Array(range);
    for (let i = 0; i < n; ++i) {
      const v = (col[identity ? i : rows[i]] as number) - min;
      code[v] = 1;
      idx[i] = v;
    }
    const levels: string[] = [];
    for (let v = 0; v < range; ++v) if (code[v]) (code[v] = levels.length), levels.push(String(v + min));
    for (let i = 0; i < n; ++i) idx[i] = code[idx[i]];
    return [idx, levels];
  }
  if (numeric && n > 0) {
    const first = new Map<number, number>(); // value (−0 as 0) → provisional code
    const values: number[] = [];
    for (let i = 0; i < n; ++i) {
      const v = col[rows[i]] as number;
      let c = first.get(v);
      if (c === undefined) {
        c = values.length;
        first.set(v, c);
        values.push(v + 0);
      }
      idx[i] = c;
    }
    const sorted = values.map((v, c) => [v, c]).sort((a, b) => a[0] - b[0]);
    const remap = new Int32Array(values.length);
    sorted.forEach(([, c], k) => (remap[c] = k));
    for (let i = 0; i < n; ++i) idx[i] = remap[idx[i]];
    return [idx, sorted.map(([v]) => String(v))];
  }
  const labels = Array.from(rows, (r) => String(col[r]));
  const levels = sortLevels(labels);
  const lookup = new Map(levels.map((l, i) => [l, i]));
  for (let i = 0; i < labels.length; ++i) idx[i] = lookup.get(labels[i])!;
  return [idx, levels];
}

/**
 * The sorted distinct values of `x` and the index of each value among them (−0 counts as 0, and is
 * reported as 0). Integer values in a small range take one counting pass, others one radix sort:
 * O(n), no comparator and no binary search per row. Values must be finite.
 */
export function rankValues(x: Float64Array): {distinct: Float64Array; rank: Int32Array} {
  const n = x.length;
  const rank = new Int32Array(n);
  let min = Infinity;
  let max = -Infinity;
  let integral = true;
  for (let i = 0; i < n; ++i) {
    const v = x[i];
    if (v < min) min = v;
    if (v > max) max = v;
    if (integral && !Number.isInteger(v)) integral = false;
  }
  if (n === 0) return {distinct: new Float64Array(0), rank};
  if (integral && max - min < Math.max(4 * n, 4096)) {
    const range = max - min + 1;
    const code = new Int32Array(range);
    for (let i = 0; i < n; ++i) code[x[i] - min] = 1;
    let m = 0;
    for (let v = 0; v < range; ++v) if (code[v]) code[v] = ++m;
    const distinct = new Float64Array(m);
    for (let v = 0; v < range; ++v) if (code[v]) distinct[code[v] - 1] = v + min;
    for (let i = 0; i < n; ++i) rank[i] = code[x[i] - min] - 1;
    return {distinct, rank};
  }
  const order = sortByKey(identityOrder(n), x);
  const buf = new Float64Array(n);
  let m = 0;
  for (let k = 0; k < n; ++k) {
    const i = order[k];
    const v = x[i] + 0;
    if (m === 0 || v !== buf[m - 1]) buf[m++] = v;
    rank[i] = m - 1;
  }
  return {distinct: buf.slice(0, m), rank};
}

/**
 * R's `aeqSurv` on sorted distinct values: runs of values each closer than `tolerance` to the one
 * before (absolutely, or relative to the mean absolute value of the distinct values considered)
 * merge into the smallest of the run. Only the values with `present[r]` set are considered (all when
 * `present` is null). Returns, for each considered value, the index of its merged value in
 * `values` (−1 for values not considered), and whether anything merged.
 */
export function mergeNearTies(
  distinct: Float64Array,
  present: Uint8Array | null = null,
  tolerance = Math.sqrt(Number.EPSILON)
): {index: Int32Array; values: Float64Array; merged: boolean} {
  const M = distinct.length;
  const index = new Int32Array(M).fill(-1);
  let m = 0;
  let meanAbs = 0;
  for (let r = 0; r < M; ++r)
    if (!present || present[r]) {
      meanAbs += Math.abs(distinct[r]);
      ++m;
    }
  meanAbs /= m;
  const values = new Float64Array(m);
  let cuts = 0;
  let prev = NaN;
  for (let r = 0; r < M; ++r) {
    if (present && !present[r]) continue;
    const v = distinct[r];
    if (cuts > 0 && m >= 2) {
      const dy = v - prev;
      if (dy <= tolerance || dy / meanAbs <= tolerance) {
        index[r] = cuts - 1;
        prev = v;
        continue;
      }
    }
    values[cuts] = v;
    index[r] = cuts++;
    prev = v;
  }
  return {index, values: cuts < m ? values.slice(0, cuts) : values, merged: cuts < m};
}

/**
 * R's `aeqSurv`: distinct finite times closer than √ε (absolutely, or relative to the mean absolute
 * distinct time) are merged into the smallest of their run. Applied to stop and entry times together.
 */
export function applyTimefix(time: Float64Array, entry: Float64Array | null, tolerance = Math.sqrt(Number.EPSILON)): void {
  const nt = time.length;
  let all = time;
  if (entry) {
    all = new Float64Array(nt + entry.length);
    all.set(time);
    all.set(entry, nt);
  }
  const {distinct, rank} = rankValues(all);
  if (distinct.length < 2) return;
  const {index, values, merged} = mergeNearTies(distinct, null, tolerance);
  if (!merged) return;
  for (let i = 0; i < nt; ++i) time[i] = values[index[rank[i]]];
  if (entry) {
    for (let i = 0; i < entry.length; ++i) {
      entry[i] = values[index[rank[nt + i]]];
      if (!(entry[i] < time[i])) throw new SurvivalInputError("entry", i + 1, entry[i], "interval has effective length 0 after merging near-tied times");
    }
  }
}
