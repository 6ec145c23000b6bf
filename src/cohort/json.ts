// JSON input: an array of flat records (the shape d3/Arquero write), plus two shapes converted with a note
// (an object of equal-length column arrays; NDJSON, one record per line). Everything else is refused with a
// message saying what the JSON is. Keys are read with Object.keys on JSON.parse output, where `__proto__`
// is an ordinary own property, and collected in a Map.

import {formatCount, problem, quoteValue, type Problem} from "./problems.js";
import type {NativeValue} from "./table.js";

export interface JsonColumns {
  names: string[];
  /** One array of native values per column (undefined where a record lacks the key). */
  values: NativeValue[][];
  /** Columns holding nested objects/arrays: name → first 1-based record. */
  nested: Map<string, number>;
  numRows: number;
  problems: Problem[];
  ok: boolean;
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  return typeof v === "object" ? "an object" : `a ${typeof v}`;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Parse JSON text into columns (see the module comment for accepted shapes). Never throws for bad input. */
export function parseJsonColumns(text: string): JsonColumns {
  const problems: Problem[] = [];
  const fail = (code: string, message: string): JsonColumns => {
    problems.push(problem("error", code, message));
    return {names: [], values: [], nested: new Map(), numRows: 0, problems, ok: false};
  };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "");
    if (lines.length > 1 && lines[0].trim().startsWith("{")) {
      const records: unknown[] = [];
      for (let k = 0; k < lines.length; ++k) {
        try {
          records.push(JSON.parse(lines[k]));
        } catch (e2) {
          return fail("json-syntax", `Not valid JSON or NDJSON: line ${formatCount(k + 1)}: ${(e2 as Error).message}`);
        }
      }
      problems.push(problem("info", "ndjson", `Read as NDJSON (${formatCount(records.length)} records, one per line)`));
      data = records;
    } else return fail("json-syntax", `Not valid JSON: ${(e as Error).message}`);
  }

  let records: unknown[];
  if (Array.isArray(data)) {
    records = data;
  } else if (isRecord(data)) {
    const keys = Object.keys(data);
    const arrays = keys.filter((k) => Array.isArray(data[k]));
    const holdsRecords = arrays.some((k) => (data[k] as unknown[]).some(isRecord));
    if (keys.length > 0 && arrays.length === keys.length && !holdsRecords) {
      const lengths = new Set(keys.map((k) => (data[k] as unknown[]).length));
      if (lengths.size !== 1)
        return fail("json-shape", `JSON is an object of arrays with different lengths (${keys.map((k) => `${quoteValue(k)}: ${(data[k] as unknown[]).length}`).join(", ")}); expected an array of records`);
      const numRows = (data[keys[0]] as unknown[]).length;
      problems.push(problem("info", "json-columns", `Read a JSON object of ${keys.length} column arrays as a table`));
      const values = keys.map((k) => (data[k] as unknown[]).map((v) => v as NativeValue));
      return finishColumns(keys, values, numRows, problems);
    }
    const inner = arrays.find((k) => (data[k] as unknown[]).every(isRecord));
    return fail("json-shape", `JSON is an object, not an array of records${inner !== undefined ? ` (the records may be under the key ${quoteValue(inner)}: pass that array)` : ""}`);
  } else return fail("json-shape", `JSON is ${describe(data)}, not an array of records`);

  if (records.length === 0) return fail("no-rows", "No data rows (the JSON array is empty)");
  const index = new Map<string, number>();
  const names: string[] = [];
  const values: NativeValue[][] = [];
  for (let r = 0; r < records.length; ++r) {
    const rec = records[r];
    if (!isRecord(rec)) return fail("json-shape", `JSON array element ${formatCount(r + 1)} is ${describe(rec)}; expected an array of flat records (objects)`);
    for (const key of Object.keys(rec)) {
      let j = index.get(key);
      if (j === undefined) {
        j = names.length;
        index.set(key, j);
        names.push(key);
        values.push(new Array<NativeValue>(records.length).fill(undefined));
      }
      values[j][r] = rec[key] as NativeValue;
    }
  }
  return finishColumns(names, values, records.length, problems);
}

function finishColumns(names: string[], values: NativeValue[][], numRows: number, problems: Problem[]): JsonColumns {
  const nested = new Map<string, number>();
  for (let j = 0; j < names.length; ++j) {
    const col = values[j] as unknown[];
    let absent = 0;
    let firstAbsent = -1;
    for (let i = 0; i < numRows; ++i) {
      const v = col[i];
      if (v === undefined) {
        if (firstAbsent < 0) firstAbsent = i;
        ++absent;
      } else if (typeof v === "object" && v !== null && !nested.has(names[j])) nested.set(names[j], i + 1);
    }
    if (absent)
      problems.push(
        problem("info", "absent-key", `${names[j]}: absent from ${formatCount(absent)} record${absent === 1 ? "" : "s"} (first at row ${formatCount(firstAbsent + 1)}); counted as missing`, {column: names[j], row: firstAbsent + 1, count: absent})
      );
  }
  return {names, values, nested, numRows, problems, ok: true};
}
