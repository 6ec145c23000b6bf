// An R script (survival / cmprsk) that reproduces the view a page shows: the same cohort file, the same
// derived variables as src/study/cohort.ts, the panel's filters as R subset expressions, and the analysis
// calls the engine matches (survfit log-log CI, summary at the horizon, survdiff, cuminc + Gray, coxph
// with Efron or Breslow ties, cox.zph, crr). Pure text generation: no DOM, no I/O.
//
// Everything that comes from the data or the link (file name, column names, level labels, filter values)
// is written as an R string literal or a backtick-quoted name built by rString / rName, which escape
// backslashes, quotes and backticks and write every character outside printable ASCII as an escape
// (\u{…} in strings, UTF-8 \xhh bytes in names), so the script is plain ASCII and no value can end its
// literal, start a new line or a comment.
// Such text never goes into a comment.
import {DEFAULT_NA_TOKENS} from "../cohort/values.js";
import {DAYS_PER_UNIT} from "../cohort/derive.js";
import type {Filter, FilterScalar} from "../cohort/filters.js";
import type {CohortTable} from "../cohort/table.js";
import {STUDY_COLUMNS, STUDY_VARIABLES, type CodeMap, type CohortMapping, type TimeSource} from "./mapping.js";

/** The analyses a snippet can contain (each adds its R call, see {@link rSnippet}). */
export const R_ANALYSES = ["km", "logrank", "cif", "gray", "cox", "finegray", "zph"] as const;
export type RAnalysis = (typeof R_ANALYSES)[number];

/** A model covariate: a column name, or a column with the reference level of a categorical covariate. */
export type RCovariate = string | {column: string; reference?: string | number | null; type?: "numeric" | "categorical"};

/** What the view shows. */
export interface RSnippetSpec {
  /** The cohort file name the script reads with `read.csv` (next to the script, or a relative path). */
  fileName: string;
  /** The panel's filters (AND), as the data layer's structured filters. */
  filters?: readonly Filter[];
  /**
   * Endpoint: "os" (os_days, os_status), "efs"/"rfs" (event_days, any first event), "relapse" / "nrm" /
   * "refractory" (event_days, cause 1 / 2 / 3 of `event`, the others competing), "events" (all causes).
   * Default "os".
   */
  endpoint?: string | null;
  /** Column whose levels give the compared groups (curves, log-rank, Gray's test). */
  groupBy?: string | null;
  /** Stratification columns (stratified log-rank and Cox, Gray's test strata: the first one). */
  strata?: readonly string[] | null;
  /** Horizon for the point estimates, in days (default 730.5, two years). */
  horizon?: number | null;
  /** survfit's `conf.type` (default "log-log", the engine's default). */
  confType?: string | null;
  /** Model covariates for coxph / crr. */
  covariates?: readonly RCovariate[];
  /** coxph's `ties` (default "efron", as R and the engine). */
  ties?: "efron" | "breslow" | null;
  /** Which analyses to write (default ["km"]). */
  analyses?: readonly RAnalysis[];
  /** Columns holding ISO dates (their filters compare `as.Date` values). */
  dateColumns?: readonly string[];
  /** Missing-value tokens for read.csv (default: the data layer's, DEFAULT_NA_TOKENS). */
  naStrings?: readonly string[];
  /**
   * The user's own cohort mapped on the "Your data" page (see {@link rMapping}): the script first builds
   * the study's columns from the file's columns as applyMapping does. Null/absent: the file has the study's
   * columns (the script is then exactly as without this option).
   */
  mapping?: RMapping | null;
}

/** How the notebook read one of the file's columns (its type, and a date column's format such as `DD/MM/YYYY`). */
export interface RColumnInfo {
  type: "number" | "string" | "date";
  format?: string;
}

/** A cohort mapping for {@link rSnippet}, with how the notebook read the file's columns it uses (by the file's column name). */
export interface RMapping {
  mapping: CohortMapping;
  columns?: Readonly<Record<string, RColumnInfo>>;
}

/** Time and status columns of each endpoint, and the cause of interest (null: any event). */
const ENDPOINTS: Record<string, {time: string; event: string; cause: number | null; competing: boolean; label: string}> = {
  os: {time: "os_days", event: "os_status", cause: null, competing: false, label: "overall survival"},
  efs: {time: "event_days", event: "event", cause: null, competing: false, label: "event-free survival (any first event)"},
  rfs: {time: "event_days", event: "event", cause: null, competing: false, label: "relapse-free survival (any first event)"},
  events: {time: "event_days", event: "event", cause: null, competing: true, label: "first events after the second SCT (1 relapse, 2 NRM, 3 refractory)"},
  relapse: {time: "event_days", event: "event", cause: 1, competing: true, label: "relapse (cause 1; NRM and refractory compete)"},
  nrm: {time: "event_days", event: "event", cause: 2, competing: true, label: "non-relapse mortality (cause 2; relapse and refractory compete)"},
  refractory: {time: "event_days", event: "event", cause: 3, competing: true, label: "refractory disease (cause 3; relapse and NRM compete)"}
};

/** Endpoint names {@link rSnippet} accepts. */
export const R_ENDPOINTS = Object.keys(ENDPOINTS);

const CONF_TYPES = new Set(["log-log", "log", "plain", "logit", "arcsin", "none"]);

function escapeChars(text: string, quote: '"' | "`"): string {
  let out = "";
  for (const ch of String(text)) {
    let cp = ch.codePointAt(0)!;
    if (ch === "\\") out += "\\\\";
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    // R strings cannot hold NUL (and read.csv drops NULs from the file), so it is left out.
    else if (cp === 0) continue;
    else if (cp >= 0x20 && cp < 0x7f) out += ch;
    else {
      // Lone surrogates are not characters (R rejects them): written as U+FFFD, as a browser decodes them.
      if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
      if (quote === '"') out += cp <= 0xffff ? `\\u{${hex(cp)}}` : `\\U{${hex(cp)}}`;
      // R has no \u escapes inside backticks: the UTF-8 bytes as \x escapes (read.csv's names are UTF-8).
      else for (const b of new TextEncoder().encode(String.fromCodePoint(cp))) out += `\\x${b.toString(16).padStart(2, "0")}`;
    }
  }
  return out;
}

const hex = (cp: number) => cp.toString(16).toUpperCase();

/**
 * An R string literal holding `text` exactly: `"…"` with `\\`, `\"`, `\n`, `\r`, `\t` escaped and every
 * other character outside printable ASCII written as `\u{…}` / `\U{…}` (so the script is ASCII and the
 * value can never end the literal). NUL is left out (R strings cannot hold it).
 * @example rString('say "hi"') // "\"say \\\"hi\\\"\""
 */
export function rString(text: string): string {
  return `"${escapeChars(text, '"')}"`;
}

const RESERVED = new Set([
  "if", "else", "repeat", "while", "function", "for", "next", "break", "in",
  "TRUE", "FALSE", "NULL", "Inf", "NaN", "NA", "NA_integer_", "NA_real_", "NA_complex_", "NA_character_", "T", "F"
]);

/**
 * A column name as R code: bare when it is a syntactic R name (and not reserved, nor `T`/`F`), else
 * backtick-quoted with `\\` and `` \` `` escaped, control characters as `\n`/`\xhh` and non-ASCII characters
 * as their UTF-8 bytes `\xhh` (R allows no `\u` escape inside backticks; the script needs a UTF-8 locale,
 * as read.csv of a UTF-8 file does). Throws a RangeError for
 * an empty name (R has no zero-length names).
 */
export function rName(name: string): string {
  if (typeof name !== "string" || escapeChars(name, "`") === "") throw new RangeError("a column name must not be empty");
  if (/^(?:[A-Za-z]|\.(?![0-9]))[A-Za-z0-9._]*$/.test(name) && !RESERVED.has(name) && !/^\.\.(?:\.|\d+$)/.test(name)) return name;
  return `\`${escapeChars(name, "`")}\``;
}

/** A finite number as an R numeric literal (JavaScript's shortest round-trip form); throws otherwise. */
export function rNumber(x: number): string {
  if (typeof x !== "number" || !Number.isFinite(x)) throw new RangeError(`not a finite number: ${String(x)}`);
  return Object.is(x, -0) ? "0" : String(x);
}

function rScalar(v: FilterScalar, date: boolean): string {
  if (date) return `as.Date(${rString(String(v))})`;
  return typeof v === "number" ? rNumber(v) : rString(v);
}

/**
 * One filter as an R logical expression over the data frame's columns (for `subset`, which drops rows
 * where it is NA — as the data layer, where a missing value never matches). `in` → `%in%`, `between` →
 * `x >= lo & x <= hi` (inclusive). Date columns (or text values with an ordering operator) compare
 * `as.Date` values.
 */
export function rFilter(filter: Filter, options: {dateColumns?: readonly string[]} = {}): string {
  const {column, op, value} = filter;
  const values = (Array.isArray(value) ? value : [value]) as FilterScalar[];
  const ordering = op !== "==" && op !== "!=" && op !== "in";
  const date = (options.dateColumns ?? []).includes(column) || (ordering && values.some((v) => typeof v === "string"));
  const x = date ? `as.Date(${rName(column)})` : rName(column);
  switch (op) {
    case "==":
    case "!=":
    case "<":
    case "<=":
    case ">":
    case ">=":
      if (values.length !== 1) throw new RangeError(`filter ${op} needs one value`);
      return `${x} ${op} ${rScalar(values[0], date)}`;
    case "in":
      // No values: `x %in% c()` is FALSE for every row, as the data layer's empty list selects none.
      return `${x} %in% c(${values.map((v) => rScalar(v, date)).join(", ")})`;
    case "between":
      if (values.length !== 2) throw new RangeError("filter between needs [low, high]");
      return `${x} >= ${rScalar(values[0], date)} & ${x} <= ${rScalar(values[1], date)}`;
    default:
      throw new RangeError(`unknown filter operator ${String(op)}`);
  }
}

// ---- The user's own cohort: the mapping of the "Your data" page as R (as src/study/mapping.ts applyMapping) ----

/**
 * The {@link RMapping} of a mapped upload for {@link rSnippet}: the mapping and how the notebook read each
 * file column it uses, looked up in the page's (mapped) table — a file column the study renamed is found as
 * `<name>_original…` by its header. Null when there is no mapping (the published cohort).
 */
export function rMapping(table: CohortTable, mapping: CohortMapping | null | undefined): RMapping | null {
  if (!mapping) return null;
  const columns: Record<string, RColumnInfo> = {};
  const sources: string[] = [];
  for (const e of [mapping.os, mapping.events]) if (e) sources.push(...(e.time.kind === "duration" ? [e.time.column] : [e.time.start, e.time.end]), e.status.column);
  for (const c of mapping.covariates) sources.push(c.column);
  for (const name of sources) {
    const moved = table.names.find((n) => (n === `${name}_original` || n.startsWith(`${name}_original_`)) && table.column(n).header === name);
    const key = moved ?? (table.has(name) ? name : null);
    if (key === null) continue;
    const c = table.column(key);
    columns[name] = c.type === "date" ? {type: "date", format: c.format} : {type: c.type};
  }
  return {mapping, columns};
}

/** The R equivalents of a date format of the data layer (YYYY, MM/M, DD/D and separators): a strict pattern and `format=`; null if unsupported. */
export function rDateFormat(format: string): {pattern: string; format: string} | null {
  if (format === "iso") format = "YYYY-MM-DD";
  let pattern = "^";
  let out = "";
  const order: string[] = [];
  let rest = format;
  while (rest.length) {
    const m = /^(YYYY|MM|M|DD|D)/.exec(rest);
    if (m) {
      const tok = m[1];
      order.push(tok[0]);
      pattern += tok === "YYYY" ? "[0-9]{4}" : tok.length === 2 ? "[0-9]{2}" : "[0-9]{1,2}";
      out += tok[0] === "Y" ? "%Y" : tok[0] === "M" ? "%m" : "%d";
      rest = rest.slice(tok.length);
    } else {
      const ch = rest[0];
      if (/[A-Za-z0-9]/.test(ch)) return null;
      pattern += `\\${ch}`;
      out += ch === "%" ? "%%" : ch;
      rest = rest.slice(1);
    }
  }
  if (order.length !== 3 || new Set(order).size !== 3) return null;
  return {pattern: pattern + "$", format: out};
}

/** A code's text can be an R string literal holding exactly the same characters (no NUL, no lone surrogate). */
function exactInR(text: string): boolean {
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp === 0 || (cp >= 0xd800 && cp <= 0xdfff)) return false;
  }
  return true;
}

/** Days per `unit` of a mapped duration, as an R number (the factor applyMapping uses). */
function unitFactor(unit: string): string {
  if (!Object.prototype.hasOwnProperty.call(DAYS_PER_UNIT, unit)) throw new RangeError("unknown unit in the mapping (use days, weeks, months, years)");
  return rNumber(DAYS_PER_UNIT[unit as keyof typeof DAYS_PER_UNIT]);
}

/** The R lines that build the study's columns from a mapped file, and the columns read.csv must keep as text. */
export function rMappingCode(m: RMapping): {lines: string[]; asText: string[]} {
  const {mapping} = m;
  const info = (column: string): RColumnInfo | null => m.columns?.[column] ?? null;
  const asText = new Set<string>();
  const lines: string[] = [];
  const helpers: string[] = [];
  const notes: string[] = [];
  const out = (...l: string[]) => lines.push(...l);
  const col = (name: string) => `d[[${rString(name)}]]`;
  const shared = new Set<string>();

  const dateOf = (column: string): string => {
    asText.add(column);
    const i = info(column);
    let fmt = i?.type === "date" && i.format ? i.format : null;
    if (fmt === null) {
      notes.push("# Note: how the notebook read a date column is not known here: it is read as YYYY-MM-DD.");
      fmt = "YYYY-MM-DD";
    }
    const r = rDateFormat(fmt);
    if (!r) {
      notes.push("# Note: a date format could not be written for R: those dates are left missing (NOT as in the notebook).");
      return `as.Date(rep(NA_character_, nrow(d)))`;
    }
    if (!helpers.length)
      helpers.push(
        "# Dates as the notebook reads them: blanks around the value ignored, then exactly the format (else missing)",
        ".as_date <- function(x, pattern, format) {",
        '  x <- gsub("^[\\\\s\\\\p{Zs}\\u{FEFF}\\u{2028}\\u{2029}]+|[\\\\s\\\\p{Zs}\\u{FEFF}\\u{2028}\\u{2029}]+$", "", as.character(x), perl = TRUE)',
        "  x[!grepl(pattern, x, perl = TRUE)] <- NA",
        "  as.Date(x, format = format)",
        "}"
      );
    return `.as_date(${col(column)}, ${rString(r.pattern)}, ${rString(r.format)})`;
  };

  const time = (target: string, t: TimeSource) => {
    if (t.kind === "dates") {
      out(`# ${target}: days from the start date to the end date`, `mapped$${target} <- as.numeric(${dateOf(t.end)} - ${dateOf(t.start)})`);
      return;
    }
    if (t.unit === "days") {
      if (t.column === target) shared.add(target);
      out(`# ${target}: the duration column, in days`, `mapped$${target} <- as.numeric(${col(t.column)})`);
    } else out(`# ${target}: the duration column in ${t.unit}, as days (x ${unitFactor(t.unit)})`, `mapped$${target} <- as.numeric(${col(t.column)}) * ${unitFactor(t.unit)}`);
  };

  const status = (target: string, map: CodeMap, kind: "os" | "events") => {
    // The codes as applyMapping keeps them: a valid cause 0-6 (OS: any k >= 1 is death), the last one for a repeated code.
    const codes = new Map<string, number>();
    for (const [code, k] of map.codes) if (Number.isInteger(k) && k >= 0 && k <= 6) codes.set(code, kind === "os" ? (k > 0 ? 1 : 0) : k);
    const what = kind === "os" ? "0 = alive / censored, 1 = dead" : "0 = censored, 1 relapse, 2 NRM, 3 refractory, 4+ other";
    const type = info(map.column)?.type ?? null;
    const byText = [...codes].filter(([code]) => exactInR(code));
    if (byText.length < codes.size && type !== "number")
      notes.push(`# Note: ${codes.size - byText.length === 1 ? "a code" : "some codes"} of the ${target} column cannot be written exactly in R (a NUL or an unpaired surrogate): such rows are missing here, NOT as in the notebook.`);
    const byValue = [...codes].filter(([code]) => String(Number(code)) === code && Number.isFinite(Number(code)));
    const lookup = (values: string[], ks: number[], x: string) =>
      ks.length ? `c(${ks.map(rNumber).join(", ")})[match(${x}, c(${values.join(", ")}))]` : "rep(NA_real_, nrow(d))";
    const textLookup = lookup(byText.map(([c]) => rString(c)), byText.map(([, k]) => k), col(map.column));
    const valueLookup = lookup(byValue.map(([c]) => rNumber(Number(c))), byValue.map(([, k]) => k), `as.numeric(${col(map.column)})`);
    if (type === "number" && byValue.some(([c]) => !Number.isInteger(Number(c))))
      notes.push(`# Note: the ${target} column has codes with decimals, matched by value as R reads them (R's reading of a decimal can differ from the notebook's in the last binary digit).`);
    out(`# ${target} (${what}) from the codes chosen for each value; any other value is missing`);
    if (type === "number") out(`mapped$${target} <- ${valueLookup}`);
    else if (type === "string") {
      asText.add(map.column);
      out(`mapped$${target} <- ${textLookup}`);
    } else {
      notes.push(`# Note: how the notebook read the ${target} column is not known here: its codes are matched by value if R reads numbers, else by text.`);
      out(`mapped$${target} <- if (is.numeric(${col(map.column)})) ${valueLookup} else ${textLookup}`);
    }
  };

  out("# Your columns mapped to the study's variables, as the notebook's Your data page maps them", "mapped <- list()");
  if (mapping.os) {
    time("os_days", mapping.os.time);
    status("os_status", mapping.os.status, "os");
  }
  if (mapping.events) {
    time("event_days", mapping.events.time);
    status("event", mapping.events.status, "events");
  }
  const done = new Set<string>();
  for (const cov of mapping.covariates) {
    const def = STUDY_VARIABLES.find((v) => v.name === cov.target);
    if (!def || done.has(def.name)) continue;
    done.add(def.name);
    const type = info(cov.column)?.type ?? null;
    if (def.kind === "text") {
      // A text variable is the cell's text as written (numbers and dates too).
      if (cov.column === def.name && (type === "string" || type === null)) shared.add(def.name);
      asText.add(cov.column);
      out(`# ${def.name}: the column's text`, `mapped$${def.name} <- ${col(cov.column)}`);
    } else if (def.unit && cov.unit && cov.unit !== def.unit) {
      out(
        `# ${def.name}: the column in ${cov.unit}, as ${def.unit}`,
        `mapped$${def.name} <- as.numeric(${col(cov.column)}) * (${unitFactor(cov.unit)} / ${unitFactor(def.unit)})`
      );
    } else {
      if (cov.column === def.name) shared.add(def.name);
      out(`# ${def.name}: the column as it is`, `mapped$${def.name} <- as.numeric(${col(cov.column)})`);
    }
  }
  out(
    "# The file's own columns named like a study variable are kept as <name>_original",
    `study_names <- c(${[...STUDY_COLUMNS].map(rString).join(", ")})`,
    `for (n in setdiff(intersect(names(d), study_names), ${shared.size ? `c(${[...shared].map(rString).join(", ")})` : "character()"})) {`,
    '  alt <- paste0(n, "_original")',
    '  k <- 2',
    '  while (alt %in% names(d) || alt %in% study_names) {',
    '    alt <- paste0(n, "_original_", k)',
    "    k <- k + 1",
    "  }",
    "  names(d)[names(d) == n] <- alt",
    "}",
    "d[names(mapped)] <- mapped"
  );
  return {lines: [...notes, ...helpers, ...(notes.length || helpers.length ? [""] : []), ...lines], asText: [...asText]};
}

/**
 * The study's derived variables as R assignments on `d`, exactly as src/study/cohort.ts derives them
 * (deriveStudyVariables): only those the view uses, each with the source column it needs.
 */
const DERIVED: Record<string, {source: string; code: string}> = {
  age_group: {source: "age", code: `d$age_group <- ifelse(d$age <= 9, ${rString("≤ 9 years")}, ${rString("> 9 years")})`},
  relapse_timing: {
    source: "interval_days",
    code: `d$relapse_timing <- ifelse(d$interval_days >= 180, ${rString("Late (≥ 180 days)")}, ${rString("Early (< 180 days)")})`
  },
  agvhd_any: {
    source: "agvhd_grade",
    code: `d$agvhd_any <- ifelse(d$agvhd_grade == 0, "No", ifelse(d$agvhd_grade %in% 1:4, "Yes", as.character(d$agvhd_grade)))`
  },
  era: {
    source: "year_sct2",
    code: `d$era <- as.character(cut(d$year_sct2, c(-Inf, 1999, 2004, Inf), labels = c(${rString("≤ 1999")}, ${rString("2000–2004")}, ${rString("≥ 2005")})))`
  },
  ph: {source: "ph_positive", code: `d$ph <- ifelse(d$ph_positive == 1, "Ph+", ifelse(d$ph_positive == 0, ${rString("Ph−")}, as.character(d$ph_positive)))`},
  tbi_label: {source: "tbi", code: `d$tbi_label <- ifelse(d$tbi == 1, "TBI", ifelse(d$tbi == 0, "No TBI", as.character(d$tbi)))`}
};

/** Names of the derived study variables {@link rSnippet} knows how to write. */
export const R_DERIVED_VARIABLES = Object.keys(DERIVED);

function covariateOf(c: RCovariate): {column: string; reference: string | null; type: "numeric" | "categorical" | null} {
  if (typeof c === "string") return {column: c, reference: null, type: null};
  return {column: c.column, reference: c.reference === undefined || c.reference === null ? null : String(c.reference), type: c.type ?? null};
}

/**
 * An R script reproducing the view: `library(survival)` (and `cmprsk` when needed), `read.csv` of the
 * cohort file (names kept, the data layer's missing-value tokens), the derived variables the view uses,
 * the filters as one `subset`, then for each requested analysis:
 * - "km": `fit <- survfit(Surv(time, status) ~ group, conf.type)` and `summary(fit, times = horizon, extend = TRUE)`;
 * - "logrank": `lr <- survdiff(Surv(…) ~ group [+ strata(…)])` (needs `groupBy`);
 * - "cif": `ci <- cuminc(time, event, group, [strata,] cencode = 0)` and `timepoints(ci, horizon)`;
 * - "gray": `ci$Tests`, Gray's test per cause (needs `groupBy`);
 * - "cox": `cox <- coxph(Surv(…) ~ covariates [+ strata(…)], ties = "efron")` (needs covariates; `ties`
 *   "breslow" writes `ties = "breslow"`);
 * - "zph": `zph <- cox.zph(cox)` (transform "km", as coxZph's default);
 * - "finegray": `fg <- crr(time, event, cov1 = model.matrix(…), failcode = cause, cencode = 0)` on the
 *   complete cases (needs covariates and a cause: endpoint relapse, nrm or refractory).
 * The status is `event != 0` (any cause is an event, as the engine), or `event == k` for a cause-specific
 * endpoint (other causes censored). Categorical covariates with a reference get `relevel`. The objects
 * keep these names (`d`, `fit`, `lr`, `ci`, `cox`, `zph`, `fg`) so the script can be extended. An analysis
 * the view cannot run (e.g. log-rank without groups) is written as a comment saying why. Throws a
 * RangeError for an unknown endpoint or analysis, a non-finite horizon, an unknown tie method, or an
 * invalid filter shape.
 */
export function rSnippet(spec: RSnippetSpec): string {
  const endpointName = spec.endpoint ?? "os";
  const ep = ENDPOINTS[endpointName];
  if (!Object.prototype.hasOwnProperty.call(ENDPOINTS, endpointName) || !ep) throw new RangeError(`unknown endpoint (use ${R_ENDPOINTS.join(", ")})`);
  const analyses = spec.analyses ?? ["km"];
  for (const a of analyses) if (!(R_ANALYSES as readonly string[]).includes(a)) throw new RangeError(`unknown analysis (use ${R_ANALYSES.join(", ")})`);
  const want = new Set<RAnalysis>(analyses);
  if (want.has("zph")) want.add("cox");
  if (want.has("gray")) want.add("cif");
  const horizon = spec.horizon ?? 730.5;
  rNumber(horizon);
  const confType = spec.confType ?? "log-log";
  if (!CONF_TYPES.has(confType)) throw new RangeError("unknown confidence interval type");
  const ties = spec.ties ?? "efron";
  if (ties !== "efron" && ties !== "breslow") throw new RangeError("unknown tie method (use efron, breslow)");
  const filters = spec.filters ?? [];
  const groupBy = spec.groupBy ?? null;
  const strata = (spec.strata ?? []).filter((s) => s !== groupBy);
  const covariates = (spec.covariates ?? []).map(covariateOf);

  const lines: string[] = [];
  const out = (...l: string[]) => lines.push(...l);
  const needsCmprsk = want.has("cif") || want.has("finegray");
  out(
    "# R code reproducing this view of the notebook (survival / cmprsk).",
    "# Put the cohort file next to this script (or change the path below), then run: Rscript <this file>",
    "library(survival)"
  );
  if (needsCmprsk) out("library(cmprsk)");
  const mapped = spec.mapping ? rMappingCode(spec.mapping) : null;
  const naLine = `  na.strings = c(${(spec.naStrings ?? DEFAULT_NA_TOKENS).map(rString).join(", ")})`;
  out(
    "",
    "# The cohort, read as the notebook reads it (column names kept, the same missing-value tokens)",
    `d <- read.csv(${rString(spec.fileName)}, check.names = FALSE, fileEncoding = "UTF-8-BOM",`
  );
  if (mapped?.asText.length) out(`${naLine},`, `  colClasses = c(${mapped.asText.map((c) => `${rString(c)} = "character"`).join(", ")}))`);
  else out(`${naLine})`);
  if (mapped) out("", ...mapped.lines);

  // Derived variables the view refers to.
  const used = new Set<string>([...filters.map((f) => f.column), ...(groupBy ? [groupBy] : []), ...strata, ...covariates.map((c) => c.column)]);
  const derived = R_DERIVED_VARIABLES.filter((name) => used.has(name));
  if (derived.length) {
    out("", "# Derived variables, as the notebook derives them (missing stays missing)");
    for (const name of derived) out(DERIVED[name].code);
  }

  if (filters.length) {
    out("", "# The filters of the view (a row with a missing value never matches)");
    const parts = filters.map((f) => rFilter(f, {dateColumns: spec.dateColumns}));
    out(`d <- subset(d, ${parts.map((p) => (filters.length > 1 ? `(${p})` : p)).join(" &\n  ")})`);
  }
  out(`cat("Patients selected:", nrow(d), "\\n")`);

  const time = rName(ep.time);
  const event = rName(ep.event);
  const status = ep.cause === null ? `${event} != 0` : `${event} == ${ep.cause}`;
  const surv = `Surv(${time}, ${status})`;
  // survfit and survdiff (survival 3.5-3) fail on non-syntactic names in the formula ("undefined columns
  // selected"), so such a grouping or strata column is copied under a short syntactic name first.
  const aliases: string[] = [];
  const formulaName = (column: string, alias: string): string => {
    const name = rName(column);
    if (name === column) return name;
    aliases.push(`d$${alias} <- d[[${rString(column)}]]`);
    return alias;
  };
  const g = groupBy ? formulaName(groupBy, ".group") : null;
  const strataTerms = strata.map((s, k) => ` + strata(${formulaName(s, `.strata${k + 1}`)})`).join("");
  if (aliases.length && (want.has("km") || want.has("logrank") || want.has("cox")))
    out("", "# The grouping columns under syntactic names (survfit and survdiff need them)", ...aliases);
  out("", `horizon <- ${rNumber(horizon)}  # days`, `# Endpoint: ${ep.label}`);

  if (want.has("km")) {
    out(
      "",
      "# Kaplan-Meier estimate with pointwise confidence intervals, and its value at the horizon",
      `fit <- survfit(${surv} ~ ${g ?? "1"}, data = d, conf.type = ${rString(confType)})`,
      "print(fit)",
      "print(summary(fit, times = horizon, extend = TRUE))"
    );
  }
  if (want.has("logrank")) {
    out("");
    if (g) out("# Log-rank test" + (strata.length ? " (stratified)" : ""), `lr <- survdiff(${surv} ~ ${g}${strataTerms}, data = d)`, "print(lr)");
    else out("# Log-rank test: not written, the view has no grouping variable");
  }
  if (want.has("cif")) {
    out("", "# Cumulative incidence of each cause (Aalen-Johansen), competing risks; 0 = censored");
    const ciArgs = [`d[[${rString(ep.time)}]]`, `d[[${rString(ep.event)}]]`];
    if (g) ciArgs.push(`group = d[[${rString(groupBy!)}]]`);
    if (strata.length) ciArgs.push(`strata = d[[${rString(strata[0])}]]`);
    out(`ci <- cuminc(${ciArgs.join(", ")}, cencode = 0)`, "print(timepoints(ci, times = horizon))");
    if (want.has("gray")) {
      if (g) out("# Gray's test per cause", "print(ci$Tests)");
      else out("# Gray's test: not written, the view has no grouping variable");
    }
  }
  if (want.has("cox") || want.has("finegray")) {
    const categorical = covariates.filter((c) => c.reference !== null || c.type === "categorical");
    if (categorical.length) {
      out("", "# Categorical covariates as factors, with the view's reference levels");
      for (const c of categorical) {
        const col = `d[[${rString(c.column)}]]`;
        out(c.reference !== null ? `${col} <- relevel(factor(${col}), ref = ${rString(c.reference)})` : `${col} <- factor(${col})`);
      }
    }
  }
  const rhs = covariates.map((c) => rName(c.column)).join(" + ");
  if (want.has("cox")) {
    out("");
    if (covariates.length) {
      out(
        `# Cox proportional hazards model (${ties === "efron" ? "Efron" : "Breslow"} ties)` + (ep.cause !== null ? ", cause-specific: other causes censored" : ""),
        `cox <- coxph(${surv} ~ ${rhs}${strataTerms}, data = d, ties = ${rString(ties)})`,
        "print(summary(cox))"
      );
      if (want.has("zph")) out("# Proportional-hazards check (scaled Schoenfeld residuals, KM time transform)", "zph <- cox.zph(cox)", "print(zph)");
    } else out("# Cox model: not written, the view has no covariates");
  }
  if (want.has("finegray")) {
    out("");
    if (!covariates.length) out("# Fine-Gray model: not written, the view has no covariates");
    else if (ep.cause === null) out("# Fine-Gray model: not written, the endpoint has no cause of interest (choose relapse, nrm or refractory)");
    else {
      const vars = [ep.time, ep.event, ...covariates.map((c) => c.column)];
      out(
        "# Fine-Gray subdistribution hazards model on the complete cases",
        `dd <- d[complete.cases(d[, c(${vars.map(rString).join(", ")})]), , drop = FALSE]`,
        `X <- model.matrix(~ ${rhs}, data = dd)[, -1, drop = FALSE]`,
        `fg <- crr(dd[[${rString(ep.time)}]], dd[[${rString(ep.event)}]], cov1 = X, failcode = ${ep.cause}, cencode = 0)`,
        "print(summary(fg))"
      );
    }
  }
  return lines.join("\n") + "\n";
}
