import {describe, it, assert} from "vitest";
import {readFileSync} from "node:fs";
import {splitAtEvent} from "../../src/survival/splitAtEvent.js";
import {SurvivalInputError} from "../../src/survival/errors.js";
import {readCsvColumns, numeric} from "../util/csv.js";

// Expected rows: survival::tmerge (R 4.2.2, survival 3.5-3), written by test/reference/split-bmt.R into
// test/reference/split-bmt.json; each block carries its tmerge call.
const ref = JSON.parse(readFileSync("test/reference/split-bmt.json", "utf8"));
const nullToNaN = (a: (number | null)[]) => a.map((v) => v ?? NaN);

// bmt as split-bmt.R prepares it: id = row, event 1 relapse / 2 death in remission, agvhd_day = ta if da = 1.
const raw = readCsvColumns("data/bmt.csv");
const d2 = numeric(raw, "d2"), d3 = numeric(raw, "d3"), da = numeric(raw, "da"), ta = numeric(raw, "ta");
const bmt = {
  id: Float64Array.from(d2, (_, i) => i + 1),
  group: numeric(raw, "group"),
  z1: numeric(raw, "z1"),
  t1: numeric(raw, "t1"),
  d1: numeric(raw, "d1"),
  t2: numeric(raw, "t2"),
  event: Float64Array.from(d2, (v, i) => (v === 1 ? 1 : d3[i] === 1 ? 2 : 0)),
  agvhd_day: Float64Array.from(da, (v, i) => (v === 1 ? ta[i] : NaN))
};

function sameRows(actual: Record<string, ArrayLike<unknown>>, expected: Record<string, (number | null)[]>, map: Record<string, string>) {
  for (const [r, ours] of Object.entries(map)) {
    assert.deepStrictEqual(Array.from(actual[ours] as ArrayLike<number>), nullToNaN(expected[r]), `column ${ours} (R: ${r})`);
  }
}

describe("splitAtEvent", () => {
  it("splitAtEvent(bmt, aGVHD onset) equals survival::tmerge(..., agvhd = tdc(agvhd_day)) for overall survival", () => {
    const res = splitAtEvent(bmt, {id: "id", time: "t1", event: "d1", eventTime: "agvhd_day", covariateName: "agvhd"});
    const rows = ref.os.rows;
    assert.strictEqual(res.n, rows.id.length);
    sameRows(res.columns, rows, {id: "id", group: "group", z1: "z1", t1: "t1", t2: "t2", event: "event", agvhd_day: "agvhd_day", tstart: "tstart", tstop: "tstop", death: "d1", agvhd: "agvhd"});
    assert.strictEqual(res.nSplit, rows.id.length - 137);
    assert.deepStrictEqual(res.dropped, {total: 0, reasons: []});
    assert.deepStrictEqual(Array.from(res.row), rows.id.map((id: number) => id - 1));
    assert.instanceOf(res.columns.tstart, Float64Array);
    assert.instanceOf(res.columns.group, Float64Array);
  });

  it("splitAtEvent keeps cause codes on the last interval (disease-free survival, relapse / death in remission)", () => {
    const res = splitAtEvent(bmt, {id: "id", time: "t2", event: "event", eventTime: "agvhd_day", covariateName: "agvhd"});
    sameRows(res.columns, ref.dfs.rows, {id: "id", tstart: "tstart", tstop: "tstop", status: "event", agvhd: "agvhd", t1: "t1"});
  });

  it("splitAtEvent handles onset at 0, before entry, at the end, after the end, missing and at the event time as tmerge does", () => {
    const e = ref.edge.data;
    const table = {id: e.id, entry: e.entry, time: e.time, status: e.status, onset: nullToNaN(e.onset)};
    const res = splitAtEvent(table, {id: "id", entry: "entry", time: "time", event: "status", eventTime: "onset", covariateName: "td"});
    sameRows(res.columns, ref.edge.rows, {id: "id", onset: "onset", tstart: "tstart", tstop: "tstop", ev: "status", td: "td"});
    assert.strictEqual(res.nSplit, 1);
    assert.isArray(res.columns.id, "plain arrays stay plain arrays");
  });

  it("splitAtEvent drops rows with missing values or an empty interval and counts them", () => {
    // By hand: row 2 has no time, row 3 no status, row 4 ends at 0 (tmerge: "found an ending time of 0 ... invalid").
    const res = splitAtEvent(
      {time: [5, null, 4, 0, 6], status: [1, 0, null, 1, 0], onset: [2, 1, 1, null, 7]},
      {time: "time", event: "status", eventTime: "onset", covariateName: "x"}
    );
    assert.deepStrictEqual(Array.from(res.row), [0, 0, 4]);
    assert.deepStrictEqual(Array.from(res.columns.tstart as Float64Array), [0, 2, 0]);
    assert.deepStrictEqual(Array.from(res.columns.tstop as Float64Array), [2, 5, 6]);
    assert.deepStrictEqual(Array.from(res.columns.status as Float64Array), [0, 1, 0]);
    assert.deepStrictEqual(Array.from(res.columns.x as Float64Array), [0, 1, 0]);
    assert.deepStrictEqual(res.columns.onset, [2, 2, 7]);
    assert.deepStrictEqual(res.dropped, {total: 3, reasons: [{field: "time", count: 1}, {field: "status", count: 1}, {field: "interval", count: 1}]});
  });

  it("splitAtEvent rejects duplicate ids, invalid values and name clashes with SurvivalInputError", () => {
    const spec = {id: "id", time: "time", event: "status", eventTime: "onset", covariateName: "x"};
    const ok = {id: [1, 2, 3], time: [5, 6, 7], status: [1, 0, 2], onset: [1, 2, 3]};
    assert.throws(() => splitAtEvent({...ok, id: [1, 2, 1]}, spec), SurvivalInputError, /id at row 3: 1 \(identifier already used at row 1/);
    assert.throws(() => splitAtEvent({...ok, time: [5, -1, 7]}, spec), SurvivalInputError, /time at row 2: -1 \(time must be ≥ 0\)/);
    assert.throws(() => splitAtEvent({...ok, status: [1, 0.5, 2]}, spec), SurvivalInputError, /status at row 2: 0.5/);
    assert.throws(() => splitAtEvent({...ok, onset: [1, "x", 3]}, spec), SurvivalInputError, /onset at row 2: "x"/);
    assert.throws(() => splitAtEvent({...ok, tstart: [0, 0, 0]}, spec), SurvivalInputError, /tstart: column already exists/);
    assert.throws(() => splitAtEvent(ok, {...spec, eventTime: "nope"}), SurvivalInputError, /nope: no such column/);
    assert.throws(() => splitAtEvent({...ok, z: [1, 2]}, spec), SurvivalInputError, /z: has 2 values but other columns have 3/);
  });
});
