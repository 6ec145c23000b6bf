import {readFileSync} from "node:fs";
import {describe, expect, it} from "vitest";
import {
  confidenceZ,
  survivalConfidenceBands,
  survivalConfidenceInterval,
  type ConfType
} from "../../src/survival/confidenceInterval.js";
import {assertClose} from "../util/close.js";

// Expected values: test/reference/km-confint.json, written by `Rscript test/reference/km-confint.R`
// (R 4.2.2, survival 3.5-3): survival:::survfit_confint(p, se, logse = TRUE, conf.type, conf.int)
// on a grid of S and SE(−log S) values, including S = 0, S = 1 and SE = Inf.
interface ConfintCase {
  confType: ConfType;
  confLevel: number;
  surv: number[];
  stdErrLog: (number | null)[];
  seInfinite: boolean[];
  lower: (number | null)[];
  upper: (number | null)[];
}
const fixture: {cases: ConfintCase[]} = JSON.parse(readFileSync(new URL("../reference/km-confint.json", import.meta.url), "utf8"));

describe("survivalConfidenceBands(surv, stdErrLog, options) matches survival:::survfit_confint", () => {
  for (const c of fixture.cases) {
    it(`${c.confType} at ${c.confLevel}`, () => {
      const se = c.stdErrLog.map((v, i) => (c.seInfinite[i] ? Infinity : v!));
      const {lower, upper} = survivalConfidenceBands(c.surv, se, {confType: c.confType, confLevel: c.confLevel});
      assertClose(lower, c.lower, {label: "lower"});
      assertClose(upper, c.upper, {label: "upper"});
      c.surv.forEach((s, i) => {
        const one = survivalConfidenceInterval(s, se[i], {confType: c.confType, confLevel: c.confLevel});
        expect(one.lower).toBe(Number.isNaN(lower[i]) ? null : lower[i]);
        expect(one.upper).toBe(Number.isNaN(upper[i]) ? null : upper[i]);
      });
    });
  }
});

describe("confidence interval rules", () => {
  it("KM20: plain limits are clipped to [0, 1] (S = .4: (0, .829); S = .2: (0, .551), catalogue, 3 decimals)", () => {
    // Surv(1:5, rep(1, 5)): S = .4 at t = 3 (SE(−log S) = sqrt(1/20 + 1/12 + 1/6)), S = .2 at t = 4
    const se3 = Math.sqrt(1 / 20 + 1 / 12 + 1 / 6);
    const se4 = Math.sqrt(1 / 20 + 1 / 12 + 1 / 6 + 1 / 2);
    const a = survivalConfidenceInterval(0.4, se3, {confType: "plain"});
    const b = survivalConfidenceInterval(0.2, se4, {confType: "plain"});
    assertClose([a.lower, a.upper, b.lower, b.upper], [0, 0.829, 0, 0.551], {rtol: 0, atol: 5e-4});
  });
  it("KM21: log-log, n = 10, one event at t = 1 gives (0.4730, 0.9853) (catalogue, 4 decimals)", () => {
    const ci = survivalConfidenceInterval(0.9, Math.sqrt(1 / 90), {confType: "log-log"});
    assertClose([ci.lower, ci.upper], [0.473, 0.9853], {rtol: 0, atol: 5e-5});
  });
  it("default is log-log at 0.95", () => {
    expect(survivalConfidenceInterval(0.9, Math.sqrt(1 / 90))).toEqual(
      survivalConfidenceInterval(0.9, Math.sqrt(1 / 90), {confType: "log-log", confLevel: 0.95})
    );
  });
  it("confidenceZ(0.95) is qnorm(0.975) = 1.959963984540054", () => {
    assertClose(confidenceZ("log", 0.95), 1.959963984540054, {rtol: 1e-15});
  });
  it("undefined limits are null; none gives null", () => {
    expect(survivalConfidenceInterval(0, Infinity, {confType: "log"})).toEqual({lower: null, upper: null});
    expect(survivalConfidenceInterval(1, 0, {confType: "log-log"})).toEqual({lower: null, upper: null});
    expect(survivalConfidenceInterval(0.5, 0.1, {confType: "none"})).toEqual({lower: null, upper: null});
  });
  it("bad types and levels are errors", () => {
    expect(() => confidenceZ("logit", 0.95)).toThrow('confType must be one of "log-log", "log", "plain", "none"; got "logit"');
    expect(() => confidenceZ("log", 1)).toThrow("confLevel must be a number strictly between 0 and 1; got 1");
    expect(() => confidenceZ("log", 0)).toThrow(RangeError);
    expect(() => confidenceZ("log", NaN)).toThrow(RangeError);
    expect(() => confidenceZ("log", "0.95")).toThrow(RangeError);
  });
});
