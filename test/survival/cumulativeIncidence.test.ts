import {readFileSync} from "node:fs";
import {assert, describe, it} from "vitest";
import {cumulativeIncidence} from "../../src/survival/cumulativeIncidence.js";
import {kaplanMeier} from "../../src/survival/kaplanMeier.js";
import type {SurvivalData} from "../../src/survival/input.js";
import {assertClose} from "../util/close.js";
import {readCsvColumns} from "../util/csv.js";

type Curve = {
  level: string | null;
  cause: number;
  n: number;
  events: number;
  time: number[];
  est: number[];
  variance: number[];
  survfit: number[];
  at: {time: number[]; cif: (number | null)[]; variance: (number | null)[]; lower: (number | null)[]; upper: (number | null)[]};
};
type PublicCase = {name: string; source: {file: string; time: string; event: string; group: string | null}; curves: Curve[]};
type EdgeCase = {id: string; name: string; data: {time: number[]; event: number[]; group: string[] | null}; curves: Curve[]};

const publicFixture = JSON.parse(readFileSync("test/reference/cif-public.json", "utf8")) as {cases: PublicCase[]};
const edgeFixture = JSON.parse(readFileSync("test/reference/cif-edge.json", "utf8")) as {cases: EdgeCase[]};

/** The CSV columns a public case names; bmt's cause is derived as in cif-public.R. */
function competingRisksData(source: {file: string; time: string; event: string; group: string | null}): SurvivalData {
  const cols = readCsvColumns(source.file);
  const event =
    source.event === "cause"
      ? // KMsurv bmt: cause 1 = relapse (d2 = 1), cause 2 = death in remission (d2 = 0, d1 = 1)
        (cols.d2 as number[]).map((d2, i) => (d2 === 1 ? 1 : (cols.d1 as number[])[i] === 1 ? 2 : 0))
      : (cols[source.event] as number[]);
  return {
    time: cols[source.time] as number[],
    event,
    ...(source.group ? {group: (cols[source.group] as (string | number)[]).map(String)} : {})
  };
}

function check(fit: ReturnType<typeof cumulativeIncidence>, curves: Curve[], label: string) {
  assert.strictEqual(fit.curves.length, curves.length, `${label}: number of curves`);
  curves.forEach((e, c) => {
    const a = fit.curves[c];
    const l = `${label} [${e.level} cause ${e.cause}]`;
    assert.strictEqual(a.level, e.level, `${l}: level`);
    assert.strictEqual(a.cause, e.cause, `${l}: cause`);
    assert.strictEqual(a.n, e.n, `${l}: n`);
    assert.strictEqual(a.events, e.events, `${l}: events`);
    assert.deepStrictEqual(Array.from(a.time), e.time, `${l}: time`);
    // cuminc via timepoints() at every distinct time of the group
    assertClose(a.est, e.est, {label: `${l}: est vs cuminc`});
    assertClose(a.variance, e.variance, {label: `${l}: variance vs cuminc`});
    // survfit(Surv(time, factor(event))) pstate: the same Aalen–Johansen estimate
    assertClose(a.est, e.survfit, {label: `${l}: est vs survfit`});
    assert.deepStrictEqual(
      a.at.map((p) => p.time),
      e.at.time,
      `${l}: at times`
    );
    assertClose(
      a.at.map((p) => p.cif),
      e.at.cif,
      {label: `${l}: at cif`}
    );
    assertClose(
      a.at.map((p) => p.variance),
      e.at.variance,
      {label: `${l}: at variance`}
    );
    assertClose(
      a.at.map((p) => p.lower),
      e.at.lower,
      {label: `${l}: at lower`}
    );
    assertClose(
      a.at.map((p) => p.upper),
      e.at.upper,
      {label: `${l}: at upper`}
    );
    for (const p of a.at) for (const v of [p.cif, p.variance, p.lower, p.upper]) assert.ok(v === null || Number.isFinite(v), `${l}: no NaN`);
  });
}

describe("cumulativeIncidence", () => {
  // Expected values: test/reference/cif-public.R (cmprsk::cuminc + timepoints, survival::survfit
  // multi-state; R 4.2.2, survival 3.5-3, cmprsk 2.2-11).
  for (const c of publicFixture.cases) {
    it(`cumulativeIncidence(data) matches cmprsk::cuminc and survfit on ${c.name}`, () => {
      const fit = cumulativeIncidence(competingRisksData(c.source), {times: c.curves[0].at.time});
      check(fit, c.curves, c.name);
    });
  }

  // Expected values: test/reference/cif-edge.R (catalogue R1–R4 and tie cases, cuminc and survfit).
  for (const c of edgeFixture.cases) {
    it(`cumulativeIncidence(data) matches cuminc on edge case ${c.id}: ${c.name}`, () => {
      const data: SurvivalData = {time: c.data.time, event: c.data.event, ...(c.data.group ? {group: c.data.group} : {})};
      check(cumulativeIncidence(data, {times: c.curves[0].at.time}), c.curves, c.id);
    });
  }

  it("cumulativeIncidence(data) handles ties across causes deterministically (catalogue R2)", () => {
    // Hand calculation: 9 subjects; t=1: cause 1 (F1 = 1/9); t=2: one of each cause and a censoring
    // among 8 at risk, S(2−) = 8/9 → F1 = F2 += (8/9)(1/8) = 1/9.
    const r2 = edgeFixture.cases.find((c) => c.id === "R2")!;
    const fit = cumulativeIncidence({time: r2.data.time, event: r2.data.event});
    assertClose(fit.curves[0].est[1], 2 / 9, {rtol: 1e-15});
    assertClose(fit.curves[1].est[1], 1 / 9, {rtol: 1e-15});
  });

  it("Σ cause-specific incidences + all-cause Kaplan–Meier = 1 at every time (mgus2 by sex, bmt by group)", () => {
    for (const c of publicFixture.cases) {
      const data = competingRisksData(c.source);
      const fit = cumulativeIncidence(data);
      const km = kaplanMeier(data);
      for (const stratum of km.strata) {
        const curves = fit.curves.filter((cv) => cv.level === stratum.level);
        assert.strictEqual(curves.length, fit.causes.length);
        for (const cv of curves) assert.deepStrictEqual(Array.from(cv.time), Array.from(stratum.time));
        for (let i = 0; i < stratum.time.length; ++i) {
          let total = stratum.surv[i];
          for (const cv of curves) total += cv.est[i];
          assertClose(total, 1, {rtol: 1e-13, label: `${c.name} ${stratum.level} at ${stratum.time[i]}`});
        }
      }
    }
  });

  it("cumulativeIncidence(data) with a single cause equals 1 − Kaplan–Meier (catalogue R1)", () => {
    const data = competingRisksData({file: "test/data/lung.csv", time: "time", event: "event", group: "sex"});
    const fit = cumulativeIncidence(data);
    const km = kaplanMeier(data);
    assert.deepStrictEqual(fit.causes, [1]);
    fit.curves.forEach((cv, g) => {
      assertClose(
        cv.est,
        Array.from(km.strata[g].surv, (s) => 1 - s),
        {rtol: 1e-12, atol: 1e-15, label: `lung sex ${cv.level}`}
      );
    });
  });

  it("cumulativeIncidence(data) is unchanged when rows are shuffled", () => {
    const data = competingRisksData(publicFixture.cases[0].source);
    const n = data.time.length;
    const perm = Array.from({length: n}, (_, i) => (i * 389 + 11) % n); // 389 is prime, n = 1384
    assert.strictEqual(new Set(perm).size, n);
    const pick = <T,>(col: ArrayLike<T>) => perm.map((i) => col[i]);
    const times = [12, 60, 120];
    const a = cumulativeIncidence(data, {times});
    const b = cumulativeIncidence({time: pick(data.time), event: pick(data.event), group: pick(data.group!)}, {times});
    a.curves.forEach((cv, c) => {
      assert.deepStrictEqual(Array.from(b.curves[c].est), Array.from(cv.est));
      assert.deepStrictEqual(Array.from(b.curves[c].variance), Array.from(cv.variance));
      assert.deepStrictEqual(b.curves[c].at, cv.at);
    });
  });

  it("cumulativeIncidence(data, {causes}) reports the requested causes and keeps the others as competing", () => {
    const c = publicFixture.cases[0];
    const data = competingRisksData(c.source);
    const all = cumulativeIncidence(data);
    const only2 = cumulativeIncidence(data, {causes: [2]});
    assert.deepStrictEqual(
      only2.curves.map((cv) => [cv.level, cv.cause]),
      [
        ["F", 2],
        ["M", 2]
      ]
    );
    assert.deepStrictEqual(Array.from(only2.curves[0].est), Array.from(all.curves[2].est));
    assert.deepStrictEqual(Array.from(only2.curves[0].variance), Array.from(all.curves[2].variance));
  });

  it("cumulativeIncidence(data) drops missing rows and rejects entry times, weights and bad options", () => {
    const fit = cumulativeIncidence({time: [1, 2, NaN, 4], event: [1, 2, 1, 0], group: ["a", "a", "a", null]});
    assert.strictEqual(fit.nDropped, 2);
    // a missing stratum drops the row too, as cuminc's na.action does for its data frame
    const withStrata = cumulativeIncidence({time: [1, 2, 3, 4], event: [1, 2, 1, 0], strata: ["s", null, "s", "t"]});
    assert.strictEqual(withStrata.nDropped, 1);
    assert.strictEqual(withStrata.curves[0].n, 3);
    assert.throws(() => cumulativeIncidence({time: [1, 2], event: [1, 2], weights: [1, 1]}), /weights/);
    assert.throws(() => cumulativeIncidence({time: [1, 2], event: [1, 2], entry: [0, 0]}), /entry/);
    assert.throws(() => cumulativeIncidence({time: [1, 2], event: [1, 2]}, {confLevel: 95}), /confLevel/);
    assert.throws(() => cumulativeIncidence({time: [1, 2], event: [1, 2]}, {causes: [0]}), /causes/);
    assert.throws(() => cumulativeIncidence({time: [1, 2], event: [1, -2]}), /event at row 2/);
  });
});
