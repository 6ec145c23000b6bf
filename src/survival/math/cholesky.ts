/**
 * Generalised Cholesky decomposition A = L D Lᵀ (L unit lower triangular, D diagonal) of a symmetric
 * non-negative definite matrix, with the singularity rule of R survival's `cholesky2`: a pivot below
 * `toler` × (largest positive diagonal element) — or a non-finite pivot — is declared zero, and the
 * corresponding column is treated as aliased (its row and column of the inverse are zero and its
 * component of every solution is zero). This gives the generalised inverse that fits the
 * non-aliased columns and reports the aliased ones as R's `NA`.
 *
 * Matrices are dense, row-major `Float64Array`s of length n². The factorisation is done in place:
 * D on the diagonal, L below it (the upper triangle keeps the symmetric input).
 */

/**
 * Factor the symmetric matrix `m` (n × n, row-major; only the upper triangle and diagonal are read)
 * in place. Returns the rank, negated when the matrix is found not to be non-negative definite (a
 * pivot below −8 × the tolerance), as R's `cholesky2`.
 */
export function choleskyDecompose(m: Float64Array, n: number, toler: number): number {
  let maxDiag = 0;
  for (let i = 0; i < n; ++i) {
    const d = m[i * n + i];
    if (d > maxDiag) maxDiag = d;
    for (let j = i + 1; j < n; ++j) m[j * n + i] = m[i * n + j];
  }
  const eps = maxDiag === 0 ? toler : maxDiag * toler;
  let rank = 0;
  let nonNegative = true;
  for (let i = 0; i < n; ++i) {
    const pivot = m[i * n + i];
    if (!Number.isFinite(pivot) || pivot < eps) {
      // Aliased column: zero pivot, and no multipliers from it.
      m[i * n + i] = 0;
      for (let j = i + 1; j < n; ++j) m[j * n + i] = 0;
      if (pivot < -8 * eps) nonNegative = false;
      continue;
    }
    ++rank;
    for (let j = i + 1; j < n; ++j) {
      const lji = m[j * n + i] / pivot;
      m[j * n + i] = lji;
      // Update the remaining lower triangle: A[k][j] -= L[j][i] * A[k][i] for k ≥ j.
      m[j * n + j] -= lji * lji * pivot;
      for (let k = j + 1; k < n; ++k) m[k * n + j] -= lji * m[k * n + i];
    }
  }
  return nonNegative ? rank : -rank;
}

/**
 * Solve A b = y in place given the factor from `choleskyDecompose`; components for aliased
 * columns are set to 0.
 */
export function choleskySolve(m: Float64Array, n: number, y: Float64Array): void {
  // L z = y
  for (let i = 0; i < n; ++i) {
    let t = y[i];
    for (let j = 0; j < i; ++j) t -= m[i * n + j] * y[j];
    y[i] = t;
  }
  // D Lᵀ b = z
  for (let i = n - 1; i >= 0; --i) {
    const d = m[i * n + i];
    if (d === 0) {
      y[i] = 0;
      continue;
    }
    let t = y[i] / d;
    for (let j = i + 1; j < n; ++j) t -= m[j * n + i] * y[j];
    y[i] = t;
  }
}

/**
 * The (generalised) inverse from the factor of `choleskyDecompose`, returned as a new full
 * symmetric n × n row-major matrix; rows and columns of aliased columns are 0.
 */
export function choleskyInverse(m: Float64Array, n: number): Float64Array {
  // Linv = L⁻¹ (unit lower triangular), by forward substitution column by column.
  const linv = new Float64Array(n * n);
  for (let c = 0; c < n; ++c) {
    linv[c * n + c] = 1;
    for (let i = c + 1; i < n; ++i) {
      let t = 0;
      for (let j = c; j < i; ++j) t -= m[i * n + j] * linv[j * n + c];
      linv[i * n + c] = t;
    }
  }
  // A⁻ = Linvᵀ D⁻ Linv, with D⁻ = 1/d for non-zero pivots and 0 for aliased ones.
  const out = new Float64Array(n * n);
  for (let k = 0; k < n; ++k) {
    const d = m[k * n + k];
    if (d === 0) continue;
    const dinv = 1 / d;
    for (let i = 0; i <= k; ++i) {
      const a = linv[k * n + i] * dinv;
      if (a === 0) continue;
      for (let j = 0; j <= i; ++j) out[i * n + j] += a * linv[k * n + j];
    }
  }
  for (let i = 0; i < n; ++i) {
    if (m[i * n + i] === 0) for (let j = 0; j < n; ++j) out[i * n + j] = 0;
    for (let j = 0; j < i; ++j) out[j * n + i] = out[i * n + j];
  }
  for (let i = 0; i < n; ++i) if (m[i * n + i] === 0) for (let j = 0; j < n; ++j) out[j * n + i] = 0;
  return out;
}

/**
 * Solve the symmetric system A b = y for a square matrix given by rows, with the generalised
 * inverse above (aliased components 0). Returns b and the rank. Copies its inputs.
 */
export function symmetricSolve(a: Float64Array, n: number, y: ArrayLike<number>, toler: number): {solution: Float64Array; rank: number} {
  const m = Float64Array.from(a);
  const rank = choleskyDecompose(m, n, toler);
  const b = Float64Array.from(y);
  choleskySolve(m, n, b);
  return {solution: b, rank};
}
