// The analysis Web Worker: receives the columns the Overview reads (copied from the page's table once per
// cohort), validates the endpoints and ranks the times there (src/study/preparedStudy.ts), then answers one
// request per filter change with the Overview's analyses for the row mask it is sent. Only the newest
// "overview" request is computed (src/workers/latest.ts). Loaded by src/study/live.ts with
// `new Worker(url, {type: "module"})` from this origin (the CSP allows worker-src 'self'); it never
// fetches anything.
import {overviewOf, prepareStudy, studyColumns, type OverviewResult, type PreparedStudy} from "../study/preparedStudy.js";
import {isWorkerScope, serveLatest} from "./latest.js";
import {tableFromPayload, type TablePayload} from "./transfer.js";

/** Page → worker bodies, by lane. */
export interface AnalysisRequests {
  load: {payload: TablePayload};
  overview: {mask: Uint8Array; horizon: number};
}

let prepared: PreparedStudy | null = null;

if (isWorkerScope()) {
  serveLatest(
    {
      load: ({payload}: AnalysisRequests["load"]) => {
        const columns = studyColumns(tableFromPayload(payload));
        prepared = columns.invalid ? null : prepareStudy(columns);
        return {rows: columns.numRows, valid: !columns.invalid};
      },
      overview: ({mask, horizon}: AnalysisRequests["overview"]): OverviewResult | null => {
        if (!prepared) throw new Error("no cohort loaded in the analysis worker");
        return overviewOf(prepared, mask, horizon);
      }
    },
    {latest: ["overview"]}
  );
}
