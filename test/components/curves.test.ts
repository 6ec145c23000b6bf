// Preparation of curves for drawing and the risk-table model. Step data and expected counts come
// from survival 3.5-3 (test/components/reference/risktable.R → risktable.json: survfit on aml by
// x, summary(fit, times = ticks, extend = TRUE)); the drawing points are checked by hand.
import {readFileSync} from "node:fs";
import {assert, describe, expect, it} from "vitest";
import {PALETTE, THIN_ABOVE, chooseTicks, curvesCsvRows, maxTime, pixelIndex, prepareCurves, riskTableModel, splitAt, thinCurve, type SurvivalCurve} from "../../src/components/curves.js";
import {selectionMessage} from "../../src/components/message.js";
import {stackedRows} from "../../src/components/stackedOutcomePlot.js";

const ref = JSON.parse(readFileSync(new URL("./reference/risktable.json", import.meta.url), "utf8"));
const aml: SurvivalCurve[] = ref.aml.map((s: {stratum: string; time: number[]; surv: number[]; n_risk: number[]; n_event: number[]; n_censor: number[]}) => ({
  label: s.stratum,
  time: Float64Array.from(s.time),
  surv: s.surv,
  nRisk: s.n_risk,
  nEvent: s.n_event,
  nCensor: s.n_censor
}));

describe("prepareCurves", () => {
  it("prepareCurves(curves) prepends the origin, converts units and puts censor marks on the step", () => {
    const [p] = prepareCurves([aml[0]], {initial: 1, timeUnit: "months"});
    const k = 12 / 365.25;
    assert.strictEqual(p.x[0], 0);
    assert.strictEqual(p.y[0], 1);
    assert.strictEqual(p.x.length, aml[0].time.length + 1);
    assert.ok(Math.abs(p.x[1] - 9 * k) < 1e-12);
    // Censorings of the Maintained arm at 13, 28, 45, 161 (n.censor > 0), on the curve's value there.
    assert.deepStrictEqual(p.censor.map((c) => Math.round(c.x / k)), [13, 28, 45, 161]);
    assert.deepStrictEqual(p.censor.map((c) => c.y), [ref.aml[0].surv[1], ref.aml[0].surv[4], ref.aml[0].surv[7], ref.aml[0].surv[9]]);
    assert.strictEqual(p.color, PALETTE[0]);
    assert.strictEqual(p.dash, null);
  });
  it("prepareCurves colours by group and dashes by cause, and keeps explicit colours", () => {
    const base = {time: [1, 2], estimate: [0.1, 0.2]};
    const ps = prepareCurves(
      [
        {...base, label: "Relapse A", group: "A", cause: "Relapse"},
        {...base, label: "NRM A", group: "A", cause: "NRM"},
        {...base, label: "Relapse B", group: "B", cause: "Relapse", color: "red"}
      ],
      {initial: 0}
    );
    assert.deepStrictEqual(ps.map((p) => p.color), [PALETTE[0], PALETTE[0], "red"]);
    assert.deepStrictEqual(ps.map((p) => p.dash), [null, "6,3", null]);
    assert.deepStrictEqual(ps[0].y, [0, 0.1, 0.2]);
  });
  it("prepareCurves turns NaN/null confidence limits into gaps (null) and rejects ragged arrays", () => {
    const [p] = prepareCurves([{label: "x", time: [1, 2], surv: [0.5, 0], lower: [0.2, NaN], upper: [0.8, null]}], {initial: 1});
    assert.deepStrictEqual(p.lower, [1, 0.2, null]);
    assert.deepStrictEqual(p.upper, [1, 0.8, null]);
    assert.throws(() => prepareCurves([{label: "bad", time: [1, 2], surv: [1]}], {initial: 1}), /1 estimates for 2 times/);
    assert.throws(() => prepareCurves([{label: "bad", time: [1], surv: [1], nRisk: [1, 2]}], {initial: 1}), /nRisk has 2 values/);
  });
  it("splitAt shares the joint point between the solid head and the faded tail", () => {
    const {head, tail} = splitAt([0, 1, 2, 3], [1, 0.8, 0.5, 0.4], 1.5);
    assert.deepStrictEqual(head, [{x: 0, y: 1}, {x: 1, y: 0.8}]);
    assert.deepStrictEqual(tail, [{x: 1.5, y: 0.8}, {x: 2, y: 0.5}, {x: 3, y: 0.4}]);
    assert.deepStrictEqual(splitAt([0, 1], [1, 1], null).tail, []);
  });
});

describe("riskTableModel", () => {
  it("riskTableModel(curves, {ticks}) gives summary(survfit, times)'s n.risk and cumulative counts on aml", () => {
    const prepared = prepareCurves(aml, {initial: 1});
    const ticks = ref.aml[0].ticks as number[];
    const m = riskTableModel(prepared, {ticks, xMax: 200, rows: ["atRisk", "events", "censored"]});
    assert.deepStrictEqual(m.ticks, ticks);
    assert.deepStrictEqual(m.groups.map((g) => g.group), ["x=Maintained", "x=Nonmaintained"]);
    ref.aml.forEach((s: {stratum: string; tick_n_risk: number[]; tick_cum_event: number[]; tick_cum_censor: number[]}) => {
      const get = (row: string) => m.cells.filter((c) => c.group === s.stratum && c.row === row).map((c) => c.value);
      assert.deepStrictEqual(get("atRisk"), s.tick_n_risk);
      assert.deepStrictEqual(get("events"), s.tick_cum_event);
      assert.deepStrictEqual(get("censored"), s.tick_cum_censor);
    });
  });
  it("riskTableModel masks small counts and shows '—' when a curve lacks the counts", () => {
    const prepared = prepareCurves([aml[0], {label: "no counts", time: [1], surv: [0.5]}], {initial: 1});
    const m = riskTableModel(prepared, {ticks: [0, 50, 200], xMax: 200, maskBelow: 5});
    assert.deepStrictEqual(m.cells.map((c) => c.text), ["11", "<5", "0", "—", "—", "—"]);
  });
  it("riskTableModel uses the caller's atRisk counts when their times are the ticks", () => {
    const c: SurvivalCurve = {label: "a", time: [1, 2], surv: [0.9, 0.8], atRisk: {time: [0, 30.4375], nRisk: [10, 7], cumEvents: [0, 2]}};
    const prepared = prepareCurves([c], {initial: 1, timeUnit: "months"});
    const ticks = chooseTicks(prepared, {timeUnit: "months", xMax: 2});
    assert.deepStrictEqual(ticks, [0, 1]);
    const m = riskTableModel(prepared, {timeUnit: "months", ticks, xMax: 2, rows: ["atRisk", "events", "censored"]});
    assert.deepStrictEqual(m.cells.map((x) => x.text), ["10", "7", "0", "2", "—", "—"]);
  });
  it("chooseTicks keeps explicit ticks inside [0, xMax] and otherwise computes them", () => {
    const prepared = prepareCurves(aml, {initial: 1});
    assert.deepStrictEqual(chooseTicks(prepared, {ticks: [-1, 0, 50, 500], xMax: 161}), [0, 50]);
    assert.deepStrictEqual(chooseTicks(prepared, {xMax: 161, maxTicks: 5}), [0, 50, 100, 150]);
    assert.strictEqual(maxTime(aml), 161);
  });
});

describe("CSV rows and stacked rows", () => {
  it("curvesCsvRows writes one full-precision row per curve × time with nulls for missing columns", () => {
    const rows = curvesCsvRows([{label: "a", time: [1, 2], surv: [0.5, 0.25], lower: [0.1, NaN]}]);
    assert.deepStrictEqual(rows[1], {curve: "a", group: "a", cause: null, time: 2, estimate: 0.25, lower: null, upper: null, n_risk: null, n_event: null, n_censor: null});
  });
  it("stackedRows prepends the origin (first state 1) and reports how far the states are from summing to 1", () => {
    const {rows, maxSumError, nonFinite} = stackedRows({time: [10, 20], states: [{label: "RFS", values: [0.9, 0.7]}, {label: "Relapse", values: [0.1, 0.2]}, {label: "NRM", values: [0, NaN]}]});
    assert.deepStrictEqual(rows.slice(0, 3).map((r) => [r.x, r.state, r.value]), [[0, "RFS", 1], [0, "Relapse", 0], [0, "NRM", 0]]);
    assert.strictEqual(nonFinite, 1);
    assert.ok(Math.abs(maxSumError - 0.1) < 1e-12);
  });
});

describe("selectionMessage", () => {
  it("selectionMessage explains empty, one-group and no-event selections, else null", () => {
    assert.strictEqual(selectionMessage({n: 0}), "No patients match these filters");
    assert.strictEqual(selectionMessage({n: 10, groups: 1}, {comparison: true, test: "Log-rank"}), "Log-rank needs at least 2 groups; this selection has 1 group");
    assert.strictEqual(selectionMessage({n: 10, groups: 2, events: 0}, {comparison: true, events: true, eventName: "deaths"}), "No deaths in this selection");
    assert.strictEqual(selectionMessage({n: 10, groups: 2, events: 3}, {comparison: true, events: true}), null);
    assert.strictEqual(selectionMessage({n: NaN}), "No patients match these filters");
  });
});

describe("thinCurve (what a plot draws of a registry-sized curve)", () => {
  // A survival step function with a step on each of 3,000 days and a censor mark on each day.
  const n = 3000;
  const time = Array.from({length: n}, (_, i) => i + 1);
  const surv = time.map((t) => Math.exp(-t / 1000));
  const curve = {label: "all", time, surv, lower: surv.map((s) => s * 0.9), upper: surv.map((s) => Math.min(1, s * 1.1)), nCensor: time.map(() => 1)};
  const [p] = prepareCurves([curve], {initial: 1});
  const pxPerDay = 600 / 3000; // 600-pixel frame

  it("keeps the first and last point of each pixel column, in order, and the curve's ends", () => {
    const t = thinCurve(p, pxPerDay, 300);
    expect(t.x.length).toBeLessThanOrEqual(2 * 601);
    expect(t.x[0]).toBe(p.x[0]);
    expect(t.x[t.x.length - 1]).toBe(p.x[p.x.length - 1]);
    for (let i = 1; i < t.x.length; ++i) expect(t.x[i]).toBeGreaterThan(t.x[i - 1]);
    // Every pixel column's first and last values are kept, so the drawn step path spans the same pixels.
    const cols = new Map<number, number[]>();
    p.x.forEach((x, i) => cols.set(Math.floor(x * pxPerDay), [...(cols.get(Math.floor(x * pxPerDay)) ?? []), i]));
    for (const idx of cols.values()) {
      expect(t.y).toContain(p.y[idx[0]]);
      expect(t.y).toContain(p.y[idx[idx.length - 1]]);
    }
    expect(t.lower!.length).toBe(t.x.length);
    expect(t.upper!.length).toBe(t.x.length);
  });

  it("draws one censor mark per pixel column and row", () => {
    const t = thinCurve(p, pxPerDay, 300);
    const keys = t.censor.map((c) => `${Math.floor(c.x * pxPerDay)}:${Math.round(c.y * 300)}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(p.censor.map((c) => `${Math.floor(c.x * pxPerDay)}:${Math.round(c.y * 300)}`)).size).toBe(keys.length);
  });

  it("pixelIndex (used by thinCurve and the stacked plot): the first and last index of each pixel column, or null to keep all", () => {
    // 2,000 points, 4 per pixel at 0.25 px per unit: columns {0,1,2,3}, {4,…,7}, … keep their ends.
    const x = Array.from({length: 2000}, (_, i) => i);
    const keep = pixelIndex(x, 0.25)!;
    expect(keep.slice(0, 6)).toEqual([0, 3, 4, 7, 8, 11]);
    expect(keep.length).toBe(1000);
    expect(keep[keep.length - 1]).toBe(1999);
    // At most THIN_ABOVE points, or ≤ 2 per column, or a degenerate scale: keep everything.
    expect(pixelIndex(x.slice(0, THIN_ABOVE), 0.25)).toBeNull();
    expect(pixelIndex(x, 0.5)).toBeNull();
    expect(pixelIndex(x, 0)).toBeNull();
    expect(pixelIndex(x, Infinity)).toBeNull();
  });

  it("returns a small curve unchanged", () => {
    const [small] = prepareCurves([{label: "s", time: [1, 2, 3], surv: [0.9, 0.8, 0.7], nCensor: [1, 0, 1]}], {initial: 1});
    expect(thinCurve(small, 0.001, 300)).toBe(small);
  });
});
