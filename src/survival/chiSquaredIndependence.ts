import {chiSquaredUpper} from "./math/distributions.js";

export interface ChiSquaredIndependence {
  /** Pearson's X² statistic. */
  statistic: number | null;
  df: number;
  p: number | null;
  /** Expected counts under independence (rows × columns, only non-empty rows/columns kept). */
  expected: number[][];
  /** True when any expected count is below 5 (R warns "Chi-squared approximation may be incorrect"). */
  smallExpected: boolean;
  /** Why no test was possible, when statistic is null. */
  reason: string | null;
}

/**
 * Pearson's chi-squared test of independence on an r × c table of counts, as R's
 * `chisq.test(table, correct = FALSE)`. Rows and columns whose total is zero are dropped first (a
 * level absent from the current selection carries no information). With fewer than two non-empty
 * rows or columns there is no test: statistic and p are null with a reason.
 */
export function chiSquaredIndependence(counts: readonly (readonly number[])[]): ChiSquaredIndependence {
  const rowSums = counts.map((r) => r.reduce((a, b) => a + b, 0));
  const nCol = counts.length ? counts[0].length : 0;
  const colSums = Array.from({length: nCol}, (_, j) => counts.reduce((a, r) => a + r[j], 0));
  const rows = counts.map((_, i) => i).filter((i) => rowSums[i] > 0);
  const cols = colSums.map((_, j) => j).filter((j) => colSums[j] > 0);
  const total = rows.reduce((a, i) => a + rowSums[i], 0);
  const expected = rows.map((i) => cols.map((j) => (rowSums[i] * colSums[j]) / total));
  if (rows.length < 2 || cols.length < 2) {
    return {statistic: null, df: 0, p: null, expected, smallExpected: false, reason: rows.length < 2 ? "fewer than 2 non-empty rows" : "fewer than 2 non-empty columns"};
  }
  let x2 = 0;
  let small = false;
  rows.forEach((i, a) =>
    cols.forEach((j, b) => {
      const e = expected[a][b];
      if (e < 5) small = true;
      x2 += (counts[i][j] - e) ** 2 / e;
    })
  );
  const df = (rows.length - 1) * (cols.length - 1);
  return {statistic: x2, df, p: chiSquaredUpper(x2, df), expected, smallExpected: small, reason: null};
}
