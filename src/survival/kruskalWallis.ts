import {chiSquaredUpper} from "./math/distributions.js";
import {midRanks} from "./math/midRanks.js";

export interface KruskalWallis {
  statistic: number | null;
  df: number;
  p: number | null;
  n: number;
  reason: string | null;
}

/**
 * Kruskal–Wallis rank-sum test, as R's `kruskal.test(x, g)`: mid-ranks for ties, the statistic
 * divided by the tie correction 1 − Σ(t³ − t)/(n³ − n), chi-squared on (groups − 1) df. NaN values
 * and empty groups are left out. For two groups this is the Wilcoxon rank-sum test without
 * continuity correction (normal approximation).
 */
export function kruskalWallis(values: ArrayLike<number>, groups: ArrayLike<number>): KruskalWallis {
  const idx: number[] = [];
  for (let i = 0; i < values.length; ++i) if (!Number.isNaN(values[i]) && groups[i] >= 0) idx.push(i);
  const n = idx.length;
  const {order, rank: ranks, tieSum} = midRanks(idx.map((i) => values[i]));
  const sums = new Map<number, {r: number; n: number}>();
  for (let k = 0; k < n; ++k) {
    const g = groups[idx[order[k]]];
    const s = sums.get(g) ?? {r: 0, n: 0};
    s.r += ranks[k];
    s.n += 1;
    sums.set(g, s);
  }
  const k = sums.size;
  if (k < 2) return {statistic: null, df: 0, p: null, n, reason: "fewer than 2 groups with values"};
  let h = 0;
  for (const {r, n: m} of sums.values()) h += (r * r) / m;
  h = (12 / (n * (n + 1))) * h - 3 * (n + 1);
  const correction = 1 - tieSum / (n * n * n - n);
  if (!(correction > 0)) return {statistic: null, df: k - 1, p: null, n, reason: "all values are tied"};
  h /= correction;
  return {statistic: h, df: k - 1, p: chiSquaredUpper(h, k - 1), n, reason: null};
}
