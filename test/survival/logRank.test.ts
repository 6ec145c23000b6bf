import {readFileSync} from "node:fs";
import {assert, describe, it} from "vitest";
import {logRank} from "../../src/survival/logRank.js";
import {SurvivalInputError} from "../../src/survival/errors.js";
import type {SurvivalData} from "../../src/survival/input.js";
import {assertClose} from "../util/close.js";
import {readCsvColumns} from "../util/csv.js";

type Source = {file: string; time: string; event: string; group: string; strata: string | null; cause: number | null};
type Expected = {
  levels: string[];
  n: number[];
  observed: number[];
  expected: number[];
  variance: number[][];
  chisq: number;
  df: number;
  p: number | null;
};
type PublicCase = Expected & {name: string; call: string; source: Source; rho: number; trend: {scores: number[]; chisq: number; df: number; p: number}};
type EdgeCase = Partial<Expected> & {
  id: string;
  name: string;
  rho: number;
  error: string | null;
  data: {time: number[]; status: number[]; group: (string | null)[]};
};

const publicFixture = JSON.parse(readFileSync("test/reference/logrank-public.json", "utf8")) as {cases: PublicCase[]};
const edgeFixture = JSON.parse(readFileSync("test/reference/logrank-edge.json", "utf8")) as {cases: EdgeCase[]};

function labels(col: (number | string | null)[]): (string | null)[] {
  return col.map((v) => (v === null || (typeof v === "number" && Number.isNaN(v)) ? null : String(v)));
}

function sourceData({file, time, event, group, strata}: Source): SurvivalData {
  const cols = readCsvColumns(file);
  return {
    time: cols[time] as number[],
    event: cols[event] as number[],
    group: labels(cols[group]),
    ...(strata ? {strata: labels(cols[strata])} : {})
  };
}

function check(actual: ReturnType<typeof logRank>, expected: Expected, label: string) {
  assert.deepStrictEqual(
    actual.groups.map((g) => g.level),
    expected.levels,
    `${label}: levels`
  );
  assert.deepStrictEqual(
    actual.groups.map((g) => g.n),
    expected.n,
    `${label}: n`
  );
  assertClose(
    actual.groups.map((g) => g.observed),
    expected.observed,
    {label: `${label}: observed`}
  );
  assertClose(
    actual.groups.map((g) => g.expected),
    expected.expected,
    {label: `${label}: expected`}
  );
  // Off-diagonal and diagonal entries that cancel to ~0 in R are compared with an absolute floor
  // scaled to the largest entry (R's own summation order leaves ±1e-16 residues there).
  const scale = Math.max(...expected.variance.flat().map(Math.abs));
  expected.variance.forEach((row, i) => assertClose(actual.variance[i], row, {atol: 1e-13 * scale, label: `${label}: variance row ${i}`}));
  assertClose(actual.chisq, expected.chisq, {atol: 1e-12, label: `${label}: chisq`});
  assert.strictEqual(actual.df, expected.df, `${label}: df`);
  assertClose(actual.p, expected.p, {rtol: 1e-6, label: `${label}: p`});
}

describe("logRank", () => {
  // Expected values: test/reference/logrank-public.R (survival::survdiff, R 4.2.2, survival 3.5-3).
  for (const c of publicFixture.cases) {
    it(`logRank(data, {rho: ${c.rho}}) matches survival::survdiff on ${c.name}`, () => {
      const fit = logRank(sourceData(c.source), {rho: c.rho, ...(c.source.cause !== null ? {cause: c.source.cause} : {}), scores: c.trend.scores});
      check(fit, c, c.name);
      assert.strictEqual(fit.note, null);
      // Trend statistic from survdiff's obs/exp/var in the same script: (Σ s(O−E))² / (sᵀVs).
      assert.deepStrictEqual(fit.trend!.scores, c.trend.scores);
      assertClose(fit.trend!.chisq, c.trend.chisq, {label: `${c.name}: trend chisq`});
      assertClose(fit.trend!.p, c.trend.p, {rtol: 1e-6, label: `${c.name}: trend p`});
    });
  }

  // Expected values: test/reference/logrank-edge.R (catalogue L1–L9 and tie cases, survdiff).
  for (const c of edgeFixture.cases) {
    it(`logRank(data) reproduces survdiff on edge case ${c.id}: ${c.name}`, () => {
      const data: SurvivalData = {time: c.data.time, event: c.data.status, group: c.data.group};
      if (c.error) {
        assert.throws(() => logRank(data, {rho: c.rho}), SurvivalInputError, /Log-rank needs at least 2 groups/);
        return;
      }
      const fit = logRank(data, {rho: c.rho});
      check(fit, c as Expected, c.id);
      if (c.id === "L4") {
        // survdiff prints "Chisq= 0 on -1 degrees of freedom, p= NA": we report p null, never NaN.
        assert.strictEqual(fit.chisq, 0);
        assert.strictEqual(fit.df, -1);
        assert.strictEqual(fit.p, null);
      }
      if (c.id === "L6") assert.strictEqual(fit.nDropped, 1);
      if (c.id === "L2") assert.strictEqual(fit.p, 1);
    });
  }

  it("logRank(data) on aml with an all-censored group equals the test without it (catalogue L3)", () => {
    const l3 = edgeFixture.cases.find((c) => c.id === "L3")!;
    const with3 = logRank({time: l3.data.time, event: l3.data.status, group: l3.data.group});
    const keep = l3.data.group.map((g) => g !== "Dummy");
    const without = logRank({
      time: l3.data.time.filter((_, i) => keep[i]),
      event: l3.data.status.filter((_, i) => keep[i]),
      group: l3.data.group.filter((_, i) => keep[i])
    });
    assert.strictEqual(with3.df, 1);
    assertClose(with3.chisq, without.chisq, {rtol: 1e-14});
    assert.strictEqual(with3.groups[0].expected, 0);
  });

  it("logRank(data) is unchanged when rows are shuffled and when group labels are renamed", () => {
    const c = publicFixture.cases.find((c) => c.name === "veteran by celltype + strata(trt)")!;
    const data = sourceData(c.source);
    const base = logRank(data, {rho: 1});
    const n = data.time.length;
    const perm = Array.from({length: n}, (_, i) => (i * 53 + 17) % n); // 53 is coprime with 137
    assert.strictEqual(new Set(perm).size, n);
    const pick = <T,>(col: ArrayLike<T>) => perm.map((i) => col[i]);
    const shuffled = logRank({time: pick(data.time), event: pick(data.event), group: pick(data.group!), strata: pick(data.strata!)}, {rho: 1});
    assertClose(shuffled.chisq, base.chisq, {rtol: 1e-12});
    assertClose(
      shuffled.groups.map((g) => g.expected),
      base.groups.map((g) => g.expected),
      {rtol: 1e-12}
    );
    // Renaming reverses the level order; the statistic does not depend on which group is dropped.
    const rename = new Map([["adeno", "z4"], ["large", "z3"], ["smallcell", "z2"], ["squamous", "z1"]]);
    const relabelled = logRank({...data, group: Array.from(data.group!, (g) => rename.get(g as string)!)}, {rho: 1});
    assertClose(relabelled.chisq, base.chisq, {rtol: 1e-10});
    assert.strictEqual(relabelled.df, base.df);
    assertClose(
      relabelled.groups.map((g) => g.observed).reverse(),
      base.groups.map((g) => g.observed),
      {rtol: 1e-14}
    );
  });

  it("logRank(data, {cause}) censors the other causes; default counts any cause", () => {
    // Hand check on tiny data: with cause 2, the cause-1 event at t=1 is a censoring.
    const data = {time: [1, 2, 3, 4], event: [1, 2, 2, 0], group: ["a", "a", "b", "b"]};
    const fit = logRank(data, {cause: 2});
    // t=2: 3 at risk (a: 1, b: 2), 1 event in a → E_a = 1/3; t=3: 2 at risk (b: 2), E_a = 0.
    assertClose(
      fit.groups.map((g) => g.observed),
      [1, 1],
      {rtol: 0}
    );
    assertClose(
      fit.groups.map((g) => g.expected),
      [1 / 3, 5 / 3],
      {rtol: 1e-15}
    );
    assertClose(logRank(data).groups[0].observed, 2, {rtol: 0});
  });

  it("logRank(data) reports a singular variance instead of failing (survdiff stops with an error)", () => {
    // Groups a, b only in stratum 1 and c, d only in stratum 2: V has a 2-dimensional null space.
    const fit = logRank({
      time: [1, 2, 3, 4, 1, 2, 3, 4, 5, 6, 7, 8, 5, 6, 7, 8],
      event: [1, 1, 0, 1, 1, 0, 1, 1, 1, 1, 0, 1, 1, 0, 1, 1],
      group: ["a", "a", "a", "a", "b", "b", "b", "b", "c", "c", "c", "c", "d", "d", "d", "d"],
      strata: [1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2]
    });
    assert.strictEqual(fit.df, 2);
    assert.match(fit.note!, /singular/);
    assert.ok(Number.isFinite(fit.chisq));
  });

  it("logRank(data) rejects one group, bad options, entry times and weights with named errors", () => {
    assert.throws(() => logRank({time: [1, 2], event: [1, 1]}), /Log-rank needs at least 2 groups/);
    assert.throws(() => logRank({time: [1, 2], event: [1, 1], group: ["a", "b"]}, {cause: 0}), /cause/);
    assert.throws(() => logRank({time: [1, 2], event: [1, 1], group: ["a", "b"]}, {rho: NaN}), /rho/);
    assert.throws(() => logRank({time: [1, 2], event: [1, 1], group: ["a", "b"], weights: [1, 2]}), /weights/);
    assert.throws(() => logRank({time: [1, 2], event: [1, 1], group: ["a", "b"], entry: [0, 0]}), /entry/);
    assert.throws(() => logRank({time: [1, 2], event: [1, 1], group: ["a", "b"]}, {scores: [1, 2, 3]}), /scores/);
  });
});
