// A researcher's own cohort mapped onto the study's variables: which column is the overall-survival time
// and status (and which status code means censored), which is the first-event time and event column (and
// which code is censored, relapse, non-relapse mortality, refractory disease or another cause), or which
// two date columns bound a time; and which columns are the covariates the study's derived factors use
// (age, interval to relapse, …). The mapping is data about columns — never the data — so it can travel in
// a link. Pure: no DOM, no I/O.
//
// applyMapping builds, from the file's own columns, the columns every analysis page reads (os_days,
// os_status, event_days, event coded 0 = censored / 1 relapse / 2 NRM / 3 refractory / 4+ other, and the
// covariates under the study's names); the file's columns are kept (renamed `<name>_original` when their
// name is one the study derives) so that filters and links can still name them.
import {DAYS_PER_UNIT, durationBetween, type DurationUnit} from "../cohort/derive.js";
import {CohortError, RowList, formatCount, formatRows, hasErrors, problem, quoteValue, type Problem} from "../cohort/problems.js";
import {validateEndpoint} from "../cohort/schema.js";
import {isNA, rawValue, CohortTable, type Column, type NumberColumn, type StringColumn} from "../cohort/table.js";
import type {MappingRole} from "../cohort/spec.js";

/** Version of the mapping format. */
export const MAPPING_VERSION = 1;

export const DURATION_UNITS: readonly DurationUnit[] = ["days", "weeks", "months", "years"];

/** A follow-up time: a duration column in a unit (converted to days), or two date columns (end − start, in days). */
export type TimeSource = {kind: "duration"; column: string; unit: DurationUnit} | {kind: "dates"; start: string; end: string};

/**
 * A status or event column and what each of its values means: `[code, k]` pairs, code as text (numbers as
 * written by `String`, e.g. "1"), k = 0 censored, k ≥ 1 the cause (overall survival: any k ≥ 1 is death).
 */
export interface CodeMap {
  column: string;
  codes: [string, number][];
}

export interface EndpointMapping {
  time: TimeSource;
  status: CodeMap;
}

/** A covariate: the file's column that plays one of the study's variables. */
export interface CovariateMapping {
  target: StudyVariableName;
  column: string;
  /** Unit of the file's column for variables with a unit (age: years; interval_days: days). */
  unit?: DurationUnit;
}

export interface CohortMapping {
  v: 1;
  /** Overall survival (→ os_days, os_status 0/1). */
  os: EndpointMapping | null;
  /** First event after the second SCT (→ event_days, event 0/1/2/3/4+). */
  events: EndpointMapping | null;
  covariates: CovariateMapping[];
  /** Patient id (duplicate check only). */
  id: string | null;
}

/** Causes of the first event, as the study numbers them (CAUSE_LABELS in kato2012.ts); 4+ are other causes. */
export const EVENT_CAUSES: readonly {k: number; label: string}[] = [
  {k: 0, label: "censored (no event)"},
  {k: 1, label: "relapse"},
  {k: 2, label: "non-relapse mortality"},
  {k: 3, label: "refractory / never in CR"},
  {k: 4, label: "other cause 4"},
  {k: 5, label: "other cause 5"},
  {k: 6, label: "other cause 6"}
];
export const OS_CODES: readonly {k: number; label: string}[] = [
  {k: 0, label: "alive / censored"},
  {k: 1, label: "dead"}
];
const MAX_CAUSE = 6;

export type StudyVariableName =
  | "age"
  | "interval_days"
  | "agvhd_grade"
  | "year_sct2"
  | "ph_positive"
  | "tbi"
  | "sex"
  | "immunophenotype"
  | "status_sct2"
  | "conditioning"
  | "donor_sct2"
  | "source_sct2";

/** The study's covariates a file can supply, with the type the derived factors need. */
export const STUDY_VARIABLES: readonly {name: StudyVariableName; label: string; kind: "number" | "text" | "indicator"; unit?: DurationUnit; hint: string}[] = [
  {name: "age", label: "Age at second SCT", kind: "number", unit: "years", hint: "gives the factor age ≤ 9 / > 9 years"},
  {name: "interval_days", label: "First SCT → relapse", kind: "number", unit: "days", hint: "gives the factor late (≥ 180 days) / early relapse"},
  {name: "agvhd_grade", label: "Acute GVHD grade (0–4)", kind: "number", hint: "gives acute GVHD yes/no"},
  {name: "year_sct2", label: "Year of second SCT", kind: "number", hint: "gives the era ≤ 1999 / 2000–2004 / ≥ 2005"},
  {name: "ph_positive", label: "Philadelphia chromosome (0/1)", kind: "indicator", hint: "1 = Ph+, 0 = Ph−"},
  {name: "tbi", label: "Total-body irradiation (0/1)", kind: "indicator", hint: "1 = TBI, 0 = no TBI"},
  {name: "sex", label: "Sex", kind: "text", hint: "any labels"},
  {name: "immunophenotype", label: "Immunophenotype", kind: "text", hint: "any labels"},
  {name: "status_sct2", label: "Disease status at second SCT", kind: "text", hint: "labels CR / non-CR are ordered as in the paper"},
  {name: "conditioning", label: "Conditioning", kind: "text", hint: "labels MAC / RIC are ordered as in the paper"},
  {name: "donor_sct2", label: "Donor (second SCT)", kind: "text", hint: "any labels"},
  {name: "source_sct2", label: "Stem-cell source (second SCT)", kind: "text", hint: "any labels"}
];
const VARIABLE = new Map(STUDY_VARIABLES.map((v) => [v.name, v]));

/** Names the study layer writes (endpoints, covariates, derived factors): a file's own column with one of these names is kept as `<name>_original`. */
export const STUDY_COLUMNS: ReadonlySet<string> = new Set([
  "os_days",
  "os_status",
  "event_days",
  "event",
  ...STUDY_VARIABLES.map((v) => v.name),
  "age_le9",
  "age_group",
  "late_relapse",
  "relapse_timing",
  "agvhd_any",
  "era",
  "ph",
  "tbi_label"
]);

/** A mapping with nothing chosen. */
export function emptyMapping(): CohortMapping {
  return {v: 1, os: null, events: null, covariates: [], id: null};
}

/** The text key of a cell for code mapping: a number as `String(x)`, text as written; null when missing or invalid. */
export function codeKey(column: Column, i: number): string | null {
  if (isNA(column, i)) return null;
  return column.type === "string" ? (column.values[i] as string) : column.type === "number" ? String(column.values[i]) : rawValue(column, i);
}

/** Distinct present codes of a column with their counts, numbers ascending else text order; null when there are more than `max`. */
export function distinctCodes(table: CohortTable, column: string, max = 30): {code: string; count: number}[] | null {
  if (!table.has(column)) return [];
  const c = table.column(column);
  // Numbers are counted by value (no string per row) and named by String(x), as codeKey does.
  const counts = new Map<string | number, number>();
  const numeric = c.type === "number";
  for (let i = 0; i < c.length; ++i) {
    if (isNA(c, i)) continue;
    const k = numeric ? (c.values[i] as number) : codeKey(c, i)!;
    const n = counts.get(k);
    if (n === undefined) {
      if (counts.size >= max) return null;
      counts.set(k, 1);
    } else counts.set(k, n + 1);
  }
  return Array.from(counts, ([code, count]) => ({code: String(code), count})).sort((a, b) => (numeric ? +a.code - +b.code : a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

/** Guess the meaning of a status code (for a first suggestion; the user confirms): null when unsure. */
function guessCode(code: string, kind: "os" | "events", numeric: boolean, codes: readonly string[]): number | null {
  const lc = code.trim().toLowerCase();
  if (numeric) {
    const x = Number(code);
    if (kind === "os") return codes.every((c) => c === "0" || c === "1") ? x : null;
    return codes.includes("0") && Number.isInteger(x) && x >= 0 && x <= MAX_CAUSE ? x : null;
  }
  if (/^(alive|censored?|no|none|no event|living|false|lost)$/.test(lc)) return 0;
  if (kind === "os" && /^(dead|death|died|deceased|yes|true)$/.test(lc)) return 1;
  if (kind === "events") {
    if (/^relapse[ds]?$/.test(lc)) return 1;
    if (/^(nrm|non-relapse mortality|trm|death in remission|death without relapse)$/.test(lc)) return 2;
    if (/^(refractory|never in cr|no cr)$/.test(lc)) return 3;
  }
  return null;
}

function codeMapFor(table: CohortTable, column: string, kind: "os" | "events"): CodeMap {
  const list = distinctCodes(table, column) ?? [];
  const numeric = table.column(column).type === "number";
  const codes: [string, number][] = [];
  for (const {code} of list) {
    const k = guessCode(code, kind, numeric, list.map((c) => c.code));
    if (k !== null) codes.push([code, k]);
  }
  return {column, codes};
}

const lower = (s: string) => s.trim().toLowerCase();

/**
 * A first mapping to confirm: the study's own column names when present (os_days/os_status,
 * event_days/event, age, …), else time/status pairs found by name; numeric 0/1 (and 0/1/2/3 for events)
 * codes kept as they are, common words (alive, dead, relapse, NRM) recognised; anything unsure left unmapped.
 */
export function suggestMapping(table: CohortTable): CohortMapping {
  const m = emptyMapping();
  const byLower = new Map<string, string>();
  for (const n of table.names) if (!byLower.has(lower(n))) byLower.set(lower(n), n);
  const find = (...names: string[]) => names.map((n) => byLower.get(n)).find((n) => n !== undefined) ?? null;
  const numberCol = (n: string | null) => (n !== null && table.column(n).type === "number" ? n : null);
  const osTime = numberCol(find("os_days", "os_time", "survival_days", "futime", "time", "os"));
  const osStatus = find("os_status", "os_event", "vital_status", "dead", "death", "status");
  if (osTime && osStatus && osStatus !== osTime) m.os = {time: {kind: "duration", column: osTime, unit: /month/i.test(osTime) ? "months" : /year/i.test(osTime) ? "years" : "days"}, status: codeMapFor(table, osStatus, "os")};
  const evTime = numberCol(find("event_days", "event_time", "efs_days", "efs_time", "ftime", "etime"));
  const evCol = find("event", "first_event", "cause", "fstatus", "efs_event");
  if (evTime && evCol && evCol !== evTime && evCol !== osStatus) m.events = {time: {kind: "duration", column: evTime, unit: /month/i.test(evTime) ? "months" : /year/i.test(evTime) ? "years" : "days"}, status: codeMapFor(table, evCol, "events")};
  for (const v of STUDY_VARIABLES) {
    const col = find(v.name);
    if (col === null) continue;
    const t = table.column(col).type;
    if (v.kind !== "text" && t !== "number") continue;
    m.covariates.push(v.unit ? {target: v.name, column: col, unit: v.unit} : {target: v.name, column: col});
  }
  m.id = find("id", "patient_id", "pid", "subject_id");
  return m;
}

/** Columns of the file a mapping uses (for checks and the summary). */
export function mappedColumns(mapping: CohortMapping): string[] {
  const out: string[] = [];
  const time = (t: TimeSource) => (t.kind === "duration" ? [t.column] : [t.start, t.end]);
  for (const e of [mapping.os, mapping.events]) if (e) out.push(...time(e.time), e.status.column);
  for (const c of mapping.covariates) out.push(c.column);
  if (mapping.id) out.push(mapping.id);
  return Array.from(new Set(out));
}

/**
 * The part of a mapping the analysis spec (and so every page's link) carries: the overall-survival time
 * column (or end date), its status column, the start date, the id. (Codes and covariates are in the
 * upload page's link and with the stored cohort.)
 */
export function specMapping(mapping: CohortMapping): Partial<Record<MappingRole, string>> {
  const out: Partial<Record<MappingRole, string>> = {};
  const e = mapping.os ?? mapping.events;
  if (e) {
    if (e.time.kind === "duration") out.time = e.time.column;
    else {
      out.time = e.time.end;
      out.start = e.time.start;
    }
    out.event = e.status.column;
  }
  if (mapping.id) out.id = mapping.id;
  return out;
}

function numberColumn(name: string, label: string, values: Float64Array, missing: Uint8Array, codeLabels?: ReadonlyMap<number, string>): NumberColumn {
  let missingCount = 0;
  for (let i = 0; i < missing.length; ++i) missingCount += missing[i];
  const c: NumberColumn = {type: "number", name, header: name, length: values.length, values, missing, missingCount, invalid: null, invalidCount: 0, raw: null, label};
  return codeLabels ? {...c, codeLabels} : c;
}

/** A column under another name, sharing its values (and its original text, when the reader kept it as offsets). */
function renamed(column: Column, name: string, label?: string): Column {
  const descriptors = Object.getOwnPropertyDescriptors(column);
  const copy = Object.create(Object.getPrototypeOf(column), descriptors) as Column;
  Object.defineProperty(copy, "name", {value: name, enumerable: true});
  if (label !== undefined) Object.defineProperty(copy, "label", {value: label, enumerable: true});
  return copy;
}

function timeColumn(table: CohortTable, source: TimeSource, name: string, problems: Problem[]): NumberColumn | null {
  if (source.kind === "dates") {
    for (const c of [source.start, source.end]) if (!table.has(c)) return problems.push(problem("error", "unknown-column", `${name}: no column ${quoteValue(c)}`, {column: c})), null;
    try {
      const r = durationBetween(table, source.start, source.end, {unit: "days", name});
      problems.push(...r.problems);
      const c = r.table.column(name) as NumberColumn;
      return {...c, header: name};
    } catch (e) {
      if (e instanceof CohortError) problems.push(...e.problems);
      else throw e;
      return null;
    }
  }
  if (!table.has(source.column)) return problems.push(problem("error", "unknown-column", `${name}: no column ${quoteValue(source.column)}`, {column: source.column})), null;
  const c = table.column(source.column);
  if (c.type !== "number") {
    problems.push(problem("error", "not-numeric", `${name}: ${source.column} must be a number column (a duration), but it is ${c.type === "date" ? "a date column — map start and end dates instead" : "text"}`, {column: source.column}));
    return null;
  }
  if (!DURATION_UNITS.includes(source.unit)) return problems.push(problem("error", "unit", `${name}: unknown unit ${quoteValue(source.unit)}`, {column: source.column})), null;
  const per = DAYS_PER_UNIT[source.unit];
  // Already in days and every present value a number: the file's column is the study's column.
  if (per === 1 && c.invalidCount === 0) return renamed(c, name, `${source.column} (days)`) as NumberColumn;
  const n = c.length;
  const values = new Float64Array(n);
  const missing = new Uint8Array(n);
  const bad = new RowList();
  for (let i = 0; i < n; ++i) {
    if (c.missing[i]) {
      missing[i] = 1;
      values[i] = NaN;
    } else if (c.invalid?.[i]) {
      missing[i] = 1;
      values[i] = NaN;
      bad.add(i + 1, rawValue(c, i));
    } else values[i] = c.values[i] * per;
  }
  if (bad.count)
    problems.push(problem("error", "invalid-time", `${source.column}: ${formatCount(bad.count)} value${bad.count === 1 ? " is" : "s are"} not numbers (${formatRows(bad.rows, bad.count)}; first: ${quoteValue(bad.firstValue)})`, {column: source.column, row: bad.rows[0], value: bad.firstValue, rows: bad.rows, count: bad.count}));
  return numberColumn(name, source.unit === "days" ? `${source.column} (days)` : `${source.column} in ${source.unit}, as days (× ${per})`, values, missing);
}

function statusColumn(table: CohortTable, map: CodeMap, name: string, kind: "os" | "events", problems: Problem[]): NumberColumn | null {
  if (!table.has(map.column)) return problems.push(problem("error", "unknown-column", `${name}: no column ${quoteValue(map.column)}`, {column: map.column})), null;
  const c = table.column(map.column);
  if (c.type === "date") return problems.push(problem("error", "not-status", `${map.column}: a date column cannot be a status`, {column: map.column})), null;
  const codes = new Map<string, number>();
  for (const [code, k] of map.codes) {
    if (!Number.isInteger(k) || k < 0 || k > MAX_CAUSE) {
      problems.push(problem("error", "cause", `${map.column}: code ${quoteValue(code)} is given cause ${quoteValue(String(k))} (0 = censored, 1–${MAX_CAUSE})`, {column: map.column, value: code}));
      continue;
    }
    codes.set(code, kind === "os" ? (k > 0 ? 1 : 0) : k);
  }
  // Number columns are looked up by value (String(x) is the code's text for every finite x).
  const byValue = new Map<number, number>();
  if (c.type === "number") for (const [code, k] of codes) if (String(Number(code)) === code) byValue.set(Number(code), k);
  const n = c.length;
  const values = new Float64Array(n);
  const missing = new Uint8Array(n);
  const unmapped = new RowList();
  for (let i = 0; i < n; ++i) {
    const key = c.type === "number" ? null : codeKey(c, i);
    const k = c.type === "number" ? (isNA(c, i) ? undefined : byValue.get(c.values[i] as number)) : key === null ? undefined : codes.get(key);
    if (k === undefined) {
      missing[i] = 1;
      values[i] = NaN;
      if (!c.missing[i]) unmapped.add(i + 1, key ?? rawValue(c, i));
    } else values[i] = k;
  }
  if (unmapped.count) {
    const values = Array.from(unmapped.distinct);
    problems.push(
      problem("error", "unmapped-code", `${map.column}: ${formatCount(unmapped.count)} value${unmapped.count === 1 ? " has" : "s have"} no meaning chosen (${values.slice(0, 5).map((v) => quoteValue(v)).join(", ")}${values.length > 5 ? ", …" : ""}; ${formatRows(unmapped.rows, unmapped.count)}) — say what each value means`, {
        column: map.column,
        row: unmapped.rows[0],
        value: unmapped.firstValue,
        rows: unmapped.rows,
        count: unmapped.count,
        values
      })
    );
  }
  const labels = kind === "os" ? new Map([[0, "censored"], [1, "dead"]]) : new Map(EVENT_CAUSES.map((c) => [c.k, c.label]));
  return numberColumn(name, `${map.column} coded ${map.codes.map(([code, k]) => `${code} → ${k}`).join(", ")}`, values, missing, labels);
}

function covariateColumn(table: CohortTable, cov: CovariateMapping, problems: Problem[]): Column | null {
  const def = VARIABLE.get(cov.target);
  if (!def) return problems.push(problem("error", "unknown-variable", `No study variable ${quoteValue(cov.target)}`, {value: cov.target})), null;
  if (!table.has(cov.column)) return problems.push(problem("error", "unknown-column", `${def.name}: no column ${quoteValue(cov.column)}`, {column: cov.column})), null;
  const c = table.column(cov.column);
  const label = `${def.label} (from ${cov.column})`;
  if (def.kind === "text") {
    if (c.type === "string") return renamed(c, def.name, label);
    const n = c.length;
    const values = new Array<string | null>(n);
    const missing = new Uint8Array(n);
    let mc = 0;
    for (let i = 0; i < n; ++i) {
      if (isNA(c, i)) {
        values[i] = null;
        missing[i] = 1;
        ++mc;
      } else values[i] = rawValue(c, i);
    }
    const col: StringColumn = {type: "string", name: def.name, header: def.name, length: n, values, missing, missingCount: mc, invalid: null, invalidCount: 0, raw: null, label};
    return col;
  }
  if (c.type !== "number") {
    problems.push(problem("error", "not-numeric", `${def.name}: ${cov.column} must be a number column (${def.hint}), but it is ${c.type === "date" ? "a date column" : "text"}`, {column: cov.column}));
    return null;
  }
  if (def.kind === "indicator") {
    const bad = new RowList();
    for (let i = 0; i < c.length; ++i) if (!isNA(c, i) && c.values[i] !== 0 && c.values[i] !== 1) bad.add(i + 1, rawValue(c, i));
    if (bad.count) {
      problems.push(problem("error", "not-indicator", `${def.name}: ${cov.column} must be 0 or 1 (${def.hint}); ${formatCount(bad.count)} other value${bad.count === 1 ? "" : "s"} (${formatRows(bad.rows, bad.count)}; first: ${quoteValue(bad.firstValue)})`, {column: cov.column, row: bad.rows[0], value: bad.firstValue, rows: bad.rows, count: bad.count}));
      return null;
    }
  }
  if (def.unit && cov.unit && cov.unit !== def.unit) {
    if (!DURATION_UNITS.includes(cov.unit)) return problems.push(problem("error", "unit", `${def.name}: unknown unit ${quoteValue(cov.unit)}`, {column: cov.column})), null;
    const f = DAYS_PER_UNIT[cov.unit] / DAYS_PER_UNIT[def.unit];
    const n = c.length;
    const values = new Float64Array(n);
    const missing = new Uint8Array(n);
    for (let i = 0; i < n; ++i) {
      if (isNA(c, i)) {
        missing[i] = 1;
        values[i] = NaN;
      } else values[i] = c.values[i] * f;
    }
    return numberColumn(def.name, `${def.label} (from ${cov.column} in ${cov.unit}, as ${def.unit})`, values, missing);
  }
  return renamed(c, def.name, label);
}

export interface MappedCohort {
  /** The file's table with the study's columns added; null when the mapping has an error. */
  table: CohortTable | null;
  problems: Problem[];
  /** Counts for the summary: rows, OS deaths, first events by cause (cause 0 = censored). */
  summary: {rows: number; osRows: number; deaths: number; eventRows: number; causes: {k: number; count: number}[]};
}

/**
 * Apply a mapping to a table read by the data layer. Returns a new table: the file's columns (a column
 * whose name the study uses itself, and is not the mapped source, is kept as `<name>_original`), then the
 * endpoint columns (os_days, os_status, event_days, event; times in days) and the covariates under the
 * study's names. Both endpoints are then validated on every row (validateEndpoint: negative times, codes,
 * duplicate ids …) and every problem has its column, rows and values. Never throws for bad data.
 */
export function applyMapping(table: CohortTable, mapping: CohortMapping): MappedCohort {
  const problems: Problem[] = [];
  const summary: MappedCohort["summary"] = {rows: table.numRows, osRows: 0, deaths: 0, eventRows: 0, causes: []};
  const fail = (): MappedCohort => ({table: null, problems, summary});
  if (!mapping || mapping.v !== 1) {
    problems.push(problem("error", "mapping-version", "The column mapping is not in a known format"));
    return fail();
  }
  if (!mapping.os && !mapping.events) {
    problems.push(problem("error", "no-endpoint", "Map at least one endpoint: overall survival (time and status) or the first event (time and event)"));
    return fail();
  }
  for (const [key, title] of [["os", "Overall survival"], ["events", "First event"]] as const) {
    const e = mapping[key];
    if (!e) continue;
    const t = e.time;
    if (t.kind === "duration" ? !t.column : !t.start || !t.end) problems.push(problem("error", "incomplete", `${title}: choose ${t.kind === "duration" ? "the time column" : "both the start and the end date column"}`));
    if (!e.status.column) problems.push(problem("error", "incomplete", `${title}: choose the ${key === "os" ? "status" : "event"} column and say what each of its values means`));
  }
  if (hasErrors(problems)) return fail();
  const added: Column[] = [];
  if (mapping.os) {
    const t = timeColumn(table, mapping.os.time, "os_days", problems);
    const s = statusColumn(table, mapping.os.status, "os_status", "os", problems);
    if (t && s) added.push(t, s);
  }
  if (mapping.events) {
    const t = timeColumn(table, mapping.events.time, "event_days", problems);
    const s = statusColumn(table, mapping.events.status, "event", "events", problems);
    if (t && s) added.push(t, s);
  }
  const targets = new Set<string>();
  for (const cov of mapping.covariates) {
    if (targets.has(cov.target)) {
      problems.push(problem("error", "duplicate-target", `${cov.target} is mapped twice; keep one column for it`, {value: cov.target}));
      continue;
    }
    targets.add(cov.target);
    const c = covariateColumn(table, cov, problems);
    if (c) added.push(c);
  }
  if (mapping.id !== null && !table.has(mapping.id)) problems.push(problem("error", "unknown-column", `id: no column ${quoteValue(mapping.id)}`, {column: mapping.id}));
  if (hasErrors(problems)) return fail();

  // The file's columns, moved out of the way of the names the study writes.
  const addedNames = new Set(added.map((c) => c.name));
  const taken = new Set(table.names);
  const own: Column[] = [];
  const addedByName = new Map(added.map((c) => [c.name, c]));
  for (const name of table.names) {
    const c = table.column(name);
    if (!STUDY_COLUMNS.has(name) && !addedNames.has(name)) {
      own.push(c);
      continue;
    }
    // A column mapped to its own name unchanged (age → age) is simply the study's column.
    if (addedByName.get(name)?.values === c.values) continue;
    let alt = `${name}_original`;
    for (let k = 2; taken.has(alt) || STUDY_COLUMNS.has(alt); ++k) alt = `${name}_original_${k}`;
    taken.add(alt);
    own.push(renamed(c, alt));
  }
  const moved = own.filter((c) => !table.has(c.name));
  if (moved.length)
    problems.push(
      problem("info", "renamed", `Kept under new names because the study uses the names itself: ${moved.map((c) => `${quoteValue(c.header)} → ${quoteValue(c.name)}`).slice(0, 8).join(", ")}${moved.length > 8 ? ", …" : ""}`)
    );
  const out = new CohortTable([...own, ...added], table.source, table.numRows);

  for (const [key, def] of [["os", {time: "os_days", event: "os_status"}], ["events", {time: "event_days", event: "event"}]] as const) {
    if (!mapping[key]) continue;
    const v = validateEndpoint(out, {...def, censorCode: 0, eventCodes: key === "os" ? [1] : [1, 2, 3, 4, 5, 6], id: mapping.id ?? undefined});
    const source = mapping[key]!;
    const sourceTime = source.time.kind === "duration" ? source.time.column : `${source.time.end} − ${source.time.start}`;
    // Name the file's columns in the messages, not only the study's.
    for (const p of v.problems) {
      const msg = p.message.replace(new RegExp(`^${def.time}:`), `${def.time} (from ${sourceTime}):`).replace(new RegExp(`^${def.event}:`), `${def.event} (from ${source.status.column}):`);
      problems.push({...p, message: msg});
    }
    if (!v.data) continue;
    if (key === "os") {
      summary.osRows = v.data.rows.length;
      for (const e of v.data.event) summary.deaths += e > 0 ? 1 : 0;
    } else {
      summary.eventRows = v.data.rows.length;
      const counts = new Map<number, number>();
      // eventCodes [1 … 6] make the engine's cause k the study's code k.
      for (let j = 0; j < v.data.event.length; ++j) counts.set(v.data.event[j], (counts.get(v.data.event[j]) ?? 0) + 1);
      summary.causes = Array.from(counts, ([k, count]) => ({k, count})).sort((a, b) => a.k - b.k);
      const present = new Set(summary.causes.map((c) => c.k));
      const missingCause = [1, 2, 3].filter((k) => !present.has(k) && [...present].some((p) => p > k));
      if (missingCause.length)
        problems.push(problem("warning", "cause-gap", `No first events of cause ${missingCause.join(", ")} (${missingCause.map((k) => EVENT_CAUSES[k].label).join(", ")}) while a later cause has events: competing-risk pages number causes by those present, so check their labels`));
    }
  }
  if (hasErrors(problems)) return fail();
  return {table: out, problems, summary};
}

// ---- The mapping in a link (the upload page's fragment) ----

const MAX_MAPPING_TEXT = 2048;
const MAX_CODE = 200;
const MAX_CODES = 30;

/**
 * The mapping as URLSearchParams text (the upload page's fragment; no data, only column names and codes):
 * `os.time=<col>&os.unit=days` or `os.start=<col>&os.end=<col>`, `os.status=<col>`, `os.code=<k>:<code>`…,
 * the same with `ev.` for the first event, `cov.<variable>=<col>` (`cov.<variable>.unit=`), `id=<col>`.
 * Throws a RangeError when longer than 2 KB.
 */
export function encodeMapping(mapping: CohortMapping): string {
  const p = new URLSearchParams();
  p.append("mv", "1");
  for (const [prefix, e] of [["os", mapping.os], ["ev", mapping.events]] as const) {
    if (!e) continue;
    if (e.time.kind === "duration") {
      p.append(`${prefix}.time`, e.time.column);
      p.append(`${prefix}.unit`, e.time.unit);
    } else {
      p.append(`${prefix}.start`, e.time.start);
      p.append(`${prefix}.end`, e.time.end);
    }
    p.append(`${prefix}.status`, e.status.column);
    for (const [code, k] of e.status.codes) p.append(`${prefix}.code`, `${k}:${code}`);
  }
  for (const c of mapping.covariates) {
    p.append(`cov.${c.target}`, c.column);
    if (c.unit) p.append(`cov.${c.target}.unit`, c.unit);
  }
  if (mapping.id !== null) p.append("id", mapping.id);
  const s = p.toString();
  if (s.length > MAX_MAPPING_TEXT) throw new RangeError(`the column mapping needs ${formatCount(s.length)} characters; a link holds at most ${formatCount(MAX_MAPPING_TEXT)}`);
  return s;
}

/**
 * Read a mapping from link text (see {@link encodeMapping}). Never throws or evaluates anything: unknown
 * keys, columns not in `columns`, unknown units or variables, malformed codes and text over 2 KB are
 * reported and ignored, the rest applies. Returns null as the mapping when the text has no mapping at all.
 */
export function decodeMapping(text: string, columns: Iterable<string>): {mapping: CohortMapping | null; problems: Problem[]} {
  const problems: Problem[] = [];
  const note = (message: string, value?: string) => problems.push(problem("warning", "mapping-link", message, {value: value === undefined ? null : value.slice(0, 100)}));
  if (typeof text !== "string") return {mapping: null, problems};
  const raw = text.startsWith("#") ? text.slice(1) : text;
  if (raw.length > MAX_MAPPING_TEXT) {
    note(`The link's column mapping is ${formatCount(raw.length)} characters long (limit ${formatCount(MAX_MAPPING_TEXT)}) and was ignored`);
    return {mapping: null, problems};
  }
  const params = new URLSearchParams(raw);
  if (!params.has("mv")) return {mapping: null, problems};
  const cols = new Set(columns);
  const m = emptyMapping();
  const col = (key: string, value: string): string | null => {
    if (cols.has(value)) return value;
    note(`Mapping setting ${quoteValue(key)}: no column of that name in this file; ignored`, value);
    return null;
  };
  const parts: Record<"os" | "ev", {time?: string; unit?: string; start?: string; end?: string; status?: string; codes: [string, number][]}> = {os: {codes: []}, ev: {codes: []}};
  const covs = new Map<string, {column?: string; unit?: string}>();
  for (const [key, value] of params) {
    const mm = /^(os|ev)\.(time|unit|start|end|status|code)$/.exec(key);
    if (key === "sha256" || key === "data") {
      // The dataset the link was made on (compared by the page, not part of the mapping).
    } else if (key === "mv") {
      if (value !== "1") note(`Unknown mapping version ${quoteValue(value)}; read as version 1`, value);
    } else if (mm) {
      const part = parts[mm[1] as "os" | "ev"];
      const field = mm[2];
      if (field === "unit") {
        if ((DURATION_UNITS as readonly string[]).includes(value)) part.unit = value;
        else note(`Mapping setting ${quoteValue(key)}: unknown unit; ignored`, value);
      } else if (field === "code") {
        const c = /^(\d{1,2}):([\s\S]*)$/.exec(value);
        if (!c || +c[1] > MAX_CAUSE || c[2].length > MAX_CODE || part.codes.length >= MAX_CODES) note(`Mapping setting ${quoteValue(key)}: not <cause 0–${MAX_CAUSE}>:<code>; ignored`, value);
        else if (!part.codes.some(([code]) => code === c[2])) part.codes.push([c[2], +c[1]]);
      } else {
        const c = col(key, value);
        if (c !== null) part[field as "time" | "start" | "end" | "status"] = c;
      }
    } else if (key === "id") {
      m.id = col(key, value);
    } else if (key.startsWith("cov.")) {
      const [, target, unit] = /^cov\.([a-z0-9_]+)(\.unit)?$/.exec(key) ?? [];
      if (!target || !VARIABLE.has(target as StudyVariableName)) {
        note(`Unknown study variable in the mapping (${quoteValue(key)}); ignored`, value);
        continue;
      }
      const entry = covs.get(target) ?? {};
      if (unit) {
        if ((DURATION_UNITS as readonly string[]).includes(value)) entry.unit = value;
        else note(`Mapping setting ${quoteValue(key)}: unknown unit; ignored`, value);
      } else {
        const c = col(key, value);
        if (c !== null) entry.column = c;
      }
      covs.set(target, entry);
    } else note(`Unknown mapping setting ${quoteValue(key.slice(0, 40))} ignored`, value);
  }
  for (const prefix of ["os", "ev"] as const) {
    const p = parts[prefix];
    const time: TimeSource | null = p.time ? {kind: "duration", column: p.time, unit: (p.unit ?? "days") as DurationUnit} : p.start && p.end ? {kind: "dates", start: p.start, end: p.end} : null;
    if (time && p.status) m[prefix === "os" ? "os" : "events"] = {time, status: {column: p.status, codes: p.codes}};
  }
  for (const [target, e] of covs) if (e.column) m.covariates.push(e.unit ? {target: target as StudyVariableName, column: e.column, unit: e.unit as DurationUnit} : {target: target as StudyVariableName, column: e.column});
  return {mapping: m, problems};
}

/** Check that a value read back from storage is a mapping (shape only; applyMapping checks it against the data). */
export function isCohortMapping(x: unknown): x is CohortMapping {
  if (!x || typeof x !== "object") return false;
  const m = x as Record<string, unknown>;
  const str = (v: unknown) => typeof v === "string";
  const time = (t: unknown) => !!t && typeof t === "object" && (((t as TimeSource).kind === "duration" && str((t as {column: unknown}).column) && DURATION_UNITS.includes((t as {unit: DurationUnit}).unit)) || ((t as TimeSource).kind === "dates" && str((t as {start: unknown}).start) && str((t as {end: unknown}).end)));
  const endpoint = (e: unknown) => e === null || (!!e && typeof e === "object" && time((e as EndpointMapping).time) && !!(e as EndpointMapping).status && str((e as EndpointMapping).status.column) && Array.isArray((e as EndpointMapping).status.codes) && (e as EndpointMapping).status.codes.every((c) => Array.isArray(c) && str(c[0]) && Number.isInteger(c[1])));
  return (
    m.v === 1 &&
    endpoint(m.os) &&
    endpoint(m.events) &&
    Array.isArray(m.covariates) &&
    (m.covariates as unknown[]).every((c) => !!c && typeof c === "object" && VARIABLE.has((c as CovariateMapping).target) && str((c as CovariateMapping).column)) &&
    (m.id === null || str(m.id))
  );
}
