import {SurvivalInputError} from "./errors.js";
import {prepareSurvivalInput, type SurvivalData} from "./input.js";
import {identityOrder, sortByKey, sortBySmallInt} from "./math/radixOrder.js";

/** Pair counts and Harrell's concordance, as the `concordance` element of an R coxph fit. */
export interface ConcordanceResult {
  /** Weighted count of concordant pairs (after `reverse`, as R labels them). */
  concordant: number;
  discordant: number;
  /** Pairs tied on the score but not on time. */
  tiedX: number;
  /** Pairs of events at the same time with different scores. */
  tiedY: number;
  /** Pairs of events at the same time with equal scores. */
  tiedXY: number;
  /** (concordant + tiedX / 2) / (concordant + discordant + tiedX); null when there is no comparable pair. */
  concordance: number | null;
  /** Infinitesimal-jackknife standard error of the concordance (R's `std`); null when undefined. */
  std: number | null;
}

export interface ConcordanceOptions {
  /** Larger scores predict shorter survival (as for a Cox risk score). Default false, as R. */
  reverse?: boolean;
  /** Merge near-tied times as R's `aeqSurv`. Default true, as R's `concordance()`. */
  timefix?: boolean;
  /** Count only events of this cause (others censored). Default: any cause. */
  cause?: number;
}

/**
 * Harrell's concordance between a score and a (possibly stratified, weighted, left-truncated)
 * survival outcome, as R's `concordance(Surv(time, status) ~ score, timewt = "n")` (survival 3.5-3,
 * `concordancefit`). A pair is comparable when the earlier member has an event and the other is
 * still at risk at that time (censorings tied with an event time count as at risk; events tied in
 * time count as `tiedY`); pairs are formed within strata, weighted by the product of case weights.
 * With `reverse: true` (what `coxph` uses) a higher score is expected to go with shorter survival.
 * `std` is R's infinitesimal-jackknife standard error (`sqrt(var)`). Cost O(n log n).
 */
export function concordance(data: SurvivalData, score: ArrayLike<number>, options: ConcordanceOptions = {}): ConcordanceResult {
  const {reverse = false, timefix = true, cause} = options;
  const N = data.time.length;
  if (score.length !== N) throw new SurvivalInputError("score", null, undefined, `has ${score.length} values but time has ${N}`);
  for (let i = 0; i < N; ++i) {
    const s = score[i];
    if (typeof s === "number" && !Number.isNaN(s) && !Number.isFinite(s)) throw new SurvivalInputError("score", i + 1, s, "score must be finite");
  }
  // Rows with a missing score are dropped with the other missing rows.
  const masked: SurvivalData = {...data, time: Float64Array.from({length: N}, (_, i) => (Number.isNaN(score[i] as number) || score[i] == null ? NaN : data.time[i]))};
  const p = prepareSurvivalInput(masked, {timefix, allowZeroWeights: true});
  const status = new Uint8Array(p.n);
  for (let i = 0; i < p.n; ++i) status[i] = cause === undefined ? (p.event[i] > 0 ? 1 : 0) : p.event[i] === cause ? 1 : 0;
  const x = Float64Array.from(p.rows, (r) => score[r]);
  return concordanceCounts(p.time, p.entry, status, p.weights, p.strata, x, reverse);
}

/**
 * Kernel: concordance counts for validated columns (stop, optional start, 0/1 status, optional
 * weights, stratum index, score). With `sorted`, the rows are already ordered by stratum, then stop
 * time descending (as coxPH's prepared model) and are not sorted again. Exported for coxPH; not part
 * of the public API.
 */
export function concordanceCounts(
  stop: Float64Array,
  start: Float64Array | null,
  status: Uint8Array | Int32Array,
  weights: Float64Array | null,
  strata: Int32Array,
  score: Float64Array,
  reverse: boolean,
  sorted = false
): ConcordanceResult {
  const n = stop.length;
  // Ranks of the scores (1-based, ties share a rank) for the Fenwick trees.
  const {rank, nRank} = scoreRanks(score);
  // Order: stratum, then stop time descending (R: order(-time, status, risk) within strata: at each
  // time the censorings enter the risk set before the events are compared; that is done per time
  // below, so no sort on status or score is needed); and by start time descending for counting-process
  // data. Stable radix passes, least significant key first.
  const order = sorted ? identityOrder(n) : sortBySmallInt(sortByKey(identityOrder(n), stop, true), strata);
  const startOrder = start ? sortBySmallInt(sortByKey(identityOrder(n), start, true), strata) : null;
  const unit = weights === null;

  // Fenwick trees over score ranks: all subjects at risk, and events seen so far; `tiedAt` holds the
  // weight of the events at the current time with each rank (for pairs tied on both time and score).
  const riskTree = new Float64Array(nRank + 1);
  const riskAt = new Float64Array(nRank + 1);
  const deathTree = new Float64Array(nRank + 1);
  const deathAt = new Float64Array(nRank + 1);
  const tiedAt = new Float64Array(nRank + 1);
  // Per-subject influence (pairs it belongs to, weighted by the partner's weight): score of the
  // partner's side greater / less / equal, in R's unreversed labelling. A survivor's counts are the
  // deaths (with a smaller score: "greater"; larger; equal) seen between its entering the risk set
  // (sign −1) and its leaving it (sign +1). The Fenwick loops are written out inline (no closures over
  // the running totals, which would keep them in a heap context).
  const inflGreater = new Float64Array(n);
  const inflLess = new Float64Array(n);
  const inflEqual = new Float64Array(n);

  let greaterSum = 0;
  let lessSum = 0;
  let equalSum = 0;
  let tiedY = 0;
  let tiedXY = 0;
  let s0 = 0;
  while (s0 < n) {
    const stratum = strata[order[s0]];
    let s1 = s0;
    let nEvents = 0;
    for (; s1 < n && strata[order[s1]] === stratum; ++s1) nEvents += status[order[s1]];
    if (nEvents === 0) {
      s0 = s1;
      continue;
    }
    riskTree.fill(0);
    riskAt.fill(0);
    deathTree.fill(0);
    deathAt.fill(0);
    let riskTotal = 0;
    let deathTotal = 0;
    let k2 = s0; // next row to remove, in start-descending order
    for (let k = s0; k < s1; ) {
      const t = stop[order[k]];
      let kEnd = k;
      let events = 0;
      // The censorings at t join the risk set first (they count as at risk at t).
      for (; kEnd < s1 && stop[order[kEnd]] === t; ++kEnd) {
        const i = order[kEnd];
        if (status[i] !== 0) {
          ++events;
          continue;
        }
        const r = rank[i];
        let less = 0;
        for (let q = r - 1; q > 0; q -= q & -q) less += deathTree[q];
        const eq = deathAt[r];
        inflGreater[i] -= less;
        inflLess[i] -= deathTotal - less - eq;
        inflEqual[i] -= eq;
        const wi = unit ? 1 : weights[i];
        riskAt[r] += wi;
        riskTotal += wi;
        for (let q = r; q <= nRank; q += q & -q) riskTree[q] += wi;
      }
      if (events > 0) {
        if (startOrder && start) {
          for (; k2 < s1 && start[startOrder[k2]] >= t; ++k2) {
            const j = startOrder[k2];
            const r = rank[j];
            let less = 0;
            for (let q = r - 1; q > 0; q -= q & -q) less += deathTree[q];
            const eq = deathAt[r];
            inflGreater[j] += less;
            inflLess[j] += deathTotal - less - eq;
            inflEqual[j] += eq;
            const wj = unit ? 1 : weights[j];
            riskAt[r] -= wj;
            riskTotal -= wj;
            for (let q = r; q <= nRank; q += q & -q) riskTree[q] -= wj;
          }
        }
        // Pass 1: compare each event at t with those still at risk after t (and censored at t).
        let dwt = 0;
        for (let m = k; m < kEnd; ++m) {
          const j = order[m];
          if (status[j] === 0) continue;
          const wj = unit ? 1 : weights[j];
          tiedY += wj * dwt;
          dwt += wj;
          const r = rank[j];
          tiedXY += wj * tiedAt[r];
          tiedAt[r] += wj;
          let less = 0;
          for (let q = r - 1; q > 0; q -= q & -q) less += riskTree[q];
          const eq = riskAt[r];
          const greater = riskTotal - less - eq;
          greaterSum += wj * greater;
          lessSum += wj * less;
          equalSum += wj * eq;
          inflGreater[j] += greater;
          inflLess[j] += less;
          inflEqual[j] += eq;
          deathAt[r] += wj;
          for (let q = r; q <= nRank; q += q & -q) deathTree[q] += wj;
          deathTotal += wj;
        }
        // Pass 2: the events join the risk set for earlier times.
        for (let m = k; m < kEnd; ++m) {
          const j = order[m];
          if (status[j] === 0) continue;
          const r = rank[j];
          tiedAt[r] = 0;
          let less = 0;
          for (let q = r - 1; q > 0; q -= q & -q) less += deathTree[q];
          const eq = deathAt[r];
          inflGreater[j] -= less;
          inflLess[j] -= deathTotal - less - eq;
          inflEqual[j] -= eq;
          const wj = unit ? 1 : weights[j];
          riskAt[r] += wj;
          riskTotal += wj;
          for (let q = r; q <= nRank; q += q & -q) riskTree[q] += wj;
        }
      }
      k = kEnd;
    }
    // Close the survivor influence of everyone not removed earlier: the deaths below, at and above
    // each rank are now fixed, so take them from cumulative sums instead of the tree.
    const deathBelow = new Float64Array(nRank + 1);
    for (let r = 1; r < nRank; ++r) deathBelow[r + 1] = deathBelow[r] + deathAt[r];
    const closeCount = startOrder ? s1 - k2 : s1 - s0;
    for (let c = 0; c < closeCount; ++c) {
      const i = startOrder ? startOrder[k2 + c] : order[s0 + c];
      const r = rank[i];
      const less = deathBelow[r];
      const eq = deathAt[r];
      inflGreater[i] += less;
      inflLess[i] += deathTotal - less - eq;
      inflEqual[i] += eq;
    }
    s0 = s1;
  }
  tiedY -= tiedXY;

  const npair = greaterSum + lessSum + equalSum;
  let conc: number | null = null;
  let std: number | null = null;
  if (npair > 0) {
    const somers = (greaterSum - lessSum) / npair;
    let v = 0;
    for (let i = 0; i < n; ++i) {
      const d = (unit ? 1 : weights[i]) * ((inflGreater[i] - inflLess[i]) / npair - (somers / npair) * (inflGreater[i] + inflLess[i] + inflEqual[i]));
      v += d * d;
    }
    const c = (somers + 1) / 2;
    conc = reverse ? 1 - c : c;
    std = Math.sqrt(v / 4);
  }
  return {
    concordant: reverse ? lessSum : greaterSum,
    discordant: reverse ? greaterSum : lessSum,
    tiedX: equalSum,
    tiedY,
    tiedXY,
    concordance: conc,
    std
  };
}

/**
 * concordanceCounts for right-censored rows summed into cells: time blocks in order of stratum, then
 * stop time descending (cells `blockStart[b]` to `blockStart[b + 1]`, stratum `blockStratum[b]`);
 * per cell its score rank (1 … nRank, equal scores share a rank), the weight and squared weight of
 * its censored rows and of its events. Every row of a cell is in the same pairs, so the counts are
 * sums over cells and the jackknife variance needs only each cell's Σ w². O(cells · log nRank).
 * For coxPH on a 0/1 design (its rows summed by (stratum, time, covariate pattern)); equal to
 * concordanceCounts on the rows.
 */
export function concordanceCells(
  blockStart: Int32Array,
  blockStratum: Int32Array,
  cellRank: Int32Array,
  nRank: number,
  liveWeight: Float64Array,
  liveWeight2: Float64Array,
  deadWeight: Float64Array,
  deadWeight2: Float64Array,
  reverse: boolean
): ConcordanceResult {
  const nBlocks = blockStratum.length;
  const nCells = cellRank.length;
  const riskTree = new Float64Array(nRank + 1);
  const riskAt = new Float64Array(nRank + 1);
  const deathTree = new Float64Array(nRank + 1);
  const deathAt = new Float64Array(nRank + 1);
  const tiedAt = new Float64Array(nRank + 1);
  const deathBelow = new Float64Array(nRank + 1);
  // Pair counts of one row of each cell (censored part, event part), as in concordanceCounts'
  // inflGreater/inflLess/inflEqual: opened when the row joins the risk set, closed at the end.
  const liveG = new Float64Array(nCells);
  const liveL = new Float64Array(nCells);
  const liveE = new Float64Array(nCells);
  const deadG = new Float64Array(nCells);
  const deadL = new Float64Array(nCells);
  const deadE = new Float64Array(nCells);
  let greaterSum = 0;
  let lessSum = 0;
  let equalSum = 0;
  let tiedY = 0;
  let tiedXY = 0;
  let b0 = 0;
  while (b0 < nBlocks) {
    const stratum = blockStratum[b0];
    let b1 = b0;
    let anyEvents = false;
    for (; b1 < nBlocks && blockStratum[b1] === stratum; ++b1)
      for (let e = blockStart[b1]; e < blockStart[b1 + 1] && !anyEvents; ++e) if (deadWeight[e] !== 0) anyEvents = true;
    const c0 = blockStart[b0];
    const c1 = blockStart[b1];
    if (!anyEvents) {
      b0 = b1;
      continue;
    }
    riskTree.fill(0);
    riskAt.fill(0);
    deathTree.fill(0);
    deathAt.fill(0);
    let riskTotal = 0;
    let deathTotal = 0;
    for (let b = b0; b < b1; ++b) {
      const e0 = blockStart[b];
      const e1 = blockStart[b + 1];
      let events = false;
      // The censorings at t join the risk set first (they count as at risk at t).
      for (let e = e0; e < e1; ++e) {
        if (deadWeight[e] !== 0) events = true;
        const lw = liveWeight[e];
        if (lw === 0) continue;
        const r = cellRank[e];
        let less = 0;
        for (let q = r - 1; q > 0; q -= q & -q) less += deathTree[q];
        const eq = deathAt[r];
        liveG[e] = -less;
        liveL[e] = -(deathTotal - less - eq);
        liveE[e] = -eq;
        riskAt[r] += lw;
        riskTotal += lw;
        for (let q = r; q <= nRank; q += q & -q) riskTree[q] += lw;
      }
      if (!events) continue;
      // Pass 1: the events at t against those still at risk after t (and censored at t).
      let dwt = 0;
      let dwt2 = 0;
      for (let e = e0; e < e1; ++e) {
        const dw = deadWeight[e];
        if (dw === 0) continue;
        dwt += dw;
        dwt2 += deadWeight2[e];
        const r = cellRank[e];
        tiedXY += dw * tiedAt[r] + (dw * dw - deadWeight2[e]) / 2;
        tiedAt[r] += dw;
        let less = 0;
        for (let q = r - 1; q > 0; q -= q & -q) less += riskTree[q];
        const eq = riskAt[r];
        const greater = riskTotal - less - eq;
        greaterSum += dw * greater;
        lessSum += dw * less;
        equalSum += dw * eq;
        deadG[e] = greater;
        deadL[e] = less;
        deadE[e] = eq;
        deathAt[r] += dw;
        for (let q = r; q <= nRank; q += q & -q) deathTree[q] += dw;
        deathTotal += dw;
      }
      tiedY += (dwt * dwt - dwt2) / 2;
      // Pass 2: the events join the risk set for earlier times.
      for (let e = e0; e < e1; ++e) {
        const dw = deadWeight[e];
        if (dw === 0) continue;
        const r = cellRank[e];
        tiedAt[r] = 0;
        let less = 0;
        for (let q = r - 1; q > 0; q -= q & -q) less += deathTree[q];
        const eq = deathAt[r];
        deadG[e] -= less;
        deadL[e] -= deathTotal - less - eq;
        deadE[e] -= eq;
        riskAt[r] += dw;
        riskTotal += dw;
        for (let q = r; q <= nRank; q += q & -q) riskTree[q] += dw;
      }
    }
    // Close: the events seen below, at and above each rank over the whole stratum.
    deathBelow.fill(0);
    for (let r = 1; r < nRank; ++r) deathBelow[r + 1] = deathBelow[r] + deathAt[r];
    for (let e = c0; e < c1; ++e) {
      const r = cellRank[e];
      const less = deathBelow[r];
      const eq = deathAt[r];
      const greater = deathTotal - less - eq;
      if (liveWeight[e] !== 0) {
        liveG[e] += less;
        liveL[e] += greater;
        liveE[e] += eq;
      }
      if (deadWeight[e] !== 0) {
        deadG[e] += less;
        deadL[e] += greater;
        deadE[e] += eq;
      }
    }
    b0 = b1;
  }
  tiedY -= tiedXY;
  const npair = greaterSum + lessSum + equalSum;
  let conc: number | null = null;
  let std: number | null = null;
  if (npair > 0) {
    const somers = (greaterSum - lessSum) / npair;
    let v = 0;
    for (let e = 0; e < nCells; ++e) {
      if (liveWeight[e] !== 0) {
        const d = (liveG[e] - liveL[e]) / npair - (somers / npair) * (liveG[e] + liveL[e] + liveE[e]);
        v += liveWeight2[e] * d * d;
      }
      if (deadWeight[e] !== 0) {
        const d = (deadG[e] - deadL[e]) / npair - (somers / npair) * (deadG[e] + deadL[e] + deadE[e]);
        v += deadWeight2[e] * d * d;
      }
    }
    const c = (somers + 1) / 2;
    conc = reverse ? 1 - c : c;
    std = Math.sqrt(v / 4);
  }
  return {
    concordant: reverse ? lessSum : greaterSum,
    discordant: reverse ? greaterSum : lessSum,
    tiedX: equalSum,
    tiedY,
    tiedXY,
    concordance: conc,
    std
  };
}

/** Fewest rows for which scoreRanks tries the hash table before sorting. */
const HASH_MIN_ROWS = 1024;

/**
 * Dense 1-based ranks of the scores (equal scores share a rank; −0 and +0 are equal). When the scores
 * take few distinct values (a Cox model on indicator covariates: one per covariate pattern), the
 * distinct values are collected in an open-addressing hash table on their bit patterns and only they
 * are sorted; otherwise (or once more than n/8 distinct values turn up) one radix sort of all scores.
 */
function scoreRanks(score: Float64Array): {rank: Int32Array; nRank: number} {
  const n = score.length;
  const rank = new Int32Array(n);
  if (n >= HASH_MIN_ROWS) {
    const limit = n >> 3;
    let size = 1024;
    while (size < 4 * limit && size < 1 << 16) size <<= 1;
    const bits = new Float64Array(1);
    const words = new Uint32Array(bits.buffer);
    let keyLo = new Uint32Array(size);
    let keyHi = new Uint32Array(size);
    let slotId = new Int32Array(size).fill(-1);
    const values: number[] = [];
    let mask = size - 1;
    let ok = true;
    for (let i = 0; i < n; ++i) {
      bits[0] = score[i] + 0; // −0 → +0
      const lo = words[0];
      const hi = words[1];
      let h = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b);
      h = (h ^ (h >>> 15)) & mask;
      for (;;) {
        const id = slotId[h];
        if (id < 0) {
          if (values.length >= limit) {
            ok = false;
            break;
          }
          slotId[h] = values.length;
          keyLo[h] = lo;
          keyHi[h] = hi;
          rank[i] = values.length;
          values.push(bits[0]);
          if (4 * values.length > 3 * size) {
            // Grow and rehash (keeps the load factor ≤ 3/4).
            const oldLo = keyLo;
            const oldHi = keyHi;
            const oldId = slotId;
            size <<= 1;
            mask = size - 1;
            keyLo = new Uint32Array(size);
            keyHi = new Uint32Array(size);
            slotId = new Int32Array(size).fill(-1);
            for (let q = 0; q < oldId.length; ++q) {
              if (oldId[q] < 0) continue;
              let g = Math.imul(oldLo[q] ^ Math.imul(oldHi[q], 0x9e3779b1), 0x85ebca6b);
              g = (g ^ (g >>> 15)) & mask;
              while (slotId[g] >= 0) g = (g + 1) & mask;
              slotId[g] = oldId[q];
              keyLo[g] = oldLo[q];
              keyHi[g] = oldHi[q];
            }
          }
          break;
        }
        if (keyLo[h] === lo && keyHi[h] === hi) {
          rank[i] = id;
          break;
        }
        h = (h + 1) & mask;
      }
      if (!ok) break;
    }
    if (ok) {
      const byValue = Array.from(values.keys()).sort((a, b) => values[a] - values[b]);
      const rankOf = new Int32Array(values.length);
      byValue.forEach((id, r) => (rankOf[id] = r + 1));
      for (let i = 0; i < n; ++i) rank[i] = rankOf[rank[i]];
      return {rank, nRank: values.length};
    }
  }
  const byScore = sortByKey(identityOrder(n), score);
  let nRank = 0;
  for (let k = 0; k < n; ++k) {
    if (k === 0 || score[byScore[k]] !== score[byScore[k - 1]]) ++nRank;
    rank[byScore[k]] = nRank;
  }
  return {rank, nRank};
}
