// The study's regression work that a filter change re-runs, by name ("lane"), so that the same call runs
// on the page or in the model Web Worker (src/workers/model.ts, src/study/modelRunner.ts): the Model page's
// Cox model and competing-risks pair, the Acute GVHD page's analyses (with the time-dependent Cox model),
// and the Subgroups page's univariate table and subgroup forest (a Cox model per subgroup and the
// interaction tests). Each lane is one function of this layer, called with the cohort, the row mask and
// the page's settings; results are the plain objects those functions return. Pure, no DOM.
import type {CohortTable} from "../cohort/table.js";
import {copyColumns} from "../workers/transfer.js";
import type {Factor} from "./cohort.js";
import {ENDPOINT_DEFS} from "./endpoints.js";
import {gvhdAnalyses, type GvhdResult, type GvhdUnavailable} from "./gvhd.js";
import {competingModels, coxModel, type CompetingSummary, type CoxModelSummary, type ModelVariable, type NotFitted} from "./model.js";
import {subgroupForest, univariateTable, type ForestComparison, type ForestEndpoint, type SubgroupForest, type UnivariateFactor, type UnivariateRow} from "./subgroups.js";

/** Tied death times, as the Model page's control. */
export type Ties = "efron" | "breslow";

/** What the fits know about the cohort besides its rows: the Model page's variables and the study's factors. */
export interface FitContext {
  variables: readonly ModelVariable[];
  factors: readonly Factor[];
}

/** Each lane's settings (everything but the row mask). */
export interface FitParams {
  cox: {covariates: readonly string[]; ties?: Ties};
  competing: {covariates: readonly string[]; ties?: Ties};
  gvhd: {day: number};
  univariate: {horizon: number};
  forest: {comparison: ForestComparison; endpoint?: ForestEndpoint};
}

/** Each lane's result. */
export interface FitResults {
  cox: CoxModelSummary | NotFitted;
  competing: CompetingSummary | NotFitted;
  gvhd: GvhdResult | GvhdUnavailable;
  /** univariateTable's result without the per-factor curves (the table draws none; see {@link withoutCurves}). */
  univariate: {rows: UnivariateRow[]; factors: UnivariateFactor[]};
  forest: SubgroupForest;
}

export type FitLane = keyof FitParams;

export const FIT_LANES: readonly FitLane[] = ["cox", "competing", "gvhd", "univariate", "forest"];

/**
 * Run one lane on the rows where `mask` is 1: `coxModel` / `competingModels` (src/study/model.ts),
 * `gvhdAnalyses` (src/study/gvhd.ts), `univariateTable` (its curves left out, as {@link withoutCurves} gives) /
 * `subgroupForest` (src/study/subgroups.ts), with those functions' defaults (Efron ties, overall survival
 * for the forest).
 */
export function computeFit<L extends FitLane>(table: CohortTable, context: FitContext, lane: L, mask: Uint8Array, params: FitParams[L]): FitResults[L] {
  const p = params as FitParams[FitLane];
  switch (lane) {
    case "cox": {
      const {covariates, ties = "efron"} = p as FitParams["cox"];
      return coxModel(table, mask, context.variables, covariates, {ties}) as FitResults[L];
    }
    case "competing": {
      const {covariates, ties = "efron"} = p as FitParams["competing"];
      return competingModels(table, mask, context.variables, covariates, {ties}) as FitResults[L];
    }
    case "gvhd":
      return gvhdAnalyses(table, mask, (p as FitParams["gvhd"]).day) as FitResults[L];
    case "univariate":
      // The curves are never built (equal to withoutCurves of the full table: test/study/optimised-equal.test.ts).
      return univariateTable(table, mask, context.factors, {horizon: (p as FitParams["univariate"]).horizon, curves: false}) as FitResults[L];
    case "forest": {
      const {comparison, endpoint = "os"} = p as FitParams["forest"];
      return subgroupForest(table, mask, context.factors, comparison, {endpoint}) as FitResults[L];
    }
  }
  throw new Error(`no fit named ${String(lane)}`);
}

/**
 * The univariate table without its factors' Kaplan–Meier and cumulative-incidence curves (empty arrays):
 * the page shows the rows and records the tests, and at registry scale the curves of every level of every
 * factor are most of the reply a worker would send (copied on the page's thread when it arrives).
 */
export function withoutCurves(u: {rows: UnivariateRow[]; factors: UnivariateFactor[]}): {rows: UnivariateRow[]; factors: UnivariateFactor[]} {
  return {
    rows: u.rows,
    factors: u.factors.map((f) => ({...f, os: {...f.os, curves: []}, incidence: {...f.incidence, causes: f.incidence.causes.map((c) => ({...c, curves: []}))}}))
  };
}

/** Columns the lanes read: both endpoints, acute GVHD onset and status, every factor and every model variable. */
export function fitColumns(table: CohortTable, context: FitContext): string[] {
  const names = [
    ENDPOINT_DEFS.os.time,
    ENDPOINT_DEFS.os.event,
    ENDPOINT_DEFS.events.time,
    ENDPOINT_DEFS.events.event,
    "agvhd_days",
    "agvhd_any",
    ...context.factors.map((f) => f.column),
    ...context.variables.map((v) => v.column)
  ];
  return [...new Set(names)].filter((n) => table.has(n));
}

/** Those columns copied into a table of their own (numeric arrays and masks copied, so moving them to a worker leaves the page's table whole). */
export function fitTable(table: CohortTable, context: FitContext): CohortTable {
  return copyColumns(table, fitColumns(table, context));
}

/** The context as plain data for postMessage (copies of the page's arrays of levels). */
export function plainContext(context: FitContext): FitContext {
  return {
    variables: context.variables.map((v) => ({...v, levels: v.levels ? [...v.levels] : null})),
    factors: context.factors.map((f) => ({...f, levels: [...f.levels]}))
  };
}
