import {SurvivalInputError} from "./errors.js";
import type {DroppedRows} from "./input.js";
import {readTime, tableColumn, takeRows} from "./splitAtEvent.js";
import type {ColumnTable} from "./splitAtEvent.js";

/** Which columns of the table play which role in `landmark`. */
export interface LandmarkSpec {
  /** Time to the endpoint's event or censoring, on the scale of `landmark` (e.g. days). */
  time: string;
  /** The landmark time (≥ 0, finite), e.g. 100 for "day 100". */
  landmark: number;
  /** Optional onset time of an intermediate event (e.g. acute GVHD); null/NaN when it never happened. */
  eventTime?: string;
  /** Name of the 0/1 column for "the intermediate event happened by the landmark" (required with `eventTime`). */
  covariateName?: string;
}

export interface LandmarkResult {
  /**
   * The kept rows, every input column repeated, with `time` replaced by time − landmark
   * (Float64Array) and, with `eventTime`, the status at the landmark in `covariateName`
   * (Float64Array of 0/1). Rows keep their input order.
   */
  columns: Record<string, ArrayLike<unknown>>;
  /** For each output row, the (0-based) input row it came from. */
  row: Int32Array;
  /** Rows kept: still at risk (event-free and under follow-up) after the landmark, time > landmark. */
  n: number;
  /** Rows with time ≤ landmark: had the event or were censored by the landmark. */
  excluded: number;
  /** Rows with a missing time (field = the time column). */
  dropped: DroppedRows;
}

/**
 * Landmark analysis data: keep the subjects who are still event-free and under follow-up after the
 * landmark time L (time > L, the R idiom `subset(d, time > L)`), restart their clock at the
 * landmark (time − L), and record each one's covariate status at the landmark — 1 when the
 * intermediate event happened at or before L (onset ≤ L), else 0, even if it happens later. That
 * status is then a baseline covariate for the analysis from L on, which avoids the immortal-time
 * bias of grouping by an event that occurs after time zero (e.g. acute GVHD by day 100).
 *
 * A subject whose event or censoring falls exactly at L is excluded (not at risk after L). Event
 * columns are carried unchanged. Missing times drop the row (counted); invalid times throw
 * SurvivalInputError naming the column, the 1-based row and the value.
 */
export function landmark(table: ColumnTable, spec: LandmarkSpec): LandmarkResult {
  const {time: timeName, landmark: L, eventTime: onsetName, covariateName} = spec;
  if (typeof L !== "number" || !Number.isFinite(L) || L < 0) throw new SurvivalInputError("landmark", null, L, "landmark must be a finite time ≥ 0");
  const timeCol = tableColumn(table, timeName, null);
  const N = timeCol.length;
  for (const name of Object.keys(table)) tableColumn(table, name, N);
  const onsetCol = onsetName === undefined ? null : tableColumn(table, onsetName, N);
  if (onsetCol) {
    if (!covariateName) throw new SurvivalInputError("covariateName", null, covariateName, "a name for the status-at-landmark column is required with eventTime");
    if (covariateName in table) throw new SurvivalInputError(covariateName, null, undefined, "column already exists; landmark would overwrite it");
  }
  const keep: number[] = [];
  const shifted: number[] = [];
  const status: number[] = [];
  let excluded = 0;
  let missing = 0;
  for (let i = 0; i < N; ++i) {
    const t = readTime(timeCol, timeName, i);
    if (t === null) {
      ++missing;
      continue;
    }
    if (!(t > L)) {
      ++excluded;
      continue;
    }
    keep.push(i);
    shifted.push(t - L);
    if (onsetCol) {
      const o = onsetCol[i];
      if (o !== null && o !== undefined && typeof o !== "number")
        throw new SurvivalInputError(onsetName!, i + 1, o, "onset time must be a number (or missing)");
      status.push(typeof o === "number" && o <= L ? 1 : 0);
    }
  }
  const row = Int32Array.from(keep);
  const columns: Record<string, ArrayLike<unknown>> = {};
  for (const [name, col] of Object.entries(table)) columns[name] = takeRows(col, row);
  columns[timeName] = Float64Array.from(shifted);
  if (onsetCol) columns[covariateName!] = Float64Array.from(status);
  return {
    columns,
    row,
    n: row.length,
    excluded,
    dropped: {total: missing, reasons: missing ? [{field: timeName, count: missing}] : []}
  };
}
