// The Outcomes page's analysis (the paper's Figure 1) on the selected patients: overall survival
// (Kaplan–Meier), the competing first events after the second SCT (Aalen–Johansen cumulative incidence
// of relapse, non-relapse mortality and refractory disease), relapse-free survival (Kaplan–Meier of any
// first event on the same rows), the stacked decomposition RFS + Σ CIF = 1 with its largest deviation
// computed on the data, and the point estimates, median and restricted mean at a chosen horizon.
// Pure: engine calls and shaping only; no DOM. Every undefined quantity is null, with a reason.
import {excludedIn, missingEndpointRows, type MissingEndpointRows} from "../cohort/schema.js";
import type {CohortTable} from "../cohort/table.js";
import type {StackedOutcomes} from "../components/stackedOutcomePlot.js";
import {SurvivalInputError} from "../survival/errors.js";
import {cumulativeIncidence, cumulativeIncidencePrepared, type CumulativeIncidenceResult} from "../survival/cumulativeIncidence.js";
import {kaplanMeier, kaplanMeierPrepared, type ConfType, type KaplanMeierFit, type KaplanMeierStratum} from "../survival/kaplanMeier.js";
import {prepareCohort, selectRows, type PreparedSurvival, type SurvivalSelection} from "../survival/prepared.js";
import {rmst} from "../survival/rmst.js";
import {summaryAt} from "../survival/summaryAt.js";
import {ENDPOINT_DEFS, endpointInput, eventCodeOrder, type EndpointInput} from "./endpoints.js";
import {studyColumns, type EndpointColumns} from "./preparedStudy.js";

export {eventCodeOrder};
import {CAUSE_LABELS, DAYS_PER_MONTH, EVENT_CODES} from "./kato2012.js";

/** The confidence-interval types the page offers for Kaplan–Meier curves (engine names, R's `conf.type`). */
export const OUTCOME_CONF_TYPES = ["log-log", "log", "plain"] as const satisfies readonly ConfType[];
export type OutcomeConfType = (typeof OUTCOME_CONF_TYPES)[number];

/** Keys of the outcomes in the table of estimates, in display order. */
export type OutcomeKey = "os" | "rfs" | "relapse" | "nrm" | "refractory";

/** One outcome read at the horizon. Proportions on [0, 1]; `null` where not estimable, with `note`. */
export interface OutcomeEstimate {
  key: OutcomeKey;
  label: string;
  /** Estimator and variance, for the table's "method" column. */
  method: string;
  estimate: number | null;
  se: number | null;
  lower: number | null;
  upper: number | null;
  /** Patients still at risk at the horizon (alive for OS; alive and event-free otherwise), null when unknown. */
  nRisk: number | null;
  /** Why the estimate is missing or needs a caveat (e.g. horizon beyond the last follow-up). */
  note: string | null;
}

/** Overall survival on the selected patients. Times in days. */
export interface OverallSurvival {
  fit: KaplanMeierFit;
  n: number;
  deaths: number;
  /** Last follow-up time (death or censoring), days. */
  lastTime: number;
  /** Median OS and its confidence limits (print.survfit's, with the chosen CI type); null when not reached. */
  median: {estimate: number | null; lower: number | null; upper: number | null};
  /** Restricted mean survival time to the horizon (days) with its SE; null beyond the last follow-up. */
  rmst: {tau: number; estimate: number | null; se: number | null; note: string | null};
  /** Rows left out for a missing value, by column. */
  excluded: {column: string; count: number}[];
}

/** The competing first events after the second SCT, and relapse-free survival on the same rows. */
export interface CompetingOutcomes {
  /** Aalen–Johansen curves of every cause (relapse, NRM, refractory and any other code present). */
  incidence: CumulativeIncidenceResult;
  /** Kaplan–Meier of any first event on the same rows: relapse-free survival (its counts are the risk table). */
  rfs: KaplanMeierFit;
  n: number;
  /** Events of each cause among the selected patients: engine cause, the file's event code, label. */
  events: {cause: number; code: number; label: string; count: number}[];
  /** Label of each engine cause (for incidenceCurves). */
  causeLabels: Record<number, string>;
  lastTime: number;
  /** Restricted mean relapse-free time to the horizon (days) with its SE; null beyond the last follow-up. */
  rmst: {tau: number; estimate: number | null; se: number | null; note: string | null};
  /** The stacked decomposition (RFS, then each cause) on the common time grid, for stackedOutcomePlot. */
  stacked: StackedOutcomes;
  /**
   * max over the grid of |RFS(t) + Σ_k F_k(t) − 1|, computed from the estimates (the identity holds in
   * exact arithmetic; this is the floating-point residual, or a real discrepancy if the curves disagree).
   */
  maxDeviation: number;
  excluded: {column: string; count: number}[];
}

export interface OutcomesAnalysis {
  /** Patients selected by the filters. */
  n: number;
  horizon: number;
  confType: OutcomeConfType;
  /** Why nothing can be shown (no patients), else null. */
  message: string | null;
  os: OverallSurvival | null;
  /** Why OS cannot be estimated, when `os` is null; a caveat (e.g. no deaths) otherwise. */
  osMessage: string | null;
  competing: CompetingOutcomes | null;
  competingMessage: string | null;
  /** OS, RFS, relapse, NRM, refractory at the horizon (always five rows; nulls when not estimable). */
  estimates: OutcomeEstimate[];
}

const LABELS: Record<OutcomeKey, string> = {
  os: "Overall survival",
  rfs: "Relapse-free survival",
  relapse: CAUSE_LABELS[EVENT_CODES.relapse],
  nrm: CAUSE_LABELS[EVENT_CODES.nrm],
  refractory: CAUSE_LABELS[EVENT_CODES.refractory]
};
const CAUSE_KEYS: Record<number, OutcomeKey> = {[EVENT_CODES.relapse]: "relapse", [EVENT_CODES.nrm]: "nrm", [EVENT_CODES.refractory]: "refractory"};

const finite = (x: number | null | undefined): number | null => (typeof x === "number" && Number.isFinite(x) ? x : null);

/** Short method labels for the table; the page's caption spells out the variances and what competes. */
function kmMethod(confType: OutcomeConfType, what: string): string {
  return `Kaplan–Meier of ${what}; Greenwood SE; ${confType} CI`;
}
const CIF_METHOD = "Aalen–Johansen; cmprsk SE; log(−log) CI";

function beyond(lastTime: number, horizon: number): string {
  return `The horizon (day ${fmtDay(horizon)}) is beyond the last follow-up (day ${fmtDay(lastTime)}): not estimable`;
}
function fmtDay(d: number): string {
  return Number.isInteger(d) ? String(d) : d.toFixed(1);
}

function empty(key: OutcomeKey, method: string, note: string | null): OutcomeEstimate {
  return {key, label: LABELS[key], method, estimate: null, se: null, lower: null, upper: null, nRisk: null, note};
}

/** A Kaplan–Meier curve read at the horizon (null beyond its last follow-up, as cmprsk::timepoints). */
function kmAt(fit: KaplanMeierFit, key: OutcomeKey, method: string, horizon: number): OutcomeEstimate {
  const s = fit.strata[0];
  const last = s.time.length ? s.time[s.time.length - 1] : 0;
  if (horizon > last) return empty(key, method, beyond(last, horizon));
  const at = summaryAt(fit, [horizon]).strata[0].at[0];
  return {key, label: LABELS[key], method, estimate: finite(at.surv), se: finite(at.stdErr), lower: finite(at.lower), upper: finite(at.upper), nRisk: at.nRisk, note: null};
}

function restricted(fit: KaplanMeierFit, horizon: number): {tau: number; estimate: number | null; se: number | null; note: string | null} {
  const s = fit.strata[0];
  const last = s.time.length ? s.time[s.time.length - 1] : 0;
  if (horizon > last) return {tau: horizon, estimate: null, se: null, note: beyond(last, horizon)};
  const r = rmst(fit, horizon).strata[0];
  return {tau: horizon, estimate: finite(r.rmean), se: finite(r.stdErr), note: null};
}

function lastOf(s: KaplanMeierStratum): number {
  return s.time.length ? s.time[s.time.length - 1] : 0;
}

function problemText(input: EndpointInput, what: string): string {
  const first = input.problems.find((p) => p.severity === "error") ?? input.problems[0];
  return `${what} cannot be estimated: ${first ? first.message : "the endpoint columns are not usable"}`;
}

function engineMessage(e: unknown, what: string): string {
  if (e instanceof SurvivalInputError || e instanceof RangeError) return `${what} cannot be estimated: ${e.message}`;
  throw e;
}


/** Step value of a right-continuous curve (time ascending) at t: the value at the last time ≤ t, `initial` before. */
function stepAt(time: ArrayLike<number>, values: ArrayLike<number>, t: number, initial: number): number {
  let lo = 0;
  let hi = time.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (time[mid] <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? initial : values[lo - 1];
}

/**
 * The stacked decomposition on the all-cause Kaplan–Meier's time grid: RFS(t) = S_any(t) and F_k(t)
 * for each cause, bottom to top, and max |RFS + Σ F_k − 1| over the grid. The curves come from the
 * same rows, so their grids coincide; a curve on another grid is read as a step function.
 */
export function stackOutcomes(rfs: KaplanMeierFit, incidence: CumulativeIncidenceResult, causeLabels: Readonly<Record<number, string>> = CAUSE_LABELS): {stacked: StackedOutcomes; maxDeviation: number} {
  const s = rfs.strata[0];
  const time = s.time;
  const m = time.length;
  const states = [{label: LABELS.rfs, values: Float64Array.from(s.surv)}];
  const sum = Float64Array.from(s.surv);
  for (const c of incidence.curves) {
    if (c.level !== s.level) continue;
    const aligned = c.time.length === m && c.time.every((t, i) => t === time[i]);
    const values = aligned ? Float64Array.from(c.est) : Float64Array.from(time, (t) => stepAt(c.time, c.est, t, 0));
    for (let i = 0; i < m; ++i) sum[i] += values[i];
    states.push({label: causeLabels[c.cause] ?? `Cause ${c.cause}`, values});
  }
  let maxDeviation = 0;
  for (let i = 0; i < m; ++i) maxDeviation = Math.max(maxDeviation, Math.abs(sum[i] - 1));
  return {stacked: {time: Float64Array.from(time), states, nRisk: Float64Array.from(s.nRisk)}, maxDeviation};
}

/**
 * Everything the Outcomes page shows, on the rows where `mask` is 1:
 * - overall survival: `kaplanMeier({time: os_days, event: os_status}, {confType})` as R's
 *   `survfit(Surv(os_days, os_status) ~ 1, conf.type)`, its median with CI (print.survfit), the RMST to
 *   the horizon (`print(fit, rmean = horizon)`) and S(horizon) ± Greenwood SE (`summary(fit, times)`);
 * - the competing first events: `cumulativeIncidence({time: event_days, event})` as
 *   `cmprsk::cuminc(event_days, event)` (causes 1 relapse, 2 NRM, 3 refractory, and any other code
 *   present), read at the horizon as `cmprsk::timepoints`;
 * - relapse-free survival: `kaplanMeier` of any first event on the same rows (`survfit(Surv(event_days,
 *   event > 0) ~ 1)`), whose complement is the sum of the incidences;
 * - the stacked view RFS + Σ CIF = 1 and its largest deviation.
 *
 * Estimates beyond the last follow-up of their endpoint are null with a note (cmprsk's rule, applied
 * to the Kaplan–Meier rows too, where R's `summary(extend = TRUE)` would carry the last value on).
 * Horizon in days; probabilities on [0, 1]; median and RMST in days. Engine input errors become messages.
 *
 * Registry scale (issue 7): the endpoints are validated on every row and their times ranked once per
 * table (cached), so a filter change is a row mask and one counting pass (`selectRows` and the engine's
 * `…Prepared` estimators); the result is exactly {@link outcomesPerSelection}'s, which is used instead
 * when an endpoint is absent or fails validation on the whole table.
 */
export function outcomesAnalysis(table: CohortTable, mask: Uint8Array, {horizon, confType = "log-log"}: {horizon: number; confType?: OutcomeConfType}): OutcomesAnalysis {
  if (!(Number.isFinite(horizon) && horizon >= 0)) throw new RangeError(`horizon: ${String(horizon)} (must be a finite number of days ≥ 0)`);
  const prepared = preparedOutcomes(table);
  if (!prepared || mask.length !== prepared.numRows) return outcomesPerSelection(table, mask, {horizon, confType});
  let os: PreparedSelection | null = null;
  return analyse(
    mask,
    horizon,
    confType,
    () => (os = preparedRows(prepared.os, mask)),
    // the events endpoint usually keeps the same rows as OS: then its row mask is OS's
    () => preparedRows(prepared.events, mask, prepared.sameRows ? os : null),
    () => prepared.eventCodes
  );
}

/**
 * {@link outcomesAnalysis} computed from the selected rows alone: each endpoint validated on the
 * selection (`endpointInput`) and every estimator run on those rows. The prepared path falls back to
 * it when an endpoint fails validation on the whole table (its messages then name the selection's
 * rows and values); test/study/outcomesPrepared.test.ts checks the two give the same results.
 */
export function outcomesPerSelection(table: CohortTable, mask: Uint8Array, {horizon, confType = "log-log"}: {horizon: number; confType?: OutcomeConfType}): OutcomesAnalysis {
  if (!(Number.isFinite(horizon) && horizon >= 0)) throw new RangeError(`horizon: ${String(horizon)} (must be a finite number of days ≥ 0)`);
  return analyse(
    mask,
    horizon,
    confType,
    () => inputRows(endpointInput(table, "os", mask)),
    () => inputRows(endpointInput(table, "events", mask)),
    () => eventCodeOrder(table)
  );
}

/** One endpoint on the selected rows, whichever way it was selected: validation, counts and the engine's fits. */
interface SelectedEndpoint {
  /** The validation result when the endpoint cannot be used (its problems make the message), else null. */
  invalid: EndpointInput | null;
  /** Selected rows with a complete endpoint. */
  n: number;
  /** Selected rows left out for a missing value, by column (in the order they first occur). */
  excluded: {column: string; count: number}[];
  kaplanMeier(confType: OutcomeConfType): KaplanMeierFit;
  cumulativeIncidence(options: {times: number[]; causes: number[]}): CumulativeIncidenceResult;
  /** Rows of each engine cause (index = cause; index 0 unused), `size` entries. */
  causeCounts(size: number): Float64Array;
}

/** The per-selection endpoint: engine input built from the selected rows. */
function inputRows(input: EndpointInput): SelectedEndpoint {
  return {
    invalid: input.ok ? null : input,
    n: input.rows.length,
    excluded: input.excluded,
    kaplanMeier: (confType) => kaplanMeier(input.data, {confType}),
    cumulativeIncidence: (options) => cumulativeIncidence(input.data, options),
    causeCounts(size) {
      const counts = new Float64Array(size);
      const ev = input.data.event;
      for (let i = 0; i < ev.length; ++i) if (ev[i] > 0) counts[ev[i]] += 1;
      return counts;
    }
  };
}

/** An endpoint validated and ranked once per table. */
interface PreparedEndpoint {
  columns: EndpointColumns;
  prepared: PreparedSurvival;
  /** Rows a selection leaves out for a missing time or status (as the data layer reports them). */
  missing: MissingEndpointRows;
}

interface PreparedOutcomes {
  numRows: number;
  os: PreparedEndpoint;
  events: PreparedEndpoint;
  /** `eventCodeOrder(table)`: the file's code of engine cause k is `eventCodes[k − 1]`. */
  eventCodes: number[];
  /** True when both endpoints keep the same table rows (then a mask is mapped to them once). */
  sameRows: boolean;
}

// Prepared once per table (issue 7): endpoints validated on every row, times ranked, missing cells located.
// null: an endpoint is absent or fails whole-table validation, or the engine rejects it (per-selection path).
const preparedByTable = new WeakMap<CohortTable, PreparedOutcomes | null>();

function preparedOutcomes(table: CohortTable): PreparedOutcomes | null {
  let p = preparedByTable.get(table);
  if (p === undefined) {
    p = prepareOutcomes(table);
    preparedByTable.set(table, p);
  }
  return p;
}

function prepareOutcomes(table: CohortTable): PreparedOutcomes | null {
  const columns = studyColumns(table);
  if (columns.invalid || !columns.os || !columns.events) return null;
  try {
    const a = columns.os.rows;
    const b = columns.events.rows;
    let sameRows = a.length === b.length;
    for (let j = 0; sameRows && j < a.length; ++j) sameRows = a[j] === b[j];
    return {
      numRows: columns.numRows,
      os: prepareEndpoint(table, "os", columns.os),
      events: prepareEndpoint(table, "events", columns.events),
      eventCodes: columns.eventCodes,
      sameRows
    };
  } catch (e) {
    if (e instanceof SurvivalInputError || e instanceof RangeError) return null;
    throw e;
  }
}

function prepareEndpoint(table: CohortTable, name: "os" | "events", columns: EndpointColumns): PreparedEndpoint {
  return {columns, prepared: prepareCohort({time: columns.time, event: columns.event}), missing: missingEndpointRows(table, ENDPOINT_DEFS[name])};
}

/** A prepared endpoint's selection, with its own row mask (one entry per kept row). */
interface PreparedSelection extends SelectedEndpoint {
  own: Uint8Array;
}

/**
 * The prepared endpoint on the rows where `mask` is 1 (as endpointInput selects them): one pass over its
 * rows, or none when `same` is the selection of an endpoint that keeps the same rows.
 */
function preparedRows(e: PreparedEndpoint, mask: Uint8Array, same: PreparedSelection | null = null): PreparedSelection {
  const rows = e.columns.rows;
  let own: Uint8Array;
  let n = 0;
  if (same) ({own, n} = same);
  else {
    own = new Uint8Array(rows.length);
    for (let j = 0; j < rows.length; ++j) n += own[j] = mask[rows[j]] === 1 ? 1 : 0;
  }
  let selection: SurvivalSelection | null = null;
  const selected = () => (selection ??= selectRows(e.prepared, own));
  return {
    invalid: null,
    n,
    excluded: Array.from(excludedIn(e.missing, mask), ([column, count]) => ({column, count})),
    kaplanMeier: (confType) => kaplanMeierPrepared(selected(), null, {confType}),
    cumulativeIncidence: (options) => cumulativeIncidencePrepared(selected(), null, options),
    causeCounts(size) {
      // Summed from the selection's counts per (distinct time, code slot): the rows of each cause.
      const counts = new Float64Array(size);
      const {counts: cells, width} = selected().byGroup();
      const codes = e.prepared.codes;
      for (let c = 1; c < width; ++c) {
        let total = 0;
        for (let x = c; x < cells.length; x += width) total += cells[x];
        if (total > 0) counts[codes[c]] += total;
      }
      return counts;
    },
    own
  };
}

/** The analysis from the selected rows of each endpoint (made lazily, in the page's order: OS, then the first events). */
function analyse(
  mask: Uint8Array,
  horizon: number,
  confType: OutcomeConfType,
  osRows: () => SelectedEndpoint,
  eventRows: () => SelectedEndpoint,
  eventCodes: () => number[]
): OutcomesAnalysis {
  let n = 0;
  for (let i = 0; i < mask.length; ++i) n += mask[i];
  const causeRows = [EVENT_CODES.relapse, EVENT_CODES.nrm, EVENT_CODES.refractory] as const;
  const estimates: Record<OutcomeKey, OutcomeEstimate> = {
    os: empty("os", kmMethod(confType, "death"), null),
    rfs: empty("rfs", kmMethod(confType, "any first event"), null),
    relapse: empty("relapse", CIF_METHOD, null),
    nrm: empty("nrm", CIF_METHOD, null),
    refractory: empty("refractory", CIF_METHOD, null)
  };
  const list = () => (["os", "rfs", "relapse", "nrm", "refractory"] as const).map((k) => estimates[k]);
  if (n === 0) {
    const msg = "No patients match these filters";
    for (const e of list()) e.note = msg;
    return {n, horizon, confType, message: msg, os: null, osMessage: msg, competing: null, competingMessage: msg, estimates: list()};
  }

  // Overall survival
  let os: OverallSurvival | null = null;
  let osMessage: string | null = null;
  const osInput = osRows();
  if (osInput.invalid) osMessage = problemText(osInput.invalid, "Overall survival");
  else if (!osInput.n) osMessage = "No selected patient has a complete survival time and status";
  else {
    try {
      const fit = osInput.kaplanMeier(confType);
      const s = fit.strata[0];
      os = {
        fit,
        n: s.n,
        deaths: s.events,
        lastTime: lastOf(s),
        median: {estimate: finite(s.median), lower: finite(s.medianLower), upper: finite(s.medianUpper)},
        rmst: restricted(fit, horizon),
        excluded: osInput.excluded
      };
      estimates.os = kmAt(fit, "os", estimates.os.method, horizon);
      if (s.events === 0) osMessage = "No deaths in this selection";
    } catch (e) {
      osMessage = engineMessage(e, "Overall survival");
    }
  }
  if (osMessage && !os) estimates.os.note = osMessage;

  // Competing first events and relapse-free survival, on the same rows
  let competing: CompetingOutcomes | null = null;
  let competingMessage: string | null = null;
  const evInput = eventRows();
  if (evInput.invalid) competingMessage = problemText(evInput.invalid, "The first events");
  else if (!evInput.n) competingMessage = "No selected patient has a complete first-event time and code";
  else {
    try {
      const codes = eventCodes();
      const causes = codes.map((_, k) => k + 1);
      const causeLabels: Record<number, string> = {};
      codes.forEach((code, k) => (causeLabels[k + 1] = CAUSE_LABELS[code] ?? `Event code ${code}`));
      const incidence = evInput.cumulativeIncidence({times: [horizon], causes});
      const rfs = evInput.kaplanMeier(confType);
      const s = rfs.strata[0];
      const counts = evInput.causeCounts(causes.length + 1);
      const {stacked, maxDeviation} = stackOutcomes(rfs, incidence, causeLabels);
      competing = {
        incidence,
        rfs,
        n: s.n,
        events: causes.map((c) => ({cause: c, code: codes[c - 1], label: causeLabels[c], count: counts[c]})),
        causeLabels,
        lastTime: lastOf(s),
        rmst: restricted(rfs, horizon),
        stacked,
        maxDeviation,
        excluded: evInput.excluded
      };
      estimates.rfs = kmAt(rfs, "rfs", estimates.rfs.method, horizon);
      const atRisk = estimates.rfs.nRisk;
      for (const c of incidence.curves) {
        const key = CAUSE_KEYS[codes[c.cause - 1]];
        if (!key) continue;
        const p = c.at[0];
        const est = finite(p.cif);
        estimates[key] = {
          key,
          label: LABELS[key],
          method: CIF_METHOD,
          estimate: est,
          se: p.variance === null || !(p.variance >= 0) ? null : Math.sqrt(p.variance),
          lower: finite(p.lower),
          upper: finite(p.upper),
          nRisk: est === null ? null : atRisk,
          note: est === null ? beyond(competing.lastTime, horizon) : null
        };
      }
      for (const code of causeRows)
        if (!codes.includes(code)) estimates[CAUSE_KEYS[code]].note = `The cohort file has no first event coded ${code} (${CAUSE_LABELS[code]})`;
      if (s.events === 0) competingMessage = "No relapse, non-relapse death or refractory disease in this selection";
    } catch (e) {
      competingMessage = engineMessage(e, "The first events");
    }
  }
  if (competingMessage && !competing) for (const k of ["rfs", "relapse", "nrm", "refractory"] as const) estimates[k].note = competingMessage;
  return {n, horizon, confType, message: null, os, osMessage, competing, competingMessage, estimates: list()};
}

/**
 * The longest follow-up among all patients of the table (OS and first-event times), in whole months
 * rounded up (1 month = 365.25/12 days): the upper end of the page's horizon control.
 */
export function followUpMonths(table: CohortTable): number {
  let max = 0;
  for (const name of ["os_days", "event_days"]) {
    if (!table.has(name)) continue;
    const c = table.column(name);
    if (c.type !== "number") continue;
    for (let i = 0; i < c.length; ++i) {
      const v = c.values[i] as number;
      if (Number.isFinite(v) && v > max) max = v;
    }
  }
  return Math.max(1, Math.ceil(max / DAYS_PER_MONTH));
}

/**
 * The CI type of a view (the URL's `conf`): one the page offers, else the default "log-log" with a
 * note naming what was ignored (the URL format also allows logit/arcsin, which the engine does not offer).
 */
export function outcomeConfType(requested: string | null | undefined): {confType: OutcomeConfType; note: string | null} {
  if (requested === null || requested === undefined) return {confType: "log-log", note: null};
  if ((OUTCOME_CONF_TYPES as readonly string[]).includes(requested)) return {confType: requested as OutcomeConfType, note: null};
  return {confType: "log-log", note: `The link asks for "${requested}" confidence intervals, which this page does not offer; log-log is used`};
}

/** The horizon of a view in whole months for the page's control (the link's days rounded), with a note if rounded. */
export function horizonMonths(days: number | null | undefined, defaultDays: number, maxMonths: number): {months: number; note: string | null} {
  const d = days ?? defaultDays;
  const exact = d / DAYS_PER_MONTH;
  const months = Math.min(maxMonths, Math.max(1, Math.round(exact)));
  const note = Math.abs(months * DAYS_PER_MONTH - d) > 1e-9 * Math.max(1, d) ? `The link's horizon (${fmtDay(d)} days) is shown as ${months} months (${fmtDay(months * DAYS_PER_MONTH)} days), the nearest whole month in range` : null;
  return {months, note};
}
