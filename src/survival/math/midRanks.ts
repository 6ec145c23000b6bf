// Mid-ranks of a sample (R's `rank(x, ties.method = "average")`) with the tie term Σ(t³ − t) that the rank
// tests' variances correct for: shared by the Wilcoxon rank-sum and signed-rank tests and Kruskal–Wallis.

/** The sample's positions in ascending order, the mid-rank at each sorted position, and Σ(t³ − t) over tie groups. */
export interface MidRanks {
  /** Positions 0 … n − 1 in ascending order of value (equal values in position order). */
  order: Uint32Array;
  /** `rank[k]`: the mid-rank (1-based) of the value at position `order[k]`. */
  rank: Float64Array;
  /** Σ (t³ − t) over groups of t equal values. */
  tieSum: number;
}

/**
 * Mid-ranks of `values` (no NaN: leave missing values out first). ±Infinity rank first or last and tie with
 * each other, as in R.
 */
export function midRanks(values: ArrayLike<number>): MidRanks {
  const n = values.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; ++i) order[i] = i;
  order.sort((a, b) => (values[a] < values[b] ? -1 : values[a] > values[b] ? 1 : a - b));
  const rank = new Float64Array(n);
  let tieSum = 0;
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && values[order[end]] === values[order[start]]) ++end;
    const t = end - start;
    rank.fill((start + 1 + end) / 2, start, end);
    tieSum += t * t * t - t;
    start = end;
  }
  return {order, rank, tieSum};
}
