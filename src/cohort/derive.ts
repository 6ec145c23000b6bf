// Derived variables, each a new column with a clear label; the source columns are never changed.
// Missing (or invalid) inputs give missing outputs, never 0.

import {CohortError, RowList, formatRows, problem, quoteValue, type Problem} from "./problems.js";
import {isNA, rawValue, type CohortTable, type DateColumn, type NumberColumn, type StringColumn} from "./table.js";

/** Days per unit. A month is 365.25 / 12 = 30.4375 days and a year 365.25 days (Julian), as in the study module. */
export const DAYS_PER_UNIT = {days: 1, weeks: 7, months: 365.25 / 12, years: 365.25} as const;
export type DurationUnit = keyof typeof DAYS_PER_UNIT;

function numberSource(table: CohortTable, column: string, what: string): NumberColumn {
  const c = table.column(column);
  if (c.type !== "number") throw new CohortError([problem("error", "not-numeric", `${what} needs a number column; ${column} is ${c.type === "date" ? "a date column" : "text"}`, {column})]);
  return c;
}

/**
 * A 0/1 indicator column `name` = 1 where `test(x)` holds for a present value of `column`, 0 where it does
 * not, missing where the source is missing or invalid.
 */
export function indicator(table: CohortTable, column: string, test: (x: number) => boolean, name: string, label: string, codeLabels: [string, string]): CohortTable {
  const src = numberSource(table, column, name);
  const n = table.numRows;
  const values = new Float64Array(n);
  const missing = new Uint8Array(n);
  let missingCount = 0;
  for (let i = 0; i < n; ++i) {
    if (isNA(src, i)) {
      values[i] = NaN;
      missing[i] = 1;
      ++missingCount;
    } else values[i] = test(src.values[i]) ? 1 : 0;
  }
  const col: NumberColumn = {
    type: "number",
    name,
    header: name,
    length: n,
    values,
    missing,
    missingCount,
    invalid: null,
    invalidCount: 0,
    raw: null,
    label,
    codeLabels: new Map([
      [1, codeLabels[0]],
      [0, codeLabels[1]]
    ])
  };
  return table.withColumn(col);
}

/** `age_le9` = 1 when age ≤ 9 years, 0 when older, missing when age is missing (Kato 2012's age factor). */
export function deriveAgeLe9(table: CohortTable, options: {column?: string; name?: string} = {}): CohortTable {
  const {column = "age", name = "age_le9"} = options;
  return indicator(table, column, (x) => x <= 9, name, `Age ≤ 9 years (from ${column})`, ["≤ 9 years", "> 9 years"]);
}

/** `late_relapse` = 1 when the first-SCT-to-relapse interval is ≥ 180 days (Kato 2012), else 0. */
export function deriveLateRelapse(table: CohortTable, options: {column?: string; name?: string; threshold?: number} = {}): CohortTable {
  const {column = "interval_days", name = "late_relapse", threshold = 180} = options;
  return indicator(table, column, (x) => x >= threshold, name, `Relapse ≥ ${threshold} days after first SCT (from ${column})`, [`≥ ${threshold} days`, `< ${threshold} days`]);
}

export interface CutOptions {
  /** New column name (default `<column>_cut`). */
  name?: string;
  /** Labels for the intervals (one fewer than the breaks); default interval notation. */
  labels?: readonly string[];
  /** Intervals closed on the right, (a, b] (default true, as R's cut); false gives [a, b). */
  right?: boolean;
  /** Include the lowest break in the first interval (R's include.lowest; default false). */
  includeLowest?: boolean;
}

function fmt(x: number): string {
  return x === Infinity ? "∞" : x === -Infinity ? "−∞" : String(x);
}

/**
 * User-defined cut points, as R's `cut(x, breaks, labels, right, include.lowest)`: a text column with ordered
 * levels; values outside the breaks are missing (and reported). Breaks must be strictly increasing.
 * @example cut(table, "age", [0, 9, 18], {labels: ["0–9", "10–18"]})
 */
export function cut(table: CohortTable, column: string, breaks: readonly number[], options: CutOptions = {}): {table: CohortTable; problems: Problem[]} {
  const {right = true, includeLowest = false} = options;
  const name = options.name ?? `${column}_cut`;
  const src = numberSource(table, column, "cut");
  if (breaks.length < 2 || breaks.some((b, k) => Number.isNaN(b) || (k > 0 && !(b > breaks[k - 1]))))
    throw new CohortError([problem("error", "breaks", `cut(${column}): breaks must be at least two strictly increasing numbers (got ${breaks.join(", ")})`, {column})]);
  const m = breaks.length - 1;
  const labels =
    options.labels ??
    breaks.slice(0, -1).map((b, k) => {
      const lo = k === 0 && includeLowest && right ? "[" : right ? "(" : "[";
      const hi = k === m - 1 && includeLowest && !right ? "]" : right ? "]" : ")";
      return `${lo}${fmt(b)}, ${fmt(breaks[k + 1])}${hi}`;
    });
  if (labels.length !== m) throw new CohortError([problem("error", "labels", `cut(${column}): ${labels.length} labels for ${m} intervals`, {column})]);
  if (new Set(labels).size !== labels.length) throw new CohortError([problem("error", "labels", `cut(${column}): labels must be distinct`, {column})]);
  const n = table.numRows;
  const values = new Array<string | null>(n);
  const missing = new Uint8Array(n);
  let missingCount = 0;
  const outside = new RowList();
  for (let i = 0; i < n; ++i) {
    values[i] = null;
    if (isNA(src, i)) {
      missing[i] = 1;
      ++missingCount;
      continue;
    }
    const x = src.values[i];
    let k = -1;
    // Binary search for the interval.
    let lo = 0;
    let hi = m - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const a = breaks[mid];
      const b = breaks[mid + 1];
      const inLow = right ? x > a || (includeLowest && mid === 0 && x === a) : x >= a;
      const inHigh = right ? x <= b : x < b || (includeLowest && mid === m - 1 && x === b);
      if (inLow && inHigh) {
        k = mid;
        break;
      }
      if (!inLow) hi = mid - 1;
      else lo = mid + 1;
    }
    if (k < 0) {
      missing[i] = 1;
      ++missingCount;
      outside.add(i + 1, rawValue(src, i));
    } else values[i] = labels[k];
  }
  const problems: Problem[] = [];
  if (outside.count)
    problems.push(problem("warning", "outside-breaks", `${name}: ${outside.count} value${outside.count === 1 ? " is" : "s are"} outside the breaks ${fmt(breaks[0])}–${fmt(breaks[m])} and set missing (${formatRows(outside.rows, outside.count)})`, {column: name, rows: outside.rows, count: outside.count}));
  const col: StringColumn = {type: "string", name, header: name, length: n, values, missing, missingCount, invalid: null, invalidCount: 0, raw: null, levels: labels, label: `${column} in intervals ${labels.join(", ")}`};
  return {table: table.withColumn(col), problems};
}

/**
 * A duration column from two date columns: (end − start) in `unit` (days; months = 30.4375 days;
 * years = 365.25 days), computed on the UTC calendar (no DST effects). Missing when either date is
 * missing or invalid. An end before its start is an error listing the rows.
 */
export function durationBetween(table: CohortTable, start: string, end: string, options: {unit: DurationUnit; name?: string}): {table: CohortTable; problems: Problem[]} {
  const {unit} = options;
  if (!(unit in DAYS_PER_UNIT)) throw new CohortError([problem("error", "unit", `durationBetween: unknown unit ${quoteValue(unit)} (days, weeks, months, years)`)]);
  const name = options.name ?? `${end}_minus_${start}_${unit}`;
  const S = table.column(start);
  const E = table.column(end);
  for (const c of [S, E])
    if (c.type !== "date") throw new CohortError([problem("error", "not-date", `${c.name}: not a date column (ISO YYYY-MM-DD, or declare its format when reading)`, {column: c.name})]);
  const s = S as DateColumn;
  const e = E as DateColumn;
  const n = table.numRows;
  const values = new Float64Array(n);
  const missing = new Uint8Array(n);
  let missingCount = 0;
  const before = new RowList();
  const per = DAYS_PER_UNIT[unit];
  for (let i = 0; i < n; ++i) {
    if (isNA(s, i) || isNA(e, i)) {
      values[i] = NaN;
      missing[i] = 1;
      ++missingCount;
      continue;
    }
    const d = e.values[i] - s.values[i];
    if (d < 0) before.add(i + 1, `${rawValue(s, i)} → ${rawValue(e, i)}`);
    values[i] = d / per;
  }
  if (before.count)
    throw new CohortError(
      [problem("error", "end-before-start", `${end} is before ${start} in ${before.count} row${before.count === 1 ? "" : "s"} (${formatRows(before.rows, before.count)}; first: ${before.firstValue})`, {column: end, rows: before.rows, count: before.count, row: before.rows[0], value: before.firstValue})]
    );
  const problems: Problem[] = [];
  if (missingCount) problems.push(problem("info", "missing-duration", `${name}: ${missingCount} row${missingCount === 1 ? "" : "s"} without both dates are missing`, {column: name, count: missingCount}));
  const col: NumberColumn = {type: "number", name, header: name, length: n, values, missing, missingCount, invalid: null, invalidCount: 0, raw: null, label: `${end} − ${start}, in ${unit}${unit === "months" ? " (1 month = 30.4375 days)" : unit === "years" ? " (1 year = 365.25 days)" : ""}`};
  return {table: table.withColumn(col), problems};
}
