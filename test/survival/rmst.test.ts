import {describe, expect, it} from "vitest";
import {kaplanMeier} from "../../src/survival/kaplanMeier.js";
import {rmst} from "../../src/survival/rmst.js";
import {assertClose} from "../util/close.js";
import {caseData, loadKmFixture} from "./kmFixture.js";

// Expected values: `survival:::survmean(fit, rmean = tau)$matrix[c("rmean", "se(rmean)")]` (what
// print(fit, rmean = tau) shows) from test/reference/km-datasets.json and km-edge.json
// (Rscript test/reference/km-datasets.R / km-edge.R, R 4.2.2, survival 3.5-3).
for (const file of ["km-datasets.json", "km-edge.json"]) {
  describe(`rmst(fit, tau) matches print(fit, rmean = tau) (${file})`, () => {
    for (const c of loadKmFixture(file).cases) {
      if (c.confType !== "log") continue; // the restricted mean does not depend on the CI type
      it(c.name, () => {
        const fit = kaplanMeier(caseData(c), {confType: c.confType, confLevel: c.confLevel, cause: c.cause, timefix: c.timefix});
        for (const [k, tau] of c.taus.entries()) {
          const res = rmst(fit, tau);
          expect(res.tau).toBe(tau);
          res.strata.forEach((s, g) => {
            const e = c.strata[g].rmean[k];
            expect(e.tau).toBe(tau);
            assertClose(s.rmean, e.rmean, {label: `${c.name} [${s.level}] rmean(${tau})`});
            assertClose(s.stdErr, e.se, {label: `${c.name} [${s.level}] se(rmean)(${tau})`});
          });
        }
      });
    }
  });
}

describe("rmst(fit, tau) edge rules", () => {
  it("the horizon must be finite and ≥ 0", () => {
    const fit = kaplanMeier({time: [1, 2], event: [1, 0]});
    expect(() => rmst(fit, -1)).toThrow("tau: -1 (the restricted-mean horizon must be a finite number ≥ 0)");
    expect(() => rmst(fit, Infinity)).toThrow(RangeError);
    expect(() => rmst(fit, NaN)).toThrow(RangeError);
  });
  it("tau at 0 is 0 with SE 0; tau before the first time is tau with SE 0", () => {
    const fit = kaplanMeier({time: [1, 2], event: [1, 0]});
    expect(rmst(fit, 0).strata[0]).toEqual({level: null, rmean: 0, stdErr: 0});
    expect(rmst(fit, 0.5).strata[0]).toEqual({level: null, rmean: 0.5, stdErr: 0});
  });
});
