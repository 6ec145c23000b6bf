// The Model page's analyses: a multivariable Cox model of overall survival on covariates the reader
// chooses (the paper's four by default), its proportional-hazards check, and, on the same covariates,
// relapse as a competing risk modelled two ways — Fine–Gray subdistribution hazards and cause-specific
// Cox — side by side. The engine estimates; this module chooses the rows, codes the covariates, catches
// the engine's input errors and shapes the results for the table and forest components. Pure, no DOM.
import type {ForestRow} from "../components/forestPlot.js";
import type {Filter} from "../cohort/filters.js";
import {isNA, type CohortTable} from "../cohort/table.js";
import {
  coxPH,
  coxZph,
  designMatrix,
  fineGray,
  SurvivalInputError,
  type CovariateSpec,
  type CoxFit,
  type DesignMatrix,
  type FineGrayResult,
  type SurvivalData
} from "../survival/index.js";
import type {Factor} from "./cohort.js";
import {endpointInput, type EndpointInput, type EndpointName} from "./endpoints.js";
import {DAYS_PER_MONTH} from "./kato2012.js";
import {labelCodes} from "./labelCodes.js";
import {rSnippet, type RCovariate, type RMapping} from "./rSnippet.js";

/** A covariate the reader can put in the model. */
export interface ModelVariable {
  /** Column of the prepared cohort table. */
  column: string;
  label: string;
  kind: "factor" | "numeric";
  /** Factor: levels in display order; the first present one is the reference. */
  levels: string[] | null;
  /** Numeric: the unit one hazard ratio refers to ("per year"); the values are divided by `divisor`. */
  unit: string | null;
  divisor: number;
}

/** The paper's multivariable model: age group, relapse timing, status at the second SCT, conditioning. */
export const DEFAULT_COVARIATES = ["age_group", "relapse_timing", "status_sct2", "conditioning"] as const;

/** Factors that are not baseline covariates (recorded after time zero) and so never enter these models. */
export const POST_BASELINE_FACTORS = ["agvhd_any"] as const;

const NUMERIC_DEFS: {column: string; label: string; unit: string; divisor: number}[] = [
  {column: "age", label: "Age at second SCT", unit: "per year", divisor: 1},
  {column: "interval_days", label: "First SCT → relapse", unit: "per month", divisor: DAYS_PER_MONTH},
  {column: "relapse_to_sct2_days", label: "Relapse → second SCT", unit: "per month", divisor: DAYS_PER_MONTH},
  {column: "year_sct2", label: "Year of second SCT", unit: "per year", divisor: 1}
];

/**
 * The covariates offered by the Model page: the study's factors (less post-baseline ones such as acute
 * GVHD, which need a time-dependent model: see the Acute GVHD page) and the numeric baseline variables
 * present in the table.
 */
export function modelVariables(table: CohortTable, factors: readonly Factor[]): ModelVariable[] {
  const out: ModelVariable[] = factors
    .filter((f) => !(POST_BASELINE_FACTORS as readonly string[]).includes(f.column))
    .map((f) => ({column: f.column, label: f.label, kind: "factor", levels: [...f.levels], unit: null, divisor: 1}));
  for (const d of NUMERIC_DEFS)
    if (table.has(d.column) && table.column(d.column).type === "number")
      out.push({column: d.column, label: d.label, kind: "numeric", levels: null, unit: d.unit, divisor: d.divisor});
  return out;
}

/**
 * The covariates to start from: those of the view (URL) that the page offers, in the page's order, or
 * the paper's four when the view names none (or none of them is offered).
 */
export function initialCovariates(variables: readonly ModelVariable[], fromView: readonly string[]): string[] {
  const offered = new Set(variables.map((v) => v.column));
  const chosen = variables.map((v) => v.column).filter((c) => fromView.includes(c));
  if (chosen.length) return chosen;
  return DEFAULT_COVARIATES.filter((c) => offered.has(c));
}

/** One row of a hazard-ratio table (one design column, or a factor's reference level). */
export interface RatioRow {
  /** Column of the covariate. */
  covariate: string;
  /** Covariate label. */
  label: string;
  /** The level this row compares with the reference ("> 9 years"), the unit of a numeric covariate, or null. */
  level: string | null;
  /** The reference level of a factor (null for numeric covariates). */
  reference: string | null;
  /** True on a factor's reference row (ratio 1 by definition, no test). */
  isReference: boolean;
  /** The engine's term name (`age_group=> 9 years`), null on reference rows. */
  term: string | null;
  coef: number | null;
  se: number | null;
  hr: number | null;
  lower: number | null;
  upper: number | null;
  p: number | null;
  /** Patients and events of this level among the rows used (factors), or all rows (numeric). */
  n: number;
  events: number;
  /**
   * False when the ratio should be shown as "not estimable": an aliased term, a coefficient that may be
   * infinite, or one whose confidence interval is undefined (the fit did not settle). Always false on
   * reference rows.
   */
  estimable: boolean;
  /** Plain-language warnings for this row ("coefficient may be infinite", "not estimable: aliased"). */
  notes: string[];
}

/** A variable the page asked for but could not use in this selection, and why. */
export interface LeftOut {
  covariate: string;
  label: string;
  reason: string;
}

export interface CoxModelSummary {
  ok: true;
  ties: "efron" | "breslow";
  /** Patients selected, used, and excluded (missing endpoint or covariate), by reason. */
  selected: number;
  n: number;
  events: number;
  excluded: {reason: string; count: number}[];
  rows: RatioRow[];
  leftOut: LeftOut[];
  tests: {name: string; stat: number; df: number; p: number}[];
  /** Harrell's concordance of the linear predictor (R's `fit$concordance`) and its standard error. */
  concordance: number | null;
  concordanceSE: number | null;
  converged: boolean;
  /** The engine's warnings, verbatim (R's wording), e.g. "Loglik converged before variable 2; coefficient may be infinite". */
  warnings: string[];
  /** Proportional-hazards check (cox.zph, KM transform, per covariate and global) with a plain reading. */
  zph: ZphSummary | null;
  /** Why the PH check is missing, when it is. */
  zphMessage: string | null;
}

export interface ZphSummary {
  terms: {covariate: string; label: string; chisq: number; df: number; p: number; reading: string}[];
  global: {chisq: number; df: number; p: number; reading: string};
}

/** A model that could not be fitted: the reason in plain words (never a NaN table). */
export interface NotFitted {
  ok: false;
  message: string;
  detail: string | null;
  leftOut: LeftOut[];
}

/** A factor's levels on the engine rows as codes (−1 where missing), for the level counts. */
interface LevelCodes {
  /** Per engine row: index of its label in the column's labels (see labelCodes), −1 where missing. */
  code: Int32Array;
  /** Label → code. */
  index: ReadonlyMap<string, number>;
  /** Number of codes (the column's distinct labels). */
  size: number;
}

interface Coded {
  design: DesignMatrix;
  used: ModelVariable[];
  leftOut: LeftOut[];
  /** Per factor covariate in the design, its level codes on the engine rows — for level counts. */
  levelCodes: Map<string, LevelCodes>;
}

/**
 * Covariate values for the engine rows: factor labels (null when missing; the label of each row is
 * `String(value)`, from the column's codes computed once) or numbers (NaN when missing) ÷ divisor.
 */
function covariateValues(table: CohortTable, v: ModelVariable, rows: Int32Array): (string | null)[] | Float64Array {
  const c = table.column(v.column);
  if (v.kind === "numeric") {
    const out = new Float64Array(rows.length);
    for (let j = 0; j < rows.length; ++j) out[j] = isNA(c, rows[j]) ? NaN : (c.values[rows[j]] as number) / v.divisor;
    return out;
  }
  const {labels, code} = labelCodes(c);
  const out = new Array<string | null>(rows.length);
  for (let j = 0; j < rows.length; ++j) {
    const k = code[rows[j]];
    out[j] = k < 0 ? null : labels[k];
  }
  return out;
}

/**
 * Code the chosen covariates for the engine rows. A factor with fewer than two levels among the rows
 * where every chosen covariate is present (e.g. after filtering on it) is left out, and so is a numeric
 * covariate that is constant there; each is reported with the reason.
 */
function codeCovariates(table: CohortTable, variables: readonly ModelVariable[], rows: Int32Array): Coded {
  const m = rows.length;
  const values = variables.map((v) => covariateValues(table, v, rows));
  const complete = new Uint8Array(m).fill(1);
  values.forEach((vals) => {
    if (vals instanceof Float64Array) {
      for (let j = 0; j < m; ++j) if (Number.isNaN(vals[j])) complete[j] = 0;
    } else {
      for (let j = 0; j < m; ++j) if (vals[j] === null) complete[j] = 0;
    }
  });
  const leftOut: LeftOut[] = [];
  const used: ModelVariable[] = [];
  const specs: CovariateSpec[] = [];
  const levelCodes = new Map<string, LevelCodes>();
  variables.forEach((v, k) => {
    const vals = values[k];
    // The distinct values among the complete rows: how many (0, 1, or at least 2) and the first one.
    let distinct = 0;
    let first: string | number | undefined;
    let factor: {codes: LevelCodes; seen: Uint8Array} | null = null;
    if (v.kind === "factor") {
      const lc = labelCodes(table.column(v.column));
      const code = new Int32Array(m);
      for (let j = 0; j < m; ++j) code[j] = lc.code[rows[j]];
      const seen = new Uint8Array(lc.labels.length);
      for (let j = 0; j < m; ++j) {
        if (!complete[j] || seen[code[j]]) continue;
        seen[code[j]] = 1;
        if (distinct++ === 0) first = lc.labels[code[j]];
      }
      factor = {codes: {code, index: lc.index, size: lc.labels.length}, seen};
    } else {
      const x = vals as Float64Array;
      for (let j = 0; j < m; ++j) {
        if (!complete[j]) continue;
        if (distinct === 0) (first = x[j]), (distinct = 1);
        else if (x[j] !== first) {
          distinct = 2;
          break;
        }
      }
    }
    if (distinct < 2) {
      leftOut.push({
        covariate: v.column,
        label: v.label,
        reason: distinct === 1 ? (v.kind === "factor" ? `only one level (${first}) in this selection` : "the same value for every patient in this selection") : "no values in this selection"
      });
      return;
    }
    used.push(v);
    if (factor) {
      const {codes, seen} = factor;
      const reference = v.levels!.find((l) => {
        const c = codes.index.get(l);
        return c !== undefined && seen[c] === 1;
      });
      specs.push({name: v.column, values: vals, type: "categorical", reference});
      levelCodes.set(v.column, codes);
    } else {
      specs.push({name: v.column, values: vals, type: "numeric"});
    }
  });
  return {design: designMatrix(specs), used, leftOut, levelCodes};
}

function droppedReasons(dropped: {reasons: {field: string; count: number}[]}, endpointExcluded: {column: string; count: number}[]): {reason: string; count: number}[] {
  const out = endpointExcluded.filter((e) => e.count > 0).map((e) => ({reason: `missing ${e.column}`, count: e.count}));
  for (const r of dropped.reasons) if (r.count > 0) out.push({reason: r.field === "covariates" ? "a chosen covariate is missing" : `missing ${r.field}`, count: r.count});
  return out;
}

function selectedCount(mask: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < mask.length; ++i) n += mask[i];
  return n;
}

/** Why a model cannot be fitted here, or null: empty selection, no covariates, no events. */
function precheck(selected: number, chosen: readonly ModelVariable[], events: number, eventName: string): {message: string; detail: string | null} | null {
  if (selected === 0) return {message: "No patients match these filters", detail: "Clear a filter to fit the model."};
  if (!chosen.length) return {message: "Choose at least one covariate", detail: "Tick the variables to put in the model."};
  if (events === 0) return {message: `No ${eventName} in this selection`, detail: "A Cox model needs at least one event."};
  return null;
}

function errorMessage(e: unknown): {message: string; detail: string | null} {
  if (e instanceof SurvivalInputError) return {message: "The model could not be fitted on this selection", detail: e.message};
  throw e;
}

/**
 * What both models need before fitting: the endpoint on the selected rows, the checks that a fit is
 * possible (enough patients and events), and the chosen covariates coded (those constant in the
 * selection left out, with the reason). A reason instead when any step fails.
 */
function modelInput(
  table: CohortTable,
  mask: Uint8Array,
  variables: readonly ModelVariable[],
  covariates: readonly string[],
  {endpoint, label, cause, events}: {endpoint: EndpointName; label: string; cause: number | null; events: string}
): {ok: true; selected: number; ep: EndpointInput; coded: Coded} | NotFitted {
  const chosen = variables.filter((v) => covariates.includes(v.column));
  const selected = selectedCount(mask);
  const ep = endpointInput(table, endpoint, mask);
  if (!ep.ok) return {ok: false, message: `The ${label} endpoint could not be read`, detail: ep.problems[0]?.message ?? null, leftOut: []};
  let count = 0;
  const ev = ep.data.event;
  if (cause === null) {
    for (let j = 0; j < ev.length; ++j) if (ev[j] > 0) ++count;
  } else {
    for (let j = 0; j < ev.length; ++j) if (ev[j] === cause) ++count;
  }
  const pre = precheck(selected, chosen, count, events);
  if (pre) return {ok: false, ...pre, leftOut: []};
  let coded: Coded;
  try {
    coded = codeCovariates(table, chosen, ep.rows);
  } catch (e) {
    return {ok: false, ...errorMessage(e), leftOut: []};
  }
  if (!coded.used.length)
    return {ok: false, message: "None of the chosen covariates varies in this selection", detail: coded.leftOut.map((l) => `${l.label}: ${l.reason}`).join("; "), leftOut: coded.leftOut};
  return {ok: true, selected, ep, coded};
}


/** The rows of the ratio table for a fit: per covariate, its reference level (factors) then one row per term. */
function ratioRows(
  used: readonly ModelVariable[],
  design: DesignMatrix,
  terms: readonly {coef: number | null; se: number | null; hr: number | null; lower: number | null; upper: number | null; p: number | null; possiblyInfinite?: boolean}[],
  levelCodes: ReadonlyMap<string, LevelCodes>,
  status: ArrayLike<number>,
  rowsUsed: ArrayLike<number> | null
): RatioRow[] {
  // Counts per level over the rows the model used (rowsUsed: positions into the engine rows), one pass per factor.
  const m = rowsUsed ? rowsUsed.length : status.length;
  // The positions and their event flags as typed arrays, read once (the per-factor passes below then
  // read only Int32Array / Uint8Array).
  const pos = new Int32Array(m);
  const dead = new Uint8Array(m);
  let deaths = 0;
  for (let q = 0; q < m; ++q) {
    const j = rowsUsed ? rowsUsed[q] : q;
    pos[q] = j;
    if (status[j] > 0) (dead[q] = 1), ++deaths;
  }
  const out: RatioRow[] = [];
  used.forEach((v, k) => {
    const coded = design.covariates[k];
    const codes = levelCodes.get(v.column);
    let nBy: Float64Array | null = null;
    let eBy: Float64Array | null = null;
    if (codes) {
      nBy = new Float64Array(codes.size);
      eBy = new Float64Array(codes.size);
      const code = codes.code;
      for (let q = 0; q < m; ++q) {
        const c = code[pos[q]];
        if (c < 0) continue;
        ++nBy[c];
        eBy[c] += dead[q];
      }
    }
    const count = (level: string | null): {n: number; events: number} => {
      if (level !== null && codes) {
        const c = codes.index.get(level);
        return c === undefined ? {n: 0, events: 0} : {n: nBy![c], events: eBy![c]};
      }
      return {n: m, events: deaths};
    };
    if (coded.type === "categorical") {
      const reference = coded.reference!;
      out.push({covariate: v.column, label: v.label, level: reference, reference, isReference: true, term: null, coef: null, se: null, hr: null, lower: null, upper: null, p: null, ...count(reference), estimable: false, notes: []});
      // Display order of the page's factor definition, not the engine's sorted order.
      const order = v.levels!.filter((l) => l !== reference && coded.levels!.includes(l));
      for (const level of [...order, ...coded.levels!.filter((l) => l !== reference && !order.includes(l))]) {
        const t = coded.terms[coded.levels!.filter((l) => l !== reference).indexOf(level)];
        out.push(termRow(v, level, reference, design.terms[t], terms[t], count(level)));
      }
    } else {
      out.push(termRow(v, v.unit, null, design.terms[coded.terms[0]], terms[coded.terms[0]], count(null)));
    }
  });
  return out;
}

function termRow(
  v: ModelVariable,
  level: string | null,
  reference: string | null,
  term: string,
  t: {coef: number | null; se: number | null; hr: number | null; lower: number | null; upper: number | null; p: number | null; possiblyInfinite?: boolean},
  counts: {n: number; events: number}
): RatioRow {
  const notes: string[] = [];
  if (t.possiblyInfinite) notes.push("coefficient may be infinite (the likelihood kept improving as it grew: too few events in a group)");
  if (t.coef === null) notes.push("not estimable: the column is constant or a combination of the others in this selection");
  else if (!t.possiblyInfinite && (t.hr === null || t.lower === null || t.upper === null))
    notes.push("not estimable: its confidence interval cannot be computed (the fit did not settle; too few events)");
  const estimable = t.coef !== null && !t.possiblyInfinite && t.hr !== null && t.lower !== null && t.upper !== null;
  return {covariate: v.column, label: v.label, level, reference, isReference: false, term, coef: t.coef, se: t.se, hr: t.hr, lower: t.lower, upper: t.upper, p: t.p, ...counts, estimable, notes};
}

function zphReading(label: string, p: number): string {
  if (p < 0.05)
    return `${label}: evidence that its hazard ratio changes over follow-up (P = ${p < 0.001 ? "< 0.001" : p.toFixed(3)}); the hazard ratio shown is an average over time.`;
  return `${label}: no evidence against proportional hazards (P = ${p.toFixed(2)}); with few events the check has little power, so this is not proof that they hold.`;
}

/**
 * Multivariable Cox model of overall survival (os_days, os_status) on the rows where `mask` is 1, as
 * R's `coxph(Surv(os_days, os_status) ~ <covariates>, ties = ties)` with treatment contrasts (the first
 * level of each factor, in the page's order, as reference; numeric covariates divided by their unit),
 * followed by `cox.zph(fit, transform = "km", terms = TRUE)`.
 *
 * Returns hazard ratios (exp(coef), per level vs the reference or per unit), Wald 95% CIs and two-sided
 * p-values; the likelihood-ratio, Wald and score tests (chi-squared, df, upper-tail p); Harrell's
 * concordance; patients used, deaths and the rows excluded by reason. Selections that cannot be
 * modelled (no patients, no covariates, no deaths, an engine input error) give `{ok: false, message}`.
 */
export function coxModel(
  table: CohortTable,
  mask: Uint8Array,
  variables: readonly ModelVariable[],
  covariates: readonly string[],
  {ties = "efron"}: {ties?: "efron" | "breslow"} = {}
): CoxModelSummary | NotFitted {
  const prepared = modelInput(table, mask, variables, covariates, {endpoint: "os", label: "survival", cause: null, events: "deaths"});
  if (!prepared.ok) return prepared;
  const {selected, ep, coded} = prepared;
  let fit: CoxFit;
  try {
    fit = coxPH(ep.data, coded.design, {ties});
  } catch (e) {
    return {ok: false, ...errorMessage(e), leftOut: coded.leftOut};
  }
  if (fit.n === 0 || fit.events === 0)
    return {ok: false, message: fit.n === 0 ? "No patient has every chosen covariate" : "No deaths among the patients with every chosen covariate", detail: null, leftOut: coded.leftOut};
  // Positions (into the engine rows) of the rows the fit used: fit.rows are 0-based engine positions.
  const rows = ratioRows(coded.used, coded.design, fit.terms, coded.levelCodes, ep.data.event, fit.rows);
  let zph: ZphSummary | null = null;
  let zphMessage: string | null = null;
  try {
    const z = coxZph(fit, {transform: "km", terms: true});
    zph = {
      terms: z.terms.map((t) => {
        const label = coded.used.find((v) => v.column === t.term)?.label ?? t.term;
        return {covariate: t.term, label, chisq: t.chisq, df: t.df, p: t.p, reading: zphReading(label, t.p)};
      }),
      global: {
        ...z.global,
        reading:
          z.global.p < 0.05
            ? `Taken together, the proportional-hazards assumption is doubtful for this model (global P = ${z.global.p < 0.001 ? "< 0.001" : z.global.p.toFixed(3)}).`
            : `Taken together, no evidence against proportional hazards (global P = ${z.global.p.toFixed(2)}).`
      }
    };
  } catch (e) {
    if (!(e instanceof SurvivalInputError)) throw e;
    zphMessage = e.message;
  }
  if (!zph && !zphMessage) zphMessage = "The check could not be computed for this model.";
  return {
    ok: true,
    ties,
    selected,
    n: fit.n,
    events: fit.events,
    excluded: droppedReasons(fit.dropped, ep.excluded),
    rows,
    leftOut: coded.leftOut,
    tests: [
      {name: "Likelihood ratio", ...fit.lrTest},
      {name: "Wald", ...fit.waldTest},
      {name: "Score (log-rank)", ...fit.scoreTest}
    ],
    concordance: fit.concordance.concordance,
    concordanceSE: fit.concordance.std,
    converged: fit.converged,
    warnings: fit.warnings,
    zph,
    zphMessage
  };
}

/** Forest-plot rows of a ratio table: a heading per factor with its levels indented, numeric covariates on one line. */
export function forestRows(rows: readonly RatioRow[]): ForestRow[] {
  const out: ForestRow[] = [];
  for (const r of rows) {
    if (r.isReference) {
      out.push({label: r.label, heading: true});
      out.push({label: r.level ?? "", reference: true, indent: 1, n: r.n, events: r.events});
    } else if (r.reference !== null) {
      out.push({label: r.level ?? "", indent: 1, estimate: r.hr, lower: r.lower, upper: r.upper, p: r.p, n: r.n, events: r.events, possiblyInfinite: !r.estimable});
    } else {
      out.push({label: `${r.label} (${r.level})`, estimate: r.hr, lower: r.lower, upper: r.upper, p: r.p, n: r.n, events: r.events, possiblyInfinite: !r.estimable});
    }
  }
  return out;
}

/** One line of the side-by-side competing-risks table. */
export interface CompetingRow {
  covariate: string;
  label: string;
  level: string | null;
  reference: string | null;
  isReference: boolean;
  /** Fine–Gray subdistribution hazard ratio (crr), robust SE based CI and p. */
  shr: number | null;
  shrLower: number | null;
  shrUpper: number | null;
  shrP: number | null;
  /** Cause-specific Cox hazard ratio (coxph with competing events censored). */
  cshr: number | null;
  cshrLower: number | null;
  cshrUpper: number | null;
  cshrP: number | null;
  /** Whether each ratio can be shown (see {@link RatioRow.estimable}). */
  shrEstimable: boolean;
  cshrEstimable: boolean;
  notes: string[];
}

export interface CompetingSummary {
  ok: true;
  selected: number;
  n: number;
  /** Relapses (cause 1) and competing first events (non-relapse mortality, refractory) among the rows used. */
  relapses: number;
  nrm: number;
  refractory: number;
  excluded: {reason: string; count: number}[];
  rows: CompetingRow[];
  leftOut: LeftOut[];
  /** Wald test of all Fine–Gray coefficients (robust variance) and the cause-specific LR test. */
  fineGrayWald: {stat: number; df: number; p: number} | null;
  causeSpecificLR: {stat: number; df: number; p: number};
  warnings: string[];
  /** The term where the two ratios differ most (on the log scale), for the explanation. */
  largestGap: {label: string; level: string | null; shr: number; cshr: number} | null;
}

/**
 * Relapse after the second SCT with non-relapse mortality and refractory disease as competing events,
 * on the same covariates as the survival model: Fine–Gray (R's
 * `cmprsk::crr(event_days, event, cov1 = model.matrix(...), failcode = 1, cencode = 0)`) and the
 * cause-specific Cox model (`coxph(Surv(event_days, event == 1) ~ ..., ties)`), row by row.
 * Ratios are hazard ratios (subdistribution and cause-specific) with 95% CIs and two-sided Wald p.
 */
export function competingModels(
  table: CohortTable,
  mask: Uint8Array,
  variables: readonly ModelVariable[],
  covariates: readonly string[],
  {ties = "efron"}: {ties?: "efron" | "breslow"} = {}
): CompetingSummary | NotFitted {
  const prepared = modelInput(table, mask, variables, covariates, {endpoint: "events", label: "competing-risks", cause: 1, events: "relapses"});
  if (!prepared.ok) return prepared;
  const {selected, ep, coded} = prepared;
  const data: SurvivalData = {time: ep.data.time, event: ep.data.event};
  let fg: FineGrayResult;
  let cs: CoxFit;
  try {
    cs = coxPH(data, coded.design, {ties, cause: 1});
    fg = fineGray(data, coded.design, {cause: 1});
  } catch (e) {
    return {ok: false, ...errorMessage(e), leftOut: coded.leftOut};
  }
  // Relapse-status column (1 = relapse) for the level counts of the cause-specific rows.
  const ev = ep.data.event;
  const relapse = new Float64Array(ev.length);
  for (let j = 0; j < ev.length; ++j) relapse[j] = ev[j] === 1 ? 1 : 0;
  const csRows = ratioRows(coded.used, coded.design, cs.terms, coded.levelCodes, relapse, cs.rows);
  const fgRows = ratioRows(coded.used, coded.design, fg.terms, coded.levelCodes, relapse, cs.rows);
  let nrm = 0;
  let refractory = 0;
  for (let q = 0; q < cs.rows.length; ++q) {
    const e = ep.data.event[cs.rows[q]];
    if (e === 2) ++nrm;
    else if (e === 3) ++refractory;
  }
  let largestGap: CompetingSummary["largestGap"] = null;
  const rows: CompetingRow[] = csRows.map((c, i) => {
    const f = fgRows[i];
    if (!c.isReference && c.estimable && f.estimable && c.hr !== null && f.hr !== null) {
      const gap = Math.abs(Math.log(c.hr) - Math.log(f.hr));
      if (!largestGap || gap > Math.abs(Math.log(largestGap.cshr) - Math.log(largestGap.shr))) largestGap = {label: c.label, level: c.level, shr: f.hr, cshr: c.hr};
    }
    const notes = [...new Set([...c.notes.map((n) => `cause-specific: ${n}`), ...f.notes.filter((n) => n.startsWith("not estimable")).map((n) => `Fine–Gray: ${n}`)])];
    return {
      covariate: c.covariate,
      label: c.label,
      level: c.level,
      reference: c.reference,
      isReference: c.isReference,
      shr: f.hr,
      shrLower: f.lower,
      shrUpper: f.upper,
      shrP: f.p,
      cshr: c.hr,
      cshrLower: c.lower,
      cshrUpper: c.upper,
      cshrP: c.p,
      shrEstimable: f.estimable,
      cshrEstimable: c.estimable,
      notes
    };
  });
  return {
    ok: true,
    selected,
    n: cs.n,
    relapses: cs.events,
    nrm,
    refractory,
    excluded: droppedReasons(cs.dropped, ep.excluded),
    rows,
    leftOut: coded.leftOut,
    fineGrayWald: fg.waldTest,
    causeSpecificLR: cs.lrTest,
    warnings: [...fg.warnings.map((w) => `Fine–Gray: ${w}`), ...cs.warnings.map((w) => `Cause-specific Cox: ${w}`)],
    largestGap
  };
}

/**
 * R code (survival / cmprsk) reproducing the Model page's view: `coxph` of overall survival on the chosen
 * covariates with `cox.zph`, then the cause-specific `coxph` and `crr` for relapse (cause 1), through the
 * shared script generator (`rSnippet`), with the page's reference levels and tie method. Numeric
 * covariates the page reports per month are written per day in R, and the script says how to convert.
 * `mapping`: a mapped upload (rMapping), whose study columns each part builds first.
 */
export function modelRCode(
  fileName: string,
  filters: readonly Filter[],
  variables: readonly ModelVariable[],
  covariates: readonly string[],
  {ties = "efron", references = {}, mapping = null}: {ties?: "efron" | "breslow"; references?: Readonly<Record<string, string>>; mapping?: RMapping | null} = {}
): string {
  const chosen = variables.filter((v) => covariates.includes(v.column));
  const covs: RCovariate[] = chosen.map((v) =>
    v.kind === "factor" ? {column: v.column, reference: Object.prototype.hasOwnProperty.call(references, v.column) ? references[v.column] : v.levels![0], type: "categorical"} : {column: v.column, type: "numeric"}
  );
  const notes = chosen
    .filter((v) => v.kind === "numeric" && v.divisor !== 1)
    .map((v) => `# The notebook reports ${v.column} ${v.unit} (${formatDivisor(v.divisor)} days): its hazard ratio is exp(${formatDivisor(v.divisor)} * the coefficient per day below).`);
  return [
    "# ---- Part 1: overall survival, multivariable Cox model and proportional-hazards check ----",
    ...notes,
    rSnippet({fileName, filters, endpoint: "os", covariates: covs, ties, analyses: ["cox", "zph"], mapping}),
    "",
    "# ---- Part 2: relapse with non-relapse mortality and refractory disease competing ----",
    "# Cause-specific Cox (other first events censored) and Fine-Gray (crr, failcode = 1)",
    rSnippet({fileName, filters, endpoint: "relapse", covariates: covs, ties, analyses: ["cox", "finegray"], mapping})
  ].join("\n");
}

function formatDivisor(x: number): string {
  return String(Math.round(x * 1e4) / 1e4);
}
