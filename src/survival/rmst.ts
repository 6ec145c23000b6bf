import type {KaplanMeierFit} from "./kaplanMeier.js";

export interface RestrictedMean {
  level: string | null;
  /** Restricted mean survival time: the area under S(t) from 0 to tau (time units). */
  rmean: number;
  /** Its standard error (time units). */
  stdErr: number;
}

/**
 * Restricted mean survival time (area under the Kaplan–Meier curve up to `tau`) with its standard
 * error, as R's `print(survfit(...), rmean = tau)` (survival 3.5-3's internal `survmean`): the curve
 * is extended flat beyond its last time, and the variance is
 * Σ_{event times t_k ≤ tau} A(t_k, tau)² · d_k / (n_k (n_k − d_k)),
 * where A(t_k, tau) is the area under S between t_k and tau and a term with n_k = d_k counts 0
 * (R's rule). Weighted counts are used as given. Unlike R, a `tau` before the first time is not
 * an error: the result is tau with SE 0.
 *
 * @param tau the horizon, finite and ≥ 0, in the data's time units
 */
export function rmst(fit: KaplanMeierFit, tau: number): {tau: number; strata: RestrictedMean[]} {
  if (typeof tau !== "number" || !Number.isFinite(tau) || tau < 0)
    throw new RangeError(`tau: ${String(tau)} (the restricted-mean horizon must be a finite number ≥ 0)`);
  const strata = fit.strata.map((s) => {
    const {time, surv, nRisk, nEvent} = s;
    let K = 0; // rows with time ≤ tau
    while (K < time.length && time[K] <= tau) ++K;
    // rectangles: rect[0] = t_1 · 1, rect[i] = (t_{i+1} − t_i) · S(t_i), rect[K] = (tau − t_K) · S(t_K)
    const rect = new Float64Array(K + 1);
    let prevTime = 0;
    let prevSurv = 1;
    for (let i = 0; i < K; ++i) {
      rect[i] = (time[i] - prevTime) * prevSurv;
      prevTime = time[i];
      prevSurv = surv[i];
    }
    rect[K] = (tau - prevTime) * prevSurv;
    let rmean = 0;
    for (let i = 0; i <= K; ++i) rmean += rect[i];
    let variance = 0;
    let tail = 0; // area from t_k to tau
    for (let k = K - 1; k >= 0; --k) {
      tail += rect[k + 1];
      const d = nEvent[k];
      const r = nRisk[k];
      const h = r - d === 0 ? 0 : d / (r * (r - d));
      variance += tail * tail * h;
    }
    return {level: s.level, rmean, stdErr: Math.sqrt(variance)};
  });
  return {tau, strata};
}
