import type {KaplanMeierFit} from "./kaplanMeier.js";

/** R's default tolerance for quantiles of a survival curve, √ε (`sqrt(.Machine$double.eps)`). */
export const quantileTolerance = Math.sqrt(Number.EPSILON);

/**
 * Quantiles of one step curve, as R survival's `quantile.survfit` (its internal `findq`): the p-th
 * quantile is the first time at which 1 − curve reaches p; where 1 − curve equals p (within
 * `tolerance`) on a flat stretch, it is the midpoint between the start of that stretch and the next
 * time the curve drops — or the last time of the curve when it never drops again. Where 1 − curve
 * does not reach p the quantile is NaN (R's NA). Values NaN in `curve` (R's NA, e.g. a confidence
 * limit where S = 0) are skipped as R's `approx` skips them.
 *
 * Use `curve` = S for the quantile itself, the lower confidence curve for the lower limit and the
 * upper confidence curve for the upper limit (as R does). Times in the units of `time`.
 *
 * @param time the curve's times, ascending (one per step row, as `fit$time`)
 * @param curve the curve's values at those times (probability scale)
 * @param probs probabilities in [0, 1]; `0` gives `firstTime`
 * @param firstTime the curve's start (R's `start.time`, else 0)
 */
export function curveQuantiles(
  time: ArrayLike<number>,
  curve: ArrayLike<number>,
  probs: ArrayLike<number>,
  {firstTime = 0, tolerance = quantileTolerance}: {firstTime?: number; tolerance?: number} = {}
): Float64Array {
  const m = time.length;
  const out = new Float64Array(probs.length).fill(NaN);
  // Points (x, y) with y = 1 − curve: (firstTime, 0) then one per row; keep the first point of each
  // distinct y value (R drops duplicated y, NaN included).
  const xs: number[] = [firstTime];
  const ys: number[] = [0];
  const seen = new Set<number>([0]);
  let maxY = 0;
  let sawNaN = false;
  for (let k = 0; k < m; ++k) {
    const y = 1 - curve[k];
    if (Number.isNaN(y)) {
      if (!sawNaN) (sawNaN = true), xs.push(time[k]), ys.push(NaN);
      continue;
    }
    if (y > maxY) maxY = y;
    if (seen.has(y)) continue;
    seen.add(y);
    xs.push(time[k]);
    ys.push(y);
  }
  let minP = Infinity;
  for (let i = 0; i < probs.length; ++i) {
    const p = probs[i];
    if (!(p >= 0 && p <= 1)) throw new RangeError(`probabilities must be in [0, 1]; got ${p}`);
    if (p < minP) minP = p;
  }
  if (maxY < minP) return out;
  const xmax = m > 0 ? time[m - 1] : firstTime;
  const n = ys.length;
  const lastY = ys[n - 1];
  // R interpolates the index with approx(y ± tol, 1:n, p, "constant", f = 1): the index of the point
  // whose shifted y is the smallest one ≥ p; NaN when p lies outside the shifted values' range.
  const locate = (shift: number, p: number) => {
    let best = -1;
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < n; ++i) {
      const v = ys[i] + shift;
      if (Number.isNaN(v)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
      if (v >= p && (best < 0 || v < ys[best] + shift)) best = i;
    }
    return p < lo || p > hi ? -1 : best;
  };
  for (let i = 0; i < probs.length; ++i) {
    const p = probs[i];
    if (p === 0) {
      out[i] = xs[0];
      continue;
    }
    const i1 = locate(tolerance, p);
    const i2 = locate(-tolerance, p);
    let q = i1 >= 0 && i2 >= 0 ? (xs[i1] + xs[i2]) / 2 : NaN;
    if (!Number.isNaN(lastY) && Math.abs(p - lastY) < tolerance) q = i1 >= 0 ? (xs[i1] + xmax) / 2 : NaN;
    out[i] = q;
  }
  return out;
}

/**
 * The median of one step curve as R's `print.survfit` reports it (survival's internal `survmean`):
 * the first time the curve is below 0.5 + √ε; if the curve is 0.5 there (within √ε) and drops
 * below that value later, the midpoint between the two times. NaN (R's NA) when the curve never
 * gets there. Values NaN in `curve` are skipped. Applied to the lower and upper confidence curves
 * this gives print.survfit's `0.95LCL` and `0.95UCL`.
 *
 * It differs from {@link curveQuantiles} at p = 0.5 in one case: a curve that ends flat at exactly
 * 0.5 has print median = the start of the flat stretch, quantile = midpoint to the last time.
 */
export function printMedian(time: ArrayLike<number>, curve: ArrayLike<number>, tolerance = quantileTolerance): number {
  const m = time.length;
  let first = -1;
  for (let k = 0; k < m; ++k) {
    if (curve[k] < 0.5 + tolerance) {
      first = k;
      break;
    }
  }
  if (first < 0) return NaN;
  const y0 = curve[first];
  if (Math.abs(y0 - 0.5) < tolerance) {
    for (let k = first + 1; k < m; ++k) if (curve[k] < y0) return (time[first] + time[k]) / 2;
  }
  return time[first];
}

/** One stratum's quantiles. Times in the data's units; `null` where R gives NA. */
export interface SurvivalQuantileStratum {
  level: string | null;
  /** Time by which a fraction p has had the event: S(t) = 1 − p. */
  quantile: (number | null)[];
  /** Lower confidence limit (from the lower confidence curve); `null` when `confType` is "none" or not reached. */
  lower: (number | null)[];
  /** Upper confidence limit (from the upper confidence curve); `null` when not reached. */
  upper: (number | null)[];
}

export interface SurvivalQuantiles {
  probs: number[];
  strata: SurvivalQuantileStratum[];
}

/**
 * Quantiles of Kaplan–Meier curves with their confidence limits, as R's
 * `quantile(survfit(...), probs, conf.int = TRUE)` (survival 3.5-3): p is the fraction that has had
 * the event (p = 0.5 gives the median). The limits use the fit's own `confType`/`confLevel`.
 * Results in the units of the time column; `null` where R gives NA (not reached).
 */
export function survivalQuantile(fit: KaplanMeierFit, probs: ArrayLike<number> = [0.25, 0.5, 0.75]): SurvivalQuantiles {
  const p = Array.from(probs);
  const toNull = (a: Float64Array) => Array.from(a, (v) => (Number.isNaN(v) ? null : v));
  const none = () => p.map(() => null);
  return {
    probs: p,
    strata: fit.strata.map((s) => ({
      level: s.level,
      quantile: toNull(curveQuantiles(s.time, s.surv, p)),
      lower: fit.confType === "none" ? none() : toNull(curveQuantiles(s.time, s.lower, p)),
      upper: fit.confType === "none" ? none() : toNull(curveQuantiles(s.time, s.upper, p))
    }))
  };
}
