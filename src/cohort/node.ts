// Node-only helpers for data loaders and the CLI (not exported from index.ts: browsers have no file system).

import {open, stat} from "node:fs/promises";
import {basename} from "node:path";
import {CohortError} from "./problems.js";
import {checkFileSize, readTable, DEFAULT_MAX_BYTES, type InputFormat, type LoadResult, type ReadOptions} from "./readTable.js";
import {sniffKind} from "./sniff.js";

/**
 * Read a cohort file from disk: its size is checked before reading (catalogue row 7), the format is sniffed
 * from its magic bytes first and its extension second (a Parquet file named .csv is read as Parquet), then
 * readTable does the rest. Never throws for bad data (see the report); throws for I/O errors.
 */
export async function readTableFile(path: string, options: ReadOptions = {}): Promise<LoadResult> {
  const name = options.name ?? basename(path);
  const {size} = await stat(path);
  const tooLarge = checkFileSize(size, name, options.maxBytes ?? DEFAULT_MAX_BYTES);
  if (tooLarge) {
    const report = {ok: false, name, format: null, encoding: null, delimiter: null, byteLength: size, fingerprint: null, numRows: 0, blankRows: 0, columns: [], problems: [tooLarge], messages: [tooLarge.message]};
    return {table: null, report};
  }
  const handle = await open(path, "r");
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(size);
    let offset = 0;
    while (offset < size) {
      const {bytesRead} = await handle.read(bytes, offset, size - offset, offset);
      if (bytesRead === 0) break;
      offset += bytesRead;
    }
    bytes = bytes.subarray(0, offset);
  } finally {
    await handle.close();
  }
  return readTable(bytes, {...options, name, format: options.format ?? formatOf(bytes, name)});
}

/** Format by magic bytes, then extension; undefined lets readTable sniff the content. */
export function formatOf(bytes: Uint8Array, name: string): InputFormat | undefined {
  const kind = sniffKind(bytes);
  if (kind === "parquet" || kind === "arrow") return kind;
  const ext = /\.([A-Za-z0-9]+)$/.exec(name)?.[1].toLowerCase();
  if (ext === "parquet" || ext === "pq") return undefined; // not PAR1: readTable reports what it really is
  if (ext === "arrow" || ext === "feather" || ext === "ipc") return undefined;
  if (ext === "json" || ext === "ndjson" || ext === "jsonl") return "json";
  if (ext === "tsv" || ext === "tab") return "tsv";
  if (ext === "csv" || ext === "txt") return "csv";
  return undefined;
}

/** readTableFile, throwing a CohortError with every message when the file is unusable (loaders: fail the build). */
export async function readTableFileOrThrow(path: string, options: ReadOptions = {}): Promise<LoadResult & {table: NonNullable<LoadResult["table"]>}> {
  const result = await readTableFile(path, options);
  if (!result.table) {
    const errors = result.report.problems.filter((p) => p.severity === "error").map((p) => p.message);
    throw new CohortError(result.report.problems, `${result.report.name}: ${errors.join("\n")}`);
  }
  return result as LoadResult & {table: NonNullable<LoadResult["table"]>};
}
