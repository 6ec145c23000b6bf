// A module Web Worker that reads a cohort file off the page's main thread: it receives the file's bytes
// (transferred), runs the data layer's readTable, and sends back the typed columns (transferred), the
// load report and the bytes. Loaded by src/study/upload.ts with `new Worker(url, {type: "module"})` from
// this origin (the site's CSP allows worker-src 'self' blob:). It never fetches anything.
import {readTable, type LoadReport, type ReadOptions} from "../cohort/readTable.js";
import {tableToPayload, type TablePayload} from "./transfer.js";

/** Page → worker. */
export interface ParseRequest {
  id: number;
  bytes: ArrayBuffer;
  name: string;
  options?: Omit<ReadOptions, "name">;
}

/** Worker → page. */
export type ParseReply =
  | {type: "ready"}
  | {id: number; type: "progress"; stage: string}
  | {id: number; type: "done"; table: TablePayload | null; report: LoadReport; bytes: ArrayBuffer; ms: number}
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
    const {id, bytes, name, options} = event.data;
    const start = performance.now();
    try {
      scope.postMessage({id, type: "progress", stage: `reading ${bytes.byteLength.toLocaleString("en-US")} bytes`});
      const {table, report} = await readTable(new Uint8Array(bytes), {...options, name});
      scope.postMessage({id, type: "progress", stage: "sending the columns to the page"});
      if (!table) {
        scope.postMessage({id, type: "done", table: null, report, bytes, ms: performance.now() - start}, [bytes]);
        return;
      }
      const {payload, transfer} = tableToPayload(table);
      scope.postMessage({id, type: "done", table: payload, report, bytes, ms: performance.now() - start}, [...transfer.filter((b) => b !== bytes), bytes]);
    } catch (e) {
      scope.postMessage({id, type: "failed", message: e instanceof Error ? e.message : String(e), bytes: bytes.byteLength ? bytes : null});
    }
  };
  scope.postMessage({type: "ready"});
}
