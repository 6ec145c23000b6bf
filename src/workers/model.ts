// The regression Web Worker (issue 7: "regression fits (Cox, Fine–Gray, PH test) … in a Web Worker,
// cancelled when a newer filter state arrives"). It receives, once per cohort, the columns the fits read
// (src/study/fits.ts fitTable: copied from the page's table, which keeps its own) with the page's model
// variables and factors; then each request of a fit lane ("cox", "competing", "gvhd", "univariate",
// "forest") runs that lane's study function (computeFit) on the row mask it is sent and replies with its
// plain result object. Only the newest request of each lane is computed (src/workers/latest.ts): fits
// superseded while queued are dropped. Loaded by src/study/modelRunner.ts with
// `new Worker(url, {type: "module"})` from this origin (the CSP allows worker-src 'self'); it never
// fetches anything.
import type {CohortTable} from "../cohort/table.js";
import {computeFit, FIT_LANES, type FitContext, type FitLane, type FitParams, type FitResults} from "../study/fits.js";
import {isWorkerScope, serveLatest} from "./latest.js";
import {tableFromPayload, type TablePayload} from "./transfer.js";

/** The "load" body: the fit columns and what the fits know about them. */
export interface LoadRequest {
  payload: TablePayload;
  context: FitContext;
}

/** A fit lane's body: the rows (1 = selected, one byte per table row) and the lane's settings. */
export interface FitRequest<L extends FitLane = FitLane> {
  mask: Uint8Array;
  params: FitParams[L];
}

export type ModelHandlers = {load: (body: LoadRequest) => {rows: number}} & {[L in FitLane]: (body: FitRequest<L>) => FitResults[L]};

/**
 * The worker's request handlers, holding the loaded cohort. Exported so that tests can run them in Node
 * (where this module does not serve); the worker itself calls `serveLatest(modelHandlers(), …)`.
 */
export function modelHandlers(): ModelHandlers {
  let table: CohortTable | null = null;
  let context: FitContext = {variables: [], factors: []};
  const fit =
    <L extends FitLane>(lane: L) =>
    ({mask, params}: FitRequest<L>): FitResults[L] => {
      if (!table) throw new Error("no cohort loaded in the model worker");
      if (mask.length !== table.numRows) throw new Error(`the row selection has ${mask.length} rows, the cohort ${table.numRows}`);
      return computeFit(table, context, lane, mask, params);
    };
  return {
    load: ({payload, context: c}) => {
      table = tableFromPayload(payload);
      context = c;
      return {rows: table.numRows};
    },
    cox: fit("cox"),
    competing: fit("competing"),
    gvhd: fit("gvhd"),
    univariate: fit("univariate"),
    forest: fit("forest")
  };
}

if (isWorkerScope()) serveLatest(modelHandlers(), {latest: FIT_LANES});
