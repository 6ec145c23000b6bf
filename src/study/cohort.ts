// The study cohort as the pages use it: the file read by the data layer, the derived variables of the
// paper (age ≤ 9, late relapse ≥ 180 days, acute GVHD, era), and the definitions of the factors a
// researcher can filter and stratify by. Pure (no DOM): pages pass the bytes in.
import {cut, deriveAgeLe9, deriveLateRelapse} from "../cohort/derive.js";
import {filterMask, type Filter} from "../cohort/filters.js";
import type {Problem} from "../cohort/problems.js";
import {readTable, type LoadReport} from "../cohort/readTable.js";
import {isNA, type CohortTable, type Column, type StringColumn} from "../cohort/table.js";
import {rememberTextCodes, textEncoding} from "../workers/transfer.js";

/** A factor: a column whose levels define groups (curves, table columns, filter checkboxes). */
export interface Factor {
  /** Column in the prepared table. */
  column: string;
  label: string;
  /** Levels in display order (favourable first where the paper names one). */
  levels: string[];
}

/** A numeric range filter. */
export interface RangeVariable {
  column: string;
  label: string;
  unit: string;
  step: number;
}

export interface StudyCohort {
  table: CohortTable;
  report: LoadReport;
  factors: Factor[];
  ranges: RangeVariable[];
}

/** Turn a 0/1 indicator or a coded column into a text column with readable levels (missing stays missing). */
function labelled(table: CohortTable, source: string, name: string, label: string, labels: ReadonlyMap<number | string, string>, forTransfer = false): CohortTable {
  const src = table.column(source);
  const n = table.numRows;
  const values = new Array<string | null>(n);
  const missing = new Uint8Array(n);
  let missingCount = 0;
  const srcMissing = src.missing;
  const srcInvalid = src.invalid;
  const srcValues = src.values as ArrayLike<number | string | null>;
  // Codes are a few small integers: each one's label is looked up once, then read from an array. The
  // labels' dictionary codes come out of the same pass (the parse worker sends them instead of the text).
  const dict: string[] = [];
  const dictIndex = new Map<string, number>();
  const codes = new Int32Array(n);
  const indexOf = (label: string): number => {
    let k = dictIndex.get(label);
    if (k === undefined) dictIndex.set(label, (k = dict.push(label) - 1));
    return k;
  };
  const byCode: number[] = [];
  for (let i = 0; i < n; ++i) {
    if (srcMissing[i] === 1 || (srcInvalid !== null && srcInvalid[i] === 1)) {
      values[i] = null;
      missing[i] = 1;
      ++missingCount;
      codes[i] = -1;
      continue;
    }
    const v = srcValues[i] as number | string;
    const k = typeof v === "number" && v >= 0 && v < 256 && Number.isInteger(v) ? (byCode[v] ??= indexOf(labels.get(v) ?? String(v))) : indexOf(labels.get(v) ?? String(v));
    values[i] = dict[k];
    codes[i] = k;
  }
  if (forTransfer) rememberTextCodes(values, {dict, codes});
  const col: StringColumn = {type: "string", name, header: name, length: n, values, missing, missingCount, invalid: null, invalidCount: 0, raw: null, label, levels: Array.from(new Set(labels.values()))};
  return table.withColumn(col);
}

/**
 * Levels present in a text column, in the column's declared order, else sorted. With `forTransfer` (the parse
 * worker) a text column's levels are read from its transfer encoding (src/workers/transfer.ts textEncoding),
 * which is then sent as it is: one pass over the column for both.
 */
export function levelsOf(table: CohortTable, column: string, options: {forTransfer?: boolean} = {}): string[] {
  const c = table.column(column);
  const present = new Set<string>();
  const encoded = options.forTransfer && c.type === "string" ? textEncoding(c.values) : null;
  if (encoded && "codes" in encoded) {
    const {dict, codes} = encoded;
    const seen = new Uint8Array(dict.length);
    for (let i = 0; i < codes.length; ++i) if (codes[i] >= 0 && !isNA(c, i)) seen[codes[i]] = 1;
    for (let k = 0; k < dict.length; ++k) if (seen[k]) present.add(dict[k]);
    return ordered(c, present);
  }
  const values = c.values as ArrayLike<string | number | null>;
  // One pass. A column of a few labels holds a few string objects: a cell is compared with the values seen
  // so far (the same object compares at once) and only a new one is added to the set; past 16 distinct
  // values every cell goes to the set.
  const seen: (string | number | null)[] = [];
  let few = true;
  for (let i = 0; i < c.length; ++i) {
    if (isNA(c, i)) continue;
    const v = values[i];
    if (few) {
      let k = 0;
      while (k < seen.length && seen[k] !== v) ++k;
      if (k < seen.length) continue;
      if (seen.length < 16) seen.push(v);
      else few = false;
    }
    present.add(String(v));
  }
  return ordered(c, present);
}

function ordered(c: Column, present: Set<string>): string[] {
  const declared = c.type === "string" && c.levels ? c.levels.filter((l) => present.has(l)) : [];
  const rest = Array.from(present).filter((l) => !declared.includes(l)).sort((a, b) => (Number.isFinite(+a) && Number.isFinite(+b) ? +a - +b : a < b ? -1 : a > b ? 1 : 0));
  return [...declared, ...rest];
}

/**
 * Add the paper's derived variables to a cohort with the study's columns. Columns that are absent are
 * skipped (a researcher's own file may lack some), so the factor list adapts to the data. With
 * `forTransfer` (the parse worker) the derived factors' dictionary codes are kept for tableToPayload
 * (src/workers/transfer.ts), which then sends them instead of encoding the text again; the table is the same.
 */
export function deriveStudyVariables(table: CohortTable, options: {forTransfer?: boolean} = {}): {table: CohortTable; problems: Problem[]} {
  const forTransfer = options.forTransfer === true;
  const problems: Problem[] = [];
  let t = table;
  if (t.has("age") && t.column("age").type === "number") {
    t = deriveAgeLe9(t);
    t = labelled(t, "age_le9", "age_group", "Age at second SCT", new Map([[1, "≤ 9 years"], [0, "> 9 years"]]), forTransfer);
  }
  if (t.has("interval_days") && t.column("interval_days").type === "number") {
    t = deriveLateRelapse(t);
    t = labelled(t, "late_relapse", "relapse_timing", "Relapse after first SCT", new Map([[1, "Late (≥ 180 days)"], [0, "Early (< 180 days)"]]), forTransfer);
  }
  if (t.has("agvhd_grade") && t.column("agvhd_grade").type === "number")
    t = labelled(t, "agvhd_grade", "agvhd_any", "Acute GVHD (ever, grade I–IV)", new Map([[0, "No"], [1, "Yes"], [2, "Yes"], [3, "Yes"], [4, "Yes"]]), forTransfer);
  if (t.has("year_sct2") && t.column("year_sct2").type === "number") {
    const r = cut(t, "year_sct2", [-Infinity, 1999, 2004, Infinity], {name: "era", labels: ["≤ 1999", "2000–2004", "≥ 2005"]});
    t = r.table;
    problems.push(...r.problems);
  }
  for (const [col, name, label, labels] of [
    ["ph_positive", "ph", "Philadelphia chromosome", new Map([[1, "Ph+"], [0, "Ph−"]])],
    ["tbi", "tbi_label", "Total-body irradiation", new Map([[1, "TBI"], [0, "No TBI"]])]
  ] as const) {
    if (t.has(col) && t.column(col).type === "number") t = labelled(t, col, name, label, labels as ReadonlyMap<number, string>, forTransfer);
  }
  return {table: t, problems};
}

/** Factor definitions of the study, in the order the filter panel and the univariate table list them. */
const FACTOR_DEFS: {column: string; label: string; order?: string[]}[] = [
  {column: "age_group", label: "Age at second SCT", order: ["≤ 9 years", "> 9 years"]},
  {column: "relapse_timing", label: "Relapse after first SCT", order: ["Late (≥ 180 days)", "Early (< 180 days)"]},
  {column: "status_sct2", label: "Disease status at second SCT", order: ["CR", "non-CR"]},
  {column: "conditioning", label: "Conditioning", order: ["MAC", "RIC"]},
  {column: "sex", label: "Sex"},
  {column: "immunophenotype", label: "Immunophenotype"},
  {column: "ph", label: "Philadelphia chromosome"},
  {column: "donor_sct2", label: "Donor (second SCT)"},
  {column: "source_sct2", label: "Stem-cell source (second SCT)"},
  {column: "tbi_label", label: "Total-body irradiation"},
  {column: "era", label: "Year of second SCT"},
  {column: "agvhd_any", label: "Acute GVHD (ever) — post-transplant event"}
];

const RANGE_DEFS: RangeVariable[] = [
  {column: "age", label: "Age (years)", unit: "years", step: 0.1},
  {column: "interval_days", label: "First SCT → relapse (days)", unit: "days", step: 1},
  {column: "year_sct2", label: "Year of second SCT", unit: "", step: 1}
];

/** The factors available in a prepared table (levels as present in the data). `forTransfer`: see levelsOf. */
export function studyFactors(table: CohortTable, options: {forTransfer?: boolean} = {}): Factor[] {
  return FACTOR_DEFS.filter((d) => table.has(d.column)).map((d) => {
    const present = levelsOf(table, d.column, options);
    const levels = d.order ? [...d.order.filter((l) => present.includes(l)), ...present.filter((l) => !d.order!.includes(l))] : present;
    return {column: d.column, label: d.label, levels};
  });
}

export function studyRanges(table: CohortTable): RangeVariable[] {
  return RANGE_DEFS.filter((d) => table.has(d.column) && table.column(d.column).type === "number");
}

/**
 * Read a cohort file (bytes) and prepare it for the pages. The table is null when the file is unusable.
 * `forTransfer`: see deriveStudyVariables (the parse worker, src/workers/parse.ts, sets it). `timings`, when
 * given, receives the milliseconds spent reading (`read`), deriving (`derive`) and listing the factors (`factors`).
 * `onRead` is called with the table as read, before the derived variables are added (which leave the file's
 * own columns as they are): the parse worker hands the Overview's columns to the analysis worker there.
 */
export async function loadStudyCohort(
  bytes: ArrayBuffer | Uint8Array,
  name: string,
  options: {forTransfer?: boolean; timings?: Record<string, number>; onRead?: (table: CohortTable) => void} = {}
): Promise<StudyCohort | {table: null; report: LoadReport}> {
  const t0 = performance.now();
  const {table, report} = await readTable(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes), {name});
  const t1 = performance.now();
  if (options.timings) options.timings.read = t1 - t0;
  if (!table) return {table: null, report};
  options.onRead?.(table);
  const derived = deriveStudyVariables(table, {forTransfer: options.forTransfer});
  report.problems.push(...derived.problems);
  const t2 = performance.now();
  const factors = studyFactors(derived.table, {forTransfer: options.forTransfer});
  const ranges = studyRanges(derived.table);
  if (options.timings) {
    options.timings.derive = t2 - t1;
    options.timings.factors = performance.now() - t2;
  }
  return {table: derived.table, report, factors, ranges};
}

/** The rows selected by the filters (invalid filters are reported and ignored). */
export function selectRows(table: CohortTable, filters: readonly Filter[]) {
  return filterMask(table, filters);
}
