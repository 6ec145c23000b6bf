// Typed formats (JSON, Arrow, Parquet) arrive as native values per column. This module turns them into
// cohort columns with the same rules as text: missing tokens in text columns, whole-column checks, BigInt →
// Number only after a safe-integer check, nested columns refused by name.

import {uniqueNames} from "./names.js";
import {formatCount, problem, quoteValue, type Problem} from "./problems.js";
import {dateColumnFromDays, numberColumnFromNative, stringColumnFromNative, typeTextColumn, type Column, type NativeValue, type TypeOverride} from "./table.js";

/**
 * A column as a typed format delivers it. `string`: text typed by the file's schema (Arrow/Parquet), kept as
 * text; `text`: JSON strings, typed by the same whole-column rules as CSV cells. `date` values are days since
 * 1970-01-01; `timestamp` values are ms.
 */
export interface NativeColumn {
  name: string;
  kind: "number" | "string" | "text" | "boolean" | "date" | "timestamp" | "mixed" | "unsupported";
  values: ArrayLike<NativeValue>;
  /** For `unsupported`: what it is (e.g. "a list column", "a struct column"). */
  reason?: string;
}

export interface NativeOptions {
  na: Set<string>;
  decimal: "auto" | "." | ",";
  types: (name: string) => TypeOverride | undefined;
  /** `error` (default): a nested/unsupported column fails the load; `skip`: it is dropped with a warning. */
  unsupported: "error" | "skip";
  formatName: string;
}

/** Build cohort columns from native columns; problems include renamed/duplicate names and every column issue. */
export function columnsFromNative(input: readonly NativeColumn[], options: NativeOptions): {columns: Column[]; problems: Problem[]} {
  const problems: Problem[] = [];
  const kept: NativeColumn[] = [];
  for (const c of input) {
    if (c.kind !== "unsupported") {
      kept.push(c);
      continue;
    }
    const skip = options.unsupported === "skip";
    problems.push(
      problem(
        skip ? "warning" : "error",
        "unsupported-column",
        `${options.formatName} column ${quoteValue(c.name)} is ${c.reason ?? "of an unsupported type"}${skip ? "; skipped" : "; to load the other columns, read with unsupported: 'skip'"}`,
        {column: c.name}
      )
    );
  }
  const named = uniqueNames(kept.map((c) => c.name));
  problems.push(...named.problems);
  const columns: Column[] = [];
  for (let j = 0; j < kept.length; ++j) {
    const c = kept[j];
    const name = named.names[j];
    const override = options.types(name);
    let column: Column;
    if (c.kind === "string" || c.kind === "text" || c.kind === "mixed" || (override !== undefined && c.kind !== "date" && c.kind !== "timestamp")) {
      // Text from a typed format: JSON strings such as "0012" or "NA" follow the text rules.
      if (c.kind === "string" && override === undefined) {
        column = {...stringColumnFromNative(name, c.values as ArrayLike<string | null>, options.na), header: c.name};
      } else {
        const raw = new Array<string>(c.values.length);
        for (let i = 0; i < raw.length; ++i) {
          const v = c.values[i];
          raw[i] = v === null || v === undefined ? "" : typeof v === "boolean" ? (v ? "1" : "0") : String(v);
        }
        const typed = typeTextColumn(name, c.name, raw, {na: options.na, decimal: options.decimal, type: override});
        problems.push(...typed.problems);
        column = typed.column;
      }
      if (c.kind === "mixed") problems.push(problem("warning", "mixed-types", `${name}: mixes numbers and text; typed as ${column.type} from the text of every value`, {column: name}));
    } else if (c.kind === "date") {
      column = {...dateColumnFromDays(name, c.values as ArrayLike<number | null>), header: c.name};
    } else if (c.kind === "timestamp") {
      const ms = c.values as ArrayLike<number | null>;
      let wholeDays = true;
      for (let i = 0; i < ms.length && wholeDays; ++i) {
        const v = ms[i];
        if (v !== null && v !== undefined && v === v && v % 86_400_000 !== 0) wholeDays = false;
      }
      if (wholeDays) column = {...dateColumnFromDays(name, Array.from(ms, (v) => (v === null || v === undefined ? null : v / 86_400_000))), header: c.name};
      else {
        const iso = Array.from(ms, (v) => (v === null || v === undefined || v !== v ? null : new Date(v).toISOString()));
        column = {...stringColumnFromNative(name, iso, options.na), header: c.name};
        problems.push(problem("warning", "date-time", `${name}: timestamps with a time of day are read as text (ISO 8601, UTC); durations need dates or numeric times`, {column: name}));
      }
    } else {
      const typed = numberColumnFromNative(name, c.values);
      problems.push(...typed.problems);
      column = {...typed.column, header: c.name};
      if (c.kind === "boolean") problems.push(problem("info", "boolean", `${name}: true/false read as 1/0`, {column: name}));
      let unsafeJson = 0;
      let first = -1;
      const values = c.values;
      for (let i = 0; i < values.length; ++i) {
        const v = values[i];
        // Only numbers beyond ±(2^53 − 1) can be unsafe integers: one comparison for every other value.
        if (typeof v === "number" && (v > Number.MAX_SAFE_INTEGER || v < Number.MIN_SAFE_INTEGER) && Number.isInteger(v)) {
          if (first < 0) first = i;
          ++unsafeJson;
        }
      }
      if (unsafeJson)
        problems.push(
          problem("warning", "precision", `${name}: ${formatCount(unsafeJson)} integer${unsafeJson === 1 ? "" : "s"} beyond 2^53 lost precision when the file was written or parsed (first at row ${formatCount(first + 1)}: ${String(c.values[first])}); store ids as text`, {
            column: name,
            row: first + 1,
            value: String(c.values[first])
          })
        );
    }
    columns.push(column);
  }
  return {columns, problems};
}

/** Classify JSON values of one column. */
export function nativeKindOf(values: ArrayLike<NativeValue>, nested: boolean): NativeColumn["kind"] {
  if (nested) return "unsupported";
  let num = 0;
  let str = 0;
  let bool = 0;
  for (let i = 0; i < values.length; ++i) {
    const v = values[i];
    if (typeof v === "number" || typeof v === "bigint") ++num;
    else if (typeof v === "string") ++str;
    else if (typeof v === "boolean") ++bool;
  }
  if (str && (num || bool)) return "mixed";
  if (str) return "text";
  if (bool && !num) return "boolean";
  if (bool && num) return "mixed";
  return "number";
}
