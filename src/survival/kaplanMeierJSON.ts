import type {DroppedRows} from "./input.js";
import {kaplanMeierSteps, type KaplanMeierFit, type KaplanMeierStep} from "./kaplanMeier.js";
import {summaryAt} from "./summaryAt.js";

/** The headless runner's `km` output for one curve. */
export interface KaplanMeierStratumJSON {
  level: string | null;
  n: number;
  events: number;
  median: number | null;
  medianLower: number | null;
  medianUpper: number | null;
  at: {time: number; surv: number; stdErr: number | null; lower: number | null; upper: number | null; nRisk: number}[];
  steps: KaplanMeierStep[];
}

/** The headless runner's `km` output: `{"strata": [...], "dropped": {...}}`. */
export interface KaplanMeierJSON {
  strata: KaplanMeierStratumJSON[];
  /** Rows excluded for a missing value, by field. */
  dropped: DroppedRows;
}

/**
 * A Kaplan–Meier fit as plain JSON-safe objects (no typed arrays, no NaN/Infinity: undefined values
 * are `null`): per curve the `print(fit)` summary (n, events, median and its limits), the curve read
 * at `at` as `summary(fit, times = at, extend = TRUE)` (ascending), and every step row.
 * Probability scale; `stdErr` is the standard error of S.
 */
export function kaplanMeierJSON(fit: KaplanMeierFit, {at = []}: {at?: ArrayLike<number>} = {}): KaplanMeierJSON {
  const summary = summaryAt(fit, at);
  return {
    strata: fit.strata.map((s, g) => ({
      level: s.level,
      n: s.n,
      events: s.events,
      median: s.median,
      medianLower: s.medianLower,
      medianUpper: s.medianUpper,
      at: summary.strata[g].at.map(({time, surv, stdErr, lower, upper, nRisk}) => ({time, surv, stdErr, lower, upper, nRisk})),
      steps: kaplanMeierSteps(s)
    })),
    dropped: fit.dropped
  };
}
