/**
 * Small dense symmetric solves for test statistics of the form uᵀ V⁻ u (log-rank, Gray's test).
 * Matrices are square, row-major Float64Arrays of size n·n; n is the number of groups minus one, so
 * these routines favour clarity over blocking.
 */

/**
 * Quadratic form uᵀ V⁻ u for a symmetric positive semi-definite V, via an LDLᵀ factorisation
 * without pivoting. A pivot at or below `toler` times the largest diagonal element marks its column
 * as redundant: that column is dropped, which yields a generalized inverse (as R's `cholesky2` /
 * `chsolve2` do for Cox models). For a positive definite V this equals `sum(solve(V, u) * u)`.
 *
 * @returns the quadratic form and the rank found (number of pivots kept).
 */
export function quadraticFormInverse(v: ArrayLike<number>, u: ArrayLike<number>, n: number, toler = 1e-10): {value: number; rank: number} {
  const a = Float64Array.from(v);
  let maxDiag = 0;
  for (let i = 0; i < n; ++i) maxDiag = Math.max(maxDiag, Math.abs(a[i * n + i]));
  const eps = maxDiag * toler;
  const keep = new Uint8Array(n);
  let rank = 0;
  // In place: a[i][i] holds D_i, a[j][i] (j > i) holds L_ji.
  for (let i = 0; i < n; ++i) {
    const pivot = a[i * n + i];
    if (!(pivot > eps)) {
      // redundant column: zero it so that it takes no part in later pivots
      for (let j = i; j < n; ++j) a[j * n + i] = 0;
      continue;
    }
    keep[i] = 1;
    ++rank;
    for (let j = i + 1; j < n; ++j) {
      const l = a[j * n + i] / pivot;
      a[j * n + i] = l;
      for (let k = i + 1; k <= j; ++k) a[j * n + k] -= l * a[k * n + i] * pivot;
    }
  }
  // uᵀ V⁻ u = Σ_i y_i² / D_i with L y = u (forward substitution over the kept pivots).
  const y = Float64Array.from(u);
  let value = 0;
  for (let i = 0; i < n; ++i) {
    for (let k = 0; k < i; ++k) if (keep[k]) y[i] -= a[i * n + k] * y[k];
    if (keep[i]) value += (y[i] * y[i]) / a[i * n + i];
    else y[i] = 0;
  }
  return {value, rank};
}

/**
 * Numerical rank of an n×n matrix as R's `qr(x)$rank` decides it (LINPACK `dqrdc2` with
 * `tol = 1e-7`): columns are taken left to right, and a column whose norm, after the previous
 * columns are projected out, has fallen below `tol` times its original norm is negligible and is
 * moved to the end. The rank is the number of columns that were not negligible.
 * (Own implementation of the documented rule; residual norms are recomputed exactly at each step.)
 */
export function qrRank(x: ArrayLike<number>, n: number, tol = 1e-7): number {
  // Work column-major on a copy: col[j] is column j.
  const cols: Float64Array[] = [];
  for (let j = 0; j < n; ++j) {
    const c = new Float64Array(n);
    for (let i = 0; i < n; ++i) c[i] = x[i * n + j];
    cols.push(c);
  }
  const norm = (c: Float64Array, from: number) => {
    let s = 0;
    let scale = 0;
    for (let i = from; i < c.length; ++i) scale = Math.max(scale, Math.abs(c[i]));
    if (scale === 0) return 0;
    for (let i = from; i < c.length; ++i) s += (c[i] / scale) ** 2;
    return scale * Math.sqrt(s);
  };
  const original = cols.map((c) => norm(c, 0) || 1);
  let k = n; // columns [k, n) have been moved to the end as negligible
  for (let l = 0; l < k; ++l) {
    while (l < k && norm(cols[l], l) < original[l] * tol) {
      // move column l (and its original norm) to the end
      const c = cols.splice(l, 1)[0];
      const o = original.splice(l, 1)[0];
      cols.push(c);
      original.push(o);
      --k;
    }
    if (l >= k || l === n - 1) break;
    // Householder reflection zeroing column l below row l, applied to the columns to its right.
    const c = cols[l];
    const alpha = norm(c, l);
    if (alpha === 0) continue;
    const sign = c[l] < 0 ? -1 : 1;
    const v = new Float64Array(n);
    for (let i = l; i < n; ++i) v[i] = c[i];
    v[l] += sign * alpha;
    let vv = 0;
    for (let i = l; i < n; ++i) vv += v[i] * v[i];
    for (let j = l; j < n; ++j) {
      const cj = cols[j];
      let dot = 0;
      for (let i = l; i < n; ++i) dot += v[i] * cj[i];
      const f = (2 * dot) / vv;
      for (let i = l; i < n; ++i) cj[i] -= f * v[i];
    }
  }
  return k;
}
