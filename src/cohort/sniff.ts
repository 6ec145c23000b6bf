// What is this file? Magic bytes first (a workbook or a Parquet file saved as .csv is common), then the
// text encoding (BOMs, UTF-16, NUL bytes, invalid UTF-8), before any parsing.

import {problem, type Problem} from "./problems.js";

export type FileKind = "text" | "parquet" | "arrow" | "xlsx" | "xls" | "pdf" | "gzip" | "sqlite" | "zip" | "binary";

/** Human names used in messages. */
const KIND_NAMES: Record<Exclude<FileKind, "text">, string> = {
  parquet: "a Parquet file",
  arrow: "an Arrow IPC file",
  xlsx: "an Excel workbook (.xlsx)",
  xls: "an Excel 97–2003 workbook (.xls)",
  pdf: "a PDF document",
  gzip: "a gzip-compressed file",
  sqlite: "an SQLite database",
  zip: "a ZIP archive",
  binary: "a binary file, not text"
};

const ADVICE: Partial<Record<FileKind, string>> = {
  xlsx: "open it in Excel and save the sheet as 'CSV UTF-8'",
  xls: "open it in Excel and save the sheet as 'CSV UTF-8'",
  pdf: "export the table from its source as CSV",
  gzip: "decompress it first",
  sqlite: "export the table as CSV or Parquet",
  zip: "extract the data file first",
  binary: "choose a CSV, TSV, JSON, Arrow or Parquet file"
};

function startsWith(bytes: Uint8Array, sig: readonly number[], offset = 0): boolean {
  if (bytes.length < offset + sig.length) return false;
  for (let i = 0; i < sig.length; ++i) if (bytes[offset + i] !== sig[i]) return false;
  return true;
}

const ascii = (s: string) => Array.from(s, (c) => c.charCodeAt(0));

/**
 * Identify a file by its first bytes: Parquet `PAR1`, Arrow `ARROW1` (file) or 0xFFFFFFFF (stream),
 * ZIP `PK\x03\x04` (an .xlsx when it holds `[Content_Types].xml` or `xl/`), OLE2 (.xls), `%PDF`,
 * gzip `1F 8B`, SQLite; NUL bytes without a UTF-16 BOM mean binary. Everything else is text.
 */
export function sniffKind(bytes: Uint8Array): FileKind {
  if (startsWith(bytes, ascii("PAR1"))) return "parquet";
  if (startsWith(bytes, ascii("ARROW1"))) return "arrow";
  if (startsWith(bytes, [0xff, 0xff, 0xff, 0xff]) && bytes.length >= 8) return "arrow";
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) {
    const head = new TextDecoder("latin1").decode(bytes.subarray(0, Math.min(bytes.length, 4096)));
    return head.includes("[Content_Types].xml") || head.includes("xl/") ? "xlsx" : "zip";
  }
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return "xls";
  if (startsWith(bytes, ascii("%PDF"))) return "pdf";
  if (startsWith(bytes, [0x1f, 0x8b])) return "gzip";
  if (startsWith(bytes, ascii("SQLite format 3\0"))) return "sqlite";
  return "text";
}

/** The one-line message for a file that is not what we can read as text: "This is an Excel workbook (.xlsx) …". */
export function kindMessage(kind: Exclude<FileKind, "text" | "parquet" | "arrow">, name: string): string {
  const advice = ADVICE[kind];
  return `This is ${KIND_NAMES[kind]}${name ? ` (${name})` : ""}, not a CSV/TSV/JSON text file${advice ? `: ${advice}` : ""}.`;
}

/** "a Parquet file", "an Excel workbook (.xlsx)", … for messages. */
export function kindName(kind: Exclude<FileKind, "text">): string {
  return KIND_NAMES[kind];
}

export interface DecodedText {
  text: string;
  encoding: string;
  /** Number of U+FFFD replacement characters produced by invalid bytes (0 for valid input). */
  replacements: number;
  problems: Problem[];
}

/** Text encodings accepted by `encoding` (TextDecoder labels). */
export type TextEncoding = "utf-8" | "utf-16le" | "utf-16be" | "windows-1252" | "latin1";

/**
 * Decode text bytes. A UTF-8 BOM is removed (reported as info); a UTF-16 BOM selects UTF-16 (warning:
 * Excel's "Unicode Text"); NUL bytes without a BOM are an error (UTF-16 without a BOM, or binary).
 * Invalid UTF-8 is decoded with U+FFFD and counted (the caller reports the first affected cell).
 */
export function decodeText(bytes: Uint8Array, encoding?: TextEncoding): DecodedText {
  const problems: Problem[] = [];
  if (!encoding) {
    if (startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff])) {
      const le = bytes[0] === 0xff;
      problems.push(problem("warning", "utf16", `File is UTF-16 ${le ? "LE" : "BE"} (Excel "Unicode Text"); decoded it — save as 'CSV UTF-8' to avoid this`));
      const text = new TextDecoder(le ? "utf-16le" : "utf-16be").decode(bytes.subarray(2));
      return {text, encoding: le ? "utf-16le" : "utf-16be", replacements: countReplacements(text), problems};
    }
    const nul = bytes.subarray(0, Math.min(bytes.length, 8192)).indexOf(0);
    if (nul >= 0) {
      let evenNul = 0;
      let oddNul = 0;
      const m = Math.min(bytes.length, 8192);
      for (let i = 0; i < m; ++i) if (bytes[i] === 0) (i % 2 === 0 ? ++evenNul : ++oddNul);
      const utf16 = Math.max(evenNul, oddNul) > m / 4 && Math.min(evenNul, oddNul) < m / 50;
      problems.push(
        problem(
          "error",
          utf16 ? "utf16-no-bom" : "binary",
          utf16
            ? "File is UTF-16 without a byte-order mark (NUL bytes between characters); save as 'CSV UTF-8'"
            : `This is ${KIND_NAMES.binary} (NUL byte at offset ${nul}): ${ADVICE.binary}.`
        )
      );
      return {text: "", encoding: utf16 ? "utf-16" : "binary", replacements: 0, problems};
    }
  }
  const enc = encoding ?? "utf-8";
  let start = 0;
  if (enc === "utf-8" && startsWith(bytes, [0xef, 0xbb, 0xbf])) {
    start = 3;
    problems.push(problem("info", "bom", "BOM removed (UTF-8 byte-order mark at the start of the file)"));
  }
  const body = bytes.subarray(start);
  if (enc === "utf-8") {
    try {
      return {text: new TextDecoder("utf-8", {ignoreBOM: true, fatal: true}).decode(body), encoding: enc, replacements: 0, problems};
    } catch {
      const text = new TextDecoder("utf-8", {ignoreBOM: true}).decode(body);
      return {text, encoding: enc, replacements: countReplacements(text), problems};
    }
  }
  return {text: new TextDecoder(enc, {ignoreBOM: true}).decode(body), encoding: enc, replacements: 0, problems};
}

function countReplacements(text: string): number {
  let n = 0;
  for (let i = text.indexOf("\uFFFD"); i >= 0; i = text.indexOf("\uFFFD", i + 1)) ++n;
  return n;
}
