import {readFileSync} from "node:fs";
import {assert, describe, it} from "vitest";
import {grayTest} from "../../src/survival/grayTest.js";
import {SurvivalInputError} from "../../src/survival/errors.js";
import {qrRank, quadraticFormInverse} from "../../src/survival/math/solve.js";
import type {SurvivalData} from "../../src/survival/input.js";
import {assertClose} from "../util/close.js";
import {readCsvColumns} from "../util/csv.js";

type Test = {cause: number; stat: number; pv: number; df: number; pUpper: number | null; score: number[]; variance: number[][]; rank: number};
type Source = {file: string; time: string; event: string; group: string; strata: string | null};
type Case = {
  id?: string;
  name: string;
  source: Source | null;
  rho: number;
  data?: {time: number[]; event: number[]; group: string[]; strata: number[] | null};
  levels: string[];
  tests: Test[];
};

const publicFixture = JSON.parse(readFileSync("test/reference/gray-public.json", "utf8")) as {cases: Case[]};
const edgeFixture = JSON.parse(readFileSync("test/reference/gray-edge.json", "utf8")) as {cases: Case[]};

/** The CSV columns a case names; bmt's cause is derived as in gray-public.R. */
function sourceData(source: Source): SurvivalData {
  const cols = readCsvColumns(source.file);
  const event =
    source.event === "cause"
      ? // KMsurv bmt: cause 1 = relapse (d2 = 1), cause 2 = death in remission (d2 = 0, d1 = 1)
        (cols.d2 as number[]).map((d2, i) => (d2 === 1 ? 1 : (cols.d1 as number[])[i] === 1 ? 2 : 0))
      : (cols[source.event] as number[]);
  return {
    time: cols[source.time] as number[],
    event,
    group: (cols[source.group] as (string | number)[]).map(String),
    ...(source.strata ? {strata: (cols[source.strata] as (string | number)[]).map(String)} : {})
  };
}

function caseData(c: Case): SurvivalData {
  if (c.source) return sourceData(c.source);
  const d = c.data!;
  return {time: d.time, event: d.event, group: d.group, ...(d.strata ? {strata: d.strata} : {})};
}

function check(fit: ReturnType<typeof grayTest>, c: Case) {
  assert.deepStrictEqual(
    fit.groups.map((g) => g.level),
    c.levels
  );
  assert.deepStrictEqual(
    fit.tests.map((t) => t.cause),
    c.tests.map((t) => t.cause)
  );
  c.tests.forEach((e, i) => {
    const a = fit.tests[i];
    const label = `${c.name} cause ${e.cause}`;
    assert.strictEqual(a.df, e.df, `${label}: df`);
    // crstm's score and variance; exact zeros (identical groups) get an absolute floor
    assertClose(a.score, e.score, {atol: 1e-14, label: `${label}: score`});
    e.variance.forEach((row, j) => assertClose(a.variance[j], row, {label: `${label}: variance row ${j}`}));
    if (e.stat < 0) {
      // cuminc's stat = -1 / pv = 1 for a rank-deficient variance: we report null with a reason
      assert.ok(e.rank < e.df);
      assert.strictEqual(a.stat, null, `${label}: stat`);
      assert.strictEqual(a.p, null, `${label}: p`);
      assert.match(a.reason!, /singular/);
    } else {
      assert.strictEqual(a.reason, null);
      assertClose(a.stat, e.stat, {atol: 1e-14, label: `${label}: stat`});
      assertClose(a.p, e.pUpper, {rtol: 1e-6, label: `${label}: p`});
      assertClose(a.p, e.pv, {rtol: 1e-6, label: `${label}: p vs cuminc's 1 - pchisq`});
    }
  });
}

describe("grayTest", () => {
  // Expected values: test/reference/gray-public.R (cmprsk::cuminc(...)$Tests and the crstm score and
  // variance; R 4.2.2, cmprsk 2.2-11).
  for (const c of publicFixture.cases) {
    it(`grayTest(data, {rho: ${c.rho}}) matches cmprsk::cuminc $Tests on ${c.name}`, () => {
      check(grayTest(caseData(c), {rho: c.rho}), c);
    });
  }

  // Expected values: test/reference/gray-edge.R (catalogue R5–R7, ties, a group absent from a stratum).
  for (const c of edgeFixture.cases) {
    it(`grayTest(data) matches cuminc on edge case ${c.id}: ${c.name}`, () => {
      check(grayTest(caseData(c), {rho: c.rho}), c);
    });
  }

  it("grayTest(data) on identical groups gives stat 0 and p 1 (catalogue R5)", () => {
    const c = edgeFixture.cases.find((c) => c.id === "R5")!;
    const fit = grayTest(caseData(c));
    for (const t of fit.tests) {
      assert.strictEqual(t.stat, 0);
      assert.strictEqual(t.p, 1);
    }
  });

  it("grayTest(data) is unchanged when rows are shuffled and when groups are renamed", () => {
    const c = publicFixture.cases.find((c) => c.name === "bmt by group + strata(z8)")!;
    const data = caseData(c);
    const base = grayTest(data);
    const n = data.time.length;
    const perm = Array.from({length: n}, (_, i) => (i * 31 + 5) % n); // 31 is coprime with 137
    assert.strictEqual(new Set(perm).size, n);
    const pick = <T,>(col: ArrayLike<T>) => perm.map((i) => col[i]);
    const shuffled = grayTest({time: pick(data.time), event: pick(data.event), group: pick(data.group!), strata: pick(data.strata!)});
    // Renaming 1, 2, 3 → c, b, a reverses the level order, so a different group is left out of the score.
    const rename: Record<string, string> = {"1": "c", "2": "b", "3": "a"};
    const relabelled = grayTest({...data, group: Array.from(data.group!, (g) => rename[g as string])});
    base.tests.forEach((t, i) => {
      assertClose(shuffled.tests[i].stat, t.stat, {rtol: 1e-12});
      assertClose(relabelled.tests[i].stat, t.stat, {rtol: 1e-10});
    });
  });

  it("grayTest(data) rejects one group, bad options, entry times and weights with named errors", () => {
    assert.throws(() => grayTest({time: [1, 2], event: [1, 2]}), SurvivalInputError);
    assert.throws(() => grayTest({time: [1, 2], event: [1, 2], group: ["a", "a"]}), /at least 2 groups/);
    assert.throws(() => grayTest({time: [1, 2], event: [1, 2], group: ["a", "b"]}, {rho: Infinity}), /rho/);
    assert.throws(() => grayTest({time: [1, 2], event: [1, 2], group: ["a", "b"], weights: [1, 1]}), /weights/);
    assert.throws(() => grayTest({time: [1, 2], event: [1, 2], group: ["a", "b"], entry: [0, 0]}), /entry/);
    assert.throws(() => grayTest({time: [1, 2], event: [1, 2], group: ["a", "b"]}, {causes: [1.5]}), /causes/);
  });

  it("qrRank decides singularity as R's qr()$rank (tol 1e-7) and quadraticFormInverse equals sum(solve(V, u) * u)", () => {
    // R 4.2.2: for (e in c(1e-9, 1e-7, 2e-7, 1e-6)) qr(matrix(c(1, 1, 1, 1 + e), 2))$rank → 1 1 1 2
    assert.deepStrictEqual(
      [1e-9, 1e-7, 2e-7, 1e-6].map((e) => qrRank([1, 1, 1, 1 + e], 2)),
      [1, 1, 1, 2]
    );
    // qr(matrix(c(1,2,3, 2,4,6, 3,6,10), 3))$rank → 2; qr(matrix(0, 2, 2))$rank → 0;
    // qr(matrix(c(0,0,0, 0,2,1, 0,1,2), 3))$rank → 2 (a zero column is moved to the end)
    assert.strictEqual(qrRank([1, 2, 3, 2, 4, 6, 3, 6, 10], 3), 2);
    assert.strictEqual(qrRank([0, 0, 0, 0], 2), 0);
    assert.strictEqual(qrRank([0, 0, 0, 0, 2, 1, 0, 1, 2], 3), 2);
    // m <- matrix(c(4,2,0, 2,3,1, 0,1,2), 3); u <- c(1, -2, 0.5); sum(solve(m, u) * u) → 5.416666666666667
    const v = [4, 2, 0, 2, 3, 1, 0, 1, 2];
    assert.strictEqual(qrRank(v, 3), 3);
    const q = quadraticFormInverse(v, [1, -2, 0.5], 3);
    assert.strictEqual(q.rank, 3);
    assertClose(q.value, 5.416666666666667, {rtol: 1e-14});
  });
});
