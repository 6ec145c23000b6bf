// Problems found while reading, typing and validating a cohort. Every check in src/cohort reports
// through these types, so that a page, a data loader and the CLI can all show the same one-line messages.

/** `error` blocks the load or the analysis; `warning` is shown and needs attention; `info` is a note. */
export type Severity = "error" | "warning" | "info";

/**
 * One problem, located as precisely as possible. `row` is 1-based among the data rows (the header is not
 * a row), in the file's order — the same numbering the engine's SurvivalInputError uses. `line` is the
 * 1-based physical line of a text file when it differs from the row (quoted newlines, header, blank lines).
 */
export interface Problem {
  severity: Severity;
  /** Stable machine-readable code, e.g. `ragged-row`, `non-numeric`, `negative-time`. */
  code: string;
  column: string | null;
  row: number | null;
  value: string | null;
  /** One line of plain text (never HTML), e.g. `time: 37 non-numeric values (first at row 1,204: '12 mo')`. */
  message: string;
  /** Physical line in a text file, when known. */
  line?: number;
  /** All affected rows (1-based) when a problem covers several, capped at {@link MAX_LISTED_ROWS}. */
  rows?: number[];
  /** How many rows/values the problem covers (can exceed `rows.length`). */
  count?: number;
  /** Distinct offending values, when useful (capped at 20). */
  values?: string[];
}

/** At most this many row numbers are listed in one problem; `count` keeps the total. */
export const MAX_LISTED_ROWS = 50;

/** Thrown by the `…OrThrow` helpers and the Node file reader: carries every problem found. */
export class CohortError extends Error {
  readonly problems: Problem[];
  constructor(problems: Problem[], summary?: string) {
    const errors = problems.filter((p) => p.severity === "error");
    super(summary ?? (errors.length ? errors.map((p) => p.message).join("\n") : "invalid cohort data"));
    this.name = "CohortError";
    this.problems = problems;
  }
}

/** Format a 1-based row or count with thousands separators, independent of the user's locale: 1204 → "1,204". */
export function formatCount(n: number): string {
  const s = String(Math.trunc(Math.abs(n)));
  let out = "";
  for (let i = 0; i < s.length; ++i) {
    if (i > 0 && (s.length - i) % 3 === 0) out += ",";
    out += s[i];
  }
  return n < 0 ? "-" + out : out;
}

/** Quote a value for a one-line message: at most 40 characters, control characters escaped, single quotes. */
export function quoteValue(value: unknown): string {
  let s = typeof value === "string" ? value : String(value);
  if (s.length > 40) s = s.slice(0, 37) + "…";
  // eslint-disable-next-line no-control-regex
  s = s.replace(/[\u0000-\u001f\u007f]/g, (c) => (c === "\n" ? "\\n" : c === "\r" ? "\\r" : c === "\t" ? "\\t" : `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`));
  return `'${s}'`;
}

/** "rows 3, 17 and 20" / "rows 3, 17, 20, … (52 rows)": a readable list of 1-based rows. */
export function formatRows(rows: readonly number[], count = rows.length, max = 10): string {
  if (count === 1) return `row ${formatCount(rows[0])}`;
  const shown = rows.slice(0, max).map(formatCount);
  if (count <= max && shown.length === count) return `rows ${shown.slice(0, -1).join(", ")} and ${shown[shown.length - 1]}`;
  return `rows ${shown.join(", ")}, … (${formatCount(count)} rows)`;
}

/** Collects rows for one problem: keeps the first {@link MAX_LISTED_ROWS} rows and counts all of them. */
export class RowList {
  readonly rows: number[] = [];
  count = 0;
  firstValue: string | null = null;
  readonly distinct = new Set<string>();
  add(row: number, value?: string): void {
    if (this.count === 0 && value !== undefined) this.firstValue = value;
    if (this.rows.length < MAX_LISTED_ROWS) this.rows.push(row);
    if (value !== undefined && this.distinct.size < 20) this.distinct.add(value);
    ++this.count;
  }
}

/** Shorthand constructor; omitted location fields are null. */
export function problem(
  severity: Severity,
  code: string,
  message: string,
  where: {column?: string | null; row?: number | null; value?: string | null; line?: number; rows?: number[]; count?: number; values?: string[]} = {}
): Problem {
  const p: Problem = {severity, code, column: where.column ?? null, row: where.row ?? null, value: where.value ?? null, message};
  if (where.line !== undefined) p.line = where.line;
  if (where.rows !== undefined) p.rows = where.rows;
  if (where.count !== undefined) p.count = where.count;
  if (where.values !== undefined) p.values = where.values;
  return p;
}

/** True when any problem is an error. */
export function hasErrors(problems: readonly Problem[]): boolean {
  return problems.some((p) => p.severity === "error");
}
