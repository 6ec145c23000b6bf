// A module Web Worker that reads a cohort file off the page's main thread: it receives the file's bytes
// (transferred), runs the data layer's readTable, and sends back the typed columns (transferred), the
// load report and the bytes. With `study: true` (the published cohort, opened by openStudy in
// src/study/page.ts) it also prepares the study cohort there — the paper's derived variables, the factors
// and the ranges (loadStudyCohort, src/study/cohort.ts) — so that the page receives a ready table.
// Started by src/workers/parseClient.ts with `new Worker(url, {type: "module"})` from this origin (the
// site's CSP allows worker-src 'self' blob:). It never fetches anything.
import {readTable, type LoadReport, type ReadOptions} from "../cohort/readTable.js";
import type {RangeVariable, Factor} from "../study/cohort.js";
import {loadStudyCohort} from "../study/cohort.js";
import {tableToPayload, type TablePayload} from "./transfer.js";
import {handOver} from "./handoff.js";

/** Page → worker. */
export interface ParseRequest {
  id: number;
  bytes: ArrayBuffer;
  name: string;
  options?: Omit<ReadOptions, "name">;
  /** Prepare the study cohort (derived variables, factors, ranges) as well; `options` are then ignored. */
  study?: boolean;
  /** With `study`: post these columns on this port as soon as the file is read (src/workers/handoff.ts). */
  handoff?: {port: MessagePort; columns: readonly string[]};
}

/** Milliseconds spent in each step in the worker (for the page's performance marks and the benchmark). */
export interface ParseTimings {
  /** Everything before encoding: reading (and, with `study`, preparing). */
  read: number;
  encode: number;
  /** With `study`: the parts of `read` (loadStudyCohort's timings: read, derive, factors). */
  steps?: Record<string, number>;
}

/** Worker → page. */
export type ParseReply =
  | {type: "ready"}
  | {id: number; type: "progress"; stage: string}
  | {
      id: number;
      type: "done";
      table: TablePayload | null;
      report: LoadReport;
      bytes: ArrayBuffer;
      ms: number;
      timings: ParseTimings;
      /** With `study: true` and a usable file. */
      study?: {factors: Factor[]; ranges: RangeVariable[]};
    }
  | {id: number; type: "failed"; message: string; bytes: ArrayBuffer | null};

interface WorkerScope {
  postMessage(message: ParseReply, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<ParseRequest>) => void) | null;
}

const scope = globalThis as unknown as WorkerScope;
// Only when running as a worker (a page that merely resolves this module's URL does not import it).
const isWorker = typeof (globalThis as {WorkerGlobalScope?: unknown}).WorkerGlobalScope !== "undefined" && typeof (globalThis as {document?: unknown}).document === "undefined";

if (isWorker) {
  scope.onmessage = async (event) => {
    const {id, bytes, name, options, study, handoff} = event.data;
    const start = performance.now();
    let handed = !handoff;
    const handOnce = (t: Parameters<typeof handOver>[1]) => {
      if (handed || !handoff) return;
      handed = true;
      handOver(handoff.port, t, handoff.columns);
    };
    try {
      scope.postMessage({id, type: "progress", stage: `reading ${bytes.byteLength.toLocaleString("en-US")} bytes`});
      let table;
      let report: LoadReport;
      let prepared: {factors: Factor[]; ranges: RangeVariable[]} | undefined;
      const steps: Record<string, number> = {};
      if (study) {
        const loaded = await loadStudyCohort(new Uint8Array(bytes), name, {forTransfer: true, timings: steps, onRead: handOnce});
        handOnce(null);
        ({table, report} = loaded);
        if ("factors" in loaded) prepared = {factors: loaded.factors, ranges: loaded.ranges};
      } else ({table, report} = await readTable(new Uint8Array(bytes), {...options, name}));
      const read = performance.now() - start;
      scope.postMessage({id, type: "progress", stage: "sending the columns to the page"});
      if (!table) {
        scope.postMessage({id, type: "done", table: null, report, bytes, ms: performance.now() - start, timings: {read, encode: 0, steps}}, [bytes]);
        return;
      }
      const {payload, transfer} = tableToPayload(table);
      const timings = {read, encode: performance.now() - start - read, steps};
      scope.postMessage({id, type: "done", table: payload, report, bytes, ms: performance.now() - start, timings, ...(prepared ? {study: prepared} : {})}, [...transfer.filter((b) => b !== bytes), bytes]);
    } catch (e) {
      handOnce(null);
      scope.postMessage({id, type: "failed", message: e instanceof Error ? e.message : String(e), bytes: bytes.byteLength ? bytes : null});
    }
  };
  scope.postMessage({type: "ready"});
}
