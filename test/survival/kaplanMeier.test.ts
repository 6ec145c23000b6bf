import {describe, expect, it} from "vitest";
import {kaplanMeier, kaplanMeierSteps} from "../../src/survival/kaplanMeier.js";
import {assertClose} from "../util/close.js";
import {caseData, finite, loadKmFixture, type KmCaseFixture} from "./kmFixture.js";

// Expected values: test/reference/km-datasets.json and km-edge.json, written by
// `Rscript test/reference/km-datasets.R` / `km-edge.R` (R 4.2.2, survival 3.5-3): each case's `call`
// field is the survfit call; rows are fit$time, n.risk, n.event, n.censor, surv, std.err, lower,
// upper; the median is print(fit)'s (survival:::survmean).
const datasets = loadKmFixture("km-datasets.json");

function checkCurves(c: KmCaseFixture) {
  const fit = kaplanMeier(caseData(c), {confType: c.confType, confLevel: c.confLevel, cause: c.cause, timefix: c.timefix});
  expect(fit.strata.map((s) => s.level)).toEqual(c.strata.map((s) => s.level));
  fit.strata.forEach((s, g) => {
    const e = c.strata[g];
    const label = (what: string) => `${c.name} [${s.level}] ${what}`;
    expect(s.n).toBe(e.n);
    assertClose(s.events, e.events, {label: label("events")});
    const x = e.steps;
    assertClose(s.time, x.time, {label: label("time")});
    assertClose(s.nRisk, x.nRisk, {label: label("nRisk")});
    assertClose(s.nEvent, x.nEvent, {label: label("nEvent")});
    assertClose(s.nCensor, x.nCensor, {label: label("nCensor")});
    assertClose(s.surv, x.surv, {label: label("surv")});
    assertClose(finite(s.stdErrLog), x.stdErrLog, {label: label("stdErrLog")});
    assertClose(finite(s.stdErr), x.stdErr, {label: label("stdErr")});
    const m = s.time.length;
    assertClose(s.lower, x.lower ?? new Array(m).fill(null), {label: label("lower")});
    assertClose(s.upper, x.upper ?? new Array(m).fill(null), {label: label("upper")});
    assertClose(s.median, e.median, {label: label("median")});
    assertClose(s.medianLower, e.medianLower, {label: label("medianLower")});
    assertClose(s.medianUpper, e.medianUpper, {label: label("medianUpper")});
    // undefined values are null in the step rows, never NaN or Infinity
    const steps = kaplanMeierSteps(s);
    expect(steps.length).toBe(m);
    for (const row of steps) for (const v of Object.values(row)) expect(v === null || Number.isFinite(v)).toBe(true);
  });
}

describe("kaplanMeier(data) matches survival::survfit on public data sets", () => {
  for (const c of datasets.cases) it(c.name, () => checkCurves(c));
});

const edge = loadKmFixture("km-edge.json");

describe("kaplanMeier(data) matches survival::survfit on the edge-case catalogue (KM1–KM22)", () => {
  for (const c of edge.cases) it(c.name, () => checkCurves(c));
});

// --- identities (no R needed) -------------------------------------------------------------------
function lungData() {
  const c = datasets.cases.find((c) => c.name.startsWith("lung by sex"))!;
  return caseData(c);
}
function permute<T extends ArrayLike<unknown>>(col: T | undefined, perm: number[]): unknown[] | undefined {
  return col ? perm.map((i) => col[i]) : undefined;
}
function shuffled(n: number, seed: number): number[] {
  const perm = Array.from({length: n}, (_, i) => i);
  let s = seed >>> 0;
  for (let i = n - 1; i > 0; --i) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0; // fixed LCG: the test is deterministic
    const j = s % (i + 1);
    [perm[i], perm[j]] = [perm[j], perm[i]];
  }
  return perm;
}

describe("kaplanMeier identities", () => {
  const base = lungData();
  const n = base.time.length;
  // fractional weights and late entry make the order of summation matter; the result must not
  const weights = Float64Array.from({length: n}, (_, i) => 0.1 + ((i * 7) % 13) / 9);
  const entry = Float64Array.from(base.time, (t, i) => Math.floor((t * ((i * 3) % 10)) / 10));
  const full = {...base, weights, entry};

  it("shuffled rows give identical results (weights, late entry, groups)", () => {
    const a = kaplanMeier(full);
    for (const seed of [1, 2, 3]) {
      const perm = shuffled(n, seed);
      const b = kaplanMeier({
        time: permute(full.time, perm) as number[],
        event: permute(full.event, perm) as number[],
        group: permute(full.group, perm) as (string | number)[],
        weights: permute(full.weights, perm) as number[],
        entry: permute(full.entry, perm) as number[]
      });
      expect(b).toEqual(a);
    }
  });

  it("each group's curve equals the fit on that group's rows alone", () => {
    const byGroup = kaplanMeier(full, {confType: "log"});
    for (const s of byGroup.strata) {
      const rows = Array.from({length: n}, (_, i) => i).filter((i) => String(full.group![i]) === s.level);
      const alone = kaplanMeier(
        {
          time: permute(full.time, rows) as number[],
          event: permute(full.event, rows) as number[],
          weights: permute(full.weights, rows) as number[],
          entry: permute(full.entry, rows) as number[]
        },
        {confType: "log"}
      );
      expect({...alone.strata[0], level: s.level}).toEqual(s);
    }
  });

  it("cause k counts only cause k; other causes are censored (mgus2: cause 1 + cause 2 events = any-cause events)", () => {
    const c = datasets.cases.find((c) => c.name.startsWith("mgus2 any cause by sex"))!;
    const d = caseData(c);
    const any = kaplanMeier(d);
    const c1 = kaplanMeier(d, {cause: 1});
    const c2 = kaplanMeier(d, {cause: 2});
    any.strata.forEach((s, g) => {
      expect(c1.strata[g].events + c2.strata[g].events).toBe(s.events);
      const total = c1.strata[g].nEvent.map((v, j) => v + c1.strata[g].nCensor[j]);
      expect(total).toEqual(s.nEvent.map((v, j) => v + s.nCensor[j]));
    });
  });

  it("unit weights equal no weights", () => {
    const a = kaplanMeier(base);
    const b = kaplanMeier({...base, weights: new Float64Array(n).fill(1)});
    expect(b.strata).toEqual(a.strata);
    expect(b.weighted).toBe(true);
  });
});

// --- the catalogue's rows, as readable anchors (../shared/reference/bad-inputs-and-edge-cases.md §8,
// R 4.2.2 / survival 3.5-3; the full rows are checked against km-edge.json above) -----------------
describe("kaplanMeier on the catalogue's Kaplan–Meier rows", () => {
  it("KM1 all censored: S 1, SE 0, CI [1, 1], median null", () => {
    const s = kaplanMeier({time: [1, 2, 3], event: [0, 0, 0]}, {confType: "log"}).strata[0];
    expect(Array.from(s.surv)).toEqual([1, 1, 1]);
    expect(Array.from(s.stdErr)).toEqual([0, 0, 0]);
    expect([...s.lower, ...s.upper]).toEqual([1, 1, 1, 1, 1, 1]);
    expect([s.median, s.medianLower, s.medianUpper]).toEqual([null, null, null]);
  });
  it("KM2 all events: std.err 0.2887, 0.5, 0.866, Inf; SE of S NaN at S = 0; median 2.5 (1, NA)", () => {
    const s = kaplanMeier({time: [1, 2, 3, 4], event: [1, 1, 1, 1]}, {confType: "log"}).strata[0];
    assertClose(s.stdErrLog.subarray(0, 3), [Math.sqrt(1 / 12), 0.5, Math.sqrt(1 / 12 + 1 / 6 + 1 / 2)], {rtol: 1e-15});
    expect(s.stdErrLog[3]).toBe(Infinity);
    expect(kaplanMeierSteps(s)[3]).toEqual({time: 4, nRisk: 1, nEvent: 1, nCensor: 0, surv: 0, stdErr: null, lower: null, upper: null});
    expect([s.median, s.medianLower, s.medianUpper]).toEqual([2.5, 1, null]);
  });
  it("KM3/KM4 single subject", () => {
    const e = kaplanMeier({time: [5], event: [1]}).strata[0];
    expect([e.surv[0], e.median, e.medianLower, e.medianUpper]).toEqual([0, 5, null, null]);
    const c = kaplanMeier({time: [5], event: [0]}).strata[0];
    expect([c.surv[0], c.stdErr[0], c.median]).toEqual([1, 0, null]);
  });
  it("KM5 event and censoring tied: the censored subject is still at risk", () => {
    const s = kaplanMeier({time: [1, 2, 2, 3], event: [1, 1, 0, 1]}).strata[0];
    expect([Array.from(s.nRisk), Array.from(s.surv)]).toEqual([[4, 3, 1], [0.75, 0.5, 0]]);
  });
  it("KM6 event at time 0 drops S at 0", () => {
    const s = kaplanMeier({time: [0, 1, 2], event: [1, 0, 1]}).strata[0];
    expect([s.time[0], s.nRisk[0]]).toEqual([0, 3]);
    assertClose(s.surv[0], 2 / 3, {rtol: 1e-15});
  });
  it("KM8 a missing time is dropped and counted", () => {
    const fit = kaplanMeier({time: [1, NaN, 3], event: [1, 1, 1]});
    expect(fit.strata[0].n).toBe(2);
    expect(fit.dropped).toEqual({total: 1, reasons: [{field: "time", count: 1}]});
  });
  it("KM13 zero weight: the zero-weight event keeps its row with n.event 0", () => {
    // R: survfit(Surv(1:3, rep(1, 3)) ~ 1, weights = c(1, 0, 1)) has n.risk 2 1 1, n.event 1 0 1
    // (the catalogue's own data are not given; its "n.risk 2" is for another data set)
    const s = kaplanMeier({time: [1, 2, 3], event: [1, 1, 1], weights: [1, 0, 1]}).strata[0];
    expect([Array.from(s.nRisk), Array.from(s.nEvent), Array.from(s.surv)]).toEqual([[2, 1, 1], [1, 0, 1], [0.5, 0.5, 0]]);
  });
  it("KM14 near tie 2 vs sqrt(2)^2: merged by default, apart with timefix: false", () => {
    const d = {time: [2, Math.SQRT2 ** 2, 3], event: [1, 1, 1]};
    expect(Array.from(kaplanMeier(d).strata[0].nEvent)).toEqual([2, 1]);
    expect(Array.from(kaplanMeier(d, {timefix: false}).strata[0].time)).toEqual([2, Math.SQRT2 ** 2, 3]);
  });
  it("KM16 median not reached is null", () => {
    expect(kaplanMeier({time: [1, 2, 3, 4, 5], event: [1, 0, 0, 0, 0]}).strata[0].median).toBeNull();
  });
  it("KM17 late entry after S = 0: S stays 0 at t = 8 with 1 at risk", () => {
    const s = kaplanMeier({entry: [0, 5], time: [2, 8], event: [1, 1]}).strata[0];
    expect([Array.from(s.surv), Array.from(s.nRisk)]).toEqual([[0, 0], [1, 1]]);
  });
  it("KM18 an entrant is not at risk at its own entry time", () => {
    const s = kaplanMeier({entry: [0, 0, 2], time: [2, 3, 4], event: [1, 1, 1]}).strata[0];
    expect([Array.from(s.nRisk), Array.from(s.surv)]).toEqual([[2, 2, 1], [0.5, 0.25, 0]]);
  });
  it("KM22 lung: median 310 (285, 363) with R's log CI", () => {
    const s = kaplanMeier({time: lungData().time, event: lungData().event}, {confType: "log"}).strata[0];
    expect([s.median, s.medianLower, s.medianUpper]).toEqual([310, 285, 363]);
  });
});

// --- invalid input: errors name the field, the row and the value --------------------------------
describe("kaplanMeier rejects invalid input", () => {
  it("KM7 negative time (R accepts it silently) is an error", () => {
    expect(() => kaplanMeier({time: [1, -1, 2], event: [1, 1, 0]})).toThrow("time at row 2: -1 (time must be ≥ 0)");
  });
  it("KM9 infinite time (R accepts it) is an error", () => {
    expect(() => kaplanMeier({time: [Infinity, 1], event: [1, 0]})).toThrow("time at row 1: Infinity (time must be finite)");
  });
  it("a status that is not 0 or a cause code is an error", () => {
    expect(() => kaplanMeier({time: [1, 2], event: [1, 0.5]})).toThrow("event at row 2: 0.5 (event must be 0 (censored) or a cause code 1, 2, …)");
    expect(() => kaplanMeier({time: [1, 2], event: [-1, 0]})).toThrow(/^event at row 1: -1/);
  });
  it("KM19 entry ≥ stop is an error", () => {
    expect(() => kaplanMeier({entry: [0, 3], time: [2, 3], event: [1, 1]})).toThrow("entry at row 2: 3 (entry must be < stop time 3)");
  });
  it("negative or infinite weights are errors", () => {
    expect(() => kaplanMeier({time: [1, 2], event: [1, 1], weights: [1, -1]})).toThrow("weights at row 2: -1 (weights must be ≥ 0)");
    expect(() => kaplanMeier({time: [1, 2], event: [1, 1], weights: [Infinity, 1]})).toThrow("weights at row 1: Infinity (weights must be finite)");
  });
  it("errors are SurvivalInputError with field and row", () => {
    try {
      kaplanMeier({time: [1, -3], event: [1, 1]});
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({name: "SurvivalInputError", field: "time", row: 2, value: -3});
    }
  });
  it("bad options are errors", () => {
    const d = {time: [1, 2], event: [1, 0]};
    expect(() => kaplanMeier(d, {cause: 0})).toThrow("cause must be null or an integer ≥ 1; got 0");
    expect(() => kaplanMeier(d, {cause: 1.5})).toThrow(RangeError);
    expect(() => kaplanMeier(d, {confType: "logit" as never})).toThrow(/confType must be one of/);
    expect(() => kaplanMeier(d, {confLevel: 95})).toThrow("confLevel must be a number strictly between 0 and 1; got 95");
  });
});
