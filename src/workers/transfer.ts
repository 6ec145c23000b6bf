// Moving a cohort table between a Web Worker and the page: the columns as typed arrays (transferred, not
// copied) and plain arrays, rebuilt into a CohortTable on the other side. The original cell text is kept
// for columns with invalid cells (so messages still quote what the file said); other cells fall back to
// their typed values (numbers as String(x), dates as YYYY-MM-DD, text as itself).
import {CohortTable, rawValue, type Column, type TableSource} from "../cohort/table.js";

/** Text sent as a dictionary: `codes[i]` indexes `dict`, −1 = null. For columns of a few labels. */
export interface DictText {
  dict: string[];
  codes: Int32Array;
}

/** Text sent as one string: cell i is `text.slice(ends[i − 1], ends[i])` (ends[−1] = 0), null where `nulls[i]` is 1. For ids and other columns of mostly distinct values. */
export interface JoinedText {
  text: string;
  ends: Uint32Array;
  nulls: Uint8Array;
}

/** A column as plain data for postMessage. */
export interface ColumnPayload {
  type: Column["type"];
  name: string;
  header: string;
  length: number;
  /** Numbers and dates as they are; text dictionary-encoded or joined into one string. */
  values: Float64Array | DictText | JoinedText;
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

// Cloning one string per cell is the slow part of postMessage (≈ 0.3 s for 100,000 rows × 10 text columns,
// all on the receiving main thread). Text columns are mostly a few labels, so each distinct string is sent
// once (a dictionary); a column whose values are mostly distinct (an id) is sent as one string and the end
// offsets, since a dictionary as long as the column would cost as much as the cells.
const SMALL_DICTIONARY = 16;

// Encodings made before tableToPayload (the study's derived factors, src/study/cohort.ts, and the factor
// levels found from them), by values array. Used once: the buffers are transferred with the payload.
const known = new WeakMap<readonly (string | null)[], DictText | JoinedText>();

/**
 * Remember that `values[i]` is `dict[codes[i]]` (null where `codes[i]` is −1), so that tableToPayload sends
 * these codes instead of encoding the column again.
 */
export function rememberTextCodes(values: readonly (string | null)[], encoded: DictText): void {
  if (encoded.codes.length === values.length) known.set(values, encoded);
}

/**
 * A text column's encoding for the transfer (a dictionary, or one joined string for mostly distinct values),
 * computed once per values array and kept until tableToPayload sends it (see studyFactors' forTransfer).
 */
export function textEncoding(values: readonly (string | null)[]): DictText | JoinedText {
  let e = known.get(values);
  if (!e) known.set(values, (e = encodeText(values)));
  return e;
}

function takeEncoding(values: readonly (string | null)[]): DictText | JoinedText {
  const e = known.get(values);
  known.delete(values);
  return e ?? encodeText(values);
}

function encodeText(values: readonly (string | null)[]): DictText | JoinedText {
  const n = values.length;
  const codes = new Int32Array(n);
  const dict: string[] = [];
  // Few levels: a linear scan (with the previous cell's level first) beats hashing every cell's string.
  let index: Map<string, number> | null = null;
  const limit = Math.max(1024, n >>> 3);
  let last: string | null = null;
  let lastCode = -1;
  for (let i = 0; i < n; ++i) {
    const v = values[i];
    if (v === null) {
      codes[i] = -1;
      continue;
    }
    if (v === last) {
      codes[i] = lastCode;
      continue;
    }
    let k = -1;
    if (index === null) {
      for (let j = 0; j < dict.length; ++j)
        if (dict[j] === v) {
          k = j;
          break;
        }
    } else k = index.get(v) ?? -1;
    if (k < 0) {
      k = dict.length;
      if (k >= limit) return joinText(values);
      dict.push(v);
      if (index) index.set(v, k);
      else if (dict.length > SMALL_DICTIONARY) index = new Map(dict.map((s, j) => [s, j]));
    }
    codes[i] = k;
    last = v;
    lastCode = k;
  }
  return {dict, codes};
}

function joinText(values: readonly (string | null)[]): JoinedText {
  const n = values.length;
  const ends = new Uint32Array(n);
  const nulls = new Uint8Array(n);
  const parts = new Array<string>(n);
  let end = 0;
  for (let i = 0; i < n; ++i) {
    const v = values[i];
    if (v === null) {
      nulls[i] = 1;
      parts[i] = "";
    } else {
      parts[i] = v;
      end += v.length;
    }
    ends[i] = end;
  }
  return {text: parts.join(""), ends, nulls};
}

function decodeText(encoded: DictText | JoinedText): (string | null)[] {
  if ("text" in encoded) {
    const {text, ends, nulls} = encoded;
    const out = new Array<string | null>(ends.length);
    let start = 0;
    for (let i = 0; i < ends.length; ++i) {
      out[i] = nulls[i] ? null : text.slice(start, ends[i]);
      start = ends[i];
    }
    return out;
  }
  const {dict, codes} = encoded;
  const out = new Array<string | null>(codes.length);
  for (let i = 0; i < codes.length; ++i) out[i] = codes[i] < 0 ? null : dict[codes[i]];
  return out;
}

/**
 * The named columns of a table (those it has) in a table of their own, for `tableToPayload` when the page
 * keeps using its table: numeric arrays and masks are copied, because the payload moves (transfers) them;
 * text needs no copy, since the payload encodes it into new arrays.
 */
export function copyColumns(table: CohortTable, names: readonly string[]): CohortTable {
  const columns = [...new Set(names)]
    .filter((n) => table.has(n))
    .map((n) => {
      const c = table.column(n);
      const values = c.type === "string" ? c.values : (c.values as Float64Array).slice();
      return {...c, values, missing: c.missing.slice(), invalid: c.invalid ? c.invalid.slice() : null} as Column;
    });
  return new CohortTable(columns, {...table.source}, table.numRows);
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
      values: c.type === "string" ? takeEncoding(c.values as readonly (string | null)[]) : (c.values as Float64Array),
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
    else {
      const text = p.values as DictText | JoinedText;
      if ("codes" in text) buffers.add(text.codes.buffer as ArrayBuffer);
      else buffers.add(text.ends.buffer as ArrayBuffer).add(text.nulls.buffer as ArrayBuffer);
    }
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
    if (p.type === "string") {
      // Text is rebuilt on first use (one string per cell is the receiving side's main cost: an id column
      // that no analysis reads is never rebuilt). A getter that keeps the array: the column's shape never changes.
      const encoded = p.values as DictText | JoinedText;
      let values: (string | null)[] | null = null;
      return {
        ...base,
        type: "string",
        get values() {
          return (values ??= decodeText(encoded));
        },
        ...(p.levels ? {levels: p.levels} : {})
      };
    }
    if (p.type === "date") return {...base, type: "date", values: p.values as Float64Array, format: p.format ?? "YYYY-MM-DD"};
    return {...base, type: "number", values: p.values as Float64Array, ...(p.decimalComma ? {decimalComma: true} : {}), ...(p.codeLabels ? {codeLabels: new Map(p.codeLabels)} : {})};
  });
  return new CohortTable(columns, payload.source, payload.numRows);
}
