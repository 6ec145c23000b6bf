import {describe, expect, it} from "vitest";
import {kaplanMeier} from "../../src/survival/kaplanMeier.js";
import {kaplanMeierJSON} from "../../src/survival/kaplanMeierJSON.js";
import {assertClose} from "../util/close.js";
import {caseData, loadKmFixture} from "./kmFixture.js";

// Expected values: test/reference/km-edge.json and km-datasets.json (Rscript test/reference/km-edge.R /
// km-datasets.R, R 4.2.2, survival 3.5-3): survfit rows, print(fit) median, summary(fit, times, extend = TRUE).
describe("kaplanMeierJSON(fit, {at}) gives the headless runner's km shape", () => {
  it("has exactly the documented keys, plain arrays, and null (never NaN/Infinity) for undefined values", () => {
    const c = loadKmFixture("km-edge.json").cases.find((c) => c.name === "KM2 all events, S reaches 0, log")!;
    const fit = kaplanMeier(caseData(c), {confType: "log"});
    const json = kaplanMeierJSON(fit, {at: [5, 0, 3.5, 4]});
    expect(Object.keys(json)).toEqual(["strata", "dropped"]);
    const s = json.strata[0];
    expect(Object.keys(s)).toEqual(["level", "n", "events", "median", "medianLower", "medianUpper", "at", "steps"]);
    expect(Object.keys(s.at[0])).toEqual(["time", "surv", "stdErr", "lower", "upper", "nRisk"]);
    expect(Object.keys(s.steps[0])).toEqual(["time", "nRisk", "nEvent", "nCensor", "surv", "stdErr", "lower", "upper"]);
    // R: summary(survfit(Surv(1:4, rep(1, 4)) ~ 1), times = c(0, 3.5, 4, 5), extend = TRUE)
    expect(s.at).toEqual([
      {time: 0, surv: 1, stdErr: 0, lower: 1, upper: 1, nRisk: 4},
      {time: 3.5, surv: 0.25, stdErr: s.at[1].stdErr, lower: s.at[1].lower, upper: 1, nRisk: 1},
      {time: 4, surv: 0, stdErr: null, lower: null, upper: null, nRisk: 1},
      {time: 5, surv: 0, stdErr: null, lower: null, upper: null, nRisk: 0}
    ]);
    assertClose([s.at[1].stdErr, s.at[1].lower], [0.2165064, 0.04579076], {rtol: 0, atol: 5e-8}); // R's printed 7 digits
    expect([s.median, s.medianLower, s.medianUpper]).toEqual([2.5, 1, null]);
    const text = JSON.stringify(json);
    expect(text).not.toMatch(/NaN|Infinity/);
    expect(JSON.parse(text)).toEqual(json);
  });
  it("reproduces the fixture rows for every stratum (veteran by celltype, log-log 0.95)", () => {
    const c = loadKmFixture("km-datasets.json").cases.find((c) => c.name === "veteran by celltype, log-log 0.95")!;
    const json = kaplanMeierJSON(kaplanMeier(caseData(c)), {at: c.times});
    json.strata.forEach((s, g) => {
      const e = c.strata[g];
      expect([s.level, s.n, s.events]).toEqual([e.level, e.n, e.events]);
      for (const k of ["time", "nRisk", "nEvent", "nCensor", "surv", "stdErr", "lower", "upper"] as const)
        assertClose(s.steps.map((r) => r[k]), e.steps[k]!, {label: `${s.level} steps ${k}`});
      for (const k of ["time", "surv", "stdErr", "lower", "upper", "nRisk"] as const)
        assertClose(s.at.map((r) => r[k]), e.at[k], {label: `${s.level} at ${k}`});
    });
  });
  it("reports dropped rows", () => {
    const json = kaplanMeierJSON(kaplanMeier({time: [1, NaN, 3], event: [1, 1, NaN]}));
    expect(json.dropped).toEqual({total: 2, reasons: [{field: "time", count: 1}, {field: "event", count: 1}]});
  });
});
