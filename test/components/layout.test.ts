// Tick choice, step-function reading and risk-table counts. The at-risk and cumulative counts are
// checked against survival 3.5-3: test/components/reference/risktable.R writes risktable.json with
// summary(survfit(...), times = ticks, extend = TRUE) next to the step data the components read.
import {readFileSync} from "node:fs";
import {assert, describe, it} from "vitest";
import {atRiskAt, convertTime, cumulativeAt, fadeStart, flowLayout, lastIndexAtOrBefore, logTicks, stepValueAt, textWidth, timeTicks, truncateText} from "../../src/components/layout.js";

interface Stratum {
  stratum: string;
  time: number[];
  n_risk: number[];
  n_event: number[];
  n_censor: number[];
  surv: number[];
  ticks: number[];
  tick_n_risk: number[];
  tick_cum_event: number[];
  tick_cum_censor: number[];
}
const ref = JSON.parse(readFileSync(new URL("./reference/risktable.json", import.meta.url), "utf8")) as {aml: Stratum[]; lung: Stratum[]};

describe("risk-table counts", () => {
  for (const set of ["aml", "lung"] as const) {
    it(`atRiskAt/cumulativeAt(steps, ticks) match summary(survfit, times, extend = TRUE) on ${set}`, () => {
      for (const s of ref[set]) {
        assert.deepStrictEqual(atRiskAt(s.time, s.n_risk, s.ticks), s.tick_n_risk, `${set} ${s.stratum} n.risk`);
        assert.deepStrictEqual(cumulativeAt(s.time, s.n_event, s.ticks), s.tick_cum_event, `${set} ${s.stratum} cumulative events`);
        assert.deepStrictEqual(cumulativeAt(s.time, s.n_censor, s.ticks), s.tick_cum_censor, `${set} ${s.stratum} cumulative censored`);
      }
    });
  }
  it("atRiskAt matches a tick converted from months back to days despite rounding", () => {
    // A subject at exactly 365.25 days is at risk at "12 months" (time ≥ t), although 12 × 30.4375
    // and 365.25 may differ in the last bit.
    const t = convertTime(12, "months", "days");
    assert.deepStrictEqual(atRiskAt([100, 365.25, 400], [3, 2, 1], [t, t * (1 + 1e-13)]), [2, 2]);
  });
  it("stepValueAt reads a right-continuous step function, with the initial value before the first step", () => {
    const s = ref.aml[0];
    assert.strictEqual(stepValueAt(s.time, s.surv, 0, 1), 1);
    assert.strictEqual(stepValueAt(s.time, s.surv, 8.999, 1), 1);
    assert.strictEqual(stepValueAt(s.time, s.surv, 9, 1), s.surv[0]);
    assert.strictEqual(stepValueAt(s.time, s.surv, 1000, 1), s.surv[s.surv.length - 1]);
    assert.strictEqual(lastIndexAtOrBefore([1, 2, 2, 3], 2), 2);
    assert.strictEqual(lastIndexAtOrBefore([], 2), -1);
  });
  it("fadeStart returns the last time with at least k at risk after it, or null", () => {
    // n.risk just before each time: 5 4 3 2 1 → fewer than 3 from the 4th time on → fade from time[2].
    assert.strictEqual(fadeStart([1, 2, 3, 4, 5], [5, 4, 3, 2, 1], 3), 3);
    assert.strictEqual(fadeStart([1, 2], [2, 1], 3, 0), 0);
    assert.strictEqual(fadeStart([1, 2], [9, 8], 3), null);
  });
});

describe("ticks", () => {
  it("timeTicks picks unit-friendly steps: months by 3/6/12, years by 1/2/5, days by round numbers", () => {
    assert.deepStrictEqual(timeTicks(60, "months", 8), [0, 12, 24, 36, 48, 60]);
    assert.deepStrictEqual(timeTicks(20, "months", 8), [0, 3, 6, 9, 12, 15, 18]);
    assert.deepStrictEqual(timeTicks(7.9, "years", 10), [0, 1, 2, 3, 4, 5, 6, 7]);
    assert.deepStrictEqual(timeTicks(7.9, "years", 4), [0, 2, 4, 6]);
    assert.deepStrictEqual(timeTicks(7.9, "years", 3), [0, 5]);
    assert.deepStrictEqual(timeTicks(1.2, "years", 8), [0, 0.25, 0.5, 0.75, 1]);
    assert.deepStrictEqual(timeTicks(2900, "days", 8), [0, 500, 1000, 1500, 2000, 2500]);
    assert.deepStrictEqual(timeTicks(0, "days"), [0]);
    assert.deepStrictEqual(timeTicks(NaN, "days"), [0]);
  });
  it("timeTicks falls back to 1·2·5 × 10^k beyond the unit's table", () => {
    assert.deepStrictEqual(timeTicks(900, "years", 4), [0, 500]);
  });
  it("logTicks chooses the densest 1·2·5 / 1·3 / 1 decade pattern that fits", () => {
    assert.deepStrictEqual(logTicks(0.1, 10), [0.1, 0.2, 0.5, 1, 2, 5, 10]);
    assert.deepStrictEqual(logTicks(0.1, 10, 5), [0.1, 0.3, 1, 3, 10]);
    assert.deepStrictEqual(logTicks(0.01, 100, 5), [0.01, 0.1, 1, 10, 100]);
    assert.deepStrictEqual(logTicks(0.01, 100, 3), [0.01, 1, 100]);
    assert.deepStrictEqual(logTicks(0.4, 3, 9), [0.5, 1, 2]);
    assert.deepStrictEqual(logTicks(0, 3), [1]);
  });
  it("convertTime converts between days, months and years", () => {
    assert.strictEqual(convertTime(365.25, "days", "years"), 1);
    assert.strictEqual(convertTime(24, "months", "years"), 2);
    assert.strictEqual(convertTime(2, "years", "days"), 730.5);
  });
});

describe("text layout", () => {
  it("truncateText shortens with an ellipsis to fit and keeps short text", () => {
    assert.strictEqual(truncateText("Short", 100), "Short");
    const t = truncateText("Short interval between first and second transplant", 80, 11);
    assert.ok(t.endsWith("…") && textWidth(t, 11) <= 80, t);
    assert.ok(textWidth("Bold", 11, true) > textWidth("Bold", 11));
  });
  it("flowLayout wraps items into rows no wider than the width", () => {
    assert.deepStrictEqual(flowLayout([50, 50, 50], 120, 10), [{row: 0, x: 0}, {row: 0, x: 60}, {row: 1, x: 0}]);
    assert.deepStrictEqual(flowLayout([500], 120), [{row: 0, x: 0}]);
  });
});
