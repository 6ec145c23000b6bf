// Arrow IPC and Parquet readers. Arrow is decoded by flechette (the Arrow engine inside Arquero 8) and read
// positionally (field i ↔ child i), because Arquero's own `fromArrow` collects columns in an object keyed by
// name, where duplicate names collide. Parquet is decoded by hyparquet (pure JavaScript, no WebAssembly: the
// same code runs in Node, in data loaders and in the browser under a strict CSP).
// 64-bit integers arrive as BigInt and are converted only after a safe-integer check (catalogue row 45);
// nested columns (list, struct, map) and unsupported Parquet codecs are refused by name (row 46).

import {tableFromIPC, Type} from "@uwdata/flechette";
import {parquetMetadata, parquetRead, parquetSchema} from "hyparquet/src/index.js";
import {problem, type Problem} from "./problems.js";
import type {NativeValue} from "./table.js";
import type {NativeColumn} from "./native.js";

export interface NativeRead {
  columns: NativeColumn[];
  numRows: number;
  problems: Problem[];
  ok: boolean;
}

const ARROW_NESTED: Record<number, string> = {
  [Type.List]: "a list column (flatten it to one value per row)",
  [Type.LargeList]: "a list column (flatten it to one value per row)",
  [Type.FixedSizeList]: "a fixed-size list column (flatten it to one value per row)",
  [Type.Struct]: "a struct column (flatten it to one value per row)",
  [Type.Map]: "a map column (flatten it to one value per row)",
  [Type.Union]: "a union column (flatten it to one value per row)",
  [Type.Binary]: "a binary column",
  [Type.LargeBinary]: "a binary column",
  [Type.FixedSizeBinary]: "a binary column",
  [Type.Time]: "a time-of-day column",
  [Type.Interval]: "an interval column",
  [Type.Duration]: "a duration column (convert it to a number of days)"
};

/** Decode Arrow IPC bytes (file or stream format) into native columns. */
export function readArrow(bytes: Uint8Array): NativeRead {
  let table;
  try {
    table = tableFromIPC(bytes, {useBigInt: true, useDate: false, useBigIntTimestamp: false, useDecimalInt: false});
  } catch (e) {
    return {columns: [], numRows: 0, problems: [problem("error", "arrow", `Not a readable Arrow IPC file: ${(e as Error).message}`)], ok: false};
  }
  const fields = table.schema.fields;
  const columns: NativeColumn[] = [];
  for (let j = 0; j < fields.length; ++j) {
    const field = fields[j];
    const typeId = field.type.typeId as number;
    const child = table.getChildAt(j);
    const nested = ARROW_NESTED[typeId];
    if (nested || !child) {
      columns.push({name: field.name, kind: "unsupported", values: [], reason: nested ?? "unreadable"});
      continue;
    }
    const values = child.toArray() as ArrayLike<NativeValue>;
    let kind: NativeColumn["kind"];
    let out: ArrayLike<NativeValue> = values;
    const valueType = typeId === Type.Dictionary ? ((field.type as unknown as {dictionary: {typeId: number}}).dictionary.typeId as number) : typeId;
    if (valueType === Type.Utf8 || valueType === Type.LargeUtf8 || valueType === Type.Utf8View) kind = "string";
    else if (valueType === Type.Bool) kind = "boolean";
    else if (valueType === Type.Date) {
      kind = "date";
      out = Array.from(values as ArrayLike<number | null>, (v) => (v === null ? null : Math.floor(v / 86_400_000)));
    } else if (valueType === Type.Timestamp) kind = "timestamp";
    else if (valueType === Type.Int || valueType === Type.Float || valueType === Type.Decimal || valueType === Type.Null) kind = "number";
    else {
      columns.push({name: field.name, kind: "unsupported", values: [], reason: `of Arrow type id ${valueType}`});
      continue;
    }
    columns.push({name: field.name, kind, values: out});
  }
  return {columns, numRows: table.numRows, problems: [], ok: true};
}

const SUPPORTED_CODECS = new Set(["UNCOMPRESSED", "SNAPPY"]);

interface SchemaNode {
  element: {name: string; type?: string; converted_type?: string; logical_type?: {type: string}; repetition_type?: string};
  children: SchemaNode[];
}

// The chunk copies, one small function per target kind (each stays monomorphic).
function copyNumbers(target: Float64Array, data: ArrayLike<number | null | undefined>, offset: number, from: number, end: number): void {
  for (let i = from; i < end; ++i) {
    const v = data[i - offset];
    target[i] = v === null || v === undefined ? NaN : v;
  }
}

function copyValues(target: NativeValue[], data: ArrayLike<NativeValue>, offset: number, from: number, end: number): void {
  for (let i = from; i < end; ++i) target[i] = data[i - offset];
}

const utf8 = new TextDecoder();

/**
 * UTF-8 text of one Parquet value, as hyparquet's default (TextDecoder) gives it. Short ASCII values (ids,
 * codes) are built with String.fromCharCode: a TextDecoder call per value costs ≈ 1.5 µs in Chromium, which
 * is 1.5 s for a 1,000,000-row id column.
 */
function stringFromBytes(bytes: Uint8Array | undefined): string | undefined {
  if (!bytes) return bytes;
  const n = bytes.length;
  if (n <= 64) {
    let ascii = true;
    for (let k = 0; k < n; ++k)
      if (bytes[k] > 0x7f) {
        ascii = false;
        break;
      }
    if (ascii) return String.fromCharCode.apply(null, bytes as unknown as number[]);
  }
  return utf8.decode(bytes);
}

/** Decode Parquet bytes into native columns; nested columns and codecs other than Snappy/none are refused by name. */
export async function readParquet(bytes: Uint8Array): Promise<NativeRead> {
  const problems: Problem[] = [];
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  let metadata;
  try {
    metadata = parquetMetadata(buffer);
  } catch (e) {
    return {columns: [], numRows: 0, problems: [problem("error", "parquet", `Not a readable Parquet file: ${(e as Error).message}`)], ok: false};
  }
  const root = parquetSchema(metadata) as unknown as SchemaNode;
  const numRows = Number(metadata.num_rows);
  const codecs = new Map<string, string>();
  for (const rg of metadata.row_groups)
    for (const cc of rg.columns) {
      const codec = cc.meta_data?.codec;
      const path = cc.meta_data?.path_in_schema?.[0];
      if (codec && path !== undefined && !SUPPORTED_CODECS.has(codec) && !codecs.has(path)) codecs.set(path, codec);
    }
  const columns: NativeColumn[] = [];
  const readable: string[] = [];
  for (const node of root.children) {
    const el = node.element;
    if (node.children.length > 0 || el.repetition_type === "REPEATED") {
      const lt = el.logical_type?.type ?? el.converted_type;
      const what = `${lt === "LIST" ? "a list column" : lt === "MAP" || lt === "MAP_KEY_VALUE" ? "a map column" : node.children.length ? "a struct (nested) column" : "a repeated column"} (flatten it to one value per row)`;
      columns.push({name: el.name, kind: "unsupported", values: [], reason: what});
      continue;
    }
    const codec = codecs.get(el.name);
    if (codec) {
      columns.push({name: el.name, kind: "unsupported", values: [], reason: `compressed with ${codec}, which this reader does not support (re-save with Snappy or no compression)`});
      continue;
    }
    const lt = el.logical_type?.type;
    const ct = el.converted_type;
    let kind: NativeColumn["kind"];
    if (lt === "JSON" || ct === "JSON" || lt === "BSON" || ct === "BSON") {
      columns.push({name: el.name, kind: "unsupported", values: [], reason: "a JSON (nested) column (flatten it to one value per row)"});
      continue;
    }
    if (lt === "STRING" || ct === "UTF8" || lt === "ENUM" || ct === "ENUM" || (el.type === "BYTE_ARRAY" && !lt && !ct)) kind = "string";
    else if (lt === "DATE" || ct === "DATE") kind = "date";
    else if (lt === "TIMESTAMP" || ct === "TIMESTAMP_MILLIS" || ct === "TIMESTAMP_MICROS" || el.type === "INT96") kind = "timestamp";
    else if (el.type === "BOOLEAN") kind = "boolean";
    else if (el.type === "INT32" || el.type === "INT64" || el.type === "FLOAT" || el.type === "DOUBLE" || lt === "DECIMAL" || ct === "DECIMAL") kind = "number";
    else {
      columns.push({name: el.name, kind: "unsupported", values: [], reason: `of Parquet type ${el.type}${lt ? ` (${lt})` : ""}`});
      continue;
    }
    // Plain 32-bit integers and floats go straight into a Float64Array (null → NaN, which the number column
    // reads as missing, as it reads null); INT64, DECIMAL and the rest keep their native values for the checks.
    const float = kind === "number" && (el.type === "INT32" || el.type === "FLOAT" || el.type === "DOUBLE") && (!lt || lt === "INTEGER") && (!ct || /^U?INT_/.test(ct));
    columns.push({name: el.name, kind, values: float ? new Float64Array(numRows).fill(NaN) : new Array<NativeValue>(numRows).fill(null)});
    readable.push(el.name);
  }
  if (readable.length) {
    const byName = new Map<string, NativeValue[] | Float64Array>();
    for (const c of columns) if (c.kind !== "unsupported" && !byName.has(c.name)) byName.set(c.name, c.values as NativeValue[] | Float64Array);
    try {
      await parquetRead({
        file: buffer,
        metadata,
        columns: Array.from(byName.keys()),
        utf8: true,
        parsers: {
          stringFromBytes,
          dateFromDays: (days: number) => days,
          timestampFromMilliseconds: (ms: bigint) => Number(ms),
          timestampFromMicroseconds: (us: bigint) => Number(us / 1000n),
          timestampFromNanoseconds: (ns: bigint) => Number(ns / 1_000_000n)
        },
        onChunk: ({columnName, columnData, rowStart, rowEnd}) => {
          const target = byName.get(columnName);
          if (!target) return;
          const from = Math.max(rowStart, 0);
          const end = Math.min(rowEnd, numRows);
          if (target instanceof Float64Array) copyNumbers(target, columnData as ArrayLike<number | null | undefined>, rowStart, from, end);
          else copyValues(target, columnData as ArrayLike<NativeValue>, rowStart, from, end);
        }
      });
    } catch (e) {
      problems.push(problem("error", "parquet", `Could not decode the Parquet data: ${(e as Error).message}`));
      return {columns: [], numRows: 0, problems, ok: false};
    }
  }
  return {columns, numRows, problems, ok: true};
}
