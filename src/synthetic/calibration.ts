/**
 * The calibration of a synthetic Kato 2012 cohort against the paper's abstract, computed by the
 * project's own engine (Kaplan–Meier, Aalen–Johansen cumulative incidence, log-rank, Cox with a
 * time-dependent covariate, Wilcoxon rank-sum). Used by `npm run calibration`, by the calibration
 * test of the committed file and by the notebook (headline numbers beside the paper's).
 *
 * Definitions (identical in the R cross-check, test/reference/calibration-kato2012.R):
 * - 2 years = 730.5 days (on whole-day data the same as day 730).
 * - OS: Kaplan–Meier of (os_days, os_status); SE of S (Greenwood, as `summary(survfit)`).
 * - CIR / NRM / refractory: Aalen–Johansen cumulative incidence of causes 1 / 2 / 3 of
 *   (event_days, event), refractory its own competing event; SE = √ of cmprsk's variance.
 * - Factors, worse level coded 1: age > 9 y, early relapse (interval_days < 180), not in CR at SCT2,
 *   RIC, unrelated SCT2 donor; acute GVHD II–IV as a time-dependent 0/1 covariate switching on at
 *   agvhd_days (rows split into (start, stop] intervals, as R's tmerge).
 * - Univariate: log-rank test of OS for each of Kato's four factors.
 * - Multivariable: Cox model of OS on all six, Efron ties (R: coxph, eps 1e-12, iter.max 100).
 * - 117 vs 164 days: Wilcoxon rank-sum (normal approximation, continuity correction) of days from
 *   SCT2 to relapse among relapsers vs days from SCT1 to relapse (interval_days) of all patients;
 *   the abstract does not say which test gave its P = 0.04 (calibration doc §1a).
 */
import {coxPH} from "../survival/coxPH.js";
import {cumulativeIncidence} from "../survival/cumulativeIncidence.js";
import {designMatrix} from "../survival/designMatrix.js";
import {kaplanMeier} from "../survival/kaplanMeier.js";
import {logRank} from "../survival/logRank.js";
import {splitAtEvent} from "../survival/splitAtEvent.js";
import {summaryAt} from "../survival/summaryAt.js";
import {wilcoxonRankSum, type WilcoxonResult} from "../survival/wilcoxon.js";
import {KATO2012_LEVELS, type Kato2012Cohort} from "./kato2012.js";

/** Two years in days. */
export const HORIZON_DAYS = 730.5;

/** The abstract's figures (Kato et al. 2012), with the confidence labels of the calibration doc. */
export const KATO2012_PAPER = {
  os2: {value: 0.294, se: 0.037, label: "overall survival at 2 years", confidence: "High (abstract)"},
  cir2: {value: 0.441, se: 0.04, label: "cumulative incidence of relapse at 2 years", confidence: "High (value); Medium (time point)"},
  nrm2: {value: 0.188, se: 0.035, label: "non-relapse mortality at 2 years", confidence: "High (value); Medium (time point)"},
  relapseMedianDays: {value: 117, label: "median days SCT2 → relapse (relapsers)", confidence: "High (value); Low (definition)"},
  intervalMedianDays: {value: 164, label: "median days SCT1 → relapse", confidence: "High (value); Low (definition)"},
  relapseTimingP: {value: 0.04, label: "P, 117 vs 164 days", confidence: "High (value); Low (which test)"}
} as const;

/**
 * Half-widths of the acceptance windows for the two medians: about one standard deviation of the
 * sample median across 2,000 cohorts of 171 simulated from the model (15.8 d and 12.6 d), rounded
 * down. Kato gives no SE for them.
 */
export const MEDIAN_TOLERANCE_DAYS = {relapse: 15, interval: 12} as const;

/** The four univariate factors and the two extra terms of the multivariable model. */
export const KATO2012_FACTORS = [
  {key: "age_gt9", label: "age > 9 y (vs ≤ 9)", kato: "age ≤ 9 y favourable (univariate and multivariable)"},
  {key: "early", label: "relapse < 180 d after SCT1 (vs late ≥ 180 d)", kato: "late relapse favourable (univariate and multivariable)"},
  {key: "noncr", label: "not in CR at SCT2 (vs CR)", kato: "CR favourable (univariate only)"},
  {key: "ric", label: "RIC (vs MAC)", kato: "MAC favourable (univariate only)"},
  {key: "unrelated", label: "unrelated donor (vs related)", kato: "donor type not associated"},
  {key: "agvhd", label: "acute GVHD II–IV (time-dependent)", kato: "acute GVHD not associated"}
] as const;

export type FactorKey = (typeof KATO2012_FACTORS)[number]["key"];

export interface EstimateSE {
  estimate: number;
  se: number | null;
}

export interface UnivariateRow {
  factor: FactorKey;
  label: string;
  /** Log-rank of OS by the factor (levels "0" = favourable, "1" = worse). */
  chisq: number;
  p: number | null;
  /** Observed and expected deaths in the favourable (0) and worse (1) level. */
  observed: [number, number];
  expected: [number, number];
  /** Observed < expected deaths in the favourable level. */
  favourable: boolean;
  /** Kaplan–Meier OS at 2 years in the favourable and the worse level. */
  os2: [number, number];
  n: [number, number];
}

export interface CoxRow {
  term: FactorKey;
  label: string;
  coef: number | null;
  se: number | null;
  hr: number | null;
  lower: number | null;
  upper: number | null;
  p: number | null;
}

export interface Criterion {
  name: string;
  description: string;
  pass: boolean;
}

export interface Kato2012Calibration {
  n: number;
  os2: EstimateSE;
  cir2: EstimateSE;
  nrm2: EstimateSE;
  refractory2: EstimateSE;
  relapse: {n: number; median: number};
  interval: {n: number; median: number};
  wilcoxon: WilcoxonResult;
  univariate: UnivariateRow[];
  cox: {terms: CoxRow[]; n: number; events: number; rows: number; converged: boolean; loglik: [number | null, number | null]};
  criteria: Criterion[];
  /** Every criterion passes. */
  accepted: boolean;
}

/** The 0/1 factor columns (worse level = 1) of a cohort. */
export function factorColumns(c: Kato2012Cohort): Record<Exclude<FactorKey, "agvhd">, Float64Array> {
  const n = c.n;
  const out = {
    age_gt9: new Float64Array(n),
    early: new Float64Array(n),
    noncr: new Float64Array(n),
    ric: new Float64Array(n),
    unrelated: new Float64Array(n)
  };
  const nonCr = KATO2012_LEVELS.status_sct2.indexOf("non-CR");
  const ric = KATO2012_LEVELS.conditioning.indexOf("RIC");
  const unrelated = KATO2012_LEVELS.donor_sct2.indexOf("unrelated");
  for (let i = 0; i < n; ++i) {
    out.age_gt9[i] = c.age[i] > 9 ? 1 : 0;
    out.early[i] = c.interval_days[i] < 180 ? 1 : 0;
    out.noncr[i] = c.status_sct2[i] === nonCr ? 1 : 0;
    out.ric[i] = c.conditioning[i] === ric ? 1 : 0;
    out.unrelated[i] = c.donor_sct2[i] === unrelated ? 1 : 0;
  }
  return out;
}

function median(values: number[]): number {
  const s = values.slice().sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

/** Cumulative incidence of causes 1 (relapse), 2 (NRM) and 3 (refractory) at time t, with SE = √ variance. */
function cumulativeIncidenceAt(data: {time: ArrayLike<number>; event: ArrayLike<number>}, t: number) {
  const fit = cumulativeIncidence(data, {causes: [1, 2, 3], times: [t]});
  const at = (cause: number): EstimateSE => {
    const point = fit.curves.find((c) => c.cause === cause)!.at[0];
    if (point.cif === null) throw new Error(`cumulative incidence of cause ${cause} is not defined at ${t} days (follow-up too short)`);
    return {estimate: point.cif, se: point.variance === null ? null : Math.sqrt(point.variance)};
  };
  return {cir2: at(1), nrm2: at(2), refractory2: at(3)};
}

const finiteOrNull = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? null : v);

/**
 * Compute every calibration figure of a cohort with the engine and check the acceptance rule
 * (data/README.md, "How the seed was chosen"). Probabilities on the 0–1 scale, times in days.
 */
export function calibrateKato2012(c: Kato2012Cohort): Kato2012Calibration {
  const n = c.n;
  const os = {time: c.os_days, event: c.os_status};

  // OS at 2 years.
  const osFit = kaplanMeier(os);
  const osAt = summaryAt(osFit, [HORIZON_DAYS]).strata[0].at[0];
  const os2 = {estimate: osAt.surv, se: osAt.stdErr};

  // Cumulative incidence of relapse, NRM and refractory at 2 years.
  const cif = cumulativeIncidenceAt({time: c.event_days, event: c.event}, HORIZON_DAYS);

  // Relapse timing.
  const relapseDays: number[] = [];
  for (let i = 0; i < n; ++i) if (c.event[i] === 1) relapseDays.push(c.event_days[i]);
  const wilcoxon = wilcoxonRankSum(relapseDays, c.interval_days);

  // Univariate log-rank and 2-year OS by level.
  const factors = factorColumns(c);
  const univariate: UnivariateRow[] = KATO2012_FACTORS.slice(0, 4).map(({key, label}) => {
    const x = factors[key as Exclude<FactorKey, "agvhd">];
    const group = Array.from(x, String);
    const lr = logRank({...os, group});
    const km = summaryAt(kaplanMeier({...os, group}), [HORIZON_DAYS]);
    const g0 = lr.groups.find((g) => g.level === "0")!;
    const g1 = lr.groups.find((g) => g.level === "1")!;
    const at = (level: string) => km.strata.find((s) => s.level === level)!.at[0].surv;
    return {
      factor: key,
      label,
      chisq: lr.chisq,
      p: lr.p,
      observed: [g0.observed, g1.observed],
      expected: [g0.expected, g1.expected],
      favourable: g0.observed < g0.expected,
      os2: [at("0"), at("1")],
      n: [g0.n, g1.n]
    };
  });

  // Multivariable Cox for OS with acute GVHD as a time-dependent covariate.
  const ids = Int32Array.from({length: n}, (_, i) => i);
  const split = splitAtEvent(
    {id: ids, os_days: c.os_days, os_status: c.os_status, agvhd_days: c.agvhd_days, ...factors},
    {time: "os_days", event: "os_status", eventTime: "agvhd_days", covariateName: "agvhd", id: "id"}
  );
  const col = (name: string) => split.columns[name] as ArrayLike<number>;
  const x = designMatrix(KATO2012_FACTORS.map(({key}) => ({name: key, values: col(key), type: "numeric" as const})));
  const fit = coxPH({entry: col("tstart"), time: col("tstop"), event: col("os_status")}, x, {ties: "efron", eps: 1e-12, maxIter: 100});
  const coxTerms: CoxRow[] = KATO2012_FACTORS.map(({key, label}) => {
    const t = fit.terms.find((term) => term.term === key)!;
    return {term: key, label, coef: t.coef, se: t.se, hr: t.hr, lower: t.lower, upper: t.upper, p: t.p};
  });

  const relapse = {n: relapseDays.length, median: median(relapseDays)};
  const interval = {n, median: median(Array.from(c.interval_days))};
  const P = KATO2012_PAPER;
  const within = (e: EstimateSE, target: {value: number; se: number}) => Math.abs(e.estimate - target.value) <= target.se + 1e-12;
  const term = (k: FactorKey) => coxTerms.find((t) => t.term === k)!;
  const significant = (k: FactorKey) => term(k).p !== null && term(k).p! < 0.05 && term(k).coef! > 0;
  const notSignificant = (k: FactorKey) => term(k).p !== null && term(k).p! >= 0.05;
  const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
  const criteria: Criterion[] = [
    {name: "os2", description: `OS(2 y) within ${pct(P.os2.value)} ± ${pct(P.os2.se)}`, pass: within(os2, P.os2)},
    {name: "cir2", description: `CIR(2 y) within ${pct(P.cir2.value)} ± ${pct(P.cir2.se)} (refractory competing)`, pass: within(cif.cir2, P.cir2)},
    {name: "nrm2", description: `NRM(2 y) within ${pct(P.nrm2.value)} ± ${pct(P.nrm2.se)}`, pass: within(cif.nrm2, P.nrm2)},
    {
      name: "relapseMedian",
      description: `median days SCT2 → relapse within ${P.relapseMedianDays.value} ± ${MEDIAN_TOLERANCE_DAYS.relapse}`,
      pass: Math.abs(relapse.median - P.relapseMedianDays.value) <= MEDIAN_TOLERANCE_DAYS.relapse
    },
    {
      name: "intervalMedian",
      description: `median interval_days within ${P.intervalMedianDays.value} ± ${MEDIAN_TOLERANCE_DAYS.interval}`,
      pass: Math.abs(interval.median - P.intervalMedianDays.value) <= MEDIAN_TOLERANCE_DAYS.interval
    },
    {
      name: "relapseTiming",
      description: "relapse after SCT2 earlier than after SCT1: Wilcoxon rank-sum p < 0.05",
      pass: wilcoxon.p !== null && wilcoxon.p < 0.05 && relapse.median < interval.median
    },
    ...univariate.map((u) => ({
      name: `logrank_${u.factor}`,
      description: `log-rank p < 0.05 favouring the better level: ${u.label}`,
      pass: u.p !== null && u.p < 0.05 && u.favourable
    })),
    {name: "cox_age_gt9", description: "multivariable Cox: age > 9 significant (p < 0.05, HR > 1)", pass: significant("age_gt9")},
    {name: "cox_early", description: "multivariable Cox: early relapse significant (p < 0.05, HR > 1)", pass: significant("early")},
    {name: "cox_unrelated", description: "multivariable Cox: donor type not significant", pass: notSignificant("unrelated")},
    {name: "cox_agvhd", description: "multivariable Cox: acute GVHD (time-dependent) not significant", pass: notSignificant("agvhd")},
    {name: "cox_noncr", description: "multivariable Cox: CR at SCT2 not significant", pass: notSignificant("noncr")},
    {name: "cox_ric", description: "multivariable Cox: conditioning not significant", pass: notSignificant("ric")}
  ];
  return {
    n,
    os2,
    cir2: cif.cir2,
    nrm2: cif.nrm2,
    refractory2: cif.refractory2,
    relapse,
    interval,
    wilcoxon,
    univariate,
    cox: {
      terms: coxTerms,
      n: fit.n,
      events: fit.events,
      rows: split.n,
      converged: fit.converged,
      loglik: [finiteOrNull(fit.loglik[0]), finiteOrNull(fit.loglik[1])]
    },
    criteria,
    accepted: criteria.every((k) => k.pass)
  };
}
