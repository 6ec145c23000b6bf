// Writing tables of results as CSV for download, safe to open in a spreadsheet: text cells that start with
// =, +, -, @ (or tab/CR) are prefixed with ' so they are not run as formulas (CSV injection); numbers stay
// numbers (a negative number is written as is, not neutralised).

/** One output column: numbers (null/NaN → empty) or text (null → empty). */
export interface CsvColumn {
  name: string;
  values: ArrayLike<number | string | null>;
}

const FORMULA = /^[=+\-@\t\r]/;

/** Neutralise a text cell for spreadsheets: prefix ' when it would start a formula. */
export function neutraliseCell(text: string): string {
  return FORMULA.test(text) ? `'${text}` : text;
}

function quote(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * CSV text (RFC 4180, CRLF line ends, comma delimiter) from columns. Header names and text cells are
 * neutralised against formula injection; finite numbers are written with full precision (String(x));
 * missing values (null, NaN) are empty cells; ±Infinity is written as empty, never as "Infinity".
 */
export function toCsv(columns: readonly CsvColumn[]): string {
  const n = columns.length ? columns[0].values.length : 0;
  for (const c of columns) if (c.values.length !== n) throw new Error(`column ${JSON.stringify(c.name)} has ${c.values.length} values, expected ${n}`);
  const lines: string[] = [columns.map((c) => quote(neutraliseCell(c.name))).join(",")];
  for (let i = 0; i < n; ++i) {
    let line = "";
    for (let j = 0; j < columns.length; ++j) {
      const v = columns[j].values[i];
      const cell = v === null || v === undefined ? "" : typeof v === "number" ? (Number.isFinite(v) ? String(v) : "") : quote(neutraliseCell(v));
      line += j ? "," + cell : cell;
    }
    lines.push(line);
  }
  return lines.join("\r\n") + "\r\n";
}
