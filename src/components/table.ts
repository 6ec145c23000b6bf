// Static HTML tables: a generic builder (explicit columns, headers and formats held in
// null-prototype maps, so columns named "__proto__", "constructor" or "toString" work) and the
// cohort "Table 1". Every value is written as text (an HTML string shows its tags, it is never
// parsed); optional small-cell masking prints counts below a threshold as "<k".

import {MISSING, formatCount, formatNumber, formatP, isFiniteNumber, isMasked} from "./format.js";
import {ownValue} from "./serialize.js";
import {h} from "./dom.js";
import {downloadButtons} from "./exports.js";
import {message} from "./message.js";

/** Cell formatter: returns text (set as text) or, explicitly, a DOM node. */
export type CellFormat = (value: unknown, row: unknown) => string | Node;

/** Options of {@link dataTable}. */
export interface DataTableOptions {
  /** Columns in order (default: own keys of the rows, in first-seen order). */
  columns?: readonly string[];
  /** Header text per column (own properties only; missing → the column name). */
  header?: Readonly<Record<string, string>>;
  /** Formatter per column (own properties only). */
  format?: Readonly<Record<string, CellFormat>>;
  /** Alignment per column (default: right for columns whose values are all numbers). */
  align?: Readonly<Record<string, "left" | "right" | "center">>;
  /** Mask counts 1…k−1 as "<k" in `maskColumns`. */
  maskBelow?: number;
  /** Columns holding counts to mask (default none). */
  maskColumns?: readonly string[];
  /** Caption above the table. */
  caption?: string;
  /** Add a CSV download button with this file name stem. */
  download?: string | false;
  /** Message when there are no rows (default "No patients match these filters"). */
  emptyMessage?: string;
}

/** Copy the own enumerable properties of `o` into a null-prototype map. */
export function ownMap<T>(o: Readonly<Record<string, T>> | undefined | null): Record<string, T> {
  const m = Object.create(null) as Record<string, T>;
  if (o) for (const k of Object.keys(o)) m[k] = o[k];
  return m;
}

function has(m: Record<string, unknown>, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(m, k);
}

/** Default text for a value: integers as is, other numbers to 3 significant digits, null → "—". */
export function defaultCellText(value: unknown): string {
  if (value === null || value === undefined) return MISSING;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return MISSING;
    return Number.isInteger(value) ? formatNumber(value, 0) : formatNumber(value, Math.max(0, 2 - Math.floor(Math.log10(Math.abs(value))))).replace(/^(−?\d+\.\d*?)0+$/, "$1").replace(/\.$/, "");
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? MISSING : value.toISOString().slice(0, 10);
  if (typeof value === "boolean") return value ? "yes" : "no";
  return String(value);
}

/** The pure content of a table: column keys, header texts, alignment and cells. */
export interface TableModel {
  columns: string[];
  headers: string[];
  align: ("left" | "right" | "center")[];
  cells: (string | Node)[][];
}

/** Columns, headers and cell contents of {@link dataTable}, without the DOM. */
export function tableModel(rows: readonly unknown[], options: DataTableOptions = {}): TableModel {
  const header = ownMap(options.header);
  const format = ownMap(options.format);
  const align = ownMap(options.align);
  const mask = new Set(options.maskColumns ?? []);
  const {maskBelow = 0} = options;
  let columns: string[];
  if (options.columns) columns = [...options.columns];
  else {
    const seen = new Set<string>();
    for (const r of rows) if (r !== null && typeof r === "object") for (const k of Object.keys(r)) seen.add(k);
    columns = [...seen];
  }
  const numeric = columns.map((c) => rows.length > 0 && rows.every((r) => {
    const v = ownValue(r, c);
    return v === null || v === undefined || typeof v === "number";
  }) && rows.some((r) => typeof ownValue(r, c) === "number"));
  const cells = rows.map((r) =>
    columns.map((c) => {
      const v = ownValue(r, c);
      if (mask.has(c) && isMasked(v as number, maskBelow)) return formatCount(v as number, {maskBelow});
      if (has(format, c)) return format[c](v, r);
      return defaultCellText(v);
    })
  );
  return {
    columns,
    headers: columns.map((c) => (has(header, c) ? header[c] : c)),
    align: columns.map((c, j) => (has(align, c) ? align[c] : numeric[j] ? "right" : "left")),
    cells
  };
}

const TABLE_STYLE = "border-collapse:collapse;font-variant-numeric:tabular-nums;max-width:100%";

function renderTable(model: TableModel, caption: string | undefined, className: string): HTMLTableElement {
  const table = h("table", {class: `sv-table ${className}`, style: TABLE_STYLE});
  if (caption) table.append(h("caption", {style: "text-align:left;font-weight:600;caption-side:top;padding-bottom:.25rem"}, caption));
  const thead = h("thead");
  const tr = h("tr");
  model.headers.forEach((text, j) => tr.append(h("th", {scope: "col", style: `text-align:${model.align[j]}`}, text)));
  thead.append(tr);
  const tbody = h("tbody");
  for (const row of model.cells) {
    const r = h("tr");
    row.forEach((cell, j) => r.append(h("td", {style: `text-align:${model.align[j]}`}, cell)));
    tbody.append(r);
  }
  table.append(thead, tbody);
  return table;
}

/**
 * A static table of plain rows. Headers, formats and alignments are looked up as own properties
 * only (so `{toString: …}` or a column named "__proto__" behave), every value is written as text,
 * and counts in `maskColumns` below `maskBelow` show as "<k" (also in the CSV download).
 */
export function dataTable(rows: readonly unknown[], options: DataTableOptions = {}): HTMLElement {
  if (!rows.length) return message(options.emptyMessage ?? "No patients match these filters");
  const model = tableModel(rows, options);
  const wrap = h("div", {class: "sv-table-wrap", style: "max-width:100%;overflow-x:auto"}, renderTable(model, options.caption, "sv-data-table"));
  if (options.download) {
    const csvRows = model.cells.map((cells, i) => {
      const o = Object.create(null) as Record<string, unknown>;
      model.columns.forEach((c, j) => {
        const v = ownValue(rows[i], c);
        o[c] = options.maskColumns?.includes(c) && isMasked(v as number, options.maskBelow ?? 0) ? cells[j] : v;
      });
      return o;
    });
    wrap.append(downloadButtons(wrap, {filename: options.download, svg: false, png: false, csv: {rows: csvRows, columns: model.columns.map((c, j) => ({key: c, header: model.headers[j], numeric: model.align[j] === "right" && !options.maskColumns?.includes(c)}))}}));
  }
  return wrap;
}

/** A summary cell of the cohort table. */
export type CohortCell =
  | {n: number; of?: number | null}
  | {median: number | null; q1?: number | null; q3?: number | null; min?: number | null; max?: number | null}
  | {text: string}
  | null;

/** A line of the cohort table: a variable (heading, with its P) or one of its levels. */
export interface CohortRow {
  label: string;
  /** A level under the previous heading (indented). */
  level?: boolean;
  /** One cell per column. */
  cells: readonly CohortCell[];
  /** Test p-value (usually on the heading line) and the test's name (footnote). */
  p?: number | null;
  test?: string | null;
}

/** Input of {@link cohortTable}: the columns (overall and/or by group) and the rows. */
export interface CohortTableData {
  columns: readonly {label: string; n: number}[];
  rows: readonly CohortRow[];
}

/** Options of {@link cohortTable}. */
export interface CohortTableOptions {
  /** Mask counts 1…k−1 as "<k" (percent hidden too). Default 0 (off). */
  maskBelow?: number;
  /** Decimals of percentages (default 0) and of medians (default 1). */
  percentDigits?: number;
  digits?: number;
  /** Header of the first column (default "Characteristic"). */
  labelHeader?: string;
  caption?: string;
  download?: string | false;
}

/** Text of one cohort cell: "12 (30%)", "8.5 (4.0–12.3)", "<5", or "—". */
export function cohortCellText(cell: CohortCell, {maskBelow = 0, percentDigits = 0, digits = 1}: CohortTableOptions = {}): string {
  if (cell === null || cell === undefined) return "";
  if ("text" in cell) return cell.text;
  if ("n" in cell) {
    if (!isFiniteNumber(cell.n)) return MISSING;
    if (isMasked(cell.n, maskBelow)) return formatCount(cell.n, {maskBelow});
    const of = cell.of;
    if (!isFiniteNumber(of) || of <= 0) return formatCount(cell.n);
    return `${formatCount(cell.n)} (${formatNumber((100 * cell.n) / of, percentDigits)}%)`;
  }
  if (!isFiniteNumber(cell.median)) return MISSING;
  const m = formatNumber(cell.median, digits);
  if (isFiniteNumber(cell.q1) && isFiniteNumber(cell.q3)) return `${m} (${formatNumber(cell.q1, digits)}–${formatNumber(cell.q3, digits)})`;
  if (isFiniteNumber(cell.min) && isFiniteNumber(cell.max)) return `${m} (${formatNumber(cell.min, digits)}–${formatNumber(cell.max, digits)})`;
  return m;
}

/** The pure content of the cohort table (headers, rows of texts, footnote). */
export function cohortTableModel(data: CohortTableData, options: CohortTableOptions = {}): {headers: string[]; rows: {label: string; level: boolean; cells: string[]; p: string; mark: string; test: string | null}[]; footnote: string | null} {
  const {maskBelow = 0, labelHeader = "Characteristic"} = options;
  const hasP = data.rows.some((r) => r.p !== undefined);
  const headers = [labelHeader, ...data.columns.map((c) => `${c.label} (n = ${formatCount(c.n, {maskBelow})})`), ...(hasP ? ["P"] : [])];
  const tests = [...new Set(data.rows.map((r) => r.test).filter((t): t is string => !!t))];
  const marks = "abcdefghijklmnopqrstuvwxyz";
  const rows = data.rows.map((r) => {
    if (r.cells.length !== data.columns.length) throw new Error(`cohort row "${r.label}": ${r.cells.length} cells for ${data.columns.length} columns`);
    const t = r.test ? tests.indexOf(r.test) : -1;
    return {
      label: r.label,
      level: !!r.level,
      cells: r.cells.map((c) => cohortCellText(c, options)),
      p: hasP && r.p !== undefined ? formatP(r.p) : "",
      /** Footnote letter of the row's test ("" if none). */
      mark: hasP && r.p !== undefined && t >= 0 ? marks[t % 26] : "",
      test: r.test ?? null
    };
  });
  const footnote = tests.length ? tests.map((t, i) => `${marks[i % 26]} ${t}`).join("; ") : null;
  return {headers, rows, footnote};
}

/**
 * The cohort's "Table 1": one column per group (and/or overall) with "n (%)" for categories and
 * "median (IQR)" for continuous variables, P with the test named in a footnote, small counts
 * masked. The caller computes the counts and tests (cohort layer); this only lays them out.
 */
export function cohortTable(data: CohortTableData, options: CohortTableOptions = {}): HTMLElement {
  if (!data.rows.length || !data.columns.length) return message("No patients match these filters");
  const m = cohortTableModel(data, options);
  const hasP = m.headers[m.headers.length - 1] === "P";
  const table = h("table", {class: "sv-table sv-cohort-table", style: TABLE_STYLE});
  if (options.caption) table.append(h("caption", {style: "text-align:left;font-weight:600;caption-side:top;padding-bottom:.25rem"}, options.caption));
  const head = h("tr");
  m.headers.forEach((t, j) => head.append(h("th", {scope: "col", style: `text-align:${j === 0 ? "left" : "right"}`}, t)));
  table.append(h("thead", {}, head));
  const body = h("tbody");
  for (const r of m.rows) {
    const tr = h("tr", {class: r.level ? "sv-level" : "sv-variable"});
    tr.append(h("th", {scope: "row", style: `text-align:left;font-weight:${r.level ? 400 : 600};padding-left:${r.level ? "1.25em" : "0"}`}, r.label));
    r.cells.forEach((c) => tr.append(h("td", {style: "text-align:right"}, c)));
    if (hasP) tr.append(h("td", {style: "text-align:right;white-space:nowrap", title: r.test ?? undefined}, r.p, r.mark ? h("sup", {}, r.mark) : null));
    body.append(tr);
  }
  table.append(body);
  const wrap = h("div", {class: "sv-table-wrap", style: "max-width:100%;overflow-x:auto"}, table);
  if (m.footnote) wrap.append(h("p", {class: "sv-footnote", style: "font-size:12px;margin:.25rem 0;font-family:var(--sans-serif, system-ui, sans-serif)"}, `P: ${m.footnote}.`));
  if (options.download) {
    const keys = m.headers.map((_, j) => `c${j}`);
    const rows = m.rows.map((r) => {
      const o = Object.create(null) as Record<string, string>;
      [r.level ? `  ${r.label}` : r.label, ...r.cells, ...(hasP ? [r.p + (r.mark ? ` ${r.mark}` : "")] : [])].forEach((v, j) => (o[keys[j]] = v));
      return o;
    });
    wrap.append(downloadButtons(wrap, {filename: options.download, svg: false, png: false, csv: {rows, columns: keys.map((key, j) => ({key, header: m.headers[j]}))}}));
  }
  return wrap;
}
