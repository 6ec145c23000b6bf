// The study's endpoints as engine input, built through the data layer's endpoint validation on the
// selected rows: overall survival (os_days, os_status), the competing first events after the second SCT
// (event_days, event: 1 relapse, 2 non-relapse mortality, 3 refractory), and relapse-free survival
// (event_days, any first event). One function, so every page builds the same input the same way.
import type {Problem} from "../cohort/problems.js";
import {describeEventCoding, endpointValidator, type EndpointValidation} from "../cohort/schema.js";
import {isNA, rawValue, type CohortTable} from "../cohort/table.js";
import type {SurvivalData} from "../survival/input.js";

export type EndpointName = "os" | "events" | "rfs";

export const ENDPOINT_DEFS: Record<EndpointName, {time: string; event: string; label: string; anyEvent: boolean}> = {
  os: {time: "os_days", event: "os_status", label: "Overall survival", anyEvent: true},
  events: {time: "event_days", event: "event", label: "First event after second SCT (competing risks)", anyEvent: false},
  rfs: {time: "event_days", event: "event", label: "Relapse-free survival", anyEvent: true}
};

export interface EndpointInput {
  /** Engine input for the selected rows with a complete endpoint (group labels when asked). */
  data: SurvivalData;
  /** Table rows (0-based) of the engine rows. */
  rows: Int32Array;
  /** Rows left out for a missing value, by column. */
  excluded: {column: string; count: number}[];
  /** Problems from validation (errors mean `ok` is false). */
  problems: Problem[];
  ok: boolean;
}

// Pages ask for an endpoint on every filter change: validate each table's endpoints once and select
// rows from the result (the data layer's endpointValidator gives exactly validateEndpoint's answer).
const validators = new WeakMap<CohortTable, Map<EndpointName, (mask?: Uint8Array) => EndpointValidation>>();
function validatorFor(table: CohortTable, endpoint: EndpointName): (mask?: Uint8Array) => EndpointValidation {
  let byEndpoint = validators.get(table);
  if (!byEndpoint) validators.set(table, (byEndpoint = new Map()));
  let v = byEndpoint.get(endpoint);
  if (!v) {
    const def = ENDPOINT_DEFS[endpoint];
    byEndpoint.set(endpoint, (v = endpointValidator(table, {time: def.time, event: def.event})));
  }
  return v;
}

/** Labels of a column for the given rows (null when missing). */
export function labelsAt(table: CohortTable, column: string, rows: Int32Array): (string | null)[] {
  const c = table.column(column);
  return Array.from(rows, (i) => (isNA(c, i) ? null : c.type === "string" ? c.values[i] : rawValue(c, i)));
}

/**
 * Build engine input for an endpoint on the rows where `mask` is 1. With `groupBy`, the group labels of
 * those rows (rows missing the group are dropped and counted by the engine). For "rfs" every cause is an
 * event (the engine's default); for "events" the causes stay distinct.
 */
export function endpointInput(table: CohortTable, endpoint: EndpointName, mask: Uint8Array, options: {groupBy?: string | null; strata?: string | null} = {}): EndpointInput {
  const v = validatorFor(table, endpoint)(mask);
  if (!v.ok || !v.data) return {data: {time: [], event: []}, rows: new Int32Array(0), excluded: [], problems: v.problems, ok: false};
  const {rows} = v.data;
  const data: SurvivalData = {time: v.data.time, event: v.data.event};
  if (options.groupBy) data.group = labelsAt(table, options.groupBy, rows);
  if (options.strata) data.strata = labelsAt(table, options.strata, rows);
  return {data, rows, excluded: v.data.excluded, problems: v.problems, ok: true};
}

/**
 * The file's event codes in engine-cause order. The data layer numbers causes 1, 2, … in the order of
 * the non-zero codes present in the whole event column (`validateEndpoint`'s default `eventCodes`), so
 * engine cause k is `codes[k − 1]`: on the study cohort (codes 0–3) cause k is code k, but a file without
 * code 2 would otherwise have its refractory events (code 3) shown as non-relapse mortality.
 */
export function eventCodeOrder(table: CohortTable, column = "event"): number[] {
  if (!table.has(column)) return [];
  const coding = describeEventCoding(table, column);
  if (coding.kind !== "numeric") return [];
  return (coding.codes as number[]).filter((c) => c !== 0);
}
