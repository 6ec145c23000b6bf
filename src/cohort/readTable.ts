// One entry point for every format: bytes (or text) in, a typed columnar table and a load report out.
// Nothing is thrown for bad data: every problem is in the report, and the table is null when an error
// makes it unusable (the caller keeps its previous dataset).

import {readArrow, readParquet, type NativeRead} from "./binary.js";
import {parseDelimited, type Delimiter} from "./delimited.js";
import {sha256Hex} from "./fingerprint.js";
import {parseJsonColumns} from "./json.js";
import {uniqueNames} from "./names.js";
import {columnsFromNative, nativeKindOf, type NativeColumn} from "./native.js";
import {CohortError, formatCount, hasErrors, problem, quoteValue, type Problem} from "./problems.js";
import {decodeText, kindMessage, sniffKind, type TextEncoding} from "./sniff.js";
import {CohortTable, typeTextColumn, type Column, type ColumnType, type SourceFormat, type TypeOverride} from "./table.js";
import {DEFAULT_NA_TOKENS, naSet, parseDecimal} from "./values.js";

export type InputFormat = "csv" | "tsv" | "json" | "arrow" | "parquet";

export interface ReadOptions {
  /** File name, used for format hints (extension) and to label results. */
  name?: string;
  /** Force a format; by default it is sniffed from magic bytes, then the extension, then the content. */
  format?: InputFormat | "auto";
  /** Text files: delimiter (default sniffed). */
  delimiter?: Delimiter | "auto";
  /** Text files: whether the first row is a header (default true). */
  header?: boolean;
  /** Text files: `error` (default) or `pad` short rows with missing values (listed as warnings). */
  ragged?: "error" | "pad";
  /** Decimal separator for numbers: `auto` (default: a comma only when a whole column is `-?\d+(,\d+)?`), `.` or `,` (then `1.234,5` = 1234.5). */
  decimal?: "auto" | "." | ",";
  /** Missing-value tokens (default {@link DEFAULT_NA_TOKENS}); whitespace-only cells are always missing. */
  naTokens?: Iterable<string>;
  /** Per-column type overrides, as a Map or a plain record (own properties only). */
  types?: ReadonlyMap<string, TypeOverride> | Readonly<Record<string, TypeOverride>>;
  /** Text encoding, when it is not UTF-8 (a UTF-16 BOM is detected without this). */
  encoding?: TextEncoding;
  /** Nested or unsupported columns in JSON/Arrow/Parquet: `error` (default) or `skip` them with a warning. */
  unsupported?: "error" | "skip";
  /** Refuse inputs larger than this many bytes (default 400 MB), before decoding. */
  maxBytes?: number;
  /** Compute the SHA-256 fingerprint of the bytes (default true). */
  fingerprint?: boolean;
}

/** A column's summary in the load report. */
export interface ColumnSummary {
  name: string;
  header: string;
  type: ColumnType;
  missing: number;
  invalid: number;
}

export interface LoadReport {
  ok: boolean;
  name: string;
  format: SourceFormat | null;
  encoding: string | null;
  delimiter: Delimiter | null;
  byteLength: number;
  fingerprint: string | null;
  numRows: number;
  blankRows: number;
  columns: ColumnSummary[];
  problems: Problem[];
  /** The problems' one-line messages, errors first. */
  messages: string[];
}

export interface LoadResult {
  table: CohortTable | null;
  report: LoadReport;
}

/** Default size limit (400 MB): well under V8's 512 Mi-character string limit for text (bad-inputs §3.2). */
export const DEFAULT_MAX_BYTES = 400 * 1024 * 1024;

/** "612.3 MB" */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(2)} GB`;
}

/**
 * Refuse a file that is too large before reading it (catalogue row 7). Returns the problem, or null when
 * the size is acceptable. Pages call this with `File.size` before reading; readTable calls it on the bytes.
 */
export function checkFileSize(byteLength: number, name = "", maxBytes = DEFAULT_MAX_BYTES): Problem | null {
  if (byteLength <= maxBytes) return null;
  return problem(
    "error",
    "too-large",
    `${name ? `${name} is` : "The file is"} ${formatBytes(byteLength)}; the limit is ${formatBytes(maxBytes)}. Use Parquet or Arrow, or export fewer columns or rows.`,
    {value: String(byteLength)}
  );
}

function typeLookup(types: ReadOptions["types"]): (name: string) => TypeOverride | undefined {
  if (!types) return () => undefined;
  if (types instanceof Map) return (name) => types.get(name);
  const rec = types as Readonly<Record<string, TypeOverride>>;
  return (name) => (Object.prototype.hasOwnProperty.call(rec, name) ? rec[name] : undefined);
}

function extension(name: string): string {
  const m = /\.([A-Za-z0-9]+)$/.exec(name);
  return m ? m[1].toLowerCase() : "";
}

/**
 * Read a cohort file: CSV/TSV (our own parser), JSON (array of flat records), Arrow IPC or Parquet.
 * The format is sniffed from magic bytes (a Parquet file named .csv is read as Parquet; an Excel workbook
 * is refused saying what it is), then the extension, then the first character. Every column is typed by
 * looking at all of its values; every problem is reported with column, row and value.
 *
 * @returns `{table, report}`; `table` is null when the report has an error.
 * @example const {table, report} = await readTable(bytes, {name: "cohort.csv"}); report.messages
 */
export async function readTable(input: Uint8Array | ArrayBuffer | string, options: ReadOptions = {}): Promise<LoadResult> {
  const name = options.name ?? "";
  const bytes = typeof input === "string" ? new TextEncoder().encode(input) : input instanceof Uint8Array ? input : new Uint8Array(input);
  const report: LoadReport = {
    ok: false,
    name,
    format: null,
    encoding: null,
    delimiter: null,
    byteLength: bytes.byteLength,
    fingerprint: null,
    numRows: 0,
    blankRows: 0,
    columns: [],
    problems: [],
    messages: []
  };
  const problems = report.problems;
  const done = (table: CohortTable | null): LoadResult => {
    if (hasErrors(problems)) table = null;
    report.ok = table !== null;
    const order = {error: 0, warning: 1, info: 2};
    report.messages = problems
      .map((p, k) => [p, k] as const)
      .sort((a, b) => order[a[0].severity] - order[b[0].severity] || a[1] - b[1])
      .map(([p]) => p.message);
    if (table) {
      report.numRows = table.numRows;
      report.columns = table.names.map((n) => {
        const c = table!.column(n);
        return {name: n, header: c.header, type: c.type, missing: c.missingCount, invalid: c.invalidCount};
      });
    }
    return {table, report};
  };

  const tooLarge = checkFileSize(bytes.byteLength, name, options.maxBytes ?? DEFAULT_MAX_BYTES);
  if (tooLarge) {
    problems.push(tooLarge);
    return done(null);
  }
  if (bytes.byteLength === 0) {
    problems.push(problem("error", "empty", "The file is empty."));
    return done(null);
  }
  if (options.fingerprint !== false) report.fingerprint = await sha256Hex(bytes);

  const na = naSet(options.naTokens ?? DEFAULT_NA_TOKENS);
  const types = typeLookup(options.types);
  const decimal = options.decimal ?? "auto";
  const ext = extension(name);
  const kind = sniffKind(bytes);
  let format: InputFormat | null = options.format && options.format !== "auto" ? options.format : null;

  if (kind === "parquet" || kind === "arrow") {
    if (format && format !== kind) problems.push(problem("warning", "format-mismatch", `Expected ${format.toUpperCase()}, but this is ${kind === "parquet" ? "a Parquet" : "an Arrow IPC"} file; read it as ${kind === "parquet" ? "Parquet" : "Arrow"}`));
    else if (!format && ext && ext !== kind && !(kind === "arrow" && (ext === "feather" || ext === "ipc" || ext === "arrows")))
      problems.push(problem("info", "format-mismatch", `${name} is ${kind === "parquet" ? "a Parquet" : "an Arrow IPC"} file (by its content); read it as ${kind === "parquet" ? "Parquet" : "Arrow"}`));
    format = kind;
  } else if (kind !== "text") {
    problems.push(problem("error", "wrong-format", kindMessage(kind, name)));
    return done(null);
  } else if (format === "parquet" || format === "arrow") {
    problems.push(problem("error", "wrong-format", `Expected ${format === "parquet" ? "a Parquet" : "an Arrow IPC"} file, but ${name || "the input"} does not start with its signature (it looks like text).`));
    return done(null);
  }

  const unsupported = options.unsupported ?? "error";
  if (format === "parquet" || format === "arrow") {
    report.format = format;
    const read: NativeRead = format === "parquet" ? await readParquet(bytes) : readArrow(bytes);
    problems.push(...read.problems);
    if (!read.ok) return done(null);
    const built = columnsFromNative(read.columns, {na, decimal, types, unsupported, formatName: format === "parquet" ? "Parquet" : "Arrow"});
    problems.push(...built.problems);
    if (built.columns.length === 0 && !hasErrors(problems)) problems.push(problem("error", "no-columns", "The file has no readable columns."));
    if (read.numRows === 0 && built.columns.length) problems.push(noRows(built.columns.map((c) => c.name)));
    return done(finish(built.columns, format, read.numRows));
  }

  // Text formats.
  const decoded = decodeText(bytes, options.encoding);
  problems.push(...decoded.problems);
  report.encoding = decoded.encoding;
  if (hasErrors(decoded.problems)) return done(null);
  const text = decoded.text;
  if (text.trim() === "") {
    problems.push(problem("error", "empty", "The file is empty (only blank lines or spaces)."));
    return done(null);
  }
  if (!format) {
    if (ext === "json" || ext === "ndjson" || ext === "jsonl") format = "json";
    else if (ext === "tsv" || ext === "tab") format = "tsv";
    else if (ext === "csv" || ext === "txt") format = "csv";
    else {
      const c = text.trimStart()[0];
      format = c === "[" || c === "{" ? "json" : "csv";
    }
  }
  report.format = format;

  let columns: Column[];
  let numRows: number;
  if (format === "json") {
    const parsed = parseJsonColumns(text);
    problems.push(...parsed.problems);
    if (!parsed.ok) return done(null);
    const natives: NativeColumn[] = parsed.names.map((n, j) => ({
      name: n,
      kind: nativeKindOf(parsed.values[j], parsed.nested.has(n)),
      values: parsed.values[j],
      reason: parsed.nested.has(n) ? `nested (objects or arrays, first at row ${formatCount(parsed.nested.get(n)!)}; flatten it to one value per row)` : undefined
    }));
    const built = columnsFromNative(natives, {na, decimal, types, unsupported, formatName: "JSON"});
    problems.push(...built.problems);
    columns = built.columns;
    numRows = parsed.numRows;
  } else {
    const delimiter = options.delimiter ?? (format === "tsv" ? "\t" : "auto");
    const parsed = parseDelimited(text, {delimiter, header: options.header, ragged: options.ragged});
    problems.push(...parsed.problems);
    report.delimiter = parsed.delimiter;
    report.blankRows = parsed.blankCount;
    if (parsed.delimiter === "\t") report.format = format = "tsv";
    if (!parsed.ok) return done(null);
    const named = uniqueNames(parsed.headers);
    problems.push(...named.problems);
    if (parsed.numRows === 0) {
      problems.push(noRows(parsed.headers));
      return done(null);
    }
    if (options.header !== false && parsed.headers.length > 0 && parsed.headers.every((h) => h.trim() !== "" && !Number.isNaN(parseDecimal(h.trim()))))
      problems.push(
        problem("warning", "header-looks-like-data", `First row looks like data (every name is a number: ${parsed.headers.slice(0, 5).map((h) => quoteValue(h)).join(", ")}); read with header: false to use generic names (column_1, …)`)
      );
    columns = [];
    for (let j = 0; j < named.names.length; ++j) {
      const typed = typeTextColumn(named.names[j], named.headers[j], parsed.columns[j], {na, decimal, type: types(named.names[j])});
      problems.push(...typed.problems);
      columns.push(typed.column);
    }
    numRows = parsed.numRows;
  }
  if (decoded.replacements > 0) problems.push(replacementProblem(columns, decoded.replacements));
  return done(finish(columns, format, numRows));

  function finish(cols: Column[], fmt: SourceFormat, n: number): CohortTable | null {
    if (hasErrors(problems)) return null;
    return new CohortTable(cols, {name, format: fmt, fingerprint: report.fingerprint, byteLength: bytes.byteLength}, n);
  }
}

function noRows(headers: readonly string[]): Problem {
  const list = headers.length > 12 ? headers.slice(0, 12).join(", ") + ", …" : headers.join(", ");
  return problem("error", "no-rows", `No data rows (header has ${headers.length} column${headers.length === 1 ? "" : "s"}: ${list})`, {count: headers.length});
}

function replacementProblem(columns: readonly Column[], count: number): Problem {
  let row = Infinity;
  let col = "";
  let value = "";
  for (const c of columns) {
    const raw = c.raw;
    if (c.header.includes("\uFFFD") && row > 0) {
      row = 0;
      col = c.name;
      value = c.header;
    }
    if (!raw) continue;
    for (let i = 0; i < raw.length && i + 1 < row; ++i)
      if (raw[i].includes("\uFFFD")) {
        row = i + 1;
        col = c.name;
        value = raw[i];
        break;
      }
  }
  const where = row === 0 ? `in the header of column ${quoteValue(col)}` : Number.isFinite(row) ? `first at row ${formatCount(row)}, column ${quoteValue(col)}: ${quoteValue(value)}` : "";
  return problem(
    "warning",
    "encoding",
    `${formatCount(count)} character${count === 1 ? "" : "s"} could not be decoded as UTF-8 (${where}); the file may be Windows-1252/Latin-1 — read it with encoding 'windows-1252' or save it as 'CSV UTF-8'`,
    {column: col || null, row: Number.isFinite(row) && row > 0 ? row : null, value: value || null, count}
  );
}

/**
 * readTable, throwing a CohortError (with every problem) when the table cannot be loaded. For data
 * loaders and the CLI, where a bad file must fail the build with its messages.
 */
export async function readTableOrThrow(input: Uint8Array | ArrayBuffer | string, options: ReadOptions = {}): Promise<{table: CohortTable; report: LoadReport}> {
  const {table, report} = await readTable(input, options);
  if (!table) {
    const errors = report.problems.filter((p) => p.severity === "error").map((p) => p.message);
    throw new CohortError(report.problems, `${options.name ? `${options.name}: ` : ""}${errors.join("\n")}`);
  }
  return {table, report};
}
