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
