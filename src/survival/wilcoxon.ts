import {SurvivalInputError} from "./errors.js";
import {normalCdf, normalUpper} from "./math/distributions.js";
import {midRanks} from "./math/midRanks.js";

export type WilcoxonAlternative = "two.sided" | "less" | "greater";

export interface WilcoxonOptions {
  /** Alternative hypothesis for the location shift of x relative to y (R's `alternative`), default "two.sided". */
  alternative?: WilcoxonAlternative;
  /** Continuity correction of ½ toward zero in the normal approximation (R's `correct`), default true. */
  correct?: boolean;
  /** Hypothesised location shift: x − mu is compared with y (R's `mu`), default 0. */
  mu?: number;
}

export interface WilcoxonResult {
  /** R's W: the rank sum of x − mu in the pooled sample minus nX(nX + 1)/2 (the Mann–Whitney U of x). */
  statistic: number;
  /** Standardised statistic (W − nX·nY/2 − correction) / σ; null when σ = 0 (all values tied). */
  z: number | null;
  /** p-value for `alternative` from the normal approximation; null when σ = 0 (R gives NaN). */
  p: number | null;
  /** Non-missing values used from x and y. */
  nX: number;
  nY: number;
  /** Values dropped because they were missing (NaN, null, undefined), as R drops NA; ±Infinity is kept and ranked. */
  nDroppedX: number;
  nDroppedY: number;
  /** Median of the non-missing x and y values (R's `median`), for reporting beside the test. */
  medianX: number;
  medianY: number;
  /** True when the pooled sample has tied values (the variance is tie-corrected). */
  ties: boolean;
  alternative: WilcoxonAlternative;
  correct: boolean;
  mu: number;
  method: string;
}

/**
 * Wilcoxon rank-sum (Mann–Whitney) test of two independent samples with the normal approximation,
 * matching R's `wilcox.test(x, y, alternative, mu, exact = FALSE, correct)`: the statistic
 * W = Σ rank(x − mu) − nX(nX + 1)/2 on mid-ranks of the pooled sample, mean nX·nY/2, variance
 * nX·nY/12 · (nX + nY + 1 − Σ(t³ − t)/((nX + nY)(nX + nY − 1))) over tie groups of size t (Hollander &
 * Wolfe, Nonparametric Statistical Methods, §4.1), and, when `correct`, a continuity correction of ½
 * toward the null (two-sided: sign(W − nX·nY/2)·½).
 *
 * Always the normal approximation (R uses the exact distribution by default only for n < 50 without
 * ties). Missing values (NaN, null) are dropped and counted, as R's `x[!is.na(x)]` does; ±Infinity is
 * kept and ranked first or last, as in R.
 *
 * @returns the statistic on R's W scale, z, the p-value (a probability) and the sample sizes.
 * @throws SurvivalInputError when x or y has no non-missing value, or mu is not finite.
 */
export function wilcoxonRankSum(x: ArrayLike<number>, y: ArrayLike<number>, options: WilcoxonOptions = {}): WilcoxonResult {
  const {alternative, correct, mu} = checkedOptions(options);
  const xs = present(x);
  const ys = present(y);
  if (xs.length === 0) throw new SurvivalInputError("x", null, undefined, "needs at least one non-missing value");
  if (ys.length === 0) throw new SurvivalInputError("y", null, undefined, "needs at least one non-missing value");
  const nX = xs.length;
  const nY = ys.length;
  const N = nX + nY;

  // Pooled sample (x − mu, y), sorted once; mid-ranks per tie group.
  const values = new Float64Array(N);
  for (let i = 0; i < nX; ++i) values[i] = xs[i] - mu;
  for (let j = 0; j < nY; ++j) values[nX + j] = ys[j];
  const {order, rank, tieSum} = midRanks(values);
  let rankSumX = 0;
  for (let k = 0; k < N; ++k) if (order[k] < nX) rankSumX += rank[k];
  const statistic = rankSumX - (nX * (nX + 1)) / 2;
  const centred = statistic - (nX * nY) / 2;
  const sigma = Math.sqrt(((nX * nY) / 12) * (N + 1 - tieSum / (N * (N - 1))));
  const {z, p} = normalTest(centred, sigma, alternative, correct);
  return {
    statistic,
    z,
    p,
    nX,
    nY,
    nDroppedX: x.length - nX,
    nDroppedY: y.length - nY,
    medianX: median(xs),
    medianY: median(ys),
    ties: tieSum > 0,
    alternative,
    correct,
    mu,
    method: `Wilcoxon rank sum test${correct ? " with continuity correction" : ""} (normal approximation)`
  };
}

/** The options with R's defaults, checked (a bad one throws, naming it). */
function checkedOptions(options: WilcoxonOptions): Required<WilcoxonOptions> {
  const {alternative = "two.sided", correct = true, mu = 0} = options;
  if (alternative !== "two.sided" && alternative !== "less" && alternative !== "greater")
    throw new SurvivalInputError("alternative", null, alternative, 'must be "two.sided", "less" or "greater"');
  if (typeof mu !== "number" || !Number.isFinite(mu)) throw new SurvivalInputError("mu", null, mu, "must be a finite number");
  return {alternative, correct, mu};
}

/**
 * The normal approximation of a rank statistic centred at its null mean (`centred`) with standard
 * deviation `sigma`: z after the continuity correction of ½ toward the null when `correct`, and the
 * p-value for `alternative`. Both null when sigma is 0 (R gives NaN).
 */
function normalTest(centred: number, sigma: number, alternative: WilcoxonAlternative, correct: boolean): {z: number | null; p: number | null} {
  if (!(sigma > 0)) return {z: null, p: null};
  const correction = !correct ? 0 : alternative === "two.sided" ? Math.sign(centred) * 0.5 : alternative === "greater" ? 0.5 : -0.5;
  const z = (centred - correction) / sigma;
  const p = alternative === "two.sided" ? Math.min(1, 2 * Math.min(normalCdf(z), normalUpper(z))) : alternative === "greater" ? normalUpper(z) : normalCdf(z);
  return {z, p};
}

/** The values that are numbers other than NaN (R's `!is.na`), in order. */
function present(v: ArrayLike<number>): Float64Array {
  let n = 0;
  for (let i = 0; i < v.length; ++i) if (typeof v[i] === "number" && !Number.isNaN(v[i])) ++n;
  const out = new Float64Array(n);
  for (let i = 0, j = 0; i < v.length; ++i) if (typeof v[i] === "number" && !Number.isNaN(v[i])) out[j++] = v[i];
  return out;
}

/** Sample median (the mean of the two middle values when n is even), as R's `median`. */
function median(v: Float64Array): number {
  const s = Float64Array.from(v).sort();
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

/** Result of {@link wilcoxonSignedRank}. */
export interface WilcoxonSignedRankResult {
  /** R's V: the sum of the mid-ranks of |d| over the positive differences d = x − y − mu (zeros left out). */
  statistic: number;
  /** Standardised statistic (V − n(n + 1)/4 − correction) / σ; null when σ = 0 (no non-zero difference). */
  z: number | null;
  /** p-value for `alternative` from the normal approximation; null when σ = 0 (R gives NaN). */
  p: number | null;
  /** Pairs ranked: both values present and the difference not 0. */
  n: number;
  /** Pairs left out because x − y − mu is 0 (as R does in the normal approximation). */
  nZero: number;
  /** Pairs left out because x or y is missing (NaN, null), as R's complete cases; or x − y is undefined (∞ − ∞). */
  nDropped: number;
  /** Median of the differences x − y over the pairs with both values (zeros included), for reporting. */
  medianDifference: number | null;
  /** True when |d| has tied values (the variance is tie-corrected). */
  ties: boolean;
  alternative: WilcoxonAlternative;
  correct: boolean;
  mu: number;
  method: string;
}

/**
 * Wilcoxon signed-rank test of paired samples with the normal approximation, matching R's
 * `wilcox.test(x, y, paired = TRUE, alternative, mu, exact = FALSE, correct)`: on the differences
 * d = x − y − mu of the complete pairs, zeros left out, V = Σ rank(|d|) over d > 0 with mid-ranks,
 * mean n(n + 1)/4 and variance n(n + 1)(2n + 1)/24 − Σ(t³ − t)/48 over tie groups of size t (Hollander &
 * Wolfe, Nonparametric Statistical Methods, §3.1), and, when `correct`, a continuity correction of ½
 * toward the null (two-sided: sign(V − n(n + 1)/4)·½).
 *
 * Always the normal approximation (R uses the exact distribution by default only for n < 50 without ties
 * or zeros). `x[i]` and `y[i]` are one patient's two measurements.
 *
 * @returns V on R's scale, z, the p-value (a probability) and the pairs used, dropped and tied at zero.
 * @throws SurvivalInputError when x and y differ in length, or mu is not finite.
 */
export function wilcoxonSignedRank(x: ArrayLike<number>, y: ArrayLike<number>, options: WilcoxonOptions = {}): WilcoxonSignedRankResult {
  const {alternative, correct, mu} = checkedOptions(options);
  if (x.length !== y.length) throw new SurvivalInputError("y", null, y.length, `has ${y.length} values for ${x.length} in x (paired samples have one pair per subject)`);
  const isValue = (v: unknown): v is number => typeof v === "number" && !Number.isNaN(v);
  const raw: number[] = [];
  const diffs: number[] = [];
  let nZero = 0;
  let nDropped = 0;
  for (let i = 0; i < x.length; ++i) {
    const a = x[i];
    const b = y[i];
    if (!isValue(a) || !isValue(b) || Number.isNaN(a - b)) {
      ++nDropped;
      continue;
    }
    raw.push(a - b);
    const d = a - b - mu;
    if (d === 0) ++nZero;
    else diffs.push(d);
  }
  const n = diffs.length;
  // |d| sorted once; mid-ranks per tie group, summed over the positive differences.
  const {order, rank, tieSum} = midRanks(diffs.map(Math.abs));
  let statistic = 0;
  for (let k = 0; k < n; ++k) if (diffs[order[k]] > 0) statistic += rank[k];
  const centred = statistic - (n * (n + 1)) / 4;
  const sigma = Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24 - tieSum / 48);
  const {z, p} = normalTest(centred, sigma, alternative, correct);
  return {
    statistic,
    z,
    p,
    n,
    nZero,
    nDropped,
    medianDifference: raw.length ? median(Float64Array.from(raw)) : null,
    ties: tieSum > 0,
    alternative,
    correct,
    mu,
    method: `Wilcoxon signed rank test${correct ? " with continuity correction" : ""} (normal approximation)`
  };
}
