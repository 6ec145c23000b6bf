// The Outcomes page's prepared path (issue 7: endpoints validated and times ranked once per table, then
// one pass per row mask) must give exactly what the per-selection path gives (`outcomesPerSelection`:
// each endpoint validated on the selection, every estimator run on the selected rows) — toStrictEqual,
// for many masks, every CI type and several horizons. The per-selection path is itself checked against
// R in test/study/outcomes.test.ts (test/reference/outcomes-kato2012.R → outcomes-kato2012.json).
import {readFileSync} from "node:fs";
import {describe, expect, it} from "vitest";
import {readTable} from "../../src/cohort/readTable.js";
import type {CohortTable} from "../../src/cohort/table.js";
import {cumulativeIncidence, cumulativeIncidencePrepared, kaplanMeier, kaplanMeierPrepared} from "../../src/survival/index.js";
import {prepareCohort, selectRows} from "../../src/survival/prepared.js";
import {endpointInput, eventCodeOrder} from "../../src/study/endpoints.js";
import {outcomesAnalysis, outcomesPerSelection, OUTCOME_CONF_TYPES} from "../../src/study/outcomes.js";
import {studyColumns} from "../../src/study/preparedStudy.js";
import {cohortToCsv, generateKato2012Cohort} from "../../src/synthetic/kato2012.js";
import {randomMask, study, syntheticWithCell} from "../util/masks.js";

/** All, none, one row, random masks from sparse to nearly full, and a mask with entries other than 0/1. */
function masks(n: number, count: number): Uint8Array[] {
  const out: Uint8Array[] = [new Uint8Array(n).fill(1), new Uint8Array(n), Uint8Array.from({length: n}, (_, i) => (i === 17 ? 1 : 0))];
  for (let s = 1; s <= count; ++s) out.push(randomMask(n, s * 7919, (s / (count + 1)) ** 0.5));
  out.push(Uint8Array.from(randomMask(n, 4242, 0.7), (v, i) => (v && i % 5 === 0 ? 2 : v)));
  return out;
}

const HORIZONS = [0, 182.625, 730.5, 1826.25, 1e6];

/** The prepared path is taken (else the comparison would compare the per-selection path with itself). */
function expectPrepared(table: CohortTable): void {
  const columns = studyColumns(table);
  expect(columns.invalid).toBe(false);
  expect(columns.os).not.toBeNull();
  expect(columns.events).not.toBeNull();
}

/** Every mask × CI type × `horizonsPer` of the horizons (rotating through them, all of them by default). */
function expectSame(table: CohortTable, list: Uint8Array[], horizonsPer = HORIZONS.length): number {
  let compared = 0;
  let h = 0;
  for (const mask of list)
    for (const confType of OUTCOME_CONF_TYPES)
      for (let k = 0; k < horizonsPer; ++k) {
        const horizon = HORIZONS[h++ % HORIZONS.length];
        expect(outcomesAnalysis(table, mask, {horizon, confType})).toStrictEqual(outcomesPerSelection(table, mask, {horizon, confType}));
        ++compared;
      }
  return compared;
}

/** The engine's prepared fits on one selection equal the plain fits on endpointInput's rows (the pattern of preparedStudy.test.ts). */
function expectEngineEqual(table: CohortTable, list: Uint8Array[], horizonsPer = HORIZONS.length): void {
  const columns = studyColumns(table);
  const os = prepareCohort({time: columns.os!.time, event: columns.os!.event});
  const events = prepareCohort({time: columns.events!.time, event: columns.events!.event});
  const causes = eventCodeOrder(table).map((_, k) => k + 1);
  for (const mask of list) {
    const osInput = endpointInput(table, "os", mask);
    const evInput = endpointInput(table, "events", mask);
    if (!osInput.rows.length || !evInput.rows.length) continue;
    const osSel = selectRows(os, Array.from(columns.os!.rows, (i) => (mask[i] === 1 ? 1 : 0)));
    const evSel = selectRows(events, Array.from(columns.events!.rows, (i) => (mask[i] === 1 ? 1 : 0)));
    for (const confType of OUTCOME_CONF_TYPES) {
      expect(kaplanMeierPrepared(osSel, null, {confType})).toStrictEqual(kaplanMeier(osInput.data, {confType}));
      // relapse-free survival: any first event
      expect(kaplanMeierPrepared(evSel, null, {confType})).toStrictEqual(kaplanMeier(evInput.data, {confType}));
    }
    for (const horizon of HORIZONS.slice(0, horizonsPer))
      expect(cumulativeIncidencePrepared(evSel, null, {times: [horizon], causes})).toStrictEqual(cumulativeIncidence(evInput.data, {times: [horizon], causes}));
  }
}

describe("outcomesAnalysis (prepared once per table) on the synthetic Kato 2012 cohort", async () => {
  const table = await study(new Uint8Array(readFileSync("data/kato2012-synthetic.csv")), "kato2012-synthetic.csv");
  const list = masks(table.numRows, 24);

  it("takes the prepared path", () => expectPrepared(table));

  it("engine: kaplanMeierPrepared / cumulativeIncidencePrepared equal the plain functions on the selected rows", () => {
    expectEngineEqual(table, list);
  });

  it("equals the per-selection computation for every mask, CI type and horizon (toStrictEqual)", () => {
    expect(expectSame(table, list)).toBe(list.length * OUTCOME_CONF_TYPES.length * HORIZONS.length);
  });

  it("gives the same answer again (nothing cached per mask)", () => {
    const mask = list[5];
    const a = outcomesAnalysis(table, mask, {horizon: 730.5, confType: "log"});
    outcomesAnalysis(table, list[9], {horizon: 365.25, confType: "plain"});
    expect(outcomesAnalysis(table, mask, {horizon: 730.5, confType: "log"})).toStrictEqual(a);
  });

  it("a mask of the wrong length takes the per-selection path", () => {
    const short = new Uint8Array(table.numRows - 3).fill(1);
    expect(outcomesAnalysis(table, short, {horizon: 730.5})).toStrictEqual(outcomesPerSelection(table, short, {horizon: 730.5}));
  });

  it("rejects a horizon that is not a finite number of days ≥ 0, as before", () => {
    const all = list[0];
    for (const horizon of [-1, NaN, Infinity]) {
      expect(() => outcomesAnalysis(table, all, {horizon})).toThrow(RangeError);
      expect(() => outcomesPerSelection(table, all, {horizon})).toThrow(RangeError);
    }
  });
});

describe("outcomesAnalysis on a generated 3,000-patient cohort with missing endpoint cells", async () => {
  // Blank endpoint and interval cells so rows drop out per endpoint, for a missing time and a missing status.
  const csv = cohortToCsv(generateKato2012Cohort(3000, 7)).split("\n");
  const header = csv[0].split(",");
  const blank = (col: string, every: number, offset = 1) => {
    const j = header.indexOf(col);
    for (let i = offset; i < csv.length; i += every) {
      const cells = csv[i].split(",");
      if (cells.length !== header.length) continue;
      cells[j] = "";
      csv[i] = cells.join(",");
    }
  };
  blank("os_days", 37);
  blank("os_status", 43, 5);
  blank("event", 41);
  blank("event_days", 31, 3);
  blank("interval_days", 29);
  const table = await study(new TextEncoder().encode(csv.join("\n")), "gen.csv");
  const list = masks(table.numRows, 10);

  it("takes the prepared path, and the masks exclude rows for both columns of each endpoint", () => {
    expectPrepared(table);
    const all = outcomesAnalysis(table, list[0], {horizon: 730.5});
    expect(all.os!.excluded.map((e) => e.column).sort()).toEqual(["os_days", "os_status"]);
    expect(all.competing!.excluded.map((e) => e.column).sort()).toEqual(["event", "event_days"]);
  });

  it("engine: kaplanMeierPrepared / cumulativeIncidencePrepared equal the plain functions on the selected rows", () => {
    expectEngineEqual(table, list, 2);
  });

  it("equals the per-selection computation for every mask and CI type, at horizons in rotation (toStrictEqual)", () => {
    expect(expectSame(table, list, 2)).toBe(list.length * OUTCOME_CONF_TYPES.length * 2);
  });
});

describe("outcomesAnalysis when an endpoint fails validation on the whole table", async () => {
  const {table} = await readTable(syntheticWithCell("os_days", 5, "-4"), {name: "bad.csv"});

  it("falls back to the per-selection path: the same results and the same messages, naming row and value", () => {
    expect(studyColumns(table!).invalid).toBe(true);
    const list = masks(table!.numRows, 8);
    expectSame(table!, list, 2);
    const all = outcomesAnalysis(table!, list[0], {horizon: 730.5});
    expect(all.os).toBeNull();
    expect(all.osMessage).toMatch(/^Overall survival cannot be estimated: .*os_days.*-4/);
    expect(all.osMessage).toBe(outcomesPerSelection(table!, list[0], {horizon: 730.5}).osMessage);
    expect(all.competing).not.toBeNull(); // the first events are still estimated
    // a selection without the bad row (row 5 of the message, 1-based) is estimated as before
    expect(all.osMessage).toBe("Overall survival cannot be estimated: os_days: time must be ≥ 0 (row 5: '-4')");
    const without = Uint8Array.from(list[0], (v, i) => (i === 4 ? 0 : v));
    const a = outcomesAnalysis(table!, without, {horizon: 730.5});
    expect(a.os).not.toBeNull();
    expect(a).toStrictEqual(outcomesPerSelection(table!, without, {horizon: 730.5}));
  });
});

describe("outcomesAnalysis on a file whose event codes skip one", () => {
  it("numbers causes as the data layer does (code 3 stays refractory) on both paths", async () => {
    const {table} = await readTable(new TextEncoder().encode("os_days,os_status,event_days,event\n10,1,5,1\n20,0,20,0\n30,1,12,3\n25,1,4,3\n40,0,,0\n50,1,45,1\n"), {name: "t.csv"});
    expectPrepared(table!);
    for (const mask of [Uint8Array.of(1, 1, 1, 1, 1, 1), Uint8Array.of(1, 0, 1, 0, 1, 1), Uint8Array.of(0, 1, 0, 0, 1, 0)])
      for (const confType of OUTCOME_CONF_TYPES)
        for (const horizon of [0, 10, 26, 60]) expect(outcomesAnalysis(table!, mask, {horizon, confType})).toStrictEqual(outcomesPerSelection(table!, mask, {horizon, confType}));
    const a = outcomesAnalysis(table!, Uint8Array.of(1, 1, 1, 1, 1, 1), {horizon: 26});
    expect(a.competing!.events.map((e) => e.code)).toEqual([1, 3]);
    expect(a.estimates.find((e) => e.key === "nrm")!.note).toMatch(/no first event coded 2/);
  });
});
