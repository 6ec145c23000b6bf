// Our own delimited-text parser (RFC 4180 plus the real world): CRLF/CR/LF, quoted fields with embedded
// delimiters, newlines and "" escapes; the delimiter is sniffed (comma, semicolon, tab; Excel's `sep=`
// line honoured). Structural faults are errors with their line: an unclosed quote, a row with the wrong
// number of fields (never padded or truncated silently, unlike d3-dsv and Arquero). Output is columnar:
// one string[] per column, no per-row objects.

import {formatCount, problem, quoteValue, type Problem} from "./problems.js";

export type Delimiter = "," | ";" | "\t";

export interface DelimitedOptions {
  /** Field delimiter; `auto` (default) sniffs comma, semicolon or tab from the first records. */
  delimiter?: Delimiter | "auto";
  /** Whether the first record is a header (default true). Without one, columns are `column_1`, … */
  header?: boolean;
  /** `error` (default): a row with the wrong number of fields fails the load. `pad`: short rows are padded with missing values and listed (long rows are still errors). */
  ragged?: "error" | "pad";
}

/**
 * The cells of one column as offsets into the source text (no string per cell until one is asked for):
 * cell i is `text.slice(start[i], end[i])`, except quoted cells with `""` escapes, kept unescaped in `escaped`.
 */
export class TextCells implements Iterable<string> {
  readonly text: string;
  readonly start: Int32Array;
  readonly end: Int32Array;
  readonly escaped: ReadonlyMap<number, string> | null;
  readonly length: number;
  constructor(text: string, start: Int32Array, end: Int32Array, escaped: ReadonlyMap<number, string> | null) {
    this.text = text;
    this.start = start;
    this.end = end;
    this.escaped = escaped;
    this.length = start.length;
  }
  get(i: number): string {
    if (this.escaped !== null) {
      const v = this.escaped.get(i);
      if (v !== undefined) return v;
    }
    return this.text.slice(this.start[i], this.end[i]);
  }
  toArray(): string[] {
    const out = new Array<string>(this.length);
    for (let i = 0; i < this.length; ++i) out[i] = this.get(i);
    return out;
  }
  *[Symbol.iterator](): Iterator<string> {
    for (let i = 0; i < this.length; ++i) yield this.get(i);
  }
}

export interface ParsedDelimited {
  delimiter: Delimiter;
  /** Header fields as written (or generated names without a header). */
  headers: string[];
  /** One TextCells per column. */
  columns: TextCells[];
  /** 1-based physical line where each data row starts. */
  rowLines: Int32Array;
  numRows: number;
  /** Blank (or all-empty) records dropped, with their lines. */
  blankLines: number[];
  blankCount: number;
  problems: Problem[];
  /** False when an error makes the parse unusable. */
  ok: boolean;
}

const QUOTE = 34;
const LF = 10;
const CR = 13;
const NAMES: Record<Delimiter, string> = {",": "comma", ";": "semicolon", "\t": "tab"};

/** Fields per record for the first `max` non-blank records, quote-aware. */
function sampleCounts(text: string, delim: number, max: number): number[] {
  const counts: number[] = [];
  let fields = 1;
  let inQuote = false;
  let empty = true;
  const n = Math.min(text.length, 1 << 20);
  for (let i = 0; i < n && counts.length < max; ++i) {
    const c = text.charCodeAt(i);
    if (inQuote) {
      if (c === QUOTE) inQuote = false;
      continue;
    }
    if (c === QUOTE) {
      inQuote = true;
      empty = false;
    } else if (c === delim) {
      ++fields;
      empty = false;
    } else if (c === LF || c === CR) {
      if (!empty) counts.push(fields);
      fields = 1;
      empty = true;
      if (c === CR && text.charCodeAt(i + 1) === LF) ++i;
    } else empty = false;
  }
  if (!empty && counts.length < max) counts.push(fields);
  return counts;
}

/**
 * Choose the delimiter: among comma, tab and semicolon, those giving at least 2 header fields and the
 * same count on every sampled record; the one with the most fields wins (ties: comma, tab, semicolon).
 * When none is consistent, the one with the most header fields (the parser then reports ragged rows).
 */
export function sniffDelimiter(text: string): Delimiter {
  const candidates: Delimiter[] = [",", "\t", ";"];
  let best: Delimiter | null = null;
  let bestCount = 1;
  let fallback: Delimiter = ",";
  let fallbackCount = 1;
  for (const d of candidates) {
    const counts = sampleCounts(text, d.charCodeAt(0), 50);
    if (counts.length === 0) continue;
    const h = counts[0];
    if (h > fallbackCount) (fallback = d), (fallbackCount = h);
    if (h >= 2 && counts.every((k) => k === h) && h > bestCount) (best = d), (bestCount = h);
  }
  return best ?? fallback;
}

/**
 * Parse delimited text into columns. Never throws for bad input: structural errors are returned as
 * problems with `ok: false`. Rows are numbered 1-based among data rows (blank rows dropped), and every
 * message also gives the physical line. Cells are returned as offsets into the text (TextCells): no string
 * is made per cell, so numeric columns are typed straight from the text.
 */
export function parseDelimited(input: string, options: DelimitedOptions = {}): ParsedDelimited {
  const {header = true, ragged = "error"} = options;
  const problems: Problem[] = [];
  let text = input;
  if (text.charCodeAt(0) === 0xfeff) {
    text = text.slice(1);
    problems.push(problem("info", "bom", "BOM removed (byte-order mark at the start of the text)"));
  }
  let i = 0;
  let line = 1;
  let delimiter: Delimiter;
  const sep = /^sep=([,;\t|])\r?\n?/i.exec(text.slice(0, 8));
  if (sep && sep[1] !== "|") {
    delimiter = sep[1] as Delimiter;
    i = sep[0].length;
    line = 2;
    problems.push(problem("info", "sep-line", `Excel 'sep=' line: delimiter is ${NAMES[delimiter]}`, {line: 1}));
  } else if (!options.delimiter || options.delimiter === "auto") {
    delimiter = sniffDelimiter(text);
    if (delimiter !== ",") problems.push(problem("info", "delimiter", `Delimiter: ${NAMES[delimiter]} (sniffed)`));
  } else delimiter = options.delimiter;

  const D = delimiter.charCodeAt(0);
  const n = text.length;
  let lineStart = i;
  let headers: string[] | null = null;
  let width = 0;
  let capacity = 1024;
  let starts: Int32Array[] = [];
  let ends: Int32Array[] = [];
  let escaped: (Map<number, string> | null)[] = [];
  let rowLines = new Int32Array(capacity);
  let numRows = 0;
  const blankLines: number[] = [];
  let blankCount = 0;
  let raggedCount = 0;
  let records = 0;
  let ok = true;
  // The current record's fields: offsets, or the unescaped value when a quoted field had "" escapes.
  let fs = new Int32Array(64);
  let fe = new Int32Array(64);
  let fx: (string | null)[] = [];
  let anyEscaped = false;

  while (i < n) {
    const recordLine = line;
    let count = 0;
    let anyQuoted = false;
    let allEmpty = true;
    for (;;) {
      if (count === fs.length) {
        const s2 = new Int32Array(count * 2);
        s2.set(fs);
        fs = s2;
        const e2 = new Int32Array(count * 2);
        e2.set(fe);
        fe = e2;
      }
      // One field starting at i.
      if (i < n && text.charCodeAt(i) === QUOTE) {
        anyQuoted = true;
        const qLine = line;
        const qCol = i - lineStart + 1;
        let start = ++i;
        const first = start;
        let parts: string | null = null;
        let value: string | null = null;
        for (;;) {
          const j = text.indexOf('"', i);
          if (j < 0) {
            problems.push(problem("error", "unclosed-quote", `Unclosed quote starting at line ${formatCount(qLine)}, column ${qCol}`, {line: qLine}));
            return finish(delimiter, headers, [], rowLines, numRows, blankLines, blankCount, raggedCount, width, false, problems);
          }
          for (let k = i; k < j; ++k) {
            const c = text.charCodeAt(k);
            if (c === LF || (c === CR && text.charCodeAt(k + 1) !== LF)) ++line, (lineStart = k + 1);
          }
          if (text.charCodeAt(j + 1) === QUOTE) {
            parts = (parts ?? "") + text.slice(start, j + 1);
            i = start = j + 2;
          } else {
            if (parts !== null) value = parts + text.slice(start, j);
            fs[count] = first;
            fe[count] = j;
            i = j + 1;
            break;
          }
        }
        if (i < n) {
          const c = text.charCodeAt(i);
          if (c !== D && c !== LF && c !== CR) {
            const col = i - lineStart + 1;
            let k = i;
            while (k < n) {
              const c2 = text.charCodeAt(k);
              if (c2 === D || c2 === LF || c2 === CR) break;
              ++k;
            }
            const extra = text.slice(i, k);
            problems.push(problem("error", "text-after-quote", `Unexpected text ${quoteValue(extra)} after a closing quote at line ${formatCount(line)}, column ${col}`, {line, value: extra}));
            ok = false;
            i = k;
          }
        }
        fx[count] = value;
        if (value !== null) {
          anyEscaped = true;
          if (value.length) allEmpty = false;
        } else if (fe[count] > fs[count]) allEmpty = false;
      } else {
        const start = i;
        while (i < n) {
          const c = text.charCodeAt(i);
          if (c === D || c === LF || c === CR) break;
          ++i;
        }
        fs[count] = start;
        fe[count] = i;
        if (anyEscaped) fx[count] = null;
        if (i > start) allEmpty = false;
      }
      ++count;
      if (i >= n) break;
      const c = text.charCodeAt(i);
      if (c === D) {
        ++i;
        continue;
      }
      i += c === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
      ++line;
      lineStart = i;
      break;
    }

    if (allEmpty && !anyQuoted) {
      // A blank line (or a row of empty fields): dropped and counted, never an all-missing patient.
      if (headers !== null) {
        if (blankLines.length < 50) blankLines.push(recordLine);
        ++blankCount;
      }
      if (anyEscaped) fx.fill(null, 0, count);
      continue;
    }
    if (headers === null) {
      width = count;
      if (header) {
        headers = [];
        for (let k = 0; k < count; ++k) headers.push(typeof fx[k] === "string" ? fx[k]! : text.slice(fs[k], fe[k]));
      } else headers = Array.from({length: count}, (_, k) => `column_${k + 1}`);
      starts = headers.map(() => new Int32Array(capacity));
      ends = headers.map(() => new Int32Array(capacity));
      escaped = headers.map(() => null);
      if (header) {
        if (anyEscaped) fx.fill(null, 0, count);
        continue;
      }
    }
    const row = ++records;
    if (count !== width) {
      ++raggedCount;
      const short = count < width;
      const last = i >= n;
      const message = `Row ${formatCount(row)} (line ${formatCount(recordLine)}) has ${count} field${count === 1 ? "" : "s"}, header has ${width}${last && short ? " — the file may be truncated" : ""}`;
      if (short && ragged === "pad") {
        if (raggedCount <= 20) problems.push(problem("warning", "short-row", message + "; padded with missing values", {row, line: recordLine}));
        if (fs.length < width) {
          const s2 = new Int32Array(width);
          s2.set(fs);
          fs = s2;
          const e2 = new Int32Array(width);
          e2.set(fe);
          fe = e2;
        }
        for (let k = count; k < width; ++k) (fs[k] = 0), (fe[k] = 0), (fx[k] = null);
        count = width;
      } else {
        if (raggedCount <= 20) problems.push(problem("error", "ragged-row", message, {row, line: recordLine}));
        ok = false;
        if (anyEscaped) fx.fill(null, 0, count);
        continue;
      }
    }
    if (numRows === capacity) {
      capacity *= 2;
      const grow = (a: Int32Array) => {
        const b = new Int32Array(capacity);
        b.set(a);
        return b;
      };
      starts = starts.map(grow);
      ends = ends.map(grow);
      rowLines = grow(rowLines);
    }
    rowLines[numRows] = recordLine;
    for (let k = 0; k < width; ++k) {
      starts[k][numRows] = fs[k];
      ends[k][numRows] = fe[k];
    }
    if (anyEscaped) {
      for (let k = 0; k < width; ++k) {
        const v = fx[k];
        if (typeof v === "string") {
          (escaped[k] ??= new Map()).set(numRows, v);
          fx[k] = null;
        }
      }
    }
    ++numRows;
  }
  const columns = (headers ?? []).map((_, k) => new TextCells(text, starts[k].slice(0, numRows), ends[k].slice(0, numRows), escaped[k]));
  return finish(delimiter, headers, columns, rowLines, numRows, blankLines, blankCount, raggedCount, width, ok, problems);
}

function finish(
  delimiter: Delimiter,
  headers: string[] | null,
  columns: TextCells[],
  rowLines: Int32Array,
  numRows: number,
  blankLines: number[],
  blankCount: number,
  raggedCount: number,
  width: number,
  ok: boolean,
  problems: Problem[]
): ParsedDelimited {
  if (raggedCount > 20)
    problems.push(problem(ok ? "warning" : "error", "ragged-rows", `${formatCount(raggedCount)} rows have a number of fields different from the header's ${width} (the first 20 are listed)`, {count: raggedCount}));
  if (blankCount)
    problems.push(
      problem("info", "blank-rows", `${formatCount(blankCount)} blank row${blankCount === 1 ? "" : "s"} dropped (line${blankCount === 1 ? "" : "s"} ${blankLines.slice(0, 10).map(formatCount).join(", ")}${blankCount > 10 ? ", …" : ""})`, {
        count: blankCount,
        line: blankLines[0]
      })
    );
  return {delimiter, headers: headers ?? [], columns, rowLines: rowLines.slice(0, numRows), numRows, blankLines, blankCount, problems, ok};
}
