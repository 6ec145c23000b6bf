// Pure serialisers behind the download buttons: CSV (RFC 4180, with spreadsheet formula-injection
// neutralised), JSON (typed arrays as arrays, NaN/±Infinity as null) and safe file names. No DOM.

/** A CSV column: a key into each row, with an optional header and a numeric flag. */
export interface CsvColumn {
  /** Property read from each row (own properties only: "__proto__" and "constructor" are fine). */
  key: string;
  /** Header text (defaults to the key). */
  header?: string;
  /**
   * A numeric column: finite numbers are written as numbers (full precision, "-3" stays "-3");
   * non-numbers in it are written as text and neutralised like any other text.
   */
  numeric?: boolean;
}

/** Options for {@link toCsv}. */
export interface CsvOptions {
  /** Field separator (default ","). */
  delimiter?: string;
  /** Line ending (default "\r\n", as RFC 4180). */
  newline?: string;
}

/** Characters that make a spreadsheet treat a cell as a formula (OWASP "CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Text that a spreadsheet would run as a formula gets a leading apostrophe: `=HYPERLINK(…)` →
 * `'=HYPERLINK(…)`. Applies to text cells only; numbers are never passed here.
 */
export function neutralizeFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** Own-property read: `row["__proto__"]` on a plain object would otherwise return its prototype. */
export function ownValue(row: unknown, key: string): unknown {
  return row !== null && typeof row === "object" && Object.prototype.hasOwnProperty.call(row, key)
    ? (row as Record<string, unknown>)[key]
    : undefined;
}

function quote(field: string, delimiter: string): string {
  return field.includes('"') || field.includes(delimiter) || /[\r\n]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field;
}

/** One CSV cell: numbers as numbers (non-finite → empty), null/undefined → empty, text neutralised. */
export function csvCell(value: unknown, numeric: boolean): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return "";
    const s = Object.is(value, -0) ? "0" : String(value);
    return numeric ? s : neutralizeFormula(s);
  }
  if (typeof value === "bigint") return numeric ? String(value) : neutralizeFormula(String(value));
  if (typeof value === "boolean") return String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "" : value.toISOString();
  return neutralizeFormula(String(value));
}

/**
 * Rows to CSV text. Columns are given explicitly (strings are keys); headers are text and are
 * neutralised too. Numeric columns keep numbers numeric; every text cell that starts with
 * = + - @ (or a tab/CR) is prefixed with an apostrophe so spreadsheets do not evaluate it.
 *
 * @example toCsv([{a: -3, b: "=1+1"}], [{key: "a", numeric: true}, "b"]) // "a,b\r\n-3,'=1+1\r\n"
 */
export function toCsv(rows: Iterable<unknown>, columns: readonly (string | CsvColumn)[], options: CsvOptions = {}): string {
  const {delimiter = ",", newline = "\r\n"} = options;
  const cols = columns.map((c) => (typeof c === "string" ? {key: c} : c));
  const lines = [cols.map((c) => quote(neutralizeFormula(c.header ?? c.key), delimiter)).join(delimiter)];
  for (const row of rows) {
    lines.push(cols.map((c) => quote(csvCell(ownValue(row, c.key), c.numeric === true), delimiter)).join(delimiter));
  }
  return lines.join(newline) + newline;
}

/**
 * JSON text for an export: typed arrays become arrays, NaN/±Infinity become null (as the engine's
 * convention for undefined quantities), Maps become objects; indented by 2.
 */
export function toJson(value: unknown): string {
  return JSON.stringify(
    value,
    function (_key, v: unknown) {
      if (typeof v === "number" && !Number.isFinite(v)) return null;
      if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>, (x) => (Number.isFinite(x) ? x : null));
      if (v instanceof Map) return Object.fromEntries(v);
      if (v instanceof Set) return Array.from(v);
      if (typeof v === "bigint") return Number(v);
      return v;
    },
    2
  );
}

/**
 * A file name safe on every OS: path separators, control and reserved characters become "-",
 * whitespace runs "_", at most 120 characters, never empty; `extension` is appended if missing.
 */
export function safeFilename(name: string, extension: string): string {
  const ext = extension.startsWith(".") ? extension : `.${extension}`;
  let base = String(name)
    .replace(new RegExp(`${ext.replace(".", "\\.")}$`, "i"), "")
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f<>:"/\\|?*]+/g, "-")
    .replace(/\s+/g, "_")
    .replace(/^[.\-_]+|[.\-_]+$/g, "")
    .slice(0, 120);
  if (!base) base = "export";
  return base + ext;
}
