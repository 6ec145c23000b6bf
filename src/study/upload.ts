// A researcher's own cohort file, read in the browser and never sent anywhere: size checked first, bytes
// read with File.arrayBuffer, parsed by the data layer in a module Web Worker (src/workers/parseClient.ts; so a
// 100,000-row file does not freeze the page), with the main thread as the fallback when a worker cannot start. Then the column
// mapping turns it into the study's variables, and the stored copy (IndexedDB) is what every analysis page
// opens when the user has chosen it. No DOM here: the page and the components show what this returns.
import {checkFileSize, readTable, type LoadReport, type ReadOptions} from "../cohort/readTable.js";
import {hasErrors, type Problem} from "../cohort/problems.js";
import {rawValue, type CohortTable} from "../cohort/table.js";
import {tableFromPayload} from "../workers/transfer.js";
import type {ParseRequest} from "../workers/parse.js";
import {ownBuffer, requestParse, startParseWorker} from "../workers/parseClient.js";
import {deriveStudyVariables, studyFactors, studyRanges, type StudyCohort} from "./cohort.js";
import {applyMapping, type CohortMapping, type MappedCohort} from "./mapping.js";
import {defaultBackend, forgetCohort, readCohort, type KeyValueBackend, type StoredCohort} from "./store.js";

/** What the reader is doing, for the progress line. */
export interface UploadProgress {
  stage: string;
  /** Seconds since the read started. */
  elapsed: number;
  via: "worker" | "main thread";
}

export interface ParsedUpload {
  /** The table, or null when the file cannot be used (see the report). */
  table: CohortTable | null;
  report: LoadReport;
  /** The file's bytes (kept to store them if the user chooses this cohort), or null when refused before reading. */
  bytes: Uint8Array | null;
  /** Where the parse ran. */
  via: "worker" | "main thread" | "not read";
  /** Milliseconds spent reading and parsing. */
  ms: number;
}

/** A report for a file refused before reading (too large). */
function refused(name: string, byteLength: number, p: Problem): LoadReport {
  return {ok: false, name, format: null, encoding: null, delimiter: null, byteLength, fingerprint: null, numRows: 0, blankRows: 0, columns: [], problems: [p], messages: [p.message]};
}

let current: {worker: Worker; cancel: () => void} | null = null;
let nextId = 1;

/** Stop a read in progress (a newer file was chosen): its result is never used. */
export function cancelParse(): void {
  current?.cancel();
  current = null;
}

/**
 * Parse a file's bytes with the data layer, in a Web Worker when one can start (else on the main thread).
 * The bytes come back (transferred) in `bytes`. A newer call cancels an older one (its promise rejects
 * with an AbortError and its worker is terminated).
 */
export async function parseBytes(bytes: Uint8Array, name: string, options: {onProgress?: (p: UploadProgress) => void; worker?: boolean; read?: Omit<ReadOptions, "name">} = {}): Promise<ParsedUpload> {
  cancelParse();
  const start = performance.now();
  const progress = (stage: string, via: UploadProgress["via"]) => options.onProgress?.({stage, elapsed: (performance.now() - start) / 1000, via});
  const worker = options.worker === false ? null : await startParseWorker();
  if (!worker) {
    progress("parsing on the main thread", "main thread");
    // Let the progress line paint before the (blocking) parse.
    await new Promise((r) => setTimeout(r, 30));
    const {table, report} = await readTable(bytes, {...options.read, name});
    return {table, report, bytes, via: "main thread", ms: performance.now() - start};
  }
  const id = nextId++;
  return new Promise<ParsedUpload>((resolve, reject) => {
    const ticker = setInterval(() => progress(stage, "worker"), 250);
    let stage = "starting";
    let settled = false;
    const finish = () => {
      settled = true;
      clearInterval(ticker);
      worker.terminate();
      if (current?.worker === worker) current = null;
    };
    current = {
      worker,
      cancel: () => {
        if (settled) return;
        finish();
        reject(new DOMException("a newer file replaced this one", "AbortError"));
      }
    };
    // Transfer a copy when the caller's array is a view into a larger buffer; else the buffer itself.
    const request: ParseRequest = {id, bytes: ownBuffer(bytes), name, options: options.read};
    requestParse(worker, request, (s) => {
      stage = s;
      progress(stage, "worker");
    }).then(
      (m) => {
        if (settled) return;
        finish();
        resolve({table: m.table ? tableFromPayload(m.table) : null, report: m.report, bytes: new Uint8Array(m.bytes), via: "worker", ms: performance.now() - start});
      },
      (e: unknown) => {
        if (settled) return;
        finish();
        reject(e);
      }
    );
    progress("sending the file to the reader", "worker");
  });
}

/** Minimal File: a name, a size and its bytes (File.arrayBuffer — nothing is fetched). */
export interface FileLike {
  name: string;
  size: number;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/**
 * Read a chosen or dropped file: refuse it before reading when it is over the size limit (checkFileSize),
 * else read its bytes with File.arrayBuffer and parse them (see {@link parseBytes}).
 */
export async function parseUpload(file: FileLike, options: {onProgress?: (p: UploadProgress) => void; worker?: boolean; maxBytes?: number} = {}): Promise<ParsedUpload> {
  const tooLarge = checkFileSize(file.size, file.name, options.maxBytes);
  if (tooLarge) return {table: null, report: refused(file.name, file.size, tooLarge), bytes: null, via: "not read", ms: 0};
  options.onProgress?.({stage: "reading the file from your disk", elapsed: 0, via: options.worker === false ? "main thread" : "worker"});
  const bytes = new Uint8Array(await file.arrayBuffer());
  return parseBytes(bytes, file.name, {...options, read: options.maxBytes ? {maxBytes: options.maxBytes} : undefined});
}

/** The first rows as text, in null-prototype records keyed by column name (any name, `__proto__` included). */
export function previewRows(table: CohortTable, n = 10): {columns: string[]; headers: Record<string, string>; rows: Record<string, string>[]} {
  const columns = [...table.names];
  const headers = Object.create(null) as Record<string, string>;
  for (const c of columns) headers[c] = table.column(c).header;
  const rows: Record<string, string>[] = [];
  for (let i = 0; i < Math.min(n, table.numRows); ++i) {
    const r = Object.create(null) as Record<string, string>;
    for (const c of columns) {
      const col = table.column(c);
      r[c] = col.missing[i] ? "" : rawValue(col, i);
    }
    rows.push(r);
  }
  return {columns, headers, rows};
}

/** The problems of a load report as rows for a table: severity, message, column, row, value. */
export function problemRows(problems: readonly Problem[]): {severity: string; message: string; column: string; row: string; value: string}[] {
  const order = {error: 0, warning: 1, info: 2};
  return [...problems]
    .sort((a, b) => order[a.severity] - order[b.severity])
    .map((p) => ({severity: p.severity, message: p.message, column: p.column ?? "", row: p.row === null ? "" : String(p.row), value: p.value ?? ""}));
}

/** The study cohort built from a file's table and a mapping: null (with the problems) when the mapping does not fit the data. */
export function prepareUploadedCohort(table: CohortTable, mapping: CohortMapping, report: LoadReport): {cohort: StudyCohort | null; mapped: MappedCohort} {
  const mapped = applyMapping(table, mapping);
  if (!mapped.table) return {cohort: null, mapped};
  const derived = deriveStudyVariables(mapped.table);
  const problems = [...mapped.problems, ...derived.problems];
  const merged: LoadReport = {...report, problems: [...report.problems, ...problems], messages: [...report.messages, ...problems.map((p) => p.message)]};
  return {cohort: {table: derived.table, report: merged, factors: studyFactors(derived.table), ranges: studyRanges(derived.table)}, mapped: {...mapped, problems}};
}

/** What a page shows about the user's own data. */
export interface UploadedInfo {
  name: string;
  fingerprint: string;
  byteLength: number;
  savedAt: string;
  mapping: CohortMapping;
  rows: number;
}

/** The outcome of opening the stored cohort for an analysis page. */
export type UploadedForPage = {kind: "none"} | {kind: "ready"; cohort: StudyCohort; info: UploadedInfo} | {kind: "failed"; info: Omit<UploadedInfo, "rows">; message: string};

/**
 * The cohort an analysis page should use instead of the published one: the stored upload when the user
 * chose it (re-read from its bytes, mapped, fingerprint checked), else `{kind: "none"}`. A stored file that
 * no longer reads or maps is reported (`failed`) and the page falls back to the published cohort.
 */
export async function uploadedCohortForPage(backend: KeyValueBackend = defaultBackend(), options: {worker?: boolean} = {}): Promise<UploadedForPage> {
  let record: StoredCohort | null;
  try {
    record = await readCohort(backend);
  } catch {
    return {kind: "none"};
  }
  if (!record || !record.active) return {kind: "none"};
  const info = {name: record.name, fingerprint: record.fingerprint, byteLength: record.byteLength, savedAt: record.savedAt, mapping: record.mapping};
  let parsed: ParsedUpload;
  try {
    parsed = await parseBytes(record.bytes, record.name, {worker: options.worker});
  } catch (e) {
    return {kind: "failed", info, message: e instanceof Error ? e.message : String(e)};
  }
  if (!parsed.table) return {kind: "failed", info, message: parsed.report.messages[0] ?? "the stored file could not be read"};
  if (parsed.report.fingerprint !== record.fingerprint) return {kind: "failed", info, message: "the stored file's fingerprint does not match what was saved (storage damaged)"};
  const {cohort, mapped} = prepareUploadedCohort(parsed.table, record.mapping, parsed.report);
  if (!cohort) return {kind: "failed", info, message: mapped.problems.find((p) => p.severity === "error")?.message ?? "the mapping does not fit the stored file"};
  return {kind: "ready", cohort, info: {...info, rows: cohort.table.numRows}};
}

/** Delete the user's data from this browser (the "forget my data" control). */
export async function forgetUploadedCohort(backend: KeyValueBackend = defaultBackend()): Promise<void> {
  await forgetCohort(backend);
}

/** True when the parsed file can be mapped (no error in its load report). */
export function usable(parsed: ParsedUpload | null): parsed is ParsedUpload & {table: CohortTable} {
  return !!parsed && parsed.table !== null && !hasErrors(parsed.report.problems);
}
