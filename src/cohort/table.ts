// The columnar cohort table. Columns are kept in a Map keyed by name (never a plain object: `__proto__`,
// `constructor`, `toString` are ordinary column names here), each typed, with a missing mask, an invalid
// mask (present but not a value of the column's type) and the original text for audit.

import {TextCells} from "./delimited.js";
import {CohortError, RowList, formatCount, formatRows, problem, quoteValue, type Problem} from "./problems.js";
import {
  DECIMAL_COMMA,
  decimalAt,
  ID_LIKE,
  ISO_DATE,
  THOUSANDS_DOT_COMMA,
  dateParser,
  isMissingToken,
  parseDecimal,
  parseDecimalComma,
  parseIsoDate
} from "./values.js";

export type ColumnType = "number" | "string" | "date";

interface ColumnBase {
  /** Unique key (the header trimmed, de-duplicated, or `column_k` when empty). */
  readonly name: string;
  /** The header exactly as written in the file (for display and audit). */
  readonly header: string;
  readonly length: number;
  /** 1 where the cell was a missing-value token (or null in a typed format). */
  readonly missing: Uint8Array;
  readonly missingCount: number;
  /** 1 where a value is present but is not a value of the column's type (`12 mo` in a number column), else null. */
  readonly invalid: Uint8Array | null;
  readonly invalidCount: number;
  /** The original cell text (text formats); null when the typed values are themselves the originals. */
  readonly raw: ArrayLike<string> | null;
  /** Human-readable description (derived columns: "Age ≤ 9 years (from age)"). */
  readonly label?: string;
}

/** Numbers as Float64Array; NaN where missing or invalid (see the masks: NaN alone never means missing). */
export interface NumberColumn extends ColumnBase {
  readonly type: "number";
  readonly values: Float64Array;
  /** True when the column was read with decimal commas (`5,5` = 5.5). */
  readonly decimalComma?: boolean;
  /** For coded columns (0/1 indicators), the meaning of each code. */
  readonly codeLabels?: ReadonlyMap<number, string>;
}

/** Text; null where missing. Values are kept exactly as written (not trimmed, case kept). */
export interface StringColumn extends ColumnBase {
  readonly type: "string";
  readonly values: readonly (string | null)[];
  /** Ordered levels for derived categorical columns (cut points), else undefined (sorted on use). */
  readonly levels?: readonly string[];
}

/** Calendar dates as days since 1970-01-01 (UTC calendar, no time zone, no DST); NaN where missing/invalid. */
export interface DateColumn extends ColumnBase {
  readonly type: "date";
  readonly values: Float64Array;
  /** The format the dates were read with, e.g. `YYYY-MM-DD`. */
  readonly format: string;
}

export type Column = NumberColumn | StringColumn | DateColumn;

export type SourceFormat = "csv" | "tsv" | "json" | "arrow" | "parquet" | "derived";

/** Where a table came from: enough to label every result with the file (catalogue row 52). */
export interface TableSource {
  name: string;
  format: SourceFormat;
  /** SHA-256 of the file bytes, lowercase hex, or null when not computed. */
  fingerprint: string | null;
  byteLength: number;
}

/**
 * An immutable columnar table. Column order is the file's; lookups go through a Map.
 * Derivations (`withColumn`, `selectRows`) return new tables sharing unchanged columns.
 */
export class CohortTable {
  readonly names: readonly string[];
  readonly numRows: number;
  readonly source: TableSource;
  readonly #columns: Map<string, Column>;

  constructor(columns: readonly Column[], source: TableSource, numRows?: number) {
    const map = new Map<string, Column>();
    for (const c of columns) {
      if (map.has(c.name)) throw new Error(`duplicate column name ${JSON.stringify(c.name)}`);
      map.set(c.name, c);
    }
    const n = numRows ?? (columns.length ? columns[0].length : 0);
    for (const c of columns) if (c.length !== n) throw new Error(`column ${JSON.stringify(c.name)} has ${c.length} values, table has ${n} rows`);
    this.#columns = map;
    this.names = columns.map((c) => c.name);
    this.numRows = n;
    this.source = source;
  }

  /** The columns by name (read-only view). */
  get columns(): ReadonlyMap<string, Column> {
    return this.#columns;
  }

  has(name: string): boolean {
    return this.#columns.has(name);
  }

  /** The named column; throws a CohortError (`unknown-column`) listing the available names. */
  column(name: string): Column {
    const c = this.#columns.get(name);
    if (!c) {
      const list = this.names.length > 12 ? this.names.slice(0, 12).join(", ") + ", …" : this.names.join(", ");
      throw new CohortError([problem("error", "unknown-column", `No column ${quoteValue(name)} (columns: ${list})`, {column: name})]);
    }
    return c;
  }

  /** A new table with `column` appended, or replacing the column of the same name. */
  withColumn(column: Column): CohortTable {
    if (column.length !== this.numRows) throw new Error(`column ${JSON.stringify(column.name)} has ${column.length} values, table has ${this.numRows} rows`);
    const cols = this.names.map((n) => (n === column.name ? column : this.#columns.get(n)!));
    if (!this.#columns.has(column.name)) cols.push(column);
    return new CohortTable(cols, this.source, this.numRows);
  }

  /** A new table with the rows where `mask[i]` is 1, in order. */
  selectRows(mask: Uint8Array): CohortTable {
    if (mask.length !== this.numRows) throw new Error(`mask has ${mask.length} entries, table has ${this.numRows} rows`);
    let n = 0;
    for (let i = 0; i < mask.length; ++i) if (mask[i]) ++n;
    const idx = new Int32Array(n);
    for (let i = 0, j = 0; i < mask.length; ++i) if (mask[i]) idx[j++] = i;
    return new CohortTable(this.names.map((name) => takeRows(this.#columns.get(name)!, idx)), this.source, n);
  }
}

/** Is row i (0-based) missing or invalid in this column? */
export function isNA(column: Column, i: number): boolean {
  return column.missing[i] === 1 || (column.invalid !== null && column.invalid[i] === 1);
}

const CELLS = Symbol("cells");

/**
 * Give a column its original text. From the delimited parser the cells stay offsets into the file text and
 * `raw` becomes an array only when first read (most numeric columns are never audited cell by cell).
 */
function attachRaw<C extends Column>(column: C, raw: readonly string[] | TextCells): C {
  if (!(raw instanceof TextCells)) {
    (column as {raw: ArrayLike<string> | null}).raw = raw;
    return column;
  }
  Object.defineProperty(column, CELLS, {value: raw, enumerable: false});
  Object.defineProperty(column, "raw", {
    configurable: true,
    enumerable: true,
    get() {
      const array = raw.toArray();
      Object.defineProperty(column, "raw", {value: array, enumerable: true, configurable: false, writable: false});
      return array;
    }
  });
  return column;
}

function cellsOf(column: Column): TextCells | undefined {
  return (column as unknown as {[CELLS]?: TextCells})[CELLS];
}

/** The original text of a cell (for audit and messages). */
export function rawValue(column: Column, i: number): string {
  const cells = cellsOf(column);
  if (cells) return cells.get(i);
  if (column.raw) return column.raw[i];
  const v = column.values[i];
  if (column.missing[i]) return "";
  if (column.type === "date") return Number.isNaN(v as number) ? String(v) : new Date((v as number) * 86_400_000).toISOString().slice(0, 10);
  return String(v);
}

function takeRows(c: Column, idx: Int32Array): Column {
  const n = idx.length;
  const missing = new Uint8Array(n);
  const invalid = c.invalid ? new Uint8Array(n) : null;
  let mc = 0;
  let ic = 0;
  const hasRaw = cellsOf(c) !== undefined || c.raw !== null;
  const raw = hasRaw ? new Array<string>(n) : null;
  for (let j = 0; j < n; ++j) {
    const i = idx[j];
    if ((missing[j] = c.missing[i])) ++mc;
    if (invalid && (invalid[j] = c.invalid![i])) ++ic;
    if (raw) raw[j] = rawValue(c, i);
  }
  const base = {name: c.name, header: c.header, length: n, missing, missingCount: mc, invalid, invalidCount: ic, raw, label: c.label};
  if (c.type === "string") {
    const values = new Array<string | null>(n);
    for (let j = 0; j < n; ++j) values[j] = c.values[idx[j]];
    return {...base, type: "string", values, levels: c.levels};
  }
  const values = new Float64Array(n);
  for (let j = 0; j < n; ++j) values[j] = c.values[idx[j]];
  if (c.type === "date") return {...base, type: "date", values, format: c.format};
  return {...base, type: "number", values, decimalComma: c.decimalComma, codeLabels: c.codeLabels};
}

/** How a column should be typed: inferred (default) or forced; dates in a non-ISO format need `format`. */
export type TypeOverride = ColumnType | {type: "date"; format: string} | {type: "number"; decimal?: "." | ","};

export interface TextTypingOptions {
  na: Set<string>;
  /** `auto`: a column is read with decimal commas only when every value matches `^-?\d+(,\d+)?$`. */
  decimal: "auto" | "." | ",";
  type?: TypeOverride;
  /** Numbering offset for messages: row of raw[0] (1 by default). */
  firstRow?: number;
}

/**
 * Type one text column by looking at every value (never a prefix): missing tokens are masked and counted;
 * the column is a number column when at least half of the present values are plain decimals (the rest are
 * flagged invalid and reported), a date column when every present value is an ISO date, text otherwise.
 * Ids with leading zeros or more than 15 digits stay text.
 */
export function typeTextColumn(name: string, header: string, raw: readonly string[] | TextCells, options: TextTypingOptions): {column: Column; problems: Problem[]} {
  const {na, decimal} = options;
  const override = options.type;
  const first = options.firstRow ?? 1;
  const n = raw.length;
  const problems: Problem[] = [];
  const missing = new Uint8Array(n);
  let missingCount = 0;
  const forced = typeof override === "string" ? override : override?.type;

  if (forced === "string") return {column: stringColumn(name, header, raw, na), problems};
  if (forced === "date") {
    const format = typeof override === "object" && override.type === "date" ? override.format : "YYYY-MM-DD";
    return dateColumn(name, header, raw, na, format, first);
  }

  const values = new Float64Array(n);
  const nonNumeric = new RowList();
  let nNum = 0;
  let nDotted = 0;
  let nComma = 0;
  let nThousands = 0;
  let nIso = 0;
  let idRow = -1;
  let idValue = "";
  const cells = raw instanceof TextCells ? raw : null;
  const get = cells ? (i: number) => cells.get(i) : (i: number) => (raw as readonly string[])[i];
  // Fast path over file offsets (no string per cell): empty cells, and plain decimals when no missing token
  // is itself a number (e.g. a declared "-99").
  const text = cells ? cells.text : "";
  const starts = cells ? cells.start : null;
  const ends = cells ? cells.end : null;
  const escaped = cells ? cells.escaped : null;
  let numericToken = false;
  for (const t of na) if (!Number.isNaN(parseDecimal(t))) numericToken = true;
  for (let i = 0; i < n; ++i) {
    if (starts !== null && (escaped === null || !escaped.has(i))) {
      const a = starts[i];
      const b = ends![i];
      if (a === b) {
        missing[i] = 1;
        ++missingCount;
        values[i] = NaN;
        continue;
      }
      if (!numericToken) {
        const x = decimalAt(text, a, b);
        if (x === x) {
          values[i] = x;
          ++nNum;
          if (idRow < 0 && b - a > 1) {
            const z = text.charCodeAt(a) === 45 || text.charCodeAt(a) === 43 ? a + 1 : a;
            if (text.charCodeAt(z) === 48 && ID_LIKE.test(text.slice(a, b))) {
              idRow = i;
              idValue = text.slice(a, b);
            }
          }
          continue;
        }
      }
    }
    const s = get(i);
    if (isMissingToken(s, na)) {
      missing[i] = 1;
      ++missingCount;
      values[i] = NaN;
      continue;
    }
    const c0 = s.charCodeAt(0);
    const c1 = s.charCodeAt(s.length - 1);
    const t = c0 <= 32 || c1 <= 32 || c0 === 0xa0 || c1 === 0xa0 ? s.trim() : s;
    const x = parseDecimal(t);
    values[i] = x;
    if (x === x) {
      ++nNum;
      if (idRow < 0 && (t.length > 15 || t.charCodeAt(t[0] === "-" || t[0] === "+" ? 1 : 0) === 48) && ID_LIKE.test(t)) {
        idRow = i;
        idValue = s;
      }
    } else {
      nonNumeric.add(i + first, s);
      if (DECIMAL_COMMA.test(t)) ++nComma;
      else if (THOUSANDS_DOT_COMMA.test(t)) ++nThousands;
      else if (ISO_DATE.test(t)) ++nIso;
    }
  }
  const present = n - missingCount;
  const base = {name, header, length: n, missing, missingCount, raw: null};
  if (nComma > 0) {
    // Only needed to tell decimal commas from a mix of separators: count values with a point or exponent.
    for (let i = 0; i < n; ++i) if (!missing[i] && values[i] === values[i] && /[.eE]/.test(get(i))) ++nDotted;
  }

  // Forced or detected decimal comma: re-read every present value in comma mode.
  const explicitComma = decimal === "," || (typeof override === "object" && override.type === "number" && override.decimal === ",");
  const autoComma = decimal === "auto" && nComma > 0 && nComma === nonNumeric.count && nDotted === 0;
  if (explicitComma || autoComma) {
    const invalid = new Uint8Array(n);
    const bad = new RowList();
    for (let i = 0; i < n; ++i) {
      if (missing[i]) continue;
      const v = get(i);
      const x = parseDecimalComma(v.trim(), explicitComma);
      values[i] = x;
      if (x !== x) {
        invalid[i] = 1;
        bad.add(i + first, v);
      }
    }
    if (autoComma) {
      const example = firstCommaValue(get, n, missing);
      problems.push(problem("info", "decimal-comma", `${name}: read with decimal commas (${quoteValue(example)} = ${String(parseDecimalComma(example.trim()))})`, {column: name}));
    }
    if (bad.count) problems.push(nonNumericProblem(name, bad));
    return {column: attachRaw({...base, type: "number", values, invalid: bad.count ? invalid : null, invalidCount: bad.count, decimalComma: true} as NumberColumn, raw), problems};
  }

  if (forced !== "number") {
    if (present === 0) {
      problems.push(problem("warning", "all-missing", `${name}: all ${formatCount(n)} values are missing`, {column: name, count: n}));
      return {column: attachRaw({...base, type: "number", values, invalid: null, invalidCount: 0} as NumberColumn, raw), problems};
    }
    if (idRow >= 0 && nonNumeric.count === 0) {
      const why = idValue.trim().replace(/^[-+]/, "").length > 15 ? "more than 15 digits" : "leading zeros";
      problems.push(
        problem("info", "kept-as-text", `${name}: kept as text because values have ${why} (first at row ${formatCount(idRow + first)}: ${quoteValue(idValue)})`, {
          column: name,
          row: idRow + first,
          value: idValue
        })
      );
      return {column: stringColumn(name, header, raw, na), problems};
    }
    if (nNum === 0 && nIso > 0 && nIso === nonNumeric.count) return dateColumn(name, header, raw, na, "YYYY-MM-DD", first);
    if (nThousands > 0 && nThousands + nComma + nNum === present) {
      const row = firstMatching(get, n, missing, THOUSANDS_DOT_COMMA);
      problems.push(
        problem(
          "warning",
          "ambiguous-number",
          `${name}: ambiguous number ${quoteValue(get(row))} at row ${formatCount(row + first)} (dot thousands separator with a decimal comma?); read as text — declare decimal: ',' to read it as a number`,
          {column: name, row: row + first, value: get(row), count: nThousands}
        )
      );
      return {column: stringColumn(name, header, raw, na), problems};
    }
    if (nComma > 0 && nDotted > 0 && nComma + nNum === present) {
      problems.push(problem("warning", "mixed-decimal", `${name}: mixes decimal points and decimal commas (first comma at row ${formatCount(nonNumeric.rows[0])}: ${quoteValue(nonNumeric.firstValue)}); read as text`, {column: name, row: nonNumeric.rows[0], value: nonNumeric.firstValue}));
      return {column: stringColumn(name, header, raw, na), problems};
    }
    if (nNum * 2 < present || nNum === 0) {
      const column = stringColumn(name, header, raw, na);
      const dateHint = nonIsoDateHint(name, column);
      if (dateHint) problems.push(dateHint);
      return {column, problems};
    }
  }
  let invalid: Uint8Array | null = null;
  if (nonNumeric.count) {
    invalid = new Uint8Array(n);
    for (let i = 0; i < n; ++i) if (!missing[i] && values[i] !== values[i]) invalid[i] = 1;
    problems.push(nonNumericProblem(name, nonNumeric));
  }
  return {column: attachRaw({...base, type: "number", values, invalid, invalidCount: nonNumeric.count} as NumberColumn, raw), problems};
}

function nonNumericProblem(name: string, list: RowList): Problem {
  const examples = Array.from(list.distinct).slice(0, 5);
  const what = list.count === 1 ? "1 non-numeric value" : `${formatCount(list.count)} non-numeric values`;
  return problem("warning", "non-numeric", `${name}: ${what} (first at row ${formatCount(list.rows[0])}: ${quoteValue(list.firstValue)})`, {
    column: name,
    row: list.rows[0],
    value: list.firstValue,
    rows: list.rows,
    count: list.count,
    values: examples
  });
}

function firstCommaValue(get: (i: number) => string, n: number, missing: Uint8Array): string {
  for (let i = 0; i < n; ++i) if (!missing[i] && get(i).includes(",")) return get(i);
  return "";
}

function firstMatching(get: (i: number) => string, n: number, missing: Uint8Array, re: RegExp): number {
  for (let i = 0; i < n; ++i) if (!missing[i] && re.test(get(i).trim())) return i;
  return 0;
}

const DATE_LIKE = /^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/;

function nonIsoDateHint(name: string, column: StringColumn): Problem | null {
  let dateLike = 0;
  let dateTime = 0;
  let iso = 0;
  let present = 0;
  let example = "";
  for (const v of column.values) {
    if (v === null) continue;
    ++present;
    const t = v.trim();
    if (ISO_DATE.test(t)) ++iso;
    else if (DATE_TIME.test(t)) ++dateTime;
    else if (DATE_LIKE.test(t)) {
      ++dateLike;
      if (!example) example = v;
    }
  }
  if (present === 0) return null;
  if (dateTime > 0 && dateTime + iso === present)
    return problem("warning", "date-time", `${name}: has date-times (not only dates); read as text — only ISO dates (YYYY-MM-DD) are read as dates`, {column: name});
  if (dateLike > 0 && dateLike + iso >= 0.8 * present)
    return problem("warning", "date-format", `${name}: looks like dates in a non-ISO format (e.g. ${quoteValue(example)}); read as text — declare its format (e.g. DD/MM/YYYY or MM/DD/YYYY) to use it as a date`, {column: name, value: example});
  return null;
}

function stringColumn(name: string, header: string, input: readonly string[] | TextCells, na: Set<string>): StringColumn {
  const raw = input instanceof TextCells ? input.toArray() : input;
  const n = raw.length;
  const missing = new Uint8Array(n);
  const values = new Array<string | null>(n);
  let missingCount = 0;
  for (let i = 0; i < n; ++i) {
    const s = raw[i];
    if (isMissingToken(s, na)) {
      missing[i] = 1;
      ++missingCount;
      values[i] = null;
    } else values[i] = s;
  }
  return {type: "string", name, header, length: n, missing, missingCount, invalid: null, invalidCount: 0, raw, values};
}

function dateColumn(name: string, header: string, input: readonly string[] | TextCells, na: Set<string>, format: string, first: number): {column: DateColumn; problems: Problem[]} {
  const parse = format === "YYYY-MM-DD" ? parseIsoDate : dateParser(format);
  const raw = input instanceof TextCells ? input.toArray() : input;
  const n = raw.length;
  const missing = new Uint8Array(n);
  const values = new Float64Array(n);
  const invalid = new Uint8Array(n);
  const bad = new RowList();
  let missingCount = 0;
  for (let i = 0; i < n; ++i) {
    const s = raw[i];
    if (isMissingToken(s, na)) {
      missing[i] = 1;
      ++missingCount;
      values[i] = NaN;
      continue;
    }
    const d = parse(s.trim());
    values[i] = d;
    if (d !== d) {
      invalid[i] = 1;
      bad.add(i + first, s);
    }
  }
  const problems: Problem[] = [];
  if (bad.count)
    problems.push(
      problem("warning", "invalid-date", `${name}: ${bad.count === 1 ? "1 value is not a valid" : `${formatCount(bad.count)} values are not valid`} ${format} date (first at row ${formatCount(bad.rows[0])}: ${quoteValue(bad.firstValue)})`, {
        column: name,
        row: bad.rows[0],
        value: bad.firstValue,
        rows: bad.rows,
        count: bad.count,
        values: Array.from(bad.distinct)
      })
    );
  return {column: {type: "date", name, header, length: n, missing, missingCount, invalid: bad.count ? invalid : null, invalidCount: bad.count, raw, values, format}, problems};
}

/** A cell of a typed format (JSON, Arrow, Parquet) before it is put in a column. */
export type NativeValue = number | bigint | string | boolean | null | undefined;

/**
 * Build a number column from native numbers/BigInts (Arrow/Parquet int64, JSON numbers). BigInts are
 * converted after a safe-integer check (|x| ≤ 2^53 − 1): an unsafe value is an error naming the column.
 * NaN and null are missing; ±Infinity is invalid.
 */
export function numberColumnFromNative(name: string, values: ArrayLike<NativeValue>, first = 1): {column: NumberColumn; problems: Problem[]} {
  const n = values.length;
  const out = new Float64Array(n);
  const missing = new Uint8Array(n);
  let missingCount = 0;
  const inf = new RowList();
  const unsafe = new RowList();
  if (values instanceof Float64Array) {
    // Parquet/Arrow 32-bit integers and floats (null already NaN): the same rules as below, numbers only.
    for (let i = 0; i < n; ++i) {
      const v = values[i];
      if (v !== v) {
        missing[i] = 1;
        ++missingCount;
        out[i] = NaN;
      } else if (v === Infinity || v === -Infinity) {
        out[i] = NaN;
        inf.add(i + first, String(v));
      } else out[i] = v + 0;
    }
  } else for (let i = 0; i < n; ++i) {
    const v = values[i];
    if (v === null || v === undefined || (typeof v === "number" && v !== v)) {
      missing[i] = 1;
      ++missingCount;
      out[i] = NaN;
    } else if (typeof v === "bigint") {
      if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) {
        unsafe.add(i + first, String(v));
        out[i] = NaN;
      } else out[i] = Number(v);
    } else if (typeof v === "boolean") out[i] = v ? 1 : 0;
    else {
      const x = +v;
      out[i] = Number.isFinite(x) ? x + 0 : NaN;
      if (!Number.isFinite(x)) inf.add(i + first, String(v));
    }
  }
  const problems: Problem[] = [];
  let invalid: Uint8Array | null = null;
  if (unsafe.count) {
    problems.push(
      problem("error", "unsafe-integer", `${name}: ${formatCount(unsafe.count)} integer${unsafe.count === 1 ? "" : "s"} beyond ±2^53 − 1 cannot be represented exactly (first at row ${formatCount(unsafe.rows[0])}: ${unsafe.firstValue}); store ids as text`, {
        column: name,
        row: unsafe.rows[0],
        value: unsafe.firstValue,
        rows: unsafe.rows,
        count: unsafe.count
      })
    );
  }
  if (inf.count || unsafe.count) {
    invalid = new Uint8Array(n);
    for (const r of inf.rows) invalid[r - first] = 1;
    for (const r of unsafe.rows) invalid[r - first] = 1;
    if (inf.count > inf.rows.length || unsafe.count > unsafe.rows.length) {
      for (let i = 0; i < n; ++i) if (!missing[i] && out[i] !== out[i]) invalid[i] = 1;
    }
    if (inf.count) problems.push(problem("warning", "non-finite", `${name}: ${formatCount(inf.count)} infinite value${inf.count === 1 ? "" : "s"} (${formatRows(inf.rows, inf.count)})`, {column: name, row: inf.rows[0], value: inf.firstValue, rows: inf.rows, count: inf.count}));
  }
  return {column: {type: "number", name, header: name, length: n, missing, missingCount, invalid, invalidCount: inf.count + unsafe.count, raw: null, values: out}, problems};
}

/** Build a string column from native strings (null = missing; missing tokens such as "NA" also count as missing). */
export function stringColumnFromNative(name: string, values: ArrayLike<string | null | undefined>, na: Set<string>): StringColumn {
  const n = values.length;
  const missing = new Uint8Array(n);
  const out = new Array<string | null>(n);
  let missingCount = 0;
  // The same rules as stringColumn on the text (null → "" → missing), in one pass. A dictionary-encoded
  // column repeats a few string objects: the answers for the first 16 distinct ones are kept and reused
  // (until a 17th distinct value shows that the column is not such a column, e.g. ids).
  const seen: string[] = [];
  const seenMissing: boolean[] = [];
  let few = true;
  for (let i = 0; i < n; ++i) {
    const v = values[i];
    let isMissing = v === null || v === undefined;
    if (!isMissing) {
      let k = 0;
      if (few) while (k < seen.length && seen[k] !== v) ++k;
      if (few && k < seen.length) isMissing = seenMissing[k];
      else {
        isMissing = isMissingToken(v as string, na);
        if (seen.length < 16) {
          seen.push(v as string);
          seenMissing.push(isMissing);
        } else few = false;
      }
    }
    if (isMissing) {
      missing[i] = 1;
      ++missingCount;
      out[i] = null;
    } else out[i] = v as string;
  }
  return {type: "string", name, header: name, length: n, missing, missingCount, invalid: null, invalidCount: 0, raw: null, values: out};
}

/** Build a date column from days since 1970-01-01 (null/NaN = missing). */
export function dateColumnFromDays(name: string, days: ArrayLike<number | null | undefined>): DateColumn {
  const n = days.length;
  const values = new Float64Array(n);
  const missing = new Uint8Array(n);
  let missingCount = 0;
  for (let i = 0; i < n; ++i) {
    const d = days[i];
    if (d === null || d === undefined || d !== d) {
      missing[i] = 1;
      ++missingCount;
      values[i] = NaN;
    } else values[i] = d;
  }
  return {type: "date", name, header: name, length: n, missing, missingCount, invalid: null, invalidCount: 0, raw: null, values, format: "YYYY-MM-DD"};
}
