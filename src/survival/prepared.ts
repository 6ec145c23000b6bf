// Data prepared once, analysed many times: the engine's API for interactive filtering (issue 7).
//
// `prepareCohort(data)` validates the columns, ranks the stop times (distinct times + an integer rank
// per row) and codes groups, strata and causes as small integers — once, at load. A filter change is
// then a row mask: `selectRows(prepared, mask)` makes one counting pass over the rows into counts per
// (stratum, distinct time, group, cause), and the estimators' `…Prepared` functions work from those
// counts in time proportional to the number of distinct times. Results are those of the plain
// functions on the selected rows (deep-equal: same levels, same timefix merging, same dropped counts).
import {SurvivalInputError} from "./errors.js";
import {mergeNearTies, rankValues, sortLevels, validateSurvivalRows, type DroppedRows, type SurvivalData} from "./input.js";

export interface PrepareCohortOptions {
  /**
   * Merge near-tied times as R's `aeqSurv` (`timefix = TRUE`), default true. Applied to each
   * selection's own distinct times, as the plain functions apply it to the rows they are given.
   */
  timefix?: boolean;
}

/**
 * A cohort validated and ranked once. `rank`, `code`, `group` and `strata` have one entry per kept
 * row (the `n` rows without a missing value, in the caller's order; `rows` maps them to the caller's
 * rows); rows with a missing value are counted in a selection's `dropped`.
 */
export interface PreparedSurvival {
  /** Rows of the caller's data. */
  readonly N: number;
  /** Rows without a missing value. */
  readonly n: number;
  readonly timefix: boolean;
  /** The caller's columns (kept for the weighted and (entry, stop] Kaplan–Meier, which run on the selected rows). */
  readonly data: SurvivalData;
  /** True when case weights were given. */
  readonly weighted: boolean;
  /** True for (entry, stop] data. */
  readonly counting: boolean;
  /** True when a group / strata column was given. */
  readonly hasGroup: boolean;
  readonly hasStrata: boolean;
  /** Distinct stop times of the kept rows before any timefix merging, ascending. */
  readonly times: Float64Array;
  /** Caller's (0-based) row of each kept row. */
  readonly rows: Int32Array;
  /** Per kept row: index into `times`. */
  readonly rank: Int32Array;
  /** Event code slots: `codes[0]` = 0 (censored), then the causes present among kept rows, ascending. */
  readonly codes: number[];
  /** Per kept row: index into `codes`. */
  readonly code: Int32Array;
  /** Per kept row: index into `groupLevels` / `strataLevels` (0 without the column). */
  readonly group: Int32Array;
  readonly groupLevels: (string | null)[];
  readonly strata: Int32Array;
  readonly strataLevels: (string | null)[];
  /** Per row: 0 when kept, else 1 + index into `missingFields` of the first missing field. */
  readonly reason: Uint8Array;
  readonly missingFields: readonly string[];
  /**
   * Per row: its cell ((stratum · M + rank) · G + group) · C + code of the dense count array, and
   * for a dropped row S · M · G · C + its reason. Null when the dense array would be too large.
   */
  readonly cell: Int32Array | null;
  /** The rows with a missing value, ascending. */
  readonly droppedRows: Int32Array;
}

/** A row mask in the caller's row order: a truthy entry selects the row. */
export type RowMask = ArrayLike<boolean | number>;

/** Largest dense count array (cells) a selection allocates; beyond it the counts are built by sorting. */
const DENSE_LIMIT_MIN = 1 << 21;

/**
 * Validate and rank a cohort once (see the module comment). Throws `SurvivalInputError` for invalid
 * values exactly as `prepareSurvivalInput` does, for every row of `data` (the plain functions check
 * only the rows they are given). The arrays of `data` must not change afterwards.
 */
export function prepareCohort(data: SurvivalData, options: PrepareCohortOptions = {}): PreparedSurvival {
  const {timefix = true} = options;
  const {input, reason, missingFields} = validateSurvivalRows(data, {timefix: false, allowZeroWeights: true});
  const N = reason.length;
  const {n, rows} = input;
  const {distinct, rank} = rankValues(input.time);
  const codes = [0, ...input.causes];
  const code = new Int32Array(n);
  const maxCode = codes[codes.length - 1];
  if (maxCode < 4096) {
    const slot = new Int32Array(maxCode + 1);
    codes.forEach((c, j) => (slot[c] = j));
    for (let j = 0; j < n; ++j) code[j] = slot[input.event[j]];
  } else {
    const slot = new Map(codes.map((c, j) => [c, j]));
    for (let j = 0; j < n; ++j) code[j] = slot.get(input.event[j])!;
  }
  const {group, strata} = input;
  const M = distinct.length;
  const G = input.groupLevels.length;
  const S = input.strataLevels.length;
  const C = codes.length;
  let cell: Int32Array | null = null;
  const D = S * M * G * C;
  if (D <= denseLimit(N)) {
    cell = new Int32Array(N);
    for (let i = 0, j = 0; i < N; ++i) {
      const x = reason[i];
      if (x) cell[i] = D + x;
      else {
        cell[i] = ((strata[j] * M + rank[j]) * G + group[j]) * C + code[j];
        ++j;
      }
    }
  }
  const droppedRows = new Int32Array(N - n);
  for (let i = 0, k = 0; i < N; ++i) if (reason[i]) droppedRows[k++] = i;
  return {
    N,
    n,
    timefix,
    data,
    weighted: input.weights !== null,
    counting: input.entry !== null,
    hasGroup: !!data.group,
    hasStrata: !!data.strata,
    times: distinct,
    rows,
    rank,
    codes,
    code,
    group,
    groupLevels: input.groupLevels,
    strata,
    strataLevels: input.strataLevels,
    reason,
    missingFields,
    cell,
    droppedRows
  };
}

const byRankCache = new WeakMap<PreparedSurvival, Uint32Array>();

/** Kept rows (indices j) in order of rank, ties in row order (a counting sort; computed once, for the sparse path). */
function rowsByRank(prepared: PreparedSurvival): Uint32Array {
  let order = byRankCache.get(prepared);
  if (!order) {
    const {rank, n} = prepared;
    const M = prepared.times.length;
    const start = new Int32Array(M + 1);
    for (let j = 0; j < n; ++j) ++start[rank[j] + 1];
    for (let r = 0; r < M; ++r) start[r + 1] += start[r];
    order = new Uint32Array(n);
    for (let j = 0; j < n; ++j) order[start[rank[j]]++] = j;
    byRankCache.set(prepared, order);
  }
  return order;
}

function denseLimit(N: number): number {
  return Math.max(DENSE_LIMIT_MIN, 4 * N);
}

/**
 * Counts per time for one key (a stratum or a group): `cells` rows in ascending time, each with a
 * block of `width` counts (per group and code slot for strata keys, per code slot for group keys).
 */
export interface CountCells {
  /** Number of keys; the cells of key κ are `start[κ]` … `start[κ + 1] − 1`. */
  keys: number;
  start: Int32Array;
  /** Per cell: index into the selection's `times`. */
  time: Int32Array;
  width: number;
  counts: Int32Array;
}

/**
 * The selected rows of a prepared cohort, reduced to counts. Levels, causes and times are those
 * present among the selected rows without a missing value, as the plain functions see them.
 */
export interface SurvivalSelection {
  readonly prepared: PreparedSurvival;
  /** The mask the selection was made with (null: every row), for the weighted/(entry, stop] fallbacks. */
  readonly mask: RowMask | null;
  /** Selected rows without a missing value. */
  readonly n: number;
  /** Selected rows with a missing value, by field (in the order they first occur). */
  readonly dropped: DroppedRows;
  /** Distinct stop times of the selected rows after timefix merging, ascending. */
  readonly times: Float64Array;
  /** Group / strata levels present, in `sortLevels` order (`[null]` without the column). */
  readonly groupLevels: (string | null)[];
  readonly strataLevels: (string | null)[];
  /** Causes present, ascending. */
  readonly causes: number[];
  /** Counts by stratum: blocks of (group, code slot of `prepared.codes`). */
  byStrata(): CountCells;
  /** Counts by group over all strata: blocks of code slots. */
  byGroup(): CountCells;
}

/** `selectRows` or a selection given directly (with no mask). */
export function asSelection(source: PreparedSurvival | SurvivalSelection, mask: RowMask | null | undefined): SurvivalSelection {
  if ("prepared" in source) {
    if (mask !== null && mask !== undefined) throw new SurvivalInputError("mask", null, undefined, "a selection is already masked; pass no mask with it");
    return source;
  }
  return selectRows(source, mask ?? null);
}

/**
 * One pass over the rows of a prepared cohort selected by `mask` (null: all rows): counts per
 * (stratum, distinct time, group, cause), the levels, causes and times present, and the rows dropped
 * for a missing value among those selected. Share one selection between the estimators of a filter
 * state (`kaplanMeierPrepared(selection)`, `logRankPrepared(selection)`, …).
 */
export function selectRows(prepared: PreparedSurvival, mask: RowMask | null = null): SurvivalSelection {
  const {N, times: rawTimes, codes, groupLevels: allGroups, strataLevels: allStrata} = prepared;
  if (mask !== null && mask.length !== N) throw new SurvivalInputError("mask", null, mask.length, `has ${mask.length} values but the cohort has ${N} rows`);
  const M = rawTimes.length;
  const G = allGroups.length;
  const S = allStrata.length;
  const C = codes.length;
  const nFields = prepared.missingFields.length;
  const missing = new Array<number>(nFields + 1).fill(0);
  const firstSeen: number[] = [];
  let dense: Int32Array | null = null;
  let selected: Uint32Array | null = null; // sparse path: selected kept rows (indices j) in rank order
  const cell = prepared.cell;
  const D = S * M * G * C;
  if (cell) {
    // Dropped rows count in cells D + reason, after the data cells.
    dense = new Int32Array(D + nFields + 1);
    if (mask === null) countAll(cell, dense);
    else if (mask instanceof Uint8Array || mask instanceof Uint8ClampedArray) countBytes(cell, mask, dense);
    else countMasked(cell, mask, dense);
    for (let f = 1; f <= nFields; ++f) missing[f] = dense[D + f];
    const kinds = missing.filter((m) => m > 0).length;
    if (kinds === 1) firstSeen.push(missing.findIndex((m) => m > 0));
    else if (kinds > 1) {
      // the order in which the reasons first occur among the selected rows
      const seen = new Uint8Array(nFields + 1);
      const {droppedRows, reason} = prepared;
      for (let k = 0; k < droppedRows.length && firstSeen.length < kinds; ++k) {
        const i = droppedRows[k];
        if ((mask === null || mask[i]) && !seen[reason[i]]) (seen[reason[i]] = 1), firstSeen.push(reason[i]);
      }
    }
  } else {
    const {reason, droppedRows} = prepared;
    for (let k = 0; k < droppedRows.length; ++k) {
      const i = droppedRows[k];
      const x = reason[i];
      if ((mask === null || mask[i]) && missing[x]++ === 0) firstSeen.push(x);
    }
    const byRank = rowsByRank(prepared);
    const buf = new Uint32Array(byRank.length);
    let m = 0;
    const rows = prepared.rows;
    for (let k = 0; k < byRank.length; ++k) if (mask === null || mask[rows[byRank[k]]]) buf[m++] = byRank[k];
    selected = buf.subarray(0, m);
  }

  // What is present among the selected kept rows.
  const timePresent = new Uint8Array(M);
  const groupCount = new Float64Array(G);
  const strataCount = new Float64Array(S);
  const codeCount = new Float64Array(C);
  let n = 0;
  if (dense) {
    for (let s = 0, x = 0; s < S; ++s)
      for (let t = 0; t < M; ++t)
        for (let g = 0; g < G; ++g)
          for (let c = 0; c < C; ++c, ++x) {
            const v = dense[x];
            if (v === 0) continue;
            timePresent[t] = 1;
            groupCount[g] += v;
            strataCount[s] += v;
            codeCount[c] += v;
            n += v;
          }
  } else {
    const {rank, group, strata, code} = prepared;
    for (let k = 0; k < selected!.length; ++k) {
      const i = selected![k];
      timePresent[rank[i]] = 1;
      ++groupCount[group[i]];
      ++strataCount[strata[i]];
      ++codeCount[code[i]];
    }
    n = selected!.length;
  }

  // Times present, merged as timefix merges the selected rows' times.
  let timeIndex: Int32Array;
  let times: Float64Array;
  if (prepared.timefix) {
    const merged = mergeNearTies(rawTimes, timePresent);
    timeIndex = merged.index;
    times = merged.values;
  } else {
    timeIndex = new Int32Array(M).fill(-1);
    let m = 0;
    for (let t = 0; t < M; ++t) if (timePresent[t]) timeIndex[t] = m++;
    times = new Float64Array(m);
    for (let t = 0; t < M; ++t) if (timePresent[t]) times[timeIndex[t]] = rawTimes[t];
  }

  const groupMap = presentLevels(allGroups, groupCount, prepared.hasGroup);
  const strataMap = presentLevels(allStrata, strataCount, prepared.hasStrata);
  const causes: number[] = [];
  for (let c = 1; c < C; ++c) if (codeCount[c] > 0) causes.push(codes[c]);
  const dropped: DroppedRows = {
    total: firstSeen.reduce((a, f) => a + missing[f], 0),
    reasons: firstSeen.map((f) => ({field: prepared.missingFields[f - 1], count: missing[f]}))
  };

  let strataCells: CountCells | null = null;
  let groupCells: CountCells | null = null;
  const G2 = groupMap.levels.length;
  const S2 = strataMap.levels.length;
  return {
    prepared,
    mask,
    n,
    dropped,
    times,
    groupLevels: groupMap.levels,
    strataLevels: strataMap.levels,
    causes,
    byStrata() {
      if (!strataCells) {
        strataCells = dense
          ? denseCells(dense, M, G, C, strataMap.order, timeIndex, groupMap.remap, G2)
          : sortedCells(prepared, selected!, prepared.strata, strataMap.order.length, strataMap.remap, timeIndex, groupMap.remap, G2);
      }
      return strataCells;
    },
    byGroup() {
      if (!groupCells) {
        if (dense && S === 1) {
          // One stratum: the group cells are the stratum's blocks split by group.
          groupCells = splitByGroup(this.byStrata(), G2, C);
        } else if (dense) {
          const sum = new Int32Array(M * G * C);
          for (let s = 0; s < S; ++s) {
            const o = s * M * G * C;
            for (let x = 0; x < sum.length; ++x) sum[x] += dense[o + x];
          }
          // [t][g][c] seen as one stratum with groups as keys: transpose into [g][t][c].
          const byG = new Int32Array(G * M * C);
          for (let t = 0; t < M; ++t)
            for (let g = 0; g < G; ++g)
              for (let c = 0; c < C; ++c) byG[(g * M + t) * C + c] = sum[(t * G + g) * C + c];
          groupCells = denseCells(byG, M, 1, C, groupMap.order, timeIndex, null, 1);
        } else {
          groupCells = sortedCells(prepared, selected!, prepared.group, groupMap.order.length, groupMap.remap, timeIndex, null, 1);
        }
      }
      return groupCells;
    }
  };
}

// The counting pass, one small function per kind of mask so that each stays monomorphic.
function countAll(cell: Int32Array, dense: Int32Array): void {
  for (let i = 0; i < cell.length; ++i) ++dense[cell[i]];
}

function countBytes(cell: Int32Array, mask: Uint8Array | Uint8ClampedArray, dense: Int32Array): void {
  for (let i = 0; i < cell.length; ++i) dense[cell[i]] += -mask[i] >>> 31; // 1 when mask[i] ≠ 0, without a branch
}

function countMasked(cell: Int32Array, mask: RowMask, dense: Int32Array): void {
  for (let i = 0; i < cell.length; ++i) if (mask[i]) ++dense[cell[i]];
}

/**
 * The levels present (count > 0), sorted as `sortLevels` sorts them (which can differ from their
 * order among all levels: "10" < "2" < "x", but 2 < 10 once "x" is filtered out). `order[κ]` is the
 * full-level code of the κ-th present level; `remap` maps full codes to present ones (−1: absent).
 * Without the column: one level, null.
 */
function presentLevels(all: (string | null)[], count: Float64Array, hasColumn: boolean): {levels: (string | null)[]; order: Int32Array; remap: Int32Array} {
  if (!hasColumn) return {levels: [null], order: Int32Array.of(0), remap: Int32Array.of(0)};
  const present: number[] = [];
  for (let g = 0; g < all.length; ++g) if (count[g] > 0) present.push(g);
  const labels = present.map((g) => all[g] as string);
  const sorted = sortLevels(labels);
  const codeOf = new Map(present.map((g) => [all[g] as string, g]));
  const order = Int32Array.from(sorted, (l) => codeOf.get(l)!);
  const remap = new Int32Array(all.length).fill(-1);
  order.forEach((g, k) => (remap[g] = k));
  return {levels: sorted, order, remap};
}

/**
 * Cells from a dense [key][time][inner][code] array: keys in `keyOrder` (full codes, present only),
 * raw times merged by `timeIndex`, inner (group) codes remapped by `innerRemap` into `inner2` slots.
 */
function denseCells(
  dense: Int32Array,
  M: number,
  I: number,
  C: number,
  keyOrder: Int32Array,
  timeIndex: Int32Array,
  innerRemap: Int32Array | null,
  inner2: number
): CountCells {
  const W = inner2 * C;
  const K2 = keyOrder.length;
  const start = new Int32Array(K2 + 1);
  // Count cells first (distinct merged times with a row, per key).
  let total = 0;
  for (let k = 0; k < K2; ++k) {
    const base = keyOrder[k] * M * I * C;
    let last = -1;
    for (let t = 0; t < M; ++t) {
      const mt = timeIndex[t];
      if (mt < 0 || mt === last) continue;
      const o = base + t * I * C;
      let any = false;
      for (let x = 0; x < I * C; ++x)
        if (dense[o + x] !== 0) {
          any = true;
          break;
        }
      if (any) {
        ++total;
        last = mt;
      }
    }
  }
  const time = new Int32Array(total);
  const counts = new Int32Array(total * W);
  let cellNo = -1;
  for (let k = 0; k < K2; ++k) {
    start[k] = cellNo + 1;
    const base = keyOrder[k] * M * I * C;
    let last = -1;
    for (let t = 0; t < M; ++t) {
      const mt = timeIndex[t];
      if (mt < 0) continue;
      const o = base + t * I * C;
      let any = false;
      for (let x = 0; x < I * C; ++x)
        if (dense[o + x] !== 0) {
          any = true;
          break;
        }
      if (!any) continue;
      if (mt !== last) {
        time[++cellNo] = mt;
        last = mt;
      }
      const w = cellNo * W;
      for (let g = 0; g < I; ++g) {
        const g2 = innerRemap ? innerRemap[g] : 0;
        if (g2 < 0) continue;
        for (let c = 0; c < C; ++c) counts[w + g2 * C + c] += dense[o + g * C + c];
      }
    }
  }
  start[K2] = cellNo + 1;
  return {keys: K2, start, time, width: W, counts};
}

/** Cells from the selected rows (in rank order): a stable counting sort by key, then runs of equal merged time. */
function sortedCells(
  prepared: PreparedSurvival,
  selected: Uint32Array,
  keyOf: Int32Array,
  K2: number,
  keyRemap: Int32Array,
  timeIndex: Int32Array,
  innerRemap: Int32Array | null,
  inner2: number
): CountCells {
  const {rank, code, group} = prepared;
  const C = prepared.codes.length;
  const W = inner2 * C;
  const n = selected.length;
  const startRow = new Int32Array(K2 + 1);
  for (let k = 0; k < n; ++k) ++startRow[keyRemap[keyOf[selected[k]]] + 1];
  for (let k = 0; k < K2; ++k) startRow[k + 1] += startRow[k];
  const sorted = new Uint32Array(n);
  const fill = startRow.slice(0, K2);
  for (let k = 0; k < n; ++k) {
    const i = selected[k];
    sorted[fill[keyRemap[keyOf[i]]]++] = i;
  }
  // Number of cells.
  let total = 0;
  for (let k = 0; k < K2; ++k) {
    let last = -1;
    for (let q = startRow[k]; q < startRow[k + 1]; ++q) {
      const mt = timeIndex[rank[sorted[q]]];
      if (mt !== last) (++total, (last = mt));
    }
  }
  const start = new Int32Array(K2 + 1);
  const time = new Int32Array(total);
  const counts = new Int32Array(total * W);
  let cellNo = -1;
  for (let k = 0; k < K2; ++k) {
    start[k] = cellNo + 1;
    let last = -1;
    for (let q = startRow[k]; q < startRow[k + 1]; ++q) {
      const i = sorted[q];
      const mt = timeIndex[rank[i]];
      if (mt !== last) {
        time[++cellNo] = mt;
        last = mt;
      }
      const g2 = innerRemap ? innerRemap[group[i]] : 0;
      ++counts[cellNo * W + g2 * C + code[i]];
    }
  }
  start[K2] = cellNo + 1;
  return {keys: K2, start, time, width: W, counts};
}

/** Group cells from the cells of a single stratum (blocks [group][code]). */
function splitByGroup(cells: CountCells, G2: number, C: number): CountCells {
  const nCells = cells.time.length;
  const W = cells.width;
  const start = new Int32Array(G2 + 1);
  for (let j = 0; j < nCells; ++j)
    for (let g = 0; g < G2; ++g) {
      let any = false;
      for (let c = 0; c < C; ++c) if (cells.counts[j * W + g * C + c] !== 0) any = true;
      if (any) ++start[g + 1];
    }
  for (let g = 0; g < G2; ++g) start[g + 1] += start[g];
  const total = start[G2];
  const time = new Int32Array(total);
  const counts = new Int32Array(total * C);
  const fill = start.slice(0, G2);
  for (let j = 0; j < nCells; ++j)
    for (let g = 0; g < G2; ++g) {
      let any = false;
      for (let c = 0; c < C; ++c) if (cells.counts[j * W + g * C + c] !== 0) any = true;
      if (!any) continue;
      const q = fill[g]++;
      time[q] = cells.time[j];
      for (let c = 0; c < C; ++c) counts[q * C + c] = cells.counts[j * W + g * C + c];
    }
  return {keys: G2, start, time, width: C, counts};
}

/**
 * The selected rows' columns (for the estimators that work row by row: weighted or (entry, stop]
 * Kaplan–Meier). Rows are in the caller's order.
 */
export function selectedData(selection: SurvivalSelection): SurvivalData {
  const {prepared, mask} = selection;
  const d = prepared.data;
  if (mask === null) return d;
  const idx: number[] = [];
  for (let i = 0; i < prepared.N; ++i) if (mask[i]) idx.push(i);
  const num = (col: ArrayLike<number>) => idx.map((i) => col[i]);
  const lab = <T>(col: ArrayLike<T>) => idx.map((i) => col[i]);
  return {
    time: num(d.time),
    event: num(d.event),
    entry: d.entry ? num(d.entry) : undefined,
    group: d.group ? lab(d.group) : undefined,
    strata: d.strata ? lab(d.strata) : undefined,
    weights: d.weights ? num(d.weights) : undefined
  };
}
