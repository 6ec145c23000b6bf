// The prepared-cohort API (src/survival/prepared.ts) against the plain estimators: for random data and
// random row masks, kaplanMeierPrepared / logRankPrepared / cumulativeIncidencePrepared /
// grayTestPrepared on (prepareCohort(data), mask) must deep-equal kaplanMeier / logRank /
// cumulativeIncidence / grayTest on the selected rows — same numbers bit for bit, same levels (also when
// filtering changes how sortLevels orders them), same timefix merging, same dropped counts, same errors.
// Expected values come from the plain functions, whose R parity the other test files hold.
import {describe, expect, it} from "vitest";
import {cumulativeIncidence, cumulativeIncidencePrepared} from "../../src/survival/cumulativeIncidence.js";
import {grayTest, grayTestPrepared} from "../../src/survival/grayTest.js";
import {applyTimefix, prepareSurvivalInput, rankValues, mergeNearTies} from "../../src/survival/input.js";
import {kaplanMeier, kaplanMeierPrepared} from "../../src/survival/kaplanMeier.js";
import {logRank, logRankPrepared} from "../../src/survival/logRank.js";
import {prepareCohort, selectRows, type PreparedSurvival} from "../../src/survival/prepared.js";
import type {SurvivalData} from "../../src/survival/input.js";

/** A small seeded generator (LCG), enough for test data. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
}

type Label = number | string | null;
interface Spec {
  n: number;
  times: "int" | "float" | "near";
  groups: "num" | "str" | "mixed" | "none" | "many";
  strata: boolean;
  missing: boolean;
  causes: number;
  weights?: boolean;
  entry?: boolean;
}

function makeData(seed: number, spec: Spec): SurvivalData {
  const r = rng(seed);
  const time: number[] = [];
  const event: number[] = [];
  const group: Label[] = [];
  const strata: Label[] = [];
  const weights: number[] = [];
  const entry: number[] = [];
  // near-ties: pairs closer than √ε that timefix merges, and 2 vs √2² (catalogue KM14)
  const near = [1, 2, 2 * (1 + 1e-12), 3, Math.SQRT2 ** 2, 5, 5 + 1e-9, 7, 7 + 3e-8, 10];
  for (let i = 0; i < spec.n; ++i) {
    let t = spec.times === "int" ? Math.floor(r() * 40) : spec.times === "float" ? r() * 100 : near[Math.floor(r() * near.length)];
    if (spec.entry) t += 1;
    time.push(t);
    event.push(r() < 0.3 ? 0 : 1 + Math.floor(r() * spec.causes));
    const gi = Math.floor(r() * 4);
    if (spec.groups === "num") group.push([0, 1, 2.5, -1][gi]);
    else if (spec.groups === "str") group.push(["b", "a", "c", "B"][gi]);
    else if (spec.groups === "mixed") group.push([2, "10", "x", 1][gi]); // numeric order only once "x" is filtered out
    else group.push(Math.floor(r() * 30));
    strata.push(spec.groups === "many" ? Math.floor(r() * 30) : ["s1", "s2"][Math.floor(r() * 2)]);
    weights.push(r() < 0.1 ? 0 : 0.5 + r() * 2);
    entry.push(r() < 0.5 ? 0 : Math.min(t - 0.5, r() * t));
    if (spec.missing && r() < 0.05) {
      const f = Math.floor(r() * 4);
      if (f === 0) time[i] = NaN;
      else if (f === 1) event[i] = NaN;
      else if (f === 2) group[i] = null;
      else strata[i] = null;
    }
  }
  return {
    time,
    event,
    group: spec.groups === "none" ? undefined : group,
    strata: spec.strata ? strata : undefined,
    weights: spec.weights ? weights : undefined,
    entry: spec.entry ? entry : undefined
  };
}

function masks(n: number, seed: number): Uint8Array[] {
  const r = rng(seed * 7919);
  const out = [new Uint8Array(n).fill(1), new Uint8Array(n)];
  for (const p of [0.9, 0.5, 0.1]) out.push(Uint8Array.from({length: n}, () => (r() < p ? 1 : 0)));
  return out;
}

function subset(d: SurvivalData, mask: ArrayLike<number>): SurvivalData {
  const pick = <T>(col: ArrayLike<T> | undefined) => (col ? Array.from(col).filter((_, i) => mask[i]) : undefined);
  return {time: pick(d.time)!, event: pick(d.event)!, entry: pick(d.entry), group: pick(d.group), strata: pick(d.strata), weights: pick(d.weights)};
}

/** The result of a call, or its error message (both sides must throw alike). */
function outcome(f: () => unknown): unknown {
  try {
    return f();
  } catch (e) {
    return {error: e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e)};
  }
}

function compareAll(d: SurvivalData, prepared: PreparedSurvival, mask: Uint8Array, timefix: boolean, label: string) {
  const sub = subset(d, mask);
  const selection = outcome(() => selectRows(prepared, mask));
  for (const cause of [null, 1, 2])
    for (const confType of ["log-log", "log", "plain", "none"] as const)
      expect(outcome(() => kaplanMeierPrepared(prepared, mask, {cause, confType})), `${label} KM ${cause} ${confType}`).toEqual(
        outcome(() => kaplanMeier(sub, {cause, confType, timefix}))
      );
  if (d.weights || d.entry) return;
  for (const o of [{}, {rho: 1}, {cause: 2, trend: true}, {rho: 0.5, scores: [1, 3, 4, 9]}])
    expect(outcome(() => logRankPrepared(prepared, mask, o)), `${label} logRank ${JSON.stringify(o)}`).toEqual(outcome(() => logRank(sub, {...o, timefix})));
  for (const o of [{}, {causes: [2, 1], times: [0, 3, 5, 100, -1]}, {causes: [1, 1, 7]}, {confLevel: 0.9}])
    expect(outcome(() => cumulativeIncidencePrepared(prepared, mask, o)), `${label} cuminc ${JSON.stringify(o)}`).toEqual(
      outcome(() => cumulativeIncidence(sub, {...o, timefix}))
    );
  for (const o of [{}, {rho: 1, causes: [2, 9]}])
    expect(outcome(() => grayTestPrepared(prepared, mask, o)), `${label} gray ${JSON.stringify(o)}`).toEqual(outcome(() => grayTest(sub, {...o, timefix})));
  // one selection shared by the estimators gives the same results as a mask per call
  if (!(selection && typeof selection === "object" && "error" in selection)) {
    const sel = selection as ReturnType<typeof selectRows>;
    expect(outcome(() => kaplanMeierPrepared(sel)), `${label} KM via selection`).toEqual(outcome(() => kaplanMeier(sub, {timefix})));
    expect(outcome(() => logRankPrepared(sel)), `${label} logRank via selection`).toEqual(outcome(() => logRank(sub, {timefix})));
    expect(outcome(() => cumulativeIncidencePrepared(sel)), `${label} cuminc via selection`).toEqual(outcome(() => cumulativeIncidence(sub, {timefix})));
    expect(outcome(() => grayTestPrepared(sel)), `${label} gray via selection`).toEqual(outcome(() => grayTest(sub, {timefix})));
  }
}

describe("prepared cohort + row mask = plain estimator on the selected rows", () => {
  const timesKinds = ["int", "float", "near"] as const;
  const groupKinds = ["num", "str", "mixed", "none"] as const;
  let seed = 0;
  for (const times of timesKinds)
    for (const groups of groupKinds)
      for (const strata of [false, true])
        it(`random data: ${times} times, ${groups} groups${strata ? ", strata" : ""}, missing values, 3 causes`, () => {
          for (const n of [0, 1, 6, 60, 400]) {
            ++seed;
            const d = makeData(seed, {n, times, groups, strata, missing: true, causes: 3});
            for (const timefix of [true, false]) {
              const prepared = prepareCohort(d, {timefix});
              masks(n, seed).forEach((mask, m) => compareAll(d, prepared, mask, timefix, `seed ${seed} n ${n} mask ${m} timefix ${timefix}`));
            }
          }
        });

  it("weighted and (entry, stop] Kaplan–Meier (row-wise estimator on the selected rows)", () => {
    for (const entry of [false, true])
      for (const n of [0, 7, 80, 300]) {
        const d = makeData(1000 + n, {n, times: "float", groups: "str", strata: false, missing: true, causes: 2, weights: true, entry});
        const prepared = prepareCohort(d);
        masks(n, n + 3).forEach((mask, m) => compareAll(d, prepared, mask, true, `weighted n ${n} mask ${m} entry ${entry}`));
        expect(() => logRankPrepared(prepared)).toThrow(entry ? /right-censored data only/ : /no case weights/);
      }
  });

  it("large level × time grids are counted by sorting instead of a dense array, with the same results", () => {
    // 30 groups × 30 strata × ~3,000 distinct times × 3 codes ≫ the dense limit
    const d = makeData(4242, {n: 3000, times: "float", groups: "many", strata: true, missing: true, causes: 2});
    const prepared = prepareCohort(d);
    expect(prepared.cell).toBeNull();
    for (const mask of masks(3000, 5).slice(0, 3)) {
      const sub = subset(d, mask);
      expect(kaplanMeierPrepared(prepared, mask)).toEqual(kaplanMeier(sub));
      expect(cumulativeIncidencePrepared(prepared, mask, {times: [10, 50]})).toEqual(cumulativeIncidence(sub, {times: [10, 50]}));
      expect(outcome(() => logRankPrepared(prepared, mask))).toEqual(outcome(() => logRank(sub)));
    }
    const small = makeData(4243, {n: 400, times: "float", groups: "many", strata: true, missing: false, causes: 2});
    const mask = masks(400, 9)[3];
    expect(grayTestPrepared(prepareCohort(small), mask)).toEqual(grayTest(subset(small, mask)));
  });

  it("checks the mask and its use", () => {
    const d = makeData(77, {n: 20, times: "int", groups: "num", strata: false, missing: false, causes: 2});
    const prepared = prepareCohort(d);
    expect(() => kaplanMeierPrepared(prepared, new Uint8Array(19))).toThrow(/mask/);
    const sel = selectRows(prepared, new Uint8Array(20).fill(1));
    expect(() => kaplanMeierPrepared(sel, new Uint8Array(20))).toThrow(/already masked/);
    // boolean masks work as 0/1 masks
    const bools = Array.from({length: 20}, (_, i) => i % 3 !== 0);
    expect(logRankPrepared(prepared, bools)).toEqual(logRank(subset(d, bools.map(Number))));
  });

  it("re-sorts the levels left by a filter as sortLevels would ('10' < '2' < 'x', but 2 < 10 without 'x')", () => {
    const d = {time: [1, 2, 3, 4, 5, 6], event: [1, 0, 1, 1, 0, 1], group: [2, "10", "x", 2, "10", "x"]};
    const prepared = prepareCohort(d);
    expect(kaplanMeierPrepared(prepared).strata.map((s) => s.level)).toEqual(["10", "2", "x"]);
    const noX = [1, 1, 0, 1, 1, 0];
    const fit = kaplanMeierPrepared(prepared, noX);
    expect(fit.strata.map((s) => s.level)).toEqual(["2", "10"]);
    expect(fit).toEqual(kaplanMeier(subset(d, noX)));
    expect(logRankPrepared(prepared, noX)).toEqual(logRank(subset(d, noX)));
  });

  it("handles large cause codes (a lookup map instead of a table) like small ones", () => {
    const base = makeData(31, {n: 200, times: "int", groups: "str", strata: true, missing: true, causes: 2});
    const big = {...base, event: Array.from(base.event, (e) => (e === 2 ? 50000 : e))};
    const mask = masks(200, 31)[2];
    const a = cumulativeIncidencePrepared(prepareCohort(big), mask, {causes: [50000, 1]});
    const b = cumulativeIncidencePrepared(prepareCohort(base), mask, {causes: [2, 1]});
    expect(a.curves.map((c) => [c.level, Array.from(c.est)])).toEqual(b.curves.map((c) => [c.level, Array.from(c.est)]));
    expect(grayTestPrepared(prepareCohort(big), mask, {causes: [50000]}).tests[0].stat).toBe(grayTestPrepared(prepareCohort(base), mask, {causes: [2]}).tests[0].stat);
    expect(a).toEqual(cumulativeIncidence(subset(big, mask), {causes: [50000, 1]}));
  });

  it("validates every row at preparation, as prepareSurvivalInput does", () => {
    expect(() => prepareCohort({time: [1, -2, 3], event: [1, 0, 1]})).toThrow("time at row 2: -2 (time must be ≥ 0)");
  });
});

describe("input ranking helpers", () => {
  it("rankValues gives sorted distinct values and ranks for integer and fractional values", () => {
    for (const x of [[3, 1, 2, 3, 1], [0.5, -1e300, 2e-300, 0.5, 7], [], [4]]) {
      const {distinct, rank} = rankValues(Float64Array.from(x));
      const expected = Array.from(new Set(x)).sort((a, b) => a - b);
      expect(Array.from(distinct)).toEqual(expected);
      expect(Array.from(rank)).toEqual(x.map((v) => expected.indexOf(v)));
    }
  });

  it("mergeNearTies merges runs of near-ties into their smallest value, among the values present", () => {
    const distinct = Float64Array.from([1, 2, 2 + 1e-9, 2 + 2e-9, 3]);
    const all = mergeNearTies(distinct);
    expect(Array.from(all.values)).toEqual([1, 2, 3]);
    expect(Array.from(all.index)).toEqual([0, 1, 1, 1, 2]);
    const some = mergeNearTies(distinct, Uint8Array.from([0, 1, 0, 1, 1]));
    expect(Array.from(some.index)).toEqual([-1, 0, -1, 0, 1]);
    expect(some.merged).toBe(true);
  });

  it("applyTimefix snaps stop and entry times as R's aeqSurv (2 and √2² merge; entry checked after merging)", () => {
    const time = Float64Array.from([Math.SQRT2 ** 2, 2, 3]);
    applyTimefix(time, null);
    expect(Array.from(time)).toEqual([2, 2, 3]);
    expect(() => applyTimefix(Float64Array.from([Math.SQRT2 ** 2, 4]), Float64Array.from([2, 1]))).toThrow(/effective length 0/);
  });

  it("codes numeric group columns with the levels and order of their strings", () => {
    const p = prepareSurvivalInput({time: [1, 2, 3, 4, 5], event: [1, 1, 1, 1, 1], group: [10, 2, -0, 2.5, 10]});
    expect(p.groupLevels).toEqual(["0", "2", "2.5", "10"]);
    expect(Array.from(p.group)).toEqual([3, 1, 0, 2, 3]);
    const q = prepareSurvivalInput({time: [1, 2, 3], event: [1, 1, 1], group: [1, "1", 2]});
    expect(q.groupLevels).toEqual(["1", "2"]);
  });
});
