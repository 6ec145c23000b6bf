// Moving a cohort table between a Web Worker and the page: the columns as typed arrays (transferred, not
// copied) and plain arrays, rebuilt into a CohortTable on the other side. The original cell text is kept
// for columns with invalid cells (so messages still quote what the file said); other cells fall back to
// their typed values (numbers as String(x), dates as YYYY-MM-DD, text as itself).
import {CohortTable, rawValue, type Column, type TableSource} from "../cohort/table.js";

/** A column as plain data for postMessage. */
export interface ColumnPayload {
  type: Column["type"];
  name: string;
  header: string;
  length: number;
  values: Float64Array | (string | null)[];
  missing: Uint8Array;
  missingCount: number;
  invalid: Uint8Array | null;
  invalidCount: number;
  raw: string[] | null;
  label?: string;
  levels?: readonly string[];
  format?: string;
  decimalComma?: boolean;
  codeLabels?: [number, string][];
}

export interface TablePayload {
  numRows: number;
  source: TableSource;
  columns: ColumnPayload[];
}

/** The table as transferable data, and the buffers to transfer. */
export function tableToPayload(table: CohortTable): {payload: TablePayload; transfer: ArrayBuffer[]} {
  const buffers = new Set<ArrayBuffer>();
  const own = (a: Float64Array | Uint8Array): void => {
    // Only whole, unshared buffers are transferred (a view into a larger buffer is copied by the clone).
    if (a.byteOffset === 0 && a.byteLength === a.buffer.byteLength && a.buffer instanceof ArrayBuffer) buffers.add(a.buffer);
  };
  const columns = table.names.map((name): ColumnPayload => {
    const c = table.column(name);
    let raw: string[] | null = null;
    if (c.invalidCount > 0) {
      raw = new Array<string>(c.length);
      for (let i = 0; i < c.length; ++i) raw[i] = rawValue(c, i);
    }
    const p: ColumnPayload = {
      type: c.type,
      name: c.name,
      header: c.header,
      length: c.length,
      values: c.type === "string" ? (c.values as (string | null)[]) : (c.values as Float64Array),
      missing: c.missing,
      missingCount: c.missingCount,
      invalid: c.invalid,
      invalidCount: c.invalidCount,
      raw
    };
    if (c.label !== undefined) p.label = c.label;
    if (c.type === "string" && c.levels) p.levels = [...c.levels];
    if (c.type === "date") p.format = c.format;
    if (c.type === "number" && c.decimalComma) p.decimalComma = true;
    if (c.type === "number" && c.codeLabels) p.codeLabels = Array.from(c.codeLabels);
    if (c.type !== "string") own(c.values as Float64Array);
    own(c.missing);
    if (c.invalid) own(c.invalid);
    return p;
  });
  return {payload: {numRows: table.numRows, source: {...table.source}, columns}, transfer: Array.from(buffers)};
}

/** Rebuild the table from {@link tableToPayload}'s data. */
export function tableFromPayload(payload: TablePayload): CohortTable {
  const columns = payload.columns.map((p): Column => {
    const base = {name: p.name, header: p.header, length: p.length, missing: p.missing, missingCount: p.missingCount, invalid: p.invalid, invalidCount: p.invalidCount, raw: p.raw, ...(p.label !== undefined ? {label: p.label} : {})};
    if (p.type === "string") return {...base, type: "string", values: p.values as (string | null)[], ...(p.levels ? {levels: p.levels} : {})};
    if (p.type === "date") return {...base, type: "date", values: p.values as Float64Array, format: p.format ?? "YYYY-MM-DD"};
    return {...base, type: "number", values: p.values as Float64Array, ...(p.decimalComma ? {decimalComma: true} : {}), ...(p.codeLabels ? {codeLabels: new Map(p.codeLabels)} : {})};
  });
  return new CohortTable(columns, payload.source, payload.numRows);
}
