// What each column is for (roles), inferred from names and types and always overridable, and the validation
// of a survival endpoint against the bad-input catalogue: every row is looked at, every problem is reported
// with its rows and values, and nothing is mapped silently (1/2 status coding is detected and must be declared).

import type {SurvivalData} from "../survival/input.js";
import {CohortError, RowList, formatCount, formatRows, problem, quoteValue, hasErrors, type Problem} from "./problems.js";
import {isNA, rawValue, type CohortTable, type Column, type ColumnType} from "./table.js";
import {civilFromDays} from "./values.js";

export type Role = "time" | "event" | "start" | "stop" | "id" | "weight" | "date" | "covariate";

export interface ColumnRole {
  name: string;
  type: ColumnType;
  role: Role;
  /** True when the role was inferred, false when given by the caller. */
  inferred: boolean;
}

/** Columns in table order with their roles, and the endpoints (time, event) pairs found by name. */
export interface Schema {
  columns: ColumnRole[];
  /** Candidate endpoints: a time column paired with a status column, e.g. os_days + os_status. */
  endpoints: {time: string; event: string}[];
}

const ID = /^(id|pid|patient|subject|patient_?id|subject_?id|.+_id)$/i;
const EVENT = /^(status|event|events|dead|death|died|censor|censored|fstat|cens|d|delta|.+_status|.+_event)$/i;
const TIME = /^(time|times|futime|survtime|t|days|months|years|duration|.+_time|.+_days|.+_months|.+_years)$/i;
const START = /^(start|tstart|entry|t0|time1|enter)$/i;
const STOP = /^(stop|tstop|exit|time2)$/i;
const WEIGHT = /^(w|wt|wts|weight|weights|case_?weights?)$/i;

function distinctSmall(c: Column, max: number): number {
  const seen = new Set<number | string>();
  for (let i = 0; i < c.length; ++i) {
    if (isNA(c, i)) continue;
    seen.add(c.values[i] as number | string);
    if (seen.size > max) break;
  }
  return seen.size;
}

/**
 * Infer each column's role from its name and type (roles given in `overrides` win): `id` (id, patient_id, …),
 * `event` (status, event, *_status with at most 10 distinct values), `time` (numeric time, *_days, …),
 * `start`/`stop` (counting-process bounds), `weight`, `date` (date columns), otherwise `covariate`.
 * Endpoints pair each event column with the time column sharing its prefix (os_status ↔ os_days,
 * event ↔ event_days, status ↔ time).
 */
export function inferSchema(table: CohortTable, overrides?: ReadonlyMap<string, Role>): Schema {
  const columns: ColumnRole[] = table.names.map((name) => {
    const c = table.column(name);
    const given = overrides?.get(name);
    if (given) return {name, type: c.type, role: given, inferred: false};
    let role: Role = "covariate";
    if (c.type === "date") role = "date";
    else if (ID.test(name)) role = "id";
    else if (EVENT.test(name) && distinctSmall(c, 10) <= 10) role = "event";
    else if (c.type === "number" && START.test(name)) role = "start";
    else if (c.type === "number" && STOP.test(name)) role = "stop";
    else if (c.type === "number" && WEIGHT.test(name)) role = "weight";
    else if (c.type === "number" && TIME.test(name) && !/^(interval|age|year)/i.test(name)) role = "time";
    return {name, type: c.type, role, inferred: true};
  });
  const times = columns.filter((c) => c.role === "time" || c.role === "stop").map((c) => c.name);
  const endpoints: {time: string; event: string}[] = [];
  for (const e of columns) {
    if (e.role !== "event") continue;
    const prefix = e.name.replace(/_?(status|event|events|censor|cens)$/i, "").toLowerCase();
    const match =
      times.find((t) => prefix !== "" && t.toLowerCase().replace(/_?(time|days|months|years)$/i, "") === prefix) ??
      times.find((t) => prefix !== "" && t.toLowerCase().startsWith(prefix)) ??
      (prefix === "" || prefix === "event" ? times.find((t) => /^(time|futime|stop|event_days|event_time)$/i.test(t)) : undefined);
    if (match) endpoints.push({time: match, event: e.name});
  }
  return {columns, endpoints};
}

/** The distinct codes of an event column and what they look like. */
export interface EventCoding {
  /** Distinct present codes, sorted (numbers ascending, or text in code-unit order). */
  codes: (number | string)[];
  kind: "numeric" | "text";
  /** `0/1`, `0/1/2…` (competing risks), `1/2` (R's alternative coding: must be declared), or `other`. */
  coding: "0/1" | "competing" | "1/2" | "other";
  message: string;
}

/** Describe an event column's coding (never maps anything: see validateEndpoint's `censorCode`). */
export function describeEventCoding(table: CohortTable, column: string): EventCoding {
  const c = table.column(column);
  // Columns do not change once read: describe each once (pages ask on every filter change).
  let coding = codings.get(c);
  if (!coding) codings.set(c, (coding = describeColumnCoding(c, column)));
  return {...coding, codes: [...coding.codes] as EventCoding["codes"]};
}

const codings = new WeakMap<Column, EventCoding>();

function describeColumnCoding(c: Column, column: string): EventCoding {
  const set = new Set<number | string>();
  for (let i = 0; i < c.length; ++i) if (!isNA(c, i)) set.add(c.values[i] as number | string);
  if (c.type === "number") {
    const codes = Array.from(set as Set<number>).sort((a, b) => a - b);
    const ints = codes.every((x) => Number.isInteger(x) && x >= 0);
    let coding: EventCoding["coding"] = "other";
    if (ints && codes.length && codes[0] === 0) coding = codes.length <= 2 && codes.every((x) => x <= 1) ? "0/1" : "competing";
    else if (codes.length === 2 && codes[0] === 1 && codes[1] === 2) coding = "1/2";
    else if (codes.length === 1 && (codes[0] === 1 || codes[0] === 2)) coding = "other";
    const message =
      coding === "0/1"
        ? `${column}: 0 = censored, 1 = event`
        : coding === "competing"
          ? `${column}: 0 = censored, causes ${codes.filter((x) => x > 0).join(", ")}`
          : coding === "1/2"
            ? `${column}: coded 1/2 — R's Surv() reads 1 = censored, 2 = event; declare censorCode: 1 to use that mapping (not applied automatically)`
            : `${column}: codes ${codes.slice(0, 10).join(", ")}${codes.length > 10 ? ", …" : ""}; declare the censoring code`;
    return {codes, kind: "numeric", coding, message};
  }
  const codes = Array.from(set as Set<string>).sort();
  return {codes, kind: "text", coding: "other", message: `${column}: text codes (${codes.slice(0, 10).map((v) => quoteValue(v)).join(", ")}); declare censorCode and eventCodes`};
}

/** Which columns make the endpoint, and how the status is coded. */
export interface Endpoint {
  /** Follow-up (stop) time, a number column (a duration: see durationBetween for dates). */
  time: string;
  /** Status column. */
  event: string;
  /** The code meaning censored. Default: 0 when the codes are numeric and include 0; otherwise it must be given. */
  censorCode?: number | string;
  /** Event codes in cause order (→ causes 1, 2, …). Default: every other present code, sorted. */
  eventCodes?: readonly (number | string)[];
  /** Labels of the causes, parallel to eventCodes (default: the codes as text). */
  causeLabels?: readonly string[];
  /** Entry (start) time for counting-process data. */
  start?: string;
  /** Patient id (duplicate check; interval checks with `start`). */
  id?: string;
  /** Case weights. */
  weights?: string;
}

/** Engine-ready columns (see src/survival SurvivalData): causes coded 0 = censored, k = eventCodes[k − 1]. */
export interface EndpointData {
  time: Float64Array;
  event: Int32Array;
  entry: Float64Array | null;
  weights: Float64Array | null;
  /** 0-based table rows of the kept entries. */
  rows: Int32Array;
  causes: {cause: number; code: number | string; label: string}[];
  /** Rows excluded because a value was missing, by column. */
  excluded: {column: string; count: number}[];
}

export interface EndpointValidation {
  ok: boolean;
  problems: Problem[];
  /** Null when there is an error. */
  data: EndpointData | null;
}

function codeOf(c: Column, i: number): number | string {
  return c.values[i] as number | string;
}

/**
 * Validate a survival endpoint on every (selected) row and build the engine's columns.
 * Errors (with rows and values): time or event column missing or of the wrong type; non-numeric or
 * non-finite times; negative times (`time must be ≥ 0`); status codes outside the declared set; 1/2 coding
 * or text codes without a declared censoring code; stop ≤ start; negative/non-finite weights;
 * overlapping intervals of one id. Warnings: duplicate ids in one-row-per-patient data, gaps, zero weights.
 * Info: rows excluded for missing values (counted per column), events at time 0.
 *
 * @param mask optional row selection (1 = use the row), e.g. from filterMask.
 */
export function validateEndpoint(table: CohortTable, endpoint: Endpoint, mask?: Uint8Array): EndpointValidation {
  const problems: Problem[] = [];
  const fail = (): EndpointValidation => ({ok: false, problems, data: null});
  for (const [role, name] of [["time", endpoint.time], ["event", endpoint.event], ["start", endpoint.start], ["id", endpoint.id], ["weights", endpoint.weights]] as const) {
    if (name !== undefined && !table.has(name)) problems.push(problem("error", "unknown-column", `${role}: no column ${quoteValue(name)}`, {column: name}));
  }
  if (hasErrors(problems)) return fail();
  const T = table.column(endpoint.time);
  const E = table.column(endpoint.event);
  const S = endpoint.start !== undefined ? table.column(endpoint.start) : null;
  const W = endpoint.weights !== undefined ? table.column(endpoint.weights) : null;
  const ID = endpoint.id !== undefined ? table.column(endpoint.id) : null;
  for (const [c, what] of [[T, "time"], [S, "start time"], [W, "weights"]] as const) {
    if (c && c.type !== "number")
      problems.push(problem("error", "not-numeric", `${c.name}: ${what} must be a number column, but it is ${c.type === "date" ? "a date column (compute a duration with durationBetween)" : `text (e.g. ${quoteValue(firstPresent(c))})`}`, {column: c.name}));
  }
  if (E.type === "date") problems.push(problem("error", "not-status", `${E.name}: a date column cannot be a status`, {column: E.name}));
  if (hasErrors(problems)) return fail();

  // Event coding: numeric with 0 → 0 censored; 1/2 or text must be declared.
  const coding = describeEventCoding(table, endpoint.event);
  let censor = endpoint.censorCode;
  if (censor === undefined) {
    if (coding.kind === "numeric" && (coding.coding === "0/1" || coding.coding === "competing")) censor = 0;
    else {
      problems.push(problem("error", coding.coding === "1/2" ? "status-1-2" : "censor-code", coding.message, {column: E.name, values: coding.codes.slice(0, 20).map(String)}));
      return fail();
    }
  }
  const sameCode = (a: number | string, b: number | string) => (typeof a === "number" || typeof b === "number" ? Number(a) === Number(b) : a === b);
  const eventCodes = endpoint.eventCodes ?? coding.codes.filter((x) => !sameCode(x, censor!));
  if (endpoint.causeLabels && endpoint.causeLabels.length !== eventCodes.length)
    problems.push(problem("error", "cause-labels", `${E.name}: ${endpoint.causeLabels.length} cause labels for ${eventCodes.length} event codes`, {column: E.name}));
  const codeIndex = new Map<string, number>();
  codeIndex.set(String(E.type === "number" ? Number(censor) : censor), 0);
  eventCodes.forEach((code, k) => codeIndex.set(String(E.type === "number" ? Number(code) : code), k + 1));
  // The same lookup without a string per row: numbers that print alike are equal (−0 and 0 included, as in
  // a Map's SameValueZero), so keying a number column's codes by number gives the same answers.
  const numericIndex = E.type === "number" ? new Map<number, number>(Array.from(codeIndex, ([k, v]) => [Number(k), v])) : null;
  // Codes that are small non-negative integers (0/1, 0–3 …): a table indexed by the code itself.
  let smallIndex: Int32Array | null = null;
  if (numericIndex && [...numericIndex.keys()].every((k) => Number.isInteger(k) && k >= 0 && k < 1024)) {
    smallIndex = new Int32Array(Math.max(0, ...numericIndex.keys()) + 1).fill(-1);
    for (const [k, v] of numericIndex) smallIndex[k] = v;
  }
  const values = E.values as ArrayLike<number>;
  const slotOf = smallIndex
    ? (i: number) => {
        const v = values[i];
        // Integers in range only (−0 reads as 0, as in the Map); anything else is not a declared code.
        const slot = v >= 0 && v < smallIndex!.length && (v | 0) === v ? smallIndex![v] : -1;
        return slot >= 0 ? slot : undefined;
      }
    : numericIndex
      ? (i: number) => numericIndex.get(E.values[i] as number)
      : (i: number) => codeIndex.get(String(codeOf(E, i)));

  const n = table.numRows;
  const use = (i: number) => !mask || mask[i] === 1;
  const badTime = new RowList();
  const negTime = new RowList();
  const badCode = new RowList();
  const badStart = new RowList();
  const stopLeStart = new RowList();
  const badWeight = new RowList();
  const negWeight = new RowList();
  const zeroWeight = new RowList();
  const missingBy = new Map<string, number>();
  const keep = new Uint8Array(n);
  let kept = 0;
  let zeroTimes = 0;
  let zeroEvents = 0;
  for (let i = 0; i < n; ++i) {
    if (!use(i)) continue;
    const row = i + 1;
    let ok = true;
    let missing: string | null = null;
    if (T.missing[i]) missing = T.name;
    else if (T.invalid?.[i]) badTime.add(row, rawValue(T, i)), (ok = false);
    else if ((T.values[i] as number) < 0) negTime.add(row, rawValue(T, i)), (ok = false);
    if (E.missing[i]) missing ??= E.name;
    else if (E.invalid?.[i] || slotOf(i) === undefined) badCode.add(row, rawValue(E, i)), (ok = false);
    if (S) {
      if (S.missing[i]) missing ??= S.name;
      else if (S.invalid?.[i]) badStart.add(row, rawValue(S, i)), (ok = false);
      else if (!T.missing[i] && !T.invalid?.[i] && !((T.values[i] as number) > (S.values[i] as number))) stopLeStart.add(row, `${rawValue(S, i)} → ${rawValue(T, i)}`), (ok = false);
    }
    if (W) {
      if (W.missing[i]) missing ??= W.name;
      else if (W.invalid?.[i]) badWeight.add(row, rawValue(W, i)), (ok = false);
      else if ((W.values[i] as number) < 0) negWeight.add(row, rawValue(W, i)), (ok = false);
      else if (W.values[i] === 0) zeroWeight.add(row);
    }
    if (missing !== null) {
      missingBy.set(missing, (missingBy.get(missing) ?? 0) + 1);
      continue;
    }
    if (!ok) continue;
    keep[i] = 1;
    ++kept;
    if (T.values[i] === 0) {
      ++zeroTimes;
      if (slotOf(i)! > 0) ++zeroEvents;
    }
  }
  const listed = (list: RowList, code: string, column: string, what: string, severity: "error" | "warning" = "error") => {
    if (!list.count) return;
    const values = Array.from(list.distinct);
    problems.push(
      problem(severity, code, `${column}: ${what} (${formatRows(list.rows, list.count)}${values.length && values[0] !== undefined ? `: ${values.slice(0, 5).map((v) => quoteValue(v)).join(", ")}${values.length > 5 ? ", …" : ""}` : ""})`, {
        column,
        row: list.rows[0],
        value: list.firstValue,
        rows: list.rows,
        count: list.count,
        values
      })
    );
  };
  listed(badTime, "invalid-time", T.name, `${formatCount(badTime.count)} time value${badTime.count === 1 ? " is" : "s are"} not finite numbers`);
  listed(negTime, "negative-time", T.name, "time must be ≥ 0");
  if (badCode.count) {
    const allowed = [censor, ...eventCodes].map((v) => (typeof v === "string" ? quoteValue(v) : String(v))).join(", ");
    listed(badCode, "event-code", E.name, `${formatCount(badCode.count)} status value${badCode.count === 1 ? " is" : "s are"} outside the declared codes {${allowed}}`);
  }
  if (S) {
    listed(badStart, "invalid-time", S.name, "start times are not finite numbers");
    listed(stopLeStart, "stop-le-start", T.name, `stop time must be > start time (${S.name})`);
  }
  if (W) {
    listed(badWeight, "invalid-weight", W.name, "weights must be finite");
    listed(negWeight, "negative-weight", W.name, "weights must be non-negative");
    listed(zeroWeight, "zero-weight", W.name, `${formatCount(zeroWeight.count)} zero weight${zeroWeight.count === 1 ? "" : "s"}: allowed for Kaplan–Meier, but Cox needs weights > 0`, "warning");
  }
  problems.push(...selectionNotes(T.name, missingBy, zeroTimes, zeroEvents));
  if (ID && !S) duplicateIds(ID, use, problems);
  if (ID && S) problems.push(...checkIntervals(table, {id: ID.name, start: S.name, stop: T.name, event: E.name}, codeIndex, keep));
  if (hasErrors(problems)) return fail();

  const rows = new Int32Array(kept);
  const time = new Float64Array(kept);
  const event = new Int32Array(kept);
  const entry = S ? new Float64Array(kept) : null;
  const weights = W ? new Float64Array(kept) : null;
  for (let i = 0, j = 0; i < n; ++i) {
    if (!keep[i]) continue;
    rows[j] = i;
    time[j] = T.values[i] as number;
    event[j] = slotOf(i)!;
    if (entry) entry[j] = S!.values[i] as number;
    if (weights) weights[j] = W!.values[i] as number;
    ++j;
  }
  const causes = eventCodes.map((code, k) => ({cause: k + 1, code, label: endpoint.causeLabels?.[k] ?? String(code)}));
  return {ok: true, problems, data: {time, event, entry, weights, rows, causes, excluded: Array.from(missingBy, ([column, count]) => ({column, count}))}};
}

/** The information notes of a valid selection: rows left out for a missing value (by column), times of 0. */
function selectionNotes(timeName: string, missingBy: ReadonlyMap<string, number>, zeroTimes: number, zeroEvents: number): Problem[] {
  const notes: Problem[] = [];
  for (const [column, count] of missingBy)
    notes.push(problem("info", "missing-excluded", `${column}: ${formatCount(count)} row${count === 1 ? "" : "s"} with a missing value excluded`, {column, count}));
  if (zeroTimes)
    notes.push(problem("info", "zero-time", `${timeName}: ${formatCount(zeroTimes)} time${zeroTimes === 1 ? " is" : "s are"} 0 (${formatCount(zeroEvents)} event${zeroEvents === 1 ? "" : "s"} at time 0 lower the curve at its start)`, {column: timeName, count: zeroTimes}));
  return notes;
}

/** The rows a selection of an endpoint leaves out for a missing value, ascending, with the column each is reported under. */
export interface MissingEndpointRows {
  rows: Int32Array;
  /** Per row: 0 its time is missing (reported under the time column), 1 else its status is. */
  column: Uint8Array;
  /** The time and the status column's names. */
  names: readonly [string, string];
}

/** {@link MissingEndpointRows} of an endpoint: a missing time first, else a missing status (as validateEndpoint reports them). */
export function missingEndpointRows(table: CohortTable, endpoint: Pick<Endpoint, "time" | "event">): MissingEndpointRows {
  const T = table.column(endpoint.time);
  const E = table.column(endpoint.event);
  let m = 0;
  for (let i = 0; i < table.numRows; ++i) if (T.missing[i] || E.missing[i]) ++m;
  const rows = new Int32Array(m);
  const column = new Uint8Array(m);
  for (let i = 0, k = 0; i < table.numRows; ++i) {
    if (!(T.missing[i] || E.missing[i])) continue;
    rows[k] = i;
    column[k++] = T.missing[i] ? 0 : 1;
  }
  return {rows, column, names: [T.name, E.name]};
}

/** Rows where `mask` is 1 left out for a missing value, per column, in the order the columns first occur. */
export function excludedIn(missing: MissingEndpointRows, mask: Uint8Array): Map<string, number> {
  const by = new Map<string, number>();
  for (let k = 0; k < missing.rows.length; ++k) {
    if (mask[missing.rows[k]] !== 1) continue;
    const name = missing.names[missing.column[k]];
    by.set(name, (by.get(name) ?? 0) + 1);
  }
  return by;
}

/**
 * `validateEndpoint` for many selections of one table (a page's filter changes): the table is validated
 * once, and each call `(mask)` then returns what `validateEndpoint(table, endpoint, mask)` returns —
 * the same rows, columns, exclusions and notes — in one pass over the mask, without re-checking values.
 * Endpoints with start times, ids or weights, and tables on which the whole-table validation finds an
 * error, are validated afresh on every call (so a selection's errors name its own rows).
 * The table must not change afterwards (tables are not modified once read).
 */
export function endpointValidator(table: CohortTable, endpoint: Endpoint): (mask?: Uint8Array) => EndpointValidation {
  const fresh = (mask?: Uint8Array) => validateEndpoint(table, endpoint, mask);
  if (endpoint.start !== undefined || endpoint.id !== undefined || endpoint.weights !== undefined) return fresh;
  const whole = validateEndpoint(table, endpoint);
  if (!whole.ok || !whole.data) return fresh;
  const all = whole.data;
  const T = table.column(endpoint.time);
  const E = table.column(endpoint.event);
  const n = table.numRows;
  // Per row: index into the whole table's engine columns (−1: not kept); the rows left out for a missing value.
  const kept = new Int32Array(n).fill(-1);
  for (let j = 0; j < all.rows.length; ++j) kept[all.rows[j]] = j;
  const missing = missingEndpointRows(table, endpoint);
  return (mask?: Uint8Array) => {
    if (!mask) return {ok: true, problems: whole.problems.map((p) => ({...p})), data: {...all, time: all.time.slice(), event: all.event.slice(), rows: all.rows.slice(), causes: all.causes.map((c) => ({...c})), excluded: all.excluded.map((e) => ({...e}))}};
    let count = 0;
    for (let i = 0; i < n; ++i) if (mask[i] === 1 && kept[i] >= 0) ++count;
    const missingBy = excludedIn(missing, mask);
    const rows = new Int32Array(count);
    const time = new Float64Array(count);
    const event = new Int32Array(count);
    let zeroTimes = 0;
    let zeroEvents = 0;
    for (let i = 0, k = 0; i < n; ++i) {
      const j = kept[i];
      if (mask[i] !== 1 || j < 0) continue;
      rows[k] = i;
      time[k] = all.time[j];
      event[k] = all.event[j];
      if (time[k] === 0) {
        ++zeroTimes;
        if (event[k] > 0) ++zeroEvents;
      }
      ++k;
    }
    return {
      ok: true,
      problems: selectionNotes(T.name, missingBy, zeroTimes, zeroEvents),
      data: {time, event, entry: null, weights: null, rows, causes: all.causes.map((c) => ({...c})), excluded: Array.from(missingBy, ([column, c]) => ({column, count: c}))}
    };
  };
}

function firstPresent(c: Column): string {
  for (let i = 0; i < c.length; ++i) if (!c.missing[i]) return rawValue(c, i);
  return "";
}

function duplicateIds(ID: Column, use: (i: number) => boolean, problems: Problem[]): void {
  const first = new Map<string, number>();
  const dup = new Map<string, number[]>();
  for (let i = 0; i < ID.length; ++i) {
    if (!use(i) || isNA(ID, i)) continue;
    const k = String(ID.values[i]);
    const f = first.get(k);
    if (f === undefined) first.set(k, i + 1);
    else {
      const list = dup.get(k);
      if (list) list.push(i + 1);
      else dup.set(k, [f, i + 1]);
    }
  }
  if (!dup.size) return;
  const [id, rows] = dup.entries().next().value as [string, number[]];
  problems.push(
    problem("warning", "duplicate-id", `${formatCount(dup.size)} ID${dup.size === 1 ? " appears" : "s appear"} more than once (first: ${quoteValue(id)} at ${formatRows(rows)}). Is this start–stop data?`, {
      column: ID.name,
      value: id,
      rows,
      count: dup.size,
      values: Array.from(dup.keys()).slice(0, 20)
    })
  );
}

/**
 * survcheck-style interval checks for counting-process data, per id: an interval starting before the
 * previous one stops is an `overlap` (error); one starting after it is a `gap` (warning); an event on an
 * interval that is not the id's last is `event-not-last` (warning).
 */
export function checkIntervals(
  table: CohortTable,
  cols: {id: string; start: string; stop: string; event: string},
  codeIndex?: ReadonlyMap<string, number>,
  keep?: Uint8Array
): Problem[] {
  const ID = table.column(cols.id);
  const S = table.column(cols.start);
  const T = table.column(cols.stop);
  const E = table.column(cols.event);
  const idx: number[] = [];
  for (let i = 0; i < table.numRows; ++i) if ((!keep || keep[i]) && !isNA(ID, i) && !isNA(S, i) && !isNA(T, i)) idx.push(i);
  const key = (i: number) => String(ID.values[i]);
  idx.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    return ka < kb ? -1 : ka > kb ? 1 : (S.values[a] as number) - (S.values[b] as number) || a - b;
  });
  const overlap = new RowList();
  const gap = new RowList();
  const notLast = new RowList();
  const isEvent = (i: number) => (codeIndex ? (codeIndex.get(String(E.values[i])) ?? 0) > 0 : !isNA(E, i) && E.values[i] !== 0);
  for (let k = 1; k <= idx.length; ++k) {
    const prev = idx[k - 1];
    const cur = k < idx.length ? idx[k] : -1;
    const same = cur >= 0 && key(cur) === key(prev);
    if (same) {
      const ps = T.values[prev] as number;
      const cs = S.values[cur] as number;
      if (cs < ps) overlap.add(cur + 1, key(cur));
      else if (cs > ps) gap.add(cur + 1, key(cur));
      if (isEvent(prev)) notLast.add(prev + 1, key(prev));
    }
  }
  const out: Problem[] = [];
  const add = (list: RowList, severity: "error" | "warning", code: string, what: string) => {
    if (list.count)
      out.push(problem(severity, code, `${ID.name}: ${what} (${formatRows(list.rows, list.count)}; ids ${Array.from(list.distinct).slice(0, 5).map((v) => quoteValue(v)).join(", ")})`, {column: ID.name, row: list.rows[0], value: list.firstValue, rows: list.rows, count: list.count, values: Array.from(list.distinct)}));
  };
  add(overlap, "error", "overlap", `${formatCount(overlap.count)} interval${overlap.count === 1 ? " overlaps" : "s overlap"} the previous interval of the same id`);
  add(gap, "warning", "gap", `${formatCount(gap.count)} gap${gap.count === 1 ? "" : "s"} between consecutive intervals of the same id`);
  add(notLast, "warning", "event-not-last", `${formatCount(notLast.count)} event${notLast.count === 1 ? " is" : "s are"} on an interval that is not the id's last`);
  return out;
}

/** Levels of a grouping column and problems for its use as curves/strata. */
export interface GroupingCheck {
  ok: boolean;
  levels: string[];
  counts: number[];
  problems: Problem[];
}

/**
 * Check a column used to group curves or strata: more than `maxLevels` distinct values (default 20) is an
 * error (`age has 61 distinct values; choose a cut-point`); labels differing only by case or surrounding
 * spaces are warned about (never merged); missing values are counted; one level only is a warning.
 */
export function validateGrouping(table: CohortTable, column: string, options: {maxLevels?: number; mask?: Uint8Array} = {}): GroupingCheck {
  const {maxLevels = 20, mask} = options;
  const problems: Problem[] = [];
  if (!table.has(column)) return {ok: false, levels: [], counts: [], problems: [problem("error", "unknown-column", `group: no column ${quoteValue(column)}`, {column})]};
  const c = table.column(column);
  const counts = new Map<string, number>();
  let missing = 0;
  for (let i = 0; i < c.length; ++i) {
    if (mask && !mask[i]) continue;
    if (isNA(c, i)) {
      ++missing;
      continue;
    }
    const k = c.type === "string" ? (c.values[i] as string) : c.type === "number" ? String(c.values[i]) : civilFromDays(c.values[i] as number);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  const levels = c.type === "string" && c.levels ? c.levels.filter((l) => counts.has(l)) : Array.from(counts.keys()).sort(c.type === "number" ? (a, b) => Number(a) - Number(b) : undefined);
  if (levels.length > maxLevels)
    problems.push(problem("error", "too-many-levels", `${column} has ${formatCount(levels.length)} distinct values; choose a cut-point (at most ${maxLevels} groups)`, {column, count: levels.length}));
  const norm = new Map<string, string[]>();
  for (const l of levels) {
    const k = l.trim().replace(/\s+/g, " ").toLowerCase();
    const list = norm.get(k);
    if (list) list.push(l);
    else norm.set(k, [l]);
  }
  for (const list of norm.values())
    if (list.length > 1)
      problems.push(problem("warning", "label-variants", `${column}: labels ${list.map((l) => quoteValue(l)).join(", ")} differ only by case or spaces; they are kept apart (merge them in the file if they are the same)`, {column, values: list}));
  if (missing) problems.push(problem("info", "missing-excluded", `${column}: ${formatCount(missing)} row${missing === 1 ? "" : "s"} with a missing value excluded`, {column, count: missing}));
  if (levels.length === 1) problems.push(problem("warning", "one-group", `${column}: only one group (${quoteValue(levels[0])}) in the selection`, {column}));
  return {ok: !hasErrors(problems), levels, counts: levels.map((l) => counts.get(l)!), problems};
}

/**
 * Check model covariates in the current selection: a column that is all missing or constant is dropped
 * (`dropped: constant in current selection`); a text level with one patient is warned about; non-numeric
 * values in a number column are an error with rows.
 */
export function validateCovariates(table: CohortTable, columns: readonly string[], mask?: Uint8Array): {usable: string[]; dropped: {column: string; reason: string}[]; problems: Problem[]} {
  const problems: Problem[] = [];
  const usable: string[] = [];
  const dropped: {column: string; reason: string}[] = [];
  for (const name of columns) {
    if (!table.has(name)) {
      problems.push(problem("error", "unknown-column", `covariate: no column ${quoteValue(name)}`, {column: name}));
      continue;
    }
    const c = table.column(name);
    const bad = new RowList();
    const counts = new Map<string, number>();
    let present = 0;
    for (let i = 0; i < c.length; ++i) {
      if (mask && !mask[i]) continue;
      if (c.missing[i]) continue;
      if (c.invalid?.[i]) {
        bad.add(i + 1, rawValue(c, i));
        continue;
      }
      ++present;
      const k = String(c.values[i]);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    if (bad.count) {
      problems.push(problem("error", "invalid-covariate", `${name}: ${formatCount(bad.count)} invalid value${bad.count === 1 ? "" : "s"} (${formatRows(bad.rows, bad.count)}: ${Array.from(bad.distinct).slice(0, 5).map((v) => quoteValue(v)).join(", ")})`, {column: name, rows: bad.rows, count: bad.count}));
      continue;
    }
    const reason = present === 0 ? "all values missing in current selection" : counts.size === 1 ? "constant in current selection" : null;
    if (reason) {
      dropped.push({column: name, reason});
      problems.push(problem("warning", "covariate-dropped", `${name}: dropped: ${reason}`, {column: name}));
      continue;
    }
    if (c.type === "string")
      for (const [level, k] of counts)
        if (k === 1) problems.push(problem("warning", "singleton-level", `${name}: level ${quoteValue(level)} has only 1 patient in the current selection`, {column: name, value: level}));
    usable.push(name);
  }
  return {usable, dropped, problems};
}

/**
 * The engine's input (src/survival SurvivalData) for a validated endpoint, with an optional grouping and
 * stratification column taken at the same rows: `kaplanMeier(survivalData(table, v.data!, {group: "age_le9"}))`.
 * Labels are text (numbers as String), missing labels null (the engine drops and counts those rows).
 */
export function survivalData(table: CohortTable, data: EndpointData, options: {group?: string; strata?: string} = {}): SurvivalData {
  const out: SurvivalData = {time: data.time, event: data.event};
  if (data.entry) out.entry = data.entry;
  if (data.weights) out.weights = data.weights;
  if (options.group !== undefined) out.group = labelsAt(table, options.group, data.rows);
  if (options.strata !== undefined) out.strata = labelsAt(table, options.strata, data.rows);
  return out;
}

/** Labels of a column at the given 0-based rows: text as written, numbers as String(x), dates as ISO; missing/invalid → null. */
export function labelsAt(table: CohortTable, column: string, rows: ArrayLike<number>): (string | null)[] {
  const c = table.column(column);
  const out = new Array<string | null>(rows.length);
  for (let j = 0; j < rows.length; ++j) {
    const i = rows[j];
    out[j] = isNA(c, i) ? null : c.type === "string" ? (c.values[i] as string) : c.type === "number" ? String(c.values[i]) : civilFromDays(c.values[i] as number);
  }
  return out;
}

/** Numbers of a number column at the given 0-based rows; NaN where missing or invalid (the engine's missing marker). */
export function numbersAt(table: CohortTable, column: string, rows: ArrayLike<number>): Float64Array {
  const c = table.column(column);
  if (c.type !== "number") throw new CohortError([problem("error", "not-numeric", `${column}: a number column is needed, but it is ${c.type === "date" ? "a date column" : "text"}`, {column})]);
  const out = new Float64Array(rows.length);
  for (let j = 0; j < rows.length; ++j) out[j] = isNA(c, rows[j]) ? NaN : c.values[rows[j]];
  return out;
}
