// The Model page's Web Worker (issue 7: "regression fits … in a Web Worker, cancelled when a newer filter
// state arrives"). It receives, once per cohort, the columns the models read (the endpoints and the
// covariates the page offers; copied from the page's table, which keeps its own) and the page's variable
// definitions; then each "cox" or "competing" request fits src/study/model.ts's coxModel or
// competingModels on the row mask it is sent and replies with their plain result objects. Only the newest
// request of each of those two lanes is computed (src/workers/latest.ts): fits superseded while queued
// are dropped. Loaded by src/study/modelRunner.ts with `new Worker(url, {type: "module"})` from this
// origin (the CSP allows worker-src 'self'); it never fetches anything.
import type {CohortTable} from "../cohort/table.js";
import {competingModels, coxModel, type CompetingSummary, type CoxModelSummary, type ModelVariable, type NotFitted} from "../study/model.js";
import {isWorkerScope, serveLatest} from "./latest.js";
import {tableFromPayload, type TablePayload} from "./transfer.js";

/** Tied death times, as the page's control. */
export type Ties = "efron" | "breslow";

/** One fit request: the rows (1 = selected, one byte per table row), the chosen covariates (columns) and the tie method. */
export interface FitRequest {
  mask: Uint8Array;
  covariates: string[];
  ties: Ties;
}

/** Page → worker bodies, by lane. */
export interface ModelRequests {
  load: {payload: TablePayload; variables: ModelVariable[]};
  cox: FitRequest;
  competing: FitRequest;
}

/** Worker → page values, by lane (plain objects: they cross postMessage by structured clone). */
export interface ModelReplies {
  load: {rows: number};
  cox: CoxModelSummary | NotFitted;
  competing: CompetingSummary | NotFitted;
}

/** Lanes where only the newest request matters. */
export const FIT_LANES = ["cox", "competing"] as const;

/**
 * The worker's request handlers, holding the loaded cohort. Exported so that tests can run them in Node
 * (where this module does not serve); the worker itself calls `serveLatest(modelHandlers(), …)`.
 */
export function modelHandlers(): {[L in keyof ModelRequests]: (body: ModelRequests[L]) => ModelReplies[L]} {
  let table: CohortTable | null = null;
  let variables: ModelVariable[] = [];
  const loaded = (mask: Uint8Array): CohortTable => {
    if (!table) throw new Error("no cohort loaded in the model worker");
    if (mask.length !== table.numRows) throw new Error(`the row selection has ${mask.length} rows, the cohort ${table.numRows}`);
    return table;
  };
  return {
    load: ({payload, variables: v}) => {
      table = tableFromPayload(payload);
      variables = v;
      return {rows: table.numRows};
    },
    cox: ({mask, covariates, ties}) => coxModel(loaded(mask), mask, variables, covariates, {ties}),
    competing: ({mask, covariates, ties}) => competingModels(loaded(mask), mask, variables, covariates, {ties})
  };
}

if (isWorkerScope()) serveLatest(modelHandlers(), {latest: FIT_LANES});
