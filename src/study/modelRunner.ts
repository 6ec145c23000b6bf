// Where the Model page's regression fits run (issue 7). On a large cohort, the multivariable Cox model
// (with its PH check and concordance) and the competing-risks pair (Fine–Gray and cause-specific Cox)
// take hundreds of milliseconds each; fitted on the page they freeze it on every filter change. Above
// `workerAbove` rows they run in the model Web Worker (src/workers/model.ts), which gets the columns the
// models read once per cohort and then one row mask per request. Only the newest request of each kind
// counts (src/workers/latest.ts): a fit superseded while queued is never computed, and the reply of one
// superseded while computing is never delivered. Small cohorts, or a page where no worker can start,
// fit on the page, synchronously. Either way the results are those of coxModel / competingModels.
// No DOM.
import {CohortTable, type Column} from "../cohort/table.js";
import {workerChannel, type Outcome, type WorkerChannel} from "../workers/latest.js";
import type {FitRequest, ModelReplies, Ties} from "../workers/model.js";
import {tableToPayload} from "../workers/transfer.js";
import {ENDPOINT_DEFS} from "./endpoints.js";
import {competingModels, coxModel, type CompetingSummary, type CoxModelSummary, type ModelVariable, type NotFitted} from "./model.js";

export type {Ties};

/** The fit lanes and what they give. */
export interface FitResults {
  cox: CoxModelSummary | NotFitted;
  competing: CompetingSummary | NotFitted;
}
export type FitLane = keyof FitResults;

/** Which fits are still being computed for the newest request (all false on the page: it fits synchronously). */
export type Busy = Record<FitLane, boolean>;

/**
 * Rows above which the fits run in the worker. Measured in Chromium (Model page, 2-core machine): at 171
 * rows both fits take ≈ 10–20 ms on the page; at 10,000 rows several hundred.
 */
export const MODEL_WORKER_ABOVE = 2_000;

export interface ModelRunner {
  /** Where the fits run. */
  readonly where: "page" | "worker";
  /**
   * The fit of `lane` for a selection: the value itself on the page; in the worker, a promise of the
   * outcome — `{status: "stale"}` when a newer request of the same lane was made before this one's
   * reply, `{status: "failed", message}` when the worker could not compute it.
   */
  request<L extends FitLane>(lane: L, mask: Uint8Array, covariates: readonly string[], options?: {ties?: Ties}): FitResults[L] | Promise<Outcome<FitResults[L]>>;
  /**
   * What a page cell should render: the fit (synchronously on the page). In the worker, a promise that
   * resolves to the fit, to a plain `{ok: false, message}` when it failed (never a stack trace), or to
   * {@link STALE_FIT} at once when a newer request replaced it. A Framework cell `const m = runner.cox(…)`
   * never renders that marker: the newer request comes from a newer run of the same cell, and the
   * runtime drops the value of a superseded run. (It must settle all the same: the runtime starts a
   * variable's next run only after the previous one's promise settles.)
   */
  cox(mask: Uint8Array, covariates: readonly string[], options?: {ties?: Ties}): FitResults["cox"] | Promise<FitResults["cox"] | StaleFit>;
  competing(mask: Uint8Array, covariates: readonly string[], options?: {ties?: Ties}): FitResults["competing"] | Promise<FitResults["competing"] | StaleFit>;
  /** Stop the worker (call from the cell's `invalidation`). */
  dispose(): void;
}

export interface ModelRunnerOptions {
  /** Rows above which the fits run in the worker (default {@link MODEL_WORKER_ABOVE}; 0 = always when one starts). */
  workerAbove?: number;
  /** Called whenever a fit starts or ends in the worker, with which lanes are computing the newest request. */
  onBusy?: (busy: Busy) => void;
  /** Workers to start: 2 fits the two lanes at once (default where `navigator.hardwareConcurrency` ≥ 2), 1 fits them in turn. */
  workers?: 1 | 2;
  /** The worker module's URL; by default the one Framework emits for src/workers/model.ts (null = no worker). */
  workerUrl?: string | null;
}

function defaultWorkerUrl(): string | null {
  try {
    // Framework rewrites this to the emitted module's path (and emits it).
    return import.meta.resolve("../workers/model.js");
  } catch {
    return null;
  }
}

/** The columns the models read (both endpoints and every offered covariate), copied into a table of their own: the page keeps its arrays. */
export function modelTable(table: CohortTable, variables: readonly ModelVariable[]): CohortTable {
  const names = [ENDPOINT_DEFS.os.time, ENDPOINT_DEFS.os.event, ENDPOINT_DEFS.events.time, ENDPOINT_DEFS.events.event, ...variables.map((v) => v.column)];
  const columns: Column[] = [...new Set(names)]
    .filter((n) => table.has(n))
    .map((n) => {
      const c = table.column(n);
      // Text columns are encoded into new arrays by tableToPayload; numeric ones are moved, so copied here.
      const values = c.type === "string" ? c.values : (c.values as Float64Array).slice();
      return {...c, values, missing: c.missing.slice(), invalid: c.invalid ? c.invalid.slice() : null} as Column;
    });
  return new CohortTable(columns, {...table.source}, table.numRows);
}

function fitOnPage<L extends FitLane>(table: CohortTable, variables: readonly ModelVariable[], lane: L, mask: Uint8Array, covariates: readonly string[], ties: Ties): FitResults[L] {
  const fit = lane === "cox" ? coxModel : competingModels;
  return fit(table, mask, variables, covariates, {ties}) as FitResults[L];
}

/** A failed worker fit as the page shows it: a plain message, the worker's one-line reason as detail. */
export function failedFit(message: string): NotFitted {
  return {ok: false, message: "The model could not be fitted", detail: message.split("\n")[0] || null, leftOut: []};
}

/** A fit a newer request replaced: what {@link ModelRunner.cox} resolves to then (a page never renders it). */
export type StaleFit = NotFitted & {stale: true};
export const STALE_FIT: StaleFit = Object.freeze({ok: false, stale: true, message: "Superseded by a newer selection", detail: null, leftOut: []}) as StaleFit;

/** Outcome → what a cell renders (see {@link ModelRunner.cox}). */
function renderable<T>(outcome: Promise<Outcome<T>>): Promise<T | NotFitted | StaleFit> {
  return outcome.then((o) => {
    if (o.status === "done") return o.value;
    if (o.status === "failed") return failedFit(o.message);
    return STALE_FIT;
  });
}

function pageRunner(table: CohortTable, variables: readonly ModelVariable[]): ModelRunner {
  const request = <L extends FitLane>(lane: L, mask: Uint8Array, covariates: readonly string[], {ties = "efron"}: {ties?: Ties} = {}) => fitOnPage(table, variables, lane, mask, covariates, ties);
  return {
    where: "page",
    request,
    cox: (mask, covariates, options) => request("cox", mask, covariates, options),
    competing: (mask, covariates, options) => request("competing", mask, covariates, options),
    dispose: () => {}
  };
}

function workerRunner(channels: Record<FitLane, WorkerChannel>, onBusy: ((busy: Busy) => void) | undefined): ModelRunner {
  // The newest request of each lane still computing (its token), for the busy indicator.
  const newest: Record<FitLane, number> = {cox: 0, competing: 0};
  const computing: Record<FitLane, boolean> = {cox: false, competing: false};
  let token = 0;
  const report = () => onBusy?.({...computing});
  const request = <L extends FitLane>(lane: L, mask: Uint8Array, covariates: readonly string[], {ties = "efron"}: {ties?: Ties} = {}): Promise<Outcome<FitResults[L]>> => {
    const mine = ++token;
    newest[lane] = mine;
    computing[lane] = true;
    report();
    const copy = mask.slice(); // moved to the worker; the page keeps its mask
    const body: FitRequest = {mask: copy, covariates: [...covariates], ties};
    const outcome = channels[lane].request<ModelReplies[L]>(lane, body, [copy.buffer]);
    void outcome.then(() => {
      if (newest[lane] !== mine) return; // a newer request of this lane is computing
      computing[lane] = false;
      report();
    });
    return outcome as Promise<Outcome<FitResults[L]>>;
  };
  return {
    where: "worker",
    request,
    cox: (mask, covariates, options) => renderable(request("cox", mask, covariates, options)),
    competing: (mask, covariates, options) => renderable(request("competing", mask, covariates, options)),
    dispose: () => new Set(Object.values(channels)).forEach((c) => c.terminate())
  };
}

/**
 * Decide where the Model page's fits run for this cohort and prepare them there (see the module
 * comment): above `workerAbove` rows, start the model workers and send them the model columns (once);
 * otherwise, or when no worker can start or load the cohort, fit on the page. With `workers: 2` (the
 * default where the browser reports at least two cores) the Cox model and the competing-risks pair run
 * in two workers at once, so a filter change waits for the slower of the two fits, not their sum.
 */
export async function modelRunner(table: CohortTable, variables: readonly ModelVariable[], options: ModelRunnerOptions = {}): Promise<ModelRunner> {
  const {workerAbove = MODEL_WORKER_ABOVE, onBusy} = options;
  if (table.numRows > workerAbove) {
    const url = options.workerUrl === undefined ? defaultWorkerUrl() : options.workerUrl;
    const cores = typeof navigator !== "undefined" ? navigator.hardwareConcurrency ?? 1 : 1;
    const count = options.workers ?? (cores >= 2 ? 2 : 1);
    const started = (await Promise.all((count >= 2 ? ["model-cox", "model-competing"] : ["model"]).map((name) => workerChannel(url, name)))).filter((c): c is WorkerChannel => c !== null);
    const {payload, transfer} = tableToPayload(modelTable(table, variables));
    const body = {payload, variables: variables.map((v) => ({...v, levels: v.levels ? [...v.levels] : null}))};
    // Posted in order: every worker but the last gets a copy (structured clone), the last the buffers themselves.
    const loaded = await Promise.all(started.map((c, k) => c.request<ModelReplies["load"]>("load", body, k === started.length - 1 ? transfer : [])));
    const ready = started.filter((c, k) => {
      const o = loaded[k];
      if (o.status === "done" && o.value.rows === table.numRows) return true;
      c.terminate();
      return false;
    });
    if (ready.length) return workerRunner({cox: ready[0], competing: ready[ready.length - 1]}, onBusy);
  }
  return pageRunner(table, variables);
}
