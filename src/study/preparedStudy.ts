// The study's endpoints prepared once per cohort, so that a filter change costs one pass over the rows
// (issue 7). `studyColumns(table)` validates the endpoints on every row through the data layer — once —
// and keeps only the numbers the Overview needs, as typed arrays that can be sent to a Web Worker.
// `prepareStudy(columns)` ranks the times once (the engine's `prepareCohort`) and orders the relapse and
// first-SCT intervals once; `overviewOf(prepared, mask, horizon)` then gives the Overview's headline
// figures and its Kaplan–Meier fit for any row mask, equal to `headline()` and
// `kaplanMeier(endpointInput(table, "os", mask).data)` on the same rows (test/study/preparedStudy.test.ts).
// Pure: no DOM, no I/O; runs on the page or in src/workers/analysis.ts.
import {isNA, type CohortTable} from "../cohort/table.js";
import {validateEndpoint} from "../cohort/schema.js";
import {cumulativeIncidencePrepared, type CumulativeIncidenceResult} from "../survival/cumulativeIncidence.js";
import {kaplanMeierPrepared, type KaplanMeierFit} from "../survival/kaplanMeier.js";
import {prepareCohort, selectRows, type PreparedSurvival} from "../survival/prepared.js";
import {identityOrder, sortByKey} from "../survival/math/radixOrder.js";
import {ENDPOINT_DEFS, eventCodeOrder} from "./endpoints.js";
import {incidenceEstimates, survivalEstimate, type Headline} from "./headline.js";

/** One validated endpoint over the whole table: the kept rows (table row numbers) and their engine columns. */
export interface EndpointColumns {
  rows: Int32Array;
  time: Float64Array;
  event: Float64Array;
}

/**
 * What the Overview's analyses need from a cohort, validated once: overall survival, the competing first
 * events (engine causes; `eventCodes[k − 1]` is the file's code of cause k) and the first-SCT interval
 * (NaN = missing). An endpoint is null when the data layer rejects it on the whole table; the caller then
 * falls back to per-selection validation (which reports the rows and values).
 */
export interface StudyColumns {
  numRows: number;
  /** True when an endpoint whose columns exist fails validation on the whole table. */
  invalid: boolean;
  /** Null when the table lacks the endpoint's columns (its figures are then not estimable). */
  os: EndpointColumns | null;
  events: EndpointColumns | null;
  eventCodes: number[];
  interval: Float64Array | null;
}

/** The arrays of `columns`, to transfer (not copy) them to a Web Worker. */
export function studyColumnBuffers(columns: StudyColumns): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const e of [columns.os, columns.events]) if (e) out.push(e.rows.buffer as ArrayBuffer, e.time.buffer as ArrayBuffer, e.event.buffer as ArrayBuffer);
  if (columns.interval) out.push(columns.interval.buffer as ArrayBuffer);
  return out;
}

function endpointColumns(table: CohortTable, name: "os" | "events"): EndpointColumns | "missing" | "invalid" {
  const def = ENDPOINT_DEFS[name];
  if (!table.has(def.time) || !table.has(def.event)) return "missing";
  const v = validateEndpoint(table, {time: def.time, event: def.event});
  if (!v.ok || !v.data) return "invalid";
  // validateEndpoint's arrays are its own, freshly made: kept as they are (the typed-array constructor
  // converts the Int32 causes without the per-element iteration of TypedArray.from).
  return {rows: v.data.rows, time: v.data.time, event: new Float64Array(v.data.event)};
}

/** Validate the study endpoints on every row of the table, once per cohort. */
export function studyColumns(table: CohortTable): StudyColumns {
  let interval: Float64Array | null = null;
  if (table.has("interval_days")) {
    const c = table.column("interval_days");
    interval = new Float64Array(table.numRows);
    for (let i = 0; i < interval.length; ++i) interval[i] = isNA(c, i) ? NaN : (c.values[i] as number);
  }
  const os = endpointColumns(table, "os");
  const events = endpointColumns(table, "events");
  return {
    numRows: table.numRows,
    invalid: os === "invalid" || events === "invalid",
    os: typeof os === "string" ? null : os,
    events: typeof events === "string" ? null : events,
    eventCodes: eventCodeOrder(table),
    interval
  };
}

/** Table rows with a value, in ascending order of the value (ties in row order), and the values. */
interface SortedValues {
  rows: Int32Array;
  values: Float64Array;
}

/** The rows whose value is not NaN, ordered by value (stably: ties in row order). */
function sortedValues(valueOfRow: Float64Array): SortedValues {
  const n = valueOfRow.length;
  let m = 0;
  for (let i = 0; i < n; ++i) if (valueOfRow[i] === valueOfRow[i]) ++m; // not NaN
  const present = new Uint32Array(m);
  const keys = new Float64Array(m);
  for (let i = 0, k = 0; i < n; ++i) {
    const v = valueOfRow[i];
    if (v !== v) continue;
    present[k] = i;
    keys[k++] = v;
  }
  const order = sortByKey(identityOrder(m), keys);
  const rows = new Int32Array(m);
  const values = new Float64Array(m);
  for (let k = 0; k < m; ++k) {
    rows[k] = present[order[k]];
    values[k] = keys[order[k]];
  }
  return {rows, values};
}

export interface PreparedStudy {
  columns: StudyColumns;
  os: PreparedSurvival | null;
  events: PreparedSurvival | null;
  /** Relapse times after the second SCT (relapsed patients), ascending, for the median. */
  relapse: SortedValues;
  /** Days from the first SCT to relapse, ascending. */
  interval: SortedValues;
}

/** Rank the times and order the intervals once per cohort (see the module comment). */
export function prepareStudy(columns: StudyColumns): PreparedStudy {
  const os = columns.os ? prepareCohort({time: columns.os.time, event: columns.os.event}) : null;
  const events = columns.events ? prepareCohort({time: columns.events.time, event: columns.events.event}) : null;
  // Relapse times: kept rows of the competing-events endpoint whose engine cause is the file's code 1.
  const relapseCause = columns.eventCodes.indexOf(1) + 1;
  const relapseTime = new Float64Array(columns.numRows).fill(NaN);
  const ev = columns.events;
  if (ev && relapseCause > 0) for (let j = 0; j < ev.rows.length; ++j) if (ev.event[j] === relapseCause) relapseTime[ev.rows[j]] = ev.time[j];
  return {
    columns,
    os,
    events,
    relapse: sortedValues(relapseTime),
    interval: sortedValues(columns.interval ?? new Float64Array(0))
  };
}

/** The endpoint's own mask (one entry per kept row) from a table-row mask. */
function endpointMask(e: EndpointColumns, mask: Uint8Array): Uint8Array {
  const out = new Uint8Array(e.rows.length);
  const rows = e.rows;
  for (let j = 0; j < rows.length; ++j) out[j] = mask[rows[j]];
  return out;
}

/** Sample median of the selected values of an ascending list (null when none). */
function selectedMedian(sorted: SortedValues, mask: Uint8Array): {median: number | null; n: number} {
  let n = 0;
  for (let k = 0; k < sorted.rows.length; ++k) n += mask[sorted.rows[k]];
  if (!n) return {median: null, n: 0};
  const lo = (n - 1) >> 1;
  const hi = n >> 1;
  let seen = 0;
  let a = NaN;
  for (let k = 0; k < sorted.rows.length; ++k) {
    if (!mask[sorted.rows[k]]) continue;
    if (seen === lo) a = sorted.values[k];
    if (seen === hi) return {median: (a + sorted.values[k]) / 2, n}; // odd n: lo = hi, (a + a) / 2 = a exactly
    ++seen;
  }
  return {median: a, n};
}

export interface OverviewResult {
  headline: Headline;
  /** Kaplan–Meier of overall survival on the selected rows (null when none has the endpoint). */
  fit: KaplanMeierFit | null;
  /**
   * The longest overall-survival time in the whole cohort (days; null when unknown): the end of a time
   * axis that stays put as the selection changes.
   */
  followUp: number | null;
}

/**
 * The Overview's analyses for the rows where `mask` is 1: the headline figures at `horizon` (as
 * `headline(table, mask, horizon)`) and the overall-survival Kaplan–Meier fit with a log-log band.
 * Returns null when an endpoint could not be validated on the whole table (use the per-selection path).
 */
export function overviewOf(prepared: PreparedStudy, mask: Uint8Array, horizon: number, {confType = "log-log" as const} = {}): OverviewResult | null {
  const {columns} = prepared;
  if (columns.invalid || mask.length !== columns.numRows) return null;
  let n = 0;
  for (let i = 0; i < mask.length; ++i) n += mask[i];
  let fit: KaplanMeierFit | null = null;
  if (prepared.os && columns.os) {
    const selection = selectRows(prepared.os, endpointMask(columns.os, mask));
    if (selection.n) fit = kaplanMeierPrepared(selection, null, {confType});
  }
  const {os, deaths} = survivalEstimate(fit, horizon);
  let incidence: CumulativeIncidenceResult | null = null;
  if (prepared.events && columns.events) {
    const selection = selectRows(prepared.events, endpointMask(columns.events, mask));
    if (selection.n) incidence = cumulativeIncidencePrepared(selection, null, {times: [horizon]});
  }
  const cif = incidenceEstimates(incidence, columns.eventCodes);
  return {
    headline: {
      n,
      horizon,
      os,
      relapse: cif[1],
      nrm: cif[2],
      refractory: cif[3],
      relapseAfterSecond: selectedMedian(prepared.relapse, mask),
      relapseAfterFirst: selectedMedian(prepared.interval, mask),
      deaths
    },
    fit,
    followUp: prepared.os && prepared.os.times.length ? prepared.os.times[prepared.os.times.length - 1] : null
  };
}
