// Filter changes without a round trip through the page's reactive runtime (issue 7). A page that must
// redraw within a frame listens to the filter panel itself (`onSelection`) and asks an analysis runner
// for the new results: on the page, synchronously, for small cohorts (the whole change then happens in
// the input event's own task), or in the analysis Web Worker for large ones (src/workers/analysis.ts;
// only the newest request is computed and an older reply is never delivered). Either way the cohort's
// endpoints are validated and its times ranked once (src/study/preparedStudy.ts), and a change costs the
// panel's mask plus one pass over the rows. No DOM here except the panel's input event.
import type {CohortTable} from "../cohort/table.js";
import type {Filter} from "../cohort/filters.js";
import type {Problem} from "../cohort/problems.js";
import {copyColumns, tableToPayload} from "../workers/transfer.js";
import {workerChannel, type Outcome, type WorkerChannel} from "../workers/latest.js";
import {columnHandoff, handOver, type ColumnHandoff} from "../workers/handoff.js";
import type {Adopted, Loaded} from "../workers/analysis.js";
import {headlineWithFit} from "./headline.js";
import {applyPanel, type StudyContext} from "./page.js";
import {measure} from "./publishedCohort.js";
import {ENDPOINT_DEFS} from "./endpoints.js";
import {overviewOf, prepareStudy, studyColumns, type OverviewResult} from "./preparedStudy.js";

export interface Selection {
  filters: Filter[];
  mask: Uint8Array;
  count: number;
  problems: Problem[];
}

/**
 * Call `callback` with the panel's selection now and after every input event of the panel. Returns a
 * function that stops listening (call it from Framework's `invalidation`).
 */
export function onSelection(ctx: StudyContext, callback: (selection: Selection) => void): () => void {
  const panel = ctx.panel as HTMLElement & {value: Record<string, unknown>};
  const handler = () => callback(applyPanel(ctx, panel.value));
  panel.addEventListener("input", handler);
  handler();
  return () => panel.removeEventListener("input", handler);
}

/** Rows above which the Overview's analyses run in the worker (below, the page answers within the input event). */
export const WORKER_ABOVE = 5_000;

export interface OverviewRunner {
  /** Where the analyses run: on the page from the prepared cohort, in the worker, or per selection (an endpoint failed whole-table validation). */
  readonly where: "page" | "worker" | "per-selection";
  /** The results for a mask: synchronous on the page; a promise in the worker (stale when a newer run started). */
  run(mask: Uint8Array): OverviewResult | Promise<Outcome<OverviewResult | null>>;
  dispose(): void;
}

function workerUrl(): string | null {
  try {
    // Framework rewrites this to the emitted module's path (and emits it).
    return import.meta.resolve("../workers/analysis.js");
  } catch {
    return null;
  }
}

/** The columns the Overview reads. */
const OVERVIEW_COLUMNS = [ENDPOINT_DEFS.os.time, ENDPOINT_DEFS.os.event, ENDPOINT_DEFS.events.time, ENDPOINT_DEFS.events.event, "interval_days"];

/** The columns the Overview reads, copied into a table of their own (the page keeps its own arrays). */
function overviewTable(table: CohortTable): CohortTable {
  return copyColumns(table, OVERVIEW_COLUMNS);
}

/** Results on the page, per selection, through the data layer's validation (the path for invalid endpoints). */
function perSelection(table: CohortTable, horizon: number) {
  return (mask: Uint8Array): OverviewResult => ({...headlineWithFit(table, mask, horizon), followUp: null});
}

/** A new analysis worker (null when none can start here). */
function analysisChannel(): Promise<WorkerChannel | null> {
  return workerChannel(workerUrl(), "analysis");
}

/** The worker started early, and the column handoff it was asked to adopt. */
let early: {channel: Promise<WorkerChannel | null>; handoff: ColumnHandoff | null; adopted: Promise<Outcome<Adopted> | null> | null} | null = null;

/**
 * Start the analysis worker now, while the cohort is still loading, so that its modules load in parallel
 * with the cohort (the page calls this before `openStudy`). `overviewRunner` takes this worker, or stops
 * it when the cohort turns out small enough for the page. The worker is also asked to adopt the Overview's
 * columns from the parse worker as soon as the file is read (src/workers/handoff.ts): pass the returned
 * handoff to `openStudy`. Returns null where there is no MessageChannel (the worker still starts).
 */
export function startAnalysisWorker(): ColumnHandoff | null {
  if (early) return early.handoff;
  const channel = analysisChannel();
  const pair = columnHandoff(OVERVIEW_COLUMNS);
  const adopted = pair ? channel.then((c) => (c ? c.request<Adopted>("adopt", {port: pair.receiver}, [pair.receiver]) : null)) : null;
  early = {channel, handoff: pair?.handoff ?? null, adopted};
  return early.handoff;
}

/**
 * The analysis worker for `table`, and what it has loaded: the early worker with the columns it adopted
 * when they are this table's (same rows, same file fingerprint), else a worker with nothing loaded yet.
 */
async function takeWorker(table: CohortTable): Promise<{channel: WorkerChannel | null; loaded: Loaded | null}> {
  const taken = early ?? {channel: analysisChannel(), handoff: null, adopted: null};
  early = null;
  const {handoff, adopted} = taken;
  if (handoff?.state === "failed") {
    // The parse worker failed after taking the port: the adoption may never end. Start afresh.
    void taken.channel.then((c) => c?.terminate());
    return {channel: await analysisChannel(), loaded: null};
  }
  const channel = await taken.channel;
  if (!channel || !handoff || !adopted) return {channel, loaded: null};
  // The cohort did not come through a parse worker (the user's own, or read on this thread): end the adoption.
  if (handoff.state === "unused") handOver(handoff.port, null, handoff.columns);
  const a = await adopted;
  const fingerprint = table.source.fingerprint;
  if (a?.status === "done" && a.value.adopted && a.value.rows === table.numRows && fingerprint && a.value.fingerprint === fingerprint) return {channel, loaded: {rows: a.value.rows, valid: a.value.valid}};
  return {channel, loaded: null};
}

/** Copy the Overview's columns of `table` to the worker and have it validate and rank them. */
function loadInto(channel: WorkerChannel, table: CohortTable): Promise<Outcome<Loaded>> {
  const {payload, transfer} = tableToPayload(overviewTable(table));
  return channel.request<Loaded>("load", {payload}, transfer);
}

/**
 * Prepare the Overview's analyses for a cohort (see the module comment). With more than `workerAbove`
 * rows the validation and ranking happen in the analysis worker too; when no worker can start, on the page.
 */
export async function overviewRunner(table: CohortTable, {horizon, workerAbove = WORKER_ABOVE}: {horizon: number; workerAbove?: number}): Promise<OverviewRunner> {
  if (table.numRows <= workerAbove && early) {
    void early.channel.then((c) => c?.terminate());
    early = null;
  }
  if (table.numRows > workerAbove) {
    const start = performance.now();
    const {channel, loaded: adopted} = await takeWorker(table);
    if (channel) {
      const loaded: Outcome<Loaded> = adopted ? {status: "done", value: adopted, ms: 0} : await loadInto(channel, table);
      // For the benchmark and DevTools: how long the page waited for the worker's columns, and how they came.
      measure(adopted ? "sv:cohort:analysis-adopted" : "sv:cohort:analysis-loaded", start);
      if (loaded.status === "done" && loaded.value.valid) {
        return {
          where: "worker",
          run: (mask) => {
            const copy = mask.slice(); // moved to the worker; the page keeps its mask
            return channel.request<OverviewResult | null>("overview", {mask: copy, horizon}, [copy.buffer]);
          },
          dispose: () => channel.terminate()
        };
      }
      channel.terminate();
    }
  }
  const columns = studyColumns(table);
  if (columns.invalid) return {where: "per-selection", run: perSelection(table, horizon), dispose: () => {}};
  const prepared = prepareStudy(columns);
  return {where: "page", run: (mask) => overviewOf(prepared, mask, horizon)!, dispose: () => {}};
}
