// The Outcomes page's analysis against R on the synthetic Kato 2012 cohort, and its edge cases.
// Expected values: test/reference/outcomes-kato2012.R → outcomes-kato2012.json (R 4.2.2, survival 3.5-3,
// cmprsk 2.2-11): summary(survfit(Surv(os_days, os_status) ~ 1, conf.type), times, extend = TRUE),
// survival:::survmean (median, CI, rmean), survfit(Surv(event_days, event > 0) ~ 1) and
// timepoints(cuminc(event_days, event), times).
import {readFileSync} from "node:fs";
import {describe, expect, it} from "vitest";
import {readTable} from "../../src/cohort/readTable.js";
import type {CohortTable} from "../../src/cohort/table.js";
import {cumulativeIncidence, kaplanMeier} from "../../src/survival/index.js";
import {loadStudyCohort, selectRows} from "../../src/study/cohort.js";
import {endpointInput} from "../../src/study/endpoints.js";
import {HORIZON_2Y} from "../../src/study/kato2012.js";
import {followUpMonths, horizonMonths, outcomeConfType, outcomesAnalysis, stackOutcomes, OUTCOME_CONF_TYPES} from "../../src/study/outcomes.js";
import {assertClose} from "../util/close.js";

interface KmRef {
  n: number;
  events: number;
  lastTime: number;
  surv: number[];
  stdErr: number[];
  lower: number[];
  upper: number[];
  nRisk: number[];
  median: number | null;
  medianLower: number | null;
  medianUpper: number | null;
  rmean: {tau: number; rmean: number; se: number}[];
}
interface SubsetRef {
  label: string;
  n: number;
  os: Record<string, KmRef>;
  rfs: Record<string, KmRef>;
  cif: {cause: number; est: (number | null)[]; var: (number | null)[]}[];
}
const ref = JSON.parse(readFileSync("test/reference/outcomes-kato2012.json", "utf8")) as {horizons: number[]; subsets: SubsetRef[]};

async function cohort(): Promise<CohortTable> {
  const loaded = await loadStudyCohort(readFileSync("data/kato2012-synthetic.csv"), "kato2012-synthetic.csv");
  if (!loaded.table) throw new Error("cohort not loaded");
  return loaded.table;
}

function maskFor(table: CohortTable, label: string): Uint8Array {
  if (label === "all") return new Uint8Array(table.numRows).fill(1);
  if (label === "age <= 9") return selectRows(table, [{column: "age_group", op: "==", value: "≤ 9 years"}]).mask;
  if (label === "CR and MAC")
    return selectRows(table, [
      {column: "status_sct2", op: "==", value: "CR"},
      {column: "conditioning", op: "==", value: "MAC"}
    ]).mask;
  throw new Error(label);
}

async function tableFrom(csv: string): Promise<CohortTable> {
  const {table} = await readTable(new TextEncoder().encode(csv), {name: "t.csv"});
  if (!table) throw new Error("not read");
  return table;
}

const noNaN = (value: unknown) => expect(JSON.stringify(value, (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? `BAD:${v}` : v))).not.toMatch(/BAD:/);

describe("outcomesAnalysis", async () => {
  const table = await cohort();

  for (const subset of ref.subsets)
    for (const confType of OUTCOME_CONF_TYPES)
      it(`matches survfit/cuminc on the synthetic cohort (${subset.label}, conf.type = "${confType}")`, () => {
        const mask = maskFor(table, subset.label);
        for (const [h, horizon] of ref.horizons.entries()) {
          const a = outcomesAnalysis(table, mask, {horizon, confType});
          expect(a.n).toBe(subset.n);
          const os = subset.os[confType];
          const rfs = subset.rfs[confType];
          expect(a.os!.n).toBe(os.n);
          expect(a.os!.deaths).toBe(os.events);
          expect(a.os!.lastTime).toBe(os.lastTime);
          assertClose([a.os!.median.estimate, a.os!.median.lower, a.os!.median.upper], [os.median, os.medianLower, os.medianUpper], {label: "OS median"});
          const byKey = Object.fromEntries(a.estimates.map((e) => [e.key, e]));
          for (const [key, km] of [["os", os], ["rfs", rfs]] as const) {
            const e = byKey[key];
            if (horizon > km.lastTime) {
              expect(e.estimate, `${key} beyond follow-up`).toBeNull();
              expect(e.note).toMatch(/beyond the last follow-up/);
              continue;
            }
            assertClose([e.estimate, e.se, e.lower, e.upper], [km.surv[h], km.stdErr[h], km.lower[h], km.upper[h]], {label: `${key} at ${horizon}`});
            expect(e.nRisk).toBe(km.nRisk[h]);
          }
          // RMST to the horizon (survmean's rmean and se), OS and RFS
          for (const [r, km] of [[a.os!.rmst, os], [a.competing!.rmst, rfs]] as const) {
            if (horizon > km.lastTime) expect(r.estimate).toBeNull();
            else assertClose([r.estimate, r.se], [km.rmean[h].rmean, km.rmean[h].se], {label: `rmst at ${horizon}`});
          }
          for (const c of subset.cif) {
            const key = ({1: "relapse", 2: "nrm", 3: "refractory"} as Record<number, string>)[c.cause];
            const e = byKey[key];
            assertClose(e.estimate, c.est[h], {label: `${key} at ${horizon}`});
            assertClose(e.se, c.var[h] === null ? null : Math.sqrt(c.var[h]!), {label: `${key} SE at ${horizon}`});
          }
        }
      });

  it("the stacked view: RFS + relapse + NRM + refractory = 1 at every time, the deviation computed", () => {
    const a = outcomesAnalysis(table, maskFor(table, "all"), {horizon: HORIZON_2Y});
    const st = a.competing!.stacked;
    expect(st.states.map((s) => s.label)).toEqual(["Relapse-free survival", "Relapse", "Non-relapse mortality", "Refractory / never in CR"]);
    let max = 0;
    for (let i = 0; i < st.time.length; ++i) max = Math.max(max, Math.abs(st.states.reduce((sum, s) => sum + s.values[i], 0) - 1));
    expect(a.competing!.maxDeviation).toBe(max);
    expect(max).toBeLessThan(1e-14);
    // the bottom state is the all-cause Kaplan–Meier of the first events; at 2 years it is 1 − Σ CIF
    const rfs = a.estimates.find((e) => e.key === "rfs")!.estimate!;
    const cifs = a.estimates.filter((e) => ["relapse", "nrm", "refractory"].includes(e.key)).reduce((s, e) => s + e.estimate!, 0);
    assertClose(rfs + cifs, 1, {rtol: 1e-14});
    // the risk table counts those still event-free
    expect(Array.from(st.nRisk!)).toEqual(Array.from(a.competing!.rfs.strata[0].nRisk));
  });

  it("stackOutcomes reports a real discrepancy (curves of other rows) instead of assuming the identity", () => {
    const data = {time: [1, 2, 3, 4], event: [1, 2, 0, 1]};
    const rfs = kaplanMeier(data);
    const other = cumulativeIncidence({time: [1, 2, 3, 4], event: [1, 1, 0, 1]}, {causes: [1, 2]});
    expect(stackOutcomes(rfs, cumulativeIncidence(data, {causes: [1, 2]})).maxDeviation).toBeLessThan(1e-15);
    expect(stackOutcomes(rfs, other).maxDeviation).toBeCloseTo(0, 10); // same totals by time: still sums to 1
    const shifted = cumulativeIncidence({time: [1, 2, 3, 4], event: [0, 2, 0, 1]}, {causes: [1, 2]});
    expect(stackOutcomes(rfs, shifted).maxDeviation).toBeGreaterThan(0.2);
  });

  it("results equal direct engine calls on the same rows (CIF curves and the all-cause KM share their grid)", () => {
    const mask = maskFor(table, "age <= 9");
    const a = outcomesAnalysis(table, mask, {horizon: 365.25, confType: "log"});
    const os = endpointInput(table, "os", mask);
    const ev = endpointInput(table, "events", mask);
    expect(Array.from(a.os!.fit.strata[0].surv)).toEqual(Array.from(kaplanMeier(os.data, {confType: "log"}).strata[0].surv));
    const cif = cumulativeIncidence(ev.data, {causes: [1, 2, 3]});
    for (const [j, c] of a.competing!.incidence.curves.entries()) {
      expect(Array.from(c.est)).toEqual(Array.from(cif.curves[j].est));
      expect(Array.from(c.time)).toEqual(Array.from(a.competing!.rfs.strata[0].time));
    }
  });

  it("no patients: a message, five null estimates, nothing NaN", () => {
    const a = outcomesAnalysis(table, new Uint8Array(table.numRows), {horizon: HORIZON_2Y});
    expect(a.message).toBe("No patients match these filters");
    expect(a.os).toBeNull();
    expect(a.competing).toBeNull();
    expect(a.estimates.map((e) => e.key)).toEqual(["os", "rfs", "relapse", "nrm", "refractory"]);
    expect(a.estimates.every((e) => e.estimate === null && e.note === "No patients match these filters")).toBe(true);
    noNaN(a.estimates);
  });

  it("no deaths and no first events: estimates of 1 and 0, median not reached (null), messages", async () => {
    // the fourth patient (not selected) carries the file's event codes
    const t = await tableFrom("os_days,os_status,event_days,event\n10,0,10,0\n20,0,20,0\n30,0,30,0\n5,1,1,1\n6,1,2,2\n7,1,3,3\n");
    const a = outcomesAnalysis(t, Uint8Array.from([1, 1, 1, 0, 0, 0]), {horizon: 15});
    expect(a.osMessage).toBe("No deaths in this selection");
    expect(a.competingMessage).toMatch(/^No relapse/);
    expect(a.os!.median).toEqual({estimate: null, lower: null, upper: null});
    const byKey = Object.fromEntries(a.estimates.map((e) => [e.key, e]));
    expect(byKey.os.estimate).toBe(1);
    expect(byKey.rfs.estimate).toBe(1);
    for (const k of ["relapse", "nrm", "refractory"]) {
      expect(byKey[k].estimate).toBe(0);
      expect(byKey[k].lower).toBeNull(); // log(−log) limits undefined at 0 (null, never NaN)
    }
    expect(a.competing!.maxDeviation).toBe(0);
    noNaN(a.estimates);
    noNaN({os: a.os!.median, rmst: a.os!.rmst});
  });

  it("a horizon beyond every follow-up: null estimates and RMST, with the reason", async () => {
    const t = await tableFrom("os_days,os_status,event_days,event\n10,1,5,1\n20,0,20,0\n30,1,12,2\n25,1,4,3\n");
    const a = outcomesAnalysis(t, new Uint8Array(4).fill(1), {horizon: 100});
    expect(a.estimates.every((e) => e.estimate === null && /beyond the last follow-up \(day (30|20)\)/.test(e.note!))).toBe(true);
    expect(a.os!.rmst.estimate).toBeNull();
    expect(a.competing!.rmst.note).toMatch(/day 20/);
  });

  it("unusable endpoint columns become messages, not exceptions", async () => {
    const t = await tableFrom("os_days,os_status,event_days,event\n10,1,5,a\n20,0,20,b\n");
    const a = outcomesAnalysis(t, new Uint8Array(2).fill(1), {horizon: 10});
    expect(a.os).not.toBeNull();
    expect(a.competing).toBeNull();
    expect(a.competingMessage).toMatch(/^The first events cannot be estimated: event/);
    const noCols = await tableFrom("x\n1\n");
    const b = outcomesAnalysis(noCols, new Uint8Array(1).fill(1), {horizon: 10});
    expect(b.osMessage).toBe("Overall survival cannot be estimated: time: no column 'os_days'");
    noNaN(b.estimates);
  });

  it("a missing time is left out and counted", async () => {
    const t = await tableFrom("os_days,os_status,event_days,event\n10,1,5,1\n,0,20,0\n30,1,12,2\n");
    const a = outcomesAnalysis(t, new Uint8Array(3).fill(1), {horizon: 10});
    expect(a.os!.n).toBe(2);
    expect(a.os!.excluded).toEqual([{column: "os_days", count: 1}]);
    expect(a.competing!.n).toBe(3);
  });

  it("event codes keep their meaning when a code is absent from the file (causes follow the data layer's numbering)", async () => {
    // codes 1, 3, 4: the data layer numbers them causes 1, 2, 3; code 3 must still read "Refractory"
    const t = await tableFrom("os_days,os_status,event_days,event\n10,1,5,1\n20,0,8,4\n30,1,12,3\n40,0,40,0\n");
    const a = outcomesAnalysis(t, new Uint8Array(4).fill(1), {horizon: 10});
    expect(a.competing!.events.map((e) => [e.cause, e.code, e.label, e.count])).toEqual([
      [1, 1, "Relapse", 1],
      [2, 3, "Refractory / never in CR", 1],
      [3, 4, "Event code 4", 1]
    ]);
    expect(a.competing!.stacked.states.map((s) => s.label)).toEqual(["Relapse-free survival", "Relapse", "Refractory / never in CR", "Event code 4"]);
    expect(a.competing!.maxDeviation).toBeLessThan(1e-15);
    const byKey = Object.fromEntries(a.estimates.map((e) => [e.key, e]));
    expect(byKey.refractory.estimate).toBeCloseTo(0, 12); // the refractory event is at day 12 > 10
    expect(byKey.relapse.estimate).toBe(0.25);
    expect(byKey.nrm.estimate).toBeNull();
    expect(byKey.nrm.note).toBe("The cohort file has no first event coded 2 (Non-relapse mortality)");
  });

  it("rejects a horizon that is not a finite number of days", () => {
    expect(() => outcomesAnalysis(table, maskFor(table, "all"), {horizon: NaN})).toThrow(/horizon/);
  });
});

describe("view settings", () => {
  it("outcomeConfType keeps the offered types and reports the others", () => {
    expect(outcomeConfType(null)).toEqual({confType: "log-log", note: null});
    expect(outcomeConfType("plain")).toEqual({confType: "plain", note: null});
    expect(outcomeConfType("logit").confType).toBe("log-log");
    expect(outcomeConfType("logit").note).toMatch(/logit/);
  });

  it("horizonMonths: 2 years is exactly 24 months; other days are rounded with a note", () => {
    expect(horizonMonths(null, HORIZON_2Y, 200)).toEqual({months: 24, note: null});
    expect(horizonMonths(365.25, HORIZON_2Y, 200)).toEqual({months: 12, note: null});
    const r = horizonMonths(100, HORIZON_2Y, 200);
    expect(r.months).toBe(3);
    expect(r.note).toMatch(/100 days/);
    expect(horizonMonths(1e5, HORIZON_2Y, 60).months).toBe(60);
  });

  it("followUpMonths: the longest OS or event time in months, rounded up", async () => {
    const t = await tableFrom("os_days,os_status,event_days,event\n31,1,5,1\n61,0,8,0\n");
    expect(followUpMonths(t)).toBe(3);
    expect(followUpMonths(await cohort())).toBeGreaterThan(24);
  });
});
