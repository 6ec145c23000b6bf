// What every analysis page does first: read the cohort (the published file, parsed and prepared in a Web
// Worker by loadPublishedCohort, src/study/publishedCohort.ts; or the user's own stored file), decode the view
// from the URL, and build the shared filter panel from them.
import type {Filter} from "../cohort/filters.js";
import type {AnalysisSpec} from "../cohort/spec.js";
import type {Problem} from "../cohort/problems.js";
import type {LoadReport} from "../cohort/readTable.js";
import {isNA, type CohortTable} from "../cohort/table.js";
import {filterPanel, panelFilters, type PanelRange} from "../components/filterPanel.js";
import {selectRows, type Factor} from "./cohort.js";
import {loadPublishedCohort, measure, type Attachment, type LoadInfo, type PublishedInfo} from "./publishedCohort.js";
import type {ColumnHandoff} from "../workers/handoff.js";
import {readViewSpec, writeViewSpec} from "./url.js";
import {dataBanner} from "../components/uploadPanel.js";
import {specMapping} from "./mapping.js";
import {maskBelowFor, readSmallCells} from "./store.js";
import {forgetUploadedCohort, uploadedCohortForPage, type UploadedInfo} from "./upload.js";

export interface StudyContext {
  table: CohortTable;
  report: LoadReport;
  factors: Factor[];
  ranges: PanelRange[];
  /** The view decoded from the URL (or the session), with what was ignored and why. */
  spec: AnalysisSpec;
  specProblems: Problem[];
  synthetic: boolean;
  /** The shared filter panel, initialised from the view. */
  panel: HTMLElement;
  /** The user's own data when the page runs on them (see the Your data page), else null. */
  uploaded: UploadedInfo | null;
  /** Small-cell protection: pass as `maskBelow` to tables, risk tables and exports (0 = off). */
  maskBelow: number;
  /** The banner shown at the top of the page ("Your data: …", "same data" / "different data"), or null. */
  banner: HTMLElement | null;
  /** How the published cohort was read (worker or main thread, milliseconds per step); null for the user's own data. */
  load: LoadInfo | null;
}

export type {Attachment, PublishedInfo};

function extent(table: CohortTable, column: string): [number, number] {
  const c = table.column(column);
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < c.length; ++i) {
    if (isNA(c, i)) continue;
    const v = c.values[i] as number;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/**
 * Open the study cohort for a page: `file` is the page's FileAttachment("data/cohort.csv") and `info` is
 * data/cohort-info.json; when `info.format` is "parquet" the published cohort is read from data/cohort.parquet
 * instead (see loadPublishedCohort; `handoff`: the analysis worker's column handoff, see startAnalysisWorker).
 * Throws an Error with the data layer's first message if unusable.
 */
export async function openStudy(file: Attachment, info: PublishedInfo, {handoff = null}: {handoff?: ColumnHandoff | null} = {}): Promise<StudyContext> {
  // The user's own cohort (stored in this browser by the Your data page) when they chose it.
  const opened = performance.now();
  const own = await uploadedCohortForPage();
  measure("sv:cohort:stored-check", opened);
  const published = own.kind === "ready" ? null : await loadPublishedCohort(file, info, {handoff});
  const loaded = own.kind === "ready" ? own.cohort : published!;
  if (!loaded.table) throw new Error(loaded.report.messages[0] ?? "The cohort file could not be read");
  const {table, report, factors} = loaded;
  const ranges: PanelRange[] = loaded.ranges.map((r) => {
    const [min, max] = extent(table, r.column);
    return {column: r.column, label: r.label, step: r.step, min, max};
  });
  const decoded = readViewSpec(table);
  const panel = filterPanel(factors, ranges, {initial: decoded.spec.filters});
  const uploaded = own.kind === "ready" ? own.info : null;
  const spec = uploaded && !Object.keys(decoded.spec.mapping).length ? {...decoded.spec, mapping: specMapping(uploaded.mapping)} : decoded.spec;
  const link = decoded.source === "url" && decoded.spec.dataset?.fingerprint ? decoded.spec.dataset : null;
  const banner = dataBanner({uploaded, failed: own.kind === "failed" ? own.message : null, published: {name: table.source.name, fingerprint: table.source.fingerprint}, link, onForget: () => forgetUploadedCohort()});
  if (typeof document !== "undefined") {
    document.querySelectorAll(".sv-data-banner").forEach((b) => b.remove());
    if (banner) (document.getElementById("observablehq-main") ?? document.querySelector("main"))?.prepend(banner);
  }
  const maskBelow = maskBelowFor(readSmallCells(), uploaded !== null);
  measure("sv:cohort:open", opened);
  return {table, report, factors, ranges, spec, specProblems: decoded.problems, synthetic: uploaded ? false : info.synthetic, panel, uploaded, maskBelow, banner, load: published?.load ?? null};
}

/** The filters the panel's value stands for, and the rows they select. */
export function applyPanel(ctx: StudyContext, panelValue: Record<string, unknown>): {filters: Filter[]; mask: Uint8Array; count: number; problems: Problem[]} {
  const filters = panelFilters(panelValue, ctx.factors, ctx.ranges);
  // Unticking every level of a factor leaves no patient (an empty `in` list selects none); said in words here.
  const emptied = filters.find((f) => f.op === "in" && Array.isArray(f.value) && f.value.length === 0);
  if (emptied) {
    const label = ctx.factors.find((x) => x.column === emptied.column)?.label ?? emptied.column;
    return {filters, mask: new Uint8Array(ctx.table.numRows), count: 0, problems: [{severity: "warning", code: "no-rows-match", column: emptied.column, row: null, value: null, message: `No patients match these filters (no level of ${label} is ticked)`}]};
  }
  const {mask, count, problems} = selectRows(ctx.table, filters);
  return {filters, mask, count, problems};
}

/**
 * Record the page's view (filters plus page settings) in the URL and return the fragment. `defer` writes
 * the URL after the current task (for a redraw made in the input event's own task).
 */
export function recordView(ctx: StudyContext, view: Partial<AnalysisSpec>, options: {defer?: boolean} = {}): string | null {
  const fingerprint = ctx.table.source.fingerprint;
  return writeViewSpec(
    {
      ...ctx.spec,
      ...view,
      v: 1,
      dataset: fingerprint ? {name: ctx.table.source.name, fingerprint} : null
    },
    options
  );
}

/** A one-line description of the selection for captions: "86 of 171 patients (age: ≤ 9 years)". */
export function describeSelection(ctx: StudyContext, filters: readonly Filter[], count: number): string {
  const total = ctx.table.numRows;
  if (!filters.length) return `All ${total} patients`;
  const parts = filters.map((f) => {
    const label = ctx.factors.find((x) => x.column === f.column)?.label ?? ctx.ranges.find((x) => x.column === f.column)?.label ?? f.column;
    const value = Array.isArray(f.value)
      ? f.op === "between"
        ? `${f.value[0]}–${f.value[1]}`
        : f.value.length
          ? f.value.join(", ")
          : "none ticked"
      : `${f.op} ${f.value}`;
    return `${label}: ${value}`;
  });
  return `${count} of ${total} patients (${parts.join("; ")})`;
}
