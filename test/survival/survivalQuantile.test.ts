import {describe, expect, it} from "vitest";
import {kaplanMeier} from "../../src/survival/kaplanMeier.js";
import {curveQuantiles, printMedian, survivalQuantile} from "../../src/survival/survivalQuantile.js";
import {assertClose} from "../util/close.js";
import {caseData, loadKmFixture} from "./kmFixture.js";

// Expected values: `quantile(fit, probs)` ($quantile, $lower, $upper) and print(fit)'s median from
// test/reference/km-datasets.json and km-edge.json (Rscript test/reference/km-datasets.R / km-edge.R,
// R 4.2.2, survival 3.5-3; the survfit call is each case's `call`).
for (const file of ["km-datasets.json", "km-edge.json"]) {
  describe(`survivalQuantile(fit, probs) matches quantile.survfit (${file})`, () => {
    for (const c of loadKmFixture(file).cases) {
      it(c.name, () => {
        const fit = kaplanMeier(caseData(c), {confType: c.confType, confLevel: c.confLevel, cause: c.cause, timefix: c.timefix});
        const q = survivalQuantile(fit, c.probs);
        expect(q.probs).toEqual(c.probs);
        q.strata.forEach((s, g) => {
          const e = c.strata[g].quantile;
          const label = `${c.name} [${s.level}]`;
          expect(s.level).toBe(c.strata[g].level);
          assertClose(s.quantile, e.quantile, {label: `${label} quantile`});
          assertClose(s.lower, e.lower, {label: `${label} lower`});
          assertClose(s.upper, e.upper, {label: `${label} upper`});
          for (const v of [...s.quantile, ...s.lower, ...s.upper]) expect(v === null || Number.isFinite(v)).toBe(true);
        });
      });
    }
  });
}

describe("curveQuantiles and printMedian follow R's two rules", () => {
  // R: fit <- survfit(Surv(1:4, c(1, 1, 0, 0)) ~ 1): S = .75 .5 .5 .5
  // quantile(fit, c(.1, .25, .5))$quantile = 1, 1.5, 3;  print(fit) median = 2 (km-edge.json KM15b)
  const time = [1, 2, 3, 4];
  const surv = [0.75, 0.5, 0.5, 0.5];
  it("quantile.survfit: midpoint to the last time when the curve ends flat at 1 − p", () => {
    assertClose(curveQuantiles(time, surv, [0.1, 0.25, 0.5]), [1, 1.5, 3]);
  });
  it("print.survfit: the start of the flat stretch when the curve never drops again", () => {
    expect(printMedian(time, surv)).toBe(2);
  });
  it("both: the midpoint of a flat at 0.5 that drops later (KM15: Surv(1:4, rep(1, 4)) gives 2.5)", () => {
    const s = [0.75, 0.5, 0.25, 0];
    expect(printMedian(time, s)).toBe(2.5);
    assertClose(curveQuantiles(time, s, [0.5]), [2.5]);
  });
  it("p = 0 gives the start time; probabilities outside [0, 1] are errors", () => {
    assertClose(curveQuantiles(time, surv, [0]), [0]);
    expect(() => curveQuantiles(time, surv, [1.5])).toThrow(/probabilities must be in \[0, 1\]; got 1.5/);
    expect(() => curveQuantiles(time, surv, [NaN])).toThrow(RangeError);
  });
  it("not reached is null, never NaN", () => {
    const fit = kaplanMeier({time: [1, 2, 3], event: [0, 0, 0]});
    const q = survivalQuantile(fit);
    expect(q.strata[0].quantile).toEqual([null, null, null]);
    expect(fit.strata[0].median).toBeNull();
  });
  it("confType none gives null limits", () => {
    const fit = kaplanMeier({time: [1, 2, 3], event: [1, 1, 1]}, {confType: "none"});
    const q = survivalQuantile(fit, [0.5]);
    expect(q.strata[0]).toEqual({level: null, quantile: [2], lower: [null], upper: [null]});
  });
});
