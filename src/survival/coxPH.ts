import {concordanceCells, concordanceCounts, type ConcordanceResult} from "./concordance.js";
import type {DesignMatrix} from "./designMatrix.js";
import {SurvivalInputError} from "./errors.js";
import {applyTimefix, prepareSurvivalInput, type DroppedRows, type SurvivalData} from "./input.js";
import {choleskyDecompose, choleskyInverse, choleskySolve} from "./math/cholesky.js";
import {chiSquaredUpper, normalQuantile, normalTwoSided} from "./math/distributions.js";
import {identityOrder, sortByKey, sortBySmallInt} from "./math/radixOrder.js";

export interface CoxOptions {
  /** Tie handling, R's `ties`: "efron" (default) or "breslow". */
  ties?: "efron" | "breslow";
  /** Only events of this cause count; other causes are censored. Default: any cause is the event. */
  cause?: number;
  /** R's `coxph.control(iter.max)`, default 20. */
  maxIter?: number;
  /** R's `coxph.control(eps)`: stop when |1 − loglik_old / loglik_new| ≤ eps. Default 1e-9. */
  eps?: number;
  /** R's `toler.chol`, default `.Machine$double.eps^0.75`. */
  tolerChol?: number;
  /** R's `toler.inf` for the "coefficient may be infinite" warning, default √eps. */
  tolerInf?: number;
  /** Initial coefficients (R's `init`), default 0. With `maxIter: 0` gives the fixed-β quantities. */
  init?: ArrayLike<number>;
  /** Confidence level of the hazard-ratio intervals, default 0.95. */
  confLevel?: number;
  /** Merge near-tied times as R's `aeqSurv` (default true, as `coxph.control(timefix)`). */
  timefix?: boolean;
}

/** One row of the coefficient table (R's `summary(fit)$coefficients` and `$conf.int`). */
export interface CoxTerm {
  term: string;
  /** log hazard ratio; null when the term is aliased (R's NA). */
  coef: number | null;
  /** Model-based standard error of coef. */
  se: number | null;
  /** exp(coef). */
  hr: number | null;
  /** exp(coef ∓ z₍₁₋α/2₎ se). */
  lower: number | null;
  upper: number | null;
  /** Wald z = coef / se. */
  z: number | null;
  /** Two-sided Wald p-value. */
  p: number | null;
  /** R warned "Loglik converged before variable k; coefficient may be infinite" for this term. */
  possiblyInfinite: boolean;
}

/** A chi-squared test: statistic, degrees of freedom, upper-tail p. */
export interface ChiSquaredTest {
  stat: number;
  df: number;
  p: number;
}

/** The validated, sorted, centred and scaled data the Cox kernels work on (see `prepareCoxModel`). */
export interface CoxModelData {
  /** Rows used. */
  n: number;
  /** Number of columns of X. */
  p: number;
  /** Sorted by stratum, then stop time descending. */
  stop: Float64Array;
  /** Entry times in the same order, or null for right-censored data. */
  start: Float64Array | null;
  /** Positions (into the sorted arrays) ordered by stratum, then start time descending. */
  startOrder: Int32Array | null;
  status: Uint8Array;
  weights: Float64Array;
  strata: Int32Array;
  /**
   * X in sorted order, row-major (n × p), centred and scaled — empty for a 0/1 design (`patterns`)
   * until `modelX(model)` builds it: read it through modelX.
   */
  x: Float64Array;
  /** Centre and multiplier applied to each column: x' = (x − centre) · scale. */
  centre: Float64Array;
  scale: Float64Array;
  /** Original (0-based) row index of each sorted row. */
  rows: Int32Array;
  /** Position of each sorted row among the rows used, in the caller's order. */
  inputIndex: Uint32Array;
  ties: "efron" | "breslow";
  /**
   * The non-zero entries of X by row (row k: `col`/`val` from `start[k]` to `start[k + 1]`, columns
   * ascending), when X has enough zeros (0/1 indicator columns) for the kernel to skip them; else null.
   */
  sparse?: {start: Int32Array; col: Int32Array; val: Float64Array} | null;
  /**
   * When every value of X is 0 or 1: X's distinct rows (patterns) and each sorted row's pattern, for
   * the kernel that sums risk scores by pattern within each time; else null. Then `x` is built from
   * them only when read.
   */
  patterns?: CoxPatterns | null;
}

/** The distinct rows of a 0/1 design (see CoxModelData.patterns). */
export interface CoxPatterns {
  /** Number of distinct rows. */
  count: number;
  /** The distinct rows, row-major (count × p). */
  x: Float64Array;
  /** Pattern of each sorted row. */
  index: Int32Array;
  /** A sorted row with each pattern. */
  firstRow: Int32Array;
  /** Number of rows with each pattern. */
  rows: Float64Array;
  /** The columns equal to 1 in pattern c: `nzCol` from `nzStart[c]` to `nzStart[c + 1]`, ascending. */
  nzStart: Int32Array;
  nzCol: Int32Array;
  /**
   * Right-censored data: the rows summed by (stratum, stop time, pattern) — what the kernel needs of
   * them, as they do not depend on β. Time blocks in sorted order: cells `blockStart[b]` to
   * `blockStart[b + 1]` with stratum `blockStratum[b]`; per cell its pattern, the weight (and Σ w²,
   * for the concordance's variance) of its censored rows, and the weight, Σ w² and number of its
   * deaths. Null for (start, stop] data.
   */
  cells: {
    blockStart: Int32Array;
    blockStratum: Int32Array;
    pattern: Int32Array;
    liveWeight: Float64Array;
    liveWeight2: Float64Array;
    deadWeight: Float64Array;
    deadWeight2: Float64Array;
    deaths: Int32Array;
  } | null;
}

/**
 * coxPH's options for a caller that reads nothing of the fit's concordance (the study layer's subgroup
 * forest and acute GVHD fits: dozens of fits per filter change that report hazard ratios and
 * likelihoods only).
 */
export interface CoxOptionsWithoutConcordance extends CoxOptions {
  /**
   * false: do not compute the concordance (R's `fit$concordance`); the fit's `concordance` is null and
   * every other field is exactly what the same call without this option gives. Omit it (the default)
   * to have it computed.
   */
  concordance: false;
}

/** A fit made with `concordance: false`: coxPH's fit with `concordance` null. */
export type CoxFitWithoutConcordance = Omit<CoxFit, "concordance"> & {concordance: null};

/** Result of coxPH: plain data, with null for undefined values. */
export interface CoxFit {
  terms: CoxTerm[];
  /** Rows used (R's `fit$n`). */
  n: number;
  /** Number of event rows (R's `fit$nevent`). */
  events: number;
  dropped: DroppedRows;
  /** Log partial likelihood at the initial values (0: the null model) and at the fit. */
  loglik: [number | null, number | null];
  lrTest: ChiSquaredTest;
  waldTest: ChiSquaredTest;
  scoreTest: ChiSquaredTest;
  /** As `fit$concordance` of R's coxph (concordancefit with reverse = TRUE on the linear predictor). */
  concordance: ConcordanceResult;
  converged: boolean;
  /** R's `fit$iter` (maxIter + 1 when coxph.fit ran out of iterations on right-censored data, as R). */
  iterations: number;
  warnings: string[];
  ties: "efron" | "breslow";
  /** Variance matrix of the coefficients (R's `fit$var`; rows and columns of aliased terms are 0). */
  variance: number[][];
  /** Score vector at the final coefficients (R's `coxfit$u`). */
  score: number[];
  /** Column means subtracted in the linear predictor (R's `fit$means`; 0 for 0/±1 columns). */
  means: number[];
  /** Linear predictor x·β − Σ β·means for each row used, in the caller's row order (R's `fit$linear.predictors`). */
  linearPredictors: Float64Array;
  /** Original (0-based) row index of each row used, in the caller's order. */
  rows: Int32Array;
}

const DEFAULT_TOLER_CHOL = Math.pow(Number.EPSILON, 0.75);

/**
 * Validate and sort the data of a Cox model and centre/scale X as R's `coxph.fit` does internally
 * (weighted column mean and mean absolute deviation; columns whose values are all in {−1, 0, 1} are
 * left alone, R's `nocenter`). Rows with a missing value in the data or the design are dropped and
 * counted. Zero or negative weights are an error (R: "Invalid weights, must be >0").
 */
export function prepareCoxModel(
  data: SurvivalData,
  x: DesignMatrix,
  options: {ties?: "efron" | "breslow"; cause?: number; timefix?: boolean} = {}
): {model: CoxModelData; dropped: DroppedRows; plainMeans: Float64Array} {
  const {ties = "efron", cause, timefix = true} = options;
  if (ties !== "efron" && ties !== "breslow") throw new SurvivalInputError("ties", null, ties, 'ties must be "efron" or "breslow"');
  const N = data.time.length;
  if (x.n !== N) throw new SurvivalInputError("covariates", null, undefined, `have ${x.n} rows but time has ${N}`);
  const input = prepareSurvivalInput(data, {timefix: false, allowZeroWeights: false});
  if (cause !== undefined && !(Number.isInteger(cause) && cause >= 1)) throw new SurvivalInputError("cause", null, cause, "cause must be an integer ≥ 1");
  // Drop rows with a missing covariate (none missing: the validated columns are used as they are).
  let nMissingX = 0;
  const xMissing = x.missing;
  const inputRows = input.rows;
  for (let i = 0; i < input.n; ++i) nMissingX += xMissing[inputRows[i]];
  const n = input.n - nMissingX;
  let time = input.time;
  let entry = input.entry;
  let rowsKept = input.rows;
  let strataKept = input.strata;
  let eventKept = input.event;
  let weightsKept = input.weights;
  if (nMissingX > 0) {
    time = new Float64Array(n);
    entry = input.entry ? new Float64Array(n) : null;
    rowsKept = new Int32Array(n);
    strataKept = new Int32Array(n);
    eventKept = new Int32Array(n);
    weightsKept = input.weights ? new Float64Array(n) : null;
    for (let src = 0, i = 0; src < input.n; ++src) {
      if (xMissing[inputRows[src]]) continue;
      time[i] = input.time[src];
      if (entry) entry[i] = input.entry![src];
      rowsKept[i] = input.rows[src];
      strataKept[i] = input.strata[src];
      eventKept[i] = input.event[src];
      if (weightsKept) weightsKept[i] = input.weights![src];
      ++i;
    }
  }
  if (timefix && !timefixIsNoop(time, entry)) {
    try {
      applyTimefix(time, entry);
    } catch (e) {
      if (e instanceof SurvivalInputError && e.row !== null) throw new SurvivalInputError(e.field, rowsKept[e.row - 1] + 1, e.value, "interval has effective length 0 after merging near-tied times");
      throw e;
    }
  }
  const reasons = input.dropped.reasons.slice();
  if (nMissingX) reasons.push({field: "covariates", count: nMissingX});
  const dropped = {total: N - n, reasons};

  // Sort once: stratum ascending, then stop time descending (radix passes, least significant key first).
  let oneStratum = true;
  for (let i = 0; i < n; ++i) if (strataKept[i] !== 0) ((oneStratum = false), (i = n));
  const byTime = sortByKey(identityOrder(n), time, true);
  const order = oneStratum ? byTime : sortBySmallInt(byTime, strataKept);
  return coxModelFromInput({n, time, entry, rowsKept, strataKept, eventKept, weightsKept, oneStratum, order, dropped}, x, ties, cause);
}

/** A Cox model's rows after validation, dropping and timefix, with their sorted order (prepareCoxModel's first half). */
interface CoxInput {
  /** Rows kept. */
  n: number;
  /** Per kept row, in the caller's order: stop time, entry time, original row, stratum, event code, weight. */
  time: Float64Array;
  entry: Float64Array | null;
  rowsKept: Int32Array;
  strataKept: Int32Array;
  eventKept: Int32Array;
  weightsKept: Float64Array | null;
  /** Every stratum code is 0. */
  oneStratum: boolean;
  /** Kept rows (indices into the arrays above) by stratum ascending, then stop time descending, stably. */
  order: Uint32Array;
  dropped: DroppedRows;
}

/** prepareCoxModel's second half: the sorted model data, X's patterns or centred/scaled X, from validated, sorted rows. */
function coxModelFromInput(input: CoxInput, x: DesignMatrix, ties: "efron" | "breslow", cause: number | undefined): {model: CoxModelData; dropped: DroppedRows; plainMeans: Float64Array} {
  const {n, time, entry, rowsKept, strataKept, eventKept, weightsKept, oneStratum, order, dropped} = input;
  const p = x.columns.length;
  const cols = x.columns;
  const stop = new Float64Array(n);
  const start = entry ? new Float64Array(n) : null;
  const status = new Uint8Array(n);
  const weights = new Float64Array(n);
  const strata = new Int32Array(n);
  const rows = new Int32Array(n);
  // Scatter rows into sorted position (sequential reads, one random write region per row: much
  // cheaper than gathering every column through the permutation at 10⁶ rows).
  const position = new Uint32Array(n);
  for (let k = 0; k < n; ++k) position[order[k]] = k;
  if (!weightsKept) weights.fill(1);
  for (let i = 0; i < n; ++i) {
    const k = position[i];
    stop[k] = time[i];
    if (start) start[k] = entry![i];
    const e = eventKept[i];
    status[k] = cause === undefined ? (e > 0 ? 1 : 0) : e === cause ? 1 : 0;
    if (weightsKept) weights[k] = weightsKept[i];
    if (!oneStratum) strata[k] = strataKept[i];
    rows[k] = rowsKept[i];
  }
  let startOrder: Int32Array | null = null;
  if (start) startOrder = Int32Array.from(sortBySmallInt(sortByKey(identityOrder(n), start, true), strata));
  const base = {n, p, stop, start, startOrder, status, weights, strata, rows, inputIndex: order, ties};

  // A design of 0/1 columns (indicators) is kept as its distinct rows (patterns) and each row's pattern.
  const patterns = indicatorPatterns(cols, rowsKept, n, p, position);
  if (patterns) {
    if (!start) patterns.cells = patternCells(patterns, stop, status, weights, strata);
    const plainMeans = new Float64Array(p);
    for (let c = 0; c < patterns.count; ++c)
      for (let q = patterns.nzStart[c]; q < patterns.nzStart[c + 1]; ++q) plainMeans[patterns.nzCol[q]] += patterns.rows[c];
    for (let j = 0; j < p; ++j) plainMeans[j] /= n;
    // X itself is built only when a dense kernel asks for it (modelX: counting-process data, coxZph).
    const model = newModel(base, new Float64Array(0), new Float64Array(p), new Float64Array(p).fill(1), null, patterns);
    return {model, dropped, plainMeans};
  }

  const xs = new Float64Array(n * p);
  // X in sorted order, and in the same pass: plain column sums (rows in the caller's order), which
  // columns have a value outside {−1, 0, 1} (those are centred and scaled), non-zero counts and
  // finiteness (for the kernel's sparse rows).
  const plainSum = new Float64Array(p);
  const nonUnit = new Uint8Array(p);
  const nonZero = new Float64Array(p);
  let finite = true;
  for (let i = 0; i < n; ++i) {
    const row = rowsKept[i];
    const o = position[i] * p;
    for (let j = 0; j < p; ++j) {
      const v = cols[j][row];
      xs[o + j] = v;
      plainSum[j] += v;
      if (v !== 0) {
        ++nonZero[j];
        if (v !== 1 && v !== -1) {
          nonUnit[j] = 1;
          if (!Number.isFinite(v)) finite = false;
        }
      }
    }
  }
  // Plain column means over the rows used (R's agreg.fit reports these).
  const plainMeans = new Float64Array(p);
  for (let j = 0; j < p; ++j) plainMeans[j] = plainSum[j] / n;
  // Centre and scale (R's coxfit6: weighted mean; scale = Σw / Σ w|x − mean|).
  const centre = new Float64Array(p);
  const scale = new Float64Array(p).fill(1);
  let sw = 0;
  for (let k = 0; k < n; ++k) sw += weights[k];
  for (let j = 0; j < p; ++j) {
    if (!nonUnit[j]) continue; // every value in {−1, 0, 1}: left alone (R's nocenter)
    let m = 0;
    for (let k = 0; k < n; ++k) m += weights[k] * xs[k * p + j];
    m /= sw;
    let mad = 0;
    for (let k = 0; k < n; ++k) mad += weights[k] * Math.abs(xs[k * p + j] - m);
    const s = mad > 0 ? sw / mad : 1;
    centre[j] = m;
    scale[j] = s;
    for (let k = 0; k < n; ++k) xs[k * p + j] = (xs[k * p + j] - m) * s;
  }
  return {model: newModel(base, xs, centre, scale, finite ? sparseRows(xs, n, p, nonUnit, nonZero) : null, null), dropped, plainMeans};
}

/** One object shape for every model (one literal, fixed property order: monomorphic property access). */
function newModel(
  b: Pick<CoxModelData, "n" | "p" | "stop" | "start" | "startOrder" | "status" | "weights" | "strata" | "rows" | "inputIndex" | "ties">,
  x: Float64Array,
  centre: Float64Array,
  scale: Float64Array,
  sparse: CoxModelData["sparse"],
  patterns: CoxPatterns | null
): CoxModelData {
  return {
    n: b.n,
    p: b.p,
    stop: b.stop,
    start: b.start,
    startOrder: b.startOrder,
    status: b.status,
    weights: b.weights,
    strata: b.strata,
    x,
    centre,
    scale,
    rows: b.rows,
    inputIndex: b.inputIndex,
    ties: b.ties,
    sparse,
    patterns
  };
}

/**
 * X of a model in sorted order, row-major (n × p), centred and scaled. A 0/1 design keeps only its
 * patterns (CoxModelData.patterns); its X is built here from them on first use and kept.
 */
export function modelX(model: CoxModelData): Float64Array {
  const {n, p, patterns} = model;
  if (model.x.length === n * p || !patterns) return model.x;
  const xs = new Float64Array(n * p);
  const {index, x: px} = patterns;
  for (let k = 0; k < n; ++k) {
    const o = index[k] * p;
    for (let j = 0; j < p; ++j) xs[k * p + j] = px[o + j];
  }
  model.x = xs;
  return xs;
}

/** CoxPatterns.cells: the sorted rows summed by (stratum, stop time, pattern), in two passes (count, fill). */
function patternCells(pat: CoxPatterns, stop: Float64Array, status: Uint8Array, weights: Float64Array, strata: Int32Array): NonNullable<CoxPatterns["cells"]> {
  const n = stop.length;
  const {index, count} = pat;
  // The block each pattern last had a cell in, and that cell.
  const lastBlock = new Int32Array(count).fill(-1);
  const cellOf = new Int32Array(count);
  let nBlocks = 0;
  let nCells = 0;
  for (let k = 0; k < n; ) {
    const t = stop[k];
    const s = strata[k];
    for (; k < n && stop[k] === t && strata[k] === s; ++k) {
      const c = index[k];
      if (lastBlock[c] !== nBlocks) {
        lastBlock[c] = nBlocks;
        ++nCells;
      }
    }
    ++nBlocks;
  }
  const blockStart = new Int32Array(nBlocks + 1);
  const blockStratum = new Int32Array(nBlocks);
  const pattern = new Int32Array(nCells);
  const liveWeight = new Float64Array(nCells);
  const liveWeight2 = new Float64Array(nCells);
  const deadWeight = new Float64Array(nCells);
  const deadWeight2 = new Float64Array(nCells);
  const deaths = new Int32Array(nCells);
  lastBlock.fill(-1);
  let b = 0;
  let e = 0;
  for (let k = 0; k < n; ++b) {
    const t = stop[k];
    const s = strata[k];
    blockStart[b] = e;
    blockStratum[b] = s;
    for (; k < n && stop[k] === t && strata[k] === s; ++k) {
      const c = index[k];
      if (lastBlock[c] !== b) {
        lastBlock[c] = b;
        cellOf[c] = e;
        pattern[e++] = c;
      }
      const cell = cellOf[c];
      const w = weights[k];
      if (status[k]) {
        deadWeight[cell] += w;
        deadWeight2[cell] += w * w;
        ++deaths[cell];
      } else {
        liveWeight[cell] += w;
        liveWeight2[cell] += w * w;
      }
    }
  }
  blockStart[nBlocks] = e;
  return {blockStart, blockStratum, pattern, liveWeight, liveWeight2, deadWeight, deadWeight2, deaths};
}

/** Most columns for which a 0/1 design is coded as patterns (a code of p bits per row). */
const PATTERN_MAX_COLUMNS = 16;
/** Most distinct rows for the pattern kernel (its work per death time grows with their number). */
const PATTERN_MAX_COUNT = 256;

/**
 * When every value of X on the rows used is 0 or 1 (indicator columns: R leaves them uncentred),
 * the distinct rows of X (patterns, in order of first appearance) and each sorted row's pattern;
 * else null (also for more than PATTERN_MAX_COLUMNS columns or PATTERN_MAX_COUNT patterns). One
 * pass per column over the rows used, giving up after the first column with another value.
 */
function indicatorPatterns(cols: Float64Array[], rowsKept: Int32Array, n: number, p: number, position: Uint32Array): CoxPatterns | null {
  if (p === 0 || p > PATTERN_MAX_COLUMNS || n === 0) return null;
  const identity = rowsKept.length === n && rowsKept[n - 1] === n - 1; // rows kept are increasing: all of them
  // code = Σ x_j·2^j, and |x·(x − 1)| summed is 0 exactly when every x is 0 or 1 (branch-free: the
  // values are in random order, where a branch per value is mispredicted half the time).
  const code = new Int32Array(n);
  for (let j = 0; j < p; ++j) {
    const col = cols[j];
    const bit = 1 << j;
    let bad = 0;
    if (identity) {
      for (let i = 0; i < n; ++i) {
        const v = col[i];
        bad += Math.abs(v * (v - 1));
        code[i] += v * bit;
      }
    } else {
      for (let i = 0; i < n; ++i) {
        const v = col[rowsKept[i]];
        bad += Math.abs(v * (v - 1));
        code[i] += v * bit;
      }
    }
    if (bad !== 0) return null;
  }
  const idOf = new Int32Array(1 << p).fill(-1);
  const codes: number[] = [];
  const counts: number[] = [];
  const first: number[] = [];
  const index = new Int32Array(n);
  for (let i = 0; i < n; ++i) {
    const c = code[i];
    let id = idOf[c];
    if (id < 0) {
      if (codes.length === PATTERN_MAX_COUNT) return null;
      id = idOf[c] = codes.length;
      codes.push(c);
      counts.push(0);
      first.push(position[i]);
    }
    ++counts[id];
    index[position[i]] = id;
  }
  const count = codes.length;
  const x = new Float64Array(count * p);
  const nzStart = new Int32Array(count + 1);
  const nzCol: number[] = [];
  for (let c = 0; c < count; ++c) {
    nzStart[c] = nzCol.length;
    for (let j = 0; j < p; ++j) {
      if (codes[c] & (1 << j)) {
        x[c * p + j] = 1;
        nzCol.push(j);
      }
    }
  }
  nzStart[count] = nzCol.length;
  return {count, x, index, firstRow: Int32Array.from(first), rows: Float64Array.from(counts), nzStart, nzCol: Int32Array.from(nzCol), cells: null};
}

/**
 * True when R's timefix cannot change these times: all integers of magnitude below 10⁷ (such as days).
 * Distinct values then differ by at least 1, which is more than √ε absolutely and relative to their
 * mean absolute value (< 10⁷ < 1/√ε ≈ 6.7·10⁷), so applyTimefix would merge nothing.
 */
function timefixIsNoop(time: Float64Array, entry: Float64Array | null): boolean {
  for (const v of [time, entry]) {
    if (!v) continue;
    let ok = 1;
    for (let i = 0; i < v.length; ++i) {
      const t = v[i];
      ok &= +(Math.floor(t) === t && t < 1e7 && t > -1e7);
    }
    if (!ok) return false;
  }
  return true;
}

/**
 * X's entries by row for the sparse kernel — every entry of a centred column, the non-zero entries of
 * the others — when that is at most 60 % of X and X is finite (see CoxModelData.sparse).
 */
function sparseRows(x: Float64Array, n: number, p: number, centred: Uint8Array, nonZero: Float64Array): {start: Int32Array; col: Int32Array; val: Float64Array} | null {
  let nnz = 0;
  for (let j = 0; j < p; ++j) nnz += centred[j] ? n : nonZero[j];
  if (nnz > 0.6 * n * p) return null;
  const start = new Int32Array(n + 1);
  const col = new Int32Array(nnz);
  const val = new Float64Array(nnz);
  for (let k = 0, q = 0; k < n; ++k) {
    start[k] = q;
    const o = k * p;
    for (let j = 0; j < p; ++j) {
      const v = x[o + j];
      if (v !== 0 || centred[j]) {
        if (!Number.isFinite(v)) return null; // a centred value overflowed: zeros cannot be skipped exactly
        col[q] = j;
        val[q++] = v;
      }
    }
  }
  start[n] = nnz;
  return {start, col, val};
}

/** Work space and outputs of one pass of the Cox kernel. */
export interface CoxKernelState {
  loglik: number;
  /** Score, length p (or 2p with a time weight). */
  u: Float64Array;
  /** Information, p × p (Σ V over event times). */
  imat: Float64Array;
  /** With a time weight g: Σ g V and Σ g² V (p × p each). */
  imatG: Float64Array | null;
  imatGG: Float64Array | null;
}

/**
 * One pass over the sorted data at coefficients `beta` (on the centred/scaled X): the log partial
 * likelihood, score and information with Breslow or Efron ties, over (start, stop] risk sets within
 * strata (risk-set sums are accumulated from the latest time backwards; subjects leave when their
 * start time is reached). With `timeWeight` (g at each sorted row's time) it also accumulates the
 * score of x·g(t) and the blocks Σ g V, Σ g² V that `coxZph` needs. Cost O(n p²).
 */
export function coxKernel(model: CoxModelData, beta: ArrayLike<number>, timeWeight: Float64Array | null = null): CoxKernelState {
  if (model.patterns && !timeWeight && !model.start) {
    const state = coxKernelPatterns(model, beta, model.patterns);
    if (state) return state;
  }
  if (model.sparse && !timeWeight && !model.start) {
    const state = coxKernelSparse(model, beta, model.sparse);
    if (state) return state;
  }
  const {n, p, stop, start, startOrder, status, weights, strata} = model;
  const x = modelX(model);
  const efron = model.ties === "efron";
  const pp = p * p;
  const u = new Float64Array(timeWeight ? 2 * p : p);
  const imat = new Float64Array(pp);
  const imatG = timeWeight ? new Float64Array(pp) : null;
  const imatGG = timeWeight ? new Float64Array(pp) : null;
  const a = new Float64Array(p);
  const a2 = new Float64Array(p);
  const cmat = new Float64Array(pp);
  const cmat2 = new Float64Array(pp);
  const mean = new Float64Array(p);
  const delta = new Float64Array(p);
  const risk = new Float64Array(n);
  for (let k = 0; k < n; ++k) {
    let eta = 0;
    const o = k * p;
    for (let j = 0; j < p; ++j) eta += beta[j] * x[o + j];
    risk[k] = Math.exp(eta) * weights[k];
  }
  let loglik = 0;
  let k = 0;
  while (k < n) {
    // A new stratum: reset the risk-set sums.
    const s = strata[k];
    let denom = 0;
    let nrisk = 0;
    a.fill(0);
    cmat.fill(0);
    let r = k; // next position in startOrder to remove (strata blocks align in both orders)
    while (k < n && strata[k] === s) {
      const t = stop[k];
      let deaths = 0;
      let deadwt = 0;
      let denom2 = 0;
      a2.fill(0);
      cmat2.fill(0);
      // Subjects whose start time is ≥ t are not at risk at t.
      if (startOrder && start) {
        for (; r < n && strata[startOrder[r]] === s && start[startOrder[r]] >= t; ++r) {
          const q = startOrder[r];
          --nrisk;
          if (nrisk === 0) {
            denom = 0;
            a.fill(0);
            cmat.fill(0);
            continue;
          }
          const rq = risk[q];
          const o = q * p;
          denom -= rq;
          for (let i = 0; i < p; ++i) {
            const rxi = rq * x[o + i];
            a[i] -= rxi;
            for (let j = 0; j <= i; ++j) cmat[i * p + j] -= rxi * x[o + j];
          }
        }
      }
      let kEnd = k;
      for (; kEnd < n && stop[kEnd] === t && strata[kEnd] === s; ++kEnd) {
        const rk = risk[kEnd];
        const o = kEnd * p;
        ++nrisk;
        if (status[kEnd]) {
          ++deaths;
          const wk = weights[kEnd];
          deadwt += wk;
          denom2 += rk;
          let eta = 0;
          for (let i = 0; i < p; ++i) {
            const xi = x[o + i];
            eta += beta[i] * xi;
            u[i] += wk * xi;
            a2[i] += rk * xi;
            const rxi = rk * xi;
            for (let j = 0; j <= i; ++j) cmat2[i * p + j] += rxi * x[o + j];
          }
          loglik += wk * eta;
          if (timeWeight) {
            const g = timeWeight[kEnd];
            for (let i = 0; i < p; ++i) u[p + i] += g * wk * x[o + i];
          }
        } else {
          denom += rk;
          for (let i = 0; i < p; ++i) {
            const rxi = rk * x[o + i];
            a[i] += rxi;
            for (let j = 0; j <= i; ++j) cmat[i * p + j] += rxi * x[o + j];
          }
        }
      }
      if (deaths > 0) {
        loglik -= addDeathTime(p, efron, deaths, deadwt, denom, denom2, a, a2, cmat, cmat2, u, imat, timeWeight ? timeWeight[k] : 0, imatG, imatGG, mean, delta);
        denom += denom2;
        for (let i = 0; i < p; ++i) {
          a[i] += a2[i];
          for (let j = 0; j <= i; ++j) cmat[i * p + j] += cmat2[i * p + j];
        }
      }
      k = kEnd;
    }
  }
  for (const m of [imat, imatG, imatGG]) {
    if (!m) continue;
    for (let i = 0; i < p; ++i) for (let j = 0; j < i; ++j) m[j * p + i] = m[i * p + j];
  }
  return {loglik, u, imat, imatG, imatGG};
}

/**
 * coxKernel for right-censored data without a time weight, visiting only the non-zero entries of X.
 * Each sum receives the same non-zero terms in the same order as in coxKernel, and the terms skipped
 * are exact zeros (finite β, finite risk scores), so the results are identical bit for bit. Returns
 * null when β or a risk score is not finite (then coxKernel runs its dense loops).
 */
function coxKernelSparse(model: CoxModelData, beta: ArrayLike<number>, sp: {start: Int32Array; col: Int32Array; val: Float64Array}): CoxKernelState | null {
  const {n, p, stop, status, weights, strata} = model;
  const {start: rs, col, val} = sp;
  for (let j = 0; j < p; ++j) if (!Number.isFinite(beta[j])) return null;
  const efron = model.ties === "efron";
  const pp = p * p;
  const u = new Float64Array(p);
  const imat = new Float64Array(pp);
  const a = new Float64Array(p);
  const a2 = new Float64Array(p);
  const cmat = new Float64Array(pp);
  const cmat2 = new Float64Array(pp);
  const mean = new Float64Array(p);
  const delta = new Float64Array(p);
  const risk = new Float64Array(n);
  for (let k = 0; k < n; ++k) {
    let eta = 0;
    for (let q = rs[k]; q < rs[k + 1]; ++q) eta += beta[col[q]] * val[q];
    const r = Math.exp(eta) * weights[k];
    if (!Number.isFinite(r)) return null;
    risk[k] = r;
  }
  let loglik = 0;
  let k = 0;
  while (k < n) {
    // A new stratum: reset the risk-set sums.
    const s = strata[k];
    let denom = 0;
    a.fill(0);
    cmat.fill(0);
    while (k < n && strata[k] === s) {
      const t = stop[k];
      let deaths = 0;
      let deadwt = 0;
      let denom2 = 0;
      a2.fill(0);
      cmat2.fill(0);
      let kEnd = k;
      for (; kEnd < n && stop[kEnd] === t && strata[kEnd] === s; ++kEnd) {
        const rk = risk[kEnd];
        const q0 = rs[kEnd];
        const q1 = rs[kEnd + 1];
        if (status[kEnd]) {
          ++deaths;
          const wk = weights[kEnd];
          deadwt += wk;
          denom2 += rk;
          let eta = 0;
          for (let q = q0; q < q1; ++q) {
            const i = col[q];
            const xi = val[q];
            eta += beta[i] * xi;
            u[i] += wk * xi;
            a2[i] += rk * xi;
            const rxi = rk * xi;
            const row = i * p;
            for (let q2 = q0; q2 <= q; ++q2) cmat2[row + col[q2]] += rxi * val[q2];
          }
          loglik += wk * eta;
        } else {
          denom += rk;
          for (let q = q0; q < q1; ++q) {
            const i = col[q];
            const rxi = rk * val[q];
            a[i] += rxi;
            const row = i * p;
            for (let q2 = q0; q2 <= q; ++q2) cmat[row + col[q2]] += rxi * val[q2];
          }
        }
      }
      if (deaths > 0) {
        loglik -= addDeathTime(p, efron, deaths, deadwt, denom, denom2, a, a2, cmat, cmat2, u, imat, 0, null, null, mean, delta);
        denom += denom2;
        for (let i = 0; i < p; ++i) {
          a[i] += a2[i];
          for (let j = 0; j <= i; ++j) cmat[i * p + j] += cmat2[i * p + j];
        }
      }
      k = kEnd;
    }
  }
  for (let i = 0; i < p; ++i) for (let j = 0; j < i; ++j) imat[j * p + i] = imat[i * p + j];
  return {loglik, u, imat, imatG: null, imatGG: null};
}

/**
 * coxKernel for right-censored data without a time weight when X is 0/1 (CoxModelData.patterns).
 * It works from the rows summed by (stratum, time, pattern) (`cells`): a cell adds risk score × its
 * weights to its pattern's sum. At each death time the risk-set sums Σ r and Σ r·x are brought up to
 * date from the patterns changed since the last one, and the terms of the information that are linear
 * in Σ r·x·xᵀ are accumulated per pattern as scalars (`zLive`, `zDead`: Σ over death times of the
 * coefficient × the pattern's risk sum), so the p × p sums are formed once at the end instead of per
 * row or time: O(cells + deathTimes·(P + p²)). The same quantities as coxKernel's, added in another
 * order. Returns null when β or a result is not finite (then coxKernel runs its dense loops).
 */
function coxKernelPatterns(model: CoxModelData, beta: ArrayLike<number>, pat: CoxPatterns): CoxKernelState | null {
  const {p} = model;
  const {count, x: px, nzStart, nzCol, cells} = pat;
  if (!cells) return null;
  const {blockStart, blockStratum, pattern, liveWeight, deadWeight, deaths: cellDeaths} = cells;
  const nBlocks = blockStratum.length;
  for (let j = 0; j < p; ++j) if (!Number.isFinite(beta[j])) return null;
  const efron = model.ties === "efron";
  const u = new Float64Array(p);
  const imat = new Float64Array(p * p);
  const a = new Float64Array(p);
  const a2 = new Float64Array(p);
  const coef = new Float64Array(2);
  const mean = new Float64Array(p);
  const delta = new Float64Array(p);
  // Linear predictor and risk score of each pattern.
  const etaOf = new Float64Array(count);
  const riskOf = new Float64Array(count);
  for (let c = 0; c < count; ++c) {
    let eta = 0;
    for (let j = 0; j < p; ++j) eta += beta[j] * px[c * p + j];
    etaOf[c] = eta;
    riskOf[c] = Math.exp(eta);
  }
  // By pattern: risk of those at risk (not dying at the current time), risk added to it since the
  // last death time (`pending`, patterns listed in `changed`), and the scalar accumulators.
  const live = new Float64Array(count);
  const pending = new Float64Array(count);
  const changed = new Int32Array(count);
  const isChanged = new Uint8Array(count);
  const zLive = new Float64Array(count);
  const zDead = new Float64Array(count);
  let loglik = 0;
  let denom = 0;
  let nChanged = 0;
  for (let b = 0; b < nBlocks; ++b) {
    if (b === 0 || blockStratum[b] !== blockStratum[b - 1]) {
      // A new stratum: reset the risk-set sums.
      live.fill(0);
      a.fill(0);
      denom = 0;
      for (let m = 0; m < nChanged; ++m) {
        isChanged[changed[m]] = 0;
        pending[changed[m]] = 0;
      }
      nChanged = 0;
    }
    const e0 = blockStart[b];
    const e1 = blockStart[b + 1];
    let deaths = 0;
    let deadwt = 0;
    for (let e = e0; e < e1; ++e) {
      const lw = liveWeight[e];
      if (lw !== 0) {
        const c = pattern[e];
        if (!isChanged[c]) {
          isChanged[c] = 1;
          changed[nChanged++] = c;
        }
        pending[c] += riskOf[c] * lw;
      }
      deaths += cellDeaths[e];
      deadwt += deadWeight[e];
    }
    if (deaths === 0) continue;
    // Bring Σ r and Σ r·x up to date with the rows added since the last death time.
    for (let m = 0; m < nChanged; ++m) {
      const c = changed[m];
      const r = pending[c];
      isChanged[c] = 0;
      pending[c] = 0;
      live[c] += r;
      denom += r;
      // x is 0 or 1: adding r·0 leaves a sum unchanged, so a loop over all p columns (no branches,
      // no index list) adds exactly the same terms as one over the columns equal to 1.
      const o = c * p;
      for (let j = 0; j < p; ++j) a[j] += r * px[o + j];
    }
    nChanged = 0;
    let denom2 = 0;
    a2.fill(0);
    for (let e = e0; e < e1; ++e) {
      const wc = deadWeight[e];
      if (wc === 0) continue;
      const c = pattern[e];
      const r = riskOf[c] * wc;
      denom2 += r;
      loglik += wc * etaOf[c];
      const o = c * p;
      for (let j = 0; j < p; ++j) {
        const xj = px[o + j];
        a2[j] += r * xj;
        u[j] += wc * xj;
      }
    }
    loglik -= addDeathTimeOuter(p, efron, deaths, deadwt, denom, denom2, a, a2, u, imat, coef, mean, delta);
    const alpha = coef[0];
    const beta2 = coef[1];
    for (let c = 0; c < count; ++c) zLive[c] += alpha * live[c];
    // The deaths join the risk set for earlier times.
    for (let e = e0; e < e1; ++e) {
      const wc = deadWeight[e];
      if (wc === 0) continue;
      const c = pattern[e];
      const r = riskOf[c] * wc;
      zDead[c] += beta2 * r;
      live[c] += r;
    }
    denom += denom2;
    for (let i = 0; i < p; ++i) a[i] += a2[i];
  }
  // The terms linear in Σ r·x·xᵀ: x·xᵀ of a pattern is 1 where both columns are 1.
  for (let c = 0; c < count; ++c) {
    const z = zLive[c] + zDead[c];
    if (z === 0) continue;
    const q0 = nzStart[c];
    const q1 = nzStart[c + 1];
    for (let q = q0; q < q1; ++q) {
      const row = nzCol[q] * p;
      for (let q2 = q0; q2 <= q; ++q2) imat[row + nzCol[q2]] += z;
    }
  }
  for (let i = 0; i < p; ++i) for (let j = 0; j < i; ++j) imat[j * p + i] = imat[i * p + j];
  // An overflow (a huge weight × risk score) is left to the dense loops, as in coxKernelSparse.
  if (!Number.isFinite(loglik) || !allFinite(u) || !allFinite(imat)) return null;
  return {loglik, u, imat, imatG: null, imatGG: null};
}

/**
 * addDeathTime without the cross-product sums: the information term of a death time is
 * α·cmat + β·cmat2 − (terms in a, a2); this adds the latter to `imat` (lower triangle), subtracts the
 * score term from `u`, writes α and β to `coef` and returns the log-likelihood term (see
 * addDeathTime: α = deadwt/D + w·G₁·denom2/D, β = deadwt/D − w·G₁·denom/D; Breslow α = β = deadwt/D).
 */
function addDeathTimeOuter(
  p: number,
  efron: boolean,
  deaths: number,
  deadwt: number,
  denom: number,
  denom2: number,
  a: Float64Array,
  a2: Float64Array,
  u: Float64Array,
  imat: Float64Array,
  coef: Float64Array,
  mean: Float64Array,
  delta: Float64Array
): number {
  const den = denom + denom2;
  // M and δ once per death time (p divisions, not p²).
  for (let i = 0; i < p; ++i) mean[i] = (a[i] + a2[i]) / den;
  if (!efron || deaths === 1) {
    for (let i = 0; i < p; ++i) {
      const mi = mean[i];
      u[i] -= deadwt * mi;
      const row = i * p;
      for (let j = 0; j <= i; ++j) imat[row + j] -= deadwt * (mi * mean[j]);
    }
    coef[0] = coef[1] = deadwt / den;
    return deadwt * Math.log(den);
  }
  const w = deadwt / deaths;
  const {sLog, g1, g2} = efronSums(deaths, denom, denom2);
  const wg1 = w * g1;
  const wg2 = w * g2;
  for (let i = 0; i < p; ++i) delta[i] = (denom2 * a[i] - denom * a2[i]) / den;
  for (let i = 0; i < p; ++i) {
    const mi = mean[i];
    const di = delta[i];
    u[i] -= deadwt * mi + wg1 * di;
    const row = i * p;
    for (let j = 0; j <= i; ++j) {
      const mj = mean[j];
      const dj = delta[j];
      imat[row + j] -= deadwt * (mi * mj) + wg1 * (mi * dj + di * mj) + wg2 * di * dj;
    }
  }
  coef[0] = deadwt / den + (wg1 * denom2) / den;
  coef[1] = deadwt / den - (wg1 * denom) / den;
  return w * sLog;
}

/**
 * Efron's scalar sums over the d steps of a death time: Σ log den_m, G₁ = Σ g_m, G₂ = Σ g_m² (see
 * addDeathTime). The logarithm is taken of products of up to 8 consecutive den_m when they lie in
 * [1e-30, 1e30] (no overflow or underflow), one Math.log per 8 steps instead of per step.
 */
function efronSums(deaths: number, denom: number, denom2: number): {sLog: number; g1: number; g2: number} {
  let sLog = 0;
  let g1 = 0;
  let g2 = 0;
  const lo = denom + denom2 / deaths;
  const hi = denom + denom2;
  const chunk = lo >= 1e-30 && hi <= 1e30 ? 8 : 1;
  let prod = 1;
  let inChunk = 0;
  // f_m = m/d and (d − m)/d: the same doubles on every call with d deaths (a table per d).
  const fractions = efronFractions(deaths);
  for (let m = 1; m <= deaths; ++m) {
    const dm = denom + fractions[2 * m - 2] * denom2;
    prod *= dm;
    if (++inChunk === chunk) {
      sLog += Math.log(prod);
      prod = 1;
      inChunk = 0;
    }
    const gm = fractions[2 * m - 1] / dm;
    g1 += gm;
    g2 += gm * gm;
  }
  if (inChunk > 0) sLog += Math.log(prod);
  return {sLog, g1, g2};
}

/** Most tied deaths whose Efron fractions are kept (larger ties compute theirs per call). */
const EFRON_TABLE_MAX = 4096;
const efronTables: (Float64Array | undefined)[] = new Array<Float64Array | undefined>(EFRON_TABLE_MAX + 1);

/**
 * For d tied deaths, m/d and (d − m)/d for m = 1 … d interleaved (2d values): the divisions efronSums
 * would repeat at every death time with d deaths in every Newton iteration, done once (the same IEEE
 * quotients, so the sums are unchanged bit for bit).
 */
function efronFractions(d: number): Float64Array {
  const hit = efronTables[d];
  if (hit) return hit;
  const f = new Float64Array(2 * d);
  for (let m = 1; m <= d; ++m) {
    f[2 * m - 2] = m / d;
    f[2 * m - 1] = (d - m) / d;
  }
  if (d <= EFRON_TABLE_MAX) efronTables[d] = f;
  return f;
}

/**
 * The terms of one death time: risk-set sums (`denom`, `a`, `cmat`: Σ r, Σ r·x, Σ r·x·xᵀ over those
 * at risk who do not die at this time) and the sums over the d tied deaths (`denom2`, `a2`, `cmat2`,
 * their weights `deadwt`). Subtracts from `u` and adds to `imat` (lower triangle); returns the
 * amount to subtract from the log-likelihood. With `imatG`/`imatGG` it also adds g·V and g²·V and
 * subtracts g × the score term from `u[p..2p)` (coxZph's time weight g at this time).
 *
 * Breslow, and Efron with one death: with D = denom + denom2, M = (a + a2)/D and
 * C = (cmat + cmat2)/D, the score term is deadwt·M, the information term deadwt·(C − M·Mᵀ) and the
 * log-likelihood term deadwt·log D — R's coxfit6/agfit4 arithmetic.
 *
 * Efron with d > 1 tied deaths: the deaths leave the denominator in d equal steps,
 * den_m = denom + f_m·denom2 with f_m = m/d (m = 1 … d), each step with weight w = deadwt / d (the
 * mean case weight of the tied deaths, as R). R adds w·((cmat + f_m·cmat2)/den_m − mean_m·mean_mᵀ)
 * with mean_m = (a + f_m·a2)/den_m for every m: O(d·p²) per death time. Since
 *   mean_m = M + g_m·δ,  (cmat + f_m·cmat2)/den_m = C + g_m·Δ,
 * with g_m = (1 − f_m)/den_m, δ = (denom2·a − denom·a2)/D and Δ = (denom2·cmat − denom·cmat2)/D,
 * the sums over m are
 *   score term  deadwt·M + w·G₁·δ,
 *   information deadwt·(C − M·Mᵀ) + w·[G₁·(Δ − M·δᵀ − δ·Mᵀ) − G₂·δ·δᵀ],
 * with the scalars G₁ = Σ g_m, G₂ = Σ g_m², and the log-likelihood term w·Σ log den_m: O(d) scalar
 * work plus O(p²) per death time. With integer-day times (71,775 deaths on 2,580 days at 100,000
 * patients) that removes most of the kernel's cost. It is the same quantity with the additions in
 * another order (agreeing with the per-death form to rounding; test/survival/coxEfronTies.test.ts), the
 * Breslow term is exact as above, and the Efron corrections vanish exactly when nobody but the tied
 * deaths is at risk (denom = 0, a = 0: then every mean_m is M, as in R).
 */
function addDeathTime(
  p: number,
  efron: boolean,
  deaths: number,
  deadwt: number,
  denom: number,
  denom2: number,
  a: Float64Array,
  a2: Float64Array,
  cmat: Float64Array,
  cmat2: Float64Array,
  u: Float64Array,
  imat: Float64Array,
  g: number,
  imatG: Float64Array | null,
  imatGG: Float64Array | null,
  mean: Float64Array,
  delta: Float64Array
): number {
  const den = denom + denom2;
  // M and δ once per death time (p divisions, not p²).
  for (let i = 0; i < p; ++i) mean[i] = (a[i] + a2[i]) / den;
  if (!efron || deaths === 1) {
    for (let i = 0; i < p; ++i) {
      const mi = mean[i];
      u[i] -= deadwt * mi;
      if (imatG) u[p + i] -= g * deadwt * mi;
      const row = i * p;
      for (let j = 0; j <= i; ++j) {
        const v = deadwt * ((cmat[row + j] + cmat2[row + j]) / den - mi * mean[j]);
        imat[row + j] += v;
        if (imatG) {
          imatG[row + j] += g * v;
          imatGG![row + j] += g * g * v;
        }
      }
    }
    return deadwt * Math.log(den);
  }
  const w = deadwt / deaths;
  const {sLog, g1, g2} = efronSums(deaths, denom, denom2);
  const wg1 = w * g1;
  const wg2 = w * g2;
  for (let i = 0; i < p; ++i) delta[i] = (denom2 * a[i] - denom * a2[i]) / den;
  for (let i = 0; i < p; ++i) {
    const mi = mean[i];
    const di = delta[i];
    const ui = deadwt * mi + wg1 * di;
    u[i] -= ui;
    if (imatG) u[p + i] -= g * ui;
    const row = i * p;
    for (let j = 0; j <= i; ++j) {
      const mj = mean[j];
      const dj = delta[j];
      const c = cmat[row + j];
      const c2 = cmat2[row + j];
      const v = deadwt * ((c + c2) / den - mi * mj) + (wg1 * ((denom2 * c - denom * c2) / den - mi * dj - di * mj) - wg2 * di * dj);
      imat[row + j] += v;
      if (imatG) {
        imatG[row + j] += g * v;
        imatGG![row + j] += g * g * v;
      }
    }
  }
  return w * sLog;
}

function allFinite(v: Float64Array): boolean {
  for (let i = 0; i < v.length; ++i) if (!Number.isFinite(v[i])) return false;
  return true;
}

/** Test with p-value; df 0 gives p = 1 (R's pchisq(0, 0, lower.tail = FALSE)). */
function chiTest(stat: number, df: number): ChiSquaredTest {
  return {stat, df, p: df === 0 ? 1 : chiSquaredUpper(stat, df)};
}

const finiteOrNull = (v: number): number | null => (Number.isFinite(v) ? v : null);

/**
 * Cox proportional-hazards regression, matching R's
 * `coxph(Surv(time, event) ~ x, ties = "efron" | "breslow", weights, strata(...))` (survival 3.5-3)
 * and, with `data.entry`, `coxph(Surv(entry, time, event) ~ x)` on (start, stop] rows.
 *
 * Newton–Raphson as R's `coxfit6` / `agfit4`: centred and scaled X, step-halving when the log
 * likelihood decreases, stop when |1 − loglik_old / loglik_new| ≤ eps (default 1e-9, at most 20
 * iterations); aliased columns (Cholesky pivot below `tolerChol`) get a null coefficient (R's NA)
 * and the rest are fitted. Where R warns, `warnings` carries the message ("Ran out of iterations
 * and did not converge"; "Loglik converged before variable k; coefficient may be infinite", also
 * flagged per term as `possiblyInfinite`).
 *
 * Scales: `coef` is a log hazard ratio per unit of the covariate (per level versus the reference
 * for `name=level` terms); `hr`, `lower`, `upper` are hazard ratios; `loglik` is the log partial
 * likelihood; tests are chi-squared on the non-aliased df. Zero events give R's result: null
 * coefficients, loglik [0, 0], all tests 0 on 0 df with p = 1.
 *
 * The sorted data, scaled coefficients and design behind the fit are kept in a WeakMap (outside the
 * serialisable result) for `coxZph(fit)`.
 *
 * With `concordance: false` (see {@link CoxOptionsWithoutConcordance}) the concordance is not
 * computed and the fit's `concordance` is null; every other field is the same.
 */
export function coxPH(data: SurvivalData, x: DesignMatrix, options: CoxOptionsWithoutConcordance): CoxFitWithoutConcordance;
export function coxPH(data: SurvivalData, x: DesignMatrix, options?: CoxOptions): CoxFit;
export function coxPH(data: SurvivalData, x: DesignMatrix, options: CoxOptions | CoxOptionsWithoutConcordance = {}): CoxFit | CoxFitWithoutConcordance {
  const settings = coxSettings(options);
  return fitCoxModel(prepareCoxModel(data, x, {ties: settings.ties, cause: settings.cause, timefix: settings.timefix}), x, settings);
}

/**
 * Right-censored survival rows validated and put in time order once, for many Cox fits on subsets of
 * them (see {@link coxRowSet}, {@link coxPHRows}).
 */
export interface CoxRowSet {
  /** The caller's columns (read when a subset falls back to coxPH). */
  readonly data: {readonly time: ArrayLike<number>; readonly event: ArrayLike<number>};
  /** The rows' times and event codes, as validated (used only when `order` is not null). */
  readonly time: Float64Array;
  readonly event: Int32Array;
  /**
   * The rows by time descending, ties in row order (coxPH's sort); null when a subset must be validated
   * and sorted as coxPH does: a missing or invalid value, or times that R's timefix could merge.
   */
  readonly order: Uint32Array | null;
  /** Each row's position in `order` (empty when `order` is null). */
  readonly rank: Uint32Array;
  /** Scratch for coxPHRows, by position in `order`: 0, or 1 + the position in the subset being selected of that row. */
  readonly slot: Int32Array;
}

/**
 * Validate and order right-censored rows once for {@link coxPHRows}. Never throws on the data: rows that
 * are missing a value or invalid, or times that are not whole numbers below 10⁷ (which R's timefix could
 * merge), make every coxPHRows call fall back to coxPH on the subset's own arrays (with its errors).
 */
export function coxRowSet(data: {time: ArrayLike<number>; event: ArrayLike<number>}): CoxRowSet {
  const m = data.time.length;
  const time = Float64Array.from(data.time);
  const event = Int32Array.from(data.event);
  let order: Uint32Array | null = null;
  try {
    const input = prepareSurvivalInput({time: data.time, event: data.event}, {timefix: false, allowZeroWeights: false});
    // Copies equal to the data (an event code that is not an integer would not survive Int32Array).
    let same = input.n === m && input.event.length === m;
    for (let i = 0; same && i < m; ++i) same = input.event[i] === event[i] && Object.is(input.time[i], time[i]);
    if (same && timefixIsNoop(time, null)) order = sortByKey(identityOrder(m), time, true);
  } catch (e) {
    if (!(e instanceof SurvivalInputError || e instanceof RangeError)) throw e;
  }
  const rank = new Uint32Array(order ? m : 0);
  if (order) for (let k = 0; k < m; ++k) rank[order[k]] = k;
  return {data: {time: data.time, event: data.event}, time, event, order, rank, slot: new Int32Array(order ? m : 0)};
}

/**
 * The Cox model of `x` on some rows of a {@link coxRowSet}: exactly `coxPH({time, event}, x, options)`
 * with `time` and `event` the set's values at `rows` (the fit's `rows`, `linearPredictors` and any
 * error refer to positions in `rows`), without validating and sorting those rows again — the subset's
 * time order is read off the set's. `rows` are indices into the set, strictly increasing (otherwise, as
 * for a set that cannot be ordered once, the subset is validated and sorted as coxPH does); `x` has one
 * row per entry of `rows`. For callers that fit many models on subsets of the same patients (the
 * Subgroups page's forest: about 50 per filter change).
 */
export function coxPHRows(set: CoxRowSet, rows: ArrayLike<number>, x: DesignMatrix, options: CoxOptionsWithoutConcordance): CoxFitWithoutConcordance;
export function coxPHRows(set: CoxRowSet, rows: ArrayLike<number>, x: DesignMatrix, options?: CoxOptions): CoxFit;
export function coxPHRows(set: CoxRowSet, rows: ArrayLike<number>, x: DesignMatrix, options: CoxOptions | CoxOptionsWithoutConcordance = {}): CoxFit | CoxFitWithoutConcordance {
  const n = rows.length;
  const m = set.time.length;
  const base = set.order;
  const time = new Float64Array(n);
  const event = new Int32Array(n);
  let fast = base !== null && x.n === n;
  for (let i = 0, last = -1; fast && i < n; ++i) {
    const r = rows[i];
    if (!(Number.isInteger(r) && r > last && r < m) || x.missing[i]) fast = false;
    last = r;
    time[i] = set.time[r];
    event[i] = set.event[r];
  }
  if (!fast || !base) {
    const {data} = set;
    return coxPH({time: Array.from(rows, (r) => data.time[r]), event: Array.from(rows, (r) => data.event[r])}, x, options);
  }
  const settings = coxSettings(options);
  const {ties, cause} = settings;
  // prepareCoxModel's checks, in its order (the rows are valid and complete: nothing else can fail).
  if (ties !== "efron" && ties !== "breslow") throw new SurvivalInputError("ties", null, ties, 'ties must be "efron" or "breslow"');
  if (cause !== undefined && !(Number.isInteger(cause) && cause >= 1)) throw new SurvivalInputError("cause", null, cause, "cause must be an integer ≥ 1");
  // The subset in time order: the set's order restricted to it (both stable, and the subset keeps the
  // set's row order), or — for a small subset — its own sort, as coxPH would do.
  let order: Uint32Array;
  if (n * 8 < m) order = sortByKey(identityOrder(n), time, true);
  else {
    // Mark the subset's rows at their positions in the set's order, then read the marks in that order
    // (one sequential pass, branch-free: a write per position, advancing only at a mark).
    const {slot, rank} = set;
    for (let i = 0; i < n; ++i) slot[rank[rows[i]]] = i + 1;
    const out = new Uint32Array(n + 1);
    let q = 0;
    for (let k = 0; k < m; ++k) {
      const j = slot[k];
      out[q] = j - 1;
      q += +(j !== 0);
      slot[k] = 0;
    }
    order = out.subarray(0, n);
  }
  const input: CoxInput = {n, time, entry: null, rowsKept: identityRows(n), strataKept: new Int32Array(n), eventKept: event, weightsKept: null, oneStratum: true, order, dropped: {total: 0, reasons: []}};
  return fitCoxModel(coxModelFromInput(input, x, ties, cause), x, settings);
}

function identityRows(n: number): Int32Array {
  const r = new Int32Array(n);
  for (let i = 0; i < n; ++i) r[i] = i;
  return r;
}

/** coxPH's options with their defaults, checked. */
function coxSettings(options: CoxOptions | CoxOptionsWithoutConcordance) {
  const withConcordance = !("concordance" in options && options.concordance === false);
  const {
    ties = "efron",
    cause,
    maxIter = 20,
    eps = 1e-9,
    tolerChol = DEFAULT_TOLER_CHOL,
    tolerInf = Math.sqrt(eps),
    init,
    confLevel = 0.95,
    timefix = true
  } = options;
  if (!(Number.isInteger(maxIter) && maxIter >= 0)) throw new SurvivalInputError("maxIter", null, maxIter, "must be an integer ≥ 0");
  if (!(eps > 0)) throw new SurvivalInputError("eps", null, eps, "must be > 0");
  if (!(confLevel > 0 && confLevel < 1)) throw new SurvivalInputError("confLevel", null, confLevel, "must be between 0 and 1");
  return {withConcordance, ties, cause, maxIter, eps, tolerChol, tolerInf, init, confLevel, timefix};
}

/** coxPH on its prepared model data (prepareCoxModel's result). */
function fitCoxModel(
  prepared: {model: CoxModelData; dropped: DroppedRows; plainMeans: Float64Array},
  x: DesignMatrix,
  {withConcordance, ties, maxIter, eps, tolerChol, tolerInf, init, confLevel}: ReturnType<typeof coxSettings>
): CoxFit | CoxFitWithoutConcordance {
  const {model, dropped, plainMeans} = prepared;
  const {n, p, scale, centre} = model;
  const counting = model.start !== null;
  let events = 0;
  const sortedStatus = model.status;
  for (let k = 0; k < n; ++k) events += sortedStatus[k];
  if (init && init.length !== p) throw new SurvivalInputError("init", null, init.length, `must have ${p} values, one per term`);
  const beta0 = new Float64Array(p);
  for (let j = 0; j < p; ++j) {
    const b = init ? init[j] : 0;
    if (!Number.isFinite(b)) throw new SurvivalInputError("init", j + 1, b, "initial values must be finite");
    beta0[j] = b;
  }
  // R's means: 0 for 0/±1 columns, else the weighted mean (coxph.fit) or plain mean (agreg.fit).
  const means = new Float64Array(p);
  for (let j = 0; j < p; ++j) {
    if (scale[j] === 1 && centre[j] === 0) continue;
    means[j] = counting ? plainMeans[j] : centre[j];
  }
  // Linear predictors x·β − Σ β·means from the centred/scaled X: x = x'/scale + centre.
  const linearPredictorsSorted = (b: Float64Array) => {
    const lp = new Float64Array(n);
    const bs = Float64Array.from(b, (v, j) => v / scale[j]);
    let off = 0;
    for (let j = 0; j < p; ++j) off += b[j] * (centre[j] - means[j]);
    const pat = model.patterns;
    if (pat) {
      // One value per distinct row of X (the same arithmetic as below for each of its rows).
      const byPattern = new Float64Array(pat.count);
      for (let c = 0; c < pat.count; ++c) {
        let v = 0;
        for (let j = 0; j < p; ++j) v += pat.x[c * p + j] * bs[j];
        byPattern[c] = v + off;
      }
      for (let k = 0; k < n; ++k) lp[k] = byPattern[pat.index[k]];
      return lp;
    }
    const xs = modelX(model);
    for (let k = 0; k < n; ++k) {
      let v = 0;
      const o = k * p;
      for (let j = 0; j < p; ++j) v += xs[o + j] * bs[j];
      lp[k] = v + off;
    }
    return lp;
  };
  const toCallerOrder = (sorted: Float64Array) => {
    const values = new Float64Array(n);
    const rows = new Int32Array(n);
    const {inputIndex, rows: sortedRows} = model;
    for (let k = 0; k < n; ++k) {
      const i = inputIndex[k];
      values[i] = sorted[k];
      rows[i] = sortedRows[k];
    }
    return {values, rows};
  };
  const z = normalQuantile(1 - (1 - confLevel) / 2);
  const ex = x as DesignMatrix;

  if (events === 0 || p === 0) {
    // R (coxph, zero events): coefficients NA, var 0, loglik (0, 0), tests 0 on 0 df.
    const lp = linearPredictorsSorted(new Float64Array(p));
    const {values, rows} = toCallerOrder(lp);
    let ll: [number | null, number | null] = [0, 0];
    if (events > 0) {
      const st = coxKernel(model, new Float64Array(0));
      ll = [st.loglik, st.loglik];
    }
    const fit: CoxFit | CoxFitWithoutConcordance = {
      terms: ex.terms.map((term) => ({term, coef: null, se: null, hr: null, lower: null, upper: null, z: null, p: null, possiblyInfinite: false})),
      n,
      events,
      dropped,
      loglik: ll,
      lrTest: chiTest(0, 0),
      waldTest: chiTest(0, 0),
      scoreTest: chiTest(0, 0),
      concordance: withConcordance ? coxConcordance(model, lp) : null,
      converged: true,
      iterations: 0,
      warnings: [],
      ties,
      variance: ex.terms.map(() => ex.terms.map(() => 0)),
      score: ex.terms.map(() => 0),
      means: Array.from(means),
      linearPredictors: values,
      rows
    };
    return attachModel(fit, model, new Float64Array(p), ex);
  }

  // Initial values must not overflow exp() (R: C13). With β = 0 every linear predictor is 0 (X is finite).
  if (beta0.some((b) => b !== 0)) {
    const lp0 = linearPredictorsSorted(beta0);
    let allZero = true;
    for (let k = 0; k < n; ++k) {
      const e = Math.exp(lp0[k]);
      if (!Number.isFinite(e)) throw new SurvivalInputError("init", null, undefined, "initial values lead to overflow or underflow of the exp function");
      if (e !== 0) allZero = false;
    }
    if (allZero) throw new SurvivalInputError("init", null, undefined, "initial values lead to overflow or underflow of the exp function");
  }

  const nr = counting ? newtonAgreg(model, beta0, maxIter, eps, tolerChol) : newtonCoxfit(model, beta0, maxIter, eps, tolerChol);
  // Back to the original scale.
  const beta = new Float64Array(p);
  const u = new Float64Array(p);
  const variance = new Float64Array(p * p);
  for (let i = 0; i < p; ++i) {
    beta[i] = nr.beta[i] * scale[i];
    u[i] = nr.u[i] / scale[i];
    for (let j = 0; j < p; ++j) variance[i * p + j] = nr.variance[i * p + j] * scale[i] * scale[j];
  }
  const aliased = new Uint8Array(p);
  if (nr.rank < p) for (let j = 0; j < p; ++j) if (variance[j * p + j] === 0) aliased[j] = 1;

  const warnings: string[] = [];
  const possiblyInfinite = new Uint8Array(p);
  const lpSorted = linearPredictorsSorted(beta);
  if (maxIter > 1) {
    const infs = new Float64Array(p);
    for (let j = 0; j < p; ++j) {
      let s = 0;
      for (let i = 0; i < p; ++i) s += u[i] * variance[i * p + j];
      infs[j] = Math.abs(s);
    }
    if (!nr.converged) {
      warnings.push("Ran out of iterations and did not converge");
      if (!counting) {
        let maxLp = -Infinity;
        for (let k = 0; k < n; ++k) if (lpSorted[k] > maxLp) maxLp = lpSorted[k];
        if (maxLp > 500 || !allFinite(infs)) warnings.push("one or more coefficients may be infinite");
      }
    } else {
      for (let j = 0; j < p; ++j) {
        const flag = counting
          ? !Number.isFinite(u[j]) || infs[j] > tolerInf * (1 + Math.abs(beta[j]))
          : !Number.isFinite(u[j]) || (infs[j] > eps && infs[j] > tolerInf * Math.abs(beta[j]));
        if (flag) possiblyInfinite[j] = 1;
      }
      const which = ex.terms.map((t, j) => (possiblyInfinite[j] ? `${j + 1} (${t})` : null)).filter((v) => v !== null);
      if (which.length)
        warnings.push(`Loglik converged before variable ${which.join(", ")}; ${counting ? "beta" : "coefficient"} may be infinite`);
    }
  }

  const terms: CoxTerm[] = ex.terms.map((term, j) => {
    if (aliased[j] && maxIter > 0) return {term, coef: null, se: null, hr: null, lower: null, upper: null, z: null, p: null, possiblyInfinite: false};
    const coef = beta[j];
    const se = Math.sqrt(variance[j * p + j]);
    const ok = se > 0 && Number.isFinite(se);
    const zz = ok ? coef / se : NaN;
    return {
      term,
      coef: finiteOrNull(coef),
      se: finiteOrNull(se),
      hr: finiteOrNull(Math.exp(coef)),
      lower: ok ? finiteOrNull(Math.exp(coef - z * se)) : null,
      upper: ok ? finiteOrNull(Math.exp(coef + z * se)) : null,
      z: finiteOrNull(zz),
      p: ok ? finiteOrNull(normalTwoSided(zz)) : null,
      possiblyInfinite: possiblyInfinite[j] === 1
    };
  });

  // Tests on the non-aliased coefficients.
  const keep: number[] = [];
  for (let j = 0; j < p; ++j) if (!(aliased[j] && maxIter > 0)) keep.push(j);
  const df = keep.length;
  const lr = -2 * (nr.loglik0 - nr.loglik1);
  let wald = 0;
  if (df > 0) {
    const m = new Float64Array(df * df);
    const b = new Float64Array(df);
    keep.forEach((jj, a) => {
      b[a] = beta[jj] - beta0[jj];
      keep.forEach((kk, c) => (m[a * df + c] = variance[jj * p + kk]));
    });
    const bb = Float64Array.from(b);
    choleskyDecompose(m, df, tolerChol);
    choleskySolve(m, df, bb);
    for (let a = 0; a < df; ++a) wald += b[a] * bb[a];
  }
  const {values, rows} = toCallerOrder(lpSorted);
  const varOut: number[][] = [];
  for (let i = 0; i < p; ++i) varOut.push(Array.from(variance.subarray(i * p, (i + 1) * p)));
  const fit: CoxFit | CoxFitWithoutConcordance = {
    terms,
    n,
    events,
    dropped,
    loglik: [finiteOrNull(nr.loglik0), finiteOrNull(nr.loglik1)],
    lrTest: chiTest(finiteOrNull(lr) ?? NaN, df),
    waldTest: chiTest(wald, df),
    scoreTest: chiTest(nr.sctest, df),
    concordance: withConcordance ? coxConcordance(model, lpSorted) : null,
    converged: nr.converged,
    iterations: nr.iterations,
    warnings,
    ties,
    variance: varOut,
    score: Array.from(u),
    means: Array.from(means),
    linearPredictors: values,
    rows
  };
  return attachModel(fit, model, nr.beta, ex);
}

/**
 * R's coxph concordance (reverse = TRUE on the linear predictor) of the sorted model rows. For a 0/1
 * design on right-censored data it is counted on the rows summed by (stratum, time, pattern): the
 * rows of a pattern share their linear predictor, so a cell's rank is its pattern's rank among the
 * patterns' linear predictors.
 */
function coxConcordance(model: CoxModelData, lpSorted: Float64Array): ConcordanceResult {
  const cells = model.patterns?.cells;
  if (!model.patterns || !cells) return concordanceCounts(model.stop, model.start, model.status, model.weights, model.strata, lpSorted, true, true);
  const {count, firstRow} = model.patterns;
  // Each pattern's linear predictor (that of any of its rows), and its rank among them.
  const lpOf = new Float64Array(count);
  for (let c = 0; c < count; ++c) lpOf[c] = lpSorted[firstRow[c]];
  const byValue = Array.from({length: count}, (_, c) => c).sort((x, y) => lpOf[x] - lpOf[y]);
  const rankOf = new Int32Array(count);
  let nRank = 0;
  byValue.forEach((c, i) => {
    if (i === 0 || lpOf[c] !== lpOf[byValue[i - 1]]) ++nRank;
    rankOf[c] = nRank;
  });
  const {pattern} = cells;
  const cellRank = new Int32Array(pattern.length);
  for (let e = 0; e < pattern.length; ++e) cellRank[e] = rankOf[pattern[e]];
  return concordanceCells(cells.blockStart, cells.blockStratum, cellRank, nRank, cells.liveWeight, cells.liveWeight2, cells.deadWeight, cells.deadWeight2, true);
}

/** What coxPH attaches (non-enumerably) to a fit for coxZph. */
export interface CoxFitInternals {
  model: CoxModelData;
  /** Coefficients on the centred/scaled X of `model`. */
  scaledBeta: Float64Array;
  design: DesignMatrix;
}

const internals = new WeakMap<CoxFit, CoxFitInternals>();

function attachModel<F extends CoxFit | CoxFitWithoutConcordance>(fit: F, model: CoxModelData, scaledBeta: Float64Array, design: DesignMatrix): F {
  internals.set(fit as CoxFit, {model, scaledBeta, design});
  return fit;
}

/** The sorted model data, scaled coefficients and design behind a fit made by coxPH (for coxZph). */
export function fitInternals(fit: CoxFit): CoxFitInternals | null {
  return internals.get(fit) ?? null;
}

interface NewtonResult {
  beta: Float64Array;
  u: Float64Array;
  variance: Float64Array;
  loglik0: number;
  loglik1: number;
  sctest: number;
  rank: number;
  converged: boolean;
  iterations: number;
}

/** Score test u' I⁻¹ u at the initial values, and the Newton step I⁻¹ u. */
function firstStep(st: CoxKernelState, p: number, tolerChol: number): {rank: number; step: Float64Array; sctest: number; factor: Float64Array} {
  const factor = Float64Array.from(st.imat);
  const rank = choleskyDecompose(factor, p, tolerChol);
  const step = Float64Array.from(st.u);
  choleskySolve(factor, p, step);
  let sctest = 0;
  for (let i = 0; i < p; ++i) sctest += st.u[i] * step[i];
  return {rank, step, sctest, factor};
}

/**
 * Newton–Raphson for right-censored data with the control flow of R's `coxfit6`: convergence may
 * be declared during step-halving; on running out of iterations the loglik and score are
 * recomputed at the last accepted β and — as R's code does — the variance returned is the
 * diagonal matrix 1 / diag(I) (R inverts the freshly computed, unfactored information), and no
 * column is reported as aliased.
 */
function newtonCoxfit(model: CoxModelData, init: Float64Array, maxIter: number, eps: number, tolerChol: number): NewtonResult {
  const p = model.p;
  let beta = Float64Array.from(init, (b, j) => b / model.scale[j]);
  let st = coxKernel(model, beta);
  const loglik0 = st.loglik;
  const first = firstStep(st, p, tolerChol);
  const sctest = first.sctest;
  let rank = first.rank;
  if (maxIter === 0 || !Number.isFinite(loglik0)) {
    return {beta, u: st.u, variance: choleskyInverse(first.factor, p), loglik0, loglik1: loglik0, sctest, rank, converged: maxIter === 0 && Number.isFinite(loglik0), iterations: 0};
  }
  let best = loglik0;
  let newbeta = Float64Array.from(beta, (b, i) => b + first.step[i]);
  let factor = first.factor;
  let halving = 0;
  for (let iter = 1; iter <= maxIter; ++iter) {
    st = coxKernel(model, newbeta);
    factor = Float64Array.from(st.imat);
    rank = choleskyDecompose(factor, p, tolerChol);
    const finite = allFinite(st.u) && allFinite(st.imat) && Number.isFinite(st.loglik);
    if (finite && Math.abs(1 - best / st.loglik) <= eps) {
      return {beta: newbeta, u: st.u, variance: choleskyInverse(factor, p), loglik0, loglik1: st.loglik, sctest, rank, converged: true, iterations: iter};
    }
    if (!finite || st.loglik < best) {
      ++halving;
      const h = halving;
      newbeta = Float64Array.from(newbeta, (b, i) => (b + h * beta[i]) / (h + 1));
    } else {
      halving = 0;
      best = st.loglik;
      const step = Float64Array.from(st.u);
      choleskySolve(factor, p, step);
      beta = newbeta;
      newbeta = Float64Array.from(beta, (b, i) => b + step[i]);
    }
  }
  // Ran out of iterations (R reports iter = maxIter + 1).
  if (maxIter > 1) {
    st = coxKernel(model, beta);
    const variance = new Float64Array(p * p);
    for (let i = 0; i < p; ++i) {
      const d = st.imat[i * p + i];
      variance[i * p + i] = d > 0 ? 1 / d : 0;
    }
    return {beta, u: st.u, variance, loglik0, loglik1: st.loglik, sctest, rank: p, converged: false, iterations: maxIter + 1};
  }
  // R flags no aliased columns when coxfit6 did not converge (flag = 1000): rank is reported as full.
  return {beta, u: st.u, variance: choleskyInverse(factor, p), loglik0, loglik1: best, sctest, rank: p, converged: false, iterations: maxIter + 1};
}

/**
 * Newton–Raphson for (start, stop] data with the control flow of R's `agfit4`: convergence only
 * when not step-halving and the rank did not change; when the last iterate of a non-converged fit
 * is worse than the best, β, loglik and variance are those of the best.
 */
function newtonAgreg(model: CoxModelData, init: Float64Array, maxIter: number, eps: number, tolerChol: number): NewtonResult {
  const p = model.p;
  let beta = Float64Array.from(init, (b, j) => b / model.scale[j]);
  let st = coxKernel(model, beta);
  const loglik0 = st.loglik;
  const first = firstStep(st, p, tolerChol);
  const rank = first.rank;
  const sctest = first.sctest;
  let factor = first.factor;
  if (maxIter === 0 || !Number.isFinite(loglik0)) {
    return {beta, u: st.u, variance: choleskyInverse(factor, p), loglik0, loglik1: loglik0, sctest, rank, converged: maxIter === 0 && Number.isFinite(loglik0), iterations: 0};
  }
  let best = loglik0;
  let oldbeta = beta;
  beta = Float64Array.from(beta, (b, i) => b + first.step[i]);
  let halving = 0;
  let converged = false;
  let iter = 1;
  for (; iter <= maxIter; ++iter) {
    st = coxKernel(model, beta);
    let fail = 0;
    for (let i = 0; i < p; ++i) if (!Number.isFinite(st.imat[i * p + i])) ++fail;
    factor = Float64Array.from(st.imat);
    const rank2 = choleskyDecompose(factor, p, tolerChol);
    if (!Number.isFinite(st.loglik)) ++fail;
    fail += Math.abs(rank - rank2);
    if (fail === 0 && halving === 0 && Math.abs(1 - best / st.loglik) <= eps) {
      converged = true;
      break;
    }
    if (iter === maxIter) {
      if (maxIter > 1 && (st.loglik - best) / Math.abs(best) < -eps) {
        beta = oldbeta;
        st = coxKernel(model, beta);
        factor = Float64Array.from(st.imat);
        choleskyDecompose(factor, p, tolerChol);
      }
      break;
    }
    if (fail > 0 || st.loglik < best) {
      ++halving;
      const h = halving;
      beta = Float64Array.from(beta, (b, i) => (oldbeta[i] * h + b) / (h + 1));
    } else {
      halving = 0;
      best = st.loglik;
      const step = Float64Array.from(st.u);
      choleskySolve(factor, p, step);
      oldbeta = beta;
      beta = Float64Array.from(beta, (b, i) => b + step[i]);
    }
  }
  return {beta, u: st.u, variance: choleskyInverse(factor, p), loglik0, loglik1: st.loglik, sctest, rank, converged, iterations: Math.min(iter, maxIter)};
}
