// Where the regression fits a filter change re-runs are computed (issue 7). On a large cohort the Model
// page's Cox model (with its PH check and concordance) and competing-risks pair (Fine–Gray and
// cause-specific Cox), the Acute GVHD page's time-dependent Cox, and the Subgroups page's univariate table
// and forest take from hundreds of milliseconds to seconds; fitted on the page they freeze it on every
// change. Above `workerAbove` rows (by default: always, where a worker can start) they run in the model
// Web Worker (src/workers/model.ts), which gets the columns the fits read once per cohort and then one
// row mask per request. Only the newest request of each lane counts (src/workers/latest.ts): a fit
// superseded while queued is never computed, and the reply of one superseded while computing is never
// delivered. Where no worker can start (a CSP, an old browser), or below the threshold, the fits run on
// the page, synchronously. Either way the results are those of src/study/fits.ts computeFit. No DOM.
import type {CohortTable} from "../cohort/table.js";
import {workerChannel, type Outcome, type WorkerChannel} from "../workers/latest.js";
import type {FitRequest, LoadRequest} from "../workers/model.js";
import {tableToPayload} from "../workers/transfer.js";
import {computeFit, fitTable, plainContext, type FitContext, type FitLane, type FitParams, type FitResults} from "./fits.js";

export type {FitContext, FitLane, FitParams, FitResults, Ties} from "./fits.js";

/** Which lanes are computing their newest request (never true on the page: it fits synchronously). */
export type Busy = Partial<Record<FitLane, boolean>>;

/**
 * Rows above which the fits run in the worker: 0, always. Measured in Chromium on the Model page at 171
 * rows (bench/browser.ts, 12 filter changes, a loaded 2-core machine): p50 128 ms on the page, 123 ms with
 * the worker — the same within noise (most of a change is rendering), and the worker keeps the fits'
 * 10–40 ms off the main thread.
 */
export const MODEL_WORKER_ABOVE = 0;

/** A fit a newer request of its lane replaced: what {@link ModelRunner.fit} resolves to then (a page never renders it). */
export interface StaleFit {
  ok: false;
  stale: true;
  message: string;
  detail: null;
  leftOut: [];
}
export const STALE_FIT: StaleFit = Object.freeze({ok: false, stale: true, message: "Superseded by a newer selection", detail: null, leftOut: []}) as StaleFit;

/** A fit that failed in the worker, as a page shows it: a plain message with the worker's one-line reason (never a stack trace). */
export interface FailedFit {
  ok: false;
  failed: true;
  message: string;
  detail: string | null;
  leftOut: [];
}

/** A failed worker fit as the page shows it (see {@link FailedFit}). */
export function failedFit(message: string): FailedFit {
  return {ok: false, failed: true, message: "The analysis could not be computed", detail: message.split("\n")[0] || null, leftOut: []};
}

export interface ModelRunner {
  /** Where the fits run. */
  readonly where: "page" | "worker";
  /**
   * The outcome of `lane` for a selection: the value itself on the page; in the worker, a promise of
   * `{status: "done", value, ms}`, `{status: "stale"}` (a newer request of the same lane was made
   * before this one's reply) or `{status: "failed", message}`.
   */
  request<L extends FitLane>(lane: L, mask: Uint8Array, params: FitParams[L]): FitResults[L] | Promise<Outcome<FitResults[L]>>;
  /**
   * What a page cell should render: the result (synchronously on the page). In the worker, a promise
   * that resolves to the result, to a {@link FailedFit} message, or — at once, when a newer request of
   * the lane replaced it — to {@link STALE_FIT}. A Framework cell `const m = runner.fit(…)` never renders
   * that marker: the newer request comes from a newer run of the same cell, and the runtime drops the
   * value of a superseded run. (It must settle all the same: Framework's runtime starts a variable's next
   * run only after the previous one's promise settles.)
   */
  fit<L extends FitLane>(lane: L, mask: Uint8Array, params: FitParams[L]): FitResults[L] | Promise<FitResults[L] | FailedFit | StaleFit>;
  /** Stop the worker(s) (call from the cell's `invalidation`). */
  dispose(): void;
}

export interface ModelRunnerOptions {
  /** Rows above which the fits run in the worker (default {@link MODEL_WORKER_ABOVE}). */
  workerAbove?: number;
  /** Called whenever a worker fit starts or ends, with which lanes are computing their newest request. */
  onBusy?: (busy: Busy) => void;
  /**
   * Workers to start (default 1). With 2, `lanes[0]` gets a worker of its own and the other lanes share the
   * second, so that e.g. the Model page's Cox and competing-risks fits run at once (worth it with a core to
   * spare for the page: see {@link defaultWorkers}).
   */
  workers?: 1 | 2;
  /** The lanes of the page, in the order of their worker (with `workers: 2`). */
  lanes?: readonly FitLane[];
  /** The worker module's URL; by default the one Framework emits for src/workers/model.ts (null = no worker). */
  workerUrl?: string | null;
}

/** 2 where the browser reports at least four cores (with fewer, two workers and the page compete for them), else 1. */
export function defaultWorkers(): 1 | 2 {
  const cores = typeof navigator !== "undefined" ? navigator.hardwareConcurrency ?? 1 : 1;
  return cores >= 4 ? 2 : 1;
}

function defaultWorkerUrl(): string | null {
  try {
    // Framework rewrites this to the emitted module's path (and emits it).
    return import.meta.resolve("../workers/model.js");
  } catch {
    return null;
  }
}

/** Outcome → what a cell renders (see {@link ModelRunner.fit}). */
function renderable<T>(outcome: Promise<Outcome<T>>): Promise<T | FailedFit | StaleFit> {
  return outcome.then((o) => {
    if (o.status === "done") return o.value;
    if (o.status === "failed") return failedFit(o.message);
    return STALE_FIT;
  });
}

function pageRunner(table: CohortTable, context: FitContext): ModelRunner {
  const request = <L extends FitLane>(lane: L, mask: Uint8Array, params: FitParams[L]) => computeFit(table, context, lane, mask, params);
  return {where: "page", request, fit: request, dispose: () => {}};
}

function workerRunner(channelOf: (lane: FitLane) => WorkerChannel, channels: readonly WorkerChannel[], onBusy: ((busy: Busy) => void) | undefined): ModelRunner {
  // The newest request of each lane (its token) and whether it is computing, for the busy indicator.
  const newest = new Map<FitLane, number>();
  const computing: Busy = {};
  let token = 0;
  const report = () => onBusy?.({...computing});
  const request = <L extends FitLane>(lane: L, mask: Uint8Array, params: FitParams[L]): Promise<Outcome<FitResults[L]>> => {
    const mine = ++token;
    newest.set(lane, mine);
    computing[lane] = true;
    report();
    const copy = mask.slice(); // moved to the worker; the page keeps its mask
    const body: FitRequest<L> = {mask: copy, params};
    const outcome = channelOf(lane).request<FitResults[L]>(lane, body, [copy.buffer]);
    void outcome.then(() => {
      if (newest.get(lane) !== mine) return; // a newer request of this lane is computing
      computing[lane] = false;
      report();
    });
    return outcome;
  };
  return {
    where: "worker",
    request,
    fit: (lane, mask, params) => renderable(request(lane, mask, params)),
    dispose: () => channels.forEach((c) => c.terminate())
  };
}

/**
 * Decide where a page's fits run for this cohort and prepare them there (see the module comment): above
 * `workerAbove` rows, start the model worker(s) and send them the fit columns (once); otherwise, or when
 * no worker can start or load the cohort, fit on the page.
 */
export async function modelRunner(table: CohortTable, context: FitContext, options: ModelRunnerOptions = {}): Promise<ModelRunner> {
  const {workerAbove = MODEL_WORKER_ABOVE, onBusy, workers = 1, lanes = []} = options;
  if (table.numRows > workerAbove) {
    const url = options.workerUrl === undefined ? defaultWorkerUrl() : options.workerUrl;
    const names = workers === 2 && lanes.length >= 2 ? [`fits-${lanes[0]}`, `fits-${lanes.slice(1).join("-")}`] : ["fits"];
    const started = (await Promise.all(names.map((name) => workerChannel(url, name)))).filter((c): c is WorkerChannel => c !== null);
    if (started.length) {
      const {payload, transfer} = tableToPayload(fitTable(table, context));
      const body: LoadRequest = {payload, context: plainContext(context)};
      // Posted in order: every worker but the last gets a copy (structured clone), the last the buffers themselves.
      const loaded = await Promise.all(started.map((c, k) => c.request<{rows: number}>("load", body, k === started.length - 1 ? transfer : [])));
      const ready = started.filter((c, k) => {
        const o = loaded[k];
        if (o.status === "done" && o.value.rows === table.numRows) return true;
        c.terminate();
        return false;
      });
      if (ready.length) {
        const own = ready.length === 2 ? lanes[0] : null;
        return workerRunner((lane) => (lane === own ? ready[0] : ready[ready.length - 1]), ready, onBusy);
      }
    }
  }
  return pageRunner(table, context);
}

