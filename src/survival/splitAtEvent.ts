import {SurvivalInputError} from "./errors.js";
import type {DroppedRows} from "./input.js";

/** A columnar table: column name → values, all columns of equal length. */
export type ColumnTable = Record<string, ArrayLike<unknown>>;

/** Which columns of the table play which role in `splitAtEvent`. */
export interface SplitAtEventSpec {
  /** End of follow-up (the stop time of the last interval), ≥ 0. */
  time: string;
  /** Status at `time`: 0 censored, k ≥ 1 event of cause k. Becomes 0 on every interval but the last. */
  event: string;
  /** Onset time of the intermediate event (e.g. acute GVHD); null, undefined or NaN when it never happened. */
  eventTime: string;
  /** Name of the 0/1 time-dependent covariate column to add (e.g. `"agvhd"`). */
  covariateName: string;
  /** Subject identifier (must be unique: one row per subject). Default: the row. */
  id?: string;
  /** Start of follow-up (default 0 for every row). */
  entry?: string;
}

export interface SplitAtEventResult {
  /**
   * Every input column repeated for each interval of its row, plus `tstart` and `tstop`
   * (Float64Array), the `event` column replaced by the interval's status (Float64Array) and the
   * covariate column (Float64Array of 0/1). Rows are in input order, the intervals of a row in time order.
   */
  columns: Record<string, ArrayLike<unknown>>;
  /** For each output row, the (0-based) input row it came from. */
  row: Int32Array;
  /** Number of output rows. */
  n: number;
  /** Number of subjects split into two intervals. */
  nSplit: number;
  /**
   * Input rows left out: missing time, event, entry or id (by field), and rows whose follow-up is an
   * empty interval, time ≤ entry (field `interval`; tmerge stops with an error on these).
   */
  dropped: DroppedRows;
}

const isMissing = (v: unknown) => v === null || v === undefined || (typeof v === "number" && Number.isNaN(v));

/** Column `name` of `table`, or a SurvivalInputError naming it. */
export function tableColumn(table: ColumnTable, name: string, n: number | null): ArrayLike<unknown> {
  const col = table[name];
  if (!col || typeof col.length !== "number") throw new SurvivalInputError(name, null, undefined, "no such column");
  if (n !== null && col.length !== n) throw new SurvivalInputError(name, null, undefined, `has ${col.length} values but other columns have ${n}`);
  return col;
}

/** The values of `col` at the given row indices, as the same kind of array (typed arrays stay typed). */
export function takeRows(col: ArrayLike<unknown>, row: Int32Array): ArrayLike<unknown> {
  const n = row.length;
  if (ArrayBuffer.isView(col) && !(col instanceof DataView)) {
    const Ctor = (col as unknown as {constructor: new (n: number) => {[i: number]: unknown}}).constructor;
    const out = new Ctor(n);
    for (let i = 0; i < n; ++i) out[i] = col[row[i]];
    return out as unknown as ArrayLike<unknown>;
  }
  const out = new Array<unknown>(n);
  for (let i = 0; i < n; ++i) out[i] = col[row[i]];
  return out;
}

/** A validated, non-negative finite number, or null when missing; throws on anything else. */
export function readTime(col: ArrayLike<unknown>, name: string, i: number): number | null {
  const v = col[i];
  if (isMissing(v)) return null;
  if (typeof v !== "number") throw new SurvivalInputError(name, i + 1, v, "time must be a number");
  if (!Number.isFinite(v)) throw new SurvivalInputError(name, i + 1, v, "time must be finite");
  if (v < 0) throw new SurvivalInputError(name, i + 1, v, "time must be ≥ 0");
  return v;
}

function countDropped(counts: Map<string, number>, total: number): DroppedRows {
  return {total, reasons: Array.from(counts, ([field, count]) => ({field, count}))};
}

/**
 * Split one-row-per-subject data at the onset of an intermediate event into counting-process
 * (start, stop] rows with a 0/1 time-dependent covariate, as R's
 * `tmerge(d, d, id = id, status = event(time, status), tstart = entry, tstop = time)` followed by
 * `tmerge(., d, id = id, cov = tdc(onset))`:
 *
 * - entry < onset < time: two rows, (entry, onset] with covariate 0 and status 0, then (onset, time]
 *   with covariate 1 and the row's status;
 * - onset ≤ entry (including onset at time 0 with entry 0): one row with covariate 1 throughout;
 * - onset ≥ time (an event at or before onset, or onset after the end), or no onset: one row with
 *   covariate 0.
 *
 * Times are on the caller's scale (e.g. days). Missing time, event, entry or id drop the row
 * (counted in `dropped`); so do rows with time ≤ entry, where tmerge stops with an error. Invalid
 * values (negative or infinite times, non-integer status, a duplicate id) throw SurvivalInputError
 * naming the column, the 1-based row and the value.
 */
export function splitAtEvent(table: ColumnTable, spec: SplitAtEventSpec): SplitAtEventResult {
  const {time: timeName, event: eventName, eventTime: onsetName, covariateName, id: idName, entry: entryName} = spec;
  const timeCol = tableColumn(table, timeName, null);
  const N = timeCol.length;
  const eventCol = tableColumn(table, eventName, N);
  const onsetCol = tableColumn(table, onsetName, N);
  const idCol = idName === undefined ? null : tableColumn(table, idName, N);
  const entryCol = entryName === undefined ? null : tableColumn(table, entryName, N);
  for (const name of Object.keys(table)) tableColumn(table, name, N);
  if (!covariateName) throw new SurvivalInputError("covariateName", null, covariateName, "a name for the time-dependent covariate is required");
  for (const name of ["tstart", "tstop", covariateName])
    if (name in table) throw new SurvivalInputError(name, null, undefined, "column already exists; splitAtEvent would overwrite it");

  const counts = new Map<string, number>();
  const drop = (field: string) => counts.set(field, (counts.get(field) ?? 0) + 1);
  const seen = new Map<string, number>();
  const row: number[] = [];
  const start: number[] = [];
  const stop: number[] = [];
  const status: number[] = [];
  const cov: number[] = [];
  let nSplit = 0;
  let nDropped = 0;
  for (let i = 0; i < N; ++i) {
    const t = readTime(timeCol, timeName, i);
    const e = eventCol[i];
    const s = entryCol ? entryCol[i] : 0;
    let miss: string | null = null;
    if (t === null) miss = timeName;
    else if (isMissing(e)) miss = eventName;
    else if (entryCol && isMissing(s)) miss = entryName!;
    else if (idCol && isMissing(idCol[i])) miss = idName!;
    if (miss) {
      drop(miss);
      ++nDropped;
      continue;
    }
    if (typeof e !== "number" || !Number.isInteger(e) || e < 0)
      throw new SurvivalInputError(eventName, i + 1, e, "status must be 0 (censored) or a cause code 1, 2, …");
    if (typeof s !== "number" || !Number.isFinite(s)) throw new SurvivalInputError(entryName!, i + 1, s, "entry time must be a finite number");
    if (idCol) {
      const key = String(idCol[i]);
      const first = seen.get(key);
      if (first !== undefined)
        throw new SurvivalInputError(idName!, i + 1, idCol[i], `identifier already used at row ${first + 1}; splitAtEvent takes one row per subject`);
      seen.set(key, i);
    }
    if (!(t! > s)) {
      drop("interval");
      ++nDropped;
      continue;
    }
    const o = onsetCol[i];
    if (!isMissing(o) && typeof o !== "number") throw new SurvivalInputError(onsetName, i + 1, o, "onset time must be a number (or missing)");
    const onset = isMissing(o) ? NaN : (o as number);
    if (onset > s && onset < t!) {
      row.push(i, i);
      start.push(s, onset);
      stop.push(onset, t!);
      status.push(0, e);
      cov.push(0, 1);
      ++nSplit;
    } else {
      row.push(i);
      start.push(s);
      stop.push(t!);
      status.push(e);
      cov.push(onset <= s ? 1 : 0);
    }
  }
  const rows = Int32Array.from(row);
  const columns: Record<string, ArrayLike<unknown>> = {};
  for (const [name, col] of Object.entries(table)) columns[name] = takeRows(col, rows);
  columns.tstart = Float64Array.from(start);
  columns.tstop = Float64Array.from(stop);
  columns[eventName] = Float64Array.from(status);
  columns[covariateName] = Float64Array.from(cov);
  return {columns, row: rows, n: rows.length, nSplit, dropped: countDropped(counts, nDropped)};
}
