// The Subgroups page's analyses (the paper's Figure 2 and univariate table): groups from a factor or
// from cut points of a numeric variable; overall survival by group with the log-rank (Peto–Peto, trend)
// test; relapse and non-relapse mortality by group with Gray's test; the univariate table of every
// factor; the subgroup forest plot (Cox per subgroup, likelihood-ratio test of the interaction); and the
// ledger entries of the comparisons shown. Pure TypeScript over the engine: no DOM, no formatting. Every
// selection the engine cannot analyse gives a plain `message`, never NaN.
import {cut} from "../cohort/derive.js";
// Not (yet) re-exported by the engine's index (src/survival/index.ts): the forest's fit-many-subsets entry.
import {coxPHRows, coxRowSet, type CoxRowSet} from "../survival/coxPH.js";
import type {Filter} from "../cohort/filters.js";
import type {SpecCut} from "../cohort/spec.js";
import type {CohortTable} from "../cohort/table.js";
import type {ForestRow} from "../components/forestPlot.js";
import type {IncidenceCurve, SurvivalCurve} from "../components/curves.js";
import {
  chiSquaredUpper,
  cumulativeIncidence,
  cumulativeIncidencePrepared,
  grayTest,
  grayTestPrepared,
  kaplanMeier,
  kaplanMeierPrepared,
  logRank,
  logRankPrepared,
  prepareCohort,
  selectRows as selectPrepared,
  summaryAt,
  survivalQuantile,
  SurvivalInputError,
  type CumulativeIncidenceOptions,
  type CumulativeIncidenceResult,
  type DesignMatrix,
  type GrayTestOptions,
  type GrayTestResult,
  type KaplanMeierFit,
  type KaplanMeierOptions,
  type LogRankOptions,
  type LogRankResult,
  type PreparedSurvival,
  type SurvivalData
} from "../survival/index.js";
import type {Factor} from "./cohort.js";
import {incidenceCurves, survivalCurves} from "./curves.js";
import {endpointInput, labelsAt, type EndpointInput} from "./endpoints.js";
import {CAUSE_LABELS, EVENT_CODES} from "./kato2012.js";
import {labelCodes} from "./labelCodes.js";
import type {LedgerComparison} from "./ledger.js";
import {rName, rNumber, rSnippet, rString, type RMapping} from "./rSnippet.js";

// ---------------------------------------------------------------------------------------------
// Groupings

/** A numeric variable that can be cut into groups (the filter panel's range variables). */
export interface CutVariable {
  column: string;
  label: string;
  unit: string;
}

/** How the patients are grouped: a factor's levels, or intervals of a numeric variable. */
export interface Grouping {
  /** The table holding the grouping column (the input table, plus the cut column for a cut). */
  table: CohortTable;
  /** Column of `table` whose labels are the groups. */
  column: string;
  /** The grouping in words ("Age at second SCT"; "Age (years) cut at 6, 12"). */
  label: string;
  /** Group labels in display order (also the order of the trend test's scores 1, 2, …). */
  levels: string[];
  /** Identity of the grouping for the ledger and the URL: the factor column, or "column|le:6,12". */
  key: string;
  /** The cut, for a numeric variable; null for a factor. */
  cut: SpecCut | null;
  /** Values outside every interval (never for the open-ended breaks used here) or other notes. */
  notes: string[];
}

function formatPoint(x: number): string {
  return String(x).replace("-", "−");
}

/**
 * Labels of the intervals defined by cut points, in order: with `closed: "le"` (each point in the group
 * below it) "≤ 6 years", "> 6 to ≤ 12 years", "> 12 years"; with "lt" "< 180 days", "180 to < 365 days",
 * "≥ 365 days". The unit is appended when given.
 */
export function cutLabels(points: readonly number[], closed: "le" | "lt", unit = ""): string[] {
  const u = unit ? ` ${unit}` : "";
  const p = points.map(formatPoint);
  const k = p.length;
  if (!k) return [];
  const labels: string[] = [];
  if (closed === "le") {
    labels.push(`≤ ${p[0]}${u}`);
    for (let i = 1; i < k; ++i) labels.push(`> ${p[i - 1]} to ≤ ${p[i]}${u}`);
    labels.push(`> ${p[k - 1]}${u}`);
  } else {
    labels.push(`< ${p[0]}${u}`);
    for (let i = 1; i < k; ++i) labels.push(`${p[i - 1]} to < ${p[i]}${u}`);
    labels.push(`≥ ${p[k - 1]}${u}`);
  }
  return labels;
}

/**
 * Parse cut points typed by a user ("6, 12" or "180 365"): finite numbers, sorted, duplicates removed.
 * Returns the points or a one-line reason.
 */
export function parseCutPoints(text: string, {max = 8}: {max?: number} = {}): number[] | string {
  const parts = text
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter((s) => s !== "");
  if (!parts.length) return "Type at least one cut point";
  const points: number[] = [];
  for (const s of parts) {
    const x = /^[-+−]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s) ? Number(s.replace("−", "-")) : NaN;
    if (!Number.isFinite(x)) return `“${s.slice(0, 20)}” is not a number`;
    points.push(x);
  }
  const sorted = Array.from(new Set(points)).sort((a, b) => a - b);
  if (sorted.length > max) return `At most ${max} cut points`;
  return sorted;
}

/** The grouping identity used in the ledger and the URL ("age_group", "age|le:6,12"). */
export function groupingKey(column: string, c: SpecCut | null): string {
  return c ? `${column}|${c.closed}:${c.points.join(",")}` : column;
}

/**
 * The grouping a page asked for: a factor (by column), or — when `column` is one of the numeric
 * variables and `cutSpec` has points — the intervals of that variable, added to the table as a new text
 * column by the data layer's `cut` (R's `cut(x, c(-Inf, points, Inf), right = closed == "le")`).
 * Returns a message when the column is neither.
 */
export function makeGrouping(
  table: CohortTable,
  factors: readonly Factor[],
  variables: readonly CutVariable[],
  column: string,
  cutSpec: SpecCut | null = null
): Grouping | {message: string} {
  const factor = factors.find((f) => f.column === column);
  if (factor) return {table, column, label: factor.label, levels: factor.levels, key: column, cut: null, notes: []};
  const variable = variables.find((v) => v.column === column);
  if (!variable || !table.has(column) || table.column(column).type !== "number") return {message: `No factor or numeric variable “${column.slice(0, 40)}” to group by`};
  if (!cutSpec || !cutSpec.points.length) return {message: `Give at least one cut point for ${variable.label}`};
  const labels = cutLabels(cutSpec.points, cutSpec.closed, variable.unit === "years" ? "years" : variable.unit === "days" ? "days" : "");
  let name = `${column}__groups`;
  while (table.has(name)) name += "_";
  const r = cut(table, column, [-Infinity, ...cutSpec.points, Infinity], {name, labels, right: cutSpec.closed === "le"});
  return {
    table: r.table,
    column: name,
    label: `${variable.label} cut at ${cutSpec.points.map(formatPoint).join(", ")}`,
    levels: labels,
    key: groupingKey(column, cutSpec),
    cut: {points: [...cutSpec.points], closed: cutSpec.closed},
    notes: r.problems.map((p) => p.message)
  };
}

// ---------------------------------------------------------------------------------------------
// Shared helpers

/** A test result as the page shows it; null statistics when it could not be computed (see `note`). */
export interface TestResult {
  /** Name of the test ("Log-rank", "Peto–Peto", "Log-rank test for trend", "Gray's test"). */
  test: string;
  chisq: number | null;
  df: number | null;
  p: number | null;
  /** Why the statistic is missing, or a caveat; null otherwise. */
  note: string | null;
}

const finite = (v: number | null | undefined): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

function errorText(e: unknown): string {
  if (e instanceof SurvivalInputError || e instanceof RangeError) return e.message;
  throw e;
}

function inputMessage(ei: EndpointInput): string {
  const first = ei.problems.find((p) => p.severity === "error") ?? ei.problems[0];
  return first ? first.message : "The endpoint columns could not be read";
}

/** Rows of the engine input whose group label is present, and how many lack one. */
function countGrouped(data: SurvivalData): {n: number; missing: number} {
  const g = data.group;
  if (!g) return {n: data.time.length, missing: 0};
  let missing = 0;
  for (let i = 0; i < g.length; ++i) if (g[i] === null || g[i] === undefined) ++missing;
  return {n: g.length - missing, missing};
}

/**
 * An endpoint by group on the selected rows, and the engine's estimators on them. Either prepared once per
 * (table, endpoint, grouping column) with the engine's `prepareCohort` — a filter change is then a
 * counting pass (`selectRows`) and the `…Prepared` estimators, whose results equal the plain functions'
 * on the same rows — or, when the endpoint fails validation on the whole table (each selection is then
 * validated afresh, so that its errors name its own rows), the plain functions on `endpointInput`.
 */
interface GroupedRows {
  /** Selected rows with a complete endpoint (with or without a group). */
  selected: number;
  /** Those with a group, and those without. */
  n: number;
  missing: number;
  kaplanMeier(options?: Omit<KaplanMeierOptions, "timefix">): KaplanMeierFit;
  logRank(options: Omit<LogRankOptions, "timefix">): LogRankResult;
  cumulativeIncidence(options: Omit<CumulativeIncidenceOptions, "timefix">): CumulativeIncidenceResult;
  grayTest(options: Omit<GrayTestOptions, "timefix">): GrayTestResult;
}

interface PreparedGrouping {
  /** Table rows of the whole table's engine rows (complete endpoint). */
  rows: Int32Array;
  /** Per engine row: 1 where the group label is missing. */
  noGroup: Uint8Array;
  prepared: PreparedSurvival;
}

/**
 * Rows (summed over a table's prepared groupings) the cache may hold: a prepared grouping keeps about
 * 45 bytes per row (the engine's ranks and codes, the group labels; measured at 100,000 rows), so about
 * 110 MB — every factor of the study at 100,000 rows, two groupings at 1,000,000. Least recently used
 * groupings are dropped first; a table larger than the budget is never prepared.
 */
export const PREPARED_ROW_BUDGET = 2_500_000;

interface PreparedCache {
  /** Per endpoint, its engine rows over the whole table (null: the whole table does not validate). */
  base: Map<string, EndpointInput | null>;
  /** Per (endpoint, grouping column), in order of last use. */
  groupings: Map<string, PreparedGrouping>;
  /** Rows held by `groupings`. */
  held: number;
}

const preparedCaches = new WeakMap<CohortTable, PreparedCache>();

/**
 * The endpoint by group prepared once per table, or null: when the whole table's endpoint does not
 * validate, when the table exceeds the budget, or when `allowPrepare` is false and it is not prepared yet.
 */
function preparedGrouping(table: CohortTable, endpoint: "os" | "events", column: string, allowPrepare: boolean): PreparedGrouping | null {
  let cache = preparedCaches.get(table);
  if (!cache) preparedCaches.set(table, (cache = {base: new Map(), groupings: new Map(), held: 0}));
  const key = `${endpoint}\u0000${column}`;
  const hit = cache.groupings.get(key);
  if (hit) {
    cache.groupings.delete(key);
    cache.groupings.set(key, hit);
    return hit;
  }
  if (!allowPrepare || table.numRows > PREPARED_ROW_BUDGET) return null;
  if (!cache.base.has(endpoint)) {
    const ei = endpointInput(table, endpoint, new Uint8Array(table.numRows).fill(1));
    cache.base.set(endpoint, ei.ok ? ei : null);
  }
  const ei = cache.base.get(endpoint);
  if (!ei) return null;
  // The group labels endpointInput's groupBy gives (labelsAt): a text column's values (from its codes), else labelsAt.
  const c = table.column(column);
  let g: (string | null)[];
  const noGroup = new Uint8Array(ei.rows.length);
  if (c.type === "string") {
    const {labels, code} = labelCodes(c);
    g = new Array<string | null>(ei.rows.length);
    for (let j = 0; j < g.length; ++j) {
      const k = code[ei.rows[j]];
      if (k < 0) (g[j] = null), (noGroup[j] = 1);
      else g[j] = labels[k];
    }
  } else {
    g = labelsAt(table, column, ei.rows);
    for (let j = 0; j < g.length; ++j) if (g[j] === null || g[j] === undefined) noGroup[j] = 1;
  }
  let prepared: PreparedSurvival;
  try {
    prepared = prepareCohort({time: ei.data.time, event: ei.data.event, group: g});
  } catch (e) {
    if (!(e instanceof SurvivalInputError || e instanceof RangeError)) throw e;
    return null;
  }
  const need = ei.rows.length;
  for (const [k, old] of cache.groupings) {
    if (cache.held + need <= PREPARED_ROW_BUDGET) break;
    cache.groupings.delete(k);
    cache.held -= old.rows.length;
  }
  const out = {rows: ei.rows, noGroup, prepared};
  cache.groupings.set(key, out);
  cache.held += need;
  return out;
}

function groupedRows(table: CohortTable, endpoint: "os" | "events", column: string, mask: Uint8Array, allowPrepare: boolean): GroupedRows | {message: string} {
  const pg = preparedGrouping(table, endpoint, column, allowPrepare);
  if (!pg) {
    const ei = endpointInput(table, endpoint, mask, {groupBy: column});
    if (!ei.ok) return {message: inputMessage(ei)};
    const {n, missing} = countGrouped(ei.data);
    return {
      selected: ei.rows.length,
      n,
      missing,
      kaplanMeier: (o) => kaplanMeier(ei.data, o),
      logRank: (o) => logRank(ei.data, o),
      cumulativeIncidence: (o) => cumulativeIncidence(ei.data, o),
      grayTest: (o) => grayTest(ei.data, o)
    };
  }
  const {rows, noGroup, prepared} = pg;
  const sub = new Uint8Array(rows.length);
  let selected = 0;
  let missing = 0;
  for (let j = 0; j < rows.length; ++j) {
    if (mask[rows[j]] !== 1) continue;
    sub[j] = 1;
    ++selected;
    missing += noGroup[j];
  }
  const selection = selectPrepared(prepared, sub);
  return {
    selected,
    n: selected - missing,
    missing,
    kaplanMeier: (o) => kaplanMeierPrepared(selection, null, o),
    logRank: (o) => logRankPrepared(selection, null, o),
    cumulativeIncidence: (o) => cumulativeIncidencePrepared(selection, null, o),
    grayTest: (o) => grayTestPrepared(selection, null, o)
  };
}

/** Reorder items carrying a `level` into the grouping's display order (unknown levels last, in their order). */
function inDisplayOrder<T>(items: readonly T[], levelOf: (t: T) => string | null, levels: readonly string[]): T[] {
  const rank = (t: T) => {
    const i = levels.indexOf(levelOf(t) ?? "");
    return i < 0 ? levels.length : i;
  };
  return items.map((t, i) => ({t, i})).sort((a, b) => rank(a.t) - rank(b.t) || a.i - b.i).map((x) => x.t);
}

// ---------------------------------------------------------------------------------------------
// Overall survival by group

/** One group's overall survival. */
export interface SurvivalGroup {
  level: string;
  n: number;
  deaths: number;
  /** Log-rank observed and expected deaths (weighted by Ŝ^rho for Peto–Peto); null without a test. */
  observed: number | null;
  expected: number | null;
  /** Kaplan–Meier S(horizon), its Greenwood SE and pointwise limits (probability scale). */
  surv: number | null;
  se: number | null;
  lower: number | null;
  upper: number | null;
  /** Median OS (days; R's quantile(fit, 0.5)) and its limits; null when not reached. */
  median: number | null;
  medianLower: number | null;
  medianUpper: number | null;
}

export interface SurvivalComparison {
  /** Why there are no curves (no patients, unreadable endpoint); null when there are. */
  message: string | null;
  /** Patients analysed (in a group, with a complete endpoint). */
  n: number;
  deaths: number;
  /** Selected patients left out because their group value is missing. */
  missingGroup: number;
  groups: SurvivalGroup[];
  /** Kaplan–Meier curves per group in display order, for survivalPlot. */
  curves: SurvivalCurve[];
  /** The log-rank (or Peto–Peto) test; null with `testMessage` when it cannot be done. */
  test: TestResult | null;
  /** The test for trend over the groups in display order (scores 1, 2, …), when asked. */
  trend: TestResult | null;
  testMessage: string | null;
}

export interface SurvivalComparisonOptions {
  /** Horizon of the point estimates, days (the paper: 2 years = 730.5). */
  horizon: number;
  /** 0: log-rank (default); 1: Peto–Peto (survdiff's rho). */
  rho?: 0 | 1;
  /** Add the test for trend across the groups in display order. */
  trend?: boolean;
  /** CI transform of the curves (default "log-log"). */
  confType?: "log-log" | "log" | "plain";
  /** False: leave `curves` empty (a caller that draws none, e.g. the univariate table in a worker). Default true. */
  curves?: boolean;
}

/** Name of the G-rho test. */
export function testName(rho: 0 | 1): string {
  return rho === 1 ? "Peto–Peto" : "Log-rank";
}

/**
 * Overall survival by group: Kaplan–Meier per group (survfit with the page's CI type), S(horizon) ± SE
 * (summary(fit, times = horizon, extend = TRUE)), median (quantile(fit, 0.5)), and the k-sample test
 * (survdiff(..., rho); with `trend`, (Σ s(O − E))² / sᵀVs with s = 1…k in display order) — chi-square,
 * df, upper-tail p. Plain messages for no patients, one group, no deaths.
 */
export function compareSurvival(table: CohortTable, mask: Uint8Array, grouping: Grouping, options: SurvivalComparisonOptions): SurvivalComparison {
  return survivalByGroup(mask, grouping, options, true);
}

/** compareSurvival; `allowPrepare` false: use a prepared grouping only if one is cached (see univariateTable). */
function survivalByGroup(mask: Uint8Array, grouping: Grouping, options: SurvivalComparisonOptions, allowPrepare: boolean): SurvivalComparison {
  const {horizon, rho = 0, trend = false, confType = "log-log", curves: withCurves = true} = options;
  const empty = (message: string, missingGroup = 0): SurvivalComparison => ({message, n: 0, deaths: 0, missingGroup, groups: [], curves: [], test: null, trend: null, testMessage: null});
  const gr = groupedRows(grouping.table, "os", grouping.column, mask, allowPrepare);
  if ("message" in gr) return empty(gr.message);
  const {n, missing} = gr;
  if (n === 0) return empty(gr.selected ? `None of the selected patients has a known ${grouping.label.toLowerCase()}` : "No patients match these filters", missing);
  let fit: KaplanMeierFit;
  try {
    fit = gr.kaplanMeier({confType});
  } catch (e) {
    return empty(errorText(e), missing);
  }
  const strata = inDisplayOrder(fit.strata, (s) => s.level, grouping.levels);
  const at = summaryAt(fit, [horizon]);
  const med = survivalQuantile(fit, [0.5]);
  const deaths = strata.reduce((s, x) => s + x.events, 0);
  const groups: SurvivalGroup[] = strata.map((s) => {
    const a = at.strata.find((x) => x.level === s.level)!.at[0];
    const q = med.strata.find((x) => x.level === s.level)!;
    return {
      level: s.level ?? "",
      n: s.n,
      deaths: s.events,
      observed: null,
      expected: null,
      surv: finite(a.surv),
      se: finite(a.stdErr),
      lower: finite(a.lower),
      upper: finite(a.upper),
      median: q.quantile[0],
      medianLower: q.lower[0],
      medianUpper: q.upper[0]
    };
  });
  const curves = withCurves ? inDisplayOrder(survivalCurves(fit), (c) => c.label, grouping.levels) : [];
  const result: SurvivalComparison = {message: null, n: fit.n, deaths, missingGroup: missing, groups, curves, test: null, trend: null, testMessage: null};
  if (strata.length < 2) {
    result.testMessage = `${testName(rho)} needs at least 2 groups; this selection has ${strata.length === 1 ? `only “${strata[0].level}”` : "none"}`;
    return result;
  }
  if (deaths === 0) {
    result.testMessage = "No deaths in this selection: there is nothing to compare";
    return result;
  }
  try {
    // Trend scores 1…k follow the display order; the engine orders its groups by sorted level.
    const engineLevels = fit.strata.map((s) => s.level ?? "");
    const displayRank = (l: string) => strata.findIndex((s) => s.level === l) + 1;
    const lr = gr.logRank({rho, ...(trend ? {scores: engineLevels.map(displayRank)} : {})});
    for (const g of groups) {
      const x = lr.groups.find((y) => y.level === g.level);
      if (x) (g.observed = x.observed), (g.expected = x.expected);
    }
    result.test = {test: testName(rho), chisq: finite(lr.chisq), df: lr.df, p: finite(lr.p), note: lr.note};
    if (trend && lr.trend)
      result.trend = {
        test: `${testName(rho)} test for trend`,
        chisq: finite(lr.trend.chisq),
        df: 1,
        p: finite(lr.trend.p),
        note: strata.length < 3 ? "with two groups the test for trend is the same as the two-group test" : null
      };
  } catch (e) {
    result.testMessage = errorText(e);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Relapse and non-relapse mortality by group

/** One cause's cumulative incidence by group. */
export interface IncidenceComparison {
  cause: number;
  /** "Relapse", "Non-relapse mortality". */
  label: string;
  /** Events of this cause among the patients analysed. */
  events: number;
  curves: IncidenceCurve[];
  /** Cumulative incidence at the horizon per group (cmprsk's estimate and SE = √variance); null beyond follow-up. */
  atHorizon: {level: string; n: number; events: number; estimate: number | null; se: number | null}[];
  test: TestResult | null;
  testMessage: string | null;
}

export interface CompetingComparison {
  message: string | null;
  n: number;
  missingGroup: number;
  causes: IncidenceComparison[];
}

/**
 * Relapse (cause 1) and non-relapse mortality (cause 2) by group, the other first events competing
 * (cmprsk::cuminc(event_days, event, group)): curves with the all-cause number at risk, estimates at the
 * horizon, and Gray's test per cause (cuminc's $Tests: statistic, df, upper-tail p).
 */
export function compareIncidence(table: CohortTable, mask: Uint8Array, grouping: Grouping, options: IncidenceOptions): CompetingComparison {
  return incidenceByGroup(mask, grouping, options, true);
}

export interface IncidenceOptions {
  horizon: number;
  causes?: readonly number[];
  /** False: leave each cause's `curves` empty. Default true. */
  curves?: boolean;
}

/** compareIncidence; `allowPrepare` as survivalByGroup. */
function incidenceByGroup(mask: Uint8Array, grouping: Grouping, {horizon, causes = [EVENT_CODES.relapse, EVENT_CODES.nrm], curves: withCurves = true}: IncidenceOptions, allowPrepare: boolean): CompetingComparison {
  const gr = groupedRows(grouping.table, "events", grouping.column, mask, allowPrepare);
  if ("message" in gr) return {message: gr.message, n: 0, missingGroup: 0, causes: []};
  const {n, missing} = gr;
  if (n === 0) return {message: gr.selected ? `None of the selected patients has a known ${grouping.label.toLowerCase()}` : "No patients match these filters", n: 0, missingGroup: missing, causes: []};
  try {
    const ci = gr.cumulativeIncidence({causes, times: [horizon]});
    const anyEvent = gr.kaplanMeier();
    const levels = inDisplayOrder(anyEvent.strata, (s) => s.level, grouping.levels).map((s) => s.level ?? "");
    let gray: ReturnType<typeof grayTest> | null = null;
    let grayError: string | null = null;
    if (levels.length >= 2) {
      try {
        gray = gr.grayTest({causes});
      } catch (e) {
        grayError = errorText(e);
      }
    }
    const out: IncidenceComparison[] = causes.map((cause) => {
      const label = CAUSE_LABELS[cause] ?? `Cause ${cause}`;
      const own = ci.curves.filter((c) => c.cause === cause);
      const events = own.reduce((s, c) => s + c.events, 0);
      // One cause per figure: the legend names the group only.
      const curves = withCurves ? inDisplayOrder(incidenceCurves(ci, CAUSE_LABELS, {causes: [cause], anyEvent}), (c) => c.group ?? null, levels).map((c) => ({...c, label: c.group ?? c.label})) : [];
      const atHorizon = inDisplayOrder(own, (c) => c.level, levels).map((c) => ({
        level: c.level ?? "",
        n: c.n,
        events: c.events,
        estimate: c.at[0].cif,
        se: c.at[0].variance === null ? null : Math.sqrt(c.at[0].variance)
      }));
      let test: TestResult | null = null;
      let testMessage: string | null = null;
      if (levels.length < 2) testMessage = `Gray's test needs at least 2 groups; this selection has ${levels.length === 1 ? `only “${levels[0]}”` : "none"}`;
      else if (events === 0) testMessage = `No ${label.toLowerCase()} events in this selection: there is nothing to compare`;
      else if (grayError) testMessage = grayError;
      else {
        const t = gray!.tests.find((x) => x.cause === cause)!;
        test = {test: "Gray's test", chisq: t.stat, df: t.df, p: t.p, note: t.reason};
      }
      return {cause, label, events, curves, atHorizon, test, testMessage};
    });
    return {message: null, n: anyEvent.n, missingGroup: missing, causes: out};
  } catch (e) {
    return {message: errorText(e), n: 0, missingGroup: missing, causes: []};
  }
}

// ---------------------------------------------------------------------------------------------
// The univariate table

/** One line of the univariate table: a level of a factor. */
export interface UnivariateRow {
  factor: string;
  factorLabel: string;
  level: string;
  /** True on the first level of each factor (where the factor's tests are shown). */
  first: boolean;
  n: number;
  deaths: number;
  /** OS at the horizon ± SE (probability scale); null when undefined. */
  os: number | null;
  osSE: number | null;
  /** Median OS in days; null when not reached. */
  median: number | null;
  /** Factor-level tests (the same on every row of the factor): log-rank p for OS, Gray's p for relapse and NRM. */
  logRankP: number | null;
  relapseP: number | null;
  nrmP: number | null;
}

export interface UnivariateFactor {
  factor: string;
  label: string;
  os: SurvivalComparison;
  incidence: CompetingComparison;
  logRank: TestResult | null;
  relapse: TestResult | null;
  nrm: TestResult | null;
  /** Why a test is missing for this factor (one group, no events), else null. */
  note: string | null;
}

/**
 * The paper's univariate table for every factor: per level n, deaths, OS at the horizon ± SE, median OS;
 * per factor the log-rank p (OS) and Gray's p for relapse and NRM. Each factor uses the selected patients
 * with a known value of that factor. With `curves: false` the factors' `os.curves` and each cause's
 * `curves` are empty (a caller that draws none: src/study/fits.ts), everything else the same.
 */
export function univariateTable(
  table: CohortTable,
  mask: Uint8Array,
  factors: readonly Factor[],
  {horizon, curves = true}: {horizon: number; curves?: boolean}
): {rows: UnivariateRow[]; factors: UnivariateFactor[]} {
  const rows: UnivariateRow[] = [];
  const out: UnivariateFactor[] = [];
  // Prepare every factor's groupings (two endpoints each) only when they all fit in the budget together:
  // otherwise each change would drop and re-prepare them in turn.
  const allowPrepare = 2 * factors.length * table.numRows <= PREPARED_ROW_BUDGET;
  for (const f of factors) {
    const grouping: Grouping = {table, column: f.column, label: f.label, levels: f.levels, key: f.column, cut: null, notes: []};
    const os = survivalByGroup(mask, grouping, {horizon, curves}, allowPrepare);
    const incidence = incidenceByGroup(mask, grouping, {horizon, curves}, allowPrepare);
    const relapse = incidence.causes.find((c) => c.cause === EVENT_CODES.relapse) ?? null;
    const nrm = incidence.causes.find((c) => c.cause === EVENT_CODES.nrm) ?? null;
    const note = os.message ?? os.testMessage ?? null;
    out.push({factor: f.column, label: f.label, os, incidence, logRank: os.test, relapse: relapse?.test ?? null, nrm: nrm?.test ?? null, note});
    os.groups.forEach((g, i) =>
      rows.push({
        factor: f.column,
        factorLabel: f.label,
        level: g.level,
        first: i === 0,
        n: g.n,
        deaths: g.deaths,
        os: g.surv,
        osSE: g.se,
        median: g.median,
        logRankP: os.test?.p ?? null,
        relapseP: relapse?.test?.p ?? null,
        nrmP: nrm?.test?.p ?? null
      })
    );
  }
  return {rows, factors: out};
}

// ---------------------------------------------------------------------------------------------
// The subgroup forest plot

/** The comparison of the forest plot: `level` versus `reference` of a factor (rows with other levels are left out). */
export interface ForestComparison {
  column: string;
  level: string;
  reference: string;
}

/** Endpoints of the forest plot: overall survival, or the cause-specific hazard of relapse. */
export type ForestEndpoint = "os" | "relapse";

export const FOREST_ENDPOINTS: Record<ForestEndpoint, {label: string; eventName: string}> = {
  os: {label: "Overall survival", eventName: "deaths"},
  relapse: {label: "Relapse (cause-specific hazard)", eventName: "relapses"}
};

/** A hazard ratio of the comparison within one set of patients. */
export interface SubgroupEstimate {
  label: string;
  n: number;
  events: number;
  hr: number | null;
  lower: number | null;
  upper: number | null;
  /** Wald p of the hazard ratio. */
  p: number | null;
  /** False (shown as "not estimable"): no events, one arm only, or a diverging or non-converged fit. */
  estimable: boolean;
  /** R's "coefficient may be infinite" warning for this fit. */
  possiblyInfinite: boolean;
  /** Why it is not estimable; null otherwise. */
  note: string | null;
}

/** The likelihood-ratio test of comparison × subgroup factor. */
export interface InteractionTest {
  factor: string;
  label: string;
  chisq: number | null;
  df: number | null;
  p: number | null;
  note: string | null;
}

export interface SubgroupForest {
  message: string | null;
  /** "Late (≥ 180 days) vs Early (< 180 days)". */
  comparisonLabel: string;
  endpoint: ForestEndpoint;
  overall: SubgroupEstimate | null;
  subgroups: {factor: string; label: string; levels: SubgroupEstimate[]; interaction: InteractionTest}[];
  /** Rows for the forestPlot component. */
  rows: ForestRow[];
}

/** A design matrix from plain columns (no missing values: rows are complete by construction). */
function design(n: number, terms: string[], columns: Float64Array[]): DesignMatrix {
  return {
    n,
    terms,
    columns,
    missing: new Uint8Array(n),
    assign: terms.map((_, j) => j),
    covariates: terms.map((name, j) => ({name, type: "numeric" as const, levels: null, reference: null, terms: [j]}))
  };
}

/**
 * Cox model of the comparison indicator on the given rows (increasing indices into the engine rows of
 * `set` and into x): coxPH on those rows' time and event (coxPHRows: validated and sorted once per forest).
 */
function subgroupCox(label: string, set: CoxRowSet, x: Uint8Array, rows: Int32Array, cause: number | undefined): SubgroupEstimate {
  const n = rows.length;
  const event = set.data.event;
  const c = new Float64Array(n);
  let events = 0;
  let arms = 0;
  for (let k = 0; k < n; ++k) {
    const i = rows[k];
    c[k] = x[i];
    if (cause === undefined ? event[i] > 0 : event[i] === cause) ++events;
    arms |= x[i] ? 2 : 1;
  }
  const base = {label, n, events, hr: null, lower: null, upper: null, p: null, estimable: false, possiblyInfinite: false};
  if (n === 0) return {...base, note: "no patients"};
  if (arms !== 3) return {...base, note: "only one of the two compared groups"};
  if (events === 0) return {...base, note: "no events"};
  try {
    // The forest reads coefficients only: no concordance.
    const fit = coxPHRows(set, rows, design(n, ["x"], [c]), cause === undefined ? {concordance: false} : {cause, concordance: false});
    const term = fit.terms[0];
    if (term.coef === null) return {...base, note: "not estimable (aliased)"};
    if (term.possiblyInfinite) return {...base, hr: term.hr, lower: term.lower, upper: term.upper, p: term.p, possiblyInfinite: true, note: "not estimable: the likelihood has no finite maximum (events in one group only)"};
    // R: "Ran out of iterations and did not converge" — here the monotone-likelihood case (a single
    // event, or events in one group only): the coefficient runs off towards ±∞.
    if (!fit.converged) return {...base, hr: term.hr, lower: term.lower, upper: term.upper, p: term.p, note: "not estimable: the fit did not converge (the likelihood has no finite maximum)"};
    return {label, n, events, hr: term.hr, lower: term.lower, upper: term.upper, p: term.p, estimable: true, possiblyInfinite: false, note: null};
  } catch (e) {
    return {...base, note: errorText(e)};
  }
}

/**
 * The subgroup forest plot: the hazard ratio of `comparison.level` versus `comparison.reference`
 * (Cox, Efron ties — coxph(Surv(time, status) ~ x)) among all selected patients and within each level
 * of every other factor, and for each factor the likelihood-ratio test of the interaction: models
 * x + subgroup indicators and x + indicators + x × indicators (products of the design columns) fitted to
 * the same rows (selected, in the two compared groups, with a known subgroup value); LR = 2(ℓ₁ − ℓ₀) on
 * the number of extra non-aliased coefficients, upper-tail p (R: anova of the two coxph fits).
 * For endpoint "relapse" the events are relapses and other first events are censored (cause-specific
 * hazard). Hazard ratios on the ratio scale with 95% Wald limits.
 */
export function subgroupForest(table: CohortTable, mask: Uint8Array, factors: readonly Factor[], comparison: ForestComparison, {endpoint = "os"}: {endpoint?: ForestEndpoint} = {}): SubgroupForest {
  const comparisonLabel = `${comparison.level} vs ${comparison.reference}`;
  const none = (message: string): SubgroupForest => ({message, comparisonLabel, endpoint, overall: null, subgroups: [], rows: []});
  if (comparison.level === comparison.reference) return none("Choose two different groups to compare");
  if (!table.has(comparison.column)) return none(`No column “${comparison.column.slice(0, 40)}” in this cohort`);
  // Rows selected and in one of the two compared groups.
  // Codes of the comparison column (String of each value, computed once per column): the two arms' codes.
  const armCodes = labelCodes(table.column(comparison.column));
  const levelCode = armCodes.index.get(comparison.level) ?? -2;
  const referenceCode = armCodes.index.get(comparison.reference) ?? -2;
  const inArms = new Uint8Array(table.numRows);
  for (let i = 0; i < table.numRows; ++i) {
    if (!mask[i]) continue;
    const c = armCodes.code[i];
    if (c >= 0 && (c === levelCode || c === referenceCode)) inArms[i] = 1;
  }
  // A text column's labels are its values (labelsAt), so its codes tell the arms apart without the label
  // strings; other columns compare endpointInput's group labels with the level, as before.
  const byCode = table.column(comparison.column).type === "string";
  const ei = endpointInput(table, endpoint === "os" ? "os" : "events", inArms, byCode ? {} : {groupBy: comparison.column});
  if (!ei.ok) return none(inputMessage(ei));
  const m = ei.rows.length;
  if (m === 0) return none("No patients match these filters in the two compared groups");
  const x = new Uint8Array(m);
  if (byCode) for (let i = 0; i < m; ++i) x[i] = armCodes.code[ei.rows[i]] === levelCode ? 1 : 0;
  else {
    const g = ei.data.group!;
    for (let i = 0; i < m; ++i) x[i] = g[i] === comparison.level ? 1 : 0;
  }
  const {time, event} = ei.data;
  const cause = endpoint === "relapse" ? EVENT_CODES.relapse : undefined;
  const all = new Int32Array(m);
  for (let i = 0; i < m; ++i) all[i] = i;
  // The engine rows validated and put in time order once for the forest's ~50 Cox fits on subsets of them.
  const set = coxRowSet({time, event});
  const overall = subgroupCox("All selected patients", set, x, all, cause);

  const subgroups: SubgroupForest["subgroups"] = [];
  for (const f of factors) {
    if (f.column === comparison.column) continue;
    // The factor's labels on the engine rows as codes (String of each value; −1 where missing).
    const lc = labelCodes(table.column(f.column));
    const code = new Int32Array(m);
    const count = new Int32Array(lc.labels.length);
    for (let i = 0; i < m; ++i) {
      const c = (code[i] = lc.code[ei.rows[i]]);
      if (c >= 0) ++count[c];
    }
    const codeOf = (l: string) => lc.index.get(l) ?? -2;
    const present = f.levels.filter((l) => {
      const c = codeOf(l);
      return c >= 0 && count[c] > 0;
    });
    // Each present level's rows, in one pass (per code: its rows, or none for a label that is not a present level).
    const rowsOf: (Int32Array | null)[] = lc.labels.map(() => null);
    for (const l of present) rowsOf[codeOf(l)] = new Int32Array(count[codeOf(l)]);
    const filled = new Int32Array(lc.labels.length);
    for (let i = 0; i < m; ++i) {
      const c = code[i];
      if (c < 0) continue;
      const r = rowsOf[c];
      if (r) r[filled[c]++] = i;
    }
    const levels = present.map((l) => subgroupCox(l, set, x, rowsOf[codeOf(l)]!, cause));
    // Per code: its index among the present levels (−1 for a label that is not one of them).
    const presentIndex = lc.labels.map((l) => present.indexOf(l));
    subgroups.push({factor: f.column, label: f.label, levels, interaction: interactionTest(f, code, presentIndex, present, set, x, cause)});
  }

  const eventName = FOREST_ENDPOINTS[endpoint].eventName;
  const row = (s: SubgroupEstimate, indent: number): ForestRow => ({
    label: s.label,
    estimate: s.estimable ? s.hr : null,
    lower: s.estimable ? s.lower : null,
    upper: s.estimable ? s.upper : null,
    p: s.estimable ? s.p : null,
    events: s.events,
    n: s.n,
    possiblyInfinite: s.possiblyInfinite,
    indent
  });
  const rows: ForestRow[] = [row(overall, 0)];
  for (const sg of subgroups) {
    rows.push({label: sg.label, heading: true, interactionP: sg.interaction.p});
    for (const l of sg.levels) rows.push(row(l, 1));
  }
  const message = overall.events === 0 ? `No ${eventName} among the selected patients in the two compared groups` : null;
  return {message, comparisonLabel, endpoint, overall, subgroups, rows};
}

/**
 * The interaction test of one factor: `code` per engine row (−1 where the factor is missing),
 * `presentIndex` per code its index in `present` (−1 for a label that is not a present level: such rows
 * count with the reference level, as do the reference level's own).
 */
function interactionTest(
  f: Factor,
  code: Int32Array,
  presentIndex: readonly number[],
  present: readonly string[],
  set: CoxRowSet,
  x: Uint8Array,
  cause: number | undefined
): InteractionTest {
  const base = {factor: f.column, label: f.label, chisq: null, df: null, p: null};
  if (present.length < 2) return {...base, note: present.length ? `only “${present[0]}” in this selection` : "no patients"};
  let n = 0;
  for (let i = 0; i < code.length; ++i) if (code[i] >= 0) ++n;
  const rows = new Int32Array(n);
  for (let i = 0, r = 0; i < code.length; ++i) if (code[i] >= 0) rows[r++] = i;
  const event = set.data.event;
  const xc = new Float64Array(n);
  const k = present.length - 1;
  const s = Array.from({length: k}, () => new Float64Array(n));
  const sx = Array.from({length: k}, () => new Float64Array(n));
  let events = 0;
  for (let r = 0; r < n; ++r) {
    const i = rows[r];
    xc[r] = x[i];
    if (cause === undefined ? event[i] > 0 : event[i] === cause) ++events;
    const j = presentIndex[code[i]] - 1; // the first present level is the reference
    if (j >= 0) {
      s[j][r] = 1;
      sx[j][r] = x[i];
    }
  }
  if (events === 0) return {...base, note: "no events"};
  try {
    // The forest reads coefficients and likelihoods only: no concordance.
    const opts = cause === undefined ? {concordance: false as const} : {cause, concordance: false as const};
    const names = present.slice(1).map((l) => `${f.column}=${l}`);
    const main = coxPHRows(set, rows, design(n, ["x", ...names], [xc, ...s]), opts);
    const full = coxPHRows(set, rows, design(n, ["x", ...names, ...names.map((nm) => `x:${nm}`)], [xc, ...s, ...sx]), opts);
    const count = (fit: typeof main) => fit.terms.filter((term) => term.coef !== null).length;
    const df = count(full) - count(main);
    const l0 = main.loglik[1];
    const l1 = full.loglik[1];
    if (df < 1 || l0 === null || l1 === null) return {...base, note: "the interaction terms are not estimable in this selection"};
    // A difference of nested maximised log-likelihoods is ≥ 0; clamp rounding below 0.
    const chisq = Math.max(0, 2 * (l1 - l0));
    const diverging = full.terms.some((term) => term.possiblyInfinite) || main.terms.some((term) => term.possiblyInfinite);
    return {...base, chisq, df, p: chiSquaredUpper(chisq, df), note: diverging ? "a coefficient may be infinite (no events in some subgroup × group cell); the test is approximate" : null};
  } catch (err) {
    return {...base, note: errorText(err)};
  }
}

// ---------------------------------------------------------------------------------------------
// Ledger entries

/** Context shared by the ledger entries of one view. */
export interface LedgerContext {
  filters: readonly Filter[];
  /** describeSelection(...) of the view. */
  selection: string;
}

/** The comparisons of the selected grouping (OS test, trend, Gray per cause) as ledger entries. */
export function groupLedger(ctx: LedgerContext, grouping: Pick<Grouping, "key" | "label">, os: SurvivalComparison, incidence: CompetingComparison): LedgerComparison[] {
  const out: LedgerComparison[] = [];
  const add = (endpoint: string, t: TestResult | null) => {
    if (t && t.p !== null) out.push({filters: ctx.filters, groupingKey: grouping.key, grouping: grouping.label, selection: ctx.selection, endpoint, test: t.test, p: t.p});
  };
  add("Overall survival", os.test);
  add("Overall survival", os.trend);
  for (const c of incidence.causes) add(c.label, c.test);
  return out;
}

/** The univariate table's tests as ledger entries (the same identity as selecting each factor above). */
export function univariateLedger(ctx: LedgerContext, factors: readonly UnivariateFactor[]): LedgerComparison[] {
  return factors.flatMap((f) => groupLedger(ctx, {key: f.factor, label: f.label}, f.os, f.incidence));
}

/** The forest plot's interaction tests as ledger entries. */
export function forestLedger(ctx: LedgerContext, comparison: ForestComparison, forest: SubgroupForest): LedgerComparison[] {
  return forest.subgroups
    .filter((s) => s.interaction.p !== null)
    .map((s) => ({
      filters: ctx.filters,
      groupingKey: `${comparison.column}[${comparison.level}|${comparison.reference}]×${s.factor}`,
      grouping: `${forest.comparisonLabel} × ${s.label}`,
      selection: ctx.selection,
      endpoint: FOREST_ENDPOINTS[forest.endpoint].label,
      test: "Interaction (likelihood ratio)",
      p: s.interaction.p
    }));
}

// ---------------------------------------------------------------------------------------------
// R code for the view

/**
 * An R script reproducing the grouping comparison on the page: the shared `rSnippet` (read.csv, derived
 * variables, filters, survfit + summary at the horizon, survdiff) and cuminc of the first events after the
 * second SCT with Gray's test per cause; for a cut
 * grouping, the `cut()` that makes the groups (R's `cut(x, c(-Inf, points, Inf), right = closed == "le")`,
 * levels in display order), and the Peto–Peto test (`survdiff(rho = 1)`) and the test for trend
 * ((Σ s(O − E))² / sᵀVs, s = 1…k in display order) when the page shows them. `mapping`: a mapped upload
 * (rMapping), whose study columns the script builds first.
 */
export function subgroupRCode(spec: {fileName: string; filters: readonly Filter[]; grouping: Grouping; horizon: number; rho: 0 | 1; trend: boolean; mapping?: RMapping | null}): string {
  const {grouping, rho, trend} = spec;
  const script = rSnippet({fileName: spec.fileName, filters: spec.filters, endpoint: "os", groupBy: grouping.column, horizon: spec.horizon, confType: "log-log", analyses: ["km", "logrank"], mapping: spec.mapping});
  const lines = script.split("\n");
  const col = `d[[${rString(grouping.column)}]]`;
  const lib = lines.indexOf("library(survival)");
  if (!lines.includes("library(cmprsk)")) lines.splice(lib >= 0 ? lib + 1 : 0, 0, "library(cmprsk)");
  if (grouping.cut) {
    const source = grouping.key.split("|")[0];
    const breaks = ["-Inf", ...grouping.cut.points.map(rNumber), "Inf"].join(", ");
    const cutLine = `${col} <- as.character(cut(d[[${rString(source)}]], c(${breaks}), right = ${grouping.cut.closed === "le" ? "TRUE" : "FALSE"}, labels = c(${grouping.levels.map(rString).join(", ")})))`;
    // The groups must exist before the filters subset the data and before the models use them.
    const at = lines.findIndex((l) => l.startsWith("# The filters of the view") || l.startsWith('cat("Patients selected:"'));
    const insert = ["# The groups: " + grouping.label + " (as the notebook cuts it)", cutLine, ""];
    if (at >= 0) lines.splice(at, 0, ...insert);
    else lines.push("", ...insert);
  }
  const g = rName(grouping.column) === grouping.column ? grouping.column : ".group";
  const surv = "Surv(os_days, os_status != 0)";
  const extra: string[] = [
    "",
    "# Relapse (cause 1) and non-relapse mortality (cause 2) after the second SCT, the other first events",
    "# competing (3 = refractory); 0 = censored. Gray's test per cause.",
    `ci <- cuminc(d[["event_days"]], d[["event"]], group = ${col}, cencode = 0)`,
    "print(timepoints(ci, times = horizon))",
    "print(ci$Tests)"
  ];
  if (rho === 1) extra.push("", "# Peto-Peto test (weights S(t-)^1, survdiff's rho = 1)", `pp <- survdiff(${surv} ~ ${g}, data = d, rho = 1)`, "print(pp)");
  if (trend) {
    extra.push(
      "",
      "# Test for trend across the groups in the notebook's order (scores 1, 2, ...)",
      `lev <- c(${grouping.levels.map(rString).join(", ")})`,
      `d$.ordered <- factor(${col}, levels = lev[lev %in% ${col}])`,
      `tr <- survdiff(${surv} ~ .ordered, data = d, rho = ${rho})`,
      "s <- seq_along(tr$obs)",
      "chisq <- sum(s * (tr$obs - tr$exp))^2 / drop(t(s) %*% tr$var %*% s)",
      'cat("Trend: chisq =", chisq, "on 1 df, p =", pchisq(chisq, 1, lower.tail = FALSE), "\\n")'
    );
  }
  return [...lines, ...extra].join("\n");
}
