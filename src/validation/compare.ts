// Comparing engine output with R's reference values, one row of the "This engine against R" table at a
// time. A Check accumulates many element-wise comparisons (the same rule as test/util/close.ts:
// |actual − expected| ≤ atol + rtol·|expected|; R's NA, written as JSON null, matches null or NaN) and
// reports how many values it compared, the largest relative and absolute differences, and whether every
// one was within its tolerance. Pure: no I/O.

/** A tolerance as the tests state it: relative, plus an optional absolute floor. `rtol: 0, atol: 0` is exact. */
export interface Tolerance {
  rtol: number;
  atol?: number;
  /** How the table states it, when the numbers alone would mislead (an absolute floor scaled to the data). */
  text?: string;
}

export const EXACT: Tolerance = {rtol: 0, atol: 0};

/** One row of the validation table (plain, JSON-safe: no NaN or Infinity). */
export interface ValidationRow {
  /** Section of the methods page the row belongs to, e.g. "Kaplan–Meier". */
  section: string;
  /** The engine function that produced the values, e.g. `kaplanMeier`. */
  estimator: string;
  /** Reference data set (and variant), e.g. "lung by sex". */
  dataset: string;
  /** The R call(s) that wrote the reference values. */
  rCall: string;
  /** What was compared, e.g. "survival S(t)". */
  quantity: string;
  /** The committed fixture holding R's values (path from the project root). */
  fixture: string;
  /** Number of values compared. */
  n: number;
  /**
   * Largest |actual − expected| / |expected| over the values judged relatively: R's value finite, non-zero
   * and large enough that the relative tolerance, not the absolute floor, applies. Null if none.
   */
  maxRelDiff: number | null;
  /** Largest |actual − expected| over the finite values; null if none. */
  maxAbsDiff: number | null;
  /** The tolerance(s) applied, as text: "1e-9", "1e-9 rel + 1e-12 abs", "exact". */
  tolerance: string;
  /** Every value within its tolerance (and at least one value compared). */
  pass: boolean;
  /** The first failure, or null. */
  failure: string | null;
}

/** The descriptive part of a row: everything except the comparison results. */
export type RowInfo = Pick<ValidationRow, "section" | "estimator" | "dataset" | "rCall" | "quantity" | "fixture">;

type Num = number | null | undefined;

function isList(v: unknown): v is ArrayLike<Num> {
  return v !== null && typeof v === "object" && "length" in (v as object);
}

/** "1e-9", "2.5e-7", "exact", "1e-9 rel + 1e-12 abs". */
export function toleranceText({rtol, atol = 0, text}: Tolerance): string {
  if (text) return text;
  const e = (x: number) => Number(x.toPrecision(6)).toExponential().replace("e+", "e");
  if (rtol === 0 && atol === 0) return "exact";
  if (atol === 0) return e(rtol);
  if (rtol === 0) return `${e(atol)} abs`;
  return `${e(rtol)} rel + ${e(atol)} abs`;
}

/** Accumulates the comparisons behind one validation row. */
export class Check {
  n = 0;
  maxRel: number | null = null;
  maxAbs: number | null = null;
  failures = 0;
  firstFailure: string | null = null;
  readonly tolerances = new Set<string>();

  /**
   * Compare numbers (or arrays of numbers) element-wise. `expected` null/NaN (R's NA) must be matched by
   * null/NaN; equal infinities match. Lengths must agree.
   */
  close(label: string, actual: ArrayLike<Num> | Num, expected: ArrayLike<Num> | Num, tol: Tolerance): void {
    this.tolerances.add(toleranceText(tol));
    const a = isList(actual) ? actual : [actual];
    const e = isList(expected) ? expected : [expected];
    if (a.length !== e.length) {
      this.fail(label, `length ${a.length} ≠ R's ${e.length}`);
      return;
    }
    const atol = tol.atol ?? 0;
    for (let i = 0; i < a.length; ++i) {
      this.n++;
      const x = a[i] ?? NaN;
      const y = e[i] ?? NaN;
      if (Number.isNaN(x) && Number.isNaN(y)) continue;
      if (x === y) {
        this.note(0, y);
        continue;
      }
      const delta = Math.abs(x - y);
      // Values judged by the absolute floor (R's value ~0: rounding noise) count in maxAbs only.
      if (Number.isFinite(delta)) this.note(delta, tol.rtol * Math.abs(y) >= atol ? y : 0);
      if (!(delta <= atol + tol.rtol * Math.abs(y))) this.fail(`${label}[${i}]`, `engine ${x}, R ${y}`);
    }
  }

  /** Compare values that must be identical (integers, labels, flags); each counts as one value. */
  exact(label: string, actual: unknown, expected: unknown): void {
    this.tolerances.add("exact");
    const a = Array.isArray(actual) || ArrayBuffer.isView(actual) ? Array.from(actual as ArrayLike<unknown>) : [actual];
    const e = Array.isArray(expected) || ArrayBuffer.isView(expected) ? Array.from(expected as ArrayLike<unknown>) : [expected];
    if (a.length !== e.length) {
      this.fail(label, `length ${a.length} ≠ R's ${e.length}`);
      return;
    }
    for (let i = 0; i < a.length; ++i) {
      this.n++;
      const x = a[i] ?? null;
      const y = e[i] ?? null;
      const same = Object.is(x, y) || (typeof x === "number" && typeof y === "number" && x === y) || (Number.isNaN(x) && y === null) || (x === null && Number.isNaN(y));
      if (same) {
        if (typeof y === "number" && Number.isFinite(y)) this.note(0, y);
      } else this.fail(`${label}[${i}]`, `engine ${JSON.stringify(x)}, R ${JSON.stringify(y)}`);
    }
  }

  /** Record a failure that is not a numeric difference (an exception, a missing error). */
  fail(label: string, message: string): void {
    this.failures++;
    if (this.firstFailure === null) this.firstFailure = `${label}: ${message}`;
  }

  private note(delta: number, expected: number): void {
    if (this.maxAbs === null || delta > this.maxAbs) this.maxAbs = delta;
    if (Number.isFinite(expected) && expected !== 0) {
      const rel = delta / Math.abs(expected);
      if (this.maxRel === null || rel > this.maxRel) this.maxRel = rel;
    }
  }

  /** The finished row. */
  row(info: RowInfo): ValidationRow {
    const noValues = this.n === 0 && this.failures === 0;
    return {
      ...info,
      n: this.n,
      maxRelDiff: this.maxRel,
      maxAbsDiff: this.maxAbs,
      tolerance: [...this.tolerances].join(" / ") || "—",
      pass: this.failures === 0 && this.n > 0,
      failure: noValues ? "no values compared" : this.firstFailure
    };
  }
}

/** A quantity of a {@link CheckGroup}: its label, optionally with its own estimator and R call. */
export type QuantitySpec = string | {quantity: string; estimator?: string; rCall?: string};

/**
 * A group of checks sharing a data set and R call (one per quantity, in display order). `run` feeds them;
 * an exception thrown by the engine fails every quantity of the group rather than the whole table.
 */
export class CheckGroup<Q extends string> {
  readonly checks: Record<Q, Check>;
  constructor(
    readonly info: Omit<RowInfo, "quantity">,
    readonly quantities: Record<Q, QuantitySpec>
  ) {
    this.checks = Object.fromEntries(Object.keys(quantities).map((k) => [k, new Check()])) as Record<Q, Check>;
  }

  run(label: string, fn: (c: Record<Q, Check>) => void): void {
    try {
      fn(this.checks);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      for (const c of Object.values(this.checks) as Check[]) c.fail(label, `engine threw: ${message}`);
    }
  }

  rows(): ValidationRow[] {
    return (Object.keys(this.quantities) as Q[]).map((q) => {
      const spec = this.quantities[q];
      const s: {quantity: string; estimator?: string; rCall?: string} = typeof spec === "string" ? {quantity: spec} : spec;
      return this.checks[q].row({...this.info, ...(s.estimator ? {estimator: s.estimator} : {}), ...(s.rCall ? {rCall: s.rCall} : {}), quantity: s.quantity});
    });
  }
}

/** Non-finite → null (R writes NA, NaN and ±Inf to JSON as null in these fixtures). */
export function finite(a: ArrayLike<number | null>): (number | null)[] {
  return Array.from(a, (v) => (v !== null && Number.isFinite(v) ? v : null));
}

/** A scalar or array from R's JSON (jsonlite writes length-1 vectors as scalars) as an array. */
export function asArray<T>(v: T | T[] | undefined): T[] {
  return Array.isArray(v) ? v : v === undefined ? [] : [v];
}
