import {normalQuantile} from "./math/distributions.js";

/**
 * How a pointwise confidence interval for a survival probability is formed (R's `conf.type`):
 * - `"log-log"`: symmetric on log(−log S) — our default; undefined where S is 0 or 1.
 * - `"log"`: symmetric on log S (R's default); upper limit capped at 1; undefined where S = 0.
 * - `"plain"`: symmetric on S, clipped to [0, 1].
 * - `"none"`: no interval.
 */
export type ConfType = "log-log" | "log" | "plain" | "none";

export const confTypes: readonly ConfType[] = ["log-log", "log", "plain", "none"];

export interface ConfidenceOptions {
  /** Interval type, default `"log-log"` (R's default is `"log"`). */
  confType?: ConfType;
  /** Confidence level in (0, 1), default 0.95. */
  confLevel?: number;
}

/** Check a confidence type and level; returns the two-sided normal quantile z = Φ⁻¹(1 − (1 − level)/2). */
export function confidenceZ(confType: unknown, confLevel: unknown): number {
  if (!confTypes.includes(confType as ConfType))
    throw new RangeError(`confType must be one of ${confTypes.map((t) => JSON.stringify(t)).join(", ")}; got ${JSON.stringify(confType)}`);
  if (typeof confLevel !== "number" || !(confLevel > 0 && confLevel < 1))
    throw new RangeError(`confLevel must be a number strictly between 0 and 1; got ${String(confLevel)}`);
  return normalQuantile(1 - (1 - confLevel) / 2);
}

/**
 * Lower and upper limits for one survival probability, as R survival's internal `survfit_confint`
 * with `logse = TRUE` and `conf.lower = "usual"` (what `survfit(..., conf.type, conf.int)` reports).
 *
 * @param surv the survival probability S, on the probability scale [0, 1]
 * @param stdErrLog the standard error of −log S (R's `fit$std.err` for a Kaplan–Meier fit: the
 *   Greenwood standard error on the cumulative-hazard scale)
 * @param z the normal quantile from {@link confidenceZ}
 * @param out receives `[lower, upper]` on the probability scale; NaN where R returns NA/NaN
 *   (S = 0 for "log"/"log-log"/"plain" with infinite SE; S = 1 for "log-log"; every value for "none")
 */
export function survivalLimits(surv: number, stdErrLog: number, confType: ConfType, z: number, out: Float64Array | number[]): void {
  let lower = NaN;
  let upper = NaN;
  if (confType === "plain") {
    const half = stdErrLog * surv * z; // NaN when S = 0 and the SE is infinite, as R
    lower = Math.max(surv - half, 0);
    upper = Math.min(surv + half, 1);
    if (Number.isNaN(half)) lower = upper = NaN;
  } else if (confType === "log") {
    if (surv > 0) {
      const logS = Math.log(surv);
      lower = Math.exp(logS - z * stdErrLog);
      upper = Math.min(Math.exp(logS + z * stdErrLog), 1);
    }
  } else if (confType === "log-log") {
    if (surv > 0 && surv < 1) {
      const logS = Math.log(surv);
      const shift = (z * stdErrLog) / logS;
      const center = Math.log(-logS);
      lower = Math.exp(-Math.exp(center - shift));
      upper = Math.exp(-Math.exp(center + shift));
    }
  }
  out[0] = Number.isFinite(lower) ? lower : NaN;
  out[1] = Number.isFinite(upper) ? upper : NaN;
}

/**
 * Pointwise confidence limits for a survival curve, element by element, as R's
 * `survfit(..., conf.type, conf.int)` `$lower` / `$upper`. Inputs on the probability scale (`surv`)
 * and the log scale (`stdErrLog`, R's `fit$std.err`); outputs on the probability scale, NaN where R
 * gives NA (see {@link survivalLimits}). For `"none"` both outputs are all NaN.
 */
export function survivalConfidenceBands(
  surv: ArrayLike<number>,
  stdErrLog: ArrayLike<number>,
  {confType = "log-log", confLevel = 0.95}: ConfidenceOptions = {}
): {lower: Float64Array; upper: Float64Array} {
  const z = confidenceZ(confType, confLevel);
  const m = surv.length;
  const lower = new Float64Array(m);
  const upper = new Float64Array(m);
  const lim = new Float64Array(2);
  for (let j = 0; j < m; ++j) {
    survivalLimits(surv[j], stdErrLog[j], confType, z, lim);
    lower[j] = lim[0];
    upper[j] = lim[1];
  }
  return {lower, upper};
}

/**
 * One confidence interval for a survival probability S with standard error `stdErrLog` of −log S,
 * as R's `survfit_confint` (see {@link survivalLimits}). Probability scale; `null` where undefined.
 */
export function survivalConfidenceInterval(
  surv: number,
  stdErrLog: number,
  {confType = "log-log", confLevel = 0.95}: ConfidenceOptions = {}
): {lower: number | null; upper: number | null} {
  const z = confidenceZ(confType, confLevel);
  const lim = [NaN, NaN];
  survivalLimits(surv, stdErrLog, confType, z, lim);
  return {lower: Number.isNaN(lim[0]) ? null : lim[0], upper: Number.isNaN(lim[1]) ? null : lim[1]};
}
