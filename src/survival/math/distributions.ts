import {gammaP, gammaQ} from "./gamma.js";

/**
 * Upper tail of the chi-squared distribution, P(X > x) for X ~ χ²(df), as R's
 * `pchisq(x, df, lower.tail = FALSE)`. Computed directly as Q(df/2, x/2), never as 1 − cdf.
 * Returns NaN for df ≤ 0 or a non-finite/negative statistic other than +∞.
 */
export function chiSquaredUpper(x: number, df: number): number {
  if (!(df > 0) || Number.isNaN(x)) return NaN;
  if (x <= 0) return 1;
  return gammaQ(df / 2, x / 2);
}

/** Lower tail of the standard normal distribution, R's `pnorm(z)`. */
export function normalCdf(z: number): number {
  if (Number.isNaN(z)) return NaN;
  if (z === 0) return 0.5;
  // Φ(z) = ½ Q(½, z²/2) for z < 0 and 1 − that for z > 0; the tail is computed directly.
  const tail = 0.5 * gammaQ(0.5, (z * z) / 2);
  return z < 0 ? tail : 1 - tail;
}

/** Upper tail of the standard normal distribution, R's `pnorm(z, lower.tail = FALSE)`. */
export function normalUpper(z: number): number {
  return normalCdf(-z);
}

/** Two-sided normal p-value 2·P(Z > |z|), as R's coxph summary prints. */
export function normalTwoSided(z: number): number {
  if (Number.isNaN(z)) return NaN;
  const a = Math.abs(z);
  return a === 0 ? 1 : gammaQ(0.5, (a * a) / 2);
}

/** Standard normal density. */
export function normalPdf(z: number): number {
  return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
}

/**
 * Standard normal quantile, R's `qnorm(p)`. A rational starting value (Acklam's approximation,
 * relative error 1.15e-9) is refined by Halley steps on the accurate cdf above, so that
 * `normalQuantile(0.975)` = 1.959963984540054 as in R.
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  let x: number;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p <= 1 - low) {
    const q = p - 0.5;
    const r = q * q;
    x = ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
      (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  for (let i = 0; i < 4; ++i) {
    // Φ(x) − p, evaluated in the smaller tail to keep relative accuracy
    const err = x < 0 ? normalCdf(x) - p : 1 - p - normalCdf(-x);
    const u = err * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
    const step = u / (1 + (x * u) / 2); // Halley
    x -= step;
    if (Math.abs(step) <= 1e-16 * Math.max(1, Math.abs(x))) break;
  }
  return x;
}

export {gammaP, gammaQ};
