// Structured filters {column, op, value}: validated against the table's columns and types, compiled to
// closures over the typed columns (nothing is evaluated as code: no Function, no Arquero expressions) and
// applied in one pass to a row mask. A missing or invalid value never matches, for any operator (!= too).

import {CohortError, formatCount, problem, quoteValue, type Problem} from "./problems.js";
import type {CohortTable, Column} from "./table.js";
import {parseIsoDate} from "./values.js";

/** The filter operators, in the order messages list them. */
export const FILTER_OPS = ["==", "!=", "<", "<=", ">", ">=", "in", "between"] as const;
export type FilterOp = (typeof FILTER_OPS)[number];
export type FilterScalar = number | string;

/** `in` takes an array of values; `between` takes [low, high], inclusive; the others one value. Dates are ISO strings. */
export interface Filter {
  column: string;
  op: FilterOp;
  value: FilterScalar | readonly FilterScalar[];
}

type Predicate = (i: number) => boolean;

const isOp = (op: unknown): op is FilterOp => typeof op === "string" && (FILTER_OPS as readonly string[]).includes(op);

function describe(f: {column?: unknown; op?: unknown}): string {
  return `filter ${typeof f.column === "string" ? quoteValue(f.column) : "?"} ${typeof f.op === "string" ? f.op : "?"}`;
}

/**
 * Check one filter against the table: the column exists, the operator is known and suits the column's type,
 * and the value has the right shape (finite numbers for number columns, ISO dates for date columns, strings
 * for text). Returns the compiled predicate, or a problem.
 */
export function compileFilter(table: CohortTable, filter: Filter | {column: unknown; op: unknown; value: unknown}): {predicate: Predicate | null; problem: Problem | null} {
  const bad = (message: string) => ({predicate: null, problem: problem("error", "invalid-filter", `${describe(filter)}: ${message}`, {column: typeof filter.column === "string" ? filter.column : null})});
  if (typeof filter !== "object" || filter === null) return bad("not a filter object");
  if (typeof filter.column !== "string" || !table.has(filter.column)) return bad(`no column ${typeof filter.column === "string" ? quoteValue(filter.column) : "given"}`);
  if (!isOp(filter.op)) return bad(`unknown operator (use ${FILTER_OPS.join(" ")})`);
  const c: Column = table.column(filter.column);
  const op = filter.op;
  const value = filter.value as unknown;
  const list = op === "in" || op === "between";
  if (list !== Array.isArray(value)) return bad(list ? `${op} needs an array of values` : "needs a single value");
  const values: readonly unknown[] = Array.isArray(value) ? value : [value];
  if (op === "between" && values.length !== 2) return bad("between needs [low, high]");
  if (op === "in" && values.length > 1000) return bad("in takes at most 1000 values");
  // An empty list selects no row (a factor with every level unticked), as R's `x %in% c()`.
  if (op === "in" && values.length === 0) return {predicate: () => false, problem: null};

  const missing = c.missing;
  const invalid = c.invalid;
  const present = invalid ? (i: number) => missing[i] === 0 && invalid[i] === 0 : (i: number) => missing[i] === 0;

  if (c.type === "string") {
    if (op !== "==" && op !== "!=" && op !== "in") return bad(`${op} needs a number or date column; ${c.name} is text`);
    if (!values.every((v) => typeof v === "string" || (typeof v === "number" && Number.isFinite(v)))) return bad("values must be text");
    const strs = values.map(String);
    const vals = c.values;
    if (op === "in") {
      const set = new Set(strs);
      return {predicate: (i) => present(i) && set.has(vals[i] as string), problem: null};
    }
    const s = strs[0];
    return {predicate: op === "==" ? (i) => present(i) && vals[i] === s : (i) => present(i) && vals[i] !== s, problem: null};
  }

  let nums: number[];
  if (c.type === "date") {
    nums = values.map((v) => (typeof v === "string" ? parseIsoDate(v.trim()) : NaN));
    if (nums.some((x) => Number.isNaN(x))) return bad(`values must be ISO dates (YYYY-MM-DD) for the date column ${c.name}`);
  } else {
    nums = values.map((v) => (typeof v === "number" ? v : NaN));
    if (nums.some((x) => !Number.isFinite(x))) return bad(`values must be finite numbers for the number column ${c.name}`);
  }
  const x = c.values as Float64Array;
  const a = nums[0];
  switch (op) {
    case "==":
      return {predicate: (i) => present(i) && x[i] === a, problem: null};
    case "!=":
      return {predicate: (i) => present(i) && x[i] !== a, problem: null};
    case "<":
      return {predicate: (i) => present(i) && x[i] < a, problem: null};
    case "<=":
      return {predicate: (i) => present(i) && x[i] <= a, problem: null};
    case ">":
      return {predicate: (i) => present(i) && x[i] > a, problem: null};
    case ">=":
      return {predicate: (i) => present(i) && x[i] >= a, problem: null};
    case "in": {
      const set = new Set(nums);
      return {predicate: (i) => present(i) && set.has(x[i]), problem: null};
    }
    case "between": {
      const [lo, hi] = nums;
      if (lo > hi) return bad(`between needs low ≤ high (got ${values.join(", ")})`);
      return {predicate: (i) => present(i) && x[i] >= lo && x[i] <= hi, problem: null};
    }
  }
}

export interface FilterResult {
  /** 1 = the row passes every valid filter. */
  mask: Uint8Array;
  /** Rows passing. */
  count: number;
  /** The filters applied (invalid ones are reported and left out). */
  applied: Filter[];
  problems: Problem[];
}

/**
 * Apply filters (AND) in one pass over the rows. Invalid filters are reported and ignored; the rest apply.
 * A selection of no rows is reported (`No patients match the filters`), with the filters kept.
 */
export function filterMask(table: CohortTable, filters: readonly Filter[]): FilterResult {
  const problems: Problem[] = [];
  const predicates: Predicate[] = [];
  const applied: Filter[] = [];
  for (const f of filters) {
    const {predicate, problem: p} = compileFilter(table, f);
    if (p) problems.push(p);
    else {
      predicates.push(predicate!);
      applied.push(f);
    }
  }
  const n = table.numRows;
  const mask = new Uint8Array(n);
  const m = predicates.length;
  let count = 0;
  for (let i = 0; i < n; ++i) {
    let ok = 1;
    for (let k = 0; k < m; ++k)
      if (!predicates[k](i)) {
        ok = 0;
        break;
      }
    mask[i] = ok;
    count += ok;
  }
  if (count === 0 && n > 0) problems.push(problem("warning", "no-rows-match", "No patients match the filters"));
  else if (count === 1) problems.push(problem("warning", "one-row-matches", "Only 1 patient matches the filters"));
  else if (m > 0) problems.push(problem("info", "filtered", `${formatCount(count)} of ${formatCount(n)} patients match the filters`, {count}));
  return {mask, count, applied, problems};
}

/**
 * Apply filters given as data from outside (CLI `--where`, a config file): like filterMask, but any invalid
 * filter is an error (a CohortError listing every invalid filter) rather than being ignored.
 */
export function applyFilters(table: CohortTable, filters: readonly {column: unknown; op: unknown; value: unknown}[]): FilterResult {
  const invalid: Problem[] = [];
  for (const f of filters) {
    const {problem: p} = compileFilter(table, f);
    if (p) invalid.push(p);
  }
  if (invalid.length) throw new CohortError(invalid);
  return filterMask(table, filters as readonly Filter[]);
}
