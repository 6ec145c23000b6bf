// Turning cohort-table columns into engine input for the runner (and anything else headless): used
// columns must exist and hold values of the right kind; a present value that is not usable is an error
// naming column, row and value; a missing value leaves the row out and is counted against its column.
import {CohortError, quoteValue, formatCount, problem} from "../cohort/problems.js";
import {isNA, rawValue, type CohortTable, type Column} from "../cohort/table.js";

/** A problem the runner reports as one line (exit code 1). */
export class RunnerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RunnerError";
  }
}

function firstInvalid(c: Column, rows: Int32Array): number {
  if (!c.invalid) return -1;
  for (const i of rows) if (c.invalid[i]) return i;
  return -1;
}

/** A numeric column restricted to `rows`; NaN where missing. Non-numeric present values are an error. */
export function numericColumn(table: CohortTable, name: string, rows: Int32Array, role: string): Float64Array {
  const c = table.column(name);
  if (c.type !== "number") {
    const i = Array.from(rows).find((r) => !c.missing[r]);
    const example = i === undefined ? "" : ` (first value at row ${formatCount(i + 1)}: ${quoteValue(rawValue(c, i))})`;
    throw new RunnerError(`${name}: the ${role} column must be numeric, but it holds ${c.type === "date" ? "dates" : "text"}${example}`);
  }
  const bad = firstInvalid(c, rows);
  if (bad >= 0) {
    let count = 0;
    for (const i of rows) if (c.invalid![i]) ++count;
    throw new RunnerError(`${name}: ${formatCount(count)} non-numeric value${count > 1 ? "s" : ""} (first at row ${formatCount(bad + 1)}: ${quoteValue(rawValue(c, bad))})`);
  }
  const out = new Float64Array(rows.length);
  for (let j = 0; j < rows.length; ++j) out[j] = isNA(c, rows[j]) ? NaN : c.values[rows[j]];
  return out;
}

/** A label column (any type) restricted to `rows`; null where missing. Numbers keep their text form. */
export function labelColumn(table: CohortTable, name: string, rows: Int32Array): (string | null)[] {
  const c = table.column(name);
  const out = new Array<string | null>(rows.length);
  for (let j = 0; j < rows.length; ++j) {
    const i = rows[j];
    if (c.missing[i]) out[j] = null;
    else if (c.type === "string") out[j] = c.values[i];
    else if (c.invalid && c.invalid[i]) out[j] = rawValue(c, i);
    else out[j] = c.type === "number" ? String(c.values[i]) : rawValue(c, i);
  }
  return out;
}

/** Covariate values restricted to `rows`: numbers for numeric columns, strings for text; null when missing. */
export function covariateColumn(table: CohortTable, name: string, rows: Int32Array): (number | string | null)[] {
  const c = table.column(name);
  if (c.type === "number") {
    const bad = firstInvalid(c, rows);
    if (bad >= 0) throw new RunnerError(`${name}: non-numeric value at row ${formatCount(bad + 1)}: ${quoteValue(rawValue(c, bad))}`);
    return Array.from(rows, (i) => (c.missing[i] ? null : c.values[i]));
  }
  return labelColumn(table, name, rows);
}

/** Check that every named column exists (one message listing what is available). */
export function requireColumns(table: CohortTable, names: (string | null)[]): void {
  for (const name of names) {
    if (name !== null && !table.has(name)) throw new CohortError([problem("error", "unknown-column", `No column ${quoteValue(name)} (columns: ${table.names.join(", ")})`, {column: name})]);
  }
}
