// The analysis Web Worker: receives the columns the Overview reads once per cohort, validates the endpoints
// and ranks the times there (src/study/preparedStudy.ts), then answers one request per filter change with
// the Overview's analyses for the row mask it is sent. Only the newest "overview" request is computed
// (src/workers/latest.ts). The columns come either from the page ("load": copied from the page's table), or
// straight from the parse worker while the page is still receiving the cohort ("adopt": a port of a column
// handoff, src/workers/handoff.ts). Loaded by src/study/live.ts with `new Worker(url, {type: "module"})`
// from this origin (the CSP allows worker-src 'self'); it never fetches anything.
import {overviewOf, prepareStudy, studyColumns, type OverviewResult, type PreparedStudy} from "../study/preparedStudy.js";
import {receiveHandoff} from "./handoff.js";
import {isWorkerScope, serveLatest} from "./latest.js";
import {tableFromPayload, type TablePayload} from "./transfer.js";

/** Page → worker bodies, by lane. */
export interface AnalysisRequests {
  load: {payload: TablePayload};
  adopt: {port: MessagePort};
  overview: {mask: Uint8Array; horizon: number};
}

/** What "load" answers: the rows loaded and whether both endpoints passed validation. */
export interface Loaded {
  rows: number;
  valid: boolean;
}

/** What "adopt" answers: whether columns arrived on the port, and then what "load" would answer and the file's fingerprint. */
export type Adopted = ({adopted: true; fingerprint: string | null} & Loaded) | {adopted: false};

/**
 * The worker's request handlers, holding the prepared cohort. Exported so that tests can run them in Node;
 * the worker itself serves them with serveLatest.
 */
export function analysisHandlers() {
  let prepared: PreparedStudy | null = null;
  const load = ({payload}: AnalysisRequests["load"]): Loaded => {
    const columns = studyColumns(tableFromPayload(payload));
    prepared = columns.invalid ? null : prepareStudy(columns);
    return {rows: columns.numRows, valid: !columns.invalid};
  };
  return {
    load,
    adopt: async ({port}: AnalysisRequests["adopt"]): Promise<Adopted> => {
      const m = await receiveHandoff(port);
      return m ? {adopted: true, fingerprint: m.fingerprint, ...load({payload: m.payload})} : {adopted: false};
    },
    overview: ({mask, horizon}: AnalysisRequests["overview"]): OverviewResult | null => {
      if (!prepared) throw new Error("no cohort loaded in the analysis worker");
      return overviewOf(prepared, mask, horizon);
    }
  };
}

if (isWorkerScope()) serveLatest(analysisHandlers(), {latest: ["overview"]});
