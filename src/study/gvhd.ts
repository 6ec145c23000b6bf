// The Acute GVHD page: why grouping patients by an event that happens after time zero (acute GVHD
// onset, agvhd_days) biases a survival comparison, and two ways to do it right, all on overall survival
// (os_days, os_status) of the selected patients:
//   (a) the naive analysis — Kaplan–Meier, log-rank and Cox by "ever had acute GVHD", as if it were
//       known on the day of the transplant (immortal-time bias: a patient must survive to the onset to
//       be in the GVHD group);
//   (b) a landmark analysis — patients alive and in follow-up at day L, grouped by acute GVHD by day L,
//       followed from L (the engine's `landmark`);
//   (c) a time-dependent Cox model — follow-up split at onset into (start, stop] rows (the engine's
//       `splitAtEvent`), acute GVHD 0 before and 1 after, and the Kaplan–Meier curves of the same rows
//       (Simon–Makuch).
// The engine estimates; this module selects rows, handles unknown onset, counts person-time and
// shapes the results. Pure, no DOM.
import type {SurvivalCurve} from "../components/curves.js";
import {isNA, type CohortTable} from "../cohort/table.js";
import {
  coxPH,
  designMatrix,
  kaplanMeier,
  landmark,
  logRank,
  splitAtEvent,
  SurvivalInputError,
  type CoxFit,
  type KaplanMeierFit,
  type LogRankResult
} from "../survival/index.js";
import {survivalCurves} from "./curves.js";
import {endpointInput} from "./endpoints.js";
import {DAYS_PER_YEAR} from "./kato2012.js";
import {labelCodes} from "./labelCodes.js";

/** Default landmark (days after the second SCT) and the range the page's slider offers. */
export const LANDMARK_DEFAULT = 100;
export const LANDMARK_MIN = 14;
export const LANDMARK_MAX = 365;

/** The landmark a view asks for (the spec's `landmark`), if it is a whole day in the slider's range; else the default. */
export function landmarkFromView(horizon: number | null | undefined): number {
  return typeof horizon === "number" && Number.isInteger(horizon) && horizon >= LANDMARK_MIN && horizon <= LANDMARK_MAX ? horizon : LANDMARK_DEFAULT;
}

/** A hazard ratio with its Wald 95% CI and p (null where not estimable), and the warnings of the fit. */
export interface RatioEstimate {
  hr: number | null;
  lower: number | null;
  upper: number | null;
  p: number | null;
  possiblyInfinite: boolean;
  /** False when the ratio should read "not estimable": a possibly infinite coefficient or a confidence interval that cannot be computed. */
  estimable: boolean;
  warnings: string[];
  /** Rows (patients, or (start, stop] intervals) and deaths in the fit. */
  n: number;
  events: number;
}

/** A log-rank comparison of two groups. */
export interface TwoGroupTest {
  chisq: number;
  df: number;
  p: number | null;
  groups: {label: string; n: number; observed: number; expected: number}[];
}

/** Deaths and person-time by acute GVHD status, counted two ways. */
export interface PersonTime {
  /** "naive": every day of an aGVHD patient counts as aGVHD time; "correct": only days after onset do. */
  way: "naive" | "correct";
  withDeaths: number;
  withYears: number;
  withoutDeaths: number;
  withoutYears: number;
  /** Deaths per 100 person-years; null when there is no person-time. */
  withRate: number | null;
  withoutRate: number | null;
  /** withRate / withoutRate; null when undefined. */
  rateRatio: number | null;
}

export interface NaiveAnalysis {
  curves: SurvivalCurve[];
  logRank: TwoGroupTest | null;
  cox: RatioEstimate | null;
  message: string | null;
}

export interface LandmarkAnalysis {
  day: number;
  /** Patients alive and in follow-up after the landmark (analysed), and those who died or were censored by it. */
  n: number;
  excluded: number;
  deathsBefore: number;
  /** Among the analysed: acute GVHD by the landmark, and onsets after it (classed "no aGVHD by day L"). */
  withGvhd: number;
  laterOnsets: number;
  curves: SurvivalCurve[];
  logRank: TwoGroupTest | null;
  cox: RatioEstimate | null;
  message: string | null;
}

export interface TimeDependentAnalysis {
  /** (start, stop] rows, and patients split at onset. */
  rows: number;
  split: number;
  cox: RatioEstimate | null;
  /** Kaplan–Meier of the split rows by current status (Simon–Makuch): who is at risk changes at onset. */
  curves: SurvivalCurve[];
  message: string | null;
}

export interface GvhdResult {
  ok: true;
  selected: number;
  /** Patients analysed (OS and acute GVHD status known) and deaths among them. */
  n: number;
  deaths: number;
  /** Excluded for a missing value, by reason. */
  excluded: {reason: string; count: number}[];
  /** Patients with acute GVHD II–IV, and their onset days (median, range). */
  withGvhd: number;
  onset: {median: number | null; min: number | null; max: number | null};
  /** Deaths before the median onset among all patients: people who never had the time to develop GVHD. */
  earlyDeaths: number;
  /** The "immortal" person-time: days from transplant to onset among the aGVHD patients, in years. */
  immortalYears: number;
  personTime: PersonTime[];
  naive: NaiveAnalysis;
  landmark: LandmarkAnalysis;
  timeDependent: TimeDependentAnalysis;
}

export interface GvhdUnavailable {
  ok: false;
  message: string;
  detail: string | null;
}

export const GROUP_LABELS = {ever: {yes: "Acute GVHD (ever)", no: "No acute GVHD"}, current: {yes: "After aGVHD onset", no: "Without aGVHD (yet)"}} as const;

const landmarkLabels = (day: number) => ({yes: `aGVHD by day ${day}`, no: `No aGVHD by day ${day}`});

function ratio(fit: Pick<CoxFit, "terms" | "warnings" | "n" | "events">): RatioEstimate {
  const t = fit.terms[0];
  const estimable = !t.possiblyInfinite && t.hr !== null && t.lower !== null && t.upper !== null;
  return {hr: t.hr, lower: t.lower, upper: t.upper, p: t.p, possiblyInfinite: t.possiblyInfinite, estimable, warnings: fit.warnings, n: fit.n, events: fit.events};
}

function twoGroup(lr: LogRankResult): TwoGroupTest {
  return {chisq: lr.chisq, df: lr.df, p: lr.p, groups: lr.groups.map((g) => ({label: g.level ?? "", n: g.n, observed: g.observed, expected: g.expected}))};
}

/** The curves with the acute GVHD group first, so that it has the same colour in every figure. */
function gvhdFirst(fit: KaplanMeierFit | null, yes: string): SurvivalCurve[] {
  if (!fit) return [];
  const curves = survivalCurves(fit);
  return [...curves.filter((c) => c.label === yes), ...curves.filter((c) => c.label !== yes)];
}

function median(sorted: ArrayLike<number>): number | null {
  const n = sorted.length;
  if (!n) return null;
  return n % 2 ? sorted[n >> 1] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

/** Group labels of a 0/1 column: `yes` where the value is non-zero, `no` elsewhere. */
function twoLabels(x: ArrayLike<number>, yes: string, no: string): string[] {
  const out = new Array<string>(x.length);
  for (let k = 0; k < x.length; ++k) out[k] = x[k] ? yes : no;
  return out;
}

/** Cox model on one 0/1 covariate (1 = acute GVHD), with a reason instead of a fit when it cannot run. */
function coxOnIndicator(data: {time: ArrayLike<number>; event: ArrayLike<number>; entry?: ArrayLike<number>}, x: ArrayLike<number>): {cox: RatioEstimate | null; message: string | null} {
  let events = 0;
  let ones = 0;
  for (let i = 0; i < x.length; ++i) {
    events += data.event[i] > 0 ? 1 : 0;
    ones += x[i];
  }
  if (!events) return {cox: null, message: "No deaths in this selection"};
  if (ones === 0 || ones === x.length) return {cox: null, message: "Only one group: every patient has the same acute GVHD status here"};
  try {
    // The page shows the hazard ratio only: no concordance.
    return {cox: ratio(coxPH(data, designMatrix([{name: "agvhd", values: x, type: "numeric"}]), {concordance: false})), message: null};
  } catch (e) {
    if (e instanceof SurvivalInputError) return {cox: null, message: e.message};
    throw e;
  }
}

/** Kaplan–Meier curves and log-rank by a two-level label column, or a reason. */
function curvesAndTest(data: {time: ArrayLike<number>; event: ArrayLike<number>; entry?: ArrayLike<number>; group: (string | null)[]}, withTest: boolean): {fit: KaplanMeierFit | null; test: TwoGroupTest | null; message: string | null} {
  try {
    const fit = kaplanMeier(data, {confType: "log-log"});
    if (!withTest) return {fit, test: null, message: null};
    if (fit.strata.length < 2) return {fit, test: null, message: "Log-rank needs at least 2 groups"};
    return {fit, test: twoGroup(logRank({time: data.time, event: data.event, group: data.group})), message: null};
  } catch (e) {
    if (e instanceof SurvivalInputError) return {fit: null, test: null, message: e.message};
    throw e;
  }
}

/**
 * The three analyses of acute GVHD and overall survival on the rows where `mask` is 1, with the
 * landmark at `day` (days after the second SCT). Matches, in R (survival 3.5-3):
 * (a) `survfit`/`survdiff(Surv(os_days, os_status) ~ agvhd_ever)` and `coxph(... ~ agvhd_ever)`;
 * (b) the same on `subset(d, os_days > L)` with time `os_days - L` and group `agvhd_days <= L`;
 * (c) `coxph(Surv(tstart, tstop, os_status) ~ agvhd)` on `tmerge(d, d, id, death = event(os_days,
 *     os_status), agvhd = tdc(agvhd_days))` rows.
 * Hazard ratios are aGVHD vs none (Wald CI, two-sided p); log-rank chi-squared on 1 df; person-time in
 * years (365.25 days) and rates per 100 person-years.
 */
export function gvhdAnalyses(table: CohortTable, mask: Uint8Array, day: number = LANDMARK_DEFAULT): GvhdResult | GvhdUnavailable {
  let selected = 0;
  for (let i = 0; i < mask.length; ++i) selected += mask[i];
  if (!selected) return {ok: false, message: "No patients match these filters", detail: "Clear a filter to see the acute GVHD analyses."};
  if (!table.has("agvhd_days")) return {ok: false, message: "This cohort has no agvhd_days column (acute GVHD onset)", detail: null};
  const os = endpointInput(table, "os", mask);
  if (!os.ok) return {ok: false, message: "Overall survival could not be read", detail: os.problems[0]?.message ?? null};
  const onsetCol = table.column("agvhd_days");
  const everCol = table.has("agvhd_any") ? table.column("agvhd_any") : null;
  // Keep rows whose aGVHD status is known and, when present, whose onset day is known.
  const everCodes = everCol ? labelCodes(everCol) : null;
  // Code of "Yes" (a text cell equal to "Yes"; never a number column's value).
  const yes = everCol && everCol.type === "string" ? (everCodes!.index.get("Yes") ?? -2) : -2;
  const keep = new Int32Array(os.rows.length);
  let n = 0;
  let unknownStatus = 0;
  let unknownOnset = 0;
  for (let j = 0; j < os.rows.length; ++j) {
    const i = os.rows[j];
    if (everCodes) {
      const c = everCodes.code[i];
      if (c < 0) {
        ++unknownStatus;
        continue;
      }
      if (c === yes && isNA(onsetCol, i)) {
        ++unknownOnset;
        continue;
      }
    }
    keep[n++] = j;
  }
  const excluded = [
    ...os.excluded.filter((e) => e.count > 0).map((e) => ({reason: `missing ${e.column}`, count: e.count})),
    ...(unknownStatus ? [{reason: "acute GVHD status unknown", count: unknownStatus}] : []),
    ...(unknownOnset ? [{reason: "acute GVHD onset day unknown", count: unknownOnset}] : [])
  ];
  if (!n) return {ok: false, message: "No patient here has a known acute GVHD status", detail: null};
  const time = new Float64Array(n);
  const status = new Float64Array(n);
  const onset = new Float64Array(n);
  const ids = new Int32Array(n);
  let deaths = 0;
  for (let k = 0; k < n; ++k) {
    const j = keep[k];
    const i = os.rows[j];
    time[k] = os.data.time[j];
    status[k] = os.data.event[j] > 0 ? 1 : 0;
    deaths += status[k];
    onset[k] = isNA(onsetCol, i) ? NaN : (onsetCol.values[i] as number);
    ids[k] = i;
  }
  // An onset recorded at or after the end of follow-up cannot be used (splitAtEvent treats it as none).
  const ever = new Float64Array(n);
  let withGvhd = 0;
  for (let k = 0; k < n; ++k) {
    const o = onset[k];
    if (Number.isFinite(o) && o < time[k]) (ever[k] = 1), ++withGvhd;
  }
  const onsets = new Float64Array(withGvhd);
  for (let k = 0, q = 0; k < n; ++k) if (ever[k] === 1) onsets[q++] = onset[k];
  // Ascending with equal values (0 and −0) kept in row order, as Array#sort((a, b) => a − b).
  onsets.sort((a, b) => a - b);
  const medianOnset = median(onsets);
  let earlyDeaths = 0;
  if (medianOnset !== null) for (let k = 0; k < n; ++k) if (status[k] && time[k] < medianOnset && !ever[k]) ++earlyDeaths;

  // Person-time and deaths, naive (whole follow-up by ever-status) and correct (split at onset).
  const years = (days: number) => days / DAYS_PER_YEAR;
  let naiveWithT = 0, naiveWithD = 0, naiveWithoutT = 0, naiveWithoutD = 0, immortal = 0;
  for (let k = 0; k < n; ++k) {
    if (ever[k]) {
      naiveWithT += time[k];
      naiveWithD += status[k];
      immortal += onset[k];
    } else {
      naiveWithoutT += time[k];
      naiveWithoutD += status[k];
    }
  }
  const rate = (d: number, t: number) => (t > 0 ? (100 * d) / years(t) : null);
  const pt = (way: "naive" | "correct", wd: number, wt: number, od: number, ot: number): PersonTime => {
    const withRate = rate(wd, wt);
    const withoutRate = rate(od, ot);
    return {way, withDeaths: wd, withYears: years(wt), withoutDeaths: od, withoutYears: years(ot), withRate, withoutRate, rateRatio: withRate !== null && withoutRate ? withRate / withoutRate : null};
  };
  const personTime = [
    pt("naive", naiveWithD, naiveWithT, naiveWithoutD, naiveWithoutT),
    pt("correct", naiveWithD, naiveWithT - immortal, naiveWithoutD, naiveWithoutT + immortal)
  ];

  // (a) Naive.
  const everLabels = twoLabels(ever, GROUP_LABELS.ever.yes, GROUP_LABELS.ever.no);
  const a = curvesAndTest({time, event: status, group: everLabels}, true);
  const aCox = coxOnIndicator({time, event: status}, ever);
  const naive: NaiveAnalysis = {
    curves: gvhdFirst(a.fit, GROUP_LABELS.ever.yes),
    logRank: a.test,
    cox: aCox.cox,
    message: a.message ?? aCox.message
  };

  // (b) Landmark.
  const lm = landmark({os_days: time, os_status: status, agvhd_days: onset}, {time: "os_days", landmark: day, eventTime: "agvhd_days", covariateName: "agvhd_at_landmark"});
  const lmStatus = lm.columns.agvhd_at_landmark as Float64Array;
  const lmTime = lm.columns.os_days as Float64Array;
  const lmEvent = lm.columns.os_status as Float64Array;
  const labels = landmarkLabels(day);
  let lmWith = 0;
  let later = 0;
  for (let q = 0; q < lm.n; ++q) {
    lmWith += lmStatus[q];
    const o = onset[lm.row[q]];
    if (Number.isFinite(o) && o > day && ever[lm.row[q]]) ++later;
  }
  let deathsBefore = 0;
  for (let k = 0; k < n; ++k) if (status[k] && time[k] <= day) ++deathsBefore;
  let landmarkResult: LandmarkAnalysis;
  if (!lm.n) {
    landmarkResult = {day, n: 0, excluded: lm.excluded, deathsBefore, withGvhd: 0, laterOnsets: 0, curves: [], logRank: null, cox: null, message: `No patient is alive and in follow-up after day ${day}`};
  } else {
    const b = curvesAndTest({time: lmTime, event: lmEvent, group: twoLabels(lmStatus, labels.yes, labels.no)}, true);
    const bCox = coxOnIndicator({time: lmTime, event: lmEvent}, lmStatus);
    landmarkResult = {
      day,
      n: lm.n,
      excluded: lm.excluded,
      deathsBefore,
      withGvhd: lmWith,
      laterOnsets: later,
      curves: gvhdFirst(b.fit, labels.yes),
      logRank: b.test,
      cox: bCox.cox,
      message: b.message ?? bCox.message
    };
  }

  // (c) Time-dependent Cox on (start, stop] rows split at onset.
  const split = splitAtEvent({id: ids, os_days: time, os_status: status, agvhd_days: onset}, {time: "os_days", event: "os_status", eventTime: "agvhd_days", covariateName: "agvhd", id: "id"});
  const tstart = split.columns.tstart as Float64Array;
  const tstop = split.columns.tstop as Float64Array;
  const tEvent = split.columns.os_status as Float64Array;
  const tCov = split.columns.agvhd as Float64Array;
  const cCox = coxOnIndicator({time: tstop, event: tEvent, entry: tstart}, tCov);
  const c = curvesAndTest({time: tstop, event: tEvent, entry: tstart, group: twoLabels(tCov, GROUP_LABELS.current.yes, GROUP_LABELS.current.no)}, false);
  const timeDependent: TimeDependentAnalysis = {rows: split.n, split: split.nSplit, cox: cCox.cox, curves: gvhdFirst(c.fit, GROUP_LABELS.current.yes), message: cCox.message ?? c.message};

  return {
    ok: true,
    selected,
    n,
    deaths,
    excluded,
    withGvhd: onsets.length,
    onset: {median: medianOnset, min: onsets.length ? onsets[0] : null, max: onsets.length ? onsets[onsets.length - 1] : null},
    earlyDeaths,
    immortalYears: years(immortal),
    personTime,
    naive,
    landmark: landmarkResult,
    timeDependent
  };
}
