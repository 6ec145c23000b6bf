// The Overview's prepared path (src/study/preparedStudy.ts: endpoints validated and times ranked once per
// cohort, then one pass per row mask) must give exactly what the per-selection path gives — `headline()`
// and `kaplanMeier(endpointInput(table, "os", mask).data)` — for any mask, and both must match R.
// R values: test/reference/outcomes-kato2012.R → outcomes-kato2012.json (R 4.2.2, survival 3.5-3, cmprsk
// 2.2-11): summary(survfit(Surv(os_days, os_status) ~ 1, conf.type = "log-log"), times = 730.5) and
// timepoints(cuminc(event_days, event, cencode = 0), 730.5) on data/kato2012-synthetic.csv.
import {readFileSync} from "node:fs";
import {describe, expect, it} from "vitest";
import {readTable} from "../../src/cohort/readTable.js";
import {kaplanMeier} from "../../src/survival/index.js";
import {endpointInput} from "../../src/study/endpoints.js";
import {headline} from "../../src/study/headline.js";
import {HORIZON_2Y} from "../../src/study/kato2012.js";
import {overviewOf, prepareStudy, studyColumns} from "../../src/study/preparedStudy.js";
import {cohortToCsv, generateKato2012Cohort} from "../../src/synthetic/kato2012.js";
import {assertClose} from "../util/close.js";
import {randomMask, study, syntheticWithCell} from "../util/masks.js";

const ref = JSON.parse(readFileSync("test/reference/outcomes-kato2012.json", "utf8"));

describe("overviewOf (prepared once, one pass per mask)", async () => {
  const table = await study(new Uint8Array(readFileSync("data/kato2012-synthetic.csv")), "kato2012-synthetic.csv");
  const prepared = prepareStudy(studyColumns(table));

  it("matches R on the whole synthetic cohort at 2 years", () => {
    const all = overviewOf(prepared, new Uint8Array(table.numRows).fill(1), HORIZON_2Y)!;
    const r = ref.subsets.find((s: {label: string}) => s.label === "all");
    const k = ref.horizons.indexOf(730.5);
    expect(HORIZON_2Y).toBe(730.5);
    assertClose(all.headline.os.estimate!, r.os["log-log"].surv[k], {rtol: 1e-9, label: "OS"});
    assertClose(all.headline.os.se!, r.os["log-log"].stdErr[k], {rtol: 1e-9, label: "OS se"});
    assertClose(all.headline.os.lower!, r.os["log-log"].lower[k], {rtol: 1e-9, label: "OS lower"});
    assertClose(all.headline.relapse.estimate!, r.cif[0].est[k], {rtol: 1e-9, label: "relapse"});
    assertClose(all.headline.relapse.se!, Math.sqrt(r.cif[0].var[k]), {rtol: 1e-9, label: "relapse se"});
    assertClose(all.headline.nrm.estimate!, r.cif[1].est[k], {rtol: 1e-9, label: "NRM"});
    assertClose(all.headline.refractory.estimate!, r.cif[2].est[k], {rtol: 1e-9, label: "refractory"});
    expect(all.headline.deaths).toBe(r.os["log-log"].events);
    expect(Array.from(all.fit!.strata[0].time)).toEqual(r.os["log-log"].time);
  });

  it("equals headline() and the per-selection Kaplan–Meier for every mask (deep-equal)", () => {
    const masks = [new Uint8Array(table.numRows).fill(1), new Uint8Array(table.numRows), ...[1, 2, 3, 4, 5, 6, 7, 8].map((s) => randomMask(table.numRows, s * 7919, s / 9))];
    masks.push(Uint8Array.from({length: table.numRows}, (_, i) => (i === 17 ? 1 : 0)));
    for (const mask of masks) {
      const got = overviewOf(prepared, mask, HORIZON_2Y)!;
      expect(got.headline).toStrictEqual(headline(table, mask, HORIZON_2Y));
      const os = endpointInput(table, "os", mask);
      expect(got.fit).toStrictEqual(os.ok && os.rows.length ? kaplanMeier(os.data, {confType: "log-log"}) : null);
    }
  });

  it("gives the whole cohort's longest follow-up whatever the mask (the Overview's fixed time axis)", () => {
    // The last time of the whole cohort's Kaplan–Meier, which is R's max(survfit(...)$time) on the all-rows fit above.
    const all = overviewOf(prepared, new Uint8Array(table.numRows).fill(1), HORIZON_2Y)!;
    const times = all.fit!.strata[0].time;
    expect(all.followUp).toBe(times[times.length - 1]);
    for (const s of [1, 2, 3]) expect(overviewOf(prepared, randomMask(table.numRows, s * 104729, s / 4), HORIZON_2Y)!.followUp).toBe(all.followUp);
    expect(overviewOf(prepared, new Uint8Array(table.numRows), HORIZON_2Y)!.followUp).toBe(all.followUp);
  });

  it("is null for a mask of the wrong length", () => {
    expect(overviewOf(prepared, new Uint8Array(3), HORIZON_2Y)).toBeNull();
  });
});

describe("overviewOf on a larger cohort with missing values", async () => {
  // 3,000 generated patients; blank some endpoint and interval cells so rows drop out per endpoint.
  const csv = cohortToCsv(generateKato2012Cohort(3000, 7)).split("\n");
  const header = csv[0].split(",");
  const blank = (col: string, every: number) => {
    const j = header.indexOf(col);
    for (let i = 1; i < csv.length; i += every) {
      const cells = csv[i].split(",");
      if (cells.length !== header.length) continue;
      cells[j] = "";
      csv[i] = cells.join(",");
    }
  };
  blank("os_days", 37);
  blank("event", 41);
  blank("interval_days", 29);
  const table = await study(new TextEncoder().encode(csv.join("\n")), "gen.csv");
  const prepared = prepareStudy(studyColumns(table));

  it("equals the per-selection path for random masks", () => {
    for (const s of [11, 12, 13, 14]) {
      const mask = randomMask(table.numRows, s, 0.2 * (s - 10));
      const got = overviewOf(prepared, mask, HORIZON_2Y)!;
      expect(got.headline).toStrictEqual(headline(table, mask, HORIZON_2Y));
      const os = endpointInput(table, "os", mask);
      expect(got.fit).toStrictEqual(kaplanMeier(os.data, {confType: "log-log"}));
    }
  });
});

describe("overviewOf when an endpoint is invalid on the whole table", async () => {
  const {table} = await readTable(syntheticWithCell("os_days", 5, "-4"), {name: "bad.csv"});
  it("returns null, so the page falls back to per-selection validation (which names row and value)", () => {
    const columns = studyColumns(table!);
    expect(columns.invalid).toBe(true);
    expect(overviewOf(prepareStudy(columns), new Uint8Array(table!.numRows).fill(1), HORIZON_2Y)).toBeNull();
  });
});
