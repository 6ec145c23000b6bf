/**
 * The generator model of the synthetic registry cohort calibrated to Kato et al., "Second allogeneic
 * hematopoietic SCT for relapsed ALL in children", Bone Marrow Transplant 2012;47:1307–1311.
 *
 * The model follows the project's calibration notes, kato2012-calibration.md §4 (covariates §4a, event model §4b,
 * censoring §4c); every number is in {@link KATO2012_MODEL} with its source. Only the abstract's
 * figures are Kato's; prevalences and effect sizes are assumptions chosen to reproduce the abstract
 * (see data/README.md). The data are synthetic: no row describes a real patient.
 *
 * Time zero is the day of the second SCT; times are drawn on a continuous scale in days and reported
 * as whole days, rounded up (an event during the first day after SCT2 is on day 1). A month is 30.44 d.
 *
 * Pure TypeScript, no I/O: usable by the `npm run generate` script and in the browser.
 */
import {Xoshiro128} from "./random.js";

/** The seed of the committed 171-patient cohort (data/kato2012-synthetic.csv); see data/README.md. */
export const KATO2012_ACCEPTED_SEED = 44;

/** Number of patients in Kato et al. 2012. */
export const KATO2012_N = 171;

/** Days per month used by the event model. */
export const DAYS_PER_MONTH = 30.44;

/**
 * Every parameter of the model. Probabilities are per patient; hazards are per month; hazard ratios
 * multiply the cause-specific hazard of the worse level. Sources: calibration doc §4a–§4c.
 */
export const KATO2012_MODEL = {
  /** P(age ≤ 9 y at SCT2). Ages ≤ 9: 1–9 y with the 1–2 y band down-weighted; > 9: 9.1–16 y (75%) or 16–20 y (25%). */
  pAgeLe9: 0.5,
  pAgeBand1to2: 0.0625,
  pAgeOver16GivenOver9: 0.25,
  /** P(male). */
  pMale: 0.58,
  /** Immunophenotype B-precursor / T / other. */
  immunophenotype: {levels: ["B", "T", "other"], p: [0.8, 0.18, 0.02]},
  /** P(Ph-positive | B-precursor) (0 otherwise): 10% overall. */
  pPhGivenB: 0.125,
  /** Disease status at SCT1: CR1 / CR2 / CR3 or later or not in CR ("advanced"). */
  statusSct1: {levels: ["CR1", "CR2", "advanced"], p: [0.35, 0.4, 0.25]},
  /** SCT1 → relapse: lognormal, median 164 d, sdlog 0.8, truncated to [20, 3650] d (redrawn outside). */
  intervalMedianDays: 164,
  intervalSdLog: 0.8,
  intervalMinDays: 20,
  intervalMaxDays: 3650,
  /** Late relapse: interval ≥ 180 d (Kato's definition). */
  lateRelapseDays: 180,
  /** Relapse → SCT2: gamma (Erlang) shape 4, scale 24.5 d (median ≈ 90 d, 1st–99th centile ≈ 31–246 d). */
  relapseToSct2Shape: 4,
  relapseToSct2ScaleDays: 24.5,
  /** Year of SCT2: 1990 + 19·U^0.7 (continuous); reported as the calendar year (floor). */
  yearStart: 1990,
  yearSpan: 19,
  yearPower: 0.7,
  /** P(CR at SCT2 | late relapse), P(CR at SCT2 | early relapse). */
  pCrLate: 0.7,
  pCrEarly: 0.33,
  /** P(MAC | late), P(MAC | early). */
  pMacLate: 0.8,
  pMacEarly: 0.48,
  /** P(TBI | MAC), P(TBI | RIC): 0.55 of MAC, 40% overall. */
  pTbiMac: 0.55,
  pTbiRic: 0.15,
  /** SCT2 donor/source: related / unrelated BM / unrelated cord blood; related grafts BM or PB. */
  donorSct2: {levels: ["related", "unrelated BM", "unrelated CB"], p: [0.4, 0.25, 0.35]},
  pRelatedPb: 0.4,
  /** P(same donor as SCT1) given the SCT2 donor: related, unrelated BM, cord blood (≈ 0.25 overall). */
  pSameDonor: [0.5, 0.2, 0],
  /** SCT1 donor/source when not the same donor: related BM / unrelated BM / unrelated CB / related PB. */
  sourceSct1: {levels: ["related BM", "unrelated BM", "unrelated CB", "related PB"], p: [0.4, 0.35, 0.2, 0.05]},
  /** Acute GVHD grade II–IV: onset lognormal median 21 d, sdlog 0.679 (IQR ≈ 14–35 d); occurs w.p. 0.35 if
   * the patient is alive and event-free at onset; grade II / III / IV w.p. 2/3, 2/9, 1/9. No effect on any hazard. */
  pAgvhd: 0.35,
  agvhdMedianDays: 21,
  agvhdSdLog: 0.679,
  agvhdGradeP: [2 / 3, 2 / 9, 1 / 9],
  /** Refractory / never in CR after SCT2 (event 3): only if not in CR at SCT2, w.p. 0.22, at Uniform(21, 60) d. */
  pRefractory: 0.22,
  refractoryMinDays: 21,
  refractoryMaxDays: 60,
  /** Death after the refractory event: exponential, mean 75 d. */
  refractoryDeathMeanDays: 75,
  /** Piecewise-constant baseline hazards per month on [0,3), [3,6), [6,12), [12,24), [24,∞) months. */
  breaksMonths: [3, 6, 12, 24],
  relapseHazard: [0.8 * 0.037, 1.0 * 0.037, 0.5 * 0.037, 0.12 * 0.037, 0.01 * 0.037],
  nrmHazard: [1.0 * 0.025, 0.5 * 0.025, 0.2 * 0.025, 0.07 * 0.025, 0.015 * 0.025],
  /** Cause-specific hazard ratios (relapse, NRM) for age > 9, early relapse, not in CR, RIC. */
  hrRelapse: {ageOver9: 1.8, early: 2.4, nonCr: 1.1, ric: 1.25},
  hrNrm: {ageOver9: 2.0, early: 1.6, nonCr: 1.1, ric: 1.1},
  /** Death after relapse: long-term survivor w.p. 0.02, else exponential with mean 120 d. */
  pLongTermAfterRelapse: 0.02,
  relapseDeathMeanDays: 120,
  /** Administrative censoring at the data cut-off mid-2010; loss to follow-up hazard 0.04 per year. */
  cutoffYear: 2010.5,
  lossHazardPerYear: 0.04
} as const;

/** One column of the cohort: its name, what it holds, codes and unit (the data dictionary). */
export interface CohortColumn {
  name: string;
  type: "string" | "integer" | "number" | "code";
  description: string;
  /** Allowed values for coded columns, with their meaning. */
  codes?: [string | number, string][];
  unit?: string;
}

/** The columns of data/kato2012-synthetic.csv, in file order. */
export const KATO2012_COLUMNS: readonly CohortColumn[] = [
  {name: "id", type: "string", description: "patient identifier, K001 … (zero-padded to at least 3 digits)"},
  {name: "age", type: "number", unit: "years, 1 decimal", description: "age at the second SCT; Kato's factor 'age ≤ 9' is age ≤ 9.0"},
  {name: "sex", type: "code", description: "sex", codes: [["M", "male"], ["F", "female"]]},
  {name: "immunophenotype", type: "code", description: "immunophenotype of the ALL", codes: [["B", "B-precursor"], ["T", "T-lineage"], ["other", "other / unknown"]]},
  {name: "ph_positive", type: "code", description: "Philadelphia chromosome", codes: [[1, "positive"], [0, "negative"]]},
  {name: "status_sct1", type: "code", description: "disease status at the first SCT", codes: [["CR1", "first CR"], ["CR2", "second CR"], ["advanced", "third or later CR, or not in CR"]]},
  {name: "donor_sct1", type: "code", description: "donor of the first SCT", codes: [["related", "related (incl. mismatched/haplo)"], ["unrelated", "unrelated"]]},
  {name: "source_sct1", type: "code", description: "stem-cell source of the first SCT", codes: [["BM", "bone marrow"], ["PB", "peripheral blood"], ["CB", "cord blood"]]},
  {name: "interval_days", type: "integer", unit: "days", description: "first SCT → relapse; Kato's 'late relapse' is interval_days ≥ 180"},
  {name: "relapse_to_sct2_days", type: "integer", unit: "days", description: "relapse → second SCT"},
  {name: "year_sct2", type: "integer", unit: "calendar year", description: "year of the second SCT (1990–2008); data cut-off mid-2010"},
  {name: "status_sct2", type: "code", description: "disease status at the second SCT", codes: [["CR", "complete remission"], ["non-CR", "not in remission"]]},
  {name: "donor_sct2", type: "code", description: "donor of the second SCT", codes: [["related", "related (incl. mismatched/haplo)"], ["unrelated", "unrelated"]]},
  {name: "source_sct2", type: "code", description: "stem-cell source of the second SCT", codes: [["BM", "bone marrow"], ["PB", "peripheral blood"], ["CB", "cord blood"]]},
  {name: "same_donor", type: "code", description: "same donor as the first SCT", codes: [[1, "yes"], [0, "no"]]},
  {name: "conditioning", type: "code", description: "conditioning of the second SCT", codes: [["MAC", "myeloablative"], ["RIC", "reduced intensity"]]},
  {name: "tbi", type: "code", description: "total-body irradiation in the second SCT's conditioning", codes: [[1, "yes"], [0, "no"]]},
  {name: "agvhd_grade", type: "code", description: "maximum grade of acute GVHD after the second SCT, recorded only when it began before the first event", codes: [[0, "none, or grade I"], [2, "grade II"], [3, "grade III"], [4, "grade IV"]]},
  {name: "agvhd_days", type: "integer", unit: "days after SCT2", description: "onset of acute GVHD grade II–IV; empty when agvhd_grade is 0; always < event_days (a time-dependent covariate)"},
  {name: "event_days", type: "integer", unit: "days after SCT2", description: "time to the first event or censoring"},
  {name: "event", type: "code", description: "first event after the second SCT (competing risks)", codes: [[0, "censored, alive in remission"], [1, "relapse"], [2, "non-relapse death (NRM)"], [3, "refractory: never in CR after SCT2"]]},
  {name: "os_days", type: "integer", unit: "days after SCT2", description: "time to death or last follow-up; ≥ event_days"},
  {name: "os_status", type: "code", description: "vital status at os_days", codes: [[0, "alive (censored)"], [1, "dead"]]}
];

/** Levels of the coded text columns; the cohort stores each as a Uint8Array of indices into these. */
export const KATO2012_LEVELS = {
  sex: ["M", "F"],
  immunophenotype: ["B", "T", "other"],
  status_sct1: ["CR1", "CR2", "advanced"],
  donor_sct1: ["related", "unrelated"],
  source_sct1: ["BM", "PB", "CB"],
  status_sct2: ["CR", "non-CR"],
  donor_sct2: ["related", "unrelated"],
  source_sct2: ["BM", "PB", "CB"],
  conditioning: ["MAC", "RIC"]
} as const;

/** Names of the coded text columns. */
export type Kato2012LabelColumn = keyof typeof KATO2012_LEVELS;

/**
 * A generated cohort, column by column (one entry per patient, in id order). Text columns are stored
 * as indices into {@link KATO2012_LEVELS} (decode with {@link cohortLabels}); ids are
 * {@link cohortId}(i, n). Missing agvhd_days are NaN (the engine's missing-value convention).
 */
export interface Kato2012Cohort {
  n: number;
  seed: number;
  age: Float64Array;
  sex: Uint8Array;
  immunophenotype: Uint8Array;
  ph_positive: Uint8Array;
  status_sct1: Uint8Array;
  donor_sct1: Uint8Array;
  source_sct1: Uint8Array;
  interval_days: Int32Array;
  relapse_to_sct2_days: Int32Array;
  year_sct2: Int32Array;
  status_sct2: Uint8Array;
  donor_sct2: Uint8Array;
  source_sct2: Uint8Array;
  same_donor: Uint8Array;
  conditioning: Uint8Array;
  tbi: Uint8Array;
  agvhd_grade: Uint8Array;
  agvhd_days: Float64Array;
  event_days: Int32Array;
  event: Uint8Array;
  os_days: Int32Array;
  os_status: Uint8Array;
}

/** The values of a coded text column as strings, e.g. `cohortLabels(c, "conditioning")` → ["MAC", "RIC", …]. */
export function cohortLabels(c: Kato2012Cohort, column: Kato2012LabelColumn): string[] {
  const levels = KATO2012_LEVELS[column];
  return Array.from(c[column], (k) => levels[k]);
}

/** The patient ids of a cohort, ["K001", …]. */
export function cohortIds(c: Kato2012Cohort): string[] {
  return Array.from({length: c.n}, (_, i) => cohortId(i, c.n));
}

/** Time at which a piecewise-constant cumulative hazard (rates per day, `mult`·rate) reaches `e`. */
function piecewiseExponentialTime(e: number, rates: readonly number[], breaks: readonly number[], mult: number): number {
  let remaining = e / mult;
  let start = 0;
  for (let k = 0; k < rates.length; ++k) {
    const end = k < breaks.length ? breaks[k] : Infinity;
    const h = rates[k];
    if (h * (end - start) >= remaining) return start + remaining / h;
    remaining -= h * (end - start);
    start = end;
  }
  return Infinity;
}

/** Index of the category of a given uniform u under probabilities p (the last category takes the rest). */
function categoryOf(u: number, p: readonly number[]): number {
  let acc = 0;
  for (let k = 0; k < p.length - 1; ++k) if (u < (acc += p[k])) return k;
  return p.length - 1;
}

/** A cohort of n patients with every column allocated and zero-filled. */
function emptyCohort(n: number, seed: number): Kato2012Cohort {
  return {
    n,
    seed,
    age: new Float64Array(n),
    sex: new Uint8Array(n),
    immunophenotype: new Uint8Array(n),
    ph_positive: new Uint8Array(n),
    status_sct1: new Uint8Array(n),
    donor_sct1: new Uint8Array(n),
    source_sct1: new Uint8Array(n),
    interval_days: new Int32Array(n),
    relapse_to_sct2_days: new Int32Array(n),
    year_sct2: new Int32Array(n),
    status_sct2: new Uint8Array(n),
    donor_sct2: new Uint8Array(n),
    source_sct2: new Uint8Array(n),
    same_donor: new Uint8Array(n),
    conditioning: new Uint8Array(n),
    tbi: new Uint8Array(n),
    agvhd_grade: new Uint8Array(n),
    agvhd_days: new Float64Array(n),
    event_days: new Int32Array(n),
    event: new Uint8Array(n),
    os_days: new Int32Array(n),
    os_status: new Uint8Array(n)
  };
}

/** Patient identifier: "K" and the 1-based number zero-padded to max(3, digits of n). */
export function cohortId(i: number, n: number): string {
  return "K" + String(i + 1).padStart(Math.max(3, String(n).length), "0");
}

/**
 * Generate a synthetic cohort from the Kato 2012 model.
 *
 * Deterministic: the same `n` and `seed` give the same cohort on every machine (xoshiro128** seeded
 * by SplitMix32, see ./random.ts). Patients are generated one after another from one stream; each
 * patient consumes a fixed sequence of uniforms (below), except that the SCT1 → relapse interval is
 * redrawn (two more uniforms) while it falls outside [20, 3650] d. So the first k patients of a
 * larger cohort with the same seed equal a cohort of size k (ids aside).
 *
 * Draw order per patient: age group, age band, age; sex; immunophenotype; Ph; status at SCT1;
 * interval (2 per attempt); relapse → SCT2 (4); year; CR at SCT2; MAC; TBI; SCT2 donor; related
 * source; same donor; SCT1 donor/source; aGVHD occurrence, onset (2), grade; refractory occurrence,
 * time; relapse and NRM latent exponentials; long-term survival after relapse, death delay after
 * relapse; death delay after refractory; loss to follow-up.
 *
 * @param n number of patients (positive integer)
 * @param seed any integer (used as an unsigned 32-bit word)
 * @returns the columns of data/kato2012-synthetic.csv; times in whole days after SCT2.
 */
export function generateKato2012Cohort(n: number = KATO2012_N, seed: number = KATO2012_ACCEPTED_SEED): Kato2012Cohort {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`n must be a positive integer, got ${n}`);
  const M = KATO2012_MODEL;
  const rng = new Xoshiro128(seed);
  const breaks = M.breaksMonths.map((m) => m * DAYS_PER_MONTH);
  const relapseRates = M.relapseHazard.map((h) => h / DAYS_PER_MONTH);
  const nrmRates = M.nrmHazard.map((h) => h / DAYS_PER_MONTH);
  const lossRatePerDay = M.lossHazardPerYear / 365.25;
  const c = emptyCohort(n, seed);
  const sct1Related = M.sourceSct1.p[0] / (M.sourceSct1.p[0] + M.sourceSct1.p[3]); // P(BM | related SCT1)

  for (let i = 0; i < n; ++i) {
    // Age at SCT2 (years, one decimal): ≤ 9 ⇔ age ≤ 9.0 on the reported value.
    const le9 = rng.bernoulli(M.pAgeLe9);
    const band = rng.uniform();
    const pos = rng.uniform();
    let age: number;
    if (le9) age = band < M.pAgeBand1to2 ? 1 + pos : 2 + 7 * pos;
    else age = band < M.pAgeOver16GivenOver9 ? 16 + 4 * pos : 9.05 + 6.95 * pos;
    c.age[i] = Math.round(age * 10) / 10;

    c.sex[i] = rng.bernoulli(M.pMale) ? 0 : 1; // M, F
    const phenotype = rng.categorical(M.immunophenotype.p);
    c.immunophenotype[i] = phenotype; // B, T, other
    const ph = rng.bernoulli(M.pPhGivenB);
    c.ph_positive[i] = phenotype === 0 ? ph : 0;
    c.status_sct1[i] = rng.categorical(M.statusSct1.p); // CR1, CR2, advanced

    // SCT1 → relapse, truncated lognormal.
    let interval: number;
    do interval = M.intervalMedianDays * Math.exp(M.intervalSdLog * rng.normal());
    while (interval < M.intervalMinDays || interval > M.intervalMaxDays);
    const intervalDays = Math.round(interval);
    c.interval_days[i] = intervalDays;
    const late = intervalDays >= M.lateRelapseDays;

    c.relapse_to_sct2_days[i] = Math.max(1, Math.round(rng.erlang(M.relapseToSct2Shape, M.relapseToSct2ScaleDays)));
    const year = M.yearStart + M.yearSpan * Math.pow(rng.uniform(), M.yearPower);
    c.year_sct2[i] = Math.floor(year);

    const cr = rng.bernoulli(late ? M.pCrLate : M.pCrEarly);
    c.status_sct2[i] = cr ? 0 : 1; // CR, non-CR
    const mac = rng.bernoulli(late ? M.pMacLate : M.pMacEarly);
    c.conditioning[i] = mac ? 0 : 1; // MAC, RIC
    c.tbi[i] = rng.bernoulli(mac ? M.pTbiMac : M.pTbiRic);

    // Donors and sources.
    const donor2 = rng.categorical(M.donorSct2.p);
    const relatedPb = rng.bernoulli(M.pRelatedPb);
    // donor: 0 related, 1 unrelated; source: 0 BM, 1 PB, 2 CB
    c.donor_sct2[i] = donor2 === 0 ? 0 : 1;
    c.source_sct2[i] = donor2 === 0 ? relatedPb : donor2 === 1 ? 0 : 2;
    const same = rng.bernoulli(M.pSameDonor[donor2]);
    c.same_donor[i] = same;
    const u1 = rng.uniform();
    if (same) {
      c.donor_sct1[i] = c.donor_sct2[i];
      c.source_sct1[i] = donor2 === 0 && u1 >= sct1Related ? 1 : 0;
    } else {
      const k = categoryOf(u1, M.sourceSct1.p);
      // related BM, unrelated BM, unrelated CB, related PB
      c.donor_sct1[i] = k === 0 || k === 3 ? 0 : 1;
      c.source_sct1[i] = k === 2 ? 2 : k === 3 ? 1 : 0;
    }

    // Acute GVHD (no effect on any hazard).
    const agvhdOccurs = rng.bernoulli(M.pAgvhd);
    const agvhdOnset = M.agvhdMedianDays * Math.exp(M.agvhdSdLog * rng.normal());
    const grade = 2 + rng.categorical(M.agvhdGradeP);

    // Competing first events: refractory (non-CR only), relapse, NRM.
    const refractory = rng.bernoulli(M.pRefractory);
    const refractoryTime = rng.uniformOn(M.refractoryMinDays, M.refractoryMaxDays);
    const xAge = le9 ? 0 : 1;
    const xEarly = late ? 0 : 1;
    const xNonCr = cr ? 0 : 1;
    const xRic = mac ? 0 : 1;
    const h1 = M.hrRelapse;
    const h2 = M.hrNrm;
    const mult1 = (xAge ? h1.ageOver9 : 1) * (xEarly ? h1.early : 1) * (xNonCr ? h1.nonCr : 1) * (xRic ? h1.ric : 1);
    const mult2 = (xAge ? h2.ageOver9 : 1) * (xEarly ? h2.early : 1) * (xNonCr ? h2.nonCr : 1) * (xRic ? h2.ric : 1);
    const tRelapse = piecewiseExponentialTime(-Math.log(rng.uniform()), relapseRates, breaks, mult1);
    const tNrm = piecewiseExponentialTime(-Math.log(rng.uniform()), nrmRates, breaks, mult2);
    const longTerm = rng.bernoulli(M.pLongTermAfterRelapse);
    const relapseDeathDelay = rng.exponential(M.relapseDeathMeanDays);
    const refractoryDeathDelay = rng.exponential(M.refractoryDeathMeanDays);
    const loss = rng.exponential(1 / lossRatePerDay);

    let t1 = Infinity;
    let cause = 0;
    if (!cr && refractory) (t1 = refractoryTime), (cause = 3);
    if (tRelapse < t1) (t1 = tRelapse), (cause = 1);
    if (tNrm < t1) (t1 = tNrm), (cause = 2);
    const censor = Math.min((M.cutoffYear - year) * 365.25, loss);

    let eventDays: number;
    let death = Infinity;
    if (t1 > censor) {
      cause = 0;
      eventDays = Math.ceil(censor);
    } else {
      eventDays = Math.ceil(t1);
      death = cause === 2 ? t1 : cause === 3 ? t1 + refractoryDeathDelay : longTerm ? Infinity : t1 + relapseDeathDelay;
    }
    c.event_days[i] = eventDays;
    c.event[i] = cause;
    if (death <= censor) (c.os_days[i] = Math.ceil(death)), (c.os_status[i] = 1);
    else (c.os_days[i] = Math.ceil(censor)), (c.os_status[i] = 0);

    const onsetDays = Math.ceil(agvhdOnset);
    if (agvhdOccurs && onsetDays < eventDays) (c.agvhd_grade[i] = grade), (c.agvhd_days[i] = onsetDays);
    else (c.agvhd_grade[i] = 0), (c.agvhd_days[i] = NaN);
  }
  return c;
}

/** The CSV header line of the cohort file (no line terminator). */
export function cohortCsvHeader(): string {
  return KATO2012_COLUMNS.map((col) => col.name).join(",");
}

const encoder = new TextEncoder();
const LEVEL_BYTES = Object.fromEntries(
  Object.entries(KATO2012_LEVELS).map(([name, levels]) => [name, levels.map((l) => encoder.encode(l))])
) as Record<Kato2012LabelColumn, Uint8Array[]>;

/**
 * CSV bytes (ASCII) of rows [start, end) of the cohort, each line ending in "\n": comma-separated, no
 * quoting (no value contains a comma, quote or newline), age with one decimal, agvhd_days empty when
 * missing. Written byte by byte rather than by string concatenation so that a million rows take a
 * fraction of a second.
 */
export function cohortCsvBytes(c: Kato2012Cohort, start = 0, end = c.n): Uint8Array {
  const w = new ByteWriter((end - start) * 128);
  const L = LEVEL_BYTES;
  const width = Math.max(3, String(c.n).length);
  for (let i = start; i < end; ++i) {
    w.reserve(160);
    w.id(i + 1, width);
    const tenths = Math.round(c.age[i] * 10);
    w.int((tenths - (tenths % 10)) / 10, 46);
    w.int(tenths % 10, COMMA);
    w.bytes(L.sex[c.sex[i]]);
    w.bytes(L.immunophenotype[c.immunophenotype[i]]);
    w.int(c.ph_positive[i], COMMA);
    w.bytes(L.status_sct1[c.status_sct1[i]]);
    w.bytes(L.donor_sct1[c.donor_sct1[i]]);
    w.bytes(L.source_sct1[c.source_sct1[i]]);
    w.int(c.interval_days[i], COMMA);
    w.int(c.relapse_to_sct2_days[i], COMMA);
    w.int(c.year_sct2[i], COMMA);
    w.bytes(L.status_sct2[c.status_sct2[i]]);
    w.bytes(L.donor_sct2[c.donor_sct2[i]]);
    w.bytes(L.source_sct2[c.source_sct2[i]]);
    w.int(c.same_donor[i], COMMA);
    w.bytes(L.conditioning[c.conditioning[i]]);
    w.int(c.tbi[i], COMMA);
    w.int(c.agvhd_grade[i], COMMA);
    const onset = c.agvhd_days[i];
    if (Number.isNaN(onset)) w.byte(COMMA);
    else w.int(onset, COMMA);
    w.int(c.event_days[i], COMMA);
    w.int(c.event[i], COMMA);
    w.int(c.os_days[i], COMMA);
    w.int(c.os_status[i], 10);
  }
  return w.result();
}

const COMMA = 44;

/** Appends ASCII bytes to a growing buffer (callers reserve room for a row first). */
class ByteWriter {
  buf: Uint8Array;
  p = 0;
  private digits = new Uint8Array(16);
  constructor(capacity: number) {
    this.buf = new Uint8Array(Math.max(256, capacity));
  }
  reserve(k: number): void {
    if (this.p + k <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.p + k));
    next.set(this.buf.subarray(0, this.p));
    this.buf = next;
  }
  byte(b: number): void {
    this.buf[this.p++] = b;
  }
  /** A label's bytes and a comma. */
  bytes(b: Uint8Array): void {
    const buf = this.buf;
    let p = this.p;
    for (let k = 0; k < b.length; ++k) buf[p++] = b[k];
    buf[p++] = COMMA;
    this.p = p;
  }
  /** A non-negative integer in decimal and a separator. */
  int(v: number, sep: number): void {
    const buf = this.buf;
    const digits = this.digits;
    let p = this.p;
    let k = 0;
    do {
      const r = v % 10;
      digits[k++] = 48 + r;
      v = (v - r) / 10;
    } while (v > 0);
    while (k > 0) buf[p++] = digits[--k];
    buf[p++] = sep;
    this.p = p;
  }
  /** "K" and the number zero-padded to `width` digits, and a comma. */
  id(number: number, width: number): void {
    const buf = this.buf;
    let p = this.p;
    buf[p++] = 75;
    let digits = 1;
    for (let x = number; x >= 10; x = (x - (x % 10)) / 10) ++digits;
    for (let k = digits; k < width; ++k) buf[p++] = 48;
    this.p = p;
    this.int(number, COMMA);
  }
  result(): Uint8Array {
    return this.buf.slice(0, this.p);
  }
}

/** CSV text of rows [start, end) of the cohort (see {@link cohortCsvBytes}). */
export function cohortCsvRows(c: Kato2012Cohort, start = 0, end = c.n): string {
  return new TextDecoder().decode(cohortCsvBytes(c, start, end));
}

/** The whole cohort as CSV text (header and rows, "\n" line endings), as written to data/. */
export function cohortToCsv(c: Kato2012Cohort): string {
  return cohortCsvHeader() + "\n" + cohortCsvRows(c);
}

/**
 * Read the text of a cohort file written by {@link cohortToCsv} back into a cohort, checking it
 * strictly against {@link KATO2012_COLUMNS}: the header, the number of fields, integer and code
 * values, and the cross-column rules (agvhd_days present ⇔ agvhd_grade > 0, 0 ≤ agvhd_days <
 * event_days ≤ os_days, death at event_days for NRM). This is not a general CSV reader (that is the
 * data layer's job, src/cohort/): it only accepts this generator's own format, and throws an Error
 * naming the line, the column and the value otherwise.
 */
export function parseKato2012Csv(text: string, seed = NaN): Kato2012Cohort {
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  const header = cohortCsvHeader();
  if (lines[0] !== header) throw new Error(`line 1: header ${JSON.stringify(lines[0])} is not ${JSON.stringify(header)}`);
  const n = lines.length - 1;
  const c = emptyCohort(n, seed);
  const levelIndex = Object.fromEntries(
    Object.entries(KATO2012_LEVELS).map(([name, levels]) => [name, new Map(levels.map((l, k) => [l as string, k]))])
  ) as Record<Kato2012LabelColumn, Map<string, number>>;
  for (let i = 0; i < n; ++i) {
    const line = i + 2;
    const f = lines[i + 1].split(",");
    if (f.length !== KATO2012_COLUMNS.length) throw new Error(`line ${line}: ${f.length} fields, expected ${KATO2012_COLUMNS.length}`);
    const bad = (j: number, why: string): never => {
      throw new Error(`line ${line}, column ${KATO2012_COLUMNS[j].name}: ${JSON.stringify(f[j])} (${why})`);
    };
    const int = (j: number, min = 0, max = Number.MAX_SAFE_INTEGER) => {
      if (!/^\d+$/.test(f[j])) bad(j, "expected a non-negative integer");
      const v = Number(f[j]);
      if (v < min || v > max) bad(j, `expected ${min}–${max}`);
      return v;
    };
    const code = (j: number, name: Kato2012LabelColumn) => levelIndex[name].get(f[j]) ?? bad(j, `expected one of ${KATO2012_LEVELS[name].join(", ")}`);
    if (f[0] !== cohortId(i, n)) bad(0, `expected ${cohortId(i, n)}`);
    if (!/^\d+\.\d$/.test(f[1])) bad(1, "expected years with one decimal");
    c.age[i] = Number(f[1]);
    c.sex[i] = code(2, "sex");
    c.immunophenotype[i] = code(3, "immunophenotype");
    c.ph_positive[i] = int(4, 0, 1);
    c.status_sct1[i] = code(5, "status_sct1");
    c.donor_sct1[i] = code(6, "donor_sct1");
    c.source_sct1[i] = code(7, "source_sct1");
    c.interval_days[i] = int(8, 1);
    c.relapse_to_sct2_days[i] = int(9, 1);
    c.year_sct2[i] = int(10, 1900, 2100);
    c.status_sct2[i] = code(11, "status_sct2");
    c.donor_sct2[i] = code(12, "donor_sct2");
    c.source_sct2[i] = code(13, "source_sct2");
    c.same_donor[i] = int(14, 0, 1);
    c.conditioning[i] = code(15, "conditioning");
    c.tbi[i] = int(16, 0, 1);
    const grade = int(17, 0, 4);
    if (grade === 1) bad(17, "grade I is not recorded (0 = none or grade I)");
    c.agvhd_grade[i] = grade;
    c.event_days[i] = int(19, 1);
    c.event[i] = int(20, 0, 3);
    c.os_days[i] = int(21, 1);
    c.os_status[i] = int(22, 0, 1);
    if (grade === 0) {
      if (f[18] !== "") bad(18, "must be empty when agvhd_grade is 0");
      c.agvhd_days[i] = NaN;
    } else {
      c.agvhd_days[i] = int(18, 0);
      if (!(c.agvhd_days[i] < c.event_days[i])) bad(18, `must be < event_days ${c.event_days[i]}`);
    }
    if (c.os_days[i] < c.event_days[i]) bad(21, `must be ≥ event_days ${c.event_days[i]}`);
    if (c.event[i] === 2 && !(c.os_status[i] === 1 && c.os_days[i] === c.event_days[i]))
      bad(21, "a non-relapse death must have os_status 1 and os_days = event_days");
    if (c.event[i] === 0 && !(c.os_status[i] === 0 && c.os_days[i] === c.event_days[i]))
      bad(22, "a patient censored alive in remission must have os_status 0 and os_days = event_days");
  }
  return c;
}
