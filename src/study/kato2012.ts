/**
 * What Kato et al. published (Bone Marrow Transplant 2012;47:1307–1311, abstract) and how this
 * notebook maps the study onto cohort columns. The figures here are the PAPER'S, shown beside the
 * estimates the engine computes from the loaded cohort — never used in place of them.
 */

export const CITATION =
  'Kato et al. "Second allogeneic hematopoietic SCT for relapsed ALL in children." Bone Marrow Transplant 2012;47:1307–1311.';

/** Headline figures of the abstract (percent ± SE, at 2 years). */
export const PAPER_FIGURES = {
  n: 171,
  os2y: {estimate: 29.4, se: 3.7, label: "Overall survival at 2 years"},
  cir2y: {estimate: 44.1, se: 4.0, label: "Cumulative incidence of relapse at 2 years"},
  nrm2y: {estimate: 18.8, se: 3.5, label: "Non-relapse mortality at 2 years"},
  relapseTiming: {afterSecond: 117, afterFirst: 164, p: 0.04, label: "Median days to relapse, after the second vs the first SCT"}
} as const;

/** Direction of each univariate factor as the abstract reports it. */
export const PAPER_FACTORS = [
  {factor: "age_le9", label: "Age ≤ 9 years", favourable: "yes", univariate: "favourable", multivariable: "significant"},
  {factor: "late_relapse", label: "Relapse ≥ 180 days after first SCT", favourable: "yes", univariate: "favourable", multivariable: "significant"},
  {factor: "status_sct2", label: "CR at second SCT", favourable: "CR", univariate: "favourable", multivariable: "not retained"},
  {factor: "conditioning", label: "Myeloablative conditioning", favourable: "MAC", univariate: "favourable", multivariable: "not retained"},
  {factor: "agvhd", label: "Acute GVHD", favourable: null, univariate: "no association", multivariable: "—"},
  {factor: "donor_sct2", label: "Donor type", favourable: null, univariate: "no association", multivariable: "—"}
] as const;

/** Days per month and year used for display ticks (Julian year / 12). */
export const DAYS_PER_YEAR = 365.25;
export const DAYS_PER_MONTH = 365.25 / 12;

/** The two-year horizon of the paper's headline figures, in days. */
export const HORIZON_2Y = 2 * DAYS_PER_YEAR;

/** Event codes of the cohort's `event` column (first event after the second SCT). */
export const EVENT_CODES = {censored: 0, relapse: 1, nrm: 2, refractory: 3} as const;
export const CAUSE_LABELS: Record<number, string> = {1: "Relapse", 2: "Non-relapse mortality", 3: "Refractory / never in CR"};
