/**
 * Compare numbers with a relative (and optional absolute) tolerance. JSON `null` in the expected
 * values stands for R's NA and matches `null` or NaN in the actual values. The message names the
 * label, the index, both values, the difference and the tolerance.
 */
export function assertClose(
  actual: ArrayLike<number | null> | number | null,
  expected: ArrayLike<number | null> | number | null,
  {rtol = 1e-9, atol = 0, label = "value"}: {rtol?: number; atol?: number; label?: string} = {}
): void {
  const a = isList(actual) ? actual : [actual];
  const e = isList(expected) ? expected : [expected];
  if (a.length !== e.length) throw new Error(`${label}: length ${a.length} ≠ expected ${e.length}`);
  for (let i = 0; i < a.length; ++i) {
    const x = a[i] ?? NaN;
    const y = e[i] ?? NaN;
    if (Object.is(x, y) || (Number.isNaN(x) && Number.isNaN(y))) continue;
    if (x === y) continue;
    const delta = Math.abs(x - y);
    const tol = atol + rtol * Math.abs(y);
    if (!(delta <= tol)) throw new Error(`${label}[${i}]: actual ${x}, expected ${y}, Δ ${delta}, tol ${tol}`);
  }
}

function isList(v: unknown): v is ArrayLike<number | null> {
  return v !== null && typeof v === "object" && "length" in (v as object);
}
