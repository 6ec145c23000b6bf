// The analysis spec: what is being analysed (dataset fingerprint, filters, endpoint, groups, horizon,
// confidence type, model covariates, column mapping), carried in the URL fragment so that a link reproduces
// an analysis. The fragment is parsed as data with URLSearchParams (no eval, no Function, no HTML), bounded
// at 2 KB, and every unknown or invalid part is reported and ignored while the rest applies.
//
// Fragment format (URLSearchParams, keys in this order; defaults omitted):
//   v=1 & data=<file name> & sha256=<64 hex, identifies the file> & endpoint=<os|efs|relapse|nrm|refractory>
//   & group=<column> & cut=<le|lt>:<point>,<point>… & strata=<column>… & horizon=<days> & conf=<log-log|log|plain|logit|arcsin>
//   & cov=<column>… & unit=<days|months|years> & test=<logrank|peto> & trend=<0|1> & ties=<efron|breslow>
//   & landmark=<days> & mask=<0…20> & cmp=<JSON [column, level, reference level]> & cmpEndpoint=<endpoint>
//   & map.time=<column> & map.event=… & map.start=… & map.id=… & map.weights=…
//   & f=<JSON [column, op, value]>…
// `cut` (optional) groups a numeric `group` column at cut points: `le:9` gives "≤ 9" and "> 9", `lt:180,365`
// gives "< 180", "180 to < 365" and "≥ 365".
// The page settings (unit … cmpEndpoint) are optional parts: absent (or null) means the page's default.
// Column names are checked against the loaded dataset's column set (a Set/Map, never `in` on an object);
// a text value with markup characters (a level such as "Early (< 180 days)") is accepted only when the
// loaded table holds exactly that value in the named column;
// a link that arrives before its file is decoded again when the file is loaded (unmatched columns are listed).

import {compileFilter, FILTER_OPS, type Filter, type FilterOp, type FilterScalar} from "./filters.js";
import {formatCount, problem, quoteValue, type Problem} from "./problems.js";
import {isNA, type CohortTable} from "./table.js";

/** Version of the fragment format (`v=1`). */
export const SPEC_VERSION = 1;
/** Longest fragment accepted (and produced), in characters. */
export const MAX_FRAGMENT_LENGTH = 2048;
/** Endpoints a link may name (overall survival, event-free survival, relapse, non-relapse mortality, refractory disease). */
export const ENDPOINTS = ["os", "efs", "relapse", "nrm", "refractory"] as const;
/** Confidence-interval transforms, as R survfit's `conf.type` (less "none"). */
export const CONF_TYPES = ["log-log", "log", "plain", "logit", "arcsin"] as const;
/** Endpoint roles a link may map to columns (`map.time=os_days`). */
export const MAPPING_ROLES = ["time", "event", "start", "id", "weights"] as const;
/** Time units a page may display (`unit=`). */
export const TIME_UNITS = ["days", "months", "years"] as const;
/** Two-sample tests of survival curves (`test=`): log-rank (rho = 0) or Peto–Peto (rho = 1). */
export const SURVIVAL_TESTS = ["logrank", "peto"] as const;
/** Cox partial-likelihood tie methods (`ties=`), as R coxph's `ties`. */
export const TIE_METHODS = ["efron", "breslow"] as const;
/** Largest landmark day a link may carry (`landmark=`, ten years). */
export const MAX_LANDMARK = 3650;
/** Largest small-cell threshold a link may carry (`mask=`). */
export const MAX_MASK = 20;
export type ConfType = (typeof CONF_TYPES)[number];
export type TimeUnit = (typeof TIME_UNITS)[number];
export type SurvivalTest = (typeof SURVIVAL_TESTS)[number];
export type TieMethod = (typeof TIE_METHODS)[number];
export type MappingRole = (typeof MAPPING_ROLES)[number];

export interface AnalysisSpec {
  v: 1;
  /** The dataset this spec was made on: SHA-256 of its bytes, and its file name ("" when unknown). */
  dataset: {name: string; fingerprint: string} | null;
  filters: Filter[];
  endpoint: string | null;
  /** Column whose levels give the compared curves. */
  groupBy: string | null;
  /**
   * Cut points that group a numeric `groupBy` column (optional; absent or null: no cut). `closed: "le"`
   * puts each point in the group below it (x ≤ c, R's `cut(right = TRUE)`), `"lt"` in the group above
   * (x < c, `right = FALSE`). Points strictly increasing, finite, at most 20.
   */
  cut?: SpecCut | null;
  /** Stratification columns (stratified log-rank / Cox). */
  strata: string[];
  /** Horizon for point estimates, in days. */
  horizon: number | null;
  confType: ConfType | null;
  /** Model covariates (column names). */
  covariates: string[];
  /** Which columns play the endpoint roles (fixed keys only). */
  mapping: Partial<Record<MappingRole, string>>;
  // Page settings (optional; absent or null: the page's default).
  /** Time axis and table unit (`unit=`). */
  unit?: TimeUnit | null;
  /** Test of the grouped survival curves (`test=`): log-rank or Peto–Peto. */
  test?: SurvivalTest | null;
  /** Test for trend across the groups in their order (`trend=1`). */
  trend?: boolean | null;
  /** Tie method of Cox models (`ties=`). */
  ties?: TieMethod | null;
  /** Landmark day (`landmark=`): finite, 0 < days ≤ {@link MAX_LANDMARK}. */
  landmark?: number | null;
  /** Small-cell threshold (`mask=`): counts from 1 to mask − 1 are masked; an integer 0–{@link MAX_MASK}, 0 = off. */
  mask?: number | null;
  /** A two-group comparison (`cmp=`): a column and two of its levels, `level` versus `reference`. */
  comparison?: SpecComparison | null;
  /** Endpoint of the comparison (`cmpEndpoint=`), one of the allowed endpoints. */
  comparisonEndpoint?: string | null;
}

/** Two levels of one column compared (see {@link AnalysisSpec.comparison}). */
export interface SpecComparison {
  column: string;
  level: FilterScalar;
  reference: FilterScalar;
}

/** Cut points of a numeric grouping column (see {@link AnalysisSpec.cut}). */
export interface SpecCut {
  points: number[];
  closed: "le" | "lt";
}

/** The spec with every part at its default (what a page shows without a fragment). */
export function emptySpec(): AnalysisSpec {
  return {v: 1, dataset: null, filters: [], endpoint: null, groupBy: null, strata: [], horizon: null, confType: null, covariates: [], mapping: {}};
}

const MAX_FILTERS = 20;
const MAX_LIST = 20;
const MAX_NAME = 256;
const MAX_HORIZON = 1e6;
// Markup or script in a free-text value: tags, quotes, backticks, javascript:/data: URLs, control characters.
// eslint-disable-next-line no-control-regex
const MARKUP = /[<>"'`\u0000-\u001f\u007f]|javascript:|data:|vbscript:/i;
const HEX64 = /^[0-9a-f]{64}$/;

/**
 * A fragment-derived string for a message: quoted and bounded, and never echoed when it holds markup or
 * script (messages are plain text, but a link's text is not repeated back to the user when it is hostile).
 */
function echo(text: string): string {
  return SCRIPTISH.test(text) ? "(a value containing markup, not shown)" : quoteValue(text);
}
// eslint-disable-next-line no-control-regex
const SCRIPTISH = /[<>`\u0000-\u001f\u007f]|javascript:|data:|vbscript:/i;

/**
 * Encode a spec as a URL fragment (without the leading `#`), in the format documented above. Throws a
 * RangeError when the result would exceed {@link MAX_FRAGMENT_LENGTH} (a link that cannot be read back is
 * never produced).
 * @example encodeSpec({...emptySpec(), endpoint: "os", horizon: 730.5}) // "v=1&endpoint=os&horizon=730.5"
 */
export function encodeSpec(spec: AnalysisSpec): string {
  const p = new URLSearchParams();
  p.append("v", String(SPEC_VERSION));
  if (spec.dataset) {
    if (spec.dataset.name !== "") p.append("data", spec.dataset.name);
    p.append("sha256", spec.dataset.fingerprint);
  }
  if (spec.endpoint !== null) p.append("endpoint", spec.endpoint);
  if (spec.groupBy !== null) p.append("group", spec.groupBy);
  if (spec.cut && spec.cut.points.length) p.append("cut", `${spec.cut.closed}:${spec.cut.points.map(String).join(",")}`);
  for (const s of spec.strata) p.append("strata", s);
  if (spec.horizon !== null) p.append("horizon", String(spec.horizon));
  if (spec.confType !== null) p.append("conf", spec.confType);
  for (const c of spec.covariates) p.append("cov", c);
  if (spec.unit != null) p.append("unit", spec.unit);
  if (spec.test != null) p.append("test", spec.test);
  if (spec.trend != null) p.append("trend", spec.trend ? "1" : "0");
  if (spec.ties != null) p.append("ties", spec.ties);
  if (spec.landmark != null) p.append("landmark", String(spec.landmark));
  if (spec.mask != null) p.append("mask", String(spec.mask));
  if (spec.comparison != null) p.append("cmp", JSON.stringify([spec.comparison.column, spec.comparison.level, spec.comparison.reference]));
  if (spec.comparisonEndpoint != null) p.append("cmpEndpoint", spec.comparisonEndpoint);
  for (const role of MAPPING_ROLES) {
    const col = spec.mapping[role];
    if (col !== undefined) p.append(`map.${role}`, col);
  }
  for (const f of spec.filters) p.append("f", JSON.stringify([f.column, f.op, f.value]));
  const s = p.toString();
  if (s.length > MAX_FRAGMENT_LENGTH) throw new RangeError(`the analysis settings need ${formatCount(s.length)} characters; a link holds at most ${formatCount(MAX_FRAGMENT_LENGTH)}`);
  return s;
}

export interface DecodeOptions {
  /** The loaded dataset's columns (names), or the table itself (then filter types are checked too). */
  columns?: Iterable<string> | CohortTable;
  /** The loaded dataset, to compare with the spec's fingerprint. */
  dataset?: {name: string; fingerprint: string | null};
  /** Allowed endpoint names (default {@link ENDPOINTS}). */
  endpoints?: readonly string[];
}

export interface DecodedSpec {
  /** The valid parts; everything else is at its default. */
  spec: AnalysisSpec;
  /** Every ignored or suspicious part, with a one-line message naming the setting. */
  problems: Problem[];
  /** Column names the link refers to that the loaded dataset does not have (kept out of `spec`). */
  unmatched: string[];
}

/**
 * Decode a URL fragment (with or without `#`) into a spec. Never throws and never evaluates anything: the
 * fragment is split by URLSearchParams and each filter by JSON.parse, then validated: unknown keys,
 * invalid values, non-finite numbers (1e309), markup or script strings, unknown columns and fragments
 * over 2 KB are reported and ignored; the rest applies.
 */
export function decodeSpec(fragment: string, options: DecodeOptions = {}): DecodedSpec {
  const spec = emptySpec();
  const problems: Problem[] = [];
  const unmatched: string[] = [];
  const note = (code: string, message: string, value?: string, severity: "warning" | "error" | "info" = "warning") =>
    problems.push(problem(severity, code, message, {value: value === undefined ? null : value.slice(0, 100)}));
  if (typeof fragment !== "string") {
    note("spec-invalid", "The link's settings are not text and were ignored");
    return {spec, problems, unmatched};
  }
  const text = fragment.startsWith("#") ? fragment.slice(1) : fragment;
  if (text.length > MAX_FRAGMENT_LENGTH) {
    note("spec-too-long", `The link's settings are ${formatCount(text.length)} characters long (limit ${formatCount(MAX_FRAGMENT_LENGTH)}) and were ignored`, undefined, "error");
    return {spec, problems, unmatched};
  }
  const table = options.columns && typeof (options.columns as CohortTable).has === "function" && "numRows" in (options.columns as object) ? (options.columns as CohortTable) : null;
  const columns: Set<string> | null = table ? new Set(table.names) : options.columns ? new Set(options.columns as Iterable<string>) : null;
  const endpoints = options.endpoints ?? ENDPOINTS;
  const params = new URLSearchParams(text);

  const seen = new Set<string>();
  const single = (key: string, value: string): boolean => {
    if (seen.has(key)) {
      note("spec-repeated", `Setting ${echo(key)} appears more than once; the first is used`, value);
      return false;
    }
    seen.add(key);
    return true;
  };
  // A column reference: bounded, present in the dataset (when known); markup only if it is a real column name.
  const column = (key: string, value: string): string | null => {
    if (value.length === 0 || value.length > MAX_NAME) {
      note("spec-invalid", `Setting ${echo(key)}: column name is empty or too long; ignored`, value);
      return null;
    }
    if (columns) {
      if (columns.has(value)) return value;
      if (MARKUP.test(value)) note("spec-markup", `Setting ${quoteValue(key)}: value contains markup or script and is not a column; ignored`, value);
      else {
        note("spec-unknown-column", `Setting ${quoteValue(key)}: no column ${quoteValue(value)} in this dataset; ignored`, value);
        if (!unmatched.includes(value)) unmatched.push(value);
      }
      return null;
    }
    if (MARKUP.test(value)) {
      note("spec-markup", `Setting ${quoteValue(key)}: value contains markup or script; ignored`, value);
      return null;
    }
    return value;
  };

  // A text value from the link: plain text, or (with the table known) exactly a value of that column.
  const valuesOf = new Map<string, Set<string>>();
  const inColumn = (col: string, value: string): boolean => {
    if (!table || !table.has(col)) return false;
    let set = valuesOf.get(col);
    if (!set) {
      set = new Set<string>();
      const c = table.column(col);
      if (c.type === "string") for (const v of c.values) if (v !== null) set.add(v);
      valuesOf.set(col, set);
    }
    return set.has(value);
  };
  // One of a fixed list of words; anything else is reported (a hostile value is not echoed).
  const choice = <T extends string>(key: string, value: string, allowed: readonly T[], what: string): T | null => {
    if ((allowed as readonly string[]).includes(value)) return value as T;
    note("spec-invalid", `Setting ${quoteValue(key)}: ${MARKUP.test(value) ? "value contains markup" : `unknown ${what} ${quoteValue(value)} (${allowed.join(", ")})`}; ignored`, value);
    return null;
  };

  for (const [key, value] of params) {
    switch (key) {
      case "v":
        if (single(key, value) && value !== "1") note("spec-version", `Unknown settings version ${echo(value)}; read as version 1`, value);
        break;
      case "data":
        if (!single(key, value)) break;
        if (value.length === 0 || value.length > 200 || MARKUP.test(value)) note("spec-markup", "Setting 'data': file name is empty, too long or contains markup; ignored", value);
        else spec.dataset = {name: value, fingerprint: spec.dataset?.fingerprint ?? ""};
        break;
      case "sha256":
        if (!single(key, value)) break;
        if (!HEX64.test(value)) note("spec-invalid", "Setting 'sha256': not a SHA-256 fingerprint (64 lowercase hex digits); ignored", value);
        else spec.dataset = {name: spec.dataset?.name ?? "", fingerprint: value};
        break;
      case "endpoint":
        if (!single(key, value)) break;
        if (endpoints.includes(value)) spec.endpoint = value;
        else note("spec-invalid", `Setting 'endpoint': ${MARKUP.test(value) ? "value contains markup" : `unknown endpoint ${quoteValue(value)} (${endpoints.join(", ")})`}; ignored`, value);
        break;
      case "group":
        if (single(key, value)) spec.groupBy = column(key, value);
        break;
      case "cut": {
        if (!single(key, value)) break;
        const c = parseCut(value);
        if (typeof c === "string") note("spec-invalid", `Setting 'cut': ${c}; ignored`, value);
        else spec.cut = c;
        break;
      }
      case "strata":
      case "cov": {
        const list = key === "strata" ? spec.strata : spec.covariates;
        if (list.length >= MAX_LIST) {
          note("spec-invalid", `Setting ${echo(key)}: more than ${MAX_LIST} columns; the rest are ignored`, value);
          break;
        }
        const c = column(key, value);
        if (c !== null && !list.includes(c)) list.push(c);
        break;
      }
      case "horizon": {
        if (!single(key, value)) break;
        const x = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(value) ? Number(value) : NaN;
        if (Number.isFinite(x) && x > 0 && x <= MAX_HORIZON) spec.horizon = x;
        else note("spec-invalid", `Setting 'horizon': ${echo(value)} is not a finite number of days in (0, ${formatCount(MAX_HORIZON)}]; ignored`, value);
        break;
      }
      case "conf":
        if (!single(key, value)) break;
        if ((CONF_TYPES as readonly string[]).includes(value)) spec.confType = value as ConfType;
        else note("spec-invalid", `Setting 'conf': unknown confidence interval type ${MARKUP.test(value) ? "(contains markup)" : quoteValue(value)} (${CONF_TYPES.join(", ")}); ignored`, value);
        break;
      case "f": {
        if (spec.filters.length >= MAX_FILTERS) {
          note("spec-invalid", `More than ${MAX_FILTERS} filters; the rest are ignored`, value);
          break;
        }
        const f = parseFilter(value, inColumn);
        if (typeof f === "string") {
          note("spec-invalid-filter", `Filter ${echo(value)}: ${f}; ignored`, value);
          break;
        }
        const col = column("f", f.column);
        if (col === null) break;
        if (table) {
          const compiled = compileFilter(table, f);
          if (compiled.problem) {
            note("spec-invalid-filter", `${compiled.problem.message[0].toUpperCase()}${compiled.problem.message.slice(1)}; ignored`, value);
            break;
          }
        }
        spec.filters.push(f);
        break;
      }
      case "unit":
        if (single(key, value)) {
          const x = choice(key, value, TIME_UNITS, "time unit");
          if (x !== null) spec.unit = x;
        }
        break;
      case "test":
        if (single(key, value)) {
          const x = choice(key, value, SURVIVAL_TESTS, "test");
          if (x !== null) spec.test = x;
        }
        break;
      case "trend":
        if (!single(key, value)) break;
        if (value === "0" || value === "1") spec.trend = value === "1";
        else note("spec-invalid", `Setting 'trend': ${echo(value)} is not 0 or 1; ignored`, value);
        break;
      case "ties":
        if (single(key, value)) {
          const x = choice(key, value, TIE_METHODS, "tie method");
          if (x !== null) spec.ties = x;
        }
        break;
      case "landmark": {
        if (!single(key, value)) break;
        const x = NUMBER.test(value) ? Number(value) : NaN;
        if (Number.isFinite(x) && x > 0 && x <= MAX_LANDMARK) spec.landmark = x;
        else note("spec-invalid", `Setting 'landmark': ${echo(value)} is not a finite number of days in (0, ${formatCount(MAX_LANDMARK)}]; ignored`, value);
        break;
      }
      case "mask": {
        if (!single(key, value)) break;
        const x = /^\d{1,2}$/.test(value) ? Number(value) : NaN;
        if (Number.isInteger(x) && x >= 0 && x <= MAX_MASK) spec.mask = x;
        else note("spec-invalid", `Setting 'mask': ${echo(value)} is not a whole number from 0 to ${MAX_MASK}; ignored`, value);
        break;
      }
      case "cmp": {
        if (!single(key, value)) break;
        const c = parseComparison(value, inColumn);
        if (typeof c === "string") {
          note("spec-invalid", `Setting 'cmp' ${echo(value)}: ${c}; ignored`, value);
          break;
        }
        const col = column(key, c.column);
        if (col === null) break;
        if (table) {
          const missing = [c.level, c.reference].filter((l) => !hasValue(table, col, l, inColumn));
          if (missing.length) {
            note("spec-invalid", `Setting 'cmp': ${missing.map((l) => echo(String(l))).join(" and ")} ${missing.length > 1 ? "are not values" : "is not a value"} of ${quoteValue(col)}; ignored`, value);
            break;
          }
        }
        spec.comparison = c;
        break;
      }
      case "cmpEndpoint":
        if (!single(key, value)) break;
        if (endpoints.includes(value)) spec.comparisonEndpoint = value;
        else note("spec-invalid", `Setting 'cmpEndpoint': ${MARKUP.test(value) ? "value contains markup" : `unknown endpoint ${quoteValue(value)} (${endpoints.join(", ")})`}; ignored`, value);
        break;
      default:
        if (key.startsWith("map.") && (MAPPING_ROLES as readonly string[]).includes(key.slice(4))) {
          if (!single(key, value)) break;
          const c = column(key, value);
          if (c !== null) spec.mapping[key.slice(4) as MappingRole] = c;
        } else note("spec-unknown-key", `Unknown setting ${echo(key)} ignored`, value);
    }
  }
  // Cut points need a numeric grouping column (checked when the table is known).
  if (spec.cut && (spec.groupBy === null || (table && table.column(spec.groupBy).type !== "number"))) {
    note("spec-invalid", `Setting 'cut': cut points need a numeric grouping column ('group'); ignored`);
    delete spec.cut;
  }
  // The fingerprint identifies the dataset; the name alone does not (it is only a label).
  if (spec.dataset && spec.dataset.fingerprint === "") {
    note("spec-invalid", "Setting 'data' has no valid 'sha256' fingerprint; the dataset reference is ignored");
    spec.dataset = null;
  }
  if (spec.dataset && options.dataset?.fingerprint && options.dataset.fingerprint !== spec.dataset.fingerprint)
    note(
      "spec-other-dataset",
      `This link was made for ${spec.dataset.name ? quoteValue(spec.dataset.name) : "another file"} (sha256 ${spec.dataset.fingerprint.slice(0, 12)}…), not the loaded ${quoteValue(options.dataset.name)} (sha256 ${options.dataset.fingerprint.slice(0, 12)}…); settings applied where the columns match`
    );
  return {spec, problems, unmatched};
}

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** Parse a `cut=` value: `le:` or `lt:` then strictly increasing finite numbers separated by commas. */
function parseCut(text: string): SpecCut | string {
  if (text.length > 400) return "too long";
  const m = /^(le|lt):(.+)$/.exec(text);
  if (!m) return `expected le:<points> or lt:<points>, got ${echo(text)}`;
  const parts = m[2].split(",");
  if (parts.length > MAX_LIST) return `more than ${MAX_LIST} cut points`;
  const points: number[] = [];
  for (const part of parts) {
    const x = NUMBER.test(part.trim()) ? Number(part) : NaN;
    if (!Number.isFinite(x)) return `${echo(part)} is not a finite number`;
    if (points.length && !(x > points[points.length - 1])) return "cut points must be strictly increasing";
    points.push(x);
  }
  return {points, closed: m[1] as "le" | "lt"};
}

/** Whether a column of the table holds a value (text compared exactly, numbers numerically, missing never). */
function hasValue(table: CohortTable, column: string, value: FilterScalar, inColumn: (column: string, value: string) => boolean): boolean {
  const c = table.column(column);
  if (c.type === "string") return typeof value === "string" && inColumn(column, value);
  if (c.type === "date" || typeof value !== "number") return false;
  for (let i = 0; i < c.length; ++i) if (c.values[i] === value && !isNA(c, i)) return true;
  return false;
}

/**
 * A text value of a link: bounded, and plain text unless `allowed(column, value)` (the loaded table holds
 * that exact value in the column).
 */
function textValue(column: string, v: unknown, allowed: (column: string, value: string) => boolean): v is string {
  return typeof v === "string" && v.length <= MAX_NAME && (!MARKUP.test(v) || allowed(column, v));
}

/** Parse a `cmp=` value: a JSON array [column, level, reference] of two different levels. */
function parseComparison(text: string, allowed: (column: string, value: string) => boolean): SpecComparison | string {
  if (text.length > 1000) return "too long";
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return "not a JSON array [column, level, reference]";
  }
  if (!Array.isArray(data) || data.length !== 3) return "not a JSON array [column, level, reference]";
  const [column, level, reference] = data as unknown[];
  if (typeof column !== "string") return "column must be text";
  const ok = (v: unknown): v is FilterScalar => (typeof v === "number" && Number.isFinite(v)) || textValue(column, v, allowed);
  if (!ok(level) || !ok(reference)) return "levels must be finite numbers or plain text";
  if (level === reference) return "the two levels must differ";
  return {column, level, reference};
}

/** Parse one `f=` value: a JSON array [column, op, value]; returns the filter or a reason it is invalid. */
function parseFilter(text: string, allowed: (column: string, value: string) => boolean = () => false): Filter | string {
  if (text.length > 1000) return "too long";
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return "not a JSON array [column, op, value]";
  }
  if (!Array.isArray(data) || data.length !== 3) return "not a JSON array [column, op, value]";
  const [column, op, value] = data as unknown[];
  if (typeof column !== "string") return "column must be text";
  if (typeof op !== "string" || !(FILTER_OPS as readonly string[]).includes(op)) return `unknown operator (use ${FILTER_OPS.join(" ")})`;
  const scalar = (v: unknown): v is FilterScalar => (typeof v === "number" && Number.isFinite(v)) || (typeof column === "string" && textValue(column, v, allowed));
  if (Array.isArray(value)) {
    if (op !== "in" && op !== "between") return `${op} needs a single value`;
    // An empty `in` list is a view of its own (every level of a factor unticked: no patients), kept so that
    // its link shows the same empty selection; filtering rows with it is refused by the data layer.
    if ((value.length === 0 && op !== "in") || value.length > 1000 || !value.every(scalar)) return "values must be finite numbers or plain text";
    return {column, op: op as FilterOp, value: value as FilterScalar[]};
  }
  if (op === "in" || op === "between") return `${op} needs an array of values`;
  if (!scalar(value)) return typeof value === "number" ? "value is not a finite number" : "value must be a finite number or plain text";
  return {column, op: op as FilterOp, value};
}
