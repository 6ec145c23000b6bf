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
 * weights, stratum index, score). Exported for coxPH; not part of the public API.
 */
export function concordanceCounts(
  stop: Float64Array,
  start: Float64Array | null,
  status: Uint8Array | Int32Array,
  weights: Float64Array | null,
  strata: Int32Array,
  score: Float64Array,
  reverse: boolean
): ConcordanceResult {
  const n = stop.length;
  // Ranks of the scores (1-based, ties share a rank) for the Fenwick trees.
  const byScore = sortByKey(identityOrder(n), score);
  const rank = new Int32Array(n);
  let nRank = 0;
  for (let k = 0; k < n; ++k) {
    if (k === 0 || score[byScore[k]] !== score[byScore[k - 1]]) ++nRank;
    rank[byScore[k]] = nRank;
  }
  // Order: stratum, then stop time descending, censorings before events, then score ascending
  // (R: order(-time, status, risk)); and by start time descending for counting-process data.
  // Stable radix passes, least significant key first.
  const order = sortBySmallInt(sortByKey(sortBySmallInt(byScore, status), stop, true), strata);
  const startOrder = start ? sortBySmallInt(sortByKey(identityOrder(n), start, true), strata) : null;
  const w = (i: number) => (weights ? weights[i] : 1);

  // Fenwick trees over score ranks: all subjects at risk, and events seen so far.
  const riskTree = new Float64Array(nRank + 1);
  const riskAt = new Float64Array(nRank + 1);
  const deathTree = new Float64Array(nRank + 1);
  const deathAt = new Float64Array(nRank + 1);
  let riskTotal = 0;
  let deathTotal = 0;
  const add = (tree: Float64Array, at: Float64Array, r: number, v: number) => {
    at[r] += v;
    for (; r <= nRank; r += r & -r) tree[r] += v;
  };
  const below = (tree: Float64Array, r: number) => {
    let s = 0;
    for (r -= 1; r > 0; r -= r & -r) s += tree[r];
    return s;
  };
  // Per-subject influence (pairs it belongs to, weighted by the partner's weight): score of the
  // partner's side greater / less / equal, in R's unreversed labelling.
  const inflGreater = new Float64Array(n);
  const inflLess = new Float64Array(n);
  const inflEqual = new Float64Array(n);
  // As a survivor: deaths with a smaller score (a pair counted "greater"), larger, or equal.
  const enter = (i: number, sign: number) => {
    const r = rank[i];
    const less = below(deathTree, r);
    const eq = deathAt[r];
    const greater = deathTotal - less - eq;
    inflGreater[i] += sign * less;
    inflLess[i] += sign * greater;
    inflEqual[i] += sign * eq;
  };

  let greaterSum = 0;
  let lessSum = 0;
  let equalSum = 0;
  let tiedY = 0;
  let tiedXY = 0;
  let s0 = 0;
  while (s0 < n) {
    const stratum = strata[order[s0]];
    let s1 = s0;
    while (s1 < n && strata[order[s1]] === stratum) ++s1;
    riskTree.fill(0);
    riskAt.fill(0);
    deathTree.fill(0);
    deathAt.fill(0);
    riskTotal = 0;
    deathTotal = 0;
    let nEvents = 0;
    for (let k = s0; k < s1; ++k) nEvents += status[order[k]];
    if (nEvents === 0) {
      s0 = s1;
      continue;
    }
    let k2 = s0; // next row to remove, in start-descending order
    for (let k = s0; k < s1; ) {
      const i = order[k];
      if (status[i] === 0) {
        enter(i, -1);
        add(riskTree, riskAt, rank[i], w(i));
        riskTotal += w(i);
        ++k;
        continue;
      }
      const t = stop[i];
      if (startOrder && start) {
        for (; k2 < s1 && start[startOrder[k2]] >= t; ++k2) {
          const j = startOrder[k2];
          enter(j, +1);
          add(riskTree, riskAt, rank[j], -w(j));
          riskTotal -= w(j);
        }
      }
      // Pass 1: compare each event at t with those still at risk after t (and censored at t).
      let kEnd = k;
      let dwt = 0;
      let dwtX = 0;
      let prevScore = NaN;
      for (; kEnd < s1 && stop[order[kEnd]] === t; ++kEnd) {
        const j = order[kEnd];
        const wj = w(j);
        tiedY += wj * dwt;
        dwt += wj;
        if (score[j] !== prevScore) {
          dwtX = 0;
          prevScore = score[j];
        }
        tiedXY += wj * dwtX;
        dwtX += wj;
        const r = rank[j];
        const less = below(riskTree, r);
        const eq = riskAt[r];
        const greater = riskTotal - less - eq;
        greaterSum += wj * greater;
        lessSum += wj * less;
        equalSum += wj * eq;
        inflGreater[j] += greater;
        inflLess[j] += less;
        inflEqual[j] += eq;
        add(deathTree, deathAt, r, wj);
        deathTotal += wj;
      }
      // Pass 2: the events join the risk set for earlier times.
      for (let m = k; m < kEnd; ++m) {
        const j = order[m];
        enter(j, -1);
        add(riskTree, riskAt, rank[j], w(j));
        riskTotal += w(j);
      }
      k = kEnd;
    }
    // Close the survivor influence of everyone not removed earlier.
    if (startOrder) for (; k2 < s1; ++k2) enter(startOrder[k2], +1);
    else for (let k = s0; k < s1; ++k) enter(order[k], +1);
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
      const d = w(i) * ((inflGreater[i] - inflLess[i]) / npair - (somers / npair) * (inflGreater[i] + inflLess[i] + inflEqual[i]));
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
