// Opening the published cohort (data/cohort.csv or data/cohort.parquet, see src/data/published-cohort.ts) for
// an analysis page, off the main thread: the file is fetched while the parse worker starts, its bytes are
// transferred to the worker (src/workers/parse.ts), which reads them with the data layer and prepares the
// study cohort (derived variables, factors, ranges: loadStudyCohort), and the typed columns come back
// transferred. When no worker can start, or the worker fails, the same loadStudyCohort runs on the main
// thread. No DOM here: openStudy (src/study/page.ts) builds the page's panel from what this returns.
//
// Each step is recorded as a performance measure (sv:cohort:fetch, sv:cohort:parse, sv:cohort:transfer,
// sv:cohort:decode, sv:cohort:load; sv:cohort:main-thread for the fallback; openStudy adds
// sv:cohort:stored-check and sv:cohort:open) for the browser benchmark and DevTools.
import type {LoadReport} from "../cohort/readTable.js";
import {tableFromPayload} from "../workers/transfer.js";
import {requestParse, startParseWorker} from "../workers/parseClient.js";
import type {ColumnHandoff} from "../workers/handoff.js";
import {loadStudyCohort, type StudyCohort} from "./cohort.js";

/** What cohort-info.json says about the published cohort (src/data/cohort-info.json.ts). */
export interface PublishedInfo {
  name: string;
  synthetic: boolean;
  /** How it is served: data/cohort.csv (default when absent) or data/cohort.parquet. */
  format?: "csv" | "parquet";
}

/** Minimal shape of a Framework FileAttachment. */
export interface Attachment {
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** How the cohort was read, for the benchmark and for messages. */
export interface LoadInfo {
  via: "worker" | "main thread";
  /** Why the worker was not used, when it was not. */
  fallback: string | null;
  /** Milliseconds: fetching, parsing and preparing, encoding + posting back, rebuilding the table. */
  ms: {fetch: number; parse: number; transfer: number; decode: number; total: number};
}

export type LoadedCohort = (StudyCohort & {load: LoadInfo}) | {table: null; report: LoadReport; load: LoadInfo};

let nextId = 1;

/** Record `name` as a performance measure from `start` to `end` (page clock) and return its duration. */
export function measure(name: string, start: number, end = performance.now()): number {
  try {
    performance.measure(name, {start, end});
  } catch {
    // performance.measure with options is missing in very old browsers; the figures are still returned.
  }
  return end - start;
}

/**
 * Read the published cohort: `csv` is the page's FileAttachment("data/cohort.csv"); when `info.format` is
 * "parquet" the bytes come from `options.parquet` (default: data/cohort.parquet, src/study/publishedFile.ts)
 * instead. Parsed in the parse worker unless `options.worker` is false or no worker can start
 * (`options.startWorker`, default startParseWorker, src/workers/parseClient.ts). With `options.handoff`, the
 * parse worker also posts those columns on its port as soon as the file is read (src/workers/handoff.ts).
 * @returns the study cohort (table null with the load report when the file is unusable) and how it was read.
 */
export async function loadPublishedCohort(
  csv: Attachment,
  info: PublishedInfo,
  options: {worker?: boolean; parquet?: Attachment; startWorker?: () => Promise<Worker | null>; handoff?: ColumnHandoff | null} = {}
): Promise<LoadedCohort> {
  const t0 = performance.now();
  const file: Attachment =
    info.format === "parquet" ? (options.parquet ?? {arrayBuffer: async () => (await import("./publishedFile.js")).publishedParquetBytes()}) : csv;
  const fetchBytes = async () => {
    const bytes = await file.arrayBuffer();
    return {bytes, fetched: performance.now()};
  };
  // Fetch while the worker starts.
  const [{bytes, fetched}, worker] = await Promise.all([fetchBytes(), options.worker === false ? Promise.resolve(null) : (options.startWorker ?? startParseWorker)()]);
  const ms = {fetch: measure("sv:cohort:fetch", t0, fetched), parse: 0, transfer: 0, decode: 0, total: 0};
  let fallback: string | null = options.worker === false ? "worker: false" : "no Web Worker could start";
  if (worker) {
    try {
      const sent = performance.now();
      // The Overview's columns go from the parse worker to the analysis worker as soon as the file is read.
      const handoff = options.handoff?.state === "unused" ? options.handoff : null;
      if (handoff) handoff.state = "sent";
      const done = await requestParse(worker, {id: nextId++, bytes, name: info.name, study: true, ...(handoff ? {handoff: {port: handoff.port, columns: handoff.columns}} : {})}).catch((e) => {
        if (handoff) handoff.state = "failed";
        throw e;
      });
      const received = performance.now();
      // The worker's own clock: reading + preparing, then encoding the columns; the rest is the message.
      ms.parse = measure("sv:cohort:parse", sent, sent + done.timings.read);
      // Its parts, on the worker's clock placed at the request's start (the message takes ~1 ms).
      let at = sent;
      for (const [step, d] of Object.entries(done.timings.steps ?? {})) at += measure(`sv:cohort:worker-${step}`, at, at + d);
      measure("sv:cohort:worker-encode", sent + done.timings.read, sent + done.timings.read + done.timings.encode);
      ms.transfer = measure("sv:cohort:transfer", sent + done.timings.read, received);
      const table = done.table ? tableFromPayload(done.table) : null;
      ms.decode = measure("sv:cohort:decode", received);
      ms.total = measure("sv:cohort:load", t0);
      const load: LoadInfo = {via: "worker", fallback: null, ms};
      if (!table || !done.study) return {table: null, report: done.report, load};
      return {table, report: done.report, factors: done.study.factors, ranges: done.study.ranges, load};
    } catch (e) {
      // The bytes went to the worker (transferred): read the file again for the main thread.
      fallback = e instanceof Error ? e.message : String(e);
    } finally {
      worker.terminate();
    }
  }
  const start = performance.now();
  const loaded = await loadStudyCohort(worker ? await file.arrayBuffer() : bytes, info.name);
  ms.parse = measure("sv:cohort:main-thread", start);
  ms.total = measure("sv:cohort:load", t0);
  return {...loaded, load: {via: "main thread", fallback, ms}};
}
